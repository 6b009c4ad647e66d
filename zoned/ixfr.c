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
 * Applying an IXFR (RFC 1995) to the stored zone: NAME.zone, then the
 * IXFRs of its journal (journal.c), then the new one.  The deltas come as
 * xfrd sends them (shared/secd.h, struct xfr_msg): SOA(old), deleted records,
 * SOA(new), added records, repeated.  Each SOA flips between deleting and
 * adding and is itself deleted or added, so a delta whose old SOA is not
 * the zone's current one does not apply, like any deletion of a record
 * that is not there.  Records are equal when owner (case aside), type,
 * class and rdata are; TTLs do not count, an added record replaces an
 * equal one.
 *
 * The deltas (the journal's, then the new IXFR's) are first folded into
 * a small set: records added (alive until a later delta deletes them),
 * records of NAME.zone deleted (each must be found there), records of
 * NAME.zone replaced by an added equal one.  NAME.zone is then read
 * once, in order, without indexing it: what the set drops is skipped,
 * the rest passed on as it is written, the new SOA first (store.h) and
 * the added records last, to a sink: a new zone file (a compaction, a
 * large IXFR, ixfr_apply) or the records indexed in memory (the zone
 * loaded, ixfr_load).  Its cost is a read of the file and of the
 * journal, not a table of the whole zone.
 *
 * A zone kept in memory holds what NAME.zone and its journal hold: a new
 * IXFR is checked against it instead, owner by owner, as it is applied
 * (ixfr_owners), and only then appended to the journal.  Its cost is
 * that of the owners it changes, not a read of the stored zone.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"
#include "fnv.h"
#include "log.h"
#include "override.h"
#include "siphash.h"
#include "store.h"
#include "storerec.h"
#include "zoned.h"

enum ixkind { IX_ADD, IX_DEL, IX_REPL };

/* The deltas folded: records with what they do to the stored zone. */
struct ixset {
	struct zrr	*rr;
	uint8_t		*kind;		/* enum ixkind */
	uint8_t		*alive;		/* IX_DEL: not found yet */
	int		*delta;		/* which delta, for the message */
	uint32_t	 n, cap;
	uint32_t	*tab;		/* index + 1, by hash */
	uint32_t	 mask;
	uint8_t		 bloom[512];	/* (type, owner and rdata length) */
	uint8_t		 key[SIPHASH_KEYLEN];	/* ix_hash's */
};

/*
 * Applying the journal and an IXFR to NAME.zone: the zone mapped, the
 * journal's records indexed, the IXFR loaded, the deltas folded.
 */
struct ixrun {
	struct ixset		 s;
	struct stored_zone	 zone;		/* mapped, not indexed */
	struct stored_zone	 jnl;		/* the journal's records */
	struct stored_zone	*delta;		/* the IXFR, or NULL */
	struct jnl_entry	 last;		/* the journal's last entry */
	const struct zrr	*soa;		/* the new SOA, or NULL */
	struct store_header	 h;		/* the zone's after it all */
	int			 ndelta;	/* in the IXFR */
};

/*
 * Where the pass over NAME.zone puts the zone: a zone file (f) or the
 * records indexed (sz, room for cap); h counts.
 */
struct ixsink {
	FILE			*f;
	struct stored_zone	*sz;
	size_t			 cap;
	struct store_header	 h;
};

struct iowners;

static uint32_t	ix_hash(const struct ixset *, const struct zrr *);
static int	ix_equal(const struct zrr *, const struct zrr *);
static uint32_t	ix_key(const struct zrr *);
static uint32_t	ix_find(struct ixset *, const struct zrr *, uint32_t,
		    int);
static int	ix_insert(struct ixset *, const struct zrr *, uint32_t, int,
		    int);
static int	ix_fold(struct ixset *, const struct stored_zone *, char *,
		    size_t);
static int	ix_alloc(struct ixset *, uint64_t);
static int	ix_map(const char *, struct stored_zone *, char *, size_t);
static int	ix_begin(const char *, const char *, struct ixrun *, char *,
		    size_t);
