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
 * Stored zones: naming, loading and crash-safe replacement of the files in
 * zoned's directory (the format is in store.h).  zoned runs chrooted into
 * that directory, so every path here is relative to ".".
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "store.h"
#include "storerec.h"
#include "zoned.h"

static int	store_unpath(const char *, size_t, char *, size_t);

/* The zone whose file name (before its suffix) is the len bytes of f. */
static int
store_unpath(const char *f, size_t len, char *zone, size_t zlen)
{
	size_t		 i, o = 0;
	unsigned int	 c;

	if (len == 5 && strncmp(f, "_root", 5) == 0) {
		*zone = '\0';
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (o + 1 >= zlen)
			return -1;
		if (f[i] != '%') {
			zone[o++] = f[i];
			continue;
		}
		if (i + 2 >= len || sscanf(f + i + 1, "%2X", &c) != 1)
			return -1;
		zone[o++] = c;
		i += 2;
	}
	zone[o] = '\0';
	return 0;
}

/*
 * Index the records of a stored zone: every record's bounds and owner are
 * checked here, the zone rules by the builder (bld_ncheck, b_check_rr).
 */
int
store_parse(struct stored_zone *sz, const uint8_t *p, size_t len, char *err,
    size_t errlen)
{
	size_t	 cap = sz->hdr.records;

	if (sz->hdr.records > len / STOREREC_FIXED) {
		snprintf(err, errlen, "%llu records cannot fit in %zu bytes",
		    (unsigned long long)sz->hdr.records, len);
		return -1;
	}
	if ((sz->src.rrs = calloc(cap ? cap : 1, sizeof(*sz->src.rrs))) ==
	    NULL) {
		snprintf(err, errlen, "out of memory for %zu records", cap);
		return -1;
	}
	if (store_append(sz, &cap, p, len, err, errlen) == -1)
		return -1;
	if (sz->src.nrr != sz->hdr.records) {
		snprintf(err, errlen, "%zu records where the header counts "
		    "%llu", sz->src.nrr, (unsigned long long)sz->hdr.records);
		return -1;
	}
	return 0;
}

/*
 * The records of p (len bytes, whole records in the store encoding)
 * appended to sz's, owner and rdata pointing into p, *cap the room of
 * sz->src.rrs (grown by doubling): 0, or -1 with err when a record is
 * truncated or its owner is not a name of the zone (counted from the
 * first of p).
 */
int
store_append(struct stored_zone *sz, size_t *cap, const uint8_t *p,
    size_t len, char *err, size_t errlen)
{
	struct wire	 w;
	struct zrr	*rr;
	size_t		 n, start = sz->src.nrr;
	void		*v;

	wire_init(&w, p, len);
	while (w.off < len) {
		if (sz->src.nrr == *cap) {
			n = *cap ? *cap * 2 : 1024;
			if ((v = reallocarray(sz->src.rrs, n, sizeof(*rr))) ==
			    NULL) {
				snprintf(err, errlen, "out of memory for %zu "
				    "records", n);
				return -1;
			}
			sz->src.rrs = v;
			*cap = n;
		}
		rr = &sz->src.rrs[sz->src.nrr];
		if (store_get(&w, rr) == -1 || w.err) {
			snprintf(err, errlen, "record %zu is truncated",
			    sz->src.nrr - start + 1);
			return -1;
		}
		if (!store_owner_ok(sz, rr)) {
			snprintf(err, errlen, "record %zu: owner is not a "
			    "name in the zone", sz->src.nrr - start + 1);
			return -1;
		}
		sz->src.nrr++;
	}
	return 0;
}

/*
 * The record at the cursor into r, owner and rdata pointing into the
 * cursor's bytes; -1 when it is truncated.
 */
int
store_get(struct wire *w, struct zrr *r)
{
	struct storerec	 sr;

	if (storerec_get(w, &sr) == -1)
		return -1;
	memset(r, 0, sizeof(*r));
	r->owner = sr.owner;
	r->ownerlen = sr.ownerlen;
	r->type = sr.type;
	r->class = sr.class;
	r->ttl = sr.ttl;
	r->rdlen = sr.rdlen;
	r->rdata = sr.rdata;
	return 0;
}

