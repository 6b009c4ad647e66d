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
 * Helpers for the image and answer tests: a zone written as lines of
 * "owner TTL TYPE rdata", built into an image and served, queries made
 * and their replies read back into text with the shared/dns.h readers.
 */
#ifndef TZONE_H
#define TZONE_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "serverd/answer.h"
#include "zoned/builder.h"
#include "config.h"
#include "dns.h"
#include "image.h"
#include "sealed.h"
#include "secd.h"
#include "serverd/zones.h"

#define TZ_MAXRR	4096
#define TZ_STORE	(1 << 20)
#define TZ_LINE		2048

struct tzone {
	char		 origin[DNS_MAXNAMESTR];
	uint8_t		 apex[DNS_MAXNAME];
	size_t		 apexlen;
	uint32_t	 serial;
	int		 xfrout;	/* names with their records */
	struct zrr	 rrs[TZ_MAXRR];
	size_t		 n;
	uint8_t		*store;
	size_t		 used;
};

struct tq {
	int		 tcp;
	int		 edns;
	uint16_t	 size;
	uint8_t		 version;
	int		 dobit;
	uint16_t	 flags;		/* besides the opcode: RD, CD */
	uint16_t	 class;
};

#define TR_MAXRR	512
struct treply {
	uint8_t		 buf[DNS_MAXMSG];
	size_t		 len;
	struct dns_header h;
	struct answer_info ai;
	char		 qname[DNS_MAXNAMESTR];
	int		 n[3];
	char		 rr[3][TR_MAXRR][600];
	int		 opt;
	uint16_t	 optsize;
	uint32_t	 optttl;
	uint16_t	 optrdlen;
};

static inline uint8_t *
tz_alloc(struct tzone *tz, size_t n)
{
	uint8_t	*p;

	ATF_REQUIRE_MSG(tz->used + n <= TZ_STORE, "test zone store full");
	p = tz->store + tz->used;
	tz->used += n;
	return (p);
}

/* A name relative to the origin unless it ends with a dot; "@" is it. */
static inline size_t
tz_name(struct tzone *tz, const char *s, uint8_t *out)
{
	char	 buf[TZ_LINE * 2];
	size_t	 len;

	if (strcmp(s, "@") == 0)
		snprintf(buf, sizeof(buf), "%s", tz->origin);
	else if (s[strlen(s) - 1] == '.')
		snprintf(buf, sizeof(buf), "%s", s);
	else if (strcmp(tz->origin, ".") == 0)
		snprintf(buf, sizeof(buf), "%s.", s);
	else
		snprintf(buf, sizeof(buf), "%s.%s", s, tz->origin);
	ATF_REQUIRE_MSG(dns_name_from_text(buf, out, &len) == 0,
	    "bad name %s", buf);
	return (len);
}

static inline void
tz_init(struct tzone *tz, const char *origin)
{
	memset(tz, 0, sizeof(*tz));
	ATF_REQUIRE((tz->store = malloc(TZ_STORE)) != NULL);
	snprintf(tz->origin, sizeof(tz->origin), "%s", origin);
	ATF_REQUIRE(dns_name_from_text(origin, tz->apex, &tz->apexlen) == 0);
	tz->serial = 1;
}

static inline void
tz_free(struct tzone *tz)
{
	free(tz->store);
	tz->store = NULL;
}

static inline void
tz_hex(const char *s, struct wbuf *w)
{
	unsigned int	 v;

	while (*s != '\0') {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		ATF_REQUIRE_MSG(sscanf(s, "%2x", &v) == 1, "bad hex %s", s);
		wbuf_u8(w, v);
		s += 2;
	}
}

