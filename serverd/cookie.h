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
 * DNS Cookies (RFC 7873) with the interoperable server cookie of
 * RFC 9018: version 1, three reserved bytes, a 32-bit timestamp and a
 * 64-bit SipHash-2-4 over the client cookie, those eight bytes and the
 * client's address, keyed with a 128-bit secret shared by every server
 * of an anycast fleet.
 */
#ifndef SECD_COOKIE_H
#define SECD_COOKIE_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>

struct cookie_conf;

#define COOKIE_OPTION		10	/* EDNS option code, RFC 7873 */
#define COOKIE_CLIENTLEN	8
#define COOKIE_SERVERMIN	8	/* RFC 7873 section 4 */
#define COOKIE_SERVERMAX	32
#define COOKIE_SERVERLEN	16	/* RFC 9018 version 1 */
#define COOKIE_VERSION		1
#define COOKIE_REFRESH		1800	/* s: a new one after half an hour */
#define COOKIE_LIFETIME		3600	/* s: accepted for an hour */
#define COOKIE_SKEW		300	/* s: from the future, RFC 9018 4.3 */

/*
 * Check the server cookie sc (sclen bytes) a client at from sent with its
 * client cookie cc, at time now, against the current secret or the
 * previous one.  Returns 1 when valid, 0 when not; out is then the server
 * cookie to answer with: sc itself while valid and younger than
 * COOKIE_REFRESH under the current secret, else a new one.
 */
int	cookie_check(const struct cookie_conf *, const uint8_t *,
	    const uint8_t *, size_t, const struct sockaddr *, uint32_t,
	    uint8_t *);
/* A new server cookie for client cookie cc from address from at now. */
void	cookie_make(const uint8_t *, const uint8_t *, const struct sockaddr *,
	    uint32_t, uint8_t *);

#endif
