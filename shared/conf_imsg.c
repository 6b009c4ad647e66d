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
 * The configuration on the wire between the parent and a child.
 *
 * A configuration is a sequence of messages:
 *	IMSG_RECONF_CONF	struct secd_conf (its lists and opts[] are
 *				ignored; the cookie secrets zeroed but for
 *				serverd)
 *	IMSG_RECONF_KEY		struct tsig_key, one per key (xfrd), or
 *				per key a provide transfer names (serverd)
 *	IMSG_RECONF_OPTS	struct zone_opts (id and lists ignored), one
 *				per set of zone settings; the first is index
 *				0, the next 1, ...  Then, for it:
 *	  IMSG_RECONF_PRIMARY	struct primary_conf, one per primary, in
 *				order
 *	  IMSG_RECONF_NOTIFY	struct notify_acl, one per allow notify
 *	  IMSG_RECONF_XFROUT	struct xfrout_acl, one per provide transfer
 *	  IMSG_RECONF_NOTIFYOUT	struct primary_conf, one per notify target
 *	IMSG_RECONF_ZONE	struct reconf_zone, the index of the zone's
 *				settings (less than the number of
 *				IMSG_RECONF_OPTS), then its name: 1 to
 *				SECD_CONFNAMELEN - 1 characters, then a NUL;
 *				for a member of a catalog zone, then the
 *				catalog's name and a NUL, a zone sent before
 *				whose settings make it a catalog.  The last
 *				octet is a NUL.  One per zone, after every
 *				IMSG_RECONF_OPTS.
 *	IMSG_RECONF_END		empty; the new configuration replaces the old
 * Zones that share their settings name the same index, so that they share
 * them in the child too.  Any other order (a zone before the settings it
 * names, a primary before any settings or after a zone), a bad length, an
 * index out of range, an unterminated string, a zone twice or a catalog
 * unknown is a protocol error.  The templates (conf_tmpl) stay in the
 * parent.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "proc.h"
#include "secd.h"

static int	conf_key_xfrout(const struct secd_conf *, const char *);
static void	conf_send_opts(struct imsgev *, const struct zone_opts *);
static void	conf_send_zone(struct imsgev *, const struct zone_conf *);
static int	conf_recv_opts(struct secd_conf *, struct imsg *);
static int	conf_recv_zone(struct secd_conf *, struct imsg *);
static struct zone_opts *conf_last_opts(struct secd_conf *);
static int	conf_str_ok(const char *, size_t);

/*
 * The configuration to one child: the TSIG keys with CONF_SEND_KEYS,
 * those a provide transfer names with CONF_SEND_XFRKEYS, the cookie
 * secrets with CONF_SEND_COOKIE, else zeroed.
 */
void
conf_send(struct imsgev *iev, const struct secd_conf *conf, int flags)
{
	static struct secd_conf	 c;
	struct tsig_key		*k;
	struct zone_conf	*z;
	size_t			 i;

	c = *conf;
	/* the child builds its own; no pointer of ours need go */
	c.opts = NULL;
	c.nopts = c.optscap = 0;
	c.tmpls = NULL;
	c.ntmpls = 0;
	if (!(flags & CONF_SEND_COOKIE))
		explicit_bzero(&c.cookie, sizeof(c.cookie));
	if (iev_compose(iev, IMSG_RECONF_CONF, 0, 0, -1, &c, sizeof(c)) == -1)
		fatal("%s", __func__);
	explicit_bzero(&c.cookie, sizeof(c.cookie));
	TAILQ_FOREACH(k, &conf->keys, entry)
		if (((flags & CONF_SEND_KEYS) || ((flags & CONF_SEND_XFRKEYS) &&
		    conf_key_xfrout(conf, k->name))) &&
		    iev_compose(iev, IMSG_RECONF_KEY, 0, 0, -1, k,
		    sizeof(*k)) == -1)
			fatal("%s", __func__);
	for (i = 0; i < conf->nopts; i++)
		conf_send_opts(iev, conf->opts[i]);
	TAILQ_FOREACH(z, &conf->zones, entry)
		conf_send_zone(iev, z);
	if (iev_compose(iev, IMSG_RECONF_END, 0, 0, -1, NULL, 0) == -1)
		fatal("%s", __func__);
}

