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

# Transfers end to end: secd pulls the test zone from NSD, Knot and BIND
# (no TSIG, hmac-sha256, hmac-sha512) and serves what they serve; bad
# transfers from a misbehaving primary (badprimary.py) are refused,
# logged and leave the old data served; a kill -9 during a transfer
# leaves the last complete zone to serve at the restart.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test

# setup: the test zone at serial 2024010101 in $D/zone, a port for secd.
setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	"$ZONEGEN" --kind test --serial 2024020202 -o "$D/zone2" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
}

# conf PRIMARYPORT [KEYNAME ALG SECRET]: secd.conf with the one zone.
conf() {
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
CONF
		if [ -n "${2:-}" ]; then
			printf 'tsig key "%s" {\n\talgorithm %s\n' "$2" "$3"
			printf '\tsecret "%s"\n}\n' "$4"
			printf 'zone "%s" {\n\tprimary 127.0.0.1 port %s tsig "%s"\n}\n' \
			    "$ZONE" "$1" "$2"
		else
			printf 'zone "%s" {\n\tprimary 127.0.0.1 port %s\n}\n' \
			    "$ZONE" "$1"
		fi
	} >"$D/secd.conf"
}

# check_zone PEERPORT [KEYNAME ALG SECRET]: what secd serves and shows is
# the primary's AXFR.
check_zone() {
	local pp=$1
	shift
	peer_axfr "$D/axfr" "$pp" "$ORIGIN" "$@" ||
	    atf_fail "AXFR from the primary failed: $(head -5 "$D/axfr.raw")"
	served_is "$D/axfr" "the primary's AXFR"
}

# ------------------------------------------------------ real primaries

# primaries SERVER: SERVER serves the zone without TSIG and with two keys;
# secd transfers it each way (reload, retransfer) and serves it.
primaries() {
	local srv=$1 s256 s512 n
	setup
	s256=$(tsig_secret 32)
	s512=$(tsig_secret 64)
	PP2=$(pick_port)
	while [ "$PP2" = "$PORT" ] || [ "$PP2" = "$PP" ]; do
		PP2=$(pick_port)
	done
	mkdir "$D/plain" "$D/keyed"
	start_$srv "$D/plain" "$PP" "$ORIGIN" "$D/zone"
	start_$srv "$D/keyed" "$PP2" "$ORIGIN" "$D/zone2" \
	    k256 hmac-sha256 "$s256" k512 hmac-sha512 "$s512"

	conf "$PP"
	start_secd "$D"
	wait_served 2024010101 1
	check_zone "$PP"
	grep -q "zone $ZONE: AXFR from 127.0.0.1.*serial 2024010101" \
	    "$D/secd.log" || atf_fail "the transfer is not logged"

	n=1
	for k in "k256 hmac-sha256 $s256" "k512 hmac-sha512 $s512"; do
		set -- $k
		conf "$PP2" "$1" "$2" "$3"
		atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" reload
		atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" \
		    retransfer "$ZONE"
		n=$((n + 1))
		wait_served 2024020202 $n
		check_zone "$PP2" "$1" "$2" "$3"
	done
	[ "$(zone_field kind)" = axfr ] ||
	    atf_fail "last transfer kind '$(zone_field kind)', expected axfr"
	[ "$(stat_field xfr_failed)" = 0 ] ||
	    atf_fail "show stats: $(stat_field xfr_failed) failed transfers"
}

primaries_cleanup() {
	D=$(pwd)
	stop_secd "$D"
	for d in plain keyed; do
		[ -d "$D/$d" ] && stop_all_peers "$D/$d"
	done
	return 0
}

atf_test_case nsd cleanup
nsd_head() {
	atf_set descr "AXFR from NSD: no TSIG, hmac-sha256, hmac-sha512"
	atf_set require.user root
}
nsd_body() { primaries nsd; }
nsd_cleanup() { primaries_cleanup; }

atf_test_case knot cleanup
knot_head() {
	atf_set descr "AXFR from Knot: no TSIG, hmac-sha256, hmac-sha512"
	atf_set require.user root
}
knot_body() { primaries knot; }
knot_cleanup() { primaries_cleanup; }

atf_test_case bind cleanup
bind_head() {
	atf_set descr "AXFR from BIND: no TSIG, hmac-sha256, hmac-sha512"
	atf_set require.user root
}
bind_body() { primaries bind; }
bind_cleanup() { primaries_cleanup; }

# ------------------------------------------------------- bad transfers

bad_cleanup() { secondary_cleanup; }

# good_first [KEYNAME ALG SECRET]: secd serves serial 2024010101 from a
# correct badprimary.py on $PP.
good_first() {
	conf "$PP" "$@"
	if [ -n "${1:-}" ]; then
		start_bad "$D/zone" --key "$1" "$2" "$3"
	else
		start_bad "$D/zone"
	fi
	start_secd "$D"
	wait_served 2024010101 1
	peer_axfr "$D/good" "$PP" "$ORIGIN" "$@" ||
	    atf_fail "AXFR from badprimary.py failed"
	stop_bad
}

