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
 * secctl proxy ZONE NAME on|off: the checks, on the zone as a view
 * (view.c) shows it, the change of NAME.over made (change.c), and the
 * answer once every serverd serves the new image.
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

static int	proxy_facts(struct zview *, const uint8_t *, size_t,
		    struct facts *);
static int	proxy_refuse_on(struct imsgev *, uint32_t, const char *,
		    const char *, const struct facts *, uint32_t);
static void	proxy_dryrun(struct imsgev *, uint32_t,
		    const struct zone_src *, const uint8_t *, size_t, int,
		    const struct proxy_conf *);
static int	proxy_reaches(struct dname *, size_t, const struct zrr *);

/* What view v holds at and above name: 0, or -1 when out of memory. */
static int
proxy_facts(struct zview *v, const uint8_t *name, size_t len,
    struct facts *f)
{
	const struct zrr	*rrs;
	uint8_t			 cut[DNS_MAXNAME];
	size_t			 i, n, cutlen;

	memset(f, 0, sizeof(*f));
	f->signed_zone = view_signed(v);
	if (view_cut(v, name, len, cut, &cutlen))
		dns_name_to_text(cut, cutlen, f->cut, sizeof(f->cut));
	if (view_owner(v, name, len, &rrs, &n) == -1)
		return -1;
	f->records = n;
	for (i = 0; i < n; i++)
		f->addr |= dns_type_proxyable(rrs[i].type);
	return 0;
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
	struct zview		 v;
	struct overrides	 o;
	struct facts		 f;
	struct override		*ov;
	struct change		 c;
	const struct zone_conf	*zc;
	const struct proxy_conf	*pc;
	const struct zone_src	*src;
	char			 err[SECD_MSGLEN], source[OVER_SOURCE_MAX];
	uint8_t			 name[DNS_MAXNAME], apex[DNS_MAXNAME];
	size_t			 len, apexlen;
	uint32_t		 gen;
	int			 on = (req->flags & CTL_F_ON) != 0;
	const char		*done = on ? " proxied" : " no longer proxied";

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
	if (view_overrides(parent, id, zc->name, &o) == -1)
		return;
	ov = over_find(&o, name, len);
	if (!on && (ov == NULL || !ov->proxied)) {
		over_free(&o);
		child_result(parent, id, 0, "%s is not proxied", req->name);
		return;
	}
	if (on && ov != NULL && ov->proxied) {
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
	if (view_request(&v, parent, id, zc->name) == -1) {
		over_free(&o);
		return;
	}
	if (proxy_facts(&v, name, len, &f) == -1) {
		view_close(&v);
		over_free(&o);
		child_result(parent, id, 1, "zone %s: out of memory, nothing "
		    "changed", zc->name);
		return;
	}
	if (on && proxy_refuse_on(parent, id, zc->name, req->name, &f,
	    view_serial(&v)) == -1) {
		view_close(&v);
		over_free(&o);
		return;
	}
	if (req->flags & CTL_F_DRYRUN) {
		if ((src = view_records(&v, err, sizeof(err))) == NULL)
			child_result(parent, id, 1, "zone %s: stored data not "
			    "usable: %s", zc->name, err);
		else {
			proxy_dryrun(parent, id, src, name, len, on, pc);
			child_result(parent, id, 0, "dry run: nothing "
			    "changed");
		}
		view_close(&v);
		over_free(&o);
		return;
	}
	view_close(&v);
	snprintf(source, sizeof(source), "secctl uid %u", req->uid);
	if (over_set(&o, name, len, on, source) == -1) {
		over_free(&o);
		child_result(parent, id, 1, "zone %s: nothing changed: out of "
		    "memory", zc->name);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.zone = zc->name;
	c.o = &o;
	c.owner = name;
	c.ownerlen = len;
	if (change_apply(&c, &gen, err, sizeof(err)) == -1) {
		over_free(&o);
		child_result(parent, id, 1, "zone %s: nothing changed: %s",
		    zc->name, err);
		return;
	}
	over_free(&o);
	log_info("zone %s: %s%s (%s)", zc->name, req->name, done, source);
	change_wait(parent, id, zc->name, gen, req->name, done);
}

/*
 * proxy -n: the rows whose answers would change, nothing stored: the
 * origin's A, AAAA and CNAME at name and the proxy set, "now" and "then"
 * (the other way round for off), and every CNAME whose chain in the zone
 * reaches name, "chain": its A and AAAA answers change with it.
 */
static void
proxy_dryrun(struct imsgev *parent, uint32_t id, const struct zone_src *src,
    const uint8_t *name, size_t len, int on, const struct proxy_conf *pc)
{
	struct dname	*seen;
	struct zrr	 r;
	const struct zrr *t;
	size_t		 i, n = 1, prev = 0;
	int		 j;

	for (i = 0; i < src->nrr; i++) {
		t = &src->rrs[i];
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
		for (i = 0; i < src->nrr && n < DRYRUN_MAXCHAIN; i++) {
			t = &src->rrs[i];
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
