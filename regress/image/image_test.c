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
 * zoned/builder.c and shared/image.c: what the builder refuses, that
 * every image it writes passes image_check() and gives well-formed
 * replies, that image_check() stands between a damaged image (signed
 * ones too) and the query path, and a zone of 100k names.
 */

#include <sys/mman.h>
#include <sys/stat.h>

#include "tsign.h"

static struct tzone	 tz;

static const char *const base_lines[] = {
	"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"ns1 3600 A 192.0.2.53",
	NULL
};

/* A small deterministic generator: the same runs on every host. */
static uint32_t	 seed;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245U + 12345U;
	return (seed >> 8);
}

/*
 * Whether t's build fails, its reason holding expect; a build fed t's
 * records one at a time (an AXFR's, builder_begin) fails alike: at the
 * bad record, or at the end when the zone as a whole is wrong.
 */
static int
build_fails(struct tzone *t, const char *expect)
{
	struct zone_src	 src = tz_src(t);
	struct builder	*b;
	char		 err[256] = "", ferr[256] = "";
	size_t		 n;
	int		 fd, fed = 0;

	if ((b = builder_begin(src.apex, src.apexlen, 0, ferr,
	    sizeof(ferr))) != NULL) {
		for (n = 1; n <= src.nrr; n++)
			if (builder_feed(b, src.rrs, n, ferr,
			    sizeof(ferr)) == -1)
				break;
		if (n <= src.nrr)
			builder_free(b);
		else {
			fd = tz_tmpfd();
			fed = builder_build(&src, b, fd, NULL, ferr,
			    sizeof(ferr)) == 0;
			close(fd);
		}
	}
	fd = tz_build(t, err, sizeof(err));
	if (fd != -1) {
		close(fd);
		ATF_CHECK_MSG(fed, "fed, the build fails: %s", ferr);
		return (0);
	}
	ATF_CHECK_MSG(strstr(err, expect) != NULL, "error \"%s\" lacks \"%s\"",
	    err, expect);
	ATF_CHECK_MSG(strcmp(err, ferr) == 0, "fed, the build says \"%s\", "
	    "not \"%s\"", ferr, err);
	return (1);
}

ATF_TC_WITHOUT_HEAD(builder_refuses_odd_input);
ATF_TC_BODY(builder_refuses_odd_input, tc)
{
	static const uint8_t	 badname[] = { 5, 'a', 'b', 0 };
	struct zone_src		 src;
	char			 err[256];

	tz_init(&tz, "example.com");
	ATF_CHECK(build_fails(&tz, "no SOA"));
	tz_add(&tz, "www 60 A 192.0.2.1");
	ATF_CHECK(build_fails(&tz, "no SOA"));
	tz_lines(&tz, base_lines);
	tz_add(&tz, "@ 60 SOA a b 2 3 4 5 6");
	ATF_CHECK(build_fails(&tz, "second SOA"));
	tz.n--;
	tz_add(&tz, "www.example.net. 60 A 192.0.2.1");
	ATF_CHECK(build_fails(&tz, "out of the zone"));
	tz.n--;
	tz_add(&tz, "mx 60 MX 10 mail");
	tz.rrs[tz.n - 1].rdlen -= 2;
	ATF_CHECK(build_fails(&tz, "malformed rdata"));
	tz.n--;
	tz_add(&tz, "sub 60 SOA a b 2 3 4 5 6");
	ATF_CHECK(build_fails(&tz, "SOA below the apex"));
	tz.n--;
	tz_add(&tz, "www 60 A 192.0.2.1");
	tz.rrs[tz.n - 1].class = DNS_C_CH;
	ATF_CHECK(build_fails(&tz, "class"));
	tz.rrs[tz.n - 1].class = DNS_C_IN;
	tz.rrs[tz.n - 1].type = DNS_T_ANY;
	ATF_CHECK(build_fails(&tz, "meta type"));
	tz.rrs[tz.n - 1].type = DNS_T_OPT;
	ATF_CHECK(build_fails(&tz, "meta type"));
	tz.rrs[tz.n - 1].type = DNS_T_A;
	tz.rrs[tz.n - 1].owner = badname;
	tz.rrs[tz.n - 1].ownerlen = sizeof(badname);
	ATF_CHECK(build_fails(&tz, "bad owner"));
	tz.rrs[tz.n - 1].owner = NULL;
	ATF_CHECK(build_fails(&tz, "bad owner"));
	tz.n--;
	tz_add(&tz, "www 60 A 192.0.2.1");
	tz.rrs[tz.n - 1].rdata = NULL;
	ATF_CHECK(build_fails(&tz, "no rdata"));
	tz.n--;
	src = tz_src(&tz);
	src.apex = badname;
	src.apexlen = sizeof(badname);
	ATF_CHECK(builder_build(&src, NULL, -1, NULL, err, sizeof(err)) == -1);
	src = tz_src(&tz);
	src.rrs = NULL;
	ATF_CHECK(builder_build(&src, NULL, -1, NULL, err, sizeof(err)) == -1);
	/* and the good zone builds */
	ATF_CHECK(!build_fails(&tz, ""));
	tz_free(&tz);
}

