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
 * A query against served images (serverd/answer.c answer_query): the
 * zone example.com with wildcards, CNAME chains, DNAMEs, delegations,
 * a proxied name and an apex CNAME flattened (zoned/merge.c
 * merge_zone), and signed.example signed with NSEC3 by the test signer
 * (regress/image/tsign.h).  Bit 0 of the query ID picks TCP.  An AXFR
 * or IXFR goes to serverd/xfrout.c, from 127.0.0.1, which both zones
 * let transfer them: every message of the transfer is made.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <err.h>

#include "serverd/xfrout.h"
#include "tsign.h"
#include "zoned/merge.h"
#include "zoned/override.h"
#include "fuzz.h"

static const char *const plain_lines[] = {
	"@ 3600 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"@ 3600 NS ns2.example.net.",
	"@ 3600 MX 10 mail",
	"ns1 3600 A 192.0.2.53",
	"ns1 3600 AAAA 2001:db8::53",
	"mail 3600 A 192.0.2.25",
	"www 300 A 192.0.2.80",
	"www 300 AAAA 2001:db8::80",
	"txt 60 TXT hello world",
	"unk 60 TYPE65280 deadbeef",
	"a.b.c 60 A 192.0.2.99",
	"*.w 120 A 192.0.2.200",
	"*.w 120 MX 10 mail",
	"host.w 120 TXT real",
	"_dns._tcp 60 SRV 0 0 53 ns1",
	"alias 60 CNAME www",
	"alias2 70 CNAME alias",
	"out 60 CNAME www.example.net.",
	"loop1 60 CNAME loop2",
	"loop2 60 CNAME loop1",
	"*.c2 60 CNAME www",
	"sub 3600 NS ns.sub",
	"sub 3600 DS 04d2 08 02 abcdef0123456789",
	"ns.sub 3600 A 192.0.2.54",
	"dn 600 DNAME example.net.",
	"dnin 500 DNAME tgtz",
	"www.tgtz 60 A 192.0.2.66",
	NULL
};

static const char *const signed_lines[] = {
	"@ 3600 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"ns1 3600 A 192.0.2.53",
	"www 300 A 192.0.2.80",
	"*.w 120 A 192.0.2.200",
	"alias 60 CNAME www",
	"sub 3600 NS ns.sub",
	"sub 3600 DS 04d2 08 02 abcdef0123456789",
	"ns.sub 3600 A 192.0.2.54",
	"insec 3600 NS ns.insec",
	"ns.insec 3600 A 192.0.2.55",
	"a.b.c 60 TXT deep",
	"dn 600 DNAME example.net.",
	NULL
};

static struct tzone	 plain, signd;
static uint8_t		 resp[DNS_MAXMSG];

/* example.com with www proxied and the apex a CNAME to alias. */
static void
serve_plain(void)
{
	struct overrides	 o;
	struct proxy_conf	 pc;
	struct merged		 m;
	struct zone_src		 src;
	uint8_t			 name[DNS_MAXNAME];
	size_t			 len;
	char			 why[256];
	int			 fd;

	tz_init(&plain, "example.com");
	tz_lines(&plain, plain_lines);
	src = tz_src(&plain);
	memset(&o, 0, sizeof(o));
	memset(&pc, 0, sizeof(pc));
	pc.ttl = 30;
	pc.n4 = 1;
	pc.v4[0].s_addr = htonl(0xc6336401);
	if (dns_name_from_text("www.example.com", name, &len) == -1 ||
	    over_set(&o, name, len, 1, "fuzz") == -1 ||
	    dns_name_from_text("alias.example.com", o.apex.target,
	    &o.apex.targetlen) == -1)
		abort();
	o.apex.set = 1;
	if (merge_zone(&src, &o, &pc, 0, &m, why, sizeof(why)) == -1)
		errx(1, "merge_zone: %s", why);
	m.src.xfrout = 1;
	fd = tz_tmpfd();
	if (builder_build(&m.src, NULL, fd, NULL, why, sizeof(why)) == -1 ||
	    tz_zones_set("example.com", fd, plain.serial, why, sizeof(why)) == -1)
		errx(1, "example.com: %s", why);
	close(fd);
	merge_free(&m);
	over_free(&o);
}

static void
serve_signed(void)
{
	char	 why[256];
	int	 fd;

	tz_init(&signd, "signed.example");
	signd.xfrout = 1;
	tz_lines(&signd, signed_lines);
	ts_sign(&signd, TS_NSEC3, 1, "abcd", 1, 2000000000U);
	if ((fd = tz_build(&signd, why, sizeof(why))) == -1 ||
	    tz_zones_set("signed.example", fd, signd.serial, why,
	    sizeof(why)) == -1)
		errx(1, "signed.example: %s", why);
	close(fd);
}

/* A transfer out of the query, made whole: each message fits. */
static int
transfer(const uint8_t *data, size_t len, int tcp)
{
	static struct tsig_keys		 nokeys =
	    TAILQ_HEAD_INITIALIZER(nokeys);
	struct sockaddr_storage		 ss;
	struct sockaddr_in		*sin = (struct sockaddr_in *)&ss;
	struct xfrout			*xo;
	size_t				 n;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = xfrout_begin(data, len, &ss, tcp, &nokeys, resp, sizeof(resp),
	    &xo);
	if (n > sizeof(resp))
		__builtin_trap();
	while (xo != NULL && (n = xfrout_next(xo, resp, sizeof(resp))) > 0)
		if (n > sizeof(resp))
			__builtin_trap();
	if (xo != NULL && xfrout_done(xo) != 1)
		__builtin_trap();
	xfrout_free(xo);
	return (0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[] = { "example.com",
	    "signed.example", NULL };

	tz_configure(names);
	serve_plain();
	serve_signed();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct answer_info	 ai;
	size_t			 n;
	int			 tcp;

	memset(&ai, 0, sizeof(ai));
	tcp = len > 1 && (data[1] & 1);
	n = answer_query(data, len, resp, sizeof(resp), tcp, NULL, &ai);
	if (ai.xfr)
		return (transfer(data, len, tcp));
	/* a reply never passes the room given, over UDP our EDNS size */
	if (n > sizeof(resp) || (!tcp && n > 1232))
		__builtin_trap();
	return (0);
}
