#! /usr/bin/env atf-sh
# Copyright (c) 2026 The secd developers
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# A hostile or broken primary (secd.conf(5), transfer limits): after a good
# transfer, badprimary.py serves a new serial with a fault (an endless
# zone, a record out of the zone, a compression loop, a record longer
# than its message, a stall, a wrong closing SOA) or a zone past a
# configured limit (transfer max-records, max-bytes, timeout).  Each
# "secctl retransfer" fails with the reason, which is logged and shown;
# the old serial and data are still served and every secd process is the
# one that was there before.  And a big zone from Knot, TSIG-signed over
# many messages, is transferred and answered like Knot answers it.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3

# setup [NAMES2]: the test zone at serial 2024010101 in $D/zone, at
# 2024020202 (with NAMES2 ordinary names, default 300) in $D/zone2; a
# port for secd ($PORT) and one for the primary ($PP).
setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	P="127\.0\.0\.1:$PP"		# the primary, as secd names it
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	"$ZONEGEN" --kind test --names "${1:-300}" --serial 2024020202 \
	    -o "$D/zone2" "$ORIGIN" || atf_fail "zonegen.py failed"
}

# conf [KEYNAME ALG SECRET]: secd.conf with the zone from 127.0.0.1@$PP;
# CONF_GLOBAL and CONF_ZONE are lines added globally and to the zone.
conf() {
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
${CONF_GLOBAL:-}
CONF
		if [ -n "${1:-}" ]; then
			printf 'tsig key "%s" {\n\talgorithm %s\n' "$1" "$2"
			printf '\tsecret "%s"\n}\n' "$3"
			printf 'zone "%s" {\n' "$ZONE"
			printf '\tprimary 127.0.0.1 port %s tsig "%s"\n' \
			    "$PP" "$1"
		else
			printf 'zone "%s" {\n\tprimary 127.0.0.1 port %s\n' \
			    "$ZONE" "$PP"
		fi
		printf '%s\n}\n' "${CONF_ZONE:-}"
	} >"$D/secd.conf"
}

# procs: secd's processes as "secctl status" lists them, one a line
# (name instance pid), and the parent's children as the kernel has them.
procs() {
	ctl -j status | "$PY" -c '
import json, sys
for p in json.load(sys.stdin)["processes"]:
    print(p["name"], p["instance"], p["pid"])
' | sort
	child_pids "$D" | sort -n | sed 's/^/child /'
}

hostile_cleanup() { secondary_cleanup; }

# good_first [KEYNAME ALG SECRET]: secd serves serial 2024010101 from a
# correct badprimary.py on $PP ($GOOD_ZONE, default $D/zone), with that
# key if given; the AXFR in $D/good, the processes in $D/procs.
good_first() {
	conf "$@"
	if [ -n "${1:-}" ]; then
		start_bad "${GOOD_ZONE:-$D/zone}" --key "$1" "$2" "$3"
	else
		start_bad "${GOOD_ZONE:-$D/zone}"
	fi
	start_secd "$D"
	wait_served 2024010101 1
	peer_axfr "$D/good" "$PP" "$ORIGIN" "$@" ||
	    atf_fail "AXFR from badprimary.py failed"
	procs >"$D/procs"
	stop_bad
}

# poll_gone FILE: FILE does not exist, or is gone within 5 s.
poll_gone() {
	local i
	for i in $(seq 1 50); do
		[ -e "$1" ] || return 0
		sleep 0.1
	done
	return 1
}

