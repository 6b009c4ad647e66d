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
 *
 * For a kept builder (update.c) every proof a name's answers take is a
 * dep of the name: the NSEC's owner, or a key made of the NSEC3's hash.
 * A change (an IXFR) of an NSEC owner or of an NSEC3 record rebuilds its
 * proof blob, puts it in the chain in order, and makes every name that
 * took it write its answers again; a record coming in between two others
 * changes the one before it (its next name), so the names that took that
 * one find the new one.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"

struct ckey {
	struct builder		*b;
	const uint8_t		*name;
	size_t			 len;
};

static uint32_t	p_key(const uint8_t *);
static uint32_t	p_exp(struct builder *, const struct brr *, uint32_t,
		    uint32_t);
static uint32_t	p_exp_min(uint32_t, uint32_t, uint32_t);
static uint32_t	p_node_exp(struct builder *, uint32_t, uint32_t);
static uint32_t	p_n3_exp(struct builder *, size_t, uint32_t);
static void	p_sigexp(struct builder *);
static int	p_signed(struct builder *, uint32_t, uint16_t);
static void	p_health(struct builder *);
static uint16_t	p_node_miss(struct builder *, uint32_t);
static uint8_t	p_n3_bad(struct builder *, size_t);
static uint8_t	p_nsec_bad(struct builder *, size_t);
static void	p_bad_add(struct builder *, uint8_t, int);
static void	p_health_node(struct builder *, uint32_t, uint32_t);
static void	p_health_n3(struct builder *, const uint8_t *, int, uint32_t);
static void	p_health_nsec(struct builder *, uint32_t, int);
static void	p_window(struct builder *, size_t, size_t, int,
		    struct share *, uint8_t (*)(struct builder *, size_t),
		    int);
static int	p_kind(struct builder *);
static int	p_n3param(struct builder *);
static int	p_n3same(const struct builder *, const struct brr *);
static int	p_n3cmp(const void *, const void *);
static int	p_n3blob(struct builder *, const struct n3rec *, size_t,
		    uint32_t *);
static int	p_n3chain(struct builder *);
static int	p_n3put(struct builder *, const uint8_t *, size_t, size_t);
static int	p_nsec_put(struct builder *, uint32_t);
static size_t	p_nsec_find(struct builder *, const uint8_t *, size_t);
static void	p_nsec_drop(struct builder *, uint32_t);
static int	p_nsecs(struct builder *);
static int	p_nodes(struct builder *);
static void	p_add(struct builder *, uint32_t);
static int	p_nodecmp(const void *, size_t);
static uint32_t	p_nsec_cover(struct builder *, const uint8_t *, size_t);
static uint32_t	p_nsec_at(struct builder *, uint32_t);
static uint32_t	p_n3_cover(struct builder *, const uint8_t *, size_t);
static uint32_t	p_n3_match(struct builder *, uint32_t);
static void	p_n3_provable(struct builder *, uint32_t, uint32_t *,
		    uint32_t *);
static void	p_n3_nodata(struct builder *, uint32_t);
static size_t	p_star(struct builder *, uint32_t, uint8_t *);
static size_t	p_nextcloser(const uint8_t *, size_t, int);

/* The dep key of an NSEC3 hash (update.c): its first four bytes. */
static uint32_t
p_key(const uint8_t *h)
{
	return ((uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3]);
}

/*
 * The earlier of an expiration (0: none) and rr's if an RRSIG (RFC 4034
 * section 3.1.5), the one that ends first from now on.
 */
static uint32_t
p_exp(struct builder *b, const struct brr *rr, uint32_t now, uint32_t best)
{
	const uint8_t	*p;
	uint32_t	 exp;

	if (rr->type != DNS_T_RRSIG || rr->rdlen < 18)
		return (best);
	p = bld_rd(b, rr) + 8;
	exp = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return (p_exp_min(exp, best, now));
}

/* The one of two expirations (0: none) that ends first from now on. */
static uint32_t
p_exp_min(uint32_t a, uint32_t b, uint32_t now)
{
	if (a == 0 || b == 0)
		return (a ? a : b);
	return ((int32_t)(a - now) < (int32_t)(b - now) ? a : b);
}

/* The earliest expiration of node i's RRSIGs, 0 if none (or dead). */
static uint32_t
p_node_exp(struct builder *b, uint32_t i, uint32_t now)
{
	uint32_t	 k, first, n, best = 0;

	if ((b->nodes[i].state & N_DEAD) ||
	    !node_range(b, i, DNS_T_RRSIG, &first, &n))
		return (0);
	for (k = first; k < first + n; k++)
		best = p_exp(b, &b->rrs[k], now, best);
	return (best);
}

/* The earliest expiration of the RRSIGs of NSEC3 chain entry x. */
static uint32_t
p_n3_exp(struct builder *b, size_t x, uint32_t now)
{
	size_t		 at, cnt, j;
	uint32_t	 best = 0;

	at = proof_n3records(b, b->n3ix[x].hash, &cnt);
	for (j = 0; j < cnt; j++)
		best = p_exp(b, &b->rrs[b->n3rec[at + j].rr], now, best);
	return (best);
}

