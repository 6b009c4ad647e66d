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
 * imsg over a socketpair: round trips, framing across reads, fd passing,
 * lying headers, a full socket, and what happens to fds nobody took.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "imsg.h"

#define MAXFD		1024
#define WAIT_MS		5000

static void	pair(int[2], int);
static void	chan(struct imsgbuf *, int, int);
static void	get_one(struct imsgbuf *, struct imsg *);
static void	read_all(struct imsgbuf *);
static void	fill(unsigned char *, size_t, unsigned int);
static int	check_fill(const unsigned char *, size_t, unsigned int);
static size_t	raw_msg(unsigned char *, uint32_t, uint32_t, size_t);
static void	write_all(int, const void *, size_t);
static void	open_fds(char[MAXFD]);
static int	is_open(int);
static void	nonblock(int);
static double	now(void);
static void	full_msg(unsigned char *, unsigned int);

static void
pair(int sv[2], int nb)
{
	ATF_REQUIRE_MSG(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0,
	    "socketpair: %s", strerror(errno));
	if (nb) {
		nonblock(sv[0]);
		nonblock(sv[1]);
	}
}

static void
chan(struct imsgbuf *ib, int fd, int fdpass)
{
	ATF_REQUIRE_MSG(imsgbuf_init(ib, fd) == 0, "imsgbuf_init: %s",
	    strerror(errno));
	if (fdpass)
		imsgbuf_allow_fdpass(ib);
}

static void
nonblock(int fd)
{
	int	 fl;

	ATF_REQUIRE((fl = fcntl(fd, F_GETFL)) != -1);
	ATF_REQUIRE(fcntl(fd, F_SETFL, fl | O_NONBLOCK) != -1);
}

/* Read until one complete message is there; fail after WAIT_MS. */
static void
get_one(struct imsgbuf *ib, struct imsg *imsg)
{
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 r;

	for (;;) {
		n = imsg_get(ib, imsg);
		ATF_REQUIRE_MSG(n != -1, "imsg_get: expected a message, "
		    "got -1 (%s)", strerror(errno));
		if (n > 0)
			return;
		pfd.fd = ib->fd;
		pfd.events = POLLIN;
		ATF_REQUIRE_MSG(poll(&pfd, 1, WAIT_MS) == 1,
		    "expected a message within %d ms, nothing came", WAIT_MS);
		r = imsgbuf_read(ib);
		ATF_REQUIRE_MSG(r == 1, "imsgbuf_read: expected 1, got %d "
		    "(%s)", r, r == -1 ? strerror(errno) : "end of file");
	}
}

/* Read everything the peer has sent so far, without taking messages. */
static void
read_all(struct imsgbuf *ib)
{
	struct pollfd	 pfd;
	int		 r;

	pfd.fd = ib->fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 100) == 1) {
		r = imsgbuf_read(ib);
		ATF_REQUIRE_MSG(r == 1, "imsgbuf_read: expected 1, got %d "
		    "(%s)", r, r == -1 ? strerror(errno) : "end of file");
	}
}

static void
fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

/* Index of the first wrong byte, or -1 if all are right. */
static int
check_fill(const unsigned char *p, size_t len, unsigned int seed)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed * 31 + i * 7 + (i >> 8)))
			return (int)i;
	return -1;
}

/* A message built by hand: header saying len, then datalen bytes. */
static size_t
raw_msg(unsigned char *p, uint32_t type, uint32_t len, size_t datalen)
{
	struct imsg_hdr	 hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	hdr.peerid = 7;
	hdr.pid = 42;
	memcpy(p, &hdr, sizeof(hdr));
	fill(p + sizeof(hdr), datalen, type);
	return sizeof(hdr) + datalen;
}

static void
write_all(int fd, const void *p, size_t len)
{
	ssize_t	 n;

	n = write(fd, p, len);
	ATF_REQUIRE_MSG(n >= 0 && (size_t)n == len,
	    "write of %zu raw bytes: got %zd (%s)", len, n, strerror(errno));
}

static void
open_fds(char open[MAXFD])
{
	int	 fd;

	for (fd = 0; fd < MAXFD; fd++)
		open[fd] = is_open(fd);
}

static int
is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

