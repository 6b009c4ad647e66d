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
 * The rounds of one zone (xfrd.h): when to check, which primary to ask,
 * what to transfer, when the zone expires, and what secctl is told.
 */
#include <sys/types.h>

#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "child.h"
#include "config.h"
#include "denial.h"
#include "trim.h"
#include "log.h"
#include "secd.h"
#include "xfrd.h"

#define XZ_BACKOFF_MIN		15	/* s: never loaded, every primary */
#define XZ_BACKOFF_MAX		3600	/* failed, and a failed primary */
#define XZ_TIMER_MAX		86400	/* REFRESH and RETRY at most */
#define XZ_START_SPREAD		10	/* s: overdue checks at start */

static TAILQ_HEAD(, xzone) queued = TAILQ_HEAD_INITIALIZER(queued);

static void	xz_served(struct xzone *, const struct xfr_msg *);
static void	xz_sig_warn(struct xzone *);
static void	xz_timer(int, short, void *);
static void	xz_expire(int, short, void *);
static void	xz_schedule(struct xzone *, uint32_t);
static void	xz_arm_expiry(struct xzone *);
static void	xz_set_expired(struct xzone *, int);
static void	xz_start_round(struct xzone *);
static void	xz_ask(struct xzone *);
static void	xz_transfer(struct xzone *, int);
static void	xz_primary_failed(struct xzone *, const char *);
static void	xz_round_ok(struct xzone *, int64_t);
static void	xz_round_failed(struct xzone *);
static void	xz_round_end(struct xzone *, int);
static void	xz_error(struct xzone *, const char *);
static void	xz_dequeue(void);
static uint32_t	xz_jitter(uint32_t);
static uint32_t	xz_clamp(uint32_t);

struct xzone *
xz_new(struct zone_conf *zc)
{
	struct xzone	*z;

	uint8_t		 apex[DNS_MAXNAME];

	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->name = strdup(zc->name)) == NULL)
		fatal(NULL);
	if (dns_name_from_text(z->name, apex, &z->apexlen) == -1)
		fatalx("zone %s: bad name from parent", z->name);
	dns_name_lower(apex, z->apexlen);
	if ((z->apex = malloc(z->apexlen)) == NULL)
		fatal(NULL);
	memcpy(z->apex, apex, z->apexlen);
	TAILQ_INIT(&z->waiters);
	TAILQ_INIT(&z->nout.pending);
	evtimer_set(&z->timer, xz_timer, z);
	evtimer_set(&z->exptimer, xz_expire, z);
	xz_reconf(z, zc);
	return z;
}

/*
 * A new configuration: the primaries may have changed, forget their
 * state; the notify targets may have too.
 */
void
xz_reconf(struct xzone *z, struct zone_conf *zc)
{
	struct primary_conf	*p;
	int			 n = 0;

	z->conf = zc;
	TAILQ_FOREACH(p, &zc->opts->primaries, entry)
		n++;
	free(z->prim);
	if ((z->prim = calloc(n ? n : 1, sizeof(*z->prim))) == NULL)
		fatal(NULL);
	z->nprim = n;
	if (z->pi >= n)
		z->pi = 0;
	nout_reconf(z);
}

void
xz_free(struct xzone *z)
{
	struct xwaiter	*w;

	if (z->soaq != NULL)
		soa_cancel(z->soaq);
	if (z->xfr != NULL)
		xfr_cancel(z->xfr);
	if (z->busy == XZ_QUEUED)
		TAILQ_REMOVE(&queued, z, qentry);
	nout_free(z);
	while ((w = TAILQ_FIRST(&z->waiters)) != NULL) {
		child_result(xfrd_parent(), w->id, 1, "zone %s is no longer "
		    "configured", z->name);
		TAILQ_REMOVE(&z->waiters, w, entry);
		free(w);
	}
	evtimer_del(&z->timer);
	evtimer_del(&z->exptimer);
	free(z->prim);
	free(z->name);
	free(z->apex);
	free(z->soa);
	free(z->outcome);
	free(z->error);
	free(z->last.msg);
	free(z);
}

