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
 * zoned: keeps the transferred zones, the overrides and the apex CNAMEs in
 * its directory and builds the database images serverd maps.  Chrooted into
 * that directory; no network.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builder.h"
#include "child.h"
#include "config.h"
#include "denial.h"
#include "dns.h"
#include "fnv.h"
#include "image.h"
#include "log.h"
#include "proc.h"
#include "sandbox.h"
#include "sealed.h"
#include "secd.h"
#include "store.h"
#include "storerec.h"
#include "zoned.h"

static void	zoned_dispatch_xfrd(int, short, void *);
static void	zoned_xfrd_imsg(struct imsg *);
static void	zoned_checked(struct imsg *);
static void	zoned_load_all(void);
static int	zoned_build(const char *, struct zone_src *, struct builder **,
		    char *, size_t);
static uint32_t	zoned_publish(const char *, uint32_t);
static int	zoned_commit_image(const char *, char *, size_t);
static struct zzone *zoned_commit(const char *, const char *,
		    struct overrides *, char *, size_t);
static int	zoned_reuse(const char *);
static void	zoned_dispatch_serverd(int, short, void *);
static void	zoned_serverd_imsg(struct imsg *);
static struct zzone *zoned_served(const char *);
static int	zoned_parent_imsg(struct imsg *);
static void	zoned_warm(int, short, void *);
static int	zoned_warm_build(struct zzone *, struct builder **, char *,
		    size_t);

/* A zone zoned serves: an image was handed to the serverd processes. */
struct zzone {
	TAILQ_ENTRY(zzone)	 entry;
	char			 name[SECD_NAMESTRLEN];
	uint32_t		 serial;
	uint32_t		 tag;		/* zoned_tag() it was built with */
	int			 reused;	/* the stored image, unchecked */
	int			 warmed;	/* zoned_warm() has seen it */
	struct builder		*live;		/* kept by the last full build */
};

static TAILQ_HEAD(, zzone) zzones = TAILQ_HEAD_INITIALIZER(zzones);

static struct child_env	 env;
static struct event	 ev_warm;
static struct imsgev	 iev_parent;
static struct imsgev	 iev_xfrd;
static struct imsgev	*iev_serverd;

void
zoned_main(int instance, int debug, int verbose)
{
	struct zone_conf	*zc;
	int			 i;

	child_setup(&env, PROC_ZONED, instance, debug, verbose);
	if (env.xfrd_fd == -1)
		fatalx("no channel to xfrd");
	event_init();
	/* the NSEC3 hashes of a signed zone's names (zoned/proof.c) */
	if (denial_init() == -1)
		fatalx("libcrypto: cannot load SHA-1 (see openssl.cnf and "
		    "OPENSSL_CONF)");
	if (env.privsep) {
		child_drop(&env, env.conf->database);
		sandbox_unveil("/", "rwc");
	} else {
		child_drop(&env, NULL);
		if (chdir(env.conf->database) == -1)
			fatal("chdir %s", env.conf->database);
		sandbox_unveil(env.conf->database, "rwc");
	}
	sandbox_pledge("stdio rpath wpath cpath sendfd");

	child_events(&env, &iev_parent);
	env.reconf = zoned_load_all;
	env.parent_imsg = zoned_parent_imsg;
	iev_init(&iev_xfrd, env.xfrd_fd, zoned_dispatch_xfrd, NULL);
	iev_add(&iev_xfrd);
	if ((iev_serverd = calloc(env.nserverd, sizeof(*iev_serverd))) == NULL)
		fatal(NULL);
	for (i = 0; i < env.nserverd; i++) {
		iev_init(&iev_serverd[i], env.serverd_fd[i],
		    zoned_dispatch_serverd, NULL);
		iev_add(&iev_serverd[i]);
	}
	child_ready(&iev_parent, &env);
	log_debug("started, database %s", env.conf->database);
	evtimer_set(&ev_warm, zoned_warm, NULL);
	TAILQ_FOREACH(zc, &env.conf->zones, entry)
		store_sweep(zc->name);
	zoned_load_all();
	event_dispatch();
	exit(0);
}

