/*
 * Applying an IXFR (RFC 1995) to the stored zone.  The deltas come as xfrd
 * sends them (shared/secd.h, struct xfr_msg): SOA(old), deleted records,
 * SOA(new), added records, repeated.  Each SOA flips between deleting and
 * adding and is itself deleted or added, so a delta whose old SOA is not
 * the zone's current one does not apply, like any deletion of a record
 * that is not there.  Records are equal when owner (case aside), type,
 * class and rdata are; TTLs do not count, an added record replaces an
 * equal one.  The result is written, in the stored order with the added
 * records last, to a new zone file for zoned_install().
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"
#include "log.h"
#include "store.h"
#include "zoned.h"

struct ixset {
	struct zrr	*rr;		/* current, then added */
	uint8_t		*alive;
	uint32_t	 n, cap;
	uint32_t	*tab;		/* index + 1, by hash */
	uint32_t	 mask;
};

static uint32_t	ix_hash(const struct zrr *);
static int	ix_equal(const struct zrr *, const struct zrr *);
static uint32_t	ix_find(struct ixset *, const struct zrr *);
static void	ix_insert(struct ixset *, uint32_t);
static void	ix_put(FILE *, const struct zrr *, struct store_header *);
static int	ix_write(struct ixset *, uint32_t, const struct store_header *,
		    const char *, char *, size_t);
static void	ix_rrname(const struct zrr *, char *, size_t);

static uint32_t
ix_hash(const struct zrr *r)
{
	uint32_t	 h = 2166136261U;
	size_t		 i;
	uint8_t		 c;

	for (i = 0; i < r->ownerlen; i++) {
		c = r->owner[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = (h ^ c) * 16777619U;
	}
	h = (h ^ (r->type & 0xff)) * 16777619U;
	h = (h ^ (r->type >> 8)) * 16777619U;
	for (i = 0; i < r->rdlen; i++)
		h = (h ^ r->rdata[i]) * 16777619U;
	return h;
}

static int
ix_equal(const struct zrr *a, const struct zrr *b)
{
	return a->type == b->type && a->class == b->class &&
	    a->rdlen == b->rdlen &&
	    memcmp(a->rdata, b->rdata, a->rdlen) == 0 &&
	    dns_name_equal(a->owner, a->ownerlen, b->owner, b->ownerlen);
}

/* The living record equal to r, or UINT32_MAX. */
static uint32_t
ix_find(struct ixset *s, const struct zrr *r)
{
	uint32_t	 i, e;

	for (i = ix_hash(r) & s->mask; (e = s->tab[i]) != 0;
	    i = (i + 1) & s->mask)
		if (s->alive[e - 1] && ix_equal(&s->rr[e - 1], r))
			return e - 1;
	return UINT32_MAX;
}

static void
ix_insert(struct ixset *s, uint32_t idx)
{
	uint32_t	 i;

	for (i = ix_hash(&s->rr[idx]) & s->mask; s->tab[i] != 0;
	    i = (i + 1) & s->mask)
		;
	s->tab[i] = idx + 1;
}

static void
ix_rrname(const struct zrr *r, char *buf, size_t len)
{
	char	 name[DNS_MAXNAMESTR], type[DNS_MAXTYPESTR];

	dns_name_to_text(r->owner, r->ownerlen, name, sizeof(name));
	snprintf(buf, len, "%.200s %s", name, dns_type_name(r->type, type,
	    sizeof(type)));
}

/*
 * Apply the deltas in deltapath (a store file) to the stored zone, into
 * a new store file at outpath.  0, or -1 with the reason in err.
 */
int
ixfr_apply(const char *zone, const char *deltapath, const char *outpath,
    char *err, size_t errlen)
{
	struct stored_zone	 cur, delta;
	struct ixset		 s;
	struct store_header	 h;
	struct dns_soa		 soa;
	char			 path[PATH_MAX], what[DNS_MAXNAMESTR + 32];
	uint64_t		 i;
	uint32_t		 e, cap;
	int			 adding = -1, rc = -1, ndelta = 0;

	memset(&s, 0, sizeof(s));
	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    store_load(zone, path, &cur, err, errlen) == -1)
		return -1;
	if (store_load(zone, deltapath, &delta, err, errlen) == -1) {
		store_unload(&cur);
		return -1;
	}
	s.cap = cur.src.nrr + delta.src.nrr;
	for (cap = 16; cap < 2 * (uint64_t)s.cap && cap < (1U << 31);
	    cap <<= 1)
		;
	s.mask = cap - 1;
	if (s.cap >= (1U << 30) ||
	    (s.rr = reallocarray(NULL, s.cap + 1, sizeof(*s.rr))) == NULL ||
	    (s.alive = calloc(s.cap + 1, 1)) == NULL ||
	    (s.tab = calloc(cap, sizeof(*s.tab))) == NULL) {
		snprintf(err, errlen, "out of memory for the IXFR");
		goto done;
	}
	for (i = 0; i < cur.src.nrr; i++) {
		s.rr[s.n] = cur.src.rrs[i];
		s.alive[s.n] = 1;
		ix_insert(&s, s.n++);
	}
	for (i = 0; i < delta.src.nrr; i++) {
		struct zrr	*r = &delta.src.rrs[i];

		if (r->type == DNS_T_SOA && dns_name_equal(r->owner,
		    r->ownerlen, cur.apex, cur.apexlen)) {
			adding = adding != 0 ? 0 : 1;
			if (adding == 0)
				ndelta++;
		} else if (adding == -1) {
			snprintf(err, errlen, "IXFR: the deltas do not begin "
			    "with an SOA");
			goto done;
		}
		e = ix_find(&s, r);
		if (adding == 0) {
			if (e == UINT32_MAX) {
				ix_rrname(r, what, sizeof(what));
				snprintf(err, errlen, "IXFR delta %d deletes "
				    "%s%s, which is not in the zone", ndelta,
				    what, r->type == DNS_T_SOA ?
				    " (the deltas do not chain)" : "");
				goto done;
			}
			s.alive[e] = 0;
			continue;
		}
		if (e != UINT32_MAX)
			s.alive[e] = 0;
		s.rr[s.n] = *r;
		s.alive[s.n] = 1;
		ix_insert(&s, s.n++);
	}
	if (adding != 1) {
		snprintf(err, errlen, "IXFR: the last delta adds nothing, not "
		    "even its SOA");
		goto done;
	}
	/* the new serial: the last SOA added */
	for (e = s.n; e-- > 0;)
		if (s.alive[e] && s.rr[e].type == DNS_T_SOA)
			break;
	if (e == UINT32_MAX || dns_soa_parse(s.rr[e].rdata, s.rr[e].rdlen,
	    &soa) == -1 || soa.serial != delta.hdr.serial) {
		snprintf(err, errlen, "IXFR: the zone's SOA after the deltas "
		    "is not serial %u", delta.hdr.serial);
		goto done;
	}
	h = delta.hdr;
	rc = ix_write(&s, e, &h, outpath, err, errlen);
	if (rc == 0)
		log_info("zone %s: IXFR %u -> %u: %d deltas, %llu records "
		    "changed", zone, cur.hdr.serial, soa.serial, ndelta,
		    (unsigned long long)delta.src.nrr);
 done:
	free(s.rr);
	free(s.alive);
	free(s.tab);
	store_unload(&delta);
	store_unload(&cur);
	return rc;
}

