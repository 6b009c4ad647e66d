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
 * secctl: text and JSON printers.
 *
 * Text is for people: aligned tables, relative times, control characters
 * from secd shown as '?'.  JSON is for scripts: one object on one line,
 * fields as documented in secctl.8, strings escaped (RFC 8259) and any
 * byte that is not valid UTF-8 replaced by U+FFFD, so the output always
 * parses.
 */
#include <sys/types.h>

#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "output.h"

#define CONTENT_WIDTH	48	/* widest CONTENT column in show zone */

static void	 text_status(const struct replies *);
static void	 text_sandbox(const struct replies *);
static void	 text_zones(struct zstream *);
static void	 zone_cells(const struct ctl_zone *, time_t, char *, char *);
static void	 zone_row(const struct zstream *, const struct ctl_zone *,
		    time_t);
static void	 zone_notes(struct zstream *, const struct ctl_zone *, time_t);
static void	 text_notify_out(FILE *, const struct ctl_zone *, time_t);
static void	 zones_head(struct zstream *, time_t);
static void	 text_zone(const char *, const struct replies *);
static void	 text_sigs(FILE *, const char *, const struct ctl_sigs *,
		    time_t);
static void	 json_sigs(const struct ctl_sigs *);
static void	 json_notify_out(const struct ctl_notify_out *);
static void	 text_stats(const struct replies *);
static void	 json_status(const struct replies *);
static void	 json_sandbox(const struct replies *);
static void	 json_zones(struct zstream *);
static void	 sizes_header(void);
static void	 json_zone_row(const struct ctl_zone *);
static void	 json_zone(const char *, const struct replies *);
static void	 json_stats(const struct replies *);
static void	 json_ok(const char *);
static void	 json_str(const char *);
static void	 json_kstr(const char *, const char *, int);
static void	 json_knum(const char *, long long, int);
static void	 json_ku64(const char *, uint64_t, int);
static size_t	 utf8_len(const unsigned char *);
static void	 put(const char *, int);
static void	 fput(FILE *, const char *, int);
static const char *procname(const char *, int, char *, size_t);
static const char *span(long long, char *, size_t);
static const char *xfr_kind(int);
static size_t	 maxlen(size_t, const char *);

void
output(const struct parse_result *res, struct replies *r,
    const char *msg, int json)
{
	switch (res->req.verb) {
	case CTL_STATUS:
		if (json)
			json_status(r);
		else
			text_status(r);
		break;
	case CTL_SHOW_SANDBOX:
		if (json)
			json_sandbox(r);
		else
			text_sandbox(r);
		break;
	case CTL_SHOW_ZONES:
		if (json)
			json_zones(&r->zs);
		else
			text_zones(&r->zs);
		break;
	case CTL_PROXY:
	case CTL_AUDIT:
		/* proxy -n: the rows that would change; audit: findings */
		if (r->nrrs == 0)
			goto plain;
		/* FALLTHROUGH */
	case CTL_SHOW_ZONE:
		if (json)
			json_zone(res->req.zone, r);
		else
			text_zone(res->req.zone, r);
		break;
	case CTL_SHOW_STATS:
		if (json)
			json_stats(r);
		else
			text_stats(r);
		break;
	case CTL_SHOW_SIZES:
		if (json)
			printf("%s]}\n", r->nsizes == 0 ? "{\"sizes\":[" : "");
		else if (r->nsizes == 0)
			sizes_header();
		break;
	default:
 plain:
		if (json)
			json_ok(msg);
		else if (*msg != '\0') {
			put(msg, 0);
			putchar('\n');
		}
		return;
	}
	if (!json && *msg != '\0') {
		put(msg, 0);
		putchar('\n');
	}
}

/* ---- text ---- */

