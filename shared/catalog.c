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
 * A catalog zone's member file (catalog.h): read it, and make its
 * members zones of a configuration.  The parent's one way of adding and
 * removing catalog members, at start, at a reload and when zoned wrote a
 * new file.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "fnv.h"
#include "log.h"
#include "storerec.h"

#define CATALOG_MAXFILE		(512 * 1024 * 1024)

static int	catalog_parse(struct cat_file *, size_t, char *, size_t);
static int	catalog_line(char *, struct cat_member *);
static int	catalog_cmp(const void *, const void *);
static const struct conf_tmpl *catalog_tmpl(const struct secd_conf *,
		    const char *);

/* An ID or a group: 1 to 64 printable characters, no space, '#', '\'. */
int
catalog_word_ok(const char *s)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (s[n] <= ' ' || s[n] > '~' || s[n] == '#' || s[n] == '\\')
			return 0;
	return n > 0 && n <= CATALOG_IDLEN;
}

/*
 * Read the member file at path into cf.  0; -1 with errno kept and the
 * reason in err (ENOENT: there is none).
 */
int
catalog_read(const char *path, struct cat_file *cf, char *err, size_t len)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd, saved;

	memset(cf, 0, sizeof(*cf));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		saved = errno;
		snprintf(err, len, "%s: %s", path, strerror(errno));
		errno = saved;
		return -1;
	}
	if (fstat(fd, &st) == -1 || st.st_size > CATALOG_MAXFILE ||
	    (cf->buf = malloc(st.st_size + 1)) == NULL) {
		saved = errno ? errno : EFBIG;
		snprintf(err, len, "%s: cannot read it whole", path);
		close(fd);
		errno = saved;
		return -1;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, cf->buf + got, st.st_size - got)) > 0)
		got += n;
	close(fd);
	if (got != (size_t)st.st_size) {
		snprintf(err, len, "%s: short read", path);
		catalog_free(cf);
		errno = EIO;
		return -1;
	}
	cf->buf[got] = '\0';
	if (catalog_parse(cf, got, err, len) == -1) {
		/* the reason names the line; the path goes before it */
		char	 why[SECD_MSGLEN];

		strlcpy(why, err, sizeof(why));
		snprintf(err, len, "%s:%s", path, why);
		catalog_free(cf);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* The lines of cf->buf (len bytes) into cf->v. */
static int
catalog_parse(struct cat_file *cf, size_t len, char *err, size_t errlen)
{
	char		*p = cf->buf, *nl;
	size_t		 lines = 0, i, line = 1;
	unsigned int	 version, serial;
	char		 again[64];
	int		 end;

	if (memchr(cf->buf, '\0', len) != NULL) {
		snprintf(err, errlen, "1: a NUL byte");
		return -1;
	}
	for (i = 0; i < len; i++)
		if (cf->buf[i] == '\n')
			lines++;
	if (len == 0 || cf->buf[len - 1] != '\n' ||
	    (nl = strchr(p, '\n')) == NULL) {
		snprintf(err, errlen, "%zu: not whole", lines + 1);
		return -1;
	}
	*nl = '\0';
	end = 0;
	/* printed again, the same line: no sign, no leading zero */
	if (sscanf(p, "secd catalog %u serial %u%n", &version, &serial,
	    &end) != 2 || p[end] != '\0' || version != CATALOG_VERSION ||
	    snprintf(again, sizeof(again), "secd catalog %u serial %u",
	    version, serial) < 0 || strcmp(again, p) != 0) {
		snprintf(err, errlen, "1: not \"secd catalog %d serial "
		    "SERIAL\"", CATALOG_VERSION);
		return -1;
	}
	cf->serial = serial;
	if ((cf->v = calloc(lines, sizeof(*cf->v))) == NULL) {
		snprintf(err, errlen, "1: %s", strerror(errno));
		return -1;
	}
	for (p = nl + 1; *p != '\0'; p = nl + 1) {
		line++;
		nl = strchr(p, '\n');
		*nl = '\0';
		if (catalog_line(p, &cf->v[cf->n]) == -1) {
			snprintf(err, errlen, "%zu: not \"MEMBER ID GROUP "
			    "COO\"", line);
			return -1;
		}
		if (cf->n > 0 && strcmp(cf->v[cf->n - 1].name,
		    cf->v[cf->n].name) >= 0) {
			snprintf(err, errlen, "%zu: %s not after %s (members "
			    "in order, each once)", line, cf->v[cf->n].name,
			    cf->v[cf->n - 1].name);
			return -1;
		}
		cf->n++;
	}
	return 0;
}

/* "MEMBER ID GROUP COO", each checked, into m. */
static int
catalog_line(char *p, struct cat_member *m)
{
	char	*f[4], norm[SECD_CONFNAMELEN];
	int	 i;

	for (i = 0; i < 4; i++) {
		f[i] = p;
		if ((p = strchr(p, ' ')) != NULL)
			*p++ = '\0';
		else if (i < 3)
			return -1;
	}
	if (p != NULL)
		return -1;
	m->name = f[0];
	m->id = f[1];
	m->group = strcmp(f[2], "-") == 0 ? NULL : f[2];
	m->coo = strcmp(f[3], "-") == 0 ? NULL : f[3];
	if (dname_normalize(m->name, norm, sizeof(norm)) == -1 ||
	    strcmp(norm, m->name) != 0 || !catalog_word_ok(m->id) ||
	    (m->group != NULL && !catalog_word_ok(m->group)))
		return -1;
	if (m->coo != NULL && (dname_normalize(m->coo, norm,
	    sizeof(norm)) == -1 || strcmp(norm, m->coo) != 0))
		return -1;
	return 0;
}

void
catalog_free(struct cat_file *cf)
{
	free(cf->v);
	free(cf->buf);
	memset(cf, 0, sizeof(*cf));
}

static int
catalog_cmp(const void *key, const void *m)
{
	return strcmp(key, ((const struct cat_member *)m)->name);
}

/* The member of that name, or NULL (the file is in order: a search). */
const struct cat_member *
catalog_find(const struct cat_file *cf, const char *name)
{
	return bsearch(name, cf->v, cf->n, sizeof(*cf->v), catalog_cmp);
}

static const struct conf_tmpl *
catalog_tmpl(const struct secd_conf *conf, const char *name)
{
	size_t	 i;

	for (i = 0; i < conf->ntmpls; i++)
		if (strcmp(conf->tmpls[i].name, name) == 0)
			return &conf->tmpls[i];
	return NULL;
}

/*
 * The members of catalog zone cat in conf become those of its member
 * file: the ones it had leave, each one of the file joins with the
 * settings of the template its group names (none: the catalog's
 * "catalog template").  A member that is already a zone of conf, or
 * whose group names no template, is refused and logged.  No file: no
 * members.  A file that cannot be read changes nothing.  With reset
 * non-NULL, a member whose ID changed (RFC 9432: a reset; zoned dropped
 * its data) is left out and counted in *reset, so that the children see
 * it leave; the caller sends that configuration, then calls again with
 * NULL, and they see it come back as a new zone.  Returns the number of
 * members, or -1.
 */
int
catalog_members(struct secd_conf *conf, struct zone_conf *cat, int *reset)
{
	struct cat_file		 cf;
	struct zone_conf	*z, *t;
	const struct conf_tmpl	*tm;
	const struct zone_opts	*o;
	char			 file[PATH_MAX], path[PATH_MAX];
	char			 err[SECD_MSGLEN];
	size_t			 i;
	int			 n = 0;

	if (store_path(cat->name, CATALOG_SUFFIX, file, sizeof(file)) == -1 ||
	    snprintf(path, sizeof(path), "%s/%s", conf->database, file) >=
	    (int)sizeof(path)) {
		log_warnx("catalog %s: the path of its member file is too "
		    "long", cat->name);
		return -1;
	}
	if (catalog_read(path, &cf, err, sizeof(err)) == -1 &&
	    errno != ENOENT) {
		log_warnx("catalog %s: %s; its members stay as they were "
		    "(zoned writes the file again at the catalog's next "
		    "serial, or at its next start)", cat->name, err);
		return -1;
	}
	if (reset != NULL)
		*reset = 0;
	for (i = 0; reset != NULL && i < cf.n; i++)
		if ((z = config_zone(conf, cf.v[i].name)) != NULL &&
		    z->owner == cat && z->idhash != fnv_add(FNV_BASIS,
		    cf.v[i].id, strlen(cf.v[i].id))) {
			(*reset)++;
			cf.v[i].name = NULL;	/* left out this time */
		}
	TAILQ_FOREACH_SAFE(z, &conf->zones, entry, t)
		if (z->owner == cat) {
			nametab_del(&conf->zindex, z);
			TAILQ_REMOVE(&conf->zones, z, entry);
			free(z);
		}
	for (i = 0; i < cf.n; i++) {
		if (cf.v[i].name == NULL)
			continue;
		if ((z = config_zone(conf, cf.v[i].name)) != NULL) {
			log_warnx("zone %s of catalog %s: refused: %s%s",
			    cf.v[i].name, cat->name, z->owner != NULL ?
			    "a member of catalog " : "configured in ",
			    z->owner != NULL ? z->owner->name : conf->file);
			continue;
		}
		o = conf->opts[cat->opts->catalog - 1];
		if (cf.v[i].group != NULL) {
			if ((tm = catalog_tmpl(conf, cf.v[i].group)) == NULL) {
				log_warnx("zone %s of catalog %s: refused: "
				    "its group \"%s\" names no template",
				    cf.v[i].name, cat->name, cf.v[i].group);
				continue;
			}
			o = conf->opts[tm->opts];
		}
		if ((z = config_zone_new(cf.v[i].name, o)) == NULL ||
		    nametab_add(&conf->zindex, z) == -1)
			fatal("%s", __func__);
		z->owner = cat;
		z->idhash = fnv_add(FNV_BASIS, cf.v[i].id, strlen(cf.v[i].id));
		TAILQ_INSERT_TAIL(&conf->zones, z, entry);
		n++;
	}
	catalog_free(&cf);
	return n;
}

/* The members of every catalog zone of conf, in its order. */
void
catalog_members_all(struct secd_conf *conf)
{
	struct zone_conf	*z;

	TAILQ_FOREACH(z, &conf->zones, entry)
		if (z->owner == NULL && z->opts->catalog != 0)
			(void)catalog_members(conf, z, NULL);
}
