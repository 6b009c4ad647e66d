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

# IXFR end to end: BIND as a hidden primary takes 50 signed dynamic
# updates and NOTIFYs secd (signed) after each; secd follows every serial
# by IXFR and serves what BIND serves.  A primary that answers IXFR with
# the whole zone, with REFUSED, NOTIMP, FORMERR or SERVFAIL, or with
# deltas that do not apply (badprimary.py --ixfr) gets an AXFR instead,
# and secd says so; an AXFR whose closing SOA differs from the opening
# one is refused and the old data stays served.
# Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test

# setup: the test zone at serial 2024010101 in $D/zone, ports for secd
# ($PORT) and the primary ($PP).
setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PP=$(pick_port)
	while [ "$PP" = "$PORT" ]; do PP=$(pick_port); done
	P="127\.0\.0\.1:$PP"		# the primary as secd names it (an ERE)
	"$ZONEGEN" --kind test -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
}

# conf PRIMARYPORT [KEYNAME ALG SECRET]: secd.conf with the one zone;
# with a key, NOTIFY is allowed from 127.0.0.1 signed with it.
conf() {
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
CONF
		if [ -n "${2:-}" ]; then
			printf 'tsig key "%s" {\n\talgorithm %s\n' "$2" "$3"
			printf '\tsecret "%s"\n}\n' "$4"
			printf 'zone "%s" {\n\tprimary 127.0.0.1 port %s' \
			    "$ZONE" "$1"
			printf ' tsig "%s"\n\tallow notify from 127.0.0.1' "$2"
			printf ' tsig "%s"\n}\n' "$2"
		else
			printf 'zone "%s" {\n\tprimary 127.0.0.1 port %s\n}\n' \
			    "$ZONE" "$1"
		fi
	} >"$D/secd.conf"
}

# ------------------------------------------------- BIND, update, NOTIFY

# update N: the Nth dynamic update (0-49), a line per nsupdate command;
# every one of them changes the zone: adds at new and existing names,
# changes of existing records' data, deletes of records and names, of
# A, AAAA, TXT and MX.
update() {
	local n=$1 h
	case $((n % 10)) in
	0)	echo "update add new$n.$ORIGIN 300 IN A 198.51.100.$n"
		echo "update add new$n.$ORIGIN 300 IN AAAA 2001:db8:1::$n" ;;
	1)	echo "update add txt$n.$ORIGIN 600 IN TXT \"update $n\""
		echo "update add txt$n.$ORIGIN 600 IN MX 10 mail.$ORIGIN" ;;
	2)	echo "update delete multi.$ORIGIN A"
		echo "update add multi.$ORIGIN 600 IN A 192.0.2.$((100 + n))" ;;
	3)	echo "update delete mail.$ORIGIN AAAA"
		echo "update add mail.$ORIGIN 3600 IN AAAA 2001:db8::25:$n" ;;
	4)	echo "update delete multi.$ORIGIN TXT"
		echo "update add multi.$ORIGIN 600 IN TXT \"multi $n\"" ;;
	5)	echo "update add $ORIGIN 3600 IN MX $((40 + n)) mx$n.$ORIGIN"
		echo "update add mx$n.$ORIGIN 3600 IN A 192.0.2.$((150 + n))" ;;
	6)	echo "update delete new$((n - 6)).$ORIGIN A" ;;
	7)	echo "update delete txt$((n - 6)).$ORIGIN" ;;
	8)	# a whole name of the original zone, whatever its types
		h=$(awk '$1 ~ /^host0[0-9]*\./ { print $1 }' "$D/zone" |
		    uniq | sed -n "$((n / 10 * 7 + 3))p")
		echo "update delete $h" ;;
	9)	echo "update delete $ORIGIN MX 20 mail2.$ORIGIN"
		# BIND refuses an MX to an in-zone name without address
		echo "update add $ORIGIN 3600 IN MX $((20 + n)) mail.$ORIGIN"
		echo "update add web.$ORIGIN 300 IN A 192.0.2.$((150 + n))" ;;
	esac
}

