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

# Whole-daemon tests: privilege separation, sandbox, signals, reload.
# Run as root (kyua under `make check`); one case runs secd as nobody.

. "$(atf_get_srcdir)/lib.sh"

setup() {
	D=$(pwd)
	PORT=$(pick_port)
	write_conf "$D/secd.conf" "$D" "$PORT" 2
}

status_field() {	# status_field NAME INSTANCE FIELD
	"$(SECCTL)" -s "$D/secd.sock" -j status | /usr/bin/python3 -c '
import json, sys
for p in json.load(sys.stdin)["processes"]:
    if p["name"] == sys.argv[1] and p["instance"] == int(sys.argv[2]):
        v = p[sys.argv[3]]
        print("" if v is None else v)
' "$1" "$2" "$3"
}

atf_test_case privsep_processes cleanup
privsep_processes_head() {
	atf_set descr "as root: four kinds of process, titled, sandboxed, chrooted, unprivileged"
	atf_set require.user root
}
privsep_processes_body() {
	setup
	start_secd "$D"
	uid=$(id -u _secd)
	ps -o args= -p "$(cat "$D/secd.pid")" | grep -q 'secd: parent' ||
	    atf_fail "parent title: $(ps -o args= -p "$(cat "$D/secd.pid")")"
	for t in xfrd zoned 'serverd 0' 'serverd 1'; do
		pid=$(child_titled "$D" "$t") ||
		    atf_fail "no process titled 'secd: $t': $(ps -eo pid,args | grep secd)"
		grep -q '^Seccomp:[[:space:]]*2$' /proc/$pid/status ||
		    atf_fail "$t: expected Seccomp: 2, got $(grep Seccomp: /proc/$pid/status)"
		grep -q '^NoNewPrivs:[[:space:]]*1$' /proc/$pid/status ||
		    atf_fail "$t: expected NoNewPrivs: 1"
		grep -q "^Uid:[[:space:]]*$uid[[:space:]]$uid[[:space:]]$uid[[:space:]]$uid\$" /proc/$pid/status ||
		    atf_fail "$t: expected uid $uid, got $(grep Uid: /proc/$pid/status)"
		root=$(readlink /proc/$pid/root)
		case $t in
		zoned)	want="$D/db" ;;
		*)	want=/var/empty ;;
		esac
		[ "$root" = "$want" ] || atf_fail "$t: chroot $root, expected $want"
		[ "$(pgrep -P "$(cat "$D/secd.pid")" | grep -cx "$pid")" = 1 ] ||
		    atf_fail "$t is not a child of the parent"
	done
	[ "$(stat -c %a "$D/secd.sock")" = 660 ] ||
	    atf_fail "control socket mode $(stat -c %a "$D/secd.sock"), expected 660"
	[ "$(stat -c %U:%a "$D/db")" = _secd:700 ] ||
	    atf_fail "database dir $(stat -c %U:%a "$D/db"), expected _secd:700"
}
privsep_processes_cleanup() { stop_secd "$(pwd)"; }

