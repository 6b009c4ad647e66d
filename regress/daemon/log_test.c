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
 * shared/log.c's repeat limit: a warning logged again within 10 s is
 * counted, not logged; its next line says how many were not; a line
 * pushed out of the table of recent ones is logged with its count; info
 * and critical lines are never held back.  Lines go to stderr (log_init
 * in the foreground), here a file.
 */
#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static void	 to_file(const char *);
static char	*slurp(const char *);
static int	 count(const char *, const char *);

static void
to_file(const char *path)
{
	int	 fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) !=
	    -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) != -1);
	close(fd);
	log_init(1, LOG_DAEMON);
	log_procinit("test");
}

static char *
slurp(const char *path)
{
	static char	 buf[65536];
	FILE		*f;
	size_t		 n;

	ATF_REQUIRE((f = fopen(path, "r")) != NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* lines of text that contain what */
static int
count(const char *text, const char *what)
{
	const char	*p;
	int		 n = 0;

	for (p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

ATF_TC_WITHOUT_HEAD(repeats_counted);
ATF_TC_BODY(repeats_counted, tc)
{
	char	*out, line[64];
	int	 i;

	to_file("log.out");
	for (i = 0; i < 5; i++)
		log_warnx("zone a.test: primary 192.0.2.1:53: refused");
	for (i = 0; i < 3; i++)
		log_info("zone a.test: serving serial %d", 7);
	for (i = 0; i < 2; i++)
		logit(LOG_CRIT, "serverd 0 (pid 1) killed by signal 9");
	out = slurp("log.out");
	ATF_CHECK_EQ(count(out, "primary 192.0.2.1:53: refused"), 1);
	ATF_CHECK_EQ(count(out, "serving serial 7\n"), 3);
	ATF_CHECK_EQ(count(out, "killed by signal 9\n"), 2);

	/* 32 other warnings push it out: logged with its count */
	for (i = 0; i < 32; i++) {
		snprintf(line, sizeof(line), "zone z%d.test: bad", i);
		log_warnx("%s", line);
	}
	out = slurp("log.out");
	ATF_CHECK_MSG(count(out, "zone a.test: primary 192.0.2.1:53: "
	    "refused [4 more in 0 s, not logged]\n") == 1, "%s", out);
	ATF_CHECK_EQ(count(out, "primary 192.0.2.1:53: refused"), 2);
}

ATF_TC(repeat_after_interval);
ATF_TC_HEAD(repeat_after_interval, tc)
{
	atf_tc_set_md_var(tc, "descr", "a repeat logged 10 s after the line "
	    "says how many were not logged");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(repeat_after_interval, tc)
{
	char	*out;
	int	 i;

	to_file("log.out");
	for (i = 0; i < 3; i++) {
		errno = ECONNREFUSED;
		log_warn("zone b.test: to 192.0.2.2:53");
	}
	sleep(11);
	for (i = 0; i < 2; i++) {
		errno = ECONNREFUSED;
		log_warn("zone b.test: to 192.0.2.2:53");
	}
	out = slurp("log.out");
	ATF_CHECK_EQ(count(out, "zone b.test: to 192.0.2.2:53"), 2);
	ATF_CHECK_MSG(count(out, "not logged]") == 1 &&
	    strstr(out, strerror(ECONNREFUSED)) != NULL &&
	    strstr(out, " [2 more in 1") != NULL, "%s", out);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, repeats_counted);
	ATF_TP_ADD_TC(tp, repeat_after_interval);
	return atf_no_error();
}
