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

# DNSSEC: secd serves pre-signed zones as it received them.  The
# zonegen.py test zone (--signable) is signed by dnssec-signzone (NSEC;
# NSEC3 without salt or iterations; NSEC3 with salt, iterations and
# opt-out; signatures expired; a broken chain) or by Knot's own signer,
# and secd transfers it from NSD or Knot.  With DO, secd must answer as
# they do (dnsdiff.py, with only the differences in ../serve/nsd_secd.allow
# and nsd_secd_dnssec.allow, or knot_secd_dnssec.allow), with every
# signature and denial record RFC 4035 section 3.1 asks for
# (dnssec_check.py signatures), and its answers must validate in BIND's
# delv and in a validating named; an expired zone must not validate; a
# broken one is served as transferred.

. "$(atf_get_srcdir)/../daemon/lib.sh"
. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../lib/signzone.sh"

ORIGIN=example.test.
PY=/usr/bin/python3
SRC=$(atf_get_srcdir)
CHECK=$SRC/dnssec_check.py
ALLOW_SERVE=$SRC/../serve/nsd_secd.allow
ALLOW_NSD=$SRC/nsd_secd_dnssec.allow
ALLOW_KNOT=$SRC/knot_secd_dnssec.allow
# The test zone's shapes matter, not its size: 40 ordinary names (of 300),
# and 20 of the NSEC3 owner names queried (of about 150), so that the
# program runs in about two minutes (two CPUs).
NAMES=40
NSEC3_NAMES=20

# setup: the case's directory and two ports, the primary's (PPORT) and
# secd's (SPORT).
setup() {
	D=$(pwd)
	new_ports
}

new_ports() {
	PPORT=$(pick_port)
	SPORT=$(pick_port)
	while [ "$SPORT" = "$PPORT" ]; do SPORT=$(pick_port); done
}

# fail_listed FILE WHAT: fail with the checks listed in FILE, if any.
fail_listed() {
	[ -s "$1" ] || return 0
	cat "$1" >&2
	atf_fail "$(wc -l <"$1") $2 failed; first: $(head -1 "$1")"
}

# teardown: secd, the peers and named, in the case's directory and in
# the directories of its kinds.
teardown() {
	local d
	D=$(pwd)
	for d in "$D" "$D"/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		stop_secd "$d"
		stop_all_peers "$d"
		stop_named "$d"
	done
}

# no_sanitizer_report DIR: the sanitizer build (SAN=1) found nothing.
no_sanitizer_report() {
	! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' \
	    "$1/secd.log" || atf_fail "sanitizer report: $(grep -m5 \
	    'runtime error\|Sanitizer' "$1/secd.log")"
}

# test_zone: the signable test zone in $D/zone.
test_zone() {
	[ -f "$D/zone" ] && return 0
	"$PY" "$ZONEGEN" --signable --names "$NAMES" -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py --signable failed"
}

# sign KIND: the test zone signed as KIND (signzone.sh) in $D/signed.KIND,
# its keys and anchor.conf in $D/keys.KIND.
sign() {
	test_zone
	sign_zone "$1" "$D/keys.$1" "$ORIGIN" "$D/zone" "$D/signed.$1" ||
	    atf_fail "sign_zone $1 failed"
}

# secd_from PORT [DIR]: secd in DIR (default $D) on 127.0.0.1@$SPORT (and
# ::1), transferring ORIGIN from 127.0.0.1@PORT; returns once it serves
# the primary's serial.
secd_from() {
	local port=$1 dir=${2:-$D} want i
	write_conf "$dir/secd.conf" "$dir" "$SPORT" 2
	sed -i -e "s/primary 127.0.0.1 port 5300 tsig \"xfr\"/primary 127.0.0.1 port $port/" \
	    -e '/allow notify/d' "$dir/secd.conf"
	peers_have_v6 || sed -i '/listen on ::1/d' "$dir/secd.conf"
	start_secd "$dir"
	want=$(peer_serial "$port" "$ORIGIN")
	[ -n "$want" ] || atf_fail "no SOA serial from the primary on $port"
	for i in $(seq 1 200); do
		[ "$(peer_serial "$SPORT" "$ORIGIN")" = "$want" ] && return 0
		kill -0 "$(cat "$dir/secd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 40 "$dir/secd.log" >&2
	atf_fail "secd did not serve $ORIGIN serial $want from the primary" \
	    "on port $port (log above)"
}

# queries ZONEFILE: the queries of "dnsdiff.py --gen-queries" of the
# signed zone, but for the NSEC3 owner names after the first NSEC3_NAMES,
# each with DO (but other opcodes, classes and transfers: DO changes
# nothing there, and the unsigned allow-lists match their flags), and
# those of "zonegen.py queries --dnssec", each once; into $D/queries.
queries() {
	{
		"$PY" "$DNSDIFF" --gen-queries "$1" |
		    awk -v keep="$NSEC3_NAMES" '
		    NR == FNR {
			if ($4 == "NSEC3" && ++n > keep)
				drop[tolower($1)] = 1
			next
		    }
		    !(tolower($1) in drop)' "$1" - |
		    sed -e '/ do\( \|$\)/b' -e '/ opcode=\| class=\| [AI]XFR$/b' \
		    -e 's/$/ do/'
		"$PY" "$ZONEGEN" queries --dnssec --zone "$1"
	} >"$D/queries.all" || atf_fail "making the queries failed"
	# Each query once: dnssec_check.py truncated counts by query.
	awk '!seen[$0]++' "$D/queries.all" >"$D/queries"
	[ "$(wc -l <"$D/queries")" -gt 2000 ] ||
	    atf_fail "expected more than 2000 queries, got" \
	    "$(wc -l <"$D/queries")"
}

