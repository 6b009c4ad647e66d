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
 * What the fuzz targets that drive a child's handlers share: fatal() and
 * fatalx() returning to the target (shared/log.c fatal_exit is weak; this
 * one wins at link time), a configuration from text, and imsgs sent
 * through a real socketpair so that the handler gets one as
 * imsgbuf_read() and imsg_get() make it, fd and all.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "config.h"
#include "imsg.h"
#include "log.h"
#include "proc.h"
#include "fuzz.h"

static jmp_buf	*fatal_jmp;

static void	fuzz_nothing(int, short, void *);

/* The channels' event handler: never run, no event loop runs. */
static void
fuzz_nothing(int fd, short event, void *arg)
{
}

/*
 * A child refuses a malformed message from an internal peer with fatalx
 * (STYLE.md): in a target that is a clean refusal, back to fuzz_call.
 * Outside fuzz_call it ends the process as the daemon does.
 */
void
fatal_exit(void)
{
	if (fatal_jmp != NULL)
		longjmp(*fatal_jmp, 1);
	exit(1);
}

/* fn(arg); 1 if it ended in fatal() or fatalx(), 0 if it returned. */
int
fuzz_call(void (*fn)(void *), void *arg)
{
	jmp_buf	 jb;
	int	 refused = 0;

	if (setjmp(jb) == 0) {
		fatal_jmp = &jb;
		fn(arg);
	} else
		refused = 1;
	fatal_jmp = NULL;
	return (refused);
}

static char	 inpath[64];

static void
fuzz_input_rm(void)
{
	unlink(inpath);
}

/*
 * The input as a file, for a target whose code reads a path: one
 * temporary file, made at the first call and removed at exit.
 */
const char *
fuzz_input(const uint8_t *data, size_t len)
{
	FILE	*f;
	int	 fd;

	if (inpath[0] == '\0') {
		strlcpy(inpath, "/tmp/secd-fuzz-input.XXXXXX",
		    sizeof(inpath));
		if ((fd = mkstemp(inpath)) == -1)
			err(1, "mkstemp");
		close(fd);
		atexit(fuzz_input_rm);
	}
	if ((f = fopen(inpath, "w")) == NULL)
		err(1, "%s", inpath);
	if (fwrite(data, 1, len, f) != len || fclose(f) == EOF)
		err(1, "%s", inpath);
	return (inpath);
}

/* secd.conf from text; the target's own, so a bad one is fatal. */
struct secd_conf *
fuzz_conf(const char *text)
{
	struct secd_conf	*conf;
	char			 path[64];
	int			 fd;

	strlcpy(path, "/tmp/secd-fuzz-conf.XXXXXX", sizeof(path));
	if ((fd = mkstemp(path)) == -1)
		err(1, "mkstemp");
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err(1, "%s", path);
	close(fd);
	conf = parse_config(path, 0);
	unlink(path);
	if (conf == NULL)
		errx(1, "the target's configuration does not parse");
	return (conf);
}

/*
 * A channel between two imsgevs, non-blocking, as iev_init makes them;
 * the target moves the messages (fuzz_imsg, fuzz_drain), not libevent.
 */
void
fuzz_channel(struct imsgev *a, struct imsgev *b)
{
	int	 sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    sp) == -1)
		err(1, "socketpair");
	iev_init(a, sp[0], fuzz_nothing, NULL);
	iev_init(b, sp[1], fuzz_nothing, NULL);
}

/*
 * One imsg through the channel: composed on out (with a copy of /dev/null
 * when withfd), read back on in.  0 and *imsg set, or -1 when imsg_compose
 * refuses it (too large); the caller imsg_free()s it.
 */
int
fuzz_imsg(struct imsgbuf *out, struct imsgbuf *in, uint32_t type,
    uint32_t peerid, int withfd, const void *data, size_t len,
    struct imsg *imsg)
{
	ssize_t	 n;
	int	 fd = -1;

