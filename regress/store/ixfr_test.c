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
 * zoned/ixfr.c: IXFR deltas applied to a stored zone.  Each case writes
 * NAME.zone and a delta file in its work directory (store encoding, as
 * zoned's transfers do), applies the delta and reads the result back.
 */

#include <fcntl.h>

#include "regress/image/tzone.h"
#include "zoned/store.h"
#include "zoned/zoned.h"

#define ZONE		"example.com"

static struct tzone	 cur, delta;

static const char *const base[] = {
	"@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300",
	"@ 3600 NS ns1",
	"ns1 3600 A 192.0.2.53",
	"www 300 A 192.0.2.1",
	"old 300 A 192.0.2.9",
	NULL
};

/* The records of t, in order, as a store file with that serial. */
static void
store_write(const char *path, const struct tzone *t, uint32_t serial)
{
	struct store_header	 h;
	size_t			 i;
	FILE			*f;

	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	store_header_init(&h, serial, XFR_IXFR);
	h.records = t->n;
	fwrite(&h, sizeof(h), 1, f);
	for (i = 0; i < t->n; i++)
		h.bytes += store_put(f, &t->rrs[i]);
	rewind(f);
	fwrite(&h, sizeof(h), 1, f);
	ATF_REQUIRE(fclose(f) == 0);
}

/* Apply delta (new serial) to cur; the error text, or NULL on success. */
static const char *
apply(uint32_t serial)
{
	static char	 err[SECD_MSGLEN];

	store_write(ZONE ".zone", &cur, 1);
	store_write("delta", &delta, serial);
	if (ixfr_apply(ZONE, "delta", "out", err, sizeof(err)) == 0)
		return NULL;
	return err;
}

/* How many records of the result are type at name, with ttl if not 0. */
static int
count(struct stored_zone *sz, const char *name, uint16_t type,
    uint32_t ttl)
{
	uint8_t		 wire[DNS_MAXNAME];
	size_t		 len, i;
	int		 n = 0;

	ATF_REQUIRE(dns_name_from_text(name, wire, &len) == 0);
	for (i = 0; i < sz->src.nrr; i++)
		if (sz->src.rrs[i].type == type &&
		    (ttl == 0 || sz->src.rrs[i].ttl == ttl) &&
		    dns_name_equal(sz->src.rrs[i].owner,
		    sz->src.rrs[i].ownerlen, wire, len))
			n++;
	return n;
}

static void
load_out(struct stored_zone *sz, uint32_t serial)
{
	char		 err[SECD_MSGLEN];
	struct dns_soa	 soa;

	ATF_REQUIRE_MSG(store_load(ZONE, "out", sz, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(sz->hdr.serial, serial);
	ATF_REQUIRE(sz->src.nrr > 0);
	ATF_CHECK_EQ(sz->src.rrs[0].type, DNS_T_SOA);
	ATF_REQUIRE(dns_soa_parse(sz->src.rrs[0].rdata, sz->src.rrs[0].rdlen,
	    &soa) == 0);
	ATF_CHECK_EQ(soa.serial, serial);
	ATF_CHECK_EQ(count(sz, ZONE ".", DNS_T_SOA, 0), 1);
}

static void
setup(void)
{
	tz_init(&cur, ZONE);
	tz_lines(&cur, base);
	tz_init(&delta, ZONE);
}

ATF_TC_WITHOUT_HEAD(one_delta_applies);
ATF_TC_BODY(one_delta_applies, tc)
{
	struct stored_zone	 sz;
	const char		*err;

	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "OLD 300 A 192.0.2.9");	/* case does not matter */
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	tz_add(&delta, "new 300 A 192.0.2.7");
	tz_add(&delta, "www 300 A 192.0.2.2");
	ATF_REQUIRE_MSG((err = apply(2)) == NULL, "%s", err);
	load_out(&sz, 2);
	ATF_CHECK_EQ(sz.src.nrr, 6);
	ATF_CHECK_EQ(count(&sz, "old." ZONE ".", DNS_T_A, 0), 0);
	ATF_CHECK_EQ(count(&sz, "new." ZONE ".", DNS_T_A, 0), 1);
	ATF_CHECK_EQ(count(&sz, "www." ZONE ".", DNS_T_A, 0), 2);
	store_unload(&sz);
}

ATF_TC_WITHOUT_HEAD(deltas_chain);
ATF_TC_BODY(deltas_chain, tc)
{
	struct stored_zone	 sz;
	const char		*err;

	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	tz_add(&delta, "two 300 A 192.0.2.2");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	tz_add(&delta, "two 300 A 192.0.2.2");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 3 7200 3600 1209600 300");
	tz_add(&delta, "three 300 A 192.0.2.3");
	ATF_REQUIRE_MSG((err = apply(3)) == NULL, "%s", err);
	load_out(&sz, 3);
	ATF_CHECK_EQ(count(&sz, "two." ZONE ".", DNS_T_A, 0), 0);
	ATF_CHECK_EQ(count(&sz, "three." ZONE ".", DNS_T_A, 0), 1);
	store_unload(&sz);
}

ATF_TC_WITHOUT_HEAD(added_record_replaces_its_ttl);
ATF_TC_BODY(added_record_replaces_its_ttl, tc)
{
	struct stored_zone	 sz;
	const char		*err;

	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	tz_add(&delta, "www 60 A 192.0.2.1");
	ATF_REQUIRE_MSG((err = apply(2)) == NULL, "%s", err);
	load_out(&sz, 2);
	ATF_CHECK_EQ(count(&sz, "www." ZONE ".", DNS_T_A, 0), 1);
	ATF_CHECK_EQ(count(&sz, "www." ZONE ".", DNS_T_A, 60), 1);
	store_unload(&sz);
}

ATF_TC_WITHOUT_HEAD(refusals);
ATF_TC_BODY(refusals, tc)
{
	const char	*err;

	/* a deleted record that is not there */
	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "www 300 A 192.0.2.99");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	ATF_REQUIRE((err = apply(2)) != NULL);
	ATF_CHECK_MSG(strstr(err, "deletes www.example.com. A, which is "
	    "not in the zone") != NULL, "%s", err);
	ATF_CHECK(access("out", F_OK) == -1);

	/* a delta from another serial: its old SOA is not the zone's */
	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 7 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 8 7200 3600 1209600 300");
	ATF_REQUIRE((err = apply(8)) != NULL);
	ATF_CHECK_MSG(strstr(err, "do not chain") != NULL, "%s", err);

	/* the second delta does not start where the first ended */
	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 5 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 6 7200 3600 1209600 300");
	ATF_REQUIRE((err = apply(6)) != NULL);
	ATF_CHECK_MSG(strstr(err, "delta 2") != NULL &&
	    strstr(err, "do not chain") != NULL, "%s", err);

	/* deltas ending elsewhere than the serial announced */
	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 2 7200 3600 1209600 300");
	ATF_REQUIRE((err = apply(3)) != NULL);
	ATF_CHECK_MSG(strstr(err, "is not serial 3") != NULL, "%s", err);

	/* not beginning with an SOA; ending in the deletions */
	setup();
	tz_add(&delta, "www 300 A 192.0.2.1");
	ATF_REQUIRE((err = apply(2)) != NULL);
	ATF_CHECK_MSG(strstr(err, "do not begin with an SOA") != NULL, "%s",
	    err);
	setup();
	tz_add(&delta, "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300");
	tz_add(&delta, "www 300 A 192.0.2.1");
	ATF_REQUIRE((err = apply(2)) != NULL);
	ATF_CHECK_MSG(strstr(err, "adds nothing") != NULL, "%s", err);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, one_delta_applies);
	ATF_TP_ADD_TC(tp, deltas_chain);
	ATF_TP_ADD_TC(tp, added_record_replaces_its_ttl);
	ATF_TP_ADD_TC(tp, refusals);
	return (atf_no_error());
}
