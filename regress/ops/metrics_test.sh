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

# The metrics endpoint (secd.conf(5) metrics listen on, secd(8) METRICS):
# scraped while secd transfers a zone, answers, toggles a proxied name
# and applies an IXFR, each counter moving as it should and promtool
# satisfied; scraped by a real Prometheus; slow, huge and many HTTP
# clients leave DNS served and the endpoint back within seconds; no
# metricsd without the keyword.  Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"	# its pick_port: 20000-32767
. "$(atf_get_srcdir)/../lib/secondary.sh"

ORIGIN=example.test.
ZONE=example.test
PROXY=203.0.113.80

# setup: the test zone on a Knot primary that sends NOTIFY to secd and
# keeps its differences for IXFR (NSD 4.6 answers IXFR of this zone with
# the whole zone: peers.sh).
setup() {
	D=$(pwd)
	newport PORT
	newport PP
	newport MP
	"$ZONEGEN" --kind test --serial 100 -o "$D/zone" "$ORIGIN" ||
	    atf_fail "zonegen.py failed"
	mkdir -p "$D/up"
	PEER_IXFR=1 PEER_NOTIFY="127.0.0.1 $PORT" start_knot "$D/up" "$PP" \
	    "$ORIGIN" "$D/zone"
}

# conf [METRICS]: secd.conf; METRICS "no" leaves metrics listen out.
conf() {
	{
		cat <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 2
listen on 127.0.0.1 port $PORT
proxy { address $PROXY; ttl 60 }
zone "$ZONE" {
	primary 127.0.0.1 port $PP
	allow notify from 127.0.0.1
}
CONF
		[ "${1:-}" = no ] ||
		    echo "metrics listen on 127.0.0.1 port $MP"
	} >"$D/secd.conf"
}

# scrape OUT: GET /metrics into OUT; fails unless the answer is 200.
scrape() {
	/usr/bin/python3 -c '
import sys, urllib.request
r = urllib.request.urlopen(sys.argv[1], timeout=10)
if r.status != 200 or not r.headers["Content-Type"].startswith(
    "text/plain; version=0.0.4"):
    sys.exit("status %d, %s" % (r.status, r.headers["Content-Type"]))
sys.stdout.write(r.read().decode())
' "http://127.0.0.1:$MP/metrics" >"$1" || atf_fail "the scrape failed"
}

# m FILE SAMPLE: the value of SAMPLE (name{labels} as secd writes it) in
# the scrape FILE; empty when it is not there.
m() {
	awk -v k="$2" '$1 == k { print $2; exit }' "$1"
}

# moved A B SAMPLE N: SAMPLE grew by exactly N from scrape A to scrape B.
moved() {
	local a b
	a=$(m "$1" "$3")
	b=$(m "$2" "$3")
	[ -n "$b" ] || atf_fail "$3: not in $2"
	[ "$((b - ${a:-0}))" = "$4" ] ||
	    atf_fail "$3: from '${a:-}' to '$b', not by $4"
}

# is FILE SAMPLE VALUE
is() {
	[ "$(m "$1" "$2")" = "$3" ] ||
	    atf_fail "$2 in $1 is '$(m "$1" "$2")', not '$3'"
}

promcheck() {
	promtool check metrics <"$1" >"$D/promtool.out" 2>&1 || {
		cat "$D/promtool.out" >&2
		atf_fail "promtool check metrics: $1 (above)"
	}
}

