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
 * builder_update() against a full build: after each change of an owner's
 * records (random, from a fixed seed, through every shape the builder
 * knows: CNAME chains in and out of the zone, DNAMEs, wildcards,
 * delegations and their glue, NS/MX/SRV targets, empty non-terminals
 * appearing and going, the SOA, proxy sets with hidden records), every
 * question on a pool of names, as serverd answers it from the image
 * written by the update, is answered the same from a full build of the
 * same records.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tsign.h"
#include "zoned/merge.h"
#include "zoned/override.h"
#include "zoned/zoned.h"

#define POOL	40
#define MAXL	8

static const char *const pool[POOL] = {
	"example.com", "www.example.com", "mail.example.com",
	"a.example.com", "b.example.com", "c.example.com",
	"x.y.z.example.com", "y.z.example.com", "z.example.com",
	"*.w.example.com", "q.w.example.com", "deep.q.w.example.com",
	"sub.example.com", "ns1.sub.example.com", "in.sub.example.com",
	"cn1.example.com", "cn2.example.com", "cn3.example.com",
	"t.example.com", "srv._tcp.example.com", "_tcp.example.com",
	"p.example.com", "e1.e2.example.com", "e2.example.com",
	"ns.example.com", "*.example.com", "new1.example.com",
	"new2.a.example.com", "v.example.com", "gone.example.com",
	"m.example.com", "r.example.com", "s.example.com",
	"k.l.example.com", "l.example.com", "j.example.com",
	"h.example.com", "g.example.com", "f.example.com",
	"d.example.com",
};

static const uint16_t qtypes[] = {
	DNS_T_A, DNS_T_AAAA, DNS_T_CNAME, DNS_T_MX, DNS_T_TXT, DNS_T_NS,
	DNS_T_SOA, DNS_T_SRV, DNS_T_ANY, DNS_T_DS,
};

/* The truth: each pool name's lines ("TTL TYPE rdata", the owner added). */
static char	 lines[POOL][MAXL][256];
static int	 nlines[POOL];
static int	 proxied[POOL];
static uint32_t	 serial = 1;
static struct tzone tz, one;

/* A fixed sequence (xorshift32), so that a failure can be replayed. */
static uint32_t
rnd(uint32_t n)
{
	static uint32_t	 x = 2463534242U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return (x % n);
}

static const char *
pick(void)
{
	return pool[rnd(POOL)];
}

static int
is_apex(int i)
{
	return i == 0;
}

/* Owner i gets random records of one shape (none: it goes away). */
static void
shape(int i, int allow_ns)
{
	int	 n = 0, k, s = rnd(allow_ns ? 10 : 9);

	if (is_apex(i))
		return;
	if (!allow_ns && s == 8)
		s = 9;
	switch (s) {
	case 0:
		break;
	case 1:
		for (k = 0; k < 1 + (int)rnd(3); k++)
			snprintf(lines[i][n++], 256, "300 A 192.0.2.%u",
			    rnd(250));
		break;
	case 2:
		snprintf(lines[i][n++], 256, "300 AAAA 2001:db8::%x",
		    rnd(4000));
		snprintf(lines[i][n++], 256, "60 A 198.51.100.%u",
		    rnd(250));
		break;
	case 3:
		snprintf(lines[i][n++], 256, "120 CNAME %s.", pick());
		break;
	case 4:
		snprintf(lines[i][n++], 256, "300 MX 10 %s.", pick());
		snprintf(lines[i][n++], 256, "300 TXT \"v=%u\"",
		    rnd(100));
		break;
	case 5:
		snprintf(lines[i][n++], 256, "300 SRV 0 5 443 %s.", pick());
		snprintf(lines[i][n++], 256, "300 A 203.0.113.%u",
		    rnd(250));
		break;
	case 6:
		snprintf(lines[i][n++], 256, "300 CNAME out.example.net.");
		break;
	case 7:
		snprintf(lines[i][n++], 256, "300 TXT \"only\"");
		break;
	case 8:
		snprintf(lines[i][n++], 256, "3600 NS %s.", pick());
		snprintf(lines[i][n++], 256, "3600 NS ns.example.net.");
		break;
	case 9:
		/* the names under it are occluded (RFC 6672 2.4) */
		snprintf(lines[i][n++], 256, "300 DNAME %s.", pick());
		break;
	}
	nlines[i] = n;
}

/* The apex: SOA with the serial, NS, MX, A. */
static void
apex_lines(void)
{
	snprintf(lines[0][0], 256, "3600 SOA ns.example.com. h.example.com. "
	    "%u 3600 600 86400 %u", serial, 60 + serial % 7);
	snprintf(lines[0][1], 256, "3600 NS ns.example.com.");
	snprintf(lines[0][2], 256, "3600 NS ns1.sub.example.com.");
	snprintf(lines[0][3], 256, "3600 MX 5 mail.example.com.");
	snprintf(lines[0][4], 256, "300 A 192.0.2.1");
	nlines[0] = 5;
}

/* Owner i's records into t as transferred: its lines. */
static void
add_raw(struct tzone *t, int i)
{
	char	 line[TZ_LINE];
	int	 k;

	for (k = 0; k < nlines[i]; k++) {
		snprintf(line, sizeof(line), "%s. %s", pool[i], lines[i][k]);
		tz_add(t, line);
	}
}

/*
 * Owner i's records into t: its lines, and when it is proxied (and holds
 * an A, AAAA or CNAME) what a proxied name hides hidden behind a proxy
 * set, as merge_owner() merges them.
 */
static void
add_owner(struct tzone *t, int i)
{
	static const uint32_t	 v4 = 0x016433c6;	/* 198.51.100.1 */
	size_t			 first = t->n, k;
	int			 addr = 0;

	add_raw(t, i);
	for (k = first; k < t->n; k++)
		addr |= dns_type_proxyable(t->rrs[k].type);
	if (!proxied[i] || !addr)
		return;
	for (k = first; k < t->n; k++)
		t->rrs[k].hidden = dns_type_proxy_hides(t->rrs[k].type);
	t->rrs[t->n] = t->rrs[first];
	t->rrs[t->n].type = DNS_T_A;
	t->rrs[t->n].ttl = 30;
	t->rrs[t->n].rdlen = 4;
	t->rrs[t->n].rdata = (const uint8_t *)&v4;
	t->rrs[t->n].proxy = 1;
	t->rrs[t->n++].hidden = 0;
}

static void
truth(struct tzone *t)
{
	int	 i;

	tz_free(t);
	tz_init(t, "example.com");
	t->serial = serial;
	for (i = 0; i < POOL; i++)
		add_owner(t, i);
}

/* DO queries too (the signed runs). */
static int	 with_do;

/*
 * Every answer of the pool, as text, from the image in fd: each name, and
 * a name under it (NXDOMAIN, wildcards, cuts), with DO too when with_do.
 */
static char *
answers(int fd)
{
	struct tq	 o = { .tcp = 1, .edns = 1, .size = 4096 };
	const char	*names[2] = { "example.com", NULL };
	struct treply	*r;
	char		 err[256], *out, q[300];
	size_t		 len = 0, cap = 1 << 23, i, t;
	int		 n, sub, d;

	tz_configure(names);
	ATF_REQUIRE_MSG(tz_zones_set("example.com", fd, serial, err,
	    sizeof(err)) == 0, "zones_set: %s", err);
	ATF_REQUIRE((out = malloc(cap)) != NULL);
	for (d = 0; d <= with_do; d++)
	for (sub = 0; sub <= with_do; sub++)
	for (i = 0; i < POOL; i++)
		for (t = 0; t < sizeof(qtypes) / sizeof(qtypes[0]); t++) {
			o.dobit = d;
			snprintf(q, sizeof(q), "%s%s", sub ? "zz." : "",
			    pool[i]);
			r = tq_ask(q, qtypes[t], &o);
			n = snprintf(out + len, cap - len, "%s/%u do %d: "
			    "rcode %d aa %d [%s] [%s] [%s]\n", q, qtypes[t],
			    d, tr_rcode(r), (r->h.flags & DNS_F_AA) != 0,
			    tr_sect(r, 0), tr_sect(r, 1), tr_sect(r, 2));
			ATF_REQUIRE(n > 0 && (size_t)n < cap - len);
			len += n;
		}
	return (out);
}

