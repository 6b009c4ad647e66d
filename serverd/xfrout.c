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
 * Transfers out (AXFR, RFC 5936; IXFR, RFC 1995) of what serverd serves,
 * to the clients a zone's provide transfer names (secd.conf(5)).  The
 * records are those of the image served when the request came (image.h,
 * IMG_Z_XFROUT): the merged view, never the origin's addresses of a
 * proxied name, and the SOA with secd's own serial.  The image is held
 * (zones_hold) and its name entries listed at the start, so a change
 * served meanwhile does not touch the transfer: it sends the version it
 * began with, whole.
 *
 * An IXFR whose serial is the one served (or later) is answered with the
 * SOA alone; any other with the whole zone, as RFC 1995 section 4 allows
 * (secd keeps no history of its versions yet).  Over UDP an IXFR gets the
 * SOA alone (RFC 1995 section 2: "use TCP"), an AXFR REFUSED.  A client
 * that provide transfer does not name, or not with the key it signed
 * with, gets REFUSED with Extended DNS Error 18 (Prohibited, RFC 8914); a
 * request whose TSIG fails gets NOTAUTH with the TSIG error (RFC 8945).
 * Every message of a transfer to a signed request is signed.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "dns.h"
#include "image.h"
#include "log.h"
#include "lograte.h"
#include "serverd.h"
#include "tsig.h"
#include "xfrout.h"
#include "zones.h"

#define XO_MSGMAX	16384	/* records of one message, at most */
#define XO_TAIL		(11 + TSIG_MAXRRLEN)	/* OPT and TSIG after */
#define XO_N3BUF	(2 * (DNS_HDRLEN + DNS_MAXNAME + 4 + 65536))
#define XO_SAMEMAX	512	/* records of a name compared (xo_in) */
#define XO_EDNS_SIZE	1232
#define XO_SOA_SERIAL	20	/* the serial's offset from the rdata end */

/*
 * An AXFR: XO_SOA1, XO_NAMES, XO_NSEC3, XO_SOA2.  An IXFR of versions
 * kept: XO_SOA1, then for each step XO_OLDSOA, XO_DEL, XO_NEWSOA,
 * XO_ADD, then XO_SOA2.
 */
enum xo_phase {
	XO_SOA1, XO_NAMES, XO_NSEC3, XO_OLDSOA, XO_DEL, XO_NEWSOA, XO_ADD,
	XO_SOA2, XO_DONE
};

/* The records of a block being read. */
struct xo_cur {
	const uint8_t		*rp, *rend;
	uint32_t		 rleft;
};

/* One record to send: its owner, then type to rdata (rest). */
struct xo_rr {
	const uint8_t		*owner;
	size_t			 ownerlen;
	const uint8_t		*rest;
	size_t			 restlen;
};

struct xfrout {
	TAILQ_ENTRY(xfrout)	 entry;		/* xfrs, once begun */
	int			 listed;
	int			 failed;	/* the image did not read */
	/* compression in the message being made (xo_owner) */
	uint8_t			 prevname[DNS_MAXNAME];	/* the last owner */
	size_t			 prevlen;
	size_t			 prevoff;	/* where it is, 0: nowhere */
	size_t			 apexoff;	/* where the apex is, 0: ... */
	struct zone_hold	*hold;
	const uint8_t		*img;
	size_t			 size;		/* of the image at the start */
	struct image_header	 h;		/* ... and its header */
	uint32_t		*names;		/* its name entries */
	size_t			 nnames, ni;
	size_t			 di;		/* next NSEC3 of the index */
	enum xo_phase		 phase;
	struct xo_rr		 soa;
	struct xo_rr		 cur;		/* the record to send next */
	int			 have;		/* cur is loaded */
	struct xo_cur		 c;		/* the block being sent */
	uint32_t		 other;		/* IXFR: the pair's other */
	uint32_t		*steps;		/* IXFR: the steps, in order */
	size_t			 nsteps, si, pi;
	uint8_t			*n3buf;		/* NSEC3 records decoded */
	size_t			 n3len, n3off;
	/* the request */
	uint16_t		 id;
	uint8_t			 qname[DNS_MAXNAME];
	size_t			 qnamelen;
	uint16_t		 qtype;
	int			 edns;
	struct tsig_ctx		*tsig;
	uint32_t		 msgs;
	/* for the log and the counters */
	struct sockaddr_storage	 from;
	char			 zone[SECD_NAMESTRLEN];
	time_t			 start;
	uint64_t		 records, bytes;
};

