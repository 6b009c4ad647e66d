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

# The proxy override ("orange cloud", secctl(8) proxy) end to end.
# NSD is the primary of a hand-made zone with every shape a proxied name
# can have; "secctl proxy ZONE NAME on" makes secd answer A and AAAA
# there with the proxy set and its TTL (over UDP and TCP, with EDNS and
# without) and "off" brings the origin answers back.  CNAME chains,
# DNAMEs and wildcards reach proxied names; additional sections carry
# the proxy addresses; a zone's own proxy set replaces the global one,
# and a changed set is served after reload and restart; no answer of a
# 300-name zone holds an origin address of a proxied name; every refusal
# says why and changes nothing; overrides survive restart, reload,
# retransfer, IXFR, kill -9 (after and during a toggle) and concurrent
# toggles, wait dormant while their name is gone from the primary, and
# a damaged overrides file stops builds rather than leak.
# The answers are checked by regress/lib/proxycheck.py (dnspython).
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PY=/usr/bin/python3
PROXYCHECK=$(atf_get_srcdir)/../lib/proxycheck.py

# The global proxy set and its TTL: the TTL is none of the zone's, so
# that an answer with the origin's TTL shows.
G4=203.0.113.80,203.0.113.81
G6=2001:db8:ffff::80,2001:db8:ffff::81
GTTL=77

# The shapes of test 1: A only, AAAA only, both, CNAME in the zone,
# CNAME out of it, A with MX and TXT.
SHAPES="v4 v6 both www ext multi"

# mkzone FILE SERIAL [ORIGIN]: the hand-made test zone.  Every address
# of a name that may be proxied is in 10.0.0.0/8 or 2001:db8:N::/48 and
# appears once, so that a leak names its origin.
mkzone() {
	cat >"$1" <<EOF
\$ORIGIN ${3:-$ORIGIN}
\$TTL 3600
@ 3600 IN SOA ns1 hostmaster $2 3600 900 1209600 300
@		3600	IN NS	ns1
@		3600	IN NS	ns2
@		300	IN A	192.0.2.1
@		3600	IN MX	10 mail
@		3600	IN MX	20 mailp
@		3600	IN TXT	"apex"
ns1		86400	IN A	192.0.2.53
ns1		86400	IN AAAA	2001:db8::53
ns2		86400	IN A	192.0.2.54
ns2		86400	IN AAAA	2001:db8::54
; A only, AAAA only, both: several of each
v4		600	IN A	10.0.4.1
v4		600	IN A	10.0.4.2
v4		600	IN A	10.0.4.3
v6		700	IN AAAA	2001:db8:6::1
v6		700	IN AAAA	2001:db8:6::2
both		800	IN A	10.0.5.1
both		800	IN A	10.0.5.2
both		800	IN AAAA	2001:db8:5::1
both		800	IN AAAA	2001:db8:5::2
; a CNAME to a name of the zone, one out of it
www		300	IN CNAME target
target		1200	IN A	10.0.7.1
target		1200	IN AAAA	2001:db8:7::1
ext		300	IN CNAME www.example.net.
; A with MX and TXT
multi		900	IN A	10.0.8.1
multi		900	IN MX	10 mail
multi		900	IN TXT	"multi purpose"
; a chain c1 -> c2 -> end
c1		300	IN CNAME c2
c2		300	IN CNAME end
end		500	IN A	10.0.9.1
end		500	IN AAAA	2001:db8:9::1
end		500	IN TXT	"end of the chain"
; a wildcard, a name beside it, a CNAME into it
*.w		400	IN A	10.0.10.1
*.w		400	IN AAAA	2001:db8:10::1
*.w		400	IN TXT	"wildcard"
explicit.w	400	IN A	10.0.10.2
tow		300	IN CNAME x.w
; MX and SRV whose targets get proxied, beside one that is not
mail		3600	IN A	10.0.11.1
mail		3600	IN AAAA	2001:db8:11::1
mx		3600	IN MX	10 mailp
mx		3600	IN MX	20 mail
mailp		3600	IN A	10.0.12.1
mailp		3600	IN A	10.0.12.2
mailp		3600	IN AAAA	2001:db8:12::1
_sip._tcp	3600	IN SRV	10 60 5060 sipp
sipp		3600	IN A	10.0.13.1
sipp		3600	IN AAAA	2001:db8:13::1
; a delegation with glue
sub		3600	IN NS	ns1.sub
sub		3600	IN NS	ns2.sub
ns1.sub		3600	IN A	10.0.14.1
ns1.sub		3600	IN AAAA	2001:db8:14::1
ns2.sub		3600	IN A	10.0.14.2
; a delegation to names of the zone (sibling glue) that get proxied
sib		3600	IN NS	ns2
sib		3600	IN NS	v6
; a DNAME onto a subtree that has a name that gets proxied
dnin		3600	IN DNAME tgt
www.tgt		600	IN A	10.0.17.1
www.tgt		600	IN AAAA	2001:db8:17::1
; no address at all
txtonly		300	IN TXT	"no address here"
; removed on the primary by the dormant test
gone		600	IN A	10.0.15.1
gone		600	IN AAAA	2001:db8:15::1
EOF
}

# b64 N: base64 of N random octets (key and signature data).
b64() { head -c "$1" /dev/urandom | base64 -w0; }

# mksigned FILE ORIGIN WHAT: a zone that carries DNSSEC records, WHAT
# "signed" (DNSKEY and RRSIGs), "rrsig" (one RRSIG at www, no DNSKEY) or
# "dnskey" (a DNSKEY, no RRSIG).  secd does not validate: the data only
# has to be well formed.
mksigned() {
	local t="20300101000000 20240101000000 12345"
	{
		cat <<EOF
\$ORIGIN $2
@ 3600 IN SOA ns1 hostmaster 2024010101 3600 900 1209600 300
@	3600	IN NS	ns1
ns1	3600	IN A	192.0.2.53
www	300	IN A	10.1.0.1
www	300	IN AAAA	2001:db8:1::1
EOF
		case $3 in signed|dnskey)
			echo "@ 3600 IN DNSKEY 257 3 13 $(b64 64)"
			echo "@ 3600 IN DNSKEY 256 3 13 $(b64 64)" ;;
		esac
		case $3 in signed)
			echo "@ 3600 IN RRSIG SOA 13 2 3600 $t $2 $(b64 64)"
			echo "@ 3600 IN RRSIG NS 13 2 3600 $t $2 $(b64 64)" ;;
		esac
		case $3 in signed|rrsig)
			echo "www 300 IN RRSIG A 13 3 300 $t $2 $(b64 64)"
		esac
	} >"$1"
}

# set_serial FILE SERIAL: the apex SOA of a mkzone file gets SERIAL.
set_serial() {
	sed -i -E "s/^(@ 3600 IN SOA ns1 hostmaster) [0-9]+ /\\1 $2 /" "$1"
	grep -q "^@ 3600 IN SOA ns1 hostmaster $2 " "$1" ||
	    atf_fail "cannot set serial $2 in $1"
}

# setup: ports for secd ($PORT) and the primary of example.test ($PP
# and $PP1), its zone ($ZF, serial 2024010101) and the global proxy set
# in use.
setup() {
	D=$(pwd)
	PORTS=
	newport PORT
	newport PP
	PP1=$PP
	ZF=$D/zone
	use "$ZONE" "$ZF" "$PP" "$G4" "$G6" "$GTTL"
	mkzone "$ZF" 2024010101
}

