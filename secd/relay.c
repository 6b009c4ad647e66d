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
 * Control requests the parent cannot answer itself go to the child that
 * knows (xfrd: zones and transfers; zoned: records; every serverd and
 * xfrd: counters) with the connection's id as peerid.  The replies come
 * back with that id and are passed on, or, for counters, summed; the
 * last child's IMSG_CTL_RESULT ends the request.  A reply for a
 * connection that went away is dropped.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "parent.h"

struct relay {
	TAILQ_ENTRY(relay)	 entry;
	uint32_t		 conn;
	int			 verb;
	int			 waiting;
	struct ctl_result	 res;
	struct ctl_stats	 sum;
};

static TAILQ_HEAD(, relay) relays = TAILQ_HEAD_INITIALIZER(relays);

static struct relay *relay_find(uint32_t);
static void	relay_stats(struct relay *, const struct ctl_stats *);
static int	relay_result(struct relay *, struct imsg *);

void
relay_forward(struct parent *p, struct ctl_conn *c, struct ctl_request *req,
    enum secd_proc target)
{
	struct relay	*r;
	struct child	*ch;
	int		 i;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		control_result(c, 1, "out of memory");
		return;
	}
	r->conn = control_id(c);
	r->verb = req->verb;
	for (i = 0; i < p->nchildren; i++) {
		ch = &p->children[i];
		/* Counters come from every serverd and from xfrd. */
		if (ch->proc != target && !(target == PROC_SERVERD &&
		    ch->proc == PROC_XFRD))
			continue;
		if (iev_compose(&ch->iev, IMSG_CTL_REQUEST, r->conn, 0, -1,
		    req, sizeof(*req)) == -1)
			fatal("%s", __func__);
		r->waiting++;
	}
	TAILQ_INSERT_TAIL(&relays, r, entry);
}

static struct relay *
relay_find(uint32_t conn)
{
	struct relay	*r;

	TAILQ_FOREACH(r, &relays, entry)
		if (r->conn == conn)
			return r;
	return NULL;
}

static void
relay_stats(struct relay *r, const struct ctl_stats *s)
{
	int	 i;

	r->sum.queries_udp += s->queries_udp;
	r->sum.queries_tcp += s->queries_tcp;
	for (i = 0; i < CTL_RCODES; i++)
		r->sum.rcode[i] += s->rcode[i];
	r->sum.dropped += s->dropped;
	r->sum.truncated += s->truncated;
	r->sum.tcp_conns += s->tcp_conns;
	r->sum.tcp_refused += s->tcp_refused;
	r->sum.tcp_closed_idle += s->tcp_closed_idle;
	r->sum.tcp_closed_io += s->tcp_closed_io;
	r->sum.tcp_closed_source += s->tcp_closed_source;
	r->sum.tcp_closed_full += s->tcp_closed_full;
	r->sum.xfr_ok += s->xfr_ok;
	r->sum.xfr_failed += s->xfr_failed;
	r->sum.notifies += s->notifies;
	r->sum.notifies_refused += s->notifies_refused;
	r->sum.notifies_dropped += s->notifies_dropped;
	r->sum.ixfr_ok += s->ixfr_ok;
	r->sum.soa_checks += s->soa_checks;
	r->sum.rrl_limited += s->rrl_limited;
	r->sum.rrl_slipped += s->rrl_slipped;
	r->sum.rrl_dropped += s->rrl_dropped;
	r->sum.cookie_valid += s->cookie_valid;
	r->sum.cookie_badcookie += s->cookie_badcookie;
	r->sum.xfrout_done += s->xfrout_done;
	r->sum.xfrout_uptodate += s->xfrout_uptodate;
	r->sum.xfrout_refused += s->xfrout_refused;
	r->sum.xfrout_failed += s->xfrout_failed;
	r->sum.notify_out_sent += s->notify_out_sent;
	r->sum.notify_out_acked += s->notify_out_acked;
	r->sum.notify_out_failed += s->notify_out_failed;
	r->sum.notify_out_pending += s->notify_out_pending;
	for (i = 0; i < CTL_QTYPES; i++)
		r->sum.qtype[i] += s->qtype[i];
	r->sum.ixfr_failed += s->ixfr_failed;
	r->sum.xfr_records += s->xfr_records;
	r->sum.xfr_bytes += s->xfr_bytes;
	r->sum.xfr_msecs += s->xfr_msecs;
}