# compare PEER PORT ZONEFILE ALLOW...: dnsdiff.py PEER on 127.0.0.1@PORT
# (A) against secd (B) over $D/queries, the contents of the answers secd
# truncates not compared, their TC flag is (dnssec_check.py truncated);
# with ZONEFILE (not "-"), dnssec_check.py signatures over secd's answers
# too.  Runs in parallel: the queries in two halves, and the signature
# check.  Fails with what differs.
compare() {
	local peer=$1 port=$2 zone=$3 a allows= pids= h msg=
	shift 3
	for a in "$@"; do
		allows="$allows --allow $a"
	done
	split -n l/2 -d "$D/queries" "$D/queries."
	for h in 00 01; do
		"$PY" "$DNSDIFF" -q $allows "127.0.0.1@$port" \
		    "127.0.0.1@$SPORT" "$D/queries.$h" >"$D/diff.$h" 2>&1 &
		pids="$pids $!"
	done
	if [ "$zone" != - ]; then
		"$PY" "$CHECK" signatures --zone "$zone" "127.0.0.1@$SPORT" \
		    "$D/queries" >"$D/sigs" 2>&1 &
		pids="$pids $!"
	fi
	wait $pids	# children of this shell, not secd
	for h in 00 01; do
		grep -q '^[0-9]* queries, ' "$D/diff.$h" ||
		    { cat "$D/diff.$h" >&2; atf_fail "dnsdiff.py failed (above)"; }
	done
	awk '/^[0-9]+ queries, [0-9]+ identical, / {
		n += $1; same += $3; al += $5; f += $8; next }
	    { print }
	    END { printf "%d queries, %d identical, %d allowed differences," \
		" %d failures\n", n, same, al, f }' \
	    "$D/diff.00" "$D/diff.01" >"$D/diff.raw"
	if ! "$PY" "$CHECK" truncated "127.0.0.1@$port" "127.0.0.1@$SPORT" \
	    <"$D/diff.raw" >"$D/diff" 2>&1; then
		echo "=== $peer (A, expected) and secd (B, got) differ:" >&2
		grep -v '^#' "$D/diff" | head -60 >&2
		msg="secd differs from $peer (A=$peer expected, B=secd got):"
		msg="$msg $(tail -1 "$D/diff"); first:"
		msg="$msg $(grep -v '^#' "$D/diff" | head -1 | cut -c1-400)"
	fi
	if [ "$zone" != - ] && ! tail -1 "$D/sigs" | grep -q ' 0 failures$'; then
		echo "=== secd's answers that RFC 4035 3.1 finds wanting:" >&2
		head -40 "$D/sigs" >&2
		msg="${msg:+$msg; }secd's DO answers lack signatures or denial"
		msg="$msg records (expected every RRset signed, the proofs"
		msg="$msg present): $(tail -1 "$D/sigs"); first:"
		msg="$msg $(head -1 "$D/sigs" | cut -c1-300)"
	fi
	[ -z "$msg" ] || atf_fail "$msg"
	tail -1 "$D/diff"
	[ "$zone" = - ] || tail -1 "$D/sigs"
}

# --------------------------------------------------------- differential

# differential_nsd KIND: NSD serves the zone signed as KIND, secd
# transfers it from NSD; the same answers.
differential_nsd() {
	setup
	sign "$1"
	start_nsd "$D" "$PPORT" "$ORIGIN" "$D/signed.$1"
	secd_from "$PPORT"
	queries "$D/signed.$1"
	compare NSD "$PPORT" "$D/signed.$1" "$ALLOW_SERVE" "$ALLOW_NSD"
	no_sanitizer_report "$D"
}

# differential_knot KIND: Knot serves the zone signed as KIND, secd
# transfers it from Knot; the same answers.
differential_knot() {
	setup
	sign "$1"
	start_knot "$D" "$PPORT" "$ORIGIN" "$D/signed.$1"
	secd_from "$PPORT"
	queries "$D/signed.$1"
	compare Knot "$PPORT" - "$ALLOW_KNOT"
	no_sanitizer_report "$D"
}

atf_test_case differential_nsec_nsd cleanup
differential_nsec_nsd_head() {
	atf_set descr "with DO, secd answers an NSEC-signed zone as NSD" \
	    "does, every RRset signed and every denial proven"
	atf_set require.user root
}
differential_nsec_nsd_body() { differential_nsd nsec; }
differential_nsec_nsd_cleanup() { teardown; }

