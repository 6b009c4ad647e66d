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
 * TSIG, RFC 8945: signing requests and answers, verifying answers (one
 * or many messages) and requests.  See tsig.h for the use.
 *
 * The MAC is HMAC over, in order (RFC 8945 section 4.3):
 *	the previous MAC, as u16 length and octets, if there is one
 *	(the request's for the first answer, the last signed one after);
 *	the message without its TSIG record, with the TSIG's Original ID
 *	in the header and ARCOUNT one less; after a signed message, every
 *	unsigned message since, as received;
 *	the TSIG variables: for a request or the first message of an answer
 *	key name, class ANY, TTL 0, algorithm name (names in lower case,
 *	uncompressed), time signed, fudge, error, other length and data;
 *	for the later messages of an answer only time signed and fudge.
 *
 * Received messages are never modified: the header fields that differ
 * from the stripped message are digested from values, the rest straight
 * from the caller's buffer.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "dns.h"
#include "secd.h"
#include "tsig.h"

#define TIME48_MASK	0xffffffffffffULL
#define TSIG_RDFIXED	16	/* time 6, fudge, MAC size, ID, error, olen */
#define TSIG_RRFIXED	10	/* type, class, TTL, RDLENGTH */
#define TSIG_MINTRUNC	10	/* octets, RFC 8945 section 5.2.2.1 */
#define BADTIME_OTHER	6	/* the server's time, u48 */

enum tsig_state {
	TS_NEW,		/* client: nothing signed yet */
	TS_ASKED,	/* client: request signed, answer expected */
	TS_ANSWER,	/* client: answer messages being verified */
	TS_REQUEST,	/* server: request checked (reqerr says how) */
	TS_REPLYING,	/* server: answer messages being signed */
	TS_SPENT	/* failed, or an unsigned error answer was sent */
};

struct tsig_ctx {
	enum tsig_state	 state;
	int		 haskey;	/* 0: a BADKEY answer is all we do */
	int		 reqerr;	/* server: the request's TSIG error */
	int		 macerr;	/* sticky, for run */
	int		 nmsg;		/* answer messages done */
	int		 nunsigned;	/* unsigned in a row */
	int		 lastsigned;
	const EVP_MD	*md;
	EVP_PKEY	*pkey;
	EVP_MD_CTX	*run;		/* the digest being built */
	size_t		 hashlen;
	uint64_t	 reqtime;	/* server: Time Signed of the request */
	uint8_t		 name[DNS_MAXNAME];	/* lower case */
	size_t		 namelen;
	uint8_t		 alg[DNS_MAXNAME];	/* lower case */
	size_t		 alglen;
	uint8_t		 prevmac[TSIG_MAXMACLEN];
	size_t		 prevmaclen;
};

/* A TSIG record found in a message.  other points into the message. */
struct tsig_rr {
	size_t		 start;		/* offset of the record */
	uint16_t	 arcount;	/* of the message, TSIG included */
	uint8_t		 name[DNS_MAXNAME];
	size_t		 namelen;
	uint8_t		 alg[DNS_MAXNAME];
	size_t		 alglen;
	uint64_t	 time;
	uint16_t	 fudge;
	uint16_t	 maclen;
	uint8_t		 mac[TSIG_MAXMACLEN];
	uint16_t	 origid;
	uint16_t	 error;
	uint16_t	 otherlen;
	const uint8_t	*other;
};

/* The TSIG variables that are digested after the message. */
struct tsig_vars {
	uint64_t	 time;
	uint16_t	 fudge;
	uint16_t	 error;
	uint16_t	 otherlen;
	const uint8_t	*other;
};

static const struct {
	const char	*name;		/* in the TSIG record */
	const EVP_MD	*(*md)(void);
	size_t		 hashlen;
} algtab[TSIG_ALG_MAX] = {
	[TSIG_HMAC_MD5] =	{ "hmac-md5.sig-alg.reg.int", EVP_md5, 16 },
	[TSIG_HMAC_SHA1] =	{ "hmac-sha1", EVP_sha1, 20 },
	[TSIG_HMAC_SHA224] =	{ "hmac-sha224", EVP_sha224, 28 },
	[TSIG_HMAC_SHA256] =	{ "hmac-sha256", EVP_sha256, 32 },
	[TSIG_HMAC_SHA384] =	{ "hmac-sha384", EVP_sha384, 48 },
	[TSIG_HMAC_SHA512] =	{ "hmac-sha512", EVP_sha512, 64 },
};

static int	tsig_find(const uint8_t *, size_t, struct tsig_rr *);
static int	tsig_parse(const uint8_t *, const struct dns_rr *,
		    struct tsig_rr *);
static int	tsig_check(struct tsig_ctx *, const uint8_t *,
		    const struct tsig_rr *, time_t, int, int);
static int	tsig_fail(struct tsig_ctx *, int *, int);
static struct tsig_ctx *tsig_badkey_ctx(const struct tsig_rr *);
static const struct tsig_key *key_lookup(const struct tsig_keys *,
		    const uint8_t *, size_t);
static int	time_ok(uint64_t, uint16_t, time_t);
static int	mac_start(struct tsig_ctx *);
static void	mac_put(struct tsig_ctx *, const void *, size_t);
static void	mac_u16(struct tsig_ctx *, uint16_t);
static void	mac_u32(struct tsig_ctx *, uint32_t);
static void	mac_message(struct tsig_ctx *, const uint8_t *, size_t,
		    uint16_t, uint16_t);
static void	mac_vars(struct tsig_ctx *, const struct tsig_vars *, int);
static int	mac_final(struct tsig_ctx *, uint8_t *, size_t *);
static void	mac_drop(struct tsig_ctx *);

/*
 * Load libcrypto's configuration and every HMAC implementation now, while
 * files can still be opened: after the sandbox, OpenSSL's lazy first use
 * would read openssl.cnf.  Call once before chroot and pledge.
 */
int
tsig_init(void)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	uint8_t		 mac[TSIG_MAXMACLEN];
	size_t		 n;
	int		 a;

	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1)
		return (-1);
	memset(&k, 0, sizeof(k));
	strlcpy(k.name, "init.", sizeof(k.name));
	k.secretlen = TSIG_MINMAC;
	for (a = 0; a < TSIG_ALG_MAX; a++) {
		k.alg = a;
		/* one the library lacks (MD5 under FIPS) fails at use */
		if ((c = tsig_new(&k)) == NULL)
			continue;
		if (mac_start(c) == 0)
			(void)mac_final(c, mac, &n);
		tsig_free(c);
	}
	return (0);
}

