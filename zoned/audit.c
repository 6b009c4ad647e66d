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
 * secctl audit ZONE: every answer of the image served, read back the way
 * serverd sends it, each A and AAAA record in it checked against the
 * merged zone (the transfer with the overrides and the apex CNAME, as
 * zoned builds it).  The origin addresses are the transferred A and AAAA
 * of the proxied names, and of the apex when an apex CNAME hides them.
 * A record the merged zone does not give its owner is a "leak" when its
 * address is an origin address (secctl(8), audit: never), else "stale" (the
 * image is not the merge of what is stored: also never); one the merged
 * zone gives a name that is not proxied, with an origin address, is
 * "exposed": that name shares the origin's address, which only the
 * operator can change.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fnv.h"
#include "image.h"
#include "log.h"
#include "override.h"
#include "zoned.h"

#define AUDIT_MAXROWS	1000	/* findings shown; all are counted */
#define AUDIT_PLANLEN	8192	/* characters of a row of the plan */

/* A set of (owner, address) or of addresses alone (owner NULL). */
struct aset {
	const struct zrr	**v;		/* NULL: empty slot */
	uint32_t		 mask;
	int			 by_owner;
};

struct audit {
	struct imsgev		*parent;
	uint32_t		 id;
	const char		*zone;
	const uint8_t		*img;
	size_t			 size;
	struct stored_zone	 sz;
	struct overrides	 o;
	struct merged		 m;
	struct aset		 served;	/* (owner, address) merged */
	struct aset		 origin;	/* origin addresses */
	uint64_t		 answers, records, leaks, stale, exposed;
	/* audit ... at: the row being filled */
	const char		*plankind;
	char			 plan[AUDIT_PLANLEN];
	size_t			 planlen;
};

static int	aset_init(struct aset *, size_t, int);
static uint32_t	aset_hash(const struct aset *, const uint8_t *, size_t,
		    const uint8_t *, size_t);
static const struct zrr **aset_slot(const struct aset *, const uint8_t *,
		    size_t, const uint8_t *, size_t);
static int	audit_load(struct audit *, const char *, char *, size_t);
static void	plan_begin(struct audit *, const char *);
static void	plan_add(struct audit *, const uint8_t *, size_t, uint16_t,
		    const uint8_t *);
static void	plan_end(struct audit *);
static void	audit_free(struct audit *);
static void	audit_blob(struct audit *, const uint8_t *, size_t, uint32_t);
static void	audit_rr(struct audit *, const struct dns_rr *,
		    const uint8_t *, size_t);
static const struct zrr *audit_served(const struct audit *,
		    const struct dns_rr *);

static int
aset_init(struct aset *s, size_t n, int by_owner)
{
	for (s->mask = 16; s->mask < n * 2; s->mask <<= 1)
		;
	if ((s->v = calloc(s->mask, sizeof(*s->v))) == NULL)
		return -1;
	s->mask--;
	s->by_owner = by_owner;
	return 0;
}

/* FNV-1a of the owner in lower case (when by owner), then the address. */
static uint32_t
aset_hash(const struct aset *s, const uint8_t *owner, size_t olen,
    const uint8_t *addr, size_t alen)
{
	uint32_t	 h = FNV_BASIS;

	if (s->by_owner)
		h = fnv_add_lower(h, owner, olen);
	return fnv_add(h, addr, alen);
}

/* The slot of (owner, address), or the empty one it would go to. */
static const struct zrr **
aset_slot(const struct aset *s, const uint8_t *owner, size_t olen,
    const uint8_t *addr, size_t alen)
{
	const struct zrr	*r;
	uint32_t		 i;

	i = aset_hash(s, owner, olen, addr, alen) & s->mask;
	for (;; i = (i + 1) & s->mask) {
		if ((r = s->v[i]) == NULL)
			return &s->v[i];
		if (r->rdlen == alen && memcmp(r->rdata, addr, alen) == 0 &&
		    (!s->by_owner || dns_name_equal(r->owner, r->ownerlen,
		    owner, olen)))
			return &s->v[i];
	}
}

