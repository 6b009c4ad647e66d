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

# make bench's quick mode runs and writes a table with figures.  Never a
# timing threshold: that the figures exist and are numbers is the test;
# what they say is for a person to read (README.md, Performance).

. "$(atf_get_srcdir)/../lib/peers.sh"

# The rows every server must have a number in.
ROWS='max QPS \(best run\)|server CPU per query|RSS after load'
ROWS="$ROWS|PSS after load|start to first answer|processes"
# The rows of the proxy stage, secd's only: each must be there, with a
# number for secd.
SECD_ROWS='toggle to served, p50|toggle to served, p99'
SECD_ROWS="$SECD_ROWS|max QPS, 30% of names proxied\$"
SECD_ROWS="$SECD_ROWS|max QPS, 30% of names proxied / none proxied"
SECD_ROWS="$SECD_ROWS|secd: exec to first answer with 30% of names proxied"

atf_test_case quick_bench_table_has_every_server cleanup
quick_bench_table_has_every_server_head() {
	atf_set descr "BENCH_QUICK=1 bench/run measures the floor, NSD," \
	    "Knot and secd on a zone of 10k names and writes a table with a" \
	    "number for each, and secd's proxy stage (toggle to served, max" \
	    "QPS with 30% of names proxied) with a number for secd.  Passes" \
	    "only once secd transfers and serves; until then it fails saying" \
	    "why secd has no figures"
	atf_set require.user root
	atf_set require.progs "dnsperf nsd knotd taskset python3"
}
quick_bench_table_has_every_server_body() {
	local src rc
	[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] ||
	    atf_skip "the benchmark needs two CPUs"
	src=$(atf_config_get srcdir)
	rc=0
	env -u ATF_SRCDIR OBJ="$(atf_config_get bindir)" \
	    BENCH_DIR="$(pwd)/bench" BENCH_QUICK=1 \
	    "$src/bench/run" >out 2>err || rc=$?
	if [ ! -s bench/results.md ]; then
		cat out err >&2
		atf_fail "bench/run (exit $rc) wrote no bench/results.md"
	fi
	cat bench/results.md
	/usr/bin/python3 - bench/results.md "$ROWS" "$SECD_ROWS" <<'PY' || {
import re, sys
want = ("floor", "NSD", "Knot", "secd")
rows = re.compile(sys.argv[2])
secd_rows = sys.argv[3].split("|")
hdr, bad, seen, secd_seen = None, [], 0, set()
for l in open(sys.argv[1]):
    if not l.startswith("| "):
        continue
    cells = [c.strip() for c in l.strip().strip("|").split("|")]
    if cells[0] == "figure":
        hdr = cells
        continue
    if hdr is None:
        continue
    for p in secd_rows:
        if not re.match(p, cells[0]):
            continue
        secd_seen.add(p)
        v = cells[hdr.index("secd")] if "secd" in hdr else "missing"
        try:
            float(v)
        except ValueError:
            bad.append("secd: %s is %r" % (cells[0], v))
    if not rows.match(cells[0]):
        continue
    seen += 1
    for s in want:
        v = cells[hdr.index(s)] if s in hdr else "missing"
        try:
            f = float(v)
        except ValueError:
            bad.append("%s: %s is %r" % (s, cells[0], v))
            continue
        # a server measured at all has processes, memory and CPU time
        if f <= 0 and re.match(r"(processes|RSS|PSS|server CPU per)",
                               cells[0]):
            bad.append("%s: %s is %r, not measured" % (s, cells[0], v))
if seen == 0:
    bad.append("no table with the rows %s" % sys.argv[2])
for p in secd_rows:
    if p not in secd_seen:
        bad.append("no row %r (the proxy stage)" % p)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
		atf_fail "the table lacks figures (stderr: which):" \
		    "$(grep -F '**' bench/results.md | tr -d '*' | tr '\n' ' ')"
	}
	[ $rc -eq 0 ] || { cat err >&2
	    atf_fail "bench/run exited $rc with every figure present"; }
}
quick_bench_table_has_every_server_cleanup() {
	local p
	# bench/run stops what it started; this catches a killed run.
	for p in $(peers_left "$(pwd)/bench/work"); do
		kill -KILL "$p" 2>/dev/null
	done
}

atf_init_test_cases() {
	atf_add_test_case quick_bench_table_has_every_server
}
