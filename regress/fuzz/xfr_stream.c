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
 * The AXFR/IXFR answer stream (xfrd/xfr.c xfr_message) and the store
 * writer it feeds (zoned/xfr.c zxfr_imsg and what it calls: the
 * NAME.zone.tmp writer, ixfr_apply, change_apply's check and build).
 *
 * The input is up to XS_MAXXFR transfers of example.com, one after the
 * other: a flags octet (bit 0: ask by IXFR, when zoned has a serial),
 * then the answer's messages, each as a 2-octet length and the message
 * (its id is set to the request's), a length of 0 ending the transfer.
 * One transfer's state (xfr_new, as xfr_start makes it, without the
 * socket) is fed those messages; what xfrd sends to zoned goes through a
 * socketpair to zoned's real handler, run in a temporary database
 * directory, and zoned's IMSG_XFR_RESULT back to the zone's state, as
 * xz_result keeps it, so that the next transfer asks from that serial.
 *
 * xfrd's round (xfrd/zone.c) and channel (xfrd/xfrd.c) are replaced by
 * the functions below.  A transfer must end in success or a clean failure
 * on its own: a fatal() in either process is a crash here, since these
 * are messages xfrd itself wrote to zoned.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "proc.h"
#include "xfrd/xfrd.h"
#include "fuzz.h"

/* zoned, whole: its statics (env, iev_xfrd) are set up below */
#include "zoned/zoned.c"

#define XS_MAXXFR	4

static char		 dir[64];
static struct imsgev	 xfrd_side;	/* xfrd's end of the zoned channel */
static struct secd_conf	*xconf;
static struct xzone	 xz;
static int		 outcome;	/* of the transfer: XS_* */

enum { XS_RUNNING, XS_FAILED, XS_CURRENT, XS_SENT };

/* xfrd/xfrd.c and xfrd/zone.c, as far as xfr.c needs them */
struct ctl_stats	 xstats;

struct imsgev *
xfrd_zoned(void)
{
	return (&xfrd_side);
}

struct secd_conf *
xfrd_conf(void)
{
	return (xconf);
}

struct tsig_key *
xfrd_key(const char *name)
{
	return (config_key(xconf, name));
}

void
xz_xfr_failed(struct xzone *z, int fallback, const char *why)
{
	outcome = XS_FAILED;
}

void
xz_xfr_current(struct xzone *z, uint32_t serial)
{
	outcome = XS_CURRENT;
}

void
xz_xfr_sent(struct xzone *z)
{
	outcome = XS_SENT;
}

static void
cleanup(void)
{
	fuzz_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 text[512];

	log_init(1, 0);
	event_init();
	strlcpy(dir, "/tmp/secd-fuzz-xfr.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");
	atexit(cleanup);
	if ((size_t)snprintf(text, sizeof(text), "database \"%s\"\n"
	    "zone \"example.com\" {\n\tprimary 127.0.0.1 port 53\n}\n",
	    dir) >= sizeof(text))
		errx(1, "%s: path too long", dir);
	xconf = fuzz_conf(text);
	/* zoned as zoned_main sets it up, unprivileged, no serverd */
	env.conf = fuzz_conf(text);
	if (chdir(dir) == -1)
		err(1, "%s", dir);
	if (denial_init() == -1)
		errx(1, "denial_init");
	fuzz_channel(&xfrd_side, &iev_xfrd);
	zones_init();
	/* an AXFR of more than 300 octets of records streams (stream.c) */
	zxfr_batch_bytes = 300;
	return (0);
}

/* zoned's answer to xfrd: the zone's state as xz_result keeps it. */
static void
to_xfrd(struct imsg *imsg, void *arg)
{
	struct xfr_msg	 m;

	if (imsg->hdr.type == IMSG_APEX_RESOLVE)
		return;
	if (imsg->hdr.type != IMSG_XFR_RESULT ||
	    imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    m.soalen > sizeof(m.soa)) {
		fprintf(stderr, "zoned sent xfrd imsg %u\n", imsg->hdr.type);
		abort();
	}
	if (!m.ok)
		return;
	xz.have_serial = 1;
	xz.serial = m.serial;
	/* as xz_soa (zone.c, whose rounds this file replaces) */
	free(xz.soa);
	if ((xz.soa = malloc(sizeof(m.soa))) == NULL)
		err(1, NULL);
	memcpy(xz.soa, m.soa, sizeof(m.soa));
	xz.soalen = m.soalen;
}

static void
to_zoned(struct imsg *imsg, void *arg)
{
	zoned_xfrd_imsg(imsg);
	zxfr_batch_flush();	/* no event loop here: the AXFR now */
}

/* Everything queued between the two, both ways. */
static void
deliver(void)
{
	fuzz_drain(&xfrd_side.ibuf, &iev_xfrd.ibuf, to_zoned, NULL);
	fuzz_drain(&iev_xfrd.ibuf, &xfrd_side.ibuf, to_xfrd, NULL);
}

/* One transfer from data; returns the octets it used. */
static size_t
transfer(const uint8_t *data, size_t len)
{
	struct zone_conf	*zc = config_zone(xconf, "example.com");
	struct xfr		*x;
	uint8_t			 msg[65535];
	size_t			 off = 1, mlen;
	uint16_t		 qid;

	outcome = XS_RUNNING;
	x = xfr_new(&xz, TAILQ_FIRST(&zc->opts->primaries),
	    (data[0] & 1) && xz.have_serial ? XFR_IXFR : XFR_AXFR);
	if (x == NULL)
		errx(1, "xfr_new");
	qid = xfr_qid(x);
	while (off + 2 <= len) {
		mlen = data[off] << 8 | data[off + 1];
		off += 2;
		if (mlen == 0 || mlen > len - off)
			break;
		memcpy(msg, data + off, mlen);
		off += mlen;
		if (outcome != XS_RUNNING)
			continue;	/* after the end: the socket is closed */
		if (mlen >= 2) {
			msg[0] = qid >> 8;
			msg[1] = qid & 0xff;
		}
		xfr_message(x, msg, mlen);
		deliver();
	}
	if (outcome == XS_RUNNING)
		xfr_cancel(x);	/* the answer stopped short */
	deliver();
	return (off);
}

/* A clean start: nothing stored, nothing served, no serial. */
static void
reset(void)
{
	zones_clear();
	if (fuzz_emptydir(".") == -1)
		err(1, "%s", dir);
	/* xz_new without its timers: the transfer's zone alone */
	free(xz.name);
	free(xz.apex);
	free(xz.soa);
	free(xz.last.msg);
	memset(&xz, 0, sizeof(xz));
	if ((xz.name = strdup("example.com")) == NULL ||
	    (xz.apex = malloc(DNS_MAXNAME)) == NULL ||
	    dns_name_from_text(xz.name, xz.apex, &xz.apexlen) == -1)
		errx(1, "the zone example.com");
	xz.conf = config_zone(xconf, "example.com");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t	 off = 0;
	int	 n;

	reset();
	for (n = 0; n < XS_MAXXFR && off < len; n++)
		off += transfer(data + off, len - off);
	return (0);
}