/* A request as read (xo_parse). */
struct xo_req {
	struct dns_header	 h;
	uint8_t			 qname[DNS_MAXNAME];
	size_t			 qnamelen;
	uint16_t		 qtype, qclass;
	int			 edns;
	int			 hassoa;	/* IXFR: the client's SOA */
	uint32_t		 serial;	/* ... its serial */
};

static int	xo_parse(const uint8_t *, size_t, struct xo_req *);
static size_t	xo_reply(const struct xo_req *, int, int, struct tsig_ctx *,
		    uint8_t *, size_t);
static int	xo_allowed(const struct served_zone *,
		    const struct sockaddr_storage *, const struct tsig_key *);
static int	xo_from(const struct sockaddr_storage *);
static struct xfrout *xo_new(struct served_zone *, const struct xo_req *,
		    int);
static size_t	xo_auth(const struct xo_req *, struct served_zone *,
		    const uint8_t *, size_t, const struct sockaddr_storage *, int,
		    const struct tsig_keys *, struct tsig_ctx **, uint8_t *,
		    size_t);
static int	xo_soa(struct xfrout *);
static int	xo_soa_of(struct xfrout *, uint32_t, struct xo_rr *);
static int	xo_block(const struct xfrout *, uint32_t, struct xo_cur *);
static int	xo_rr_at(struct xo_cur *, struct xo_rr *);
static uint16_t	xo_rr_type(const struct xo_rr *);
static int	xo_in(const struct xfrout *, uint32_t, const struct xo_rr *);
static int	xo_load_step(struct xfrout *);
static int	xo_steps(struct xfrout *, uint32_t);
static int	xo_nsec3(struct xfrout *);
static int	xo_load(struct xfrout *);
static size_t	xo_uptodate(struct xfrout *, uint8_t *, size_t);
static int	xo_sign(struct tsig_ctx *, uint8_t *, size_t *, size_t);
static void	xo_refused(const struct sockaddr_storage *, const char *,
		    const char *);

static TAILQ_HEAD(, xfrout) xfrs = TAILQ_HEAD_INITIALIZER(xfrs);
static int	 nxfrs;
static int	 lim_max = SECD_XFROUT_CONCURRENT;
static int	 lim_source = SECD_XFROUT_PER_SOURCE;

/* provide transfer max-concurrent and max-per-source (secd.conf(5)). */
void
xfrout_configure(int max, int per_source)
{
	lim_max = max;
	lim_source = per_source;
}

/* The request q: 0, or -1 when it is not one to answer (FORMERR). */
static int
xo_parse(const uint8_t *q, size_t qlen, struct xo_req *r)
{
	struct wire	 w;
	struct dns_rr	 rr;
	size_t		 i, n;

	memset(r, 0, sizeof(r[0]));
	wire_init(&w, q, qlen);
	if (wire_header(&w, &r->h) == -1 || r->h.qdcount != 1 ||
	    wire_question(&w, r->qname, &r->qnamelen, &r->qtype,
	    &r->qclass) == -1)
		return (-1);
	n = (size_t)r->h.ancount + r->h.nscount + r->h.arcount;
	for (i = 0; i < n; i++) {
		if (wire_rr(&w, &rr) == -1)
			return (-1);
		if (i < r->h.ancount)
			return (-1);
		if (i < (size_t)r->h.ancount + r->h.nscount) {
			/* RFC 1995 section 3: the client's SOA */
			if (rr.type != DNS_T_SOA || r->hassoa ||
			    rr.rdlen < XO_SOA_SERIAL)
				return (-1);
			r->hassoa = 1;
			memcpy(&r->serial, rr.rdata + rr.rdlen - XO_SOA_SERIAL,
			    4);
			r->serial = ntohl(r->serial);
		} else if (rr.type == DNS_T_OPT)
			r->edns = 1;
	}
	if (w.err || (r->qtype == DNS_T_IXFR && !r->hassoa))
		return (-1);
	dns_name_lower(r->qname, r->qnamelen);
	return (0);
}

/*
 * A reply without records to r (rcode; with ede, Extended DNS Error 18
 * when the request had an OPT), signed with ctx if not NULL.  Its length,
 * 0 when none fits.
 */
