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
 * NOTIFY out (RFC 1996).  Once every serverd serves a new serial of a
 * zone (IMSG_ZONE_SERVED), xfrd tells each of the zone's notify targets
 * over UDP: opcode NOTIFY, AA, the question apex SOA IN and, in the
 * answer section, the zone's SOA with the serial served, signed with the
 * target's key when it names one.  Only then: a secondary told earlier
 * could ask a serverd that does not serve the serial yet.
 *
 * A target acknowledges with an answer to our id and question, from its
 * address and port (the socket is connected), signed when we signed,
 * rcode NOERROR.  Until it does, the NOTIFY goes again: NOUT_QUICK tries
 * 1, 2, 4, 8 and 16 s apart, then one every SOA RETRY, until SOA EXPIRE
 * after the first, when it is given up; a newer serial starts again at
 * the first try.  Each try has a new id and signature (and socket), so an
 * answer to an earlier one is not taken.  A target costs memory only
 * until it acknowledges (a struct nout); one try per target is in
 * flight, and at most NOUT_INFLIGHT in all, each on its own socket: the
 * others wait for a slot, as when a restart announces 100,000 zones.
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
#include "lograte.h"
#include "tsig.h"
#include "xfrd.h"

#define NOUT_QUICK	5	/* tries 1, 2, 4, 8 and 16 s apart */
#define NOUT_WAIT	16	/* s: the longest wait for an answer */
#define NOUT_INFLIGHT	64	/* tries in flight, all zones */
/* SOA rdata: two names, then serial, refresh, retry, expire, minimum */
#define NOUT_SOANUMS	20
/* header, question, the SOA record (owner compressed), the TSIG */
#define NOUT_MSGLEN	(DNS_HDRLEN + DNS_MAXNAME + 4 + 2 + 10 + \
			    XFR_SOAMAX + TSIG_MAXRRLEN)

/* A target that has not acknowledged the zone's serial yet. */
struct nout {
	TAILQ_ENTRY(nout)	 entry;		/* the zone's */
	TAILQ_ENTRY(nout)	 wentry;	/* waiting for a slot */
	struct xzone		*z;
	const struct primary_conf *target;	/* in the running config */
	uint32_t		 serial;
	int			 tries;
	int			 fd;		/* in flight, or -1 */
	int			 waiting;
	uint16_t		 qid;
	int64_t			 first;		/* monotonic s */
	int64_t			 next;		/* next try due */
	struct tsig_ctx		*tsig;		/* of the one in flight */
	struct event		 ev;		/* its answer */
	struct event		 tmo;		/* its wait, the next */
};

static TAILQ_HEAD(, nout) waiting = TAILQ_HEAD_INITIALIZER(waiting);
static int	 inflight;
static uint8_t	 answer[DNS_MAXMSG];	/* one read at a time */

static void	 nout_start(struct xzone *, const struct primary_conf *);
static const struct primary_conf *nout_find(const struct primary_confs *,
		    const struct primary_conf *);
static void	 nout_try(struct nout *);
static void	 nout_send(struct nout *);
static int	 nout_message(struct nout *, uint8_t *, size_t, size_t *,
		    char *, size_t);
static int	 nout_socket(struct nout *, char *, size_t);
static void	 nout_read(int, short, void *);
static int	 nout_answer(struct nout *, const uint8_t *, size_t, char *,
		    size_t);
static void	 nout_timeout(int, short, void *);
static void	 nout_acked(struct nout *);
static void	 nout_failed(struct nout *, const char *);
static void	 nout_error(struct nout *, const char *);
static void	 nout_later(struct nout *);
static void	 nout_close(struct nout *);
static void	 nout_stop(struct nout *);
static void	 nout_drop(struct nout *);
static void	 nout_dequeue(void);
static int64_t	 nout_gap(const struct nout *);
static int64_t	 nout_now(void);

