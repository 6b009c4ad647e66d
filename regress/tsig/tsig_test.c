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
 * shared/tsig.c: TSIG (RFC 8945) against dnspython, an independent
 * implementation driven through tsigtool.py next to this program, and
 * the error paths on hand-made messages.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "dns.h"
#include "secd.h"
#include "tsig.h"

#define PYTHON		"/usr/bin/python3"
#define NOW		((time_t)1700000000)
#define KEYNAME		"xfr.example"
#define MSGCAP		4096
#define STREAMCAP	(1024 * 1024)

/* A TSIG record as the tests see it, to take apart and rebuild. */
struct ttsig {
	size_t		 start;
	uint8_t		 owner[DNS_MAXNAME];
	size_t		 ownerlen;
	uint8_t		 alg[DNS_MAXNAME];
	size_t		 alglen;
	uint64_t	 time;
	uint16_t	 fudge;
	uint16_t	 maclen;
	uint8_t		 mac[256];
	uint16_t	 origid;
	uint16_t	 error;
	uint16_t	 otherlen;
	uint8_t		 other[256];
};

static const char *toolalg[TSIG_ALG_MAX] = {
	"hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256",
	"hmac-sha384", "hmac-sha512"
};
static const size_t hashlen[TSIG_ALG_MAX] = { 16, 20, 28, 32, 48, 64 };

static uint8_t	 stream[STREAMCAP];

static void
key_init(struct tsig_key *k, const char *name, enum tsig_alg alg)
{
	size_t		 i;

	memset(k, 0, sizeof(*k));
	ATF_REQUIRE(strlcpy(k->name, name, sizeof(k->name)) < sizeof(k->name));
	k->alg = alg;
	k->secretlen = 32;
	for (i = 0; i < k->secretlen; i++)
		k->secret[i] = (uint8_t)(i * 7 + 3);
}

/* A query (or NOTIFY, or an answer with DNS_F_QR) for example.com. */
static size_t
make_msg(uint8_t *buf, size_t cap, uint16_t id, uint16_t flags,
    uint16_t qtype)
{
	struct dns_header	 h;
	struct wbuf		 wb;
	uint8_t			 name[DNS_MAXNAME];
	size_t			 nlen;

	ATF_REQUIRE(dns_name_from_text("example.com", name, &nlen) == 0);
	memset(&h, 0, sizeof(h));
	h.id = id;
	h.flags = flags;
	h.qdcount = 1;
	wbuf_init(&wb, buf, cap);
	wbuf_header(&wb, &h);
	wbuf_name(&wb, name, nlen, NULL);
	wbuf_u16(&wb, qtype);
	wbuf_u16(&wb, DNS_C_IN);
	ATF_REQUIRE(wb.err == 0);
	return (wb.len);
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE	*f;

	ATF_REQUIRE((f = fopen(path, "wb")) != NULL);
	ATF_REQUIRE(fwrite(p, 1, n, f) == n);
	ATF_REQUIRE(fclose(f) == 0);
}

static size_t
read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE	*f;
	size_t	 n;

	ATF_REQUIRE_MSG((f = fopen(path, "rb")) != NULL, "cannot open %s",
	    path);
	n = fread(buf, 1, cap, f);
	ATF_REQUIRE(ferror(f) == 0 && feof(f));
	fclose(f);
	return (n);
}

/*
 * Run tsigtool.py with this key and frozen time; the rest of the command
 * line comes from fmt.  Returns its exit status.
 */
static int
tool(const atf_tc_t *tc, const struct tsig_key *k, time_t now,
    const char *fmt, ...)
{
	va_list		 ap;
	char		 hex[2 * SECD_TSIG_SECRET_MAX + 1];
	char		 cmd[2048], args[1024];
	size_t		 i;
	int		 n, st;

	if (access(PYTHON, X_OK) == -1)
		atf_tc_skip("%s is not there to run dnspython", PYTHON);
	for (i = 0; i < k->secretlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", k->secret[i]);
	hex[2 * i] = '\0';
	va_start(ap, fmt);
	n = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	ATF_REQUIRE(n >= 0 && (size_t)n < sizeof(args));
	n = snprintf(cmd, sizeof(cmd), "%s %s/tsigtool.py %s %s %s %lld %s",
	    PYTHON, atf_tc_get_config_var(tc, "srcdir"), toolalg[k->alg],
	    k->name, hex, (long long)now, args);
	ATF_REQUIRE(n >= 0 && (size_t)n < sizeof(cmd));
	st = system(cmd);
	ATF_REQUIRE_MSG(st != -1 && WIFEXITED(st), "cannot run %s", cmd);
	return (WEXITSTATUS(st));
}

/* The i-th message (from 0) of a TCP-framed stream, or -1 at the end. */
static int
stream_msg(const uint8_t *s, size_t slen, int i, const uint8_t **msg,
    size_t *len)
{
	size_t		 off = 0, n;

	for (;;) {
		if (off == slen)
			return (-1);
		ATF_REQUIRE(slen - off >= 2);
		n = (size_t)s[off] << 8 | s[off + 1];
		ATF_REQUIRE(slen - off - 2 >= n);
		if (i-- == 0) {
			*msg = s + off + 2;
			*len = n;
			return (0);
		}
		off += 2 + n;
	}
}

/* Take apart the last record of a message, which must be a TSIG. */
static void
ttsig_get(const uint8_t *msg, size_t len, struct ttsig *t)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct wire		 w;
	uint32_t		 lo;
	uint16_t		 hi;
	unsigned int		 i, n;

	memset(t, 0, sizeof(*t));
	wire_init(&w, msg, len);
	ATF_REQUIRE(wire_header(&w, &h) == 0);
	for (i = 0; i < h.qdcount; i++)
		ATF_REQUIRE(wire_question(&w, NULL, NULL, NULL, NULL) == 0);
	n = (unsigned int)h.ancount + h.nscount + h.arcount;
	ATF_REQUIRE(n > 0);
	for (i = 0; i < n; i++) {
		t->start = w.off;
		ATF_REQUIRE(wire_rr(&w, &rr) == 0);
	}
	ATF_REQUIRE_EQ(rr.type, DNS_T_TSIG);
	memcpy(t->owner, rr.owner, rr.ownerlen);
	t->ownerlen = rr.ownerlen;
	wire_init(&w, msg, rr.rdoff + rr.rdlen);
	wire_skip(&w, rr.rdoff);
	wire_name_nocomp(&w, t->alg, &t->alglen);
	wire_u16(&w, &hi);
	wire_u32(&w, &lo);
	wire_u16(&w, &t->fudge);
	wire_u16(&w, &t->maclen);
	ATF_REQUIRE(t->maclen <= sizeof(t->mac));
	wire_bytes(&w, t->mac, t->maclen);
	wire_u16(&w, &t->origid);
	wire_u16(&w, &t->error);
	wire_u16(&w, &t->otherlen);
	ATF_REQUIRE(t->otherlen <= sizeof(t->other));
	wire_bytes(&w, t->other, t->otherlen);
	ATF_REQUIRE(w.err == 0 && w.off == w.len);
	t->time = (uint64_t)hi << 32 | lo;
}

