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
 * The zone database image (image.h): the hash of its names, and the
 * validation a serverd runs over an image it is handed, so that the query
 * path can follow every offset without another check.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "image.h"
#include "siphash.h"

#define PTR_MAXOFF	0x3fff
/* ic_hash's order: the bucket of 64 KB of offset off, among nb */
#define IC_BUCKET	16
#define IC_B(off, nb)	((off) >> IC_BUCKET < (nb) ? (off) >> IC_BUCKET : (nb) - 1)
#define RR_MINLEN	11	/* root owner, type, class, TTL, RDLENGTH */

struct icheck {
	const uint8_t		*img;
	size_t			 size;
	struct image_header	 h;
	char			*err;
	size_t			 errlen;
	uint32_t		*proofs;	/* checked already, by offset */
	uint32_t		 nproofs, proofmask;
	int			 skipdenial;	/* index checked with prev */
};

static int	ic_fail(struct icheck *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static int	ic_header(struct icheck *);
static int	ic_step(struct icheck *);
static int	ic_inhash(struct icheck *, size_t, size_t);
static int	ic_wname(const uint8_t *, size_t, int *);
static int	ic_blob(struct icheck *, uint32_t, const char *);
static int	ic_proof(struct icheck *, uint32_t, const char *);
static int	ic_seen(struct icheck *, uint32_t);
static void	ic_init(struct icheck *, const uint8_t *, size_t, char *,
		    size_t);
static int	ic_done(struct icheck *, int);
static int	ic_next(struct icheck *, const uint8_t *, size_t);
static int	ic_extends(struct icheck *, const struct image_header *,
		    size_t);
static int	ic_slots(struct icheck *, const struct image_header *,
		    size_t, const uint32_t *, const uint32_t *, size_t);
static int	ic_dnssec(struct icheck *, const struct image_name *,
		    uint32_t);
static int	ic_denial(struct icheck *);
static int	ic_fix(struct icheck *, const struct image_blob *, uint32_t);
static int	ic_name(struct icheck *, uint32_t);
static int	ic_recs(struct icheck *, const struct image_name *, uint32_t);
static int	ic_rrsets(struct icheck *, const struct image_name *,
		    uint32_t);
static int	ic_hash(struct icheck *);
static int	ic_top(struct icheck *);
static int	ic_probe(struct icheck *, const uint32_t *, uint32_t);

/*
 * SipHash-1-3 folded to 32 bits: keyed, so that names chosen by a primary
 * cannot be made to collide, and fast on short names.
 */
uint32_t
image_hash(const uint8_t *key, const uint8_t *p, size_t len)
{
	uint64_t	 m;

	m = siphash13(key, p, len);
	return ((uint32_t)(m ^ (m >> 32)));
}

static int
ic_fail(struct icheck *c, const char *fmt, ...)
{
	va_list		 ap;

	if (c->err != NULL && c->errlen > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

/*
 * 1 if name is a well-formed uncompressed name of exactly len bytes in
 * lower case; *labels gets its label count.  The image is data like any
 * other input: this is the check dns_name_valid() makes, plus the case.
 */
static int
ic_wname(const uint8_t *name, size_t len, int *labels)
{
	size_t		 off = 0, i;
	int		 n = 0;

	if (len < 1 || len > 255)
		return (0);
	while (off < len && name[off] != 0) {
		if (name[off] > 63 || len - off < (size_t)name[off] + 1)
			return (0);
		for (i = 1; i <= name[off]; i++)
			if (name[off + i] >= 'A' && name[off + i] <= 'Z')
				return (0);
		n++;
		off += (size_t)name[off] + 1;
	}
	if (off != len - 1)
		return (0);
	*labels = n;
	return (1);
}

/*
 * Whether the n bytes at off meet the hash table.  No entry, blob or
 * index may: the hash table is the one part of an image that the next
 * one rewrites in place (image_check_next), so that what a slot left as
 * it was reaches is as it was checked.
 */
static int
ic_inhash(struct icheck *c, size_t off, size_t n)
{
	size_t	 hend = (size_t)c->h.hash_off + (size_t)c->h.hash_size * 4;

	return (off < hend && off + n > c->h.hash_off);
}

static int
ic_header(struct icheck *c)
{
	struct image_header	*h = &c->h;
	uint64_t		 end;
	int			 labels;

	if (c->size < sizeof(*h))
		return (ic_fail(c, "%zu bytes, shorter than a header",
		    c->size));
	if (((uintptr_t)c->img & 7) != 0)
		return (ic_fail(c, "mapped at a misaligned address"));
	memcpy(h, c->img, sizeof(*h));
	if (memcmp(h->magic, IMAGE_MAGIC, sizeof(h->magic)) != 0)
		return (ic_fail(c, "not a secd image (bad magic)"));
	if (h->bom != IMAGE_BOM)
		return (ic_fail(c, "built on a host of another byte order"));
	if (h->version != IMAGE_VERSION)
		return (ic_fail(c, "version %u, expected %u", h->version,
		    IMAGE_VERSION));
	if (h->header_size != sizeof(*h))
		return (ic_fail(c, "header of %u bytes, expected %zu",
		    h->header_size, sizeof(*h)));
	if (h->size != c->size)
		return (ic_fail(c, "header says %u bytes, file has %zu",
		    h->size, c->size));
	if (!ic_wname(h->apex, h->apexlen, &labels))
		return (ic_fail(c, "bad apex name"));
	if (h->hash_size == 0 || (h->hash_size & (h->hash_size - 1)) != 0 ||
	    h->nnames >= h->hash_size)
		return (ic_fail(c, "hash of %u slots for %u names",
		    h->hash_size, h->nnames));
	end = (uint64_t)h->hash_off + (uint64_t)h->hash_size * 4;
	if (h->hash_off % 4 != 0 || h->hash_off < sizeof(*h) ||
	    end > c->size)
		return (ic_fail(c, "hash table out of the image"));
	if (h->maxlabels > 127 || (int)h->maxlabels < labels)
		return (ic_fail(c, "implausible maxlabels %u", h->maxlabels));
	if ((h->flags & ~(IMG_Z_SIGNED | IMG_Z_NSEC | IMG_Z_NSEC3 |
	    IMG_Z_XFROUT)) != 0 ||
	    ((h->flags & (IMG_Z_NSEC | IMG_Z_NSEC3)) &&
	    !(h->flags & IMG_Z_SIGNED)) ||
	    (h->flags & (IMG_Z_NSEC | IMG_Z_NSEC3)) ==
	    (IMG_Z_NSEC | IMG_Z_NSEC3))
		return (ic_fail(c, "zone flags %#x", h->flags));
	if ((h->flags & IMG_Z_NSEC3) && (h->nsec3_alg != 1 ||
	    h->nsec3_iter > IMAGE_NSEC3_MAXITER))
		return (ic_fail(c, "NSEC3 hash %u with %u iterations",
		    h->nsec3_alg, h->nsec3_iter));
	return (ic_step(c));
}

/*
 * The last version step: whole, out of the hash table, after the one
 * before.  What it points to is read with bounds by the transfers out
 * (serverd/xfrout.c), which check each step they follow the same way.
 */
static int
ic_step(struct icheck *c)
{
	const struct image_step	*st;
	uint32_t		 off = c->h.step_off;

	if (off == 0)
		return (0);
	if (!(c->h.flags & IMG_Z_XFROUT) || off % 4 != 0 ||
	    off < sizeof(c->h) || off > c->size ||
	    c->size - off < sizeof(*st))
		return (ic_fail(c, "version step at %u out of the image", off));
	st = (const struct image_step *)(c->img + off);
	if (st->n > (c->size - off - sizeof(*st)) /
	    sizeof(struct image_steppair) || st->prev_off >= off ||
	    ic_inhash(c, off, sizeof(*st) + (size_t)st->n *
	    sizeof(struct image_steppair)))
		return (ic_fail(c, "version step at %u is not whole", off));
	return (0);
}

/* Every pointer in fix[] must be one, backwards, and stay one when moved. */
static int
ic_fix(struct icheck *c, const struct image_blob *b, uint32_t off)
{
	const uint16_t	*fix = image_blob_fix(b);
	const uint8_t	*data = image_blob_data(b);
	size_t		 i, f, t;

	for (i = 0; i < b->nfix; i++) {
		f = fix[i];
		if (f + 2 > b->len || (data[f] & 0xc0) != 0xc0)
			return (ic_fail(c, "blob at %u: fix[%zu] is not a "
			    "compression pointer", off, i));
		t = (size_t)(data[f] & 0x3f) << 8 | data[f + 1];
		if (t < 12 || (t >= 12U + b->base && t < 16U + b->base) ||
		    t >= 16U + b->base + f || t + 255 - b->base > PTR_MAXOFF)
			return (ic_fail(c, "blob at %u: fix[%zu] points at "
			    "%zu", off, i, t));
	}
	return (0);
}

static int
ic_blob(struct icheck *c, uint32_t off, const char *what)
{
	const struct image_blob	*b;
	size_t			 n, rrs, i;

	if (off % 2 != 0 || off < sizeof(c->h) || off > c->size ||
	    c->size - off < sizeof(*b))
		return (ic_fail(c, "%s: blob offset %u out of the image",
		    what, off));
	if (ic_inhash(c, off, sizeof(*b)))
		return (ic_fail(c, "%s: blob at %u in the hash table", what,
		    off));
	b = image_blob_at(c->img, off);
	n = sizeof(*b) + (size_t)b->nfix * 2;
	if ((b->flags & IMG_B_PROOF) && (n + 2 > c->size - off ||
	    !(c->h.flags & IMG_Z_SIGNED) || image_blob_nproof(b) == 0 ||
	    image_blob_nproof(b) > IMAGE_MAXPROOF))
		return (ic_fail(c, "%s: blob at %u: a bad list of proofs",
		    what, off));
	if (b->flags & IMG_B_PROOF)
		n += 2 + image_blob_nproof(b) * 4;
	if (n > c->size - off || b->len > c->size - off - n)
		return (ic_fail(c, "%s: blob at %u overruns the image",
		    what, off));
	if (ic_inhash(c, off, n + b->len))
		return (ic_fail(c, "%s: blob at %u in the hash table", what,
		    off));
	if (b->nfix > 0 && b->base < 1)
		return (ic_fail(c, "%s: blob at %u has fixes and base 0",
		    what, off));
	if ((b->flags & IMG_B_SOA) && (b->arcount > 0 || off == c->h.soa_off))
		return (ic_fail(c, "%s: blob at %u: the SOA tail after "
		    "additional records", what, off));
	rrs = (size_t)b->ancount + b->nscount + b->arcount;
	if (b->arstart > b->len || rrs * RR_MINLEN > b->len ||
	    (size_t)b->arcount * RR_MINLEN > (size_t)(b->len - b->arstart) ||
	    (b->arcount == 0 && b->arstart != b->len))
		return (ic_fail(c, "%s: blob at %u: implausible counts",
		    what, off));
	if (ic_fix(c, b, off) == -1)
		return (-1);
	for (i = 0; i < image_blob_nproof(b); i++)
		if (ic_proof(c, image_blob_proof(b, i), what) == -1)
			return (-1);
	return (0);
}

/*
 * 1 if the proof at off was checked already; else 0, and it is noted
 * (the set grows as needed); -1 without memory.  So a check does the
 * work of a proof once, however many answers list it: an image cannot
 * make its own check quadratic.
 */
static int
ic_seen(struct icheck *c, uint32_t off)
{
	uint32_t	*tab, size, i, j, v;

	if ((c->nproofs + 1) * 2 > c->proofmask + 1 || c->proofs == NULL) {
		size = c->proofs == NULL ? 1024 : (c->proofmask + 1) * 2;
		if ((tab = calloc(size, sizeof(*tab))) == NULL)
			return (ic_fail(c, "out of memory"));
		for (i = 0; c->proofs != NULL && i <= c->proofmask; i++) {
			if ((v = c->proofs[i]) == 0)
				continue;
			for (j = (v * 2654435761U) & (size - 1); tab[j] != 0;
			    j = (j + 1) & (size - 1))
				;
			tab[j] = v;
		}
		free(c->proofs);
		c->proofs = tab;
		c->proofmask = size - 1;
	}
	for (i = (off * 2654435761U) & c->proofmask; c->proofs[i] != 0;
	    i = (i + 1) & c->proofmask)
		if (c->proofs[i] == off)
			return (1);
	c->proofs[i] = off;
	c->nproofs++;
	return (0);
}

static void
ic_init(struct icheck *c, const uint8_t *img, size_t size, char *err,
    size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->img = img;
	c->size = size;
	c->err = err;
	c->errlen = errlen;
}

/* The end of a check: rv, its memory freed. */
static int
ic_done(struct icheck *c, int rv)
{
	free(c->proofs);
	c->proofs = NULL;
	return (rv);
}

/*
 * A proof blob (image.h, DNSSEC), or the SOA tail: authority records
 * only, pointers into the apex in the question only, so that it reads
 * the same wherever it is put.
 */
static int
ic_proof(struct icheck *c, uint32_t off, const char *what)
{
	const struct image_blob	*b;
	int			 r;

	/* each proof once: many answers list the same */
	if ((r = ic_seen(c, off)) != 0)
		return (r == 1 ? 0 : -1);
	/* its flags first: a proof lists none, so no check goes round */
	if (off % 2 != 0 || off < sizeof(c->h) || off > c->size ||
	    c->size - off < sizeof(*b))
		return (ic_fail(c, "%s: blob offset %u out of the image",
		    what, off));
	b = image_blob_at(c->img, off);
	if (b->flags & (IMG_B_SOA | IMG_B_PROOF))
		return (ic_fail(c, "%s: blob at %u is not a proof", what,
		    off));
	if (ic_blob(c, off, what) == -1)
		return (-1);
	if (b->ancount != 0 || b->arcount != 0 || b->nscount == 0 ||
	    (b->nfix > 0 && b->base != c->h.apexlen))
		return (ic_fail(c, "%s: blob at %u is not a proof", what,
		    off));
	return (0);
}

static int
ic_rrsets(struct icheck *c, const struct image_name *n, uint32_t off)
{
	const struct image_rrset	*rs = image_name_rrsets(n);
	size_t				 i;

	for (i = 0; i < n->ntypes; i++) {
		if (i > 0 && rs[i].type <= rs[i - 1].type)
			return (ic_fail(c, "name at %u: types not sorted",
			    off));
		if (ic_blob(c, rs[i].blob_off, "rrset") == -1)
			return (-1);
	}
	return (0);
}

/* A name entry, the name, its table and every blob it points to. */
static int
ic_name(struct icheck *c, uint32_t off)
{
	const struct image_name	*n;
	size_t			 need;
	int			 labels;

	if (off % 4 != 0 || off < sizeof(c->h) || off > c->size ||
	    c->size - off < sizeof(*n))
		return (ic_fail(c, "name offset %u out of the image", off));
	if (ic_inhash(c, off, sizeof(*n)))
		return (ic_fail(c, "name at %u in the hash table", off));
	n = image_name_at(c->img, off);
	need = sizeof(*n) + IMAGE_ALIGN4(n->namelen) +
	    (size_t)n->ntypes * sizeof(struct image_rrset);
	if (c->h.flags & IMG_Z_SIGNED)
		need += sizeof(struct image_dnssec) + (size_t)n->ntypes * 4;
	if (need > c->size - off)
		return (ic_fail(c, "name at %u overruns the image", off));
	if (ic_inhash(c, off, need))
		return (ic_fail(c, "name at %u in the hash table", off));
	if (!ic_wname(image_name_bytes(n), n->namelen, &labels))
		return (ic_fail(c, "name at %u is not a lower-case wire "
		    "name", off));
	if ((uint32_t)labels > c->h.maxlabels)
		return (ic_fail(c, "name at %u deeper than maxlabels", off));
	if ((n->flags & (IMG_N_DELEG | IMG_N_BELOW)) && n->deleg_off == 0)
		return (ic_fail(c, "cut at %u without a referral", off));
	if (n->deleg_off != 0 && ic_blob(c, n->deleg_off, "referral") == -1)
		return (-1);
	if (n->other_off != 0 && ic_blob(c, n->other_off, "other") == -1)
		return (-1);
	if (ic_rrsets(c, n, off) == -1 || ic_recs(c, n, off) == -1)
		return (-1);
	if (c->h.flags & IMG_Z_SIGNED)
		return (ic_dnssec(c, n, off));
	return (0);
}

/*
 * The records of the name at off (IMG_Z_XFROUT): whole, each owned by
 * the name (in any case), each of the length it says.
 */
static int
ic_recs(struct icheck *c, const struct image_name *n, uint32_t off)
{
	const struct image_recs	*r;
	const uint8_t		*p;
	size_t			 left, o;
	uint32_t		 i;
	uint16_t		 rdlen;

	if (n->rec_off == 0)
		return (0);
	if (!(c->h.flags & IMG_Z_XFROUT) || n->rec_off % 4 != 0 ||
	    n->rec_off < sizeof(c->h) || n->rec_off > c->size ||
	    c->size - n->rec_off < sizeof(*r))
		return (ic_fail(c, "name at %u: records at %u out of the "
		    "image", off, n->rec_off));
	r = (const struct image_recs *)(c->img + n->rec_off);
	if (r->len > c->size - n->rec_off - sizeof(*r) ||
	    ic_inhash(c, n->rec_off, sizeof(*r) + r->len))
		return (ic_fail(c, "name at %u: records overrun", off));
	p = (const uint8_t *)(r + 1);
	left = r->len;
	for (i = 0; i < r->count; i++) {
		if (left < (size_t)n->namelen + 10 ||
		    !dns_name_equal(p, n->namelen, image_name_bytes(n),
		    n->namelen))
			return (ic_fail(c, "name at %u: record %u is not "
			    "the name's", off, i));
		o = n->namelen;
		memcpy(&rdlen, p + o + 8, 2);
		o += 10 + ntohs(rdlen);
		if (o > left)
			return (ic_fail(c, "name at %u: record %u overruns",
			    off, i));
		p += o;
		left -= o;
	}
	if (left != 0)
		return (ic_fail(c, "name at %u: %zu bytes after its records",
		    off, left));
	return (0);
}

/* A signed image's part of a name: every DO blob and proof. */
static int
ic_dnssec(struct icheck *c, const struct image_name *n, uint32_t off)
{
	const struct image_dnssec	*d = image_name_dnssec(n);
	const uint32_t			*rs = image_dnssec_rrsets(d);
	size_t				 i;

	if ((n->flags & (IMG_N_DELEG | IMG_N_BELOW)) && d->deleg_off == 0)
		return (ic_fail(c, "cut at %u without a DO referral", off));
	if ((d->deleg_off != 0 &&
	    ic_blob(c, d->deleg_off, "DO referral") == -1) ||
	    (d->other_off != 0 && ic_blob(c, d->other_off, "DO other") == -1))
		return (-1);
	for (i = 0; i < 2; i++)
		if (d->nxd[i] != 0 && ic_proof(c, d->nxd[i], "nxd") == -1)
			return (-1);
	if (d->wild != 0 && ic_proof(c, d->wild, "wild") == -1)
		return (-1);
	for (i = 0; i < n->ntypes; i++)
		if (ic_blob(c, rs[i], "DO rrset") == -1)
			return (-1);
	return (0);
}

/*
 * Every slot holds 0 or a good name entry, reachable from its home slot
 * without an empty slot on the way; the apex is found where it belongs.
 * The names are checked in about the order they lie in the image (the
 * slots by the 64 KB of the image their name is in), not the hash's: a
 * walk the memory can prefetch, not one at random over the image; in
 * the hash's order when there is no memory for the order.
 */
static int
ic_hash(struct icheck *c)
{
	const uint32_t	*hash;
	uint32_t	*order, *start, i, k, b, nb, count = 0;
	int		 apex = 0;

	hash = (const uint32_t *)(c->img + c->h.hash_off);
	for (i = 0; i < c->h.hash_size; i++)
		count += hash[i] != 0;
	nb = (uint32_t)(c->size >> IC_BUCKET) + 1;
	order = reallocarray(NULL, count + 1, sizeof(*order));
	start = calloc((size_t)nb + 1, sizeof(*start));
	if (order != NULL && start != NULL) {
		for (i = 0; i < c->h.hash_size; i++)
			if (hash[i] != 0)
				start[IC_B(hash[i], nb) + 1]++;
		for (b = 0; b < nb; b++)
			start[b + 1] += start[b];
		for (i = 0; i < c->h.hash_size; i++)
			if (hash[i] != 0)
				order[start[IC_B(hash[i], nb)]++] = i;
	} else {
		free(order);
		order = NULL;
	}
	free(start);
	for (i = k = 0; k < count; k++, i++) {
		if (order != NULL)
			i = order[k];
		else
			while (hash[i] == 0)
				i++;
		if (ic_name(c, hash[i]) == -1 || ic_probe(c, hash, i) == -1) {
			free(order);
			return (-1);
		}
		apex |= hash[i] == c->h.apex_off;
	}
	free(order);
	if (count != c->h.nnames)
		return (ic_fail(c, "%u names in the hash, header says %u",
		    count, c->h.nnames));
	if (!apex)
		return (ic_fail(c, "apex not in the hash table"));
	return (0);
}

/* The header's blobs, the SOA tail and the apex entry. */
static int
ic_top(struct icheck *c)
{
	const struct image_name	*apex;
	const struct image_blob	*tail;

	if (ic_blob(c, c->h.soa_off, "SOA") == -1 ||
	    ic_blob(c, c->h.nxdomain_off, "NXDOMAIN") == -1 ||
	    ic_blob(c, c->h.nodata_off, "NODATA") == -1)
		return (-1);
	tail = image_blob_at(c->img, c->h.soa_off);
	if (tail->ancount != 0 || tail->nscount != 1 || tail->arcount != 0 ||
	    (tail->nfix > 0 && tail->base != c->h.apexlen))
		return (ic_fail(c, "the SOA tail is not one SOA record"));
	if ((c->h.flags & IMG_Z_SIGNED) &&
	    (ic_proof(c, c->h.dsoa_off, "DO SOA") == -1 || ic_denial(c) == -1))
		return (-1);
	if (ic_name(c, c->h.apex_off) == -1)
		return (-1);
	apex = image_name_at(c->img, c->h.apex_off);
	if (!(apex->flags & IMG_N_APEX) || apex->namelen != c->h.apexlen ||
	    memcmp(image_name_bytes(apex), c->h.apex, c->h.apexlen) != 0 ||
	    (apex->flags & (IMG_N_DELEG | IMG_N_BELOW)))
		return (ic_fail(c, "apex entry does not match the header"));
	return (0);
}

/*
 * The denial index: in the image, its proofs good, its entries sorted
 * (canonical order of lower-case names, or hash), so that a search ends
 * on the right record.
 */
static int
ic_denial(struct icheck *c)
{
	const struct image_nsec		*e;
	const struct image_nsec3	*e3;
	const struct image_name		*n, *p = NULL;
	size_t				 esize, i;
	int				 labels;

	if (!(c->h.flags & (IMG_Z_NSEC | IMG_Z_NSEC3)))
		return (c->h.ndenial == 0 ? 0 :
		    ic_fail(c, "a denial index without a chain"));
	if (c->skipdenial)
		return (0);
	esize = c->h.flags & IMG_Z_NSEC ? sizeof(*e) : sizeof(*e3);
	if (c->h.ndenial == 0 || c->h.denial_off % 4 != 0 ||
	    c->h.denial_off < sizeof(c->h) || c->h.denial_off > c->size ||
	    (c->size - c->h.denial_off) / esize < c->h.ndenial ||
	    ic_inhash(c, c->h.denial_off, c->h.ndenial * esize))
		return (ic_fail(c, "denial index out of the image"));
	e = (const struct image_nsec *)(c->img + c->h.denial_off);
	e3 = (const struct image_nsec3 *)(c->img + c->h.denial_off);
	for (i = 0; i < c->h.ndenial; i++) {
		if (c->h.flags & IMG_Z_NSEC3) {
			if (ic_proof(c, e3[i].proof_off, "NSEC3") == -1)
				return (-1);
			if (i > 0 && memcmp(e3[i - 1].hash, e3[i].hash,
			    IMAGE_NSEC3_HASHLEN) >= 0)
				return (ic_fail(c, "NSEC3 index not sorted"));
			continue;
		}
		if (ic_proof(c, e[i].proof_off, "NSEC") == -1)
			return (-1);
		if (e[i].name_off % 4 != 0 || e[i].name_off < sizeof(c->h) ||
		    e[i].name_off > c->size ||
		    c->size - e[i].name_off < sizeof(*n))
			return (ic_fail(c, "NSEC index: name offset %u out "
			    "of the image", e[i].name_off));
		n = image_name_at(c->img, e[i].name_off);
		if (n->namelen > c->size - e[i].name_off - sizeof(*n) ||
		    ic_inhash(c, e[i].name_off, sizeof(*n) + n->namelen) ||
		    !ic_wname(image_name_bytes(n), n->namelen, &labels))
			return (ic_fail(c, "NSEC index: bad name at %u",
			    e[i].name_off));
		if (p != NULL && dns_name_cmp(image_name_bytes(p), p->namelen,
		    image_name_bytes(n), n->namelen) >= 0)
			return (ic_fail(c, "NSEC index not sorted"));
		p = n;
	}
	return (0);
}

int
image_check(const uint8_t *img, size_t size, char *err, size_t errlen)
{
	struct icheck		 c;

	ic_init(&c, img, size, err, errlen);
	if (img == NULL)
		return (ic_fail(&c, "no image"));
	if (ic_header(&c) == -1 || ic_top(&c) == -1)
		return (ic_done(&c, -1));
	return (ic_done(&c, ic_hash(&c)));
}

/* The name in slot i is reachable from its home slot. */
static int
ic_probe(struct icheck *c, const uint32_t *hash, uint32_t i)
{
	const struct image_name	*n = image_name_at(c->img, hash[i]);
	uint32_t		 mask = c->h.hash_size - 1, j, k;

	j = image_hash(c->h.hash_key, image_name_bytes(n), n->namelen) & mask;
	for (k = 0; j != i; j = (j + 1) & mask, k++)
		if (hash[j] == 0 || k >= IMAGE_MAXPROBE)
			return (ic_fail(c, "hash slot %u: name out of its "
			    "probe chain", i));
	return (0);
}

/*
 * Whether the image being checked keeps what the check of ph, the image
 * it extends (of prevsize bytes), relied on: the hash table at the same
 * place, of the same size and key, the same apex and flags, names no
 * less deep.  0: it does, 1: it does not.
 */
static int
ic_extends(struct icheck *c, const struct image_header *ph, size_t prevsize)
{
	size_t	 hend;

	hend = (size_t)c->h.hash_off + (size_t)c->h.hash_size * 4;
	if (prevsize < hend || c->size < prevsize || ph->flags != c->h.flags ||
	    ph->maxlabels > c->h.maxlabels || ph->apexlen != c->h.apexlen ||
	    memcmp(ph->apex, c->h.apex, c->h.apexlen) != 0 ||
	    ph->hash_off != c->h.hash_off || ph->hash_size != c->h.hash_size ||
	    memcmp(ph->hash_key, c->h.hash_key, sizeof(ph->hash_key)) != 0)
		return (1);
	return (0);
}

/*
 * The check of an image that extends the checked image of header ph
 * (ic_extends): its bytes past ph's size appended, its header and the
 * hash slots slot[0..n) changed, from old[i] in that order; every other
 * byte as that check saw it.  Only the slots that changed are checked,
 * with their names, and the probe chains that run through them.
 *
 * Sound because a check refuses any entry, blob or index in the header or
 * the hash table (ic_inhash): what a slot left as it was reaches lies in
 * the bytes kept, as ph's check saw it; and the header facts that check
 * relied on (the apex, the depth of names) are the same or looser.
 */
static int
ic_slots(struct icheck *c, const struct image_header *ph, size_t prevsize,
    const uint32_t *slot, const uint32_t *old, size_t n)
{
	const uint32_t	*nh = (const uint32_t *)(c->img + c->h.hash_off);
	size_t		 hlen = sizeof(c->h), hend, dend, k;
	uint32_t	 i, j, mask = c->h.hash_size - 1;
	int64_t		 count = ph->nnames;

	hend = (size_t)c->h.hash_off + (size_t)c->h.hash_size * 4;
	/*
	 * A denial index at the same place, in the bytes kept, was
	 * checked with ph: its proofs are checked as names list them.
	 */
	dend = (size_t)c->h.denial_off + (size_t)c->h.ndenial *
	    (c->h.flags & IMG_Z_NSEC ? sizeof(struct image_nsec) :
	    sizeof(struct image_nsec3));
	c->skipdenial = ph->denial_off == c->h.denial_off &&
	    ph->ndenial == c->h.ndenial && c->h.denial_off >= hlen &&
	    dend <= prevsize &&
	    (dend <= c->h.hash_off || c->h.denial_off >= hend);
	if (ic_top(c) == -1)
		return (-1);
	/* the names of the slots that changed, before any is read */
	for (k = 0; k < n; k++) {
		if (slot[k] > mask || (k > 0 && slot[k] <= slot[k - 1]))
			return (ic_fail(c, "hash slot %u out of the table "
			    "or out of order", slot[k]));
		count += (int64_t)(nh[slot[k]] != 0) - (old[k] != 0);
		if (nh[slot[k]] != 0 && nh[slot[k]] != old[k] &&
		    ic_name(c, nh[slot[k]]) == -1)
			return (-1);
	}
	for (k = 0; k < n; k++) {
		i = slot[k];
		if (nh[i] == old[k])
			continue;
		if (nh[i] != 0 && ic_probe(c, nh, i) == -1)
			return (-1);
		/* the names after it may have probed through it */
		for (j = (i + 1) & mask; nh[j] != 0 && j != i;
		    j = (j + 1) & mask)
			if (ic_probe(c, nh, j) == -1)
				return (-1);
	}
	if (count != c->h.nnames)
		return (ic_fail(c, "%lld names in the hash, header says %u",
		    (long long)count, c->h.nnames));
	i = image_hash(c->h.hash_key, c->h.apex, c->h.apexlen) & mask;
	for (j = 0; nh[i] != c->h.apex_off; i = (i + 1) & mask, j++)
		if (nh[i] == 0 || j > IMAGE_MAXPROBE)
			return (ic_fail(c, "apex not in the hash table"));
	return (0);
}

/*
 * image_check() of an image that extends prev, the checked image it
 * replaces, as zoned's kept builder writes one (zoned/update.c): every
 * byte of prev but its header and hash table the same (ic_extends), then
 * checked where its hash slots changed (ic_slots).  1: img is not such
 * an image (check it whole), 0: good, -1: bad, err says why.
 */
static int
ic_next(struct icheck *c, const uint8_t *prev, size_t prevsize)
{
	const struct image_header	*ph = (const void *)prev;
	const uint32_t			*oh, *nh;
	uint32_t			*slot = NULL, *old = NULL, i;
	size_t				 hlen = sizeof(c->h), hend, n = 0;
	int				 rv;

	if (prev == NULL || c->img == NULL)
		return (1);
	if (ic_header(c) == -1)
		return (-1);
	hend = (size_t)c->h.hash_off + (size_t)c->h.hash_size * 4;
	if (ic_extends(c, ph, prevsize) != 0 ||
	    memcmp(prev + hlen, c->img + hlen, c->h.hash_off - hlen) != 0 ||
	    memcmp(prev + hend, c->img + hend, prevsize - hend) != 0)
		return (1);
	oh = (const uint32_t *)(prev + c->h.hash_off);
	nh = (const uint32_t *)(c->img + c->h.hash_off);
	for (i = 0; i < c->h.hash_size; i++)
		n += nh[i] != oh[i];
	if (n > 0 && ((slot = reallocarray(NULL, n, sizeof(*slot))) == NULL ||
	    (old = reallocarray(NULL, n, sizeof(*old))) == NULL)) {
		free(slot);
		return (ic_fail(c, "out of memory"));
	}
	for (i = 0, n = 0; i < c->h.hash_size; i++)
		if (nh[i] != oh[i]) {
			slot[n] = i;
			old[n++] = oh[i];
		}
	rv = ic_slots(c, ph, prevsize, slot, old, n);
	free(slot);
	free(old);
	return (rv);
}

int
image_check_next(const uint8_t *prev, size_t prevsize, const uint8_t *img,
    size_t size, char *err, size_t errlen)
{
	struct icheck	 c;

	ic_init(&c, img, size, err, errlen);
	return (ic_done(&c, ic_next(&c, prev, prevsize)));
}

/*
 * An image that extends the checked image of header prev where an
 * overlay changed it (image.h, Overlays): its header and the slots
 * slot[0..n), in increasing order, changed from old[], bytes appended;
 * 0: good, -1: bad, err says why.
 */
int
image_check_slots(const struct image_header *prev, const uint8_t *img,
    size_t size, const uint32_t *slot, const uint32_t *old, size_t n,
    char *err, size_t errlen)
{
	struct icheck	 c;

	ic_init(&c, img, size, err, errlen);
	if (img == NULL || prev == NULL)
		return (ic_fail(&c, "no image"));
	if (ic_header(&c) == -1)
		return (ic_done(&c, -1));
	if (ic_extends(&c, prev, prev->size) != 0)
		return (ic_done(&c, ic_fail(&c, "does not extend the image "
		    "served (hash table, apex, flags or depth)")));
	return (ic_done(&c, ic_slots(&c, prev, prev->size, slot, old, n)));
}
