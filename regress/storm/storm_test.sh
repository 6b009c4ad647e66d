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

# Kill storms: SIGKILL a random secd process (parent, xfrd, zoned or a
# serverd) at a random moment while an operation runs (AXFR, IXFR after
# a NOTIFY or "secctl refresh", a proxy toggle, an apex CNAME set or
# cleared, a reload with a changed proxy TTL), then start secd again
# with its primary stopped, each round, and bring the zone up to date
# once the primary is back.  secd must come back serving
# from its stored state, every change "secctl" acknowledged before the
# kill in effect and none applied by half (answers and "show zone"
# agree), the served serial never older than one served before, no
# image refused, audit clean (0 leaks, 0 stale), no temporary file left.
#
# Configuration variables (kyua -v test_suites.secd.NAME=VALUE; the
# GNUmakefile passes STORM_KILLS, STORM_SEED and STORM_DELAY_MS):
#   storm_kills		rounds, one kill each (default 10)
#   storm_seed		seed of the random choices (default: from
#			/dev/urandom); printed, so a run can be replayed
#   storm_delay_ms	the kill comes 0 to this many ms after the
#			operation starts (default 1000)
#   storm_ops, storm_victims
#			the operations and victims to draw from (default
#			all: the OPS and VICTIMS below), to aim a storm
#   storm_fill		names besides the fixed ones (default 3000)
#   storm_keep		a directory to copy the work directory to after
#			a run that passed (for a look at secd.all.log)
# Each round is a line of storm.log in the work directory; the last
# line of stdout is the summary "N kills: ...".
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3
STATE=$(atf_get_srcdir)/stormstate.py
NOTIFY=$(atf_get_srcdir)/../lib/notify.py

P4=203.0.113.80,203.0.113.81
P6=2001:db8:ffff::80
NAMES="t1 t2 t3 t4 t5 t6"	# the toggled names
TARGET=lb.$ORIGIN		# the apex CNAME's target, in the zone
FILL=3000			# more names, so that builds take a while
SERIAL0=2024010101
OPS="retransfer notify refresh toggle apex reload"
VICTIMS="secd xfrd zoned serverd"
GONE_SECS=20			# every process gone after a kill
OP_SECS=30			# the operation's secctl returns after a kill

# rand N: a number in [0, N) into R, from the seed (a 31-bit LCG, so a
# seed replays the same run in any shell).
rand() {
	SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 ))
	R=$(( (SEED / 65536) % $1 ))
}

# pick WORD...: one of the words, into R.
pick() {
	rand $#
	shift "$R"
	R=$1
}

# mkzone SERIAL: the zone file $D/zone at SERIAL.  The toggled names,
# the apex and the target never change; each serial changes v and one
# of s0..s49.
mkzone() {
	local s=$1
	{
		cat <<EOF
\$ORIGIN $ORIGIN
@ 3600 IN SOA ns1 hostmaster $s 3600 900 1209600 300
@	3600	IN NS	ns1
@	300	IN A	10.9.0.1
@	300	IN AAAA	2001:db8:9::1
@	3600	IN TXT	"apex"
ns1	3600	IN A	192.0.2.53
lb	600	IN A	10.1.0.1
lb	600	IN A	10.1.0.2
lb	600	IN AAAA	2001:db8:1::1
v	300	IN TXT	"serial $s"
EOF
		for n in $NAMES; do
			echo "$n	300	IN A	10.5.0.${n#t}"
			echo "$n	300	IN AAAA	2001:db8:5::${n#t}"
		done
		awk -v n="$FILL" -v s="$s" 'BEGIN {
			for (i = 0; i < n; i++)
				printf "h%d\t300\tIN A\t10.7.%d.%d\n", i,
				    int(i / 250), i % 250 + 1
			for (i = 0; i < 50; i++)
				printf "s%d\t300\tIN A\t10.8.%d.%d\n", i, i,
				    (i == s % 50 ? s % 200 + 1 : 1)
		}'
	} >"$D/zone.new"
	mv "$D/zone.new" "$D/zone"
}

# conf TTL: secd.conf with the proxy TTL.
conf() {
	cat >"$D/secd.conf.new" <<CONF
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
	address $(echo "$P4,$P6" | sed 's/,/\n\taddress /g')
	ttl $1
}

zone "$ZONE" {
	primary 127.0.0.1 port $PP tsig "k"
	allow notify from 127.0.0.1 tsig "k"
}
CONF
	mv "$D/secd.conf.new" "$D/secd.conf"
	TTL=$1
}

# gone PID: PID no longer runs (a zombie has ended).
gone() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