ATF_TC_WITHOUT_HEAD(roundtrip_sizes_0_1_max);
ATF_TC_BODY(roundtrip_sizes_0_1_max, tc)
{
	static unsigned char	 big[MAX_IMSGSIZE];
	struct imsgbuf		 a, b;
	struct imsg		 imsg;
	size_t			 sizes[] = { 0, 1, 100,
				    MAX_IMSGSIZE - IMSG_HEADER_SIZE };
	unsigned int		 i;
	int			 sv[2], r;

	pair(sv, 0);
	chan(&a, sv[0], 0);
	chan(&b, sv[1], 0);
	for (i = 0; i < 4; i++) {
		fill(big, sizes[i], i + 1);
		r = imsg_compose(&a, i + 1, 1000 + i, 0, -1,
		    sizes[i] ? big : NULL, sizes[i]);
		ATF_REQUIRE_MSG(r == 1, "imsg_compose of %zu bytes: expected "
		    "1, got %d (%s)", sizes[i], r, strerror(errno));
	}
	ATF_REQUIRE_MSG(imsgbuf_queuelen(&a) == 4,
	    "queue: expected 4 messages, got %u", imsgbuf_queuelen(&a));
	ATF_REQUIRE_MSG(imsgbuf_flush(&a) == 0, "imsgbuf_flush: %s",
	    strerror(errno));
	ATF_REQUIRE_EQ(imsgbuf_queuelen(&a), 0);

	for (i = 0; i < 4; i++) {
		get_one(&b, &imsg);
		ATF_CHECK_MSG(imsg_get_type(&imsg) == i + 1,
		    "message %u: expected type %u, got %u", i, i + 1,
		    imsg_get_type(&imsg));
		ATF_CHECK_MSG(imsg_get_id(&imsg) == 1000 + i,
		    "message %u: expected id %u, got %u", i, 1000 + i,
		    imsg_get_id(&imsg));
		ATF_CHECK_MSG(imsg_get_pid(&imsg) == getpid(),
		    "message %u: expected pid %d, got %d", i, (int)getpid(),
		    (int)imsg_get_pid(&imsg));
		ATF_CHECK_MSG(imsg_get_len(&imsg) == sizes[i] &&
		    IMSG_DATA_SIZE(imsg) == sizes[i] &&
		    imsg.hdr.len == sizes[i] + IMSG_HEADER_SIZE,
		    "message %u: expected %zu data bytes, got %zu "
		    "(IMSG_DATA_SIZE %zu, hdr.len %u)", i, sizes[i],
		    imsg_get_len(&imsg), (size_t)IMSG_DATA_SIZE(imsg),
		    imsg.hdr.len);
		if (sizes[i] == 0)
			ATF_CHECK_MSG(imsg.data == NULL,
			    "empty message: expected data NULL, got %p",
			    imsg.data);
		else
			ATF_CHECK_MSG(imsg.data != NULL && (r = check_fill(
			    imsg.data, sizes[i], i + 1)) == -1,
			    "message %u: data differs at byte %d", i, r);
		ATF_CHECK_MSG(imsg_get_fd(&imsg) == -1,
		    "message %u: expected no fd", i);
		imsg_free(&imsg);
	}
	ATF_CHECK_MSG(imsg_get(&b, &imsg) == 0,
	    "after the last message: expected imsg_get 0");
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(compose_over_max_fails_erange);
ATF_TC_BODY(compose_over_max_fails_erange, tc)
{
	static unsigned char	 big[MAX_IMSGSIZE];
	struct imsgbuf		 a;
	int			 r;

	chan(&a, -1, 0);
	errno = 0;
	r = imsg_compose(&a, 1, 0, 0, -1, big,
	    MAX_IMSGSIZE - IMSG_HEADER_SIZE + 1);
	ATF_CHECK_MSG(r == -1 && errno == ERANGE, "compose one byte over "
	    "the maximum: expected -1 ERANGE, got %d (%s)", r,
	    strerror(errno));
	ATF_CHECK_MSG(imsg_create(&a, 1, 0, 0, SIZE_MAX) == NULL &&
	    errno == ERANGE, "imsg_create of SIZE_MAX: expected NULL ERANGE");
	ATF_CHECK_MSG(imsgbuf_queuelen(&a) == 0,
	    "expected nothing queued, got %u", imsgbuf_queuelen(&a));
	imsgbuf_clear(&a);
}

ATF_TC_WITHOUT_HEAD(roundtrip_create_add_close_composev_maxsize);
ATF_TC_BODY(roundtrip_create_add_close_composev_maxsize, tc)
{
	static unsigned char	 big[70000];
	struct imsgbuf		 a, b;
	struct imsg		 imsg;
	struct iovec		 iov[3];
	struct ibuf		*msg;
	char			 out[16];
	int			 sv[2], r;

	pair(sv, 0);
	chan(&a, sv[0], 0);
	chan(&b, sv[1], 0);

	ATF_REQUIRE((msg = imsg_create(&a, 10, 1, 99, 5)) != NULL);
	ATF_REQUIRE(imsg_add(msg, "hel", 3) == 3);
	/* It grows past the announced size, up to the maximum. */
	ATF_REQUIRE(imsg_add(msg, "lo world", 8) == 8);
	imsg_close(&a, msg);

	iov[0].iov_base = "ab";
	iov[0].iov_len = 2;
	iov[1].iov_base = NULL;
	iov[1].iov_len = 0;
	iov[2].iov_base = "cde";
	iov[2].iov_len = 3;
	ATF_REQUIRE(imsg_composev(&a, 11, 2, 0, -1, iov, 3) == 1);

	/* A larger maximum on both ends carries a larger message. */
	ATF_REQUIRE(imsgbuf_set_maxsize(&a, sizeof(big) + 100) == 0);
	ATF_REQUIRE(imsgbuf_set_maxsize(&b, sizeof(big) + 100) == 0);
	ATF_CHECK(imsgbuf_set_maxsize(&b, 3) == -1 && errno == EINVAL);
	fill(big, sizeof(big), 12);
	ATF_REQUIRE(imsg_compose(&a, 12, 3, 0, -1, big, sizeof(big)) == 1);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);

	get_one(&b, &imsg);
	memset(out, 0, sizeof(out));
	ATF_CHECK_MSG(imsg_get_type(&imsg) == 10 &&
	    imsg_get_pid(&imsg) == 99 && imsg_get_len(&imsg) == 11 &&
	    imsg_get_data(&imsg, out, 11) == 0 &&
	    strcmp(out, "hello world") == 0,
	    "imsg_create/add/close: expected type 10 pid 99 \"hello world\", "
	    "got type %u pid %d len %zu \"%s\"", imsg_get_type(&imsg),
	    (int)imsg_get_pid(&imsg), imsg_get_len(&imsg), out);
	imsg_free(&imsg);

	get_one(&b, &imsg);
	memset(out, 0, sizeof(out));
	ATF_CHECK_MSG(imsg_get_type(&imsg) == 11 &&
	    imsg_get_len(&imsg) == 5 && imsg_get_data(&imsg, out, 5) == 0 &&
	    strcmp(out, "abcde") == 0,
	    "imsg_composev: expected type 11 \"abcde\", got type %u len %zu "
	    "\"%s\"", imsg_get_type(&imsg), imsg_get_len(&imsg), out);
	imsg_free(&imsg);

	get_one(&b, &imsg);
	ATF_CHECK_MSG(imsg_get_type(&imsg) == 12 &&
	    imsg_get_len(&imsg) == sizeof(big) &&
	    (r = check_fill(imsg.data, sizeof(big), 12)) == -1,
	    "message of %zu bytes: got type %u, %zu bytes",
	    sizeof(big), imsg_get_type(&imsg), imsg_get_len(&imsg));
	imsg_free(&imsg);

	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(many_messages_in_one_read);
ATF_TC_BODY(many_messages_in_one_read, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	unsigned char	 data[40];
	unsigned int	 i;
	ssize_t		 n;
	int		 sv[2], r;

	pair(sv, 0);
	chan(&a, sv[0], 0);
	chan(&b, sv[1], 0);
	for (i = 0; i < 50; i++) {
		fill(data, i % 40, i);
		ATF_REQUIRE(imsg_compose(&a, i, i, 0, -1, data, i % 40) == 1);
	}
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);

	r = imsgbuf_read(&b);
	ATF_REQUIRE_MSG(r == 1, "imsgbuf_read: expected 1, got %d", r);
	for (i = 0; i < 50; i++) {
		n = imsg_get(&b, &imsg);
		ATF_REQUIRE_MSG(n > 0, "one read: expected message %u of 50, "
		    "imsg_get gave %zd", i, n);
		ATF_CHECK_MSG(imsg_get_type(&imsg) == i &&
		    imsg_get_len(&imsg) == i % 40 &&
		    (i % 40 == 0 || check_fill(imsg.data, i % 40, i) == -1),
		    "message %u: expected type %u with %u bytes, got type %u "
		    "with %zu", i, i, i % 40, imsg_get_type(&imsg),
		    imsg_get_len(&imsg));
		imsg_free(&imsg);
	}
	n = imsg_get(&b, &imsg);
	ATF_CHECK_MSG(n == 0, "after 50 messages: expected 0, got %zd", n);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

/* Two messages written by hand in pieces cut through header and data. */
ATF_TC_WITHOUT_HEAD(message_split_across_reads);
ATF_TC_BODY(message_split_across_reads, tc)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	unsigned char	 raw[200];
	size_t		 cuts[] = { 0, 1, 15, 16, 70, 120, 132 };
	size_t		 len1, len2;
	ssize_t		 n;
	unsigned int	 i, got = 0;
	int		 sv[2];

	len1 = raw_msg(raw, 1, IMSG_HEADER_SIZE + 100, 100);
	len2 = raw_msg(raw + len1, 2, IMSG_HEADER_SIZE, 0);
	ATF_REQUIRE_EQ(len1 + len2, 132);

	pair(sv, 0);
	chan(&b, sv[1], 0);
	for (i = 1; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		write_all(sv[0], raw + cuts[i - 1], cuts[i] - cuts[i - 1]);
		ATF_REQUIRE(imsgbuf_read(&b) == 1);
		while ((n = imsg_get(&b, &imsg)) > 0) {
			got++;
			ATF_CHECK_MSG(imsg_get_type(&imsg) == got,
			    "expected message type %u, got %u", got,
			    imsg_get_type(&imsg));
			if (got == 1)
				ATF_CHECK_MSG(imsg_get_len(&imsg) == 100 &&
				    check_fill(imsg.data, 100, 1) == -1,
				    "first message: expected 100 bytes intact, "
				    "got %zu", imsg_get_len(&imsg));
			imsg_free(&imsg);
		}
		ATF_REQUIRE_MSG(n == 0, "imsg_get: expected 0 or a message, "
		    "got -1 (%s)", strerror(errno));
		/* Complete after byte 116 (the first) and 132 (the second). */
		ATF_CHECK_MSG(got == (cuts[i] >= 132 ? 2 : cuts[i] >= 116),
		    "after %zu bytes: expected %d messages, got %u", cuts[i],
		    cuts[i] >= 132 ? 2 : cuts[i] >= 116, got);
	}
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(fd_pass_pipe_works);
ATF_TC_BODY(fd_pass_pipe_works, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 buf[8];
	int		 sv[2], p[2], fd;

	pair(sv, 0);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 1);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE(imsg_compose(&a, 5, 0, 0, p[1], "hello", 5) == 1);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	ATF_CHECK_MSG(!is_open(p[1]),
	    "sender: expected the passed fd %d closed once sent", p[1]);

	get_one(&b, &imsg);
	ATF_CHECK_EQ(imsg_get_type(&imsg), 5);
	ATF_CHECK_MSG(imsg_get_len(&imsg) == 5 &&
	    memcmp(imsg.data, "hello", 5) == 0, "expected data \"hello\"");
	fd = imsg_get_fd(&imsg);
	ATF_REQUIRE_MSG(fd != -1, "expected an fd with the message, got -1");
	ATF_CHECK_MSG(imsg_get_fd(&imsg) == -1,
	    "second imsg_get_fd: expected -1, the fd was taken");
	imsg_free(&imsg);
	ATF_CHECK_MSG(is_open(fd), "imsg_free closed the fd it had given");

	ATF_REQUIRE(write(fd, "ping", 4) == 4);
	close(fd);
	memset(buf, 0, sizeof(buf));
	ATF_CHECK_MSG(read(p[0], buf, sizeof(buf)) == 4 &&
	    memcmp(buf, "ping", 4) == 0,
	    "expected \"ping\" through the passed pipe, got \"%s\"", buf);
	close(p[0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

/* fds queued by several reads before any imsg_get reach their messages. */
ATF_TC_WITHOUT_HEAD(fd_several_queued_in_order);
ATF_TC_BODY(fd_several_queued_in_order, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 before[MAXFD], after[MAXFD], c;
	int		 p[4][2], hasfd[4] = { 1, 0, 1, 1 };
	int		 sv[2], i, fd, nnew;

	pair(sv, 0);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 1);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE(pipe(p[i]) == 0);
		ATF_REQUIRE(imsg_compose(&a, i, 0, 0,
		    hasfd[i] ? p[i][1] : -1, &i, sizeof(i)) == 1);
		if (!hasfd[i])
			close(p[i][1]);
	}
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);

	open_fds(before);
	read_all(&b);
	open_fds(after);
	for (nnew = 0, fd = 0; fd < MAXFD; fd++)
		nnew += after[fd] && !before[fd];
	ATF_CHECK_MSG(nnew == 3, "after reading: expected 3 fds queued, "
	    "got %d", nnew);

	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_MSG(imsg_get(&b, &imsg) > 0,
		    "expected message %d already read", i);
		ATF_CHECK_EQ(imsg_get_type(&imsg), (uint32_t)i);
		fd = imsg_get_fd(&imsg);
		imsg_free(&imsg);
		if (!hasfd[i]) {
			ATF_CHECK_MSG(fd == -1, "message %d: expected no fd, "
			    "got %d", i, fd);
			continue;
		}
		ATF_REQUIRE_MSG(fd != -1, "message %d: expected an fd", i);
		c = 'a' + i;
		ATF_REQUIRE(write(fd, &c, 1) == 1);
		close(fd);
		c = 0;
		ATF_CHECK_MSG(read(p[i][0], &c, 1) == 1 && c == 'a' + i,
		    "message %d: expected its own pipe to get '%c', got '%c'",
		    i, 'a' + i, c ? c : '?');
	}
	for (i = 0; i < 4; i++)
		close(p[i][0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

/*
 * One imsgbuf_write() sends every message the socket takes, fds included,
 * not one sendmsg(2)'s worth: an event loop calls it once per writable
 * event, and one fd a turn could not keep up with zoned handing serverd
 * an image for each of thousands of zones.
 */
ATF_TC_WITHOUT_HEAD(one_write_sends_many_fds);
ATF_TC_BODY(one_write_sends_many_fds, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	int		 sv[2], i, fd, got = 0;

	pair(sv, 1);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 1);
	for (i = 0; i < 50; i++) {
		ATF_REQUIRE((fd = dup(0)) != -1);
		ATF_REQUIRE(imsg_compose(&a, i, 0, 0, fd, &i,
		    sizeof(i)) == 1);
	}
	ATF_REQUIRE(imsgbuf_write(&a) == 0);
	ATF_CHECK_EQ(imsgbuf_queuelen(&a), 0);
	read_all(&b);
	while (imsg_get(&b, &imsg) > 0) {
		ATF_CHECK_EQ(imsg_get_type(&imsg), (uint32_t)got);
		fd = imsg_get_fd(&imsg);
		ATF_CHECK_MSG(fd != -1, "message %d: no fd", got);
		if (fd != -1)
			close(fd);
		imsg_free(&imsg);
		got++;
	}
	ATF_CHECK_EQ(got, 50);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

/*
 * An fd the kernel could not give us (no slot: MSG_CTRUNC) is lost, but
 * the next message must still get its own fd, not the lost one's place.
 */
ATF_TC_WITHOUT_HEAD(fd_lost_keeps_later_fds_matched);
ATF_TC_BODY(fd_lost_keeps_later_fds_matched, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	struct rlimit	 rl, low;
	char		 c;
	int		 sv[2], p[2][2], i, fd, fd0, fd1;

	pair(sv, 0);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 1);
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE(pipe(p[i]) == 0);
		ATF_REQUIRE(imsg_compose(&a, i, 0, 0, p[i][1], NULL, 0) == 1);
	}
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);

	/* No fd slot free for the first read, which takes the first fd. */
	ATF_REQUIRE((fd = dup(0)) != -1);
	close(fd);
	ATF_REQUIRE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	low = rl;
	low.rlim_cur = fd;
	ATF_REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
	ATF_REQUIRE(imsgbuf_read(&b) == 1);
	ATF_REQUIRE(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	read_all(&b);

	ATF_REQUIRE(imsg_get(&b, &imsg) > 0);
	fd0 = imsg_get_fd(&imsg);
	imsg_free(&imsg);
	ATF_REQUIRE(imsg_get(&b, &imsg) > 0);
	fd1 = imsg_get_fd(&imsg);
	imsg_free(&imsg);
	ATF_CHECK_MSG(fd0 == -1, "first message: expected its fd lost (-1), "
	    "got %d", fd0);
	ATF_REQUIRE_MSG(fd1 != -1, "second message: expected its fd, got -1");
	c = 'x';
	ATF_REQUIRE(write(fd1, &c, 1) == 1);
	close(fd1);
	nonblock(p[1][0]);
	c = 0;
	ATF_CHECK_MSG(read(p[1][0], &c, 1) == 1 && c == 'x', "second "
	    "message: expected the fd of its own pipe");
	for (i = 0; i < 2; i++)
		close(p[i][0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(fd_dropped_without_allow_fdpass);
ATF_TC_BODY(fd_dropped_without_allow_fdpass, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 before[MAXFD], after[MAXFD];
	int		 sv[2], p[2], fd, nnew;

	pair(sv, 0);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 0);
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, p[1], "x", 1) == 1);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	open_fds(before);
	get_one(&b, &imsg);
	open_fds(after);
	for (nnew = 0, fd = 0; fd < MAXFD; fd++)
		nnew += after[fd] && !before[fd];
	ATF_CHECK_MSG(nnew == 0, "receiver without fd passing: expected no "
	    "new fd, got %d", nnew);
	ATF_CHECK_MSG(imsg_get_fd(&imsg) == -1, "expected fd -1");
	ATF_CHECK_MSG(imsg_get_len(&imsg) == 1, "expected the data anyway");
	imsg_free(&imsg);
	close(p[0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(hdr_len_too_small_ebadmsg);
ATF_TC_BODY(hdr_len_too_small_ebadmsg, tc)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	unsigned char	 raw[100];
	size_t		 len;
	ssize_t		 n;
	int		 sv[2];

	pair(sv, 0);
	chan(&b, sv[1], 0);
	len = raw_msg(raw, 1, IMSG_HEADER_SIZE + 4, 4);
	len += raw_msg(raw + len, 2, IMSG_HEADER_SIZE - 1, 20);
	write_all(sv[0], raw, len);
	ATF_REQUIRE(imsgbuf_read(&b) == 1);
	n = imsg_get(&b, &imsg);
	ATF_REQUIRE_MSG(n == IMSG_HEADER_SIZE + 4,
	    "good message before the bad one: expected %zu, got %zd",
	    IMSG_HEADER_SIZE + 4, n);
	imsg_free(&imsg);
	errno = 0;
	n = imsg_get(&b, &imsg);
	ATF_CHECK_MSG(n == -1 && errno == EBADMSG, "header len %zu: expected "
	    "-1 EBADMSG, got %zd (%s)", IMSG_HEADER_SIZE - 1, n,
	    strerror(errno));
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(hdr_len_too_large_erange);
ATF_TC_BODY(hdr_len_too_large_erange, tc)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	unsigned char	 raw[100];
	uint32_t	 lens[] = { MAX_IMSGSIZE + 1, 0x7fffffff, 0xffffffff };
	ssize_t		 n;
	unsigned int	 i;
	int		 sv[2];

	for (i = 0; i < 3; i++) {
		pair(sv, 0);
		chan(&b, sv[1], 0);
		/* Only the header: the error must not wait for the data. */
		write_all(sv[0], raw, raw_msg(raw, 1, lens[i], 0));
		ATF_REQUIRE(imsgbuf_read(&b) == 1);
		errno = 0;
		n = imsg_get(&b, &imsg);
		ATF_CHECK_MSG(n == -1 && errno == ERANGE, "header len %u: "
		    "expected -1 ERANGE, got %zd (%s)", lens[i], n,
		    strerror(errno));
		imsgbuf_clear(&b);
		close(sv[0]);
		close(sv[1]);
	}
}

ATF_TC_WITHOUT_HEAD(hdr_len_longer_than_data_waits);
ATF_TC_BODY(hdr_len_longer_than_data_waits, tc)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	unsigned char	 raw[200];
	size_t		 len;
	ssize_t		 n;
	int		 sv[2];

	pair(sv, 0);
	chan(&b, sv[1], 0);
	len = raw_msg(raw, 3, IMSG_HEADER_SIZE + 100, 100);
	write_all(sv[0], raw, IMSG_HEADER_SIZE + 40);
	ATF_REQUIRE(imsgbuf_read(&b) == 1);
	n = imsg_get(&b, &imsg);
	ATF_REQUIRE_MSG(n == 0, "40 of 100 data bytes: expected 0 (wait), "
	    "got %zd (%s)", n, n == -1 ? strerror(errno) : "a message");
	write_all(sv[0], raw + IMSG_HEADER_SIZE + 40,
	    len - IMSG_HEADER_SIZE - 40);
	ATF_REQUIRE(imsgbuf_read(&b) == 1);
	n = imsg_get(&b, &imsg);
	ATF_REQUIRE_MSG(n == (ssize_t)len, "all 100 bytes: expected %zu, "
	    "got %zd", len, n);
	ATF_CHECK(check_fill(imsg.data, 100, 3) == -1);
	ATF_CHECK_EQ(imsg_get_id(&imsg), 7);
	ATF_CHECK_EQ(imsg_get_pid(&imsg), 42);
	imsg_free(&imsg);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Compose until the socket is full: imsgbuf_write keeps the rest queued
 * and returns at once; then every message arrives, in order.  A small
 * send buffer and odd sizes make the kernel take messages in pieces.
 */
#define FULL_LEN(seq)	(500 + ((seq) * 997) % 3000)

static void
full_msg(unsigned char *data, unsigned int seq)
{
	fill(data, FULL_LEN(seq), seq);
	memcpy(data, &seq, sizeof(seq));
}

ATF_TC_WITHOUT_HEAD(full_socket_keeps_queue_in_order);
ATF_TC_BODY(full_socket_keeps_queue_in_order, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	unsigned char	 data[4000];
	unsigned int	 sent, got = 0, seq, spins;
	double		 t;
	ssize_t		 n;
	int		 sv[2], r, sndbuf = 4096;

	pair(sv, 1);
	ATF_REQUIRE(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)) == 0);
	chan(&a, sv[0], 0);
	chan(&b, sv[1], 0);
	for (sent = 0; imsgbuf_queuelen(&a) == 0; sent++) {
		ATF_REQUIRE_MSG(sent < 100000, "the socket never filled");
		full_msg(data, sent);
		ATF_REQUIRE(imsg_compose(&a, 9, 0, 0, -1, data,
		    FULL_LEN(sent)) == 1);
		r = imsgbuf_write(&a);
		ATF_REQUIRE_MSG(r == 0, "imsgbuf_write: expected 0, got %d "
		    "(%s)", r, strerror(errno));
	}
	for (; sent < 300; sent++) {
		full_msg(data, sent);
		ATF_REQUIRE(imsg_compose(&a, 9, 0, 0, -1, data,
		    FULL_LEN(sent)) == 1);
	}
	t = now();
	r = imsgbuf_write(&a);
	t = now() - t;
	ATF_CHECK_MSG(r == 0, "imsgbuf_write on a full socket: expected 0, "
	    "got %d (%s)", r, strerror(errno));
	ATF_CHECK_MSG(t < 1.0, "imsgbuf_write on a full socket: expected it "
	    "to return at once, took %.2f s", t);
	ATF_CHECK_MSG(imsgbuf_queuelen(&a) > 0, "expected data still queued");

	for (spins = 0; got < sent; spins++) {
		ATF_REQUIRE_MSG(spins < 1000000, "stuck after %u of %u "
		    "messages", got, sent);
		r = imsgbuf_write(&a);
		ATF_REQUIRE_MSG(r == 0, "imsgbuf_write: expected 0, got %d "
		    "(%s)", r, strerror(errno));
		r = imsgbuf_read(&b);
		ATF_REQUIRE_MSG(r == 1, "imsgbuf_read: expected 1, got %d "
		    "(%s)", r, r == -1 ? strerror(errno) : "end of file");
		while ((n = imsg_get(&b, &imsg)) > 0) {
			ATF_REQUIRE_MSG(imsg_get_len(&imsg) == FULL_LEN(got),
			    "message %u: expected %u bytes, got %zu", got,
			    FULL_LEN(got), imsg_get_len(&imsg));
			memcpy(&seq, imsg.data, sizeof(seq));
			ATF_REQUIRE_MSG(seq == got, "expected message %u, "
			    "got %u", got, seq);
			full_msg(data, got);
			ATF_REQUIRE_MSG(memcmp(imsg.data, data,
			    FULL_LEN(got)) == 0, "message %u: expected its "
			    "bytes intact, they differ", got);
			imsg_free(&imsg);
			got++;
		}
		ATF_REQUIRE_MSG(n == 0, "imsg_get: expected 0 or a message, "
		    "got -1 (%s)", strerror(errno));
	}
	ATF_CHECK_MSG(got == sent && imsgbuf_queuelen(&a) == 0,
	    "expected %u messages and an empty queue, got %u and %u queued",
	    sent, got, imsgbuf_queuelen(&a));
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(get_data_wrong_length_fails);
ATF_TC_BODY(get_data_wrong_length_fails, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	uint64_t	 v = 0x1122334455667788ULL, out = 0;
	uint32_t	 small;
	unsigned char	 large[16];
	int		 sv[2], r;

	pair(sv, 0);
	chan(&a, sv[0], 0);
	chan(&b, sv[1], 0);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, -1, &v, sizeof(v)) == 1);
	ATF_REQUIRE(imsg_compose(&a, 2, 0, 0, -1, NULL, 0) == 1);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);

	get_one(&b, &imsg);
	errno = 0;
	r = imsg_get_data(&imsg, &small, sizeof(small));
	ATF_CHECK_MSG(r == -1 && errno == EBADMSG, "4 bytes from an 8-byte "
	    "message: expected -1 EBADMSG, got %d (%s)", r, strerror(errno));
	errno = 0;
	r = imsg_get_data(&imsg, large, sizeof(large));
	ATF_CHECK_MSG(r == -1 && errno == EBADMSG, "16 bytes from an 8-byte "
	    "message: expected -1 EBADMSG, got %d (%s)", r, strerror(errno));
	errno = 0;
	r = imsg_get_data(&imsg, &out, 0);
	ATF_CHECK_MSG(r == -1 && errno == EINVAL, "0 bytes: expected -1 "
	    "EINVAL, got %d (%s)", r, strerror(errno));
	r = imsg_get_data(&imsg, &out, sizeof(out));
	ATF_CHECK_MSG(r == 0 && out == v, "8 bytes: expected 0 and %llx, got "
	    "%d and %llx", (unsigned long long)v, r, (unsigned long long)out);
	imsg_free(&imsg);

	get_one(&b, &imsg);
	r = imsg_get_data(&imsg, &out, sizeof(out));
	ATF_CHECK_MSG(r == -1 && errno == EBADMSG, "8 bytes from an empty "
	    "message: expected -1 EBADMSG, got %d", r);
	imsg_free(&imsg);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

