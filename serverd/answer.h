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
 * Answering one query from the zone images (secd(8), ANSWERS).
 */
#ifndef SECD_ANSWER_H
#define SECD_ANSWER_H

#include <stddef.h>
#include <stdint.h>

struct cookie_conf;
struct image_name;
struct served_zone;
struct sockaddr;

/* Response classes of rate limiting (serverd/rrl.c). */
enum rrl_class {
	RRL_ANSWER,
	RRL_NXDOMAIN,
	RRL_REFERRAL,
	RRL_NODATA,
	RRL_WILDCARD,
	RRL_ERROR,
};

/* What a query was and how it was answered, for the counters. */
struct answer_info {
	int		 rcode;		/* extended rcode; -1: no reply */
	uint16_t	 qtype;
	int		 edns;		/* the query carried an OPT */
	int		 dobit;		/* ... with DO set */
	int		 tc;		/* the reply is truncated */
	int		 notify;	/* a NOTIFY, not answered: for xfrd */
	int		 xfr;		/* an AXFR or IXFR: serverd/xfrout.c */
	int		 tsig;		/* signed: serverd/signed.c */
	const struct served_zone *zone;	/* with proxied: counted for it */
	const struct image_name *proxied; /* IMG_N_PROXY name answered */
	int		 cookie;	/* it carried our valid cookie */
	size_t		 qsize;		/* header and question, in resp */
	/*
	 * Rate limiting counts it in class rrl_class under the name
	 * rrl_name (wire form, any case; NULL: none) and rrl_extra (the
	 * type of an answer, the referral of a delegation).  The name
	 * lives in the query or the image: valid until the next query.
	 */
	int		 rrl_class;	/* enum rrl_class */
	const uint8_t	*rrl_name;
	size_t		 rrl_namelen;
	uint32_t	 rrl_extra;
};

/* Who asked, for DNS Cookies (RFC 7873). */
struct answer_env {
	const struct sockaddr		*from;
	const struct cookie_conf	*cookie;	/* the secrets */
	uint32_t			 now;		/* time(3) */
	int				 tsig_ok;	/* its TSIG checked */
	size_t				 reserve;	/* room left after */
};

/*
 * Answer the query q of qlen bytes into resp (cap bytes), over TCP when
 * tcp is set, from the client env says (for DNS Cookies; NULL: none
 * answered, none checked).  Returns the length of the reply, 0 when
 * there is none (dropped, a NOTIFY: ai->notify, an AXFR or IXFR:
 * ai->xfr, a query signed with TSIG that env does not say was checked:
 * ai->tsig; the reply then leaves env->reserve bytes for its TSIG).
 * Never allocates.
 */
size_t	answer_query(const uint8_t *, size_t, uint8_t *, size_t, int,
	    const struct answer_env *, struct answer_info *);

#endif
