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
 * Overrides: NAME.over, its format in override.h (their merge with the
 * transferred records is merge.c's).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fnv.h"
#include "log.h"
#include "override.h"
#include "store.h"
#include "zoned.h"

#define OVER_LINE_MAX	(2 * DNS_MAXNAME * 4 + OVER_SOURCE_MAX + 64)

static int	over_parse(struct overrides *, char *, char *, size_t);
static int	over_parse_apex(struct overrides *, char *, char *, size_t);
static int	over_time(const char *, int64_t *);
static void	over_write_apex(FILE *, const struct apex_cname *);

void
over_free(struct overrides *o)
{
	free(o->v);
	free(o->idx);
	memset(o, 0, sizeof(*o));
}

/* The slot of owner in o->idx: its entry, or the empty one it goes to. */
static uint32_t
over_slot(const struct overrides *o, const uint8_t *owner, size_t len)
{
	const struct override	*v;
	uint32_t		 h;

	h = fnv_add_lower(FNV_BASIS, owner, len) & o->idxmask;
	for (; o->idx[h] != 0; h = (h + 1) & o->idxmask) {
		v = &o->v[o->idx[h] - 1];
		if (dns_name_equal(v->owner, v->ownerlen, owner, len))
			break;
	}
	return h;
}

/* o->idx with room for one more at most half full. */
static int
over_reindex(struct overrides *o)
{
	uint32_t	*old = o->idx, n, i;

	if (o->idx != NULL && (o->n + 1) * 2 <= (size_t)o->idxmask + 1)
		return 0;
	for (n = 64; n < (o->n + 1) * 2; n <<= 1)
		;
	if ((o->idx = calloc(n, sizeof(*o->idx))) == NULL) {
		o->idx = old;
		return -1;
	}
	free(old);
	o->idxmask = n - 1;
	for (i = 0; i < o->n; i++)
		o->idx[over_slot(o, o->v[i].owner, o->v[i].ownerlen)] = i + 1;
	return 0;
}

struct override *
over_find(const struct overrides *o, const uint8_t *owner, size_t len)
{
	uint32_t	 h;

	if (o->idx == NULL)
		return NULL;
	h = over_slot(o, owner, len);
	return o->idx[h] ? &o->v[o->idx[h] - 1] : NULL;
}

/* Record a change of owner (any case) now, by source.  -1: no memory. */
int
over_set(struct overrides *o, const uint8_t *owner, size_t len, int proxied,
    const char *source)
{
	struct override	*v;

	if ((v = over_find(o, owner, len)) == NULL) {
		if (over_reindex(o) == -1)
			return -1;
		if (o->n == o->cap) {
			v = recallocarray(o->v, o->cap, o->cap ? o->cap * 2 :
			    16, sizeof(*v));
			if (v == NULL)
				return -1;
			o->v = v;
			o->cap = o->cap ? o->cap * 2 : 16;
		}
		v = &o->v[o->n++];
		memset(v, 0, sizeof(*v));
		memcpy(v->owner, owner, len);
		v->ownerlen = len;
		dns_name_lower(v->owner, len);
		o->idx[over_slot(o, v->owner, len)] = o->n;
	}
	v->proxied = proxied;
	v->when = time(NULL);
	strlcpy(v->source, source, sizeof(v->source));
	return 0;
}

/* One line of NAME.over into o; -1 with the reason in err. */
static int
over_parse(struct overrides *o, char *line, char *err, size_t errlen)
{
	struct override	*v;
	char		*what, *flag, *owner, *when, *source;
	uint8_t		 wire[DNS_MAXNAME];
	size_t		 len;
	int64_t		 t;

	what = strsep(&line, " ");
	if (what != NULL && strcmp(what, "apex") == 0)
		return over_parse_apex(o, line, err, errlen);
	flag = strsep(&line, " ");
	owner = strsep(&line, " ");
	when = strsep(&line, " ");
	source = line;
	if (what == NULL || strcmp(what, "proxy") != 0) {
		snprintf(err, errlen, "unknown override \"%s\"",
		    what ? what : "");
		return -1;
	}
	if (flag == NULL || (strcmp(flag, "on") != 0 &&
	    strcmp(flag, "off") != 0) || owner == NULL || when == NULL ||
	    source == NULL) {
		snprintf(err, errlen, "proxy: expected on|off OWNER WHEN "
		    "SOURCE");
		return -1;
	}
	if (dns_name_from_text(owner, wire, &len) == -1) {
		snprintf(err, errlen, "proxy: bad owner \"%s\"", owner);
		return -1;
	}
	if (over_time(when, &t) == -1) {
		snprintf(err, errlen, "proxy %s: bad time \"%s\"", owner,
		    when);
		return -1;
	}
	if (over_find(o, wire, len) != NULL) {
		snprintf(err, errlen, "proxy %s: given twice", owner);
		return -1;
	}
	if (over_set(o, wire, len, strcmp(flag, "on") == 0, source) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	v = &o->v[o->n - 1];
	v->when = t;
	return 0;
}

static int
over_time(const char *s, int64_t *t)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < 0)
		return -1;
	*t = v;
	return 0;
}

