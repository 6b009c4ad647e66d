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
 * The kept builder: after a full build (builder.c) the records (an owner
 * that is its name's bytes points at the name), the names, the hash of
 * the image (the node in each slot) and, for every name, the names its
 * answers looked up (its deps, dep.c: CNAME targets and what resolving
 * them met, NS/MX/SRV targets, the cut of a referral; the SOA of negative
 * answers is the image's SOA tail, image.h) stay in memory (struct
 * builder; the scratch of the build is freed, build.h), so that a change
 * of a few owners (an IXFR, a proxy toggle) writes the next image, as an
 * overlay of the one before (shared/image.h), in time that grows with
 * what it reaches, not with the zone:
 *
 *	1. the owners' records are replaced (their bytes copied here);
 *	   names are created, and the ones left without records or children
 *	   die, with their empty parents;
 *	2. their flags are computed again; a zone cut or a DNAME that
 *	   appears or goes above existing names, DNSSEC records in a zone
 *	   that had none, or an image grown by a quarter since its full
 *	   build make the caller build in full;
 *	3. every name that changed (records, life, flags, its wildcard child)
 *	   and every name whose deps hold one of them is written again: its
 *	   answers and entry are appended after the previous image, cuts
 *	   first (a new referral rewrites every name under the cut);
 *	4. the hash slots of those names are patched (inserted, moved,
 *	   deleted with backward shift), then the header; the overlay holds
 *	   the appended bytes, the slots that changed and the header.
 *
 * The old answers and entries stay in the image, unreachable; the next
 * full build drops them.  The hash key stays the one of the full build.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"

#define UPD_GROWN_FOLD	8	/* an eighth: folded in the background */
#define UPD_GROWN_FULL	4	/* a quarter: the change builds in full */
#define DEPS_RESORT	65536		/* unsorted deps before a sort */

/* A name written again, and where its entry was. */
struct moved {
	uint32_t		 node;
	uint32_t		 oldoff;
	uint32_t		 oldrecs;	/* its records before */
};

struct ulist {
	void			*v;
	size_t			 n, cap, size;
};

static int	 u_push(struct ulist *, const void *);
static void	 u_fit(struct builder *);
static int	 u_room(struct builder *, size_t);
static int	 u_replace(struct builder *, uint32_t, const struct bowner *);
static int	 u_rank(const void *, const void *);
static int	 u_signed(struct builder *, const struct bowner *,
		    const uint8_t *, uint8_t *);
static void	 u_kill(struct builder *, uint32_t);
static int	 u_apex(struct builder *);
static int	 u_touched(struct builder *, uint32_t, struct ulist *);
static int	 u_unslot(struct builder *, uint32_t, struct ulist *);
static int	 u_set(struct builder *, uint32_t, uint32_t, struct ulist *);
static int	 u_build(struct builder *, struct ulist *);
static int	 u_step(struct builder *, const struct ulist *, uint32_t);
static uint32_t	 u_off(const struct builder *, uint32_t);
static uint32_t	 u_slot(struct builder *, uint32_t);
static int	 u_hash(struct builder *, struct ulist *, struct ulist *);
static void	 u_header(struct builder *, uint32_t, struct image_header *);
static int	 u_overlay(struct builder *, uint32_t, struct ulist *,
		    uint8_t **, size_t *);
static int	 u_owners(struct builder *, const struct bowner *, size_t,
		    int *);

static int
u_push(struct ulist *l, const void *p)
{
	size_t	 cap;
	void	*v;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 256;
		if ((v = reallocarray(l->v, cap, l->size)) == NULL)
			return (-1);
		l->v = v;
		l->cap = cap;
	}
	memcpy((uint8_t *)l->v + l->n++ * l->size, p, l->size);
	return (0);
}

/*
 * Room in b->rrs for n records more: grown by an eighth, as the nodes
 * of a kept zone (node_add), not doubled.
 */
static int
u_room(struct builder *b, size_t n)
{
	size_t	 need, more = b->rrcap + b->rrcap / 8 + 64;
	void	*p;

	if ((need = b->nrr + n + 1) <= b->rrcap)
		return (0);
	need = need > more ? need : more;
	if ((p = reallocarray(b->rrs, need, sizeof(*b->rrs))) == NULL)
		return (bld_fail(b, "out of memory"));
	b->rrs = p;
	b->rrcap = need;
	return (0);
}

