/*
 * The denial proofs of a signed zone (RFC 4035 section 3.1.3, RFC 5155
 * section 7.2), made at build time so that the query path adds at most
 * the one record that depends on the query name (image.h, DNSSEC).
 *
 * The chain: the NSEC3 chain the apex NSEC3PARAM names, or else the NSEC
 * records of the zone's authoritative names.  Each NSEC owner, or NSEC3
 * hash, gets a proof blob (the RRset and its RRSIGs, in the authority
 * section, compressed against the apex only) and an entry of the index,
 * in memory while the names are built, then in the image.  The proofs a
 * DO blob lists are found here: the NSEC at a name or covering one, the
 * NSEC3 matching a name's hash or covering it (each name hashed once).
 * secd serves what the primary signed: a chain with holes gives proofs
 * with holes, never a failed build.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"

#define N3_UNKNOWN	(NONE - 1)	/* n3match[] not computed yet */

/* An NSEC3 record (or its RRSIG) of the zone, by the hash its owner spells. */
struct n3rec {
	uint8_t			 hash[IMAGE_NSEC3_HASHLEN];
	uint32_t		 rr;
};

/* An NSEC owner, for sorting. */
struct nsecent {
	const uint8_t		*name;
	uint32_t		 len;
	uint32_t		 node;
	uint32_t		 proof;
};

struct ckey {
	struct builder		*b;
	const uint8_t		*name;
	size_t			 len;
};

static void	p_sigexp(struct builder *);
static int	p_n3param(struct builder *);
static int	p_n3same(const struct builder *, const struct zrr *);
static int	p_n3cmp(const void *, const void *);
static int	p_n3blob(struct builder *, const struct n3rec *, size_t,
		    uint32_t *);
static int	p_n3chain(struct builder *);
static int	p_nsecmp(const void *, const void *);
static int	p_nsecs(struct builder *);
static int	p_nodecmp(const void *, size_t);
static uint32_t	p_nsec_cover(struct builder *, const uint8_t *, size_t);
static uint32_t	p_nsec_at(struct builder *, uint32_t);
static uint32_t	p_n3_cover(struct builder *, const uint8_t *, size_t);
static uint32_t	p_n3_match(struct builder *, uint32_t);
static void	p_n3_nodata(struct builder *, uint32_t);
static size_t	p_star(struct builder *, uint32_t, uint8_t *);
static size_t	p_nextcloser(const uint8_t *, size_t, int);

/*
 * The earliest expiration of an RRSIG in the zone (RFC 4034 section
 * 3.1.5: serial arithmetic, from now), for secctl show zones.
 */
static void
p_sigexp(struct builder *b)
{
	const struct zrr	*rr;
	const uint8_t		*p;
	uint32_t		 now = (uint32_t)time(NULL), exp;
	int32_t			 best = INT32_MAX, d;
	size_t			 i;

	for (i = 0; i < b->src->nrr; i++) {
		rr = &b->src->rrs[i];
		if (rr->type != DNS_T_RRSIG || rr->rdlen < 18)
			continue;
		p = rr->rdata + 8;
		exp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
		if ((d = (int32_t)(exp - now)) < best) {
			best = d;
			b->sigexp = exp;
		}
	}
}

/*
 * The apex NSEC3PARAM's parameters (the first record's, RFC 5155 section
 * 4); 1 when there is one secd can hash with.
 */
static int
p_n3param(struct builder *b)
{
	const struct zrr	*rr;
	uint32_t		 first, n;

	if (!bld_range(b, 0, DNS_T_NSEC3PARAM, &first, &n))
		return (0);
	rr = &b->src->rrs[b->order[first]];
	if (rr->rdlen < 5 || rr->rdlen != 5 + rr->rdata[4])
		return (0);
	b->n3p.alg = rr->rdata[0];
	b->n3p.iter = (uint16_t)(rr->rdata[2] << 8 | rr->rdata[3]);
	b->n3p.saltlen = rr->rdata[4];
	memcpy(b->n3p.salt, rr->rdata + 5, b->n3p.saltlen);
	return (b->n3p.alg == 1 && b->n3p.iter <= IMAGE_NSEC3_MAXITER);
}

