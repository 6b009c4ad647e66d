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
 * Transfers arriving from xfrd: the records are written to NAME.zone.tmp
 * as they come (zoned never holds a whole transfer in memory), and only
 * at IMSG_XFR_END checked, committed and built.  An abort, or a transfer
 * that breaks a rule, leaves the stored zone as it was.
 *
 * The AXFRs that end together (those of one read from xfrd, at most
 * ZXFR_BATCH, none larger than zxfr_batch_bytes) are made together by
 * change_axfrs, with one sync of the file system for all their files
 * instead of four per zone: a first start of many zones is paced by the
 * transfers, not by the disk.  A larger AXFR is streamed into its build
 * as it arrives (stream.c), ZXFR_STREAMS at a time: the memory of a few
 * zones, not of every transfer running.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event.h>

#include "config.h"
#include "log.h"
#include "store.h"
#include "trim.h"
#include "zoned.h"

struct zxfr {
	TAILQ_ENTRY(zxfr)	 entry;
	uint32_t		 id;
	int			 fd;
	struct xfr_msg		 begin;
	uint64_t		 bytes;
	struct stream		*st;		/* or NULL */
	char			 tmp[PATH_MAX];
};

/* An AXFR whose NAME.zone.tmp is written, waiting for its batch. */
struct zaxfr {
	TAILQ_ENTRY(zaxfr)	 entry;
	struct xfr_msg		 m;
	char			 tmp[PATH_MAX];
};

#define ZXFR_BATCH		256
#define ZXFR_STREAMS		2

/*
 * The bytes of records past which an AXFR is streamed, not batched: a
 * variable only so that regress/fuzz/xfr_stream.c makes its transfers,
 * which are small, stream.
 */
size_t	zxfr_batch_bytes = 1 << 20;

static TAILQ_HEAD(, zxfr) zxfrs = TAILQ_HEAD_INITIALIZER(zxfrs);
static int		 nzxfr;
static int		 nstream;
static TAILQ_HEAD(, zaxfr) batch = TAILQ_HEAD_INITIALIZER(batch);
static size_t		 nbatch;
static struct event	 ev_batch;

static struct zxfr *zxfr_find(uint32_t);
static void	zxfr_begin(uint32_t, struct xfr_msg *);
static void	zxfr_data(struct zxfr *, const void *, size_t);
static void	zxfr_stream(struct zxfr *, const void *, size_t);
static void	zxfr_unstream(struct zxfr *);
static void	zxfr_end(struct zxfr *, struct xfr_msg *);
static void	zxfr_free(struct zxfr *);
static void	zxfr_result(struct xfr_msg *, int, const char *);
static void	zxfr_msg(struct imsg *, struct xfr_msg *);
static void	zxfr_queue(struct zxfr *, struct xfr_msg *);
static void	zxfr_flush(int, short, void *);

static struct zxfr *
zxfr_find(uint32_t id)
{
	struct zxfr	*x;

	TAILQ_FOREACH(x, &zxfrs, entry)
		if (x->id == id)
			return x;
	return NULL;
}

static void
zxfr_msg(struct imsg *imsg, struct xfr_msg *m)
{
	if (imsg_get_data(imsg, m, sizeof(*m)) == -1 ||
	    memchr(m->zone, '\0', sizeof(m->zone)) == NULL ||
	    memchr(m->primary, '\0', sizeof(m->primary)) == NULL ||
	    memchr(m->msg, '\0', sizeof(m->msg)) == NULL)
		fatalx("xfrd: bad transfer message %u", imsg->hdr.type);
}

