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
 * The operator's overrides of a zone (secctl(8) proxy and apex) and their merge with
 * the transferred records before the zone is built.
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

/* The proxied owners, hashed (over_index), for a pass over a zone. */
struct over_index {
	const struct overrides	*o;
	uint32_t		*tab;		/* index + 1; 0: empty */
	uint32_t		 mask;
	uint32_t		 seed;
};

/* What the apex CNAME's chain needs of xfrd, after a merge. */
struct apex_state {
	uint8_t			 resolve[DNS_MAXNAME];	/* for xfrd */
	size_t			 resolvelen;	/* 0: nothing to resolve */
	int			 apexloop;	/* the chain comes back */
	int			 unresolved;	/* no answer for resolve yet */
};

/* The records served: the transferred ones with the overrides applied. */
struct merged {
	struct zone_src		 src;
	struct zrr		*rrs;		/* owned, or NULL: src is the input */
	size_t			 proxied;	/* overrides applied */
	size_t			 dormant;	/* proxied, no A/AAAA/CNAME there */
	int			 signedoff;	/* none applied: a signed zone */
	struct zrr		*arrs;		/* owned: with the apex CNAME */
	struct apex_state	 ap;
};

#define APEX_MAXCHAIN	16	/* CNAMEs followed from the target */

/* Where the CNAME chain from an apex CNAME's target ends (flatten.c). */
enum walk_end {
	WALK_ADDR,		/* at a name of the zone with A or AAAA */
	WALK_NONE,		/* at a name of the zone without */
	WALK_OUT,		/* it leaves the zone at end */
	WALK_LOOP		/* back at the apex, or too long */
};

struct walk {
	enum walk_end		 kind;
	uint8_t			 end[DNS_MAXNAME];
	size_t			 endlen;
};

/* A change for a kept builder, the apex's records made again in it. */
struct apex_kept {
	const struct bowner	*ch;		/* the change to make */
	size_t			 n;
	struct bowner		*own;		/* owned: ch and the apex */
	struct zrr		*rrs;		/* owned: the apex's records */
	struct apex_state	 ap;
};

int	over_load(const char *, struct overrides *, char *, size_t);
int	over_write(const char *, const struct overrides *, char *, size_t);
int	over_commit(const char *, char *, size_t);
void	over_free(struct overrides *);
struct override *over_find(const struct overrides *, const uint8_t *,
	    size_t);
int	over_set(struct overrides *, const uint8_t *, size_t, int,
	    const char *);
int	over_signed(const struct zone_src *);
size_t	over_synth(struct zrr *, const uint8_t *, size_t,
	    const struct proxy_conf *, int);
int	over_index(struct over_index *, const struct overrides *);
size_t	over_match(const struct over_index *, const struct zrr *);
void	over_index_free(struct over_index *);
int	over_merge(const struct zone_src *, struct overrides *,
	    const struct proxy_conf *, int, struct merged *, char *, size_t);
size_t	over_owner(const struct zrr *, size_t, int, const struct proxy_conf *,
	    struct zrr *);
size_t	over_transferred(struct zrr *, size_t);
void	over_merged_free(struct merged *);

/* flatten.c */
void	apex_walk(const struct zone_src *, const uint8_t *, size_t,
	    struct walk *);
int	apex_walk_kept(struct builder *, const uint8_t *, size_t,
	    struct walk *);
int	apex_merge(struct overrides *, const struct proxy_conf *, int,
	    struct merged *, char *, size_t);
int	apex_kept(struct builder *, const struct overrides *,
	    const struct proxy_conf *, const struct bowner *, size_t,
	    struct apex_kept *);
void	apex_kept_free(struct apex_kept *);

#endif
