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
 * secd.conf(5): parse_config() on good files (every field checked), on
 * broken ones (every error with its file:line), and config_print() read
 * back by the parser; the configuration through conf_send() and
 * conf_recv(), as a child gets it.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <atf-c.h>

#include "catalog.h"
#include "config.h"
#include "imsg.h"
#include "log.h"
#include "proc.h"
#include "secd.h"
#include "regress/lib/confcap.h"

#define SECRET_B64	"c2VjZC10ZXN0LWtleS1ub3QtYS1yZWFsLXNlY3JldAo="
#define SECRET_RAW	"secd-test-key-not-a-real-secret\n"

static void	 check_sa(const struct sockaddr_storage *, const char *);
static int	 nlisten(const struct secd_conf *);
static int	 nzones(const struct secd_conf *);
static void	 check_limits(const char *, const struct xfr_limits *,
		    uint32_t, uint64_t, uint64_t);
static void	 check_error(const char *, const char *, const char *);
static const char *zone_names(const struct secd_conf *, char *, size_t);
static void	 check_same_zone(const struct zone_conf *,
		    const struct zone_conf *);
static struct secd_conf *conf_pass(const struct secd_conf *, int);
static void	 conf_nothing(int, short, void *);
static int	 conf_feed(struct secd_conf **, uint32_t, const void *,
		    size_t);


static void
check_sa(const struct sockaddr_storage *ss, const char *want)
{
	ATF_CHECK_STREQ_MSG(sa_str(ss), want, "address %s, expected %s",
	    sa_str(ss), want);
}

static int
nlisten(const struct secd_conf *conf)
{
	const struct listen_conf	*l;
	int				 n = 0;

	TAILQ_FOREACH(l, &conf->listens, entry)
		n++;
	return n;
}

static int
nzones(const struct secd_conf *conf)
{
	const struct zone_conf	*z;
	int			 n = 0;

	TAILQ_FOREACH(z, &conf->zones, entry)
		n++;
	return n;
}

static void
check_limits(const char *what, const struct xfr_limits *l, uint32_t timeout,
    uint64_t records, uint64_t bytes)
{
	ATF_CHECK_MSG(l->timeout == timeout, "%s: timeout %u, expected %u",
	    what, l->timeout, timeout);
	ATF_CHECK_MSG(l->max_records == records,
	    "%s: max-records %llu, expected %llu", what,
	    (unsigned long long)l->max_records, (unsigned long long)records);
	ATF_CHECK_MSG(l->max_bytes == bytes,
	    "%s: max-bytes %llu, expected %llu", what,
	    (unsigned long long)l->max_bytes, (unsigned long long)bytes);
}

/* Every keyword of secd.conf(5), with a macro, -D, an include. */
static const char full_conf[] =
    "# the example of secd.conf(5), and more\n"
    "primary_ip = \"192.0.2.53\"\n"
    "v6 = 2001:db8::53\n"
    "user \"_secdtest\"\n"
    "database \"/tmp/secd-test/db\"\n"
    "control \"/tmp/secd-test/secd.sock\"\n"
    "servers 3                  # serverd processes\n"
    "listen on 0.0.0.0 port 5353\n"
    "listen on ::1 port 5353\n"
    "listen on 127.0.0.1\n"
    "resolver 2001:db8::1 port 5300\n"
    "transfer timeout 900\n"
    "transfer max-records 1000000; transfer max-bytes 512M\n"
    "transfer max-concurrent 4\n"
    "tcp idle-timeout 20; tcp io-timeout 3\n"
    "tcp max-connections 1000; tcp max-per-source 8\n"
    "\n"
    "tsig key \"xfr\" {\n"
    "\talgorithm hmac-sha256\n"
    "\tsecret \"" SECRET_B64 "\"\n"
    "}\n"
    "include \"keys.conf\"\n"
    "proxy {\n"
    "\taddress 192.0.2.80\n"
    "\taddress 2001:db8::80\n"
    "\taddress 192.0.2.81\n"
    "\tttl 600\n"
    "}\n"
    "\n"
    "zone \"Example.COM.\" {\n"
    "\tprimary $primary_ip port $xport tsig \"xfr\"\n"
    "\tprimary 192.0.2.54 tsig \"Other.\"\n"
    "\tprimary $v6\n"
    "\tallow notify from $primary_ip tsig \"xfr\"\n"
    "\tallow notify from 2001:db8::54\n"
    "\ttransfer timeout 60\n"
    "\ttransfer max-bytes 1g\n"
    "\tproxy { address 198.51.100.80 }\n"
    "}\n"
    "zone example.net { primary 192.0.2.55; allow notify from 192.0.2.55 }\n";

static const char keys_conf[] =
    "tsig key other {\n"
    "\talgorithm hmac-md5; secret \"YWJj\"\n"
    "}\n";

ATF_TC_WITHOUT_HEAD(full_example_every_field);
ATF_TC_BODY(full_example_every_field, tc)
{
	struct secd_conf	*conf;
	struct listen_conf	*l;
	struct tsig_key		*k;
	struct zone_conf	*z;
	struct primary_conf	*p;
	struct notify_acl	*n;
	const struct proxy_conf	*pc;
	char			*errs, buf[INET6_ADDRSTRLEN];
	char			 def[] = "xport=5301";

	write_file("secd.conf", full_conf);
	write_file("keys.conf", keys_conf);
	ATF_REQUIRE(cmdline_symset(def) == 0);
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "valid file refused: %s", errs);
	ATF_CHECK_STREQ_MSG(errs, "", "a valid file printed: %s", errs);

	ATF_CHECK_STREQ(conf->file, "secd.conf");
	ATF_CHECK_STREQ(conf->user, "_secdtest");
	ATF_CHECK_STREQ(conf->database, "/tmp/secd-test/db");
	ATF_CHECK_STREQ(conf->control, "/tmp/secd-test/secd.sock");
	ATF_CHECK_EQ(conf->servers, 3);

	ATF_REQUIRE_EQ(nlisten(conf), 3);
	l = TAILQ_FIRST(&conf->listens);
	check_sa(&l->ss, "0.0.0.0:5353");
	l = TAILQ_NEXT(l, entry);
	check_sa(&l->ss, "[::1]:5353");
	l = TAILQ_NEXT(l, entry);
	check_sa(&l->ss, "127.0.0.1:53");
	ATF_CHECK(conf->has_resolver);
	check_sa(&conf->resolver, "[2001:db8::1]:5300");
	check_limits("global", &conf->limits, 900, 1000000, 512ULL << 20);
	ATF_CHECK_EQ(conf->max_transfers, 4);

	k = config_key(conf, "xfr");
	ATF_REQUIRE(k != NULL);
	ATF_CHECK_EQ(k->alg, TSIG_HMAC_SHA256);
	ATF_CHECK_EQ(k->secretlen, strlen(SECRET_RAW));
	ATF_CHECK(memcmp(k->secret, SECRET_RAW, strlen(SECRET_RAW)) == 0);
	k = config_key(conf, "OTHER.");
	ATF_REQUIRE_MSG(k != NULL, "key from the included file");
	ATF_CHECK_STREQ(k->name, "other");
	ATF_CHECK_EQ(k->alg, TSIG_HMAC_MD5);
	ATF_CHECK_EQ(k->secretlen, 3);
	ATF_CHECK(memcmp(k->secret, "abc", 3) == 0);

	ATF_CHECK_EQ(conf->proxy.ttl, 600);
	ATF_CHECK_EQ(conf->proxy.n4, 2);
	ATF_CHECK_EQ(conf->proxy.n6, 1);
	ATF_CHECK_STREQ(inet_ntop(AF_INET, &conf->proxy.v4[0], buf,
	    sizeof(buf)), "192.0.2.80");
	ATF_CHECK_STREQ(inet_ntop(AF_INET, &conf->proxy.v4[1], buf,
	    sizeof(buf)), "192.0.2.81");
	ATF_CHECK_STREQ(inet_ntop(AF_INET6, &conf->proxy.v6[0], buf,
	    sizeof(buf)), "2001:db8::80");

	ATF_REQUIRE_EQ(nzones(conf), 2);
	z = config_zone(conf, "EXAMPLE.com.");
	ATF_REQUIRE(z != NULL);
	ATF_CHECK_STREQ(z->name, "example.com");
	p = TAILQ_FIRST(&z->opts->primaries);
	ATF_REQUIRE(p != NULL);
	check_sa(&p->ss, "192.0.2.53:5301");	/* $primary_ip, -D xport */
	ATF_CHECK_STREQ(p->tsig, "xfr");
	p = TAILQ_NEXT(p, entry);
	ATF_REQUIRE(p != NULL);
	check_sa(&p->ss, "192.0.2.54:53");
	ATF_CHECK_STREQ(p->tsig, "other");
	p = TAILQ_NEXT(p, entry);
	ATF_REQUIRE(p != NULL);
	check_sa(&p->ss, "[2001:db8::53]:53");	/* unquoted macro */
	ATF_CHECK_STREQ(p->tsig, "");
	ATF_CHECK(TAILQ_NEXT(p, entry) == NULL);
	n = TAILQ_FIRST(&z->opts->notifies);
	ATF_REQUIRE(n != NULL);
	check_sa(&n->ss, "192.0.2.53:0");
	ATF_CHECK_STREQ(n->tsig, "xfr");
	n = TAILQ_NEXT(n, entry);
	ATF_REQUIRE(n != NULL);
	check_sa(&n->ss, "[2001:db8::54]:0");
	ATF_CHECK_STREQ(n->tsig, "");

	/* the zone's own set replaces the global one, ttl default */
	ATF_CHECK(z->opts->has_proxy);
	pc = config_proxy(conf, z);
	ATF_CHECK(pc == &z->opts->proxy);
	ATF_CHECK_EQ(pc->n4, 1);
	ATF_CHECK_EQ(pc->n6, 0);
	ATF_CHECK_EQ(pc->ttl, SECD_PROXY_TTL);
	ATF_CHECK_STREQ(inet_ntop(AF_INET, &pc->v4[0], buf, sizeof(buf)),
	    "198.51.100.80");
	check_limits("example.com", &z->opts->limits, 60, 0, 1ULL << 30);

	z = config_zone(conf, "example.net");
	ATF_REQUIRE(z != NULL);
	check_limits("example.net", &z->opts->limits, 0, 0, 0);
	ATF_CHECK(!z->opts->has_proxy);
	ATF_CHECK(config_proxy(conf, z) == &conf->proxy);
	check_sa(&TAILQ_FIRST(&z->opts->primaries)->ss, "192.0.2.55:53");
	check_sa(&TAILQ_FIRST(&z->opts->notifies)->ss, "192.0.2.55:0");
	ATF_CHECK(config_zone(conf, "example.org") == NULL);

	config_free(conf);
	free(errs);
}