atf_test_case counters_move cleanup
counters_move_head() {
	atf_set descr "scrapes before and after a transfer, queries over" \
	    "UDP and TCP, a toggle and an IXFR: each counter and zone" \
	    "value moves by what happened; promtool check metrics clean"
	atf_set require.user root
	atf_set require.progs knotd dig promtool
}
counters_move_body() {
	local p s
	setup
	conf
	start_secd "$D"
	wait_served 100 1
	scrape s1
	promcheck s1
	is s1 'secd_transfers_in_total{kind="axfr",result="ok"}' 1
	is s1 'secd_zone_serial{zone="example.test"}' 100
	is s1 'secd_zone_served_serial{zone="example.test"}' 100
	is s1 'secd_zone_state{zone="example.test",state="ok"}' 1
	is s1 'secd_zones_configured' 1
	[ "$(m s1 secd_transfer_in_records_total)" -gt 300 ] ||
	    atf_fail "records: $(m s1 secd_transfer_in_records_total)"
	[ "$(m s1 secd_transfer_in_bytes_total)" -gt 10000 ] ||
	    atf_fail "bytes: $(m s1 secd_transfer_in_bytes_total)"
	for p in secd xfrd zoned metricsd 'serverd",instance="1'; do
		case $p in
		*instance*)	s="process=\"$p\"" ;;
		*)		s="process=\"$p\",instance=\"0\"" ;;
		esac
		is s1 "secd_process_up{$s}" 1
		is s1 "secd_process_sandboxed{$s}" 1
	done
	[ "$(m s1 'secd_zone_refresh_seconds{zone="example.test"}')" -gt 0 ] ||
	    atf_fail "no time to the next check"
	[ "$(m s1 'secd_zone_expire_seconds{zone="example.test"}')" -gt 0 ] ||
	    atf_fail "no time to expiry"
	# the sizes, as secctl show sizes has them
	ctl -j show sizes >"$D/sizes.json" || atf_fail "secctl show sizes"
	for p in records image_bytes kept_bytes; do
		s=$(/usr/bin/python3 -c '
import json, sys
z = json.load(open(sys.argv[1]))["sizes"][0]
print(z[sys.argv[2]] if z["zone"] == "example.test" else "")
' "$D/sizes.json" "$p")
		[ -n "$s" ] && [ "$s" -gt 300 ] ||
		    atf_fail "show sizes: $p '$s': $(cat "$D/sizes.json")"
		is s1 "secd_zone_$p{zone=\"example.test\"}" "$s"
	done
	ctl show sizes >"$D/sizes.txt" || atf_fail "secctl show sizes"
	atf_check -o match:'^ZONE +RECORDS +IMAGE +KEPT$' \
	    -o match:"^example\.test +$(m s1 \
	    'secd_zone_records{zone="example.test"}') " cat "$D/sizes.txt"

	# three A, one AAAA, one NXDOMAIN over UDP; one TXT over TCP
	for p in 1 2 3; do
		dig +short +norec @127.0.0.1 -p "$PORT" host0001.$ORIGIN A \
		    >/dev/null
	done
	dig +short +norec @127.0.0.1 -p "$PORT" host0001.$ORIGIN AAAA \
	    >/dev/null
	dig +short +norec @127.0.0.1 -p "$PORT" nx.$ORIGIN A >/dev/null
	dig +tcp +short +norec @127.0.0.1 -p "$PORT" $ORIGIN TXT >/dev/null
	scrape s2
	moved s1 s2 'secd_queries_by_type_total{type="A"}' 4
	moved s1 s2 'secd_queries_by_type_total{type="AAAA"}' 1
	moved s1 s2 'secd_queries_by_type_total{type="TXT"}' 1
	moved s1 s2 'secd_queries_by_rcode_total{rcode="NXDOMAIN"}' 1
	moved s1 s2 'secd_queries_total{transport="tcp"}' 1
	moved s1 s2 'secd_tcp_connections_total' 1

	# a toggle: answers with the proxy address, the served serial moves
	ctl proxy "$ZONE" host0001.$ZONE on >/dev/null ||
	    atf_fail "secctl proxy failed"
	atf_check -o inline:"$PROXY\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" host0001.$ORIGIN A
	atf_check -o inline:"$PROXY\n" dig +short +norec @127.0.0.1 \
	    -p "$PORT" host0001.$ORIGIN A
	scrape s3
	promcheck s3
	is s3 'secd_proxied_answers_total{zone="example.test"}' 2
	is s3 'secd_zone_serial{zone="example.test"}' 100
	is s3 'secd_zone_served_serial{zone="example.test"}' 101

	# an IXFR after the primary's NOTIFY
	awk '$4 == "SOA" && !d { $7 = 102; d = 1 } 1' "$D/zone" \
	    >"$D/up/knot.zone"
	echo "added.$ORIGIN 300 IN A 192.0.2.200" >>"$D/up/knot.zone"
	reload_peer knot "$D/up" || atf_fail "Knot did not reload"
	wait_served 102 2
	scrape s4
	promcheck s4
	moved s3 s4 'secd_transfers_in_total{kind="ixfr",result="ok"}' 1
	moved s3 s4 'secd_transfers_in_total{kind="axfr",result="ok"}' 0
	is s4 'secd_zone_serial{zone="example.test"}' 102
	is s4 'secd_zone_served_serial{zone="example.test"}' 102
	[ "$(m s4 'secd_notifies_in_total{result="accepted"}')" -ge 1 ] ||
	    atf_fail "no NOTIFY counted"
	[ "$(m s4 secd_transfer_in_records_total)" -gt \
	    "$(m s3 secd_transfer_in_records_total)" ] ||
	    atf_fail "the IXFR's records not counted"
	moved s3 s4 'secd_zone_records{zone="example.test"}' 1
}
counters_move_cleanup() {
	secondary_cleanup up
}

