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
 * The configuration outside the grammar: its defaults (all of them, here),
 * freeing, printing it back as secd.conf(5), and the small helpers the
 * processes use on it (lookups, names of algorithms and addresses, base64).
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "nametab.h"
#include "secd.h"

static void	print_proxy(FILE *, const struct proxy_conf *, const char *);
static void	print_opts(FILE *, const struct secd_conf *,
		    const struct zone_opts *);
static void	print_limits(FILE *, const struct xfr_limits *, const char *);
static void	print_addr(FILE *, const struct sockaddr_storage *, int);
static int	b64_value(int);
static const char *config_zkey(const void *);

static const char *tsig_algs[TSIG_ALG_MAX] = {
	[TSIG_HMAC_MD5] =	"hmac-md5",
	[TSIG_HMAC_SHA1] =	"hmac-sha1",
	[TSIG_HMAC_SHA224] =	"hmac-sha224",
	[TSIG_HMAC_SHA256] =	"hmac-sha256",
	[TSIG_HMAC_SHA384] =	"hmac-sha384",
	[TSIG_HMAC_SHA512] =	"hmac-sha512",
};

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * Every default of secd.conf(5) is set here and nowhere else; secd.conf.5
 * documents the same values.  The listen default (0.0.0.0 and :: port 53)
 * is added by the parser only when the file has no listen line.
 */
struct secd_conf *
config_new(void)
{
	struct secd_conf	*conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return NULL;
	strlcpy(conf->user, SECD_USER, sizeof(conf->user));
	strlcpy(conf->database, SECD_DBDIR, sizeof(conf->database));
	strlcpy(conf->control, SECD_SOCKET, sizeof(conf->control));
	conf->servers = 0;		/* one per CPU, resolved by the parent */
	conf->has_resolver = 0;
	config_proxy_init(&conf->proxy);
	conf->limits.timeout = SECD_XFR_TIMEOUT;
	conf->limits.max_records = SECD_XFR_MAXRECORDS;
	conf->limits.max_bytes = SECD_XFR_MAXBYTES;
	conf->max_transfers = SECD_XFR_CONCURRENT;
	conf->xfrout_max = SECD_XFROUT_CONCURRENT;
	conf->xfrout_per_source = SECD_XFROUT_PER_SOURCE;
	conf->tcp.idle_timeout = SECD_TCP_IDLE;
	conf->tcp.io_timeout = SECD_TCP_IO;
	conf->tcp.max_conns = SECD_TCP_CONNS;
	conf->tcp.max_per_source = SECD_TCP_PER_SOURCE;
	conf->has_rrl = 1;
	config_rrl_init(&conf->rrl);
	TAILQ_INIT(&conf->listens);
	TAILQ_INIT(&conf->metrics);
	TAILQ_INIT(&conf->keys);
	TAILQ_INIT(&conf->zones);
	return conf;
}

/* A proxy set before its block is read: no address, the default TTL. */
void
config_proxy_init(struct proxy_conf *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->ttl = SECD_PROXY_TTL;
}

void
config_free(struct secd_conf *conf)
{
	struct listen_conf	*l;
	struct tsig_key		*k;
	struct zone_conf	*z;
	size_t			 i;

	if (conf == NULL)
		return;
	nametab_free(&conf->zindex);
	while ((l = TAILQ_FIRST(&conf->listens)) != NULL) {
		TAILQ_REMOVE(&conf->listens, l, entry);
		free(l);
	}
	while ((l = TAILQ_FIRST(&conf->metrics)) != NULL) {
		TAILQ_REMOVE(&conf->metrics, l, entry);
		free(l);
	}
	while ((k = TAILQ_FIRST(&conf->keys)) != NULL) {
		TAILQ_REMOVE(&conf->keys, k, entry);
		freezero(k, sizeof(*k));
	}
	while ((z = TAILQ_FIRST(&conf->zones)) != NULL) {
		TAILQ_REMOVE(&conf->zones, z, entry);
		free(z);
	}
	for (i = 0; i < conf->nopts; i++)
		config_opts_free(conf->opts[i]);
	free(conf->opts);
	free(conf->tmpls);
	free(conf);
}

/* Empty settings: no primary, no allow notify, the default proxy set. */
struct zone_opts *
config_opts_new(void)
{
	struct zone_opts	*o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	config_proxy_init(&o->proxy);
	TAILQ_INIT(&o->primaries);
	TAILQ_INIT(&o->notifies);
	TAILQ_INIT(&o->xfrouts);
	TAILQ_INIT(&o->notifyouts);
	return o;
}

