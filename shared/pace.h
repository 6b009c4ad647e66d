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
 * A paced walk: a long answer to secctl (show zones, show zone, show
 * sizes) sent a step at a time.  step(arg) queues up to PACE_STEP rows
 * on the channel and returns 0 while there are more, 1 once the walk is
 * done (it may then free what holds the struct pace).  The pacer calls it
 * at the next turn of the event loop while the channel holds at most
 * PACE_QUEUE messages, else a millisecond later: 100,000 rows stream to
 * a slow reader instead of all queueing at once, and other events are
 * served between steps.
 */
#ifndef SECD_PACE_H
#define SECD_PACE_H

#include <event.h>

#include "proc.h"

#define PACE_STEP	256		/* rows a step */
#define PACE_QUEUE	512		/* messages queued, at most */

struct pace {
	struct event		 ev;
	struct imsgev		*iev;
	int			(*step)(void *);
	void			*arg;
};

void	pace_start(struct pace *, struct imsgev *, int (*)(void *), void *);

#endif