struct imsgev *
zoned_xfrd(void)
{
	return &iev_xfrd;
}

int
zoned_configured(const char *zone)
{
	return config_zone(env.conf, zone) != NULL;
}

const struct zone_conf *
zoned_zone_conf(const char *zone)
{
	return config_zone(env.conf, zone);
}

int
zoned_nserverd(void)
{
	return env.nserverd;
}

/*
 * The image tag of zone: a hash of its proxy set, which the image was
 * built with; an image with another tag is built again (at start, after a
 * reload).
 */
uint32_t
zoned_tag(const char *zone)
{
	const struct proxy_conf	*pc = zoned_proxy_conf(zone);
	uint32_t		 h = FNV_BASIS;

	h = fnv_add(h, &pc->ttl, sizeof(pc->ttl));
	h = fnv_add(h, pc->v4, pc->n4 * sizeof(pc->v4[0]));
	h = fnv_add(h, &pc->n4, sizeof(pc->n4));
	return fnv_add(h, pc->v6, pc->n6 * sizeof(pc->v6[0]));
}

/* The proxy set of zone: its own proxy {}, else the global one. */
const struct proxy_conf *
zoned_proxy_conf(const char *zone)
{
	struct zone_conf	*zc;

	if ((zc = config_zone(env.conf, zone)) != NULL && zc->has_proxy)
		return &zc->proxy;
	return &env.conf->proxy;
}

static int
zoned_parent_imsg(struct imsg *imsg)
{
	struct ctl_request	 req;

	if (imsg->hdr.type != IMSG_CTL_REQUEST)
		return 0;
	child_request(imsg, &req);
	if (req.verb == CTL_SHOW_ZONE)
		zoned_show_zone(&iev_parent, imsg->hdr.peerid, req.zone,
		    req.name);
	else if (req.verb == CTL_PROXY)
		zoned_proxy(&iev_parent, imsg->hdr.peerid, &req);
	else if (req.verb == CTL_AUDIT)
		zoned_audit(&iev_parent, imsg->hdr.peerid, req.zone);
	else if (req.verb == CTL_APEX_CNAME || req.verb == CTL_APEX_CLEAR)
		zoned_apex(&iev_parent, imsg->hdr.peerid, &req);
	else
		child_result(&iev_parent, imsg->hdr.peerid, 1,
		    "request %d is not for zoned", req.verb);
	return 1;
}

static void
zoned_dispatch_xfrd(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "xfrd", zoned_xfrd_imsg);
}

static void
zoned_xfrd_imsg(struct imsg *imsg)
{
	if (imsg->hdr.type == IMSG_ZONE_CHECKED)
		zoned_checked(imsg);
	else if (imsg->hdr.type == IMSG_APEX_RESOLVED)
		apex_resolved(&iev_parent, imsg);
	else
		zxfr_imsg(imsg);
}

/*
 * Serve what is stored for every configured zone that is not served yet,
 * at start and after a reload, and tell xfrd what each zone has: its
 * serial and timers, or nothing (ok 0) so that it transfers the zone.
 */