# refused WHY: after "retransfer", secd logs a failed transfer with WHY
# (an extended regular expression), keeps serving serial 2024010101 and
# the same records, and "show zones" gives the reason.
refused() {
	local i
	# retransfer waits for the outcome: this one fails, exit 1
	atf_check -s exit:1 -e match:"zone $ZONE: every primary failed" \
	    "$(SECCTL)" -s "$D/secd.sock" retransfer "$ZONE"
	for i in $(seq 1 300); do
		grep -Eq "$1" "$D/secd.log" && [ "$(zone_field ok)" = False ] &&
		    break
		sleep 0.1
	done
	grep -Eq "zone $ZONE: .*($1).*keeping (serial 2024010101|the served data)" \
	    "$D/secd.log" || {
		tail -20 "$D/secd.log" >&2
		atf_fail "no failed transfer logged with the reason '$1'"
	}
	[ "$(zone_field ok)" = False ] ||
	    atf_fail "show zones: last transfer ok '$(zone_field ok)'"
	zone_field msg | grep -Eq "$1" ||
	    atf_fail "show zones: reason '$(zone_field msg)', expected '$1'"
	[ "$(served_serial)" = 2024010101 ] ||
	    atf_fail "serving serial '$(served_serial)' after the bad transfer"
	[ "$(zone_field serial)" = 2024010101 ] ||
	    atf_fail "show zones: serial '$(zone_field serial)'"
	served_is "$D/good" "the zone before the bad transfer"
	[ "$(stat_field xfr_ok)" = 1 ] ||
	    atf_fail "show stats: xfr_ok $(stat_field xfr_ok), expected 1"
	[ "$(stat_field xfr_failed)" -ge 1 ] ||
	    atf_fail "show stats: xfr_failed $(stat_field xfr_failed)"
}

atf_test_case bad_key cleanup
bad_key_head() {
	atf_set descr "a primary with another secret for the key: refused," \
	    "logged, old data served"
	atf_set require.user root
}
bad_key_body() {
	local s
	setup
	s=$(tsig_secret 64)
	good_first k hmac-sha512 "$s"
	mkdir "$D/peer"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone2" \
	    k hmac-sha512 "$(tsig_secret 64)"
	refused "TSIG|BADSIG|BADKEY|rcode 9"
}
bad_key_cleanup() { bad_cleanup; }

atf_test_case bad_mac cleanup
bad_mac_head() {
	atf_set descr "a bad MAC in the middle of a multi-message AXFR:" \
	    "refused, logged, old data served"
	atf_set require.user root
}
bad_mac_body() {
	local s
	setup
	s=$(tsig_secret 32)
	good_first k hmac-sha256 "$s"
	start_bad "$D/zone2" --fault badmac --key k hmac-sha256 "$s"
	refused "message [0-9]+: TSIG"
	grep -q 'message 1: TSIG' "$D/secd.log" &&
	    atf_fail "the bad MAC was found in message 1, not in the middle"
	return 0
}
bad_mac_cleanup() { bad_cleanup; }

atf_test_case cut cleanup
cut_head() {
	atf_set descr "a transfer cut off halfway: refused, logged, old" \
	    "data served"
	atf_set require.user root
}
cut_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault cut
	refused "connection closed after [1-9][0-9]* messages"
}
cut_cleanup() { bad_cleanup; }

atf_test_case no_soa cleanup
no_soa_head() {
	atf_set descr "a zone without its SOA: refused, logged, old data served"
	atf_set require.user root
}
no_soa_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault nosoa
	refused "does not start with the zone's SOA"
}
no_soa_cleanup() { bad_cleanup; }

atf_test_case two_soa cleanup
two_soa_head() {
	atf_set descr "a zone with two SOA records: refused, logged, old" \
	    "data served"
	atf_set require.user root
}
two_soa_body() {
	setup
	good_first
	start_bad "$D/zone2" --fault twosoa
	refused "SOA"
}
two_soa_cleanup() { bad_cleanup; }

# ----------------------------------------------------------- streamed

# big_setup: setup, the zones of 20,000 names (1.3 MB of records, more
# than the megabyte past which zoned streams an AXFR into its build as it
# arrives, zoned/stream.c).
big_setup() {
	setup
	"$ZONEGEN" --kind test --names 20000 -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	"$ZONEGEN" --kind test --names 20000 --seed 2 --serial 2024020202 \
	    -o "$D/zone2" "$ORIGIN" || atf_fail "zonegen.py failed"
}

