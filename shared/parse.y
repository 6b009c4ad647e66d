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
 * secd.conf(5): the grammar and its lexer.
 *
 * The lexer follows the pattern of the OpenBSD daemons: a stack of files
 * for include, macros expanded as the file is read ($name) and defined in
 * the file (name = "value") or with secd -D, line tracking, and errors
 * printed as "file:line: message".  After an error the parser skips to the
 * end of the statement and goes on, so that one run reports every error in
 * the file; parse_config() then returns NULL.
 *
 * Statements at the top level end with a newline or ';'; inside braces,
 * items are separated by newlines or ';', and the last one may be followed
 * directly by '}'.
 */

%{
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "nametab.h"
#include "secd.h"

/* A place in the configuration, for errors. */
struct pos {
	const char		*file;
	int			 line;
};

/*
 * A file being read.  A finished file stays on the done list until the end
 * of the parse because errors found later (an undefined key) name it.
 */
static TAILQ_HEAD(files, file)	 files = TAILQ_HEAD_INITIALIZER(files);
static TAILQ_HEAD(, file)	 done = TAILQ_HEAD_INITIALIZER(done);
static struct file {
	TAILQ_ENTRY(file)	 entry;
	FILE			*stream;
	char			*name;
	char			*iobuf;		/* stdio's buffer, zeroed */
	dev_t			 dev;
	ino_t			 ino;
	int			*ungetbuf;
	size_t			 ungetpos;
	size_t			 ungetsize;
	int			 eof_reached;
	int			 lineno;
} *file, *topfile;

/* Macros.  Those from the command line persist across parses. */
static TAILQ_HEAD(, sym)	 symhead = TAILQ_HEAD_INITIALIZER(symhead);
struct sym {
	TAILQ_ENTRY(sym)	 entry;
	int			 persist;
	char			*nam;
	char			*val;
};

/* A "tsig" reference, checked once every key is known. */
struct keyuse {
	TAILQ_ENTRY(keyuse)	 entry;
	struct pos		 pos;
	char			 name[SECD_NAMESTRLEN];
};
static TAILQ_HEAD(, keyuse)	 keyuses = TAILQ_HEAD_INITIALIZER(keyuses);

/*
 * template "name" { ... }: the options of a zone, known until the end of
 * the parse to the zones that name it.  Its settings are in the
 * configuration from its closing brace on: the zones of a zone list that
 * names it point at them, as may zone blocks naming it.
 */
#define TEMPLATE_NAMELEN	(SECD_TMPLNAMELEN - 1)
struct template {
	TAILQ_ENTRY(template)	 entry;
	struct pos		 pos;
	struct zone_opts	*opts;		/* in conf */
	char			 name[TEMPLATE_NAMELEN + 1];
};
static TAILQ_HEAD(, template)	 templates =
    TAILQ_HEAD_INITIALIZER(templates);

/*
 * Where each zone was defined (a zone block or a line of a zone list), so
 * that a second definition names the first.  A hash table that grows
 * (shared/nametab.c): a zone list may hold 100,000 names, each checked
 * against all those before it.
 */
struct zonedef {
	struct pos		 pos;
	char			 name[];	/* normalised */
};
static struct nametab	 zonedefs;

/* The paths of the zone lists read, named by errors until the end. */
struct listfile {
	TAILQ_ENTRY(listfile)	 entry;
	char			*path;
};
static TAILQ_HEAD(, listfile)	 listfiles =
    TAILQ_HEAD_INITIALIZER(listfiles);

static struct file	*pushfile(const char *, struct pos *);
static int		 popfile(void);
static void		 freefile(struct file *);
int			 yyparse(void);
static int		 yylex(void);
static int		 yyerror(const char *, ...)
			    __attribute__((__format__ (printf, 1, 2)));
static void		 perr(struct pos, const char *, ...)
			    __attribute__((__format__ (printf, 2, 3)));
static int		 lerr(const char *, ...)
			    __attribute__((__format__ (printf, 1, 2)));
static int		 kw_cmp(const void *, const void *);
static int		 lookup(const char *);
static int		 igetc(void);
static int		 lgetc(int);
static void		 lungetc(int);
static int		 lexword(int);
static int		 lexquoted(int);
static int		 symset(const char *, const char *, int);
static char		*symget(const char *);
static int		 macro_name_ok(const char *);
static void		 symclear(void);
static void		 strfree(char *);

static int		 get_addr(struct pos, const char *, int64_t, int,
			    struct sockaddr_storage *);
static int		 get_port(struct pos, int64_t);
static void		 set_path(struct pos, const char *, char *, size_t,
			    int);
static void		 listen_add(struct pos, const char *, int64_t);
static void		 metrics_add(struct pos, const char *, int64_t);
static void		 resolver_set(struct pos, const char *, int64_t);
static void		 key_begin(struct pos, const char *);
static void		 key_algorithm(struct pos, const char *);
static void		 key_secret(struct pos, char *);
static void		 key_end(void);
static int		 key_ref(struct pos, const char *, char *, size_t);
static void		 key_check(void);
static void		 zone_begin(struct pos, const char *);
static void		 zone_primary(struct pos, const char *, int64_t,
			    struct pos, const char *);
static void		 zone_notify(struct pos, const char *, struct pos,
			    const char *);
static void		 zone_xfrout(struct pos, const char *, struct pos,
			    const char *);
static void		 zone_notifyout(struct pos, const char *, int64_t,
			    struct pos, const char *);
static void		 zone_serial(struct pos, const char *, struct pos,
			    const char *);
static void		 xfrout_limit(int *, const char *, struct pos, int64_t);
static void		 peers_copy(struct primary_confs *,
			    const struct primary_confs *);
static void		 zone_end(void);
static void		 zone_opts_copy(struct zone_opts *,
			    const struct zone_opts *);
static void		 zone_template(struct pos, struct pos, const char *);
static void		 zone_catalog(struct pos, struct pos, const char *);
static const char	*zonedef_key(const void *);
static struct zonedef	*zonedef_find(const char *);
static void		 zonedef_add(const char *, struct pos);
static void		 zonedef_clear(void);
static void		 template_begin(struct pos, const char *);
static void		 template_end(void);
static struct template	*template_find(const char *);
static void		 template_clear(void);
static void		 zone_list(struct pos, const char *, struct pos,
			    const char *);
static void		 zone_list_line(struct pos, char *, size_t,
			    const struct template *);
static void		 proxy_begin(struct pos, struct proxy_conf *, int *);
static void		 proxy_address(struct pos, const char *);
static void		 proxy_ttl(struct pos, int64_t);
static void		 proxy_end(void);
static void		 tcp_limit(struct pos, int, struct pos, int64_t);
static void		 xfr_limit(struct zone_opts *, struct pos, int,
			    struct pos, int64_t, const char *);
static int		 get_scaled(const char *, int64_t *);
static int		 sa_same(const struct sockaddr_storage *,
			    const struct sockaddr_storage *);
static void		 rrl_number(struct pos, int, struct pos, int64_t);
static void		 rrl_exempt(struct pos, const char *);
static void		 cookie_secret(struct pos, const char *, int);
static void		 cookie_end(struct pos);

static struct secd_conf	*conf;
static int		 errors;
static int		 quiet;		/* the lexer reported this error */
static int		 insecret;	/* in a secret statement */
static int		 atstart;	/* the next token starts a statement */
static int		 expanding;	/* reading a macro's value */
static int		 intransfer;	/* the last token was "transfer" */
static int		 intcp;		/* the last token was "tcp" */

/* Statements given at most once. */
#define SEEN_USER	0x01
#define SEEN_DATABASE	0x02
#define SEEN_CONTROL	0x04
#define SEEN_SERVERS	0x08
#define SEEN_RESOLVER	0x10
#define SEEN_PROXY	0x20
#define SEEN_XFR_TIMEOUT 0x40	/* these four in a zone too */
#define SEEN_XFR_RECORDS 0x80
#define SEEN_XFR_BYTES	0x100
#define SEEN_XFR_CONCURRENT 0x200
#define SEEN_TCP_IDLE	0x400
#define SEEN_TCP_IO	0x800
#define SEEN_TCP_CONNS	0x1000
#define SEEN_TCP_PER_SOURCE 0x2000
#define SEEN_RRL	0x4000
#define SEEN_COOKIE	0x8000
static int		 seen;
static int		 rrlseen;	/* rate-limit items given, by token */
static int		 rrlexempt;	/* an exempt given: the default gone */
static int		 cookieseen;	/* 1: secret, 2: previous */

/* transfer ...: the ranges, the same globally and in a zone */
#define XFR_TIMEOUT_MAX		86400
#define XFR_RECORDS_MAX		(1LL << 40)
#define XFR_BYTES_MAX		(1LL << 46)

/* tcp ...: the ranges */
#define TCP_TIMEOUT_MAX		3600
#define TCP_CONNS_MAX		65536

/* The block being read. */
static struct tsig_key	*curkey;
static struct pos	 curkeypos;
static int		 curkeyalg, curkeysecret;
/*
 * The zone or template block being read: its settings (not yet in conf),
 * and for a zone its name and the settings of the template it named.
 */
static struct zone_opts	*curopts;
static const struct zone_opts *curbase;
static char		 curzonename[SECD_CONFNAMELEN];
static char		 curtmplname[TEMPLATE_NAMELEN + 1];
static struct pos	 curzonepos;
static int		 curzonedup;
static int		 curzoneerrors;
static int		 curzoneseen;	/* SEEN_XFR_* in this zone */
static int		 curzoneopts;	/* options read in this block */
static int		 curzonetmpl;	/* it has named its template */
static int		 curzonecatalog; /* it said catalog template */
static int		 curzoneinherit; /* INHERIT_* not yet replaced */
static int		 curzoneproxy;	/* its own proxy block was given */
static char		 curzonelabel[SECD_NAMESTRLEN + 16];

/* What a zone took from its template and has not replaced yet. */
#define INHERIT_PRIMARIES	0x01
#define INHERIT_NOTIFIES	0x02
#define INHERIT_XFROUTS		0x04
#define INHERIT_NOTIFYOUTS	0x08
#define INHERIT_ALL		0x0f
static struct proxy_conf *curproxy;
static struct pos	 curproxypos;
static int		 curproxyttl;

typedef struct {
	union {
		int64_t		 number;
		char		*string;
	} v;
	struct pos		 pos;
} YYSTYPE;
#define YYSTYPE_IS_DECLARED 1

#ifndef nitems
#define nitems(_a)	(sizeof((_a)) / sizeof((_a)[0]))
#endif

/* Characters the lexer returns for a macro's start and end, not bytes. */
#define START_EXPAND	0x100
#define DONE_EXPAND	0x101
%}

