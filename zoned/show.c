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
 * secctl show zone ZONE: every stored record as a dashboard row (TYPE NAME
 * CONTENT PROXY TTL), one IMSG_CTL_RR each, content after the struct.  The
 * A, AAAA and CNAME rows of a proxied name show the origin's record with
 * PROXY "proxied"; a proxied name with none of them in the transfer shows
 * as one row of TYPE "-", PROXY "dormant".  A signed zone's signatures'
 * health (IMSG_CTL_SIGS) comes last.  A show goes a few hundred records
 * a turn, as the parent takes them (struct zshow).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "denial.h"
#include "dns.h"
#include "log.h"
#include "pace.h"
#include "zoned.h"

#define SHOW_CONTENT_MAX	(MAX_IMSGSIZE - IMSG_HEADER_SIZE - \
				    sizeof(struct ctl_rr))

static void	show_sigs(struct imsgev *, uint32_t, const char *);

/* One dashboard row, its len set from content. */
void
show_row(struct imsgev *parent, uint32_t id, struct ctl_rr *rr,
    const char *content)
{
	struct ibuf	*buf;

	rr->len = strlen(content);
	if ((buf = imsg_create(&parent->ibuf, IMSG_CTL_RR, id, 0,
	    sizeof(*rr) + rr->len)) == NULL ||
	    imsg_add(buf, rr, sizeof(*rr)) == -1 ||
	    imsg_add(buf, content, rr->len) == -1)
		fatal("%s", __func__);
	imsg_close(&parent->ibuf, buf);
}

/* Record r as a row with that PROXY column. */
void
show_rr(struct imsgev *parent, uint32_t id, const struct zrr *r,
    const char *proxy)
{
	static char	 content[SHOW_CONTENT_MAX];
	struct ctl_rr	 rr;
	char		 type[DNS_MAXTYPESTR];

	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.type, dns_type_name(r->type, type, sizeof(type)),
	    sizeof(rr.type));
	dns_name_to_text(r->owner, r->ownerlen, rr.name, sizeof(rr.name));
	strlcpy(rr.proxy, proxy, sizeof(rr.proxy));
	rr.ttl = r->ttl;
	if (rdata_to_text(r->type, r->rdata, r->rdlen, content,
	    sizeof(content)) == -1)
		strlcpy(content, "(does not fit)", sizeof(content));
	show_row(parent, id, &rr, content);
}

/*
 * A show zone in progress: its stored zone, loaded, gone through in a
 * paced walk (shared/pace.h), so that a zone of a million names streams
 * to secctl instead of queueing in zoned.
 */
struct zshow {
	struct pace		 pace;
	struct imsgev		*parent;
	uint32_t		 id;
	char			*zone;
	uint8_t			 want[DNS_MAXNAME];
	size_t			 wantlen;
	struct stored_zone	 sz;
	struct overrides	 o;
	struct merge_index	 x;
	size_t			 next;		/* record to show next */
};

static int	show_step(void *);
static void	show_end(struct zshow *);

void
zoned_show_zone(struct imsgev *parent, uint32_t id, const char *zone,
    const char *name)
{
	struct zshow	*w;
	char		 err[SECD_MSGLEN];

	if (!zoned_configured(zone)) {
		child_result(parent, id, 1, "zone %s is not configured", zone);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    (w->zone = strdup(zone)) == NULL)
		fatal(NULL);
	w->parent = parent;
	w->id = id;
	if (*name != '\0' && dns_name_from_text(name, w->want,
	    &w->wantlen) == -1) {
		child_result(parent, id, 1, "%s is not a domain name", name);
		goto fail;
	}
	if (over_load(zone, &w->o, err, sizeof(err)) == -1) {
		child_result(parent, id, 1, "zone %s: overrides not readable: "
		    "%s", zone, err);
		goto fail;
	}
	if (store_zone(zone, NULL, NULL, &w->sz, err, sizeof(err)) == -1) {
		over_free(&w->o);
		child_result(parent, id, 1, "zone %s has no data yet", zone);
		goto fail;
	}
	if (merge_index_init(&w->x, &w->o) == -1) {
		store_unload(&w->sz);
		over_free(&w->o);
		child_result(parent, id, 1, "out of memory");
		goto fail;
	}
	pace_start(&w->pace, parent, show_step, w);
	return;
 fail:
	free(w->zone);
	free(w);
}

/* A show zone's next records (shared/pace.h); 1 once it is done. */
static int
show_step(void *arg)
{
	struct zshow	*w = arg;
	struct zrr	*r;
	size_t		 k, n;

	for (n = 0; w->next < w->sz.src.nrr && n < PACE_STEP; w->next++) {
		r = &w->sz.src.rrs[w->next];
		if (w->wantlen && !dns_name_equal(r->owner, r->ownerlen,
		    w->want, w->wantlen))
			continue;
		n++;
		if ((k = merge_match(&w->x, r)) != 0 &&
		    dns_type_proxyable(r->type))
			w->o.v[k - 1].active = 1;
		if (w->o.apex.set && dns_type_is_addr(r->type) &&
		    dns_name_equal(r->owner, r->ownerlen, w->sz.src.apex,
		    w->sz.src.apexlen))
			show_rr(w->parent, w->id, r, "hidden");
		else
			show_rr(w->parent, w->id, r, k ? "proxied" : "off");
	}
	if (w->next < w->sz.src.nrr)
		return 0;
	show_end(w);
	return 1;
}

/* The rows after the records, the signatures, the end of a show. */
static void
show_end(struct zshow *w)
{
	struct override	*v;
	struct ctl_rr	 rr;
	size_t		 i;

	apex_show(w->parent, w->id, &w->o, &w->sz.src, w->want, w->wantlen);
	for (i = 0; i < w->o.n; i++) {
		v = &w->o.v[i];
		if (!v->proxied || v->active || (w->wantlen &&
		    !dns_name_equal(v->owner, v->ownerlen, w->want,
		    w->wantlen)))
			continue;
		memset(&rr, 0, sizeof(rr));
		strlcpy(rr.type, "-", sizeof(rr.type));
		dns_name_to_text(v->owner, v->ownerlen, rr.name,
		    sizeof(rr.name));
		strlcpy(rr.proxy, "dormant", sizeof(rr.proxy));
		show_row(w->parent, w->id, &rr, "no A, AAAA or CNAME in the "
		    "transfer");
	}
	show_sigs(w->parent, w->id, w->zone);
	iev_add(w->parent);
	merge_index_free(&w->x);
	over_free(&w->o);
	store_unload(&w->sz);
	child_result(w->parent, w->id, 0, "%s", "");
	free(w->zone);
	free(w);
}

/* A signed zone's signatures' health, as show zones says it. */
static void
show_sigs(struct imsgev *parent, uint32_t id, const char *zone)
{
	struct xfr_msg	 m;
	struct ctl_sigs	 cs;

	memset(&m, 0, sizeof(m));
	if (zone_info(zone, &m) == -1 || !m.dnssec)
		return;
	memset(&cs, 0, sizeof(cs));
	cs.sig_expire = m.sig_expire;
	cs.sig_missing = m.sig_missing;
	cs.chain_breaks = m.chain_breaks;
	strlcpy(cs.sig_state, denial_sig_state(m.sig_expire, m.expire,
	    m.refresh, NULL), sizeof(cs.sig_state));
	if (iev_compose(parent, IMSG_CTL_SIGS, id, 0, -1, &cs,
	    sizeof(cs)) == -1)
		fatal("%s", __func__);
}
