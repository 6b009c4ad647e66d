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
 * The Prometheus text format (version 0.0.4) of one scrape.  Each family
 * gets its own buffer, its HELP and TYPE first, so that the samples of a
 * family stay together whatever order the replies come in; render_end
 * joins them.  The names follow NSD's, with the prefix secd_; secd(8)
 * METRICS lists them.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <event.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "log.h"
#include "metricsd.h"
#include "nametab.h"
#include "proc.h"
#include "secd.h"

enum family {
	F_BUILD, F_START, F_ZONES, F_UP, F_SANDBOXED,
	F_QUERIES, F_QTYPE, F_RCODE, F_DROPPED, F_TRUNCATED,
	F_TCP, F_TCP_REFUSED, F_TCP_CLOSED,
	F_RRL_LIMITED, F_RRL_SLIPPED, F_RRL_DROPPED, F_COOKIES,
	F_PROXIED,
	F_XFR_IN, F_XFR_RECORDS, F_XFR_BYTES, F_XFR_SECONDS, F_SOA_CHECKS,
	F_NOTIFY_IN,
	F_XFR_OUT, F_NOTIFY_OUT_SENT, F_NOTIFY_OUT_ACKED, F_NOTIFY_OUT_FAILED,
	F_NOTIFY_OUT_PENDING,
	F_Z_SERIAL, F_Z_SERVED, F_Z_STATE, F_Z_REFRESH, F_Z_EXPIRE,
	F_Z_CHECKED, F_Z_SIGEXPIRE, F_Z_NOTIFY_PENDING, F_Z_NOTIFY_FAILED,
	F_Z_RECORDS, F_Z_IMAGE, F_Z_KEPT,
	F_MAX
};

