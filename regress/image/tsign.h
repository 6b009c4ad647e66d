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
 * A fake signer for the image and answer tests: it adds to a struct tzone
 * (tzone.h) what dnssec-signzone would, with signatures that are only
 * bytes (secd never checks them): an RRSIG for every authoritative RRset,
 * and an NSEC chain or an NSEC3 chain with its NSEC3PARAM (RFC 4034,
 * RFC 5155), built from the zone's names the way a signer sees them
 * (cuts, glue, empty non-terminals).  Real signatures and real validators
 * are in regress/dnssec.
 */
#ifndef TSIGN_H
#define TSIGN_H

#include "denial.h"
#include "fnv.h"
#include "tzone.h"

#define TS_MAXNAMES	1024
#define TS_MAXTYPES	32

enum ts_mode { TS_NSEC, TS_NSEC3 };

struct ts_name {
	uint8_t		 name[DNS_MAXNAME];	/* lower case */
	size_t		 len;
	uint16_t	 types[TS_MAXTYPES];
	int		 ntypes;
	int		 cut, below, ent;
	uint8_t		 hash[IMAGE_NSEC3_HASHLEN];
};

static struct ts_name	 ts_names[TS_MAXNAMES];
static int		 ts_n;

static inline int
ts_find(const uint8_t *name, size_t len)
{
	int	 i;

	for (i = 0; i < ts_n; i++)
		if (ts_names[i].len == len &&
		    memcmp(ts_names[i].name, name, len) == 0)
			return (i);
	return (-1);
}

/* A lower-case name and its missing ancestors (empty non-terminals). */
static inline int
ts_add(struct tzone *tz, const uint8_t *name, size_t len)
{
	size_t	 off;
	int	 i;

	if ((i = ts_find(name, len)) != -1)
		return (i);
	ATF_REQUIRE(ts_n < TS_MAXNAMES);
	i = ts_n++;
	memset(&ts_names[i], 0, sizeof(ts_names[i]));
	memcpy(ts_names[i].name, name, len);
	ts_names[i].len = len;
	ts_names[i].ent = 1;
	if (len > tz->apexlen) {
		off = (size_t)name[0] + 1;
		(void)ts_add(tz, name + off, len - off);
	}
	return (i);
}

static inline void
ts_type(struct ts_name *n, uint16_t type)
{
	int	 i;

	for (i = 0; i < n->ntypes; i++)
		if (n->types[i] == type)
			return;
	ATF_REQUIRE(n->ntypes < TS_MAXTYPES);
	n->types[n->ntypes++] = type;
	n->ent = 0;
}

static inline int
ts_has(const struct ts_name *n, uint16_t type)
{
	int	 i;

	for (i = 0; i < n->ntypes; i++)
		if (n->types[i] == type)
			return (1);
	return (0);
}

/* The names of the zone as a signer sees them. */
static inline void
ts_scan(struct tzone *tz)
{
	uint8_t		 l[DNS_MAXNAME];
	size_t		 k, off;
	int		 i, j;

	ts_n = 0;
	(void)ts_add(tz, tz->apex, tz->apexlen);
	for (k = 0; k < tz->n; k++) {
		memcpy(l, tz->rrs[k].owner, tz->rrs[k].ownerlen);
		dns_name_lower(l, tz->rrs[k].ownerlen);
		i = ts_add(tz, l, tz->rrs[k].ownerlen);
		ts_type(&ts_names[i], tz->rrs[k].type);
	}
	for (i = 0; i < ts_n; i++)
		ts_names[i].cut = ts_names[i].len != tz->apexlen &&
		    ts_has(&ts_names[i], DNS_T_NS);
	for (i = 0; i < ts_n; i++)
		for (off = ts_names[i].name[0] + 1; off < ts_names[i].len &&
		    ts_names[i].len - off >= tz->apexlen;
		    off += ts_names[i].name[off] + 1)
			if ((j = ts_find(ts_names[i].name + off,
			    ts_names[i].len - off)) != -1 && ts_names[j].cut)
				ts_names[i].below = 1;
}

