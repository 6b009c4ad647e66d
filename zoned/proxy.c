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
 * secctl proxy ZONE NAME on|off: the checks, the change of NAME.over, the
 * zone built again, and the answer once every serverd serves the new
 * image (it says so with IMSG_ZONE_SERVING).
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "override.h"
#include "zoned.h"

/* A request answered when every serverd has the image of generation gen. */
struct waiter {
	TAILQ_ENTRY(waiter)	 entry;
	uint32_t		 id;
	uint32_t		 gen;
	int			 left;		/* serverds still to answer */
	int			 refused;
	const char		*done;		/* what happened to what */
	char			 zone[SECD_NAMESTRLEN];
	char			 what[SECD_NAMESTRLEN];
};

/* What the transferred records of a zone hold at and above a name. */
struct facts {
	int			 records;	/* at the name */
	int			 addr;		/* A, AAAA or CNAME there */
	int			 signed_zone;	/* RRSIG or DNSKEY anywhere */
	char			 cut[DNS_MAXNAME * 4 + 2];	/* at or above */
};

#define DRYRUN_MAXCHAIN	1024	/* names shown as reaching NAME */

/* A name, for the dry run's CNAME chains. */
struct dname {
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;
};

static TAILQ_HEAD(, waiter) waiters = TAILQ_HEAD_INITIALIZER(waiters);

static void	proxy_facts(const struct stored_zone *, const uint8_t *,
		    size_t, struct facts *);
static int	proxy_refuse_on(struct imsgev *, uint32_t, const char *,
		    const char *, const struct facts *, uint32_t);
static int	proxy_live(struct imsgev *, uint32_t, const char *,
		    const char *, struct overrides *, const uint8_t *, size_t,
		    int, const char *);
static void	proxy_dryrun(struct imsgev *, uint32_t,
		    const struct stored_zone *, const uint8_t *, size_t, int,
		    const struct proxy_conf *);
static int	proxy_reaches(struct dname *, size_t, const struct zrr *);

static void
proxy_facts(const struct stored_zone *sz, const uint8_t *name, size_t len,
    struct facts *f)
{
	const struct zrr	*r;
	size_t			 i;

	memset(f, 0, sizeof(*f));
	f->signed_zone = over_signed(&sz->src);
	for (i = 0; i < sz->src.nrr; i++) {
		r = &sz->src.rrs[i];
		if (r->type == DNS_T_NS && f->cut[0] == '\0' &&
		    !dns_name_equal(r->owner, r->ownerlen, sz->src.apex,
		    sz->src.apexlen) &&
		    dns_name_subdomain(name, len, r->owner, r->ownerlen))
			dns_name_to_text(r->owner, r->ownerlen, f->cut,
			    sizeof(f->cut));
		if (!dns_name_equal(r->owner, r->ownerlen, name, len))
			continue;
		f->records++;
		if (dns_type_proxyable(r->type))
			f->addr = 1;
	}
}

/*
 * Refuse (answer id) when NAME of zone cannot be proxied (secctl(8), proxy):
 * -1 when refused, 0 when it can be.
 */
static int
proxy_refuse_on(struct imsgev *parent, uint32_t id, const char *zone,
    const char *text, const struct facts *fp, uint32_t serial)
{
	struct facts	 f = *fp;

	if (f.signed_zone)
		child_result(parent, id, 1, "zone %s carries DNSSEC "
		    "signatures (RRSIG, DNSKEY): proxied answers would not "
		    "validate", zone);
	else if (f.cut[0] != '\0')
		child_result(parent, id, 1, "%s is at or below the delegation "
		    "at %s: the child zone's servers answer for it", text,
		    f.cut);
	else if (f.records == 0)
		child_result(parent, id, 1, "%s has no records in zone %s "
		    "(serial %u)", text, zone, serial);
	else if (!f.addr)
		child_result(parent, id, 1, "%s has no A, AAAA or CNAME "
		    "record to proxy", text);
	else
		return 0;
	return -1;
}