atf_test_case differential_nsec3_nsd cleanup
differential_nsec3_nsd_head() {
	atf_set descr "with DO, secd answers an NSEC3-signed zone" \
	    "(no salt, no iterations) as NSD does"
	atf_set require.user root
}
differential_nsec3_nsd_body() { differential_nsd nsec3; }
differential_nsec3_nsd_cleanup() { teardown; }

atf_test_case differential_optout_nsd cleanup
differential_optout_nsd_head() {
	atf_set descr "with DO, secd answers an NSEC3 opt-out zone (salt," \
	    "5 iterations) as NSD does"
	atf_set require.user root
}
differential_optout_nsd_body() { differential_nsd optout; }
differential_optout_nsd_cleanup() { teardown; }

atf_test_case differential_nsec_knot cleanup
differential_nsec_knot_head() {
	atf_set descr "with DO, secd answers an NSEC-signed zone as Knot does"
	atf_set require.user root
}
differential_nsec_knot_body() { differential_knot nsec; }
differential_nsec_knot_cleanup() { teardown; }

atf_test_case differential_nsec3_knot cleanup
differential_nsec3_knot_head() {
	atf_set descr "with DO, secd answers an NSEC3-signed zone as Knot does"
	atf_set require.user root
}
differential_nsec3_knot_body() { differential_knot nsec3; }
differential_nsec3_knot_cleanup() { teardown; }

atf_test_case differential_optout_knot cleanup
differential_optout_knot_head() {
	atf_set descr "with DO, secd answers an NSEC3 opt-out zone as Knot" \
	    "does"
	atf_set require.user root
}
differential_optout_knot_body() { differential_knot optout; }
differential_optout_knot_cleanup() { teardown; }

# knot_signed DIR PORT OUT: the zone Knot signed, by AXFR, into OUT (in the
# order of the transfer, SOA first, once).
knot_signed() {
	peer_axfr "$1/knot.axfr" "$2" "$ORIGIN" ||
	    atf_fail "AXFR of the zone Knot signed failed:" \
	    "$(tail -3 "$1/knot.axfr.raw")"
	awk '!seen[$0]++' "$1/knot.axfr.raw" >"$3"
	grep -q '[[:space:]]NSEC3PARAM[[:space:]]' "$3" ||
	    atf_fail "expected the zone Knot signed to have an NSEC3PARAM"
}

atf_test_case knot_signer cleanup
knot_signer_head() {
	atf_set descr "a zone Knot signs itself (NSEC3) and secd transfers" \
	    "is answered with DO as Knot answers it"
	atf_set require.user root
}
knot_signer_body() {
	setup
	test_zone
	PEER_SIGN=nsec3 start_knot "$D" "$PPORT" "$ORIGIN" "$D/zone"
	knot_signed "$D" "$PPORT" "$D/signed.knot"
	secd_from "$PPORT"
	queries "$D/signed.knot"
	compare Knot "$PPORT" "$D/signed.knot" "$ALLOW_KNOT"
	no_sanitizer_report "$D"
}
knot_signer_cleanup() { teardown; }

# ----------------------------------------------------------- validation

# serve KIND: in $D/KIND, NSD serves the zone signed as KIND (or Knot
# signs it, for "knot") and secd transfers it; ANCHOR is the trust anchor
# file, PPORT and SPORT the ports, DK the directory.
serve() {
	DK=$D/$1
	mkdir -p "$DK"
	new_ports
	if [ "$1" = knot ]; then
		test_zone
		PEER_SIGN=nsec3 start_knot "$DK" "$PPORT" "$ORIGIN" "$D/zone"
		knot_anchor "$DK" "$PPORT" "$ORIGIN" "$DK/anchor.conf"
		ANCHOR=$DK/anchor.conf
	else
		sign "$1"
		start_nsd "$DK" "$PPORT" "$ORIGIN" "$D/signed.$1"
		ANCHOR=$D/keys.$1/anchor.conf
	fi
	secd_from "$PPORT" "$DK"
}

# unserve: stop what serve started.
unserve() {
	no_sanitizer_report "$DK"
	stop_secd "$DK"
	stop_all_peers "$DK"
}

# first_nsec3 KIND: O3, the first NSEC3 owner name of the zone signed as
# KIND (the one Knot serves, for "knot"); fails without one.
first_nsec3() {
	local f=$D/signed.$1 i
	if [ "$1" = knot ]; then
		# a busy machine may time the transfer out: again
		for i in 1 2 3; do
			peer_axfr "$DK/knot.axfr" "$PPORT" "$ORIGIN" && break
			sleep 1
		done
		f=$DK/knot.axfr.raw
	fi
	O3=$(awk '$4 == "NSEC3" { print $1; exit }' "$f")
	[ -n "$O3" ] || atf_fail "$1: expected an NSEC3 in the zone" \
	    "served, got none: $(tail -n 2 "$f")"
}

