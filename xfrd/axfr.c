/*
 * The AXFR client (RFC 5936): one TCP connection per transfer, the request
 * TSIG-signed when the primary has a key (RFC 8945), every message of the
 * answer checked and verified, the records streamed to zoned in bounded
 * chunks as they arrive.  Nothing of the zone is kept in xfrd: a transfer
 * that fails is aborted and zoned throws away what it received.
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
#include "tsig.h"
#include "xfrd.h"

#define XFR_CONNECT_TIMEOUT	10	/* s */
#define XFR_TIMEOUT		600	/* s, whole transfer */
#define XFR_MAX_QUEUE		32	/* imsgs to zoned before we pause */
#define XFR_MAX_RECORDS		50000000ULL
#define XFR_MAX_BYTES		(4ULL << 30)
#define XFR_MSGMAX		(2 + DNS_MAXMSG)

enum xfr_state {
	XFR_CONNECTING,
	XFR_SENDING,
	XFR_READING,
};

struct xfr {
	TAILQ_ENTRY(xfr)	 entry;
	struct xzone		*z;
	char			 peer[64];
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
	int			 have_soa;
	uint32_t		 serial;
	uint64_t		 records;
	uint64_t		 bytes;
	time_t			 started;
	size_t			 outlen, outoff;
	size_t			 inlen;
	size_t			 chunklen;
	uint8_t			 out[2 + 512 + 512];
	uint8_t			 in[XFR_MSGMAX];
	uint8_t			 rdata[DNS_MAXMSG];
	uint8_t			 chunk[XFR_CHUNK];
};

static TAILQ_HEAD(, xfr) xfrs = TAILQ_HEAD_INITIALIZER(xfrs);
static uint32_t		 xfr_ids;

static int	xfr_request(struct xfr *, const struct tsig_key *);
static void	xfr_event(int, short, void *);
static void	xfr_timeout(int, short, void *);
static void	xfr_connected(struct xfr *);
static void	xfr_send(struct xfr *);
static void	xfr_read(struct xfr *);
static int	xfr_message(struct xfr *, const uint8_t *, size_t);
static int	xfr_header(struct xfr *, struct wire *, const uint8_t *,
		    size_t);
static int	xfr_record(struct xfr *, const uint8_t *, size_t,
		    struct dns_rr *, int *);
static int	xfr_emit(struct xfr *, const struct dns_rr *,
		    const uint8_t *, size_t);
