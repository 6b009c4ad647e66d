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
 * TSIG, RFC 8945: HMAC signatures on DNS messages.
 *
 * A struct tsig_ctx is one transaction with one key.  It remembers the
 * previous MAC (the request's, then the last one signed or verified), the
 * running digest of a multi-message answer and how many unsigned messages
 * came since the last signed one.
 *
 * Client (xfrd asking a primary for SOA, IXFR or AXFR):
 *
 *	ctx = tsig_new(key);
 *	tsig_sign(ctx, req, &len, cap, now, TSIG_FUDGE, 0);	the request
 *	for each message of the answer:
 *		tsig_verify(ctx, msg, len, now, &err);		-1: give up
 *	tsig_done(ctx);			-1 if the last one was not signed
 *	tsig_free(ctx);
 *
 * Server (a NOTIFY and its answer):
 *
 *	r = tsig_verify_request(msg, len, now, keys, &key, &ctx, &err);
 *	r == 1: not signed (no TSIG record): key and ctx are NULL.
 *	r == 0: signed and valid; key is the configured key, ctx holds the
 *		request MAC: build the answer, tsig_sign(ctx, ..., 0).
 *	r == -1: err says why; key is NULL.  With FORMERR (or
 *		TSIG_E_INTERNAL) ctx is NULL: answer FORMERR (SERVFAIL)
 *		unsigned.  With BADKEY, BADSIG, BADTIME or BADTRUNC, ctx is
 *		set (NULL only if out of memory): answer NOTAUTH and call
 *		tsig_sign(ctx, ..., 0), which adds the TSIG record that
 *		RFC 8945 section 5.3.2 asks for: without a MAC for BADKEY
 *		and BADSIG, signed with the request's time in Time Signed
 *		and the server's in Other Data for BADTIME (5.2.3), signed
 *		for BADTRUNC.
 *	tsig_free(ctx) in every case (NULL is fine).
 *
 * Errors (the int *err of the verifiers, and tsig_strerror's argument)
 * are the TSIG error codes of dns.h (DNS_R_BADSIG, _BADKEY, _BADTIME,
 * _BADTRUNC), DNS_R_FORMERR for a malformed or misplaced TSIG record, or
 * one of the TSIG_E_ values below.  When the peer's own TSIG record
 * carries an error (a primary answering BADKEY), *err is TSIG_E_PEER
 * or'ed with that error.
 *
 * Local policy (RFC 8945 section 5.2.4): a MAC may be truncated down to
 * max(10, half the hash) octets, as the RFC allows, but a MAC shorter
 * than TSIG_MINMAC octets is refused with BADTRUNC.  secd itself always
 * sends the full MAC.
 *
 * The key is copied into the context; the copy is wiped when the
 * context is freed.  Nothing here logs.
 */
#ifndef SECD_TSIG_H
#define SECD_TSIG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TSIG_FUDGE		300	/* seconds, RFC 8945 section 10 */
#define TSIG_MAXUNSIGNED	99	/* unsigned messages in a row, 5.3.1 */
#define TSIG_MINMAC		16	/* local policy: octets, 128 bits */
#define TSIG_MAXMACLEN		64	/* the longest hash, SHA-512 */
/* The most a TSIG record adds to a message (tsig_sign's cap). */
#define TSIG_MAXRRLEN		(255 + 10 + 26 + 10 + 64 + 6 + 6)

/* errors that are not TSIG error codes (all above 16 bits) */
#define TSIG_E_UNSIGNED		0x10001	/* a message that must be signed */
#define TSIG_E_TOOMANY		0x10002	/* > 99 unsigned in a row */
#define TSIG_E_INTERNAL		0x10003	/* crypto failure, misuse */
#define TSIG_E_PEER		0x20000	/* | the error the peer sent */

struct tsig_key;
struct tsig_keys;
struct tsig_ctx;

/* Before the sandbox: load libcrypto (it reads its config lazily); -1 on failure. */
int		 tsig_init(void);

/* NULL on a bad key (unknown algorithm, bad name) or out of memory. */
struct tsig_ctx	*tsig_new(const struct tsig_key *);
void		 tsig_free(struct tsig_ctx *);

/*
 * Append a TSIG record to the message in msg[0..*len) and add one to its
 * ARCOUNT; *len grows, cap is the room in msg.  The first call on a
 * fresh context signs a request; on a context from tsig_verify_request
 * it signs the answer with the request MAC, and later calls sign the
 * following messages of that answer (RFC 8945 section 4.3.3).  error is
 * the TSIG error to send; 0 means the one tsig_verify_request found.
 * Returns 0, or -1 (no room, malformed message, misuse) with msg and
 * *len unchanged.
 */
int		 tsig_sign(struct tsig_ctx *, uint8_t *, size_t *, size_t,
		    time_t, uint16_t, uint16_t);

/*
 * One received message of the answer to the request this context
 * signed, in order.  The first must be signed; later ones may be unsigned
 * (at most TSIG_MAXUNSIGNED in a row).  Returns 0 if the message may be
 * used, -1 with *err set if not; after -1 every later call fails.  msg is
 * never modified.
 */
int		 tsig_verify(struct tsig_ctx *, const uint8_t *, size_t,
		    time_t, int *);

/* 0 if the last message tsig_verify accepted was signed, else -1. */
int		 tsig_done(struct tsig_ctx *);

/* See above: 1 unsigned, 0 valid, -1 invalid. */
int		 tsig_verify_request(const uint8_t *, size_t, time_t,
		    const struct tsig_keys *, const struct tsig_key **,
		    struct tsig_ctx **, int *);

const char	*tsig_strerror(int);

#endif
