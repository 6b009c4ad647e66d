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
 * Applying an IXFR (RFC 1995) to the stored zone.  The deltas come as xfrd
 * sends them (shared/secd.h, struct xfr_msg): SOA(old), deleted records,
 * SOA(new), added records, repeated.  Each SOA flips between deleting and
 * adding and is itself deleted or added, so a delta whose old SOA is not
 * the zone's current one does not apply, like any deletion of a record
 * that is not there.  Records are equal when owner (case aside), type,
 * class and rdata are; TTLs do not count, an added record replaces an
 * equal one.
 *
 * The deltas are first folded into a small set: records added (alive
 * until a later delta deletes them), records of the stored zone deleted
 * (each must be found there), records of the stored zone replaced by an
 * added equal one.  The stored zone is then read once, in order, without
 * indexing it: what the set drops is skipped, the rest copied as it is
 * written, the new SOA first (store.h) and the added records last, into a
 * new zone file for change_apply().  Its cost is a read and a write of
 * the file, not a table of the whole zone.
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
#include "store.h"
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
};

struct iowner;

static uint32_t	ix_hash(const struct zrr *);
static int	ix_equal(const struct zrr *, const struct zrr *);
static uint32_t	ix_key(const struct zrr *);
static uint32_t	ix_find(struct ixset *, const struct zrr *, int);
static int	ix_insert(struct ixset *, const struct zrr *, int, int);
static int	ix_fold(struct ixset *, const struct stored_zone *, char *,
		    size_t);
static int	ix_stream(struct ixset *, const char *, const struct zrr *,
		    const struct store_header *, const char *, char *,
		    size_t);
static void	ix_put(FILE *, const struct zrr *, struct store_header *);
static void	ix_rrname(const struct zrr *, char *, size_t);
static struct iowner *ix_owner(struct builder *, struct iowner **, size_t *,
		    size_t *, const struct zrr *);
static int	ix_change(struct iowner *, const struct zrr *, int);

#define IXFR_KEPT_MAX	2000	/* delta records applied to the kept zone
				   at most (owners are found by a linear
				   search) */