void
zoned_proxy(struct imsgev *parent, uint32_t id, const struct ctl_request *req)
{
	struct stored_zone	 sz;
	struct overrides	 o;
	struct facts		 f;
	struct override		*v;
	const struct zone_conf	*zc;
	const struct proxy_conf	*pc;
	char			 err[SECD_MSGLEN], src[OVER_SOURCE_MAX];
	uint8_t			 name[DNS_MAXNAME], apex[DNS_MAXNAME];
	size_t			 len, apexlen;
	uint32_t		 gen;
	int			 on = (req->flags & CTL_F_ON) != 0;

	if ((zc = zoned_zone_conf(req->zone)) == NULL) {
		child_result(parent, id, 1, "zone %s is not configured",
		    req->zone);
		return;
	}
	if (dns_name_from_text(req->name, name, &len) == -1 ||
	    dns_name_from_text(zc->name, apex, &apexlen) == -1) {
		child_result(parent, id, 1, "%s is not a domain name",
		    req->name);
		return;
	}
	if (!dns_name_subdomain(name, len, apex, apexlen)) {
		child_result(parent, id, 1, "%s is not in zone %s", req->name,
		    zc->name);
		return;
	}
	if (zoned_load_overrides(parent, id, zc->name, &o) == -1)
		return;
	v = over_find(&o, name, len);
	if (!on && (v == NULL || !v->proxied)) {
		over_free(&o);
		child_result(parent, id, 0, "%s is not proxied", req->name);
		return;
	}
	if (on && v != NULL && v->proxied) {
		over_free(&o);
		child_result(parent, id, 0, "%s is already proxied",
		    req->name);
		return;
	}
	pc = zoned_proxy_conf(zc->name);
	if (on && pc->n4 + pc->n6 == 0) {
		over_free(&o);
		child_result(parent, id, 1, "zone %s has no proxy addresses: "
		    "give a proxy { } block in secd.conf", zc->name);
		return;
	}
	snprintf(src, sizeof(src), "secctl uid %u", req->uid);
	if (!(req->flags & CTL_F_DRYRUN) && zoned_live(zc->name) != NULL &&
	    proxy_live(parent, id, zc->name, req->name, &o, name, len, on,
	    src) == 0) {
		over_free(&o);
		return;
	}
	if (zoned_load_request(parent, id, zc->name, &sz) == -1) {
		over_free(&o);
		return;
	}
	proxy_facts(&sz, name, len, &f);
	if (on && proxy_refuse_on(parent, id, zc->name, req->name, &f,
	    sz.hdr.serial) == -1) {
		store_unload(&sz);
		over_free(&o);
		return;
	}
	if (req->flags & CTL_F_DRYRUN) {
		proxy_dryrun(parent, id, &sz, name, len, on, pc);
		store_unload(&sz);
		over_free(&o);
		child_result(parent, id, 0, "dry run: nothing changed");
		return;
	}
	if (over_set(&o, name, len, on, src) == -1 ||
	    over_write(zc->name, &o, err, sizeof(err)) == -1) {
		store_unload(&sz);
		over_free(&o);
		child_result(parent, id, 1, "zone %s: nothing changed: %s",
		    zc->name, err[0] ? err : "out of memory");
		return;
	}
	gen = zoned_rebuild(zc->name, &sz, NULL, &o, err, sizeof(err));
	store_unload(&sz);
	over_free(&o);
	if (gen == 0) {
		child_result(parent, id, 1, "zone %s: nothing changed: %s",
		    zc->name, err);
		return;
	}
	log_info("zone %s: %s %s (%s)", zc->name, req->name,
	    on ? "proxied" : "no longer proxied", src);
	zoned_wait(parent, id, zc->name, gen, req->name, on ? " proxied" :
	    " no longer proxied");
}

/*
 * The toggle made by the builder kept in memory, the facts read there:
 * 0 once answered, 1 to go the long way (the stored zone read, a full
 * build), which then finds and says whatever stopped this one.
 */
static int
proxy_live(struct imsgev *parent, uint32_t id, const char *zone,
    const char *text, struct overrides *o, const uint8_t *name, size_t len,
    int on, const char *src)
{
	const struct proxy_conf	*pc = zoned_proxy_conf(zone);
	struct builder		*b = zoned_live(zone);
	struct facts		 f;
	struct bowner		 bo;
	struct zrr		*rrs, *out;
	uint8_t			 cut[DNS_MAXNAME];
	char			 err[SECD_MSGLEN];
	size_t			 n, i, k, cutlen;
	uint32_t		 gen, serial = builder_serial(b);

	if (builder_owner(b, name, len, &rrs, &n) == -1)
		return 1;
	memset(&f, 0, sizeof(f));
	f.signed_zone = builder_signed(b);
	if (builder_cut(b, name, len, cut, &cutlen))
		dns_name_to_text(cut, cutlen, f.cut, sizeof(f.cut));
	k = over_transferred(rrs, n);
	for (i = 0; i < k; i++)
		f.addr |= dns_type_proxyable(rrs[i].type);
	f.records = k;
	if (on && proxy_refuse_on(parent, id, zone, text, &f, serial) == -1) {
		free(rrs);
		return 0;
	}
	if (k == 0 || (out = calloc(k + pc->n4 + pc->n6,
	    sizeof(*out))) == NULL) {
		free(rrs);
		return 1;
	}
	if (over_set(o, name, len, on, src) == -1 ||
	    over_write(zone, o, err, sizeof(err)) == -1) {
		free(rrs);
		free(out);
		child_result(parent, id, 1, "zone %s: nothing changed: %s",
		    zone, err[0] ? err : "out of memory");
		return 0;
	}
	bo.owner = name;
	bo.ownerlen = len;
	bo.rrs = out;
	bo.nrr = over_owner(rrs, k, on, pc, out);
	gen = zoned_update(zone, &bo, 1, serial, NULL, o, 1);
	free(rrs);
	free(out);
	if (gen == 0)
		return 1;
	log_info("zone %s: %s %s (%s)", zone, text, on ? "proxied" :
	    "no longer proxied", src);
	zoned_wait(parent, id, zone, gen, text, on ? " proxied" :
	    " no longer proxied");
	return 0;
}

