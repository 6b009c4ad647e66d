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

# A fleet fed by secd: NSD, Knot, BIND and a second secd as secondaries
# of secd (provide transfer, notify), which takes the zone from an NSD
# primary.  What they transfer is what secd serves: its own serial, the
# proxy addresses of proxied names, never their origin addresses.
# Refusals: an address provide transfer does not name, a bad key, AXFR
# over UDP.  A kill -9 of secd: the serial it serves never goes back.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../lib/downstream.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
XFRCHECK=$(atf_get_srcdir)/../lib/xfrcheck.py
PROXY=203.0.113.80

# setup: the test zone, ports for secd, its primary and the downstreams,
# the fleet's key.
setup() {
	D=$(pwd)
	newport PORT
	newport PP
	newport PN
	newport PK
	newport PB
	newport PS
	K=$(tsig_secret 32)
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	# an origin address to hide: host0001's first A record
	ORIGADDR=$(awk '$1 ~ /^host0001\./ && $4 == "A" { print $5; exit }' \
	    "$D/zone")
	[ -n "$ORIGADDR" ] || atf_fail "test bug: host0001 has no A record"
	mkdir -p "$D/up"
	PEER_IXFR=1 start_nsd "$D/up" "$PP" "$ORIGIN" "$D/zone"
}

# conf [NOTIFYPORT...]: secd.conf, the zone transferred out to 127.0.0.1
# signed with "fleet", NOTIFY to each port (signed too).
conf() {
	local p
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
proxy { address $PROXY; ttl 60 }
tsig key "fleet" { algorithm hmac-sha256; secret "$K" }
zone "$ZONE" {
	primary 127.0.0.1 port $PP
	provide transfer to 127.0.0.1 tsig "fleet"
	provide transfer to 127.0.0.4/31
CONF
		for p in "$@"; do
			echo "	notify 127.0.0.1 port $p tsig \"fleet\""
		done
		echo "}"
	} >"$D/secd.conf"
}

# ask ARGS...: xfrcheck.py's line for a transfer from secd.
ask() { /usr/bin/python3 "$XFRCHECK" ask "$PORT" "$ORIGIN" "$@"; }

# expect_ixfr FROM TO: an IXFR from FROM is the differences up to TO.
expect_ixfr() {
	local got
	got=$(ask IXFR --serial "$1" --key "fleet:hmac-sha256:$K" 2>&1)
	case $got in
	"ixfr $1 $2 "*) ;;
	*) atf_fail "IXFR from $1: '$got', expected the differences to $2" ;;
	esac
}

# expect WANT ARGS...: ask ARGS... says WANT.
expect() {
	local want=$1 got
	shift
	got=$(ask "$@" 2>&1)
	[ "$got" = "$want" ] || atf_fail "transfer $*: '$got', expected '$want'"
}

# served_at PORT: the SOA serial 127.0.0.1@PORT answers.
served_at() {
	dig +short +norec +time=1 +tries=1 @127.0.0.1 -p "$1" "$ORIGIN" SOA |
	    awk '{ print $3 }'
}

# a_at PORT NAME: NAME's A records at 127.0.0.1@PORT, sorted, one line.
a_at() {
	dig +short +norec +time=1 +tries=1 @127.0.0.1 -p "$1" "$2.$ORIGIN" A |
	    sort | tr '\n' ' '
}

# converge WHAT PORT...: each downstream serves secd's serial, at most 30 s.
converge() {
	local what=$1 want p i ok
	shift
	want=$(served_serial)
	for i in $(seq 1 300); do
		ok=1
		for p in "$@"; do
			[ "$(served_at "$p")" = "$want" ] || ok=0
		done
		[ $ok = 1 ] && return 0
		sleep 0.1
	done
	for p in "$@"; do
		echo "127.0.0.1@$p serves '$(served_at "$p")'" >&2
	done
	atf_fail "$what: the fleet does not serve serial $want"
}