static size_t
xo_reply(const struct xo_req *r, int rcode, int ede, struct tsig_ctx *ctx,
    uint8_t *resp, size_t cap)
{
	struct dns_header	 h;
	struct wbuf		 w;
	size_t			 len;

	memset(&h, 0, sizeof(h));
	h.id = r->h.id;
	h.flags = DNS_F_QR | (r->h.flags & DNS_F_RD) | (rcode & 0xf);
	h.qdcount = 1;
	h.arcount = r->edns;
	wbuf_init(&w, resp, cap);
	wbuf_header(&w, &h);
	wbuf_bytes(&w, r->qname, r->qnamelen);
	wbuf_u16(&w, r->qtype);
	wbuf_u16(&w, r->qclass);
	if (r->edns) {
		wbuf_u8(&w, 0);
		wbuf_u16(&w, DNS_T_OPT);
		wbuf_u16(&w, XO_EDNS_SIZE);
		wbuf_u32(&w, 0);
		wbuf_u16(&w, ede ? 6 : 0);
		if (ede) {
			wbuf_u16(&w, DNS_OPT_EDE);
			wbuf_u16(&w, 2);
			wbuf_u16(&w, DNS_EDE_PROHIBITED);
		}
	}
	if (w.err)
		return (0);
	len = w.len;
	if (ctx != NULL && xo_sign(ctx, resp, &len, cap) == -1)
		return (0);
	return (len);
}

/* Sign a message of the answer; -1 when it cannot be. */
static int
xo_sign(struct tsig_ctx *ctx, uint8_t *msg, size_t *len, size_t cap)
{
	return (tsig_sign(ctx, msg, len, cap, time(NULL), TSIG_FUDGE, 0));
}

/*
 * 1 if provide transfer of z lets the client at ss have it: an entry
 * whose network holds ss, with no key or with key (the request's, valid;
 * NULL when it was not signed).
 */
static int
xo_allowed(const struct served_zone *z, const struct sockaddr_storage *ss,
    const struct tsig_key *key)
{
	const struct xfrout_acl	*x;

	if (z->conf == NULL)
		return (0);
	TAILQ_FOREACH(x, &z->conf->opts->xfrouts, entry)
		if (config_prefix_match(&x->net, (const struct sockaddr *)ss) &&
		    (x->tsig[0] == '\0' || (key != NULL &&
		    strcmp(x->tsig, key->name) == 0)))
			return (1);
	return (0);
}

static void
xo_refused(const struct sockaddr_storage *ss, const char *zone,
    const char *why)
{
	char	 note[128];

	if (lograte_ok(ss, note, sizeof(note)))
		log_warnx("zone %s: transfer out to %s refused: %s%s", zone,
		    sa_str(ss), why, note);
}

/*
 * Whether the request r (q, qlen bytes) for z from `from' may have it:
 * 0 with *ctx its TSIG context (NULL when unsigned), or the length of
 * the refusal in resp.
 */
static size_t
xo_auth(const struct xo_req *r, struct served_zone *z, const uint8_t *q,
    size_t qlen, const struct sockaddr_storage *from, int tcp,
    const struct tsig_keys *keys, struct tsig_ctx **ctx, uint8_t *resp,
    size_t cap)
{
	const struct tsig_key	*key = NULL;
	const char		*why = NULL;
	size_t			 n;
	int			 terr, rcode = DNS_R_REFUSED;

	*ctx = NULL;
	if (tsig_verify_request(q, qlen, time(NULL), keys, &key, ctx,
	    &terr) == -1) {
		why = tsig_strerror(terr);
		rcode = terr == DNS_R_FORMERR ? DNS_R_FORMERR :
		    terr == TSIG_E_INTERNAL ? DNS_R_SERVFAIL : DNS_R_NOTAUTH;
	} else if (!tcp && r->qtype == DNS_T_AXFR)
		why = "AXFR over UDP";
	else if (!xo_allowed(z, from, key))
		why = key != NULL ? "no provide transfer for this address "
		    "and key" : "no provide transfer for this address";
	if (why == NULL)
		return (0);
	xo_refused(from, z->conf->name, why);
	stats.xfrout_refused++;
	n = xo_reply(r, rcode, rcode == DNS_R_REFUSED, *ctx, resp, cap);
	tsig_free(*ctx);
	*ctx = NULL;
	return (n);
}

size_t
xfrout_begin(const uint8_t *q, size_t qlen,
    const struct sockaddr_storage *from, int tcp,
    const struct tsig_keys *keys, uint8_t *resp, size_t cap,
    struct xfrout **xop)
{
	const struct image_header	*h;
	struct tsig_ctx			*ctx;
	struct served_zone		*z;
	struct xfrout			*xo;
	struct xo_req			 r;
	size_t				 n;
	int				 soa, busy;

