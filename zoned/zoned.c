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
 * that directory; no network.  This file is the process and its channels
 * (parent, xfrd, each serverd); what it serves is in zones.c (the zones
 * and their life), change.c (the one way their data changes), view.c
 * (reading a zone before changing it), the requests in proxy.c, apex.c,
 * show.c and audit.c, transfers in xfr.c and ixfr.c, the merge with the
 * overrides in override.c (NAME.over) and merge.c, the image in builder.h,
 * its overlays in ovl.c (NAME.ovl).
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
#include "zoned.h"

static void	zoned_dispatch_xfrd(int, short, void *);
static void	zoned_xfrd_imsg(struct imsg *);
static void	zoned_dispatch_serverd(int, short, void *);
static void	zoned_serverd_imsg(struct imsg *);
static int	zoned_parent_imsg(struct imsg *);
static uint32_t	zoned_hand(const char *, uint32_t, int, off_t, size_t);

static struct child_env	 env;
static struct imsgev	 iev_parent;
static struct imsgev	 iev_xfrd;
static struct imsgev	*iev_serverd;

void
zoned_main(int instance, int debug, int verbose)
{
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
	env.reconf = zones_reload;
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
	zones_init();
	store_sweep(env.conf);
	zones_load();
	event_dispatch();
	exit(0);
}

struct imsgev *
zoned_xfrd(void)
{
	return &iev_xfrd;
}

struct imsgev *
zoned_parent(void)
{
	return &iev_parent;
}

/* The stored zones of the start are handed over: IMSG_ZONES_LOADED. */
void
zoned_loaded(void)
{
	int	 i;

	for (i = 0; i < env.nserverd; i++)
		if (iev_compose(&iev_serverd[i], IMSG_ZONES_LOADED, 0, 0, -1,
		    NULL, 0) == -1)
			fatal("%s", __func__);
}

const struct secd_conf *
zoned_conf(void)
{
	return env.conf;
}

/* During a reload, the configuration it replaces; else NULL. */
struct secd_conf *
zoned_prevconf(void)
{
	return env.prevconf;
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

/* The most messages queued on a channel to xfrd or to a serverd. */
uint32_t
zoned_backlog(void)
{
	uint32_t	 n, most = imsgbuf_queuelen(&iev_xfrd.ibuf);
	int		 i;

	for (i = 0; i < env.nserverd; i++)
		if ((n = imsgbuf_queuelen(&iev_serverd[i].ibuf)) > most)
			most = n;
	return most;
}

int
zoned_nserverd(void)
{
	return env.nserverd;
}

/*
 * The image tag of zone: a hash of its proxy set and whether it is
 * transferred out, which the image was
 * built with; an image with another tag is built again (at start, after a
 * reload).
 */
uint32_t
zoned_tag(const char *zone)
{
	const struct proxy_conf	*pc = zoned_proxy_conf(zone);
	const struct zone_opts	*zo;
	uint32_t		 h = FNV_BASIS;

	h = fnv_add(h, &pc->ttl, sizeof(pc->ttl));
	h = fnv_add(h, pc->v4, pc->n4 * sizeof(pc->v4[0]));
	/* transferred out: the names carry their records */
	if ((zo = zoned_opts(zone)) != NULL && !TAILQ_EMPTY(&zo->xfrouts))
		h = fnv_add(h, "xfrout", 6);
	h = fnv_add(h, &pc->n4, sizeof(pc->n4));
	return fnv_add(h, pc->v6, pc->n6 * sizeof(pc->v6[0]));
}

/* The settings of zone, NULL when it is not configured. */
const struct zone_opts *
zoned_opts(const char *zone)
{
	struct zone_conf	*zc;

	return (zc = config_zone(env.conf, zone)) != NULL ? zc->opts : NULL;
}

/* The proxy set of zone: its own proxy {}, else the global one. */
const struct proxy_conf *
zoned_proxy_conf(const char *zone)
{
	struct zone_conf	*zc;

	if ((zc = config_zone(env.conf, zone)) != NULL && zc->opts->has_proxy)
		return &zc->opts->proxy;
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
	else if (req.verb == CTL_SHOW_SIZES)
		zoned_show_sizes(&iev_parent, imsg->hdr.peerid);
	else if (req.verb == CTL_PROXY)
		zoned_proxy(&iev_parent, imsg->hdr.peerid, &req);
	else if (req.verb == CTL_AUDIT && (req.flags & CTL_F_AT))
		zoned_audit_plan(&iev_parent, imsg->hdr.peerid, req.zone);
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
		zone_checked(imsg);
	else if (imsg->hdr.type == IMSG_APEX_RESOLVED)
		apex_resolved(&iev_parent, imsg);
	else
		zxfr_imsg(imsg);
}

static void
zoned_dispatch_serverd(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "serverd", zoned_serverd_imsg);
}