# refused WHY: "retransfer" exits 1 with WHY (an extended regular
# expression), which is logged and in "show zones"; serial 2024010101 and
# its records are still served, by the same processes.
refused() {
	local i
	ctl retransfer "$ZONE" >"$D/ctl.out" 2>"$D/ctl.err"
	i=$?
	[ $i = 1 ] || atf_fail "secctl retransfer exited $i, expected 1:" \
	    "$(cat "$D/ctl.out" "$D/ctl.err")"
	grep -Eq "zone $ZONE: every primary failed, last $P: .*($1)" \
	    "$D/ctl.err" || atf_fail "secctl retransfer said" \
	    "'$(cat "$D/ctl.err")', expected the reason '$1'"
	grep -Eq "zone $ZONE: AXFR from $P: .*($1).*; keeping serial \
2024010101" "$D/secd.log" || {
		tail -20 "$D/secd.log" >&2
		atf_fail "no failed transfer logged with the reason '$1'"
	}
	[ "$(zone_field ok)" = False ] ||
	    atf_fail "show zones: last transfer ok '$(zone_field ok)'"
	zone_field msg | grep -Eq "$1" ||
	    atf_fail "show zones: last transfer '$(zone_field msg)'," \
	    "expected '$1'"
	zone_field error | grep -Eq "^$P: .*($1)" ||
	    atf_fail "show zones: error '$(zone_field error)', expected '$1'"
	[ "$(served_serial)" = 2024010101 ] ||
	    atf_fail "serving serial '$(served_serial)' after the bad transfer"
	[ "$(zone_field serial)" = 2024010101 ] ||
	    atf_fail "show zones: serial '$(zone_field serial)'"
	served_is "$D/good" "the zone before the bad transfer"
	[ "$(stat_field xfr_ok)" = 1 ] ||
	    atf_fail "show stats: xfr_ok $(stat_field xfr_ok), expected 1"
	[ "$(stat_field xfr_failed)" -ge 1 ] ||
	    atf_fail "show stats: xfr_failed $(stat_field xfr_failed)"
	# zoned throws away what it received
	poll_gone "$D/db/$ZONE.zone.tmp" ||
	    atf_fail "db/$ZONE.zone.tmp is left after the failed transfer"
	procs >"$D/procs.after"
	cmp -s "$D/procs" "$D/procs.after" || {
		diff "$D/procs" "$D/procs.after" >&2
		atf_fail "secd's processes changed during the bad transfer" \
		    "(diff above)"
	}
	for i in xfrd zoned serverd; do
		grep -q "^$i " "$D/procs.after" ||
		    atf_fail "no $i in secctl status: $(cat "$D/procs.after")"
	done
	for i in $(awk '{ print $NF }' "$D/procs.after"); do
		kill -0 "$i" 2>/dev/null ||
		    atf_fail "process $i of secctl status is gone"
	done
	grep -E 'fatal in |killed by signal|exited with status|child died' \
	    "$D/secd.log" >&2 && atf_fail "a secd process failed (log above)"
	cat "$D/ctl.err"
	return 0
}

# ------------------------------------------------------- faults

atf_test_case endless_max_records cleanup
endless_max_records_head() {
	atf_set descr "a zone that never ends, the zone's transfer" \
	    "max-records 5000: aborted at the limit, old data served"
	atf_set require.user root
}
endless_max_records_body() {
	setup
	CONF_ZONE="	transfer max-records 5000"
	good_first
	start_bad "$D/zone2" --fault endless
	refused "limit transfer max-records: more than 5000 records"
}
endless_max_records_cleanup() { hostile_cleanup; }

atf_test_case endless_timeout cleanup
endless_timeout_head() {
	atf_set descr "a zone that never ends, transfer timeout 3: aborted" \
	    "at the timeout, old data served"
	atf_set require.user root
}
endless_timeout_body() {
	setup
	CONF_GLOBAL="transfer timeout 3"
	good_first
	start_bad "$D/zone2" --fault endless
	refused "limit transfer timeout: not done after 3 s"
}
endless_timeout_cleanup() { hostile_cleanup; }

atf_test_case out_of_zone cleanup
out_of_zone_head() {
	atf_set descr "a record outside the zone in the middle of the AXFR:" \
	    "refused, old data served"
	atf_set require.user root
}
out_of_zone_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault outofzone
	refused "record out of the zone"
}
out_of_zone_cleanup() { hostile_cleanup; }

atf_test_case compression_loop cleanup
compression_loop_head() {
	atf_set descr "a record whose owner is a compression pointer to" \
	    "itself: refused as malformed, old data served"
	atf_set require.user root
}
compression_loop_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault comploop --per 5
	refused "message [0-9]+: malformed record"
}
compression_loop_cleanup() { hostile_cleanup; }