/* The merged zone, what it serves, and the origin addresses. */
static int
audit_load(struct audit *a, const char *zone, char *err, size_t errlen)
{
	struct merge_index	 x;
	const struct zrr	*r, **slot;
	size_t			 i;

	if (over_load(zone, &a->o, err, errlen) == -1)
		return -1;
	if (store_zone(zone, NULL, NULL, &a->sz, err, errlen) == -1) {
		over_free(&a->o);
		return -1;
	}
	if (merge_zone(&a->sz.src, &a->o, zoned_proxy_conf(zone), 0, &a->m,
	    err, errlen) == -1)
		return -1;
	if (merge_index_init(&x, &a->o) == -1 ||
	    aset_init(&a->served, a->m.src.nrr, 1) == -1 ||
	    aset_init(&a->origin, a->sz.src.nrr, 0) == -1) {
		merge_index_free(&x);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < a->m.src.nrr; i++) {
		r = &a->m.src.rrs[i];
		if (!dns_rdata_is_addr(r->type, r->rdlen))
			continue;
		slot = aset_slot(&a->served, r->owner, r->ownerlen, r->rdata,
		    r->rdlen);
		*slot = r;
	}
	for (i = 0; i < a->sz.src.nrr; i++) {
		r = &a->sz.src.rrs[i];
		if (!dns_rdata_is_addr(r->type, r->rdlen) ||
		    (merge_match(&x, r) == 0 && !(a->o.apex.set &&
		    dns_name_equal(r->owner, r->ownerlen, a->sz.src.apex,
		    a->sz.src.apexlen))))
			continue;
		slot = aset_slot(&a->origin, NULL, 0, r->rdata, r->rdlen);
		*slot = r;
	}
	merge_index_free(&x);
	return 0;
}

static void
audit_free(struct audit *a)
{
	free(a->served.v);
	free(a->origin.v);
	merge_free(&a->m);
	if (a->sz.map != NULL)
		store_unload(&a->sz);
	over_free(&a->o);
}

/*
 * The merged record rr is: at its owner, or at a wildcard above it (a
 * CNAME chain's target or an additional section's name may be one the
 * wildcard synthesizes), NULL if none.
 */
static const struct zrr *
audit_served(const struct audit *a, const struct dns_rr *rr)
{
	const struct zrr	*r;
	uint8_t			 wild[DNS_MAXNAME];
	size_t			 off = 0, len;

	if ((r = *aset_slot(&a->served, rr->owner, rr->ownerlen, rr->rdata,
	    rr->rdlen)) != NULL)
		return r;
	while (rr->owner[off] != 0) {
		off += rr->owner[off] + 1;
		len = rr->ownerlen - off;
		if (len + 2 > sizeof(wild))
			continue;
		wild[0] = 1;
		wild[1] = '*';
		memcpy(wild + 2, rr->owner + off, len);
		if ((r = *aset_slot(&a->served, wild, len + 2, rr->rdata,
		    rr->rdlen)) != NULL)
			return r;
	}
	return NULL;
}

/* One A or AAAA record of an answer to qname. */
static void
audit_rr(struct audit *a, const struct dns_rr *rr, const uint8_t *qname,
    size_t qlen)
{
	struct ctl_rr	 row;
	char		 q[DNS_MAXNAME * 4 + 2], content[DNS_MAXNAME * 4 + 96];
	char		 addr[INET6_ADDRSTRLEN];
	const char	*kind;
	const struct zrr *own;
	int		 origin;

	a->records++;
	origin = *aset_slot(&a->origin, NULL, 0, rr->rdata, rr->rdlen) !=
	    NULL;
	own = audit_served(a, rr);
	if (own == NULL && origin) {
		kind = "leak";
		a->leaks++;
	} else if (own == NULL) {
		kind = "stale";
		a->stale++;
	} else if (origin && !own->proxy) {
		kind = "exposed";
		a->exposed++;
	} else
		return;
	if (a->leaks + a->stale + a->exposed > AUDIT_MAXROWS)
		return;
	memset(&row, 0, sizeof(row));
	strlcpy(row.type, rr->type == DNS_T_A ? "A" : "AAAA",
	    sizeof(row.type));
	dns_name_to_text(rr->owner, rr->ownerlen, row.name, sizeof(row.name));
	strlcpy(row.proxy, kind, sizeof(row.proxy));
	row.ttl = rr->ttl;
	dns_name_to_text(qname, qlen, q, sizeof(q));
	inet_ntop(rr->type == DNS_T_A ? AF_INET : AF_INET6, rr->rdata, addr,
	    sizeof(addr));
	snprintf(content, sizeof(content), "%s in an answer for %s", addr, q);
	show_row(a->parent, a->id, &row, content);
}

