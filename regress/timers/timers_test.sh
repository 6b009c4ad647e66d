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

# SOA timers end to end (secd(8), TRANSFERS; RFC 1035 3.3.13): a zone whose primary goes away
# is retried every RETRY, expires after EXPIRE (SERVFAIL over UDP and
# TCP) and serves again by itself when the primary is back; the expiry
# and the timers survive a restart of secd (NAME.check); serials wrap by
# RFC 1982 and one gone backwards is taken only on retransfer or after
# the expiry; a dead first primary is skipped for the next one and then
# backed off.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3

# setup: ports for secd ($PORT) and the primary ($PP); the primary as
# secd names it, as a regular expression ($P) and as text ($PT).
setup() {
	D=$(pwd)
	PORTS=
	newport PORT
	newport PP
	P="127\\.0\\.0\\.1:$PP"
	PT="127.0.0.1:$PP"
}

# set_timers FILE REFRESH RETRY EXPIRE: in the apex SOA of FILE (a
# zonegen.py zone: "owner ttl IN SOA mname rname serial refresh retry
# expire minimum" on one line).
set_timers() {
	local soa="^$ORIGIN [0-9]+ IN SOA [^ ]+ [^ ]+ [0-9]+"
	sed -i -E "s/($soa) [0-9]+ [0-9]+ [0-9]+ /\\1 $2 $3 $4 /" "$1"
	grep -Eq "$soa $2 $3 $4 " "$1" ||
	    atf_fail "cannot set the SOA timers in $1"
}

# mkzone FILE SERIAL [REFRESH RETRY EXPIRE]: the test zone at SERIAL,
# with those SOA timers (zonegen.py writes 3600 900 1209600).
mkzone() {
	"$ZONEGEN" --kind test --serial "$2" -o "$1.tmp" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	[ -z "${3:-}" ] || set_timers "$1.tmp" "$3" "$4" "$5"
	mv "$1.tmp" "$1"
}

# in_order FILE TEXT...: each TEXT is in a line of FILE, the first
# occurrences in that order.
in_order() {
	local f=$1 t n prev=0
	shift
	for t; do
		n=$(grep -n -F -m 1 -- "$t" "$f" | cut -d: -f1)
		[ -n "$n" ] && [ "$n" -gt "$prev" ] || return 1
		prev=$n
	done
}

# conf PORT...: secd.conf with the zone, one primary per PORT in order.
conf() {
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
zone "$ZONE" {
CONF
		for p; do
			printf '\tprimary 127.0.0.1 port %s\n' "$p"
		done
		echo "}"
	} >"$D/secd.conf"
}

# rcode [+tcp]: the status of secd's answer to the apex SOA query.
rcode() {
	dig +norec +time=1 +tries=1 ${1:-} @127.0.0.1 -p "$PORT" "$ORIGIN" SOA \
	    2>/dev/null | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'
}

