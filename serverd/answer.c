/*
 * The query path: parse and check the query, find its zone, look the
 * name up in the zone's image and copy the prepared answer behind the
 * query's own question (which keeps its case), moving the compression
 * pointers the blob lists when the query name is longer than the name
 * the blob was made for (shared/image.h).  No allocation; every image
 * offset followed here was checked by image_check() when it was mapped.
 */

#include <sys/types.h>

#include <stdint.h>
#include <string.h>

#include "answer.h"
#include "dns.h"
#include "image.h"
#include "zones.h"

#define OPT_LEN		11	/* root owner, type, class, TTL, RDLENGTH */
#define EDNS_UDPSIZE	1232
#define PTR_MAXOFF	0x3fff

#define Q_OK		-2
#define Q_DROP		-1

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
static void	reply_fix(uint8_t *, size_t, const uint16_t *, size_t, size_t);
static size_t	reply_blob(const struct query *, const uint8_t *,
		    const struct image_blob *,
		    uint8_t *, size_t, struct answer_info *);
static const struct image_name *find_name(const uint8_t *, const uint8_t *,
		    size_t);
static uint32_t	find_rrset(const struct image_name *, uint16_t);
static const struct image_blob *name_answer(const uint8_t *,
		    const struct image_name *, uint16_t);
static const struct image_blob *lookup(const struct served_zone *,
		    const struct query *, const struct image_name **,
		    const struct image_name **);
static int	dname_rr(const struct image_blob *, uint32_t *,
		    const uint8_t **, size_t *);
static int	dname_chase(const struct query *, const uint8_t *, size_t,
		    struct wbuf *, struct dns_header *);
static size_t	reply_dname(const struct query *, const uint8_t *,
		    const struct image_name *, uint8_t *, size_t,
		    struct answer_info *);