atf_test_case status_matches_proc cleanup
status_matches_proc_head() {
	atf_set descr "secctl status and show sandbox say what /proc says"
	atf_set require.user root
}
status_matches_proc_body() {
	setup
	start_secd "$D"
	for p in "xfrd 0" "zoned 0" "serverd 0" "serverd 1"; do
		set -- $p
		pid=$(status_field $1 $2 pid)
		[ -d /proc/$pid ] || atf_fail "$1 $2: pid $pid not running"
		[ "$(status_field $1 $2 uid)" = "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" ] ||
		    atf_fail "$1 $2: uid differs from /proc"
		[ "$(status_field $1 $2 chroot)" = "$(readlink /proc/$pid/root)" ] ||
		    atf_fail "$1 $2: chroot '$(status_field $1 $2 chroot)' but /proc says $(readlink /proc/$pid/root)"
		[ "$(status_field $1 $2 user)" = _secd ] ||
		    atf_fail "$1 $2: user $(status_field $1 $2 user)"
	done
	[ "$(status_field secd 0 pid)" = "$(cat "$D/secd.pid")" ] ||
	    atf_fail "parent pid differs"
	atf_check -o match:'serverd' -o match:'stdio recvfd' \
	    -o match:'zoned' -o match:'stdio rpath wpath cpath sendfd' \
	    -o match:'stdio inet dns' \
	    "$(SECCTL)" -s "$D/secd.sock" show sandbox
	"$(SECCTL)" -s "$D/secd.sock" -j show sandbox | /usr/bin/python3 -c '
import json, sys
procs = {(p["name"], p["instance"]): p for p in json.load(sys.stdin)["processes"]}
z = procs[("zoned", 0)]
assert z["unveil"] == [{"path": "/", "perms": "rwc"}], z["unveil"]
assert procs[("serverd", 1)]["unveil"] == [], procs[("serverd", 1)]
assert procs[("xfrd", 0)]["promises"] == ["stdio", "inet", "dns"], procs[("xfrd", 0)]
for p in procs.values():
    assert p["backend"] == "seccomp+landlock", p
' || atf_fail "show sandbox -j is not what the children applied"
	grep -q 'sandbox: pledge "stdio recvfd"' "$D/secd.log" ||
	    atf_fail "no pledge audit line in the verbose log"
	grep -q 'sandbox: unveil / rwc' "$D/secd.log" ||
	    atf_fail "no unveil audit line in the verbose log"
}
status_matches_proc_cleanup() { stop_secd "$(pwd)"; }

atf_test_case nonroot cleanup
nonroot_head() {
	atf_set descr "started as an ordinary user, secd runs without chroot and says so once"
	atf_set require.user root
}
nonroot_body() {
	D=$(mktemp -d /tmp/secd-nonroot.XXXXXX)
	echo "$D" >nonroot.dir
	chmod 755 "$D"
	PORT=$(pick_port)
	write_conf "$D/secd.conf" "$D" "$PORT" 1
	chown nobody "$D"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$(SECD)" -d -v -f "$D/secd.conf" >"$D/secd.log" 2>&1 &
	echo $! >"$D/secd.pid"
	wait_ready "$D"
	[ "$(grep -c 'not started as root' "$D/secd.log")" = 1 ] ||
	    atf_fail "expected one 'not started as root' line"
	uid=$(id -u nobody)
	for t in xfrd zoned 'serverd 0'; do
		pid=$(child_titled "$D" "$t") || atf_fail "no $t"
		grep -q "^Uid:[[:space:]]*$uid[[:space:]]" /proc/$pid/status ||
		    atf_fail "$t not running as nobody"
		grep -q '^Seccomp:[[:space:]]*2$' /proc/$pid/status ||
		    atf_fail "$t not sandboxed"
	done
	"$(SECCTL)" -s "$D/secd.sock" -j status | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["privsep"] is False, d
for p in d["processes"]:
    assert p["chroot"] is None, p
' || atf_fail "status should show no privsep and no chroot"
}
nonroot_cleanup() {
	D=$(cat nonroot.dir 2>/dev/null) || return 0
	stop_secd "$D"
	rm -rf "$D"
}

atf_test_case sandbox_violation_kills_daemon cleanup
sandbox_violation_kills_daemon_head() {
	atf_set descr "a serverd that breaks its sandbox dies; the daemon logs the syscall and stops"
	atf_set require.user root
}
sandbox_violation_kills_daemon_body() {
	setup
	start_secd "$D" "$(bindir)/secd-testhooks"
	kids=$(child_pids "$D")
	pid=$(child_titled "$D" "serverd 1") || atf_fail "no serverd 1"
	kill -USR1 "$pid"
	wait_exit "$D"
	[ "$SECD_STATUS" -ne 0 ] || atf_fail "secd exited 0 after a violation"
	grep -Eq "serverd\[$pid\]: sandbox violation: syscall (openat|open) \([0-9]+\)" "$D/secd.log" ||
	    atf_fail "violation not logged with the syscall: $(cat "$D/secd.log")"
	grep -Eq "serverd 1 \(pid $pid\) killed by signal 31" "$D/secd.log" ||
	    atf_fail "parent did not log the SIGSYS death"
	for k in $kids; do
		kill -0 "$k" 2>/dev/null && atf_fail "child $k still running"
	done
	[ -e "$D/secd.sock" ] && atf_fail "control socket left behind"
	return 0
}
sandbox_violation_kills_daemon_cleanup() { stop_secd "$(pwd)"; }