/* The same answers, line by line, so that a difference names its query. */
static void
compare(const char *got, const char *want)
{
	const char	*g, *w;
	size_t		 gl, wl;

	while (*got != '\0' || *want != '\0') {
		g = strchr(got, '\n');
		w = strchr(want, '\n');
		ATF_REQUIRE(g != NULL && w != NULL);
		gl = g - got;
		wl = w - want;
		if (gl != wl || memcmp(got, want, gl) != 0)
			atf_tc_fail("update: %.*s\nfull build: %.*s", (int)gl,
			    got, (int)wl, want);
		got = g + 1;
		want = w + 1;
	}
}

static uint8_t *
map(int fd, size_t *size)
{
	struct stat	 st;
	void		*p;

	ATF_REQUIRE(fstat(fd, &st) == 0);
	*size = st.st_size;
	p = mmap(NULL, *size, PROT_READ, MAP_SHARED, fd, 0);
	ATF_REQUIRE(p != MAP_FAILED);
	return (p);
}

/*
 * serverd's check of an image written by an update, against the one
 * before: passes; the same with one byte of the old part changed is not
 * an extension (checked whole then), nor is one whose names may be less
 * deep; with a hash slot of a changed name pointing into its
 * neighbour's bytes, refused.
 */
static void
check_next(int ofd, int nfd)
{
	const struct image_header	*h;
	uint8_t				*old, *img, *bad;
	uint32_t			*slots, i;
	size_t				 osize, size;
	char				 err[256];

	old = map(ofd, &osize);
	img = map(nfd, &size);
	ATF_REQUIRE_MSG(image_check_next(old, osize, img, size, err,
	    sizeof(err)) == 0, "image_check_next: %s", err);
	ATF_REQUIRE_MSG(image_check(img, size, err, sizeof(err)) == 0,
	    "image_check: %s", err);
	ATF_REQUIRE((bad = malloc(size)) != NULL);
	memcpy(bad, img, size);
	bad[sizeof(*h) + 1] ^= 0x40;
	ATF_CHECK(image_check_next(old, osize, bad, size, err,
	    sizeof(err)) == 1);
	memcpy(bad, img, size);
	((struct image_header *)bad)->maxlabels =
	    ((const struct image_header *)old)->maxlabels - 1;
	ATF_CHECK(image_check_next(old, osize, bad, size, err,
	    sizeof(err)) == 1);
	memcpy(bad, img, size);
	h = (const void *)bad;
	slots = (uint32_t *)(bad + h->hash_off);
	for (i = 0; i < h->hash_size; i++)
		if (slots[i] != ((const uint32_t *)(old +
		    h->hash_off))[i] && slots[i] != 0)
			break;
	if (i < h->hash_size) {
		slots[i] += 2;
		ATF_CHECK(image_check_next(old, osize, bad, size, err,
		    sizeof(err)) == -1);
	}
	free(bad);
	munmap(old, osize);
	munmap(img, size);
}

/*
 * One update of b by the change ch (n owners): the image after the one in
 * *fd, checked as serverd checks it; *fd is then the new image.  What
 * builder_update returned (err says why when not 0).
 */
static int
step(struct builder *b, const struct bowner *ch, size_t n, int *fd,
    char *err, size_t errlen)
{
	int	 nfd, rv;

	nfd = tz_tmpfd();
	rv = tz_update(b, ch, n, serial, *fd, nfd, err, errlen);
	if (rv == 0)
		check_next(*fd, nfd);
	close(*fd);
	*fd = nfd;
	return (rv);
}

/*
 * A build begun as zoned begins a large AXFR's (builder_begin): fed
 * src's records in pieces of random size, as the messages bring them,
 * each time from a larger copy of the array (it moves as it grows).
 * *copy to free after the build.
 */
static struct builder *
fed(const struct zone_src *src, struct zrr **copy)
{
	struct builder	*b;
	char		 err[256];
	size_t		 n = 0, m;

	*copy = NULL;
	b = builder_begin(src->apex, src->apexlen, rnd(2) ? src->nrr : 0, err,
	    sizeof(err));
	ATF_REQUIRE_MSG(b != NULL, "builder_begin: %s", err);
	while (n < src->nrr) {
		m = n + 1 + rnd(40);
		n = m < src->nrr ? m : src->nrr;
		free(*copy);
		ATF_REQUIRE((*copy = calloc(n, sizeof(**copy))) != NULL);
		memcpy(*copy, src->rrs, n * sizeof(**copy));
		ATF_REQUIRE_MSG(builder_feed(b, *copy, n, err,
		    sizeof(err)) == 0, "builder_feed: %s", err);
	}
	return (b);
}

/*
 * The image in fd answers every question as a full build of src, and
 * its header says what a full build's says of the zone's signatures.
 */
static void
same_answers(int fd, const struct zone_src *src)
{
	struct image_header	 gh, wh;
	char			 err[256], *got, *want;
	int			 wfd;

	wfd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(src, NULL, wfd, NULL, err,
	    sizeof(err)) == 0, "full build: %s", err);
	ATF_REQUIRE(pread(fd, &gh, sizeof(gh), 0) == (ssize_t)sizeof(gh));
	ATF_REQUIRE(pread(wfd, &wh, sizeof(wh), 0) == (ssize_t)sizeof(wh));
	ATF_CHECK_EQ_MSG(gh.sig_missing, wh.sig_missing,
	    "RRsets without an RRSIG: %u after the update, %u built in full",
	    gh.sig_missing, wh.sig_missing);
	ATF_CHECK_EQ_MSG(gh.chain_breaks, wh.chain_breaks,
	    "chain breaks: %u after the update, %u built in full",
	    gh.chain_breaks, wh.chain_breaks);
	ATF_CHECK_EQ_MSG(gh.sig_expire, wh.sig_expire,
	    "earliest expiration: %u after the update, %u built in full",
	    gh.sig_expire, wh.sig_expire);
	got = answers(fd);
	want = answers(wfd);
	compare(got, want);
	free(got);
	free(want);
	close(wfd);
}

/*
 * A full build kept, then rounds of changes of one to three owners (with
 * prox, some only toggle an owner's proxy set); each image the update
 * writes answers as a full build of the same records.
 */
static void
run(int rounds, int allow_ns, int prox)
{
	static uint8_t	 names[3][DNS_MAXNAME];
	struct builder	*b = NULL;
	struct zrr	*copy = NULL;
	struct zone_src	 src;
	struct bowner	 bo[3];
	char		 err[256];
	int		 fd = -1, round, i, k, nch, idx[3], rv;
	int		 incremental = 0, full = 0;
	size_t		 j;

	memset(nlines, 0, sizeof(nlines));
	memset(proxied, 0, sizeof(proxied));
	apex_lines();
	for (i = 1; i < POOL; i++)
		shape(i, 0);
	for (round = 0; round < rounds; round++) {
		if (b == NULL) {
			truth(&tz);
			src = tz_src(&tz);
			fd = tz_tmpfd();
			ATF_REQUIRE_MSG(builder_build(&src, full % 2 ?
			    fed(&src, &copy) : NULL, fd, &b, err,
			    sizeof(err)) == 0, "full build: %s", err);
			if (copy != NULL)
				same_answers(fd, &src);
			free(copy);
			copy = NULL;
			full++;
		}
		nch = 1 + rnd(3);
		for (k = 0; k < nch; k++) {
			idx[k] = rnd(POOL);
			if (idx[k] == 0) {
				serial++;
				apex_lines();
			} else if (prox && rnd(2))
				proxied[idx[k]] = !proxied[idx[k]];
			else
				shape(idx[k], allow_ns);
		}
		/* each changed owner's records, as zoned hands them */
		tz_free(&one);
		tz_init(&one, "example.com");
		for (k = 0; k < nch; k++) {
			j = one.n;
			add_owner(&one, idx[k]);
			ATF_REQUIRE(dns_name_from_text(pool[idx[k]], names[k],
			    &bo[k].ownerlen) == 0);
			bo[k].owner = names[k];
			bo[k].rrs = &one.rrs[j];
			bo[k].nrr = one.n - j;
		}
		if ((rv = step(b, bo, nch, &fd, err, sizeof(err))) != 0) {
			/* a full build next round; the change is good */
			ATF_REQUIRE_MSG(rv == 1, "update: %s", err);
			builder_free(b);
			b = NULL;
			close(fd);
			continue;
		}
		incremental++;
		truth(&tz);
		src = tz_src(&tz);
		same_answers(fd, &src);
	}
	if (b != NULL)
		close(fd);
	builder_free(b);
	tz_free(&tz);
	tz_free(&one);
	printf("%d updates, %d full builds\n", incremental, full);
	ATF_CHECK(incremental > rounds / 2);
}

