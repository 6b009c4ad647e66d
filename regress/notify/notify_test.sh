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

# NOTIFY (RFC 1996) to secd and from it.
#
# To secd, sent by notify.py: one from the allowed
# source signed with the allowed key is answered NOERROR (signed) and
# starts an SOA check, over UDP and TCP; unsigned, from another source,
# with an unknown key, a wrong secret, a bad MAC, a skewed clock or for a
# zone secd does not have, it is answered REFUSED or NOTAUTH with the
# TSIG error, logged with the source, counted, and starts nothing.  A
# NOTIFY whose serial is not newer than ours is answered and ignored; a
# burst of 100 is cut to 20 a second.
#
# From secd (secd.conf notify), to notifysink.py: once every serverd
# serves a new serial (at start, after a toggle, after an IXFR) each
# target gets a NOTIFY with it, signed with its key; a target that does
# not answer is tried again, one that refuses or fails the signature is
# counted and logged, and a target a reload removes (or whose zone it
# removes) is no longer told.
# Each of these stops secd at its end and finds no sanitizer report
# (the SAN=1 build: a leak, a use after free).
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
KEY=notifykey
NOTIFY=$(atf_get_srcdir)/../lib/notify.py
# The start of secd's log lines about a NOTIFY from notify.py.
FROM="zone $ZONE: NOTIFY from 127\.0\.0\.1:[0-9]+"

# setup: secd serves serial 2024010101 of the test zone from
# badprimary.py, NOTIFY allowed from 127.0.0.1 signed with $KEY
# (hmac-sha256, secret $S); then the primary moves to serial 2024020202,
# so that any SOA check secd makes brings a transfer.
setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	S=$(tsig_secret 32)
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT

tsig key "$KEY" {
	algorithm hmac-sha256
	secret "$S"
}

zone "$ZONE" {
	primary 127.0.0.1 port $PP
	allow notify from 127.0.0.1 tsig "$KEY"
}
CONF
	start_bad "$D/zone"
	start_secd "$D"
	wait_served 2024010101 1
	new_version
}

# new_version: badprimary.py reloads the zone at serial 2024020202.
new_version() {
	local i
	"$ZONEGEN" --kind test --serial 2024020202 -o "$D/zone.new" \
	    "$ORIGIN" || atf_fail "zonegen.py failed"
	echo "notified.example.test. 300 IN A 198.51.100.53" >>"$D/zone.new"
	mv "$D/zone.new" "$D/zone"
	kill -HUP "$(cat "$D/bad.pid")"
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PP" "$ORIGIN")" = 2024020202 ] && return 0
		sleep 0.1
	done
	cat "$D/bad.log" >&2
	atf_fail "badprimary.py did not reload the zone (log above)"
}

notify_cleanup() { secondary_cleanup; }

# send_notify ZONE [notify.py OPTIONS...]: notify.py's line for a
# NOTIFY of ZONE to secd, in $D/notify.out; fails when no answer came.
send_notify() {
	local z=$1 rc=0
	shift
	/usr/bin/python3 "$NOTIFY" "$@" 127.0.0.1 "$PORT" "$z" \
	    >"$D/notify.out" 2>"$D/notify.err" || rc=$?
	[ $rc = 0 ] || atf_fail "notify.py $*: no answer (exit $rc):" \
	    "$(head -1 "$D/notify.err")"
}

# answer_is ERE: notify.py's line matches ERE whole.
answer_is() {
	grep -Eq "^$1\$" "$D/notify.out" ||
	    atf_fail "NOTIFY answered '$(cat "$D/notify.out")', expected" \
	    "'$1'"
}

# accepted ZONEOPTS...: a NOTIFY signed with the right key from
# 127.0.0.1 is answered NOERROR, signed; secd checks the SOA at once and
# takes serial 2024020202.
accepted() {
	local c0
	c0=$(stat_field soa_checks)
	send_notify "$ZONE" --key "$KEY" hmac-sha256 "$S" "$@"
	answer_is "rcode NOERROR tsig NOERROR signed ok"
	log_has "$FROM" "accepted NOTIFY"
	wait_served 2024020202 2
	[ "$(stat_field soa_checks)" -gt "$c0" ] ||
	    atf_fail "show stats: soa_checks $(stat_field soa_checks)," \
	    "was $c0 before the NOTIFY"
	[ "$(stat_field notifies)" -ge 1 ] ||
	    atf_fail "show stats: notifies $(stat_field notifies)"
}