static int	xfr_flush(struct xfr *);
static void	xfr_fail(struct xfr *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	xfr_finish(struct xfr *);
static void	xfr_free(struct xfr *);
static void	xfr_msg(struct xfr *, struct xfr_msg *, const char *);
static void	xfr_msg_begin(struct xfr *);
static int	xfr_soa_serial(const uint8_t *, size_t, uint32_t *);

struct xfr *
xfr_start(struct xzone *z, const struct primary_conf *p)
{
	struct xfr		*x;
	const struct tsig_key	*key = NULL;
	struct timeval		 tv = { XFR_CONNECT_TIMEOUT, 0 };
	socklen_t		 slen;

	if (p->tsig[0] != '\0' && (key = xfrd_key(p->tsig)) == NULL) {
		log_warnx("zone %s: primary %s: tsig key %s is not "
		    "configured", z->name, sa_str(&p->ss), p->tsig);
		return NULL;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		log_warn("zone %s: AXFR", z->name);
		return NULL;
	}
	x->z = z;
	x->fd = -1;
	evtimer_set(&x->timeout, xfr_timeout, x);
	x->id = ++xfr_ids;
	x->started = time(NULL);
	strlcpy(x->peer, sa_str(&p->ss), sizeof(x->peer));
	if (xfr_request(x, key) == -1) {
		xfr_free(x);
		return NULL;
	}
	slen = p->ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if ((x->fd = socket(p->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("zone %s: AXFR from %s: socket", z->name, x->peer);
		xfr_free(x);
		return NULL;
	}
	if (connect(x->fd, (const struct sockaddr *)&p->ss, slen) == -1 &&
	    errno != EINPROGRESS) {
		log_warn("zone %s: AXFR from %s: connect", z->name, x->peer);
		xfr_free(x);
		return NULL;
	}
	x->state = XFR_CONNECTING;
	TAILQ_INSERT_TAIL(&xfrs, x, entry);
	event_set(&x->ev, x->fd, EV_WRITE, xfr_event, x);
	event_add(&x->ev, NULL);
	evtimer_add(&x->timeout, &tv);
	log_debug("zone %s: AXFR from %s started", z->name, x->peer);
	return x;
}

/* The request: a query for the apex, type AXFR, TSIG-signed with key. */
static int
xfr_request(struct xfr *x, const struct tsig_key *key)
{
	struct dns_header	 h;
	struct wbuf		 wb;
	size_t			 len;

	memset(&h, 0, sizeof(h));
	x->qid = h.id = arc4random() & 0xffff;
	h.qdcount = 1;
	wbuf_init(&wb, x->out + 2, sizeof(x->out) - 2);
	wbuf_header(&wb, &h);
	wbuf_name(&wb, x->z->apex, x->z->apexlen, NULL);
	wbuf_u16(&wb, DNS_T_AXFR);
	wbuf_u16(&wb, DNS_C_IN);
	if (wb.err) {
		log_warnx("zone %s: AXFR request does not fit", x->z->name);
		return -1;
	}
	len = wb.len;
	if (key != NULL) {
		if ((x->tsig = tsig_new(key)) == NULL ||
		    tsig_sign(x->tsig, x->out + 2, &len, sizeof(x->out) - 2,
		    time(NULL), TSIG_FUDGE, 0) == -1) {
			log_warnx("zone %s: AXFR: cannot sign the request "
			    "with key %s", x->z->name, key->name);
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

	xfr_fail(x, x->state == XFR_CONNECTING ? "connect timed out" :
	    "transfer timed out after %d s", XFR_TIMEOUT);
}

static void
xfr_connected(struct xfr *x)
{
	struct timeval	 tv = { XFR_TIMEOUT, 0 };
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

/* One message of the answer.  Returns -1 when the transfer ended. */
static int
xfr_message(struct xfr *x, const uint8_t *msg, size_t len)
{
	struct wire	 w;
	struct dns_rr	 rr;
	uint16_t	 i, ancount;
	int		 end = 0, err;

	x->nmsg++;
	x->bytes += len;
	if (x->tsig != NULL && tsig_verify(x->tsig, msg, len, time(NULL),
	    &err) == -1) {
		xfr_fail(x, "message %d: TSIG %s", x->nmsg,
		    tsig_strerror(err));
		return -1;
	}
	wire_init(&w, msg, len);
	if (xfr_header(x, &w, msg, len) == -1)
		return -1;
	ancount = (msg[6] << 8) | msg[7];
	for (i = 0; i < ancount; i++) {
		if (end) {
			xfr_fail(x, "records after the closing SOA");
			return -1;
		}
		if (wire_rr(&w, &rr) == -1) {
			xfr_fail(x, "message %d: malformed record %u",
			    x->nmsg, i + 1);
			return -1;
		}
		if (xfr_record(x, msg, len, &rr, &end) == -1)
			return -1;
	}
	if (end) {
		if (x->tsig != NULL && tsig_done(x->tsig) == -1) {
			xfr_fail(x, "the last message is not signed");
			return -1;
		}
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

	if (wire_header(w, &h) == -1) {
		xfr_fail(x, "message %d: truncated header", x->nmsg);
		return -1;
	}
	if (h.id != x->qid || !(h.flags & DNS_F_QR) ||
	    (h.flags & DNS_F_OPCODE_MASK) != 0) {
		xfr_fail(x, "message %d: not an answer to our query", x->nmsg);
		return -1;
	}
	if ((h.flags & DNS_F_RCODE_MASK) != DNS_R_NOERROR) {
		xfr_fail(x, "primary answered rcode %d",
		    h.flags & DNS_F_RCODE_MASK);
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
		    qtype != DNS_T_AXFR || qclass != DNS_C_IN ||
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

static int
xfr_soa_serial(const uint8_t *rd, size_t len, uint32_t *serial)
{
	struct wire	 w;
	uint8_t		 name[DNS_MAXNAME];
	size_t		 nlen;

	wire_init(&w, rd, len);
	wire_name(&w, name, &nlen);
	wire_name(&w, name, &nlen);
	return wire_u32(&w, serial);
}

/* One record of the answer section; *end is set by the closing SOA. */
static int
xfr_record(struct xfr *x, const uint8_t *msg, size_t len,
    struct dns_rr *rr, int *end)
{
	size_t		 rdlen;
	uint32_t	 serial;
	int		 apex;

	if (rr->class != DNS_C_IN) {
		xfr_fail(x, "record of class %u", rr->class);
		return -1;
	}
	if (!dns_name_subdomain(rr->owner, rr->ownerlen, x->z->apex,
	    x->z->apexlen)) {
		xfr_fail(x, "record out of the zone");
		return -1;
	}
	if (rdata_expand(msg, len, rr, x->rdata, sizeof(x->rdata),
	    &rdlen) == -1) {
		xfr_fail(x, "malformed rdata in a record of type %u",
		    rr->type);
		return -1;
	}
	apex = dns_name_equal(rr->owner, rr->ownerlen, x->z->apex,
	    x->z->apexlen);
	if (!x->have_soa) {
		if (rr->type != DNS_T_SOA || !apex ||
		    xfr_soa_serial(x->rdata, rdlen, &x->serial) == -1) {
			xfr_fail(x, "the answer does not start with the "
			    "zone's SOA");
			return -1;
		}
		x->have_soa = 1;
		xfr_msg_begin(x);
	} else if (rr->type == DNS_T_SOA && apex) {
		if (xfr_soa_serial(x->rdata, rdlen, &serial) == -1 ||
		    serial != x->serial) {
			xfr_fail(x, "closing SOA serial %u differs from the "
			    "opening %u", serial, x->serial);
			return -1;
		}
		*end = 1;
		return 0;
	}
	if (++x->records > XFR_MAX_RECORDS) {
		xfr_fail(x, "more than %llu records",
		    (unsigned long long)XFR_MAX_RECORDS);
		return -1;
	}
	if (x->bytes > XFR_MAX_BYTES) {
		xfr_fail(x, "more than %llu bytes",
		    (unsigned long long)XFR_MAX_BYTES);
		return -1;
	}
	return xfr_emit(x, rr, x->rdata, rdlen);
}

/* Append one record, in store encoding, to the chunk for zoned. */
static int
xfr_emit(struct xfr *x, const struct dns_rr *rr, const uint8_t *rd,
    size_t rdlen)
{
	struct wbuf	 wb;
	size_t		 need = 1 + rr->ownerlen + 10 + rdlen;

	if (need > sizeof(x->chunk)) {
		xfr_fail(x, "record of %zu bytes is too large", need);
		return -1;
	}
	if (x->chunklen + need > sizeof(x->chunk) && xfr_flush(x) == -1)
		return -1;
	wbuf_init(&wb, x->chunk + x->chunklen, sizeof(x->chunk) - x->chunklen);
	wbuf_u8(&wb, rr->ownerlen);
	wbuf_bytes(&wb, rr->owner, rr->ownerlen);
	wbuf_u16(&wb, rr->type);
	wbuf_u16(&wb, rr->class);
	wbuf_u32(&wb, rr->ttl);
	wbuf_u16(&wb, rdlen);
	wbuf_bytes(&wb, rd, rdlen);
	if (wb.err) {
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
	memset(m, 0, sizeof(*m));
	strlcpy(m->zone, x->z->name, sizeof(m->zone));
	m->serial = x->serial;
	m->kind = XFR_AXFR;
	m->ok = why == NULL;
	m->records = x->records;
	m->bytes = x->bytes;
	m->when = x->started;
	strlcpy(m->primary, x->peer, sizeof(m->primary));
	if (why != NULL)
		strlcpy(m->msg, why, sizeof(m->msg));
}

static void
xfr_msg_begin(struct xfr *x)
{
	struct xfr_msg	 m;

	xfr_msg(x, &m, NULL);
	if (iev_compose(xfrd_zoned(), IMSG_XFR_BEGIN, x->id, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
	x->begun = 1;
}

static void
xfr_fail(struct xfr *x, const char *fmt, ...)
{
	struct xfr_msg	 m;
	char		 why[SECD_MSGLEN];
	va_list		 ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (x->z->have_serial)
		log_warnx("zone %s: AXFR from %s: %s; keeping serial %u",
		    x->z->name, x->peer, why, x->z->serial);
	else
		log_warnx("zone %s: AXFR from %s: %s; the zone has no data "
		    "yet", x->z->name, x->peer, why);
	if (x->begun) {
		xfr_msg(x, &m, why);
		if (iev_compose(xfrd_zoned(), IMSG_XFR_ABORT, x->id, 0, -1,
		    &m, sizeof(m)) == -1)
			fatal("%s", __func__);
	}
	x->z->xfr = NULL;
	xfrd_xfr_done(x->z, 0, why);
	xfr_free(x);
}

/* The closing SOA arrived: everything is with zoned, let it apply it. */
static void
xfr_finish(struct xfr *x)
{
	struct xfr_msg	 m;

	if (xfr_flush(x) == -1)
		return;
	xfr_msg(x, &m, NULL);
	if (iev_compose(xfrd_zoned(), IMSG_XFR_END, x->id, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
	log_info("zone %s: AXFR from %s: serial %u, %llu records, %llu bytes "
	    "in %d messages", x->z->name, x->peer, x->serial,
	    (unsigned long long)x->records, (unsigned long long)x->bytes,
	    x->nmsg);
	x->z->xfr = NULL;
	xfrd_xfr_done(x->z, 1, NULL);
	xfr_free(x);
}

void
xfr_cancel(struct xfr *x)
{
	xfr_fail(x, "cancelled");
}

static void
xfr_free(struct xfr *x)
{
	struct xfr	*t;

	TAILQ_FOREACH(t, &xfrs, entry)
		if (t == x) {
			TAILQ_REMOVE(&xfrs, x, entry);
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
