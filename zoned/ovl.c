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
 * NAME.ovl (store.h): the overlays of NAME.img, the base, appended one
 * by one as the kept zone writes them (shared/image.h, Overlays).  It
 * is the one file zoned writes in place: appended, never rewritten, so
 * that the bytes of an overlay a serverd was handed stay as they were;
 * removed before a new base is renamed over NAME.img.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store.h"

/*
 * Append the overlay rec (len bytes) to NAME.ovl, durably: fsync(2) of
 * the file, and of the directory when the file is new.  *at is where it
 * starts.  On failure the file is cut back to what it was.
 */
int
ovl_append(const char *zone, const uint8_t *rec, size_t len, off_t *at,
    char *err, size_t errlen)
{
	char		 path[PATH_MAX];
	struct stat	 st;
	size_t		 done;
	ssize_t		 n;
	int		 fd;

	if (store_path(zone, ".ovl", path, sizeof(path)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%.100s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	*at = st.st_size;
	for (done = 0; done < len; done += n) {
		n = pwrite(fd, rec + done, len - done, *at + done);
		if (n == -1 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			break;
	}
	if (done < len || fsync(fd) == -1 ||
	    (st.st_size == 0 && store_sync_dir() == -1)) {
		snprintf(err, errlen, "%.100s: %s", path, strerror(errno));
		/* best effort: a torn record is cut at the next read anyway */
		if (ftruncate(fd, st.st_size) == -1)
			log_debug("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Remove NAME.ovl, durably: before a new base takes NAME.img. */
int
ovl_remove(const char *zone)
{
	char	 path[PATH_MAX];

	if (store_path(zone, ".ovl", path, sizeof(path)) == -1)
		return -1;
	if (unlink(path) == -1)
		return errno == ENOENT ? 0 : -1;
	return store_sync_dir();
}

/*
 * The overlays of NAME.ovl that apply, in order, to the image whose
 * header is *h (the base): *h becomes the last one's header, o->v[]
 * where each is and its serial; o->bad is set when bytes follow that are
 * not an overlay of it (a kill while one was appended, or the file of
 * another base) or NAME.ovl cannot be read.  -1: out of memory.
 * ovl_free() when done.
 */
int
ovl_load(const char *zone, struct image_header *h, struct ovl_list *o)
{
	char			 path[PATH_MAX];
	struct stat		 st;
	struct image_overlay	 ov;
	struct ovl_rec		*v;
	uint8_t			*map = MAP_FAILED;
	size_t			 off = 0, n, cap = 0;
	int			 fd, rv = 0;

	memset(o, 0, sizeof(*o));
	if (store_path(zone, ".ovl", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		o->bad = errno != ENOENT;
		return 0;
	}
	if (fstat(fd, &st) == -1) {
		close(fd);
		o->bad = 1;
		return 0;
	}
	if (st.st_size > 0 && st.st_size <= SSIZE_MAX)
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	/* overlays that cannot be read do not apply: neither does the base */
	if (map == MAP_FAILED) {
		o->bad = st.st_size > 0;
		return 0;
	}
	o->mtim = st.st_mtim;
	while (off < (size_t)st.st_size) {
		if (overlay_read(map + off, st.st_size - off, &n) == -1)
			break;
		memcpy(&ov, map + off, sizeof(ov));
		if (ov.prev != overlay_prev(h) || ov.off != h->size ||
		    ov.seq != o->n + 1)
			break;
		if (o->n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((v = reallocarray(o->v, cap, sizeof(*v))) == NULL) {
				rv = -1;
				break;
			}
			o->v = v;
		}
		memcpy(h, map + off + sizeof(ov), sizeof(*h));
		o->v[o->n].at = off;
		o->v[o->n].len = n;
		o->v[o->n++].serial = h->serial;
		off += n;
	}
	o->bad = off < (size_t)st.st_size;
	munmap(map, st.st_size);
	return rv;
}

void
ovl_free(struct ovl_list *o)
{
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

/*
 * The image stored for zone, as a serverd serves it: NAME.img checked
 * whole, then each overlay of NAME.ovl applied and checked as serverd
 * does (overlay_apply), in memory of its own (*img, *size bytes; free
 * it).  -1 with err.
 */
int
ovl_image(const char *zone, uint8_t **img, size_t *size, char *err,
    size_t errlen)
{
	char			 path[PATH_MAX];
	struct image_header	 h;
	struct ovl_list		 ol;
	struct stat		 st;
	uint8_t			*p = NULL, *rec = NULL;
	size_t			 i, cap;
	int			 fd = -1, ofd = -1, rv = -1;

	*img = NULL;
	if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || st.st_size < (off_t)sizeof(h) ||
	    st.st_size > UINT32_MAX ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		snprintf(err, errlen, "no image");
		goto done;
	}
	*size = st.st_size;
	if (ovl_load(zone, &h, &ol) == -1) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	cap = h.size > *size ? h.size : *size;
	if ((p = malloc(cap)) == NULL ||
	    pread(fd, p, *size, 0) != (ssize_t)*size) {
		snprintf(err, errlen, "cannot read the image");
		goto free;
	}
	if (image_check(p, *size, err, errlen) == -1)
		goto free;
	if (ol.n > 0 && (store_path(zone, ".ovl", path, sizeof(path)) == -1 ||
	    (ofd = open(path, O_RDONLY | O_CLOEXEC)) == -1)) {
		snprintf(err, errlen, "cannot open the overlays");
		goto free;
	}
	for (i = 0; i < ol.n; i++) {
		free(rec);
		if ((rec = malloc(ol.v[i].len)) == NULL ||
		    pread(ofd, rec, ol.v[i].len, ol.v[i].at) !=
		    (ssize_t)ol.v[i].len) {
			snprintf(err, errlen, "cannot read overlay %zu", i + 1);
			goto free;
		}
		if (overlay_apply(p, cap, size, rec, ol.v[i].len, err,
		    errlen) == -1)
			goto free;
	}
	*img = p;
	p = NULL;
	rv = 0;
 free:
	ovl_free(&ol);
 done:
	free(p);
	free(rec);
	if (fd != -1)
		close(fd);
	if (ofd != -1)
		close(ofd);
	return rv;
}

/*
 * The serial the stored image served, when it is of another version (5
 * or later: an upgrade), from the prefixes (image.h): the last overlay
 * record's header that chains from the base, else the base's.  An
 * overlay record's size is read from its header's header_size, its sum
 * checked.  0, or -1 when there is no such image.
 */
int
ovl_served_prefix(const char *zone, uint32_t *served)
{
	struct image_prefix	 base, hp;
	struct image_overlay	 o;
	struct stat		 st;
	char			 path[PATH_MAX];
	uint8_t			*map;
	size_t			 off = 0, n;
	uint32_t		 seq = 1;
	int			 fd;

	if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (pread(fd, &base, sizeof(base), 0) != (ssize_t)sizeof(base) ||
	    memcmp(base.magic, IMAGE_MAGIC, sizeof(base.magic)) != 0 ||
	    base.bom != IMAGE_BOM || base.version < IMAGE_PREFIX_VERSION ||
	    base.header_size < sizeof(base)) {
		close(fd);
		return (-1);
	}
	close(fd);
	*served = base.served;
	if (store_path(zone, ".ovl", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (0);
	map = fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    st.st_size > SSIZE_MAX ? MAP_FAILED : mmap(NULL, st.st_size,
	    PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return (0);
	while ((size_t)st.st_size - off >= sizeof(o) + sizeof(hp)) {
		memcpy(&o, map + off, sizeof(o));
		memcpy(&hp, map + off + sizeof(o), sizeof(hp));
		if (memcmp(o.magic, OVERLAY_MAGIC, sizeof(o.magic)) != 0 ||
		    o.bom != IMAGE_BOM || o.seq != seq++ ||
		    memcmp(hp.magic, IMAGE_MAGIC, sizeof(hp.magic)) != 0 ||
		    hp.version != base.version ||
		    hp.header_size != base.header_size)
			break;
		if ((n = overlay_size_as(&o, hp.header_size)) == 0 ||
		    n > (size_t)st.st_size - off ||
		    overlay_sum(map + off, n) != o.sum)
			break;
		*served = hp.served;
		off += n;
	}
	munmap(map, st.st_size);
	return (0);
}