static const struct {
	const char	*name, *type, *help;
} fam[F_MAX] = {
	[F_BUILD] = { "secd_build_info", "gauge",
	    "The version of secd running, in the label version." },
	[F_START] = { "secd_start_time_seconds", "gauge",
	    "When the daemon started, in seconds since the epoch." },
	[F_ZONES] = { "secd_zones_configured", "gauge",
	    "Zones in the running configuration, catalog members included." },
	[F_UP] = { "secd_process_up", "gauge",
	    "1 for each process set up and serving." },
	[F_SANDBOXED] = { "secd_process_sandboxed", "gauge",
	    "1 for each process whose sandbox (pledge, or seccomp) holds." },
	[F_QUERIES] = { "secd_queries_total", "counter",
	    "Queries received, by transport." },
	[F_QTYPE] = { "secd_queries_by_type_total", "counter",
	    "Queries answered, by QTYPE (OTHER: above CAA)." },
	[F_RCODE] = { "secd_queries_by_rcode_total", "counter",
	    "Queries answered, by the RCODE of the answer." },
	[F_DROPPED] = { "secd_queries_dropped_total", "counter",
	    "Queries not answered (malformed, or dropped by rate limiting)." },
	[F_TRUNCATED] = { "secd_responses_truncated_total", "counter",
	    "Answers sent with TC set." },
	[F_TCP] = { "secd_tcp_connections_total", "counter",
	    "TCP connections accepted." },
	[F_TCP_REFUSED] = { "secd_tcp_refused_total", "counter",
	    "TCP connections refused at accept." },
	[F_TCP_CLOSED] = { "secd_tcp_closed_total", "counter",
	    "TCP connections closed by secd, by reason." },
	[F_RRL_LIMITED] = { "secd_rrl_limited_total", "counter",
	    "UDP answers over the response rate limit." },
	[F_RRL_SLIPPED] = { "secd_rrl_slipped_total", "counter",
	    "Limited answers sent truncated instead (slip)." },
	[F_RRL_DROPPED] = { "secd_rrl_dropped_total", "counter",
	    "Limited answers not sent." },
	[F_COOKIES] = { "secd_cookies_total", "counter",
	    "Queries with a DNS Cookie (RFC 7873), by result." },
	[F_PROXIED] = { "secd_proxied_answers_total", "counter",
	    "A, AAAA and ANY answers with proxy addresses, by zone." },
	[F_XFR_IN] = { "secd_transfers_in_total", "counter",
	    "Zone transfers from primaries, by kind and result." },
	[F_XFR_RECORDS] = { "secd_transfer_in_records_total", "counter",
	    "Records of the transfers in that were applied." },
	[F_XFR_BYTES] = { "secd_transfer_in_bytes_total", "counter",
	    "Bytes of the transfers in that were applied." },
	[F_XFR_SECONDS] = { "secd_transfer_in_seconds_total", "counter",
	    "Time spent in the transfers in that were applied." },
	[F_SOA_CHECKS] = { "secd_soa_checks_total", "counter",
	    "SOA queries to primaries." },
	[F_NOTIFY_IN] = { "secd_notifies_in_total", "counter",
	    "NOTIFY messages received, by result." },
	[F_XFR_OUT] = { "secd_transfers_out_total", "counter",
	    "Zone transfers to secondaries, by result." },
	[F_NOTIFY_OUT_SENT] = { "secd_notifies_out_sent_total", "counter",
	    "NOTIFY messages sent to secondaries." },
	[F_NOTIFY_OUT_ACKED] = { "secd_notifies_out_acked_total", "counter",
	    "NOTIFY tries a secondary acknowledged." },
	[F_NOTIFY_OUT_FAILED] = { "secd_notifies_out_failed_total", "counter",
	    "NOTIFY tries that failed (an error, no answer, not sent)." },
	[F_NOTIFY_OUT_PENDING] = { "secd_notifies_out_pending", "gauge",
	    "Secondaries yet to acknowledge a zone's last served serial." },
	[F_Z_SERIAL] = { "secd_zone_serial", "gauge",
	    "The serial of the zone's primary that secd holds." },
	[F_Z_SERVED] = { "secd_zone_served_serial", "gauge",
	    "The serial in the SOA secd serves (secd.conf serial policy)." },
	[F_Z_STATE] = { "secd_zone_state", "gauge",
	    "1 for the zone's state (secctl show zones)." },
	[F_Z_REFRESH] = { "secd_zone_refresh_seconds", "gauge",
	    "Seconds to the zone's next check of its primary." },
	[F_Z_EXPIRE] = { "secd_zone_expire_seconds", "gauge",
	    "Seconds to the zone's expiry without a good check." },
	[F_Z_CHECKED] = { "secd_zone_checked_timestamp_seconds", "gauge",
	    "The zone's last good check of its primary." },
	[F_Z_SIGEXPIRE] = { "secd_zone_signature_expiration_timestamp_seconds",
	    "gauge", "The earliest RRSIG expiration of a signed zone." },
	[F_Z_NOTIFY_PENDING] = { "secd_zone_notifies_out_pending", "gauge",
	    "The zone's secondaries yet to acknowledge its served serial." },
	[F_Z_NOTIFY_FAILED] = { "secd_zone_notifies_out_failed_total",
	    "counter", "The zone's NOTIFY tries that failed." },
	[F_Z_RECORDS] = { "secd_zone_records", "gauge",
	    "Records of the zone as transferred (before the overrides)." },
	[F_Z_IMAGE] = { "secd_zone_image_bytes", "gauge",
	    "Bytes of the zone's image and its overlays on disk." },
	[F_Z_KEPT] = { "secd_zone_kept_bytes", "gauge",
	    "Memory of the zone kept by zoned for its changes (0: not kept)." },
};

/* proxied answers of a zone, summed over its names and the serverds */
struct pzone {
	char		*zone;
	uint64_t	 n;
};

struct render {
	struct evbuffer	*buf[F_MAX];
	time_t		 now;
	struct nametab	 ptab;
	struct pzone	**pz;
	size_t		 npz;
};

static void	 sample(struct render *, enum family, const char *,
		    uint64_t);