/*
 * The signed runs: the truth signed by the fake signer each round (NSEC,
 * or NSEC3 with opt-out), and the change handed to the kept builder is
 * what an IXFR from a signer brings: every owner whose records differ,
 * its RRSIGs, the NSEC or NSEC3 records around it, the NSEC3 owners.
 */
#define MAXCH	256

static struct tzone	 stz[2];	/* the signed truth, before and now */

struct ownrec {
	char		 key[DNS_MAXNAMESTR + 600];	/* owner type data */
	uint8_t		 owner[DNS_MAXNAME];
	size_t		 ownerlen;
	const struct zrr *rr;
};

static int
ownrec_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct ownrec *)a)->key,
	    ((const struct ownrec *)b)->key));
}

/* t's records as sorted keys: owner (lower case), type, TTL, rdata. */
static struct ownrec *
ownrecs(const struct tzone *t)
{
	struct ownrec	*v;
	char		 name[DNS_MAXNAMESTR];
	size_t		 k, j, n;

	ATF_REQUIRE((v = calloc(t->n + 1, sizeof(*v))) != NULL);
	for (k = 0; k < t->n; k++) {
		memcpy(v[k].owner, t->rrs[k].owner, t->rrs[k].ownerlen);
		v[k].ownerlen = t->rrs[k].ownerlen;
		dns_name_lower(v[k].owner, v[k].ownerlen);
		ATF_REQUIRE(dns_name_to_text(v[k].owner, v[k].ownerlen, name,
		    sizeof(name)) == 0);
		n = snprintf(v[k].key, sizeof(v[k].key), "%s %05u %u ", name,
		    t->rrs[k].type, t->rrs[k].ttl);
		for (j = 0; j < t->rrs[k].rdlen && n + 3 < sizeof(v[k].key);
		    j++)
			n += snprintf(v[k].key + n, sizeof(v[k].key) - n,
			    "%02x", t->rrs[k].rdata[j]);
		v[k].rr = &t->rrs[k];
	}
	qsort(v, t->n, sizeof(*v), ownrec_cmp);
	return (v);
}

/* The records of owner among v's n, as one string of keys. */
static void
owner_keys(const struct ownrec *v, size_t n, const char *owner, char *out,
    size_t cap)
{
	size_t	 k, ol = strlen(owner);

	out[0] = '\0';
	for (k = 0; k < n; k++)
		if (strncmp(v[k].key, owner, ol) == 0 && v[k].key[ol] == ' ')
			strlcat(out, v[k].key, cap);
}

/*
 * The owners whose records differ between stz[0] and stz[1], each with
 * its records in stz[1] (copied to rrs); their number, or -1 when more
 * than MAXCH.
 */
static int
signed_change(struct bowner *bo, struct zrr (*rrs)[64],
    uint8_t (*names)[DNS_MAXNAME])
{
	static char	 a[1 << 16], b[1 << 16];
	struct ownrec	*v0, *v1;
	char		 owner[DNS_MAXNAMESTR];
	size_t		 i, k, n0 = stz[0].n, n1 = stz[1].n;
	int		 nch = 0, pass;
	const struct ownrec *v;

	v0 = ownrecs(&stz[0]);
	v1 = ownrecs(&stz[1]);
	for (pass = 0; pass < 2; pass++) {
		v = pass ? v0 : v1;
		for (i = 0; i < (pass ? n0 : n1); i++) {
			if (i > 0 && v[i].ownerlen == v[i - 1].ownerlen &&
			    memcmp(v[i].owner, v[i - 1].owner,
			    v[i].ownerlen) == 0)
				continue;
			ATF_REQUIRE(dns_name_to_text(v[i].owner,
			    v[i].ownerlen, owner, sizeof(owner)) == 0);
			for (k = 0; k < (size_t)nch; k++)
				if (bo[k].ownerlen == v[i].ownerlen &&
				    memcmp(bo[k].owner, v[i].owner,
				    v[i].ownerlen) == 0)
					break;
			if (k < (size_t)nch)
				continue;
			owner_keys(v0, n0, owner, a, sizeof(a));
			owner_keys(v1, n1, owner, b, sizeof(b));
			if (strcmp(a, b) == 0)
				continue;
			if (nch == MAXCH) {
				free(v0);
				free(v1);
				return (-1);
			}
			memcpy(names[nch], v[i].owner, v[i].ownerlen);
			bo[nch].owner = names[nch];
			bo[nch].ownerlen = v[i].ownerlen;
			bo[nch].rrs = rrs[nch];
			bo[nch].nrr = 0;
			/* in the zone's order, as a transfer has them */
			for (k = 0; k < n1; k++)
				if (dns_name_equal(stz[1].rrs[k].owner,
				    stz[1].rrs[k].ownerlen, v[i].owner,
				    v[i].ownerlen)) {
					ATF_REQUIRE(bo[nch].nrr < 64);
					rrs[nch][bo[nch].nrr++] =
					    stz[1].rrs[k];
				}
			nch++;
		}
	}
	free(v0);
	free(v1);
	return (nch);
}

/*
 * A signer's slips, now and then: an RRSIG left out, a record of the
 * denial chain naming another next name, a signature ending earlier
 * (what secd counts and shows, and an update must count as a full build
 * does).
 */
static void
signed_damage(struct tzone *t)
{
	struct zrr	*rr;
	uint8_t		*p;
	size_t		 i, k, tries;

	for (k = 0; k < 3; k++) {
		if (rnd(3) != 0)
			continue;
		for (tries = 0; tries < 100; tries++) {
			i = rnd(t->n);
			rr = &t->rrs[i];
			/* not the SOA's: the apex changes every round */
			if (k == 0 && rr->type == DNS_T_RRSIG &&
			    rr->rdlen >= 2 && (rr->rdata[0] << 8 |
			    rr->rdata[1]) != DNS_T_SOA) {
				memmove(&t->rrs[i], &t->rrs[i + 1],
				    (t->n - i - 1) * sizeof(*rr));
				t->n--;
				break;
			}
			if (k == 1 && rr->type == DNS_T_NSEC3 &&
			    rr->rdlen > 6 + rr->rdata[4]) {
				p = (uint8_t *)rr->rdata;
				p[6 + p[4]] ^= 0x40;
				break;
			}
			if (k == 1 && rr->type == DNS_T_NSEC &&
			    rr->rdlen > 2 && rr->rdata[0] > 0) {
				p = (uint8_t *)rr->rdata;
				p[1] = p[1] == 'q' ? 'r' : 'q';
				break;
			}
			if (k == 2 && rr->type == DNS_T_RRSIG &&
			    rr->rdlen >= 18) {
				p = (uint8_t *)rr->rdata;
				p[8] = 0x70 + rnd(8);
				break;
			}
		}
	}
}

static void
signed_truth(int cur, enum ts_mode mode)
{
	truth(&stz[cur]);
	ts_sign(&stz[cur], mode, 1, "ab", mode == TS_NSEC3, 2000000000U);
	signed_damage(&stz[cur]);
}

