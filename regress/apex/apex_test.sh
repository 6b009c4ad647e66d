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

# The apex CNAME (secctl(8) apex) end to end.  BIND is the hidden
# primary of a dynamic zone (changed by nsupdate, NOTIFY and IXFR to
# secd); NSD is the "resolver": authoritative for other.test, where the
# out-of-zone targets live.  "secctl apex ZONE cname TARGET [proxied]"
# hides the transferred apex A/AAAA and answers the apex with the proxy
# set, or with the addresses at the end of TARGET's chain (in the zone as
# served, or asked of the resolver); no CNAME is ever served at the apex
# and SOA, NS, MX, TXT there stay as transferred.  Refusals change
# nothing; the apex CNAME survives restart, kill -9 and retransfer; audit
# finds no leak.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3
APEXCHECK=$(atf_get_srcdir)/../lib/apexcheck.py

# The proxy set and its TTL (none of the zone's TTLs, so that an answer
# with another TTL shows).
P4=203.0.113.80,203.0.113.81
P6=2001:db8:ffff::80
PTTL=77

# The transferred apex addresses an apex CNAME hides: no answer may show
# them then.
HIDDEN=10.9.0.1,10.9.0.2,2001:db8:9::1

# mkzone FILE: example.test at serial 2024010101.  Every address appears
# once, but for twin, which shares one with the apex (audit's "exposed").
mkzone() {
	local i
	{
		cat <<EOF
\$ORIGIN $ORIGIN
@ 3600 IN SOA ns1 hostmaster 2024010101 3600 900 1209600 300
@	3600	IN NS	ns1
@	300	IN A	10.9.0.1
@	300	IN A	10.9.0.2
@	300	IN AAAA	2001:db8:9::1
@	3600	IN MX	10 mail
@	3600	IN TXT	"apex text"
ns1	3600	IN A	192.0.2.53
mail	3600	IN A	192.0.2.25
; the target in the zone: www -> lb; lb2 has an A only
www	300	IN CNAME lb
lb	600	IN A	10.1.0.1
lb	600	IN A	10.1.0.2
lb	600	IN AAAA	2001:db8:1::1
lb2	900	IN A	10.3.0.1
; a CNAME to the apex: a target that leads back
back	300	IN CNAME @
; leaves the zone: the resolver is asked for lb2.other.test
out	300	IN CNAME lb2.other.test.
; an address of the apex at another name
twin	300	IN A	10.9.0.2
EOF
		# a chain of 20 CNAMEs to lb: longer than secd follows
		for i in $(seq 1 19); do
			echo "long$i	300	IN CNAME long$((i + 1))"
		done
		echo "long20	300	IN CNAME lb"
	} >"$1"
}

# mkother FILE: other.test, the resolver's zone: TTL 1 at the targets so
# that secd asks again as soon as it may (30 s on).
mkother() {
	cat >"$1" <<EOF
\$ORIGIN other.test.
@ 3600 IN SOA ns1 hostmaster 1 3600 900 1209600 300
@	3600	IN NS	ns1
ns1	3600	IN A	192.0.2.53
lb	1	IN A	10.2.0.1
lb	1	IN AAAA	2001:db8:2::1
alias	1	IN CNAME lb
lb2	1	IN A	10.2.0.2
lb2	1	IN A	10.2.0.3
lb2	1	IN AAAA	2001:db8:2::2
www	300	IN A	10.2.0.9
EOF
}

# setup: ports for secd ($PORT), BIND ($PP) and NSD ($PR), the TSIG
# secret ($S) and the zone files.
setup() {
	D=$(pwd)
	PORTS=
	newport PORT
	newport PP
	newport PR
	S=$(tsig_secret 32)
	mkzone "$D/zone"
	mkother "$D/other"
}

# proxy_block INDENT: a proxy { } block with the test's set.
proxy_block() {
	local a
	printf '%sproxy {\n' "$1"
	for a in $(echo "$P4,$P6" | tr , ' '); do
		printf '%s\taddress %s\n' "$1" "$a"
	done
	printf '%s\tttl %s\n%s}\n' "$1" "$PTTL" "$1"
}

