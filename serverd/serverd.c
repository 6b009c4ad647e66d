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
 * serverd: answers queries on the listening sockets the parent handed it,
 * from the zone images zoned hands it.  Chrooted into an empty directory;
 * nothing on disk, no outgoing network.
 */
#include <sys/types.h>

#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "child.h"
#include "denial.h"
#include "dns.h"
#include "log.h"
#include "proc.h"
#include "rrl.h"
#include "sandbox.h"
#include "secd.h"
#include "serverd.h"
#include "tsig.h"
#include "xfrout.h"
#include "zones.h"

static void	serverd_dispatch_zoned(int, short, void *);
static void	serverd_zoned_imsg(struct imsg *);
static int	serverd_early(const struct zone_image_msg *);
static void	serverd_earlies(void);
static void	serverd_zoned_do(uint32_t, struct zone_image_msg *, int);
static void	serverd_dispatch_xfrd(int, short, void *);
static void	serverd_xfrd_imsg(struct imsg *);
static void	serverd_configure(void);
static int	serverd_parent_imsg(struct imsg *);
#ifdef SECD_TESTHOOKS
static void	serverd_violate(int, short, void *);
static struct event	 ev_violate;
#endif

struct ctl_stats	 stats;

static struct child_env	 env;
static struct imsgev	 iev_parent;
static struct imsgev	 iev_xfrd;
static struct imsgev	 iev_zoned;

void
serverd_main(int instance, int debug, int verbose)
{
	int	 i;

	child_setup(&env, PROC_SERVERD, instance, debug, verbose);
	if (env.xfrd_fd == -1 || env.zoned_fd == -1)
		fatalx("no channel to xfrd or zoned");
	event_init();
	/* NSEC3 hashes of query names (shared/denial.h) */
	/* TSIG of transfers out (serverd/xfrout.c) */
	if (tsig_init() == -1)
		fatalx("libcrypto: cannot load HMAC (see openssl.cnf and "
		    "OPENSSL_CONF)");
	if (denial_init() == -1)
		fatalx("libcrypto: cannot load SHA-1 (see openssl.cnf and "
		    "OPENSSL_CONF)");
	child_drop(&env, env.privsep ? SECD_EMPTYDIR : NULL);
#ifdef __OpenBSD__
	/* OpenBSD's stdio sends only without an address; UDP answers need one */
	sandbox_pledge("stdio inet recvfd");
#else
	/* Linux: seccomp cannot see sendmsg's address; no new socket anyway */
	sandbox_pledge("stdio recvfd");
#endif

	child_events(&env, &iev_parent);
	env.reconf = serverd_configure;
	env.parent_imsg = serverd_parent_imsg;
	iev_init(&iev_xfrd, env.xfrd_fd, serverd_dispatch_xfrd, NULL);
	iev_add(&iev_xfrd);
	iev_init(&iev_zoned, env.zoned_fd, serverd_dispatch_zoned, NULL);
	iev_add(&iev_zoned);
	serverd_configure();
	for (i = 0; i < env.nlisten; i++) {
		if (env.listen[i].tcp)
			tcp_init(&env.listen[i]);
		else
			udp_init(&env.listen[i]);
	}
#ifdef SECD_TESTHOOKS
	/* Test build only: SIGUSR1 makes serverd break its sandbox. */
	signal_set(&ev_violate, SIGUSR1, serverd_violate, NULL);
	signal_add(&ev_violate, NULL);
#endif
	child_ready(&iev_parent, &env);
	log_debug("started with %d listening sockets", env.nlisten);
	event_dispatch();
	exit(0);
}

/*
 * The configured zones (those without an image answer SERVFAIL) and the
 * rate limits.
 */
static void
serverd_configure(void)
{
	zones_configure(env.conf);
	tcp_configure(&env.conf->tcp, env.conf->limits.timeout);
	xfrout_configure(env.conf->xfrout_max, env.conf->xfrout_per_source);
	rrl_configure(&env.conf->rrl, env.conf->has_rrl);
	serverd_earlies();
}

/* The cookie secrets of the running configuration. */
const struct cookie_conf *
serverd_cookies(void)
{
	return (&env.conf->cookie);
}

/* The TSIG keys provide transfer names (the only ones serverd has). */
const struct tsig_keys *
serverd_keys(void)
{
	return (&env.conf->keys);
}