# use ZONE ZONEFILE PRIMARYPORT P4 P6 TTL: the zone that on, off, check
# and rows work on, its file, its primary and its proxy set.  Each zone
# has its list of proxied names, one a line, in $D/proxied.ZONE.
use() {
	ZONE=$1 ORIGIN=$1. ZF=$2 PP=$3 P4=$4 P6=$5 PTTL=$6
	PROXIED=$D/proxied.$ZONE
	[ -f "$PROXIED" ] || : >"$PROXIED"
}

# conf [ZONEPROXY]: secd.conf with the global proxy set and example.test
# from $PP1, ZONEPROXY (zproxy's lines) in its block; the tests add
# zones after it.
conf() {
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 2
listen on 127.0.0.1 port $PORT

proxy {
	address $(echo "$G4" | sed 's/,/\n\taddress /g')
	address $(echo "$G6" | sed 's/,/\n\taddress /g')
	ttl $GTTL
}

zone "example.test" {
	primary 127.0.0.1 port $PP1
${1:-}
}
CONF
}

# zproxy TTL ADDRESS...: a zone's proxy block (TTL "-": none).
zproxy() {
	local a ttl="$1"
	shift
	printf '\tproxy {\n'
	for a; do
		printf '\t\taddress %s\n' "$a"
	done
	[ "$ttl" = - ] || printf '\t\tttl %s\n' "$ttl"
	printf '\t}\n'
}

# add_zone ZONE PORT [ZONEPROXY]: a zone of secd.conf, its primary on
# PORT, ZONEPROXY (zproxy's lines) in its block.
add_zone() {
	printf '\nzone "%s" {\n\tprimary 127.0.0.1 port %s\n%s\n}\n' \
	    "$1" "$2" "${3:-}" >>"$D/secd.conf"
}

# start_all: NSD serves $ZF on $PP (from $D/nsd), secd transfers it.
start_all() {
	mkdir -p "$D/nsd"
	start_nsd "$D/nsd" "$PP" "$ORIGIN" "$ZF"
	[ -f "$D/secd.conf" ] || conf
	start_secd "$D"
	wait_served 2024010101
}

# restart SERIAL: stop secd, keep its log, start it again and wait
# until it serves SERIAL.
restart() {
	stop_secd "$D"
	cat "$D/secd.log" >>"$D/secd.log.old"
	start_secd "$D"
	wait_served "$1"
}

# fq NAME: NAME of the zone in use, absolute without the dot ("@" is
# the apex).
fq() {
	case $1 in
	@)	echo "$ZONE" ;;
	*)	echo "$1.$ZONE" ;;
	esac
}

# on NAME, off NAME: secctl proxy; it must succeed.  The list of
# proxied names follows.
on() {
	local out
	out=$(ctl proxy "$ZONE" "$(fq "$1")" on 2>&1) ||
	    atf_fail "secctl proxy $ZONE $(fq "$1") on: exit $?: $out"
	grep -qxF "$(fq "$1")." "$PROXIED" || echo "$(fq "$1")." >>"$PROXIED"
}
off() {
	local out
	out=$(ctl proxy "$ZONE" "$(fq "$1")" off 2>&1) ||
	    atf_fail "secctl proxy $ZONE $(fq "$1") off: exit $?: $out"
	grep -vxF "$(fq "$1")." "$PROXIED" >"$PROXIED.new"
	mv "$PROXIED.new" "$PROXIED"
}

# check WHAT: the checks on stdin (proxycheck.py check lines, "NAME
# TYPE EXPECT") hold for the zone in use; WHAT says when, on failure.
check() {
	$PY "$PROXYCHECK" check --port "$PORT" --primary "$PP" --zone "$ZF" \
	    --origin "$ORIGIN" --proxy4 "$P4" --proxy6 "$P6" --ttl "$PTTL" \
	    --proxied-file "$PROXIED" >"$D/check.out" 2>&1 || {
		echo "=== $1:" >&2
		head -40 "$D/check.out" >&2
		atf_fail "$1: $(head -1 "$D/check.out") (all above)"
	}
	echo "$1: $(tail -1 "$D/check.out")"
}

# checks WHAT CMD...: check WHAT with the lines CMD prints.  Never pipe
# into check: in a subshell its atf_fail would not end the test.
checks() {
	local what="$1"
	shift
	"$@" >"$D/checks.in"
	check "$what" <"$D/checks.in"
}

# sweep WHAT: proxycheck.py sweep of the zone in use.
sweep() {
	$PY "$PROXYCHECK" sweep --port "$PORT" --zone "$ZF" \
	    --origin "$ORIGIN" --proxy4 "$P4" --proxy6 "$P6" --ttl "$PTTL" \
	    --proxied-file "$PROXIED" >"$D/sweep.out" 2>&1 || {
		echo "=== $1:" >&2
		head -40 "$D/sweep.out" >&2
		atf_fail "$1: $(head -1 "$D/sweep.out") (all above)"
	}
	echo "$1: $(tail -1 "$D/sweep.out")"
}

# audit WHAT: "secctl audit ZONE" (secd reading its own image back)
# finds no leak and nothing stale.  What is wrong goes to
# $D/audit.failed, its rows to stderr, and the test goes on (the answers
# themselves are what the test checks); audit_verdict fails it.
audit() {
	ctl audit "$ZONE" >"$D/audit.out" 2>&1 || {
		echo "=== $1: secctl audit $ZONE:" >&2
		grep -Ev ' exposed +[0-9]+$' "$D/audit.out" | head -20 >&2
		echo "$1: secctl audit $ZONE: $(tail -1 "$D/audit.out")" \
		    >>"$D/audit.failed"
	}
	echo "$1: secctl audit: $(tail -1 "$D/audit.out")"
}

# audit_verdict: fail with what audit found wrong, if anything.
audit_verdict() {
	[ -s "$D/audit.failed" ] || return 0
	atf_fail "$(head -1 "$D/audit.failed")" \
	    "($(wc -l <"$D/audit.failed") audits failed, rows above)"
}

# rows NAME STATE: "secctl -j show zone ZONE NAME" shows NAME proxied,
# off, dormant or not at all (proxycheck.py rows); its rows (a dormant
# row aside) are the records of $ZF at NAME.
rows() {
	local n
	n=$(fq "$1")
	ctl -j show zone "$ZONE" "$n" >"$D/rows.json" 2>"$D/rows.err" ||
	    atf_fail "secctl -j show zone $ZONE $n: $(cat "$D/rows.err")"
	shift
	case $1 in
	proxied|off|dormant)	set -- "$1" "$ZF" "$ORIGIN" ;;
	esac
	$PY "$PROXYCHECK" rows "$D/rows.json" "$n" "$@" >"$D/rows.out" \
	    2>&1 || atf_fail "$(cat "$D/rows.out")"
}

# shape NAME proxy|origin: the checks of one name of test 1.  Proxied,
# a CNAME name (www, ext) hides its CNAME: NODATA for the other types;
# another name serves them as transferred.
shape() {
	if [ "$2" = proxy ]; then
		echo "$1 A proxy"
		echo "$1 AAAA proxy"
		echo "$1 CNAME nodata"
		echo "$1 ANY noleak"
	else
		echo "$1 A origin"
		echo "$1 AAAA origin"
		echo "$1 CNAME origin"
	fi
	case $2:$1 in
	proxy:www|proxy:ext)
		echo "$1 MX nodata"
		echo "$1 TXT nodata" ;;
	*)
		echo "$1 MX origin"
		echo "$1 TXT origin" ;;
	esac
	# proxying makes no name below
	[ "$1" = @ ] || echo "below.$1 A origin"
}