ATF_TC_WITHOUT_HEAD(defaults_and_default_listen);
ATF_TC_BODY(defaults_and_default_listen, tc)
{
	struct secd_conf	*conf;
	struct listen_conf	*l;
	struct zone_conf	*z;
	char			*errs;

	write_file("secd.conf", "zone \"a.test\" {\n\tprimary 192.0.2.1\n}\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ(conf->user, SECD_USER);
	ATF_CHECK_STREQ(conf->database, SECD_DBDIR);
	ATF_CHECK_STREQ(conf->control, SECD_SOCKET);
	ATF_CHECK_EQ(conf->servers, 0);
	ATF_CHECK(!conf->has_resolver);
	ATF_CHECK_EQ(conf->proxy.ttl, 300);
	ATF_CHECK_EQ(conf->proxy.n4 + conf->proxy.n6, 0);
	ATF_CHECK(TAILQ_EMPTY(&conf->keys));
	ATF_REQUIRE_EQ(nlisten(conf), 2);
	l = TAILQ_FIRST(&conf->listens);
	check_sa(&l->ss, "0.0.0.0:53");
	check_sa(&TAILQ_NEXT(l, entry)->ss, "[::]:53");
	z = TAILQ_FIRST(&conf->zones);
	ATF_CHECK(!z->opts->has_proxy);
	ATF_CHECK(TAILQ_EMPTY(&z->opts->notifies));
	config_free(conf);
	free(errs);

	/* config_new() alone has the same defaults */
	ATF_REQUIRE((conf = config_new()) != NULL);
	ATF_CHECK_STREQ(conf->user, SECD_USER);
	ATF_CHECK_EQ(conf->proxy.ttl, 300);
	config_free(conf);
}

ATF_TC_WITHOUT_HEAD(listen_star_is_both_families);
ATF_TC_BODY(listen_star_is_both_families, tc)
{
	struct secd_conf	*conf;
	struct listen_conf	*l;
	char			*errs;

	write_file("secd.conf", "listen on * port 5353\n"
	    "zone a.test { primary ::1 port 5300 }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_REQUIRE_EQ(nlisten(conf), 2);
	l = TAILQ_FIRST(&conf->listens);
	check_sa(&l->ss, "0.0.0.0:5353");
	check_sa(&TAILQ_NEXT(l, entry)->ss, "[::]:5353");
	config_free(conf);
	free(errs);
}

/*
 * The lexer: comments, ';', a backslash-newline, CRLF, quotes with
 * escapes, a last line without newline, a macro defined twice.
 */
ATF_TC_WITHOUT_HEAD(lexer_details);
ATF_TC_BODY(lexer_details, tc)
{
	struct secd_conf	*conf;
	struct zone_conf	*z;
	char			*errs;

	write_file("secd.conf",
	    "# comment\r\n"
	    "m = \"1.1.1.1\"\r\n"
	    "m = \"192.0.2.9\"   # the second one counts\n"
	    "user '_se\\'cd'; database \"/d\\\\b\"\n"
	    "listen on \\\n  127.0.0.1 port 53\n"
	    "zone 'a.test' { primary $m port 53 ; ; }\n"
	    "zone b.test {\n\n  primary 192.0.2.1\n\n}");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ(conf->user, "_se'cd");
	ATF_CHECK_STREQ(conf->database, "/d\\b");
	ATF_CHECK_EQ(nlisten(conf), 1);
	ATF_REQUIRE((z = config_zone(conf, "a.test")) != NULL);
	check_sa(&TAILQ_FIRST(&z->opts->primaries)->ss, "192.0.2.9:53");
	ATF_CHECK(config_zone(conf, "b.test") != NULL);
	config_free(conf);
	free(errs);
}

/* -D wins over the file's definition, and stays for the next parse. */
ATF_TC_WITHOUT_HEAD(cmdline_macro_overrides_file);
ATF_TC_BODY(cmdline_macro_overrides_file, tc)
{
	struct secd_conf	*conf;
	char			*errs;
	char			 def[] = "srv=7", bad1[] = "noequal",
				 bad2[] = "bad-name=1";

	ATF_CHECK(cmdline_symset(bad1) == -1);
	ATF_CHECK(cmdline_symset(bad2) == -1);
	ATF_REQUIRE(cmdline_symset(def) == 0);
	write_file("secd.conf", "srv = 2\nservers $srv\n"
	    "zone a.test { primary 192.0.2.1 }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_EQ(conf->servers, 7);
	config_free(conf);
	free(errs);
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_EQ(conf->servers, 7);
	config_free(conf);
	free(errs);
}

/*
 * Broken files: each must be refused with this file:line and a message
 * that says what is wrong.
 */
static const struct bad {
	const char	*text;
	int		 line;
	const char	*msg;
} bad_configs[] = {
	{ "user \"x\"\nfoo \"bar\"\n", 2, "unknown keyword \"foo\"" },
	{ "zone a.test {\n primary 192.0.2.1\n bogus yes\n}\n", 3,
	    "unknown keyword \"bogus\"" },
	{ "listen on 127.0.0.1\nlisten on port 53\n", 2, "syntax error" },
	{ "zone a.test { primary 1.1.1.1 }\n\nzone A.TEST. {\n"
	    " primary 1.1.1.1\n}\n", 3, "zone a.test defined twice" },
	{ "\nservers $n\n", 2, "macro \"n\" not defined" },
	{ "listen on 192.0.2.256\n", 1, "bad IPv4 address \"192.0.2.256\"" },
	{ "resolver 1.2.3\n", 1, "bad IPv4 address \"1.2.3\"" },
	{ "\n\nlisten on 2001:db8::1::2 port 53\n", 3,
	    "bad IPv6 address \"2001:db8::1::2\"" },
	{ "zone a.test { primary example.net }\n", 1,
	    "\"example.net\" is not an IPv4 or IPv6 address" },
	{ "listen on 127.0.0.1 port 65536\n", 1,
	    "port 65536: out of range 1..65535" },
	{ "zone a.test {\n primary 1.1.1.1 port 0\n}\n", 2,
	    "port 0: out of range" },
	{ "tsig key k {\n algorithm hmac-sha1\n secret \"abc$\"\n}\n", 3,
	    "secret is not valid base64" },
	{ "tsig key k {\n algorithm hmac-sha1\n secret \"YW=j\"\n}\n", 3,
	    "secret is not valid base64" },
	{ "tsig key k {\n algorithm hmac-sha1\n secret \"\"\n}\n", 3,
	    "empty secret" },
	{ "tsig key k {\n algorithm hmac-sha3\n secret \"YWJj\"\n}\n", 2,
	    "unknown algorithm \"hmac-sha3\"" },
	{ "tsig key k {\n secret \"YWJj\"\n}\n", 1, "no algorithm" },
	{ "tsig key k {\n algorithm hmac-sha1\n}\n", 1, "no secret" },
	{ "tsig key k { algorithm hmac-md5; secret \"YWJj\" }\n"
	    "tsig key K. { algorithm hmac-md5; secret \"YWJj\" }\n", 2,
	    "tsig key \"k\" defined twice" },
	{ "tsig key k {\n algorithm hmac-sha256\n secret \""
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\n}\n", 3,
	    "secret longer than 128 bytes" },
	{ "zone a.test {\n}\n", 1, "zone a.test: no primary" },
	{ "zone a.test {\n allow notify from 1.1.1.1\n}\n", 1, "no primary" },
	{ "zone a.test {\n primary 1.1.1.1\n primary 1.1.1.2 tsig \"nokey\"\n"
	    "}\n", 3, "tsig key \"nokey\" is not defined" },
	{ "zone a.test {\n primary 1.1.1.1\n allow notify from 1.1.1.1 "
	    "tsig x\n}\n", 3, "tsig key \"x\" is not defined" },
	{ "include \"bad-self.conf\"\n", 1, "include loop" },
	{ "\ninclude \"no-such-file.conf\"\n", 2,
	    "include \"no-such-file.conf\": No such file or directory" },
	{ "servers 0\n", 1, "servers 0: out of range 1..64" },
	{ "servers 65\n", 1, "servers 65: out of range" },
	{ "proxy {\n address 192.0.2.1\n address 192.0.2.1\n}\n", 3,
	    "address 192.0.2.1 given twice" },
	{ "proxy {\n ttl 300\n}\n", 1, "proxy: no address" },
	{ "proxy {\n address 192.0.2.1\n ttl -5\n}\n", 3,
	    "ttl -5 out of range" },
	{ "proxy {\n address 192.0.2.1\n ttl 2147483648\n}\n", 3,
	    "out of range" },
	{ "proxy {\n address www.example.com\n}\n", 2,
	    "is not an IPv4 or IPv6 address" },
	{ "proxy {\n address 2001:db8::g\n}\n", 2, "bad IPv6 address" },
	{ "zone a.test {\n primary 1.1.1.1\n proxy {\n address *\n }\n}\n", 4,
	    "is not an IPv4 or IPv6 address" },
	{ "zone \"a..test\" {\n primary 1.1.1.1\n}\n", 1, "bad zone name" },
	{ "zone \"a b.test\" {\n primary 1.1.1.1\n}\n", 1, "bad zone name" },
	{ "zone \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".test\" { primary 1.1.1.1 }\n", 1, "bad zone name" },
	{ "zone \".\" { primary 1.1.1.1 }\n", 1, "bad zone name" },
	{ "my-ip = \"1.1.1.1\"\n", 1, "invalid macro name \"my-ip\"" },
	{ "user \"a\"\nuser \"b\"\n", 2, "user given twice" },
	{ "database \"relative/db\"\n", 1, "not an absolute path" },
	{ "listen on 127.0.0.1\nlisten on 127.0.0.1 port 53\n", 2,
	    "listen on 127.0.0.1:53 given twice" },
	{ "user \"unterminated\n", 1, "unterminated quoted string" },
	{ "servers 99999999999999999999\n", 1, "number 99999999999999999999" },
	{ "zone a.test { primary * }\n", 1, "\"*\" is for listen on only" },
	{ "tsig key k {\n algorithm hmac-md5\n secret \"YWJj\"\n"
	    " algorithm hmac-sha1\n}\n", 4, "algorithm given twice" },
	{ "transfer timeout 600\ntransfer timeout 600\n", 2,
	    "transfer timeout given twice" },
	{ "transfer max-records 5\n\ntransfer max-records 6\n", 3,
	    "transfer max-records given twice" },
	{ "transfer max-bytes 1M\ntransfer max-bytes 1048576\n", 2,
	    "transfer max-bytes given twice" },
	{ "transfer max-concurrent 4; transfer max-concurrent 4\n", 1,
	    "transfer max-concurrent given twice" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer timeout 30\n"
	    " transfer timeout 30\n}\n", 4,
	    "zone a.test: transfer timeout given twice" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer max-records 9\n"
	    " transfer max-records 9 }\n", 4,
	    "zone a.test: transfer max-records given twice" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer max-bytes 1K\n"
	    " transfer max-bytes 2K\n}\n", 4,
	    "zone a.test: transfer max-bytes given twice" },
	{ "transfer timeout 0\n", 1,
	    "transfer timeout 0: out of range 1..86400" },
	{ "\ntransfer timeout 86401\n", 2,
	    "transfer timeout 86401: out of range 1..86400" },
	{ "transfer max-records 0\n", 1,
	    "transfer max-records 0: out of range 1..1099511627776" },
	{ "transfer max-records 1099511627777\n", 1,
	    "transfer max-records 1099511627777: out of range" },
	{ "transfer max-bytes -1\n", 1,
	    "transfer max-bytes -1: out of range 1..70368744177664" },
	{ "transfer max-bytes 70368744177665\n", 1,
	    "transfer max-bytes 70368744177665: out of range" },
	{ "transfer max-bytes 65537G\n", 1,
	    "transfer max-bytes 65537G: out of range 1..70368744177664" },
	{ "transfer max-bytes 99999999999999999999K\n", 1,
	    "transfer max-bytes 99999999999999999999K: out of range" },
	{ "transfer max-bytes 0K\n", 1, "transfer max-bytes 0K: out of range" },
	{ "transfer max-concurrent 0\n", 1,
	    "transfer max-concurrent 0: out of range 1..1024" },
	{ "transfer max-concurrent 1025\n", 1,
	    "transfer max-concurrent 1025: out of range 1..1024" },
	{ "zone a.test {\n primary 1.1.1.1\n\n transfer timeout 86401\n}\n",
	    4, "zone a.test: transfer timeout 86401: out of range 1..86400" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer max-bytes 0\n}\n", 3,
	    "zone a.test: transfer max-bytes 0: out of range" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer max-records -3\n}\n", 3,
	    "zone a.test: transfer max-records -3: out of range" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer max-concurrent 4\n}\n",
	    3, "zone a.test: transfer max-concurrent is global only" },
	{ "transfer max-bytes 4T\n", 1,
	    "transfer max-bytes \"4T\": not a number of bytes" },
	{ "transfer max-bytes 1.5G\n", 1,
	    "transfer max-bytes \"1.5G\": not a number of bytes" },
	{ "transfer max-bytes G\n", 1, "not a number of bytes" },
	{ "transfer max-bytes 4GG\n", 1, "not a number of bytes" },
	{ "transfer timeout 10m\n", 1, "syntax error near \"10m\"" },
	{ "transfer max-records 1K\n", 1, "syntax error near \"1K\"" },
	{ "user \"x\"\ntransfer retries 3\n", 2,
	    "unknown transfer limit \"retries\" (timeout, max-records, "
	    "max-bytes or max-concurrent)" },
	{ "zone a.test {\n primary 1.1.1.1\n transfer max-time 3\n}\n", 3,
	    "unknown transfer limit \"max-time\"" },
	{ "transfer\n", 1, "syntax error at end of statement" },
	{ "tcp idle-timeout 0\n", 1,
	    "tcp idle-timeout 0: out of range 1..3600" },
	{ "tcp io-timeout 3601\n", 1,
	    "tcp io-timeout 3601: out of range 1..3600" },
	{ "tcp max-connections 65537\n", 1,
	    "tcp max-connections 65537: out of range 1..65536" },
	{ "tcp max-per-source 4; tcp max-per-source 4\n", 1,
	    "tcp max-per-source given twice" },
	{ "user \"x\"\ntcp retries 3\n", 2,
	    "unknown tcp limit \"retries\" (idle-timeout, io-timeout, "
	    "max-connections or max-per-source)" },
	{ "zone a.test {\n primary 1.1.1.1\n tcp idle-timeout 3\n}\n", 3,
	    "syntax error" },
};

ATF_TC_WITHOUT_HEAD(bad_configs_file_line_message);
ATF_TC_BODY(bad_configs_file_line_message, tc)
{
	struct secd_conf	*conf;
	char			*errs, want[64], name[32];
	size_t			 i;

	for (i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++) {
		snprintf(name, sizeof(name), "bad-%zu.conf", i);
		write_file(name, bad_configs[i].text);
		unlink("bad-self.conf");
		symlink(name, "bad-self.conf");
		conf = parse_capture(name, &errs);
		ATF_CHECK_MSG(conf == NULL, "%s accepted:\n%s", name,
		    bad_configs[i].text);
		config_free(conf);
		snprintf(want, sizeof(want), "%s:%d: ", name,
		    bad_configs[i].line);
		ATF_CHECK_MSG(strstr(errs, want) != NULL &&
		    strstr(strstr(errs, want), bad_configs[i].msg) != NULL,
		    "%s: expected \"%s%s\", got:\n%s", name, want,
		    bad_configs[i].msg, errs);
		free(errs);
	}
	ATF_CHECK(i >= 20);
}