atf_test_case bind_nsupdate_notify_ixfr cleanup
bind_nsupdate_notify_ixfr_head() {
	atf_set descr "BIND takes 50 signed updates and NOTIFYs secd" \
	    "(signed) after each; secd follows each by IXFR and serves" \
	    "every record BIND serves"
	atf_set require.user root
}
bind_nsupdate_notify_ixfr_body() {
	local s n prev serial nser i axfrs
	setup
	s=$(tsig_secret 64)
	mkdir "$D/bind"
	PEER_NOTIFY="127.0.0.1 $PORT" start_bind "$D/bind" "$PP" "$ORIGIN" \
	    "$D/zone" k hmac-sha512 "$s"
	conf "$PP" k hmac-sha512 "$s"
	start_secd "$D"
	wait_served 2024010101 1
	prev=2024010101
	nser=0
	for n in $(seq 0 49); do
		# shellcheck disable=SC2046
		(IFS='
'; peer_update "$PP" "$ORIGIN" k hmac-sha512 "$s" $(update "$n")) ||
		    atf_fail "update $n: nsupdate failed:" \
		    "$(update "$n" | tr '\n' ';')"
		serial=$(peer_serial "$PP" "$ORIGIN")
		[ -n "$serial" ] && [ "$serial" != "$prev" ] ||
		    atf_fail "update $n did not change BIND's serial" \
		    "($prev): $(update "$n" | tr '\n' ';')"
		nser=$((nser + 1))
		# NOTIFY brings it (REFRESH is 3600 s): poll, bounded
		for i in $(seq 1 300); do
			[ "$(served_serial)" = "$serial" ] && break
			sleep 0.1
		done
		[ "$(served_serial)" = "$serial" ] || {
			tail -20 "$D/secd.log" >&2
			atf_fail "after update $n secd serves serial" \
			    "'$(served_serial)', BIND has $serial"
		}
		prev=$serial
	done
	wait_served "$serial"
	[ "$(zone_field kind)" = ixfr ] ||
	    atf_fail "show zones: last transfer '$(zone_field kind)'," \
	    "expected ixfr"
	[ "$(zone_field ok)" = True ] ||
	    atf_fail "show zones: last transfer not ok: $(zone_field msg)"
	[ "$(stat_field ixfr_ok)" -ge "$nser" ] ||
	    atf_fail "show stats: ixfr_ok $(stat_field ixfr_ok) for" \
	    "$nser new serials"
	[ "$(stat_field xfr_failed)" = 0 ] ||
	    atf_fail "show stats: xfr_failed $(stat_field xfr_failed)"
	[ "$(stat_field notifies)" -ge 1 ] ||
	    atf_fail "show stats: no NOTIFY counted"
	[ "$(stat_field notifies_refused)" = 0 ] ||
	    atf_fail "show stats: $(stat_field notifies_refused) NOTIFY" \
	    "refused"
	grep -q "zone $ZONE: NOTIFY from 127\.0\.0\.1:" "$D/secd.log" ||
	    atf_fail "no NOTIFY from BIND logged"
	axfrs=$(grep -c "zone $ZONE: AXFR from 127\.0\.0\.1:$PP: serial" \
	    "$D/secd.log")
	[ "$axfrs" = 1 ] ||
	    atf_fail "$axfrs AXFRs logged, expected only the first one"
	grep -E "zone $ZONE: IXFR from .*(whole zone|falling back)" \
	    "$D/secd.log" >&2 &&
	    atf_fail "an IXFR fell back to a whole zone (above)"
	[ "$(grep -c "zone $ZONE: IXFR from 127\.0\.0\.1:$PP: serial" \
	    "$D/secd.log")" -ge "$nser" ] ||
	    atf_fail "fewer than $nser IXFRs logged"
	# the IXFRs changed the image where they reached; a full build only
	# once the image grew by a quarter (often, on a zone this small)
	[ "$(grep -c "zone $ZONE: serving serial [0-9]*, [0-9]* names changed\$" \
	    "$D/secd.log")" -ge $((nser * 2 / 3)) ] ||
	    atf_fail "fewer than 2/3 of $nser IXFRs applied without a full build"
	grep "zone $ZONE: building it in full" "$D/secd.log" |
	    grep -v "grew by a quarter" >&2 &&
	    atf_fail "an IXFR needed a full build (above)"
	peer_axfr "$D/axfr" "$PP" "$ORIGIN" k hmac-sha512 "$s" ||
	    atf_fail "AXFR from BIND failed: $(head -5 "$D/axfr.raw")"
	grep -q '^new40\.example\.test\. 300 IN AAAA ' "$D/axfr" &&
	    ! grep -q '^new40\.example\.test\. 300 IN A ' "$D/axfr" &&
	    ! grep -q '^txt41\.' "$D/axfr" ||
	    atf_fail "BIND's zone does not have the updates"
	served_is "$D/axfr" "BIND's AXFR"
}
bind_nsupdate_notify_ixfr_cleanup() { ixfr_cleanup; }

ixfr_cleanup() { secondary_cleanup bind; }

# ------------------------------------------- IXFR answers of badprimary

# killed_restart: every secd process SIGKILLed (nothing more is written),
# the primary stopped, secd started again: it serves serial 2024020202
# from its stored image.
killed_restart() {
	local pid k
	pid=$(cat "$D/secd.pid")
	k=$(child_pids "$D")
	kill -KILL "$pid" $k
	rm -f "$D/secd.pid"
	stop_bad
	: >"$D/secd.log"
	start_secd "$D"
	wait_served 2024020202
	log_has "zone $ZONE: serving serial 2024020202 \(stored image(, [0-9]+ overlays)?\)" \
	    "the stored image served at start"
}

# new_version [N]: $D/zone becomes serial 2024020202 with some records
# changed, added and deleted, and N names more with an A and a TXT each
# (default none); badprimary.py reloads it (SIGHUP) and keeps the old one
# for IXFR.  Its AXFR goes to $D/new.
new_version() {
	local i
	"$ZONEGEN" --kind test --serial 2024020202 -o "$D/zone.new" \
	    "$ORIGIN" || atf_fail "zonegen.py failed"
	awk -v n="${1:-0}" -v o="$ORIGIN" 'BEGIN { for (i = 1; i <= n; i++)
	    printf "bulk%d.%s 300 IN A 198.51.%d.%d\nbulk%d.%s 300 IN TXT " \
	    "\"bulk %d\"\n", i, o, int(i / 250), i % 250 + 1, i, o, i }' \
	    >>"$D/zone.new"
	sed -i -e '/^web\.example\.test\. 300 IN A 192\.0\.2\.10$/s/10$/110/' \
	    -e '/^multi\.example\.test\. 600 IN TXT/d' \
	    -e '/^host0299\.example\.test\. /d' "$D/zone.new"
	cat >>"$D/zone.new" <<EOF
added.example.test. 300 IN A 198.51.100.200
added.example.test. 300 IN TXT "added in 2024020202"
multi.example.test. 600 IN TXT "multi purpose, changed"
EOF
	cmp -s "$D/zone" "$D/zone.new" && atf_fail "new_version: no change"
	mv "$D/zone.new" "$D/zone"
	kill -HUP "$(cat "$D/bad.pid")"
	for i in $(seq 1 100); do
		grep -q 'loaded serial 2024020202' "$D/bad.log" &&
		    [ "$(peer_serial "$PP" "$ORIGIN")" = 2024020202 ] && break
		sleep 0.1
	done
	[ "$(peer_serial "$PP" "$ORIGIN")" = 2024020202 ] || {
		cat "$D/bad.log" >&2
		atf_fail "badprimary.py did not reload the zone (log above)"
	}
	peer_axfr "$D/new" "$PP" "$ORIGIN" ||
	    atf_fail "AXFR from badprimary.py failed"
	grep -q '^added\.' "$D/new" || atf_fail "the new zone lacks a change"
}

