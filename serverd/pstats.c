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
 * Answers with proxy addresses (show stats): for each zone and name
 * flagged IMG_N_PROXY, the A, AAAA and ANY queries answered from its own
 * table (a query reaching it through a CNAME counts for the name asked).
 * Keyed by the zone and the name's wire form, not by image: a name keeps
 * its count across rebuilds.  Open addressing, grown at half full.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "fnv.h"
#include "image.h"
#include "log.h"
#include "serverd.h"
#include "zones.h"

struct pstat {
	char			 zone[DNS_MAXNAMESTR];	/* "": empty slot */
	uint8_t			 name[DNS_MAXNAME];
	uint8_t			 len;
	uint64_t		 answers;
};

static struct pstat	*tab;
static size_t		 cap, used;

static uint32_t	pstat_hash(const char *, const uint8_t *, size_t);
static struct pstat *pstat_slot(struct pstat *, size_t, const char *,
		    const uint8_t *, size_t);
static int	pstat_grow(void);

/* FNV-1a of the zone and the name (lower case in the image). */
static uint32_t
pstat_hash(const char *zone, const uint8_t *name, size_t len)
{
	return fnv_add(fnv_add(FNV_BASIS, zone, strlen(zone)), name, len);
}

/* The entry of (zone, name) in t, or the empty slot it goes to. */
static struct pstat *
pstat_slot(struct pstat *t, size_t n, const char *zone, const uint8_t *name,
    size_t len)
{
	size_t	 i = pstat_hash(zone, name, len) & (n - 1);

	for (;; i = (i + 1) & (n - 1))
		if (t[i].zone[0] == '\0' || (t[i].len == len &&
		    memcmp(t[i].name, name, len) == 0 &&
		    strcmp(t[i].zone, zone) == 0))
			return &t[i];
}

static int
pstat_grow(void)
{
	struct pstat	*t, *s;
	size_t		 n = cap ? cap * 2 : 64, i;

	if ((t = calloc(n, sizeof(*t))) == NULL)
		return -1;
	for (i = 0; i < cap; i++) {
		if (tab[i].zone[0] == '\0')
			continue;
		s = pstat_slot(t, n, tab[i].zone, tab[i].name, tab[i].len);
		*s = tab[i];
	}
	free(tab);
	tab = t;
	cap = n;
	return 0;
}

void
pstat_count(const struct served_zone *z, const struct image_name *n)
{
	const uint8_t	*name = image_name_bytes(n);
	struct pstat	*p;

	if ((used + 1) * 2 > cap && pstat_grow() == -1)
		return;			/* out of memory: not counted */
	p = pstat_slot(tab, cap, z->conf->name, name, n->namelen);
	if (p->zone[0] == '\0') {
		strlcpy(p->zone, z->conf->name, sizeof(p->zone));
		memcpy(p->name, name, n->namelen);
		p->len = n->namelen;
		used++;
	}
	p->answers++;
}

/* One IMSG_CTL_PROXYSTAT per name counted, for request id. */
void
pstat_send(struct imsgev *parent, uint32_t id)
{
	struct ctl_proxystat	 ps;
	size_t			 i;

	for (i = 0; i < cap; i++) {
		if (tab[i].zone[0] == '\0')
			continue;
		memset(&ps, 0, sizeof(ps));
		strlcpy(ps.zone, tab[i].zone, sizeof(ps.zone));
		if (dns_name_to_text(tab[i].name, tab[i].len, ps.name,
		    sizeof(ps.name)) == -1)
			continue;
		ps.answers = tab[i].answers;
		if (iev_compose(parent, IMSG_CTL_PROXYSTAT, id, 0, -1, &ps,
		    sizeof(ps)) == -1)
			fatal("%s", __func__);
	}
}