/* The rdata of one type in a simple text form, into w. */
static inline void
tz_rdata(struct tzone *tz, uint16_t type, char *s, struct wbuf *w)
{
	uint8_t		 name[DNS_MAXNAME], a[16];
	char		 n1[DNS_MAXNAMESTR], n2[DNS_MAXNAMESTR];
	unsigned int	 x, y, z;
	uint32_t	 v[5];

	switch (type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		ATF_REQUIRE(inet_pton(type == DNS_T_A ? AF_INET : AF_INET6,
		    s, a) == 1);
		wbuf_bytes(w, a, type == DNS_T_A ? 4 : 16);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_DNAME:
		wbuf_bytes(w, name, tz_name(tz, s, name));
		break;
	case DNS_T_MX:
		ATF_REQUIRE(sscanf(s, "%u %1024s", &x, n1) == 2);
		wbuf_u16(w, x);
		wbuf_bytes(w, name, tz_name(tz, n1, name));
		break;
	case DNS_T_SRV:
		ATF_REQUIRE(sscanf(s, "%u %u %u %1024s", &x, &y, &z, n1) == 4);
		wbuf_u16(w, x);
		wbuf_u16(w, y);
		wbuf_u16(w, z);
		wbuf_bytes(w, name, tz_name(tz, n1, name));
		break;
	case DNS_T_TXT:
		wbuf_u8(w, strlen(s));
		wbuf_bytes(w, s, strlen(s));
		break;
	case DNS_T_SOA:
		ATF_REQUIRE(sscanf(s, "%1024s %1024s %u %u %u %u %u", n1, n2,
		    &v[0], &v[1], &v[2], &v[3], &v[4]) == 7);
		wbuf_bytes(w, name, tz_name(tz, n1, name));
		wbuf_bytes(w, name, tz_name(tz, n2, name));
		for (x = 0; x < 5; x++)
			wbuf_u32(w, v[x]);
		break;
	default:
		tz_hex(s, w);
		break;
	}
	ATF_REQUIRE_MSG(!w->err, "rdata too long: %s", s);
}

/* "owner TTL TYPE rdata": TYPE by name or TYPEnnn (rdata in hex). */
static inline void
tz_add(struct tzone *tz, const char *line)
{
	char		 buf[TZ_LINE], owner[DNS_MAXNAMESTR], tstr[32];
	uint8_t		 name[DNS_MAXNAME], rd[DNS_MAXRDATA];
	struct wbuf	 w;
	struct zrr	*rr;
	unsigned int	 ttl;
	int		 type, used;

	ATF_REQUIRE(tz->n < TZ_MAXRR);
	snprintf(buf, sizeof(buf), "%s", line);
	ATF_REQUIRE_MSG(sscanf(buf, "%1024s %u %31s %n", owner, &ttl, tstr,
	    &used) == 3, "bad line: %s", line);
	ATF_REQUIRE_MSG((type = dns_type_byname(tstr)) != -1, "type %s",
	    tstr);
	rr = &tz->rrs[tz->n++];
	rr->ownerlen = tz_name(tz, owner, name);
	rr->owner = memcpy(tz_alloc(tz, rr->ownerlen), name, rr->ownerlen);
	rr->type = type;
	rr->class = DNS_C_IN;
	rr->ttl = ttl;
	wbuf_init(&w, rd, sizeof(rd));
	tz_rdata(tz, type, buf + used, &w);
	rr->rdlen = w.len;
	rr->rdata = memcpy(tz_alloc(tz, w.len + 1), rd, w.len);
}

static inline void
tz_lines(struct tzone *tz, const char *const *lines)
{
	for (; *lines != NULL; lines++)
		tz_add(tz, *lines);
}

static inline struct zone_src
tz_src(struct tzone *tz)
{
	struct zone_src	 src;

	memset(&src, 0, sizeof(src));
	src.apex = tz->apex;
	src.apexlen = tz->apexlen;
	src.serial = tz->serial;
	src.served = tz->serial;
	src.xfrout = tz->xfrout;
	src.rrs = tz->rrs;
	src.nrr = tz->n;
	return (src);
}

/* A file of its own, gone when closed. */
static inline int
tz_tmpfd(void)
{
	FILE	*f;
	int	 fd;

	ATF_REQUIRE((f = tmpfile()) != NULL);
	ATF_REQUIRE((fd = dup(fileno(f))) != -1);
	fclose(f);
	return (fd);
}

/* Build; the image's fd at offset 0, or -1 with err. */
static inline int
tz_build(struct tzone *tz, char *err, size_t errlen)
{
	struct zone_src	 src = tz_src(tz);
	int		 fd;

	fd = tz_tmpfd();
	if (builder_build(&src, NULL, fd, NULL, err, errlen) == -1) {
		close(fd);
		return (-1);
	}
	ATF_REQUIRE(lseek(fd, 0, SEEK_SET) == 0);
	return (fd);
}

/*
 * Configure exactly these zones (NULL-terminated presentation names), with
 * no settings: one empty zone_opts they share.  The zones served point at
 * their zone_conf until the next call, which frees the configuration
 * before; the last stays until exit.
 */
