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
 * The merge: a zone's transferred records and its overrides (override.h)
 * into the records the builder is given (secctl(8) proxy and apex), for
 * the whole zone (merge_zone) or for the owners a change reaches in the
 * kept zone (merge_owner, merge_kept).  A proxied name's records that
 * dns_type_proxy_hides() names make way for the proxy set; they are kept,
 * hidden, for a kept zone, so that the next change of the name is merged
 * again.  Then the apex CNAME (secctl(8), apex): the apex's A and AAAA
 * make way (transferred ones hidden for a kept zone, the proxy set's
 * dropped) for the proxy set (proxied), or, flattened, for the addresses
 * at the end of the target's CNAME chain in the zone as it is served (a
 * proxied name's are its proxy set), or for the resolver's last good
 * answer for the name where the chain leaves the zone.  The records put
 * there carry apexcname (builder.h).  No zoned state here: the tests link
 * it.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "fnv.h"
#include "merge.h"

/* What a walk sees at a name: a served A or AAAA, a served CNAME. */
struct walk_at {
	int			 addr;
	const uint8_t		*cname;
	size_t			 cnamelen;
};

/* The records at a name after a change: the change's, else the builder's. */
struct kept_arg {
	struct builder		*b;
	const struct bowner	*ch;
	size_t			 n;
	struct zrr		*tmp;		/* builder_owner's, owned */
	size_t			 ntmp;
	int			 transferred;	/* walk those, not the served */
};

typedef int	(*walk_fn)(void *, const uint8_t *, size_t, struct walk_at *);

static void	flat_scan(const struct zrr *, size_t, const uint8_t *, size_t,
		    int, struct walk_at *);
static int	flat_walk(walk_fn, void *, const uint8_t *, size_t,
		    const uint8_t *, size_t, struct walk *);
static int	walk_src(void *, const uint8_t *, size_t, struct walk_at *);
static int	walk_kept(void *, const uint8_t *, size_t, struct walk_at *);
static int	kept_owner(struct kept_arg *, const uint8_t *, size_t,
		    const struct zrr **, size_t *);
static const struct proxy_conf *flat_plan(const struct apex_cname *,
		    const struct proxy_conf *, const struct walk *,
		    struct apex_state *);
static int	flat_keeps(struct zrr *, int);
static size_t	flat_put(struct zrr *, const uint8_t *, size_t,
		    const struct zrr *, size_t, const struct walk *,
		    const struct proxy_conf *, const struct proxy_conf *);
static int	merge_apex(struct overrides *, const struct proxy_conf *, int,
		    struct merged *, char *, size_t);
static int	flat_same(const struct zrr *, size_t, const struct zrr *,
		    size_t);

/*
 * What the served records among rrs hold at name (with transferred, the
 * transferred records instead: hidden ones too, the merge's aside).
 */
static void
flat_scan(const struct zrr *rrs, size_t n, const uint8_t *name, size_t len,
    int transferred, struct walk_at *at)
{
	const struct zrr	*r;
	size_t			 i;

	memset(at, 0, sizeof(*at));
	for (i = 0; i < n; i++) {
		r = &rrs[i];
		if ((transferred ? r->proxy || r->apexcname : r->hidden) ||
		    (!dns_type_is_addr(r->type) &&
		    r->type != DNS_T_CNAME) || !dns_name_equal(r->owner,
		    r->ownerlen, name, len))
			continue;
		if (r->type == DNS_T_CNAME) {
			at->cname = r->rdata;
			at->cnamelen = r->rdlen;
		} else
			at->addr = 1;
	}
}

/* The chain from target, what at() finds at each name; -1 if it fails. */
static int
flat_walk(walk_fn at, void *arg, const uint8_t *apex, size_t apexlen,
    const uint8_t *target, size_t len, struct walk *w)
{
	struct walk_at	 wa;
	int		 hops;

	memset(w, 0, sizeof(*w));
	memcpy(w->end, target, len);
	w->endlen = len;
	for (hops = 0;; hops++) {
		if (hops > APEX_MAXCHAIN || dns_name_equal(w->end, w->endlen,
		    apex, apexlen)) {
			w->kind = WALK_LOOP;
			return 0;
		}
		if (!dns_name_subdomain(w->end, w->endlen, apex, apexlen)) {
			w->kind = WALK_OUT;
			return 0;
		}
		if (at(arg, w->end, w->endlen, &wa) == -1)
			return -1;
		if (wa.addr) {
			w->kind = WALK_ADDR;
			return 0;
		}
		if (wa.cname == NULL || wa.cnamelen > sizeof(w->end)) {
			w->kind = WALK_NONE;
			return 0;
		}
		memcpy(w->end, wa.cname, wa.cnamelen);
		w->endlen = wa.cnamelen;
	}
}