# new_serial: the primary loads the next serial, PSERIAL.
new_serial() {
	local i
	PSERIAL=$((PSERIAL + 1))
	mkzone "$PSERIAL"
	kill -HUP "$(cat "$D/bad.pid")"
	# A SOA query each time: the signal may go to badprimary.py's
	# reloader thread, and Python runs its handler only once the main
	# thread, idle in accept(), wakes.
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PP" "$ORIGIN")" = "$PSERIAL" ] &&
		    grep -q "loaded serial $PSERIAL," "$D/bad.log" && return 0
		sleep 0.1
	done
	cat "$D/bad.log" >&2
	atf_fail "badprimary.py did not load serial $PSERIAL"
}

# op_run OP: the operation, in the foreground (the caller puts it in the
# background); its exit status is 0 only when secctl acknowledged it.
op_run() {
	local i
	case $1 in
	retransfer)	ctl retransfer "$ZONE" ;;
	refresh)	ctl refresh "$ZONE" ;;
	notify)
		"$PY" "$NOTIFY" --key k hmac-sha256 "$S" 127.0.0.1 "$PORT" \
		    "$ZONE" || return 1
		# acknowledged once served; given up once secd is gone
		for i in $(seq 1 100); do
			[ "$(served_serial)" = "$PSERIAL" ] && return 0
			[ -f "$D/secd.pid" ] || return 1
			sleep 0.1
		done
		return 1 ;;
	toggle)		ctl proxy "$ZONE" "$OPNAME.$ZONE" "$OPSTATE" ;;
	apex)
		case $OPSTATE in
		none)	ctl apex "$ZONE" clear ;;
		proxied) ctl apex "$ZONE" cname "$TARGET" proxied ;;
		flattened) ctl apex "$ZONE" cname "$TARGET" ;;
		esac ;;
	reload)		ctl reload ;;
	esac
}

# op_prepare OP: choose what OP changes (OPNAME, OPSTATE); a new serial
# on the primary for notify and refresh.
op_prepare() {
	OPNAME=-
	OPSTATE=-
	case $1 in
	notify|refresh)	new_serial; OPSTATE=$PSERIAL ;;
	toggle)		pick $NAMES; OPNAME=$R; pick on off; OPSTATE=$R ;;
	apex)		pick none proxied flattened; OPSTATE=$R ;;
	reload)		conf $((TTL == 77 ? 78 : 77)); OPSTATE=$TTL ;;
	esac
}

# op_done OP RC: what an acknowledged (RC 0) or interrupted operation
# means for the checks after the restart.
op_done() {
	local s
	case $1 in
	retransfer|refresh)
		s=$(sed -En 's/^zone [^ ]+: serial ([0-9]+) .*/\1/p' \
		    "$D/op.out")
		[ "$2" = 0 ] && [ -n "$s" ] && [ "$s" -gt "$LAST" ] &&
		    LAST=$s ;;
	notify)	[ "$2" = 0 ] && LAST=$PSERIAL ;;
	toggle)	[ "$2" = 0 ] && echo "$OPSTATE" >"$D/want.$OPNAME" ||
		    echo any >"$D/want.$OPNAME" ;;
	apex)	[ "$2" = 0 ] && echo "$OPSTATE" >"$D/want.@" ||
		    echo any >"$D/want.@" ;;
	esac
	return 0
}

# poll_serials: until $D/poll.stop, every serial secd answers, a line
# each, into $D/poll.out.
poll_serials() {
	while [ ! -f "$D/poll.stop" ]; do
		served_serial >>"$D/poll.out"
	done
}

# round_fail WHY...: the round, what went wrong, the log's end.
round_fail() {
	cat "$D/storm.log" >&2
	echo "round $ROUND: $ROUNDLINE" >&2
	tail -30 "$D/secd.log" >&2
	atf_fail "round $ROUND (op $OP, victim $VICTIM, seed $SEED0): $*"
}