/*
 * The names cut to what the zone has and an eighth more, the nodes to a
 * sixty-fourth more (a build fed as an AXFR arrives grew them by
 * doubling, or sized them by a guess; a kept zone's grow by an eighth);
 * as they are when there is no memory to move them.
 */
static void
u_fit(struct builder *b)
{
	size_t	 cap;
	void	*p;

	/* the nodes: a kept zone's grow by an eighth (node_add) */
	cap = (size_t)b->nnodes + b->nnodes / 64 + 8;
	if (cap < b->nodecap && (p = reallocarray(b->nodes, cap,
	    sizeof(*b->nodes))) != NULL) {
		b->nodes = p;
		b->nodecap = cap;
	}
	cap = b->nameslen + b->nameslen / 8 + 256;
	if (cap < b->namescap && (p = realloc(b->names, cap)) != NULL) {
		b->names = p;
		b->namescap = cap;
	}
}

/*
 * After a full build, the builder kept (its records' bytes are its own
 * since node_sort), the scratch of the build freed.
 */
int
upd_keep(struct builder *b)
{
	if (!b->s->keep || b->slotnode == NULL)
		return (bld_fail(b, "out of memory for the kept builder"));
	u_fit(b);
	node_kept(b);
	memcpy(&b->hdr, b->s->img, sizeof(b->hdr));
	b->ovlseq = 0;
	b->kept = 1;
	dep_sort(b);
	bld_scratch_free(b);
	return (0);
}

/*
 * Node i's records become the change's: appended in a block of their own
 * (the old ones stay, unreachable), visible ones by type (stable), then
 * the hidden ones, as node_sort() has them.
 */
static int
u_replace(struct builder *b, uint32_t i, const struct bowner *ch)
{
	struct bnode	*n = &b->nodes[i];
	struct zrr	 old;
	size_t		 k, first, j, hidden = 0;

	for (k = 0; k < ch->nrr; k++)
		hidden += ch->rrs[k].hidden != 0;
	if (ch->nrr - hidden > NODE_MAXRR || hidden > NODE_MAXRR)
		return (node_toomany(b, i));
	if (u_room(b, ch->nrr) == -1)
		return (-1);
	/* the image's content: the node's records out, the change's in */
	for (j = 0; j < n->nrr; j++) {
		bld_zrr(b, i, &b->rrs[n->first + j], &old);
		b->zs.content -= builder_rrhash(&old);
	}
	for (k = 0; k < ch->nrr; k++)
		if (!ch->rrs[k].hidden)
			b->zs.content += builder_rrhash(&ch->rrs[k]);
	first = b->nrr;
	for (k = 0; k < ch->nrr; k++) {
		if (!dns_name_equal(ch->rrs[k].owner, ch->rrs[k].ownerlen,
		    node_name(b, i), n->len))
			return (bld_rrfail(b, &ch->rrs[k], "not at its owner"));
		if (bld_rrcheck(b, &ch->rrs[k]) == -1 ||
		    node_put(b, &ch->rrs[k], i, &b->rrs[first + k]) == -1)
			return (-1);
	}
	b->nrr += ch->nrr;
	if (ch->nrr > 1 && mergesort(&b->rrs[first], ch->nrr,
	    sizeof(*b->rrs), u_rank) == -1)
		return (bld_fail(b, "out of memory"));
	n->first = first;
	n->nrr = ch->nrr - hidden;
	n->nhid = hidden;
	n->state |= N_TOUCHED;
	return (0);
}

/* A record's place in its name's block: by type, the hidden ones after. */
static int
u_rank(const void *a, const void *b)
{
	const struct brr	*x = a, *y = b;
	uint32_t		 rx, ry;

	rx = (x->hidden ? 0x10000U : 0) | x->type;
	ry = (y->hidden ? 0x10000U : 0) | y->type;
	return (rx < ry ? -1 : rx > ry);
}