static void
run_signed(int rounds, enum ts_mode mode)
{
	static struct zrr	 rrs[MAXCH][64];
	static uint8_t		 names[MAXCH][DNS_MAXNAME];
	static struct bowner	 bo[MAXCH];
	struct builder		*b = NULL;
	struct zrr		*copy = NULL;
	struct zone_src		 src;
	char			 err[256];
	int			 fd = -1, round, k, nch, rv, idx;
	int			 incremental = 0, full = 0;

	with_do = 1;
	memset(nlines, 0, sizeof(nlines));
	memset(proxied, 0, sizeof(proxied));
	apex_lines();
	for (k = 1; k < POOL; k++)
		shape(k, 0);
	signed_truth(1, mode);
	for (round = 0; round < rounds; round++) {
		if (b == NULL) {
			src = tz_src(&stz[1]);
			fd = tz_tmpfd();
			ATF_REQUIRE_MSG(builder_build(&src, full % 2 ?
			    fed(&src, &copy) : NULL, fd, &b, err,
			    sizeof(err)) == 0, "full build: %s", err);
			if (copy != NULL)
				same_answers(fd, &src);
			free(copy);
			copy = NULL;
			ATF_REQUIRE_MSG(b != NULL, "not kept: %s", err);
			full++;
		}
		/* the change: one or two owners, a new serial */
		tz_free(&stz[0]);
		stz[0] = stz[1];
		memset(&stz[1], 0, sizeof(stz[1]));
		serial++;
		apex_lines();
		for (k = 0; k < 1 + (int)rnd(2); k++)
			if ((idx = rnd(POOL)) != 0)
				shape(idx, 1);
		signed_truth(1, mode);
		if ((nch = signed_change(bo, rrs, names)) == -1 ||
		    (rv = step(b, bo, nch, &fd, err, sizeof(err))) != 0) {
			ATF_REQUIRE_MSG(nch == -1 || rv == 1, "update: %s",
			    err);
			builder_free(b);
			b = NULL;
			close(fd);
			continue;
		}
		incremental++;
		src = tz_src(&stz[1]);
		same_answers(fd, &src);
	}
	if (b != NULL)
		close(fd);
	builder_free(b);
	tz_free(&stz[0]);
	tz_free(&stz[1]);
	with_do = 0;
	printf("%d updates, %d full builds\n", incremental, full);
	ATF_CHECK(incremental > rounds / 2);
}

/* The apex CNAME runs: the overrides, the proxy set, its addresses. */
static struct overrides	 ov;
static struct proxy_conf pcf;

/*
 * The truth with the overrides ov and its apex CNAME merged by
 * merge_zone (keep: the hidden records kept, for a kept builder).
 */
static void
merged_truth(struct tzone *t, struct merged *m, int keep)
{
	struct zone_src	 src;
	char		 err[256];
	int		 i;

	tz_free(t);
	tz_init(t, "example.com");
	t->serial = serial;
	for (i = 0; i < POOL; i++)
		add_raw(t, i);
	src = tz_src(t);
	ATF_REQUIRE_MSG(merge_zone(&src, &ov, &pcf, keep, m, err,
	    sizeof(err)) == 0, "merge_zone: %s", err);
}

/* Owner i's records again with other TTLs, the same data. */
static void
retime(int i)
{
	char	 rest[240];
	int	 k;

	for (k = 0; k < nlines[i]; k++) {
		strlcpy(rest, strchr(lines[i][k], ' '), sizeof(rest));
		snprintf(lines[i][k], 256, "%u%s", 100 + rnd(50), rest);
	}
}

/*
 * secctl apex's walk through the zone kept by b (the transferred records,
 * hidden ones too) ends where it does through the transferred zone t,
 * from every name of the pool.
 */
static void
check_walks(struct builder *b, struct tzone *t)
{
	struct zone_src	 src = tz_src(t);
	struct walk	 want, got;
	uint8_t		 name[DNS_MAXNAME];
	size_t		 len;
	int		 i;

	for (i = 0; i < POOL; i++) {
		ATF_REQUIRE(dns_name_from_text(pool[i], name, &len) == 0);
		merge_walk(&src, name, len, &want);
		ATF_REQUIRE(merge_walk_kept(b, name, len, &got) == 0);
		ATF_REQUIRE_MSG(got.kind == want.kind &&
		    dns_name_equal(got.end, got.endlen, want.end,
		    want.endlen), "the walk from %s through the kept zone "
		    "ends otherwise (%d) than through the transferred (%d)",
		    pool[i], got.kind, want.kind);
	}
}

/* The pool name the apex CNAME points at, or -1. */
static int
target_idx(void)
{
	uint8_t	 name[DNS_MAXNAME];
	size_t	 len;
	int	 i;

	for (i = 1; ov.apex.set && i < POOL; i++) {
		ATF_REQUIRE(dns_name_from_text(pool[i], name, &len) == 0);
		if (dns_name_equal(name, len, ov.apex.target,
		    ov.apex.targetlen))
			return i;
	}
	return -1;
}

/*
 * A new apex CNAME (or none): to a name of the pool (the apex itself, a
 * chain, a name leaving the zone), proxied or flattened; the resolver's
 * answer for out.example.net, where chains leave the zone, changed too.
 */
static void
new_apex(void)
{
	struct apex_cname	*a = &ov.apex;
	char			 text[DNS_MAXNAMESTR], *p;
	size_t			 len;

	if (rnd(6) == 0) {
		memset(a, 0, sizeof(*a));
		return;
	}
	a->set = 1;
	a->proxied = rnd(4) == 0;
	strlcpy(text, rnd(8) ? pick() : "out.example.net", sizeof(text));
	for (p = text; rnd(2) && *p != '\0'; p++)
		*p = toupper((unsigned char)*p);	/* any case */
	ATF_REQUIRE(dns_name_from_text(text, a->target, &len) == 0);
	a->targetlen = len;
	if (rnd(3) == 0) {
		a->rnamelen = 0;
		return;
	}
	ATF_REQUIRE(dns_name_from_text("out.example.net", a->rname,
	    &a->rnamelen) == 0);
	memset(&a->raddrs, 0, sizeof(a->raddrs));
	a->raddrs.ttl = 40 + rnd(20);
	a->raddrs.n4 = rnd(3);
	a->raddrs.n6 = rnd(2);
	a->raddrs.v4[0].s_addr = htonl(0xc0000200 + rnd(200));
	a->raddrs.v4[1].s_addr = htonl(0xc0000200 + rnd(200));
	a->raddrs.v6[0].s6_addr[0] = 0x20;
	a->raddrs.v6[0].s6_addr[15] = rnd(200);
}

/*
 * As run(), zoned's way with an apex CNAME: the changes (records of one
 * to three owners, proxy toggles, the apex's too, the apex CNAME or its
 * resolver answer changed) merged by merge_owner and merge_kept, and every image answers as
 * a full build of merge_zone's records; a change merge_kept finds changes
 * nothing served leaves the image as it is, and that too answers as a
 * full build.
 */