struct tsig_ctx *
tsig_new(const struct tsig_key *k)
{
	struct tsig_ctx	*c;

	if (k == NULL || (int)k->alg < 0 || k->alg >= TSIG_ALG_MAX ||
	    k->secretlen == 0 || k->secretlen > sizeof(k->secret))
		return (NULL);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	if (dns_name_from_text(k->name, c->name, &c->namelen) == -1 ||
	    dns_name_from_text(algtab[k->alg].name, c->alg, &c->alglen) == -1)
		goto fail;
	dns_name_lower(c->name, c->namelen);
	c->md = algtab[k->alg].md();
	c->hashlen = algtab[k->alg].hashlen;
	c->pkey = EVP_PKEY_new_mac_key(EVP_PKEY_HMAC, NULL, k->secret,
	    (int)k->secretlen);
	if (c->md == NULL || c->pkey == NULL)
		goto fail;
	c->haskey = 1;
	c->state = TS_NEW;
	return (c);
fail:
	tsig_free(c);
	return (NULL);
}

void
tsig_free(struct tsig_ctx *c)
{
	if (c == NULL)
		return;
	mac_drop(c);
	EVP_PKEY_free(c->pkey);
	freezero(c, sizeof(*c));
}

int
tsig_sign(struct tsig_ctx *c, uint8_t *msg, size_t *len, size_t cap,
    time_t now, uint16_t fudge, uint16_t error)
{
	struct dns_header	 h;
	struct tsig_vars	 v;
	struct wire		 w;
	struct wbuf		 wb, ob;
	uint8_t			 mac[TSIG_MAXMACLEN], other[BADTIME_OTHER];
	size_t			 maclen, need, rdlen;
	int			 full, sign;

	if (c == NULL || msg == NULL || len == NULL || *len > cap)
		return (-1);
	wire_init(&w, msg, *len);
	if (wire_header(&w, &h) == -1 || h.arcount == UINT16_MAX)
		return (-1);
	if (error == 0)
		error = c->reqerr;
	switch (c->state) {
	case TS_NEW:
		full = 1;
		break;
	case TS_REQUEST:
	case TS_REPLYING:
		full = c->nmsg == 0;
		break;
	default:
		return (-1);
	}
	/* RFC 8945 5.3.2: no MAC on an answer about the key or the MAC */
	sign = error != DNS_R_BADKEY && error != DNS_R_BADSIG;
	if (sign && !c->haskey)
		return (-1);

	memset(&v, 0, sizeof(v));
	v.time = (uint64_t)now & TIME48_MASK;
	v.fudge = fudge;
	v.error = error;
	if (error == DNS_R_BADTIME && c->state == TS_REQUEST) {
		/* the request's time, and ours for the client to see */
		wbuf_init(&ob, other, sizeof(other));
		wbuf_u16(&ob, v.time >> 32);
		wbuf_u32(&ob, v.time & 0xffffffff);
		v.time = c->reqtime;
		v.other = other;
		v.otherlen = sizeof(other);
	}
	maclen = sign ? c->hashlen : 0;
	rdlen = c->alglen + TSIG_RDFIXED + maclen + v.otherlen;
	need = c->namelen + TSIG_RRFIXED + rdlen;
	if (cap - *len < need)
		return (-1);

	if (sign) {
		if (mac_start(c) == -1)
			return (tsig_fail(c, NULL, TSIG_E_INTERNAL));
		mac_message(c, msg, *len, h.id, h.arcount);
		mac_vars(c, &v, full);
		if (mac_final(c, mac, &maclen) == -1 || maclen != c->hashlen)
			return (tsig_fail(c, NULL, TSIG_E_INTERNAL));
	}

	wbuf_init(&wb, msg + *len, cap - *len);
	wbuf_name(&wb, c->name, c->namelen, NULL);
	wbuf_u16(&wb, DNS_T_TSIG);
	wbuf_u16(&wb, DNS_C_ANY);
	wbuf_u32(&wb, 0);
	wbuf_u16(&wb, rdlen);
	wbuf_name(&wb, c->alg, c->alglen, NULL);
	wbuf_u16(&wb, v.time >> 32);
	wbuf_u32(&wb, v.time & 0xffffffff);
	wbuf_u16(&wb, fudge);
	wbuf_u16(&wb, maclen);
	wbuf_bytes(&wb, mac, maclen);
	wbuf_u16(&wb, h.id);
	wbuf_u16(&wb, error);
	wbuf_u16(&wb, v.otherlen);
	wbuf_bytes(&wb, other, v.otherlen);
	if (wb.err || wb.len != need)
		return (tsig_fail(c, NULL, TSIG_E_INTERNAL));
	h.arcount++;
	wbuf_init(&wb, msg, DNS_HDRLEN);
	if (wbuf_header(&wb, &h) == -1)
		return (tsig_fail(c, NULL, TSIG_E_INTERNAL));
	*len += need;

	if (!sign) {
		c->state = TS_SPENT;
		return (0);
	}
	memcpy(c->prevmac, mac, maclen);
	c->prevmaclen = maclen;
	explicit_bzero(mac, sizeof(mac));
	if (c->state == TS_NEW) {
		c->state = TS_ASKED;
		c->nmsg = 0;
	} else {
		c->state = TS_REPLYING;
		c->nmsg++;
	}
	return (0);
}

