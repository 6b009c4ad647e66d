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