/* One file, many errors: each one reported, in the right file and line. */
ATF_TC_WITHOUT_HEAD(every_error_reported);
ATF_TC_BODY(every_error_reported, tc)
{
	static const char *want[] = {
		"many.conf:2: unknown keyword \"frobnicate\"",
		"many.conf:3: servers 0: out of range",
		"many.conf:4: bad IPv4 address \"300.1.1.1\"",
		"many.conf:6: tsig key \"k\": unknown algorithm",
		"many.conf:7: tsig key \"k\": secret is not valid base64",
		"many.conf:10: unknown keyword \"primry\"",
		"many.conf:11: macro \"nope\" not defined",
		"many.conf:12: port 99999: out of range",
		"many.conf:14: zone a.test defined twice",
		"many.conf:15: zone b.test: no primary",
		"inc.conf:2: bad IPv6 address \"fe80:::1\"",
		"inc.conf:3: syntax error",
		"many.conf:17: servers 100: out of range",
		"many.conf:13: tsig key \"missing\" is not defined",
	};
	struct secd_conf	*conf;
	char			*errs;
	size_t			 i;

	write_file("inc.conf", "# included\nlisten on fe80:::1\nservers {\n");
	write_file("many.conf",
	    "user \"ok\"\n"					/* 1 */
	    "frobnicate 3\n"					/* 2 */
	    "servers 0\n"					/* 3 */
	    "listen on 300.1.1.1\n"				/* 4 */
	    "tsig key \"k\" {\n"				/* 5 */
	    "\talgorithm sha1\n"				/* 6 */
	    "\tsecret \"!!!!\"\n"				/* 7 */
	    "}\n"						/* 8 */
	    "zone a.test {\n"					/* 9 */
	    "\tprimry 192.0.2.1\n"				/* 10 */
	    "\tprimary $nope\n"					/* 11 */
	    "\tprimary 192.0.2.1 port 99999\n"			/* 12 */
	    "\tprimary 192.0.2.2 tsig \"missing\" }\n"		/* 13 */
	    "zone A.test { primary 192.0.2.1 }\n"		/* 14 */
	    "zone b.test { }\n"					/* 15 */
	    "include \"inc.conf\"\n"				/* 16 */
	    "servers 100\n");					/* 17 */
	conf = parse_capture("many.conf", &errs);
	ATF_CHECK(conf == NULL);
	config_free(conf);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ATF_CHECK_MSG(strstr(errs, want[i]) != NULL,
		    "expected \"%s\" in:\n%s", want[i], errs);
	free(errs);
}

