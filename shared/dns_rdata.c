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
 * RDATA of known types: one table describes each type's fields, and one
 * walker reads them with bounds checks to validate, to expand compressed
 * names (rdata_expand) or to print the presentation form (rdata_to_text).
 * Types not in the table are opaque (RFC 3597).
 *
 * Field codes in a format:
 *	a  IPv4 address, 4 octets	6  IPv6 address, 16 octets
 *	B  8-bit number			W  16-bit number
 *	L  32-bit number		T  16-bit RR type (RRSIG)
 *	t  32-bit time (RRSIG)		n  name, may be compressed
 *	N  name, never compressed	s  character-string
 *	S  character-strings to the end, at least one
 *	g  CAA tag (length 1..255)	v  CAA value, the rest
 *	H  the rest, hex		K  the rest, base64
 *	h  8-bit length and hex, "-" when empty (NSEC3 salt)
 *	Z  8-bit length and base32hex, not empty (NSEC3 next hash)
 *	M  NSEC type bitmap, the rest	m  16-bit length and octets
 *	U  48-bit number (TSIG time)	x  the rest, opaque
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dns.h"

#define RD_NAMES	0x01	/* rdata holds names (dns_type_has_names) */
#define RD_COMPRESS	0x02	/* may arrive compressed, RFC 3597 */
#define RD_GENERIC	0x04	/* presentation is the \# form */
#define RD_NC		(RD_NAMES | RD_COMPRESS)

struct rdesc {
	uint16_t	 type;
	const char	*name;
	const char	*fmt;
	int		 flags;
};

static const struct rdesc rdescs[] = {
	{ DNS_T_A, "A", "a", 0 },
	{ DNS_T_NS, "NS", "n", RD_NC },
	{ DNS_T_MD, "MD", "n", RD_NC },
	{ DNS_T_MF, "MF", "n", RD_NC },
	{ DNS_T_CNAME, "CNAME", "n", RD_NC },
	{ DNS_T_SOA, "SOA", "nnLLLLL", RD_NC },
	{ DNS_T_MB, "MB", "n", RD_NC },
	{ DNS_T_MG, "MG", "n", RD_NC },
	{ DNS_T_MR, "MR", "n", RD_NC },
	{ DNS_T_NULL, "NULL", "x", RD_GENERIC },
	{ DNS_T_WKS, "WKS", "aBx", RD_GENERIC },
	{ DNS_T_PTR, "PTR", "n", RD_NC },
	{ DNS_T_HINFO, "HINFO", "ss", 0 },
	{ DNS_T_MINFO, "MINFO", "nn", RD_NC },
	{ DNS_T_MX, "MX", "Wn", RD_NC },
	{ DNS_T_TXT, "TXT", "S", 0 },
	/* RFC 3597 section 4: receivers SHOULD decompress RP ... SRV */
	{ DNS_T_RP, "RP", "nn", RD_NC },
	{ DNS_T_AFSDB, "AFSDB", "Wn", RD_NC },
	{ DNS_T_RT, "RT", "Wn", RD_NC },
	{ DNS_T_SIG, "SIG", "TBBLttWnK", RD_NC },
	{ DNS_T_KEY, "KEY", "WBBK", 0 },
	{ DNS_T_PX, "PX", "Wnn", RD_NC },
	{ DNS_T_AAAA, "AAAA", "6", 0 },
	{ DNS_T_NXT, "NXT", "x", RD_GENERIC },
	{ DNS_T_SRV, "SRV", "WWWn", RD_NC },
	{ DNS_T_NAPTR, "NAPTR", "WWsssn", RD_NC },
	{ DNS_T_KX, "KX", "WN", RD_NAMES },
	{ DNS_T_DNAME, "DNAME", "N", RD_NAMES },
	{ DNS_T_OPT, "OPT", "x", RD_GENERIC },
	{ DNS_T_DS, "DS", "WBBH", 0 },
	{ DNS_T_SSHFP, "SSHFP", "BBH", 0 },
	{ DNS_T_RRSIG, "RRSIG", "TBBLttWNK", 0 },
	{ DNS_T_NSEC, "NSEC", "NM", 0 },
	{ DNS_T_DNSKEY, "DNSKEY", "WBBK", 0 },
	{ DNS_T_NSEC3, "NSEC3", "BBWhZM", 0 },
	{ DNS_T_NSEC3PARAM, "NSEC3PARAM", "BBWh", 0 },
	{ DNS_T_TLSA, "TLSA", "BBBH", 0 },
	{ DNS_T_CDS, "CDS", "WBBH", 0 },
	{ DNS_T_CDNSKEY, "CDNSKEY", "WBBK", 0 },
	{ DNS_T_SVCB, "SVCB", "WNx", RD_GENERIC },
	{ DNS_T_HTTPS, "HTTPS", "WNx", RD_GENERIC },
	{ DNS_T_SPF, "SPF", "S", 0 },
	{ DNS_T_TKEY, "TKEY", "x", RD_GENERIC },
	{ DNS_T_TSIG, "TSIG", "NUWmWWm", RD_GENERIC },
	{ DNS_T_IXFR, "IXFR", "x", RD_GENERIC },
	{ DNS_T_AXFR, "AXFR", "x", RD_GENERIC },
	{ DNS_T_ANY, "ANY", "x", RD_GENERIC },
	{ DNS_T_CAA, "CAA", "Bgv", 0 },
};