ATF_TC_WITHOUT_HEAD(builder_refuses_answer_over_64k);
ATF_TC_BODY(builder_refuses_answer_over_64k, tc)
{
	char	 line[512];
	int	 i, fd;
	char	 err[256];

	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	for (i = 0; i < 600; i++) {
		snprintf(line, sizeof(line), "big 60 TXT %04d%0196d", i, 0);
		tz_add(&tz, line);
	}
	ATF_CHECK(build_fails(&tz, "big.example.com. TXT: answer larger than "
	    "65535 bytes"));
	/* 300 fit, served over TCP; not over UDP */
	tz.n -= 300;
	ATF_REQUIRE((fd = tz_build(&tz, err, sizeof(err))) != -1);
	close(fd);
	tz_free(&tz);
}

/*
 * A name holds at most 65,535 records (NODE_MAXRR, zoned/build.h): 16
 * private types of 4,096 records each (every RRset's answer fits) are one
 * too many, refused as a full build and as one fed; one fewer builds.
 */
ATF_TC_WITHOUT_HEAD(builder_refuses_64k_records_at_a_name);
ATF_TC_BODY(builder_refuses_64k_records_at_a_name, tc)
{
	static const uint8_t	 many[] = { 4, 'm', 'a', 'n', 'y', 7, 'e',
	    'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0 };
	struct zone_src		 src;
	struct builder		*b;
	struct bowner		 bo;
	struct zrr		*rrs;
	uint8_t			*rd, *ovl = NULL;
	char			 err[256];
	size_t			 i, len, n = 16 * 4096;
	int			 fd;

	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	ATF_REQUIRE((rrs = calloc(tz.n + n, sizeof(*rrs))) != NULL);
	ATF_REQUIRE((rd = malloc(n * 3)) != NULL);
	memcpy(rrs, tz.rrs, tz.n * sizeof(*rrs));
	for (i = 0; i < n; i++) {
		rd[3 * i] = i >> 16;
		rd[3 * i + 1] = i >> 8;
		rd[3 * i + 2] = i;
		rrs[tz.n + i].owner = many;
		rrs[tz.n + i].ownerlen = sizeof(many);
		rrs[tz.n + i].type = 65280 + i / 4096;
		rrs[tz.n + i].class = DNS_C_IN;
		rrs[tz.n + i].ttl = 60;
		rrs[tz.n + i].rdata = rd + 3 * i;
		rrs[tz.n + i].rdlen = 3;
	}
	src = tz_src(&tz);
	src.rrs = rrs;
	src.nrr = tz.n + n;
	err[0] = '\0';
	ATF_CHECK(builder_build(&src, NULL, -1, NULL, err, sizeof(err)) ==
	    -1);
	ATF_CHECK_MSG(strstr(err, "many.example.com.: more than 65535 "
	    "records at one name") != NULL, "%s", err);
	ATF_REQUIRE((b = builder_begin(src.apex, src.apexlen, 0, err,
	    sizeof(err))) != NULL);
	ATF_REQUIRE(builder_feed(b, src.rrs, src.nrr, err, sizeof(err)) ==
	    0);
	err[0] = '\0';
	ATF_CHECK(builder_build(&src, b, -1, NULL, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "more than 65535 records") != NULL, "%s",
	    err);
	src.nrr--;
	fd = tz_tmpfd();
	ATF_CHECK_MSG(builder_build(&src, NULL, fd, NULL, err,
	    sizeof(err)) == 0, "%s", err);
	close(fd);
	/* a kept zone changed to hold them at one name: refused, then not */
	src = tz_src(&tz);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, &b, err,
	    sizeof(err)) == 0 && b != NULL, "%s", err);
	close(fd);
	bo.owner = many;
	bo.ownerlen = sizeof(many);
	bo.rrs = rrs + tz.n;
	bo.nrr = n;
	err[0] = '\0';
	ATF_CHECK(builder_update(b, &bo, 1, tz.serial, tz.serial, &ovl, &len,
	    err, sizeof(err)) != 0);
	ATF_CHECK_MSG(strstr(err, "more than 65535 records") != NULL, "%s",
	    err);
	builder_free(b);
	fd = tz_tmpfd();
	ATF_REQUIRE(builder_build(&src, NULL, fd, &b, err, sizeof(err)) ==
	    0);
	close(fd);
	bo.nrr = n - 1;
	ATF_CHECK_MSG(builder_update(b, &bo, 1, tz.serial, tz.serial, &ovl,
	    &len, err, sizeof(err)) == 0, "%s", err);
	free(ovl);
	builder_free(b);
	free(rd);
	free(rrs);
	tz_free(&tz);
}

