#! /usr/bin/python3
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

"""Checks that a server answers every RRset of a zone as the zone has it.

  served.py PORT ORIGIN CANONFILE [SHOWZONEJSON]

CANONFILE is a zone in zonecanon.py's form (peer_axfr's output).  For
every owner and type in it that the zone is authoritative for (not below
a zone cut, not the NS of a cut), the answer of 127.0.0.1@PORT to a
non-recursive UDP query (over TCP when truncated) must be exactly that
RRset: same owner, TTL and set of rdatas.  With SHOWZONEJSON (the output
of "secctl -j show zone ORIGIN"), its records must be the zone's records,
by owner, type and TTL, as many as in the file.  Prints one line per
difference; exits 1 when there is one.
"""

import collections
import json
import sys

import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.zone


def main():
	port, origin, canon = int(sys.argv[1]), sys.argv[2], sys.argv[3]
	origin = dns.name.from_text(origin)
	z = dns.zone.from_file(canon, origin=origin, relativize=False,
	    check_origin=False)
	cuts = [n for n, node in z.nodes.items() if n != origin and
	    node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NS)]
	bad = 0
	nrr = 0
	want = collections.Counter()
	for name, node in z.nodes.items():
		for rds in node.rdatasets:
			nrr += len(rds)
			want[(name.to_text().lower(),
			    dns.rdatatype.to_text(rds.rdtype), rds.ttl)] += len(rds)
			below = any(name.is_subdomain(c) and
			    (name != c or rds.rdtype == dns.rdatatype.NS)
			    for c in cuts)
			if below:
				continue
			q = dns.message.make_query(name, rds.rdtype)
			q.flags &= ~dns.flags.RD
			r = dns.query.udp(q, "127.0.0.1", port=port, timeout=3)
			if r.flags & dns.flags.TC:
				r = dns.query.tcp(q, "127.0.0.1", port=port,
				    timeout=3)
			got = r.get_rrset(r.answer, name, rds.rdclass,
			    rds.rdtype)
			what = "%s %s" % (name, dns.rdatatype.to_text(rds.rdtype))
			if r.rcode() != dns.rcode.NOERROR:
				print("%s: rcode %s" % (what,
				    dns.rcode.to_text(r.rcode())))
				bad += 1
			elif got is None:
				print("%s: not in the answer: %s" % (what,
				    [str(x) for x in r.answer]))
				bad += 1
			elif got.ttl != rds.ttl or set(got) != set(rds):
				print("%s: served %s, zone has %s" % (what,
				    got.to_text(), rds.to_text()))
				bad += 1
	if len(sys.argv) > 4:
		with open(sys.argv[4]) as f:
			recs = json.load(f)["records"]
		have = collections.Counter()
		for r in recs:
			n = r["name"].lower()
			if not n.endswith("."):
				n += "."
			have[(n, r["type"], r["ttl"])] += 1
		if len(recs) != nrr:
			print("show zone: %d records, the zone has %d" %
			    (len(recs), nrr))
			bad += 1
		for k in (want - have) + (have - want):
			print("show zone: differs at %s" % (k,))
			bad += 1
	sys.exit(1 if bad else 0)


if __name__ == "__main__":
	main()