/* Write t over the TSIG record of msg; returns the new length. */
static size_t
ttsig_put(uint8_t *msg, size_t cap, const struct ttsig *t)
{
	struct wbuf	 wb;
	size_t		 rdlen;

	rdlen = t->alglen + 16 + t->maclen + t->otherlen;
	wbuf_init(&wb, msg + t->start, cap - t->start);
	wbuf_name(&wb, t->owner, t->ownerlen, NULL);
	wbuf_u16(&wb, DNS_T_TSIG);
	wbuf_u16(&wb, DNS_C_ANY);
	wbuf_u32(&wb, 0);
	wbuf_u16(&wb, rdlen);
	wbuf_name(&wb, t->alg, t->alglen, NULL);
	wbuf_u16(&wb, t->time >> 32);
	wbuf_u32(&wb, t->time & 0xffffffff);
	wbuf_u16(&wb, t->fudge);
	wbuf_u16(&wb, t->maclen);
	wbuf_bytes(&wb, t->mac, t->maclen);
	wbuf_u16(&wb, t->origid);
	wbuf_u16(&wb, t->error);
	wbuf_u16(&wb, t->otherlen);
	wbuf_bytes(&wb, t->other, t->otherlen);
	ATF_REQUIRE(wb.err == 0);
	return (t->start + wb.len);
}

static uint16_t
arcount(const uint8_t *msg)
{
	return ((uint16_t)(msg[10] << 8 | msg[11]));
}

static void
set_arcount(uint8_t *msg, uint16_t n)
{
	msg[10] = n >> 8;
	msg[11] = n & 0xff;
}

/* A request signed by a fresh context for k; returns that context. */
static struct tsig_ctx *
signed_request(const struct tsig_key *k, uint16_t qtype, time_t now,
    uint8_t *buf, size_t *len)
{
	struct tsig_ctx	*c;

	*len = make_msg(buf, MSGCAP, 0x4242, 0, qtype);
	ATF_REQUIRE((c = tsig_new(k)) != NULL);
	ATF_REQUIRE(tsig_sign(c, buf, len, MSGCAP, now, TSIG_FUDGE, 0) == 0);
	return (c);
}

/*
 * Verify every message of a stream with c.  Returns the index of the
 * first failure (its error in *err), or -1 if all verified.
 */
static int
verify_stream(struct tsig_ctx *c, const uint8_t *s, size_t slen, time_t now,
    int *err)
{
	const uint8_t	*msg;
	size_t		 len;
	int		 i;

	for (i = 0; stream_msg(s, slen, i, &msg, &len) == 0; i++)
		if (tsig_verify(c, msg, len, now, err) == -1)
			return (i);
	return (-1);
}

/*
 * C signs an AXFR request, dnspython checks it and answers with a stream
 * made of PATTERN (S signed, U unsigned) in s.bin; returns its length.
 */
static size_t
dnspython_stream(const atf_tc_t *tc, const struct tsig_key *k,
    struct tsig_ctx **cp, const char *pattern)
{
	uint8_t		 req[MSGCAP];
	size_t		 len;

	*cp = signed_request(k, DNS_T_AXFR, NOW, req, &len);
	write_file("req.bin", req, len);
	ATF_REQUIRE_EQ_MSG(tool(tc, k, NOW, "stream req.bin s.bin %s",
	    pattern), 0, "dnspython did not accept the %s request",
	    toolalg[k->alg]);
	return (read_file("s.bin", stream, sizeof(stream)));
}

ATF_TC_WITHOUT_HEAD(sign_request_dnspython_verifies);
ATF_TC_BODY(sign_request_dnspython_verifies, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	struct ttsig	 t;
	uint8_t		 buf[MSGCAP];
	size_t		 len;
	int		 alg;

	for (alg = 0; alg < TSIG_ALG_MAX; alg++) {
		key_init(&k, KEYNAME, alg);
		c = signed_request(&k, DNS_T_SOA, NOW, buf, &len);
		ttsig_get(buf, len, &t);
		ATF_CHECK_EQ(arcount(buf), 1);
		ATF_CHECK_EQ(t.time, (uint64_t)NOW);
		ATF_CHECK_EQ(t.fudge, TSIG_FUDGE);
		ATF_CHECK_EQ(t.maclen, hashlen[alg]);
		ATF_CHECK_EQ(t.origid, 0x4242);
		write_file("q.bin", buf, len);
		ATF_CHECK_EQ_MSG(tool(tc, &k, NOW, "verify q.bin"), 0,
		    "dnspython rejects our %s request", toolalg[alg]);
		tsig_free(c);
	}
}