atf_test_case pointer_chain_work cleanup
pointer_chain_work_head() {
	atf_set descr "a message whose owners each follow 128 compression" \
	    "pointers, one more than a name may: refused, old data served"
	atf_set require.user root
}
pointer_chain_work_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault ptrchain --per 5
	refused "message [0-9]+: malformed record"
}
pointer_chain_work_cleanup() { hostile_cleanup; }

atf_test_case record_past_message cleanup
record_past_message_head() {
	atf_set descr "a record whose RDLENGTH runs past its message:" \
	    "refused as malformed, old data served"
	atf_set require.user root
}
record_past_message_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault bigrecord --per 5
	refused "message [0-9]+: malformed record"
}
record_past_message_cleanup() { hostile_cleanup; }

atf_test_case compression_loop_signed cleanup
compression_loop_signed_head() {
	atf_set descr "a compression loop in a message signed with" \
	    "hmac-sha256 (a valid MAC over the bad bytes): refused, old data" \
	    "served"
	atf_set require.user root
}
compression_loop_signed_body() {
	local s
	setup
	s=$(tsig_secret 32)
	good_first k hmac-sha256 "$s"
	start_bad "$D/zone2" --fault comploop --per 5 --key k hmac-sha256 "$s"
	refused "message [0-9]+: (malformed record|TSIG)"
}
compression_loop_signed_cleanup() { hostile_cleanup; }

atf_test_case record_past_message_signed cleanup
record_past_message_signed_head() {
	atf_set descr "a record running past its message, signed with" \
	    "hmac-sha256 (a valid MAC over the bad bytes): refused, old data" \
	    "served"
	atf_set require.user root
}
record_past_message_signed_body() {
	local s
	setup
	s=$(tsig_secret 32)
	good_first k hmac-sha256 "$s"
	start_bad "$D/zone2" --fault bigrecord --per 5 --key k hmac-sha256 "$s"
	refused "message [0-9]+: (malformed record|TSIG)"
}
record_past_message_signed_cleanup() { hostile_cleanup; }

atf_test_case stall_timeout cleanup
stall_timeout_head() {
	atf_set descr "a primary that stops sending halfway and never" \
	    "closes, the zone's transfer timeout 3: aborted, old data served"
	atf_set require.user root
}
stall_timeout_body() {
	setup
	CONF_ZONE="	transfer timeout 3"
	good_first
	start_bad "$D/zone2" --fault stall
	refused "limit transfer timeout: not done after 3 s"
}
stall_timeout_cleanup() { hostile_cleanup; }

atf_test_case closing_soa_serial cleanup
closing_soa_serial_head() {
	atf_set descr "a closing SOA with another serial than the opening" \
	    "one: refused, old data served"
	atf_set require.user root
}
closing_soa_serial_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault closesoa
	refused "closing SOA serial 2024020203 differs from the opening \
2024020202"
}
closing_soa_serial_cleanup() { hostile_cleanup; }

# ------------------------------------------------------- limits

atf_test_case more_records_than_limit cleanup
more_records_than_limit_head() {
	atf_set descr "a correct zone bigger than the zone's transfer" \
	    "max-records: aborted at the limit, old data served"
	atf_set require.user root
}
more_records_than_limit_body() {
	local n
	setup 3000
	n=$(grep -c ' IN ' "$D/zone")
	[ "$n" -lt 1000 ] || atf_fail "the first zone has $n records"
	n=$(grep -c ' IN ' "$D/zone2")
	[ "$n" -gt 1000 ] || atf_fail "the second zone has $n records"
	CONF_ZONE="	transfer max-records 1000"
	good_first
	start_bad "$D/zone2"
	refused "limit transfer max-records: more than 1000 records"
}
more_records_than_limit_cleanup() { hostile_cleanup; }

