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
 * Overlays (shared/image.h) as serverd takes them: a stack of changes
 * applied one by one over the image served (zones_overlay) answers as a
 * full build of the same records; NAME.ovl cut at any byte of its last
 * overlay gives the overlays before it, whole; a forged overlay is
 * refused and leaves the image served as it was.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>

#include "tsign.h"
#include "zoned/store.h"

#define NNAMES		1900
#define NCHANGE		60	/* names the changes move among */
#define NNEW		10	/* names they make and remove */
#define SERIAL		2024010101U

static int	 aval[NNAMES];	/* the A record's last octet; */
static int	 newn[NNEW];	/* nK exists */
static struct tzone tz, one;

static const char *const head[] = {
	"@ 3600 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"ns1 3600 A 192.0.2.53",
	NULL
};

static void
txt_line(char *buf, size_t len, int i)
{
	snprintf(buf, len, "h%d 300 TXT \"%0200d\" \"%0200d\"", i, i, i);
}

static void
truth(void)
{
	char	 line[600];
	int	 i;

	tz_free(&tz);
	tz_init(&tz, "example.com");
	tz.serial = SERIAL;
	tz_lines(&tz, head);
	for (i = 0; i < NNAMES; i++) {
		if (i >= NCHANGE) {
			txt_line(line, sizeof(line), i);
			tz_add(&tz, line);
		}
		snprintf(line, sizeof(line), "h%d 300 A 10.0.%d.%d", i,
		    i % 250, aval[i]);
		tz_add(&tz, line);
	}
	for (i = 0; i < NNEW; i++)
		if (newn[i]) {
			snprintf(line, sizeof(line), "n%d 60 A 192.0.2.%d", i,
			    i + 1);
			tz_add(&tz, line);
		}
}

/* Change number k: a name's A, or a new name that comes or goes. */
static void
change(int k, struct bowner *bo, uint8_t *name)
{
	char	 line[600], text[64];
	int	 i;

	tz_free(&one);
	tz_init(&one, "example.com");
	if (k % 7 == 0) {
		i = (k / 7) % NNEW;
		newn[i] = !newn[i];
		snprintf(text, sizeof(text), "n%d.example.com", i);
		if (newn[i]) {
			snprintf(line, sizeof(line), "n%d 60 A 192.0.2.%d", i,
			    i + 1);
			tz_add(&one, line);
		}
	} else {
		i = (k * 7919) % NCHANGE;
		aval[i] = (aval[i] + 1) % 250;
		snprintf(text, sizeof(text), "h%d.example.com", i);
		snprintf(line, sizeof(line), "h%d 300 A 10.0.%d.%d", i,
		    i % 250, aval[i]);
		tz_add(&one, line);
	}
	ATF_REQUIRE(dns_name_from_text(text, name, &bo->ownerlen) == 0);
	bo->owner = name;
	bo->rrs = one.rrs;
	bo->nrr = one.n;
}

/* The answers of the names the changes reach, and a few others. */
static char *
answers(void)
{
	static const uint16_t	 types[] = { DNS_T_A, DNS_T_AAAA, DNS_T_ANY };
	struct tq		 o = { .tcp = 1, .edns = 1, .size = 4096 };
	struct treply		*r;
	char			 q[64], *out;
	size_t			 len = 0, cap = 1 << 22, t;
	int			 i, n;

	ATF_REQUIRE((out = malloc(cap)) != NULL);
	for (i = 0; i < NCHANGE + NNEW + 5; i++)
		for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			if (i < NCHANGE)
				snprintf(q, sizeof(q), "h%d.example.com", i);
			else if (i < NCHANGE + NNEW)
				snprintf(q, sizeof(q), "n%d.example.com",
				    i - NCHANGE);
			else
				snprintf(q, sizeof(q), "zz.h%d.example.com",
				    i);
			r = tq_ask(q, types[t], &o);
			n = snprintf(out + len, cap - len, "%s/%u: rcode %d "
			    "[%s] [%s] [%s]\n", q, types[t], tr_rcode(r),
			    tr_sect(r, 0), tr_sect(r, 1), tr_sect(r, 2));
			ATF_REQUIRE(n > 0 && (size_t)n < cap - len);
			len += n;
		}
	return (out);
}