# The delv sample: NAME TYPE WHAT, NAME relative to the origin ("@": the
# origin).  WHAT: "secure" (delv validates the answer or the denial) or
# "wildcard" (secure, or with NSEC3 opt-out insecure: the NSEC3 covering
# the next closer name may hide an unsigned delegation, RFC 5155 8.8, and
# BIND calls such a wildcard answer unsigned).
DELV_SAMPLE='web A secure
www A secure
chain1 A secure
nx-nothere A secure
web MX secure
foo.wild A wildcard
foo.wild MX secure
*.mxwild A secure
foo.w.went A wildcard
towild A wildcard
dangling A secure
c A secure
b.c A secure
optent A secure
sub DS secure
sub2 DS secure
deleg.optent DS secure
optent DS secure
nx.dnin A secure
@ DNSKEY secure
@ CDS secure
@ CDNSKEY secure'

# delv_one NAME TYPE: delv's output for NAME TYPE from secd.
delv_one() {
	timeout 30 delv @127.0.0.1 -p "$SPORT" -a "$ANCHOR" +root="$ORIGIN" \
	    "$1" "$2" 2>&1
}

# delv_check KIND: every query of the sample validates (or, for the
# expired kind, none does); the failures appended to $D/delv.bad.  The
# queries run at once: delv takes seconds over a CNAME that does not
# validate.
delv_check() {
	local kind=$1 name type what out i pids=
	case $kind in
	nsec3|optout|knot) first_nsec3 "$kind" ;;
	esac
	{
		echo "$DELV_SAMPLE"
		case $kind in
		nsec3|optout|knot)
			echo "@ NSEC3PARAM secure"
			# NSEC3 owner names are not names of the zone
			# (RFC 5155 7.2.8): a name below one is NXDOMAIN,
			# proven from the apex.
			echo "x.$O3 A secure" ;;
		esac
	} | awk -v o="$ORIGIN" '{
		if ($1 == "@")
			$1 = o
		else if ($1 !~ /\.$/)
			$1 = $1 "." o
		print
	}' >"$DK/delv.list"
	i=0
	while read -r name type what; do
		i=$((i + 1))
		delv_one "$name" "$type" >"$DK/delv.$i" &
		pids="$pids $!"
	done <"$DK/delv.list"
	wait $pids	# children of this shell, not secd
	i=0
	while read -r name type what; do
		i=$((i + 1))
		out=$(cat "$DK/delv.$i")
		if [ "$kind" = expired ]; then
			if echo "$out" | grep -q 'fully validated\|unsigned answer' ||
			    ! echo "$out" | grep -q 'resolution failed'; then
				echo "$kind $name $type: expected a validation" \
				    "failure (signatures expired), got:" \
				    "$(echo "$out" | head -3 | tr '\n' ' ')"
			fi
			continue
		fi
		if echo "$out" | grep -q '^; \(negative response, \)\{0,1\}fully validated$' &&
		    ! echo "$out" | grep -q 'broken trust chain\|no valid \|insecurity proof failed\|verify failed\|unsigned answer'; then
			continue
		fi
		if [ "$what" = wildcard ] && [ "$kind" = optout ] &&
		    echo "$out" | grep -q '^; unsigned answer$' &&
		    ! echo "$out" | grep -q 'broken trust chain\|no valid \|insecurity proof failed\|verify failed'; then
			continue
		fi
		echo "$kind $name $type: expected 'fully validated', got:" \
		    "$(echo "$out" | grep '^;' | head -4 | tr '\n' ' ')"
	done <"$DK/delv.list" >>"$D/delv.bad"
}

atf_test_case validate_delv cleanup
validate_delv_head() {
	atf_set descr "delv, with the zone's key as trust anchor, validates" \
	    "secd's answers of every kind (positive, CNAME, NXDOMAIN, NODATA," \
	    "wildcards, empty non-terminals, DS and its absence, DNSKEY) and" \
	    "fails those of the zone whose signatures expired"
	atf_set require.user root
}
validate_delv_body() {
	local kind
	setup
	: >"$D/delv.bad"
	for kind in nsec nsec3 optout knot expired; do
		serve "$kind"
		delv_check "$kind"
		unserve
	done
	fail_listed "$D/delv.bad" "delv checks"
}
validate_delv_cleanup() { teardown; }

