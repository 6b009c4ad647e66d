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
 * shared/dns*.c: names, the wire reader and writer, rdata expansion and
 * presentation.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "dns.h"
#include "nametab.h"

#define OWNER_OFF	DNS_HDRLEN	/* "example.com" in every test msg */
#define PTR_OWNER	0xc0, 0x0c

static uint8_t	 xbuf[DNS_MAXRDATA];
static char	 tbuf[300000];

/* Wire form of a presentation name; fails the test if it does not parse. */
static size_t
name(const char *s, uint8_t *out)
{
	size_t	 len;

	ATF_REQUIRE_MSG(dns_name_from_text(s, out, &len) == 0,
	    "dns_name_from_text(\"%s\") failed", s);
	return (len);
}

static const char *
text(const uint8_t *n, size_t len)
{
	static char	 buf[DNS_MAXNAMESTR];

	ATF_REQUIRE(dns_name_to_text(n, len, buf, sizeof(buf)) == 0);
	return (buf);
}

/*
 * A message with one answer RR owned by example.com at offset 12 (so
 * that rdata may point at it with c0 0c), then rdata_expand.
 */
static size_t	 msglen;
static uint8_t	 msg[70000];

static int
expand(uint16_t type, const void *rd, size_t rdlen, size_t *outlen)
{
	static const uint8_t owner[] = "\7example\3com";
	struct dns_header h = { .id = 1, .ancount = 1 };
	struct dns_header h2;
	struct dns_rr	 rr;
	struct wbuf	 wb;
	struct wire	 w;

	wbuf_init(&wb, msg, sizeof(msg));
	wbuf_header(&wb, &h);
	wbuf_bytes(&wb, owner, sizeof(owner));
	wbuf_u16(&wb, type);
	wbuf_u16(&wb, DNS_C_IN);
	wbuf_u32(&wb, 3600);
	wbuf_u16(&wb, rdlen);
	wbuf_bytes(&wb, rd, rdlen);
	ATF_REQUIRE(wb.err == 0);
	msglen = wb.len;

	wire_init(&w, msg, msglen);
	ATF_REQUIRE(wire_header(&w, &h2) == 0);
	ATF_REQUIRE(wire_rr(&w, &rr) == 0);
	ATF_REQUIRE(rr.rdlen == rdlen && rr.type == type);
	ATF_REQUIRE(rr.rdoff == OWNER_OFF + sizeof(owner) + 10);
	ATF_REQUIRE(w.off == msglen);
	return (rdata_expand(msg, msglen, &rr, xbuf, sizeof(xbuf), outlen));
}

#define EXPAND_OK(type, rd, exp) do {					\
	size_t	 ol_;						\
	ATF_REQUIRE_MSG(expand(type, rd, sizeof(rd) - 1, &ol_) == 0,	\
	    "type %d: valid rdata refused", type);			\
	ATF_REQUIRE_MSG(ol_ == sizeof(exp) - 1 &&			\
	    memcmp(xbuf, exp, ol_) == 0,				\
	    "type %d: expanded to %zu bytes, expected %zu", type,	\
	    ol_, sizeof(exp) - 1);					\
} while (0)

#define EXPAND_BAD(type, rd) do {					\
	size_t	 ol_;						\
	ATF_REQUIRE_MSG(expand(type, rd, sizeof(rd) - 1,		\
	    &ol_) == -1, "type %d: malformed rdata accepted", type);	\
} while (0)

/* rdata given as a string literal; its trailing NUL is not rdata */
#define TEXT_IS(type, rd, exp) do {					\
	int	 r_;							\
	r_ = rdata_to_text(type, (const uint8_t *)rd, sizeof(rd) - 1,	\
	    tbuf, sizeof(tbuf));					\
	ATF_REQUIRE_MSG(r_ == 0, "type %d: rdata_to_text failed",	\
	    type);							\
	ATF_REQUIRE_MSG(strcmp(tbuf, exp) == 0,				\
	    "type %d: expected '%s', got '%s'", type, exp, tbuf);	\
} while (0)

#define TEXT_BAD(type, rd) do {						\
	ATF_REQUIRE_MSG(rdata_to_text(type, (const uint8_t *)rd,	\
	    sizeof(rd) - 1, tbuf, sizeof(tbuf)) == -1,			\
	    "type %d: malformed rdata printed as '%s'", type, tbuf);	\
} while (0)

/* names: text <-> wire */

ATF_TC_WITHOUT_HEAD(name_text_roundtrip);
ATF_TC_BODY(name_text_roundtrip, tc)
{
	uint8_t	 n[DNS_MAXNAME];
	size_t	 len;

	len = name("Example.COM.", n);
	ATF_REQUIRE(len == 13 && memcmp(n, "\7Example\3COM", 13) == 0);
	ATF_REQUIRE_STREQ(text(n, len), "Example.COM.");

	len = name("example.com", n);
	ATF_REQUIRE(len == 13 && memcmp(n, "\7example\3com", 13) == 0);
	ATF_REQUIRE_STREQ(text(n, len), "example.com.");

	len = name(".", n);
	ATF_REQUIRE(len == 1 && n[0] == 0);
	ATF_REQUIRE_STREQ(text(n, len), ".");
}

ATF_TC_WITHOUT_HEAD(name_text_escapes);
ATF_TC_BODY(name_text_escapes, tc)
{
	uint8_t	 n[DNS_MAXNAME];
	size_t	 len;

	len = name("a\\.b.c", n);
	ATF_REQUIRE(len == 7 && memcmp(n, "\3a.b\1c", 7) == 0);
	ATF_REQUIRE_STREQ(text(n, len), "a\\.b.c.");

	len = name("\\065bc.", n);
	ATF_REQUIRE(len == 5 && memcmp(n, "\3Abc", 5) == 0);

	len = name("a\\\\b", n);
	ATF_REQUIRE(len == 5 && memcmp(n, "\3a\\b", 5) == 0);
	ATF_REQUIRE_STREQ(text(n, len), "a\\\\b.");

	len = name("\\000x.\\255", n);
	ATF_REQUIRE(len == 6 && memcmp(n, "\2\0x\1\377", 6) == 0);
	ATF_REQUIRE_STREQ(text(n, len), "\\000x.\\255.");

	len = name("a\\032b.\\\"q\\(\\);\\@\\$", n);
	ATF_REQUIRE_STREQ(text(n, len), "a\\032b.\\\"q\\(\\)\\;\\@\\$.");
	ATF_REQUIRE(n[0] == 3 && n[2] == ' ');

	len = name("*.Z.example", n);
	ATF_REQUIRE_STREQ(text(n, len), "*.Z.example.");
}

ATF_TC_WITHOUT_HEAD(name_text_errors);
ATF_TC_BODY(name_text_errors, tc)
{
	static const char *bad[] = {
		"", "..", "a..b", ".a", "a.b..", "a\\", "a\\2", "a\\25",
		"a\\256", "a\\2x5", "\\999.com",
	};
	uint8_t	 n[DNS_MAXNAME];
	size_t	 i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_MSG(dns_name_from_text(bad[i], n, &len) == -1,
		    "\"%s\" accepted", bad[i]);
}

/* A name of labels of the given sizes, as text, in buf. */
static void
mkname(char *buf, size_t cap, const int *sizes, int nl)
{
	size_t	 n = 0;
	int	 i, j;

	for (i = 0; i < nl; i++) {
		for (j = 0; j < sizes[i]; j++)
			buf[n++] = 'a' + i;
		buf[n++] = '.';
		ATF_REQUIRE(n < cap);
	}
	buf[n] = '\0';
}

ATF_TC_WITHOUT_HEAD(name_text_limits);
ATF_TC_BODY(name_text_limits, tc)
{
	static const int l63[] = { 63 }, l64[] = { 64 };
	static const int n255[] = { 63, 63, 63, 61 };	/* 64*3+62+1 */
	static const int n256[] = { 63, 63, 63, 62 };
	uint8_t	 n[DNS_MAXNAME];
	char	 s[400], back[DNS_MAXNAMESTR];
	size_t	 len;

	mkname(s, sizeof(s), l63, 1);
	ATF_REQUIRE(dns_name_from_text(s, n, &len) == 0 && len == 65);
	mkname(s, sizeof(s), l64, 1);
	ATF_REQUIRE_MSG(dns_name_from_text(s, n, &len) == -1,
	    "64-octet label accepted");
	mkname(s, sizeof(s), n255, 4);
	ATF_REQUIRE(dns_name_from_text(s, n, &len) == 0 && len == 255);
	ATF_REQUIRE(dns_name_valid(n, len));
	ATF_REQUIRE(dns_name_to_text(n, len, back, sizeof(back)) == 0);
	ATF_REQUIRE_STREQ(back, s);
	/* exactly enough room, then one byte less */
	ATF_REQUIRE(dns_name_to_text(n, len, back, strlen(s) + 1) == 0);
	ATF_REQUIRE(dns_name_to_text(n, len, back, strlen(s)) == -1);
	mkname(s, sizeof(s), n256, 4);
	ATF_REQUIRE_MSG(dns_name_from_text(s, n, &len) == -1,
	    "256-octet name accepted");
	s[strlen(s) - 1] = '\0';	/* without the dot, same answer */
	ATF_REQUIRE(dns_name_from_text(s, n, &len) == -1);
}

ATF_TC_WITHOUT_HEAD(name_to_text_escape_room);
ATF_TC_BODY(name_to_text_escape_room, tc)
{
	uint8_t	 n[DNS_MAXNAME];
	char	 out[8];
	size_t	 len;

	len = name("\\001\\002", n);	/* "\001\002." is 9 chars + NUL */
	ATF_REQUIRE(dns_name_to_text(n, len, out, sizeof(out)) == -1);
	ATF_REQUIRE(dns_name_to_text(n, len, tbuf, 9) == -1);
	ATF_REQUIRE(dns_name_to_text(n, len, tbuf, 10) == 0);
	ATF_REQUIRE_STREQ(tbuf, "\\001\\002.");
	ATF_REQUIRE(dns_name_to_text(n, len, out, 1) == -1);
}

