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
 * The control socket in the parent (secd/control.c): the input is what a
 * secctl client writes, imsg framing included.  The socket, accept, the
 * framing (shared/imsg.c) and the request checks are the real ones, run
 * by libevent; parent_request (secd/secd.c, the parent's own main and
 * children, not linked here) is replaced by one that checks what
 * control_request promises it (a known verb, NUL-terminated strings) and
 * answers like the parent does.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "secd/parent.h"
#include "fuzz.h"

static char	 dir[64], path[128];
static int	 requests;

static void
cleanup(void)
{
	control_close_listener();
	rmdir(dir);
}

void
parent_request(struct ctl_conn *c, struct ctl_request *req)
{
	if (req->verb <= CTL_NONE || req->verb >= CTL_VERB_MAX ||
	    memchr(req->zone, '\0', sizeof(req->zone)) == NULL ||
	    memchr(req->name, '\0', sizeof(req->name)) == NULL ||
	    memchr(req->arg, '\0', sizeof(req->arg)) == NULL)
		__builtin_trap();
	requests++;
	control_result(c, 0, "request %d for zone \"%s\"", req->verb,
	    req->zone);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	log_init(1, 0);
	strlcpy(dir, "/tmp/secd-fuzz-ctl.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");
	if ((size_t)snprintf(path, sizeof(path), "%s/secd.sock", dir) >=
	    sizeof(path))
		errx(1, "%s: path too long", dir);
	atexit(cleanup);
	event_init();
	fd = control_init(path);
	control_listen(fd);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sockaddr_un	 sun;
	uint8_t			 buf[4096];
	size_t			 off = 0;
	ssize_t			 n;
	int			 s, spins;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "connect %s", path);
	/* until the parent has closed: it reads all, then sees EOF */
	for (spins = 0; spins < 100000; spins++) {
		if (off < len) {
			n = write(s, data + off, len - off);
			if (n > 0)
				off += n;
			else if (n == -1 && errno != EAGAIN)
				off = len;
			if (off == len)
				shutdown(s, SHUT_WR);
		} else if (len == 0 && spins == 0)
			shutdown(s, SHUT_WR);
		event_loop(EVLOOP_NONBLOCK);
		n = read(s, buf, sizeof(buf));
		if (n == 0 || (n == -1 && errno != EAGAIN))
			break;
	}
	if (spins == 100000)
		errx(1, "the parent never closed the connection");
	close(s);
	return (0);
}
