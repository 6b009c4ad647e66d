/*
 * Copyright (c) 2026 The secd developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * secctl: the command tables.
 *
 * Each table lists the words that may come next.  A keyword matches itself
 * or any unique prefix of itself; a FLAG is a keyword that sets a bit in
 * the request; ZONENAME, DNSNAME and TARGETNAME take the word as a domain
 * name (checked here, so that a typo never reaches secd); NOKEY says the
 * command may end here.  A token whose next table is its own table is an
 * option ("proxy [-n]").
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define NAME_MAXTEXT	253	/* presentation, without the final dot */
#define LABEL_MAX	63
#define VERB_HELP	(-1)

enum token_type {
	ENDTOKEN,
	NOKEY,
	KEYWORD,
	FLAG,
	ZONENAME,
	DNSNAME,
	TARGETNAME,
	PATTERN,	/* a zone name with fnmatch(3) wildcards */
	STATE,		/* a zone state of show zones */
	ADDRESS,	/* an IPv4 or IPv6 address (audit ... at) */
	PORTNUM		/* a port, 1 to 65535 */
};

/* The states of show zones (the first word of each). */
static const char *const zone_states[] = {
	"ok", "refreshing", "retrying", "expired", "never", NULL
};

struct token {
	enum token_type		 type;
	const char		*keyword;
	int			 value;		/* KEYWORD: verb; FLAG: bits */
	const struct token	*next;
	const char		*descr;		/* for the usage text */
};

static const struct token t_main[];
static const struct token t_end[];
static const struct token t_show[];
static const struct token t_show_zone[];
static const struct token t_show_zones[];
static const struct token t_show_state[];
static const struct token t_show_pattern[];
static const struct token t_show_name[];
static const struct token t_proxy[];
static const struct token t_proxy_name[];
static const struct token t_onoff[];
static const struct token t_apex[];
static const struct token t_apex_op[];
static const struct token t_apex_target[];
static const struct token t_apex_proxied[];
static const struct token t_zone[];
static const struct token t_audit[];
static const struct token t_audit_at[];
static const struct token t_audit_addr[];
static const struct token t_audit_port[];
static const struct token t_audit_pnum[];
static const struct token t_log[];

