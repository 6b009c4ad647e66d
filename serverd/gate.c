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
 * NOTIFY (RFC 1996) at the gate: what serverd can check before xfrd sees
 * one, so that a flood of bad NOTIFYs stays in serverd.  A NOTIFY goes on
 * to xfrd only with one question, of type SOA and class IN, for the apex
 * of a configured zone, from an address the zone's "allow notify" lists;
 * anything else is answered here: FORMERR when malformed, else REFUSED.
 * xfrd still checks the source, verifies the TSIG (serverd holds no key)
 * and decides.  At most NOTIFY_INFLIGHT are with xfrd at once (xfrd
 * answers each, if only with "none"); more are dropped and counted.
 * Refusals are logged at most once per source and interval
 * (shared/lograte.c).
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <string.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "lograte.h"
#include "serverd.h"
#include "zones.h"

static int	gate_check(const struct notify_msg *, const uint8_t *,
		    size_t);
static int	gate_acl(const struct zone_conf *,
		    const struct sockaddr_storage *);

static int	 inflight;

/*
 * A NOTIFY received (nm says from where and how to answer): the length of
 * the answer serverd wrote to resp, or 0 when there is none here (handed
 * to xfrd, or dropped).
 */
size_t
gate_notify(const struct notify_msg *nm, const uint8_t *pkt, size_t len,
    uint8_t *resp, size_t cap)
{
	int	 rcode;

	if ((rcode = gate_check(nm, pkt, len)) != DNS_R_NOERROR) {
		stats.notifies++;
		stats.notifies_refused++;
		return dns_reply_head(pkt, len, 0, rcode, resp, cap);
	}
	if (inflight >= NOTIFY_INFLIGHT) {
		stats.notifies++;
		stats.notifies_dropped++;
		return 0;
	}
	inflight++;
	serverd_notify(nm, pkt, len);
	return 0;
}

/* xfrd answered one of ours (IMSG_NOTIFY_ANSWER). */
void
gate_answered(void)
{
	if (inflight == 0)
		fatalx("xfrd: NOTIFY answer for none in flight");
	inflight--;
}

/* NOERROR if it may go on to xfrd, else the rcode to answer. */
static int
gate_check(const struct notify_msg *nm, const uint8_t *pkt, size_t len)
{
	const struct served_zone *z;
	struct dns_header	 h;
	struct wire		 w;
	uint8_t			 qname[DNS_MAXNAME];
	char			 zname[DNS_MAXNAMESTR], note[128];
	const char		*from = sa_str(&nm->from);
	size_t			 qlen;
	uint16_t		 qtype, qclass;

	wire_init(&w, pkt, len);
	if (len > NOTIFY_MAXLEN || wire_header(&w, &h) == -1 ||
	    h.qdcount != 1 || wire_question(&w, qname, &qlen, &qtype,
	    &qclass) == -1 || qtype != DNS_T_SOA || qclass != DNS_C_IN) {
		if (lograte_ok(&nm->from, note, sizeof(note)))
			log_warnx("NOTIFY from %s: malformed (FORMERR)%s",
			    from, note);
		return DNS_R_FORMERR;
	}
	dns_name_lower(qname, qlen);
	if ((z = zones_find(qname, qlen)) == NULL || z->namelen != qlen ||
	    z->conf == NULL) {
		if (lograte_ok(&nm->from, note, sizeof(note))) {
			dns_name_to_text(qname, qlen, zname, sizeof(zname));
			log_warnx("NOTIFY from %s for %s: not a zone of ours "
			    "(REFUSED)%s", from, zname, note);
		}
		return DNS_R_REFUSED;
	}
	if (gate_acl(z->conf, &nm->from) == -1) {
		if (lograte_ok(&nm->from, note, sizeof(note)))
			log_warnx("zone %s: NOTIFY from %s: source not allowed "
			    "(no allow notify from it) (REFUSED)%s",
			    z->conf->name, from, note);
		return DNS_R_REFUSED;
	}
	return DNS_R_NOERROR;
}

/* 0 if an "allow notify" entry of zc names this address (any key). */
static int
gate_acl(const struct zone_conf *zc, const struct sockaddr_storage *from)
{
	const struct notify_acl	*n;

	TAILQ_FOREACH(n, &zc->opts->notifies, entry)
		if (sa_addr_eq(&n->ss, from))
			return 0;
	return -1;
}
