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
 * xfrd's imsg handlers, one per peer, fed any type and any length: from
 * the parent child_parent_imsg (reloads, IMSG_CTL_VERBOSE) and
 * xfrd_parent_imsg (secctl requests), from zoned xfrd_zoned_imsg, from
 * serverd xfrd_serverd_imsg.  xfrd/xfrd.c is included whole so that its
 * statics (env, zones, the channels) are set up here as xfrd_main does;
 * each imsg goes through a socketpair and imsg_get, as in the daemon.
 *
 * A handler refusing a malformed message with fatalx is a clean refusal
 * (harness.c); a memory error, UB or abort is a crash.  The input: imsgs
 * as fuzz_imsgs() splits them, peer 0 the parent, 1 zoned, 2 serverd.
 * What xfrd sends back is read and thrown away.  Every input starts from
 * the same zones (example.com, example.net, nothing loaded); the
 * primaries, the resolver and example.com's notify target are 127.0.0.1
 * port 1, so a round that starts sends its SOA query nowhere, and an
 * IMSG_ZONE_SERVED its NOTIFY.  Not reset between inputs: a
 * reload half received (shared/child.c keeps it in a static).
 */
#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* xfrd, whole: its statics are set up below */
#include "xfrd/xfrd.c"

static const char conftext[] =
    "resolver 127.0.0.1 port 1\n"
    "tsig key \"fuzz-key\" {\n\talgorithm hmac-sha256\n"
    "\tsecret \"WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=\"\n}\n"
    "zone \"example.com\" {\n\tprimary 127.0.0.1 port 1\n"
    "\tallow notify from 127.0.0.1\n\tnotify 127.0.0.1 port 1\n}\n"
    "zone \"example.net\" {\n\tprimary 127.0.0.1 port 1 tsig \"fuzz-key\"\n"
    "\tallow notify from 127.0.0.1 tsig \"fuzz-key\"\n}\n";

static struct imsgev	 peer[3];	/* parent, zoned, serverd */
static struct imsgev	*mine[3];	/* xfrd's end of each */
static struct secd_conf	*conf;		/* ours, until a reload frees it */

static void
from_zoned(void *arg)
{
	xfrd_zoned_imsg(arg);
}

static void
from_serverd(void *arg)
{
	cur_serverd = &iev_serverd[0];
	xfrd_serverd_imsg(arg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 i;

	log_init(1, 0);
	fuzz_env = &env;
	event_init();
	if (tsig_init() == -1)
		errx(1, "tsig_init");
	env.proc = PROC_XFRD;
	env.conf = conf = fuzz_conf(conftext);
	env.reconf = xfrd_configure;
	env.parent_imsg = xfrd_parent_imsg;
	env.nserverd = 1;
	if ((iev_serverd = calloc(1, sizeof(*iev_serverd))) == NULL)
		err(1, NULL);
	mine[0] = &iev_parent;
	mine[1] = &iev_zoned;
	mine[2] = &iev_serverd[0];
	for (i = 0; i < 3; i++)
		fuzz_channel(&peer[i], mine[i]);
	xfrd_configure();
	return (0);
}

static void
deliver(int p, uint32_t type, uint32_t id, int withfd, const uint8_t *data,
    size_t len)
{
	static void	(*const fn[3])(void *) = { fuzz_from_parent, from_zoned,
			    from_serverd };

	fuzz_deliver(peer, mine, fn, p, type, id, withfd, data, len);
}

/* The zones as configured, nothing loaded, no round running. */
static void
reset(void)
{
	struct xzone	*z;

	while ((z = TAILQ_FIRST(&zones)) != NULL) {
		TAILQ_REMOVE(&zones, z, entry);
		nametab_del(&zonetab, z);
		xz_free(z);
	}
	if (env.conf != conf) {		/* a reload replaced ours */
		config_free(env.conf);
		env.conf = conf = fuzz_conf(conftext);
	}
	log_setverbose(0);
	xfrd_configure();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_imsgs(data, len, deliver);
	reset();
	return (0);
}