/* The image bytes of a built zone, in memory. */
static uint8_t *
image_of(struct tzone *t, size_t *size)
{
	struct stat	 st;
	uint8_t		*img;
	char		 err[256];
	int		 fd;

	ATF_REQUIRE_MSG((fd = tz_build(t, err, sizeof(err))) != -1, "%s",
	    err);
	ATF_REQUIRE(fstat(fd, &st) == 0);
	*size = st.st_size;
	ATF_REQUIRE((img = malloc(*size)) != NULL);
	ATF_REQUIRE(pread(fd, img, *size, 0) == (ssize_t)*size);
	close(fd);
	return (img);
}

static const char *const fuzz_lines[] = {
	"@ 3600 SOA ns1 hostmaster 5 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"@ 3600 NS ns.sub",
	"@ 3600 MX 10 mail",
	"ns1 3600 A 192.0.2.53",
	"mail 3600 A 192.0.2.25",
	"mail 3600 AAAA 2001:db8::25",
	"www 300 A 192.0.2.80",
	"a.b.c 60 TXT deep",
	"*.w 120 A 192.0.2.200",
	"*.w 120 MX 10 mail",
	"alias 60 CNAME www",
	"wal 60 CNAME x.w",
	"sub 3600 NS ns.sub",
	"sub 3600 DS 04d2 08 02 abcdef",
	"ns.sub 3600 A 192.0.2.54",
	NULL
};

static const char *const fuzz_names[] = {
	"example.com", "www.example.com", "nothere.example.com",
	"b.c.example.com", "q.w.example.com", "A.B.C.q.w.example.com",
	"alias.example.com", "wal.example.com", "x.sub.example.com",
	"sub.example.com", "mail.example.com", "a.b.c.example.com",
	"x.y.z.example.com", NULL
};

static const uint16_t	 fuzz_types[] = { DNS_T_A, DNS_T_AAAA, DNS_T_MX,
    DNS_T_NS, DNS_T_DS, DNS_T_ANY, DNS_T_CNAME, DNS_T_TXT };

/*
 * Every query the fuzz zone knows, with and without DO; replies need not
 * make sense.
 */
static void
fuzz_queries(void)
{
	static uint8_t		 resp[DNS_MAXMSG];
	struct answer_info	 ai;
	uint8_t			 q[512];
	size_t			 i, t, len;
	struct tq		 o;

	memset(&o, 0, sizeof(o));
	o.size = 1232;
	for (i = 0; fuzz_names[i] != NULL; i++) {
		for (t = 0; t < sizeof(fuzz_types) / sizeof(fuzz_types[0]);
		    t++) {
			o.tcp = t & 1;
			o.edns = o.dobit = (i + t) & 1;
			len = tq_make(q, sizeof(q), fuzz_names[i],
			    fuzz_types[t], &o);
			(void)answer_query(q, len, resp, sizeof(resp), o.tcp, NULL,
			    &ai);
		}
	}
}

/* Damage an image: flipped bytes, a word overwritten, or a cut. */
static size_t
damage(uint8_t *img, size_t size)
{
	uint32_t	 v, off;
	int		 k, n;

	switch (rnd() % 4) {
	case 0:
		n = 1 + rnd() % 4;
		for (k = 0; k < n; k++)
			img[rnd() % size] ^= 1 << (rnd() % 8);
		return (size);
	case 1:
		off = (rnd() % (size / 4)) * 4;
		memcpy(&v, img + off, 4);
		v += (int32_t)(rnd() % 64) - 32;
		memcpy(img + off, &v, 4);
		return (size);
	case 2:
		off = (rnd() % (size / 2)) * 2;
		img[off] = rnd();
		img[off + 1] = rnd() % 4;
		return (size);
	default:
		return (rnd() % size);
	}
}

