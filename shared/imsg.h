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
 * imsg: framed messages, each with an optional file descriptor, over a
 * socketpair between two secd processes.
 *
 * The API is OpenBSD's current one (imsgbuf_init(3), OpenBSD 7.7 and
 * later): on OpenBSD this header is the system <imsg.h> and
 * imsg.c/imsg-buffer.c compile to nothing; elsewhere they implement the
 * same functions with the same return conventions, listed below.  secd
 * code uses only what is declared here under "portable API".
 *
 * Channel
 *	int	 imsgbuf_init(struct imsgbuf *, int fd)
 *		 0, or -1 (ENOMEM).  The fd stays the caller's to close.
 *	void	 imsgbuf_allow_fdpass(struct imsgbuf *)
 *		 accept fds from the peer; without it a passed fd is
 *		 dropped and imsg_get_fd() returns -1.  Call it on both ends.
 *	int	 imsgbuf_set_maxsize(struct imsgbuf *, uint32_t)
 *		 largest message, header included (default MAX_IMSGSIZE);
 *		 0, or -1 (EINVAL).
 *	int	 imsgbuf_read(struct imsgbuf *)
 *		 1: read something, or nothing to read yet (EAGAIN; EINTR is
 *		 retried); 0: the peer closed the channel; -1: error (errno).
 *	int	 imsgbuf_write(struct imsgbuf *)
 *		 sends what the socket takes; 0 (the rest, if any, stays
 *		 queued: a full socket is not an error), -1 on error
 *		 (EPIPE when the peer is gone; no SIGPIPE is raised).
 *	int	 imsgbuf_flush(struct imsgbuf *)
 *		 writes until the queue is empty, waiting in poll(2) on a
 *		 full non-blocking socket; 0, or -1 on error.
 *	uint32_t imsgbuf_queuelen(struct imsgbuf *)
 *		 messages (or parts of them) still to write.
 *	void	 imsgbuf_clear(struct imsgbuf *)
 *		 frees everything: queued messages, unread data, and closes
 *		 every fd queued either way.  imsgbuf_init() before reuse.
 *
 * Sending (pid 0 means the imsgbuf's own pid)
 *	int	 imsg_compose(struct imsgbuf *, uint32_t type, uint32_t id,
 *		     pid_t pid, int fd, const void *data, size_t datalen)
 *	int	 imsg_composev(..., int fd, const struct iovec *, int iovcnt)
 *		 1, or -1 (ERANGE: too big; ENOMEM).  fd (-1 for none) is
 *		 closed once sent; on failure it is still the caller's.
 *	struct ibuf *imsg_create(struct imsgbuf *, uint32_t type,
 *		     uint32_t id, pid_t pid, size_t datalen)
 *		 NULL on error (ERANGE, ENOMEM).
 *	int	 imsg_add(struct ibuf *, const void *, size_t)
 *		 datalen, or -1 and the message is freed.
 *	void	 imsg_close(struct imsgbuf *, struct ibuf *)
 *		 queues it; to pass an fd, ibuf_fd_set() before.
 *	int	 imsg_forward(struct imsgbuf *, struct imsg *)
 *		 resends type, id, pid and data (not the fd); 1 or -1.
 *
 * Receiving
 *	ssize_t	 imsg_get(struct imsgbuf *, struct imsg *)
 *		 >0: a message (its size, header included) to imsg_free();
 *		 0: no complete message yet; -1: error: EBADMSG when the
 *		 peer's header says less than IMSG_HEADER_SIZE, ERANGE when
 *		 it says more than the maximum size, ENOMEM.  A length error
 *		 is a protocol error: close the channel.
 *	int	 imsg_get_data(struct imsg *, void *, size_t len)
 *		 copies the data if it is exactly len bytes: 0, or -1
 *		 (EBADMSG: other size; EINVAL: len is 0).
 *	int	 imsg_get_fd(struct imsg *)
 *		 the passed fd, now the caller's, or -1 (none, or taken).
 *	uint32_t imsg_get_type(struct imsg *), imsg_get_id(struct imsg *)
 *	pid_t	 imsg_get_pid(struct imsg *)
 *	size_t	 imsg_get_len(struct imsg *)	data bytes
 *	void	 imsg_free(struct imsg *)
 *		 frees it and closes its fd if imsg_get_fd() did not take it.
 *
 * imsg.hdr and imsg.data may be read directly: hdr.len counts the
 * header, IMSG_DATA_SIZE(imsg) is the data length, and data is NULL when
 * there is none.
 */
#ifndef SECD_IMSG_H
#define SECD_IMSG_H

#ifdef __OpenBSD__

#include <sys/types.h>
#include <sys/queue.h>
#include <stdint.h>
#include_next <imsg.h>

#else /* !__OpenBSD__ */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/uio.h>
#include <stddef.h>
#include <stdint.h>

#define IMSG_HEADER_SIZE	sizeof(struct imsg_hdr)
#define MAX_IMSGSIZE		16384

struct ibuf {
	TAILQ_ENTRY(ibuf)	 entry;
	unsigned char		*buf;
	size_t			 size;	/* allocated */
	size_t			 max;	/* a dynamic buffer grows up to this */
	size_t			 wpos;	/* end of the data */
	size_t			 rpos;	/* start of the data */
	int			 fd;	/* passed with the message, or -1 */
};

struct msgbuf;

/*
 * On the wire, in host byte order (both ends are on the same host).  The
 * top bit of len says that an fd travels with the message; imsg_get()
 * clears it.
 */
struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;		/* header included */
	uint32_t	 peerid;
	uint32_t	 pid;
};