/* 1 if an NSEC3 record has the chain's parameters. */
static int
p_n3same(const struct builder *b, const struct zrr *rr)
{
	const struct nsec3_param	*p = &b->n3p;

	return (rr->type == DNS_T_NSEC3 && rr->rdlen >= 5 &&
	    rr->rdata[0] == p->alg &&
	    (uint16_t)(rr->rdata[2] << 8 | rr->rdata[3]) == p->iter &&
	    rr->rdata[4] == p->saltlen && rr->rdlen >= 5 + p->saltlen &&
	    memcmp(rr->rdata + 5, p->salt, p->saltlen) == 0);
}

static int
p_n3cmp(const void *a, const void *b)
{
	const struct n3rec	*x = a, *y = b;
	int			 r;

	if ((r = memcmp(x->hash, y->hash, sizeof(x->hash))) != 0)
		return (r);
	return (x->rr < y->rr ? -1 : x->rr > y->rr);
}

/*
 * The proof blob of the n records of one hash: the NSEC3 records of the
 * chain, then the RRSIGs covering NSEC3 (the lowest TTL of each set);
 * *off 0 when none is of the chain.
 */
static int
p_n3blob(struct builder *b, const struct n3rec *r, size_t n, uint32_t *off)
{
	const struct zrr	*rr;
	uint32_t		 ttl[2] = { UINT32_MAX, UINT32_MAX };
	size_t			 k;
	int			 pass, sig;

	*off = 0;
	for (k = 0; k < n; k++) {
		rr = &b->src->rrs[r[k].rr];
		sig = rr->type == DNS_T_RRSIG;
		if ((sig || p_n3same(b, rr)) && rr->ttl < ttl[sig])
			ttl[sig] = rr->ttl;
	}
	if (ttl[0] == UINT32_MAX)
		return (0);
	blob_begin(b, bld_name(b, 0), b->nodes[0].len, B_SHARED);
	b->bb.selfonly = 1;
	blob_sect(b, S_NS);
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < n; k++) {
			rr = &b->src->rrs[r[k].rr];
			sig = rr->type == DNS_T_RRSIG;
			if (sig != pass || (!sig && !p_n3same(b, rr)))
				continue;
			if (blob_rr(b, rr, rr->owner, rr->ownerlen,
			    ttl[sig]) == -1)
				return (blob_fail(b, rr));
		}
	if (blob_end(b, off) == -1)
		return (blob_fail(b, &b->src->rrs[r[0].rr]));
	return (0);
}

/* The NSEC3 records of the chain, by hash, each with its proof blob. */
static int
p_n3chain(struct builder *b)
{
	const struct zrr	*rr;
	const uint8_t		*apex = bld_name(b, 0);
	struct n3rec		*r;
	size_t			 i, j, n = 0, alen = b->nodes[0].len;
	uint32_t		 off;

	if (b->nn3rr == 0)
		return (0);
	if ((r = calloc(b->nn3rr, sizeof(*r))) == NULL ||
	    (b->n3ix = calloc(b->nn3rr, sizeof(*b->n3ix))) == NULL) {
		free(r);
		return (bld_fail(b, "out of memory for the NSEC3 chain"));
	}
	for (i = 0; i < b->nn3rr; i++) {
		rr = &b->src->rrs[b->n3rr[i]];
		/* a label of 32 base32hex digits right under the apex */
		if (rr->ownerlen != 33 + alen || !dns_name_equal(rr->owner +
		    33, alen, apex, alen) ||
		    denial_b32hex(rr->owner, rr->ownerlen, r[n].hash) == -1)
			continue;
		r[n++].rr = b->n3rr[i];
	}
	qsort(r, n, sizeof(*r), p_n3cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && memcmp(r[j].hash, r[i].hash,
		    sizeof(r[i].hash)) == 0; j++)
			;
		if (p_n3blob(b, r + i, j - i, &off) == -1) {
			free(r);
			return (-1);
		}
		if (off == 0)
			continue;
		memcpy(b->n3ix[b->nn3].hash, r[i].hash, sizeof(r[i].hash));
		b->n3ix[b->nn3++].proof_off = off;
	}
	free(r);
	return (0);
}

static int
p_nsecmp(const void *a, const void *b)
{
	const struct nsecent	*x = a, *y = b;

	return (dns_name_cmp(x->name, x->len, y->name, y->len));
}