# poll SECONDS CMD...: run CMD until it succeeds, at most SECONDS.
poll() {
	local n i=0
	n=$(($1 * 10))
	shift
	while [ $i -lt $n ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

state_is() { [ "$(zone_field state)" = "$1" ]; }

# servfail: the zone answers SERVFAIL over UDP and TCP.
servfail() { [ "$(rcode)" = SERVFAIL ] && [ "$(rcode +tcp)" = SERVFAIL ]; }

# serving SERIAL: state ok, upstream SERIAL served over UDP and TCP,
# NOERROR, the SOA with the serial show zones says secd serves.
serving() {
	[ "$(zone_field state)" = ok ] && [ "$(zone_field serial)" = "$1" ] &&
	    [ "$(served_serial)" = "$(zone_field served)" ] &&
	    [ "$(rcode)" = NOERROR ] && [ "$(rcode +tcp)" = NOERROR ]
}

# what: the zone as secd shows and serves it, for failure messages.
what() {
	echo "state '$(zone_field state)' serial '$(zone_field serial)'" \
	    "error '$(zone_field error)' last transfer '$(zone_field msg)';" \
	    "served serial '$(served_serial)' rcode udp '$(rcode)' tcp" \
	    "'$(rcode +tcp)'"
}

# wait_serving SERIAL [SECONDS]: serving SERIAL, or fail.
wait_serving() {
	poll "${2:-30}" serving "$1" && return 0
	tail -20 "$D/secd.log" >&2
	atf_fail "secd does not serve serial $1 in state ok: $(what)"
}

# wait_state STATE SECONDS: or fail.
wait_state() {
	poll "$2" state_is "$1" && return 0
	tail -20 "$D/secd.log" >&2
	atf_fail "show zones: no state $1 after $2 s: $(what)"
}

# checkfile_time: the time in db/ZONE.check, "checked TIME serial N"
# (none until a round finds the zone current after its last transfer:
# the time the transfer was stored says it until then).
checkfile_time() {
	sed -n 's/^checked \([0-9]*\) serial [0-9]*$/\1/p' "$D/db/$ZONE.check" \
	    2>/dev/null
}

timers_cleanup() { secondary_cleanup; }

# expire_from_nsd: secd serves a zone (refresh 2 retry 1 expire 8) from
# NSD on $PP; NSD stops; secd retries, then expires the zone.
expire_from_nsd() {
	setup
	mkzone "$D/zone" 2024010101 2 1 8
	mkdir "$D/peer"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$PP"
	start_secd "$D"
	wait_serving 2024010101
	peer_axfr "$D/axfr" "$PP" "$ORIGIN" ||
	    atf_fail "AXFR from NSD failed: $(head -5 "$D/axfr.raw")"
	served_is "$D/axfr" "the primary's AXFR"

	stop_nsd "$D/peer"
	wait_state retrying 20
	zone_field error | grep -q "$P: " ||
	    atf_fail "show zones: error '$(zone_field error)', expected one" \
	    "naming the primary $PT"
	[ "$(served_serial)" = 2024010101 ] ||
	    grep -q "zone $ZONE: EXPIRE (8 s) passed" "$D/secd.log" ||
	    atf_fail "not serving while retrying, not expired: $(what)"
	wait_state expired 30
	poll 5 servfail ||
	    atf_fail "expired, but not SERVFAIL over UDP and TCP: $(what)"
	grep -q "zone $ZONE: EXPIRE (8 s) passed since the last successful" \
	    "$D/secd.log" || {
		tail -20 "$D/secd.log" >&2
		atf_fail "the expiry is not logged"
	}
	[ -n "$(zone_field error)" ] ||
	    atf_fail "show zones: expired without an error"
}

# ---------------------------------------------------------------- cases

atf_test_case primary_down_retry_expire_return cleanup
primary_down_retry_expire_return_head() {
	atf_set descr "primary down: retrying with the error shown, expired" \
	    "after EXPIRE (SERVFAIL over UDP and TCP), serving again by" \
	    "itself when the primary is back"
	atf_set require.user root
}
primary_down_retry_expire_return_body() {
	local checks
	expire_from_nsd
	checks=$(stat_field soa_checks)
	[ "$checks" -ge 3 ] ||
	    atf_fail "show stats: soa_checks $checks while retrying"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	wait_serving 2024010101
	grep -q "zone $ZONE: serving again, serial 2024010101" \
	    "$D/secd.log" || atf_fail "serving again is not logged"
	# The same serial: a SOA check did it, no transfer.
	[ "$(stat_field xfr_ok)" = 1 ] ||
	    atf_fail "show stats: xfr_ok $(stat_field xfr_ok), expected 1"
	served_is "$D/axfr" "the primary's AXFR"
}
primary_down_retry_expire_return_cleanup() { timers_cleanup; }

atf_test_case expiry_survives_restart cleanup
expiry_survives_restart_head() {
	atf_set descr "an expired zone stays expired (SERVFAIL) across a" \
	    "restart of secd, and serves when the primary is back"
	atf_set require.user root
}
expiry_survives_restart_body() {
	local i r u t
	expire_from_nsd
	t=$(zone_field checked)
	[ -n "$t" ] && [ "$t" -gt 0 ] ||
	    atf_fail "show zones: no last check: $(what)"
	# the check file, when a round wrote one, says the same
	if [ -f "$D/db/$ZONE.check" ]; then
		[ "$(checkfile_time)" = "$t" ] || atf_fail "db/$ZONE.check" \
		    "'$(cat "$D/db/$ZONE.check")' is not show zones' $t"
		# zoned's files are its own alone, this one too
		[ "$(stat -c %a "$D/db/$ZONE.check")" = 600 ] ||
		    atf_fail "db/$ZONE.check mode" \
		    "$(stat -c %a "$D/db/$ZONE.check")"
	fi
	stop_secd "$D"
	mv "$D/secd.log" "$D/secd.log.1"
	start_secd "$D"
	# Not one answer but SERVFAIL, from the start, for a few seconds.
	for i in $(seq 1 15); do
		r=$(rcode)
		u=$(rcode +tcp)
		[ "$r" = SERVFAIL ] && [ "$u" = SERVFAIL ] || {
			cat "$D/secd.log" >&2
			atf_fail "after the restart, query $i: UDP '$r'," \
			    "TCP '$u', expected SERVFAIL: $(what)"
		}
		state_is expired ||
		    atf_fail "after the restart, state: $(what)"
		sleep 0.2
	done
	[ "$(zone_field checked)" = "$t" ] ||
	    atf_fail "show zones: checked '$(zone_field checked)', before" \
	    "the restart $t"
	grep -q "zone $ZONE: expired (last successful check" "$D/secd.log" ||
	    atf_fail "the expiry at start is not logged"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	wait_serving 2024010101
	served_is "$D/axfr" "the primary's AXFR"
}
expiry_survives_restart_cleanup() { timers_cleanup; }

atf_test_case expiry_survives_restart_and_early_refresh cleanup
expiry_survives_restart_and_early_refresh_head() {
	atf_set descr "an expired zone stays expired across a restart when" \
	    "secctl refresh comes while zoned still loads the zone"
	atf_set require.user root
}
expiry_survives_restart_and_early_refresh_body() {
	local i r u out
	setup
	# Big enough that zoned takes a while to build its image at start.
	"$ZONEGEN" --kind bench --names 200000 -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	set_timers "$D/zone" 2 1 8
	mkdir "$D/peer"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$PP"
	start_secd "$D"
	wait_serving 2024010101 120
	stop_nsd "$D/peer"
	wait_state expired 30
	poll 5 servfail || atf_fail "expired but not SERVFAIL: $(what)"
	stop_secd "$D"
	mv "$D/secd.log" "$D/secd.log.1"
	# Without its image zoned builds the zone again at start, after it
	# said it is ready.
	rm -f "$D/db/$ZONE.img"
	"$(SECD)" -d -v -f "$D/secd.conf" >"$D/secd.log" 2>&1 &
	echo $! >"$D/secd.pid"
	# secctl refresh as soon as the control socket takes it: before
	# zoned said what it has stored.
	for i in $(seq 1 500); do
		out=$(ctl refresh "$ZONE" 2>&1) &&
		    atf_fail "secctl refresh succeeded with the primary" \
		    "down: $out"
		case $out in
		*"every primary failed"*) break ;;
		esac
		kill -0 "$(cat "$D/secd.pid")" || break
		sleep 0.01
	done
	wait_ready "$D"
	poll 60 grep -q "^serverd.*: zone $ZONE: serving serial 2024010101" \
	    "$D/secd.log" || {
		cat "$D/secd.log" >&2
		atf_fail "serverd does not have the stored zone after the" \
		    "restart"
	}
	for i in $(seq 1 15); do
		r=$(rcode)
		u=$(rcode +tcp)
		[ "$r" = SERVFAIL ] && [ "$u" = SERVFAIL ] || {
			cat "$D/secd.log" >&2
			atf_fail "after the restart and refresh, query $i:" \
			    "UDP '$r', TCP '$u', expected SERVFAIL: $(what)"
		}
		state_is expired ||
		    atf_fail "after the restart and refresh, state: $(what)"
		sleep 0.2
	done
}
expiry_survives_restart_and_early_refresh_cleanup() { timers_cleanup; }

atf_test_case restart_keeps_timers cleanup
restart_keeps_timers_head() {
	atf_set descr "a restart with the primary down serves at once and" \
	    "expires EXPIRE after the last good check, not after the restart"
	atf_set require.user root
}
restart_keeps_timers_body() {
	local t r u
	setup
	mkzone "$D/zone" 2024010101 2 1 15
	mkdir "$D/peer"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$PP"
	start_secd "$D"
	wait_serving 2024010101
	stop_nsd "$D/peer"
	# The last good check is in show zones, and in the check file when a
	# round found the zone current after the transfer.
	poll 5 eval '[ ! -f "$D/db/$ZONE.check" ] ||
	    [ "$(checkfile_time)" = "$(zone_field checked)" ]' ||
	    atf_fail "db/$ZONE.check '$(cat "$D/db/$ZONE.check")' is not" \
	    "show zones' checked '$(zone_field checked)'"
	t=$(zone_field checked)
	[ -n "$t" ] && [ "$t" -gt 0 ] ||
	    atf_fail "show zones: no last check: $(what)"
	stop_secd "$D"
	mv "$D/secd.log" "$D/secd.log.1"
	start_secd "$D"
	r=$(rcode)
	u=$(rcode +tcp)
	[ "$r" = NOERROR ] && [ "$u" = NOERROR ] || {
		cat "$D/secd.log" >&2
		atf_fail "right after the restart: UDP '$r', TCP '$u'," \
		    "expected NOERROR ($(( $(date +%s) - t )) s after the" \
		    "last check, EXPIRE 15): $(what)"
	}
	[ "$(served_serial)" = 2024010101 ] ||
	    atf_fail "right after the restart: $(what)"
	[ "$(zone_field checked)" = "$t" ] ||
	    atf_fail "show zones: checked '$(zone_field checked)', before" \
	    "the restart $t"
	[ "$(zone_field expires)" = $((t + 15)) ] ||
	    atf_fail "show zones: expires '$(zone_field expires)', expected" \
	    "$((t + 15)) (the last check + EXPIRE)"
	grep -q "zone $ZONE: serial 2024010101, last checked" "$D/secd.log" ||
	    atf_fail "the timers at start are not logged"
	wait_state expired 30
	[ "$(date +%s)" -ge $((t + 15)) ] ||
	    atf_fail "expired at $(date +%s), before the last check + EXPIRE" \
	    "$((t + 15))"
	poll 5 servfail || atf_fail "expired but not SERVFAIL: $(what)"
}
restart_keeps_timers_cleanup() { timers_cleanup; }

# peer_set DIR SERIAL [REFRESH RETRY EXPIRE]: NSD in DIR serves the test
# zone at SERIAL (with those timers).  NSD rereads a zone file only when
# its time changed: HUP again until it serves SERIAL.
peer_set() {
	local i
	mkzone "$1/nsd.zone" "$2" ${3:+"$3" "$4" "$5"}
	for i in $(seq 1 50); do
		if [ $((i % 10)) = 1 ]; then
			touch "$1/nsd.zone"
			reload_peer nsd "$1"
		fi
		[ "$(peer_serial "$PP" "$ORIGIN")" = "$2" ] && return 0
		sleep 0.1
	done
	atf_fail "NSD does not serve serial $2 after a reload:" \
	    "$(tail -5 "$1/nsd.log")"
}

atf_test_case serial_wrap cleanup
serial_wrap_head() {
	atf_set descr "RFC 1982: 4294967290 to 5 is taken by refresh; 5 to 3" \
	    "is refused (serial went backwards) until retransfer; a lower" \
	    "serial is taken after the zone expired"
	atf_set require.user root
}
serial_wrap_body() {
	local out i
	setup
	mkzone "$D/zone" 4294967290
	mkdir "$D/peer"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$PP"
	start_secd "$D"
	wait_serving 4294967290

	# Forwards across the wrap.
	peer_set "$D/peer" 5
	out=$(ctl refresh "$ZONE" 2>&1) ||
	    atf_fail "secctl refresh failed: $out"
	echo "$out" | grep -Eq "zone $ZONE: serial 5 by (IXFR|AXFR) from $P" ||
	    atf_fail "secctl refresh: '$out', expected serial 5 by a transfer"
	wait_serving 5

	# Backwards: refused, logged, shown; 5 still served.
	peer_set "$D/peer" 3
	atf_check -s exit:1 -o empty -e match:"zone $ZONE: every primary \
failed, last $P: serial went backwards" \
	    "$(SECCTL)" -s "$D/secd.sock" refresh "$ZONE"
	grep -q "zone $ZONE: primary $P: serial went backwards: primary has \
3, ours is 5" "$D/secd.log" || {
		tail -10 "$D/secd.log" >&2
		atf_fail "the backwards serial is not logged"
	}
	zone_field error | grep -q "serial went backwards" ||
	    atf_fail "show zones: error '$(zone_field error)'"
	[ "$(served_serial)" = 5 ] && [ "$(zone_field serial)" = 5 ] ||
	    atf_fail "the lower serial was taken: $(what)"

	# retransfer takes it; the serial secd serves goes on from 5, never
	# back (secd.conf(5) serial policy)
	atf_check -s exit:0 -o match:"zone $ZONE: serial 3 by AXFR from $P" \
	    "$(SECCTL)" -s "$D/secd.sock" retransfer "$ZONE"
	wait_serving 3
	[ "$(served_serial)" = 6 ] ||
	    atf_fail "serial $(served_serial) served after 5, expected 6"
	peer_axfr "$D/axfr3" "$PP" "$ORIGIN" || atf_fail "AXFR from NSD failed"
	soa_serial_as "$D/axfr3" 6
	served_is "$D/axfr3" "the primary's AXFR"

	# With short timers, a lower serial is refused until the expiry,
	# then taken without a command.
	peer_set "$D/peer" 4 2 1 8
	atf_check -s exit:0 -o match:"serial 4 by" \
	    "$(SECCTL)" -s "$D/secd.sock" refresh "$ZONE"
	wait_serving 4
	peer_set "$D/peer" 1 2 1 8
	poll 20 eval 'zone_field error |
	    grep -q "serial went backwards: primary has 1, ours is 4"' ||
	    atf_fail "show zones: no backwards serial error: $(what)"
	[ "$(zone_field serial)" = 4 ] ||
	    grep -q "zone $ZONE: EXPIRE (8 s) passed" "$D/secd.log" ||
	    atf_fail "the lower serial was taken before the expiry: $(what)"
	wait_serving 1 40
	# In the log: refused, expired, then taken.
	in_order "$D/secd.log" \
	    "zone $ZONE: primary $PT: serial went backwards: primary has 1" \
	    "zone $ZONE: EXPIRE (8 s) passed" \
	    "zone $ZONE: primary $PT has serial 1, older than ours 4; the" || {
		grep "zone $ZONE: " "$D/secd.log" | tail -20 >&2
		atf_fail "the log does not say: serial 1 refused, the zone" \
		    "expired, serial 1 taken (in that order)"
	}
	peer_axfr "$D/axfr1" "$PP" "$ORIGIN" || atf_fail "AXFR from NSD failed"
	soa_serial_as "$D/axfr1" "$(served_serial)"
	served_is "$D/axfr1" "the primary's AXFR"
}
serial_wrap_cleanup() { timers_cleanup; }

# failover SERVER: the first primary a port where nothing listens, the
# second SERVER: the zone comes from the second, the first is named in
# the error and skipped by the next refresh (backoff).
failover() {
	local srv=$1 dead out n t0
	setup
	newport dead
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	mkdir "$D/peer"
	start_$srv "$D/peer" "$PP" "$ORIGIN" "$D/zone"
	conf "$dead" "$PP"
	t0=$(date +%s)
	start_secd "$D"
	wait_serving 2024010101
	[ "$(zone_field primary)" = "$PT" ] ||
	    atf_fail "show zones: primary '$(zone_field primary)', expected" \
	    "$PT"
	[ "$(zone_field lt_primary)" = "$PT" ] ||
	    atf_fail "show zones: last transfer from" \
	    "'$(zone_field lt_primary)', expected $PT"
	zone_field error | grep -q "^127\.0\.0\.1:$dead: " ||
	    atf_fail "show zones: error '$(zone_field error)', expected" \
	    "the first primary 127.0.0.1:$dead"
	grep -q "zone $ZONE: trying the next primary, $P" \
	    "$D/secd.log" || atf_fail "the failover is not logged"
	peer_axfr "$D/axfr" "$PP" "$ORIGIN" || atf_fail "AXFR from $srv failed"
	served_is "$D/axfr" "the primary's AXFR"

	# The first primary failed less than 15 s ago: refresh asks the
	# second one only.
	n=$(grep -c "127\.0\.0\.1:$dead" "$D/secd.log")
	out=$(ctl refresh "$ZONE" 2>&1) ||
	    atf_fail "secctl refresh failed: $out"
	[ $(($(date +%s) - t0)) -lt 15 ] ||
	    atf_fail "the test took 15 s to get here: the backoff is over"
	echo "$out" |
	    grep -q "zone $ZONE: serial 2024010101 is current (primary $P)" ||
	    atf_fail "secctl refresh: '$out', expected the second primary"
	[ "$(grep -c "127\.0\.0\.1:$dead" "$D/secd.log")" = "$n" ] || {
		tail -10 "$D/secd.log" >&2
		atf_fail "the refresh asked the first primary again"
	}
	zone_field error | grep -q "^127\.0\.0\.1:$dead: " ||
	    atf_fail "show zones: error '$(zone_field error)'"
	[ "$(stat_field xfr_ok)" = 1 ] ||
	    atf_fail "show stats: xfr_ok $(stat_field xfr_ok), expected 1"
}

atf_test_case failover_nsd cleanup
failover_nsd_head() {
	atf_set descr "first primary dead, second NSD: transferred from NSD," \
	    "the dead one in the error and backed off"
	atf_set require.user root
}
failover_nsd_body() { failover nsd; }
failover_nsd_cleanup() { timers_cleanup; }

atf_test_case failover_knot cleanup
failover_knot_head() {
	atf_set descr "first primary dead, second Knot: transferred from" \
	    "Knot, the dead one in the error and backed off"
	atf_set require.user root
}
failover_knot_body() { failover knot; }
failover_knot_cleanup() { timers_cleanup; }

atf_init_test_cases() {
	atf_add_test_case primary_down_retry_expire_return
	atf_add_test_case expiry_survives_restart
	atf_add_test_case expiry_survives_restart_and_early_refresh
	atf_add_test_case restart_keeps_timers
	atf_add_test_case serial_wrap
	atf_add_test_case failover_nsd
	atf_add_test_case failover_knot
}
