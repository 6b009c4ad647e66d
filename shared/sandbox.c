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
 * The portable front of the sandbox (see sandbox.h): it checks and records
 * every unveil and the promises, writes the audit trace, and hands the work
 * to pledge(2)/unveil(2) on OpenBSD or to sandbox_linux.c on Linux.
 */
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "secd.h"
#include "sandbox.h"

static unsigned int	 sandbox_parse(const char *);
static void		 sandbox_check_perms(const char *, const char *);
static const char	*sandbox_backend(void);

/* Every promise word secd may use, and its bit for the Linux backend. */
static const struct {
	const char	*word;
	unsigned int	 bit;
} sandbox_words[] = {
	{ "stdio",	SB_STDIO },
	{ "rpath",	SB_RPATH },
	{ "wpath",	SB_WPATH },
	{ "cpath",	SB_CPATH },
	{ "fattr",	SB_FATTR },
	{ "flock",	SB_FLOCK },
	{ "inet",	SB_INET },
	{ "unix",	SB_UNIX },
	{ "dns",	SB_DNS },
	{ "sendfd",	SB_SENDFD },
	{ "recvfd",	SB_RECVFD },
	{ "proc",	SB_PROC },
	{ "exec",	SB_EXEC },
	{ "id",		SB_ID },
	{ "getpw",	SB_GETPW },
};

#define NWORDS	(sizeof(sandbox_words) / sizeof(sandbox_words[0]))

static struct sandbox_unveil_info	 unveils[SANDBOX_MAX_UNVEIL];
static int				 nunveil;
static char				 promises[SANDBOX_PROMISES_LEN];
static int				 pledged;

/* Split promises into words; fatalx() on a word we do not know. */
static unsigned int
sandbox_parse(const char *s)
{
	char		 word[32];
	size_t		 i, len;
	unsigned int	 bits = 0;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		len = strcspn(s, " ");
		if (len >= sizeof(word))
			fatalx("sandbox: unknown promise \"%.*s\"",
			    (int)len, s);
		memcpy(word, s, len);
		word[len] = '\0';
		s += len;
		for (i = 0; i < NWORDS; i++)
			if (strcmp(word, sandbox_words[i].word) == 0)
				break;
		if (i == NWORDS)
			fatalx("sandbox: unknown promise \"%s\"", word);
		bits |= sandbox_words[i].bit;
	}
	return bits;
}

static void
sandbox_check_perms(const char *path, const char *perms)
{
	const char	*p;

	if (strlen(perms) >= sizeof(unveils[0].perms))
		fatalx("sandbox: unveil %s: bad permissions \"%s\"", path,
		    perms);
	for (p = perms; *p != '\0'; p++)
		if (strchr("rwxc", *p) == NULL ||
		    strchr(p + 1, *p) != NULL)
			fatalx("sandbox: unveil %s: bad permissions \"%s\"",
			    path, perms);
}

void
sandbox_unveil(const char *path, const char *perms)
{
	struct sandbox_unveil_info	*u;

	if (pledged)
		fatalx("sandbox: unveil %s after pledge", path);
	if (nunveil == SANDBOX_MAX_UNVEIL)
		fatalx("sandbox: unveil %s: more than %d paths", path,
		    SANDBOX_MAX_UNVEIL);
	sandbox_check_perms(path, perms);
	u = &unveils[nunveil];
	if (strlcpy(u->path, path, sizeof(u->path)) >= sizeof(u->path))
		fatalx("sandbox: unveil %s: path too long", path);
	strlcpy(u->perms, perms, sizeof(u->perms));

	log_debug("sandbox: unveil %s %s", path, perms);
#ifdef __OpenBSD__
	if (unveil(path, perms) == -1)
		fatal("sandbox: unveil %s %s", path, perms);
#elif defined(__linux__)
	sandbox_linux_unveil(path, perms);
#endif
	nunveil++;
}

void
sandbox_pledge(const char *p)
{
	unsigned int	 bits;

	if (pledged)
		fatalx("sandbox: pledge \"%s\": already pledged \"%s\"", p,
		    promises);
	if (strlcpy(promises, p, sizeof(promises)) >= sizeof(promises))
		fatalx("sandbox: pledge: promises too long");
	log_debug("sandbox: pledge \"%s\"", p);
	bits = sandbox_parse(p);
#ifdef __OpenBSD__
	(void)bits;
	/* No unveil at all: like Linux, no filesystem at all. */
	if (nunveil == 0 && unveil("/", "") == -1)
		fatal("sandbox: unveil / \"\"");
	if (unveil(NULL, NULL) == -1)
		fatal("sandbox: unveil lock");
	if (pledge(p, NULL) == -1)
		fatal("sandbox: pledge \"%s\"", p);
#elif defined(__linux__)
	sandbox_linux_pledge(bits);
#else
	(void)bits;
	log_warnx("sandbox: no sandbox on this system; \"%s\" not enforced",
	    p);
#endif
	pledged = 1;
}

static const char *
sandbox_backend(void)
{
#ifdef __OpenBSD__
	return "pledge+unveil";
#elif defined(__linux__)
	return sandbox_linux_backend();
#else
	return "none";
#endif
}

void
sandbox_info(struct ctl_sandbox *sb)
{
	int	 i;

	strlcpy(sb->promises, promises, sizeof(sb->promises));
	strlcpy(sb->backend, sandbox_backend(), sizeof(sb->backend));
	sb->nunveil = nunveil;
	for (i = 0; i < nunveil; i++)
		sb->unveil[i] = unveils[i];
}
