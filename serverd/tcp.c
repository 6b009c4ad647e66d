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
 * DNS over TCP (RFC 7766): several queries per connection, pipelined, each
 * answered in order.  RFC 7766 section 6.2 against clients that hold
 * connections: a message must arrive whole within io-timeout of its first
 * byte; a connection is closed idle-timeout after its last complete query
 * (a partial read does not count); at most max-per-source connections
 * from one address; at max-connections the connection idle longest is
 * closed for the new one, so accepting never stops.
 *
 * Answers are produced only while less than TCP_OUT_MAX is queued for the
 * client: what is not answered yet stays in the input buffer, and reading
 * stops, until the output drains.  A transfer out (serverd/xfrout.c) is
 * answered the same way, a few messages at a time while the client takes
 * them; the queries after it wait for its end.  While it goes on, each
 * message made counts as the last query for idle-timeout, and the whole
 * transfer may last the global transfer timeout (secd.conf(5)).  The
 * input buffer grows to the message being read and shrinks back after
 * it; the output buffer is freed when empty.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "config.h"
#include "log.h"
#include "serverd.h"
#include "xfrout.h"

#define TCP_INITIAL	(2 + 512)	/* input buffer, grows to a message */
#define TCP_OUT_MAX	(32 * 1024)	/* queued answers: answering pauses */
#define TCP_OUT_KEEP	4096		/* an empty output buffer above: freed */
#define TCP_XFR_BURST	16		/* transfer messages made per event */

struct tcp_conn {
	TAILQ_ENTRY(tcp_conn)	 entry;		/* conns, by last query */
	uint32_t		 id;		/* for NOTIFY answers */
	int			 fd;
	struct sockaddr_storage	 from;
	struct event		 ev;
	struct event		 timer;
	int64_t			 last;		/* ms: accepted, last query */
	int64_t			 msgstart;	/* ms: first byte; 0: none */
	uint8_t			*in;
	size_t			 inlen, incap;
	uint8_t			*out;
	size_t			 outlen, outcap;
	int			 reading;	/* the client has not shut */
	struct xfrout		*xo;		/* a transfer out going on */
	int64_t			 xostart;	/* ms: when it began */
};

static void	tcp_accept(int, short, void *);
static int	tcp_admit(const struct sockaddr_storage *);
static void	tcp_event(int, short, void *);
static void	tcp_timeout(int, short, void *);
static int	tcp_input(struct tcp_conn *);
static int	tcp_xfr(struct tcp_conn *);
static size_t	tcp_xfr_begin(struct tcp_conn *, const uint8_t *, size_t);
static int	tcp_complete(const struct tcp_conn *, size_t);
static int	tcp_resize(struct tcp_conn *);
static int	tcp_reply(struct tcp_conn *, const uint8_t *, size_t);
static size_t	tcp_notify(struct tcp_conn *, const uint8_t *, size_t);
static int	tcp_flush(struct tcp_conn *);
static void	tcp_arm(struct tcp_conn *);
static void	tcp_close(struct tcp_conn *);
static int64_t	tcp_now(void);