static int
walk_src(void *arg, const uint8_t *name, size_t len, struct walk_at *at)
{
	const struct zone_src	*src = arg;

	flat_scan(src->rrs, src->nrr, name, len, 0, at);
	return 0;
}

/* Where the chain from target ends in src's records (a scan per name). */
void
merge_walk(const struct zone_src *src, const uint8_t *target, size_t len,
    struct walk *w)
{
	(void)flat_walk(walk_src, (void *)src, src->apex, src->apexlen,
	    target, len, w);
}

static int
walk_kept(void *arg, const uint8_t *name, size_t len, struct walk_at *at)
{
	const struct zrr	*v;
	size_t			 n;

	struct kept_arg		*l = arg;

	if (kept_owner(l, name, len, &v, &n) == -1)
		return -1;
	flat_scan(v, n, name, len, l->transferred, at);
	return 0;
}

/*
 * Where the chain from target ends in the transferred records kept by b
 * (the zone as the primary has it); -1 when out of memory.
 */
int
merge_walk_kept(struct builder *b, const uint8_t *target, size_t len,
    struct walk *w)
{
	struct kept_arg	 l;
	const uint8_t	*apex;
	size_t		 apexlen;
	int		 rv;

	memset(&l, 0, sizeof(l));
	l.b = b;
	l.transferred = 1;
	apex = builder_apex(b, &apexlen);
	rv = flat_walk(walk_kept, &l, apex, apexlen, target, len, w);
	free(l.tmp);
	return rv;
}

static int
kept_owner(struct kept_arg *l, const uint8_t *name, size_t len,
    const struct zrr **v, size_t *n)
{
	uint8_t		 lname[DNS_MAXNAME];
	size_t		 k;

	for (k = 0; k < l->n; k++)
		if (dns_name_equal(l->ch[k].owner, l->ch[k].ownerlen, name,
		    len)) {
			*v = l->ch[k].rrs;
			*n = l->ch[k].nrr;
			return 0;
		}
	free(l->tmp);
	l->tmp = NULL;
	l->ntmp = 0;
	memcpy(lname, name, len);
	dns_name_lower(lname, len);
	if (builder_owner(l->b, lname, len, &l->tmp, &l->ntmp) == -1)
		return -1;
	*v = l->tmp;
	*n = l->ntmp;
	return 0;
}

/*
 * The addresses apex CNAME a puts at the apex, the chain walked (w): the
 * proxy set or the resolver's answer, returned; NULL for the addresses
 * at w->end (WALK_ADDR) or none.  st: what xfrd is to resolve.
 */
static const struct proxy_conf *
flat_plan(const struct apex_cname *a, const struct proxy_conf *pc,
    const struct walk *w, struct apex_state *st)
{
	if (a->proxied)
		return pc;
	if (w->kind == WALK_OUT) {
		memcpy(st->resolve, w->end, w->endlen);
		st->resolvelen = w->endlen;
		if (dns_name_equal(a->rname, a->rnamelen, w->end, w->endlen))
			return &a->raddrs;
		st->unresolved = 1;
	} else if (w->kind == WALK_LOOP)
		st->apexloop = 1;
	return NULL;
}

/*
 * r, a record at the apex, with an apex CNAME: 0 when it goes (an A or
 * AAAA of the proxy set or of the apex CNAME, or transferred without
 * keep), else 1 (a transferred A or AAAA hidden).
 */
static int
flat_keeps(struct zrr *r, int keep)
{
	if (!dns_type_is_addr(r->type))
		return 1;
	if (r->proxy || r->apexcname || !keep)
		return 0;
	r->hidden = 1;
	return 1;
}

