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
 * zoned's imsg handlers, one per peer, fed any type and any length: from
 * the parent child_parent_imsg (reloads, then zones_load) and
 * zoned_parent_imsg (show zone, proxy, audit, apex CNAME requests), from
 * xfrd zoned_xfrd_imsg (transfers: zxfr_imsg and the store writer, the
 * check times, the resolver's answers), from serverd zoned_serverd_imsg.
 * zoned/zoned.c is included whole so that its statics (env, the served
 * zones, the channels) are set up here as zoned_main does, unprivileged,
 * in a temporary database directory, with one serverd.
 *
 * A handler refusing a malformed message with fatalx is a clean refusal
 * (harness.c); a memory error, UB or abort is a crash.  The input: imsgs
 * as fuzz_imsgs() splits them, peer 0 the parent, 1 xfrd, 2 serverd.
 * What zoned sends back is read and thrown away (images' fds closed).
 * Every input starts with an empty directory and nothing served; the
 * transfers an input began are aborted at its end.  Not reset between
 * inputs: a reload half received (shared/child.c keeps it in a static).
 */
#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* zoned, whole: its statics are set up below */
#include "zoned/zoned.c"

static char		 dir[64];
static char		 conftext[512];
static struct imsgev	 peer[3];	/* parent, xfrd, serverd */
static struct imsgev	*mine[3];	/* zoned's end of each */
static struct secd_conf	*conf;		/* ours, until a reload frees it */

/* the transfers begun by this input, aborted at its end */
static struct xfr_msg	 begun[SECD_XFR_CONCURRENT_MAX];
static uint32_t		 begun_id[SECD_XFR_CONCURRENT_MAX];
static int		 nbegun;

static void
from_xfrd(void *arg)
{
	zoned_xfrd_imsg(arg);
	zxfr_batch_flush();	/* no event loop here: an AXFR now */
}

static void
from_serverd(void *arg)
{
	zoned_serverd_imsg(arg);
}

static void
cleanup(void)
{
	fuzz_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 i;

	log_init(1, 0);
	fuzz_env = &env;
	event_init();
	strlcpy(dir, "/tmp/secd-fuzz-zoned.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");
	atexit(cleanup);
	if ((size_t)snprintf(conftext, sizeof(conftext), "database \"%s\"\n"
	    "proxy {\n\taddress 192.0.2.80\n}\n"
	    "zone \"example.com\" {\n\tprimary 127.0.0.1 port 1\n}\n"
	    "zone \"example.net\" {\n\tprimary 127.0.0.1 port 1\n}\n",
	    dir) >= sizeof(conftext))
		errx(1, "%s: path too long", dir);
	if (chdir(dir) == -1)
		err(1, "%s", dir);
	if (denial_init() == -1)
		errx(1, "denial_init");
	env.proc = PROC_ZONED;
	env.conf = conf = fuzz_conf(conftext);
	env.reconf = zones_reload;
	env.parent_imsg = zoned_parent_imsg;
	env.nserverd = 1;
	if ((iev_serverd = calloc(1, sizeof(*iev_serverd))) == NULL)
		err(1, NULL);
	mine[0] = &iev_parent;
	mine[1] = &iev_xfrd;
	mine[2] = &iev_serverd[0];
	for (i = 0; i < 3; i++)
		fuzz_channel(&peer[i], mine[i]);
	zones_init();
	return (0);
}

/* Keep the transfers the input begun and did not end. */
static void
track(uint32_t type, uint32_t id, const uint8_t *data)
{
	int	 i;

	if (type == IMSG_XFR_BEGIN && nbegun < SECD_XFR_CONCURRENT_MAX) {
		memcpy(&begun[nbegun], data, sizeof(begun[0]));
		begun_id[nbegun++] = id;
	}
	if (type != IMSG_XFR_END && type != IMSG_XFR_ABORT)
		return;
	for (i = 0; i < nbegun; i++)
		if (begun_id[i] == id) {
			begun[i] = begun[nbegun - 1];
			begun_id[i] = begun_id[--nbegun];
			break;
		}
}

static void
deliver(int p, uint32_t type, uint32_t id, int withfd, const uint8_t *data,
    size_t len)
{
	static void	(*const fn[3])(void *) = { fuzz_from_parent, from_xfrd,
			    from_serverd };

	/* the transfers xfrd begins, kept to end them (track) */
	if (fuzz_deliver(peer, mine, fn, p, type, id, withfd, data,
	    len) == 0 && p % 3 == 1)
		track(type, id, data);
}

/* Nothing stored, nothing served, no transfer open, our configuration. */
static void
reset(void)
{
	while (nbegun > 0) {
		nbegun--;
		deliver(1, IMSG_XFR_ABORT, begun_id[nbegun], 0,
		    (uint8_t *)&begun[nbegun], sizeof(begun[0]));
	}
	zones_clear();
	if (fuzz_emptydir(".") == -1)
		err(1, "%s", dir);
	if (env.conf != conf) {		/* a reload replaced ours */
		config_free(env.conf);
		env.conf = conf = fuzz_conf(conftext);
	}
	log_setverbose(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_imsgs(data, len, deliver);
	reset();
	return (0);
}