static void
text_status(const struct replies *r)
{
	const struct ctl_status	*st = &r->status;
	const struct ctl_proc	*p;
	struct tm		*tm;
	time_t			 started = st->started;
	size_t			 i, wn = 4, wu = 4, wc = 6;
	long long		 up;
	char			 name[32], since[32], buf[32];

	up = (long long)st->now - (long long)st->started;
	if (up < 0)
		up = 0;
	since[0] = '\0';
	if ((tm = localtime(&started)) != NULL)
		strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", tm);
	printf("version:  ");
	put(st->version, 0);
	printf("\nuptime:   %lldh %lldm %llds (since %s)\n", up / 3600,
	    up / 60 % 60, up % 60, since);
	printf("config:   ");
	put(st->config, 0);
	printf("\nzones:    %d\n", st->zones);
	printf("servers:  %d\n", st->servers);
	printf("privsep:  %s\n\n", st->privsep ? "yes" : "no");

	for (i = 0; i < r->nprocs; i++) {
		p = &r->procs[i];
		wn = maxlen(wn, procname(p->name, p->instance, name,
		    sizeof(name)));
		wu = maxlen(wu, p->user);
		wc = maxlen(wc, p->chroot);
	}
	printf("%-*s %7s %-*s %-*s %s\n", (int)wn, "NAME", "PID", (int)wu,
	    "USER", (int)wc, "CHROOT", "SANDBOX");
	for (i = 0; i < r->nprocs; i++) {
		p = &r->procs[i];
		printf("%-*s %7lld ", (int)wn, procname(p->name, p->instance,
		    name, sizeof(name)), (long long)p->pid);
		if (p->user[0] == '\0') {
			snprintf(buf, sizeof(buf), "%lld", (long long)p->uid);
			put(buf, (int)wu);
		} else
			put(p->user, (int)wu);
		putchar(' ');
		put(p->chroot[0] != '\0' ? p->chroot : "-", (int)wc);
		printf(" %s\n", p->sandboxed ? "yes" : "no");
	}
}

static void
text_sandbox(const struct replies *r)
{
	const struct ctl_sandbox	*sb;
	size_t				 i;
	int				 j;
	char				 name[32];

	for (i = 0; i < r->nsandboxes; i++) {
		sb = &r->sandboxes[i];
		if (i > 0)
			putchar('\n');
		put(procname(sb->name, sb->instance, name, sizeof(name)), 0);
		printf(" (pid %lld): ", (long long)sb->pid);
		if (sb->backend[0] == '\0') {
			printf("not sandboxed\n");
			continue;
		}
		put(sb->backend, 0);
		printf("\n\tpromises: ");
		put(sb->promises[0] != '\0' ? sb->promises : "(none)", 0);
		putchar('\n');
		if (sb->nunveil == 0)
			printf("\tno filesystem access\n");
		for (j = 0; j < sb->nunveil; j++) {
			printf("\tunveil:   ");
			put(sb->unveil[j].path, 0);
			putchar(' ');
			put(sb->unveil[j].perms, 0);
			putchar('\n');
		}
	}
}

/* 1234, 12.1K, 3.4M, 1.2G */
static const char *
bytes_str(uint64_t n, char *buf, size_t len)
{
	const char	*unit = "KMG";

	if (n < 10000) {
		snprintf(buf, len, "%llu", (unsigned long long)n);
		return buf;
	}
	n /= 100;			/* tenths of a K */
	while (n >= 10000 && unit[1] != '\0') {
		n /= 1024;
		unit++;
	}
	snprintf(buf, len, "%llu.%llu%c", (unsigned long long)n / 10,
	    (unsigned long long)n % 10, *unit);
	return buf;
}

#define ZROW_LAST	96
#define ZROW_NEXT	48

/*
 * A signed zone: when its first RRSIG expires, and a warning when that
 * comes within its SOA EXPIRE or REFRESH or is past (secd(8), DNSSEC).
 */
static void
text_sigs(FILE *f, const char *zone, const struct ctl_sigs *z, time_t now)
{
	char		 b[32], when[32];
	int32_t		 left = (int32_t)(z->sig_expire - (uint32_t)now);
	time_t		 t = now + left;	/* RFC 4034 3.1.5 */
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		strlcpy(when, "?", sizeof(when));
	fput(f, zone, 0);
	if (left > 0)
		fprintf(f, ": DNSSEC signed, first RRSIG expires %s (in %s)",
		    when, span(left, b, sizeof(b)));
	else
		fprintf(f, ": DNSSEC signed, first RRSIG expired %s (%s ago)",
		    when, span(-(int64_t)left, b, sizeof(b)));
	if (strcmp(z->sig_state, "expired") == 0)
		fprintf(f, ": WARNING: signatures expired, validators reject "
		    "the zone");
	else if (strcmp(z->sig_state, "expiring") == 0)
		fprintf(f, ": WARNING: within the zone's SOA EXPIRE or "
		    "REFRESH");
	if (z->sig_missing > 0 || z->chain_breaks > 0)
		fprintf(f, ": WARNING: served as transferred with %u RRsets "
		    "unsigned, %u breaks in its NSEC/NSEC3 chain",
		    z->sig_missing, z->chain_breaks);
	fputc('\n', f);
}