static void	ix_end(struct ixrun *);
static uint32_t	ix_from(const struct ixrun *);
static void	ix_log(const char *, const struct ixrun *);
static int	ix_stream(struct ixrun *, struct ixsink *, char *, size_t);
static int	ix_put(struct ixsink *, const struct zrr *);
static void	ix_rrname(const struct zrr *, char *, size_t);
static int64_t	ix_size(const struct zrr *);
static struct iowner *ix_owner(struct builder *, struct iowners *,
		    const struct zrr *);
static int	ix_change(struct iowner *, const struct zrr *, int);

#define IXFR_KEPT_MIN	2000	/* delta records a journal takes in any
				   case */
#define IXFR_KEPT_SHARE	8	/* or this share of a kept zone's */

/*
 * The owner in any case, the type and the rdata, keyed: the records are
 * the primary's, and a re-sign hashes millions of long RRSIGs (SipHash
 * takes eight bytes a round, FNV one).
 */
static uint32_t
ix_hash(const struct ixset *s, const struct zrr *r)
{
	uint64_t	 h;

	h = fnv_add_lower(FNV_BASIS, r->owner, r->ownerlen) ^
	    (uint64_t)r->type << 32;
	h ^= siphash13(s->key, r->rdata, r->rdlen);
	return h ^ h >> 32;
}

static int
ix_equal(const struct zrr *a, const struct zrr *b)
{
	return a->type == b->type && a->class == b->class &&
	    a->rdlen == b->rdlen &&
	    memcmp(a->rdata, b->rdata, a->rdlen) == 0 &&
	    dns_name_equal(a->owner, a->ownerlen, b->owner, b->ownerlen);
}

/* What the pass over the stored zone tests before it hashes a record. */
static uint32_t
ix_key(const struct zrr *r)
{
	return (r->type * 31U + r->ownerlen * 7U + r->rdlen) % 4096;
}

/*
 * The entry of that kind equal to r, whose ix_hash is h (alive, for
 * IX_ADD), or UINT32_MAX.
 */
static uint32_t
ix_find(struct ixset *s, const struct zrr *r, uint32_t h, int kind)
{
	uint32_t	 i, e;

	for (i = h & s->mask; (e = s->tab[i]) != 0;
	    i = (i + 1) & s->mask)
		if (s->kind[e - 1] == kind && (kind != IX_ADD ||
		    s->alive[e - 1]) && ix_equal(&s->rr[e - 1], r))
			return e - 1;
	return UINT32_MAX;
}

static int
ix_insert(struct ixset *s, const struct zrr *r, uint32_t h, int kind,
    int delta)
{
	uint32_t	 i, k;

	if (s->n == s->cap)
		return -1;
	k = ix_key(r);
	s->bloom[k / 8] |= 1 << (k % 8);
	s->rr[s->n] = *r;
	s->kind[s->n] = kind;
	s->alive[s->n] = 1;
	s->delta[s->n] = delta;
	for (i = h & s->mask; s->tab[i] != 0; i = (i + 1) & s->mask)
		;
	s->tab[i] = ++s->n;
	return 0;
}

static void
ix_rrname(const struct zrr *r, char *buf, size_t len)
{
	char	 name[DNS_MAXNAMESTR], type[DNS_MAXTYPESTR];

	dns_name_to_text(r->owner, r->ownerlen, name, sizeof(name));
	snprintf(buf, len, "%.200s %s", name, dns_type_name(r->type, type,
	    sizeof(type)));
}