/*
 * The blob at off as serverd sends it for a query of qname: the header,
 * the question, data[] with its pointers moved; every record read back.
 */
static void
audit_blob(struct audit *a, const uint8_t *qname, size_t qlen, uint32_t off)
{
	const struct image_blob	*b = image_blob_at(a->img, off);
	const uint16_t		*fix = image_blob_fix(b);
	struct dns_rr		 rr;
	struct wire		 w;
	uint8_t			 msg[DNS_HDRLEN + DNS_MAXNAME + 4 + 65535];
	size_t			 start = DNS_HDRLEN + qlen + 4, i;
	uint16_t		 p;
	unsigned		 n;

	if (off == 0)
		return;
	a->answers++;
	memset(msg, 0, DNS_HDRLEN);
	memcpy(msg + DNS_HDRLEN, qname, qlen);
	memset(msg + DNS_HDRLEN + qlen, 0, 4);
	memcpy(msg + start, image_blob_data(b), b->len);
	for (i = 0; b->nfix > 0 && qlen != b->base && i < b->nfix; i++) {
		p = (msg[start + fix[i]] << 8 | msg[start + fix[i] + 1]) +
		    (qlen - b->base);
		msg[start + fix[i]] = p >> 8;
		msg[start + fix[i] + 1] = p & 0xff;
	}
	wire_init(&w, msg, start + b->len);
	wire_skip(&w, start);
	for (n = 0; n < (unsigned)b->ancount + b->nscount + b->arcount; n++) {
		if (wire_rr(&w, &rr) == -1) {
			log_warnx("zone %s: audit: a blob at %u does not read "
			    "back", a->zone, off);
			return;
		}
		if (dns_rdata_is_addr(rr.type, rr.rdlen))
			audit_rr(a, &rr, qname, qlen);
	}
}