static const struct token t_main[] = {
	{ KEYWORD, "status",	CTL_STATUS,	t_end,
	    "processes, uptime, zones, sandboxes" },
	{ KEYWORD, "show",	CTL_NONE,	t_show,		NULL },
	{ KEYWORD, "proxy",	CTL_PROXY,	t_proxy,
	    "proxy or unproxy A/AAAA/CNAME at NAME" },
	{ KEYWORD, "apex",	CTL_NONE,	t_apex,		NULL },
	{ KEYWORD, "audit",	CTL_AUDIT,	t_audit,
	    "check every answer of ZONE (at ADDRESS: of another server) "
	    "for an origin address" },
	{ KEYWORD, "refresh",	CTL_REFRESH,	t_zone,
	    "check the SOA serial now" },
	{ KEYWORD, "retransfer", CTL_RETRANSFER, t_zone,
	    "full zone transfer now" },
	{ KEYWORD, "reload",	CTL_RELOAD,	t_end,
	    "re-read the configuration file" },
	{ KEYWORD, "log",	CTL_NONE,	t_log,
	    "log level of every process" },
	{ KEYWORD, "help",	VERB_HELP,	t_end,
	    "this list" },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_end[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_show[] = {
	{ KEYWORD, "zones",	CTL_SHOW_ZONES,	t_show_zones,
	    "zones, serials, transfer state" },
	{ KEYWORD, "zone",	CTL_SHOW_ZONE,	t_show_zone,
	    "the records of ZONE, or of NAME in it" },
	{ KEYWORD, "stats",	CTL_SHOW_STATS,	t_end,
	    "query, answer and transfer counters" },
	{ KEYWORD, "sizes",	CTL_SHOW_SIZES,	t_end,
	    "records, image and memory of each zone" },
	{ KEYWORD, "sandbox",	CTL_SHOW_SANDBOX, t_end,
	    "pledge promises and unveiled paths" },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_show_zones[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ KEYWORD, "state",	CTL_NONE,	t_show_state,	NULL },
	{ PATTERN, NULL,	0,		t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_show_state[] = {
	{ STATE,   NULL,	0,		t_show_pattern,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_show_pattern[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ PATTERN, NULL,	0,		t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_show_zone[] = {
	{ ZONENAME, NULL,	0,		t_show_name,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_show_name[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ DNSNAME, NULL,	0,		t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_proxy[] = {
	{ FLAG,    "-n",	CTL_F_DRYRUN,	t_proxy,	NULL },
	{ ZONENAME, NULL,	0,		t_proxy_name,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_proxy_name[] = {
	{ DNSNAME, NULL,	0,		t_onoff,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_onoff[] = {
	{ FLAG,    "on",	CTL_F_ON,	t_end,		NULL },
	{ FLAG,    "off",	0,		t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_apex[] = {
	{ ZONENAME, NULL,	0,		t_apex_op,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_apex_op[] = {
	{ KEYWORD, "cname",	CTL_APEX_CNAME,	t_apex_target,
	    "add or replace the apex CNAME" },
	{ KEYWORD, "clear",	CTL_APEX_CLEAR,	t_end,
	    "remove the apex CNAME" },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_apex_target[] = {
	{ TARGETNAME, NULL,	0,		t_apex_proxied,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_apex_proxied[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ FLAG,    "proxied",	CTL_F_PROXIED,	t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_zone[] = {
	{ ZONENAME, NULL,	0,		t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_audit[] = {
	{ ZONENAME, NULL,	0,		t_audit_at,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_audit_at[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ FLAG,    "at",	CTL_F_AT,	t_audit_addr,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_audit_addr[] = {
	{ ADDRESS, NULL,	0,		t_audit_port,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_audit_port[] = {
	{ NOKEY,   NULL,	0,		NULL,		NULL },
	{ KEYWORD, "port",	CTL_NONE,	t_audit_pnum,	NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_audit_pnum[] = {
	{ PORTNUM, NULL,	0,		t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token t_log[] = {
	{ KEYWORD, "verbose",	CTL_LOG_VERBOSE, t_end,		NULL },
	{ KEYWORD, "brief",	CTL_LOG_BRIEF,	t_end,		NULL },
	{ ENDTOKEN, NULL,	0,		NULL,		NULL }
};

static const struct token *match_token(const char *, const struct token *,
		    struct parse_result *);
static const struct token *match_keyword(const char *, const struct token *,
		    int *);
static int	 set_name(const struct token *, const char *,
		    struct parse_result *);
static int	 set_state(const char *, struct parse_result *);
static int	 set_address(const char *, struct parse_result *);
static int	 set_port(const char *, struct parse_result *);
static const char *check_name(const char *, char *, size_t, int);
static void	 expected(const struct token *, char *, size_t);
static const char *word(const struct token *);
static const char *kind(const struct token *);
static int	 only_nokey(const struct token *);
static int	 render(const struct token *, char *, size_t);
static void	 emit(FILE *, const struct token *, const char *,
		    const char *);

const struct parse_result *
parse(int argc, char *argv[])
{
	static struct parse_result	 res;
	const struct token		*table = t_main, *t;
	char				 exp[512];

	memset(&res, 0, sizeof(res));
	res.action = ACT_REQUEST;
	for (; argc > 0; argc--, argv++) {
		if ((t = match_token(argv[0], table, &res)) == NULL)
			return NULL;
		table = t->next;
	}
	for (t = table; t->type != ENDTOKEN; t++)
		if (t->type == NOKEY)
			return &res;
	expected(table, exp, sizeof(exp));
	if (res.words[0] == '\0')
		warnx("expected a command: %s", exp);
	else
		warnx("%s: expected %s", res.words, exp);
	return NULL;
}

/*
 * The token of table that word matches, with what it sets applied to res;
 * NULL after saying why nothing matched.
 */
static const struct token *
match_token(const char *w, const struct token *table,
    struct parse_result *res)
{
	const struct token	*t;
	char			 exp[512];
	int			 n;

	expected(table, exp, sizeof(exp));
	if ((t = match_keyword(w, table, &n)) != NULL) {
		if (t->type == FLAG) {
			res->req.flags |= t->value;
			return t;
		}
		if (t->value == VERB_HELP)
			res->action = ACT_HELP;
		else if (t->value != CTL_NONE)
			res->req.verb = t->value;
		if (res->words[0] != '\0')
			strlcat(res->words, " ", sizeof(res->words));
		strlcat(res->words, t->keyword, sizeof(res->words));
		return t;
	}
	if (n > 1) {
		warnx("%s%s\"%s\" is ambiguous; expected %s", res->words,
		    res->words[0] != '\0' ? ": " : "", w, exp);
		return NULL;
	}
	for (t = table; t->type != ENDTOKEN; t++) {
		switch (t->type) {
		case ZONENAME:
		case DNSNAME:
		case TARGETNAME:
		case PATTERN:
			return set_name(t, w, res) == 0 ? t : NULL;
		case STATE:
			return set_state(w, res) == 0 ? t : NULL;
		case ADDRESS:
			return set_address(w, res) == 0 ? t : NULL;
		case PORTNUM:
			return set_port(w, res) == 0 ? t : NULL;
		default:
			break;
		}
	}
	if (res->words[0] == '\0')
		warnx("unknown command \"%s\"; expected %s", w, exp);
	else if (only_nokey(table))
		warnx("%s: unexpected argument \"%s\"", res->words, w);
	else
		warnx("%s: unknown argument \"%s\"; expected %s", res->words,
		    w, exp);
	return NULL;
}

/*
 * The keyword or flag that w is, or the only one it is a prefix of (not
 * for "-" options); *n counts the candidates.
 */
static const struct token *
match_keyword(const char *w, const struct token *table, int *n)
{
	const struct token	*t, *match = NULL;
	size_t			 len = strlen(w);

	*n = 0;
	for (t = table; t->type != ENDTOKEN; t++) {
		if (t->type != KEYWORD && t->type != FLAG)
			continue;
		if (strcmp(w, t->keyword) == 0) {
			*n = 1;
			return t;
		}
		if (len > 0 && w[0] != '-' &&
		    strncmp(w, t->keyword, len) == 0) {
			match = t;
			(*n)++;
		}
	}
	return *n == 1 ? match : NULL;
}

/* audit ... at ADDRESS: the server to ask, port 53 unless given. */
static int
set_address(const char *w, struct parse_result *res)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&res->at;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&res->at;

	memset(&res->at, 0, sizeof(res->at));
	if (inet_pton(AF_INET, w, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(53);
	} else if (inet_pton(AF_INET6, w, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(53);
	} else {
		warnx("%s: \"%s\" is not an IPv4 or IPv6 address", res->words,
		    w);
		return -1;
	}
	return 0;
}

static int
set_port(const char *w, struct parse_result *res)
{
	const char	*errstr;
	long long	 p;

	p = strtonum(w, 1, 65535, &errstr);
	if (errstr != NULL) {
		warnx("%s: port \"%s\" is %s: 1 to 65535", res->words, w,
		    errstr);
		return -1;
	}
	if (res->at.ss_family == AF_INET)
		((struct sockaddr_in *)&res->at)->sin_port = htons(p);
	else
		((struct sockaddr_in6 *)&res->at)->sin6_port = htons(p);
	return 0;
}

static int
set_name(const struct token *t, const char *w, struct parse_result *res)
{
	const char	*why;
	char		*dst;
	size_t		 len;

	switch (t->type) {
	case ZONENAME:
		dst = res->req.zone;
		len = sizeof(res->req.zone);
		break;
	case DNSNAME:
	case PATTERN:
		dst = res->req.name;
		len = sizeof(res->req.name);
		break;
	default:
		dst = res->req.arg;
		len = sizeof(res->req.arg);
		break;
	}
	/* a pattern is a zone name whose labels may hold * ? [ ] */
	if ((why = check_name(w, dst, len, t->type == ZONENAME ||
	    t->type == PATTERN)) != NULL) {
		warnx("%s: bad %s \"%s\": %s", res->words, kind(t) + 2, w,
		    why);
		return -1;
	}
	return 0;
}

/*
 * Copy a domain name in presentation form to dst, or say what is wrong
 * with it.  Only plain names: no \ escapes, printable ASCII (an IDN is
 * written in its xn-- form).  A zone is normalised to lower case without
 * the final dot; other names are passed on as typed.
 */
static const char *
check_name(const char *s, char *dst, size_t dstlen, int zone)
{
	const char	*p;
	size_t		 len, label = 0;

	len = strlen(s);
	if (len == 0)
		return "empty name";
	if (s[0] == '-')
		return "starts with '-'";
	for (p = s; *p != '\0'; p++) {
		if (*p == '\\')
			return "\\ escapes are not supported";
		if ((unsigned char)*p >= 0x80)
			return "not ASCII (write an IDN in its xn-- form)";
		if (!isgraph((unsigned char)*p))
			return "contains a space or a control character";
		if (*p != '.') {
			if (++label > LABEL_MAX)
				return "a label is longer than 63 characters";
			continue;
		}
		if (label == 0 && !(p == s && p[1] == '\0'))
			return "empty label";
		label = 0;
	}
	if (len > 1 && s[len - 1] == '.')
		len--;
	if (len > NAME_MAXTEXT)
		return "longer than 253 characters";
	if (strlcpy(dst, s, dstlen) >= dstlen)
		return "too long";
	if (zone) {
		if (len > 0 && len < strlen(dst))
			dst[len] = '\0';
		for (; *dst != '\0'; dst++)
			*dst = tolower((unsigned char)*dst);
	}
	return NULL;
}

/* '"zones", "zone", "stats", "sizes" or "sandbox"': what table accepts. */
static void
expected(const struct token *table, char *buf, size_t len)
{
	const struct token	*t;
	int			 i, n = 0;

	for (t = table; t->type != ENDTOKEN; t++)
		if (t->type != NOKEY)
			n++;
	buf[0] = '\0';
	for (i = 0, t = table; t->type != ENDTOKEN; t++) {
		if (t->type == NOKEY)
			continue;
		if (i > 0)
			strlcat(buf, i == n - 1 ? " or " : ", ", len);
		i++;
		if (t->type == KEYWORD || t->type == FLAG) {
			strlcat(buf, "\"", len);
			strlcat(buf, t->keyword, len);
			strlcat(buf, "\"", len);
		} else
			strlcat(buf, kind(t), len);
	}
	if (n == 0)
		strlcpy(buf, "nothing more", len);
}

/* The word for t in the usage text. */
static const char *
word(const struct token *t)
{
	switch (t->type) {
	case ZONENAME:
		return "ZONE";
	case DNSNAME:
		return "NAME";
	case TARGETNAME:
		return "TARGET";
	case PATTERN:
		return "PATTERN";
	case STATE:
		return "STATE";
	case ADDRESS:
		return "ADDRESS";
	case PORTNUM:
		return "PORT";
	default:
		return t->keyword;
	}
}

/* "a zone name": what t takes, in a message. */
static const char *
kind(const struct token *t)
{
	switch (t->type) {
	case ZONENAME:
		return "a zone name";
	case DNSNAME:
		return "a domain name";
	case PATTERN:
		return "a zone pattern";
	case STATE:
		return "a state (ok, refreshing, retrying, expired, never)";
	case ADDRESS:
		return "an IPv4 or IPv6 address";
	case PORTNUM:
		return "a port";
	default:
		return "a target name";
	}
}

/* show zones state STATE: one of zone_states, into req.arg. */
static int
set_state(const char *w, struct parse_result *res)
{
	size_t	 i;

	for (i = 0; zone_states[i] != NULL; i++)
		if (strcmp(w, zone_states[i]) == 0) {
			strlcpy(res->req.arg, w, sizeof(res->req.arg));
			return 0;
		}
	warnx("%s: unknown state \"%s\"; expected ok, refreshing, retrying, "
	    "expired or never", res->words, w);
	return -1;
}

static int
only_nokey(const struct token *table)
{
	const struct token	*t;

	for (t = table; t->type != ENDTOKEN; t++)
		if (t->type != NOKEY)
			return 0;
	return 1;
}

/*
 * The rest of a command from table on as one line ("ZONE NAME on|off",
 * "[-n] ..."), or -1 when it branches into several commands.
 */
static int
render(const struct token *table, char *buf, size_t len)
{
	const struct token	*t, *group = NULL;
	char			 alts[128], rest[256];
	int			 optional = 0;

	buf[0] = alts[0] = rest[0] = '\0';
	for (t = table; t->type != ENDTOKEN; t++) {
		if (t->type == NOKEY)
			optional = 1;
		else if (t->next == table) {
			strlcat(buf, "[", len);
			strlcat(buf, word(t), len);
			strlcat(buf, "] ", len);
		} else if (group == NULL) {
			group = t;
			strlcpy(alts, word(t), sizeof(alts));
		} else if (t->next == group->next) {
			strlcat(alts, "|", sizeof(alts));
			strlcat(alts, word(t), sizeof(alts));
		} else
			return -1;
	}
	if (group == NULL) {
		if (buf[0] != '\0')
			buf[strlen(buf) - 1] = '\0';
		return 0;
	}
	if (render(group->next, rest, sizeof(rest)) == -1)
		return -1;
	if (optional)
		strlcat(buf, "[", len);
	strlcat(buf, alts, len);
	if (rest[0] != '\0') {
		strlcat(buf, " ", len);
		strlcat(buf, rest, len);
	}
	if (optional)
		strlcat(buf, "]", len);
	return 0;
}

/* Print every command that starts with prefix and goes on in table. */
static void
emit(FILE *fp, const struct token *table, const char *prefix,
    const char *descr)
{
	const struct token	*t;
	char			 line[520], next[256];

	if (render(table, next, sizeof(next)) == 0) {
		snprintf(line, sizeof(line), "%s%s%s", prefix,
		    next[0] != '\0' ? " " : "", next);
		if (descr != NULL)
			fprintf(fp, "\t%-33s %s\n", line, descr);
		else
			fprintf(fp, "\t%s\n", line);
		return;
	}
	for (t = table; t->type != ENDTOKEN; t++) {
		if (t->type == NOKEY) {
			fprintf(fp, "\t%s\n", prefix);
			continue;
		}
		if (t->next == table)
			continue;
		snprintf(next, sizeof(next), "%s%s%s", prefix,
		    prefix[0] != '\0' ? " " : "", word(t));
		emit(fp, t->next, next, t->descr != NULL ? t->descr : descr);
	}
}

void
parser_usage(FILE *fp)
{
	const struct token	*t;

	fprintf(fp, "usage: %s [-j] [-s socket] command [argument ...]\n",
	    getprogname());
	fprintf(fp, "commands:\n");
	for (t = t_main; t->type != ENDTOKEN; t++)
		emit(fp, t->next, t->keyword, t->descr);
}