/*
 * The apex's addresses into out: the served A and AAAA among tgt at
 * w->end (WALK_ADDR), then set (if any), each owned by the apex.
 */
static size_t
flat_put(struct zrr *out, const uint8_t *apex, size_t apexlen,
    const struct zrr *tgt, size_t ntgt, const struct walk *w,
    const struct proxy_conf *set, const struct proxy_conf *pc)
{
	size_t	 i, k = 0, n;

	for (i = 0; w->kind == WALK_ADDR && i < ntgt; i++) {
		if (tgt[i].hidden || !dns_type_is_addr(tgt[i].type) ||
		    !dns_name_equal(tgt[i].owner, tgt[i].ownerlen, w->end,
		    w->endlen))
			continue;
		out[k] = tgt[i];
		out[k].owner = apex;
		out[k].ownerlen = apexlen;
		out[k++].apexcname = 1;
	}
	if (set == NULL)
		return k;
	n = merge_synth(&out[k], apex, apexlen, set, set == pc);
	for (i = k; i < k + n; i++)
		out[i].apexcname = 1;
	return k + n;
}

/*
 * The apex CNAME applied to m (merge_zone's records): the apex's A and
 * AAAA replaced, transferred ones kept hidden with keep (for a kept
 * builder); m->ap says what xfrd is to resolve.
 */
static int
merge_apex(struct overrides *o, const struct proxy_conf *pc, int keep,
    struct merged *m, char *err, size_t errlen)
{
	const struct apex_cname	*a = &o->apex;
	const struct proxy_conf	*set;
	const struct zone_src	*in = &m->src;
	struct walk		 w;
	size_t			 i, k, add = 0;

	memset(&m->ap, 0, sizeof(m->ap));
	if (!a->set)
		return 0;
	memset(&w, 0, sizeof(w));
	w.kind = WALK_NONE;
	if (!a->proxied)
		merge_walk(in, a->target, a->targetlen, &w);
	set = flat_plan(a, pc, &w, &m->ap);
	for (i = 0; w.kind == WALK_ADDR && i < in->nrr; i++)
		add += dns_type_is_addr(in->rrs[i].type) &&
		    !in->rrs[i].hidden && dns_name_equal(in->rrs[i].owner,
		    in->rrs[i].ownerlen, w.end, w.endlen);
	if (set != NULL)
		add += set->n4 + set->n6;
	if ((m->arrs = calloc(in->nrr + add + 1, sizeof(*m->arrs))) == NULL) {
		snprintf(err, errlen, "out of memory for the apex CNAME");
		return -1;
	}
	for (i = k = 0; i < in->nrr; i++) {
		m->arrs[k] = in->rrs[i];
		if (!dns_name_equal(in->rrs[i].owner, in->rrs[i].ownerlen,
		    in->apex, in->apexlen) || flat_keeps(&m->arrs[k], keep))
			k++;
	}
	k += flat_put(&m->arrs[k], in->apex, in->apexlen, in->rrs, in->nrr,
	    &w, set, pc);
	m->src.rrs = m->arrs;
	m->src.nrr = k;
	return 0;
}

/* The same records, in any order (the apex's: a few). */
static int
flat_same(const struct zrr *a, size_t na, const struct zrr *b, size_t nb)
{
	uint8_t	*used;
	size_t	 i, j;

	if (na != nb || (used = calloc(na + 1, 1)) == NULL)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!used[j] && a[i].type == b[j].type &&
			    a[i].class == b[j].class && a[i].ttl == b[j].ttl &&
			    a[i].rdlen == b[j].rdlen &&
			    a[i].proxy == b[j].proxy &&
			    a[i].hidden == b[j].hidden &&
			    a[i].apexcname == b[j].apexcname &&
			    memcmp(a[i].rdata, b[j].rdata, a[i].rdlen) == 0)
				break;
		if (j == nb)
			break;
		used[j] = 1;
	}
	free(used);
	return i == na;
}

/*
 * A change ch (n distinct owners, merged with their overrides, none of the
 * records an apex CNAME puts) for kept builder b, with the apex's records made
 * again after it when o's apex CNAME (set, or cleared) gives them other
 * records: al->ch and al->n are the change to make, the apex in it when
 * its records change; al->ap says what xfrd is to resolve.  -1 when out
 * of memory.
 */
