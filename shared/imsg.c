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
 * imsg for systems other than OpenBSD: framing of messages on top of the
 * buffers of imsg-buffer.c.  The API and its return conventions are in
 * imsg.h.
 */
#ifndef __OpenBSD__

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

#define IMSG_ALLOW_FDPASS	0x01

/* In hdr.len on the wire: an fd was sent with this message. */
#define IMSGF_HASFD		0x80000000U

int
imsgbuf_init(struct imsgbuf *imsgbuf, int fd)
{
	if ((imsgbuf->w = msgbuf_new()) == NULL)
		return -1;
	imsgbuf->pid = getpid();
	imsgbuf->maxsize = MAX_IMSGSIZE;
	imsgbuf->fd = fd;
	imsgbuf->flags = 0;
	return 0;
}

void
imsgbuf_allow_fdpass(struct imsgbuf *imsgbuf)
{
	imsgbuf->flags |= IMSG_ALLOW_FDPASS;
}

int
imsgbuf_set_maxsize(struct imsgbuf *imsgbuf, uint32_t maxsize)
{
	if (maxsize < IMSG_HEADER_SIZE || (maxsize & IMSGF_HASFD)) {
		errno = EINVAL;
		return -1;
	}
	imsgbuf->maxsize = maxsize;
	return 0;
}

int
imsgbuf_read(struct imsgbuf *imsgbuf)
{
	return msgbuf_read(imsgbuf->fd, imsgbuf->w,
	    imsgbuf->flags & IMSG_ALLOW_FDPASS, imsgbuf->maxsize);
}

int
imsgbuf_write(struct imsgbuf *imsgbuf)
{
	return msgbuf_write(imsgbuf->fd, imsgbuf->w);
}

/* Write everything; on a full non-blocking socket, wait until it drains. */
int
imsgbuf_flush(struct imsgbuf *imsgbuf)
{
	struct pollfd	 pfd;

	while (imsgbuf_queuelen(imsgbuf) > 0) {
		if (imsgbuf_write(imsgbuf) == -1)
			return -1;
		if (imsgbuf_queuelen(imsgbuf) == 0)
			break;
		pfd.fd = imsgbuf->fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
	return 0;
}

void
imsgbuf_clear(struct imsgbuf *imsgbuf)
{
	msgbuf_free(imsgbuf->w);
	imsgbuf->w = NULL;
}

uint32_t
imsgbuf_queuelen(struct imsgbuf *imsgbuf)
{
	if (imsgbuf->w == NULL)
		return 0;
	return msgbuf_queuelen(imsgbuf->w);
}

/*
 * Take the next complete message from what was read.  The length in the
 * header is the peer's word: it is checked before anything is copied.
 */
ssize_t
imsg_get(struct imsgbuf *imsgbuf, struct imsg *imsg)
{
	struct imsg_hdr	 hdr;
	struct ibuf	*rb, *buf;
	size_t		 datalen;
	uint32_t	 len;

	rb = msgbuf_rbuf(imsgbuf->w);
	if (rb == NULL || ibuf_size(rb) < IMSG_HEADER_SIZE)
		return 0;
	memcpy(&hdr, ibuf_data(rb), sizeof(hdr));
	len = hdr.len & ~IMSGF_HASFD;
	if (len < IMSG_HEADER_SIZE) {
		errno = EBADMSG;
		return -1;
	}
	if (len > imsgbuf->maxsize) {
		errno = ERANGE;
		return -1;
	}
	if (ibuf_size(rb) < len)
		return 0;

	datalen = len - IMSG_HEADER_SIZE;
	if ((buf = ibuf_open(datalen)) == NULL)
		return -1;
	if (ibuf_add(buf, (unsigned char *)ibuf_data(rb) + IMSG_HEADER_SIZE,
	    datalen) == -1) {
		ibuf_free(buf);
		return -1;
	}
	if (hdr.len & IMSGF_HASFD)
		ibuf_fd_set(buf, msgbuf_popfd(imsgbuf->w));
	if (ibuf_skip(rb, len) == -1) {
		ibuf_free(buf);
		return -1;
	}

	memset(imsg, 0, sizeof(*imsg));
	imsg->hdr = hdr;
	imsg->hdr.len = len;
	imsg->data = datalen > 0 ? ibuf_data(buf) : NULL;
	imsg->buf = buf;
	return len;
}

int
imsg_get_data(struct imsg *imsg, void *data, size_t len)
{
	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (imsg->buf == NULL || ibuf_size(imsg->buf) != len) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(data, ibuf_data(imsg->buf), len);
	return 0;
}

int
imsg_get_fd(struct imsg *imsg)
{
	if (imsg->buf == NULL)
		return -1;
	return ibuf_fd_get(imsg->buf);
}

uint32_t
imsg_get_id(struct imsg *imsg)
{
	return imsg->hdr.peerid;
}

size_t
imsg_get_len(struct imsg *imsg)
{
	if (imsg->buf == NULL)
		return 0;
	return ibuf_size(imsg->buf);
}

pid_t
imsg_get_pid(struct imsg *imsg)
{
	return imsg->hdr.pid;
}

uint32_t
imsg_get_type(struct imsg *imsg)
{
	return imsg->hdr.type;
}

int
imsg_compose(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id, pid_t pid,
    int fd, const void *data, size_t datalen)
{
	struct ibuf	*msg;

	if ((msg = imsg_create(imsgbuf, type, id, pid, datalen)) == NULL)
		return -1;
	if (imsg_add(msg, data, datalen) == -1)
		return -1;
	ibuf_fd_set(msg, fd);
	imsg_close(imsgbuf, msg);
	return 1;
}

int
imsg_composev(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id, pid_t pid,
    int fd, const struct iovec *iov, int iovcnt)
{
	struct ibuf	*msg;
	size_t		 datalen = 0;
	int		 i;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SIZE_MAX - datalen) {
			errno = ERANGE;
			return -1;
		}
		datalen += iov[i].iov_len;
	}
	if ((msg = imsg_create(imsgbuf, type, id, pid, datalen)) == NULL)
		return -1;
	for (i = 0; i < iovcnt; i++)
		if (imsg_add(msg, iov[i].iov_base, iov[i].iov_len) == -1)
			return -1;
	ibuf_fd_set(msg, fd);
	imsg_close(imsgbuf, msg);
	return 1;
}