/*
 * The earliest expiration of an RRSIG the zone serves, for secctl show
 * zones: at the names not dead and in the NSEC3 chain, from their shares
 * (p_health, proof_update).
 */
static void
p_sigexp(struct builder *b)
{
	uint32_t	 now = (uint32_t)time(NULL), i;
	size_t		 x;

	b->sigexp = 0;
	for (i = 0; i < b->nnodes; i++)
		b->sigexp = p_exp_min(b->nshare[i].exp, b->sigexp, now);
	for (x = 0; x < b->nn3; x++)
		b->sigexp = p_exp_min(b->n3share[x].exp, b->sigexp, now);
}

/* 1 if node i has an RRSIG covering type. */
static int
p_signed(struct builder *b, uint32_t i, uint16_t type)
{
	uint32_t	 first, n, k;

	if (!node_range(b, i, DNS_T_RRSIG, &first, &n))
		return (0);
	for (k = first; k < first + n; k++)
		if (bld_covered(b, &b->rrs[k]) == type)
			return (1);
	return (0);
}

/*
 * What a signer left undone, for the warning xfrd logs and secctl shows
 * (secd serves the zone as it is): the authoritative RRsets without an
 * RRSIG (at a cut only the DS is signed, glue never), NSEC3 records too,
 * and the places where a record of the chain does not name the next one.
 * Each node's and each chain entry's share is kept (struct share), so
 * that a change counts again only what it reaches
 * (p_health_node, p_health_n3, p_health_nsec) and the sums stay those a
 * full count makes.
 */
#define P_NOSIG	0x1	/* a hash without an RRSIG over its NSEC3 */
#define P_BREAK	0x2	/* its record does not name the next entry */

/* Node i's authoritative RRsets without an RRSIG. */
static uint16_t
p_node_miss(struct builder *b, uint32_t i)
{
	const struct brr	*rr;
	uint32_t		 k, t, end, n = 0;

	if ((b->nodes[i].state & N_DEAD) ||
	    (b->nodes[i].flags & (IMG_N_BELOW | IMG_N_DNAMED)))
		return (0);
	end = b->nodes[i].first + b->nodes[i].nrr;
	for (k = b->nodes[i].first; k < end; k = t) {
		rr = &b->rrs[k];
		t = node_grp_end(b, k, end);
		if (rr->type == DNS_T_RRSIG || rr->proxy ||
		    ((b->nodes[i].flags & IMG_N_DELEG) &&
		    rr->type != DNS_T_DS && rr->type != DNS_T_NSEC))
			continue;
		n += !p_signed(b, i, rr->type);
	}
	return (n > UINT16_MAX ? UINT16_MAX : n);
}

/* NSEC3 chain entry x's P_NOSIG and P_BREAK. */
static uint8_t
p_n3_bad(struct builder *b, size_t x)
{
	const struct brr	*rr;
	const uint8_t		*next = NULL, *rd;
	size_t			 at, cnt, j;
	int			 sig = 0;

	at = proof_n3records(b, b->n3ix[x].hash, &cnt);
	for (j = 0; j < cnt; j++) {
		rr = &b->rrs[b->n3rec[at + j].rr];
		rd = bld_rd(b, rr);
		sig |= bld_covered(b, rr) == DNS_T_NSEC3;
		if (p_n3same(b, rr) && rr->type == DNS_T_NSEC3 &&
		    rr->rdlen > 5 + rd[4] &&
		    rd[5 + rd[4]] == IMAGE_NSEC3_HASHLEN &&
		    rr->rdlen >= 6 + rd[4] + IMAGE_NSEC3_HASHLEN)
			next = rd + 6 + rd[4];
	}
	return ((sig ? 0 : P_NOSIG) | (next == NULL || memcmp(next,
	    b->n3ix[(x + 1) % b->nn3].hash, IMAGE_NSEC3_HASHLEN) != 0 ?
	    P_BREAK : 0));
}

/* NSEC chain entry x's P_BREAK (its RRSIG is its node's). */
static uint8_t
p_nsec_bad(struct builder *b, size_t x)
{
	const struct brr	*rr;
	const uint8_t		*rd;
	uint32_t		 i, first, n;
	size_t			 nlen;

	i = b->nsecnode[(x + 1) % b->nnsec];
	if (!node_range(b, b->nsecnode[x], DNS_T_NSEC, &first, &n))
		return (0);
	rr = &b->rrs[first];
	rd = bld_rd(b, rr);
	/* its next name: checked by rd_check, bounded still */
	for (nlen = 0; nlen < rr->rdlen && rd[nlen] != 0 &&
	    nlen + rd[nlen] + 1 < rr->rdlen;
	    nlen += rd[nlen] + 1)
		;
	return (nlen >= rr->rdlen || !dns_name_equal(rd, nlen + 1,
	    node_name(b, i), b->nodes[i].len) ? P_BREAK : 0);
}

/* The sums with an entry's bits added (sign 1) or taken away (-1). */
static void
p_bad_add(struct builder *b, uint8_t bits, int sign)
{
	if (bits & P_NOSIG)
		b->sigmissing += sign;
	if (bits & P_BREAK)
		b->breaks += sign;
}

