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
 * The one way what a zone serves changes.  A change is a transfer (an
 * AXFR's records in NAME.zone.tmp, or an IXFR checked against the stored
 * zone, for its journal), new overrides
 * (a toggle of one owner, the apex CNAME, the resolver's answer for it),
 * or neither (the stored zone served again: at start, after its proxy
 * set changed, after a serverd refused its image).  change_apply() makes
 * it with the kept zone (builder.h: the image updated for the names the
 * change reaches) or, when the zone has none or the kept zone cannot make
 * it, builds the zone in full; then commits the zone, the overrides and
 * the image in that order (a kill at any moment leaves the old data or
 * the new, zones.c finds which at start) and hands the image to every
 * serverd.  A request that made a change is answered once every serverd
 * serves it (change_wait, change_served).
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "override.h"
#include "store.h"
#include "zoned.h"

/* A request answered when every serverd has the image of generation gen. */
struct waiter {
	TAILQ_ENTRY(waiter)	 entry;
	uint32_t		 id;
	uint32_t		 gen;
	int			 left;		/* serverds still to answer */
	int			 refused;
	const char		*done;		/* what happened to what */
	char			 zone[SECD_NAMESTRLEN];
	char			 what[SECD_NAMESTRLEN];
};

static TAILQ_HEAD(, waiter) waiters = TAILQ_HEAD_INITIALIZER(waiters);

static int	change_kept(struct zzone *, const struct change *,
		    struct overrides *, uint32_t *, char *, size_t);
static int	change_owner(struct builder *, struct overrides *,
		    const struct proxy_conf *, const uint8_t *, size_t,
		    struct bowner **, size_t *);
static int	change_image(struct zzone *, const struct change *,
		    const struct store_header *, struct overrides *,
		    const struct bowner *, size_t, uint32_t, uint32_t,
		    uint32_t *, char *, size_t);
/* A zone built in full (change_full), not yet committed. */
struct built {
	struct stored_zone	 sz;
	struct builder		*kept;
	uint32_t		 served;
};

static int	change_full(const struct change *, struct overrides *,
		    uint32_t *, char *, size_t);
static int	change_full_build(const struct change *, struct overrides *,
		    struct built *, char *, size_t);
static int	change_full_serve(const struct change *, struct built *,
		    uint32_t *, char *, size_t);
static int	change_build(const char *, struct zone_src *,
		    struct builder *, int, struct builder **, char *, size_t);
static struct zzone *change_commit(const struct change *,
		    const struct store_header *, const uint8_t *,
		    size_t, off_t *, char *, size_t);
static int	change_commit_image(const char *, int, char *, size_t);
static uint32_t	change_serial(const char *, int, uint32_t, uint32_t);
static int	change_xfrout(const char *);
static const char *change_serial_note(const struct zzone *);
static void	change_tell_served(const struct zzone *);

/*
 * Make change c: 0 once committed, *gen the generation of the image
 * handed to every serverd (0: it could not be handed, the log says why);
 * -1 when nothing changed, err says why.
 */
int
change_apply(const struct change *c, uint32_t *gen, char *err, size_t errlen)
{
	struct overrides	 own, *o = c->o;
	struct zzone		*z;
	int			 rv = 1;

	*gen = 0;
	err[0] = '\0';
	if (o != NULL && over_write(c->zone, o, err, errlen) == -1) {
		if (err[0] == '\0')
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (o == NULL) {
		if (over_load(c->zone, &own, err, errlen) == -1)
			return -1;
		o = &own;
	}
	/* an AXFR, or the stored zone served again, is a full build */
	if ((z = zone_find(c->zone)) != NULL && z->kept != NULL &&
	    (c->delta != NULL || (c->ztmp == NULL && c->o != NULL)) &&
	    (rv = change_kept(z, c, o, gen, err, errlen)) == 1) {
		log_info("zone %s: building it in full: %s", c->zone, err);
		builder_free(z->kept);
		z->kept = NULL;
	}
	if (rv == 1)
		rv = change_full(c, o, gen, err, errlen);
	if (o == &own)
		over_free(&own);
	return rv;
}

/*
 * The owners c changes, made by the kept zone: 0 once committed, -1 when
 * c's IXFR does not apply or committing failed, 1 (err says why) when
 * the zone is to be built in full instead, nothing committed.
 */
static int
change_kept(struct zzone *z, const struct change *c, struct overrides *o,
    uint32_t *gen, char *err, size_t errlen)
{
	const struct proxy_conf	*pc = zoned_proxy_conf(c->zone);
	struct stored_zone	 delta;
	struct store_header	 after;
	struct ixfr_info	 info;
	struct bowner		*bo = NULL;
	uint8_t			 soa[XFR_SOAMAX];
	size_t			 n = 0, soalen;
	uint32_t		 serial = builder_serial(z->kept), served;
	int			 rv = 0;

	memset(&delta, 0, sizeof(delta));
	memset(&after, 0, sizeof(after));
	if (c->delta != NULL) {
		serial = c->serial;
		if (store_load(c->zone, c->delta, &delta, err, errlen) == -1 ||
		    zone_stored(c->zone, &after, soa, &soalen) == -1)
			rv = -1;
		else if ((rv = ixfr_owners(z->kept, &delta, o, pc, &bo, &n,
		    &info, err, errlen)) == -1) {
			/* the kept zone is the stored one: the IXFR is bad */
			store_unload(&delta);
			return -1;
		} else if (rv == 0) {
			ixfr_log(c->zone, info.from, info.to, info.ndelta,
			    delta.src.nrr);
			after.records += info.records;
			after.bytes += info.bytes;
		}
	} else if (c->ownerlen > 0 && change_owner(z->kept, o, pc, c->owner,
	    c->ownerlen, &bo, &n) == -1) {
		snprintf(err, errlen, "the name has no transferred records "
		    "(or no memory for them)");
		rv = -1;
	}
	/* the owners' records point into delta: unloaded after the image */
	served = change_serial(c->zone, 1, builder_served(z->kept), serial);
	if (rv == 0)
		rv = change_image(z, c, &after, o, bo, n, serial, served, gen,
		    err, errlen);
	else
		rv = 1;
	bowners_free(bo, n);
	if (delta.map != NULL)
		store_unload(&delta);
	return rv;
}

/*
 * The records at owner after its override changed: its transferred ones
 * in the kept zone b, merged with o as merge_zone() does.  -1 when it has
 * none (the full build says why) or out of memory.
 */
static int
change_owner(struct builder *b, struct overrides *o,
    const struct proxy_conf *pc, const uint8_t *owner, size_t len,
    struct bowner **bo, size_t *n)
{
	const struct override	*v;
	struct zrr		*rrs, *out = NULL;
	size_t			 k;

	if (builder_owner(b, owner, len, &rrs, &k) == -1)
		return -1;
	k = merge_transferred(rrs, k);
	if (k == 0 || (out = calloc(k + pc->n4 + pc->n6,
	    sizeof(*out))) == NULL || (*bo = calloc(1, sizeof(**bo))) ==
	    NULL) {
		free(rrs);
		free(out);
		return -1;
	}
	v = over_find(o, owner, len);
	(*bo)->owner = owner;
	(*bo)->ownerlen = len;
	(*bo)->rrs = out;
	(*bo)->nrr = merge_owner(rrs, k, v != NULL && v->proxied, pc, out);
	*n = 1;
	free(rrs);
	return 0;
}

/* Free n owners' records (each its own allocation) and the array. */
void
bowners_free(struct bowner *bo, size_t n)
{
	size_t	 i;

	for (i = 0; bo != NULL && i < n; i++)
		free((void *)bo[i].rrs);
	free(bo);
}

/*
 * The image after the change of the owners ch by the kept zone, the
 * apex's records made again when its CNAME gives them others (n may be 0:
 * a change of the apex CNAME alone; none reached, the overlay changes the
 * header alone), an overlay committed with the zone and the overrides,
 * and handed to every serverd.  0, -1 and 1 as change_kept().
 */
static int
change_image(struct zzone *z, const struct change *c,
    const struct store_header *after, struct overrides *o,
    const struct bowner *ch, size_t n, uint32_t serial, uint32_t served,
    uint32_t *gen, char *err, size_t errlen)
{
	struct kept_change	 ak;
	uint8_t			*ovl = NULL;
	size_t			 len;
	off_t			 at;
	int			 rv;

	memset(&ak, 0, sizeof(ak));
	if (merge_kept(z->kept, o, zoned_proxy_conf(c->zone), ch, n,
	    &ak) == -1) {
		snprintf(err, errlen, "out of memory for the apex CNAME");
		return 1;
	}
	if ((rv = builder_update(z->kept, ak.ch, ak.n, serial, served, &ovl,
	    &len, err, errlen)) != 0) {
		merge_kept_free(&ak);
		if (err[0] == '\0')
			snprintf(err, errlen, "the image cannot be written");
		return 1;
	}
	if (change_commit(c, after, ovl, len, &at, err, errlen) == NULL) {
		/* what is on disk is not what the kept zone holds */
		builder_free(z->kept);
		z->kept = NULL;
		free(ovl);
		merge_kept_free(&ak);
		return -1;
	}
	free(ovl);
	n = ak.n;
	apex_merged(c->zone, &ak.ap);
	merge_kept_free(&ak);
	z->serial = serial;
	z->served = builder_served(z->kept);
	if (c->delta != NULL)
		z->records = after->records;
	z->reused = 0;
	log_info("zone %s: serving serial %u%s, %zu names changed%s",
	    c->zone, serial, change_serial_note(z), n,
	    c->ztmp || c->delta ? "" : c->o ? " (overrides changed)" : "");
	*gen = zoned_publish_overlay(c->zone, serial, at, len);
	if (builder_grown(z->kept))
		zone_fold(z);
	return 0;
}

/*
 * Build the zone in full: its records (c->ztmp, or the stored zone with
 * c->delta applied) merged with o, the image built and its builder kept,
 * then committed and handed to every serverd.  0, or -1 with err,
 * nothing committed.
 */
static int
change_full(const struct change *c, struct overrides *o, uint32_t *gen,
    char *err, size_t errlen)
{
	struct built	 b;

	if (change_full_build(c, o, &b, err, errlen) == -1)
		return -1;
	return change_full_serve(c, &b, gen, err, errlen);
}

/* change_full's build: NAME.img.tmp written (durably unless c->nosync). */
static int
change_full_build(const struct change *c, struct overrides *o,
    struct built *b, char *err, size_t errlen)
{
	struct merged		 m;
	struct image_header	 h;
	struct builder		*begun = NULL;
	int			 rv, keep, known;

	b->kept = NULL;
	/* an AXFR streamed (stream.c): its records and its build begun */
	if (c->stream != NULL) {
		stream_zone(c->stream, &b->sz, &begun);
		log_debug("zone %s: the AXFR held as it arrived, %s", c->zone,
		    begun != NULL ? "its names indexed" : "to build in full");
	} else if (store_zone(c->zone, c->ztmp, c->delta, &b->sz, err,
	    errlen) == -1)
		return -1;
	/*
	 * The serial served last: the stored image's, if any; of an image
	 * of another version (an upgrade), the serial it served, and
	 * another build (not the same records).
	 */
	known = zone_header(c->zone, &h) == 0;
	if (!known && ovl_served_prefix(c->zone, &h.served) == 0) {
		known = 1;
		h.serial = 0;
		h.content = 0;
	}
	rv = merge_zone(&b->sz.src, o, zoned_proxy_conf(c->zone), 1, &m, err,
	    errlen);
	if (rv == 0) {
		apex_merged(c->zone, &m.ap);
		m.src.tag = zoned_tag(c->zone);
		m.src.xfrout = change_xfrout(c->zone);
		m.src.content = merge_content(&m.src);
		/* the same records as the image served: the same serial */
		if (merge_signed(&m.src))
			m.src.served = m.src.serial;
		else if (known && h.content == m.src.content &&
		    h.serial == m.src.serial)
			m.src.served = h.served;
		else
			m.src.served = change_serial(c->zone, known, h.served,
			    m.src.serial);
		b->served = m.src.served;
		err[0] = '\0';
		keep = m.src.nrr >= ZONE_KEEP_MIN;
		rv = change_build(c->zone, &m.src, begun, !c->nosync,
		    keep ? &b->kept : NULL, err, errlen);
		begun = NULL;
		if (rv == 0 && keep && b->kept == NULL)
			log_info("zone %s: not kept in memory, each change "
			    "builds it in full: %s", c->zone, err);
	}
	if (rv == 0 && m.signedoff)
		log_warnx("zone %s: serial %u is signed: its %zu proxied "
		    "names and its apex CNAME are dormant, served as the "
		    "primary signed them", c->zone, b->sz.hdr.serial,
		    m.dormant);
	else if (rv == 0 && m.dormant > 0)
		log_info("zone %s: %zu proxied names dormant (no A, AAAA or "
		    "CNAME in serial %u)", c->zone, m.dormant,
		    b->sz.hdr.serial);
	merge_free(&m);
	builder_free(begun);
	if (rv == -1) {
		builder_free(b->kept);
		b->kept = NULL;
		store_unload(&b->sz);
	}
	return rv;
}

/* change_full's end: what b built committed and served, b emptied. */
static int
change_full_serve(const struct change *c, struct built *b, uint32_t *gen,
    char *err, size_t errlen)
{
	struct zzone	*z;

	if ((z = change_commit(c, &b->sz.hdr, NULL, 0, NULL, err,
	    errlen)) == NULL) {
		builder_free(b->kept);
		store_unload(&b->sz);
		return -1;
	}
	builder_free(z->kept);
	z->kept = b->kept;
	z->serial = b->sz.hdr.serial;
	z->served = b->served;
	z->records = b->sz.hdr.records;
	z->tag = zoned_tag(c->zone);
	z->reused = 0;
	log_info("zone %s: serving serial %u%s, %llu records%s", c->zone,
	    z->serial, change_serial_note(z),
	    (unsigned long long)b->sz.hdr.records,
	    c->ztmp || c->delta ? "" : c->o ? " (overrides changed)" :
	    " (stored)");
	store_unload(&b->sz);
	*gen = zoned_publish(c->zone, z->serial);
	return 0;
}

/*
 * The AXFRs c[0..n) (zoned/xfr.c), whose NAME.zone.tmp were written but
 * not synced, made together: each built in full, then one sync for every
 * file written (store_sync_files: on Linux one syncfs(2)), then each
 * committed and handed to every serverd, then one sync of the directory.
 * A zone's files are durable before their rename, as with one change; a
 * crash of the machine before the last sync may lose the renames of the
 * batch (the zones as they were before it, transferred again), a kill of
 * zoned loses nothing.  rv[i] (0, or -1 with err[i]) and gen[i] as
 * change_apply's.
 */
void
change_axfrs(struct change *c, size_t n, int *rv, uint32_t *gen,
    char (*err)[SECD_MSGLEN])
{
	struct overrides	 o;
	struct built		*b;
	const char		**paths;
	char			(*itmp)[PATH_MAX];
	size_t			 i, np = 0;

	if ((b = calloc(n, sizeof(*b))) == NULL ||
	    (paths = calloc(2 * n, sizeof(*paths))) == NULL ||
	    (itmp = calloc(n, sizeof(*itmp))) == NULL)
		fatal(NULL);
	for (i = 0; i < n; i++) {
		gen[i] = 0;
		err[i][0] = '\0';
		c[i].nosync = 1;
		rv[i] = over_load(c[i].zone, &o, err[i], sizeof(err[i]));
		if (rv[i] == 0) {
			rv[i] = change_full_build(&c[i], &o, &b[i], err[i],
			    sizeof(err[i]));
			over_free(&o);
		}
		if (rv[i] == 0 && store_path(c[i].zone, ".img.tmp", itmp[i],
		    sizeof(itmp[i])) == 0) {
			paths[np++] = c[i].ztmp;
			paths[np++] = itmp[i];
		}
	}
	if (store_sync_files(paths, np) == -1) {
		log_warn("sync of %zu new zone files", np);
		for (i = 0; i < n; i++)
			if (rv[i] == 0) {
				builder_free(b[i].kept);
				store_unload(&b[i].sz);
				unlink(itmp[i]);
				snprintf(err[i], sizeof(err[i]), "could not be "
				    "written to disk");
				rv[i] = -1;
			}
	}
	for (i = 0; i < n; i++)
		if (rv[i] == 0)
			rv[i] = change_full_serve(&c[i], &b[i], &gen[i], err[i],
			    sizeof(err[i]));
	if (store_sync_dir() == -1)
		log_warn("sync of the database directory");
	free(b);
	free(paths);
	free(itmp);
}

/*
 * Build the image of src (begun: its build begun, builder_build's, or
 * NULL) into NAME.img.tmp, durably if sync; its builder in *kept when
 * kept is not NULL.
 */
static int
change_build(const char *zone, struct zone_src *src, struct builder *begun,
    int sync, struct builder **kept, char *err, size_t errlen)
{
	char	 tmp[PATH_MAX];
	int	 fd;

	if (store_path(zone, ".img.tmp", tmp, sizeof(tmp)) == -1) {
		builder_free(begun);
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		builder_free(begun);
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (builder_build(src, begun, fd, kept, err, errlen) == -1) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (sync && fsync(fd) == -1) {
		snprintf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
		if (kept != NULL) {
			builder_free(*kept);
			*kept = NULL;
		}
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Commit what c made: the zone (an AXFR's c->ztmp renamed over NAME.zone,
 * whose journal goes; an IXFR appended to the journal), the overrides
 * (c->o), the image, in that order: the overlay ovl (len bytes) appended
 * to NAME.ovl at *at, or without one NAME.img.tmp, the new base.  The
 * zone served, created if new (its compaction planned when its journal
 * is due), or NULL.
 */
static struct zzone *
change_commit(const struct change *c, const struct store_header *after,
    const uint8_t *ovl, size_t len, off_t *at, char *err, size_t errlen)
{
	struct zzone	*z;
	char		 path[PATH_MAX];

	if (c->ztmp != NULL && (store_path(c->zone, ".zone", path,
	    sizeof(path)) == -1 || store_commit(c->ztmp, path,
	    !c->nosync) == -1)) {
		snprintf(err, errlen, "rename %s: %s", c->ztmp,
		    strerror(errno));
		return NULL;
	}
	/* left behind, the journal is stale: ignored, removed at start */
	if (c->ztmp != NULL && jnl_remove(c->zone) == -1)
		log_warn("zone %s: its journal after an AXFR", c->zone);
	if (c->ztmp == NULL && c->delta != NULL &&
	    jnl_append(c->zone, c->delta, after, err, errlen) == -1)
		return NULL;
	if (c->o != NULL && over_commit(c->zone, err, errlen) == -1)
		return NULL;
	if (ovl != NULL ? ovl_append(c->zone, ovl, len, at, err,
	    errlen) == -1 : change_commit_image(c->zone, !c->nosync, err,
	    errlen) == -1)
		return NULL;
	z = zone_add(c->zone);
	if (c->delta != NULL && jnl_due(c->zone))
		zone_compact(z);
	return z;
}

/*
 * NAME.img.tmp, the new base: NAME.ovl removed first, so that a kill
 * between the two leaves the old base without its overlays (older than
 * the zone and the overrides: built again at start), never overlays
 * over another base.
 */
static int
change_commit_image(const char *zone, int sync, char *err, size_t errlen)
{
	char	 tmp[PATH_MAX], path[PATH_MAX];

	if (store_path(zone, ".img.tmp", tmp, sizeof(tmp)) == -1 ||
	    store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    ovl_remove(zone) == -1 || store_commit(tmp, path, sync) == -1) {
		snprintf(err, errlen, "cannot commit the image: %s",
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * A zone served from its stored image gets its kept zone: the stored
 * records merged with NAME.over built again with the image's hash key.
 * The image is the same and nothing is written, unless the stored one
 * had grown by changes or has overlays (then a new base is committed and
 * served).
 */
void
change_keep(struct zzone *z)
{
	struct stored_zone	 sz;
	struct overrides	 o;
	struct merged		 m;
	struct stat		 st;
	struct builder		*kept = NULL;
	char			 path[PATH_MAX], tmp[PATH_MAX];
	char			 err[SECD_MSGLEN];
	void			*map = MAP_FAILED;
	int			 ifd = -1, tfd = -1, rv = -1;

	err[0] = '\0';
	if (over_load(z->name, &o, err, sizeof(err)) == -1)
		goto done;
	if (store_zone(z->name, NULL, NULL, &sz, err, sizeof(err)) == -1) {
		over_free(&o);
		goto done;
	}
	if (merge_zone(&sz.src, &o, zoned_proxy_conf(z->name), 1, &m, err,
	    sizeof(err)) == 0) {
		m.src.tag = zoned_tag(z->name);
		m.src.xfrout = change_xfrout(z->name);
		m.src.served = z->served;
		m.src.content = merge_content(&m.src);
		if (store_path(z->name, ".img", path, sizeof(path)) == 0 &&
		    store_path(z->name, ".img.tmp", tmp, sizeof(tmp)) == 0 &&
		    (ifd = open(path, O_RDONLY | O_CLOEXEC)) != -1 &&
		    fstat(ifd, &st) == 0 && (map = mmap(NULL, st.st_size,
		    PROT_READ, MAP_PRIVATE, ifd, 0)) != MAP_FAILED &&
		    (tfd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) != -1)
			/*
			 * Served with overlays: the image is not the base
			 * alone, compared by its header only, it differs and
			 * a compact base is written.
			 */
			rv = builder_rebuild(&m.src, map, z->ovls > 0 ?
			    sizeof(struct image_header) : (size_t)st.st_size,
			    ifd, tfd, &kept, err, sizeof(err));
	}
	merge_free(&m);
	store_unload(&sz);
	over_free(&o);
	if (map != MAP_FAILED)
		munmap(map, st.st_size);
	if (ifd != -1)
		close(ifd);
	if (rv == 1 && (fsync(tfd) == -1 ||
	    change_commit_image(z->name, 1, err, sizeof(err)) == -1)) {
		builder_free(kept);
		kept = NULL;
		rv = -1;
	}
	if (tfd != -1) {
		close(tfd);
		if (rv != 1)
			unlink(tmp);
	}
 done:
	if (rv == -1) {
		if (err[0] != '\0')
			log_warnx("zone %s: not kept in memory for its "
			    "changes: %s", z->name, err);
		return;
	}
	z->kept = kept;
	log_info("zone %s: kept in memory for its changes%s", z->name,
	    rv ? " (its image built again)" : "");
	if (rv) {
		z->reused = 0;
		z->ovls = 0;
		zoned_publish(z->name, z->serial);
	}
}

/*
 * Answer request id ("WHAT DONE") once every serverd serves the image of
 * generation gen of zone (gen 0: it was committed but could not be
 * handed to serverd; answered now).
 */
void
change_wait(struct imsgev *parent, uint32_t id, const char *zone,
    uint32_t gen, const char *what, const char *done)
{
	struct waiter	*w;

	if (gen == 0) {
		child_result(parent, id, 1, "zone %s: %s%s, stored but not "
		    "served yet (see the log)", zone, what, done);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		child_result(parent, id, 0, "%s%s (served soon)", what, done);
		return;
	}
	w->id = id;
	w->gen = gen;
	w->done = done;
	w->left = zoned_nserverd();
	strlcpy(w->zone, zone, sizeof(w->zone));
	strlcpy(w->what, what, sizeof(w->what));
	TAILQ_INSERT_TAIL(&waiters, w, entry);
}

/*
 * A serverd serves (ok) or refused the image of generation zim->gen: tell
 * who waits for it.  A reused image, or one the kept zone wrote, refused
 * is built again in full, once.
 */
void
change_served(struct imsgev *parent, const struct zone_image_msg *zim,
    int ok)
{
	struct change	 c;
	struct waiter	*w, *t;
	struct zzone	*z;
	char		 err[SECD_MSGLEN];
	uint32_t	 gen;

	TAILQ_FOREACH_SAFE(w, &waiters, entry, t) {
		if (w->gen != zim->gen || strcmp(w->zone, zim->zone) != 0)
			continue;
		if (!ok)
			w->refused++;
		if (--w->left > 0)
			continue;
		if (w->refused)
			child_result(parent, w->id, 1, "zone %s: %s%s, but "
			    "%d serverd refused the new image (see the log)",
			    w->zone, w->what, w->done, w->refused);
		else
			child_result(parent, w->id, 0, "%s%s", w->what,
			    w->done);
		TAILQ_REMOVE(&waiters, w, entry);
		free(w);
	}
	/* the last image handed, served by all: xfrd sends NOTIFY out */
	if ((z = zone_find(zim->zone)) != NULL && zim->gen == z->pubgen &&
	    z->publeft > 0) {
		if (!ok)
			z->publeft = 0;
		else if (--z->publeft == 0)
			change_tell_served(z);
	}
	if (ok || (z = zone_find(zim->zone)) == NULL ||
	    z->serial != zim->serial || (!z->reused && z->kept == NULL))
		return;
	if (z->reused)
		log_warnx("zone %s: the stored image was refused; building "
		    "it again", z->name);
	else {
		/* an image written by the kept zone: never again */
		log_warnx("zone %s: serial %u was refused; building it in "
		    "full", z->name, z->serial);
		builder_free(z->kept);
		z->kept = NULL;
	}
	z->reused = 0;
	memset(&c, 0, sizeof(c));
	c.zone = z->name;
	if (change_apply(&c, &gen, err, sizeof(err)) == -1)
		log_warnx("zone %s: stored data not usable: %s", z->name, err);
}

/*
 * The serial to serve after a change of zone (secd.conf(5) serial
 * policy), from the one served before (last, when known) and the
 * upstream serial: never behind last (RFC 1982), the upstream serial
 * (increment) or the time (unixtime) when it is ahead, else last + 1.
 * Without a last, the upstream serial.  With modulo R/M, the first from
 * there on that is R modulo M.
 */
static uint32_t
change_serial(const char *zone, int known, uint32_t last, uint32_t upstream)
{
	const struct zone_opts	*zo = zoned_opts(zone);
	uint32_t		 next = upstream;

	if (known && zo != NULL && zo->serial_policy == SERIAL_UNIXTIME)
		next = (uint32_t)time(NULL);
	if (known && (int32_t)(next - last) <= 0)
		next = last + 1;
	/* modulo R/M: the next serial of this signer's class */
	if (zo != NULL && zo->serial_mod_m != 0)
		while (next % zo->serial_mod_m != zo->serial_mod_r)
			next++;
	return next;
}

/* 1 if the zone is transferred out: its image has the names' records. */
static int
change_xfrout(const char *zone)
{
	const struct zone_opts	*zo = zoned_opts(zone);

	return zo != NULL && !TAILQ_EMPTY(&zo->xfrouts);
}

/* For the log: " (served as N)" when the served serial differs. */
static const char *
change_serial_note(const struct zzone *z)
{
	static char	 buf[32];

	if (z->served == z->serial)
		return "";
	snprintf(buf, sizeof(buf), " (served as %u)", z->served);
	return buf;
}

/* IMSG_ZONE_SERVED: every serverd serves z's last image. */
static void
change_tell_served(const struct zzone *z)
{
	struct zone_served_msg	 m;

	memset(&m, 0, sizeof(m));
	strlcpy(m.zone, z->name, sizeof(m.zone));
	m.serial = z->serial;
	m.served = z->served;
	if (iev_compose(zoned_xfrd(), IMSG_ZONE_SERVED, 0, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
}
