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
 * The IXFR (RFC 1995) and AXFR (RFC 5936) client: one TCP connection per
 * transfer, the request TSIG-signed when the primary has a key (RFC 8945),
 * every message of the answer checked and verified, the records streamed
 * to zoned in bounded chunks as they arrive.  Nothing of the zone is kept
 * in xfrd: a transfer that fails is aborted and zoned throws away what it
 * received.
 *
 * An IXFR answer is told apart by its second record: the SOA of our
 * serial begins the deltas (sent to zoned as an IXFR, see xfr_msg in
 * secd.h); anything else is a whole zone (sent as an AXFR).  The SOA
 * alone means we are current.  The deltas end with the SOA of the new
 * serial where the next delta's old SOA would be.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "storerec.h"
#include "tsig.h"
#include "xfrd.h"

#define XFR_CONNECT_TIMEOUT	10	/* s */
#define XFR_MAX_QUEUE		32	/* imsgs to zoned before we pause */
#define XFR_MSGMAX		(2 + DNS_MAXMSG)

/* How the answer is read, once its first records have said it. */
enum xfr_mode {
	M_FIRST,		/* before the first SOA */
	M_SECOND,		/* IXFR: after it, before the second record */
	M_AXFR,			/* a whole zone, up to the closing SOA */
	M_IXFR_DEL,		/* deltas: deleted records */
	M_IXFR_ADD,		/* deltas: added records */
};

enum xfr_state {
	XFR_CONNECTING,
	XFR_SENDING,
	XFR_READING,
};

struct xfr {
	TAILQ_ENTRY(xfr)	 entry;
	struct xzone		*z;
	char			 peer[64];
	int			 kind;		/* asked: XFR_IXFR, XFR_AXFR */
	enum xfr_mode		 mode;
	struct xfr_limits	 limits;
	uint32_t		 id;		/* imsg peerid towards zoned */
	uint16_t		 qid;
	int			 fd;
	enum xfr_state		 state;
	struct event		 ev;
	struct event		 timeout;
	struct tsig_ctx		*tsig;
	int			 begun;		/* IMSG_XFR_BEGIN sent */
	int			 paused;
	int			 nmsg;
	uint32_t		 serial;	/* the first SOA's: the new one */
	uint32_t		 delta;		/* IXFR: this delta's new serial */
	uint64_t		 records;
	uint64_t		 bytes;
	time_t			 started;
	struct timespec		 t0;
	size_t			 soalen;	/* the first SOA, held back */
	struct dns_rr		 soarr;
	uint8_t			 soa[XFR_SOAMAX];
	size_t			 outlen, outoff;
	size_t			 inlen;
	size_t			 chunklen;
	uint8_t			 out[2 + 2 * 512 + TSIG_MAXRRLEN];
	uint8_t			 in[XFR_MSGMAX];
	uint8_t			 rdata[DNS_MAXMSG];
	uint8_t			 chunk[XFR_CHUNK];
};

static TAILQ_HEAD(, xfr) xfrs = TAILQ_HEAD_INITIALIZER(xfrs);
static uint32_t		 xfr_ids;

static int	xfr_request(struct xfr *, const struct tsig_key *);
static int	xfr_first(struct xfr *, const struct dns_rr *, const uint8_t *,
		    size_t);
static int	xfr_second(struct xfr *, const struct dns_rr *,
		    const uint8_t *, size_t, int *);
static int	xfr_ixfr(struct xfr *, const struct dns_rr *, const uint8_t *,
		    size_t, int *);
static void	xfr_event(int, short, void *);
static void	xfr_timeout(int, short, void *);
static void	xfr_connected(struct xfr *);
static void	xfr_send(struct xfr *);
static void	xfr_read(struct xfr *);
static int	xfr_header(struct xfr *, struct wire *, const uint8_t *,
		    size_t);
static int	xfr_record(struct xfr *, struct wire *, struct dns_rr *,
		    int *);