/* One child finished; the last one ends the request. */
static int
relay_result(struct relay *r, struct imsg *imsg)
{
	struct ctl_result	 res;
	struct ctl_conn		*c;

	if (imsg_get_data(imsg, &res, sizeof(res)) == -1 ||
	    memchr(res.msg, '\0', sizeof(res.msg)) == NULL)
		return 0;
	if (res.code != 0 || r->res.msg[0] == '\0')
		r->res = res;
	if (--r->waiting > 0)
		return 1;
	if ((c = control_byid(r->conn)) != NULL) {
		if (r->verb == CTL_SHOW_STATS && r->res.code == 0)
			control_reply(c, IMSG_CTL_STATS, &r->sum,
			    sizeof(r->sum));
		control_reply(c, IMSG_CTL_RESULT, &r->res, sizeof(r->res));
	}
	TAILQ_REMOVE(&relays, r, entry);
	free(r);
	return 1;
}

/*
 * A reply from a child.  Returns 0 when it is not one this child may send
 * for a request it was given.
 */
int
relay_imsg(struct child *ch, struct imsg *imsg)
{
	struct ctl_stats	 st;
	struct ctl_zone		 cz;
	struct ctl_sigs		 cs;
	struct ctl_zsize	 zs;
	struct ctl_rr		 rr;
	struct relay		*r;
	struct ctl_conn		*c;
	size_t			 len = IMSG_DATA_SIZE(*imsg);

	if ((r = relay_find(imsg->hdr.peerid)) == NULL)
		return 0;
	c = control_byid(r->conn);
	switch (imsg->hdr.type) {
	case IMSG_CTL_RESULT:
		return relay_result(r, imsg);
	case IMSG_CTL_STATS:
		if ((ch->proc != PROC_SERVERD && ch->proc != PROC_XFRD) ||
		    imsg_get_data(imsg, &st, sizeof(st)) == -1)
			return 0;
		relay_stats(r, &st);
		return 1;
	case IMSG_CTL_PROXYSTAT:
		if (ch->proc != PROC_SERVERD || r->verb != CTL_SHOW_STATS ||
		    len != sizeof(struct ctl_proxystat))
			return 0;
		break;
	case IMSG_CTL_ZONE:
		if (ch->proc != PROC_XFRD ||
		    imsg_get_data(imsg, &cz, sizeof(cz)) == -1 ||
		    memchr(cz.zone, '\0', sizeof(cz.zone)) == NULL ||
		    memchr(cz.state, '\0', sizeof(cz.state)) == NULL ||
		    memchr(cz.primary, '\0', sizeof(cz.primary)) == NULL ||
		    memchr(cz.notify_out.error, '\0',
		    sizeof(cz.notify_out.error)) == NULL)
			return 0;
		break;
	case IMSG_CTL_ZSIZE:
		if (ch->proc != PROC_ZONED || r->verb != CTL_SHOW_SIZES ||
		    imsg_get_data(imsg, &zs, sizeof(zs)) == -1 ||
		    memchr(zs.zone, '\0', sizeof(zs.zone)) == NULL)
			return 0;
		break;
	case IMSG_CTL_SIGS:
		if (ch->proc != PROC_ZONED || r->verb != CTL_SHOW_ZONE ||
		    imsg_get_data(imsg, &cs, sizeof(cs)) == -1 ||
		    memchr(cs.sig_state, '\0', sizeof(cs.sig_state)) == NULL)
			return 0;
		break;
	case IMSG_CTL_RR:
		if (ch->proc != PROC_ZONED || len < sizeof(rr))
			return 0;
		memcpy(&rr, imsg->data, sizeof(rr));
		if (rr.len != len - sizeof(rr) ||
		    memchr(rr.type, '\0', sizeof(rr.type)) == NULL ||
		    memchr(rr.name, '\0', sizeof(rr.name)) == NULL ||
		    memchr(rr.proxy, '\0', sizeof(rr.proxy)) == NULL)
			return 0;
		break;
	default:
		return 0;
	}
	if (c != NULL)
		control_reply(c, imsg->hdr.type, imsg->data, len);
	return 1;
}