/*
 * A change of an owner of a signed zone: its NSEC3 records and their
 * RRSIGs copied and handed to the chain when the owner is an NSEC3
 * owner's shape (h, its hash; proof.c), dropped otherwise (they are of no
 * chain, as a full build has it, node_index); the other records go to the
 * name, as anywhere.
 */
static int
u_signed(struct builder *b, const struct bowner *ch, const uint8_t *lname,
    uint8_t *h)
{
	struct bowner	 rest;
	struct zrr	*other = NULL;
	const struct zrr *r;
	size_t		 k, first, n3 = 0;
	uint32_t	 i;
	int		 rv = -1;

	if (u_room(b, ch->nrr) == -1)
		return (-1);
	if ((other = calloc(ch->nrr + 1, sizeof(*other))) == NULL)
		return (bld_fail(b, "out of memory"));
	rest = *ch;
	rest.rrs = other;
	rest.nrr = 0;
	first = b->nrr;
	for (k = 0; k < ch->nrr; k++) {
		r = &ch->rrs[k];
		if (r->type != DNS_T_NSEC3 && rd_covered(r->type, r->rdata,
		    r->rdlen) != DNS_T_NSEC3) {
			other[rest.nrr++] = *r;
			continue;
		}
		if (h == NULL)
			continue;
		if (bld_rrcheck(b, r) == -1 ||
		    node_put(b, r, NONE, &b->rrs[first + n3]) == -1)
			goto done;
		n3++;
	}
	b->nrr += n3;
	if (h != NULL && proof_n3set(b, h, first, n3) == -1)
		goto done;
	/* other data at that name, or a name that had some */
	if ((rest.nrr > 0 || node_lookup(b, lname, ch->ownerlen) != NONE) &&
	    ((i = node_get(b, lname, ch->ownerlen)) == NONE ||
	    u_replace(b, i, &rest) == -1))
		goto done;
	rv = 0;
 done:
	free(other);
	return (rv);
}

/* Node i has no records and no children left: it dies, maybe its parent. */
static void
u_kill(struct builder *b, uint32_t i)
{
	struct bnode	*n;

	while (i != 0 && i != NONE) {
		n = &b->nodes[i];
		if ((n->state & N_DEAD) || n->nrr + n->nhid > 0 ||
		    n->nkids > 0)
			return;
		n->state |= N_DEAD | N_TOUCHED;
		b->nodes[n->parent].nkids--;
		if (dns_name_wildcard(node_name(b, i), n->len)) {
			b->nodes[n->parent].flags &= ~IMG_N_WILD;
			b->nodes[n->parent].state |= N_TOUCHED;
		}
		i = n->parent;
	}
}

/* The apex changed: its one SOA, the TTL of negative answers. */
static int
u_apex(struct builder *b)
{
	const struct brr	*soa;
	uint32_t		 first, n;

	if (!node_range(b, 0, DNS_T_SOA, &first, &n))
		return (bld_fail(b, "no SOA at the apex"));
	if (n > 1)
		return (bld_fail(b, "a second SOA at the apex"));
	b->soa = first;
	soa = &b->rrs[b->soa];
	if (soa->rdlen < 20)
		return (bld_namefail(b, b->apex, b->zs.apexlen, DNS_T_SOA,
		    "malformed rdata"));
	b->negttl = rd_negttl(soa->ttl, bld_rd(b, soa), soa->rdlen);
	return (0);
}

/*
 * Write every dirty node again (not the dead), the cuts first: a cut whose
 * referral moved has every name under it written again.
 */