ATF_TC_WITHOUT_HEAD(name_valid);
ATF_TC_BODY(name_valid, tc)
{
	ATF_CHECK(dns_name_valid((const uint8_t *)"\0", 1) == 1);
	ATF_CHECK(dns_name_valid((const uint8_t *)"\1a\0", 3) == 1);
	ATF_CHECK(dns_name_valid((const uint8_t *)"\1a\0", 2) == 0);
	ATF_CHECK(dns_name_valid((const uint8_t *)"\1a\0\0", 4) == 0);
	ATF_CHECK(dns_name_valid((const uint8_t *)"\2a\0", 3) == 0);
	ATF_CHECK(dns_name_valid((const uint8_t *)"\100a\0", 3) == 0);
	ATF_CHECK(dns_name_valid((const uint8_t *)"\300\14", 2) == 0);
	ATF_CHECK(dns_name_valid((const uint8_t *)"", 0) == 0);
}

ATF_TC_WITHOUT_HEAD(name_compare);
ATF_TC_BODY(name_compare, tc)
{
	uint8_t	 a[DNS_MAXNAME], b[DNS_MAXNAME];
	size_t	 al, bl;

	al = name("WWW.Example.com", a);
	bl = name("www.example.COM.", b);
	ATF_CHECK(dns_name_equal(a, al, b, bl));
	ATF_CHECK(dns_name_cmp(a, al, b, bl) == 0);
	bl = name("www.example.org", b);
	ATF_CHECK(!dns_name_equal(a, al, b, bl));
	bl = name("ww.example.com", b);
	ATF_CHECK(!dns_name_equal(a, al, b, bl));
	/* '[' (0x5b) sorts after 'Z' but before 'z'; lowercasing matters */
	al = name("[.example", a);
	bl = name("Z.example", b);
	ATF_CHECK(dns_name_cmp(a, al, b, bl) < 0);
}

ATF_TC_WITHOUT_HEAD(name_cmp_rfc4034_order);
ATF_TC_BODY(name_cmp_rfc4034_order, tc)
{
	static const char *order[] = {
		"example", "a.example", "yljkjljk.a.example", "Z.a.example",
		"zABC.a.EXAMPLE", "z.example", "\\001.z.example",
		"*.z.example", "\\200.z.example",
	};
	uint8_t	 a[DNS_MAXNAME], b[DNS_MAXNAME];
	size_t	 i, j, al, bl, n = sizeof(order) / sizeof(order[0]);
	int	 r;

	for (i = 0; i < n; i++) {
		al = name(order[i], a);
		for (j = 0; j < n; j++) {
			bl = name(order[j], b);
			r = dns_name_cmp(a, al, b, bl);
			ATF_CHECK_MSG((i < j && r < 0) || (i == j && r == 0) ||
			    (i > j && r > 0), "cmp(%s, %s) = %d", order[i],
			    order[j], r);
		}
	}
}

ATF_TC_WITHOUT_HEAD(name_helpers);
ATF_TC_BODY(name_helpers, tc)
{
	uint8_t	 n[DNS_MAXNAME], z[DNS_MAXNAME];
	size_t	 nl, zl, off;

	nl = name("a.b.Example.com", n);
	zl = name("example.COM", z);
	ATF_CHECK(dns_name_labels(n, nl) == 4);
	ATF_CHECK(dns_name_labels(z, zl) == 2);
	ATF_CHECK(dns_name_labels((const uint8_t *)"", 1) == 0);
	ATF_CHECK(dns_name_subdomain(n, nl, z, zl));
	ATF_CHECK(dns_name_subdomain(z, zl, z, zl));
	ATF_CHECK(!dns_name_subdomain(z, zl, n, nl));
	ATF_CHECK(dns_name_subdomain(n, nl, (const uint8_t *)"", 1));
	zl = name("ample.com", z);
	ATF_CHECK(!dns_name_subdomain(n, nl, z, zl));
	/* a suffix as long as the zone, at a label boundary, not it */
	zl = name("b.example.org", z);
	ATF_CHECK(!dns_name_subdomain(n, nl, z, zl));
	/* a label that runs past the end: not a name, below nothing */
	n[2] = 60;
	ATF_CHECK(!dns_name_subdomain(n, nl, (const uint8_t *)"", 1));
	nl = name("a.b.Example.com", n);

	off = dns_name_parent(n, nl);
	ATF_CHECK(off == 2);
	ATF_CHECK_STREQ(text(n + off, nl - off), "b.Example.com.");
	ATF_CHECK(dns_name_parent((const uint8_t *)"", 1) == 0);
	ATF_CHECK(dns_name_suffix(n, nl, 2) == 4);
	ATF_CHECK(dns_name_suffix(n, nl, 0) == nl - 1);
	ATF_CHECK(dns_name_suffix(n, nl, 4) == 0);
	ATF_CHECK(dns_name_suffix(n, nl, 9) == 0);

	dns_name_lower(n, nl);
	ATF_CHECK_STREQ(text(n, nl), "a.b.example.com.");

	nl = name("*.example.com", n);
	ATF_CHECK(dns_name_wildcard(n, nl));
	nl = name("\\*.example.com", n);
	ATF_CHECK(dns_name_wildcard(n, nl));
	nl = name("*a.example.com", n);
	ATF_CHECK(!dns_name_wildcard(n, nl));
	nl = name("a.*.example.com", n);
	ATF_CHECK(!dns_name_wildcard(n, nl));
}

/* the reader */

ATF_TC_WITHOUT_HEAD(wire_fields_sticky_error);
ATF_TC_BODY(wire_fields_sticky_error, tc)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct wire	 w;
	uint32_t	 v32;
	uint16_t	 v16;
	uint8_t		 v8, out[4];

	wire_init(&w, b, sizeof(b));
	ATF_REQUIRE(wire_u8(&w, &v8) == 0 && v8 == 1);
	ATF_REQUIRE(wire_u16(&w, &v16) == 0 && v16 == 0x0203);
	ATF_REQUIRE(wire_u32(&w, &v32) == 0 && v32 == 0x04050607);
	ATF_REQUIRE(wire_u8(&w, &v8) == -1 && w.err == 1);
	w.off = 0;	/* even back at the start, the error stays */
	ATF_REQUIRE(wire_u8(&w, &v8) == -1);

	wire_init(&w, b, sizeof(b));
	ATF_REQUIRE(wire_skip(&w, 5) == 0);
	ATF_REQUIRE(wire_bytes(&w, out, 3) == -1 && w.err);
	ATF_REQUIRE(w.off == 5);
	wire_init(&w, b, sizeof(b));
	ATF_REQUIRE(wire_skip(&w, 6) == 0);
	ATF_REQUIRE(wire_u16(&w, &v16) == -1);
	ATF_REQUIRE(wire_u8(&w, &v8) == -1);
}

ATF_TC_WITHOUT_HEAD(wire_header_truncated);
ATF_TC_BODY(wire_header_truncated, tc)
{
	static const uint8_t b[] = {
		0x12, 0x34, 0x84, 0x00, 0, 1, 0, 2, 0, 3, 0, 4
	};
	struct dns_header h;
	struct wire	 w;

	wire_init(&w, b, sizeof(b));
	ATF_REQUIRE(wire_header(&w, &h) == 0);
	ATF_REQUIRE(h.id == 0x1234 && h.flags == (DNS_F_QR | DNS_F_AA));
	ATF_REQUIRE(h.qdcount == 1 && h.ancount == 2 && h.nscount == 3 &&
	    h.arcount == 4);
	wire_init(&w, b, sizeof(b) - 1);
	ATF_REQUIRE(wire_header(&w, &h) == -1 && w.err);
	wire_init(&w, b, 0);
	ATF_REQUIRE(wire_header(&w, &h) == -1);
}

ATF_TC_WITHOUT_HEAD(wire_question_truncated);
ATF_TC_BODY(wire_question_truncated, tc)
{
	static const uint8_t q[] = "\3www\7example\3com\0\0\1\0\1";
	uint8_t		 n[DNS_MAXNAME];
	size_t		 len, cut;
	uint16_t	 qt, qc;
	struct wire	 w;

	wire_init(&w, q, sizeof(q) - 1);
	ATF_REQUIRE(wire_question(&w, n, &len, &qt, &qc) == 0);
	ATF_REQUIRE(len == 17 && qt == DNS_T_A && qc == DNS_C_IN);
	ATF_REQUIRE(w.off == sizeof(q) - 1);
	for (cut = 0; cut < sizeof(q) - 1; cut++) {
		wire_init(&w, q, cut);
		ATF_CHECK_MSG(wire_question(&w, n, &len, &qt, &qc) == -1,
		    "question cut at %zu accepted", cut);
	}
}

ATF_TC_WITHOUT_HEAD(wire_rr_truncated);
ATF_TC_BODY(wire_rr_truncated, tc)
{
	static const uint8_t r[] =
	    "\3www\0\0\1\0\1\0\0\16\20\0\4\300\0\2\1";
	struct dns_rr	 rr;
	struct wire	 w;
	size_t		 cut;

	wire_init(&w, r, sizeof(r) - 1);
	ATF_REQUIRE(wire_rr(&w, &rr) == 0);
	ATF_REQUIRE(rr.ownerlen == 5 && rr.type == DNS_T_A &&
	    rr.class == DNS_C_IN && rr.ttl == 3600 && rr.rdlen == 4);
	ATF_REQUIRE(rr.rdoff == 15 && rr.rdata == r + 15);
	ATF_REQUIRE(w.off == sizeof(r) - 1);
	for (cut = 0; cut < sizeof(r) - 1; cut++) {
		wire_init(&w, r, cut);
		ATF_CHECK_MSG(wire_rr(&w, &rr) == -1,
		    "rr cut at %zu accepted", cut);
	}
}

/* read a name at off in b; return its length or -1 */
static int
readname(const uint8_t *b, size_t blen, size_t off, uint8_t *out,
    size_t *end)
{
	struct wire	 w;
	size_t		 len;

	wire_init(&w, b, blen);
	w.off = off;
	if (wire_name(&w, out, &len) == -1) {
		ATF_REQUIRE(w.err == 1);
		return (-1);
	}
	if (end != NULL)
		*end = w.off;
	return ((int)len);
}