/* The served zone's SOA rdata (len bytes), for the IXFR request. */
void
xz_soa(struct xzone *z, const uint8_t *soa, size_t len)
{
	uint8_t	*p;

	if (len > XFR_SOAMAX)
		fatalx("zone %s: SOA of %zu bytes", z->name, len);
	if ((p = realloc(z->soa, len ? len : 1)) == NULL)
		fatal(NULL);
	memcpy(p, soa, len);
	z->soa = p;
	z->soalen = len;
}

/* *text becomes the formatted one. */
static void
xz_text(char **text, const char *fmt, ...)
{
	va_list	 ap;
	char	*t;

	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) == -1)
		fatal(NULL);
	va_end(ap);
	free(*text);
	*text = t;
}

const struct primary_conf *
xz_primary(struct xzone *z)
{
	struct primary_conf	*p;
	int			 i = 0;

	TAILQ_FOREACH(p, &z->conf->opts->primaries, entry)
		if (i++ == z->pi)
			return p;
	return NULL;
}

const char *
xz_state(const struct xzone *z)
{
	if (z->busy != XZ_IDLE)
		return z->expired ? "expired" : "refreshing";
	if (!z->have_serial)
		return "never loaded";
	if (z->expired)
		return "expired";
	if (z->failed_rounds > 0)
		return "retrying";
	return "ok";
}

int64_t
xz_next_check(struct xzone *z)
{
	struct timeval	 tv;

	/* libevent gives the time it fires, on the wall clock */
	if (evtimer_pending(&z->timer, &tv))
		return tv.tv_sec;
	return 0;
}

/* zoned serves m: its serial, SOA and timers, its signatures. */
static void
xz_served(struct xzone *z, const struct xfr_msg *m)
{
	/* secd serves what the primary signed, and says what is amiss */
	if (m->dnssec && (m->sig_missing > 0 || m->chain_breaks > 0) &&
	    (!z->have_serial || m->serial != z->serial))
		log_warnx("zone %s: serial %u served as transferred, though "
		    "%u RRsets have no RRSIG and its NSEC or NSEC3 chain "
		    "misses a next name %u times: validating resolvers may "
		    "reject its answers", z->name, m->serial, m->sig_missing,
		    m->chain_breaks);
	z->have_serial = 1;
	z->serial = m->serial;
	z->served = m->served;
	z->refresh = xz_clamp(m->refresh);
	z->retry = xz_clamp(m->retry);
	z->expire = m->expire;
	xz_soa(z, m->soa, m->soalen);
	z->dnssec = m->dnssec;
	z->sig_expire = m->sig_expire;
	z->sig_missing = m->sig_missing;
	z->chain_breaks = m->chain_breaks;
	xz_sig_warn(z);
}

/* A signed zone's signatures' health (denial.h); NULL when unsigned. */
const char *
xz_sig_state(const struct xzone *z, int32_t *left)
{
	if (!z->have_serial || !z->dnssec)
		return (NULL);
	return (denial_sig_state(z->sig_expire, z->expire, z->refresh, left));
}

/*
 * A hidden primary that stopped re-signing is the most common DNSSEC
 * outage: say so at every check while it lasts (validators will reject
 * the zone), and once when it ends.
 */
static void
xz_sig_warn(struct xzone *z)
{
	const char	*st;
	int32_t		 left;

	if ((st = xz_sig_state(z, &left)) == NULL)
		st = "ok";
	if (strcmp(st, "expired") == 0)
		log_warnx("zone %s: its signatures expired %ld s ago (serial "
		    "%u): validating resolvers reject it; secd serves what "
		    "the primary signed, have it re-sign the zone", z->name,
		    -(long)left, z->serial);
	else if (strcmp(st, "expiring") == 0)
		log_warnx("zone %s: its signatures expire in %ld s (serial "
		    "%u), within the zone's SOA EXPIRE or REFRESH: is the "
		    "primary re-signing?", z->name, (long)left, z->serial);
	else if (z->sig_logged != NULL && strcmp(z->sig_logged, "ok") != 0)
		log_info("zone %s: its signatures are fresh again (serial "
		    "%u)", z->name, z->serial);
	z->sig_logged = st;
}