# nothing_starts C0 X0 WHAT: over the next second (polled), soa_checks
# stays C0 and xfr_ok X0, and serial 2024010101 is still served.
nothing_starts() {
	local i
	for i in $(seq 1 10); do
		[ "$(stat_field soa_checks)" = "$1" ] &&
		    [ "$(stat_field xfr_ok)" = "$2" ] ||
		    atf_fail "$3 started an SOA check or a transfer:" \
		    "soa_checks $1 -> $(stat_field soa_checks), xfr_ok" \
		    "$2 -> $(stat_field xfr_ok)"
		sleep 0.1
	done
	[ "$(served_serial)" = 2024010101 ] ||
	    atf_fail "$3: secd serves serial '$(served_serial)'"
}

# refused ANSWER LOG ZONE [notify.py OPTIONS...]: the NOTIFY is answered
# ANSWER (an ERE), secd logs LOG (an ERE), counts it in notifies_refused,
# and starts no SOA check nor transfer.  Then a good NOTIFY is accepted:
# the refusal was not for want of a working setup.
refused() {
	local want=$1 log=$2 c0 x0 r0
	shift 2
	c0=$(stat_field soa_checks)
	x0=$(stat_field xfr_ok)
	r0=$(stat_field notifies_refused)
	send_notify "$@"
	answer_is "$want"
	log_has "$log" "refusal"
	[ "$(stat_field notifies_refused)" = $((r0 + 1)) ] ||
	    atf_fail "show stats: notifies_refused" \
	    "$(stat_field notifies_refused), was $r0 before the NOTIFY"
	nothing_starts "$c0" "$x0" "the refused NOTIFY"
	accepted
}

atf_test_case signed_ok cleanup
signed_ok_head() {
	atf_set descr "a NOTIFY signed with the allowed key from the allowed" \
	    "source: NOERROR, signed; an SOA check and the transfer follow"
	atf_set require.user root
}
signed_ok_body() {
	setup
	accepted
	[ "$(stat_field notifies_refused)" = 0 ] ||
	    atf_fail "show stats: notifies_refused" \
	    "$(stat_field notifies_refused)"
}
signed_ok_cleanup() { notify_cleanup; }

atf_test_case signed_ok_tcp cleanup
signed_ok_tcp_head() {
	atf_set descr "a good NOTIFY over TCP: NOERROR, signed; an SOA" \
	    "check and the transfer follow"
	atf_set require.user root
}
signed_ok_tcp_body() {
	setup
	accepted --tcp
}
signed_ok_tcp_cleanup() { notify_cleanup; }

atf_test_case unsigned cleanup
unsigned_head() {
	atf_set descr "an unsigned NOTIFY where a key is wanted: REFUSED," \
	    "logged with the source, nothing started"
	atf_set require.user root
}
unsigned_body() {
	setup
	refused "rcode REFUSED" \
	    "$FROM: not signed, allow notify wants key $KEY\.? \(REFUSED\)" \
	    "$ZONE"
}
unsigned_cleanup() { notify_cleanup; }

atf_test_case other_source cleanup
other_source_head() {
	atf_set descr "a NOTIFY with the right key from 127.0.0.2: REFUSED," \
	    "logged with the source, nothing started"
	atf_set require.user root
}
other_source_body() {
	local re="zone $ZONE: NOTIFY from 127\.0\.0\.2:[0-9]+"
	setup
	refused "rcode REFUSED( tsig NOERROR signed ok)?" \
	    "$re: source not allowed \(no allow notify from it\) \(REFUSED\)" \
	    "$ZONE" --source 127.0.0.2 --key "$KEY" hmac-sha256 "$S"
}
other_source_cleanup() { notify_cleanup; }

atf_test_case unknown_key cleanup
unknown_key_head() {
	atf_set descr "a NOTIFY signed with a key secd does not know:" \
	    "NOTAUTH BADKEY, logged with the source, nothing started"
	atf_set require.user root
}
unknown_key_body() {
	setup
	refused "rcode NOTAUTH tsig BADKEY unsigned" \
	    "$FROM: TSIG BADKEY.*\(NOTAUTH\)" \
	    "$ZONE" --key otherkey hmac-sha256 "$S"
}
unknown_key_cleanup() { notify_cleanup; }

