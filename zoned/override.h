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
 * The operator's overrides of a zone (secctl(8) proxy and apex); their
 * merge with the transferred records is merge.h's.
 *
 * NAME.over, version 1, in zoned's directory beside NAME.zone (store.h),
 * replaced whole the same way (written to NAME.over.tmp, fsync(2)ed,
 * rename(2)d, the directory fsync(2)ed).  Text, one line each:
 *
 *	secd-overrides 1
 *	proxy on|off OWNER WHEN SOURCE
 *	apex cname TARGET proxied|flattened WHEN SOURCE
 *	apex resolved NAME WHEN TTL ADDRESS...
 *
 * Names are absolute, in presentation form (as dns_name_to_text writes
 * them, so that they hold no blank), WHEN a time(3), SOURCE the rest of
 * the line: who made the change ("secctl uid 0").  Overrides are by owner
 * name, never by type: "proxy on" applies to every A, AAAA and CNAME at
 * OWNER.  An owner appears at most once, with its last change.  "apex
 * cname", at most once, is the apex CNAME; "apex resolved", at most once
 * and only with it, the last good answer of the resolver for NAME, where
 * the CNAME chain from TARGET leaves the zone: TTL and up to
 * SECD_PROXY_MAX IPv4 and IPv6 addresses (none: the name has no address).
 * No file means no override.  A file that cannot be read whole stops every build
 * of the zone (the image served stays the one built with the overrides):
 * serving without them would show origin addresses.
 */
#ifndef SECD_OVERRIDE_H
#define SECD_OVERRIDE_H

#include <stddef.h>
#include <stdint.h>

#include "builder.h"
#include "dns.h"
#include "secd.h"

#define OVER_MAGIC		"secd-overrides 1"
#define OVER_SOURCE_MAX		64

struct override {
	uint8_t			 owner[DNS_MAXNAME];	/* lower case, wire */
	size_t			 ownerlen;
	int			 proxied;
	int64_t			 when;
	char			 source[OVER_SOURCE_MAX];
	int			 active;	/* found at the last merge */
};

/* The apex CNAME, and the last good answer for a target outside. */
struct apex_cname {
	int			 set;
	uint8_t			 target[DNS_MAXNAME];	/* lower case, wire */
	size_t			 targetlen;
	int			 proxied;
	int64_t			 when;
	char			 source[OVER_SOURCE_MAX];
	uint8_t			 rname[DNS_MAXNAME];	/* 0 long: none */
	size_t			 rnamelen;
	int64_t			 rwhen;
	struct proxy_conf	 raddrs;
};

struct overrides {
	struct override		*v;
	size_t			 n, cap;
	uint32_t		*idx;		/* by owner: index + 1 */
	uint32_t		 idxmask;
	struct apex_cname	 apex;
};

int	over_load(const char *, struct overrides *, char *, size_t);
int	over_write(const char *, const struct overrides *, char *, size_t);
int	over_commit(const char *, char *, size_t);
void	over_free(struct overrides *);
struct override *over_find(const struct overrides *, const uint8_t *,
	    size_t);
int	over_set(struct overrides *, const uint8_t *, size_t, int,
	    const char *);

#endif
