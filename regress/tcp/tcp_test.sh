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

# DNS over TCP against clients that hold connections (RFC 7766 section
# 6.2; secd.conf(5) "tcp ..."): 600 connections that trickle one byte
# every few seconds, from one address or from sixty, and a client that
# pipelines queries and never reads.  Throughout, another address's
# "dig +tcp" is answered within 1 s (each time, several times over the
# attack), serverd's memory stays bounded, and the limit that closed the
# connections is counted in "show stats".
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3
ABUSE=$(atf_get_srcdir)/../lib/tcpabuse.py

# setup TCPLINES: secd serves serial 2024010101 of the test zone from
# badprimary.py, with TCPLINES ("tcp ..." statements) in secd.conf; the
# serverd's pid in $SERVERD and its VmRSS (kB) in $RSS0.
setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
$1

zone "$ZONE" {
	primary 127.0.0.1 port $PP
}
CONF
	start_bad "$D/zone"
	start_secd "$D"
	wait_served 2024010101 1
	SERVERD=$(child_titled "$D" "serverd 0") || atf_fail "no serverd"
	RSS0=$(rss "$SERVERD")
}

tcp_cleanup() { secondary_cleanup; }

# rss PID: its VmRSS in kB.
rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}

# rss_bounded WHAT: serverd is the one set up, and its VmRSS grew by less
# than 16 MB since.
rss_bounded() {
	local now
	kill -0 "$SERVERD" 2>/dev/null || atf_fail "$1: serverd died"
	now=$(rss "$SERVERD")
	[ $((now - RSS0)) -lt 16384 ] ||
	    atf_fail "$1: serverd's VmRSS went from $RSS0 kB to $now kB"
}

# answered_throughout SECONDS WHAT: every 2 s for SECONDS, a dig +tcp
# from 127.0.0.1 gets the zone's SOA within 1 s.
answered_throughout() {
	local i got
	for i in $(seq 1 $(($1 / 2))); do
		got=$(dig +tcp +norec +short +time=1 +tries=1 -b 127.0.0.1 \
		    @127.0.0.1 -p "$PORT" "$ORIGIN" SOA | awk '{ print $3 }')
		[ "$got" = 2024010101 ] ||
		    atf_fail "$2: dig +tcp try $i not answered within 1 s" \
		    "(got '$got')"
		sleep 2
	done
}

# abuse_wait: the background tcpabuse.py's line, in $OUT.
abuse_wait() {
	wait "$ABUSE_PID" || atf_fail "tcpabuse.py failed: $(cat "$D/abuse.err")"
	OUT=$(cat "$D/abuse.out")
}

atf_test_case slow_one_source cleanup
slow_one_source_head() {
	atf_set descr "600 connections from 127.0.0.2 trickling a byte" \
	    "every 3 s: cut to max-per-source and closed at io-timeout;" \
	    "dig +tcp from 127.0.0.1 answered within 1 s throughout"
	atf_set require.user root
}
slow_one_source_body() {
	setup "tcp io-timeout 2"
	"$PY" "$ABUSE" slow 127.0.0.1 "$PORT" 127.0.0.2 600 22 3 \
	    >"$D/abuse.out" 2>"$D/abuse.err" &
	ABUSE_PID=$!
	sleep 1
	answered_throughout 20 "600 slow connections from one source"
	rss_bounded "600 slow connections"
	abuse_wait
	echo "tcpabuse.py: $OUT"
	[ "$(stat_field tcp_closed_source)" -ge 500 ] ||
	    atf_fail "show stats: tcp_closed_source" \
	    "$(stat_field tcp_closed_source), expected >= 500"
	[ "$(stat_field tcp_closed_io)" -ge 32 ] ||
	    atf_fail "show stats: tcp_closed_io" \
	    "$(stat_field tcp_closed_io), expected the 32 admitted"
}
slow_one_source_cleanup() { tcp_cleanup; }

atf_test_case slow_many_sources_full cleanup
slow_many_sources_full_head() {
	atf_set descr "600 slow connections from 60 sources over" \
	    "max-connections 100: the longest idle closed for each new" \
	    "one, accepting never stops, dig +tcp answered throughout"
	atf_set require.user root
}
slow_many_sources_full_body() {
	setup "tcp max-connections 100
tcp max-per-source 10
tcp io-timeout 60
tcp idle-timeout 60"
	"$PY" "$ABUSE" slow 127.0.0.1 "$PORT" 127.0.0.2-127.0.0.61 600 22 3 \
	    >"$D/abuse.out" 2>"$D/abuse.err" &
	ABUSE_PID=$!
	sleep 1
	answered_throughout 20 "600 slow connections from 60 sources"
	rss_bounded "600 slow connections from 60 sources"
	abuse_wait
	echo "tcpabuse.py: $OUT"
	[ "$(stat_field tcp_closed_full)" -ge 400 ] ||
	    atf_fail "show stats: tcp_closed_full" \
	    "$(stat_field tcp_closed_full), expected >= 400"
	[ "$(stat_field tcp_closed_io)" = 0 ] ||
	    atf_fail "show stats: tcp_closed_io $(stat_field tcp_closed_io)" \
	    "with io-timeout 60"
}
slow_many_sources_full_cleanup() { tcp_cleanup; }

atf_test_case pipeline_never_reads cleanup
pipeline_never_reads_head() {
	atf_set descr "a client pipelining queries that never reads:" \
	    "serverd's memory bounded, others answered, the connection" \
	    "closed at idle-timeout"
	atf_set require.user root
}
pipeline_never_reads_body() {
	setup "tcp idle-timeout 3"
	"$PY" "$ABUSE" pipeline 127.0.0.1 "$PORT" "$ORIGIN" NS 40 \
	    >"$D/abuse.out" 2>"$D/abuse.err" &
	ABUSE_PID=$!
	sleep 1
	answered_throughout 6 "a pipelining client that never reads"
	rss_bounded "a pipelining client that never reads"
	abuse_wait
	echo "tcpabuse.py: $OUT"
	case "$OUT" in
	"sent "*" closed "*) ;;
	*) atf_fail "the connection was not closed within 40 s: $OUT" ;;
	esac
	[ "$(stat_field tcp_closed_idle)" -ge 1 ] ||
	    [ "$(stat_field tcp_closed_io)" -ge 1 ] ||
	    atf_fail "show stats: no connection closed by a timeout"
	rss_bounded "after the pipelining client"
}
pipeline_never_reads_cleanup() { tcp_cleanup; }

atf_init_test_cases() {
	atf_add_test_case slow_one_source
	atf_add_test_case slow_many_sources_full
	atf_add_test_case pipeline_never_reads
}