# no_leak PORT...: at each, host0001 answers the proxy address alone.
no_leak() {
	local p
	for p in "$@"; do
		[ "$(a_at "$p" host0001)" = "$PROXY " ] ||
		    atf_fail "127.0.0.1@$p answers host0001 A" \
		    "'$(a_at "$p" host0001)', expected the proxy's alone"
	done
}

# ------------------------------------------------------------ refusals

atf_test_case refusals cleanup
refusals_head() {
	atf_set descr "transfers out only to the addresses and keys provide" \
	    "transfer names (REFUSED with EDE 18 otherwise), NOTAUTH on a" \
	    "bad or unknown key, AXFR over UDP refused; IXFR up to date or" \
	    "over UDP: the SOA alone; IXFR of a serial not kept: the zone"
	atf_set require.user root
}
refusals_body() {
	local s
	setup
	conf
	start_secd "$D"
	wait_served 2024010101 1
	s=$(served_serial)
	expect "zone $s 598" AXFR --key "fleet:hmac-sha256:$K"
	expect "zone $s 598" AXFR --source 127.0.0.5
	# unsigned from an address whose entry wants the key
	expect "REFUSED ede=18" AXFR
	expect "REFUSED ede=18" AXFR --source 127.0.0.6 \
	    --key "fleet:hmac-sha256:$K"
	expect "NOTAUTH tsig=BADSIG" AXFR \
	    --key "fleet:hmac-sha256:$(tsig_secret 32)"
	expect "NOTAUTH tsig=BADKEY" AXFR \
	    --key "other:hmac-sha256:$K"
	expect "REFUSED ede=18" AXFR --udp \
	    --key "fleet:hmac-sha256:$K"
	expect "soa $s" IXFR --serial "$s" \
	    --key "fleet:hmac-sha256:$K"
	expect "soa $s" IXFR --udp --serial 1 \
	    --key "fleet:hmac-sha256:$K"
	expect "zone $s 598" IXFR --serial 1 \
	    --key "fleet:hmac-sha256:$K"
	[ "$(stat_field xfrout_refused)" -ge 5 ] ||
	    atf_fail "show stats: xfrout_refused $(stat_field xfrout_refused)"
	[ "$(stat_field xfrout_done)" -ge 3 ] ||
	    atf_fail "show stats: xfrout_done $(stat_field xfrout_done)"
	log_has "zone $ZONE: transfer out to 127\.0\.0\.1:[0-9]+ refused" \
	    "the refusal"
	# and it serves on
	[ "$(served_serial)" = "$s" ] || atf_fail "secd stopped serving"
}
refusals_cleanup() { secondary_cleanup up; }

# -------------------------------------------------------------- a fleet