/* Every share counted again: after a full build. */
static void
p_health(struct builder *b)
{
	uint32_t	 now = (uint32_t)time(NULL), i;
	size_t		 x;

	b->sigmissing = b->breaks = 0;
	for (i = 0; i < b->nnodes; i++) {
		b->sigmissing += b->nshare[i].miss = p_node_miss(b, i);
		b->nshare[i].exp = p_node_exp(b, i, now);
	}
	for (x = 0; x < b->nn3; x++) {
		p_bad_add(b, b->n3share[x].bad = p_n3_bad(b, x), 1);
		b->n3share[x].exp = p_n3_exp(b, x, now);
	}
	for (x = 0; x < b->nnsec; x++)
		p_bad_add(b, b->nsecshare[x].bad = p_nsec_bad(b, x), 1);
	p_sigexp(b);
}

/* Node i's share counted again, at time now: its records changed. */
static void
p_health_node(struct builder *b, uint32_t i, uint32_t now)
{
	b->sigmissing -= b->nshare[i].miss;
	b->sigmissing += b->nshare[i].miss = p_node_miss(b, i);
	b->nshare[i].exp = p_node_exp(b, i, now);
}

/*
 * Around a change of the NSEC3 records of hash h (p_n3put): the shares of
 * its entry and of the one before it (whose next entry it is, or becomes,
 * or was) taken away before (sign -1), counted again after (1).
 */
static void
p_health_n3(struct builder *b, const uint8_t *h, int sign, uint32_t now)
{
	size_t	 f;
	int	 own;

	if (b->nn3 == 0)
		return;
	/* the last entry not after h, or the last of all */
	f = denial_nsec3_find(b->n3ix, b->nn3, h);
	own = memcmp(b->n3ix[f].hash, h, IMAGE_NSEC3_HASHLEN) == 0;
	p_window(b, b->nn3, f, own, b->n3share, p_n3_bad, sign);
	if (own && sign > 0)
		b->n3share[f].exp = p_n3_exp(b, f, now);
}

/* The same around node i's NSEC entry (p_nsec_drop, p_nsec_put). */
static void
p_health_nsec(struct builder *b, uint32_t i, int sign)
{
	size_t	 f;

	if (b->nnsec == 0)
		return;
	f = p_nsec_find(b, node_name(b, i), b->nodes[i].len);
	p_window(b, b->nnsec, f, b->nsecnode[f] == i, b->nsecshare,
	    p_nsec_bad, sign);
}

/*
 * Of a chain of n entries: the shares of entry f when it is the changed
 * one's (own), and of the one before the changed one, taken away (sign
 * -1) or counted again by eval and kept in sh (1).
 */
static void
p_window(struct builder *b, size_t n, size_t f, int own, struct share *sh,
    uint8_t (*eval)(struct builder *, size_t), int sign)
{
	size_t	 w[2], nw = 0, k;

	if (own) {
		w[nw++] = f;
		f = (f + n - 1) % n;
	}
	if (nw == 0 || w[0] != f)
		w[nw++] = f;
	for (k = 0; k < nw; k++) {
		if (sign > 0)
			sh[w[k]].bad = eval(b, w[k]);
		p_bad_add(b, sh[w[k]].bad, sign);
	}
}

/*
 * The apex NSEC3PARAM's parameters (the first record's, RFC 5155 section
 * 4); 1 when there is one secd can hash with.
 */
static int
p_n3param(struct builder *b)
{
	const struct brr	*rr;
	const uint8_t		*rd;
	uint32_t		 first, n;

	if (!node_range(b, 0, DNS_T_NSEC3PARAM, &first, &n))
		return (0);
	rr = &b->rrs[first];
	rd = bld_rd(b, rr);
	if (rr->rdlen < 5 || rr->rdlen != 5 + rd[4])
		return (0);
	b->n3p.alg = rd[0];
	b->n3p.iter = (uint16_t)(rd[2] << 8 | rd[3]);
	b->n3p.saltlen = rd[4];
	memcpy(b->n3p.salt, rd + 5, b->n3p.saltlen);
	return (b->n3p.alg == 1 && b->n3p.iter <= IMAGE_NSEC3_MAXITER);
}

/*
 * 1 if an NSEC3 record, or the NSEC3PARAM, has the chain's parameters
 * (their rdata start alike, RFC 5155 sections 3.2 and 4.2).
 */