/*
 * Images of the fuzz zone (signed as mode says, or not), damaged 3000
 * times: image_check refuses the damage or the image answers every query
 * without reading out of it (ASan watches, in make check-sanitize).
 */
static void
damage_run(int sign, enum ts_mode mode)
{
	static const char *const names[] = { "example.com", NULL };
	uint8_t		*good, *img;
	size_t		 size, cut;
	char		 err[256];
	FILE		*f;
	int		 i, accepted = 0, rejected = 0;

	tz_init(&tz, "example.com");
	tz_lines(&tz, fuzz_lines);
	if (sign)
		ts_sign(&tz, mode, 2, "beef", 0, 2000000000U);
	tz.serial = 5;
	good = image_of(&tz, &size);
	ATF_REQUIRE_MSG(image_check(good, size, err, sizeof(err)) == 0,
	    "%s", err);
	tz_configure(names);
	seed = 20240101;
	for (i = 0; i < 3000; i++) {
		ATF_REQUIRE((img = malloc(size)) != NULL);
		memcpy(img, good, size);
		cut = damage(img, size);
		/* exactly the bytes: ASan sees any read beyond them */
		if (image_check(img, cut, err, sizeof(err)) == -1) {
			ATF_CHECK(err[0] != '\0');
			rejected++;
			free(img);
			continue;
		}
		accepted++;
		ATF_REQUIRE((f = tmpfile()) != NULL);
		ATF_REQUIRE(fwrite(img, 1, cut, f) == cut && fflush(f) == 0);
		if (tz_zones_set("example.com", fileno(f), 5, err,
		    sizeof(err)) == 0)
			fuzz_queries();
		fclose(f);
		free(img);
	}
	printf("%d damaged images rejected, %d accepted\n", rejected,
	    accepted);
	ATF_CHECK(rejected > 1000);
	free(good);
	tz_free(&tz);
}

ATF_TC_WITHOUT_HEAD(image_check_stands_between_damage_and_queries);
ATF_TC_BODY(image_check_stands_between_damage_and_queries, tc)
{
	damage_run(0, TS_NSEC);
}

ATF_TC_WITHOUT_HEAD(signed_nsec_image_damaged);
ATF_TC_BODY(signed_nsec_image_damaged, tc)
{
	damage_run(1, TS_NSEC);
}

ATF_TC_WITHOUT_HEAD(signed_nsec3_image_damaged);
ATF_TC_BODY(signed_nsec3_image_damaged, tc)
{
	damage_run(1, TS_NSEC3);
}

/*
 * The list of proofs a DO blob carries is checked before it is read: a
 * blob whose count would lie past the end of the image, one with more
 * than IMAGE_MAXPROOF proofs (ASan watches the first, in make
 * check-sanitize).
 */
ATF_TC_WITHOUT_HEAD(proof_lists_are_checked_before_read);
ATF_TC_BODY(proof_lists_are_checked_before_read, tc)
{
	struct image_header	*h;
	struct image_blob	 blob;
	struct image_dnssec	*d;
	struct image_name	*n;
	uint8_t			*good, *img;
	uint16_t		 np;
	size_t			 size, big, off;
	char			 err[256];

	tz_init(&tz, "example.com");
	tz_lines(&tz, fuzz_lines);
	ts_sign(&tz, TS_NSEC3, 0, "", 0, 2000000000U);
	good = image_of(&tz, &size);
	ATF_REQUIRE_MSG(image_check(good, size, err, sizeof(err)) == 0,
	    "%s", err);
	/* a proof-listing blob in the last bytes: its count is not there */
	big = size + 16;
	ATF_REQUIRE((img = calloc(1, big)) != NULL);
	memcpy(img, good, size);
	off = big - sizeof(blob);
	memset(&blob, 0, sizeof(blob));
	blob.flags = IMG_B_PROOF | IMG_B_AA;
	memcpy(img + off, &blob, sizeof(blob));
	h = (struct image_header *)img;
	h->size = big;
	n = (struct image_name *)(img + h->apex_off);
	d = (struct image_dnssec *)image_name_dnssec(n);
	d->other_off = off;
	ATF_CHECK(image_check(img, big, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "proofs") != NULL, "err: %s", err);
	free(img);
	/* too many proofs */
	ATF_REQUIRE((img = malloc(size)) != NULL);
	memcpy(img, good, size);
	h = (struct image_header *)img;
	n = (struct image_name *)(img + h->apex_off);
	d = (struct image_dnssec *)image_name_dnssec(n);
	memcpy(&blob, img + d->other_off, sizeof(blob));
	ATF_REQUIRE_MSG(blob.flags & IMG_B_PROOF, "the apex's DO NODATA "
	    "lists no proof");
	np = IMAGE_MAXPROOF + 1;
	memcpy(img + d->other_off + sizeof(blob) + blob.nfix * 2, &np,
	    sizeof(np));
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "proofs") != NULL, "err: %s", err);
	free(img);
	free(good);
	tz_free(&tz);
}