static uint32_t
ix_hash(const struct zrr *r)
{
	uint32_t	 h;
	uint8_t		 t[2];

	t[0] = r->type & 0xff;
	t[1] = r->type >> 8;
	h = fnv_add_lower(FNV_BASIS, r->owner, r->ownerlen);
	h = fnv_add(h, t, sizeof(t));
	return fnv_add(h, r->rdata, r->rdlen);
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

/* The entry of that kind equal to r (alive, for IX_ADD), or UINT32_MAX. */
static uint32_t
ix_find(struct ixset *s, const struct zrr *r, int kind)
{
	uint32_t	 i, e;

	for (i = ix_hash(r) & s->mask; (e = s->tab[i]) != 0;
	    i = (i + 1) & s->mask)
		if (s->kind[e - 1] == kind && (kind != IX_ADD ||
		    s->alive[e - 1]) && ix_equal(&s->rr[e - 1], r))
			return e - 1;
	return UINT32_MAX;
}

static int
ix_insert(struct ixset *s, const struct zrr *r, int kind, int delta)
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
	for (i = ix_hash(r) & s->mask; s->tab[i] != 0; i = (i + 1) & s->mask)
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
	uint32_t		 e;
	int			 adding = -1, ndelta = 0;

	for (i = 0; i < delta->src.nrr; i++) {
		r = &delta->src.rrs[i];
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
		if ((e = ix_find(s, r, IX_ADD)) != UINT32_MAX)
			s->alive[e] = 0;
		else if (adding == 0 && ix_find(s, r, IX_DEL) != UINT32_MAX) {
			ix_rrname(r, what, sizeof(what));
			snprintf(err, errlen, "IXFR delta %d deletes %s, which "
			    "is not in the zone", ndelta, what);
			return -1;
		} else if ((adding == 0 || ix_find(s, r, IX_DEL) ==
		    UINT32_MAX) && ix_insert(s, r, adding ? IX_REPL : IX_DEL,
		    ndelta) == -1)
			goto full;
		if (adding == 1 && ix_insert(s, r, IX_ADD, ndelta) == -1)
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

int
ixfr_apply(const char *zone, const char *deltapath, const char *outpath,
    char *err, size_t errlen)
{
	struct stored_zone	 delta;
	struct ixset		 s;
	struct dns_soa		 soa;
	char			 path[PATH_MAX];
	uint32_t		 e, cap, from;
	int			 ndelta, rc = -1;

	memset(&s, 0, sizeof(s));
	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    store_load(zone, deltapath, &delta, err, errlen) == -1)
		return -1;
	s.cap = delta.src.nrr * 2 + 1;
	for (cap = 16; cap < 2 * (uint64_t)s.cap && cap < (1U << 31);
	    cap <<= 1)
		;
	s.mask = cap - 1;
	if (s.cap >= (1U << 30) ||
	    (s.rr = reallocarray(NULL, s.cap, sizeof(*s.rr))) == NULL ||
	    (s.kind = calloc(s.cap, 1)) == NULL ||
	    (s.alive = calloc(s.cap, 1)) == NULL ||
	    (s.delta = calloc(s.cap, sizeof(*s.delta))) == NULL ||
	    (s.tab = calloc(cap, sizeof(*s.tab))) == NULL) {
		snprintf(err, errlen, "out of memory for the IXFR");
		goto done;
	}
	if ((ndelta = ix_fold(&s, &delta, err, errlen)) == -1)
		goto done;
	/* the new serial: the last SOA added */
	for (e = s.n; e-- > 0;)
		if (s.kind[e] == IX_ADD && s.alive[e] &&
		    s.rr[e].type == DNS_T_SOA)
			break;
	if (e == UINT32_MAX || dns_soa_parse(s.rr[e].rdata, s.rr[e].rdlen,
	    &soa) == -1 || soa.serial != delta.hdr.serial) {
		snprintf(err, errlen, "IXFR: the zone's SOA after the deltas "
		    "is not serial %u", delta.hdr.serial);
		goto done;
	}
	from = delta.src.nrr > 0 && delta.src.rrs[0].rdlen >= 20 &&
	    dns_soa_parse(delta.src.rrs[0].rdata, delta.src.rrs[0].rdlen,
	    &soa) == 0 ? soa.serial : 0;
	rc = ix_stream(&s, path, &s.rr[e], &delta.hdr, outpath, err, errlen);
	if (rc == 0)
		log_info("zone %s: IXFR %u -> %u: %d deltas, %llu records "
		    "changed", zone, from, delta.hdr.serial, ndelta,
		    (unsigned long long)delta.src.nrr);
 done:
	free(s.rr);
	free(s.kind);
	free(s.alive);
	free(s.delta);
	free(s.tab);
	store_unload(&delta);
	return rc;
}

static void
ix_put(FILE *f, const struct zrr *r, struct store_header *h)
{
	h->records++;
	h->bytes += store_put(f, r);
}

/*
 * One pass over the stored zone in path: the new SOA, every stored record
 * the deltas leave (copied as it is), the records added; into out with
 * header hin (its counts set here).
 */
static int
ix_stream(struct ixset *s, const char *path, const struct zrr *soa,
    const struct store_header *hin, const char *out, char *err,
    size_t errlen)
{
	struct store_header	 h = *hin, cur;
	struct stat		 st;
	struct wire		 w;
	struct zrr		 r;
	char			 what[DNS_MAXNAMESTR + 32];
	const uint8_t		*map = MAP_FAILED, *p;
	size_t			 run, start, len = 0;
	uint32_t		 i, e, k;
	FILE			*f = NULL;
	int			 fd, ofd = -1, rc = -1;

	h.records = h.bytes = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		if (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(cur))
			len = st.st_size;
		if (len > 0)
			map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
	}
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, len ? strerror(errno) :
		    "too short");
		return -1;
	}
	memcpy(&cur, map, sizeof(cur));
	if (memcmp(cur.magic, STORE_MAGIC, sizeof(cur.magic)) != 0 ||
	    cur.version != STORE_VERSION || cur.bom != STORE_BOM ||
	    cur.bytes != len - sizeof(cur)) {
		snprintf(err, errlen, "%s: not a zone file of this machine, "
		    "or truncated", path);
		goto done;
	}
	if ((ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || (f = fdopen(ofd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		goto done;
	}
	fwrite(&h, sizeof(h), 1, f);
	ix_put(f, soa, &h);
	p = map + sizeof(cur);
	wire_init(&w, p, cur.bytes);
	for (run = start = 0; w.off < cur.bytes;) {
		start = w.off;
		if (store_get(&w, &r) == -1) {
			snprintf(err, errlen, "%s: a record is truncated",
			    path);
			goto done;
		}
		k = ix_key(&r);
		if (!(s->bloom[k / 8] & (1 << (k % 8))) ||
		    (((e = ix_find(s, &r, IX_DEL)) == UINT32_MAX ||
		    !s->alive[e]) && ix_find(s, &r, IX_REPL) == UINT32_MAX)) {
			h.records++;
			continue;
		}
		if (e != UINT32_MAX && s->alive[e])
			s->alive[e] = 0;
		fwrite(p + run, 1, start - run, f);
		run = w.off;
	}
	fwrite(p + run, 1, cur.bytes - run, f);
	for (i = 0; i < s->n; i++)
		if (s->kind[i] == IX_DEL && s->alive[i]) {
			ix_rrname(&s->rr[i], what, sizeof(what));
			snprintf(err, errlen, "IXFR delta %d deletes %s%s, "
			    "which is not in the zone", s->delta[i], what,
			    s->rr[i].type == DNS_T_SOA ?
			    " (the deltas do not chain)" : "");
			goto done;
		}
	for (i = 0; i < s->n; i++)
		if (s->kind[i] == IX_ADD && s->alive[i] && &s->rr[i] != soa)
			ix_put(f, &s->rr[i], &h);
	if (fflush(f) == EOF || ferror(f) ||
	    (h.bytes = ftello(f) - sizeof(h)) == 0 ||
	    pwrite(ofd, &h, sizeof(h), 0) != sizeof(h) || fsync(ofd) == -1) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		goto done;
	}
	rc = 0;
 done:
	if (f != NULL)
		fclose(f);
	else if (ofd != -1)
		close(ofd);
	if (rc == -1 && ofd != -1)
		unlink(out);
	munmap((void *)map, len);
	return rc;
}

/* One owner an IXFR changes: its transferred records as the deltas go. */
struct iowner {
	const uint8_t	*owner;
	size_t		 len;
	struct zrr	*v;
	size_t		 n, cap;
};

/* The owner of r among ow[], added with its records from b if new. */
static struct iowner *
ix_owner(struct builder *b, struct iowner **ow, size_t *now, size_t *owcap,
    const struct zrr *r)
{
	struct iowner	*o;
	struct zrr	*v;
	size_t		 i, n, k;
	void		*p;

	for (i = 0; i < *now; i++)
		if (dns_name_equal((*ow)[i].owner, (*ow)[i].len, r->owner,
		    r->ownerlen))
			return &(*ow)[i];
	if (*now == *owcap) {
		n = *owcap ? *owcap * 2 : 64;
		if ((p = reallocarray(*ow, n, sizeof(**ow))) == NULL)
			return NULL;
		*ow = p;
		*owcap = n;
	}
	if (builder_owner(b, r->owner, r->ownerlen, &v, &n) == -1)
		return NULL;
	k = merge_transferred(v, n);
	o = &(*ow)[(*now)++];
	o->owner = r->owner;
	o->len = r->ownerlen;
	o->v = v;
	o->n = k;
	o->cap = n;
	return o;
}

/* Delete (add 0) or add r at its owner; -1 if a deleted one is not there. */
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
		return -1;
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
 * The owners the IXFR delta (ixfr_apply has checked it) changes in the
 * kept zone b: each with its records after the deltas, merged with its
 * override in o, in *bo (bowners_free; they point into delta and b), their
 * number in *n.  0, or -1 with err when the change is for a full build
 * instead.
 */
int
ixfr_owners(struct builder *b, const struct stored_zone *delta,
    struct overrides *o, const struct proxy_conf *pc, struct bowner **bo,
    size_t *n, char *err, size_t errlen)
{
	struct override		*v;
	struct iowner		*ow = NULL, *w;
	const struct zrr	*r;
	struct zrr		*rrs;
	size_t			 i, now = 0, owcap = 0;
	int			 adding = -1, rv = -1;

	*bo = NULL;
	*n = 0;
	if (delta->src.nrr > IXFR_KEPT_MAX) {
		snprintf(err, errlen, "the IXFR has %zu records, more than "
		    "the %d applied to the kept zone", delta->src.nrr,
		    IXFR_KEPT_MAX);
		return -1;
	}
	snprintf(err, errlen, "out of memory for the IXFR");
	for (i = 0; i < delta->src.nrr; i++) {
		r = &delta->src.rrs[i];
		if (r->type == DNS_T_SOA && dns_name_equal(r->owner,
		    r->ownerlen, delta->apex, delta->apexlen))
			adding = adding != 0 ? 0 : 1;
		if (adding == -1 ||
		    (w = ix_owner(b, &ow, &now, &owcap, r)) == NULL ||
		    ix_change(w, r, adding) == -1)
			goto done;
	}
	if ((*bo = calloc(now + 1, sizeof(**bo))) == NULL)
		goto done;
	for (i = 0; i < now; i++, (*n)++) {
		w = &ow[i];
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
	for (i = 0; i < now; i++)
		free(ow[i].v);
	free(ow);
	if (rv == -1) {
		bowners_free(*bo, *n);
		*bo = NULL;
		*n = 0;
	}
	return rv;
}
