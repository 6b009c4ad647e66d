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

# Real DNS servers as peers of secd in the tests: NSD, Knot and BIND as
# primaries on loopback high ports, each in a directory the test owns.
#
# Sourced by atf-sh test programs (and by plain sh scripts: without atf,
# failures print to stderr and return 1).  POSIX sh: runs under dash.
#
#   start_nsd  DIR PORT ORIGIN ZONEFILE [KEYNAME ALG SECRET]...
#   start_knot DIR PORT ORIGIN ZONEFILE [KEYNAME ALG SECRET]...
#   start_bind DIR PORT ORIGIN ZONEFILE [KEYNAME ALG SECRET]...
#	Copy ZONEFILE to DIR/<server>.zone, write DIR/<server>.conf, start
#	the server in the background (log in DIR/<server>.log, our pid in
#	DIR/<server>.pid) and wait until it answers ORIGIN SOA on
#	127.0.0.1@PORT (and ::1@PORT when the host has ::1).  Without a key,
#	AXFR/IXFR is allowed unsigned from 127.0.0.1 and ::1; with keys, only
#	signed with one of them.  BIND allows updates signed with any of the
#	keys.  The environment adds:
#	  PEER_NOTIFY="ADDR PORT"  send NOTIFY there on every change (signed
#	                           with the first key, if any)
#	  PEER_IXFR=1              keep differences so IXFR can be served
#	                           after a zone file reload (BIND keeps them
#	                           for updates anyway).  NSD 4.6.1 fails
#	                           to make IXFR data for a zone with an
#	                           empty-rdata record (TYPE65281 \# 0):
#	                           "could not write ...spoolzone", and it
#	                           answers IXFR with the whole zone.
#	  PEER_SIGN=nsec|nsec3     Knot only: sign the zone itself
#	                           (dnssec-signing, a policy "peer_sign":
#	                           ECDSA P-256 KSK and ZSK in DIR/knot.keys,
#	                           no rollovers, signatures for 3 days
#	                           refreshed 2 days before they expire
#	                           (Knot wants more than the largest TTL,
#	                           1 day, and the propagation delay),
#	                           NSEC3 without salt or iterations, CDS and
#	                           CDNSKEY published); start_knot waits for
#	                           the signed SOA.
#	  PEERS_WAIT=S             wait S seconds, not 15, for that answer
#	                           (and for the first transfer of the
#	                           downstream.sh starts): a big zone
#   knot_anchor DIR PORT ORIGIN OUT
#	A trust-anchors block (delv -a, named.conf) with the KSK (flags 257)
#	of the DNSKEY RRset served on 127.0.0.1@PORT, into OUT.
#   reload_peer NAME DIR	Re-read DIR/NAME.zone (NAME: nsd, knot, bind);
#				not for a BIND started with keys: its zone is
#				dynamic, change it with peer_update.
#   peer_update PORT ORIGIN KEYNAME ALG SECRET LINE...
#	Signed dynamic update (nsupdate) of a BIND started with that key.
#   nsd_add_zones DIR PORT FIRST LAST ZONEFILE
#	The NSD that start_nsd runs in DIR, stopped, then started again
#	serving zFIRST.test to zLAST.test too, each from ZONEFILE (relative
#	to DIR, its names relative), unsigned transfers from 127.0.0.1;
#	returns once zLAST.test answers.
#   stop_nsd DIR, stop_knot DIR, stop_bind DIR, stop_all_peers DIR
#	SIGTERM, wait up to 10 s, then SIGKILL (children too); no-op when
#	the server is not running.
#   start_notifysink DIR PORT [KEYNAME ALG SECRET], stop_notifysink DIR
#	notifysink.py on 127.0.0.1@PORT: every NOTIFY it gets is a line
#	"NOTIFY qname serial keyname" in DIR/notify.log (answered, signed
#	when a key is given; "BAD why" when it does not verify, answered
#	NOTAUTH BADSIG or BADKEY).  The environment adds:
#	  PEER_SINK_ADDR=ADDR    listen on ADDR, not 127.0.0.1
#	  PEER_SINK_DROP=N       the first N NOTIFYs unanswered, each a
#	                         line "DROP qname serial keyname"
#	  PEER_SINK_RCODE=RCODE  every NOTIFY answered RCODE (REFUSED...)
#   peers_left DIR		Pids of processes whose command line names DIR.
#   pick_port			A port free on UDP and TCP, 20000-59999, below
#				the ephemeral port range.
#   tsig_secret [N]		Base64 of N (default 32) random bytes.
#   peer_axfr OUT PORT ORIGIN [KEYNAME ALG SECRET]
#	AXFR from 127.0.0.1@PORT into OUT, canonical and sorted
#	(zonecanon.py); dig's own output in OUT.raw.  Returns 1 when the
#	transfer failed.
#   peer_ixfr OUT PORT ORIGIN SERIAL [KEYNAME ALG SECRET]
#	IXFR from SERIAL into OUT, dig's lines in order; 1 when it failed.
#   peer_soa_serials FILE	The SOA serials in dig output FILE, one line.
#   peer_serial PORT ORIGIN	The SOA serial served on 127.0.0.1@PORT.
#   zone_canon FILE [ORIGIN]	The zone file FILE, canonical and sorted.
#   zone_check ORIGIN FILE WORKDIR
#	nsd-checkzone, named-checkzone and knotc zone-check accept FILE.