# ixfr_mode MODE KIND WHY: badprimary.py --ixfr MODE; after the first
# AXFR and a new version, "secctl refresh" brings serial 2024020202 by
# KIND (IXFR or AXFR); with AXFR, secd.log says why with WHY (an ERE).
# Either way secd then serves the new zone whole.
ixfr_mode() {
	local mode=$1 kind=$2 why=$3 re
	setup
	conf "$PP"
	start_bad "$D/zone" --ixfr "$mode"
	start_secd "$D"
	wait_served 2024010101 1
	[ "$(zone_field kind)" = axfr ] ||
	    atf_fail "first transfer '$(zone_field kind)', expected axfr"
	new_version
	# refresh waits for the outcome
	ctl refresh "$ZONE" >"$D/refresh.out" 2>"$D/refresh.err" ||
	    atf_fail "refresh failed (exit $?), expected serial 2024020202" \
	    "by $kind: $(cat "$D/refresh.err")"
	re="^zone $ZONE: serial 2024020202 by $kind from $P, [0-9]+ records,"
	grep -Eq "$re [0-9]+ bytes in [0-9]+ ms\$" "$D/refresh.out" ||
	    atf_fail "refresh says '$(cat "$D/refresh.out")', expected" \
	    "serial 2024020202 by $kind"
	wait_served 2024020202 2
	[ "$(zone_field kind)" = "$(echo "$kind" | tr A-Z a-z)" ] ||
	    atf_fail "show zones: last transfer '$(zone_field kind)'," \
	    "expected $kind"
	[ "$(zone_field ok)" = True ] &&
	    [ "$(zone_field lt_serial)" = 2024020202 ] ||
	    atf_fail "show zones: last transfer ok '$(zone_field ok)'," \
	    "serial '$(zone_field lt_serial)', msg '$(zone_field msg)'"
	if [ "$kind" = IXFR ]; then
		log_has "zone $ZONE: IXFR from $P: serial 2024020202" \
		    "IXFR logged"
		[ "$(stat_field ixfr_ok)" = 1 ] ||
		    atf_fail "show stats: ixfr_ok $(stat_field ixfr_ok)"
		[ "$(stat_field xfr_failed)" = 0 ] ||
		    atf_fail "show stats: xfr_failed $(stat_field xfr_failed)"
		grep -Eq "IXFR from .*(whole zone|falling back)" \
		    "$D/secd.log" && atf_fail "an AXFR fallback is logged"
	else
		log_has "zone $ZONE: IXFR from $P.*$why" \
		    "fallback to AXFR with its reason '$why'"
		log_has "zone $ZONE: AXFR from $P: serial 2024020202" \
		    "AXFR of the new serial logged"
		[ "$(stat_field ixfr_ok)" = 0 ] ||
		    atf_fail "show stats: ixfr_ok $(stat_field ixfr_ok)"
	fi
	served_is "$D/new" "the new version's AXFR"
}

