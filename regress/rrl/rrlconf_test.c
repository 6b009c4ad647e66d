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
 * shared/parse.y and shared/config_rrl.c: rate-limit {} and cookie {}
 * in secd.conf(5): parsed, their defaults, every error with its line,
 * and the canonical form (secd -nv) read back the same.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "config.h"
#include "secd.h"
#include "regress/lib/confcap.h"

static void		 write_file(const char *, const char *);
static char		*read_file(const char *);
static struct secd_conf	*parse_capture(const char *, char **);

static const char good_conf[] =
    "rate-limit {\n"
    "\tresponses 15; slip 3\n"
    "\tipv6-prefix 64\n"
    "\ttable-size 5000\n"
    "\texempt 192.0.2.77/24\n"
    "\texempt 2001:db8::1\n"
    "}\n"
    "cookie {\n"
    "\tsecret \"0xE5E973E5A6B2A43F48E7DC849E37BFCF\"\n"
    "\tprevious \"dd3bdf9344b678b185a6f5cb60fca715\"\n"
    "}\n";

static const char bad_conf[] =
    "rate-limit {\n"
    "\tresponses 2000000\n"
    "\tslip 11\n"
    "\tipv4-prefix 33\n"
    "\texempt 192.0.2.0/33\n"
    "\tslip 2\n"
    "\tslip 3\n"
    "}\n"
    "rate-limit { }\n"
    "cookie {\n"
    "\tsecret \"e5e973e5\"\n"
    "\tprevious \"zz3bdf9344b678b185a6f5cb60fca715\"\n"
    "}\n"
    "cookie { previous \"dd3bdf9344b678b185a6f5cb60fca715\" }\n";

static const char bad_errs[] =
    "secd.conf:2: rate-limit: responses 2000000 out of range 0..1000000\n"
    "secd.conf:3: rate-limit: slip 11 out of range 0..10\n"
    "secd.conf:4: rate-limit: ipv4-prefix 33 out of range 8..32\n"
    "secd.conf:5: rate-limit: exempt \"192.0.2.0/33\": not an address or "
    "address/length\n"
    "secd.conf:6: rate-limit: slip given twice\n"
    "secd.conf:7: rate-limit: slip given twice\n"
    "secd.conf:9: rate-limit given twice\n"
    "secd.conf:11: cookie: secret is not 32 hexadecimal digits\n"
    "secd.conf:12: cookie: previous is not 32 hexadecimal digits\n"
    "secd.conf:14: cookie given twice\n"
    "secd.conf:14: cookie: no secret\n";


/*
 * Without rate-limit, or with an empty block: on, the defaults, loopback
 * exempt.  "rate-limit off"; an exempt list replaces the loopback one,
 * "exempt none" empties it.
 */
ATF_TC_WITHOUT_HEAD(rate_limit_on_by_default);
ATF_TC_BODY(rate_limit_on_by_default, tc)
{
	static const char *const on[] = { "servers 1\n", "rate-limit {}\n" };
	struct secd_conf	*c;
	struct sockaddr_in	*sin;
	char			*errs;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		write_file("secd.conf", on[i]);
		c = parse_capture("secd.conf", &errs);
		ATF_REQUIRE_MSG(c != NULL, "refused: %s", errs);
		ATF_CHECK_EQ(c->has_rrl, 1);
		ATF_CHECK_EQ(c->has_cookie, 0);
		ATF_CHECK_EQ(c->cookie.configured, 0);
		ATF_CHECK_EQ(c->rrl.responses, SECD_RRL_RESPONSES);
		ATF_CHECK_EQ(c->rrl.slip, SECD_RRL_SLIP);
		ATF_CHECK_EQ(c->rrl.v4_prefix, 24);
		ATF_CHECK_EQ(c->rrl.v6_prefix, 56);
		ATF_CHECK_EQ(c->rrl.size, SECD_RRL_SIZE);
		ATF_REQUIRE_EQ(c->rrl.nexempt, 2);
		sin = (struct sockaddr_in *)&c->rrl.exempt[0].ss;
		ATF_CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0x7f000000);
		ATF_CHECK_EQ(c->rrl.exempt[0].plen, 8);
		ATF_CHECK_EQ(c->rrl.exempt[1].ss.ss_family, AF_INET6);
		ATF_CHECK_EQ(c->rrl.exempt[1].plen, 128);
		config_free(c);
		free(errs);
	}
	write_file("secd.conf", "rate-limit off\n");
	c = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(c != NULL, "refused: %s", errs);
	ATF_CHECK_EQ(c->has_rrl, 0);
	config_free(c);
	free(errs);
	write_file("secd.conf", "rate-limit { exempt 192.0.2.1 }\n");
	c = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(c != NULL, "refused: %s", errs);
	ATF_REQUIRE_EQ(c->rrl.nexempt, 1);
	ATF_CHECK_EQ(c->rrl.exempt[0].plen, 32);
	config_free(c);
	free(errs);
	write_file("secd.conf", "rate-limit { exempt none }\n");
	c = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(c != NULL, "refused: %s", errs);
	ATF_CHECK_EQ(c->has_rrl, 1);
	ATF_CHECK_EQ(c->rrl.nexempt, 0);
	config_free(c);
	free(errs);
}