int
tsig_verify(struct tsig_ctx *c, const uint8_t *msg, size_t len, time_t now,
    int *err)
{
	struct tsig_rr	 t;
	int		 e, r;

	*err = 0;
	if (c == NULL) {
		*err = TSIG_E_INTERNAL;
		return (-1);
	}
	if (!c->haskey || (c->state != TS_ASKED && c->state != TS_ANSWER))
		return (tsig_fail(c, err, TSIG_E_INTERNAL));
	if ((r = tsig_find(msg, len, &t)) == -1)
		return (tsig_fail(c, err, DNS_R_FORMERR));
	if (r == 0) {
		/* RFC 8945 5.3.1: the first must be signed, then 1 in 100 */
		if (c->nmsg == 0)
			return (tsig_fail(c, err, TSIG_E_UNSIGNED));
		if (c->nunsigned >= TSIG_MAXUNSIGNED)
			return (tsig_fail(c, err, TSIG_E_TOOMANY));
		if (mac_start(c) == -1)
			return (tsig_fail(c, err, TSIG_E_INTERNAL));
		mac_put(c, msg, len);
		if (c->macerr)
			return (tsig_fail(c, err, TSIG_E_INTERNAL));
		c->state = TS_ANSWER;
		c->nmsg++;
		c->nunsigned++;
		c->lastsigned = 0;
		return (0);
	}
	if ((e = tsig_check(c, msg, &t, now, c->nmsg == 0, 1)) != 0)
		return (tsig_fail(c, err, e));
	c->state = TS_ANSWER;
	c->nmsg++;
	c->nunsigned = 0;
	c->lastsigned = 1;
	return (0);
}

