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
 * The query path: parse and check the query, find its zone, look the
 * name up in the zone's image and copy the prepared answer behind the
 * query's own question (which keeps its case), moving the compression
 * pointers the blob lists when the query name is longer than the name
 * the blob was made for (shared/image.h).  With the DO bit, in a signed
 * zone, the blob is the DO one, and the proofs of denial go with it: the
 * blob's own, the closest encloser's, and the one record that depends on
 * the query name, found in the zone's denial index (shared/denial.h).
 * No allocation; every image offset followed here was checked by
 * image_check() when it was mapped.
 */

#include <sys/types.h>

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "cookie.h"
#include "denial.h"
#include "dns.h"
#include "image.h"
#include "secd.h"
#include "zones.h"

#define OPT_LEN		11	/* root owner, type, class, TTL, RDLENGTH */
#define OPT_COOKIE_LEN	(4 + COOKIE_CLIENTLEN + COOKIE_SERVERLEN)
#define EDNS_UDPSIZE	1232
#define PTR_MAXOFF	0x3fff

#define Q_OK		-2
#define Q_DROP		-1
#define MAXEXTRA	3	/* proofs a query adds */
#define MAXPROOFS	(1 + IMAGE_MAXPROOF + MAXEXTRA)	/* and the SOA */

/* How the name was found (lookup). */
enum fkind { F_NAME, F_WILD, F_NX, F_CUT, F_DNAME };

struct found {
	enum fkind		 kind;
	const struct image_name	*name;	/* F_NAME, F_WILD: whose table */
	const struct image_name	*ce;	/* closest encloser, if not F_NAME */
	size_t			 ncoff;	/* next closer name in lname */
	int			 nodata;/* F_WILD: its own NODATA */
};

/* The proofs of a DO reply, each once. */
struct proofs {
	uint32_t		 off[MAXPROOFS];
	size_t			 n;
};

struct query {
	struct dns_header	 h;
	const uint8_t		*qname;		/* in the query, its case */
	size_t			 qnamelen;
	uint8_t			 lname[DNS_MAXNAME];	/* lower case */
	uint16_t		 qtype;
	uint16_t		 qclass;
	int			 hasq;		/* the question was read */
	int			 edns;
	uint16_t		 udpsize;
	uint8_t			 version;
	int			 dobit;
	int			 dnssec;	/* DO, in a signed zone */
	uint16_t		 aa;		/* DNS_F_AA, 0 for QCLASS * */
	const uint8_t		*cc;		/* client cookie, or NULL */
	const uint8_t		*sc;		/* its server cookie */
	size_t			 sclen;
	int			 cookie;	/* answer with cookie[] */
	int			 tsig;		/* it has a TSIG record */
	uint8_t			 cookie_sc[COOKIE_SERVERLEN];
};

static int	query_question(struct wire *, struct query *);
static int	query_opt(struct query *, const struct dns_rr *, int);
static int	query_records(struct wire *, struct query *);
static int	query_parse(const uint8_t *, size_t, struct query *,
		    struct answer_info *);
static size_t	reply_limit(const struct query *, int, size_t);
static uint16_t	reply_flags(const struct query *, int);
static void	reply_opt(struct wbuf *, const struct query *, int);
static size_t	reply_error(const struct query *, int, uint8_t *, size_t,
		    int, struct answer_info *);
static void	reply_fix(uint8_t *, size_t, size_t, size_t, const uint16_t *,
		    size_t, size_t);
static void	proofs_add(struct proofs *, uint32_t);
static size_t	proof_copy(const struct query *, const struct image_blob *,
		    size_t, struct wbuf *);
static size_t	reply_blob(const struct query *, const uint8_t *,
		    const struct image_blob *, const uint32_t *, size_t,
		    uint8_t *, size_t, struct answer_info *);
static const struct image_name *find_name(const uint8_t *, const uint8_t *,
		    size_t);
static uint32_t	find_rrset(const struct image_name *, uint16_t);
static uint32_t	name_answer(const uint8_t *, const struct image_name *,
		    uint16_t, int, int *);
static int	lookup(const struct served_zone *, const struct query *,
		    struct found *);
static const struct image_blob *answer_blob(const uint8_t *,
		    const struct query *, const struct found *, int,
		    uint32_t *, size_t *);
static int	skip_name(struct wire *);
static int	dname_rr(const struct image_blob *, uint32_t *,
		    const uint8_t **, size_t *);
static int	dname_sigs(const struct image_blob *, struct wbuf *, uint16_t);
static int	dname_chase(const struct query *, const uint8_t *, size_t,
		    struct wbuf *, struct dns_header *);
static size_t	reply_dname(const struct query *, const uint8_t *,
		    const struct image_name *, uint8_t *, size_t,
		    struct answer_info *);
static size_t	reply_tc(const struct query *, int, uint8_t *, size_t,
		    struct answer_info *);
static int	query_cookie(struct query *, const uint8_t *, size_t);
static int	answer_cookie(struct query *, const struct answer_env *,
		    struct answer_info *);
static size_t	opt_len(const struct query *);
static void	rrl_class(const struct query *, const struct served_zone *,
		    const struct found *, const uint8_t *, size_t,
		    struct answer_info *);

/* The question: an uncompressed name (RFC 1035 allows none before it). */
static int
query_question(struct wire *w, struct query *qs)
{
	size_t	 start = w->off;

	if (wire_name_nocomp(w, qs->lname, &qs->qnamelen) == -1 ||
	    wire_u16(w, &qs->qtype) == -1 || wire_u16(w, &qs->qclass) == -1)
		return (-1);
	qs->qname = w->buf + start;
	dns_name_lower(qs->lname, qs->qnamelen);
	return (0);
}