static void
run_apex(int rounds, int allow_ns)
{
	static uint8_t	 names[3][DNS_MAXNAME];
	static struct zrr out[3][MAXL + 2 * SECD_PROXY_MAX];
	struct builder	*b = NULL;
	struct zrr	*copy = NULL;
	struct zone_src	 src;
	struct merged	 m;
	struct kept_change al;
	struct bowner	 bo[3];
	struct override	*v;
	char		 err[256];
	int		 fd = -1, round, i, k, nb, nch, idx[3], rv;
	int		 incremental = 0, full = 0, same = 0;
	size_t		 j, len;

	memset(nlines, 0, sizeof(nlines));
	memset(&ov, 0, sizeof(ov));
	memset(&pcf, 0, sizeof(pcf));
	pcf.ttl = 30;
	pcf.n4 = pcf.n6 = 1;
	pcf.v4[0].s_addr = htonl(0xc6336401);		/* 198.51.100.1 */
	pcf.v6[0].s6_addr[0] = 0x20;
	pcf.v6[0].s6_addr[15] = 0x99;
	apex_lines();
	for (k = 1; k < POOL; k++)
		shape(k, 0);
	ATF_REQUIRE(dns_name_from_text("cn1.example.com", ov.apex.target,
	    &ov.apex.targetlen) == 0);
	ov.apex.set = 1;
	for (round = 0; round < rounds; round++) {
		if (b == NULL) {
			/* fed the transferred records, built the merged */
			merged_truth(&tz, &m, 1);
			src = tz_src(&tz);
			fd = tz_tmpfd();
			ATF_REQUIRE_MSG(builder_build(&m.src, full % 2 ?
			    fed(&src, &copy) : NULL, fd, &b, err,
			    sizeof(err)) == 0, "full build: %s", err);
			if (copy != NULL)
				same_answers(fd, &m.src);
			free(copy);
			copy = NULL;
			merge_free(&m);
			full++;
		}
		nch = rnd(5) == 0 ? 0 : 1 + rnd(3);
		if (nch == 0)
			new_apex();
		for (k = 0; k < nch; k++) {
			if (k == 0 && rnd(4) == 0 &&
			    (idx[0] = target_idx()) != -1) {
				/* the apex CNAME's target, other TTLs */
				retime(idx[0]);
				continue;
			}
			idx[k] = rnd(POOL);
			ATF_REQUIRE(dns_name_from_text(pool[idx[k]], names[k],
			    &len) == 0);
			if (rnd(3) == 0) {
				v = over_find(&ov, names[k], len);
				ATF_REQUIRE(over_set(&ov, names[k], len,
				    v == NULL || !v->proxied, "test") == 0);
			} else if (idx[k] == 0) {
				serial++;
				apex_lines();
			} else if (rnd(4) == 0)
				retime(idx[k]);
			else
				shape(idx[k], allow_ns);
		}
		/* each changed owner's records, once, as zoned hands them */
		tz_free(&one);
		tz_init(&one, "example.com");
		for (k = nb = 0; k < nch; k++) {
			for (i = 0; i < k && idx[i] != idx[k]; i++)
				;
			if (i < k)
				continue;
			j = one.n;
			add_raw(&one, idx[k]);
			ATF_REQUIRE(dns_name_from_text(pool[idx[k]], names[nb],
			    &bo[nb].ownerlen) == 0);
			v = over_find(&ov, names[nb], bo[nb].ownerlen);
			bo[nb].owner = names[nb];
			bo[nb].rrs = out[nb];
			bo[nb].nrr = merge_owner(&one.rrs[j], one.n - j,
			    v != NULL && v->proxied, &pcf, out[nb]);
			nb++;
		}
		ATF_REQUIRE(merge_kept(b, &ov, &pcf, bo, nb, &al) == 0);
		rv = step(b, al.ch, al.n, &fd, err, sizeof(err));
		k = al.n > 0;
		merge_kept_free(&al);
		if (rv != 0) {
			ATF_REQUIRE_MSG(rv == 1, "update: %s", err);
			builder_free(b);
			b = NULL;
			close(fd);
			continue;
		}
		if (k)
			incremental++;
		else
			same++;
		merged_truth(&tz, &m, 0);
		check_walks(b, &tz);
		same_answers(fd, &m.src);
		merge_free(&m);
	}
	if (b != NULL)
		close(fd);
	builder_free(b);
	over_free(&ov);
	tz_free(&tz);
	tz_free(&one);
	printf("%d updates, %d unchanged, %d full builds\n", incremental,
	    same, full);
	ATF_CHECK(incremental > rounds / 2);
	ATF_CHECK(same > 0);
}

ATF_TC_WITHOUT_HEAD(updates_answer_as_full_builds);
ATF_TC_BODY(updates_answer_as_full_builds, tc)
{
	run(300, 0, 0);
}

ATF_TC_WITHOUT_HEAD(updates_with_cuts_answer_as_full_builds);
ATF_TC_BODY(updates_with_cuts_answer_as_full_builds, tc)
{
	run(300, 1, 0);
}

ATF_TC_WITHOUT_HEAD(proxied_updates_answer_as_full_builds);
ATF_TC_BODY(proxied_updates_answer_as_full_builds, tc)
{
	run(200, 0, 1);
}

ATF_TC_WITHOUT_HEAD(apex_cname_updates_answer_as_full_builds);
ATF_TC_BODY(apex_cname_updates_answer_as_full_builds, tc)
{
	run_apex(300, 0);
}

ATF_TC_WITHOUT_HEAD(apex_cname_updates_with_cuts_answer_as_full_builds);
ATF_TC_BODY(apex_cname_updates_with_cuts_answer_as_full_builds, tc)
{
	run_apex(300, 1);
}

ATF_TC_WITHOUT_HEAD(signed_nsec_updates_answer_as_full_builds);
ATF_TC_BODY(signed_nsec_updates_answer_as_full_builds, tc)
{
	run_signed(100, TS_NSEC);
}

ATF_TC_WITHOUT_HEAD(signed_nsec3_updates_answer_as_full_builds);
ATF_TC_BODY(signed_nsec3_updates_answer_as_full_builds, tc)
{
	run_signed(100, TS_NSEC3);
}

/*
 * What zoned keeps of a small zone (issue of many zones: a 10-record
 * zone kept about 150 KB, the first sizes of a large zone's arrays):
 * the kept builder's heap, measured by the C library, within a budget
 * that a small zone's records and names need, so that it cannot grow
 * back unnoticed.
 */
#define SMALL_KEPT_BUDGET	(12 * 1024)

/*
 * A small zone is not kept (ZONE_KEEP_MIN): what zoned then holds for it
 * is its entry in the zone table, a few dozen bytes and its name
 * (secd(8), MANY ZONES).
 */
#define ZONED_ZONES		1000
#define ZONED_ZONE_BUDGET	160

ATF_TC_WITHOUT_HEAD(zoned_zone_costs_little);
ATF_TC_BODY(zoned_zone_costs_little, tc)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	struct mallinfo2	 before, after;
	char			 name[32];
	size_t			 used, names = 0;
	int			 i;

	zones_clear();
	before = mallinfo2();
	for (i = 0; i < ZONED_ZONES; i++) {
		snprintf(name, sizeof(name), "z%d.test", i);
		names += strlen(name) + 1;
		ATF_REQUIRE(zone_add(name) != NULL);
	}
	after = mallinfo2();
	used = after.uordblks + after.hblkhd - before.uordblks -
	    before.hblkhd;
	ATF_CHECK_MSG(used <= names + (size_t)ZONED_ZONES * ZONED_ZONE_BUDGET,
	    "%d zones: %zu bytes, %zu a zone besides its name, more than %d",
	    ZONED_ZONES, used, (used - names) / ZONED_ZONES,
	    ZONED_ZONE_BUDGET);
	zones_clear();
#else
	atf_tc_skip("the heap is measured with glibc's mallinfo2, no ASan");
#endif
}

/* The n records from rrs, all of one owner, as a changed owner. */
static struct bowner
owner_of(const struct zrr *rrs, size_t n)
{
	struct bowner	 bo;

	memset(&bo, 0, sizeof(bo));
	bo.owner = rrs[0].owner;
	bo.ownerlen = rrs[0].ownerlen;
	bo.rrs = rrs;
	bo.nrr = n;
	return (bo);
}

/* A zone of example.com at serial v: its SOA, NS and the NS's address. */
static void
zone_head(struct tzone *t, uint32_t v)
{
	char	 soa[128];

	tz_init(t, "example.com");
	t->serial = v;
	snprintf(soa, sizeof(soa), "@ 300 SOA ns1 hostmaster %u 3600 600 "
	    "86400 300", v);
	tz_add(t, soa);
	tz_add(t, "@ 300 NS ns1");
	tz_add(t, "ns1 300 A 192.0.2.1");
}

/* names_outgrown's zone at serial: 60 short names and added[0..n). */
static void
outgrown_zone(struct tzone *t, char (*added)[512], int n)
{
	char	 line[512];
	int	 k;

	tz_free(t);
	zone_head(t, serial);
	tz_add(t, "www 300 A 192.0.2.10");
	/* room in the image's hash for the names to come */
	for (k = 0; k < 60; k++) {
		snprintf(line, sizeof(line), "h%d 300 A 192.0.2.%d", k, k + 20);
		tz_add(t, line);
	}
	for (k = 0; k < n; k++)
		tz_add(t, added[k]);
}

