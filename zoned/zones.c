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
 * The zones zoned serves, and their life: at start and after a reload
 * each configured zone is served from what is stored (its image as it is
 * when it matches, else built again), xfrd is told what each has, and
 * then each zone served from its stored image gets its kept zone, one per
 * turn of the event loop (change_keep); a zone whose journal is due is
 * compacted (journal.c), one whose overlays grew folds them into a new
 * image (zones_tidy).  What xfrd needs of a served zone is read back
 * from the store (zone_info), and the time a zone was last found current
 * is stored beside it (zone_checked).
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "image.h"
#include "log.h"
#include "store.h"
#include "trim.h"
#include "storerec.h"
#include "zoned.h"

static const char *zone_key(const void *);

static TAILQ_HEAD(, zzone) zzones = TAILQ_HEAD_INITIALIZER(zzones);
static struct nametab	 zonetab = { NULL, 0, 0, zone_key };
static struct zzone	*keepnext;	/* where zones_keep goes on */
static const char	**loadv;	/* the zones zones_load walks */
static size_t		 nload, loadi;
/* what the walk found: served from images, built, nothing stored */
static size_t		 nreused, nbuilt, nempty;
static int		 startwalk;	/* the walk of the start */
static TAILQ_HEAD(, zzone) tidyq = TAILQ_HEAD_INITIALIZER(tidyq);
static struct event	 ev_keep, ev_tidy, ev_load;

/*
 * zones_load serves ZONES_LOAD_STEP zones a turn of the event loop, and
 * waits while a channel holds more than ZONES_LOAD_QUEUE messages: what
 * 100,000 zones would queue at once (an fd and an xfrd message each)
 * goes out as serverd and xfrd take it.
 */
#define ZONES_LOAD_STEP		256
#define ZONES_LOAD_QUEUE	1024

static int	zone_reuse(const char *, struct xfr_msg *);
static int	zone_head(int, struct store_header *, uint8_t *, size_t *);
static void	zone_head_jnl(struct store_header *, const struct jnl_entry *);
static int	zone_info_of(const char *, struct xfr_msg *,
		    struct store_header *, size_t, const struct image_header *);
static void	zones_keep(int, short, void *);
static void	zones_load_list(struct secd_conf *);
static void	zones_load_step(int, short, void *);
static void	zone_load(const char *);
static void	zones_tidy(int, short, void *);
static void	zones_tidy_plan(struct zzone *);

void
zones_init(void)
{
	evtimer_set(&ev_keep, zones_keep, NULL);
	evtimer_set(&ev_tidy, zones_tidy, NULL);
	evtimer_set(&ev_load, zones_load_step, NULL);
}

/* Forget every zone (their kept zones freed): tests start afresh. */
void
zones_clear(void)
{
	struct zzone	*z;

	while ((z = TAILQ_FIRST(&tidyq)) != NULL) {
		TAILQ_REMOVE(&tidyq, z, tidyentry);
		z->tidy = 0;
	}
	while ((z = TAILQ_FIRST(&zzones)) != NULL) {
		TAILQ_REMOVE(&zzones, z, entry);
		builder_free(z->kept);
		free(z);
	}
	nametab_free(&zonetab);
	keepnext = NULL;
}

static const char *
zone_key(const void *z)
{
	return ((const struct zzone *)z)->name;
}

struct zzone *
zone_find(const char *zone)
{
	return nametab_find(&zonetab, zone);
}

/* The zone served, added when new. */
struct zzone *
zone_add(const char *zone)
{
	struct zzone	*z;

	if ((z = zone_find(zone)) != NULL)
		return z;
	if ((z = calloc(1, sizeof(*z) + strlen(zone) + 1)) == NULL)
		fatal(NULL);
	memcpy(z->name, zone, strlen(zone) + 1);
	if (nametab_add(&zonetab, z) == -1)
		fatal(NULL);
	TAILQ_INSERT_TAIL(&zzones, z, entry);
	return z;
}

/* The kept zone of zone, or NULL. */
struct builder *
zone_kept(const char *zone)
{
	struct zzone	*z;

	return (z = zone_find(zone)) != NULL ? z->kept : NULL;
}