atf_test_case wrong_secret cleanup
wrong_secret_head() {
	atf_set descr "a NOTIFY signed with the key's name but another" \
	    "secret: NOTAUTH BADSIG, logged with the source, nothing started"
	atf_set require.user root
}
wrong_secret_body() {
	setup
	refused "rcode NOTAUTH tsig BADSIG unsigned" \
	    "$FROM: TSIG BADSIG.*\(NOTAUTH\)" \
	    "$ZONE" --key "$KEY" hmac-sha256 "$(tsig_secret 32)"
}
wrong_secret_cleanup() { notify_cleanup; }

atf_test_case bad_mac cleanup
bad_mac_head() {
	atf_set descr "a NOTIFY with the right key and a corrupted MAC:" \
	    "NOTAUTH BADSIG, logged with the source, nothing started"
	atf_set require.user root
}
bad_mac_body() {
	setup
	refused "rcode NOTAUTH tsig BADSIG unsigned" \
	    "$FROM: TSIG BADSIG.*\(NOTAUTH\)" \
	    "$ZONE" --key "$KEY" hmac-sha256 "$S" --badmac
}
bad_mac_cleanup() { notify_cleanup; }

atf_test_case bad_time cleanup
bad_time_head() {
	atf_set descr "a NOTIFY signed an hour ahead (fudge 300 s): NOTAUTH" \
	    "BADTIME, signed, logged with the source, nothing started"
	atf_set require.user root
}
bad_time_body() {
	setup
	refused "rcode NOTAUTH tsig BADTIME signed ok" \
	    "$FROM: TSIG BADTIME.*\(NOTAUTH\)" \
	    "$ZONE" --key "$KEY" hmac-sha256 "$S" --fudge-time 3600
}
bad_time_cleanup() { notify_cleanup; }

atf_test_case other_zone cleanup
other_zone_head() {
	atf_set descr "a good NOTIFY for a zone secd does not have:" \
	    "REFUSED, logged with the source, nothing started"
	atf_set require.user root
}
other_zone_body() {
	local re="NOTIFY from 127\.0\.0\.1:[0-9]+ for other\.test\.?"
	setup
	refused "rcode REFUSED" "$re: not a zone of ours \(REFUSED\)" \
	    other.test --key "$KEY" hmac-sha256 "$S"
}
other_zone_cleanup() { notify_cleanup; }

atf_test_case serial_not_newer cleanup
serial_not_newer_head() {
	atf_set descr "a good NOTIFY with our serial or an older one:" \
	    "NOERROR, no SOA check; with a newer one, the check follows"
	atf_set require.user root
}
serial_not_newer_body() {
	local c0 x0 r0 s re
	setup
	c0=$(stat_field soa_checks)
	x0=$(stat_field xfr_ok)
	r0=$(stat_field notifies_refused)
	for s in 2024010101 2024010100; do
		send_notify "$ZONE" --key "$KEY" hmac-sha256 "$S" --serial "$s"
		answer_is "rcode NOERROR tsig NOERROR signed ok"
		re="$FROM for serial $s, ours is 2024010101"
		log_has "$re: nothing to do" \
		    "NOTIFY for serial $s ignored"
		nothing_starts "$c0" "$x0" "a NOTIFY for serial $s"
	done
	[ "$(stat_field notifies_refused)" = "$r0" ] ||
	    atf_fail "show stats: notifies_refused" \
	    "$(stat_field notifies_refused), was $r0"
	grep -Eq "$FROM(, no serial)?\$" \
	    "$D/secd.log" &&
	    atf_fail "a NOTIFY with an old serial was taken as news"
	accepted --serial 2024020202
}
serial_not_newer_cleanup() { notify_cleanup; }

