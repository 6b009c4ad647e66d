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
 * xfrd: SOA timers, zone transfers and NOTIFY decisions.  Talks to the
 * primaries over the network and to zoned and serverd over imsg; nothing
 * on disk.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "config.h"
#include "log.h"
#include "pace.h"
#include "proc.h"
#include "sandbox.h"
#include "secd.h"
#include "tsig.h"
#include "xfrd.h"

static void	xfrd_configure(void);
static int	xfrd_newer(uint32_t);
static const char *xfrd_zone_key(const void *);
static void	xfrd_dispatch_zoned(int, short, void *);
static void	xfrd_dispatch_serverd(int, short, void *);
static void	xfrd_zoned_imsg(struct imsg *);
static void	xfrd_serverd_imsg(struct imsg *);
static int	xfrd_parent_imsg(struct imsg *);
struct xshow;

static void	xfrd_show_zones(uint32_t, const struct ctl_request *);
static int	xfrd_show_match(const struct xshow *, struct xzone *);
static int	xfrd_show_step(void *);
static void	xfrd_show_zone(uint32_t, struct xzone *);
static void	xfrd_show_forget(struct xzone *);
static void	xfrd_refresh(uint32_t, const char *, int);

struct ctl_stats	 xstats;

static struct child_env	 env;
static struct imsgev	 iev_parent;
static struct imsgev	 iev_zoned;
static struct imsgev	*iev_serverd;
static struct imsgev	*cur_serverd;	/* the one being dispatched */
static struct xzones	 zones = TAILQ_HEAD_INITIALIZER(zones);
static struct nametab	 zonetab = { NULL, 0, 0, xfrd_zone_key };

/* IMSG_ZONE_LOADED for a zone of a configuration xfrd does not have yet */
struct early {
	TAILQ_ENTRY(early)	 entry;
	struct xfr_msg		 m;
};
static TAILQ_HEAD(, early) earlies = TAILQ_HEAD_INITIALIZER(earlies);

/*
 * A secctl show zones in progress, a paced walk (shared/pace.h), so that
 * 100,000 zones (3.6 KB each) stream to secctl instead of queueing in
 * xfrd.  next is the zone to send next (a zone a reload removes moves it
 * on: xfrd_show_forget).  Only zones whose state's first word is state
 * and whose name matches pattern (fnmatch(3)) are sent, when given.
 */
struct xshow {
	TAILQ_ENTRY(xshow)	 entry;
	struct pace		 pace;
	uint32_t		 id;
	struct xzone		*next;
	char			 state[16];	/* "": any */
	char			 pattern[SECD_NAMESTRLEN];	/* "": any */
};
static TAILQ_HEAD(, xshow) shows = TAILQ_HEAD_INITIALIZER(shows);

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
		    xfrd_dispatch_serverd, NULL);
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

struct imsgev *
xfrd_parent(void)
{
	return &iev_parent;
}

struct secd_conf *
xfrd_conf(void)
{
	return env.conf;
}

struct tsig_key *
xfrd_key(const char *name)
{
	return config_key(env.conf, name);
}

struct tsig_keys *
xfrd_keys(void)
{
	return &env.conf->keys;
}

/* Send the same message to every serverd. */
void
xfrd_serverd_all(int type, const void *data, size_t len)
{
	int	 i;

	for (i = 0; i < env.nserverd; i++)
		if (iev_compose(&iev_serverd[i], type, 0, 0, -1, data,
		    len) == -1)
			fatal("%s", __func__);
}

static const char *
xfrd_zone_key(const void *z)
{
	return ((const struct xzone *)z)->name;
}

/* The zone of that name (secd.conf's form: lower case, no dot), or NULL. */
struct xzone *
xfrd_zone(const char *name)
{
	return nametab_find(&zonetab, name);
}

/*
 * The zone whose apex is name (lower case wire form): its name spelled
 * as secd.conf's names are, looked up; a label no zone name can hold
 * matches none.
 */
struct xzone *
xfrd_zone_apex(const uint8_t *name, size_t len)
{
	char		 text[SECD_CONFNAMELEN];
	size_t		 i = 0, n = 0, l;
	unsigned char	 c;

	while (i < len && (l = name[i++]) != 0) {
		if (i + l > len || n + l + 1 > sizeof(text))
			return NULL;
		if (n > 0)
			text[n++] = '.';
		for (; l > 0; l--) {
			c = name[i++];
			if (!isalnum(c) && c != '-' && c != '_' && c != '/')
				return NULL;
			text[n++] = tolower(c);
		}
	}
	if (n == 0)
		return NULL;
	text[n] = '\0';
	return nametab_find(&zonetab, text);
}

/* 1 if gen numbers a configuration after the one xfrd runs (RFC 1982). */
static int
xfrd_newer(uint32_t gen)
{
	return (int32_t)(gen - env.conf->gen) > 0;
}