/* Settings that are not in a configuration, or all of one's (config_free). */
void
config_opts_free(struct zone_opts *o)
{
	struct notify_acl	*n;
	struct xfrout_acl	*x;

	if (o == NULL)
		return;
	config_peers_free(&o->primaries);
	config_peers_free(&o->notifyouts);
	while ((n = TAILQ_FIRST(&o->notifies)) != NULL) {
		TAILQ_REMOVE(&o->notifies, n, entry);
		free(n);
	}
	while ((x = TAILQ_FIRST(&o->xfrouts)) != NULL) {
		TAILQ_REMOVE(&o->xfrouts, x, entry);
		free(x);
	}
	free(o);
}

/*
 * o joins conf, which frees it from then on; its id is its index, the
 * one IMSG_RECONF_ZONE names.  -1 when out of memory (o is still the
 * caller's).
 */
int
config_opts_add(struct secd_conf *conf, struct zone_opts *o)
{
	struct zone_opts	**v;
	size_t			  cap;

	if (conf->nopts >= UINT32_MAX)
		return -1;
	if (conf->nopts == conf->optscap) {
		cap = conf->optscap ? conf->optscap * 2 : 16;
		if ((v = recallocarray(conf->opts, conf->optscap, cap,
		    sizeof(*v))) == NULL)
			return -1;
		conf->opts = v;
		conf->optscap = cap;
	}
	o->id = conf->nopts;
	conf->opts[conf->nopts++] = o;
	return 0;
}

/* Free a list of peers (primaries, notify targets). */
void
config_peers_free(struct primary_confs *l)
{
	struct primary_conf	*p;

	while ((p = TAILQ_FIRST(l)) != NULL) {
		TAILQ_REMOVE(l, p, entry);
		free(p);
	}
}

/* 1 if the lists of peers a and b are the same, in the same order. */
static int
peers_same(const struct primary_confs *a, const struct primary_confs *b)
{
	const struct primary_conf	*pa, *pb;

	for (pa = TAILQ_FIRST(a), pb = TAILQ_FIRST(b);
	    pa != NULL && pb != NULL;
	    pa = TAILQ_NEXT(pa, entry), pb = TAILQ_NEXT(pb, entry))
		if (memcmp(&pa->ss, &pb->ss, sizeof(pa->ss)) != 0 ||
		    strcmp(pa->tsig, pb->tsig) != 0)
			return 0;
	return pa == NULL && pb == NULL;
}

/*
 * 1 if zones with a and with b behave the same: the same proxy set, the
 * same limits and serial policy, the same primaries, allow notify,
 * provide transfer and notify targets in the same order, with the same
 * keys.  The order matters: xfrd asks the primaries in turn.
 */
int
config_opts_same(const struct zone_opts *a, const struct zone_opts *b)
{
	const struct notify_acl		*na, *nb;
	const struct xfrout_acl		*xa, *xb;

	if (a->catalog != b->catalog || a->has_proxy != b->has_proxy ||
	    memcmp(&a->proxy, &b->proxy, sizeof(a->proxy)) != 0 ||
	    a->limits.timeout != b->limits.timeout ||
	    a->limits.max_records != b->limits.max_records ||
	    a->limits.max_bytes != b->limits.max_bytes ||
	    a->serial_policy != b->serial_policy || a->produce != b->produce ||
	    a->serial_mod_r != b->serial_mod_r ||
	    a->serial_mod_m != b->serial_mod_m ||
	    !peers_same(&a->primaries, &b->primaries) ||
	    !peers_same(&a->notifyouts, &b->notifyouts))
		return 0;
	for (na = TAILQ_FIRST(&a->notifies), nb = TAILQ_FIRST(&b->notifies);
	    na != NULL && nb != NULL;
	    na = TAILQ_NEXT(na, entry), nb = TAILQ_NEXT(nb, entry))
		if (memcmp(&na->ss, &nb->ss, sizeof(na->ss)) != 0 ||
		    strcmp(na->tsig, nb->tsig) != 0)
			return 0;
	if (na != NULL || nb != NULL)
		return 0;
	for (xa = TAILQ_FIRST(&a->xfrouts), xb = TAILQ_FIRST(&b->xfrouts);
	    xa != NULL && xb != NULL;
	    xa = TAILQ_NEXT(xa, entry), xb = TAILQ_NEXT(xb, entry))
		if (memcmp(&xa->net, &xb->net, sizeof(xa->net)) != 0 ||
		    strcmp(xa->tsig, xb->tsig) != 0)
			return 0;
	return xa == NULL && xb == NULL;
}

