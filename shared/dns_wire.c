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
 * DNS wire format: the bounded reader (struct wire) and writer
 * (struct wbuf), with name decompression and compression.
 *
 * Every read checks the bounds before it touches a byte.  Errors are
 * sticky: once w->err is set, every later call fails, so a caller may
 * read a whole record and test once.
 */

#include <string.h>

#include "dns.h"

#define PTR_MASK	0xc0
#define PTR_MAXOFF	0x3fff
#define LABEL_MAXPOS	128	/* labels in a name, root included */

static int	wire_fail(struct wire *);
static int	wire_work(struct wire *);
static int	wire_name_read(struct wire *, uint8_t *, size_t *, int);
static int	wbuf_fail(struct wbuf *);
static int	wbuf_room(struct wbuf *, size_t);
static int	cmp_positions(const struct wbuf *, size_t, size_t *, int);
static int	cmp_suffix_eq(const struct wbuf *, size_t, const uint8_t *);
static int	cmp_find(const struct wbuf *, const struct dns_compress *,
		    const uint8_t *, size_t *, uint16_t *);

void
wire_init(struct wire *w, const uint8_t *buf, size_t len)
{
	w->buf = buf;
	w->len = len;
	w->off = 0;
	w->err = 0;
	w->work = 0;
	w->maxwork = len * WIRE_WORK_PER_OCTET;
}

void
wire_init_answer(struct wire *w, const uint8_t *buf, size_t len)
{
	wire_init(w, buf, len);
	w->maxwork = len * WIRE_WORK_ANSWER;
}

/* The first error stays: a name past the cap is not "malformed". */
static int
wire_fail(struct wire *w)
{
	if (w->err == 0)
		w->err = WIRE_EMALFORMED;
	return (-1);
}

/* One more label or pointer followed in a name of this message. */
static int
wire_work(struct wire *w)
{
	if (++w->work > w->maxwork) {
		w->err = WIRE_EWORK;
		return (-1);
	}
	return (0);
}

int
wire_u8(struct wire *w, uint8_t *v)
{
	if (w->err || w->off > w->len || w->len - w->off < 1)
		return (wire_fail(w));
	if (v != NULL)
		*v = w->buf[w->off];
	w->off += 1;
	return (0);
}

int
wire_u16(struct wire *w, uint16_t *v)
{
	const uint8_t	*p;

	if (w->err || w->off > w->len || w->len - w->off < 2)
		return (wire_fail(w));
	p = w->buf + w->off;
	if (v != NULL)
		*v = (uint16_t)(p[0] << 8 | p[1]);
	w->off += 2;
	return (0);
}

int
wire_u32(struct wire *w, uint32_t *v)
{
	const uint8_t	*p;

	if (w->err || w->off > w->len || w->len - w->off < 4)
		return (wire_fail(w));
	p = w->buf + w->off;
	if (v != NULL)
		*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	w->off += 4;
	return (0);
}

int
wire_bytes(struct wire *w, void *out, size_t n)
{
	if (w->err || w->off > w->len || w->len - w->off < n)
		return (wire_fail(w));
	if (out != NULL && n > 0)
		memcpy(out, w->buf + w->off, n);
	w->off += n;
	return (0);
}

int
wire_skip(struct wire *w, size_t n)
{
	return (wire_bytes(w, NULL, n));
}

int
wire_header(struct wire *w, struct dns_header *h)
{
	wire_u16(w, &h->id);
	wire_u16(w, &h->flags);
	wire_u16(w, &h->qdcount);
	wire_u16(w, &h->ancount);
	wire_u16(w, &h->nscount);
	wire_u16(w, &h->arcount);
	return (w->err ? -1 : 0);
}

/*
 * Read a possibly compressed name into uncompressed wire form.  A pointer
 * must point strictly before the start of the run of labels that contains
 * it, so every jump goes backwards and the walk ends; that still allows a
 * chain of thousands of pointers, so a name may follow at most
 * DNS_MAXLABELS of them (it has no more labels than that, RFC 1035
 * section 3.1), and every label and pointer counts against the work the
 * message may cost (wire_work).  The cursor moves past the name as it
 * appeared in the message.  out (DNS_MAXNAME bytes) and len may be NULL
 * to skip a name.
 */