	*xop = NULL;
	if (xo_parse(q, qlen, &r) == -1) {
		stats.xfrout_refused++;
		return (dns_reply_head(q, qlen, 0, DNS_R_FORMERR, resp, cap));
	}
	z = (struct served_zone *)zones_find(r.qname, r.qnamelen);
	if (z == NULL || z->namelen != r.qnamelen ||
	    memcmp(z->name, r.qname, r.qnamelen) != 0 ||
	    r.qclass != DNS_C_IN) {
		stats.xfrout_refused++;
		return (xo_reply(&r, DNS_R_REFUSED, 0, NULL, resp, cap));
	}
	if ((n = xo_auth(&r, z, q, qlen, from, tcp, keys, &ctx, resp,
	    cap)) > 0)
		return (n);
	h = z->img != NULL ? (const struct image_header *)z->img : NULL;
	/* up to date, or UDP: the SOA alone; else a transfer, if one may */
	soa = !tcp || (h != NULL && r.qtype == DNS_T_IXFR &&
	    dns_serial_cmp(r.serial, h->served) >= 0);
	busy = !soa && (nxfrs >= lim_max || xo_from(from) >= lim_source);
	if (busy || (xo = xo_new(z, &r, !soa)) == NULL) {
		if (busy)
			xo_refused(from, z->conf->name, "too many transfers "
			    "out at once; try later");
		else
			log_warnx("zone %s: transfer out to %s: not possible "
			    "now (no image, or no records in it yet: zoned "
			    "builds it again)", z->conf->name, sa_str(from));
		stats.xfrout_failed++;
		n = xo_reply(&r, DNS_R_SERVFAIL, 0, ctx, resp, cap);
		tsig_free(ctx);
		return (n);
	}
	xo->tsig = ctx;
	xo->from = *from;
	if (soa) {
		n = xo_uptodate(xo, resp, cap);
		xfrout_free(xo);
		return (n);
	}
	/* the versions since the client's, when kept; else the zone */
	if (r.qtype == DNS_T_IXFR && xo_steps(xo, r.serial) == -1) {
		free(xo->steps);
		xo->steps = NULL;
		xo->nsteps = 0;
	}
	TAILQ_INSERT_TAIL(&xfrs, xo, entry);
	xo->listed = 1;
	nxfrs++;
	*xop = xo;
	return (0);
}

/* The transfers out in progress to the address of ss. */
static int
xo_from(const struct sockaddr_storage *ss)
{
	const struct xfrout	*xo;
	int			 n = 0;

	TAILQ_FOREACH(xo, &xfrs, entry)
		n += sa_addr_eq(&xo->from, ss);
	return (n);
}

/*
 * A transfer of z's image as served now: held, its name entries listed,
 * its SOA found.  NULL when out of memory or the image has no records
 * (IMG_Z_XFROUT: built before provide transfer was configured).
 */
static struct xfrout *
xo_new(struct served_zone *z, const struct xo_req *r, int full)
{
	struct xfrout		*xo;
	const uint32_t		*hash;
	size_t			 i;

	if (z->img == NULL || z->expired || z->size < sizeof(xo->h))
		return (NULL);
	if ((xo = calloc(1, sizeof(*xo))) == NULL)
		return (NULL);
	memcpy(&xo->h, z->img, sizeof(xo->h));
	if (!(xo->h.flags & IMG_Z_XFROUT) || (full &&
	    (xo->names = reallocarray(NULL, xo->h.nnames + 1,
	    sizeof(*xo->names))) == NULL) ||
	    (xo->hold = zones_hold(z)) == NULL) {
		free(xo->names);
		free(xo);
		return (NULL);
	}
	xo->img = z->img;
	xo->size = z->size;
	/* the names of the image now: an overlay rewrites its hash table */
	hash = (const uint32_t *)(z->img + xo->h.hash_off);
	for (i = 0; full && i < xo->h.hash_size &&
	    xo->nnames <= xo->h.nnames; i++)
		if (hash[i] != 0)
			xo->names[xo->nnames++] = hash[i];
	xo->id = r->h.id;
	memcpy(xo->qname, r->qname, r->qnamelen);
	xo->qnamelen = r->qnamelen;
	xo->qtype = r->qtype;
	xo->edns = r->edns;
	strlcpy(xo->zone, z->conf->name, sizeof(xo->zone));
	xo->start = time(NULL);
	if (xo->nnames > xo->h.nnames || xo_soa(xo) == -1) {
		xfrout_free(xo);
		return (NULL);
	}
	return (xo);
}

/* The apex's SOA, the first and last record: -1 without one. */
static int
xo_soa(struct xfrout *xo)
{
	const struct image_name	*apex;

	apex = image_name_at(xo->img, xo->h.apex_off);
	return (xo_soa_of(xo, apex->rec_off, &xo->soa));
}

