/*
 * DNS over TCP (RFC 7766): several queries per connection, pipelined, each
 * answered in order as soon as it is complete; an idle timeout; a cap on
 * connections (accepting pauses at the cap).  A reply is written at once;
 * only what the socket does not take is buffered, and reading stops while
 * too much is buffered.
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
#include "log.h"
#include "serverd.h"

#define TCP_MAX_CONNS	512
#define TCP_IDLE	10		/* s without a complete query */
#define TCP_INITIAL	(2 + 512)	/* input buffer, grows to a message */
#define TCP_OUT_MAX	(256 * 1024)	/* buffered replies before pausing */

struct tcp_conn {
	TAILQ_ENTRY(tcp_conn)	 entry;
	uint32_t		 id;		/* for NOTIFY answers */
	int			 fd;
	struct sockaddr_storage	 peer;		/* for cookies */
	struct event		 ev;
	struct event		 idle;
	uint8_t			*in;
	size_t			 inlen, incap;
	uint8_t			*out;
	size_t			 outlen, outcap;
	int			 reading;
};

struct tcp_listener {
	TAILQ_ENTRY(tcp_listener) entry;
	int			 fd;
	struct event		 ev;
};

static void	tcp_accept(int, short, void *);
static void	tcp_event(int, short, void *);
static void	tcp_idle(int, short, void *);
static int	tcp_input(struct tcp_conn *);
static int	tcp_reply(struct tcp_conn *, const uint8_t *, size_t);
static void	tcp_notify(struct tcp_conn *, const uint8_t *, size_t);
static int	tcp_flush(struct tcp_conn *);
static void	tcp_arm(struct tcp_conn *);
static void	tcp_close(struct tcp_conn *);
static void	tcp_listeners(int);

static TAILQ_HEAD(, tcp_conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static TAILQ_HEAD(, tcp_listener) listeners =
    TAILQ_HEAD_INITIALIZER(listeners);
static int		 nconns;
static uint32_t		 conn_ids;
static uint8_t		 resp[2 + 65535];

void
tcp_init(struct child_listen *l)
{
	struct tcp_listener	*tl;

	if ((tl = calloc(1, sizeof(*tl))) == NULL)
		fatal(NULL);
	tl->fd = l->fd;
	event_set(&tl->ev, tl->fd, EV_READ | EV_PERSIST, tcp_accept, tl);
	event_add(&tl->ev, NULL);
	TAILQ_INSERT_TAIL(&listeners, tl, entry);
}

/* Stop or resume accepting on every listener. */
static void
tcp_listeners(int on)
{
	struct tcp_listener	*tl;

	TAILQ_FOREACH(tl, &listeners, entry) {
		if (on)
			event_add(&tl->ev, NULL);
		else
			event_del(&tl->ev);
	}
}

static void
tcp_accept(int fd, short event, void *arg)
{
	struct tcp_conn		*c;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	int			 s;

	memset(&ss, 0, sizeof(ss));
	if ((s = accept4(fd, (struct sockaddr *)&ss, &sslen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("tcp: accept");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->in = malloc(TCP_INITIAL)) == NULL) {
		log_warn("tcp: connection");
		free(c);
		close(s);
		stats.tcp_refused++;
		return;
	}
	c->fd = s;
	c->peer = ss;
	c->id = ++conn_ids;
	c->incap = TCP_INITIAL;
	c->reading = 1;
	evtimer_set(&c->idle, tcp_idle, c);
	event_set(&c->ev, s, EV_READ, tcp_event, c);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	stats.tcp_conns++;
	if (++nconns >= TCP_MAX_CONNS)
		tcp_listeners(0);
	tcp_arm(c);
}

static void
tcp_idle(int fd, short event, void *arg)
{
	tcp_close(arg);
}

/* (Re)register for what the connection waits for, restart the timer. */
static void
tcp_arm(struct tcp_conn *c)
{
	struct timeval	 tv = { TCP_IDLE, 0 };
	short		 what = 0;

	if (c->reading && c->outlen < TCP_OUT_MAX)
		what |= EV_READ;
	if (c->outlen > 0)
		what |= EV_WRITE;
	event_del(&c->ev);
	event_set(&c->ev, c->fd, what, tcp_event, c);
	if (what)
		event_add(&c->ev, NULL);
	evtimer_add(&c->idle, &tv);
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
	if (event & EV_READ) {
		n = read(fd, c->in + c->inlen, c->incap - c->inlen);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EINTR)) {
			/* The client is done; finish what is pending. */
			c->reading = 0;
			if (c->outlen == 0) {
				tcp_close(c);
				return;
			}
		} else if (n > 0) {
			c->inlen += n;
			if (tcp_input(c) == -1) {
				tcp_close(c);
				return;
			}
		}
	}
	tcp_arm(c);
}

/* Answer every complete query in the input buffer. */
static int
tcp_input(struct tcp_conn *c)
{
	struct answer_info	 ai;
	struct answer_env	 ae;
	size_t			 msglen, n, done = 0;
	uint8_t			*p;

	ae.from = (struct sockaddr *)&c->peer;
	ae.cookie = serverd_cookies();
	ae.now = time(NULL);

	while (c->inlen - done >= 2) {
		msglen = (c->in[done] << 8) | c->in[done + 1];
		if (c->inlen - done < 2 + msglen)
			break;
		n = answer_client(c->in + done + 2, msglen, resp + 2,
		    sizeof(resp) - 2, 1, &ae, &ai);
		serverd_count(&ai, 1, n);
		if (ai.notify)
			tcp_notify(c, c->in + done + 2, msglen);
		done += 2 + msglen;
		if (n == 0)
			continue;
		resp[0] = n >> 8;
		resp[1] = n & 0xff;
		if (tcp_reply(c, resp, n + 2) == -1)
			return -1;
	}
	memmove(c->in, c->in + done, c->inlen - done);
	c->inlen -= done;
	if (c->inlen >= 2) {
		msglen = (c->in[0] << 8) | c->in[1];
		if (2 + msglen > c->incap) {
			if ((p = realloc(c->in, 2 + msglen)) == NULL)
				return -1;
			c->in = p;
			c->incap = 2 + msglen;
		}
	}
	return 0;
}

/* A NOTIFY: to xfrd; the answer comes back to this connection, if open. */
static void
tcp_notify(struct tcp_conn *c, const uint8_t *q, size_t len)
{
	struct notify_msg	 nm;
	socklen_t		 slen = sizeof(nm.from);

	if (len > NOTIFY_MAXLEN)
		return;
	memset(&nm, 0, sizeof(nm));
	nm.tcp = 1;
	nm.conn = c->id;
	if (getpeername(c->fd, (struct sockaddr *)&nm.from, &slen) == -1)
		return;
	serverd_notify(&nm, q, len);
}

void
tcp_notify_answer(const struct notify_msg *nm, const uint8_t *pkt,
    size_t len)
{
	struct tcp_conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == nm->conn)
			break;
	if (c == NULL || len > sizeof(resp) - 2)
		return;		/* the client went away */
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
	if (c->outlen == 0 && !c->reading)
		return -1;	/* all sent and the client closed: done */
	return 0;
}

static void
tcp_close(struct tcp_conn *c)
{
	event_del(&c->ev);
	evtimer_del(&c->idle);
	close(c->fd);
	TAILQ_REMOVE(&conns, c, entry);
	free(c->in);
	free(c->out);
	free(c);
	if (nconns-- == TCP_MAX_CONNS)
		tcp_listeners(1);
}