/*
 * What zoned has for the zone, at start or after a reload: continue the
 * timers from the last successful check, so that a restart neither
 * forgets an expiry nor asks the primaries again before REFRESH.
 */
void
xz_loaded(struct xzone *z, const struct xfr_msg *m)
{
	time_t		 now = time(NULL);
	int64_t		 due;

	if (m->ok) {
		xz_served(z, m);
		/*
		 * A time from the store: one before 1970 or in the future
		 * (a clock set back, a damaged NAME.check) counts as now,
		 * and keeps the timer arithmetic in range.
		 */
		z->checked = m->checked < 0 || m->checked > now ? now :
		    m->checked;
		if (z->last.when == 0)
			xfr_last(z, m);
	}
	if (z->loaded)
		return;
	/* a catalog secd produces (zoned makes it): nothing to check */
	if (xz_produced(z)) {
		z->loaded = 1;
		return;
	}
	z->loaded = z->checking = 1;
	if (!z->have_serial) {
		xz_check(z, "no data yet");
		return;
	}
	xz_arm_expiry(z);
	if (z->expired) {
		xz_check(z, "expired");
		return;
	}
	due = z->checked + z->refresh;
	if (due <= now)
		xz_schedule(z, arc4random_uniform(XZ_START_SPREAD));
	else
		xz_schedule(z, due - now);
	log_debug("zone %s: serial %u, last checked %lld s ago, next check "
	    "in %lld s", z->name, z->serial, (long long)(now - z->checked),
	    (long long)(due > now ? due - now : 0));
}

/* Check now (a NOTIFY, the timer, secctl); after the round in progress. */
void
xz_check(struct xzone *z, const char *why)
{
	if (z->conf == NULL || !z->checking)
		return;
	if (z->busy != XZ_IDLE) {
		z->again = 1;
		return;
	}
	log_debug("zone %s: check (%s)", z->name, why);
	xz_start_round(z);
}

/* secctl refresh (force 0) or retransfer (force 1): answer at the end. */
void
xz_request(struct xzone *z, uint32_t id, int force)
{
	struct xwaiter	*w;

	if (xz_produced(z)) {
		child_result(xfrd_parent(), id, 1, "zone %s: secd produces "
		    "it (catalog produce): it has no primary", z->name);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		child_result(xfrd_parent(), id, 1, "out of memory");
		return;
	}
	w->id = id;
	w->round = z->round + 1;
	TAILQ_INSERT_TAIL(&z->waiters, w, entry);
	if (force)
		z->force = 1;
	z->checking = 1;	/* zoned may still be loading: do not wait */
	xz_check(z, force ? "secctl retransfer" : "secctl refresh");
}

static void
xz_timer(int fd, short event, void *arg)
{
	xz_check(arg, "timer");
}

static void
xz_expire(int fd, short event, void *arg)
{
	struct xzone	*z = arg;

	if (!z->have_serial || z->expired)
		return;
	log_warnx("zone %s: EXPIRE (%u s) passed since the last successful "
	    "check; answering SERVFAIL until a transfer succeeds", z->name,
	    z->expire);
	xz_set_expired(z, 1);
	xz_check(z, "expired");
}

static void
xz_set_expired(struct xzone *z, int expired)
{
	struct zone_expire_msg	 m;

	if (z->expired == expired)
		return;
	z->expired = expired;
	memset(&m, 0, sizeof(m));
	strlcpy(m.zone, z->name, sizeof(m.zone));
	m.expired = expired;
	xfrd_serverd_all(IMSG_ZONE_EXPIRE, &m, sizeof(m));
}

/* EXPIRE seconds after the last success; at once if that has passed. */
static void
xz_arm_expiry(struct xzone *z)
{
	struct timeval	 tv = { 0, 0 };
	int64_t		 left;

	evtimer_del(&z->exptimer);
	if (!z->have_serial)
		return;
	left = z->checked + (int64_t)z->expire - time(NULL);
	if (left <= 0) {
		if (!z->expired)
			log_warnx("zone %s: expired (last successful check "
			    "%lld s ago, EXPIRE %u s)", z->name,
			    (long long)(time(NULL) - z->checked), z->expire);
		xz_set_expired(z, 1);
		return;
	}
	tv.tv_sec = left;
	evtimer_add(&z->exptimer, &tv);
}