# named: a validating resolver on 127.0.0.1@RPORT with ANCHOR, that asks
# secd (a static-stub zone; the port of every server it asks is SPORT:
# server-addresses take no port) for the zone; in $DK.
start_named() {
	local dir=$1 i
	RPORT=$(pick_port)
	while [ "$RPORT" = "$SPORT" ] || [ "$RPORT" = "$PPORT" ]; do
		RPORT=$(pick_port)
	done
	mkdir -p "$dir/named.d"
	cat >"$dir/named.conf" <<EOF
options {
	directory "$dir/named.d";
	pid-file "$dir/named.d/named.pid";
	session-keyfile "$dir/named.d/session.key";
	managed-keys-directory "$dir/named.d";
	dump-file "$dir/named.d/named_dump.db";
	port $SPORT;
	listen-on port $RPORT { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion yes;
	allow-query { 127.0.0.1; };
	allow-recursion { 127.0.0.1; };
	dnssec-validation yes;
	qname-minimization off;
	notify no;
};

controls { };

$(cat "$ANCHOR")

zone "$ORIGIN" {
	type static-stub;
	server-addresses { 127.0.0.1; };
};
EOF
	named-checkconf "$dir/named.conf" >"$dir/named.log" 2>&1 ||
	    { cat "$dir/named.log" >&2; atf_fail "named: bad config"; }
	named -g -n 1 -c "$dir/named.conf" </dev/null >>"$dir/named.log" 2>&1 &
	echo $! >"$dir/named.pid"
	for i in $(seq 1 100); do
		grep -q 'running$' "$dir/named.log" && return 0
		kill -0 "$(cat "$dir/named.pid")" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$dir/named.log" >&2
	atf_fail "named did not start (log above)"
}

stop_named() { peers_stop named "$1"; }

# resolve_check KIND NAME TYPE RCODE AD: through named, NAME TYPE gets
# RCODE, and the AD flag when AD is "ad"; failures appended to
# $D/resolve.bad.
resolve_check() {
	local kind=$1 name=$2 type=$3 rcode=$4 ad=$5 out got flags
	case $name in
	@) name=$ORIGIN ;;
	*) name=$name.$ORIGIN ;;
	esac
	out=$(dig +dnssec +time=5 +tries=1 @127.0.0.1 -p "$RPORT" \
	    "$name" "$type" 2>&1)
	got=$(echo "$out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
	flags=$(echo "$out" | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p')
	if [ "$got" != "$rcode" ]; then
		echo "$kind $name $type: expected $rcode, got ${got:-no answer}" \
		    "(flags: $flags)" >>"$D/resolve.bad"
	elif [ "$ad" = ad ] && ! echo " $flags " | grep -q ' ad '; then
		echo "$kind $name $type: expected $rcode with AD (validated)," \
		    "got $rcode with flags: $flags" >>"$D/resolve.bad"
	fi
}

atf_test_case validate_resolver cleanup
validate_resolver_head() {
	atf_set descr "a validating named with the zone's key as trust" \
	    "anchor, asking secd, sets AD on positive, NXDOMAIN, NODATA and" \
	    "wildcard answers, resolves the insecure delegations, and" \
	    "SERVFAILs the zone whose signatures expired"
	atf_set require.user root
}
validate_resolver_body() {
	local kind oad
	setup
	: >"$D/resolve.bad"
	for kind in nsec nsec3 optout expired; do
		serve "$kind"
		start_named "$DK"
		# Opt-out: what rests on an NSEC3 that covers the next
		# closer name with the opt-out flag (NXDOMAIN, a wildcard
		# answer or NODATA, no DS at an unsigned delegation) is
		# insecure, not validated: an unsigned delegation may hide
		# there (RFC 5155 6, 8.8, 9.2); BIND answers it without AD.
		oad=ad
		[ "$kind" = optout ] && oad=-
		if [ "$kind" = expired ]; then
			resolve_check "$kind" web A SERVFAIL -
			resolve_check "$kind" nx-nothere A SERVFAIL -
			resolve_check "$kind" @ DNSKEY SERVFAIL -
		else
			resolve_check "$kind" web A NOERROR ad
			resolve_check "$kind" www A NOERROR ad
			resolve_check "$kind" web MX NOERROR ad
			resolve_check "$kind" sub DS NOERROR ad
			resolve_check "$kind" @ DNSKEY NOERROR ad
			resolve_check "$kind" nx-nothere A NXDOMAIN "$oad"
			resolve_check "$kind" foo.wild A NOERROR "$oad"
			resolve_check "$kind" foo.wild MX NOERROR "$oad"
			resolve_check "$kind" sub2 DS NOERROR "$oad"
			resolve_check "$kind" deleg.optent DS NOERROR "$oad"
		fi
		stop_named "$DK"
		unserve
	done
	fail_listed "$D/resolve.bad" "resolver checks"
}
validate_resolver_cleanup() { teardown; }

# zone_dnssec DIR FIELD...: the fields of "dnssec" in secctl -j show zones
# of the secd in DIR, on one line ("null" when the zone is not signed).
zone_dnssec() {
	local dir=$1
	shift
	"$(SECCTL)" -s "$dir/secd.sock" -j show zones | "$PY" -c '
import json, sys
z = json.load(sys.stdin)["zones"][0]["dnssec"]
print("null" if z is None else " ".join(str(z[f]) for f in sys.argv[1:]))
' "$@"
}

# ------------------------------------------------------------ health

atf_test_case signature_health_shown cleanup
signature_health_shown_head() {
	atf_set descr "a zone whose signatures expire within its SOA EXPIRE" \
	    "or have expired is served and flagged: the log warns, secctl" \
	    "show zones and show zone say expiring or expired; a fresh zone" \
	    "says ok"
	atf_set require.user root
}
signature_health_shown_body() {
	local kind got
	setup
	for kind in nsec expiring expired; do
		serve "$kind"
		got=$(zone_dnssec "$DK" sig_state)
		want=$kind
		[ "$kind" = nsec ] && want=ok
		[ "$got" = "$want" ] ||
		    atf_fail "$kind: secctl show zones: expected sig_state" \
		    "$want, got '$got'"
		"$(SECCTL)" -s "$DK/secd.sock" show zones >"$DK/zones.txt"
		# show zone says the same after its table
		got=$("$(SECCTL)" -s "$DK/secd.sock" -j show zone "$ORIGIN" |
		    "$PY" -c 'import json, sys
print(json.load(sys.stdin)["dnssec"]["sig_state"])')
		[ "$got" = "$want" ] ||
		    atf_fail "$kind: secctl show zone: expected sig_state" \
		    "$want, got '$got'"
		"$(SECCTL)" -s "$DK/secd.sock" show zone "$ORIGIN" |
		    tail -1 >>"$DK/zones.txt"
		[ "$(grep -c 'DNSSEC signed, first RRSIG' "$DK/zones.txt")" = 2 ] ||
		    atf_fail "$kind: expected the signatures' line in show" \
		    "zones and show zone, got: $(cat "$DK/zones.txt")"
		case $kind in
		expiring)
			grep -q 'its signatures expire in' "$DK/secd.log" ||
			    atf_fail "expiring: no warning in the log"
			grep -q 'WARNING: within the zone' "$DK/zones.txt" ||
			    atf_fail "expiring: no warning in show zones:" \
			    "$(cat "$DK/zones.txt")" ;;
		expired)
			grep -q 'its signatures expired' "$DK/secd.log" ||
			    atf_fail "expired: no warning in the log"
			grep -q 'WARNING: signatures expired' \
			    "$DK/zones.txt" ||
			    atf_fail "expired: no warning in show zones:" \
			    "$(cat "$DK/zones.txt")" ;;
		*)
			! grep -q 'WARNING' "$DK/zones.txt" ||
			    atf_fail "$kind: unexpected warning:" \
			    "$(cat "$DK/zones.txt")" ;;
		esac
		unserve
	done
}
signature_health_shown_cleanup() { teardown; }

