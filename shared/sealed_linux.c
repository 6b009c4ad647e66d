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
 * Sealed zone images on Linux: a memfd with F_SEAL_WRITE, F_SEAL_SHRINK,
 * F_SEAL_GROW and F_SEAL_SEAL (see sealed.h).  Once sealed, no
 * descriptor or mapping anywhere can change its bytes or its size, so
 * what serverd checked stays what it reads.
 */
#ifdef __linux__

#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sealed.h"

#define SEALS	(F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

int
sealed_copy(int fd, size_t size)
{
	uint8_t	*src;
	size_t	 off;
	ssize_t	 n;
	int	 mfd, saved;

	if ((src = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED)
		return -1;
	if ((mfd = memfd_create("secd-image", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		goto fail;
	for (off = 0; off < size; off += n)
		if ((n = write(mfd, src + off, size - off)) == -1) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			goto fail;
		}
	if (fcntl(mfd, F_ADD_SEALS, SEALS) == -1)
		goto fail;
	munmap(src, size);
	return mfd;
 fail:
	saved = errno;
	munmap(src, size);
	if (mfd != -1)
		close(mfd);
	errno = saved;
	return -1;
}

void *
sealed_map(int fd, size_t size, size_t cap, char *err, size_t errlen)
{
	void		*p;
	int		 seals;

	if ((seals = fcntl(fd, F_GET_SEALS)) == -1 ||
	    (seals & SEALS) != SEALS) {
		snprintf(err, errlen, "not a sealed image");
		return NULL;
	}
	if ((p = mmap(NULL, cap, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
	    0)) == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return NULL;
	}
	if (mmap(p, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
	    MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
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

#endif /* __linux__ */