static void	 sample_i(struct render *, enum family, const char *,
		    int64_t);
static void	 sample1(struct render *, enum family, const char *,
		    const char *, uint64_t);
static void	 sample1_i(struct render *, enum family, const char *,
		    const char *, int64_t);
static void	 labels(char *, size_t, const char *, const char *,
		    const char *, const char *);
static void	 render_proc(struct render *, const struct ctl_proc *);
static void	 render_sandbox(struct render *, const struct ctl_sandbox *);
static void	 render_stats(struct render *, const struct ctl_stats *);
static void	 render_proxy(struct render *, const struct ctl_proxystat *);
static void	 render_zone(struct render *, const struct ctl_zone *);
static void	 render_zsize(struct render *, const struct ctl_zsize *);
static const char *pzone_key(const void *);

struct render *
render_new(void)
{
	struct render	*r;
	int		 f;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	r->now = time(NULL);
	nametab_init(&r->ptab, pzone_key);
	for (f = 0; f < F_MAX; f++) {
		if ((r->buf[f] = evbuffer_new()) == NULL ||
		    evbuffer_add_printf(r->buf[f], "# HELP %s %s\n# TYPE %s "
		    "%s\n", fam[f].name, fam[f].help, fam[f].name,
		    fam[f].type) == -1) {
			log_warn("%s", __func__);
			render_free(r);
			return NULL;
		}
	}
	return r;
}

void
render_free(struct render *r)
{
	size_t	 i;
	int	 f;

	if (r == NULL)
		return;
	for (f = 0; f < F_MAX; f++)
		if (r->buf[f] != NULL)
			evbuffer_free(r->buf[f]);
	for (i = 0; i < r->npz; i++) {
		free(r->pz[i]->zone);
		free(r->pz[i]);
	}
	free(r->pz);
	nametab_free(&r->ptab);
	free(r);
}

/* One reply of the parent's (scrape.c); a malformed one is fatal. */
void
render_imsg(struct render *r, struct imsg *imsg)
{
	struct ctl_status	 st;
	struct ctl_proc		 cp;
	struct ctl_sandbox	 sb;
	struct ctl_stats	 cs;
	struct ctl_proxystat	 ps;
	struct ctl_zone		 cz;
	struct ctl_zsize	 zs;
	char			 l[96];

	switch (imsg->hdr.type) {
	case IMSG_CTL_STATUS:
		if (imsg_get_data(imsg, &st, sizeof(st)) == -1 ||
		    memchr(st.version, '\0', sizeof(st.version)) == NULL)
			fatalx("%s: IMSG_CTL_STATUS: bad length", __func__);
		labels(l, sizeof(l), "version", st.version, NULL, NULL);
		sample(r, F_BUILD, l, 1);
		sample_i(r, F_START, "", st.started);
		sample_i(r, F_ZONES, "", st.zones);
		break;
	case IMSG_CTL_PROC:
		if (imsg_get_data(imsg, &cp, sizeof(cp)) == -1 ||
		    memchr(cp.name, '\0', sizeof(cp.name)) == NULL)
			fatalx("%s: IMSG_CTL_PROC: bad length", __func__);
		render_proc(r, &cp);
		break;
	case IMSG_CTL_SANDBOX:
		if (imsg_get_data(imsg, &sb, sizeof(sb)) == -1 ||
		    memchr(sb.name, '\0', sizeof(sb.name)) == NULL ||
		    memchr(sb.promises, '\0', sizeof(sb.promises)) == NULL)
			fatalx("%s: IMSG_CTL_SANDBOX: bad length", __func__);
		render_sandbox(r, &sb);
		break;
	case IMSG_CTL_STATS:
		if (imsg_get_data(imsg, &cs, sizeof(cs)) == -1)
			fatalx("%s: IMSG_CTL_STATS: bad length", __func__);
		render_stats(r, &cs);
		break;
	case IMSG_CTL_PROXYSTAT:
		if (imsg_get_data(imsg, &ps, sizeof(ps)) == -1 ||
		    memchr(ps.zone, '\0', sizeof(ps.zone)) == NULL)
			fatalx("%s: IMSG_CTL_PROXYSTAT: bad length", __func__);
		render_proxy(r, &ps);
		break;
	case IMSG_CTL_ZONE:
		if (imsg_get_data(imsg, &cz, sizeof(cz)) == -1 ||
		    memchr(cz.zone, '\0', sizeof(cz.zone)) == NULL ||
		    memchr(cz.state, '\0', sizeof(cz.state)) == NULL)
			fatalx("%s: IMSG_CTL_ZONE: bad length", __func__);
		render_zone(r, &cz);
		break;
	case IMSG_CTL_ZSIZE:
		if (imsg_get_data(imsg, &zs, sizeof(zs)) == -1 ||
		    memchr(zs.zone, '\0', sizeof(zs.zone)) == NULL)
			fatalx("%s: IMSG_CTL_ZSIZE: bad length", __func__);
		render_zsize(r, &zs);
		break;
	default:
		fatalx("%s: unexpected imsg %u", __func__, imsg->hdr.type);
	}
}

