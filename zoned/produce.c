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
 * The catalogs secd produces (secd.conf(5) catalog produce; RFC 9432,
 * version 2): a zone zoned makes itself, not transferred, listing every
 * zone of the configuration transferred out (one with provide transfer),
 * so that a fleet's Knot and BIND add and remove them by themselves:
 *
 *	CATALOG		0 SOA invalid. invalid. 1 3600 600 2147483646 0
 *	CATALOG		0 NS invalid.
 *	version.CATALOG	0 TXT "2"
 *	ID.zones.CATALOG	0 PTR MEMBER.
 *	group.ID.zones.CATALOG	0 TXT "TEMPLATE"	(a member of a template)
 *
 * ID is the member's name hashed (SipHash-1-3 of its lower-case wire
 * form, a key of zeros, 16 hex digits): the same member keeps its ID, so
 * a consumer never resets it.  After each configuration (the start, a
 * reload, a catalog's new members) the records are made again; when
 * they are not those of NAME.zone they replace it as an AXFR would, and
 * the change path builds, serves and numbers it: the SOA's serial is 1,
 * the one served secd's own (secd.conf(5) serial policy), which moves
 * when the members do.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "siphash.h"
#include "store.h"
#include "zoned.h"

#define PRODUCE_TTL	0
#define PRODUCE_SERIAL	1

static int	produce_is_member(const struct zone_conf *);
static int	produce_zone(const struct zone_conf *);
static int	produce_records(const struct zone_conf *, struct wbuf *,
		    uint64_t *, size_t *);
static int	produce_rr(struct wbuf *, const uint8_t *, size_t, uint16_t,
		    const uint8_t *, size_t);
static int	produce_member(struct wbuf *, const uint8_t *, size_t,
		    const struct zone_conf *);
static int	produce_same(const char *, const uint8_t *, size_t);
static int	produce_write(const char *, const uint8_t *, size_t, uint64_t,
		    char *);

/* Every catalog of the configuration, made again if it changed. */
void
produce_all(void)
{
	const struct zone_conf	*zc;

	TAILQ_FOREACH(zc, &zoned_conf()->zones, entry)
		if (zc->opts->produce && produce_zone(zc) == -1)
			log_warnx("zone %s: the catalog of the zones "
			    "transferred out is not made; served as it was",
			    zc->name);
}

/* 1 if zc is a member of a catalog secd produces. */
static int
produce_is_member(const struct zone_conf *zc)
{
	return !TAILQ_EMPTY(&zc->opts->xfrouts) && !zc->opts->produce &&
	    zc->opts->catalog == 0;
}

static int
produce_zone(const struct zone_conf *cat)
{
	struct change	 c;
	struct xfr_msg	 m;
	struct wbuf	 w;
	char		 tmp[PATH_MAX], err[SECD_MSGLEN];
	uint64_t	 nrr = 0;
	uint32_t	 gen;
	size_t		 cap = 4096, members = 0;
	int		 rv = -1;

	memset(&w, 0, sizeof(w));
	for (;;) {
		free(w.buf);
		if ((w.buf = malloc(cap)) == NULL)
			return -1;
		wbuf_init(&w, w.buf, cap);
		nrr = 0;
		if (produce_records(cat, &w, &nrr, &members) == 0)
			break;
		if (!w.err || cap > SIZE_MAX / 4)
			goto done;
		cap *= 4;
	}
	if (produce_same(cat->name, w.buf, w.len)) {
		rv = 0;
		goto done;
	}
	if (produce_write(cat->name, w.buf, w.len, nrr, tmp) == -1)
		goto done;
	memset(&c, 0, sizeof(c));
	c.zone = cat->name;
	c.ztmp = tmp;
	if (change_apply(&c, &gen, err, sizeof(err)) == -1) {
		log_warnx("zone %s: %s", cat->name, err);
		unlink(tmp);
		goto done;
	}
	log_info("zone %s: catalog of the %zu zones transferred out made",
	    cat->name, members);
	/* xfrd shows it, sends NOTIFY out of it */
	memset(&m, 0, sizeof(m));
	strlcpy(m.zone, cat->name, sizeof(m.zone));
	m.kind = XFR_STORED;
	m.ok = zone_info(cat->name, &m) == 0;
	m.gen = zoned_conf()->gen;
	if (iev_compose(zoned_xfrd(), IMSG_ZONE_LOADED, 0, 0, -1, &m,
	    sizeof(m)) == -1)
		fatal("%s", __func__);
	rv = 0;
 done:
	free(w.buf);
	return rv;
}

/*
 * The catalog's records into w, in the store encoding (the SOA first);
 * -1 when they do not fit (w->err) or a name is bad.
 */
static int
produce_records(const struct zone_conf *cat, struct wbuf *w, uint64_t *nrr,
    size_t *members)
{
	static const uint8_t	 invalid[] = "\7invalid";
	static const uint8_t	 two[] = { 1, '2' };
	const struct zone_conf	*zc;
	uint8_t			 apex[DNS_MAXNAME], name[DNS_MAXNAME];
	uint8_t			 rd[2 * sizeof(invalid) + 20];
	size_t			 alen, o = 0;
	uint32_t		 v[5] = { PRODUCE_SERIAL, 3600, 600,
				    2147483646, 0 };
	int			 i;

	if (dns_name_from_text(cat->name, apex, &alen) == -1)
		return -1;
	memcpy(rd, invalid, sizeof(invalid));
	memcpy(rd + sizeof(invalid), invalid, sizeof(invalid));
	o = 2 * sizeof(invalid);
	for (i = 0; i < 5; i++, o += 4) {
		rd[o] = v[i] >> 24;
		rd[o + 1] = v[i] >> 16;
		rd[o + 2] = v[i] >> 8;
		rd[o + 3] = v[i];
	}
	if (produce_rr(w, apex, alen, DNS_T_SOA, rd, o) == -1 ||
	    produce_rr(w, apex, alen, DNS_T_NS, invalid,
	    sizeof(invalid)) == -1)
		return -1;
	/* version.CATALOG TXT "2" */
	name[0] = 7;
	memcpy(name + 1, "version", 7);
	memcpy(name + 8, apex, alen);
	if (alen + 8 > DNS_MAXNAME ||
	    produce_rr(w, name, alen + 8, DNS_T_TXT, two, sizeof(two)) == -1)
		return -1;
	*nrr = 3;
	*members = 0;
	TAILQ_FOREACH(zc, &zoned_conf()->zones, entry) {
		if (!produce_is_member(zc))
			continue;
		if (produce_member(w, apex, alen, zc) == -1)
			return -1;
		*nrr += zc->opts->tmpl[0] != '\0' ? 2 : 1;
		(*members)++;
	}
	return 0;
}

/* ID.zones.CATALOG PTR MEMBER, and the group of its template. */
static int
produce_member(struct wbuf *w, const uint8_t *apex, size_t alen,
    const struct zone_conf *zc)
{
	static const uint8_t	 key[SIPHASH_KEYLEN];
	uint8_t			 member[DNS_MAXNAME], name[DNS_MAXNAME];
	uint8_t			 txt[SECD_TMPLNAMELEN + 1];
	size_t			 mlen, tlen, n;
	uint64_t		 id;

	if (dns_name_from_text(zc->name, member, &mlen) == -1)
		return -1;
	dns_name_lower(member, mlen);
	id = siphash13(key, member, mlen);
	/* "group." 6, the ID's label 17, "zones" 6 */
	if (alen + 6 + 17 + 6 > DNS_MAXNAME)
		return -1;
	n = 0;
	name[n++] = 16;
	snprintf((char *)name + n, 17, "%016llx", (unsigned long long)id);
	n += 16;
	name[n++] = 5;
	memcpy(name + n, "zones", 5);
	n += 5;
	memcpy(name + n, apex, alen);
	if (produce_rr(w, name, n + alen, DNS_T_PTR, member, mlen) == -1)
		return -1;
	if (zc->opts->tmpl[0] == '\0')
		return 0;
	memmove(name + 6, name, n + alen);
	name[0] = 5;
	memcpy(name + 1, "group", 5);
	tlen = strlen(zc->opts->tmpl);
	txt[0] = tlen;
	memcpy(txt + 1, zc->opts->tmpl, tlen);
	return produce_rr(w, name, n + alen + 6, DNS_T_TXT, txt, tlen + 1);
}

static int
produce_rr(struct wbuf *w, const uint8_t *owner, size_t ownerlen,
    uint16_t type, const uint8_t *rdata, size_t rdlen)
{
	struct storerec	 r;

	memset(&r, 0, sizeof(r));
	r.owner = owner;
	r.ownerlen = ownerlen;
	r.type = type;
	r.class = DNS_C_IN;
	r.ttl = PRODUCE_TTL;
	r.rdlen = rdlen;
	r.rdata = rdata;
	return storerec_put(w, &r);
}

/* 1 if NAME.zone holds these records (len bytes), in this order. */
static int
produce_same(const char *zone, const uint8_t *recs, size_t len)
{
	struct store_header	 h;
	struct stat		 st;
	char			 path[PATH_MAX];
	uint8_t			*p = NULL;
	int			 fd, same = 0;

	if (zone_find(zone) == NULL ||
	    store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == 0 && (size_t)st.st_size == sizeof(h) + len &&
	    (p = malloc(st.st_size)) != NULL &&
	    read(fd, p, st.st_size) == st.st_size)
		same = memcmp(p + sizeof(h), recs, len) == 0;
	free(p);
	close(fd);
	return same;
}

/* The records as NAME.zone.tmp (path in tmp), an AXFR's file, synced. */
static int
produce_write(const char *zone, const uint8_t *recs, size_t len,
    uint64_t nrr, char *tmp)
{
	struct store_header	 h;
	int			 fd, ok;

	if (store_path(zone, ".zone.tmp", tmp, PATH_MAX) == -1 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		log_warn("zone %s: catalog", zone);
		return -1;
	}
	store_header_init(&h, PRODUCE_SERIAL, XFR_AXFR);
	h.records = nrr;
	h.bytes = len;
	h.when = h.stored = time(NULL);
	strlcpy(h.primary, "secd (catalog produce)", sizeof(h.primary));
	ok = write(fd, &h, sizeof(h)) == sizeof(h) &&
	    write(fd, recs, len) == (ssize_t)len && fsync(fd) == 0;
	if (!ok)
		log_warn("zone %s: %s", zone, tmp);
	close(fd);
	if (!ok)
		unlink(tmp);
	return ok ? 0 : -1;
}
