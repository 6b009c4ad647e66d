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
 * The zone builder: the records of one zone, as zoned serves them, to the
 * database image serverd maps (shared/image.h).  A builder may be kept
 * after a full build (the kept builder): a later change of a few owners
 * is applied to it (builder_update) and the other builder_ functions
 * below read it.
 */
#ifndef SECD_BUILDER_H
#define SECD_BUILDER_H

#include <stddef.h>
#include <stdint.h>

/*
 * One record as it comes to the builder and as builder_owner gives it
 * back.  owner is in uncompressed wire form with its case; rdata has its
 * names expanded (rdata_expand() in shared/dns.h).  A builder holds its
 * own, smaller form (zoned/build.h, struct brr).
 */
struct zrr {
	const uint8_t		*owner;
	const uint8_t		*rdata;
	uint32_t		 ttl;
	uint16_t		 type;
	uint16_t		 class;
	uint16_t		 rdlen;
	uint8_t			 ownerlen;
	uint8_t			 proxy;		/* from the proxy set */
	uint8_t			 hidden;	/* replaced by the merge */
	uint8_t			 apexcname;	/* at the apex by its CNAME */
};

/*
 * The records of a zone.  A hidden record is a transferred one the merge
 * with the overrides replaced (override.h): never served, held by a kept
 * builder so that the next change of its owner can be merged again.
 */
struct zone_src {
	const uint8_t		*apex;		/* wire form */
	size_t			 apexlen;
	uint32_t		 serial;	/* upstream */
	uint32_t		 served;	/* in the SOA served (image.h) */
	int			 xfrout;	/* names with their records */
	uint64_t		 content;	/* of the records (image.h) */
	uint32_t		 tag;		/* into the image header */
	struct zrr		*rrs;
	size_t			 nrr;
};

struct builder;
struct image_header;

/* One owner's records after a change: all of them, hidden ones too. */
struct bowner {
	const uint8_t		*owner;
	size_t			 ownerlen;
	const struct zrr	*rrs;
	size_t			 nrr;
};

/*
 * Write the image of src to fd (from its current offset, the whole image
 * in one go).  0 on success; -1 with the reason in err on bad input, a
 * zone too large for the format, or a failed write.  begun: a build fed
 * src's first records as they arrived (builder_begin), taken over (its
 * work kept when src still begins with the records it was fed), or NULL.
 * With keep non-NULL, *keep is the builder kept for builder_update():
 * the records (their bytes copied), the names, the hash and what each
 * answer looked up; or NULL, the reason in err, without the memory to
 * keep it.  A kept builder of many names maps the image from fd (when it
 * wrote it from the file's start) and reads the names there: fd's file
 * must not be written again (zoned writes each full build to a new
 * file).
 */
int	builder_build(const struct zone_src *, struct builder *, int,
	    struct builder **, char *, size_t);

/*
 * A build begun while a zone's records arrive (an AXFR): the builder of
 * the zone at apex (wire form), sized for about hint records, or NULL
 * with err.  builder_feed gives it rrs[0..nrr), the same array grown
 * (its first records where the last call left them): those it has not
 * seen are checked and their names indexed; -1 with err when one is bad
 * or memory is short (builder_build then starts anew, and says why).
 */
struct builder *builder_begin(const uint8_t *, size_t, size_t, char *,
	    size_t);
int	builder_feed(struct builder *, struct zrr *, size_t, char *,
	    size_t);

/*
 * The builder of a zone served from a stored image (img, size bytes of
 * the file open as ifd), kept in *keep: src built again with the image's
 * hash key.  0: the same image (nothing written); 1: it differs (an
 * image grown by builder_update, built by another version), written to
 * fd; -1 with err on failure.
 */
int	builder_rebuild(const struct zone_src *, const uint8_t *, size_t, int,
	    int, struct builder **, char *, size_t);

/*
 * The image after a change of the records of some owners (the upstream
 * serial, the served serial after it), as an overlay
 * of the image this builder wrote last (shared/image.h, Overlays): the
 * answers of every name the change reaches appended, the hash slots and
 * the header patched.  0 on success, *ovl the record (*ovllen bytes, to
 * free); 1 when the change needs a full build (a zone cut above existing
 * names appears or goes, the image has grown by a quarter since its full
 * build, ...); -1 with err on bad records.  On 1 and -1 the builder is
 * of no further use.
 */
int	builder_update(struct builder *, const struct bowner *, size_t,
	    uint32_t, uint32_t, uint8_t **, size_t *, char *, size_t);

/*
 * The records at owner, hidden ones too, in a new array (*n 0: none);
 * their owners and rdata are the builder's, read until it is freed.
 */
int	builder_owner(struct builder *, const uint8_t *, size_t,
	    struct zrr **, size_t *);
/* 1 if name is at or below a zone cut: cut gets its name (wire form). */
int	builder_cut(struct builder *, const uint8_t *, size_t, uint8_t *,
	    size_t *);
int	builder_grown(const struct builder *);
size_t	builder_bytes(const struct builder *);
int	builder_signed(const struct builder *);
const uint8_t *builder_apex(const struct builder *, size_t *);
uint32_t builder_serial(const struct builder *);
uint32_t builder_served(const struct builder *);
/* The header of the image it wrote last, its overlays applied. */
void	builder_header(const struct builder *, struct image_header *);
uint64_t builder_rrhash(const struct zrr *);
void	builder_free(struct builder *);

#endif
