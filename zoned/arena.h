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
 * Bytes that live as long as their owner, in chunks freed together: an
 * AXFR's records as they arrive (stream.c).
 */
#ifndef SECD_ARENA_H
#define SECD_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena {
	struct arena		*next;		/* the chunk before */
	size_t			 len, cap;
	uint8_t			 data[];
};

/* A new chunk of cap bytes in front, the next allocations' home: 0, -1. */
int	arena_chunk(struct arena **, size_t);
/* n bytes, from a new chunk when the first is full; NULL without memory. */
uint8_t	*arena_alloc(struct arena **, size_t);
/* The bytes the chunks take, their heads too. */
size_t	arena_size(const struct arena *);
void	arena_free(struct arena **);

#endif
