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

#include "arena.h"

#define ARENA_MIN	4000		/* a page, */
#define ARENA_MAX	(4U << 20)	/* to 4 MiB a chunk */

int
arena_chunk(struct arena **ap, size_t cap)
{
	struct arena	*a;

	if ((a = malloc(sizeof(*a) + cap)) == NULL)
		return (-1);
	a->next = *ap;
	a->len = 0;
	a->cap = cap;
	*ap = a;
	return (0);
}

/*
 * A new chunk is an eighth of the chunks before it, a page to 4 MiB (n
 * if larger): a small arena's next bytes cost a page, not a chunk a
 * large one wants, and a large one grows in few chunks.
 */
uint8_t *
arena_alloc(struct arena **ap, size_t n)
{
	struct arena	*a = *ap;
	size_t		 cap = 0;

	if (a == NULL || a->cap - a->len < n) {
		for (; a != NULL; a = a->next)
			cap += a->cap;
		cap /= 8;
		cap = cap < ARENA_MIN ? ARENA_MIN : cap > ARENA_MAX ?
		    ARENA_MAX : cap;
		if (arena_chunk(ap, cap > n ? cap : n) == -1)
			return (NULL);
		a = *ap;
	}
	a->len += n;
	return (a->data + a->len - n);
}

size_t
arena_size(const struct arena *a)
{
	size_t	 n = 0;

	for (; a != NULL; a = a->next)
		n += sizeof(*a) + a->cap;
	return (n);
}

void
arena_free(struct arena **ap)
{
	struct arena	*a;

	while ((a = *ap) != NULL) {
		*ap = a->next;
		free(a);
	}
}
