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

# Toggles under load: secd serves a zone of a few hundred names from BIND
# to dnsperf for the whole run, while 1,000 "secctl proxy" toggles over
# 20 names and a stream of dynamic updates on BIND (NOTIFY, IXFR every
# 2 s) rebuild the zone again and again.  No query gets SERVFAIL,
# REFUSED or FORMERR, no process is restarted, each name ends as its last
# toggle left it, and audit finds no leak.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3

P4=203.0.113.80,203.0.113.81
P6=2001:db8:ffff::80
PTTL=77

TOGGLES=1000
NAMES=20		# toggled names; the first CHANGED get new A records
CHANGED=5
QPS=1500		# dnsperf's rate: a load, not a benchmark

setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	S=$(tsig_secret 32)
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	"$ZONEGEN" queries --zone "$D/zone" --origin "$ORIGIN" \
	    --count 20000 -o "$D/queries" || atf_fail "zonegen.py failed"
	# hostNNNN names with an A record (some have AAAA, TXT or MX too):
	# never a CNAME, so that every answer compares with BIND's
	awk '$1 ~ /^host[0-9]+\./ && $4 == "A" { print $1 }' "$D/zone" |
	    uniq | head -n "$NAMES" >"$D/names"
	[ "$(wc -l <"$D/names")" = "$NAMES" ] ||
	    atf_fail "test bug: fewer than $NAMES names with an A record"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 2
listen on 127.0.0.1 port $PORT

tsig key "k" {
	algorithm hmac-sha256
	secret "$S"
}

proxy {
	address $(echo "$P4" | sed 's/,/\n\taddress /g')
	address $(echo "$P6" | sed 's/,/\n\taddress /g')
	ttl $PTTL
}

zone "$ZONE" {
	primary 127.0.0.1 port $PP tsig "k"
	allow notify from 127.0.0.1 tsig "k"
}
CONF
}

# toggle_list: TOGGLES lines "NAME on|off", pseudo-random (fixed seed);
# every name appears.
toggle_list() {
	awk -v n="$TOGGLES" 'BEGIN { srand(42) }
	{ name[NR - 1] = $1 }
	END {
		for (i = 0; i < n; i++) {
			k = i < NR ? i : int(rand() * NR)
			print name[k], (rand() < 0.5 ? "on" : "off")
		}
	}' "$D/names"
}

# updates: in the background until $D/stop exists, every 2 s a dynamic
# update on BIND (a new serial, NOTIFY, IXFR): a new TXT name, and a new
# A for one of the first CHANGED toggled names.  Counts the updates in
# $D/updates.n; a failed one goes to $D/updates.err.
updates() {
	local n=0 h a
	while [ ! -f "$D/stop" ]; do
		n=$((n + 1))
		h=$(sed -n "$((n % CHANGED + 1))p" "$D/names")
		a=10.77.$((n / 200)).$((n % 200 + 1))
		peer_update "$PP" "$ORIGIN" k hmac-sha256 "$S" \
		    "update delete $h A" "update add $h 300 IN A $a" \
		    "update add chg$n.$ORIGIN 300 IN TXT \"update $n\"" \
		    2>>"$D/updates.err" ||
		    echo "update $n failed" >>"$D/updates.err"
		echo "$n" >"$D/updates.n"
		sleep 2
	done
}

# answer NAME TYPE PORT: the answer section, "TTL TYPE RDATA" sorted.
answer() {
	dig +norec +noall +answer +time=2 +tries=2 @127.0.0.1 -p "$3" \
	    "$1" "$2" | awk '{ print $2, $4, $5 }' | sort
}

# proxy_answer TYPE: what a proxied name answers for TYPE.
proxy_answer() {
	if [ "$1" = A ]; then
		echo "$P4"
	else
		echo "$P6"
	fi | tr , '\n' | awk -v t="$1" -v ttl="$PTTL" '{ print ttl, t, $1 }' |
	    sort
}

# is_state NAME on|off: secd answers NAME's A and AAAA as proxied (the
# proxy set) or as BIND does.
is_state() {
	local t want
	for t in A AAAA; do
		if [ "$2" = on ]; then
			want=$(proxy_answer $t)
		else
			want=$(answer "$1" $t "$PP")
		fi
		[ "$(answer "$1" $t "$PORT")" = "$want" ] || return 1
	done
}

# is_state_now NAME on|off: while BIND changes: A and AAAA are the proxy
# set (on), or some A and no proxy address (off).
is_state_now() {
	local a aaaa
	a=$(answer "$1" A "$PORT")
	aaaa=$(answer "$1" AAAA "$PORT")
	if [ "$2" = on ]; then
		[ "$a" = "$(proxy_answer A)" ] &&
		    [ "$aaaa" = "$(proxy_answer AAAA)" ]
	else
		[ -n "$a" ] && ! printf '%s\n%s\n' "$a" "$aaaa" |
		    awk '{ print $3 }' | grep -qxF "$(echo "$P4,$P6" |
		    tr , '\n')"
	fi
}

