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

# Signed zones for the DNSSEC tests: dnssec-signzone (BIND's signer) with
# ECDSA P-256 keys (RFC 8624: algorithm 13), in the shapes secd must serve
# as it received them.
#
# Sourced by atf-sh test programs and plain sh scripts, after peers.sh
# (for peers_fail).  POSIX sh: runs under dash.
#
#   sign_zone KIND DIR ORIGIN INFILE OUTFILE
#	Sign INFILE (a zone file for ORIGIN, e.g. "zonegen.py --signable")
#	into OUTFILE, one record a line with its owner (dnssec-signzone -O
#	full), with a KSK (flags 257) and a ZSK (256) kept in DIR: made
#	there the first time, used again when DIR has them (to re-sign a
#	changed zone with the same keys).  The apex gets the KSK's CDS and
#	CDNSKEY (RFC 7344).  KIND:
#	  nsec     NSEC (RFC 4034)
#	  nsec3    NSEC3, iterations 0, no salt (RFC 9276)
#	  optout   NSEC3, salt, 5 iterations, opt-out (RFC 5155 6): the
#	           insecure delegations and empty non-terminals that lead
#	           only to them have no NSEC3
#	  expired  NSEC, every signature's validity window in the past
#	           (inception 60 days ago, expiration 30 days ago)
#	  expiring NSEC, signatures that expire in 2 days: within the SOA
#	           EXPIRE of the test zone (14 days)
#	  broken   NSEC3 as nsec3, then the RRSIGs of a few RRsets removed
#	           (broken_rrsigs) and one NSEC3 record removed (its RRSIG
#	           kept), so that the chain has a hole (broken_nsec3 holds
#	           its owner after the call)
#	Writes DIR/anchor.conf: a trust-anchors block with the KSK, for
#	"delv -a" (with +root=ORIGIN) and named.conf.  Signatures are valid
#	from an hour ago for 30 days (but expired, expiring).
#	SIGNZONE_ARGS in the environment adds options for dnssec-signzone
#	(e.g. -s and -e: another validity window, so that every RRSIG
#	changes, as when a primary re-signs).
#   anchor_conf ORIGIN KEYFILE OUT
#	A trust-anchors block for the DNSKEY (flags 257) in KEYFILE (lines
#	"owner [ttl] [class] DNSKEY 257 3 13 key...") into OUT.

SIGNZONE_KEYGEN=${SIGNZONE_KEYGEN:-dnssec-keygen}
SIGNZONE_SIGNER=${SIGNZONE_SIGNER:-dnssec-signzone}

signzone_fail() {
	if type peers_fail >/dev/null 2>&1; then
		peers_fail "$@"
	else
		echo "signzone.sh: $*" >&2
	fi
	return 1
}

# signzone_keys DIR ORIGIN: the KSK and ZSK key files of ORIGIN in DIR
# (basenames without .key), made when there are none.
signzone_keys() {
	local dir=$1 origin=$2 k
	set -- "$dir"/K"$origin"+013+*.key
	if [ ! -e "$1" ]; then
		(cd "$dir" &&
		    "$SIGNZONE_KEYGEN" -q -a ECDSAP256SHA256 -f KSK "$origin" &&
		    "$SIGNZONE_KEYGEN" -q -a ECDSAP256SHA256 "$origin") \
		    >"$dir/keygen.log" 2>&1 ||
		    { cat "$dir/keygen.log" >&2
		    signzone_fail "dnssec-keygen failed for $origin"
		    return 1; }
		set -- "$dir"/K"$origin"+013+*.key
	fi
	for k in "$@"; do
		echo "${k%.key}"
	done
}

# signzone_ksk KEYBASE...: the one whose DNSKEY has flags 257.
signzone_ksk() {
	local k
	for k in "$@"; do
		grep -q 'DNSKEY[[:space:]]*257 ' "$k.key" && { echo "$k"; return 0; }
	done
	return 1
}

anchor_conf() {
	local origin=${1%.}.
	awk -v o="$origin" '
	$0 !~ /^;/ {
		for (i = 2; i <= NF; i++)
			if ($i == "DNSKEY")
				break
		if (i + 3 > NF || $(i + 1) != 257)
			next
		key = ""
		for (j = i + 4; j <= NF; j++)
			key = key $j
		printf "trust-anchors {\n\t\"%s\" static-key %s %s %s \"%s\";\n};\n",
		    o, $(i + 1), $(i + 2), $(i + 3), key
		n++
	}
	END { exit n == 0 }' "$2" >"$3" ||
	    { signzone_fail "anchor_conf: no DNSKEY 257 in $2"; return 1; }
}