/*
 * A zone of that name (1 to SECD_CONFNAMELEN - 1 characters) with the
 * settings o, not yet in a configuration; NULL when the name is too long
 * or out of memory.
 */
struct zone_conf *
config_zone_new(const char *name, const struct zone_opts *o)
{
	struct zone_conf	*z;
	size_t			 len = strlen(name);

	if (len == 0 || len >= SECD_CONFNAMELEN) {
		errno = EINVAL;
		return NULL;
	}
	if ((z = calloc(1, sizeof(*z) + len + 1)) == NULL)
		return NULL;
	memcpy(z->name, name, len + 1);
	z->opts = o;
	return z;
}

void
config_print(FILE *f, const struct secd_conf *conf)
{
	config_print_flags(f, conf, 0);
}

/*
 * The configuration in secd.conf(5) syntax.  Secrets are "********" unless
 * CONF_PRINT_SECRETS is given (the regress tests, to parse the output
 * again).
 */
void
config_print_flags(FILE *f, const struct secd_conf *conf, int flags)
{
	const struct listen_conf	*l;
	const struct tsig_key		*k;
	const struct zone_conf		*z;
	size_t				 i;
	char				 b64[SECD_TSIG_SECRET_MAX * 2];

	fprintf(f, "user \"%s\"\n", conf->user);
	fprintf(f, "database \"%s\"\n", conf->database);
	fprintf(f, "control \"%s\"\n", conf->control);
	if (conf->servers > 0)
		fprintf(f, "servers %d\n", conf->servers);
	else
		fprintf(f, "# servers: one per CPU\n");
	TAILQ_FOREACH(l, &conf->listens, entry) {
		fprintf(f, "listen on ");
		print_addr(f, &l->ss, 1);
		fprintf(f, "\n");
	}
	TAILQ_FOREACH(l, &conf->metrics, entry) {
		fprintf(f, "metrics listen on ");
		print_addr(f, &l->ss, 1);
		fprintf(f, "\n");
	}
	if (conf->has_resolver) {
		fprintf(f, "resolver ");
		print_addr(f, &conf->resolver, 1);
		fprintf(f, "\n");
	}
	print_limits(f, &conf->limits, "");
	if (conf->limits.max_records == 0)
		fprintf(f, "# transfer max-records: no limit\n");
	if (conf->limits.max_bytes == 0)
		fprintf(f, "# transfer max-bytes: no limit\n");
	fprintf(f, "transfer max-concurrent %d\n", conf->max_transfers);
	fprintf(f, "provide transfer max-concurrent %d\n", conf->xfrout_max);
	fprintf(f, "provide transfer max-per-source %d\n",
	    conf->xfrout_per_source);
	fprintf(f, "tcp idle-timeout %u\n", conf->tcp.idle_timeout);
	fprintf(f, "tcp io-timeout %u\n", conf->tcp.io_timeout);
	fprintf(f, "tcp max-connections %u\n", conf->tcp.max_conns);
	fprintf(f, "tcp max-per-source %u\n", conf->tcp.max_per_source);

	TAILQ_FOREACH(k, &conf->keys, entry) {
		fprintf(f, "\ntsig key \"%s\" {\n", k->name);
		fprintf(f, "\talgorithm %s\n", tsig_alg_name(k->alg));
		if (flags & CONF_PRINT_SECRETS &&
		    b64_encode(k->secret, k->secretlen, b64, sizeof(b64)) != -1)
			fprintf(f, "\tsecret \"%s\"\n", b64);
		else
			fprintf(f, "\tsecret \"********\"\n");
		fprintf(f, "}\n");
		explicit_bzero(b64, sizeof(b64));
	}

	if (conf->proxy.n4 + conf->proxy.n6 > 0) {
		fprintf(f, "\n");
		print_proxy(f, &conf->proxy, "");
	}

	/*
	 * Zones are printed whole; the templates only for catalog zones
	 * and their members' groups, which name them.
	 */
	TAILQ_FOREACH(z, &conf->zones, entry)
		if (z->opts->catalog != 0)
			break;
	for (i = 0; z != NULL && i < conf->ntmpls; i++) {
		fprintf(f, "\ntemplate \"%s\" {\n", conf->tmpls[i].name);
		print_opts(f, conf, conf->opts[conf->tmpls[i].opts]);
		fprintf(f, "}\n");
	}
	TAILQ_FOREACH(z, &conf->zones, entry) {
		/* a catalog's member: the catalog says it, not secd.conf */
		if (z->owner != NULL) {
			fprintf(f, "\n# zone \"%s\": a member of catalog "
			    "\"%s\"\n", z->name, z->owner->name);
			continue;
		}
		fprintf(f, "\nzone \"%s\" {\n", z->name);
		print_opts(f, conf, z->opts);
		fprintf(f, "}\n");
	}
	config_rrl_print(f, conf, flags);
}