atf_test_case fleet_follows cleanup
fleet_follows_head() {
	atf_set descr "NSD, Knot, BIND and a second secd transfer the zone" \
	    "from secd (TSIG) and follow each change by NOTIFY: a toggle, an" \
	    "IXFR from the primary, an apex CNAME; none ever answers an" \
	    "origin address of a proxied name"
	atf_set require.user root
}
fleet_follows_body() {
	local s i
	setup
	conf "$PN" "$PK" "$PB" "$PS"
	start_secd "$D"
	wait_served 2024010101 1
	start_nsd_down "$D/dn" "$PN" "$ORIGIN" "$PORT" fleet hmac-sha256 "$K"
	start_knot_down "$D/dk" "$PK" "$ORIGIN" "$PORT" fleet hmac-sha256 "$K"
	start_bind_down "$D/db2" "$PB" "$ORIGIN" "$PORT" fleet hmac-sha256 "$K"
	mkdir -p "$D/s2"
	cat >"$D/s2/secd.conf" <<CONF
user "_secd"
database "$D/s2/db"
control "$D/s2/secd.sock"
servers 1
listen on 127.0.0.1 port $PS
tsig key "fleet" { algorithm hmac-sha256; secret "$K" }
zone "$ZONE" {
	primary 127.0.0.1 port $PORT tsig "fleet"
	allow notify from 127.0.0.1 tsig "fleet"
}
CONF
	start_secd "$D/s2"
	converge "at start" "$PN" "$PK" "$PB" "$PS"

	# a toggle: a new serial of secd's own, the proxy address everywhere
	s=$(served_serial)
	ctl proxy "$ZONE" "host0001.$ORIGIN" on >/dev/null ||
	    atf_fail "secctl proxy failed"
	[ "$(served_serial)" != "$s" ] || atf_fail "the toggle kept serial $s"
	converge "after a toggle" "$PN" "$PK" "$PB" "$PS"
	no_leak "$PORT" "$PN" "$PK" "$PB" "$PS"
	# secctl audit ... at: no origin address anywhere in the fleet; the
	# primary, which serves the origin's, leaks by that measure
	for p in "$PN" "$PK" "$PB" "$PS"; do
		atf_check -o match:' 0 leaks, 0 unanswered$' \
		    "$(SECCTL)" -s "$D/secd.sock" audit "$ZONE" at 127.0.0.1 \
		    port "$p"
	done
	atf_check -s exit:1 -o match:"^A +host0001\.$ORIGIN +$ORIGADDR in \
an answer for host0001\.$ORIGIN +leak" -o match:' [1-9][0-9]* leaks,' \
	    "$(SECCTL)" -s "$D/secd.sock" audit "$ZONE" at 127.0.0.1 port "$PP"
	# by IXFR of the difference, not the whole zone again
	log_has "zone $ZONE: IXFR out to 127\.0\.0\.1:[0-9]+, serial $(served_serial): 6 records" \
	    "an IXFR of the toggle"

	# a new upstream serial: host0001 gets another origin address
	sed -e "s/^\(host0001\.[^ 	]*[ 	].*A[ 	]*\)$ORIGADDR\$/\1192.0.2.250/" \
	    -e 's/2024010101/2024010102/' "$D/zone" >"$D/zone2"
	cp "$D/zone2" "$D/up/nsd.zone"
	reload_peer nsd "$D/up"
	# NSD reloads on its own time: a refresh before would find the old
	# serial, and the next would come by the SOA's refresh timer
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PP" "$ORIGIN")" = 2024010102 ] && break
		sleep 0.1
	done
	ctl refresh "$ZONE" >/dev/null 2>&1
	wait_served 2024010102
	converge "after an IXFR from the primary" "$PN" "$PK" "$PB" "$PS"
	no_leak "$PORT" "$PN" "$PK" "$PB" "$PS"

	# the apex CNAME, proxied: the apex A is the proxy's
	ctl apex "$ZONE" cname "host0002.$ORIGIN" proxied >/dev/null ||
	    atf_fail "secctl apex failed"
	converge "after an apex CNAME" "$PN" "$PK" "$PB" "$PS"
	for p in "$PN" "$PK" "$PB" "$PS"; do
		[ "$(dig +short +norec @127.0.0.1 -p "$p" "$ORIGIN" A)" = \
		    "$PROXY" ] || atf_fail "127.0.0.1@$p: the apex A is not" \
		    "the proxy's"
	done
}
fleet_follows_cleanup() {
	D=$(pwd)
	stop_secd "$D/s2"
	secondary_cleanup up dn dk db2
}

# ----------------------------------------------------- never backwards