/* The text: every family in order.  NULL when memory ran out. */
struct evbuffer *
render_end(struct render *r)
{
	struct evbuffer	*out;
	size_t		 i;
	int		 f;

	for (i = 0; i < r->npz; i++)
		sample1(r, F_PROXIED, "zone", r->pz[i]->zone, r->pz[i]->n);
	if ((out = evbuffer_new()) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	for (f = 0; f < F_MAX; f++)
		if (evbuffer_add_buffer(out, r->buf[f]) == -1) {
			log_warn("%s", __func__);
			evbuffer_free(out);
			return NULL;
		}
	return out;
}

/* A sample: name{lab} value; lab, a label list made by labels(), or "". */
static void
sample(struct render *r, enum family f, const char *lab, uint64_t v)
{
	if (evbuffer_add_printf(r->buf[f], "%s%s%s%s %" PRIu64 "\n",
	    fam[f].name, *lab ? "{" : "", lab, *lab ? "}" : "", v) == -1)
		log_warn("%s", __func__);
}

static void
sample_i(struct render *r, enum family f, const char *lab, int64_t v)
{
	if (evbuffer_add_printf(r->buf[f], "%s%s%s%s %" PRId64 "\n",
	    fam[f].name, *lab ? "{" : "", lab, *lab ? "}" : "", v) == -1)
		log_warn("%s", __func__);
}

/* A sample with one label, k="val". */
static void
sample1(struct render *r, enum family f, const char *k, const char *val,
    uint64_t v)
{
	char	 l[SECD_NAMESTRLEN * 2 + 64];

	labels(l, sizeof(l), k, val, NULL, NULL);
	sample(r, f, l, v);
}

static void
sample1_i(struct render *r, enum family f, const char *k, const char *val,
    int64_t v)
{
	char	 l[SECD_NAMESTRLEN * 2 + 64];

	labels(l, sizeof(l), k, val, NULL, NULL);
	sample_i(r, f, l, v);
}

/*
 * k1="v1"[,k2="v2"] into buf, the values escaped (backslash, double
 * quote, newline).  The buffers are sized for the longest zone name
 * escaped whole; a label that would not fit is left out.
 */
static void
labels(char *buf, size_t len, const char *k1, const char *v1,
    const char *k2, const char *v2)
{
	const char	*k, *v;
	size_t		 n = 0;
	int		 i;

	buf[0] = '\0';
	for (i = 0; i < 2; i++) {
		k = i == 0 ? k1 : k2;
		v = i == 0 ? v1 : v2;
		if (k == NULL)
			break;
		if (n + strlen(k) + 2 * strlen(v) + 5 > len)
			break;
		n += snprintf(buf + n, len - n, "%s%s=\"", i ? "," : "", k);
		for (; *v != '\0'; v++) {
			if (*v == '\\' || *v == '"' || *v == '\n')
				buf[n++] = '\\';
			buf[n++] = *v == '\n' ? 'n' : *v;
		}
		buf[n++] = '"';
		buf[n] = '\0';
	}
}

static void
render_proc(struct render *r, const struct ctl_proc *cp)
{
	char	 inst[16], l[96];

	snprintf(inst, sizeof(inst), "%d", cp->instance);
	labels(l, sizeof(l), "process", cp->name, "instance", inst);
	/* started is set when the process reports it is set up */
	sample(r, F_UP, l, cp->started != 0);
}

static void
render_sandbox(struct render *r, const struct ctl_sandbox *sb)
{
	char	 inst[16], l[96];

	snprintf(inst, sizeof(inst), "%d", sb->instance);
	labels(l, sizeof(l), "process", sb->name, "instance", inst);
	sample(r, F_SANDBOXED, l, sb->promises[0] != '\0');
}

static void
render_stats(struct render *r, const struct ctl_stats *s)
{
	char		 tb[32], l[96];
	const char	*t;
	int		 i;

	sample1(r, F_QUERIES, "transport", "udp", s->queries_udp);
	sample1(r, F_QUERIES, "transport", "tcp", s->queries_tcp);
	for (i = 0; i < CTL_QTYPES; i++) {
		if (s->qtype[i] == 0)
			continue;
		t = i == CTL_QTYPES - 1 ? "OTHER" :
		    dns_type_name(i, tb, sizeof(tb));
		sample1(r, F_QTYPE, "type", t, s->qtype[i]);
	}
	for (i = 0; i < CTL_RCODES; i++)
		if (s->rcode[i] != 0 || i == DNS_R_NOERROR)
			sample1(r, F_RCODE, "rcode",
			    dns_rcode_name(i, tb, sizeof(tb)), s->rcode[i]);
	sample(r, F_DROPPED, "", s->dropped);
	sample(r, F_TRUNCATED, "", s->truncated);
	sample(r, F_TCP, "", s->tcp_conns);
	sample(r, F_TCP_REFUSED, "", s->tcp_refused);
	sample1(r, F_TCP_CLOSED, "reason", "idle", s->tcp_closed_idle);
	sample1(r, F_TCP_CLOSED, "reason", "slow", s->tcp_closed_io);
	sample1(r, F_TCP_CLOSED, "reason", "source", s->tcp_closed_source);
	sample1(r, F_TCP_CLOSED, "reason", "full", s->tcp_closed_full);
	sample(r, F_RRL_LIMITED, "", s->rrl_limited);
	sample(r, F_RRL_SLIPPED, "", s->rrl_slipped);
	sample(r, F_RRL_DROPPED, "", s->rrl_dropped);
	sample1(r, F_COOKIES, "result", "valid", s->cookie_valid);
	sample1(r, F_COOKIES, "result", "badcookie", s->cookie_badcookie);
	labels(l, sizeof(l), "kind", "axfr", "result", "ok");
	sample(r, F_XFR_IN, l, s->xfr_ok - s->ixfr_ok);
	labels(l, sizeof(l), "kind", "ixfr", "result", "ok");
	sample(r, F_XFR_IN, l, s->ixfr_ok);
	labels(l, sizeof(l), "kind", "axfr", "result", "failed");
	sample(r, F_XFR_IN, l, s->xfr_failed - s->ixfr_failed);
	labels(l, sizeof(l), "kind", "ixfr", "result", "failed");
	sample(r, F_XFR_IN, l, s->ixfr_failed);
	sample(r, F_XFR_RECORDS, "", s->xfr_records);
	sample(r, F_XFR_BYTES, "", s->xfr_bytes);
	if (evbuffer_add_printf(r->buf[F_XFR_SECONDS], "%s %" PRIu64 ".%03u\n",
	    fam[F_XFR_SECONDS].name, s->xfr_msecs / 1000,
	    (unsigned)(s->xfr_msecs % 1000)) == -1)
		log_warn("%s", __func__);
	sample(r, F_SOA_CHECKS, "", s->soa_checks);
	sample1(r, F_NOTIFY_IN, "result", "accepted",
	    s->notifies - s->notifies_refused - s->notifies_dropped);
	sample1(r, F_NOTIFY_IN, "result", "refused", s->notifies_refused);
	sample1(r, F_NOTIFY_IN, "result", "dropped", s->notifies_dropped);
	sample1(r, F_XFR_OUT, "result", "done", s->xfrout_done);
	sample1(r, F_XFR_OUT, "result", "uptodate", s->xfrout_uptodate);
	sample1(r, F_XFR_OUT, "result", "refused", s->xfrout_refused);
	sample1(r, F_XFR_OUT, "result", "failed", s->xfrout_failed);
	sample(r, F_NOTIFY_OUT_SENT, "", s->notify_out_sent);
	sample(r, F_NOTIFY_OUT_ACKED, "", s->notify_out_acked);
	sample(r, F_NOTIFY_OUT_FAILED, "", s->notify_out_failed);
	sample(r, F_NOTIFY_OUT_PENDING, "", s->notify_out_pending);
}

static const char *
pzone_key(const void *p)
{
	return ((const struct pzone *)p)->zone;
}

/* A name's proxied answers in one serverd: summed by zone. */
static void
render_proxy(struct render *r, const struct ctl_proxystat *ps)
{
	struct pzone	*p, **v;

	if ((p = nametab_find(&r->ptab, ps->zone)) != NULL) {
		p->n += ps->answers;
		return;
	}
	if ((v = reallocarray(r->pz, r->npz + 1, sizeof(*v))) == NULL) {
		log_warn("zone %s: %s", ps->zone, __func__);
		return;
	}
	r->pz = v;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->zone = strdup(ps->zone)) == NULL) {
		log_warn("zone %s: %s", ps->zone, __func__);
		free(p);
		return;
	}
	p->n = ps->answers;
	if (nametab_add(&r->ptab, p) == -1) {
		log_warn("zone %s: %s", ps->zone, __func__);
		free(p->zone);
		free(p);
		return;
	}
	r->pz[r->npz++] = p;
}

