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
 * zoned/journal.c: IXFRs appended to NAME.jnl instead of NAME.zone being
 * written whole, the zone loaded as NAME.zone with the journal applied,
 * compaction, and what a kill at each step of an append or a compaction
 * leaves: the journal cut at every byte of its last entry loads as the
 * zone before that entry or after it, never an error or a mix.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

#include "regress/image/tzone.h"
#include "fnv.h"
#include "zoned/store.h"
#include "zoned/zoned.h"

#define ZONE		"example.com"
#define SOA(n)		"@ 3600 SOA ns1 hostmaster " #n " 7200 3600 1209600 300"

static const char *const base[] = {
	SOA(1),
	"@ 3600 NS ns1",
	"ns1 3600 A 192.0.2.53",
	"www 300 A 192.0.2.1",
	"old 300 A 192.0.2.9",
	NULL
};

/* Three IXFRs, 1 -> 2 -> 3 -> 4. */
static const char *const d12[] = {
	SOA(1), "old 300 A 192.0.2.9", SOA(2), "new 300 A 192.0.2.7", NULL
};
static const char *const d23[] = {
	SOA(2), "www 300 A 192.0.2.1", SOA(3), "www 60 A 192.0.2.2",
	"two 300 TXT \"two\"", NULL
};
static const char *const same[] = {
	SOA(2), SOA(2), "same 300 A 192.0.2.22", NULL
};
static const char *const d34[] = {
	SOA(3), "new 300 A 192.0.2.7", SOA(4), "four 300 A 192.0.2.4", NULL
};

/* The lines as a store file (the header's counts made here). */
static void
put(const char *path, const char *const *lines, uint32_t serial,
    uint32_t kind)
{
	struct store_header	 h;
	struct tzone		 t;
	size_t			 i;
	FILE			*f;

	tz_init(&t, ZONE);
	tz_lines(&t, lines);
	store_header_init(&h, serial, kind);
	h.records = t.n;
	h.when = 1000 + serial;
	h.stored = 2000 + serial;
	strlcpy(h.primary, "192.0.2.53", sizeof(h.primary));
	for (i = 0; i < t.n; i++)
		h.bytes += 11 + t.rrs[i].ownerlen + t.rrs[i].rdlen;
	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	fwrite(&h, sizeof(h), 1, f);
	for (i = 0; i < t.n; i++)
		store_put(f, &t.rrs[i]);
	ATF_REQUIRE(fclose(f) == 0);
	tz_free(&t);
}

/*
 * Whether the IXFR in path applies to the stored zone, as a full build
 * finds out (store_zone): 0 and *after, the zone's header after it, or
 * -1 with err.
 */
static int
check(const char *path, struct store_header *after, char *err,
    size_t errlen)
{
	struct stored_zone	 sz;

	if (store_zone(ZONE, NULL, path, &sz, err, errlen) == -1)
		return (-1);
	*after = sz.hdr;
	store_unload(&sz);
	return (0);
}

/* Check the IXFR and append it, as change_full and change_commit do. */
static void
append(const char *const *lines, uint32_t serial)
{
	struct store_header	 after;
	char			 err[SECD_MSGLEN];

	put(ZONE ".ixfr.tmp", lines, serial, XFR_IXFR);
	ATF_REQUIRE_MSG(check(ZONE ".ixfr.tmp", &after, err,
	    sizeof(err)) == 0, "serial %u: %s", serial, err);
	ATF_CHECK_EQ(after.serial, serial);
	ATF_REQUIRE_MSG(jnl_append(ZONE, ZONE ".ixfr.tmp", &after, err,
	    sizeof(err)) == 0, "serial %u: %s", serial, err);
	unlink(ZONE ".ixfr.tmp");
}

/*
 * The zone as store_zone loads it, one record a line of text (owner,
 * type, TTL, rdata in hex) in the order loaded, into buf; its serial.
 */