ATF_TC_WITHOUT_HEAD(image_check_reports_why);
ATF_TC_BODY(image_check_reports_why, tc)
{
	struct image_header	 h;
	uint8_t			*img;
	uint32_t		*hash, i, mask;
	size_t			 size;
	char			 err[256];
	int			 k;

	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	img = image_of(&tz, &size);
	ATF_REQUIRE(image_check(img, size, err, sizeof(err)) == 0);
	ATF_CHECK(image_check(img, size - 1, err, sizeof(err)) == -1);
	ATF_CHECK(strstr(err, "header says") != NULL);
	ATF_CHECK(image_check(img, 10, err, sizeof(err)) == -1);
	ATF_CHECK(image_check(NULL, 0, err, sizeof(err)) == -1);
	memcpy(&h, img, sizeof(h));
	img[0] ^= 1;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK(strstr(err, "magic") != NULL);
	img[0] ^= 1;
	((struct image_header *)img)->version = 99;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK(strstr(err, "version") != NULL);
	((struct image_header *)img)->version = h.version;
	((struct image_header *)img)->bom = 0x04030201;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK(strstr(err, "byte order") != NULL);
	((struct image_header *)img)->bom = h.bom;
	((struct image_header *)img)->nxdomain_off = size;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK(strstr(err, "NXDOMAIN") != NULL);
	((struct image_header *)img)->nxdomain_off = h.nxdomain_off;
	((struct image_header *)img)->nnames = h.hash_size;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	((struct image_header *)img)->nnames = h.nnames;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == 0);
	/* a name moved to the empty slot before its own: off its chain */
	hash = (uint32_t *)(img + h.hash_off);
	mask = h.hash_size - 1;
	for (i = 0; i < h.hash_size && (hash[i] == 0 ||
	    hash[(i - 1) & mask] != 0); i++)
		;
	ATF_REQUIRE(i < h.hash_size);
	hash[(i - 1) & mask] = hash[i];
	hash[i] = 0;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "probe chain") != NULL, "err: %s", err);
	hash[i] = hash[(i - 1) & mask];
	hash[(i - 1) & mask] = 0;
	/* a count that is not the hash's */
	((struct image_header *)img)->nnames = h.nnames + 1;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "names in the hash") != NULL, "err: %s",
	    err);
	((struct image_header *)img)->nnames = h.nnames;
	free(img);
	/*
	 * The apex gone from the hash: in an image (each has a random key)
	 * where no probe chain goes through its slot, the next one empty.
	 */
	for (k = 0; k < 100; k++) {
		img = image_of(&tz, &size);
		memcpy(&h, img, sizeof(h));
		hash = (uint32_t *)(img + h.hash_off);
		mask = h.hash_size - 1;
		for (i = 0; i < h.hash_size && hash[i] != h.apex_off; i++)
			;
		ATF_REQUIRE(i < h.hash_size);
		if (hash[(i + 1) & mask] == 0)
			break;
		free(img);
	}
	ATF_REQUIRE(k < 100);
	hash[i] = 0;
	((struct image_header *)img)->nnames = h.nnames - 1;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "apex not in") != NULL, "err: %s", err);
	free(img);
	tz_free(&tz);
}

/*
 * A blob that lies in empty hash slots reads as a blob of nothing, which
 * a check would pass; the next image may fill those slots, and its check
 * (image_check_next) reads only the slots that changed.  So no entry or
 * blob may lie in the hash table at all.
 */
ATF_TC_WITHOUT_HEAD(nothing_lies_in_the_hash_table);
ATF_TC_BODY(nothing_lies_in_the_hash_table, tc)
{
	const struct image_header	*h;
	struct image_rrset		*rs;
	uint8_t				*img;
	size_t				 size;
	char				 err[256];

	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	img = image_of(&tz, &size);
	ATF_REQUIRE(image_check(img, size, err, sizeof(err)) == 0);
	h = (const void *)img;
	rs = (struct image_rrset *)image_name_rrsets(image_name_at(img,
	    h->apex_off));
	rs[0].blob_off = h->hash_off;
	ATF_CHECK(image_check(img, size, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "in the hash table") != NULL, "err: %s",
	    err);
	free(img);
	tz_free(&tz);
}

