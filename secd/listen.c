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
 * The service sockets.  Every "listen on" gets, for each serverd, one UDP
 * and one TCP socket bound with SO_REUSEPORT, so the kernel spreads the
 * load and no two serverd share a socket.  Where SO_REUSEPORT does not
 * balance (OpenBSD) every serverd gets a copy of the same pair.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "parent.h"

#define TCP_BACKLOG	128

static int	listen_socket(const struct sockaddr_storage *, int,
		    const char *);
static void	listen_probe(const struct sockaddr_storage *, int,
		    const char *);

int
listen_count(struct secd_conf *conf)
{
	struct listen_conf	*l;
	int			 n = 0;

	TAILQ_FOREACH(l, &conf->listens, entry)
		n++;
	return n;
}

/* A bound socket of ss; what is the keyword, for the errors. */
static int
listen_socket(const struct sockaddr_storage *ss, int type, const char *what)
{
	socklen_t	 len;
	int		 fd, on = 1;

	len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if ((fd = socket(ss->ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		err(1, "%s %s: socket", what, sa_str(ss));
	if (type == SOCK_STREAM &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		err(1, "%s %s: SO_REUSEADDR", what, sa_str(ss));
#ifdef __linux__
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == -1)
		err(1, "%s %s: SO_REUSEPORT", what, sa_str(ss));
#endif
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)
		err(1, "%s %s: IPV6_V6ONLY", what, sa_str(ss));
	if (bind(fd, (const struct sockaddr *)ss, len) == -1)
		err(1, "%s %s (%s)", what, sa_str(ss),
		    type == SOCK_DGRAM ? "udp" : "tcp");
	if (type == SOCK_STREAM && listen(fd, TCP_BACKLOG) == -1)
		err(1, "%s %s: listen", what, sa_str(ss));
	return fd;
}

/*
 * SO_REUSEPORT would let a second secd (or anything of the same user
 * that also sets it) bind our port and silently take half the queries:
 * bind once without it first, so that a port in use is an error.
 */
static void
listen_probe(const struct sockaddr_storage *ss, int type, const char *what)
{
	socklen_t	 len;
	int		 fd, on = 1;

	len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if ((fd = socket(ss->ss_family, type | SOCK_CLOEXEC, 0)) == -1)
		err(1, "%s %s: socket", what, sa_str(ss));
	if (type == SOCK_STREAM)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss->ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	if (bind(fd, (const struct sockaddr *)ss, len) == -1) {
		if (errno == EADDRINUSE)
			errx(1, "%s %s (%s): address already in use: is "
			    "another server (or secd) running there?", what,
			    sa_str(ss), type == SOCK_DGRAM ? "udp" : "tcp");
		err(1, "%s %s (%s)", what, sa_str(ss),
		    type == SOCK_DGRAM ? "udp" : "tcp");
	}
	close(fd);
}

/*
 * The sockets of metrics listen on, for metricsd: TCP listeners, probed
 * first as the DNS ones.  Returns a list of fds in the order of
 * conf->metrics, or NULL when there is none.
 */
int *
metrics_open(struct secd_conf *conf)
{
	struct listen_conf	*l;
	int			*fds, n = 0;

	TAILQ_FOREACH(l, &conf->metrics, entry)
		n++;
	if (n == 0)
		return NULL;
	if ((fds = calloc(n, sizeof(int))) == NULL)
		err(1, NULL);
	n = 0;
	TAILQ_FOREACH(l, &conf->metrics, entry) {
		listen_probe(&l->ss, SOCK_STREAM, "metrics listen on");
		fds[n++] = listen_socket(&l->ss, SOCK_STREAM,
		    "metrics listen on");
	}
	return fds;
}

/*
 * Open every socket before the daemon detaches, so that a port in use is
 * an error on the terminal.  Returns, for serverd i and listen entry j,
 * fds[(i * nlisten + j) * 2] (UDP) and [... + 1] (TCP).
 */
int *
listen_open(struct secd_conf *conf, int nservers)
{
	struct listen_conf	*l;
	int			*fds, i, j, nlisten;

	nlisten = listen_count(conf);
	if ((fds = calloc((size_t)nservers * nlisten * 2, sizeof(int))) == NULL)
		err(1, NULL);
	TAILQ_FOREACH(l, &conf->listens, entry) {
		listen_probe(&l->ss, SOCK_DGRAM, "listen on");
		listen_probe(&l->ss, SOCK_STREAM, "listen on");
	}
	for (i = 0; i < nservers; i++) {
		j = 0;
		TAILQ_FOREACH(l, &conf->listens, entry) {
#ifdef __linux__
			fds[(i * nlisten + j) * 2] =
			    listen_socket(&l->ss, SOCK_DGRAM, "listen on");
			fds[(i * nlisten + j) * 2 + 1] =
			    listen_socket(&l->ss, SOCK_STREAM, "listen on");
#else
			if (i == 0) {
				fds[j * 2] = listen_socket(&l->ss, SOCK_DGRAM,
				    "listen on");
				fds[j * 2 + 1] = listen_socket(&l->ss,
				    SOCK_STREAM, "listen on");
			} else {
				if ((fds[(i * nlisten + j) * 2] =
				    dup(fds[j * 2])) == -1 ||
				    (fds[(i * nlisten + j) * 2 + 1] =
				    dup(fds[j * 2 + 1])) == -1)
					err(1, "dup");
			}
#endif
			j++;
		}
	}
	return fds;
}