atf_test_case prometheus_scrapes cleanup
prometheus_scrapes_head() {
	atf_set descr "a real Prometheus scrapes secd: the target is up and" \
	    "the zone's serial is queried back from it"
	atf_set require.user root
	atf_set require.progs knotd dig prometheus
}
prometheus_scrapes_body() {
	local i q
	setup
	newport WP
	conf
	start_secd "$D"
	wait_served 100 1
	cat >"$D/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: secd
    static_configs:
      - targets: ['127.0.0.1:$MP']
YML
	prometheus --config.file="$D/prometheus.yml" \
	    --web.listen-address="127.0.0.1:$WP" \
	    --storage.tsdb.path="$D/tsdb" >"$D/prometheus.log" 2>&1 &
	echo $! >"$D/prometheus.pid"
	for i in $(seq 1 300); do
		q=$(/usr/bin/python3 -c '
import json, sys, urllib.parse, urllib.request
u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1],
    urllib.parse.quote(sys.argv[2]))
try:
    d = json.load(urllib.request.urlopen(u, timeout=2))
    print(" ".join(r["value"][1] for r in d["data"]["result"]))
except Exception:
    pass
' "$WP" 'secd_zone_serial{job="secd",zone="example.test"} and on() up{job="secd"} == 1')
		[ "$q" = 100 ] && return 0
		sleep 0.1
	done
	tail -20 "$D/prometheus.log" >&2
	atf_fail "Prometheus has no serial 100 for the zone (got '$q')"
}
prometheus_scrapes_cleanup() {
	D=$(pwd)
	if [ -f "$D/prometheus.pid" ]; then
		kill "$(cat "$D/prometheus.pid")" 2>/dev/null
		wait_exit "$(cat "$D/prometheus.pid")" 2>/dev/null
	fi
	secondary_cleanup up
}