static int
serverd_parent_imsg(struct imsg *imsg)
{
	struct ctl_request	 req;

	if (imsg->hdr.type != IMSG_CTL_REQUEST)
		return 0;
	child_request(imsg, &req);
	if (req.verb != CTL_SHOW_STATS) {
		child_result(&iev_parent, imsg->hdr.peerid, 1,
		    "request %d is not for serverd", req.verb);
		return 1;
	}
	if (iev_compose(&iev_parent, IMSG_CTL_STATS, imsg->hdr.peerid, 0, -1,
	    &stats, sizeof(stats)) == -1)
		fatal("%s", __func__);
	pstat_send(&iev_parent, imsg->hdr.peerid);
	child_result(&iev_parent, imsg->hdr.peerid, 0, "%s", "");
	return 1;
}

void
serverd_count(const struct answer_info *ai, int tcp, size_t len)
{
	if (tcp)
		stats.queries_tcp++;
	else
		stats.queries_udp++;
	if (len == 0) {
		if (!ai->notify)	/* xfrd counts NOTIFY */
			stats.dropped++;
		return;
	}
	if (ai->rcode >= 0 && ai->rcode < CTL_RCODES)
		stats.rcode[ai->rcode]++;
	stats.qtype[ai->qtype < CTL_QTYPES - 1 ? ai->qtype :
	    CTL_QTYPES - 1]++;
	if (ai->tc)
		stats.truncated++;
	if (ai->cookie)
		stats.cookie_valid++;
	if (ai->rcode == DNS_R_BADCOOKIE)
		stats.cookie_badcookie++;
	if (ai->proxied != NULL)
		pstat_count(ai->zone, ai->proxied);
}

/* A NOTIFY past the gate: xfrd decides and answers (IMSG_NOTIFY_ANSWER). */
void
serverd_notify(const struct notify_msg *nm, const uint8_t *pkt, size_t len)
{
	struct ibuf		*buf;
	struct notify_msg	 m = *nm;

	m.len = len;
	if ((buf = imsg_create(&iev_xfrd.ibuf, IMSG_NOTIFY, 0, 0,
	    sizeof(m) + len)) == NULL ||
	    imsg_add(buf, &m, sizeof(m)) == -1 ||
	    imsg_add(buf, pkt, len) == -1)
		fatal("%s", __func__);
	imsg_close(&iev_xfrd.ibuf, buf);
	iev_add(&iev_xfrd);
}

static void
serverd_dispatch_xfrd(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "xfrd", serverd_xfrd_imsg);
}

static void
serverd_xfrd_imsg(struct imsg *imsg)
{
	struct notify_msg	 nm;
	struct zone_expire_msg	 em;
	size_t			 len = IMSG_DATA_SIZE(*imsg);

	switch (imsg->hdr.type) {
	case IMSG_NOTIFY_ANSWER:
		if (len < sizeof(nm))
			fatalx("xfrd: short IMSG_NOTIFY_ANSWER");
		memcpy(&nm, imsg->data, sizeof(nm));
		if (nm.len != len - sizeof(nm) || nm.len > NOTIFY_MAXLEN ||
		    nm.cmsglen > sizeof(nm.cmsg))
			fatalx("xfrd: bad IMSG_NOTIFY_ANSWER");
		gate_answered();
		if (nm.len == 0)
			break;		/* dropped by xfrd */
		if (nm.tcp)
			tcp_notify_answer(&nm, (uint8_t *)imsg->data +
			    sizeof(nm), nm.len);
		else
			udp_notify_answer(&nm, (uint8_t *)imsg->data +
			    sizeof(nm), nm.len);
		break;
	case IMSG_ZONE_EXPIRE:
		if (imsg_get_data(imsg, &em, sizeof(em)) == -1 ||
		    memchr(em.zone, '\0', sizeof(em.zone)) == NULL)
			fatalx("xfrd: bad IMSG_ZONE_EXPIRE");
		zones_expire(em.zone, em.expired);
		log_debug("zone %s: %s", em.zone, em.expired ? "expired, "
		    "answering SERVFAIL" : "serving again");
		break;
	default:
		fatalx("xfrd: unexpected imsg %u", imsg->hdr.type);
	}
}

static void
serverd_dispatch_zoned(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "zoned", serverd_zoned_imsg);
}

/*
 * What zoned sent after an image made under a configuration this serverd
 * does not have yet (a reload or a catalog change on its way from the
 * parent), kept in order until that configuration comes: an image taken
 * under an older one would be lost when it drops the zone that the new
 * one adds again.
 */