/* RFC 6891 section 6.1.1: one OPT, root owner, in the additional. */
static int
query_opt(struct query *qs, const struct dns_rr *rr, int additional)
{
	struct wire	 o;
	uint16_t	 code, olen;

	if (!additional || qs->edns || rr->ownerlen != 1)
		return (-1);
	qs->edns = 1;
	qs->udpsize = rr->class;
	qs->version = (rr->ttl >> 16) & 0xff;
	qs->dobit = (rr->ttl & 0x8000) != 0;
	wire_init(&o, rr->rdata, rr->rdlen);
	while (o.off < o.len) {
		if (wire_u16(&o, &code) == -1 || wire_u16(&o, &olen) == -1 ||
		    o.len - o.off < olen)
			return (-1);
		if (code == COOKIE_OPTION &&
		    query_cookie(qs, o.buf + o.off, olen) == -1)
			return (-1);
		if (wire_skip(&o, olen) == -1)
			return (-1);
	}
	return (0);
}

/*
 * RFC 7873 section 5.2.2: a client cookie of 8 bytes, a server cookie of
 * 8 to 32 bytes, else FORMERR (-1).  The first COOKIE option counts.
 */
static int
query_cookie(struct query *qs, const uint8_t *p, size_t len)
{
	if (len != COOKIE_CLIENTLEN && (len < COOKIE_CLIENTLEN +
	    COOKIE_SERVERMIN || len > COOKIE_CLIENTLEN + COOKIE_SERVERMAX))
		return (-1);
	if (qs->cc != NULL)
		return (0);
	qs->cc = p;
	qs->sc = p + COOKIE_CLIENTLEN;
	qs->sclen = len - COOKIE_CLIENTLEN;
	return (0);
}

/* The other sections: well formed, ending where the message ends. */
static int
query_records(struct wire *w, struct query *qs)
{
	struct dns_rr	 rr;
	uint32_t	 i, n, nar;

	n = (uint32_t)qs->h.ancount + qs->h.nscount;
	nar = qs->h.arcount;
	for (i = 0; i < n + nar; i++) {
		if (wire_rr(w, &rr) == -1)
			return (-1);
		if (rr.type == DNS_T_OPT && query_opt(qs, &rr, i >= n) == -1)
			return (-1);
		if (rr.type == DNS_T_TSIG)
			qs->tsig = 1;
	}
	return (w->off == w->len ? 0 : -1);
}

/* Q_OK, Q_DROP, or the rcode of the error reply. */
static int
query_parse(const uint8_t *q, size_t len, struct query *qs,
    struct answer_info *ai)
{
	struct wire	 w;
	int		 opcode;

	wire_init(&w, q, len);
	if (wire_header(&w, &qs->h) == -1 || (qs->h.flags & DNS_F_QR))
		return (Q_DROP);
	opcode = (qs->h.flags & DNS_F_OPCODE_MASK) >> DNS_F_OPCODE_SHIFT;
	if (opcode == DNS_OP_NOTIFY) {
		ai->notify = 1;
		return (Q_DROP);
	}
	if (qs->h.qdcount == 1 && query_question(&w, qs) == 0)
		qs->hasq = 1;
	if (opcode != DNS_OP_QUERY)
		return (DNS_R_NOTIMP);
	/* a transfer out: serverd/xfrout.c reads it whole */
	if (qs->hasq && (qs->qtype == DNS_T_AXFR || qs->qtype == DNS_T_IXFR)) {
		ai->xfr = 1;
		return (Q_DROP);
	}
	if (!qs->hasq || query_records(&w, qs) == -1)
		return (DNS_R_FORMERR);
	return (Q_OK);
}

/* RFC 6891 section 6.2.5: never below 512, never above ours. */
static size_t
reply_limit(const struct query *qs, int tcp, size_t cap)
{
	size_t	 limit;

	if (tcp)
		limit = DNS_MAXMSG;
	else if (!qs->edns || qs->udpsize <= DNS_MAXUDP)
		limit = DNS_MAXUDP;
	else if (qs->udpsize > EDNS_UDPSIZE)
		limit = EDNS_UDPSIZE;
	else
		limit = qs->udpsize;
	return (limit < cap ? limit : cap);
}

static uint16_t
reply_flags(const struct query *qs, int rcode)
{
	return (DNS_F_QR | (qs->h.flags & (DNS_F_OPCODE_MASK | DNS_F_RD |
	    DNS_F_CD)) | (rcode & DNS_F_RCODE_MASK));
}

/*
 * Our OPT: 1232 bytes, version 0, DO echoed, the rcode's high bits, and
 * the client's cookie with ours when it sent one (RFC 7873 section 5.2).
 */
static void
reply_opt(struct wbuf *w, const struct query *qs, int rcode)
{
	wbuf_u8(w, 0);
	wbuf_u16(w, DNS_T_OPT);
	wbuf_u16(w, EDNS_UDPSIZE);
	wbuf_u32(w, (uint32_t)((rcode >> 4) & 0xff) << 24 |
	    (qs->dobit ? 0x8000 : 0));
	if (!qs->cookie) {
		wbuf_u16(w, 0);
		return;
	}
	wbuf_u16(w, OPT_COOKIE_LEN);
	wbuf_u16(w, COOKIE_OPTION);
	wbuf_u16(w, COOKIE_CLIENTLEN + COOKIE_SERVERLEN);
	wbuf_bytes(w, qs->cc, COOKIE_CLIENTLEN);
	wbuf_bytes(w, qs->cookie_sc, COOKIE_SERVERLEN);
}