/* The deltas into s; the number of deltas, or -1 with err. */
static int
ix_fold(struct ixset *s, const struct stored_zone *delta, char *err,
    size_t errlen)
{
	const struct zrr	*r;
	char			 what[DNS_MAXNAMESTR + 32];
	uint64_t		 i;
	uint32_t		 e, h;
	int			 adding = -1, ndelta = 0;

	for (i = 0; i < delta->src.nrr; i++) {
		r = &delta->src.rrs[i];
		h = ix_hash(s, r);
		if (r->type == DNS_T_SOA && dns_name_equal(r->owner,
		    r->ownerlen, delta->apex, delta->apexlen)) {
			adding = adding != 0 ? 0 : 1;
			if (adding == 0)
				ndelta++;
		} else if (adding == -1) {
			snprintf(err, errlen, "IXFR: the deltas do not begin "
			    "with an SOA");
			return -1;
		}
		if ((e = ix_find(s, r, h, IX_ADD)) != UINT32_MAX)
			s->alive[e] = 0;
		else if (adding == 0 && ix_find(s, r, h, IX_DEL) !=
		    UINT32_MAX) {
			ix_rrname(r, what, sizeof(what));
			snprintf(err, errlen, "IXFR delta %d deletes %s, which "
			    "is not in the zone", ndelta, what);
			return -1;
		} else if ((adding == 0 || ix_find(s, r, h, IX_DEL) ==
		    UINT32_MAX) && ix_insert(s, r, h, adding ? IX_REPL :
		    IX_DEL, ndelta) == -1)
			goto full;
		if (adding == 1 && ix_insert(s, r, h, IX_ADD, ndelta) == -1)
			goto full;
	}
	if (adding != 1) {
		snprintf(err, errlen, "IXFR: the last delta adds nothing, not "
		    "even its SOA");
		return -1;
	}
	return ndelta;
 full:
	snprintf(err, errlen, "IXFR: out of room for the deltas");
	return -1;
}

/* The set for n delta records: 0, or -1. */
static int
ix_alloc(struct ixset *s, uint64_t n)
{
	uint32_t	 cap;

	if (n >= (1U << 29))
		return -1;
	arc4random_buf(s->key, sizeof(s->key));
	s->cap = n * 2 + 1;
	for (cap = 16; cap < 2 * (uint64_t)s->cap; cap <<= 1)
		;
	s->mask = cap - 1;
	if ((s->rr = reallocarray(NULL, s->cap, sizeof(*s->rr))) == NULL ||
	    (s->kind = calloc(s->cap, 1)) == NULL ||
	    (s->alive = calloc(s->cap, 1)) == NULL ||
	    (s->delta = calloc(s->cap, sizeof(*s->delta))) == NULL ||
	    (s->tab = calloc(cap, sizeof(*s->tab))) == NULL)
		return -1;
	return 0;
}

/* NAME.zone mapped into z (not indexed): 0, or -1 with err. */
static int
ix_map(const char *zone, struct stored_zone *z, char *err, size_t errlen)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	int		 fd;

	if (dns_name_from_text(zone, z->apex, &z->apexlen) == -1 ||
	    store_path(zone, ".zone", path, sizeof(path)) == -1) {
		snprintf(err, errlen, "bad zone name");
		return -1;
	}
	dns_name_lower(z->apex, z->apexlen);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(z->hdr) &&
	    (z->map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) == MAP_FAILED)
		z->map = NULL;
	close(fd);
	if (z->map == NULL) {
		snprintf(err, errlen, "%s: too short or not readable", path);
		return -1;
	}
	z->mapsize = st.st_size;
	memcpy(&z->hdr, z->map, sizeof(z->hdr));
	if (store_header_ok(&z->hdr, z->mapsize) == -1 ||
	    z->hdr.records > z->hdr.bytes / 11) {
		snprintf(err, errlen, "%s: not a zone file of this machine, "
		    "or truncated", path);
		return -1;
	}
	return 0;
}

/*
 * Begin applying to zone its journal, then the IXFR in deltapath if not
 * NULL: NAME.zone mapped, the deltas folded into r->s, r->soa the SOA
 * they end with (NULL: there are none), r->h the header after them.
 * 0, or -1 with err; ix_end() in any case.
 */