/* A line "owner TTL TYPE hex" for tz_add. */
static inline void
ts_line(struct tzone *tz, const uint8_t *owner, size_t len, uint32_t ttl,
    const char *type, const uint8_t *rd, size_t rdlen)
{
	static char	 line[TZ_LINE];
	char		 name[DNS_MAXNAMESTR];
	size_t		 k, n;

	ATF_REQUIRE(dns_name_to_text(owner, len, name, sizeof(name)) == 0);
	n = snprintf(line, sizeof(line), "%s %u %s ", name, ttl, type);
	for (k = 0; k < rdlen; k++)
		n += snprintf(line + n, sizeof(line) - n, "%02x", rd[k]);
	ATF_REQUIRE(n < sizeof(line));
	tz_add(tz, line);
}

/* The type bitmap of RFC 4034 section 4.1.2 into w. */
static inline void
ts_bitmap(struct wbuf *w, const uint16_t *types, int n)
{
	uint8_t	 win[256][32];
	int	 used[256], i, b, last;

	memset(win, 0, sizeof(win));
	memset(used, 0, sizeof(used));
	for (i = 0; i < n; i++) {
		win[types[i] >> 8][(types[i] & 0xff) / 8] |=
		    0x80 >> (types[i] % 8);
		used[types[i] >> 8] = 1;
	}
	for (i = 0; i < 256; i++) {
		if (!used[i])
			continue;
		for (last = 0, b = 0; b < 32; b++)
			if (win[i][b])
				last = b + 1;
		wbuf_u8(w, i);
		wbuf_u8(w, last);
		wbuf_bytes(w, win[i], last);
	}
}

/* The types an NSEC or NSEC3 of name n lists. */
static inline int
ts_types(const struct ts_name *n, uint16_t extra, uint16_t *out)
{
	int	 i, k = 0;

	for (i = 0; i < n->ntypes; i++)
		if (!n->cut || n->types[i] == DNS_T_NS ||
		    n->types[i] == DNS_T_DS)
			out[k++] = n->types[i];
	if (!n->ent && (!n->cut || ts_has(n, DNS_T_DS)))
		out[k++] = DNS_T_RRSIG;
	if (extra != 0)
		out[k++] = extra;
	return (k);
}

/*
 * 1 if name i is an unsigned cut, or an empty non-terminal whose names
 * below are all unsigned cuts or under one: what an opt-out chain leaves
 * out (RFC 5155 section 7.1).
 */
static inline int
ts_insecure(int i)
{
	const struct ts_name	*n = &ts_names[i], *m;
	int			 j, below = 0;

	if (n->cut)
		return (!ts_has(n, DNS_T_DS));
	if (!n->ent)
		return (0);
	for (j = 0; j < ts_n; j++) {
		m = &ts_names[j];
		if (j == i || m->len <= n->len ||
		    !dns_name_subdomain(m->name, m->len, n->name, n->len))
			continue;
		if (!m->below && !(m->cut && !ts_has(m, DNS_T_DS)) &&
		    !m->ent)
			return (0);
		below = 1;
	}
	return (below);
}

static int
ts_canon(const void *a, const void *b)
{
	const struct ts_name	*x = *(const struct ts_name *const *)a;
	const struct ts_name	*y = *(const struct ts_name *const *)b;

	return (dns_name_cmp(x->name, x->len, y->name, y->len));
}

static int
ts_hashcmp(const void *a, const void *b)
{
	const struct ts_name	*x = *(const struct ts_name *const *)a;
	const struct ts_name	*y = *(const struct ts_name *const *)b;

	return (memcmp(x->hash, y->hash, sizeof(x->hash)));
}