int
merge_kept(struct builder *b, const struct overrides *o,
    const struct proxy_conf *pc, const struct bowner *ch, size_t n,
    struct kept_change *al)
{
	const struct apex_cname	*a = &o->apex;
	const struct proxy_conf	*set = NULL;
	const struct override	*v;
	const struct zrr	*base = NULL, *tgt = NULL;
	struct kept_arg		 l;
	struct walk		 w;
	struct zrr		*cur = NULL, *tr = NULL, *own = NULL;
	const uint8_t		*apex;
	size_t			 apexlen, ncur = 0, nbase = 0, ntgt = 0, i, k, at;
	int			 rv = -1;

	memset(al, 0, sizeof(*al));
	al->ch = ch;
	al->n = n;
	if (builder_signed(b))
		return 0;	/* its apex CNAME is dormant (merge_zone) */
	apex = builder_apex(b, &apexlen);
	memset(&l, 0, sizeof(l));
	l.b = b;
	l.ch = ch;
	l.n = n;
	for (at = 0; at < n; at++)
		if (dns_name_equal(ch[at].owner, ch[at].ownerlen, apex,
		    apexlen))
			break;
	if (at < n) {
		if (!a->set)
			return 0;	/* the change's records are the apex's */
		base = ch[at].rrs;
		nbase = ch[at].nrr;
	} else {
		/* the apex as the transfer and its override make it */
		if (builder_owner(b, apex, apexlen, &cur, &ncur) == -1 ||
		    (tr = reallocarray(NULL, ncur + 1, sizeof(*tr))) == NULL ||
		    (own = calloc(ncur + pc->n4 + pc->n6 + 1,
		    sizeof(*own))) == NULL)
			goto done;
		memcpy(tr, cur, ncur * sizeof(*cur));
		nbase = merge_transferred(tr, ncur);
		v = over_find(o, apex, apexlen);
		if (nbase > 0)
			nbase = merge_owner(tr, nbase, v != NULL && v->proxied,
			    pc, own);
		base = own;
	}
	memset(&w, 0, sizeof(w));
	w.kind = WALK_NONE;
	if (a->set && !a->proxied && flat_walk(walk_kept, &l, apex, apexlen,
	    a->target, a->targetlen, &w) == -1)
		goto done;
	if (a->set)
		set = flat_plan(a, pc, &w, &al->ap);
	if (w.kind == WALK_ADDR && kept_owner(&l, w.end, w.endlen, &tgt,
	    &ntgt) == -1)
		goto done;
	if ((al->rrs = calloc(nbase + ntgt + 2 * SECD_PROXY_MAX + 1,
	    sizeof(*al->rrs))) == NULL)
		goto done;
	for (i = k = 0; i < nbase; i++) {
		al->rrs[k] = base[i];
		if (!a->set || flat_keeps(&al->rrs[k], 1))
			k++;
	}
	if (a->set)
		k += flat_put(&al->rrs[k], apex, apexlen, tgt, ntgt, &w, set,
		    pc);
	if (at == n && flat_same(cur, ncur, al->rrs, k)) {
		rv = 0;
		goto done;
	}
	if ((al->own = calloc(n + 1, sizeof(*al->own))) == NULL)
		goto done;
	if (n > 0)
		memcpy(al->own, ch, n * sizeof(*ch));
	al->own[at].owner = apex;
	al->own[at].ownerlen = apexlen;
	al->own[at].rrs = al->rrs;
	al->own[at].nrr = k;
	al->ch = al->own;
	al->n = at == n ? n + 1 : n;
	rv = 0;
 done:
	free(cur);
	free(tr);
	free(own);
	free(l.tmp);
	return rv;
}

void
merge_kept_free(struct kept_change *al)
{
	free(al->own);
	free(al->rrs);
	memset(al, 0, sizeof(*al));
}

/* Whether the transfer carries DNSSEC signatures: no proxying there. */
int
merge_signed(const struct zone_src *src)
{
	size_t	 i;

	for (i = 0; i < src->nrr; i++)
		if (src->rrs[i].type == DNS_T_RRSIG ||
		    src->rrs[i].type == DNS_T_DNSKEY)
			return 1;
	return 0;
}

