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
 * One read interface over a zone's transferred records, for the requests
 * that look at a zone before they change it (secctl(8) proxy and apex):
 * its kept zone (builder.h) when it has one, else the stored zone
 * (NAME.zone), loaded.  Both hold the same records: a change commits the
 * stored zone and updates the kept one together (change.c).  The records
 * a view gives are the transferred ones, as the primary has them, never
 * what the merge with the overrides made.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "log.h"
#include "override.h"
#include "store.h"
#include "zoned.h"

static int	view_load(struct zview *, char *, size_t);

/*
 * The view of zone for request id: 0, or -1 once the request is answered
 * with why the zone has no records.
 */
int
view_request(struct zview *v, struct imsgev *parent, uint32_t id,
    const char *zone)
{
	char		 path[PATH_MAX], err[SECD_MSGLEN];
	struct stat	 st;

	memset(v, 0, sizeof(*v));
	strlcpy(v->zone, zone, sizeof(v->zone));
	if ((v->kept = zone_kept(zone)) != NULL)
		return 0;
	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    stat(path, &st) == -1) {
		child_result(parent, id, 1, "zone %s has no data yet", zone);
		return -1;
	}
	if (view_load(v, err, sizeof(err)) == -1) {
		child_result(parent, id, 1, "zone %s: stored data not usable, "
		    "nothing changed: %s", zone, err);
		return -1;
	}
	return 0;
}

/*
 * The overrides of zone for request id, which changes them: 0, or -1 once
 * the request is answered with what is wrong with NAME.over and what to
 * do.
 */
int
view_overrides(struct imsgev *parent, uint32_t id, const char *zone,
    struct overrides *o)
{
	char	 err[SECD_MSGLEN];

	if (over_load(zone, o, err, sizeof(err)) == 0)
		return 0;
	child_result(parent, id, 1, "zone %s: nothing changed: %s; repair or "
	    "remove that file in the database directory (secd(8), THE "
	    "DATABASE)", zone, err);
	return -1;
}

static int
view_load(struct zview *v, char *err, size_t errlen)
{
	if (v->loaded)
		return 0;
	if (store_zone(v->zone, NULL, NULL, &v->sz, err, errlen) == -1)
		return -1;
	v->loaded = 1;
	return 0;
}

/*
 * The transferred records at name, valid until the next call: 0, or -1
 * when out of memory.
 */
int
view_owner(struct zview *v, const uint8_t *name, size_t len,
    const struct zrr **rrs, size_t *n)
{
	const struct zone_src	*src = &v->sz.src;
	uint8_t			 lname[DNS_MAXNAME];
	size_t			 i, k;

	free(v->rrs);
	v->rrs = NULL;
	v->nrr = 0;
	if (v->kept != NULL) {
		memcpy(lname, name, len);
		dns_name_lower(lname, len);
		if (builder_owner(v->kept, lname, len, &v->rrs, &k) == -1)
			return -1;
		v->nrr = merge_transferred(v->rrs, k);
	} else {
		for (i = k = 0; i < src->nrr; i++)
			k += dns_name_equal(src->rrs[i].owner,
			    src->rrs[i].ownerlen, name, len);
		if ((v->rrs = calloc(k + 1, sizeof(*v->rrs))) == NULL)
			return -1;
		for (i = 0; i < src->nrr; i++)
			if (dns_name_equal(src->rrs[i].owner,
			    src->rrs[i].ownerlen, name, len))
				v->rrs[v->nrr++] = src->rrs[i];
	}
	*rrs = v->rrs;
	*n = v->nrr;
	return 0;
}

/* 1 if name is at or below a zone cut, its name in cut (wire form). */
int
view_cut(struct zview *v, const uint8_t *name, size_t len, uint8_t *cut,
    size_t *cutlen)
{
	const struct zone_src	*src = &v->sz.src;
	const struct zrr	*r;
	size_t			 i;

	if (v->kept != NULL)
		return builder_cut(v->kept, name, len, cut, cutlen);
	for (i = 0; i < src->nrr; i++) {
		r = &src->rrs[i];
		if (r->type == DNS_T_NS && !dns_name_equal(r->owner,
		    r->ownerlen, src->apex, src->apexlen) &&
		    dns_name_subdomain(name, len, r->owner, r->ownerlen)) {
			memcpy(cut, r->owner, r->ownerlen);
			*cutlen = r->ownerlen;
			return 1;
		}
	}
	return 0;
}

/* Whether the zone carries DNSSEC records (RRSIG, DNSKEY). */
int
view_signed(struct zview *v)
{
	return v->kept != NULL ? builder_signed(v->kept) :
	    merge_signed(&v->sz.src);
}

const uint8_t *
view_apex(struct zview *v, size_t *len)
{
	if (v->kept != NULL)
		return builder_apex(v->kept, len);
	*len = v->sz.src.apexlen;
	return v->sz.src.apex;
}

uint32_t
view_serial(struct zview *v)
{
	return v->kept != NULL ? builder_serial(v->kept) : v->sz.hdr.serial;
}

/*
 * Where the CNAME chain from target ends in the transferred records
 * (flatten.c): 0, or -1 when out of memory.
 */
int
view_walk(struct zview *v, const uint8_t *target, size_t len,
    struct walk *w)
{
	if (v->kept != NULL)
		return merge_walk_kept(v->kept, target, len, w);
	merge_walk(&v->sz.src, target, len, w);
	return 0;
}

/*
 * Every transferred record, in the order of the stored zone (the stored
 * zone is loaded for it when the view is of the kept zone); NULL with err
 * when it cannot be read.
 */
const struct zone_src *
view_records(struct zview *v, char *err, size_t errlen)
{
	if (view_load(v, err, errlen) == -1)
		return NULL;
	return &v->sz.src;
}

void
view_close(struct zview *v)
{
	free(v->rrs);
	if (v->loaded)
		store_unload(&v->sz);
	memset(v, 0, sizeof(*v));
}