/* Neither config_print() nor an error ever shows a secret. */
ATF_TC_WITHOUT_HEAD(secret_never_printed);
ATF_TC_BODY(secret_never_printed, tc)
{
	struct secd_conf	*conf;
	char			*errs, *out;
	FILE			*f;

	write_file("secd.conf", "tsig key k {\n algorithm hmac-sha256\n"
	    " secret \"" SECRET_B64 "\"\n}\n"
	    "zone a.test { primary 1.1.1.1 tsig k }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	free(errs);
	ATF_REQUIRE((f = fopen("print.txt", "w")) != NULL);
	config_print(f, conf);
	fclose(f);
	out = read_file("print.txt");
	ATF_CHECK_MSG(strstr(out, SECRET_B64) == NULL, "secret printed");
	ATF_CHECK(strstr(out, "secret \"********\"") != NULL);
	free(out);
	config_free(conf);

	write_file("secd.conf", "tsig key k {\n algorithm hmac-sha256\n"
	    " secret c2VjcmV0 c2VjcmV0Mg==\n}\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_CHECK(conf == NULL);
	ATF_CHECK_MSG(strstr(errs, "secd.conf:3: syntax error") != NULL,
	    "no syntax error: %s", errs);
	ATF_CHECK_MSG(strstr(errs, "c2VjcmV0") == NULL, "secret shown: %s",
	    errs);
	free(errs);
}

/*
 * config_print() with the secrets, read back: the same configuration,
 * printed the same way.
 */
ATF_TC_WITHOUT_HEAD(print_round_trip);
ATF_TC_BODY(print_round_trip, tc)
{
	struct secd_conf	*a, *b;
	struct tsig_key		*ka, *kb;
	struct zone_conf	*za, *zb;
	struct primary_conf	*pa, *pb;
	struct notify_acl	*na, *nb;
	struct listen_conf	*la, *lb;
	char			*errs, *t1, *t2;
	char			 def[] = "xport=5301";
	FILE			*f;

	write_file("secd.conf", full_conf);
	write_file("keys.conf", keys_conf);
	ATF_REQUIRE(cmdline_symset(def) == 0);
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_REQUIRE((f = fopen("printed.conf", "w")) != NULL);
	config_print_flags(f, a, CONF_PRINT_SECRETS);
	fclose(f);
	b = parse_capture("printed.conf", &errs);
	ATF_REQUIRE_MSG(b != NULL, "printed file refused: %s", errs);
	free(errs);

	ATF_CHECK_STREQ(a->user, b->user);
	ATF_CHECK_STREQ(a->database, b->database);
	ATF_CHECK_STREQ(a->control, b->control);
	ATF_CHECK_EQ(a->servers, b->servers);
	ATF_CHECK_EQ(a->has_resolver, b->has_resolver);
	ATF_CHECK(memcmp(&a->resolver, &b->resolver,
	    sizeof(a->resolver)) == 0);
	ATF_CHECK(memcmp(&a->proxy, &b->proxy, sizeof(a->proxy)) == 0);
	check_limits("global, read back", &b->limits, a->limits.timeout,
	    a->limits.max_records, a->limits.max_bytes);
	ATF_CHECK_EQ(a->max_transfers, b->max_transfers);
	for (la = TAILQ_FIRST(&a->listens), lb = TAILQ_FIRST(&b->listens);
	    la != NULL && lb != NULL; la = TAILQ_NEXT(la, entry),
	    lb = TAILQ_NEXT(lb, entry))
		ATF_CHECK(memcmp(&la->ss, &lb->ss, sizeof(la->ss)) == 0);
	ATF_CHECK(la == NULL && lb == NULL);
	for (ka = TAILQ_FIRST(&a->keys), kb = TAILQ_FIRST(&b->keys);
	    ka != NULL && kb != NULL; ka = TAILQ_NEXT(ka, entry),
	    kb = TAILQ_NEXT(kb, entry)) {
		ATF_CHECK_STREQ(ka->name, kb->name);
		ATF_CHECK_EQ(ka->alg, kb->alg);
		ATF_CHECK_EQ(ka->secretlen, kb->secretlen);
		ATF_CHECK(memcmp(ka->secret, kb->secret, ka->secretlen) == 0);
	}
	ATF_CHECK(ka == NULL && kb == NULL);
	for (za = TAILQ_FIRST(&a->zones), zb = TAILQ_FIRST(&b->zones);
	    za != NULL && zb != NULL; za = TAILQ_NEXT(za, entry),
	    zb = TAILQ_NEXT(zb, entry)) {
		ATF_CHECK_STREQ(za->name, zb->name);
		ATF_CHECK_EQ(za->opts->has_proxy, zb->opts->has_proxy);
		if (za->opts->has_proxy)
			ATF_CHECK(memcmp(&za->opts->proxy, &zb->opts->proxy,
			    sizeof(za->opts->proxy)) == 0);
		check_limits(zb->name, &zb->opts->limits,
		    za->opts->limits.timeout, za->opts->limits.max_records,
		    za->opts->limits.max_bytes);
		for (pa = TAILQ_FIRST(&za->opts->primaries),
		    pb = TAILQ_FIRST(&zb->opts->primaries);
		    pa != NULL && pb != NULL; pa = TAILQ_NEXT(pa, entry),
		    pb = TAILQ_NEXT(pb, entry)) {
			ATF_CHECK(memcmp(&pa->ss, &pb->ss,
			    sizeof(pa->ss)) == 0);
			ATF_CHECK_STREQ(pa->tsig, pb->tsig);
		}
		ATF_CHECK(pa == NULL && pb == NULL);
		for (na = TAILQ_FIRST(&za->opts->notifies),
		    nb = TAILQ_FIRST(&zb->opts->notifies);
		    na != NULL && nb != NULL; na = TAILQ_NEXT(na, entry),
		    nb = TAILQ_NEXT(nb, entry)) {
			ATF_CHECK(memcmp(&na->ss, &nb->ss,
			    sizeof(na->ss)) == 0);
			ATF_CHECK_STREQ(na->tsig, nb->tsig);
		}
		ATF_CHECK(na == NULL && nb == NULL);
	}
	ATF_CHECK(za == NULL && zb == NULL);

	/* and printing the reparsed one gives the same text */
	ATF_REQUIRE((f = fopen("printed2.conf", "w")) != NULL);
	config_print_flags(f, b, CONF_PRINT_SECRETS);
	fclose(f);
	t1 = read_file("printed.conf");
	t2 = read_file("printed2.conf");
	ATF_CHECK_STREQ_MSG(t1, t2, "print is not stable:\n%s\n---\n%s", t1,
	    t2);
	free(t1);
	free(t2);
	config_free(a);
	config_free(b);
}

/* No transfer line: the global defaults, and no zone sets its own. */
/* The tcp limits: the defaults, and those given, printed back. */
ATF_TC_WITHOUT_HEAD(tcp_limits);
ATF_TC_BODY(tcp_limits, tc)
{
	struct secd_conf	*conf;
	char			*errs, *out;
	FILE			*f;

	write_file("secd.conf", "tcp io-timeout 5\ntcp max-per-source 3\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_EQ(conf->tcp.idle_timeout, SECD_TCP_IDLE);
	ATF_CHECK_EQ(conf->tcp.io_timeout, 5);
	ATF_CHECK_EQ(conf->tcp.max_conns, SECD_TCP_CONNS);
	ATF_CHECK_EQ(conf->tcp.max_per_source, 3);
	ATF_REQUIRE((f = fopen("print.txt", "w")) != NULL);
	config_print(f, conf);
	fclose(f);
	out = read_file("print.txt");
	ATF_CHECK_MSG(strstr(out, "tcp idle-timeout 10\ntcp io-timeout 5\n"
	    "tcp max-connections 512\ntcp max-per-source 3\n") != NULL,
	    "printed: %s", out);
	free(out);
	config_free(conf);
	free(errs);
}

ATF_TC_WITHOUT_HEAD(transfer_limits_defaults);
ATF_TC_BODY(transfer_limits_defaults, tc)
{
	struct secd_conf	*conf;
	struct zone_conf	*z;
	struct xfr_limits	 lim;
	char			*errs;

	ATF_REQUIRE((conf = config_new()) != NULL);
	check_limits("config_new", &conf->limits, 600, 50000000,
	    4294967296ULL);
	ATF_CHECK_EQ(conf->max_transfers, 16);
	config_free(conf);

	write_file("secd.conf", "zone a.test { primary 192.0.2.1 }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	check_limits("parsed", &conf->limits, SECD_XFR_TIMEOUT,
	    SECD_XFR_MAXRECORDS, SECD_XFR_MAXBYTES);
	ATF_CHECK_EQ(conf->max_transfers, SECD_XFR_CONCURRENT);
	ATF_REQUIRE((z = config_zone(conf, "a.test")) != NULL);
	check_limits("a.test", &z->opts->limits, 0, 0, 0);
	config_limits(conf, z, &lim);
	check_limits("a.test merged", &lim, 600, 50000000, 4294967296ULL);
	config_free(conf);
	free(errs);
}

/*
 * Global and zone values as written, K/M/G as powers of 1024, the ends
 * of each range accepted, a macro as the value.
 */
ATF_TC_WITHOUT_HEAD(transfer_limits_parsed);
ATF_TC_BODY(transfer_limits_parsed, tc)
{
	struct secd_conf	*conf;
	struct zone_conf	*z;
	char			*errs;

	write_file("secd.conf",
	    "big = 70368744177664\n"
	    "transfer timeout 86400\n"
	    "transfer max-records 1099511627776\n"
	    "transfer max-bytes $big\n"
	    "transfer max-concurrent 1024\n"
	    "zone a.test {\n"
	    "\tprimary 192.0.2.1\n"
	    "\ttransfer timeout 1; transfer max-records 1\n"
	    "\ttransfer max-bytes 1 }\n"
	    "zone b.test {\n"
	    "\tprimary 192.0.2.1\n"
	    "\ttransfer max-bytes 3K\n"
	    "}\n"
	    "zone c.test { primary 192.0.2.1; transfer max-bytes 2m }\n"
	    "zone d.test { primary 192.0.2.1; transfer max-bytes 65536G }\n"
	    "zone e.test { primary 192.0.2.1; transfer max-bytes \"7\" }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ_MSG(errs, "", "a valid file printed: %s", errs);
	check_limits("global", &conf->limits, 86400, 1ULL << 40, 1ULL << 46);
	ATF_CHECK_EQ(conf->max_transfers, 1024);
	ATF_REQUIRE((z = config_zone(conf, "a.test")) != NULL);
	check_limits("a.test", &z->opts->limits, 1, 1, 1);
	ATF_REQUIRE((z = config_zone(conf, "b.test")) != NULL);
	check_limits("b.test", &z->opts->limits, 0, 0, 3072);
	ATF_REQUIRE((z = config_zone(conf, "c.test")) != NULL);
	check_limits("c.test", &z->opts->limits, 0, 0, 2ULL << 20);
	ATF_REQUIRE((z = config_zone(conf, "d.test")) != NULL);
	check_limits("d.test", &z->opts->limits, 0, 0, 1ULL << 46);
	ATF_REQUIRE((z = config_zone(conf, "e.test")) != NULL);
	check_limits("e.test", &z->opts->limits, 0, 0, 7);
	config_free(conf);
	free(errs);
}

/* config_limits(): each limit a zone sets replaces the global one alone. */
ATF_TC_WITHOUT_HEAD(transfer_limits_zone_overrides_global);
ATF_TC_BODY(transfer_limits_zone_overrides_global, tc)
{
	struct secd_conf	*conf;
	struct zone_opts	 o;
	struct zone_conf	 z;
	struct xfr_limits	 lim;

	ATF_REQUIRE((conf = config_new()) != NULL);
	conf->limits.timeout = 100;
	conf->limits.max_records = 200;
	conf->limits.max_bytes = 300;
	memset(&o, 0, sizeof(o));
	memset(&z, 0, sizeof(z));
	z.opts = &o;

	config_limits(conf, NULL, &lim);
	check_limits("no zone", &lim, 100, 200, 300);
	config_limits(conf, &z, &lim);
	check_limits("zone without limits", &lim, 100, 200, 300);
	o.limits.timeout = 5;
	config_limits(conf, &z, &lim);
	check_limits("zone timeout", &lim, 5, 200, 300);
	o.limits.timeout = 0;
	o.limits.max_records = 6;
	config_limits(conf, &z, &lim);
	check_limits("zone max-records", &lim, 100, 6, 300);
	o.limits.max_records = 0;
	o.limits.max_bytes = 7;
	config_limits(conf, &z, &lim);
	check_limits("zone max-bytes", &lim, 100, 200, 7);
	o.limits.timeout = 5;
	o.limits.max_records = 6;
	config_limits(conf, &z, &lim);
	check_limits("zone all three", &lim, 5, 6, 7);
	/* the global limits are read, not changed */
	check_limits("global after", &conf->limits, 100, 200, 300);
	config_free(conf);
}

/*
 * config_print(): the global limits always, a zone's only those it sets;
 * read back, the same limits.
 */
ATF_TC_WITHOUT_HEAD(transfer_limits_print_round_trip);
ATF_TC_BODY(transfer_limits_print_round_trip, tc)
{
	struct secd_conf	*a, *b;
	struct zone_conf	*za, *zb;
	struct xfr_limits	 la, lb;
	const char		*names[] = { "a.test", "b.test" };
	char			*errs, *out;
	FILE			*f;
	size_t			 i;

	write_file("secd.conf",
	    "transfer max-bytes 2G\ntransfer max-concurrent 3\n"
	    "zone a.test { primary 192.0.2.1; transfer max-records 77 }\n"
	    "zone b.test { primary 192.0.2.1 }\n");
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_REQUIRE((f = fopen("printed.conf", "w")) != NULL);
	config_print(f, a);
	fclose(f);
	out = read_file("printed.conf");
	ATF_CHECK_MSG(strstr(out, "\ntransfer timeout 600\n"
	    "transfer max-records 50000000\n"
	    "transfer max-bytes 2147483648\n"
	    "transfer max-concurrent 3\n") != NULL,
	    "global limits not printed:\n%s", out);
	ATF_CHECK_MSG(strstr(out, "zone \"a.test\" {\n"
	    "\tprimary 192.0.2.1 port 53\n"
	    "\ttransfer max-records 77\n}\n") != NULL,
	    "a.test printed otherwise:\n%s", out);
	ATF_CHECK_MSG(strstr(out, "zone \"b.test\" {\n"
	    "\tprimary 192.0.2.1 port 53\n}\n") != NULL,
	    "b.test printed otherwise:\n%s", out);
	free(out);

	b = parse_capture("printed.conf", &errs);
	ATF_REQUIRE_MSG(b != NULL, "printed file refused: %s", errs);
	free(errs);
	check_limits("global, read back", &b->limits, 600, 50000000,
	    2ULL << 30);
	ATF_CHECK_EQ(b->max_transfers, 3);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ATF_REQUIRE((za = config_zone(a, names[i])) != NULL);
		ATF_REQUIRE((zb = config_zone(b, names[i])) != NULL);
		check_limits(names[i], &zb->opts->limits,
		    za->opts->limits.timeout, za->opts->limits.max_records,
		    za->opts->limits.max_bytes);
		config_limits(a, za, &la);
		config_limits(b, zb, &lb);
		check_limits(names[i], &lb, la.timeout, la.max_records,
		    la.max_bytes);
	}
	config_free(a);
	config_free(b);
}

ATF_TC_WITHOUT_HEAD(base64_strict);
ATF_TC_BODY(base64_strict, tc)
{
	static const char *bad[] = { "", "Y", "YW", "YWJ", "YWJjZ", "YW=j",
	    "Y===", "YWJj ", " YWJj", "YW\nJj", "YWI=YWJj", "YR==", "YWK=",
	    "YWJj!" };
	uint8_t		 buf[8];
	char		 enc[16];
	size_t		 i;

	ATF_CHECK_EQ(b64_decode("YWJj", buf, sizeof(buf)), 3);
	ATF_CHECK(memcmp(buf, "abc", 3) == 0);
	ATF_CHECK_EQ(b64_decode("YWI=", buf, sizeof(buf)), 2);
	ATF_CHECK(memcmp(buf, "ab", 2) == 0);
	ATF_CHECK_EQ(b64_decode("YQ==", buf, sizeof(buf)), 1);
	ATF_CHECK_EQ(buf[0], 'a');
	ATF_CHECK_EQ(b64_decode("+/+/", buf, sizeof(buf)), 3);
	ATF_CHECK(memcmp(buf, "\xfb\xff\xbf", 3) == 0);
	ATF_CHECK_EQ(b64_decode("YWJjZGVmZ2hp", buf, sizeof(buf)), -2);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_MSG(b64_decode(bad[i], buf, sizeof(buf)) == -1,
		    "\"%s\" accepted", bad[i]);
	ATF_CHECK_EQ(b64_encode((const uint8_t *)"ab", 2, enc, sizeof(enc)),
	    4);
	ATF_CHECK_STREQ(enc, "YWI=");
	ATF_CHECK_EQ(b64_encode((const uint8_t *)"abcdefghijklm", 13, enc,
	    sizeof(enc)), -1);
}

ATF_TC_WITHOUT_HEAD(helpers);
ATF_TC_BODY(helpers, tc)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	char			 name[SECD_NAMESTRLEN];
	int			 i;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(53);
	inet_pton(AF_INET, "192.0.2.53", &sin->sin_addr);
	ATF_CHECK_STREQ(sa_str(&ss), "192.0.2.53:53");
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(5300);
	inet_pton(AF_INET6, "2001:db8::1", &sin6->sin6_addr);
	ATF_CHECK_STREQ(sa_str(&ss), "[2001:db8::1]:5300");

	for (i = 0; i < TSIG_ALG_MAX; i++)
		ATF_CHECK_EQ(tsig_alg_byname(tsig_alg_name(i)), i);
	ATF_CHECK_STREQ(tsig_alg_name(TSIG_HMAC_SHA512), "hmac-sha512");
	ATF_CHECK_EQ(tsig_alg_byname("HMAC-SHA1"), TSIG_HMAC_SHA1);
	ATF_CHECK_EQ(tsig_alg_byname("hmac-sha3"), -1);

	ATF_CHECK_EQ(dname_normalize("Ex-a_mple.COM.", name, sizeof(name)),
	    0);
	ATF_CHECK_STREQ(name, "ex-a_mple.com");
	ATF_CHECK_EQ(dname_normalize("0/25.2.0.192.in-addr.arpa", name,
	    sizeof(name)), 0);
	ATF_CHECK_EQ(dname_normalize(".", name, sizeof(name)), -1);
	ATF_CHECK_EQ(dname_normalize("a..b", name, sizeof(name)), -1);
	ATF_CHECK_EQ(dname_normalize(".a", name, sizeof(name)), -1);
	ATF_CHECK_EQ(dname_normalize("a.b..", name, sizeof(name)), -1);
	ATF_CHECK_EQ(dname_normalize("a b", name, sizeof(name)), -1);
}

/* ---- templates and zone lists ---- */

/*
 * parse_config() on path must fail, and stderr hold "where: " followed
 * (later on that line or after) by msg.
 */
static void
check_error(const char *path, const char *where, const char *msg)
{
	struct secd_conf	*conf;
	char			*errs, want[256];
	const char		*at;

	conf = parse_capture(path, &errs);
	ATF_CHECK_MSG(conf == NULL, "%s accepted, expected %s: %s", path,
	    where, msg);
	config_free(conf);
	snprintf(want, sizeof(want), "%s: ", where);
	at = strstr(errs, want);
	ATF_CHECK_MSG(at != NULL && strstr(at, msg) != NULL,
	    "expected \"%s%s\", got:\n%s", want, msg, errs);
	free(errs);
}

/* The names of the zones, in order, space separated, into buf. */
static const char *
zone_names(const struct secd_conf *conf, char *buf, size_t len)
{
	const struct zone_conf	*z;

	buf[0] = '\0';
	TAILQ_FOREACH(z, &conf->zones, entry) {
		if (buf[0] != '\0')
			strlcat(buf, " ", len);
		strlcat(buf, z->name, len);
	}
	return buf;
}

/* Two zones have the same settings (not the same name). */
static void
check_same_zone(const struct zone_conf *za, const struct zone_conf *zb)
{
	const struct primary_conf	*pa, *pb;
	const struct notify_acl		*na, *nb;

	ATF_CHECK_EQ_MSG(za->opts->has_proxy, zb->opts->has_proxy,
	    "%s/%s: has_proxy",
	    za->name, zb->name);
	if (za->opts->has_proxy && zb->opts->has_proxy)
		ATF_CHECK_MSG(memcmp(&za->opts->proxy, &zb->opts->proxy,
		    sizeof(za->opts->proxy)) == 0, "%s/%s: proxy", za->name,
		    zb->name);
	check_limits(zb->name, &zb->opts->limits, za->opts->limits.timeout,
	    za->opts->limits.max_records, za->opts->limits.max_bytes);
	for (pa = TAILQ_FIRST(&za->opts->primaries),
	    pb = TAILQ_FIRST(&zb->opts->primaries);
	    pa != NULL && pb != NULL; pa = TAILQ_NEXT(pa, entry),
	    pb = TAILQ_NEXT(pb, entry)) {
		/* zones of one configuration may share; of two, not */
		if (za->opts != zb->opts)
			ATF_CHECK(pa != pb);
		ATF_CHECK(memcmp(&pa->ss, &pb->ss, sizeof(pa->ss)) == 0);
		ATF_CHECK_STREQ(pa->tsig, pb->tsig);
	}
	ATF_CHECK_MSG(pa == NULL && pb == NULL, "%s/%s: primaries",
	    za->name, zb->name);
	for (na = TAILQ_FIRST(&za->opts->notifies),
	    nb = TAILQ_FIRST(&zb->opts->notifies);
	    na != NULL && nb != NULL; na = TAILQ_NEXT(na, entry),
	    nb = TAILQ_NEXT(nb, entry)) {
		if (za->opts != zb->opts)
			ATF_CHECK(na != nb);
		ATF_CHECK(memcmp(&na->ss, &nb->ss, sizeof(na->ss)) == 0);
		ATF_CHECK_STREQ(na->tsig, nb->tsig);
	}
	ATF_CHECK_MSG(na == NULL && nb == NULL, "%s/%s: notifies",
	    za->name, zb->name);
}

static const char tmpl_conf[] =
    "tsig key \"xfr\" { algorithm hmac-sha256; secret \"" SECRET_B64 "\" }\n"
    "template \"std\" {\n"
    "\tprimary 192.0.2.1 tsig \"xfr\"\n"
    "\tprimary 192.0.2.2 port 5300\n"
    "\tallow notify from 192.0.2.1 tsig \"xfr\"\n"
    "\tallow notify from 2001:db8::1\n"
    "\tproxy { address 192.0.2.80; ttl 60 }\n"
    "\ttransfer timeout 30\n"
    "\ttransfer max-records 1000\n"
    "\ttransfer max-bytes 1M\n"
    "}\n"
    "template \"unused\" { primary 192.0.2.99 }\n"
    "zone \"plain.test\" { template \"std\" }\n"
    "zone \"same.test\" {\n"
    "\ttemplate \"std\"\n"
    "}\n"
    "zone \"own.test\" {\n"
    "\ttemplate \"std\"\n"
    "\tprimary 198.51.100.1\n"
    "\tprimary 198.51.100.2 tsig \"xfr\"\n"
    "\tallow notify from 198.51.100.1\n"
    "\tproxy { address 198.51.100.80 }\n"
    "\ttransfer max-records 7\n"
    "}\n"
    "zone \"limits.test\" { template \"std\"; transfer timeout 5 }\n";

/*
 * A zone naming a template has its primaries, notify ACL, proxy block and
 * limits; its own primary, allow notify and proxy replace the template's
 * whole, a transfer limit replaces that limit only.
 */
ATF_TC_WITHOUT_HEAD(template_applied);
ATF_TC_BODY(template_applied, tc)
{
	struct secd_conf	*conf;
	struct zone_conf	*z, *same;
	struct primary_conf	*p;
	struct notify_acl	*n;
	char			*errs, buf[INET6_ADDRSTRLEN];

	write_file("secd.conf", tmpl_conf);
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ_MSG(errs, "", "a valid file printed: %s", errs);
	free(errs);
	ATF_CHECK_STREQ(zone_names(conf, buf, sizeof(buf)),
	    "plain.test same.test own.test limits.test");

	ATF_REQUIRE((z = config_zone(conf, "plain.test")) != NULL);
	p = TAILQ_FIRST(&z->opts->primaries);
	ATF_REQUIRE(p != NULL);
	check_sa(&p->ss, "192.0.2.1:53");
	ATF_CHECK_STREQ(p->tsig, "xfr");
	ATF_REQUIRE((p = TAILQ_NEXT(p, entry)) != NULL);
	check_sa(&p->ss, "192.0.2.2:5300");
	ATF_CHECK_STREQ(p->tsig, "");
	ATF_CHECK(TAILQ_NEXT(p, entry) == NULL);
	ATF_REQUIRE((n = TAILQ_FIRST(&z->opts->notifies)) != NULL);
	check_sa(&n->ss, "192.0.2.1:0");
	ATF_CHECK_STREQ(n->tsig, "xfr");
	ATF_REQUIRE((n = TAILQ_NEXT(n, entry)) != NULL);
	check_sa(&n->ss, "[2001:db8::1]:0");
	ATF_CHECK(TAILQ_NEXT(n, entry) == NULL);
	ATF_CHECK(z->opts->has_proxy);
	ATF_CHECK_EQ(z->opts->proxy.n4, 1);
	ATF_CHECK_EQ(z->opts->proxy.n6, 0);
	ATF_CHECK_EQ(z->opts->proxy.ttl, 60);
	ATF_CHECK_STREQ(inet_ntop(AF_INET, &z->opts->proxy.v4[0], buf,
	    sizeof(buf)), "192.0.2.80");
	check_limits("plain.test", &z->opts->limits, 30, 1000, 1 << 20);

	/* a second zone: the same settings, shared */
	ATF_REQUIRE((same = config_zone(conf, "same.test")) != NULL);
	check_same_zone(z, same);

	/* replaced: primaries, notify ACL, proxy; one limit overridden */
	ATF_REQUIRE((z = config_zone(conf, "own.test")) != NULL);
	ATF_REQUIRE((p = TAILQ_FIRST(&z->opts->primaries)) != NULL);
	check_sa(&p->ss, "198.51.100.1:53");
	ATF_REQUIRE((p = TAILQ_NEXT(p, entry)) != NULL);
	check_sa(&p->ss, "198.51.100.2:53");
	ATF_CHECK_STREQ(p->tsig, "xfr");
	ATF_CHECK(TAILQ_NEXT(p, entry) == NULL);
	ATF_REQUIRE((n = TAILQ_FIRST(&z->opts->notifies)) != NULL);
	check_sa(&n->ss, "198.51.100.1:0");
	ATF_CHECK_STREQ(n->tsig, "");
	ATF_CHECK(TAILQ_NEXT(n, entry) == NULL);
	ATF_CHECK(z->opts->has_proxy);
	ATF_CHECK_EQ(z->opts->proxy.n4, 1);
	/* not the template's */
	ATF_CHECK_EQ(z->opts->proxy.ttl, SECD_PROXY_TTL);
	ATF_CHECK_STREQ(inet_ntop(AF_INET, &z->opts->proxy.v4[0], buf,
	    sizeof(buf)), "198.51.100.80");
	check_limits("own.test", &z->opts->limits, 30, 7, 1 << 20);

	/* only the limit given changes; the lists stay the template's */
	ATF_REQUIRE((z = config_zone(conf, "limits.test")) != NULL);
	check_limits("limits.test", &z->opts->limits, 5, 1000, 1 << 20);
	ATF_CHECK_EQ(TAILQ_FIRST(&z->opts->primaries)->ss.ss_family, AF_INET);
	check_sa(&TAILQ_FIRST(&z->opts->primaries)->ss, "192.0.2.1:53");
	check_sa(&TAILQ_FIRST(&z->opts->notifies)->ss, "192.0.2.1:0");
	ATF_CHECK(z->opts->has_proxy);
	ATF_CHECK_EQ(z->opts->proxy.ttl, 60);

	/* a template is not a zone */
	ATF_CHECK(config_zone(conf, "std") == NULL);
	ATF_CHECK(config_zone(conf, "unused") == NULL);
	config_free(conf);
}

/* Each misuse of template, refused at its file:line. */
ATF_TC_WITHOUT_HEAD(template_errors);
ATF_TC_BODY(template_errors, tc)
{
	write_file("t.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zone a.test {\n"
	    "\tprimary 192.0.2.3\n"
	    "\ttemplate \"t\"\n"
	    "}\n");
	check_error("t.conf", "t.conf:4",
	    "zone a.test: template must be the first option of the zone");

	write_file("t.conf",
	    "\nzone a.test {\n"
	    "\ttemplate \"later\"\n"
	    "}\n"
	    "template \"later\" { primary 192.0.2.1 }\n");
	check_error("t.conf", "t.conf:3",
	    "zone a.test: template \"later\" is not defined");

	write_file("t.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "\n"
	    "template \"t\" {\n"
	    "\tprimary 192.0.2.2\n"
	    "}\n");
	check_error("t.conf", "t.conf:3",
	    "template \"t\" defined twice (first at t.conf:1)");

	write_file("t.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zone a.test {\n"
	    "\ttemplate \"t\"\n"
	    "\ttemplate \"t\"\n"
	    "}\n");
	check_error("t.conf", "t.conf:4", "zone a.test: template given twice");

	write_file("t.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "template \"u\" {\n"
	    "\ttemplate \"t\"\n"
	    "}\n");
	check_error("t.conf", "t.conf:3",
	    "template \"u\": a template cannot name a template");

	/* errors inside a template name it, not a zone */
	write_file("t.conf",
	    "template \"t\" {\n"
	    "\tprimary 192.0.2.1\n"
	    "\tprimary 192.0.2.1\n"
	    "}\n");
	check_error("t.conf", "t.conf:3",
	    "template \"t\": primary 192.0.2.1:53 given twice");
	write_file("t.conf",
	    "template \"t\" {\n"
	    "\ttransfer timeout 0\n"
	    "}\n");
	check_error("t.conf", "t.conf:2",
	    "template \"t\": transfer timeout 0: out of range");

	/* a template without primary: the zone must give one */
	write_file("t.conf",
	    "template \"t\" { allow notify from 192.0.2.1 }\n"
	    "zone a.test { template \"t\" }\n");
	check_error("t.conf", "t.conf:2", "zone a.test: no primary");
	write_file("t.conf",
	    "template \"t\" { allow notify from 192.0.2.1 }\n"
	    "zone a.test { template \"t\"; primary 192.0.2.1 }\n"
	    "zone b.test {\n"
	    "\ttemplate \"t\"\n"
	    "\tproxy { address 192.0.2.80 }\n"
	    "\tproxy { address 192.0.2.81 }\n"
	    "}\n");
	check_error("t.conf", "t.conf:6", "zone b.test: proxy block given "
	    "twice");
}

/*
 * A zone list: comments, blank lines, white space around the names,
 * names normalised; each zone the template's settings exactly.
 */
ATF_TC_WITHOUT_HEAD(zone_list_comments_blank);
ATF_TC_BODY(zone_list_comments_blank, tc)
{
	struct secd_conf	*conf;
	struct zone_conf	*z, *tz;
	char			*errs, names[256];

	write_file("zones.txt",
	    "# the customer zones\n"
	    "\n"
	    "One.TEST.\n"
	    "   \t\n"
	    "  # indented comment\n"
	    "two.test   \t\n"
	    "\tthree.test\r\n"
	    "#four.test\n"
	    "five.test");
	write_file("secd.conf",
	    "template \"std\" {\n"
	    "\tprimary 192.0.2.1 port 5300\n"
	    "\tallow notify from 192.0.2.1\n"
	    "\tproxy { address 192.0.2.80 }\n"
	    "\ttransfer max-bytes 2M\n"
	    "}\n"
	    "zone \"first.test\" { template \"std\" }\n"
	    "zones \"zones.txt\" template \"std\"\n"
	    "zone \"last.test\" { primary 192.0.2.9 }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ_MSG(errs, "", "a valid file printed: %s", errs);
	free(errs);
	ATF_CHECK_STREQ(zone_names(conf, names, sizeof(names)),
	    "first.test one.test two.test three.test five.test last.test");
	ATF_REQUIRE((tz = config_zone(conf, "first.test")) != NULL);
	TAILQ_FOREACH(z, &conf->zones, entry) {
		if (strcmp(z->name, "first.test") == 0 ||
		    strcmp(z->name, "last.test") == 0)
			continue;
		check_same_zone(tz, z);
	}
	check_sa(&TAILQ_FIRST(&tz->opts->primaries)->ss, "192.0.2.1:5300");
	check_limits("first.test", &tz->opts->limits, 0, 0, 2 << 20);
	config_free(conf);

	/* an empty list is no zone */
	write_file("zones.txt", "# none yet\n");
	write_file("secd.conf",
	    "template \"std\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"std\"\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_EQ(nzones(conf), 0);
	config_free(conf);
	free(errs);
}

/*
 * A name given twice: in the list, in a zone block and a list (either
 * first), in two lists.  The second is the error, at its PATH:LINE,
 * naming the first.
 */
ATF_TC_WITHOUT_HEAD(zone_list_duplicates);
ATF_TC_BODY(zone_list_duplicates, tc)
{
	write_file("zones.txt", "a.test\nb.test\n\n# c\nA.TEST.\n");
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n");
	check_error("secd.conf", "zones.txt:5",
	    "zone a.test defined twice (first at zones.txt:1)");

	write_file("zones.txt", "a.test\n\nb.test\n");
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "\n"
	    "zone b.test { primary 192.0.2.2 }\n"
	    "zones \"zones.txt\" template \"t\"\n");
	check_error("secd.conf", "zones.txt:3",
	    "zone b.test defined twice (first at secd.conf:3)");

	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n"
	    "zone \"B.test.\" {\n"
	    "\tprimary 192.0.2.2\n"
	    "}\n");
	check_error("secd.conf", "secd.conf:3",
	    "zone b.test defined twice (first at zones.txt:3)");

	write_file("more.txt", "c.test\n# b.test\nd.test\na.test\n");
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n"
	    "zones \"more.txt\" template \"t\"\n");
	check_error("secd.conf", "more.txt:4",
	    "zone a.test defined twice (first at zones.txt:1)");

	/* the same list twice: every name of it */
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n"
	    "zones \"zones.txt\" template \"t\"\n");
	check_error("secd.conf", "zones.txt:1",
	    "zone a.test defined twice (first at zones.txt:1)");
	check_error("secd.conf", "zones.txt:3",
	    "zone b.test defined twice (first at zones.txt:3)");
}