/* The SOA in the block at off into rr: 0, or -1 without one. */
static int
xo_soa_of(struct xfrout *xo, uint32_t off, struct xo_rr *rr)
{
	struct xo_cur	 c;

	if (xo_block(xo, off, &c) == -1)
		return (-1);
	while (c.rleft > 0 && xo_rr_at(&c, rr) == 0)
		if (xo_rr_type(rr) == DNS_T_SOA)
			return (0);
	return (-1);
}

/* c on the records of the block at off (0: none). */
static int
xo_block(const struct xfrout *xo, uint32_t off, struct xo_cur *c)
{
	const struct image_recs	*r;

	c->rleft = 0;
	if (off == 0)
		return (0);
	/* image_check made sure of it: the block is whole */
	if (off % 4 != 0 || off > xo->size ||
	    xo->size - off < sizeof(*r))
		return (-1);
	r = (const struct image_recs *)(xo->img + off);
	if (r->len > xo->size - off - sizeof(*r))
		return (-1);
	c->rp = (const uint8_t *)(r + 1);
	c->rend = c->rp + r->len;
	c->rleft = r->count;
	return (0);
}

/*
 * The record at c->rp, of rleft: rr, and rp moves past it.  -1 when
 * the block ends before it (never, once image_check accepted it).
 */
static int
xo_rr_at(struct xo_cur *c, struct xo_rr *rr)
{
	const uint8_t	*p = c->rp;
	size_t		 left = c->rend - p, o = 0;
	uint16_t	 rdlen;

	while (o < left && p[o] != 0 && p[o] <= 63)
		o += p[o] + 1;
	if (o >= left || p[o] != 0 || o + 1 > DNS_MAXNAME ||
	    left - o - 1 < 10)
		return (-1);
	rr->owner = p;
	rr->ownerlen = o + 1;
	rr->rest = p + o + 1;
	memcpy(&rdlen, rr->rest + 8, 2);
	rr->restlen = 10 + ntohs(rdlen);
	if (rr->restlen > left - rr->ownerlen)
		return (-1);
	c->rp += rr->ownerlen + rr->restlen;
	c->rleft--;
	return (0);
}

static uint16_t
xo_rr_type(const struct xo_rr *rr)
{
	uint16_t	 type;

	memcpy(&type, rr->rest, 2);
	return (ntohs(type));
}

/*
 * 1 if the block at off holds rr, byte for byte.  A block of more than
 * XO_SAMEMAX records is not searched (0): the IXFR then deletes and adds
 * what both versions hold, as RFC 1995 allows, rather than cost the
 * square of its size.
 */
static int
xo_in(const struct xfrout *xo, uint32_t off, const struct xo_rr *rr)
{
	struct xo_cur	 c;
	struct xo_rr	 o;

	if (off == 0 || xo_block(xo, off, &c) == -1 || c.rleft > XO_SAMEMAX)
		return (0);
	while (c.rleft > 0 && xo_rr_at(&c, &o) == 0)
		if (o.ownerlen == rr->ownerlen && o.restlen == rr->restlen &&
		    memcmp(o.owner, rr->owner, o.ownerlen) == 0 &&
		    memcmp(o.rest, rr->rest, o.restlen) == 0)
			return (1);
	return (0);
}

/*
 * The records of the next NSEC3 of the denial index, from its proof
 * blob (image.h: compressed against the apex in the question) into
 * n3buf, uncompressed.  0, or -1 on a blob that does not read.
 */
