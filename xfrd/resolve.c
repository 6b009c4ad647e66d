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
 * The addresses of a flattened apex CNAME target outside its zone, asked
 * of the configured resolver (secd.conf(5), resolver): an A and an AAAA query with
 * RD, over UDP, RES_TRIES times RES_WAIT seconds apart, the CNAME chain of
 * the answer followed.  zoned asks (IMSG_APEX_RESOLVE) and gets every
 * outcome (IMSG_APEX_RESOLVED); the name is asked again when the answer's
 * TTL runs out (at least RES_MINTTL, at most RES_MAXTTL seconds), or
 * after a failure RES_RETRY seconds on, doubling up to RES_MAXTTL.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "xfrd.h"

#define RES_WAIT	2	/* s between tries */
#define RES_TRIES	3
#define RES_MINTTL	30
#define RES_MAXTTL	3600
#define RES_RETRY	30
#define RES_MAXCHAIN	16	/* CNAMEs followed in an answer */

struct resolve {
	TAILQ_ENTRY(resolve)	 entry;
	char			 zone[SECD_NAMESTRLEN];
	char			 text[SECD_NAMESTRLEN];
	char			 peer[64];	/* sa_str() of the resolver
						   asked, "" without one */
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;
	int			 fd;
	int			 tries;
	int			 answered[2];	/* A, AAAA */
	uint32_t		 backoff;
	uint16_t		 qid[2];
	struct event		 ev;
	struct event		 tmo;		/* a try, or the next round */
	struct apex_msg		 got;
	uint8_t			 in[DNS_MAXMSG];
};

static TAILQ_HEAD(, resolve) resolves = TAILQ_HEAD_INITIALIZER(resolves);

static void	res_round(struct resolve *);
static void	res_send(struct resolve *);
static void	res_read(int, short, void *);
static void	res_timeout(int, short, void *);
static int	res_answer(struct resolve *, const uint8_t *, size_t, char *,
		    size_t);
static void	res_end(struct resolve *, int, const char *);
static void	res_close(struct resolve *);
static void	res_free(struct resolve *);

/* IMSG_APEX_RESOLVE: keep m->name resolved for m->zone, or stop. */
void
resolve_imsg(const struct apex_msg *m)
{
	struct resolve	*r;

	TAILQ_FOREACH(r, &resolves, entry)
		if (strcmp(r->zone, m->zone) == 0)
			break;
	if (r != NULL && strcmp(r->text, m->name) == 0)
		return;			/* already at it */
	if (r != NULL) {
		TAILQ_REMOVE(&resolves, r, entry);
		res_free(r);
	}
	if (m->name[0] == '\0')
		return;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_warn("zone %s: apex CNAME: resolving %s", m->zone,
		    m->name);
		return;
	}
	strlcpy(r->zone, m->zone, sizeof(r->zone));
	strlcpy(r->text, m->name, sizeof(r->text));
	if (dns_name_from_text(r->text, r->name, &r->len) == -1) {
		log_warnx("zone %s: apex CNAME: bad name %s", r->zone,
		    r->text);
		free(r);
		return;
	}
	r->fd = -1;
	r->backoff = RES_RETRY;
	evtimer_set(&r->tmo, res_timeout, r);
	TAILQ_INSERT_TAIL(&resolves, r, entry);
	res_round(r);
}