atf_test_case ixfr_good cleanup
ixfr_good_head() {
	atf_set descr "a primary with a good IXFR: the new serial comes by" \
	    "IXFR, secd serves the new zone whole"
	atf_set require.user root
}
ixfr_good_body() { ixfr_mode good IXFR; }
ixfr_good_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_answered_with_axfr cleanup
ixfr_answered_with_axfr_head() {
	atf_set descr "a primary answers IXFR with the whole zone: taken as" \
	    "an AXFR, logged"
	atf_set require.user root
}
ixfr_answered_with_axfr_body() {
	ixfr_mode axfr AXFR "answered with the whole zone"
}
ixfr_answered_with_axfr_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_refused cleanup
ixfr_refused_head() {
	atf_set descr "a primary answers IXFR with REFUSED: AXFR instead," \
	    "logged with the reason"
	atf_set require.user root
}
ixfr_refused_body() {
	ixfr_mode refused AXFR \
	    ": primary answered REFUSED; falling back to AXFR"
}
ixfr_refused_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_notimp cleanup
ixfr_notimp_head() {
	atf_set descr "a primary answers IXFR with NOTIMP: AXFR instead," \
	    "logged with the reason"
	atf_set require.user root
}
ixfr_notimp_body() {
	ixfr_mode notimp AXFR ": primary answered NOTIMP; falling back to AXFR"
}
ixfr_notimp_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_formerr cleanup
ixfr_formerr_head() {
	atf_set descr "a primary answers IXFR with FORMERR: AXFR instead," \
	    "logged with the reason"
	atf_set require.user root
}
ixfr_formerr_body() {
	ixfr_mode formerr AXFR \
	    ": primary answered FORMERR; falling back to AXFR"
}
ixfr_formerr_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_servfail cleanup
ixfr_servfail_head() {
	atf_set descr "a primary answers IXFR with SERVFAIL: AXFR instead," \
	    "logged with the reason"
	atf_set require.user root
}
ixfr_servfail_body() {
	ixfr_mode servfail AXFR \
	    ": primary answered SERVFAIL; falling back to AXFR"
}
ixfr_servfail_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_baddelta cleanup
ixfr_baddelta_head() {
	atf_set descr "an IXFR delta deletes a record the zone does not" \
	    "have: AXFR instead, logged with the reason"
	atf_set require.user root
}
ixfr_baddelta_body() {
	ixfr_mode baddelta AXFR \
	    " does not apply: .*badprimary-absent.*; falling back to AXFR"
}
ixfr_baddelta_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_badchain cleanup
ixfr_badchain_head() {
	atf_set descr "an IXFR whose first delta starts from another serial" \
	    "than ours: AXFR instead, logged with the reason"
	atf_set require.user root
}
ixfr_badchain_body() {
	ixfr_mode badchain AXFR \
	    "deltas start at serial 2024010100, ours .*; falling back to AXFR"
}
ixfr_badchain_cleanup() { ixfr_cleanup; }

