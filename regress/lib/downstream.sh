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

# NSD, Knot and BIND as secondaries of secd (a fleet fed by secd's
# transfers out), on loopback high ports, each in a directory the test
# owns.  Sourced after peers.sh (its peers_spawn, peers_wait_soa and
# stop_* stop these too).
#
#   start_nsd_down  DIR PORT ORIGIN PRIMARYPORT [KEYNAME ALG SECRET]
#   start_knot_down DIR PORT ORIGIN PRIMARYPORT [KEYNAME ALG SECRET]
#   start_bind_down DIR PORT ORIGIN PRIMARYPORT [KEYNAME ALG SECRET]
#	A secondary of ORIGIN on 127.0.0.1@PORT whose primary is
#	127.0.0.1@PRIMARYPORT (requests signed with the key when given),
#	taking NOTIFY from 127.0.0.1 (signed with the key when given);
#	returns once it answers ORIGIN SOA with AA (its first transfer
#	done; at most 15 s, or $PEERS_WAIT s: peers.sh).  REFRESH comes
#	from the zone's SOA: a test that wants a change seen sooner sends
#	NOTIFY (secd does, secd.conf(5) notify).

start_nsd_down() {
	local dir=$1 port=$2 origin=${3%.}. pp=$4 key=NOKEY
	mkdir -p "$dir/nsd.d"
	dir=$(cd "$dir" && pwd)
	{
		cat <<EOF
server:
	ip-address: 127.0.0.1@$port
	username: ""
	chroot: ""
	zonesdir: "$dir"
	database: ""
	zonelistfile: "$dir/nsd.d/zone.list"
	xfrdfile: "$dir/nsd.d/xfrd.state"
	xfrdir: "$dir/nsd.d"
	pidfile: "$dir/nsd.d/nsd.pid"
	logfile: "$dir/nsd.log"
	verbosity: 2
	server-count: 1
	rrl-ratelimit: 0
	zonefiles-write: 0

remote-control:
	control-enable: no

EOF
		if [ $# -ge 7 ]; then
			printf 'key:\n\tname: "%s"\n\talgorithm: %s\n' "$5" "$6"
			printf '\tsecret: "%s"\n\n' "$7"
			key=$5
		fi
		printf 'zone:\n\tname: "%s"\n' "$origin"
		echo "	request-xfr: 127.0.0.1@$pp $key"
		echo "	allow-notify: 127.0.0.1 $key"
	} >"$dir/nsd.conf"
	nsd-checkconf "$dir/nsd.conf" >>"$dir/nsd.log" 2>&1 ||
	    { cat "$dir/nsd.log" >&2; peers_fail "nsd: bad config"; return 1; }
	peers_spawn nsd "$dir" nsd -d -c "$dir/nsd.conf"
	peers_wait_soa nsd "$dir" "$port" "$origin"
}

# down_knot_head DIR PORT: the server, control, log and database parts
# of a Knot on 127.0.0.1@PORT whose files are in DIR.
down_knot_head() {
	cat <<EOF
server:
    rundir: "$1/knot.d"
    pidfile: "$1/knot.d/knot.pid"
    listen: 127.0.0.1@$2
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1

control:
    listen: "$1/knot.d/knot.sock"

log:
  - target: "$1/knot.log"
    any: info

database:
    storage: "$1/knot.db"

EOF
}

# down_knot_run DIR: DIR/knot.conf checked, Knot started with it.
down_knot_run() {
	knotc -c "$1/knot.conf" conf-check >>"$1/knot.log" 2>&1 ||
	    { cat "$1/knot.log" >&2; peers_fail "knot: bad config"; return 1; }
	peers_spawn knot "$1" knotd -c "$1/knot.conf"
}

start_knot_down() {
	local dir=$1 port=$2 origin=${3%.}. pp=$4
	mkdir -p "$dir/knot.d" "$dir/knot.db"
	dir=$(cd "$dir" && pwd)
	{
		down_knot_head "$dir" "$port"
		if [ $# -ge 7 ]; then
			printf 'key:\n  - id: "%s"\n    algorithm: %s\n' "$5" "$6"
			printf '    secret: "%s"\n\n' "$7"
		fi
		cat <<EOF
remote:
  - id: up
    address: 127.0.0.1@$pp
EOF
		[ $# -ge 7 ] && echo "    key: \"$5\""
		cat <<EOF

acl:
  - id: up_notify
    address: 127.0.0.1
    action: notify
EOF
		[ $# -ge 7 ] && echo "    key: \"$5\""
		cat <<EOF

template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: changes
    semantic-checks: off

zone:
  - domain: "$origin"
    master: up
    acl: up_notify
EOF
	} >"$dir/knot.conf"
	down_knot_run "$dir" || return 1
	peers_wait_soa knot "$dir" "$port" "$origin"
}

# down_bind_run DIR: DIR/bind.conf checked, BIND started with it.
down_bind_run() {
	named-checkconf "$1/bind.conf" >>"$1/bind.log" 2>&1 ||
	    { cat "$1/bind.log" >&2; peers_fail "bind: bad config"; return 1; }
	peers_spawn bind "$1" named -g -n 1 -c "$1/bind.conf"
}

start_bind_down() {
	local dir=$1 port=$2 origin=${3%.}. pp=$4 key=
	mkdir -p "$dir/bind.d"
	dir=$(cd "$dir" && pwd)
	{
		if [ $# -ge 7 ]; then
			printf 'key "%s" {\n\talgorithm %s;\n\tsecret "%s";\n};\n' \
			    "$5" "$6" "$7"
			key=" key \"$5\""
		fi
		cat <<EOF

options {
	directory "$dir/bind.d";
	pid-file "$dir/bind.d/named.pid";
	session-keyfile "$dir/bind.d/session.key";
	managed-keys-directory "$dir/bind.d";
	listen-on port $port { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
};

controls { };

zone "$origin" {
	type secondary;
	file "$dir/bind.d/zone.db";
	primaries { 127.0.0.1 port $pp$key; };
	allow-notify { 127.0.0.1; };
};
EOF
	} >"$dir/bind.conf"
	down_bind_run "$dir" || return 1
	peers_wait_soa bind "$dir" "$port" "$origin"
}

#   start_knot_catcons DIR PORT CATALOG PRIMARYPORT KEYNAME ALG SECRET
#   start_bind_catcons DIR PORT CATALOG PRIMARYPORT KEYNAME ALG SECRET
#	Knot (catalog-role: interpret) and BIND (catalog-zones) consuming
#	the catalog CATALOG of 127.0.0.1@PRIMARYPORT: every member zone is
#	a secondary of that primary too, all transfers signed with the
#	key; NOTIFY taken from 127.0.0.1.  Returns once the server is
#	started (Knot does not answer queries for a catalog it interprets):
#	the test waits for the members.

start_knot_catcons() {
	local dir=$1 port=$2 cat=${3%.}. pp=$4
	mkdir -p "$dir/knot.d" "$dir/knot.db"
	dir=$(cd "$dir" && pwd)
	{
		down_knot_head "$dir" "$port"
		cat <<EOF
key:
  - id: "$5"
    algorithm: $6
    secret: "$7"

remote:
  - id: up
    address: 127.0.0.1@$pp
    key: "$5"

acl:
  - id: up_notify
    address: 127.0.0.1
    action: notify
    key: "$5"

template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: changes
    semantic-checks: off
  - id: member
    storage: "$dir"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: changes
    master: up
    acl: up_notify

zone:
  - domain: "$cat"
    master: up
    acl: up_notify
    catalog-role: interpret
    catalog-template: member
EOF
	} >"$dir/knot.conf"
	down_knot_run "$dir"
}

start_bind_catcons() {
	local dir=$1 port=$2 cat=${3%.} pp=$4
	mkdir -p "$dir/bind.d"
	dir=$(cd "$dir" && pwd)
	cat >"$dir/bind.conf" <<EOF
key "$5" {
	algorithm $6;
	secret "$7";
};

options {
	directory "$dir/bind.d";
	pid-file "$dir/bind.d/named.pid";
	session-keyfile "$dir/bind.d/session.key";
	managed-keys-directory "$dir/bind.d";
	listen-on port $port { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
	allow-new-zones yes;
	catalog-zones {
		zone "$cat" default-primaries { 127.0.0.1 port $pp key "$5"; };
	};
};

controls { };

zone "$cat" {
	type secondary;
	file "$dir/bind.d/catalog.db";
	primaries { 127.0.0.1 port $pp key "$5"; };
	allow-notify { 127.0.0.1; };
};
EOF
	down_bind_run "$dir" || return 1
}