struct early {
	TAILQ_ENTRY(early)	 entry;
	uint32_t		 type;
	struct zone_image_msg	 zim;
	int			 fd;
};
static TAILQ_HEAD(, early) earlies = TAILQ_HEAD_INITIALIZER(earlies);

/* 1 when zim was made under a configuration newer than ours. */
static int
serverd_early(const struct zone_image_msg *zim)
{
	return (int32_t)(zim->confgen - env.conf->gen) > 0;
}

static void
serverd_zoned_imsg(struct imsg *imsg)
{
	struct zone_image_msg	 zim;
	struct early		*e;
	int			 fd = -1;

	memset(&zim, 0, sizeof(zim));
	switch (imsg->hdr.type) {
	case IMSG_ZONE_IMAGE:
		if (imsg_get_data(imsg, &zim, sizeof(zim)) == -1 ||
		    memchr(zim.zone, '\0', sizeof(zim.zone)) == NULL ||
		    (fd = imsg_get_fd(imsg)) == -1)
			fatalx("zoned: bad IMSG_ZONE_IMAGE");
		break;
	case IMSG_ZONE_DROP:
		if (imsg_get_data(imsg, &zim, sizeof(zim)) == -1 ||
		    memchr(zim.zone, '\0', sizeof(zim.zone)) == NULL)
			fatalx("zoned: bad IMSG_ZONE_DROP");
		break;
	case IMSG_ZONES_LOADED:
		if (IMSG_DATA_SIZE(*imsg) != 0)
			fatalx("zoned: bad IMSG_ZONES_LOADED");
		break;
	default:
		fatalx("zoned: unexpected imsg %u", imsg->hdr.type);
	}
	if (TAILQ_EMPTY(&earlies) && (imsg->hdr.type != IMSG_ZONE_IMAGE ||
	    !serverd_early(&zim))) {
		serverd_zoned_do(imsg->hdr.type, &zim, fd);
		return;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal("%s", __func__);
	e->type = imsg->hdr.type;
	e->zim = zim;
	e->fd = fd;
	TAILQ_INSERT_TAIL(&earlies, e, entry);
}

/* After a new configuration: what waited for it, in order. */
static void
serverd_earlies(void)
{
	struct early	*e;

	while ((e = TAILQ_FIRST(&earlies)) != NULL &&
	    (e->type != IMSG_ZONE_IMAGE || !serverd_early(&e->zim))) {
		TAILQ_REMOVE(&earlies, e, entry);
		serverd_zoned_do(e->type, &e->zim, e->fd);
		free(e);
	}
}

/* One message of zoned, in its turn. */
static void
serverd_zoned_do(uint32_t type, struct zone_image_msg *zim0, int fd)
{
	struct zone_image_msg	 zim = *zim0;
	char			 err[SECD_MSGLEN];

	switch (type) {
	case IMSG_ZONE_IMAGE:
		if ((zim.ovllen == 0 ? zones_set(zim.zone, fd, zim.serial,
		    err, sizeof(err)) : zones_overlay(zim.zone, fd, zim.ovloff,
		    zim.ovllen, zim.serial, err, sizeof(err))) == -1) {
			log_warnx("zone %s: image of serial %u refused: %s; "
			    "serving the previous one", zim.zone, zim.serial,
			    err);
			if (iev_compose(&iev_zoned, IMSG_ZONE_REFUSED, 0, 0,
			    -1, &zim, sizeof(zim)) == -1)
				fatal("%s", __func__);
		} else {
			log_debug("zone %s: serving serial %u", zim.zone,
			    zim.serial);
			if (iev_compose(&iev_zoned, IMSG_ZONE_SERVING, 0, 0,
			    -1, &zim, sizeof(zim)) == -1)
				fatal("%s", __func__);
		}
		close(fd);
		break;
	case IMSG_ZONE_DROP:
		zones_drop(zim.zone);
		break;
	case IMSG_ZONES_LOADED:
		/* every image before it is served: the parent counts us */
		if (iev_compose(&iev_parent, IMSG_ZONES_LOADED, 0, 0, -1,
		    NULL, 0) == -1)
			fatal("%s", __func__);
		break;
	}
}

#ifdef SECD_TESTHOOKS
static void
serverd_violate(int sig, short event, void *arg)
{
	log_warnx("test hook: calling open(2) inside the sandbox");
	if (open("/etc/passwd", O_RDONLY) != -1)
		fatalx("test hook: open(2) was allowed");
	fatal("test hook: open(2) failed instead of killing");
}
#endif