# kill_one: SIGKILL the victim at a random moment of the operation, wait
# for every process to be gone and for the operation's secctl.
kill_one() {
	local delay pid p p2 i rc opid ppid s
	ppid=$(cat "$D/secd.pid")
	ctl -j status >"$D/status.json" || round_fail "secctl status failed"
	"$PY" -c '
import json, sys
for p in json.load(open(sys.argv[1]))["processes"]:
    print(p["name"], p["instance"], p["pid"])' "$D/status.json" >"$D/pids"
	pick $VICTIMS
	VICTIM=$R
	if [ "$VICTIM" = serverd ]; then
		rand 2
		VICTIM=serverd/$R
	else
		VICTIM=$VICTIM/0
	fi
	pid=$(awk -v v="$VICTIM" '$1 "/" $2 == v { print $3 }' "$D/pids")
	[ -n "$pid" ] || round_fail "no $VICTIM in secctl status"
	awk '{ print $3 }' "$D/pids" >>"$D/allpids"
	rand $((DELAY_MS + 1))
	delay=$R

	rm -f "$D/op.rc" "$D/poll.stop"
	: >"$D/poll.out"
	poll_serials &
	p=$!
	(op_run "$OP" >"$D/op.out" 2>&1; echo $? >"$D/op.rc") &
	opid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -KILL "$pid"
	ROUNDLINE="op $OP $OPNAME $OPSTATE delay $delay ms victim $VICTIM"
	ROUNDLINE="$ROUNDLINE pid $pid"

	for i in $(seq 1 $((GONE_SECS * 10))); do
		rc=0
		for p2 in $(awk '{ print $3 }' "$D/pids"); do
			gone "$p2" || rc=1
		done
		[ $rc = 0 ] && break
		sleep 0.1
	done
	[ $rc = 0 ] || round_fail "still running $GONE_SECS s after the" \
	    "kill: $(for p2 in $(awk '{ print $3 }' "$D/pids"); do
	    gone "$p2" || grep "$p2\$" "$D/pids"; done | tr '\n' ' ')"
	wait "$ppid" 2>/dev/null
	rm -f "$D/secd.pid"
	touch "$D/poll.stop"
	wait "$p"

	for i in $(seq 1 $((OP_SECS * 10))); do
		[ -f "$D/op.rc" ] && break
		sleep 0.1
	done
	[ -f "$D/op.rc" ] || {
		kill -KILL "$opid" 2>/dev/null
		round_fail "operation $OP still running $OP_SECS s after" \
		    "the kill: $(cat "$D/op.out")"
	}
	wait "$opid"
	OPRC=$(cat "$D/op.rc")
	ROUNDLINE="$ROUNDLINE rc $OPRC"
	for s in $(grep -E '^[0-9]+$' "$D/poll.out" | sort -n | tail -1); do
		[ "$s" -gt "$LAST" ] && LAST=$s
	done
	op_done "$OP" "$OPRC"
}

# restart: secd again, its primary stopped: it serves the stored zone.
restart() {
	local i
	{ echo "=== round $ROUND: $ROUNDLINE"; cat "$D/secd.log"; } \
	    >>"$D/secd.all.log"
	kill -STOP "$(cat "$D/bad.pid")"
	start_secd "$D"
	for i in $(seq 1 100); do
		[ -n "$(served_serial)" ] && return 0
		sleep 0.1
	done
	round_fail "secd does not answer the SOA after the restart"
}

# check_state: answers and "show zone" agree for every toggled name and
# the apex, and match every acknowledged change; an interrupted one is
# then whatever is served.
check_state() {
	local n ans shown want
	ctl -j show zone "$ZONE" >"$D/showzone.json" ||
	    round_fail "secctl show zone failed"
	"$PY" "$STATE" --port "$PORT" --origin "$ORIGIN" \
	    --json "$D/showzone.json" --proxy4 "$P4" --proxy6 "$P6" \
	    --ttl "$TTL" --apex-target "$TARGET" $NAMES >"$D/state.out" \
	    2>&1 || round_fail "stormstate.py: $(cat "$D/state.out")"
	while read -r n ans shown; do
		want=$(cat "$D/want.$n")
		[ "$ans" = "$shown" ] ||
		    round_fail "$n: answered $ans but show zone says $shown"
		case $ans in bad*) round_fail "$n: $ans" ;; esac
		[ "$want" = any ] || [ "$want" = "$ans" ] ||
		    round_fail "$n: acknowledged $want, but it is $ans"
		echo "$ans" >"$D/want.$n"
	done <"$D/state.out"
	[ "$(wc -l <"$D/state.out")" = $(($(echo $NAMES | wc -w) + 1)) ] ||
	    round_fail "stormstate.py: $(cat "$D/state.out")"
}

# check_round: every invariant after the restart.
check_round() {
	local s rc
	s=$(served_serial)
	[ "$s" -ge "$LAST" ] ||
	    round_fail "serves serial $s, older than $LAST served before"
	# secd's own serial (secd.conf(5) serial policy), as show zones says
	[ "$(zone_field served)" = "$s" ] ||
	    round_fail "serves $s, show zones says $(zone_field served)"
	LAST=$s
	check_state
	rc=0
	ctl audit "$ZONE" >"$D/audit.out" 2>&1 || rc=$?
	[ $rc = 0 ] && tail -1 "$D/audit.out" |
	    grep -q ': 0 leaks, 0 stale, ' || {
		cat "$D/audit.out" >&2
		round_fail "secctl audit exits $rc: $(tail -1 "$D/audit.out")"
	}
	grep -E 'image of serial .* refused|stored image was refused|not usable' \
	    "$D/secd.log" &&
	    round_fail "an image or the stored data was refused (above)"
	ls "$D/db" | grep '\.tmp$' &&
	    round_fail "temporary files left in the database (above)"
	return 0
}

