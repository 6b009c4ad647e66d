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
 * A stored zone (zoned/store.c store_load, store_parse) and what zoned
 * does with one that loads: the builder (zoned/builder.c) makes an image
 * of its records, and that image must pass image_check (shared/image.c),
 * since serverd trusts what passes it; and the records read as those of
 * a catalog zone (zoned/catalog.c).  The input is the records part
 * after the header; the header (magic, version, byte order, the length)
 * is written here, the record count from the input's first 4 octets.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dns.h"
#include "image.h"
#include "zoned/store.h"
#include "zoned/builder.h"
#include "zoned/zoned.h"
#include "fuzz.h"

static char	 path[64], ipath[64];

static void
cleanup(void)
{
	unlink(path);
	unlink(ipath);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	strlcpy(path, "/tmp/secd-fuzz-store.XXXXXX", sizeof(path));
	strlcpy(ipath, "/tmp/secd-fuzz-image.XXXXXX", sizeof(ipath));
	if ((fd = mkstemp(path)) == -1)
		err(1, "mkstemp");
	close(fd);
	if ((fd = mkstemp(ipath)) == -1)
		err(1, "mkstemp");
	close(fd);
	atexit(cleanup);
	return (0);
}

/* Build the loaded records; an image built must check. */
static void
build(const struct stored_zone *sz)
{
	struct stat	 st;
	void		*img;
	char		 why[256];
	int		 fd;

	if ((fd = open(ipath, O_RDWR | O_TRUNC)) == -1)
		err(1, "%s", ipath);
	if (builder_build(&sz->src, NULL, fd, NULL, why, sizeof(why)) == 0) {
		if (fstat(fd, &st) == -1)
			err(1, "%s", ipath);
		img = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (img == MAP_FAILED)
			err(1, "mmap");
		if (image_check(img, st.st_size, why, sizeof(why)) == -1) {
			fprintf(stderr, "built image fails its check: %s\n",
			    why);
			abort();
		}
		munmap(img, st.st_size);
	}
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct store_header	 h;
	struct stored_zone	 sz;
	struct cat_new		*nv;
	size_t			 n;
	uint32_t		 nrec;
	char			 why[256];
	FILE			*f;

	if (len < 4)
		return (0);
	nrec = (uint32_t)data[0] << 24 | data[1] << 16 | data[2] << 8 |
	    data[3];
	store_header_init(&h, 2024010101, 0);
	h.records = nrec;
	h.bytes = len - 4;
	if ((f = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	if (fwrite(&h, sizeof(h), 1, f) != 1 ||
	    fwrite(data + 4, 1, len - 4, f) != len - 4 || fclose(f) == EOF)
		err(1, "%s", path);
	if (store_load("example.com", path, &sz, why, sizeof(why)) == -1)
		return (0);
	build(&sz);
	/* and read as a catalog zone (zoned/catalog.c) */
	if (catalog_parse("example.com", &sz, &nv, &n, why,
	    sizeof(why)) == 0)
		catalog_parse_free(nv, n);
	store_unload(&sz);
	return (0);
}