ATF_TC_WITHOUT_HEAD(rate_limit_and_cookie_round_trip);
ATF_TC_BODY(rate_limit_and_cookie_round_trip, tc)
{
	static const uint8_t	 s1[16] = { 0xe5, 0xe9, 0x73, 0xe5, 0xa6,
	    0xb2, 0xa4, 0x3f, 0x48, 0xe7, 0xdc, 0x84, 0x9e, 0x37, 0xbf, 0xcf };
	struct secd_conf	*a, *b;
	struct sockaddr_in	*sin;
	char			*errs, *text;
	FILE			*f;

	write_file("secd.conf", good_conf);
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_CHECK_EQ(a->rrl.responses, 15);
	ATF_CHECK_EQ(a->rrl.slip, 3);
	ATF_CHECK_EQ(a->rrl.v4_prefix, 24);
	ATF_CHECK_EQ(a->rrl.v6_prefix, 64);
	ATF_CHECK_EQ(a->rrl.size, 5000);
	ATF_REQUIRE_EQ(a->rrl.nexempt, 2);
	sin = (struct sockaddr_in *)&a->rrl.exempt[0].ss;
	ATF_CHECK_EQ(a->rrl.exempt[0].plen, 24);
	ATF_CHECK_EQ(ntohl(sin->sin_addr.s_addr), 0xc0000200);
	ATF_CHECK_EQ(a->rrl.exempt[1].plen, 128);
	ATF_CHECK(a->cookie.configured && a->cookie.has_previous);
	ATF_CHECK(memcmp(a->cookie.secret, s1, 16) == 0);

	/* hidden unless asked for */
	ATF_REQUIRE((f = fopen("hidden.conf", "w")) != NULL);
	config_print(f, a);
	fclose(f);
	text = read_file("hidden.conf");
	ATF_CHECK_MSG(strstr(text, "e5e973") == NULL &&
	    strstr(text, "dd3bdf") == NULL, "a cookie secret printed");
	ATF_CHECK(strstr(text, "\texempt 192.0.2.0/24\n") != NULL);
	free(text);

	ATF_REQUIRE((f = fopen("printed.conf", "w")) != NULL);
	config_print_flags(f, a, CONF_PRINT_SECRETS);
	fclose(f);
	b = parse_capture("printed.conf", &errs);
	ATF_REQUIRE_MSG(b != NULL, "printed file refused: %s", errs);
	free(errs);
	ATF_CHECK_EQ(b->has_rrl, 1);
	ATF_CHECK_EQ(b->has_cookie, 1);
	ATF_CHECK(memcmp(&a->rrl, &b->rrl, sizeof(a->rrl)) == 0);
	ATF_CHECK(memcmp(&a->cookie, &b->cookie, sizeof(a->cookie)) == 0);
	config_free(a);
	config_free(b);
}

ATF_TC_WITHOUT_HEAD(rate_limit_and_cookie_errors);
ATF_TC_BODY(rate_limit_and_cookie_errors, tc)
{
	struct secd_conf	*c;
	char			*errs;

	write_file("secd.conf", bad_conf);
	c = parse_capture("secd.conf", &errs);
	ATF_CHECK(c == NULL);
	ATF_CHECK_MSG(strcmp(errs, bad_errs) == 0, "expected:\n%sgot:\n%s",
	    bad_errs, errs);
	free(errs);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rate_limit_on_by_default);
	ATF_TP_ADD_TC(tp, rate_limit_and_cookie_round_trip);
	ATF_TP_ADD_TC(tp, rate_limit_and_cookie_errors);
	return (atf_no_error());
}
