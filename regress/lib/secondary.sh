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

# Helpers for the tests where secd is the secondary of a primary the test
# runs (xfr, ixfr, notify, timers, hostile).  Sourced after peers.sh and
# daemon/lib.sh.  The test sets D (its directory, with secd.sock and
# secd.log), PORT (secd's), PP (the primary's), ORIGIN ("example.test.")
# and ZONE ("example.test").

BADPRIMARY=$(atf_get_srcdir)/../lib/badprimary.py
SERVED=$(atf_get_srcdir)/../lib/served.py

ctl() { "$(SECCTL)" -s "$D/secd.sock" "$@"; }

# zone_field FIELD: from "show zones" for the zone: serial, served, state,
# primary, checked, expires, next_check, error and error_when (the last
# error's msg and time), and of the last transfer: ok, msg, kind,
# lt_serial, lt_primary, records.  Empty when secd does not say.
zone_field() {
	ctl -j show zones | /usr/bin/python3 -c '
import json, sys
for z in json.load(sys.stdin)["zones"]:
    if z["zone"].rstrip(".") == sys.argv[1]:
        lt = z["last_transfer"] or {}
        er = z["error"] or {}
        v = {"serial": z["serial"], "served": z.get("served"),
             "state": z["state"],
             "primary": z["primary"], "checked": z["checked"],
             "expires": z["expires"], "next_check": z["next_check"],
             "error": er.get("msg"), "error_when": er.get("when"),
             "ok": lt.get("ok"), "msg": lt.get("msg"),
             "kind": lt.get("kind"), "lt_serial": lt.get("serial"),
             "lt_primary": lt.get("primary"),
             "records": lt.get("records")}[sys.argv[2]]
        print("" if v is None else v)
' "$ZONE" "$1"
}

# stat_field NAME: one counter of "show stats".
stat_field() {
	ctl -j show stats | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# served_serial: the serial secd answers for the apex SOA (empty when it
# does not answer one).
served_serial() {
	dig +norec +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" "$ORIGIN" SOA |
	    awk '{ print $3 }'
}

# wait_served SERIAL [XFR_OK [SECONDS]]: secd serves upstream serial
# SERIAL and shows it in "show zones", its SOA with the serial "show
# zones" says it serves (SERIAL itself until a toggle or the apex CNAME
# changes what it serves, secd.conf(5) serial policy); with XFR_OK, the
# zone is ok and that many transfers succeeded.  Fails after SECONDS
# (default 30).
wait_served() {
	local i
	for i in $(seq 1 $((${3:-30} * 10))); do
		if [ "$(zone_field serial)" = "$1" ] &&
		    [ "$(served_serial)" = "$(zone_field served)" ] &&
		    { [ -z "${2:-}" ] || { [ "$(zone_field state)" = ok ] &&
		    [ "$(stat_field xfr_ok)" = "$2" ]; }; }; then
			return 0
		fi
		sleep 0.1
	done
	tail -20 "$D/secd.log" >&2
	atf_fail "secd does not serve serial $1 (xfr_ok ${2:--}): served" \
	    "'$(served_serial)', show zones serial '$(zone_field serial)'" \
	    "state '$(zone_field state)' msg '$(zone_field msg)'"
}

# served_is FILE WHAT: every name and type of the zone FILE (an AXFR or
# a zone file), and only those, are answered by secd as FILE has them;
# WHAT names FILE in the failure.
served_is() {
	ctl -j show zone "$ZONE" >"$D/showzone.json" ||
	    atf_fail "secctl show zone failed"
	/usr/bin/python3 "$SERVED" "$PORT" "$ORIGIN" "$1" \
	    "$D/showzone.json" >"$D/served.out" 2>&1 || {
		head -20 "$D/served.out" >&2
		atf_fail "secd's answers differ from $2 (above)"
	}
}

# soa_serial_as FILE SERIAL: the SOA of the canonical zone FILE (peer_axfr's
# output) with SERIAL, the one secd serves (secd.conf(5) serial policy).
soa_serial_as() {
	awk -v s="$2" '$4 == "SOA" { $7 = s } { print }' "$1" >"$1.as" &&
	    mv "$1.as" "$1"
}

# log_has ERE WHAT: secd.log has a line matching ERE (polled: the log
# line may come just after the answer).
log_has() {
	local i
	for i in $(seq 1 50); do
		grep -Eq "$1" "$D/secd.log" && return 0
		sleep 0.1
	done
	tail -20 "$D/secd.log" >&2
	atf_fail "secd.log has no $2 (want /$1/; its end above)"
}

# start_bad ZONEFILE [badprimary.py OPTIONS...]: serve ZONEFILE on $PP,
# waiting BAD_WAIT seconds (default 10) for it to answer.
start_bad() {
	local i zf=$1
	shift
	/usr/bin/python3 "$BADPRIMARY" "$@" "$PP" "$ORIGIN" "$zf" \
	    >>"$D/bad.log" 2>&1 &
	echo $! >"$D/bad.pid"
	for i in $(seq 1 $((${BAD_WAIT:-10} * 10))); do
		peer_serial "$PP" "$ORIGIN" 2>/dev/null | grep -Eq '^[0-9]+$' &&
		    return 0
		kill -0 "$(cat "$D/bad.pid")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$D/bad.log" >&2
	atf_fail "badprimary.py did not start"
}

# stop_bad: stop badprimary.py if it runs.
stop_bad() {
	local pid i
	[ -f "$D/bad.pid" ] || return 0
	pid=$(cat "$D/bad.pid")
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	rm -f "$D/bad.pid"
	return 0
}

# secondary_cleanup [PEERDIR...]: in a cleanup (a directory of the test
# case), stop secd, badprimary.py and the peers started in each PEERDIR
# of it (default: peer).
secondary_cleanup() {
	local d
	D=$(pwd)
	stop_secd "$D"
	stop_bad
	for d in ${*:-peer}; do
		[ -d "$D/$d" ] && stop_all_peers "$D/$d"
	done
	return 0
}

# secd_pids: "NAME/INSTANCE PID" for every process "secctl -j status"
# lists, one a line, sorted: the same output later means no process was
# restarted.
secd_pids() {
	ctl -j status | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin)["processes"]:
    print("%s/%d %d" % (p["name"], p["instance"], p["pid"]))' | sort
}

# newport VAR: a free port, not one this test took already, into VAR.
newport() {
	local p
	while :; do
		p=$(pick_port)
		case " ${PORTS:-} " in
		*" $p "*) continue ;;
		esac
		break
	done
	PORTS="${PORTS:-} $p"
	eval "$1=$p"
}
