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
 * DNSSEC answers from the image (RFC 4035 section 3.1, RFC 5155 section
 * 7.2): a zone signed by the fake signer (tsign.h) with NSEC, NSEC3 and
 * NSEC3 with opt-out is built and served, and each DO answer is read
 * back: the RRSIGs beside every RRset, and proofs that prove what they
 * must, checked here by their own relations (an NSEC covers the name, an
 * NSEC3 matches or covers a hash), not by comparing with the builder.
 * Answers without DO stay unsigned.  Real signers and validators are in
 * regress/dnssec.
 */
#include <sys/stat.h>

#include "tsign.h"
#include "zoned/merge.h"
#include "zoned/override.h"

#define EXPIRE		2000000000U
#define MAXR		64

static const char *const zone_lines[] = {
	"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"@ 3600 MX 10 mail",
	"ns1 3600 A 192.0.2.53",
	"mail 3600 A 192.0.2.25",
	"mail 3600 AAAA 2001:db8::25",
	"www 300 A 192.0.2.80",
	"alias 60 CNAME www",
	"dang 60 CNAME nothere",
	"a.b.c 60 TXT deep",
	"*.w 120 A 192.0.2.200",
	"x.w 120 TXT explicit",
	"sub 3600 NS ns.sub",
	"sub 3600 DS 04d2 08 02 abcdef",
	"ns.sub 3600 A 192.0.2.54",
	"uns 3600 NS ns.elsewhere.net.",
	"x.optent 3600 NS ns.elsewhere.net.",
	"dn 600 DNAME example.net.",
	NULL
};

/* One record of a reply, rdata expanded. */
struct prr {
	uint8_t		 owner[DNS_MAXNAME];
	size_t		 ownerlen;
	uint16_t	 type;
	uint8_t		 rd[1024];
	size_t		 rdlen;
};

static struct tzone	 tz;
static struct prr	 recs[3][MAXR];
static int		 nrecs[3];

static void
signed_zone(enum ts_mode mode, const char *salt, int optout)
{
	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	ts_sign(&tz, mode, mode == TS_NSEC3 ? 3 : 0, salt, optout, EXPIRE);
	tz_serve(&tz);
}

/* Ask with DO (dnssec) or without, and keep the records by section. */
static struct treply *
ask(const char *name, uint16_t type, int dnssec)
{
	struct treply	*r;
	struct tq	 o;
	struct wire	 w;
	struct dns_rr	 rr;
	int		 s, i, cnt[3];

	memset(&o, 0, sizeof(o));
	o.edns = 1;
	o.size = 4096;
	o.dobit = dnssec;
	r = tq_ask(name, type, &o);
	wire_init(&w, r->buf, r->len);
	ATF_REQUIRE(wire_header(&w, &r->h) == 0 &&
	    wire_question(&w, NULL, NULL, NULL, NULL) == 0);
	cnt[0] = r->h.ancount;
	cnt[1] = r->h.nscount;
	cnt[2] = r->h.arcount;
	for (s = 0; s < 3; s++) {
		nrecs[s] = 0;
		for (i = 0; i < cnt[s]; i++) {
			ATF_REQUIRE(wire_rr(&w, &rr) == 0);
			if (rr.type == DNS_T_OPT)
				continue;
			ATF_REQUIRE(nrecs[s] < MAXR);
			memcpy(recs[s][nrecs[s]].owner, rr.owner, rr.ownerlen);
			recs[s][nrecs[s]].ownerlen = rr.ownerlen;
			dns_name_lower(recs[s][nrecs[s]].owner, rr.ownerlen);
			recs[s][nrecs[s]].type = rr.type;
			ATF_REQUIRE(rdata_expand(r->buf, r->len, &rr,
			    recs[s][nrecs[s]].rd, sizeof(recs[s][0].rd),
			    &recs[s][nrecs[s]].rdlen) == 0);
			nrecs[s]++;
		}
	}
	return (r);
}

