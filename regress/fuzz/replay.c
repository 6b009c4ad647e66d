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
 * The corpus replayer: linked with one fuzz target instead of libFuzzer's
 * main, it hands every file of the directories (or the files) named on
 * the command line to LLVMFuzzerTestOneInput once, so that `make check`
 * and `make check-sanitize` run each target's corpus with the normal
 * compiler.  A crash or a sanitizer report fails the run; the file being
 * replayed is printed first so that the failure names it.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int	replay_file(const char *);
static int	replay_dir(const char *);

static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf;
	struct stat	 st;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1)
		err(1, "%s", path);
	/* one more octet so that an empty file is not malloc(0) */
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		err(1, "%s", path);
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f))
		err(1, "%s", path);
	fclose(f);
	fprintf(stderr, "replay %s (%zu octets)\n", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return (1);
}

static int
replay_dir(const char *dir)
{
	struct dirent	**ents;
	char		  path[1024];
	int		  i, n, done = 0;

	if ((n = scandir(dir, &ents, NULL, alphasort)) == -1)
		err(1, "%s", dir);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			    ents[i]->d_name) >= sizeof(path))
				errx(1, "%s/%s: path too long", dir,
				    ents[i]->d_name);
			done += replay_file(path);
		}
		free(ents[i]);
	}
	free(ents);
	return (done);
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	char		**paths;
	int		 i, done = 0;

	if (argc < 2)
		errx(1, "usage: %s corpus-dir-or-file ...", argv[0]);
	/* absolute: a target may change directory as it sets up */
	if ((paths = calloc(argc, sizeof(*paths))) == NULL)
		err(1, NULL);
	for (i = 1; i < argc; i++)
		if ((paths[i] = realpath(argv[i], NULL)) == NULL)
			err(1, "%s", argv[i]);
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(paths[i], &st) == -1)
			err(1, "%s", paths[i]);
		done += S_ISDIR(st.st_mode) ? replay_dir(paths[i]) :
		    replay_file(paths[i]);
		free(paths[i]);
	}
	free(paths);
	if (done == 0)
		errx(1, "no input replayed");
	printf("%d inputs replayed\n", done);
	return (0);
}