ATF_TC_WITHOUT_HEAD(dnspython_request_verifies);
ATF_TC_BODY(dnspython_request_verifies, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 other, k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*c;
	uint8_t			 buf[MSGCAP];
	size_t			 len;
	int			 alg, err;

	for (alg = 0; alg < TSIG_ALG_MAX; alg++) {
		TAILQ_INIT(&keys);
		key_init(&other, "other.example", alg);
		key_init(&k, "XFR.Example", alg);
		TAILQ_INSERT_TAIL(&keys, &other, entry);
		TAILQ_INSERT_TAIL(&keys, &k, entry);
		/* dnspython signs with the name in another case */
		strlcpy(k.name, KEYNAME, sizeof(k.name));
		ATF_REQUIRE(tool(tc, &k, NOW, "sign-query q.bin") == 0);
		strlcpy(k.name, "XFR.Example", sizeof(k.name));
		len = read_file("q.bin", buf, sizeof(buf));
		ATF_CHECK_EQ_MSG(tsig_verify_request(buf, len, NOW + 10,
		    &keys, &kp, &c, &err), 0, "%s: %s", toolalg[alg],
		    tsig_strerror(err));
		ATF_CHECK(kp == &k);
		ATF_CHECK(c != NULL);
		tsig_free(c);
	}
}

ATF_TC_WITHOUT_HEAD(notify_answer_dnspython_verifies);
ATF_TC_BODY(notify_answer_dnspython_verifies, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*c;
	uint8_t			 buf[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	int			 alg, err;

	for (alg = 0; alg < TSIG_ALG_MAX; alg++) {
		TAILQ_INIT(&keys);
		key_init(&k, KEYNAME, alg);
		TAILQ_INSERT_TAIL(&keys, &k, entry);
		ATF_REQUIRE(tool(tc, &k, NOW, "sign-query q.bin notify") == 0);
		len = read_file("q.bin", buf, sizeof(buf));
		ATF_REQUIRE_EQ_MSG(tsig_verify_request(buf, len, NOW, &keys,
		    &kp, &c, &err), 0, "%s", tsig_strerror(err));
		alen = make_msg(ans, sizeof(ans), 0x1234, DNS_F_QR | DNS_F_AA |
		    DNS_OP_NOTIFY << DNS_F_OPCODE_SHIFT, DNS_T_SOA);
		ATF_REQUIRE(tsig_sign(c, ans, &alen, sizeof(ans), NOW,
		    TSIG_FUDGE, 0) == 0);
		write_file("a.bin", ans, alen);
		ATF_CHECK_EQ_MSG(tool(tc, &k, NOW, "verify-answer q.bin a.bin"),
		    0, "dnspython rejects our %s NOTIFY answer", toolalg[alg]);
		tsig_free(c);
	}
}

ATF_TC_WITHOUT_HEAD(request_answer_round_trip);
ATF_TC_BODY(request_answer_round_trip, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	uint8_t			 req[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	int			 alg, err, i;

	for (alg = 0; alg < TSIG_ALG_MAX; alg++) {
		TAILQ_INIT(&keys);
		key_init(&k, KEYNAME, alg);
		TAILQ_INSERT_TAIL(&keys, &k, entry);
		cc = signed_request(&k, DNS_T_AXFR, NOW, req, &len);
		ATF_REQUIRE(tsig_verify_request(req, len, NOW, &keys, &kp,
		    &sc, &err) == 0);
		/* a three-message answer, every one signed */
		for (i = 0; i < 3; i++) {
			alen = make_msg(ans, sizeof(ans), 0x4242, DNS_F_QR,
			    DNS_T_AXFR);
			ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans), NOW,
			    TSIG_FUDGE, 0) == 0);
			ATF_CHECK_EQ_MSG(tsig_verify(cc, ans, alen, NOW, &err),
			    0, "%s message %d: %s", toolalg[alg], i,
			    tsig_strerror(err));
		}
		ATF_CHECK_EQ(tsig_done(cc), 0);
		tsig_free(cc);
		tsig_free(sc);
	}
}

ATF_TC_WITHOUT_HEAD(request_unsigned_is_reported);
ATF_TC_BODY(request_unsigned_is_reported, tc)
{
	struct tsig_keys	 keys;
	const struct tsig_key	*kp;
	struct tsig_ctx		*c;
	uint8_t			 buf[MSGCAP];
	size_t			 len;
	int			 err;

	TAILQ_INIT(&keys);
	len = make_msg(buf, sizeof(buf), 1, 0, DNS_T_SOA);
	ATF_CHECK_EQ(tsig_verify_request(buf, len, NOW, &keys, &kp, &c,
	    &err), 1);
	ATF_CHECK(kp == NULL && c == NULL && err == 0);
}

ATF_TC_WITHOUT_HEAD(axfr_stream_with_unsigned_verifies);
ATF_TC_BODY(axfr_stream_with_unsigned_verifies, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	size_t		 slen;
	int		 alg, err, r;

	for (alg = 0; alg < TSIG_ALG_MAX; alg++) {
		key_init(&k, KEYNAME, alg);
		slen = dnspython_stream(tc, &k, &c, "SUUSUUUSS");
		r = verify_stream(c, stream, slen, NOW, &err);
		ATF_CHECK_EQ_MSG(r, -1, "%s: message %d: %s", toolalg[alg],
		    r + 1, tsig_strerror(err));
		ATF_CHECK_EQ(tsig_done(c), 0);
		tsig_free(c);
	}
}