/*
 * The records of an address set at owner, into out (room for n4 + n6):
 * an A for each IPv4 address, an AAAA for each IPv6 one, with its TTL;
 * proxy: it is a proxy set (the name's answers are counted).
 */
size_t
merge_synth(struct zrr *out, const uint8_t *owner, size_t ownerlen,
    const struct proxy_conf *set, int proxy)
{
	struct zrr	*r;
	int		 j;

	for (j = 0; j < set->n4 + set->n6; j++) {
		r = &out[j];
		memset(r, 0, sizeof(*r));
		r->owner = owner;
		r->ownerlen = ownerlen;
		r->class = DNS_C_IN;
		r->ttl = set->ttl;
		r->proxy = proxy;
		if (j < set->n4) {
			r->type = DNS_T_A;
			r->rdlen = 4;
			r->rdata = (const uint8_t *)&set->v4[j];
		} else {
			r->type = DNS_T_AAAA;
			r->rdlen = 16;
			r->rdata = (const uint8_t *)&set->v6[j - set->n4];
		}
	}
	return j;
}

/* A hash of the proxied owners of o, for a pass over a whole zone. */
int
merge_index_init(struct merge_index *x, const struct overrides *o)
{
	size_t		 i, n = 0;
	uint32_t	 h;

	memset(x, 0, sizeof(*x));
	x->o = o;
	for (i = 0; i < o->n; i++)
		n += o->v[i].proxied;
	if (n == 0)
		return 0;
	for (x->mask = 1; x->mask < n * 2; x->mask <<= 1)
		;
	if ((x->tab = calloc(x->mask, sizeof(*x->tab))) == NULL)
		return -1;
	x->mask--;
	x->seed = arc4random();
	for (i = 0; i < o->n; i++) {
		if (!o->v[i].proxied)
			continue;
		h = fnv_add_lower(FNV_BASIS ^ x->seed, o->v[i].owner,
		    o->v[i].ownerlen) & x->mask;
		while (x->tab[h] != 0)
			h = (h + 1) & x->mask;
		x->tab[h] = i + 1;
	}
	return 0;
}

/*
 * The proxied override (index + 1) whose owner r's is, for a record it
 * replaces or hides (A, AAAA, CNAME, HTTPS, SVCB), or 0.
 */
size_t
merge_match(const struct merge_index *x, const struct zrr *r)
{
	const struct override	*v;
	uint32_t		 h;

	if (x->tab == NULL || !dns_type_proxy_hides(r->type))
		return 0;
	h = fnv_add_lower(FNV_BASIS ^ x->seed, r->owner, r->ownerlen) &
	    x->mask;
	for (; x->tab[h] != 0; h = (h + 1) & x->mask) {
		v = &x->o->v[x->tab[h] - 1];
		if (dns_name_equal(v->owner, v->ownerlen, r->owner,
		    r->ownerlen))
			return x->tab[h];
	}
	return 0;
}

void
merge_index_free(struct merge_index *x)
{
	free(x->tab);
	memset(x, 0, sizeof(*x));
}

/*
 * The records to build: every transferred record, except that at an owner
 * proxied (and holding an A, AAAA or CNAME) the A, AAAA and CNAME records
 * are replaced by the proxy set, each address with the proxy TTL, and the
 * HTTPS and SVCB records (their address hints) are hidden, so that
 * every answer, CNAME chain, wildcard and additional section the builder
 * makes of them holds the proxy addresses and never the origin's.  Sets
 * active on each proxied override: found in the zone, else dormant.
 * With keep, the records replaced stay, hidden (builder.h), for a kept
 * builder.
 */
