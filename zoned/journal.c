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
 * NAME.jnl, the journal of a stored zone (the format is in store.h): the
 * IXFRs applied since NAME.zone was written, appended to it and synced
 * instead of NAME.zone written whole for each, until compaction writes
 * the zone again.  Loading it checks each entry (its length and sum) and
 * stops at the first that fails: the tail torn by a kill in the middle of
 * an append.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "fnv.h"
#include "log.h"
#include "store.h"
#include "storerec.h"
#include "zoned.h"

/*
 * Compaction once the journal has more than a quarter of the bytes of
 * NAME.zone (loading and checking an IXFR then reads at most 25% more
 * than the zone), or this much whatever the zone's size.
 */
#define JNL_COMPACT_MAX		(64ULL << 20)

/* A journal mapped: its entries that check, up to end. */
struct jnl_map {
	uint8_t			*p;
	size_t			 size;
	size_t			 end;		/* of the last good entry */
	size_t			 last;		/* its offset, 0: none */
	size_t			 n;		/* good entries */
	uint64_t		 nrr;		/* their records */
	struct stat		 st;
};

static uint64_t	jnl_sum(const struct jnl_entry *, const uint8_t *);
static int	jnl_map(const char *, const struct store_header *,
		    struct jnl_map *);
static void	jnl_unmap(struct jnl_map *);
static int	jnl_zone_header(const char *, struct store_header *);
static int	jnl_write(int, const void *, size_t, off_t);
static int	jnl_from(const uint8_t *, size_t, uint32_t *);

static uint64_t
jnl_sum(const struct jnl_entry *e, const uint8_t *rec)
{
	uint64_t	 h;

	h = fnv64_add(FNV64_BASIS, &e->len, sizeof(*e) -
	    offsetof(struct jnl_entry, len));
	return fnv64_add(h, rec, e->len);
}

/*
 * Map zone's NAME.jnl and find its good entries: 0, with m->p NULL when
 * there is no journal or it is stale (its header is not that of the
 * NAME.zone whose header is zh); -1 when it cannot be read (errno).
 */
static int
jnl_map(const char *path, const struct store_header *zh, struct jnl_map *m)
{
	struct jnl_header	 jh;
	struct jnl_entry	 e;
	size_t			 off;
	int			 fd;

	memset(m, 0, sizeof(*m));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &m->st) == -1) {
		close(fd);
		return -1;
	}
	if (m->st.st_size < (off_t)sizeof(jh)) {
		close(fd);
		return 0;
	}
	m->size = m->st.st_size;
	m->p = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m->p == MAP_FAILED) {
		m->p = NULL;
		return -1;
	}
	memcpy(&jh, m->p, sizeof(jh));
	if (memcmp(jh.magic, JNL_MAGIC, sizeof(jh.magic)) != 0 ||
	    jh.version != JNL_VERSION || jh.bom != STORE_BOM ||
	    memcmp(&jh.zone, zh, sizeof(*zh)) != 0) {
		jnl_unmap(m);
		return 0;
	}
	for (off = m->end = sizeof(jh); m->size - off >= sizeof(e);
	    off = m->end) {
		memcpy(&e, m->p + off, sizeof(e));
		if (e.len > m->size - off - sizeof(e) || e.nrr > e.len / 11 ||
		    jnl_sum(&e, m->p + off + sizeof(e)) != e.sum)
			break;
		m->end = off + sizeof(e) + e.len;
		m->last = off;
		m->n++;
		m->nrr += e.nrr;
	}
	return 0;
}

static void
jnl_unmap(struct jnl_map *m)
{
	if (m->p != NULL)
		munmap(m->p, m->size);
	m->p = NULL;
}

/* NAME.zone's header (checked as store_load does): 0, or -1. */
static int
jnl_zone_header(const char *zone, struct store_header *zh)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	int		 fd, ok;

	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	ok = fstat(fd, &st) == 0 && pread(fd, zh, sizeof(*zh), 0) ==
	    (ssize_t)sizeof(*zh) && store_header_ok(zh, st.st_size) == 0;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * The records of zone's journal, for the NAME.zone whose header is zh,
 * indexed in jz (jz->map is the journal; no records: none or stale), the
 * last entry's header in *last.  0, or -1 with err.
 */
