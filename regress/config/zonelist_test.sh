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

# Zones from a zone list bound to a template (secd.conf(5) "zones"), with
# an NSD primary: served, and a zone added to the list taken at a reload
# without the others transferred again.

. "$(atf_get_srcdir)/../daemon/lib.sh"
PEERS_LIB=$(atf_get_srcdir)/../lib
. "$(atf_get_srcdir)/../lib/peers.sh"

ZONES="one.test two.test three.test four.test"

# start_nsd_zones: NSD on $PPORT serving every zone of $ZONES, each with
# its own serial (start_nsd writes the configuration for the first one,
# the others are added to it before NSD starts again).
start_nsd_zones() {
	local z serial=10
	mkdir -p "$D/primary"
	for z in $ZONES; do
		/usr/bin/python3 "$PEERS_LIB/zonegen.py" --kind test \
		    --serial $serial -o "$D/primary/$z.zone" $z ||
		    atf_fail "zonegen $z"
		serial=$((serial + 1))
	done
	start_nsd "$D/primary" "$PPORT" one.test "$D/primary/one.test.zone" ||
	    atf_fail "NSD did not start"
	stop_nsd "$D/primary"
	for z in $ZONES; do
		[ $z = one.test ] && continue
		printf 'zone:\n\tname: "%s."\n\tzonefile: "%s.zone"\n' $z $z
		echo "	provide-xfr: 127.0.0.1 NOKEY"
		echo "	provide-xfr: ::1 NOKEY"
	done >>"$D/primary/nsd.conf"
	peers_spawn nsd "$D/primary" nsd -d -c "$D/primary/nsd.conf"
	for z in $ZONES; do
		peers_wait_soa nsd "$D/primary" "$PPORT" $z. ||
		    atf_fail "NSD does not serve $z"
	done
}

# wait_zone ZONE SERIAL: secd answers ZONE's SOA with SERIAL (at most 15 s).
wait_zone() {
	local i s
	for i in $(seq 1 150); do
		s=$(dig +short +norec +time=1 +tries=1 @127.0.0.1 -p "$PORT" \
		    $1 SOA 2>/dev/null | awk '{ print $3 }')
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	cat "$D/secd.log" >&2
	atf_fail "secd does not serve $1 serial $2 (got '$s')"
}

# axfrs ZONE: how many AXFRs of ZONE secd.log has.
axfrs() {
	grep -c "zone $1: AXFR from 127\.0\.0\.1:$PPORT: serial" "$D/secd.log"
}

atf_test_case list_reload cleanup
list_reload_head() {
	atf_set descr "three zones of a list bound to a template are served;" \
	    "a fourth added to the list is served after a reload and the" \
	    "three are not transferred again; one removed and added again" \
	    "is served from its storage"
	atf_set require.user root
}
list_reload_body() {
	local z
	D=$(pwd)
	PORT=$(pick_port)
	PPORT=$(pick_port)
	start_nsd_zones
	cat >"$D/zones.txt" <<LIST
# the zones of the NSD primary
one.test

  Two.Test.
three.test
LIST
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
template "nsd" {
	primary 127.0.0.1 port $PPORT
	allow notify from 127.0.0.1
	transfer timeout 60
}
zones "zones.txt" template "nsd"
CONF
	atf_check -o match:'zone "two.test" \{' -o match:'port '$PPORT \
	    "$(SECD)" -n -v -f "$D/secd.conf"
	start_secd "$D"
	wait_zone one.test 10
	wait_zone two.test 11
	wait_zone three.test 12
	atf_check -o match:'^192\.0\.2\.' dig +short +norec @127.0.0.1 \
	    -p "$PORT" web.two.test A
	# four.test is not secd's yet: refused, not answered
	atf_check -o match:'status: REFUSED' dig +norec @127.0.0.1 \
	    -p "$PORT" four.test SOA

	echo "four.test" >>"$D/zones.txt"
	kill -HUP "$(cat "$D/secd.pid")"
	wait_zone four.test 13
	grep -q "reloaded $D/secd.conf: 4 zones" "$D/secd.log" ||
	    atf_fail "no reload of 4 zones logged: $(cat "$D/secd.log")"
	# a transfer of the old zones would have started with four.test's
	sleep 1
	for z in one.test two.test three.test four.test; do
		[ "$(axfrs $z)" = 1 ] || atf_fail "$z: $(axfrs $z) AXFRs," \
		    "not 1: $(cat "$D/secd.log")"
	done
	wait_zone one.test 10
	wait_zone two.test 11
	wait_zone three.test 12
	atf_check -o match:'^192\.0\.2\.' dig +short +norec @127.0.0.1 \
	    -p "$PORT" web.four.test A
	# show zones, filtered by name pattern and by state
	[ "$(shown 't*')" = "three.test two.test" ] ||
	    atf_fail "show zones 't*': $(shown 't*')"
	[ "$(shown state ok '*o.TEST.')" = "two.test" ] ||
	    atf_fail "show zones state ok '*o.TEST.': $(shown state ok '*o.TEST.')"
	[ "$(shown state expired)" = "" ] ||
	    atf_fail "show zones state expired: $(shown state expired)"
	[ "$(shown)" = "four.test one.test three.test two.test" ] ||
	    atf_fail "show zones: $(shown)"
	atf_check -s exit:1 -e match:'unknown state "bogus"' \
	    "$(SECCTL)" -s "$D/secd.sock" show zones state bogus

	# removed by a reload: refused; added again: served from its
	# storage at once, not transferred again
	grep -vi '^ *two\.test' "$D/zones.txt" >"$D/zones.new"
	mv "$D/zones.new" "$D/zones.txt"
	atf_check -o match:'3 zones' "$(SECCTL)" -s "$D/secd.sock" reload
	atf_check -o match:'status: REFUSED' dig +norec @127.0.0.1 \
	    -p "$PORT" two.test SOA
	echo "two.test" >>"$D/zones.txt"
	atf_check -o match:'4 zones' "$(SECCTL)" -s "$D/secd.sock" reload
	wait_zone two.test 11
	[ "$(axfrs two.test)" = 1 ] || atf_fail "two.test transferred again"
	kill -0 "$(cat "$D/secd.pid")" || atf_fail "secd died on reload"
}