atf_test_case kill_never_goes_back cleanup
kill_never_goes_back_head() {
	atf_set descr "secd killed (-9) while transferring out, restarted:" \
	    "it serves the serial it served before, never an older one, and" \
	    "the downstream converges"
	atf_set require.user root
}
kill_never_goes_back_body() {
	local s i pid
	setup
	conf "$PK"
	start_secd "$D"
	wait_served 2024010101 1
	start_knot_down "$D/dk" "$PK" "$ORIGIN" "$PORT" fleet hmac-sha256 "$K"
	for i in 1 2 3; do
		ctl proxy "$ZONE" "host000$i.$ORIGIN" on >/dev/null ||
		    atf_fail "secctl proxy failed"
	done
	s=$(served_serial)
	converge "before the kill" "$PK"
	# the versions are kept: an IXFR from before the toggles, the names
	# they changed
	expect_ixfr 2024010101 "$s"
	# transfers going on when the kill comes
	for i in 1 2 3 4; do
		ask AXFR --key "fleet:hmac-sha256:$K" >/dev/null 2>&1 &
	done
	# every process of secd at once, as a power loss would
	pid=$(cat "$D/secd.pid")
	kill -KILL "$pid" $(child_pids "$D")
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	start_secd "$D"
	wait_served 2024010101
	[ "$(served_serial)" = "$s" ] ||
	    atf_fail "serial $(served_serial) served after the restart, $s before"
	# the versions before the restart went with the fold of the stored
	# overlays into a new image: from then on they are kept again
	case $(ask IXFR --serial 2024010101 --key "fleet:hmac-sha256:$K") in
	"zone $s "*) ;;
	*) atf_fail "IXFR from 2024010101 after the restart: not the zone" ;;
	esac
	ctl proxy "$ZONE" host0004.$ORIGIN on >/dev/null ||
	    atf_fail "secctl proxy failed"
	[ "$(served_serial)" = $((s + 1)) ] ||
	    atf_fail "serial $(served_serial) after a toggle, expected $((s + 1))"
	expect_ixfr "$s" $((s + 1))
	converge "after the restart" "$PK"
}
kill_never_goes_back_cleanup() { secondary_cleanup up dk; }

atf_test_case upgrade_keeps_served cleanup
upgrade_keeps_served_head() {
	atf_set descr "the stored image and its overlays of another image" \
	    "version (an upgrade): the zone is built again and the serial" \
	    "it served moves on from the one served before, never back"
	atf_set require.user root
}
upgrade_keeps_served_body() {
	local s i
	setup
	conf
	start_secd "$D"
	wait_served 2024010101 1
	for i in 1 2 3; do
		ctl proxy "$ZONE" "host000$i.$ORIGIN" on >/dev/null ||
		    atf_fail "secctl proxy failed"
	done
	s=$(served_serial)
	[ "$s" = 2024010104 ] || atf_fail "serial $s served after 3 toggles"
	stop_secd "$D"
	[ -s "$D/db/$ZONE.ovl" ] || atf_fail "test bug: no overlays stored"
	# the image and each overlay's header one version on, sums resealed
	/usr/bin/python3 - "$D/db/$ZONE.img" "$D/db/$ZONE.ovl" <<'VERSION'
import struct, sys
def fnv(h, b):
    for c in b:
        h = ((h ^ c) * 16777619) & 0xffffffff
    return h
img = bytearray(open(sys.argv[1], "rb").read())
ver = struct.unpack_from("=I", img, 8)[0]
struct.pack_into("=I", img, 8, ver + 1)
open(sys.argv[1], "wb").write(img)
ovl = bytearray(open(sys.argv[2], "rb").read())
off = n = 0
while off + 40 <= len(ovl):
    ln, nslots = struct.unpack_from("=II", ovl, off + 28)
    hsize = struct.unpack_from("=I", ovl, off + 40 + 16)[0]
    size = 40 + hsize + ((ln + 3) & ~3) + nslots * 8
    struct.pack_into("=I", ovl, off + 40 + 8, ver + 1)
    rec = ovl[off:off + size]
    struct.pack_into("=I", ovl, off + 36,
                     fnv(fnv(2166136261, rec[:36]), rec[40:]))
    off += size
    n += 1
open(sys.argv[2], "wb").write(ovl)
print("%d overlays" % n)
VERSION
	start_secd "$D"
	wait_served 2024010101
	[ "$(served_serial)" = $((s + 1)) ] ||
	    atf_fail "serial $(served_serial) served after the upgrade, $s" \
	    "before (expected $((s + 1)))"
}
upgrade_keeps_served_cleanup() { secondary_cleanup up; }

# ------------------------------------------------------ a fleet catalog