atf_test_case max_bytes cleanup
max_bytes_head() {
	atf_set descr "a correct zone bigger than transfer max-bytes 10K:" \
	    "aborted at the limit, old data served"
	atf_set require.user root
}
max_bytes_body() {
	setup
	cat >"$D/small" <<ZONE
\$ORIGIN $ORIGIN
\$TTL 3600
@ IN SOA ns1 hostmaster 2024010101 3600 900 1209600 300
@ IN NS ns1
@ IN NS ns2
ns1 IN A 192.0.2.53
ns2 IN A 192.0.2.54
www 300 IN A 192.0.2.10
mail IN MX 10 www
ZONE
	CONF_GLOBAL="transfer max-bytes 10K"
	GOOD_ZONE=$D/small
	good_first
	start_bad "$D/zone2"
	refused "limit transfer max-bytes: more than 10240 bytes"
	[ "$(wc -c <"$D/zone2")" -gt 20480 ] ||
	    atf_fail "the second zone is not much bigger than 10K"
}
max_bytes_cleanup() { hostile_cleanup; }

# ------------------------------------------------------- a big zone

atf_test_case big_knot_zone cleanup
big_knot_zone_head() {
	atf_set descr "a 200,000-name zone from Knot, hmac-sha256 over many" \
	    "messages: transferred whole, 2,000 random names answered as" \
	    "Knot answers them"
	atf_set require.user root
}
big_knot_zone_body() {
	local sec n
	setup
	"$ZONEGEN" --kind bench --names 200000 --serial 2024030303 \
	    -o "$D/big" "$ORIGIN" || atf_fail "zonegen.py failed"
	sec=$(tsig_secret 32)
	mkdir "$D/peer"
	start_knot "$D/peer" "$PP" "$ORIGIN" "$D/big" kbig hmac-sha256 "$sec"
	conf kbig hmac-sha256 "$sec"
	start_secd "$D"
	wait_served 2024030303 1 120
	n=$(sed -En "s/.*zone $ZONE: AXFR from $P: serial 2024030303, \
[0-9]+ records, [0-9]+ bytes in ([0-9]+) messages.*/\\1/p" "$D/secd.log")
	[ -n "$n" ] || atf_fail "the transfer is not logged"
	[ "$n" -gt 10 ] ||
	    atf_fail "the AXFR came in $n messages, expected many"
	# Every record of the file but the closing SOA, which is not counted.
	n=$(grep -c ' IN ' "$D/big")
	[ "$(zone_field records)" = "$n" ] ||
	    atf_fail "show zones: $(zone_field records) records, the zone" \
	    "has $n"
	# 2,000 names drawn at random, each with the type it has first.
	"$PY" -c '
import random, sys
seen = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 4 or f[0].startswith(("$", ";")) or f[2] != "IN":
        continue
    seen.setdefault(f[0], f[3])
names = sorted(seen)
for n in random.Random(int(sys.argv[2])).sample(names, 2000):
    print(n, seen[n])
' "$D/big" "$$" >"$D/queries" || atf_fail "cannot draw the names"
	[ "$(wc -l <"$D/queries")" = 2000 ] || atf_fail "not 2000 queries"
	if ! "$PY" "$DNSDIFF" -q --jobs 4 "127.0.0.1@$PP" "127.0.0.1@$PORT" \
	    "$D/queries" >"$D/diff" 2>&1; then
		head -40 "$D/diff" >&2
		atf_fail "secd differs from Knot: $(tail -1 "$D/diff")"
	fi
	tail -1 "$D/diff"
	grep -q '^2000 queries, 2000 identical' "$D/diff" ||
	    atf_fail "dnsdiff.py: $(tail -1 "$D/diff")"
}
big_knot_zone_cleanup() { hostile_cleanup; }

# ------------------------------------------------------- the image

atf_test_case image_file_changed_after_taken cleanup
image_file_changed_after_taken_head() {
	atf_set descr "the image file truncated, then rewritten with" \
	    "garbage, after serverd took it (as a compromised zoned could):" \
	    "the zone is answered as before by the same processes"
	atf_set require.user root
}
image_file_changed_after_taken_body() {
	local f
	setup
	good_first
	f="$D/db/$ZONE.img"
	[ -s "$f" ] || atf_fail "no image at $f"
	: >"$f"
	served_is "$D/good" "the zone, its image file truncated"
	head -c 100000 /dev/urandom >"$f"
	served_is "$D/good" "the zone, its image file rewritten"
	procs >"$D/procs.after"
	cmp -s "$D/procs" "$D/procs.after" || {
		diff "$D/procs" "$D/procs.after" >&2
		atf_fail "secd's processes changed (diff above)"
	}
	grep -E 'fatal in |killed by signal|exited with status|child died' \
	    "$D/secd.log" >&2 && atf_fail "a secd process failed (log above)"
	return 0
}
image_file_changed_after_taken_cleanup() { hostile_cleanup; }

