/*
 * Answering one query from the zone images (SPEC.md section 7).
 */
#ifndef SECD_ANSWER_H
#define SECD_ANSWER_H

#include <stddef.h>
#include <stdint.h>

struct image_name;
struct served_zone;

/* What a query was and how it was answered, for the counters. */
struct answer_info {
	int		 rcode;		/* extended rcode; -1: no reply */
	uint16_t	 qtype;
	int		 edns;		/* the query carried an OPT */
	int		 dobit;		/* ... with DO set */
	int		 tc;		/* the reply is truncated */
	int		 notify;	/* a NOTIFY, not answered: for xfrd */
	const struct served_zone *zone;	/* with proxied: counted for it */
	const struct image_name *proxied; /* IMG_N_PROXY name answered */
};

/*
 * Answer the query q of qlen bytes into resp (cap bytes), over TCP when
 * tcp is set.  Returns the length of the reply, 0 when there is none
 * (dropped, or a NOTIFY: ai->notify).  Never allocates.
 */
size_t	answer_query(const uint8_t *, size_t, uint8_t *, size_t, int,
	    struct answer_info *);

#endif
