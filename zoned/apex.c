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
 * The apex CNAME (secctl(8), apex): secctl apex ZONE cname TARGET
 * [proxied] and apex ZONE clear, the merge that puts address records at
 * the apex in its place (no CNAME is ever served at the apex), and the
 * answers of the resolver for a flattened target outside the zone.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "override.h"
#include "zoned.h"

/* The last failure of the resolver for a zone, shown by show zone. */
struct apex_err {
	TAILQ_ENTRY(apex_err)	 entry;
	char			 zone[SECD_NAMESTRLEN];
	char			 name[SECD_NAMESTRLEN];
	char			 msg[SECD_MSGLEN];
	time_t			 when;
};

/* A secctl apex waiting for the resolver's first answer for its target. */
struct rwaiter {
	TAILQ_ENTRY(rwaiter)	 entry;
	uint32_t		 id;
	const char		*done;
	char			 zone[SECD_NAMESTRLEN];
	char			 what[SECD_NAMESTRLEN];
};

static TAILQ_HEAD(, apex_err) errs = TAILQ_HEAD_INITIALIZER(errs);
static TAILQ_HEAD(, rwaiter) rwaiters = TAILQ_HEAD_INITIALIZER(rwaiters);
static int	unresolved;	/* the last merge waits for the resolver */

static void	apex_resolve(const char *, const uint8_t *, size_t);
static struct apex_err *apex_err(const char *);
static uint32_t	apex_change(struct imsgev *, uint32_t, const char *,
		    struct overrides *, const char *, const char *);
static void	apex_answer(struct imsgev *, const char *, uint32_t,
		    const char *);
static int	apex_refuse(struct imsgev *, uint32_t, const char *,
		    struct zview *, const char *, const uint8_t *, size_t,
		    int);

