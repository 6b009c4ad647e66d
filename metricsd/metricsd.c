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
 * metricsd: started by the parent when secd.conf has "metrics listen on".
 * Its sockets, the HTTP listeners and a control channel, come from the
 * parent at start; it needs nothing else (metricsd.h).
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <event.h>
#include <stdlib.h>

#include "child.h"
#include "log.h"
#include "metricsd.h"
#include "sandbox.h"

static struct child_env	 env;
static struct imsgev	 iev_parent;

void
metricsd_main(int instance, int debug, int verbose)
{
	struct event_base	*base;

	child_setup(&env, PROC_METRICSD, instance, debug, verbose);
	if (env.ctl_fd == -1)
		fatalx("no control channel");
	if (env.nlisten == 0)
		fatalx("no socket to listen on");
	base = event_init();
	child_drop(&env, env.privsep ? SECD_EMPTYDIR : NULL);
	sandbox_pledge("stdio inet");

	child_events(&env, &iev_parent);
	scrape_init(env.ctl_fd);
	http_init(base, env.listen, env.nlisten);
	child_ready(&iev_parent, &env);
	log_debug("started, %d listeners", env.nlisten);
	event_dispatch();
	exit(0);
}