# catch_up: with the primary back, "secctl refresh" brings the zone to
# its serial (an IXFR of the versions the round added), so that the next
# round's transfer is a short one and the serial check has a new floor.
catch_up() {
	local i s
	for i in 1 2 3; do
		if ctl refresh "$ZONE" >"$D/catchup.out" 2>&1; then
			s=$(sed -En 's/^zone [^ ]+: serial ([0-9]+) .*/\1/p' \
			    "$D/catchup.out")
			[ "$s" = "$PSERIAL" ] ||
			    round_fail "refresh after the restart: serial" \
			    "'$s', the primary's is $PSERIAL:" \
			    "$(cat "$D/catchup.out")"
			LAST=$s
			return 0
		fi
		sleep 1
	done
	round_fail "refresh after the restart failed 3 times:" \
	    "$(cat "$D/catchup.out")"
}

atf_test_case kill_storm cleanup
kill_storm_head() {
	atf_set descr "SIGKILL of a random secd process during transfers," \
	    "toggles, apex changes and reloads, then a restart: every" \
	    "acknowledged change kept, the serial never older, audit clean"
	atf_set require.user root
	atf_set timeout 7200
}
kill_storm_body() {
	local n t0 summary keep
	D=$(pwd)
	PORTS=
	newport PORT
	newport PP
	S=$(tsig_secret 32)
	KILLS=$(atf_config_get storm_kills 10)
	DELAY_MS=$(atf_config_get storm_delay_ms 1000)
	SEED0=$(atf_config_get storm_seed "")
	[ -n "$SEED0" ] || SEED0=$(( $(od -An -N4 -tu4 /dev/urandom) %
	    2147483648 ))
	SEED=$SEED0
	OPS=$(atf_config_get storm_ops "$OPS")
	VICTIMS=$(atf_config_get storm_victims "$VICTIMS")
	FILL=$(atf_config_get storm_fill "$FILL")
	echo "kill storm: $KILLS kills, seed $SEED0 (replay with" \
	    "STORM_SEED=$SEED0), delay 0-$DELAY_MS ms, ops $OPS," \
	    "victims $VICTIMS, $FILL more names"
	t0=$(date +%s)

	PSERIAL=$SERIAL0
	mkzone "$PSERIAL"
	conf 77
	start_bad "$D/zone" --key k hmac-sha256 "$S"
	start_secd "$D"
	wait_served "$SERIAL0" 1
	LAST=$SERIAL0
	for n in $NAMES; do echo off >"$D/want.$n"; done
	echo none >"$D/want.@"
	: >"$D/storm.log"

	for ROUND in $(seq 1 "$KILLS"); do
		pick $OPS
		OP=$R
		op_prepare "$OP"
		kill_one
		restart
		check_round
		kill -CONT "$(cat "$D/bad.pid")"
		catch_up
		echo "round $ROUND: $ROUNDLINE serial $LAST" >>"$D/storm.log"
	done

	cat "$D/storm.log"
	summary=$(awk '{ v[$11]++; o[$4]++ }
	END {
		for (k in v) { split(k, a, "/"); vv[a[1]] += v[k] }
		printf "victims"
		for (k in vv) printf " %s %d", k, vv[k]
		printf "; ops"
		for (k in o) printf " %s %d", k, o[k]
	}' "$D/storm.log")
	keep=$(atf_config_get storm_keep "")
	[ -z "$keep" ] || cp -a "$D" "$keep"
	echo "$KILLS kills: seed $SEED0, $summary, $(( $(date +%s) - t0 ))" \
	    "s, every round passed"
}
kill_storm_cleanup() {
	local p
	D=$(pwd)
	[ -f "$D/bad.pid" ] && kill -CONT "$(cat "$D/bad.pid")" 2>/dev/null
	secondary_cleanup
	# the children of a killed parent, by pid, if still secd's
	for p in $(sort -u "$D/allpids" 2>/dev/null); do
		grep -qa '^secd' "/proc/$p/cmdline" 2>/dev/null &&
		    kill -KILL "$p" 2>/dev/null
	done
	return 0
}

atf_init_test_cases() {
	atf_add_test_case kill_storm
}