/* The LAST TRANSFER and NEXT CHECK cells of a zone's row. */
static void
zone_cells(const struct ctl_zone *z, time_t now, char *last, char *next)
{
	char	 b[32], c[32];

	if (z->last.when == 0)
		strlcpy(last, "-", ZROW_LAST);
	else if (!z->last.ok)
		snprintf(last, ZROW_LAST, "%s failed %s ago",
		    xfr_kind(z->last.kind), span(now - z->last.when, b,
		    sizeof(b)));
	else if (z->last.kind == XFR_STORED)
		snprintf(last, ZROW_LAST, "stored %s ago",
		    span(now - z->last.when, b, sizeof(b)));
	else
		snprintf(last, ZROW_LAST, "%s %s ago, %s, %u ms",
		    xfr_kind(z->last.kind), span(now - z->last.when, b,
		    sizeof(b)), bytes_str(z->last.bytes, c, sizeof(c)),
		    z->last.msecs);
	if (z->next_check == 0)
		strlcpy(next, "-", ZROW_NEXT);
	else if (z->next_check <= now)
		strlcpy(next, "now", ZROW_NEXT);
	else
		snprintf(next, ZROW_NEXT, "in %s", span(z->next_check - now,
		    b, sizeof(b)));
}

/* One row of the table, in the widths of zw. */
static void
zone_row(const struct zstream *zs, const struct ctl_zone *z, time_t now)
{
	char	 serial[16], served[16], last[ZROW_LAST], next[ZROW_NEXT];

	zone_cells(z, now, last, next);
	if (z->have_serial) {
		snprintf(serial, sizeof(serial), "%u", z->serial);
		snprintf(served, sizeof(served), "%u", z->served);
	} else {
		strlcpy(serial, "-", sizeof(serial));
		strlcpy(served, "-", sizeof(served));
	}
	put(z->zone, (int)zs->wz);
	printf(" %-10s %-10s ", serial, served);
	put(z->state, (int)zs->wst);
	printf(" %-*s %-*s ", (int)zs->wl, last, (int)zs->wn, next);
	put(z->primary[0] != '\0' ? z->primary : "-",
	    zs->anycat ? (int)zs->wp : 0);
	if (zs->anycat || z->catalog[0] != '\0') {
		putchar(' ');
		put(z->catalog[0] != '\0' ? z->catalog : "-", 0);
	}
	putchar('\n');
}

/* What follows the table about a zone, into zs->notes. */
static void
zone_notes(struct zstream *zs, const struct ctl_zone *z, time_t now)
{
	FILE	*f = zs->notes;
	char	 b[32];

	if (f == NULL &&
	    (f = zs->notes = open_memstream(&zs->notesbuf,
	    &zs->noteslen)) == NULL)
		err(1, "open_memstream");
	if (z->have_serial && z->expires != 0 &&
	    strcmp(z->state, "ok") != 0) {
		fput(f, z->zone, 0);
		if (z->expires > now)
			fprintf(f, ": expires in %s\n", span(z->expires - now,
			    b, sizeof(b)));
		else
			fprintf(f, ": expired %s ago\n", span(now - z->expires,
			    b, sizeof(b)));
	}
	if (z->dnssec)
		text_sigs(f, z->zone, &z->sigs, now);
	text_notify_out(f, z, now);
	if (z->error_when == 0)
		return;
	fput(f, z->zone, 0);
	fprintf(f, ": last error %s ago: ", span(now - z->error_when, b,
	    sizeof(b)));
	fput(f, z->error, 0);
	fputc('\n', f);
}

/*
 * A zone's NOTIFY out, when a target has not acknowledged the last
 * serial or a try failed: the counts, and the last failure.
 */
static void
text_notify_out(FILE *f, const struct ctl_zone *z, time_t now)
{
	const struct ctl_notify_out	*no = &z->notify_out;
	char				 b[32];

	if (no->pending == 0 && no->failed == 0)
		return;
	fput(f, z->zone, 0);
	fprintf(f, ": NOTIFY out: %u of %u targets pending; %" PRIu64
	    " sent, %" PRIu64 " acknowledged, %" PRIu64 " failed",
	    no->pending, no->targets, no->sent, no->acked, no->failed);
	if (no->error_when != 0) {
		fprintf(f, "; last failure %s ago: ", span(now -
		    no->error_when, b, sizeof(b)));
		fput(f, no->error, 0);
	}
	fputc('\n', f);
}