static int
u_build(struct builder *b, struct ulist *moved)
{
	struct bnode	*n;
	struct moved	 m;
	uint32_t	 i, old, c;
	int		 pass, newref = 0;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && newref)
			for (i = 0; i < b->nnodes; i++) {
				n = &b->nodes[i];
				/* a dead one keeps the flags it had */
				if ((n->flags & IMG_N_BELOW) &&
				    !(n->state & N_DEAD) &&
				    (c = bld_cut(b, i)) != NONE &&
				    (b->nodes[c].state & N_NEWREF))
					n->state |= N_DIRTY;
			}
		for (i = 0; i < b->nnodes; i++) {
			n = &b->nodes[i];
			if ((n->state & (N_DIRTY | N_DEAD)) != N_DIRTY ||
			    (pass == 0) != ((n->flags & IMG_N_DELEG) != 0))
				continue;
			m.node = i;
			m.oldoff = n->off;
			m.oldrecs = bld_recs(b, i);
			old = bld_deleg(b, i, 0);
			if (bld_node(b, i) == -1)
				return (-1);
			if (u_push(moved, &m) == -1)
				return (bld_fail(b, "out of memory"));
			n->state &= ~N_DIRTY;
			if (pass == 0 && bld_deleg(b, i, 0) != old) {
				n->state |= N_NEWREF;
				newref = 1;
			}
		}
	}
	return (0);
}

/*
 * The version step of an update (image.h, Versions): the names whose
 * records changed, their blocks before and after, after the step
 * before; none when the served serial stays, the zone is not
 * transferred out or is signed with NSEC3 (its NSEC3 records are not
 * names'), and then an IXFR out of an older serial gets the zone.
 */
static int
u_step(struct builder *b, const struct ulist *moved, uint32_t from)
{
	const struct moved	*m = moved->v;
	const struct bnode	*n;
	struct image_step	 st;
	struct image_steppair	 pr;
	size_t			 i, at;

	b->s->stepoff = b->hdr.step_off;
	if (!(b->zflags & IMG_Z_XFROUT) || (b->zflags & IMG_Z_NSEC3) ||
	    from == b->zs.served)
		return (0);
	memset(&st, 0, sizeof(st));
	st.prev_off = b->hdr.step_off;
	st.from = from;
	st.to = b->zs.served;
	st.soa_new = bld_recs(b, 0);
	for (i = 0; i < moved->n; i++)
		if (m[i].node == 0)
			st.soa_old = m[i].oldrecs;
	/* without the SOA of both versions, no step: the chain ends */
	b->s->stepoff = 0;
	if (st.soa_old == 0 || st.soa_new == 0)
		return (0);
	if (imgbuf_put(b, &st, sizeof(st), 4) == -1)
		return (-1);
	at = b->s->len - sizeof(st);
	for (i = 0; i < moved->n; i++) {
		if (m[i].oldrecs == bld_recs(b, m[i].node))
			continue;
		pr.old_recs = m[i].oldrecs;
		pr.new_recs = bld_recs(b, m[i].node);
		if (imgbuf_put(b, &pr, sizeof(pr), 4) == -1)
			return (-1);
		st.n++;
	}
	for (i = 0; i < b->nnodes; i++) {
		n = &b->nodes[i];
		if (!(n->state & N_DEAD) || n->off == 0 ||
		    bld_recs(b, i) == 0)
			continue;
		pr.old_recs = bld_recs(b, i);
		pr.new_recs = 0;
		if (imgbuf_put(b, &pr, sizeof(pr), 4) == -1)
			return (-1);
		st.n++;
	}
	memcpy(b->s->img + (at - b->s->base), &st, sizeof(st));
	b->s->stepoff = at;
	return (0);
}

/*
 * The image's hash as the kept builder knows it: the node in each slot
 * (b->slotnode, NONE: empty), the slot holding that node's entry offset.
 */
static uint32_t
u_off(const struct builder *b, uint32_t s)
{
	return (b->slotnode[s] == NONE ? 0 : b->nodes[b->slotnode[s]].off);
}

/* The slot of node i, probing from the home of its hash; NONE: lost. */
static uint32_t
u_slot(struct builder *b, uint32_t i)
{
	uint32_t	 mask = b->hashsize - 1, s, k;

	for (s = node_hash(b, i) & mask, k = 0; k <= mask &&
	    b->slotnode[s] != NONE; s = (s + 1) & mask, k++)
		if (b->slotnode[s] == i)
			return (s);
	return (NONE);
}

/* Slot s holds node i (NONE: empty), noted in set for the overlay. */
static int
u_set(struct builder *b, uint32_t s, uint32_t i, struct ulist *set)
{
	b->slotnode[s] = i;
	return (u_push(set, &s));
}