PEERS_LIB=${PEERS_LIB:-$(dirname "$0")/../lib}
if [ -n "${ATF_SRCDIR:-}" ] || type atf_get_srcdir >/dev/null 2>&1; then
	PEERS_LIB=$(atf_get_srcdir)/../lib
fi
ZONEGEN=$PEERS_LIB/zonegen.py
ZONECANON=$PEERS_LIB/zonecanon.py
DNSDIFF=$PEERS_LIB/dnsdiff.py

peers_fail() {
	if type atf_fail >/dev/null 2>&1; then
		atf_fail "$*"
	fi
	echo "peers.sh: $*" >&2
	return 1
}

peers_have_v6() {
	grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 \
	    2>/dev/null
}

# Below the kernel's ephemeral range when it starts above 20000 (the
# local ports of outgoing connections, dig's among them, live there and
# would make a server's bind fail), and not in use in any state.
pick_port() {
	local p hi lo
	# dash's read(1) misreads procfs: take the words from cat.
	lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	case $lo in ''|*[!0-9]*) lo=60000 ;; esac
	hi=59999
	[ "$lo" -gt 21000 ] && [ "$lo" -le 60000 ] && hi=$((lo - 1))
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % (hi - 19999) ))
		ss -Hanut "( sport = :$p )" 2>/dev/null | grep -q . ||
		    { echo "$p"; return 0; }
	done
}

tsig_secret() {
	head -c "${1:-32}" /dev/urandom | base64 -w0
	echo
}

# peers_alive PID: running and not a zombie.
peers_alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] &&
	    ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^Z'
}

# peers_wait_soa NAME DIR PORT ORIGIN: until the server answers the SOA
# with AA, at most $PEERS_WAIT s (default 15); fail with its log otherwise.
peers_wait_soa() {
	local name=$1 dir=$2 port=$3 origin=$4 pid i
	pid=$(cat "$dir/$name.pid")
	i=0
	while [ $i -lt $((${PEERS_WAIT:-15} * 10)) ]; do
		if dig +norec +time=1 +tries=1 @127.0.0.1 -p "$port" \
		    "$origin" SOA 2>/dev/null |
		    grep -q '^;; flags: qr aa.*ANSWER: 1,'; then
			return 0
		fi
		peers_alive "$pid" || break
		sleep 0.1
		i=$((i + 1))
	done
	echo "=== $name log ($dir/$name.log):" >&2
	tail -n 40 "$dir/$name.log" >&2
	if peers_alive "$pid"; then
		peers_fail "$name on port $port: no authoritative SOA for" \
		    "$origin after ${PEERS_WAIT:-15} s (log above)"
	else
		peers_fail "$name on port $port exited at start (log above)"
	fi
}

