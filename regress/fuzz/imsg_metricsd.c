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
 * metricsd's imsg handlers, fed any type and any length: from the parent
 * child_parent_imsg (reloads; metricsd has no messages of its own there)
 * and, on its control channel, scrape_imsg (the replies of a scrape, made
 * into the Prometheus text by render.c).  metricsd/scrape.c is included
 * whole so that a scrape can be begun for each input and abandoned after
 * it.  No HTTP request waits: a scrape that ends answers none.
 *
 * A handler refusing a malformed message with fatalx is a clean refusal
 * (harness.c); a memory error, UB or abort is a crash.  The input: imsgs
 * as fuzz_imsgs() splits them, peer 0 the parent, 1 the control channel
 * (2 another channel to the same handler).  Each input starts a scrape:
 * status asked first.
 */
#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "config.h"
#include "fuzz.h"

/* the scrape, whole: its statics reset below */
#include "metricsd/scrape.c"

static const char conftext[] =
    "metrics listen on 127.0.0.1 port 9153\n"
    "zone \"example.com\" {\n\tprimary 127.0.0.1 port 1\n}\n";

static struct child_env	 env;
static struct imsgev	 iev_parent;
static struct imsgev	 iev_ctl2;	/* a second way to scrape_imsg */
static struct imsgev	 peer[3];	/* parent, control, control */
static struct imsgev	*mine[3];
static struct secd_conf	*conf;

static void
from_ctl(void *arg)
{
	scrape_imsg(arg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init(1, 0);
	fuzz_env = &env;
	event_init();
	env.proc = PROC_METRICSD;
	env.conf = conf = fuzz_conf(conftext);
	mine[0] = &iev_parent;
	mine[1] = &iev_ctl;
	mine[2] = &iev_ctl2;
	fuzz_channel(&peer[0], mine[0]);
	fuzz_channel(&peer[1], mine[1]);
	fuzz_channel(&peer[2], mine[2]);
	return (0);
}

static void
deliver(int p, uint32_t type, uint32_t id, int withfd, const uint8_t *data,
    size_t len)
{
	static void	(*const fn[3])(void *) = { fuzz_from_parent, from_ctl,
			    from_ctl };

	fuzz_deliver(peer, mine, fn, p, type, id, withfd, data, len);
}

/* No scrape in progress, our configuration. */
static void
reset(void)
{
	if (env.conf != conf) {		/* a reload replaced ours */
		config_free(env.conf);
		env.conf = conf = fuzz_conf(conftext);
	}
	render_free(cur);
	cur = NULL;
	step = NVERBS;
	log_setverbose(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (scrape_start() != 1)
		errx(1, "scrape_start");
	fuzz_drain(&iev_ctl.ibuf, &peer[1].ibuf, NULL, NULL);
	fuzz_imsgs(data, len, deliver);
	reset();
	return (0);
}