/*
 * Append r to f in the store encoding; its size.  A failed write shows
 * in ferror(f).
 */
size_t
store_put(FILE *f, const struct zrr *r)
{
	static uint8_t	 buf[STOREREC_MAX];	/* any record fits */
	struct storerec	 sr;
	struct wbuf	 w;

	sr.owner = r->owner;
	sr.ownerlen = r->ownerlen;
	sr.type = r->type;
	sr.class = r->class;
	sr.ttl = r->ttl;
	sr.rdlen = r->rdlen;
	sr.rdata = r->rdata;
	wbuf_init(&w, buf, sizeof(buf));
	storerec_put(&w, &sr);
	fwrite(buf, 1, w.len, f);
	return w.len;
}

/* Whether r's owner is a name in sz's zone (a well formed one). */
int
store_owner_ok(const struct stored_zone *sz, const struct zrr *r)
{
	return dns_name_subdomain(r->owner, r->ownerlen, sz->apex,
	    sz->apexlen);
}

/* A header for a new store file; the caller sets counts and times. */
void
store_header_init(struct store_header *h, uint32_t serial, uint32_t kind)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, STORE_MAGIC, sizeof(h->magic));
	h->version = STORE_VERSION;
	h->bom = STORE_BOM;
	h->serial = serial;
	h->kind = kind;
}

/* Whether h heads a store file of size bytes: 0, or -1. */
int
store_header_ok(const struct store_header *h, size_t size)
{
	if (size < sizeof(*h) ||
	    memcmp(h->magic, STORE_MAGIC, sizeof(h->magic)) != 0 ||
	    h->version != STORE_VERSION || h->bom != STORE_BOM ||
	    h->bytes != size - sizeof(*h))
		return -1;
	return 0;
}

/* Map path (zone's NAME.zone or a temp file) and index it. */
int
store_load(const char *zone, const char *path, struct stored_zone *sz,
    char *err, size_t errlen)
{
	struct stat	 st;
	int		 fd;

	memset(sz, 0, sizeof(*sz));
	if (dns_name_from_text(zone, sz->apex, &sz->apexlen) == -1) {
		snprintf(err, errlen, "bad zone name");
		return -1;
	}
	dns_name_lower(sz->apex, sz->apexlen);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || st.st_size < (off_t)sizeof(sz->hdr)) {
		snprintf(err, errlen, "%s: too short", path);
		close(fd);
		return -1;
	}
	sz->mapsize = st.st_size;
	sz->map = mmap(NULL, sz->mapsize, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (sz->map == MAP_FAILED) {
		sz->map = NULL;
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
		return -1;
	}
	memcpy(&sz->hdr, sz->map, sizeof(sz->hdr));
	if (store_header_ok(&sz->hdr, sz->mapsize) == -1) {
		snprintf(err, errlen, "%s: not a version %d zone file of this "
		    "machine, or truncated", path, STORE_VERSION);
		store_unload(sz);
		return -1;
	}
	sz->src.apex = sz->apex;
	sz->src.apexlen = sz->apexlen;
	sz->src.serial = sz->hdr.serial;
	if (store_parse(sz, (uint8_t *)sz->map + sizeof(sz->hdr),
	    sz->hdr.bytes, err, errlen) == -1) {
		store_unload(sz);
		return -1;
	}
	return 0;
}

/*
 * A zone's records: tmp (an AXFR not committed yet) or, with tmp NULL,
 * the stored zone (NAME.zone and its journal), with the IXFR in delta
 * (not committed yet) applied if not NULL; its header tells the zone's
 * serial, counts and last transfer.  The zone rules are the builder's
 * (bld_ncheck).
 */