# streamed N: the log says the AXFR was held as it arrived, its names
# indexed, N times.
streamed() {
	local m="zone $ZONE: the AXFR held as it arrived, its names indexed"

	[ "$(grep -c "$m" "$D/secd.log")" = "$1" ] || {
		grep "zone $ZONE:" "$D/secd.log" | tail -5 >&2
		atf_fail "not $1 AXFRs streamed into their build"
	}
}

atf_test_case streamed cleanup
streamed_head() {
	atf_set descr "AXFRs of over a megabyte from Knot and NSD, streamed" \
	    "into their build as they arrive: secd serves the primary's zone"
	atf_set require.user root
	atf_set timeout 900	# the sanitizer build checks 30,000 RRsets twice
}
streamed_body() {
	big_setup
	mkdir "$D/peer" "$D/peer2"
	start_knot "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$PP"
	start_secd "$D"
	wait_served 2024010101 1 60
	check_zone "$PP"
	streamed 1
	# the next AXFR replaces a zone kept in memory
	PP2=$(pick_port)
	while [ "$PP2" = "$PORT" ] || [ "$PP2" = "$PP" ]; do
		PP2=$(pick_port)
	done
	start_nsd "$D/peer2" "$PP2" "$ORIGIN" "$D/zone2"
	conf "$PP2"
	atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" reload
	atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" retransfer "$ZONE"
	wait_served 2024020202 2 60
	check_zone "$PP2"
	streamed 2
}
streamed_cleanup() { secondary_cleanup peer peer2; }

atf_test_case streamed_refused cleanup
streamed_refused_head() {
	atf_set descr "large AXFRs broken past their first megabyte, while" \
	    "streamed: refused, logged, old data served"
	atf_set require.user root
	atf_set timeout 900
}
streamed_refused_body() {
	big_setup
	# the good zone from Knot: badprimary.py makes every message of a
	# large AXFR before it sends one, longer than dig waits on a busy
	# machine; secd waits for it ("transfer timeout")
	mkdir "$D/peer"
	start_knot "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$PP"
	start_secd "$D"
	wait_served 2024010101 1 60
	peer_axfr "$D/good" "$PP" "$ORIGIN" ||
	    atf_fail "AXFR from Knot failed: $(head -5 "$D/good.raw")"
	streamed 1
	stop_all_peers "$D/peer"
	# it reads 30,000 records first: slow beside the sanitizer build
	BAD_WAIT=120
	start_bad "$D/zone2" --fault cut
	refused "connection closed after [1-9][0-9]* messages"
	stop_bad
	start_bad "$D/zone2" --fault outofzone
	refused "out of the zone|not a name in the zone|outofzone"
	streamed 1
}
streamed_refused_cleanup() { bad_cleanup; }

# ------------------------------------------------------------- crash

atf_test_case kill9_during_transfer cleanup
kill9_during_transfer_head() {
	atf_set descr "kill -9 of every secd process during a transfer; the" \
	    "restart serves the last complete zone at once"
	atf_set require.user root
}
kill9_during_transfer_body() {
	local pid kids i
	setup
	good_first
	start_bad "$D/zone2" --fault slow --per 5
	# retransfer waits for the outcome; the kill ends it
	"$(SECCTL)" -s "$D/secd.sock" retransfer "$ZONE" >/dev/null 2>&1 &
	# Under way: zoned has received part of the new zone.
	for i in $(seq 1 300); do
		[ "$(stat -c %s "$D/db/$ZONE.zone.tmp" 2>/dev/null || echo 0)" \
		    -gt 4096 ] && break
		sleep 0.1
	done
	[ "$(zone_field state)" = refreshing ] ||
	    atf_fail "no transfer under way: state '$(zone_field state)'"
	pid=$(cat "$D/secd.pid")
	kids=$(pgrep -P "$pid")
	kill -KILL "$pid" $kids
	for i in $(seq 1 100); do
		kill -0 "$pid" $kids 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" $kids 2>/dev/null && atf_fail "secd survived kill -9"
	rm -f "$D/secd.pid"
	stop_bad
	mv "$D/secd.log" "$D/secd.log.1"

	start_secd "$D"
	wait_served 2024010101
	[ "$(zone_field kind)" = stored ] ||
	    atf_fail "show zones: last transfer '$(zone_field kind)'," \
	    "expected stored"
	served_is "$D/good" "the stored zone, after the restart"
}
kill9_during_transfer_cleanup() { bad_cleanup; }

atf_init_test_cases() {
	atf_add_test_case nsd
	atf_add_test_case knot
	atf_add_test_case bind
	atf_add_test_case bad_key
	atf_add_test_case bad_mac
	atf_add_test_case cut
	atf_add_test_case streamed
	atf_add_test_case streamed_refused
	atf_add_test_case no_soa
	atf_add_test_case two_soa
	atf_add_test_case kill9_during_transfer
}