/*
 * The owners of the records builder_owner gives out point at a kept
 * zone's names; names added later outgrow their buffer, which is then
 * copied, the old one kept: the owners held before still read right
 * (ASan, in make check-sanitize, watches them) and every image answers
 * as a full build.  Long names outgrow the buffer at the first change.
 */
ATF_TC_WITHOUT_HEAD(names_outgrown_keep_owners);
ATF_TC_BODY(names_outgrown_keep_owners, tc)
{
	static char	 added[3][512];
	struct tzone	 truth, ch;
	struct zone_src	 src;
	struct builder	*b = NULL;
	struct bowner	 bo[2];
	struct zrr	*rrs;
	uint8_t		 owner[DNS_MAXNAME];
	char		 err[256], label[64];
	size_t		 n, olen;
	int		 fd, k, rv;

	memset(&truth, 0, sizeof(truth));
	outgrown_zone(&truth, added, 0);
	src = tz_src(&truth);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	ATF_REQUIRE(dns_name_from_text("www.example.com", owner, &olen) == 0);
	memset(label, 'a', 60);
	label[60] = '\0';
	for (k = 0; k < 3; k++) {
		/* a name of three 60-byte labels below the apex */
		label[0] = 'a' + k;
		snprintf(added[k], sizeof(added[k]), "%s.%s.%s 300 A "
		    "198.51.100.%d", label, label, label, k + 1);
		serial++;
		outgrown_zone(&truth, added, k + 1);
		/* the change: the new name and the apex's new SOA */
		tz_init(&ch, "example.com");
		tz_add(&ch, added[k]);
		bo[0] = owner_of(&ch.rrs[0], 1);
		bo[1] = owner_of(&truth.rrs[0], 2);
		rv = step(b, bo, 2, &fd, err, sizeof(err));
		tz_free(&ch);
		ATF_REQUIRE_MSG(rv == 0, "update %d: %d %s", k, rv, err);
		src = tz_src(&truth);
		same_answers(fd, &src);
		/* an owner held since the build, through its name */
		ATF_REQUIRE(builder_owner(b, owner, olen, &rrs, &n) == 0);
		ATF_REQUIRE_MSG(n == 1 && rrs[0].ownerlen == olen &&
		    memcmp(rrs[0].owner, owner, olen) == 0,
		    "www after update %d", k);
		free(rrs);
	}
	builder_free(b);
	close(fd);
	tz_free(&truth);
}

/*
 * The one record builder_owner gives at name: its owner spelled as
 * spelled (byte for byte, case and all), its rdata the address a.
 */
static void
owner_is(struct builder *b, const char *name, const char *spelled,
    const char *a)
{
	struct zrr	*rrs = NULL;
	uint8_t		 owner[DNS_MAXNAME], want[DNS_MAXNAME], rd[4];
	size_t		 olen, wlen, n;

	ATF_REQUIRE(dns_name_from_text(name, owner, &olen) == 0);
	ATF_REQUIRE(dns_name_from_text(spelled, want, &wlen) == 0);
	ATF_REQUIRE(inet_pton(AF_INET, a, rd) == 1);
	ATF_REQUIRE(builder_owner(b, owner, olen, &rrs, &n) == 0);
	ATF_REQUIRE_MSG(n == 1, "%s: %zu records", name, n);
	ATF_CHECK_MSG(rrs[0].ownerlen == wlen &&
	    memcmp(rrs[0].owner, want, wlen) == 0, "%s: not spelled %s",
	    name, spelled);
	ATF_CHECK_MSG(rrs[0].rdlen == 4 && memcmp(rrs[0].rdata, rd, 4) == 0,
	    "%s: not %s", name, a);
	free(rrs);
}

/*
 * A record the builder holds names its owner by its node, the name in
 * lower case, and holds the owner itself only when the zone spells it
 * otherwise (zoned/build.h, struct brr): a kept zone gives back the
 * zone's spelling, after its build and after a change that spells the
 * owner anew, and answers as a full build.
 */
ATF_TC_WITHOUT_HEAD(owners_keep_their_spelling);
ATF_TC_BODY(owners_keep_their_spelling, tc)
{
	struct tzone	 t, ch;
	struct zone_src	 src;
	struct builder	*b = NULL;
	struct bowner	 bo[3];
	char		 err[256];
	int		 fd;

	zone_head(&t, serial);
	tz_add(&t, "WwW 300 A 192.0.2.10");
	tz_add(&t, "mail 300 A 192.0.2.20");
	src = tz_src(&t);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	owner_is(b, "www.example.com", "WwW.example.com", "192.0.2.10");
	owner_is(b, "MAIL.example.com", "mail.example.com", "192.0.2.20");
	/* www spelled anew, mail spelled in capitals */
	serial++;
	tz_free(&t);
	zone_head(&t, serial);
	tz_add(&t, "WWW 300 A 192.0.2.11");
	tz_add(&t, "MAIL 300 A 192.0.2.21");
	tz_init(&ch, "example.com");
	tz_add(&ch, "WWW 300 A 192.0.2.11");
	tz_add(&ch, "MAIL 300 A 192.0.2.21");
	bo[0] = owner_of(&ch.rrs[0], 1);
	bo[1] = owner_of(&ch.rrs[1], 1);
	bo[2] = owner_of(&t.rrs[0], 2);
	ATF_REQUIRE_MSG(step(b, bo, 3, &fd, err, sizeof(err)) == 0, "%s",
	    err);
	tz_free(&ch);
	owner_is(b, "www.example.com", "WWW.example.com", "192.0.2.11");
	owner_is(b, "mail.example.com", "MAIL.example.com", "192.0.2.21");
	src = tz_src(&t);
	same_answers(fd, &src);
	builder_free(b);
	close(fd);
	tz_free(&t);
}

/* The records of t at name (relative to its origin), as a changed owner. */
static struct bowner
owner_in(struct tzone *t, const char *name, uint8_t *buf)
{
	struct bowner	 bo;
	size_t		 i;

	memset(&bo, 0, sizeof(bo));
	bo.owner = buf;
	bo.ownerlen = tz_name(t, name, buf);
	for (i = 0; i < t->n; i++)
		if (dns_name_equal(t->rrs[i].owner, t->rrs[i].ownerlen, buf,
		    bo.ownerlen)) {
			if (bo.nrr++ == 0)
				bo.rrs = &t->rrs[i];
		}
	return (bo);
}

/*
 * A record's bytes are in chunks of less than a megabyte (zoned/node.c,
 * node_bytes), and a record refers to the end of its bytes (an empty
 * rdata after its owner): a record that ends its chunk stays in it.
 * Here the names before "Zz" take 16 bytes less than a megabyte, and
 * Zz's record is its capitalized owner (16 bytes) and no rdata: given
 * back as it is (a reference past the chunk read another's bytes).
 */
#define CHUNK_NAMES	17