%token	ADDRESS ALGORITHM ALLOW CONTROL DATABASE FROM INCLUDE KEY LISTEN
%token	MAXBYTES MAXCONCURRENT MAXRECORDS NOTIFY OFF ON PORT PRIMARY PROXY
%token	RESOLVER SECRET SERVERS TIMEOUT TRANSFER TSIG TTL USER ZONE
%token	TCP IDLETIMEOUT IOTIMEOUT MAXCONNECTIONS MAXPERSOURCE
%token	COOKIE EXEMPT IPV4PREFIX IPV6PREFIX PREVIOUS RATELIMIT RESPONSES
%token	SLIP TABLESIZE TEMPLATE ZONES CATALOG
%token	MODULO POLICY PRODUCE PROVIDE SERIAL TO
%token	METRICS
%token	ERROR
%token	<v.string>	STRING
%token	<v.number>	NUMBER
%type	<v.number>	port xfrword tcpword rrlword
%type	<v.string>	optkey
%destructor	{ strfree($$); }	<v.string>

%%

grammar		: /* empty */
		| grammar sepc
		| grammar include sepc
		| grammar varset sepc
		| grammar main sepc
		| grammar tsigkey sepc
		| grammar gproxy sepc
		| grammar zone sepc
		| grammar template sepc
		| grammar zonelist sepc
		| grammar ratelimit sepc
		| grammar cookie sepc
		| grammar error sepc
		;

/* A statement is over: errors after it are reported again. */
sepc		: '\n'			{ yyerrok; quiet = 0; }
		| ';'			{ yyerrok; quiet = 0; }
		;

include		: INCLUDE STRING {
			struct file	*nfile;
			char		 path[PATH_MAX];
			const char	*slash;
			int		 n;

			/* a relative path is from the including file's dir */
			slash = strrchr(file->name, '/');
			if ($2[0] == '/' || slash == NULL)
				n = snprintf(path, sizeof(path), "%s", $2);
			else
				n = snprintf(path, sizeof(path), "%.*s/%s",
				    (int)(slash - file->name), file->name, $2);
			if ($2[0] == '\0')
				perr($<pos>2, "include: empty path");
			else if (n < 0 || (size_t)n >= sizeof(path))
				perr($<pos>2, "include \"%s\": path too long",
				    $2);
			else if ((nfile = pushfile(path, &$<pos>2)) != NULL) {
				file = nfile;
				/* ends the include line in the new file */
				lungetc('\n');
			}
			free($2);
		}
		;

varset		: STRING '=' STRING {
			if (!macro_name_ok($1))
				perr($<pos>1, "invalid macro name \"%s\": "
				    "letters, digits and '_' only", $1);
			else if (symset($1, $3, 0) == -1)
				perr($<pos>1, "cannot set macro \"%s\"", $1);
			free($1);
			strfree($3);
		}
		| STRING '=' NUMBER {
			char	 buf[32];

			snprintf(buf, sizeof(buf), "%lld", (long long)$3);
			if (!macro_name_ok($1))
				perr($<pos>1, "invalid macro name \"%s\": "
				    "letters, digits and '_' only", $1);
			else if (symset($1, buf, 0) == -1)
				perr($<pos>1, "cannot set macro \"%s\"", $1);
			free($1);
		}
		;

main		: USER STRING {
			if (seen & SEEN_USER)
				perr($<pos>1, "user given twice");
			seen |= SEEN_USER;
			if ($2[0] == '\0')
				perr($<pos>2, "user: empty name");
			else if (strlcpy(conf->user, $2, sizeof(conf->user)) >=
			    sizeof(conf->user))
				perr($<pos>2, "user \"%s\": name too long",
				    $2);
			free($2);
		}
		| DATABASE STRING {
			if (seen & SEEN_DATABASE)
				perr($<pos>1, "database given twice");
			seen |= SEEN_DATABASE;
			set_path($<pos>2, $2, conf->database,
			    sizeof(conf->database), 0);
			free($2);
		}
		| CONTROL STRING {
			if (seen & SEEN_CONTROL)
				perr($<pos>1, "control given twice");
			seen |= SEEN_CONTROL;
			set_path($<pos>2, $2, conf->control,
			    sizeof(conf->control), 1);
			free($2);
		}
		| SERVERS NUMBER {
			if (seen & SEEN_SERVERS)
				perr($<pos>1, "servers given twice");
			seen |= SEEN_SERVERS;
			if ($2 < 1 || $2 > SECD_MAXSERVERS)
				perr($<pos>2, "servers %lld: out of range "
				    "1..%d", (long long)$2, SECD_MAXSERVERS);
			else
				conf->servers = $2;
		}
		| LISTEN ON STRING port {
			listen_add($<pos>3, $3, $4);
			free($3);
		}
		| METRICS LISTEN ON STRING port {
			metrics_add($<pos>4, $4, $5);
			free($4);
		}
		| RESOLVER STRING port {
			resolver_set($<pos>1, $2, $3);
			free($2);
		}
		| TRANSFER xfrword NUMBER {
			xfr_limit(NULL, $<pos>2, $2, $<pos>3, $3, NULL);
		}
		| TRANSFER MAXBYTES STRING {
			xfr_limit(NULL, $<pos>2, MAXBYTES, $<pos>3, 0, $3);
			free($3);
		}
		| PROVIDE TRANSFER MAXCONCURRENT NUMBER {
			xfrout_limit(&conf->xfrout_max, "max-concurrent",
			    $<pos>4, $4);
		}
		| PROVIDE TRANSFER MAXPERSOURCE NUMBER {
			xfrout_limit(&conf->xfrout_per_source,
			    "max-per-source", $<pos>4, $4);
		}
		| TCP tcpword NUMBER {
			tcp_limit($<pos>2, $2, $<pos>3, $3);
		}
		;

tcpword		: IDLETIMEOUT		{ $$ = IDLETIMEOUT; }
		| IOTIMEOUT		{ $$ = IOTIMEOUT; }
		| MAXCONNECTIONS	{ $$ = MAXCONNECTIONS; }
		| MAXPERSOURCE		{ $$ = MAXPERSOURCE; }
		;

/* transfer WORD NUMBER; max-bytes also takes "4G" (a STRING) */
xfrword		: TIMEOUT		{ $$ = TIMEOUT; }
		| MAXRECORDS		{ $$ = MAXRECORDS; }
		| MAXBYTES		{ $$ = MAXBYTES; }
		| MAXCONCURRENT		{ $$ = MAXCONCURRENT; }
		;

/* -1: not given, the default; 0: given and wrong, reported. */
port		: /* empty */		{ $$ = -1; }
		| PORT NUMBER		{ $$ = get_port($<pos>2, $2); }
		;

optkey		: /* empty */		{ $$ = NULL; }
		| TSIG STRING		{ $$ = $2; $<pos>$ = $<pos>2; }
		;

tsigkey		: TSIG KEY STRING {
			key_begin($<pos>3, $3);
			strfree($3);
			$3 = NULL;
		} '{' keyopts keylast '}' {
			key_end();
		}
		;

keyopts		: /* empty */
		| keyopts sepc
		| keyopts keyopt sepc
		| keyopts error sepc
		;

keylast		: /* empty */
		| keyopt
		| error
		;

keyopt		: ALGORITHM STRING {
			key_algorithm($<pos>2, $2);
			free($2);
		}
		| SECRET STRING {
			key_secret($<pos>2, $2);
			strfree($2);
		}
		;

gproxy		: PROXY {
			if (seen & SEEN_PROXY)
				perr($<pos>1, "global proxy block given twice");
			seen |= SEEN_PROXY;
			proxy_begin($<pos>1, &conf->proxy, NULL);
		} proxybody
		;

proxybody	: '{' proxyopts proxylast '}' {
			proxy_end();
		}
		;

proxyopts	: /* empty */
		| proxyopts sepc
		| proxyopts proxyopt sepc
		| proxyopts error sepc
		;

proxylast	: /* empty */
		| proxyopt
		| error
		;

proxyopt	: ADDRESS STRING {
			proxy_address($<pos>2, $2);
			free($2);
		}
		| TTL NUMBER {
			proxy_ttl($<pos>2, $2);
		}
		;

ratelimit	: RATELIMIT {
			if (seen & SEEN_RRL)
				perr($<pos>1, "rate-limit given twice");
			seen |= SEEN_RRL;
			conf->has_rrl = 1;
			rrlseen = 0;
			rrlexempt = 0;
		} '{' rrlopts rrllast '}'
		| RATELIMIT OFF {
			if (seen & SEEN_RRL)
				perr($<pos>1, "rate-limit given twice");
			seen |= SEEN_RRL;
			conf->has_rrl = 0;
		}
		;

rrlopts		: /* empty */
		| rrlopts sepc
		| rrlopts rrlopt sepc
		| rrlopts error sepc
		;

rrllast		: /* empty */
		| rrlopt
		| error
		;

rrlopt		: rrlword NUMBER {
			rrl_number($<pos>1, $1, $<pos>2, $2);
		}
		| EXEMPT STRING {
			rrl_exempt($<pos>2, $2);
			free($2);
		}
		;

rrlword		: RESPONSES		{ $$ = RESPONSES; }
		| SLIP			{ $$ = SLIP; }
		| IPV4PREFIX		{ $$ = IPV4PREFIX; }
		| IPV6PREFIX		{ $$ = IPV6PREFIX; }
		| TABLESIZE		{ $$ = TABLESIZE; }
		;

cookie		: COOKIE {
			if (seen & SEEN_COOKIE)
				perr($<pos>1, "cookie given twice");
			seen |= SEEN_COOKIE;
			conf->has_cookie = 1;
			cookieseen = 0;
		} '{' cookieopts cookielast '}' {
			cookie_end($<pos>1);
		}
		;

cookieopts	: /* empty */
		| cookieopts sepc
		| cookieopts cookieopt sepc
		| cookieopts error sepc
		;

cookielast	: /* empty */
		| cookieopt
		| error
		;

cookieopt	: SECRET STRING {
			cookie_secret($<pos>2, $2, 0);
			strfree($2);
		}
		| PREVIOUS STRING {
			cookie_secret($<pos>2, $2, 1);
			strfree($2);
		}
		;

zone		: ZONE STRING {
			zone_begin($<pos>2, $2);
			strfree($2);
			$2 = NULL;
		} zonebody
		;

/* a block, or the one line zone "NAME" template "TEMPLATE" */
zonebody	: '{' zoneopts zonelast '}' {
			zone_end();
		}
		| TEMPLATE STRING {
			zone_template($<pos>1, $<pos>2, $2);
			free($2);
			zone_end();
		}
		;

