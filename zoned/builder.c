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
 * The zone builder: every name of a zone and every answer it gives, made
 * once here so that serverd answers with a hash lookup and a copy
 * (shared/image.h is the format).
 *
 * The records are indexed by name and sorted by name, then type (node.c).
 * A pass over the names in creation order finds the zone cuts, what lies
 * under them, the wildcards and the CNAME owners; a second pass writes,
 * for each name, its answer blobs and its entry; the hash table comes
 * last, the header is filled in, and the whole is written.  The answers
 * are composed here and written in wire form by blob.c.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "siphash.h"

#define MAXLINKS	8		/* CNAME records in a followed chain */

enum chend { CH_DATA, CH_NX, CH_CUT, CH_STOP };

struct link {
	uint32_t		 rr;		/* the CNAME record */
	uint32_t		 node;		/* its node */
	uint32_t		 wild;		/* that wildcard made owner */
	const uint8_t		*owner;		/* NULL: the chain's start */
	uint8_t			 ownerlen;
};

struct chain {
	struct link		 link[MAXLINKS];
	int			 n;
	enum chend		 end;
	uint32_t		 node;		/* CH_DATA: answers the type,
					   CH_CUT: the cut */
	uint32_t		 wild;		/* CH_DATA: node is a wildcard
					   that made name */
	const uint8_t		*name;		/* CH_DATA: owner to write */
	uint8_t			 namelen;
};

static int	b_check_rr(struct builder *, size_t);
static struct builder *b_new(const struct zone_src *, const uint8_t *, int,
		    size_t, size_t, char *, size_t);
static int	b_feed(struct builder *, const struct zone_src *);
static int	b_fed(const struct builder *, const struct zone_src *);
static int	b_cname_ok(uint16_t);
static size_t	b_cutat(const struct builder *, uint32_t);
static int	b_flags(struct builder *);
static int	b_soa_tail(struct builder *, uint32_t *);
static int	b_referral(struct builder *, uint32_t);
static int	b_cut_ds(struct builder *, uint32_t);
static int	b_nodata(struct builder *, uint32_t, uint32_t *);
static int	b_plain(struct builder *, uint32_t, uint32_t, uint32_t,
		    uint32_t *);
static int	b_addl(struct builder *, uint32_t, uint32_t, uint16_t,
		    uint32_t);
static uint32_t	b_resolve(struct builder *, const uint8_t *, size_t,
		    uint32_t *);
static int	b_seen(struct builder *, uint32_t, const struct chain *,
		    const uint8_t *, size_t);
static void	b_chain(struct builder *, uint32_t, struct chain *);
static int	b_chain_cut(struct builder *, uint32_t);
static int	b_chain_links(struct builder *, const struct chain *);
static int	b_chain_blob(struct builder *, uint32_t, const struct chain *,
		    uint32_t, uint32_t, uint32_t *);
static int	b_tent(struct builder *, uint16_t, uint32_t);
static enum bmode b_mode(struct builder *, uint32_t);
static int	b_cname(struct builder *, uint32_t, uint32_t *);
static int	b_types(struct builder *, uint32_t, int);
struct bside;
static int	b_recs(struct builder *, uint32_t, uint32_t *);
static int	b_entry(struct builder *, uint32_t, const struct bside *);
static int	b_answers(struct builder *, uint32_t, struct bside *);
static int	b_place(struct builder *, uint32_t *, uint32_t);
static int	b_hash(struct builder *);
static void	b_header(struct builder *);
static struct builder *b_build(const struct zone_src *, const uint8_t *,
		    int, struct builder *, char *, size_t);

/*
 * Why the build or the update fails, into the caller's err: every file
 * of the builder fails through here.  -1.
 */