int
tsig_done(struct tsig_ctx *c)
{
	if (c == NULL || c->state != TS_ANSWER || !c->lastsigned)
		return (-1);
	return (0);
}

int
tsig_verify_request(const uint8_t *msg, size_t len, time_t now,
    const struct tsig_keys *keys, const struct tsig_key **keyp,
    struct tsig_ctx **ctxp, int *err)
{
	const struct tsig_key	*k;
	struct tsig_ctx		*c;
	struct tsig_rr		 t;
	int			 e, r;

	*keyp = NULL;
	*ctxp = NULL;
	*err = 0;
	if ((r = tsig_find(msg, len, &t)) == -1) {
		*err = DNS_R_FORMERR;
		return (-1);
	}
	if (r == 0)
		return (1);
	if ((k = key_lookup(keys, t.name, t.namelen)) == NULL) {
		*err = DNS_R_BADKEY;
		*ctxp = tsig_badkey_ctx(&t);
		return (-1);
	}
	if ((c = tsig_new(k)) == NULL) {
		*err = TSIG_E_INTERNAL;
		return (-1);
	}
	c->reqtime = t.time;
	e = tsig_check(c, msg, &t, now, 1, 0);
	switch (e) {
	case 0:
		*keyp = k;
		break;
	case DNS_R_BADKEY:	/* the name is known, not the algorithm */
		tsig_free(c);
		c = tsig_badkey_ctx(&t);
		break;
	case DNS_R_BADTIME:
	case DNS_R_BADTRUNC:
		break;
	case DNS_R_BADSIG:
		c->prevmaclen = 0;	/* not the key holder's */
		break;
	default:
		tsig_free(c);
		*err = e;
		return (-1);
	}
	if (c != NULL) {
		c->reqerr = e;
		c->state = TS_REQUEST;
		c->nmsg = 0;
	}
	*ctxp = c;
	*err = e;
	return (e == 0 ? 0 : -1);
}

const char *
tsig_strerror(int e)
{
	if (e & TSIG_E_PEER) {
		switch (e & ~TSIG_E_PEER) {
		case DNS_R_BADSIG:
			return ("peer reports BADSIG: our MAC did not verify");
		case DNS_R_BADKEY:
			return ("peer reports BADKEY: key or algorithm unknown "
			    "to it");
		case DNS_R_BADTIME:
			return ("peer reports BADTIME: clocks differ by more "
			    "than the fudge");
		case DNS_R_BADTRUNC:
			return ("peer reports BADTRUNC");
		default:
			return ("peer reports an unknown TSIG error");
		}
	}
	switch (e) {
	case 0:
		return ("no error");
	case DNS_R_FORMERR:
		return ("FORMERR: malformed or misplaced TSIG record");
	case DNS_R_BADSIG:
		return ("BADSIG: the MAC does not verify");
	case DNS_R_BADKEY:
		return ("BADKEY: unknown key or algorithm");
	case DNS_R_BADTIME:
		return ("BADTIME: signed outside the allowed time window");
	case DNS_R_BADTRUNC:
		return ("BADTRUNC: MAC truncated below the local minimum");
	case TSIG_E_UNSIGNED:
		return ("a message that must be signed is not");
	case TSIG_E_TOOMANY:
		return ("more than 99 unsigned messages in a row");
	case TSIG_E_INTERNAL:
		return ("internal error (crypto or misuse of the context)");
	default:
		return ("unknown TSIG error");
	}
}

/*
 * Find the TSIG record of a message: 1 and *t filled in, 0 if there is
 * none, -1 if the message does not parse, has bytes after its last
 * record, or has a TSIG record that is not the last of the additional
 * section (which covers two of them) or that is malformed (RFC 8945
 * section 5.2).
 */
static int
tsig_find(const uint8_t *msg, size_t len, struct tsig_rr *t)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct wire		 w;
	size_t			 start;
	unsigned int		 i, n;
	int			 found = 0;

	if (msg == NULL)
		return (-1);
	wire_init(&w, msg, len);
	if (wire_header(&w, &h) == -1)
		return (-1);
	for (i = 0; i < h.qdcount; i++)
		if (wire_question(&w, NULL, NULL, NULL, NULL) == -1)
			return (-1);
	n = (unsigned int)h.ancount + h.nscount + h.arcount;
	for (i = 0; i < n; i++) {
		start = w.off;
		if (wire_rr(&w, &rr) == -1)
			return (-1);
		if (rr.type != DNS_T_TSIG)
			continue;
		if (i != n - 1 || h.arcount == 0)
			return (-1);
		if (tsig_parse(msg, &rr, t) == -1)
			return (-1);
		t->start = start;
		t->arcount = h.arcount;
		found = 1;
	}
	if (w.off != len)
		return (-1);
	return (found);
}