ATF_TC_WITHOUT_HEAD(axfr_tampered_signed_message_badsig);
ATF_TC_BODY(axfr_tampered_signed_message_badsig, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	const uint8_t	*msg;
	size_t		 slen, len;
	int		 err, r;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	slen = dnspython_stream(tc, &k, &c, "SSSSS");
	ATF_REQUIRE(stream_msg(stream, slen, 2, &msg, &len) == 0);
	stream[msg - stream + DNS_HDRLEN + 2] ^= 0x20;	/* owner name */
	r = verify_stream(c, stream, slen, NOW, &err);
	ATF_CHECK_EQ_MSG(r, 2, "failed at message %d, expected 3", r + 1);
	ATF_CHECK_EQ_MSG(err, DNS_R_BADSIG, "%s", tsig_strerror(err));
	ATF_CHECK_EQ(tsig_done(c), -1);
	/* and it stays failed */
	ATF_REQUIRE(stream_msg(stream, slen, 3, &msg, &len) == 0);
	ATF_CHECK_EQ(tsig_verify(c, msg, len, NOW, &err), -1);
	tsig_free(c);
}

ATF_TC_WITHOUT_HEAD(axfr_tampered_unsigned_message_fails_at_next);
ATF_TC_BODY(axfr_tampered_unsigned_message_fails_at_next, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	const uint8_t	*msg;
	size_t		 slen, len;
	int		 err, r;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA1);
	slen = dnspython_stream(tc, &k, &c, "SSUSS");
	ATF_REQUIRE(stream_msg(stream, slen, 2, &msg, &len) == 0);
	stream[msg - stream + len - 1] ^= 0x01;		/* last A rdata */
	r = verify_stream(c, stream, slen, NOW, &err);
	ATF_CHECK_EQ_MSG(r, 3, "failed at message %d, expected 4", r + 1);
	ATF_CHECK_EQ_MSG(err, DNS_R_BADSIG, "%s", tsig_strerror(err));
	tsig_free(c);
}

ATF_TC_WITHOUT_HEAD(axfr_99_unsigned_in_a_row_verifies);
ATF_TC_BODY(axfr_99_unsigned_in_a_row_verifies, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	char		 pat[128];
	size_t		 slen;
	int		 err, r;

	memset(pat, 'U', sizeof(pat));
	pat[0] = 'S';
	pat[100] = 'S';
	pat[101] = '\0';
	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	slen = dnspython_stream(tc, &k, &c, pat);
	r = verify_stream(c, stream, slen, NOW, &err);
	ATF_CHECK_EQ_MSG(r, -1, "message %d: %s", r + 1, tsig_strerror(err));
	ATF_CHECK_EQ(tsig_done(c), 0);
	tsig_free(c);
}

ATF_TC_WITHOUT_HEAD(axfr_100_unsigned_in_a_row_fails);
ATF_TC_BODY(axfr_100_unsigned_in_a_row_fails, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	char		 pat[128];
	size_t		 slen;
	int		 err, r;

	memset(pat, 'U', sizeof(pat));
	pat[0] = 'S';
	pat[101] = 'S';
	pat[102] = '\0';
	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	slen = dnspython_stream(tc, &k, &c, pat);
	r = verify_stream(c, stream, slen, NOW, &err);
	ATF_CHECK_EQ_MSG(r, 100, "failed at message %d, expected 101", r + 1);
	ATF_CHECK_EQ_MSG(err, TSIG_E_TOOMANY, "%s", tsig_strerror(err));
	ATF_CHECK_EQ(tsig_done(c), -1);
	tsig_free(c);
}

ATF_TC_WITHOUT_HEAD(axfr_last_message_unsigned_not_done);
ATF_TC_BODY(axfr_last_message_unsigned_not_done, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	size_t		 slen;
	int		 err, r;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA512);
	slen = dnspython_stream(tc, &k, &c, "SSU");
	r = verify_stream(c, stream, slen, NOW, &err);
	ATF_CHECK_EQ_MSG(r, -1, "message %d: %s", r + 1, tsig_strerror(err));
	ATF_CHECK_EQ_MSG(tsig_done(c), -1,
	    "tsig_done accepted a transfer whose last message is unsigned");
	tsig_free(c);
}

ATF_TC_WITHOUT_HEAD(axfr_first_message_unsigned_fails);
ATF_TC_BODY(axfr_first_message_unsigned_fails, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	size_t		 slen;
	int		 err, r;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	slen = dnspython_stream(tc, &k, &c, "USS");
	r = verify_stream(c, stream, slen, NOW, &err);
	ATF_CHECK_EQ(r, 0);
	ATF_CHECK_EQ_MSG(err, TSIG_E_UNSIGNED, "%s", tsig_strerror(err));
	tsig_free(c);
}

/* The answer signed with another key (same secret) is BADKEY. */
ATF_TC_WITHOUT_HEAD(answer_other_key_name_badkey);
ATF_TC_BODY(answer_other_key_name_badkey, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k, o;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *oc, *sc;
	uint8_t			 req[MSGCAP], oreq[MSGCAP], ans[MSGCAP];
	size_t			 len, olen, alen;
	int			 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	key_init(&o, "other.example", TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &o, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
	oc = signed_request(&o, DNS_T_SOA, NOW, oreq, &olen);
	ATF_REQUIRE(tsig_verify_request(oreq, olen, NOW, &keys, &kp, &sc,
	    &err) == 0);
	alen = make_msg(ans, sizeof(ans), 0x4242, DNS_F_QR, DNS_T_SOA);
	ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans), NOW, TSIG_FUDGE,
	    0) == 0);
	ATF_CHECK_EQ(tsig_verify(cc, ans, alen, NOW, &err), -1);
	ATF_CHECK_EQ_MSG(err, DNS_R_BADKEY, "%s", tsig_strerror(err));
	tsig_free(cc);
	tsig_free(oc);
	tsig_free(sc);
}

/*
 * A request with an unknown key or algorithm is BADKEY; the answer
 * carries a TSIG record without a MAC, which the client reports as the
 * peer's BADKEY.
 */