# signzone_past DAYS: YYYYMMDDHHMMSS of DAYS days ago, UTC.
signzone_past() {
	date -u -d "-$1 days" +%Y%m%d%H%M%S
}

sign_zone() {
	local kind=$1 dir origin=${3%.}. in=$4 out=$5 keys ksk k args
	[ $# -eq 5 ] ||
	    { signzone_fail "sign_zone KIND DIR ORIGIN INFILE OUTFILE"
	    return 1; }
	mkdir -p "$2"
	dir=$(cd "$2" && pwd)
	case $kind in
	nsec)	args= ;;
	nsec3|broken)
		args="-3 - -H 0" ;;
	optout)	args="-3 a1b2c3d4 -H 5 -A" ;;
	expired)
		args="-P -s $(signzone_past 60) -e $(signzone_past 30)" ;;
	expiring)
		args="-P -s $(signzone_past 60) -e $(date -u -d '+2 days' \
		    +%Y%m%d%H%M%S)" ;;
	*)	signzone_fail "sign_zone: unknown kind $kind"; return 1 ;;
	esac
	keys=$(signzone_keys "$dir" "$origin") || return 1
	ksk=$(signzone_ksk $keys) ||
	    { signzone_fail "sign_zone: no KSK in $dir"; return 1; }
	{
		cat "$in"
		echo
		for k in $keys; do
			grep -v '^;' "$k.key"
		done
		dnssec-dsfromkey -C -2 "$ksk.key" |
		    awk '{ $1 = $1 " 3600"; print }'
		grep -v '^;' "$ksk.key" |
		    awk '{ for (i = 1; i <= NF; i++) if ($i == "DNSKEY") {
		    $i = "CDNSKEY"; break } ; $1 = $1 " 3600"; print }'
	} >"$dir/unsigned.$kind"
	# shellcheck disable=SC2086
	"$SIGNZONE_SIGNER" -q -O full $args ${SIGNZONE_ARGS:-} -o "$origin" \
	    -K "$dir" -d "$dir" \
	    -f "$dir/signed.$kind" "$dir/unsigned.$kind" \
	    $(for k in $keys; do echo "$k.private"; done) \
	    >"$dir/signzone.log" 2>&1 ||
	    { cat "$dir/signzone.log" >&2
	    signzone_fail "dnssec-signzone ($kind) failed for $origin"
	    return 1; }
	if [ "$kind" = broken ]; then
		signzone_break "$dir/signed.$kind" "$origin" >"$out" || return 1
	else
		cp "$dir/signed.$kind" "$out"
	fi
	anchor_conf "$origin" "$ksk.key" "$dir/anchor.conf"
}

# The RRsets whose RRSIGs the broken kind loses (owner and type covered),
# relative to the origin.
broken_rrsigs="www CNAME
web A
mail AAAA
host0001 A
sub DS"

# signzone_break FILE ORIGIN: FILE without the RRSIGs of broken_rrsigs and
# without the third NSEC3 record (its RRSIG stays), on stdout; the NSEC3's
# owner in broken_nsec3.
signzone_break() {
	local file=$1 origin=$2 drop
	drop=$(echo "$broken_rrsigs" | awk -v o="$origin" '{ printf "%s.%s %s\n", $1, o, $2 }')
	broken_nsec3=$(awk '$4 == "NSEC3" { if (++n == 3) { print $1; exit } }' \
	    "$file")
	[ -n "$broken_nsec3" ] ||
	    { signzone_fail "signzone_break: fewer than 3 NSEC3 in $file"
	    return 1; }
	awk -v drop="$drop" -v n3="$broken_nsec3" '
	BEGIN {
		n = split(drop, d, "\n")
		for (i = 1; i <= n; i++)
			gone[tolower(d[i])] = 1
	}
	$4 == "RRSIG" && (tolower($1 " " $5) in gone) { lost++; next }
	$4 == "NSEC3" && $1 == n3 { lost++; next }
	{ print }
	END { if (lost != n + 1) exit 1 }' "$file" ||
	    { signzone_fail "signzone_break: not every record to remove" \
	    "found in $file"; return 1; }
}