/* Empty slot s, moving back the names after it (linear probing). */
static int
u_unslot(struct builder *b, uint32_t s, struct ulist *set)
{
	uint32_t	 mask = b->hashsize - 1, j, h;

	for (;;) {
		if (u_set(b, s, NONE, set) == -1)
			return (-1);
		for (j = (s + 1) & mask;; j = (j + 1) & mask) {
			if (b->slotnode[j] == NONE)
				return (0);
			h = node_hash(b, b->slotnode[j]) & mask;
			if (s <= j ? (h <= s || h > j) : (h <= s && h > j))
				break;
		}
		if (u_set(b, s, b->slotnode[j], set) == -1)
			return (-1);
		s = j;
	}
}

/*
 * The hash: names written again, new ones, dead ones, each slot set noted
 * in set.  1: full build.
 */
static int
u_hash(struct builder *b, struct ulist *moved, struct ulist *set)
{
	const struct moved	*m = moved->v;
	struct bnode		*n;
	uint32_t		 mask = b->hashsize - 1, s, k;
	size_t			 i;

	for (i = 0; i < moved->n; i++) {
		n = &b->nodes[m[i].node];
		if (m[i].oldoff != 0) {
			/* the slot's offset is the node's, moved */
			if ((s = u_slot(b, m[i].node)) == NONE)
				return (bld_fail(b, "a name lost its hash "
				    "slot"));
			if (u_set(b, s, m[i].node, set) == -1)
				return (bld_fail(b, "out of memory"));
			continue;
		}
		if ((size_t)(b->nnames + 1) * 3 > (size_t)b->hashsize * 2) {
			bld_fail(b, "the hash table is full");
			return (1);
		}
		for (s = node_hash(b, m[i].node) & mask, k = 0;
		    b->slotnode[s] != NONE;
		    s = (s + 1) & mask, k++)
			if (k >= IMAGE_MAXPROBE) {
				bld_fail(b, "a hash probe chain is too long");
				return (1);
			}
		if (u_set(b, s, m[i].node, set) == -1)
			return (bld_fail(b, "out of memory"));
		b->nnames++;
	}
	for (i = 0; i < b->nnodes; i++) {
		n = &b->nodes[i];
		if (!(n->state & N_DEAD) || n->off == 0)
			continue;
		if ((s = u_slot(b, i)) == NONE)
			return (bld_fail(b, "a name lost its hash slot"));
		if (u_unslot(b, s, set) == -1)
			return (bld_fail(b, "out of memory"));
		/* found by node_find still, to come back */
		if (node_unhashed(b, i) == -1)
			return (-1);
		n->off = 0;
		(void)bld_setrecs(b, i, 0);
		b->nnames--;
	}
	return (0);
}

/* The header of the next image, the kept one's with what changed. */
static void
u_header(struct builder *b, uint32_t serial, struct image_header *h)
{
	*h = b->hdr;
	bld_header_state(b, h);
	h->serial = serial;
	h->served = b->zs.served;
	/* a signed zone's changes go by its chain (u_signed): not counted */
	h->content = (b->zflags & IMG_Z_SIGNED) ? 0 : b->zs.content;
	h->step_off = b->s->stepoff;
	h->nnames = b->nnames;
}

static int
u_cmp32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * The overlay (shared/image.h): the appended answers, the slots set
 * (each once, in order, with its value now) and the next header.
 */