static int
ix_begin(const char *zone, const char *deltapath, struct ixrun *r,
    char *err, size_t errlen)
{
	struct dns_soa	 soa;
	uint32_t	 e, serial;

	memset(r, 0, sizeof(*r));
	if (ix_map(zone, &r->zone, err, errlen) == -1)
		return -1;
	memcpy(r->jnl.apex, r->zone.apex, r->zone.apexlen);
	r->jnl.apexlen = r->zone.apexlen;
	if (jnl_load(zone, &r->zone.hdr, &r->jnl, &r->last, err,
	    errlen) == -1)
		return -1;
	r->h = r->zone.hdr;
	if (r->jnl.src.nrr > 0) {
		r->h.serial = r->last.to;
		r->h.kind = XFR_IXFR;
		r->h.when = r->last.when;
		r->h.stored = r->last.stored;
		memcpy(r->h.primary, r->last.primary, sizeof(r->h.primary));
	}
	if (deltapath != NULL && ((r->delta = calloc(1,
	    sizeof(*r->delta))) == NULL || store_load(zone, deltapath,
	    r->delta, err, errlen) == -1))
		return -1;
	if (r->delta != NULL)
		r->h = r->delta->hdr;
	if (r->jnl.src.nrr == 0 && r->delta == NULL)
		return 0;
	if (ix_alloc(&r->s, r->jnl.src.nrr + (r->delta ?
	    r->delta->src.nrr : 0)) == -1) {
		snprintf(err, errlen, "out of memory for the IXFR");
		return -1;
	}
	if (r->jnl.src.nrr > 0 && ix_fold(&r->s, &r->jnl, err, errlen) == -1) {
		snprintf(err + strlen(err), errlen - strlen(err), " (in the "
		    "journal)");
		return -1;
	}
	if (r->delta != NULL &&
	    (r->ndelta = ix_fold(&r->s, r->delta, err, errlen)) == -1)
		return -1;
	/* the new serial: the last SOA added */
	for (e = r->s.n; e-- > 0;)
		if (r->s.kind[e] == IX_ADD && r->s.alive[e] &&
		    r->s.rr[e].type == DNS_T_SOA)
			break;
	serial = r->h.serial;
	if (e == UINT32_MAX || dns_soa_parse(r->s.rr[e].rdata,
	    r->s.rr[e].rdlen, &soa) == -1 || soa.serial != serial) {
		snprintf(err, errlen, "IXFR: the zone's SOA after the deltas "
		    "is not serial %u", serial);
		return -1;
	}
	r->soa = &r->s.rr[e];
	/* a serial is never reused by IXFR: zones.c tells images by it */
	if (r->delta != NULL && ix_from(r) == serial) {
		snprintf(err, errlen, "IXFR: the serial stays %u", serial);
		return -1;
	}
	return 0;
}

static void
ix_end(struct ixrun *r)
{
	free(r->s.rr);
	free(r->s.kind);
	free(r->s.alive);
	free(r->s.delta);
	free(r->s.tab);
	store_unload(&r->zone);
	store_unload(&r->jnl);
	if (r->delta != NULL) {
		store_unload(r->delta);
		free(r->delta);
	}
}

/* The serial r's IXFR begins with (its first SOA), for the log. */
static uint32_t
ix_from(const struct ixrun *r)
{
	struct dns_soa	 soa;

	if (r->delta == NULL || r->delta->src.nrr == 0 ||
	    dns_soa_parse(r->delta->src.rrs[0].rdata,
	    r->delta->src.rrs[0].rdlen, &soa) == -1)
		return 0;
	return soa.serial;
}

/*
 * The IXFR in deltapath applied to the stored zone (NAME.zone and its
 * journal) into outpath, a whole zone file, synced (NULL deltapath: the
 * journal alone, a compaction).  0, or -1 with err.
 */