# --------------------------------------------------- AXFR closing SOA

atf_test_case ixfr_goes_to_the_journal cleanup
ixfr_goes_to_the_journal_head() {
	atf_set descr "an IXFR is appended to db/ZONE.jnl, db/ZONE.zone" \
	    "stays as it was; after a SIGKILL of every secd process secd" \
	    "serves the new serial from its stored image, primary gone;" \
	    "an AXFR then removes the journal"
	atf_set require.user root
}
ixfr_goes_to_the_journal_body() {
	setup
	conf "$PP"
	start_bad "$D/zone" --ixfr good
	start_secd "$D"
	wait_served 2024010101 1
	cp "$D/db/$ZONE.zone" "$D/zone.before"
	new_version
	ctl refresh "$ZONE" >/dev/null 2>"$D/refresh.err" ||
	    atf_fail "refresh failed: $(cat "$D/refresh.err")"
	wait_served 2024020202 2
	[ -s "$D/db/$ZONE.jnl" ] || atf_fail "no db/$ZONE.jnl after an IXFR"
	cmp -s "$D/db/$ZONE.zone" "$D/zone.before" ||
	    atf_fail "db/$ZONE.zone was written again by an IXFR"
	killed_restart
	served_is "$D/new" "the new version's AXFR"
	start_bad "$D/zone" --ixfr good
	ctl retransfer "$ZONE" >/dev/null 2>"$D/retransfer.err" ||
	    atf_fail "retransfer failed: $(cat "$D/retransfer.err")"
	[ -e "$D/db/$ZONE.jnl" ] && atf_fail "db/$ZONE.jnl is left by an AXFR"
	served_is "$D/new" "the new version's AXFR"
}
ixfr_goes_to_the_journal_cleanup() { ixfr_cleanup; }

atf_test_case ixfr_large_rewrites_the_zone cleanup
ixfr_large_rewrites_the_zone_head() {
	atf_set descr "an IXFR of more than 2,000 records (a re-sign) is" \
	    "applied into a new db/ZONE.zone, no journal; secd serves it," \
	    "and after a SIGKILL of every secd process from its stored" \
	    "image, primary gone"
	atf_set require.user root
}
ixfr_large_rewrites_the_zone_body() {
	setup
	conf "$PP"
	start_bad "$D/zone" --ixfr good
	start_secd "$D"
	wait_served 2024010101 1
	cp "$D/db/$ZONE.zone" "$D/zone.before"
	new_version 1100
	ctl refresh "$ZONE" >/dev/null 2>"$D/refresh.err" ||
	    atf_fail "refresh failed: $(cat "$D/refresh.err")"
	wait_served 2024020202 2
	log_has "zone $ZONE: IXFR 2024010101 -> 2024020202: 1 deltas, 22[0-9][0-9] records changed" \
	    "the IXFR applied"
	[ "$(zone_field kind)" = ixfr ] ||
	    atf_fail "show zones: last transfer '$(zone_field kind)'"
	[ -e "$D/db/$ZONE.jnl" ] &&
	    atf_fail "db/$ZONE.jnl after an IXFR of 2,000 records and more"
	cmp -s "$D/db/$ZONE.zone" "$D/zone.before" &&
	    atf_fail "db/$ZONE.zone is the old zone after a large IXFR"
	served_is "$D/new" "the new version's AXFR"
	killed_restart
	served_is "$D/new" "the new version's AXFR, after a restart"
}
ixfr_large_rewrites_the_zone_cleanup() { ixfr_cleanup; }

