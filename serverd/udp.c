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
 * UDP: one event per socket; on Linux a readable socket is drained in
 * batches with recvmmsg(2) and answered with one sendmmsg(2).  Replies
 * leave from the address the query came to (IP_PKTINFO/IPV6_PKTINFO), so a
 * socket bound to a wildcard address answers correctly on every address.
 * Everything is static: the query path allocates nothing.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "config.h"
#include "log.h"
#include "rrl.h"
#include "serverd.h"
#include "xfrout.h"

#define UDP_BATCH	32
#define UDP_QMAX	4096		/* a larger query is malformed */
#define UDP_RMAX	4096		/* answers are <= 1232 anyway */
#define UDP_CMSG	CMSG_SPACE(sizeof(struct in6_pktinfo))

struct udp_slot {
	struct sockaddr_storage	 from;
	struct iovec		 qiov;
	struct iovec		 riov;
	uint8_t			 q[UDP_QMAX];
	uint8_t			 r[UDP_RMAX];
	union {
		struct cmsghdr	 align;
		uint8_t		 buf[UDP_CMSG];
	}			 cmsg;
};

static void	udp_read(int, short, void *);
static size_t	udp_answer(int, struct udp_slot *, size_t, int,
		    struct msghdr *);
static void	udp_pktinfo_reply(struct msghdr *);
static size_t	udp_notify(int, struct udp_slot *, size_t, struct msghdr *);

static struct udp_slot	 slots[UDP_BATCH];
static int		*udp_fds;	/* ours: NOTIFY answers go there */
static int		 nudp;

void
udp_init(struct child_listen *l)
{
	struct event	*ev;
	int		 on = 1;

#ifdef IP_PKTINFO
	if (l->ss.ss_family == AF_INET)
		(void)setsockopt(l->fd, IPPROTO_IP, IP_PKTINFO, &on,
		    sizeof(on));
#endif
	if (l->ss.ss_family == AF_INET6)
		(void)setsockopt(l->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
		    sizeof(on));
	if ((ev = calloc(1, sizeof(*ev))) == NULL ||
	    (udp_fds = reallocarray(udp_fds, nudp + 1,
	    sizeof(*udp_fds))) == NULL)
		fatal(NULL);
	udp_fds[nudp++] = l->fd;
	event_set(ev, l->fd, EV_READ | EV_PERSIST, udp_read, NULL);
	event_add(ev, NULL);
}

/*
 * The query in slot s, len bytes, received on fd with m: the answer's
 * length, or 0 for none (dropped, or a NOTIFY handed to xfrd).
 */
static size_t
udp_answer(int fd, struct udp_slot *s, size_t len, int trunc,
    struct msghdr *m)
{
	struct answer_info	 ai;
	struct answer_env	 ae;
	struct xfrout		*xo;
	size_t			 n;

	if (trunc) {
		stats.dropped++;
		return 0;
	}
	memset(&ae, 0, sizeof(ae));
	ae.from = (struct sockaddr *)&s->from;
	ae.cookie = serverd_cookies();
	ae.now = time(NULL);
	n = answer_query(s->q, len, s->r, sizeof(s->r), 0, &ae, &ai);
	if (ai.tsig)
		n = signed_answer(s->q, len, s->r, sizeof(s->r), 0, &ae, &ai);
	if (n > 0) {
		switch (rrl_check(ae.from, &ai)) {
		case RRL_SLIP:
			n = rrl_slip(s->r, n, &ai);
			ai.tc = 1;
			break;
		case RRL_DROP:
			n = 0;
			break;
		}
	}
	serverd_count(&ai, 0, n);
	if (ai.notify)
		n = udp_notify(fd, s, len, m);
	else if (ai.xfr) {
		/* over UDP, never a transfer: a refusal or the SOA alone */
		n = xfrout_begin(s->q, len, &s->from, 0, serverd_keys(), s->r,
		    sizeof(s->r), &xo);
		xfrout_free(xo);
	}
	return n;
}

/*
 * A NOTIFY: serverd's own answer (its length, in the slot), or 0 when it
 * goes to xfrd, with what it takes to answer from the same place.
 */
static size_t
udp_notify(int fd, struct udp_slot *s, size_t len, struct msghdr *m)
{
	struct notify_msg	 nm;

	memset(&nm, 0, sizeof(nm));
	nm.sock = fd;
	memcpy(&nm.from, &s->from, sizeof(nm.from));
	udp_pktinfo_reply(m);
	if (m->msg_controllen <= sizeof(nm.cmsg)) {
		nm.cmsglen = m->msg_controllen;
		if (nm.cmsglen > 0)
			memcpy(nm.cmsg, m->msg_control, nm.cmsglen);
	}
	return gate_notify(&nm, s->q, len, s->r, sizeof(s->r));
}