/* The image served for example.com, in a file. */
static int
served(void)
{
	const struct served_zone	*z;
	uint8_t				 name[DNS_MAXNAME];
	size_t				 len;
	int				 fd;

	ATF_REQUIRE(dns_name_from_text("example.com", name, &len) == 0);
	ATF_REQUIRE((z = zones_find(name, len)) != NULL && z->img != NULL);
	fd = tz_tmpfd();
	ATF_REQUIRE(pwrite(fd, z->img, z->size, 0) == (ssize_t)z->size);
	return (fd);
}

/*
 * The image served answers as a full build of the truth; then it is
 * served again, so that the overlays go on applying to it.
 */
static void
same_as_full(void)
{
	struct zone_src	 src;
	char		 err[256], *got, *want;
	int		 sfd, wfd;

	got = answers();
	sfd = served();
	truth();
	src = tz_src(&tz);
	wfd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, wfd, NULL, err,
	    sizeof(err)) == 0, "full build: %s", err);
	ATF_REQUIRE_MSG(tz_zones_set("example.com", wfd, SERIAL, err,
	    sizeof(err)) == 0, "full build: %s", err);
	want = answers();
	if (strcmp(got, want) != 0)
		atf_tc_fail("overlays:\n%.2000s\nfull build:\n%.2000s", got,
		    want);
	ATF_REQUIRE_MSG(tz_zones_set("example.com", sfd, SERIAL, err,
	    sizeof(err)) == 0, "served again: %s", err);
	free(got);
	free(want);
	close(sfd);
	close(wfd);
}

/* The base built, kept in *b and served; its fd. */
static int
base(struct builder **b)
{
	static const char *const names[] = { "example.com", NULL };
	struct zone_src	 src;
	char		 err[256];
	int		 fd;

	memset(aval, 0, sizeof(aval));
	memset(newn, 0, sizeof(newn));
	truth();
	src = tz_src(&tz);
	fd = tz_tmpfd();
	ATF_REQUIRE_MSG(builder_build(&src, NULL, fd, b, err,
	    sizeof(err)) == 0 && *b != NULL, "full build: %s", err);
	tz_configure(names);
	ATF_REQUIRE_MSG(tz_zones_set("example.com", fd, SERIAL, err,
	    sizeof(err)) == 0, "zones_set: %s", err);
	return (fd);
}

/* Change k made by b: its overlay (*len bytes). */
static uint8_t *
next(struct builder *b, int k, size_t *len)
{
	static uint8_t	 name[DNS_MAXNAME];
	struct bowner	 bo;
	uint8_t		*ovl;
	char		 err[256];

	change(k, &bo, name);
	ATF_REQUIRE_MSG(builder_update(b, &bo, 1, SERIAL, SERIAL, &ovl, len,
	    err, sizeof(err)) == 0, "change %d: %s", k, err);
	return (ovl);
}

/* zones_overlay() of the record p, from a file as zoned hands it. */
static int
apply(const uint8_t *p, size_t len, char *err, size_t errlen)
{
	int	 fd, rv;

	fd = tz_tmpfd();
	ATF_REQUIRE(pwrite(fd, "junk", 4, 0) == 4);
	ATF_REQUIRE(pwrite(fd, p, len, 4) == (ssize_t)len);
	rv = zones_overlay("example.com", fd, 4, len, SERIAL, err, errlen);
	close(fd);
	return (rv);
}