/*
 * The header of the table, its widths from the rows kept so far (the
 * first ZONES_HEAD), and those rows; the rows after it go out as they
 * come, in the same widths (a longer cell only pushes its line on).
 */
static void
zones_head(struct zstream *zs, time_t now)
{
	const struct ctl_zone	*z;
	char			 last[ZROW_LAST], next[ZROW_NEXT];
	size_t			 i;

	zs->wz = 4;
	zs->wst = 5;
	zs->wl = 13;
	zs->wn = 10;
	zs->wp = 7;
	for (i = 0; i < zs->nhead; i++) {
		z = &zs->head[i];
		zone_cells(z, now, last, next);
		zs->wz = maxlen(zs->wz, z->zone);
		zs->wst = maxlen(zs->wst, z->state);
		zs->wl = maxlen(zs->wl, last);
		zs->wn = maxlen(zs->wn, next);
		zs->wp = maxlen(zs->wp, z->primary);
		if (z->catalog[0] != '\0')
			zs->anycat = 1;
	}
	printf("%-*s %-10s %-10s %-*s %-*s %-*s ", (int)zs->wz, "ZONE",
	    "SERIAL", "SERVED", (int)zs->wst, "STATE", (int)zs->wl,
	    "LAST TRANSFER", (int)zs->wn, "NEXT CHECK");
	if (zs->anycat)
		printf("%-*s CATALOG\n", (int)zs->wp, "PRIMARY");
	else
		printf("PRIMARY\n");
	for (i = 0; i < zs->nhead; i++) {
		zone_row(zs, &zs->head[i], now);
		zone_notes(zs, &zs->head[i], now);
	}
	free(zs->head);
	zs->head = NULL;
	zs->nhead = 0;
	zs->headed = 1;
}

/*
 * One zone of show zones as it comes: in JSON printed at once; in text
 * kept until ZONES_HEAD have come (the table's widths), then printed at
 * once too.  So 100,000 zones are not all held by secctl.
 */
void
zones_add(struct zstream *zs, const struct ctl_zone *z, int json)
{
	time_t	 now = time(NULL);

	if (json) {
		printf("%s", zs->nshown++ == 0 ? "{\"zones\":[" : ",");
		json_zone_row(z);
		return;
	}
	if (zs->headed) {
		zone_row(zs, z, now);
		zone_notes(zs, z, now);
		return;
	}
	if ((zs->head = reallocarray(zs->head, zs->nhead + 1,
	    sizeof(*zs->head))) == NULL)
		err(1, NULL);
	zs->head[zs->nhead++] = *z;
	if (zs->nhead == ZONES_HEAD)
		zones_head(zs, now);
}

/* The end of show zones: the rows left, then the notes. */
static void
text_zones(struct zstream *zs)
{
	if (!zs->headed)
		zones_head(zs, time(NULL));
	if (zs->notes != NULL) {
		if (fclose(zs->notes) == EOF)
			err(1, "open_memstream");
		zs->notes = NULL;
		fwrite(zs->notesbuf, 1, zs->noteslen, stdout);
		free(zs->notesbuf);
		zs->notesbuf = NULL;
	}
}

static void
text_zone(const char *zone, const struct replies *r)
{
	const struct rr_row	*rr;
	size_t			 i, wt = 4, wn = 4, wc = 7, wp = 5;

	for (i = 0; i < r->nrrs; i++) {
		rr = &r->rrs[i];
		wt = maxlen(wt, rr->type);
		wn = maxlen(wn, rr->name);
		wc = maxlen(wc, rr->content);
		wp = maxlen(wp, rr->proxy);
	}
	if (wc > CONTENT_WIDTH)
		wc = CONTENT_WIDTH;
	printf("%-*s %-*s %-*s %-*s %s\n", (int)wt, "TYPE", (int)wn, "NAME",
	    (int)wc, "CONTENT", (int)wp, "PROXY", "TTL");
	for (i = 0; i < r->nrrs; i++) {
		rr = &r->rrs[i];
		put(rr->type, (int)wt);
		putchar(' ');
		put(rr->name, (int)wn);
		putchar(' ');
		put(rr->content, (int)wc);
		putchar(' ');
		put(rr->proxy, (int)wp);
		printf(" %u\n", rr->ttl);
	}
	if (r->have_sigs)
		text_sigs(stdout, zone, &r->sigs, time(NULL));
}