int
store_zone(const char *zone, const char *tmp, const char *delta,
    struct stored_zone *sz, char *err, size_t errlen)
{
	if (tmp != NULL) {
		if (store_load(zone, tmp, sz, err, errlen) == -1)
			return -1;
	} else if (ixfr_load(zone, delta, sz, err, errlen) == -1)
		return -1;
	if (sz->src.nrr == 0 || sz->src.rrs[0].type != DNS_T_SOA) {
		snprintf(err, errlen, "the zone does not begin with its SOA");
		store_unload(sz);
		return -1;
	}
	return 0;
}

void
store_unload(struct stored_zone *sz)
{
	if (sz->map != NULL)
		munmap(sz->map, sz->mapsize);
	if (sz->jmap != NULL)
		munmap(sz->jmap, sz->jmapsize);
	if (sz->delta != NULL) {
		store_unload(sz->delta);
		free(sz->delta);
	}
	arena_free(&sz->mem);
	free(sz->src.rrs);
	memset(sz, 0, sizeof(*sz));
}

int
store_sync_dir(void)
{
	int	 fd, r;

	if ((fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/*
 * Remove what a zoned killed in the middle of a write left of the zones
 * of conf: the temporary files (xfr.c, journal.c's compaction,
 * override.c, change.c), each replaced by rename(2) only once whole, so
 * never the data a restart needs, and a stale journal (journal.c).  One
 * read of the directory, not a lookup of each name of each zone.  Only
 * at start, before anything is written: later one may be in use.
 */
void
store_sweep(struct secd_conf *conf)
{
	static const char *const tmps[] = {
		".zone.tmp", ".ixfr.tmp", ".compact.tmp", ".over.tmp",
		".img.tmp", ".check.tmp", ".cat.tmp", ".jnl"
	};
	struct dirent	*de;
	DIR		*d;
	char		 zone[PATH_MAX], again[PATH_MAX];
	size_t		 i, len, slen;

	if ((d = opendir(".")) == NULL) {
		log_warn("the database directory");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		for (i = 0; i < sizeof(tmps) / sizeof(tmps[0]); i++) {
			slen = strlen(tmps[i]);
			if (len > slen && len - slen < sizeof(zone) &&
			    strcmp(de->d_name + len - slen, tmps[i]) == 0)
				break;
		}
		if (i == sizeof(tmps) / sizeof(tmps[0]))
			continue;
		/* the zone whose store_path() the name is, if configured */
		if (store_unpath(de->d_name, len - slen, zone,
		    sizeof(zone)) == -1 || store_path(zone, tmps[i], again,
		    sizeof(again)) == -1 || strcmp(again, de->d_name) != 0 ||
		    config_zone(conf, zone) == NULL)
			continue;
		if (strcmp(tmps[i], ".jnl") == 0)
			jnl_sweep(zone);
		else if (unlink(de->d_name) == 0)
			log_info("zone %s: removed %s, left by an interrupted "
			    "write", zone, de->d_name);
		else
			log_warn("zone %s: %s", zone, de->d_name);
	}
	closedir(d);
}

/*
 * rename(2) tmp over path, durable if sync (else the caller syncs the
 * directory later: change_axfrs).
 */
int
store_commit(const char *tmp, const char *path, int sync)
{
	if (rename(tmp, path) == -1)
		return -1;
	return sync ? store_sync_dir() : 0;
}

/*
 * The n files of paths made durable, written but not synced: on Linux one
 * syncfs(2) of the file system of the database, whatever n is; elsewhere
 * an fsync(2) of each.
 */
int
store_sync_files(const char *const *paths, size_t n)
{
	size_t	 i;
	int	 fd, r = 0;

	if (n == 0)
		return 0;
#ifdef __linux__
	if ((fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = syncfs(fd);
	close(fd);
	(void)paths;
	(void)i;
#else
	for (i = 0; i < n && r == 0; i++) {
		if ((fd = open(paths[i], O_RDONLY | O_CLOEXEC)) == -1)
			return -1;
		r = fsync(fd);
		close(fd);
	}
#endif
	return r;
}