atf_test_case rate_limit cleanup
rate_limit_head() {
	atf_set descr "100 good NOTIFY in a burst: some answered, the rest" \
	    "dropped and logged, xfrd lives and takes NOTIFY again"
	atf_set require.user root
}
rate_limit_body() {
	local xfrd out sent got i
	setup
	xfrd=$(child_titled "$D" xfrd) || atf_fail "no xfrd process"
	# One socket, 100 signed NOTIFYs made first and then sent in a
	# row, then the answers until none came for a second.
	out=$(/usr/bin/python3 -c '
import socket, struct, sys, time
import dns.flags, dns.message, dns.opcode, dns.tsig
port, zone, key, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3], \
    sys.argv[4]
k = dns.tsig.Key(key, secret, "hmac-sha256")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", port))
ids, wires = set(), []
for i in range(100):
	m = dns.message.make_query(zone, "SOA")
	m.flags = dns.flags.AA		# before the opcode: flags hold it
	m.set_opcode(dns.opcode.NOTIFY)
	m.use_tsig(k)
	wires.append(m.to_wire())
	ids.add(m.id)
for w in wires:
	s.send(w)
got = 0
s.settimeout(1)
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
	try:
		a = s.recv(65535)
	except socket.timeout:
		break
	# the header only: id, QR and the rcode
	if len(a) >= 12:
		i, f = struct.unpack("!HH", a[:4])
		if i in ids and f & 0x8000 and f & 0xf == 0:
			got += 1
print(len(ids), got)
' "$PORT" "$ZONE" "$KEY" "$S")
	set -- $out
	sent=${1:-0} got=${2:-0}
	[ "$sent" -ge 90 ] ||
	    atf_fail "the burst sent $sent NOTIFYs (ids collide?)"
	[ "$got" -ge 1 ] || atf_fail "none of the $sent NOTIFYs answered"
	[ "$got" -lt "$sent" ] ||
	    atf_fail "all $got of $sent NOTIFYs in a burst answered"
	log_has "zone $ZONE: more than 20 NOTIFY a second, dropping the rest" \
	    "rate limit warning"
	[ "$(child_titled "$D" xfrd)" = "$xfrd" ] && kill -0 "$xfrd" ||
	    atf_fail "xfrd (pid $xfrd) died in the burst"
	wait_served 2024020202 2
	# the next second takes NOTIFY again (bounded: 3 s)
	for i in 1 2 3 4 5 6; do
		/usr/bin/python3 "$NOTIFY" --timeout 0.5 --key "$KEY" \
		    hmac-sha256 "$S" 127.0.0.1 "$PORT" "$ZONE" \
		    >"$D/notify.out" 2>/dev/null && break
	done
	answer_is "rcode NOERROR tsig NOERROR signed ok"
}
rate_limit_cleanup() { notify_cleanup; }

atf_test_case flood_bounded cleanup
flood_bounded_head() {
	atf_set descr "20000 NOTIFYs from 100 sources not allowed, for" \
	    "another zone, not SOA, malformed, and unsigned from the" \
	    "primary: serverd and xfrd bounded, the log lines rate-limited;" \
	    "the primary's good NOTIFY is then acted on at once"
	atf_set require.user root
}
flood_bounded_body() {
	local xfrd serverd x0 s0 x1 s1 out lines max t0 t1
	setup
	xfrd=$(child_titled "$D" xfrd) || atf_fail "no xfrd process"
	serverd=$(child_titled "$D" "serverd 0") || atf_fail "no serverd"
	x0=$(vmrss "$xfrd")
	s0=$(vmrss "$serverd")
	t0=$(date +%s)
	out=$(/usr/bin/python3 "$(atf_get_srcdir)/../lib/notifyflood.py" \
	    127.0.0.1 "$PORT" "$ZONE" 127.0.0.2-127.0.0.101 20000 12) ||
	    atf_fail "notifyflood.py failed"
	t1=$(date +%s)
	echo "notifyflood.py: $out"
	kill -0 "$xfrd" && kill -0 "$serverd" ||
	    atf_fail "xfrd or serverd died in the flood"
	x1=$(vmrss "$xfrd")
	s1=$(vmrss "$serverd")
	[ $((x1 - x0)) -lt 16384 ] && [ $((s1 - s0)) -lt 16384 ] ||
	    atf_fail "VmRSS grew: xfrd $x0 -> $x1 kB, serverd $s0 -> $s1 kB"
	[ "$(stat_field notifies_refused)" -ge 10000 ] ||
	    atf_fail "show stats: notifies_refused" \
	    "$(stat_field notifies_refused), expected >= 10000"
	# once per source (101) and 10 s, plus one each for a table reuse
	lines=$(grep -cE "NOTIFY from 127\.0\.0\.[0-9]+:[0-9]+.*\((REFUSED|FORMERR)\)" \
	    "$D/secd.log")
	max=$((101 * ((t1 - t0) / 10 + 2)))
	[ "$lines" -le "$max" ] ||
	    atf_fail "$lines NOTIFY refusals logged in $((t1 - t0)) s," \
	    "expected at most $max"
	grep -Eq "NOTIFY from .*\[[0-9]+ more from this source, [0-9]+ from others, not logged\]" \
	    "$D/secd.log" || atf_fail "no log line counts the refusals not logged"
	accepted
}
flood_bounded_cleanup() { notify_cleanup; }