static int
u_overlay(struct builder *b, uint32_t serial, struct ulist *set,
    uint8_t **out, size_t *outlen)
{
	struct image_overlay	 o;
	struct image_header	 h;
	struct image_slot	 sl;
	uint32_t		*s = set->v;
	uint8_t			*p, *sp;
	size_t			 k, n = 0, len = b->s->len - b->s->base;

	if (b->s->len > IMAGE_RESERVE(b->size - b->garbage) ||
	    b->s->len > UINT32_MAX) {
		bld_fail(b, "the image outgrows the room its overlays have");
		return (1);
	}
	if (set->n > 0)
		qsort(s, set->n, sizeof(*s), u_cmp32);
	for (k = 0; k < set->n; k++)
		if (k == 0 || s[k] != s[n - 1])
			s[n++] = s[k];
	memset(&o, 0, sizeof(o));
	memcpy(o.magic, OVERLAY_MAGIC, sizeof(o.magic));
	o.version = OVERLAY_VERSION;
	o.bom = IMAGE_BOM;
	o.seq = b->ovlseq + 1;
	o.prev = overlay_prev(&b->hdr);
	o.off = b->s->base;
	o.len = len;
	o.nslots = n;
	u_header(b, serial, &h);
	if ((*outlen = overlay_size(&o)) == 0 ||
	    (p = calloc(1, *outlen)) == NULL)
		return (bld_fail(b, "out of memory for the overlay"));
	memcpy(p + sizeof(o), &h, sizeof(h));
	if (len > 0)
		memcpy(p + sizeof(o) + sizeof(h), b->s->img, len);
	sp = p + sizeof(o) + sizeof(h) + IMAGE_ALIGN4(len);
	for (k = 0; k < n; k++) {
		sl.slot = s[k];
		sl.off = u_off(b, s[k]);
		memcpy(sp + k * sizeof(sl), &sl, sizeof(sl));
	}
	memcpy(p, &o, sizeof(o));
	overlay_seal(p, *outlen);
	*out = p;
	b->hdr = h;
	b->ovlseq = o.seq;
	return (0);
}

/* The names that changed, each with its flags; 1: a full build. */
static int
u_touched(struct builder *b, uint32_t oldn, struct ulist *changed)
{
	struct bnode	*n;
	uint32_t	 i, h;
	int		 r, dn;

	for (i = oldn; i < b->nnodes; i++) {
		n = &b->nodes[i];
		n->state |= N_TOUCHED;
		if (dns_name_wildcard(node_name(b, i), n->len))
			b->nodes[n->parent].state |= N_TOUCHED;
	}
	for (i = 1; i < b->nnodes; i++)
		if ((b->nodes[i].state & (N_TOUCHED | N_DEAD)) == N_TOUCHED)
			u_kill(b, i);
	for (i = 0; i < b->nnodes; i++) {
		n = &b->nodes[i];
		if (!(n->state & N_TOUCHED))
			continue;
		if (!(n->state & N_DEAD)) {
			if (bld_ncheck(b, i) == -1)
				return (-1);
			if (bld_signed(b, i) && !(b->zflags & IMG_Z_SIGNED)) {
				bld_fail(b, "DNSSEC records appear");
				return (1);
			}
			r = n->flags;
			dn = n->state & N_DNAME;
			bld_nflags(b, i);
			if (((r ^ n->flags) & (IMG_N_DELEG | IMG_N_BELOW)) &&
			    n->nkids > 0 && i < oldn) {
				bld_fail(b, "a zone cut appears or goes above "
				    "existing names");
				return (1);
			}
			if ((dn != (n->state & N_DNAME) ||
			    ((r ^ n->flags) & IMG_N_DNAMED)) &&
			    n->nkids > 0 && i < oldn) {
				bld_fail(b, "a DNAME appears or goes above "
				    "existing names");
				return (1);
			}
			if (n->labels + b->apexlabels > b->maxlabels)
				b->maxlabels = n->labels + b->apexlabels;
			n->state |= N_DIRTY;
		}
		h = node_hash(b, i);
		if (u_push(changed, &h) == -1)
			return (bld_fail(b, "out of memory"));
	}
	return (0);
}

/*
 * The records of the changed owners into the kept builder; *apex set
 * when the apex is one of them.
 */
