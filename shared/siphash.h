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
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012): a keyed 64-bit hash with a 128-bit key.  SipHash-1-3 for hash
 * tables whose keys an outsider chooses (image names, rate-limit
 * buckets); SipHash-2-4, the paper's, where the result is a MAC (DNS
 * server cookies, RFC 9018 section 4.4).
 */
#ifndef SECD_SIPHASH_H
#define SECD_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEYLEN		16

uint64_t	siphash13(const uint8_t *, const void *, size_t);
uint64_t	siphash24(const uint8_t *, const void *, size_t);

#endif
