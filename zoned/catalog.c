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
 * Catalog zones (RFC 9432, version 2), the consumer: once a catalog
 * zone's new serial is stored (and at start, when the member file is of
 * another serial: a kill came between the two), its members are read
 * from its records, checked, and written to its member file NAME.cat
 * (shared/catalog.h); then the parent is told (IMSG_CATALOG), which makes
 * them zones of the configuration, as a reload does.
 *
 * The records read, under the catalog's apex CAT (any other is ignored,
 * RFC 9432 section 3):
 *	version.CAT TXT "2"		exactly one, or the serial is refused
 *	ID.zones.CAT PTR MEMBER		one member a unique label ID
 *	group.ID.zones.CAT TXT "G"	the template of the member's settings
 *	coo.ID.zones.CAT PTR OTHER	the member may move to catalog OTHER
 * A member is refused, with the reason logged, when its ID has several
 * PTRs, groups or coos, when its name is one secd.conf cannot hold, is
 * listed twice, is the catalog or configured in secd.conf, or is a member
 * of another catalog whose entry has no coo naming this one.  With that
 * coo, it moves: it leaves the other catalog's member file, then joins
 * this one's.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "dns.h"
#include "log.h"
#include "proc.h"
#include "store.h"
#include "zoned.h"

/* One record of interest, by the ID it is about. */
enum cat_kind { CK_MEMBER, CK_GROUP, CK_COO };

struct cat_item {
	char			 id[CATALOG_IDLEN + 1];
	enum cat_kind		 kind;
	const uint8_t		*rdata;
	uint16_t		 rdlen;
};

/* A member read (its strings its own, or a member file's). */
struct cat_new {
	char			*name;
	char			*coo;				/* NULL: none */
	char			 id[CATALOG_IDLEN + 1];
	char			 group[CATALOG_IDLEN + 1];	/* "": none */
	const struct zone_conf	*from;		/* moving from this catalog */
	int			 refused;
};

static int	cat_labels(const struct zrr *, const struct stored_zone *,
		    const uint8_t **);
static int	cat_label_is(const uint8_t *, const char *);
static int	cat_label_word(const uint8_t *, char *, size_t);
static int	cat_items(const char *, const struct stored_zone *,
		    struct cat_item **, size_t *, char *, size_t);
static int	cat_item_cmp(const void *, const void *);
static int	cat_new_cmp(const void *, const void *);
static int	cat_name(const uint8_t *, size_t, char *, size_t);
static int	cat_group(const uint8_t *, size_t, char *, size_t);
static int	cat_member(const char *, const struct cat_item *, size_t,
		    struct cat_new *);
static void	cat_check(const char *, struct cat_new *, size_t);
static int	cat_write(const char *, uint32_t, const struct cat_new *,
		    size_t);
static int	cat_leave(const struct zone_conf *, const struct cat_new *,
		    size_t);
static void	cat_resets(const char *, const struct cat_new *, size_t);
static void	cat_tell(const char *);

/* 1 if zone is a catalog zone of the running configuration. */
int
catalog_is(const char *zone)
{
	const struct zone_conf	*zc;

	return (zc = zoned_zone_conf(zone)) != NULL && zc->owner == NULL &&
	    zc->opts->catalog != 0;
}

/*
 * At start: 1 when the member file of catalog zone is not of serial (or
 * missing, or unreadable), so that catalog_update reads it again.
 */
int
catalog_due(const char *zone, uint32_t serial)
{
	struct cat_file	 cf;
	char		 path[PATH_MAX], err[SECD_MSGLEN];
	int		 due;

	if (store_path(zone, CATALOG_SUFFIX, path, sizeof(path)) == -1 ||
	    catalog_read(path, &cf, err, sizeof(err)) == -1)
		return 1;
	due = cf.serial != serial;
	catalog_free(&cf);
	return due;
}

/*
 * The stored catalog zone's members into its member file, and the parent
 * told.  A serial that is not a catalog of version 2 leaves the members
 * as they were.
 */
