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

# Helpers for the whole-daemon tests: start secd on loopback high ports in
# the test's own directory, wait for it, stop it and everything it started.

bindir() { atf_config_get bindir; }
SECD() { echo "$(bindir)/secd"; }
SECCTL() { echo "$(bindir)/secctl"; }

# A free UDP+TCP port on 127.0.0.1 between 20000 and 32767 (below the
# ephemeral range, so no outgoing connection holds it).
pick_port() {
	local p
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 12768 ))
		ss -Hlnut "( sport = :$p )" | grep -q . || { echo $p; return; }
	done
}

# write_conf FILE DIR PORT [SERVERS]: a config that keeps everything in DIR.
write_conf() {
	cat >"$1" <<CONF
user "_secd"
database "$2/db"
control "$2/secd.sock"
servers ${4:-2}
listen on 127.0.0.1 port $3
listen on ::1 port $3

tsig key "xfr" {
	algorithm hmac-sha256
	secret "c2VjZC10ZXN0LWtleS1ub3QtYS1yZWFsLXNlY3JldAo="
}

proxy {
	address 192.0.2.80
	address 2001:db8::80
	ttl 300
}

zone "example.test" {
	primary 127.0.0.1 port 5300 tsig "xfr"
	allow notify from 127.0.0.1 tsig "xfr"
}
CONF
}

# start_secd DIR [BINARY [ARGS...]]: run secd in the foreground (-d -v) in
# the background of this shell, logging to DIR/secd.log, and wait until
# every process reported ready.
start_secd() {
	local dir=$1 bin=${2:-$(SECD)} sock prev=
	shift; [ $# -gt 0 ] && shift
	sock="$dir/secd.sock"
	for a in "$@"; do
		[ "$prev" = -s ] && sock=$a
		prev=$a
	done
	"$bin" -d -v -f "$dir/secd.conf" "$@" >"$dir/secd.log" 2>&1 &
	echo $! >"$dir/secd.pid"
	wait_ready "$dir" "$sock"
}

# wait_ready DIR [SOCKET]: every process in "secctl -j status" is sandboxed.
wait_ready() {
	local i
	for i in $(seq 1 100); do
		if "$(SECCTL)" -s "${2:-$1/secd.sock}" -j status 2>/dev/null |
		    /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if all(p["sandboxed"] and p["pid"] for p in d["processes"]) else 1)
' 2>/dev/null; then
			return 0
		fi
		kill -0 "$(cat "$1/secd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$1/secd.log" >&2
	atf_fail "secd did not become ready (log above)"
}

# Pids of secd's children (the parent's children), one per line.
child_pids() {
	pgrep -P "$(cat "$1/secd.pid")"
}

# stop_secd DIR: SIGTERM the parent, wait; SIGKILL whatever is left.
stop_secd() {
	local pid i
	[ -f "$1/secd.pid" ] || return 0
	pid=$(cat "$1/secd.pid")
	kids=$(pgrep -P "$pid" 2>/dev/null)
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" $kids 2>/dev/null
	rm -f "$1/secd.pid"
	return 0
}

# wait_exit DIR: wait for the parent to exit by itself; its exit status
# goes to SECD_STATUS.  Not in a subshell: wait(1) needs the parent shell.
wait_exit() {
	local pid i
	pid=$(cat "$1/secd.pid")
	for i in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && atf_fail "secd (pid $pid) did not exit"
	wait "$pid"
	SECD_STATUS=$?
	rm -f "$1/secd.pid"
}

# child_titled DIR TITLE: the pid of the parent's child titled
# "secd: TITLE" (never another test's secd).
child_titled() {
	local k
	for k in $(child_pids "$1"); do
		[ "$(tr '\0' ' ' </proc/$k/cmdline 2>/dev/null | sed 's/ *$//')" = \
		    "secd: $2" ] && { echo "$k"; return 0; }
	done
	return 1
}
