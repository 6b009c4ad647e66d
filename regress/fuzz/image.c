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
 * Database images (shared/image.c image_check, image_check_next) and
 * overlays (shared/overlay.c overlay_apply) as serverd receives them.
 * Input octet 0 odd: the rest is the whole image; 0: the rest are
 * patches to a real image, the signed zone built here (4 octets each: a
 * 24-bit offset and the octet to put there), so that mutations keep most
 * of the structure; 2: the same patches to a real overlay of that image
 * (a change of www), its sum made again, applied over the image.  An
 * image that passes the check is served and asked a few questions:
 * serverd trusts a checked image, so nothing may go wrong there; an
 * overlay that passes must make an image that passes image_check whole.
 */
#include <err.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "tsign.h"
#include "fuzz.h"

static const char *const lines[] = {
	"@ 3600 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"ns1 3600 A 192.0.2.53",
	"www 300 A 192.0.2.80",
	"*.w 120 A 192.0.2.200",
	"alias 60 CNAME www",
	"sub 3600 NS ns.sub",
	"sub 3600 DS 04d2 08 02 abcdef0123456789",
	"ns.sub 3600 A 192.0.2.54",
	"a.b.c 60 TXT deep",
	"dn 600 DNAME example.net.",
	NULL
};

static const char *const questions[] = {
	"www.example.com", "x.w.example.com", "alias.example.com",
	"a.sub.example.com", "nx.example.com", "b.c.example.com",
	"x.dn.example.com", "example.com", NULL
};

static struct tzone	 tz;
static uint8_t		*base, *img, *ovl, *ovlbuf;
static size_t		 basesize, imgcap, ovllen;
static uint8_t		 resp[DNS_MAXMSG];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[] = { "example.com", NULL };
	static struct tzone	 one;
	struct zone_src	 src;
	struct builder	*b;
	struct bowner	 bo;
	struct stat	 st;
	uint8_t		 www[DNS_MAXNAME];
	char		 why[256];
	int		 fd;

	tz_configure(names);
	tz_init(&tz, "example.com");
	tz_lines(&tz, lines);
	ts_sign(&tz, TS_NSEC3, 1, "abcd", 0, 2000000000U);
	src = tz_src(&tz);
	fd = tz_tmpfd();
	if (builder_build(&src, NULL, fd, &b, why, sizeof(why)) == -1 ||
	    b == NULL || fstat(fd, &st) == -1)
		errx(1, "build: %s", why);
	basesize = st.st_size;
	if ((base = malloc(basesize)) == NULL ||
	    (img = malloc(imgcap = IMAGE_RESERVE(basesize))) == NULL ||
	    pread(fd, base, basesize, 0) != (ssize_t)basesize)
		err(1, "image");
	close(fd);
	/* the overlay of a change of www's address */
	tz_init(&one, "example.com");
	tz_add(&one, "www 300 A 192.0.2.81");
	if (dns_name_from_text("www.example.com", www, &bo.ownerlen) == -1)
		errx(1, "www");
	bo.owner = www;
	bo.rrs = one.rrs;
	bo.nrr = one.n;
	if (builder_update(b, &bo, 1, 2024010101U, 2024010101U, &ovl,
	    &ovllen, why, sizeof(why)) != 0 || (ovlbuf = malloc(ovllen)) == NULL)
		errx(1, "update: %s", why);
	builder_free(b);
	return (0);
}

static void	 ask(const uint8_t *, size_t);

/*
 * The overlay patched as data says, its sum made again, applied over the
 * image; the image it makes passes the whole check and is served.
 */
static void
overlay_fuzz(const uint8_t *data, size_t len)
{
	char	 why[256];
	size_t	 size = basesize, i, off;

	memcpy(ovlbuf, ovl, ovllen);
	for (i = 1; i + 4 <= len; i += 4) {
		off = (size_t)data[i] << 16 | data[i + 1] << 8 | data[i + 2];
		if (off < ovllen)
			ovlbuf[off] = data[i + 3];
	}
	overlay_seal(ovlbuf, ovllen);
	memcpy(img, base, basesize);
	if (overlay_apply(img, imgcap, &size, ovlbuf, ovllen, why,
	    sizeof(why)) == -1)
		return;
	if (image_check(img, size, why, sizeof(why)) == -1)
		__builtin_trap();
	ask(img, size);
}

/* Serve the checked image and ask; every answer must fit. */
static void
ask(const uint8_t *p, size_t size)
{
	struct answer_info	 ai;
	uint8_t			 q[512];
	char			 why[256];
	size_t			 len, n;
	int			 fd, i, t;
	const uint16_t		 types[] = { DNS_T_A, DNS_T_NSEC3, DNS_T_ANY };

	fd = tz_tmpfd();
	if (pwrite(fd, p, size, 0) != (ssize_t)size)
		err(1, "pwrite");
	if (tz_zones_set("example.com", fd, 2024010101, why,
	    sizeof(why)) == -1) {
		close(fd);
		return;
	}
	close(fd);
	for (i = 0; questions[i] != NULL; i++)
		for (t = 0; t < 3; t++) {
			len = tq_make(q, sizeof(q), questions[i], types[t],
			    NULL);
			memset(&ai, 0, sizeof(ai));
			n = answer_query(q, len, resp, sizeof(resp), 1, NULL, &ai);
			if (n > sizeof(resp))
				__builtin_trap();
		}
	zones_drop("example.com");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	 why[256];
	size_t	 size, i, off;

	if (len < 1 || len - 1 > imgcap)
		return (0);
	if (data[0] == 2) {
		overlay_fuzz(data, len);
		return (0);
	}
	if (data[0] & 1) {
		size = len - 1;
		memcpy(img, data + 1, size);
	} else {
		size = basesize;
		memcpy(img, base, size);
		for (i = 1; i + 4 <= len; i += 4) {
			off = (size_t)data[i] << 16 | data[i + 1] << 8 |
			    data[i + 2];
			if (off < size)
				img[off] = data[i + 3];
		}
	}
	if (image_check(img, size, why, sizeof(why)) == 0)
		ask(img, size);
	(void)image_check_next(base, basesize, img, size, why, sizeof(why));
	return (0);
}