zoneopts	: /* empty */
		| zoneopts sepc
		| zoneopts zoneitem sepc
		| zoneopts error sepc
		;

zonelast	: /* empty */
		| zoneitem
		| error
		;

/* A zone's template is its first option: curzoneopts counts them. */
zoneitem	: zoneopt		{ curzoneopts++; }
		| TEMPLATE STRING {
			zone_template($<pos>1, $<pos>2, $2);
			curzoneopts++;
			free($2);
		}
		| CATALOG TEMPLATE STRING {
			zone_catalog($<pos>1, $<pos>3, $3);
			curzoneopts++;
			free($3);
		}
		| CATALOG PRODUCE {
			if (curopts->produce)
				perr($<pos>1, "%s: catalog produce given "
				    "twice", curzonelabel);
			curopts->produce = 1;
			curzoneopts++;
		}
		;

/* template "name" { the options of a zone, but a template } */
template	: TEMPLATE STRING {
			template_begin($<pos>2, $2);
			free($2);
			$2 = NULL;
		} '{' tmplopts tmpllast '}' {
			template_end();
		}
		;

tmplopts	: /* empty */
		| tmplopts sepc
		| tmplopts tmplitem sepc
		| tmplopts error sepc
		;

tmpllast	: /* empty */
		| tmplitem
		| error
		;

tmplitem	: zoneopt
		| TEMPLATE STRING {
			perr($<pos>1, "%s: a template cannot name a template",
			    curzonelabel);
			free($2);
		}
		| CATALOG TEMPLATE STRING {
			perr($<pos>1, "%s: catalog is for a zone, not a "
			    "template", curzonelabel);
			free($3);
		}
		| CATALOG PRODUCE {
			perr($<pos>1, "%s: catalog is for a zone, not a "
			    "template", curzonelabel);
		}
		;

/* zones "path" template "name": one zone a line of the file */
zonelist	: ZONES STRING TEMPLATE STRING {
			zone_list($<pos>2, $2, $<pos>4, $4);
			free($2);
			free($4);
		}
		;

zoneopt		: PRIMARY STRING port optkey {
			zone_primary($<pos>2, $2, $3, $<pos>4, $4);
			free($2);
			free($4);
		}
		| ALLOW NOTIFY FROM STRING optkey {
			zone_notify($<pos>4, $4, $<pos>5, $5);
			free($4);
			free($5);
		}
		| PROXY {
			/* one from the template is replaced, not doubled */
			if (curzoneproxy)
				perr($<pos>1, "%s: proxy block given twice",
				    curzonelabel);
			curzoneproxy = 1;
			proxy_begin($<pos>1, &curopts->proxy,
			    &curopts->has_proxy);
		} proxybody
		| TRANSFER xfrword NUMBER {
			xfr_limit(curopts, $<pos>2, $2, $<pos>3, $3, NULL);
		}
		| TRANSFER MAXBYTES STRING {
			xfr_limit(curopts, $<pos>2, MAXBYTES, $<pos>3, 0, $3);
			free($3);
		}
		| PROVIDE TRANSFER TO STRING optkey {
			zone_xfrout($<pos>4, $4, $<pos>5, $5);
			free($4);
			free($5);
		}
		| NOTIFY STRING port optkey {
			zone_notifyout($<pos>2, $2, $3, $<pos>4, $4);
			free($2);
			free($4);
		}
		| SERIAL POLICY STRING {
			zone_serial($<pos>3, $3, $<pos>3, NULL);
			free($3);
		}
		| SERIAL POLICY STRING MODULO STRING {
			zone_serial($<pos>3, $3, $<pos>5, $5);
			free($3);
			free($5);
		}
		;

%%

struct keywords {
	const char	*k_name;
	int		 k_val;
};

/* this has to be sorted always */
static const struct keywords keywords[] = {
	{ "address",	ADDRESS },
	{ "algorithm",	ALGORITHM },
	{ "allow",	ALLOW },
	{ "catalog",	CATALOG },
	{ "control",	CONTROL },
	{ "cookie",	COOKIE },
	{ "database",	DATABASE },
	{ "exempt",	EXEMPT },
	{ "from",	FROM },
	{ "idle-timeout", IDLETIMEOUT },
	{ "include",	INCLUDE },
	{ "io-timeout",	IOTIMEOUT },
	{ "ipv4-prefix", IPV4PREFIX },
	{ "ipv6-prefix", IPV6PREFIX },
	{ "key",	KEY },
	{ "listen",	LISTEN },
	{ "max-bytes",	MAXBYTES },
	{ "max-concurrent", MAXCONCURRENT },
	{ "max-connections", MAXCONNECTIONS },
	{ "max-per-source", MAXPERSOURCE },
	{ "max-records", MAXRECORDS },
	{ "metrics",	METRICS },
	{ "modulo",	MODULO },
	{ "notify",	NOTIFY },
	{ "off",	OFF },
	{ "on",		ON },
	{ "policy",	POLICY },
	{ "port",	PORT },
	{ "previous",	PREVIOUS },
	{ "primary",	PRIMARY },
	{ "produce",	PRODUCE },
	{ "provide",	PROVIDE },
	{ "proxy",	PROXY },
	{ "rate-limit",	RATELIMIT },
	{ "resolver",	RESOLVER },
	{ "responses",	RESPONSES },
	{ "secret",	SECRET },
	{ "serial",	SERIAL },
	{ "servers",	SERVERS },
	{ "slip",	SLIP },
	{ "table-size",	TABLESIZE },
	{ "tcp",	TCP },
	{ "template",	TEMPLATE },
	{ "timeout",	TIMEOUT },
	{ "to",		TO },
	{ "transfer",	TRANSFER },
	{ "tsig",	TSIG },
	{ "ttl",	TTL },
	{ "user",	USER },
	{ "zone",	ZONE },
	{ "zones",	ZONES },
};

/*
 * The parser's syntax error, at the line of the token it could not take,
 * and near what.  Not printed when the lexer has just reported the cause.
 */
static int
yyerror(const char *fmt, ...)
{
	va_list		 ap;
	size_t		 i;
	extern int	 yychar;

	if (quiet) {
		/* the lexer has already said what was wrong */
		quiet = 0;
		return 0;
	}
	errors++;
	fprintf(stderr, "%s:%d: ", file->name, yylval.pos.line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (strcmp(fmt, "syntax error") == 0) {
		if (yychar == '\n' || yychar == ';')
			fprintf(stderr, " at end of statement");
		else if (yychar == 0)
			fprintf(stderr, " at end of file");
		else if (yychar == '{' || yychar == '}' || yychar == '=')
			fprintf(stderr, " near '%c'", yychar);
		else if (insecret)
			;	/* never show what may be a secret */
		else if (yychar == STRING && yylval.v.string != NULL)
			fprintf(stderr, " near \"%.40s\"", yylval.v.string);
		else if (yychar == NUMBER)
			fprintf(stderr, " near %lld",
			    (long long)yylval.v.number);
		else
			for (i = 0; i < nitems(keywords); i++)
				if (keywords[i].k_val == yychar)
					fprintf(stderr, " near \"%s\"",
					    keywords[i].k_name);
	}
	fprintf(stderr, "\n");
	return 0;
}

/*
 * An error the lexer found, at the line being read.  The parser's syntax
 * error on the ERROR token that follows is not printed again.
 */
static int
lerr(const char *fmt, ...)
{
	va_list		 ap;

	errors++;
	quiet = 1;
	fprintf(stderr, "%s:%d: ", file->name, yylval.pos.line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return ERROR;
}

/* An error about what was read at pos. */
static void
perr(struct pos pos, const char *fmt, ...)
{
	va_list		 ap;

	errors++;
	fprintf(stderr, "%s:%d: ", pos.file, pos.line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct keywords *)e)->k_name);
}

static int
lookup(const char *s)
{
	const struct keywords	*p;

	p = bsearch(s, keywords, nitems(keywords), sizeof(keywords[0]),
	    kw_cmp);
	return p != NULL ? p->k_val : STRING;
}

#define MAXPUSHBACK	128
#define LEXBUFSIZE	8192

static char	 lexbuf[LEXBUFSIZE];

/* The next character of the current file, pushed-back ones first. */
static int
igetc(void)
{
	int	 c;

	for (;;) {
		if (file->ungetpos > 0)
			c = file->ungetbuf[--file->ungetpos];
		else
			c = getc(file->stream);
		if (c == START_EXPAND)
			expanding = 1;
		else if (c == DONE_EXPAND)
			expanding = 0;
		else
			return c;
	}
}

/*
 * The next character for the lexer: a backslash-newline outside quotes
 * joins lines, the end of an included file goes back to the includer, and
 * a file that does not end with a newline gets one.
 */
static int
lgetc(int quotec)
{
	int	 c, next;

	if (quotec)
		return igetc();

	while ((c = igetc()) == '\\') {
		next = igetc();
		if (next != '\n') {
			lungetc(next);
			break;
		}
		file->lineno++;
	}

	if (c == EOF) {
		if (!file->eof_reached) {
			file->eof_reached = 1;
			return '\n';
		}
		while (c == EOF) {
			if (file == topfile || popfile() == EOF)
				return EOF;
			c = igetc();
		}
	}
	return c;
}

static void
lungetc(int c)
{
	int	*p;

	if (c == EOF)
		return;
	if (file->ungetpos >= file->ungetsize) {
		p = reallocarray(file->ungetbuf, file->ungetsize * 2,
		    sizeof(*p));
		if (p == NULL) {
			fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
			exit(1);
		}
		file->ungetbuf = p;
		file->ungetsize *= 2;
	}
	file->ungetbuf[file->ungetpos++] = c;
}

