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
 * HTTP, by libevent's evhttp: GET /metrics answers the text of the next
 * scrape to end (scrape.c), GET / says where the metrics are, anything
 * else is 404, methods other than GET and HEAD 405.
 *
 * Each connection evhttp accepts gets its bufferevent from metricsd
 * (evhttp_set_bevcb), which holds a reference to it, so that it can bound
 * them: at most HTTP_MAX_CONNS at once (one more shuts down at once the
 * oldest with no request waiting, or itself when all have one),
 * a request's header at most HTTP_MAX_HEADER octets, and a connection
 * that has not sent a whole request within HTTP_IDLE seconds of its
 * accept or of its last answer is shut down, however slowly it sends
 * (evhttp's own timeout restarts at each octet read).  When evhttp has
 * let a connection go (bufferevent_free leaves it without callbacks),
 * the reference is dropped.  A slow or crowded client costs metricsd
 * alone: DNS is served by other processes.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <event.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "log.h"
#include "metricsd.h"

#define HTTP_MAX_CONNS		16
#define HTTP_MAX_HEADER		8192	/* octets of a request's header */
#define HTTP_IDLE		10	/* s: a whole request, from accept or
					   the last answer */
#define HTTP_TIMEOUT		10	/* s: evhttp's read and write */
#define HTTP_BACKOFF		1	/* s: accept paused on EMFILE */

/* A connection evhttp has, by its bufferevent (a reference held). */
struct hconn {
	TAILQ_ENTRY(hconn)	 entry;
	struct bufferevent	*bev;
	time_t			 since;		/* accept, or last answer */
	int			 busy;		/* a request waits */
	int			 over;		/* over HTTP_MAX_CONNS */
};

/* An HTTP request waiting for a scrape's end. */
struct waiting {
	TAILQ_ENTRY(waiting)	 entry;
	struct evhttp_request	*req;
	struct evhttp_connection *evcon;
};

static struct bufferevent *http_bev(struct event_base *, void *);
static void	http_sweep(int, short, void *);
static void	http_acceptfail(struct evconnlistener *, void *);
static void	http_resume(int, short, void *);
static struct hconn *http_conn(struct evhttp_request *);
static void	http_request(struct evhttp_request *, void *);
static void	http_closed(struct evhttp_connection *, void *);
static void	http_done(struct evhttp_request *);

static struct evhttp	*http;
static struct event_base *evbase;
static struct evconnlistener **listeners;
static int		 nlisteners;
static TAILQ_HEAD(, hconn) conns = TAILQ_HEAD_INITIALIZER(conns);
static int		 nconns;
static struct event	 ev_sweep, ev_now, ev_pause;
static TAILQ_HEAD(, waiting) waiting = TAILQ_HEAD_INITIALIZER(waiting);

void
http_init(struct event_base *base, struct child_listen *l, int n)
{
	struct evhttp_bound_socket	*bs;
	struct timeval			 tv = { 1, 0 };
	int				 i;

	evbase = base;
	if ((http = evhttp_new(base)) == NULL)
		fatalx("evhttp_new");
	evhttp_set_timeout(http, HTTP_TIMEOUT);
	evhttp_set_max_headers_size(http, HTTP_MAX_HEADER);
	evhttp_set_max_body_size(http, 0);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(http, http_request, NULL);
	evhttp_set_bevcb(http, http_bev, NULL);
	if ((listeners = calloc(n, sizeof(*listeners))) == NULL)
		fatal(NULL);
	for (i = 0; i < n; i++) {
		if (!l[i].tcp)
			fatalx("a UDP socket to listen on for HTTP");
		if ((bs = evhttp_accept_socket_with_handle(http,
		    l[i].fd)) == NULL)
			fatalx("evhttp_accept_socket");
		listeners[i] = evhttp_bound_socket_get_listener(bs);
		evconnlistener_set_error_cb(listeners[i], http_acceptfail);
	}
	nlisteners = n;
	evtimer_set(&ev_pause, http_resume, NULL);
	evtimer_set(&ev_now, http_sweep, NULL);
	event_set(&ev_sweep, -1, EV_PERSIST, http_sweep, NULL);
	event_add(&ev_sweep, &tv);
}

/* accept failed other than for a retry (out of fds): pause a while. */
static void
http_acceptfail(struct evconnlistener *lev, void *arg)
{
	struct timeval	 tv = { HTTP_BACKOFF, 0 };
	int		 i;

	log_warn("metrics: accept; not accepting for %d s", HTTP_BACKOFF);
	for (i = 0; i < nlisteners; i++)
		evconnlistener_disable(listeners[i]);
	evtimer_add(&ev_pause, &tv);
}

static void
http_resume(int fd, short event, void *arg)
{
	int	 i;

	for (i = 0; i < nlisteners; i++)
		evconnlistener_enable(listeners[i]);
}

/* evhttp accepted a connection: its bufferevent, tracked. */
static struct bufferevent *
http_bev(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;
	struct hconn		*c, *v;
	struct timeval		 now = { 0, 0 };

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;	/* evhttp makes one itself: not bounded */
	if ((bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(c);
		return NULL;
	}
	bufferevent_incref(bev);
	c->bev = bev;
	c->since = time(NULL);
	if (nconns >= HTTP_MAX_CONNS) {
		/*
		 * The oldest connection with no request waiting makes room,
		 * else this one; shut down the next turn (this one's fd is
		 * set once this returns).
		 */
		TAILQ_FOREACH(v, &conns, entry)
			if (!v->busy && !v->over)
				break;
		(v != NULL ? v : c)->over = 1;
		evtimer_add(&ev_now, &now);
	}
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns++;
	return bev;
}

/*
 * Each second, and at once for a connection over the limit: drop the
 * connections evhttp let go, shut down those over the limit or idle
 * (evhttp then reads the end and lets them go).
 */
static void
http_sweep(int fd, short event, void *arg)
{
	bufferevent_data_cb	 rcb, wcb;
	bufferevent_event_cb	 ecb;
	struct hconn		*c, *t;
	time_t			 now = time(NULL);
	void			*cbarg;
	int			 s;

	TAILQ_FOREACH_SAFE(c, &conns, entry, t) {
		bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &cbarg);
		if (rcb == NULL && wcb == NULL && ecb == NULL) {
			TAILQ_REMOVE(&conns, c, entry);
			nconns--;
			bufferevent_decref(c->bev);
			free(c);
			continue;
		}
		if (!c->over && (c->busy || now - c->since < HTTP_IDLE))
			continue;
		if ((s = bufferevent_getfd(c->bev)) != -1)
			(void)shutdown(s, SHUT_RDWR);
		if (c->over)
			log_debug("metrics: %d connections open; closing the "
			    "oldest idle one", HTTP_MAX_CONNS);
		c->over = 0;
		c->since = now;
	}
}

static struct hconn *
http_conn(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct hconn			*c;

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return NULL;
	TAILQ_FOREACH(c, &conns, entry)
		if (c->bev == bev)
			return c;
	return NULL;
}

static void
http_request(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*uri;
	const char		*path = NULL;
	struct waiting		*w;
	struct hconn		*c;

	if ((uri = evhttp_request_get_evhttp_uri(req)) != NULL)
		path = evhttp_uri_get_path(uri);
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		/* before the reply: evhttp may free req once it is sent */
		http_done(req);
		if (path != NULL && strcmp(path, "/") == 0) {
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "Content-Type", "text/plain; charset=utf-8");
			evbuffer_add_printf(evhttp_request_get_output_buffer(
			    req), "secd: the metrics are at /metrics\n");
			evhttp_send_reply(req, HTTP_OK, "OK", NULL);
		} else
			evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		log_warn("metrics");
		evhttp_send_error(req, HTTP_SERVUNAVAIL, NULL);
		return;
	}
	w->req = req;
	w->evcon = evhttp_request_get_connection(req);
	evhttp_connection_set_closecb(w->evcon, http_closed, NULL);
	if ((c = http_conn(req)) != NULL)
		c->busy = 1;
	TAILQ_INSERT_TAIL(&waiting, w, entry);
	if (scrape_start() == -1) {
		TAILQ_REMOVE(&waiting, w, entry);
		free(w);
		http_done(req);
		evhttp_send_error(req, HTTP_SERVUNAVAIL, NULL);
	}
}