/*
 * fds read but not taken are closed by imsgbuf_clear: the pipes' last
 * write ends go, so their readers see end of file.
 */
ATF_TC_WITHOUT_HEAD(clear_closes_unread_fds);
ATF_TC_BODY(clear_closes_unread_fds, tc)
{
	struct imsgbuf	 a, b;
	char		 before[MAXFD], after[MAXFD], c;
	int		 p[2][2], newfd[2];
	int		 sv[2], i, fd, nnew = 0;
	ssize_t		 n;

	pair(sv, 0);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 1);
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE(pipe(p[i]) == 0);
		nonblock(p[i][0]);
		ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, p[i][1], NULL, 0) == 1);
	}
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	open_fds(before);
	read_all(&b);
	open_fds(after);
	for (fd = 0; fd < MAXFD; fd++)
		if (after[fd] && !before[fd] && nnew++ < 2)
			newfd[nnew - 1] = fd;
	ATF_REQUIRE_MSG(nnew == 2, "after reading: expected 2 fds queued, "
	    "got %d", nnew);

	imsgbuf_clear(&b);
	for (i = 0; i < 2; i++) {
		ATF_CHECK_MSG(!is_open(newfd[i]), "imsgbuf_clear: expected "
		    "received fd %d closed (F_GETFD), it is open", newfd[i]);
		n = read(p[i][0], &c, 1);
		ATF_CHECK_MSG(n == 0, "pipe %d: expected end of file once "
		    "every write end is closed, got %zd (%s)", i, n,
		    n == -1 ? strerror(errno) : "data");
		close(p[i][0]);
	}
	imsgbuf_clear(&a);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(clear_closes_unsent_fds);