# ------------------------------------------------------------- re-sign

# knot_next FILE: Knot (PEER_IXFR, in $D) serves FILE from now on; secd
# refreshes and must serve its serial, by IXFR.
knot_next() {
	local want
	want=$(awk '$4 == "SOA" { print $7; exit }' "$1")
	cp "$1" "$D/knot.zone"
	reload_peer knot "$D" || atf_fail "Knot did not reload"
	for i in $(seq 1 100); do
		[ "$(peer_serial "$PPORT" "$ORIGIN")" = "$want" ] && break
		sleep 0.1
	done
	"$(SECCTL)" -s "$D/secd.sock" refresh "${ORIGIN%.}" >"$D/refresh" 2>&1 ||
	    atf_fail "secctl refresh: $(cat "$D/refresh")"
	[ "$(peer_serial "$SPORT" "$ORIGIN")" = "$want" ] ||
	    atf_fail "expected secd to serve serial $want, got" \
	    "$(peer_serial "$SPORT" "$ORIGIN"): $(cat "$D/refresh")"
	grep -q "serial $want by IXFR" "$D/refresh" ||
	    atf_fail "expected serial $want by IXFR, got: $(cat "$D/refresh")"
}

# from_knot KIND: Knot (PEER_IXFR) serves $D/signed.KIND, secd transfers
# it from Knot; delv_check trusts the keys of $D/keys.KIND.
from_knot() {
	PEER_IXFR=1 start_knot "$D" "$PPORT" "$ORIGIN" "$D/signed.$1"
	secd_from "$PPORT"
	DK=$D ANCHOR=$D/keys.$1/anchor.conf
	: >"$D/delv.bad"
}