/* The owner and RDATA of a TSIG record (RFC 8945 section 4.2). */
static int
tsig_parse(const uint8_t *msg, const struct dns_rr *rr, struct tsig_rr *t)
{
	struct wire	 w;
	uint32_t	 lo;
	uint16_t	 hi;

	if (rr->class != DNS_C_ANY || rr->ttl != 0)
		return (-1);
	memcpy(t->name, rr->owner, rr->ownerlen);
	t->namelen = rr->ownerlen;
	dns_name_lower(t->name, t->namelen);

	wire_init(&w, msg, rr->rdoff + rr->rdlen);
	wire_skip(&w, rr->rdoff);
	wire_name_nocomp(&w, t->alg, &t->alglen);
	wire_u16(&w, &hi);
	wire_u32(&w, &lo);
	wire_u16(&w, &t->fudge);
	if (wire_u16(&w, &t->maclen) == -1 || t->maclen > sizeof(t->mac))
		return (-1);
	wire_bytes(&w, t->mac, t->maclen);
	wire_u16(&w, &t->origid);
	wire_u16(&w, &t->error);
	if (wire_u16(&w, &t->otherlen) == -1)
		return (-1);
	t->other = rr->rdata + (w.off - rr->rdoff);
	if (wire_skip(&w, t->otherlen) == -1 || w.off != w.len)
		return (-1);
	dns_name_lower(t->alg, t->alglen);
	t->time = (uint64_t)hi << 32 | lo;
	return (0);
}

/*
 * The checks of RFC 8945 section 5.2 on a found TSIG record, in its
 * order: key (name and algorithm), the peer's error if peer is set, MAC
 * length (5.2.2.1), MAC, time, truncation policy.  full: the first
 * message of its direction, with every TSIG variable digested.  Returns
 * 0 or the error.
 */
static int
tsig_check(struct tsig_ctx *c, const uint8_t *msg, const struct tsig_rr *t,
    time_t now, int full, int peer)
{
	struct tsig_vars	 v;
	uint8_t			 mac[TSIG_MAXMACLEN];
	size_t			 maclen, min;
	int			 ok;

	if (!dns_name_equal(t->name, t->namelen, c->name, c->namelen) ||
	    !dns_name_equal(t->alg, t->alglen, c->alg, c->alglen))
		return (DNS_R_BADKEY);
	if (peer && t->error != 0)
		return (TSIG_E_PEER | t->error);
	min = c->hashlen / 2 > TSIG_MINTRUNC ? c->hashlen / 2 : TSIG_MINTRUNC;
	if (t->maclen > c->hashlen || t->maclen < min)
		return (DNS_R_FORMERR);

	v.time = t->time;
	v.fudge = t->fudge;
	v.error = t->error;
	v.otherlen = t->otherlen;
	v.other = t->other;
	if (mac_start(c) == -1)
		return (TSIG_E_INTERNAL);
	mac_message(c, msg, t->start, t->origid, t->arcount - 1);
	mac_vars(c, &v, full);
	if (mac_final(c, mac, &maclen) == -1 || maclen != c->hashlen)
		return (TSIG_E_INTERNAL);
	ok = CRYPTO_memcmp(mac, t->mac, t->maclen) == 0;
	explicit_bzero(mac, sizeof(mac));
	if (!ok)
		return (DNS_R_BADSIG);

	/* the MAC is good: from here on it chains the next message */
	memcpy(c->prevmac, t->mac, t->maclen);
	c->prevmaclen = t->maclen;
	if (!time_ok(t->time, t->fudge, now))
		return (DNS_R_BADTIME);
	if (t->maclen < c->hashlen && t->maclen < TSIG_MINMAC)
		return (DNS_R_BADTRUNC);
	return (0);
}

/* The context is spent: free the digest, say why, return -1. */
static int
tsig_fail(struct tsig_ctx *c, int *err, int e)
{
	mac_drop(c);
	c->state = TS_SPENT;
	if (err != NULL)
		*err = e;
	return (-1);
}

/*
 * A context that can only add the unsigned TSIG record of a BADKEY or
 * BADSIG answer, with the key and algorithm names of the request.
 */