ATF_TC_WITHOUT_HEAD(request_unknown_key_badkey);
ATF_TC_BODY(request_unknown_key_badkey, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k, srv;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	struct ttsig		 t;
	uint8_t			 req[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	int			 err, pass;

	for (pass = 0; pass < 2; pass++) {
		key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
		/* pass 0: another name; pass 1: same name, other algorithm */
		if (pass == 0)
			key_init(&srv, "nope.example", TSIG_HMAC_SHA256);
		else
			key_init(&srv, KEYNAME, TSIG_HMAC_SHA512);
		TAILQ_INIT(&keys);
		TAILQ_INSERT_TAIL(&keys, &srv, entry);
		cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
		ATF_CHECK_EQ(tsig_verify_request(req, len, NOW, &keys, &kp,
		    &sc, &err), -1);
		ATF_CHECK_EQ_MSG(err, DNS_R_BADKEY, "pass %d: %s", pass,
		    tsig_strerror(err));
		ATF_CHECK(kp == NULL);
		ATF_REQUIRE(sc != NULL);
		alen = make_msg(ans, sizeof(ans), 0x4242,
		    DNS_F_QR | DNS_R_NOTAUTH, DNS_T_SOA);
		ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans), NOW,
		    TSIG_FUDGE, 0) == 0);
		ttsig_get(ans, alen, &t);
		ATF_CHECK_EQ(t.maclen, 0);
		ATF_CHECK_EQ(t.error, DNS_R_BADKEY);
		ATF_CHECK_EQ(tsig_verify(cc, ans, alen, NOW, &err), -1);
		ATF_CHECK_EQ_MSG(err, TSIG_E_PEER | DNS_R_BADKEY, "%s",
		    tsig_strerror(err));
		tsig_free(cc);
		tsig_free(sc);
	}
}

ATF_TC_WITHOUT_HEAD(request_bad_mac_badsig_unsigned_answer);
ATF_TC_BODY(request_bad_mac_badsig_unsigned_answer, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	struct ttsig		 t;
	uint8_t			 req[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	int			 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &k, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
	req[DNS_HDRLEN + 1] ^= 0x20;	/* "Example" */
	ATF_CHECK_EQ(tsig_verify_request(req, len, NOW, &keys, &kp, &sc,
	    &err), -1);
	ATF_CHECK_EQ_MSG(err, DNS_R_BADSIG, "%s", tsig_strerror(err));
	ATF_REQUIRE(sc != NULL);
	alen = make_msg(ans, sizeof(ans), 0x4242, DNS_F_QR | DNS_R_NOTAUTH,
	    DNS_T_SOA);
	ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans), NOW, TSIG_FUDGE,
	    0) == 0);
	ttsig_get(ans, alen, &t);
	ATF_CHECK_EQ(t.maclen, 0);
	ATF_CHECK_EQ(t.error, DNS_R_BADSIG);
	tsig_free(cc);
	tsig_free(sc);
}

ATF_TC_WITHOUT_HEAD(request_outside_fudge_badtime_signed_answer);
ATF_TC_BODY(request_outside_fudge_badtime_signed_answer, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	struct ttsig		 t;
	uint8_t			 req[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	uint64_t		 srvtime;
	int			 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &k, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);

	/* the edges of the window */
	ATF_CHECK_EQ(tsig_verify_request(req, len, NOW + TSIG_FUDGE, &keys,
	    &kp, &sc, &err), 0);
	tsig_free(sc);
	ATF_CHECK_EQ(tsig_verify_request(req, len, NOW - TSIG_FUDGE, &keys,
	    &kp, &sc, &err), 0);
	tsig_free(sc);

	ATF_CHECK_EQ(tsig_verify_request(req, len, NOW + TSIG_FUDGE + 1,
	    &keys, &kp, &sc, &err), -1);
	ATF_CHECK_EQ_MSG(err, DNS_R_BADTIME, "%s", tsig_strerror(err));
	ATF_REQUIRE(sc != NULL);
	alen = make_msg(ans, sizeof(ans), 0x4242, DNS_F_QR | DNS_R_NOTAUTH,
	    DNS_T_SOA);
	ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans),
	    NOW + TSIG_FUDGE + 1, TSIG_FUDGE, 0) == 0);
	ttsig_get(ans, alen, &t);
	ATF_CHECK_EQ(t.error, DNS_R_BADTIME);
	ATF_CHECK_EQ(t.maclen, 32);
	ATF_CHECK_EQ(t.time, (uint64_t)NOW);
	ATF_REQUIRE_EQ(t.otherlen, 6);
	srvtime = (uint64_t)t.other[0] << 40 | (uint64_t)t.other[1] << 32 |
	    (uint64_t)t.other[2] << 24 | (uint64_t)t.other[3] << 16 |
	    (uint64_t)t.other[4] << 8 | t.other[5];
	ATF_CHECK_EQ(srvtime, (uint64_t)NOW + TSIG_FUDGE + 1);
	ATF_CHECK_EQ(tsig_verify(cc, ans, alen, NOW, &err), -1);
	ATF_CHECK_EQ_MSG(err, TSIG_E_PEER | DNS_R_BADTIME, "%s",
	    tsig_strerror(err));
	tsig_free(cc);
	tsig_free(sc);
}

ATF_TC_WITHOUT_HEAD(answer_outside_fudge_badtime);
ATF_TC_BODY(answer_outside_fudge_badtime, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	uint8_t			 req[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	int			 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &k, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
	ATF_REQUIRE(tsig_verify_request(req, len, NOW, &keys, &kp, &sc,
	    &err) == 0);
	alen = make_msg(ans, sizeof(ans), 0x4242, DNS_F_QR, DNS_T_SOA);
	ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans), NOW + 1000,
	    TSIG_FUDGE, 0) == 0);
	ATF_CHECK_EQ(tsig_verify(cc, ans, alen, NOW, &err), -1);
	ATF_CHECK_EQ_MSG(err, DNS_R_BADTIME, "%s", tsig_strerror(err));
	tsig_free(cc);
	tsig_free(sc);
}