atf_test_case resign_ixfr_validates cleanup
resign_ixfr_validates_head() {
	atf_set descr "IXFRs of a signed zone (a name added and signed, then" \
	    "the whole zone re-signed) are applied, the first without a" \
	    "full build, and the answers validate after each"
	atf_set require.user root
}
resign_ixfr_validates_body() {
	local keys serial exp0 exp1
	setup
	sign nsec3
	keys=$D/keys.nsec3
	from_knot nsec3
	exp0=$(zone_dnssec "$D" sig_expire)

	# A name added: dnssec-signzone keeps the signatures it can, so the
	# IXFR holds the new name, its RRSIG, the SOA and the NSEC3s around.
	serial=$(awk '$4 == "SOA" { print $7 + 1; exit }' "$D/signed.nsec3")
	awk -v s="$serial" '$4 == "SOA" && !done { $7 = s; done = 1 } 1' \
	    "$D/signed.nsec3" >"$D/in.1"
	echo "added.$ORIGIN 300 IN A 192.0.2.123" >>"$D/in.1"
	dnssec-signzone -q -O full -3 - -H 0 -o "$ORIGIN" -K "$keys" \
	    -d "$keys" -f "$D/signed.1" "$D/in.1" "$keys"/K*.private \
	    >"$D/signzone.1" 2>&1 ||
	    atf_fail "dnssec-signzone: $(cat "$D/signzone.1")"
	knot_next "$D/signed.1"
	grep -q "zone example.test: serving serial $serial, [0-9]* names \
changed" "$D/secd.log" ||
	    atf_fail "expected serial $serial served without a full build" \
	    "(\"names changed\"), got: $(grep "serial $serial\|in full" \
	    "$D/secd.log" | tail -3 | tr "\n" " ")"
	DELV_SAMPLE="$DELV_SAMPLE
added A secure
added AAAA secure
nx.added A secure"
	delv_check nsec3

	# The whole zone re-signed with another validity window: every
	# RRSIG changes.
	serial=$((serial + 1))
	awk -v s="$serial" '$4 == "SOA" && !done { $7 = s; done = 1 } 1' \
	    "$D/zone" >"$D/in.2"
	echo "added.$ORIGIN 300 IN A 192.0.2.123" >>"$D/in.2"
	SIGNZONE_ARGS="-s $(date -u -d '-1 hour' +%Y%m%d%H%M%S) -e \
$(date -u -d '+40 days' +%Y%m%d%H%M%S)" \
	    sign_zone nsec3 "$keys" "$ORIGIN" "$D/in.2" "$D/signed.2" ||
	    atf_fail "re-signing failed"
	knot_next "$D/signed.2"
	delv_check nsec3
	fail_listed "$D/delv.bad" "delv checks after the IXFRs"
	exp1=$(zone_dnssec "$D" sig_expire)
	[ "$exp1" -gt "$exp0" ] 2>/dev/null ||
	    atf_fail "expected the earliest RRSIG expiration to move on" \
	    "after the re-sign, got $exp0 then $exp1"
	no_sanitizer_report "$D"
}
resign_ixfr_validates_cleanup() { teardown; }

atf_test_case partial_resign_kept cleanup
partial_resign_kept_head() {
	atf_set descr "a partial re-sign (the signatures that end soonest:" \
	    "an IXFR of more than 2,000 records, at most an eighth of the" \
	    "zone's) is applied by the kept zone, not built in full; the" \
	    "answers are Knot's, every RRset signed, and validate"
	atf_set require.user root
}
partial_resign_kept_body() {
	local keys serial n now
	setup
	# 10,000 names, their signatures ending 10 to 30 days from now
	# (-j: spread as a signer spreads them to re-sign a few at a time)
	NAMES=10000
	now=$(date -u +%s)
	SIGNZONE_ARGS="-e $((now + 30 * 86400)) -j $((20 * 86400))" \
	    sign nsec3
	keys=$D/keys.nsec3
	from_knot nsec3

	# The signed zone signed again with a cycle interval of 12 days
	# (-i): only the signatures that end within it are made again,
	# about a tenth, as a primary re-signing incrementally does.
	serial=$(awk '$4 == "SOA" { print $7 + 1; exit }' "$D/signed.nsec3")
	awk -v s="$serial" '$4 == "SOA" && !done { $7 = s; done = 1 } 1' \
	    "$D/signed.nsec3" >"$D/in.1"
	dnssec-signzone -q -O full -3 - -H 0 -i $((12 * 86400)) \
	    -o "$ORIGIN" -K "$keys" -d "$keys" -f "$D/signed.1" "$D/in.1" \
	    "$keys"/K*.private >"$D/signzone.1" 2>&1 ||
	    atf_fail "dnssec-signzone: $(cat "$D/signzone.1")"
	knot_next "$D/signed.1"
	n=$(sed -n "s/.*zone example.test: IXFR [0-9]* -> $serial: [0-9]* \
deltas, \([0-9]*\) records changed.*/\1/p" "$D/secd.log" | tail -1)
	[ "${n:-0}" -gt 2000 ] ||
	    atf_fail "expected an IXFR of more than 2,000 records, got" \
	    "'${n:-none}': $(grep "IXFR" "$D/secd.log" | tail -2 | tr "\n" " ")"
	grep -q "zone example.test: serving serial $serial, [0-9]* names \
changed" "$D/secd.log" ||
	    atf_fail "expected serial $serial served without a full build" \
	    "(\"names changed\"), got: $(grep "serial $serial\|in full" \
	    "$D/secd.log" | tail -3 | tr "\n" " ")"
	[ -s "$D/db/example.test.jnl" ] ||
	    atf_fail "expected the IXFR in db/example.test.jnl"

	# The answers after it: Knot's, signed, and valid.  One query in
	# eight of the zone's (there are some 80,000).
	queries "$D/signed.1"
	awk 'NR % 8 == 1' "$D/queries" >"$D/queries.some"
	mv "$D/queries.some" "$D/queries"
	compare Knot "$PPORT" "$D/signed.1" "$ALLOW_KNOT"
	delv_check nsec3
	fail_listed "$D/delv.bad" "delv checks after the partial re-sign"
	no_sanitizer_report "$D"
}
partial_resign_kept_cleanup() { teardown; }

# --------------------------------------------------------------- broken