# vmrss PID: its VmRSS in kB.
vmrss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}

# ------------------------------------------------------------ NOTIFY out

# nout_setup TARGETS...: NSD on $PP serves the test zone at serial
# 2024010101, transfers signed with $KEY; secd is its secondary, with
# a proxy set (for toggles) and a notify line per TARGET, "sink" or
# "sink2": notifysink.py in $D/TARGET on 127.0.0.1 port $SP or on
# 127.0.0.2 port $SP2 (secd's failure logs are limited per address),
# with $KEY (sink2 with its own secret when BADKEY2 is set).  The sinks take
# PEER_SINK_DROP and PEER_SINK_RCODE from the caller's environment
# (peers.sh).  Returns once secd serves the zone.
nout_setup() {
	local t
	D=$(pwd)
	newport PORT
	newport PP
	newport SP
	newport SP2
	S=$(tsig_secret 32)
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	mkdir -p "$D/peer"
	start_nsd "$D/peer" "$PP" "$ORIGIN" "$D/zone" "$KEY" hmac-sha256 "$S"
	for t in "$@"; do
		case $t in
		sink)	start_notifysink "$D/sink" "$SP" "$KEY" \
			    hmac-sha256 "$S" ;;
		sink2)	PEER_SINK_ADDR=127.0.0.2 PEER_SINK_DROP= \
			    PEER_SINK_RCODE= start_notifysink "$D/sink2" \
			    "$SP2" "$KEY" hmac-sha256 "${BADKEY2:-$S}" ;;
		esac
	done
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 2
listen on 127.0.0.1 port $PORT

tsig key "$KEY" {
	algorithm hmac-sha256
	secret "$S"
}

proxy {
	address 192.0.2.80
	ttl 300
}

zone "$ZONE" {
	primary 127.0.0.1 port $PP tsig "$KEY"
	allow notify from 127.0.0.1 tsig "$KEY"
CONF
		for t in "$@"; do
			case $t in
			sink)	echo "127.0.0.1 port $SP" ;;
			sink2)	echo "127.0.0.2 port $SP2" ;;
			esac
		done | sed "s/.*/	notify & tsig \"$KEY\"/"
		echo "}"
	} >"$D/secd.conf"
	start_secd "$D"
	wait_served 2024010101
}

nout_cleanup() { secondary_cleanup peer sink sink2; }

# nout_field FIELD: of "show zones" for the zone, notify_out.FIELD:
# targets, pending, sent, acked, failed, or last_failure (its msg).
nout_field() {
	ctl -j show zones | /usr/bin/python3 -c '
import json, sys
for z in json.load(sys.stdin)["zones"]:
    if z["zone"].rstrip(".") == sys.argv[1]:
        v = z["notify_out"].get(sys.argv[2])
        if sys.argv[2] == "last_failure":
            v = (v or {}).get("msg")
        print("" if v is None else v)
' "$ZONE" "$1"
}

# nout_wait WHAT CMD...: until CMD succeeds, at most 60 s (the quick
# tries of a NOTIFY take 31 s); fails naming WHAT, with the zone's
# notify_out and the end of the log.
nout_wait() {
	local what=$1 i
	shift
	for i in $(seq 1 600); do
		"$@" && return 0
		sleep 0.1
	done
	tail -20 "$D/secd.log" >&2
	atf_fail "$what: show zones notify_out: pending $(nout_field pending)" \
	    "sent $(nout_field sent) acked $(nout_field acked) failed" \
	    "$(nout_field failed), last failure '$(nout_field last_failure)'"
}