ATF_TC_WITHOUT_HEAD(record_at_a_chunk_end);
ATF_TC_BODY(record_at_a_chunk_end, tc)
{
	struct tzone	 t;
	struct zone_src	 src;
	struct builder	*b = NULL;
	struct zrr	*rrs, *got = NULL;
	uint8_t		 names[CHUNK_NAMES + 2][DNS_MAXNAME], *rd;
	uint8_t		 zz[DNS_MAXNAME];
	char		 err[256], text[32];
	size_t		 i, n, len[CHUNK_NAMES + 2], fixed = 0, ngot;
	int		 fd;

	zone_head(&t, serial);
	for (i = 0; i < t.n; i++)
		fixed += t.rrs[i].rdlen;
	ATF_REQUIRE((rrs = calloc(t.n + CHUNK_NAMES + 2, sizeof(*rrs))) !=
	    NULL);
	ATF_REQUIRE((rd = calloc(1, 1 << 20)) != NULL);
	memcpy(rrs, t.rrs, t.n * sizeof(*rrs));
	n = t.n;
	for (i = 0; i < CHUNK_NAMES + 2; i++) {
		if (i < CHUNK_NAMES)
			snprintf(text, sizeof(text), "b%zu.example.com", i);
		else
			snprintf(text, sizeof(text), "%s.example.com", i ==
			    CHUNK_NAMES ? "Zz" : "zzz");
		ATF_REQUIRE(dns_name_from_text(text, names[i], &len[i]) == 0);
		rrs[n].owner = names[i];
		rrs[n].ownerlen = len[i];
		rrs[n].type = 65280;
		rrs[n].class = DNS_C_IN;
		rrs[n].ttl = 60;
		rrs[n].rdata = rd;
		/* 16 of 62,000 bytes, then what makes 16 bytes short of 1 MB */
		rrs[n].rdlen = i < CHUNK_NAMES - 1 ? 62000 : i == CHUNK_NAMES -
		    1 ? (1 << 20) - 16 - fixed - 62000 * (CHUNK_NAMES - 1) :
		    i == CHUNK_NAMES ? 0 : 100;
		n++;
	}
	ATF_REQUIRE(len[CHUNK_NAMES] == 16);
	src = tz_src(&t);
	src.rrs = rrs;
	src.nrr = n;
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	ATF_REQUIRE(dns_name_from_text("zz.example.com", zz, &i) == 0);
	ATF_REQUIRE(builder_owner(b, zz, i, &got, &ngot) == 0);
	ATF_REQUIRE_MSG(ngot == 1, "%zu records at zz", ngot);
	ATF_CHECK_MSG(got[0].ownerlen == 16 && memcmp(got[0].owner,
	    names[CHUNK_NAMES], 16) == 0, "Zz not spelled as it came");
	ATF_CHECK(got[0].rdlen == 0 && got[0].type == 65280);
	free(got);
	builder_free(b);
	close(fd);
	free(rd);
	free(rrs);
	tz_free(&t);
}

/*
 * big_names's zone at serial: BIG_NAMES names whose bytes are more than
 * a kept zone holds itself (zoned/node.c, node_base: it reads them from
 * its image), but name `gone', and `added' new ones.
 */
#define BIG_NAMES	4000

static void
big_zone(struct tzone *t, int gone, int added)
{
	char	 line[128];
	int	 k;

	tz_free(t);
	zone_head(t, serial);
	for (k = 0; k < BIG_NAMES; k++)
		if (k != gone) {
			snprintf(line, sizeof(line), "name-%05d-of-a-big-zone "
			    "300 A 192.0.2.%d", k, k % 250 + 1);
			tz_add(t, line);
		}
	for (k = 0; k < added; k++) {
		snprintf(line, sizeof(line), "new-%d 300 A 198.51.100.%d", k,
		    k + 1);
		tz_add(t, line);
	}
}

/*
 * One change of a big zone to its truth t (the names given, and the
 * apex's new SOA), answering as its full build after.
 */
static void
big_step(struct builder *b, struct tzone *t, const char *const *names,
    int *fd)
{
	struct bowner	 bo[4];
	struct zone_src	 src;
	uint8_t		 buf[3][DNS_MAXNAME];
	char		 err[256];
	size_t		 n;

	for (n = 0; names[n] != NULL; n++)
		bo[n] = owner_in(t, names[n], buf[n]);
	bo[n] = owner_of(&t->rrs[0], 2);
	ATF_REQUIRE_MSG(step(b, bo, n + 1, fd, err, sizeof(err)) == 0, "%s",
	    err);
	src = tz_src(t);
	same_answers(*fd, &src);
}

/*
 * A kept zone whose names are many reads them from the image of its
 * full build (node_base): a change that removes a name, brings it back
 * (found again among the names the image lacks) and adds new ones
 * answers as a full build, and the owners it gives are its names.
 */
ATF_TC_WITHOUT_HEAD(big_names_read_from_the_image);
ATF_TC_BODY(big_names_read_from_the_image, tc)
{
	static const char *const gone[] = { "name-00017-of-a-big-zone", NULL };
	static const char *const added[] = { "new-0", "new-1", NULL };
	struct tzone	 t;
	struct zone_src	 src;
	struct builder	*b = NULL;
	char		 err[256];
	int		 fd;

	memset(&t, 0, sizeof(t));
	big_zone(&t, -1, 0);
	src = tz_src(&t);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	owner_is(b, "name-03999-of-a-big-zone.example.com",
	    "name-03999-of-a-big-zone.example.com", "192.0.2.250");
	serial++;
	big_zone(&t, 17, 0);
	big_step(b, &t, gone, &fd);
	serial++;
	big_zone(&t, -1, 0);
	big_step(b, &t, gone, &fd);
	owner_is(b, "name-00017-of-a-big-zone.example.com",
	    "name-00017-of-a-big-zone.example.com", "192.0.2.18");
	serial++;
	big_zone(&t, -1, 2);
	big_step(b, &t, added, &fd);
	owner_is(b, "new-1.example.com", "new-1.example.com",
	    "198.51.100.2");
	owner_is(b, "name-02500-of-a-big-zone.example.com",
	    "name-02500-of-a-big-zone.example.com", "192.0.2.1");
	builder_free(b);
	close(fd);
	tz_free(&t);
}

/* The zone of version v of cut_gone_with_its_glue into t. */
static void
glue_zone(struct tzone *t, int v)
{
	zone_head(t, v);
	if (v == 1)
		tz_add(t, "a 3600 NS ns.a");
	tz_add(t, "a 3600 TXT \"kept\"");
	if (v == 1)
		tz_add(t, "ns.a 3600 A 192.0.2.1");
	tz_add(t, "b 3600 NS ns.b");
	tz_add(t, v < 3 ? "ns.b 3600 A 192.0.2.2" : "ns.b 3600 A 192.0.2.3");
}

/*
 * A cut goes with its glue while its owner keeps other data, so that the
 * glue dies before the cut goes (no name lives below it: the kept zone
 * goes on).  The dead glue keeps the flags it had; a later change that
 * moves another cut's referral must pass it by (bld_cut walked up from
 * it past the apex and zoned crashed).
 */
ATF_TC_WITHOUT_HEAD(cut_gone_with_its_glue);
ATF_TC_BODY(cut_gone_with_its_glue, tc)
{
	static const char *const changed[3][3] = {
		{ NULL }, { "@", "a", "ns.a" }, { "@", "ns.b", NULL }
	};
	struct tzone	 t;
	struct zone_src	 src;
	struct builder	*b = NULL;
	struct bowner	 bo[3];
	uint8_t		 names[3][DNS_MAXNAME];
	char		 err[256];
	int		 fd, v, k, n, rv;

	glue_zone(&t, 1);
	src = tz_src(&t);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	tz_free(&t);
	for (v = 2; v <= 3; v++) {
		glue_zone(&t, v);
		for (n = 0, k = 0; k < 3 && changed[v - 1][k] != NULL; k++)
			bo[n++] = owner_in(&t, changed[v - 1][k], names[k]);
		serial = v;
		rv = step(b, bo, n, &fd, err, sizeof(err));
		ATF_REQUIRE_MSG(rv == 0, "version %d: %d %s", v, rv, err);
		src = tz_src(&t);
		same_answers(fd, &src);
		tz_free(&t);
	}
	builder_free(b);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(small_zone_is_kept_small);
ATF_TC_BODY(small_zone_is_kept_small, tc)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	static const char *const smalllines[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300",
		"@ 300 NS ns1", "@ 300 NS ns2",
		"@ 300 MX 10 mail",
		"ns1 300 A 192.0.2.1", "ns2 300 A 192.0.2.2",
		"www 300 A 192.0.2.10", "www 300 AAAA 2001:db8::10",
		"mail 300 A 192.0.2.20", "ftp 300 CNAME www", NULL
	};
	struct mallinfo2	 before, after;
	struct tzone		 small;
	struct zone_src		 src;
	struct builder		*b = NULL;
	char			 err[256];
	size_t			 kept;
	int			 fd;

	tz_init(&small, "small.example.");
	tz_lines(&small, smalllines);
	src = tz_src(&small);
	fd = tz_tmpfd();
	before = mallinfo2();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	after = mallinfo2();
	kept = after.uordblks + after.hblkhd - before.uordblks -
	    before.hblkhd;
	ATF_CHECK_MSG(kept <= SMALL_KEPT_BUDGET, "a 10-record zone kept in "
	    "%zu bytes, more than %d", kept, SMALL_KEPT_BUDGET);
	builder_free(b);
	close(fd);
	tz_free(&small);
#else
	atf_tc_skip("the heap is measured with glibc's mallinfo2, no ASan");
#endif
}