/* The settings of a zone or template block. */
static void
print_opts(FILE *f, const struct secd_conf *conf, const struct zone_opts *o)
{
	const struct primary_conf	*p;
	const struct notify_acl		*n;
	const struct xfrout_acl		*x;
	size_t				 i;

	for (i = 0; o->catalog != 0 && i < conf->ntmpls; i++)
		if (conf->tmpls[i].opts == o->catalog - 1) {
			fprintf(f, "\tcatalog template \"%s\"\n",
			    conf->tmpls[i].name);
			break;
		}
	TAILQ_FOREACH(p, &o->primaries, entry) {
		fprintf(f, "\tprimary ");
		print_addr(f, &p->ss, 1);
		if (p->tsig[0] != '\0')
			fprintf(f, " tsig \"%s\"", p->tsig);
		fprintf(f, "\n");
	}
	TAILQ_FOREACH(n, &o->notifies, entry) {
		fprintf(f, "\tallow notify from ");
		print_addr(f, &n->ss, 0);
		if (n->tsig[0] != '\0')
			fprintf(f, " tsig \"%s\"", n->tsig);
		fprintf(f, "\n");
	}
	TAILQ_FOREACH(x, &o->xfrouts, entry) {
		fprintf(f, "\tprovide transfer to ");
		print_addr(f, &x->net.ss, 0);
		fprintf(f, "/%d", x->net.plen);
		if (x->tsig[0] != '\0')
			fprintf(f, " tsig \"%s\"", x->tsig);
		fprintf(f, "\n");
	}
	TAILQ_FOREACH(p, &o->notifyouts, entry) {
		fprintf(f, "\tnotify ");
		print_addr(f, &p->ss, 1);
		if (p->tsig[0] != '\0')
			fprintf(f, " tsig \"%s\"", p->tsig);
		fprintf(f, "\n");
	}
	if (o->serial_policy == SERIAL_UNIXTIME || o->serial_mod_m != 0)
		fprintf(f, "\tserial policy %s", o->serial_policy ==
		    SERIAL_UNIXTIME ? "unixtime" : "increment");
	if (o->serial_mod_m != 0)
		fprintf(f, " modulo %u/%u", o->serial_mod_r, o->serial_mod_m);
	if (o->serial_policy == SERIAL_UNIXTIME || o->serial_mod_m != 0)
		fprintf(f, "\n");
	if (o->produce)
		fprintf(f, "\tcatalog produce\n");
	print_limits(f, &o->limits, "\t");
	if (o->has_proxy)
		print_proxy(f, &o->proxy, "\t");
}

/* "ADDR [port N]", the address bare (no brackets) as the grammar wants. */
static void
print_addr(FILE *f, const struct sockaddr_storage *ss, int withport)
{
	char	 buf[INET6_ADDRSTRLEN];
	int	 port;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
		port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
		port = ntohs(sin6->sin6_port);
	} else {
		fprintf(f, "(none)");
		return;
	}
	fprintf(f, "%s", buf);
	if (withport)
		fprintf(f, " port %d", port);
}

static void
print_proxy(FILE *f, const struct proxy_conf *pc, const char *indent)
{
	char	 buf[INET6_ADDRSTRLEN];
	int	 i;

	fprintf(f, "%sproxy {\n", indent);
	for (i = 0; i < pc->n4 && i < SECD_PROXY_MAX; i++)
		fprintf(f, "%s\taddress %s\n", indent,
		    inet_ntop(AF_INET, &pc->v4[i], buf, sizeof(buf)));
	for (i = 0; i < pc->n6 && i < SECD_PROXY_MAX; i++)
		fprintf(f, "%s\taddress %s\n", indent,
		    inet_ntop(AF_INET6, &pc->v6[i], buf, sizeof(buf)));
	fprintf(f, "%s\tttl %u\n", indent, pc->ttl);
	fprintf(f, "%s}\n", indent);
}

