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
 * Zone images where files cannot be sealed (OpenBSD): each serverd reads
 * the image into anonymous memory of its own, made read-only, so that
 * zoned cannot change what serverd checked (see sealed.h).  It costs a
 * copy of every image in every serverd.
 */
#ifndef __linux__

#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sealed.h"

int
sealed_copy(int fd, size_t size)
{
	return dup(fd);
}

void *
sealed_map(int fd, size_t size, size_t cap, char *err, size_t errlen)
{
	uint8_t	*p;
	size_t	 off, end;
	ssize_t	 n;

	if ((p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANON, -1, 0)) == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return NULL;
	}
	for (off = 0; off < size; off += n)
		if ((n = pread(fd, p + off, size - off, off)) <= 0) {
			if (n == -1 && errno == EINTR) {
				n = 0;
				continue;
			}
			snprintf(err, errlen, "read: %s", n == 0 ?
			    "the image is shorter than it was" :
			    strerror(errno));
			(void)munmap(p, cap);
			return NULL;
		}
	end = (size + getpagesize() - 1) / getpagesize() * getpagesize();
	if (mprotect(p, size, PROT_READ) == -1 || (cap > end &&
	    mprotect(p + end, cap - end, PROT_NONE) == -1)) {
		snprintf(err, errlen, "mprotect: %s", strerror(errno));
		(void)munmap(p, cap);
		return NULL;
	}
	return p;
}

void
sealed_unmap(void *p, size_t size)
{
	(void)munmap(p, size);
}

#endif /* !__linux__ */