ATF_TC_BODY(clear_closes_unsent_fds, tc)
{
	struct imsgbuf	 a;
	char		 c;
	ssize_t		 n;
	int		 sv[2], p[2];

	pair(sv, 0);
	chan(&a, sv[0], 1);
	ATF_REQUIRE(pipe(p) == 0);
	nonblock(p[0]);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, p[1], NULL, 0) == 1);
	ATF_CHECK_MSG(is_open(p[1]), "expected fd %d open until sent", p[1]);
	imsgbuf_clear(&a);
	ATF_CHECK_MSG(!is_open(p[1]), "imsgbuf_clear: expected unsent fd %d "
	    "closed (F_GETFD), it is open", p[1]);
	n = read(p[0], &c, 1);
	ATF_CHECK_MSG(n == 0, "expected end of file on the pipe, got %zd", n);
	ATF_CHECK_EQ(imsgbuf_queuelen(&a), 0);
	imsgbuf_clear(&a);
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(free_closes_untaken_fd);
ATF_TC_BODY(free_closes_untaken_fd, tc)
{
	struct imsgbuf	 a, b;
	struct imsg	 imsg;
	char		 c;
	ssize_t		 n;
	int		 sv[2], p[2];

	pair(sv, 0);
	chan(&a, sv[0], 1);
	chan(&b, sv[1], 1);
	ATF_REQUIRE(pipe(p) == 0);
	nonblock(p[0]);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, p[1], NULL, 0) == 1);
	ATF_REQUIRE(imsgbuf_flush(&a) == 0);
	get_one(&b, &imsg);
	imsg_free(&imsg);
	n = read(p[0], &c, 1);
	ATF_CHECK_MSG(n == 0, "imsg_free without imsg_get_fd: expected the "
	    "fd closed (end of file on the pipe), got %zd (%s)", n,
	    n == -1 ? strerror(errno) : "data");
	close(p[0]);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(read_eof_returns_0);
