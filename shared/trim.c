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
 * Memory a burst left free given back to the system.  A configuration of
 * 10,000 zones sent to three children, or 10,000 transfers, leaves tens
 * of megabytes free inside glibc's heap, which it keeps (the parent kept
 * 39 MB free for 11 MB in use); malloc_trim(3) returns the free pages, a
 * second after the burst (each call puts it off) so that it runs once
 * for all of it.
 * OpenBSD's malloc(3) returns them itself: nothing to do there.
 */
#include <sys/types.h>
#include <sys/time.h>

#include <event.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "trim.h"

#define TRIM_DELAY	1	/* second after the last burst */

#ifdef __GLIBC__
static struct event	ev_trim;
static int		trim_set;

static void
trim_now(int fd, short event, void *arg)
{
	malloc_trim(0);
}
#endif

/* A burst just ended: give its free memory back a little later. */
void
trim_later(void)
{
#ifdef __GLIBC__
	struct timeval	 tv = { TRIM_DELAY, 0 };

	if (!trim_set) {
		evtimer_set(&ev_trim, trim_now, NULL);
		trim_set = 1;
	}
	evtimer_add(&ev_trim, &tv);
#endif
}