# peers_spawn NAME DIR CMD...: run CMD in the background with its own
# stdin/stdout/stderr so that the test's output is not held open.
peers_spawn() {
	local name=$1 dir=$2
	shift 2
	"$@" </dev/null >>"$dir/$name.log" 2>&1 &
	echo $! >"$dir/$name.pid"
}

peers_keycount() {	# the number of KEYNAME ALG SECRET triples
	echo $(( $# / 3 ))
}

peers_check_args() {	# NAME DIR PORT ORIGIN ZONEFILE [K A S]...
	[ $# -ge 5 ] && [ $(( ($# - 5) % 3 )) -eq 0 ] ||
	    { peers_fail "start_$1: DIR PORT ORIGIN ZONEFILE" \
	    "[KEYNAME ALG SECRET]..."; return 1; }
	[ -r "$5" ] || { peers_fail "start_$1: no zone file $5"; return 1; }
	mkdir -p "$2"
}

# ------------------------------------------------------------------- NSD

start_nsd() {
	local dir port origin zf first keys k
	peers_check_args nsd "$@" || return 1
	dir=$(cd "$1" && pwd) port=$2 origin=${3%.}.
	zf=$4
	shift 4
	cp "$zf" "$dir/nsd.zone"
	mkdir -p "$dir/nsd.d"
	{
		cat <<EOF
server:
	ip-address: 127.0.0.1@$port
EOF
		peers_have_v6 && echo "	ip-address: ::1@$port"
		cat <<EOF
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
	hide-version: no
	identity: "nsd-peer"
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
	zonefiles-write: 0

remote-control:
	control-enable: no

EOF
		first= keys=
		while [ $# -ge 3 ]; do
			printf 'key:\n\tname: "%s"\n\talgorithm: %s\n' "$1" "$2"
			printf '\tsecret: "%s"\n\n' "$3"
			first=${first:-$1}
			keys="$keys $1"
			shift 3
		done
		printf 'zone:\n\tname: "%s"\n\tzonefile: "nsd.zone"\n' \
		    "$origin"
		for k in ${keys:-NOKEY}; do
			echo "	provide-xfr: 127.0.0.1 $k"
			echo "	provide-xfr: ::1 $k"
		done
		if [ "${PEER_IXFR:-0}" = 1 ]; then
			echo "	store-ixfr: yes"
			echo "	create-ixfr: yes"
		fi
		if [ -n "${PEER_NOTIFY:-}" ]; then
			set -- $PEER_NOTIFY
			echo "	notify: $1@$2 ${first:-NOKEY}"
		fi
	} >"$dir/nsd.conf"
	nsd-checkconf "$dir/nsd.conf" >>"$dir/nsd.log" 2>&1 ||
	    { cat "$dir/nsd.log" >&2; peers_fail "nsd: bad config"; return 1; }
	peers_spawn nsd "$dir" nsd -d -c "$dir/nsd.conf"
	peers_wait_soa nsd "$dir" "$port" "$origin"
}

# ------------------------------------------------------------------ Knot

start_knot() {
	local dir port origin zf keys first listen
	peers_check_args knot "$@" || return 1
	dir=$(cd "$1" && pwd) port=$2 origin=${3%.}.
	zf=$4
	shift 4
	cp "$zf" "$dir/knot.zone"
	mkdir -p "$dir/knot.d" "$dir/knot.db"
	listen="127.0.0.1@$port"
	peers_have_v6 && listen="[ $listen, ::1@$port ]"
	{
		cat <<EOF
server:
    rundir: "$dir/knot.d"
    pidfile: "$dir/knot.d/knot.pid"
    listen: $listen
    identity: "knot-peer"
    udp-workers: 2
    tcp-workers: 2
    background-workers: 1

control:
    listen: "$dir/knot.d/knot.sock"

log:
  - target: "$dir/knot.log"
    any: info

database:
    storage: "$dir/knot.db"
    journal-db-max-size: 64M
    kasp-db-max-size: 16M
    timer-db-max-size: 16M
    catalog-db-max-size: 16M

EOF
		keys= first=
		if [ $# -ge 3 ]; then
			echo "key:"
			while [ $# -ge 3 ]; do
				printf '  - id: "%s"\n    algorithm: %s\n' "$1" "$2"
				printf '    secret: "%s"\n' "$3"
				keys="${keys:+$keys, }\"$1\""
				first=${first:-$1}
				shift 3
			done
			echo
		fi
		cat <<EOF
acl:
  - id: peer_xfr
    address: [ 127.0.0.1, ::1 ]
    action: transfer
EOF
		[ -n "$keys" ] && echo "    key: [ $keys ]"
		echo
		if [ -n "${PEER_NOTIFY:-}" ]; then
			set -- $PEER_NOTIFY
			cat <<EOF
remote:
  - id: peer_notify
    address: $1@$2
EOF
			[ -n "$first" ] && echo "    key: \"$first\""
			echo
		fi
		case ${PEER_SIGN:-} in
		'') ;;
		nsec|nsec3)
			mkdir -p "$dir/knot.keys"
			cat <<EOF
keystore:
  - id: peer_keys
    backend: pem
    config: "$dir/knot.keys"

policy:
  - id: peer_sign
    keystore: peer_keys
    algorithm: ecdsap256sha256
    ksk-lifetime: 0
    zsk-lifetime: 0
    rrsig-lifetime: 3d
    rrsig-refresh: 2d
    nsec3: $([ "$PEER_SIGN" = nsec3 ] && echo on || echo off)
    nsec3-iterations: 0
    nsec3-salt-length: 0
    cds-cdnskey-publish: always

EOF
			;;
		*)
			peers_fail "start_knot: PEER_SIGN=$PEER_SIGN:" \
			    "nsec or nsec3"
			return 1 ;;
		esac
		cat <<EOF
template:
  - id: default
    storage: "$dir"
    semantic-checks: off
    zonefile-sync: -1
EOF
		if [ "${PEER_IXFR:-0}" = 1 ]; then
			echo "    zonefile-load: difference"
			echo "    journal-content: changes"
		else
			echo "    zonefile-load: whole"
			echo "    journal-content: none"
		fi
		cat <<EOF

zone:
  - domain: "$origin"
    file: "$dir/knot.zone"
    acl: peer_xfr
EOF
		[ -n "${PEER_NOTIFY:-}" ] && echo "    notify: peer_notify"
		if [ -n "${PEER_SIGN:-}" ]; then
			echo "    dnssec-signing: on"
			echo "    dnssec-policy: peer_sign"
		fi
	} >"$dir/knot.conf"
	knotc -c "$dir/knot.conf" conf-check >>"$dir/knot.log" 2>&1 ||
	    { cat "$dir/knot.log" >&2; peers_fail "knot: bad config"; return 1; }
	peers_spawn knot "$dir" knotd -c "$dir/knot.conf"
	peers_wait_soa knot "$dir" "$port" "$origin" || return 1
	[ -z "${PEER_SIGN:-}" ] || peers_wait_signed knot "$dir" "$port" \
	    "$origin"
}

# peers_wait_signed NAME DIR PORT ORIGIN: until the SOA comes with its
# RRSIG, at most 15 s.
peers_wait_signed() {
	local i=0
	while [ $i -lt 150 ]; do
		dig +norec +dnssec +time=1 +tries=1 @127.0.0.1 -p "$3" \
		    "$4" SOA 2>/dev/null |
		    grep -q '[[:space:]]RRSIG[[:space:]]*SOA ' && return 0
		sleep 0.1
		i=$((i + 1))
	done
	tail -n 40 "$2/$1.log" >&2
	peers_fail "$1 on port $3: $4 not signed after 15 s (log above)"
}

knot_anchor() {
	local dir=$1 port=$2 origin=${3%.}. out=$4
	dig +norec +nocookie +time=2 +tries=2 +noall +answer @127.0.0.1 \
	    -p "$port" "$origin" DNSKEY >"$dir/knot_anchor.dnskey" 2>&1
	awk -v o="$origin" '$4 == "DNSKEY" && $5 == 257 {
		key = ""
		for (i = 8; i <= NF; i++)
			key = key $i
		printf "trust-anchors {\n\t\"%s\" static-key %s %s %s \"%s\";\n};\n",
		    o, $5, $6, $7, key
		n++
	} END { exit n == 0 }' "$dir/knot_anchor.dnskey" >"$out" ||
	    { peers_fail "knot_anchor: no DNSKEY 257 for $origin on port" \
	    "$port: $(head -5 "$dir/knot_anchor.dnskey")"; return 1; }
}

# ------------------------------------------------------------------ BIND

start_bind() {
	local dir port origin zf keys first v6
	peers_check_args bind "$@" || return 1
	dir=$(cd "$1" && pwd) port=$2 origin=${3%.}.
	zf=$4
	shift 4
	mkdir -p "$dir/bind.d"
	cp "$zf" "$dir/bind.zone"
	rm -f "$dir/bind.zone.jnl"
	v6="none;"
	peers_have_v6 && v6="::1;"
	{
		keys= first=
		while [ $# -ge 3 ]; do
			printf 'key "%s" {\n\talgorithm %s;\n\tsecret "%s";\n};\n' \
			    "$1" "$2" "$3"
			keys="$keys key \"$1\";"
			first=${first:-$1}
			shift 3
		done
		cat <<EOF

options {
	directory "$dir/bind.d";
	pid-file "$dir/bind.d/named.pid";
	session-keyfile "$dir/bind.d/session.key";
	managed-keys-directory "$dir/bind.d";
	dump-file "$dir/bind.d/named_dump.db";
	statistics-file "$dir/bind.d/named.stats";
	listen-on port $port { 127.0.0.1; };
	listen-on-v6 port $port { $v6 };
	recursion no;
	dnssec-validation no;
	notify no;
	version "bind-peer";
	hostname "bind-peer";
	server-id "bind-peer";
	allow-transfer { ${keys:- 127.0.0.1; ::1;} };
EOF
		[ "${PEER_IXFR:-0}" = 1 ] && echo "	ixfr-from-differences yes;"
		cat <<EOF
};

controls { };

zone "$origin" {
	type primary;
	file "$dir/bind.zone";
EOF
		[ -n "$keys" ] && echo "	allow-update {$keys };"
		if [ -n "${PEER_NOTIFY:-}" ]; then
			set -- $PEER_NOTIFY
			echo "	notify explicit;"
			echo "	notify-delay 0;"
			echo "	also-notify { $1 port $2${first:+ key \"$first\"}; };"
		fi
		echo "};"
	} >"$dir/bind.conf"
	named-checkconf "$dir/bind.conf" >>"$dir/bind.log" 2>&1 ||
	    { cat "$dir/bind.log" >&2; peers_fail "bind: bad config"; return 1; }
	peers_spawn bind "$dir" named -g -n 2 -c "$dir/bind.conf"
	peers_wait_soa bind "$dir" "$port" "$origin"
}

# -------------------------------------------------------------- control

reload_peer() {
	local name=$1 dir
	dir=$(cd "$2" && pwd)
	case $name in
	bind)
		# allow-update makes the zone dynamic; BIND then ignores
		# its file until "rndc freeze", and rndc is off.
		if grep -q allow-update "$dir/bind.conf"; then
			peers_fail "reload_peer bind: the zone takes updates" \
			    "(started with keys): change it with peer_update"
			return 1
		fi
		kill -HUP "$(cat "$dir/$name.pid")" ;;
	nsd)
		kill -HUP "$(cat "$dir/$name.pid")" ;;
	knot)
		knotc -c "$dir/knot.conf" -s "$dir/knot.d/knot.sock" \
		    zone-reload >/dev/null ;;
	*)
		peers_fail "reload_peer: unknown server $name"; return 1 ;;
	esac
}

