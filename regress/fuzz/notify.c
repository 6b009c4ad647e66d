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
 * NOTIFY in xfrd (xfrd/notify.c notify_imsg, notify_decide, notify_acl,
 * notify_answer), reached as serverd hands a NOTIFY over: an
 * IMSG_NOTIFY through a socketpair to xfrd's real serverd handler, with
 * xfrd's real zone table (xfrd/xfrd.c, included whole so that its statics
 * are set up here as xfrd_main does).
 *
 * The zones: example.com takes unsigned NOTIFY from 127.0.0.1 and signed
 * with fuzz-key from 192.0.2.1 (zoned has told it serial 1); example.net
 * only signed from 127.0.0.1, and has no data.  Neither has been loaded
 * by zoned, so an accepted NOTIFY ends at xz_check without starting a
 * round (no network).  The key and the clock are those of tsig.c and
 * gencorpus.py (fuzz-key., hmac-sha256, 32 octets of 0x5a, time fixed at
 * 1700000000), so the signed seeds verify.
 *
 * The input: an octet choosing the source (bits 0-1: 127.0.0.1,
 * 192.0.2.1, ::1, 192.0.2.99; bit 2: TCP), then the NOTIFY.  xfrd's
 * answer to serverd must be well formed, as serverd_xfrd_imsg checks it.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"

/* xfrd, whole: its statics (env, zones, iev_serverd) are set up below */
#include "xfrd/xfrd.c"

#define FUZZ_NOW	1700000000

static struct imsgev	 serverd_side;

/* The clock of the signed seeds, for every caller in this program. */
time_t
time(time_t *t)
{
	if (t != NULL)
		*t = FUZZ_NOW;
	return (FUZZ_NOW);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct xzone	*z;

	log_init(1, 0);
	event_init();
	if (tsig_init() == -1)
		errx(1, "tsig_init");
	env.conf = fuzz_conf(
	    "tsig key \"fuzz-key\" {\n\talgorithm hmac-sha256\n"
	    "\tsecret \"" "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=" "\"\n"
	    "}\n"
	    "zone \"example.com\" {\n\tprimary 127.0.0.1 port 53\n"
	    "\tallow notify from 127.0.0.1\n"
	    "\tallow notify from 192.0.2.1 tsig \"fuzz-key\"\n}\n"
	    "zone \"example.net\" {\n\tprimary 127.0.0.1 port 53\n"
	    "\tallow notify from 127.0.0.1 tsig \"fuzz-key\"\n}\n");
	env.nserverd = 1;
	if ((iev_serverd = calloc(1, sizeof(*iev_serverd))) == NULL)
		err(1, NULL);
	fuzz_channel(&serverd_side, &iev_serverd[0]);
	xfrd_configure();
	if ((z = xfrd_zone("example.com")) == NULL)
		errx(1, "example.com not configured");
	z->have_serial = 1;
	z->serial = 1;
	return (0);
}

/* xfrd's answer, as serverd_xfrd_imsg takes it apart. */
static void
answered(struct imsg *imsg, void *arg)
{
	struct notify_msg	 nm;
	size_t			 len = IMSG_DATA_SIZE(*imsg);

	if (imsg->hdr.type != IMSG_NOTIFY_ANSWER || len < sizeof(nm)) {
		fprintf(stderr, "xfrd answered imsg %u of %zu octets\n",
		    imsg->hdr.type, len);
		abort();
	}
	memcpy(&nm, imsg->data, sizeof(nm));
	if (nm.len != len - sizeof(nm) || nm.len > NOTIFY_MAXLEN ||
	    nm.cmsglen > sizeof(nm.cmsg)) {
		fprintf(stderr, "xfrd answered a bad IMSG_NOTIFY_ANSWER\n");
		abort();
	}
	(*(int *)arg)++;
}

static void
source(struct sockaddr_storage *ss, int which)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	static const char	*v4[] = { "127.0.0.1", "192.0.2.1", NULL,
				    "192.0.2.99" };

	memset(ss, 0, sizeof(*ss));
	if (v4[which] == NULL) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(5300);
		sin6->sin6_addr = in6addr_loopback;
		return;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(5300);
	if (inet_pton(AF_INET, v4[which], &sin->sin_addr) != 1)
		errx(1, "inet_pton %s", v4[which]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct notify_msg	 nm;
	struct imsg		 imsg;
	uint8_t			 buf[sizeof(nm) + NOTIFY_MAXLEN];
	int			 answers = 0;

	if (len < 1 || len - 1 > NOTIFY_MAXLEN)
		return (0);
	memset(&nm, 0, sizeof(nm));
	source(&nm.from, data[0] & 3);
	nm.tcp = (data[0] & 4) != 0;
	nm.len = len - 1;
	memcpy(buf, &nm, sizeof(nm));
	memcpy(buf + sizeof(nm), data + 1, len - 1);
	if (fuzz_imsg(&serverd_side.ibuf, &iev_serverd[0].ibuf, IMSG_NOTIFY,
	    0, 0, buf, sizeof(nm) + len - 1, &imsg) == -1)
		errx(1, "IMSG_NOTIFY does not fit an imsg");
	cur_serverd = &iev_serverd[0];
	xfrd_serverd_imsg(&imsg);
	imsg_free(&imsg);
	fuzz_drain(&iev_serverd[0].ibuf, &serverd_side.ibuf, answered,
	    &answers);
	if (answers != 1) {
		fprintf(stderr, "%d answers to one NOTIFY\n", answers);
		abort();
	}
	return (0);
}
