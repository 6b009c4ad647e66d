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

# Catalog zones (RFC 9432, secd.conf(5) "catalog template"): members
# added and removed as the catalog changes, from Knot generating the
# catalog and from a catalog written by hand on BIND changed with
# nsupdate; the group property picks the template; coo moves a member;
# bad catalogs and conflicting members refused; members kept across a
# restart and a kill.

. "$(atf_get_srcdir)/../daemon/lib.sh"
PEERS_LIB=$(atf_get_srcdir)/../lib
. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../lib/secondary.sh"

KEY=c2VjZC10ZXN0LWtleS1ub3QtYS1yZWFsLXNlY3JldAo=

# member_zone ORIGIN SERIAL ADDR FILE: a small zone, www.ORIGIN A ADDR.
member_zone() {
	cat >"$4" <<ZONE
\$ORIGIN $1.
\$TTL 300
@	SOA ns1.$1. hostmaster.$1. $2 3600 600 86400 300
	NS ns1.$1.
ns1	A 192.0.2.53
www	A $3
ZONE
}

# soa_serial ZONE: the serial secd answers for ZONE, or its rcode.
soa_serial() {
	local out
	out=$(dig +norec +time=1 +tries=1 @127.0.0.1 -p "$PORT" "$1" SOA \
	    2>/dev/null)
	case $out in
	*"status: NOERROR"*)
		echo "$out" | awk '$4 == "SOA" { print $7; exit }' ;;
	*"status: "*)
		echo "$out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p' ;;
	esac
}