struct ibuf *
imsg_create(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id, pid_t pid,
    size_t datalen)
{
	struct imsg_hdr	 hdr;
	struct ibuf	*msg;

	if (datalen > imsgbuf->maxsize - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return NULL;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.peerid = id;
	hdr.pid = pid == 0 ? imsgbuf->pid : pid;
	if ((msg = ibuf_dynamic(IMSG_HEADER_SIZE + datalen,
	    imsgbuf->maxsize)) == NULL)
		return NULL;
	if (ibuf_add(msg, &hdr, sizeof(hdr)) == -1) {
		ibuf_free(msg);
		return NULL;
	}
	return msg;
}

int
imsg_add(struct ibuf *msg, const void *data, size_t datalen)
{
	if (ibuf_add(msg, data, datalen) == -1) {
		ibuf_free(msg);
		return -1;
	}
	return (int)datalen;
}

/* Write the final length (and the fd mark) into the header and queue it. */
void
imsg_close(struct imsgbuf *imsgbuf, struct ibuf *msg)
{
	struct imsg_hdr	 hdr;

	memcpy(&hdr, msg->buf, sizeof(hdr));
	hdr.len = ibuf_size(msg);
	if (msg->fd != -1)
		hdr.len |= IMSGF_HASFD;
	memcpy(msg->buf, &hdr, sizeof(hdr));
	ibuf_close(imsgbuf->w, msg);
}

int
imsg_forward(struct imsgbuf *imsgbuf, struct imsg *imsg)
{
	return imsg_compose(imsgbuf, imsg->hdr.type, imsg->hdr.peerid,
	    imsg->hdr.pid, -1, imsg->data, imsg_get_len(imsg));
}

void
imsg_free(struct imsg *imsg)
{
	ibuf_free(imsg->buf);
	imsg->buf = NULL;
	imsg->data = NULL;
}

#endif /* !__OpenBSD__ */
