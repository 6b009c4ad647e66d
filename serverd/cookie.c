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
 * Server cookies (cookie.h): made and checked as RFC 9018 section 4
 * says, so that a cookie one server of a fleet minted is valid at every
 * other, whatever software it runs, when they share the secret.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "cookie.h"
#include "secd.h"
#include "siphash.h"

static void	cookie_hash(const uint8_t *, const uint8_t *, const uint8_t *,
		    const struct sockaddr *, uint8_t *);
static int	cookie_timely(const uint8_t *, uint32_t, uint32_t *);

/*
 * RFC 9018 section 4.4: SipHash-2-4 of client cookie | version |
 * reserved | timestamp | client IP (4 or 16 bytes), its 64-bit result
 * in the reference implementation's byte order (little-endian).
 */
static void
cookie_hash(const uint8_t *secret, const uint8_t *cc, const uint8_t *head,
    const struct sockaddr *from, uint8_t *out)
{
	uint8_t		 buf[COOKIE_CLIENTLEN + 8 + 16];
	size_t		 len = COOKIE_CLIENTLEN + 8;
	uint64_t	 h;
	int		 i;

	memcpy(buf, cc, COOKIE_CLIENTLEN);
	memcpy(buf + COOKIE_CLIENTLEN, head, 8);
	if (from->sa_family == AF_INET6) {
		memcpy(buf + len,
		    &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
		len += 16;
	} else if (from->sa_family == AF_INET) {
		memcpy(buf + len,
		    &((const struct sockaddr_in *)from)->sin_addr, 4);
		len += 4;
	}
	h = siphash24(secret, buf, len);
	for (i = 0; i < 8; i++)
		out[i] = (h >> (8 * i)) & 0xff;
}

void
cookie_make(const uint8_t *secret, const uint8_t *cc,
    const struct sockaddr *from, uint32_t now, uint8_t *sc)
{
	sc[0] = COOKIE_VERSION;
	sc[1] = sc[2] = sc[3] = 0;
	sc[4] = now >> 24;
	sc[5] = (now >> 16) & 0xff;
	sc[6] = (now >> 8) & 0xff;
	sc[7] = now & 0xff;
	cookie_hash(secret, cc, sc, from, sc + 8);
}

/*
 * RFC 9018 section 4.3: no older than an hour, no more than five minutes
 * ahead; serial number arithmetic (RFC 1982) so that 2106 is no cliff.
 */
static int
cookie_timely(const uint8_t *sc, uint32_t now, uint32_t *age)
{
	uint32_t	 ts;

	ts = (uint32_t)sc[4] << 24 | (uint32_t)sc[5] << 16 |
	    (uint32_t)sc[6] << 8 | sc[7];
	*age = now - ts;
	if (*age <= COOKIE_LIFETIME)
		return (1);
	return (ts - now <= COOKIE_SKEW);
}

int
cookie_check(const struct cookie_conf *cf, const uint8_t *cc,
    const uint8_t *sc, size_t sclen, const struct sockaddr *from,
    uint32_t now, uint8_t *out)
{
	uint8_t		 h[8];
	uint32_t	 age;

	if (sclen == COOKIE_SERVERLEN && sc[0] == COOKIE_VERSION &&
	    cookie_timely(sc, now, &age)) {
		cookie_hash(cf->secret, cc, sc, from, h);
		if (memcmp(h, sc + 8, sizeof(h)) == 0) {
			if (age <= COOKIE_REFRESH && sc[1] == 0 &&
			    sc[2] == 0 && sc[3] == 0)
				memcpy(out, sc, COOKIE_SERVERLEN);
			else
				cookie_make(cf->secret, cc, from, now, out);
			return (1);
		}
		if (cf->has_previous) {
			cookie_hash(cf->previous, cc, sc, from, h);
			if (memcmp(h, sc + 8, sizeof(h)) == 0) {
				cookie_make(cf->secret, cc, from, now, out);
				return (1);
			}
		}
	}
	cookie_make(cf->secret, cc, from, now, out);
	return (0);
}