static void
zoned_load_all(void)
{
	struct zone_conf	*zc;
	struct zzone		*z;
	struct xfr_msg		 m;
	struct timeval		 tv = { 0, 0 };
	char			 path[PATH_MAX], err[SECD_MSGLEN];
	struct stat		 st;
	int			 served;

	TAILQ_FOREACH(zc, &env.conf->zones, entry) {
		if ((z = zoned_served(zc->name)) != NULL &&
		    z->tag != zoned_tag(zc->name)) {
			log_info("zone %s: its proxy set changed; building "
			    "it again", zc->name);
			if (zoned_install(zc->name, NULL, err,
			    sizeof(err)) == -1)
				log_warnx("zone %s: not built again: %s",
				    zc->name, err);
		}
		served = z != NULL;
		if (!served && store_path(zc->name, ".zone", path,
		    sizeof(path)) == 0 && stat(path, &st) == 0 &&
		    zoned_reuse(zc->name) == -1 &&
		    zoned_install(zc->name, NULL, err, sizeof(err)) == -1)
			log_warnx("zone %s: stored data not usable: %s; "
			    "waiting for a transfer", zc->name, err);
		memset(&m, 0, sizeof(m));
		strlcpy(m.zone, zc->name, sizeof(m.zone));
		m.kind = XFR_STORED;
		if (zoned_served(zc->name) != NULL &&
		    zoned_info(zc->name, &m) == 0)
			m.ok = 1;
		if (iev_compose(&iev_xfrd, IMSG_ZONE_LOADED, 0, 0, -1, &m,
		    sizeof(m)) == -1)
			fatal("%s", __func__);
	}
	evtimer_add(&ev_warm, &tv);
}

/*
 * Once the stored images are served: each zone served from one, one per
 * turn of the event loop, is built again with its image's hash key, so
 * that the builder is kept (update.c) and its first change is not a full
 * build.  The image is the same and nothing is written, unless the
 * stored one had grown by changes (then the new one is served).
 */
static void
zoned_warm(int fd, short event, void *arg)
{
	struct timeval	 tv = { 0, 0 };
	struct builder	*live = NULL;
	struct zzone	*z;
	char		 err[SECD_MSGLEN];
	int		 rv;

	TAILQ_FOREACH(z, &zzones, entry)
		if (!z->warmed && z->reused && z->live == NULL)
			break;
	if (z == NULL)
		return;
	z->warmed = 1;
	evtimer_add(&ev_warm, &tv);
	err[0] = '\0';
	if ((rv = zoned_warm_build(z, &live, err, sizeof(err))) == -1) {
		if (err[0] != '\0')
			log_warnx("zone %s: not kept in memory for its "
			    "changes: %s", z->name, err);
		return;
	}
	z->live = live;
	log_info("zone %s: kept in memory for its changes%s", z->name,
	    rv ? " (its image built again)" : "");
	if (rv) {
		z->reused = 0;
		zoned_publish(z->name, z->serial);
	}
}

/* zoned_warm() for z: 0 same image, 1 a new one committed, -1 neither. */
static int
zoned_warm_build(struct zzone *z, struct builder **live, char *err,
    size_t errlen)
{
	struct stored_zone	 sz;
	struct overrides	 o;
	struct merged		 m;
	struct stat		 st;
	char			 path[PATH_MAX], tmp[PATH_MAX];
	void			*map = MAP_FAILED;
	int			 ifd = -1, tfd = -1, rv = -1;

	if (!zoned_configured(z->name) ||
	    over_load(z->name, &o, err, errlen) == -1)
		return -1;
	if (zoned_load(z->name, NULL, &sz, err, errlen) == -1) {
		over_free(&o);
		return -1;
	}
	if (over_merge(&sz.src, &o, zoned_proxy_conf(z->name), 1, &m, err,
	    errlen) == 0) {
		m.src.tag = zoned_tag(z->name);
		if (store_path(z->name, ".img", path, sizeof(path)) == 0 &&
		    store_path(z->name, ".img.tmp", tmp, sizeof(tmp)) == 0 &&
		    (ifd = open(path, O_RDONLY | O_CLOEXEC)) != -1 &&
		    fstat(ifd, &st) == 0 && (map = mmap(NULL, st.st_size,
		    PROT_READ, MAP_PRIVATE, ifd, 0)) != MAP_FAILED &&
		    (tfd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600)) != -1)
			rv = builder_rebuild(&m.src, map, st.st_size, tfd,
			    live, err, errlen);
	}
	over_merged_free(&m);
	store_unload(&sz);
	over_free(&o);
	if (map != MAP_FAILED)
		munmap(map, st.st_size);
	if (ifd != -1)
		close(ifd);
	if (rv == 1 && (fsync(tfd) == -1 ||
	    zoned_commit_image(z->name, err, errlen) == -1)) {
		builder_free(*live);
		*live = NULL;
		rv = -1;
	}
	if (tfd != -1) {
		close(tfd);
		if (rv != 1)
			unlink(tmp);
	}
	return rv;
}