int
bld_fail(struct builder *b, const char *fmt, ...)
{
	va_list		 ap;

	if (b->s != NULL && b->s->err != NULL && b->s->errlen > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(b->s->err, b->s->errlen, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

int
bld_rrfail(struct builder *b, const struct zrr *rr, const char *what)
{
	return (bld_namefail(b, rr->owner, rr->ownerlen, rr->type, what));
}

/* "NAME TYPE: what" of the records of type at owner (len bytes). */
int
bld_namefail(struct builder *b, const uint8_t *owner, size_t len,
    uint16_t type, const char *what)
{
	char	 name[DNS_MAXNAMESTR], tbuf[DNS_MAXTYPESTR];

	if (owner == NULL ||
	    dns_name_to_text(owner, len, name, sizeof(name)) == -1)
		strlcpy(name, "(bad owner)", sizeof(name));
	return (bld_fail(b, "%s %s: %s", name,
	    dns_type_name(type, tbuf, sizeof(tbuf)), what));
}

/* The owner of rr, a record of node i (struct brr), *len bytes. */
const uint8_t *
bld_owner(struct builder *b, uint32_t i, const struct brr *rr, size_t *len)
{
	if (rr->ownerlen != 0) {
		*len = rr->ownerlen;
		return (bld_rd(b, rr) - rr->ownerlen);
	}
	*len = b->nodes[i].len;
	return (node_name(b, i));
}

/* rr, a record of node i, as it came (struct zrr), its bytes b's. */
void
bld_zrr(struct builder *b, uint32_t i, const struct brr *rr,
    struct zrr *out)
{
	size_t	 len;

	memset(out, 0, sizeof(*out));
	out->owner = bld_owner(b, i, rr, &len);
	out->ownerlen = (uint8_t)len;
	out->rdata = bld_rd(b, rr);
	out->ttl = rr->ttl;
	out->type = rr->type;
	out->class = DNS_C_IN;
	out->rdlen = rr->rdlen;
	out->proxy = rr->proxy;
	out->hidden = rr->hidden;
	out->apexcname = rr->apexcname;
}

/* One record's own rules; SOA below the apex is refused here. */
int
bld_rrcheck(struct builder *b, const struct zrr *rr)
{
	const struct zone_src	*src = b->src;

	/* dns_name_subdomain checks the owner is a name; why not, after */
	if (rr->owner == NULL || !dns_name_subdomain(rr->owner, rr->ownerlen,
	    src->apex, src->apexlen))
		return (rr->owner == NULL || !dns_name_valid(rr->owner,
		    rr->ownerlen) ? bld_fail(b, "a record with a bad owner "
		    "name") : bld_rrfail(b, rr, "out of the zone"));
	if (rr->class != DNS_C_IN)
		return (bld_rrfail(b, rr, "class is not IN"));
	if (rr->type == 0 || rr->type == DNS_T_OPT ||
	    (rr->type >= 128 && rr->type <= 255))
		return (bld_rrfail(b, rr, "meta type in zone data"));
	if (rr->rdlen > 0 && rr->rdata == NULL)
		return (bld_rrfail(b, rr, "no rdata"));
	if (rd_check(rr->type, rr->rdata, rr->rdlen) == -1)
		return (bld_rrfail(b, rr, "malformed rdata"));
	if (rr->type == DNS_T_SOA && !dns_name_equal(rr->owner, rr->ownerlen,
	    src->apex, src->apexlen))
		return (bld_rrfail(b, rr, "SOA below the apex"));
	return (0);
}

static int
b_check_rr(struct builder *b, size_t i)
{
	const struct zrr	*rr = &b->src->rrs[i];

	if (rr->owner == NULL || !dns_name_valid(rr->owner, rr->ownerlen))
		return (bld_fail(b, "record %zu: bad owner name", i + 1));
	if (bld_rrcheck(b, rr) == -1)
		return (-1);
	if (rr->type == DNS_T_SOA) {
		if (b->soa != NONE)
			return (bld_rrfail(b, rr, "second SOA"));
		b->soa = i;
	}
	return (0);
}

/*
 * A builder of src's apex, its names table sized for owners names of
 * bytes (node_begin); its records come with b_feed.  NULL with err.
 */
static struct builder *
b_new(const struct zone_src *src, const uint8_t *key, int keep,
    size_t owners, size_t bytes, char *err, size_t errlen)
{
	struct builder	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if (bld_scratch_new(b, keep, err, errlen) == -1) {
		free(b);
		return (NULL);
	}
	if (key != NULL)
		memcpy(b->key, key, sizeof(b->key));
	else
		arc4random_buf(b->key, sizeof(b->key));
	b->zs = *src;
	b->zs.rrs = NULL;
	b->zs.nrr = 0;
	b->src = &b->zs;
	b->soa = NONE;
	if (src->apex == NULL || src->apexlen > DNS_MAXNAME ||
	    !dns_name_valid(src->apex, src->apexlen)) {
		bld_fail(b, "bad apex name");
		goto fail;
	}
	memcpy(b->apex, src->apex, src->apexlen);
	b->zs.apex = b->apex;
	if (node_begin(b, owners, bytes) == -1)
		goto fail;
	return (b);
 fail:
	bld_free(b);
	return (NULL);
}

/*
 * src, whose first records b has (all, or a transfer's so far): the
 * others checked and their names indexed.
 */
static int
b_feed(struct builder *b, const struct zone_src *src)
{
	size_t	 i, from = b->zs.nrr;

	if (src->nrr > 0 && src->rrs == NULL)
		return (bld_fail(b, "no records"));
	if (src->nrr >= NONE / 4)
		return (bld_fail(b, "%zu records, too many", src->nrr));
	b->zs = *src;
	b->zs.apex = b->apex;
	for (i = from; i < src->nrr; i++)
		if (b_check_rr(b, i) == -1)
			return (-1);
	return (node_index(b));
}

/* Whether src's first records are those b was fed, apex and all. */
static int
b_fed(const struct builder *b, const struct zone_src *src)
{
	size_t	 i;

	if (src->apexlen != b->zs.apexlen ||
	    memcmp(src->apex, b->apex, src->apexlen) != 0 ||
	    src->nrr < b->zs.nrr)
		return (0);
	for (i = 0; src->rrs != b->zs.rrs && i < b->zs.nrr; i++)
		if (src->rrs[i].owner != b->zs.rrs[i].owner ||
		    src->rrs[i].rdata != b->zs.rrs[i].rdata ||
		    src->rrs[i].type != b->zs.rrs[i].type)
			return (0);
	return (1);
}

/* Types that may share a name with a CNAME (RFC 2181 §10.1, RFC 4035). */
static int
b_cname_ok(uint16_t type)
{
	return (type == DNS_T_CNAME || type == DNS_T_RRSIG ||
	    type == DNS_T_NSEC || type == DNS_T_KEY || type == DNS_T_SIG ||
	    type == DNS_T_NXT);
}

/*
 * The rules of RFC 1034 and RFC 2181 a name's transferred records (hidden
 * ones too, the proxy set's aside) must follow: no CNAME beside other
 * data, NS at the apex.
 */
int
bld_ncheck(struct builder *b, uint32_t i)
{
	const struct bnode	*n = &b->nodes[i];
	const struct brr	*r;
	char			 name[DNS_MAXNAMESTR];
	uint32_t		 k, f, c;
	int			 cname = 0, other = 0;

	for (k = n->first; k < n->first + n->nrr + n->nhid; k++) {
		r = &b->rrs[k];
		if (r->proxy)
			continue;
		if (r->type == DNS_T_CNAME)
			cname++;
		else if (!b_cname_ok(r->type))
			other++;
	}
	if (cname > 1 || (cname && other)) {
		if (dns_name_to_text(node_name(b, i), n->len, name,
		    sizeof(name)) == -1)
			strlcpy(name, "(bad name)", sizeof(name));
		return (bld_fail(b, "%s: CNAME and other data", name));
	}
	if (i == 0 && !node_range(b, 0, DNS_T_NS, &f, &c))
		return (bld_fail(b, "no NS records at the apex"));
	return (0);
}

/* Node i's flags (its parent's are set): cut, under a cut, CNAME, ... */
void
bld_nflags(struct builder *b, uint32_t i)
{
	struct bnode	*n = &b->nodes[i];
	uint32_t	 f, c;

	n->flags &= IMG_N_WILD;
	n->state &= ~N_DNAME;
	if (i == 0)
		n->flags |= IMG_N_APEX;
	if (n->nrr == 0)
		n->flags |= IMG_N_ENT;
	if (node_range(b, i, DNS_T_DNAME, &f, &c))
		n->state |= N_DNAME;
	if (n->parent != NONE &&
	    (b->nodes[n->parent].flags & (IMG_N_DELEG | IMG_N_BELOW))) {
		n->flags |= IMG_N_BELOW;
	} else if (n->parent != NONE &&
	    ((b->nodes[n->parent].flags & IMG_N_DNAMED) ||
	    (b->nodes[n->parent].state & N_DNAME)))
		n->flags |= IMG_N_DNAMED;
	else if (i != 0 && node_range(b, i, DNS_T_NS, &f, &c) &&
	    !dns_name_wildcard(node_name(b, i), n->len)) {
		n->flags |= IMG_N_DELEG;
	} else if (node_range(b, i, DNS_T_CNAME, &f, &c))
		n->flags |= IMG_N_CNAME;
	if ((node_range(b, i, DNS_T_A, &f, &c) && b->rrs[f].proxy) ||
	    (node_range(b, i, DNS_T_AAAA, &f, &c) && b->rrs[f].proxy))
		n->flags |= IMG_N_PROXY;
}

/*
 * The cut at or above node i (IMG_N_DELEG, IMG_N_BELOW), or NONE; of a
 * live node (a dead one keeps the flags it had when it died).
 */
uint32_t
bld_cut(const struct builder *b, uint32_t i)
{
	if (!(b->nodes[i].flags & (IMG_N_DELEG | IMG_N_BELOW)))
		return (NONE);
	while (i != NONE && !(b->nodes[i].flags & IMG_N_DELEG))
		i = b->nodes[i].parent;
	return (i);
}

/* The place of cut i in b->cuts, or of the first after it. */
static size_t
b_cutat(const struct builder *b, uint32_t i)
{
	size_t	 lo = 0, hi = b->ncuts, mid;

	if (b->ncuts > 0 && b->cuts[b->ncuts - 1].node < i)
		return (b->ncuts);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->cuts[mid].node < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/* Cut i's referral blob, DO (d 1) or not; 0 if none was written. */
uint32_t
bld_deleg(const struct builder *b, uint32_t i, int d)
{
	size_t	 k = b_cutat(b, i);

	return (k < b->ncuts && b->cuts[k].node == i ? b->cuts[k].deleg[d] :
	    0);
}

/*
 * Cut i's referral blob is off: held in b->cuts, sorted by node (a full
 * build writes them in order, a change inserts the new ones), so that a
 * name pays nothing for the few that are cuts.
 */
int
bld_setdeleg(struct builder *b, uint32_t i, int d, uint32_t off)
{
	size_t	 lo = b_cutat(b, i), cap;
	void	*p;

	if (lo == b->ncuts || b->cuts[lo].node != i) {
		if (b->ncuts == b->cutcap) {
			cap = b->cutcap ? b->cutcap * 2 : 16;
			if ((p = reallocarray(b->cuts, cap,
			    sizeof(*b->cuts))) == NULL)
				return (bld_fail(b, "out of memory"));
			b->cuts = p;
			b->cutcap = cap;
		}
		memmove(&b->cuts[lo + 1], &b->cuts[lo],
		    (b->ncuts - lo) * sizeof(*b->cuts));
		memset(&b->cuts[lo], 0, sizeof(*b->cuts));
		b->cuts[lo].node = i;
		b->ncuts++;
	}
	b->cuts[lo].deleg[d] = off;
	return (0);
}

/* 1 if node i holds DNSSEC records. */
int
bld_signed(struct builder *b, uint32_t i)
{
	uint32_t	 f, c;

	return (node_range(b, i, DNS_T_RRSIG, &f, &c) ||
	    node_range(b, i, DNS_T_DNSKEY, &f, &c) ||
	    node_range(b, i, DNS_T_NSEC, &f, &c) ||
	    node_range(b, i, DNS_T_NSEC3, &f, &c));
}

/* Every name's flags and rules: parents come first. */
static int
b_flags(struct builder *b)
{
	uint32_t	 i;

	for (i = 0; i < b->nnodes; i++) {
		if (bld_ncheck(b, i) == -1)
			return (-1);
		bld_nflags(b, i);
		if (b->nodes[i].labels > b->maxlabels)
			b->maxlabels = b->nodes[i].labels;
		if (bld_signed(b, i))
			b->zflags |= IMG_Z_SIGNED;
	}
	if (b->s->nn3rr > 0)
		b->zflags |= IMG_Z_SIGNED;
	/* a signed SOA is served as signed */
	if (b->zflags & IMG_Z_SIGNED)
		b->zs.served = b->zs.serial;
	if (b->zs.xfrout)
		b->zflags |= IMG_Z_XFROUT;
	b->apexlabels = dns_name_labels(b->src->apex, b->src->apexlen);
	b->maxlabels += b->apexlabels;
	return (0);
}

/*
 * The SOA tail: the apex SOA with the negative TTL, its names compressed
 * against the question only, so that it reads the same after any blob;
 * the DO one with the SOA's RRSIGs, at the same TTL (RFC 4035 section
 * 3.1.3).
 */
static int
b_soa_tail(struct builder *b, uint32_t *off)
{
	const struct brr	*soa = &b->rrs[b->soa], *rr;
	const uint8_t		*owner;
	uint32_t		 first, n, k;
	size_t			 olen;

	owner = bld_owner(b, 0, soa, &olen);
	blob_begin(b, node_name(b, 0), b->nodes[0].len, B_SHARED);
	b->s->bb.selfonly = 1;
	b->s->bb.flags = IMG_B_AA;
	blob_sect(b, S_NS);
	if (blob_rr(b, soa, owner, olen, b->negttl) == -1)
		return (blob_fail(b, owner, olen, DNS_T_SOA));
	if (b->s->dnssec && node_range(b, 0, DNS_T_RRSIG, &first, &n)) {
		for (k = first; k < first + n; k++) {
			rr = &b->rrs[k];
			if (bld_covered(b, rr) == DNS_T_SOA &&
			    blob_rr(b, rr, owner, olen, b->negttl) == -1)
				return (blob_fail(b, owner, olen, DNS_T_SOA));
		}
	}
	if (blob_end(b, off) == -1)
		return (blob_fail(b, owner, olen, DNS_T_SOA));
	return (0);
}

/*
 * The SOA tail, NXDOMAIN and NODATA for the whole zone (the last two are
 * empty: the server appends the tail).
 */
int
bld_zone_blobs(struct builder *b)
{
	if (b_soa_tail(b, &b->soatail) == -1)
		return (-1);
	if (b->zflags & IMG_Z_SIGNED) {
		b->s->dnssec = 1;
		if (b_soa_tail(b, &b->dsoatail) == -1)
			return (-1);
		b->s->dnssec = 0;
	}
	blob_begin(b, node_name(b, 0), b->nodes[0].len, B_SHARED);
	b->s->bb.flags = IMG_B_AA | DNS_R_NXDOMAIN;
	if (blob_soa(b) == -1 || blob_end(b, &b->nxdomain) == -1)
		return (blob_fail(b, b->src->apex, b->src->apexlen, DNS_T_SOA));
	blob_begin(b, node_name(b, 0), b->nodes[0].len, B_SHARED);
	b->s->bb.flags = IMG_B_AA;
	if (blob_soa(b) == -1 || blob_end(b, &b->nodata) == -1)
		return (blob_fail(b, b->src->apex, b->src->apexlen, DNS_T_SOA));
	return (0);
}

/*
 * The referral at cut i: not authoritative, the NS RRset in authority,
 * A/AAAA of the in-zone targets in additional (RFC 9471: IMG_B_GLUE when
 * some are under the cut); in a DO blob the DS RRset and its RRSIGs after
 * the NS, or the proof that the cut has none (RFC 4035 section 3.1.4).
 */
static int
b_referral(struct builder *b, uint32_t i)
{
	uint32_t	 first, n, off;

	if (!node_range(b, i, DNS_T_NS, &first, &n))
		return (bld_fail(b, "a cut without NS"));
	blob_begin(b, node_name(b, i), b->nodes[i].len, B_SHARED);
	blob_sect(b, S_NS);
	if (blob_rrset(b, i, first, n, NULL, 0) == -1 ||
	    b_cut_ds(b, i) == -1 ||
	    b_addl(b, first, n, DNS_T_NS, i) == -1 ||
	    blob_end(b, &off) == -1)
		return (blob_fail(b, node_name(b, i), b->nodes[i].len,
		    DNS_T_NS));
	return (bld_setdeleg(b, i, b->s->dnssec, off));
}

/* In a DO blob: the DS RRset at cut i with its RRSIGs, or its denial. */
static int
b_cut_ds(struct builder *b, uint32_t i)
{
	uint32_t	 first, n;

	if (!b->s->dnssec)
		return (0);
	if (node_range(b, i, DNS_T_DS, &first, &n))
		return (blob_rrset(b, i, first, n, NULL, 0));
	proof_ds(b, i);
	return (0);
}

/*
 * Node i's NODATA: the SOA tail, and in a DO blob the proof of the types
 * the name has (at a cut: of the DS it lacks).
 */
static int
b_nodata(struct builder *b, uint32_t i, uint32_t *off)
{
	blob_begin(b, node_name(b, i), b->nodes[i].len, b_mode(b, i));
	b->s->bb.flags = IMG_B_AA;
	if (blob_soa(b) == -1)
		return (-1);
	if (b->nodes[i].flags & IMG_N_DELEG)
		proof_ds(b, i);
	else
		proof_nodata(b, i);
	return (blob_end(b, off));
}

static enum bmode
b_mode(struct builder *b, uint32_t i)
{
	return (i != 0 && dns_name_wildcard(node_name(b, i), b->nodes[i].len) ?
	    B_WILD : B_EXACT);
}

/* One RRset of node i as the answer, with its additional data. */
static int
b_plain(struct builder *b, uint32_t i, uint32_t first, uint32_t n,
    uint32_t *off)
{
	uint16_t	 type = b->rrs[first].type;

	blob_begin(b, node_name(b, i), b->nodes[i].len, b_mode(b, i));
	b->s->bb.flags = IMG_B_AA;
	if (blob_rrset(b, i, first, n, NULL, 0) == -1 ||
	    b_addl(b, first, n, type, NONE) == -1 ||
	    blob_end(b, off) == -1)
		return (blob_fail(b, node_name(b, i), b->nodes[i].len, type));
	return (0);
}

/*
 * Additional A/AAAA for the targets of an NS, MX or SRV RRset (RFC 1034
 * section 4.3.2): authoritative data, or for NS also glue under a cut.
 * cut: the referral's cut, whose glue makes the blob IMG_B_GLUE.
 */
static int
b_addl(struct builder *b, uint32_t first, uint32_t n, uint16_t type,
    uint32_t cut)
{
	struct bscratch		*s = b->s;
	const struct brr	*rr;
	const uint8_t		*t;
	size_t			 tlen, j;
	uint32_t		 k, node;
	int			 full = 0;

	if (type != DNS_T_NS && type != DNS_T_MX && type != DNS_T_SRV)
		return (0);
	blob_sect(b, S_AR);
	s->ntargets = 0;
	for (k = first; k < first + n && !full; k++) {
		rr = &b->rrs[k];
		if (rd_target(rr->type, bld_rd(b, rr), rr->rdlen, &t,
		    &tlen) == -1 ||
		    (node = node_lookup(b, t, tlen)) == NONE)
			continue;
		if (type != DNS_T_NS &&
		    (b->nodes[node].flags & (IMG_N_DELEG | IMG_N_BELOW)))
			continue;
		for (j = 0; j < s->ntargets && s->targets[j] != node; j++)
			;
		if (j < s->ntargets || s->ntargets == MAXTARGETS)
			continue;
		s->targets[s->ntargets++] = node;
		if (blob_addrs(b, node, &full) && cut != NONE &&
		    dns_name_subdomain(t, tlen, node_name(b, cut),
		    b->nodes[cut].len))
			s->bb.flags |= IMG_B_GLUE;
	}
	return (0);
}

/*
 * Where a name in the zone leads: its node, or the wildcard node that
 * answers for it (RFC 4592: the closest encloser has a "*" child); NONE
 * with *cut set to the cut when it is at or under a zone cut, NONE alone
 * when it does not exist.
 */
static uint32_t
b_resolve(struct builder *b, const uint8_t *name, size_t len, uint32_t *cut)
{
	uint8_t		 wild[DNS_MAXNAME];
	uint32_t	 n, e = NONE;
	size_t		 off;

	*cut = NONE;
	if ((n = node_lookup(b, name, len)) == NONE) {
		for (off = name[0] + 1; off < len; off += name[off] + 1)
			if ((e = node_lookup(b, name + off, len - off)) != NONE)
				break;
		if (e == NONE)
			return (NONE);
		if (b->nodes[e].flags & (IMG_N_DELEG | IMG_N_BELOW)) {
			*cut = bld_cut(b, e);
			goto cut;
		}
		if (!(b->nodes[e].flags & IMG_N_WILD) ||
		    b->nodes[e].len + 2 > DNS_MAXNAME)
			return (NONE);
		wild[0] = 1;
		wild[1] = '*';
		memcpy(wild + 2, node_name(b, e), b->nodes[e].len);
		n = node_lookup(b, wild, b->nodes[e].len + 2);
		if (n == NONE)
			return (NONE);
	}
	if (b->nodes[n].flags & (IMG_N_DELEG | IMG_N_BELOW)) {
		*cut = bld_cut(b, n);
		goto cut;
	}
	return (n);
 cut:
	/* the answer holds the cut's referral */
	if (*cut != NONE)
		dep_add(b, node_hash(b, *cut));
	return (NONE);
}

/* 1 if name is one of the chain's owners already: a loop. */
static int
b_seen(struct builder *b, uint32_t start, const struct chain *ch,
    const uint8_t *name, size_t len)
{
	int	 k;

	if (dns_name_equal(name, len, node_name(b, start), b->nodes[start].len))
		return (1);
	for (k = 1; k < ch->n; k++)
		if (dns_name_equal(name, len, ch->link[k].owner,
		    ch->link[k].ownerlen))
			return (1);
	return (0);
}

/*
 * Follow the CNAME chain from node start inside the zone: up to MAXLINKS
 * records, through wildcards (the target name becomes the owner), until
 * a name without a CNAME (CH_DATA), a name that does not exist (CH_NX,
 * RFC 6604), a name at or under a cut (CH_CUT: the referral follows the
 * CNAMEs, RFC 1034 section 4.3.2 step 3b), or a name out of the zone or
 * already in the chain (CH_STOP: the answer is the CNAMEs so far).
 */
static void
b_chain(struct builder *b, uint32_t start, struct chain *ch)
{
	const struct brr	*rr;
	const uint8_t		*owner = NULL, *rd;
	uint32_t		 cur = start, first, n, next, cut, wild = NONE;
	size_t			 ownerlen = 0;

	memset(ch, 0, sizeof(*ch));
	ch->end = CH_STOP;
	ch->wild = NONE;
	for (;;) {
		if (!node_range(b, cur, DNS_T_CNAME, &first, &n))
			return;
		rr = &b->rrs[first];
		rd = bld_rd(b, rr);
		ch->link[ch->n].rr = first;
		ch->link[ch->n].node = cur;
		ch->link[ch->n].wild = wild;
		ch->link[ch->n].owner = owner;
		ch->link[ch->n].ownerlen = ownerlen;
		ch->n++;
		if (!dns_name_subdomain(rd, rr->rdlen, b->src->apex,
		    b->src->apexlen) || b_seen(b, start, ch, rd, rr->rdlen))
			return;
		next = b_resolve(b, rd, rr->rdlen, &cut);
		if (next == NONE) {
			if (cut == NONE)
				ch->end = CH_NX;
			else {
				ch->end = CH_CUT;
				ch->node = cut;
			}
			return;
		}
		/* a wildcard answers for the name (RFC 4592) */
		wild = dns_name_equal(rd, rr->rdlen, node_name(b, next),
		    b->nodes[next].len) ? NONE : next;
		if (!(b->nodes[next].flags & IMG_N_CNAME)) {
			ch->end = CH_DATA;
			ch->node = next;
			ch->wild = wild;
			ch->name = rd;
			ch->namelen = rr->rdlen;
			return;
		}
		if (ch->n == MAXLINKS)
			return;
		cur = next;
		owner = rd;
		ownerlen = rr->rdlen;
	}
}

/*
 * After a chain into a delegation: the cut's NS RRset, in a DO blob its
 * DS or the proof of none, and its glue.
 */
static int
b_chain_cut(struct builder *b, uint32_t cut)
{
	const uint8_t	*name = node_name(b, cut);
	uint32_t	 first, n, df, dn;

	if (!node_range(b, cut, DNS_T_NS, &first, &n))
		return (-1);
	blob_sect(b, S_NS);
	if (blob_rrset(b, cut, first, n, name, b->nodes[cut].len) == -1)
		return (-1);
	if (b->s->dnssec && node_range(b, cut, DNS_T_DS, &df, &dn)) {
		if (blob_rrset(b, cut, df, dn, name, b->nodes[cut].len) == -1)
			return (-1);
	} else if (b->s->dnssec)
		proof_ds(b, cut);
	return (b_addl(b, first, n, DNS_T_NS, cut));
}

/*
 * The CNAME records of the chain, each with its RRSIGs in a DO blob, and
 * for a link a wildcard made, the proof that its owner does not exist.
 */
static int
b_chain_links(struct builder *b, const struct chain *ch)
{
	const struct link	*l;
	const struct brr	*rr;
	int			 k;

	for (k = 0; k < ch->n; k++) {
		l = &ch->link[k];
		rr = &b->rrs[l->rr];
		if (blob_rr(b, rr, l->owner, l->ownerlen, rr->ttl) == -1)
			return (-1);
		if (!b->s->dnssec)
			continue;
		if (blob_sigs(b, l->node, DNS_T_CNAME, l->owner,
		    l->ownerlen) == -1)
			return (-1);
		if (l->wild != NONE)
			proof_wild(b, l->owner, l->ownerlen, l->wild, 0);
	}
	return (0);
}

/*
 * The answer at CNAME owner i: the chain, then the RRset of type at its
 * end (first, n) or, with n 0, what the end gives for a missing type; in
 * a DO blob with the RRSIGs and the proofs the end needs (RFC 4035
 * section 3.1.3: a wildcard answer, NODATA, NXDOMAIN).
 */
static int
b_chain_blob(struct builder *b, uint32_t i, const struct chain *ch,
    uint32_t first, uint32_t n, uint32_t *off)
{
	const struct brr	*rr, *last;

	last = &b->rrs[ch->link[ch->n - 1].rr];
	blob_begin(b, node_name(b, i), b->nodes[i].len, b_mode(b, i));
	b->s->bb.flags = IMG_B_AA;
	if (b_chain_links(b, ch) == -1)
		goto fail;
	if (n > 0) {
		rr = &b->rrs[first];
		if (blob_rrset(b, ch->node, first, n, ch->name, ch->namelen) ==
		    -1)
			goto fail;
		if (b->s->dnssec && ch->wild != NONE)
			proof_wild(b, ch->name, ch->namelen, ch->wild, 0);
		if (b_addl(b, first, n, rr->type, NONE) == -1)
			goto fail;
	} else if (ch->end == CH_DATA || ch->end == CH_NX) {
		if (ch->end == CH_NX)
			b->s->bb.flags |= DNS_R_NXDOMAIN;
		if (blob_soa(b) == -1)
			goto fail;
		if (b->s->dnssec && ch->end == CH_NX)
			proof_nxname(b, bld_rd(b, last), last->rdlen);
		else if (b->s->dnssec && ch->wild != NONE)
			proof_wild(b, ch->name, ch->namelen, ch->wild, 1);
		else if (b->s->dnssec)
			proof_nodata(b, ch->node);
	} else if (ch->end == CH_CUT && b_chain_cut(b, ch->node) == -1)
		goto fail;
	if (blob_end(b, off) == -1)
		goto fail;
	return (0);
 fail:
	return (blob_fail(b, node_name(b, i), b->nodes[i].len,
	    DNS_T_CNAME));
}

static int
b_tent(struct builder *b, uint16_t type, uint32_t blob)
{
	struct bscratch	*s = b->s;
	void		*p;
	size_t		 cap;
	int		 d = s->dnssec;

	if (s->ntents[d] == s->tentcap[d]) {
		cap = s->tentcap[d] ? s->tentcap[d] * 2 : 64;
		if ((p = reallocarray(s->tents[d], cap,
		    sizeof(*s->tents[d]))) == NULL)
			return (bld_fail(b, "out of memory"));
		s->tents[d] = p;
		s->tentcap[d] = cap;
	}
	s->tents[d][s->ntents[d]].type = type;
	s->tents[d][s->ntents[d]].blob = blob;
	s->ntents[d]++;
	return (0);
}

/*
 * A CNAME owner's table: the CNAME alone for qtype CNAME, its own other
 * RRsets (RRSIG, NSEC), and for every type at the chain's end the chain
 * with that RRset; *other: the chain with what the end gives otherwise.
 */
static int
b_cname(struct builder *b, uint32_t i, uint32_t *other)
{
	struct chain		 ch, one;
	const struct bnode	*own = &b->nodes[i], *end;
	uint32_t		 ko, ke, eo, ee, t, off;
	uint16_t		 to, te;
	int			 r;

	b_chain(b, i, &ch);
	one = ch;
	one.n = 1;
	one.end = CH_STOP;
	ko = own->first;
	eo = own->first + own->nrr;
	ke = ee = 0;
	if (ch.end == CH_DATA) {
		end = &b->nodes[ch.node];
		ke = end->first;
		ee = end->first + end->nrr;
	}
	while (ko < eo || ke < ee) {
		to = ko < eo ? b->rrs[ko].type : 0;
		te = ke < ee ? b->rrs[ke].type : 0;
		if (ko < eo && (ke >= ee || to <= te)) {
			t = node_grp_end(b, ko, eo);
			if (to == DNS_T_CNAME)
				r = b_chain_blob(b, i, &one, 0, 0, &off);
			else
				r = b_plain(b, i, ko, t - ko, &off);
			if (r == -1 || b_tent(b, to, off) == -1)
				return (-1);
			if (ke < ee && te == to)
				ke = node_grp_end(b, ke, ee);
			ko = t;
		} else {
			t = node_grp_end(b, ke, ee);
			if (b_chain_blob(b, i, &ch, ke, t - ke, &off) == -1 ||
			    b_tent(b, te, off) == -1)
				return (-1);
			ke = t;
		}
	}
	return (b_chain_blob(b, i, &ch, 0, 0, other));
}

/* One blob per RRset at node i; at a cut only the DS. */
static int
b_types(struct builder *b, uint32_t i, int cut)
{
	const struct bnode	*n = &b->nodes[i];
	uint32_t		 k, t, end = n->first + n->nrr, off;
	uint16_t		 type;

	for (k = n->first; k < end; k = t) {
		type = b->rrs[k].type;
		t = node_grp_end(b, k, end);
		/* qtype NSEC or RRSIG at a cut: the referral, as NSD's */
		if (cut && type != DNS_T_DS)
			continue;
		if (b_plain(b, i, k, t - k, &off) == -1 ||
		    b_tent(b, type, off) == -1)
			return (-1);
	}
	return (0);
}

/*
 * rr's rdata as served: the apex SOA's with the served serial (image.h),
 * written in buf; any other as it is.
 */
const uint8_t *
bld_rdata(struct builder *b, const struct brr *rr, uint8_t *buf)
{
	uint32_t	 v = htonl(b->zs.served);

	if (b->zs.served == b->zs.serial || b->soa == NONE ||
	    rr != &b->rrs[b->soa] || rr->rdlen < 20 ||
	    rr->rdlen > BLD_SOAMAX)
		return (bld_rd(b, rr));
	memcpy(buf, bld_rd(b, rr), rr->rdlen);
	memcpy(buf + rr->rdlen - 20, &v, sizeof(v));
	return (buf);
}

/* Node i's struct image_recs in the image written last, or 0. */
uint32_t
bld_recs(const struct builder *b, uint32_t i)
{
	return (i < b->recscap ? b->recs[i] : 0);
}

/* The room a side array of the nodes grows to from cap (p_nodes too). */
size_t
bld_nodecap(const struct builder *b, size_t cap)
{
	return ((size_t)b->nnodes + 1 > cap * 2 ? (size_t)b->nnodes + 1 :
	    cap * 2);
}

/*
 * Node i's struct image_recs is off: held aside, for the nodes of a zone
 * transferred out only (the others' are 0).
 */
int
bld_setrecs(struct builder *b, uint32_t i, uint32_t off)
{
	size_t	 cap;
	void	*p;

	if (i >= b->recscap) {
		if (off == 0)
			return (0);
		cap = bld_nodecap(b, b->recscap);
		if ((p = recallocarray(b->recs, b->recscap, cap,
		    sizeof(*b->recs))) == NULL)
			return (bld_fail(b, "out of memory"));
		b->recs = p;
		b->recscap = cap;
	}
	b->recs[i] = off;
	return (0);
}

/*
 * The records served at node i in a zone transferred out (image.h,
 * IMG_Z_XFROUT), uncompressed: *off their struct image_recs, 0 when the
 * zone is not transferred out or the name has none.
 */
static int
b_recs(struct builder *b, uint32_t i, uint32_t *off)
{
	struct bscratch		*s = b->s;
	const struct bnode	*n = &b->nodes[i];
	const struct brr	*rr;
	const uint8_t		*owner;
	struct image_recs	 r;
	uint8_t			 fixed[10], soa[BLD_SOAMAX];
	uint16_t		 v16;
	uint32_t		 v32, k;
	size_t			 start, olen;

	*off = 0;
	if (!(b->zflags & IMG_Z_XFROUT) || n->nrr == 0)
		return (0);
	memset(&r, 0, sizeof(r));
	if (imgbuf_put(b, &r, sizeof(r), 4) == -1)
		return (-1);
	start = s->len;
	for (k = n->first; k < n->first + n->nrr; k++) {
		rr = &b->rrs[k];
		owner = bld_owner(b, i, rr, &olen);
		v16 = htons(rr->type);
		memcpy(fixed, &v16, 2);
		v16 = htons(DNS_C_IN);
		memcpy(fixed + 2, &v16, 2);
		v32 = htonl(rr->ttl);
		memcpy(fixed + 4, &v32, 4);
		v16 = htons(rr->rdlen);
		memcpy(fixed + 8, &v16, 2);
		if (imgbuf_put(b, owner, olen, 1) == -1 ||
		    imgbuf_put(b, fixed, sizeof(fixed), 1) == -1 ||
		    imgbuf_put(b, bld_rdata(b, rr, soa), rr->rdlen, 1) == -1)
			return (-1);
	}
	if (s->len - start > UINT32_MAX)
		return (bld_fail(b, "too many records at one name"));
	r.len = s->len - start;
	r.count = n->nrr;
	*off = start - sizeof(r);
	memcpy(s->img + (*off - s->base), &r, sizeof(r));
	return (0);
}

/* What a name's entry points to: [0] for DO=0, [1] for DO (signed). */
struct bside {
	uint32_t		 other[2];
	uint32_t		 deleg[2];
	uint32_t		 nxd[2];
	uint32_t		 wild;
};

static int
b_entry(struct builder *b, uint32_t i, const struct bside *sd)
{
	struct bscratch		*s = b->s;
	struct bnode		*n = &b->nodes[i];
	struct image_name	 e;
	struct image_rrset	 rs;
	struct image_dnssec	 ds;
	size_t			 k;

	if (s->ntents[0] > UINT16_MAX)
		return (bld_fail(b, "too many types at one name"));
	memset(&e, 0, sizeof(e));
	if (b_recs(b, i, &e.rec_off) == -1 ||
	    bld_setrecs(b, i, e.rec_off) == -1)
		return (-1);
	e.namelen = n->len;
	e.flags = n->flags;
	e.ntypes = s->ntents[0];
	e.other_off = sd->other[0];
	e.deleg_off = sd->deleg[0];
	if (imgbuf_put(b, &e, sizeof(e), 4) == -1)
		return (-1);
	n->off = s->len - sizeof(e);
	if (imgbuf_put(b, node_name(b, i), n->len, 1) == -1 ||
	    imgbuf_put(b, NULL, IMAGE_ALIGN4(n->len) - n->len, 1) == -1)
		return (-1);
	for (k = 0; k < s->ntents[0]; k++) {
		memset(&rs, 0, sizeof(rs));
		rs.type = s->tents[0][k].type;
		rs.blob_off = s->tents[0][k].blob;
		if (imgbuf_put(b, &rs, sizeof(rs), 1) == -1)
			return (-1);
	}
	if (!(b->zflags & IMG_Z_SIGNED))
		return (0);
	if (s->ntents[1] != s->ntents[0])
		return (bld_fail(b, "the DO table differs"));
	memset(&ds, 0, sizeof(ds));
	ds.other_off = sd->other[1];
	ds.deleg_off = sd->deleg[1];
	ds.nxd[0] = sd->nxd[0];
	ds.nxd[1] = sd->nxd[1];
	ds.wild = sd->wild;
	if (imgbuf_put(b, &ds, sizeof(ds), 1) == -1)
		return (-1);
	for (k = 0; k < s->ntents[1]; k++)
		if (s->tents[1][k].type != s->tents[0][k].type)
			return (bld_fail(b, "the DO table differs"));
		else if (imgbuf_put(b, &s->tents[1][k].blob, 4, 1) == -1)
			return (-1);
	return (0);
}

/*
 * The answers of node i, DO=0 or DO (s->dnssec), into s->tents and sd:
 * under a cut its referral; at a cut the referral, the parent's types
 * and (DO) the NODATA for a DS it lacks; a CNAME owner's chains; else
 * its RRsets and (DO) its NODATA with proof.  A name under a DNAME
 * owner has none: the server answers with the DNAME.
 */
static int
b_answers(struct builder *b, uint32_t i, struct bside *sd)
{
	struct bnode	*n = &b->nodes[i];
	uint32_t	 c;
	int		 d = b->s->dnssec;

	b->s->ntents[d] = 0;
	if (n->flags & IMG_N_BELOW) {
		if ((c = bld_cut(b, i)) == NONE)
			return (bld_fail(b, "a name below a cut without it"));
		sd->deleg[d] = bld_deleg(b, c, d);
	} else if (n->flags & IMG_N_DELEG) {
		if (b_referral(b, i) == -1 || b_types(b, i, 1) == -1 ||
		    (d && b_nodata(b, i, &sd->other[d]) == -1))
			return (-1);
		sd->deleg[d] = bld_deleg(b, i, d);
	} else if (n->flags & IMG_N_DNAMED)
		return (0);
	else if (n->flags & IMG_N_CNAME) {
		if (b_cname(b, i, &sd->other[d]) == -1)
			return (-1);
	} else if (b_types(b, i, 0) == -1 ||
	    (d && b_nodata(b, i, &sd->other[d]) == -1))
		return (-1);
	return (0);
}

/*
 * Node i's answers and entry; the names they look up are its deps (a
 * change at one of them makes update.c write node i again).  A signed
 * zone's names have their DO answers too, and the proofs a name below
 * that does not exist needs.
 */
int
bld_node(struct builder *b, uint32_t i)
{
	struct bside	 sd;
	int		 rv = 0, d, nd;

	memset(&sd, 0, sizeof(sd));
	nd = (b->zflags & IMG_Z_SIGNED) ? 2 : 1;
	b->s->curnode = b->s->keep ? i : NONE;
	for (d = 0; d < nd && rv == 0; d++) {
		b->s->dnssec = d;
		rv = b_answers(b, i, &sd);
	}
	b->s->dnssec = 0;
	if (rv == 0 && nd == 2 &&
	    !(b->nodes[i].flags & (IMG_N_BELOW | IMG_N_DELEG | IMG_N_DNAMED)))
		proof_ce(b, i, sd.nxd, &sd.wild);
	if (rv == 0)
		rv = b_entry(b, i, &sd);
	b->s->curnode = NONE;
	return (rv);
}

/* Place every name; 0, or -1 if one lands too far from its slot. */
static int
b_place(struct builder *b, uint32_t *hash, uint32_t size)
{
	uint32_t	 mask = size - 1, i, s, k;

	memset(hash, 0, (size_t)size * sizeof(*hash));
	for (i = 0; i < b->nnodes; i++) {
		for (s = node_hash(b, i) & mask, k = 0; hash[s] != 0;
		    s = (s + 1) & mask, k++)
			if (k >= IMAGE_MAXPROBE)
				return (-1);
		hash[s] = b->nodes[i].off;
		if (b->slotnode != NULL)
			b->slotnode[s] = i;
	}
	return (0);
}

static int
b_hash(struct builder *b)
{
	struct bscratch		*s = b->s;
	struct image_header	*h;
	uint32_t		 size, start;

	for (size = 8; size < b->nnodes + b->nnodes / 2 + 1; size *= 2)
		;
	if (imgbuf_put(b, NULL, IMAGE_ALIGN4(s->len) - s->len, 1) == -1)
		return (-1);
	start = s->len;
	for (;; size *= 2) {
		if (size > (1U << 28))
			return (bld_fail(b, "too many names"));
		s->len = start;
		if (imgbuf_put(b, NULL, (size_t)size * 4, 4) == -1)
			return (-1);
		free(b->slotnode);
		b->slotnode = NULL;
		/* a kept builder's hash: the node of each slot, NONE */
		if (s->keep && (b->slotnode = reallocarray(NULL, size,
		    sizeof(*b->slotnode))) == NULL)
			return (bld_fail(b, "out of memory"));
		if (b->slotnode != NULL)
			memset(b->slotnode, 0xff, (size_t)size *
			    sizeof(*b->slotnode));
		if (b_place(b, (uint32_t *)(s->img + start), size) == 0)
			break;
	}
	h = (struct image_header *)s->img;
	h->hash_off = b->hashoff = start;
	h->hash_size = b->hashsize = size;
	b->nnames = b->nnodes;
	return (0);
}

/* The header of the image built, at the start of the image buffer. */
/*
 * The header's fields that follow the builder's state, as a full build
 * and an update (update.c) both write them.
 */
void
bld_header_state(struct builder *b, struct image_header *h)
{
	h->size = b->s->len;
	h->flags = b->zflags;
	h->apex_off = b->nodes[0].off;
	h->nxdomain_off = b->nxdomain;
	h->nodata_off = b->nodata;
	h->soa_off = b->soatail;
	h->dsoa_off = b->dsoatail;
	h->denial_off = b->denialoff;
	h->ndenial = b->ndenial;
	h->sig_expire = b->sigexp;
	h->sig_missing = b->sigmissing;
	h->chain_breaks = b->breaks;
	h->maxlabels = b->maxlabels;
	h->built = time(NULL);
}

static void
b_header(struct builder *b)
{
	struct image_header	*h = (struct image_header *)b->s->img;

	memcpy(h->magic, IMAGE_MAGIC, sizeof(h->magic));
	h->version = IMAGE_VERSION;
	h->bom = IMAGE_BOM;
	h->header_size = sizeof(*h);
	bld_header_state(b, h);
	h->serial = b->src->serial;
	h->served = b->src->served;
	h->content = b->src->content;
	h->nnames = b->nnodes;
	h->nsec3_alg = b->n3p.alg;
	h->nsec3_iter = b->n3p.iter;
	h->nsec3_saltlen = b->n3p.saltlen;
	memcpy(h->nsec3_salt, b->n3p.salt, b->n3p.saltlen);
	h->tag = b->src->tag;
	memcpy(h->hash_key, b->key, sizeof(h->hash_key));
	h->apexlen = b->nodes[0].len;
	memcpy(h->apex, node_name(b, 0), h->apexlen);
}

/*
 * The scratch of a build or an update (build.h), its errors to err; -1
 * with err set when there is no memory for it.
 */
int
bld_scratch_new(struct builder *b, int keep, char *err, size_t errlen)
{
	struct bscratch	*s;

	/*
	 * Zeroed up to the answer's buffers (fix[], bbuf[]: 128 KB, each
	 * written before it is read): a small zone's build would spend
	 * more on clearing them than on the zone.
	 */
	if ((s = malloc(sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	memset(s, 0, offsetof(struct bscratch, fix));
	if ((s->dedup = calloc(1024, sizeof(*s->dedup))) == NULL) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	s->err = err;
	s->errlen = errlen;
	s->keep = keep;
	s->curnode = NONE;
	s->dedupmask = 1023;
	b->s = s;
	return (0);
}

/* The build or the update is done: its scratch goes. */
void
bld_scratch_free(struct builder *b)
{
	struct bscratch	*s = b->s;

	if (s == NULL)
		return;
	free(s->img);
	free(s->dedup);
	free(s->rrnode);
	free(s->nhash);
	free(s->n3rr);
	free(s->n3chg);
	free(s->tents[0]);
	free(s->tents[1]);
	free(s);
	b->s = NULL;
}

/* A builder and all it holds, kept or not. */
void
bld_free(struct builder *b)
{
	struct oldnames	*o;

	if (b == NULL)
		return;
	bld_scratch_free(b);
	while (b->nchunks > 0)
		free(b->chunks[--b->nchunks]);
	free(b->chunks);
	free(b->rrs);
	free(b->nodes);
	free(b->names);
	if (b->base != NULL)
		munmap((void *)b->base, b->basesize);
	while ((o = b->oldnames) != NULL) {
		b->oldnames = o->next;
		free(o->names);
		free(o);
	}
	free(b->tab);
	free(b->extra);
	free(b->cuts);
	free(b->recs);
	free(b->n3rec);
	free(b->n3ix);
	free(b->n3hit);
	free(b->nsecnode);
	free(b->nsecproof);
	free(b->nsecshare);
	free(b->n3share);
	free(b->nshare);
	free(b->deps);
	free(b->slotnode);
	free(b);
}

/*
 * The whole image of src in the image buffer, its header filled in; with
 * key (else a random one) as its hash key.  NULL on failure, with err.
 */
static struct builder *
b_build(const struct zone_src *src, const uint8_t *key, int keep,
    struct builder *begun, char *err, size_t errlen)
{
	struct builder	*b = begun;
	uint32_t	 i;
	size_t		 est, owners, bytes;

	if (src == NULL) {
		snprintf(err, errlen, "no zone");
		bld_free(begun);
		return (NULL);
	}
	if (b != NULL && !b_fed(b, src)) {
		bld_free(b);
		b = NULL;
	}
	if (b != NULL) {
		b->s->err = err;
		b->s->errlen = errlen;
		b->s->keep = keep;
	} else {
		node_count(src, &owners, &bytes);
		if ((b = b_new(src, key, keep, owners, bytes, err,
		    errlen)) == NULL)
			return (NULL);
	}
	if (b_feed(b, src) == -1)
		goto fail;
	if (b->soa == NONE) {
		bld_fail(b, "no SOA at the apex");
		goto fail;
	}
	b->negttl = rd_negttl(src->rrs[b->soa].ttl, src->rrs[b->soa].rdata,
	    src->rrs[b->soa].rdlen);
	if (node_sort(b) == -1 || b_flags(b) == -1)
		goto fail;
	est = sizeof(struct image_header) + (size_t)b->nnodes * 80 +
	    src->nrr * 40;
	/* about a blob a name, and one for a quarter of the records */
	if (imgbuf_grow(b, est < IMG_MAXSIZE ? est : IMG_MAXSIZE) == -1 ||
	    blob_reserve(b, b->nnodes + src->nrr / 4) == -1 ||
	    imgbuf_put(b, NULL, sizeof(struct image_header), 8) == -1 ||
	    bld_zone_blobs(b) == -1 || proof_chain(b) == -1)
		goto fail;
	for (i = 0; i < b->nnodes; i++)
		if (bld_node(b, i) == -1)
			goto fail;
	if (proof_index(b) == -1 || b_hash(b) == -1)
		goto fail;
	b_header(b);
	b->size = b->s->len;
	return (b);
 fail:
	bld_free(b);
	return (NULL);
}

/*
 * A build begun before its records are all there (builder.h): the
 * builder of the zone apex, sized for about hint records.
 */
struct builder *
builder_begin(const uint8_t *apex, size_t apexlen, size_t hint, char *err,
    size_t errlen)
{
	struct zone_src	 src;

	memset(&src, 0, sizeof(src));
	src.apex = apex;
	src.apexlen = apexlen;
	return (b_new(&src, NULL, 1, hint, hint * 24, err, errlen));
}

int
builder_feed(struct builder *b, struct zrr *rrs, size_t nrr, char *err,
    size_t errlen)
{
	struct zone_src	 src = b->zs;

	b->s->err = err;
	b->s->errlen = errlen;
	src.rrs = rrs;
	src.nrr = nrr;
	return (b_feed(b, &src));
}

/*
 * The builder of the zone whose image img (size bytes) is served, kept in
 * *keep: src built again with img's hash key.  0 when the image is img's
 * (but for the time of the build; nothing written), 1 when it differs
 * (then written to fd, to serve), -1 on failure, with err.
 */
int
builder_rebuild(const struct zone_src *src, const uint8_t *img, size_t size,
    int ifd, int fd, struct builder **keep, char *err, size_t errlen)
{
	const struct image_header	*h = (const void *)img;
	struct builder			*b;
	const uint8_t			*built;
	size_t				 t, tend;
	int				 same;

	*keep = NULL;
	if (size < sizeof(*h)) {
		snprintf(err, errlen, "no image");
		return (-1);
	}
	if ((b = b_build(src, h->hash_key, 1, NULL, err, errlen)) == NULL)
		return (-1);
	built = b->s->img;
	t = offsetof(struct image_header, built);
	tend = t + sizeof(h->built);
	same = b->s->len == size && memcmp(built, img, t) == 0 &&
	    memcmp(built + tend, img + tend, size - tend) == 0;
	if ((!same && imgbuf_write(b, fd) == -1) || upd_keep(b) == -1) {
		bld_free(b);
		return (-1);
	}
	/* the overlays apply to the image on disk: its build time */
	if (same)
		memcpy(&b->hdr, img, sizeof(b->hdr));
	(void)node_base(b, same ? ifd : fd, b->size);
	*keep = b;
	return (same ? 0 : 1);
}

int
builder_build(const struct zone_src *src, struct builder *begun, int fd,
    struct builder **keep, char *err, size_t errlen)
{
	struct builder	*b;

	if (keep != NULL)
		*keep = NULL;
	if ((b = b_build(src, NULL, keep != NULL, begun, err, errlen)) ==
	    NULL)
		return (-1);
	if (imgbuf_write(b, fd) == -1) {
		bld_free(b);
		return (-1);
	}
	/*
	 * The image is written: serve it without the builder when there is
	 * no memory to keep it; err says why.
	 */
	if (keep != NULL && upd_keep(b) == 0) {
		(void)node_base(b, fd, b->size);
		*keep = b;
		return (0);
	}
	bld_free(b);
	return (0);
}

void
builder_free(struct builder *b)
{
	bld_free(b);
}

/*
 * A record's share of an image's content (image.h): SipHash-1-3, with a
 * key of zeros, of its wire form (owner, type, class, TTL, rdata).
 */
uint64_t
builder_rrhash(const struct zrr *r)
{
	static const uint8_t	 key[SIPHASH_KEYLEN];
	static uint8_t		 buf[DNS_MAXNAME + 10 + DNS_MAXRDATA];
	struct wbuf		 w;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_bytes(&w, r->owner, r->ownerlen);
	wbuf_u16(&w, r->type);
	wbuf_u16(&w, r->class);
	wbuf_u32(&w, r->ttl);
	wbuf_bytes(&w, r->rdata, r->rdlen);
	return (siphash13(key, buf, w.len));
}