static int
xo_nsec3(struct xfrout *xo)
{
	const struct image_nsec3	*e;
	const struct image_blob		*b;
	struct dns_rr			 rr;
	struct wire			 w;
	struct wbuf			 out;
	uint8_t				*msg;
	size_t				 qoff, n, i;

	/* image_check read them; the bounds again cost nothing */
	if (xo->h.denial_off > xo->size || (xo->size - xo->h.denial_off) /
	    sizeof(*e) <= xo->di)
		return (-1);
	e = (const struct image_nsec3 *)(xo->img + xo->h.denial_off) +
	    xo->di++;
	if (e->proof_off > xo->size || xo->size - e->proof_off < sizeof(*b))
		return (-1);
	b = image_blob_at(xo->img, e->proof_off);
	if ((size_t)b->nfix * 2 + b->len > xo->size - e->proof_off -
	    sizeof(*b) || (b->flags & IMG_B_PROOF))
		return (-1);
	qoff = DNS_HDRLEN + xo->h.apexlen + 4;
	if (xo->n3buf == NULL && (xo->n3buf = malloc(XO_N3BUF)) == NULL)
		return (-1);
	/* the message the blob reads in: a question for the apex, then it */
	msg = xo->n3buf + XO_N3BUF / 2;
	memset(msg, 0, DNS_HDRLEN);
	memcpy(msg + DNS_HDRLEN, xo->h.apex, xo->h.apexlen);
	memset(msg + DNS_HDRLEN + xo->h.apexlen, 0, 4);
	if (b->len > XO_N3BUF / 2 - qoff)
		return (-1);
	memcpy(msg + qoff, image_blob_data(b), b->len);
	wire_init_answer(&w, msg, qoff + b->len);
	w.off = qoff;
	wbuf_init(&out, xo->n3buf, XO_N3BUF / 2);
	n = (size_t)b->ancount + b->nscount + b->arcount;
	for (i = 0; i < n && !w.err && !out.err; i++) {
		if (wire_rr(&w, &rr) == -1)
			return (-1);
		wbuf_bytes(&out, rr.owner, rr.ownerlen);
		wbuf_u16(&out, rr.type);
		wbuf_u16(&out, rr.class);
		wbuf_u32(&out, rr.ttl);
		wbuf_u16(&out, rr.rdlen);
		wbuf_bytes(&out, rr.rdata, rr.rdlen);
	}
	if (w.err || out.err)
		return (-1);
	xo->n3len = out.len;
	xo->n3off = 0;
	xo->c.rp = xo->n3buf;
	xo->c.rend = xo->n3buf + out.len;
	xo->c.rleft = n;
	return (0);
}

/*
 * The next record to send into xo->cur: 1, 0 when the transfer is done,
 * -1 when the image does not read (the transfer is cut).
 */
static int
xo_load(struct xfrout *xo)
{
	const struct image_name	*nm;
	uint32_t		 off;
	int			 r;

	if (xo->have)
		return (1);
	for (;;) {
		switch (xo->phase) {
		case XO_SOA1:
		case XO_SOA2:
			xo->cur = xo->soa;
			xo->have = 1;
			return (1);
		case XO_NAMES:
			if (xo->c.rleft > 0) {
				if (xo_rr_at(&xo->c, &xo->cur) == -1)
					return (-1);
				/* the apex's SOA goes first and last only */
				if (xo_rr_type(&xo->cur) == DNS_T_SOA &&
				    xo->ni > 0 &&
				    xo->names[xo->ni - 1] == xo->h.apex_off)
					continue;
				xo->have = 1;
				return (1);
			}
			if (xo->ni == xo->nnames) {
				xo->phase = XO_NSEC3;
				continue;
			}
			off = xo->names[xo->ni++];
			if (off % 4 != 0 || off > xo->size - sizeof(*nm))
				return (-1);
			nm = image_name_at(xo->img, off);
			if (xo_block(xo, nm->rec_off, &xo->c) == -1)
				return (-1);
			break;
		case XO_NSEC3:
			if (xo->c.rleft > 0) {
				if (xo_rr_at(&xo->c, &xo->cur) == -1)
					return (-1);
				xo->have = 1;
				return (1);
			}
			if (!(xo->h.flags & IMG_Z_NSEC3) ||
			    xo->di >= xo->h.ndenial) {
				xo->phase = XO_SOA2;
				continue;
			}
			if (xo_nsec3(xo) == -1)
				return (-1);
			break;
		case XO_DONE:
			return (0);
		default:
			if ((r = xo_load_step(xo)) != 0)
				return (r);
			break;
		}
	}
}

/*
 * xo_load in the steps of an IXFR: 1 with a record in xo->cur, 0 to go
 * on (the phase moved), -1 when the image does not read.
 */
