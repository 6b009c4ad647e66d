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
 * NOTIFY (RFC 1996), as a serverd hands it over: xfrd decides and answers
 * through the same serverd.  Accepted only for a configured zone, from a
 * source of its "allow notify" list, signed with that entry's key when it
 * names one (RFC 8945; the answer is signed with it).  A bad signature is
 * NOTAUTH with the TSIG error, anything else REFUSED; every refusal is
 * logged with the source, at most once per source and interval
 * (shared/lograte.c).  An accepted NOTIFY starts an SOA check at once,
 * unless it carries a serial that is not newer than ours; more than
 * NOTIFY_RATE a second for one zone are dropped unanswered.  serverd has
 * checked the question, the zone and the source already (serverd/gate.c)
 * and counts the NOTIFYs in flight: each gets an IMSG_NOTIFY_ANSWER, an
 * empty one when dropped.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "lograte.h"
#include "tsig.h"
#include "xfrd.h"

#define NOTIFY_RATE	20	/* per zone and second */

static int	notify_decide(const struct notify_msg *, const uint8_t *,
		    size_t, struct xzone **, struct tsig_ctx **, uint32_t *,
		    int *);
static int	notify_acl(const struct zone_conf *, const struct
		    sockaddr_storage *, const struct tsig_key *, int, char *,
		    size_t);
static void	notify_answer(struct imsgev *, struct notify_msg *,
		    const struct xzone *, const uint8_t *, size_t, int,
		    struct tsig_ctx *);

void
notify_imsg(struct imsgev *iev, struct imsg *imsg)
{
	struct notify_msg	 nm;
	struct tsig_ctx		*ctx = NULL;
	struct xzone		*z = NULL;
	const uint8_t		*pkt;
	size_t			 len = IMSG_DATA_SIZE(*imsg);
	uint32_t		 serial;
	int			 rcode, has_serial = 0;
	time_t			 now = time(NULL);

	if (len < sizeof(nm))
		fatalx("serverd: short IMSG_NOTIFY");
	memcpy(&nm, imsg->data, sizeof(nm));
	if (nm.len != len - sizeof(nm) || nm.len > NOTIFY_MAXLEN ||
	    nm.cmsglen > sizeof(nm.cmsg))
		fatalx("serverd: bad IMSG_NOTIFY");
	pkt = (const uint8_t *)imsg->data + sizeof(nm);
	xstats.notifies++;
	rcode = notify_decide(&nm, pkt, nm.len, &z, &ctx, &serial,
	    &has_serial);
	if (rcode == -1) {
		xstats.notifies_refused++;
		tsig_free(ctx);
		notify_answer(iev, &nm, z, NULL, 0, rcode, NULL);
		return;		/* dropped */
	}
	if (rcode == DNS_R_NOERROR && z != NULL) {
		if (z->notify_sec != now) {
			z->notify_sec = now;
			z->notify_n = 0;
		}
		if (++z->notify_n > NOTIFY_RATE) {
			if (z->notify_n == NOTIFY_RATE + 1)
				log_warnx("zone %s: more than %d NOTIFY a "
				    "second, dropping the rest", z->name,
				    NOTIFY_RATE);
			tsig_free(ctx);
			notify_answer(iev, &nm, z, NULL, 0, -1, NULL);
			return;
		}
	} else
		xstats.notifies_refused++;
	notify_answer(iev, &nm, z, pkt, nm.len, rcode, ctx);
	tsig_free(ctx);
	if (rcode != DNS_R_NOERROR || z == NULL)
		return;
	if (has_serial && z->have_serial && !z->expired &&
	    dns_serial_cmp(serial, z->serial) != 1) {
		log_debug("zone %s: NOTIFY from %s for serial %u, ours is %u: "
		    "nothing to do", z->name, sa_str(&nm.from), serial,
		    z->serial);
		return;
	}
	log_info("zone %s: NOTIFY from %s%s", z->name, sa_str(&nm.from),
	    has_serial ? "" : ", no serial");
	xz_check(z, "NOTIFY");
}

/*
 * The rcode to answer, or -1 to drop (not a NOTIFY we can answer).  *zp
 * is the zone once it is known (for the log of the answer), and on
 * NOERROR *serial when the NOTIFY carries an SOA.
 */
