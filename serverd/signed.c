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
 * Queries signed with TSIG (RFC 8945) other than transfers: the SOA query
 * a downstream secondary signs with the key of provide transfer before
 * it asks for the zone wants a signed answer (BIND refuses an unsigned
 * one).  serverd has only the keys provide transfer names: a query signed
 * with any other gets NOTAUTH (BADKEY), one whose MAC or time is wrong
 * NOTAUTH (BADSIG, BADTIME), each signed as RFC 8945 section 5.3.2 says.
 */
#include <sys/types.h>

#include <string.h>
#include <time.h>

#include "answer.h"
#include "dns.h"
#include "serverd.h"
#include "tsig.h"

size_t
signed_answer(const uint8_t *q, size_t qlen, uint8_t *resp, size_t cap,
    int tcp, const struct answer_env *env, struct answer_info *ai)
{
	const struct tsig_key	*key;
	struct tsig_ctx		*ctx = NULL;
	struct answer_env	 e = *env;
	size_t			 n;
	int			 terr;

	memset(ai, 0, sizeof(*ai));
	ai->rcode = -1;
	if (tsig_verify_request(q, qlen, time(NULL), serverd_keys(), &key,
	    &ctx, &terr) == -1) {
		ai->rcode = terr == DNS_R_FORMERR ? DNS_R_FORMERR :
		    DNS_R_NOTAUTH;
		n = dns_reply_head(q, qlen, 0, ai->rcode, resp,
		    cap - TSIG_MAXRRLEN);
		if (n > 0 && ctx != NULL && tsig_sign(ctx, resp, &n, cap,
		    time(NULL), TSIG_FUDGE, 0) == -1)
			n = 0;
		tsig_free(ctx);
		return (n);
	}
	e.tsig_ok = 1;
	e.reserve = TSIG_MAXRRLEN;
	n = answer_query(q, qlen, resp, cap, tcp, &e, ai);
	/* a NOTIFY or a transfer goes its own way, unsigned here */
	if (n > 0 && ctx != NULL && tsig_sign(ctx, resp, &n, cap, time(NULL),
	    TSIG_FUDGE, 0) == -1)
		n = 0;
	tsig_free(ctx);
	return (n);
}