ATF_TC_WITHOUT_HEAD(wire_name_pointers);
ATF_TC_BODY(wire_name_pointers, tc)
{
	/* 0: example.com; 13: www -> 0; 19: a -> 13 (www.example.com) */
	static const uint8_t b[] =
	    "\7Example\3com\0\3www\300\0\1a\300\15";
	uint8_t		 n[DNS_MAXNAME];
	size_t		 end;
	int		 len;

	len = readname(b, sizeof(b) - 1, 0, n, &end);
	ATF_REQUIRE(len == 13 && end == 13);
	len = readname(b, sizeof(b) - 1, 13, n, &end);
	ATF_REQUIRE(len == 17 && end == 19);
	ATF_REQUIRE_STREQ(text(n, len), "www.Example.com.");
	len = readname(b, sizeof(b) - 1, 19, n, &end);
	ATF_REQUIRE(len == 19 && end == 23);
	ATF_REQUIRE_STREQ(text(n, len), "a.www.Example.com.");
	/* a bare pointer is 2 bytes of message */
	len = readname(b, sizeof(b) - 1, 17, n, &end);
	ATF_REQUIRE(len == 13 && end == 19);
	/* skipping with NULL out */
	ATF_REQUIRE(readname(b, sizeof(b) - 1, 19, NULL, &end) == 19 &&
	    end == 23);
}

ATF_TC_WITHOUT_HEAD(wire_name_bad_pointers);
ATF_TC_BODY(wire_name_bad_pointers, tc)
{
	/* 12: pointer to 14; 14: pointer to 12 */
	static const uint8_t loop[] = "0123456789ab\300\16\300\14";
	/* 12: pointer to itself */
	static const uint8_t self[] = "0123456789ab\300\14";
	/* 12: label then a pointer to the start of its own name */
	static const uint8_t own[] = "0123456789ab\1a\300\14";
	/* 12: pointer forward to a valid name at 14 */
	static const uint8_t fwd[] = "0123456789ab\300\16\1a\0";
	/* a pointer cut in half, and a pointer past the end */
	static const uint8_t half[] = "\1a\0\300";
	static const uint8_t past[] = "0123456789ab\1a\0\300\377";
	uint8_t		 n[DNS_MAXNAME];

	ATF_CHECK(readname(loop, 16, 12, n, NULL) == -1);
	ATF_CHECK(readname(loop, 16, 14, n, NULL) == -1);
	ATF_CHECK(readname(self, 14, 12, n, NULL) == -1);
	ATF_CHECK(readname(own, 16, 12, n, NULL) == -1);
	ATF_CHECK(readname(fwd, 17, 12, n, NULL) == -1);
	ATF_CHECK(readname(fwd, 17, 14, n, NULL) == 3);
	ATF_CHECK(readname(half, 4, 3, n, NULL) == -1);
	ATF_CHECK(readname(past, 17, 15, n, NULL) == -1);
	ATF_CHECK(readname(past, 17, 12, n, NULL) == 3);
}

ATF_TC_WITHOUT_HEAD(wire_name_label_types);
ATF_TC_BODY(wire_name_label_types, tc)
{
	static const uint8_t ext[] = "\1a\101bcd\0";	/* 01 */
	static const uint8_t rsv[] = "\1a\201bcd\0";	/* 10 */
	static const uint8_t cut[] = "\1a\5bc";
	static const uint8_t noroot[] = "\1a";
	uint8_t		 n[DNS_MAXNAME];

	ATF_CHECK(readname(ext, sizeof(ext) - 1, 0, n, NULL) == -1);
	ATF_CHECK(readname(rsv, sizeof(rsv) - 1, 0, n, NULL) == -1);
	ATF_CHECK(readname(cut, sizeof(cut) - 1, 0, n, NULL) == -1);
	ATF_CHECK(readname(noroot, sizeof(noroot) - 1, 0, n, NULL) == -1);
	ATF_CHECK(readname(noroot, sizeof(noroot) - 1, 2, n, NULL) == -1);
	ATF_CHECK(readname(noroot, sizeof(noroot) - 1, 9, n, NULL) == -1);
}

/* Names grow by 64 octets per hop; the fourth is 257 octets long. */
ATF_TC_WITHOUT_HEAD(wire_name_too_long_via_pointers);
ATF_TC_BODY(wire_name_too_long_via_pointers, tc)
{
	uint8_t		 b[400], n[DNS_MAXNAME];
	size_t		 off[4], len = 0;
	int		 i;

	memset(b, 'x', sizeof(b));
	for (i = 0; i < 4; i++) {
		off[i] = len;
		b[len] = 63;
		len += 64;
		if (i == 0)
			b[len++] = 0;
		else {
			b[len++] = 0xc0 | off[i - 1] >> 8;
			b[len++] = off[i - 1] & 0xff;
		}
	}
	ATF_REQUIRE(readname(b, len, off[0], n, NULL) == 65);
	ATF_REQUIRE(readname(b, len, off[2], n, NULL) == 193);
	ATF_REQUIRE_MSG(readname(b, len, off[3], n, NULL) == -1,
	    "257-octet name accepted");
	/* 63+63+63+61: exactly 255 through pointers is fine */
	b[off[3]] = 61;
	memmove(b + off[3] + 62, b + off[3] + 64, 2);
	ATF_REQUIRE(readname(b, off[3] + 64, off[3], n, NULL) == 255);
	ATF_REQUIRE(dns_name_valid(n, 255));
}

ATF_TC_WITHOUT_HEAD(wire_name_nocomp);
ATF_TC_BODY(wire_name_nocomp, tc)
{
	static const uint8_t b[] = "\1a\0\1b\300\0";
	uint8_t		 n[DNS_MAXNAME];
	size_t		 len;
	struct wire	 w;

	wire_init(&w, b, sizeof(b) - 1);
	ATF_REQUIRE(wire_name_nocomp(&w, n, &len) == 0 && len == 3);
	ATF_REQUIRE(wire_name_nocomp(&w, n, &len) == -1 && w.err);
}

/*
 * A chain of pointers: at 12 "\1a\0", then pointer k (from 0) at
 * 15 + 2k points at pointer k - 1, pointer 0 at 12.  Reading at pointer
 * k follows k + 1 pointers.
 */
static size_t
ptr_chain(uint8_t *b, size_t cap, int n)
{
	size_t	 len = 15, prev = 12;
	int	 k;

	ATF_REQUIRE(cap >= 15 + 2 * (size_t)n);
	memset(b, 0, 12);
	memcpy(b + 12, "\1a\0", 3);
	for (k = 0; k < n; k++) {
		b[len] = 0xc0 | prev >> 8;
		b[len + 1] = prev & 0xff;
		prev = len;
		len += 2;
	}
	return (len);
}

/* RFC 1035 3.1: 127 labels at most, so no name needs more pointers. */
ATF_TC_WITHOUT_HEAD(wire_name_pointer_chain_capped);
ATF_TC_BODY(wire_name_pointer_chain_capped, tc)
{
	uint8_t		 b[600], n[DNS_MAXNAME];
	struct wire	 w;
	size_t		 len, nlen;

	len = ptr_chain(b, sizeof(b), 200);
	/* 127 pointers: the name "a." */
	ATF_REQUIRE_EQ(readname(b, len, 15 + 2 * 126, n, NULL), 3);
	ATF_REQUIRE(memcmp(n, "\1a\0", 3) == 0);
	/* 128 and more: malformed, not merely too costly */
	wire_init(&w, b, len);
	w.off = 15 + 2 * 127;
	ATF_REQUIRE(wire_name(&w, n, &nlen) == -1);
	ATF_CHECK_EQ(w.err, WIRE_EMALFORMED);
	ATF_CHECK_EQ(readname(b, len, 15 + 2 * 199, n, NULL), -1);
}

/*
 * Names of one message share its budget: 2-octet names at the end of a
 * 127-pointer path cost 129 each, so a query of them runs out; short
 * chains as real compression makes them never do.  An answer to a
 * message of ours (wire_init_answer) may be any legal message: it reads
 * them all.
 */
ATF_TC_WITHOUT_HEAD(wire_message_work_capped);
ATF_TC_BODY(wire_message_work_capped, tc)
{
	static uint8_t	 b[DNS_MAXMSG];
	uint8_t		 n[DNS_MAXNAME];
	struct wire	 w;
	size_t		 len, start, nlen, i, nnames, ok;
	size_t		 target[2] = { 15 + 2 * 125, 15 };

	for (i = 0; i < 2; i++) {
		start = ptr_chain(b, sizeof(b), 127);
		nnames = (sizeof(b) - start) / 2;
		for (len = start; len + 2 <= sizeof(b); len += 2) {
			b[len] = 0xc0 | target[i] >> 8;
			b[len + 1] = target[i] & 0xff;
		}
		wire_init(&w, b, len);
		ATF_REQUIRE_EQ(w.maxwork, len * WIRE_WORK_PER_OCTET);
		w.off = start;
		for (ok = 0; ok < nnames; ok++)
			if (wire_name(&w, n, &nlen) == -1)
				break;
		if (i == 0) {
			ATF_CHECK_EQ(w.err, WIRE_EWORK);
			ATF_CHECK_EQ_MSG(ok, w.maxwork / 129,
			    "expected %zu names before the cap, got %zu",
			    w.maxwork / 129, ok);
			ATF_CHECK(w.work == w.maxwork + 1);
			/* sticky, and stays WIRE_EWORK through later reads */
			ATF_CHECK(wire_name(&w, n, &nlen) == -1);
			ATF_CHECK(wire_u16(&w, NULL) == -1);
			ATF_CHECK_EQ(w.err, WIRE_EWORK);
			wire_init_answer(&w, b, len);
			w.off = start;
			for (ok = 0; ok < nnames; ok++)
				if (wire_name(&w, n, &nlen) == -1)
					break;
			ATF_CHECK_EQ_MSG(ok, nnames, "an answer of legal "
			    "names stopped after %zu of %zu", ok, nnames);
			ATF_CHECK_EQ(w.err, 0);
		} else {
			ATF_CHECK_EQ_MSG(ok, nnames, "a one-pointer name "
			    "hit the cap after %zu of %zu", ok, nnames);
			ATF_CHECK_EQ(w.err, 0);
			ATF_CHECK_EQ(w.work, nnames * 4);
		}
	}
}