static void
text_stats(const struct replies *r)
{
	const struct ctl_stats	*s = &r->stats;
	char			 tb[DNS_MAXTYPESTR];
	int			 i, n = 0;

	printf("queries:    udp %" PRIu64 ", tcp %" PRIu64 "\n",
	    s->queries_udp, s->queries_tcp);
	printf("answers:   ");
	for (i = 0; i < CTL_RCODES; i++) {
		if (s->rcode[i] == 0)
			continue;
		printf("%s %s %" PRIu64, n++ ? "," : "",
		    dns_rcode_name(i, NULL, 0), s->rcode[i]);
	}
	printf("%s\n", n ? "" : " none");
	printf("by type:   ");
	for (i = n = 0; i < CTL_QTYPES; i++) {
		if (s->qtype[i] == 0)
			continue;
		printf("%s %s %" PRIu64, n++ ? "," : "", i == CTL_QTYPES - 1 ?
		    "other" : dns_type_name(i, tb, sizeof(tb)), s->qtype[i]);
	}
	printf("%s\n", n ? "" : " none");
	printf("dropped:    %" PRIu64 "\n", s->dropped);
	printf("truncated:  %" PRIu64 "\n", s->truncated);
	printf("tcp:        %" PRIu64 " connections, %" PRIu64 " refused\n",
	    s->tcp_conns, s->tcp_refused);
	printf("tcp closed: %" PRIu64 " idle, %" PRIu64 " slow message, %"
	    PRIu64 " over the per-source cap, %" PRIu64 " at the cap\n",
	    s->tcp_closed_idle, s->tcp_closed_io, s->tcp_closed_source,
	    s->tcp_closed_full);
	printf("transfers:  %" PRIu64 " ok (%" PRIu64 " IXFR), %" PRIu64
	    " failed (%" PRIu64 " IXFR); %" PRIu64 " records, %" PRIu64
	    " bytes in %" PRIu64 ".%03u s\n", s->xfr_ok, s->ixfr_ok,
	    s->xfr_failed, s->ixfr_failed, s->xfr_records, s->xfr_bytes,
	    s->xfr_msecs / 1000, (unsigned)(s->xfr_msecs % 1000));
	printf("soa checks: %" PRIu64 "\n", s->soa_checks);
	printf("notifies:   %" PRIu64 ", %" PRIu64 " refused, %" PRIu64
	    " dropped\n", s->notifies, s->notifies_refused,
	    s->notifies_dropped);
	printf("notify out: %" PRIu64 " sent, %" PRIu64 " acknowledged, %"
	    PRIu64 " failed, %" PRIu64 " targets pending\n",
	    s->notify_out_sent, s->notify_out_acked, s->notify_out_failed,
	    s->notify_out_pending);
	printf("rate limit: %" PRIu64 " limited, %" PRIu64 " slipped, %"
	    PRIu64 " dropped\n", s->rrl_limited, s->rrl_slipped,
	    s->rrl_dropped);
	printf("cookies:    %" PRIu64 " valid, %" PRIu64 " BADCOOKIE\n",
	    s->cookie_valid, s->cookie_badcookie);
	printf("xfr out:    %" PRIu64 " transfers, %" PRIu64 " up to date, %"
	    PRIu64 " refused, %" PRIu64 " failed\n", s->xfrout_done,
	    s->xfrout_uptodate, s->xfrout_refused, s->xfrout_failed);
	for (i = 0; i < (int)r->npstats; i++)
		printf("%s %s %s: %" PRIu64 " answers\n", i ? "           " :
		    "proxied:   ", r->pstats[i].zone, r->pstats[i].name,
		    r->pstats[i].answers);
}

/*
 * show sizes, a row as each zone comes (100,000 zones are not held):
 * ZONE RECORDS IMAGE KEPT, the sizes in bytes.
 */
void
sizes_add(struct replies *r, const struct ctl_zsize *zs, int json)
{
	if (json) {
		printf("%s{", r->nsizes == 0 ? "{\"sizes\":[" : ",");
		json_kstr("zone", zs->zone, 0);
		json_ku64("records", zs->records, 1);
		json_ku64("image_bytes", zs->image_bytes, 1);
		json_ku64("kept_bytes", zs->kept_bytes, 1);
		printf("}");
	} else {
		if (r->nsizes == 0)
			sizes_header();
		put(zs->zone, 31);
		printf(" %12" PRIu64 " %14" PRIu64 " %14" PRIu64 "\n",
		    zs->records, zs->image_bytes, zs->kept_bytes);
	}
	r->nsizes++;
}

