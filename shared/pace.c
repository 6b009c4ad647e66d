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


/* A paced walk (pace.h). */
#include <sys/types.h>
#include <sys/time.h>

#include <event.h>

#include "pace.h"

static void	pace_run(int, short, void *);

/* The walk begins: its first step now. */
void
pace_start(struct pace *p, struct imsgev *iev, int (*step)(void *),
    void *arg)
{
	p->iev = iev;
	p->step = step;
	p->arg = arg;
	evtimer_set(&p->ev, pace_run, p);
	pace_run(0, 0, p);
}

static void
pace_run(int fd, short event, void *arg)
{
	struct pace	*p = arg;
	struct timeval	 now = { 0, 0 }, wait = { 0, 1000 };

	if (imsgbuf_queuelen(&p->iev->ibuf) > PACE_QUEUE) {
		evtimer_add(&p->ev, &wait);
		return;
	}
	/* done: p may be gone */
	if (p->step(p->arg) == 0) {
		iev_add(p->iev);
		evtimer_add(&p->ev, &now);
	}
}