static int
xo_load_step(struct xfrout *xo)
{
	const struct image_step		*st;
	const struct image_steppair	*pr;
	uint32_t			 mine;

	st = (const struct image_step *)(xo->img + xo->steps[xo->si]);
	pr = (const struct image_steppair *)(st + 1);
	switch (xo->phase) {
	case XO_OLDSOA:
	case XO_NEWSOA:
		if (xo_soa_of(xo, xo->phase == XO_OLDSOA ? st->soa_old :
		    st->soa_new, &xo->cur) == -1)
			return (-1);
		xo->phase = xo->phase == XO_OLDSOA ? XO_DEL : XO_ADD;
		xo->pi = 0;
		xo->c.rleft = 0;
		xo->have = 1;
		return (1);
	case XO_DEL:
	case XO_ADD:
		while (xo->c.rleft > 0) {
			if (xo_rr_at(&xo->c, &xo->cur) == -1)
				return (-1);
			if (xo_rr_type(&xo->cur) != DNS_T_SOA &&
			    !xo_in(xo, xo->other, &xo->cur)) {
				xo->have = 1;
				return (1);
			}
		}
		if (xo->pi == st->n) {
			if (xo->phase == XO_DEL)
				xo->phase = XO_NEWSOA;
			else if (++xo->si < xo->nsteps)
				xo->phase = XO_OLDSOA;
			else
				xo->phase = XO_SOA2;
			return (0);
		}
		mine = xo->phase == XO_DEL ? pr[xo->pi].old_recs :
		    pr[xo->pi].new_recs;
		xo->other = xo->phase == XO_DEL ? pr[xo->pi].new_recs :
		    pr[xo->pi].old_recs;
		xo->pi++;
		return (xo_block(xo, mine, &xo->c) == -1 ? -1 : 0);
	default:
		return (-1);
	}
}

/*
 * The steps from the version of serial to the one served, in order, into
 * xo->steps: 0, or -1 when the chain does not reach it (the client gets
 * the whole zone).  Each step is checked as image_check checks the last.
 */
static int
xo_steps(struct xfrout *xo, uint32_t serial)
{
	const struct image_step	*st;
	uint32_t		 off = xo->h.step_off, want = xo->h.served;
	uint32_t		 prev = UINT32_MAX, t;
	size_t			 n = 0, i;

	while (off != 0 && n < IMAGE_MAXSTEPS) {
		if (off >= prev || off % 4 != 0 || off > xo->size ||
		    xo->size - off < sizeof(*st))
			return (-1);
		st = (const struct image_step *)(xo->img + off);
		if (st->to != want || st->n > (xo->size - off - sizeof(*st)) /
		    sizeof(struct image_steppair))
			return (-1);
		if (n % 64 == 0 && (xo->steps = reallocarray(xo->steps, n + 64,
		    sizeof(*xo->steps))) == NULL)
			return (-1);
		xo->steps[n++] = off;
		if (st->from == serial) {
			for (i = 0; i < n / 2; i++) {
				t = xo->steps[i];
				xo->steps[i] = xo->steps[n - 1 - i];
				xo->steps[n - 1 - i] = t;
			}
			xo->nsteps = n;
			return (0);
		}
		want = st->from;
		prev = off;
		off = st->prev_off;
	}
	return (-1);
}

/* The SOA alone: an IXFR that is up to date, or one over UDP. */
static size_t
xo_uptodate(struct xfrout *xo, uint8_t *resp, size_t cap)
{
	size_t	 n;

	xo->phase = XO_SOA2;
	n = xfrout_next(xo, resp, cap);
	if (n > 0)
		stats.xfrout_uptodate++;
	return (n);
}

/*
 * The next message of the transfer into msg (cap bytes, at least 64 KB):
 * its length, 0 when the transfer is done or cannot go on (then
 * xfrout_done() says which).
 */
/*
 * How the owner of xo->cur goes into the message: *lit of its bytes,
 * then a pointer to *ptr (0: none, the owner whole): the owner before
 * when it is the same, else the apex its name ends with (RFC 1035
 * section 4.1.4), byte for byte as the message holds them.
 */
static void
xo_owner(const struct xfrout *xo, const uint8_t *msg, size_t *lit,
    size_t *ptr)
{
	const uint8_t	*o = xo->cur.owner;
	size_t		 olen = xo->cur.ownerlen, alen = xo->h.apexlen, i;

	*lit = olen;
	*ptr = 0;
	if (xo->prevoff != 0 && olen == xo->prevlen &&
	    memcmp(o, xo->prevname, olen) == 0) {
		*lit = 0;
		*ptr = xo->prevoff;
		return;
	}
	if (xo->apexoff == 0 || olen < alen ||
	    memcmp(o + olen - alen, msg + xo->apexoff, alen) != 0)
		return;
	/* the apex's bytes start a label of the owner */
	for (i = 0; i < olen - alen; i += (size_t)o[i] + 1)
		;
	if (i == olen - alen) {
		*lit = i;
		*ptr = xo->apexoff;
	}
}

