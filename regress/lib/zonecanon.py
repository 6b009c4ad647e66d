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

"""Prints the records of a zone file (or of dig's AXFR output) in one
canonical form, sorted, one per line, so that two copies of a zone compare
with cmp(1) or diff(1):

	owner TTL CLASS TYPE RDATA

Owners and the names inside RDATA are lower-cased (RFC 4034 6.2), absolute;
RDATA is printed as dnspython prints it (unknown types as RFC 3597 \\#);
each record once (an AXFR's closing SOA disappears).

  zonecanon.py [--origin ORIGIN] [--no-soa] FILE
"""

import argparse
import sys

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone


def canon_rdata(rd):
	"""The rdata with embedded names lower-cased, as text."""
	wire = rd.to_digestable()
	return dns.rdata.from_wire(rd.rdclass, rd.rdtype, wire, 0,
	    len(wire)).to_text()


def canon_lines(text, origin=None, no_soa=False):
	# An AXFR starts with the SOA; its owner is the origin.
	if origin is None:
		for line in text.splitlines():
			f = line.split()
			if len(f) >= 4 and not line.startswith(";") and \
			    "SOA" in [x.upper() for x in f[1:4]]:
				origin = f[0]
				break
		else:
			raise ValueError("no SOA record and no --origin")
	z = dns.zone.from_text(text, origin=origin, relativize=False,
	    check_origin=False)
	out = []
	for name, node in z.nodes.items():
		owner = name.to_text().lower()
		for rds in node.rdatasets:
			if no_soa and rds.rdtype == dns.rdatatype.SOA:
				continue
			for rd in rds:
				out.append("%s %d %s %s %s" % (owner, rds.ttl,
				    dns.rdataclass.to_text(rds.rdclass),
				    dns.rdatatype.to_text(rds.rdtype),
				    canon_rdata(rd)))
	return sorted(out)


def main():
	p = argparse.ArgumentParser()
	p.add_argument("--origin")
	p.add_argument("--no-soa", action="store_true",
	    help="leave the SOA out (to compare zones across serials)")
	p.add_argument("file")
	a = p.parse_args()
	with open(a.file) as fp:
		text = fp.read()
	try:
		lines = canon_lines(text, a.origin, a.no_soa)
	except (ValueError, dns.exception.DNSException) as e:
		sys.exit("zonecanon.py: %s: %s" % (a.file, e))
	if not lines:
		sys.exit("zonecanon.py: %s: no records" % a.file)
	sys.stdout.write("".join(l + "\n" for l in lines))


if __name__ == "__main__":
	main()
