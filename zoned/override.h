/*
 * The operator's overrides of a zone (SPEC section 6) and their merge with
 * the transferred records before the zone is built.
 *
 * NAME.over, version 1, in zoned's directory beside NAME.zone (store.h),
 * replaced whole the same way (written to NAME.over.tmp, fsync(2)ed,
 * rename(2)d, the directory fsync(2)ed).  Text, one line each:
 *
 *	secd-overrides 1
 *	proxy on|off OWNER WHEN SOURCE
 *
 * OWNER is an absolute name in presentation form (as dns_name_to_text
 * writes it, so that it holds no blank), WHEN a time(3), SOURCE the rest
 * of the line: who made the change ("secctl uid 0").  Overrides are by
 * owner name, never by type: "proxy on" applies to every A, AAAA and CNAME
 * at OWNER.  An owner appears at most once, with its last change.  No file
 * means no override.  A file that cannot be read whole stops every build
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

struct overrides {
	struct override		*v;
	size_t			 n, cap;
};

/* The proxied owners, hashed (over_index), for a pass over a zone. */
struct over_index {
	const struct overrides	*o;
	uint32_t		*tab;		/* index + 1; 0: empty */
	uint32_t		 mask;
	uint32_t		 seed;
};

/* The records served: the transferred ones with the overrides applied. */
struct merged {
	struct zone_src		 src;
	struct zrr		*rrs;		/* owned, or NULL: src is the input */
	size_t			 proxied;	/* overrides applied */
	size_t			 dormant;	/* proxied, no A/AAAA/CNAME there */
};

int	over_load(const char *, struct overrides *, char *, size_t);
int	over_write(const char *, const struct overrides *, char *, size_t);
int	over_commit(const char *, char *, size_t);
void	over_free(struct overrides *);
struct override *over_find(const struct overrides *, const uint8_t *,
	    size_t);
int	over_set(struct overrides *, const uint8_t *, size_t, int,
	    const char *);
int	over_index(struct over_index *, const struct overrides *);
size_t	over_match(const struct over_index *, const struct zrr *);
void	over_index_free(struct over_index *);
int	over_merge(const struct zone_src *, struct overrides *,
	    const struct proxy_conf *, struct merged *, char *, size_t);
void	over_merged_free(struct merged *);

#endif
