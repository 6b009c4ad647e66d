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
 * a zone.  The zones are walked SIZES_STEP a turn of the event loop while
 * the channel to the parent holds fewer than SIZES_QUEUE messages, by
 * name from a copy of the list taken at the request, so that 100,000
 * zones stream and a reload in between is no matter.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <event.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "config.h"
#include "log.h"
#include "storerec.h"
#include "zoned.h"

#define SIZES_STEP	256
#define SIZES_QUEUE	512

struct zsizes {
	TAILQ_ENTRY(zsizes)	 entry;
	struct imsgev		*parent;
	uint32_t		 id;
	char			**names;
	size_t			 n, next;
};

static TAILQ_HEAD(, zsizes) walks = TAILQ_HEAD_INITIALIZER(walks);
static struct event	 ev_sizes;
static int		 ev_sizes_set;

static void	sizes_step(int, short, void *);
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
	TAILQ_INSERT_TAIL(&walks, w, entry);
	if (!ev_sizes_set) {
		evtimer_set(&ev_sizes, sizes_step, NULL);
		ev_sizes_set = 1;
	}
	if (!evtimer_pending(&ev_sizes, NULL))
		sizes_step(0, 0, NULL);
}

static void
sizes_step(int fd, short event, void *arg)
{
	struct timeval	 now = { 0, 0 }, wait = { 0, 1000 };
	struct zsizes	*w, *t;
	size_t		 k;
	int		 waiting = 0;

	TAILQ_FOREACH_SAFE(w, &walks, entry, t) {
		if (imsgbuf_queuelen(&w->parent->ibuf) > SIZES_QUEUE) {
			waiting = 1;
			continue;
		}
		for (k = 0; w->next < w->n && k < SIZES_STEP; w->next++, k++)
			sizes_one(w, w->names[w->next]);
		iev_add(w->parent);
		if (w->next == w->n)
			sizes_end(w);
	}
	if (!TAILQ_EMPTY(&walks))
		evtimer_add(&ev_sizes, waiting ? &wait : &now);
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
	TAILQ_REMOVE(&walks, w, entry);
	for (i = 0; i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	free(w);
}