# catconf MEMBER...: secd.conf with the zones MEMBER (of the template
# "edge", from the NSD primary) and the catalog of them, catalog.fleet,
# told to the Knot and BIND consumers.
catconf() {
	local z
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
tsig key "fleet" { algorithm hmac-sha256; secret "$K" }
template "edge" {
	primary 127.0.0.1 port $PP
	provide transfer to 127.0.0.1 tsig "fleet"
}
zone "catalog.fleet" {
	catalog produce
	provide transfer to 127.0.0.1 tsig "fleet"
	notify 127.0.0.1 port $PK tsig "fleet"
	notify 127.0.0.1 port $PB tsig "fleet"
}
CONF
		for z in "$@"; do
			echo "zone \"$z\" template \"edge\""
		done
	} >"$D/secd.conf"
}

# serves_at PORT ZONE: 127.0.0.1@PORT answers ZONE SOA with AA.
serves_at() {
	dig +norec +time=1 +tries=1 @127.0.0.1 -p "$1" "$2" SOA 2>/dev/null |
	    grep -q '^;; flags: qr aa.*ANSWER: 1,'
}

# consumers ZONE yes|no WHAT: Knot and BIND serve ZONE, or no longer,
# within 30 s.
consumers() {
	local i p ok
	for i in $(seq 1 300); do
		ok=1
		for p in "$PK" "$PB"; do
			if serves_at "$p" "$1"; then
				[ "$2" = yes ] || ok=0
			else
				[ "$2" = no ] || ok=0
			fi
		done
		[ $ok = 1 ] && return 0
		sleep 0.1
	done
	tail -5 "$D/dk/knot.log" "$D/db2/bind.log" >&2
	atf_fail "$3: Knot and BIND do not agree that $1 is $2 served"
}

atf_test_case catalog_consumed cleanup
catalog_consumed_head() {
	atf_set descr "catalog produce: secd's catalog of its zones" \
	    "transferred out (RFC 9432), consumed by Knot (catalog-role" \
	    "interpret) and BIND (catalog-zones): they serve its members" \
	    "and follow a reload that adds one and removes one"
	atf_set require.user root
}
catalog_consumed_body() {
	setup
	# zN.test: a zone file of relative names, served three times
	printf '%s\n' '@ 3600 SOA ns1 hostmaster 1 3600 900 1209600 300' \
	    '@ 3600 NS ns1' 'ns1 3600 A 192.0.2.53' 'www 3600 A 192.0.2.80' \
	    >"$D/up/rel.zone"
	nsd_add_zones "$D/up" "$PP" 1 3 rel.zone
	catconf z1.test z2.test
	start_secd "$D"
	for i in $(seq 1 100); do
		serves_at "$PORT" z2.test && break
		sleep 0.1
	done
	expect_serial_1() {
		[ "$(dig +short +norec @127.0.0.1 -p "$PORT" catalog.fleet SOA |
		    awk '{ print $3 }')" = "$1" ] ||
		    atf_fail "catalog.fleet: serial $1 expected"
	}
	expect_serial_1 1
	start_knot_catcons "$D/dk" "$PK" catalog.fleet "$PORT" fleet \
	    hmac-sha256 "$K"
	start_bind_catcons "$D/db2" "$PB" catalog.fleet "$PORT" fleet \
	    hmac-sha256 "$K"
	consumers z1.test yes "at start"
	consumers z2.test yes "at start"
	consumers z3.test no "at start"
	# a reload: z3 in, z2 out; the catalog's next serial by NOTIFY
	catconf z1.test z3.test
	ctl reload >/dev/null || atf_fail "secctl reload failed"
	consumers z3.test yes "after the reload"
	consumers z2.test no "after the reload"
	consumers z1.test yes "after the reload"
	expect_serial_1 2
	# the same members again: no new serial
	ctl reload >/dev/null || atf_fail "secctl reload failed"
	sleep 1
	expect_serial_1 2
}
catalog_consumed_cleanup() { secondary_cleanup up dk db2; }

