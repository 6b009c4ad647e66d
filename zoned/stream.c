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
 * An AXFR streamed into its build: the records of a large transfer held
 * in memory as xfrd sends them, each message's checked and fed to a build
 * begun (builder_begin), while the transfer goes on.  At its end the zone
 * is not read back from NAME.zone.tmp (which is still written, for the
 * zone stored), and the names are indexed: the build that makes it
 * served starts from there (change.c, builder_build).  Anything odd (a
 * record that does not parse, a count that does not add up, no memory)
 * ends the stream and leaves the transfer to the path of every other:
 * the zone read from its file, which says what was wrong.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "zoned.h"

struct stream {
	struct stored_zone	 sz;		/* its records so far */
	size_t			 cap;		/* of sz.src.rrs */
	uint64_t		 bytes;		/* of the records */
	struct builder		*b;		/* or NULL: given up */
	char			 err[SECD_MSGLEN];
	char			 zone[SECD_NAMESTRLEN];
};

/* A stream of zone's AXFR, about hint records; NULL without memory. */
struct stream *
stream_new(const char *zone, size_t hint)
{
	struct stream	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	if (dns_name_from_text(zone, st->sz.apex, &st->sz.apexlen) == -1) {
		free(st);
		return NULL;
	}
	dns_name_lower(st->sz.apex, st->sz.apexlen);
	strlcpy(st->zone, zone, sizeof(st->zone));
	st->sz.src.apex = st->sz.apex;
	st->sz.src.apexlen = st->sz.apexlen;
	st->b = builder_begin(st->sz.apex, st->sz.apexlen, hint, st->err,
	    sizeof(st->err));
	return st;
}

/*
 * The records of one message of the transfer (whole records, store
 * encoding), copied in and fed to the build: 0, or -1 when the stream
 * ends (a record that is not one, or not of the zone; no memory).  The
 * build alone may end: the records go on.
 */
int
stream_add(struct stream *st, const uint8_t *data, size_t len)
{
	uint8_t		*p;
	size_t		 first = st->sz.src.nrr;

	if ((p = arena_alloc(&st->sz.mem, len)) == NULL)
		return -1;
	memcpy(p, data, len);
	st->bytes += len;
	if (store_append(&st->sz, &st->cap, p, len, st->err,
	    sizeof(st->err)) == -1)
		return -1;
	if (st->b != NULL && st->sz.src.nrr > first &&
	    builder_feed(st->b, st->sz.src.rrs, st->sz.src.nrr, st->err,
	    sizeof(st->err)) == -1) {
		log_debug("zone %s: the AXFR's names are indexed after its "
		    "last message, not as it arrives: %s", st->zone, st->err);
		builder_free(st->b);
		st->b = NULL;
	}
	return 0;
}

/*
 * The transfer ended, h heads its NAME.zone.tmp: 0, or -1 when the
 * records are not what h counts, or not an AXFR's (the SOA first).
 */
int
stream_end(struct stream *st, const struct store_header *h)
{
	if (h->records != st->sz.src.nrr || h->bytes != st->bytes ||
	    st->sz.src.nrr == 0 || st->sz.src.rrs[0].type != DNS_T_SOA)
		return -1;
	st->sz.hdr = *h;
	st->sz.src.serial = h->serial;
	return 0;
}

/*
 * The zone of an ended stream in *sz (as store_zone reads it from the
 * file), the build begun in *begun (or NULL): the caller's now.
 */
void
stream_zone(struct stream *st, struct stored_zone *sz,
    struct builder **begun)
{
	*sz = st->sz;
	sz->src.apex = sz->apex;
	*begun = st->b;
	memset(&st->sz, 0, sizeof(st->sz));
	st->b = NULL;
}

void
stream_free(struct stream *st)
{
	if (st == NULL)
		return;
	builder_free(st->b);
	store_unload(&st->sz);
	free(st);
}