/* The NSEC chain: every authoritative name, cuts too. */
static inline void
ts_nsec(struct tzone *tz, uint32_t ttl)
{
	static struct ts_name	*v[TS_MAXNAMES];
	uint8_t			 rd[1024];
	uint16_t		 types[TS_MAXTYPES + 2];
	struct wbuf		 w;
	int			 i, n = 0, k;

	for (i = 0; i < ts_n; i++)
		if (!ts_names[i].below && !ts_names[i].ent)
			v[n++] = &ts_names[i];
	qsort(v, n, sizeof(v[0]), ts_canon);
	for (i = 0; i < n; i++) {
		wbuf_init(&w, rd, sizeof(rd));
		wbuf_bytes(&w, v[(i + 1) % n]->name, v[(i + 1) % n]->len);
		k = ts_types(v[i], DNS_T_NSEC, types);
		ts_bitmap(&w, types, k);
		ATF_REQUIRE(!w.err);
		ts_line(tz, v[i]->name, v[i]->len, ttl, "NSEC", rd, w.len);
	}
	for (i = 0; i < n; i++)
		ts_type(v[i], DNS_T_NSEC);
}

/* base32hex of a hash, the NSEC3 owner's first label */
static inline size_t
ts_b32(const uint8_t *h, uint8_t *out)
{
	static const char	 dig[] = "0123456789abcdefghijklmnopqrstuv";
	uint64_t		 acc = 0;
	size_t			 i, n = 1;
	int			 bits = 0;

	out[0] = 32;
	for (i = 0; i < IMAGE_NSEC3_HASHLEN; i++) {
		acc = acc << 8 | h[i];
		for (bits += 8; bits >= 5; bits -= 5)
			out[n++] = dig[(acc >> (bits - 5)) & 31];
	}
	return (n);
}

/*
 * The NSEC3 chain (with opt-out: unsigned cuts left out) and its
 * NSEC3PARAM: every authoritative name, empty non-terminals too.
 */
static inline void
ts_nsec3(struct tzone *tz, uint32_t ttl, uint16_t iter, const uint8_t *salt,
    size_t saltlen, int optout)
{
	static struct ts_name	*v[TS_MAXNAMES];
	struct nsec3_param	 p;
	uint8_t			 rd[1024], owner[DNS_MAXNAME];
	uint16_t		 types[TS_MAXTYPES + 2];
	struct wbuf		 w;
	size_t			 olen;
	int			 i, n = 0, k;

	memset(&p, 0, sizeof(p));
	p.alg = 1;
	p.iter = iter;
	p.saltlen = saltlen;
	memcpy(p.salt, salt, saltlen);
	wbuf_init(&w, rd, sizeof(rd));
	wbuf_u8(&w, 1);
	wbuf_u8(&w, 0);
	wbuf_u16(&w, iter);
	wbuf_u8(&w, saltlen);
	wbuf_bytes(&w, salt, saltlen);
	ts_line(tz, tz->apex, tz->apexlen, 0, "NSEC3PARAM", rd, w.len);
	ts_type(&ts_names[0], DNS_T_NSEC3PARAM);
	for (i = 0; i < ts_n; i++) {
		if (ts_names[i].below || (optout && ts_insecure(i)))
			continue;
		ATF_REQUIRE(denial_nsec3_hash(&p, ts_names[i].name,
		    ts_names[i].len, ts_names[i].hash) == 0);
		v[n++] = &ts_names[i];
	}
	qsort(v, n, sizeof(v[0]), ts_hashcmp);
	for (i = 0; i < n; i++) {
		wbuf_init(&w, rd, sizeof(rd));
		wbuf_u8(&w, 1);
		wbuf_u8(&w, optout ? 1 : 0);
		wbuf_u16(&w, iter);
		wbuf_u8(&w, saltlen);
		wbuf_bytes(&w, salt, saltlen);
		wbuf_u8(&w, IMAGE_NSEC3_HASHLEN);
		wbuf_bytes(&w, v[(i + 1) % n]->hash, IMAGE_NSEC3_HASHLEN);
		k = ts_types(v[i], 0, types);
		ts_bitmap(&w, types, k);
		ATF_REQUIRE(!w.err);
		olen = ts_b32(v[i]->hash, owner);
		memcpy(owner + olen, tz->apex, tz->apexlen);
		ts_line(tz, owner, olen + tz->apexlen, ttl, "NSEC3", rd,
		    w.len);
	}
}