atf_test_case serial_unixtime cleanup
serial_unixtime_head() {
	atf_set descr "serial policy unixtime: a toggle serves the time as" \
	    "the serial (it is ahead of the primary's), the next one more"
	atf_set require.user root
}
serial_unixtime_body() {
	local t s
	setup
	# a primary's serial behind the time
	"$ZONEGEN" --kind test --serial 7 -o "$D/up/nsd.zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	reload_peer nsd "$D/up"
	conf
	sed -i 's/^\tprimary 127.0.0.1 port .*/&\n\tserial policy unixtime/' \
	    "$D/secd.conf"
	start_secd "$D"
	wait_served 7 1
	t=$(date +%s)
	ctl proxy "$ZONE" "host0001.$ORIGIN" on >/dev/null ||
	    atf_fail "secctl proxy failed"
	s=$(served_serial)
	[ "$s" -ge "$t" ] && [ "$s" -le $((t + 60)) ] ||
	    atf_fail "serial $s served after a toggle at time $t"
	ctl proxy "$ZONE" "host0002.$ORIGIN" on >/dev/null ||
	    atf_fail "secctl proxy failed"
	[ "$(served_serial)" -gt "$s" ] ||
	    atf_fail "serial $(served_serial) after $s"
}
serial_unixtime_cleanup() { secondary_cleanup up; }

atf_test_case signed_zone_as_signed cleanup
signed_zone_as_signed_head() {
	atf_set descr "a zone Knot signs (NSEC3) transfers out of secd as" \
	    "Knot sends it: every RRSIG, every NSEC3 (from the denial" \
	    "index), the SOA as signed"
	atf_set require.user root
}
signed_zone_as_signed_body() {
	D=$(pwd)
	newport PORT
	newport PP
	"$ZONEGEN" --kind test --signable -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	mkdir -p "$D/k"
	PEER_SIGN=nsec3 start_knot "$D/k" "$PP" "$ORIGIN" "$D/zone"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
zone "$ZONE" {
	primary 127.0.0.1 port $PP
	provide transfer to 127.0.0.1
}
CONF
	start_secd "$D"
	for i in $(seq 1 100); do
		[ -n "$(served_serial)" ] && break
		sleep 0.1
	done
	peer_axfr "$D/knot.axfr" "$PP" "$ORIGIN" || atf_fail "AXFR from Knot"
	peer_axfr "$D/secd.axfr" "$PORT" "$ORIGIN" || atf_fail "AXFR from secd"
	grep -q ' NSEC3 ' "$D/secd.axfr" || atf_fail "no NSEC3 in secd's AXFR"
	diff -u "$D/knot.axfr" "$D/secd.axfr" >&2 ||
	    atf_fail "secd's AXFR is not Knot's (above)"
}
signed_zone_as_signed_cleanup() { secondary_cleanup k; }

atf_test_case serial_modulo cleanup
serial_modulo_head() {
	atf_set descr "serial policy increment modulo 3/10: every serial" \
	    "served is 3 modulo 10, the first from the primary's on"
	atf_set require.user root
}
serial_modulo_body() {
	local s
	setup
	conf
	sed -i 's/^\tprimary 127.0.0.1 port .*/&\n\tserial policy increment modulo 3\/10/' \
	    "$D/secd.conf"
	start_secd "$D"
	wait_served 2024010101 1
	[ "$(served_serial)" = 2024010103 ] ||
	    atf_fail "serial $(served_serial) served, expected 2024010103"
	ctl proxy "$ZONE" "host0001.$ORIGIN" on >/dev/null ||
	    atf_fail "secctl proxy failed"
	[ "$(served_serial)" = 2024010113 ] ||
	    atf_fail "serial $(served_serial) after a toggle, expected" \
	    "2024010113"
}
serial_modulo_cleanup() { secondary_cleanup up; }

atf_init_test_cases() {
	atf_add_test_case refusals
	atf_add_test_case fleet_follows
	atf_add_test_case kill_never_goes_back
	atf_add_test_case upgrade_keeps_served
	atf_add_test_case catalog_consumed
	atf_add_test_case serial_unixtime
	atf_add_test_case serial_modulo
	atf_add_test_case signed_zone_as_signed
}
