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

# zoned's stored zones and images across restarts: a good image is served
# as it is, a damaged or stale one is rebuilt from the stored zone; either
# way secd answers at once, its primary gone.

. "$(atf_get_srcdir)/../daemon/lib.sh"
PEERS_LIB=$(atf_get_srcdir)/../lib
. "$(atf_get_srcdir)/../lib/peers.sh"

ORIGIN=store.test

# A zone on NSD, secd (one serverd) transferring it without TSIG.
setup() {
	D=$(pwd)
	PORT=$(pick_port)
	PPORT=$(pick_port)
	/usr/bin/python3 "$PEERS_LIB/zonegen.py" --kind test --serial 7 \
	    -o "$D/zone" $ORIGIN || atf_fail "zonegen"
	start_nsd "$D/primary" "$PPORT" $ORIGIN "$D/zone" ||
	    atf_fail "NSD did not start"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT
proxy {
	address 203.0.113.80
	ttl 60
}
zone "$ORIGIN" {
	primary 127.0.0.1 port $PPORT
}
CONF
	start_secd "$D"
	wait_serial 7
}

# served: the serial of the SOA secd answers now.
served() {
	dig +short +norec +time=1 +tries=1 @127.0.0.1 -p "$PORT" $ORIGIN SOA \
	    2>/dev/null | awk '{ print $3 }'
}

# wait_serial N: secd answers the SOA with serial N (at most 15 s).
wait_serial() {
	local i s
	for i in $(seq 1 150); do
		s=$(dig +short +norec +time=1 +tries=1 @127.0.0.1 -p "$PORT" \
		    $ORIGIN SOA 2>/dev/null | awk '{ print $3 }')
		[ "$s" = "$1" ] && return 0
		sleep 0.1
	done
	cat "$D/secd.log" >&2
	atf_fail "secd does not serve serial $1 (got '$s')"
}

# restart: stop secd and its primary, start secd again.
restart() {
	stop_secd "$D"
	stop_nsd "$D/primary"
	: >"$D/secd.log"
	start_secd "$D"
}

cleanup_all() {
	stop_secd "$(pwd)"
	stop_nsd "$(pwd)/primary"
}

atf_test_case good_image_is_reused cleanup
good_image_is_reused_head() {
	atf_set descr "a restart serves the stored image without rebuilding it"
	atf_set require.user root
}
good_image_is_reused_body() {
	setup
	before=$(stat -c %Y.%y "$D/db/$ORIGIN.img")
	restart
	wait_serial 7
	grep -q "zone $ORIGIN: serving serial 7 (stored image)" "$D/secd.log" ||
	    atf_fail "image not reused: $(cat "$D/secd.log")"
	[ "$(stat -c %Y.%y "$D/db/$ORIGIN.img")" = "$before" ] ||
	    atf_fail "the image was rewritten"
	atf_check -o match:'^192\.0\.2\.' dig +short +norec @127.0.0.1 \
	    -p "$PORT" web.$ORIGIN A
}
good_image_is_reused_cleanup() { cleanup_all; }

atf_test_case damaged_image_is_rebuilt cleanup
damaged_image_is_rebuilt_head() {
	atf_set descr "a scribbled image is refused by serverd and rebuilt; a truncated one is rebuilt at once"
	atf_set require.user root
}
damaged_image_is_rebuilt_body() {
	setup
	img="$D/db/$ORIGIN.img"
	size=$(stat -c %s "$img")
	stop_secd "$D"
	# garbage in the middle, same size, mtime kept newer than the zone
	dd if=/dev/urandom of="$img" bs=1 seek=$((size / 2)) count=64 \
	    conv=notrunc 2>/dev/null
	restart
	wait_serial 7
	# the header is whole: zoned offers it, serverd's full check refuses
	# it, zoned builds it again from the stored zone
	grep -q "serverd.*zone $ORIGIN: image of serial 7 refused" \
	    "$D/secd.log" || atf_fail "serverd did not refuse the damaged image"
	grep -q "zone $ORIGIN: serving serial 7, .* records (stored)" \
	    "$D/secd.log" || atf_fail "not rebuilt: $(cat "$D/secd.log")"
	atf_check -o match:'^192\.0\.2\.' dig +short +norec @127.0.0.1 \
	    -p "$PORT" web.$ORIGIN A
	stop_secd "$D"
	truncate -s $((size / 3)) "$img"
	start_secd "$D"
	wait_serial 7
	grep -q "(stored image)" "$D/secd.log" &&
	    atf_fail "a truncated image was served"
	grep -q "records (stored)" "$D/secd.log" ||
	    atf_fail "truncated image not rebuilt: $(cat "$D/secd.log")"
}
damaged_image_is_rebuilt_cleanup() { cleanup_all; }

