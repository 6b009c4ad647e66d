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
 * The zones a serverd serves, in a hash table keyed by the lower-case
 * wire name.  An image replaces the previous one of its zone only after
 * image_check() accepted it; serverd is single-threaded, so swapping the
 * pointer and freeing the old image is atomic for the query path.
 *
 * A small image (IMAGE_SMALL) is read into serverd's memory, so nobody
 * can change what was checked; an overlay grows that copy (realloc(3))
 * and is applied to it.  A larger image, a sealed copy nobody can change
 * (sealed.h), is mapped at the start of a range reserved for its
 * overlays (IMAGE_RESERVE): an overlay, read into serverd's memory so
 * that nobody can change it under the check, is applied in place, in
 * pages that become serverd's own, checked, and undone if the check
 * fails.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "image.h"
#include "log.h"
#include "sealed.h"
#include "secd.h"
#include "zones.h"

#define ZONES_MINBUCKETS	64

static struct served_zone **buckets;
static size_t		 nbuckets;
static size_t		 nzones;
static int		 maxlabels;	/* of the deepest zone name */
static uint8_t		 zkey[IMAGE_HASH_KEYLEN];

static int	zone_wire(const char *, uint8_t *, size_t *);
static struct served_zone **zone_slot(const uint8_t *, size_t);
static struct served_zone *zone_get(const char *);
static int	zone_grow(void);
static struct served_zone *zone_add(const uint8_t *, size_t);
static void	zone_unmap(struct served_zone *);
static void	zone_labels(void);
static size_t	zone_cap(size_t);
static int	zone_protect(struct served_zone *, size_t, int);
static int	zone_grow_heap(struct served_zone *, size_t);
static uint8_t	*zone_read(int, off_t, size_t, char *, size_t);

/* The lower-case wire form of a zone name from the configuration. */
static int
zone_wire(const char *text, uint8_t *name, size_t *len)
{
	if (*text == '\0')
		text = ".";
	if (dns_name_from_text(text, name, len) == -1)
		return (-1);
	dns_name_lower(name, *len);
	return (0);
}

/* Where the zone of a lower-case wire name is, or would be linked. */
static struct served_zone **
zone_slot(const uint8_t *name, size_t len)
{
	struct served_zone	**zp;

	if (nbuckets == 0)
		return (NULL);
	zp = &buckets[image_hash(zkey, name, len) & (nbuckets - 1)];
	for (; *zp != NULL; zp = &(*zp)->next)
		if ((*zp)->namelen == len && memcmp((*zp)->name, name,
		    len) == 0)
			break;
	return (zp);
}

static struct served_zone *
zone_get(const char *text)
{
	struct served_zone	**zp;
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;

	if (zone_wire(text, name, &len) == -1 ||
	    (zp = zone_slot(name, len)) == NULL)
		return (NULL);
	return (*zp);
}

static int
zone_grow(void)
{
	struct served_zone	**nb, *z, *next;
	size_t			 n, i, h;

	n = nbuckets ? nbuckets * 2 : ZONES_MINBUCKETS;
	if ((nb = calloc(n, sizeof(*nb))) == NULL)
		return (-1);
	if (nbuckets == 0)
		arc4random_buf(zkey, sizeof(zkey));
	for (i = 0; i < nbuckets; i++) {
		for (z = buckets[i]; z != NULL; z = next) {
			next = z->next;
			h = image_hash(zkey, z->name, z->namelen) & (n - 1);
			z->next = nb[h];
			nb[h] = z;
		}
	}
	free(buckets);
	buckets = nb;
	nbuckets = n;
	return (0);
}

static struct served_zone *
zone_add(const uint8_t *name, size_t len)
{
	struct served_zone	**zp, *z;

	if (nzones >= nbuckets && zone_grow() == -1)
		return (NULL);
	if ((z = calloc(1, sizeof(*z) + len)) == NULL)
		return (NULL);
	memcpy(z->name, name, len);
	z->namelen = len;
	zp = zone_slot(name, len);
	z->next = *zp;
	*zp = z;
	nzones++;
	return (z);
}

static void
zone_unmap(struct served_zone *z)
{
	if (z->hold != NULL) {
		/* the transfers out of it let go of it last */
		zones_release(z->hold);
		z->hold = NULL;
	} else if (z->heap)
		free((void *)z->img);
	else if (z->img != NULL)
		sealed_unmap((void *)z->img, z->cap);
	z->img = NULL;
	z->heap = 0;
	z->size = z->cap = 0;
	z->serial = 0;
}

static void
zone_labels(void)
{
	struct served_zone	*z;
	size_t			 i;
	int			 n;

	maxlabels = 0;
	for (i = 0; i < nbuckets; i++)
		for (z = buckets[i]; z != NULL; z = z->next)
			if ((n = dns_name_labels(z->name, z->namelen)) >
			    maxlabels)
				maxlabels = n;
}