int
jnl_load(const char *zone, const struct store_header *zh,
    struct stored_zone *jz, struct jnl_entry *last, char *err,
    size_t errlen)
{
	struct jnl_map		 m;
	struct jnl_entry	 e;
	char			 path[PATH_MAX];
	size_t			 off, cap, n;
	int			 rv;

	memset(last, 0, sizeof(*last));
	if (store_path(zone, ".jnl", path, sizeof(path)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if (jnl_map(path, zh, &m) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (m.n == 0) {
		jnl_unmap(&m);
		return 0;
	}
	jz->map = m.p;
	jz->mapsize = m.size;
	jz->hdr.records = m.nrr;
	cap = m.nrr + 1;
	if ((jz->src.rrs = calloc(cap, sizeof(*jz->src.rrs))) == NULL) {
		snprintf(err, errlen, "out of memory for %s", path);
		return -1;
	}
	jz->src.nrr = 0;
	for (off = sizeof(struct jnl_header); off < m.end;
	    off += sizeof(e) + e.len) {
		memcpy(&e, m.p + off, sizeof(e));
		n = jz->src.nrr;
		rv = store_append(jz, &cap, m.p + off + sizeof(e), e.len, err,
		    errlen);
		if (rv == 0 && jz->src.nrr - n != e.nrr) {
			snprintf(err, errlen, "%zu records where the entry "
			    "counts %llu", jz->src.nrr - n,
			    (unsigned long long)e.nrr);
			rv = -1;
		}
		if (rv == -1) {
			snprintf(err + strlen(err), errlen - strlen(err),
			    " (%s, the entry at offset %zu)", path, off);
			return -1;
		}
	}
	memcpy(last, m.p + m.last, sizeof(*last));
	return 0;
}

/*
 * The last entry of zone's journal (for the NAME.zone whose header is
 * zh) and the zone's SOA after it (its rdata, up to
 * soamax bytes, in soa): the number of good entries (0: no journal, or a
 * stale one; nothing set), or -1.
 */
int
jnl_tail(const char *zone, const struct store_header *zh,
    struct jnl_entry *last, uint8_t *soa, size_t soamax, size_t *soalen)
{
	struct jnl_map	 m;
	struct storerec	 sr;
	struct wire	 w;
	char		 path[PATH_MAX];
	size_t		 n;

	if (store_path(zone, ".jnl", path, sizeof(path)) == -1 ||
	    jnl_map(path, zh, &m) == -1)
		return -1;
	if ((n = m.n) == 0) {
		jnl_unmap(&m);
		return 0;
	}
	memcpy(last, m.p + m.last, sizeof(*last));
	/* the last SOA of the entry: the one its last delta adds */
	*soalen = 0;
	wire_init(&w, m.p + m.last + sizeof(*last), last->len);
	while (w.off < w.len && storerec_get(&w, &sr) == 0)
		if (sr.type == DNS_T_SOA && sr.rdlen <= soamax) {
			memcpy(soa, sr.rdata, sr.rdlen);
			*soalen = sr.rdlen;
		}
	jnl_unmap(&m);
	return *soalen > 0 ? (int)n : -1;
}

/* The serial of the first record of an IXFR (its old SOA). */
static int
jnl_from(const uint8_t *p, size_t len, uint32_t *from)
{
	struct dns_soa	 soa;
	struct storerec	 sr;
	struct wire	 w;

	wire_init(&w, p, len);
	if (storerec_get(&w, &sr) == -1 || sr.type != DNS_T_SOA ||
	    dns_soa_parse(sr.rdata, sr.rdlen, &soa) == -1)
		return -1;
	*from = soa.serial;
	return 0;
}

static int
jnl_write(int fd, const void *buf, size_t len, off_t off)
{
	const uint8_t	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = pwrite(fd, p, len, off)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/*
 * Append the IXFR in deltapath (a store file, checked as it was applied)
 * to zone's journal, durably; after is the zone's header after it (its
 * counts).  A journal that is stale, or absent, is begun afresh; a torn
 * tail is cut off first.  0, or -1 with err: then the journal holds what
 * it held (as far as a failing disk lets it).
 */
int
jnl_append(const char *zone, const char *deltapath,
    const struct store_header *after, char *err, size_t errlen)
{
	struct store_header	 zh, dh;
	struct jnl_header	 jh;
	struct jnl_entry	 e;
	struct jnl_map		 m;
	struct stat		 st;
	char			 path[PATH_MAX];
	uint8_t			*d = MAP_FAILED;
	size_t			 end = 0;
	int			 fd = -1, dfd, rv = -1;

	if (store_path(zone, ".jnl", path, sizeof(path)) == -1 ||
	    jnl_zone_header(zone, &zh) == -1) {
		snprintf(err, errlen, "the stored zone cannot be read");
		return -1;
	}
	if ((dfd = open(deltapath, O_RDONLY | O_CLOEXEC)) != -1) {
		if (fstat(dfd, &st) == 0 && st.st_size > (off_t)sizeof(dh))
			d = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE,
			    dfd, 0);
		close(dfd);
	}
	if (d == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", deltapath, strerror(errno));
		return -1;
	}
	memcpy(&dh, d, sizeof(dh));
	memset(&e, 0, sizeof(e));
	e.len = st.st_size - sizeof(dh);
	e.nrr = dh.records;
	e.records = after->records;
	e.bytes = after->bytes;
	e.to = dh.serial;
	e.when = dh.when;
	e.stored = dh.stored;
	memcpy(e.primary, dh.primary, sizeof(e.primary));
	if (store_header_ok(&dh, st.st_size) == -1 ||
	    jnl_from(d + sizeof(dh), e.len, &e.from) == -1) {
		snprintf(err, errlen, "%s: not an IXFR", deltapath);
		goto done;
	}
	e.sum = jnl_sum(&e, d + sizeof(dh));
	if (jnl_map(path, &zh, &m) == -1 ||
	    (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		jnl_unmap(&m);
		goto done;
	}
	end = m.p != NULL ? m.end : 0;
	jnl_unmap(&m);
	if (end == 0) {
		memset(&jh, 0, sizeof(jh));
		memcpy(jh.magic, JNL_MAGIC, sizeof(jh.magic));
		jh.version = JNL_VERSION;
		jh.bom = STORE_BOM;
		jh.zone = zh;
	}
	if (ftruncate(fd, end) == -1 || (end == 0 &&
	    jnl_write(fd, &jh, sizeof(jh), 0) == -1) ||
	    jnl_write(fd, &e, sizeof(e), end ? end : sizeof(jh)) == -1 ||
	    jnl_write(fd, d + sizeof(dh), e.len, (end ? end : sizeof(jh)) +
	    sizeof(e)) == -1 || fsync(fd) == -1 ||
	    (end == 0 && store_sync_dir() == -1)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		/* the entry, whole or not, must not count at a restart */
		if (ftruncate(fd, end) == 0)
			fsync(fd);
		goto done;
	}
	rv = 0;
 done:
	if (fd != -1)
		close(fd);
	munmap(d, st.st_size);
	return rv;
}

/* Remove zone's journal durably: 0, or -1 (errno). */
int
jnl_remove(const char *zone)
{
	char	 path[PATH_MAX];

	if (store_path(zone, ".jnl", path, sizeof(path)) == -1)
		return -1;
	if (unlink(path) == -1)
		return errno == ENOENT ? 0 : -1;
	return store_sync_dir();
}

/* Whether zone's journal is due for compaction (JNL_COMPACT_MAX). */
int
jnl_due(const char *zone)
{
	struct stat	 zst, jst;
	char		 zpath[PATH_MAX], jpath[PATH_MAX];

	if (store_path(zone, ".zone", zpath, sizeof(zpath)) == -1 ||
	    store_path(zone, ".jnl", jpath, sizeof(jpath)) == -1 ||
	    stat(zpath, &zst) == -1 || stat(jpath, &jst) == -1)
		return 0;
	return jst.st_size > zst.st_size / 4 ||
	    (uint64_t)jst.st_size > JNL_COMPACT_MAX;
}

/*
 * Compaction: the zone (NAME.zone and its journal) written whole to
 * NAME.compact.tmp (not NAME.zone.tmp, which an AXFR arriving may be
 * writing), synced, renamed over NAME.zone, the directory synced, then
 * the journal removed.  A kill before the rename leaves the old
 * NAME.zone and the journal (and a NAME.compact.tmp, removed at start);
 * after it the new NAME.zone and a stale journal, ignored and removed at
 * start.  The image stays: it has the same records.  0, or -1 with err.
 */
int
jnl_compact(const char *zone, char *err, size_t errlen)
{
	char	 tmp[PATH_MAX], path[PATH_MAX];

	if (store_path(zone, ".compact.tmp", tmp, sizeof(tmp)) == -1 ||
	    store_path(zone, ".zone", path, sizeof(path)) == -1) {
		snprintf(err, errlen, "zone name too long for a file name");
		return -1;
	}
	if (ixfr_apply(zone, NULL, tmp, err, errlen) == -1)
		return -1;
	if (store_commit(tmp, path, 1) == -1) {
		snprintf(err, errlen, "rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (jnl_remove(zone) == -1) {
		/* stale now: ignored, and removed at the next start */
		snprintf(err, errlen, "the journal cannot be removed: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * At start: remove zone's journal when it is stale (a kill came between
 * a new NAME.zone and the journal's removal), before anything appends.
 */
void
jnl_sweep(const char *zone)
{
	struct store_header	 zh;
	struct jnl_map		 m;
	char			 path[PATH_MAX];
	int			 stale;

	if (store_path(zone, ".jnl", path, sizeof(path)) == -1 ||
	    access(path, F_OK) == -1)
		return;
	if (jnl_zone_header(zone, &zh) == -1)
		stale = 1;
	else if (jnl_map(path, &zh, &m) == -1)
		return;
	else {
		stale = m.p == NULL;
		jnl_unmap(&m);
	}
	if (!stale)
		return;
	if (unlink(path) == 0)
		log_info("zone %s: removed %s, left behind by an AXFR or a "
		    "compaction interrupted", zone, path);
	else
		log_warn("zone %s: %s", zone, path);
}
