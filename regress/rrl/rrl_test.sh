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

# Hostile traffic (serverd/rrl.c, serverd/cookie.c): response rate
# limiting of UDP answers under dnsperf from one source, with slip,
# classes counted apart, exempt prefixes and TCP never limited, and the
# counters of "secctl show stats"; DNS Cookies with dig and kdig,
# BADCOOKIE, FORMERR, the secret rotated by a reload, and cookies minted
# by Knot's mod-cookies valid at secd with the same secret and the
# reverse.  Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3
PROBE=$(atf_get_srcdir)/rrlprobe.py
# RFC 9018 appendix A's secrets
SECRET1=e5e973e5a6b2a43f48e7dc849e37bfcf
SECRET2=445536bcd2513298075a5d379663c962

# start EXTRA: secd serving the test zone from badprimary.py, with the
# lines EXTRA added to secd.conf.
start() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	write_rrl_conf "$1"
	start_bad "$D/zone"
	start_secd "$D"
	wait_served 2024010101 1
}

write_rrl_conf() {
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
zone "$ZONE" {
	primary 127.0.0.1 port $PP
}
$1
CONF
}

# perf NAME TYPE SECONDS QPS: dnsperf from 127.0.0.1 for that long.
perf() {
	echo "$1 $2" >"$D/q"
	dnsperf -s 127.0.0.1 -p "$PORT" -d "$D/q" -l "$3" -Q "$4" -t 1 \
	    >"$D/perf" 2>&1 || { cat "$D/perf" >&2; atf_fail "dnsperf failed"; }
}

# probe ARGS: rrlprobe.py against secd; prints "full tc none".
probe() { "$PY" "$PROBE" 127.0.0.1 "$PORT" "$@"; }

atf_test_case rrl_caps_answers_and_slips cleanup
rrl_caps_answers_and_slips_head() {
	atf_set descr "dnsperf from one source: answers capped at about" \
	    "the rate, every second limited answer truncated, the others" \
	    "dropped, and show stats counts them"
	atf_set require.user root
}
rrl_caps_answers_and_slips_body() {
	local q0 q lim sl dr passed
	start 'rate-limit {
	responses 10
	slip 2
	exempt none
}'
	q0=$(stat_field queries_udp)
	perf web.example.test A 3 400
	q=$(($(stat_field queries_udp) - q0))
	lim=$(stat_field rrl_limited)
	sl=$(stat_field rrl_slipped)
	dr=$(stat_field rrl_dropped)
	passed=$((q - lim))
	# 10 a second for 3 s, a second's burst: about 40, with slack
	[ "$passed" -ge 20 ] && [ "$passed" -le 60 ] ||
	    atf_fail "expected about 40 of $q answers not limited, got $passed"
	[ "$lim" -eq $((sl + dr)) ] ||
	    atf_fail "limited $lim is not slipped $sl + dropped $dr"
	[ "$((sl - dr))" -ge -1 ] && [ "$((sl - dr))" -le 1 ] ||
	    atf_fail "slip 2: expected as many slipped as dropped," \
	    "got $sl and $dr"
	ctl show stats | grep -Eq "^rate limit: +$lim limited, $sl slipped," ||
	    atf_fail "show stats text: $(ctl show stats | grep rate)"
	# at once, 40 more: the bucket's second of credit (10) answered,
	# of the rest half TC with no records, half dropped
	probe web.example.test A 40 >"$D/probe" || atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" -le 12 ] && [ "$tc" -ge 13 ] && [ "$none" -ge 13 ] ||
	    atf_fail "while limited: expected TC and drops, got full $full" \
	    "tc $tc none $none"
	# NXDOMAIN and another name are counted apart
	probe nothere.example.test A 5 >"$D/probe" || atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" = 5 ] || atf_fail "NXDOMAIN limited with the answers:" \
	    "full $full tc $tc none $none"
	probe mail.example.test A 5 >"$D/probe" || atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" = 5 ] || atf_fail "another name limited: full $full"
	# TCP is never limited
	probe web.example.test A 20 tcp >"$D/probe" || atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" = 20 ] || atf_fail "TCP limited: full $full of 20"
}
rrl_caps_answers_and_slips_cleanup() { secondary_cleanup; }