static const struct {
	uint16_t	 class;
	const char	*name;
} classes[] = {
	{ DNS_C_IN,	"IN" },
	{ DNS_C_CH,	"CH" },
	{ 4,		"HS" },
	{ DNS_C_NONE,	"NONE" },
	{ DNS_C_ANY,	"ANY" },
};

/* Text output with a sticky error, like struct wbuf. */
struct tbuf {
	char		*buf;
	size_t		 cap;
	size_t		 len;
	int		 err;
};

/* The walker: input cursor ending at the end of the rdata, outputs. */
struct rwalk {
	struct wire	 w;
	int		 nocomp;	/* input is expanded: no pointers */
	struct wbuf	*out;		/* rdata_expand */
	struct tbuf	*txt;		/* rdata_to_text */
};

static const struct rdesc *rdesc_find(uint16_t);
static int	byname(const char *, const char *);
static void	tb_printf(struct tbuf *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	tb_hex(struct tbuf *, const uint8_t *, size_t);
static void	tb_base64(struct tbuf *, const uint8_t *, size_t);
static void	tb_base32hex(struct tbuf *, const uint8_t *, size_t);
static void	tb_string(struct tbuf *, const uint8_t *, size_t);
static void	tb_time(struct tbuf *, uint32_t);
static void	tb_type(struct tbuf *, uint16_t);
static size_t	rd_size(int);
static int	rd_fixed(struct rwalk *, int);
static int	rd_name(struct rwalk *, int);
static int	rd_strings(struct rwalk *, int);
static int	rd_counted(struct rwalk *, int);
static int	rd_rest(struct rwalk *, int);
static int	rd_bitmap(struct rwalk *);
static int	rd_field(struct rwalk *, int);
static int	rd_walk(struct rwalk *, const char *);
static int	rd_generic(struct tbuf *, const uint8_t *, size_t);

static const struct rdesc *
rdesc_find(uint16_t type)
{
	size_t		 i;

	for (i = 0; i < sizeof(rdescs) / sizeof(rdescs[0]); i++)
		if (rdescs[i].type == type)
			return (&rdescs[i]);
	return (NULL);
}

const char *
dns_type_name(uint16_t type, char *buf, size_t len)
{
	const struct rdesc	*d;
	int			 r;

	if ((d = rdesc_find(type)) != NULL) {
		if (buf != NULL && len > 0)
			strlcpy(buf, d->name, len);
		return (d->name);
	}
	if (buf == NULL)
		return ("TYPE?");
	r = snprintf(buf, len, "TYPE%u", type);
	if (r < 0 || (size_t)r >= len)
		return ("TYPE?");
	return (buf);
}

/* A mnemonic or the RFC 3597 TYPEnnn/CLASSnnn form; -1 if neither. */
static int
byname(const char *s, const char *prefix)
{
	size_t		 n = strlen(prefix);
	unsigned long	 v;
	char		*end;

	if (strncasecmp(s, prefix, n) != 0 || s[n] < '0' || s[n] > '9')
		return (-1);
	v = strtoul(s + n, &end, 10);
	if (*end != '\0' || v > 65535 || end - (s + n) > 5)
		return (-1);
	return ((int)v);
}

int
dns_type_byname(const char *s)
{
	size_t		 i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < sizeof(rdescs) / sizeof(rdescs[0]); i++)
		if (strcasecmp(s, rdescs[i].name) == 0)
			return (rdescs[i].type);
	return (byname(s, "TYPE"));
}