static int	xfr_emit(struct xfr *, const struct dns_rr *,
		    const uint8_t *, size_t);
static int	xfr_flush(struct xfr *);
static void	xfr_fail(struct xfr *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	xfr_fail_record(struct xfr *, const struct wire *,
		    unsigned int);
static void	xfr_abort(struct xfr *, int, const char *);
static void	xfr_current(struct xfr *);
static void	xfr_finish(struct xfr *);
static void	xfr_free(struct xfr *);
static void	xfr_msg(struct xfr *, struct xfr_msg *, const char *);
static void	xfr_msg_begin(struct xfr *, int);
static const char *xfr_kind_name(int);

static int		 nrunning;

int
xfr_running(void)
{
	return nrunning;
}

static const char *
xfr_kind_name(int kind)
{
	return kind == XFR_IXFR ? "IXFR" : "AXFR";
}

/*
 * A transfer's state and its signed request, before any connection:
 * xfr_start connects it; regress/fuzz/xfr_stream.c feeds it answer
 * messages through xfr_message instead.
 */
struct xfr *
xfr_new(struct xzone *z, const struct primary_conf *p, int kind)
{
	struct xfr		*x;
	const struct tsig_key	*key = NULL;

	if (p->tsig[0] != '\0' && (key = xfrd_key(p->tsig)) == NULL) {
		log_warnx("zone %s: primary %s: tsig key %s is not "
		    "configured", z->name, sa_str(&p->ss), p->tsig);
		return NULL;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		log_warn("zone %s: %s from %s", z->name, xfr_kind_name(kind),
		    sa_str(&p->ss));
		return NULL;
	}
	x->z = z;
	x->fd = -1;
	x->kind = kind;
	config_limits(xfrd_conf(), z->conf, &x->limits);
	clock_gettime(CLOCK_MONOTONIC, &x->t0);
	evtimer_set(&x->timeout, xfr_timeout, x);
	x->id = ++xfr_ids;
	x->started = time(NULL);
	strlcpy(x->peer, sa_str(&p->ss), sizeof(x->peer));
	if (xfr_request(x, key) == -1) {
		xfr_free(x);
		return NULL;
	}
	return x;
}

/* The query id of the request, which every answer message must carry. */
uint16_t
xfr_qid(const struct xfr *x)
{
	return x->qid;
}

struct xfr *
xfr_start(struct xzone *z, const struct primary_conf *p, int kind)
{
	struct xfr		*x;
	struct timeval		 tv = { XFR_CONNECT_TIMEOUT, 0 };
	socklen_t		 slen;

	if ((x = xfr_new(z, p, kind)) == NULL)
		return NULL;
	slen = p->ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if ((x->fd = socket(p->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("zone %s: %s from %s: socket", z->name,
		    xfr_kind_name(kind), x->peer);
		xfr_free(x);
		return NULL;
	}
	if (connect(x->fd, (const struct sockaddr *)&p->ss, slen) == -1 &&
	    errno != EINPROGRESS) {
		log_warn("zone %s: %s from %s: connect", z->name,
		    xfr_kind_name(kind), x->peer);
		xfr_free(x);
		return NULL;
	}
	x->state = XFR_CONNECTING;
	TAILQ_INSERT_TAIL(&xfrs, x, entry);
	nrunning++;
	event_set(&x->ev, x->fd, EV_WRITE, xfr_event, x);
	event_add(&x->ev, NULL);
	evtimer_add(&x->timeout, &tv);
	log_debug("zone %s: %s from %s started", z->name, xfr_kind_name(kind),
	    x->peer);
	return x;
}

/*
 * The request: a query for the apex, type AXFR, or IXFR with our SOA in
 * the authority section (RFC 1995 section 3), TSIG-signed with key.
 */
static int
xfr_request(struct xfr *x, const struct tsig_key *key)
{
	struct dns_header	 h;
	struct wbuf		 wb;
	size_t			 len;

	memset(&h, 0, sizeof(h));
	x->qid = h.id = arc4random() & 0xffff;
	h.qdcount = 1;
	if (x->kind == XFR_IXFR)
		h.nscount = 1;
	wbuf_init(&wb, x->out + 2, sizeof(x->out) - 2);
	wbuf_header(&wb, &h);
	wbuf_name(&wb, x->z->apex, x->z->apexlen, NULL);
	wbuf_u16(&wb, x->kind == XFR_IXFR ? DNS_T_IXFR : DNS_T_AXFR);
	wbuf_u16(&wb, DNS_C_IN);
	if (x->kind == XFR_IXFR) {
		wbuf_u16(&wb, 0xc000 | DNS_HDRLEN);	/* the apex */
		wbuf_u16(&wb, DNS_T_SOA);
		wbuf_u16(&wb, DNS_C_IN);
		wbuf_u32(&wb, 0);
		wbuf_u16(&wb, x->z->soalen);
		wbuf_bytes(&wb, x->z->soa, x->z->soalen);
	}
	if (wb.err) {
		log_warnx("zone %s: %s from %s: the request does not fit",
		    x->z->name, xfr_kind_name(x->kind), x->peer);
		return -1;
	}
	len = wb.len;
	if (key != NULL) {
		if ((x->tsig = tsig_new(key)) == NULL ||
		    tsig_sign(x->tsig, x->out + 2, &len, sizeof(x->out) - 2,
		    time(NULL), TSIG_FUDGE, 0) == -1) {
			log_warnx("zone %s: %s from %s: cannot sign the "
			    "request with key %s", x->z->name,
			    xfr_kind_name(x->kind), x->peer, key->name);
			return -1;
		}
	}
	x->out[0] = len >> 8;
	x->out[1] = len & 0xff;
	x->outlen = len + 2;
	return 0;
}

static void
xfr_event(int fd, short event, void *arg)
{
	struct xfr	*x = arg;

	switch (x->state) {
	case XFR_CONNECTING:
		xfr_connected(x);
		break;
	case XFR_SENDING:
		xfr_send(x);
		break;
	case XFR_READING:
		xfr_read(x);
		break;
	}
}

static void
xfr_timeout(int fd, short event, void *arg)
{
	struct xfr	*x = arg;

	if (x->state == XFR_CONNECTING)
		xfr_fail(x, "connect timed out");
	else
		xfr_fail(x, "limit transfer timeout: not done after %u s",
		    x->limits.timeout);
}

static void
xfr_connected(struct xfr *x)
{
	struct timeval	 tv = { x->limits.timeout, 0 };
	socklen_t	 len = sizeof(int);
	int		 error;

	if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
		error = errno;
	if (error != 0) {
		xfr_fail(x, "connect: %s", strerror(error));
		return;
	}
	evtimer_add(&x->timeout, &tv);
	x->state = XFR_SENDING;
	xfr_send(x);
}

static void
xfr_send(struct xfr *x)
{
	ssize_t	 n;

	n = write(x->fd, x->out + x->outoff, x->outlen - x->outoff);
	if (n == -1 && errno != EAGAIN && errno != EINTR) {
		xfr_fail(x, "write: %s", strerror(errno));
		return;
	}
	if (n > 0)
		x->outoff += n;
	if (x->outoff < x->outlen) {
		event_set(&x->ev, x->fd, EV_WRITE, xfr_event, x);
		event_add(&x->ev, NULL);
		return;
	}
	x->state = XFR_READING;
	event_set(&x->ev, x->fd, EV_READ | EV_PERSIST, xfr_event, x);
	event_add(&x->ev, NULL);
}

/*
 * Read what is there, handle every complete message.  Pause when zoned
 * falls behind, so that xfrd never holds more than XFR_MAX_QUEUE chunks.
 */
static void
xfr_read(struct xfr *x)
{
	size_t	 msglen;
	ssize_t	 n;

	n = read(x->fd, x->in + x->inlen, sizeof(x->in) - x->inlen);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			xfr_fail(x, "read: %s", strerror(errno));
		return;
	}
	if (n == 0) {
		xfr_fail(x, "connection closed after %d messages, "
		    "%llu records", x->nmsg, (unsigned long long)x->records);
		return;
	}
	x->inlen += n;
	while (x->inlen >= 2) {
		msglen = (x->in[0] << 8) | x->in[1];
		if (x->inlen < 2 + msglen)
			break;
		if (xfr_message(x, x->in + 2, msglen) == -1)
			return;		/* x is gone */
		memmove(x->in, x->in + 2 + msglen, x->inlen - 2 - msglen);
		x->inlen -= 2 + msglen;
	}
	if (imsgbuf_queuelen(&xfrd_zoned()->ibuf) > XFR_MAX_QUEUE) {
		event_del(&x->ev);
		x->paused = 1;
	}
}

/* zoned caught up: read again where we paused. */
void
xfr_resume(void)
{
	struct xfr	*x;

	if (imsgbuf_queuelen(&xfrd_zoned()->ibuf) > XFR_MAX_QUEUE / 2)
		return;
	TAILQ_FOREACH(x, &xfrs, entry) {
		if (!x->paused)
			continue;
		x->paused = 0;
		event_add(&x->ev, NULL);
	}
}

/*
 * One message of the answer.  Returns -1 when the transfer ended: x is
 * freed and the round told (xz_xfr_failed, xz_xfr_current, xz_xfr_sent).
 */
int
xfr_message(struct xfr *x, const uint8_t *msg, size_t len)
{
	struct wire	 w;
	struct dns_rr	 rr;
	uint16_t	 i, ancount;
	int		 end = 0, err;

	x->nmsg++;
	x->bytes += len;
	if (x->limits.max_bytes != 0 && x->bytes > x->limits.max_bytes) {
		xfr_fail(x, "limit transfer max-bytes: more than %llu bytes",
		    (unsigned long long)x->limits.max_bytes);
		return -1;
	}
	if (x->tsig != NULL && tsig_verify(x->tsig, msg, len, time(NULL),
	    &err) == -1) {
		xfr_fail(x, "message %d: TSIG %s", x->nmsg,
		    tsig_strerror(err));
		return -1;
	}
	wire_init_answer(&w, msg, len);
	if (xfr_header(x, &w, msg, len) == -1)
		return -1;
	ancount = (msg[6] << 8) | msg[7];
	for (i = 0; i < ancount; i++) {
		if (end) {
			xfr_fail(x, "records after the closing SOA");
			return -1;
		}
		if (wire_rr(&w, &rr) == -1) {
			xfr_fail_record(x, &w, i + 1);
			return -1;
		}
		if (xfr_record(x, &w, &rr, &end) == -1)
			return -1;
	}
	/* IXFR: the SOA alone, in a message of its own, says "current" */
	if (!end && x->mode == M_SECOND && x->nmsg == 1 && ancount == 1 &&
	    dns_serial_cmp(x->serial, x->z->serial) != 1)
		end = 1;
	if (end) {
		if (x->tsig != NULL && tsig_done(x->tsig) == -1) {
			xfr_fail(x, "the last message is not signed");
			return -1;
		}
		if (x->mode == M_SECOND)
			xfr_current(x);
		else
			xfr_finish(x);
		return -1;
	}
	return 0;
}

/* Header and question of one message; checks the rcode. */
static int
xfr_header(struct xfr *x, struct wire *w, const uint8_t *msg, size_t len)
{
	struct dns_header	 h;
	uint8_t			 qname[DNS_MAXNAME];
	size_t			 qlen;
	uint16_t		 qtype, qclass;
	int			 rcode;

	if (wire_header(w, &h) == -1) {
		xfr_fail(x, "message %d: truncated header", x->nmsg);
		return -1;
	}
	if (h.id != x->qid || !(h.flags & DNS_F_QR) ||
	    (h.flags & DNS_F_OPCODE_MASK) != 0) {
		xfr_fail(x, "message %d: not an answer to our query", x->nmsg);
		return -1;
	}
	if ((rcode = h.flags & DNS_F_RCODE_MASK) != DNS_R_NOERROR) {
		/* RFC 1995: a primary without IXFR says so with these */
		xfr_abort(x, x->nmsg == 1 && (rcode == DNS_R_NOTIMP ||
		    rcode == DNS_R_REFUSED || rcode == DNS_R_FORMERR ||
		    rcode == DNS_R_SERVFAIL), rcode == DNS_R_NOTIMP ?
		    "primary answered NOTIMP" : rcode == DNS_R_REFUSED ?
		    "primary answered REFUSED" : rcode == DNS_R_FORMERR ?
		    "primary answered FORMERR" : rcode == DNS_R_SERVFAIL ?
		    "primary answered SERVFAIL" : rcode == DNS_R_NOTAUTH ?
		    "primary answered NOTAUTH" : "primary answered an error");
		return -1;
	}
	if (h.flags & DNS_F_TC) {
		xfr_fail(x, "message %d: truncated (TC)", x->nmsg);
		return -1;
	}
	if (h.qdcount > 1 || (x->nmsg == 1 && h.qdcount != 1)) {
		xfr_fail(x, "message %d: %u questions", x->nmsg, h.qdcount);
		return -1;
	}
	if (h.qdcount == 1) {
		if (wire_question(w, qname, &qlen, &qtype, &qclass) == -1 ||
		    qtype != (x->kind == XFR_IXFR ? DNS_T_IXFR : DNS_T_AXFR) ||
		    qclass != DNS_C_IN ||
		    !dns_name_equal(qname, qlen, x->z->apex, x->z->apexlen)) {
			xfr_fail(x, "message %d: question does not match",
			    x->nmsg);
			return -1;
		}
	}
	if (x->nmsg == 1 && h.ancount == 0) {
		xfr_fail(x, "empty answer");
		return -1;
	}
	return 0;
}

/* One record of the answer section; *end is set by the closing SOA. */
static int
xfr_record(struct xfr *x, struct wire *w, struct dns_rr *rr, int *end)
{
	size_t		 rdlen;

	if (rr->class != DNS_C_IN) {
		xfr_fail(x, "record of class %u", rr->class);
		return -1;
	}
	if (!dns_name_subdomain(rr->owner, rr->ownerlen, x->z->apex,
	    x->z->apexlen)) {
		xfr_fail(x, "record out of the zone");
		return -1;
	}
	if (rdata_expand_msg(w, rr, x->rdata, sizeof(x->rdata),
	    &rdlen) == -1) {
		if (w->err == WIRE_EWORK)
			xfr_fail_record(x, w, 0);
		else
			xfr_fail(x, "malformed rdata in a record of type %u",
			    rr->type);
		return -1;
	}
	if (x->limits.max_records != 0 &&
	    ++x->records > x->limits.max_records) {
		xfr_fail(x, "limit transfer max-records: more than %llu "
		    "records", (unsigned long long)x->limits.max_records);
		return -1;
	}
	switch (x->mode) {
	case M_FIRST:
		return xfr_first(x, rr, x->rdata, rdlen);
	case M_SECOND:
		return xfr_second(x, rr, x->rdata, rdlen, end);
	case M_AXFR:
		break;
	case M_IXFR_DEL:
	case M_IXFR_ADD:
		return xfr_ixfr(x, rr, x->rdata, rdlen, end);
	}
	if (rr->type == DNS_T_SOA && dns_name_equal(rr->owner, rr->ownerlen,
	    x->z->apex, x->z->apexlen)) {
		struct dns_soa	 soa;

		if (dns_soa_parse(x->rdata, rdlen, &soa) == -1 ||
		    soa.serial != x->serial) {
			xfr_fail(x, "closing SOA serial %u differs from the "
			    "opening %u", soa.serial, x->serial);
			return -1;
		}
		x->records--;
		*end = 1;
		return 0;
	}
	return xfr_emit(x, rr, x->rdata, rdlen);
}

/* The first record: the zone's SOA, with the serial the answer brings. */
static int
xfr_first(struct xfr *x, const struct dns_rr *rr, const uint8_t *rd,
    size_t rdlen)
{
	struct dns_soa	 soa;

	if (rr->type != DNS_T_SOA || !dns_name_equal(rr->owner, rr->ownerlen,
	    x->z->apex, x->z->apexlen) || dns_soa_parse(rd, rdlen, &soa) == -1 ||
	    rdlen > sizeof(x->soa)) {
		xfr_fail(x, "the answer does not start with the zone's SOA");
		return -1;
	}
	x->serial = soa.serial;
	if (x->kind == XFR_AXFR) {
		x->mode = M_AXFR;
		xfr_msg_begin(x, XFR_AXFR);
		return xfr_emit(x, rr, rd, rdlen);
	}
	/* IXFR: held back until the second record says what follows */
	x->mode = M_SECOND;
	x->soarr = *rr;
	memcpy(x->soa, rd, rdlen);
	x->soalen = rdlen;
	return 0;
}

/* IXFR, the second record: our SOA begins deltas, anything else a zone. */
static int
xfr_second(struct xfr *x, const struct dns_rr *rr, const uint8_t *rd,
    size_t rdlen, int *end)
{
	struct dns_soa	 soa;
	int		 soarec;

	soarec = rr->type == DNS_T_SOA && dns_name_equal(rr->owner,
	    rr->ownerlen, x->z->apex, x->z->apexlen);
	if (soarec && dns_soa_parse(rd, rdlen, &soa) == -1) {
		xfr_fail(x, "malformed SOA");
		return -1;
	}
	if (dns_serial_cmp(x->serial, x->z->serial) != 1) {
		xfr_fail(x, "IXFR answer brings serial %u, not newer than "
		    "ours %u", x->serial, x->z->serial);
		return -1;
	}
	/* an SOA other than the closing one: deltas, from our serial? */
	if (soarec && soa.serial != x->serial && soa.serial != x->z->serial) {
		char	 why[SECD_MSGLEN];

		snprintf(why, sizeof(why), "IXFR deltas start at serial %u, "
		    "ours is %u", soa.serial, x->z->serial);
		xfr_abort(x, 1, why);
		return -1;
	}
	if (soarec && soa.serial == x->z->serial && soa.serial != x->serial) {
		x->mode = M_IXFR_DEL;
		xfr_msg_begin(x, XFR_IXFR);
		x->records--;		/* the first SOA is not sent */
		return xfr_emit(x, rr, rd, rdlen);
	}
	log_info("zone %s: IXFR from %s answered with the whole zone",
	    x->z->name, x->peer);
	x->mode = M_AXFR;
	xfr_msg_begin(x, XFR_AXFR);
	if (xfr_emit(x, &x->soarr, x->soa, x->soalen) == -1)
		return -1;
	if (soarec) {
		if (soa.serial != x->serial) {
			xfr_fail(x, "closing SOA serial %u differs from the "
			    "opening %u", soa.serial, x->serial);
			return -1;
		}
		x->records--;
		*end = 1;
		return 0;
	}
	return xfr_emit(x, rr, rd, rdlen);
}

/*
 * IXFR deltas: an SOA turns deletions into additions, and additions into
 * the next delta's deletions, or ends the answer when it is the new SOA
 * after the additions of the delta that brought it.
 */
static int
xfr_ixfr(struct xfr *x, const struct dns_rr *rr, const uint8_t *rd,
    size_t rdlen, int *end)
{
	struct dns_soa	 soa;

	if (rr->type != DNS_T_SOA || !dns_name_equal(rr->owner, rr->ownerlen,
	    x->z->apex, x->z->apexlen))
		return xfr_emit(x, rr, rd, rdlen);
	if (dns_soa_parse(rd, rdlen, &soa) == -1) {
		xfr_fail(x, "malformed SOA");
		return -1;
	}
	if (x->mode == M_IXFR_DEL) {
		x->mode = M_IXFR_ADD;
		x->delta = soa.serial;
		return xfr_emit(x, rr, rd, rdlen);
	}
	if (soa.serial == x->serial && x->delta == x->serial) {
		x->records--;
		*end = 1;
		return 0;
	}
	if (soa.serial != x->delta) {
		xfr_fail(x, "IXFR delta from serial %u follows the delta to "
		    "%u", soa.serial, x->delta);
		return -1;
	}
	x->mode = M_IXFR_DEL;
	return xfr_emit(x, rr, rd, rdlen);
}

/* Append one record, in store encoding, to the chunk for zoned. */
static int
xfr_emit(struct xfr *x, const struct dns_rr *rr, const uint8_t *rd,
    size_t rdlen)
{
	struct storerec	 sr;
	struct wbuf	 wb;
	size_t		 need = STOREREC_FIXED + rr->ownerlen + rdlen;

	if (need > sizeof(x->chunk)) {
		xfr_fail(x, "record of %zu bytes is too large", need);
		return -1;
	}
	if (x->chunklen + need > sizeof(x->chunk) && xfr_flush(x) == -1)
		return -1;
	sr.owner = rr->owner;
	sr.ownerlen = rr->ownerlen;
	sr.type = rr->type;
	sr.class = rr->class;
	sr.ttl = rr->ttl;
	sr.rdlen = rdlen;
	sr.rdata = rd;
	wbuf_init(&wb, x->chunk + x->chunklen, sizeof(x->chunk) - x->chunklen);
	if (storerec_put(&wb, &sr) == -1) {
		xfr_fail(x, "internal error: chunk overflow");
		return -1;
	}
	x->chunklen += wb.len;
	return 0;
}

static int
xfr_flush(struct xfr *x)
{
	if (x->chunklen == 0)
		return 0;
	if (imsg_compose(&xfrd_zoned()->ibuf, IMSG_XFR_DATA, x->id, 0, -1,
	    x->chunk, x->chunklen) == -1) {
		xfr_fail(x, "imsg_compose: %s", strerror(errno));
		return -1;
	}
	iev_add(xfrd_zoned());
	x->chunklen = 0;
	return 0;
}

static void
xfr_msg(struct xfr *x, struct xfr_msg *m, const char *why)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	memset(m, 0, sizeof(*m));
	strlcpy(m->zone, x->z->name, sizeof(m->zone));
	m->serial = x->serial;
	m->kind = x->mode == M_AXFR || x->mode == M_FIRST ? XFR_AXFR :
	    XFR_IXFR;
	m->ok = why == NULL;
	m->records = x->records;
	m->bytes = x->bytes;
	m->when = x->started;
	m->msecs = (t1.tv_sec - x->t0.tv_sec) * 1000 +
	    (t1.tv_nsec - x->t0.tv_nsec) / 1000000;
	strlcpy(m->primary, x->peer, sizeof(m->primary));
	if (why != NULL)
		strlcpy(m->msg, why, sizeof(m->msg));
}

static void
xfr_msg_begin(struct xfr *x, int kind)
{
	struct xfr_msg	 m;

	xfr_msg(x, &m, NULL);
	m.kind = kind;
	if (iev_compose(xfrd_zoned(), IMSG_XFR_BEGIN, x->id, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
	x->begun = 1;
}

static void
xfr_fail(struct xfr *x, const char *fmt, ...)
{
	char		 why[SECD_MSGLEN];
	va_list		 ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	xfr_abort(x, 0, why);
}

/* Record i (from 1) could not be read, or the message cost too much. */
static void
xfr_fail_record(struct xfr *x, const struct wire *w, unsigned int i)
{
	if (w->err == WIRE_EWORK)
		xfr_fail(x, "message %d: names follow more than %zu labels "
		    "and compression pointers in %zu octets", x->nmsg,
		    w->maxwork, w->len);
	else
		xfr_fail(x, "message %d: malformed record %u", x->nmsg, i);
}

/* The last transfer, m, as show zones gives it. */
void
xfr_last(struct xzone *z, const struct xfr_msg *m)
{
	free(z->last.msg);
	z->last.msg = NULL;
	if (m->msg[0] != '\0' && (z->last.msg = strdup(m->msg)) == NULL)
		fatal(NULL);
	z->last.serial = m->serial;
	z->last.kind = m->kind;
	z->last.ok = m->ok;
	z->last.records = m->records;
	z->last.bytes = m->bytes;
	z->last.when = m->when;
	z->last.msecs = m->msecs;
	strlcpy(z->last.primary, m->primary, sizeof(z->last.primary));
}

/*
 * The transfer failed: zoned drops what it has, xfrd's round goes on
 * (fallback: the primary refused an IXFR, ask it for an AXFR).
 */
static void
xfr_abort(struct xfr *x, int fallback, const char *why)
{
	struct xfr_msg	 m;
	struct xzone	*z = x->z;
	const char	*kind = xfr_kind_name(x->kind);

	if (z->have_serial)
		log_warnx("zone %s: %s from %s: %s; keeping serial %u",
		    z->name, kind, x->peer, why, z->serial);
	else
		log_warnx("zone %s: %s from %s: %s; the zone has no data "
		    "yet", z->name, kind, x->peer, why);
	xfr_msg(x, &m, why);
	if (x->begun && iev_compose(xfrd_zoned(), IMSG_XFR_ABORT, x->id, 0,
	    -1, &m, sizeof(m)) == -1)
		fatal("%s", __func__);
	if (!x->begun)
		m.kind = x->kind;
	xfr_last(z, &m);
	if (!fallback) {
		xstats.xfr_failed++;
		if (m.kind == XFR_IXFR)
			xstats.ixfr_failed++;
	}
	xfr_free(x);
	xz_xfr_failed(z, fallback, why);
}

/* IXFR answered with our SOA alone. */
static void
xfr_current(struct xfr *x)
{
	struct xzone	*z = x->z;
	uint32_t	 serial = x->serial;

	log_debug("zone %s: IXFR from %s: serial %u, nothing new", z->name,
	    x->peer, serial);
	xfr_free(x);
	xz_xfr_current(z, serial);
}

/* The closing SOA arrived: everything is with zoned, let it apply it. */
static void
xfr_finish(struct xfr *x)
{
	struct xfr_msg	 m;
	struct xzone	*z = x->z;

	if (xfr_flush(x) == -1)
		return;
	xfr_msg(x, &m, NULL);
	if (iev_compose(xfrd_zoned(), IMSG_XFR_END, x->id, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
	log_info("zone %s: %s from %s: serial %u, %llu records, %llu bytes "
	    "in %d messages, %u ms", z->name, m.kind == XFR_IXFR ? "IXFR" :
	    "AXFR", x->peer, x->serial, (unsigned long long)x->records,
	    (unsigned long long)x->bytes, x->nmsg, m.msecs);
	xfr_free(x);
	xz_xfr_sent(z);
}

void
xfr_cancel(struct xfr *x)
{
	struct xfr_msg	 m;

	if (x->begun) {
		xfr_msg(x, &m, "cancelled");
		if (iev_compose(xfrd_zoned(), IMSG_XFR_ABORT, x->id, 0, -1,
		    &m, sizeof(m)) == -1)
			fatal("%s", __func__);
	}
	xfr_free(x);
}

static void
xfr_free(struct xfr *x)
{
	struct xfr	*t;

	TAILQ_FOREACH(t, &xfrs, entry)
		if (t == x) {
			TAILQ_REMOVE(&xfrs, x, entry);
			nrunning--;
			break;
		}
	if (event_initialized(&x->ev))
		event_del(&x->ev);
	if (x->fd != -1)
		close(x->fd);
	evtimer_del(&x->timeout);
	if (x->tsig != NULL)
		tsig_free(x->tsig);
	free(x);
}