static int
u_owners(struct builder *b, const struct bowner *ch, size_t nch, int *apex)
{
	uint8_t		 lname[DNS_MAXNAME], h[IMAGE_NSEC3_HASHLEN];
	uint32_t	 i;
	size_t		 k;

	for (k = 0; k < nch; k++) {
		if (ch[k].ownerlen < 1 || ch[k].ownerlen > DNS_MAXNAME ||
		    !dns_name_valid(ch[k].owner, ch[k].ownerlen) ||
		    !dns_name_subdomain(ch[k].owner, ch[k].ownerlen, b->apex,
		    b->zs.apexlen))
			return (bld_fail(b, "a change out of the zone"));
		memcpy(lname, ch[k].owner, ch[k].ownerlen);
		dns_name_lower(lname, ch[k].ownerlen);
		/* NSEC3 records go to the chain, as node_index puts them */
		if (b->zflags & IMG_Z_SIGNED) {
			if (u_signed(b, &ch[k], lname,
			    proof_n3owner(b, lname, ch[k].ownerlen, h) ? h :
			    NULL) == -1)
				return (-1);
			*apex |= ch[k].ownerlen == b->zs.apexlen;
			continue;
		}
		if ((i = node_get(b, lname, ch[k].ownerlen)) == NONE ||
		    u_replace(b, i, &ch[k]) == -1)
			return (-1);
		*apex |= i == 0;
	}
	return (0);
}

/*
 * Whether the image grew by an eighth since its full build: time to fold
 * the overlays into a new base (zones.c) before a change finds it grown
 * by a quarter and has to build in full itself.
 */
int
builder_grown(const struct builder *b)
{
	return (b->garbage > b->size / UPD_GROWN_FOLD);
}

/*
 * The memory a kept builder holds (secctl show sizes): its arrays as
 * allocated and the chunks of its records' bytes.
 */
size_t
builder_bytes(const struct builder *b)
{
	const struct oldnames	*o;
	size_t			 n;

	if (b == NULL)
		return (0);
	n = sizeof(*b) + b->rrcap * sizeof(*b->rrs) + b->chunkbytes +
	    b->nchunks * sizeof(*b->chunks) +
	    b->nodecap * sizeof(*b->nodes) + b->namescap +
	    b->depcap * sizeof(*b->deps) +
	    b->cutcap * sizeof(*b->cuts) +
	    b->nodeextcap * (sizeof(*b->n3hit) +
	    sizeof(*b->nshare)) +
	    b->recscap * sizeof(*b->recs) + b->n3reccap * sizeof(*b->n3rec) +
	    b->n3ixcap * (sizeof(*b->n3ix) + sizeof(*b->n3share)) +
	    b->nseccap * (sizeof(*b->nsecnode) + sizeof(*b->nsecproof) +
	    sizeof(*b->nsecshare));
	n += b->extracap * sizeof(*b->extra);
	if (b->slotnode != NULL)
		n += (size_t)b->hashsize * sizeof(*b->slotnode);
	for (o = b->oldnames; o != NULL; o = o->next)
		n += sizeof(*o) + o->cap;
	return (n);
}

int
builder_update(struct builder *b, const struct bowner *ch, size_t nch,
    uint32_t serial, uint32_t served, uint8_t **ovl, size_t *ovllen,
    char *err, size_t errlen)
{
	struct ulist	 changed, moved, set;
	uint32_t	 oldn = b->nnodes, i, from;
	uint64_t	 content;
	size_t		 k;
	int		 rv = -1, apex = 0;

	if (bld_scratch_new(b, 1, err, errlen) == -1)
		return (-1);
	memset(&changed, 0, sizeof(changed));
	memset(&moved, 0, sizeof(moved));
	memset(&set, 0, sizeof(set));
	changed.size = set.size = sizeof(uint32_t);
	moved.size = sizeof(struct moved);
	*ovl = NULL;
	*ovllen = 0;
	if (b->garbage > b->size / UPD_GROWN_FULL) {
		bld_fail(b, "the image grew by a quarter since its full build");
		rv = 1;
		goto done;
	}
	content = b->zs.content;
	from = b->zs.served;
	if (u_owners(b, ch, nch, &apex) == -1)
		goto done;
	/* nothing served changes: nor does the serial (image.h) */
	if (b->zflags & IMG_Z_SIGNED)
		served = serial;
	else if (content == b->zs.content && serial == b->zs.serial)
		served = b->zs.served;
	/* a new served serial: the apex's SOA and the SOA tail again */
	if (served != b->zs.served) {
		b->zs.served = served;
		b->nodes[0].state |= N_TOUCHED;
		apex = 1;
	}
	if ((rv = u_touched(b, oldn, &changed)) != 0)
		goto done;
	rv = -1;
	if (apex && u_apex(b) == -1)
		goto done;
	for (k = 0; k < changed.n; k++)
		dep_mark(b, ((uint32_t *)changed.v)[k]);
	b->s->base = b->s->len = b->size;
	/* the proofs the change made, written first: the names take them */
	if ((rv = proof_update(b)) != 0)
		goto done;
	rv = -1;
	if ((apex && bld_zone_blobs(b) == -1) || u_build(b, &moved) == -1 ||
	    (b->s->chainmoved && proof_index(b) == -1))
		goto done;
	if (!b->s->keep) {
		/* dep_add ran out of memory: deps are missing from now on */
		bld_fail(b, "out of memory for what the names look up");
		rv = 1;
		goto done;
	}
	if (u_step(b, &moved, from) == -1) {
		rv = -1;
		goto done;
	}
	if ((rv = u_hash(b, &moved, &set)) != 0 ||
	    (rv = u_overlay(b, serial, &set, ovl, ovllen)) != 0)
		goto done;
	b->zs.serial = serial;
	b->garbage += b->s->len - b->size;
	b->size = b->s->len;
 done:
	free(changed.v);
	free(moved.v);
	free(set.v);
	bld_scratch_free(b);
	for (i = 0; i < b->nnodes; i++)
		b->nodes[i].state &= N_DEAD | N_DNAME;
	if (rv == 0 && b->ndeps - b->depsorted > DEPS_RESORT)
		dep_sort(b);
	return (rv);
}