/*
 * Match the zone list to the configuration: new zones wait for zoned to
 * say what it has stored (IMSG_ZONE_LOADED), zones gone from it are
 * forgotten (their round cancelled).
 */
static void
xfrd_configure(void)
{
	struct zone_conf	*zc;
	struct xzone		*z, *t;
	struct early		*e, *et;

	TAILQ_FOREACH(z, &zones, entry)
		z->conf = NULL;
	TAILQ_FOREACH(zc, &env.conf->zones, entry) {
		if ((z = xfrd_zone(zc->name)) != NULL) {
			xz_reconf(z, zc);
			continue;
		}
		z = xz_new(zc);
		TAILQ_INSERT_TAIL(&zones, z, entry);
		if (nametab_add(&zonetab, z) == -1)
			fatal(NULL);
	}
	TAILQ_FOREACH_SAFE(e, &earlies, entry, et) {
		if (xfrd_newer(e->m.gen))
			continue;	/* for a configuration still to come */
		if ((z = xfrd_zone(e->m.zone)) != NULL && z->conf != NULL)
			xz_loaded(z, &e->m);
		TAILQ_REMOVE(&earlies, e, entry);
		free(e);
	}
	TAILQ_FOREACH_SAFE(z, &zones, entry, t) {
		if (z->conf != NULL)
			continue;
		log_info("zone %s: no longer configured", z->name);
		xfrd_show_forget(z);
		TAILQ_REMOVE(&zones, z, entry);
		nametab_del(&zonetab, z);
		xz_free(z);
	}
	resolve_reconf();
}

static void
xfrd_dispatch_zoned(int fd, short event, void *arg)
{
	child_dispatch(arg, event, "zoned", xfrd_zoned_imsg);
	xfr_resume();
}

static void
xfrd_dispatch_serverd(int fd, short event, void *arg)
{
	cur_serverd = arg;
	child_dispatch(arg, event, "serverd", xfrd_serverd_imsg);
}

static void
xfrd_serverd_imsg(struct imsg *imsg)
{
	if (imsg->hdr.type != IMSG_NOTIFY)
		fatalx("serverd: unexpected imsg %u", imsg->hdr.type);
	notify_imsg(cur_serverd, imsg);
}

static void
xfrd_zoned_imsg(struct imsg *imsg)
{
	struct apex_msg		 am;
	struct xfr_msg		 m;
	struct zone_served_msg	 sm;
	struct xzone		*z;
	struct early	*e;

	switch (imsg->hdr.type) {
	case IMSG_APEX_RESOLVE:
		if (imsg_get_data(imsg, &am, sizeof(am)) == -1 ||
		    memchr(am.zone, '\0', sizeof(am.zone)) == NULL ||
		    memchr(am.name, '\0', sizeof(am.name)) == NULL)
			fatalx("zoned: bad IMSG_APEX_RESOLVE");
		resolve_imsg(&am);
		break;
	case IMSG_XFR_RESULT:
	case IMSG_ZONE_LOADED:
		if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
		    memchr(m.zone, '\0', sizeof(m.zone)) == NULL ||
		    memchr(m.msg, '\0', sizeof(m.msg)) == NULL ||
		    memchr(m.primary, '\0', sizeof(m.primary)) == NULL ||
		    m.soalen > sizeof(m.soa))
			fatalx("zoned: bad imsg %u", imsg->hdr.type);
		/*
		 * zoned has a newer configuration than ours: the zone of
		 * that name here may be one that configuration removes and
		 * adds again (a catalog member reset); it waits for it.
		 */
		if ((z = xfrd_zone(m.zone)) == NULL ||
		    (imsg->hdr.type == IMSG_ZONE_LOADED &&
		    xfrd_newer(m.gen))) {
			if (imsg->hdr.type == IMSG_ZONE_LOADED &&
			    (e = calloc(1, sizeof(*e))) != NULL) {
				e->m = m;
				TAILQ_INSERT_TAIL(&earlies, e, entry);
			}
			break;
		}
		if (imsg->hdr.type == IMSG_ZONE_LOADED)
			xz_loaded(z, &m);
		else
			xz_result(z, &m);
		break;
	case IMSG_ZONE_SERVED:
		if (imsg_get_data(imsg, &sm, sizeof(sm)) == -1 ||
		    memchr(sm.zone, '\0', sizeof(sm.zone)) == NULL)
			fatalx("zoned: bad IMSG_ZONE_SERVED");
		/* a zone gone from the configuration: nothing to tell */
		if ((z = xfrd_zone(sm.zone)) != NULL)
			xz_serving(z, &sm);
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
		xfrd_show_zones(id, &req);
		break;
	case CTL_REFRESH:
	case CTL_RETRANSFER:
		xfrd_refresh(id, req.zone, req.verb == CTL_RETRANSFER);
		break;
	case CTL_SHOW_STATS:
		if (iev_compose(&iev_parent, IMSG_CTL_STATS, id, 0, -1,
		    &xstats, sizeof(xstats)) == -1)
			fatal("%s", __func__);
		child_result(&iev_parent, id, 0, "%s", "");
		break;
	default:
		child_result(&iev_parent, id, 1, "request %d is not for xfrd",
		    req.verb);
		break;
	}
	return 1;
}