/*
 * rdata_expand_msg counts the names of the rdata against the message:
 * CNAME records whose owner and target both sit at the end of the chain
 * run it out; rdata_expand alone, with a budget of its own, does not.
 */
ATF_TC_WITHOUT_HEAD(expand_msg_shares_budget);
ATF_TC_BODY(expand_msg_shares_budget, tc)
{
	static uint8_t	 b[DNS_MAXMSG];
	static const uint8_t fixed[] = { 0, 5, 0, 1, 0, 0, 0, 0, 0, 2 };
	struct dns_rr	 rr;
	struct wire	 w;
	uint8_t		 end[2];
	size_t		 len, start, rdlen, nrr, i;

	start = len = ptr_chain(b, sizeof(b), 127);
	end[0] = 0xc0 | (15 + 2 * 125) >> 8;
	end[1] = (15 + 2 * 125) & 0xff;
	while (len + 14 <= sizeof(b)) {
		memcpy(b + len, end, 2);
		memcpy(b + len + 2, fixed, 10);
		memcpy(b + len + 12, end, 2);
		len += 14;
	}
	wire_init(&w, b, len);
	w.off = start;
	for (nrr = 0; nrr < (len - start) / 14; nrr++) {
		if (wire_rr(&w, &rr) == -1)
			break;
		if (rdata_expand_msg(&w, &rr, xbuf, sizeof(xbuf),
		    &rdlen) == -1) {
			ATF_CHECK_EQ(w.err, WIRE_EWORK);
			ATF_REQUIRE(rdata_expand(b, len, &rr, xbuf,
			    sizeof(xbuf), &rdlen) == 0);
			ATF_CHECK(rdlen == 3 && memcmp(xbuf, "\1a\0", 3) == 0);
			break;
		}
		ATF_REQUIRE(rdlen == 3);
	}
	ATF_CHECK_EQ(w.err, WIRE_EWORK);
	/* two names of 129 each per record */
	i = w.maxwork / 258;
	ATF_CHECK_MSG(nrr == i, "expected the cap at record %zu, got %zu",
	    i, nrr);
}

/* rdata_expand */

ATF_TC_WITHOUT_HEAD(expand_address);
ATF_TC_BODY(expand_address, tc)
{
	EXPAND_OK(DNS_T_A, "\300\0\2\1", "\300\0\2\1");
	EXPAND_BAD(DNS_T_A, "\300\0\2");
	EXPAND_BAD(DNS_T_A, "\300\0\2\1\1");
	EXPAND_BAD(DNS_T_A, "");
	EXPAND_OK(DNS_T_AAAA, "\40\1\15\270\0\0\0\0\0\0\0\0\0\0\0\1",
	    "\40\1\15\270\0\0\0\0\0\0\0\0\0\0\0\1");
	EXPAND_BAD(DNS_T_AAAA, "\40\1\15\270\0\0\0\0\0\0\0\0\0\0\0");
	EXPAND_BAD(DNS_T_AAAA, "\300\0\2\1");
}

ATF_TC_WITHOUT_HEAD(expand_single_name);
ATF_TC_BODY(expand_single_name, tc)
{
	static const uint16_t types[] = {
		DNS_T_NS, DNS_T_MD, DNS_T_MF, DNS_T_CNAME, DNS_T_MB,
		DNS_T_MG, DNS_T_MR, DNS_T_PTR,
	};
	size_t		 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EXPAND_OK(types[i], "\3NS1\300\14", "\3NS1\7example\3com\0");
		EXPAND_OK(types[i], "\3ns1\0", "\3ns1\0");
		EXPAND_BAD(types[i], "\3ns1\0\0");
		EXPAND_BAD(types[i], "\3ns1");
		EXPAND_BAD(types[i], "");
		/* a pointer into the rdata's own name */
		EXPAND_BAD(types[i], "\3ns1\300\47");
	}
	/* DNAME must not be compressed (RFC 6672) */
	EXPAND_OK(DNS_T_DNAME, "\3foo\0", "\3foo\0");
	EXPAND_BAD(DNS_T_DNAME, "\3foo\300\14");
	EXPAND_BAD(DNS_T_DNAME, "\3foo\0\1");
}

ATF_TC_WITHOUT_HEAD(expand_soa);
ATF_TC_BODY(expand_soa, tc)
{
	EXPAND_OK(DNS_T_SOA,
	    "\2ns\300\14\12hostmaster\300\14"
	    "\170\243\361\165\0\0\16\20\0\0\3\204\0\11\72\200\0\0\1\54",
	    "\2ns\7example\3com\0\12hostmaster\7example\3com\0"
	    "\170\243\361\165\0\0\16\20\0\0\3\204\0\11\72\200\0\0\1\54");
	EXPAND_BAD(DNS_T_SOA,
	    "\2ns\300\14\12hostmaster\300\14"
	    "\170\243\361\165\0\0\16\20\0\0\3\204\0\11\72\200");
	EXPAND_BAD(DNS_T_SOA, "\2ns\300\14");
	EXPAND_BAD(DNS_T_SOA,
	    "\2ns\300\14\12hostmaster\300\14"
	    "\170\243\361\165\0\0\16\20\0\0\3\204\0\11\72\200\0\0\1\54\0");
}

ATF_TC_WITHOUT_HEAD(expand_mx_and_friends);
ATF_TC_BODY(expand_mx_and_friends, tc)
{
	EXPAND_OK(DNS_T_MX, "\0\12\4Mail\300\14",
	    "\0\12\4Mail\7example\3com\0");
	EXPAND_BAD(DNS_T_MX, "\0\12");
	EXPAND_BAD(DNS_T_MX, "\0");
	EXPAND_OK(DNS_T_AFSDB, "\0\1\3afs\300\14", "\0\1\3afs\7example\3com\0");
	EXPAND_OK(DNS_T_RT, "\0\1\2rt\0", "\0\1\2rt\0");
	EXPAND_BAD(DNS_T_RT, "\0\1");
	EXPAND_OK(DNS_T_KX, "\0\1\2kx\0", "\0\1\2kx\0");
	EXPAND_BAD(DNS_T_KX, "\0\1\2kx\300\14");
	EXPAND_OK(DNS_T_PX, "\0\1\300\14\1x\0", "\0\1\7example\3com\0\1x\0");
	EXPAND_BAD(DNS_T_PX, "\0\1\300\14");
	EXPAND_OK(DNS_T_MINFO, "\1a\300\14\1b\300\14",
	    "\1a\7example\3com\0\1b\7example\3com\0");
	EXPAND_BAD(DNS_T_MINFO, "\1a\300\14");
	EXPAND_OK(DNS_T_RP, "\1a\300\14\0", "\1a\7example\3com\0\0");
	EXPAND_BAD(DNS_T_RP, "\1a\300\14");
}

ATF_TC_WITHOUT_HEAD(expand_srv_naptr);
ATF_TC_BODY(expand_srv_naptr, tc)
{
	EXPAND_OK(DNS_T_SRV, "\0\0\0\5\23\304\3sip\0",
	    "\0\0\0\5\23\304\3sip\0");
	/* RFC 2052 senders compressed SRV; RFC 3597 says decompress */
	EXPAND_OK(DNS_T_SRV, "\0\0\0\5\23\304\3sip\300\14",
	    "\0\0\0\5\23\304\3sip\7example\3com\0");
	EXPAND_BAD(DNS_T_SRV, "\0\0\0\5\23");
	EXPAND_BAD(DNS_T_SRV, "\0\0\0\5\23\304");
	EXPAND_OK(DNS_T_NAPTR, "\0\144\0\12\1U\7E2U+sip\2!x\0",
	    "\0\144\0\12\1U\7E2U+sip\2!x\0");
	EXPAND_BAD(DNS_T_NAPTR, "\0\144\0\12\1U\7E2U+sip\2!x");
	EXPAND_BAD(DNS_T_NAPTR, "\0\144\0\12\1U\7E2U+sip");
	EXPAND_BAD(DNS_T_NAPTR, "\0\144\0\12\1U\7E2U+sip\5!x\0");
}

ATF_TC_WITHOUT_HEAD(expand_strings);
ATF_TC_BODY(expand_strings, tc)
{
	EXPAND_OK(DNS_T_TXT, "\5hello\5world", "\5hello\5world");
	EXPAND_OK(DNS_T_TXT, "\0", "\0");
	EXPAND_BAD(DNS_T_TXT, "\5hel");
	EXPAND_BAD(DNS_T_TXT, "\5hello\5wor");
	EXPAND_BAD(DNS_T_TXT, "");
	EXPAND_OK(DNS_T_SPF, "\6v=spf1", "\6v=spf1");
	EXPAND_OK(DNS_T_HINFO, "\3CPU\2OS", "\3CPU\2OS");
	EXPAND_BAD(DNS_T_HINFO, "\3CPU");
	EXPAND_BAD(DNS_T_HINFO, "\3CPU\2OS\0");
	EXPAND_OK(DNS_T_CAA, "\0\5issuea.b", "\0\5issuea.b");
	EXPAND_OK(DNS_T_CAA, "\200\3iod", "\200\3iod");
	EXPAND_BAD(DNS_T_CAA, "\0\0\3a.b");
	EXPAND_BAD(DNS_T_CAA, "\0\11issue");
	EXPAND_BAD(DNS_T_CAA, "\0");
}