/*
 * Serve what is stored for every configured zone that is not served yet,
 * at start, and tell xfrd what each zone has: its serial and timers, or
 * nothing (ok 0) so that it transfers the zone.  A walk of the zones,
 * ZONES_LOAD_STEP a turn.
 */
void
zones_load(void)
{
	startwalk = 1;
	zones_load_list(NULL);
}

/*
 * After a reload, the same for the zones it adds, and a served zone
 * whose proxy set changed built again: the others are served, or waited
 * for, as they were, and xfrd knows them.  A reload in the middle of a
 * walk starts a walk of the new configuration.
 */
void
zones_reload(void)
{
	zones_load_list(zoned_prevconf());
}

/*
 * A zone no longer configured: forgotten, its kept zone freed.  Its
 * files stay: configured again, it is served from them as at start.
 */
static void
zone_forget(struct zzone *z)
{
	if (z->tidy) {
		TAILQ_REMOVE(&tidyq, z, tidyentry);
		z->tidy = 0;
	}
	if (keepnext == z)
		keepnext = TAILQ_NEXT(z, entry);
	nametab_del(&zonetab, z);
	TAILQ_REMOVE(&zzones, z, entry);
	builder_free(z->kept);
	free(z);
}

/*
 * The walk of the zones of the configuration not in old (NULL: all);
 * with old, those it no longer has forgotten first.
 */
static void
zones_load_list(struct secd_conf *old)
{
	struct zone_conf	*zc;
	struct zzone		*z, *t;
	size_t			 n = 0;

	if (old != NULL)
		TAILQ_FOREACH_SAFE(z, &zzones, entry, t)
			if (!zoned_configured(z->name))
				zone_forget(z);
	evtimer_del(&ev_load);
	/* a walk not done: every zone again, what it had left too */
	if (loadv != NULL)
		old = NULL;
	TAILQ_FOREACH(zc, &zoned_conf()->zones, entry)
		n++;
	free(loadv);
	if ((loadv = calloc(n + 1, sizeof(*loadv))) == NULL)
		fatal(NULL);
	nload = loadi = 0;
	TAILQ_FOREACH(zc, &zoned_conf()->zones, entry)
		if (old == NULL || config_zone(old, zc->name) == NULL ||
		    ((z = zone_find(zc->name)) != NULL &&
		    z->tag != zoned_tag(zc->name)))
			loadv[nload++] = zc->name;
	zones_load_step(0, 0, NULL);
}

static void
zones_load_step(int fd, short event, void *arg)
{
	struct timeval	 now = { 0, 0 }, wait = { 0, 1000 };
	int		 n;

	if (zoned_backlog() > ZONES_LOAD_QUEUE) {
		evtimer_add(&ev_load, &wait);
		return;
	}
	for (n = 0; loadi < nload && n < ZONES_LOAD_STEP; n++)
		zone_load(loadv[loadi++]);
	if (loadi < nload) {
		evtimer_add(&ev_load, &now);
		return;
	}
	free(loadv);
	loadv = NULL;
	/* one line, not one a zone: a start of 100,000 zones */
	log_info("%zu zone%s loaded: %zu served from their stored images, "
	    "%zu built again, %zu waiting for a transfer", nload,
	    nload == 1 ? "" : "s", nreused, nbuilt, nempty);
	nload = loadi = 0;
	nreused = nbuilt = nempty = 0;
	/* the catalogs secd produces, of the zones now configured */
	produce_all();
	/* each serverd tells the parent once it serves them (secd ready) */
	if (startwalk) {
		startwalk = 0;
		zoned_loaded();
	}
	keepnext = TAILQ_FIRST(&zzones);
	evtimer_add(&ev_keep, &now);
	trim_later();
}