static int
p_n3same(const struct builder *b, const struct brr *rr)
{
	const struct nsec3_param	*p = &b->n3p;
	const uint8_t			*rd = bld_rd(b, rr);

	return ((rr->type == DNS_T_NSEC3 || rr->type == DNS_T_NSEC3PARAM) &&
	    rr->rdlen >= 5 && rd[0] == p->alg &&
	    (uint16_t)(rd[2] << 8 | rd[3]) == p->iter &&
	    rd[4] == p->saltlen && rr->rdlen >= 5 + p->saltlen &&
	    memcmp(rd + 5, p->salt, p->saltlen) == 0);
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
	const struct brr	*rr;
	const uint8_t		*owner, *o;
	uint32_t		 ttl[2] = { UINT32_MAX, UINT32_MAX };
	size_t			 k, olen, len;
	int			 pass, sig;

	*off = 0;
	for (k = 0; k < n; k++) {
		rr = &b->rrs[r[k].rr];
		sig = rr->type == DNS_T_RRSIG;
		if ((sig || p_n3same(b, rr)) && rr->ttl < ttl[sig])
			ttl[sig] = rr->ttl;
	}
	if (ttl[0] == UINT32_MAX)
		return (0);
	/* an NSEC3 record holds its owner (struct brr) */
	owner = bld_owner(b, NONE, &b->rrs[r[0].rr], &olen);
	blob_begin(b, node_name(b, 0), b->nodes[0].len, B_SHARED);
	b->s->bb.selfonly = 1;
	blob_sect(b, S_NS);
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < n; k++) {
			rr = &b->rrs[r[k].rr];
			sig = rr->type == DNS_T_RRSIG;
			if (sig != pass || (!sig && !p_n3same(b, rr)))
				continue;
			o = bld_owner(b, NONE, rr, &len);
			if (blob_rr(b, rr, o, len, ttl[sig]) == -1)
				return (blob_fail(b, owner, olen, DNS_T_NSEC3));
		}
	if (blob_end(b, off) == -1)
		return (blob_fail(b, owner, olen, DNS_T_NSEC3));
	return (0);
}

/*
 * The NSEC3 records (and their RRSIGs) of hash h in b->n3rec: the first
 * at the return, *n of them (0: where they would go).
 */
size_t
proof_n3records(struct builder *b, const uint8_t *h, size_t *n)
{
	size_t	 lo = 0, hi = b->nn3rec, mid, end;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(b->n3rec[mid].hash, h, IMAGE_NSEC3_HASHLEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < b->nn3rec && memcmp(b->n3rec[end].hash, h,
	    IMAGE_NSEC3_HASHLEN) == 0; end++)
		;
	*n = end - lo;
	return (lo);
}

/*
 * The chain's entry for hash h made again from its n records from first
 * in b->n3rec: its proof blob built, the entry put in order, or taken
 * out when none of its records is of the chain.
 */
static int
p_n3put(struct builder *b, const uint8_t *h, size_t first, size_t n)
{
	size_t	 x = 0, cap;
	uint32_t off = 0;
	void	*p;

	if (n > 0 && p_n3blob(b, b->n3rec + first, n, &off) == -1)
		return (-1);
	if (b->nn3 > 0 && memcmp(b->n3ix[b->nn3 - 1].hash, h,
	    IMAGE_NSEC3_HASHLEN) < 0)
		x = b->nn3;	/* after the last: the chain built in order */
	else if (b->nn3 > 0) {
		x = denial_nsec3_find(b->n3ix, b->nn3, h);
		if (memcmp(b->n3ix[x].hash, h, IMAGE_NSEC3_HASHLEN) == 0) {
			if (off != 0) {
				b->n3ix[x].proof_off = off;
				return (0);
			}
			memmove(b->n3ix + x, b->n3ix + x + 1,
			    (b->nn3 - x - 1) * sizeof(*b->n3ix));
			memmove(b->n3share + x, b->n3share + x + 1,
			    (b->nn3 - x - 1) * sizeof(*b->n3share));
			b->nn3--;
			return (0);
		}
		/* after the last one not after it, or first of all */
		x = memcmp(b->n3ix[x].hash, h, IMAGE_NSEC3_HASHLEN) < 0 ?
		    x + 1 : 0;
	}
	if (off == 0)
		return (0);
	if (b->nn3 == b->n3ixcap) {
		cap = b->n3ixcap ? b->n3ixcap * 2 : 64;
		if ((p = reallocarray(b->n3ix, cap, sizeof(*b->n3ix))) ==
		    NULL)
			return (bld_fail(b, "out of memory for the NSEC3 "
			    "chain"));
		b->n3ix = p;
		if ((p = reallocarray(b->n3share, cap,
		    sizeof(*b->n3share))) == NULL)
			return (bld_fail(b, "out of memory for the NSEC3 "
			    "chain"));
		b->n3share = p;
		b->n3ixcap = cap;
	}
	memmove(b->n3ix + x + 1, b->n3ix + x, (b->nn3 - x) *
	    sizeof(*b->n3ix));
	memmove(b->n3share + x + 1, b->n3share + x, (b->nn3 - x) *
	    sizeof(*b->n3share));
	memset(&b->n3share[x], 0, sizeof(b->n3share[x]));
	memcpy(b->n3ix[x].hash, h, IMAGE_NSEC3_HASHLEN);
	b->n3ix[x].proof_off = off;
	b->nn3++;
	return (0);
}

/* 1 and its hash in h if owner is an NSEC3 owner's shape (RFC 5155 3). */
int
proof_n3owner(struct builder *b, const uint8_t *owner, size_t len,
    uint8_t *h)
{
	size_t	 alen = b->nodes[0].len;

	return (len == 33 + alen && dns_name_equal(owner + 33, alen,
	    node_name(b, 0), alen) && denial_b32hex(owner, len, h) == 0);
}