/* Ask xfrd to keep name resolved for zone, or (len 0) to stop. */
static void
apex_resolve(const char *zone, const uint8_t *name, size_t len)
{
	struct apex_msg	 m;

	memset(&m, 0, sizeof(m));
	strlcpy(m.zone, zone, sizeof(m.zone));
	if (len > 0 && dns_name_to_text(name, len, m.name,
	    sizeof(m.name)) == -1)
		return;
	if (iev_compose(zoned_xfrd(), IMSG_APEX_RESOLVE, 0, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
}

/* After a merge: what xfrd is to resolve, and a loop said. */
void
apex_merged(const char *zone, const struct apex_state *m)
{
	struct apex_err	*e;

	apex_resolve(zone, m->resolve, m->resolvelen);
	unresolved = m->unresolved;
	if (m->resolvelen == 0 && (e = apex_err(zone)) != NULL) {
		TAILQ_REMOVE(&errs, e, entry);
		free(e);
	}
	if (m->apexloop)
		log_warnx("zone %s: the apex CNAME's chain comes back to the "
		    "apex or is longer than %d; the apex has no address",
		    zone, APEX_MAXCHAIN);
}

/*
 * A stored image is served as it is: ask xfrd for what its apex CNAME
 * needs resolved, known from NAME.over without a merge; -1 when it is
 * not (a chain out of the zone never resolved): build the zone then.
 */
int
apex_reused(const char *zone)
{
	struct overrides	 o;
	struct apex_cname	*a = &o.apex;
	char			 err[SECD_MSGLEN];
	uint8_t			 apex[DNS_MAXNAME];
	size_t			 len;
	int			 rv = 0;

	if (over_load(zone, &o, err, sizeof(err)) == -1 ||
	    dns_name_from_text(zone, apex, &len) == -1) {
		over_free(&o);
		return -1;
	}
	if (a->set && !a->proxied) {
		if (a->rnamelen > 0)
			apex_resolve(zone, a->rname, a->rnamelen);
		else if (!dns_name_subdomain(a->target, a->targetlen, apex,
		    len))
			apex_resolve(zone, a->target, a->targetlen);
		else
			rv = -1;
	}
	over_free(&o);
	return rv;
}

static struct apex_err *
apex_err(const char *zone)
{
	struct apex_err	*e;

	TAILQ_FOREACH(e, &errs, entry)
		if (strcmp(e->zone, zone) == 0)
			return e;
	return NULL;
}

/*
 * Store o (changed), serve zone with it (change.c).  Answer id once it
 * is served (with the resolver's first answer when the apex waits for
 * one); returns the generation of the image, 0 on failure.
 */
static uint32_t
apex_change(struct imsgev *parent, uint32_t id, const char *zone,
    struct overrides *o, const char *what, const char *done)
{
	struct change	 c;
	struct rwaiter	*w;
	char		 err[SECD_MSGLEN];
	uint32_t	 gen = 0;

	memset(&c, 0, sizeof(c));
	c.zone = zone;
	c.o = o;
	if (change_apply(&c, &gen, err, sizeof(err)) == -1) {
		if (id != 0)
			child_result(parent, id, 1, "zone %s: nothing "
			    "changed: %s", zone, err);
		else
			log_warnx("zone %s: apex CNAME not updated: %s", zone,
			    err);
		return 0;
	}
	if (id == 0)
		return gen;
	if (gen == 0 || !unresolved || (w = calloc(1, sizeof(*w))) == NULL) {
		change_wait(parent, id, zone, gen, what, done);
		return gen;
	}
	w->id = id;
	w->done = done;
	strlcpy(w->zone, zone, sizeof(w->zone));
	strlcpy(w->what, what, sizeof(w->what));
	TAILQ_INSERT_TAIL(&rwaiters, w, entry);
	return gen;
}

/*
 * The resolver answered for zone: the requests waiting for it are
 * answered once image gen is served (0: at once), or with why it failed.
 */
static void
apex_answer(struct imsgev *parent, const char *zone, uint32_t gen,
    const char *failed)
{
	struct rwaiter	*w, *t;

	TAILQ_FOREACH_SAFE(w, &rwaiters, entry, t) {
		if (strcmp(w->zone, zone) != 0)
			continue;
		if (failed != NULL)
			child_result(parent, w->id, 0, "%s%s, but resolving it "
			    "failed: %s; the apex has no address until it "
			    "succeeds", w->what, w->done, failed);
		else if (gen != 0)
			change_wait(parent, w->id, zone, gen, w->what, w->done);
		else
			child_result(parent, w->id, 0, "%s%s", w->what,
			    w->done);
		TAILQ_REMOVE(&rwaiters, w, entry);
		free(w);
	}
}

void
zoned_apex(struct imsgev *parent, uint32_t id, const struct ctl_request *req)
{
	struct zview		 v;
	struct overrides	 o;
	struct apex_cname	*a = &o.apex;
	const struct zone_conf	*zc;
	uint8_t			 target[DNS_MAXNAME];
	size_t			 len = 0;
	int			 set = req->verb == CTL_APEX_CNAME;
	int			 proxied = (req->flags & CTL_F_PROXIED) != 0;

	if ((zc = zoned_zone_conf(req->zone)) == NULL) {
		child_result(parent, id, 1, "zone %s is not configured",
		    req->zone);
		return;
	}
	if (set && dns_name_from_text(req->arg, target, &len) == -1) {
		child_result(parent, id, 1, "%s is not a domain name",
		    req->arg);
		return;
	}
	dns_name_lower(target, len);
	if (view_overrides(parent, id, zc->name, &o) == -1)
		return;
	if (!set && !a->set) {
		over_free(&o);
		child_result(parent, id, 0, "zone %s has no apex CNAME",
		    zc->name);
		return;
	}
	if (set && a->set && a->proxied == proxied &&
	    dns_name_equal(a->target, a->targetlen, target, len)) {
		over_free(&o);
		child_result(parent, id, 0, "the apex CNAME is already %s%s",
		    req->arg, proxied ? " (proxied)" : " (flattened)");
		return;
	}
	if (view_request(&v, parent, id, zc->name) == -1) {
		over_free(&o);
		return;
	}
	if (set && apex_refuse(parent, id, zc->name, &v, req->arg, target,
	    len, proxied) == -1) {
		view_close(&v);
		over_free(&o);
		return;
	}
	view_close(&v);
	if (set) {
		if (!dns_name_equal(a->target, a->targetlen, target, len) ||
		    !a->set)
			a->rnamelen = 0;	/* another chain */
		a->set = 1;
		memcpy(a->target, target, len);
		a->targetlen = len;
		a->proxied = proxied;
	} else
		memset(a, 0, sizeof(*a));
	a->when = time(NULL);
	snprintf(a->source, sizeof(a->source), "secctl uid %u", req->uid);
	if (apex_change(parent, id, zc->name, &o, set ? req->arg : "",
	    !set ? "apex CNAME cleared" : proxied ? " is the apex CNAME "
	    "(proxied)" : " is the apex CNAME (flattened)") != 0)
		log_info("zone %s: apex CNAME %s%s (%s)", zc->name,
		    set ? req->arg : "cleared", !set ? "" : proxied ?
		    " proxied" : " flattened", a->source);
	over_free(&o);
}

/*
 * Refuse (answer id) an apex CNAME to target (text) that zone, as view v
 * shows it, cannot have: -1 when refused, 0 when it can.
 */
static int
apex_refuse(struct imsgev *parent, uint32_t id, const char *zone,
    struct zview *v, const char *text, const uint8_t *target, size_t len,
    int proxied)
{
	const struct proxy_conf	*pc = zoned_proxy_conf(zone);
	const uint8_t		*apex;
	struct walk		 w;
	size_t			 apexlen;

	apex = view_apex(v, &apexlen);
	if (view_signed(v))
		child_result(parent, id, 1, "zone %s carries DNSSEC "
		    "signatures (RRSIG, DNSKEY): an apex CNAME would not "
		    "validate", zone);
	else if (view_walk(v, target, len, &w) == -1)
		child_result(parent, id, 1, "zone %s: out of memory, "
		    "nothing changed", zone);
	else if (dns_name_equal(target, len, apex, apexlen))
		child_result(parent, id, 1, "the apex CNAME cannot point at "
		    "the apex itself");
	else if (w.kind == WALK_LOOP)
		child_result(parent, id, 1, "%s leads back to the apex (or "
		    "through more than %d CNAMEs)", text, APEX_MAXCHAIN);
	else if (proxied && pc->n4 + pc->n6 == 0)
		child_result(parent, id, 1, "zone %s has no proxy addresses: "
		    "give a proxy { } block in secd.conf", zone);
	else
		return 0;
	return -1;
}

/*
 * IMSG_APEX_RESOLVED: the resolver's answer for the name where the apex
 * CNAME's chain leaves the zone.  A new answer is stored (NAME.over) and
 * the zone built again; a failure keeps the last good answer and is
 * shown by show zone.
 */
void
apex_resolved(struct imsgev *parent, struct imsg *imsg)
{
	struct apex_msg		 m;
	struct overrides	 o;
	struct apex_cname	*a = &o.apex;
	struct apex_err		*e;
	char			 err[SECD_MSGLEN];
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;
	uint32_t		 gen;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    memchr(m.zone, '\0', sizeof(m.zone)) == NULL ||
	    memchr(m.name, '\0', sizeof(m.name)) == NULL ||
	    memchr(m.msg, '\0', sizeof(m.msg)) == NULL ||
	    m.addrs.n4 < 0 || m.addrs.n4 > SECD_PROXY_MAX ||
	    m.addrs.n6 < 0 || m.addrs.n6 > SECD_PROXY_MAX)
		fatalx("xfrd: bad IMSG_APEX_RESOLVED");
	if (zoned_zone_conf(m.zone) == NULL ||
	    dns_name_from_text(m.name, name, &len) == -1)
		return;
	dns_name_lower(name, len);
	e = apex_err(m.zone);
	if (!m.ok) {
		if (e == NULL && (e = calloc(1, sizeof(*e))) == NULL)
			return;
		if (e->zone[0] == '\0')
			TAILQ_INSERT_TAIL(&errs, e, entry);
		strlcpy(e->zone, m.zone, sizeof(e->zone));
		strlcpy(e->name, m.name, sizeof(e->name));
		strlcpy(e->msg, m.msg, sizeof(e->msg));
		e->when = time(NULL);
		apex_answer(parent, m.zone, 0, m.msg);
		return;
	}
	if (e != NULL) {
		TAILQ_REMOVE(&errs, e, entry);
		free(e);
	}
	if (over_load(m.zone, &o, err, sizeof(err)) == -1) {
		log_warnx("zone %s: apex CNAME: %s", m.zone, err);
		apex_answer(parent, m.zone, 0, err);
		return;
	}
	if (!a->set || a->proxied || (dns_name_equal(a->rname, a->rnamelen,
	    name, len) && a->raddrs.n4 == m.addrs.n4 &&
	    a->raddrs.n6 == m.addrs.n6 && memcmp(a->raddrs.v4, m.addrs.v4,
	    sizeof(a->raddrs.v4)) == 0 && memcmp(a->raddrs.v6, m.addrs.v6,
	    sizeof(a->raddrs.v6)) == 0 && a->raddrs.ttl == m.addrs.ttl)) {
		over_free(&o);
		apex_answer(parent, m.zone, 0, NULL);
		return;
	}
	memcpy(a->rname, name, len);
	a->rnamelen = len;
	a->rwhen = time(NULL);
	a->raddrs = m.addrs;
	gen = apex_change(parent, 0, m.zone, &o, "", "");
	apex_answer(parent, m.zone, gen, gen ? NULL : "the zone could not be "
	    "built again (see the log)");
	if (gen != 0)
		log_info("zone %s: apex CNAME: %s resolved to %d IPv4 and %d "
		    "IPv6 addresses, TTL %u", m.zone, m.name, m.addrs.n4,
		    m.addrs.n6, m.addrs.ttl);
	over_free(&o);
}

/*
 * show zone: the apex CNAME as the operator's own row, PROXY "proxied" or
 * "flattened", with the TTL of the apex addresses served (from the merge,
 * 0 when there are none); a resolver failure as its own row.
 */
void
apex_show(struct imsgev *parent, uint32_t id, struct overrides *o,
    const struct zone_src *src, const uint8_t *want, size_t wantlen)
{
	const struct apex_cname	*a = &o->apex;
	struct apex_err		*e;
	struct ctl_rr		 rr;
	struct merged		 m;
	char			 err[SECD_MSGLEN];
	size_t			 i;
	char			 target[DNS_MAXNAME * 4 + 2];
	char			 zone[SECD_NAMESTRLEN];
	char			 text[SECD_NAMESTRLEN + SECD_MSGLEN + 128];

	if (!a->set || (wantlen && !dns_name_equal(want, wantlen, src->apex,
	    src->apexlen)))
		return;
	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.type, "CNAME", sizeof(rr.type));
	dns_name_to_text(src->apex, src->apexlen, rr.name, sizeof(rr.name));
	dns_name_to_text(a->target, a->targetlen, target, sizeof(target));
	strlcpy(zone, rr.name, sizeof(zone));
	if (strlen(zone) > 1)
		zone[strlen(zone) - 1] = '\0';
	strlcpy(rr.proxy, a->proxied ? "proxied" : "flattened",
	    sizeof(rr.proxy));
	if (merge_zone(src, o, zoned_proxy_conf(zone), 0, &m, err,
	    sizeof(err)) == 0)
		for (i = 0; i < m.src.nrr; i++)
			if (dns_type_is_addr(m.src.rrs[i].type) &&
			    dns_name_equal(m.src.rrs[i].owner,
			    m.src.rrs[i].ownerlen, src->apex, src->apexlen)) {
				rr.ttl = m.src.rrs[i].ttl;
				break;
			}
	merge_free(&m);
	show_row(parent, id, &rr, target);
	if (a->proxied || (e = apex_err(zone)) == NULL)
		return;
	strlcpy(rr.type, "-", sizeof(rr.type));
	strlcpy(rr.proxy, "warning", sizeof(rr.proxy));
	rr.ttl = 0;
	snprintf(text, sizeof(text), "resolving %s failed %lld s ago: %s; "
	    "%s", e->name, (long long)(time(NULL) - e->when), e->msg,
	    a->rnamelen ? "serving the last good answer" : "no answer yet: "
	    "the apex has no address");
	show_row(parent, id, &rr, text);
}
