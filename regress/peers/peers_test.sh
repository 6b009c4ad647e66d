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

# The test infrastructure itself: zonegen.py makes zones the three real
# servers accept, peers.sh starts and stops NSD, Knot and BIND as
# primaries with and without TSIG, dnsdiff.py compares two servers.

. "$(atf_get_srcdir)/../lib/peers.sh"

ORIGIN=example.test.
K256=xfr-sha256
K512=xfr-sha512

setup() {
	D=$(pwd)
	"$ZONEGEN" -o "$D/zone" "$ORIGIN" || atf_fail "zonegen.py failed"
	zone_canon "$D/zone" >"$D/zone.canon" || atf_fail "zonecanon.py failed"
}

# no_peers_left: every server this case started is gone.
no_peers_left() {
	local left
	left=$(peers_left "$D")
	[ -z "$left" ] || atf_fail "processes left behind: $(ps -o pid,args \
	    -p "$(echo $left | tr ' ' ,)")"
}

# same_as_zone FILE WHAT: FILE (canonical) holds the records of the zone.
same_as_zone() {
	cmp -s "$D/zone.canon" "$1" && return 0
	diff -u "$D/zone.canon" "$1" | head -20 >&2
	atf_fail "$2: records differ from the zone file (diff above)"
}

# axfr_refused WHAT PORT [KEY ALG SECRET]
axfr_refused() {
	local what=$1 port=$2
	shift 2
	if peer_axfr "$D/refused" "$port" "$ORIGIN" "$@"; then
		atf_fail "$what: AXFR expected to be refused, got" \
		    "$(wc -l <"$D/refused") records"
	fi
}

# ------------------------------------------------------------- zonegen