# ------------------------------------------------------- many at once

atf_test_case many_transfers_at_once cleanup
many_transfers_at_once_head() {
	atf_set descr "transfer max-concurrent 100 and 80 zones, each AXFR" \
	    "slowed to seconds: zoned takes every transfer at once, all 80" \
	    "zones served, no process restarted"
	atf_set require.user root
}
many_transfers_at_once_body() {
	local i n
	setup
	# A small zone (60 records: cheap for the primary to make) in 60
	# messages, 0.2 s apart: each transfer takes some 12 s, so that all
	# 80 overlap even on a loaded machine.
	"$ZONEGEN" --kind bench --names 40 -o "$D/small" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	start_bad "$D/small" --any-zone --fault slow --per 1
	{
		printf 'user "_secd"\ndatabase "%s/db"\n' "$D"
		printf 'control "%s/secd.sock"\nservers 1\n' "$D"
		printf 'listen on 127.0.0.1 port %s\n' "$PORT"
		printf 'transfer max-concurrent 100\n'
		for i in $(seq 1 80); do
			printf 'zone "z%d.%s" {\n' "$i" "$ZONE"
			printf '\tprimary 127.0.0.1 port %s\n}\n' "$PP"
		done
	} >"$D/secd.conf"
	start_secd "$D"
	for i in $(seq 1 1200); do
		n=$(grep -c "AXFR from $P: serial 2024010101" "$D/secd.log")
		[ "$n" -ge 80 ] && break
		sleep 0.1
	done
	[ "$n" = 80 ] || {
		tail -20 "$D/secd.log" >&2
		atf_fail "$n zones of 80 transferred after 120 s"
	}
	# badprimary.py logs "AXFR, N messages" as it begins a transfer and
	# "AXFR of ZONE sent" at its end: more than zoned's old limit of 64
	# were in progress at once.
	n=$(awk '/AXFR, [0-9]+ messages/ { if (++cur > max) max = cur }
	    /AXFR of .* sent/ { cur-- } END { print max + 0 }' "$D/bad.log")
	[ "$n" -gt 64 ] ||
	    atf_fail "at most $n transfers were in progress at once"
	# xfrd logs a transfer as it hands it to zoned, which stores and
	# builds the 80 one after another: wait for it to serve them all
	for i in $(seq 1 600); do
		n=$(grep -c "zoned.*: serving serial 2024010101" "$D/secd.log")
		[ "$n" -ge 80 ] && break
		sleep 0.1
	done
	for i in 1 40 80; do
		[ "$(dig +short -p "$PORT" @127.0.0.1 "z$i.$ZONE" SOA |
		    awk '{ print $3 }')" = 2024010101 ] || {
			grep -v "AXFR from" "$D/secd.log" | tail -30 >&2
			atf_fail "z$i.$ZONE is not served ($n zones served" \
			    "by zoned)"
		}
	done
	grep -E 'fatal in |killed by signal|exited with status|child died' \
	    "$D/secd.log" >&2 && atf_fail "a secd process failed (log above)"
	return 0
}
many_transfers_at_once_cleanup() { hostile_cleanup; }

atf_init_test_cases() {
	atf_add_test_case endless_max_records
	atf_add_test_case endless_timeout
	atf_add_test_case out_of_zone
	atf_add_test_case compression_loop
	atf_add_test_case pointer_chain_work
	atf_add_test_case record_past_message
	atf_add_test_case compression_loop_signed
	atf_add_test_case record_past_message_signed
	atf_add_test_case stall_timeout
	atf_add_test_case closing_soa_serial
	atf_add_test_case more_records_than_limit
	atf_add_test_case max_bytes
	atf_add_test_case big_knot_zone
	atf_add_test_case image_file_changed_after_taken
	atf_add_test_case many_transfers_at_once
}