void
catalog_update(const char *zone)
{
	struct stored_zone	 sz;
	struct cat_new		*nv = NULL;
	const struct zone_conf	**left = NULL;
	char			 err[SECD_MSGLEN];
	size_t			 n = 0, i, k, nleft = 0, ok = 0;
	uint32_t		 serial;

	if (store_zone(zone, NULL, NULL, &sz, err, sizeof(err)) == -1) {
		log_warnx("catalog %s: %s; its members stay as they were",
		    zone, err);
		return;
	}
	serial = sz.hdr.serial;
	if (catalog_parse(zone, &sz, &nv, &n, err, sizeof(err)) == -1) {
		log_warnx("catalog %s: serial %u refused: %s; its members "
		    "stay as they were", zone, serial, err);
		goto done;
	}
	cat_check(zone, nv, n);
	/*
	 * Those moving leave their catalogs first, each catalog's file
	 * written once: never in two files.
	 */
	if ((left = calloc(n + 1, sizeof(*left))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < n; i++) {
		if (nv[i].refused || nv[i].from == NULL)
			continue;
		for (k = 0; k < nleft && left[k] != nv[i].from; k++)
			;
		if (k < nleft)
			continue;
		left[nleft++] = nv[i].from;
		if (cat_leave(nv[i].from, nv, n) == -1)
			goto done;
	}
	for (i = 0; i < n; i++)
		if (!nv[i].refused)
			ok++;
	cat_resets(zone, nv, n);
	if (cat_write(zone, serial, nv, n) == -1)
		goto done;
	log_info("catalog %s: serial %u, %zu members", zone, serial, ok);
	cat_tell(zone);
 done:
	free(left);
	catalog_parse_free(nv, n);
	store_unload(&sz);
}

/*
 * The members the records of catalog zone sz list, each checked alone
 * (cat_member: refusals logged) into *nvp, *np of them: 0, or -1 with
 * the reason when the serial is refused as a whole.  Free them with
 * catalog_parse_free.
 */
int
catalog_parse(const char *zone, const struct stored_zone *sz,
    struct cat_new **nvp, size_t *np, char *err, size_t errlen)
{
	struct cat_item		*it;
	struct cat_new		*nv;
	size_t			 nit, n = 0, i, j;

	*nvp = NULL;
	*np = 0;
	if (cat_items(zone, sz, &it, &nit, err, errlen) == -1)
		return -1;
	qsort(it, nit, sizeof(*it), cat_item_cmp);
	if ((nv = calloc(nit + 1, sizeof(*nv))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(it);
		return -1;
	}
	for (i = 0; i < nit; i = j) {
		for (j = i + 1; j < nit && strcmp(it[j].id, it[i].id) == 0; j++)
			;
		if (cat_member(zone, it + i, j - i, &nv[n]) == 0)
			n++;
		else
			memset(&nv[n], 0, sizeof(nv[n]));
	}
	free(it);
	*nvp = nv;
	*np = n;
	return 0;
}

void
catalog_parse_free(struct cat_new *nv, size_t n)
{
	size_t	 i;

	for (i = 0; nv != NULL && i < n; i++) {
		free(nv[i].name);
		free(nv[i].coo);
	}
	free(nv);
}

/*
 * The labels of rr's owner below the catalog's apex, the first in
 * lab[0]: their number (up to 3; 4 for more), or -1 when it is not
 * under the apex.
 */
static int
cat_labels(const struct zrr *rr, const struct stored_zone *sz,
    const uint8_t **lab)
{
	size_t	 off = 0, above;
	int	 n = 0;

	if (rr->ownerlen < sz->apexlen || !dns_name_equal(rr->owner +
	    rr->ownerlen - sz->apexlen, sz->apexlen, sz->apex, sz->apexlen))
		return -1;
	above = rr->ownerlen - sz->apexlen;
	while (off < above) {
		if (n == 3)
			return 4;
		lab[n++] = rr->owner + off;
		off += 1 + rr->owner[off];
	}
	return n;
}

/* 1 if the label (length octet first) is word, any case. */
static int
cat_label_is(const uint8_t *lab, const char *word)
{
	return lab[0] == strlen(word) &&
	    strncasecmp((const char *)lab + 1, word, lab[0]) == 0;
}

/* An ID label as text (lower case): 0, or -1 if catalog_word_ok fails. */
static int
cat_label_word(const uint8_t *lab, char *out, size_t len)
{
	size_t	 i;

	if (lab[0] >= len)
		return -1;
	for (i = 0; i < lab[0]; i++)
		out[i] = lab[1 + i] >= 'A' && lab[1 + i] <= 'Z' ?
		    lab[1 + i] - 'A' + 'a' : lab[1 + i];
	out[i] = '\0';
	return catalog_word_ok(out) ? 0 : -1;
}

/*
 * The records of the catalog about members, into *itp; -1 with the
 * reason when the version property is not one TXT "2".
 */
static int
cat_items(const char *zone, const struct stored_zone *sz,
    struct cat_item **itp, size_t *nitp, char *err, size_t errlen)
{
	const struct zrr	*rr;
	const uint8_t		*lab[3];
	struct cat_item		*it;
	size_t			 i, n = 0, nver = 0;
	int			 nl, version = 0;

	if ((it = calloc(sz->src.nrr + 1, sizeof(*it))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sz->src.nrr; i++) {
		rr = &sz->src.rrs[i];
		if (rr->class != DNS_C_IN || (nl = cat_labels(rr, sz, lab)) < 1)
			continue;
		if (nl == 1 && cat_label_is(lab[0], "version") &&
		    rr->type == DNS_T_TXT) {
			nver++;
			version = rr->rdlen == 2 && rr->rdata[0] == 1 &&
			    rr->rdata[1] == '2';
			continue;
		}
		if (nl == 2 && cat_label_is(lab[1], "zones") &&
		    rr->type == DNS_T_PTR)
			it[n].kind = CK_MEMBER;
		else if (nl == 3 && cat_label_is(lab[2], "zones") &&
		    cat_label_is(lab[0], "group") && rr->type == DNS_T_TXT)
			it[n].kind = CK_GROUP;
		else if (nl == 3 && cat_label_is(lab[2], "zones") &&
		    cat_label_is(lab[0], "coo") && rr->type == DNS_T_PTR)
			it[n].kind = CK_COO;
		else
			continue;
		if (cat_label_word(lab[nl - 2], it[n].id,
		    sizeof(it[n].id)) == -1) {
			log_warnx("catalog %s: a member whose ID is not 1 to "
			    "%d printable characters (no space, '#' or '\\') "
			    "refused", zone, CATALOG_IDLEN);
			continue;
		}
		it[n].rdata = rr->rdata;
		it[n].rdlen = rr->rdlen;
		n++;
	}
	if (nver != 1 || !version) {
		snprintf(err, errlen, "%s", nver == 0 ? "no version property "
		    "(version TXT \"2\", RFC 9432 section 4.2)" : nver > 1 ?
		    "several version properties" : "its version is not 2, the "
		    "one secd reads (RFC 9432)");
		free(it);
		return -1;
	}
	*itp = it;
	*nitp = n;
	return 0;
}

static int
cat_item_cmp(const void *a, const void *b)
{
	const struct cat_item	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return (int)x->kind - (int)y->kind;
}

/* A name in wire form as secd.conf holds it; -1 if it cannot. */
static int
cat_name(const uint8_t *rdata, size_t rdlen, char *out, size_t len)
{
	char	 text[SECD_NAMESTRLEN];

	if (!dns_name_valid(rdata, rdlen) ||
	    dns_name_to_text(rdata, rdlen, text, sizeof(text)) == -1)
		return -1;
	return dname_normalize(text, out, len);
}

/* A TXT of one string that catalog_word_ok accepts; -1 if not. */
static int
cat_group(const uint8_t *rdata, size_t rdlen, char *out, size_t len)
{
	if (rdlen < 2 || rdata[0] != rdlen - 1 || rdata[0] >= len)
		return -1;
	memcpy(out, rdata + 1, rdata[0]);
	out[rdata[0]] = '\0';
	return catalog_word_ok(out) ? 0 : -1;
}

/*
 * The n records of one ID (sorted: member, group, coo) into m (zeroed):
 * 0, or -1 when there is no member (properties alone are ignored) or it
 * is refused (logged).
 */
static int
cat_member(const char *zone, const struct cat_item *it, size_t n,
    struct cat_new *m)
{
	char		 name[SECD_CONFNAMELEN], coo[SECD_CONFNAMELEN];
	size_t		 i, np = 0, ng = 0, nc = 0;
	const char	*why = NULL;

	for (i = 0; i < n; i++) {
		if (it[i].kind == CK_MEMBER && np++ == 0 &&
		    cat_name(it[i].rdata, it[i].rdlen, name,
		    sizeof(name)) == -1)
			why = "its name is not one secd.conf can hold "
			    "(letters, digits, '-', '_', '/')";
		if (it[i].kind == CK_GROUP && ng++ == 0 &&
		    cat_group(it[i].rdata, it[i].rdlen, m->group,
		    sizeof(m->group)) == -1)
			why = "its group is not one string of 1 to 64 "
			    "printable characters (no space, '#' or '\\')";
		if (it[i].kind == CK_COO && nc++ == 0 &&
		    cat_name(it[i].rdata, it[i].rdlen, coo,
		    sizeof(coo)) == -1)
			why = "its coo is not a zone name";
	}
	if (np == 0)
		return -1;
	if (np > 1)
		why = "several PTR records";
	else if (ng > 1)
		why = "several group properties";
	else if (nc > 1)
		why = "several coo properties";
	strlcpy(m->id, it[0].id, sizeof(m->id));
	if (why != NULL) {
		log_warnx("catalog %s: member ID %s refused: %s", zone,
		    m->id, why);
		return -1;
	}
	if ((m->name = strdup(name)) == NULL ||
	    (nc > 0 && (m->coo = strdup(coo)) == NULL))
		fatal("%s", __func__);
	return 0;
}

static int
cat_new_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cat_new *)a)->name,
	    ((const struct cat_new *)b)->name);
}

