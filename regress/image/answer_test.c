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
 * serverd/answer.c and serverd/zones.c over images built by
 * zoned/builder.c: what a query gets, record by record.
 */

#include "tzone.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define SOA_TEXT	"example.com. 300 SOA ns1.example.com. " \
			"hostmaster.example.com. 2024010101 7200 3600 " \
			"1209600 300"

static const char *const zone_lines[] = {
	"@ 3600 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"@ 3600 NS ns2.example.net.",
	"@ 3600 MX 10 mail",
	"@ 3600 A 192.0.2.1",
	"ns1 3600 A 192.0.2.53",
	"ns1 3600 AAAA 2001:db8::53",
	"mail 3600 A 192.0.2.25",
	"mail 3600 AAAA 2001:db8::25",
	"www 300 A 192.0.2.80",
	"www 300 A 192.0.2.81",
	"txt 60 TXT hello world",
	"unk 60 TYPE65280 deadbeef",
	"a.b.c 60 A 192.0.2.99",
	"*.w 120 A 192.0.2.200",
	"*.w 120 MX 10 mail",
	"host.w 120 TXT real",
	"*.e 120 A 192.0.2.201",
	"x.y.e 120 A 192.0.2.202",
	"_dns._tcp 60 SRV 0 0 53 ns1",
	"alias 60 CNAME www",
	"alias2 70 CNAME alias",
	"alias3 80 CNAME alias2",
	"wal 60 CNAME foo.w",
	"out 60 CNAME www.example.net.",
	"loop1 60 CNAME loop2",
	"loop2 60 CNAME loop1",
	"dang 60 CNAME nothere",
	"nod 60 CNAME txt",
	"*.c2 60 CNAME www",
	"incut 60 CNAME x.sub",
	"sub 3600 NS ns.sub",
	"sub 3600 NS ns1",
	"sub 3600 DS 04d2 08 02 abcdef0123456789",
	"ns.sub 3600 A 192.0.2.54",
	"ns.sub 3600 AAAA 2001:db8::54",
	"deep.ns.sub 3600 A 192.0.2.55",
	"nods 3600 NS ns.elsewhere.net.",
	"dn 600 DNAME example.net.",
	"dnin 500 DNAME tgtz",
	"www.tgtz 60 A 192.0.2.66",
	"yx 400 DNAME aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
	    "cccccccccccccccccccccccccccccccccccccccc."
	    "dddddddddddddddddddddddddddddddddddddddd.example.net.",
	NULL
};

static struct tzone	 tz;

static void
std_zone(void)
{
	tz_zone(&tz, "example.com", zone_lines);
}