/* A new query pair to the resolver. */
static void
res_round(struct resolve *r)
{
	const struct secd_conf	*conf = xfrd_conf();
	socklen_t		 slen;

	res_close(r);
	memset(&r->got, 0, sizeof(r->got));
	strlcpy(r->got.zone, r->zone, sizeof(r->got.zone));
	strlcpy(r->got.name, r->text, sizeof(r->got.name));
	r->got.addrs.ttl = UINT32_MAX;
	r->peer[0] = '\0';
	if (!conf->has_resolver) {
		res_end(r, 0, "no resolver in secd.conf");
		return;
	}
	strlcpy(r->peer, sa_str(&conf->resolver), sizeof(r->peer));
	slen = conf->resolver.ss_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if ((r->fd = socket(conf->resolver.ss_family, SOCK_DGRAM |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(r->fd, (const struct sockaddr *)&conf->resolver,
	    slen) == -1) {
		res_end(r, 0, strerror(errno));
		return;
	}
	event_set(&r->ev, r->fd, EV_READ | EV_PERSIST, res_read, r);
	event_add(&r->ev, NULL);
	r->tries = 0;
	r->answered[0] = r->answered[1] = 0;
	r->qid[0] = arc4random() & 0xffff;
	r->qid[1] = r->qid[0] ^ 0x8000;
	res_send(r);
}

/* One try: both questions not answered yet. */
static void
res_send(struct resolve *r)
{
	struct timeval		 tv = { RES_WAIT, 0 };
	struct dns_header	 h;
	struct wbuf		 wb;
	uint8_t			 out[DNS_HDRLEN + DNS_MAXNAME + 4];
	int			 i;

	for (i = 0; i < 2; i++) {
		if (r->answered[i])
			continue;
		memset(&h, 0, sizeof(h));
		h.id = r->qid[i];
		h.flags = DNS_F_RD;
		h.qdcount = 1;
		wbuf_init(&wb, out, sizeof(out));
		wbuf_header(&wb, &h);
		wbuf_name(&wb, r->name, r->len, NULL);
		wbuf_u16(&wb, i == 0 ? DNS_T_A : DNS_T_AAAA);
		wbuf_u16(&wb, DNS_C_IN);
		if (!wb.err && send(r->fd, out, wb.len, 0) == -1)
			log_debug("zone %s: apex CNAME: send to %s: %s",
			    r->zone, r->peer, strerror(errno));
	}
	r->tries++;
	evtimer_add(&r->tmo, &tv);
}

static void
res_timeout(int fd, short event, void *arg)
{
	struct resolve	*r = arg;
	char		 why[SECD_MSGLEN];

	if (r->fd == -1) {		/* the next round is due */
		res_round(r);
		return;
	}
	if (r->tries < RES_TRIES) {
		res_send(r);
		return;
	}
	snprintf(why, sizeof(why), "no answer from the resolver (%d tries, "
	    "%d s apart)", r->tries, RES_WAIT);
	res_end(r, 0, why);
}

static void
res_read(int fd, short event, void *arg)
{
	struct resolve	*r = arg;
	char		 why[SECD_MSGLEN];
	ssize_t		 n;
	int		 rv;

	if ((n = recv(r->fd, r->in, sizeof(r->in), 0)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		res_end(r, 0, strerror(errno));
		return;
	}
	rv = res_answer(r, r->in, n, why, sizeof(why));
	if (rv == -2)			/* not an answer of ours */
		return;
	if (rv == -1) {
		res_end(r, 0, why);
		return;
	}
	if (!r->answered[0] || !r->answered[1])
		return;
	if (r->got.addrs.n4 + r->got.addrs.n6 == 0) {
		res_end(r, 0, "the resolver has no A or AAAA for it");
		return;
	}
	res_end(r, 1, "");
}

/*
 * One answer: its A or AAAA records at the end of the CNAME chain from
 * our name into r->got (the smallest TTL of the chain); 0, -1 with why,
 * -2 for a message that does not answer a question of ours.
 */
static int
res_answer(struct resolve *r, const uint8_t *msg, size_t len, char *why,
    size_t whylen)
{
	struct proxy_conf	*a = &r->got.addrs;
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct wire		 w;
	uint8_t			 qname[DNS_MAXNAME], cur[DNS_MAXNAME];
	size_t			 qlen, curlen, tlen;
	uint16_t		 qtype, qclass, i;
	uint32_t		 ttl = UINT32_MAX;
	int			 k, hops = 0;

	wire_init_answer(&w, msg, len);
	if (wire_header(&w, &h) == -1 || !(h.flags & DNS_F_QR) ||
	    h.qdcount != 1 ||
	    wire_question(&w, qname, &qlen, &qtype, &qclass) == -1 ||
	    qclass != DNS_C_IN ||
	    !dns_name_equal(qname, qlen, r->name, r->len))
		return -2;
	if (qtype == DNS_T_A && h.id == r->qid[0])
		k = 0;
	else if (qtype == DNS_T_AAAA && h.id == r->qid[1])
		k = 1;
	else
		return -2;
	if (r->answered[k])	/* a duplicate */
		return -2;
	r->answered[k] = 1;
	if ((h.flags & DNS_F_RCODE_MASK) != DNS_R_NOERROR) {
		snprintf(why, whylen, "the resolver answered rcode %d",
		    h.flags & DNS_F_RCODE_MASK);
		return -1;
	}
	if (h.flags & DNS_F_TC) {
		snprintf(why, whylen, "the resolver's answer is truncated");
		return -1;
	}
	memcpy(cur, r->name, r->len);
	curlen = r->len;
	for (i = 0; i < h.ancount; i++) {
		if (wire_rr(&w, &rr) == -1) {
			snprintf(why, whylen, "malformed answer from the "
			    "resolver");
			return -1;
		}
		if (rr.class != DNS_C_IN ||
		    !dns_name_equal(rr.owner, rr.ownerlen, cur, curlen))
			continue;
		if (rr.type == DNS_T_CNAME && hops++ < RES_MAXCHAIN) {
			if (rdata_expand_msg(&w, &rr, cur, sizeof(cur),
			    &tlen) == -1) {
				snprintf(why, whylen, "malformed CNAME from "
				    "the resolver");
				return -1;
			}
			curlen = tlen;
		} else if (rr.type == qtype &&
		    dns_rdata_is_addr(rr.type, rr.rdlen)) {
			if (k == 0 && a->n4 < SECD_PROXY_MAX)
				memcpy(&a->v4[a->n4++], rr.rdata, 4);
			else if (k == 1 && a->n6 < SECD_PROXY_MAX)
				memcpy(&a->v6[a->n6++], rr.rdata, 16);
		} else
			continue;
		if (rr.ttl < ttl)
			ttl = rr.ttl;
	}
	if (ttl < a->ttl)
		a->ttl = ttl;
	return 0;
}

/* Tell zoned, then wait for the next round. */
static void
res_end(struct resolve *r, int ok, const char *why)
{
	struct timeval	 tv = { 0, 0 };
	struct apex_msg	*m = &r->got;
	char		 who[sizeof(r->peer) + 16];

	res_close(r);
	m->ok = ok;
	strlcpy(m->msg, why, sizeof(m->msg));
	if (ok) {
		if (m->addrs.ttl == UINT32_MAX)
			m->addrs.ttl = RES_MAXTTL;
		tv.tv_sec = m->addrs.ttl < RES_MINTTL ? RES_MINTTL :
		    m->addrs.ttl > RES_MAXTTL ? RES_MAXTTL : m->addrs.ttl;
		r->backoff = RES_RETRY;
	} else {
		m->addrs.ttl = 0;
		who[0] = '\0';
		if (r->peer[0] != '\0')
			snprintf(who, sizeof(who), "resolver %s: ", r->peer);
		log_warnx("zone %s: apex CNAME: resolving %s: %s%s; keeping "
		    "the last good answer, again in %u s", r->zone, r->text,
		    who, why, r->backoff);
		tv.tv_sec = r->backoff;
		r->backoff = r->backoff * 2 > RES_MAXTTL ? RES_MAXTTL :
		    r->backoff * 2;
	}
	if (iev_compose(xfrd_zoned(), IMSG_APEX_RESOLVED, 0, 0, -1, m,
	    sizeof(*m)) == -1)
		fatal("%s", __func__);
	evtimer_add(&r->tmo, &tv);
}

static void
res_close(struct resolve *r)
{
	if (r->fd == -1)
		return;
	event_del(&r->ev);
	evtimer_del(&r->tmo);
	close(r->fd);
	r->fd = -1;
}

static void
res_free(struct resolve *r)
{
	res_close(r);
	evtimer_del(&r->tmo);
	free(r);
}

/* The zones are configured anew: forget those that are gone. */
void
resolve_reconf(void)
{
	struct resolve	*r, *t;

	TAILQ_FOREACH_SAFE(r, &resolves, entry, t) {
		if (xfrd_zone(r->zone) != NULL)
			continue;
		TAILQ_REMOVE(&resolves, r, entry);
		res_free(r);
	}
}