/*
 * Random zones over a few labels: wildcards, cuts, CNAMEs in and out of
 * the zone.  Every build must pass image_check(), and every reply must
 * read back record by record with its names decompressed.
 */
static const char *const rlabels[] = { "a", "b", "*", "Cc", "dd", "sub" };
static const char *const rtypes[] = { "A", "AAAA", "NS", "CNAME", "MX",
    "TXT", "SRV", "DS", "TYPE999" };

static void
rname(char *buf, size_t cap, int inzone)
{
	int	 k, n = rnd() % 4;

	buf[0] = '\0';
	for (k = 0; k < n; k++) {
		strlcat(buf, rlabels[rnd() % 6], cap);
		strlcat(buf, ".", cap);
	}
	strlcat(buf, inzone ? "example.com." : "example.net.", cap);
	if (inzone && n > 0 && strncmp(buf, "*.", 2) != 0 && rnd() % 3 == 0)
		memcpy(buf, buf[0] == 'a' ? "A" : buf, 1);
}

static void
rrecord(char *line, size_t cap)
{
	char		 owner[300], target[300];
	const char	*type = rtypes[rnd() % 9];

	rname(owner, sizeof(owner), 1);
	if (strcmp(owner, "example.com.") == 0 && strcmp(type, "NS") != 0 &&
	    strcmp(type, "A") != 0)
		type = "TXT";
	rname(target, sizeof(target), rnd() % 4 != 0);
	if (strcmp(type, "A") == 0)
		snprintf(line, cap, "%s 60 A 192.0.2.%u", owner, rnd() % 256);
	else if (strcmp(type, "AAAA") == 0)
		snprintf(line, cap, "%s 60 AAAA 2001:db8::%x", owner,
		    rnd() % 65536);
	else if (strcmp(type, "MX") == 0)
		snprintf(line, cap, "%s 60 MX %u %s", owner, rnd() % 100,
		    target);
	else if (strcmp(type, "SRV") == 0)
		snprintf(line, cap, "%s 60 SRV 1 2 3 %s", owner, target);
	else if (strcmp(type, "NS") == 0 || strcmp(type, "CNAME") == 0)
		snprintf(line, cap, "%s 60 %s %s", owner, type, target);
	else if (strcmp(type, "TXT") == 0)
		snprintf(line, cap, "%s 60 TXT t%u", owner, rnd() % 1000);
	else
		snprintf(line, cap, "%s 60 %s 00010203", owner, type);
}

/*
 * 1 unless line i is a CNAME at an owner with another record before or
 * after it (RFC 2181 section 10.1: a zone with one is refused whole).
 */
static int
cname_alone(char lines[][1024], int n, int i)
{
	size_t	 len = strcspn(lines[i], " ");
	int	 k;

	if (strncmp(lines[i] + len, " 60 CNAME ", 10) != 0)
		return (1);
	for (k = 0; k < n; k++)
		if (k != i && strcspn(lines[k], " ") == len &&
		    strncasecmp(lines[k], lines[i], len) == 0 &&
		    (k < i || strncmp(lines[k] + len, " 60 CNAME ", 10) != 0))
			return (0);
	return (1);
}

/*
 * Read a reply; 0 if every record and name in it is well formed, every
 * owner is in one of the two zones the generator uses, and the first
 * answer is the query name's (a pointer moved wrong would show), and
 * the authority records are for the query name or, after a CNAME chain
 * (a NXDOMAIN or a referral for its target), for the chain's last name.
 */
