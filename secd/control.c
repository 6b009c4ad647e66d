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
 * The control socket: secctl connects, sends one IMSG_CTL_REQUEST and reads
 * replies up to an IMSG_CTL_RESULT.  The socket's mode (0660, root) is the
 * access control.  metricsd's channel is a connection too, adopted at
 * start, that may only read (status, show sandbox, stats, zones and
 * sizes), one request after the other.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"

#define CONTROL_MAX_CONN	32
#define CONTROL_BACKOFF		1	/* s to pause accept on EMFILE */

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	uint32_t		 id;
	uid_t			 uid;		/* of the peer, for the logs */
	int			 readonly;	/* metricsd's */
	struct imsgev		 iev;
};

static void	control_accept(int, short, void *);
static void	control_dispatch(int, short, void *);
static void	control_close(struct ctl_conn *);
static int	control_request(struct ctl_conn *, struct imsg *);
static const char *control_peer(const struct ctl_conn *);

static TAILQ_HEAD(, ctl_conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static struct event	 ev_listen, ev_pause;
static int		 listen_fd = -1, nconns;
static uint32_t		 conn_ids;
static char		 listen_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

/*
 * Create the socket before anything else runs: a live socket at path means
 * another secd is running, which is an error, a stale one is replaced.
 */
int
control_init(const char *path)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "control socket %s: path too long", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		err(1, "control socket: socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		errx(1, "control socket %s is in use: is secd already "
		    "running?", path);
	if (unlink(path) == -1 && errno != ENOENT)
		err(1, "control socket %s: unlink", path);
	old = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "control socket %s: bind", path);
	umask(old);
	if (chmod(path, 0660) == -1)
		err(1, "control socket %s: chmod", path);
	if (listen(fd, CONTROL_MAX_CONN) == -1)
		err(1, "control socket %s: listen", path);
	strlcpy(listen_path, path, sizeof(listen_path));
	listen_fd = fd;
	return fd;
}

void
control_listen(int fd)
{
	event_set(&ev_listen, fd, EV_READ | EV_PERSIST, control_accept, NULL);
	event_add(&ev_listen, NULL);
	evtimer_set(&ev_pause, control_accept, NULL);
}

void
control_close_listener(void)
{
	if (listen_fd == -1)
		return;
	close(listen_fd);
	listen_fd = -1;
	if (unlink(listen_path) == -1 && errno != ENOENT)
		log_warn("control socket %s: unlink", listen_path);
}

static void
control_accept(int fd, short event, void *arg)
{
	struct ctl_conn	*c;
	struct timeval	 tv = { CONTROL_BACKOFF, 0 };
	gid_t		 gid;
	int		 s;

	event_add(&ev_listen, NULL);
	if (event & EV_TIMEOUT)
		return;
	if ((s = accept4(listen_fd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == ENFILE || errno == EMFILE) {
			event_del(&ev_listen);
			evtimer_add(&ev_pause, &tv);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control socket: accept");
		return;
	}
	if (nconns >= CONTROL_MAX_CONN) {
		log_warnx("control socket: %d connections open; refusing one",
		    nconns);
		close(s);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control socket");
		close(s);
		return;
	}
	c->id = ++conn_ids;
	if (getpeereid(s, &c->uid, &gid) == -1)
		c->uid = (uid_t)-1;
	iev_init(&c->iev, s, control_dispatch, c);
	iev_add(&c->iev);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns++;
}

/* metricsd's end of its channel: a connection that may only read. */
void
control_adopt(int fd)
{
	struct ctl_conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->id = ++conn_ids;
	c->uid = (uid_t)-1;
	c->readonly = 1;
	iev_init(&c->iev, fd, control_dispatch, c);
	iev_add(&c->iev);
	TAILQ_INSERT_TAIL(&conns, c, entry);
}

static void
control_close(struct ctl_conn *c)
{
	TAILQ_REMOVE(&conns, c, entry);
	iev_close(&c->iev);
	if (!c->readonly)
		nconns--;
	free(c);
}

static void
control_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct ctl_conn	*c = iev->data;
	struct imsg	 imsg;
	ssize_t		 n;

	if (!iev_read(iev, event)) {
		control_close(c);
		return;
	}
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		if (!control_request(c, &imsg)) {
			log_warnx("control socket: bad request type %u "
			    "length %zu from %s; closing the connection",
			    imsg.hdr.type, IMSG_DATA_SIZE(imsg),
			    control_peer(c));
			imsg_free(&imsg);
			control_close(c);
			return;
		}
		imsg_free(&imsg);
	}
	if (n == -1) {
		log_warn("control socket: bad message from %s; closing the "
		    "connection", control_peer(c));
		control_close(c);
		return;
	}
	iev_add(iev);
}

static int
control_request(struct ctl_conn *c, struct imsg *imsg)
{
	struct ctl_request	 req;

	if (imsg->hdr.type != IMSG_CTL_REQUEST ||
	    imsg_get_data(imsg, &req, sizeof(req)) == -1)
		return 0;
	if (memchr(req.zone, '\0', sizeof(req.zone)) == NULL ||
	    memchr(req.name, '\0', sizeof(req.name)) == NULL ||
	    memchr(req.arg, '\0', sizeof(req.arg)) == NULL ||
	    req.verb <= CTL_NONE || req.verb >= CTL_VERB_MAX)
		return 0;
	if (c->readonly && req.verb != CTL_STATUS &&
	    req.verb != CTL_SHOW_ZONES && req.verb != CTL_SHOW_STATS &&
	    req.verb != CTL_SHOW_SANDBOX && req.verb != CTL_SHOW_SIZES)
		return 0;
	req.uid = c->uid;
	parent_request(c, &req);
	return 1;
}

/* The connection with id, or NULL when it has gone away. */
struct ctl_conn *
control_byid(uint32_t id)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == id)
			return c;
	return NULL;
}

uint32_t
control_id(struct ctl_conn *c)
{
	return c->id;
}

void
control_reply(struct ctl_conn *c, uint32_t type, const void *data,
    size_t len)
{
	if (iev_compose(&c->iev, type, 0, 0, -1, data, len) == -1)
		log_warn("control socket: reply to %s", control_peer(c));
}

/* The peer of c, for the logs: as zoned names a secctl request's source. */
static const char *
control_peer(const struct ctl_conn *c)
{
	static char	 buf[32];

	if (c->readonly)
		return "metricsd";
	snprintf(buf, sizeof(buf), "secctl uid %u", (unsigned int)c->uid);
	return buf;
}

void
control_result(struct ctl_conn *c, int code, const char *fmt, ...)
{
	struct ctl_result	 res;
	va_list			 ap;

	va_start(ap, fmt);
	ctl_result_set(&res, code, fmt, ap);
	va_end(ap);
	control_reply(c, IMSG_CTL_RESULT, &res, sizeof(res));
}
