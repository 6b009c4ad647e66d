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
 * The zone builder's names: each name of the zone is a node, found by a
 * hash table of the lower-case names (linear probing, at most two thirds
 * full: a kept zone holds it; empty non-terminals included, every
 * parent created before its children); the records are sorted by node,
 * then type, then arrival (two stable counting sorts), so that the
 * records of one type at a name are a binary search away.
 * NSEC3 records name no node (RFC 5155 section 7.2.8): they come after
 * the names' records, for proof.c.  A lookup made by a name's answers is a
 * dep of it (dep.c).
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

/* A name in the image node_base mapped, not in b->names. */
#define NODE_INBASE	0x80000000U

static int	node_n3push(struct builder *, size_t);
static uint32_t	node_find(struct builder *, const uint8_t *, size_t, uint32_t);
static int	node_tabgrow(struct builder *);
static void	node_slot(struct builder *, uint32_t);
static int	node_tabsize(struct builder *, uint32_t);
static size_t	node_xat(const struct builder *, uint32_t);
static int	node_names(struct builder *, size_t);
static uint32_t	node_add(struct builder *, const uint8_t *, size_t, uint32_t,
		    uint32_t);
static void	node_revive(struct builder *, uint32_t);
static uint32_t	node_lower(struct builder *, uint32_t, uint32_t, uint32_t);

/*
 * The nodes, their names and the table made at the size owners names of
 * bytes need (node_count), or that a stream's first guess (a build fed
 * while the records arrive, builder_begin): not grown a dozen times for a
 * large zone, not a large zone's first size for a small one; more names
 * grow them.  The apex is node 0.
 */
int
node_begin(struct builder *b, size_t owners, size_t bytes)
{
	uint8_t		 lname[DNS_MAXNAME];
	size_t		 size;

	owners += owners / 8 + 8;
	bytes += b->src->apexlen + bytes / 8 + 256;
	for (size = 16; size * 2 < owners * 3 && size < NONE / 2; size *= 2)
		;
	if (owners > NONE / 4 || bytes > UINT32_MAX ||
	    (b->tab = calloc(size, sizeof(*b->tab))) == NULL ||
	    (b->nodes = reallocarray(NULL, owners, sizeof(*b->nodes))) ==
	    NULL || (b->names = malloc(bytes)) == NULL)
		return (bld_fail(b, "out of memory for %zu names", owners));
	b->tabmask = size - 1;
	b->nodecap = owners;
	b->namescap = bytes;
	b->s->prevrr = NONE;
	memcpy(lname, b->src->apex, b->src->apexlen);
	dns_name_lower(lname, b->src->apexlen);
	if (node_add(b, lname, b->src->apexlen, image_hash(b->key, lname,
	    b->src->apexlen), NONE) == NONE)
		return (-1);
	return (0);
}

/* The owners of src and their bytes, for node_begin: records come grouped. */
void
node_count(const struct zone_src *src, size_t *owners, size_t *bytes)
{
	size_t	 i;

	*owners = 1;
	*bytes = 0;
	for (i = 0; src->rrs != NULL && i < src->nrr; i++)
		if (i == 0 || src->rrs[i].ownerlen !=
		    src->rrs[i - 1].ownerlen || memcmp(src->rrs[i].owner,
		    src->rrs[i - 1].owner, src->rrs[i].ownerlen) != 0) {
			(*owners)++;
			*bytes += src->rrs[i].ownerlen;
		}
}

/*
 * The node of each record from the first not indexed yet to the last of
 * b->src (b->s->nindexed on): a build indexes the zone at once, a fed
 * one a message of a transfer at a time.
 */