int
merge_zone(const struct zone_src *in, struct overrides *o,
    const struct proxy_conf *pc, int keep, struct merged *m, char *err,
    size_t errlen)
{
	const struct zrr **first = NULL;
	struct merge_index x;
	struct override	*v;
	struct zrr	*r;
	size_t		 i, j, k, drop = 0, add = 0, nact = 0;

	memset(m, 0, sizeof(*m));
	m->src = *in;
	for (i = 0; i < o->n; i++) {
		o->v[i].active = 0;
		nact += o->v[i].proxied;
	}
	if ((nact > 0 || o->apex.set) && merge_signed(in)) {
		/*
		 * Set before the primary signed the zone: a proxy set or an
		 * apex CNAME would not validate, and the origin's RRSIGs
		 * beside proxy addresses would give the origin away.  The
		 * zone is served as signed, the overrides dormant.
		 */
		m->dormant = nact;
		m->signedoff = 1;
		return 0;
	}
	if (nact == 0)
		return merge_apex(o, pc, keep, m, err, errlen);
	if (merge_index_init(&x, o) == -1 ||
	    (first = calloc(o->n, sizeof(*first))) == NULL)
		goto nomem;
	/* the owners proxied, and the records replaced */
	for (i = 0; i < in->nrr; i++) {
		r = &in->rrs[i];
		if (!dns_type_proxyable(r->type) ||
		    (j = merge_match(&x, r)) == 0)
			continue;
		v = &o->v[j - 1];
		if (!v->active) {
			v->active = 1;
			first[j - 1] = r;
			add += pc->n4 + pc->n6;
			m->proxied++;
		}
		drop++;
	}
	m->dormant = nact - m->proxied;
	if (m->proxied == 0)
		goto done;
	if ((m->rrs = calloc(in->nrr - (keep ? 0 : drop) + add,
	    sizeof(*m->rrs))) == NULL)
		goto nomem;
	for (i = k = 0; i < in->nrr; i++) {
		r = &in->rrs[i];
		if ((j = merge_match(&x, r)) != 0 && o->v[j - 1].active) {
			if (keep) {
				m->rrs[k] = *r;
				m->rrs[k++].hidden = 1;
			}
			continue;
		}
		m->rrs[k++] = *r;
	}
	for (i = 0; i < o->n; i++)
		if (first[i] != NULL)
			k += merge_synth(&m->rrs[k], first[i]->owner,
			    first[i]->ownerlen, pc, 1);
	m->src.rrs = m->rrs;
	m->src.nrr = k;
 done:
	merge_index_free(&x);
	free(first);
	return merge_apex(o, pc, keep, m, err, errlen);
 nomem:
	snprintf(err, errlen, "out of memory for the overrides");
	merge_index_free(&x);
	free(first);
	return -1;
}

/*
 * The records to build at one owner, as merge_zone() makes them for the
 * whole zone: in, its transferred records (hidden or not, no proxy set
 * among them), with its override, into out (room for n and the proxy
 * set).
 */
size_t
merge_owner(const struct zrr *in, size_t n, int proxied,
    const struct proxy_conf *pc, struct zrr *out)
{
	size_t	 i, k;
	int	 addr = 0;

	for (i = 0; i < n; i++)
		addr |= dns_type_proxyable(in[i].type);
	proxied = proxied && addr;
	for (i = k = 0; i < n; i++) {
		out[k] = in[i];
		out[k].proxy = 0;
		out[k++].hidden = proxied && dns_type_proxy_hides(in[i].type);
	}
	if (proxied)
		k += merge_synth(&out[k], in[0].owner, in[0].ownerlen, pc, 1);
	return k;
}

/*
 * v less the records a merge made (the proxy set's, the apex CNAME's):
 * the transferred ones, none hidden; their number.
 */
size_t
merge_transferred(struct zrr *v, size_t n)
{
	size_t	 i, k;

	for (i = k = 0; i < n; i++)
		if (!v[i].proxy && !v[i].apexcname) {
			v[k] = v[i];
			v[k++].hidden = 0;
		}
	return k;
}

void
merge_free(struct merged *m)
{
	free(m->rrs);
	free(m->arrs);
	memset(m, 0, sizeof(*m));
}

/*
 * What identifies the records src serves (image.h, content): the sum of
 * a hash of each one not hidden (builder_rrhash), so that the order does
 * not count and a change of some owners changes it by theirs alone.
 */
uint64_t
merge_content(const struct zone_src *src)
{
	uint64_t	 sum = 0;
	size_t		 i;

	for (i = 0; i < src->nrr; i++)
		if (!src->rrs[i].hidden)
			sum += builder_rrhash(&src->rrs[i]);
	return sum;
}