int
builder_owner(struct builder *b, const uint8_t *owner, size_t len,
    struct zrr **out, size_t *nout)
{
	const struct bnode	*n = NULL;
	uint8_t			 lname[DNS_MAXNAME], h[IMAGE_NSEC3_HASHLEN];
	uint32_t		 i, k, nn = 0;
	size_t			 n3 = 0, at = 0, j;

	*out = NULL;
	*nout = 0;
	if ((i = node_lookup(b, owner, len)) != NONE) {
		n = &b->nodes[i];
		nn = n->nrr + n->nhid;
	}
	/* an NSEC3 owner's records are the chain's, not a name's */
	if (len >= 1 && len <= DNS_MAXNAME && (b->zflags & IMG_Z_SIGNED)) {
		memcpy(lname, owner, len);
		dns_name_lower(lname, len);
		if (proof_n3owner(b, lname, len, h))
			at = proof_n3records(b, h, &n3);
	}
	if (nn + n3 == 0)
		return (0);
	if ((*out = reallocarray(NULL, nn + n3, sizeof(**out))) == NULL)
		return (-1);
	for (k = 0; k < nn; k++)
		bld_zrr(b, i, &b->rrs[n->first + k], &(*out)[k]);
	for (j = 0; j < n3; j++)
		bld_zrr(b, NONE, &b->rrs[b->n3rec[at + j].rr], &(*out)[k++]);
	*nout = k;
	return (0);
}

int
builder_cut(struct builder *b, const uint8_t *name, size_t len,
    uint8_t *cut, size_t *cutlen)
{
	const struct bnode	*c;
	uint32_t		 e = NONE;
	size_t			 off;

	for (off = 0; off < len; off += (size_t)name[off] + 1)
		if ((e = node_lookup(b, name + off, len - off)) != NONE)
			break;
	if (e == NONE || (e = bld_cut(b, e)) == NONE)
		return (0);
	c = &b->nodes[e];
	memcpy(cut, node_name(b, e), c->len);
	*cutlen = c->len;
	return (1);
}

int
builder_signed(const struct builder *b)
{
	return ((b->zflags & IMG_Z_SIGNED) != 0);
}

uint32_t
builder_serial(const struct builder *b)
{
	return (b->zs.serial);
}

uint32_t
builder_served(const struct builder *b)
{
	return (b->zs.served);
}

void
builder_header(const struct builder *b, struct image_header *h)
{
	*h = b->hdr;
}

/* The apex's name, wire form, as the zone's records gave it. */
const uint8_t *
builder_apex(const struct builder *b, size_t *len)
{
	*len = b->zs.apexlen;
	return (b->apex);
}
