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

"""What secd serves for the kill storm's toggled names and its apex, read
twice: from the answers and from "secctl show zone", so that the test can
tell a change applied, not applied, or applied by half.

  stormstate.py --port PORT --origin ORIGIN --json SHOWZONEJSON
		--proxy4 A,B --proxy6 X,Y --ttl T --apex-target NAME
		NAME...

Prints one line per NAME (relative to ORIGIN), then one for the apex:

	NAME ANSWERED SHOWN
	@ ANSWERED SHOWN

For a NAME, ANSWERED is "on" when its A and AAAA answers are the proxy
sets with TTL T, "off" when they hold none of the proxy addresses and
some A; SHOWN is "on" when "show zone" marks every A and AAAA row of the
name "proxied", "off" when every row is "off".  For the apex, ANSWERED
is "proxied" when the apex A and AAAA are the proxy sets with TTL T,
"flattened" when they are the addresses of --apex-target (as served),
"none" when they are neither (the transferred ones); SHOWN is the PROXY
column of the apex CNAME row, or "none" without one (then no row may be
"hidden").  Anything else is "bad(WHY)".  Exits 0; 2 on a usage error.
"""

import argparse
import json
import sys

import dns.message
import dns.query
import dns.rdatatype


def rrset(port, qname, qtype):
	"""(TTLs, addresses) of the qname/qtype records in the answer."""
	q = dns.message.make_query(qname, qtype)
	q.flags &= ~0x0100			# RD off
	r = dns.query.udp(q, "127.0.0.1", port=port, timeout=2)
	ttls, addrs = set(), set()
	for rs in r.answer:
		if rs.rdtype != dns.rdatatype.from_text(qtype):
			continue
		if rs.name.to_text().lower() != qname.lower():
			continue
		ttls.add(rs.ttl)
		addrs |= {rd.to_text() for rd in rs}
	return ttls, addrs


def answered(port, qname, p4, p6, ttl):
	"""("on"|"off"|"bad(...)", (A, AAAA)) for qname."""
	t4, a4 = rrset(port, qname, "A")
	t6, a6 = rrset(port, qname, "AAAA")
	if a4 == p4 and a6 == p6:
		if t4 | t6 != {ttl}:
			return "bad(proxy-ttl-%s)" % ",".join(map(str,
			    sorted(t4 | t6))), (a4, a6)
		return "on", (a4, a6)
	if (a4 | a6) & (p4 | p6):
		return "bad(mixed:%s)" % ",".join(sorted(a4 | a6)), (a4, a6)
	if not a4:
		return "bad(no-A)", (a4, a6)
	return "off", (a4, a6)


def shown(rows, name):
	"""The PROXY state "show zone" gives the A and AAAA rows of name."""
	st = {r["proxy"] for r in rows if r["name"].lower() == name.lower()
	    and r["type"] in ("A", "AAAA")}
	if st == {"proxied"}:
		return "on"
	if st == {"off"}:
		return "off"
	return "bad(rows:%s)" % ",".join(sorted(st))


def apex(args, rows, p4, p6):
	origin = args.origin
	st, (a4, a6) = answered(args.port, origin, p4, p6, args.ttl)
	if st == "on":
		ans = "proxied"
	elif st == "off" or st == "bad(no-A)":
		_, tgt = answered(args.port, args.apex_target, p4, p6,
		    args.ttl)
		ans = "flattened" if (a4, a6) == tgt and a4 else "none"
	else:
		ans = st
	mine = [r for r in rows if r["name"].lower() == origin.lower()]
	cn = [r["proxy"] for r in mine if r["type"] == "CNAME"]
	hidden = [r for r in mine if r["proxy"] == "hidden"]
	if len(cn) > 1:
		sh = "bad(cname-rows:%d)" % len(cn)
	elif cn:
		sh = cn[0] if hidden else "bad(%s-nothing-hidden)" % cn[0]
	else:
		sh = "bad(hidden-without-cname)" if hidden else "none"
	return ans, sh


def main():
	p = argparse.ArgumentParser()
	p.add_argument("--port", type=int, required=True)
	p.add_argument("--origin", required=True)
	p.add_argument("--json", required=True)
	p.add_argument("--proxy4", required=True)
	p.add_argument("--proxy6", required=True)
	p.add_argument("--ttl", type=int, required=True)
	p.add_argument("--apex-target", required=True)
	p.add_argument("names", nargs="*")
	args = p.parse_args()
	p4 = set(args.proxy4.split(","))
	p6 = set(args.proxy6.split(","))
	with open(args.json) as f:
		rows = json.load(f)["records"]
	for n in args.names:
		qname = n + "." + args.origin
		ans, _ = answered(args.port, qname, p4, p6, args.ttl)
		print(n, ans, shown(rows, qname))
	print("@", *apex(args, rows, p4, p6))
	return 0


if __name__ == "__main__":
	sys.exit(main())
