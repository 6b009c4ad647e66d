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
 * Response rate limiting of UDP answers (secd.conf(5) rate-limit).
 */
#ifndef SECD_RRL_H
#define SECD_RRL_H

#include <stddef.h>
#include <stdint.h>

struct answer_info;
struct rrl_conf;
struct sockaddr;

#define RRL_PASS	0
#define RRL_SLIP	1	/* send it truncated: rrl_slip() */
#define RRL_DROP	2

/* The configuration; on 0 (no rate-limit block) turns it off. */
void	rrl_configure(const struct rrl_conf *, int);
int	rrl_check(const struct sockaddr *, const struct answer_info *);
size_t	rrl_slip(uint8_t *, size_t, const struct answer_info *);

#endif