static TAILQ_HEAD(, tcp_conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static uint32_t		 nconns;
static uint32_t		 conn_ids;
static struct tcp_conf	 lim = { SECD_TCP_IDLE, SECD_TCP_IO, SECD_TCP_CONNS,
			    SECD_TCP_PER_SOURCE };
static uint32_t		 xfr_timeout = SECD_XFR_TIMEOUT;
static uint8_t		 resp[2 + 65535];

void
tcp_init(struct child_listen *l)
{
	struct event	*ev;

	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		fatal(NULL);
	event_set(ev, l->fd, EV_READ | EV_PERSIST, tcp_accept, NULL);
	event_add(ev, NULL);
}

/* The limits of secd.conf(5) "tcp ..." and "transfer timeout". */
void
tcp_configure(const struct tcp_conf *tc, uint32_t xfrto)
{
	lim = *tc;
	xfr_timeout = xfrto;
}

static int64_t
tcp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * 0 if a connection from ss may be accepted: under the per-source cap.
 * At the global cap, the connection idle longest (the head of conns,
 * kept in order of last query) is closed to make room.
 */
static int
tcp_admit(const struct sockaddr_storage *ss)
{
	struct tcp_conn	*c;
	uint32_t	 same = 0;

	TAILQ_FOREACH(c, &conns, entry)
		if (sa_addr_eq(&c->from, ss) && ++same >= lim.max_per_source)
			return -1;
	if (nconns >= lim.max_conns && (c = TAILQ_FIRST(&conns)) != NULL) {
		stats.tcp_closed_full++;
		tcp_close(c);
	}
	return 0;
}

static void
tcp_accept(int fd, short event, void *arg)
{
	struct sockaddr_storage	 ss;
	socklen_t		 slen = sizeof(ss);
	struct tcp_conn		*c;
	int			 s;

	if ((s = accept4(fd, (struct sockaddr *)&ss, &slen, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("tcp: accept");
		return;
	}
	if (tcp_admit(&ss) == -1) {
		stats.tcp_closed_source++;
		close(s);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->in = malloc(TCP_INITIAL)) == NULL) {
		log_warn("tcp: connection from %s", sa_str(&ss));
		free(c);
		close(s);
		stats.tcp_refused++;
		return;
	}
	c->fd = s;
	c->from = ss;
	c->id = ++conn_ids;
	c->incap = TCP_INITIAL;
	c->reading = 1;
	c->last = tcp_now();
	evtimer_set(&c->timer, tcp_timeout, c);
	event_set(&c->ev, s, EV_READ, tcp_event, c);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns++;
	stats.tcp_conns++;
	tcp_arm(c);
}

/* A deadline passed: the message's (io-timeout) or the idle one. */
static void
tcp_timeout(int fd, short event, void *arg)
{
	struct tcp_conn	*c = arg;

	if (c->msgstart != 0 && tcp_now() - c->msgstart >=
	    (int64_t)lim.io_timeout * 1000)
		stats.tcp_closed_io++;
	else
		stats.tcp_closed_idle++;
	tcp_close(c);
}

/* Register for what the connection waits for; set its deadline. */
static void
tcp_arm(struct tcp_conn *c)
{
	struct timeval	 tv;
	int64_t		 due, left;
	short		 what = 0;

	if (c->reading && c->outlen < TCP_OUT_MAX && c->inlen < c->incap)
		what |= EV_READ;
	if (c->outlen > 0 || c->xo != NULL)
		what |= EV_WRITE;
	event_del(&c->ev);
	event_set(&c->ev, c->fd, what, tcp_event, c);
	if (what)
		event_add(&c->ev, NULL);
	due = c->last + (int64_t)lim.idle_timeout * 1000;
	if (c->xo != NULL && c->xostart + (int64_t)xfr_timeout * 1000 < due)
		due = c->xostart + (int64_t)xfr_timeout * 1000;
	if (c->msgstart != 0 &&
	    c->msgstart + (int64_t)lim.io_timeout * 1000 < due)
		due = c->msgstart + (int64_t)lim.io_timeout * 1000;
	if ((left = due - tcp_now()) < 0)
		left = 0;
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	evtimer_add(&c->timer, &tv);
}

static void
tcp_event(int fd, short event, void *arg)
{
	struct tcp_conn	*c = arg;
	ssize_t		 n;

	if ((event & EV_WRITE) && tcp_flush(c) == -1) {
		tcp_close(c);
		return;
	}
	if ((event & EV_READ) && c->inlen < c->incap) {
		n = read(fd, c->in + c->inlen, c->incap - c->inlen);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EINTR))
			c->reading = 0;		/* finish what is pending */
		else if (n > 0)
			c->inlen += n;
	}
	if (tcp_input(c) == -1 ||
	    (!c->reading && c->outlen == 0 && c->xo == NULL)) {
		tcp_close(c);
		return;
	}
	tcp_arm(c);
}

/* 1 if the input holds a whole message at off. */
static int
tcp_complete(const struct tcp_conn *c, size_t off)
{
	size_t	 msglen;

	if (c->inlen - off < 2)
		return 0;
	msglen = (c->in[off] << 8) | c->in[off + 1];
	return c->inlen - off >= 2 + msglen;
}

/*
 * Answer the complete queries in the input buffer while the output is
 * under TCP_OUT_MAX; keep the rest for when it drains.
 */
static int
tcp_input(struct tcp_conn *c)
{
	struct answer_info	 ai;
	struct answer_env	 ae;
	size_t			 msglen, n, done = 0;
	int			 answered = 0;

	memset(&ae, 0, sizeof(ae));
	ae.from = (struct sockaddr *)&c->from;
	ae.cookie = serverd_cookies();
	ae.now = time(NULL);
	if (c->xo != NULL && tcp_xfr(c) == -1)
		return -1;
	while (c->xo == NULL && c->outlen < TCP_OUT_MAX &&
	    tcp_complete(c, done)) {
		msglen = (c->in[done] << 8) | c->in[done + 1];
		n = answer_query(c->in + done + 2, msglen, resp + 2,
		    sizeof(resp) - 2, 1, &ae, &ai);
		if (ai.tsig)
			n = signed_answer(c->in + done + 2, msglen, resp + 2,
			    sizeof(resp) - 2, 1, &ae, &ai);
		serverd_count(&ai, 1, n);
		if (ai.notify)
			n = tcp_notify(c, c->in + done + 2, msglen);
		else if (ai.xfr)
			n = tcp_xfr_begin(c, c->in + done + 2, msglen);
		done += 2 + msglen;
		answered = 1;
		if (n == 0)
			continue;
		resp[0] = n >> 8;
		resp[1] = n & 0xff;
		if (tcp_reply(c, resp, n + 2) == -1)
			return -1;
	}
	if (c->xo != NULL && done > 0 && tcp_xfr(c) == -1)
		return -1;
	memmove(c->in, c->in + done, c->inlen - done);
	c->inlen -= done;
	if (answered) {
		c->last = tcp_now();
		c->msgstart = 0;
		TAILQ_REMOVE(&conns, c, entry);
		TAILQ_INSERT_TAIL(&conns, c, entry);
	}
	/* A message begun and not whole is on the io-timeout clock. */
	if (c->inlen == 0 || tcp_complete(c, 0))
		c->msgstart = 0;
	else if (c->msgstart == 0)
		c->msgstart = tcp_now();
	return tcp_resize(c);
}