# conf [local]: secd.conf with the resolver (NSD) and example.test from
# BIND (signed transfers and NOTIFY); the proxy set global, or with
# "local" in example.test's block only.  Tests add zones after it.
conf() {
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 2
listen on 127.0.0.1 port $PORT
resolver 127.0.0.1 port $PR

tsig key "k" {
	algorithm hmac-sha256
	secret "$S"
}

CONF
		[ "${1:-}" = local ] || proxy_block ""
		printf 'zone "%s" {\n\tprimary 127.0.0.1 port %s tsig "k"\n' \
		    "$ZONE" "$PP"
		printf '\tallow notify from 127.0.0.1 tsig "k"\n'
		[ "${1:-}" = local ] && proxy_block "	"
		echo "}"
	} >"$D/secd.conf"
}

# start_peers: BIND for example.test (NOTIFY to secd), NSD for other.test.
start_peers() {
	mkdir -p "$D/bind" "$D/nsd"
	PEER_NOTIFY="127.0.0.1 $PORT" start_bind "$D/bind" "$PP" "$ORIGIN" \
	    "$D/zone" k hmac-sha256 "$S"
	start_nsd "$D/nsd" "$PR" other.test. "$D/other"
}

# start: the peers and secd serving example.test; its show zone without
# an apex CNAME in $D/before.json.
start() {
	setup
	start_peers
	conf
	start_secd "$D"
	wait_served 2024010101 1
	ctl -j show zone "$ZONE" >"$D/before.json" ||
	    atf_fail "secctl show zone failed"
}

# apex_cleanup: secd, badprimary.py, BIND and NSD stopped.
apex_cleanup() { secondary_cleanup bind nsd; }

# apex CMD...: "secctl apex" succeeds (it returns once the change is
# served).
apex() {
	ctl apex "$@" >"$D/apex.out" 2>"$D/apex.err" ||
	    atf_fail "secctl apex $* failed (exit $?): $(cat "$D/apex.err")"
}

# answers WHAT [--hidden ADDRS] CHECK...: apexcheck.py's checks of the
# answers (see there) over UDP and TCP, with EDNS and without.
answers() {
	local what=$1
	shift
	$PY "$APEXCHECK" answers --port "$PORT" --origin "$ORIGIN" \
	    --primary "$PP" "$@" >"$D/check.out" 2>&1 || {
		head -20 "$D/check.out" >&2
		atf_fail "$what: the answers at the apex are wrong (above)"
	}
}

# hidden WHAT CHECK...: answers, and none with a transferred apex address.
hidden() {
	local what=$1
	shift
	answers "$what" --hidden "$HIDDEN" "$@"
}

# rows WHAT ARGS...: "secctl -j show zone" passes apexcheck.py rows ARGS.
rows() {
	local what=$1
	shift
	ctl -j show zone "$ZONE" >"$D/rows.json" ||
	    atf_fail "$what: secctl show zone failed"
	$PY "$APEXCHECK" rows --json "$D/rows.json" --origin "$ORIGIN" \
	    "$@" >"$D/rows.out" 2>&1 || {
		head -20 "$D/rows.out" >&2
		atf_fail "$what: show zone is wrong (above)"
	}
}

# over_has ERE WHAT: db/ZONE.over has a line matching ERE.
over_has() {
	grep -Eq "$1" "$D/db/$ZONE.over" 2>/dev/null || {
		cat "$D/db/$ZONE.over" >&2
		atf_fail "db/$ZONE.over has no $2 (/$1/; the file above)"
	}
}

# addrs TYPE: the addresses secd answers at the apex, sorted,
# comma-separated.
addrs() {
	dig +norec +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" \
	    "$ORIGIN" "$1" 2>/dev/null | grep -E '^[0-9a-f.:]+$' |
	    sort | paste -sd, -
}