int
dns_type_has_names(uint16_t type)
{
	const struct rdesc	*d = rdesc_find(type);

	return (d != NULL && (d->flags & RD_NAMES));
}

/*
 * The eleven RFC 1035 types whose names a sender may compress (RFC 3597
 * section 4).  Others are read decompressed but never written so.
 */
int
dns_type_compressible(uint16_t type)
{
	switch (type) {
	case DNS_T_NS: case DNS_T_MD: case DNS_T_MF: case DNS_T_CNAME:
	case DNS_T_SOA: case DNS_T_MB: case DNS_T_MG: case DNS_T_MR:
	case DNS_T_PTR: case DNS_T_MINFO: case DNS_T_MX:
		return (1);
	}
	return (0);
}

int
dns_type_is_addr(uint16_t type)
{
	return (type == DNS_T_A || type == DNS_T_AAAA);
}

int
dns_rdata_is_addr(uint16_t type, size_t rdlen)
{
	return ((type == DNS_T_A && rdlen == 4) ||
	    (type == DNS_T_AAAA && rdlen == 16));
}

int
dns_type_proxyable(uint16_t type)
{
	return (dns_type_is_addr(type) || type == DNS_T_CNAME);
}

int
dns_type_proxy_hides(uint16_t type)
{
	return (dns_type_proxyable(type) || type == DNS_T_HTTPS ||
	    type == DNS_T_SVCB);
}

/*
 * A type whose rdata is names between fixed-size fields, from its format
 * in rdescs[]: SOA is two names and 20 octets, MX 2 octets and a name.
 */
int
dns_rdata_layout(uint16_t type, struct dns_rdlayout *l)
{
	const struct rdesc	*d = rdesc_find(type);
	const char		*f;
	size_t			 n;

	if (d == NULL || !(d->flags & RD_NAMES))
		return (-1);
	memset(l, 0, sizeof(*l));
	for (f = d->fmt; *f != '\0'; f++) {
		if (*f == 'n' || *f == 'N') {
			if (l->post > 0)
				return (-1);
			l->nnames++;
		} else if ((n = rd_size(*f)) == 0)
			return (-1);
		else if (l->nnames == 0)
			l->pre += n;
		else
			l->post += n;
	}
	return (0);
}

/*
 * RFC 6895 names of the rcodes 0 to 23 (the TSIG and EDNS ones where a
 * 4-bit rcode has none); "RCODEnnn" in buf for another, "RCODE?" when
 * there is no buf.
 */
const char *
dns_rcode_name(int rcode, char *buf, size_t len)
{
	static const char	*names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE", "DSOTYPENI", "RCODE12", "RCODE13", "RCODE14",
		"RCODE15", "BADVERS", "BADKEY", "BADTIME", "BADMODE",
		"BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE"
	};
	int			 r;

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return (names[rcode]);
	if (buf == NULL)
		return ("RCODE?");
	r = snprintf(buf, len, "RCODE%d", rcode);
	if (r < 0 || (size_t)r >= len)
		return ("RCODE?");
	return (buf);
}