static int
notify_decide(const struct notify_msg *nm, const uint8_t *pkt, size_t len,
    struct xzone **zp, struct tsig_ctx **ctx, uint32_t *serial, int *has)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct dns_soa		 soa;
	struct wire		 w;
	const struct tsig_key	*key = NULL;
	struct xzone		*z;
	uint8_t			 qname[DNS_MAXNAME], rd[DNS_MAXMSG];
	char			 zname[DNS_MAXNAMESTR], why[SECD_MSGLEN];
	char			 note[128];
	const char		*from = sa_str(&nm->from);
	size_t			 qlen, rdlen;
	uint16_t		 qtype, qclass;
	int			 r, err;

	wire_init(&w, pkt, len);
	if (wire_header(&w, &h) == -1 || (h.flags & DNS_F_QR))
		return -1;
	if (h.qdcount != 1 || wire_question(&w, qname, &qlen, &qtype,
	    &qclass) == -1 || qtype != DNS_T_SOA || qclass != DNS_C_IN) {
		if (lograte_ok(&nm->from, note, sizeof(note)))
			log_warnx("NOTIFY from %s: malformed (FORMERR)%s",
			    from, note);
		return DNS_R_FORMERR;
	}
	dns_name_lower(qname, qlen);
	dns_name_to_text(qname, qlen, zname, sizeof(zname));
	if ((z = xfrd_zone_apex(qname, qlen)) == NULL || z->conf == NULL) {
		if (lograte_ok(&nm->from, note, sizeof(note)))
			log_warnx("NOTIFY from %s for %s: not a zone of ours "
			    "(REFUSED)%s", from, zname, note);
		return DNS_R_REFUSED;
	}
	*zp = z;
	r = tsig_verify_request(pkt, len, time(NULL), xfrd_keys(), &key, ctx,
	    &err);
	if (r == -1) {
		if (lograte_ok(&nm->from, note, sizeof(note)))
			log_warnx("zone %s: NOTIFY from %s: TSIG %s (%s)%s",
			    z->name, from, tsig_strerror(err),
			    err == DNS_R_FORMERR ? "FORMERR" : *ctx != NULL ?
			    "NOTAUTH" : "SERVFAIL", note);
		if (err == DNS_R_FORMERR)
			return DNS_R_FORMERR;
		return *ctx != NULL ? DNS_R_NOTAUTH : DNS_R_SERVFAIL;
	}
	if (notify_acl(z->conf, &nm->from, key, r == 1, why,
	    sizeof(why)) == -1) {
		if (lograte_ok(&nm->from, note, sizeof(note)))
			log_warnx("zone %s: NOTIFY from %s: %s (REFUSED)%s",
			    z->name, from, why, note);
		return DNS_R_REFUSED;
	}
	/* RFC 1996 section 3.7: the SOA in the answer section, a hint */
	for (; h.ancount > 0; h.ancount--) {
		if (wire_rr(&w, &rr) == -1)
			break;
		if (rr.type == DNS_T_SOA && dns_name_equal(rr.owner,
		    rr.ownerlen, z->apex, z->apexlen) &&
		    rdata_expand_msg(&w, &rr, rd, sizeof(rd), &rdlen) == 0 &&
		    dns_soa_parse(rd, rdlen, &soa) == 0) {
			*serial = soa.serial;
			*has = 1;
			break;
		}
	}
	return DNS_R_NOERROR;
}

/* 0 if an "allow notify" entry of zc takes this source and key. */
static int
notify_acl(const struct zone_conf *zc, const struct sockaddr_storage *from,
    const struct tsig_key *key, int nokey, char *why, size_t whylen)
{
	const struct notify_acl	*n;
	const char		*want = NULL;

	TAILQ_FOREACH(n, &zc->opts->notifies, entry) {
		if (!sa_addr_eq(&n->ss, from))
			continue;
		if (n->tsig[0] == '\0' ? nokey :
		    !nokey && strcmp(n->tsig, key->name) == 0)
			return 0;
		want = n->tsig;
	}
	if (want == NULL)
		snprintf(why, whylen, "source not allowed (no allow notify "
		    "from it)");
	else if (want[0] == '\0')
		snprintf(why, whylen, "signed with key %.100s, allow "
		    "notify wants it unsigned", key->name);
	else if (nokey)
		snprintf(why, whylen, "not signed, allow notify wants key "
		    "%.100s", want);
	else
		snprintf(why, whylen, "signed with key %.100s, allow "
		    "notify wants key %.100s", key->name, want);
	return -1;
}

/*
 * The answer: header and question echoed, rcode (AA if accepted), signed;
 * rcode -1: none, the NOTIFY is dropped (serverd is told so).  z, the
 * zone, is known whenever ctx is (the key is the zone's to check).
 */
static void
notify_answer(struct imsgev *iev, struct notify_msg *nm,
    const struct xzone *z, const uint8_t *q, size_t qlen, int rcode,
    struct tsig_ctx *ctx)
{
	uint8_t			 ans[512 + TSIG_MAXRRLEN];
	size_t			 len;
	struct ibuf		*buf;

	len = 0;
	if (rcode == -1 || (len = dns_reply_head(q, qlen, rcode ==
	    DNS_R_NOERROR ? DNS_F_AA : 0, rcode, ans, sizeof(ans))) == 0)
		goto send;
	if (ctx != NULL && tsig_sign(ctx, ans, &len, sizeof(ans), time(NULL),
	    TSIG_FUDGE, 0) == -1)
		log_warnx("zone %s: NOTIFY from %s: cannot sign the answer",
		    z->name, sa_str(&nm->from));
 send:
	nm->len = len;
	if ((buf = imsg_create(&iev->ibuf, IMSG_NOTIFY_ANSWER, 0, 0,
	    sizeof(*nm) + len)) == NULL ||
	    imsg_add(buf, nm, sizeof(*nm)) == -1 ||
	    imsg_add(buf, ans, len) == -1)
		fatal("%s", __func__);
	imsg_close(&iev->ibuf, buf);
	iev_add(iev);
}