# all_origin [EXCEPT...]: every shape but EXCEPT as the origin has it,
# the CNAME's target and the apex too.
all_origin() {
	local n
	for n in $SHAPES target @; do
		case " $* " in *" $n "*) continue ;; esac
		shape "$n" origin
	done
}

# shape_and_others NAME: NAME proxied, the other shapes as the origin
# has them; the target of a proxied www still served as it is.
shape_and_others() {
	shape "$1" proxy
	all_origin "$1"
	if [ "$1" = www ]; then
		echo "target A origin"
		echo "target AAAA origin"
	fi
}

# all_proxied: every shape proxied.
all_proxied() {
	local n
	for n in $SHAPES; do
		shape "$n" proxy
	done
}

# primary_update SERIAL: NSD takes $ZF (at SERIAL) and secd transfers it
# at once (secctl refresh).
primary_update() {
	local i
	cp "$ZF" "$D/nsd/nsd.zone"
	reload_peer nsd "$D/nsd"
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PP" "$ORIGIN")" = "$1" ] && break
		sleep 0.1
	done
	[ "$(peer_serial "$PP" "$ORIGIN")" = "$1" ] || {
		tail -20 "$D/nsd/nsd.log" >&2
		atf_fail "NSD does not serve serial $1 after its reload"
	}
	ctl refresh "$ZONE" >"$D/refresh.out" 2>&1 ||
	    atf_fail "secctl refresh $ZONE: $(cat "$D/refresh.out")"
	wait_served "$1"
}

# proxy_cleanup: stop secd and every NSD a test case may have started.
proxy_cleanup() { secondary_cleanup nsd nsd2 signed rrsig dnskey; }

# ------------------------------------------------------------- 1. shapes

atf_test_case toggle_each_shape cleanup
toggle_each_shape_head() {
	atf_set descr "each shape (A only, AAAA only, both, CNAME in and" \
	    "out of the zone, A+MX+TXT) proxied answers A and AAAA with the" \
	    "proxy sets and TTL, hides the CNAME, keeps MX and TXT, over" \
	    "UDP and TCP with EDNS and without; off brings the origin back"
	atf_set require.user root
}
toggle_each_shape_body() {
	local n
	setup
	start_all
	checks "before any toggle" all_origin

	# off on a name never proxied: accepted, nothing changes
	off v4
	rows v4 off
	checks "after off on v4, never proxied" all_origin

	for n in $SHAPES; do
		on "$n"
		rows "$n" proxied
		checks "$n proxied, nothing else" shape_and_others "$n"
		off "$n"
		rows "$n" off
		checks "$n proxied, then off" all_origin
	done

	# all of them at once, then all off
	for n in $SHAPES; do on "$n"; done
	for n in $SHAPES; do rows "$n" proxied; done
	checks "every shape proxied" all_proxied
	for n in $SHAPES; do off "$n"; done
	for n in $SHAPES; do rows "$n" off; done
	checks "every shape proxied, then off" all_origin
	# the toggles changed the image where they reached; a full build
	# only once the image grew by a quarter (often, on a zone this small)
	grep "zone example.test: building it in full" "$D/secd.log" |
	    grep -v "grew by a quarter" >&2 &&
	    atf_fail "a toggle needed a full build (above)"
	[ "$(grep -c "names changed (overrides changed)" "$D/secd.log")" \
	    -ge 12 ] || atf_fail "toggles were not applied without a full build"
}
toggle_each_shape_cleanup() { proxy_cleanup; }

# ------------------------------------------------ 2. chains, wildcards

atf_test_case chain_and_wildcard cleanup
chain_and_wildcard_head() {
	atf_set descr "a CNAME chain reaching a proxied name (at its end," \
	    "in its middle) and a DNAME onto one get the chain then the" \
	    "proxy addresses; a proxied wildcard owner gives proxy" \
	    "addresses to what it synthesizes and to a CNAME into it, not" \
	    "to the name beside it"
	atf_set require.user root
}
chain_and_wildcard_body() {
	setup
	start_all

	on end
	rows end proxied
	check "end of the chain c1 -> c2 -> end proxied" <<EOF
c1 A chain
c1 AAAA chain
c2 A chain
c2 AAAA chain
end A proxy
end AAAA proxy
c1 CNAME origin
c2 CNAME origin
c1 TXT origin
end TXT origin
EOF
	# c2, a CNAME in the middle, proxied too: c1 -> c2, then proxy
	on c2
	rows c2 proxied
	check "c2 and end proxied" <<EOF
c1 A chain
c1 AAAA chain
c2 A proxy
c2 AAAA proxy
c2 CNAME nodata
c1 CNAME origin
end A proxy
EOF
	off c2
	off end
	# the start of the chain proxied: the rest is as transferred
	on c1
	check "c1 proxied" <<EOF
c1 A proxy
c1 AAAA proxy
c1 CNAME nodata
c2 A origin
c2 AAAA origin
c2 CNAME origin
end A origin
EOF
	off c1
	check "chain back off" <<EOF
c1 A origin
c1 AAAA origin
c2 A origin
end A origin
end AAAA origin
EOF

	# a DNAME onto a proxied name: the DNAME, the CNAME made of it,
	# then the proxy set
	on www.tgt
	check "www.tgt proxied, reached by the DNAME dnin -> tgt" <<EOF
www.dnin A chain
www.dnin AAAA chain
www.tgt A proxy
www.tgt AAAA proxy
EOF
	off www.tgt
	check "www.tgt off" <<EOF
www.dnin A origin
www.tgt AAAA origin
EOF

	on '*.w'
	rows '*.w' proxied
	check "wildcard *.w proxied" <<EOF
x.w A proxy
x.w AAAA proxy
deep.x.w A proxy
deep.x.w AAAA proxy
x.w TXT origin
x.w MX origin
*.w A proxy
*.w AAAA proxy
explicit.w A origin
explicit.w AAAA origin
tow A chain
tow AAAA chain
tow CNAME origin
EOF
	off '*.w'
	rows '*.w' off
	check "wildcard back off" <<EOF
x.w A origin
x.w AAAA origin
deep.x.w A origin
*.w A origin
explicit.w A origin
tow A origin
tow AAAA origin
EOF
}
chain_and_wildcard_cleanup() { proxy_cleanup; }

# ------------------------------------------------ 3. additional sections

atf_test_case additional_sections cleanup
additional_sections_head() {
	atf_set descr "MX, SRV and NS targets proxied: the additional" \
	    "section has their proxy addresses with the proxy TTL, never" \
	    "the origin ones, and a referral's sibling glue none of them;" \
	    "off brings the origin ones back"
	atf_set require.user root
}
additional_sections_body() {
	local n
	setup
	start_all
	check "nothing proxied" <<EOF
mx MX addl
_sip._tcp SRV addl
@ MX addl
@ NS addl
EOF
	for n in mailp sipp ns2 v6; do on "$n"; done
	check "mailp, sipp, ns2 and v6 proxied" <<EOF
host.sib A noleak
host.sib AAAA noleak
sib NS noleak
mx MX addl
_sip._tcp SRV addl
@ MX addl
@ NS addl
mailp A proxy
mailp AAAA proxy
sipp A proxy
sipp AAAA proxy
ns2 A proxy
ns2 AAAA proxy
mail A origin
ns1 A origin
EOF
	for n in mailp sipp ns2 v6; do off "$n"; done
	check "back off" <<EOF
mx MX addl
_sip._tcp SRV addl
@ MX addl
@ NS addl
mailp A origin
sipp AAAA origin
ns2 A origin
EOF
}
additional_sections_cleanup() { proxy_cleanup; }

