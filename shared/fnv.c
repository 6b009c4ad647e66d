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
 * FNV-1a (fnv.h): one octet at a time, xor then multiply by the prime.
 */
#include <stddef.h>
#include <stdint.h>

#include "fnv.h"

#define FNV_PRIME	16777619U
#define FNV64_PRIME	0x100000001b3ULL

uint32_t
fnv_add(uint32_t h, const void *v, size_t len)
{
	const uint8_t	*p = v;
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

/* Only ASCII letters fold: a name's length octets are all below 'A'. */
uint32_t
fnv_add_lower(uint32_t h, const void *v, size_t len)
{
	const uint8_t	*p = v;
	size_t		 i;
	uint8_t		 c;

	for (i = 0; i < len; i++) {
		c = p[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = (h ^ c) * FNV_PRIME;
	}
	return h;
}

uint64_t
fnv64_add(uint64_t h, const void *v, size_t len)
{
	const uint8_t	*p = v;
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV64_PRIME;
	return h;
}
