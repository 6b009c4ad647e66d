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
 * The store encoding: records as xfrd sends them to zoned
 * (IMSG_XFR_DATA) and as zoned keeps them in NAME.zone (zoned/store.h).
 * Each record, in network byte order:
 *	u8 ownerlen, owner (uncompressed wire form, case kept),
 *	u16 type, u16 class, u32 ttl, u16 rdlen, rdata (names expanded)
 * storerec_put() is its only writer and storerec_get() its only reader.
 */
#ifndef SECD_STOREREC_H
#define SECD_STOREREC_H

#include <stdint.h>

#include "dns.h"

#define STOREREC_FIXED	11	/* the octets besides owner and rdata */
#define STOREREC_MAX	(STOREREC_FIXED + DNS_MAXNAME + DNS_MAXRDATA)

/* One record; owner and rdata point into the bytes it was read from. */
struct storerec {
	const uint8_t		*owner;
	uint8_t			 ownerlen;
	uint16_t		 type;
	uint16_t		 class;
	uint32_t		 ttl;
	uint16_t		 rdlen;
	const uint8_t		*rdata;
};

/* Append r; -1 with w->err set when it does not fit. */
int	storerec_put(struct wbuf *, const struct storerec *);
/* The record at the cursor; -1 with w->err set when it is truncated. */
int	storerec_get(struct wire *, struct storerec *);

int	store_path(const char *, const char *, char *, size_t);

#endif