atf_test_case zonegen_test_zone_accepted_by_all
zonegen_test_zone_accepted_by_all_head() {
	atf_set descr "the test zone has every record type and shape, is" \
	    "deterministic per seed, and NSD, BIND and Knot accept it"
}
zonegen_test_zone_accepted_by_all_body() {
	setup
	zone_check "$ORIGIN" "$D/zone" "$D" ||
	    atf_fail "a zone checker rejects the test zone (above)"
	for t in SOA NS A AAAA CNAME PTR HINFO MX TXT SRV DNAME NAPTR CAA \
	    SSHFP TLSA DS TYPE65280 TYPE65281 TYPE65282; do
		awk -v t=$t '$4 == t { f = 1 } END { exit !f }' \
		    "$D/zone.canon" || atf_fail "no $t record in the test zone"
	done
	grep -q '^\*\.wild\.' "$D/zone.canon" || atf_fail "no wildcard"
	grep -q '^\*\.cwild\..* CNAME ' "$D/zone.canon" ||
	    atf_fail "no wildcard CNAME"
	grep -q '^UPPER\.' "$D/zone" || atf_fail "no uppercase owner"
	n=$(/usr/bin/python3 -c '
import sys, dns.name
m = max(len(dns.name.from_text(l.split()[0]).to_wire())
    for l in open(sys.argv[1]))
print(m)' "$D/zone.canon")
	[ "$n" = 255 ] || atf_fail "longest name $n octets, expected 255"
	[ "$(awk '$4 == "TXT" && $1 ~ /^bigtxt/' "$D/zone.canon" |
	    wc -c)" -gt 512 ] || atf_fail "no TXT RRset over 512 octets"

	"$ZONEGEN" -o "$D/again" "$ORIGIN"
	cmp -s "$D/zone" "$D/again" || atf_fail "same seed, different zone"
	"$ZONEGEN" --seed 2 -o "$D/other" "$ORIGIN"
	cmp -s "$D/zone" "$D/other" && atf_fail "seed 2 gives the same zone"
	"$ZONEGEN" --names 3000 --serial 7 -o "$D/big" "$ORIGIN"
	zone_check "$ORIGIN" "$D/big" "$D" ||
	    atf_fail "a zone checker rejects the 3000-name test zone"
	[ "$(zone_canon "$D/big" | awk '$4 == "SOA" { print $7 }')" = 7 ] ||
	    atf_fail "--serial 7 not in the SOA"
}

atf_test_case zonegen_bench_zone_accepted_and_streams_a_million
zonegen_bench_zone_accepted_and_streams_a_million_head() {
	atf_set descr "the benchmark zone is accepted by the three servers'" \
	    "checkers and a million names stream to a pipe"
}
zonegen_bench_zone_accepted_and_streams_a_million_body() {
	D=$(pwd)
	"$ZONEGEN" --kind bench --names 20000 -o "$D/bench" bench.test
	zone_check bench.test "$D/bench" "$D" ||
	    atf_fail "a zone checker rejects the benchmark zone"
	for t in A AAAA CNAME MX TXT NS; do
		grep -q " IN $t " "$D/bench" || atf_fail "no $t in the bench zone"
	done
	n=$("$ZONEGEN" --kind bench --names 1000000 bench.test |
	    awk '$1 ~ /^[a-z]+[0-9]+\.bench\.test\.$/ && $1 !~ /^ns[12]\./ {
	    names[$1] } END {
	    print length(names) }')
	[ "$n" = 1000000 ] ||
	    atf_fail "expected 1000000 generated names, got $n"
}

atf_test_case zonegen_queries_mix_kinds_and_dnsperf_reads_them cleanup
zonegen_queries_mix_kinds_and_dnsperf_reads_them_head() {
	atf_set descr "the dnsperf query file mixes names, NXDOMAIN," \
	    "wildcards, delegations, CNAMEs and case; dnsperf reads it"
	atf_set require.user root
}
zonegen_queries_mix_kinds_and_dnsperf_reads_them_body() {
	setup
	"$ZONEGEN" queries --zone "$D/zone" --count 3000 -o "$D/q"
	[ "$(wc -l <"$D/q")" = 3000 ] || atf_fail "expected 3000 queries"
	grep -q '^[a-z0-9]\{10\}\.example\.test\. ' "$D/q" ||
	    atf_fail "no NXDOMAIN names"
	grep -qi '\.wild\.example\.test\. ' "$D/q" || atf_fail "no wildcard names"
	grep -qi '\.sub2\?\.example\.test\. ' "$D/q" ||
	    atf_fail "no names under a delegation"
	grep -q '^www\.example\.test\. ' "$D/q" || grep -qi '^chain' "$D/q" ||
	    atf_fail "no CNAME names"
	grep -q '[A-Z].* ' "$D/q" || atf_fail "no mixed-case names"
	"$ZONEGEN" queries --zone "$D/zone" --count 3000 -o "$D/q2"
	cmp -s "$D/q" "$D/q2" || atf_fail "same seed, different queries"

	port=$(pick_port)
	start_nsd "$D" "$port" "$ORIGIN" "$D/zone"
	dnsperf -s 127.0.0.1 -p "$port" -d "$D/q" -n 1 -t 2 \
	    >"$D/perf" 2>&1 || { cat "$D/perf" >&2; atf_fail "dnsperf failed"; }
	grep -q 'Queries sent: *3000' "$D/perf" ||
	    { cat "$D/perf" >&2; atf_fail "dnsperf did not send 3000 queries"; }
	grep -q 'Queries lost: *0 ' "$D/perf" ||
	    { cat "$D/perf" >&2; atf_fail "dnsperf lost queries"; }
	stop_nsd "$D"
	no_peers_left
}
zonegen_queries_mix_kinds_and_dnsperf_reads_them_cleanup() {
	stop_all_peers "$(pwd)"
}

# --------------------------------------------------------- the servers

# axfr_case NAME: two instances side by side, one open to unsigned
# transfers, one that wants hmac-sha256 or hmac-sha512.
axfr_case() {
	local name=$1 pa pb s256 s512
	setup
	pa=$(pick_port)
	pb=$(pick_port)
	[ "$pa" != "$pb" ] || pb=$(pick_port)
	s256=$(tsig_secret 32)
	s512=$(tsig_secret 64)
	mkdir -p "$D/open" "$D/tsig"
	start_$name "$D/open" "$pa" "$ORIGIN" "$D/zone"
	start_$name "$D/tsig" "$pb" "$ORIGIN" "$D/zone" \
	    $K256 hmac-sha256 "$s256" $K512 hmac-sha512 "$s512"
	for p in $pa $pb; do
		s=$(peer_serial "$p" "$ORIGIN")
		[ "$s" = 2024010101 ] ||
		    atf_fail "$name on $p: SOA serial '$s', expected 2024010101"
	done

	peer_axfr "$D/axfr.none" "$pa" "$ORIGIN" ||
	    atf_fail "$name: unsigned AXFR failed: $(head -3 "$D/axfr.none.raw")"
	same_as_zone "$D/axfr.none" "$name unsigned AXFR"
	peer_axfr "$D/axfr.256" "$pb" "$ORIGIN" $K256 hmac-sha256 "$s256" ||
	    atf_fail "$name: hmac-sha256 AXFR failed: $(head -3 "$D/axfr.256.raw")"
	same_as_zone "$D/axfr.256" "$name hmac-sha256 AXFR"
	peer_axfr "$D/axfr.512" "$pb" "$ORIGIN" $K512 hmac-sha512 "$s512" ||
	    atf_fail "$name: hmac-sha512 AXFR failed: $(head -3 "$D/axfr.512.raw")"
	same_as_zone "$D/axfr.512" "$name hmac-sha512 AXFR"

	axfr_refused "$name, keyed, unsigned request" "$pb"
	axfr_refused "$name, wrong secret" "$pb" $K256 hmac-sha256 \
	    "$(tsig_secret 32)"
	axfr_refused "$name, unknown key name" "$pb" other hmac-sha256 "$s256"
	axfr_refused "$name, key under the wrong algorithm" "$pb" \
	    $K256 hmac-sha512 "$s256"

	stop_$name "$D/open"
	stop_$name "$D/tsig"
	[ ! -e "$D/open/$name.pid" ] || atf_fail "stop_$name left its pid file"
	no_peers_left
}

atf_test_case nsd_axfr_unsigned_and_tsig cleanup
nsd_axfr_unsigned_and_tsig_head() {
	atf_set descr "two NSDs side by side serve the test zone; AXFR" \
	    "unsigned, hmac-sha256 and hmac-sha512 match the zone file; bad" \
	    "or missing keys are refused"
	atf_set require.user root
}
nsd_axfr_unsigned_and_tsig_body() { axfr_case nsd; }
nsd_axfr_unsigned_and_tsig_cleanup() {
	stop_all_peers "$(pwd)/open"; stop_all_peers "$(pwd)/tsig"
}

atf_test_case knot_axfr_unsigned_and_tsig cleanup
knot_axfr_unsigned_and_tsig_head() {
	atf_set descr "two Knots side by side serve the test zone; AXFR" \
	    "unsigned, hmac-sha256 and hmac-sha512 match the zone file; bad" \
	    "or missing keys are refused"
	atf_set require.user root
}
knot_axfr_unsigned_and_tsig_body() { axfr_case knot; }
knot_axfr_unsigned_and_tsig_cleanup() {
	stop_all_peers "$(pwd)/open"; stop_all_peers "$(pwd)/tsig"
}

atf_test_case bind_axfr_unsigned_and_tsig cleanup
bind_axfr_unsigned_and_tsig_head() {
	atf_set descr "two BINDs side by side serve the test zone; AXFR" \
	    "unsigned, hmac-sha256 and hmac-sha512 match the zone file; bad" \
	    "or missing keys are refused"
	atf_set require.user root
}
bind_axfr_unsigned_and_tsig_body() { axfr_case bind; }
bind_axfr_unsigned_and_tsig_cleanup() {
	stop_all_peers "$(pwd)/open"; stop_all_peers "$(pwd)/tsig"
}

atf_test_case bind_nsupdate_adds_record_and_bumps_serial cleanup
bind_nsupdate_adds_record_and_bumps_serial_head() {
	atf_set descr "a TSIG-signed nsupdate to BIND adds a record, bumps" \
	    "the serial by one and is served by IXFR; unsigned is refused"
	atf_set require.user root
}
bind_nsupdate_adds_record_and_bumps_serial_body() {
	setup
	port=$(pick_port)
	sec=$(tsig_secret 32)
	start_bind "$D" "$port" "$ORIGIN" "$D/zone" $K256 hmac-sha256 "$sec"
	cat >"$D/upd" <<EOF
server 127.0.0.1 $port
zone $ORIGIN
update add added.$ORIGIN 300 IN A 192.0.2.222
send
EOF
	nsupdate -y "hmac-sha256:$K256:$sec" "$D/upd" >"$D/upd.out" 2>&1 ||
	    atf_fail "nsupdate failed: $(cat "$D/upd.out")"
	got=$(dig +short +norec @127.0.0.1 -p "$port" "added.$ORIGIN" A)
	[ "$got" = 192.0.2.222 ] ||
	    atf_fail "added.$ORIGIN A: expected 192.0.2.222, got '$got'"
	s=$(peer_serial "$port" "$ORIGIN")
	[ "$s" = 2024010102 ] ||
	    atf_fail "serial after the update: '$s', expected 2024010102"

	peer_ixfr "$D/ixfr" "$port" "$ORIGIN" 2024010101 \
	    $K256 hmac-sha256 "$sec" ||
	    atf_fail "IXFR failed: $(head -3 "$D/ixfr")"
	got=$(peer_soa_serials "$D/ixfr")
	[ "$got" = "2024010102 2024010101 2024010102 2024010102" ] ||
	    atf_fail "IXFR serials '$got', expected new old new new" \
	    "(incremental)"
	grep -q '^added\..*192\.0\.2\.222$' "$D/ixfr" ||
	    atf_fail "the IXFR does not add added.$ORIGIN"

	sed 's/192.0.2.222/192.0.2.223/' "$D/upd" >"$D/upd2"
	nsupdate "$D/upd2" >"$D/upd2.out" 2>&1 &&
	    atf_fail "an unsigned update succeeded"
	grep -q REFUSED "$D/upd2.out" ||
	    atf_fail "unsigned update: expected REFUSED, got $(cat "$D/upd2.out")"
	s=$(peer_serial "$port" "$ORIGIN")
	[ "$s" = 2024010102 ] ||
	    atf_fail "serial after a refused update: '$s', expected 2024010102"
	stop_bind "$D"
	no_peers_left
}
bind_nsupdate_adds_record_and_bumps_serial_cleanup() {
	stop_all_peers "$(pwd)"
}

atf_test_case all_peers_in_one_dir_stop_leaving_nothing cleanup
all_peers_in_one_dir_stop_leaving_nothing_head() {
	atf_set descr "NSD, Knot and BIND share one directory (with the" \
	    "IXFR and NOTIFY options on), reload, and stop_all_peers" \
	    "leaves no process and no pid file"
	atf_set require.user root
}
all_peers_in_one_dir_stop_leaving_nothing_body() {
	setup
	# NSD 4.6.1 cannot spool a record with empty rdata for create-ixfr
	# ("could not write ...spoolzone") and then serves AXFR for IXFR.
	grep -v ' TYPE65281 ' "$D/zone" >"$D/zone.ixfr"
	mv "$D/zone.ixfr" "$D/zone"
	sec=$(tsig_secret)
	PEER_IXFR=1
	PEER_NOTIFY="127.0.0.1 $(pick_port)"
	export PEER_IXFR PEER_NOTIFY
	start_notifysink "$D" ${PEER_NOTIFY#* } $K256 hmac-sha256 "$sec"
	for s in nsd knot bind; do
		eval port_$s=$(pick_port)
		eval start_$s "\$D" "\$port_$s" "\$ORIGIN" "\$D/zone" \
		    $K256 hmac-sha256 "\$sec"
	done
	# A new serial in NSD's and Knot's copies of the zone, then a
	# reload; the same change to BIND (a dynamic zone) by an update.
	for s in nsd knot; do
		sed -i 's/ 2024010101 / 2024010102 /' "$D/$s.zone"
		echo "reloaded.$ORIGIN 300 IN A 192.0.2.1" >>"$D/$s.zone"
		reload_peer $s "$D" || atf_fail "reload_peer $s failed"
	done
	peer_update "$port_bind" "$ORIGIN" $K256 hmac-sha256 "$sec" \
	    "update add reloaded.$ORIGIN 300 IN A 192.0.2.1" ||
	    atf_fail "peer_update of BIND failed"
	for s in nsd knot bind; do
		eval port=\$port_$s
		i=0
		while [ "$(peer_serial "$port" "$ORIGIN")" != 2024010102 ]; do
			[ $i -lt 50 ] ||
			    atf_fail "$s: serial not 2024010102 after reload"
			sleep 0.1
			i=$((i + 1))
		done
	done
	# PEER_NOTIFY: each sent a NOTIFY signed with the first key for the
	# new serial.
	i=0
	while [ "$(grep -c "^NOTIFY $ORIGIN 2024010102 $K256\.$" \
	    "$D/notify.log")" -lt 3 ]; do
		[ $i -lt 50 ] || { cat "$D/notify.log" >&2
		    atf_fail "expected 3 signed NOTIFYs for 2024010102 (above)"; }
		sleep 0.1
		i=$((i + 1))
	done
	grep -q '^BAD' "$D/notify.log" &&
	    atf_fail "a NOTIFY failed verification: $(cat "$D/notify.log")"
	# PEER_IXFR: each serves the reload as an incremental transfer.
	for s in nsd knot bind; do
		eval port=\$port_$s
		peer_ixfr "$D/$s.ixfr" "$port" "$ORIGIN" 2024010101 \
		    $K256 hmac-sha256 "$sec" ||
		    atf_fail "$s: IXFR failed: $(head -3 "$D/$s.ixfr")"
		got=$(peer_soa_serials "$D/$s.ixfr")
		[ "$got" = "2024010102 2024010101 2024010102 2024010102" ] ||
		    atf_fail "$s: IXFR serials '$got', expected new old new" \
		    "new (incremental)"
		grep -q '^reloaded\.' "$D/$s.ixfr" ||
		    atf_fail "$s: the IXFR does not add reloaded.$ORIGIN"
	done
	for s in nsd knot bind; do
		grep -q . "$D/$s.pid" || atf_fail "no $D/$s.pid"
	done
	stop_all_peers "$D"
	for s in nsd knot bind notifysink; do
		[ ! -e "$D/$s.pid" ] || atf_fail "$s.pid left after stop_all_peers"
	done
	no_peers_left
	stop_all_peers "$D"	# stopping twice is harmless
}
all_peers_in_one_dir_stop_leaving_nothing_cleanup() {
	stop_all_peers "$(pwd)"
}

# -------------------------------------------------------------- dnsdiff

atf_test_case dnsdiff_nsd_vs_knot_known_differences cleanup
dnsdiff_nsd_vs_knot_known_differences_head() {
	atf_set descr "dnsdiff.py of NSD against Knot on the test zone finds" \
	    "differences, and only those of the allow-list"
	atf_set require.user root
}
dnsdiff_nsd_vs_knot_known_differences_body() {
	setup
	pn=$(pick_port)
	pk=$(pick_port)
	start_nsd "$D" "$pn" "$ORIGIN" "$D/zone"
	start_knot "$D" "$pk" "$ORIGIN" "$D/zone"
	"$DNSDIFF" --gen-queries "$D/zone" >"$D/q" ||
	    atf_fail "dnsdiff.py --gen-queries failed"
	n=$(wc -l <"$D/q")
	[ "$n" -gt 2000 ] || atf_fail "only $n generated queries"
	"$DNSDIFF" -v --allow "$(atf_get_srcdir)/nsd_knot.allow" \
	    "127.0.0.1@$pn" "127.0.0.1@$pk" "$D/q" >"$D/diff" 2>&1
	rc=$?
	tail -1 "$D/diff" | grep -qE "^$n queries, [0-9]+ identical, [1-9][0-9]* allowed differences, 0 failures$" ||
	    { grep -v '# allowed' "$D/diff" >&2
	    atf_fail "NSD and Knot differ beyond the allow-list (above)"; }
	[ $rc = 0 ] || atf_fail "dnsdiff.py exit $rc with 0 failures"
	if grep 'allow entry matched nothing' "$D/diff" >&2; then
		atf_fail "unused allow-list entries (above)"
	fi
	"$DNSDIFF" -q "127.0.0.1@$pn" "127.0.0.1@$pk" "$D/q" >"$D/diff2" &&
	    atf_fail "without the allow-list dnsdiff.py exited 0"
	stop_all_peers "$D"
	no_peers_left
}
dnsdiff_nsd_vs_knot_known_differences_cleanup() {
	stop_all_peers "$(pwd)"
}

atf_test_case dnsdiff_reports_each_difference cleanup
dnsdiff_reports_each_difference_head() {
	atf_set descr "dnsdiff.py: identical servers are identical; a changed" \
	    "record, a missing name, a dead server each make a failure line;" \
	    "allow entries need a reason"
	atf_set require.user root
}
dnsdiff_reports_each_difference_body() {
	setup
	sed -e 's/^\(web\.example\.test\. 300 IN A\) 192\.0\.2\.10$/\1 192.0.2.99/' \
	    -e '/^multi\.example\.test\. .* TXT /d' "$D/zone" >"$D/zone2"
	cmp -s "$D/zone" "$D/zone2" && atf_fail "the sed did not change the zone"
	mkdir -p "$D/a" "$D/b" "$D/c"
	pa=$(pick_port)
	pb=$(pick_port)
	pc=$(pick_port)
	start_nsd "$D/a" "$pa" "$ORIGIN" "$D/zone"
	start_nsd "$D/b" "$pb" "$ORIGIN" "$D/zone"
	start_nsd "$D/c" "$pc" "$ORIGIN" "$D/zone2"
	"$DNSDIFF" --gen-queries "$D/zone" >"$D/q"
	n=$(wc -l <"$D/q")
	"$DNSDIFF" "127.0.0.1@$pa" "127.0.0.1@$pb" "$D/q" >"$D/same" ||
	    { cat "$D/same" >&2; atf_fail "two NSDs on one zone differ"; }
	grep -qx "$n queries, $n identical, 0 allowed differences, 0 failures" \
	    "$D/same" || atf_fail "summary: $(tail -1 "$D/same")"

	printf '%s\n' "web.example.test. A" "multi.example.test. TXT" \
	    "multi.example.test. A tcp" >"$D/q3"
	"$DNSDIFF" "127.0.0.1@$pa" "127.0.0.1@$pc" "$D/q3" >"$D/d3" &&
	    atf_fail "dnsdiff.py exited 0 on different zones"
	grep -qx 'web.example.test. A: answer: A=web.example.test. 300 IN A 192.0.2.10 | 192.0.2.11 | 192.0.2.12 B=web.example.test. 300 IN A 192.0.2.11 | 192.0.2.12 | 192.0.2.99' \
	    "$D/d3" || { cat "$D/d3" >&2; atf_fail "no line for web A"; }
	grep -q '^multi.example.test. TXT: answer: A=multi.* TXT "multi purpose" B=-$' \
	    "$D/d3" || { cat "$D/d3" >&2; atf_fail "no line for multi TXT"; }
	grep -qx '3 queries, 1 identical, 0 allowed differences, 2 failures' \
	    "$D/d3" || atf_fail "summary: $(tail -1 "$D/d3")"

	echo 'qname=multi.* qtype=TXT reason="TXT removed on purpose"' \
	    >"$D/allow"
	"$DNSDIFF" --allow "$D/allow" "127.0.0.1@$pa" "127.0.0.1@$pc" \
	    "$D/q3" >"$D/d4"
	grep -qx '3 queries, 1 identical, 1 allowed differences, 1 failures' \
	    "$D/d4" || atf_fail "with allow: $(tail -1 "$D/d4")"
	grep -q 'multi.*# allowed: TXT removed on purpose$' "$D/d4" ||
	    atf_fail "the allowed difference is not marked with its reason"

	echo 'qname=multi.* field=answer' >"$D/noreason"
	"$DNSDIFF" --allow "$D/noreason" "127.0.0.1@$pa" "127.0.0.1@$pc" \
	    "$D/q3" >"$D/d5" 2>&1
	[ $? = 2 ] || atf_fail "an allow entry without reason is not an error"
	grep -q 'needs a reason' "$D/d5" || atf_fail "message: $(cat "$D/d5")"

	dead=$(pick_port)
	echo "web.example.test. A" >"$D/q6"
	"$DNSDIFF" --timeout 0.3 "127.0.0.1@$pa" "127.0.0.1@$dead" "$D/q6" \
	    >"$D/d6"
	grep -qx 'web.example.test. A: response: A=ok B=error(.*refused)' \
	    "$D/d6" ||
	    { cat "$D/d6" >&2; atf_fail "no error line for a dead server"; }
	stop_all_peers "$D/a"
	stop_all_peers "$D/b"
	stop_all_peers "$D/c"
	no_peers_left
}
dnsdiff_reports_each_difference_cleanup() {
	for d in a b c; do stop_all_peers "$(pwd)/$d"; done
}

atf_init_test_cases() {
	atf_add_test_case zonegen_test_zone_accepted_by_all
	atf_add_test_case zonegen_bench_zone_accepted_and_streams_a_million
	atf_add_test_case zonegen_queries_mix_kinds_and_dnsperf_reads_them
	atf_add_test_case nsd_axfr_unsigned_and_tsig
	atf_add_test_case knot_axfr_unsigned_and_tsig
	atf_add_test_case bind_axfr_unsigned_and_tsig
	atf_add_test_case bind_nsupdate_adds_record_and_bumps_serial
	atf_add_test_case all_peers_in_one_dir_stop_leaving_nothing
	atf_add_test_case dnsdiff_nsd_vs_knot_known_differences
	atf_add_test_case dnsdiff_reports_each_difference
}