static int
count(int s, uint16_t type)
{
	int	 i, n = 0;

	for (i = 0; i < nrecs[s]; i++)
		n += recs[s][i].type == type;
	return (n);
}

/* Every RRset of section s but RRSIGs has an RRSIG covering it. */
static void
check_signed(int s, const char *what)
{
	int	 i, j, found;

	for (i = 0; i < nrecs[s]; i++) {
		if (recs[s][i].type == DNS_T_RRSIG)
			continue;
		for (found = 0, j = 0; j < nrecs[s] && !found; j++)
			found = recs[s][j].type == DNS_T_RRSIG &&
			    (recs[s][j].rd[0] << 8 | recs[s][j].rd[1]) ==
			    recs[s][i].type && dns_name_equal(recs[s][j].owner,
			    recs[s][j].ownerlen, recs[s][i].owner,
			    recs[s][i].ownerlen);
		ATF_CHECK_MSG(found, "%s: section %d: type %u without its "
		    "RRSIG", what, s, recs[s][i].type);
	}
}

static void
check_unsigned(const char *what)
{
	int	 s;

	for (s = 0; s < 3; s++)
		ATF_CHECK_MSG(count(s, DNS_T_RRSIG) + count(s, DNS_T_NSEC) +
		    count(s, DNS_T_NSEC3) == 0, "%s: DNSSEC records without "
		    "DO", what);
}

static void
wire_of(const char *text, uint8_t *name, size_t *len)
{
	ATF_REQUIRE(dns_name_from_text(text, name, len) == 0);
	dns_name_lower(name, *len);
}

/* An NSEC of the authority section covers (or matches) name. */
static int
nsec_covers(const char *text, int match)
{
	uint8_t		 name[DNS_MAXNAME];
	size_t		 len, nlen;
	const struct prr *p;
	int		 i, lo, hi;

	wire_of(text, name, &len);
	for (i = 0; i < nrecs[1]; i++) {
		p = &recs[1][i];
		if (p->type != DNS_T_NSEC)
			continue;
		for (nlen = 0; nlen < p->rdlen && p->rd[nlen] != 0;
		    nlen += p->rd[nlen] + 1)
			;
		nlen++;
		lo = dns_name_cmp(p->owner, p->ownerlen, name, len);
		hi = dns_name_cmp(name, len, p->rd, nlen);
		if (match ? lo == 0 : (lo < 0 && (hi < 0 ||
		    dns_name_cmp(p->rd, nlen, p->owner, p->ownerlen) <= 0)))
			return (1);
	}
	return (0);
}

/* An NSEC3 of the authority section matches or covers name's hash. */
static int
nsec3_covers(const char *text, int match)
{
	struct nsec3_param	 pr;
	uint8_t			 name[DNS_MAXNAME], h[IMAGE_NSEC3_HASHLEN];
	uint8_t			 own[IMAGE_NSEC3_HASHLEN];
	const uint8_t		*next;
	const struct prr	*p;
	size_t			 len;
	int			 i, lo, hi;

	wire_of(text, name, &len);
	for (i = 0; i < nrecs[1]; i++) {
		p = &recs[1][i];
		if (p->type != DNS_T_NSEC3)
			continue;
		memset(&pr, 0, sizeof(pr));
		pr.alg = p->rd[0];
		pr.iter = p->rd[2] << 8 | p->rd[3];
		pr.saltlen = p->rd[4];
		memcpy(pr.salt, p->rd + 5, pr.saltlen);
		next = p->rd + 5 + pr.saltlen + 1;
		ATF_REQUIRE(denial_nsec3_hash(&pr, name, len, h) == 0);
		ATF_REQUIRE(denial_b32hex(p->owner, p->ownerlen, own) == 0);
		lo = memcmp(own, h, sizeof(h));
		hi = memcmp(h, next, sizeof(h));
		if (match ? lo == 0 : (lo < 0 && (hi < 0 ||
		    memcmp(next, own, sizeof(h)) <= 0)))
			return (1);
	}
	return (0);
}

