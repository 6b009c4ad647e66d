/*
 * xfrd: SOA timers, zone transfers and NOTIFY decisions.  Talks to the
 * primaries over the network and to zoned and serverd over imsg; nothing
 * on disk.
 */
#include <sys/types.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "config.h"
#include "log.h"
#include "proc.h"
#include "sandbox.h"
#include "secd.h"
#include "tsig.h"
#include "xfrd.h"

#define XFRD_RETRY_MIN		15	/* s, first retry after a failure */
#define XFRD_RETRY_MAX		3600

static void	xfrd_configure(void);
static struct xzone *xfrd_zone(const char *);
static void	xfrd_schedule(struct xzone *, int);
static void	xfrd_timer(int, short, void *);
static void	xfrd_dispatch_zoned(int, short, void *);
static void	xfrd_zoned_imsg(struct imsg *);
static int	xfrd_parent_imsg(struct imsg *);
static void	xfrd_show_zones(uint32_t);
static void	xfrd_retransfer(uint32_t, const char *);

static struct child_env	 env;
static struct imsgev	 iev_parent;
static struct imsgev	 iev_zoned;
static struct imsgev	*iev_serverd;
static struct xzones	 zones = TAILQ_HEAD_INITIALIZER(zones);
static struct ctl_stats	 xstats;

void
xfrd_main(int instance, int debug, int verbose)
{
	int	 i;

	child_setup(&env, PROC_XFRD, instance, debug, verbose);
	if (env.zoned_fd == -1)
		fatalx("no channel to zoned");
	event_init();
	if (tsig_init() == -1)
		fatalx("libcrypto: cannot load HMAC (see openssl.cnf and "
		    "OPENSSL_CONF)");
	child_drop(&env, env.privsep ? SECD_EMPTYDIR : NULL);
	sandbox_pledge("stdio inet dns");

	child_events(&env, &iev_parent);
	env.reconf = xfrd_configure;
	env.parent_imsg = xfrd_parent_imsg;
	iev_init(&iev_zoned, env.zoned_fd, xfrd_dispatch_zoned, NULL);
	iev_add(&iev_zoned);
	if ((iev_serverd = calloc(env.nserverd, sizeof(*iev_serverd))) == NULL)
		fatal(NULL);
	for (i = 0; i < env.nserverd; i++) {
		iev_init(&iev_serverd[i], env.serverd_fd[i],
		    child_dispatch_none, "serverd");
		iev_add(&iev_serverd[i]);
	}
	xfrd_configure();
	child_ready(&iev_parent, &env);
	log_debug("started");
	event_dispatch();
	exit(0);
}

struct imsgev *
xfrd_zoned(void)
{
	return &iev_zoned;
}

struct tsig_key *
xfrd_key(const char *name)
{
	return config_key(env.conf, name);
}

static struct xzone *
xfrd_zone(const char *name)
{
	struct xzone	*z;

	TAILQ_FOREACH(z, &zones, entry)
		if (strcmp(z->name, name) == 0)
			return z;
	return NULL;
}

/*
 * Match the zone list to the configuration: new zones get a transfer at
 * once, zones gone from it are forgotten (their transfer cancelled).
 */
static void
xfrd_configure(void)
{
	struct zone_conf	*zc;
	struct xzone		*z, *t;

	TAILQ_FOREACH(z, &zones, entry)
		z->conf = NULL;
	TAILQ_FOREACH(zc, &env.conf->zones, entry) {
		if ((z = xfrd_zone(zc->name)) != NULL) {
			z->conf = zc;
			continue;
		}
		if ((z = calloc(1, sizeof(*z))) == NULL)
			fatal(NULL);
		strlcpy(z->name, zc->name, sizeof(z->name));
		if (dns_name_from_text(z->name, z->apex, &z->apexlen) == -1)
			fatalx("zone %s: bad name from parent", z->name);
		dns_name_lower(z->apex, z->apexlen);
		z->conf = zc;
		evtimer_set(&z->timer, xfrd_timer, z);
		TAILQ_INSERT_TAIL(&zones, z, entry);
		xfrd_schedule(z, 0);
	}
	TAILQ_FOREACH_SAFE(z, &zones, entry, t) {
		if (z->conf != NULL)
			continue;
		log_info("zone %s: no longer configured", z->name);
		if (z->xfr != NULL)
			xfr_cancel(z->xfr);
		evtimer_del(&z->timer);
		TAILQ_REMOVE(&zones, z, entry);
		free(z);
	}
}

static void
xfrd_schedule(struct xzone *z, int secs)
{
	struct timeval	 tv;

	tv.tv_sec = secs;
	/* Spread zones over a second so they do not all start at once. */
	tv.tv_usec = arc4random_uniform(1000000);
	evtimer_add(&z->timer, &tv);
}

/* Time to transfer z: from the next primary in order. */
static void
xfrd_timer(int fd, short event, void *arg)
{
	struct xzone		*z = arg;
	struct primary_conf	*p;
	int			 i = 0;

	if (z->xfr != NULL || z->conf == NULL)
		return;
	TAILQ_FOREACH(p, &z->conf->primaries, entry)
		if (i++ == z->primary)
			break;
	if (p == NULL) {
		z->primary = 0;
		p = TAILQ_FIRST(&z->conf->primaries);
	}
	if (p == NULL || (z->xfr = xfr_start(z, p)) == NULL)
		xfrd_xfr_done(z, 0, "cannot start a transfer");
}