int
node_index(struct builder *b)
{
	const struct zone_src	*src = b->src;
	struct bscratch		*s = b->s;
	const struct zrr	*rr, *prev;
	uint8_t			 lname[DNS_MAXNAME];
	size_t			 i, cap;
	uint32_t		*p;

	if (src->nrr + 1 > s->rrnodecap) {
		cap = s->rrnodecap * 2 > src->nrr + 1 ? s->rrnodecap * 2 :
		    src->nrr + 1;
		if ((p = reallocarray(s->rrnode, cap, sizeof(*p))) == NULL)
			return (bld_fail(b, "out of memory for %zu records",
			    src->nrr));
		s->rrnode = p;
		s->rrnodecap = cap;
	}
	for (i = s->nindexed; i < src->nrr; i++) {
		rr = &src->rrs[i];
		if (rr->type == DNS_T_NSEC3 || rd_covered(rr->type, rr->rdata,
		    rr->rdlen) == DNS_T_NSEC3) {
			/* not a name of the zone (RFC 5155 section 7.2.8) */
			s->rrnode[i] = NONE;
			if (node_n3push(b, i) == -1)
				return (-1);
			continue;
		}
		prev = s->prevrr != NONE ? &src->rrs[s->prevrr] : NULL;
		if (prev != NULL && prev->ownerlen == rr->ownerlen &&
		    memcmp(prev->owner, rr->owner, rr->ownerlen) == 0) {
			s->rrnode[i] = s->rrnode[s->prevrr];
			continue;
		}
		memcpy(lname, rr->owner, rr->ownerlen);
		dns_name_lower(lname, rr->ownerlen);
		if ((s->rrnode[i] = node_get(b, lname, rr->ownerlen)) == NONE)
			return (-1);
		s->prevrr = i;
	}
	s->nindexed = src->nrr;
	return (0);
}

/* An NSEC3 record or its RRSIG, put aside for proof.c. */
static int
node_n3push(struct builder *b, size_t i)
{
	struct bscratch	*s = b->s;
	void		*p;
	size_t		 cap;

	if (s->nn3rr == s->n3rrcap) {
		cap = s->n3rrcap ? s->n3rrcap * 2 : 1024;
		if ((p = reallocarray(s->n3rr, cap, sizeof(*s->n3rr))) == NULL)
			return (bld_fail(b, "out of memory"));
		s->n3rr = p;
		s->n3rrcap = cap;
	}
	s->n3rr[s->nn3rr++] = i;
	return (0);
}

/*
 * The builder's own copy of the records (b->rrs, their bytes copied), by
 * node, then visible before hidden, then type, then arrival, by two
 * stable sorts: by type (counting over the 65,536 types when there are
 * many records; a small zone's few by insertion, which costs less than
 * the table), then by node (counting); the NSEC3 records after them.  A
 * node's visible records are nrr from first, its hidden ones nhid after
 * them, so that a name's records are read in a row.
 */
#define NODE_SORT_FEW	256