# peers_stop NAME DIR: our pid only, and only if it still runs the
# command we started (its command line names DIR, or it is a secd parent:
# secd replaces its command line with its title).
peers_stop() {
	local name=$1 dir pid kids i k
	dir=$(cd "$2" 2>/dev/null && pwd) || return 0
	[ -f "$dir/$name.pid" ] || return 0
	pid=$(cat "$dir/$name.pid")
	if peers_alive "$pid" &&
	    tr '\0' ' ' <"/proc/$pid/cmdline" |
	    grep -qE "^secd: parent|$(printf '%s' "$dir/" |
	    sed 's/[][\.*^$+?(){}|]/\\&/g')"; then
		kids=$(pgrep -P "$pid")
		kill -TERM "$pid" 2>/dev/null
		i=0
		while [ $i -lt 100 ] && peers_alive "$pid"; do
			sleep 0.1
			i=$((i + 1))
		done
		peers_alive "$pid" && kill -KILL "$pid" 2>/dev/null
		for k in $kids; do
			peers_alive "$k" && kill -KILL "$k" 2>/dev/null
		done
		# Reap it if it is our child; harmless otherwise.
		wait "$pid" 2>/dev/null
	fi
	rm -f "$dir/$name.pid"
	return 0
}

stop_nsd() { peers_stop nsd "$1"; }