atf_test_case stale_image_is_rebuilt cleanup
stale_image_is_rebuilt_head() {
	atf_set descr "an image older than its zone (crash between the renames) is rebuilt"
	atf_set require.user root
}
stale_image_is_rebuilt_body() {
	setup
	touch -d '2000-01-01' "$D/db/$ORIGIN.img"
	restart
	wait_serial 7
	grep -q "(stored image)" "$D/secd.log" &&
	    atf_fail "a stale image was served"
	grep -q "records (stored)" "$D/secd.log" ||
	    atf_fail "not rebuilt: $(cat "$D/secd.log")"
}
stale_image_is_rebuilt_cleanup() { cleanup_all; }

atf_test_case interrupted_writes_are_swept cleanup
interrupted_writes_are_swept_head() {
	atf_set descr "the temporary files a killed zoned left are removed" \
	    "at start; the stored zone is served as it was"
	atf_set require.user root
}
interrupted_writes_are_swept_body() {
	local t
	setup
	stop_secd "$D"
	# what a SIGKILL in the middle of each kind of write leaves
	for t in zone ixfr compact over img check; do
		head -c 1000 /dev/urandom >"$D/db/$ORIGIN.$t.tmp"
	done
	chown _secd:_secd "$D/db/$ORIGIN".*.tmp
	stop_nsd "$D/primary"
	: >"$D/secd.log"
	start_secd "$D"
	wait_serial 7
	for t in zone ixfr compact over img check; do
		grep -q "zone $ORIGIN: removed $ORIGIN.$t.tmp, left by an" \
		    "$D/secd.log" || atf_fail "no removal of $ORIGIN.$t.tmp" \
		    "logged: $(cat "$D/secd.log")"
	done
	ls "$D/db" | grep '\.tmp$' &&
	    atf_fail "temporary files are left (above)"
	grep -q "zone $ORIGIN: serving serial 7 (stored image)" "$D/secd.log" ||
	    atf_fail "stored image not served: $(cat "$D/secd.log")"
	atf_check -o match:'^192\.0\.2\.' dig +short +norec @127.0.0.1 \
	    -p "$PORT" web.$ORIGIN A
}
interrupted_writes_are_swept_cleanup() { cleanup_all; }

atf_test_case overlays_are_reused cleanup
overlays_are_reused_head() {
	atf_set descr "a change written as an overlay (ZONE.ovl) is served" \
	    "again at restart with the stored image, then compacted into a" \
	    "new image; an overlay cut short makes the image built again," \
	    "the change in it"
	atf_set require.user root
}
overlays_are_reused_body() {
	local ovl i s
	setup
	ovl="$D/db/$ORIGIN.ovl"
	atf_check -o ignore -e ignore "$(SECCTL)" -s "$D/secd.sock" proxy \
	    $ORIGIN web.$ORIGIN on
	[ -s "$ovl" ] || atf_fail "no overlay written: $(cat "$D/secd.log")"
	atf_check -o inline:"203.0.113.80\n" dig +short +norec \
	    @127.0.0.1 -p "$PORT" web.$ORIGIN A
	# the toggle served a serial of secd's own, kept across the restart
	s=$(served)
	[ "$s" = 8 ] || atf_fail "serial $s served after a toggle, expected 8"
	restart
	wait_serial 8
	grep -q "zone $ORIGIN: serving serial 7 (stored image, 1 overlays)" \
	    "$D/secd.log" || atf_fail "overlay not reused: $(cat "$D/secd.log")"
	atf_check -o inline:"203.0.113.80\n" dig +short +norec \
	    @127.0.0.1 -p "$PORT" web.$ORIGIN A
	# kept in memory: a compact image, the overlays gone
	for i in $(seq 1 100); do
		grep -q "kept in memory for its changes (its image built" \
		    "$D/secd.log" && break
		sleep 0.1
	done
	[ -e "$ovl" ] && atf_fail "$ovl left after a new image"
	grep -q "refused" "$D/secd.log" &&
	    atf_fail "an image refused: $(cat "$D/secd.log")"
	# a kill while an overlay was appended: its last byte missing
	atf_check -o ignore -e ignore "$(SECCTL)" -s "$D/secd.sock" proxy \
	    $ORIGIN web.$ORIGIN off
	[ -s "$ovl" ] || atf_fail "no overlay written: $(cat "$D/secd.log")"
	wait_serial 9
	stop_secd "$D"
	truncate -s -1 "$ovl"
	: >"$D/secd.log"
	start_secd "$D"
	# built again from the overrides the cut overlay was made of
	wait_serial 9
	grep -q "(stored image" "$D/secd.log" &&
	    atf_fail "an overlay cut short was served: $(cat "$D/secd.log")"
	grep -q "records (stored)" "$D/secd.log" ||
	    atf_fail "not rebuilt: $(cat "$D/secd.log")"
	[ -e "$ovl" ] && atf_fail "$ovl left after a new image"
	atf_check -o match:'^192\.0\.2\.' dig +short +norec @127.0.0.1 \
	    -p "$PORT" web.$ORIGIN A
}
overlays_are_reused_cleanup() { cleanup_all; }