/*
 * A request's MAC does not cover its own length, so cutting it short
 * gives a validly truncated MAC: accepted down to the local minimum of
 * 16 octets, BADTRUNC below that while the RFC allows it, FORMERR below
 * max(10, half the hash) or above the hash.
 */
ATF_TC_WITHOUT_HEAD(request_truncated_mac);
ATF_TC_BODY(request_truncated_mac, tc)
{
	static const struct {
		enum tsig_alg	 alg;
		int		 maclen;
		int		 err;
	} cases[] = {
		{ TSIG_HMAC_SHA256, 16, 0 },
		{ TSIG_HMAC_SHA256, 15, DNS_R_FORMERR },
		{ TSIG_HMAC_SHA256, 33, DNS_R_FORMERR },
		{ TSIG_HMAC_SHA256, 0, DNS_R_FORMERR },
		{ TSIG_HMAC_SHA512, 32, 0 },
		{ TSIG_HMAC_SHA512, 31, DNS_R_FORMERR },
		{ TSIG_HMAC_SHA1, 16, 0 },
		{ TSIG_HMAC_SHA1, 12, DNS_R_BADTRUNC },
		{ TSIG_HMAC_SHA1, 10, DNS_R_BADTRUNC },
		{ TSIG_HMAC_SHA1, 9, DNS_R_FORMERR },
		{ TSIG_HMAC_SHA224, 14, DNS_R_BADTRUNC },
		{ TSIG_HMAC_SHA224, 13, DNS_R_FORMERR },
		{ TSIG_HMAC_MD5, 15, DNS_R_BADTRUNC },
		{ TSIG_HMAC_MD5, 10, DNS_R_BADTRUNC },
		{ TSIG_HMAC_MD5, 9, DNS_R_FORMERR },
	};
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	struct ttsig		 t;
	uint8_t			 req[MSGCAP];
	size_t			 i, len;
	int			 err, r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		key_init(&k, KEYNAME, cases[i].alg);
		TAILQ_INIT(&keys);
		TAILQ_INSERT_TAIL(&keys, &k, entry);
		cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
		ttsig_get(req, len, &t);
		t.maclen = cases[i].maclen;	/* 33: one octet of junk */
		len = ttsig_put(req, sizeof(req), &t);
		r = tsig_verify_request(req, len, NOW, &keys, &kp, &sc, &err);
		ATF_CHECK_EQ_MSG(err, cases[i].err,
		    "%s MAC cut to %d: expected %s, got %s",
		    toolalg[cases[i].alg], cases[i].maclen,
		    tsig_strerror(cases[i].err), tsig_strerror(err));
		ATF_CHECK_EQ(r, cases[i].err == 0 ? 0 : -1);
		tsig_free(sc);
		/* a wrong truncated MAC is still BADSIG */
		if (cases[i].err == 0) {
			t.mac[0] ^= 1;
			len = ttsig_put(req, sizeof(req), &t);
			tsig_verify_request(req, len, NOW, &keys, &kp, &sc,
			    &err);
			ATF_CHECK_EQ_MSG(err, DNS_R_BADSIG, "%s",
			    tsig_strerror(err));
			tsig_free(sc);
		}
		tsig_free(cc);
	}
}

/* An answer whose MAC is cut below max(10, half the hash) fails. */
ATF_TC_WITHOUT_HEAD(answer_truncated_mac_below_minimum_fails);
ATF_TC_BODY(answer_truncated_mac_below_minimum_fails, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	struct ttsig		 t;
	uint8_t			 req[MSGCAP], ans[MSGCAP];
	size_t			 len, alen;
	int			 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &k, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
	ATF_REQUIRE(tsig_verify_request(req, len, NOW, &keys, &kp, &sc,
	    &err) == 0);
	alen = make_msg(ans, sizeof(ans), 0x4242, DNS_F_QR, DNS_T_SOA);
	ATF_REQUIRE(tsig_sign(sc, ans, &alen, sizeof(ans), NOW, TSIG_FUDGE,
	    0) == 0);
	ttsig_get(ans, alen, &t);
	t.maclen = 8;
	alen = ttsig_put(ans, sizeof(ans), &t);
	ATF_CHECK_EQ(tsig_verify(cc, ans, alen, NOW, &err), -1);
	ATF_CHECK_EQ_MSG(err, DNS_R_FORMERR, "%s", tsig_strerror(err));
	tsig_free(cc);
	tsig_free(sc);
}

/* Append an A record for example.com to the additional section. */
static size_t
append_a(uint8_t *msg, size_t len, size_t cap)
{
	struct wbuf	 wb;
	uint8_t		 name[DNS_MAXNAME];
	size_t		 nlen;

	ATF_REQUIRE(dns_name_from_text("example.com", name, &nlen) == 0);
	wbuf_init(&wb, msg + len, cap - len);
	wbuf_name(&wb, name, nlen, NULL);
	wbuf_u16(&wb, DNS_T_A);
	wbuf_u16(&wb, DNS_C_IN);
	wbuf_u32(&wb, 300);
	wbuf_u16(&wb, 4);
	wbuf_u32(&wb, 0xc0000201);
	ATF_REQUIRE(wb.err == 0);
	set_arcount(msg, arcount(msg) + 1);
	return (len + wb.len);
}

static void
expect_formerr(const uint8_t *msg, size_t len, const struct tsig_keys *keys,
    const char *what)
{
	const struct tsig_key	*kp;
	struct tsig_ctx		*sc;
	int			 err;

	ATF_CHECK_EQ_MSG(tsig_verify_request(msg, len, NOW, keys, &kp, &sc,
	    &err), -1, "%s: accepted", what);
	ATF_CHECK_EQ_MSG(err, DNS_R_FORMERR, "%s: expected FORMERR, got %s",
	    what, tsig_strerror(err));
	ATF_CHECK_MSG(sc == NULL, "%s: a context for a FORMERR", what);
	tsig_free(sc);
}