/*
 * An AXFR or IXFR: the reply to send now (its length in resp), or 0
 * with the transfer begun (c->xo).
 */
static size_t
tcp_xfr_begin(struct tcp_conn *c, const uint8_t *q, size_t len)
{
	size_t	 n;

	n = xfrout_begin(q, len, &c->from, 1, serverd_keys(), resp + 2,
	    sizeof(resp) - 2, &c->xo);
	if (c->xo != NULL)
		c->xostart = tcp_now();
	return n;
}

/*
 * The next messages of the transfer out while the output has room, at
 * most TCP_XFR_BURST an event (the others are served between); at its
 * end the connection reads queries again.  -1 to close it: the transfer
 * was cut, or no memory to queue.
 */
static int
tcp_xfr(struct tcp_conn *c)
{
	size_t	 n;
	int	 i;

	for (i = 0; i < TCP_XFR_BURST && c->outlen < TCP_OUT_MAX; i++) {
		if ((n = xfrout_next(c->xo, resp + 2, sizeof(resp) - 2)) == 0)
			break;
		resp[0] = n >> 8;
		resp[1] = n & 0xff;
		if (tcp_reply(c, resp, n + 2) == -1)
			return -1;
		c->last = tcp_now();
	}
	if (xfrout_done(c->xo) == 0)
		return 0;
	n = xfrout_done(c->xo) == -1;
	xfrout_free(c->xo);
	c->xo = NULL;
	return n ? -1 : 0;
}

/* The input buffer fits the message begun: grown to it, shrunk after. */
static int
tcp_resize(struct tcp_conn *c)
{
	size_t	 want = TCP_INITIAL;
	uint8_t	*p;

	if (c->inlen >= 2 && !tcp_complete(c, 0))
		want = 2 + ((c->in[0] << 8) | c->in[1]);
	if (want < c->inlen)
		want = c->inlen;	/* whole queries not answered yet */
	if (want < TCP_INITIAL)
		want = TCP_INITIAL;
	if (want == c->incap || (want < c->incap && want > TCP_INITIAL))
		return 0;		/* shrink once the backlog is gone */
	if ((p = realloc(c->in, want)) == NULL)
		return -1;
	c->in = p;
	c->incap = want;
	return 0;
}

/*
 * A NOTIFY: serverd's own answer (its length, in resp), or 0 when it goes
 * to xfrd (the answer comes back to this connection, if still open).
 */
static size_t
tcp_notify(struct tcp_conn *c, const uint8_t *q, size_t len)
{
	struct notify_msg	 nm;

	memset(&nm, 0, sizeof(nm));
	nm.tcp = 1;
	nm.conn = c->id;
	nm.from = c->from;
	return gate_notify(&nm, q, len, resp + 2, sizeof(resp) - 2);
}

void
tcp_notify_answer(const struct notify_msg *nm, const uint8_t *pkt,
    size_t len)
{
	struct tcp_conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == nm->conn)
			break;
	if (c == NULL || len == 0 || len > sizeof(resp) - 2)
		return;		/* the client went away, or no answer */
	resp[0] = len >> 8;
	resp[1] = len & 0xff;
	memcpy(resp + 2, pkt, len);
	if (tcp_reply(c, resp, len + 2) == -1) {
		tcp_close(c);
		return;
	}
	tcp_arm(c);
}

/* Write a reply now if nothing is queued, queue what is left. */
static int
tcp_reply(struct tcp_conn *c, const uint8_t *buf, size_t len)
{
	ssize_t	 n = 0;
	uint8_t	*p;
	size_t	 cap;

	if (c->outlen == 0 && (n = write(c->fd, buf, len)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		n = 0;
	}
	buf += n;
	len -= n;
	if (len == 0)
		return 0;
	if (c->outlen + len > c->outcap) {
		cap = c->outcap * 2;
		if (cap < c->outlen + len)
			cap = c->outlen + len;
		if ((p = realloc(c->out, cap)) == NULL)
			return -1;
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, buf, len);
	c->outlen += len;
	return 0;
}

static int
tcp_flush(struct tcp_conn *c)
{
	ssize_t	 n;

	if (c->outlen == 0)
		return 0;
	if ((n = write(c->fd, c->out, c->outlen)) == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	memmove(c->out, c->out + n, c->outlen - n);
	c->outlen -= n;
	if (c->outlen == 0 && c->outcap > TCP_OUT_KEEP) {
		free(c->out);
		c->out = NULL;
		c->outcap = 0;
	}
	return 0;
}

static void
tcp_close(struct tcp_conn *c)
{
	xfrout_free(c->xo);
	event_del(&c->ev);
	evtimer_del(&c->timer);
	close(c->fd);
	TAILQ_REMOVE(&conns, c, entry);
	nconns--;
	free(c->in);
	free(c->out);
	free(c);
}