static int
yylex(void)
{
	char	*p, *val;
	int	 c, tok, start, afterxfr, aftertcp;

 top:
	p = lexbuf;
	while ((c = lgetc(0)) == ' ' || c == '\t' || c == '\r')
		;
	yylval.pos.file = file->name;
	yylval.pos.line = file->lineno;
	yylval.v.string = NULL;
	start = atstart;
	if (c == '#')
		while ((c = lgetc(0)) != '\n' && c != EOF)
			;
	if (c == '$' && !expanding) {
		while ((c = lgetc(0)) != EOF &&
		    (isalnum(c) || c == '_')) {
			if (p + 1 >= lexbuf + sizeof(lexbuf)) {
				return lerr("macro name too long");
			}
			*p++ = c;
		}
		*p = '\0';
		lungetc(c);
		if (p == lexbuf) {
			return lerr("'$' without a macro name");
		}
		if ((val = symget(lexbuf)) == NULL) {
			return lerr("macro \"%s\" not defined", lexbuf);
		}
		lungetc(DONE_EXPAND);
		for (p = val + strlen(val); p > val; )
			lungetc((unsigned char)*--p);
		lungetc(START_EXPAND);
		goto top;
	}

	atstart = 0;
	afterxfr = intransfer;
	aftertcp = intcp;
	intransfer = intcp = 0;
	switch (c) {
	case EOF:
		/* the line count went past the last line */
		if (yylval.pos.line > 1)
			yylval.pos.line--;
		return 0;
	case '\n':
		file->lineno++;
		/* FALLTHROUGH */
	case ';':
	case '{':
	case '}':
		atstart = 1;
		insecret = 0;
		/* FALLTHROUGH */
	case '=':
		return c;
	case '"':
	case '\'':
		tok = lexquoted(c);
		break;
	default:
		tok = lexword(c);
		if (tok == STRING && start) {
			/* a word that starts a statement: only a macro */
			while ((c = lgetc(0)) == ' ' || c == '\t')
				;
			lungetc(c);
			if (c != '=') {
				lerr("unknown keyword \"%s\"",
				    yylval.v.string);
				free(yylval.v.string);
				yylval.v.string = NULL;
				tok = ERROR;
			}
		} else if (tok == STRING && afterxfr) {
			lerr("unknown transfer limit \"%s\" (timeout, "
			    "max-records, max-bytes or max-concurrent)",
			    yylval.v.string);
			free(yylval.v.string);
			yylval.v.string = NULL;
			tok = ERROR;
		} else if (tok == STRING && aftertcp) {
			lerr("unknown tcp limit \"%s\" (idle-timeout, "
			    "io-timeout, max-connections or max-per-source)",
			    yylval.v.string);
			free(yylval.v.string);
			yylval.v.string = NULL;
			tok = ERROR;
		}
		break;
	}
	if (tok == SECRET || tok == PREVIOUS)
		insecret = 1;
	if (tok == TRANSFER)
		intransfer = 1;
	if (tok == TCP)
		intcp = 1;
	return tok;
}

/* A quoted string, with \" \' and \\ as escapes; it ends on its line. */
static int
lexquoted(int quotec)
{
	char	*p = lexbuf;
	int	 c, next;

	for (;;) {
		if ((c = lgetc(quotec)) == EOF || c == '\n') {
			if (c == '\n')
				lungetc(c);
			return lerr("unterminated quoted string");
		}
		if (c == quotec)
			break;
		if (c == '\\') {
			next = lgetc(quotec);
			if (next != quotec && next != '\\') {
				lungetc(next);
				next = '\\';
			}
			c = next;
		} else if (c == '\0' || c == START_EXPAND ||
		    c == DONE_EXPAND) {
			return lerr("invalid character in quoted string");
		}
		if (p + 1 >= lexbuf + sizeof(lexbuf)) {
			return lerr("string too long");
		}
		*p++ = c;
	}
	*p = '\0';
	if ((yylval.v.string = strdup(lexbuf)) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	explicit_bzero(lexbuf, p - lexbuf);
	return STRING;
}

/* Characters that end a bare word. */
#define ENDS_WORD(c)	(isspace(c) || (c) == EOF || (c) == '{' || \
    (c) == '}' || (c) == ';' || (c) == '=' || (c) == '#' || (c) == '"' || \
    (c) == '\'' || (c) == '$')

/*
 * A bare word: a keyword, a number (an optional '-' and digits) or a
 * string.  Only printable ASCII makes a word.
 */
