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
 * The service manager's readiness protocol (systemd's sd_notify(3)):
 * when the environment names a socket in NOTIFY_SOCKET (a path, or
 * "@name" in Linux's abstract namespace), the parent sends it one
 * datagram "READY=1" once every serverd serves the stored zones of the
 * start, and "STOPPING=1" when it stops.  A dozen lines here rather than
 * libsystemd linked into a process that runs as root: the protocol is
 * one datagram of text.  The socket is connected before the sandbox,
 * not inherited by the children (close-on-exec, and the variable is
 * removed from the environment).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parent.h"

static int	sdfd = -1;

void
sdnotify_open(void)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	size_t			 len;

	if (path == NULL || *path == '\0')
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	len = strlen(path);
	if (len >= sizeof(sun.sun_path) || (path[0] != '/' &&
	    path[0] != '@')) {
		log_warnx("NOTIFY_SOCKET %s: not a socket path; not telling "
		    "the service manager", path);
		goto done;
	}
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	if ((sdfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(sdfd, (struct sockaddr *)&sun,
	    offsetof(struct sockaddr_un, sun_path) + len) == -1) {
		log_warn("NOTIFY_SOCKET %s", path);
		if (sdfd != -1)
			close(sdfd);
		sdfd = -1;
	}
 done:
	unsetenv("NOTIFY_SOCKET");
}

void
sdnotify(const char *fmt, ...)
{
	char	 msg[256];
	va_list	 ap;
	int	 n;

	if (sdfd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	if (send(sdfd, msg, n, 0) == -1)
		log_warn("NOTIFY_SOCKET");
}