static void
ix_put(FILE *f, const struct zrr *r, struct store_header *h)
{
	uint8_t		 fix[10];

	fputc(r->ownerlen, f);
	fwrite(r->owner, 1, r->ownerlen, f);
	fix[0] = r->type >> 8;
	fix[1] = r->type;
	fix[2] = r->class >> 8;
	fix[3] = r->class;
	fix[4] = r->ttl >> 24;
	fix[5] = r->ttl >> 16;
	fix[6] = r->ttl >> 8;
	fix[7] = r->ttl;
	fix[8] = r->rdlen >> 8;
	fix[9] = r->rdlen;
	fwrite(fix, 1, sizeof(fix), f);
	fwrite(r->rdata, 1, r->rdlen, f);
	h->records++;
	h->bytes += 11 + r->ownerlen + r->rdlen;
}

/*
 * The living records as a store file with header hin (its counts set
 * here): the SOA (record soa) first, as store.h wants, then the others.
 */
static int
ix_write(struct ixset *s, uint32_t soa, const struct store_header *hin,
    const char *path, char *err, size_t errlen)
{
	struct store_header	 h = *hin;
	FILE			*f;
	uint32_t		 i;
	int			 fd;

	h.records = h.bytes = 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fwrite(&h, sizeof(h), 1, f);
	ix_put(f, &s->rr[soa], &h);
	for (i = 0; i < s->n; i++)
		if (s->alive[i] && i != soa)
			ix_put(f, &s->rr[i], &h);
	if (fflush(f) == EOF || ferror(f) ||
	    pwrite(fd, &h, sizeof(h), 0) != sizeof(h) || fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		unlink(path);
		return -1;
	}
	fclose(f);
	return 0;
}