/* The NSEC owners, in canonical order, each with its proof blob. */
static int
p_nsecs(struct builder *b)
{
	const struct zrr *rr;
	struct nsecent	*e;
	uint32_t	 i, first, n;
	size_t		 k, ne = 0;
	int		 rv = -1;

	if ((e = calloc(b->nnodes, sizeof(*e))) == NULL)
		return (bld_fail(b, "out of memory for the NSEC chain"));
	b->dnssec = 1;
	for (i = 0; i < b->nnodes; i++) {
		if ((b->nodes[i].flags & (IMG_N_BELOW | IMG_N_DNAMED)) ||
		    !bld_range(b, i, DNS_T_NSEC, &first, &n))
			continue;
		rr = &b->src->rrs[b->order[first]];
		blob_begin(b, bld_name(b, 0), b->nodes[0].len, B_SHARED);
		b->bb.selfonly = 1;
		blob_sect(b, S_NS);
		if (blob_rrset(b, i, first, n, rr->owner, rr->ownerlen) ==
		    -1 || blob_end(b, &e[ne].proof) == -1) {
			blob_fail(b, rr);
			goto done;
		}
		e[ne].name = bld_name(b, i);
		e[ne].len = b->nodes[i].len;
		e[ne++].node = i;
	}
	qsort(e, ne, sizeof(*e), p_nsecmp);
	if ((b->nsecnode = calloc(ne + 1, sizeof(uint32_t))) == NULL ||
	    (b->nsecproof = calloc(ne + 1, sizeof(uint32_t))) == NULL) {
		bld_fail(b, "out of memory for the NSEC chain");
		goto done;
	}
	for (k = 0; k < ne; k++) {
		b->nsecnode[k] = e[k].node;
		b->nsecproof[k] = e[k].proof;
	}
	b->nnsec = ne;
	rv = 0;
 done:
	b->dnssec = 0;
	free(e);
	return (rv);
}

/*
 * A signed zone's chain: NSEC3 when the apex names one secd can hash
 * (RFC 5155 section 7.2: the NSEC3PARAM says which), else NSEC.
 */
int
proof_chain(struct builder *b)
{
	uint32_t	 i;

	if (!(b->zflags & IMG_Z_SIGNED))
		return (0);
	p_sigexp(b);
	if ((b->dodeleg = calloc(b->nnodes + 1, sizeof(uint32_t))) == NULL)
		return (bld_fail(b, "out of memory"));
	if (p_n3param(b) && p_n3chain(b) == -1)
		return (-1);
	if (b->nn3 > 0) {
		if ((b->n3match = calloc(b->nnodes + 1,
		    sizeof(uint32_t))) == NULL)
			return (bld_fail(b, "out of memory"));
		for (i = 0; i < b->nnodes; i++)
			b->n3match[i] = N3_UNKNOWN;
		b->zflags |= IMG_Z_NSEC3;
		return (0);
	}
	memset(&b->n3p, 0, sizeof(b->n3p));
	if (p_nsecs(b) == -1)
		return (-1);
	if (b->nnsec > 0)
		b->zflags |= IMG_Z_NSEC;
	return (0);
}

/* The denial index, after the names (an NSEC entry points at its name). */
int
proof_index(struct builder *b)
{
	struct image_nsec	 e;
	size_t			 k;

	if (bld_put(b, NULL, IMAGE_ALIGN4(b->len) - b->len, 1) == -1)
		return (-1);
	b->denialoff = b->len;
	if (b->zflags & IMG_Z_NSEC3) {
		b->ndenial = b->nn3;
		return (bld_put(b, b->n3ix, b->nn3 * sizeof(*b->n3ix), 4));
	}
	if (!(b->zflags & IMG_Z_NSEC)) {
		b->denialoff = 0;
		return (0);
	}
	for (k = 0; k < b->nnsec; k++) {
		e.name_off = b->nodes[b->nsecnode[k]].off;
		e.proof_off = b->nsecproof[k];
		if (bld_put(b, &e, sizeof(e), 4) == -1)
			return (-1);
	}
	b->ndenial = b->nnsec;
	return (0);
}

/* A proof into the blob being built, once. */
void
proof_add(struct builder *b, uint32_t off)
{
	struct bblob	*bb = &b->bb;
	size_t		 i;

	if (off == 0)
		return;
	for (i = 0; i < bb->nproof; i++)
		if (bb->proof[i] == off)
			return;
	if (bb->nproof < MAXPROOF)
		bb->proof[bb->nproof++] = off;
}

