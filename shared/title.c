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
 * Process titles ("secd: xfrd" in ps).  OpenBSD has setproctitle(3).  On
 * Linux the title is written over the argv strings, and over the
 * environment strings that follow them (moved to the heap first): the
 * kernel shows the area up to the first NUL when the byte at the end of
 * the original argv is not NUL, so that byte is kept non-NUL.  libbsd's
 * setproctitle pads with visible characters; this one does not.
 */
#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

#ifdef __linux__
extern char	**environ;

static char	*title_base;	/* argv[0] */
static char	*title_argend;	/* the NUL ending the last argv string */
static char	*title_end;	/* one past the last usable byte */

void
proc_title_init(int argc, char *argv[])
{
	char	**env, *end;
	int	  i, n;

	if (argc < 1 || argv[0] == NULL)
		return;
	end = argv[0] + strlen(argv[0]);
	for (i = 1; i < argc; i++) {
		if (argv[i] != end + 1)
			break;
		end = argv[i] + strlen(argv[i]);
	}
	title_argend = end;
	for (n = 0; environ[n] != NULL; n++)
		;
	if ((env = calloc(n + 1, sizeof(*env))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (environ[i] == end + 1)
			end = environ[i] + strlen(environ[i]);
		if ((env[i] = strdup(environ[i])) == NULL)
			return;
	}
	environ = env;
	title_base = argv[0];
	title_end = end;
}

void
proc_settitle(const char *fmt, ...)
{
	char	 buf[128];
	va_list	 ap;
	size_t	 len;

	if (title_base == NULL || title_end - title_base < 2)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = title_end - title_base;
	memset(title_base, 0, len);
	/* len - 1: the last byte stays NUL whatever is marked below */
	(void)snprintf(title_base, len - 1, "secd: %s", buf);
	/* the kernel's mark of a rewritten title; past the first NUL */
	if (title_argend > title_base + strlen(title_base))
		*title_argend = ' ';
}
#else
void
proc_title_init(int argc, char *argv[])
{
}

void
proc_settitle(const char *fmt, ...)
{
	char	 buf[128];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	setproctitle("%s", buf);
}
#endif