ATF_TC_WITHOUT_HEAD(stack_of_1000_overlays_answers_as_full_build);
ATF_TC_BODY(stack_of_1000_overlays_answers_as_full_build, tc)
{
	struct builder	*b;
	uint8_t		*ovl;
	size_t		 len;
	char		 err[256];
	int		 fd, k;

	fd = base(&b);
	for (k = 1; k <= 1000; k++) {
		ovl = next(b, k, &len);
		ATF_REQUIRE_MSG(apply(ovl, len, err, sizeof(err)) == 0,
		    "overlay %d refused: %s", k, err);
		free(ovl);
		if (k % 100 == 0)
			same_as_full();
	}
	builder_free(b);
	close(fd);
}

/*
 * NAME.ovl with three overlays, cut at every byte of the last one (a
 * kill while it was appended): ovl_load gives the two before it, whole,
 * and says bytes follow; whole, the three.  Applied over the base, what
 * it gives passes image_check.  Overlays of another base: none.
 */
ATF_TC_WITHOUT_HEAD(ovl_cut_at_every_byte_gives_whole_overlays);
ATF_TC_BODY(ovl_cut_at_every_byte_gives_whole_overlays, tc)
{
	struct image_header	 bh, h, want[4];
	struct ovl_list		 ol;
	struct builder		*b, *b2;
	struct stat		 st;
	uint8_t			*ovl[3], *img, *file;
	size_t			 len[3], total = 0, cut, size, cap, i;
	char			 err[256];
	off_t			 at;
	int			 fd, fd2, k;

	fd = base(&b);
	ATF_REQUIRE(fstat(fd, &st) == 0);
	ATF_REQUIRE(pread(fd, &bh, sizeof(bh), 0) == (ssize_t)sizeof(bh));
	want[0] = bh;
	for (k = 0; k < 3; k++) {
		ovl[k] = next(b, k + 1, &len[k]);
		ATF_REQUIRE_MSG(ovl_append("example.com", ovl[k], len[k], &at,
		    err, sizeof(err)) == 0, "ovl_append: %s", err);
		ATF_CHECK_EQ((size_t)at, total);
		total += len[k];
		memcpy(&want[k + 1], ovl[k] + sizeof(struct image_overlay),
		    sizeof(want[k + 1]));
	}
	ATF_REQUIRE((file = malloc(total)) != NULL);
	fd2 = open("example.com.ovl", O_RDONLY);
	ATF_REQUIRE(fd2 != -1 && read(fd2, file, total) == (ssize_t)total);
	close(fd2);
	for (cut = total - len[2]; cut <= total; cut++) {
		fd2 = open("example.com.ovl", O_WRONLY | O_TRUNC);
		ATF_REQUIRE(fd2 != -1 && write(fd2, file, cut) ==
		    (ssize_t)cut);
		close(fd2);
		h = bh;
		ATF_REQUIRE(ovl_load("example.com", &h, &ol) == 0);
		k = cut == total ? 3 : 2;
		ATF_REQUIRE_EQ_MSG(ol.n, (size_t)k, "cut at %zu: %zu "
		    "overlays", cut, ol.n);
		ATF_CHECK_EQ(ol.bad, cut != total && cut != total - len[2]);
		ATF_CHECK(memcmp(&h, &want[k], sizeof(h)) == 0);
		/* the image they make, as serverd would map it */
		size = st.st_size;
		cap = IMAGE_RESERVE(size);
		ATF_REQUIRE((img = calloc(1, cap)) != NULL);
		ATF_REQUIRE(pread(fd, img, size, 0) == (ssize_t)size);
		for (i = 0; i < ol.n; i++)
			ATF_REQUIRE_MSG(overlay_apply(img, cap, &size,
			    file + ol.v[i].at, ol.v[i].len, err,
			    sizeof(err)) == 0, "overlay %zu: %s", i, err);
		ATF_CHECK_MSG(image_check(img, size, err, sizeof(err)) == 0,
		    "cut at %zu: %s", cut, err);
		free(img);
		ovl_free(&ol);
	}
	/* a new base: the overlays are of another image */
	builder_free(b);
	fd2 = base(&b2);
	ATF_REQUIRE(pread(fd2, &h, sizeof(h), 0) == (ssize_t)sizeof(h));
	ATF_REQUIRE(ovl_load("example.com", &h, &ol) == 0);
	ATF_CHECK_EQ(ol.n, 0);
	ATF_CHECK(ol.bad);
	ovl_free(&ol);
	builder_free(b2);
	for (k = 0; k < 3; k++)
		free(ovl[k]);
	free(file);
	close(fd);
	close(fd2);
}