atf_test_case rrl_exempt_prefix_not_limited cleanup
rrl_exempt_prefix_not_limited_head() {
	atf_set descr "a source in an exempt prefix is never limited:" \
	    "loopback, exempt when no exempt is given"
	atf_set require.user root
}
rrl_exempt_prefix_not_limited_body() {
	start 'rate-limit {
	responses 5
}'
	perf web.example.test A 2 300
	[ "$(stat_field rrl_limited)" = 0 ] ||
	    atf_fail "exempt source limited $(stat_field rrl_limited) times"
	probe web.example.test A 30 >"$D/probe" || atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" = 30 ] || atf_fail "exempt: full $full of 30"
}
rrl_exempt_prefix_not_limited_cleanup() { secondary_cleanup; }

atf_test_case rrl_valid_cookie_not_limited cleanup
rrl_valid_cookie_not_limited_head() {
	atf_set descr "a query with a valid server cookie is not limited"
	atf_set require.user root
}
rrl_valid_cookie_not_limited_body() {
	start 'rate-limit {
	responses 5
	exempt none
}'
	probe web.example.test A 40 >"$D/probe" || atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" -le 12 ] || atf_fail "without cookies: full $full of 40"
	probe web.example.test A 40 cookie >"$D/probe" ||
	    atf_fail "probe failed"
	read full tc none <"$D/probe"
	[ "$full" = 40 ] || atf_fail "with a valid cookie: full $full of 40"
}
rrl_valid_cookie_not_limited_cleanup() { secondary_cleanup; }

# cookie_of TOOL ARGS: the COOKIE dig or kdig prints, in hex.
cookie_of() {
	"$@" | sed -n 's/.*COOKIE: \([0-9a-fA-F]*\).*/\1/p' | head -1 |
	    tr A-F a-f
}