static size_t	reply_tc(const struct query *, int, uint8_t *, size_t,
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
	uint16_t	 olen;

	if (!additional || qs->edns || rr->ownerlen != 1)
		return (-1);
	qs->edns = 1;
	qs->udpsize = rr->class;
	qs->version = (rr->ttl >> 16) & 0xff;
	qs->dobit = (rr->ttl & 0x8000) != 0;
	wire_init(&o, rr->rdata, rr->rdlen);
	while (o.off < o.len) {
		wire_u16(&o, NULL);
		if (wire_u16(&o, &olen) == -1 || wire_skip(&o, olen) == -1)
			return (-1);
	}
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

/* Our OPT: 1232 bytes, version 0, DO echoed, the rcode's high bits. */
static void
reply_opt(struct wbuf *w, const struct query *qs, int rcode)
{
	wbuf_u8(w, 0);
	wbuf_u16(w, DNS_T_OPT);
	wbuf_u16(w, EDNS_UDPSIZE);
	wbuf_u32(w, (uint32_t)((rcode >> 4) & 0xff) << 24 |
	    (qs->dobit ? 0x8000 : 0));
	wbuf_u16(w, 0);
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

/* Move the n pointers fix[] of the data at p by delta. */
static void
reply_fix(uint8_t *p, size_t dlen, const uint16_t *fix, size_t n,
    size_t delta)
{
	size_t	 i, v;

	for (i = 0; delta > 0 && i < n; i++) {
		if ((size_t)fix[i] + 2 > dlen)
			continue;
		v = ((size_t)(p[fix[i]] & 0x3f) << 8 | p[fix[i] + 1]) + delta;
		p[fix[i]] = 0xc0 | (v >> 8);
		p[fix[i] + 1] = v & 0xff;
	}
}

/*
 * The blob behind the question, its pointers moved by the difference of
 * the query name and the blob's base, the zone's SOA after it when it is
 * a negative answer (IMG_B_SOA).  What does not fit loses the additional
 * section first (TC if that was needed glue), then all.
 */
static size_t
reply_blob(const struct query *qs, const uint8_t *img,
    const struct image_blob *b, uint8_t *resp, size_t limit,
    struct answer_info *ai)
{
	const struct image_header	*ih = (const void *)img;
	const struct image_blob		*t = NULL;
	struct dns_header		 h;
	struct wbuf			 w;
	size_t				 fixed, dlen, tlen = 0;
	uint8_t				*p;

	if (b->flags & IMG_B_SOA) {
		t = image_blob_at(img, ih->soa_off);
		tlen = t->len;
	}
	if ((b->nfix > 0 && qs->qnamelen < b->base) ||
	    (t != NULL && qs->qnamelen < t->base))
		return (reply_error(qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	fixed = DNS_HDRLEN + qs->qnamelen + 4 + (qs->edns ? OPT_LEN : 0);
	dlen = b->len;
	memset(&h, 0, sizeof(h));
	h.ancount = b->ancount;
	h.nscount = b->nscount + (t != NULL);
	h.arcount = b->arcount;
	if (fixed + dlen + tlen > limit) {
		if (b->arcount > 0 && fixed + b->arstart <= limit) {
			dlen = b->arstart;
			h.arcount = 0;
			ai->tc = (b->flags & IMG_B_GLUE) != 0;
		} else {
			dlen = tlen = 0;
			h.ancount = h.nscount = h.arcount = 0;
			ai->tc = 1;
		}
	}
	h.id = qs->h.id;
	h.flags = reply_flags(qs, b->flags & IMG_B_RCODE) |
	    (b->flags & IMG_B_AA ? DNS_F_AA : 0) | (ai->tc ? DNS_F_TC : 0);
	h.qdcount = 1;
	h.arcount += qs->edns;
	wbuf_init(&w, resp, limit);
	wbuf_header(&w, &h);
	wbuf_bytes(&w, qs->qname, qs->qnamelen);
	wbuf_u16(&w, qs->qtype);
	wbuf_u16(&w, qs->qclass);
	wbuf_bytes(&w, image_blob_data(b), dlen);
	if (tlen > 0)
		wbuf_bytes(&w, image_blob_data(t), tlen);
	if (w.err)
		return (0);
	p = resp + DNS_HDRLEN + qs->qnamelen + 4;
	if (b->nfix > 0)
		reply_fix(p, dlen, image_blob_fix(b), b->nfix,
		    qs->qnamelen - b->base);
	if (tlen > 0)
		reply_fix(p + dlen, tlen, image_blob_fix(t), t->nfix,
		    qs->qnamelen - t->base);
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

/* The blob of a type in a name's table, 0 if not there. */
static uint32_t
find_rrset(const struct image_name *n, uint16_t type)
{
	const struct image_rrset	*rs = image_name_rrsets(n);
	size_t				 lo = 0, hi = n->ntypes, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rs[mid].type == type)
			return (rs[mid].blob_off);
		if (rs[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (0);
}

/*
 * The answer at a name that exists (or a wildcard standing for it):
 * under a cut the referral; at a cut the parent's own types or the
 * referral (DS: NODATA); else the type's blob, the one for other types,
 * the zone's NODATA.  ANY: the first RRset, the CNAME at a CNAME owner.
 */
static const struct image_blob *
name_answer(const uint8_t *img, const struct image_name *n, uint16_t qtype)
{
	const struct image_header	*h = (const void *)img;
	uint32_t			 off;

	if (n->flags & IMG_N_BELOW)
		return (image_blob_at(img, n->deleg_off));
	if (n->flags & IMG_N_DELEG) {
		if ((off = find_rrset(n, qtype)) != 0)
			return (image_blob_at(img, off));
		return (image_blob_at(img, qtype == DNS_T_DS ?
		    h->nodata_off : n->deleg_off));
	}
	if (qtype == DNS_T_ANY) {
		if (n->flags & IMG_N_CNAME)
			off = find_rrset(n, DNS_T_CNAME);
		else
			off = n->ntypes > 0 ?
			    image_name_rrsets(n)[0].blob_off : 0;
	} else
		off = find_rrset(n, qtype);
	if (off == 0)
		off = n->other_off;
	if (off == 0)
		off = h->nodata_off;
	return (image_blob_at(img, off));
}

/*
 * The name, else its closest encloser (RFC 4592): a referral at or under
 * a cut, a DNAME (*dname set, NULL returned: RFC 6672 section 3.2), the
 * wildcard child's answer, or NXDOMAIN.  Names deeper than the deepest in
 * the image cannot be enclosers.  NULL alone: a broken image.  *hit is
 * the name whose table answered (the name, or the wildcard), if any.
 */
static const struct image_blob *
lookup(const struct served_zone *z, const struct query *qs,
    const struct image_name **dname, const struct image_name **hit)
{
	const uint8_t			*img = z->img, *lname = qs->lname;
	const struct image_header	*h = (const void *)img;
	const struct image_name		*n = NULL;
	uint8_t				 wild[DNS_MAXNAME];
	size_t				 offs[DNS_MAXNAME / 2 + 1], off;
	int				 nl, k, top;

	if ((n = find_name(img, lname, qs->qnamelen)) != NULL) {
		*hit = n;
		return (name_answer(img, n, qs->qtype));
	}
	for (nl = 0, off = 0; lname[off] != 0; off += (size_t)lname[off] + 1)
		offs[nl++] = off;
	offs[nl] = off;
	top = nl - dns_name_labels(z->name, z->namelen);
	k = nl - (int)h->maxlabels;
	for (k = k > 1 ? k : 1; k <= top; k++)
		if ((n = find_name(img, lname + offs[k],
		    qs->qnamelen - offs[k])) != NULL)
			break;
	if (n == NULL)
		return (NULL);
	if (n->flags & (IMG_N_DELEG | IMG_N_BELOW))
		return (image_blob_at(img, n->deleg_off));
	if (find_rrset(n, DNS_T_DNAME) != 0) {
		*dname = n;
		return (NULL);
	}
	if ((n->flags & IMG_N_WILD) && n->namelen + 2 <= DNS_MAXNAME) {
		wild[0] = 1;
		wild[1] = '*';
		memcpy(wild + 2, image_name_bytes(n), n->namelen);
		if ((n = find_name(img, wild, n->namelen + 2)) != NULL) {
			*hit = n;
			return (name_answer(img, n, qs->qtype));
		}
	}
	return (image_blob_at(img, h->nxdomain_off));
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
	uint8_t		 l;

	if (b->ancount < 1)
		return (-1);
	wire_init(&w, image_blob_data(b), b->len);
	for (;;) {
		if (wire_u8(&w, &l) == -1)
			return (-1);
		if ((l & 0xc0) == 0xc0) {
			if (wire_skip(&w, 1) == -1)
				return (-1);
			break;
		}
		if (l == 0)
			break;
		if (l > 63 || wire_skip(&w, l) == -1)
			return (-1);
	}
	if (wire_u16(&w, &type) == -1 || type != DNS_T_DNAME ||
	    wire_skip(&w, 2) == -1 || wire_u32(&w, ttl) == -1 ||
	    wire_u16(&w, &rdlen) == -1 || rdlen > w.len - w.off ||
	    !dns_name_valid(w.buf + w.off, rdlen))
		return (-1);
	*target = w.buf + w.off;
	*tlen = rdlen;
	return (0);
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
	const struct image_name		*dn = NULL, *hit = NULL;
	struct answer_info		 ai;
	struct dns_header		 th;
	struct dns_rr			 rr;
	struct query			 q2;
	struct wire			 t;
	size_t				 tlen, rdlen;
	uint32_t			 i, n;

	memset(&q2, 0, sizeof(q2));
	q2.h = qs->h;
	q2.hasq = 1;
	q2.qtype = qs->qtype;
	q2.qclass = qs->qclass;
	memcpy(q2.lname, name, len);
	dns_name_lower(q2.lname, len);
	q2.qname = q2.lname;
	q2.qnamelen = len;
	if ((z = zones_find(q2.lname, len)) == NULL || z->img == NULL ||
	    z->expired || (b = lookup(z, &q2, &dn, &hit)) == NULL)
		return (-1);
	memset(&ai, 0, sizeof(ai));
	if ((tlen = reply_blob(&q2, z->img, b, tmp, sizeof(tmp), &ai)) == 0 ||
	    ai.rcode == DNS_R_SERVFAIL || ai.tc)
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
 * A name under a DNAME (RFC 6672 section 3.4): the DNAME, then the CNAME
 * it makes for the query name, both authoritative, then what the new
 * name gives when it is ours (dname_chase); YXDOMAIN with the DNAME
 * alone when the new name would be too long (section 2.2).  When the
 * chased part does not fit, the client follows the CNAME itself.
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
	int			 rcode = DNS_R_NOERROR, r;

	b = image_blob_at(img, find_rrset(n, DNS_T_DNAME));
	if (dname_rr(b, &ttl, &target, &tlen) == -1 ||
	    qs->qnamelen <= n->namelen)
		return (reply_error(qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	plen = qs->qnamelen - n->namelen;
	if (plen + tlen > DNS_MAXNAME)
		rcode = DNS_R_YXDOMAIN;
	memset(&h, 0, sizeof(h));
	h.id = qs->h.id;
	h.flags = reply_flags(qs, rcode) | DNS_F_AA;
	h.qdcount = 1;
	h.ancount = rcode == DNS_R_NOERROR ? 2 : 1;
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
	if (rcode == DNS_R_NOERROR) {
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
		if (qs->edns && w.cap - w.len >= OPT_LEN)
			w.cap -= OPT_LEN;	/* room for our OPT */
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
	h.flags = reply_flags(qs, rcode) | DNS_F_AA;
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
	h.flags = reply_flags(qs, rcode) | DNS_F_AA | DNS_F_TC;
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

size_t
answer_query(const uint8_t *q, size_t qlen, uint8_t *resp, size_t cap,
    int tcp, struct answer_info *ai)
{
	const struct served_zone	*z;
	const struct image_blob		*b;
	const struct image_name		*dname = NULL, *hit = NULL;
	struct query			 qs;
	size_t				 limit;
	int				 r;

	memset(ai, 0, sizeof(*ai));
	ai->rcode = -1;
	if (q == NULL || resp == NULL || qlen < DNS_HDRLEN ||
	    cap < DNS_HDRLEN)
		return (0);
	memset(&qs, 0, sizeof(qs));
	if ((r = query_parse(q, qlen, &qs, ai)) == Q_DROP)
		return (0);
	ai->qtype = qs.qtype;
	ai->edns = qs.edns;
	ai->dobit = qs.dobit;
	limit = reply_limit(&qs, tcp, cap);
	if (r != Q_OK)
		return (reply_error(&qs, r, resp, limit, 0, ai));
	if (qs.edns && qs.version > 0)
		return (reply_error(&qs, DNS_R_BADVERS, resp, limit, 1, ai));
	if (qs.qclass != DNS_C_IN || qs.qtype == DNS_T_AXFR ||
	    qs.qtype == DNS_T_IXFR ||
	    (z = zones_find(qs.lname, qs.qnamelen)) == NULL)
		return (reply_error(&qs, DNS_R_REFUSED, resp, limit, 1, ai));
	if (z->img == NULL || z->expired)
		return (reply_error(&qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	if ((b = lookup(z, &qs, &dname, &hit)) == NULL) {
		if (dname != NULL)
			return (reply_dname(&qs, z->img, dname, resp, limit,
			    ai));
		return (reply_error(&qs, DNS_R_SERVFAIL, resp, limit, 1, ai));
	}
	if (hit != NULL && (hit->flags & IMG_N_PROXY) &&
	    (qs.qtype == DNS_T_A || qs.qtype == DNS_T_AAAA ||
	    qs.qtype == DNS_T_ANY)) {
		ai->zone = z;
		ai->proxied = hit;
	}
	return (reply_blob(&qs, z->img, b, resp, limit, ai));
}