static void
sizes_header(void)
{
	printf("%-31s %12s %14s %14s\n", "ZONE", "RECORDS", "IMAGE", "KEPT");
}

/* ---- JSON ---- */

static void
json_status(const struct replies *r)
{
	const struct ctl_status	*st = &r->status;
	const struct ctl_proc	*p;
	size_t			 i;

	printf("{");
	json_kstr("version", st->version, 0);
	json_knum("uptime", st->now > st->started ?
	    (long long)st->now - (long long)st->started : 0, 1);
	json_knum("started", st->started, 1);
	json_kstr("config", st->config, 1);
	json_knum("zones", st->zones, 1);
	json_knum("servers", st->servers, 1);
	printf(",\"privsep\":%s,\"processes\":[", st->privsep ? "true" :
	    "false");
	for (i = 0; i < r->nprocs; i++) {
		p = &r->procs[i];
		printf("%s{", i > 0 ? "," : "");
		json_kstr("name", p->name, 0);
		json_knum("instance", p->instance, 1);
		json_knum("pid", p->pid, 1);
		json_kstr("user", p->user, 1);
		json_knum("uid", p->uid, 1);
		if (p->chroot[0] == '\0')
			printf(",\"chroot\":null");
		else
			json_kstr("chroot", p->chroot, 1);
		printf(",\"sandboxed\":%s", p->sandboxed ? "true" : "false");
		json_knum("started", p->started, 1);
		printf("}");
	}
	printf("]}\n");
}

static void
json_sandbox(const struct replies *r)
{
	const struct ctl_sandbox	*sb;
	const char			*s, *e;
	size_t				 i;
	int				 j, n;
	char				 word[SANDBOX_PROMISES_LEN];

	printf("{\"processes\":[");
	for (i = 0; i < r->nsandboxes; i++) {
		sb = &r->sandboxes[i];
		printf("%s{", i > 0 ? "," : "");
		json_kstr("name", sb->name, 0);
		json_knum("instance", sb->instance, 1);
		json_knum("pid", sb->pid, 1);
		if (sb->backend[0] == '\0')
			printf(",\"backend\":null");
		else
			json_kstr("backend", sb->backend, 1);
		printf(",\"promises\":[");
		for (n = 0, s = sb->promises; *s != '\0'; s = e) {
			s += strspn(s, " ");
			if ((e = s + strcspn(s, " ")) == s)
				break;
			snprintf(word, sizeof(word), "%.*s", (int)(e - s), s);
			printf("%s", n++ ? "," : "");
			json_str(word);
		}
		printf("],\"unveil\":[");
		for (j = 0; j < sb->nunveil; j++) {
			printf("%s{", j > 0 ? "," : "");
			json_kstr("path", sb->unveil[j].path, 0);
			json_kstr("perms", sb->unveil[j].perms, 1);
			printf("}");
		}
		printf("]}");
	}
	printf("]}\n");
}

/* ,"dnssec":{...} of a signed zone, or null. */
static void
json_sigs(const struct ctl_sigs *s)
{
	if (s == NULL) {
		printf(",\"dnssec\":null");
		return;
	}
	printf(",\"dnssec\":{");
	json_knum("sig_expire", s->sig_expire, 0);
	json_kstr("sig_state", s->sig_state, 1);
	json_knum("sig_missing", s->sig_missing, 1);
	json_knum("chain_breaks", s->chain_breaks, 1);
	printf("}");
}

/* ,"notify_out":{...} of a zone. */
static void
json_notify_out(const struct ctl_notify_out *no)
{
	printf(",\"notify_out\":{");
	json_knum("targets", no->targets, 0);
	json_knum("pending", no->pending, 1);
	json_ku64("sent", no->sent, 1);
	json_ku64("acked", no->acked, 1);
	json_ku64("failed", no->failed, 1);
	if (no->error_when != 0) {
		printf(",\"last_failure\":{");
		json_knum("when", no->error_when, 0);
		json_kstr("msg", no->error, 1);
		printf("}}");
	} else
		printf(",\"last_failure\":null}");
}