const char *
dns_class_name(uint16_t class, char *buf, size_t len)
{
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].class == class)
			return (classes[i].name);
	if (buf == NULL)
		return ("CLASS?");
	r = snprintf(buf, len, "CLASS%u", class);
	if (r < 0 || (size_t)r >= len)
		return ("CLASS?");
	return (buf);
}

int
dns_class_byname(const char *s)
{
	size_t		 i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcasecmp(s, classes[i].name) == 0)
			return (classes[i].class);
	return (byname(s, "CLASS"));
}

static void
tb_printf(struct tbuf *t, const char *fmt, ...)
{
	va_list		 ap;
	int		 r;

	if (t->err)
		return;
	va_start(ap, fmt);
	r = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= t->cap - t->len) {
		t->err = 1;
		return;
	}
	t->len += r;
}

static void
tb_hex(struct tbuf *t, const uint8_t *p, size_t n)
{
	size_t		 i;

	for (i = 0; i < n && !t->err; i++)
		tb_printf(t, "%02X", p[i]);
}

static void
tb_base64(struct tbuf *t, const uint8_t *p, size_t n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t	 v;
	size_t		 i;

	for (i = 0; i < n && !t->err; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		tb_printf(t, "%c%c%c%c", b64[v >> 18], b64[(v >> 12) & 0x3f],
		    i + 1 < n ? b64[(v >> 6) & 0x3f] : '=',
		    i + 2 < n ? b64[v & 0x3f] : '=');
	}
}