static int
wire_name_read(struct wire *w, uint8_t *out, size_t *len, int allowptr)
{
	size_t		 pos, start, next, n;
	int		 jumps;
	uint8_t		 c;

	if (w->err || w->off > w->len)
		return (wire_fail(w));
	pos = start = w->off;
	next = 0;	/* cursor after the name; 0 until the first jump */
	n = 0;
	jumps = 0;
	for (;;) {
		if (pos >= w->len)
			return (wire_fail(w));
		if (wire_work(w) == -1)
			return (-1);
		c = w->buf[pos];
		if ((c & PTR_MASK) == PTR_MASK) {
			if (!allowptr || w->len - pos < 2 ||
			    ++jumps > DNS_MAXLABELS)
				return (wire_fail(w));
			if (next == 0)
				next = pos + 2;
			pos = (size_t)(c & ~PTR_MASK) << 8 | w->buf[pos + 1];
			if (pos >= start)
				return (wire_fail(w));
			start = pos;
			continue;
		}
		if (c & PTR_MASK)	/* 01 and 10: extended, reserved */
			return (wire_fail(w));
		if (w->len - pos < (size_t)c + 1 || n + c + 1 > DNS_MAXNAME)
			return (wire_fail(w));
		if (out != NULL)
			memcpy(out + n, w->buf + pos, (size_t)c + 1);
		n += (size_t)c + 1;
		pos += (size_t)c + 1;
		if (c == 0)
			break;
	}
	w->off = next != 0 ? next : pos;
	if (len != NULL)
		*len = n;
	return (0);
}

int
wire_name(struct wire *w, uint8_t *out, size_t *len)
{
	return (wire_name_read(w, out, len, 1));
}

/* A name that must not be compressed (RFC 3597 section 4). */
int
wire_name_nocomp(struct wire *w, uint8_t *out, size_t *len)
{
	return (wire_name_read(w, out, len, 0));
}

int
wire_question(struct wire *w, uint8_t *name, size_t *len, uint16_t *qtype,
    uint16_t *qclass)
{
	wire_name(w, name, len);
	wire_u16(w, qtype);
	wire_u16(w, qclass);
	return (w->err ? -1 : 0);
}

int
wire_rr(struct wire *w, struct dns_rr *rr)
{
	wire_name(w, rr->owner, &rr->ownerlen);
	wire_u16(w, &rr->type);
	wire_u16(w, &rr->class);
	wire_u32(w, &rr->ttl);
	wire_u16(w, &rr->rdlen);
	if (w->err)
		return (-1);
	rr->rdoff = w->off;
	rr->rdata = w->buf + w->off;
	return (wire_skip(w, rr->rdlen));
}

void
wbuf_init(struct wbuf *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
}

static int
wbuf_fail(struct wbuf *w)
{
	w->err = 1;
	return (-1);
}

static int
wbuf_room(struct wbuf *w, size_t n)
{
	if (w->err || w->len > w->cap || w->cap - w->len < n)
		return (wbuf_fail(w));
	return (0);
}

int
wbuf_u8(struct wbuf *w, uint8_t v)
{
	if (wbuf_room(w, 1) == -1)
		return (-1);
	w->buf[w->len++] = v;
	return (0);
}

int
wbuf_u16(struct wbuf *w, uint16_t v)
{
	if (wbuf_room(w, 2) == -1)
		return (-1);
	w->buf[w->len++] = v >> 8;
	w->buf[w->len++] = v & 0xff;
	return (0);
}

int
wbuf_u32(struct wbuf *w, uint32_t v)
{
	if (wbuf_room(w, 4) == -1)
		return (-1);
	w->buf[w->len++] = v >> 24;
	w->buf[w->len++] = (v >> 16) & 0xff;
	w->buf[w->len++] = (v >> 8) & 0xff;
	w->buf[w->len++] = v & 0xff;
	return (0);
}

int
wbuf_bytes(struct wbuf *w, const void *p, size_t n)
{
	if (wbuf_room(w, n) == -1)
		return (-1);
	if (n > 0)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
	return (0);
}

/* Patch a 16-bit field already written, e.g. a count or an RDLENGTH. */
int
wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	if (w->err || off > w->len || w->len - off < 2)
		return (wbuf_fail(w));
	w->buf[off] = v >> 8;
	w->buf[off + 1] = v & 0xff;
	return (0);
}

int
wbuf_header(struct wbuf *w, const struct dns_header *h)
{
	wbuf_u16(w, h->id);
	wbuf_u16(w, h->flags);
	wbuf_u16(w, h->qdcount);
	wbuf_u16(w, h->ancount);
	wbuf_u16(w, h->nscount);
	wbuf_u16(w, h->arcount);
	return (w->err ? -1 : 0);
}

/*
 * The reply to the query q with no records: its header with QR, the
 * query's opcode, flags (DNS_F_AA or 0) and rcode, and its question when
 * it has one that reads.  0 when q has no header or the reply does not
 * fit in cap.
 */
size_t
dns_reply_head(const uint8_t *q, size_t qlen, uint16_t flags, int rcode,
    uint8_t *out, size_t cap)
{
	struct dns_header	 h;
	struct wire		 w;
	struct wbuf		 wb;
	uint8_t			 name[DNS_MAXNAME];
	size_t			 nlen;
	uint16_t		 qtype, qclass;

	wire_init(&w, q, qlen);
	if (wire_header(&w, &h) == -1)
		return (0);
	h.flags = DNS_F_QR | flags | (h.flags & DNS_F_OPCODE_MASK) |
	    (rcode & DNS_F_RCODE_MASK);
	h.ancount = h.nscount = h.arcount = 0;
	wbuf_init(&wb, out, cap);
	if (h.qdcount == 1 && wire_question(&w, name, &nlen, &qtype,
	    &qclass) == 0) {
		wbuf_header(&wb, &h);
		wbuf_name(&wb, name, nlen, NULL);
		wbuf_u16(&wb, qtype);
		wbuf_u16(&wb, qclass);
	} else {
		h.qdcount = 0;
		wbuf_header(&wb, &h);
	}
	return (wb.err ? 0 : wb.len);
}

