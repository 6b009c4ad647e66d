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
 * Refusals logged at most once per source and interval, with a count of
 * those not logged (shared/lograte.c).
 */
#ifndef SECD_LOGRATE_H
#define SECD_LOGRATE_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>

#define LOGRATE_INTERVAL	10	/* s between two lines of a source */
#define LOGRATE_SOURCES		64	/* sources remembered */

/*
 * 1 if a refusal from this source may be logged now, with note set to
 * what to append to the line (the refusals not logged since the last
 * line: "" or " [12 more from this source, 40 from others, not
 * logged]"); 0 if it is only counted.
 */
int	lograte_ok(const struct sockaddr_storage *, char *, size_t);

#endif
