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
 * Transfers out of the zones a serverd serves (serverd/xfrout.c).
 */
#ifndef SECD_XFROUT_H
#define SECD_XFROUT_H

#include <stddef.h>
#include <stdint.h>

struct sockaddr_storage;
struct tsig_keys;
struct xfrout;

/*
 * The AXFR or IXFR request q (qlen bytes) from `from', over TCP or not,
 * checked against the zone's provide transfer and keys: the length of
 * the reply to send in resp (cap bytes: a refusal, the SOA alone), or 0
 * with *xo the transfer to send by xfrout_next().
 */
size_t	xfrout_begin(const uint8_t *, size_t, const struct sockaddr_storage *,
	    int, const struct tsig_keys *, uint8_t *, size_t,
	    struct xfrout **);
size_t	xfrout_next(struct xfrout *, uint8_t *, size_t);
void	xfrout_configure(int, int);
int	xfrout_done(const struct xfrout *);
void	xfrout_free(struct xfrout *);

#endif