int
zones_set(const char *zone, int fd, uint32_t serial, char *err,
    size_t errlen)
{
	const struct image_header	*h;
	struct served_zone		*z;
	struct stat			 st;
	void				*p;
	size_t				 size;
	int				 rc, heap;

	if ((z = zone_get(zone)) == NULL) {
		snprintf(err, errlen, "zone not configured");
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)sizeof(*h) || st.st_size > UINT32_MAX) {
		snprintf(err, errlen, "not an image file");
		return (-1);
	}
	size = st.st_size;
	if ((heap = size <= IMAGE_SMALL))
		p = zone_read(fd, 0, size, err, errlen);
	else
		p = sealed_map(fd, size, zone_cap(size), err, errlen);
	if (p == NULL)
		return (-1);
	/* an image extending the one served is checked where it changed */
	if ((rc = image_check_next(z->img, z->size, p, size, err,
	    errlen)) == -1 || (rc == 1 && image_check(p, size, err,
	    errlen) == -1))
		goto bad;
	h = p;
	if (h->apexlen != z->namelen ||
	    memcmp(h->apex, z->name, z->namelen) != 0) {
		snprintf(err, errlen, "image of another zone");
		goto bad;
	}
	if (h->serial != serial) {
		snprintf(err, errlen, "image of serial %u", h->serial);
		goto bad;
	}
	zone_unmap(z);
	z->img = p;
	z->heap = heap;
	z->size = size;
	z->cap = zone_cap(size);
	z->serial = serial;
	return (0);
 bad:
	if (heap)
		free(p);
	else
		sealed_unmap(p, zone_cap(size));
	return (-1);
}

/* The range reserved for an image of size bytes and its overlays. */
static size_t
zone_cap(size_t size)
{
	size_t	 ps = getpagesize();

	return ((IMAGE_RESERVE(size) + ps - 1) / ps * ps);
}

/*
 * The pages an overlay of len bytes writes (the header, the hash table,
 * the bytes after the image) writable, or read-only again.
 */
static int
zone_protect(struct served_zone *z, size_t len, int writable)
{
	const struct image_header	*h = (const void *)z->img;
	uintptr_t			 ps = getpagesize(), b, e;
	size_t				 r[3][2], i;
	int				 prot = PROT_READ;

	if (writable)
		prot |= PROT_WRITE;
	r[0][0] = 0;
	r[0][1] = sizeof(*h);
	r[1][0] = h->hash_off;
	r[1][1] = h->hash_off + (size_t)h->hash_size * 4;
	r[2][0] = z->size;
	r[2][1] = z->size + len;
	for (i = 0; i < 3; i++) {
		if (r[i][0] == r[i][1])
			continue;
		b = ((uintptr_t)z->img + r[i][0]) / ps * ps;
		e = ((uintptr_t)z->img + r[i][1] + ps - 1) / ps * ps;
		if (mprotect((void *)b, e - b, prot) == -1)
			return (-1);
	}
	return (0);
}

/*
 * A copy of a small image grown to size bytes for an overlay; its bytes
 * past the image's are not the image's until the overlay is applied.
 */
static int
zone_grow_heap(struct served_zone *z, size_t size)
{
	void	*p;

	if (z->hold != NULL) {
		/* a transfer out reads this copy: the overlay gets another */
		if ((p = malloc(size > z->size ? size : z->size)) == NULL)
			return (-1);
		memcpy(p, z->img, z->size);
		zones_release(z->hold);
		z->hold = NULL;
		z->img = p;
		return (0);
	}
	if (size <= z->size)
		return (0);
	if ((p = realloc((void *)z->img, size)) == NULL)
		return (-1);
	z->img = p;
	return (0);
}

struct zone_hold *
zones_hold(struct served_zone *z)
{
	if (z->img == NULL)
		return (NULL);
	if (z->hold == NULL) {
		if ((z->hold = calloc(1, sizeof(*z->hold))) == NULL)
			return (NULL);
		z->hold->img = (void *)z->img;
		z->hold->cap = z->heap ? 0 : z->cap;
		z->hold->refs = 1;
	}
	z->hold->refs++;
	return (z->hold);
}

void
zones_release(struct zone_hold *zh)
{
	if (zh == NULL || --zh->refs > 0)
		return;
	if (zh->cap == 0)
		free(zh->img);
	else
		sealed_unmap(zh->img, zh->cap);
	free(zh);
}

