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
 * Buffers for imsg (see imsg.h): struct ibuf, a byte buffer with a read
 * and a write position and an optional fd, and struct msgbuf, one
 * channel's queue of ibufs to write plus what was read and not yet taken
 * by imsg_get(): the bytes and the received fds.
 *
 * Each sendmsg(2) carries at most one fd, with the first byte of the
 * message it belongs to.  The receiver queues fds in the order they come
 * and imsg_get() gives the oldest one to the next message marked as
 * carrying one, so every fd reaches its message whatever the reads'
 * boundaries.
 *
 * On OpenBSD the system's libutil is used instead.
 */
#ifndef __OpenBSD__

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL		0
#endif
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC	0
#endif

/* Smallest read buffer; it also always holds one message of maximum size. */
#define MSGBUF_READ_SIZE	65535
/* Room for fds in one recvmsg(2): one per message, a few messages. */
#define MSGBUF_READ_FDS		8
/* Buffers handed to one sendmsg(2). */
#define MSGBUF_IOV		64

struct msgbuf {
	TAILQ_HEAD(, ibuf)	 bufs;		/* to write */
	uint32_t		 queued;
	struct ibuf		*rbuf;		/* read, not yet taken */
	int			*fds;		/* received, not yet taken */
	size_t			 nfds;
	size_t			 fdsize;
};

static int	ibuf_grow(struct ibuf *, size_t);
static void	msgbuf_drain(struct msgbuf *, size_t);
static int	msgbuf_room(struct msgbuf *, size_t);
static int	msgbuf_pushfd(struct msgbuf *, int);
static int	msgbuf_recvfds(struct msgbuf *, struct msghdr *);

struct ibuf *
ibuf_open(size_t len)
{
	struct ibuf	*buf;

	if ((buf = calloc(1, sizeof(*buf))) == NULL)
		return NULL;
	if (len > 0 && (buf->buf = calloc(len, 1)) == NULL) {
		free(buf);
		return NULL;
	}
	buf->size = buf->max = len;
	buf->fd = -1;
	return buf;
}

struct ibuf *
ibuf_dynamic(size_t len, size_t max)
{
	struct ibuf	*buf;

	if (max < len) {
		errno = EINVAL;
		return NULL;
	}
	if ((buf = ibuf_open(len)) == NULL)
		return NULL;
	buf->max = max;
	return buf;
}

/* Make room for len more bytes, doubling up to max. */
static int
ibuf_grow(struct ibuf *buf, size_t len)
{
	unsigned char	*p;
	size_t		 need, nsize;

	if (len > buf->max - buf->wpos) {
		errno = ERANGE;
		return -1;
	}
	need = buf->wpos + len;
	if (need <= buf->size)
		return 0;
	nsize = buf->size < buf->max / 2 ? buf->size * 2 : buf->max;
	if (nsize < need)
		nsize = need;
	if ((p = recallocarray(buf->buf, buf->size, nsize, 1)) == NULL)
		return -1;
	buf->buf = p;
	buf->size = nsize;
	return 0;
}