/* xfrd's answer to a NOTIFY that came over UDP. */
void
udp_notify_answer(struct notify_msg *nm, const uint8_t *pkt, size_t len)
{
	struct msghdr	 m;
	struct iovec	 iov;
	int		 i;

	for (i = 0; i < nudp && udp_fds[i] != nm->sock; i++)
		;
	if (i == nudp)
		fatalx("xfrd: NOTIFY answer for a socket that is not ours");
	memset(&m, 0, sizeof(m));
	iov.iov_base = (void *)pkt;
	iov.iov_len = len;
	m.msg_name = &nm->from;
	m.msg_namelen = nm->from.ss_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (nm->cmsglen > 0) {
		m.msg_control = nm->cmsg;
		m.msg_controllen = nm->cmsglen;
	}
	if (sendmsg(nm->sock, &m, 0) == -1 && errno != EAGAIN)
		log_warn("udp: NOTIFY answer to %s", sa_str(&nm->from));
}

/* Turn the received IP_PKTINFO into the one that sets the source. */
static void
udp_pktinfo_reply(struct msghdr *m)
{
	struct cmsghdr		*c;
#ifdef IP_PKTINFO
	struct in_pktinfo	*pi;
#endif

	if (m->msg_controllen == 0)
		return;
	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
#ifdef IP_PKTINFO
		if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			pi = (struct in_pktinfo *)CMSG_DATA(c);
			pi->ipi_ifindex = 0;
			m->msg_controllen = CMSG_SPACE(sizeof(*pi));
			memmove(m->msg_control, c, m->msg_controllen);
			return;
		}
#endif
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			m->msg_controllen =
			    CMSG_SPACE(sizeof(struct in6_pktinfo));
			memmove(m->msg_control, c, m->msg_controllen);
			return;
		}
	}
	m->msg_control = NULL;
	m->msg_controllen = 0;
}

#ifdef __linux__
static void
udp_read(int fd, short event, void *arg)
{
	static struct mmsghdr	 in[UDP_BATCH], out[UDP_BATCH];
	struct udp_slot		*s;
	size_t			 len;
	int			 i, n, nout, sent;

	for (i = 0; i < UDP_BATCH; i++) {
		s = &slots[i];
		s->qiov.iov_base = s->q;
		s->qiov.iov_len = sizeof(s->q);
		memset(&in[i].msg_hdr, 0, sizeof(in[i].msg_hdr));
		in[i].msg_hdr.msg_name = &s->from;
		in[i].msg_hdr.msg_namelen = sizeof(s->from);
		in[i].msg_hdr.msg_iov = &s->qiov;
		in[i].msg_hdr.msg_iovlen = 1;
		in[i].msg_hdr.msg_control = s->cmsg.buf;
		in[i].msg_hdr.msg_controllen = sizeof(s->cmsg.buf);
	}
	if ((n = recvmmsg(fd, in, UDP_BATCH, MSG_DONTWAIT, NULL)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("udp: recvmmsg");
		return;
	}
	for (i = 0, nout = 0; i < n; i++) {
		s = &slots[i];
		len = udp_answer(fd, s, in[i].msg_len,
		    in[i].msg_hdr.msg_flags & MSG_TRUNC, &in[i].msg_hdr);
		if (len == 0)
			continue;
		s->riov.iov_base = s->r;
		s->riov.iov_len = len;
		out[nout].msg_hdr = in[i].msg_hdr;
		out[nout].msg_hdr.msg_iov = &s->riov;
		out[nout].msg_hdr.msg_flags = 0;
		udp_pktinfo_reply(&out[nout].msg_hdr);
		nout++;
	}
	for (i = 0; i < nout; i += sent) {
		if ((sent = sendmmsg(fd, out + i, nout - i, 0)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("udp: sendmmsg to %s",
				    sa_str(out[i].msg_hdr.msg_name));
			/* Skip the reply that failed; send the rest. */
			stats.dropped++;
			sent = 1;
		}
	}
}
#else
static void
udp_read(int fd, short event, void *arg)
{
	struct udp_slot	*s = &slots[0];
	struct msghdr	 m;
	ssize_t		 n;
	size_t		 len;

	memset(&m, 0, sizeof(m));
	s->qiov.iov_base = s->q;
	s->qiov.iov_len = sizeof(s->q);
	m.msg_name = &s->from;
	m.msg_namelen = sizeof(s->from);
	m.msg_iov = &s->qiov;
	m.msg_iovlen = 1;
	m.msg_control = s->cmsg.buf;
	m.msg_controllen = sizeof(s->cmsg.buf);
	if ((n = recvmsg(fd, &m, MSG_DONTWAIT)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("udp: recvmsg");
		return;
	}
	if ((len = udp_answer(fd, s, n, m.msg_flags & MSG_TRUNC, &m)) == 0)
		return;
	s->riov.iov_base = s->r;
	s->riov.iov_len = len;
	m.msg_iov = &s->riov;
	m.msg_flags = 0;
	udp_pktinfo_reply(&m);
	if (sendmsg(fd, &m, 0) == -1 && errno != EAGAIN)
		log_warn("udp: sendmsg to %s", sa_str(&s->from));
}
#endif
