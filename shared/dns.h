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
 * DNS wire format: the one place that reads and writes DNS bytes (STYLE.md:
 * "One set of helpers in shared/ reads names and fields from wire data;
 * nothing else parses wire bytes").
 *
 * Names inside secd are kept in uncompressed wire form (length-prefixed
 * labels ending with the root label 0), at most DNS_MAXNAME bytes, with
 * their original case; comparisons are case-insensitive.
 *
 * Reading: struct wire is a cursor over a received message.  Every reader
 * checks bounds first; on any error it returns -1 and sets w->err, and
 * every later read on that cursor fails too, so a parser may read a whole
 * record and test once.
 *
 * Writing: struct wbuf is a bounded output buffer with the same sticky
 * error.  wbuf_name() compresses against the names already written when
 * given a struct dns_compress.
 */
#ifndef SECD_DNS_H
#define SECD_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_HDRLEN		12
#define DNS_MAXNAME		255	/* wire form, root label included */
#define DNS_MAXLABEL		63
#define DNS_MAXLABELS		127	/* labels in a name, root excluded */
#define DNS_MAXNAMESTR		1025	/* presentation, \DDD escapes, NUL */
#define DNS_MAXUDP		512	/* without EDNS */
#define DNS_MAXMSG		65535
#define DNS_MAXRDATA		65535
#define DNS_MAXTYPESTR		16	/* "NSEC3PARAM", "TYPE65535" */

/* header flags, in the second 16-bit word */
#define DNS_F_QR		0x8000
#define DNS_F_OPCODE_MASK	0x7800
#define DNS_F_OPCODE_SHIFT	11
#define DNS_F_AA		0x0400
#define DNS_F_TC		0x0200
#define DNS_F_RD		0x0100
#define DNS_F_RA		0x0080
#define DNS_F_Z			0x0040
#define DNS_F_AD		0x0020
#define DNS_F_CD		0x0010
#define DNS_F_RCODE_MASK	0x000f

enum dns_opcode {
	DNS_OP_QUERY = 0,
	DNS_OP_IQUERY = 1,
	DNS_OP_STATUS = 2,
	DNS_OP_NOTIFY = 4,
	DNS_OP_UPDATE = 5,
};

enum dns_rcode {
	DNS_R_NOERROR = 0,
	DNS_R_FORMERR = 1,
	DNS_R_SERVFAIL = 2,
	DNS_R_NXDOMAIN = 3,
	DNS_R_NOTIMP = 4,
	DNS_R_REFUSED = 5,
	DNS_R_YXDOMAIN = 6,
	DNS_R_YXRRSET = 7,
	DNS_R_NXRRSET = 8,
	DNS_R_NOTAUTH = 9,
	DNS_R_NOTZONE = 10,
	DNS_R_BADVERS = 16,	/* extended, EDNS; also BADSIG in TSIG */
	DNS_R_BADSIG = 16,
	DNS_R_BADKEY = 17,
	DNS_R_BADTIME = 18,
	DNS_R_BADTRUNC = 22,
	DNS_R_BADCOOKIE = 23,	/* extended, RFC 7873 section 8 */
};

/* Extended DNS Errors (RFC 8914): the EDNS option and a code of it */
#define DNS_OPT_EDE		15
#define DNS_EDE_PROHIBITED	18

enum dns_class {
	DNS_C_IN = 1,
	DNS_C_CH = 3,
	DNS_C_NONE = 254,
	DNS_C_ANY = 255,
};

enum dns_type {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_MD = 3,
	DNS_T_MF = 4,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_MB = 7,
	DNS_T_MG = 8,
	DNS_T_MR = 9,
	DNS_T_NULL = 10,
	DNS_T_WKS = 11,
	DNS_T_PTR = 12,
	DNS_T_HINFO = 13,
	DNS_T_MINFO = 14,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_RP = 17,
	DNS_T_AFSDB = 18,
	DNS_T_RT = 21,
	DNS_T_SIG = 24,
	DNS_T_KEY = 25,
	DNS_T_PX = 26,
	DNS_T_AAAA = 28,
	DNS_T_NXT = 30,
	DNS_T_SRV = 33,
	DNS_T_NAPTR = 35,
	DNS_T_KX = 36,
	DNS_T_DNAME = 39,
	DNS_T_OPT = 41,
	DNS_T_DS = 43,
	DNS_T_SSHFP = 44,
	DNS_T_RRSIG = 46,
	DNS_T_NSEC = 47,
	DNS_T_DNSKEY = 48,
	DNS_T_NSEC3 = 50,
	DNS_T_NSEC3PARAM = 51,
	DNS_T_TLSA = 52,
	DNS_T_CDS = 59,
	DNS_T_CDNSKEY = 60,
	DNS_T_SVCB = 64,
	DNS_T_HTTPS = 65,
	DNS_T_SPF = 99,
	DNS_T_TKEY = 249,
	DNS_T_TSIG = 250,
	DNS_T_IXFR = 251,
	DNS_T_AXFR = 252,
	DNS_T_ANY = 255,
	DNS_T_CAA = 257,
};

struct dns_header {
	uint16_t		 id;
	uint16_t		 flags;
	uint16_t		 qdcount;
	uint16_t		 ancount;
	uint16_t		 nscount;
	uint16_t		 arcount;
};

/* A resource record as read from a message; rdata points into it. */
struct dns_rr {
	uint8_t			 owner[DNS_MAXNAME];
	size_t			 ownerlen;
	uint16_t		 type;
	uint16_t		 class;
	uint32_t		 ttl;
	uint16_t		 rdlen;
	size_t			 rdoff;		/* offset of rdata in msg */
	const uint8_t		*rdata;
};

/*
 * err is WIRE_EMALFORMED for bytes that are not DNS, WIRE_EWORK when the
 * names decoded from the message followed more labels and pointers than
 * its length allows (WIRE_WORK_PER_OCTET each octet): compression pointers
 * made to cost time.  work counts them across every name read with the
 * cursor and with rdata_expand_msg() on it.
 *
 * A query has no reason to carry many names: 8 an octet leaves a query
 * with names of any depth room to spare.  An answer to one of ours (a
 * transfer, a SOA or resolver answer) may be any legal message: a name
 * of two octets (one pointer) may follow 127 pointers and 127 labels, so
 * it gets WIRE_WORK_ANSWER, what such names cost; the per-name caps are
 * then what bound it, to work in proportion to the bytes received.
 */
#define WIRE_EMALFORMED		1
#define WIRE_EWORK		2
#define WIRE_WORK_PER_OCTET	8
#define WIRE_WORK_ANSWER	128
struct wire {
	const uint8_t		*buf;
	size_t			 len;
	size_t			 off;
	int			 err;
	size_t			 work;
	size_t			 maxwork;
};

struct wbuf {
	uint8_t			*buf;
	size_t			 cap;
	size_t			 len;
	int			 err;
};

#define DNS_COMPRESS_MAX	64
/* Names already written to a wbuf, for compression pointers. */
struct dns_compress {
	int			 n;
	uint16_t		 off[DNS_COMPRESS_MAX];
};

/* reading */
void	wire_init(struct wire *, const uint8_t *, size_t);
int	wire_u8(struct wire *, uint8_t *);
int	wire_u16(struct wire *, uint16_t *);
int	wire_u32(struct wire *, uint32_t *);
int	wire_bytes(struct wire *, void *, size_t);
int	wire_skip(struct wire *, size_t);
int	wire_header(struct wire *, struct dns_header *);
/* out (DNS_MAXNAME bytes) and len may be NULL to skip a name */
int	wire_name(struct wire *, uint8_t *, size_t *);
/* a name that must not be compressed: any pointer is an error */
int	wire_name_nocomp(struct wire *, uint8_t *, size_t *);
int	wire_question(struct wire *, uint8_t *, size_t *, uint16_t *,
	    uint16_t *);
int	wire_rr(struct wire *, struct dns_rr *);
int	rdata_expand(const uint8_t *, size_t, const struct dns_rr *,
	    uint8_t *, size_t, size_t *);
/* the same for a record read with this cursor, on its budget of work */
int	rdata_expand_msg(struct wire *, const struct dns_rr *, uint8_t *,
	    size_t, size_t *);
/* an answer to a message of ours: WIRE_WORK_ANSWER */
void	wire_init_answer(struct wire *, const uint8_t *, size_t);

/* writing */
void	wbuf_init(struct wbuf *, uint8_t *, size_t);
int	wbuf_u8(struct wbuf *, uint8_t);
int	wbuf_u16(struct wbuf *, uint16_t);
int	wbuf_u32(struct wbuf *, uint32_t);
int	wbuf_bytes(struct wbuf *, const void *, size_t);
int	wbuf_set_u16(struct wbuf *, size_t, uint16_t);
int	wbuf_header(struct wbuf *, const struct dns_header *);
int	wbuf_name(struct wbuf *, const uint8_t *, size_t,
	    struct dns_compress *);
/* a reply without records to a query: its length, 0 when none fits */
size_t	dns_reply_head(const uint8_t *, size_t, uint16_t, int, uint8_t *,
	    size_t);

/*
 * names (uncompressed wire form).  dns_name_valid, _equal, _subdomain and
 * _wildcard answer 1 or 0; dns_name_from_text and _to_text 0 or -1.
 */
int	dns_name_from_text(const char *, uint8_t *, size_t *);
int	dns_name_to_text(const uint8_t *, size_t, char *, size_t);
int	dns_name_valid(const uint8_t *, size_t);
void	dns_name_lower(uint8_t *, size_t);
int	dns_name_equal(const uint8_t *, size_t, const uint8_t *, size_t);
int	dns_name_cmp(const uint8_t *, size_t, const uint8_t *, size_t);
int	dns_name_labels(const uint8_t *, size_t);
int	dns_name_subdomain(const uint8_t *, size_t, const uint8_t *, size_t);
size_t	dns_name_parent(const uint8_t *, size_t);
/* offset of the suffix with n labels (len - 1 for n = 0; 0 if n >= all) */
size_t	dns_name_suffix(const uint8_t *, size_t, int);
/* 1 if the first label is "*" (RFC 4592) */
int	dns_name_wildcard(const uint8_t *, size_t);

/*
 * types and presentation.  dns_type_name returns a static string for a
 * known type, else "TYPEnnn" written in buf (DNS_MAXTYPESTR bytes).
 * rdata_to_text takes expanded rdata (see rdata_expand).
 */
const char *dns_type_name(uint16_t, char *, size_t);
int	dns_type_byname(const char *);
int	dns_type_has_names(uint16_t);
/* 1 for the 11 RFC 1035 types a writer may compress (RFC 3597 s. 4) */
int	dns_type_compressible(uint16_t);
/*
 * Where the names are in a type's rdata: pre octets of fixed-size fields,
 * nnames names (uncompressed once expanded), post octets of fixed-size
 * fields.  -1 for a type without names, or with a field of variable size
 * or fixed fields between its names.
 */
struct dns_rdlayout {
	size_t			 pre;
	int			 nnames;
	size_t			 post;
};
int	dns_rdata_layout(uint16_t, struct dns_rdlayout *);
/* 1 for A and AAAA, the records of a name's addresses (RFC 3596) */
int	dns_type_is_addr(uint16_t);
/* 1 for the rdata of an A (4 octets) or an AAAA (16): an address */
int	dns_rdata_is_addr(uint16_t, size_t);
/*
 * A proxied name (secctl(8), proxy).  dns_type_proxyable: A, AAAA and
 * CNAME, what a name must hold to be proxied and what the proxy set
 * replaces there (a CNAME would lead to the origin's addresses).
 * dns_type_proxy_hides: those and HTTPS and SVCB, whose ipv4hint and
 * ipv6hint (RFC 9460 section 7.3) would show the origin's addresses; no
 * record of these types is served at a proxied name.
 */
int	dns_type_proxyable(uint16_t);
int	dns_type_proxy_hides(uint16_t);
/* "NOERROR", "REFUSED"... (RFC 6895) or "RCODEnnn" */
const char *dns_rcode_name(int, char *, size_t);
/* "IN", "CH", "HS", "NONE", "ANY" or "CLASSnnn"; inverse -1 if unknown */
const char *dns_class_name(uint16_t, char *, size_t);
int	dns_class_byname(const char *);
int	rdata_to_text(uint16_t, const uint8_t *, size_t, char *, size_t);

/* The numbers of an SOA's expanded rdata; -1 if it is malformed. */
struct dns_soa {
	uint32_t	 serial, refresh, retry, expire, minimum;
};
int	dns_soa_parse(const uint8_t *, size_t, struct dns_soa *);
/*
 * RFC 1982 serial arithmetic: 1 if a is newer than b, -1 if older, 0 if
 * equal; 2 when the distance is exactly 2^31 (undefined: not newer).
 */
int	dns_serial_cmp(uint32_t, uint32_t);

#endif