static uint32_t
zone_text(char *buf, size_t len)
{
	struct stored_zone	 sz;
	const struct zrr	*r;
	char			 err[SECD_MSGLEN], name[DNS_MAXNAMESTR];
	size_t			 i, j, o = 0;
	uint32_t		 serial;

	ATF_REQUIRE_MSG(store_zone(ZONE, NULL, NULL, &sz, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_EQ(sz.src.nrr, sz.hdr.records);
	for (i = 0; i < sz.src.nrr; i++) {
		r = &sz.src.rrs[i];
		/* the builder's own flags: clear in what is loaded */
		ATF_CHECK_MSG(r->proxy == 0 && r->hidden == 0 &&
		    r->apexcname == 0, "record %zu has flags set", i);
		dns_name_to_text(r->owner, r->ownerlen, name, sizeof(name));
		o += snprintf(buf + o, len - o, "%s %u %u ", name, r->type,
		    r->ttl);
		for (j = 0; j < r->rdlen; j++)
			o += snprintf(buf + o, len - o, "%02x", r->rdata[j]);
		o += snprintf(buf + o, len - o, "\n");
		ATF_REQUIRE(o < len);
	}
	serial = sz.hdr.serial;
	store_unload(&sz);
	return serial;
}

static size_t
file_size(const char *path)
{
	struct stat	 st;

	ATF_REQUIRE_MSG(stat(path, &st) == 0, "%s missing", path);
	return st.st_size;
}

/* The first len bytes of buf as path. */
static void
write_prefix(const char *path, const uint8_t *buf, size_t len)
{
	int	 fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	ATF_REQUIRE(write(fd, buf, len) == (ssize_t)len);
	close(fd);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	uint8_t	*p;
	FILE	*f;

	*len = file_size(path);
	ATF_REQUIRE((p = malloc(*len + 1)) != NULL);
	ATF_REQUIRE((f = fopen(path, "r")) != NULL);
	ATF_REQUIRE(fread(p, 1, *len, f) == *len);
	fclose(f);
	return p;
}

ATF_TC_WITHOUT_HEAD(append_leaves_zone_file_alone);
ATF_TC_BODY(append_leaves_zone_file_alone, tc)
{
	static char	 text[8192];
	struct xfr_msg	 m;
	struct dns_soa	 soa;
	uint8_t		*before, *now;
	size_t		 blen, nlen;

	put(ZONE ".zone", base, 1, XFR_AXFR);
	before = slurp(ZONE ".zone", &blen);
	append(d12, 2);
	append(d23, 3);
	now = slurp(ZONE ".zone", &nlen);
	ATF_CHECK_MSG(blen == nlen && memcmp(before, now, blen) == 0,
	    "NAME.zone was written");
	ATF_CHECK_EQ(zone_text(text, sizeof(text)), 3);
	ATF_CHECK(strstr(text, "old.example.com.") == NULL);
	ATF_CHECK(strstr(text, "new.example.com. 1 300 c0000207") != NULL);
	ATF_CHECK(strstr(text, "www.example.com. 1 60 c0000202") != NULL);
	ATF_CHECK(strstr(text, "www.example.com. 1 300") == NULL);
	ATF_CHECK(strncmp(text, "example.com. 6 ", 15) == 0);
	/* what xfrd is told: the journal's serial, SOA and counts */
	memset(&m, 0, sizeof(m));
	ATF_REQUIRE(zone_info(ZONE, &m) == 0);
	ATF_CHECK_EQ(m.serial, 3);
	ATF_REQUIRE(dns_soa_parse(m.soa, m.soalen, &soa) == 0);
	ATF_CHECK_EQ(soa.serial, 3);
	ATF_CHECK_EQ(m.records, 6);
	ATF_CHECK_EQ(m.when, 1003);
	ATF_CHECK_EQ(m.checked, 2003);
	free(before);
	free(now);
}

ATF_TC_WITHOUT_HEAD(delta_must_chain_on_journal);
ATF_TC_BODY(delta_must_chain_on_journal, tc)
{
	struct store_header	 after;
	char			 err[SECD_MSGLEN];

	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	/* 1 -> 2 again: NAME.zone's serial, not the zone's */
	put("delta", d12, 2, XFR_IXFR);
	ATF_CHECK(check("delta", &after, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "do not chain") != NULL ||
	    strstr(err, "not in the zone") != NULL, "%s", err);
	/* a deletion of what the journal deleted */
	put("delta", d34, 4, XFR_IXFR);
	ATF_CHECK(check("delta", &after, err, sizeof(err)) == -1);
	/* a serial never comes back by IXFR: zones.c tells images by it */
	put("delta", same, 2, XFR_IXFR);
	ATF_CHECK(check("delta", &after, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "serial stays 2") != NULL, "%s", err);
}

ATF_TC_WITHOUT_HEAD(pending_delta_loads_on_top);
ATF_TC_BODY(pending_delta_loads_on_top, tc)
{
	struct stored_zone	 sz;
	char			 err[SECD_MSGLEN];

	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	put("delta", d23, 3, XFR_IXFR);
	ATF_REQUIRE_MSG(store_zone(ZONE, NULL, "delta", &sz, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(sz.hdr.serial, 3);
	ATF_CHECK_EQ(sz.src.nrr, 6);
	store_unload(&sz);
	/* not committed: the stored zone is still 2 */
	ATF_REQUIRE(store_zone(ZONE, NULL, NULL, &sz, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(sz.hdr.serial, 2);
	store_unload(&sz);
}

ATF_TC_WITHOUT_HEAD(torn_tail_at_every_byte);
ATF_TC_BODY(torn_tail_at_every_byte, tc)
{
	static char	 z1[8192], z2[8192], z3[8192], got[8192];
	uint8_t		*full;
	size_t		 flen, e2, len;
	uint32_t	 serial;

	put(ZONE ".zone", base, 1, XFR_AXFR);
	zone_text(z1, sizeof(z1));
	append(d12, 2);
	e2 = file_size(ZONE ".jnl");
	zone_text(z2, sizeof(z2));
	append(d23, 3);
	zone_text(z3, sizeof(z3));
	full = slurp(ZONE ".jnl", &flen);
	for (len = 0; len <= flen; len++) {
		write_prefix(ZONE ".jnl", full, len);
		serial = zone_text(got, sizeof(got));
		if (len == flen) {
			ATF_CHECK_EQ_MSG(serial, 3, "cut at %zu", len);
			ATF_CHECK_STREQ(got, z3);
		} else if (len >= e2) {
			ATF_CHECK_EQ_MSG(serial, 2, "cut at %zu", len);
			ATF_CHECK_STREQ_MSG(got, z2, "cut at %zu", len);
		} else {
			ATF_CHECK_EQ_MSG(serial, 1, "cut at %zu", len);
			ATF_CHECK_STREQ_MSG(got, z1, "cut at %zu", len);
		}
	}
	/* a torn tail is cut off by the next append */
	write_prefix(ZONE ".jnl", full, flen - 3);
	append(d23, 3);
	ATF_CHECK_EQ(file_size(ZONE ".jnl"), flen);
	ATF_CHECK_EQ(zone_text(got, sizeof(got)), 3);
	ATF_CHECK_STREQ(got, z3);
	/* a byte of the last entry damaged: its sum fails, it is not there */
	full[flen - 2] ^= 0x40;
	write_prefix(ZONE ".jnl", full, flen);
	ATF_CHECK_EQ(zone_text(got, sizeof(got)), 2);
	ATF_CHECK_STREQ(got, z2);
	free(full);
}

/*
 * An entry whose sum is good but that counts a record more than it holds
 * (a journal written wrong, not torn): the zone is refused, and said why.
 */
ATF_TC_WITHOUT_HEAD(entry_count_is_checked);
ATF_TC_BODY(entry_count_is_checked, tc)
{
	struct stored_zone	 sz;
	struct jnl_entry	 e;
	char			 err[SECD_MSGLEN] = "";
	uint8_t			*full;
	size_t			 flen, off = sizeof(struct jnl_header);

	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	full = slurp(ZONE ".jnl", &flen);
	ATF_REQUIRE(flen > off + sizeof(e));
	memcpy(&e, full + off, sizeof(e));
	e.nrr++;
	e.sum = fnv64_add(fnv64_add(FNV64_BASIS, &e.len, sizeof(e) -
	    offsetof(struct jnl_entry, len)), full + off + sizeof(e), e.len);
	memcpy(full + off, &e, sizeof(e));
	write_prefix(ZONE ".jnl", full, flen);
	ATF_CHECK(store_zone(ZONE, NULL, NULL, &sz, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "records where the entry counts") != NULL,
	    "%s", err);
	free(full);
}

/* A stored zone holding a record more than its header counts: refused. */
ATF_TC_WITHOUT_HEAD(zone_count_is_checked);
ATF_TC_BODY(zone_count_is_checked, tc)
{
	struct stored_zone	 sz;
	struct store_header	 h;
	char			 err[SECD_MSGLEN] = "";
	uint8_t			*full;
	size_t			 flen;

	put(ZONE ".zone", base, 1, XFR_AXFR);
	full = slurp(ZONE ".zone", &flen);
	memcpy(&h, full, sizeof(h));
	h.records--;
	memcpy(full, &h, sizeof(h));
	write_prefix(ZONE ".zone", full, flen);
	ATF_CHECK(store_zone(ZONE, NULL, NULL, &sz, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "records where the header counts") != NULL,
	    "%s", err);
	free(full);
}

/* zoned's sweep at start, with ZONE configured. */
static void
sweep(void)
{
	struct secd_conf	*conf;
	struct zone_opts	*o;
	struct zone_conf	*z;

	ATF_REQUIRE((conf = config_new()) != NULL);
	ATF_REQUIRE((o = config_opts_new()) != NULL);
	ATF_REQUIRE(config_opts_add(conf, o) == 0);
	ATF_REQUIRE((z = config_zone_new(ZONE, o)) != NULL);
	TAILQ_INSERT_TAIL(&conf->zones, z, entry);
	ATF_REQUIRE(config_index(conf) == 0);
	store_sweep(conf);
	config_free(conf);
}

ATF_TC_WITHOUT_HEAD(stale_journal_is_ignored_and_swept);
ATF_TC_BODY(stale_journal_is_ignored_and_swept, tc)
{
	static char	 text[8192], axfr[8192];

	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	/* an AXFR of serial 7 renamed over NAME.zone, killed before the
	   journal was removed */
	put(ZONE ".zone", base, 7, XFR_AXFR);
	ATF_CHECK_EQ(zone_text(text, sizeof(text)), 7);
	ATF_CHECK(strstr(text, "old.example.com.") != NULL);
	ATF_CHECK(strstr(text, "new.example.com.") == NULL);
	sweep();
	ATF_CHECK(access(ZONE ".jnl", F_OK) == -1);
	zone_text(axfr, sizeof(axfr));
	ATF_CHECK_STREQ(text, axfr);
	/* an append after it begins a new journal */
	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	ATF_CHECK_EQ(zone_text(text, sizeof(text)), 2);
}

ATF_TC_WITHOUT_HEAD(compaction_equals_the_zone);
ATF_TC_BODY(compaction_equals_the_zone, tc)
{
	static char	 before[8192], after[8192];
	char		 err[SECD_MSGLEN];

	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	append(d23, 3);
	append(d34, 4);
	ATF_CHECK(jnl_due(ZONE));
	ATF_CHECK_EQ(zone_text(before, sizeof(before)), 4);
	ATF_REQUIRE_MSG(jnl_compact(ZONE, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK(access(ZONE ".jnl", F_OK) == -1);
	ATF_CHECK(access(ZONE ".compact.tmp", F_OK) == -1);
	ATF_CHECK_EQ(zone_text(after, sizeof(after)), 4);
	ATF_CHECK_STREQ(before, after);
	ATF_CHECK(!jnl_due(ZONE));
}

/*
 * A kill at each step of a compaction: NAME.compact.tmp written in part
 * or whole (before the rename), or NAME.zone replaced with the journal
 * still there (before its removal); each loads as the same zone, and the
 * start's sweep leaves NAME.zone alone.
 */
ATF_TC_WITHOUT_HEAD(compaction_killed_at_each_step);
ATF_TC_BODY(compaction_killed_at_each_step, tc)
{
	static char	 want[8192], got[8192];
	char		 err[SECD_MSGLEN];
	uint8_t		*tmp;
	size_t		 tlen, len;

	put(ZONE ".zone", base, 1, XFR_AXFR);
	append(d12, 2);
	append(d23, 3);
	zone_text(want, sizeof(want));
	ATF_REQUIRE_MSG(ixfr_apply(ZONE, NULL, ZONE ".compact.tmp", err,
	    sizeof(err)) == 0, "%s", err);
	tmp = slurp(ZONE ".compact.tmp", &tlen);
	for (len = 0; len <= tlen; len += 7) {
		write_prefix(ZONE ".compact.tmp", tmp, len);
		ATF_CHECK_EQ(zone_text(got, sizeof(got)), 3);
		ATF_CHECK_STREQ_MSG(got, want, "temp file of %zu bytes", len);
	}
	sweep();
	ATF_CHECK(access(ZONE ".compact.tmp", F_OK) == -1);
	ATF_CHECK(access(ZONE ".jnl", F_OK) == 0);
	ATF_CHECK_EQ(zone_text(got, sizeof(got)), 3);
	/* renamed, the journal not removed yet */
	write_prefix(ZONE ".compact.tmp", tmp, tlen);
	ATF_REQUIRE(rename(ZONE ".compact.tmp", ZONE ".zone") == 0);
	ATF_CHECK_EQ(zone_text(got, sizeof(got)), 3);
	ATF_CHECK_STREQ(got, want);
	sweep();
	ATF_CHECK(access(ZONE ".jnl", F_OK) == -1);
	ATF_CHECK_EQ(zone_text(got, sizeof(got)), 3);
	ATF_CHECK_STREQ(got, want);
	free(tmp);
}

/* Many entries, each changing one record: then compacted. */
ATF_TC_WITHOUT_HEAD(many_entries);
ATF_TC_BODY(many_entries, tc)
{
	static char	 text[16384], after[16384];
	char		 old[64], new[64], s0[80], s1[80], name[64];
	char		 err[SECD_MSGLEN];
	const char	*d[6];
	uint32_t	 i;
	int		 k;

	put(ZONE ".zone", base, 1, XFR_AXFR);
	for (i = 1; i < 300; i++) {
		snprintf(s0, sizeof(s0), "@ 3600 SOA ns1 hostmaster %u 7200 "
		    "3600 1209600 300", i);
		snprintf(s1, sizeof(s1), "@ 3600 SOA ns1 hostmaster %u 7200 "
		    "3600 1209600 300", i + 1);
		snprintf(old, sizeof(old), "c 300 TXT \"%u\"", i - 1);
		snprintf(new, sizeof(new), "c 300 TXT \"%u\"", i);
		snprintf(name, sizeof(name), "n%u 300 A 192.0.2.%u", i,
		    i % 250);
		k = 0;
		d[k++] = s0;
		if (i > 1)
			d[k++] = old;	/* the previous entry's */
		d[k++] = s1;
		d[k++] = new;
		d[k++] = name;
		d[k] = NULL;
		append(d, i + 1);
	}
	ATF_CHECK_EQ(zone_text(text, sizeof(text)), 300);
	ATF_CHECK_MSG(strstr(text, "c.example.com. 16 300 052232393922") != NULL,
	    "%s", text);
	ATF_CHECK(strstr(text, "n299.example.com.") != NULL);
	ATF_REQUIRE_MSG(jnl_compact(ZONE, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK_EQ(zone_text(after, sizeof(after)), 300);
	ATF_CHECK_STREQ(text, after);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, append_leaves_zone_file_alone);
	ATF_TP_ADD_TC(tp, delta_must_chain_on_journal);
	ATF_TP_ADD_TC(tp, pending_delta_loads_on_top);
	ATF_TP_ADD_TC(tp, torn_tail_at_every_byte);
	ATF_TP_ADD_TC(tp, entry_count_is_checked);
	ATF_TP_ADD_TC(tp, zone_count_is_checked);
	ATF_TP_ADD_TC(tp, stale_journal_is_ignored_and_swept);
	ATF_TP_ADD_TC(tp, compaction_equals_the_zone);
	ATF_TP_ADD_TC(tp, compaction_killed_at_each_step);
	ATF_TP_ADD_TC(tp, many_entries);
	return (atf_no_error());
}