atf_test_case cookie_dig_kdig_badcookie cleanup
cookie_dig_kdig_badcookie_head() {
	atf_set descr "dig and kdig get a server cookie; a forged one gets" \
	    "BADCOOKIE over UDP and an answer over TCP; a bad length FORMERR"
	atf_set require.user root
}
cookie_dig_kdig_badcookie_body() {
	local c k out
	start "cookie {
	secret \"$SECRET1\"
}"
	c=$(cookie_of dig +cookie=0102030405060708 @127.0.0.1 -p "$PORT" \
	    web.example.test A)
	[ ${#c} = 48 ] && [ "${c#0102030405060708}" != "$c" ] ||
	    atf_fail "dig: expected client and server cookie, got '$c'"
	k=$(cookie_of kdig +cookie @127.0.0.1 -p "$PORT" web.example.test A)
	[ ${#k} = 48 ] || atf_fail "kdig: expected 24 bytes, got '$k'"
	out=$(dig +cookie="$c" @127.0.0.1 -p "$PORT" web.example.test A)
	echo "$out" | grep -q "status: NOERROR" && echo "$out" |
	    grep -q "(good)" || atf_fail "its own cookie refused: $out"
	[ "$(stat_field cookie_valid)" -ge 1 ] || atf_fail "cookie_valid 0"
	c=0102030405060708010000006553f10000112233445566778
	c=${c%?}
	out=$(dig +nobadcookie +cookie="$c" @127.0.0.1 -p "$PORT" \
	    web.example.test A)
	echo "$out" | grep -q "status: BADCOOKIE" ||
	    atf_fail "forged server cookie over UDP: $out"
	echo "$out" | grep -Eq "COOKIE: 0102030405060708[0-9a-f]{32}" ||
	    atf_fail "BADCOOKIE without a fresh cookie: $out"
	[ "$(stat_field cookie_badcookie)" = 1 ] ||
	    atf_fail "cookie_badcookie $(stat_field cookie_badcookie)"
	out=$(dig +tcp +cookie="$c" @127.0.0.1 -p "$PORT" web.example.test A)
	echo "$out" | grep -q "status: NOERROR" ||
	    atf_fail "forged server cookie over TCP: $out"
	out=$("$PY" "$PROBE" 127.0.0.1 "$PORT" web.example.test A 1 \
	    badlength)
	[ "$out" = FORMERR ] || atf_fail "cookie of 12 bytes: $out"
}
cookie_dig_kdig_badcookie_cleanup() { secondary_cleanup; }

atf_test_case cookie_rotation_keeps_previous cleanup
cookie_rotation_keeps_previous_head() {
	atf_set descr "a reload that moves the secret to previous still" \
	    "accepts its cookies; one more without it does not"
	atf_set require.user root
}
cookie_rotation_keeps_previous_body() {
	local c out
	start "cookie {
	secret \"$SECRET1\"
}"
	c=$(cookie_of dig +cookie=1112131415161718 @127.0.0.1 -p "$PORT" \
	    web.example.test A)
	[ ${#c} = 48 ] || atf_fail "no cookie: '$c'"
	write_rrl_conf "cookie {
	secret \"$SECRET2\"
	previous \"$SECRET1\"
}"
	ctl reload >/dev/null || atf_fail "reload failed"
	out=$(dig +nobadcookie +cookie="$c" @127.0.0.1 -p "$PORT" \
	    web.example.test A)
	echo "$out" | grep -q "status: NOERROR" ||
	    atf_fail "previous secret refused after reload: $out"
	write_rrl_conf "cookie {
	secret \"$SECRET2\"
}"
	ctl reload >/dev/null || atf_fail "reload failed"
	out=$(dig +nobadcookie +cookie="$c" @127.0.0.1 -p "$PORT" \
	    web.example.test A)
	echo "$out" | grep -q "status: BADCOOKIE" ||
	    atf_fail "a secret no longer configured accepted: $out"
}
cookie_rotation_keeps_previous_cleanup() { secondary_cleanup; }

# knot_cookies DIR PORT: Knot serving the zone with mod-cookies and
# SECRET1.
knot_cookies() {
	mkdir -p "$1/knot.d" "$1/knot.db"
	cp "$D/zone" "$1/knot.zone"
	cat >"$1/knot.conf" <<KNOT
server:
    rundir: "$1/knot.d"
    pidfile: "$1/knot.d/knot.pid"
    listen: 127.0.0.1@$2
control:
    listen: "$1/knot.d/knot.sock"
log:
  - target: "$1/knot.log"
    any: info
database:
    storage: "$1/knot.db"
mod-cookies:
  - id: fleet
    secret: 0x$SECRET1
zone:
  - domain: $ORIGIN
    file: "$1/knot.zone"
    module: mod-cookies/fleet
KNOT
	knotc -c "$1/knot.conf" conf-check >>"$1/knot.log" 2>&1 ||
	    atf_fail "knot.conf refused: $(cat "$1/knot.log")"
	peers_spawn knot "$1" knotd -c "$1/knot.conf"
	peers_wait_soa knot "$1" "$2" "$ORIGIN" ||
	    atf_fail "Knot does not answer: $(tail -5 "$1/knot.log")"
}

atf_test_case cookie_knot_interop cleanup
cookie_knot_interop_head() {
	atf_set descr "with the same secret, a cookie Knot's mod-cookies" \
	    "minted is valid at secd, and one secd minted is valid at Knot"
	atf_set require.user root
}
cookie_knot_interop_body() {
	local kp c out
	start "cookie {
	secret \"$SECRET1\"
}"
	kp=$(pick_port)
	mkdir -p "$D/peer"
	knot_cookies "$(cd "$D/peer" && pwd)" "$kp"
	c=$(cookie_of kdig +cookie=2122232425262728 @127.0.0.1 -p "$kp" \
	    web.example.test A)
	[ ${#c} = 48 ] || atf_fail "Knot gave no cookie: '$c'"
	out=$(kdig +nobadcookie +cookie="$c" @127.0.0.1 -p "$PORT" \
	    web.example.test A 2>&1)
	echo "$out" | grep -q "status: NOERROR" ||
	    atf_fail "Knot's cookie refused by secd: $out"
	[ "$(stat_field cookie_valid)" = 1 ] ||
	    atf_fail "secd did not find Knot's cookie valid"
	c=$(cookie_of kdig +cookie=3132333435363738 @127.0.0.1 -p "$PORT" \
	    web.example.test A)
	[ ${#c} = 48 ] || atf_fail "secd gave no cookie: '$c'"
	out=$(kdig +nobadcookie +cookie="$c" @127.0.0.1 -p "$kp" \
	    web.example.test A 2>&1)
	echo "$out" | grep -q "status: NOERROR" ||
	    atf_fail "secd's cookie refused by Knot: $out"
	# and a forged one is refused by both
	c=3132333435363738010000006553f1000011223344556677
	out=$(kdig +nobadcookie +cookie="$c" @127.0.0.1 -p "$kp" \
	    web.example.test A 2>&1)
	echo "$out" | grep -q "status: BADCOOKIE" ||
	    atf_fail "Knot accepted a forged cookie: $out"
}
cookie_knot_interop_cleanup() { secondary_cleanup; }

atf_init_test_cases() {
	atf_add_test_case rrl_caps_answers_and_slips
	atf_add_test_case rrl_exempt_prefix_not_limited
	atf_add_test_case rrl_valid_cookie_not_limited
	atf_add_test_case cookie_dig_kdig_badcookie
	atf_add_test_case cookie_rotation_keeps_previous
	atf_add_test_case cookie_knot_interop
}