atf_test_case child_death_stops_all cleanup
child_death_stops_all_head() {
	atf_set descr "kill -9 of xfrd: logged with its status, everything stops, non-zero exit"
	atf_set require.user root
}
child_death_stops_all_body() {
	setup
	start_secd "$D"
	kids=$(child_pids "$D")
	pid=$(child_titled "$D" xfrd)
	kill -KILL "$pid"
	wait_exit "$D"
	[ "$SECD_STATUS" -ne 0 ] || atf_fail "secd exited 0 after a child died"
	grep -q "xfrd 0 (pid $pid) killed by signal 9" "$D/secd.log" ||
	    atf_fail "death of xfrd not logged: $(cat "$D/secd.log")"
	for k in $kids; do
		kill -0 "$k" 2>/dev/null && atf_fail "child $k still running"
	done
	return 0
}
child_death_stops_all_cleanup() { stop_secd "$(pwd)"; }

atf_test_case sigterm_leaves_nothing cleanup
sigterm_leaves_nothing_head() {
	atf_set descr "SIGTERM: every process exits, status 0, control socket removed"
	atf_set require.user root
}
sigterm_leaves_nothing_body() {
	setup
	start_secd "$D"
	kids=$(child_pids "$D")
	[ "$(echo $kids | wc -w)" = 4 ] || atf_fail "expected 4 children, got: $kids"
	kill -TERM "$(cat "$D/secd.pid")"
	wait_exit "$D"
	[ "$SECD_STATUS" = 0 ] || atf_fail "exit status $SECD_STATUS after SIGTERM"
	for k in $kids; do
		kill -0 "$k" 2>/dev/null && atf_fail "child $k still running"
	done
	[ -e "$D/secd.sock" ] && atf_fail "control socket left behind"
	# the children exit in any order: none of them calls that fatal
	grep -E "fatal|closed its channel" "$D/secd.log" >&2 &&
	    atf_fail "a clean stop logged an error (above)"
	return 0
}
sigterm_leaves_nothing_cleanup() { stop_secd "$(pwd)"; }

atf_test_case reload_bad_config_keeps_old cleanup
reload_bad_config_keeps_old_head() {
	atf_set descr "SIGHUP and secctl reload: a broken file changes nothing, a good one is taken"
	atf_set require.user root
}
reload_bad_config_keeps_old_body() {
	setup
	start_secd "$D"
	cp "$D/secd.conf" good.conf
	echo 'zone "broken.test" { }' >>"$D/secd.conf"
	kill -HUP "$(cat "$D/secd.pid")"
	sleep 0.5
	grep -q 'has errors; keeping the running configuration' "$D/secd.log" ||
	    atf_fail "SIGHUP with a broken file: no refusal in the log"
	atf_check -s exit:1 -e match:'has errors; keeping the running' \
	    "$(SECCTL)" -s "$D/secd.sock" reload
	atf_check -o match:'zones:? *1' "$(SECCTL)" -s "$D/secd.sock" status
	cp good.conf "$D/secd.conf"
	cat >>"$D/secd.conf" <<CONF
zone "second.test" {
	primary 127.0.0.1 port 5300
}
CONF
	atf_check -o ignore -e ignore "$(SECCTL)" -s "$D/secd.sock" reload
	atf_check -o match:'zones:? *2' "$(SECCTL)" -s "$D/secd.sock" status
	kill -0 "$(cat "$D/secd.pid")" || atf_fail "secd died on reload"
	[ "$(child_pids "$D" | wc -l)" = 4 ] || atf_fail "children lost on reload"
}
reload_bad_config_keeps_old_cleanup() { stop_secd "$(pwd)"; }

