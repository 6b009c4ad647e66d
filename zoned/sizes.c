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
 * secctl show sizes (and metricsd): for each zone served, the records of
 * its stored zone, the bytes of its image on disk (NAME.img and its
 * overlays, NAME.ovl) and the memory of its kept zone, one IMSG_CTL_ZSIZE
 * a zone.  The zones are walked in a paced walk (shared/pace.h) by name,
 * from a copy of the list taken at the request, so that 100,000 zones
 * stream and a reload in between is no matter.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <event.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "config.h"
#include "log.h"
#include "pace.h"
#include "storerec.h"
#include "zoned.h"

struct zsizes {
	struct pace		 pace;
	struct imsgev		*parent;
	uint32_t		 id;
	char			**names;
	size_t			 n, next;
};

static int	sizes_step(void *);
static void	sizes_one(struct zsizes *, const char *);
static uint64_t	sizes_file(const char *, const char *);
static void	sizes_end(struct zsizes *);

void
zoned_show_sizes(struct imsgev *parent, uint32_t id)
{
	const struct zone_conf	*zc;
	struct zsizes		*w;
	size_t			 n = 0;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal(NULL);
	w->parent = parent;
	w->id = id;
	TAILQ_FOREACH(zc, &zoned_conf()->zones, entry)
		n++;
	if (n > 0 && (w->names = calloc(n, sizeof(*w->names))) == NULL)
		fatal(NULL);
	TAILQ_FOREACH(zc, &zoned_conf()->zones, entry)
		if ((w->names[w->n++] = strdup(zc->name)) == NULL)
			fatal(NULL);
	pace_start(&w->pace, parent, sizes_step, w);
}

/* A walk's next zones (shared/pace.h); 1 once it is done. */
static int
sizes_step(void *arg)
{
	struct zsizes	*w = arg;
	size_t		 k;

	for (k = 0; w->next < w->n && k < PACE_STEP; w->next++, k++)
		sizes_one(w, w->names[w->next]);
	if (w->next < w->n)
		return 0;
	sizes_end(w);
	return 1;
}

/* A zone served: its sizes; one not served (no data yet): nothing. */
static void
sizes_one(struct zsizes *w, const char *zone)
{
	struct ctl_zsize	 zs;
	struct zzone		*z;

	if ((z = zone_find(zone)) == NULL)
		return;
	memset(&zs, 0, sizeof(zs));
	strlcpy(zs.zone, zone, sizeof(zs.zone));
	zs.records = z->records;
	zs.image_bytes = sizes_file(zone, ".img") + sizes_file(zone, ".ovl");
	zs.kept_bytes = builder_bytes(z->kept);
	if (iev_compose(w->parent, IMSG_CTL_ZSIZE, w->id, 0, -1, &zs,
	    sizeof(zs)) == -1)
		fatal("%s", __func__);
}

static uint64_t
sizes_file(const char *zone, const char *suffix)
{
	struct stat	 st;
	char		 path[PATH_MAX];

	if (store_path(zone, suffix, path, sizeof(path)) == -1 ||
	    stat(path, &st) == -1)
		return 0;
	return st.st_size;
}

static void
sizes_end(struct zsizes *w)
{
	size_t	 i;

	child_result(w->parent, w->id, 0, "%s", "");
	for (i = 0; i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	free(w);
}