/* The transfer limits that are set (not 0), one "transfer" line each. */
static void
print_limits(FILE *f, const struct xfr_limits *lim, const char *indent)
{
	if (lim->timeout != 0)
		fprintf(f, "%stransfer timeout %u\n", indent, lim->timeout);
	if (lim->max_records != 0)
		fprintf(f, "%stransfer max-records %llu\n", indent,
		    (unsigned long long)lim->max_records);
	if (lim->max_bytes != 0)
		fprintf(f, "%stransfer max-bytes %llu\n", indent,
		    (unsigned long long)lim->max_bytes);
}

/* The key of that name (any case, trailing dot or not), or NULL. */
struct tsig_key *
config_key(struct secd_conf *conf, const char *name)
{
	struct tsig_key	*k;
	char		 norm[SECD_NAMESTRLEN];

	if (dname_normalize(name, norm, sizeof(norm)) == -1)
		return NULL;
	TAILQ_FOREACH(k, &conf->keys, entry)
		if (strcmp(k->name, norm) == 0)
			return k;
	return NULL;
}

static const char *
config_zkey(const void *z)
{
	return ((const struct zone_conf *)z)->name;
}

/*
 * The zone of that name (any case, trailing dot or not), or NULL, in a
 * configuration made whole: parse_config() and conf_recv() index it
 * (config_index).
 */
struct zone_conf *
config_zone(struct secd_conf *conf, const char *name)
{
	char			 norm[SECD_NAMESTRLEN];

	if (dname_normalize(name, norm, sizeof(norm)) == -1)
		return NULL;
	return nametab_find(&conf->zindex, norm);
}

int
config_index(struct secd_conf *conf)
{
	struct zone_conf	*z;

	nametab_free(&conf->zindex);
	nametab_init(&conf->zindex, config_zkey);
	TAILQ_FOREACH(z, &conf->zones, entry)
		if (nametab_find(&conf->zindex, z->name) != NULL ||
		    nametab_add(&conf->zindex, z) == -1) {
			nametab_free(&conf->zindex);
			return -1;
		}
	return 0;
}

/*
 * The proxy set that applies to a zone: its own proxy {} block replaces
 * the global one.  Either may have no address at all.
 */
const struct proxy_conf *
config_proxy(const struct secd_conf *conf, const struct zone_conf *z)
{
	if (z != NULL && z->opts->has_proxy)
		return &z->opts->proxy;
	return &conf->proxy;
}

/*
 * The transfer limits that apply to a zone: the global ones, each replaced
 * by the zone's own where it has one (not 0).  z may be NULL.
 */
void
config_limits(const struct secd_conf *conf, const struct zone_conf *z,
    struct xfr_limits *out)
{
	*out = conf->limits;
	if (z == NULL)
		return;
	if (z->opts->limits.timeout != 0)
		out->timeout = z->opts->limits.timeout;
	if (z->opts->limits.max_records != 0)
		out->max_records = z->opts->limits.max_records;
	if (z->opts->limits.max_bytes != 0)
		out->max_bytes = z->opts->limits.max_bytes;
}

const char *
tsig_alg_name(enum tsig_alg alg)
{
	if ((int)alg < 0 || alg >= TSIG_ALG_MAX)
		return "unknown";
	return tsig_algs[alg];
}

/* The enum tsig_alg of a name (any case), or -1. */
int
tsig_alg_byname(const char *name)
{
	int	 i;

	for (i = 0; i < TSIG_ALG_MAX; i++)
		if (strcasecmp(tsig_algs[i], name) == 0)
			return i;
	return -1;
}

/* The same address (IPv4 or IPv6), whatever the ports. */
int
sa_addr_eq(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	const struct sockaddr_in	*a4, *b4;
	const struct sockaddr_in6	*a6, *b6;

	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		a4 = (const struct sockaddr_in *)a;
		b4 = (const struct sockaddr_in *)b;
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	if (a->ss_family != AF_INET6)
		return 0;
	a6 = (const struct sockaddr_in6 *)a;
	b6 = (const struct sockaddr_in6 *)b;
	return memcmp(&a6->sin6_addr, &b6->sin6_addr,
	    sizeof(a6->sin6_addr)) == 0;
}

/*
 * An address and port as text: "192.0.2.53:53", "[2001:db8::1]:53".
 * The result lives in one of a few static buffers, so that a handful of
 * calls may appear in one printf.
 */