/* The length of our OPT (reply_opt), 0 without EDNS. */
static size_t
opt_len(const struct query *qs)
{
	if (!qs->edns)
		return (0);
	return (OPT_LEN + (qs->cookie ? OPT_COOKIE_LEN : 0));
}

/* A reply without records: the header, the question if read, an OPT. */
static size_t
reply_error(const struct query *qs, int rcode, uint8_t *resp, size_t limit,
    int opt, struct answer_info *ai)
{
	struct dns_header	 h;
	struct wbuf		 w;

	opt = opt && qs->edns;
	memset(&h, 0, sizeof(h));
	h.id = qs->h.id;
	h.flags = reply_flags(qs, rcode);
	h.qdcount = qs->hasq;
	h.arcount = opt;
	wbuf_init(&w, resp, limit);
	wbuf_header(&w, &h);
	if (qs->hasq) {
		wbuf_bytes(&w, qs->qname, qs->qnamelen);
		wbuf_u16(&w, qs->qtype);
		wbuf_u16(&w, qs->qclass);
	}
	if (opt)
		reply_opt(&w, qs, rcode);
	if (w.err) {
		/* only with a tiny buffer: the bare header then */
		h.qdcount = h.arcount = 0;
		wbuf_init(&w, resp, limit);
		if (wbuf_header(&w, &h) == -1)
			return (0);
	}
	ai->rcode = rcode;
	return (w.len);
}

/*
 * Move the n pointers fix[] of blob data copied to p by delta: those in
 * its first head bytes where they are, the others ins bytes further (the
 * proofs went between), none past len (the part copied).
 */
static void
reply_fix(uint8_t *p, size_t head, size_t len, size_t ins,
    const uint16_t *fix, size_t n, size_t delta)
{
	size_t	 i, v, at;

	for (i = 0; delta > 0 && i < n; i++) {
		if ((size_t)fix[i] + 2 > len)
			continue;
		at = fix[i] < head ? fix[i] : fix[i] + ins;
		v = ((size_t)(p[at] & 0x3f) << 8 | p[at + 1]) + delta;
		p[at] = 0xc0 | (v >> 8);
		p[at + 1] = v & 0xff;
	}
}

static void
proofs_add(struct proofs *pf, uint32_t off)
{
	size_t	 i;

	if (off == 0)
		return;
	for (i = 0; i < pf->n; i++)
		if (pf->off[i] == off)
			return;
	if (pf->n < MAXPROOFS)
		pf->off[pf->n++] = off;
}

/*
 * A proof blob (or the SOA tail) copied to w at message offset at (image.h):
 * record by record, each owner's pointer into the question moved by the
 * query name's length, and an owner that repeats the one before it (the
 * RRSIG after the record it signs) written as a pointer to that one
 * (RFC 1035 section 4.1.4), as NSD and Knot compress it: the blob itself
 * points into the question only, so that it reads the same anywhere.
 * Its length in the reply (w NULL: only that); 0 on a malformed blob.
 */
static size_t
proof_copy(const struct query *qs, const struct image_blob *pb, size_t at,
    struct wbuf *w)
{
	static const uint16_t zero[1];
	const uint8_t	*d = image_blob_data(pb);
	const uint16_t	*fix = image_blob_fix(pb);
	uint8_t		*o;
	struct wire	 r;
	size_t		 len = 0, start, n, prev = 0, prevn = 0, prevat = 0, v, k;
	size_t		 delta = pb->nfix > 0 ? qs->qnamelen - pb->base : 0;
	uint16_t	 rdlen;
	int		 i, ptr;

	wire_init(&r, d, pb->len);
	for (i = 0; i < pb->nscount; i++) {
		start = r.off;
		if ((ptr = skip_name(&r)) == -1)
			return (0);
		n = r.off - start;
		if (i > 0 && n == prevn && n > 2 && prevat <= PTR_MAXOFF &&
		    memcmp(d + start, d + prev, n) == 0) {
			if (w != NULL)
				wbuf_u16(w, 0xc000 | prevat);
			len += 2;
		} else {
			prev = start;
			prevn = n;
			prevat = at + len;
			if (w != NULL && ptr) {
				/* labels, then the pointer, moved */
				wbuf_bytes(w, d + start, n - 2);
				v = ((size_t)(d[start + n - 2] & 0x3f) << 8 |
				    d[start + n - 1]) + delta;
				wbuf_u16(w, 0xc000 | (v & PTR_MAXOFF));
			} else if (w != NULL)
				wbuf_bytes(w, d + start, n);
			len += n;
		}
		start = r.off;
		if (wire_skip(&r, 8) == -1 || wire_u16(&r, &rdlen) == -1 ||
		    wire_skip(&r, rdlen) == -1)
			return (0);
		if (w != NULL && w->cap - w->len >= r.off - start) {
			/* the rdata's pointers too (the SOA tail's names) */
			o = w->buf + w->len;
			wbuf_bytes(w, d + start, r.off - start);
			for (k = 0; delta > 0 && k < pb->nfix; k++)
				if (fix[k] >= start && (size_t)fix[k] + 2 <= r.off)
					reply_fix(o + fix[k] - start, 2, 2, 0,
					    zero, 1, delta);
		} else if (w != NULL)
			w->err = 1;
		len += r.off - start;
	}
	return (len);
}