# ------------------------------------------------ 4. a zone's own set

# Its own proxy set for example.test (no ttl: 300, not the global one).
Z4=198.51.100.80,198.51.100.81
Z6=2001:db8:eeee::80
ZTTL=300

# zex [P4 P6 TTL]: work on example.test, with its own set (by default
# the one of two_zones); zother: on other.test, with the global set.
zex() {
	use example.test "$D/zone" "$PP1" "${1:-$Z4}" "${2:-$Z6}" \
	    "${3:-$ZTTL}"
}
zother() { use other.test "$D/zone2" "$PP2" "$G4" "$G6" "$GTTL"; }

# two_zones_conf ZONEPROXY: secd.conf with example.test (ZONEPROXY in its
# block) and other.test from $PP2.
two_zones_conf() {
	conf "$1"
	add_zone other.test "$PP2"
}

# two_zones: example.test with its own set (no ttl), other.test from
# NSD on $PP2 with the global one; v4 and www proxied in the first, v4
# and both in the second.
two_zones() {
	setup
	newport PP2
	mkzone "$D/zone2" 2024010101 other.test.
	two_zones_conf "$(zproxy - 198.51.100.80 198.51.100.81 \
	    2001:db8:eeee::80)"
	mkdir "$D/nsd2"
	start_nsd "$D/nsd2" "$PP2" other.test. "$D/zone2"
	start_all
	zother
	wait_served 2024010101
	zex
	on v4
	on www
	zother
	on v4
	on both
}

# other_global WHEN: other.test answers with the global set.
other_global() {
	zother
	check "other.test $1: the global set" <<EOF
v4 A proxy
v4 AAAA proxy
both A proxy
both AAAA proxy
www A origin
EOF
}

# ex_own WHEN: example.test answers with the set zex gave.
ex_own() {
	check "example.test $1: its own set" <<EOF
v4 A proxy
v4 AAAA proxy
www A proxy
www AAAA proxy
both A origin
EOF
}

atf_test_case per_zone_proxy_set cleanup
per_zone_proxy_set_head() {
	atf_set descr "a zone with its own proxy block answers with that" \
	    "set (and TTL 300 when it sets none), another zone with the" \
	    "global one"
	atf_set require.user root
}
per_zone_proxy_set_body() {
	two_zones
	other_global "beside example.test"
	zex
	ex_own "beside other.test, TTL 300"
}
per_zone_proxy_set_cleanup() { proxy_cleanup; }

atf_test_case proxy_set_change_on_reload cleanup
proxy_set_change_on_reload_head() {
	atf_set descr "secctl reload of a secd.conf where a zone's proxy" \
	    "set and TTL changed: its proxied names answer with the new" \
	    "set, without a toggle or a transfer; the other zone's stay"
	atf_set require.user root
}
proxy_set_change_on_reload_body() {
	local i
	two_zones
	two_zones_conf "$(zproxy 55 198.51.100.90 198.51.100.81 \
	    2001:db8:eeee::90)"
	ctl reload >"$D/reload.out" 2>&1 ||
	    atf_fail "secctl reload: $(cat "$D/reload.out")"
	zex 198.51.100.90,198.51.100.81 2001:db8:eeee::90 55
	# the rebuild may come just after secctl reload returns: 10 s
	for i in $(seq 1 50); do
		printf '%s\n' "v4 A proxy" "www AAAA proxy" |
		    $PY "$PROXYCHECK" check --port "$PORT" --primary "$PP" \
		    --zone "$ZF" --origin "$ORIGIN" --proxy4 "$P4" \
		    --proxy6 "$P6" --ttl "$PTTL" --proxied-file "$PROXIED" \
		    >/dev/null 2>&1 && break
		sleep 0.2
	done
	ex_own "10 s after a reload with a new set and ttl 55"
	other_global "after the reload"
}
proxy_set_change_on_reload_cleanup() { proxy_cleanup; }

atf_test_case proxy_set_change_on_restart cleanup
proxy_set_change_on_restart_head() {
	atf_set descr "secd restarted with a changed proxy set for a zone" \
	    "and a changed global set: the proxied names answer with the" \
	    "new sets (no image built with the old set is reused)"
	atf_set require.user root
}
proxy_set_change_on_restart_body() {
	two_zones
	stop_secd "$D"
	G4=203.0.113.90 G6=2001:db8:ffff::90 GTTL=66
	two_zones_conf "$(zproxy 55 198.51.100.90 2001:db8:eeee::90)"
	cat "$D/secd.log" >>"$D/secd.log.old"
	start_secd "$D"
	zother
	wait_served 2024010101
	zex 198.51.100.90 2001:db8:eeee::90 55
	wait_served 2024010101
	ex_own "after a restart with a new set and ttl 55"
	other_global "after a restart with a new global set"
}
proxy_set_change_on_restart_cleanup() { proxy_cleanup; }

atf_test_case no_proxy_set_refused cleanup
no_proxy_set_refused_head() {
	atf_set descr "no global proxy set: proxy on in a zone without its" \
	    "own set is refused, with nothing changed; a zone with its own" \
	    "set takes it"
	atf_set require.user root
}
no_proxy_set_refused_body() {
	setup
	newport PP2
	mkzone "$D/zone2" 2024010101 other.test.
	conf
	sed -i '/^proxy {$/,/^}$/d' "$D/secd.conf"
	grep -q '^proxy' "$D/secd.conf" && atf_fail "cannot drop the set"
	add_zone other.test "$PP2" \
	    "$(zproxy - 198.51.100.80 2001:db8:eeee::80)"
	mkdir "$D/nsd2"
	start_nsd "$D/nsd2" "$PP2" other.test. "$D/zone2"
	start_all
	: >"$D/refusals.failed"
	refused "no proxy set" 'proxy (address|set)|no proxy' \
	    proxy example.test v4.example.test on
	refusals_verdict
	check "example.test, nothing proxied" <<EOF
v4 A origin
v4 AAAA origin
EOF
	use other.test "$D/zone2" "$PP2" 198.51.100.80 2001:db8:eeee::80 300
	wait_served 2024010101
	on v4
	check "other.test, its own set" <<EOF
v4 A proxy
v4 AAAA proxy
EOF
}
no_proxy_set_refused_cleanup() { proxy_cleanup; }

# ------------------------------------------------------ 5. leak sweep

