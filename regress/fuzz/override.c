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
 * ZONE.over (zoned/override.c over_load): the input is the file.  One
 * that loads is written back (over_write) and loaded again: it must come
 * back with as many overrides and the same apex CNAME.  The files live
 * in a directory of their own, the cwd, as zoned's chroot is.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "zoned/override.h"
#include "fuzz.h"

#define ZONE	"example.com"

static char	 dir[64];

static void
cleanup(void)
{
	unlink(ZONE ".over");
	unlink(ZONE ".over.tmp");
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	strlcpy(dir, "/tmp/secd-fuzz-over.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL || chdir(dir) == -1)
		err(1, "%s", dir);
	atexit(cleanup);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct overrides	 o, o2;
	char			 why[256];
	FILE			*f;

	if ((f = fopen(ZONE ".over", "w")) == NULL)
		err(1, "%s.over", ZONE);
	if (fwrite(data, 1, len, f) != len || fclose(f) == EOF)
		err(1, "%s.over", ZONE);
	if (over_load(ZONE, &o, why, sizeof(why)) == -1)
		return (0);
	if (over_write(ZONE, &o, why, sizeof(why)) == -1 ||
	    over_commit(ZONE, why, sizeof(why)) == -1)
		errx(1, "writing back: %s", why);
	if (over_load(ZONE, &o2, why, sizeof(why)) == -1) {
		fprintf(stderr, "written back, it does not load: %s\n", why);
		abort();
	}
	if (o2.n != o.n || o2.apex.set != o.apex.set ||
	    o2.apex.targetlen != o.apex.targetlen) {
		fprintf(stderr, "written back: %zu overrides, apex %d; "
		    "loaded again: %zu, apex %d\n", o.n, o.apex.set, o2.n,
		    o2.apex.set);
		abort();
	}
	over_free(&o);
	over_free(&o2);
	return (0);
}