nsd_add_zones() {
	local dir=$1 port=$2 i=$3 last=$4 zf=$5
	stop_nsd "$dir"
	while [ "$i" -le "$last" ]; do
		printf 'zone:\n\tname: "z%d.test."\n\tzonefile: "%s"\n' \
		    "$i" "$zf"
		echo "	provide-xfr: 127.0.0.1 NOKEY"
		i=$((i + 1))
	done >>"$dir/nsd.conf"
	peers_spawn nsd "$dir" nsd -d -c "$dir/nsd.conf"
	peers_wait_soa nsd "$dir" "$port" "z$last.test."
}
stop_knot() { peers_stop knot "$1"; }
stop_bind() { peers_stop bind "$1"; }
stop_notifysink() { peers_stop notifysink "$1"; }
stop_all_peers() {
	peers_stop nsd "$1"
	peers_stop knot "$1"
	peers_stop bind "$1"
	peers_stop notifysink "$1"
}

# start_notifysink DIR PORT [KEYNAME ALG SECRET]: notifysink.py on
# 127.0.0.1@PORT (PEER_SINK_ADDR), logging to DIR/notify.log.
start_notifysink() {
	local dir i
	mkdir -p "$1"
	dir=$(cd "$1" && pwd)
	: >"$dir/notify.log"
	peers_spawn notifysink "$dir" "$PEERS_LIB/notifysink.py" \
	    --address "${PEER_SINK_ADDR:-127.0.0.1}" \
	    --drop "${PEER_SINK_DROP:-0}" \
	    --rcode "${PEER_SINK_RCODE:-NOERROR}" \
	    "$2" "$dir/notify.log" ${3:+"$3" "$4" "$5"}
	i=0
	while ! ss -Hlnt "( sport = :$2 )" | grep -q .; do
		[ $i -lt 50 ] && peers_alive "$(cat "$dir/notifysink.pid")" ||
		    { cat "$dir/notifysink.log" >&2
		    peers_fail "notifysink.py did not start on port $2"
		    return 1; }
		sleep 0.1
		i=$((i + 1))
	done
}

