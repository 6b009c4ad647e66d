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
 * The merge of a zone's transferred records with its overrides
 * (merge.c): what the builder is given.
 */
#ifndef SECD_MERGE_H
#define SECD_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "builder.h"
#include "override.h"

/* The proxied owners, hashed (merge_index_init), for a pass over a zone. */
struct merge_index {
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

/* Where the CNAME chain from an apex CNAME's target ends (merge_walk). */
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

/* A change for the kept zone, the apex's records made again in it. */
struct kept_change {
	const struct bowner	*ch;		/* the change to make */
	size_t			 n;
	struct bowner		*own;		/* owned: ch and the apex */
	struct zrr		*rrs;		/* owned: the apex's records */
	struct apex_state	 ap;
};

int	merge_signed(const struct zone_src *);
uint64_t merge_content(const struct zone_src *);
size_t	merge_synth(struct zrr *, const uint8_t *, size_t,
	    const struct proxy_conf *, int);
int	merge_index_init(struct merge_index *, const struct overrides *);
size_t	merge_match(const struct merge_index *, const struct zrr *);
void	merge_index_free(struct merge_index *);
int	merge_zone(const struct zone_src *, struct overrides *,
	    const struct proxy_conf *, int, struct merged *, char *, size_t);
size_t	merge_owner(const struct zrr *, size_t, int, const struct proxy_conf *,
	    struct zrr *);
size_t	merge_transferred(struct zrr *, size_t);
void	merge_free(struct merged *);
void	merge_walk(const struct zone_src *, const uint8_t *, size_t,
	    struct walk *);
int	merge_walk_kept(struct builder *, const uint8_t *, size_t,
	    struct walk *);
int	merge_kept(struct builder *, const struct overrides *,
	    const struct proxy_conf *, const struct bowner *, size_t,
	    struct kept_change *);
void	merge_kept_free(struct kept_change *);

#endif