static void
xz_schedule(struct xzone *z, uint32_t secs)
{
	struct timeval	 tv;

	tv.tv_sec = secs;
	tv.tv_usec = arc4random_uniform(1000000);
	evtimer_add(&z->timer, &tv);
}

/* Up to a tenth less, so that zones loaded together drift apart. */
static uint32_t
xz_jitter(uint32_t secs)
{
	return secs - arc4random_uniform(secs / 10 + 1);
}

static uint32_t
xz_clamp(uint32_t secs)
{
	if (secs < 1)
		return 1;
	return secs > XZ_TIMER_MAX ? XZ_TIMER_MAX : secs;
}

/* The first primary not in backoff; if all are, the first. */
static void
xz_start_round(struct xzone *z)
{
	time_t	 now = time(NULL);
	int	 i;

	evtimer_del(&z->timer);
	z->round++;
	z->again = 0;
	free(z->outcome);
	z->outcome = NULL;
	z->pi = 0;
	for (i = 0; i < z->nprim; i++)
		if (z->prim[i].down_until <= now) {
			z->pi = i;
			break;
		}
	if (z->nprim == 0) {
		xz_error(z, "no primary configured");
		xz_round_failed(z);
		return;
	}
	xz_ask(z);
}

/* Ask primary z->pi: the SOA first when there is a serial to compare. */
static void
xz_ask(struct xzone *z)
{
	const struct primary_conf	*p = xz_primary(z);

	if (!z->have_serial || z->force) {
		xz_transfer(z, XFR_AXFR);
		return;
	}
	z->busy = XZ_SOA;
	xstats.soa_checks++;
	if ((z->soaq = soa_start(z, p)) == NULL)
		xz_primary_failed(z, "cannot send the SOA query");
}

/* Run a transfer of kind from z->pi, now or when a slot is free. */
static void
xz_transfer(struct xzone *z, int kind)
{
	struct secd_conf	*conf = xfrd_conf();

	z->kind = kind;
	if (xfr_running() >= conf->max_transfers) {
		if (z->busy != XZ_QUEUED) {
			log_debug("zone %s: waiting for one of %d transfer "
			    "slots", z->name, conf->max_transfers);
			z->busy = XZ_QUEUED;
			TAILQ_INSERT_TAIL(&queued, z, qentry);
		}
		return;
	}
	z->busy = XZ_XFR;
	if ((z->xfr = xfr_start(z, xz_primary(z), kind)) == NULL)
		xz_primary_failed(z, "cannot start a transfer");
}

/* A transfer slot is free: start the zones waiting for one. */
static void
xz_dequeue(void)
{
	struct xzone	*z;

	while ((z = TAILQ_FIRST(&queued)) != NULL &&
	    xfr_running() < xfrd_conf()->max_transfers) {
		TAILQ_REMOVE(&queued, z, qentry);
		z->busy = XZ_IDLE;
		xz_transfer(z, z->kind);
	}
}

/* The SOA query to z->pi ended. */
void
xz_soa_done(struct xzone *z, int status, uint32_t serial, const char *why)
{
	const char	*peer = sa_str(&xz_primary(z)->ss);
	char		 msg[SECD_MSGLEN];

	z->soaq = NULL;
	if (status == SOA_FAIL) {
		xz_primary_failed(z, why);
		return;
	}
	if (status == SOA_TRUNCATED) {
		xz_transfer(z, XFR_IXFR);
		return;
	}
	switch (dns_serial_cmp(serial, z->serial)) {
	case 0:
		strlcpy(z->primary, peer, sizeof(z->primary));
		xz_text(&z->outcome, "serial %u is "
		    "current (primary %s)", z->serial, peer);
		xz_round_ok(z, 0);
		return;
	case 1:
		log_info("zone %s: primary %s has serial %u, ours is %u",
		    z->name, peer, serial, z->serial);
		xz_transfer(z, XFR_IXFR);
		return;
	default:
		break;
	}
	/* RFC 1982: older, or undefined (2^31 apart) */
	if (z->expired) {
		log_warnx("zone %s: primary %s has serial %u, older than "
		    "ours %u; the zone expired, so taking the primary's "
		    "zone whatever its serial", z->name, peer, serial,
		    z->serial);
		z->force = 1;
		xz_transfer(z, XFR_AXFR);
		return;
	}
	snprintf(msg, sizeof(msg), "serial went backwards: primary has %u, "
	    "ours is %u (RFC 1982); keeping ours until the zone expires or "
	    "secctl retransfer", serial, z->serial);
	log_warnx("zone %s: primary %s: %s", z->name, peer, msg);
	xz_primary_failed(z, msg);
}