/* A zone's bytes as stored (ix_put's count, zoned/store.h). */
static int64_t
stored_bytes(const struct tzone *t)
{
	int64_t	 n = 0;
	size_t	 i;

	for (i = 0; i < t->n; i++)
		n += STOREREC_FIXED + t->rrs[i].ownerlen + t->rrs[i].rdlen;
	return (n);
}

/* The IXFR lines (its serial in its header) offered to the kept zone b. */
static int
offer(struct builder *b, const char *const *ixfr, uint32_t to,
    struct ixfr_info *info, char *err, size_t errlen)
{
	struct tzone		 d;
	struct stored_zone	 sz;
	struct overrides	 o;
	struct proxy_conf	 pc;
	struct bowner		*bo = NULL;
	size_t			 n = 0;
	int			 rv;

	tz_init(&d, "small.example.");
	tz_lines(&d, ixfr);
	memset(&sz, 0, sizeof(sz));
	memset(&o, 0, sizeof(o));
	memset(&pc, 0, sizeof(pc));
	sz.src = tz_src(&d);
	memcpy(sz.apex, d.apex, d.apexlen);
	sz.apexlen = d.apexlen;
	sz.hdr.serial = to;
	rv = ixfr_owners(b, &sz, &o, &pc, &bo, &n, info, err, errlen);
	bowners_free(bo, n);
	tz_free(&d);
	return (rv);
}

/*
 * An IXFR applied to a kept zone is checked against it as the pass over
 * the stored zone checks it (ixfr.c, ix_fold), and moves the stored
 * zone's counts by what it changes: the records and bytes of the zone it
 * makes, less those of the zone before.
 */
ATF_TC_WITHOUT_HEAD(ixfr_on_kept_zone_checked_and_counted);
ATF_TC_BODY(ixfr_on_kept_zone_checked_and_counted, tc)
{
	static const char *const before[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300",
		"@ 300 NS ns1", "@ 300 NS ns2",
		"ns1 300 A 192.0.2.1", "ns2 300 A 192.0.2.2",
		"www 300 A 192.0.2.10", "www 300 AAAA 2001:db8::10",
		"mail 300 A 192.0.2.20", "ftp 300 CNAME www", NULL
	};
	/* the zone the good IXFR makes: www moved, mail gone, new added */
	static const char *const after[] = {
		"@ 300 SOA ns1 hostmaster 3 3600 600 86400 300",
		"@ 300 NS ns1", "@ 300 NS ns2",
		"ns1 300 A 192.0.2.1", "ns2 300 A 192.0.2.2",
		"www 600 A 192.0.2.11", "www 300 AAAA 2001:db8::10",
		"ftp 300 CNAME www",
		"new.long.name.below 300 TXT \"added by the second delta\"",
		NULL
	};
	static const char *const good[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300",
		"www 300 A 192.0.2.10", "mail 300 A 192.0.2.20",
		"@ 300 SOA ns1 hostmaster 2 3600 600 86400 300",
		"www 300 A 192.0.2.11",
		"@ 300 SOA ns1 hostmaster 2 3600 600 86400 300",
		"www 300 A 192.0.2.11",
		"@ 300 SOA ns1 hostmaster 3 3600 600 86400 300",
		"www 600 A 192.0.2.11",
		"new.long.name.below 300 TXT \"added by the second delta\"",
		NULL
	};
	static const char *const absent[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300",
		"nowhere 300 A 192.0.2.99",
		"@ 300 SOA ns1 hostmaster 2 3600 600 86400 300", NULL
	};
	static const char *const otherserial[] = {
		"@ 300 SOA ns1 hostmaster 7 3600 600 86400 300",
		"@ 300 SOA ns1 hostmaster 8 3600 600 86400 300", NULL
	};
	static const char *const same[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300",
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300", NULL
	};
	static const char *const nosoa[] = {
		"www 300 A 192.0.2.10",
		"@ 300 SOA ns1 hostmaster 2 3600 600 86400 300", NULL
	};
	static const char *const noadd[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300", NULL
	};
	/* each refused, err saying why */
	static const struct {
		const char *const	*lines;
		uint32_t		 to;
		const char		*why;
	} bad[] = {
		{ absent, 2, "nowhere.small.example. A, which is not in the "
		    "zone" },
		{ otherserial, 8, "not in the zone" },
		{ same, 1, "the serial stays 1" },
		{ nosoa, 2, "do not begin with an SOA" },
		{ noadd, 2, "adds nothing" },
		/* the header's serial is not the one the deltas end at */
		{ good, 4, "is not serial 4" },
	};
	struct tzone		 z, w;
	struct zone_src		 src;
	struct builder		*b = NULL;
	struct ixfr_info	 info;
	char			 err[256];
	size_t			 i;
	int			 fd;

	tz_init(&z, "small.example.");
	tz_lines(&z, before);
	tz_init(&w, "small.example.");
	tz_lines(&w, after);
	src = tz_src(&z);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	close(fd);

	ATF_REQUIRE_MSG(offer(b, good, 3, &info, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(info.from, 1);
	ATF_CHECK_EQ(info.to, 3);
	ATF_CHECK_EQ(info.ndelta, 2);
	ATF_CHECK_EQ_MSG(info.records, (int64_t)w.n - (int64_t)z.n,
	    "records moved by %lld, not %zd", (long long)info.records,
	    (ssize_t)w.n - (ssize_t)z.n);
	ATF_CHECK_EQ_MSG(info.bytes, stored_bytes(&w) - stored_bytes(&z),
	    "bytes moved by %lld, not %lld", (long long)info.bytes,
	    (long long)(stored_bytes(&w) - stored_bytes(&z)));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_MSG(offer(b, bad[i].lines, bad[i].to, &info, err,
		    sizeof(err)) == -1, "refusal %zu applies", i);
		ATF_CHECK_MSG(strstr(err, bad[i].why) != NULL,
		    "refusal %zu: '%s', not '%s'", i, err, bad[i].why);
	}

	builder_free(b);
	tz_free(&z);
	tz_free(&w);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ixfr_on_kept_zone_checked_and_counted);
	ATF_TP_ADD_TC(tp, updates_answer_as_full_builds);
	ATF_TP_ADD_TC(tp, small_zone_is_kept_small);
	ATF_TP_ADD_TC(tp, names_outgrown_keep_owners);
	ATF_TP_ADD_TC(tp, owners_keep_their_spelling);
	ATF_TP_ADD_TC(tp, big_names_read_from_the_image);
	ATF_TP_ADD_TC(tp, record_at_a_chunk_end);
	ATF_TP_ADD_TC(tp, cut_gone_with_its_glue);
	ATF_TP_ADD_TC(tp, zoned_zone_costs_little);
	ATF_TP_ADD_TC(tp, updates_with_cuts_answer_as_full_builds);
	ATF_TP_ADD_TC(tp, proxied_updates_answer_as_full_builds);
	ATF_TP_ADD_TC(tp, apex_cname_updates_answer_as_full_builds);
	ATF_TP_ADD_TC(tp, apex_cname_updates_with_cuts_answer_as_full_builds);
	ATF_TP_ADD_TC(tp, signed_nsec_updates_answer_as_full_builds);
	ATF_TP_ADD_TC(tp, signed_nsec3_updates_answer_as_full_builds);
	return (atf_no_error());
}