peers_left() {
	local dir
	dir=$(cd "$1" 2>/dev/null && pwd) || dir=$1
	pgrep -f -- "$(printf '%s' "$dir/" | sed 's/[][\.*^$+?(){}|]/\\&/g')" |
	    grep -vx "$$"
}

# ---------------------------------------------------------------- queries

peer_axfr() {
	local out=$1 port=$2 origin=${3%.}.
	shift 3
	set -- ${1:+-y "$2:$1:$3"}
	dig +nocookie +time=3 +tries=1 +noall +answer @127.0.0.1 -p "$port" \
	    "$@" "$origin" AXFR >"$out.raw" 2>&1
	# dig's comment lines only: a signature's base64 may spell "tsig"
	if grep -qiE '^; (transfer failed|communications error)|^;.*tsig|^;; connection' \
	    "$out.raw" || ! grep -q 'SOA' "$out.raw"; then
		: >"$out"
		return 1
	fi
	"$ZONECANON" --origin "$origin" "$out.raw" >"$out"
}

# peer_ixfr OUT PORT ORIGIN SERIAL [KEYNAME ALG SECRET]: IXFR from SERIAL
# over TCP into OUT, in the order received (dig's lines); returns 1 when
# it failed.  An incremental answer's SOA serials read new old ... new new.
peer_ixfr() {
	local out=$1 port=$2 origin=${3%.}. serial=$4
	shift 4
	set -- ${1:+-y "$2:$1:$3"}
	dig +nocookie +time=3 +tries=1 +noall +answer @127.0.0.1 -p "$port" \
	    "$@" "$origin" IXFR="$serial" >"$out" 2>&1
	! grep -qiE '^; (transfer failed|communications error)|^;.*tsig|^;; connection' \
	    "$out" && grep -q 'SOA' "$out"
}