struct imsgbuf {
	struct msgbuf	*w;
	pid_t		 pid;
	uint32_t	 maxsize;
	int		 fd;
	int		 flags;
};

struct imsg {
	struct imsg_hdr	 hdr;
	void		*data;
	struct ibuf	*buf;
};

/* portable API: imsg.c */
int		 imsgbuf_init(struct imsgbuf *, int);
void		 imsgbuf_allow_fdpass(struct imsgbuf *);
int		 imsgbuf_set_maxsize(struct imsgbuf *, uint32_t);
int		 imsgbuf_read(struct imsgbuf *);
int		 imsgbuf_write(struct imsgbuf *);
int		 imsgbuf_flush(struct imsgbuf *);
void		 imsgbuf_clear(struct imsgbuf *);
uint32_t	 imsgbuf_queuelen(struct imsgbuf *);
ssize_t		 imsg_get(struct imsgbuf *, struct imsg *);
int		 imsg_get_data(struct imsg *, void *, size_t);
int		 imsg_get_fd(struct imsg *);
uint32_t	 imsg_get_id(struct imsg *);
size_t		 imsg_get_len(struct imsg *);
pid_t		 imsg_get_pid(struct imsg *);
uint32_t	 imsg_get_type(struct imsg *);
int		 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
		    const void *, size_t);
int		 imsg_composev(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
		    const struct iovec *, int);
struct ibuf	*imsg_create(struct imsgbuf *, uint32_t, uint32_t, pid_t,
		    size_t);
int		 imsg_add(struct ibuf *, const void *, size_t);
void		 imsg_close(struct imsgbuf *, struct ibuf *);
int		 imsg_forward(struct imsgbuf *, struct imsg *);
void		 imsg_free(struct imsg *);

/* portable API: imsg-buffer.c */
struct ibuf	*ibuf_open(size_t);
struct ibuf	*ibuf_dynamic(size_t, size_t);
int		 ibuf_add(struct ibuf *, const void *, size_t);
void		*ibuf_reserve(struct ibuf *, size_t);
void		*ibuf_data(const struct ibuf *);
size_t		 ibuf_size(const struct ibuf *);
size_t		 ibuf_left(const struct ibuf *);
int		 ibuf_skip(struct ibuf *, size_t);
void		 ibuf_fd_set(struct ibuf *, int);
int		 ibuf_fd_get(struct ibuf *);
void		 ibuf_free(struct ibuf *);

/*
 * Internal to imsg.c and imsg-buffer.c, not portable: OpenBSD's
 * functions of these names differ or do not exist.
 */
struct msgbuf	*msgbuf_new(void);
void		 msgbuf_free(struct msgbuf *);
uint32_t	 msgbuf_queuelen(struct msgbuf *);
void		 ibuf_close(struct msgbuf *, struct ibuf *);
int		 msgbuf_write(int, struct msgbuf *);
int		 msgbuf_read(int, struct msgbuf *, int, size_t);
struct ibuf	*msgbuf_rbuf(struct msgbuf *);
int		 msgbuf_popfd(struct msgbuf *);

#endif /* __OpenBSD__ */

#ifndef IMSG_DATA_SIZE
#define IMSG_DATA_SIZE(imsg)	((imsg).hdr.len - IMSG_HEADER_SIZE)
#endif

#endif /* SECD_IMSG_H */