static int
p_nodecmp(const void *ctx, size_t i)
{
	const struct ckey	*k = ctx;
	uint32_t		 node = k->b->nsecnode[i];

	return (dns_name_cmp(bld_name(k->b, node), k->b->nodes[node].len,
	    k->name, k->len));
}

/* The NSEC covering (or at) a lower-case name. */
static uint32_t
p_nsec_cover(struct builder *b, const uint8_t *name, size_t len)
{
	struct ckey	 k;

	if (b->nnsec == 0)
		return (0);
	k.b = b;
	k.name = name;
	k.len = len;
	return (b->nsecproof[denial_search(b->nnsec, p_nodecmp, &k)]);
}

/* The NSEC owned by node i, 0 if it has none. */
static uint32_t
p_nsec_at(struct builder *b, uint32_t i)
{
	struct ckey	 k;
	size_t		 x;

	if (b->nnsec == 0)
		return (0);
	k.b = b;
	k.name = bld_name(b, i);
	k.len = b->nodes[i].len;
	x = denial_search(b->nnsec, p_nodecmp, &k);
	return (b->nsecnode[x] == i ? b->nsecproof[x] : 0);
}

/* The NSEC3 covering (or matching) the hash of a lower-case name. */
static uint32_t
p_n3_cover(struct builder *b, const uint8_t *name, size_t len)
{
	uint8_t		 h[IMAGE_NSEC3_HASHLEN];

	if (b->nn3 == 0 || denial_nsec3_hash(&b->n3p, name, len, h) == -1)
		return (0);
	return (b->n3ix[denial_nsec3_find(b->n3ix, b->nn3, h)].proof_off);
}

/* The NSEC3 matching node i's hash, 0 if none (hashed once). */
static uint32_t
p_n3_match(struct builder *b, uint32_t i)
{
	uint8_t		 h[IMAGE_NSEC3_HASHLEN];
	size_t		 x;

	if (b->nn3 == 0)
		return (0);
	if (b->n3match[i] != N3_UNKNOWN)
		return (b->n3match[i]);
	b->n3match[i] = 0;
	if (denial_nsec3_hash(&b->n3p, bld_name(b, i), b->nodes[i].len,
	    h) == -1)
		return (0);
	x = denial_nsec3_find(b->n3ix, b->nn3, h);
	if (memcmp(b->n3ix[x].hash, h, sizeof(h)) == 0)
		b->n3match[i] = b->n3ix[x].proof_off;
	return (b->n3match[i]);
}

/*
 * NSEC3 proof that node i has no data of a type: its matching NSEC3, or
 * without one (an empty non-terminal of an opt-out span, a cut without
 * DS) the closest provable encloser's and the opt-out NSEC3 covering the
 * next closer name (RFC 5155 sections 7.2.3 and 7.2.4).
 */
static void
p_n3_nodata(struct builder *b, uint32_t i)
{
	uint32_t	 p, c;

	if (b->nn3 == 0)
		return;
	if ((p = p_n3_match(b, i)) != 0) {
		proof_add(b, p);
		return;
	}
	for (c = i, p = b->nodes[i].parent; p != NONE &&
	    p_n3_match(b, p) == 0; c = p, p = b->nodes[p].parent)
		;
	if (p == NONE)
		return;
	proof_add(b, p_n3_match(b, p));
	proof_add(b, p_n3_cover(b, bld_name(b, c), b->nodes[c].len));
}

/* "*.<node i>" into w; its length, 0 when too long. */
static size_t
p_star(struct builder *b, uint32_t i, uint8_t *w)
{
	if (b->nodes[i].len + 2 > DNS_MAXNAME)
		return (0);
	w[0] = 1;
	w[1] = '*';
	memcpy(w + 2, bld_name(b, i), b->nodes[i].len);
	return (b->nodes[i].len + 2);
}

/* The offset in name of its suffix one label longer than ce's labels. */
static size_t
p_nextcloser(const uint8_t *name, size_t len, int celabels)
{
	int	 n = dns_name_labels(name, len);

	return (dns_name_suffix(name, len, celabels + 1 < n ?
	    celabels + 1 : n));
}