/* One zone of zones_load. */
static void
zone_load(const char *zone)
{
	struct zzone		*z;
	struct change		 c;
	struct xfr_msg		 m;
	char			 err[SECD_MSGLEN];
	uint32_t		 gen;
	int			 rv = -2;

	memset(&c, 0, sizeof(c));
	c.zone = zone;
	memset(&m, 0, sizeof(m));
	strlcpy(m.zone, zone, sizeof(m.zone));
	m.kind = XFR_STORED;
	if ((z = zone_find(zone)) != NULL && z->tag != zoned_tag(zone)) {
		log_info("zone %s: its proxy set changed; building it again",
		    zone);
		if (change_apply(&c, &gen, err, sizeof(err)) == -1)
			log_warnx("zone %s: not built again: %s", zone, err);
	}
	/* served from its stored image: what it read is what xfrd needs */
	if (z == NULL && (rv = zone_reuse(zone, &m)) == 0) {
		m.ok = 1;
		nreused++;
	} else {
		if (z == NULL && rv == -1 &&
		    change_apply(&c, &gen, err, sizeof(err)) == -1)
			log_warnx("zone %s: stored data not usable: %s; "
			    "waiting for a transfer", zone, err);
		/* a journal left due by a kill before its compaction */
		if ((z = zone_find(zone)) != NULL && jnl_due(zone))
			zone_compact(z);
		if (zone_find(zone) != NULL && zone_info(zone, &m) == 0)
			m.ok = 1;
		if (m.ok)
			nbuilt++;
		else
			nempty++;
	}
	m.gen = zoned_conf()->gen;
	if (iev_compose(zoned_xfrd(), IMSG_ZONE_LOADED, 0, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
	/* a kill between a catalog's new serial and its member file */
	if (m.ok && catalog_is(zone) && catalog_due(zone, m.serial))
		catalog_update(zone);
}

/*
 * Once the stored images are served: each zone served from one, one per
 * turn of the event loop, gets its kept zone, so that its first change
 * is not a full build.
 */
static void
zones_keep(int fd, short event, void *arg)
{
	struct timeval	 tv = { 0, 0 };
	struct zzone	*z;

	/* zones are only appended: the walk goes on where it stopped */
	for (z = keepnext; z != NULL; z = TAILQ_NEXT(z, entry))
		if (!z->keeptried && z->reused && z->kept == NULL)
			break;
	if ((keepnext = z) == NULL) {
		trim_later();	/* the builds' scratch */
		return;
	}
	keepnext = TAILQ_NEXT(z, entry);
	z->keeptried = 1;
	evtimer_add(&ev_keep, &tv);
	if (zoned_configured(z->name))
		change_keep(z);
}

/*
 * Plan the compaction of z's journal: a second later, so that the image
 * of the change that made it due reaches every serverd first.
 */
void
zone_compact(struct zzone *z)
{
	z->compact = 1;
	zones_tidy_plan(z);
}

/*
 * Plan the fold of z's overlays into a new base (its image grew by an
 * eighth since its full build): a second later, as a compaction.
 */
void
zone_fold(struct zzone *z)
{
	z->fold = 1;
	zones_tidy_plan(z);
}

/* z joins the zones to tidy, a second from now at the earliest. */
static void
zones_tidy_plan(struct zzone *z)
{
	struct timeval	 tv = { 1, 0 };

	if (!z->tidy) {
		z->tidy = 1;
		TAILQ_INSERT_TAIL(&tidyq, z, tidyentry);
	}
	if (!evtimer_pending(&ev_tidy, NULL))
		evtimer_add(&ev_tidy, &tv);
}

/*
 * One zone's journal compacted or overlays folded per turn of the event
 * loop, in the background of the changes: a change that comes meanwhile
 * waits one of them at most.  A fold is the stored zone built again in
 * full (change_apply with nothing changed): a new base, NAME.ovl gone,
 * the same data served.
 */
static void
zones_tidy(int fd, short event, void *arg)
{
	struct timeval	 tv = { 0, 0 };
	struct change	 c;
	struct zzone	*z;
	char		 err[SECD_MSGLEN];
	uint32_t	 gen;

	if ((z = TAILQ_FIRST(&tidyq)) == NULL)
		return;
	evtimer_add(&ev_tidy, &tv);
	if (!zoned_configured(z->name))
		z->compact = z->fold = 0;
	/* its compaction first, its fold the next turn */
	if (!z->compact || !z->fold) {
		TAILQ_REMOVE(&tidyq, z, tidyentry);
		z->tidy = 0;
	}
	if (z->compact) {
		z->compact = 0;
		if (!jnl_due(z->name))
			return;
		if (jnl_compact(z->name, err, sizeof(err)) == -1)
			log_warnx("zone %s: journal not compacted: %s; it goes "
			    "on growing until the next change tries again",
			    z->name, err);
		else
			log_info("zone %s: journal compacted into the stored "
			    "zone", z->name);
		return;
	}
	z->fold = 0;
	if (z->kept == NULL || !builder_grown(z->kept))
		return;
	memset(&c, 0, sizeof(c));
	c.zone = z->name;
	if (change_apply(&c, &gen, err, sizeof(err)) == -1)
		log_warnx("zone %s: overlays not folded into a new image: %s; "
		    "the next change builds it in full", z->name, err);
	else
		log_info("zone %s: its overlays folded into a new image",
		    c.zone);
}

/*
 * At start, serve NAME.img with the overlays of NAME.ovl as they are when
 * they were built from the stored zone: the serial of NAME.zone with its
 * journal applied is the last overlay's, the image written after the
 * overrides and, when an AXFR wrote NAME.zone, after it; every overlay
 * whole.  An image is committed after its zone and overrides, so a crash
 * between them leaves an older image, which this refuses; so it does an
 * overlay cut short.  Then the zone is built again.  After an AXFR, a
 * serial only changes by an IXFR, each to a new serial (ixfr.c), so the
 * serial alone tells an image of the journal's last entry, or of a
 * NAME.zone a compaction wrote (kind XFR_IXFR), from an older one; a
 * full build's image is written before the entry is appended, so their
 * mtimes tell nothing.  The image is checked once, by each serverd as it
 * maps the base (image_check reads every byte) and applies each overlay;
 * a serverd that refuses it says so and the zone is built again
 * (change_served).  -2 when nothing is stored (no NAME.zone), -1 when it
 * is not served so, 0 when it is, m then what xfrd needs (zone_info).
 */
static int
zone_reuse(const char *zone, struct xfr_msg *m)
{
	char			 zpath[PATH_MAX], ipath[PATH_MAX];
	char			 opath[PATH_MAX];
	struct image_header	 h;
	struct store_header	 sh;
	struct jnl_entry	 last;
	struct stat		 zst, ist, ost;
	struct ovl_list		 ol;
	struct timespec		 mtim;
	struct zzone		*z;
	size_t			 soalen = 0, i;
	uint32_t		 serial, bserial;
	int			 fd, ok, n, hasover;

	if (store_path(zone, ".zone", zpath, sizeof(zpath)) == -1 ||
	    store_path(zone, ".img", ipath, sizeof(ipath)) == -1 ||
	    store_path(zone, ".over", opath, sizeof(opath)) == -1)
		return -1;
	if ((fd = open(zpath, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? -2 : -1;
	ok = fstat(fd, &zst) == 0 &&
	    zone_head(fd, &sh, m->soa, &soalen) == 0 &&
	    store_header_ok(&sh, zst.st_size) == 0;
	close(fd);
	if (!ok)
		return -1;
	if ((n = jnl_tail(zone, &sh, &last, m->soa, sizeof(m->soa),
	    &soalen)) == -1 || (fd = open(ipath, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	serial = n > 0 ? last.to : sh.serial;
	ok = fstat(fd, &ist) == 0 && ist.st_size >= (off_t)sizeof(h) &&
	    ist.st_size <= UINT32_MAX &&
	    pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    memcmp(h.magic, IMAGE_MAGIC, sizeof(h.magic)) == 0 &&
	    h.version == IMAGE_VERSION && h.bom == IMAGE_BOM &&
	    h.size == ist.st_size;
	bserial = h.serial;
	if (!ok || ovl_load(zone, &h, &ol) == -1) {
		close(fd);
		return -1;
	}
	mtim = ol.n > 0 ? ol.mtim : ist.st_mtim;
	hasover = stat(opath, &ost) == 0;
	ok = !ol.bad && (sh.kind == XFR_IXFR ||
	    !timespeccmp(&mtim, &zst.st_mtim, <)) &&
	    !(hasover && timespeccmp(&mtim, &ost.st_mtim, <)) &&
	    h.tag == zoned_tag(zone) && h.serial == serial;
	/* without overrides there is no apex CNAME to resolve */
	if (!ok || (hasover && apex_reused(zone) == -1)) {
		close(fd);
		ovl_free(&ol);
		return -1;
	}
	z = zone_add(zone);
	z->serial = h.serial;
	z->served = h.served;
	z->records = sh.records;
	z->tag = zoned_tag(zone);
	z->reused = 1;
	z->ovls = ol.n;
	/* a small zone is not kept (ZONE_KEEP_MIN); overlays are folded */
	z->keeptried = sh.records < ZONE_KEEP_MIN && ol.n == 0;
	/* debug: a start of 100,000 zones says it in one line */
	if (ol.n > 0)
		log_debug("zone %s: serving serial %u (stored image, %zu "
		    "overlays)", zone, h.serial, ol.n);
	else
		log_debug("zone %s: serving serial %u (stored image)", zone,
		    h.serial);
	zoned_publish_fd(zone, bserial, fd);
	for (i = 0; i < ol.n; i++)
		zoned_publish_overlay(zone, ol.v[i].serial, ol.v[i].at,
		    ol.v[i].len);
	ovl_free(&ol);
	/* a journal left due by a kill before its compaction */
	if (n > 0 && jnl_due(zone))
		zone_compact(z);
	if (n > 0)
		zone_head_jnl(&sh, &last);
	return zone_info_of(zone, m, &sh, soalen, &h);
}

/*
 * The header of the stored image: NAME.img's, or its last overlay's; a
 * kept zone's holds it (the overlays are not read again).
 */
int
zone_header(const char *zone, struct image_header *h)
{
	struct builder	*b;
	struct ovl_list	 ol;
	char		 path[PATH_MAX];
	int		 fd, ok;

	if ((b = zone_kept(zone)) != NULL) {
		builder_header(b, h);
		return 0;
	}
	if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	ok = pread(fd, h, sizeof(*h), 0) == (ssize_t)sizeof(*h) &&
	    memcmp(h->magic, IMAGE_MAGIC, sizeof(h->magic)) == 0 &&
	    h->version == IMAGE_VERSION;
	close(fd);
	if (!ok || ovl_load(zone, h, &ol) == -1)
		return -1;
	ovl_free(&ol);
	return 0;
}

/*
 * The stored zone's header and SOA (rdata, up to XFR_SOAMAX bytes, in
 * soa): NAME.zone's, its first record (store.h), or when it has a
 * journal, as its last entry leaves them.  0, or -1.
 */
int
zone_stored(const char *zone, struct store_header *h, uint8_t *soa,
    size_t *soalen)
{
	struct jnl_entry	 last;
	char			 path[PATH_MAX];
	int			 fd, nj, rv;

	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rv = zone_head(fd, h, soa, soalen);
	close(fd);
	if (rv == -1)
		return -1;
	if ((nj = jnl_tail(zone, h, &last, soa, XFR_SOAMAX, soalen)) <= 0)
		return nj;
	zone_head_jnl(h, &last);
	return 0;
}

/*
 * The header of NAME.zone open as fd and its SOA (rdata, up to
 * XFR_SOAMAX bytes, in soa), its first record (store.h).  0, or -1.
 */
static int
zone_head(int fd, struct store_header *h, uint8_t *soa, size_t *soalen)
{
	struct storerec		 sr;
	struct wire		 w;
	uint8_t			 buf[STOREREC_FIXED + DNS_MAXNAME + XFR_SOAMAX];
	ssize_t			 n;

	if (pread(fd, h, sizeof(*h), 0) != (ssize_t)sizeof(*h) ||
	    (n = pread(fd, buf, sizeof(buf), sizeof(*h))) <= 0)
		return -1;
	wire_init(&w, buf, n);
	if (storerec_get(&w, &sr) == -1 || sr.type != DNS_T_SOA ||
	    sr.rdlen > XFR_SOAMAX)
		return -1;
	memcpy(soa, sr.rdata, sr.rdlen);
	*soalen = sr.rdlen;
	return 0;
}

/* The header as the journal's last entry leaves it. */
static void
zone_head_jnl(struct store_header *h, const struct jnl_entry *last)
{
	h->serial = last->to;
	h->when = last->when;
	h->records = last->records;
	h->bytes = last->bytes;
	h->stored = last->stored;
	memcpy(h->primary, last->primary, sizeof(h->primary));
}

/*
 * What xfrd needs of the served zone: the serial, the SOA and its timers
 * (the first record of NAME.zone, see store.h, or the SOA the last entry
 * of its journal adds), the time of the stored transfer and of the last
 * successful check (NAME.check, or the time the zone was stored), and
 * whether its image is signed, with the earliest RRSIG expiration
 * (NAME.img's header).
 */
int
zone_info(const char *zone, struct xfr_msg *m)
{
	struct store_header	 h;
	struct image_header	 ih;
	size_t			 soalen;

	if (zone_stored(zone, &h, m->soa, &soalen) == -1)
		return -1;
	return zone_info_of(zone, m, &h, soalen,
	    zone_header(zone, &ih) == 0 ? &ih : NULL);
}

/*
 * zone_info from the stored zone's header h (its journal applied), its
 * SOA (soalen bytes in m->soa) and the image's header ih (or NULL).
 */
static int
zone_info_of(const char *zone, struct xfr_msg *m, struct store_header *h,
    size_t soalen, const struct image_header *ih)
{
	struct dns_soa		 soa;
	char			 path[PATH_MAX], line[64];
	long long		 t;
	FILE			*f;

	if (dns_soa_parse(m->soa, soalen, &soa) == -1)
		return -1;
	m->serial = h->serial;
	m->served = ih != NULL && ih->serial == h->serial ? ih->served :
	    h->serial;
	m->refresh = soa.refresh;
	m->retry = soa.retry;
	m->expire = soa.expire;
	m->soalen = soalen;
	m->when = h->when;
	m->records = h->records;
	m->bytes = h->bytes;
	h->primary[sizeof(h->primary) - 1] = '\0';
	strlcpy(m->primary, h->primary, sizeof(m->primary));
	m->checked = h->stored;
	if (store_path(zone, ".check", path, sizeof(path)) == 0 &&
	    (f = fopen(path, "re")) != NULL) {
		if (fgets(line, sizeof(line), f) != NULL &&
		    sscanf(line, "checked %lld", &t) == 1 && t > m->checked &&
		    t <= time(NULL))
			m->checked = t;
		fclose(f);
	}
	/* the served image's DNSSEC summary: its builder found it */
	if (ih != NULL && ih->serial == h->serial &&
	    (ih->flags & IMG_Z_SIGNED)) {
		m->dnssec = 1;
		m->sig_expire = ih->sig_expire;
		m->sig_missing = ih->sig_missing;
		m->chain_breaks = ih->chain_breaks;
	}
	return 0;
}

/*
 * IMSG_ZONE_CHECKED: NAME.check, one line "checked TIME serial SERIAL",
 * replaced whole (not synced: losing it makes an expiry come early, not
 * late).
 */
void
zone_checked(struct imsg *imsg)
{
	struct zone_check_msg	 cm;
	char			 tmp[PATH_MAX], path[PATH_MAX];
	FILE			*f;
	int			 fd;

	if (imsg_get_data(imsg, &cm, sizeof(cm)) == -1 ||
	    memchr(cm.zone, '\0', sizeof(cm.zone)) == NULL)
		fatalx("xfrd: bad IMSG_ZONE_CHECKED");
	if (!zoned_configured(cm.zone) ||
	    store_path(cm.zone, ".check.tmp", tmp, sizeof(tmp)) == -1 ||
	    store_path(cm.zone, ".check", path, sizeof(path)) == -1)
		return;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		log_warn("zone %s: %s", cm.zone, tmp);
		if (fd != -1)
			close(fd);
		return;
	}
	fprintf(f, "checked %lld serial %u\n", (long long)cm.checked,
	    cm.serial);
	if (fclose(f) == EOF || rename(tmp, path) == -1) {
		log_warn("zone %s: %s", cm.zone, path);
		unlink(tmp);
	}
}