/* The transfer from z->pi failed in xfrd; fallback: IXFR refused. */
void
xz_xfr_failed(struct xzone *z, int fallback, const char *why)
{
	z->xfr = NULL;
	xz_dequeue();
	if (fallback && z->kind == XFR_IXFR) {
		log_info("zone %s: IXFR from %s: %s; falling back to AXFR",
		    z->name, sa_str(&xz_primary(z)->ss), why);
		z->busy = XZ_IDLE;
		xz_transfer(z, XFR_AXFR);
		return;
	}
	xz_primary_failed(z, why);
}

/* IXFR answered with the SOA alone: nothing newer after all. */
void
xz_xfr_current(struct xzone *z, uint32_t serial)
{
	const char	*peer = sa_str(&xz_primary(z)->ss);

	z->xfr = NULL;
	xz_dequeue();
	if (dns_serial_cmp(serial, z->serial) != 0) {
		xz_primary_failed(z, "IXFR answered with an older serial");
		return;
	}
	strlcpy(z->primary, peer, sizeof(z->primary));
	xz_text(&z->outcome, "serial %u is current "
	    "(primary %s)", z->serial, peer);
	xz_round_ok(z, 0);
}

/* The transfer is with zoned; IMSG_XFR_RESULT will end the round. */
void
xz_xfr_sent(struct xzone *z)
{
	z->xfr = NULL;
	z->busy = XZ_APPLY;
	xz_dequeue();
}

/* zoned stored and serves the transfer, or refused it. */
void
xz_result(struct xzone *z, const struct xfr_msg *m)
{
	trim_later();	/* the transfer's buffers, once a burst ends */
	xfr_last(z, m);
	if (!m->ok) {
		xstats.xfr_failed++;
		if (m->kind == XFR_IXFR)
			xstats.ixfr_failed++;
		if (z->busy != XZ_APPLY)
			return;
		if (m->kind == XFR_IXFR) {
			log_info("zone %s: IXFR from %s does not apply: %s; "
			    "falling back to AXFR", z->name, m->primary,
			    m->msg);
			z->busy = XZ_IDLE;
			xz_transfer(z, XFR_AXFR);
			return;
		}
		xz_primary_failed(z, m->msg);
		return;
	}
	xstats.xfr_ok++;
	if (m->kind == XFR_IXFR)
		xstats.ixfr_ok++;
	xstats.xfr_records += m->records;
	xstats.xfr_bytes += m->bytes;
	xstats.xfr_msecs += m->msecs;
	xz_served(z, m);
	z->force = 0;
	strlcpy(z->primary, m->primary, sizeof(z->primary));
	xz_text(&z->outcome, "serial %u by %s from %s, "
	    "%llu records, %llu bytes in %u ms", m->serial,
	    m->kind == XFR_IXFR ? "IXFR" : "AXFR", m->primary,
	    (unsigned long long)m->records, (unsigned long long)m->bytes,
	    m->msecs);
	if (z->busy == XZ_APPLY)
		xz_round_ok(z, m->checked);
}