/*
 * "apex cname TARGET proxied|flattened WHEN SOURCE" or "apex resolved
 * NAME WHEN TTL ADDRESS..." (line: what follows "apex ").
 */
static int
over_parse_apex(struct overrides *o, char *line, char *err, size_t errlen)
{
	struct apex_cname *a = &o->apex;
	struct proxy_conf *pc = &a->raddrs;
	char		*what, *name, *mode, *when, *ttl, *addr, *end;
	uint8_t		 wire[DNS_MAXNAME];
	size_t		 len;
	unsigned long	 v;

	what = strsep(&line, " ");
	name = strsep(&line, " ");
	if (what == NULL || name == NULL ||
	    dns_name_from_text(name, wire, &len) == -1) {
		snprintf(err, errlen, "apex: expected cname|resolved NAME");
		return -1;
	}
	dns_name_lower(wire, len);
	if (strcmp(what, "cname") == 0) {
		mode = strsep(&line, " ");
		when = strsep(&line, " ");
		if (a->set || mode == NULL || (strcmp(mode, "proxied") != 0 &&
		    strcmp(mode, "flattened") != 0) || when == NULL ||
		    line == NULL || over_time(when, &a->when) == -1) {
			snprintf(err, errlen, "apex cname: expected once "
			    "TARGET proxied|flattened WHEN SOURCE");
			return -1;
		}
		a->set = 1;
		memcpy(a->target, wire, len);
		a->targetlen = len;
		a->proxied = strcmp(mode, "proxied") == 0;
		strlcpy(a->source, line, sizeof(a->source));
		return 0;
	}
	when = strsep(&line, " ");
	ttl = strsep(&line, " ");
	if (strcmp(what, "resolved") != 0 || a->rnamelen != 0 || !a->set ||
	    when == NULL || over_time(when, &a->rwhen) == -1 || ttl == NULL) {
		snprintf(err, errlen, "apex resolved: expected once, after "
		    "apex cname, NAME WHEN TTL ADDRESS...");
		return -1;
	}
	errno = 0;
	v = strtoul(ttl, &end, 10);
	if (errno != 0 || *end != '\0' || end == ttl || v > INT32_MAX) {
		snprintf(err, errlen, "apex resolved: bad TTL \"%s\"", ttl);
		return -1;
	}
	memcpy(a->rname, wire, len);
	a->rnamelen = len;
	pc->ttl = v;
	while ((addr = strsep(&line, " ")) != NULL) {
		if (pc->n4 < SECD_PROXY_MAX &&
		    inet_pton(AF_INET, addr, &pc->v4[pc->n4]) == 1)
			pc->n4++;
		else if (pc->n6 < SECD_PROXY_MAX &&
		    inet_pton(AF_INET6, addr, &pc->v6[pc->n6]) == 1)
			pc->n6++;
		else {
			snprintf(err, errlen, "apex resolved: bad or too "
			    "many addresses at \"%s\"", addr);
			return -1;
		}
	}
	return 0;
}