ATF_TC_WITHOUT_HEAD(tsig_not_last_formerr);
ATF_TC_BODY(tsig_not_last_formerr, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	struct tsig_ctx		*cc;
	struct ttsig		 t;
	uint8_t			 req[MSGCAP], m[MSGCAP];
	size_t			 len, mlen;
	int			 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &k, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
	ttsig_get(req, len, &t);

	/* a record after the TSIG */
	memcpy(m, req, len);
	mlen = append_a(m, len, sizeof(m));
	expect_formerr(m, mlen, &keys, "TSIG then A");

	/* two TSIG records */
	memcpy(m, req, len);
	memcpy(m + len, req + t.start, len - t.start);
	mlen = len + (len - t.start);
	set_arcount(m, 2);
	expect_formerr(m, mlen, &keys, "two TSIGs");

	/* the TSIG record in the answer section */
	memcpy(m, req, len);
	set_arcount(m, 0);
	m[7] = 1;	/* ANCOUNT */
	expect_formerr(m, len, &keys, "TSIG in the answer section");

	/* a byte after the last record */
	memcpy(m, req, len);
	m[len] = 0;
	expect_formerr(m, len + 1, &keys, "trailing byte");

	/* a client sees the same as FORMERR in an answer */
	memcpy(m, req, len);
	m[2] |= DNS_F_QR >> 8;
	mlen = append_a(m, len, sizeof(m));
	ATF_CHECK_EQ(tsig_verify(cc, m, mlen, NOW, &err), -1);
	ATF_CHECK_EQ_MSG(err, DNS_R_FORMERR, "%s", tsig_strerror(err));
	tsig_free(cc);
}

static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/* Every check on garbage gives an answer, never a crash or a read past. */
static void
fuzz_one(const struct tsig_key *k, const struct tsig_keys *keys,
    const uint8_t *msg, size_t len)
{
	const struct tsig_key	*kp;
	struct tsig_ctx		*cc, *sc;
	uint8_t			*copy, req[MSGCAP];
	size_t			 rlen;
	int			 err, r;

	/* an exact-size copy, so that ASan sees any read past the end */
	ATF_REQUIRE((copy = malloc(len > 0 ? len : 1)) != NULL);
	memcpy(copy, msg, len);
	r = tsig_verify_request(copy, len, NOW, keys, &kp, &sc, &err);
	ATF_REQUIRE(r >= -1 && r <= 1);
	ATF_REQUIRE(r != -1 || err != 0);
	ATF_REQUIRE(r != 0 || (sc != NULL && kp == k));
	tsig_free(sc);
	cc = signed_request(k, DNS_T_SOA, NOW, req, &rlen);
	r = tsig_verify(cc, copy, len, NOW, &err);
	ATF_REQUIRE(r == 0 || r == -1);
	ATF_REQUIRE(r == 0 || err != 0);
	tsig_free(cc);
	ATF_REQUIRE(memcmp(copy, msg, len) == 0);
	free(copy);
}

ATF_TC_WITHOUT_HEAD(garbage_tsig_formerr_fuzz);
ATF_TC_BODY(garbage_tsig_formerr_fuzz, tc)
{
	struct tsig_keys	 keys;
	struct tsig_key		 k;
	struct tsig_ctx		*cc;
	struct ttsig		 t;
	const struct tsig_key	*kp;
	struct tsig_ctx		*sc;
	uint8_t			 req[MSGCAP], m[MSGCAP];
	size_t			 len, mlen, i, n, off;
	uint32_t		 seed = 0x5ec0d;
	int			 err, iter;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	TAILQ_INIT(&keys);
	TAILQ_INSERT_TAIL(&keys, &k, entry);
	cc = signed_request(&k, DNS_T_SOA, NOW, req, &len);
	ttsig_get(req, len, &t);

	/* every cut of a signed request is malformed */
	for (i = 0; i < len; i++) {
		memcpy(m, req, i);
		ATF_CHECK_EQ_MSG(tsig_verify_request(m, i, NOW, &keys, &kp,
		    &sc, &err), -1, "cut at %zu accepted", i);
		ATF_CHECK_EQ_MSG(err, DNS_R_FORMERR, "cut at %zu: %s", i,
		    tsig_strerror(err));
		tsig_free(sc);
	}

	/* flipped bytes, mostly in the TSIG record, and cuts */
	for (iter = 0; iter < 20000; iter++) {
		memcpy(m, req, len);
		mlen = len;
		n = 1 + xorshift(&seed) % 4;
		for (i = 0; i < n; i++) {
			if (xorshift(&seed) % 4 == 0)
				off = xorshift(&seed) % len;
			else
				off = t.start + xorshift(&seed) %
				    (len - t.start);
			m[off] = xorshift(&seed);
		}
		if (xorshift(&seed) % 8 == 0)
			mlen = xorshift(&seed) % (len + 1);
		fuzz_one(&k, &keys, m, mlen);
	}

	/* random RDATA behind a TSIG header of random length */
	for (iter = 0; iter < 20000; iter++) {
		mlen = make_msg(m, sizeof(m), 7, 0, DNS_T_SOA);
		set_arcount(m, 1);
		memcpy(m + mlen, t.owner, t.ownerlen);
		mlen += t.ownerlen;
		n = xorshift(&seed) % 120;
		m[mlen++] = DNS_T_TSIG >> 8;
		m[mlen++] = DNS_T_TSIG & 0xff;
		m[mlen++] = 0;
		m[mlen++] = DNS_C_ANY;
		memset(m + mlen, 0, 4);
		mlen += 4;
		m[mlen++] = n >> 8;
		m[mlen++] = n & 0xff;
		off = mlen;
		for (i = 0; i < n; i++)
			m[mlen++] = xorshift(&seed);
		/* often a real algorithm name, so the parse goes further */
		if (n >= t.alglen && xorshift(&seed) % 2)
			memcpy(m + off, t.alg, t.alglen);
		/* and sometimes the rest of the real record */
		if (xorshift(&seed) % 4 == 0) {
			memcpy(m + off, req + t.start + t.ownerlen + 10,
			    len - t.start - t.ownerlen - 10);
			mlen = off + (len - t.start - t.ownerlen - 10);
			m[off - 2] = (mlen - off) >> 8;
			m[off - 1] = (mlen - off) & 0xff;
			m[off + xorshift(&seed) % (mlen - off)] ^=
			    1 << (xorshift(&seed) % 8);
		}
		fuzz_one(&k, &keys, m, mlen);
	}
	tsig_free(cc);
}