int
node_sort(struct builder *b)
{
	const struct zone_src	*src = b->src;
	const uint32_t		*rrnode = b->s->rrnode;
	struct brr		*rrs;
	uint32_t		*cnt = NULL, *tmp = NULL, sum, c, j, soa = NONE;
	size_t			 i, k, nk = (size_t)b->nnodes * 2, nk2 = 0;

	/* the chunks sized for the rdata, and the NSEC3 owners */
	for (i = 0, b->chunkwant = 0; i < src->nrr; i++)
		b->chunkwant += src->rrs[i].rdlen +
		    (rrnode[i] == NONE ? src->rrs[i].ownerlen : 0);
	if ((rrs = reallocarray(NULL, src->nrr + 1, sizeof(*rrs))) == NULL)
		return (bld_fail(b, "out of memory for %zu records", src->nrr));
	if ((tmp = calloc(src->nrr + 1, sizeof(*tmp))) == NULL) {
		free(rrs);
		return (bld_fail(b, "out of memory for %zu records", src->nrr));
	}
	if (src->nrr < NODE_SORT_FEW) {
		for (i = 0; i < src->nrr; i++) {
			if (rrnode[i] == NONE)
				continue;
			for (k = nk2; k > 0 && src->rrs[tmp[k - 1]].type >
			    src->rrs[i].type; k--)
				tmp[k] = tmp[k - 1];
			tmp[k] = i;
			nk2++;
		}
	} else {
		if ((cnt = calloc(65536, sizeof(*cnt))) == NULL) {
			free(rrs);
			free(tmp);
			return (bld_fail(b, "out of memory for %zu records",
			    src->nrr));
		}
		for (i = 0; i < src->nrr; i++)
			if (rrnode[i] != NONE)
				cnt[src->rrs[i].type]++;
		for (i = 0, sum = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < src->nrr; i++)
			if (rrnode[i] != NONE)
				tmp[cnt[src->rrs[i].type]++] = i, nk2++;
		free(cnt);
	}
	if ((cnt = calloc(nk + 1, sizeof(*cnt))) == NULL) {
		free(rrs);
		free(tmp);
		return (bld_fail(b, "out of memory for %zu records", src->nrr));
	}
	for (i = 0; i < src->nrr; i++)
		if (rrnode[i] != NONE)
			cnt[rrnode[i] * 2 + (src->rrs[i].hidden != 0)]++;
	for (i = 0, sum = 0; i < nk; i++) {
		c = cnt[i];
		cnt[i] = sum;
		sum += c;
	}
	cnt[nk] = sum;
	for (i = 0; i < b->nnodes; i++) {
		if (cnt[2 * i + 1] - cnt[2 * i] > NODE_MAXRR ||
		    cnt[2 * i + 2] - cnt[2 * i + 1] > NODE_MAXRR) {
			free(rrs);
			free(tmp);
			free(cnt);
			return (node_toomany(b, i));
		}
		b->nodes[i].first = cnt[2 * i];
		b->nodes[i].nrr = cnt[2 * i + 1] - cnt[2 * i];
		b->nodes[i].nhid = cnt[2 * i + 2] - cnt[2 * i + 1];
	}
	for (i = 0; i < nk2; i++) {
		j = tmp[i];
		k = cnt[rrnode[j] * 2 + (src->rrs[j].hidden != 0)]++;
		if (node_put(b, &src->rrs[j], rrnode[j], &rrs[k]) == -1)
			goto fail;
		if (j == b->soa)
			soa = k;
	}
	/* the NSEC3 records and their RRSIGs after them, as they came */
	for (i = 0; i < b->s->nn3rr; i++) {
		if (node_put(b, &src->rrs[b->s->n3rr[i]], NONE,
		    &rrs[nk2 + i]) == -1)
			goto fail;
		b->s->n3rr[i] = nk2 + i;
	}
	free(cnt);
	free(tmp);
	b->soa = soa;
	free(b->rrs);
	b->rrs = rrs;
	b->nrr = src->nrr;
	b->rrcap = src->nrr + 1;
	/* none of the caller's records is read again */
	b->zs.rrs = NULL;
	b->zs.nrr = 0;
	return (0);
 fail:
	free(rrs);
	free(tmp);
	free(cnt);
	return (-1);
}

/*
 * len bytes in the chunks, which do not move (struct brr): at *ref.  A
 * new chunk holds what a build said it would need (chunkwant), or an
 * eighth of the bytes so far, at least 256 bytes and less than
 * BRR_CHUNK: a reference to a record's end (an empty rdata) stays in its
 * chunk.
 */
static uint8_t *
node_bytes(struct builder *b, size_t len, uint32_t *ref)
{
	size_t	 cap;
	uint8_t	*c, **p;

	if (b->nchunks == 0 || b->chunkcap - b->chunklen < len) {
		cap = b->chunkwant > b->chunkbytes / 8 ? b->chunkwant :
		    b->chunkbytes / 8;
		cap = cap < 256 ? 256 : cap;
		cap = cap > BRR_CHUNK - 1 ? BRR_CHUNK - 1 : cap;
		cap = cap < len ? len : cap;
		if (b->nchunks == BRR_MAXCHUNKS) {
			bld_fail(b, "more record bytes than the builder holds");
			return (NULL);
		}
		if ((p = reallocarray(b->chunks, b->nchunks + 1,
		    sizeof(*p))) == NULL) {
			bld_fail(b, "out of memory");
			return (NULL);
		}
		b->chunks = p;
		if ((c = malloc(cap)) == NULL) {
			bld_fail(b, "out of memory");
			return (NULL);
		}
		b->chunks[b->nchunks++] = c;
		b->chunklen = 0;
		b->chunkcap = cap;
		b->chunkbytes += cap;
		b->chunkwant = b->chunkwant > cap ? b->chunkwant - cap : 0;
	}
	*ref = (uint32_t)((b->nchunks - 1) << BRR_CHUNKBITS | b->chunklen);
	c = b->chunks[b->nchunks - 1] + b->chunklen;
	b->chunklen += len;
	return (c);
}