static inline void
tz_configure(const char *const *names)
{
	static struct secd_conf	*prev;
	struct secd_conf	*conf;
	struct zone_opts	*o;
	struct xfrout_acl	*x;
	struct zone_conf	*z;
	int			 i;

	ATF_REQUIRE((conf = config_new()) != NULL);
	ATF_REQUIRE((o = config_opts_new()) != NULL);
	/* transfers out to loopback (serverd/xfrout.c), unsigned */
	ATF_REQUIRE((x = calloc(1, sizeof(*x))) != NULL);
	ATF_REQUIRE(config_prefix("127.0.0.0/8", &x->net) == 0);
	TAILQ_INSERT_TAIL(&o->xfrouts, x, entry);
	ATF_REQUIRE(config_opts_add(conf, o) == 0);
	for (i = 0; names[i] != NULL; i++) {
		ATF_REQUIRE((z = config_zone_new(names[i], o)) != NULL);
		TAILQ_INSERT_TAIL(&conf->zones, z, entry);
	}
	ATF_REQUIRE(config_index(conf) == 0);
	zones_configure(conf);
	config_free(prev);
	prev = conf;
}

/*
 * zones_set() of a sealed copy of fd, as zoned hands one to serverd
 * (shared/sealed.h).
 */
static inline int
tz_zones_set(const char *zone, int fd, uint32_t serial, char *err,
    size_t errlen)
{
	struct stat	 st;
	int		 sfd, rv;

	ATF_REQUIRE(fstat(fd, &st) == 0);
	ATF_REQUIRE_MSG((sfd = sealed_copy(fd, st.st_size)) != -1,
	    "sealed_copy: %s", strerror(errno));
	rv = zones_set(zone, sfd, serial, err, errlen);
	close(sfd);
	return (rv);
}

/*
 * builder_update() as the image it makes: the overlay applied in memory
 * to the image in fd and checked as serverd does (overlay_apply), the
 * next image written to nfd; what builder_update returned, or -1 with
 * err when the overlay was refused.
 */
static inline int
tz_update(struct builder *b, const struct bowner *ch, size_t n,
    uint32_t serial, int fd, int nfd, char *err, size_t errlen)
{
	struct stat	 st;
	uint8_t		*img, *ovl;
	size_t		 size, cap, len;
	int		 rv;

	if ((rv = builder_update(b, ch, n, serial, serial, &ovl, &len, err,
	    errlen)) != 0)
		return (rv);
	ATF_REQUIRE(fstat(fd, &st) == 0);
	size = st.st_size;
	cap = IMAGE_RESERVE(size);
	ATF_REQUIRE((img = calloc(1, cap)) != NULL);
	ATF_REQUIRE(pread(fd, img, size, 0) == (ssize_t)size);
	if (overlay_apply(img, cap, &size, ovl, len, err, errlen) == -1)
		rv = -1;
	else
		ATF_REQUIRE(pwrite(nfd, img, size, 0) == (ssize_t)size);
	free(img);
	free(ovl);
	return (rv);
}

/* Build, configure this zone alone and serve it. */
static inline void
tz_serve(struct tzone *tz)
{
	const char	*names[2] = { tz->origin, NULL };
	char		 err[256];
	int		 fd;

	fd = tz_build(tz, err, sizeof(err));
	ATF_REQUIRE_MSG(fd != -1, "build failed: %s", err);
	tz_configure(names);
	ATF_REQUIRE_MSG(tz_zones_set(tz->origin, fd, tz->serial, err,
	    sizeof(err)) == 0, "zones_set: %s", err);
	close(fd);
}

static inline void
tz_zone(struct tzone *tz, const char *origin, const char *const *lines)
{
	tz_init(tz, origin);
	tz_lines(tz, lines);
	tz_serve(tz);
}

/* A query message for name (its case kept) and type. */
static inline size_t
tq_make(uint8_t *buf, size_t cap, const char *qname, uint16_t type,
    const struct tq *o)
{
	struct dns_header	 h;
	struct wbuf		 w;
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;

	ATF_REQUIRE(dns_name_from_text(qname, name, &len) == 0);
	memset(&h, 0, sizeof(h));
	h.id = 0x1234;
	h.flags = o != NULL ? o->flags : DNS_F_RD;
	h.qdcount = 1;
	h.arcount = o != NULL && o->edns;
	wbuf_init(&w, buf, cap);
	wbuf_header(&w, &h);
	wbuf_bytes(&w, name, len);
	wbuf_u16(&w, type);
	wbuf_u16(&w, o != NULL && o->class ? o->class : DNS_C_IN);
	if (o != NULL && o->edns) {
		wbuf_u8(&w, 0);
		wbuf_u16(&w, DNS_T_OPT);
		wbuf_u16(&w, o->size);
		wbuf_u32(&w, (uint32_t)o->version << 16 |
		    (o->dobit ? 0x8000 : 0));
		wbuf_u16(&w, 0);
	}
	ATF_REQUIRE(!w.err);
	return (w.len);
}

