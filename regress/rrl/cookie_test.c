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
 * serverd/cookie.c and shared/siphash.c: SipHash-2-4 against the
 * reference test vectors of the SipHash paper (key 00..0f, message
 * 00..n-1), and server cookies against the worked examples of RFC 9018
 * appendix A, byte for byte.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <string.h>

#include <atf-c.h>

#include "config.h"
#include "secd.h"
#include "serverd/cookie.h"
#include "siphash.h"

static const uint64_t vectors[64] = {
	0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL,
	0x85676696d7fb7e2dULL, 0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
	0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL, 0x93f5f5799a932462ULL,
	0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
	0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL,
	0xa129ca6149be45e5ULL, 0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
	0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL, 0xbed65cf21aa2ee98ULL,
	0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
	0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL,
	0x2f2e6163076bcfadULL, 0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
	0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL, 0x7127512f72f27cceULL,
	0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
	0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL,
	0x9abfd8766a33735cULL, 0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
	0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL, 0xf935451de4f21df2ULL,
	0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
	0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL,
	0xa192d576b245165aULL, 0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
	0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL, 0xb78dbfaf3a8d83bdULL,
	0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
	0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL,
	0x958a324ceb064572ULL,  
};

static void	hex(const char *, uint8_t *, size_t);
static void	addr(const char *, struct sockaddr_storage *);
static void	secret(struct cookie_conf *, const char *, const char *);

static void
hex(const char *s, uint8_t *out, size_t len)
{
	ATF_REQUIRE_MSG(config_hex(s, out, len) == 0, "bad hex %s", s);
}

static void
addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else {
		ATF_REQUIRE(inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1);
		sin6->sin6_family = AF_INET6;
	}
}

static void
secret(struct cookie_conf *cf, const char *cur, const char *prev)
{
	memset(cf, 0, sizeof(*cf));
	hex(cur, cf->secret, sizeof(cf->secret));
	if (prev != NULL) {
		hex(prev, cf->previous, sizeof(cf->previous));
		cf->has_previous = 1;
	}
}

ATF_TC_WITHOUT_HEAD(siphash24_reference_vectors);
ATF_TC_BODY(siphash24_reference_vectors, tc)
{
	uint8_t		 key[SIPHASH_KEYLEN], msg[65];
	uint64_t	 h;
	int		 i;

	for (i = 0; i < SIPHASH_KEYLEN; i++)
		key[i] = i;
	for (i = 0; i < 64; i++)
		msg[i + 1] = i;
	for (i = 0; i < 64; i++) {
		/* msg + 1: the input need not be aligned */
		h = siphash24(key, msg + 1, i);
		ATF_CHECK_MSG(h == vectors[i], "length %d: expected "
		    "%016llx, got %016llx", i, (unsigned long long)vectors[i],
		    (unsigned long long)h);
	}
}