atf_test_case bad_scrapes cleanup
bad_scrapes_head() {
	atf_set descr "40 clients sending a request an octet at a time, a" \
	    "64 KiB header and 200 connections opened and dropped: DNS" \
	    "answers all the while, the endpoint answers again within the" \
	    "idle time, metricsd runs on; / says where, other paths 404," \
	    "other methods 501"
	atf_set require.user root
	atf_set require.progs knotd dig
}
bad_scrapes_body() {
	local i pid before
	setup
	conf
	start_secd "$D"
	wait_served 100 1
	before=$(secd_pids)
	/usr/bin/python3 - "$MP" >"$D/bad.out" 2>&1 <<'PYEOF' &
import socket, sys, time
port = int(sys.argv[1])
slow = []
for i in range(40):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /metr")
    slow.append(s)
# a header of 64 KiB: refused (413, 400) or cut
h = socket.create_connection(("127.0.0.1", port))
try:
    h.sendall(b"GET /metrics HTTP/1.1\r\nX-Big: " + b"a" * 65536 +
        b"\r\n\r\n")
    h.settimeout(5)
    r = h.recv(100)
    print("huge:", r.split(b"\r\n")[0].decode() if r else "closed")
except OSError as e:
    print("huge: cut", e)
for i in range(200):
    c = socket.create_connection(("127.0.0.1", port))
    c.close()
t0 = time.time()
while time.time() - t0 < 6:
    for s in slow:
        try:
            s.send(b"i")
        except OSError:
            pass
    time.sleep(0.5)
print("done")
PYEOF
	pid=$!
	# DNS all the while
	for i in $(seq 1 30); do
		dig +short +norec +time=1 +tries=1 @127.0.0.1 -p "$PORT" \
		    "$ORIGIN" SOA | grep -q ' 100 ' ||
		    atf_fail "query $i not answered during the bad scrapes"
		sleep 0.2
	done
	wait "$pid"
	cat "$D/bad.out"
	grep -Eq '^huge: (HTTP/1.1 (400|413)|closed|cut)' "$D/bad.out" ||
	    atf_fail "the 64 KiB header: $(cat "$D/bad.out")"
	# the endpoint again, once the slow ones are shut down (10 s idle)
	for i in $(seq 1 150); do
		/usr/bin/python3 -c '
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
' "http://127.0.0.1:$MP/metrics" 2>/dev/null && break
		sleep 0.1
	done
	scrape s1
	# the other paths and methods
	/usr/bin/python3 -c '
import sys, urllib.error, urllib.request
u = sys.argv[1]
def status(path, method="GET"):
    try:
        r = urllib.request.urlopen(urllib.request.Request(u + path,
            method=method), timeout=10)
        return ("%d %s" % (r.status, r.read().decode())).strip()
    except urllib.error.HTTPError as e:
        return "%d" % e.code
print(status("/"))
print(status("/nope"))
print(status("/metrics", "POST"))
print(status("/metrics", "HEAD"))
' "http://127.0.0.1:$MP" >"$D/paths.out" 2>&1
	atf_check -o inline:"200 secd: the metrics are at /metrics\n404\n501\n200\n" \
	    cat "$D/paths.out"
	[ "$(secd_pids)" = "$before" ] ||
	    atf_fail "processes changed: $before -> $(secd_pids)"
}
bad_scrapes_cleanup() {
	secondary_cleanup up
}

atf_test_case off_by_default cleanup
off_by_default_head() {
	atf_set descr "without metrics listen on, no metricsd runs; the" \
	    "keyword added by a reload waits for a restart, and says so"
	atf_set require.user root
	atf_set require.progs knotd
}
off_by_default_body() {
	setup
	conf no
	start_secd "$D"
	ctl status >"$D/status" || atf_fail "secctl status failed"
	grep -q metricsd "$D/status" && atf_fail "metricsd runs: $(cat \
	    "$D/status")"
	# added by a reload: at the next restart, and said so
	conf
	ctl reload >/dev/null || atf_fail "secctl reload failed"
	log_has 'changes to listen, metrics listen.*next restart' \
	    "the reload's warning"
	ctl status >"$D/status" || atf_fail "secctl status failed"
	grep -q metricsd "$D/status" && atf_fail "metricsd runs after the" \
	    "reload"
	return 0
}
off_by_default_cleanup() {
	secondary_cleanup up
}

atf_test_case port_in_use cleanup
port_in_use_head() {
	atf_set descr "a metrics port another program holds: secd does not" \
	    "start, and says which keyword and address"
	atf_set require.user root
}
port_in_use_body() {
	D=$(pwd)
	newport PORT
	newport PP
	newport MP
	/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
open("held", "w").close()
time.sleep(60)
' "$MP" &
	echo $! >"$D/holder.pid"
	while [ ! -f held ]; do sleep 0.1; done
	conf
	atf_check -s exit:1 -o empty -e match:"metrics listen on \
127\.0\.0\.1:$MP \(tcp\): address already in use" \
	    "$(SECD)" -d -f "$D/secd.conf"
}
port_in_use_cleanup() {
	[ -f holder.pid ] && kill "$(cat holder.pid)" 2>/dev/null
	return 0
}

atf_init_test_cases() {
	atf_add_test_case counters_move
	atf_add_test_case prometheus_scrapes
	atf_add_test_case bad_scrapes
	atf_add_test_case off_by_default
	atf_add_test_case port_in_use
}
