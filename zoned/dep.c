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
 * What the answers of each name looked up, for the kept builder
 * (update.c): a dep is a pair (hash, node), recorded while node's answers
 * are written, for each name they looked up by its hash (node_lookup, the
 * cut of a referral) and each proof they took (proof.c: the NSEC's owner,
 * or a key made of the NSEC3's hash).  A change at a name marks every node
 * that depends on it dirty, to be written again.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>

#include "build.h"

static int	dep_cmp(const void *, const void *);

/*
 * A dep of the node being written: a name its answers looked up.  None
 * when no node is: a builder not to be kept, the zone's own blobs, a
 * lookup between builds and updates (builder_owner, builder_cut).
 */
void
dep_add(struct builder *b, uint32_t hash)
{
	struct bscratch	*s = b->s;
	struct dep	*d;
	size_t		 cap;

	if (s == NULL || s->curnode == NONE)
		return;
	if (b->ndeps > 0 && b->deps[b->ndeps - 1].hash == hash &&
	    b->deps[b->ndeps - 1].node == s->curnode)
		return;
	if (b->ndeps == b->depcap) {
		cap = b->depcap ? b->depcap * 2 : 16;
		if ((d = reallocarray(b->deps, cap, sizeof(*d))) == NULL) {
			s->keep = 0;	/* no kept builder without them */
			return;
		}
		b->deps = d;
		b->depcap = cap;
	}
	b->deps[b->ndeps].hash = hash;
	b->deps[b->ndeps++].node = s->curnode;
}

static int
dep_cmp(const void *a, const void *b)
{
	const struct dep	*x = a, *y = b;

	if (x->hash != y->hash)
		return (x->hash < y->hash ? -1 : 1);
	return (x->node < y->node ? -1 : x->node > y->node);
}

/* Sorted by hash, duplicates dropped, for dep_mark's binary search. */
void
dep_sort(struct builder *b)
{
	size_t	 i, k;

	qsort(b->deps, b->ndeps, sizeof(*b->deps), dep_cmp);
	for (i = k = 0; i < b->ndeps; i++)
		if (k == 0 || dep_cmp(&b->deps[k - 1], &b->deps[i]) != 0)
			b->deps[k++] = b->deps[i];
	b->ndeps = b->depsorted = k;
}

/* Every node that looked up a name of this hash is dirty. */
void
dep_mark(struct builder *b, uint32_t hash)
{
	size_t	 lo = 0, hi = b->depsorted, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->deps[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < b->depsorted && b->deps[i].hash == hash; i++)
		b->nodes[b->deps[i].node].state |= N_DIRTY;
	for (i = b->depsorted; i < b->ndeps; i++)
		if (b->deps[i].hash == hash)
			b->nodes[b->deps[i].node].state |= N_DIRTY;
}