static int
reply_ok(const uint8_t *buf, size_t len)
{
	static const uint8_t	 com[] = "\7example\3com";
	static const uint8_t	 net[] = "\7example\3net";
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct wire		 w;
	uint8_t			 rd[DNS_MAXRDATA], qn[DNS_MAXNAME];
	uint8_t			 tn[DNS_MAXNAME];
	size_t			 rdlen, qlen, tlen = 0;
	uint32_t		 i, n;

	wire_init(&w, buf, len);
	if (wire_header(&w, &h) == -1 || h.qdcount != 1 ||
	    wire_question(&w, qn, &qlen, NULL, NULL) == -1)
		return (-1);
	n = (uint32_t)h.ancount + h.nscount + h.arcount;
	for (i = 0; i < n; i++) {
		if (wire_rr(&w, &rr) == -1 ||
		    rdata_expand(buf, len, &rr, rd, sizeof(rd), &rdlen) == -1)
			return (-1);
		if (rr.type == DNS_T_OPT)
			continue;
		if (!dns_name_subdomain(rr.owner, rr.ownerlen, com,
		    sizeof(com)) && !dns_name_subdomain(rr.owner, rr.ownerlen,
		    net, sizeof(net)))
			return (-1);
		if (i == 0 && h.ancount > 0 &&
		    !dns_name_equal(rr.owner, rr.ownerlen, qn, qlen))
			return (-1);
		if (i < h.ancount && rr.type == DNS_T_CNAME &&
		    rdlen <= sizeof(tn)) {
			memcpy(tn, rd, rdlen);
			tlen = rdlen;
		}
		if (i >= h.ancount && i < (uint32_t)h.ancount + h.nscount &&
		    !dns_name_subdomain(qn, qlen, rr.owner, rr.ownerlen) &&
		    !dns_name_subdomain(tn, tlen, rr.owner, rr.ownerlen))
			return (-1);
	}
	return (w.off == len ? 0 : -1);
}

static void
rzone_queries(int zone)
{
	static uint8_t		 resp[DNS_MAXMSG];
	static const uint16_t	 qt[] = { DNS_T_A, DNS_T_MX, DNS_T_NS,
	    DNS_T_CNAME, DNS_T_ANY, DNS_T_DS, 999, DNS_T_SRV };
	struct answer_info	 ai;
	struct tq		 o;
	uint8_t			 q[512];
	char			 name[300];
	size_t			 qlen, len;
	int			 k;

	memset(&o, 0, sizeof(o));
	o.tcp = 1;
	for (k = 0; k < 200; k++) {
		rname(name, sizeof(name), 1);
		if (k % 2)
			name[0] = name[0] == 'a' ? 'A' : name[0];
		if (k % 5 == 0) {
			memmove(name + 7, name, strlen(name) + 1);
			memcpy(name, "XyZzY0.", 7);
		}
		qlen = tq_make(q, sizeof(q), name, qt[k % 8], &o);
		len = answer_query(q, qlen, resp, sizeof(resp), 1, NULL, &ai);
		ATF_REQUIRE_MSG(len > 0, "zone %d: no reply to %s", zone,
		    name);
		ATF_REQUIRE_MSG(reply_ok(resp, len) == 0, "zone %d: bad "
		    "reply to %s type %u", zone, name, qt[k % 8]);
	}
}

ATF_TC_WITHOUT_HEAD(random_zones_give_wellformed_replies);
ATF_TC_BODY(random_zones_give_wellformed_replies, tc)
{
	char	 lines[40][1024];
	int	 z, i, n;

	seed = 4242;
	for (z = 0; z < 300; z++) {
		tz_init(&tz, "example.com");
		tz_lines(&tz, base_lines);
		n = 1 + rnd() % 40;
		for (i = 0; i < n; i++)
			rrecord(lines[i], sizeof(lines[i]));
		for (i = 0; i < n; i++)
			if (cname_alone(lines, n, i))
				tz_add(&tz, lines[i]);
		tz_serve(&tz);
		rzone_queries(z);
		tz_free(&tz);
	}
}

/*
 * 100k names, as a transfer would give them: hosts with an address,
 * some with MX and CNAME, a delegation every 1000.  Every name answers
 * what it holds.  No timing here: the benchmark measures speed.
 */