/* The proof that node i exists but lacks the type asked (NODATA). */
void
proof_nodata(struct builder *b, uint32_t i)
{
	uint32_t	 p;

	if (b->zflags & IMG_Z_NSEC3)
		p_n3_nodata(b, i);
	else if (b->zflags & IMG_Z_NSEC) {
		/* an empty non-terminal has none: the NSEC covering it */
		if ((p = p_nsec_at(b, i)) == 0)
			p = p_nsec_cover(b, bld_name(b, i), b->nodes[i].len);
		proof_add(b, p);
	}
}

/* The proof that cut i has no DS (RFC 4035 section 3.1.4.1). */
void
proof_ds(struct builder *b, uint32_t i)
{
	proof_nodata(b, i);
}

/*
 * For node i as the closest encloser of a name that does not exist: the
 * proofs that do not depend on the name (nxd: the NSEC covering "*.<i>";
 * NSEC3: i's own and the one covering the hash of "*.<i>"), and wild, the
 * NSEC3 a wildcard NODATA below i adds (RFC 5155 section 7.2.5).
 */
void
proof_ce(struct builder *b, uint32_t i, uint32_t *nxd, uint32_t *wild)
{
	uint8_t		 w[DNS_MAXNAME];
	size_t		 wlen;

	nxd[0] = nxd[1] = *wild = 0;
	wlen = p_star(b, i, w);
	if (b->zflags & IMG_Z_NSEC3) {
		/* an opt-out empty non-terminal: the NSEC3 covering it */
		if ((nxd[0] = p_n3_match(b, i)) == 0)
			nxd[0] = p_n3_cover(b, bld_name(b, i),
			    b->nodes[i].len);
		*wild = p_n3_match(b, i);
		if (wlen > 0)
			nxd[1] = p_n3_cover(b, w, wlen);
	} else if ((b->zflags & IMG_Z_NSEC) && wlen > 0)
		nxd[0] = p_nsec_cover(b, w, wlen);
	if (nxd[1] == nxd[0])
		nxd[1] = 0;
}

/*
 * The proof that a name known at build time (a CNAME's target) does not
 * exist: its closest encloser's, and the NSEC covering it or the NSEC3
 * covering its next closer name.
 */
void
proof_nxname(struct builder *b, const uint8_t *name, size_t len)
{
	uint8_t		 lname[DNS_MAXNAME];
	uint32_t	 ce = NONE, nxd[2], wild;
	size_t		 off;

	memcpy(lname, name, len);
	dns_name_lower(lname, len);
	for (off = lname[0] + 1; off < len && ce == NONE;
	    off += lname[off] + 1)
		ce = bld_lookup(b, lname + off, len - off);
	if (ce == NONE)
		return;
	proof_ce(b, ce, nxd, &wild);
	proof_add(b, nxd[0]);
	proof_add(b, nxd[1]);
	if (b->zflags & IMG_Z_NSEC3) {
		off = p_nextcloser(lname, len, b->nodes[ce].labels +
		    b->apexlabels);
		proof_add(b, p_n3_cover(b, lname + off, len - off));
	} else if (b->zflags & IMG_Z_NSEC)
		proof_add(b, p_nsec_cover(b, lname, len));
}

/*
 * The proof for a name the wildcard node wnode answers (RFC 4035 section
 * 3.1.3.3, RFC 5155 sections 7.2.5 and 7.2.6): the name does not exist
 * (the NSEC covering it, the NSEC3 covering its next closer name), and
 * for NODATA the wildcard lacks the type (its NSEC; NSEC3: its own and
 * the closest encloser's).
 */
void
proof_wild(struct builder *b, const uint8_t *name, size_t len, uint32_t wnode,
    int nodata)
{
	uint8_t		 lname[DNS_MAXNAME];
	uint32_t	 ce = b->nodes[wnode].parent;
	size_t		 off;

	memcpy(lname, name, len);
	dns_name_lower(lname, len);
	if (b->zflags & IMG_Z_NSEC3) {
		off = p_nextcloser(lname, len, b->nodes[ce].labels +
		    b->apexlabels);
		proof_add(b, p_n3_cover(b, lname + off, len - off));
		if (nodata) {
			proof_add(b, p_n3_match(b, ce));
			proof_add(b, p_n3_match(b, wnode));
		}
	} else if (b->zflags & IMG_Z_NSEC) {
		proof_add(b, p_nsec_cover(b, lname, len));
		if (nodata)
			proof_add(b, p_nsec_at(b, wnode));
	}
}