/* One record as "owner TTL TYPE rdata", its owner in the reply's case. */
static inline void
tr_text(const struct treply *r, const struct dns_rr *rr, char *out,
    size_t cap)
{
	uint8_t		 rd[DNS_MAXRDATA];
	char		 owner[DNS_MAXNAMESTR], tb[DNS_MAXTYPESTR];
	char		 txt[65536];
	size_t		 rdlen;
	int		 n;

	ATF_REQUIRE(dns_name_to_text(rr->owner, rr->ownerlen, owner,
	    sizeof(owner)) == 0);
	ATF_REQUIRE_MSG(rdata_expand(r->buf, r->len, rr, rd, sizeof(rd),
	    &rdlen) == 0, "bad rdata in reply");
	ATF_REQUIRE(rdata_to_text(rr->type, rd, rdlen, txt, sizeof(txt)) ==
	    0);
	n = snprintf(out, cap, "%s %u %s %s", owner, rr->ttl,
	    dns_type_name(rr->type, tb, sizeof(tb)), txt);
	ATF_REQUIRE_MSG(n > 0 && (size_t)n < cap, "record text too long");
}

/* Read a reply back with the shared readers; fails on anything odd. */
static inline void
tr_parse(struct treply *r)
{
	struct wire	 w;
	struct dns_rr	 rr;
	uint8_t		 qn[DNS_MAXNAME];
	size_t		 qlen;
	uint16_t	 qt, qc;
	int		 s, i, cnt[3];

	wire_init(&w, r->buf, r->len);
	ATF_REQUIRE(wire_header(&w, &r->h) == 0);
	r->qname[0] = '\0';
	if (r->h.qdcount == 1) {
		ATF_REQUIRE(wire_question(&w, qn, &qlen, &qt, &qc) == 0);
		ATF_REQUIRE(dns_name_to_text(qn, qlen, r->qname,
		    sizeof(r->qname)) == 0);
	}
	cnt[0] = r->h.ancount;
	cnt[1] = r->h.nscount;
	cnt[2] = r->h.arcount;
	r->opt = 0;
	for (s = 0; s < 3; s++) {
		r->n[s] = 0;
		for (i = 0; i < cnt[s]; i++) {
			ATF_REQUIRE_MSG(wire_rr(&w, &rr) == 0,
			    "section %d record %d unreadable", s, i);
			if (rr.type == DNS_T_OPT) {
				ATF_REQUIRE(s == 2 && !r->opt);
				r->opt = 1;
				r->optsize = rr.class;
				r->optttl = rr.ttl;
				r->optrdlen = rr.rdlen;
				continue;
			}
			ATF_REQUIRE(r->n[s] < TR_MAXRR);
			tr_text(r, &rr, r->rr[s][r->n[s]],
			    sizeof(r->rr[s][0]));
			r->n[s]++;
		}
	}
	ATF_REQUIRE_MSG(w.off == r->len, "%zu bytes after the records",
	    r->len - w.off);
}

static inline struct treply *
tq_ask(const char *qname, uint16_t type, const struct tq *o)
{
	static struct treply	 r;
	uint8_t			 q[512];
	size_t			 qlen;

	memset(&r, 0, sizeof(r));
	qlen = tq_make(q, sizeof(q), qname, type, o);
	r.len = answer_query(q, qlen, r.buf, sizeof(r.buf),
	    o != NULL ? o->tcp : 0, NULL, &r.ai);
	ATF_REQUIRE_MSG(r.len > 0, "no reply for %s", qname);
	tr_parse(&r);
	return (&r);
}

static inline int
tr_rcode(const struct treply *r)
{
	return (r->h.flags & DNS_F_RCODE_MASK);
}

/* The records of a section joined by "|" for one comparison. */
static inline const char *
tr_sect(const struct treply *r, int s)
{
	static char	 buf[3][65536];
	size_t		 i;

	buf[s][0] = '\0';
	for (i = 0; i < (size_t)r->n[s]; i++) {
		if (i > 0)
			strlcat(buf[s], "|", sizeof(buf[s]));
		strlcat(buf[s], r->rr[s][i], sizeof(buf[s]));
	}
	return (buf[s]);
}

#define CHECK_SECT(r, s, want) do {					\
	const char *got_ = tr_sect((r), (s));				\
	ATF_CHECK_MSG(strcmp(got_, (want)) == 0,			\
	    "section %d: expected \"%s\", got \"%s\"", (s), (want), got_); \
} while (0)

#define CHECK_RCODE(r, want) ATF_CHECK_MSG(tr_rcode(r) == (want),	\
	"rcode: expected %d, got %d", (want), tr_rcode(r))

#define CHECK_FLAG(r, f, on) ATF_CHECK_MSG(!!((r)->h.flags & (f)) == (on), \
	"flag %s: expected %s", #f, (on) ? "set" : "clear")

#endif