/*
 * The NSEC3 records of the chain, by hash (in b->n3rec, for the kept
 * builder's updates), each hash with its proof blob.
 */
static int
p_n3chain(struct builder *b)
{
	const struct brr	*rr;
	const uint8_t		*owner;
	size_t			 i, j, n = 0, olen;

	if (b->s->nn3rr == 0)
		return (0);
	if ((b->n3rec = calloc(b->s->nn3rr, sizeof(*b->n3rec))) == NULL)
		return (bld_fail(b, "out of memory for the NSEC3 chain"));
	b->n3reccap = b->s->nn3rr;
	for (i = 0; i < b->s->nn3rr; i++) {
		rr = &b->rrs[b->s->n3rr[i]];
		owner = bld_owner(b, NONE, rr, &olen);
		/* a label of 32 base32hex digits right under the apex */
		if (!proof_n3owner(b, owner, olen, b->n3rec[n].hash))
			continue;
		b->n3rec[n++].rr = b->s->n3rr[i];
	}
	b->nn3rec = n;
	qsort(b->n3rec, n, sizeof(*b->n3rec), p_n3cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && memcmp(b->n3rec[j].hash,
		    b->n3rec[i].hash, IMAGE_NSEC3_HASHLEN) == 0; j++)
			;
		if (p_n3put(b, b->n3rec[i].hash, i, j - i) == -1)
			return (-1);
	}
	return (0);
}

/*
 * The records of hash h in the chain are now the n from first in
 * b->rrs (update.c copied them there), the NSEC3 ones and their
 * RRSIGs; the entry is made again by proof_update().
 */
int
proof_n3set(struct builder *b, const uint8_t *h, uint32_t first, uint32_t n)
{
	struct bscratch		*s = b->s;
	const struct brr	*rr;
	size_t			 at, old, k, add = 0, need;
	void			*p;

	for (k = first; k < first + n; k++) {
		rr = &b->rrs[k];
		add += rr->type == DNS_T_NSEC3 ||
		    bld_covered(b, rr) == DNS_T_NSEC3;
	}
	at = proof_n3records(b, h, &old);
	if ((need = b->nn3rec - old + add) > b->n3reccap) {
		need = need > b->n3reccap * 2 ? need : b->n3reccap * 2;
		if ((p = reallocarray(b->n3rec, need,
		    sizeof(*b->n3rec))) == NULL)
			return (bld_fail(b, "out of memory"));
		b->n3rec = p;
		b->n3reccap = need;
	}
	memmove(b->n3rec + at + add, b->n3rec + at + old,
	    (b->nn3rec - at - old) * sizeof(*b->n3rec));
	b->nn3rec = b->nn3rec - old + add;
	for (k = first; k < first + n; k++) {
		rr = &b->rrs[k];
		if (rr->type != DNS_T_NSEC3 &&
		    bld_covered(b, rr) != DNS_T_NSEC3)
			continue;
		memcpy(b->n3rec[at].hash, h, IMAGE_NSEC3_HASHLEN);
		b->n3rec[at++].rr = k;
	}
	if (s->nn3chg == s->n3chgcap) {
		need = s->n3chgcap ? s->n3chgcap * 2 : 64;
		if ((p = reallocarray(s->n3chg, need, sizeof(*s->n3chg))) ==
		    NULL)
			return (bld_fail(b, "out of memory"));
		s->n3chg = p;
		s->n3chgcap = need;
	}
	memcpy(s->n3chg[s->nn3chg++], h, IMAGE_NSEC3_HASHLEN);
	return (0);
}

static int
p_nodecmp(const void *ctx, size_t i)
{
	const struct ckey	*k = ctx;
	uint32_t		 node = k->b->nsecnode[i];

	return (dns_name_cmp(node_name(k->b, node), k->b->nodes[node].len,
	    k->name, k->len));
}

/*
 * The NSEC entry at or covering a lower-case name: the last one not after
 * it, or the last of all (the chain wraps).  nnsec > 0.
 */
static size_t
p_nsec_find(struct builder *b, const uint8_t *name, size_t len)
{
	struct ckey	 k;

	k.b = b;
	k.name = name;
	k.len = len;
	return (denial_search(b->nnsec, p_nodecmp, &k));
}

/* Node i out of the NSEC chain, if it is in. */
static void
p_nsec_drop(struct builder *b, uint32_t i)
{
	size_t	 x;

	if (b->nnsec == 0)
		return;
	x = p_nsec_find(b, node_name(b, i), b->nodes[i].len);
	if (b->nsecnode[x] != i)
		return;
	memmove(b->nsecnode + x, b->nsecnode + x + 1,
	    (b->nnsec - x - 1) * sizeof(*b->nsecnode));
	memmove(b->nsecproof + x, b->nsecproof + x + 1,
	    (b->nnsec - x - 1) * sizeof(*b->nsecproof));
	memmove(b->nsecshare + x, b->nsecshare + x + 1,
	    (b->nnsec - x - 1) * sizeof(*b->nsecshare));
	b->nnsec--;
}

/*
 * Node i into the NSEC chain, in canonical order, with the proof blob of
 * its NSEC RRset and RRSIGs, when it owns one and is authoritative.
 */
