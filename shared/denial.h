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
 * Authenticated denial of existence (RFC 4035 section 3.1.3, RFC 5155):
 * the NSEC3 hash and the search of a denial index, shared by the zone
 * builder (zoned), which makes every proof it can at build time, and the
 * query path (serverd), which finds the one record that depends on the
 * query name.  The index itself is described in image.h.
 */
#ifndef SECD_DENIAL_H
#define SECD_DENIAL_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* The parameters of an NSEC3 chain (RFC 5155 section 3.1). */
struct nsec3_param {
	uint8_t			 alg;		/* 1: SHA-1, the only one */
	uint16_t		 iter;
	uint8_t			 saltlen;
	uint8_t			 salt[255];
};

/*
 * Load libcrypto's SHA-1 now, before the sandbox (OpenSSL's lazy first
 * use would read its configuration).  0, or -1 when it cannot.
 */
int	denial_init(void);

/*
 * The NSEC3 hash of a lower-case wire name (RFC 5155 section 5) into
 * out[IMAGE_NSEC3_HASHLEN]; -1 for an algorithm other than SHA-1 or more
 * iterations than IMAGE_NSEC3_MAXITER.
 */
int	denial_nsec3_hash(const struct nsec3_param *, const uint8_t *, size_t,
	    uint8_t *);

/* The hash an NSEC3 owner's first label spells in base32hex; -1 if none. */
int	denial_b32hex(const uint8_t *, size_t, uint8_t *);

/*
 * The entry that covers or matches a key in n sorted entries: the last one
 * not after it, or the last of all when the key is before the first (the
 * chain wraps).  cmp(ctx, i) compares entry i with the key.  n > 0.
 */
size_t	denial_search(size_t, int (*)(const void *, size_t), const void *);

/* The entry of n NSEC3 entries sorted by hash that covers or matches. */
size_t	denial_nsec3_find(const struct image_nsec3 *, size_t,
	    const uint8_t *);

/*
 * In a checked image: the proof blob of the NSEC (IMG_Z_NSEC) covering a
 * lower-case name, or of the NSEC3 (IMG_Z_NSEC3) covering its hash; 0 when
 * the image has no denial index or the hash cannot be made.
 */
uint32_t denial_cover(const uint8_t *, const uint8_t *, size_t);

/*
 * The health of a signed zone's signatures, its earliest RRSIG expiring
 * at sig_expire: "expired" once it is past, "expiring" when it comes
 * within the zone's SOA EXPIRE or REFRESH (secd may serve the zone that
 * long without hearing from a primary), else "ok"; *left (may be NULL)
 * the seconds to it (RFC 4034 section 3.1.5: serial arithmetic).
 */
const char *denial_sig_state(uint32_t, uint32_t, uint32_t, int32_t *);

#endif