/*
 * The blob behind the question: its answer and authority records, the
 * zone's SOA tail when it is a negative answer (IMG_B_SOA; with DO the
 * signed one), the proofs it lists and those in extra (each once), then
 * its additional records (image.h), every pointer that moves with the
 * query name moved.  What does not fit loses the additional section
 * first (TC if that was needed glue), then all.
 */
static size_t
reply_blob(const struct query *qs, const uint8_t *img,
    const struct image_blob *b, const uint32_t *extra, size_t nextra,
    uint8_t *resp, size_t limit, struct answer_info *ai)
{
	const struct image_header	*ih = (const void *)img;
	const struct image_blob		*pb;
	struct proofs			 pf;
	struct dns_header		 h;
	struct wbuf			 w;
	size_t				 fixed, head, ar, ins = 0, i, n, at;
	uint8_t				*p;

	pf.n = 0;
	if (b->flags & IMG_B_SOA)
		proofs_add(&pf, qs->dnssec ? ih->dsoa_off : ih->soa_off);
	for (i = 0; i < image_blob_nproof(b); i++)
		proofs_add(&pf, image_blob_proof(b, i));
	for (i = 0; i < nextra; i++)
		proofs_add(&pf, extra[i]);
	if (b->nfix > 0 && qs->qnamelen < b->base)
		return (reply_error(qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	memset(&h, 0, sizeof(h));
	h.ancount = b->ancount;
	h.nscount = b->nscount;
	h.arcount = b->arcount;
	fixed = DNS_HDRLEN + qs->qnamelen + 4 + opt_len(qs);
	head = b->arstart;
	ar = b->len - b->arstart;
	at = DNS_HDRLEN + qs->qnamelen + 4 + head;
	for (i = 0; i < pf.n; i++) {
		pb = image_blob_at(img, pf.off[i]);
		if ((pb->nfix > 0 && qs->qnamelen < pb->base) ||
		    (n = proof_copy(qs, pb, at + ins, NULL)) == 0)
			return (reply_error(qs, DNS_R_SERVFAIL, resp, limit, 1,
			    ai));
		ins += n;
		h.nscount += pb->nscount;
	}
	if (fixed + head + ins + ar > limit) {
		if (ar > 0 && fixed + head + ins <= limit) {
			ar = 0;
			h.arcount = 0;
			ai->tc = (b->flags & IMG_B_GLUE) != 0;
		} else {
			head = ins = ar = 0;
			pf.n = 0;
			h.ancount = h.nscount = h.arcount = 0;
			ai->tc = 1;
		}
	}
	h.id = qs->h.id;
	h.flags = reply_flags(qs, b->flags & IMG_B_RCODE) |
	    (b->flags & IMG_B_AA ? qs->aa : 0) | (ai->tc ? DNS_F_TC : 0);
	h.qdcount = 1;
	h.arcount += qs->edns;
	wbuf_init(&w, resp, limit);
	wbuf_header(&w, &h);
	wbuf_bytes(&w, qs->qname, qs->qnamelen);
	wbuf_u16(&w, qs->qtype);
	wbuf_u16(&w, qs->qclass);
	p = resp + w.len;
	wbuf_bytes(&w, image_blob_data(b), head);
	for (i = 0; i < pf.n; i++)
		(void)proof_copy(qs, image_blob_at(img, pf.off[i]), w.len, &w);
	wbuf_bytes(&w, image_blob_data(b) + head, ar);
	if (w.err)
		return (0);
	if (b->nfix > 0)
		reply_fix(p, head, head + ar, ins, image_blob_fix(b), b->nfix,
		    qs->qnamelen - b->base);
	if (qs->edns)
		reply_opt(&w, qs, 0);
	ai->rcode = b->flags & IMG_B_RCODE;
	return (w.err ? 0 : w.len);
}

static const struct image_name *
find_name(const uint8_t *img, const uint8_t *name, size_t len)
{
	const struct image_header	*h = (const void *)img;
	const struct image_name		*n;
	const uint32_t			*hash;
	uint32_t			 i, mask, probes;

	hash = (const uint32_t *)(img + h->hash_off);
	mask = h->hash_size - 1;
	i = image_hash(h->hash_key, name, len) & mask;
	for (probes = 0; probes <= mask && hash[i] != 0; probes++) {
		n = image_name_at(img, hash[i]);
		if (n->namelen == len &&
		    memcmp(image_name_bytes(n), name, len) == 0)
			return (n);
		i = (i + 1) & mask;
	}
	return (NULL);
}

/* The index of a type in a name's table, -1 if not there. */
static int
find_type(const struct image_name *n, uint16_t type)
{
	const struct image_rrset	*rs = image_name_rrsets(n);
	size_t				 lo = 0, hi = n->ntypes, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rs[mid].type == type)
			return ((int)mid);
		if (rs[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

/* The DO=0 blob of a type in a name's table, 0 if not there. */
static uint32_t
find_rrset(const struct image_name *n, uint16_t type)
{
	int	 k = find_type(n, type);

	return (k == -1 ? 0 : image_name_rrsets(n)[k].blob_off);
}

/*
 * The answer at a name that exists (or a wildcard standing for it), the
 * DO one with dnssec: under a cut the referral; at a cut the parent's
 * own types or the referral (DS: NODATA); else the type's blob, the one
 * for other types, the zone's NODATA (*nodata set for these two).  ANY:
 * the first RRset, the CNAME at a CNAME owner.
 */
static uint32_t
name_answer(const uint8_t *img, const struct image_name *n, uint16_t qtype,
    int dnssec, int *nodata)
{
	const struct image_header	*h = (const void *)img;
	const struct image_dnssec	*d = NULL;
	uint32_t			 other, deleg;
	int				 k;

	*nodata = 0;
	other = n->other_off;
	deleg = n->deleg_off;
	if (dnssec) {
		d = image_name_dnssec(n);
		other = d->other_off;
		deleg = d->deleg_off;
	}
	if (n->flags & IMG_N_BELOW)
		return (deleg);
	if (qtype == DNS_T_ANY && !(n->flags & IMG_N_DELEG))
		k = n->flags & IMG_N_CNAME ? find_type(n, DNS_T_CNAME) :
		    (n->ntypes > 0 ? 0 : -1);
	else
		k = find_type(n, qtype);
	if (k != -1)
		return (dnssec ? image_dnssec_rrsets(d)[k] :
		    image_name_rrsets(n)[k].blob_off);
	if ((n->flags & IMG_N_DELEG) && qtype != DNS_T_DS)
		return (deleg);
	*nodata = !(n->flags & IMG_N_CNAME);
	if (other != 0 && !((n->flags & IMG_N_DELEG) && !dnssec))
		return (other);
	return (h->nodata_off);
}

/*
 * Where the query name leads: the name, else its closest encloser
 * (RFC 4592): a cut at or above it (F_CUT), a DNAME (F_DNAME: RFC 6672
 * section 3.2), the wildcard child (F_WILD), or nothing (F_NX).  A name
 * under a DNAME owner is not looked at (RFC 6672 section 2.4).  Names
 * deeper than the deepest in the image cannot be enclosers.  -1: a
 * broken image.
 */
static int
lookup(const struct served_zone *z, const struct query *qs, struct found *f)
{
	const uint8_t			*img = z->img, *lname = qs->lname;
	const struct image_header	*h = (const void *)img;
	const struct image_name		*n;
	uint8_t				 wild[DNS_MAXNAME];
	size_t				 offs[DNS_MAXNAME / 2 + 1], off;
	int				 nl, k, top;

	memset(f, 0, sizeof(*f));
	if ((n = find_name(img, lname, qs->qnamelen)) != NULL &&
	    !(n->flags & IMG_N_DNAMED)) {
		f->kind = n->flags & IMG_N_BELOW ? F_CUT : F_NAME;
		f->name = f->ce = n;
		return (0);
	}
	for (nl = 0, off = 0; lname[off] != 0; off += (size_t)lname[off] + 1)
		offs[nl++] = off;
	offs[nl] = off;
	top = nl - dns_name_labels(z->name, z->namelen);
	k = nl - (int)h->maxlabels;
	for (k = k > 1 ? k : 1; k <= top; k++)
		if ((n = find_name(img, lname + offs[k],
		    qs->qnamelen - offs[k])) != NULL &&
		    !(n->flags & IMG_N_DNAMED))
			break;
	if (k > top || n == NULL)
		return (-1);
	f->ce = n;
	f->ncoff = offs[k - 1];
	if (n->flags & (IMG_N_DELEG | IMG_N_BELOW)) {
		f->kind = F_CUT;
		return (0);
	}
	if (find_rrset(n, DNS_T_DNAME) != 0) {
		f->kind = F_DNAME;
		return (0);
	}
	f->kind = F_NX;
	if ((n->flags & IMG_N_WILD) && n->namelen + 2 <= DNS_MAXNAME) {
		wild[0] = 1;
		wild[1] = '*';
		memcpy(wild + 2, image_name_bytes(n), n->namelen);
		if ((f->name = find_name(img, wild, n->namelen + 2)) != NULL)
			f->kind = F_WILD;
	}
	return (0);
}

/*
 * The blob answering what lookup found, and the proofs the query adds in
 * extra (image.h): for a name that does not exist, the closest
 * encloser's and the record covering the query name (NSEC) or its next
 * closer name (NSEC3); for a wildcard answer the same record, and for a
 * wildcard NODATA the closest encloser's wild proof.
 */
static const struct image_blob *
answer_blob(const uint8_t *img, const struct query *qs, const struct found *f,
    int dnssec, uint32_t *extra, size_t *nextra)
{
	const struct image_header	*h = (const void *)img;
	const struct image_dnssec	*d = NULL;
	const uint8_t			*key;
	size_t				 keylen;
	uint32_t			 off;
	int				 nodata = 0;

	*nextra = 0;
	if (dnssec)
		d = image_name_dnssec(f->ce);
	switch (f->kind) {
	case F_NAME:
	case F_WILD:
		off = name_answer(img, f->name, qs->qtype, dnssec, &nodata);
		break;
	case F_CUT:
		off = dnssec ? d->deleg_off : f->ce->deleg_off;
		break;
	default:
		off = h->nxdomain_off;
		break;
	}
	if (dnssec && (f->kind == F_WILD || f->kind == F_NX)) {
		if (f->kind == F_NX) {
			extra[(*nextra)++] = d->nxd[0];
			extra[(*nextra)++] = d->nxd[1];
		} else if (nodata)
			extra[(*nextra)++] = d->wild;
		key = h->flags & IMG_Z_NSEC3 ? qs->lname + f->ncoff : qs->lname;
		keylen = qs->qnamelen - (key - qs->lname);
		extra[(*nextra)++] = denial_cover(img, key, keylen);
	}
	return (image_blob_at(img, off));
}

/*
 * Skip a name of blob data without following a pointer: 1 when it ends
 * with one, 0 with the root label, -1 when it is malformed.
 */
static int
skip_name(struct wire *w)
{
	uint8_t	 l;

	for (;;) {
		if (wire_u8(w, &l) == -1)
			return (-1);
		if ((l & 0xc0) == 0xc0)
			return (wire_skip(w, 1) == -1 ? -1 : 1);
		if (l == 0)
			return (0);
		if (l > 63 || wire_skip(w, l) == -1)
			return (-1);
	}
}

/*
 * The TTL and target of the DNAME record that opens the blob answering
 * qtype DNAME at its owner: the owner (a name or a pointer), type,
 * class, TTL, RDLENGTH, then the target, never compressed (RFC 6672
 * section 2.5).  -1 when the blob is not that.
 */
static int
dname_rr(const struct image_blob *b, uint32_t *ttl, const uint8_t **target,
    size_t *tlen)
{
	struct wire	 w;
	uint16_t	 type, rdlen;

	if (b->ancount < 1)
		return (-1);
	wire_init(&w, image_blob_data(b), b->len);
	if (skip_name(&w) == -1 || wire_u16(&w, &type) == -1 ||
	    type != DNS_T_DNAME || wire_skip(&w, 2) == -1 ||
	    wire_u32(&w, ttl) == -1 || wire_u16(&w, &rdlen) == -1 ||
	    rdlen > w.len - w.off || !dns_name_valid(w.buf + w.off, rdlen))
		return (-1);
	*target = w.buf + w.off;
	*tlen = rdlen;
	return (0);
}

/*
 * The RRSIGs after the DNAME in its DO blob, appended to w with the
 * owner a pointer to ptr (RFC 4035 section 3.1.1; their rdata has no
 * compressed name).  The number written, -1 on a bad blob.
 */
static int
dname_sigs(const struct image_blob *b, struct wbuf *w, uint16_t ptr)
{
	struct wire	 r;
	size_t		 start;
	uint16_t	 type, rdlen;
	int		 n = 0, i;

	wire_init(&r, image_blob_data(b), b->arstart);
	for (i = 0; i < b->ancount; i++) {
		if (skip_name(&r) == -1)
			return (-1);
		start = r.off;
		if (wire_u16(&r, &type) == -1 || wire_skip(&r, 6) == -1 ||
		    wire_u16(&r, &rdlen) == -1 || wire_skip(&r, rdlen) == -1)
			return (-1);
		if (type != DNS_T_RRSIG)
			continue;
		wbuf_u16(w, 0xc000 | ptr);
		wbuf_bytes(w, r.buf + start, r.off - start);
		n++;
	}
	return (n);
}

/*
 * The answer for the name a DNAME made, when one of our zones has it
 * (RFC 6672 section 3.4, step 3c: go back to step 1), appended to w with
 * its names expanded: it was made behind another question.  One step
 * only: a second DNAME is left to the client.  -1: nothing appended.
 */
static int
dname_chase(const struct query *qs, const uint8_t *name, size_t len,
    struct wbuf *w, struct dns_header *h)
{
	static uint8_t			 tmp[DNS_MAXMSG], rd[DNS_MAXMSG];
	const struct served_zone	*z;
	const struct image_blob		*b;
	struct answer_info		 ai;
	struct dns_header		 th;
	struct dns_rr			 rr;
	struct query			 q2;
	struct found			 f;
	struct wire			 t;
	uint32_t			 extra[MAXEXTRA];
	size_t				 tlen, rdlen, nextra;
	uint32_t			 i, n;

	memset(&q2, 0, sizeof(q2));
	q2.h = qs->h;
	q2.hasq = 1;
	q2.qtype = qs->qtype;
	q2.qclass = qs->qclass;
	q2.aa = qs->aa;
	memcpy(q2.lname, name, len);
	dns_name_lower(q2.lname, len);
	q2.qname = q2.lname;
	q2.qnamelen = len;
	if ((z = zones_find(q2.lname, len)) == NULL || z->img == NULL ||
	    z->expired || lookup(z, &q2, &f) == -1 || f.kind == F_DNAME)
		return (-1);
	q2.dnssec = qs->dobit &&
	    (((const struct image_header *)z->img)->flags & IMG_Z_SIGNED);
	b = answer_blob(z->img, &q2, &f, q2.dnssec, extra, &nextra);
	memset(&ai, 0, sizeof(ai));
	if ((tlen = reply_blob(&q2, z->img, b, extra, nextra, tmp,
	    sizeof(tmp), &ai)) == 0 || ai.rcode == DNS_R_SERVFAIL || ai.tc)
		return (-1);
	wire_init(&t, tmp, tlen);
	if (wire_header(&t, &th) == -1 ||
	    wire_question(&t, NULL, NULL, NULL, NULL) == -1)
		return (-1);
	n = (uint32_t)th.ancount + th.nscount + th.arcount;
	for (i = 0; i < n; i++) {
		if (wire_rr(&t, &rr) == -1 ||
		    rdata_expand(tmp, tlen, &rr, rd, sizeof(rd), &rdlen) == -1)
			return (-1);
		wbuf_bytes(w, rr.owner, rr.ownerlen);
		wbuf_u16(w, rr.type);
		wbuf_u16(w, rr.class);
		wbuf_u32(w, rr.ttl);
		wbuf_u16(w, rdlen);
		wbuf_bytes(w, rd, rdlen);
	}
	if (w->err)
		return (-1);
	h->ancount += th.ancount;
	h->nscount = th.nscount;
	h->arcount = th.arcount;
	return (th.flags & DNS_F_RCODE_MASK);
}

/*
 * A name under a DNAME (RFC 6672 section 3.4): the DNAME (with DO in a
 * signed zone, its RRSIGs), then the CNAME it makes for the query name,
 * both authoritative, then what the new name gives when it is ours
 * (dname_chase); YXDOMAIN with the DNAME alone when the new name would be
 * too long (section 2.2).  When the chased part does not fit, the client
 * follows the CNAME itself.
 */
static size_t
reply_dname(const struct query *qs, const uint8_t *img,
    const struct image_name *n, uint8_t *resp, size_t limit,
    struct answer_info *ai)
{
	const struct image_blob	*b;
	const uint8_t		*target;
	struct dns_header	 h;
	struct wbuf		 w;
	uint8_t			 newname[DNS_MAXNAME];
	size_t			 tlen, plen, mark;
	uint32_t		 ttl;
	int			 rcode = DNS_R_NOERROR, r, k, sigs = 0;

	b = image_blob_at(img, find_rrset(n, DNS_T_DNAME));
	if (dname_rr(b, &ttl, &target, &tlen) == -1 ||
	    qs->qnamelen <= n->namelen)
		return (reply_error(qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	plen = qs->qnamelen - n->namelen;
	if (plen + tlen > DNS_MAXNAME)
		rcode = DNS_R_YXDOMAIN;
	memset(&h, 0, sizeof(h));
	h.id = qs->h.id;
	h.flags = reply_flags(qs, rcode) | qs->aa;
	h.qdcount = 1;
	wbuf_init(&w, resp, limit);
	wbuf_header(&w, &h);
	wbuf_bytes(&w, qs->qname, qs->qnamelen);
	wbuf_u16(&w, qs->qtype);
	wbuf_u16(&w, qs->qclass);
	wbuf_u16(&w, 0xc000 | (DNS_HDRLEN + plen));
	wbuf_u16(&w, DNS_T_DNAME);
	wbuf_u16(&w, DNS_C_IN);
	wbuf_u32(&w, ttl);
	wbuf_u16(&w, tlen);
	wbuf_bytes(&w, target, tlen);
	if (qs->dnssec && (k = find_type(n, DNS_T_DNAME)) != -1 &&
	    (sigs = dname_sigs(image_blob_at(img,
	    image_dnssec_rrsets(image_name_dnssec(n))[k]), &w,
	    DNS_HDRLEN + plen)) == -1)
		return (reply_error(qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	h.ancount = 1 + sigs;
	if (rcode == DNS_R_NOERROR) {
		h.ancount++;
		wbuf_u16(&w, 0xc000 | DNS_HDRLEN);
		wbuf_u16(&w, DNS_T_CNAME);
		wbuf_u16(&w, DNS_C_IN);
		wbuf_u32(&w, ttl);
		wbuf_u16(&w, plen + tlen);
		wbuf_bytes(&w, qs->qname, plen);
		wbuf_bytes(&w, target, tlen);
		memcpy(newname, qs->qname, plen);
		memcpy(newname + plen, target, tlen);
	}
	if (rcode == DNS_R_NOERROR && !w.err) {
		mark = w.len;
		if (qs->edns && w.cap - w.len >= opt_len(qs))
			w.cap -= opt_len(qs);	/* room for our OPT */
		if ((r = dname_chase(qs, newname, plen + tlen, &w, &h)) != -1)
			rcode = r;
		else {
			w.len = mark;
			w.err = 0;
		}
		w.cap = limit;
	}
	if (qs->edns)
		reply_opt(&w, qs, rcode);
	h.flags = reply_flags(qs, rcode) | qs->aa;
	h.arcount += qs->edns;
	if (!w.err && (wbuf_set_u16(&w, 2, h.flags) == -1 ||
	    wbuf_set_u16(&w, 6, h.ancount) == -1 ||
	    wbuf_set_u16(&w, 8, h.nscount) == -1 ||
	    wbuf_set_u16(&w, 10, h.arcount) == -1))
		return (0);
	if (w.err)
		return (reply_tc(qs, rcode, resp, limit, ai));
	ai->rcode = rcode;
	return (w.len);
}

/* What does not fit even without the chase: the question alone, TC. */
static size_t
reply_tc(const struct query *qs, int rcode, uint8_t *resp, size_t limit,
    struct answer_info *ai)
{
	struct dns_header	 h;
	struct wbuf		 w;

	memset(&h, 0, sizeof(h));
	h.id = qs->h.id;
	h.flags = reply_flags(qs, rcode) | qs->aa | DNS_F_TC;
	h.qdcount = 1;
	h.arcount = qs->edns;
	wbuf_init(&w, resp, limit);
	wbuf_header(&w, &h);
	wbuf_bytes(&w, qs->qname, qs->qnamelen);
	wbuf_u16(&w, qs->qtype);
	wbuf_u16(&w, qs->qclass);
	if (qs->edns)
		reply_opt(&w, qs, rcode);
	if (w.err)
		return (0);
	ai->tc = 1;
	ai->rcode = rcode;
	return (w.len);
}

/*
 * A client cookie gets a server cookie back (RFC 7873 section 5.2.3);
 * -1 when the query's server cookie is not ours (section 5.2.4).
 */
static int
answer_cookie(struct query *qs, const struct answer_env *env,
    struct answer_info *ai)
{
	if (qs->cc == NULL || env == NULL || env->from == NULL)
		return (0);
	qs->cookie = 1;
	if (qs->sclen == 0) {
		cookie_make(env->cookie->secret, qs->cc, env->from, env->now,
		    qs->cookie_sc);
		return (0);
	}
	ai->cookie = cookie_check(env->cookie, qs->cc, qs->sc, qs->sclen,
	    env->from, env->now, qs->cookie_sc);
	return (ai->cookie ? 0 : -1);
}

/*
 * The response class and the name that rate limiting counts the answer
 * under (as BIND and NSD do): the query name and type for an answer,
 * the wildcard's owner for an answer from a wildcard, the zone for
 * NXDOMAIN, the delegation (its referral) for a referral, the query
 * name for NODATA; a DNAME's synthesis is an answer.
 */
static void
rrl_class(const struct query *qs, const struct served_zone *z,
    const struct found *f, const uint8_t *resp, size_t len,
    struct answer_info *ai)
{
	int	 answers = len >= DNS_HDRLEN && (resp[6] | resp[7]) != 0;

	ai->rrl_name = qs->qname;
	ai->rrl_namelen = qs->qnamelen;
	if (ai->rcode == DNS_R_NXDOMAIN) {
		ai->rrl_class = RRL_NXDOMAIN;
		ai->rrl_name = z->name;
		ai->rrl_namelen = z->namelen;
	} else if (ai->rcode != DNS_R_NOERROR)
		ai->rrl_class = RRL_ERROR;
	else if (f->kind == F_CUT) {
		ai->rrl_class = RRL_REFERRAL;
		ai->rrl_name = z->name;
		ai->rrl_namelen = z->namelen;
		ai->rrl_extra = f->ce->deleg_off;
	} else if (f->kind == F_WILD) {
		ai->rrl_class = answers ? RRL_WILDCARD : RRL_NODATA;
		ai->rrl_name = image_name_bytes(f->name);
		ai->rrl_namelen = f->name->namelen;
	} else if (answers) {
		ai->rrl_class = RRL_ANSWER;
		ai->rrl_extra = qs->qtype;
	} else
		ai->rrl_class = RRL_NODATA;
}

/*
 * QCLASS IN, or QCLASS * (RFC 1035 section 3.2.5) answered from the IN
 * data with AA clear: secd serves class IN only and cannot speak for
 * every class (as NSD does).
 */
size_t
answer_query(const uint8_t *q, size_t qlen, uint8_t *resp, size_t cap,
    int tcp, const struct answer_env *env, struct answer_info *ai)
{
	const struct served_zone	*z;
	const struct image_blob		*b;
	struct query			 qs;
	struct found			 f;
	uint32_t			 extra[MAXEXTRA];
	size_t				 limit, nextra, n;
	int				 r, badcookie;

	memset(ai, 0, sizeof(*ai));
	ai->rcode = -1;
	ai->rrl_class = RRL_ERROR;
	if (q == NULL || resp == NULL || qlen < DNS_HDRLEN ||
	    cap < DNS_HDRLEN)
		return (0);
	memset(&qs, 0, sizeof(qs));
	if ((r = query_parse(q, qlen, &qs, ai)) == Q_DROP)
		return (0);
	ai->qtype = qs.qtype;
	ai->edns = qs.edns;
	ai->dobit = qs.dobit;
	ai->qsize = DNS_HDRLEN + (qs.hasq ? qs.qnamelen + 4 : 0);
	limit = reply_limit(&qs, tcp, cap);
	if (r != Q_OK)
		return (reply_error(&qs, r, resp, limit, 0, ai));
	/* signed: serverd/signed.c checks it, then asks again */
	if (qs.tsig && (env == NULL || !env->tsig_ok)) {
		ai->tsig = 1;
		return (0);
	}
	if (env != NULL && env->reserve < limit)
		limit -= env->reserve;
	badcookie = answer_cookie(&qs, env, ai) == -1;
	if (qs.edns && qs.version > 0)
		return (reply_error(&qs, DNS_R_BADVERS, resp, limit, 1, ai));
	if (badcookie && !tcp)
		return (reply_error(&qs, DNS_R_BADCOOKIE, resp, limit, 1, ai));
	if ((qs.qclass != DNS_C_IN && qs.qclass != DNS_C_ANY) ||
	    (z = zones_find(qs.lname, qs.qnamelen)) == NULL)
		return (reply_error(&qs, DNS_R_REFUSED, resp, limit, 1, ai));
	if (z->img == NULL || z->expired)
		return (reply_error(&qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	qs.aa = qs.qclass == DNS_C_IN ? DNS_F_AA : 0;
	qs.dnssec = qs.dobit &&
	    (((const struct image_header *)z->img)->flags & IMG_Z_SIGNED);
	if (lookup(z, &qs, &f) == -1)
		return (reply_error(&qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	if (f.kind == F_DNAME) {
		n = reply_dname(&qs, z->img, f.ce, resp, limit, ai);
		rrl_class(&qs, z, &f, resp, n, ai);
		return (n);
	}
	b = answer_blob(z->img, &qs, &f, qs.dnssec, extra, &nextra);
	if ((f.kind == F_NAME || f.kind == F_WILD) &&
	    (f.name->flags & IMG_N_PROXY) &&
	    (dns_type_is_addr(qs.qtype) || qs.qtype == DNS_T_ANY)) {
		ai->zone = z;
		ai->proxied = f.name;
	}
	n = reply_blob(&qs, z->img, b, extra, nextra, resp, limit, ai);
	rrl_class(&qs, z, &f, resp, n, ai);
	return (n);
}