static int
p_nsec_put(struct builder *b, uint32_t i)
{
	const uint8_t		*owner;
	struct ckey		 k;
	uint32_t		 first, n, off;
	size_t			 x = 0, cap, olen;
	void			*p, *q, *r;

	if ((b->nodes[i].state & N_DEAD) ||
	    (b->nodes[i].flags & (IMG_N_BELOW | IMG_N_DNAMED)) ||
	    !node_range(b, i, DNS_T_NSEC, &first, &n))
		return (0);
	owner = bld_owner(b, i, &b->rrs[first], &olen);
	b->s->dnssec = 1;
	blob_begin(b, node_name(b, 0), b->nodes[0].len, B_SHARED);
	b->s->bb.selfonly = 1;
	blob_sect(b, S_NS);
	if (blob_rrset(b, i, first, n, owner, olen) == -1 ||
	    blob_end(b, &off) == -1) {
		b->s->dnssec = 0;
		return (blob_fail(b, owner, olen, DNS_T_NSEC));
	}
	b->s->dnssec = 0;
	if (b->nnsec == b->nseccap) {
		cap = b->nseccap ? b->nseccap * 2 : 64;
		p = reallocarray(b->nsecnode, cap, sizeof(*b->nsecnode));
		if (p != NULL)
			b->nsecnode = p;
		q = reallocarray(b->nsecproof, cap, sizeof(*b->nsecproof));
		if (q != NULL)
			b->nsecproof = q;
		r = reallocarray(b->nsecshare, cap, sizeof(*b->nsecshare));
		if (r != NULL)
			b->nsecshare = r;
		if (p == NULL || q == NULL || r == NULL)
			return (bld_fail(b, "out of memory for the NSEC "
			    "chain"));
		b->nseccap = cap;
	}
	if (b->nnsec > 0) {
		k.b = b;
		k.name = node_name(b, i);
		k.len = b->nodes[i].len;
		x = denial_search(b->nnsec, p_nodecmp, &k);
		x = p_nodecmp(&k, x) < 0 ? x + 1 : 0;
	}
	memmove(b->nsecnode + x + 1, b->nsecnode + x,
	    (b->nnsec - x) * sizeof(*b->nsecnode));
	memmove(b->nsecproof + x + 1, b->nsecproof + x,
	    (b->nnsec - x) * sizeof(*b->nsecproof));
	memmove(b->nsecshare + x + 1, b->nsecshare + x,
	    (b->nnsec - x) * sizeof(*b->nsecshare));
	memset(&b->nsecshare[x], 0, sizeof(b->nsecshare[x]));
	b->nsecnode[x] = i;
	b->nsecproof[x] = off;
	b->nnsec++;
	return (0);
}

/* The NSEC owners, in canonical order, each with its proof blob. */
static int
p_nsecs(struct builder *b)
{
	uint32_t	 i;

	for (i = 0; i < b->nnodes; i++)
		if (p_nsec_put(b, i) == -1)
			return (-1);
	return (0);
}

/* Room for each node's NSEC3 and share (the nodes may grow). */
static int
p_nodes(struct builder *b)
{
	size_t	 cap;
	void	*p;

	if (!(b->zflags & IMG_Z_SIGNED) || b->nnodes < b->nodeextcap)
		return (0);
	cap = bld_nodecap(b, b->nodeextcap);
	if ((p = recallocarray(b->n3hit, b->nodeextcap, cap,
	    sizeof(*b->n3hit))) == NULL)
		return (bld_fail(b, "out of memory"));
	b->n3hit = p;
	if ((p = recallocarray(b->nshare, b->nodeextcap, cap,
	    sizeof(*b->nshare))) == NULL)
		return (bld_fail(b, "out of memory"));
	b->nshare = p;
	b->nodeextcap = cap;
	return (0);
}

/*
 * A signed zone's chain: NSEC3 when the apex names one secd can hash
 * (RFC 5155 section 7.2: the NSEC3PARAM says which), else NSEC.
 */
int
proof_chain(struct builder *b)
{
	if (!(b->zflags & IMG_Z_SIGNED))
		return (0);
	if (p_nodes(b) == -1)
		return (-1);
	if (p_n3param(b) && p_n3chain(b) == -1)
		return (-1);
	free(b->s->n3rr);
	b->s->n3rr = NULL;
	b->s->nn3rr = b->s->n3rrcap = 0;
	if (b->nn3 > 0)
		b->zflags |= IMG_Z_NSEC3;
	else {
		memset(&b->n3p, 0, sizeof(b->n3p));
		if (p_nsecs(b) == -1)
			return (-1);
		if (b->nnsec > 0)
			b->zflags |= IMG_Z_NSEC;
	}
	p_health(b);
	return (0);
}

/*
 * 1 when proof_chain() would now choose another chain (RFC 5155 section
 * 10.4: NSEC to NSEC3, or other NSEC3 parameters, or a chain where there
 * was none): the change needs a full build.
 */