/*
 * Offsets in w->buf of every label of the name written at off, following
 * the pointers in it, root excluded.  Returns the count, -1 if what is
 * there is not a name we could have written.
 */
static int
cmp_positions(const struct wbuf *w, size_t off, size_t *pos, int max)
{
	size_t		 start = off;
	int		 n = 0;
	uint8_t		 c;

	for (;;) {
		if (off >= w->len)
			return (-1);
		c = w->buf[off];
		if ((c & PTR_MASK) == PTR_MASK) {
			if (off + 1 >= w->len)
				return (-1);
			off = (size_t)(c & ~PTR_MASK) << 8 | w->buf[off + 1];
			if (off >= start)
				return (-1);
			start = off;
			continue;
		}
		if (c & PTR_MASK)
			return (-1);
		if (c == 0)
			return (n);
		if (n >= max)
			return (-1);
		pos[n++] = off;
		off += (size_t)c + 1;
	}
}

/*
 * Compare case-insensitively the name in w->buf at off (possibly ending
 * in a pointer) with the uncompressed name.  The label counts are known
 * to be equal.
 */
static int
cmp_suffix_eq(const struct wbuf *w, size_t off, const uint8_t *name)
{
	size_t		 i, start = off;
	uint8_t		 a, b, c;

	for (;;) {
		if (off >= w->len)
			return (0);
		c = w->buf[off];
		if ((c & PTR_MASK) == PTR_MASK) {
			if (off + 1 >= w->len)
				return (0);
			off = (size_t)(c & ~PTR_MASK) << 8 | w->buf[off + 1];
			if (off >= start)
				return (0);
			start = off;
			continue;
		}
		if (c != *name || w->len - off < (size_t)c + 1)
			return (0);
		if (c == 0)
			return (1);
		for (i = 1; i <= c; i++) {
			a = w->buf[off + i];
			b = name[i];
			if (a >= 'A' && a <= 'Z')
				a += 'a' - 'A';
			if (b >= 'A' && b <= 'Z')
				b += 'a' - 'A';
			if (a != b)
				return (0);
		}
		off += (size_t)c + 1;
		name += (size_t)c + 1;
	}
}

/*
 * Find the longest suffix of name already in w->buf.  On success *skip
 * is the offset in name where that suffix starts and *ptr where it is in
 * the buffer; returns 0 if nothing matched.
 */
static int
cmp_find(const struct wbuf *w, const struct dns_compress *cmp,
    const uint8_t *name, size_t *skip, uint16_t *ptr)
{
	size_t		 pos[LABEL_MAXPOS], sfx[LABEL_MAXPOS], off;
	int		 i, k, n, nl, best;

	for (nl = 0, off = 0; name[off] != 0; nl++) {
		sfx[nl] = off;
		off += (size_t)name[off] + 1;
	}
	best = 0;
	for (i = 0; i < cmp->n && i < DNS_COMPRESS_MAX; i++) {
		n = cmp_positions(w, cmp->off[i], pos, LABEL_MAXPOS);
		/* position k of this name has n - k labels left */
		for (k = n > nl ? n - nl : 0; k < n && n - k > best; k++) {
			if (pos[k] > PTR_MAXOFF)
				continue;
			if (cmp_suffix_eq(w, pos[k], name + sfx[nl - n + k])) {
				best = n - k;
				*skip = sfx[nl - best];
				*ptr = pos[k];
				break;
			}
		}
	}
	return (best > 0);
}

/*
 * Write an uncompressed name.  With cmp, point at the longest suffix
 * already written at one of the recorded names and record this one.
 */
int
wbuf_name(struct wbuf *w, const uint8_t *name, size_t len,
    struct dns_compress *cmp)
{
	size_t		 skip, start;
	uint16_t	 ptr;
	int		 found;

	if (w->err)
		return (-1);
	if (!dns_name_valid(name, len))
		return (wbuf_fail(w));
	if (cmp == NULL || len == 1)
		return (wbuf_bytes(w, name, len));
	start = w->len;
	skip = len - 1;
	ptr = 0;
	found = cmp_find(w, cmp, name, &skip, &ptr);
	if (found) {
		wbuf_bytes(w, name, skip);
		wbuf_u16(w, 0xc000 | ptr);
	} else
		wbuf_bytes(w, name, len);
	if (w->err)
		return (-1);
	if (skip > 0 && start <= PTR_MAXOFF && cmp->n >= 0 &&
	    cmp->n < DNS_COMPRESS_MAX)
		cmp->off[cmp->n++] = start;
	return (0);
}
