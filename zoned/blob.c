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
 * The zone builder's answers: each blob is built in a scratch message
 * (a 12-byte header, the question name it is made for, type and class,
 * then the records written with wbuf_name() against that question, so
 * that compression pointers can reach its suffixes), then appended to the
 * image, or found there already: identical blobs are stored once.  The
 * pointers that move with the query name are listed in fix[] (image.h).
 *
 * builder.c and proof.c say what an answer holds; blob.c writes it: the
 * records it is given, in a DO blob the RRSIGs of each RRset, the
 * addresses of a name given additional data, as many as fit.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

static int	blob_name(struct builder *, const uint8_t *, size_t);
static int	blob_rdata(struct builder *, const struct brr *);
static uint32_t	blob_ttl(struct builder *, uint32_t, uint32_t, uint32_t);
static size_t	blob_meta(struct builder *, uint8_t *);
static int	blob_dedup(struct builder *, const struct image_blob *,
		    const uint8_t *, size_t, uint32_t *, uint32_t *,
		    uint32_t *);

/*
 * Start a blob answering a question for name (lower case).  A wildcard
 * blob's names may point at the wildcard's parent, never at the whole
 * question, which the query name replaces; a shared blob's names keep
 * away from the end of the pointer range, which the patch moves them to.
 */
void
blob_begin(struct builder *b, const uint8_t *name, size_t len,
    enum bmode mode)
{
	static const uint8_t	 zero[QOFF];
	struct bblob		*bb = &b->s->bb;

	memset(bb, 0, sizeof(*bb));
	wbuf_init(&bb->w, b->s->bbuf, sizeof(b->s->bbuf));
	wbuf_bytes(&bb->w, zero, QOFF);
	wbuf_bytes(&bb->w, name, len);
	wbuf_u32(&bb->w, 0);
	bb->start = bb->w.len;
	bb->w.cap = bb->start + BLOB_MAXDATA;
	bb->self = name;
	bb->selflen = len;
	bb->mode = mode;
	bb->cmp.n = 1;
	bb->cmp.off[0] = mode == B_WILD ? QOFF + 2 : QOFF;
	bb->ptrmax = mode == B_EXACT ? PTR_MAXOFF :
	    PTR_MAXOFF - (DNS_MAXNAME - len);
	bb->sect = S_AN;
}

/*
 * A DO blob's additional records point only before it (image.h): the
 * server may put proofs there.
 */
void
blob_sect(struct builder *b, enum bsect sect)
{
	struct bblob	*bb = &b->s->bb;

	if (sect == S_AR && bb->sect != S_AR) {
		bb->arstart = bb->w.len - bb->start;
		if (b->s->dnssec)
			bb->selfonly = 1;
	}
	bb->sect = sect;
}

/* A name, compressed; every pointer it ends with is recorded in fix[]. */
static int
blob_name(struct builder *b, const uint8_t *name, size_t len)
{
	struct bblob	*bb = &b->s->bb;
	size_t		 pos = bb->w.len;
	int		 n = bb->cmp.n;

	if (wbuf_name(&bb->w, name, len, &bb->cmp) == -1)
		return (-1);
	if (bb->selfonly)
		bb->cmp.n = n;
	else if (bb->cmp.n > n && bb->cmp.off[bb->cmp.n - 1] + len >
	    bb->ptrmax)
		bb->cmp.n--;
	if (bb->w.len - pos < len) {
		if (bb->nfix >= MAXFIX) {
			bb->w.err = 1;
			return (-1);
		}
		b->s->fix[bb->nfix++] = bb->w.len - 2 - bb->start;
	}
	return (0);
}

/* rdata, its names compressed when RFC 3597 section 4 allows it. */
static int
blob_rdata(struct builder *b, const struct brr *rr)
{
	struct dns_rdlayout	 l;
	struct wbuf		*w = &b->s->bb.w;
	struct wire		 r;
	uint8_t			 name[DNS_MAXNAME], soa[BLD_SOAMAX];
	const uint8_t		*rd = bld_rdata(b, rr, soa);
	size_t			 len;
	int			 i;

	if (!dns_type_compressible(rr->type) || rd_layout(rr->type, &l) == -1)
		return (wbuf_bytes(w, rd, rr->rdlen));
	wire_init(&r, rd, rr->rdlen);
	wbuf_bytes(w, rd, l.pre);
	wire_skip(&r, l.pre);
	for (i = 0; i < l.nnames; i++) {
		if (wire_name_nocomp(&r, name, &len) == -1 ||
		    blob_name(b, name, len) == -1)
			return (-1);
	}
	if (r.err || rr->rdlen - r.off != l.post)
		return (-1);
	return (wbuf_bytes(w, rd + r.off, l.post));
}