/* Every IMSG_XFR_* from xfrd; anything out of order is an attack. */
void
zxfr_imsg(struct imsg *imsg)
{
	struct xfr_msg	 m;
	struct zxfr	*x;
	uint32_t	 id = imsg->hdr.peerid;

	switch (imsg->hdr.type) {
	case IMSG_XFR_BEGIN:
		zxfr_msg(imsg, &m);
		/*
		 * xfrd runs at most "transfer max-concurrent" transfers,
		 * never more than its largest value: a transfer past that
		 * is a broken xfrd, not load.
		 */
		if (zxfr_find(id) != NULL || nzxfr >= SECD_XFR_CONCURRENT_MAX)
			fatalx("xfrd: transfer %u begun twice or too many",
			    id);
		zxfr_begin(id, &m);
		break;
	case IMSG_XFR_DATA:
		if ((x = zxfr_find(id)) == NULL)
			fatalx("xfrd: data for unknown transfer %u", id);
		if (IMSG_DATA_SIZE(*imsg) > XFR_CHUNK)
			fatalx("xfrd: transfer chunk too large");
		zxfr_data(x, imsg->data, IMSG_DATA_SIZE(*imsg));
		break;
	case IMSG_XFR_END:
	case IMSG_XFR_ABORT:
		zxfr_msg(imsg, &m);
		if ((x = zxfr_find(id)) == NULL ||
		    strcmp(x->begin.zone, m.zone) != 0)
			fatalx("xfrd: end of unknown transfer %u", id);
		if (imsg->hdr.type == IMSG_XFR_END)
			zxfr_end(x, &m);
		zxfr_free(x);
		break;
	default:
		fatalx("xfrd: unexpected imsg %u", imsg->hdr.type);
	}
}

