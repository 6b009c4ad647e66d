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
 * metricsd: the counters and zone states of show stats and show zones in
 * the Prometheus text format, over HTTP on "metrics listen on" (secd(8)
 * METRICS).  It asks the parent on a control channel that may only read,
 * as secctl does, and holds no other privilege: chrooted to the empty
 * directory, the unprivileged user, pledge "stdio inet".
 */
#ifndef SECD_METRICSD_H
#define SECD_METRICSD_H

#include <event.h>

struct child_listen;
struct evbuffer;
struct imsg;

/* metricsd.c */
void	metricsd_main(int, int, int);

/* http.c: the connections; a scrape's text goes to every request waiting */
void	http_init(struct event_base *, struct child_listen *, int);
void	http_answer(struct evbuffer *);

/* scrape.c: one collection from the parent at a time */
void	scrape_init(int);
int	scrape_start(void);

/* render.c: the text of one collection */
struct render;
struct render	*render_new(void);
void		 render_imsg(struct render *, struct imsg *);
struct evbuffer	*render_end(struct render *);
void		 render_free(struct render *);

#endif