/* Every serverd serves the zone at served: tell its targets, once. */
void
nout_serving(struct xzone *z, uint32_t served)
{
	struct nout_zone		*nz = &z->nout;
	const struct primary_conf	*t;

	if (z->conf == NULL || (nz->have && nz->serial == served))
		return;
	nz->have = 1;
	nz->serial = served;
	nz->opts = z->conf->opts;
	TAILQ_FOREACH(t, &z->conf->opts->notifyouts, entry)
		nout_start(z, t);
}

/*
 * A reload (z->conf is the new zone, the old configuration still
 * allocated): a target that has not acknowledged is kept at its try if
 * the zone still has it (the same address, port and key name), dropped
 * if not; a target the zone did not have is told of the serial
 * announced last.
 */
void
nout_reconf(struct xzone *z)
{
	struct nout_zone		*nz = &z->nout;
	const struct primary_confs	*targets = &z->conf->opts->notifyouts;
	const struct primary_conf	*t;
	struct nout			*n, *next;

	TAILQ_FOREACH_SAFE(n, &nz->pending, entry, next) {
		if ((t = nout_find(targets, n->target)) != NULL) {
			n->target = t;
			continue;
		}
		log_info("zone %s: notify %s is no longer configured; its "
		    "NOTIFY of serial %u is dropped", z->name,
		    sa_str(&n->target->ss), n->serial);
		nout_drop(n);
	}
	if (nz->have)
		TAILQ_FOREACH(t, targets, entry)
			if (nz->opts == NULL ||
			    nout_find(&nz->opts->notifyouts, t) == NULL)
				nout_start(z, t);
	nz->opts = z->conf->opts;
}

/* The zone goes (a reload, or xfrd stops): its tries with it. */
void
nout_free(struct xzone *z)
{
	struct nout	*n;

	/* out of the queue first: a slot freed here is not for them */
	TAILQ_FOREACH(n, &z->nout.pending, entry)
		if (n->waiting) {
			TAILQ_REMOVE(&waiting, n, wentry);
			n->waiting = 0;
		}
	while ((n = TAILQ_FIRST(&z->nout.pending)) != NULL)
		nout_drop(n);
	free(z->nout.error);
	z->nout.error = NULL;
	z->nout.opts = NULL;
}

/* The zone's NOTIFY out for secctl show zones. */
void
nout_show(const struct xzone *z, struct ctl_notify_out *co)
{
	const struct primary_conf	*t;
	const struct nout		*n;

	memset(co, 0, sizeof(*co));
	if (z->conf != NULL)
		TAILQ_FOREACH(t, &z->conf->opts->notifyouts, entry)
			co->targets++;
	TAILQ_FOREACH(n, &z->nout.pending, entry)
		co->pending++;
	co->sent = z->nout.sent;
	co->acked = z->nout.acked;
	co->failed = z->nout.failed;
	co->error_when = z->nout.error_when;
	if (z->nout.error != NULL)
		strlcpy(co->error, z->nout.error, sizeof(co->error));
}

/* Announce the zone's serial to target t, from the first try. */
static void
nout_start(struct xzone *z, const struct primary_conf *t)
{
	struct nout	*n;

	TAILQ_FOREACH(n, &z->nout.pending, entry)
		if (n->target == t)
			break;
	if (n == NULL) {
		if ((n = calloc(1, sizeof(*n))) == NULL)
			fatal(NULL);
		n->z = z;
		n->target = t;
		n->fd = -1;
		evtimer_set(&n->tmo, nout_timeout, n);
		TAILQ_INSERT_TAIL(&z->nout.pending, n, entry);
		xstats.notify_out_pending++;
	} else
		nout_stop(n);	/* an older serial: not worth an answer */
	n->serial = z->nout.serial;
	n->tries = 0;
	n->first = n->next = nout_now();
	nout_try(n);
}

/* The target in l that t is (address, port and key name), or NULL. */
static const struct primary_conf *
nout_find(const struct primary_confs *l, const struct primary_conf *t)
{
	const struct primary_conf	*p;

	TAILQ_FOREACH(p, l, entry)
		if (memcmp(&p->ss, &t->ss, sizeof(p->ss)) == 0 &&
		    strcmp(p->tsig, t->tsig) == 0)
			return p;
	return NULL;
}

