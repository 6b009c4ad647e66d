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
 * The members of a catalog zone (RFC 9432), as zoned found them in the
 * catalog's last serial: NAME.cat in the database directory (NAME as
 * store_path() names the zone's files).  zoned writes it (zoned/catalog.c,
 * replaced whole: NAME.cat.tmp, fsync(2), rename(2)); the parent reads it
 * when it reads secd.conf and when zoned says it is new (IMSG_CATALOG),
 * and makes each member a zone of the configuration.  Text, version 1:
 *
 *	secd catalog 1 serial SERIAL
 *	MEMBER ID GROUP COO
 *	...
 *
 * SERIAL: the catalog zone's serial the members are of.  One line a
 * member: its name as secd.conf holds zone names (dname_normalize), its
 * unique label (the ID of ID.zones.CATALOG), the value of its group
 * property and the catalog its coo property names, "-" for none.  An ID
 * or a group is 1 to 64 printable characters without space, '#' or '\'.
 * Members are in ascending order of name (strcmp(3)), each once, and
 * only those zoned accepted: none that secd.conf or another catalog
 * holds.
 */
#ifndef SECD_CATALOG_H
#define SECD_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "secd.h"

#define CATALOG_VERSION		1
#define CATALOG_SUFFIX		".cat"
#define CATALOG_IDLEN		64	/* an ID or a group */

struct cat_member {
	char			*name;
	char			*id;
	char			*group;		/* NULL: none */
	char			*coo;		/* NULL: none */
};

struct cat_file {
	uint32_t		 serial;
	struct cat_member	*v;
	size_t			 n;
	char			*buf;		/* the fields point into it */
};

int	catalog_read(const char *, struct cat_file *, char *, size_t);
void	catalog_free(struct cat_file *);
int	catalog_word_ok(const char *);
const struct cat_member *catalog_find(const struct cat_file *,
	    const char *);
int	catalog_members(struct secd_conf *, struct zone_conf *, int *);
void	catalog_members_all(struct secd_conf *);

#endif