ATF_TC_WITHOUT_HEAD(expand_dnssec);
ATF_TC_BODY(expand_dnssec, tc)
{
	EXPAND_OK(DNS_T_DS, "\60\71\10\2\1\2", "\60\71\10\2\1\2");
	EXPAND_BAD(DNS_T_DS, "\60\71\10");
	EXPAND_OK(DNS_T_CDS, "\60\71\10\2\1", "\60\71\10\2\1");
	EXPAND_OK(DNS_T_DNSKEY, "\1\1\3\10\3\1\0\1", "\1\1\3\10\3\1\0\1");
	EXPAND_BAD(DNS_T_DNSKEY, "\1\1\3");
	EXPAND_OK(DNS_T_CDNSKEY, "\1\1\3\10\3", "\1\1\3\10\3");
	EXPAND_OK(DNS_T_RRSIG,
	    "\0\1\10\2\0\0\16\20\145\222\0\200\145\151\42\0\60\71"
	    "\7example\0sig",
	    "\0\1\10\2\0\0\16\20\145\222\0\200\145\151\42\0\60\71"
	    "\7example\0sig");
	EXPAND_BAD(DNS_T_RRSIG,		/* signer compressed */
	    "\0\1\10\2\0\0\16\20\145\222\0\200\145\151\42\0\60\71"
	    "\300\14sig");
	EXPAND_BAD(DNS_T_RRSIG,
	    "\0\1\10\2\0\0\16\20\145\222\0\200\145\151\42\0\60");
	EXPAND_OK(DNS_T_NSEC, "\1a\0\0\1\100", "\1a\0\0\1\100");
	EXPAND_OK(DNS_T_NSEC, "\1a\0", "\1a\0");
	EXPAND_BAD(DNS_T_NSEC, "\1a\300\14\0\1\100");
	EXPAND_BAD(DNS_T_NSEC, "\1a\0\0\0");		/* empty window */
	EXPAND_BAD(DNS_T_NSEC, "\1a\0\0\2\100");	/* past the end */
	EXPAND_BAD(DNS_T_NSEC, "\1a\0\1\1\100\0\1\100"); /* out of order */
	EXPAND_BAD(DNS_T_NSEC, "\1a\0\0\1\100\0\1\100"); /* repeated */
	EXPAND_BAD(DNS_T_NSEC, "\1a\0\0\41"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\1");					/* 33 octets */
	EXPAND_OK(DNS_T_NSEC3, "\1\0\0\12\2\252\273\3abc\0\1\100",
	    "\1\0\0\12\2\252\273\3abc\0\1\100");
	EXPAND_OK(DNS_T_NSEC3, "\1\0\0\12\0\3abc", "\1\0\0\12\0\3abc");
	EXPAND_BAD(DNS_T_NSEC3, "\1\0\0\12\0\0");	/* empty hash */
	EXPAND_BAD(DNS_T_NSEC3, "\1\0\0\12\11\252");	/* salt too long */
	EXPAND_OK(DNS_T_NSEC3PARAM, "\1\0\0\12\2\252\273",
	    "\1\0\0\12\2\252\273");
	EXPAND_BAD(DNS_T_NSEC3PARAM, "\1\0\0\12\2\252\273\0");
	EXPAND_BAD(DNS_T_NSEC3PARAM, "\1\0\0\12");
}

ATF_TC_WITHOUT_HEAD(expand_misc_known);
ATF_TC_BODY(expand_misc_known, tc)
{
	EXPAND_OK(DNS_T_SSHFP, "\2\1\22\64", "\2\1\22\64");
	EXPAND_BAD(DNS_T_SSHFP, "\2");
	EXPAND_OK(DNS_T_TLSA, "\3\1\1\14", "\3\1\1\14");
	EXPAND_BAD(DNS_T_TLSA, "\3\1");
	EXPAND_OK(DNS_T_SVCB, "\0\1\3svc\0\0\1\0\0", "\0\1\3svc\0\0\1\0\0");
	EXPAND_OK(DNS_T_HTTPS, "\0\1\0", "\0\1\0");
	EXPAND_BAD(DNS_T_HTTPS, "\0\1\300\14");
	EXPAND_BAD(DNS_T_SVCB, "\0\1");
}

ATF_TC_WITHOUT_HEAD(expand_unknown_opaque);
ATF_TC_BODY(expand_unknown_opaque, tc)
{
	/* opaque even when the bytes look like a pointer */
	EXPAND_OK(65280, "\300\14\1\2", "\300\14\1\2");
	EXPAND_OK(65280, "", "");
	EXPAND_OK(DNS_T_NULL, "\0\1", "\0\1");
}

ATF_TC_WITHOUT_HEAD(expand_bounds);
ATF_TC_BODY(expand_bounds, tc)
{
	struct dns_rr	 rr;
	struct wire	 w;
	struct dns_header h;
	uint8_t		 small[16];
	size_t		 ol;

	ATF_REQUIRE(expand(DNS_T_NS, "\3ns1\300\14", 6, &ol) == 0);
	wire_init(&w, msg, msglen);
	wire_header(&w, &h);
	ATF_REQUIRE(wire_rr(&w, &rr) == 0);
	memset(small, 0xa5, sizeof(small));
	ATF_REQUIRE(rdata_expand(msg, msglen, &rr, small, 16, &ol) == -1);
	ATF_REQUIRE(rdata_expand(msg, msglen, &rr, small, 17 - 1, &ol) ==
	    -1);
	ATF_REQUIRE(rdata_expand(msg, msglen, &rr, xbuf, 17, &ol) == 0 &&
	    ol == 17);
	ATF_REQUIRE(rdata_expand(msg, msglen - 1, &rr, xbuf, 17, &ol) == -1);
	rr.rdoff = msglen + 1;
	ATF_REQUIRE(rdata_expand(msg, msglen, &rr, xbuf, 17, &ol) == -1);
}

/* the writer */

ATF_TC_WITHOUT_HEAD(wbuf_compression_bytes);
ATF_TC_BODY(wbuf_compression_bytes, tc)
{
	static const char *names[] = {
		"www.example.com", "mail.EXAMPLE.com", "example.com",
		"a.mail.example.com", "org", "x.org", ".", "b.www.example.com",
	};
	static const uint8_t exp[] =
	    "\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\3www\7example\3com\0"	/* 12 */
	    "\4mail\300\20"		/* 29 */
	    "\300\20"			/* 36 */
	    "\1a\300\35"		/* 38 */
	    "\3org\0"			/* 42 */
	    "\1x\300\52"		/* 47 */
	    "\0"			/* 51 */
	    "\1b\300\14";		/* 52 */
	struct dns_compress cmp = { 0 };
	struct dns_header h = { 0 };
	uint8_t		 buf[512], n[DNS_MAXNAME], r[DNS_MAXNAME];
	size_t		 i, len, rlen;
	struct wbuf	 wb;
	struct wire	 w;

	wbuf_init(&wb, buf, sizeof(buf));
	wbuf_header(&wb, &h);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		len = name(names[i], n);
		ATF_REQUIRE(wbuf_name(&wb, n, len, &cmp) == 0);
	}
	ATF_REQUIRE_MSG(wb.len == sizeof(exp) - 1, "wrote %zu bytes, "
	    "expected %zu", wb.len, sizeof(exp) - 1);
	for (i = 0; i < wb.len; i++)
		ATF_CHECK_MSG(buf[i] == exp[i], "byte %zu: %#x, expected %#x",
		    i, buf[i], exp[i]);
	ATF_CHECK(cmp.n == 6);

	wire_init(&w, buf, wb.len);
	w.off = DNS_HDRLEN;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		len = name(names[i], n);
		ATF_REQUIRE(wire_name(&w, r, &rlen) == 0);
		ATF_CHECK_MSG(dns_name_equal(r, rlen, n, len),
		    "name %zu read back as %s", i, text(r, rlen));
	}
	ATF_REQUIRE(w.off == wb.len);
}

ATF_TC_WITHOUT_HEAD(wbuf_compression_full_table);
ATF_TC_BODY(wbuf_compression_full_table, tc)
{
	struct dns_compress cmp = { 0 };
	uint8_t		 buf[8192], n[DNS_MAXNAME], r[DNS_MAXNAME];
	char		 s[64];
	size_t		 len, rlen;
	struct wbuf	 wb;
	struct wire	 w;
	int		 i;

	wbuf_init(&wb, buf, sizeof(buf));
	for (i = 0; i < DNS_COMPRESS_MAX + 10; i++) {
		snprintf(s, sizeof(s), "h%d.example.com", i);
		len = name(s, n);
		ATF_REQUIRE(wbuf_name(&wb, n, len, &cmp) == 0);
	}
	ATF_REQUIRE(cmp.n == DNS_COMPRESS_MAX);
	wire_init(&w, buf, wb.len);
	for (i = 0; i < DNS_COMPRESS_MAX + 10; i++) {
		snprintf(s, sizeof(s), "h%d.example.com", i);
		len = name(s, n);
		ATF_REQUIRE(wire_name(&w, r, &rlen) == 0);
		ATF_REQUIRE(dns_name_equal(r, rlen, n, len));
	}
}

/* Only the first 16 KB can be pointed at; later names go out in full. */
ATF_TC_WITHOUT_HEAD(wbuf_compression_past_16k);
ATF_TC_BODY(wbuf_compression_past_16k, tc)
{
	static uint8_t	 buf[0x5000];
	struct dns_compress cmp = { 0 };
	uint8_t		 n[DNS_MAXNAME], r[DNS_MAXNAME];
	size_t		 len, rlen, at;
	struct wbuf	 wb;
	struct wire	 w;

	wbuf_init(&wb, buf, sizeof(buf));
	wb.len = 0x3ffe;
	len = name("www.example.com", n);
	ATF_REQUIRE(wbuf_name(&wb, n, len, &cmp) == 0 && cmp.n == 1);
	at = wb.len;
	len = name("mail.example.com", n);
	ATF_REQUIRE(wbuf_name(&wb, n, len, &cmp) == 0);
	ATF_REQUIRE_MSG(wb.len == at + len && cmp.n == 1,
	    "pointer past 0x3fff written or recorded");
	len = name("WWW.example.com", n);
	ATF_REQUIRE(wbuf_name(&wb, n, len, &cmp) == 0);
	ATF_REQUIRE(wb.len == at + 18 + 2);
	ATF_REQUIRE(buf[at + 18] == 0xff && buf[at + 19] == 0xfe);
	wire_init(&w, buf, wb.len);
	w.off = at;
	ATF_REQUIRE(wire_name(&w, r, &rlen) == 0);
	ATF_REQUIRE_STREQ(text(r, rlen), "mail.example.com.");
	ATF_REQUIRE(wire_name(&w, r, &rlen) == 0);
	ATF_REQUIRE_STREQ(text(r, rlen), "www.example.com.");
}