/* One zone of show zones in JSON, an object. */
static void
json_zone_row(const struct ctl_zone *z)
{
	printf("{");
	json_kstr("zone", z->zone, 0);
	json_kstr("state", z->state, 1);
	if (z->have_serial) {
		json_knum("serial", z->serial, 1);
		json_knum("served", z->served, 1);
	} else
		printf(",\"serial\":null,\"served\":null");
	if (z->next_check != 0)
		json_knum("next_check", z->next_check, 1);
	else
		printf(",\"next_check\":null");
	if (z->primary[0] != '\0')
		json_kstr("primary", z->primary, 1);
	else
		printf(",\"primary\":null");
	if (z->catalog[0] != '\0')
		json_kstr("catalog", z->catalog, 1);
	else
		printf(",\"catalog\":null");
	if (z->checked != 0)
		json_knum("checked", z->checked, 1);
	else
		printf(",\"checked\":null");
	if (z->expires != 0)
		json_knum("expires", z->expires, 1);
	else
		printf(",\"expires\":null");
	json_sigs(z->dnssec ? &z->sigs : NULL);
	json_notify_out(&z->notify_out);
	if (z->error_when != 0) {
		printf(",\"error\":{");
		json_knum("when", z->error_when, 0);
		json_kstr("msg", z->error, 1);
		printf("}");
	} else
		printf(",\"error\":null");
	if (z->last.when == 0) {
		printf(",\"last_transfer\":null}");
		return;
	}
	printf(",\"last_transfer\":{");
	json_kstr("kind", xfr_kind(z->last.kind), 0);
	printf(",\"ok\":%s", z->last.ok ? "true" : "false");
	json_knum("serial", z->last.serial, 1);
	json_ku64("records", z->last.records, 1);
	json_ku64("bytes", z->last.bytes, 1);
	json_knum("when", z->last.when, 1);
	json_knum("msecs", z->last.msecs, 1);
	json_kstr("primary", z->last.primary, 1);
	json_kstr("msg", z->last.msg, 1);
	printf("}}");
}

/* The end of show zones in JSON. */
static void
json_zones(struct zstream *zs)
{
	printf("%s]}\n", zs->nshown == 0 ? "{\"zones\":[" : "");
}

static void
json_zone(const char *zone, const struct replies *r)
{
	const struct rr_row	*rr;
	size_t			 i;

	printf("{");
	json_kstr("zone", zone, 0);
	json_sigs(r->have_sigs ? &r->sigs : NULL);
	printf(",\"records\":[");
	for (i = 0; i < r->nrrs; i++) {
		rr = &r->rrs[i];
		printf("%s{", i > 0 ? "," : "");
		json_kstr("type", rr->type, 0);
		json_kstr("name", rr->name, 1);
		json_kstr("content", rr->content, 1);
		json_kstr("proxy", rr->proxy, 1);
		json_knum("ttl", rr->ttl, 1);
		printf("}");
	}
	printf("]}\n");
}

static void
json_stats(const struct replies *r)
{
	const struct ctl_stats	*s = &r->stats;
	char			 tb[DNS_MAXTYPESTR];
	int			 i, n;

	printf("{");
	json_ku64("queries_udp", s->queries_udp, 0);
	json_ku64("queries_tcp", s->queries_tcp, 1);
	printf(",\"rcode\":{");
	for (i = 0; i < CTL_RCODES; i++)
		json_ku64(dns_rcode_name(i, NULL, 0), s->rcode[i], i > 0);
	printf("}");
	json_ku64("dropped", s->dropped, 1);
	json_ku64("truncated", s->truncated, 1);
	json_ku64("tcp_conns", s->tcp_conns, 1);
	json_ku64("tcp_refused", s->tcp_refused, 1);
	json_ku64("tcp_closed_idle", s->tcp_closed_idle, 1);
	json_ku64("tcp_closed_io", s->tcp_closed_io, 1);
	json_ku64("tcp_closed_source", s->tcp_closed_source, 1);
	json_ku64("tcp_closed_full", s->tcp_closed_full, 1);
	json_ku64("xfr_ok", s->xfr_ok, 1);
	json_ku64("xfr_failed", s->xfr_failed, 1);
	json_ku64("ixfr_ok", s->ixfr_ok, 1);
	json_ku64("soa_checks", s->soa_checks, 1);
	json_ku64("notifies", s->notifies, 1);
	json_ku64("notifies_refused", s->notifies_refused, 1);
	json_ku64("notifies_dropped", s->notifies_dropped, 1);
	json_ku64("notify_out_sent", s->notify_out_sent, 1);
	json_ku64("notify_out_acked", s->notify_out_acked, 1);
	json_ku64("notify_out_failed", s->notify_out_failed, 1);
	json_ku64("notify_out_pending", s->notify_out_pending, 1);
	json_ku64("rrl_limited", s->rrl_limited, 1);
	json_ku64("rrl_slipped", s->rrl_slipped, 1);
	json_ku64("rrl_dropped", s->rrl_dropped, 1);
	json_ku64("cookie_valid", s->cookie_valid, 1);
	json_ku64("cookie_badcookie", s->cookie_badcookie, 1);
	json_ku64("xfrout_done", s->xfrout_done, 1);
	json_ku64("xfrout_uptodate", s->xfrout_uptodate, 1);
	json_ku64("xfrout_refused", s->xfrout_refused, 1);
	json_ku64("xfrout_failed", s->xfrout_failed, 1);
	json_ku64("ixfr_failed", s->ixfr_failed, 1);
	json_ku64("xfr_records", s->xfr_records, 1);
	json_ku64("xfr_bytes", s->xfr_bytes, 1);
	json_ku64("xfr_msecs", s->xfr_msecs, 1);
	printf(",\"qtype\":{");
	for (i = n = 0; i < CTL_QTYPES; i++)
		if (s->qtype[i] != 0)
			json_ku64(i == CTL_QTYPES - 1 ? "other" :
			    dns_type_name(i, tb, sizeof(tb)), s->qtype[i],
			    n++ > 0);
	printf("}");
	printf(",\"proxied\":[");
	for (i = 0; i < (int)r->npstats; i++) {
		printf("%s{", i ? "," : "");
		json_kstr("zone", r->pstats[i].zone, 0);
		json_kstr("name", r->pstats[i].name, 1);
		json_ku64("answers", r->pstats[i].answers, 1);
		printf("}");
	}
	printf("]}\n");
}