# sink_lines SINK KIND SERIAL: the lines "KIND example.test. SERIAL
# $KEY." the sink logged (KIND NOTIFY or DROP): signed with our key.
sink_lines() {
	grep -c "^$2 $ORIGIN $3 $KEY\.\$" "$D/$1/notify.log"
}

# sink_lines_ge SINK KIND SERIAL N: at least N such lines.
sink_lines_ge() {
	[ "$(sink_lines "$1" "$2" "$3")" -ge "$4" ]
}

# sink_has SINK SERIAL: the sink logs a NOTIFY with SERIAL, signed.
sink_has() {
	local i
	for i in $(seq 1 600); do
		[ "$(sink_lines "$1" NOTIFY "$2")" -ge 1 ] && return 0
		sleep 0.1
	done
	cat "$D/$1/notify.log" >&2
	atf_fail "$1 got no NOTIFY of serial $2 signed with $KEY (its log" \
	    "above)"
}

# field_is FIELD OP N: nout_field FIELD compares OP (-eq, -ge) with N.
field_is() {
	local v
	v=$(nout_field "$1")
	[ -n "$v" ] && [ "$v" "$2" "$3" ]
}

# stat_is NAME N: the show stats counter NAME is N.
stat_is() {
	[ "$(stat_field "$1")" = "$2" ]
}

# toggle: a proxy toggle of one name, a new served serial; echoes it.
toggle() {
	local s0 name i s
	s0=$(zone_field served)
	name=$(awk '$1 ~ /^host[0-9]+\./ && $4 == "A" { print $1; exit }' \
	    "$D/zone")
	ctl proxy "$ZONE" "$name" on >/dev/null ||
	    atf_fail "secctl proxy $ZONE $name on failed"
	for i in $(seq 1 300); do
		s=$(zone_field served)
		[ -n "$s" ] && [ "$s" != "$s0" ] && { echo "$s"; return 0; }
		sleep 0.1
	done
	atf_fail "the toggle did not change the served serial ($s0)"
}

# nout_stop_clean: secd stops, and its log has no sanitizer report.
nout_stop_clean() {
	stop_secd "$D"
	! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' \
	    "$D/secd.log" || atf_fail "sanitizer report: $(grep -m5 \
	    'runtime error\|Sanitizer' "$D/secd.log")"
}

atf_test_case notify_out_after_toggle cleanup
notify_out_after_toggle_head() {
	atf_set descr "notify with a key: the served serial at start, and" \
	    "the new one after a proxy toggle, each in a NOTIFY signed" \
	    "with the key; show zones and show stats count them"
	atf_set require.user root
}
notify_out_after_toggle_body() {
	local s1
	nout_setup sink
	sink_has sink 2024010101
	s1=$(toggle)
	[ "$s1" != 2024010101 ] || atf_fail "served serial $s1 after a toggle"
	sink_has sink "$s1"
	nout_wait "2 NOTIFYs acknowledged" field_is acked -ge 2
	nout_wait "no target pending" field_is pending -eq 0
	[ "$(nout_field targets)" = 1 ] ||
	    atf_fail "show zones: notify_out targets $(nout_field targets)"
	[ "$(nout_field failed)" = 0 ] ||
	    atf_fail "show zones: notify_out failed $(nout_field failed):" \
	    "$(nout_field last_failure)"
	[ "$(stat_field notify_out_acked)" -ge 2 ] &&
	    [ "$(stat_field notify_out_sent)" -ge 2 ] &&
	    [ "$(stat_field notify_out_pending)" = 0 ] ||
	    atf_fail "show stats: notify_out_sent" \
	    "$(stat_field notify_out_sent) acked" \
	    "$(stat_field notify_out_acked) pending" \
	    "$(stat_field notify_out_pending)"
	grep -v "^NOTIFY $ORIGIN [0-9]* $KEY\.\$" "$D/sink/notify.log" &&
	    atf_fail "the sink logged another line than a signed NOTIFY" \
	    "(above)"
	nout_stop_clean
}
notify_out_after_toggle_cleanup() { nout_cleanup; }