/*
 * Refuse the members listed twice, the catalog itself, those of
 * secd.conf and those of another catalog that gives them no coo to this
 * one (each logged); mark those that move (from).
 */
static void
cat_check(const char *zone, struct cat_new *nv, size_t n)
{
	const struct zone_conf	*zc, *ocat = NULL;
	const struct cat_member	*om;
	struct cat_file		 cf;
	char			 path[PATH_MAX], err[SECD_MSGLEN];
	size_t			 i, j;
	int			 ocf = 0;	/* cf is ocat's file */

	qsort(nv, n, sizeof(*nv), cat_new_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(nv[j].name, nv[i].name) == 0;
		    j++)
			nv[j].refused = nv[i].refused = 1;
		if (j > i + 1)
			log_warnx("catalog %s: zone %s refused: listed %zu "
			    "times (IDs %s and %s)", zone, nv[i].name, j - i,
			    nv[i].id, nv[i + 1].id);
	}
	for (i = 0; i < n; i++) {
		if (nv[i].refused)
			continue;
		if (strcmp(nv[i].name, zone) == 0) {
			log_warnx("catalog %s: zone %s refused: it is the "
			    "catalog", zone, nv[i].name);
			nv[i].refused = 1;
		}
		if (nv[i].refused || (zc = zoned_zone_conf(nv[i].name)) ==
		    NULL || (zc->owner != NULL &&
		    strcmp(zc->owner->name, zone) == 0))
			continue;
		nv[i].refused = 1;
		if (zc->owner == NULL) {
			log_warnx("catalog %s: zone %s refused: configured "
			    "in %s", zone, nv[i].name, zoned_conf()->file);
			continue;
		}
		/* a move: the catalog it leaves names this one its coo */
		/* read once for the members that catalog holds */
		if (zc->owner != ocat) {
			if (ocf)
				catalog_free(&cf);
			ocat = zc->owner;
			strlcpy(err, "name too long", sizeof(err));
			ocf = store_path(ocat->name, CATALOG_SUFFIX, path,
			    sizeof(path)) == 0 &&
			    catalog_read(path, &cf, err, sizeof(err)) == 0;
			if (!ocf)
				log_warnx("catalog %s: its member file cannot "
				    "be read (%s): no member moves from it",
				    ocat->name, err);
		}
		if (ocf && (om = catalog_find(&cf, nv[i].name)) != NULL &&
		    om->coo != NULL && strcmp(om->coo, zone) == 0) {
			nv[i].refused = 0;
			nv[i].from = zc->owner;
		}
		if (nv[i].refused)
			log_warnx("catalog %s: zone %s refused: a member of "
			    "catalog %s, which gives it no coo to %s", zone,
			    nv[i].name, zc->owner->name, zone);
		else
			log_info("catalog %s: zone %s moves here from catalog "
			    "%s (coo)", zone, nv[i].name, zc->owner->name);
	}
	if (ocf)
		catalog_free(&cf);
}

