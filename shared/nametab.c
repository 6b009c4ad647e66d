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

#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "nametab.h"

static size_t	nametab_slot(const struct nametab *, const char *);
static int	nametab_grow(struct nametab *);

void
nametab_init(struct nametab *t, const char *(*key)(const void *))
{
	memset(t, 0, sizeof(*t));
	t->key = key;
}

/* The first slot to look at for name. */
static size_t
nametab_slot(const struct nametab *t, const char *name)
{
	return fnv_add(FNV_BASIS, name, strlen(name)) & t->mask;
}

static int
nametab_grow(struct nametab *t)
{
	void	**old = t->slot;
	size_t	  oldsize = t->slot != NULL ? t->mask + 1 : 0, size, i, j;

	size = oldsize ? oldsize * 2 : 16;
	if ((t->slot = calloc(size, sizeof(*t->slot))) == NULL) {
		t->slot = old;
		return -1;
	}
	t->mask = size - 1;
	for (i = 0; i < oldsize; i++) {
		if (old[i] == NULL)
			continue;
		for (j = nametab_slot(t, t->key(old[i])); t->slot[j] != NULL;
		    j = (j + 1) & t->mask)
			;
		t->slot[j] = old[i];
	}
	free(old);
	return 0;
}

/* Add e, whose name is not in t yet: 0, or -1 out of memory. */
int
nametab_add(struct nametab *t, void *e)
{
	size_t	 i;

	if ((t->slot == NULL || (t->n + 1) * 2 > t->mask + 1) &&
	    nametab_grow(t) == -1)
		return -1;
	for (i = nametab_slot(t, t->key(e)); t->slot[i] != NULL;
	    i = (i + 1) & t->mask)
		;
	t->slot[i] = e;
	t->n++;
	return 0;
}

void *
nametab_find(const struct nametab *t, const char *name)
{
	size_t	 i;

	if (t->slot == NULL)
		return NULL;
	for (i = nametab_slot(t, name); t->slot[i] != NULL;
	    i = (i + 1) & t->mask)
		if (strcmp(t->key(t->slot[i]), name) == 0)
			return t->slot[i];
	return NULL;
}

/*
 * Remove e (in t): the entries after it in its run move back into the
 * hole when their first slot allows, so that no lookup stops early.
 */
void
nametab_del(struct nametab *t, const void *e)
{
	size_t	 i, j, k;

	if (t->slot == NULL)
		return;
	for (i = nametab_slot(t, t->key(e)); t->slot[i] != e;
	    i = (i + 1) & t->mask)
		if (t->slot[i] == NULL)
			return;
	t->slot[i] = NULL;
	t->n--;
	for (j = (i + 1) & t->mask; t->slot[j] != NULL;
	    j = (j + 1) & t->mask) {
		k = nametab_slot(t, t->key(t->slot[j]));
		/* k cyclically in (i, j]: the entry stays where it is */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->slot[i] = t->slot[j];
		t->slot[j] = NULL;
		i = j;
	}
}

void
nametab_free(struct nametab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->mask = t->n = 0;
}
