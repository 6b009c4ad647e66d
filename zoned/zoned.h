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
 * zoned: keeps the transferred zones, builds their images and hands them
 * to every serverd.
 */
#ifndef SECD_ZONED_H
#define SECD_ZONED_H

#include <sys/queue.h>

#include "proc.h"
#include "secd.h"
#include "store.h"
#include "override.h"
#include "merge.h"
#include "child.h"

/*
 * A zone of fewer records is not kept in memory (builder.h): each of its
 * changes builds it in full, in less than a millisecond, and its kept
 * zone would cost more memory (some 4 KB) than its image (3 KB or less).
 */
#define ZONE_KEEP_MIN	32

/* A zone zoned serves: an image was handed to the serverd processes. */
struct zzone {
	TAILQ_ENTRY(zzone)	 entry;
	uint32_t		 serial;	/* upstream */
	uint32_t		 served;	/* in its SOA (image.h) */
	uint32_t		 pubgen;	/* the image handed last */
	int			 publeft;	/* serverds yet to serve it */
	uint32_t		 tag;		/* zoned_tag() it was built with */
	int			 reused;	/* the stored image, unchecked */
	int			 keeptried;	/* change_keep() has seen it */
	int			 compact;	/* its journal is due */
	int			 fold;		/* its overlays are due */
	int			 tidy;		/* in the tidy queue */
	TAILQ_ENTRY(zzone)	 tidyentry;
	size_t			 ovls;		/* overlays of the stored base */
	uint64_t		 records;	/* of the stored zone */
	struct builder		*kept;		/* its kept zone (builder.h) */
	char			 name[];	/* presentation, lower case */
};

/*
 * A change of what a zone serves (change.c), one of: a transfer (an
 * AXFR: ztmp; an IXFR: delta, checked against the stored zone, serial
 * and after), new overrides (o; a toggle also the owner whose override
 * changed), or none of them: the stored zone built and served again.
 */
struct change {
	const char		*zone;
	const char		*ztmp;		/* the new NAME.zone, to commit */
	struct stream		*stream;	/* ztmp's records, or NULL */
	const char		*delta;		/* the IXFR, to append */
	uint32_t		 serial;	/* of the IXFR's new zone */
	struct overrides	*o;		/* new overrides, to commit */
	const uint8_t		*owner;		/* whose override changed */
	size_t			 ownerlen;
	int			 nosync;	/* change_axfrs syncs once */
};

/*
 * One read interface over a zone's transferred records (view.c): its
 * kept zone when it has one, else the stored zone, loaded.  Owners' and
 * cuts' names are looked up in any case.
 */
struct zview {
	struct builder		*kept;		/* or NULL: sz */
	struct stored_zone	 sz;
	int			 loaded;
	struct zrr		*rrs;		/* view_owner's last answer */
	size_t			 nrr;
	char			 zone[SECD_NAMESTRLEN];
};

/* zoned.c: the process and its channels */
void	 zoned_main(int, int, int);
const struct secd_conf *zoned_conf(void);
struct secd_conf *zoned_prevconf(void);
int	 zoned_configured(const char *);
const struct zone_conf *zoned_zone_conf(const char *);
const struct proxy_conf *zoned_proxy_conf(const char *);
const struct zone_opts *zoned_opts(const char *);
uint32_t zoned_tag(const char *);
int	 zoned_nserverd(void);
uint32_t zoned_backlog(void);
struct imsgev *zoned_xfrd(void);
struct imsgev *zoned_parent(void);
void	 zoned_loaded(void);
uint32_t zoned_publish(const char *, uint32_t);
uint32_t zoned_publish_fd(const char *, uint32_t, int);
uint32_t zoned_publish_overlay(const char *, uint32_t, off_t, size_t);

/* zones.c: the zones served and their life */
void	 zones_init(void);
void	 zones_load(void);
void	 zones_reload(void);
void	 zones_clear(void);
struct zzone *zone_find(const char *);
struct zzone *zone_add(const char *);
struct builder *zone_kept(const char *);
int	 zone_info(const char *, struct xfr_msg *);
int	 zone_stored(const char *, struct store_header *, uint8_t *,
	    size_t *);