/*
 * Fake RRSIGs over every authoritative RRset the zone has now.  A fake
 * signature: bytes that depend on the RRset only (FNV-1a of its owner,
 * type and records), so that an RRset that did not change keeps its
 * RRSIG, as with a real signer that does not re-sign it.
 */
static inline void
ts_rrsigs(struct tzone *tz, uint32_t expire)
{
	const struct zrr	*r;
	struct wbuf		 w;
	uint8_t			 rd[512], l[DNS_MAXNAME], t[2];
	uint32_t		 ttl, fnv;
	size_t			 k, j, n = tz->n;
	int			 labels, i;

	for (k = 0; k < n; k++) {
		r = &tz->rrs[k];
		/* one RRSIG per RRset: at its first record */
		for (j = 0; j < k; j++)
			if (tz->rrs[j].type == r->type &&
			    dns_name_equal(tz->rrs[j].owner,
			    tz->rrs[j].ownerlen, r->owner, r->ownerlen))
				break;
		if (j < k)
			continue;
		memcpy(l, r->owner, r->ownerlen);
		dns_name_lower(l, r->ownerlen);
		if ((i = ts_find(l, r->ownerlen)) != -1 &&
		    (ts_names[i].below || (ts_names[i].cut &&
		    r->type != DNS_T_DS)))
			continue;
		t[0] = r->type >> 8;
		t[1] = r->type & 0xff;
		fnv = fnv_add(fnv_add(FNV_BASIS, l, r->ownerlen), t, 2);
		for (ttl = r->ttl, j = k; j < n; j++)
			if (tz->rrs[j].type == r->type &&
			    dns_name_equal(tz->rrs[j].owner,
			    tz->rrs[j].ownerlen, r->owner, r->ownerlen)) {
				if (tz->rrs[j].ttl < ttl)
					ttl = tz->rrs[j].ttl;
				fnv = fnv_add(fnv, tz->rrs[j].rdata,
				    tz->rrs[j].rdlen);
			}
		labels = dns_name_labels(r->owner, r->ownerlen) -
		    dns_name_wildcard(r->owner, r->ownerlen);
		wbuf_init(&w, rd, sizeof(rd));
		wbuf_u16(&w, r->type);
		wbuf_u8(&w, 13);
		wbuf_u8(&w, labels);
		wbuf_u32(&w, ttl);
		wbuf_u32(&w, expire);
		wbuf_u32(&w, expire - 30 * 86400);
		wbuf_u16(&w, 4711);
		wbuf_bytes(&w, tz->apex, tz->apexlen);
		for (j = 0; j < 64; j++)
			wbuf_u8(&w, (uint8_t)(fnv >> (8 * (j % 4))) ^ j);
		ATF_REQUIRE(!w.err);
		ts_line(tz, r->owner, r->ownerlen, ttl, "RRSIG", rd, w.len);
	}
}

/*
 * Sign tz: NSEC, or NSEC3 with iter, salt (hex, "" for none) and opt-out;
 * every RRSIG expires at expire.
 */
static inline void
ts_sign(struct tzone *tz, enum ts_mode mode, uint16_t iter,
    const char *salthex, int optout, uint32_t expire)
{
	uint8_t		 salt[255];
	size_t		 saltlen = 0;
	unsigned int	 v;

	ts_scan(tz);
	while (salthex[2 * saltlen] != '\0') {
		ATF_REQUIRE(sscanf(salthex + 2 * saltlen, "%2x", &v) == 1);
		salt[saltlen++] = v;
	}
	if (mode == TS_NSEC)
		ts_nsec(tz, 300);
	else
		ts_nsec3(tz, 300, iter, salt, saltlen, optout);
	ts_rrsigs(tz, expire);
}

#endif