/*
 * A try is due: past EXPIRE give up (once the zone's SOA timers are
 * known), without a slot wait for one.
 */
static void
nout_try(struct nout *n)
{
	struct xzone	*z = n->z;

	if (n->tries > 0 && z->have_serial &&
	    nout_now() >= n->first + z->expire) {
		log_warnx("zone %s: NOTIFY of serial %u to %s: no "
		    "acknowledgement in %d tries over the zone's SOA EXPIRE "
		    "(%u s); giving up", z->name, n->serial,
		    sa_str(&n->target->ss), n->tries, z->expire);
		nout_drop(n);
		return;
	}
	if (inflight >= NOUT_INFLIGHT) {
		n->waiting = 1;
		TAILQ_INSERT_TAIL(&waiting, n, wentry);
		return;
	}
	nout_send(n);
}

/* One try: a new id, signature and socket; the next is due after gap. */
static void
nout_send(struct nout *n)
{
	struct timeval	 tv = { 0, 0 };
	uint8_t		 out[NOUT_MSGLEN];
	char		 why[SECD_MSGLEN];
	size_t		 len;
	int64_t		 now = nout_now();

	n->tries++;
	n->next = now + nout_gap(n);
	if (n->z->have_serial && n->next > n->first + n->z->expire)
		n->next = n->first + n->z->expire;
	if (nout_message(n, out, sizeof(out), &len, why, sizeof(why)) == -1 ||
	    nout_socket(n, why, sizeof(why)) == -1) {
		nout_failed(n, why);
		return;
	}
	/* a lost datagram is the timeout's to find */
	if (send(n->fd, out, len, 0) == -1)
		log_debug("zone %s: NOTIFY to %s: send: %s", n->z->name,
		    sa_str(&n->target->ss), strerror(errno));
	n->z->nout.sent++;
	xstats.notify_out_sent++;
	tv.tv_sec = n->next - now;
	if (tv.tv_sec > NOUT_WAIT)
		tv.tv_sec = NOUT_WAIT;
	if (tv.tv_sec < 1)
		tv.tv_sec = 1;
	evtimer_add(&n->tmo, &tv);
}

/*
 * The NOTIFY of this try into out (cap bytes), signed when the target
 * names a key; -1 with why when it cannot be.
 */
static int
nout_message(struct nout *n, uint8_t *out, size_t cap, size_t *len,
    char *why, size_t whylen)
{
	struct xzone		*z = n->z;
	struct dns_header	 h;
	struct dns_compress	 cmp;
	struct dns_soa		 soa;
	struct wbuf		 wb;
	const struct tsig_key	*key = NULL;
	int			 withsoa;

	if (n->target->tsig[0] != '\0' &&
	    (key = xfrd_key(n->target->tsig)) == NULL) {
		snprintf(why, whylen, "tsig key %.100s is not configured",
		    n->target->tsig);
		return -1;
	}
	/* RFC 1996 3.7: the SOA served, a hint; sent without when amiss */
	withsoa = z->soa != NULL && dns_soa_parse(z->soa, z->soalen,
	    &soa) == 0;
	memset(&h, 0, sizeof(h));
	memset(&cmp, 0, sizeof(cmp));
	n->qid = h.id = arc4random() & 0xffff;
	h.flags = DNS_OP_NOTIFY << DNS_F_OPCODE_SHIFT | DNS_F_AA;
	h.qdcount = 1;
	h.ancount = withsoa;
	wbuf_init(&wb, out, cap);
	wbuf_header(&wb, &h);
	wbuf_name(&wb, z->apex, z->apexlen, &cmp);
	wbuf_u16(&wb, DNS_T_SOA);
	wbuf_u16(&wb, DNS_C_IN);
	if (withsoa) {
		wbuf_name(&wb, z->apex, z->apexlen, &cmp);
		wbuf_u16(&wb, DNS_T_SOA);
		wbuf_u16(&wb, DNS_C_IN);
		wbuf_u32(&wb, 0);
		wbuf_u16(&wb, z->soalen);
		wbuf_bytes(&wb, z->soa, z->soalen - NOUT_SOANUMS);
		wbuf_u32(&wb, n->serial);
		wbuf_bytes(&wb, z->soa + z->soalen - NOUT_SOANUMS + 4,
		    NOUT_SOANUMS - 4);
	}
	if (wb.err) {
		snprintf(why, whylen, "the NOTIFY does not fit");
		return -1;
	}
	*len = wb.len;
	tsig_free(n->tsig);
	n->tsig = NULL;
	if (key != NULL && ((n->tsig = tsig_new(key)) == NULL ||
	    tsig_sign(n->tsig, out, len, cap, time(NULL), TSIG_FUDGE,
	    0) == -1)) {
		snprintf(why, whylen, "cannot sign it with key %.100s",
		    key->name);
		return -1;
	}
	return 0;
}