/* The connection of a waiting request went away: it waits no more. */
static void
http_closed(struct evhttp_connection *evcon, void *arg)
{
	struct waiting	*w, *t;

	TAILQ_FOREACH_SAFE(w, &waiting, entry, t)
		if (w->evcon == evcon) {
			TAILQ_REMOVE(&waiting, w, entry);
			free(w);
		}
}

/* Answered: the connection's idle time starts again. */
static void
http_done(struct evhttp_request *req)
{
	struct hconn	*c;

	if ((c = http_conn(req)) != NULL) {
		c->busy = 0;
		c->since = time(NULL);
	}
}

/* A scrape ended with text (NULL: it failed): every waiting request. */
void
http_answer(struct evbuffer *text)
{
	struct waiting	*w;
	struct evbuffer	*out;

	while ((w = TAILQ_FIRST(&waiting)) != NULL) {
		TAILQ_REMOVE(&waiting, w, entry);
		evhttp_connection_set_closecb(w->evcon, NULL, NULL);
		http_done(w->req);
		out = evhttp_request_get_output_buffer(w->req);
		if (text == NULL || evbuffer_add_buffer_reference(out,
		    text) == -1) {
			evhttp_send_error(w->req, HTTP_SERVUNAVAIL, NULL);
			free(w);
			continue;
		}
		evhttp_add_header(evhttp_request_get_output_headers(w->req),
		    "Content-Type", "text/plain; version=0.0.4; "
		    "charset=utf-8");
		evhttp_send_reply(w->req, HTTP_OK, "OK", NULL);
		free(w);
	}
}