static int
lexword(int c)
{
	const char	*errstr;
	char		*p = lexbuf;
	int		 digits = 1, tok;

	if (c < 0x21 || c > 0x7e) {
		return lerr("unexpected character 0x%02x", (unsigned)c & 0xff);
	}
	do {
		if (c < 0x21 || c > 0x7e) {
			return lerr("unexpected character 0x%02x",
			    (unsigned)c & 0xff);
		}
		if (p + 1 >= lexbuf + sizeof(lexbuf)) {
			return lerr("word too long");
		}
		if (!isdigit(c) && !(c == '-' && p == lexbuf))
			digits = 0;
		*p++ = c;
		c = lgetc(0);
	} while (!ENDS_WORD(c));
	lungetc(c);
	*p = '\0';

	if (digits && strcmp(lexbuf, "-") != 0) {
		yylval.v.number = strtonum(lexbuf, LLONG_MIN, LLONG_MAX,
		    &errstr);
		if (errstr != NULL) {
			return lerr("number %s is %s",
			    insecret ? "in secret" : lexbuf, errstr);
		}
		return NUMBER;
	}
	if ((tok = lookup(lexbuf)) != STRING)
		return tok;
	if ((yylval.v.string = strdup(lexbuf)) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	explicit_bzero(lexbuf, p - lexbuf);
	return STRING;
}

/*
 * Open a file and make it the one read next.  An include of a file that
 * is already being read is a loop.  from is where the include is, NULL
 * for the main file.
 */
static struct file *
pushfile(const char *name, struct pos *from)
{
	struct file	*nfile, *f;
	struct stat	 st;

	if ((nfile = calloc(1, sizeof(*nfile))) == NULL ||
	    (nfile->name = strdup(name)) == NULL ||
	    (nfile->iobuf = malloc(BUFSIZ)) == NULL ||
	    (nfile->ungetbuf = calloc(MAXPUSHBACK, sizeof(int))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	nfile->ungetsize = MAXPUSHBACK;
	if ((nfile->stream = fopen(name, "r")) == NULL) {
		if (from != NULL)
			perr(*from, "include \"%s\": %s", name,
			    strerror(errno));
		else {
			fprintf(stderr, "%s: %s\n", name, strerror(errno));
			errors++;
		}
		freefile(nfile);
		return NULL;
	}
	if (fstat(fileno(nfile->stream), &st) == -1 ||
	    !S_ISREG(st.st_mode)) {
		if (from != NULL)
			perr(*from, "include \"%s\": not a regular file", name);
		else {
			fprintf(stderr, "%s: not a regular file\n", name);
			errors++;
		}
		freefile(nfile);
		return NULL;
	}
	nfile->dev = st.st_dev;
	nfile->ino = st.st_ino;
	TAILQ_FOREACH(f, &files, entry)
		if (f->dev == st.st_dev && f->ino == st.st_ino) {
			perr(*from, "include \"%s\": include loop (%s is "
			    "already being read)", name, f->name);
			freefile(nfile);
			return NULL;
		}
	setvbuf(nfile->stream, nfile->iobuf, _IOFBF, BUFSIZ);
	/* the include's own newline, pushed back, counts the first line */
	nfile->lineno = TAILQ_EMPTY(&files) ? 1 : 0;
	TAILQ_INSERT_TAIL(&files, nfile, entry);
	return nfile;
}

/* Back to the file that included this one; EOF at the main file. */
static int
popfile(void)
{
	struct file	*prev;

	if ((prev = TAILQ_PREV(file, files, entry)) == NULL)
		return EOF;
	TAILQ_REMOVE(&files, file, entry);
	TAILQ_INSERT_TAIL(&done, file, entry);
	fclose(file->stream);
	file->stream = NULL;
	file = prev;
	return 0;
}

static void
freefile(struct file *f)
{
	if (f->stream != NULL)
		fclose(f->stream);
	if (f->iobuf != NULL)
		freezero(f->iobuf, BUFSIZ);
	if (f->ungetbuf != NULL)
		freezero(f->ungetbuf, f->ungetsize * sizeof(int));
	free(f->name);
	free(f);
}

/*
 * Read a configuration file.  Every error is printed on stderr as
 * "file:line: message"; if there was any, NULL.  flags is for later use
 * and must be 0.
 */
struct secd_conf *
parse_config(const char *filename, int flags)
{
	struct listen_conf	*l;
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	struct keyuse		*u;
	struct file		*f;
	int			 i;

	if ((conf = config_new()) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		return NULL;
	}
	errors = quiet = seen = insecret = intransfer = intcp = 0;
	atstart = 1;
	expanding = 0;
	curkey = NULL;
	curopts = NULL;
	curbase = NULL;
	curproxy = NULL;
	if (strlcpy(conf->file, filename, sizeof(conf->file)) >=
	    sizeof(conf->file)) {
		fprintf(stderr, "%s: path too long\n", filename);
		config_free(conf);
		return NULL;
	}
	if ((file = pushfile(filename, NULL)) == NULL) {
		config_free(conf);
		return NULL;
	}
	topfile = file;

	yyparse();
	explicit_bzero(lexbuf, sizeof(lexbuf));
	/* blocks left open by syntax errors */
	if (curkey != NULL)
		freezero(curkey, sizeof(*curkey));
	config_opts_free(curopts);
	curkey = NULL;
	curopts = NULL;
	curbase = NULL;
	curproxy = NULL;

	key_check();
	template_clear();
	zonedef_clear();

	/* no listen line: every address, port 53 */
	if (TAILQ_EMPTY(&conf->listens)) {
		for (i = 0; i < 2; i++) {
			if ((l = calloc(1, sizeof(*l))) == NULL) {
				fprintf(stderr, "%s: %s\n", __func__,
				    strerror(errno));
				exit(1);
			}
			if (i == 0) {
				sin = (struct sockaddr_in *)&l->ss;
				sin->sin_family = AF_INET;
				sin->sin_port = htons(SECD_PORT);
				sin->sin_addr.s_addr = htonl(INADDR_ANY);
			} else {
				sin6 = (struct sockaddr_in6 *)&l->ss;
				sin6->sin6_family = AF_INET6;
				sin6->sin6_port = htons(SECD_PORT);
				sin6->sin6_addr = in6addr_any;
			}
			TAILQ_INSERT_TAIL(&conf->listens, l, entry);
		}
	}

	while ((u = TAILQ_FIRST(&keyuses)) != NULL) {
		TAILQ_REMOVE(&keyuses, u, entry);
		free(u);
	}
	while ((f = TAILQ_FIRST(&files)) != NULL) {
		TAILQ_REMOVE(&files, f, entry);
		freefile(f);
	}
	while ((f = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, f, entry);
		freefile(f);
	}
	file = topfile = NULL;
	symclear();

	/* zone names are unique here (zonedef_find) */
	if (!errors && config_index(conf) == -1) {
		fprintf(stderr, "%s: out of memory for the zones' index\n",
		    filename);
		errors++;
	}
	/* then the members of its catalog zones (shared/catalog.c) */
	if (!errors)
		catalog_members_all(conf);
	if (errors) {
		config_free(conf);
		conf = NULL;
		return NULL;
	}
	return conf;
}

/* -D name=value: a macro that the file cannot redefine. */
int
cmdline_symset(char *s)
{
	char	*sym, *val;
	int	 ret;

	if ((val = strchr(s, '=')) == NULL)
		return -1;
	if ((sym = strndup(s, val - s)) == NULL)
		return -1;
	if (!macro_name_ok(sym)) {
		free(sym);
		return -1;
	}
	ret = symset(sym, val + 1, 1);
	free(sym);
	return ret;
}

static int
macro_name_ok(const char *s)
{
	if (*s == '\0' || isdigit((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int
symset(const char *nam, const char *val, int persist)
{
	struct sym	*sym;

	TAILQ_FOREACH(sym, &symhead, entry)
		if (strcmp(nam, sym->nam) == 0)
			break;
	if (sym != NULL) {
		if (sym->persist)
			return 0;	/* -D wins over the file */
		TAILQ_REMOVE(&symhead, sym, entry);
		free(sym->nam);
		strfree(sym->val);
		free(sym);
	}
	if ((sym = calloc(1, sizeof(*sym))) == NULL)
		return -1;
	if ((sym->nam = strdup(nam)) == NULL ||
	    (sym->val = strdup(val)) == NULL) {
		free(sym->nam);
		free(sym);
		return -1;
	}
	sym->persist = persist;
	TAILQ_INSERT_TAIL(&symhead, sym, entry);
	return 0;
}

static char *
symget(const char *nam)
{
	struct sym	*sym;

	TAILQ_FOREACH(sym, &symhead, entry)
		if (strcmp(nam, sym->nam) == 0)
			return sym->val;
	return NULL;
}

/* Forget the file's macros; those from -D stay for a reload. */
static void
symclear(void)
{
	struct sym	*sym, *next;

	TAILQ_FOREACH_SAFE(sym, &symhead, entry, next) {
		if (sym->persist)
			continue;
		TAILQ_REMOVE(&symhead, sym, entry);
		free(sym->nam);
		strfree(sym->val);
		free(sym);
	}
}

/* Free a string that may have held a secret. */
static void
strfree(char *s)
{
	if (s == NULL)
		return;
	freezero(s, strlen(s) + 1);
}

/* ---- building the configuration ---- */

/*
 * An address of the grammar: an IPv4 or IPv6 literal; "*" (listen only)
 * is 0.0.0.0 when family is AF_INET and :: when AF_INET6.  port is -1 for
 * the default.  Returns 0, or -1 after an error.
 */
static int
get_addr(struct pos pos, const char *s, int64_t port, int family,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const char		*c;

	memset(ss, 0, sizeof(*ss));
	if (port == 0)
		return -1;		/* reported by get_port() */
	if (port == -1)
		port = SECD_PORT;
	if (strcmp(s, "*") == 0) {
		if (family == AF_INET) {
			sin->sin_family = AF_INET;
			sin->sin_addr.s_addr = htonl(INADDR_ANY);
			sin->sin_port = htons(port);
		} else {
			sin6->sin6_family = AF_INET6;
			sin6->sin6_addr = in6addr_any;
			sin6->sin6_port = htons(port);
		}
		return 0;
	}
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &sin6->sin6_addr) != 1) {
			perr(pos, "bad IPv6 address \"%s\"", s);
			return -1;
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return 0;
	}
	for (c = s; *c != '\0'; c++)
		if (!isdigit((unsigned char)*c) && *c != '.')
			break;
	if (*c != '\0' || *s == '\0') {
		perr(pos, "\"%s\" is not an IPv4 or IPv6 address "
		    "(host names are not allowed)", s);
		return -1;
	}
	if (inet_pton(AF_INET, s, &sin->sin_addr) != 1) {
		perr(pos, "bad IPv4 address \"%s\"", s);
		return -1;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	return 0;
}

/* A port number, or 0 after an error. */
static int
get_port(struct pos pos, int64_t n)
{
	if (n < 1 || n > 65535) {
		perr(pos, "port %lld: out of range 1..65535", (long long)n);
		return 0;
	}
	return n;
}

static void
set_path(struct pos pos, const char *s, char *dst, size_t len, int socket)
{
	if (s[0] != '/') {
		perr(pos, "\"%s\": not an absolute path", s);
		return;
	}
	if (socket && strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		perr(pos, "\"%s\": too long for a socket path", s);
		return;
	}
	if (strlcpy(dst, s, len) >= len)
		perr(pos, "\"%s\": path too long", s);
}

static void
listen_add(struct pos pos, const char *s, int64_t port)
{
	struct sockaddr_storage	 ss[2];
	struct listen_conf	*l;
	int			 i, n = 1;

	if (get_addr(pos, s, port, AF_INET, &ss[0]) == -1)
		return;
	if (strcmp(s, "*") == 0) {
		get_addr(pos, s, port, AF_INET6, &ss[1]);
		n = 2;
	}
	for (i = 0; i < n; i++) {
		TAILQ_FOREACH(l, &conf->listens, entry)
			if (sa_same(&l->ss, &ss[i]))
				break;
		if (l != NULL) {
			perr(pos, "listen on %s given twice", sa_str(&ss[i]));
			continue;
		}
		if ((l = calloc(1, sizeof(*l))) == NULL) {
			fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
			exit(1);
		}
		l->ss = ss[i];
		TAILQ_INSERT_TAIL(&conf->listens, l, entry);
	}
}

/*
 * metrics listen on ADDRESS port PORT: an address literal and a port,
 * both required (no well-known port; "*" would publish the counters of
 * every zone to the world by accident).
 */
static void
metrics_add(struct pos pos, const char *s, int64_t port)
{
	struct sockaddr_storage	 ss;
	struct listen_conf	*l;

	if (strcmp(s, "*") == 0) {
		perr(pos, "metrics listen on: \"*\" is for listen on only; "
		    "give an address (127.0.0.1 or ::1 to keep it local)");
		return;
	}
	if (port == -1) {
		perr(pos, "metrics listen on %s: a port is required", s);
		return;
	}
	if (get_addr(pos, s, port, AF_UNSPEC, &ss) == -1)
		return;
	TAILQ_FOREACH(l, &conf->metrics, entry)
		if (sa_same(&l->ss, &ss))
			break;
	if (l == NULL)
		TAILQ_FOREACH(l, &conf->listens, entry)
			if (sa_same(&l->ss, &ss))
				break;
	if (l != NULL) {
		perr(pos, "metrics listen on %s: given twice, or as listen on",
		    sa_str(&ss));
		return;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	l->ss = ss;
	TAILQ_INSERT_TAIL(&conf->metrics, l, entry);
}

static void
resolver_set(struct pos pos, const char *s, int64_t port)
{
	if (seen & SEEN_RESOLVER)
		perr(pos, "resolver given twice");
	seen |= SEEN_RESOLVER;
	if (strcmp(s, "*") == 0) {
		perr(pos, "resolver: \"*\" is for listen on only");
		return;
	}
	if (get_addr(pos, s, port, 0, &conf->resolver) == 0)
		conf->has_resolver = 1;
}

/*
 * tsig key "name" { ... }: the key is built aside and joins the list at
 * the closing brace if it is complete.
 */
static void
key_begin(struct pos pos, const char *name)
{
	if (curkey != NULL)	/* left by a syntax error */
		freezero(curkey, sizeof(*curkey));
	if ((curkey = calloc(1, sizeof(*curkey))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	curkeypos = pos;
	curkeyalg = curkeysecret = 0;
	if (dname_normalize(name, curkey->name, sizeof(curkey->name)) == -1) {
		perr(pos, "bad tsig key name \"%s\": labels of 1..63 "
		    "letters, digits, '-' or '_', 253 characters at most",
		    name);
		curkey->name[0] = '\0';
	} else if (config_key(conf, curkey->name) != NULL)
		perr(pos, "tsig key \"%s\" defined twice", curkey->name);
}

static void
key_algorithm(struct pos pos, const char *s)
{
	int	 alg;

	if (curkeyalg)
		perr(pos, "tsig key \"%s\": algorithm given twice",
		    curkey->name);
	curkeyalg = 1;
	if ((alg = tsig_alg_byname(s)) == -1) {
		perr(pos, "tsig key \"%s\": unknown algorithm \"%s\" "
		    "(hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, "
		    "hmac-sha384 or hmac-sha512)", curkey->name, s);
		return;
	}
	curkey->alg = alg;
}

static void
key_secret(struct pos pos, char *s)
{
	int	 n;

	if (curkeysecret)
		perr(pos, "tsig key \"%s\": secret given twice",
		    curkey->name);
	curkeysecret = 1;
	if (s[0] == '\0') {
		perr(pos, "tsig key \"%s\": empty secret", curkey->name);
		return;
	}
	n = b64_decode(s, curkey->secret, sizeof(curkey->secret));
	if (n == -2)
		perr(pos, "tsig key \"%s\": secret longer than %d bytes",
		    curkey->name, SECD_TSIG_SECRET_MAX);
	else if (n == -1)
		perr(pos, "tsig key \"%s\": secret is not valid base64",
		    curkey->name);
	else if (n == 0)
		perr(pos, "tsig key \"%s\": empty secret", curkey->name);
	else {
		curkey->secretlen = n;
		return;
	}
	explicit_bzero(curkey->secret, sizeof(curkey->secret));
}

static void
key_end(void)
{
	if (!curkeyalg)
		perr(curkeypos, "tsig key \"%s\": no algorithm", curkey->name);
	if (!curkeysecret)
		perr(curkeypos, "tsig key \"%s\": no secret", curkey->name);
	/*
	 * A key with errors is kept all the same (the configuration is
	 * refused anyway) so that its uses are not reported as undefined.
	 */
	if (curkey->name[0] != '\0' && config_key(conf, curkey->name) == NULL)
		TAILQ_INSERT_TAIL(&conf->keys, curkey, entry);
	else
		freezero(curkey, sizeof(*curkey));
	curkey = NULL;
}

/*
 * A "tsig" reference: the name normalised into dst, and remembered so
 * that key_check() finds it among the keys at the end (a key may be
 * defined after its use).
 */
static int
key_ref(struct pos pos, const char *name, char *dst, size_t len)
{
	struct keyuse	*u;

	if (dname_normalize(name, dst, len) == -1) {
		perr(pos, "bad tsig key name \"%s\"", name);
		return -1;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	u->pos = pos;
	strlcpy(u->name, dst, sizeof(u->name));
	TAILQ_INSERT_TAIL(&keyuses, u, entry);
	return 0;
}

static void
key_check(void)
{
	struct keyuse	*u;

	TAILQ_FOREACH(u, &keyuses, entry)
		if (config_key(conf, u->name) == NULL)
			perr(u->pos, "tsig key \"%s\" is not defined",
			    u->name);
}

static void
zone_begin(struct pos pos, const char *name)
{
	struct zonedef	*d;

	config_opts_free(curopts);	/* left by a syntax error */
	/* the zone's own proxy set starts from the defaults */
	if ((curopts = config_opts_new()) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	curbase = NULL;
	curzonepos = pos;
	curzonedup = 0;
	curzoneerrors = errors;
	curzoneseen = 0;
	curzoneopts = curzonetmpl = curzoneinherit = curzoneproxy = 0;
	curzonecatalog = 0;
	if (dname_normalize(name, curzonename, sizeof(curzonename)) == -1) {
		perr(pos, "bad zone name \"%s\": labels of 1..63 letters, "
		    "digits, '-', '_' or '/', 253 characters at most", name);
		strlcpy(curzonename, name, sizeof(curzonename));
		curzonedup = 1;
	} else if ((d = zonedef_find(curzonename)) != NULL) {
		perr(pos, "zone %s defined twice (first at %s:%d)",
		    curzonename, d->pos.file, d->pos.line);
		curzonedup = 1;
	} else
		zonedef_add(curzonename, pos);
	snprintf(curzonelabel, sizeof(curzonelabel), "zone %s", curzonename);
}

/*
 * template "name" in a zone: the zone starts as a copy of the template.
 * Its own primary, allow notify and proxy then replace the template's as
 * a whole, its transfer limits one by one (secd.conf(5)).
 */
static void
zone_template(struct pos kpos, struct pos npos, const char *name)
{
	struct template	*t;

	if (curzonetmpl) {
		perr(kpos, "%s: template given twice", curzonelabel);
		return;
	}
	curzonetmpl = 1;
	if (curzoneopts > 0) {
		perr(kpos, "%s: template must be the first option of the "
		    "zone", curzonelabel);
		return;
	}
	if ((t = template_find(name)) == NULL) {
		perr(npos, "%s: template \"%s\" is not defined (a template "
		    "is defined before the zones that use it)", curzonelabel,
		    name);
		return;
	}
	zone_opts_copy(curopts, t->opts);
	curbase = t->opts;
	curzoneinherit = INHERIT_ALL;
}

/*
 * catalog template "name" in a zone: the zone is a catalog zone (RFC
 * 9432) whose members are zones of the template "name", or of the one
 * their group property names (shared/catalog.c).
 */
static void
zone_catalog(struct pos kpos, struct pos npos, const char *name)
{
	struct template	*t;

	if (curopts->catalog != 0 || curzonecatalog) {
		perr(kpos, "%s: catalog given twice", curzonelabel);
		return;
	}
	curzonecatalog = 1;
	if ((t = template_find(name)) == NULL) {
		perr(npos, "%s: template \"%s\" is not defined (a template "
		    "is defined before the zones that use it)", curzonelabel,
		    name);
		return;
	}
	curopts->catalog = t->opts->id + 1;
}

static void
zone_primary(struct pos pos, const char *addr, int64_t port,
    struct pos kpos, const char *key)
{
	struct primary_conf	*p, *q;

	/* the zone's first primary replaces the template's list */
	if (curzoneinherit & INHERIT_PRIMARIES) {
		config_peers_free(&curopts->primaries);
		curzoneinherit &= ~INHERIT_PRIMARIES;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	if (strcmp(addr, "*") == 0) {
		perr(pos, "primary: \"*\" is for listen on only");
		free(p);
		return;
	}
	if (get_addr(pos, addr, port, 0, &p->ss) == -1 ||
	    (key != NULL && key_ref(kpos, key, p->tsig, sizeof(p->tsig)) ==
	    -1)) {
		free(p);
		return;
	}
	TAILQ_FOREACH(q, &curopts->primaries, entry)
		if (sa_same(&q->ss, &p->ss)) {
			perr(pos, "%s: primary %s given twice",
			    curzonelabel, sa_str(&p->ss));
			free(p);
			return;
		}
	TAILQ_INSERT_TAIL(&curopts->primaries, p, entry);
}

static void
zone_notify(struct pos pos, const char *addr, struct pos kpos,
    const char *key)
{
	struct notify_acl	*n, *m;

	/* the zone's first allow notify replaces the template's list */
	if (curzoneinherit & INHERIT_NOTIFIES) {
		while ((n = TAILQ_FIRST(&curopts->notifies)) != NULL) {
			TAILQ_REMOVE(&curopts->notifies, n, entry);
			free(n);
		}
		curzoneinherit &= ~INHERIT_NOTIFIES;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	if (strcmp(addr, "*") == 0) {
		perr(pos, "allow notify: \"*\" is for listen on only");
		free(n);
		return;
	}
	/* the port of a NOTIFY's source is not checked: keep it 0 */
	if (get_addr(pos, addr, -1, 0, &n->ss) == -1 ||
	    (key != NULL && key_ref(kpos, key, n->tsig, sizeof(n->tsig)) ==
	    -1)) {
		free(n);
		return;
	}
	if (n->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&n->ss)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&n->ss)->sin6_port = 0;
	TAILQ_FOREACH(m, &curopts->notifies, entry)
		if (sa_same(&m->ss, &n->ss) && strcmp(m->tsig, n->tsig) == 0) {
			perr(pos, "%s: allow notify from %s given twice",
			    curzonelabel, addr);
			free(n);
			return;
		}
	TAILQ_INSERT_TAIL(&curopts->notifies, n, entry);
}

/*
 * provide transfer to ADDRESS[/PREFIX] [tsig KEY]: the zone's first
 * replaces the template's list.
 */
static void
zone_xfrout(struct pos pos, const char *net, struct pos kpos,
    const char *key)
{
	struct xfrout_acl	*x, *y;

	if (curzoneinherit & INHERIT_XFROUTS) {
		while ((x = TAILQ_FIRST(&curopts->xfrouts)) != NULL) {
			TAILQ_REMOVE(&curopts->xfrouts, x, entry);
			free(x);
		}
		curzoneinherit &= ~INHERIT_XFROUTS;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	if (config_prefix(net, &x->net) == -1) {
		perr(pos, "provide transfer to: \"%s\" is not an address "
		    "or ADDRESS/PREFIX", net);
		free(x);
		return;
	}
	if (key != NULL && key_ref(kpos, key, x->tsig, sizeof(x->tsig)) ==
	    -1) {
		free(x);
		return;
	}
	TAILQ_FOREACH(y, &curopts->xfrouts, entry)
		if (memcmp(&y->net, &x->net, sizeof(x->net)) == 0) {
			perr(pos, "%s: provide transfer to %s given twice",
			    curzonelabel, net);
			free(x);
			return;
		}
	TAILQ_INSERT_TAIL(&curopts->xfrouts, x, entry);
}

/* notify ADDRESS [port PORT] [tsig KEY]: told of each new serial. */
static void
zone_notifyout(struct pos pos, const char *addr, int64_t port,
    struct pos kpos, const char *key)
{
	struct primary_conf	*p, *q;

	if (curzoneinherit & INHERIT_NOTIFYOUTS) {
		config_peers_free(&curopts->notifyouts);
		curzoneinherit &= ~INHERIT_NOTIFYOUTS;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	if (strcmp(addr, "*") == 0) {
		perr(pos, "notify: \"*\" is for listen on only");
		free(p);
		return;
	}
	if (get_addr(pos, addr, port, 0, &p->ss) == -1 ||
	    (key != NULL && key_ref(kpos, key, p->tsig, sizeof(p->tsig)) ==
	    -1)) {
		free(p);
		return;
	}
	TAILQ_FOREACH(q, &curopts->notifyouts, entry)
		if (sa_same(&q->ss, &p->ss)) {
			perr(pos, "%s: notify %s given twice", curzonelabel,
			    sa_str(&p->ss));
			free(p);
			return;
		}
	TAILQ_INSERT_TAIL(&curopts->notifyouts, p, entry);
}

/* provide transfer max-concurrent|max-per-source N (global) */
static void
xfrout_limit(int *v, const char *name, struct pos pos, int64_t n)
{
	if (n < 1 || n > SECD_XFROUT_MAX)
		perr(pos, "provide transfer %s %lld: 1..%d", name,
		    (long long)n, SECD_XFROUT_MAX);
	else
		*v = n;
}

/* serial policy increment|unixtime [modulo R/M] */
static void
zone_serial(struct pos pos, const char *policy, struct pos mpos,
    const char *mod)
{
	const char	*errstr = NULL;
	char		 buf[32], *slash;
	long long	 r = 0, m = 0;

	if (strcmp(policy, "increment") == 0)
		curopts->serial_policy = SERIAL_INCREMENT;
	else if (strcmp(policy, "unixtime") == 0)
		curopts->serial_policy = SERIAL_UNIXTIME;
	else
		perr(pos, "%s: serial policy \"%s\": increment or unixtime",
		    curzonelabel, policy);
	curopts->serial_mod_r = curopts->serial_mod_m = 0;
	if (mod == NULL)
		return;
	if (strlcpy(buf, mod, sizeof(buf)) < sizeof(buf) &&
	    (slash = strchr(buf, '/')) != NULL) {
		*slash = '\0';
		m = strtonum(slash + 1, 2, SECD_SERIAL_MODMAX, &errstr);
		if (errstr == NULL)
			r = strtonum(buf, 0, m - 1, &errstr);
	}
	if (m == 0 || errstr != NULL) {
		perr(mpos, "%s: serial policy modulo \"%s\": R/M, M from 2 "
		    "to %d, R below M", curzonelabel, mod, SECD_SERIAL_MODMAX);
		return;
	}
	curopts->serial_mod_r = r;
	curopts->serial_mod_m = m;
}

/*
 * The zone joins the configuration.  When its settings are those of its
 * template, or of the zone before it, it shares those: zones from one
 * template, or many blocks alike, hold one copy (secd.conf(5)).
 */
static void
zone_end(void)
{
	struct zone_conf	*z, *prev;
	const struct zone_opts	*o = NULL;

	/* not when a primary line was wrong: that error says it all */
	if (curopts->produce && (!TAILQ_EMPTY(&curopts->primaries) ||
	    curopts->catalog != 0))
		perr(curzonepos, "zone %s: a catalog secd produces has no "
		    "primary and is no catalog of another", curzonename);
	else if (TAILQ_EMPTY(&curopts->primaries) && !curopts->produce &&
	    errors == curzoneerrors)
		perr(curzonepos, "zone %s: no primary", curzonename);
	if (curzonedup) {
		config_opts_free(curopts);
		curopts = NULL;
		return;
	}
	prev = TAILQ_LAST(&conf->zones, zone_confs);
	/* the same settings, and of the same template: the group it is in */
	if (curbase != NULL && config_opts_same(curopts, curbase) &&
	    strcmp(curopts->tmpl, curbase->tmpl) == 0)
		o = curbase;
	else if (prev != NULL && config_opts_same(curopts, prev->opts) &&
	    strcmp(curopts->tmpl, prev->opts->tmpl) == 0)
		o = prev->opts;
	if (o != NULL)
		config_opts_free(curopts);
	else if (config_opts_add(conf, curopts) == -1) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	} else
		o = curopts;
	curopts = NULL;
	if ((z = config_zone_new(curzonename, o)) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	TAILQ_INSERT_TAIL(&conf->zones, z, entry);
}

/* Copies of the peers of src at the end of dst. */
static void
peers_copy(struct primary_confs *dst, const struct primary_confs *src)
{
	const struct primary_conf	*p;
	struct primary_conf		*pc;

	TAILQ_FOREACH(p, src, entry) {
		if ((pc = malloc(sizeof(*pc))) == NULL) {
			fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
			exit(1);
		}
		*pc = *p;
		TAILQ_INSERT_TAIL(dst, pc, entry);
	}
}

/*
 * The settings of src into dst, whose lists are empty: its own copies of
 * the primaries and the notify ACL, which a zone's own lines may replace.
 */
static void
zone_opts_copy(struct zone_opts *dst, const struct zone_opts *src)
{
	const struct notify_acl		*n;
	const struct xfrout_acl		*x;
	struct notify_acl		*nc;
	struct xfrout_acl		*xc;

	dst->has_proxy = src->has_proxy;
	dst->proxy = src->proxy;
	dst->limits = src->limits;
	peers_copy(&dst->primaries, &src->primaries);
	TAILQ_FOREACH(n, &src->notifies, entry) {
		if ((nc = malloc(sizeof(*nc))) == NULL) {
			fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
			exit(1);
		}
		*nc = *n;
		TAILQ_INSERT_TAIL(&dst->notifies, nc, entry);
	}
	TAILQ_FOREACH(x, &src->xfrouts, entry) {
		if ((xc = malloc(sizeof(*xc))) == NULL) {
			fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
			exit(1);
		}
		*xc = *x;
		TAILQ_INSERT_TAIL(&dst->xfrouts, xc, entry);
	}
	peers_copy(&dst->notifyouts, &src->notifyouts);
	dst->serial_policy = src->serial_policy;
	dst->serial_mod_r = src->serial_mod_r;
	dst->serial_mod_m = src->serial_mod_m;
	memcpy(dst->tmpl, src->tmpl, sizeof(dst->tmpl));
}

static const char *
zonedef_key(const void *d)
{
	return ((const struct zonedef *)d)->name;
}

static struct zonedef *
zonedef_find(const char *name)
{
	return nametab_find(&zonedefs, name);
}

/* name (normalised, not yet defined) is defined at pos. */
static void
zonedef_add(const char *name, struct pos pos)
{
	struct zonedef	*d;

	if (zonedefs.key == NULL)
		nametab_init(&zonedefs, zonedef_key);
	if ((d = calloc(1, sizeof(*d) + strlen(name) + 1)) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	d->pos = pos;
	memcpy(d->name, name, strlen(name) + 1);
	if (nametab_add(&zonedefs, d) == -1) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
}

static void
zonedef_clear(void)
{
	size_t	 i;

	for (i = 0; zonedefs.slot != NULL && i <= zonedefs.mask; i++)
		free(zonedefs.slot[i]);
	nametab_free(&zonedefs);
	memset(&zonedefs, 0, sizeof(zonedefs));
}

/*
 * template "name" { ... }: read as a zone block (curopts) whose settings
 * join the configuration and the templates at its closing brace, not the
 * zones.  It need not have a primary: a zone naming it may give its own.
 */
static void
template_begin(struct pos pos, const char *name)
{
	struct template	*t;

	config_opts_free(curopts);	/* left by a syntax error */
	if ((curopts = config_opts_new()) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	curbase = NULL;
	curzonepos = pos;
	curzonedup = 0;
	curzoneerrors = errors;
	curzoneseen = 0;
	curzoneopts = curzonetmpl = curzoneinherit = curzoneproxy = 0;
	curzonecatalog = 0;
	if (name[0] == '\0' || strlen(name) > TEMPLATE_NAMELEN) {
		perr(pos, "bad template name \"%.64s\": 1..64 characters",
		    name);
		curzonedup = 1;
	} else if ((t = template_find(name)) != NULL) {
		perr(pos, "template \"%s\" defined twice (first at %s:%d)",
		    name, t->pos.file, t->pos.line);
		curzonedup = 1;
	}
	strlcpy(curtmplname, name, sizeof(curtmplname));
	strlcpy(curopts->tmpl, name, sizeof(curopts->tmpl));
	snprintf(curzonelabel, sizeof(curzonelabel), "template \"%.64s\"",
	    name);
}

static void
template_end(void)
{
	struct template		*t;
	struct conf_tmpl	*tm;

	if (curzonedup) {
		config_opts_free(curopts);
		curopts = NULL;
		return;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    config_opts_add(conf, curopts) == -1) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	t->pos = curzonepos;
	t->opts = curopts;
	curopts = NULL;
	strlcpy(t->name, curtmplname, sizeof(t->name));
	TAILQ_INSERT_TAIL(&templates, t, entry);
	/* kept by name for the group of catalog members */
	if ((tm = reallocarray(conf->tmpls, conf->ntmpls + 1,
	    sizeof(*tm))) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	conf->tmpls = tm;
	tm += conf->ntmpls++;
	tm->opts = t->opts->id;
	strlcpy(tm->name, t->name, sizeof(tm->name));
}

static struct template *
template_find(const char *name)
{
	struct template	*t;

	TAILQ_FOREACH(t, &templates, entry)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* The templates' settings stay: they are the configuration's. */
static void
template_clear(void)
{
	struct template	*t;
	struct listfile	*lf;

	while ((t = TAILQ_FIRST(&templates)) != NULL) {
		TAILQ_REMOVE(&templates, t, entry);
		free(t);
	}
	while ((lf = TAILQ_FIRST(&listfiles)) != NULL) {
		TAILQ_REMOVE(&listfiles, lf, entry);
		free(lf->path);
		free(lf);
	}
}

/*
 * zones "path" template "name": each line of the file a zone with the
 * template's settings.  A relative path is from the directory of the file
 * that names it, as for include.  Errors in the list are at its path and
 * line; one that cannot be read is at the zones statement.
 */
static void
zone_list(struct pos ppos, const char *lpath, struct pos tpos,
    const char *tname)
{
	struct template	*t;
	struct listfile	*lf;
	struct stat	 st;
	struct pos	 lpos;
	FILE		*f;
	char		 path[PATH_MAX], *line = NULL;
	const char	*slash;
	size_t		 sz = 0;
	ssize_t		 len;
	int		 n;

	if ((t = template_find(tname)) == NULL) {
		perr(tpos, "zones \"%s\": template \"%s\" is not defined (a "
		    "template is defined before the zones that use it)",
		    lpath, tname);
		return;
	}
	if (TAILQ_EMPTY(&t->opts->primaries)) {
		perr(tpos, "zones \"%s\": template \"%s\" has no primary",
		    lpath, tname);
		return;
	}
	if (lpath[0] == '\0') {
		perr(ppos, "zones: empty path");
		return;
	}
	/* as include: a relative path is from the naming file's directory */
	slash = strrchr(file->name, '/');
	if (lpath[0] == '/' || slash == NULL)
		n = snprintf(path, sizeof(path), "%s", lpath);
	else
		n = snprintf(path, sizeof(path), "%.*s/%s",
		    (int)(slash - file->name), file->name, lpath);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		perr(ppos, "zones \"%s\": path too long", lpath);
		return;
	}
	if ((f = fopen(path, "r")) == NULL) {
		perr(ppos, "zones \"%s\": %s", path, strerror(errno));
		return;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode)) {
		perr(ppos, "zones \"%s\": not a regular file", path);
		fclose(f);
		return;
	}
	/* errors name the list until the end of the parse */
	if ((lf = calloc(1, sizeof(*lf))) == NULL ||
	    (lf->path = strdup(path)) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	TAILQ_INSERT_TAIL(&listfiles, lf, entry);
	lpos.file = lf->path;
	lpos.line = 0;
	while ((len = getline(&line, &sz, f)) != -1) {
		lpos.line++;
		zone_list_line(lpos, line, len, t);
	}
	if (ferror(f))
		perr(ppos, "zones \"%s\": read error", path);
	free(line);
	fclose(f);
}

/*
 * One line of a zone list: blank, a comment (# after optional white
 * space), or a zone name with white space around it.
 */
static void
zone_list_line(struct pos pos, char *line, size_t len,
    const struct template *t)
{
	struct zone_conf	*z;
	struct zonedef		*d;
	char			*s, name[SECD_NAMESTRLEN];

	while (len > 0 && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	for (s = line; isspace((unsigned char)*s); s++)
		;
	if (*s == '\0' && s == line + len)
		return;
	if (*s == '#')
		return;
	if (memchr(s, '\0', len - (s - line)) != NULL ||
	    dname_normalize(s, name, sizeof(name)) == -1) {
		perr(pos, "bad zone name \"%.64s\": labels of 1..63 letters, "
		    "digits, '-', '_' or '/', 253 characters at most", s);
		return;
	}
	if ((d = zonedef_find(name)) != NULL) {
		perr(pos, "zone %s defined twice (first at %s:%d)", name,
		    d->pos.file, d->pos.line);
		return;
	}
	/* the template's settings, not a copy: 100,000 zones hold one */
	if ((z = config_zone_new(name, t->opts)) == NULL) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(errno));
		exit(1);
	}
	TAILQ_INSERT_TAIL(&conf->zones, z, entry);
	zonedef_add(name, pos);
}

/* proxy { }: the global set or a zone's, which replaces it. */
static void
proxy_begin(struct pos pos, struct proxy_conf *pc, int *flag)
{
	config_proxy_init(pc);
	if (flag != NULL)
		*flag = 1;
	curproxy = pc;
	curproxypos = pos;
	curproxyttl = 0;
}

static void
proxy_address(struct pos pos, const char *s)
{
	struct in_addr	 in4;
	struct in6_addr	 in6;
	const char	*c;
	int		 i;

	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &in6) != 1) {
			perr(pos, "proxy: bad IPv6 address \"%s\"", s);
			return;
		}
		for (i = 0; i < curproxy->n6; i++)
			if (memcmp(&curproxy->v6[i], &in6, sizeof(in6)) == 0) {
				perr(pos, "proxy: address %s given twice", s);
				return;
			}
		if (curproxy->n6 >= SECD_PROXY_MAX) {
			perr(pos, "proxy: more than %d IPv6 addresses",
			    SECD_PROXY_MAX);
			return;
		}
		curproxy->v6[curproxy->n6++] = in6;
		return;
	}
	for (c = s; *c != '\0'; c++)
		if (!isdigit((unsigned char)*c) && *c != '.')
			break;
	if (*c != '\0' || *s == '\0') {
		perr(pos, "proxy: \"%s\" is not an IPv4 or IPv6 address", s);
		return;
	}
	if (inet_pton(AF_INET, s, &in4) != 1) {
		perr(pos, "proxy: bad IPv4 address \"%s\"", s);
		return;
	}
	for (i = 0; i < curproxy->n4; i++)
		if (curproxy->v4[i].s_addr == in4.s_addr) {
			perr(pos, "proxy: address %s given twice", s);
			return;
		}
	if (curproxy->n4 >= SECD_PROXY_MAX) {
		perr(pos, "proxy: more than %d IPv4 addresses",
		    SECD_PROXY_MAX);
		return;
	}
	curproxy->v4[curproxy->n4++] = in4;
}

static void
proxy_ttl(struct pos pos, int64_t ttl)
{
	if (curproxyttl)
		perr(pos, "proxy: ttl given twice");
	curproxyttl = 1;
	if (ttl < 0 || ttl > SECD_TTL_MAX) {
		perr(pos, "proxy: ttl %lld out of range 0..%d",
		    (long long)ttl, SECD_TTL_MAX);
		return;
	}
	curproxy->ttl = ttl;
}

static void
proxy_end(void)
{
	if (curproxy->n4 == 0 && curproxy->n6 == 0)
		perr(curproxypos, "proxy: no address");
	curproxy = NULL;
}

/*
 * transfer WORD VALUE, globally (o NULL) or in a zone or template (o).
 * kw is the token of WORD; the value is n, or the string s ("4G") when s
 * is not NULL.  A zone's limits stay 0 ("the global value") unless given
 * and in range.
 */
static void
xfr_limit(struct zone_opts *o, struct pos kpos, int kw, struct pos vpos,
    int64_t n, const char *s)
{
	struct xfr_limits	*lim;
	char			 num[32], zone[sizeof(curzonelabel) + 2];
	const char		*name;
	int64_t			 max;
	int			*seenp, bit;

	switch (kw) {
	case TIMEOUT:
		name = "timeout";
		max = XFR_TIMEOUT_MAX;
		bit = SEEN_XFR_TIMEOUT;
		break;
	case MAXRECORDS:
		name = "max-records";
		max = XFR_RECORDS_MAX;
		bit = SEEN_XFR_RECORDS;
		break;
	case MAXBYTES:
		name = "max-bytes";
		max = XFR_BYTES_MAX;
		bit = SEEN_XFR_BYTES;
		break;
	default:
		name = "max-concurrent";
		max = SECD_XFR_CONCURRENT_MAX;
		bit = SEEN_XFR_CONCURRENT;
		break;
	}
	zone[0] = '\0';
	if (o != NULL)
		snprintf(zone, sizeof(zone), "%s: ", curzonelabel);
	if (o != NULL && kw == MAXCONCURRENT) {
		perr(kpos, "%stransfer max-concurrent is global only", zone);
		return;
	}
	seenp = o != NULL ? &curzoneseen : &seen;
	if (*seenp & bit)
		perr(kpos, "%stransfer %s given twice", zone, name);
	*seenp |= bit;

	if (s != NULL && get_scaled(s, &n) == -1) {
		perr(vpos, "%stransfer %s \"%s\": not a number of bytes "
		    "(digits, then optionally K, M or G)", zone, name, s);
		return;
	}
	if (s == NULL) {
		snprintf(num, sizeof(num), "%lld", (long long)n);
		s = num;
	}
	if (n < 1 || n > max) {
		perr(vpos, "%stransfer %s %s: out of range 1..%lld", zone,
		    name, s, (long long)max);
		return;
	}

	lim = o != NULL ? &o->limits : &conf->limits;
	if (kw == TIMEOUT)
		lim->timeout = n;
	else if (kw == MAXRECORDS)
		lim->max_records = n;
	else if (kw == MAXBYTES)
		lim->max_bytes = n;
	else
		conf->max_transfers = n;
}

/* tcp WORD NUMBER (global only); kw is the token of WORD. */
static void
tcp_limit(struct pos kpos, int kw, struct pos vpos, int64_t n)
{
	const char	*name;
	uint32_t	*val;
	int64_t		 max = TCP_CONNS_MAX;
	int		 bit;

	switch (kw) {
	case IDLETIMEOUT:
		name = "idle-timeout";
		val = &conf->tcp.idle_timeout;
		max = TCP_TIMEOUT_MAX;
		bit = SEEN_TCP_IDLE;
		break;
	case IOTIMEOUT:
		name = "io-timeout";
		val = &conf->tcp.io_timeout;
		max = TCP_TIMEOUT_MAX;
		bit = SEEN_TCP_IO;
		break;
	case MAXCONNECTIONS:
		name = "max-connections";
		val = &conf->tcp.max_conns;
		bit = SEEN_TCP_CONNS;
		break;
	default:
		name = "max-per-source";
		val = &conf->tcp.max_per_source;
		bit = SEEN_TCP_PER_SOURCE;
		break;
	}
	if (seen & bit)
		perr(kpos, "tcp %s given twice", name);
	seen |= bit;
	if (n < 1 || n > max) {
		perr(vpos, "tcp %s %lld: out of range 1..%lld", name,
		    (long long)n, (long long)max);
		return;
	}
	*val = n;
}

/*
 * Digits, then optionally K, M or G (either case) for 2^10, 2^20 or 2^30:
 * "512M".  Returns 0 and the value in *n, INT64_MAX if it is larger; -1 if
 * s is not written that way.
 */
static int
get_scaled(const char *s, int64_t *n)
{
	const char	*c;
	int64_t		 v = 0;
	int		 shift = 0;

	for (c = s; isdigit((unsigned char)*c); c++) {
		if (v > (INT64_MAX - 9) / 10)
			v = INT64_MAX;
		else
			v = v * 10 + (*c - '0');
	}
	if (c == s)
		return -1;
	switch (*c) {
	case '\0':
		break;
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	default:
		return -1;
	}
	if (*c != '\0' && c[1] != '\0')
		return -1;
	if (v > INT64_MAX >> shift)
		v = INT64_MAX;
	else
		v <<= shift;
	*n = v;
	return 0;
}

static int
sa_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in	*a4, *b4;
	const struct sockaddr_in6	*a6, *b6;

	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		a4 = (const struct sockaddr_in *)a;
		b4 = (const struct sockaddr_in *)b;
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	a6 = (const struct sockaddr_in6 *)a;
	b6 = (const struct sockaddr_in6 *)b;
	return a6->sin6_port == b6->sin6_port &&
	    memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr)) == 0;
}

/* rate-limit { WORD NUMBER }: each once, in its range. */
static void
rrl_number(struct pos kpos, int kw, struct pos vpos, int64_t n)
{
	const char	*name;
	int64_t		 min = 0, max;
	uint32_t	*v;

	switch (kw) {
	case RESPONSES:
		name = "responses";
		max = SECD_RRL_RESPONSES_MAX;
		v = &conf->rrl.responses;
		break;
	case SLIP:
		name = "slip";
		max = SECD_RRL_SLIP_MAX;
		v = &conf->rrl.slip;
		break;
	case IPV4PREFIX:
		name = "ipv4-prefix";
		min = 8;
		max = 32;
		v = &conf->rrl.v4_prefix;
		break;
	case IPV6PREFIX:
		name = "ipv6-prefix";
		min = 16;
		max = 128;
		v = &conf->rrl.v6_prefix;
		break;
	default:
		name = "table-size";
		min = SECD_RRL_SIZE_MIN;
		max = SECD_RRL_SIZE_MAX;
		v = &conf->rrl.size;
		break;
	}
	if (rrlseen & (1 << (kw & 0x1f)))
		perr(kpos, "rate-limit: %s given twice", name);
	rrlseen |= 1 << (kw & 0x1f);
	if (n < min || n > max) {
		perr(vpos, "rate-limit: %s %lld out of range %lld..%lld",
		    name, (long long)n, (long long)min, (long long)max);
		return;
	}
	*v = n;
}

/* rate-limit { exempt ADDRESS[/LENGTH] } */
static void
rrl_exempt(struct pos pos, const char *s)
{
	struct net_prefix	 p;

	/* the first one given replaces the default list; "none" empties it */
	if (!rrlexempt)
		conf->rrl.nexempt = 0;
	rrlexempt = 1;
	if (strcmp(s, "none") == 0)
		return;
	if (config_prefix(s, &p) == -1) {
		perr(pos, "rate-limit: exempt \"%s\": not an address or "
		    "address/length", s);
		return;
	}
	if (conf->rrl.nexempt >= SECD_RRL_EXEMPT_MAX) {
		perr(pos, "rate-limit: more than %d exempt prefixes",
		    SECD_RRL_EXEMPT_MAX);
		return;
	}
	conf->rrl.exempt[conf->rrl.nexempt++] = p;
}

/* cookie { secret HEX; previous HEX }: 128 bits each (RFC 9018). */
static void
cookie_secret(struct pos pos, const char *s, int previous)
{
	const char	*name = previous ? "previous" : "secret";
	uint8_t		*dst;

	if (cookieseen & (previous ? 2 : 1))
		perr(pos, "cookie: %s given twice", name);
	cookieseen |= previous ? 2 : 1;
	dst = previous ? conf->cookie.previous : conf->cookie.secret;
	if (config_hex(s, dst, SECD_COOKIE_SECRETLEN) == -1) {
		perr(pos, "cookie: %s is not %d hexadecimal digits",
		    name, SECD_COOKIE_SECRETLEN * 2);
		return;
	}
	if (previous)
		conf->cookie.has_previous = 1;
	else
		conf->cookie.configured = 1;
}

static void
cookie_end(struct pos pos)
{
	if (!(cookieseen & 1))
		perr(pos, "cookie: no secret");
}