/* z->pi failed: back it off, try the next one, or give up the round. */
static void
xz_primary_failed(struct xzone *z, const char *why)
{
	struct xprimary	*p = &z->prim[z->pi];
	time_t		 now = time(NULL);
	uint32_t	 wait;
	int		 i;

	xz_error(z, why);
	p->fails++;
	wait = XZ_BACKOFF_MIN << (p->fails < 9 ? p->fails - 1 : 8);
	p->down_until = now + (wait > XZ_BACKOFF_MAX ? XZ_BACKOFF_MAX : wait);
	z->busy = XZ_IDLE;
	for (i = z->pi + 1; i < z->nprim; i++)
		if (z->prim[i].down_until <= now) {
			z->pi = i;
			log_info("zone %s: trying the next primary, %s",
			    z->name, sa_str(&xz_primary(z)->ss));
			xz_ask(z);
			return;
		}
	xz_round_failed(z);
}

static void
xz_error(struct xzone *z, const char *why)
{
	const struct primary_conf	*p = xz_primary(z);

	z->error_when = time(NULL);
	if (p != NULL)
		xz_text(&z->error, "%s: %s", sa_str(&p->ss), why);
	else
		xz_text(&z->error, "%s", why);
}

/*
 * A round succeeded: the zone was checked now, which zoned records
 * (NAME.check), or, when the round stored a transfer, at the time zoned
 * stored it (stored), which its store already says.
 */
static void
xz_round_ok(struct xzone *z, int64_t stored)
{
	struct zone_check_msg	 m;
	time_t			 now = time(NULL);

	z->busy = XZ_IDLE;
	z->failed_rounds = 0;
	z->prim[z->pi].fails = 0;
	z->prim[z->pi].down_until = 0;
	if (stored > 0 && stored <= now)
		z->checked = stored;
	else {
		z->checked = now;
		memset(&m, 0, sizeof(m));
		strlcpy(m.zone, z->name, sizeof(m.zone));
		m.serial = z->serial;
		m.checked = z->checked;
		if (iev_compose(xfrd_zoned(), IMSG_ZONE_CHECKED, 0, 0, -1, &m,
		    sizeof(m)) == -1)
			fatal("%s", __func__);
	}
	if (z->expired)
		log_info("zone %s: serving again, serial %u", z->name,
		    z->serial);
	xz_set_expired(z, 0);
	xz_arm_expiry(z);
	xz_schedule(z, xz_jitter(z->refresh));
	xz_sig_warn(z);
	xz_round_end(z, 0);
}

static void
xz_round_failed(struct xzone *z)
{
	uint32_t	 wait;

	z->busy = XZ_IDLE;
	z->force = 0;
	z->failed_rounds++;
	if (z->have_serial)
		wait = xz_jitter(z->retry);
	else {
		wait = XZ_BACKOFF_MIN << (z->failed_rounds < 9 ?
		    z->failed_rounds - 1 : 8);
		if (wait > XZ_BACKOFF_MAX)
			wait = XZ_BACKOFF_MAX;
	}
	xz_text(&z->outcome, "every primary failed, last %.200s",
	    z->error != NULL ? z->error : "");
	log_warnx("zone %s: %s; next try in %u s", z->name, z->outcome, wait);
	xz_schedule(z, wait);
	xz_sig_warn(z);
	xz_round_end(z, 1);
}

/* Tell the secctl requests waiting for this round; start the next one. */
static void
xz_round_end(struct xzone *z, int failed)
{
	struct xwaiter	*w, *t;

	TAILQ_FOREACH_SAFE(w, &z->waiters, entry, t) {
		if (w->round > z->round)
			continue;
		child_result(xfrd_parent(), w->id, failed, "zone %s: %s",
		    z->name, z->outcome != NULL ? z->outcome : "");
		TAILQ_REMOVE(&z->waiters, w, entry);
		free(w);
	}
	if (z->again || !TAILQ_EMPTY(&z->waiters))
		xz_start_round(z);
}

/* Every serverd serves the zone at the served serial m->served. */
void
xz_serving(struct xzone *z, const struct zone_served_msg *m)
{
	z->served = m->served;
	nout_serving(z, m->served);
}

/* 1 for a catalog of secd's own zones (secd.conf(5) catalog produce). */
int
xz_produced(const struct xzone *z)
{
	return z->conf != NULL && z->conf->opts->produce;
}