atf_test_case notify_out_after_ixfr cleanup
notify_out_after_ixfr_head() {
	atf_set descr "a new upstream serial (NSD reloaded, NOTIFY to secd," \
	    "IXFR or AXFR): the NOTIFY out carries the new served serial"
	atf_set require.user root
}
notify_out_after_ixfr_body() {
	local i s
	nout_setup sink
	sink_has sink 2024010101
	sed -i 's/ 2024010101 / 2024020202 /' "$D/peer/nsd.zone"
	echo "notified.$ORIGIN 300 IN A 198.51.100.53" >>"$D/peer/nsd.zone"
	reload_peer nsd "$D/peer" || atf_fail "reload_peer nsd failed"
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PP" "$ORIGIN")" = 2024020202 ] && break
		sleep 0.1
	done
	send_notify "$ZONE" --key "$KEY" hmac-sha256 "$S"
	answer_is "rcode NOERROR tsig NOERROR signed ok"
	wait_served 2024020202
	s=$(zone_field served)
	[ "$s" = 2024020202 ] ||
	    atf_fail "served serial $s, expected the upstream 2024020202"
	sink_has sink 2024020202
	nout_wait "2 NOTIFYs acknowledged" field_is acked -ge 2
	nout_stop_clean
}
notify_out_after_ixfr_cleanup() { nout_cleanup; }

atf_test_case notify_out_retried cleanup
notify_out_retried_head() {
	atf_set descr "a target that drops the first 2 NOTIFYs gets the" \
	    "third and acknowledges it; show zones counts 3 sent, 2" \
	    "failed, 1 acknowledged"
	atf_set require.user root
}
notify_out_retried_body() {
	local why note
	PEER_SINK_DROP=2 nout_setup sink
	sink_has sink 2024010101
	nout_wait "the NOTIFY acknowledged" field_is acked -eq 1
	nout_wait "no target pending" field_is pending -eq 0
	[ "$(sink_lines sink DROP 2024010101)" = 2 ] ||
	    atf_fail "the sink dropped $(sink_lines sink DROP 2024010101)" \
	    "NOTIFYs, expected 2: $(cat "$D/sink/notify.log")"
	[ "$(nout_field sent)" = 3 ] && [ "$(nout_field failed)" = 2 ] ||
	    atf_fail "show zones: notify_out sent $(nout_field sent)" \
	    "failed $(nout_field failed), expected 3 and 2"
	why="127\.0\.0\.1:$SP: serial 2024010101: no answer to try 2"
	nout_field last_failure | grep -q "^$why\$" ||
	    atf_fail "show zones: last failure '$(nout_field last_failure)'"
	note="$ZONE: NOTIFY out: 0 of 1 targets pending; 3 sent, 1"
	note="$note acknowledged, 2 failed; last failure .* ago: $why"
	ctl show zones | grep -q "^$note\$" ||
	    atf_fail "show zones: no NOTIFY out note: $(ctl show zones)"
	nout_stop_clean
}
notify_out_retried_cleanup() { nout_cleanup; }

atf_test_case notify_out_refused_counted cleanup
notify_out_refused_counted_head() {
	atf_set descr "a target answering REFUSED and one with another" \
	    "secret for the key (NOTAUTH BADSIG): each try a failure," \
	    "counted and logged with the reason, tried again, xfrd lives"
	atf_set require.user root
}
notify_out_refused_counted_body() {
	local xfrd re
	BADKEY2=$(tsig_secret 32) PEER_SINK_RCODE=REFUSED nout_setup sink sink2
	xfrd=$(child_titled "$D" xfrd) || atf_fail "no xfrd process"
	re="zone $ZONE: NOTIFY of serial 2024010101 to 127\.0\.0"
	log_has "$re\.1:$SP: answered REFUSED; next try in [0-9]+ s" \
	    "REFUSED logged"
	log_has "$re\.2:$SP2: answered NOTAUTH, TSIG peer reports BADSIG" \
	    "BADSIG logged"
	# each target tried again after its failure
	nout_wait "4 failed tries" field_is failed -ge 4
	[ "$(sink_lines sink NOTIFY 2024010101)" -ge 2 ] ||
	    atf_fail "sink: $(cat "$D/sink/notify.log")"
	grep -q '^BAD BadSignature$' "$D/sink2/notify.log" ||
	    atf_fail "sink2: $(cat "$D/sink2/notify.log")"
	[ "$(nout_field acked)" = 0 ] && [ "$(nout_field pending)" = 2 ] ||
	    atf_fail "show zones: notify_out acked $(nout_field acked)" \
	    "pending $(nout_field pending), expected 0 and 2"
	[ "$(stat_field notify_out_failed)" -ge 4 ] &&
	    [ "$(stat_field notify_out_pending)" = 2 ] ||
	    atf_fail "show stats: notify_out_failed" \
	    "$(stat_field notify_out_failed) pending" \
	    "$(stat_field notify_out_pending)"
	ctl show zones | grep -q "^$ZONE: NOTIFY out: 2 of 2 targets pending" ||
	    atf_fail "show zones: no NOTIFY out note: $(ctl show zones)"
	[ "$(child_titled "$D" xfrd)" = "$xfrd" ] ||
	    atf_fail "xfrd (pid $xfrd) was restarted"
	nout_stop_clean
}
notify_out_refused_counted_cleanup() { nout_cleanup; }

