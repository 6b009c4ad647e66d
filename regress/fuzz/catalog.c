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
 * A catalog zone's member file (shared/catalog.c catalog_read), as the
 * parent reads it from the database: the input is the file.  Whatever
 * it reads must be what catalog.h says a member is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cat_file	 cf;
	char		 why[SECD_MSGLEN], norm[SECD_CONFNAMELEN];
	size_t		 i;

	if (catalog_read(fuzz_input(data, len), &cf, why, sizeof(why)) == -1)
		return (0);
	for (i = 0; i < cf.n; i++)
		if (dname_normalize(cf.v[i].name, norm, sizeof(norm)) == -1 ||
		    strcmp(norm, cf.v[i].name) != 0 ||
		    !catalog_word_ok(cf.v[i].id) ||
		    (cf.v[i].group != NULL &&
		    !catalog_word_ok(cf.v[i].group)) ||
		    catalog_find(&cf, cf.v[i].name) == NULL)
			abort();
	catalog_free(&cf);
	return (0);
}