int
ixfr_apply(const char *zone, const char *deltapath, const char *outpath,
    char *err, size_t errlen)
{
	struct ixrun	 r;
	struct ixsink	 k;
	int		 fd = -1, rc = -1;

	memset(&k, 0, sizeof(k));
	if (ix_begin(zone, deltapath, &r, err, errlen) == -1)
		goto done;
	k.h = r.h;
	if ((fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (k.f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", outpath, strerror(errno));
		goto done;
	}
	fwrite(&k.h, sizeof(k.h), 1, k.f);
	if (ix_stream(&r, &k, err, errlen) == -1)
		goto done;
	if (fflush(k.f) == EOF || ferror(k.f) ||
	    (uint64_t)(ftello(k.f) - sizeof(k.h)) != k.h.bytes ||
	    pwrite(fd, &k.h, sizeof(k.h), 0) != sizeof(k.h) ||
	    fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", outpath, strerror(errno));
		goto done;
	}
	if (deltapath != NULL)
		ix_log(zone, &r);
	rc = 0;
 done:
	if (k.f != NULL)
		fclose(k.f);
	else if (fd != -1)
		close(fd);
	if (rc == -1 && fd != -1)
		unlink(outpath);
	ix_end(&r);
	return rc;
}

/* The IXFR r applied, in the log. */
static void
ix_log(const char *zone, const struct ixrun *r)
{
	ixfr_log(zone, ix_from(r), r->h.serial, r->ndelta,
	    r->delta->src.nrr);
}

/* An IXFR applied (from serial, to serial, deltas, records), logged. */
void
ixfr_log(const char *zone, uint32_t from, uint32_t to, int ndelta,
    uint64_t nrr)
{
	log_info("zone %s: IXFR %u -> %u: %d deltas, %llu records changed",
	    zone, from, to, ndelta, (unsigned long long)nrr);
}

/*
 * The stored zone (NAME.zone, its journal, then the IXFR in deltapath
 * if not NULL) indexed in sz, whose maps it keeps (store_unload).  0, or
 * -1 with err.
 */
int
ixfr_load(const char *zone, const char *deltapath, struct stored_zone *sz,
    char *err, size_t errlen)
{
	struct ixrun	 r;
	struct ixsink	 k;
	char		 path[PATH_MAX];
	int		 rc = -1;

	memset(sz, 0, sizeof(*sz));
	memset(&k, 0, sizeof(k));
	if (ix_begin(zone, deltapath, &r, err, errlen) == -1)
		goto done;
	if (r.soa == NULL) {
		/* nothing to apply: NAME.zone indexed as it is */
		ix_end(&r);
		if (store_path(zone, ".zone", path, sizeof(path)) == -1) {
			snprintf(err, errlen, "zone name too long");
			return -1;
		}
		return store_load(zone, path, sz, err, errlen);
	}
	memcpy(sz->apex, r.zone.apex, r.zone.apexlen);
	sz->apexlen = r.zone.apexlen;
	k.sz = sz;
	k.cap = r.zone.hdr.records + r.s.n + 1;
	k.h = r.h;
	if ((sz->src.rrs = calloc(k.cap, sizeof(*sz->src.rrs))) == NULL) {
		snprintf(err, errlen, "out of memory for %llu records",
		    (unsigned long long)k.cap);
		goto done;
	}
	if (ix_stream(&r, &k, err, errlen) == -1)
		goto done;
	if (deltapath != NULL)
		ix_log(zone, &r);
	sz->hdr = k.h;
	sz->src.apex = sz->apex;
	sz->src.apexlen = sz->apexlen;
	sz->src.serial = sz->hdr.serial;
	/* the records point into the three maps: sz keeps them */
	sz->map = r.zone.map;
	sz->mapsize = r.zone.mapsize;
	sz->jmap = r.jnl.map;
	sz->jmapsize = r.jnl.mapsize;
	sz->delta = r.delta;
	r.zone.map = r.jnl.map = NULL;
	r.delta = NULL;
	rc = 0;
 done:
	ix_end(&r);
	if (rc == -1)
		store_unload(sz);
	return rc;
}

/* r into sink k: the zone file's encoding, the index, or the counts. */
static int
ix_put(struct ixsink *k, const struct zrr *r)
{
	size_t		 n;

	if (k->f != NULL)
		n = store_put(k->f, r);
	else {
		n = ix_size(r);
		if (k->sz->src.nrr == k->cap)
			return -1;
		k->sz->src.rrs[k->sz->src.nrr++] = *r;
	}
	k->h.records++;
	k->h.bytes += n;
	return 0;
}

/*
 * One pass over NAME.zone (r->zone): the new SOA, every stored record
 * the deltas leave (a zone file's copied as it is, in runs), the records
 * added; into sink k, its header's counts set here.
 */
static int
ix_stream(struct ixrun *r, struct ixsink *k, char *err, size_t errlen)
{
	struct ixset	*s = &r->s;
	struct wire	 w;
	struct zrr	 rr;
	char		 what[DNS_MAXNAMESTR + 32];
	const uint8_t	*p;
	size_t		 run, start;
	uint32_t	 i, e, h, k8;

	k->h.records = k->h.bytes = 0;
	memset(&rr, 0, sizeof(rr));	/* the builder's flags, for the index */
	if (r->soa != NULL && ix_put(k, r->soa) == -1)
		goto full;
	p = (const uint8_t *)r->zone.map + sizeof(r->zone.hdr);
	wire_init(&w, p, r->zone.hdr.bytes);
	for (run = start = 0; w.off < r->zone.hdr.bytes;) {
		start = w.off;
		if (store_get(&w, &rr) == -1) {
			snprintf(err, errlen, "the stored zone: a record is "
			    "truncated");
			return -1;
		}
		k8 = ix_key(&rr);
		e = UINT32_MAX;
		if (s->n == 0 || !(s->bloom[k8 / 8] & (1 << (k8 % 8))) ||
		    (h = ix_hash(s, &rr), ((e = ix_find(s, &rr, h, IX_DEL)) ==
		    UINT32_MAX || !s->alive[e]) && ix_find(s, &rr, h,
		    IX_REPL) == UINT32_MAX)) {
			if (k->sz != NULL && !store_owner_ok(k->sz, &rr)) {
				snprintf(err, errlen, "the stored zone: a "
				    "record's owner is not in the zone");
				return -1;
			}
			if (k->f == NULL && ix_put(k, &rr) == -1)
				goto full;
			if (k->f != NULL) {
				k->h.records++;
				k->h.bytes += w.off - start;
			}
			continue;
		}
		if (e != UINT32_MAX && s->alive[e])
			s->alive[e] = 0;
		if (k->f != NULL)
			fwrite(p + run, 1, start - run, k->f);
		run = w.off;
	}
	if (k->f != NULL)
		fwrite(p + run, 1, r->zone.hdr.bytes - run, k->f);
	for (i = 0; i < s->n; i++)
		if (s->kind[i] == IX_DEL && s->alive[i]) {
			ix_rrname(&s->rr[i], what, sizeof(what));
			snprintf(err, errlen, "IXFR delta %d deletes %s%s, "
			    "which is not in the zone", s->delta[i], what,
			    s->rr[i].type == DNS_T_SOA ?
			    " (the deltas do not chain)" : "");
			return -1;
		}
	for (i = 0; i < s->n; i++)
		if (s->kind[i] == IX_ADD && s->alive[i] &&
		    &s->rr[i] != r->soa && ix_put(k, &s->rr[i]) == -1)
			goto full;
	return 0;
 full:
	snprintf(err, errlen, "the stored zone has more records than its "
	    "header says");
	return -1;
}

/* One owner an IXFR changes: its transferred records as the deltas go. */
struct iowner {
	const uint8_t	*owner;
	size_t		 len;
	uint32_t	 hash;
	struct zrr	*v;
	size_t		 n, cap;
	size_t		 n0;	/* its records before the IXFR */
	int64_t		 b0;	/* and their bytes as stored */
};

/* The owners an IXFR changes, found by the hash of their names. */
struct iowners {
	struct iowner	*v;
	size_t		 n, cap;
	uint32_t	*tab;	/* index + 1, by hash; cap * 2 slots */
};

/* A record's bytes in a zone file (ix_put's count). */
static int64_t
ix_size(const struct zrr *r)
{
	return STOREREC_FIXED + r->ownerlen + r->rdlen;
}

/* The owner of r among ow, added with its records from b if new. */
static struct iowner *
ix_owner(struct builder *b, struct iowners *ow, const struct zrr *r)
{
	struct iowner	*o;
	struct zrr	*v;
	uint32_t	 h, mask, s, *tab;
	size_t		 i, n, k;
	void		*p;

	h = fnv_add_lower(FNV_BASIS, r->owner, r->ownerlen);
	mask = ow->cap * 2 - 1;
	for (s = h & mask; ow->tab != NULL && ow->tab[s] != 0;
	    s = (s + 1) & mask) {
		o = &ow->v[ow->tab[s] - 1];
		if (o->hash == h && dns_name_equal(o->owner, o->len,
		    r->owner, r->ownerlen))
			return o;
	}
	if (ow->n == ow->cap) {
		n = ow->cap ? ow->cap * 2 : 64;
		if ((p = reallocarray(ow->v, n, sizeof(*ow->v))) == NULL)
			return NULL;
		ow->v = p;
		if ((tab = calloc(n * 2, sizeof(*tab))) == NULL)
			return NULL;
		free(ow->tab);
		ow->tab = tab;
		ow->cap = n;
		mask = n * 2 - 1;
		for (i = 0; i < ow->n; i++) {
			for (s = ow->v[i].hash & mask; tab[s] != 0;
			    s = (s + 1) & mask)
				;
			tab[s] = i + 1;
		}
		for (s = h & mask; tab[s] != 0; s = (s + 1) & mask)
			;
	}
	if (builder_owner(b, r->owner, r->ownerlen, &v, &n) == -1)
		return NULL;
	k = merge_transferred(v, n);
	o = &ow->v[ow->n++];
	o->owner = r->owner;
	o->len = r->ownerlen;
	o->hash = h;
	o->v = v;
	o->n = o->n0 = k;
	o->cap = n;
	for (o->b0 = 0, i = 0; i < k; i++)
		o->b0 += ix_size(&v[i]);
	ow->tab[s] = ow->n;
	return o;
}

/*
 * Delete (add 0) or add r at its owner: 0, 1 if a deleted one is not
 * there, -1 out of memory.
 */
static int
ix_change(struct iowner *o, const struct zrr *r, int add)
{
	size_t	 i;
	void	*p;

	for (i = 0; i < o->n; i++)
		if (ix_equal(&o->v[i], r))
			break;
	if (i < o->n)
		memmove(&o->v[i], &o->v[i + 1], (--o->n - i) * sizeof(*r));
	else if (!add)
		return 1;
	if (!add)
		return 0;
	if (o->n == o->cap) {
		if ((p = reallocarray(o->v, o->cap * 2 + 4, sizeof(*r))) ==
		    NULL)
			return -1;
		o->v = p;
		o->cap = o->cap * 2 + 4;
	}
	o->v[o->n++] = *r;
	return 0;
}

/*
 * Whether an IXFR of n records goes to the journal: a small one, or one
 * of at most an eighth of the records of a zone kept in memory, which
 * applies it to the names it reaches (a primary re-signing part of a
 * signed zone: its IXFR deletes and adds the RRSIGs of a few names in
 * sixteen).  A larger one (the whole zone re-signed) builds the zone in
 * full anyway: it is written as the whole zone in one pass (ixfr_apply)
 * rather than folded once to check it and again to load it.
 */
int
ixfr_journaled(uint64_t n, const struct zzone *z)
{
	return n <= IXFR_KEPT_MIN || (z != NULL && z->kept != NULL &&
	    n <= z->records / IXFR_KEPT_SHARE);
}

/*
 * The owners the IXFR delta changes in the kept zone b, each with its
 * records after the deltas, merged with its override in o, in *bo
 * (bowners_free; they point into delta and b), their number in *n; what
 * it is in *info.  The kept zone holds what NAME.zone and its journal
 * hold: the IXFR is checked against it as ix_fold checks it against them
 * (each deletion there, the deltas chained from the zone's SOA to one of
 * the serial the transfer names, never the same serial again).  0; -1
 * with err when the IXFR does not apply; 1 with err out of memory (then
 * the zone is built in full, which checks it against the stored zone).
 */
int
ixfr_owners(struct builder *b, const struct stored_zone *delta,
    struct overrides *o, const struct proxy_conf *pc, struct bowner **bo,
    size_t *n, struct ixfr_info *info, char *err, size_t errlen)
{
	struct override		*v;
	struct iowners		 ow;
	struct iowner		*w, *apex = NULL;
	const struct zrr	*r;
	struct zrr		*rrs;
	struct dns_soa		 soa;
	char			 what[DNS_MAXNAMESTR + 32];
	size_t			 i, k, nsoa;
	int			 adding = -1, rv = 1, c;

	*bo = NULL;
	*n = 0;
	memset(&ow, 0, sizeof(ow));
	memset(info, 0, sizeof(*info));
	info->to = delta->hdr.serial;
	snprintf(err, errlen, "out of memory for the IXFR");
	for (i = 0; i < delta->src.nrr; i++) {
		r = &delta->src.rrs[i];
		if (r->type == DNS_T_SOA && dns_name_equal(r->owner,
		    r->ownerlen, delta->apex, delta->apexlen)) {
			adding = adding != 0 ? 0 : 1;
			if (adding == 0 && info->ndelta++ == 0 &&
			    dns_soa_parse(r->rdata, r->rdlen, &soa) == 0)
				info->from = soa.serial;
		} else if (adding == -1) {
			snprintf(err, errlen, "IXFR: the deltas do not begin "
			    "with an SOA");
			rv = -1;
			goto done;
		}
		if ((w = ix_owner(b, &ow, r)) == NULL ||
		    (c = ix_change(w, r, adding)) == -1)
			goto done;
		if (c == 1) {
			ix_rrname(r, what, sizeof(what));
			snprintf(err, errlen, "IXFR delta %d deletes %s, which "
			    "is not in the zone", info->ndelta, what);
			rv = -1;
			goto done;
		}
		if (r->type == DNS_T_SOA)
			apex = w;
	}
	rv = -1;
	if (adding != 1) {
		snprintf(err, errlen, "IXFR: the last delta adds nothing, not "
		    "even its SOA");
		goto done;
	}
	for (k = 0, nsoa = 0; apex != NULL && k < apex->n; k++)
		if (apex->v[k].type == DNS_T_SOA && nsoa++ == 0 &&
		    dns_soa_parse(apex->v[k].rdata, apex->v[k].rdlen,
		    &soa) == -1)
			nsoa = 2;
	if (nsoa != 1 || soa.serial != info->to) {
		snprintf(err, errlen, "IXFR: the zone's SOA after the deltas "
		    "is not serial %u", info->to);
		goto done;
	}
	/* a serial is never reused by IXFR: zones.c tells images by it */
	if (info->from == info->to) {
		snprintf(err, errlen, "IXFR: the serial stays %u", info->to);
		goto done;
	}
	rv = 1;
	snprintf(err, errlen, "out of memory for the IXFR");
	if ((*bo = calloc(ow.n + 1, sizeof(**bo))) == NULL)
		goto done;
	for (i = 0; i < ow.n; i++, (*n)++) {
		w = &ow.v[i];
		/* the stored zone's counts (ix_put's) */
		info->records += (int64_t)w->n - (int64_t)w->n0;
		info->bytes -= w->b0;
		for (k = 0; k < w->n; k++)
			info->bytes += ix_size(&w->v[k]);
		v = over_find(o, w->owner, w->len);
		(*bo)[i].owner = w->owner;
		(*bo)[i].ownerlen = w->len;
		if ((rrs = calloc(w->n + pc->n4 + pc->n6 + 1,
		    sizeof(*rrs))) == NULL)
			goto done;
		(*bo)[i].rrs = rrs;
		/* a signed zone's overrides are dormant (merge_zone) */
		(*bo)[i].nrr = merge_owner(w->v, w->n, v != NULL &&
		    v->proxied && !builder_signed(b), pc, rrs);
	}
	rv = 0;
 done:
	for (i = 0; i < ow.n; i++)
		free(ow.v[i].v);
	free(ow.v);
	free(ow.tab);
	if (rv != 0) {
		bowners_free(*bo, *n);
		*bo = NULL;
		*n = 0;
	}
	return rv;
}