atf_test_case flags cleanup
flags_head() {
	atf_set descr "-n, -n -v, -D, -f, -s; a bad flag; a port in use"
	atf_set require.user root
}
flags_body() {
	setup
	atf_check -s exit:0 -o empty -e empty "$(SECD)" -n -f "$D/secd.conf"
	atf_check -s exit:0 -o match:'zone "example.test"' -e empty \
	    "$(SECD)" -n -v -f "$D/secd.conf"
	sed 's/port 5300 tsig/port $pport tsig/' "$D/secd.conf" >macro.conf
	atf_check -s exit:1 -e match:'macro.conf:[0-9]+:.*pport' \
	    "$(SECD)" -n -f macro.conf
	atf_check -s exit:0 "$(SECD)" -n -D pport=5301 -f macro.conf
	atf_check -s exit:1 -e match:'usage' "$(SECD)" -x
	atf_check -s exit:1 -e match:'-P is for secd' "$(SECD)" -P xfrd
	atf_check -s exit:1 -e match:'no-such.conf' \
	    "$(SECD)" -n -f "$D/no-such.conf"
	start_secd "$D" "$(SECD)" -s "$D/other.sock"
	[ -S "$D/other.sock" ] || atf_fail "-s did not move the control socket"
	write_conf second.conf "$D/x" "$PORT" 1
	mkdir -p "$D/x"
	atf_check -s exit:1 -e match:"127.0.0.1:$PORT.*(in use|Address already)" \
	    "$(SECD)" -d -f second.conf
	atf_check -s exit:1 -e match:'in use' \
	    "$(SECD)" -d -f "$D/secd.conf" -s "$D/other.sock"
}
flags_cleanup() { stop_secd "$(pwd)"; }

atf_test_case secctl_unknown_zone cleanup
secctl_unknown_zone_head() {
	atf_set descr "every verb on a zone that is not configured answers" \
	    "exit 1 and says so; log verbose|brief work"
	atf_set require.user root
}
secctl_unknown_zone_body() {
	setup
	start_secd "$D"
	atf_check -s exit:1 -e match:'zone nosuch.test is not configured' \
	    "$(SECCTL)" -s "$D/secd.sock" apex nosuch.test clear
	atf_check -s exit:1 -e match:'zone nosuch.test is not configured' \
	    "$(SECCTL)" -s "$D/secd.sock" apex nosuch.test cname a.test
	atf_check -s exit:1 -e match:'zone nosuch.test is not configured' \
	    "$(SECCTL)" -s "$D/secd.sock" show zone nosuch.test
	atf_check -s exit:1 -e match:'zone nosuch.test is not configured' \
	    "$(SECCTL)" -s "$D/secd.sock" proxy nosuch.test www.nosuch.test on
	atf_check -s exit:1 -e match:'zone nosuch.test is not configured' \
	    "$(SECCTL)" -s "$D/secd.sock" refresh nosuch.test
	atf_check -s exit:0 "$(SECCTL)" -s "$D/secd.sock" log brief
	atf_check -s exit:0 "$(SECCTL)" -s "$D/secd.sock" log verbose
}
secctl_unknown_zone_cleanup() { stop_secd "$(pwd)"; }

atf_test_case no_data_yet_servfail cleanup
no_data_yet_servfail_head() {
	atf_set descr "a configured zone with no data yet answers SERVFAIL; other names REFUSED"
	atf_set require.user root
}
no_data_yet_servfail_body() {
	setup
	start_secd "$D"	# its primary (port 5300) is not running
	for t in "" +tcp; do
		atf_check -o match:'status: SERVFAIL' -o not-match:'flags: qr aa' \
		    dig @127.0.0.1 -p "$PORT" www.example.test A +norec $t
		atf_check -o match:'status: REFUSED' \
		    dig @127.0.0.1 -p "$PORT" www.example.org A +norec $t
	done
}
no_data_yet_servfail_cleanup() { stop_secd "$(pwd)"; }

atf_init_test_cases() {
	atf_add_test_case privsep_processes
	atf_add_test_case no_data_yet_servfail
	atf_add_test_case status_matches_proc
	atf_add_test_case nonroot
	atf_add_test_case sandbox_violation_kills_daemon
	atf_add_test_case child_death_stops_all
	atf_add_test_case sigterm_leaves_nothing
	atf_add_test_case reload_bad_config_keeps_old
	atf_add_test_case flags
	atf_add_test_case secctl_unknown_zone
}