atf_test_case toggles_under_load cleanup
toggles_under_load_head() {
	atf_set descr "1,000 proxy toggles and an IXFR every 2 s while" \
	    "dnsperf loads secd: no SERVFAIL/REFUSED/FORMERR, no process" \
	    "restarted, each name as its last toggle, audit clean"
	atf_set require.user root
	atf_set timeout 600
}
toggles_under_load_body() {
	local name st i serial codes bad rc
	setup
	mkdir "$D/bind"
	PEER_NOTIFY="127.0.0.1 $PORT" start_bind "$D/bind" "$PP" "$ORIGIN" \
	    "$D/zone" k hmac-sha256 "$S"
	start_secd "$D"
	wait_served 2024010101 1
	secd_pids >"$D/pids.start"

	dnsperf -s 127.0.0.1 -p "$PORT" -d "$D/queries" -l 3600 -c 2 \
	    -Q "$QPS" >"$D/dnsperf.out" 2>&1 &
	echo $! >"$D/dnsperf.pid"
	updates >/dev/null 2>&1 &
	echo $! >"$D/updates.pid"

	# The toggles; every 25th is checked at once (a toggle returns
	# once every serverd answers with it).
	toggle_list >"$D/toggles"
	: >"$D/toggle.err"
	i=0
	while read -r name st; do
		i=$((i + 1))
		ctl proxy "$ZONE" "$name" "$st" >/dev/null 2>>"$D/toggle.err" ||
		    echo "toggle $i: proxy $name $st: exit $?" \
		    >>"$D/toggle.err"
		echo "$st" >"$D/last.$name"
		if [ $((i % 25)) = 0 ] && ! is_state_now "$name" "$st"; then
			echo "toggle $i: proxy $name $st returned, but A" \
			    "'$(answer "$name" A "$PORT" | tr '\n' ' ')'" \
			    "AAAA '$(answer "$name" AAAA "$PORT" |
			    tr '\n' ' ')'" >>"$D/toggle.err"
		fi
	done <"$D/toggles"
	[ "$i" = "$TOGGLES" ] || atf_fail "test bug: $i toggles run"

	touch "$D/stop"
	wait "$(cat "$D/updates.pid")"
	rm -f "$D/updates.pid"
	serial=$(peer_serial "$PP" "$ORIGIN")
	wait_served "$serial" "" 60

	kill -INT "$(cat "$D/dnsperf.pid")"
	for i in $(seq 1 100); do
		kill -0 "$(cat "$D/dnsperf.pid")" 2>/dev/null || break
		sleep 0.1
	done
	wait "$(cat "$D/dnsperf.pid")"
	rm -f "$D/dnsperf.pid"

	[ -s "$D/toggle.err" ] && {
		head -20 "$D/toggle.err" >&2
		atf_fail "$(wc -l <"$D/toggle.err") toggles went wrong (above)"
	}
	[ -s "$D/updates.err" ] && {
		cat "$D/updates.err" >&2
		atf_fail "updates on BIND failed (above)"
	}
	[ "$(cat "$D/updates.n" 2>/dev/null || echo 0)" -ge 1 ] ||
	    atf_fail "no update was made during the toggles"
	[ "$(stat_field ixfr_ok)" -ge 1 ] ||
	    atf_fail "show stats: no IXFR ($(stat_field ixfr_ok))"

	# dnsperf: answers came, and only NOERROR and NXDOMAIN
	codes=$(grep '^ *Response codes:' "$D/dnsperf.out")
	[ -n "$codes" ] && grep -Eq '^ *Queries completed: +[1-9]' \
	    "$D/dnsperf.out" || {
		cat "$D/dnsperf.out" >&2
		atf_fail "dnsperf got no answers (its output above)"
	}
	bad=$(echo "${codes#*:}" | tr ',' '\n' |
	    awk '$1 != "NOERROR" && $1 != "NXDOMAIN" { print $1, $2 }')
	[ -z "$bad" ] || {
		cat "$D/dnsperf.out" >&2
		atf_fail "dnsperf got answers other than NOERROR and" \
		    "NXDOMAIN: $(echo "$bad" | tr '\n' ' ')"
	}

	secd_pids >"$D/pids.end"
	cmp -s "$D/pids.start" "$D/pids.end" || {
		diff "$D/pids.start" "$D/pids.end" >&2
		tail -20 "$D/secd.log" >&2
		atf_fail "a secd process changed (pids above)"
	}

	# each name as its last toggle left it: answers and show zone
	for name in $(cat "$D/names"); do
		st=$(cat "$D/last.$name")
		is_state "$name" "$st" ||
		    atf_fail "$name: last toggle $st, but secd answers A" \
		    "'$(answer "$name" A "$PORT" | tr '\n' ' ')' AAAA" \
		    "'$(answer "$name" AAAA "$PORT" | tr '\n' ' ')'"
		ctl -j show zone "$ZONE" "$name" | $PY -c '
import json, sys
want = "proxied" if sys.argv[1] == "on" else "off"
rows = json.load(sys.stdin)["records"]
bad = [r for r in rows if r["proxy"] != (want if r["type"] in
    ("A", "AAAA", "CNAME") else "off")]
sys.exit(1 if bad or not rows else 0)' "$st" ||
		    atf_fail "$name: last toggle $st, show zone:" \
		    "$(ctl show zone "$ZONE" "$name")"
	done

	rc=0
	ctl audit "$ZONE" >"$D/audit.out" 2>&1 || rc=$?
	[ $rc = 0 ] && tail -1 "$D/audit.out" | grep -q ': 0 leaks, ' || {
		cat "$D/audit.out" >&2
		atf_fail "secctl audit exits $rc (its output above)"
	}
}
toggles_under_load_cleanup() {
	local f
	D=$(pwd)
	touch "$D/stop"
	for f in updates dnsperf; do
		[ -f "$D/$f.pid" ] && kill -TERM "$(cat "$D/$f.pid")" \
		    2>/dev/null
	done
	secondary_cleanup bind
}

atf_init_test_cases() {
	atf_add_test_case toggles_under_load
}