	if (withfd && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "/dev/null");
	if (imsg_compose(out, type, peerid, 0, fd, data, len) == -1) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if (imsgbuf_flush(out) == -1)
		err(1, "imsgbuf_flush");
	while ((n = imsg_get(in, imsg)) == 0)
		if (imsgbuf_read(in) != 1)
			err(1, "imsgbuf_read");
	if (n == -1)
		err(1, "imsg_get");
	return (0);
}

/*
 * Deliver what was queued on out to fn (NULL: thrown away), until
 * nothing is left in the queue or in the socket.  A passed fd not taken
 * by fn is closed.
 */
void
fuzz_drain(struct imsgbuf *out, struct imsgbuf *in,
    void (*fn)(struct imsg *, void *), void *arg)
{
	struct imsg	 imsg;
	ssize_t		 n;
	int		 fd, pending;

	do {
		if (imsgbuf_write(out) == -1)
			err(1, "imsgbuf_write");
		if (imsgbuf_read(in) == -1)
			err(1, "imsgbuf_read");
		while ((n = imsg_get(in, &imsg)) > 0) {
			if (fn != NULL)
				fn(&imsg, arg);
			if ((fd = imsg_get_fd(&imsg)) != -1)
				close(fd);
			imsg_free(&imsg);
		}
		if (n == -1)
			err(1, "imsg_get");
		if (ioctl(in->fd, FIONREAD, &pending) == -1)
			err(1, "FIONREAD");
	} while (imsgbuf_queuelen(out) > 0 || pending > 0);
}

/*
 * Split data into the imsgs a child gets from its peers: each a 6-octet
 * head (peer, type, peerid, flags: bit 0 an fd, payload length in 2
 * octets) and its payload.  fn gets each; a short last one is dropped.
 */
void
fuzz_imsgs(const uint8_t *data, size_t len, void (*fn)(int, uint32_t,
    uint32_t, int, const uint8_t *, size_t))
{
	size_t	 off = 0, plen;

	while (len - off >= 6) {
		plen = data[off + 4] << 8 | data[off + 5];
		if (plen > len - off - 6)
			break;
		fn(data[off], data[off + 1], data[off + 2], data[off + 3] & 1,
		    data + off + 6, plen);
		off += 6 + plen;
	}
}

struct child_env	*fuzz_env;

/* An imsg from the parent, handed on as child_dispatch does. */
void
fuzz_from_parent(void *arg)
{
	struct imsg	*imsg = arg;

	if (!child_parent_imsg(fuzz_env, imsg))
		fatalx("unexpected imsg %u from parent", imsg->hdr.type);
}

/*
 * One imsg of the input from peer p % 3 (peer[] holds their ends,
 * mine[] the child's) handled by fn[p % 3]; then what the child sent
 * back on any channel is read and dropped.  What fuzz_call returned, -1
 * when no imsg was made.
 */
int
fuzz_deliver(struct imsgev *peer, struct imsgev **mine,
    void (*const *fn)(void *), int p, uint32_t type, uint32_t id,
    int withfd, const uint8_t *data, size_t len)
{
	struct imsg	 imsg;
	int		 i, fd, rv;

	p %= 3;
	if (fuzz_imsg(&peer[p].ibuf, &mine[p]->ibuf, type, id, withfd, data,
	    len, &imsg) == -1)
		return (-1);
	rv = fuzz_call(fn[p], &imsg);
	if ((fd = imsg_get_fd(&imsg)) != -1)
		close(fd);
	imsg_free(&imsg);
	for (i = 0; i < 3; i++)
		fuzz_drain(&mine[i]->ibuf, &peer[i].ibuf, NULL, NULL);
	return (rv);
}

/* Every file of a target's scratch directory removed; -1 if one stays. */
int
fuzz_emptydir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	int		 rv = 0;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && unlinkat(dirfd(d), e->d_name,
		    0) == -1)
			rv = -1;
	closedir(d);
	return (rv);
}

/* A target's scratch directory, its files and itself, removed. */
void
fuzz_rmdir(const char *dir)
{
	(void)fuzz_emptydir(dir);
	rmdir(dir);
}