/* A line that is not a zone name, at its PATH:LINE. */
ATF_TC_WITHOUT_HEAD(zone_list_bad_name);
ATF_TC_BODY(zone_list_bad_name, tc)
{
	static const char *bad[] = { "a..test", "a.test b.test",
	    "a.test # comment", ".", "x!.test", "*.test", "a.test..",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".test" };
	char		 text[256];
	FILE		*f;
	size_t		 i;

	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "ok.test\n\n%s\nok2.test\n",
		    bad[i]);
		write_file("zones.txt", text);
		check_error("secd.conf", "zones.txt:3", "bad zone name");
	}
	/* a NUL inside a line */
	ATF_REQUIRE((f = fopen("zones.txt", "w")) != NULL);
	ATF_REQUIRE(fwrite("ok.test\nbad\0.test\n", 1, 18, f) == 18);
	ATF_REQUIRE(fclose(f) == 0);
	check_error("secd.conf", "zones.txt:2", "bad zone name");
}

/*
 * A list that cannot be read, an unknown template, a template without a
 * primary: at the zones statement's file:line.
 */
ATF_TC_WITHOUT_HEAD(zone_list_unreadable);
ATF_TC_BODY(zone_list_unreadable, tc)
{
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "\n"
	    "zones \"no-such-list.txt\" template \"t\"\n");
	check_error("secd.conf", "secd.conf:3",
	    "zones \"no-such-list.txt\": No such file or directory");

	ATF_REQUIRE(mkdir("adir", 0755) == 0);
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"adir\" template \"t\"\n");
	check_error("secd.conf", "secd.conf:2",
	    "zones \"adir\": not a regular file");

	write_file("zones.txt", "a.test\n");
	write_file("secd.conf",
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"u\"\n");
	check_error("secd.conf", "secd.conf:2",
	    "zones \"zones.txt\": template \"u\" is not defined");

	write_file("secd.conf",
	    "template \"t\" { allow notify from 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n");
	check_error("secd.conf", "secd.conf:2",
	    "zones \"zones.txt\": template \"t\" has no primary");

	write_file("secd.conf", "zones \"zones.txt\"\n");
	check_error("secd.conf", "secd.conf:1", "syntax error");
}