/* A serverd serves an image, or refused it. */
static void
zoned_serverd_imsg(struct imsg *imsg)
{
	struct zone_image_msg	 zim;

	if ((imsg->hdr.type != IMSG_ZONE_REFUSED &&
	    imsg->hdr.type != IMSG_ZONE_SERVING) ||
	    imsg_get_data(imsg, &zim, sizeof(zim)) == -1 ||
	    memchr(zim.zone, '\0', sizeof(zim.zone)) == NULL)
		fatalx("serverd: bad imsg %u", imsg->hdr.type);
	change_served(&iev_parent, &zim, imsg->hdr.type == IMSG_ZONE_SERVING);
}

/*
 * Hand NAME.img to every serverd: a small one (IMAGE_SMALL) as the file,
 * which each copies, a larger one as a sealed copy (shared/sealed.h),
 * which each maps.  Returns its generation (each serverd answers with it,
 * IMSG_ZONE_SERVING or IMSG_ZONE_REFUSED), 0 if the image cannot be
 * copied.
 */
uint32_t
zoned_publish(const char *zone, uint32_t serial)
{
	char	 path[PATH_MAX];
	int	 ifd;

	if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    (ifd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("zone %s: cannot open its image", zone);
		return 0;
	}
	return zoned_publish_fd(zone, serial, ifd);
}

/* zoned_publish of NAME.img open as ifd, which it closes. */
uint32_t
zoned_publish_fd(const char *zone, uint32_t serial, int ifd)
{
	struct stat		 st;
	int			 fd;

	if (fstat(ifd, &st) == -1)
		fd = -1;
	else if (st.st_size <= IMAGE_SMALL)
		return zoned_hand(zone, serial, ifd, 0, 0);
	else
		fd = sealed_copy(ifd, st.st_size);
	close(ifd);
	if (fd == -1) {
		log_warn("zone %s: cannot make the sealed copy of its image "
		    "that serverd serves (memory, open files?); the previous "
		    "image is served until the next change or restart", zone);
		return 0;
	}
	return zoned_hand(zone, serial, fd, 0, 0);
}

/*
 * Hand the overlay at `at' in NAME.ovl (len bytes) to every serverd: the
 * file itself, which only grows, so the bytes each reads into its own
 * memory (serverd/zones.c) are those written.  Its generation, or 0.
 */
uint32_t
zoned_publish_overlay(const char *zone, uint32_t serial, off_t at,
    size_t len)
{
	char	 path[PATH_MAX];
	int	 fd;

	if (store_path(zone, ".ovl", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("zone %s: cannot open its overlays", zone);
		return 0;
	}
	return zoned_hand(zone, serial, fd, at, len);
}

/* fd (closed here) to every serverd: an image, or an overlay (len > 0). */
static uint32_t
zoned_hand(const char *zone, uint32_t serial, int fd, off_t at, size_t len)
{
	static uint32_t		 gens;
	struct zone_image_msg	 zim;
	struct zzone		*z;
	int			 i, dfd;

	if (++gens == 0)
		gens = 1;
	memset(&zim, 0, sizeof(zim));
	strlcpy(zim.zone, zone, sizeof(zim.zone));
	zim.serial = serial;
	zim.gen = gens;
	zim.ovloff = at;
	zim.ovllen = len;
	zim.confgen = env.conf->gen;
	if ((z = zone_find(zone)) != NULL) {
		z->pubgen = gens;
		z->publeft = env.nserverd;
	}
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