static void
zxfr_begin(uint32_t id, struct xfr_msg *m)
{
	struct store_header	 h;
	struct zxfr		*x;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		fatal(NULL);
	x->id = id;
	x->begin = *m;
	x->fd = -1;
	TAILQ_INSERT_TAIL(&zxfrs, x, entry);
	nzxfr++;
	if (!zoned_configured(m->zone)) {
		log_warnx("zone %s: transfer from %s for a zone not "
		    "configured; ignored", m->zone, m->primary);
		return;
	}
	if (store_path(m->zone, m->kind == XFR_IXFR ? ".ixfr.tmp" :
	    ".zone.tmp", x->tmp, sizeof(x->tmp)) == -1) {
		log_warnx("zone %s: name too long for a file", m->zone);
		return;
	}
	memset(&h, 0, sizeof(h));
	if ((x->fd = open(x->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || write(x->fd, &h, sizeof(h)) != sizeof(h)) {
		log_warn("zone %s: %s", m->zone, x->tmp);
		if (x->fd != -1)
			close(x->fd);
		x->fd = -1;
	}
}

static void
zxfr_data(struct zxfr *x, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 left = len;
	ssize_t		 n;

	if (x->fd == -1)
		return;
	x->bytes += len;
	while (left > 0) {
		if ((n = write(x->fd, p, left)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("zone %s: %s", x->begin.zone, x->tmp);
			close(x->fd);
			x->fd = -1;
			unlink(x->tmp);
			zxfr_unstream(x);
			return;
		}
		p += n;
		left -= n;
	}
	zxfr_stream(x, data, len);
}

/*
 * The AXFR x streamed into its build (stream.c) from the message that
 * takes it past zxfr_batch_bytes on, the messages before read back from
 * its file; a stream that ends leaves the transfer to its file.
 */
static void
zxfr_stream(struct zxfr *x, const void *data, size_t len)
{
	struct zzone	*z;
	uint8_t		*before;
	size_t		 blen = x->bytes - len;

	if (x->st != NULL) {
		if (stream_add(x->st, data, len) == -1)
			zxfr_unstream(x);
		return;
	}
	if (x->begin.kind != XFR_AXFR || x->bytes <= zxfr_batch_bytes ||
	    blen > zxfr_batch_bytes || nstream >= ZXFR_STREAMS)
		return;
	z = zone_find(x->begin.zone);
	if ((before = malloc(blen ? blen : 1)) == NULL ||
	    (x->st = stream_new(x->begin.zone, z != NULL ? z->records :
	    0)) == NULL) {
		free(before);
		return;
	}
	nstream++;
	if (pread(x->fd, before, blen, sizeof(struct store_header)) !=
	    (ssize_t)blen || stream_add(x->st, before, blen) == -1 ||
	    stream_add(x->st, data, len) == -1)
		zxfr_unstream(x);
	free(before);
}

static void
zxfr_unstream(struct zxfr *x)
{
	if (x->st == NULL)
		return;
	stream_free(x->st);
	x->st = NULL;
	nstream--;
}

/*
 * The transfer is complete: store it durably, then make it the served
 * data (change.c), which checks it: an IXFR against the kept zone or the
 * stored zone (NAME.zone and its journal), to whose journal change_apply
 * appends it; a large one is applied into a new NAME.zone first.
 */
static void
zxfr_end(struct zxfr *x, struct xfr_msg *m)
{
	struct store_header	 h;
	struct change		 c;
	char			 err[SECD_MSGLEN], ztmp[PATH_MAX];
	uint32_t		 gen;
	int			 rv;

	if (x->fd == -1) {
		zxfr_result(m, 0, "could not be written to disk");
		return;
	}
	store_header_init(&h, m->serial, m->kind);
	h.records = m->records;
	h.bytes = x->bytes;
	h.when = m->when;
	h.stored = time(NULL);
	strlcpy(h.primary, m->primary, sizeof(h.primary));
	if (pwrite(x->fd, &h, sizeof(h), 0) != sizeof(h)) {
		log_warn("zone %s: %s", m->zone, x->tmp);
		zxfr_result(m, 0, "could not be written to disk");
		return;
	}
	if (m->kind != XFR_IXFR && x->bytes <= zxfr_batch_bytes) {
		zxfr_queue(x, m);
		return;
	}
	if (fsync(x->fd) == -1) {
		log_warn("zone %s: %s", m->zone, x->tmp);
		zxfr_result(m, 0, "could not be written to disk");
		return;
	}
	close(x->fd);
	x->fd = -1;
	memset(&c, 0, sizeof(c));
	c.zone = m->zone;
	c.ztmp = x->tmp;
	if (x->st != NULL && (m->kind != XFR_AXFR ||
	    stream_end(x->st, &h) == -1))
		zxfr_unstream(x);
	c.stream = x->st;
	if (m->kind == XFR_IXFR && !ixfr_journaled(m->records,
	    zone_find(m->zone))) {
		log_info("zone %s: building it in full: the IXFR has %llu "
		    "records, %s", m->zone, (unsigned long long)m->records,
		    zone_kept(m->zone) != NULL ? "more than an eighth of the "
		    "zone's" : "and the zone is not kept in memory");
		if (store_path(m->zone, ".zone.tmp", ztmp, sizeof(ztmp)) ==
		    -1 || ixfr_apply(m->zone, x->tmp, ztmp, err,
		    sizeof(err)) == -1) {
			unlink(x->tmp);
			zxfr_result(m, 0, err);
			return;
		}
		unlink(x->tmp);
		c.ztmp = ztmp;
	} else if (m->kind == XFR_IXFR) {
		/* checked as it is applied (change.c) */
		c.ztmp = NULL;
		c.delta = x->tmp;
		c.serial = m->serial;
	}
	rv = change_apply(&c, &gen, err, sizeof(err));
	if (c.delta != NULL)
		unlink(c.delta);
	if (rv == -1) {
		if (c.ztmp != NULL)
			unlink(c.ztmp);
		zxfr_result(m, 0, err);
		return;
	}
	zxfr_result(m, 1, NULL);
}

/*
 * The AXFR x joins the batch, made at the next turn of the event loop,
 * when every message of this read from xfrd is handled, or now when the
 * batch is full.
 */
static void
zxfr_queue(struct zxfr *x, struct xfr_msg *m)
{
	struct timeval	 now = { 0, 0 };
	struct zaxfr	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal(NULL);
	a->m = *m;
	strlcpy(a->tmp, x->tmp, sizeof(a->tmp));
	close(x->fd);
	x->fd = -1;
	TAILQ_INSERT_TAIL(&batch, a, entry);
	if (++nbatch >= ZXFR_BATCH) {
		zxfr_flush(0, 0, NULL);
		return;
	}
	if (!evtimer_initialized(&ev_batch))
		evtimer_set(&ev_batch, zxfr_flush, NULL);
	if (!evtimer_pending(&ev_batch, NULL))
		evtimer_add(&ev_batch, &now);
}

/*
 * The AXFRs waiting for their batch made now, as at the next turn of the
 * event loop: for a caller that runs none (the fuzz harnesses).
 */
void
zxfr_batch_flush(void)
{
	zxfr_flush(0, 0, NULL);
}

/* Make the AXFRs of the batch (change_axfrs) and tell xfrd of each. */
static void
zxfr_flush(int fd, short event, void *arg)
{
	struct change	*c;
	struct zaxfr	*a;
	char		(*err)[SECD_MSGLEN];
	uint32_t	*gen;
	size_t		 i, n = 0;
	int		*rv;

	if (evtimer_initialized(&ev_batch))
		evtimer_del(&ev_batch);
	if (nbatch == 0)
		return;
	if ((c = calloc(nbatch, sizeof(*c))) == NULL ||
	    (rv = calloc(nbatch, sizeof(*rv))) == NULL ||
	    (gen = calloc(nbatch, sizeof(*gen))) == NULL ||
	    (err = calloc(nbatch, sizeof(*err))) == NULL)
		fatal(NULL);
	/* a reload may have removed a zone since its transfer ended */
	TAILQ_FOREACH(a, &batch, entry)
		if (zoned_configured(a->m.zone)) {
			c[n].zone = a->m.zone;
			c[n].ztmp = a->tmp;
			n++;
		}
	change_axfrs(c, n, rv, gen, err);
	i = 0;
	while ((a = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, a, entry);
		if (i < n && c[i].zone == a->m.zone) {
			if (rv[i] == -1)
				unlink(a->tmp);
			zxfr_result(&a->m, rv[i] == 0, rv[i] == 0 ? NULL :
			    err[i]);
			i++;
		} else {
			unlink(a->tmp);
			zxfr_result(&a->m, 0, "the zone is no longer "
			    "configured");
		}
		free(a);
	}
	nbatch = 0;
	free(c);
	free(rv);
	free(gen);
	free(err);
}

/* Tell xfrd how it went; the reason is logged here once. */
static void
zxfr_result(struct xfr_msg *m, int ok, const char *why)
{
	struct xfr_msg	 info;

	memset(&info, 0, sizeof(info));
	m->ok = ok;
	if (ok && zone_info(m->zone, &info) == -1) {
		m->ok = 0;
		why = "cannot read the stored zone back";
	}
	m->refresh = info.refresh;
	m->retry = info.retry;
	m->expire = info.expire;
	m->checked = info.checked;
	m->dnssec = info.dnssec;
	m->sig_expire = info.sig_expire;
	m->sig_missing = info.sig_missing;
	m->chain_breaks = info.chain_breaks;
	m->soalen = info.soalen;
	memcpy(m->soa, info.soa, sizeof(m->soa));
	if (why != NULL) {
		strlcpy(m->msg, why, sizeof(m->msg));
		log_warnx("zone %s: transfer from %s of serial %u refused: "
		    "%s; keeping the served data", m->zone, m->primary,
		    m->serial, why);
	}
	if (iev_compose(zoned_xfrd(), IMSG_XFR_RESULT, 0, 0, -1, m,
	    sizeof(*m)) == -1)
		fatal("%s", __func__);
	/* a catalog's new serial: its members (catalog.c) */
	if (m->ok && catalog_is(m->zone))
		catalog_update(m->zone);
	trim_later();
}

static void
zxfr_free(struct zxfr *x)
{
	zxfr_unstream(x);
	if (x->fd != -1) {
		close(x->fd);
		unlink(x->tmp);
	}
	TAILQ_REMOVE(&zxfrs, x, entry);
	nzxfr--;
	free(x);
}
