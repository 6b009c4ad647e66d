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
 * FNV-1a, 32 bits (Fowler, Noll and Vo): the hash of secd's tables whose
 * keys come from the operator and the primaries, not from queries
 * (siphash.h is for those).  A hash is the basis with each run of bytes
 * folded in turn.  The image tag (zoned_tag) goes into image headers on
 * disk, so the basis, the prime and the order of the bytes stay as they
 * are.
 */
#ifndef SECD_FNV_H
#define SECD_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV_BASIS	2166136261U	/* the offset basis */
#define FNV64_BASIS	0xcbf29ce484222325ULL

/* h with the len bytes at p folded in */
uint32_t	fnv_add(uint32_t, const void *, size_t);
/* the same with A-Z as a-z: names that compare case-insensitively */
uint32_t	fnv_add_lower(uint32_t, const void *, size_t);
/* FNV-1a 64: a checksum of stored data (zoned's journal entries) */
uint64_t	fnv64_add(uint64_t, const void *, size_t);

#endif