/*
 * NAME.cat of zone at serial: the members of nv not refused.  Written
 * whole, synced, renamed, the directory synced.
 */
static int
cat_write(const char *zone, uint32_t serial, const struct cat_new *nv,
    size_t n)
{
	char	 path[PATH_MAX], tmp[PATH_MAX];
	FILE	*f;
	size_t	 i;
	int	 fd = -1;

	if (store_path(zone, CATALOG_SUFFIX, path, sizeof(path)) == -1 ||
	    store_path(zone, CATALOG_SUFFIX ".tmp", tmp, sizeof(tmp)) == -1) {
		log_warnx("catalog %s: name too long for a file", zone);
		return -1;
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		log_warn("catalog %s: %s", zone, tmp);
		return -1;
	}
	fprintf(f, "secd catalog %d serial %u\n", CATALOG_VERSION, serial);
	for (i = 0; i < n; i++)
		if (!nv[i].refused)
			fprintf(f, "%s %s %s %s\n", nv[i].name, nv[i].id,
			    nv[i].group[0] ? nv[i].group : "-",
			    nv[i].coo != NULL ? nv[i].coo : "-");
	if (fflush(f) == EOF || ferror(f) || (fd = fileno(f)) == -1 ||
	    fsync(fd) == -1) {
		log_warn("catalog %s: %s", zone, tmp);
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) == EOF || store_commit(tmp, path, 1) == -1) {
		log_warn("catalog %s: %s", zone, path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * The members of nv (sorted by name) moving from catalog cat leave its
 * member file: the file again without them, at its serial.
 */
static int
cat_leave(const struct zone_conf *cat, const struct cat_new *nv, size_t n)
{
	struct cat_file		 cf;
	struct cat_new		*ov;
	const struct cat_new	*m;
	char			 path[PATH_MAX], err[SECD_MSGLEN];
	size_t			 i;
	int			 rv;

	if (store_path(cat->name, CATALOG_SUFFIX, path, sizeof(path)) == -1 ||
	    catalog_read(path, &cf, err, sizeof(err)) == -1) {
		log_warnx("catalog %s: %s; no member moves from it", cat->name,
		    err);
		return -1;
	}
	if ((ov = calloc(cf.n + 1, sizeof(*ov))) == NULL) {
		catalog_free(&cf);
		return -1;
	}
	for (i = 0; i < cf.n; i++) {
		/* the file's strings: cf outlives ov */
		ov[i].name = cf.v[i].name;
		ov[i].coo = cf.v[i].coo;
		strlcpy(ov[i].id, cf.v[i].id, sizeof(ov[i].id));
		if (cf.v[i].group != NULL)
			strlcpy(ov[i].group, cf.v[i].group,
			    sizeof(ov[i].group));
		if ((m = bsearch(&ov[i], nv, n, sizeof(*nv),
		    cat_new_cmp)) != NULL && !m->refused && m->from == cat)
			ov[i].refused = 1;
	}
	rv = cat_write(cat->name, cf.serial, ov, cf.n);
	free(ov);
	catalog_free(&cf);
	if (rv == 0)
		cat_tell(cat->name);
	return rv;
}

/*
 * The members of nv (sorted by name) whose ID is not the one the member
 * file has (RFC 9432: a new ID resets the zone): their stored data
 * removed, so that, once the parent has them leave and come back
 * (catalog_members), they are transferred afresh.  Their overrides stay.
 */
static void
cat_resets(const char *zone, const struct cat_new *nv, size_t n)
{
	static const char *const sfx[] = {
		".zone", ".jnl", ".img", ".ovl", ".check"
	};
	struct cat_file		 cf;
	struct cat_new		 key;
	const struct cat_new	*m;
	char			 path[PATH_MAX], err[SECD_MSGLEN];
	size_t			 i, k, nreset = 0;

	if (store_path(zone, CATALOG_SUFFIX, path, sizeof(path)) == -1 ||
	    catalog_read(path, &cf, err, sizeof(err)) == -1)
		return;
	memset(&key, 0, sizeof(key));
	for (i = 0; i < cf.n; i++) {
		key.name = cf.v[i].name;
		if ((m = bsearch(&key, nv, n, sizeof(*nv), cat_new_cmp)) ==
		    NULL || m->refused || strcmp(m->id, cf.v[i].id) == 0)
			continue;
		log_info("catalog %s: zone %s reset (its ID %s is now %s): "
		    "its data dropped, transferred again", zone, m->name,
		    cf.v[i].id, m->id);
		for (k = 0; k < sizeof(sfx) / sizeof(sfx[0]); k++)
			if (store_path(m->name, sfx[k], path,
			    sizeof(path)) == 0 && unlink(path) == -1 &&
			    errno != ENOENT)
				log_warn("zone %s: %s", m->name, path);
		nreset++;
	}
	catalog_free(&cf);
	if (nreset > 0 && store_sync_dir() == -1)
		log_warn("catalog %s: the database directory", zone);
}

static void
cat_tell(const char *zone)
{
	if (iev_compose(zoned_parent(), IMSG_CATALOG, 0, 0, -1, zone,
	    strlen(zone) + 1) == -1)
		fatal("%s", __func__);
}
