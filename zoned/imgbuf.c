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
 * The image being written, in the scratch of the build or update (img,
 * len bytes): the header, the answers and the entries appended in turn,
 * each at its alignment (shared/image.h), then the hash table; a full
 * build's image is written to its file in one go.  An update appends
 * after a copy of the previous image: img holds what follows offset base.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"

/* Room for the image up to offset need (of the whole image). */
int
imgbuf_grow(struct builder *b, size_t need)
{
	struct bscratch	*s = b->s;
	size_t		 cap;
	void		*p;

	if (need > IMG_MAXSIZE)
		return (bld_fail(b, "image larger than %u bytes", IMG_MAXSIZE));
	need -= s->base;
	if (need <= s->cap)
		return (0);
	cap = s->cap ? s->cap : 1 << 20;
	while (cap < need)
		cap *= 2;
	if (cap > IMG_MAXSIZE)
		cap = IMG_MAXSIZE;
	if ((p = realloc(s->img, cap)) == NULL)
		return (bld_fail(b, "out of memory for a %zu-byte image", cap));
	s->img = p;
	s->cap = cap;
	return (0);
}

/* Append n bytes (zeros if p is NULL) at a multiple of align. */
int
imgbuf_put(struct builder *b, const void *p, size_t n, size_t align)
{
	struct bscratch	*s = b->s;
	size_t		 pad = (align - s->len % align) % align;

	if (imgbuf_grow(b, s->len + pad + n) == -1)
		return (-1);
	memset(s->img + s->len - s->base, 0, pad);
	s->len += pad;
	if (p != NULL)
		memcpy(s->img + s->len - s->base, p, n);
	else
		memset(s->img + s->len - s->base, 0, n);
	s->len += n;
	return (0);
}

/* A full build's image to fd, whole. */
int
imgbuf_write(struct builder *b, int fd)
{
	struct bscratch	*s = b->s;
	size_t		 done = 0;
	ssize_t		 n;

	while (done < s->len) {
		if ((n = write(fd, s->img + done, s->len - done)) == -1) {
			if (errno == EINTR)
				continue;
			return (bld_fail(b, "write: %s", strerror(errno)));
		}
		done += n;
	}
	return (0);
}
