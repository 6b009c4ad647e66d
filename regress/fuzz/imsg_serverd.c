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
 * serverd's imsg handlers, one per peer, fed any type and any length:
 * from the parent child_parent_imsg (reloads, then serverd_configure) and
 * serverd_parent_imsg (the statistics request), from xfrd
 * serverd_xfrd_imsg (NOTIFY answers, zone expiry), from zoned
 * serverd_zoned_imsg (images, a copy of /dev/null as the fd when the
 * input asks for one, and drops).  serverd/serverd.c is included whole so
 * that its statics (env, the channels) are set up here as serverd_main
 * does, without listening sockets (a NOTIFY answer names one serverd
 * must own, so those end in fatalx here).
 *
 * A handler refusing a malformed message with fatalx is a clean refusal
 * (harness.c); a memory error, UB or abort is a crash.  The input: imsgs
 * as fuzz_imsgs() splits them, peer 0 the parent, 1 xfrd, 2 zoned.  What
 * serverd sends back is read and thrown away.  Every input starts from
 * our configuration, no zone served.  Not reset between inputs: a reload
 * half received (shared/child.c keeps it in a static).
 */
#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

/* serverd, whole: its statics are set up below */
#include "serverd/serverd.c"

static const char conftext[] =
    "zone \"example.com\" {\n\tprimary 127.0.0.1 port 1\n}\n"
    "zone \"example.net\" {\n\tprimary 127.0.0.1 port 1\n}\n";

static struct imsgev	 peer[3];	/* parent, xfrd, zoned */
static struct imsgev	*mine[3];	/* serverd's end of each */
static struct secd_conf	*conf;		/* ours, until a reload frees it */

static void
from_xfrd(void *arg)
{
	serverd_xfrd_imsg(arg);
}

static void
from_zoned(void *arg)
{
	serverd_zoned_imsg(arg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 i;

	log_init(1, 0);
	fuzz_env = &env;
	event_init();
	if (denial_init() == -1)
		errx(1, "denial_init");
	env.proc = PROC_SERVERD;
	env.conf = conf = fuzz_conf(conftext);
	env.reconf = serverd_configure;
	env.parent_imsg = serverd_parent_imsg;
	mine[0] = &iev_parent;
	mine[1] = &iev_xfrd;
	mine[2] = &iev_zoned;
	for (i = 0; i < 3; i++)
		fuzz_channel(&peer[i], mine[i]);
	serverd_configure();
	return (0);
}

static void
deliver(int p, uint32_t type, uint32_t id, int withfd, const uint8_t *data,
    size_t len)
{
	static void	(*const fn[3])(void *) = { fuzz_from_parent, from_xfrd,
			    from_zoned };

	fuzz_deliver(peer, mine, fn, p, type, id, withfd, data, len);
}

/* Our configuration, nothing served. */
static void
reset(void)
{
	if (env.conf != conf) {		/* a reload replaced ours */
		config_free(env.conf);
		env.conf = conf = fuzz_conf(conftext);
	}
	zones_drop("example.com");
	zones_drop("example.net");
	serverd_configure();
	log_setverbose(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_imsgs(data, len, deliver);
	reset();
	return (0);
}
