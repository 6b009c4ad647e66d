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
 * The zones a serverd serves: each configured zone with the image zoned
 * handed it, if any, checked (shared/image.h): a small one copied into
 * serverd's memory, a larger one mapped read-only.  Its name in text is
 * conf->name.
 */
#ifndef SECD_ZONES_H
#define SECD_ZONES_H

#include <stddef.h>
#include <sys/types.h>

#include <stdint.h>

#include "dns.h"

struct secd_conf;
struct zone_conf;

/*
 * An image a transfer out holds (serverd/xfrout.c): the zone's until a
 * new one replaces it, then the transfer's alone, unmapped or freed when
 * the last lets go.
 */
struct zone_hold {
	void			*img;
	size_t			 cap;		/* mapped; 0: malloc(3)ed */
	int			 refs;
};

struct served_zone {
	struct served_zone	*next;		/* hash chain */
	struct zone_hold	*hold;		/* transfers out of img */
	const uint8_t		*img;		/* NULL: no image yet */
	size_t			 size;
	size_t			 cap;		/* the overlays' limit */
	const struct zone_conf	*conf;		/* its secd.conf(5) block */
	uint32_t		 serial;
	uint8_t			 expired;	/* answers SERVFAIL */
	uint8_t			 mark;
	uint8_t			 heap;		/* img malloc(3)ed, not mapped */
	uint8_t			 namelen;
	uint8_t			 name[];	/* lower case */
};

/*
 * Map the image in fd (the caller keeps and closes fd), check it, and
 * serve it for zone (presentation form, lower case) in place of the
 * previous one.  The zone must be configured; its name and serial must
 * be the image's.  On any failure the previous image stays and err
 * says why.
 */
int	zones_set(const char *, int, uint32_t, char *, size_t);
/*
 * Apply the overlay of len bytes at off in fd (shared/image.h) over the
 * image served for zone, and check it; serial must be the next image's.
 * On any failure the image served is as it was and err says why.
 */
int	zones_overlay(const char *, int, off_t, size_t, uint32_t, char *,
	    size_t);
/* Stop serving the image of a zone: it answers SERVFAIL. */
void	zones_drop(const char *);
/* The zones of conf are served; the others are dropped. */
void	zones_configure(const struct secd_conf *);
/* Mark a zone expired (SERVFAIL) or not. */
void	zones_expire(const char *, int);
/*
 * The image of z held for a transfer out until zones_release(): its
 * bytes stay as they are (a new image replaces it for queries, an
 * overlay of a copy makes a new copy) but for the header and the hash
 * table, which an overlay of a mapped image rewrites: the transfer keeps
 * its own copy of those.  NULL when out of memory.
 */
struct zone_hold *zones_hold(struct served_zone *);
void	zones_release(struct zone_hold *);
/* The zone of a lower-case wire name: its longest configured suffix. */
const struct served_zone *zones_find(const uint8_t *, size_t);

#endif
