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
 * Response rate limiting of UDP answers, as BIND and NSD do it: each
 * answer is counted in a bucket for its source prefix, its response
 * class and the name of that class (answer.h); a bucket earns the
 * configured responses per second, up to one second's worth, and an
 * answer when it has none left is limited: every slip-th one goes out
 * truncated (TC, no records: a real client retries over TCP, which a
 * spoofed source cannot), the others are dropped.  TCP is never limited,
 * nor an exempt prefix, nor a query with our valid cookie (RFC 7873
 * section 5.2.5: its source is not forged).
 *
 * The table is fixed in size: sets of RRL_WAYS buckets, the set chosen
 * by a keyed hash (SipHash-1-3 with a random key: a client cannot aim at
 * one set), the bucket by its whole 64-bit hash; a new bucket takes the
 * set's least recently used one.  One hash and one bucket update a query.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "dns.h"
#include "log.h"
#include "config.h"
#include "rrl.h"
#include "secd.h"
#include "serverd.h"
#include "siphash.h"

#define RRL_WAYS	4
#define RRL_UNIT	1000		/* credit of one response */

struct rrl_bucket {
	uint64_t		 key;		/* 0: empty */
	int64_t			 credit;	/* in 1/RRL_UNIT responses */
	uint32_t		 last;		/* ms, monotonic */
	uint32_t		 limited;	/* answers limited, for slip */
};

static int	rrl_exempt(const struct sockaddr *);
static uint64_t	rrl_key(const struct sockaddr *, const struct answer_info *);
static struct rrl_bucket *rrl_bucket(uint64_t, uint32_t);

static struct rrl_conf	 rc;
static struct rrl_bucket *table;
static size_t		 nsets;
static uint8_t		 hashkey[SIPHASH_KEYLEN];

/* A new configuration: the table kept when its size did not change. */
void
rrl_configure(const struct rrl_conf *nrc, int on)
{
	size_t	 n;

	if (!on || nrc->responses == 0) {
		free(table);
		table = NULL;
		nsets = 0;
		rc.responses = 0;
		return;
	}
	for (n = 1; n * RRL_WAYS < nrc->size; n <<= 1)
		;
	if (table == NULL || n != nsets) {
		free(table);
		if ((table = calloc(n * RRL_WAYS, sizeof(*table))) == NULL)
			fatal("rate-limit table of %zu entries",
			    n * RRL_WAYS);
		nsets = n;
		arc4random_buf(hashkey, sizeof(hashkey));
	}
	rc = *nrc;
}

static int
rrl_exempt(const struct sockaddr *sa)
{
	int	 i;

	for (i = 0; i < rc.nexempt && i < SECD_RRL_EXEMPT_MAX; i++)
		if (config_prefix_match(&rc.exempt[i], sa))
			return (1);
	return (0);
}

/*
 * The bucket's identity: the source prefix, the class, the type or
 * referral, and the name in lower case (a client must not escape its
 * bucket by changing the case of the name).
 */
static uint64_t
rrl_key(const struct sockaddr *sa, const struct answer_info *ai)
{
	uint8_t		 buf[2 + 16 + 4 + DNS_MAXNAME], *a;
	size_t		 len, alen, i;
	uint32_t	 plen;
	uint64_t	 h;

	if (sa->sa_family == AF_INET6) {
		a = (uint8_t *)((const struct sockaddr_in6 *)sa)->
		    sin6_addr.s6_addr;
		alen = 16;
		plen = rc.v6_prefix;
	} else {
		a = (uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;
		alen = 4;
		plen = rc.v4_prefix;
	}
	buf[0] = sa->sa_family == AF_INET6 ? 6 : 4;
	buf[1] = ai->rrl_class;
	memcpy(buf + 2, a, alen);
	for (i = plen; i < alen * 8; i++)
		buf[2 + i / 8] &= ~(0x80 >> (i % 8));
	len = 2 + alen;
	memcpy(buf + len, &ai->rrl_extra, 4);
	len += 4;
	if (ai->rrl_name != NULL && ai->rrl_namelen <= DNS_MAXNAME) {
		for (i = 0; i < ai->rrl_namelen; i++) {
			buf[len + i] = ai->rrl_name[i];
			if (buf[len + i] >= 'A' && buf[len + i] <= 'Z')
				buf[len + i] += 'a' - 'A';
		}
		len += ai->rrl_namelen;
	}
	h = siphash13(hashkey, buf, len);
	return (h != 0 ? h : 1);
}

/* The bucket of key in its set, or the set's least recently used one. */
static struct rrl_bucket *
rrl_bucket(uint64_t key, uint32_t now)
{
	struct rrl_bucket	*set, *old;
	int			 i;

	set = &table[(key & (nsets - 1)) * RRL_WAYS];
	old = &set[0];
	for (i = 0; i < RRL_WAYS; i++) {
		if (set[i].key == key)
			return (&set[i]);
		if (set[i].key == 0 || now - set[i].last > now - old->last)
			old = &set[i];
		if (set[i].key == 0)
			break;
	}
	old->key = key;
	old->credit = (int64_t)rc.responses * RRL_UNIT;
	old->last = now;
	old->limited = 0;
	return (old);
}

/* RRL_PASS, RRL_SLIP or RRL_DROP for the UDP answer described by ai. */
int
rrl_check(const struct sockaddr *sa, const struct answer_info *ai)
{
	struct rrl_bucket	*b;
	struct timespec		 ts;
	uint32_t		 now;
	int64_t			 cap;

	if (table == NULL || ai->cookie ||
	    (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    rrl_exempt(sa))
		return (RRL_PASS);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	b = rrl_bucket(rrl_key(sa, ai), now);
	cap = (int64_t)rc.responses * RRL_UNIT;
	b->credit += (int64_t)(uint32_t)(now - b->last) * rc.responses;
	if (b->credit > cap)
		b->credit = cap;
	b->last = now;
	if (b->credit >= RRL_UNIT) {
		b->credit -= RRL_UNIT;
		return (RRL_PASS);
	}
	stats.rrl_limited++;
	if (rc.slip > 0 && ++b->limited % rc.slip == 0) {
		stats.rrl_slipped++;
		return (RRL_SLIP);
	}
	stats.rrl_dropped++;
	return (RRL_DROP);
}

/*
 * The answer resp of len bytes made a slip: the header and question
 * only, TC set (RFC 1035 section 4.1.1), so that the client asks again
 * over TCP.  Its new length.
 */
size_t
rrl_slip(uint8_t *resp, size_t len, const struct answer_info *ai)
{
	if (len < DNS_HDRLEN || ai->qsize > len)
		return (len);
	resp[2] |= DNS_F_TC >> 8;
	memset(resp + 6, 0, 6);
	return (ai->qsize);
}