atf_test_case overlays_are_folded cleanup
overlays_are_folded_head() {
	atf_set descr "toggles written as overlays fold into a new image in" \
	    "the background once they grew the image by an eighth, before a" \
	    "change has to build in full; the answers are the same"
	atf_set require.user root
}
overlays_are_folded_body() {
	local ovl i n s state=off
	setup
	ovl="$D/db/$ORIGIN.ovl"
	for i in $(seq 1 200); do
		[ $state = on ] && state=off || state=on
		atf_check -o ignore -e ignore "$(SECCTL)" -s "$D/secd.sock" \
		    proxy $ORIGIN web.$ORIGIN $state
		sleep 0.2
		grep -q "zone $ORIGIN: its overlays folded into a new image" \
		    "$D/secd.log" && break
	done
	grep -q "zone $ORIGIN: its overlays folded into a new image" \
	    "$D/secd.log" || atf_fail "no fold after $i toggles: $(cat \
	    "$D/secd.log")"
	grep -q "building it in full" "$D/secd.log" &&
	    atf_fail "a change built in full: $(cat "$D/secd.log")"
	grep -q "refused" "$D/secd.log" &&
	    atf_fail "an image refused: $(cat "$D/secd.log")"
	# gone with the fold, unless a toggle came after it (the loop's
	# last one may, on a slow machine)
	n=$(sed -n '/its overlays folded into a new image/,$p' \
	    "$D/secd.log" | grep -c "names changed")
	[ "$n" = 0 ] && [ -e "$ovl" ] && atf_fail "$ovl left after the fold"
	if [ $state = on ]; then
		atf_check -o inline:"203.0.113.80\n" dig +short +norec \
		    @127.0.0.1 -p "$PORT" web.$ORIGIN A
	else
		atf_check -o match:'^192\.0\.2\.' dig +short +norec \
		    @127.0.0.1 -p "$PORT" web.$ORIGIN A
	fi
	# the next toggle is an overlay of the new image again
	[ $state = on ] && state=off || state=on
	atf_check -o ignore -e ignore "$(SECCTL)" -s "$D/secd.sock" proxy \
	    $ORIGIN web.$ORIGIN $state
	[ -s "$ovl" ] || atf_fail "no overlay after the fold"
	# one serial more each toggle, the same after the restart
	s=$(served)
	[ "$s" = $((7 + i + 1)) ] ||
	    atf_fail "serial $s served after $((i + 1)) toggles of serial 7"
	restart
	wait_serial "$s"
	# one overlay, or two when the loop's last toggle came after the fold
	grep -Eq "zone $ORIGIN: serving serial 7 \(stored image, [12] overlays\)" \
	    "$D/secd.log" || atf_fail "not served from the folded image and" \
	    "its overlay: $(cat "$D/secd.log")"
}
overlays_are_folded_cleanup() { cleanup_all; }

atf_init_test_cases() {
	atf_add_test_case good_image_is_reused
	atf_add_test_case damaged_image_is_rebuilt
	atf_add_test_case overlays_are_folded
	atf_add_test_case stale_image_is_rebuilt
	atf_add_test_case interrupted_writes_are_swept
	atf_add_test_case overlays_are_reused
}
