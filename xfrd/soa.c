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
 * The SOA query that starts a round: over UDP to one primary, TSIG-signed
 * when the primary has a key, sent SOA_TRIES times SOA_WAIT seconds apart.
 * The answer must come from the primary (a connected socket), answer our
 * question with our id, verify, and hold the apex SOA.  A truncated answer
 * sends the round to IXFR over TCP, which answers the same question; so
 * does REFUSED, as BIND's try-tcp-refresh does: some primaries answer a
 * zone only over TCP (Knot, a catalog zone it generates).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "tsig.h"
#include "xfrd.h"

#define SOA_WAIT	2	/* s between tries */
#define SOA_TRIES	3

struct soaq {
	struct xzone		*z;
	char			 peer[64];	/* sa_str() of the primary */
	int			 fd;
	int			 tries;
	uint16_t		 qid;
	struct event		 ev;
	struct event		 tmo;
	const struct tsig_key	*key;
	struct tsig_ctx		*tsig;
	size_t			 outlen;
	uint8_t			 out[512 + TSIG_MAXRRLEN];
	uint8_t			 in[DNS_MAXMSG];
};

static int	soa_send(struct soaq *);
static void	soa_read(int, short, void *);
static void	soa_timeout(int, short, void *);
static int	soa_answer(struct soaq *, const uint8_t *, size_t, uint32_t *,
		    char *, size_t);
static void	soa_end(struct soaq *, int, uint32_t, const char *);