/* One record; owner NULL is the question name (the query's own). */
int
blob_rr(struct builder *b, const struct brr *rr, const uint8_t *owner,
    size_t ownerlen, uint32_t ttl)
{
	struct bblob	*bb = &b->s->bb;
	size_t		 rdpos;

	if (owner != NULL)
		blob_name(b, owner, ownerlen);
	else if (bb->mode == B_WILD)
		wbuf_u16(&bb->w, 0xc000 | QOFF);
	else
		blob_name(b, bb->self, bb->selflen);
	wbuf_u16(&bb->w, rr->type);
	wbuf_u16(&bb->w, DNS_C_IN);
	wbuf_u32(&bb->w, ttl);
	rdpos = bb->w.len;
	wbuf_u16(&bb->w, 0);
	if (bb->w.err || blob_rdata(b, rr) == -1 ||
	    wbuf_set_u16(&bb->w, rdpos, bb->w.len - rdpos - 2) == -1) {
		bb->w.err = 1;
		return (-1);
	}
	bb->count[bb->sect]++;
	return (0);
}

/*
 * The TTL of the RRset of record k, in b->rrs from first, n records:
 * the lowest of the set (RFC 2181 section 5.2: a client treats the set as
 * if all had it), an RRSIG's among the RRSIGs covering the same type.
 */
static uint32_t
blob_ttl(struct builder *b, uint32_t first, uint32_t n, uint32_t k)
{
	const struct brr	*rr = &b->rrs[k], *o;
	uint16_t		 cov = bld_covered(b, rr);
	uint32_t		 j, ttl = rr->ttl;

	for (j = first; j < first + n; j++) {
		o = &b->rrs[j];
		if (o->ttl < ttl && bld_covered(b, o) == cov)
			ttl = o->ttl;
	}
	return (ttl);
}

/*
 * The RRset of n records from first in b->rrs, at node; in a DO blob
 * its RRSIGs after it (RFC 4035 section 3.1.1).
 */
int
blob_rrset(struct builder *b, uint32_t node, uint32_t first, uint32_t n,
    const uint8_t *owner, size_t ownerlen)
{
	const struct brr	*rr;
	uint32_t		 k, ttl = 0;

	for (k = first; k < first + n; k++) {
		rr = &b->rrs[k];
		if (k == first || rr->type == DNS_T_RRSIG)
			ttl = blob_ttl(b, first, n, k);
		if (blob_rr(b, rr, owner, ownerlen, ttl) == -1)
			return (-1);
	}
	if (!b->s->dnssec || n == 0)
		return (0);
	rr = &b->rrs[first];
	if (rr->type == DNS_T_RRSIG)
		return (0);
	return (blob_sigs(b, node, rr->type, owner, ownerlen));
}

/* The RRSIGs at node covering type, with the owner given. */
int
blob_sigs(struct builder *b, uint32_t node, uint16_t type,
    const uint8_t *owner, size_t ownerlen)
{
	const struct brr	*rr, *o;
	uint32_t		 first, n, k, j, ttl;

	if (!node_range(b, node, DNS_T_RRSIG, &first, &n))
		return (0);
	for (k = first; k < first + n; k++) {
		rr = &b->rrs[k];
		if (bld_covered(b, rr) != type)
			continue;
		for (ttl = rr->ttl, j = first; j < first + n; j++) {
			o = &b->rrs[j];
			if (o->ttl < ttl && bld_covered(b, o) == type)
				ttl = o->ttl;
		}
		if (blob_rr(b, rr, owner, ownerlen, ttl) == -1)
			return (-1);
	}
	return (0);
}

/*
 * A negative answer: the server appends the zone's SOA tail to its
 * authority section (image.h, IMG_B_SOA); nothing may follow.
 */
int
blob_soa(struct builder *b)
{
	blob_sect(b, S_NS);
	b->s->bb.flags |= IMG_B_SOA;
	return (0);
}

/*
 * The A and AAAA RRsets of one node (with their RRSIGs in a DO blob; glue
 * has none), as many as fit: the additional section is dropped first, so
 * a huge one is cut rather than failed.
 */
int
blob_addrs(struct builder *b, uint32_t node, int *full)
{
	static const uint16_t	 types[] = { DNS_T_A, DNS_T_AAAA };
	struct bblob		*bb = &b->s->bb;
	struct bblob		 save;
	const uint8_t		*owner;
	uint32_t		 first, n;
	size_t			 t, olen;
	int			 added = 0;

	for (t = 0; t < 2 && !*full; t++) {
		if (!node_range(b, node, types[t], &first, &n))
			continue;
		owner = bld_owner(b, node, &b->rrs[first], &olen);
		save = *bb;
		if (blob_rrset(b, node, first, n, owner, olen) == -1) {
			*bb = save;
			*full = 1;
			break;
		}
		added = 1;
	}
	return (added);
}

/*
 * What follows a blob's header: fix[], then with proofs their count and
 * offsets (image.h); its length.
 */
static size_t
blob_meta(struct builder *b, uint8_t *meta)
{
	struct bblob	*bb = &b->s->bb;
	size_t		 len = bb->nfix * 2, i;
	uint16_t	 n = bb->nproof;

	memcpy(meta, b->s->fix, len);
	if (n == 0)
		return (len);
	memcpy(meta + len, &n, sizeof(n));
	len += sizeof(n);
	for (i = 0; i < n; i++, len += 4)
		memcpy(meta + len, &bb->proof[i], 4);
	return (len);
}