# wait_addrs TYPE ADDRS WHAT [SECONDS]: the apex answers TYPE with ADDRS
# (sorted, comma-separated), polled, at most SECONDS (default 30).
wait_addrs() {
	local i
	for i in $(seq 1 $((${4:-30} * 10))); do
		[ "$(addrs "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	tail -20 "$D/secd.log" >&2
	atf_fail "$3: the apex answers $1 with '$(addrs "$1")', expected $2"
}

# follow LINE...: the nsupdate LINEs on BIND; secd then serves BIND's new
# serial (NOTIFY, IXFR).
follow() {
	local prev serial
	prev=$(peer_serial "$PP" "$ORIGIN")
	peer_update "$PP" "$ORIGIN" k hmac-sha256 "$S" "$@" ||
	    atf_fail "nsupdate failed: $*"
	serial=$(peer_serial "$PP" "$ORIGIN")
	[ -n "$serial" ] && [ "$serial" != "$prev" ] ||
	    atf_fail "nsupdate did not change BIND's serial ($prev): $*"
	wait_served "$serial"
}

# incremental WHAT N: since the start, a change built the zone in full
# only once its image had grown by a quarter (often, on a zone this
# small), and N or more were made by the kept builder: the apex's records
# made again, the rest of the image as it was.
incremental() {
	local n
	grep "zone $ZONE: building it in full" "$D/secd.log" |
	    grep -v "grew by a quarter" >&2 &&
	    atf_fail "$1: a change built the zone in full (above)"
	n=$(grep -Ec "zone $ZONE: serving serial [0-9]+( \(served as [0-9]+\))?, \
[0-9]+ names changed" "$D/secd.log")
	[ "$n" -ge "$2" ] || {
		grep "zone $ZONE: " "$D/secd.log" >&2
		atf_fail "$1: $n changes made without a full build, not $2"
	}
}

# ---------------------------------------------------------------- proxied

atf_test_case apex_proxied cleanup
apex_proxied_head() {
	atf_set descr "apex cname proxied: apex A/AAAA are the proxy set" \
	    "with the proxy TTL, no CNAME at the apex, SOA/NS/MX/TXT as" \
	    "transferred, show zone says so; clear brings the apex back"
	atf_set require.user root
}
apex_proxied_body() {
	start
	# served when secctl returns: no polling
	atf_check -s exit:0 -e empty -o match:'proxied' \
	    "$(SECCTL)" -s "$D/secd.sock" apex "$ZONE" cname \
	    www.example.test proxied
	hidden "proxied apex" "A=$P4@$PTTL" "AAAA=$P6@$PTTL" CNAME= \
	    SOA=primary NS=primary MX=primary TXT=primary ANY=any \
	    "back/A=$P4@$PTTL" "back/AAAA=$P6@$PTTL" "www/A=primary"
	rows "proxied apex" --cname proxied www.example.test --ttl "$PTTL" \
	    --before "$D/before.json"
	ctl show zone "$ZONE" | grep -Eq \
	    "^CNAME +example\.test\. +www\.example\.test\. +proxied +$PTTL\$" ||
	    atf_fail "show zone (text) has no apex CNAME row:" \
	    "$(ctl show zone "$ZONE" | grep '^CNAME')"
	over_has '^apex cname www\.example\.test\. proxied [0-9]+ ' \
	    "apex cname line"
	atf_check -s exit:0 -e empty -o match:'cleared' \
	    "$(SECCTL)" -s "$D/secd.sock" apex "$ZONE" clear
	answers "cleared apex" A=primary AAAA=primary CNAME=primary \
	    SOA=primary MX=primary back/A=primary
	rows "cleared apex" --before "$D/before.json"
	grep -q '^apex ' "$D/db/$ZONE.over" &&
	    atf_fail "db/$ZONE.over keeps an apex line after clear:" \
	    "$(grep '^apex ' "$D/db/$ZONE.over")"
	return 0
}
apex_proxied_cleanup() { apex_cleanup; }

# -------------------------------------------------------- flattened, in

atf_test_case flattened_in_zone cleanup
flattened_in_zone_head() {
	atf_set descr "apex cname to a name of the zone: the apex has the" \
	    "addresses at the end of its chain; a change of the chain on" \
	    "the primary (IXFR) moves the apex; a proxied target gives the" \
	    "proxy set"
	atf_set require.user root
}
flattened_in_zone_body() {
	start
	apex "$ZONE" cname www.example.test
	hidden "flattened to www -> lb" "A=10.1.0.1,10.1.0.2@600" \
	    "AAAA=2001:db8:1::1@600" CNAME= MX=primary TXT=primary \
	    NS=primary "back/A=10.1.0.1,10.1.0.2@600"
	rows "flattened to www -> lb" --cname flattened www.example.test \
	    --ttl 600 --before "$D/before.json"
	over_has '^apex cname www\.example\.test\. flattened [0-9]+ ' \
	    "apex cname line"

	# lb itself: the same addresses; no name changes in the image
	apex "$ZONE" cname lb.example.test
	log_has "zone $ZONE: serving serial 2024010101( \(served as \
[0-9]+\))?, 0 names changed" \
	    "the apex CNAME to lb"
	over_has '^apex cname lb\.example\.test\. flattened ' "lb's line"
	hidden "flattened to lb" "A=10.1.0.1,10.1.0.2@600" \
	    "AAAA=2001:db8:1::1@600" CNAME=
	apex "$ZONE" cname www.example.test

	# lb's A changes on the primary
	follow "update delete lb.example.test. A" \
	    "update add lb.example.test. 600 IN A 10.1.0.9"
	[ "$(zone_field kind)" = ixfr ] ||
	    atf_fail "the change came by '$(zone_field kind)', not IXFR"
	wait_addrs A 10.1.0.9 "lb's A changed by IXFR"
	hidden "lb's A changed by IXFR" "A=10.1.0.9@600" \
	    "AAAA=2001:db8:1::1@600" CNAME= "back/A=10.1.0.9@600"

	# www now points at lb2, which has no AAAA
	follow "update delete www.example.test. CNAME" \
	    "update add www.example.test. 300 IN CNAME lb2.example.test."
	wait_addrs A 10.3.0.1 "www moved to lb2 by IXFR"
	hidden "www moved to lb2 by IXFR" "A=10.3.0.1@900" AAAA= CNAME= \
	    MX=primary
	rows "www moved to lb2" --cname flattened www.example.test --ttl 900

	# lb2 proxied: the apex gets the proxy set (secctl returns once
	# served), and back when it is not
	atf_check -s exit:0 -e empty -o ignore \
	    "$(SECCTL)" -s "$D/secd.sock" proxy "$ZONE" lb2.example.test on
	hidden "lb2 proxied" "A=$P4@$PTTL" "AAAA=$P6@$PTTL" CNAME= \
	    "back/A=$P4@$PTTL"
	atf_check -s exit:0 -e empty -o ignore \
	    "$(SECCTL)" -s "$D/secd.sock" proxy "$ZONE" lb2.example.test off
	hidden "lb2 no longer proxied" "A=10.3.0.1@900" AAAA= CNAME=
	atf_check -s exit:0 -e empty -o ignore \
	    "$(SECCTL)" -s "$D/secd.sock" proxy "$ZONE" lb2.example.test on
	hidden "lb2 proxied again" "A=$P4@$PTTL" "AAAA=$P6@$PTTL"
	# the row's TTL is that of the apex addresses served (secctl.8)
	rows "lb2 proxied" --cname flattened www.example.test --ttl "$PTTL"
	# the apex CNAME, 2 IXFRs and 3 toggles: 2/3 of them at least
	incremental "apex CNAME in the zone" 4
}
flattened_in_zone_cleanup() { apex_cleanup; }

# ------------------------------------------------------- flattened, out

atf_test_case flattened_out_of_zone cleanup
flattened_out_of_zone_head() {
	atf_set descr "apex cname out of the zone: xfrd asks the resolver" \
	    "(CNAMEs followed); when the resolver stops answering, the last" \
	    "good answer stays served and show zone has a warning row"
	atf_set require.user root
	atf_set timeout 300
}
flattened_out_of_zone_body() {
	local ttl line i re
	start
	# alias.other.test is a CNAME to lb.other.test at the resolver
	apex "$ZONE" cname alias.other.test
	wait_addrs A 10.2.0.1 "flattened to alias.other.test"
	wait_addrs AAAA 2001:db8:2::1 "flattened to alias.other.test"
	hidden "flattened to alias.other.test" A=10.2.0.1 \
	    AAAA=2001:db8:2::1 CNAME= SOA=primary MX=primary TXT=primary \
	    back/A=10.2.0.1
	ttl=$(dig +norec +noall +answer @127.0.0.1 -p "$PORT" "$ORIGIN" A |
	    awk '{ print $2; exit }')
	rows "flattened to alias.other.test" --cname flattened \
	    alias.other.test --ttl "$ttl" --before "$D/before.json"
	over_has \
	    '^apex resolved alias\.other\.test\. [0-9]+ [0-9]+ .*10\.2\.0\.1' \
	    "resolver's answer for alias.other.test"
	over_has '^apex resolved alias\.other\.test\. .*2001:db8:2::1' \
	    "resolver's AAAA for alias.other.test"

	# out.example.test leaves the zone at lb2.other.test
	apex "$ZONE" cname out.example.test
	wait_addrs A 10.2.0.2,10.2.0.3 "flattened to out -> lb2.other.test"
	wait_addrs AAAA 2001:db8:2::2 "flattened to out -> lb2.other.test"
	hidden "flattened to out -> lb2.other.test" A=10.2.0.2,10.2.0.3 \
	    AAAA=2001:db8:2::2 CNAME= MX=primary
	over_has '^apex resolved lb2\.other\.test\. ' \
	    "resolver's answer for lb2.other.test"
	line=$(grep '^apex resolved ' "$D/db/$ZONE.over")
	# two apex CNAMEs and a resolver's answer for each: 3 of them
	incremental "apex CNAME out of the zone" 3

	# The resolver goes away.  TTL 1: asked again 30 s on, 3 tries 2 s
	# apart; polled with room to spare.
	stop_nsd "$D/nsd"
	for i in $(seq 1 180); do
		ctl -j show zone "$ZONE" | grep -q '"proxy":"warning"' && break
		sleep 1
	done
	rows "resolver stopped" --cname flattened out.example.test \
	    --warning 'lb2\.other\.test' --before "$D/before.json"
	ctl show zone "$ZONE" | grep -Eq '^- +example\.test\. .*warning' ||
	    atf_fail "show zone (text) has no warning row"
	re="zone $ZONE: apex CNAME: resolving lb2\\.other\\.test\\.: "
	re="${re}resolver 127\\.0\\.0\\.1:$PR: .*"
	log_has "${re}keeping the last good answer" \
	    "warning that the resolver failed, naming it"
	hidden "resolver stopped" A=10.2.0.2,10.2.0.3 AAAA=2001:db8:2::2 \
	    CNAME= MX=primary
	[ "$(grep '^apex resolved ' "$D/db/$ZONE.over")" = "$line" ] ||
	    atf_fail "the stored answer changed: '$line' became" \
	    "'$(grep '^apex resolved ' "$D/db/$ZONE.over")'"
}
flattened_out_of_zone_cleanup() { apex_cleanup; }

# --------------------------------------------------------------- refusals

# snapshot TAG: what a refusal must not change: show zone of each zone
# with data, every db/*.over (or its absence), the apex addresses.
snapshot() {
	local z
	for z in "$ZONE" other.test signed.test; do
		ctl -j show zone "$z" >"$D/snap.$1.$z" 2>&1 ||
		    atf_fail "secctl show zone $z failed"
		cat "$D/db/$z.over" >"$D/snap.$1.$z.over" 2>/dev/null ||
		    echo none >"$D/snap.$1.$z.over"
	done
	{ addrs A; addrs AAAA; } >"$D/snap.$1.addrs"
}

# refused ERE ARGS...: "secctl apex ARGS" exits 1 with ERE in its reason
# on stderr, nothing on stdout, and changes nothing.
refused() {
	local ere=$1 f
	shift
	snapshot pre
	atf_check -s exit:1 -o empty -e match:"^secctl: apex.*$ere" \
	    "$(SECCTL)" -s "$D/secd.sock" apex "$@"
	snapshot post
	for f in "$D"/snap.pre.*; do
		cmp -s "$f" "$D/snap.post.${f#"$D"/snap.pre.}" || {
			diff "$f" "$D/snap.post.${f#"$D"/snap.pre.}" >&2
			atf_fail "refused apex $*: ${f#"$D"/snap.pre.}" \
			    "changed (diff above)"
		}
	done
}

# unchanged ARGS...: "secctl apex ARGS" exits 0 and changes nothing.
unchanged() {
	local f
	snapshot pre
	atf_check -s exit:0 -o ignore -e empty \
	    "$(SECCTL)" -s "$D/secd.sock" apex "$@"
	snapshot post
	for f in "$D"/snap.pre.*; do
		cmp -s "$f" "$D/snap.post.${f#"$D"/snap.pre.}" || {
			diff "$f" "$D/snap.post.${f#"$D"/snap.pre.}" >&2
			atf_fail "apex $* (nothing to do):" \
			    "${f#"$D"/snap.pre.} changed (diff above)"
		}
	done
}

# b64: base64 of 64 random octets (key and signature data).
b64() { head -c 64 /dev/urandom | base64 -w0; }

# every_refusal: each refusal of secctl.8, with and without proxied.
every_refusal() {
	refused 'not configured' nothere.test cname www.nothere.test
	refused 'not configured' nothere.test cname www.nothere.test proxied
	refused 'not configured' nothere.test clear
	refused 'no data' nodata.test cname www.nodata.test
	refused 'no data' nodata.test cname www.nodata.test proxied
	refused 'apex itself' "$ZONE" cname example.test
	refused 'apex itself' "$ZONE" cname EXAMPLE.Test. proxied
	refused 'leads back' "$ZONE" cname back.example.test
	refused 'leads back' "$ZONE" cname back.example.test proxied
	refused 'more than 16' "$ZONE" cname long1.example.test
	refused 'DNSSEC' signed.test cname www.signed.test
	refused 'DNSSEC' signed.test cname www.signed.test proxied
	refused 'no proxy addresses' other.test cname www.other.test proxied
}

atf_test_case refusals cleanup
refusals_head() {
	atf_set descr "every refusal of apex exits 1 with the reason and" \
	    "changes nothing (show zone, db/ZONE.over, answers), with and" \
	    "without an apex CNAME in place; the same CNAME again and a" \
	    "clear without one succeed and change nothing"
	atf_set require.user root
}
refusals_body() {
	local ps pn i t="20300101000000 20240101000000 12345"
	setup
	newport ps
	newport pn		# nothing listens there: nodata.test
	start_peers
	# signed.test carries DNSKEY and RRSIG (not validated: well formed)
	cat >"$D/signed" <<EOF
\$ORIGIN signed.test.
@ 3600 IN SOA ns1 hostmaster 2024010101 3600 900 1209600 300
@	3600	IN NS	ns1
ns1	3600	IN A	192.0.2.53
www	300	IN A	10.5.0.1
@	3600	IN DNSKEY 257 3 13 $(b64)
www	300	IN RRSIG A 13 3 300 $t signed.test. $(b64)
EOF
	$PY "$BADPRIMARY" "$ps" signed.test. "$D/signed" >>"$D/bad.log" 2>&1 &
	echo $! >"$D/bad.pid"
	for i in $(seq 1 100); do
		[ "$(peer_serial "$ps" signed.test.)" = 2024010101 ] && break
		sleep 0.1
	done
	[ "$(peer_serial "$ps" signed.test.)" = 2024010101 ] || {
		cat "$D/bad.log" >&2
		atf_fail "badprimary.py did not start (log above)"
	}
	# the proxy set is example.test's and signed.test's only: other.test
	# (from NSD) has none
	conf local
	{
		printf 'zone "other.test" {\n\tprimary 127.0.0.1 port %s\n}\n' \
		    "$PR"
		printf 'zone "signed.test" {\n\tprimary 127.0.0.1 port %s\n' \
		    "$ps"
		proxy_block "	"
		printf '}\nzone "nodata.test" {\n'
		printf '\tprimary 127.0.0.1 port %s\n' "$pn"
		proxy_block "	"
		echo "}"
	} >>"$D/secd.conf"
	start_secd "$D"
	wait_served 2024010101
	for i in $(seq 1 300); do
		ctl -j show zones | $PY -c '
import json, sys
z = {z["zone"]: z["serial"] for z in json.load(sys.stdin)["zones"]}
sys.exit(0 if z.get("other.test") and z.get("signed.test") else 1)' &&
		    break
		sleep 0.1
	done
	ctl show zones | grep -Eq '^signed\.test +2024010101 ' &&
	    ctl show zones | grep -Eq '^other\.test +1 ' || {
		ctl show zones >&2
		atf_fail "other.test and signed.test not transferred"
	}

	every_refusal
	unchanged other.test clear
	unchanged "$ZONE" clear
	# flattened is allowed without proxy addresses
	apex other.test cname www.other.test
	apex other.test clear

	# an apex CNAME in place: every refusal keeps it
	apex "$ZONE" cname www.example.test proxied
	hidden "proxied apex" "A=$P4@$PTTL" "AAAA=$P6@$PTTL" CNAME=
	every_refusal
	unchanged "$ZONE" cname www.example.test proxied
	unchanged "$ZONE" cname WWW.Example.TEST. proxied
	hidden "proxied apex after the refusals" "A=$P4@$PTTL" \
	    "AAAA=$P6@$PTTL" CNAME=
}
refusals_cleanup() { apex_cleanup; }

# ---------------------------------------------------------------- survives

# restart_checks WHAT CHECK...: once secd serves the zone again (its SOA
# answered), the apex answers pass CHECKs at once, show zone has the same
# rows as before the event ($D/keep.json, a warning row aside) and
# db/ZONE.over is unchanged ($D/keep.over).
restart_checks() {
	local what=$1 i
	shift
	for i in $(seq 1 300); do
		[ -n "$(served_serial)" ] && break
		sleep 0.1
	done
	hidden "$what" "$@"
	rows "$what" --cname "$KIND" "$TARGET" --warning-ok \
	    --before "$D/before.json"
	ctl -j show zone "$ZONE" | $PY -c '
import json, sys
def rows(f):
    return sorted(json.dumps(r, sort_keys=True) for r in
        json.load(f)["records"] if r["proxy"] != "warning")
sys.exit(0 if rows(sys.stdin) == rows(open(sys.argv[1])) else 1)' \
	    "$D/keep.json" || atf_fail "$what: show zone changed"
	cmp -s "$D/db/$ZONE.over" "$D/keep.over" || {
		diff "$D/keep.over" "$D/db/$ZONE.over" >&2
		atf_fail "$what: db/$ZONE.over changed (diff above)"
	}
}

# survive CHECK...: with the apex CNAME $KIND $TARGET in place, the apex
# answers pass CHECKs after a restart, kill -9 of zoned then a start,
# kill -9 of every process then a start, a retransfer and an IXFR.
survive() {
	local pid k pids i
	ctl -j show zone "$ZONE" >"$D/keep.json"
	cp "$D/db/$ZONE.over" "$D/keep.over"

	stop_secd "$D"
	start_secd "$D"
	restart_checks "after a restart" "$@"

	pid=$(child_titled "$D" zoned) || atf_fail "no zoned process"
	kill -9 "$pid"
	wait_exit "$D"		# the parent shuts down without zoned
	start_secd "$D"
	restart_checks "after kill -9 of zoned" "$@"

	pids="$(cat "$D/secd.pid") $(child_pids "$D")"
	kill -9 $pids
	for i in $(seq 1 100); do
		k=0
		for pid in $pids; do
			kill -0 "$pid" 2>/dev/null && k=1
		done
		[ $k = 0 ] && break
		sleep 0.1
	done
	wait "$(cat "$D/secd.pid")" 2>/dev/null
	rm -f "$D/secd.pid"
	start_secd "$D"
	restart_checks "after kill -9 of every process" "$@"

	ctl retransfer "$ZONE" >"$D/retransfer.out" 2>&1 ||
	    atf_fail "retransfer failed: $(cat "$D/retransfer.out")"
	restart_checks "after a retransfer" "$@"

	# an IXFR of a change elsewhere in the zone
	follow "update add new.example.test. 300 IN A 10.6.0.1"
	hidden "after an IXFR" "$@"
	rows "after an IXFR" --cname "$KIND" "$TARGET" --warning-ok
	cmp -s "$D/db/$ZONE.over" "$D/keep.over" ||
	    atf_fail "after an IXFR: db/$ZONE.over changed"
}

atf_test_case survives_proxied cleanup
survives_proxied_head() {
	atf_set descr "a proxied apex CNAME is served the same after" \
	    "restart, kill -9 of zoned, of every process, retransfer, IXFR"
	atf_set require.user root
	atf_set timeout 300
}
survives_proxied_body() {
	start
	KIND=proxied TARGET=www.example.test
	apex "$ZONE" cname "$TARGET" proxied
	survive "A=$P4@$PTTL" "AAAA=$P6@$PTTL" CNAME= MX=primary \
	    "back/A=$P4@$PTTL"
}
survives_proxied_cleanup() { apex_cleanup; }

atf_test_case survives_flattened_resolved cleanup
survives_flattened_resolved_head() {
	atf_set descr "an apex CNAME flattened through the resolver, the" \
	    "resolver stopped: the stored answer is served after restart," \
	    "kill -9 of zoned, of every process, retransfer, IXFR"
	atf_set require.user root
	atf_set timeout 300
}
survives_flattened_resolved_body() {
	start
	KIND=flattened TARGET=alias.other.test
	apex "$ZONE" cname "$TARGET"
	wait_addrs A 10.2.0.1 "flattened to alias.other.test"
	wait_addrs AAAA 2001:db8:2::1 "flattened to alias.other.test"
	stop_nsd "$D/nsd"
	survive A=10.2.0.1 AAAA=2001:db8:2::1 CNAME= MX=primary \
	    back/A=10.2.0.1
}
survives_flattened_resolved_cleanup() { apex_cleanup; }

# ------------------------------------------------------------------ audit

# audit_ok WHAT: secctl audit exits 0, its last line says 0 leaks.
audit_ok() {
	local rc=0
	ctl audit "$ZONE" >"$D/audit.out" 2>&1 || rc=$?
	[ $rc = 0 ] || {
		cat "$D/audit.out" >&2
		atf_fail "$1: secctl audit exits $rc, expected 0 (above)"
	}
	tail -1 "$D/audit.out" | grep -Eq \
	    "^zone $ZONE serial [0-9]+: .*: 0 leaks, 0 stale, [0-9]+ exposed\$" ||
	    atf_fail "$1: audit's last line: $(tail -1 "$D/audit.out")"
}

atf_test_case audit_proxied cleanup
audit_proxied_head() {
	atf_set descr "a proxied apex CNAME hides the transferred apex A:" \
	    "audit finds 0 leaks, and twin (an apex address) exposed"
	atf_set require.user root
}
audit_proxied_body() {
	start
	audit_ok "no apex CNAME"
	apex "$ZONE" cname www.example.test proxied
	audit_ok "proxied apex"
	grep -Eq 'twin\.example\.test\..*exposed' "$D/audit.out" ||
	    atf_fail "audit has no exposed row for twin (an apex address):" \
	    "$(cat "$D/audit.out")"
	tail -1 "$D/audit.out" | grep -Eq ' [1-9][0-9]* exposed$' ||
	    atf_fail "audit counts no exposed: $(tail -1 "$D/audit.out")"
	# a proxied name beside it
	atf_check -s exit:0 -o ignore -e empty \
	    "$(SECCTL)" -s "$D/secd.sock" proxy "$ZONE" lb.example.test on
	audit_ok "proxied apex and lb"
	apex "$ZONE" clear
	audit_ok "apex CNAME cleared, lb proxied"
}
audit_proxied_cleanup() { apex_cleanup; }

atf_test_case audit_flattened cleanup
audit_flattened_head() {
	atf_set descr "a flattened apex CNAME serves its target's addresses," \
	    "no origin address of a proxied name: audit finds 0 leaks"
	atf_set require.user root
}
audit_flattened_body() {
	start
	apex "$ZONE" cname www.example.test
	hidden "flattened to www -> lb" "A=10.1.0.1,10.1.0.2@600"
	audit_ok "apex flattened to www -> lb"
	atf_check -s exit:0 -o ignore -e empty \
	    "$(SECCTL)" -s "$D/secd.sock" proxy "$ZONE" lb.example.test on
	audit_ok "apex flattened to www -> lb, lb proxied"
}
audit_flattened_cleanup() { apex_cleanup; }

atf_init_test_cases() {
	atf_add_test_case apex_proxied
	atf_add_test_case flattened_in_zone
	atf_add_test_case flattened_out_of_zone
	atf_add_test_case refusals
	atf_add_test_case survives_proxied
	atf_add_test_case survives_flattened_resolved
	atf_add_test_case audit_proxied
	atf_add_test_case audit_flattened
}