/*
 * What xfrd needs of the served zone: the serial, the SOA and its timers
 * (the first record of NAME.zone, see store.h), the time of the stored
 * transfer and of the last successful check (NAME.check, or the time the
 * zone was stored), and whether its image is signed, with the earliest
 * RRSIG expiration (NAME.img's header).
 */
int
zoned_info(const char *zone, struct xfr_msg *m)
{
	struct store_header	 h;
	struct image_header	 ih;
	struct dns_soa		 soa;
	struct storerec		 sr;
	struct wire		 w;
	char			 path[PATH_MAX], line[64];
	uint8_t			 buf[STOREREC_FIXED + DNS_MAXNAME + XFR_SOAMAX];
	long long		 t;
	ssize_t			 n;
	FILE			*f;
	int			 fd;

	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) ?
	    pread(fd, buf, sizeof(buf), sizeof(h)) : -1;
	close(fd);
	if (n <= 0)
		return -1;
	wire_init(&w, buf, n);
	if (storerec_get(&w, &sr) == -1 || sr.type != DNS_T_SOA ||
	    sr.rdlen > sizeof(m->soa) ||
	    dns_soa_parse(sr.rdata, sr.rdlen, &soa) == -1)
		return -1;
	m->serial = h.serial;
	m->refresh = soa.refresh;
	m->retry = soa.retry;
	m->expire = soa.expire;
	m->soalen = sr.rdlen;
	memcpy(m->soa, sr.rdata, sr.rdlen);
	m->when = h.when;
	m->records = h.records;
	m->bytes = h.bytes;
	strlcpy(m->primary, h.primary, sizeof(m->primary));
	m->checked = h.stored;
	if (store_path(zone, ".check", path, sizeof(path)) == 0 &&
	    (f = fopen(path, "re")) != NULL) {
		if (fgets(line, sizeof(line), f) != NULL &&
		    sscanf(line, "checked %lld", &t) == 1 && t > m->checked)
			m->checked = t;
		fclose(f);
	}
	/* the served image's DNSSEC summary: its builder found it */
	if (store_path(zone, ".img", path, sizeof(path)) == 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		if (pread(fd, &ih, sizeof(ih), 0) == (ssize_t)sizeof(ih) &&
		    memcmp(ih.magic, IMAGE_MAGIC, sizeof(ih.magic)) == 0 &&
		    ih.version == IMAGE_VERSION && ih.serial == h.serial &&
		    (ih.flags & IMG_Z_SIGNED)) {
			m->dnssec = 1;
			m->sig_expire = ih.sig_expire;
			m->sig_missing = ih.sig_missing;
			m->chain_breaks = ih.chain_breaks;
		}
		close(fd);
	}
	return 0;
}

/*
 * IMSG_ZONE_CHECKED: NAME.check, one line "checked TIME serial SERIAL",
 * replaced whole (not synced: losing it makes an expiry come early, not
 * late).
 */
static void
zoned_checked(struct imsg *imsg)
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

/*
 * At start, serve NAME.img as it is when it was built from NAME.zone as
 * stored: the same serial, written after the zone, its header whole.  An
 * image is committed after its zone, so a crash between the two leaves an
 * older image, which this refuses; then the zone is built again.  The
 * whole image is checked once, by each serverd as it maps it (image_check
 * reads every byte); a serverd that refuses it says so and the zone is
 * built again (zoned_serverd_imsg).
 */