static int
covers(enum ts_mode mode, const char *name, int match)
{
	return (mode == TS_NSEC ? nsec_covers(name, match) :
	    nsec3_covers(name, match));
}

static void
positive_answers(enum ts_mode mode)
{
	struct treply	*r;

	r = ask("www.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(count(0, DNS_T_A), 1);
	ATF_CHECK_EQ(count(0, DNS_T_RRSIG), 1);
	check_signed(0, "www A");
	ask("www.example.com", DNS_T_A, 0);
	check_unsigned("www A");
	/* the additional A/AAAA of an MX, signed too */
	ask("example.com", DNS_T_MX, 1);
	check_signed(0, "MX");
	ATF_CHECK_EQ(count(2, DNS_T_A) + count(2, DNS_T_AAAA), 2);
	check_signed(2, "MX additional");
	/* a chain: each CNAME and the end signed */
	ask("alias.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(count(0, DNS_T_CNAME), 1);
	ATF_CHECK_EQ(count(0, DNS_T_RRSIG), 2);
	check_signed(0, "alias A");
	/* DNSKEY-less apex types and NSEC3PARAM are served as data */
	r = ask("example.com", DNS_T_SOA, 1);
	ATF_CHECK(r->h.flags & DNS_F_AA);
	check_signed(0, "SOA");
	(void)mode;
}

static void
negative_answers(enum ts_mode mode)
{
	struct treply	*r;
	int		 n = mode == TS_NSEC ? DNS_T_NSEC : DNS_T_NSEC3;

	/* NXDOMAIN: the name, and the wildcard at its closest encloser */
	r = ask("nx.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NXDOMAIN);
	ATF_CHECK_EQ(count(1, DNS_T_SOA), 1);
	check_signed(1, "NXDOMAIN");
	if (mode == TS_NSEC) {
		ATF_CHECK_MSG(covers(mode, "nx.example.com", 0),
		    "no NSEC covers nx.example.com");
		ATF_CHECK_MSG(covers(mode, "*.example.com", 0),
		    "no NSEC covers *.example.com");
	} else {
		ATF_CHECK_MSG(covers(mode, "example.com", 1),
		    "no NSEC3 matches the closest encloser");
		ATF_CHECK_MSG(covers(mode, "nx.example.com", 0),
		    "no NSEC3 covers the next closer name");
		ATF_CHECK_MSG(covers(mode, "*.example.com", 0),
		    "no NSEC3 covers the wildcard");
		/* two of them may be one record */
		ATF_CHECK_MSG(count(1, n) >= 2 && count(1, n) <= 3,
		    "%d NSEC3 records", count(1, n));
	}
	/* deeper: the next closer name is the closest encloser's child */
	r = ask("x.y.nx2.a.b.c.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NXDOMAIN);
	ATF_CHECK_MSG(covers(mode, mode == TS_NSEC ?
	    "x.y.nx2.a.b.c.example.com" : "nx2.a.b.c.example.com", 0),
	    "no proof for the deep name");
	ask("nx.example.com", DNS_T_A, 0);
	check_unsigned("NXDOMAIN");
	/* NODATA at a name, at an empty non-terminal */
	r = ask("www.example.com", DNS_T_TXT, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NOERROR);
	ATF_CHECK_EQ(r->n[0], 0);
	ATF_CHECK_MSG(covers(mode, "www.example.com", 1),
	    "NODATA without the name's own %s", mode == TS_NSEC ? "NSEC" :
	    "NSEC3");
	check_signed(1, "NODATA");
	r = ask("b.c.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NOERROR);
	ATF_CHECK_MSG(covers(mode, "b.c.example.com", mode != TS_NSEC),
	    "empty non-terminal without its proof");
	/* a CNAME into nothing: the target's proof */
	r = ask("dang.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NXDOMAIN);
	check_signed(0, "dangling CNAME");
	ATF_CHECK_MSG(covers(mode, mode == TS_NSEC ? "nothere.example.com" :
	    "nothere.example.com", 0), "no proof for the CNAME's target");
	/* the NSEC3 owners are not names */
	if (mode == TS_NSEC3) {
		r = ask("nx.example.com", DNS_T_A, 1);
		ATF_REQUIRE(count(1, DNS_T_NSEC3) > 0);
	}
}

static void
wildcard_answers(enum ts_mode mode)
{
	struct treply	*r;
	int		 i;

	r = ask("foo.w.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NOERROR);
	ATF_CHECK_EQ(count(0, DNS_T_A), 1);
	check_signed(0, "wildcard A");
	for (i = 0; i < nrecs[0]; i++)
		if (recs[0][i].type == DNS_T_RRSIG)
			ATF_CHECK_EQ_MSG(recs[0][i].rd[3], 3,
			    "RRSIG labels %u, the wildcard's is 3",
			    recs[0][i].rd[3]);
	ATF_CHECK_MSG(covers(mode, "foo.w.example.com", 0),
	    "wildcard answer without proof that the name does not exist");
	/* the wildcard queried as itself needs no such proof */
	r = ask("*.w.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(count(1, mode == TS_NSEC ? DNS_T_NSEC : DNS_T_NSEC3), 0);
	/* wildcard NODATA: no name, and the wildcard lacks the type */
	r = ask("foo.w.example.com", DNS_T_MX, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NOERROR);
	ATF_CHECK_EQ(r->n[0], 0);
	ATF_CHECK_MSG(covers(mode, "*.w.example.com", 1),
	    "wildcard NODATA without the wildcard's record");
	ATF_CHECK_MSG(covers(mode, "foo.w.example.com", 0),
	    "wildcard NODATA without the name's proof");
	if (mode == TS_NSEC3)
		ATF_CHECK_MSG(covers(mode, "w.example.com", 1),
		    "wildcard NODATA without the closest encloser");
}

static void
referrals(enum ts_mode mode, int optout)
{
	struct treply	*r;

	r = ask("x.sub.example.com", DNS_T_A, 1);
	ATF_CHECK((r->h.flags & DNS_F_AA) == 0);
	ATF_CHECK_EQ(count(1, DNS_T_NS), 1);
	ATF_CHECK_EQ(count(1, DNS_T_DS), 1);
	ATF_CHECK_EQ(count(1, DNS_T_RRSIG), 1);
	ATF_CHECK_EQ(count(2, DNS_T_RRSIG), 0);
	/* an unsigned child: the proof that it has no DS */
	r = ask("x.uns.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(count(1, DNS_T_DS), 0);
	if (!optout)
		ATF_CHECK_MSG(covers(mode, "uns.example.com", 1),
		    "referral to an unsigned child without its proof");
	else {
		ATF_CHECK_MSG(covers(mode, "example.com", 1),
		    "opt-out: no closest provable encloser");
		ATF_CHECK_MSG(covers(mode, "uns.example.com", 0),
		    "opt-out: no NSEC3 covering the child");
	}
	/* DS at the cuts */
	ask("sub.example.com", DNS_T_DS, 1);
	ATF_CHECK_EQ(count(0, DNS_T_DS), 1);
	check_signed(0, "DS");
	r = ask("uns.example.com", DNS_T_DS, 1);
	ATF_CHECK(r->h.flags & DNS_F_AA);
	ATF_CHECK_EQ(r->n[0], 0);
	/* qtype RRSIG at a cut: the referral */
	r = ask("sub.example.com", DNS_T_RRSIG, 1);
	ATF_CHECK((r->h.flags & DNS_F_AA) == 0);
}

ATF_TC_WITHOUT_HEAD(nsec_answers);
ATF_TC_BODY(nsec_answers, tc)
{
	signed_zone(TS_NSEC, "", 0);
	positive_answers(TS_NSEC);
	negative_answers(TS_NSEC);
	wildcard_answers(TS_NSEC);
	referrals(TS_NSEC, 0);
	tz_free(&tz);
}

ATF_TC_WITHOUT_HEAD(nsec3_answers);
ATF_TC_BODY(nsec3_answers, tc)
{
	signed_zone(TS_NSEC3, "abcd", 0);
	positive_answers(TS_NSEC3);
	negative_answers(TS_NSEC3);
	wildcard_answers(TS_NSEC3);
	referrals(TS_NSEC3, 0);
	tz_free(&tz);
}

ATF_TC_WITHOUT_HEAD(nsec3_optout_answers);
ATF_TC_BODY(nsec3_optout_answers, tc)
{
	struct treply	*r;

	signed_zone(TS_NSEC3, "", 1);
	negative_answers(TS_NSEC3);
	referrals(TS_NSEC3, 1);
	/*
	 * Under an empty non-terminal the chain left out (it leads only to
	 * an unsigned cut): the closest provable encloser, the apex, and
	 * the opt-out NSEC3 covering its child (RFC 5155 7.2.1), so that a
	 * validator finds the NXDOMAIN insecure, not bogus.
	 */
	ATF_REQUIRE(!covers(TS_NSEC3, "optent.example.com", 1));
	r = ask("q.optent.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NXDOMAIN);
	ATF_CHECK_MSG(covers(TS_NSEC3, "example.com", 1),
	    "no closest provable encloser");
	ATF_CHECK_MSG(covers(TS_NSEC3, "optent.example.com", 0),
	    "no NSEC3 covering the next closer name of the provable one");
	tz_free(&tz);
}

/* The image in fd mapped (for its header). */
static const struct image_header *
header_of(int fd, uint8_t **img, size_t *size)
{
	struct stat	 st;

	ATF_REQUIRE(fstat(fd, &st) == 0);
	*size = st.st_size;
	ATF_REQUIRE((*img = malloc(*size)) != NULL);
	ATF_REQUIRE(pread(fd, *img, *size, 0) == (ssize_t)*size);
	return ((const struct image_header *)*img);
}

/* The records of owner in t, in one bowner (rrs holds them). */
static void
owner_of(struct tzone *t, const char *owner, struct bowner *bo,
    struct zrr *rrs, uint8_t *name)
{
	size_t	 k;

	ATF_REQUIRE(dns_name_from_text(owner, name, &bo->ownerlen) == 0);
	bo->owner = name;
	bo->rrs = rrs;
	bo->nrr = 0;
	for (k = 0; k < t->n; k++)
		if (dns_name_equal(t->rrs[k].owner, t->rrs[k].ownerlen, name,
		    bo->ownerlen))
			rrs[bo->nrr++] = t->rrs[k];
}

/*
 * A kept signed zone: a change that leaves the chain alone writes no new
 * index; a change that brings an NSEC3 chain to an NSEC zone (RFC 5155
 * 10.4) is a full build; an NSEC3 record at a name that is no NSEC3
 * owner is of no chain, after an update as after a full build.
 */
ATF_TC_WITHOUT_HEAD(kept_signed_zone_changes);
ATF_TC_BODY(kept_signed_zone_changes, tc)
{
	static struct zrr	 rrs[256];
	const struct image_header *h0, *h1;
	struct builder		*b;
	struct zone_src		 src;
	struct bowner		 bo, two[2];
	struct treply		*r;
	uint8_t			 name[DNS_MAXNAME], name2[DNS_MAXNAME];
	uint8_t			*i0, *i1;
	char			 err[256];
	size_t			 s0, s1, k;
	int			 fd, nfd;

	/* NSEC3: www's A changes, its NSEC3 does not */
	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	ts_sign(&tz, TS_NSEC3, 0, "", 0, EXPIRE);
	src = tz_src(&tz);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	owner_of(&tz, "www.example.com", &bo, rrs, name);
	for (k = 0; k < bo.nrr; k++)
		if (rrs[k].type == DNS_T_A)
			rrs[k].rdata = (const uint8_t *)"\xc0\x00\x02\x51";
	nfd = tz_tmpfd();
	ATF_REQUIRE_MSG(tz_update(b, &bo, 1, 1, fd, nfd, err,
	    sizeof(err)) == 0, "update: %s", err);
	h0 = header_of(fd, &i0, &s0);
	h1 = header_of(nfd, &i1, &s1);
	ATF_CHECK_MSG(h1->denial_off == h0->denial_off &&
	    h1->ndenial == h0->ndenial, "the index was written again: at %u, "
	    "then at %u", h0->denial_off, h1->denial_off);
	free(i0);
	free(i1);
	/* an NSEC3 record at www: not served, as a full build has it */
	rrs[bo.nrr] = rrs[0];
	rrs[bo.nrr].type = DNS_T_NSEC3;
	rrs[bo.nrr].rdata = (const uint8_t *)"\x01\x00\x00\x00\x00\x01\xaa"
	    "\x00";
	rrs[bo.nrr++].rdlen = 8;
	close(fd);
	fd = nfd;
	nfd = tz_tmpfd();
	ATF_REQUIRE_MSG(tz_update(b, &bo, 1, 2, fd, nfd, err,
	    sizeof(err)) == 0, "update: %s", err);
	{
		const char *names[2] = { "example.com", NULL };

		tz_configure(names);
		ATF_REQUIRE_MSG(tz_zones_set("example.com", nfd, 2, err,
		    sizeof(err)) == 0, "%s", err);
	}
	r = ask("www.example.com", DNS_T_NSEC3, 0);
	ATF_CHECK_EQ(r->n[0], 0);
	builder_free(b);
	close(fd);
	close(nfd);
	tz_free(&tz);

	/* NSEC, then an NSEC3PARAM: the chain's kind changes */
	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	ts_sign(&tz, TS_NSEC, 0, "", 0, EXPIRE);
	src = tz_src(&tz);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	owner_of(&tz, "example.com", &two[0], rrs, name);
	rrs[two[0].nrr] = rrs[0];
	rrs[two[0].nrr].type = DNS_T_NSEC3PARAM;
	rrs[two[0].nrr].rdata = (const uint8_t *)"\x01\x00\x00\x00\x00";
	rrs[two[0].nrr++].rdlen = 5;
	tz_add(&tz, "00000000000000000000000000000000 300 NSEC3 0100000000"
	    "14 0000000000000000000000000000000000000000 000220");
	owner_of(&tz, "00000000000000000000000000000000.example.com", &two[1],
	    rrs + 128, name2);
	ATF_REQUIRE(two[1].nrr == 1);
	nfd = tz_tmpfd();
	ATF_CHECK_EQ_MSG(tz_update(b, two, 2, 3, fd, nfd, err,
	    sizeof(err)), 1, "expected a full build, got: %s", err);
	ATF_CHECK_MSG(strstr(err, "chain") != NULL, "err: %s", err);
	builder_free(b);
	close(fd);
	close(nfd);
	tz_free(&tz);
}

/* Overrides set before the zone was signed are dormant (secctl.8). */
ATF_TC_WITHOUT_HEAD(overrides_dormant_in_a_signed_zone);
ATF_TC_BODY(overrides_dormant_in_a_signed_zone, tc)
{
	struct overrides	 o;
	struct proxy_conf	 pc;
	struct merged		 m;
	struct zone_src		 src;
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;
	char			 err[256];

	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	ts_sign(&tz, TS_NSEC, 0, "", 0, EXPIRE);
	src = tz_src(&tz);
	memset(&o, 0, sizeof(o));
	memset(&pc, 0, sizeof(pc));
	pc.ttl = 30;
	pc.n4 = 1;
	pc.v4[0].s_addr = htonl(0xc6336401);
	ATF_REQUIRE(dns_name_from_text("www.example.com", name, &len) == 0);
	ATF_REQUIRE(over_set(&o, name, len, 1, "test") == 0);
	ATF_REQUIRE(merge_zone(&src, &o, &pc, 0, &m, err, sizeof(err)) == 0);
	ATF_CHECK(m.signedoff);
	ATF_CHECK_EQ(m.dormant, 1);
	ATF_CHECK_EQ(m.src.nrr, src.nrr);
	ATF_CHECK(m.src.rrs == src.rrs);
	merge_free(&m);
	over_free(&o);
	tz_free(&tz);
}

/* A malformed NSEC is refused, the zone's old data kept (by zoned). */
ATF_TC_WITHOUT_HEAD(malformed_dnssec_rdata_refused);
ATF_TC_BODY(malformed_dnssec_rdata_refused, tc)
{
	static const char *const bad[] = {
		"www 300 NSEC 0b",
		"www 300 NSEC3 0100000000",
		"www 300 NSEC3PARAM 010000000502",
		"www 300 RRSIG 0001",
	};
	char	 err[256];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tz_init(&tz, "example.com");
		tz_lines(&tz, zone_lines);
		tz_add(&tz, bad[i]);
		ATF_CHECK_MSG(tz_build(&tz, err, sizeof(err)) == -1 &&
		    strstr(err, "malformed") != NULL, "%s: expected "
		    "malformed rdata, got '%s'", bad[i], err);
		tz_free(&tz);
	}
}

/* RFC 6672 with DO: the DNAME's RRSIG, the CNAME made unsigned. */
ATF_TC_WITHOUT_HEAD(dname_carries_its_rrsig);
ATF_TC_BODY(dname_carries_its_rrsig, tc)
{
	signed_zone(TS_NSEC, "", 0);
	ask("www.dn.example.com", DNS_T_A, 1);
	ATF_CHECK_EQ(count(0, DNS_T_DNAME), 1);
	ATF_CHECK_EQ(count(0, DNS_T_CNAME), 1);
	ATF_CHECK_EQ(count(0, DNS_T_RRSIG), 1);
	ask("www.dn.example.com", DNS_T_A, 0);
	check_unsigned("DNAME");
	tz_free(&tz);
}

/* RFC 5155 section 7.2.8: an NSEC3 owner is not a name of the zone. */
ATF_TC_WITHOUT_HEAD(nsec3_owners_are_not_names);
ATF_TC_BODY(nsec3_owners_are_not_names, tc)
{
	char		 owner[DNS_MAXNAMESTR];
	struct treply	*r;
	size_t		 k;

	signed_zone(TS_NSEC3, "", 0);
	for (k = 0; k < tz.n && tz.rrs[k].type != DNS_T_NSEC3; k++)
		;
	ATF_REQUIRE(k < tz.n);
	ATF_REQUIRE(dns_name_to_text(tz.rrs[k].owner, tz.rrs[k].ownerlen,
	    owner, sizeof(owner)) == 0);
	r = ask(owner, DNS_T_NSEC3, 1);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NXDOMAIN);
	ATF_CHECK_EQ(r->n[0], 0);
	r = ask(owner, DNS_T_A, 0);
	ATF_CHECK_EQ(tr_rcode(r), DNS_R_NXDOMAIN);
	tz_free(&tz);
}

/* RFC 4035 section 3.1.1: TC when the signed answer does not fit. */
ATF_TC_WITHOUT_HEAD(do_answer_that_does_not_fit_is_truncated);
ATF_TC_BODY(do_answer_that_does_not_fit_is_truncated, tc)
{
	struct treply	*r;
	struct tq	 o;
	char		 line[64];
	int		 i;

	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	for (i = 0; i < 26; i++) {
		snprintf(line, sizeof(line), "many 60 A 198.51.100.%d", i + 1);
		tz_add(&tz, line);
	}
	ts_sign(&tz, TS_NSEC, 0, "", 0, EXPIRE);
	tz_serve(&tz);
	memset(&o, 0, sizeof(o));
	o.edns = 1;
	o.size = 512;
	r = tq_ask("many.example.com", DNS_T_A, &o);
	ATF_CHECK_MSG(!(r->h.flags & DNS_F_TC) && r->n[0] == 26,
	    "without DO: %d records, TC %d", r->n[0],
	    (r->h.flags & DNS_F_TC) != 0);
	o.dobit = 1;
	r = tq_ask("many.example.com", DNS_T_A, &o);
	ATF_CHECK_MSG((r->h.flags & DNS_F_TC) && r->n[0] == 0,
	    "with DO: %d records, TC %d", r->n[0],
	    (r->h.flags & DNS_F_TC) != 0);
	o.tcp = 1;
	r = tq_ask("many.example.com", DNS_T_A, &o);
	ATF_CHECK_EQ(r->n[0], 27);
	tz_free(&tz);
}

/* RFC 5155 appendix A: salt aabbccdd, 12 iterations. */
ATF_TC_WITHOUT_HEAD(nsec3_hash_is_rfc5155s);
ATF_TC_BODY(nsec3_hash_is_rfc5155s, tc)
{
	static const char *const v[][2] = {
		{ "example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom" },
		{ "a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl" },
		{ "ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi" },
		{ "*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en" },
	};
	struct nsec3_param	 p;
	uint8_t			 name[DNS_MAXNAME], h[IMAGE_NSEC3_HASHLEN];
	uint8_t			 label[33], want[IMAGE_NSEC3_HASHLEN];
	size_t			 i, len;

	memset(&p, 0, sizeof(p));
	p.alg = 1;
	p.iter = 12;
	p.saltlen = 4;
	memcpy(p.salt, "\xaa\xbb\xcc\xdd", 4);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ATF_REQUIRE(dns_name_from_text(v[i][0], name, &len) == 0);
		ATF_REQUIRE(denial_nsec3_hash(&p, name, len, h) == 0);
		label[0] = 32;
		memcpy(label + 1, v[i][1], 32);
		ATF_REQUIRE(denial_b32hex(label, sizeof(label), want) == 0);
		ATF_CHECK_MSG(memcmp(h, want, sizeof(h)) == 0,
		    "%s: not %s", v[i][0], v[i][1]);
	}
	p.alg = 2;
	ATF_CHECK(denial_nsec3_hash(&p, name, len, h) == -1);
	p.alg = 1;
	p.iter = IMAGE_NSEC3_MAXITER + 1;
	ATF_CHECK(denial_nsec3_hash(&p, name, len, h) == -1);
	label[5] = 'w';		/* not base32hex */
	ATF_CHECK(denial_b32hex(label, sizeof(label), want) == -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, nsec3_hash_is_rfc5155s);
	ATF_TP_ADD_TC(tp, nsec_answers);
	ATF_TP_ADD_TC(tp, nsec3_answers);
	ATF_TP_ADD_TC(tp, nsec3_optout_answers);
	ATF_TP_ADD_TC(tp, kept_signed_zone_changes);
	ATF_TP_ADD_TC(tp, overrides_dormant_in_a_signed_zone);
	ATF_TP_ADD_TC(tp, malformed_dnssec_rdata_refused);
	ATF_TP_ADD_TC(tp, dname_carries_its_rrsig);
	ATF_TP_ADD_TC(tp, nsec3_owners_are_not_names);
	ATF_TP_ADD_TC(tp, do_answer_that_does_not_fit_is_truncated);
	return (atf_no_error());
}