/* Store the blob, or find an identical one stored before. */
int
blob_end(struct builder *b, uint32_t *off)
{
	static uint8_t		 meta[MAXFIX * 2 + 2 + MAXPROOF * 4];
	struct bblob		*bb = &b->s->bb;
	struct image_blob	 hdr;
	uint32_t		 slot, hash;
	size_t			 len, mlen;
	int			 r;

	if (bb->w.err)
		return (-1);
	len = bb->w.len - bb->start;
	if (bb->sect != S_AR)
		bb->arstart = len;
	if (bb->mode == B_EXACT)
		bb->nfix = 0;
	memset(&hdr, 0, sizeof(hdr));
	hdr.len = len;
	hdr.ancount = bb->count[S_AN];
	hdr.nscount = bb->count[S_NS];
	hdr.arcount = bb->count[S_AR];
	hdr.arstart = bb->arstart;
	hdr.flags = bb->flags | (bb->nproof > 0 ? IMG_B_PROOF : 0);
	hdr.base = bb->nfix ? bb->selflen : 0;
	hdr.nfix = bb->nfix;
	mlen = blob_meta(b, meta);
	slot = hash = 0;
	if ((r = blob_dedup(b, &hdr, meta, mlen, off, &slot, &hash)) != 0)
		return (r == 1 ? 0 : -1);
	if (imgbuf_put(b, &hdr, sizeof(hdr), 2) == -1)
		return (-1);
	*off = b->s->len - sizeof(hdr);
	if (imgbuf_put(b, meta, mlen, 1) == -1 ||
	    imgbuf_put(b, bb->w.buf + bb->start, len, 1) == -1)
		return (-1);
	b->s->dedup[slot].off = *off;
	b->s->dedup[slot].hash = hash;
	b->s->ndedup++;
	return (0);
}

/*
 * The table of stored blobs (by hash of their bytes, linear probing, at
 * most two thirds full) grown to hold n: a build reserves what the zone's
 * names and records will about need, so that it is not grown a dozen
 * times on the way.
 */
int
blob_reserve(struct builder *b, size_t n)
{
	struct bscratch	*s = b->s;
	struct dslot	*tab;
	size_t		 size, i, j;

	for (size = (size_t)s->dedupmask + 1; size * 2 < n * 3; size *= 2)
		if (size > UINT32_MAX / 4)
			return (bld_fail(b, "too many answers"));
	if (size == (size_t)s->dedupmask + 1)
		return (0);
	if ((tab = calloc(size, sizeof(*tab))) == NULL)
		return (bld_fail(b, "out of memory"));
	for (i = 0; i <= s->dedupmask; i++) {
		if (s->dedup[i].off == 0)
			continue;
		for (j = s->dedup[i].hash & (size - 1); tab[j].off != 0;
		    j = (j + 1) & (size - 1))
			;
		tab[j] = s->dedup[i];
	}
	free(s->dedup);
	s->dedup = tab;
	s->dedupmask = size - 1;
	return (0);
}

/*
 * 1 and *off if an identical blob is stored; else 0 and *slot, where to
 * record the new one, its hash in *hash.
 */
static int
blob_dedup(struct builder *b, const struct image_blob *hdr,
    const uint8_t *meta, size_t mlen, uint32_t *off, uint32_t *slot,
    uint32_t *hash)
{
	const struct image_blob	*o;
	struct bscratch		*s = b->s;
	const struct bblob	*bb = &s->bb;
	uint32_t		 h, i;

	if ((size_t)(s->ndedup + 1) * 3 > ((size_t)s->dedupmask + 1) * 2 &&
	    blob_reserve(b, s->ndedup + 1) == -1)
		return (-1);
	/* the fixes and proofs too: DO NODATA blobs differ only there */
	h = image_hash(b->key, bb->w.buf + bb->start, hdr->len) ^
	    (image_hash(b->key, meta, mlen) * 0x9e3779b1U) ^ hdr->flags;
	for (i = h & s->dedupmask; s->dedup[i].off != 0;
	    i = (i + 1) & s->dedupmask) {
		if (s->dedup[i].hash != h)
			continue;
		o = image_blob_at(s->img, s->dedup[i].off - s->base);
		if (memcmp(o, hdr, sizeof(*hdr)) == 0 &&
		    memcmp(image_blob_fix(o), meta, mlen) == 0 &&
		    memcmp(image_blob_data(o), bb->w.buf + bb->start,
		    hdr->len) == 0) {
			*off = s->dedup[i].off;
			return (1);
		}
	}
	*slot = i;
	*hash = h;
	return (0);
}

/*
 * A blob of the records of type at owner (len bytes) failed: too large
 * (the message is ours), or a message is set.
 */
int
blob_fail(struct builder *b, const uint8_t *owner, size_t len, uint16_t type)
{
	char	 why[64];

	if (b->s->bb.toomany) {
		snprintf(why, sizeof(why), "answer with more than %d proofs",
		    IMAGE_MAXPROOF);
		return (bld_namefail(b, owner, len, type, why));
	}
	if (b->s->bb.w.err)
		return (bld_namefail(b, owner, len, type, "answer larger than "
		    "65535 bytes"));
	return (-1);
}
