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

# Serving: secd transfers the zonegen.py test zone from NSD and must answer
# like NSD does (dnsdiff.py, the differences allowed in nsd_secd.allow
# only), and malformed queries get FORMERR/NOTIMP or are dropped without
# hurting any process (badquery.py).

. "$(atf_get_srcdir)/../daemon/lib.sh"
. "$(atf_get_srcdir)/../lib/peers.sh"

ORIGIN=example.test.
PY=/usr/bin/python3
BADQUERY=$PEERS_LIB/badquery.py

# setup: the test zone in NSD (the primary and the reference), secd
# transferring it from there, the transfer done.
setup() {
	local i
	D=$(pwd)
	NPORT=$(pick_port)
	SPORT=$(pick_port)
	while [ "$SPORT" = "$NPORT" ]; do SPORT=$(pick_port); done
	"$PY" "$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	start_nsd "$D" "$NPORT" "$ORIGIN" "$D/zone"
	write_conf "$D/secd.conf" "$D" "$SPORT" 2
	sed -i -e "s/primary 127.0.0.1 port 5300 tsig \"xfr\"/primary 127.0.0.1 port $NPORT/" \
	    -e '/allow notify/d' "$D/secd.conf"
	peers_have_v6 || sed -i '/listen on ::1/d' "$D/secd.conf"
	start_secd "$D"
	for i in $(seq 1 200); do
		[ -n "$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$SPORT" \
		    example.test SOA 2>/dev/null)" ] && return 0
		kill -0 "$(cat "$D/secd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	cat "$D/secd.log" >&2
	atf_fail "secd did not serve example.test (log above)"
}

teardown() {
	D=$(pwd)
	stop_secd "$D"
	stop_all_peers "$D"
}

# no_sanitizer_report: the sanitizer build (SAN=1) found nothing.
no_sanitizer_report() {
	! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' \
	    "$D/secd.log" || atf_fail "sanitizer report: $(grep -m5 \
	    'runtime error\|Sanitizer' "$D/secd.log")"
}

# alive KIDS: the parent and the same children as before, and a query
# answered right.
alive() {
	local now
	no_sanitizer_report
	kill -0 "$(cat "$D/secd.pid")" 2>/dev/null ||
	    atf_fail "the parent died: $(tail -20 "$D/secd.log")"
	now=$(child_pids "$D" | sort | tr '\n' ' ')
	[ "$now" = "$1" ] ||
	    atf_fail "children were '$1', now '$now': $(tail -20 "$D/secd.log")"
	for t in 'xfrd' 'zoned' 'serverd 0' 'serverd 1'; do
		child_titled "$D" "$t" >/dev/null ||
		    atf_fail "no process titled 'secd: $t'"
	done
	for p in "" +tcp; do
		[ "$(dig +short +norec $p @127.0.0.1 -p "$SPORT" \
		    www.example.test A | sort | tr '\n' ' ')" = \
		    "$(dig +short +norec $p @127.0.0.1 -p "$NPORT" \
		    www.example.test A | sort | tr '\n' ' ')" ] ||
		    atf_fail "www.example.test A $p: secd and NSD differ"
	done
}

atf_test_case differential_nsd cleanup
differential_nsd_head() {
	atf_set descr "secd answers the test zone's queries as NSD does," \
	    "but for the differences in nsd_secd.allow"
	atf_set require.user root
}
differential_nsd_body() {
	setup
	"$PY" "$DNSDIFF" --gen-queries "$D/zone" >"$D/queries" ||
	    atf_fail "dnsdiff.py --gen-queries failed"
	[ "$(wc -l <"$D/queries")" -gt 1000 ] ||
	    atf_fail "only $(wc -l <"$D/queries") queries"
	if ! "$PY" "$DNSDIFF" -q -v \
	    --allow "$(atf_get_srcdir)/nsd_secd.allow" \
	    "127.0.0.1@$NPORT" "127.0.0.1@$SPORT" "$D/queries" \
	    >"$D/diff" 2>&1; then
		grep -v '^#' "$D/diff" | head -60 >&2
		atf_fail "secd differs from NSD: $(tail -1 "$D/diff")"
	fi
	no_sanitizer_report
	tail -1 "$D/diff"
}
differential_nsd_cleanup() { teardown; }

atf_test_case bad_queries cleanup
bad_queries_head() {
	atf_set descr "malformed queries over UDP and TCP get FORMERR," \
	    "NOTIMP or BADVERS or are dropped; every process lives on"
	atf_set require.user root
}
bad_queries_body() {
	setup
	kids=$(child_pids "$D" | sort | tr '\n' ' ')
	alive "$kids"
	"$PY" "$BADQUERY" 127.0.0.1 "$SPORT" "$ORIGIN" >"$D/bad" 2>&1 || {
		cat "$D/bad" >&2
		alive "$kids"
		atf_fail "badquery.py: $(tail -1 "$D/bad")"
	}
	alive "$kids"
	# and the same again, at once on both transports, from several
	# senders: the children must take a burst as well
	pids=
	for i in 1 2 3; do
		"$PY" "$BADQUERY" 127.0.0.1 "$SPORT" "$ORIGIN" \
		    >"$D/bad.$i" 2>&1 &
		pids="$pids $!"
	done
	wait $pids	# not secd, a child of this shell too
	for i in 1 2 3; do
		grep -q '^0 failures$' "$D/bad.$i" || {
			cat "$D/bad.$i" >&2
			atf_fail "badquery.py run $i failed"
		}
	done
	alive "$kids"
}
bad_queries_cleanup() { teardown; }

atf_init_test_cases() {
	atf_add_test_case differential_nsd
	atf_add_test_case bad_queries
}