/*
 * A transfer ended.  On failure try the next primary at once; when every
 * primary failed, wait, longer each round.  On success zoned has the
 * records and will say whether it applied them.
 */
void
xfrd_xfr_done(struct xzone *z, int ok, const char *why)
{
	int	 n = 0, wait;
	struct primary_conf	*p;

	if (!ok)	/* xfrd's own refusals count too, not only zoned's */
		xstats.xfr_failed++;
	if (z->conf == NULL)
		return;
	if (ok) {
		z->primary = 0;
		z->retries = 0;
		return;
	}
	strlcpy(z->last.msg, why, sizeof(z->last.msg));
	z->last.ok = 0;
	TAILQ_FOREACH(p, &z->conf->primaries, entry)
		n++;
	if (++z->primary < n) {
		xfrd_schedule(z, 0);
		return;
	}
	z->primary = 0;
	wait = XFRD_RETRY_MIN << (z->retries < 8 ? z->retries : 8);
	if (wait > XFRD_RETRY_MAX)
		wait = XFRD_RETRY_MAX;
	z->retries++;
	log_info("zone %s: every primary failed; next try in %d s",
	    z->name, wait);
	xfrd_schedule(z, wait);
}

static void
xfrd_dispatch_zoned(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "zoned", xfrd_zoned_imsg);
	xfr_resume();
}

static void
xfrd_zoned_imsg(struct imsg *imsg)
{
	struct xfr_msg	 m;
	struct xzone	*z;

	switch (imsg->hdr.type) {
	case IMSG_XFR_RESULT:
	case IMSG_ZONE_LOADED:
		if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
		    memchr(m.zone, '\0', sizeof(m.zone)) == NULL ||
		    memchr(m.msg, '\0', sizeof(m.msg)) == NULL ||
		    memchr(m.primary, '\0', sizeof(m.primary)) == NULL)
			fatalx("zoned: bad imsg %u", imsg->hdr.type);
		if ((z = xfrd_zone(m.zone)) == NULL)
			break;
		z->last = m;
		if (m.ok) {
			z->have_serial = 1;
			z->serial = m.serial;
			if (imsg->hdr.type == IMSG_XFR_RESULT)
				xstats.xfr_ok++;
		} else
			xfrd_xfr_done(z, 0, m.msg);
		break;
	default:
		fatalx("zoned: unexpected imsg %u", imsg->hdr.type);
	}
}

static int
xfrd_parent_imsg(struct imsg *imsg)
{
	struct ctl_request	 req;
	uint32_t		 id = imsg->hdr.peerid;

	if (imsg->hdr.type != IMSG_CTL_REQUEST)
		return 0;
	child_request(imsg, &req);
	switch (req.verb) {
	case CTL_SHOW_ZONES:
		xfrd_show_zones(id);
		break;
	case CTL_RETRANSFER:
		xfrd_retransfer(id, req.zone);
		break;
	case CTL_SHOW_STATS:
		if (iev_compose(&iev_parent, IMSG_CTL_STATS, id, 0, -1,
		    &xstats, sizeof(xstats)) == -1)
			fatal("%s", __func__);
		child_result(&iev_parent, id, 0, "%s", "");
		break;
	default:
		child_result(&iev_parent, id, 1, "not implemented yet");
		break;
	}
	return 1;
}

static void
xfrd_show_zones(uint32_t id)
{
	struct ctl_zone	 cz;
	struct xzone	*z;
	struct timeval	 tv;

	TAILQ_FOREACH(z, &zones, entry) {
		memset(&cz, 0, sizeof(cz));
		strlcpy(cz.zone, z->name, sizeof(cz.zone));
		if (z->xfr != NULL)
			strlcpy(cz.state, "refreshing", sizeof(cz.state));
		else if (!z->have_serial)
			strlcpy(cz.state, "never loaded", sizeof(cz.state));
		else if (!z->last.ok)
			strlcpy(cz.state, "retrying", sizeof(cz.state));
		else
			strlcpy(cz.state, "ok", sizeof(cz.state));
		cz.have_serial = z->have_serial;
		cz.serial = z->serial;
		if (evtimer_pending(&z->timer, &tv))
			cz.next_check = tv.tv_sec;
		strlcpy(cz.primary, z->last.primary, sizeof(cz.primary));
		cz.last = z->last;
		if (iev_compose(&iev_parent, IMSG_CTL_ZONE, id, 0, -1, &cz,
		    sizeof(cz)) == -1)
			fatal("%s", __func__);
	}
	child_result(&iev_parent, id, 0, "%s", "");
}

/* secctl retransfer: a full AXFR now, from the first primary. */
static void
xfrd_retransfer(uint32_t id, const char *zone)
{
	struct xzone	*z;

	if ((z = xfrd_zone(zone)) == NULL) {
		child_result(&iev_parent, id, 1, "zone %s is not configured",
		    zone);
		return;
	}
	if (z->xfr != NULL) {
		child_result(&iev_parent, id, 1, "zone %s: a transfer is "
		    "already running", zone);
		return;
	}
	evtimer_del(&z->timer);
	z->primary = 0;
	z->retries = 0;
	xfrd_schedule(z, 0);
	child_result(&iev_parent, id, 0, "zone %s: transfer started", zone);
}