/* RFC 4648 section 7, without padding, as NSEC3 shows it (RFC 5155). */
static void
tb_base32hex(struct tbuf *t, const uint8_t *p, size_t n)
{
	static const char b32[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
	uint32_t	 acc = 0;
	size_t		 i;
	int		 bits = 0;

	for (i = 0; i < n && !t->err; i++) {
		acc = (acc << 8 | p[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			tb_printf(t, "%c", b32[(acc >> bits) & 0x1f]);
		}
	}
	if (bits > 0)
		tb_printf(t, "%c", b32[(acc << (5 - bits)) & 0x1f]);
}

/* A character-string in double quotes, RFC 1035 section 5.1 escapes. */
static void
tb_string(struct tbuf *t, const uint8_t *p, size_t n)
{
	size_t		 i;

	tb_printf(t, "\"");
	for (i = 0; i < n && !t->err; i++) {
		if (p[i] < ' ' || p[i] >= 0x7f)
			tb_printf(t, "\\%03u", p[i]);
		else if (p[i] == '"' || p[i] == '\\')
			tb_printf(t, "\\%c", p[i]);
		else
			tb_printf(t, "%c", p[i]);
	}
	tb_printf(t, "\"");
}

/* RRSIG times: YYYYMMDDHHmmSS in UTC (RFC 4034 section 3.2). */
static void
tb_time(struct tbuf *t, uint32_t v)
{
	struct tm	 tm;
	time_t		 tt = (time_t)v;

	if (gmtime_r(&tt, &tm) == NULL) {
		t->err = 1;
		return;
	}
	tb_printf(t, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
tb_type(struct tbuf *t, uint16_t type)
{
	char		 buf[DNS_MAXTYPESTR];

	tb_printf(t, "%s", dns_type_name(type, buf, sizeof(buf)));
}

/* The size of a fixed-size field (a 6 B W L T t U), else 0. */
static size_t
rd_size(int c)
{
	switch (c) {
	case 'a': case 'L': case 't': return (4);
	case '6': return (16);
	case 'B': return (1);
	case 'W': case 'T': return (2);
	case 'U': return (6);
	}
	return (0);
}

static int
rd_fixed(struct rwalk *r, int c)
{
	char		 addr[INET6_ADDRSTRLEN];
	uint8_t		 b[16];
	size_t		 i, n;
	uint32_t	 v;

	n = rd_size(c);
	if (wire_bytes(&r->w, b, n) == -1)
		return (-1);
	if (r->out != NULL)
		wbuf_bytes(r->out, b, n);
	if (r->txt == NULL)
		return (0);
	for (i = 0, v = 0; i < n && n <= 4; i++)
		v = v << 8 | b[i];
	switch (c) {
	case 'a':
	case '6':
		if (inet_ntop(c == 'a' ? AF_INET : AF_INET6, b, addr,
		    sizeof(addr)) == NULL)
			return (-1);
		tb_printf(r->txt, "%s", addr);
		break;
	case 'T':
		tb_type(r->txt, v);
		break;
	case 't':
		tb_time(r->txt, v);
		break;
	default:
		tb_printf(r->txt, "%u", v);
		break;
	}
	return (0);
}

static int
rd_name(struct rwalk *r, int c)
{
	uint8_t		 name[DNS_MAXNAME];
	char		 text[DNS_MAXNAMESTR];
	size_t		 len;

	if (c == 'N' || r->nocomp)
		wire_name_nocomp(&r->w, name, &len);
	else
		wire_name(&r->w, name, &len);
	if (r->w.err)
		return (-1);
	if (r->out != NULL)
		wbuf_bytes(r->out, name, len);
	if (r->txt != NULL) {
		if (dns_name_to_text(name, len, text, sizeof(text)) == -1)
			return (-1);
		tb_printf(r->txt, "%s", text);
	}
	return (0);
}

/* s: one character-string; S: one or more, to the end of the rdata. */
static int
rd_strings(struct rwalk *r, int c)
{
	const uint8_t	*p;
	uint8_t		 n;
	int		 first = 1;

	do {
		if (wire_u8(&r->w, &n) == -1)
			return (-1);
		p = r->w.buf + r->w.off;
		if (wire_skip(&r->w, n) == -1)
			return (-1);
		if (r->out != NULL) {
			wbuf_u8(r->out, n);
			wbuf_bytes(r->out, p, n);
		}
		if (r->txt != NULL) {
			if (!first)
				tb_printf(r->txt, " ");
			tb_string(r->txt, p, n);
		}
		first = 0;
	} while (c == 'S' && r->w.off < r->w.len);
	return (0);
}

/* Fields with a length in front: g (CAA tag), h, Z (8 bits), m (16). */
static int
rd_counted(struct rwalk *r, int c)
{
	const uint8_t	*p;
	size_t		 i;
	uint16_t	 n16;
	uint8_t		 n;

	if (c == 'm') {
		if (wire_u16(&r->w, &n16) == -1)
			return (-1);
		if (r->out != NULL)
			wbuf_u16(r->out, n16);
	} else {
		if (wire_u8(&r->w, &n) == -1)
			return (-1);
		if (r->out != NULL)
			wbuf_u8(r->out, n);
		n16 = n;
	}
	p = r->w.buf + r->w.off;
	if (wire_skip(&r->w, n16) == -1 || (n16 == 0 && (c == 'g' ||
	    c == 'Z')))
		return (-1);
	if (r->out != NULL)
		wbuf_bytes(r->out, p, n16);
	if (r->txt == NULL)
		return (0);
	if (c == 'h' && n16 == 0)
		tb_printf(r->txt, "-");
	else if (c == 'h')
		tb_hex(r->txt, p, n16);
	else if (c == 'Z')
		tb_base32hex(r->txt, p, n16);
	else if (c == 'g') {
		for (i = 0; i < n16; i++)
			if (!isalnum(p[i]))
				return (-1);	/* shown as \# instead */
		tb_printf(r->txt, "%.*s", (int)n16, p);
	}
	return (0);
}

/* The rest of the rdata: H, K, v, x. */
static int
rd_rest(struct rwalk *r, int c)
{
	const uint8_t	*p;
	size_t		 n;

	p = r->w.buf + r->w.off;
	n = r->w.len - r->w.off;
	if (wire_skip(&r->w, n) == -1)
		return (-1);
	if (r->out != NULL)
		wbuf_bytes(r->out, p, n);
	if (r->txt == NULL)
		return (0);
	if (n == 0 && (c == 'H' || c == 'K'))
		return (-1);	/* nothing to show: use \# */
	if (c == 'H')
		tb_hex(r->txt, p, n);
	else if (c == 'K')
		tb_base64(r->txt, p, n);
	else if (c == 'v')
		tb_string(r->txt, p, n);
	else
		return (-1);
	return (0);
}

/*
 * NSEC type bitmap (RFC 4034 section 4.1.2): windows in increasing
 * order, each with 1 to 32 octets of bits.
 */
static int
rd_bitmap(struct rwalk *r)
{
	const uint8_t	*p;
	uint8_t		 win, n;
	int		 i, last = -1, first = 1;

	while (r->w.off < r->w.len) {
		if (wire_u8(&r->w, &win) == -1 || wire_u8(&r->w, &n) == -1)
			return (-1);
		p = r->w.buf + r->w.off;
		if ((int)win <= last || n < 1 || n > 32 ||
		    wire_skip(&r->w, n) == -1)
			return (-1);
		last = win;
		if (r->out != NULL) {
			wbuf_u8(r->out, win);
			wbuf_u8(r->out, n);
			wbuf_bytes(r->out, p, n);
		}
		for (i = 0; r->txt != NULL && i < n * 8; i++) {
			if ((p[i / 8] & (0x80 >> (i % 8))) == 0)
				continue;
			if (!first)
				tb_printf(r->txt, " ");
			tb_type(r->txt, win << 8 | i);
			first = 0;
		}
	}
	return (0);
}

static int
rd_field(struct rwalk *r, int c)
{
	switch (c) {
	case 'n':
	case 'N':
		return (rd_name(r, c));
	case 's':
	case 'S':
		return (rd_strings(r, c));
	case 'g':
	case 'h':
	case 'Z':
	case 'm':
		return (rd_counted(r, c));
	case 'H':
	case 'K':
	case 'v':
	case 'x':
		return (rd_rest(r, c));
	case 'M':
		return (rd_bitmap(r));
	default:
		return (rd_fixed(r, c));
	}
}

/* Every field in turn; the last must end exactly at the rdata's end. */
static int
rd_walk(struct rwalk *r, const char *fmt)
{
	const char	*f;

	for (f = fmt; *f != '\0'; f++) {
		if (r->txt != NULL && f != fmt && *f != 'M')
			tb_printf(r->txt, " ");
		/* an empty bitmap adds nothing, not even the space */
		if (r->txt != NULL && *f == 'M' && r->w.off < r->w.len)
			tb_printf(r->txt, " ");
		if (rd_field(r, *f) == -1)
			return (-1);
	}
	if (r->w.err || r->w.off != r->w.len)
		return (-1);
	if ((r->out != NULL && r->out->err) || (r->txt != NULL && r->txt->err))
		return (-1);
	return (0);
}

/*
 * Copy the rdata of rr, found in msg, expanding compressed names and
 * checking the structure of known types.
 */
int
rdata_expand(const uint8_t *msg, size_t msglen, const struct dns_rr *rr,
    uint8_t *out, size_t cap, size_t *outlen)
{
	struct wire	 w;

	wire_init(&w, msg, msglen);
	return (rdata_expand_msg(&w, rr, out, cap, outlen));
}

/*
 * rdata_expand for a record read with the message cursor w: the names in
 * the rdata count against the work w allows the whole message, so many
 * records pointing into one long chain cost no more than the cap.  The
 * cursor does not move; past the cap, w->err is WIRE_EWORK.
 */
int
rdata_expand_msg(struct wire *w, const struct dns_rr *rr, uint8_t *out,
    size_t cap, size_t *outlen)
{
	const struct rdesc	*d;
	struct rwalk		 r;
	struct wbuf		 wb;
	int			 rv = 0;

	if (w->err || rr->rdoff > w->len || w->len - rr->rdoff < rr->rdlen)
		return (-1);
	if (cap > DNS_MAXRDATA)
		cap = DNS_MAXRDATA;
	wbuf_init(&wb, out, cap);
	memset(&r, 0, sizeof(r));
	wire_init(&r.w, w->buf, rr->rdoff + rr->rdlen);
	r.w.off = rr->rdoff;
	r.w.work = w->work;
	r.w.maxwork = w->maxwork;
	r.out = &wb;
	if ((d = rdesc_find(rr->type)) == NULL)
		rv = wbuf_bytes(&wb, w->buf + rr->rdoff, rr->rdlen);
	else {
		r.nocomp = !(d->flags & RD_COMPRESS);
		rv = rd_walk(&r, d->fmt);
	}
	w->work = r.w.work;
	if (r.w.err == WIRE_EWORK)
		w->err = WIRE_EWORK;
	if (rv == -1)
		return (-1);
	*outlen = wb.len;
	return (0);
}

/* The RFC 3597 section 5 form: \# LENGTH HEX. */
static int
rd_generic(struct tbuf *t, const uint8_t *p, size_t n)
{
	tb_printf(t, "\\# %zu", n);
	if (n > 0)
		tb_printf(t, " ");
	tb_hex(t, p, n);
	return (t->err ? -1 : 0);
}

/*
 * Presentation form of expanded rdata, one line as a zone file has it.
 * Well-formed rdata that has no typed form (a CAA tag that is not
 * alphanumeric, an empty digest) falls back to the \# form.
 */
int
rdata_to_text(uint16_t type, const uint8_t *rdata, size_t rdlen, char *out,
    size_t cap)
{
	const struct rdesc	*d;
	struct rwalk		 r;
	struct tbuf		 t;

	if (out == NULL || cap == 0 || rdlen > DNS_MAXRDATA ||
	    (rdata == NULL && rdlen > 0))
		return (-1);
	memset(&t, 0, sizeof(t));
	t.buf = out;
	t.cap = cap;
	out[0] = '\0';
	d = rdesc_find(type);
	if (d == NULL || (d->flags & RD_GENERIC)) {
		if (d != NULL) {
			/* check the structure all the same */
			memset(&r, 0, sizeof(r));
			wire_init(&r.w, rdata, rdlen);
			r.nocomp = 1;
			if (rd_walk(&r, d->fmt) == -1)
				return (-1);
		}
		return (rd_generic(&t, rdata, rdlen));
	}
	memset(&r, 0, sizeof(r));
	wire_init(&r.w, rdata, rdlen);
	r.nocomp = 1;
	r.txt = &t;
	if (rd_walk(&r, d->fmt) == 0)
		return (0);
	if (t.err)
		return (-1);
	/* malformed, or well formed without a typed form */
	memset(&r, 0, sizeof(r));
	wire_init(&r.w, rdata, rdlen);
	r.nocomp = 1;
	if (rd_walk(&r, d->fmt) == -1)
		return (-1);
	t.len = 0;
	t.err = 0;
	return (rd_generic(&t, rdata, rdlen));
}

int
dns_soa_parse(const uint8_t *rd, size_t len, struct dns_soa *soa)
{
	struct wire	 w;
	uint8_t		 name[DNS_MAXNAME];
	size_t		 nlen;

	wire_init(&w, rd, len);
	wire_name_nocomp(&w, name, &nlen);
	wire_name_nocomp(&w, name, &nlen);
	wire_u32(&w, &soa->serial);
	wire_u32(&w, &soa->refresh);
	wire_u32(&w, &soa->retry);
	wire_u32(&w, &soa->expire);
	wire_u32(&w, &soa->minimum);
	return w.err || w.off != w.len ? -1 : 0;
}

int
dns_serial_cmp(uint32_t a, uint32_t b)
{
	uint32_t	 d = a - b;

	if (d == 0)
		return 0;
	if (d == 0x80000000U)
		return 2;
	return d < 0x80000000U ? 1 : -1;
}