static void
json_ok(const char *msg)
{
	printf("{\"ok\":true");
	if (*msg != '\0')
		json_kstr("msg", msg, 1);
	printf("}\n");
}

static void
json_kstr(const char *key, const char *val, int comma)
{
	if (comma)
		putchar(',');
	json_str(key);
	putchar(':');
	json_str(val);
}

static void
json_knum(const char *key, long long val, int comma)
{
	if (comma)
		putchar(',');
	json_str(key);
	printf(":%lld", val);
}

static void
json_ku64(const char *key, uint64_t val, int comma)
{
	if (comma)
		putchar(',');
	json_str(key);
	printf(":%" PRIu64, val);
}

/* s as a JSON string: escaped, and always valid UTF-8. */
static void
json_str(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	putchar('"');
	while (*p != '\0') {
		switch (*p) {
		case '"':
			printf("\\\"");
			break;
		case '\\':
			printf("\\\\");
			break;
		case '\b':
			printf("\\b");
			break;
		case '\f':
			printf("\\f");
			break;
		case '\n':
			printf("\\n");
			break;
		case '\r':
			printf("\\r");
			break;
		case '\t':
			printf("\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else if (*p < 0x80)
				putchar(*p);
			else if ((n = utf8_len(p)) == 0)
				printf("\\ufffd");
			else {
				fwrite(p, 1, n, stdout);
				p += n - 1;
			}
			break;
		}
		p++;
	}
	putchar('"');
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 if there is none.
 */
static size_t
utf8_len(const unsigned char *p)
{
	size_t		 n, i;
	uint32_t	 c;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

/* ---- helpers ---- */

/*
 * Print s for a terminal, control characters as '?', padded to width
 * (0: no padding).
 */
static void
put(const char *s, int width)
{
	fput(stdout, s, width);
}

static void
fput(FILE *f, const char *s, int width)
{
	const unsigned char	*p;
	int			 n = 0;

	for (p = (const unsigned char *)s; *p != '\0'; p++, n++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
	for (; n < width; n++)
		fputc(' ', f);
}

/* "serverd/1" for a serverd, the plain name for the others. */
static const char *
procname(const char *name, int instance, char *buf, size_t len)
{
	if (strcmp(name, "serverd") == 0)
		snprintf(buf, len, "%s/%d", name, instance);
	else
		strlcpy(buf, name, len);
	return buf;
}

/* A duration: "42s", "3m05s", "2h07m", "3d04h". */
static const char *
span(long long s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s / 3600 % 24);
	return buf;
}

static const char *
xfr_kind(int kind)
{
	switch (kind) {
	case XFR_AXFR:
		return "axfr";
	case XFR_IXFR:
		return "ixfr";
	case XFR_STORED:
		return "stored";
	default:
		return "unknown";
	}
}

static size_t
maxlen(size_t w, const char *s)
{
	size_t	 len = strlen(s);

	return len > w ? len : w;
}