static struct tsig_ctx *
tsig_badkey_ctx(const struct tsig_rr *t)
{
	struct tsig_ctx	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	memcpy(c->name, t->name, t->namelen);
	c->namelen = t->namelen;
	memcpy(c->alg, t->alg, t->alglen);
	c->alglen = t->alglen;
	c->reqerr = DNS_R_BADKEY;
	c->state = TS_REQUEST;
	return (c);
}

/* The configured key with this owner name (any case), or NULL. */
static const struct tsig_key *
key_lookup(const struct tsig_keys *keys, const uint8_t *name, size_t len)
{
	const struct tsig_key	*k;
	uint8_t			 kn[DNS_MAXNAME];
	size_t			 kl;

	if (keys == NULL)
		return (NULL);
	TAILQ_FOREACH(k, keys, entry) {
		if (dns_name_from_text(k->name, kn, &kl) == -1)
			continue;
		if (dns_name_equal(kn, kl, name, len))
			return (k);
	}
	return (NULL);
}

/* |now - signed| <= fudge, RFC 8945 section 5.2.3 */
static int
time_ok(uint64_t ts, uint16_t fudge, time_t now)
{
	int64_t		 d;

	d = (int64_t)now - (int64_t)ts;
	return (d <= (int64_t)fudge && d >= -(int64_t)fudge);
}

/*
 * Start the digest if it is not running, with the previous MAC first.
 * The running digest of a multi-message answer is the one left open by
 * the last signed message, with the unsigned messages since added.
 */
static int
mac_start(struct tsig_ctx *c)
{
	if (c->run != NULL)
		return (c->macerr ? -1 : 0);
	c->macerr = 0;
	if ((c->run = EVP_MD_CTX_new()) == NULL)
		return (-1);
	if (EVP_DigestSignInit(c->run, NULL, c->md, NULL, c->pkey) != 1) {
		mac_drop(c);
		return (-1);
	}
	if (c->prevmaclen > 0) {
		mac_u16(c, c->prevmaclen);
		mac_put(c, c->prevmac, c->prevmaclen);
	}
	return (c->macerr ? -1 : 0);
}

static void
mac_put(struct tsig_ctx *c, const void *p, size_t n)
{
	if (c->run == NULL || c->macerr)
		return;
	if (n > 0 && EVP_DigestSignUpdate(c->run, p, n) != 1)
		c->macerr = 1;
}

static void
mac_u16(struct tsig_ctx *c, uint16_t v)
{
	uint8_t		 b[2];

	b[0] = v >> 8;
	b[1] = v & 0xff;
	mac_put(c, b, sizeof(b));
}

static void
mac_u32(struct tsig_ctx *c, uint32_t v)
{
	mac_u16(c, v >> 16);
	mac_u16(c, v & 0xffff);
}

/* msg[0..len) as if its ID were id and its ARCOUNT arcount. */
static void
mac_message(struct tsig_ctx *c, const uint8_t *msg, size_t len, uint16_t id,
    uint16_t arcount)
{
	mac_u16(c, id);
	mac_put(c, msg + 2, DNS_HDRLEN - 4);
	mac_u16(c, arcount);
	mac_put(c, msg + DNS_HDRLEN, len - DNS_HDRLEN);
}

static void
mac_vars(struct tsig_ctx *c, const struct tsig_vars *v, int full)
{
	if (full) {
		mac_put(c, c->name, c->namelen);
		mac_u16(c, DNS_C_ANY);
		mac_u32(c, 0);
		mac_put(c, c->alg, c->alglen);
	}
	mac_u16(c, v->time >> 32);
	mac_u32(c, v->time & 0xffffffff);
	mac_u16(c, v->fudge);
	if (full) {
		mac_u16(c, v->error);
		mac_u16(c, v->otherlen);
		mac_put(c, v->other, v->otherlen);
	}
}

/* The MAC of what was digested; the digest is then gone. */
static int
mac_final(struct tsig_ctx *c, uint8_t *out, size_t *outlen)
{
	size_t		 n = TSIG_MAXMACLEN;
	int		 ok;

	ok = c->run != NULL && !c->macerr &&
	    EVP_DigestSignFinal(c->run, out, &n) == 1;
	mac_drop(c);
	*outlen = ok ? n : 0;
	return (ok ? 0 : -1);
}

static void
mac_drop(struct tsig_ctx *c)
{
	EVP_MD_CTX_free(c->run);
	c->run = NULL;
	c->macerr = 0;
}