ATF_TC_WITHOUT_HEAD(sign_without_room_fails);
ATF_TC_BODY(sign_without_room_fails, tc)
{
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	uint8_t		 buf[MSGCAP], copy[MSGCAP];
	size_t		 len, qlen;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA512);
	qlen = make_msg(buf, sizeof(buf), 9, 0, DNS_T_SOA);
	memcpy(copy, buf, qlen);
	ATF_REQUIRE((c = tsig_new(&k)) != NULL);
	len = qlen;
	ATF_CHECK_EQ(tsig_sign(c, buf, &len, qlen + 50, NOW, TSIG_FUDGE, 0),
	    -1);
	ATF_CHECK_EQ(len, qlen);
	ATF_CHECK(memcmp(buf, copy, qlen) == 0);
	/* the context is still usable */
	ATF_CHECK_EQ(tsig_sign(c, buf, &len, sizeof(buf), NOW, TSIG_FUDGE,
	    0), 0);
	ATF_CHECK(len > qlen && len - qlen <= TSIG_MAXRRLEN);
	tsig_free(c);
}

ATF_TC_WITHOUT_HEAD(misuse_refused);
ATF_TC_BODY(misuse_refused, tc)
{
	static const int errs[] = { 0, DNS_R_FORMERR, DNS_R_BADSIG,
	    DNS_R_BADKEY, DNS_R_BADTIME, DNS_R_BADTRUNC, TSIG_E_UNSIGNED,
	    TSIG_E_TOOMANY, TSIG_E_INTERNAL, TSIG_E_PEER | DNS_R_BADKEY,
	    TSIG_E_PEER | 99, 12345 };
	struct tsig_key	 k;
	struct tsig_ctx	*c;
	uint8_t		 buf[MSGCAP];
	size_t		 i, len;
	int		 err;

	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	k.secretlen = 0;
	ATF_CHECK(tsig_new(&k) == NULL);
	key_init(&k, KEYNAME, TSIG_ALG_MAX);
	ATF_CHECK(tsig_new(&k) == NULL);
	key_init(&k, "bad..name", TSIG_HMAC_SHA256);
	ATF_CHECK(tsig_new(&k) == NULL);
	ATF_CHECK(tsig_new(NULL) == NULL);
	tsig_free(NULL);
	ATF_CHECK(tsig_done(NULL) == -1);

	/* verify before the request is signed; sign a second request */
	key_init(&k, KEYNAME, TSIG_HMAC_SHA256);
	ATF_REQUIRE((c = tsig_new(&k)) != NULL);
	len = make_msg(buf, sizeof(buf), 9, 0, DNS_T_SOA);
	ATF_CHECK_EQ(tsig_verify(c, buf, len, NOW, &err), -1);
	ATF_CHECK_EQ(err, TSIG_E_INTERNAL);
	ATF_CHECK_EQ(tsig_done(c), -1);
	tsig_free(c);
	c = signed_request(&k, DNS_T_SOA, NOW, buf, &len);
	ATF_CHECK_EQ(tsig_sign(c, buf, &len, sizeof(buf), NOW, TSIG_FUDGE,
	    0), -1);
	ATF_CHECK_EQ(tsig_done(c), -1);
	tsig_free(c);

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		ATF_CHECK(tsig_strerror(errs[i]) != NULL &&
		    *tsig_strerror(errs[i]) != '\0');
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sign_request_dnspython_verifies);
	ATF_TP_ADD_TC(tp, dnspython_request_verifies);
	ATF_TP_ADD_TC(tp, notify_answer_dnspython_verifies);
	ATF_TP_ADD_TC(tp, request_answer_round_trip);
	ATF_TP_ADD_TC(tp, request_unsigned_is_reported);
	ATF_TP_ADD_TC(tp, axfr_stream_with_unsigned_verifies);
	ATF_TP_ADD_TC(tp, axfr_tampered_signed_message_badsig);
	ATF_TP_ADD_TC(tp, axfr_tampered_unsigned_message_fails_at_next);
	ATF_TP_ADD_TC(tp, axfr_99_unsigned_in_a_row_verifies);
	ATF_TP_ADD_TC(tp, axfr_100_unsigned_in_a_row_fails);
	ATF_TP_ADD_TC(tp, axfr_last_message_unsigned_not_done);
	ATF_TP_ADD_TC(tp, axfr_first_message_unsigned_fails);
	ATF_TP_ADD_TC(tp, answer_other_key_name_badkey);
	ATF_TP_ADD_TC(tp, request_unknown_key_badkey);
	ATF_TP_ADD_TC(tp, request_bad_mac_badsig_unsigned_answer);
	ATF_TP_ADD_TC(tp, request_outside_fudge_badtime_signed_answer);
	ATF_TP_ADD_TC(tp, answer_outside_fudge_badtime);
	ATF_TP_ADD_TC(tp, request_truncated_mac);
	ATF_TP_ADD_TC(tp, answer_truncated_mac_below_minimum_fails);
	ATF_TP_ADD_TC(tp, tsig_not_last_formerr);
	ATF_TP_ADD_TC(tp, garbage_tsig_formerr_fuzz);
	ATF_TP_ADD_TC(tp, sign_without_room_fails);
	ATF_TP_ADD_TC(tp, misuse_refused);
	return (atf_no_error());
}
