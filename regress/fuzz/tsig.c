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
 * TSIG (shared/tsig.c, RFC 8945) on a received message: as a request
 * (tsig_verify_request, as serverd and xfrd's NOTIFY path use it; a
 * verified one is signed back) and as the first message of the answer to
 * a request we signed (tsig_verify).  The key and the clock are fixed:
 * corpus/tsig holds messages signed with them (gencorpus.py).
 */
#include <sys/queue.h>

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "secd.h"
#include "tsig.h"
#include "fuzz.h"

#define FUZZ_NOW	1700000000

static struct tsig_keys	 keys;
static struct tsig_key	 key;
static uint8_t		 buf[DNS_MAXMSG + 512];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (tsig_init() == -1)
		errx(1, "tsig_init");
	TAILQ_INIT(&keys);
	strlcpy(key.name, "fuzz-key.", sizeof(key.name));
	key.alg = TSIG_HMAC_SHA256;
	key.secretlen = 32;
	memset(key.secret, 0x5a, key.secretlen);
	TAILQ_INSERT_TAIL(&keys, &key, entry);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const uint8_t	 req[] = { 0x12, 0x34, 0, 0, 0, 1, 0, 0,
	    0, 0, 0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 252, 0,
	    1 };
	const struct tsig_key	*k = NULL;
	struct tsig_ctx		*ctx = NULL;
	size_t			 n;
	int			 e;

	if (len > DNS_MAXMSG)
		return (0);
	if (tsig_verify_request(data, len, FUZZ_NOW, &keys, &k, &ctx,
	    &e) != -1 || ctx != NULL) {
		if (ctx != NULL) {
			memcpy(buf, data, len);
			n = len;
			(void)tsig_sign(ctx, buf, &n, sizeof(buf), FUZZ_NOW,
			    0, 0);
			tsig_free(ctx);
		}
	}
	if ((ctx = tsig_new(&key)) == NULL)
		errx(1, "tsig_new");
	memcpy(buf, req, sizeof(req));
	n = sizeof(req);
	if (tsig_sign(ctx, buf, &n, sizeof(buf), FUZZ_NOW, 0, 0) == -1)
		errx(1, "tsig_sign");
	(void)tsig_verify(ctx, data, len, FUZZ_NOW, &e);
	(void)tsig_verify(ctx, data, len, FUZZ_NOW, &e);
	tsig_free(ctx);
	return (0);
}
