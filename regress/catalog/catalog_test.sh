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

# secd_conf CATALOGS...: secd.conf with templates "members" (proxy
# 192.0.2.81) and "other" (proxy 192.0.2.82) on the Knot primary, and a
# catalog zone for each "NAME PORT TEMPLATE".
secd_conf() {
	local c
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
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
	wait_soa a.test 10
	atf_check -o inline:"192.0.2.4\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.d.test A

	# a restart with the primary down: the members from storage
	stop_secd "$D"
	stop_knot "$D/knot"
	start_secd "$D"
	wait_soa a.test 10
	wait_soa c.test 30
	wait_soa d.test 40
	wait_soa b.test REFUSED
	# the override outlived the restart
	atf_check -o inline:"192.0.2.82\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" www.c.test A
}
knot_generate_cleanup() {
	secondary_cleanup knot
}

atf_init_test_cases() {
	atf_add_test_case knot_generate
}