atf_test_case leak_sweep cleanup
leak_sweep_head() {
	atf_set descr "a third of the proxiable names of a 300-name zone" \
	    "proxied: no answer to any name and type (UDP and TCP) holds" \
	    "an origin address of a proxied name; again with half of them" \
	    "off; secctl audit agrees"
	atf_set require.user root
}
leak_sweep_body() {
	local n
	setup
	"$ZONEGEN" --kind test --names 300 -o "$ZF" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	start_all
	$PY "$PROXYCHECK" candidates "$ZF" "$ORIGIN" >"$D/candidates" ||
	    atf_fail "proxycheck.py candidates failed"
	awk 'NR % 3 == 1' "$D/candidates" >"$D/chosen"
	[ "$(wc -l <"$D/chosen")" -ge 100 ] ||
	    atf_fail "only $(wc -l <"$D/chosen") names chosen"
	# one secctl call a name, as an operator would
	while read -r n; do
		on "${n%."$ORIGIN"}"
	done <"$D/chosen"
	sweep "$(wc -l <"$PROXIED") names proxied"
	audit "$(wc -l <"$PROXIED") names proxied"
	while read -r n; do
		off "${n%."$ORIGIN"}"
	done <<EOF
$(awk 'NR % 2 == 1' "$D/chosen")
EOF
	sweep "$(wc -l <"$PROXIED") names still proxied, the others off"
	audit "$(wc -l <"$PROXIED") names still proxied, the others off"
	audit_verdict
}
leak_sweep_cleanup() { proxy_cleanup; }

atf_test_case audit_agrees cleanup
audit_agrees_head() {
	atf_set descr "secctl audit of the hand-made zone with every shape," \
	    "a chain's end, a wildcard (and a CNAME into it), a DNAME" \
	    "target and MX/SRV/NS targets proxied: no leak, nothing stale"
	atf_set require.user root
}
audit_agrees_body() {
	local n
	setup
	start_all
	audit "nothing proxied"
	for n in $SHAPES end '*.w' www.tgt mailp sipp ns2; do
		on "$n"
		audit "$n proxied"
	done
	sweep "all of them proxied"
	audit_verdict
}
audit_agrees_cleanup() { proxy_cleanup; }

# ------------------------------------------------------- 6. refusals

# refused WHAT ERE ARGS...: "secctl ARGS" exits 1 with a message on
# stderr that matches ERE (case-insensitive) and nothing on stdout, and
# "show zone" of every zone and the override files are as before.  What
# is wrong goes to $D/refusals.failed and the test goes on, so that one
# run shows every refusal (refusals_verdict fails it).
refused() {
	local what="$1" ere="$2" rc
	shift 2
	snapshot "$D/before"
	rc=0
	ctl "$@" >"$D/ref.out" 2>"$D/ref.err" || rc=$?
	snapshot "$D/after"
	{
		[ "$rc" = 1 ] || echo "$what: secctl $*: exit $rc," \
		    "expected 1; stderr '$(cat "$D/ref.err")'"
		if [ ! -s "$D/ref.err" ]; then
			echo "$what: secctl $*: no reason on stderr"
		elif ! grep -Eiq "$ere" "$D/ref.err"; then
			echo "$what: secctl $*: the reason" \
			    "'$(cat "$D/ref.err")' does not say it (/$ere/)"
		fi
		[ ! -s "$D/ref.out" ] || echo "$what: secctl $*: output on" \
		    "stdout: $(head -3 "$D/ref.out" | tr '\n' ' ')"
		cmp -s "$D/before" "$D/after" || echo "$what: secctl $*:" \
		    "changed show zone or the overrides:" \
		    "$(diff "$D/before" "$D/after" | grep '^[<>]' | head -4 |
		    tr '\n' ' ')"
	} >>"$D/refusals.failed"
	echo "$what: $(cat "$D/ref.err")"
}

# refusals_verdict: fail with what refused found wrong, if anything.
refusals_verdict() {
	[ -s "$D/refusals.failed" ] || return 0
	cat "$D/refusals.failed" >&2
	atf_fail "$(wc -l <"$D/refusals.failed") wrong:" \
	    "$(head -1 "$D/refusals.failed") (all above)"
}