/*
 * in as the builder holds it, at node i (NONE: an NSEC3 record), into
 * out: its rdata copied into the chunks, and its owner before it when
 * the owner is not the node's name byte for byte.
 */
int
node_put(struct builder *b, const struct zrr *in, uint32_t i,
    struct brr *out)
{
	uint8_t		*p;
	size_t		 olen = in->ownerlen;
	uint32_t	 ref;

	if (i != NONE && olen == b->nodes[i].len &&
	    memcmp(in->owner, node_name(b, i), olen) == 0)
		olen = 0;
	if ((p = node_bytes(b, olen + in->rdlen, &ref)) == NULL)
		return (-1);
	memcpy(p, in->owner, olen);
	if (in->rdlen > 0)
		memcpy(p + olen, in->rdata, in->rdlen);
	out->data = ref + (uint32_t)olen;
	out->ttl = in->ttl;
	out->type = in->type;
	out->rdlen = in->rdlen;
	out->ownerlen = (uint8_t)olen;
	out->proxy = in->proxy;
	out->hidden = in->hidden;
	out->apexcname = in->apexcname;
	return (0);
}

/*
 * The name table: a slot is 0 (empty) or the node + 1 in the bits of
 * the slot index (tabmask: fewer than two thirds of the slots hold
 * nodes, so the node + 1 fits) and the hash's bits above them, so that
 * a probe reads a node only when the bits above match: 4 bytes a slot.
 */
#define TAB_NODE(b, v)	(((v) & (b)->tabmask) - 1)
#define TAB_SLOT(b, i, h) (((h) & ~(b)->tabmask) | ((i) + 1))

/* 1 if node i is lname, len bytes. */
static int
node_is(struct builder *b, uint32_t i, const uint8_t *lname, size_t len)
{
	return (b->nodes[i].len == len &&
	    memcmp(node_name(b, i), lname, len) == 0);
}

/*
 * The node of lname (hash h), or NONE: while built, by the name table;
 * once kept, by the image's hash (b->slotnode, which holds the same hash
 * of every name the image has) and then among the names it lacks (added
 * since, or dead), b->extra, sorted by hash.
 */
static uint32_t
node_find(struct builder *b, const uint8_t *lname, size_t len, uint32_t h)
{
	uint32_t	 i, v, mask = b->hashsize - 1, k;
	size_t		 x;

	if (b->tab != NULL) {
		for (i = h & b->tabmask; (v = b->tab[i]) != 0;
		    i = (i + 1) & b->tabmask)
			if ((v & ~b->tabmask) == (h & ~b->tabmask) &&
			    node_is(b, TAB_NODE(b, v), lname, len))
				return (TAB_NODE(b, v));
		return (NONE);
	}
	for (i = h & mask, k = 0; k <= mask && b->slotnode[i] != NONE;
	    i = (i + 1) & mask, k++)
		if (node_is(b, b->slotnode[i], lname, len))
			return (b->slotnode[i]);
	for (x = node_xat(b, h); x < b->nextra && b->extra[x].hash == h; x++)
		if (node_is(b, b->extra[x].node, lname, len))
			return (b->extra[x].node);
	return (NONE);
}