/*
 * proxy -n: the rows whose answers would change, nothing stored: the
 * origin's A, AAAA and CNAME at name and the proxy set, "now" and "then"
 * (the other way round for off), and every CNAME whose chain in the zone
 * reaches name, "chain": its A and AAAA answers change with it.
 */
static void
proxy_dryrun(struct imsgev *parent, uint32_t id, const struct stored_zone *sz,
    const uint8_t *name, size_t len, int on, const struct proxy_conf *pc)
{
	struct dname	*seen;
	struct zrr	 r;
	const struct zrr *t;
	size_t		 i, n = 1, prev = 0;
	int		 j;

	for (i = 0; i < sz->src.nrr; i++) {
		t = &sz->src.rrs[i];
		if (dns_type_proxyable(t->type) &&
		    dns_name_equal(t->owner, t->ownerlen, name, len))
			show_rr(parent, id, t, on ? "now" : "then");
	}
	memset(&r, 0, sizeof(r));
	r.owner = name;
	r.ownerlen = len;
	r.class = DNS_C_IN;
	r.ttl = pc->ttl;
	for (j = 0; j < pc->n4 + pc->n6; j++) {
		r.type = j < pc->n4 ? DNS_T_A : DNS_T_AAAA;
		r.rdlen = j < pc->n4 ? 4 : 16;
		r.rdata = j < pc->n4 ? (const uint8_t *)&pc->v4[j] :
		    (const uint8_t *)&pc->v6[j - pc->n4];
		show_rr(parent, id, &r, on ? "then" : "now");
	}
	if ((seen = calloc(DRYRUN_MAXCHAIN, sizeof(*seen))) == NULL)
		return;
	memcpy(seen[0].name, name, len);
	seen[0].len = len;
	/* each pass adds the CNAMEs one step further from name */
	while (n > prev && n < DRYRUN_MAXCHAIN) {
		prev = n;
		for (i = 0; i < sz->src.nrr && n < DRYRUN_MAXCHAIN; i++) {
			t = &sz->src.rrs[i];
			if (t->type != DNS_T_CNAME || !proxy_reaches(seen, n,
			    t))
				continue;
			memcpy(seen[n].name, t->owner, t->ownerlen);
			seen[n++].len = t->ownerlen;
			show_rr(parent, id, t, "chain");
		}
	}
	free(seen);
}

/* Whether CNAME t points at a name of seen[] and is not one itself. */
static int
proxy_reaches(struct dname *seen, size_t n, const struct zrr *t)
{
	size_t	 i;
	int	 hit = 0;

	for (i = 0; i < n; i++) {
		if (dns_name_equal(seen[i].name, seen[i].len, t->owner,
		    t->ownerlen))
			return 0;
		if (dns_name_equal(seen[i].name, seen[i].len, t->rdata,
		    t->rdlen))
			hit = 1;
	}
	return hit;
}

/*
 * Answer request id ("WHAT DONE") once every serverd serves the image of
 * generation gen of zone.
 */
void
zoned_wait(struct imsgev *parent, uint32_t id, const char *zone,
    uint32_t gen, const char *what, const char *done)
{
	struct waiter	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		child_result(parent, id, 0, "%s%s (served soon)", what, done);
		return;
	}
	w->id = id;
	w->gen = gen;
	w->done = done;
	w->left = zoned_nserverd();
	strlcpy(w->zone, zone, sizeof(w->zone));
	strlcpy(w->what, what, sizeof(w->what));
	TAILQ_INSERT_TAIL(&waiters, w, entry);
}

/* A serverd serves (ok) or refused the image of generation zim->gen. */
void
proxy_ack(struct imsgev *parent, const struct zone_image_msg *zim, int ok)
{
	struct waiter	*w, *t;

	TAILQ_FOREACH_SAFE(w, &waiters, entry, t) {
		if (w->gen != zim->gen || strcmp(w->zone, zim->zone) != 0)
			continue;
		if (!ok)
			w->refused++;
		if (--w->left > 0)
			continue;
		if (w->refused)
			child_result(parent, w->id, 1, "zone %s: %s%s, but "
			    "%d serverd refused the new image (see the log)",
			    w->zone, w->what, w->done, w->refused);
		else
			child_result(parent, w->id, 0, "%s%s", w->what,
			    w->done);
		TAILQ_REMOVE(&waiters, w, entry);
		free(w);
	}
}