ATF_TC_WITHOUT_HEAD(exact_a_keeps_query_case);
ATF_TC_BODY(exact_a_keeps_query_case, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("WwW.ExAmPlE.CoM", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_FLAG(r, DNS_F_QR, 1);
	CHECK_FLAG(r, DNS_F_RD, 1);
	CHECK_FLAG(r, DNS_F_RA, 0);
	CHECK_FLAG(r, DNS_F_TC, 0);
	ATF_CHECK_EQ(r->h.id, 0x1234);
	ATF_CHECK_STREQ(r->qname, "WwW.ExAmPlE.CoM.");
	CHECK_SECT(r, 0, "WwW.ExAmPlE.CoM. 300 A 192.0.2.80|"
	    "WwW.ExAmPlE.CoM. 300 A 192.0.2.81");
	CHECK_SECT(r, 1, "");
	CHECK_SECT(r, 2, "");
	ATF_CHECK(!r->opt);
	ATF_CHECK_EQ(r->ai.rcode, 0);
	ATF_CHECK_EQ(r->ai.qtype, DNS_T_A);
}

ATF_TC_WITHOUT_HEAD(mx_gets_additional_addresses);
ATF_TC_BODY(mx_gets_additional_addresses, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("example.com", DNS_T_MX, NULL);
	CHECK_SECT(r, 0, "example.com. 3600 MX 10 mail.example.com.");
	CHECK_SECT(r, 1, "");
	CHECK_SECT(r, 2, "mail.example.com. 3600 A 192.0.2.25|"
	    "mail.example.com. 3600 AAAA 2001:db8::25");
	/* the wildcard's MX points at the same host */
	r = tq_ask("Some.Thing.w.example.com", DNS_T_MX, NULL);
	CHECK_SECT(r, 0, "Some.Thing.w.example.com. 120 MX 10 "
	    "mail.example.com.");
	CHECK_SECT(r, 2, "mail.example.com. 3600 A 192.0.2.25|"
	    "mail.example.com. 3600 AAAA 2001:db8::25");
}

ATF_TC_WITHOUT_HEAD(ns_and_srv_get_additional_addresses);
ATF_TC_BODY(ns_and_srv_get_additional_addresses, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("example.com", DNS_T_NS, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "example.com. 3600 NS ns1.example.com.|"
	    "example.com. 3600 NS ns2.example.net.");
	CHECK_SECT(r, 2, "ns1.example.com. 3600 A 192.0.2.53|"
	    "ns1.example.com. 3600 AAAA 2001:db8::53");
	r = tq_ask("_dns._tcp.example.com", DNS_T_SRV, NULL);
	CHECK_SECT(r, 0, "_dns._tcp.example.com. 60 SRV 0 0 53 "
	    "ns1.example.com.");
	CHECK_SECT(r, 2, "ns1.example.com. 3600 A 192.0.2.53|"
	    "ns1.example.com. 3600 AAAA 2001:db8::53");
}

ATF_TC_WITHOUT_HEAD(txt_and_unknown_type);
ATF_TC_BODY(txt_and_unknown_type, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("txt.example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "txt.example.com. 60 TXT \"hello world\"");
	r = tq_ask("unk.example.com", 65280, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "unk.example.com. 60 TYPE65280 \\# 4 DEADBEEF");
}

ATF_TC_WITHOUT_HEAD(nxdomain_has_soa_with_negative_ttl);
ATF_TC_BODY(nxdomain_has_soa_with_negative_ttl, tc)
{
	static const char *const names[] = {
		"x", "nope", "a.very.long.name.that.does.not.exist",
		"NoPe.Deep.Er", "0123456789012345678901234567890123456789"
		    "012345678901234567890.abc", NULL
	};
	struct treply	*r;
	char		 q[DNS_MAXNAMESTR], want[2048];
	int		 i;

	std_zone();
	for (i = 0; names[i] != NULL; i++) {
		snprintf(q, sizeof(q), "%s.ExAmple.com", names[i]);
		r = tq_ask(q, DNS_T_A, NULL);
		CHECK_RCODE(r, DNS_R_NXDOMAIN);
		CHECK_FLAG(r, DNS_F_AA, 1);
		snprintf(want, sizeof(want), "%s.", q);
		ATF_CHECK_STREQ(r->qname, want);
		CHECK_SECT(r, 0, "");
		snprintf(want, sizeof(want), "ExAmple.com. 300 SOA "
		    "ns1.ExAmple.com. hostmaster.ExAmple.com. 2024010101 "
		    "7200 3600 1209600 300");
		CHECK_SECT(r, 1, want);
		ATF_CHECK_EQ(r->ai.rcode, DNS_R_NXDOMAIN);
	}
}

ATF_TC_WITHOUT_HEAD(nodata_has_soa);
ATF_TC_BODY(nodata_has_soa, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("www.example.com", DNS_T_AAAA, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "");
	CHECK_SECT(r, 1, SOA_TEXT);
	r = tq_ask("example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "");
	CHECK_SECT(r, 1, SOA_TEXT);
}

ATF_TC_WITHOUT_HEAD(empty_non_terminal_is_nodata);
ATF_TC_BODY(empty_non_terminal_is_nodata, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("b.c.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "");
	CHECK_SECT(r, 1, SOA_TEXT);
	r = tq_ask("c.example.com", DNS_T_ANY, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "");
	/* y.e is an empty non-terminal: no wildcard under it, *.e not used */
	r = tq_ask("y.e.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "");
	r = tq_ask("z.y.e.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	CHECK_SECT(r, 0, "");
	r = tq_ask("q.b.c.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
}

ATF_TC_WITHOUT_HEAD(wildcard_synthesis_any_length);
ATF_TC_BODY(wildcard_synthesis_any_length, tc)
{
	struct treply	*r;
	char		 q[DNS_MAXNAMESTR], label[64], want[1200];
	int		 i, j;

	std_zone();
	for (i = 1; i <= 63; i += 3) {
		for (j = 0; j < i; j++)
			label[j] = "aBcDeFgHiJ"[j % 10];
		label[i] = '\0';
		snprintf(q, sizeof(q), "%s.W.example.com", label);
		r = tq_ask(q, DNS_T_A, NULL);
		CHECK_RCODE(r, DNS_R_NOERROR);
		CHECK_FLAG(r, DNS_F_AA, 1);
		snprintf(want, sizeof(want), "%s. 120 A 192.0.2.200", q);
		CHECK_SECT(r, 0, want);
		r = tq_ask(q, DNS_T_MX, NULL);
		snprintf(want, sizeof(want), "%s. 120 MX 10 mail.example.com.",
		    q);
		CHECK_SECT(r, 0, want);
		CHECK_SECT(r, 2, "mail.example.com. 3600 A 192.0.2.25|"
		    "mail.example.com. 3600 AAAA 2001:db8::25");
		/* more labels below the wildcard */
		snprintf(q, sizeof(q), "%s.%s.x.w.Example.com", label, label);
		r = tq_ask(q, DNS_T_MX, NULL);
		/* names are compressed against the query's: its case */
		snprintf(want, sizeof(want), "%s. 120 MX 10 mail.Example.com.",
		    q);
		CHECK_SECT(r, 0, want);
		/* another type at a wildcard: NODATA, SOA moved right */
		r = tq_ask(q, DNS_T_AAAA, NULL);
		CHECK_RCODE(r, DNS_R_NOERROR);
		CHECK_SECT(r, 0, "");
		snprintf(want, sizeof(want), "Example.com. 300 SOA "
		    "ns1.Example.com. hostmaster.Example.com. 2024010101 "
		    "7200 3600 1209600 300");
		CHECK_SECT(r, 1, want);
	}
	/* the literal "*" name is answered from the wildcard, exactly */
	r = tq_ask("*.w.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "*.w.example.com. 120 A 192.0.2.200");
}

ATF_TC_WITHOUT_HEAD(wildcard_blocked_by_existing_name);
ATF_TC_BODY(wildcard_blocked_by_existing_name, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("host.w.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "");
	CHECK_SECT(r, 1, SOA_TEXT);
	r = tq_ask("host.w.example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "host.w.example.com. 120 TXT \"real\"");
	/* a name below an existing name is not covered by *.w */
	r = tq_ask("a.host.w.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	/* x.y.e exists: y.e is an encloser without a wildcard */
	r = tq_ask("q.y.e.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	r = tq_ask("q.e.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "q.e.example.com. 120 A 192.0.2.201");
}

ATF_TC_WITHOUT_HEAD(cname_chains_in_zone);
ATF_TC_BODY(cname_chains_in_zone, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("alias.example.com", DNS_T_A, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "alias.example.com. 60 CNAME www.example.com.|"
	    "www.example.com. 300 A 192.0.2.80|"
	    "www.example.com. 300 A 192.0.2.81");
	r = tq_ask("ALIAS2.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "ALIAS2.example.com. 70 CNAME alias.example.com.|"
	    "alias.example.com. 60 CNAME www.example.com.|"
	    "www.example.com. 300 A 192.0.2.80|"
	    "www.example.com. 300 A 192.0.2.81");
	r = tq_ask("alias3.example.com", DNS_T_A, NULL);
	ATF_CHECK_EQ(r->n[0], 5);
	/* the end has no AAAA: NODATA with the SOA */
	r = tq_ask("alias3.example.com", DNS_T_AAAA, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	ATF_CHECK_EQ(r->n[0], 3);
	CHECK_SECT(r, 1, SOA_TEXT);
	/* qtype CNAME and ANY: the CNAME alone */
	r = tq_ask("alias3.example.com", DNS_T_CNAME, NULL);
	CHECK_SECT(r, 0, "alias3.example.com. 80 CNAME alias2.example.com.");
	CHECK_SECT(r, 1, "");
	r = tq_ask("alias3.example.com", DNS_T_ANY, NULL);
	CHECK_SECT(r, 0, "alias3.example.com. 80 CNAME alias2.example.com.");
	/* a CNAME to a name with another type */
	r = tq_ask("nod.example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "nod.example.com. 60 CNAME txt.example.com.|"
	    "txt.example.com. 60 TXT \"hello world\"");
	r = tq_ask("nod.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "nod.example.com. 60 CNAME txt.example.com.");
	CHECK_SECT(r, 1, SOA_TEXT);
}

ATF_TC_WITHOUT_HEAD(cname_chain_ends);
ATF_TC_BODY(cname_chain_ends, tc)
{
	struct treply	*r;

	std_zone();
	/* through a wildcard: the target name is the owner */
	r = tq_ask("wal.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "wal.example.com. 60 CNAME foo.w.example.com.|"
	    "foo.w.example.com. 120 A 192.0.2.200");
	/* out of the zone: the CNAME alone */
	r = tq_ask("out.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "out.example.com. 60 CNAME www.example.net.");
	CHECK_SECT(r, 1, "");
	/* a loop stops */
	r = tq_ask("loop1.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "loop1.example.com. 60 CNAME loop2.example.com.|"
	    "loop2.example.com. 60 CNAME loop1.example.com.");
	/* to a name that does not exist: NXDOMAIN (RFC 6604) */
	r = tq_ask("dang.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	CHECK_SECT(r, 0, "dang.example.com. 60 CNAME nothere.example.com.");
	CHECK_SECT(r, 1, SOA_TEXT);
	/*
	 * into a delegation: the CNAME, then the referral with its glue
	 * (RFC 1034 section 4.3.2, step 3b after the CNAME of step 3a)
	 */
	r = tq_ask("incut.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "incut.example.com. 60 CNAME x.sub.example.com.");
	CHECK_SECT(r, 1, "sub.example.com. 3600 NS ns.sub.example.com.|"
	    "sub.example.com. 3600 NS ns1.example.com.");
	CHECK_SECT(r, 2, "ns.sub.example.com. 3600 A 192.0.2.54|"
	    "ns.sub.example.com. 3600 AAAA 2001:db8::54|"
	    "ns1.example.com. 3600 A 192.0.2.53|"
	    "ns1.example.com. 3600 AAAA 2001:db8::53");
	r = tq_ask("incut.example.com", DNS_T_CNAME, NULL);
	CHECK_SECT(r, 0, "incut.example.com. 60 CNAME x.sub.example.com.");
	CHECK_SECT(r, 1, "");
}

/* RFC 6672: names under a DNAME get it and the CNAME it makes. */
ATF_TC_WITHOUT_HEAD(dname_synthesis);
ATF_TC_BODY(dname_synthesis, tc)
{
	struct treply	*r;
	char		 q[300];

	std_zone();
	/* out of our zones: the DNAME and the CNAME alone */
	r = tq_ask("www.dn.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "dn.example.com. 600 DNAME example.net.|"
	    "www.dn.example.com. 600 CNAME www.example.net.");
	CHECK_SECT(r, 1, "");
	r = tq_ask("A.b.Dn.example.com", DNS_T_MX, NULL);
	CHECK_SECT(r, 0, "Dn.example.com. 600 DNAME example.net.|"
	    "A.b.Dn.example.com. 600 CNAME A.b.example.net.");
	/* into the zone: the new name's answer follows (section 3.4) */
	r = tq_ask("www.dnin.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "dnin.example.com. 500 DNAME tgtz.example.com.|"
	    "www.dnin.example.com. 500 CNAME www.tgtz.example.com.|"
	    "www.tgtz.example.com. 60 A 192.0.2.66");
	r = tq_ask("nx.dnin.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "dnin.example.com. 500 DNAME tgtz.example.com.|"
	    "nx.dnin.example.com. 500 CNAME nx.tgtz.example.com.");
	CHECK_SECT(r, 1, SOA_TEXT);
	/* at the owner itself the DNAME does not apply */
	r = tq_ask("dn.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "");
	CHECK_SECT(r, 1, SOA_TEXT);
	r = tq_ask("dn.example.com", DNS_T_DNAME, NULL);
	CHECK_SECT(r, 0, "dn.example.com. 600 DNAME example.net.");
	/* a new name over 255 octets: YXDOMAIN, the DNAME alone (2.2) */
	snprintf(q, sizeof(q), "%s.%s.yx.example.com",
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
	    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
	r = tq_ask(q, DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_YXDOMAIN);
	ATF_CHECK_EQ(r->n[0], 1);
}

/* RFC 6672 section 2.4: names under a DNAME owner are occluded. */
ATF_TC_WITHOUT_HEAD(dname_occludes_names_below);
ATF_TC_BODY(dname_occludes_names_below, tc)
{
	static const char *const lines[] = {
		"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
		"@ 3600 NS ns1",
		"ns1 3600 A 192.0.2.53",
		"dn 600 DNAME example.net.",
		"www.dn 60 A 192.0.2.99",
		"a.b.dn 60 TXT occluded",
		NULL
	};
	struct treply	*r;

	tz_zone(&tz, "example.com", lines);
	r = tq_ask("www.dn.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "dn.example.com. 600 DNAME example.net.|"
	    "www.dn.example.com. 600 CNAME www.example.net.");
	r = tq_ask("b.dn.example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "dn.example.com. 600 DNAME example.net.|"
	    "b.dn.example.com. 600 CNAME b.example.net.");
	r = tq_ask("a.b.dn.example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "dn.example.com. 600 DNAME example.net.|"
	    "a.b.dn.example.com. 600 CNAME a.b.example.net.");
}

/*
 * RFC 2181 section 5.2: the records of an RRset are served with one TTL,
 * the lowest, in the answer and in the additional section.
 */
ATF_TC_WITHOUT_HEAD(rrset_served_with_lowest_ttl);
ATF_TC_BODY(rrset_served_with_lowest_ttl, tc)
{
	static const char *const lines[] = {
		"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
		"@ 3600 NS ns1",
		"@ 3600 MX 10 mixed",
		"ns1 3600 A 192.0.2.53",
		"mixed 300 A 192.0.2.1",
		"mixed 60 A 192.0.2.2",
		"mixed 900 A 192.0.2.3",
		NULL
	};
	struct treply	*r;

	tz_zone(&tz, "example.com", lines);
	r = tq_ask("mixed.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "mixed.example.com. 60 A 192.0.2.1|"
	    "mixed.example.com. 60 A 192.0.2.2|"
	    "mixed.example.com. 60 A 192.0.2.3");
	r = tq_ask("example.com", DNS_T_MX, NULL);
	CHECK_SECT(r, 2, "mixed.example.com. 60 A 192.0.2.1|"
	    "mixed.example.com. 60 A 192.0.2.2|"
	    "mixed.example.com. 60 A 192.0.2.3");
}

/* A DNAME answer that does not fit: without the chase, else TC. */
ATF_TC_WITHOUT_HEAD(dname_does_not_fit);
ATF_TC_BODY(dname_does_not_fit, tc)
{
	static uint8_t		 resp[DNS_MAXMSG];
	struct answer_info	 ai;
	struct dns_header	 h;
	struct wire		 w;
	struct tq		 o;
	uint8_t			 q[600];
	size_t			 len, n;

	std_zone();
	memset(&o, 0, sizeof(o));
	len = tq_make(q, sizeof(q), "www.dnin.example.com", DNS_T_A, &o);
	/* header 12, question 26, DNAME 30, CNAME 34: no room for the A */
	n = answer_query(q, len, resp, 12 + 26 + 30 + 34 + 10, 0, NULL, &ai);
	ATF_REQUIRE(n > 0);
	wire_init(&w, resp, n);
	ATF_REQUIRE(wire_header(&w, &h) == 0);
	ATF_CHECK_EQ(h.ancount, 2);
	ATF_CHECK((h.flags & DNS_F_TC) == 0);
	n = answer_query(q, len, resp, 60, 0, NULL, &ai);
	ATF_REQUIRE(n > 0 && n <= 60);
	wire_init(&w, resp, n);
	ATF_REQUIRE(wire_header(&w, &h) == 0);
	ATF_CHECK_EQ(h.ancount, 0);
	ATF_CHECK(h.flags & DNS_F_TC);
	ATF_CHECK(ai.tc);
}

ATF_TC_WITHOUT_HEAD(wildcard_cname);
ATF_TC_BODY(wildcard_cname, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("Any.Thing.c2.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "Any.Thing.c2.example.com. 60 CNAME "
	    "www.example.com.|www.example.com. 300 A 192.0.2.80|"
	    "www.example.com. 300 A 192.0.2.81");
	r = tq_ask("q.c2.example.com", DNS_T_CNAME, NULL);
	CHECK_SECT(r, 0, "q.c2.example.com. 60 CNAME www.example.com.");
	r = tq_ask("q.c2.example.com", DNS_T_MX, NULL);
	CHECK_SECT(r, 0, "q.c2.example.com. 60 CNAME www.example.com.");
	CHECK_SECT(r, 1, SOA_TEXT);
}

ATF_TC_WITHOUT_HEAD(referral_with_glue);
ATF_TC_BODY(referral_with_glue, tc)
{
	static const char *const names[] = {
		"sub.example.com", "www.SUB.example.com",
		"a.b.c.d.e.f.Sub.Example.Com", "ns.sub.example.com",
		"deep.ns.sub.example.com", "nothere.ns.sub.example.com", NULL
	};
	struct treply	*r;
	char		 want[1024];
	const char	*sfx, *zsfx;
	int		 i;

	std_zone();
	for (i = 0; names[i] != NULL; i++) {
		r = tq_ask(names[i], DNS_T_A, NULL);
		CHECK_RCODE(r, DNS_R_NOERROR);
		CHECK_FLAG(r, DNS_F_AA, 0);
		CHECK_SECT(r, 0, "");
		/* names point into the query name: they have its case */
		sfx = names[i] + strlen(names[i]) - strlen("sub.example.com");
		zsfx = names[i] + strlen(names[i]) - strlen("example.com");
		snprintf(want, sizeof(want), "%s. 3600 NS ns.%s.|"
		    "%s. 3600 NS ns1.%s.", sfx, sfx, sfx, zsfx);
		CHECK_SECT(r, 1, want);
		snprintf(want, sizeof(want), "ns.%s. 3600 A 192.0.2.54|"
		    "ns.%s. 3600 AAAA 2001:db8::54|"
		    "ns1.%s. 3600 A 192.0.2.53|"
		    "ns1.%s. 3600 AAAA 2001:db8::53", sfx, sfx, zsfx, zsfx);
		CHECK_SECT(r, 2, want);
	}
	r = tq_ask("sub.example.com", DNS_T_NS, NULL);
	CHECK_FLAG(r, DNS_F_AA, 0);
	ATF_CHECK_EQ(r->n[1], 2);
	r = tq_ask("x.nods.example.com", DNS_T_A, NULL);
	CHECK_FLAG(r, DNS_F_AA, 0);
	CHECK_SECT(r, 1, "nods.example.com. 3600 NS ns.elsewhere.net.");
	CHECK_SECT(r, 2, "");
}

ATF_TC_WITHOUT_HEAD(ds_at_cut_is_authoritative);
ATF_TC_BODY(ds_at_cut_is_authoritative, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("sub.example.com", DNS_T_DS, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "sub.example.com. 3600 DS 1234 8 2 "
	    "ABCDEF0123456789");
	r = tq_ask("nods.example.com", DNS_T_DS, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_SECT(r, 0, "");
	CHECK_SECT(r, 1, SOA_TEXT);
	/* DS below a cut is the child's: a referral */
	r = tq_ask("x.sub.example.com", DNS_T_DS, NULL);
	CHECK_FLAG(r, DNS_F_AA, 0);
	ATF_CHECK_EQ(r->n[1], 2);
	r = tq_ask("sub.example.com", DNS_T_ANY, NULL);
	CHECK_FLAG(r, DNS_F_AA, 0);
}

ATF_TC_WITHOUT_HEAD(any_is_minimal);
ATF_TC_BODY(any_is_minimal, tc)
{
	struct treply	*r;

	std_zone();
	r = tq_ask("example.com", DNS_T_ANY, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "example.com. 3600 A 192.0.2.1");
	r = tq_ask("txt.example.com", DNS_T_ANY, NULL);
	CHECK_SECT(r, 0, "txt.example.com. 60 TXT \"hello world\"");
	r = tq_ask("zz.w.example.com", DNS_T_ANY, NULL);
	CHECK_SECT(r, 0, "zz.w.example.com. 120 A 192.0.2.200");
	r = tq_ask("nothere.example.com", DNS_T_ANY, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
}

ATF_TC_WITHOUT_HEAD(edns_badvers_and_do);
ATF_TC_BODY(edns_badvers_and_do, tc)
{
	struct treply	*r;
	struct tq	 o;

	std_zone();
	memset(&o, 0, sizeof(o));
	o.edns = 1;
	o.size = 4096;
	o.version = 1;
	o.flags = DNS_F_RD | DNS_F_CD;
	r = tq_ask("www.example.com", DNS_T_A, &o);
	ATF_CHECK_EQ(r->ai.rcode, DNS_R_BADVERS);
	CHECK_RCODE(r, 0);
	ATF_REQUIRE(r->opt);
	ATF_CHECK_EQ(r->optttl >> 24, 1);
	ATF_CHECK_EQ((r->optttl >> 16) & 0xff, 0);
	ATF_CHECK_EQ(r->n[0], 0);
	CHECK_FLAG(r, DNS_F_CD, 1);
	o.version = 0;
	o.dobit = 1;
	r = tq_ask("www.example.com", DNS_T_A, &o);
	ATF_REQUIRE(r->opt);
	ATF_CHECK_EQ(r->optsize, 1232);
	ATF_CHECK_EQ(r->optttl, 0x8000);
	ATF_CHECK_EQ(r->optrdlen, 0);
	ATF_CHECK(r->ai.edns && r->ai.dobit);
	ATF_CHECK_EQ(r->n[0], 2);
	o.dobit = 0;
	o.flags = 0;
	r = tq_ask("nothere.example.com", DNS_T_A, &o);
	ATF_REQUIRE(r->opt);
	ATF_CHECK_EQ(r->optttl, 0);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	CHECK_FLAG(r, DNS_F_RD, 0);
	CHECK_FLAG(r, DNS_F_CD, 0);
	ATF_CHECK_EQ(r->n[1], 1);
}

/* A zone with answers of chosen sizes, for the size limits. */
static void
big_zone(void)
{
	static const char *const head[] = {
		"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
		"@ 3600 NS ns1",
		"ns1 3600 A 192.0.2.53",
		NULL
	};
	char	 line[512];
	int	 i;

	tz_init(&tz, "example.com");
	tz_lines(&tz, head);
	/* 20 TXT of 100 bytes: about 2.4 kB, more than 1232 */
	for (i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "big 60 TXT %02d%098d", i, 0);
		tz_add(&tz, line);
	}
	/* 8 MX whose hosts have 4 addresses each: additional > 512 */
	for (i = 0; i < 8; i++) {
		snprintf(line, sizeof(line), "mx 60 MX %d m%d", i, i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "m%d 60 A 192.0.2.%d", i, i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "m%d 60 A 198.51.100.%d", i, i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "m%d 60 AAAA 2001:db8::%d", i, i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "m%d 60 AAAA 2001:db8::1:%d", i,
		    i);
		tz_add(&tz, line);
	}
	/* a delegation whose glue does not fit in 512 */
	for (i = 0; i < 12; i++) {
		snprintf(line, sizeof(line), "cut 60 NS ns%d.cut", i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "ns%d.cut 60 AAAA 2001:db8::%d",
		    i, i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "ns%d.cut 60 A 192.0.2.%d", i, i);
		tz_add(&tz, line);
	}
	tz_serve(&tz);
}

ATF_TC_WITHOUT_HEAD(udp_size_limits_and_tc);
ATF_TC_BODY(udp_size_limits_and_tc, tc)
{
	struct treply	*r;
	struct tq	 o;

	big_zone();
	memset(&o, 0, sizeof(o));
	/* too large for 512: TC, no records */
	r = tq_ask("big.example.com", DNS_T_TXT, NULL);
	CHECK_FLAG(r, DNS_F_TC, 1);
	ATF_CHECK(r->ai.tc);
	ATF_CHECK_EQ(r->n[0] + r->n[1] + r->n[2], 0);
	ATF_CHECK(r->len <= 512);
	/* EDNS 4096 is capped at 1232: still too large */
	o.edns = 1;
	o.size = 4096;
	r = tq_ask("big.example.com", DNS_T_TXT, &o);
	CHECK_FLAG(r, DNS_F_TC, 1);
	ATF_CHECK(r->opt);
	ATF_CHECK(r->len <= 1232);
	/* over TCP it fits */
	o.tcp = 1;
	r = tq_ask("big.example.com", DNS_T_TXT, &o);
	CHECK_FLAG(r, DNS_F_TC, 0);
	ATF_CHECK_EQ(r->n[0], 20);
	/* the MX fits without its additional section: no TC */
	r = tq_ask("mx.example.com", DNS_T_MX, NULL);
	CHECK_FLAG(r, DNS_F_TC, 0);
	ATF_CHECK_EQ(r->n[0], 8);
	ATF_CHECK_EQ(r->n[2], 0);
	o.tcp = 0;
	o.size = 1232;
	r = tq_ask("mx.example.com", DNS_T_MX, &o);
	ATF_CHECK_EQ(r->n[2], 32);
	/* a size below 512 counts as 512 */
	o.size = 100;
	r = tq_ask("mx.example.com", DNS_T_MX, &o);
	ATF_CHECK_EQ(r->n[0], 8);
	ATF_CHECK(r->len <= 512);
	/* a referral whose glue is dropped: TC (RFC 9471) */
	r = tq_ask("www.cut.example.com", DNS_T_A, NULL);
	CHECK_FLAG(r, DNS_F_TC, 1);
	CHECK_FLAG(r, DNS_F_AA, 0);
	ATF_CHECK_EQ(r->n[1], 12);
	ATF_CHECK_EQ(r->n[2], 0);
	o.size = 1232;
	r = tq_ask("www.cut.example.com", DNS_T_A, &o);
	CHECK_FLAG(r, DNS_F_TC, 0);
	ATF_CHECK_EQ(r->n[2], 24);
}

/* Send raw bytes; the reply's length (0: none) and the reply. */
static size_t
raw(const uint8_t *q, size_t len, int tcp, struct treply *r)
{
	memset(r, 0, sizeof(*r));
	r->len = answer_query(q, len, r->buf, sizeof(r->buf), tcp, NULL, &r->ai);
	if (r->len > 0)
		tr_parse(r);
	return (r->len);
}

ATF_TC_WITHOUT_HEAD(formerr_and_drops);
ATF_TC_BODY(formerr_and_drops, tc)
{
	static struct treply	 r;
	uint8_t			 q[600];
	size_t			 len;

	std_zone();
	len = tq_make(q, sizeof(q), "www.example.com", DNS_T_A, NULL);
	/* shorter than a header: nothing; QR set: nothing */
	ATF_CHECK_EQ(raw(q, 11, 0, &r), 0);
	q[2] |= 0x80;
	ATF_CHECK_EQ(raw(q, len, 0, &r), 0);
	q[2] &= ~0x80;
	/* a bare header */
	ATF_REQUIRE(raw(q, 12, 0, &r) == 12);
	ATF_CHECK_EQ(r.ai.rcode, DNS_R_FORMERR);
	/* qdcount 0 and 2 */
	q[5] = 0;
	ATF_REQUIRE(raw(q, len, 0, &r) == 12);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	q[5] = 2;
	ATF_REQUIRE(raw(q, len, 0, &r) == 12);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	q[5] = 1;
	/* trailing garbage: FORMERR, question echoed */
	q[len] = 0;
	ATF_REQUIRE(raw(q, len + 1, 0, &r) > 12);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	ATF_CHECK_STREQ(r.qname, "www.example.com.");
	ATF_CHECK_EQ(r.n[0], 0);
	/* truncated question */
	ATF_REQUIRE(raw(q, len - 1, 0, &r) == 12);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	/* a compression pointer in the question */
	len = 12;
	memcpy(q + len, "\3www\xc0\x0c\0\1\0\1", 10);
	ATF_REQUIRE(raw(q, len + 10, 0, &r) == 12);
	CHECK_RCODE(&r, DNS_R_FORMERR);
}

/*
 * Compression pointers made to cost time: a private-type record in the
 * additional section holds a chain of pointers into the question name,
 * and every further record's owner points to its deep end (a name of
 * 4 labels through 127 pointers: 131 steps for 12 octets).  Past the
 * message's budget the query is FORMERR; the same records pointing near
 * the start of the chain are answered.
 */
static size_t
chain_query(uint8_t *q, size_t cap, int depth, int nrec)
{
	size_t	 len, qend, p, prev;
	int	 k;

	len = tq_make(q, cap, "www.example.com", DNS_T_A, NULL);
	qend = len;
	ATF_REQUIRE(cap >= len + 11 + 254 + (size_t)nrec * 12);
	/* root owner, TYPE65280, IN, TTL 0, 254 octets of pointers */
	memcpy(q + len, "\0\377\0\0\1\0\0\0\0\0\376", 11);
	len += 11;
	prev = DNS_HDRLEN;
	for (k = 0, p = len; k < 127; k++, p += 2) {
		q[p] = 0xc0 | prev >> 8;
		q[p + 1] = prev & 0xff;
		prev = p;
	}
	len = p;
	/* the pointer "depth" steps up the chain, 1 to 126 */
	prev = qend + 11 + 2 * (size_t)(depth - 1);
	for (k = 0; k < nrec; k++) {
		q[len] = 0xc0 | prev >> 8;
		q[len + 1] = prev & 0xff;
		memcpy(q + len + 2, "\377\0\0\1\0\0\0\0\0\0", 10);
		len += 12;
	}
	q[10] = (1 + nrec) >> 8;
	q[11] = (1 + nrec) & 0xff;
	return (len);
}

ATF_TC_WITHOUT_HEAD(formerr_pointer_chain_work);
ATF_TC_BODY(formerr_pointer_chain_work, tc)
{
	static struct treply	 r;
	static uint8_t		 q[DNS_MAXMSG];
	size_t			 len;

	std_zone();
	/* 127 pointers and 4 labels: 131 per 12 octets, over 8 an octet */
	len = chain_query(q, sizeof(q), 126, 400);
	ATF_REQUIRE(raw(q, len, 1, &r) > 0);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	/* one record so deep is within the budget */
	len = chain_query(q, sizeof(q), 126, 1);
	ATF_REQUIRE(raw(q, len, 1, &r) > 0);
	CHECK_RCODE(&r, DNS_R_NOERROR);
	/* 400 records three pointers deep: 7 per 12 octets, answered */
	len = chain_query(q, sizeof(q), 2, 400);
	ATF_REQUIRE(raw(q, len, 1, &r) > 0);
	CHECK_RCODE(&r, DNS_R_NOERROR);
	ATF_CHECK_EQ(r.n[0], 2);
}

ATF_TC_WITHOUT_HEAD(formerr_bad_opt);
ATF_TC_BODY(formerr_bad_opt, tc)
{
	static struct treply	 r;
	struct tq		 o;
	uint8_t			 q[600];
	size_t			 len;

	std_zone();
	memset(&o, 0, sizeof(o));
	o.edns = 1;
	o.size = 1232;
	len = tq_make(q, sizeof(q), "www.example.com", DNS_T_A, &o);
	ATF_REQUIRE(raw(q, len, 0, &r) > 0);
	CHECK_RCODE(&r, 0);
	/* two OPT records */
	memcpy(q + len, q + len - 11, 11);
	q[11] = 2;
	ATF_REQUIRE(raw(q, len + 11, 0, &r) > 0);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	ATF_CHECK(!r.opt);
	/* OPT in the answer section */
	q[11] = 0;
	q[7] = 1;
	ATF_REQUIRE(raw(q, len, 0, &r) > 0);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	/* OPT with an owner that is not the root */
	q[7] = 0;
	q[11] = 1;
	memmove(q + len - 10, q + len - 11, 11);
	memcpy(q + len - 11, "\1x", 2);
	ATF_REQUIRE(raw(q, len + 1, 0, &r) > 0);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	/*
	 * an option running past the rdata (code 65001, local use: 10 is
	 * COOKIE, whose lengths RFC 7873 restricts)
	 */
	len = tq_make(q, sizeof(q), "www.example.com", DNS_T_A, &o);
	q[len - 1] = 4;
	memcpy(q + len, "\375\351\0\10", 4);
	ATF_REQUIRE(raw(q, len + 4, 0, &r) > 0);
	CHECK_RCODE(&r, DNS_R_FORMERR);
	/* a well-formed option is fine */
	q[len + 3] = 0;
	ATF_REQUIRE(raw(q, len + 4, 0, &r) > 0);
	CHECK_RCODE(&r, 0);
	ATF_CHECK_EQ(r.n[0], 2);
}

ATF_TC_WITHOUT_HEAD(notimp_and_notify);
ATF_TC_BODY(notimp_and_notify, tc)
{
	static struct treply	 r;
	struct tq		 o;
	uint8_t			 q[600];
	size_t			 len;

	std_zone();
	memset(&o, 0, sizeof(o));
	o.flags = DNS_OP_STATUS << DNS_F_OPCODE_SHIFT;
	len = tq_make(q, sizeof(q), "www.example.com", DNS_T_A, &o);
	ATF_REQUIRE(raw(q, len, 0, &r) > 0);
	CHECK_RCODE(&r, DNS_R_NOTIMP);
	ATF_CHECK_EQ((r.h.flags & DNS_F_OPCODE_MASK) >> DNS_F_OPCODE_SHIFT,
	    DNS_OP_STATUS);
	o.flags = DNS_OP_UPDATE << DNS_F_OPCODE_SHIFT;
	len = tq_make(q, sizeof(q), "example.com", DNS_T_SOA, &o);
	ATF_REQUIRE(raw(q, len, 0, &r) > 0);
	CHECK_RCODE(&r, DNS_R_NOTIMP);
	o.flags = DNS_OP_NOTIFY << DNS_F_OPCODE_SHIFT | DNS_F_AA;
	len = tq_make(q, sizeof(q), "example.com", DNS_T_SOA, &o);
	ATF_CHECK_EQ(raw(q, len, 0, &r), 0);
	ATF_CHECK(r.ai.notify);
}

ATF_TC_WITHOUT_HEAD(refused_cases);
ATF_TC_BODY(refused_cases, tc)
{
	struct treply	*r;
	struct tq	 o;

	std_zone();
	memset(&o, 0, sizeof(o));
	r = tq_ask("www.example.org", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_REFUSED);
	CHECK_FLAG(r, DNS_F_AA, 0);
	ATF_CHECK_STREQ(r->qname, "www.example.org.");
	r = tq_ask("com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_REFUSED);
	o.class = DNS_C_CH;
	r = tq_ask("www.example.com", DNS_T_TXT, &o);
	CHECK_RCODE(r, DNS_R_REFUSED);
}

/*
 * AXFR and IXFR, over UDP or TCP, are not answered from the image: they
 * go to serverd/xfrout.c (regress/fleet tests them end to end).
 */
ATF_TC_WITHOUT_HEAD(transfers_handed_on);
ATF_TC_BODY(transfers_handed_on, tc)
{
	struct answer_info	 ai;
	struct tq		 o;
	uint8_t			 q[512], resp[512];
	size_t			 qlen;
	uint16_t		 t[2] = { DNS_T_AXFR, DNS_T_IXFR };
	int			 i, tcp;

	std_zone();
	memset(&o, 0, sizeof(o));
	for (i = 0; i < 2; i++)
		for (tcp = 0; tcp < 2; tcp++) {
			o.tcp = tcp;
			qlen = tq_make(q, sizeof(q), "example.com", t[i], &o);
			memset(&ai, 0, sizeof(ai));
			ATF_CHECK_EQ(answer_query(q, qlen, resp, sizeof(resp),
			    tcp, NULL, &ai), 0);
			ATF_CHECK_EQ(ai.xfr, 1);
		}
}

/* QCLASS * (RFC 1035 3.2.5): the IN data, AA clear (as NSD). */
ATF_TC_WITHOUT_HEAD(qclass_any_answers_from_in_data);
ATF_TC_BODY(qclass_any_answers_from_in_data, tc)
{
	struct treply	*r;
	struct tq	 o;

	std_zone();
	memset(&o, 0, sizeof(o));
	o.class = DNS_C_ANY;
	r = tq_ask("www.example.com", DNS_T_A, &o);
	CHECK_RCODE(r, DNS_R_NOERROR);
	CHECK_FLAG(r, DNS_F_AA, 0);
	ATF_CHECK_MSG(r->n[0] > 0, "expected an answer, got %d records",
	    r->n[0]);
	r = tq_ask("nx.example.com", DNS_T_A, &o);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	CHECK_FLAG(r, DNS_F_AA, 0);
	r = tq_ask("www.example.org", DNS_T_A, &o);
	CHECK_RCODE(r, DNS_R_REFUSED);
}

ATF_TC_WITHOUT_HEAD(servfail_without_image_or_expired);
ATF_TC_BODY(servfail_without_image_or_expired, tc)
{
	static const char *const names[] = { "example.com", "example.org",
	    NULL };
	struct treply	*r;

	std_zone();
	tz_configure(names);
	r = tq_ask("www.example.org", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_SERVFAIL);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	zones_expire("example.com", 1);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_SERVFAIL);
	zones_expire("example.com", 0);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	zones_drop("example.com");
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_SERVFAIL);
	/* no longer configured: refused */
	tz_configure(names + 1);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_REFUSED);
	r = tq_ask("www.example.org", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_SERVFAIL);
}

ATF_TC_WITHOUT_HEAD(zones_longest_suffix);
ATF_TC_BODY(zones_longest_suffix, tc)
{
	static const char *const parent[] = {
		"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
		"@ 3600 NS ns1",
		"sub 3600 NS ns1",
		NULL
	};
	static const char *const child[] = {
		"@ 3600 SOA ns1 hostmaster 7 7200 3600 1209600 300",
		"@ 3600 NS ns1",
		"www 60 A 192.0.2.7",
		NULL
	};
	static const char *const both[] = { "example.com",
	    "sub.example.com", NULL };
	static struct tzone	 tz2;
	struct treply		*r;
	char			 err[256];
	int			 fd1, fd2;

	tz_init(&tz, "example.com");
	tz_lines(&tz, parent);
	tz_init(&tz2, "sub.example.com");
	tz_lines(&tz2, child);
	tz2.serial = 7;
	fd1 = tz_build(&tz, err, sizeof(err));
	fd2 = tz_build(&tz2, err, sizeof(err));
	ATF_REQUIRE(fd1 != -1 && fd2 != -1);
	tz_configure(both);
	ATF_REQUIRE(tz_zones_set("example.com", fd1, 1, err, sizeof(err)) == 0);
	ATF_REQUIRE(tz_zones_set("sub.example.com", fd2, 7, err,
	    sizeof(err)) == 0);
	r = tq_ask("WWW.sub.example.com", DNS_T_A, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	CHECK_SECT(r, 0, "WWW.sub.example.com. 60 A 192.0.2.7");
	r = tq_ask("x.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	/* the image of one zone is not accepted for another */
	ATF_CHECK(tz_zones_set("example.com", fd2, 7, err, sizeof(err)) == -1);
	ATF_CHECK(tz_zones_set("sub.example.com", fd2, 8, err,
	    sizeof(err)) == -1);
	ATF_CHECK(tz_zones_set("example.net", fd2, 7, err, sizeof(err)) == -1);
	r = tq_ask("WWW.sub.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "WWW.sub.example.com. 60 A 192.0.2.7");
	close(fd1);
	close(fd2);
}

/*
 * serverd maps only a sealed image (shared/sealed.h): the file zoned
 * wrote is refused; the sealed copy can be neither written nor cut; and
 * the file truncated and rewritten after serverd took its copy changes
 * nothing served.  A zone of 600 names makes an image larger than
 * IMAGE_SMALL, which is mapped.
 */
ATF_TC_WITHOUT_HEAD(served_image_cannot_change);
ATF_TC_BODY(served_image_cannot_change, tc)
{
	const char	*names[2] = { "example.com", NULL };
	struct treply	*r;
	struct stat	 st;
	char		 err[256], line[64];
	int		 fd, sfd, i;

	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	for (i = 0; i < 600; i++) {
		snprintf(line, sizeof(line), "h%d 60 A 192.0.2.%d", i,
		    i % 250 + 1);
		tz_add(&tz, line);
	}
	fd = tz_build(&tz, err, sizeof(err));
	ATF_REQUIRE_MSG(fd != -1, "build: %s", err);
	ATF_REQUIRE(fstat(fd, &st) == 0);
	ATF_REQUIRE_MSG(st.st_size > IMAGE_SMALL, "an image of %jd bytes",
	    (intmax_t)st.st_size);
	tz_configure(names);
	ATF_CHECK(zones_set("example.com", fd, tz.serial, err,
	    sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "not a sealed image") != NULL, "err: %s",
	    err);
	ATF_REQUIRE((sfd = sealed_copy(fd, st.st_size)) != -1);
	ATF_REQUIRE_MSG(zones_set("example.com", sfd, tz.serial, err,
	    sizeof(err)) == 0, "zones_set: %s", err);
	ATF_CHECK(pwrite(sfd, "X", 1, 100) == -1 && errno == EPERM);
	ATF_CHECK(ftruncate(sfd, 64) == -1 && errno == EPERM);
	ATF_CHECK(ftruncate(sfd, st.st_size * 2) == -1 && errno == EPERM);
	close(sfd);
	ATF_REQUIRE(ftruncate(fd, 0) == 0);
	ATF_REQUIRE(pwrite(fd, "garbage", 7, 0) == 7);
	close(fd);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	ATF_CHECK_EQ(r->n[0], 2);
	r = tq_ask("h599.example.com", DNS_T_A, NULL);
	CHECK_SECT(r, 0, "h599.example.com. 60 A 192.0.2.100");
	tz_free(&tz);
}

/*
 * A small image (IMAGE_SMALL) is taken from the file itself: serverd
 * copies it, so the file truncated and rewritten afterwards changes
 * nothing served; what is left of the file is refused.
 */
ATF_TC_WITHOUT_HEAD(small_image_is_copied);
ATF_TC_BODY(small_image_is_copied, tc)
{
	const char	*names[2] = { "example.com", NULL };
	struct treply	*r;
	struct stat	 st;
	char		 err[256];
	int		 fd;

	tz_init(&tz, "example.com");
	tz_lines(&tz, zone_lines);
	fd = tz_build(&tz, err, sizeof(err));
	ATF_REQUIRE_MSG(fd != -1, "build: %s", err);
	ATF_REQUIRE(fstat(fd, &st) == 0);
	ATF_REQUIRE(st.st_size <= IMAGE_SMALL);
	tz_configure(names);
	ATF_REQUIRE_MSG(zones_set("example.com", fd, tz.serial, err,
	    sizeof(err)) == 0, "zones_set: %s", err);
	ATF_REQUIRE(ftruncate(fd, 0) == 0);
	ATF_REQUIRE(pwrite(fd, "garbage", 7, 0) == 7);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	ATF_CHECK_EQ(r->n[0], 2);
	/* 7 bytes of garbage: not an image, the copy served stays */
	ATF_CHECK(zones_set("example.com", fd, tz.serial, err,
	    sizeof(err)) == -1);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	ATF_CHECK_EQ(r->n[0], 2);
	close(fd);
	tz_free(&tz);
}

/*
 * What serverd holds for a small zone is its image and a few dozen bytes
 * more (secd(8), MANY ZONES): 1,000 zones of 10 records, configured and
 * each given its image, cost at most their images and SERVED_ZONE_BUDGET
 * bytes each, their configuration included.  No mapping is made.
 */
#define SERVED_ZONES		1000
#define SERVED_ZONE_BUDGET	256

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
/* The mappings of this process: the lines of /proc/self/maps. */
static size_t
tz_maps(void)
{
	FILE	*f;
	size_t	 n = 0;
	int	 c;

	ATF_REQUIRE((f = fopen("/proc/self/maps", "r")) != NULL);
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return (n);
}
#endif

ATF_TC_WITHOUT_HEAD(small_zones_cost_their_images);
ATF_TC_BODY(small_zones_cost_their_images, tc)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	static const char *const lines[] = {
		"@ 300 SOA ns1 hostmaster 1 3600 600 86400 300",
		"@ 300 NS ns1", "@ 300 NS ns2",
		"@ 300 MX 10 mail",
		"ns1 300 A 192.0.2.1", "ns2 300 A 192.0.2.2",
		"www 300 A 192.0.2.10", "www 300 AAAA 2001:db8::10",
		"mail 300 A 192.0.2.20", "ftp 300 CNAME www", NULL
	};
	struct mallinfo2	 before, after;
	struct stat		 st;
	char			**names, err[256];
	size_t			 images = 0, used, maps0, maps1;
	int			 fd, i;

	ATF_REQUIRE((names = calloc(SERVED_ZONES + 1,
	    sizeof(*names))) != NULL);
	for (i = 0; i < SERVED_ZONES; i++)
		ATF_REQUIRE(asprintf(&names[i], "z%d.test", i) != -1);
	maps0 = tz_maps();
	before = mallinfo2();
	tz_configure((const char *const *)names);
	for (i = 0; i < SERVED_ZONES; i++) {
		tz_init(&tz, names[i]);
		tz_lines(&tz, lines);
		fd = tz_build(&tz, err, sizeof(err));
		ATF_REQUIRE_MSG(fd != -1, "build: %s", err);
		ATF_REQUIRE(fstat(fd, &st) == 0);
		images += st.st_size;
		ATF_REQUIRE_MSG(zones_set(names[i], fd, 1, err,
		    sizeof(err)) == 0, "%s: %s", names[i], err);
		close(fd);
		tz_free(&tz);
	}
	after = mallinfo2();
	maps1 = tz_maps();
	used = after.uordblks + after.hblkhd - before.uordblks -
	    before.hblkhd;
	ATF_CHECK_MSG(used <= images + (size_t)SERVED_ZONES *
	    SERVED_ZONE_BUDGET, "%d zones: %zu bytes, their images %zu: "
	    "%zu a zone besides its image, more than %d", SERVED_ZONES,
	    used, images, (used - images) / SERVED_ZONES,
	    SERVED_ZONE_BUDGET);
	ATF_CHECK_MSG(maps1 <= maps0 + 2, "%zu mappings before, %zu after",
	    maps0, maps1);
	for (i = 0; i < SERVED_ZONES; i++)
		free(names[i]);
	free(names);
#else
	atf_tc_skip("the heap is measured with glibc's mallinfo2, no ASan");
#endif
}

ATF_TC_WITHOUT_HEAD(bad_image_keeps_old);
ATF_TC_BODY(bad_image_keeps_old, tc)
{
	struct treply	*r;
	char		 err[256];
	FILE		*f;
	int		 fd;

	std_zone();
	ATF_REQUIRE((f = tmpfile()) != NULL);
	fprintf(f, "SECDIMG garbage that is not an image at all, padded "
	    "to be long enough for a header ................................"
	    "................................................................"
	    "................................................................"
	    "................................................................"
	    "................................................................"
	    "......................................................");
	fflush(f);
	fd = fileno(f);
	ATF_CHECK(tz_zones_set("example.com", fd, 2024010101, err,
	    sizeof(err)) == -1);
	ATF_CHECK(err[0] != '\0');
	fclose(f);
	r = tq_ask("www.example.com", DNS_T_A, NULL);
	ATF_CHECK_EQ(r->n[0], 2);
}

ATF_TC_WITHOUT_HEAD(apex_wildcard_and_long_names);
ATF_TC_BODY(apex_wildcard_and_long_names, tc)
{
	static const char *const lines[] = {
		"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
		"@ 3600 NS ns1",
		"ns1 3600 A 192.0.2.53",
		"* 60 MX 10 ns1",
		"* 60 TXT any",
		NULL
	};
	struct treply	*r;
	char		 q[DNS_MAXNAMESTR], want[2048];
	int		 i, n;

	tz_zone(&tz, "example.com", lines);
	/* names up to 255 bytes: the largest moves of the pointers */
	for (n = 1; n <= 4; n++) {
		q[0] = '\0';
		for (i = 0; i < n; i++)
			strlcat(q, "LongLabel0123456789012345678901234567890123"
			    "456789012345678.", sizeof(q));
		strlcat(q, "example.com", sizeof(q));
		r = tq_ask(q, DNS_T_MX, NULL);
		snprintf(want, sizeof(want), "%s. 60 MX 10 ns1.example.com.",
		    q);
		CHECK_SECT(r, 0, want);
		CHECK_SECT(r, 2, "ns1.example.com. 3600 A 192.0.2.53");
		r = tq_ask(q, DNS_T_A, NULL);
		CHECK_RCODE(r, DNS_R_NOERROR);
		CHECK_SECT(r, 1, "example.com. 300 SOA ns1.example.com. "
		    "hostmaster.example.com. 1 7200 3600 1209600 300");
	}
	r = tq_ask("ns1.example.com", DNS_T_TXT, NULL);
	CHECK_SECT(r, 0, "");
	r = tq_ask("x.ns1.example.com", DNS_T_TXT, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
}

/*
 * A wildcard answer past 16 kB: names there cannot be pointed at once
 * moved by a long query name, so the builder must not offer them.
 */
ATF_TC_WITHOUT_HEAD(large_wildcard_answer_over_tcp);
ATF_TC_BODY(large_wildcard_answer_over_tcp, tc)
{
	struct treply	*r;
	struct tq	 o;
	char		 line[256], q[DNS_MAXNAMESTR];
	int		 i;

	tz_init(&tz, "example.com");
	tz_add(&tz, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&tz, "@ 3600 NS ns1");
	for (i = 0; i < 400; i++) {
		snprintf(line, sizeof(line), "*.w 60 MX %d "
		    "mail%03d.some-rather-long-label.w", i, i);
		tz_add(&tz, line);
		snprintf(line, sizeof(line), "mail%03d.some-rather-long-label"
		    ".w 60 A 192.0.2.%d", i, i % 256);
		tz_add(&tz, line);
	}
	tz_serve(&tz);
	memset(&o, 0, sizeof(o));
	o.tcp = 1;
	snprintf(q, sizeof(q), "%s.%s.%s.w.example.com",
	    "a123456789012345678901234567890123456789012345678901234567890",
	    "b123456789012345678901234567890123456789012345678901234567890",
	    "c123456789012345678901234567890123456789012345678901234567890");
	r = tq_ask(q, DNS_T_MX, &o);
	ATF_CHECK_EQ(r->h.ancount, 400);
	ATF_CHECK_EQ(r->h.arcount, 400);
	ATF_CHECK(r->len > 16384);
	ATF_CHECK(strstr(r->rr[0][63], "MX 63 mail063.some-rather-long-"
	    "label.w.example.com.") != NULL);
	r = tq_ask("x.w.example.com", DNS_T_MX, &o);
	ATF_CHECK_EQ(r->h.arcount, 400);
}

/*
 * The additional section of this wildcard starts just below 16 kB: a
 * pointer there moved by a long query name would pass 0x3fff.
 */
ATF_TC_WITHOUT_HEAD(wildcard_pointers_stay_below_16k);
ATF_TC_BODY(wildcard_pointers_stay_below_16k, tc)
{
	struct treply	*r;
	struct tq	 o;
	char		 line[256], q[DNS_MAXNAMESTR];
	int		 i;

	tz_init(&tz, "example.com");
	tz_add(&tz, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&tz, "@ 3600 NS ns1");
	for (i = 0; i < 462; i++) {
		snprintf(line, sizeof(line), "*.w 60 SRV %d 0 53 t.w", i);
		tz_add(&tz, line);
	}
	for (i = 0; i < 3; i++) {
		snprintf(line, sizeof(line), "t.w 60 A 192.0.2.%d", i);
		tz_add(&tz, line);
	}
	tz_serve(&tz);
	memset(&o, 0, sizeof(o));
	o.tcp = 1;
	snprintf(q, sizeof(q), "%s.%s.%s.%s.w.example.com",
	    "a123456789012345678901234567890123456789012345678901234567890",
	    "b123456789012345678901234567890123456789012345678901234567890",
	    "c123456789012345678901234567890123456789012345678901234567890",
	    "d12345678901234567890123456789012345678901234567890");
	r = tq_ask(q, DNS_T_SRV, &o);
	ATF_CHECK_EQ(r->h.ancount, 462);
	CHECK_SECT(r, 2, "t.w.example.com. 60 A 192.0.2.0|"
	    "t.w.example.com. 60 A 192.0.2.1|t.w.example.com. 60 A 192.0.2.2");
}

ATF_TC_WITHOUT_HEAD(root_zone);
ATF_TC_BODY(root_zone, tc)
{
	static const char *const lines[] = {
		"@ 3600 SOA a.root-servers.net. nstld.verisign-grs.com. "
		    "2024010100 1800 900 604800 86400",
		"@ 518400 NS a.root-servers.net.",
		"com 172800 NS a.gtld-servers.net.",
		"com 86400 DS 7700 8 2 e2d3c916f6deeac73294e8268fb588"
		    "5044a833fc",
		"a.gtld-servers.net 172800 A 192.5.6.30",
		"a.root-servers.net 518400 A 198.41.0.4",
		NULL
	};
	struct treply	*r;

	tz_zone(&tz, ".", lines);
	r = tq_ask("www.Example.COM", DNS_T_A, NULL);
	CHECK_FLAG(r, DNS_F_AA, 0);
	CHECK_SECT(r, 1, "COM. 172800 NS a.gtld-servers.net.");
	r = tq_ask("com", DNS_T_DS, NULL);
	CHECK_FLAG(r, DNS_F_AA, 1);
	ATF_CHECK_EQ(r->n[0], 1);
	r = tq_ask(".", DNS_T_NS, NULL);
	CHECK_SECT(r, 0, ". 518400 NS a.root-servers.net.");
	CHECK_SECT(r, 2, "a.root-servers.net. 518400 A 198.41.0.4");
	r = tq_ask("nosuchtld", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NXDOMAIN);
	/* the SOA's own TTL when it is below MINIMUM (RFC 2308) */
	CHECK_SECT(r, 1, ". 3600 SOA a.root-servers.net. "
	    "nstld.verisign-grs.com. 2024010100 1800 900 604800 86400");
	r = tq_ask(".", DNS_T_SOA, NULL);
	CHECK_SECT(r, 0, ". 3600 SOA a.root-servers.net. "
	    "nstld.verisign-grs.com. 2024010100 1800 900 604800 86400");
	r = tq_ask("net", DNS_T_A, NULL);
	CHECK_RCODE(r, DNS_R_NOERROR);
	ATF_CHECK_EQ(r->n[1], 1);
}

/* Damaged queries, with a fixed seed: a reply or none, never a crash. */
ATF_TC_WITHOUT_HEAD(damaged_queries_never_crash);
ATF_TC_BODY(damaged_queries_never_crash, tc)
{
	static const char *const names[] = { "www.example.com",
	    "x.w.example.com", "a.sub.example.com", "nothere.example.com",
	    "alias3.example.com", "example.org", NULL };
	static uint8_t		 resp[DNS_MAXMSG];
	struct answer_info	 ai;
	struct dns_header	 h;
	struct wire		 w;
	struct tq		 o;
	uint8_t			 q[600];
	uint32_t		 seed = 7;
	size_t			 len, n, k, cap;
	int			 i;

	std_zone();
	memset(&o, 0, sizeof(o));
	for (i = 0; i < 20000; i++) {
		o.edns = i & 1;
		o.size = 1232;
		len = tq_make(q, sizeof(q), names[i % 6], i % 300, &o);
		for (k = 0; k < 1 + (size_t)i % 4; k++) {
			seed = seed * 1103515245U + 12345U;
			q[(seed >> 8) % len] ^= 1 << ((seed >> 4) % 8);
		}
		seed = seed * 1103515245U + 12345U;
		if ((seed >> 8) % 5 == 0)
			len = (seed >> 12) % len;
		cap = i % 7 == 0 ? 100 : sizeof(resp);
		n = answer_query(q, len, resp, cap, i & 2, NULL, &ai);
		ATF_REQUIRE(n <= cap);
		if (n == 0)
			continue;
		ATF_REQUIRE(n >= DNS_HDRLEN);
		wire_init(&w, resp, n);
		ATF_REQUIRE(wire_header(&w, &h) == 0);
		ATF_REQUIRE(h.flags & DNS_F_QR);
		ATF_REQUIRE(ai.rcode >= 0);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, damaged_queries_never_crash);
	ATF_TP_ADD_TC(tp, root_zone);
	ATF_TP_ADD_TC(tp, wildcard_pointers_stay_below_16k);
	ATF_TP_ADD_TC(tp, apex_wildcard_and_long_names);
	ATF_TP_ADD_TC(tp, large_wildcard_answer_over_tcp);
	ATF_TP_ADD_TC(tp, exact_a_keeps_query_case);
	ATF_TP_ADD_TC(tp, mx_gets_additional_addresses);
	ATF_TP_ADD_TC(tp, ns_and_srv_get_additional_addresses);
	ATF_TP_ADD_TC(tp, txt_and_unknown_type);
	ATF_TP_ADD_TC(tp, nxdomain_has_soa_with_negative_ttl);
	ATF_TP_ADD_TC(tp, nodata_has_soa);
	ATF_TP_ADD_TC(tp, empty_non_terminal_is_nodata);
	ATF_TP_ADD_TC(tp, wildcard_synthesis_any_length);
	ATF_TP_ADD_TC(tp, wildcard_blocked_by_existing_name);
	ATF_TP_ADD_TC(tp, cname_chains_in_zone);
	ATF_TP_ADD_TC(tp, cname_chain_ends);
	ATF_TP_ADD_TC(tp, wildcard_cname);
	ATF_TP_ADD_TC(tp, dname_synthesis);
	ATF_TP_ADD_TC(tp, dname_does_not_fit);
	ATF_TP_ADD_TC(tp, referral_with_glue);
	ATF_TP_ADD_TC(tp, ds_at_cut_is_authoritative);
	ATF_TP_ADD_TC(tp, any_is_minimal);
	ATF_TP_ADD_TC(tp, edns_badvers_and_do);
	ATF_TP_ADD_TC(tp, udp_size_limits_and_tc);
	ATF_TP_ADD_TC(tp, formerr_and_drops);
	ATF_TP_ADD_TC(tp, formerr_bad_opt);
	ATF_TP_ADD_TC(tp, formerr_pointer_chain_work);
	ATF_TP_ADD_TC(tp, notimp_and_notify);
	ATF_TP_ADD_TC(tp, refused_cases);
	ATF_TP_ADD_TC(tp, transfers_handed_on);
	ATF_TP_ADD_TC(tp, qclass_any_answers_from_in_data);
	ATF_TP_ADD_TC(tp, dname_occludes_names_below);
	ATF_TP_ADD_TC(tp, rrset_served_with_lowest_ttl);
	ATF_TP_ADD_TC(tp, servfail_without_image_or_expired);
	ATF_TP_ADD_TC(tp, zones_longest_suffix);
	ATF_TP_ADD_TC(tp, bad_image_keeps_old);
	ATF_TP_ADD_TC(tp, served_image_cannot_change);
	ATF_TP_ADD_TC(tp, small_image_is_copied);
	ATF_TP_ADD_TC(tp, small_zones_cost_their_images);
	return (atf_no_error());
}
