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

# Running secd under a service manager: the systemd unit (etc/) verifies,
# the OpenBSD rc.d script parses, and the readiness datagram (sd_notify
# protocol, secd(8) SUPERVISION) comes once the stored zones are served.

. "$(atf_get_srcdir)/../daemon/lib.sh"
PEERS_LIB=$(atf_get_srcdir)/../lib
. "$(atf_get_srcdir)/../lib/peers.sh"

atf_test_case unit_verifies
unit_verifies_head() {
	atf_set descr "systemd-analyze verify accepts etc/secd.service" \
	    "(its commands pointed at the build, its man pages found), and" \
	    "its security exposure is below nsd.service's"
	atf_set require.progs systemd-analyze man
}
unit_verifies_body() {
	local src ours nsd
	src=$(atf_config_get srcdir)
	mkdir -p man/man5 man/man8
	cp "$src/secd/secd.8" "$src/secctl/secctl.8" man/man8/
	cp "$src/secd/secd.conf.5" man/man5/
	sed -e "s|/usr/sbin/secd |$(SECD) |" \
	    -e "s|/usr/sbin/secctl |$(SECCTL) |" \
	    "$src/etc/secd.service" >secd.service
	grep -q "$(SECD) -d" secd.service || atf_fail "paths not replaced"
	MANPATH=$(pwd)/man atf_check -o empty -e empty \
	    systemd-analyze verify ./secd.service
	# exposed less than Debian's nsd.service, when it is installed
	[ -f /lib/systemd/system/nsd.service ] || return 0
	ours=$(exposure ./secd.service)
	nsd=$(exposure /lib/systemd/system/nsd.service)
	echo "exposure: secd $ours, nsd $nsd"
	awk -v a="$ours" -v b="$nsd" 'BEGIN { exit !(a + 0 < b + 0) }' ||
	    atf_fail "secd.service's exposure $ours is not below nsd's $nsd"
}

# exposure UNIT: systemd-analyze security's overall figure for UNIT.
exposure() {
	MANPATH=$(pwd)/man systemd-analyze security --offline=true "$1" \
	    2>/dev/null |
	    sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p'
}

atf_test_case rcd_parses
rcd_parses_head() {
	atf_set descr "etc/rc.d/secd is shell that parses, in rc.subr's" \
	    "form, with the title secd's parent takes as its pexp"
}
rcd_parses_body() {
	local f
	f=$(atf_config_get srcdir)/etc/rc.d/secd
	atf_check sh -n "$f"
	atf_check -o match:'^daemon="/usr/local/sbin/secd"$' cat "$f"
	atf_check -o match:'^pexp="secd: parent"$' cat "$f"
	atf_check -o match:'^rc_cmd \$1$' cat "$f"
	atf_check -o match:'-n \$\{daemon_flags\}' cat "$f"
}

# sink SOCKET OUT: a unix datagram socket at SOCKET whose datagrams go to
# OUT, one a line ("\n" inside one as "|"), in the background; its pid in
# sink.pid.
sink() {
	/usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        d = s.recv(4096).decode()
        f.write(d.replace("\n", "|") + "\n")
        f.flush()
' "$1" "$2" &
	echo $! >sink.pid
	for i in $(seq 1 50); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	atf_fail "the notify socket did not appear"
}

# wait_line ERE: until notify.out has a line matching ERE (20 s).
wait_line() {
	local i
	for i in $(seq 1 200); do
		grep -Eq "$1" notify.out 2>/dev/null && return 0
		sleep 0.1
	done
	cat notify.out >&2
	atf_fail "no datagram matching /$1/"
}

atf_test_case ready_notified cleanup
ready_notified_head() {
	atf_set descr "with NOTIFY_SOCKET, READY=1 comes once the stored" \
	    "zone is served (it answers at that moment, its primary down)," \
	    "STOPPING=1 at stop; the children are not given the socket"
	atf_set require.user root
	atf_set require.progs nsd dig
}
ready_notified_body() {
	local z
	D=$(pwd)
	PORT=$(pick_port)
	PPORT=$(pick_port)
	mkdir -p "$D/primary"
	/usr/bin/python3 "$PEERS_LIB/zonegen.py" --kind test --serial 42 \
	    -o "$D/primary/z.zone" ready.test || atf_fail "zonegen"
	start_nsd "$D/primary" "$PPORT" ready.test "$D/primary/z.zone" ||
	    atf_fail "NSD did not start"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 2
listen on 127.0.0.1 port $PORT
zone "ready.test" {
	primary 127.0.0.1 port $PPORT
}
CONF
	sink "$D/notify.sock" "$D/notify.out"
	NOTIFY_SOCKET=$D/notify.sock start_secd "$D"
	# nothing stored yet: ready at once, the zone transferred after
	wait_line '^READY=1\|STATUS=serving; 1 zones configured$'
	for z in $(child_pids "$D"); do
		tr '\0' '\n' <"/proc/$z/environ" | grep -q '^NOTIFY_SOCKET=' &&
		    atf_fail "child $z was given NOTIFY_SOCKET"
	done
	for i in $(seq 1 100); do
		dig +short +norec @127.0.0.1 -p "$PORT" ready.test SOA |
		    grep -q ' 42 ' && break
		sleep 0.1
	done
	stop_secd "$D"
	wait_line '^STOPPING=1$'
	[ "$(grep -c '^READY=1' notify.out)" = 1 ] ||
	    atf_fail "READY=1 sent $(grep -c '^READY=1' notify.out) times"

	# from storage, the primary down: served when READY=1 comes
	stop_nsd "$D/primary"
	: >notify.out
	NOTIFY_SOCKET=$D/notify.sock start_secd "$D"
	wait_line '^READY=1'
	atf_check -o match:' 42 ' dig +short +norec @127.0.0.1 -p "$PORT" \
	    ready.test SOA
}
ready_notified_cleanup() {
	stop_secd "$(pwd)"
	stop_nsd "$(pwd)/primary"
	[ -f sink.pid ] && kill "$(cat sink.pid)" 2>/dev/null
	return 0
}

atf_init_test_cases() {
	atf_add_test_case unit_verifies
	atf_add_test_case rcd_parses
	atf_add_test_case ready_notified
}