void *
ibuf_reserve(struct ibuf *buf, size_t len)
{
	void	*p;

	if (len == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (ibuf_grow(buf, len) == -1)
		return NULL;
	p = buf->buf + buf->wpos;
	buf->wpos += len;
	return p;
}

int
ibuf_add(struct ibuf *buf, const void *data, size_t len)
{
	void	*p;

	if (len == 0)
		return 0;
	if ((p = ibuf_reserve(buf, len)) == NULL)
		return -1;
	memcpy(p, data, len);
	return 0;
}

void *
ibuf_data(const struct ibuf *buf)
{
	if (buf->buf == NULL)
		return NULL;
	return buf->buf + buf->rpos;
}

size_t
ibuf_size(const struct ibuf *buf)
{
	return buf->wpos - buf->rpos;
}

size_t
ibuf_left(const struct ibuf *buf)
{
	return buf->max - buf->wpos;
}

int
ibuf_skip(struct ibuf *buf, size_t len)
{
	if (len > ibuf_size(buf)) {
		errno = EBADMSG;
		return -1;
	}
	buf->rpos += len;
	return 0;
}

void
ibuf_fd_set(struct ibuf *buf, int fd)
{
	if (buf->fd != -1)
		close(buf->fd);
	buf->fd = fd;
}

int
ibuf_fd_get(struct ibuf *buf)
{
	int	 fd;

	fd = buf->fd;
	buf->fd = -1;
	return fd;
}

/* Messages may carry secrets (TSIG keys): wipe them. */
void
ibuf_free(struct ibuf *buf)
{
	if (buf == NULL)
		return;
	if (buf->fd != -1)
		close(buf->fd);
	freezero(buf->buf, buf->size);
	free(buf);
}

struct msgbuf *
msgbuf_new(void)
{
	struct msgbuf	*msgbuf;

	if ((msgbuf = calloc(1, sizeof(*msgbuf))) == NULL)
		return NULL;
	TAILQ_INIT(&msgbuf->bufs);
	return msgbuf;
}

/* Free everything and close every fd not yet sent or taken. */
void
msgbuf_free(struct msgbuf *msgbuf)
{
	struct ibuf	*buf;
	size_t		 i;

	if (msgbuf == NULL)
		return;
	while ((buf = TAILQ_FIRST(&msgbuf->bufs)) != NULL) {
		TAILQ_REMOVE(&msgbuf->bufs, buf, entry);
		ibuf_free(buf);
	}
	ibuf_free(msgbuf->rbuf);
	for (i = 0; i < msgbuf->nfds; i++)
		if (msgbuf->fds[i] != -1)
			close(msgbuf->fds[i]);
	free(msgbuf->fds);
	free(msgbuf);
}

uint32_t
msgbuf_queuelen(struct msgbuf *msgbuf)
{
	return msgbuf->queued;
}

void
ibuf_close(struct msgbuf *msgbuf, struct ibuf *buf)
{
	TAILQ_INSERT_TAIL(&msgbuf->bufs, buf, entry);
	msgbuf->queued++;
}

/*
 * Send what the socket takes, one sendmsg(2) after another until the
 * queue is empty or the socket full.  An fd goes with the first byte of
 * its buffer, so a buffer carrying one starts a sendmsg(2) and the next
 * one ends it.  A full socket leaves the rest queued: 0, as on success.
 */
int
msgbuf_write(int fd, struct msgbuf *msgbuf)
{
	struct iovec	 iov[MSGBUF_IOV];
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}		 cmsgbuf;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct ibuf	*buf, *first;
	ssize_t		 n;
	int		 i;

 again:
	if ((first = TAILQ_FIRST(&msgbuf->bufs)) == NULL)
		return 0;
	memset(&msg, 0, sizeof(msg));
	i = 0;
	TAILQ_FOREACH(buf, &msgbuf->bufs, entry) {
		if (i == MSGBUF_IOV || (buf != first && buf->fd != -1))
			break;
		iov[i].iov_base = ibuf_data(buf);
		iov[i].iov_len = ibuf_size(buf);
		i++;
	}
	msg.msg_iov = iov;
	msg.msg_iovlen = i;
	if (first->fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &first->fd, sizeof(int));
	}
	while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS)
			return 0;
		return -1;
	}
	/* The peer has its copy now. */
	if (first->fd != -1) {
		close(first->fd);
		first->fd = -1;
	}
	msgbuf_drain(msgbuf, n);
	goto again;
}

/* Drop n written bytes from the head of the queue. */
static void
msgbuf_drain(struct msgbuf *msgbuf, size_t n)
{
	struct ibuf	*buf;

	while (n > 0 && (buf = TAILQ_FIRST(&msgbuf->bufs)) != NULL) {
		if (n < ibuf_size(buf)) {
			buf->rpos += n;
			return;
		}
		n -= ibuf_size(buf);
		TAILQ_REMOVE(&msgbuf->bufs, buf, entry);
		msgbuf->queued--;
		ibuf_free(buf);
	}
}