ATF_TC_WITHOUT_HEAD(zone_of_100k_names_answers_every_name);
ATF_TC_BODY(zone_of_100k_names_answers_every_name, tc)
{
	static uint8_t		 resp[DNS_MAXMSG];
	struct answer_info	 ai;
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct wire		 w;
	struct zrr		*rrs;
	uint8_t			*names, *rd, q[512];
	char			 name[64], err[256];
	size_t			 n = 100000, i, len, qlen;
	int			 fd;
	static const char *const cfg[] = { "example.com", NULL };

	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	ATF_REQUIRE((rrs = calloc(n + 3, sizeof(*rrs))) != NULL);
	ATF_REQUIRE((names = malloc(n * 32)) != NULL);
	ATF_REQUIRE((rd = malloc(n * 4)) != NULL);
	memcpy(rrs, tz.rrs, 3 * sizeof(*rrs));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "h%zu.g%zu.example.com", i,
		    i % 97);
		ATF_REQUIRE(dns_name_from_text(name, names + i * 32,
		    &len) == 0);
		rrs[3 + i].owner = names + i * 32;
		rrs[3 + i].ownerlen = len;
		rrs[3 + i].type = DNS_T_A;
		rrs[3 + i].class = DNS_C_IN;
		rrs[3 + i].ttl = 3600;
		rrs[3 + i].rdlen = 4;
		rd[i * 4] = 10;
		rd[i * 4 + 1] = i >> 16;
		rd[i * 4 + 2] = i >> 8;
		rd[i * 4 + 3] = i;
		rrs[3 + i].rdata = rd + i * 4;
	}
	memcpy(tz.rrs, rrs, 3 * sizeof(*rrs));
	{
		struct zone_src	 src = tz_src(&tz);
		FILE		*f;

		src.rrs = rrs;
		src.nrr = n + 3;
		ATF_REQUIRE((f = tmpfile()) != NULL);
		fd = dup(fileno(f));
		fclose(f);
		ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, NULL, err,
		    sizeof(err)) == 0, "%s", err);
	}
	tz_configure(cfg);
	ATF_REQUIRE_MSG(tz_zones_set("example.com", fd, 1, err,
	    sizeof(err)) == 0, "%s", err);
	close(fd);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "H%zu.g%zu.example.com", i,
		    i % 97);
		qlen = tq_make(q, sizeof(q), name, DNS_T_A, NULL);
		len = answer_query(q, qlen, resp, sizeof(resp), 0, NULL, &ai);
		wire_init(&w, resp, len);
		ATF_REQUIRE(wire_header(&w, &h) == 0 && h.ancount == 1);
		ATF_REQUIRE(wire_question(&w, NULL, NULL, NULL, NULL) == 0);
		ATF_REQUIRE(wire_rr(&w, &rr) == 0 && rr.rdlen == 4);
		ATF_REQUIRE_MSG(memcmp(rr.rdata, rd + i * 4, 4) == 0,
		    "%s: wrong address", name);
	}
	/* the group names are empty non-terminals */
	qlen = tq_make(q, sizeof(q), "g5.example.com", DNS_T_A, NULL);
	len = answer_query(q, qlen, resp, sizeof(resp), 0, NULL, &ai);
	ATF_CHECK(len > 0 && ai.rcode == 0);
	free(rrs);
	free(names);
	free(rd);
	tz_free(&tz);
}

ATF_TC_WITHOUT_HEAD(identical_answers_are_stored_once);
ATF_TC_BODY(identical_answers_are_stored_once, tc)
{
	char	 line[128];
	uint8_t	*img1, *img2;
	size_t	 s1, s2;
	int	 i;

	/* 500 names with one address each, then with 500 addresses */
	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	for (i = 0; i < 500; i++) {
		snprintf(line, sizeof(line), "h%03d 60 A 192.0.2.1", i);
		tz_add(&tz, line);
	}
	img1 = image_of(&tz, &s1);
	tz_free(&tz);
	tz_init(&tz, "example.com");
	tz_lines(&tz, base_lines);
	for (i = 0; i < 500; i++) {
		snprintf(line, sizeof(line), "h%03d 60 A 192.0.%d.%d", i,
		    i / 256, i % 256);
		tz_add(&tz, line);
	}
	img2 = image_of(&tz, &s2);
	ATF_CHECK_MSG(s2 - s1 >= 499 * 28, "sizes %zu and %zu", s1, s2);
	free(img1);
	free(img2);
	tz_free(&tz);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, builder_refuses_odd_input);
	ATF_TP_ADD_TC(tp, builder_refuses_answer_over_64k);
	ATF_TP_ADD_TC(tp, builder_refuses_64k_records_at_a_name);
	ATF_TP_ADD_TC(tp, image_check_reports_why);
	ATF_TP_ADD_TC(tp, nothing_lies_in_the_hash_table);
	ATF_TP_ADD_TC(tp, image_check_stands_between_damage_and_queries);
	ATF_TP_ADD_TC(tp, signed_nsec_image_damaged);
	ATF_TP_ADD_TC(tp, signed_nsec3_image_damaged);
	ATF_TP_ADD_TC(tp, proof_lists_are_checked_before_read);
	ATF_TP_ADD_TC(tp, random_zones_give_wellformed_replies);
	ATF_TP_ADD_TC(tp, zone_of_100k_names_answers_every_name);
	ATF_TP_ADD_TC(tp, identical_answers_are_stored_once);
	return (atf_no_error());
}