atf_test_case axfr_closing_soa_differs cleanup
axfr_closing_soa_differs_head() {
	atf_set descr "an AXFR whose closing SOA has another serial than the" \
	    "opening one: refused, logged, shown, old data served"
	atf_set require.user root
}
axfr_closing_soa_differs_body() {
	local why="closing SOA serial 2024020203 differs from the opening"
	why="$why 2024020202"
	setup
	conf "$PP"
	start_bad "$D/zone"
	start_secd "$D"
	wait_served 2024010101 1
	peer_axfr "$D/good" "$PP" "$ORIGIN" ||
	    atf_fail "AXFR from badprimary.py failed"
	stop_bad
	"$ZONEGEN" --kind test --serial 2024020202 -o "$D/zone2" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	start_bad "$D/zone2" --fault closesoa
	# retransfer waits for the outcome: this one fails, exit 1
	atf_check -s exit:1 -o empty -e save:"$D/retransfer.err" \
	    "$(SECCTL)" -s "$D/secd.sock" retransfer "$ZONE"
	grep -q "zone $ZONE: every primary failed, last $P: $why" \
	    "$D/retransfer.err" ||
	    atf_fail "retransfer says '$(cat "$D/retransfer.err")', expected" \
	    "the closing SOA serial 2024020203 differs from 2024020202"
	log_has "zone $ZONE: AXFR from $P: $why; keeping serial 2024010101" \
	    "refused AXFR"
	[ "$(zone_field ok)" = False ] ||
	    atf_fail "show zones: last transfer ok '$(zone_field ok)'"
	zone_field msg | grep -q "$why" ||
	    atf_fail "show zones: last transfer msg '$(zone_field msg)'"
	zone_field error | grep -q "$why" ||
	    atf_fail "show zones: error '$(zone_field error)'"
	[ "$(zone_field state)" = retrying ] ||
	    atf_fail "show zones: state '$(zone_field state)' after a failed" \
	    "retransfer, expected retrying"
	[ "$(served_serial)" = 2024010101 ] ||
	    atf_fail "serving serial '$(served_serial)' after the bad AXFR"
	[ "$(zone_field serial)" = 2024010101 ] ||
	    atf_fail "show zones: serial '$(zone_field serial)'"
	[ "$(stat_field xfr_ok)" = 1 ] && [ "$(stat_field xfr_failed)" = 1 ] ||
	    atf_fail "show stats: xfr_ok $(stat_field xfr_ok), xfr_failed" \
	    "$(stat_field xfr_failed), expected 1 and 1"
	served_is "$D/good" "the old zone after the bad AXFR"
}
axfr_closing_soa_differs_cleanup() { ixfr_cleanup; }

atf_init_test_cases() {
	atf_add_test_case bind_nsupdate_notify_ixfr
	atf_add_test_case ixfr_good
	atf_add_test_case ixfr_answered_with_axfr
	atf_add_test_case ixfr_refused
	atf_add_test_case ixfr_notimp
	atf_add_test_case ixfr_formerr
	atf_add_test_case ixfr_servfail
	atf_add_test_case ixfr_baddelta
	atf_add_test_case ixfr_large_rewrites_the_zone
	atf_add_test_case ixfr_badchain
	atf_add_test_case ixfr_goes_to_the_journal
	atf_add_test_case axfr_closing_soa_differs
}