# peer_soa_serials FILE: the serials of the SOA records in dig output, on
# one line.
peer_soa_serials() {
	awk '$4 == "SOA" { printf "%s%s", sep, $7; sep = " " } END { print "" }' \
	    "$1"
}

# peer_update PORT ORIGIN KEYNAME ALG SECRET LINE...: an nsupdate(1)
# session signed with the key, one LINE a command ("update add NAME TTL IN
# A 192.0.2.1"), then send; returns nsupdate's status, its output on
# stderr when it failed.
peer_update() {
	local port=$1 origin=${2%.}. key="$4:$3:$5" out
	shift 5
	out=$({
		echo "server 127.0.0.1 $port"
		echo "zone $origin"
		for l in "$@"; do echo "$l"; done
		echo send
	} | nsupdate -y "$key" 2>&1) || { echo "$out" >&2; return 1; }
}

peer_serial() {
	dig +norec +short +time=2 +tries=2 @127.0.0.1 -p "$1" "${2%.}." SOA |
	    awk '{ print $3 }'
}

# zone_check ORIGIN FILE WORKDIR: nsd-checkzone, named-checkzone (no
# lookups of names outside the zone) and knotc zone-check (semantic checks
# on) all accept FILE; otherwise their complaints go to stderr.
zone_check() {
	local origin=${1%.}. file wd rc=0
	file=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	mkdir -p "$3/kcheck"
	wd=$(cd "$3/kcheck" && pwd)
	nsd-checkzone "$origin" "$file" >"$wd/nsd.out" 2>&1 ||
	    { echo "nsd-checkzone rejects $file:" >&2; cat "$wd/nsd.out" >&2
	    rc=1; }
	named-checkzone -q -i local "$origin" "$file" >/dev/null 2>&1 ||
	    { echo "named-checkzone rejects $file:" >&2
	    named-checkzone -i local "$origin" "$file" >&2; rc=1; }
	cat >"$wd/knot.conf" <<EOF
database:
    storage: "$wd"
template:
  - id: default
    storage: "$wd"
    semantic-checks: on
zone:
  - domain: "$origin"
    file: "$file"
EOF
	knotc -c "$wd/knot.conf" zone-check >"$wd/knot.out" 2>&1 ||
	    { echo "knotc zone-check rejects $file:" >&2
	    cat "$wd/knot.out" >&2; rc=1; }
	return $rc
}

zone_canon() {
	"$ZONECANON" ${2:+--origin "$2"} "$1"
}