static int
p_kind(struct builder *b)
{
	struct nsec3_param	 was = b->n3p;
	uint32_t		 i, f, n;
	int			 n3;

	if (!(b->nodes[0].state & N_TOUCHED) &&
	    (b->zflags & (IMG_Z_NSEC | IMG_Z_NSEC3)))
		return (0);
	n3 = p_n3param(b);
	b->n3p = was;
	if (b->zflags & IMG_Z_NSEC3)
		return (!n3 || !node_range(b, 0, DNS_T_NSEC3PARAM, &f, &n) ||
		    !p_n3same(b, &b->rrs[f]));
	if (n3 && b->nn3rec > 0)
		return (1);
	if (b->zflags & IMG_Z_NSEC)
		return (0);
	for (i = 0; i < b->nnodes; i++)
		if ((b->nodes[i].state & N_TOUCHED) &&
		    node_range(b, i, DNS_T_NSEC, &f, &n))
			return (1);
	return (0);
}

/*
 * After a change of a signed zone's kept builder (update.c): the NSEC
 * owners among the names touched, and the NSEC3 hashes whose records
 * changed, in the chain again with new proof blobs, and every name that
 * took one of them marked to write its answers again; the NSEC3 each
 * name matches found again.  1: the change needs a full build (the
 * chain's kind).
 */
int
proof_update(struct builder *b)
{
	struct bscratch	*s = b->s;
	uint32_t	 i, now = (uint32_t)time(NULL);
	size_t		 k, first, n;

	if (!(b->zflags & IMG_Z_SIGNED))
		return (0);
	if (p_nodes(b) == -1)
		return (-1);
	for (i = 0; i < b->nnodes; i++)
		b->n3hit[i].known = 0;
	if (p_kind(b) == 1) {
		bld_fail(b, "the kind of the denial chain changes");
		return (1);
	}
	for (i = 0; i < b->nnodes; i++)
		if (b->nodes[i].state & N_TOUCHED)
			p_health_node(b, i, now);
	s->chainmoved = s->nn3chg > 0;
	for (k = 0; k < s->nn3chg; k++) {
		first = proof_n3records(b, s->n3chg[k], &n);
		p_health_n3(b, s->n3chg[k], -1, now);
		if (p_n3put(b, s->n3chg[k], first, n) == -1)
			return (-1);
		p_health_n3(b, s->n3chg[k], 1, now);
		dep_mark(b, p_key(s->n3chg[k]));
	}
	s->nn3chg = 0;
	if (b->zflags & IMG_Z_NSEC)
		for (i = 0; i < b->nnodes; i++) {
			if (!(b->nodes[i].state & N_TOUCHED))
				continue;
			p_health_nsec(b, i, -1);
			p_nsec_drop(b, i);
			if (p_nsec_put(b, i) == -1)
				return (-1);
			p_health_nsec(b, i, 1);
		}
	/* an NSEC entry names its owner's entry, which may move */
	for (k = 0; k < b->nnsec && !s->chainmoved; k++)
		s->chainmoved = (b->nodes[b->nsecnode[k]].state &
		    (N_TOUCHED | N_DIRTY)) != 0;
	if (((b->zflags & IMG_Z_NSEC3) && b->nn3 == 0) ||
	    ((b->zflags & IMG_Z_NSEC) && b->nnsec == 0)) {
		bld_fail(b, "the zone's denial chain is gone");
		return (1);
	}
	p_sigexp(b);
	return (0);
}

/* The denial index, after the names (an NSEC entry points at its name). */
int
proof_index(struct builder *b)
{
	struct image_nsec	 e;
	size_t			 k;

	if (imgbuf_put(b, NULL, IMAGE_ALIGN4(b->s->len) - b->s->len, 1) == -1)
		return (-1);
	b->denialoff = b->s->len;
	if (b->zflags & IMG_Z_NSEC3) {
		b->ndenial = b->nn3;
		return (imgbuf_put(b, b->n3ix, b->nn3 * sizeof(*b->n3ix), 4));
	}
	if (!(b->zflags & IMG_Z_NSEC)) {
		b->denialoff = 0;
		return (0);
	}
	for (k = 0; k < b->nnsec; k++) {
		e.name_off = b->nodes[b->nsecnode[k]].off;
		e.proof_off = b->nsecproof[k];
		if (imgbuf_put(b, &e, sizeof(e), 4) == -1)
			return (-1);
	}
	b->ndenial = b->nnsec;
	return (0);
}

/* A proof into the blob being built, once. */
static void
p_add(struct builder *b, uint32_t off)
{
	struct bblob	*bb = &b->s->bb;
	size_t		 i;

	if (off == 0)
		return;
	for (i = 0; i < bb->nproof; i++)
		if (bb->proof[i] == off)
			return;
	if (bb->nproof < MAXPROOF)
		bb->proof[bb->nproof++] = off;
	else
		bb->toomany = bb->w.err = 1;
}

/* The NSEC covering (or at) a lower-case name; its owner a dep. */
static uint32_t
p_nsec_cover(struct builder *b, const uint8_t *name, size_t len)
{
	size_t	 x;

	if (b->nnsec == 0)
		return (0);
	x = p_nsec_find(b, name, len);
	dep_add(b, node_hash(b, b->nsecnode[x]));
	return (b->nsecproof[x]);
}