atf_test_case notify_out_targets_reload cleanup
notify_out_targets_reload_head() {
	atf_set descr "a target that never answers, removed by a reload:" \
	    "its tries stop, the next serial goes to the other target only"
	atf_set require.user root
}
notify_out_targets_reload_body() {
	local n s1
	PEER_SINK_DROP=1000 nout_setup sink sink2
	sink_has sink2 2024010101
	nout_wait "the dropping target tried twice" \
	    sink_lines_ge sink DROP 2024010101 2
	[ "$(nout_field pending)" = 1 ] ||
	    atf_fail "show zones: notify_out pending $(nout_field pending)"
	sed -i "/notify 127\.0\.0\.1 port $SP /d" "$D/secd.conf"
	ctl reload >/dev/null || atf_fail "secctl reload failed"
	nout_wait "no target pending after the reload" field_is pending -eq 0
	log_has "zone $ZONE: notify 127\.0\.0\.1:$SP is no longer configured" \
	    "dropped target"
	[ "$(nout_field targets)" = 1 ] ||
	    atf_fail "show zones: notify_out targets $(nout_field targets)"
	n=$(wc -l <"$D/sink/notify.log")
	s1=$(toggle)
	sink_has sink2 "$s1"
	nout_wait "the new serial acknowledged" field_is pending -eq 0
	grep -q " $s1 " "$D/sink/notify.log" &&
	    atf_fail "the removed target got serial $s1"
	[ "$(wc -l <"$D/sink/notify.log")" = "$n" ] ||
	    atf_fail "the removed target got more NOTIFYs:" \
	    "$(tail -n +$((n + 1)) "$D/sink/notify.log")"
	nout_stop_clean
}
notify_out_targets_reload_cleanup() { nout_cleanup; }

atf_test_case notify_out_zone_removed cleanup
notify_out_zone_removed_head() {
	atf_set descr "a zone whose target never answers, removed by a" \
	    "reload: its tries stop, show stats has no target pending"
	atf_set require.user root
}
notify_out_zone_removed_body() {
	PEER_SINK_DROP=1000 nout_setup sink
	nout_wait "the dropping target tried twice" \
	    sink_lines_ge sink DROP 2024010101 2
	[ "$(stat_field notify_out_pending)" = 1 ] ||
	    atf_fail "show stats: notify_out_pending" \
	    "$(stat_field notify_out_pending)"
	sed -i '/^zone "/,/^}/d' "$D/secd.conf"
	ctl reload >/dev/null || atf_fail "secctl reload failed"
	log_has "zone $ZONE: no longer configured" "the zone's removal"
	nout_wait "no target pending after the reload" stat_is \
	    notify_out_pending 0
	nout_stop_clean
}
notify_out_zone_removed_cleanup() { nout_cleanup; }

atf_init_test_cases() {
	atf_add_test_case signed_ok
	atf_add_test_case signed_ok_tcp
	atf_add_test_case unsigned
	atf_add_test_case other_source
	atf_add_test_case unknown_key
	atf_add_test_case wrong_secret
	atf_add_test_case bad_mac
	atf_add_test_case bad_time
	atf_add_test_case other_zone
	atf_add_test_case serial_not_newer
	atf_add_test_case rate_limit
	atf_add_test_case flood_bounded
	atf_add_test_case notify_out_after_toggle
	atf_add_test_case notify_out_after_ixfr
	atf_add_test_case notify_out_retried
	atf_add_test_case notify_out_refused_counted
	atf_add_test_case notify_out_targets_reload
	atf_add_test_case notify_out_zone_removed
}