/*
 * A relative list path is from the directory of the file naming it (the
 * main file or an included one), as for include; an absolute one as is.
 */
ATF_TC_WITHOUT_HEAD(zone_list_relative_path);
ATF_TC_BODY(zone_list_relative_path, tc)
{
	struct secd_conf	*conf;
	char			*errs, names[256], cwd[1024], text[2048];

	ATF_REQUIRE(mkdir("etc", 0755) == 0);
	ATF_REQUIRE(mkdir("etc/inc", 0755) == 0);
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	write_file("zones.txt", "wrong.test\n");	/* not this one */
	write_file("etc/zones.txt", "main.test\n");
	write_file("etc/inc/zones.txt", "inc.test\n");
	write_file("abs.txt", "abs.test\n");
	write_file("etc/inc/more.conf",
	    "zones \"zones.txt\" template \"t\"\n");
	snprintf(text, sizeof(text),
	    "template \"t\" { primary 192.0.2.1 }\n"
	    "zones \"zones.txt\" template \"t\"\n"
	    "include \"inc/more.conf\"\n"
	    "zones \"%s/abs.txt\" template \"t\"\n", cwd);
	write_file("etc/secd.conf", text);
	conf = parse_capture("etc/secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ(zone_names(conf, names, sizeof(names)),
	    "main.test inc.test abs.test");
	config_free(conf);
	free(errs);

	/* errors name the list by the path it was read at */
	write_file("etc/inc/zones.txt", "main.test\n");
	check_error("etc/secd.conf", "etc/inc/zones.txt:1",
	    "zone main.test defined twice (first at etc/zones.txt:1)");
}

/*
 * config_print() writes the zones of templates and lists out as plain
 * zone blocks: read back, the same zones; printed again, the same text.
 */
ATF_TC_WITHOUT_HEAD(template_print_round_trip);
ATF_TC_BODY(template_print_round_trip, tc)
{
	struct secd_conf	*a, *b;
	struct zone_conf	*za, *zb;
	char			*errs, *t1, *t2, names[256];
	FILE			*f;

	write_file("zones.txt", "l1.test\nl2.test\n\nl3.test\n");
	write_file("secd.conf", tmpl_conf);
	ATF_REQUIRE((f = fopen("secd.conf", "a")) != NULL);
	fputs("zones \"zones.txt\" template \"std\"\n", f);
	fclose(f);
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_CHECK_EQ(nzones(a), 7);
	ATF_REQUIRE((f = fopen("printed.conf", "w")) != NULL);
	config_print_flags(f, a, CONF_PRINT_SECRETS);
	fclose(f);
	t1 = read_file("printed.conf");
	ATF_CHECK_MSG(strstr(t1, "template") == NULL &&
	    strstr(t1, "zones ") == NULL, "not expanded:\n%s", t1);
	b = parse_capture("printed.conf", &errs);
	ATF_REQUIRE_MSG(b != NULL, "printed file refused: %s\n%s", errs, t1);
	free(errs);
	ATF_CHECK_STREQ(zone_names(b, names, sizeof(names)),
	    "plain.test same.test own.test limits.test l1.test l2.test "
	    "l3.test");
	for (za = TAILQ_FIRST(&a->zones), zb = TAILQ_FIRST(&b->zones);
	    za != NULL && zb != NULL; za = TAILQ_NEXT(za, entry),
	    zb = TAILQ_NEXT(zb, entry)) {
		ATF_CHECK_STREQ(za->name, zb->name);
		check_same_zone(za, zb);
	}
	ATF_CHECK(za == NULL && zb == NULL);
	ATF_REQUIRE((f = fopen("printed2.conf", "w")) != NULL);
	config_print_flags(f, b, CONF_PRINT_SECRETS);
	fclose(f);
	t2 = read_file("printed2.conf");
	ATF_CHECK_STREQ_MSG(t1, t2, "print is not stable:\n%s\n---\n%s", t1,
	    t2);
	free(t1);
	free(t2);
	config_free(a);
	config_free(b);
}

/* The imsg channel is driven by hand (conf_pass), not by libevent. */
static void
conf_nothing(int fd, short event, void *arg)
{
}

/*
 * conf through conf_send() and conf_recv() over a socket pair, as the
 * parent sends it to a child; what the child has, or NULL if it refused.
 */
static struct secd_conf *
conf_pass(const struct secd_conf *conf, int flags)
{
	static int		 evinit;
	struct imsgev		 out;
	struct imsgbuf		 in;
	struct imsg		 imsg;
	struct secd_conf	*nconf = NULL;
	ssize_t			 n = 0;
	int			 sp[2], r = 0;

	if (!evinit++)
		event_init();
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sp) == 0);
	iev_init(&out, sp[0], conf_nothing, NULL);
	ATF_REQUIRE(imsgbuf_init(&in, sp[1]) == 0);
	conf_send(&out, conf, flags);
	while (r == 0) {
		ATF_REQUIRE(imsgbuf_write(&out.ibuf) != -1);
		ATF_REQUIRE(imsgbuf_read(&in) == 1);
		while (r == 0 && (n = imsg_get(&in, &imsg)) > 0) {
			r = conf_recv(&nconf, &imsg);
			imsg_free(&imsg);
		}
		ATF_REQUIRE(n != -1);
	}
	event_del(&out.ev);
	imsgbuf_clear(&out.ibuf);
	imsgbuf_clear(&in);
	close(sp[0]);
	close(sp[1]);
	return r == 1 ? nconf : NULL;
}

/* One message to conf_recv(), as if read from the parent. */
static int
conf_feed(struct secd_conf **nconf, uint32_t type, const void *data,
    size_t len)
{
	struct imsg	 imsg;
	void		*buf;
	int		 r;

	/* a copy: conf_recv() may zero what it read (a key's secret) */
	ATF_REQUIRE((buf = malloc(len + 1)) != NULL);
	if (len > 0)
		memcpy(buf, data, len);
	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.type = type;
	imsg.hdr.len = IMSG_HEADER_SIZE + len;
	imsg.data = buf;
	r = conf_recv(nconf, &imsg);
	free(buf);
	return r;
}

/*
 * Zones share their settings: those of a zone list and of zone blocks
 * naming a template without options of their own are the template's;
 * zone blocks alike, one after the other, share the first's.  A zone
 * with its own primary has its own.  Through conf_send and conf_recv
 * the sharing stays, and every setting.
 */
ATF_TC_WITHOUT_HEAD(zones_share_settings);
ATF_TC_BODY(zones_share_settings, tc)
{
	struct secd_conf	*a, *b;
	struct zone_conf	*z, *za, *zb, *t, *own;
	struct listen_conf	*l;
	const struct zone_opts	*shared;
	FILE			*f;
	char			*errs, *t1, *t2, name[32];
	int			 i, nlist = 0;

	ATF_REQUIRE((f = fopen("zones.txt", "w")) != NULL);
	for (i = 0; i < 1000; i++)
		fprintf(f, "z%d.test\n", i);
	ATF_REQUIRE(fclose(f) == 0);
	write_file("secd.conf",
	    "tsig key \"xfr\" { algorithm hmac-sha256; secret \""
	    SECRET_B64 "\" }\n"
	    "template \"std\" {\n"
	    "\tprimary 192.0.2.1 tsig \"xfr\"\n"
	    "\tprimary 2001:db8::1 port 5300\n"
	    "\tallow notify from 192.0.2.1 tsig \"xfr\"\n"
	    "\tallow notify from 192.0.2.2\n"
	    "\tproxy { address 192.0.2.80; address 2001:db8::80; ttl 60 }\n"
	    "\ttransfer max-records 1000\n"
	    "}\n"
	    "zones \"zones.txt\" template \"std\"\n"
	    "zone \"t1.test\" { template \"std\" }\n"
	    "zone \"own.test\" { template \"std\"; primary 198.51.100.1 }\n"
	    "zone \"t2.test\" { template \"std\" }\n"
	    "zone \"t3.test\" { template \"std\" }\n"
	    "zone \"a1.test\" { primary 198.51.100.9; transfer timeout 5 }\n"
	    "zone \"a2.test\" { primary 198.51.100.9; transfer timeout 5 }\n"
	    "zone \"a3.test\" { primary 198.51.100.9; transfer timeout 6 }\n");
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	ATF_CHECK_STREQ_MSG(errs, "", "a valid file printed: %s", errs);
	free(errs);
	ATF_REQUIRE_EQ(nzones(a), 1007);

	ATF_REQUIRE((t = config_zone(a, "t1.test")) != NULL);
	shared = t->opts;
	TAILQ_FOREACH(z, &a->zones, entry) {
		if (z->name[0] != 'z')
			continue;
		ATF_CHECK_MSG(z->opts == shared, "%s: settings of its own",
		    z->name);
		nlist++;
	}
	ATF_CHECK_EQ(nlist, 1000);
	ATF_REQUIRE((z = config_zone(a, "t2.test")) != NULL);
	ATF_CHECK(z->opts == shared);
	ATF_REQUIRE((z = config_zone(a, "t3.test")) != NULL);
	ATF_CHECK(z->opts == shared);
	ATF_REQUIRE((own = config_zone(a, "own.test")) != NULL);
	ATF_CHECK(own->opts != shared);
	check_sa(&TAILQ_FIRST(&own->opts->primaries)->ss, "198.51.100.1:53");
	ATF_CHECK(TAILQ_NEXT(TAILQ_FIRST(&own->opts->primaries), entry) ==
	    NULL);
	ATF_CHECK(own->opts->has_proxy);	/* the rest the template's */
	check_limits("own.test", &own->opts->limits, 0, 1000, 0);
	ATF_REQUIRE((za = config_zone(a, "a1.test")) != NULL);
	ATF_REQUIRE((zb = config_zone(a, "a2.test")) != NULL);
	ATF_CHECK(za->opts != shared && za->opts == zb->opts);
	ATF_REQUIRE((z = config_zone(a, "a3.test")) != NULL);
	ATF_CHECK(z->opts != za->opts);
	check_limits("a3.test", &z->opts->limits, 6, 0, 0);
	/* the template's, own.test's, a1.test's, a3.test's */
	ATF_CHECK_EQ(a->nopts, 4);

	b = conf_pass(a, CONF_SEND_KEYS);
	ATF_REQUIRE_MSG(b != NULL, "conf_recv refused what conf_send sent");
	ATF_CHECK_EQ(b->nopts, a->nopts);
	for (za = TAILQ_FIRST(&a->zones), zb = TAILQ_FIRST(&b->zones);
	    za != NULL && zb != NULL; za = TAILQ_NEXT(za, entry),
	    zb = TAILQ_NEXT(zb, entry)) {
		ATF_CHECK_STREQ(za->name, zb->name);
		check_same_zone(za, zb);
		/* shared with the same zones as before */
		ATF_CHECK_EQ_MSG(za->opts->id, zb->opts->id, "%s: settings "
		    "%u, expected %u", zb->name, zb->opts->id, za->opts->id);
		ATF_CHECK(zb->opts == b->opts[zb->opts->id]);
	}
	ATF_CHECK(za == NULL && zb == NULL);
	ATF_REQUIRE((z = config_zone(b, "z999.test")) != NULL);
	ATF_REQUIRE((t = config_zone(b, "t3.test")) != NULL);
	ATF_CHECK(z->opts == t->opts);
	ATF_REQUIRE((own = config_zone(b, "own.test")) != NULL);
	ATF_CHECK(own->opts != t->opts);

	/*
	 * every setting, the global ones too: printed the same.  The listen
	 * addresses go as sockets (IMSG_LISTEN_*), not with the rest.
	 */
	while ((l = TAILQ_FIRST(&a->listens)) != NULL) {
		TAILQ_REMOVE(&a->listens, l, entry);
		free(l);
	}
	ATF_REQUIRE((f = fopen("a.conf", "w")) != NULL);
	config_print_flags(f, a, CONF_PRINT_SECRETS);
	fclose(f);
	ATF_REQUIRE((f = fopen("b.conf", "w")) != NULL);
	config_print_flags(f, b, CONF_PRINT_SECRETS);
	fclose(f);
	t1 = read_file("a.conf");
	t2 = read_file("b.conf");
	ATF_CHECK_STREQ_MSG(t1, t2, "received otherwise than sent");
	free(t1);
	free(t2);
	config_free(b);

	/* without the keys (zoned, serverd): the zones the same */
	b = conf_pass(a, 0);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK(TAILQ_EMPTY(&b->keys));
	snprintf(name, sizeof(name), "z%d.test", 500);
	ATF_REQUIRE((z = config_zone(b, name)) != NULL);
	check_same_zone(config_zone(a, name), z);
	config_free(b);
	config_free(a);
}

/*
 * A zone costs its name and a few pointers: the settings are shared.  A
 * budget, so that what a zone holds cannot grow unnoticed (issue 15).
 */