atf_test_case broken_zone_served_as_transferred cleanup
broken_zone_served_as_transferred_head() {
	atf_set descr "a zone with missing RRSIGs and a hole in its NSEC3" \
	    "chain is transferred and served as it is: every record kept," \
	    "no signature made up, every process alive, DO answers given"
	atf_set require.user root
}
broken_zone_served_as_transferred_body() {
	local kids now n want got q out bad=
	setup
	sign broken
	start_nsd "$D" "$PPORT" "$ORIGIN" "$D/signed.broken"
	secd_from "$PPORT"
	kids=$(child_pids "$D" | sort | tr '\n' ' ')

	# Every record kept: secctl show zone has as many as the file.
	want=$(grep -cv '^;' "$D/signed.broken")
	"$(SECCTL)" -s "$D/secd.sock" -j show zone "$ORIGIN" >"$D/show.json" ||
	    atf_fail "secctl show zone failed: $(cat "$D/show.json")"
	got=$("$PY" -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["records"]))' "$D/show.json") ||
	    atf_fail "secctl -j show zone: not the JSON expected"
	[ "$got" = "$want" ] ||
	    atf_fail "expected the $want records of the broken zone, got $got"

	# The RRsets whose signatures were removed: the same records as
	# NSD's, without an RRSIG made up.
	echo "$broken_rrsigs" | while read -r n t; do
		for p in "$PPORT" "$SPORT"; do
			dig +dnssec +norec +nocookie +noall +answer \
			    @127.0.0.1 -p "$p" "$n.$ORIGIN" "$t" |
			    awk '{ $2 = ""; print }' | sort >"$D/ans.$p"
		done
		cmp -s "$D/ans.$PPORT" "$D/ans.$SPORT" ||
		    echo "$n $t: expected NSD's answer" \
		    "'$(tr '\n' ' ' <"$D/ans.$PPORT")', got" \
		    "'$(tr '\n' ' ' <"$D/ans.$SPORT")'"
		grep -q . "$D/ans.$SPORT" ||
		    echo "$n $t: expected the records, got an empty answer"
		grep -q " RRSIG $t " "$D/ans.$SPORT" &&
		    echo "$n $t: expected no RRSIG (none transferred), got one"
	done >"$D/broken.bad"
	[ -s "$D/broken.bad" ] &&
	    atf_fail "$(head -1 "$D/broken.bad") ($(wc -l <"$D/broken.bad") problems)"

	# DO answers come back, over UDP and TCP, positive and negative,
	# near the hole in the chain too.
	for q in "web A" "www A" "nx-nothere A" "web MX" "foo.wild A" \
	    "sub DS" "sub2 DS" "@ DNSKEY" "@ NSEC3PARAM" "$broken_nsec3 A" \
	    "x.$broken_nsec3 A"; do
		set -- $q
		case $1 in
		@) n=$ORIGIN ;;
		*.) n=$1 ;;
		*) n=$1.$ORIGIN ;;
		esac
		for p in +notcp +tcp; do
			out=$(dig +dnssec +norec +time=2 +tries=1 $p @127.0.0.1 \
			    -p "$SPORT" "$n" "$2" 2>&1)
			echo "$out" | grep -q 'status: \(NOERROR\|NXDOMAIN\)' ||
			    bad="$bad; $n $2 $p: expected NOERROR or NXDOMAIN, got $(echo "$out" |
			    grep -m1 'status:\|timed out\|error' || echo nothing)"
		done
	done
	[ -z "$bad" ] || atf_fail "DO answers of the broken zone:${bad#;}"

	# Served as it is, and said: five RRsets unsigned, one break in the
	# NSEC3 chain (the record before the hole names it).
	grep -q "zone example.test: serial [0-9]* served as transferred, \
though 5 RRsets have no RRSIG and its NSEC or NSEC3 chain misses a next \
name 1 times" "$D/secd.log" ||
	    atf_fail "expected the warning of 5 unsigned RRsets and 1 chain" \
	    "break in the log, got: $(grep 'served as transferred' \
	    "$D/secd.log" || echo none)"
	got=$(zone_dnssec "$D" sig_missing chain_breaks)
	[ "$got" = "5 1" ] ||
	    atf_fail "secctl show zones: expected sig_missing 5 and" \
	    "chain_breaks 1, got '$got'"

	kill -0 "$(cat "$D/secd.pid")" 2>/dev/null ||
	    atf_fail "the parent died: $(tail -20 "$D/secd.log")"
	now=$(child_pids "$D" | sort | tr '\n' ' ')
	[ "$now" = "$kids" ] ||
	    atf_fail "children were '$kids', now '$now': $(tail -20 "$D/secd.log")"
	no_sanitizer_report "$D"
}
broken_zone_served_as_transferred_cleanup() { teardown; }

atf_init_test_cases() {
	atf_add_test_case differential_nsec_nsd
	atf_add_test_case differential_nsec3_nsd
	atf_add_test_case differential_optout_nsd
	atf_add_test_case differential_nsec_knot
	atf_add_test_case differential_nsec3_knot
	atf_add_test_case differential_optout_knot
	atf_add_test_case knot_signer
	atf_add_test_case validate_delv
	atf_add_test_case validate_resolver
	atf_add_test_case broken_zone_served_as_transferred
	atf_add_test_case signature_health_shown
	atf_add_test_case resign_ixfr_validates
	atf_add_test_case partial_resign_kept
}
