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
 * The configuration tests' files: one written, one read back, and
 * parse_config() run with what it says on stderr caught.
 */
#ifndef CONFCAP_H
#define CONFCAP_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <atf-c.h>

#include "config.h"

static inline void
write_file(const char *path, const char *text)
{
	FILE	*f;

	ATF_REQUIRE_MSG((f = fopen(path, "w")) != NULL, "fopen %s", path);
	ATF_REQUIRE(fputs(text, f) != EOF);
	ATF_REQUIRE(fclose(f) == 0);
}

static inline char *
read_file(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 len;

	ATF_REQUIRE_MSG((f = fopen(path, "r")) != NULL, "fopen %s", path);
	ATF_REQUIRE(fseek(f, 0, SEEK_END) == 0);
	len = ftell(f);
	rewind(f);
	ATF_REQUIRE((buf = calloc(1, len + 1)) != NULL);
	ATF_REQUIRE(fread(buf, 1, len, f) == (size_t)len);
	fclose(f);
	return buf;
}

/* parse_config() with its stderr caught in *errs (caller frees). */
static inline struct secd_conf *
parse_capture(const char *path, char **errs)
{
	struct secd_conf	*conf;
	int			 fd, saved;

	fflush(stderr);
	ATF_REQUIRE((saved = dup(STDERR_FILENO)) != -1);
	ATF_REQUIRE((fd = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) != -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) != -1);
	close(fd);
	conf = parse_config(path, 0);
	fflush(stderr);
	ATF_REQUIRE(dup2(saved, STDERR_FILENO) != -1);
	close(saved);
	*errs = read_file("stderr.txt");
	return conf;
}

#endif