/* A socket connected to the target, so that only it can answer. */
static int
nout_socket(struct nout *n, char *why, size_t whylen)
{
	const struct sockaddr_storage	*ss = &n->target->ss;
	socklen_t			 slen;

	slen = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if ((n->fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 ||
	    connect(n->fd, (const struct sockaddr *)ss, slen) == -1) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		if (n->fd != -1)
			close(n->fd);
		n->fd = -1;
		return -1;
	}
	inflight++;
	event_set(&n->ev, n->fd, EV_READ | EV_PERSIST, nout_read, n);
	event_add(&n->ev, NULL);
	return 0;
}

static void
nout_read(int fd, short event, void *arg)
{
	struct nout	*n = arg;
	char		 why[SECD_MSGLEN];
	ssize_t		 len;
	int		 r;

	if ((len = recv(n->fd, answer, sizeof(answer), 0)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		/* ICMP unreachable: say so now rather than at the timeout */
		nout_failed(n, strerror(errno));
		return;
	}
	if ((r = nout_answer(n, answer, len, why, sizeof(why))) == -2)
		return;
	if (r == -1)
		nout_failed(n, why);
	else
		nout_acked(n);
}

/*
 * 0 if msg acknowledges this try, -1 with why if it answers it otherwise
 * (another rcode, a bad signature), -2 if it is no answer to it.
 */
static int
nout_answer(struct nout *n, const uint8_t *msg, size_t len, char *why,
    size_t whylen)
{
	struct dns_header	 h;
	struct wire		 w;
	uint8_t			 qname[DNS_MAXNAME];
	char			 rc[16];
	size_t			 qlen;
	uint16_t		 qtype, qclass;
	int			 err, rcode;

	wire_init_answer(&w, msg, len);
	if (wire_header(&w, &h) == -1 || h.id != n->qid ||
	    !(h.flags & DNS_F_QR) || ((h.flags & DNS_F_OPCODE_MASK) >>
	    DNS_F_OPCODE_SHIFT) != DNS_OP_NOTIFY || h.qdcount != 1 ||
	    wire_question(&w, qname, &qlen, &qtype, &qclass) == -1 ||
	    qtype != DNS_T_SOA || qclass != DNS_C_IN ||
	    !dns_name_equal(qname, qlen, n->z->apex, n->z->apexlen))
		return -2;
	rcode = h.flags & DNS_F_RCODE_MASK;
	if (n->tsig != NULL && tsig_verify(n->tsig, msg, len, time(NULL),
	    &err) == -1) {
		snprintf(why, whylen, "answered %s, TSIG %s",
		    dns_rcode_name(rcode, rc, sizeof(rc)),
		    tsig_strerror(err));
		return -1;
	}
	if (rcode != DNS_R_NOERROR) {
		snprintf(why, whylen, "answered %s",
		    dns_rcode_name(rcode, rc, sizeof(rc)));
		return -1;
	}
	return 0;
}

/* No answer in time: a failed try, and the next when it is due. */
static void
nout_timeout(int fd, short event, void *arg)
{
	struct nout	*n = arg;
	char		 why[64];

	if (n->fd != -1) {
		nout_close(n);
		n->z->nout.failed++;
		xstats.notify_out_failed++;
		snprintf(why, sizeof(why), "no answer to try %d", n->tries);
		nout_error(n, why);
		if (n->tries == NOUT_QUICK)
			log_warnx("zone %s: NOTIFY of serial %u to %s: no "
			    "answer to %d tries; again every %u s (SOA RETRY) "
			    "until acknowledged", n->z->name, n->serial,
			    sa_str(&n->target->ss), n->tries, n->z->retry);
		else
			log_debug("zone %s: NOTIFY of serial %u to %s: %s",
			    n->z->name, n->serial, sa_str(&n->target->ss),
			    why);
	}
	nout_later(n);
}

static void
nout_acked(struct nout *n)
{
	struct xzone	*z = n->z;

	nout_close(n);
	z->nout.acked++;
	xstats.notify_out_acked++;
	log_debug("zone %s: NOTIFY of serial %u acknowledged by %s (try %d)",
	    z->name, n->serial, sa_str(&n->target->ss), n->tries);
	nout_drop(n);
}

/* This try failed (why): say so, at most once per target and interval. */
static void
nout_failed(struct nout *n, const char *why)
{
	char	 note[128];

	nout_close(n);
	n->z->nout.failed++;
	xstats.notify_out_failed++;
	nout_error(n, why);
	/* answered as the next try fell due: that try a second on, not now */
	if (n->next <= nout_now())
		n->next = nout_now() + 1;
	if (lograte_ok(&n->target->ss, note, sizeof(note)))
		log_warnx("zone %s: NOTIFY of serial %u to %s: %s; next try "
		    "in %lld s%s", n->z->name, n->serial,
		    sa_str(&n->target->ss), why,
		    (long long)(n->next > nout_now() ? n->next - nout_now() :
		    0), note);
	nout_later(n);
}

/* The zone's last failure, for show zones. */
static void
nout_error(struct nout *n, const char *why)
{
	struct nout_zone	*nz = &n->z->nout;

	free(nz->error);
	if (asprintf(&nz->error, "%s: serial %u: %s", sa_str(&n->target->ss),
	    n->serial, why) == -1)
		nz->error = NULL;
	nz->error_when = time(NULL);
}

/* The try is over: the next now, or when it is due. */
static void
nout_later(struct nout *n)
{
	struct timeval	 tv = { 0, 0 };
	int64_t		 now = nout_now();

	if (now >= n->next) {
		nout_try(n);
		return;
	}
	tv.tv_sec = n->next - now;
	evtimer_add(&n->tmo, &tv);
}

/* The end of the try in flight, if one is: its slot to the next. */
static void
nout_close(struct nout *n)
{
	tsig_free(n->tsig);
	n->tsig = NULL;
	if (n->fd == -1)
		return;
	evtimer_del(&n->tmo);
	event_del(&n->ev);
	close(n->fd);
	n->fd = -1;
	inflight--;
	nout_dequeue();
}

/* No try in flight, none waiting, none due. */
static void
nout_stop(struct nout *n)
{
	if (n->waiting) {
		TAILQ_REMOVE(&waiting, n, wentry);
		n->waiting = 0;
	}
	evtimer_del(&n->tmo);
	nout_close(n);
}

static void
nout_drop(struct nout *n)
{
	nout_stop(n);
	TAILQ_REMOVE(&n->z->nout.pending, n, entry);
	xstats.notify_out_pending--;
	free(n);
}

/* Slots free: the tries waiting for one go, in turn. */
static void
nout_dequeue(void)
{
	struct nout	*n;

	while (inflight < NOUT_INFLIGHT &&
	    (n = TAILQ_FIRST(&waiting)) != NULL) {
		TAILQ_REMOVE(&waiting, n, wentry);
		n->waiting = 0;
		nout_send(n);
	}
}

/* s from this try to the next: 1, 2, 4, 8, 16, then SOA RETRY. */
static int64_t
nout_gap(const struct nout *n)
{
	if (n->tries <= NOUT_QUICK)
		return (int64_t)1 << (n->tries - 1);
	return n->z->retry > 0 ? n->z->retry : NOUT_WAIT;
}

/* A clock that a change of the time of day does not move. */
static int64_t
nout_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return ts.tv_sec;
}