/*
 * Move what imsg_get() left to the front of the read buffer and make it
 * at least size bytes, so that one message of the maximum size fits.
 */
static int
msgbuf_room(struct msgbuf *msgbuf, size_t size)
{
	struct ibuf	*rb;
	unsigned char	*p;
	size_t		 left;

	if (size < MSGBUF_READ_SIZE)
		size = MSGBUF_READ_SIZE;
	if (msgbuf->rbuf == NULL &&
	    (msgbuf->rbuf = ibuf_open(size)) == NULL)
		return -1;
	rb = msgbuf->rbuf;
	if (rb->rpos > 0) {
		left = ibuf_size(rb);
		memmove(rb->buf, rb->buf + rb->rpos, left);
		rb->rpos = 0;
		rb->wpos = left;
	}
	if (rb->size < size) {
		if ((p = recallocarray(rb->buf, rb->size, size, 1)) == NULL)
			return -1;
		rb->buf = p;
		rb->size = rb->max = size;
	}
	return 0;
}

/*
 * Read what there is, up to the free room of the read buffer of at least
 * size bytes.  1: read something or nothing to read (EAGAIN) or the
 * buffer is full (imsg_get() empties it); 0: end of file; -1: error.
 */
int
msgbuf_read(int fd, struct msgbuf *msgbuf, int fdpass, size_t size)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * MSGBUF_READ_FDS)];
	}		 cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct ibuf	*rb;
	ssize_t		 n;

	if (msgbuf_room(msgbuf, size) == -1)
		return -1;
	rb = msgbuf->rbuf;
	if (rb->wpos == rb->size)
		return 1;
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = rb->buf + rb->wpos;
	iov.iov_len = rb->size - rb->wpos;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fdpass) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
	}
	while ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 1;
		return -1;
	}
	rb->wpos += n;
	if (fdpass && msgbuf_recvfds(msgbuf, &msg) == -1)
		return -1;
	return n == 0 ? 0 : 1;
}

/*
 * Queue the fds that came with a read.  When the kernel could not give
 * them (MSG_CTRUNC: no fd slot left), queue -1 in their place so that
 * later fds still reach their own messages.
 */
static int
msgbuf_recvfds(struct msgbuf *msgbuf, struct msghdr *msg)
{
	struct cmsghdr	*cmsg;
	size_t		 i, n, got = 0;
	int		 fd, rv = 0;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(fd));
			got++;
			if (msgbuf_pushfd(msgbuf, fd) == -1) {
				close(fd);
				rv = -1;
			}
		}
	}
	if (got == 0 && (msg->msg_flags & MSG_CTRUNC) &&
	    msgbuf_pushfd(msgbuf, -1) == -1)
		rv = -1;
	return rv;
}

static int
msgbuf_pushfd(struct msgbuf *msgbuf, int fd)
{
	int	*p;
	size_t	 nsize;

	if (msgbuf->nfds == msgbuf->fdsize) {
		nsize = msgbuf->fdsize == 0 ? 8 : msgbuf->fdsize * 2;
		if ((p = reallocarray(msgbuf->fds, nsize, sizeof(*p))) == NULL)
			return -1;
		msgbuf->fds = p;
		msgbuf->fdsize = nsize;
	}
	msgbuf->fds[msgbuf->nfds++] = fd;
	return 0;
}

/* The oldest received fd, now the caller's, or -1 if none is queued. */
int
msgbuf_popfd(struct msgbuf *msgbuf)
{
	int	 fd;

	if (msgbuf->nfds == 0)
		return -1;
	fd = msgbuf->fds[0];
	msgbuf->nfds--;
	memmove(msgbuf->fds, msgbuf->fds + 1, msgbuf->nfds * sizeof(int));
	return fd;
}

/* Bytes read and not yet taken, or NULL before the first read. */
struct ibuf *
msgbuf_rbuf(struct msgbuf *msgbuf)
{
	return msgbuf->rbuf;
}

#endif /* !__OpenBSD__ */