# shown ARGS...: the zones "secctl -j show zones ARGS" lists, sorted.
shown() {
	"$(SECCTL)" -s "$D/secd.sock" -j show zones "$@" |
	    /usr/bin/python3 -c 'import json, sys
print(" ".join(sorted(z["zone"] for z in json.load(sys.stdin)["zones"])))'
}
list_reload_cleanup() {
	stop_secd "$(pwd)"
	stop_nsd "$(pwd)/primary"
}

atf_test_case mass_start_killed cleanup
mass_start_killed_head() {
	atf_set descr "secd killed (SIGKILL) in the middle of a first start" \
	    "of 3,000 zones from a list: at the restart every zone is" \
	    "served whole, none served before the kill is transferred" \
	    "again, no temporary file is left"
	atf_set require.user root
}
mass_start_killed_body() {
	local n=3000 i before after served
	D=$(pwd)
	PORT=$(pick_port)
	PPORT=$(pick_port)
	mkdir -p "$D/primary"
	cat >"$D/primary/z.zone" <<ZONE
\$TTL 300
@	SOA	ns1 hostmaster 77 3600 600 86400 300
@	NS	ns1
ns1	A	192.0.2.1
www	A	192.0.2.10
www	AAAA	2001:db8::10
mail	A	192.0.2.20
@	MX	10 mail
ZONE
	start_nsd "$D/primary" "$PPORT" z0.test "$D/primary/z.zone" ||
	    atf_fail "NSD did not start"
	nsd_add_zones "$D/primary" "$PPORT" 1 $((n - 1)) nsd.zone ||
	    atf_fail "NSD does not serve z$((n - 1)).test"
	seq 0 $((n - 1)) | sed 's/^/z/; s/$/.test/' >"$D/zones.txt"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
template "nsd" {
	primary 127.0.0.1 port $PPORT
}
zones "zones.txt" template "nsd"
CONF
	start_secd "$D"
	for i in $(seq 1 600); do
		served=$(grep -c ": serving serial 77" "$D/secd.log")
		[ "$served" -ge 300 ] && break
		sleep 0.02
	done
	kill -KILL "$(cat "$D/secd.pid")" $(child_pids "$D")
	sleep 0.5
	mv "$D/secd.log" "$D/secd.log.1"
	before=$(grep ": serving serial 77" "$D/secd.log.1" |
	    sed 's/.*zone \([^:]*\):.*/\1/' | sort -u)
	echo "$(echo "$before" | wc -l) of $n zones served at the kill"
	[ -n "$before" ] || atf_fail "no zone served before the kill"

	start_secd "$D"
	for i in $(seq 1 300); do
		after=$(dig +short +norec +time=2 +tries=1 @127.0.0.1 \
		    -p "$PORT" $(sed 's/$/ SOA/' "$D/zones.txt") 2>/dev/null |
		    grep -c ' 77 3600 600 86400 300$')
		[ "$after" = $n ] && break
		sleep 0.2
	done
	[ "$after" = $n ] || atf_fail "$after of $n zones served after" \
	    "the restart: $(tail -20 "$D/secd.log")"
	# whole: every zone answers its names
	after=$(dig +short +norec @127.0.0.1 -p "$PORT" \
	    $(sed 's/^/www./; s/$/ AAAA/' "$D/zones.txt") | grep -c '^2001:db8::10$')
	[ "$after" = $n ] || atf_fail "$after of $n zones answer www AAAA"
	# served before the kill: stored, not transferred again
	for z in $before; do
		grep -q "zone $z: AXFR" "$D/secd.log" &&
		    atf_fail "$z, served before the kill, transferred again"
	done
	ls "$D/db" | grep -q '\.tmp$' &&
	    atf_fail "temporary files left: $(ls "$D/db" | grep '\.tmp$')"
	# show zones streams every zone, a few hundred at a time
	after=$("$(SECCTL)" -s "$D/secd.sock" -j show zones |
	    /usr/bin/python3 -c 'import json, sys
print(sum(1 for z in json.load(sys.stdin)["zones"] if z["serial"] == 77))')
	[ "$after" = $n ] || atf_fail "show zones: $after zones of serial 77"
	kill -0 "$(cat "$D/secd.pid")" || atf_fail "secd died"
}
mass_start_killed_cleanup() {
	stop_secd "$(pwd)"
	stop_nsd "$(pwd)/primary"
}

atf_init_test_cases() {
	atf_add_test_case list_reload
	atf_add_test_case mass_start_killed
}