/* The record p (len bytes) with its overlay header or first slot forged. */
static int
forged(const uint8_t *p, size_t len, int how, char *err, size_t errlen)
{
	struct image_overlay	 o;
	struct image_header	 h;
	struct image_slot	 s[2];
	uint8_t			*q;
	size_t			 so;
	int			 rv, reseal = 1;

	ATF_REQUIRE((q = malloc(len)) != NULL);
	memcpy(q, p, len);
	memcpy(&o, q, sizeof(o));
	memcpy(&h, q + sizeof(o), sizeof(h));
	so = sizeof(o) + sizeof(h) + IMAGE_ALIGN4((size_t)o.len);
	ATF_REQUIRE(o.nslots >= 1);
	memcpy(s, q + so, sizeof(s[0]) * (o.nslots > 1 ? 2 : 1));
	switch (how) {
	case 0:		/* of another image */
		o.prev ^= 1;
		break;
	case 1:		/* its bytes elsewhere */
		o.off += 4;
		break;
	case 2:		/* a slot out of the table */
		s[0].slot = h.hash_size;
		break;
	case 3:		/* a name in the hash table */
		s[0].off = h.hash_off;
		break;
	case 4:		/* a name in its neighbour's bytes */
		s[0].off += 2;
		break;
	case 5:		/* a name too many */
		h.nnames++;
		break;
	case 6:		/* damaged: the sum does not match */
		reseal = 0;
		break;
	case 7:		/* slots out of order */
		if (o.nslots < 2) {
			free(q);
			return (-2);
		}
		s[0].slot = s[1].slot;
		break;
	case 8:		/* beyond the room reserved */
		h.size = 0xfffffff0U;
		break;
	}
	memcpy(q, &o, sizeof(o));
	memcpy(q + sizeof(o), &h, sizeof(h));
	memcpy(q + so, s, sizeof(s[0]) * (o.nslots > 1 ? 2 : 1));
	if (reseal)
		overlay_seal(q, len);
	else
		q[len - 1] ^= 1;
	rv = apply(q, len, err, errlen);
	free(q);
	return (rv);
}

ATF_TC_WITHOUT_HEAD(forged_overlays_refused_image_kept);
ATF_TC_BODY(forged_overlays_refused_image_kept, tc)
{
	struct builder	*b;
	uint8_t		*ovl;
	size_t		 len;
	char		 err[256], *before, *after;
	int		 fd, how, rv;

	fd = base(&b);
	/* a new name: its slot goes from empty to it */
	ovl = next(b, 7, &len);
	before = answers();
	for (how = 0; how <= 8; how++) {
		err[0] = '\0';
		if ((rv = forged(ovl, len, how, err, sizeof(err))) == -2)
			continue;
		ATF_CHECK_EQ_MSG(rv, -1, "forgery %d accepted", how);
		printf("forgery %d refused: %s\n", how, err);
		after = answers();
		ATF_CHECK_MSG(strcmp(before, after) == 0, "forgery %d (%s) "
		    "changed what is served", how, err);
		free(after);
	}
	ATF_CHECK_MSG(apply(ovl, len, err, sizeof(err)) == 0,
	    "the true overlay after the forged ones: %s", err);
	free(before);
	free(ovl);
	builder_free(b);
	close(fd);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stack_of_1000_overlays_answers_as_full_build);
	ATF_TP_ADD_TC(tp, ovl_cut_at_every_byte_gives_whole_overlays);
	ATF_TP_ADD_TC(tp, forged_overlays_refused_image_kept);
	return (atf_no_error());
}
