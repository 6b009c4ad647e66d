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
 * A catalog's member file (shared/catalog.h): read field by field, and
 * every malformed one refused with its line.
 */
#include <errno.h>
#include <string.h>

#include <atf-c.h>

#include "catalog.h"
#include "regress/lib/confcap.h"

ATF_TC_WITHOUT_HEAD(file_is_read);
ATF_TC_BODY(file_is_read, tc)
{
	struct cat_file	 cf;
	char		 err[SECD_MSGLEN];

	write_file("x.cat", "secd catalog 1 serial 4294967295\n"
	    "a.test id1 - -\n"
	    "b.test Z_9-x grp other.test\n");
	ATF_REQUIRE_MSG(catalog_read("x.cat", &cf, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(cf.serial, 4294967295U);
	ATF_REQUIRE_EQ(cf.n, 2);
	ATF_CHECK_STREQ(cf.v[0].name, "a.test");
	ATF_CHECK_STREQ(cf.v[0].id, "id1");
	ATF_CHECK(cf.v[0].group == NULL && cf.v[0].coo == NULL);
	ATF_CHECK_STREQ(cf.v[1].id, "Z_9-x");
	ATF_CHECK_STREQ(cf.v[1].group, "grp");
	ATF_CHECK_STREQ(cf.v[1].coo, "other.test");
	ATF_CHECK(catalog_find(&cf, "b.test") == &cf.v[1]);
	ATF_CHECK(catalog_find(&cf, "c.test") == NULL);
	catalog_free(&cf);

	write_file("x.cat", "secd catalog 1 serial 0\n");
	ATF_REQUIRE(catalog_read("x.cat", &cf, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(cf.n, 0);
	catalog_free(&cf);

	ATF_CHECK(catalog_read("none.cat", &cf, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENOENT);
}

/* the first line of a good file */
#define H	"secd catalog 1 serial 1\n"

ATF_TC_WITHOUT_HEAD(bad_files_refused);
ATF_TC_BODY(bad_files_refused, tc)
{
	static const struct {
		const char	*text;
		const char	*why;
	} bad[] = {
		{ "", "x.cat:1: not whole" },
		{ "secd catalog 1 serial 1", "x.cat:1: not whole" },
		{ "secd catalog 2 serial 1\n", "x.cat:1: not \"secd catalog" },
		{ "secd catalog 1 serial\n", "x.cat:1: not" },
		{ "secd catalog 1 serial 1 more\n", "x.cat:1: not" },
		{ H "a.test id - -", "x.cat:2: not whole" },
		{ H "a.test id -\n", "x.cat:2: not" },
		{ H "a.test id - - x\n", "x.cat:2: not" },
		{ H "A.test id - -\n", "x.cat:2: not" },
		{ H "a..test id - -\n", "x.cat:2: not" },
		{ H "a.test. id - -\n", "x.cat:2: not" },
		{ H "a.test i#d - -\n", "x.cat:2: not" },
		{ H "a.test id g\\ -\n", "x.cat:2: not" },
		{ H "a.test id - b!d\n", "x.cat:2: not" },
		{ H "\n", "x.cat:2: not" },
		{ H "a.test id - -\nb.test  id - -\n", "x.cat:3: not" },
		{ H "b.test id - -\na.test id - -\n", "x.cat:3: a.test not" },
		{ H "a.test id - -\na.test id2 - -\n", "x.cat:3: a.test not" },
		{ "secd catalog 1 serial -1\n", "x.cat:1: not" },
		{ "secd catalog 1 serial 007\n", "x.cat:1: not" },
		{ H "a.test "
		    "i2345678901234567890123456789012345678901234567890123456"
		    "789012345 - -\n", "x.cat:2: not" },
	};
	struct cat_file	 cf;
	char		 err[SECD_MSGLEN];
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file("x.cat", bad[i].text);
		ATF_CHECK_MSG(catalog_read("x.cat", &cf, err,
		    sizeof(err)) == -1, "accepted: %s", bad[i].text);
		ATF_CHECK_MSG(strncmp(err, bad[i].why, strlen(bad[i].why)) ==
		    0, "%s: \"%s\", expected \"%s\"", bad[i].text, err,
		    bad[i].why);
		ATF_CHECK(cf.v == NULL && cf.buf == NULL);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, file_is_read);
	ATF_TP_ADD_TC(tp, bad_files_refused);
	return atf_no_error();
}