ATF_TC_WITHOUT_HEAD(zone_conf_size_budget);
ATF_TC_BODY(zone_conf_size_budget, tc)
{
	struct secd_conf	*conf;
	struct zone_conf	*z;
	char			*errs;
	size_t			 namelen;

	write_file("secd.conf", "zone \"example.com\" { primary 192.0.2.1 }\n");
	conf = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(conf != NULL, "refused: %s", errs);
	free(errs);
	ATF_REQUIRE((z = config_zone(conf, "example.com")) != NULL);
	namelen = strlen(z->name);
	ATF_CHECK_MSG(sizeof(*z) + namelen + 1 <= 64 + namelen,
	    "a zone is %zu bytes and its name, expected at most 63 and it",
	    sizeof(*z));
	config_free(conf);
}

/*
 * conf_recv() refuses a configuration whose zones do not hold together:
 * a zone before any settings, an index out of range, a name without its
 * NUL last or too long, primaries after the zones, proxy counts out of
 * range.
 */
ATF_TC_WITHOUT_HEAD(conf_recv_refuses_bad_zones);
ATF_TC_BODY(conf_recv_refuses_bad_zones, tc)
{
	struct secd_conf	*base, *c;
	struct zone_opts	 o;
	struct primary_conf	 p;
	struct reconf_zone	 rz;
	uint8_t			 msg[sizeof(rz) + 300];
	size_t			 i;
	static const struct {
		const char	*what;
		uint32_t	 index;
		const char	*name;
		size_t		 len;	/* sent, the NUL too */
		int		 opts;	/* an IMSG_RECONF_OPTS first */
	} bad[] = {
		{ "zone before any opts", 0, "a.test", 7, 0 },
		{ "index out of range", 1, "a.test", 7, 1 },
		{ "no NUL", 0, "a.test", 6, 1 },
		{ "NUL inside", 0, "a\0test", 7, 1 },
		{ "empty name", 0, "", 1, 1 },
		{ "no name", 0, "", 0, 1 },
	};

	ATF_REQUIRE((base = config_new()) != NULL);
	memset(&o, 0, sizeof(o));
	memset(&rz, 0, sizeof(rz));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = NULL;
		ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base,
		    sizeof(*base)) == 0);
		if (bad[i].opts)
			ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_OPTS, &o,
			    sizeof(o)) == 0);
		rz.opts = bad[i].index;
		memcpy(msg, &rz, sizeof(rz));
		memcpy(msg + sizeof(rz), bad[i].name, bad[i].len);
		ATF_CHECK_EQ_MSG(conf_feed(&c, IMSG_RECONF_ZONE, msg,
		    sizeof(rz) + bad[i].len), -1, "%s: accepted", bad[i].what);
		ATF_CHECK(c == NULL);
	}

	/* 253 characters are a name, 254 not */
	for (i = 253; i <= 254; i++) {
		c = NULL;
		ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base,
		    sizeof(*base)) == 0);
		ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_OPTS, &o,
		    sizeof(o)) == 0);
		rz.opts = 0;
		memcpy(msg, &rz, sizeof(rz));
		memset(msg + sizeof(rz), 'a', i);
		msg[sizeof(rz) + i] = '\0';
		ATF_CHECK_EQ_MSG(conf_feed(&c, IMSG_RECONF_ZONE, msg,
		    sizeof(rz) + i + 1), i == 253 ? 0 : -1, "name of %zu", i);
		if (i == 253) {
			ATF_CHECK(conf_feed(&c, IMSG_RECONF_END, NULL, 0) == 1);
			ATF_CHECK_EQ(strlen(TAILQ_FIRST(&c->zones)->name), 253);
			config_free(c);
		}
	}

	/* primaries belong to settings, before the zones */
	memset(&p, 0, sizeof(p));
	c = NULL;
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base, sizeof(*base)) == 0);
	ATF_CHECK(conf_feed(&c, IMSG_RECONF_PRIMARY, &p, sizeof(p)) == -1);
	c = NULL;
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base, sizeof(*base)) == 0);
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_OPTS, &o, sizeof(o)) == 0);
	memcpy(msg, &rz, sizeof(rz));
	memcpy(msg + sizeof(rz), "a.test", 7);
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_ZONE, msg, sizeof(rz) + 7) == 0);
	ATF_CHECK(conf_feed(&c, IMSG_RECONF_PRIMARY, &p, sizeof(p)) == -1);
	c = NULL;
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base, sizeof(*base)) == 0);
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_OPTS, &o, sizeof(o)) == 0);
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_ZONE, msg, sizeof(rz) + 7) == 0);
	ATF_CHECK(conf_feed(&c, IMSG_RECONF_OPTS, &o, sizeof(o)) == -1);

	/* the proxy counts of the settings */
	o.proxy.n4 = SECD_PROXY_MAX + 1;
	c = NULL;
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base, sizeof(*base)) == 0);
	ATF_CHECK(conf_feed(&c, IMSG_RECONF_OPTS, &o, sizeof(o)) == -1);
	o.proxy.n4 = 0;
	o.proxy.n6 = -1;
	c = NULL;
	ATF_REQUIRE(conf_feed(&c, IMSG_RECONF_CONF, base, sizeof(*base)) == 0);
	ATF_CHECK(conf_feed(&c, IMSG_RECONF_OPTS, &o, sizeof(o)) == -1);
	config_free(base);
}

/* catalog template: its errors at their line. */
ATF_TC_WITHOUT_HEAD(catalog_errors);
ATF_TC_BODY(catalog_errors, tc)
{
	write_file("t.conf",
	    "zone cat.test {\n"
	    "\tcatalog template \"m\"\n"
	    "\tprimary 192.0.2.1\n"
	    "}\n");
	check_error("t.conf", "t.conf:2",
	    "zone cat.test: template \"m\" is not defined");
	write_file("t.conf",
	    "template \"m\" { primary 192.0.2.1 }\n"
	    "zone cat.test {\n"
	    "\tcatalog template \"m\"\n"
	    "\tcatalog template \"m\"\n"
	    "\tprimary 192.0.2.1\n"
	    "}\n");
	check_error("t.conf", "t.conf:4", "zone cat.test: catalog given twice");
	write_file("t.conf",
	    "template \"m\" { primary 192.0.2.1 }\n"
	    "template \"n\" {\n"
	    "\tcatalog template \"m\"\n"
	    "}\n");
	check_error("t.conf", "t.conf:3",
	    "template \"n\": catalog is for a zone, not a template");
}

/*
 * A catalog's members (its NAME.cat in the database) join the
 * configuration read: with the template of their group or the catalog's,
 * those configured or whose group names no template refused; through
 * conf_send and conf_recv each keeps its catalog; secd -nv prints the
 * templates, and its output is read back the same.
 */
ATF_TC_WITHOUT_HEAD(catalog_members_join);
ATF_TC_BODY(catalog_members_join, tc)
{
	struct secd_conf	*a, *b;
	struct zone_conf	*cat, *z;
	char			 cwd[PATH_MAX], text[PATH_MAX + 512];
	char			 names[256];
	char			*errs;
	FILE			*f;
	int			 reset;

	log_init(1, LOG_DAEMON);	/* refusals to stderr */
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(mkdir("db", 0755) == 0);
	snprintf(text, sizeof(text), "database \"%s/db\"\n"
	    "template \"m\" { primary 192.0.2.1 }\n"
	    "template \"g\" { primary 192.0.2.2 }\n"
	    "zone conf.test { primary 192.0.2.3 }\n"
	    "zone cat.test { catalog template \"m\"; primary 192.0.2.4 }\n",
	    cwd);
	write_file("secd.conf", text);
	write_file("db/cat.test.cat", "secd catalog 1 serial 7\n"
	    "a.test id1 - -\n"
	    "b.test id2 g -\n"
	    "c.test id4 nosuch -\n"
	    "conf.test id3 - -\n"
	    "d.test id5 - other.test\n");
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	ATF_CHECK_MSG(strstr(errs, "zone conf.test of catalog cat.test: "
	    "refused: configured in") != NULL, "%s", errs);
	ATF_CHECK_MSG(strstr(errs, "zone c.test of catalog cat.test: "
	    "refused: its group \"nosuch\" names no template") != NULL,
	    "%s", errs);
	free(errs);
	ATF_CHECK_STREQ(zone_names(a, names, sizeof(names)),
	    "conf.test cat.test a.test b.test d.test");
	ATF_REQUIRE((cat = config_zone(a, "cat.test")) != NULL);
	ATF_CHECK(cat->owner == NULL && cat->opts->catalog != 0);
	ATF_REQUIRE((z = config_zone(a, "a.test")) != NULL);
	ATF_CHECK(z->owner == cat);
	check_sa(&TAILQ_FIRST(&z->opts->primaries)->ss, "192.0.2.1:53");
	ATF_REQUIRE((z = config_zone(a, "b.test")) != NULL);
	check_sa(&TAILQ_FIRST(&z->opts->primaries)->ss, "192.0.2.2:53");
	ATF_CHECK(config_zone(a, "conf.test")->owner == NULL);

	b = conf_pass(a, 0);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_STREQ(zone_names(b, names, sizeof(names)),
	    "conf.test cat.test a.test b.test d.test");
	ATF_CHECK(config_zone(b, "d.test")->owner ==
	    config_zone(b, "cat.test"));
	ATF_CHECK(config_zone(b, "conf.test")->owner == NULL);
	ATF_CHECK(config_zone(b, "cat.test")->opts->catalog ==
	    cat->opts->catalog);
	config_free(b);

	ATF_REQUIRE((f = fopen("printed.conf", "w")) != NULL);
	config_print_flags(f, a, 0);
	fclose(f);
	b = parse_capture("printed.conf", &errs);
	ATF_REQUIRE_MSG(b != NULL, "printed file refused: %s", errs);
	free(errs);
	ATF_CHECK_STREQ(zone_names(b, names, sizeof(names)),
	    "conf.test cat.test a.test b.test d.test");
	config_free(b);

	/* a new file: the members it has, no others */
	write_file("db/cat.test.cat", "secd catalog 1 serial 8\n"
	    "a.test id1 - -\ne.test id9 g -\n");
	ATF_CHECK_EQ(catalog_members(a, cat, NULL), 2);
	ATF_CHECK_STREQ(zone_names(a, names, sizeof(names)),
	    "conf.test cat.test a.test e.test");
	ATF_CHECK(config_zone(a, "b.test") == NULL);
	/* a member whose ID changed: out, then in again (a reset) */
	write_file("db/cat.test.cat", "secd catalog 1 serial 9\n"
	    "a.test id7 - -\ne.test id9 g -\n");
	ATF_CHECK_EQ(catalog_members(a, cat, &reset), 1);
	ATF_CHECK_EQ(reset, 1);
	ATF_CHECK_STREQ(zone_names(a, names, sizeof(names)),
	    "conf.test cat.test e.test");
	ATF_CHECK_EQ(catalog_members(a, cat, &reset), 2);
	ATF_CHECK_EQ(reset, 0);
	ATF_CHECK_STREQ(zone_names(a, names, sizeof(names)),
	    "conf.test cat.test a.test e.test");
	/* a file that cannot be read changes nothing; none, no members */
	write_file("db/cat.test.cat", "secd catalog 1 serial 9\na.test\n");
	ATF_CHECK_EQ(catalog_members(a, cat, NULL), -1);
	ATF_CHECK_STREQ(zone_names(a, names, sizeof(names)),
	    "conf.test cat.test a.test e.test");
	ATF_REQUIRE(unlink("db/cat.test.cat") == 0);
	ATF_CHECK_EQ(catalog_members(a, cat, NULL), 0);
	ATF_CHECK_STREQ(zone_names(a, names, sizeof(names)),
	    "conf.test cat.test");
	config_free(a);
}

/*
 * provide transfer, notify and serial policy: a template's taken, a
 * zone's own lines replacing them; printed and parsed again the same;
 * through conf_send and conf_recv whole, the keys of provide transfer
 * alone to a serverd.
 */
static const char fleet_conf[] =
    "tsig key \"xfr\" { algorithm hmac-sha256; secret \"" SECRET_B64 "\" }\n"
    "tsig key \"fleet\" { algorithm hmac-sha256; secret \"" SECRET_B64
    "\" }\n"
    "template \"edge\" {\n"
    "\tprimary 192.0.2.1 tsig \"xfr\"\n"
    "\tprovide transfer to 198.51.100.0/24 tsig \"fleet\"\n"
    "\tprovide transfer to 2001:db8::5\n"
    "\tnotify 198.51.100.10 tsig \"fleet\"\n"
    "\tnotify 2001:db8::5 port 5353\n"
    "\tserial policy unixtime\n"
    "}\n"
    "zone \"a.test\" { template \"edge\" }\n"
    "zone \"b.test\" {\n"
    "\ttemplate \"edge\"\n"
    "\tprovide transfer to 127.0.0.1\n"
    "\tnotify 127.0.0.1 port 5300\n"
    "\tserial policy increment modulo 1/4\n"
    "}\n";

