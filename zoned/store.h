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
 *	NAME.img	the database image built from them (shared/image.h)
 *	NAME.ovl	the overlays of NAME.img (shared/image.h), ovl.c
 *	NAME.check	when the zone was last found current, below
 *
 * They are only ever replaced whole: written to NAME.*.tmp, fsync(2)ed,
 * rename(2)d over the old one, the directory fsync(2)ed.  A kill at any
 * moment leaves the old or the new file, never a mix.  But NAME.ovl:
 * appended to, fsync(2)ed; an overlay cut short by a kill is told apart
 * (ovl_load), and NAME.ovl is removed before a new NAME.img is renamed
 * in, so that it never holds overlays of another image.
 *
 * NAME.zone, version 1: struct store_header (host byte order; bom tells a
 * foreign file apart) followed by `records` records in the store encoding
 * (shared/storerec.h, network byte order), `bytes` bytes in all.  The first
 * record is the apex SOA (a transfer begins with it; an IXFR applied puts
 * it first), so that its timers are read without reading the rest.
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

#include "builder.h"
#include "dns.h"
#include "image.h"
#include "secd.h"

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

/* A stored zone mapped into memory, with its records indexed. */
struct stored_zone {
	struct store_header	 hdr;
	uint8_t			 apex[255];
	size_t			 apexlen;
	void			*map;
	size_t			 mapsize;
	struct zone_src		 src;
};

int	store_path(const char *, const char *, char *, size_t);
int	store_load(const char *, const char *, struct stored_zone *, char *,
	    size_t);
int	store_zone(const char *, const char *, struct stored_zone *, char *,
	    size_t);
void	store_unload(struct stored_zone *);
int	store_parse(struct stored_zone *, const uint8_t *, size_t, char *,
	    size_t);
/* one record in the store encoding (shared/storerec.h) */
int	store_get(struct wire *, struct zrr *);
size_t	store_put(FILE *, const struct zrr *);
int	store_commit(const char *, const char *);
void	store_sweep(const char *);
int	store_sync_dir(void);

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

#endif