/* The worked examples: the server cookie answered at each time. */
ATF_TC_WITHOUT_HEAD(rfc9018_appendix_a_cookies);
ATF_TC_BODY(rfc9018_appendix_a_cookies, tc)
{
	static const struct {
		const char	*secret, *previous, *client, *cc, *sc;
		uint32_t	 now;
		int		 valid;
		const char	*expect;
	} t[] = {
		/* A.1: client cookie only */
		{ "e5e973e5a6b2a43f48e7dc849e37bfcf", NULL, "198.51.100.100",
		  "2464c4abcf10c957", NULL, 1559731985, 0,
		  "010000005cf79f111f8130c3eee29480" },
		/* A.2: 40 minutes later, refreshed */
		{ "e5e973e5a6b2a43f48e7dc849e37bfcf", NULL, "198.51.100.100",
		  "2464c4abcf10c957", "010000005cf79f111f8130c3eee29480",
		  1559734385, 1, "010000005cf7a871d4a564a1442aca77" },
		/* A.3: reserved bytes set: valid, answered with them 0 */
		{ "e5e973e5a6b2a43f48e7dc849e37bfcf", NULL, "203.0.113.203",
		  "fc93fc62807ddb86", "01abcdef5cf78f71a314227b6679ebf5",
		  1559727985 + 600, 1, NULL },
		{ "e5e973e5a6b2a43f48e7dc849e37bfcf", NULL, "203.0.113.203",
		  "fc93fc62807ddb86", NULL, 1559734700, 0,
		  "010000005cf7a9acf73a7810aca2381e" },
		/* A.4: IPv6, made with the secret before the current one */
		{ "445536bcd2513298075a5d379663c962",
		  "dd3bdf9344b678b185a6f5cb60fca715",
		  "2001:db8:220:1:59de:d0f4:8769:82b8", "22681ab97d52c298",
		  "010000005cf7c57926556bd0934c72f8", 1559741961, 1,
		  "010000005cf7c609a6bb79d16625507a" },
	};
	struct cookie_conf	 cf;
	struct sockaddr_storage	 ss;
	uint8_t			 cc[8], sc[16], out[16], want[16];
	size_t			 i;
	int			 v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		secret(&cf, t[i].secret, t[i].previous);
		addr(t[i].client, &ss);
		hex(t[i].cc, cc, sizeof(cc));
		if (t[i].sc == NULL) {
			cookie_make(cf.secret, cc, (struct sockaddr *)&ss,
			    t[i].now, out);
			v = 0;
		} else {
			hex(t[i].sc, sc, sizeof(sc));
			v = cookie_check(&cf, cc, sc, sizeof(sc),
			    (struct sockaddr *)&ss, t[i].now, out);
		}
		ATF_CHECK_EQ_MSG(v, t[i].valid, "case %zu: valid expected "
		    "%d, got %d", i, t[i].valid, v);
		if (t[i].expect == NULL)
			continue;
		hex(t[i].expect, want, sizeof(want));
		ATF_CHECK_MSG(memcmp(out, want, sizeof(want)) == 0,
		    "case %zu: not the server cookie of the RFC", i);
	}
}

ATF_TC_WITHOUT_HEAD(cookie_expires_after_an_hour);
ATF_TC_BODY(cookie_expires_after_an_hour, tc)
{
	struct cookie_conf	 cf;
	struct sockaddr_storage	 ss;
	uint8_t			 cc[8], sc[16], out[16];
	uint32_t		 t0 = 1559731985;

	secret(&cf, "e5e973e5a6b2a43f48e7dc849e37bfcf", NULL);
	addr("198.51.100.100", &ss);
	hex("2464c4abcf10c957", cc, sizeof(cc));
	cookie_make(cf.secret, cc, (struct sockaddr *)&ss, t0, sc);
	/* young: echoed as it is */
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 + 60, out) == 1);
	ATF_CHECK(memcmp(out, sc, 16) == 0);
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 + COOKIE_LIFETIME, out) == 1);
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 + COOKIE_LIFETIME + 1, out) == 0);
	/* five minutes from the future, not more */
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 - COOKIE_SKEW, out) == 1);
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 - COOKIE_SKEW - 1, out) == 0);
	/* another address, another client cookie, a short cookie */
	addr("198.51.100.101", &ss);
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 + 60, out) == 0);
	addr("198.51.100.100", &ss);
	cc[0] ^= 1;
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 + 60, out) == 0);
	cc[0] ^= 1;
	ATF_CHECK(cookie_check(&cf, cc, sc, 8, (struct sockaddr *)&ss,
	    t0 + 60, out) == 0);
	/* an old secret no longer listed */
	secret(&cf, "445536bcd2513298075a5d379663c962", NULL);
	ATF_CHECK(cookie_check(&cf, cc, sc, 16, (struct sockaddr *)&ss,
	    t0 + 60, out) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, siphash24_reference_vectors);
	ATF_TP_ADD_TC(tp, rfc9018_appendix_a_cookies);
	ATF_TP_ADD_TC(tp, cookie_expires_after_an_hour);
	return (atf_no_error());
}