ATF_TC_WITHOUT_HEAD(wbuf_plain_and_invalid);
ATF_TC_BODY(wbuf_plain_and_invalid, tc)
{
	uint8_t		 buf[64], n[DNS_MAXNAME];
	size_t		 len;
	struct wbuf	 wb;

	wbuf_init(&wb, buf, sizeof(buf));
	len = name("a.b", n);
	ATF_REQUIRE(wbuf_name(&wb, n, len, NULL) == 0);
	ATF_REQUIRE(wbuf_name(&wb, n, len, NULL) == 0);
	ATF_REQUIRE(wb.len == 10 && memcmp(buf + 5, "\1a\1b", 5) == 0);
	ATF_REQUIRE(wbuf_name(&wb, (const uint8_t *)"\2a\0", 3, NULL) == -1);
	ATF_REQUIRE(wb.err && wb.len == 10);
	ATF_REQUIRE(wbuf_u8(&wb, 1) == -1);
}

ATF_TC_WITHOUT_HEAD(wbuf_overflow_canary);
ATF_TC_BODY(wbuf_overflow_canary, tc)
{
	struct dns_compress cmp = { 0 };
	uint8_t		 buf[64], n[DNS_MAXNAME];
	size_t		 len, i, cap;
	struct wbuf	 wb;

	for (cap = 0; cap < 32; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		memset(&cmp, 0, sizeof(cmp));
		wbuf_init(&wb, buf, cap);
		len = name("www.example.com", n);
		wbuf_name(&wb, n, len, &cmp);
		len = name("mail.example.com", n);
		wbuf_name(&wb, n, len, &cmp);
		wbuf_u32(&wb, 0xdeadbeef);
		ATF_REQUIRE_MSG(wb.err == (cap < 17 + 7 + 4),
		    "cap %zu: err %d", cap, wb.err);
		ATF_REQUIRE(wb.len <= cap);
		for (i = cap; i < sizeof(buf); i++)
			ATF_REQUIRE_MSG(buf[i] == 0xa5,
			    "cap %zu: byte %zu overwritten", cap, i);
		if (wb.err) {
			ATF_REQUIRE(wbuf_u8(&wb, 0) == -1);
			ATF_REQUIRE(wbuf_bytes(&wb, "", 0) == -1);
		}
	}
	wbuf_init(&wb, buf, 3);
	ATF_REQUIRE(wbuf_u32(&wb, 1) == -1 && wb.len == 0);
	wbuf_init(&wb, buf, 1);
	ATF_REQUIRE(wbuf_u16(&wb, 1) == -1 && wb.len == 0);
}

ATF_TC_WITHOUT_HEAD(wbuf_set_u16_patch);
ATF_TC_BODY(wbuf_set_u16_patch, tc)
{
	uint8_t		 buf[16];
	struct wbuf	 wb;

	wbuf_init(&wb, buf, sizeof(buf));
	wbuf_u16(&wb, 0);
	wbuf_u16(&wb, 0);
	ATF_REQUIRE(wbuf_set_u16(&wb, 2, 0x1234) == 0);
	ATF_REQUIRE(buf[2] == 0x12 && buf[3] == 0x34 && wb.len == 4);
	ATF_REQUIRE(wbuf_set_u16(&wb, 1, 0xabcd) == 0);
	ATF_REQUIRE(wbuf_set_u16(&wb, 3, 1) == -1 && wb.err);
	wbuf_init(&wb, buf, sizeof(buf));
	ATF_REQUIRE(wbuf_set_u16(&wb, 0, 1) == -1);
}

/* presentation */

ATF_TC_WITHOUT_HEAD(text_basic_types);
ATF_TC_BODY(text_basic_types, tc)
{
	TEXT_IS(DNS_T_A, "\300\0\2\1", "192.0.2.1");
	TEXT_IS(DNS_T_AAAA, "\40\1\15\270\0\0\0\0\0\0\0\0\0\0\0\1",
	    "2001:db8::1");
	TEXT_IS(DNS_T_NS, "\3ns1\7Example\3com\0", "ns1.Example.com.");
	TEXT_IS(DNS_T_CNAME, "\0", ".");
	TEXT_IS(DNS_T_PTR, "\1a\3b\\c\0", "a.b\\\\c.");
	TEXT_IS(DNS_T_DNAME, "\3foo\0", "foo.");
	TEXT_IS(DNS_T_SOA,
	    "\2ns\7example\3com\0\12hostmaster\7example\3com\0"
	    "\170\243\361\165\0\0\16\20\0\0\3\204\0\11\72\200\0\0\1\54",
	    "ns.example.com. hostmaster.example.com. 2024010101 3600 900 "
	    "604800 300");
	TEXT_IS(DNS_T_MX, "\0\12\4mail\7example\3com\0",
	    "10 mail.example.com.");
	TEXT_IS(DNS_T_SRV, "\0\0\0\5\23\304\3sip\7example\3com\0",
	    "0 5 5060 sip.example.com.");
	TEXT_IS(DNS_T_AFSDB, "\0\1\3afs\0", "1 afs.");
	TEXT_IS(DNS_T_RT, "\0\2\2rt\0", "2 rt.");
	TEXT_IS(DNS_T_KX, "\0\3\2kx\0", "3 kx.");
	TEXT_IS(DNS_T_PX, "\0\1\1a\0\1b\0", "1 a. b.");
	TEXT_IS(DNS_T_RP, "\1a\0\1b\0", "a. b.");
	TEXT_IS(DNS_T_MINFO, "\1a\0\1b\0", "a. b.");
}

ATF_TC_WITHOUT_HEAD(text_strings);
ATF_TC_BODY(text_strings, tc)
{
	TEXT_IS(DNS_T_TXT, "\13hello world", "\"hello world\"");
	TEXT_IS(DNS_T_TXT, "\1a\0\6q\"b\\c\11",
	    "\"a\" \"\" \"q\\\"b\\\\c\\009\"");
	TEXT_IS(DNS_T_TXT, "\2\303\251", "\"\\195\\169\"");
	TEXT_IS(DNS_T_SPF, "\6v=spf1", "\"v=spf1\"");
	TEXT_IS(DNS_T_HINFO, "\11INTEL-386\4Unix", "\"INTEL-386\" \"Unix\"");
	TEXT_IS(DNS_T_NAPTR,
	    "\0\144\0\12\1U\7E2U+sip\33!^.*$!sip:info@example.com!\0",
	    "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .");
	TEXT_IS(DNS_T_CAA, "\0\5issueletsencrypt.org",
	    "0 issue \"letsencrypt.org\"");
	TEXT_IS(DNS_T_CAA, "\200\5iodef", "128 iodef \"\"");
	/* a tag that cannot be shown bare falls back to the \# form */
	TEXT_IS(DNS_T_CAA, "\0\2a b", "\\# 5 0002612062");
	TEXT_BAD(DNS_T_TXT, "\5hel");
	TEXT_BAD(DNS_T_TXT, "");
	TEXT_BAD(DNS_T_CAA, "\0\0");
}

ATF_TC_WITHOUT_HEAD(text_dnssec);
ATF_TC_BODY(text_dnssec, tc)
{
	TEXT_IS(DNS_T_DS, "\60\71\10\2\053\273\030\072",
	    "12345 8 2 2BBB183A");
	TEXT_IS(DNS_T_CDS, "\0\0\0\0\0", "0 0 0 00");
	TEXT_IS(DNS_T_DNSKEY, "\1\1\3\10foobar", "257 3 8 Zm9vYmFy");
	TEXT_IS(DNS_T_CDNSKEY, "\1\0\3\15f", "256 3 13 Zg==");
	TEXT_IS(DNS_T_KEY, "\1\0\3\15fo", "256 3 13 Zm8=");
	TEXT_IS(DNS_T_RRSIG,
	    "\0\1\10\2\0\0\16\20\145\222\0\200\145\151\42\0\60\71"
	    "\7example\3com\0foobar",
	    "A 8 2 3600 20240101000000 20231201000000 12345 example.com. "
	    "Zm9vYmFy");
	TEXT_IS(DNS_T_RRSIG,
	    "\377\0\10\2\0\0\16\20\377\377\377\377\0\0\0\0\60\71"
	    "\0fooba",
	    "TYPE65280 8 2 3600 21060207062815 19700101000000 12345 . "
	    "Zm9vYmE=");
	/* RFC 4034 section 4.3 */
	TEXT_IS(DNS_T_NSEC,
	    "\4host\7example\3com\0"
	    "\0\6\100\1\0\0\0\3"
	    "\4\33"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\40",
	    "host.example.com. A MX RRSIG NSEC TYPE1234");
	TEXT_IS(DNS_T_NSEC, "\1a\0", "a.");
	TEXT_IS(DNS_T_NSEC3, "\1\1\0\14\4\252\273\314\335\6foobar"
	    "\0\6\100\0\0\0\0\2",
	    "1 1 12 AABBCCDD CPNMUOJ1E8 A RRSIG");
	TEXT_IS(DNS_T_NSEC3, "\1\0\0\0\0\5fooba", "1 0 0 - CPNMUOJ1");
	TEXT_IS(DNS_T_NSEC3, "\1\0\0\0\0\1f", "1 0 0 - CO");
	TEXT_IS(DNS_T_NSEC3, "\1\0\0\0\0\4foob", "1 0 0 - CPNMUOG");
	TEXT_IS(DNS_T_NSEC3PARAM, "\1\0\0\12\0", "1 0 10 -");
	TEXT_IS(DNS_T_NSEC3PARAM, "\1\0\0\12\2\252\273", "1 0 10 AABB");
	TEXT_IS(DNS_T_SSHFP, "\2\1\22\64\126\170\232\274\336\366",
	    "2 1 123456789ABCDEF6");
	TEXT_IS(DNS_T_TLSA, "\3\1\1\14\162\254", "3 1 1 0C72AC");
	/* an empty digest has no typed form */
	TEXT_IS(DNS_T_DS, "\60\71\10\2", "\\# 4 30390802");
	TEXT_BAD(DNS_T_NSEC, "\1a\300\0");
	TEXT_BAD(DNS_T_NSEC, "\1a\0\0\0");
	TEXT_BAD(DNS_T_RRSIG, "\0\1\10\2");
}