/* secctl show zones [state STATE] [PATTERN]: its walk begins. */
static void
xfrd_show_zones(uint32_t id, const struct ctl_request *req)
{
	struct xshow	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal(NULL);
	s->id = id;
	s->next = TAILQ_FIRST(&zones);
	strlcpy(s->state, req->arg, sizeof(s->state));
	strlcpy(s->pattern, req->name, sizeof(s->pattern));
	TAILQ_INSERT_TAIL(&shows, s, entry);
	pace_start(&s->pace, &iev_parent, xfrd_show_step, s);
}

/* A walk's next zones (shared/pace.h); 1 once it is done. */
static int
xfrd_show_step(void *arg)
{
	struct xshow	*s = arg;
	int		 n;

	for (n = 0; s->next != NULL && n < PACE_STEP; n++) {
		if (xfrd_show_match(s, s->next))
			xfrd_show_zone(s->id, s->next);
		s->next = TAILQ_NEXT(s->next, entry);
	}
	if (s->next != NULL)
		return 0;
	child_result(&iev_parent, s->id, 0, "%s", "");
	TAILQ_REMOVE(&shows, s, entry);
	free(s);
	return 1;
}

/* Whether z is one that walk s shows. */
static int
xfrd_show_match(const struct xshow *s, struct xzone *z)
{
	const char	*st = xz_state(z);
	size_t		 len = strlen(s->state);

	if (len > 0 && (strncmp(st, s->state, len) != 0 ||
	    (st[len] != '\0' && st[len] != ' ')))
		return 0;
	return s->pattern[0] == '\0' || fnmatch(s->pattern, z->name, 0) == 0;
}

/* A zone about to be freed: the walks at it go on at the next one. */
static void
xfrd_show_forget(struct xzone *z)
{
	struct xshow	*s;

	TAILQ_FOREACH(s, &shows, entry)
		if (s->next == z)
			s->next = TAILQ_NEXT(z, entry);
}

/* One zone of secctl show zones. */
static void
xfrd_show_zone(uint32_t id, struct xzone *z)
{
	struct ctl_zone	 cz;
	const char	*st;

	memset(&cz, 0, sizeof(cz));
	strlcpy(cz.zone, z->name, sizeof(cz.zone));
	strlcpy(cz.state, xz_state(z), sizeof(cz.state));
	cz.have_serial = z->have_serial;
	cz.serial = z->serial;
	cz.served = z->served;
	cz.next_check = xz_next_check(z);
	cz.checked = z->checked;
	if (z->have_serial)
		cz.expires = z->checked + z->expire;
	strlcpy(cz.primary, z->primary, sizeof(cz.primary));
	if (z->conf != NULL && z->conf->owner != NULL)
		strlcpy(cz.catalog, z->conf->owner->name, sizeof(cz.catalog));
	strlcpy(cz.last.zone, z->name, sizeof(cz.last.zone));
	cz.last.serial = z->last.serial;
	cz.last.kind = z->last.kind;
	cz.last.ok = z->last.ok;
	cz.last.records = z->last.records;
	cz.last.bytes = z->last.bytes;
	cz.last.when = z->last.when;
	cz.last.msecs = z->last.msecs;
	strlcpy(cz.last.primary, z->last.primary, sizeof(cz.last.primary));
	if (z->last.msg != NULL)
		strlcpy(cz.last.msg, z->last.msg, sizeof(cz.last.msg));
	cz.error_when = z->error_when;
	if (z->error != NULL)
		strlcpy(cz.error, z->error, sizeof(cz.error));
	if ((st = xz_sig_state(z, NULL)) != NULL) {
		cz.dnssec = 1;
		cz.sigs.sig_expire = z->sig_expire;
		cz.sigs.sig_missing = z->sig_missing;
		cz.sigs.chain_breaks = z->chain_breaks;
		strlcpy(cz.sigs.sig_state, st, sizeof(cz.sigs.sig_state));
	}
	nout_show(z, &cz.notify_out);
	if (iev_compose(&iev_parent, IMSG_CTL_ZONE, id, 0, -1, &cz,
	    sizeof(cz)) == -1)
		fatal("%s", __func__);
}

/*
 * secctl refresh (an SOA check now) and retransfer (an AXFR now, whatever
 * the serials): the answer waits for the outcome.
 */
static void
xfrd_refresh(uint32_t id, const char *zone, int force)
{
	struct xzone	*z;

	if ((z = xfrd_zone(zone)) == NULL) {
		child_result(&iev_parent, id, 1, "zone %s is not configured",
		    zone);
		return;
	}
	xz_request(z, id, force);
}