/* The NSEC owned by node i, 0 if it has none; node i a dep. */
static uint32_t
p_nsec_at(struct builder *b, uint32_t i)
{
	size_t	 x;

	dep_add(b, node_hash(b, i));
	if (b->nnsec == 0)
		return (0);
	x = p_nsec_find(b, node_name(b, i), b->nodes[i].len);
	return (b->nsecnode[x] == i ? b->nsecproof[x] : 0);
}

/* The NSEC3 covering (or matching) the hash of a lower-case name. */
static uint32_t
p_n3_cover(struct builder *b, const uint8_t *name, size_t len)
{
	uint8_t		 h[IMAGE_NSEC3_HASHLEN];
	size_t		 x;

	if (b->nn3 == 0 || denial_nsec3_hash(&b->n3p, name, len, h) == -1)
		return (0);
	x = denial_nsec3_find(b->n3ix, b->nn3, h);
	dep_add(b, p_key(b->n3ix[x].hash));
	return (b->n3ix[x].proof_off);
}

/*
 * The NSEC3 matching node i's hash, 0 if none (hashed once); the hash a
 * dep, so that an NSEC3 coming for it later is found.
 */
static uint32_t
p_n3_match(struct builder *b, uint32_t i)
{
	struct n3hit	*m = &b->n3hit[i];
	uint8_t		 h[IMAGE_NSEC3_HASHLEN];
	size_t		 x;

	if (b->nn3 == 0)
		return (0);
	if (!m->known) {
		m->known = 1;
		m->proof = m->key = 0;
		if (denial_nsec3_hash(&b->n3p, node_name(b, i),
		    b->nodes[i].len, h) == -1)
			return (0);
		m->key = p_key(h);
		x = denial_nsec3_find(b->n3ix, b->nn3, h);
		if (memcmp(b->n3ix[x].hash, h, sizeof(h)) == 0)
			m->proof = b->n3ix[x].proof_off;
	}
	dep_add(b, m->key);
	return (m->proof);
}

/*
 * For node i without an NSEC3 (an empty non-terminal or a cut an opt-out
 * chain left out, RFC 5155 7.1): the closest provable encloser's NSEC3
 * and the opt-out one covering its child on the way to i (7.2.1); 0s
 * when even the apex has none.
 */
static void
p_n3_provable(struct builder *b, uint32_t i, uint32_t *pe, uint32_t *nc)
{
	uint32_t	 p, c;

	*pe = *nc = 0;
	for (c = i, p = b->nodes[i].parent; p != NONE &&
	    p_n3_match(b, p) == 0; c = p, p = b->nodes[p].parent)
		;
	if (p == NONE)
		return;
	*pe = p_n3_match(b, p);
	*nc = p_n3_cover(b, node_name(b, c), b->nodes[c].len);
}

/*
 * NSEC3 proof that node i has no data of a type: its matching NSEC3, or
 * the closest provable encloser's proof (RFC 5155 sections 7.2.3 and
 * 7.2.4: a validator finds such an answer insecure).
 */
static void
p_n3_nodata(struct builder *b, uint32_t i)
{
	uint32_t	 pe, nc;

	if (b->nn3 == 0)
		return;
	if ((pe = p_n3_match(b, i)) != 0) {
		p_add(b, pe);
		return;
	}
	p_n3_provable(b, i, &pe, &nc);
	p_add(b, pe);
	p_add(b, nc);
}

/* "*.<node i>" into w; its length, 0 when too long. */
static size_t
p_star(struct builder *b, uint32_t i, uint8_t *w)
{
	if (b->nodes[i].len + 2 > DNS_MAXNAME)
		return (0);
	w[0] = 1;
	w[1] = '*';
	memcpy(w + 2, node_name(b, i), b->nodes[i].len);
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
			p = p_nsec_cover(b, node_name(b, i), b->nodes[i].len);
		p_add(b, p);
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
	if ((b->zflags & IMG_Z_NSEC3) && (nxd[0] = p_n3_match(b, i)) == 0)
		/* an insecure answer, not a bogus one (p_n3_provable) */
		p_n3_provable(b, i, &nxd[0], &nxd[1]);
	else if (b->zflags & IMG_Z_NSEC3) {
		*wild = nxd[0];
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
		ce = node_lookup(b, lname + off, len - off);
	if (ce == NONE)
		return;
	proof_ce(b, ce, nxd, &wild);
	p_add(b, nxd[0]);
	p_add(b, nxd[1]);
	if (b->zflags & IMG_Z_NSEC3) {
		off = p_nextcloser(lname, len, b->nodes[ce].labels +
		    b->apexlabels);
		p_add(b, p_n3_cover(b, lname + off, len - off));
	} else if (b->zflags & IMG_Z_NSEC)
		p_add(b, p_nsec_cover(b, lname, len));
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
		p_add(b, p_n3_cover(b, lname + off, len - off));
		if (nodata) {
			p_add(b, p_n3_match(b, ce));
			p_add(b, p_n3_match(b, wnode));
		}
	} else if (b->zflags & IMG_Z_NSEC) {
		p_add(b, p_nsec_cover(b, lname, len));
		if (nodata)
			p_add(b, p_nsec_at(b, wnode));
	}
}