/* NAME.over into o (empty when there is none); -1 with the reason. */
int
over_load(const char *zone, struct overrides *o, char *err, size_t errlen)
{
	char		 path[PATH_MAX], why[SECD_MSGLEN];
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	FILE		*f;
	int		 lineno = 0, rv = 0;

	memset(o, 0, sizeof(*o));
	if (store_path(zone, ".over", path, sizeof(path)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n != strlen(line) || n > OVER_LINE_MAX) {
			snprintf(why, sizeof(why), "bad line");
			rv = -1;
		} else if (lineno == 1) {
			if (strcmp(line, OVER_MAGIC) != 0) {
				snprintf(why, sizeof(why), "not \"%s\"",
				    OVER_MAGIC);
				rv = -1;
			}
		} else
			rv = over_parse(o, line, why, sizeof(why));
		if (rv == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			break;
		}
	}
	if (rv == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rv = -1;
	} else if (rv == 0 && lineno == 0) {
		snprintf(err, errlen, "%s: empty", path);
		rv = -1;
	}
	free(line);
	fclose(f);
	if (rv == -1)
		over_free(o);
	return rv;
}

/* o into NAME.over.tmp, durably; over_commit() puts it in place. */
int
over_write(const char *zone, const struct overrides *o, char *err,
    size_t errlen)
{
	char		 tmp[PATH_MAX], owner[DNS_MAXNAME * 4 + 2];
	const struct override *v;
	size_t		 i;
	FILE		*f;
	int		 fd;

	if (store_path(zone, ".over.tmp", tmp, sizeof(tmp)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fprintf(f, "%s\n", OVER_MAGIC);
	for (i = 0; i < o->n; i++) {
		v = &o->v[i];
		if (dns_name_to_text(v->owner, v->ownerlen, owner,
		    sizeof(owner)) == -1)
			strlcpy(owner, ".", sizeof(owner));
		fprintf(f, "proxy %s %s %lld %s\n", v->proxied ? "on" : "off",
		    owner, (long long)v->when, v->source);
	}
	if (o->apex.set)
		over_write_apex(f, &o->apex);
	if (fflush(f) == EOF || fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) == EOF) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
over_write_apex(FILE *f, const struct apex_cname *a)
{
	char	 name[DNS_MAXNAME * 4 + 2], addr[INET6_ADDRSTRLEN];
	int	 i;

	if (dns_name_to_text(a->target, a->targetlen, name,
	    sizeof(name)) == -1)
		strlcpy(name, ".", sizeof(name));
	fprintf(f, "apex cname %s %s %lld %s\n", name, a->proxied ?
	    "proxied" : "flattened", (long long)a->when, a->source);
	if (a->rnamelen == 0)
		return;
	if (dns_name_to_text(a->rname, a->rnamelen, name, sizeof(name)) == -1)
		strlcpy(name, ".", sizeof(name));
	fprintf(f, "apex resolved %s %lld %u", name, (long long)a->rwhen,
	    a->raddrs.ttl);
	for (i = 0; i < a->raddrs.n4; i++)
		fprintf(f, " %s", inet_ntop(AF_INET, &a->raddrs.v4[i], addr,
		    sizeof(addr)));
	for (i = 0; i < a->raddrs.n6; i++)
		fprintf(f, " %s", inet_ntop(AF_INET6, &a->raddrs.v6[i], addr,
		    sizeof(addr)));
	fprintf(f, "\n");
}

int
over_commit(const char *zone, char *err, size_t errlen)
{
	char	 tmp[PATH_MAX], path[PATH_MAX];

	if (store_path(zone, ".over.tmp", tmp, sizeof(tmp)) == -1 ||
	    store_path(zone, ".over", path, sizeof(path)) == -1 ||
	    store_commit(tmp, path, 1) == -1) {
		snprintf(err, errlen, "cannot commit the overrides: %s",
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