/* The first of b->extra whose hash is h or more. */
static size_t
node_xat(const struct builder *b, uint32_t h)
{
	size_t	 lo = 0, hi = b->nextra, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->extra[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * Node i, not in the image's hash (new, or dead: update.c), into
 * b->extra, where a kept builder finds it (node_find).
 */
int
node_unhashed(struct builder *b, uint32_t i)
{
	uint32_t	 h = node_hash(b, i);
	size_t		 x, cap;
	void		*p;

	if (b->nextra == b->extracap) {
		cap = b->extracap ? b->extracap * 2 : 64;
		if ((p = reallocarray(b->extra, cap, sizeof(*b->extra))) ==
		    NULL)
			return (bld_fail(b, "out of memory"));
		b->extra = p;
		b->extracap = cap;
	}
	x = node_xat(b, h);
	memmove(&b->extra[x + 1], &b->extra[x],
	    (b->nextra - x) * sizeof(*b->extra));
	b->extra[x].hash = h;
	b->extra[x].node = i;
	b->nextra++;
	return (0);
}

/*
 * A full build kept: every name is in the image's hash, which finds
 * them from now on (node_find); the name table goes.
 */
void
node_kept(struct builder *b)
{
	free(b->tab);
	b->tab = NULL;
	b->tabmask = 0;
}

static int
node_tabgrow(struct builder *b)
{
	if (b->tabmask + 1 > NONE / 2)
		return (bld_fail(b, "out of memory for the name table"));
	return (node_tabsize(b, (b->tabmask + 1) * 2));
}

/* Node i into the name table, at the first empty slot from its home. */
static void
node_slot(struct builder *b, uint32_t i)
{
	uint32_t	 h = node_hash(b, i), s;

	for (s = h & b->tabmask; b->tab[s] != 0; s = (s + 1) & b->tabmask)
		;
	b->tab[s] = TAB_SLOT(b, i, h);
}

/*
 * The name table made again in size slots (a power of two that holds
 * the nodes), grown.  As it was when there is no memory.
 */
static int
node_tabsize(struct builder *b, uint32_t size)
{
	uint32_t	*tab, i;

	if ((tab = calloc(size, sizeof(*tab))) == NULL)
		return (bld_fail(b, "out of memory for the name table"));
	free(b->tab);
	b->tab = tab;
	b->tabmask = size - 1;
	for (i = 0; i < b->nnodes; i++)
		node_slot(b, i);
	return (0);
}

/*
 * The names grown to cap bytes: moved by realloc(3), or, once a kept
 * builder gives out records whose owners point into them (update.c,
 * builder_owner), copied into a new buffer and the old one kept until
 * the builder goes.
 */
static int
node_names(struct builder *b, size_t cap)
{
	struct oldnames	*o;
	uint8_t		*p;

	if (!b->kept || b->nameslen == 0) {
		if ((p = realloc(b->names, cap)) == NULL)
			return (-1);
	} else {
		if ((o = malloc(sizeof(*o))) == NULL)
			return (-1);
		if ((p = malloc(cap)) == NULL) {
			free(o);
			return (-1);
		}
		memcpy(p, b->names, b->nameslen);
		o->names = b->names;
		o->cap = b->namescap;
		o->next = b->oldnames;
		b->oldnames = o;
	}
	b->names = p;
	b->namescap = cap;
	return (0);
}

/*
 * Node i would hold more than NODE_MAXRR records (visible, or hidden):
 * refused, as a bound on what one name costs each change of it.
 */
int
node_toomany(struct builder *b, uint32_t i)
{
	char	 name[DNS_MAXNAMESTR];

	if (dns_name_to_text(node_name(b, i), b->nodes[i].len, name,
	    sizeof(name)) == -1)
		strlcpy(name, "(bad name)", sizeof(name));
	return (bld_fail(b, "%s: more than %u records at one name, the most "
	    "secd serves (split them on the primary)", name, NODE_MAXRR));
}

/* A new node; marks its parent when it is a wildcard. */
static uint32_t
node_add(struct builder *b, const uint8_t *lname, size_t len, uint32_t h,
    uint32_t parent)
{
	struct bnode	*n;
	uint32_t	 i;
	size_t		 cap;
	void		*p;

	if (b->nnodes >= NONE / 4) {
		bld_fail(b, "too many names");
		return (NONE);
	}
	if (b->tab != NULL &&
	    (size_t)(b->nnodes + 1) * 3 > ((size_t)b->tabmask + 1) * 2 &&
	    node_tabgrow(b) == -1)
		return (NONE);
	if (b->nnodes == b->nodecap) {
		/* by doubling while built, by an eighth once kept */
		cap = b->kept ? (size_t)b->nodecap + b->nodecap / 8 + 64 :
		    b->nodecap ? (size_t)b->nodecap * 2 : 1024;
		if ((p = reallocarray(b->nodes, cap, sizeof(*n))) == NULL)
			goto nomem;
		b->nodes = p;
		b->nodecap = cap;
	}
	if (b->namescap - b->nameslen < len) {
		cap = b->namescap ? b->namescap * 2 : 65536;
		if (cap >= NODE_INBASE || node_names(b, cap) == -1)
			goto nomem;
	}
	i = b->nnodes++;
	n = &b->nodes[i];
	memset(n, 0, sizeof(*n));
	n->name = b->nameslen;
	memcpy(b->names + b->nameslen, lname, len);
	b->nameslen += len;
	n->len = len;
	n->parent = parent;
	n->labels = parent == NONE ? 0 : b->nodes[parent].labels + 1;
	if (parent != NONE)
		b->nodes[parent].nkids++;
	if (parent != NONE && dns_name_wildcard(lname, len))
		b->nodes[parent].flags |= IMG_N_WILD;
	if (b->tab == NULL)
		return (node_unhashed(b, i) == -1 ? NONE : i);
	if (b->s->nnhash == b->s->nhashcap) {
		cap = b->s->nhashcap ? b->s->nhashcap * 2 : 1024;
		if ((p = reallocarray(b->s->nhash, cap, sizeof(h))) == NULL)
			goto nomem;
		b->s->nhash = p;
		b->s->nhashcap = cap;
	}
	b->s->nhash[b->s->nnhash++] = h;
	node_slot(b, i);
	return (i);
 nomem:
	bld_fail(b, "out of memory for %u names", b->nnodes);
	return (NONE);
}

/* A dead node (update.c) and its dead ancestors come back. */
static void
node_revive(struct builder *b, uint32_t i)
{
	struct bnode	*n;

	while (i != NONE && (b->nodes[i].state & N_DEAD)) {
		n = &b->nodes[i];
		n->state = N_TOUCHED;
		n->nrr = n->nhid = 0;
		if (n->parent == NONE)
			break;
		b->nodes[n->parent].nkids++;
		if (dns_name_wildcard(node_name(b, i), n->len)) {
			b->nodes[n->parent].flags |= IMG_N_WILD;
			b->nodes[n->parent].state |= N_TOUCHED;
		}
		i = n->parent;
	}
}

/*
 * The node of a lower-case name in the zone, created with the missing
 * names between it and its closest existing ancestor, top down; a dead
 * one (update.c) comes back.
 */
uint32_t
node_get(struct builder *b, const uint8_t *lname, size_t len)
{
	size_t		 offs[DNS_MAXNAME / 2 + 1], off, top;
	uint32_t	 hs[DNS_MAXNAME / 2 + 1], n;
	int		 nl, k;

	hs[0] = image_hash(b->key, lname, len);
	if ((n = node_find(b, lname, len, hs[0])) != NONE) {
		node_revive(b, n);
		return (n);
	}
	top = len - b->src->apexlen;	/* the apex suffix; node 0 */
	for (nl = 0, off = 0; off < top; off += (size_t)lname[off] + 1)
		offs[nl++] = off;
	n = 0;
	for (k = 1; k < nl; k++) {
		hs[k] = image_hash(b->key, lname + offs[k], len - offs[k]);
		if ((n = node_find(b, lname + offs[k], len - offs[k],
		    hs[k])) != NONE)
			break;
	}
	if (k == nl)
		n = 0;
	node_revive(b, n);
	/* each name hashed once: those below the one found, top down */
	while (--k >= 0)
		if ((n = node_add(b, lname + offs[k], len - offs[k], hs[k],
		    n)) == NONE)
			return (NONE);
	return (n);
}

/* The node of a name in any case, or NONE. */
uint32_t
node_lookup(struct builder *b, const uint8_t *name, size_t len)
{
	uint8_t		 lname[DNS_MAXNAME];
	uint32_t	 h, n;

	if (len < 1 || len > DNS_MAXNAME)
		return (NONE);
	memcpy(lname, name, len);
	dns_name_lower(lname, len);
	h = image_hash(b->key, lname, len);
	dep_add(b, h);
	if ((n = node_find(b, lname, len, h)) != NONE &&
	    (b->nodes[n].state & N_DEAD))
		return (NONE);
	return (n);
}

/*
 * The hash of node i's name (image.h, image_hash), as its slots have it:
 * held while the zone is built (the table, the image's hash), computed
 * again once kept.
 */
uint32_t
node_hash(struct builder *b, uint32_t i)
{
	if (b->s != NULL && i < b->s->nnhash)
		return (b->s->nhash[i]);
	return (image_hash(b->key, node_name(b, i), b->nodes[i].len));
}

/* A node's name: in b->names, or in the image (node_base). */
const uint8_t *
node_name(struct builder *b, uint32_t i)
{
	uint32_t	 v = b->nodes[i].name;

	return ((v & NODE_INBASE) ? b->base + (v & ~NODE_INBASE) :
	    b->names + v);
}

/*
 * The image of a full build kept (size bytes from the start of fd, its
 * header the one kept, b->hdr; zoned never writes the file again: a new
 * build writes a new file) mapped, and
 * each node's name read from its entry there (struct image_name), so
 * that the names are not held twice; the names' buffer then holds only
 * those added since.  Only a zone whose names take NODE_BASE_MIN bytes
 * or more: a mapping each is a bound (vm.max_map_count) 100,000 small
 * zones would reach, and their names cost little.  -1 when not mapped:
 * the names stay.
 */
#define NODE_BASE_MIN	65536

int
node_base(struct builder *b, int fd, size_t size)
{
	const struct bnode	*n;
	struct stat		 st;
	void			*p;
	uint32_t		 i;

	if (fd == -1 || b->nameslen < NODE_BASE_MIN ||
	    size < sizeof(struct image_header) || size > IMG_MAXSIZE ||
	    b->base != NULL)
		return (-1);
	for (i = 0; i < b->nnodes; i++) {
		n = &b->nodes[i];
		if (n->off == 0 || size - sizeof(struct image_name) < n->off ||
		    size - sizeof(struct image_name) - n->off < n->len)
			return (-1);
	}
	/* the file holds the image the builder wrote, from its start */
	if (fstat(fd, &st) == -1 || st.st_size < (off_t)size ||
	    (p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED)
		return (-1);
	if (memcmp(p, &b->hdr, sizeof(b->hdr)) != 0) {
		munmap(p, size);
		return (-1);
	}
	for (i = 0; i < b->nnodes; i++)
		b->nodes[i].name = NODE_INBASE | (uint32_t)(b->nodes[i].off +
		    sizeof(struct image_name));
	free(b->names);
	b->names = NULL;
	b->nameslen = b->namescap = 0;
	b->base = p;
	b->basesize = size;
	return (0);
}

/* The first record at or after k, before end, of type >= type. */
static uint32_t
node_lower(struct builder *b, uint32_t k, uint32_t end, uint32_t type)
{
	uint32_t	 mid;

	while (k < end) {
		mid = k + (end - k) / 2;
		if (b->rrs[mid].type < type)
			k = mid + 1;
		else
			end = mid;
	}
	return (k);
}

/*
 * The records of one type at node i: *first in b->rrs, *n of them.
 * They are sorted by type: a binary search, whatever the RRset sizes.
 */
int
node_range(struct builder *b, uint32_t i, uint16_t type, uint32_t *first,
    uint32_t *n)
{
	const struct bnode	*nd = &b->nodes[i];
	uint32_t		 end = nd->first + nd->nrr;

	*first = node_lower(b, nd->first, end, type);
	*n = node_lower(b, *first, end, (uint32_t)type + 1) - *first;
	return (*n > 0);
}

/* The end of the group of records of one type starting at k. */
uint32_t
node_grp_end(struct builder *b, uint32_t k, uint32_t end)
{
	return (node_lower(b, k, end, (uint32_t)b->rrs[k].type + 1));
}
