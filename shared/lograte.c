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
 * Refusals logged at most once per source and LOGRATE_INTERVAL, so that a
 * flood of bad packets cannot flood the log.  A fixed table of the last
 * LOGRATE_SOURCES sources logged; a source that finds it full of sources
 * logged within the interval is only counted, in "others".  Every line
 * logged says how many refusals went unlogged before it.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "lograte.h"

struct lograte_src {
	struct sockaddr_storage	 ss;
	time_t			 last;		/* line logged; 0: free */
	uint64_t		 unlogged;	/* since then */
};

static struct lograte_src	 srcs[LOGRATE_SOURCES];
static uint64_t			 others;

static struct lograte_src *lograte_slot(const struct sockaddr_storage *,
			    time_t);

/* The slot of ss, or one to take for it, or NULL when all are busy. */
static struct lograte_src *
lograte_slot(const struct sockaddr_storage *ss, time_t now)
{
	struct lograte_src	*s, *old = NULL;
	size_t			 i;

	for (i = 0; i < LOGRATE_SOURCES; i++) {
		s = &srcs[i];
		if (s->last != 0 && sa_addr_eq(&s->ss, ss))
			return s;
		if (old == NULL || s->last < old->last)
			old = s;
	}
	if (old->last != 0 && now - old->last < LOGRATE_INTERVAL)
		return NULL;
	others += old->unlogged;	/* its count is not lost */
	memset(old, 0, sizeof(*old));
	memcpy(&old->ss, ss, sizeof(old->ss));
	return old;
}

int
lograte_ok(const struct sockaddr_storage *ss, char *note, size_t len)
{
	struct lograte_src	*s;
	struct timespec		 ts;
	uint64_t		 same;

	note[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec++;			/* never 0: 0 marks a free slot */
	if ((s = lograte_slot(ss, ts.tv_sec)) == NULL) {
		others++;
		return 0;
	}
	if (s->last != 0 && ts.tv_sec - s->last < LOGRATE_INTERVAL) {
		s->unlogged++;
		return 0;
	}
	same = s->unlogged;
	s->unlogged = 0;
	s->last = ts.tv_sec;
	if (same > 0 || others > 0)
		(void)snprintf(note, len, " [%llu more from this source, "
		    "%llu from others, not logged]", (unsigned long long)same,
		    (unsigned long long)others);
	others = 0;
	return 1;
}
