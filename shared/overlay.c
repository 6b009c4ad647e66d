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
 * Overlays (image.h): the next image of a zone as the difference from
 * the one before.  A serverd applies one over the image it serves, in
 * its own copy-on-write pages, and checks what it changed; a failed
 * check undoes it.  zoned reads NAME.ovl with the same functions.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "image.h"


/* The identity of an image an overlay applies to: its header's hash. */
uint32_t
overlay_prev(const struct image_header *h)
{
	return (fnv_add(FNV_BASIS, h, sizeof(*h)));
}

/* The bytes of the record o heads, or 0 when they do not fit a size_t. */
size_t
overlay_size(const struct image_overlay *o)
{
	return (overlay_size_as(o, sizeof(struct image_header)));
}

/*
 * The same for a record whose image header is hsize bytes (one of
 * another version, image_prefix).
 */
size_t
overlay_size_as(const struct image_overlay *o, size_t hsize)
{
	uint64_t	 n;

	if (o->nslots > OVERLAY_MAXSLOTS)
		return (0);
	n = sizeof(*o) + (uint64_t)hsize + IMAGE_ALIGN4((uint64_t)o->len) +
	    (uint64_t)o->nslots * sizeof(struct image_slot);
	return (n > SIZE_MAX / 2 ? 0 : (size_t)n);
}

/* The sum of a record of len bytes (image.h): its header to sum, then on. */
uint32_t
overlay_sum(const uint8_t *p, size_t len)
{
	size_t	 at = offsetof(struct image_overlay, sum);

	return (fnv_add(fnv_add(FNV_BASIS, p, at),
	    p + sizeof(struct image_overlay),
	    len - sizeof(struct image_overlay)));
}

/* The record of len bytes at p, its sum set. */
void
overlay_seal(uint8_t *p, size_t len)
{
	uint32_t	 sum = overlay_sum(p, len);

	memcpy(p + offsetof(struct image_overlay, sum), &sum, sizeof(sum));
}

/*
 * Whether the len bytes at p start with a whole overlay record, *reclen
 * its size: 0 yes, -1 not one, or cut short (a kill while it was
 * appended), or damaged.
 */
int
overlay_read(const uint8_t *p, size_t len, size_t *reclen)
{
	struct image_overlay	 o;
	size_t			 n;

	if (len < sizeof(o))
		return (-1);
	memcpy(&o, p, sizeof(o));
	if (memcmp(o.magic, OVERLAY_MAGIC, sizeof(o.magic)) != 0 ||
	    o.version != OVERLAY_VERSION || o.bom != IMAGE_BOM ||
	    (n = overlay_size(&o)) == 0 || n > len ||
	    overlay_sum(p, n) != o.sum)
		return (-1);
	*reclen = n;
	return (0);
}

/*
 * Apply the overlay record rec (reclen bytes) to the image img of *size
 * bytes, which may grow to cap: its bytes at *size, its slots, its
 * header; then check what changed (image_check_slots).  0: img is the
 * next image, *size its size; -1: img is as it was (the slots and the
 * header undone; the bytes past *size are not the image's), err says
 * why.  The caller makes the header, the hash table and the bytes from
 * *size on writable.
 */
int
overlay_apply(uint8_t *img, size_t cap, size_t *size, const uint8_t *rec,
    size_t reclen, char *err, size_t errlen)
{
	struct image_overlay	 o;
	struct image_header	 prev, next;
	struct image_slot	 s;
	const uint8_t		*sp;
	uint32_t		*hash, *slot = NULL, *old = NULL;
	size_t			 n, k;
	int			 rv = -1;

	memcpy(&prev, img, sizeof(prev));
	if (overlay_read(rec, reclen, &n) == -1 || n != reclen) {
		snprintf(err, errlen, "not a whole overlay");
		return (-1);
	}
	memcpy(&o, rec, sizeof(o));
	memcpy(&next, rec + sizeof(o), sizeof(next));
	if (o.prev != overlay_prev(&prev) || o.off != *size ||
	    prev.size != *size) {
		snprintf(err, errlen, "overlay %u is not of the image served "
		    "(serial %u, %zu bytes)", o.seq, prev.serial, *size);
		return (-1);
	}
	if (o.len > cap - *size || next.size != (uint64_t)o.off + o.len ||
	    next.hash_off != prev.hash_off ||
	    next.hash_size != prev.hash_size) {
		snprintf(err, errlen, "overlay %u: %u bytes at %u, image of "
		    "%u, room for %zu", o.seq, o.len, o.off, next.size, cap);
		return (-1);
	}
	if (o.nslots > 0 &&
	    ((slot = reallocarray(NULL, o.nslots, sizeof(*slot))) == NULL ||
	    (old = reallocarray(NULL, o.nslots, sizeof(*old))) == NULL)) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	sp = rec + sizeof(o) + sizeof(next) + IMAGE_ALIGN4((size_t)o.len);
	for (k = 0; k < o.nslots; k++) {
		memcpy(&s, sp + k * sizeof(s), sizeof(s));
		if (s.slot >= prev.hash_size ||
		    (k > 0 && s.slot <= slot[k - 1])) {
			snprintf(err, errlen, "overlay %u: hash slot %u out "
			    "of the table or out of order", o.seq, s.slot);
			goto done;
		}
		slot[k] = s.slot;
	}
	memcpy(img + *size, rec + sizeof(o) + sizeof(next), o.len);
	hash = (uint32_t *)(img + prev.hash_off);
	for (k = 0; k < o.nslots; k++) {
		memcpy(&s, sp + k * sizeof(s), sizeof(s));
		old[k] = hash[s.slot];
		hash[s.slot] = s.off;
	}
	memcpy(img, &next, sizeof(next));
	if (image_check_slots(&prev, img, next.size, slot, old, o.nslots,
	    err, errlen) == -1) {
		for (k = o.nslots; k-- > 0; )
			hash[slot[k]] = old[k];
		memcpy(img, &prev, sizeof(prev));
		goto done;
	}
	*size = next.size;
	rv = 0;
 done:
	free(slot);
	free(old);
	return (rv);
}