const char *
sa_str(const struct sockaddr_storage *ss)
{
	static char	 bufs[4][INET6_ADDRSTRLEN + 16];
	static int	 idx;
	char		 addr[INET6_ADDRSTRLEN];
	char		*buf;

	buf = bufs[idx];
	idx = (idx + 1) % 4;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		if (inet_ntop(AF_INET, &sin->sin_addr, addr,
		    sizeof(addr)) == NULL)
			return "(bad address)";
		snprintf(buf, sizeof(bufs[0]), "%s:%u", addr,
		    ntohs(sin->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)ss;

		if (inet_ntop(AF_INET6, &sin6->sin6_addr, addr,
		    sizeof(addr)) == NULL)
			return "(bad address)";
		snprintf(buf, sizeof(bufs[0]), "[%s]:%u", addr,
		    ntohs(sin6->sin6_port));
	} else
		return "(none)";
	return buf;
}

static int
b64_value(int c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64_chars, c)) == NULL)
		return -1;
	return p - b64_chars;
}

/*
 * Strict base64 (RFC 4648, section 4): only the 64 characters, padded to
 * a multiple of 4 with '=' at the end only, and the unused bits of the
 * last character zero, so that one secret has one spelling.  Returns the
 * decoded length, -1 if src is not base64, -2 if it does not fit in len.
 */
int
b64_decode(const char *src, uint8_t *dst, size_t len)
{
	size_t		 slen, out, i;
	uint32_t	 acc;
	int		 pad = 0, v, j;

	slen = strlen(src);
	if (slen == 0 || slen % 4 != 0)
		return -1;
	if (src[slen - 1] == '=')
		pad++;
	if (src[slen - 2] == '=')
		pad++;
	out = slen / 4 * 3 - pad;
	if (out > len)
		return -2;
	for (i = 0; i < slen; i += 4) {
		acc = 0;
		for (j = 0; j < 4; j++) {
			if (i + j >= slen - pad) {
				v = 0;
			} else if ((v = b64_value(src[i + j])) == -1)
				return -1;
			acc = acc << 6 | v;
		}
		if (i + 4 < slen) {
			dst[i / 4 * 3] = acc >> 16;
			dst[i / 4 * 3 + 1] = acc >> 8;
			dst[i / 4 * 3 + 2] = acc;
			continue;
		}
		/* the last quantum */
		if ((pad == 2 && (acc & 0xffff) != 0) ||
		    (pad == 1 && (acc & 0xff) != 0)) {
			explicit_bzero(&acc, sizeof(acc));
			return -1;
		}
		dst[i / 4 * 3] = acc >> 16;
		if (pad < 2)
			dst[i / 4 * 3 + 1] = acc >> 8;
		if (pad < 1)
			dst[i / 4 * 3 + 2] = acc;
	}
	explicit_bzero(&acc, sizeof(acc));
	return out;
}

/* Base64 of src into dst, NUL-terminated; -1 if dst is too small. */
int
b64_encode(const uint8_t *src, size_t len, char *dst, size_t dlen)
{
	size_t		 i, o = 0;
	uint32_t	 acc;

	if ((len + 2) / 3 * 4 + 1 > dlen)
		return -1;
	for (i = 0; i < len; i += 3) {
		acc = src[i] << 16;
		if (i + 1 < len)
			acc |= src[i + 1] << 8;
		if (i + 2 < len)
			acc |= src[i + 2];
		dst[o++] = b64_chars[acc >> 18 & 0x3f];
		dst[o++] = b64_chars[acc >> 12 & 0x3f];
		dst[o++] = i + 1 < len ? b64_chars[acc >> 6 & 0x3f] : '=';
		dst[o++] = i + 2 < len ? b64_chars[acc & 0x3f] : '=';
	}
	dst[o] = '\0';
	explicit_bzero(&acc, sizeof(acc));
	return o;
}

/*
 * A zone or key name as secd keeps it: lower case, without the trailing
 * dot, each label 1 to 63 characters of letters, digits, '-', '_' or '/'
 * (RFC 2317 zones), 253 characters at most.  The root is refused.
 * Returns 0, or -1 if the name is not acceptable.
 */
int
dname_normalize(const char *in, char *out, size_t len)
{
	size_t	 n, i, label = 0;

	n = strlen(in);
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || n >= len)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = in[i];

		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_' || c == '/') {
			if (++label > 63)
				return -1;
		} else
			return -1;
		out[i] = tolower(c);
	}
	if (label == 0)
		return -1;
	out[n] = '\0';
	return 0;
}
