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
 * serverd: answers queries from the zone images zoned hands it.
 */
#ifndef SECD_SERVERD_H
#define SECD_SERVERD_H

#include <stdint.h>

#include "child.h"
#include "secd.h"

struct answer_env;
struct answer_info;
struct image_name;
struct imsgev;
struct served_zone;

/* Counters of this serverd; the parent sums them for show stats. */
extern struct ctl_stats	 stats;

/* serverd.c */
void	serverd_main(int, int, int);
void	serverd_count(const struct answer_info *, int, size_t);
void	serverd_notify(const struct notify_msg *, const uint8_t *, size_t);
const struct cookie_conf *serverd_cookies(void);
const struct tsig_keys *serverd_keys(void);

/* signed.c */
size_t	signed_answer(const uint8_t *, size_t, uint8_t *, size_t, int,
	    const struct answer_env *, struct answer_info *);

/* gate.c */
size_t	gate_notify(const struct notify_msg *, const uint8_t *, size_t,
	    uint8_t *, size_t);
void	gate_answered(void);

/* pstats.c */
void	pstat_count(const struct served_zone *, const struct image_name *);
void	pstat_send(struct imsgev *, uint32_t);

/* udp.c */
void	udp_init(struct child_listen *);
void	udp_notify_answer(struct notify_msg *, const uint8_t *, size_t);

/* tcp.c */
void	tcp_init(struct child_listen *);
void	tcp_configure(const struct tcp_conf *, uint32_t);
void	tcp_notify_answer(const struct notify_msg *, const uint8_t *, size_t);

#endif
