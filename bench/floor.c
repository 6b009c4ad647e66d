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
 * The floor of the benchmark: a bare UDP responder that does no lookup.
 * It reads a batch of queries, turns each into a response (QR and AA set,
 * one fixed A record appended) and sends the batch back, so that a
 * server's figures can be read against what the kernel alone costs.
 *
 *	floor PORT	listens on 127.0.0.1@PORT until killed
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BATCH	64
#define BUFLEN	1232

/* NAME pointer to the question, type A, class IN, TTL 300, 192.0.2.1 */
static const uint8_t	answer[] = {
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c,
	0x00, 0x04, 192, 0, 2, 1
};

int
main(int argc, char *argv[])
{
	static uint8_t		 buf[BATCH][BUFLEN];
	struct mmsghdr		 msgs[BATCH];
	struct sockaddr_in	 from[BATCH], sin;
	struct iovec		 iov[BATCH];
	char			*end;
	long			 port;
	int			 i, n, s;

	if (argc != 2)
		errx(1, "usage: floor port");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	port = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
		errx(1, "port %s: not a number from 1 to 65535", argv[1]);
	sin.sin_port = htons(port);
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind 127.0.0.1 port %s", argv[1]);
	for (;;) {
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = BUFLEN - sizeof(answer);
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		if ((n = recvmmsg(s, msgs, BATCH, MSG_WAITFORONE, NULL)) == -1)
			err(1, "recvmmsg");
		for (i = 0; i < n; i++) {
			/* a query too short for a header gets an empty reply */
			if (msgs[i].msg_len < 12) {
				iov[i].iov_len = 0;
				continue;
			}
			buf[i][2] |= 0x84;		/* QR, AA */
			buf[i][6] = 0;			/* ANCOUNT 1 */
			buf[i][7] = 1;
			memcpy(buf[i] + msgs[i].msg_len, answer,
			    sizeof(answer));
			iov[i].iov_len = msgs[i].msg_len + sizeof(answer);
		}
		if (sendmmsg(s, msgs, n, 0) == -1)
			warn("sendmmsg");
	}
}
