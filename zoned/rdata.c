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
 * What the zone builder reads inside rdata: where the names of a type
 * are (blob.c compresses them, RFC 3597 section 4; builder.c gives the
 * targets of NS, MX and SRV additional data), the type an RRSIG covers,
 * the TTL of negative answers, and the shape of the DNSSEC records the
 * proofs read (proof.c).
 */

#include <sys/types.h>

#include <stdint.h>

#include "build.h"

/*
 * The layout of a type whose names the builder reads (shared/dns.h): the
 * eleven it compresses (RFC 3597 section 4), and SRV, whose target, like
 * an NS's or an MX's, gets its addresses added.  -1 for other types,
 * whose rdata is copied as it is.
 */
int
rd_layout(uint16_t type, struct dns_rdlayout *l)
{
	if (!dns_type_compressible(type) && type != DNS_T_SRV)
		return (-1);
	return (dns_rdata_layout(type, l));
}

/*
 * The rdata of a type whose names we read must be exactly its layout; the
 * DNSSEC types the proofs read (RFC 4034 sections 3.1 and 4.1, RFC 5155
 * sections 3.2 and 4.2) must hold what they say they hold.
 */
int
rd_check(uint16_t type, const uint8_t *rd, size_t rdlen)
{
	struct dns_rdlayout	 l;
	struct wire		 w;
	uint8_t			 n;
	int			 i;

	wire_init(&w, rd, rdlen);
	switch (type) {
	case DNS_T_RRSIG:
		wire_skip(&w, 18);
		wire_name_nocomp(&w, NULL, NULL);
		return (w.err || w.off >= rdlen ? -1 : 0);
	case DNS_T_NSEC:
		wire_name_nocomp(&w, NULL, NULL);
		return (w.err ? -1 : 0);
	case DNS_T_NSEC3:
	case DNS_T_NSEC3PARAM:
		wire_skip(&w, 4);
		wire_u8(&w, &n);
		wire_skip(&w, n);
		if (type == DNS_T_NSEC3PARAM)
			return (w.err || w.off != rdlen ? -1 : 0);
		wire_u8(&w, &n);
		wire_skip(&w, n);
		return (w.err || n == 0 ? -1 : 0);
	}
	if (rd_layout(type, &l) == -1)
		return (0);
	wire_init(&w, rd, rdlen);
	wire_skip(&w, l.pre);
	for (i = 0; i < l.nnames; i++)
		wire_name_nocomp(&w, NULL, NULL);
	wire_skip(&w, l.post);
	return (w.err || w.off != rdlen ? -1 : 0);
}

/* The name an NS, MX or SRV record points to (checked by rd_check). */
int
rd_target(uint16_t type, const uint8_t *rd, size_t rdlen,
    const uint8_t **name, size_t *len)
{
	struct dns_rdlayout	 l;
	struct wire		 w;
	size_t			 start;

	if (rd_layout(type, &l) == -1)
		return (-1);
	wire_init(&w, rd, rdlen);
	wire_skip(&w, l.pre);
	start = w.off;
	if (wire_name_nocomp(&w, NULL, NULL) == -1)
		return (-1);
	*name = rd + start;
	*len = w.off - start;
	return (0);
}

/* The type an RRSIG covers (RFC 4034 section 3.1.1), 0 if none. */
uint16_t
rd_covered(uint16_t type, const uint8_t *rd, size_t rdlen)
{
	if (type != DNS_T_RRSIG || rdlen < 2)
		return (0);
	return ((uint16_t)(rd[0] << 8 | rd[1]));
}

/*
 * The TTL of negative answers, from the zone's SOA (its rdata checked by
 * rd_check): the lower of its TTL and its MINIMUM (RFC 2308 section 5).
 */
uint32_t
rd_negttl(uint32_t ttl, const uint8_t *rd, size_t rdlen)
{
	const uint8_t	*p;
	uint32_t	 min;

	p = rd + rdlen - 4;
	min = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return (ttl < min ? ttl : min);
}