/* 1 if a provide transfer of conf names the key. */
static int
conf_key_xfrout(const struct secd_conf *conf, const char *key)
{
	const struct xfrout_acl	*x;
	size_t			 i;

	for (i = 0; i < conf->nopts; i++)
		TAILQ_FOREACH(x, &conf->opts[i]->xfrouts, entry)
			if (strcmp(x->tsig, key) == 0)
				return 1;
	return 0;
}

/* One set of settings, then its lists, each entry a message. */
static void
conf_send_opts(struct imsgev *iev, const struct zone_opts *o)
{
	struct zone_opts	 m;
	struct primary_conf	*p;
	struct notify_acl	*n;
	struct xfrout_acl	*x;

	/* the fixed part: the lists follow as messages of their own */
	memset(&m, 0, sizeof(m));
	m.id = o->id;
	m.catalog = o->catalog;
	m.has_proxy = o->has_proxy;
	m.proxy = o->proxy;
	m.limits = o->limits;
	m.serial_policy = o->serial_policy;
	m.serial_mod_r = o->serial_mod_r;
	m.serial_mod_m = o->serial_mod_m;
	m.produce = o->produce;
	memcpy(m.tmpl, o->tmpl, sizeof(m.tmpl));
	if (iev_compose(iev, IMSG_RECONF_OPTS, 0, 0, -1, &m, sizeof(m)) == -1)
		fatal("%s", __func__);
	TAILQ_FOREACH(p, &o->primaries, entry)
		if (iev_compose(iev, IMSG_RECONF_PRIMARY, 0, 0, -1, p,
		    sizeof(*p)) == -1)
			fatal("%s", __func__);
	TAILQ_FOREACH(n, &o->notifies, entry)
		if (iev_compose(iev, IMSG_RECONF_NOTIFY, 0, 0, -1, n,
		    sizeof(*n)) == -1)
			fatal("%s", __func__);
	TAILQ_FOREACH(x, &o->xfrouts, entry)
		if (iev_compose(iev, IMSG_RECONF_XFROUT, 0, 0, -1, x,
		    sizeof(*x)) == -1)
			fatal("%s", __func__);
	TAILQ_FOREACH(p, &o->notifyouts, entry)
		if (iev_compose(iev, IMSG_RECONF_NOTIFYOUT, 0, 0, -1, p,
		    sizeof(*p)) == -1)
			fatal("%s", __func__);
}

/*
 * A zone: the index of its settings, then its name and NUL, then its
 * catalog's name and NUL.
 */
static void
conf_send_zone(struct imsgev *iev, const struct zone_conf *z)
{
	struct reconf_zone	 rz;
	uint8_t			 buf[sizeof(rz) + 2 * SECD_CONFNAMELEN];
	size_t			 len = strlen(z->name), olen = 0;

	if (z->owner != NULL)
		olen = strlen(z->owner->name) + 1;
	if (len == 0 || len >= SECD_CONFNAMELEN || olen > SECD_CONFNAMELEN)
		fatalx("%s: zone %.64s: bad name length %zu", __func__,
		    z->name, len);
	memset(&rz, 0, sizeof(rz));
	rz.opts = z->opts->id;
	memcpy(buf, &rz, sizeof(rz));
	memcpy(buf + sizeof(rz), z->name, len + 1);
	if (olen > 0)
		memcpy(buf + sizeof(rz) + len + 1, z->owner->name, olen);
	if (iev_compose(iev, IMSG_RECONF_ZONE, 0, 0, -1, buf,
	    sizeof(rz) + len + 1 + olen) == -1)
		fatal("%s", __func__);
}