# wait_soa ZONE WANT: until soa_serial ZONE is WANT (a serial or REFUSED),
# at most 20 s.
wait_soa() {
	local i s
	for i in $(seq 1 200); do
		s=$(soa_serial "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	cat "$D/secd.log" >&2
	atf_fail "$1: secd answers '$s', not '$2'"
}

# wait_log PATTERN: until secd.log has a line matching PATTERN (grep -E).
wait_log() {
	local i
	for i in $(seq 1 200); do
		grep -qE "$1" "$D/secd.log" && return 0
		sleep 0.1
	done
	cat "$D/secd.log" >&2
	atf_fail "secd.log has no line matching '$1'"
}

# knot_catalog: Knot on $KPORT generating the catalog catz. from its
# member zones $KZONES (each "NAME SERIAL ADDR [GROUP]", one a line),
# NOTIFY to secd on $PORT.
knot_catalog() {
	local dir=$D/knot name serial addr group listen
	mkdir -p "$dir/knot.d" "$dir/knot.db"
	listen="127.0.0.1@$KPORT"
	{
		cat <<EOF
server:
    rundir: "$dir/knot.d"
    pidfile: "$dir/knot.d/knot.pid"
    listen: $listen
    background-workers: 1
control:
    listen: "$dir/knot.d/knot.sock"
log:
  - target: "$dir/knot.log"
    any: info
database:
    storage: "$dir/knot.db"
    catalog-db-max-size: 16M
    journal-db-max-size: 64M
remote:
  - id: secd
    address: 127.0.0.1@$PORT
acl:
  - id: xfr
    address: [ 127.0.0.1 ]
    action: transfer
template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: changes
    acl: xfr
    notify: secd
zone:
  - domain: catz.
    catalog-role: generate
EOF
		echo "$KZONES" | while read -r name serial addr group; do
			[ -n "$name" ] || continue
			member_zone "$name" "$serial" "$addr" "$dir/$name.zone"
			printf '  - domain: %s.\n    file: "%s/%s.zone"\n' \
			    "$name" "$dir" "$name"
			echo "    catalog-role: member"
			echo "    catalog-zone: catz."
			[ -n "$group" ] && echo "    catalog-group: $group"
		done
	} >"$dir/knot.conf"
	knotc -c "$dir/knot.conf" conf-check >>"$dir/knot.log" 2>&1 ||
	    { cat "$dir/knot.log" >&2; atf_fail "knot: bad config"; }
	if [ -f "$dir/knot.pid" ] && peers_alive "$(cat "$dir/knot.pid")"; then
		knotc -c "$dir/knot.conf" -s "$dir/knot.d/knot.sock" reload \
		    >/dev/null || atf_fail "knotc reload"
	else
		peers_spawn knot "$dir" knotd -c "$dir/knot.conf"
	fi
	# Knot does not answer queries for a catalog it generates
	peers_wait_soa knot "$dir" "$KPORT" "${KZONES%% *}." ||
	    atf_fail "Knot does not serve ${KZONES%% *}"
}

# conf_head: secd.conf's first lines: the test's database and control
# socket, one serverd on 127.0.0.1@$PORT.
conf_head() {
	cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
CONF
}

# secd_conf CATALOGS...: secd.conf with templates "members" (proxy
# 192.0.2.81) and "other" (proxy 192.0.2.82) on the Knot primary, and a
# catalog zone for each "NAME PORT TEMPLATE".
secd_conf() {
	local c
	conf_head >"$D/secd.conf"
	cat >>"$D/secd.conf" <<CONF
tsig key "k" {
	algorithm hmac-sha256
	secret "$KEY"
}
template "members" {
	primary 127.0.0.1 port ${MPORT:-$KPORT}
	allow notify from 127.0.0.1
	proxy {
		address 192.0.2.81
	}
}
template "other" {
	primary 127.0.0.1 port ${MPORT:-$KPORT}
	allow notify from 127.0.0.1
	proxy {
		address 192.0.2.82
	}
}
zone "conf.test" {
	primary 127.0.0.1 port ${MPORT:-$KPORT}
}
CONF
	for c in "$@"; do
		set -- $c
		cat >>"$D/secd.conf" <<CONF
zone "$1" {
	catalog template "$3"
	primary 127.0.0.1 port $2${4:+ tsig \"$4\"}
	allow notify from 127.0.0.1${4:+ tsig \"$4\"}
}
CONF
	done
}

atf_test_case knot_generate cleanup
knot_generate_head() {
	atf_set descr "members of a catalog Knot generates are served, each" \
	    "with the template of its group; a member Knot adds is served," \
	    "one it removes is no longer; after a restart with Knot down" \
	    "the members are served from storage"
	atf_set require.user root
	atf_set require.progs knotd knotc dig
}
knot_generate_body() {
	D=$(pwd)
	newport PORT
	newport KPORT
	KZONES="a.test 10 192.0.2.1
b.test 20 192.0.2.2
c.test 30 192.0.2.3 other"
	secd_conf "catz $KPORT members"
	atf_check -o match:'catalog template "members"' \
	    "$(SECD)" -n -v -f "$D/secd.conf"
	start_secd "$D"
	knot_catalog
	wait_soa a.test 10
	wait_soa b.test 20
	wait_soa c.test 30
	wait_log "catalog catz: serial [0-9]+, 3 members"
	# show zones names each member's catalog
	atf_check -o match:'"zone":"a\.test".*"catalog":"catz"' \
	    "$(SECCTL)" -s "$D/secd.sock" -j show zones a.test
	atf_check -o match:'"zone":"catz".*"catalog":null' \
	    "$(SECCTL)" -s "$D/secd.sock" -j show zones catz
	atf_check -o match:'^c\.test .* catz$' -o match:'CATALOG$' \
	    "$(SECCTL)" -s "$D/secd.sock" show zones
	# the group picks the template: its proxy set
	atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" proxy a.test www.a.test on
	atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" proxy c.test www.c.test on
	atf_check -o inline:"192.0.2.81\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.a.test A
	atf_check -o inline:"192.0.2.82\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.c.test A

	# Knot adds d.test and drops b.test: NOTIFY, a new catalog serial
	KZONES="a.test 10 192.0.2.1
c.test 30 192.0.2.3 other
d.test 40 192.0.2.4"
	knot_catalog
	wait_soa d.test 40
	wait_soa b.test REFUSED
	# the toggle served a serial of secd's own (secd.conf(5) serial)
	wait_soa a.test 11
	atf_check -o inline:"192.0.2.4\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.d.test A

	# a restart with the primary down: the members from storage
	stop_secd "$D"
	stop_knot "$D/knot"
	start_secd "$D"
	wait_soa a.test 11
	wait_soa c.test 31
	wait_soa d.test 40
	wait_soa b.test REFUSED
	# the override outlived the restart
	atf_check -o inline:"192.0.2.82\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.c.test A
}
knot_generate_cleanup() {
	secondary_cleanup knot
}

# bind_catalog DIR PORT ORIGIN RECORDS: BIND on PORT serving the catalog
# ORIGIN (dynamic: nsupdate with key k), version 2 and RECORDS (zone file
# lines, relative to ORIGIN), NOTIFY to secd.
bind_catalog() {
	mkdir -p "$1"
	cat >"$1/cat.zone" <<ZONE
\$ORIGIN $3.
\$TTL 0
@	SOA invalid. invalid. 1 3600 600 86400 0
	NS invalid.
version	TXT "2"
$4
ZONE
	PEER_NOTIFY="127.0.0.1 $PORT" start_bind "$1" "$2" "$3" \
	    "$1/cat.zone" k hmac-sha256 "$KEY" ||
	    atf_fail "BIND did not start"
}

# cat_update PORT ORIGIN LINE...: nsupdate of the catalog on BIND.
cat_update() {
	local port=$1 origin=$2
	shift 2
	peer_update "$port" "$origin" k hmac-sha256 "$KEY" "$@" ||
	    atf_fail "nsupdate $*"
}

atf_test_case bind_nsupdate cleanup
bind_nsupdate_head() {
	atf_set descr "a catalog written by hand on BIND and changed with" \
	    "nsupdate: members added and removed by IXFR, the group picks" \
	    "the template, a bad version or conflicting members refused" \
	    "with the reason logged and nothing lost, and a kill between a" \
	    "catalog's serial and its member file repaired at start"
	atf_set require.user root
	atf_set require.progs knotd named nsupdate dig
}
bind_nsupdate_body() {
	local i
	D=$(pwd)
	newport PORT
	newport KPORT
	newport BPORT
	KZONES="a.test 10 192.0.2.1
b.test 20 192.0.2.2
d.test 40 192.0.2.4
e.test 50 192.0.2.5"
	knot_catalog
	secd_conf "catb $BPORT members k"
	start_secd "$D"
	bind_catalog "$D/bind" "$BPORT" catb "m1.zones PTR a.test.
m2.zones PTR b.test.
group.m2.zones TXT \"other\"
m3.zones PTR conf.test.
m4.zones PTR e.test.
group.m4.zones TXT \"nosuch\"
m5.zones PTR catb.
m6.zones PTR bad!name.test."
	wait_soa a.test 10
	wait_soa b.test 20
	wait_log 'catalog catb: serial 1, 3 members'
	wait_log 'zone conf\.test refused: configured in'
	wait_log 'zone catb refused: it is the catalog'
	wait_log 'member ID m6 refused: its name is not one'
	wait_log 'zone e\.test of catalog catb: refused: its group "nosuch" names no template'
	wait_soa e.test REFUSED
	atf_check -o ignore "$(SECCTL)" -s "$D/secd.sock" proxy b.test \
	    www.b.test on
	atf_check -o inline:"192.0.2.82\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.b.test A

	# a reset: b.test's ID changes; transferred again, its override kept
	cat_update "$BPORT" catb "update delete m2.zones.catb. PTR" \
	    "update delete group.m2.zones.catb. TXT" \
	    "update add m9.zones.catb. 0 PTR b.test." \
	    "update add group.m9.zones.catb. 0 TXT \"other\""
	wait_log 'catalog catb: zone b\.test reset \(its ID m2 is now m9\)'
	wait_log 'catalog catb: 1 members reset'
	for i in $(seq 1 200); do
		[ "$(grep -c 'zone b\.test: AXFR from .*: serial 20' \
		    "$D/secd.log")" = 2 ] && break
		sleep 0.1
	done
	if [ "$(grep -c 'zone b\.test: AXFR from .*: serial 20' \
	    "$D/secd.log")" != 2 ]; then
		cat "$D/secd.log" >&2
		atf_fail "b.test not transferred again within 20 s"
	fi
	wait_soa b.test 20
	atf_check -o inline:"192.0.2.82\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.b.test A

	# added and removed by nsupdate (IXFR)
	cat_update "$BPORT" catb "update add m7.zones.catb. 0 PTR d.test." \
	    "update delete m1.zones.catb. PTR"
	wait_soa d.test 40
	wait_soa a.test REFUSED
	grep -q 'zone catb: IXFR from' "$D/secd.log" ||
	    atf_fail "the catalog's change came otherwise than by IXFR"

	# a version secd does not read: refused, the members kept
	cat_update "$BPORT" catb "update delete version.catb. TXT" \
	    "update add version.catb. 0 TXT \"3\""
	wait_log 'catalog catb: serial [0-9]+ refused: its version is not 2'
	wait_soa d.test 40
	wait_soa b.test 20
	cat_update "$BPORT" catb "update delete version.catb. TXT" \
	    "update add version.catb. 0 TXT \"2\"" \
	    "update add m8.zones.catb. 0 PTR d.test."
	wait_log 'zone d\.test refused: listed 2 times \(IDs m7 and m8\)'
	wait_soa d.test REFUSED
	wait_soa b.test 20

	# a kill between the catalog's serial and its member file: the
	# file of an older serial is read again from the zone at start
	cat_update "$BPORT" catb "update delete m8.zones.catb. PTR"
	wait_soa d.test 40
	kill -KILL $(child_pids "$D") "$(cat "$D/secd.pid")"
	rm -f "$D/secd.pid"
	printf 'secd catalog 1 serial 1\na.test m1 - -\n' >"$D/db/catb.cat"
	stop_bind "$D/bind"
	start_secd "$D"
	wait_soa d.test 40
	wait_soa b.test 20
	wait_soa a.test REFUSED
	atf_check -o inline:"192.0.2.82\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.b.test A
	atf_check -o match:'^secd catalog 1 serial [0-9]+$' head -1 \
	    "$D/db/catb.cat"
	atf_check -s exit:1 grep -q '^a\.test ' "$D/db/catb.cat"
}
bind_nsupdate_cleanup() {
	secondary_cleanup knot bind
}

atf_test_case coo_moves cleanup
coo_moves_head() {
	atf_set descr "a member moves to the catalog its coo property names" \
	    "and stays when the old catalog drops it; a member of another" \
	    "catalog without that coo is refused"
	atf_set require.user root
	atf_set require.progs knotd named nsupdate dig
}
coo_moves_body() {
	D=$(pwd)
	newport PORT
	newport KPORT
	newport BPORT
	newport CPORT
	KZONES="a.test 10 192.0.2.1
b.test 20 192.0.2.2"
	knot_catalog
	secd_conf "catb $BPORT members k" "catc $CPORT members k"
	start_secd "$D"
	bind_catalog "$D/bind" "$BPORT" catb "m1.zones PTR a.test.
m2.zones PTR b.test.
coo.m1.zones PTR catc."
	wait_soa a.test 10
	wait_soa b.test 20
	bind_catalog "$D/bindc" "$CPORT" catc "n1.zones PTR a.test.
n2.zones PTR b.test."
	wait_log 'catalog catc: zone a\.test moves here from catalog catb'
	wait_log 'zone b\.test refused: a member of catalog catb, which gives it no coo to catc'
	wait_log 'catalog catc: serial 1, 1 members'
	# catb's file no longer holds a.test; catc's does
	atf_check -s exit:1 grep -q '^a\.test ' "$D/db/catb.cat"
	atf_check -o ignore grep '^a\.test n1 ' "$D/db/catc.cat"
	# catb drops it: still served, catc's now
	cat_update "$BPORT" catb "update delete m1.zones.catb. PTR" \
	    "update delete coo.m1.zones.catb. PTR"
	wait_log 'catalog catb: serial 2, 1 members'
	sleep 1
	wait_soa a.test 10
	wait_soa b.test 20
	# and a restart keeps both
	stop_secd "$D"
	start_secd "$D"
	wait_soa a.test 10
	wait_soa b.test 20
}
coo_moves_cleanup() {
	secondary_cleanup knot bind bindc
}

# served_count N...: how many of the zones zN.test secd answers with
# serial 77.
served_count() {
	local z
	for z in "$@"; do echo "z$z.test SOA"; done >"$D/q.txt"
	dig +short +norec +time=2 +tries=1 @127.0.0.1 -p "$PORT" \
	    -f "$D/q.txt" 2>/dev/null | grep -c ' 77 3600 600 86400 300$'
}

# wait_count WANT N...: until served_count N... is WANT, at most 60 s.
wait_count() {
	local want=$1 i got
	shift
	for i in $(seq 1 300); do
		got=$(served_count "$@")
		[ "$got" = "$want" ] && return 0
		sleep 0.2
	done
	tail -n 50 "$D/secd.log" >&2
	atf_fail "$got of the zones served, not $want"
}

# nsd_catalog FIRST LAST FILE: catz. listing zFIRST.test to zLAST.test
# into FILE (start_nsd serves a copy of its file, nsd.zone).
nsd_catalog() {
	{
		printf '$TTL 0\n@ SOA invalid. invalid. %d 3600 600 86400 0\n' \
		    "$(($(date +%s) % 100000000))"
		echo '@ NS invalid.'
		echo 'version TXT "2"'
		seq "$1" "$2" | sed 's/.*/id&.zones PTR z&.test./'
	} >"$3"
}

atf_test_case many_members cleanup
many_members_head() {
	atf_set descr "2,000 members of a catalog on NSD are served; the" \
	    "catalog drops 500, secd is killed right after the catalog's" \
	    "transfer: after a restart exactly the 1,500 are served"
	atf_set require.user root
	atf_set require.progs nsd dig
}
many_members_body() {
	local n=2000 i
	D=$(pwd)
	newport PORT
	newport PPORT
	mkdir -p "$D/primary"
	cat >"$D/primary/z.zone" <<ZONE
\$TTL 300
@	SOA	ns1 hostmaster 77 3600 600 86400 300
@	NS	ns1
ns1	A	192.0.2.1
www	A	192.0.2.10
ZONE
	nsd_catalog 0 $((n - 1)) "$D/primary/catz.zone"
	PEER_NOTIFY="127.0.0.1 $PORT" start_nsd "$D/primary" "$PPORT" catz. \
	    "$D/primary/catz.zone" || atf_fail "NSD did not start"
	nsd_add_zones "$D/primary" "$PPORT" 0 $((n - 1)) z.zone ||
	    atf_fail "NSD does not serve z$((n - 1)).test"
	conf_head >"$D/secd.conf"
	cat >>"$D/secd.conf" <<CONF
template "nsd" {
	primary 127.0.0.1 port $PPORT
}
zone "catz" {
	catalog template "nsd"
	primary 127.0.0.1 port $PPORT
	allow notify from 127.0.0.1
}
CONF
	start_secd "$D"
	wait_count $n $(seq 0 $((n - 1)))

	# the catalog drops z1500 to z1999; the kill follows its transfer
	nsd_catalog 0 1499 "$D/primary/nsd.zone"
	kill -HUP "$(cat "$D/primary/nsd.pid")"
	for i in $(seq 1 3000); do
		grep -q 'catalog catz: serial [0-9]*, 1500 members' \
		    "$D/secd.log" && break
		sleep 0.01
	done
	grep -q 'catalog catz: serial [0-9]*, 1500 members' "$D/secd.log" ||
	    atf_fail "the catalog change did not come in 30 s"
	kill -KILL "$(cat "$D/secd.pid")" $(child_pids "$D")
	rm -f "$D/secd.pid"
	sleep 0.5
	mv "$D/secd.log" "$D/secd.log.1"
	start_secd "$D"
	wait_count 1500 $(seq 0 1499)
	wait_count 0 $(seq 1500 $((n - 1)))
	grep -Eq 'zone z[0-9]+\.test: AXFR from' "$D/secd.log" &&
	    atf_fail "members stored before the kill were transferred again"
	return 0
}
many_members_cleanup() {
	secondary_cleanup primary
}

atf_init_test_cases() {
	atf_add_test_case knot_generate
	atf_add_test_case bind_nsupdate
	atf_add_test_case coo_moves
	atf_add_test_case many_members
}