ATF_TC_WITHOUT_HEAD(fleet_settings);
ATF_TC_BODY(fleet_settings, tc)
{
	struct secd_conf		*a, *b, *c;
	const struct zone_conf		*za, *zb;
	const struct xfrout_acl		*x;
	const struct primary_conf	*p;
	const struct tsig_key		*k;
	char				*errs, *t1, *t2;
	FILE				*f;
	int				 n;

	write_file("secd.conf", fleet_conf);
	a = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	za = TAILQ_FIRST(&a->zones);
	zb = TAILQ_NEXT(za, entry);
	x = TAILQ_FIRST(&za->opts->xfrouts);
	ATF_REQUIRE(x != NULL);
	ATF_CHECK_EQ(x->net.plen, 24);
	ATF_CHECK_STREQ(x->tsig, "fleet");
	ATF_REQUIRE((x = TAILQ_NEXT(x, entry)) != NULL);
	ATF_CHECK_EQ(x->net.plen, 128);
	ATF_CHECK_STREQ(x->tsig, "");
	ATF_CHECK(TAILQ_NEXT(x, entry) == NULL);
	p = TAILQ_FIRST(&za->opts->notifyouts);
	ATF_REQUIRE(p != NULL);
	ATF_CHECK_EQ(ntohs(((const struct sockaddr_in *)&p->ss)->sin_port),
	    53);
	ATF_CHECK_STREQ(p->tsig, "fleet");
	ATF_REQUIRE((p = TAILQ_NEXT(p, entry)) != NULL);
	ATF_CHECK_EQ(ntohs(((const struct sockaddr_in6 *)&p->ss)->sin6_port),
	    5353);
	ATF_CHECK_EQ(za->opts->serial_policy, SERIAL_UNIXTIME);
	/* b.test's own lines replace the template's lists */
	x = TAILQ_FIRST(&zb->opts->xfrouts);
	ATF_REQUIRE(x != NULL);
	ATF_CHECK_EQ(x->net.plen, 32);
	ATF_CHECK(TAILQ_NEXT(x, entry) == NULL);
	p = TAILQ_FIRST(&zb->opts->notifyouts);
	ATF_REQUIRE(p != NULL);
	ATF_CHECK(TAILQ_NEXT(p, entry) == NULL);
	ATF_CHECK_EQ(zb->opts->serial_policy, SERIAL_INCREMENT);
	ATF_CHECK_EQ(zb->opts->serial_mod_r, 1);
	ATF_CHECK_EQ(zb->opts->serial_mod_m, 4);
	ATF_CHECK(za->opts != zb->opts);

	ATF_REQUIRE((f = fopen("printed.conf", "w")) != NULL);
	config_print_flags(f, a, CONF_PRINT_SECRETS);
	fclose(f);
	t1 = read_file("printed.conf");
	ATF_CHECK_MSG(strstr(t1, "provide transfer to 198.51.100.0/24 tsig "
	    "\"fleet\"") != NULL && strstr(t1, "notify 2001:db8::5 port "
	    "5353") != NULL && strstr(t1, "serial policy unixtime") != NULL &&
	    strstr(t1, "serial policy increment modulo 1/4") != NULL,
	    "printed:\n%s", t1);
	b = parse_capture("printed.conf", &errs);
	ATF_REQUIRE_MSG(b != NULL, "printed file refused: %s\n%s", errs, t1);
	free(errs);
	ATF_CHECK(config_opts_same(TAILQ_FIRST(&a->zones)->opts,
	    TAILQ_FIRST(&b->zones)->opts));
	ATF_REQUIRE((f = fopen("printed2.conf", "w")) != NULL);
	config_print_flags(f, b, CONF_PRINT_SECRETS);
	fclose(f);
	t2 = read_file("printed2.conf");
	ATF_CHECK_STREQ(t1, t2);
	free(t1);
	free(t2);

	/* a serverd gets the settings and the key "fleet" alone */
	c = conf_pass(a, CONF_SEND_XFRKEYS);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK(config_opts_same(TAILQ_FIRST(&a->zones)->opts,
	    TAILQ_FIRST(&c->zones)->opts));
	ATF_CHECK(config_opts_same(TAILQ_NEXT(TAILQ_FIRST(&a->zones),
	    entry)->opts, TAILQ_NEXT(TAILQ_FIRST(&c->zones), entry)->opts));
	n = 0;
	TAILQ_FOREACH(k, &c->keys, entry) {
		ATF_CHECK_STREQ(k->name, "fleet");
		n++;
	}
	ATF_CHECK_EQ(n, 1);
	config_free(a);
	config_free(b);
	config_free(c);
}

/* provide transfer, notify, serial policy: their errors at their line. */
ATF_TC_WITHOUT_HEAD(fleet_errors);
ATF_TC_BODY(fleet_errors, tc)
{
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tprovide transfer to 198.51.100.0/33\n}\n");
	check_error("t.conf", "t.conf:3", "provide transfer to: "
	    "\"198.51.100.0/33\" is not an address or ADDRESS/PREFIX");
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tprovide transfer to 127.0.0.1 tsig \"nokey\"\n}\n");
	check_error("t.conf", "t.conf:3", "nokey");
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tprovide transfer to 127.0.0.1\n"
	    "\tprovide transfer to 127.0.0.1/32\n}\n");
	check_error("t.conf", "t.conf:4", "zone a.test: provide transfer to "
	    "127.0.0.1/32 given twice");
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tnotify 127.0.0.1 port 5300\n"
	    "\tnotify 127.0.0.1 port 5300\n}\n");
	check_error("t.conf", "t.conf:4", "zone a.test: notify 127.0.0.1");
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tnotify 127.0.0.1 port 0\n}\n");
	check_error("t.conf", "t.conf:3", "port");
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tserial policy dateserial\n}\n");
	check_error("t.conf", "t.conf:3", "zone a.test: serial policy "
	    "\"dateserial\": increment or unixtime");
	write_file("t.conf",
	    "zone a.test {\n\tprimary 192.0.2.1\n"
	    "\tserial policy increment modulo 2/2\n}\n");
	check_error("t.conf", "t.conf:3", "zone a.test: serial policy modulo "
	    "\"2/2\": R/M, M from 2 to 1000, R below M");
}

/*
 * metrics listen on: address literals with a port, each once, not "*";
 * printed by secd -nv as read.
 */
ATF_TC_WITHOUT_HEAD(metrics_listen);
ATF_TC_BODY(metrics_listen, tc)
{
	struct secd_conf	*a;
	struct listen_conf	*l;
	char			*errs;

	write_file("t.conf", "metrics listen on 127.0.0.1 port 9153\n"
	    "metrics listen on ::1 port 9153\n"
	    "zone a.test { primary 192.0.2.1 }\n");
	a = parse_capture("t.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_REQUIRE((l = TAILQ_FIRST(&a->metrics)) != NULL);
	ATF_CHECK_STREQ(sa_str(&l->ss), "127.0.0.1:9153");
	ATF_REQUIRE((l = TAILQ_NEXT(l, entry)) != NULL);
	ATF_CHECK_EQ(l->ss.ss_family, AF_INET6);
	ATF_CHECK(TAILQ_NEXT(l, entry) == NULL);
	/* no metrics line: no metrics (and no metricsd) */
	config_free(a);
	write_file("t.conf", "zone a.test { primary 192.0.2.1 }\n");
	a = parse_capture("t.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_CHECK(TAILQ_EMPTY(&a->metrics));
	config_free(a);

	write_file("t.conf", "metrics listen on * port 9153\n");
	check_error("t.conf", "t.conf:1", "metrics listen on: \"*\" is for "
	    "listen on only");
	write_file("t.conf", "metrics listen on 127.0.0.1\n");
	check_error("t.conf", "t.conf:1", "metrics listen on 127.0.0.1: a port "
	    "is required");
	write_file("t.conf", "metrics listen on 127.0.0.1 port 9153\n"
	    "metrics listen on 127.0.0.1 port 9153\n");
	check_error("t.conf", "t.conf:2", "given twice, or as listen on");
	write_file("t.conf", "listen on 127.0.0.1 port 9153\n"
	    "metrics listen on 127.0.0.1 port 9153\n");
	check_error("t.conf", "t.conf:2", "given twice, or as listen on");
	write_file("t.conf", "metrics listen on localhost port 9153\n");
	check_error("t.conf", "t.conf:1", "host names are not allowed");
	write_file("t.conf", "metrics listen on 127.0.0.1 port 70000\n");
	check_error("t.conf", "t.conf:1", "port");
}

/*
 * zone "NAME" template "T" on one line; catalog produce: a zone without
 * a primary, its errors at their line.
 */
ATF_TC_WITHOUT_HEAD(one_line_zone_and_produce);
ATF_TC_BODY(one_line_zone_and_produce, tc)
{
	struct secd_conf	*a;
	const struct zone_conf	*z;
	char			*errs;

	write_file("t.conf",
	    "template \"edge\" { primary 192.0.2.1\n"
	    "\tprovide transfer to 127.0.0.1 }\n"
	    "zone \"a.test\" template \"edge\"\n"
	    "zone \"cat.test\" { catalog produce\n"
	    "\tprovide transfer to 127.0.0.1 }\n");
	a = parse_capture("t.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	z = TAILQ_FIRST(&a->zones);
	ATF_CHECK_STREQ(z->name, "a.test");
	ATF_CHECK_STREQ(z->opts->tmpl, "edge");
	ATF_CHECK(!TAILQ_EMPTY(&z->opts->xfrouts));
	z = TAILQ_NEXT(z, entry);
	ATF_CHECK_STREQ(z->name, "cat.test");
	ATF_CHECK_EQ(z->opts->produce, 1);
	ATF_CHECK(TAILQ_EMPTY(&z->opts->primaries));
	config_free(a);
	write_file("t.conf",
	    "zone \"cat.test\" { catalog produce\n"
	    "\tprimary 192.0.2.1 }\n");
	check_error("t.conf", "t.conf:1", "zone cat.test: a catalog secd "
	    "produces has no primary");
	write_file("t.conf",
	    "template \"t\" {\n\tcatalog produce\n}\n");
	check_error("t.conf", "t.conf:2",
	    "template \"t\": catalog is for a zone, not a template");
	write_file("t.conf",
	    "provide transfer max-concurrent 20\n"
	    "provide transfer max-per-source 3\n"
	    "zone \"a.test\" { primary 192.0.2.1 }\n");
	a = parse_capture("t.conf", &errs);
	ATF_REQUIRE_MSG(a != NULL, "refused: %s", errs);
	free(errs);
	ATF_CHECK_EQ(a->xfrout_max, 20);
	ATF_CHECK_EQ(a->xfrout_per_source, 3);
	config_free(a);
	write_file("t.conf", "provide transfer max-per-source 0\n");
	check_error("t.conf", "t.conf:1",
	    "provide transfer max-per-source 0: 1..1024");
	write_file("t.conf", "zone \"a.test\" template \"nosuch\"\n");
	check_error("t.conf", "t.conf:1", "template \"nosuch\" is not "
	    "defined");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, full_example_every_field);
	ATF_TP_ADD_TC(tp, catalog_errors);
	ATF_TP_ADD_TC(tp, catalog_members_join);
	ATF_TP_ADD_TC(tp, defaults_and_default_listen);
	ATF_TP_ADD_TC(tp, listen_star_is_both_families);
	ATF_TP_ADD_TC(tp, lexer_details);
	ATF_TP_ADD_TC(tp, cmdline_macro_overrides_file);
	ATF_TP_ADD_TC(tp, bad_configs_file_line_message);
	ATF_TP_ADD_TC(tp, every_error_reported);
	ATF_TP_ADD_TC(tp, secret_never_printed);
	ATF_TP_ADD_TC(tp, print_round_trip);
	ATF_TP_ADD_TC(tp, tcp_limits);
	ATF_TP_ADD_TC(tp, transfer_limits_defaults);
	ATF_TP_ADD_TC(tp, transfer_limits_parsed);
	ATF_TP_ADD_TC(tp, transfer_limits_zone_overrides_global);
	ATF_TP_ADD_TC(tp, transfer_limits_print_round_trip);
	ATF_TP_ADD_TC(tp, base64_strict);
	ATF_TP_ADD_TC(tp, helpers);
	ATF_TP_ADD_TC(tp, template_applied);
	ATF_TP_ADD_TC(tp, template_errors);
	ATF_TP_ADD_TC(tp, zone_list_comments_blank);
	ATF_TP_ADD_TC(tp, zone_list_duplicates);
	ATF_TP_ADD_TC(tp, zone_list_bad_name);
	ATF_TP_ADD_TC(tp, zone_list_unreadable);
	ATF_TP_ADD_TC(tp, zone_list_relative_path);
	ATF_TP_ADD_TC(tp, template_print_round_trip);
	ATF_TP_ADD_TC(tp, zones_share_settings);
	ATF_TP_ADD_TC(tp, zone_conf_size_budget);
	ATF_TP_ADD_TC(tp, conf_recv_refuses_bad_zones);
	ATF_TP_ADD_TC(tp, fleet_settings);
	ATF_TP_ADD_TC(tp, fleet_errors);
	ATF_TP_ADD_TC(tp, one_line_zone_and_produce);
	ATF_TP_ADD_TC(tp, metrics_listen);
	return atf_no_error();
}