static int
conf_str_ok(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/*
 * Feed one IMSG_RECONF_* message.  *nconf holds the configuration being
 * received.  Returns 1 when it is complete (the caller takes *nconf),
 * 0 when more is to come, -1 on a protocol error (*nconf is freed).
 */
int
conf_recv(struct secd_conf **nconf, struct imsg *imsg)
{
	struct secd_conf	*c = *nconf;
	struct tsig_key		*k;
	struct zone_opts	*o;
	struct primary_conf	*p;
	struct notify_acl	*n;
	struct xfrout_acl	*x;
	size_t			 len = IMSG_DATA_SIZE(*imsg);

	switch (imsg->hdr.type) {
	case IMSG_RECONF_CONF:
		if (c != NULL || len != sizeof(*c))
			goto bad;
		if ((c = config_new()) == NULL)
			fatal("%s", __func__);
		memcpy(c, imsg->data, sizeof(*c));
		TAILQ_INIT(&c->listens);
		TAILQ_INIT(&c->metrics);
		TAILQ_INIT(&c->keys);
		TAILQ_INIT(&c->zones);
		c->opts = NULL;
		c->nopts = c->optscap = 0;
		c->tmpls = NULL;
		c->ntmpls = 0;
		memset(&c->zindex, 0, sizeof(c->zindex));
		config_index(c);
		*nconf = c;
		if (!conf_str_ok(c->file, sizeof(c->file)) ||
		    !conf_str_ok(c->user, sizeof(c->user)) ||
		    !conf_str_ok(c->database, sizeof(c->database)) ||
		    !conf_str_ok(c->control, sizeof(c->control)))
			goto bad;
		return 0;
	case IMSG_RECONF_KEY:
		if (c == NULL || len != sizeof(*k))
			goto bad;
		if ((k = calloc(1, sizeof(*k))) == NULL)
			fatal("%s", __func__);
		memcpy(k, imsg->data, sizeof(*k));
		explicit_bzero(imsg->data, len);
		TAILQ_INSERT_TAIL(&c->keys, k, entry);
		if (!conf_str_ok(k->name, sizeof(k->name)) ||
		    k->alg >= TSIG_ALG_MAX ||
		    k->secretlen > sizeof(k->secret))
			goto bad;
		return 0;
	case IMSG_RECONF_OPTS:
		if (c == NULL || conf_recv_opts(c, imsg) == -1)
			goto bad;
		return 0;
	case IMSG_RECONF_PRIMARY:
	case IMSG_RECONF_NOTIFYOUT:
		/* a peer: a primary, or a notify target */
		if (c == NULL || len != sizeof(*p) ||
		    (o = conf_last_opts(c)) == NULL)
			goto bad;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			fatal("%s", __func__);
		memcpy(p, imsg->data, sizeof(*p));
		if (imsg->hdr.type == IMSG_RECONF_PRIMARY)
			TAILQ_INSERT_TAIL(&o->primaries, p, entry);
		else
			TAILQ_INSERT_TAIL(&o->notifyouts, p, entry);
		if (!conf_str_ok(p->tsig, sizeof(p->tsig)))
			goto bad;
		return 0;
	case IMSG_RECONF_NOTIFY:
		if (c == NULL || len != sizeof(*n) ||
		    (o = conf_last_opts(c)) == NULL)
			goto bad;
		if ((n = calloc(1, sizeof(*n))) == NULL)
			fatal("%s", __func__);
		memcpy(n, imsg->data, sizeof(*n));
		TAILQ_INSERT_TAIL(&o->notifies, n, entry);
		if (!conf_str_ok(n->tsig, sizeof(n->tsig)))
			goto bad;
		return 0;
	case IMSG_RECONF_XFROUT:
		if (c == NULL || len != sizeof(*x) ||
		    (o = conf_last_opts(c)) == NULL)
			goto bad;
		if ((x = calloc(1, sizeof(*x))) == NULL)
			fatal("%s", __func__);
		memcpy(x, imsg->data, sizeof(*x));
		TAILQ_INSERT_TAIL(&o->xfrouts, x, entry);
		if (!conf_str_ok(x->tsig, sizeof(x->tsig)) ||
		    (x->net.ss.ss_family != AF_INET &&
		    x->net.ss.ss_family != AF_INET6) || x->net.plen < 0 ||
		    x->net.plen > (x->net.ss.ss_family == AF_INET ? 32 : 128))
			goto bad;
		return 0;
	case IMSG_RECONF_ZONE:
		if (c == NULL || conf_recv_zone(c, imsg) == -1)
			goto bad;
		return 0;
	case IMSG_RECONF_END:
		if (c == NULL || len != 0)
			goto bad;
		return 1;
	}
 bad:
	log_warnx("configuration message type %u, length %zu: protocol error",
	    imsg->hdr.type, len);
	if (c != NULL)
		config_free(c);
	*nconf = NULL;
	return -1;
}

/*
 * The settings the primaries and allow notify being received belong to:
 * the last IMSG_RECONF_OPTS, while no zone has come.
 */
static struct zone_opts *
conf_last_opts(struct secd_conf *c)
{
	if (c->nopts == 0 || !TAILQ_EMPTY(&c->zones))
		return NULL;
	return c->opts[c->nopts - 1];
}

/* IMSG_RECONF_OPTS: the next settings; -1 if malformed or misplaced. */
static int
conf_recv_opts(struct secd_conf *c, struct imsg *imsg)
{
	struct zone_opts	 m, *o;

	if (IMSG_DATA_SIZE(*imsg) != sizeof(m) || !TAILQ_EMPTY(&c->zones))
		return -1;
	memcpy(&m, imsg->data, sizeof(m));
	if (m.proxy.n4 < 0 || m.proxy.n4 > SECD_PROXY_MAX ||
	    m.proxy.n6 < 0 || m.proxy.n6 > SECD_PROXY_MAX ||
	    (m.serial_policy != SERIAL_INCREMENT &&
	    m.serial_policy != SERIAL_UNIXTIME) ||
	    m.serial_mod_m > SECD_SERIAL_MODMAX || m.serial_mod_m == 1 ||
	    (m.serial_mod_m != 0 && m.serial_mod_r >= m.serial_mod_m) ||
	    !conf_str_ok(m.tmpl, sizeof(m.tmpl)))
		return -1;
	if ((o = config_opts_new()) == NULL)
		fatal("%s", __func__);
	o->catalog = m.catalog;
	o->has_proxy = m.has_proxy;
	o->proxy = m.proxy;
	o->limits = m.limits;
	o->serial_policy = m.serial_policy;
	o->serial_mod_r = m.serial_mod_r;
	o->serial_mod_m = m.serial_mod_m;
	o->produce = m.produce != 0;
	memcpy(o->tmpl, m.tmpl, sizeof(o->tmpl));
	if (config_opts_add(c, o) == -1)
		fatal("%s", __func__);
	return 0;
}

/*
 * IMSG_RECONF_ZONE: a zone, the index of its settings, its catalog; the
 * zone joins the index of c, so that a member finds its catalog.
 */
static int
conf_recv_zone(struct secd_conf *c, struct imsg *imsg)
{
	struct reconf_zone	 rz;
	struct zone_conf	*z, *owner = NULL;
	const char		*name, *oname, *end;
	size_t			 len = IMSG_DATA_SIZE(*imsg), namelen;

	if (len < sizeof(rz) + 2)
		return -1;
	memcpy(&rz, imsg->data, sizeof(rz));
	name = (const char *)imsg->data + sizeof(rz);
	end = (const char *)imsg->data + len;
	/* the name's NUL; after it nothing, or the catalog's name */
	if (end[-1] != '\0' ||
	    (oname = memchr(name, '\0', end - name)) == NULL)
		return -1;
	namelen = oname - name;
	if (++oname == end)
		oname = NULL;
	else if (memchr(oname, '\0', end - oname) != end - 1 ||
	    (owner = nametab_find(&c->zindex, oname)) == NULL ||
	    owner->opts->catalog == 0)
		return -1;
	if (namelen == 0 || namelen >= SECD_CONFNAMELEN)
		return -1;
	if (rz.opts >= c->nopts)
		return -1;
	if (nametab_find(&c->zindex, name) != NULL)
		return -1;
	if ((z = config_zone_new(name, c->opts[rz.opts])) == NULL ||
	    nametab_add(&c->zindex, z) == -1)
		fatal("%s", __func__);
	z->owner = owner;
	TAILQ_INSERT_TAIL(&c->zones, z, entry);
	return 0;
}