void
zoned_audit(struct imsgev *parent, uint32_t id, const char *zone)
{
	const struct image_header *h;
	const struct image_name	*nm;
	const struct image_rrset *rs;
	const uint32_t		*hash;
	struct audit		 a;
	char			 err[SECD_MSGLEN];
	uint32_t		 i, serial, nnames;
	uint8_t			*img;
	int			 t;

	if (!zoned_configured(zone)) {
		child_result(parent, id, 1, "zone %s is not configured", zone);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.parent = parent;
	a.id = id;
	a.zone = zone;
	/* the image served: the base with its overlays (ovl.c) */
	if (ovl_image(zone, &img, &a.size, err, sizeof(err)) == -1) {
		child_result(parent, id, 1, "zone %s: no image to audit: %s",
		    zone, err);
		return;
	}
	a.img = img;
	if (audit_load(&a, zone, err, sizeof(err)) == -1) {
		free(img);
		audit_free(&a);
		child_result(parent, id, 1, "zone %s: %s", zone, err);
		return;
	}
	h = (const struct image_header *)a.img;
	hash = (const uint32_t *)(a.img + h->hash_off);
	audit_blob(&a, h->apex, h->apexlen, h->nxdomain_off);
	audit_blob(&a, h->apex, h->apexlen, h->nodata_off);
	for (i = 0; i < h->hash_size; i++) {
		if (hash[i] == 0)
			continue;
		nm = image_name_at(a.img, hash[i]);
		rs = image_name_rrsets(nm);
		for (t = 0; t < nm->ntypes; t++)
			audit_blob(&a, image_name_bytes(nm), nm->namelen,
			    rs[t].blob_off);
		audit_blob(&a, image_name_bytes(nm), nm->namelen,
		    nm->other_off);
		audit_blob(&a, image_name_bytes(nm), nm->namelen,
		    nm->deleg_off);
	}
	serial = h->serial;
	nnames = h->nnames;
	free(img);
	audit_free(&a);
	iev_add(parent);
	child_result(parent, id, 0, "zone %s serial %u: %u names, %llu "
	    "answers, %llu address records: %llu leaks, %llu stale, %llu "
	    "exposed", zone, serial, nnames, (unsigned long long)a.answers,
	    (unsigned long long)a.records, (unsigned long long)a.leaks,
	    (unsigned long long)a.stale, (unsigned long long)a.exposed);
}

/*
 * secctl audit ZONE at ADDRESS: what secctl asks another server (a
 * secondary of secd) and looks for in its answers, in rows of at most
 * AUDIT_PLANLEN characters: "names", the owners of the merged zone,
 * and "origin", the origin addresses (as audit's), space separated.
 */
void
zoned_audit_plan(struct imsgev *parent, uint32_t id, const char *zone)
{
	struct audit		 a;
	const struct zrr	*r, *prev = NULL;
	char			 err[SECD_MSGLEN];
	size_t			 i, names = 0, origins = 0;

	if (!zoned_configured(zone)) {
		child_result(parent, id, 1, "zone %s is not configured", zone);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.parent = parent;
	a.id = id;
	a.zone = zone;
	if (audit_load(&a, zone, err, sizeof(err)) == -1) {
		audit_free(&a);
		child_result(parent, id, 1, "zone %s: %s", zone, err);
		return;
	}
	plan_begin(&a, "names");
	for (i = 0; i < a.m.src.nrr; i++) {
		r = &a.m.src.rrs[i];
		/* a zone's records come by owner: each asked once, or so */
		if (r->hidden || (prev != NULL && dns_name_equal(r->owner,
		    r->ownerlen, prev->owner, prev->ownerlen)))
			continue;
		prev = r;
		plan_add(&a, r->owner, r->ownerlen, 0, NULL);
		names++;
	}
	plan_end(&a);
	plan_begin(&a, "origin");
	for (i = 0; i <= a.origin.mask; i++)
		if ((r = a.origin.v[i]) != NULL) {
			plan_add(&a, NULL, 0, r->type, r->rdata);
			origins++;
		}
	plan_end(&a);
	audit_free(&a);
	iev_add(parent);
	child_result(parent, id, 0, "zone %s: %zu names to ask, %zu origin "
	    "addresses to look for", zone, names, origins);
}

/* The plan's rows of kind (audit.plan*): one begun. */
static void
plan_begin(struct audit *a, const char *kind)
{
	a->plankind = kind;
	a->planlen = 0;
	a->plan[0] = '\0';
}

/* A name (owner) or an address (type, rdata) into the row, sent full. */
static void
plan_add(struct audit *a, const uint8_t *owner, size_t olen, uint16_t type,
    const uint8_t *rdata)
{
	char	 w[DNS_MAXNAMESTR];

	if (owner != NULL)
		dns_name_to_text(owner, olen, w, sizeof(w));
	else
		inet_ntop(type == DNS_T_A ? AF_INET : AF_INET6, rdata, w,
		    sizeof(w));
	if (a->planlen + strlen(w) + 2 > sizeof(a->plan))
		plan_end(a);
	a->planlen += snprintf(a->plan + a->planlen,
	    sizeof(a->plan) - a->planlen, "%s%s", a->planlen ? " " : "", w);
}

static void
plan_end(struct audit *a)
{
	struct ctl_rr	 row;

	if (a->planlen == 0)
		return;
	memset(&row, 0, sizeof(row));
	strlcpy(row.type, "-", sizeof(row.type));
	strlcpy(row.proxy, a->plankind, sizeof(row.proxy));
	show_row(a->parent, a->id, &row, a->plan);
	a->planlen = 0;
	a->plan[0] = '\0';
}
