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
 * shared/storerec.c: one record in the store encoding, its exact bytes,
 * read back, and refused when truncated or without room.
 */

#include <stdint.h>
#include <string.h>

#include <atf-c.h>

#include "dns.h"
#include "storerec.h"

/* a. 16909060 IN A 192.0.2.1 */
static const uint8_t	 owner[] = { 1, 'a', 0 };
static const uint8_t	 addr[] = { 192, 0, 2, 1 };
static const uint8_t	 enc[] = {
	3, 1, 'a', 0,			/* ownerlen, owner */
	0, 1, 0, 1,			/* type A, class IN */
	1, 2, 3, 4,			/* ttl */
	0, 4, 192, 0, 2, 1,		/* rdlen, rdata */
};

static void
rec(struct storerec *r)
{
	memset(r, 0, sizeof(*r));
	r->owner = owner;
	r->ownerlen = sizeof(owner);
	r->type = DNS_T_A;
	r->class = DNS_C_IN;
	r->ttl = 0x01020304;
	r->rdlen = sizeof(addr);
	r->rdata = addr;
}

ATF_TC_WITHOUT_HEAD(put_writes_network_order);
ATF_TC_BODY(put_writes_network_order, tc)
{
	struct storerec	 r;
	struct wbuf	 w;
	uint8_t		 buf[64];

	rec(&r);
	wbuf_init(&w, buf, sizeof(buf));
	ATF_REQUIRE(storerec_put(&w, &r) == 0);
	ATF_CHECK_EQ(w.len, sizeof(enc));
	ATF_CHECK_EQ(w.len, STOREREC_FIXED + sizeof(owner) + sizeof(addr));
	ATF_CHECK(memcmp(buf, enc, sizeof(enc)) == 0);
}

ATF_TC_WITHOUT_HEAD(get_reads_what_put_wrote);
ATF_TC_BODY(get_reads_what_put_wrote, tc)
{
	struct storerec	 r;
	struct wire	 w;

	wire_init(&w, enc, sizeof(enc));
	ATF_REQUIRE(storerec_get(&w, &r) == 0);
	ATF_CHECK_EQ(w.off, sizeof(enc));
	ATF_CHECK_EQ(r.ownerlen, sizeof(owner));
	ATF_CHECK(memcmp(r.owner, owner, sizeof(owner)) == 0);
	ATF_CHECK_EQ(r.type, DNS_T_A);
	ATF_CHECK_EQ(r.class, DNS_C_IN);
	ATF_CHECK_EQ(r.ttl, 0x01020304U);
	ATF_CHECK_EQ(r.rdlen, sizeof(addr));
	ATF_CHECK(memcmp(r.rdata, addr, sizeof(addr)) == 0);
	ATF_CHECK(r.owner == enc + 1 && r.rdata == enc + 14);
}

ATF_TC_WITHOUT_HEAD(get_refuses_a_truncated_record);
ATF_TC_BODY(get_refuses_a_truncated_record, tc)
{
	struct storerec	 r;
	struct wire	 w;
	size_t		 n;

	for (n = 0; n < sizeof(enc); n++) {
		wire_init(&w, enc, n);
		ATF_CHECK_MSG(storerec_get(&w, &r) == -1 && w.err,
		    "%zu of %zu bytes: expected -1, got a record", n,
		    sizeof(enc));
	}
}

ATF_TC_WITHOUT_HEAD(put_refuses_without_room);
ATF_TC_BODY(put_refuses_without_room, tc)
{
	struct storerec	 r;
	struct wbuf	 w;
	uint8_t		 buf[sizeof(enc) - 1];

	rec(&r);
	wbuf_init(&w, buf, sizeof(buf));
	ATF_CHECK(storerec_put(&w, &r) == -1 && w.err);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, put_writes_network_order);
	ATF_TP_ADD_TC(tp, get_reads_what_put_wrote);
	ATF_TP_ADD_TC(tp, get_refuses_a_truncated_record);
	ATF_TP_ADD_TC(tp, put_refuses_without_room);
	return (atf_no_error());
}