/* The len bytes at off in fd, in memory of serverd's own. */
static uint8_t *
zone_read(int fd, off_t off, size_t len, char *err, size_t errlen)
{
	uint8_t	*p;
	size_t	 done;
	ssize_t	 n;

	if ((p = malloc(len)) == NULL) {
		snprintf(err, errlen, "out of memory for %zu bytes", len);
		return (NULL);
	}
	for (done = 0; done < len; done += n)
		if ((n = pread(fd, p + done, len - done, off + done)) <= 0) {
			if (n == -1 && errno == EINTR) {
				n = 0;
				continue;
			}
			snprintf(err, errlen, "read: %s", n == 0 ?
			    "the file is shorter than it was" :
			    strerror(errno));
			free(p);
			return (NULL);
		}
	return (p);
}

int
zones_overlay(const char *zone, int fd, off_t off, size_t len,
    uint32_t serial, char *err, size_t errlen)
{
	struct image_header	 next;
	struct served_zone	*z;
	uint8_t			*rec;
	size_t			 size;
	int			 rv;

	if ((z = zone_get(zone)) == NULL) {
		snprintf(err, errlen, "zone not configured");
		return (-1);
	}
	if (z->img == NULL) {
		snprintf(err, errlen, "an overlay, but no image served");
		return (-1);
	}
	if (len < sizeof(struct image_overlay) + sizeof(next) ||
	    len > z->cap || off < 0) {
		snprintf(err, errlen, "an overlay of %zu bytes", len);
		return (-1);
	}
	if ((rec = zone_read(fd, off, len, err, errlen)) == NULL)
		return (-1);
	memcpy(&next, rec + sizeof(struct image_overlay), sizeof(next));
	if (next.serial != serial) {
		snprintf(err, errlen, "image of serial %u", next.serial);
		free(rec);
		return (-1);
	}
	size = z->size;
	if (next.size < size || next.size > z->cap ||
	    (z->heap ? zone_grow_heap(z, next.size) :
	    zone_protect(z, next.size - size, 1)) == -1) {
		snprintf(err, errlen, "overlay to %u bytes, room for %zu",
		    next.size, z->cap);
		free(rec);
		return (-1);
	}
	/* a copy's room is what it grew to: nothing past it is touched */
	rv = overlay_apply((uint8_t *)z->img, z->heap ? next.size : z->cap,
	    &size, rec, len, err, errlen);
	if (!z->heap && zone_protect(z, next.size - z->size, 0) == -1)
		fatal("%s: mprotect", __func__);
	free(rec);
	if (rv == -1)
		return (-1);
	z->size = size;
	z->serial = serial;
	return (0);
}

void
zones_drop(const char *zone)
{
	struct served_zone	*z;

	if ((z = zone_get(zone)) != NULL)
		zone_unmap(z);
}

void
zones_expire(const char *zone, int expired)
{
	struct served_zone	*z;

	if ((z = zone_get(zone)) != NULL)
		z->expired = expired;
}

/*
 * Add the zones of conf that are new (no image yet: SERVFAIL), keep the
 * others with their image, drop those no longer configured.
 */
void
zones_configure(const struct secd_conf *conf)
{
	const struct zone_conf	 *zc;
	struct served_zone	**zp, *z;
	uint8_t			  name[DNS_MAXNAME];
	size_t			  len, i;

	for (i = 0; i < nbuckets; i++)
		for (z = buckets[i]; z != NULL; z = z->next)
			z->mark = 0;
	TAILQ_FOREACH(zc, &conf->zones, entry) {
		if (zone_wire(zc->name, name, &len) == -1) {
			log_warnx("zone %s: bad name; not served", zc->name);
			continue;
		}
		zp = zone_slot(name, len);
		if ((z = zp != NULL ? *zp : NULL) == NULL &&
		    (z = zone_add(name, len)) == NULL) {
			log_warnx("zone %s: out of memory; not served",
			    zc->name);
			continue;
		}
		z->mark = 1;
		z->conf = zc;
	}
	for (i = 0; i < nbuckets; i++) {
		for (zp = &buckets[i]; (z = *zp) != NULL; ) {
			if (z->mark) {
				zp = &z->next;
				continue;
			}
			*zp = z->next;
			zone_unmap(z);
			free(z);
			nzones--;
		}
	}
	zone_labels();
}

/* Suffixes from the longest that may be a zone; none deeper is. */
const struct served_zone *
zones_find(const uint8_t *lname, size_t len)
{
	struct served_zone	**zp;
	size_t			  offs[DNS_MAXNAME / 2 + 1], off;
	int			  nl, k;

	if (nzones == 0 || len < 1 || len > DNS_MAXNAME)
		return (NULL);
	for (nl = 0, off = 0; off < len && lname[off] != 0;
	    off += (size_t)lname[off] + 1)
		offs[nl++] = off;
	if (off != len - 1)
		return (NULL);
	offs[nl] = off;		/* the root */
	for (k = nl > maxlabels ? nl - maxlabels : 0; k <= nl; k++) {
		zp = zone_slot(lname + offs[k], len - offs[k]);
		if (zp != NULL && *zp != NULL)
			return (*zp);
	}
	return (NULL);
}