ATF_TC_BODY(read_eof_returns_0, tc)
{
	struct imsgbuf	 b;
	int		 sv[2], r;

	pair(sv, 0);
	chan(&b, sv[1], 0);
	close(sv[0]);
	r = imsgbuf_read(&b);
	ATF_CHECK_MSG(r == 0, "peer closed: expected 0, got %d", r);
	imsgbuf_clear(&b);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(read_nothing_nonblocking_returns_1);
ATF_TC_BODY(read_nothing_nonblocking_returns_1, tc)
{
	struct imsgbuf	 b;
	struct imsg	 imsg;
	int		 sv[2], r;

	pair(sv, 1);
	chan(&b, sv[1], 0);
	r = imsgbuf_read(&b);
	ATF_CHECK_MSG(r == 1, "nothing to read (EAGAIN): expected 1, got %d "
	    "(%s)", r, strerror(errno));
	ATF_CHECK_EQ(imsg_get(&b, &imsg), 0);
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(write_to_closed_peer_epipe);
ATF_TC_BODY(write_to_closed_peer_epipe, tc)
{
	struct imsgbuf	 a;
	int		 sv[2], r;

	pair(sv, 0);
	chan(&a, sv[0], 0);
	close(sv[1]);
	ATF_REQUIRE(imsg_compose(&a, 1, 0, 0, -1, "x", 1) == 1);
	errno = 0;
	r = imsgbuf_write(&a);
	ATF_CHECK_MSG(r == -1 && errno == EPIPE, "peer gone: expected -1 "
	    "EPIPE (and no SIGPIPE), got %d (%s)", r, strerror(errno));
	imsgbuf_clear(&a);
	close(sv[0]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, roundtrip_sizes_0_1_max);
	ATF_TP_ADD_TC(tp, compose_over_max_fails_erange);
	ATF_TP_ADD_TC(tp, roundtrip_create_add_close_composev_maxsize);
	ATF_TP_ADD_TC(tp, many_messages_in_one_read);
	ATF_TP_ADD_TC(tp, message_split_across_reads);
	ATF_TP_ADD_TC(tp, fd_pass_pipe_works);
	ATF_TP_ADD_TC(tp, fd_several_queued_in_order);
	ATF_TP_ADD_TC(tp, one_write_sends_many_fds);
	ATF_TP_ADD_TC(tp, fd_lost_keeps_later_fds_matched);
	ATF_TP_ADD_TC(tp, fd_dropped_without_allow_fdpass);
	ATF_TP_ADD_TC(tp, hdr_len_too_small_ebadmsg);
	ATF_TP_ADD_TC(tp, hdr_len_too_large_erange);
	ATF_TP_ADD_TC(tp, hdr_len_longer_than_data_waits);
	ATF_TP_ADD_TC(tp, full_socket_keeps_queue_in_order);
	ATF_TP_ADD_TC(tp, get_data_wrong_length_fails);
	ATF_TP_ADD_TC(tp, clear_closes_unread_fds);
	ATF_TP_ADD_TC(tp, clear_closes_unsent_fds);
	ATF_TP_ADD_TC(tp, free_closes_untaken_fd);
	ATF_TP_ADD_TC(tp, read_eof_returns_0);
	ATF_TP_ADD_TC(tp, read_nothing_nonblocking_returns_1);
	ATF_TP_ADD_TC(tp, write_to_closed_peer_epipe);
	return atf_no_error();
}
