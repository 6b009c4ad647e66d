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
 * zoned's directory.  For each zone these files, named after the zone in
 * lower case (bytes other than [a-z0-9._-] as %XX, the root zone "_root"):
 *
 *	NAME.zone	the transferred records, format below
 *	NAME.jnl	the IXFRs since NAME.zone was written, below
 *	NAME.img	the database image built from them (shared/image.h)
 *	NAME.ovl	the overlays of NAME.img (shared/image.h), ovl.c
 *	NAME.check	when the zone was last found current, below
 *
 * They are only ever replaced whole: written to NAME.*.tmp, fsync(2)ed,
 * rename(2)d over the old one, the directory fsync(2)ed.  A kill at any
 * moment leaves the old or the new file, never a mix.  But NAME.jnl and
 * NAME.ovl: appended to, fsync(2)ed; an entry or overlay cut short by a
 * kill is told apart (jnl_load, ovl_load), and NAME.ovl is removed before
 * a new NAME.img is renamed in, so that it never holds overlays of
 * another image.
 *
 * NAME.zone, version 1: struct store_header (host byte order; bom tells a
 * foreign file apart) followed by `records` records in the store encoding
 * (shared/storerec.h, network byte order), `bytes` bytes in all.  The first
 * record is the apex SOA (a transfer begins with it; an IXFR applied puts
 * it first), so that its timers are read without reading the rest.
 *
 * NAME.jnl (journal.c), version 1: struct jnl_header (host byte order,
 * bom as above) holding a copy of the header of the NAME.zone it applies
 * to, then entries, each a struct jnl_entry followed by `len` bytes: the
 * records of one IXFR as xfrd sent it (`nrr` of them, store encoding:
 * SOA old, deletions, SOA new, additions, possibly several deltas).  An
 * entry's `sum` is FNV-1a 64 of the entry header from `len` on, then of
 * its records.  The zone is NAME.zone with every entry applied in order
 * (ixfr.c): the first entry's `from` is NAME.zone's serial, the last
 * entry's `to` the zone's, its `records` and `bytes` the zone's counts.
 * An entry is written at the end of the journal (its header, then its
 * records), then the journal fsync(2)ed (a new journal: its header
 * first, and after the sync the directory synced).  A kill in the middle
 * of an append leaves a torn tail: an entry that is short or whose sum
 * is wrong, which loading ignores together with anything after it, and
 * the next append cuts off (ftruncate(2)).  A journal whose copy of the
 * NAME.zone header is not the header of NAME.zone (an AXFR or a
 * compaction replaced the zone, the kill came before the journal was
 * removed) is stale: ignored, and removed at start (store_sweep).
 * Compaction writes the zone whole as NAME.compact.tmp (its header's
 * kind XFR_IXFR, its serial, transfer and stored time the last entry's),
 * renames it over NAME.zone, then removes NAME.jnl; the image stays
 * (zones.c tells it is of that zone by the serial).
 *
 * NAME.check: one line, "checked TIME serial SERIAL": the last time (time(3))
 * xfrd found the zone current, by an SOA check or a transfer.  Missing,
 * the time the zone was stored counts.
 */
#ifndef SECD_STORE_H
#define SECD_STORE_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "arena.h"
#include "builder.h"
#include "dns.h"
#include "image.h"
#include "secd.h"
#include "storerec.h"

#define STORE_MAGIC		"SECDZON"	/* with its NUL: 8 bytes */
#define STORE_VERSION		1
#define STORE_BOM		0x01020304U

struct store_header {
	char			 magic[8];
	uint32_t		 version;
	uint32_t		 bom;
	uint32_t		 serial;
	uint32_t		 kind;		/* enum xfr_kind of the source */
	uint64_t		 records;
	uint64_t		 bytes;
	int64_t			 when;		/* time of the transfer */
	int64_t			 stored;	/* time it was stored */
	char			 primary[64];
};

#define JNL_MAGIC		"SECDJNL"	/* with its NUL: 8 bytes */
#define JNL_VERSION		1

struct jnl_header {
	char			 magic[8];
	uint32_t		 version;
	uint32_t		 bom;
	struct store_header	 zone;		/* NAME.zone's, a copy */
};

struct jnl_entry {
	uint64_t		 sum;		/* FNV-1a 64, see above */
	uint64_t		 len;		/* bytes of records next */
	uint64_t		 nrr;		/* records next */
	uint64_t		 records;	/* the zone's, after it */
	uint64_t		 bytes;		/* the zone's, after it */
	uint32_t		 from;		/* serial before */
	uint32_t		 to;		/* serial after */
	int64_t			 when;		/* time of the transfer */
	int64_t			 stored;	/* time it was appended */
	char			 primary[64];
};

/*
 * A stored zone mapped into memory, with its records indexed: NAME.zone,
 * and when it has a journal or an IXFR to apply, the records of those
 * too (the index points into every map).
 */
struct stored_zone {
	struct store_header	 hdr;
	uint8_t			 apex[255];
	size_t			 apexlen;
	void			*map;
	size_t			 mapsize;
	void			*jmap;		/* NAME.jnl, or NULL */
	size_t			 jmapsize;
	struct stored_zone	*delta;		/* an IXFR applied, or NULL */
	struct arena		*mem;		/* or the records in memory */
	struct zone_src		 src;
};

int	store_load(const char *, const char *, struct stored_zone *, char *,
	    size_t);
int	store_zone(const char *, const char *, const char *,
	    struct stored_zone *, char *, size_t);
void	store_unload(struct stored_zone *);
int	store_parse(struct stored_zone *, const uint8_t *, size_t, char *,
	    size_t);
int	store_append(struct stored_zone *, size_t *, const uint8_t *, size_t,
	    char *, size_t);
/* one record in the store encoding (shared/storerec.h) */
int	store_get(struct wire *, struct zrr *);
size_t	store_put(FILE *, const struct zrr *);
int	store_owner_ok(const struct stored_zone *, const struct zrr *);
void	store_header_init(struct store_header *, uint32_t, uint32_t);
int	store_header_ok(const struct store_header *, size_t);
int	store_commit(const char *, const char *, int);
int	store_sync_files(const char *const *, size_t);
void	store_sweep(struct secd_conf *);
int	store_sync_dir(void);

/* journal.c: NAME.jnl */
int	jnl_load(const char *, const struct store_header *,
	    struct stored_zone *, struct jnl_entry *, char *, size_t);
int	jnl_append(const char *, const char *, const struct store_header *,
	    char *, size_t);
int	jnl_remove(const char *);
int	jnl_due(const char *);
int	jnl_compact(const char *, char *, size_t);
void	jnl_sweep(const char *);
int	jnl_tail(const char *, const struct store_header *,
	    struct jnl_entry *, uint8_t *, size_t, size_t *);
/* stream.c: an AXFR held and its build begun as it arrives */
struct stream;
struct stream *stream_new(const char *, size_t);
int	stream_add(struct stream *, const uint8_t *, size_t);
int	stream_end(struct stream *, const struct store_header *);
void	stream_zone(struct stream *, struct stored_zone *,
	    struct builder **);
void	stream_free(struct stream *);

/* NAME.ovl (ovl.c): where each overlay is, and its image's serial. */
struct ovl_rec {
	off_t			 at;
	size_t			 len;
	uint32_t		 serial;
};

struct ovl_list {
	struct ovl_rec		*v;
	size_t			 n;
	int			 bad;		/* bytes after them */
	struct timespec		 mtim;		/* NAME.ovl's */
};

int	ovl_append(const char *, const uint8_t *, size_t, off_t *, char *,
	    size_t);
int	ovl_remove(const char *);
int	ovl_load(const char *, struct image_header *, struct ovl_list *);
void	ovl_free(struct ovl_list *);
int	ovl_image(const char *, uint8_t **, size_t *, char *, size_t);
int	ovl_served_prefix(const char *, uint32_t *);

#endif