static int
zoned_reuse(const char *zone)
{
	char			 zpath[PATH_MAX], ipath[PATH_MAX];
	char			 opath[PATH_MAX];
	const struct image_header *h;
	struct store_header	 sh;
	struct stat		 zst, ist, ost;
	struct zzone		*z;
	void			*map;
	uint32_t		 serial;
	int			 fd, ok;

	if (store_path(zone, ".zone", zpath, sizeof(zpath)) == -1 ||
	    store_path(zone, ".img", ipath, sizeof(ipath)) == -1 ||
	    store_path(zone, ".over", opath, sizeof(opath)) == -1)
		return -1;
	if ((fd = open(zpath, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	ok = fstat(fd, &zst) == 0 &&
	    read(fd, &sh, sizeof(sh)) == (ssize_t)sizeof(sh) &&
	    memcmp(sh.magic, STORE_MAGIC, sizeof(sh.magic)) == 0 &&
	    sh.bom == STORE_BOM && sh.version == STORE_VERSION;
	close(fd);
	if (!ok || (fd = open(ipath, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &ist) == -1 || ist.st_size < (off_t)sizeof(struct
	    image_header) || ist.st_size > UINT32_MAX ||
	    timespeccmp(&ist.st_mtim, &zst.st_mtim, <) ||
	    (stat(opath, &ost) == 0 &&
	    timespeccmp(&ist.st_mtim, &ost.st_mtim, <))) {
		close(fd);
		return -1;
	}
	map = mmap(NULL, ist.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	h = map;
	serial = h->serial;
	ok = memcmp(h->magic, IMAGE_MAGIC, sizeof(h->magic)) == 0 &&
	    h->version == IMAGE_VERSION && h->bom == IMAGE_BOM &&
	    h->size == ist.st_size && h->tag == zoned_tag(zone) &&
	    serial == sh.serial;
	munmap(map, ist.st_size);
	if (!ok || apex_reused(zone) == -1)
		return -1;
	if ((z = calloc(1, sizeof(*z))) == NULL)
		fatal(NULL);
	strlcpy(z->name, zone, sizeof(z->name));
	z->serial = serial;
	z->tag = zoned_tag(zone);
	z->reused = 1;
	TAILQ_INSERT_TAIL(&zzones, z, entry);
	log_info("zone %s: serving serial %u (stored image)", zone, serial);
	zoned_publish(zone, serial);
	return 0;
}

static void
zoned_dispatch_serverd(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "serverd", zoned_serverd_imsg);
}

/*
 * A serverd serves an image, or refused it: tell who waits for it; a
 * reused image, or one the kept builder wrote, refused is built again in
 * full, once.
 */
static void
zoned_serverd_imsg(struct imsg *imsg)
{
	struct zone_image_msg	 zim;
	struct zzone		*z;
	char			 err[SECD_MSGLEN];

	if ((imsg->hdr.type != IMSG_ZONE_REFUSED &&
	    imsg->hdr.type != IMSG_ZONE_SERVING) ||
	    imsg_get_data(imsg, &zim, sizeof(zim)) == -1 ||
	    memchr(zim.zone, '\0', sizeof(zim.zone)) == NULL)
		fatalx("serverd: bad imsg %u", imsg->hdr.type);
	proxy_ack(&iev_parent, &zim, imsg->hdr.type == IMSG_ZONE_SERVING);
	if (imsg->hdr.type == IMSG_ZONE_SERVING)
		return;
	if ((z = zoned_served(zim.zone)) == NULL || z->serial != zim.serial ||
	    (!z->reused && z->live == NULL))
		return;
	if (z->reused)
		log_warnx("zone %s: the stored image was refused; building "
		    "it again", z->name);
	else {
		/* an image written by the kept builder: never again */
		log_warnx("zone %s: serial %u was refused; building it in "
		    "full", z->name, z->serial);
		builder_free(z->live);
		z->live = NULL;
	}
	z->reused = 0;
	if (zoned_install(z->name, NULL, err, sizeof(err)) == -1)
		log_warnx("zone %s: stored data not usable: %s", z->name, err);
}

static struct zzone *
zoned_served(const char *zone)
{
	struct zzone	*z;

	TAILQ_FOREACH(z, &zzones, entry)
		if (strcmp(z->name, zone) == 0)
			return z;
	return NULL;
}

/*
 * Make the records in tmp (a finished transfer) or, with tmp NULL, the
 * stored NAME.zone the served data of zone: check them, build the image,
 * then commit the zone and the image in that order, and hand the image to
 * every serverd.  On any failure the stored and served data stay as they
 * were.
 */
int
zoned_install(const char *zone, const char *tmp, char *err, size_t errlen)
{
	struct stored_zone	 sz;
	uint32_t		 gen;

	if (zoned_load(zone, tmp, &sz, err, errlen) == -1)
		return -1;
	gen = zoned_rebuild(zone, &sz, tmp, NULL, err, errlen);
	store_unload(&sz);
	return gen == 0 ? -1 : 0;
}

/*
 * For request id, which changes zone: its stored records, or -1 once
 * the request is answered with why there are none.
 */
int
zoned_load_request(struct imsgev *parent, uint32_t id, const char *zone,
    struct stored_zone *sz)
{
	char		 path[PATH_MAX], err[SECD_MSGLEN];
	struct stat	 st;

	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    stat(path, &st) == -1) {
		child_result(parent, id, 1, "zone %s has no data yet", zone);
		return -1;
	}
	if (zoned_load(zone, NULL, sz, err, sizeof(err)) == -1) {
		child_result(parent, id, 1, "zone %s: stored data not usable, "
		    "nothing changed: %s", zone, err);
		return -1;
	}
	return 0;
}

/*
 * For request id, which changes zone: its overrides, or -1 once the
 * request is answered with what is wrong with NAME.over and what to do.
 */
int
zoned_load_overrides(struct imsgev *parent, uint32_t id, const char *zone,
    struct overrides *o)
{
	char	 err[SECD_MSGLEN];

	if (over_load(zone, o, err, sizeof(err)) == 0)
		return 0;
	child_result(parent, id, 1, "zone %s: nothing changed: %s; repair or "
	    "remove that file in the database directory (secd(8), THE "
	    "DATABASE)", zone, err);
	return -1;
}

/*
 * The records in tmp or, with tmp NULL, the stored NAME.zone; the zone
 * rules are the builder's (bld_ncheck).
 */
int
zoned_load(const char *zone, const char *tmp, struct stored_zone *sz,
    char *err, size_t errlen)
{
	char	 path[PATH_MAX];

	if (store_path(zone, ".zone", path, sizeof(path)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if (store_load(zone, tmp ? tmp : path, sz, err, errlen) == -1)
		return -1;
	if (sz->src.nrr == 0 || sz->src.rrs[0].type != DNS_T_SOA) {
		snprintf(err, errlen, "the zone does not begin with its SOA");
		store_unload(sz);
		return -1;
	}
	return 0;
}

/*
 * Serve sz (loaded by zoned_load) with the overrides: newo, a change not
 * stored yet, or NAME.over.  Build the image, then commit the zone (tmp),
 * the overrides (newo) and the image in that order and hand the image to
 * every serverd; returns the generation handed, or 0 on failure (then the
 * stored and served data stay as they were).
 */
uint32_t
zoned_rebuild(const char *zone, struct stored_zone *sz, const char *tmp,
    struct overrides *newo, char *err, size_t errlen)
{
	struct overrides	 o, *ov = newo ? newo : &o;
	struct merged		 m;
	struct zzone		*z;
	struct builder		*live = NULL;
	int			 rv;

	if (newo == NULL && over_load(zone, &o, err, errlen) == -1)
		return 0;
	rv = over_merge(&sz->src, ov, zoned_proxy_conf(zone), 1, &m, err,
	    errlen);
	if (rv == 0) {
		apex_merged(zone, &m.ap);
		m.src.tag = zoned_tag(zone);
		err[0] = '\0';
		rv = zoned_build(zone, &m.src, &live, err, errlen);
		if (rv == 0 && live == NULL)
			log_info("zone %s: not kept in memory, each change "
			    "builds it in full: %s", zone, err);
	}
	if (rv == 0 && m.signedoff)
		log_warnx("zone %s: serial %u is signed: its %zu proxied "
		    "names and its apex CNAME are dormant, served as the "
		    "primary signed them", zone, sz->hdr.serial, m.dormant);
	else if (rv == 0 && m.dormant > 0)
		log_info("zone %s: %zu proxied names dormant (no A, AAAA or "
		    "CNAME in serial %u)", zone, m.dormant, sz->hdr.serial);
	over_merged_free(&m);
	if (newo == NULL)
		over_free(&o);
	if (rv == -1)
		return 0;
	if ((z = zoned_commit(zone, tmp, newo, err, errlen)) == NULL) {
		builder_free(live);
		return 0;
	}
	builder_free(z->live);
	z->live = live;
	z->serial = sz->hdr.serial;
	z->tag = zoned_tag(zone);
	z->reused = 0;
	log_info("zone %s: serving serial %u, %llu records%s", zone,
	    z->serial, (unsigned long long)sz->hdr.records,
	    tmp ? "" : newo ? " (overrides changed)" : " (stored)");
	return zoned_publish(zone, z->serial);
}

/*
 * Commit what a build made: the zone (tmp, if any), the overrides (newo),
 * the image, in that order; the zone served, created if new, or NULL.
 */
static struct zzone *
zoned_commit(const char *zone, const char *tmp, struct overrides *newo,
    char *err, size_t errlen)
{
	struct zzone	*z;
	char		 path[PATH_MAX];

	if (tmp != NULL && (store_path(zone, ".zone", path,
	    sizeof(path)) == -1 || store_commit(tmp, path) == -1)) {
		snprintf(err, errlen, "rename %s: %s", tmp, strerror(errno));
		return NULL;
	}
	if ((newo != NULL && over_commit(zone, err, errlen) == -1) ||
	    zoned_commit_image(zone, err, errlen) == -1)
		return NULL;
	if ((z = zoned_served(zone)) == NULL) {
		if ((z = calloc(1, sizeof(*z))) == NULL)
			fatal(NULL);
		strlcpy(z->name, zone, sizeof(z->name));
		TAILQ_INSERT_TAIL(&zzones, z, entry);
	}
	return z;
}

/*
 * The change of the owners ch (their records, merged with the overrides
 * o) made without a full build, by the builder the last one kept, the
 * apex's records made again when its CNAME gives them others (n may be
 * 0: a change of o's apex CNAME; none reached, the image is copied as
 * it is, newer than the overrides then): the image written, then committed with
 * the zone (tmp) and the overrides (when ochanged) like a full build's,
 * and handed to every serverd.  Returns the generation handed, or 0 when
 * the change needs the full build (zoned_rebuild), which finds and
 * reports whatever is wrong; nothing is committed then.
 */
uint32_t
zoned_update(const char *zone, const struct bowner *ch, size_t n,
    uint32_t serial, const char *tmp, struct overrides *o, int ochanged)
{
	struct apex_live al;
	struct zzone	*z;
	char		 path[PATH_MAX], itmp[PATH_MAX], err[SECD_MSGLEN];
	int		 ofd = -1, nfd = -1, rv = -1;

	if ((z = zoned_served(zone)) == NULL || z->live == NULL)
		return 0;
	err[0] = itmp[0] = '\0';
	memset(&al, 0, sizeof(al));
	if (apex_live(z->live, o, zoned_proxy_conf(zone), ch, n, &al) == -1)
		snprintf(err, sizeof(err), "out of memory for the apex CNAME");
	else if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    store_path(zone, ".img.tmp", itmp, sizeof(itmp)) == -1)
		snprintf(err, sizeof(err), "zone name too long for a file name");
	else if ((ofd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (nfd = open(itmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		snprintf(err, sizeof(err), "%.100s: %s", ofd == -1 ? path : itmp,
		    strerror(errno));
	else {
		rv = builder_update(z->live, al.ch, al.n, serial, ofd, nfd, err,
		    sizeof(err));
		if (rv == 0 && fsync(nfd) == -1) {
			snprintf(err, sizeof(err), "fsync: %s",
			    strerror(errno));
			rv = -1;
		}
	}
	if (ofd != -1)
		close(ofd);
	if (nfd != -1)
		close(nfd);
	if (rv == 0 && zoned_commit(zone, tmp, ochanged ? o : NULL, err,
	    sizeof(err)) == NULL)
		rv = -1;
	if (rv != 0) {
		log_info("zone %s: building it in full: %s", zone, err[0] ?
		    err : "the image cannot be written");
		apex_live_free(&al);
		builder_free(z->live);
		z->live = NULL;
		if (itmp[0] != '\0')
			unlink(itmp);
		return 0;
	}
	n = al.n;
	apex_merged(zone, &al.ap);
	apex_live_free(&al);
	z->serial = serial;
	z->reused = 0;
	log_info("zone %s: serving serial %u, %zu names changed%s", zone,
	    serial, n, tmp ? "" : ochanged ? " (overrides changed)" : "");
	return zoned_publish(zone, serial);
}

/* The builder kept for zone's changes, or NULL. */
struct builder *
zoned_live(const char *zone)
{
	struct zzone	*z;

	return (z = zoned_served(zone)) != NULL ? z->live : NULL;
}

/* Build the image of src into NAME.img.tmp, durably. */
static int
zoned_build(const char *zone, struct zone_src *src, struct builder **live,
    char *err, size_t errlen)
{
	char	 tmp[PATH_MAX];
	int	 fd;

	if (store_path(zone, ".img.tmp", tmp, sizeof(tmp)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if ((fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (builder_build(src, fd, live, err, errlen) == -1) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (fsync(fd) == -1) {
		snprintf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return 0;
}

static int
zoned_commit_image(const char *zone, char *err, size_t errlen)
{
	char	 tmp[PATH_MAX], path[PATH_MAX];

	if (store_path(zone, ".img.tmp", tmp, sizeof(tmp)) == -1 ||
	    store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    store_commit(tmp, path) == -1) {
		snprintf(err, errlen, "cannot commit the image: %s",
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Hand a sealed copy of NAME.img (shared/sealed.h) to every serverd;
 * returns its generation (each serverd answers with it, IMSG_ZONE_SERVING
 * or IMSG_ZONE_REFUSED), 0 if the image cannot be copied.
 */
static uint32_t
zoned_publish(const char *zone, uint32_t serial)
{
	static uint32_t		 gens;
	struct zone_image_msg	 zim;
	struct stat		 st;
	char			 path[PATH_MAX];
	int			 fd, i, dfd, ifd;

	if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    (ifd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("zone %s: cannot open its image", zone);
		return 0;
	}
	fd = fstat(ifd, &st) == -1 ? -1 : sealed_copy(ifd, st.st_size);
	close(ifd);
	if (fd == -1) {
		log_warn("zone %s: cannot make the sealed copy of %s that "
		    "serverd serves (memory, open files?); the previous image "
		    "is served until the next change or restart", zone, path);
		return 0;
	}
	if (++gens == 0)
		gens = 1;
	memset(&zim, 0, sizeof(zim));
	strlcpy(zim.zone, zone, sizeof(zim.zone));
	zim.serial = serial;
	zim.gen = gens;
	for (i = 0; i < env.nserverd; i++) {
		if ((dfd = dup(fd)) == -1)
			fatal("dup");
		if (iev_compose(&iev_serverd[i], IMSG_ZONE_IMAGE, 0, 0, dfd,
		    &zim, sizeof(zim)) == -1)
			fatal("%s", __func__);
	}
	close(fd);
	return gens;
}