struct soaq *
soa_start(struct xzone *z, const struct primary_conf *p)
{
	struct soaq	*q;
	socklen_t	 slen;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->z = z;
	strlcpy(q->peer, sa_str(&p->ss), sizeof(q->peer));
	if (p->tsig[0] != '\0' && (q->key = xfrd_key(p->tsig)) == NULL) {
		log_warnx("zone %s: primary %s: tsig key %s is not "
		    "configured", z->name, sa_str(&p->ss), p->tsig);
		free(q);
		return NULL;
	}
	slen = p->ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if ((q->fd = socket(p->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 ||
	    connect(q->fd, (const struct sockaddr *)&p->ss, slen) == -1) {
		log_warn("zone %s: SOA query to %s", z->name, sa_str(&p->ss));
		if (q->fd != -1)
			close(q->fd);
		free(q);
		return NULL;
	}
	event_set(&q->ev, q->fd, EV_READ | EV_PERSIST, soa_read, q);
	event_add(&q->ev, NULL);
	evtimer_set(&q->tmo, soa_timeout, q);
	if (soa_send(q) == -1) {
		soa_cancel(q);
		return NULL;
	}
	return q;
}

/* One try: a new id and a new signature each time. */
static int
soa_send(struct soaq *q)
{
	struct timeval		 tv = { SOA_WAIT, 0 };
	struct dns_header	 h;
	struct wbuf		 wb;
	size_t			 len;

	memset(&h, 0, sizeof(h));
	q->qid = h.id = arc4random() & 0xffff;
	h.qdcount = 1;
	wbuf_init(&wb, q->out, sizeof(q->out));
	wbuf_header(&wb, &h);
	wbuf_name(&wb, q->z->apex, q->z->apexlen, NULL);
	wbuf_u16(&wb, DNS_T_SOA);
	wbuf_u16(&wb, DNS_C_IN);
	if (wb.err)
		return -1;
	len = wb.len;
	if (q->key != NULL) {
		tsig_free(q->tsig);
		if ((q->tsig = tsig_new(q->key)) == NULL ||
		    tsig_sign(q->tsig, q->out, &len, sizeof(q->out),
		    time(NULL), TSIG_FUDGE, 0) == -1)
			return -1;
	}
	q->outlen = len;
	q->tries++;
	if (send(q->fd, q->out, q->outlen, 0) == -1 && errno != EAGAIN)
		log_debug("zone %s: SOA query to %s: send: %s", q->z->name,
		    q->peer, strerror(errno));
	evtimer_add(&q->tmo, &tv);
	return 0;
}

static void
soa_timeout(int fd, short event, void *arg)
{
	struct soaq	*q = arg;
	char		 why[SECD_MSGLEN];

	if (q->tries < SOA_TRIES && soa_send(q) == 0)
		return;
	snprintf(why, sizeof(why), "no answer to the SOA query (%d tries, "
	    "%d s apart)", q->tries, SOA_WAIT);
	soa_end(q, SOA_FAIL, 0, why);
}

static void
soa_read(int fd, short event, void *arg)
{
	struct soaq	*q = arg;
	char		 why[SECD_MSGLEN];
	uint32_t	 serial;
	ssize_t		 n;
	int		 r;

	if ((n = recv(q->fd, q->in, sizeof(q->in), 0)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		/* ICMP unreachable: say so at once */
		snprintf(why, sizeof(why), "SOA query: %s", strerror(errno));
		soa_end(q, SOA_FAIL, 0, why);
		return;
	}
	r = soa_answer(q, q->in, n, &serial, why, sizeof(why));
	if (r == -2)		/* not the answer: keep waiting */
		return;
	soa_end(q, r, serial, why);
}

/*
 * SOA_OK with *serial, SOA_TRUNCATED, SOA_FAIL with why; -2 for a message
 * that is not the answer to our query (ignored, like a stray packet).
 */
static int
soa_answer(struct soaq *q, const uint8_t *msg, size_t len, uint32_t *serial,
    char *why, size_t whylen)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct dns_soa		 soa;
	struct wire		 w;
	uint8_t			 qname[DNS_MAXNAME], rd[DNS_MAXMSG];
	size_t			 qlen, rdlen;
	uint16_t		 qtype, qclass, i;
	int			 err;

	wire_init_answer(&w, msg, len);
	if (wire_header(&w, &h) == -1 || h.id != q->qid ||
	    !(h.flags & DNS_F_QR) || h.qdcount != 1 ||
	    wire_question(&w, qname, &qlen, &qtype, &qclass) == -1 ||
	    qtype != DNS_T_SOA || qclass != DNS_C_IN ||
	    !dns_name_equal(qname, qlen, q->z->apex, q->z->apexlen))
		return -2;
	if (q->tsig != NULL && tsig_verify(q->tsig, msg, len, time(NULL),
	    &err) == -1) {
		snprintf(why, whylen, "SOA answer: TSIG %s",
		    tsig_strerror(err));
		return SOA_FAIL;
	}
	if ((h.flags & DNS_F_RCODE_MASK) == DNS_R_REFUSED) {
		log_debug("zone %s: SOA query to %s over UDP refused; "
		    "asking over TCP", q->z->name, q->peer);
		return SOA_TRUNCATED;
	}
	if ((h.flags & DNS_F_RCODE_MASK) != DNS_R_NOERROR) {
		snprintf(why, whylen, "SOA query answered rcode %d",
		    h.flags & DNS_F_RCODE_MASK);
		return SOA_FAIL;
	}
	if (h.flags & DNS_F_TC)
		return SOA_TRUNCATED;
	for (i = 0; i < h.ancount; i++) {
		if (wire_rr(&w, &rr) == -1)
			break;
		if (rr.type != DNS_T_SOA || rr.class != DNS_C_IN ||
		    !dns_name_equal(rr.owner, rr.ownerlen, q->z->apex,
		    q->z->apexlen))
			continue;
		if (rdata_expand_msg(&w, &rr, rd, sizeof(rd), &rdlen) == -1 ||
		    dns_soa_parse(rd, rdlen, &soa) == -1)
			break;
		if (!(h.flags & DNS_F_AA)) {
			snprintf(why, whylen, "SOA answer is not "
			    "authoritative (AA clear)");
			return SOA_FAIL;
		}
		*serial = soa.serial;
		return SOA_OK;
	}
	snprintf(why, whylen, "SOA answer holds no SOA of the zone");
	return SOA_FAIL;
}

static void
soa_end(struct soaq *q, int status, uint32_t serial, const char *why)
{
	struct xzone	*z = q->z;

	soa_cancel(q);
	xz_soa_done(z, status, serial, why);
}

void
soa_cancel(struct soaq *q)
{
	event_del(&q->ev);
	evtimer_del(&q->tmo);
	close(q->fd);
	tsig_free(q->tsig);
	free(q);
}
