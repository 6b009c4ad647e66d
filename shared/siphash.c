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
 * SipHash-c-d (siphash.h): the key and the message are read little-endian
 * as the paper specifies, whatever the host, and the message at any
 * alignment.
 */
#include <sys/types.h>

#include <stdint.h>

#include "siphash.h"

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static inline uint64_t	le64(const uint8_t *);
static inline uint64_t	siphash(const uint8_t *, const uint8_t *, size_t,
			    int, int);

static inline uint64_t
le64(const uint8_t *p)
{
	return ((uint64_t)p[0] | (uint64_t)p[1] << 8 |
	    (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	    (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56);
}

/* c compression rounds per 8-byte word, d finalisation rounds. */
static inline uint64_t
siphash(const uint8_t *key, const uint8_t *p, size_t len, int c, int d)
{
	uint64_t	 k0, k1, v0, v1, v2, v3, m, b;
	size_t		 i, end;
	int		 r;

	k0 = le64(key);
	k1 = le64(key + 8);
	v0 = k0 ^ 0x736f6d6570736575ULL;
	v1 = k1 ^ 0x646f72616e646f6dULL;
	v2 = k0 ^ 0x6c7967656e657261ULL;
	v3 = k1 ^ 0x7465646279746573ULL;
	end = len & ~(size_t)7;
	for (i = 0; i < end; i += 8) {
		m = le64(p + i);
		v3 ^= m;
		for (r = 0; r < c; r++)
			SIPROUND;
		v0 ^= m;
	}
	b = (uint64_t)len << 56;
	for (r = 0; i + r < len; r++)
		b |= (uint64_t)p[i + r] << (8 * r);
	v3 ^= b;
	for (r = 0; r < c; r++)
		SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	for (r = 0; r < d; r++)
		SIPROUND;
	return (v0 ^ v1 ^ v2 ^ v3);
}

uint64_t
siphash13(const uint8_t *key, const void *p, size_t len)
{
	return (siphash(key, p, len, 1, 3));
}

uint64_t
siphash24(const uint8_t *key, const void *p, size_t len)
{
	return (siphash(key, p, len, 2, 4));
}