ATF_TC_WITHOUT_HEAD(text_generic);
ATF_TC_BODY(text_generic, tc)
{
	TEXT_IS(65280, "\12\0\0\1", "\\# 4 0A000001");
	TEXT_IS(65280, "", "\\# 0");
	TEXT_IS(DNS_T_NULL, "\1", "\\# 1 01");
	TEXT_IS(DNS_T_SVCB, "\0\1\3svc\0", "\\# 7 00010373766300");
	TEXT_BAD(DNS_T_SVCB, "\0\1\300\0");
	TEXT_BAD(DNS_T_A, "\300\0\2");
	TEXT_BAD(DNS_T_MX, "\0\12\4mail\300\14");	/* not expanded */
}

ATF_TC_WITHOUT_HEAD(text_no_room);
ATF_TC_BODY(text_no_room, tc)
{
	static const uint8_t a[] = { 192, 0, 2, 1 };
	char		 out[32];
	size_t		 cap, i;

	for (cap = 1; cap < sizeof(out); cap++) {
		memset(out, 0x5a, sizeof(out));
		ATF_REQUIRE(rdata_to_text(DNS_T_A, a, 4, out, cap) ==
		    (cap < 10 ? -1 : 0));
		for (i = cap; i < sizeof(out); i++)
			ATF_REQUIRE(out[i] == 0x5a);
		memset(out, 0x5a, sizeof(out));
		ATF_REQUIRE(rdata_to_text(65280, a, 4, out, cap) ==
		    (cap < 14 ? -1 : 0));
		for (i = cap; i < sizeof(out); i++)
			ATF_REQUIRE(out[i] == 0x5a);
	}
	ATF_REQUIRE(rdata_to_text(DNS_T_A, a, 4, out, 0) == -1);
}

ATF_TC_WITHOUT_HEAD(type_names);
ATF_TC_BODY(type_names, tc)
{
	char	 buf[DNS_MAXTYPESTR];

	ATF_CHECK_STREQ(dns_type_name(DNS_T_A, buf, sizeof(buf)), "A");
	ATF_CHECK_STREQ(buf, "A");
	ATF_CHECK_STREQ(dns_type_name(DNS_T_NSEC3PARAM, buf, sizeof(buf)),
	    "NSEC3PARAM");
	ATF_CHECK_STREQ(dns_type_name(DNS_T_CAA, buf, sizeof(buf)), "CAA");
	ATF_CHECK_STREQ(dns_type_name(12345, buf, sizeof(buf)),
	    "TYPE12345");
	ATF_CHECK_STREQ(dns_type_name(65535, buf, sizeof(buf)),
	    "TYPE65535");
	ATF_CHECK(dns_type_byname("A") == DNS_T_A);
	ATF_CHECK(dns_type_byname("aaaa") == DNS_T_AAAA);
	ATF_CHECK(dns_type_byname("Nsec3Param") == DNS_T_NSEC3PARAM);
	ATF_CHECK(dns_type_byname("TYPE12345") == 12345);
	ATF_CHECK(dns_type_byname("type1") == 1);
	ATF_CHECK(dns_type_byname("TYPE65535") == 65535);
	ATF_CHECK(dns_type_byname("TYPE65536") == -1);
	ATF_CHECK(dns_type_byname("TYPE") == -1);
	ATF_CHECK(dns_type_byname("TYPE-1") == -1);
	ATF_CHECK(dns_type_byname("TYPE 1") == -1);
	ATF_CHECK(dns_type_byname("TYPE1x") == -1);
	ATF_CHECK(dns_type_byname("FOO") == -1);
	ATF_CHECK(dns_type_byname("") == -1);

	ATF_CHECK(dns_type_has_names(DNS_T_MX));
	ATF_CHECK(dns_type_has_names(DNS_T_SRV));
	ATF_CHECK(dns_type_has_names(DNS_T_DNAME));
	ATF_CHECK(!dns_type_has_names(DNS_T_A));
	ATF_CHECK(!dns_type_has_names(DNS_T_TXT));
	ATF_CHECK(!dns_type_has_names(65280));
	ATF_CHECK(dns_type_compressible(DNS_T_SOA));
	ATF_CHECK(!dns_type_compressible(DNS_T_SRV));

	ATF_CHECK_STREQ(dns_class_name(DNS_C_IN, buf, sizeof(buf)), "IN");
	ATF_CHECK_STREQ(dns_class_name(300, buf, sizeof(buf)), "CLASS300");
	ATF_CHECK(dns_class_byname("in") == DNS_C_IN);
	ATF_CHECK(dns_class_byname("CLASS3") == DNS_C_CH);
	ATF_CHECK(dns_class_byname("XX") == -1);
}

/* Where the names are, read from the formats of the one rdata table. */
ATF_TC_WITHOUT_HEAD(rdata_layout_from_formats);
ATF_TC_BODY(rdata_layout_from_formats, tc)
{
	static const struct {
		uint16_t	 type;
		size_t		 pre;
		int		 nnames;
		size_t		 post;
	} want[] = {
		{ DNS_T_NS, 0, 1, 0 },
		{ DNS_T_SOA, 0, 2, 20 },
		{ DNS_T_MINFO, 0, 2, 0 },
		{ DNS_T_MX, 2, 1, 0 },
		{ DNS_T_PX, 2, 2, 0 },
		{ DNS_T_SRV, 6, 1, 0 },
		{ DNS_T_KX, 2, 1, 0 },
		{ DNS_T_DNAME, 0, 1, 0 },
	};
	static const uint16_t	 none[] = { DNS_T_A, DNS_T_TXT, DNS_T_NAPTR,
	    DNS_T_RRSIG, DNS_T_NSEC, DNS_T_SVCB, DNS_T_HTTPS, DNS_T_TSIG,
	    65280 };
	struct dns_rdlayout	 l;
	size_t			 i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ATF_REQUIRE_MSG(dns_rdata_layout(want[i].type, &l) == 0,
		    "type %u: no layout", want[i].type);
		ATF_CHECK_MSG(l.pre == want[i].pre &&
		    l.nnames == want[i].nnames && l.post == want[i].post,
		    "type %u: expected %zu/%d/%zu, got %zu/%d/%zu",
		    want[i].type, want[i].pre, want[i].nnames, want[i].post,
		    l.pre, l.nnames, l.post);
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		ATF_CHECK_MSG(dns_rdata_layout(none[i], &l) == -1,
		    "type %u: expected no layout", none[i]);
}

ATF_TC_WITHOUT_HEAD(type_address_and_proxy_sets);
ATF_TC_BODY(type_address_and_proxy_sets, tc)
{
	ATF_CHECK(dns_type_is_addr(DNS_T_A));
	ATF_CHECK(dns_type_is_addr(DNS_T_AAAA));
	ATF_CHECK(!dns_type_is_addr(DNS_T_CNAME));
	ATF_CHECK(dns_rdata_is_addr(DNS_T_A, 4));
	ATF_CHECK(dns_rdata_is_addr(DNS_T_AAAA, 16));
	ATF_CHECK(!dns_rdata_is_addr(DNS_T_A, 16));
	ATF_CHECK(!dns_rdata_is_addr(DNS_T_AAAA, 4));
	ATF_CHECK(!dns_rdata_is_addr(DNS_T_TXT, 4));

	ATF_CHECK(dns_type_proxyable(DNS_T_A));
	ATF_CHECK(dns_type_proxyable(DNS_T_AAAA));
	ATF_CHECK(dns_type_proxyable(DNS_T_CNAME));
	ATF_CHECK(!dns_type_proxyable(DNS_T_HTTPS));
	ATF_CHECK(!dns_type_proxyable(DNS_T_MX));

	ATF_CHECK(dns_type_proxy_hides(DNS_T_A));
	ATF_CHECK(dns_type_proxy_hides(DNS_T_CNAME));
	ATF_CHECK(dns_type_proxy_hides(DNS_T_HTTPS));
	ATF_CHECK(dns_type_proxy_hides(DNS_T_SVCB));
	ATF_CHECK(!dns_type_proxy_hides(DNS_T_TXT));
	ATF_CHECK(!dns_type_proxy_hides(DNS_T_NS));
}

/*
 * Random and mutated messages through the whole reader: nothing may
 * crash, and whatever rdata_expand accepts must expand again to itself
 * and print.  The seed is fixed so that a failure repeats.
 */
static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)(rng >> 32));
}

static size_t
fuzz_seed(uint8_t *buf, size_t cap)
{
	static const struct {
		uint16_t	 type;
		const char	*rd;
		size_t		 len;
	} rrs[] = {
		{ DNS_T_SOA, "\2ns\300\14\2hm\300\14"
		    "\0\0\0\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0\5", 30 },
		{ DNS_T_NS, "\3ns1\300\14", 6 },
		{ DNS_T_MX, "\0\12\300\14", 4 },
		{ DNS_T_A, "\1\2\3\4", 4 },
		{ DNS_T_TXT, "\2hi\0", 4 },
		{ DNS_T_SRV, "\0\0\0\0\0\1\1s\0", 9 },
		{ DNS_T_NAPTR, "\0\1\0\1\1a\1b\1c\0", 11 },
		{ DNS_T_RRSIG, "\0\1\10\2\0\0\0\1\0\0\0\2\0\0\0\3\0\4\0xy",
		    21 },
		{ DNS_T_NSEC, "\1a\0\0\1\100", 6 },
		{ DNS_T_NSEC3, "\1\0\0\1\1\2\1x\0\1\1", 11 },
		{ DNS_T_CAA, "\0\1ax", 4 },
		{ DNS_T_DNSKEY, "\1\1\3\10k", 5 },
	};
	struct dns_header h = { .id = 7, .flags = DNS_F_QR, .qdcount = 1 };
	struct wbuf	 wb;
	size_t		 i;

	h.ancount = sizeof(rrs) / sizeof(rrs[0]);
	wbuf_init(&wb, buf, cap);
	wbuf_header(&wb, &h);
	wbuf_bytes(&wb, "\7example\3com\0\0\6\0\1", 17);
	for (i = 0; i < sizeof(rrs) / sizeof(rrs[0]); i++) {
		wbuf_bytes(&wb, "\1x\300\14", 4);
		wbuf_u16(&wb, rrs[i].type);
		wbuf_u16(&wb, DNS_C_IN);
		wbuf_u32(&wb, 60);
		wbuf_u16(&wb, rrs[i].len);
		wbuf_bytes(&wb, rrs[i].rd, rrs[i].len);
	}
	ATF_REQUIRE(wb.err == 0);
	return (wb.len);
}