static void
render_zone(struct render *r, const struct ctl_zone *z)
{
	char	 l[SECD_NAMESTRLEN * 2 + 64];

	if (z->have_serial)
		sample1(r, F_Z_SERIAL, "zone", z->zone, z->serial);
	if (z->served != 0 || z->have_serial)
		sample1(r, F_Z_SERVED, "zone", z->zone, z->served);
	labels(l, sizeof(l), "zone", z->zone, "state", z->state);
	sample(r, F_Z_STATE, l, 1);
	if (z->next_check != 0)
		sample1_i(r, F_Z_REFRESH, "zone", z->zone,
		    z->next_check > r->now ? z->next_check - r->now : 0);
	if (z->expires != 0)
		sample1_i(r, F_Z_EXPIRE, "zone", z->zone, z->expires - r->now);
	if (z->checked != 0)
		sample1_i(r, F_Z_CHECKED, "zone", z->zone, z->checked);
	if (z->dnssec)
		sample1(r, F_Z_SIGEXPIRE, "zone", z->zone, z->sigs.sig_expire);
	if (z->notify_out.targets > 0) {
		sample1(r, F_Z_NOTIFY_PENDING, "zone", z->zone,
		    z->notify_out.pending);
		sample1(r, F_Z_NOTIFY_FAILED, "zone", z->zone,
		    z->notify_out.failed);
	}
}

static void
render_zsize(struct render *r, const struct ctl_zsize *zs)
{
	sample1(r, F_Z_RECORDS, "zone", zs->zone, zs->records);
	sample1(r, F_Z_IMAGE, "zone", zs->zone, zs->image_bytes);
	sample1(r, F_Z_KEPT, "zone", zs->zone, zs->kept_bytes);
}