# snapshot FILE: "secctl -j show zone" of every zone with data, and the
# override files of the database directory.
snapshot() {
	local z
	for z in example.test signed.test rrsig.test dnskey.test; do
		echo "== $z"
		ctl -j show zone "$z" 2>&1
	done >"$1"
	for z in "$D"/db/*.over; do
		[ -f "$z" ] || continue
		echo "== $z"
		cat "$z"
	done >>"$1"
}

atf_test_case refusals cleanup
refusals_head() {
	atf_set descr "proxy on a zone not configured, a zone with no data" \
	    "yet, a name not in the zone, without A/AAAA/CNAME, at or below" \
	    "a delegation, in a zone with DNSSEC (DNSKEY and RRSIG, RRSIG" \
	    "only, DNSKEY only): exit 1, the reason on stderr, no change"
	atf_set require.user root
}
refusals_body() {
	local z dead
	setup
	conf
	newport dead		# nothing listens there: never loaded
	add_zone empty.test "$dead"
	for z in signed rrsig dnskey; do
		newport pz
		mksigned "$D/$z.zone" "$z.test." "$z"
		mkdir "$D/$z"
		start_nsd "$D/$z" "$pz" "$z.test." "$D/$z.zone"
		add_zone "$z.test" "$pz"
	done
	start_all
	for z in signed rrsig dnskey; do
		use "$z.test" "$D/$z.zone" 0 "$G4" "$G6" "$GTTL"
		wait_served 2024010101
	done
	use example.test "$D/zone" "$PP1" "$G4" "$G6" "$GTTL"
	# a good toggle first, so that the snapshots hold an override
	on v4
	: >"$D/refusals.failed"

	refused "zone not configured" 'not configured|unknown zone|no zone' \
	    proxy nothere.test www.nothere.test on
	refused "zone with no data yet" \
	    'no data|not loaded|never loaded|not yet|no zone data' \
	    proxy empty.test www.empty.test on
	refused "name not in the zone" \
	    'not in|no such|no records|does not exist|not found|nxdomain' \
	    proxy "$ZONE" nothere.example.test on
	refused "name outside the zone" \
	    'not in|outside|below|no records|does not exist|not found' \
	    proxy "$ZONE" www.example.net on
	refused "name with only TXT" 'CNAME|no address' \
	    proxy "$ZONE" txtonly.example.test on
	refused "empty non-terminal" 'CNAME|no address|not in|no such|no' \
	    proxy "$ZONE" _tcp.example.test on
	refused "name at a delegation" 'delegat|zone cut|cut' \
	    proxy "$ZONE" sub.example.test on
	refused "glue below a delegation" 'delegat|zone cut|cut|below' \
	    proxy "$ZONE" ns1.sub.example.test on
	for z in signed rrsig dnskey; do
		refused "zone with DNSSEC ($z)" 'DNSSEC|RRSIG|DNSKEY|sign' \
		    proxy "$z.test" "www.$z.test" on
	done
	# -n: checks only (secctl.8)
	refused "dry run of a refusal" 'CNAME|no address' \
	    proxy -n "$ZONE" txtonly.example.test on
	refusals_verdict
	snapshot "$D/before"
	ctl proxy -n "$ZONE" both.example.test on >"$D/ref.out" 2>&1 ||
	    atf_fail "secctl proxy -n on a good name: $(cat "$D/ref.out")"
	snapshot "$D/after"
	cmp -s "$D/before" "$D/after" || atf_fail "proxy -n changed something"

	# nothing changed in the answers, and secd still takes a toggle
	check "after the refusals" <<EOF
v4 A proxy
both A origin
txtonly TXT origin
txtonly A origin
ns1.sub A origin
EOF
	on both
	check "a toggle after the refusals" <<EOF
both A proxy
both AAAA proxy
EOF
	for z in signed rrsig dnskey; do
		use "$z.test" "$D/$z.zone" 0 "$G4" "$G6" "$GTTL"
		rows www off
	done
}
refusals_cleanup() { proxy_cleanup; }

# ------------------------------------------------------ 7. survival

# survivors [WHAT]: the names proxied so far are, the others are not.
survivors() {
	local n
	{
		while read -r n; do
			n=${n%."$ORIGIN"}
			case $n in
			\*.*)	echo "synth.${n#\*.} A proxy"
				echo "synth.${n#\*.} AAAA proxy" ;;
			*)	echo "$n A proxy"
				echo "$n AAAA proxy" ;;
			esac
		done <"$PROXIED"
		grep -qxF "www.$ORIGIN" "$PROXIED" && echo "www CNAME nodata"
		echo "mx MX addl"
		echo "target A origin"
		echo "mail AAAA origin"
	} >"$D/survivors.in"
	check "$1" <"$D/survivors.in"
	while read -r n; do
		rows "${n%."$ORIGIN"}" proxied
	done <"$PROXIED"
}

# kill_child TITLE: kill -9 the child titled "secd: TITLE"; the parent
# must log it and exit.  Then secd starts again and serves SERIAL.
kill_child() {
	local pid
	pid=$(child_titled "$D" "$1") || atf_fail "no child titled secd: $1"
	kill -KILL "$pid"
	wait_exit "$D"
	grep -Eq "$1( 0)? \(pid $pid\) killed by signal 9" "$D/secd.log" ||
	    atf_fail "the death of $1 is not logged"
	cat "$D/secd.log" >>"$D/secd.log.old"
	start_secd "$D"
	wait_served "$2"
}

atf_test_case survives cleanup
survives_head() {
	atf_set descr "overrides survive a restart, secctl reload," \
	    "secctl retransfer, an IXFR that changes the proxied names'" \
	    "records, and kill -9 of each process right after a toggle"
	atf_set require.user root
}
survives_body() {
	local n t kids pid i k
	setup
	PEER_IXFR=1 start_all
	for n in v4 www '*.w' mailp; do on "$n"; done
	survivors "proxied"

	restart 2024010101
	survivors "after a restart"
	# the zone is kept in memory again after the start: a toggle then
	# writes only what it reaches
	log_has "zone $ZONE: kept in memory for its changes" "the zone kept"
	n=$(grep -c "names changed (overrides changed)" "$D/secd.log")
	off mailp
	on mailp
	[ "$(grep -c "names changed (overrides changed)" "$D/secd.log")" = \
	    $((n + 2)) ] || atf_fail "the toggles after a restart were full builds"
	survivors "after a restart and two toggles"

	ctl reload >"$D/out" 2>&1 || atf_fail "secctl reload: $(cat "$D/out")"
	survivors "after secctl reload"

	ctl retransfer "$ZONE" >"$D/out" 2>&1 ||
	    atf_fail "secctl retransfer: $(cat "$D/out")"
	wait_served 2024010101
	[ "$(zone_field kind)" = axfr ] ||
	    atf_fail "retransfer: last transfer '$(zone_field kind)'"
	survivors "after secctl retransfer"

	# IXFR: the proxied names' origin records change (www from a
	# CNAME to an A), names are added, one a CNAME to a proxied name
	sed -i -e 's/^\(v4.*\)10\.0\.4\.3$/\110.0.4.33/' \
	    -e '/^both.*2001:db8:5::2$/d' -e '/^www[[:space:]]/d' "$ZF"
	cat >>"$ZF" <<EOF
v4		600	IN A	10.0.4.4
www		300	IN A	10.0.7.9
mailp		3600	IN AAAA	2001:db8:12::2
new		300	IN A	10.0.16.1
newc		300	IN CNAME v4
EOF
	set_serial "$ZF" 2024010102
	primary_update 2024010102
	[ "$(zone_field kind)" = ixfr ] ||
	    atf_fail "the change came by '$(zone_field kind)', not IXFR:" \
	    "$(zone_field msg)"
	survivors "after an IXFR"
	check "the IXFR's changes" <<EOF
both AAAA origin
new A origin
newc A chain
newc AAAA chain
www A proxy
www CNAME nodata
EOF

	# kill -9 of each child right after a toggle: the toggle was
	# persisted before secctl returned
	for t in xfrd zoned "serverd 0" "serverd 1"; do
		case $t in
		xfrd)		n=v6 ;;
		zoned)		n=both ;;
		"serverd 0")	n=multi ;;
		*)		n=end ;;
		esac
		on "$n"
		kill_child "$t" 2024010102
		survivors "after kill -9 of $t right after proxy $n on"
	done

	# kill -9 of the parent: its children go by themselves
	on ext
	kids=$(child_pids "$D")
	pid=$(cat "$D/secd.pid")
	kill -KILL "$pid"
	wait_exit "$D"
	for k in $kids; do
		for i in $(seq 1 100); do
			kill -0 "$k" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$k" 2>/dev/null && {
			echo "child $k of the killed parent still runs" >&2
			kill -KILL "$k"
		}
	done
	cat "$D/secd.log" >>"$D/secd.log.old"
	start_secd "$D"
	wait_served 2024010102
	survivors "after kill -9 of the parent right after proxy ext on"

	# off survives too
	off v4
	off '*.w'
	restart 2024010102
	survivors "v4 and *.w off, restart"
	rows v4 off
	check "v4 and *.w off after the restart" <<EOF
v4 A origin
x.w A origin
EOF
}
survives_cleanup() { proxy_cleanup; }

# ------------------------------------------------------- 8. dormant

atf_test_case dormant cleanup
dormant_head() {
	atf_set descr "a proxied name removed on the primary, and one that" \
	    "loses its A but keeps MX and TXT: the overrides are shown" \
	    "dormant, the first name is NXDOMAIN, the second NODATA for A" \
	    "and AAAA, and a restart keeps them; the records back (newer" \
	    "serial): proxied again without secctl"
	atf_set require.user root
}
dormant_body() {
	local n
	setup
	PEER_IXFR=1 start_all
	on gone
	on multi
	on v4
	check "gone and multi proxied" <<EOF
gone A proxy
gone AAAA proxy
multi A proxy
multi AAAA proxy
EOF
	cp "$ZF" "$D/zone.orig"
	sed -i -e '/^gone[[:space:]]/d' \
	    -e '/^multi[[:space:]].*IN A[[:space:]]/d' "$ZF"
	set_serial "$ZF" 2024010102
	primary_update 2024010102
	rows gone dormant
	rows multi dormant
	ctl -j show zone "$ZONE" >"$D/show.json" ||
	    atf_fail "secctl -j show zone $ZONE failed"
	for n in gone multi; do
		$PY "$PROXYCHECK" rows "$D/show.json" "$(fq "$n")" dormant ||
		    atf_fail "the whole show zone has no dormant row for $n"
	done
	check "gone and multi's A removed on the primary" <<EOF
gone A nxdomain
gone AAAA nxdomain
multi A nodata
multi AAAA nodata
multi MX origin
multi TXT origin
v4 A proxy
EOF

	restart 2024010102
	rows gone dormant
	rows multi dormant
	check "gone and multi dormant after a restart" <<EOF
gone A nxdomain
multi A nodata
multi TXT origin
v4 A proxy
EOF

	# back, with other addresses: proxied again, no secctl proxy
	sed -e 's/10\.0\.15\.1$/10.0.15.2/' -e 's/10\.0\.8\.1$/10.0.8.2/' \
	    "$D/zone.orig" >"$ZF"
	set_serial "$ZF" 2024010103
	primary_update 2024010103
	rows gone proxied
	rows multi proxied
	check "gone and multi's A back on the primary" <<EOF
gone A proxy
gone AAAA proxy
gone TXT origin
multi A proxy
multi AAAA proxy
multi MX origin
v4 A proxy
EOF
}
dormant_cleanup() { proxy_cleanup; }

atf_test_case dormant_off_forgets cleanup
dormant_off_forgets_head() {
	atf_set descr "secctl proxy off of a dormant override succeeds and" \
	    "removes it: no dormant row, and the name back on the primary" \
	    "is served as transferred"
	atf_set require.user root
}
dormant_off_forgets_body() {
	setup
	PEER_IXFR=1 start_all
	on gone
	cp "$ZF" "$D/zone.orig"
	sed -i '/^gone[[:space:]]/d' "$ZF"
	set_serial "$ZF" 2024010102
	primary_update 2024010102
	rows gone dormant
	off gone
	rows gone none
	cp "$D/zone.orig" "$ZF"
	set_serial "$ZF" 2024010103
	primary_update 2024010103
	rows gone off
	check "gone back after off while dormant" <<EOF
gone A origin
gone AAAA origin
EOF
}
dormant_off_forgets_cleanup() { proxy_cleanup; }

# ---------------------------------------------------- 9. name forms

atf_test_case name_forms cleanup
name_forms_head() {
	atf_set descr "secctl proxy takes zone and name in any case and" \
	    "with a trailing dot; on of a proxied name and off of an off" \
	    "one succeed and change nothing; a query in another case gets" \
	    "the proxy answer"
	atf_set require.user root
}
name_forms_body() {
	local f
	setup
	start_all
	for f in "example.test V4.Example.TEST on" \
	    "EXAMPLE.TEST. v4.example.test. on" \
	    "example.test. V6.EXAMPLE.TEST. on" \
	    "Example.Test v4.example.test on"; do
		# shellcheck disable=SC2086
		ctl proxy $f >"$D/out" 2>&1 ||
		    atf_fail "secctl proxy $f: $(cat "$D/out")"
	done
	echo "v4.$ORIGIN" >"$PROXIED"
	echo "v6.$ORIGIN" >>"$PROXIED"
	rows v4 proxied
	rows v6 proxied
	check "v4 and v6 proxied, named in other cases" <<EOF
v4 A proxy
V4.EXAMPLE.TEST. AAAA proxy
v6 AAAA proxy
V6.Example.Test. A proxy
both A origin
EOF
	for f in "EXAMPLE.TEST V4.EXAMPLE.TEST. off" \
	    "example.test v4.example.test off" \
	    "example.test v6.example.test. off"; do
		# shellcheck disable=SC2086
		ctl proxy $f >"$D/out" 2>&1 ||
		    atf_fail "secctl proxy $f: $(cat "$D/out")"
	done
	: >"$PROXIED"
	rows v4 off
	rows v6 off
	check "v4 and v6 off again" <<EOF
v4 A origin
v4 AAAA origin
v6 AAAA origin
v6 A origin
EOF
}
name_forms_cleanup() { proxy_cleanup; }

# ------------------------------------------------------- 10. dry run

# dryrun NAME on|off CHAIN: "secctl -j proxy -n" lists NAME's origin and
# proxy rows, now and then, and the CNAMEs of CHAIN (comma-separated,
# relative) as chain rows; nothing changes.
dryrun() {
	snapshot "$D/before"
	ctl -j proxy -n "$ZONE" "$(fq "$1")" "$2" >"$D/dry.json" \
	    2>"$D/dry.err" || atf_fail "secctl -j proxy -n $ZONE" \
	    "$(fq "$1") $2: $(cat "$D/dry.err")"
	$PY "$PROXYCHECK" dryrun "$D/dry.json" "$ZF" "$ORIGIN" "$(fq "$1")" \
	    "$2" --proxy4 "$P4" --proxy6 "$P6" --ttl "$PTTL" --chain "$3" \
	    >"$D/dry.out" 2>&1 || {
		cat "$D/dry.out" >&2
		atf_fail "proxy -n $1 $2: $(head -1 "$D/dry.out") (all above)"
	}
	snapshot "$D/after"
	cmp -s "$D/before" "$D/after" ||
	    atf_fail "secctl proxy -n $(fq "$1") $2 changed something"
}

atf_test_case dry_run_lists_changes cleanup
dry_run_lists_changes_head() {
	atf_set descr "secctl proxy -n lists the origin and proxy rows" \
	    "(now, then) and the CNAMEs whose chain reaches the name, and" \
	    "changes nothing, for on and for off"
	atf_set require.user root
}
dry_run_lists_changes_body() {
	setup
	start_all
	dryrun end on c1,c2
	dryrun both on ""
	check "nothing proxied after the dry runs" <<EOF
end A origin
c1 AAAA origin
both A origin
EOF
	on end
	dryrun end off c1,c2
	check "end still proxied after proxy -n off" <<EOF
end A proxy
c1 AAAA chain
EOF
}
dry_run_lists_changes_cleanup() { proxy_cleanup; }

# -------------------------------------------- 11. damaged overrides

atf_test_case damaged_overrides_never_leak cleanup
damaged_overrides_never_leak_head() {
	atf_set descr "ZONE.over damaged on disk: a new serial from the" \
	    "primary is not built, the image with the overrides stays" \
	    "served; after a restart no answer holds an origin address of" \
	    "a proxied name; a good file again and a retransfer: served"
	atf_set require.user root
}
damaged_overrides_never_leak_body() {
	local i s
	setup
	PEER_IXFR=1 start_all
	on v4
	on www
	s=$(served_serial)
	printf 'not an override file\n' >"$D/db/$ZONE.over"
	# a new origin address at v4, in a new serial
	sed -i 's/^\(v4.*\)10\.0\.4\.3$/\110.0.4.99/' "$ZF"
	set_serial "$ZF" 2024010102
	cp "$ZF" "$D/nsd/nsd.zone"
	reload_peer nsd "$D/nsd"
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PP" "$ORIGIN")" = 2024010102 ] && break
		sleep 0.1
	done
	ctl refresh "$ZONE" >"$D/refresh.out" 2>&1
	sleep 1
	[ "$(served_serial)" = "$s" ] && [ "$(zone_field serial)" = 2024010101 ] ||
	    atf_fail "serial '$(served_serial)' served (upstream" \
	    "'$(zone_field serial)'), built without the overrides it could" \
	    "not read (secd.8: the image stays)"
	check "the overrides damaged, a new serial refused" <<EOF
v4 A proxy
v4 AAAA proxy
www A proxy
www CNAME nodata
EOF

	# a restart with the damaged file: whatever secd answers (SERVFAIL
	# is fine), never an origin address
	stop_secd "$D"
	cat "$D/secd.log" >>"$D/secd.log.old"
	"$(SECD)" -d -v -f "$D/secd.conf" >"$D/secd.log" 2>&1 &
	echo $! >"$D/secd.pid"
	for i in $(seq 1 100); do
		ctl status >/dev/null 2>&1 && break
		sleep 0.1
	done
	sleep 2
	check "a restart with the overrides damaged" <<EOF
v4 A noleak
v4 AAAA noleak
www A noleak
www AAAA noleak
www CNAME noleak
target A noleak
EOF

	# the operator puts a good file back (secd.8's format)
	{
		echo "secd-overrides 1"
		echo "proxy on v4.$ORIGIN $(date +%s) test"
		echo "proxy on www.$ORIGIN $(date +%s) test"
	} >"$D/db/$ZONE.over"
	ctl retransfer "$ZONE" >"$D/out" 2>&1 ||
	    atf_fail "secctl retransfer: $(cat "$D/out")"
	wait_served 2024010102
	check "a good overrides file again, retransfer" <<EOF
v4 A proxy
v4 AAAA proxy
www A proxy
www CNAME nodata
both A origin
EOF
	rows v4 proxied
}
damaged_overrides_never_leak_cleanup() { proxy_cleanup; }

# ---------------------------------------------- 12. concurrent toggles

# par_checks EXPECT: the checks of the names par1 to par20.
par_checks() {
	local i
	for i in $(seq 1 20); do
		echo "par$i A $1"
		echo "par$i AAAA $1"
	done
}

# par_all on|off: secctl proxy for par1 to par20 at once; each succeeds.
par_all() {
	local i p pids=""
	for i in $(seq 1 20); do
		ctl proxy "$ZONE" "par$i.$ZONE" "$1" >"$D/par$i.out" 2>&1 &
		pids="$pids $!"
	done
	i=0
	for p in $pids; do
		i=$((i + 1))
		wait "$p" || atf_fail "secctl proxy $ZONE par$i.$ZONE $1" \
		    "at the same time as 19 others: $(cat "$D/par$i.out")"
	done
	for i in $(seq 1 20); do
		if [ "$1" = on ]; then
			echo "par$i.$ORIGIN"
		fi
	done >"$PROXIED"
}

atf_test_case concurrent_toggles cleanup
concurrent_toggles_head() {
	atf_set descr "20 secctl proxy on at once, each for its own name:" \
	    "all succeed, all are served and kept across a restart; then" \
	    "20 off at once, likewise"
	atf_set require.user root
}
concurrent_toggles_body() {
	local i
	setup
	for i in $(seq 1 20); do
		printf 'par%d\t\t600\tIN A\t10.0.18.%d\n' "$i" "$i"
		printf 'par%d\t\t600\tIN AAAA\t2001:db8:18::%d\n' "$i" "$i"
	done >>"$ZF"
	start_all
	par_all on
	checks "20 names proxied at once" par_checks proxy
	[ "$(grep -c "^proxy on par" "$D/db/$ZONE.over")" = 20 ] ||
	    atf_fail "$ZONE.over: not 20 names proxied:" \
	    "$(cat "$D/db/$ZONE.over")"
	restart 2024010101
	checks "20 names proxied at once, restart" par_checks proxy
	par_all off
	checks "20 names off at once" par_checks origin
	restart 2024010101
	checks "20 names off at once, restart" par_checks origin
}
concurrent_toggles_cleanup() { proxy_cleanup; }

# ------------------------------------ 13. a delegation at a proxied name

atf_test_case proxied_name_becomes_delegation cleanup
proxied_name_becomes_delegation_head() {
	atf_set descr "the primary puts a zone cut at a proxied name, its" \
	    "own A and AAAA now glue: no referral or answer holds its" \
	    "origin addresses; the cut gone, proxied again"
	atf_set require.user root
}
proxied_name_becomes_delegation_body() {
	setup
	PEER_IXFR=1 start_all
	on both
	cp "$ZF" "$D/zone.orig"
	echo "both		3600	IN NS	both" >>"$ZF"
	set_serial "$ZF" 2024010102
	primary_update 2024010102
	check "a cut at both, its addresses glue" <<EOF
host.both A noleak
host.both AAAA noleak
both A noleak
both AAAA noleak
both NS noleak
both ANY noleak
v4 A origin
EOF
	cp "$D/zone.orig" "$ZF"
	set_serial "$ZF" 2024010103
	primary_update 2024010103
	check "the cut at both gone" <<EOF
both A proxy
both AAAA proxy
host.both A nxdomain
EOF
}
proxied_name_becomes_delegation_cleanup() { proxy_cleanup; }

# ------------------------------------- 14. kill -9 during a toggle

atf_test_case kill_during_toggle_consistent cleanup
kill_during_toggle_consistent_head() {
	atf_set descr "zoned or a serverd killed -9 while secctl proxy on" \
	    "runs: after the restart the name is proxied if secctl said so" \
	    "(or either way if it failed), and show zone and the answers" \
	    "agree"
	atf_set require.user root
}
kill_during_toggle_consistent_body() {
	local n x t pid rc state delay tog
	setup
	start_all
	# name, delay, process: zoned at every delay, a serverd at some
	for x in v4:0.02:zoned v6:0.05:zoned both:0.1:zoned \
	    multi:0.15:zoned end:0.2:zoned target:0.3:zoned \
	    mailp:0.05:serverd1 sipp:0.1:serverd0 mail:0.15:serverd1; do
		n=${x%%:*} delay=${x#*:} t=${x##*:}
		delay=${delay%:*}
		case $t in serverd?) t="serverd ${t#serverd}" ;; esac
		pid=$(child_titled "$D" "$t") || atf_fail "no child $t"
		ctl proxy "$ZONE" "$(fq "$n")" on >"$D/tog.out" 2>&1 &
		tog=$!
		sleep "$delay"
		kill -KILL "$pid"
		rc=0
		wait "$tog" || rc=$?
		wait_exit "$D"
		cat "$D/secd.log" >>"$D/secd.log.old"
		start_secd "$D"
		wait_served 2024010101
		ctl -j show zone "$ZONE" "$(fq "$n")" >"$D/rows.json" ||
		    atf_fail "secctl show zone $ZONE $(fq "$n") failed"
		state=$($PY -c '
import json, sys
r = json.load(open(sys.argv[1]))["records"]
print("proxied" if any(x["proxy"] == "proxied" for x in r) else "off")
' "$D/rows.json")
		echo "$n: kill -9 of $t ${delay}s into the toggle: secctl" \
		    "exit $rc, then $state"
		[ "$rc" = 0 ] && [ "$state" != proxied ] &&
		    atf_fail "secctl proxy $n on exited 0 but $n is $state" \
		    "after kill -9 of $t ${delay}s into it and a restart"
		if [ "$state" = proxied ]; then
			echo "$(fq "$n")." >>"$PROXIED"
			check "$n proxied (show zone) after the kill" <<EOF
$n A proxy
$n AAAA proxy
EOF
		else
			check "$n off (show zone) after the kill" <<EOF
$n A origin
$n AAAA origin
EOF
		fi
	done
}
kill_during_toggle_consistent_cleanup() { proxy_cleanup; }

atf_init_test_cases() {
	atf_add_test_case toggle_each_shape
	atf_add_test_case chain_and_wildcard
	atf_add_test_case additional_sections
	atf_add_test_case per_zone_proxy_set
	atf_add_test_case proxy_set_change_on_reload
	atf_add_test_case proxy_set_change_on_restart
	atf_add_test_case no_proxy_set_refused
	atf_add_test_case leak_sweep
	atf_add_test_case audit_agrees
	atf_add_test_case refusals
	atf_add_test_case survives
	atf_add_test_case dormant
	atf_add_test_case dormant_off_forgets
	atf_add_test_case name_forms
	atf_add_test_case dry_run_lists_changes
	atf_add_test_case damaged_overrides_never_leak
	atf_add_test_case concurrent_toggles
	atf_add_test_case proxied_name_becomes_delegation
	atf_add_test_case kill_during_toggle_consistent
}