static uint8_t	 x2buf[DNS_MAXRDATA];

static void
fuzz_one(const uint8_t *m, size_t len, size_t *nok)
{
	struct dns_compress cmp = { 0 };
	struct dns_header h;
	struct dns_rr	 rr, rr2;
	struct wire	 w;
	struct wbuf	 wb;
	uint8_t		 q[DNS_MAXNAME], out[2048];
	size_t		 ql, xl, x2l;
	uint16_t	 qt, qc;
	int		 i, n;

	wire_init(&w, m, len);
	if (wire_header(&w, &h) == -1)
		return;
	wbuf_init(&wb, out, sizeof(out));
	for (i = 0; i < h.qdcount && i < 4; i++)
		if (wire_question(&w, q, &ql, &qt, &qc) == 0)
			wbuf_name(&wb, q, ql, &cmp);
	n = h.ancount + h.nscount + h.arcount;
	for (i = 0; i < n && i < 64 && !w.err; i++) {
		if (wire_rr(&w, &rr) == -1)
			break;
		ATF_REQUIRE(dns_name_valid(rr.owner, rr.ownerlen));
		wbuf_name(&wb, rr.owner, rr.ownerlen, &cmp);
		if (rdata_expand(m, len, &rr, xbuf, sizeof(xbuf), &xl) == -1)
			continue;
		(*nok)++;
		/* expanded rdata expands to itself */
		rr2 = rr;
		rr2.rdoff = 0;
		rr2.rdlen = xl;
		ATF_REQUIRE(rdata_expand(xbuf, xl, &rr2, x2buf, sizeof(x2buf),
		    &x2l) == 0);
		ATF_REQUIRE(x2l == xl && memcmp(xbuf, x2buf, xl) == 0);
		ATF_REQUIRE_MSG(rdata_to_text(rr.type, xbuf, xl, tbuf,
		    sizeof(tbuf)) == 0, "type %u: accepted rdata does not "
		    "print", rr.type);
	}
	/* what was written compressed reads back the same */
	wire_init(&w, out, wb.len);
	while (w.off < w.len && !wb.err)
		ATF_REQUIRE(wire_name(&w, q, &ql) == 0);
}

ATF_TC_WITHOUT_HEAD(fuzz_reader);
ATF_TC_BODY(fuzz_reader, tc)
{
	static uint8_t	 seed[1024], m[1024];
	size_t		 slen, len, nok = 0;
	int		 i, j, k;

	slen = fuzz_seed(seed, sizeof(seed));
	fuzz_one(seed, slen, &nok);
	ATF_REQUIRE_MSG(nok == 12, "seed message: %zu of 12 rdata ok", nok);
	for (i = 0; i < 100000; i++) {
		if (i % 4 == 0) {
			len = rnd() % 600;
			for (j = 0; j < (int)len; j++)
				m[j] = rnd();
			if (len >= DNS_HDRLEN)	/* plausible counts */
				for (j = 4; j < 12; j++)
					m[j] = j % 2 ? rnd() % 8 : 0;
		} else {
			memcpy(m, seed, slen);
			len = slen;
			k = 1 + rnd() % 8;
			for (j = 0; j < k; j++)
				m[rnd() % len] = rnd() % 3 == 0 ? 0xc0 :
				    rnd();
			if (rnd() % 4 == 0)
				len = rnd() % (slen + 1);
		}
		fuzz_one(m, len, &nok);
	}
}

/*
 * The zone table (shared/nametab.c): 5,000 names added, every other one
 * removed in a random order (backward-shift deletion must leave every
 * other name findable), added again, all removed; at each step every
 * name is found exactly when it is in.
 */
#define NT_N	5000

struct ntent {
	char	 name[32];
	int	 in;
};

static const char *
nt_key(const void *e)
{
	return ((const struct ntent *)e)->name;
}

static void
nt_check(const struct nametab *t, struct ntent *e, size_t n)
{
	size_t	 i, in = 0;

	for (i = 0; i < n; i++) {
		ATF_REQUIRE_MSG(nametab_find(t, e[i].name) ==
		    (e[i].in ? &e[i] : NULL), "%s %s", e[i].name,
		    e[i].in ? "lost" : "found after its removal");
		in += e[i].in;
	}
	ATF_REQUIRE_EQ(t->n, in);
	ATF_REQUIRE(nametab_find(t, "absent.test") == NULL);
}

ATF_TC_WITHOUT_HEAD(nametab_add_find_delete);
ATF_TC_BODY(nametab_add_find_delete, tc)
{
	static struct ntent	 e[NT_N];
	struct nametab		 t;
	size_t			 i, j, order[NT_N], tmp;

	nametab_init(&t, nt_key);
	ATF_REQUIRE(nametab_find(&t, "z0.test") == NULL);
	nametab_del(&t, &e[0]);
	for (i = 0; i < NT_N; i++) {
		snprintf(e[i].name, sizeof(e[i].name), "z%zu.test", i);
		ATF_REQUIRE(nametab_add(&t, &e[i]) == 0);
		e[i].in = 1;
	}
	nt_check(&t, e, NT_N);
	srandom(1);
	for (i = 0; i < NT_N; i++)
		order[i] = i;
	for (i = NT_N - 1; i > 0; i--) {
		j = random() % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < NT_N / 2; i++) {
		nametab_del(&t, &e[order[i]]);
		e[order[i]].in = 0;
		if (i % 500 == 0)
			nt_check(&t, e, NT_N);
	}
	nt_check(&t, e, NT_N);
	for (i = 0; i < NT_N / 2; i++) {
		ATF_REQUIRE(nametab_add(&t, &e[order[i]]) == 0);
		e[order[i]].in = 1;
	}
	nt_check(&t, e, NT_N);
	for (i = 0; i < NT_N; i++) {
		nametab_del(&t, &e[order[i]]);
		e[order[i]].in = 0;
	}
	nt_check(&t, e, NT_N);
	nametab_free(&t);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, nametab_add_find_delete);
	ATF_TP_ADD_TC(tp, name_text_roundtrip);
	ATF_TP_ADD_TC(tp, name_text_escapes);
	ATF_TP_ADD_TC(tp, name_text_errors);
	ATF_TP_ADD_TC(tp, name_text_limits);
	ATF_TP_ADD_TC(tp, name_to_text_escape_room);
	ATF_TP_ADD_TC(tp, name_valid);
	ATF_TP_ADD_TC(tp, name_compare);
	ATF_TP_ADD_TC(tp, name_cmp_rfc4034_order);
	ATF_TP_ADD_TC(tp, name_helpers);
	ATF_TP_ADD_TC(tp, wire_fields_sticky_error);
	ATF_TP_ADD_TC(tp, wire_header_truncated);
	ATF_TP_ADD_TC(tp, wire_question_truncated);
	ATF_TP_ADD_TC(tp, wire_rr_truncated);
	ATF_TP_ADD_TC(tp, wire_name_pointers);
	ATF_TP_ADD_TC(tp, wire_name_bad_pointers);
	ATF_TP_ADD_TC(tp, wire_name_label_types);
	ATF_TP_ADD_TC(tp, wire_name_too_long_via_pointers);
	ATF_TP_ADD_TC(tp, wire_name_nocomp);
	ATF_TP_ADD_TC(tp, wire_name_pointer_chain_capped);
	ATF_TP_ADD_TC(tp, wire_message_work_capped);
	ATF_TP_ADD_TC(tp, expand_msg_shares_budget);
	ATF_TP_ADD_TC(tp, expand_address);
	ATF_TP_ADD_TC(tp, expand_single_name);
	ATF_TP_ADD_TC(tp, expand_soa);
	ATF_TP_ADD_TC(tp, expand_mx_and_friends);
	ATF_TP_ADD_TC(tp, expand_srv_naptr);
	ATF_TP_ADD_TC(tp, expand_strings);
	ATF_TP_ADD_TC(tp, expand_dnssec);
	ATF_TP_ADD_TC(tp, expand_misc_known);
	ATF_TP_ADD_TC(tp, expand_unknown_opaque);
	ATF_TP_ADD_TC(tp, expand_bounds);
	ATF_TP_ADD_TC(tp, wbuf_compression_bytes);
	ATF_TP_ADD_TC(tp, wbuf_compression_full_table);
	ATF_TP_ADD_TC(tp, wbuf_compression_past_16k);
	ATF_TP_ADD_TC(tp, wbuf_plain_and_invalid);
	ATF_TP_ADD_TC(tp, wbuf_overflow_canary);
	ATF_TP_ADD_TC(tp, wbuf_set_u16_patch);
	ATF_TP_ADD_TC(tp, text_basic_types);
	ATF_TP_ADD_TC(tp, text_strings);
	ATF_TP_ADD_TC(tp, text_dnssec);
	ATF_TP_ADD_TC(tp, text_generic);
	ATF_TP_ADD_TC(tp, text_no_room);
	ATF_TP_ADD_TC(tp, type_names);
	ATF_TP_ADD_TC(tp, rdata_layout_from_formats);
	ATF_TP_ADD_TC(tp, type_address_and_proxy_sets);
	ATF_TP_ADD_TC(tp, fuzz_reader);
	return (atf_no_error());
}