size_t
xfrout_next(struct xfrout *xo, uint8_t *msg, size_t cap)
{
	struct dns_header	 h;
	struct wbuf		 w;
	size_t			 len, need, room, lit, ptr;
	int			 rv;

	if (xo->phase == XO_DONE)
		return (0);
	memset(&h, 0, sizeof(h));
	h.id = xo->id;
	h.flags = DNS_F_QR | DNS_F_AA;
	h.qdcount = xo->msgs == 0;
	h.arcount = xo->msgs == 0 && xo->edns;
	wbuf_init(&w, msg, cap);
	wbuf_header(&w, &h);
	xo->prevoff = xo->apexoff = 0;
	if (xo->msgs == 0) {
		/* the question is the apex, in lower case, at 12 */
		xo->apexoff = w.len;
		wbuf_bytes(&w, xo->qname, xo->qnamelen);
		wbuf_u16(&w, xo->qtype);
		wbuf_u16(&w, DNS_C_IN);
	}
	room = XO_MSGMAX;
	while ((rv = xo_load(xo)) == 1) {
		xo_owner(xo, msg, &lit, &ptr);
		need = lit + (ptr != 0 ? 2 : 0) + xo->cur.restlen;
		if (h.ancount > 0 && w.len + need > room)
			break;
		if (w.len + need > cap - XO_TAIL || h.ancount == UINT16_MAX) {
			rv = h.ancount > 0 ? 1 : -1;
			break;
		}
		/*
		 * Pointers reach 0x3fff: what lies past is not pointed at;
		 * a pointer alone is not either (no chains of pointers).
		 */
		if (w.len <= 0x3fff && lit > 0) {
			xo->prevoff = w.len;
			memcpy(xo->prevname, xo->cur.owner, xo->cur.ownerlen);
			xo->prevlen = xo->cur.ownerlen;
			if (ptr == 0 && xo->apexoff == 0 &&
			    xo->cur.ownerlen == xo->h.apexlen)
				xo->apexoff = w.len;
		}
		wbuf_bytes(&w, xo->cur.owner, lit);
		if (ptr != 0)
			wbuf_u16(&w, 0xc000 | ptr);
		wbuf_bytes(&w, xo->cur.rest, xo->cur.restlen);
		h.ancount++;
		xo->records++;
		xo->have = 0;
		if (xo->phase == XO_SOA1)
			xo->phase = xo->nsteps > 0 ? XO_OLDSOA : XO_NAMES;
		else if (xo->phase == XO_SOA2) {
			xo->phase = XO_DONE;
			rv = 0;
			break;
		}
	}
	if (rv == -1 || w.err) {
		xo->failed = 1;
		xo->phase = XO_DONE;
		return (0);
	}
	if (h.arcount) {
		wbuf_u8(&w, 0);
		wbuf_u16(&w, DNS_T_OPT);
		wbuf_u16(&w, XO_EDNS_SIZE);
		wbuf_u32(&w, 0);
		wbuf_u16(&w, 0);
	}
	wbuf_set_u16(&w, 6, h.ancount);
	len = w.len;
	if (w.err || (xo->tsig != NULL && xo_sign(xo->tsig, msg, &len,
	    cap) == -1)) {
		xo->failed = 1;
		xo->phase = XO_DONE;
		return (0);
	}
	xo->msgs++;
	xo->bytes += len;
	return (len);
}

/* 1 once the transfer sent its last message, -1 if it was cut, else 0. */
int
xfrout_done(const struct xfrout *xo)
{
	if (xo->failed)
		return (-1);
	return (xo->phase == XO_DONE);
}

/* The transfer is over (done, cut, or the client went): logged, freed. */
void
xfrout_free(struct xfrout *xo)
{
	if (xo == NULL)
		return;
	if (xo->listed) {
		TAILQ_REMOVE(&xfrs, xo, entry);
		nxfrs--;
		if (xo->phase == XO_DONE && !xo->failed) {
			stats.xfrout_done++;
			log_info("zone %s: %s out to %s, serial %u: %llu "
			    "records, %llu bytes in %lld s", xo->zone,
			    xo->qtype == DNS_T_AXFR ? "AXFR" : xo->nsteps > 0 ?
			    "IXFR" : "IXFR (the whole zone)", sa_str(&xo->from),
			    xo->h.served,
			    (unsigned long long)xo->records,
			    (unsigned long long)xo->bytes,
			    (long long)(time(NULL) - xo->start));
		} else {
			stats.xfrout_failed++;
			log_warnx("zone %s: transfer out to %s cut after "
			    "%llu records: %s", xo->zone, sa_str(&xo->from),
			    (unsigned long long)xo->records, xo->failed ?
			    "a record of the image did not read" :
			    "the client went away or was too slow");
		}
	}
	zones_release(xo->hold);
	tsig_free(xo->tsig);
	free(xo->names);
	free(xo->steps);
	free(xo->n3buf);
	free(xo);
}