int	 zone_header(const char *, struct image_header *);

/* produce.c */
void	 produce_all(void);
void	 zone_compact(struct zzone *);
void	 zone_fold(struct zzone *);
void	 zone_checked(struct imsg *);

/* change.c: the one change path */
int	 change_apply(const struct change *, uint32_t *, char *, size_t);
void	 change_axfrs(struct change *, size_t, int *, uint32_t *,
	    char (*)[SECD_MSGLEN]);
void	 change_keep(struct zzone *);
void	 change_wait(struct imsgev *, uint32_t, const char *, uint32_t,
	    const char *, const char *);
void	 change_served(struct imsgev *, const struct zone_image_msg *, int);
void	 bowners_free(struct bowner *, size_t);

/* view.c: the kept zone, or the stored zone */
int	 view_request(struct zview *, struct imsgev *, uint32_t,
	    const char *);
int	 view_overrides(struct imsgev *, uint32_t, const char *,
	    struct overrides *);
int	 view_owner(struct zview *, const uint8_t *, size_t,
	    const struct zrr **, size_t *);
int	 view_cut(struct zview *, const uint8_t *, size_t, uint8_t *,
	    size_t *);
int	 view_signed(struct zview *);
const uint8_t *view_apex(struct zview *, size_t *);
uint32_t view_serial(struct zview *);
int	 view_walk(struct zview *, const uint8_t *, size_t, struct walk *);
const struct zone_src *view_records(struct zview *, char *, size_t);
void	 view_close(struct zview *);

/* proxy.c */
void	 zoned_proxy(struct imsgev *, uint32_t, const struct ctl_request *);

/* audit.c */
void	 zoned_audit(struct imsgev *, uint32_t, const char *);
void	 zoned_audit_plan(struct imsgev *, uint32_t, const char *);

/* apex.c */
void	 zoned_apex(struct imsgev *, uint32_t, const struct ctl_request *);
void	 apex_resolved(struct imsgev *, struct imsg *);
void	 apex_merged(const char *, const struct apex_state *);
int	 apex_reused(const char *);
void	 apex_show(struct imsgev *, uint32_t, struct overrides *,
	    const struct zone_src *, const uint8_t *, size_t);

/* ixfr.c */
int	 ixfr_apply(const char *, const char *, const char *, char *,
	    size_t);
int	 ixfr_load(const char *, const char *, struct stored_zone *, char *,
	    size_t);
int	 ixfr_journaled(uint64_t, const struct zzone *);
void	 ixfr_log(const char *, uint32_t, uint32_t, int, uint64_t);
/* What ixfr_owners found of an IXFR: for the log and the journal. */
struct ixfr_info {
	uint32_t	 from, to;	/* the serials it goes between */
	int		 ndelta;
	int64_t		 records;	/* the stored zone's counts */
	int64_t		 bytes;		/* move by these */
};
int	 ixfr_owners(struct builder *, const struct stored_zone *,
	    struct overrides *, const struct proxy_conf *, struct bowner **,
	    size_t *, struct ixfr_info *, char *, size_t);

/* catalog.c: catalog zones (RFC 9432), shared/catalog.h */
struct cat_new;
struct stored_zone;
int	 catalog_is(const char *);
int	 catalog_due(const char *, uint32_t);
void	 catalog_update(const char *);
int	 catalog_parse(const char *, const struct stored_zone *,
	    struct cat_new **, size_t *, char *, size_t);
void	 catalog_parse_free(struct cat_new *, size_t);

/* show.c */
void	 zoned_show_zone(struct imsgev *, uint32_t, const char *,
	    const char *);
void	 show_row(struct imsgev *, uint32_t, struct ctl_rr *, const char *);
void	 show_rr(struct imsgev *, uint32_t, const struct zrr *, const char *);

/* sizes.c */
void	 zoned_show_sizes(struct imsgev *, uint32_t);

/* xfr.c */
extern size_t	 zxfr_batch_bytes;
void	 zxfr_imsg(struct imsg *);
void	 zxfr_batch_flush(void);

#endif
