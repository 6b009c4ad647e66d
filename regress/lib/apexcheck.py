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

"""Checks what secd answers at a zone's apex with an apex CNAME, and how
"secctl show zone" shows it.

  apexcheck.py answers --port PORT --origin ORIGIN [--primary PORT]
		[--hidden ADDR,...] CHECK...
  apexcheck.py rows --json FILE --origin ORIGIN [--cname KIND TARGET]
		[--ttl TTL] [--warning ERE | --warning-ok] [--before FILE]

answers asks secd (127.0.0.1@PORT) each CHECK over UDP and TCP, each with
EDNS (1232 octets) and without: four queries.  A CHECK is

	[NAME/]TYPE=WANT

NAME relative to ORIGIN (default "@", the apex), WANT one of:

  ADDR,...[@TTL]  the TYPE records owned by the apex in the answer section
		  are exactly these addresses (and their TTL is TTL);
		  empty: there are none, and at the apex NOERROR, no
		  answer, the SOA in the authority section (NODATA)
  primary	  the rcode and the answer section are those the primary
		  (127.0.0.1@PORT of --primary, over TCP) gives, TTLs
		  included, but the serial of an SOA (secd serves its own)
  any		  only the checks below

Every answer must have AA, NOERROR (unless the primary's is wanted), an
OPT record when the query had one and none otherwise, no CNAME owned by
the apex in any section (no CNAME is ever served at the apex), and none
of the --hidden addresses (the transferred apex addresses an apex CNAME
hides) in any section.

rows checks "secctl -j show zone" output in FILE.  With --cname, the apex
has exactly one CNAME row: content TARGET (absolute), PROXY KIND
("proxied" or "flattened"), TTL TTL if given; every A and AAAA row of the
apex shows "hidden", and no other row does.  Without it: no CNAME row at
the apex, no row "hidden".  With --warning, exactly one row of TYPE "-"
and PROXY "warning" at the apex, its content matching ERE; with
--warning-ok, one or none, whatever it says; without either, none.
With --before (show zone of the same zone without an apex CNAME), the
rows are those of FILE once the apex A/AAAA rows are "off" again and the
apex CNAME and warning rows are left out.

Prints one line per failure and exits 1 when there is one, 2 on bad usage.
"""

import argparse
import json
import os
import re
import sys

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proxycheck import show	# noqa: E402 (RRsets as sorted text)

CNAME = dns.rdatatype.CNAME
SOA = dns.rdatatype.SOA
TIMEOUT = 3

VARIANTS = (("udp+edns", False, True), ("udp", False, False),
    ("tcp+edns", True, True), ("tcp", True, False))

fails = 0


def noserial(rrsets):
	"""The RRsets with every SOA's serial 0: secd serves its own."""
	out = []
	for rrs in rrsets:
		if rrs.rdtype == SOA:
			c = rrs.copy()
			c.clear()
			for rd in rrs:
				c.add(rd.replace(serial=0))
			rrs = c
		out.append(rrs)
	return out


def fail(what, msg):
	global fails
	print("%s: %s" % (what, msg))
	fails += 1


def ask(port, qname, rdtype, tcp, edns):
	q = dns.message.make_query(qname, rdtype,
	    use_edns=0 if edns else False, payload=1232)
	q.flags &= ~dns.flags.RD
	if tcp:
		return dns.query.tcp(q, "127.0.0.1", port=port,
		    timeout=TIMEOUT)
	return dns.query.udp(q, "127.0.0.1", port=port, timeout=TIMEOUT)


def ask_retry(port, qname, rdtype, tcp, edns):
	"""One query; over UDP asked again twice when lost (a loaded
	machine), never when answered."""
	for i in range(3):
		try:
			return ask(port, qname, rdtype, tcp, edns)
		except dns.exception.Timeout:
			if tcp or i == 2:
				raise
	return None


def parse_check(text, origin):
	m = re.match(r"^(?:([^/=]+)/)?([A-Za-z0-9]+)=(.*)$", text)
	if m is None:
		raise ValueError("bad check %r" % text)
	name = m.group(1) or "@"
	qname = origin if name == "@" else dns.name.from_text(name,
	    origin=origin)
	rdtype = dns.rdatatype.from_text(m.group(2).upper())
	want = m.group(3)
	if want in ("primary", "any"):
		return qname, rdtype, want, None, None
	ttl = None
	if "@" in want:
		want, t = want.rsplit("@", 1)
		ttl = int(t)
	addrs = sorted(a for a in want.split(",") if a)
	return qname, rdtype, "addrs", addrs, ttl


def common(what, r, edns, origin, hidden, want_rcode):
	if r.rcode() != want_rcode:
		fail(what, "rcode %s, expected %s" % (dns.rcode.to_text(
		    r.rcode()), dns.rcode.to_text(want_rcode)))
	if not r.flags & dns.flags.AA:
		fail(what, "no AA")
	if edns and r.edns < 0:
		fail(what, "no OPT record in the answer to an EDNS query")
	if not edns and r.edns >= 0:
		fail(what, "an OPT record in the answer to a query without one")
	for sec, rrsets in (("answer", r.answer), ("authority", r.authority),
	    ("additional", r.additional)):
		for rrs in rrsets:
			if rrs.rdtype == CNAME and rrs.name == origin:
				fail(what, "a CNAME at the apex in the %s "
				    "section: %s" % (sec, show([rrs])))
			if rrs.rdtype not in (dns.rdatatype.A,
			    dns.rdatatype.AAAA):
				continue
			for rd in rrs:
				if rd.address in hidden:
					fail(what, "the hidden apex address %s "
					    "in the %s section: %s" % (
					    rd.address, sec, show([rrs])))


def cmd_answers(a):
	origin = dns.name.from_text(a.origin)
	hidden = set(x for x in a.hidden.split(",") if x)
	try:
		checks = [parse_check(c, origin) for c in a.check]
	except (ValueError, dns.exception.DNSException) as e:
		print("apexcheck.py: %s" % e, file=sys.stderr)
		return 2
	for qname, rdtype, kind, addrs, ttl in checks:
		tname = dns.rdatatype.to_text(rdtype)
		pr = None
		if kind == "primary":
			if a.primary is None:
				print("apexcheck.py: %s=primary needs --primary"
				    % tname, file=sys.stderr)
				return 2
			pr = ask(a.primary, qname, rdtype, True, True)
		for vname, tcp, edns in VARIANTS:
			what = "%s %s (%s)" % (qname, tname, vname)
			try:
				r = ask_retry(a.port, qname, rdtype, tcp, edns)
			except (dns.exception.DNSException, OSError) as e:
				fail(what, "no answer: %s" % e)
				continue
			common(what, r, edns, origin, hidden,
			    pr.rcode() if pr is not None else dns.rcode.NOERROR)
			if kind == "primary":
				# the SOA serial is secd's own (secd.conf(5))
				got, exp = show(noserial(r.answer)), \
				    show(noserial(pr.answer))
				if got != exp:
					fail(what, "answer %s, the primary's %s"
					    % (got, exp))
				continue
			if kind == "any":
				continue
			at = [rrs for rrs in r.answer if rrs.name == origin and
			    rrs.rdtype == rdtype]
			got = sorted(getattr(rd, "address", rd.to_text())
			    for rrs in at for rd in rrs)
			if got != addrs:
				fail(what, "%s at the apex: %s, expected %s "
				    "(the answer: %s)" % (tname, got, addrs,
				    show(r.answer)))
			elif ttl is not None and any(rrs.ttl != ttl
			    for rrs in at):
				fail(what, "TTL %s, expected %d" % (
				    [rrs.ttl for rrs in at], ttl))
			if not addrs and qname == origin:
				if r.answer:
					fail(what, "NODATA expected, answer %s"
					    % show(r.answer))
				if not any(rrs.rdtype == SOA and
				    rrs.name == origin for rrs in r.authority):
					fail(what, "NODATA without the SOA in "
					    "the authority section")
	return 1 if fails else 0


def rowkey(r):
	return (r["type"], r["name"].lower(), r["content"], r["proxy"],
	    r["ttl"])


def cmd_rows(a):
	origin = a.origin.lower().rstrip(".") + "."
	with open(a.json) as f:
		rows = json.load(f)["records"]
	apex = [r for r in rows if r["name"].lower() == origin]
	cn = [r for r in apex if r["type"] == "CNAME"]
	warn = [r for r in apex if r["type"] == "-" and
	    r["proxy"] == "warning"]
	hidden = [r for r in rows if r["proxy"] == "hidden"]
	addrs = [r for r in apex if r["type"] in ("A", "AAAA")]
	if a.cname:
		kind, target = a.cname
		target = target.lower().rstrip(".") + "."
		if len(cn) != 1:
			fail("show zone", "%d CNAME rows at the apex, expected "
			    "one: %s" % (len(cn), cn))
		else:
			r = cn[0]
			if r["content"].lower() != target or \
			    r["proxy"] != kind:
				fail("show zone", "the apex CNAME row is %s "
				    "%s, expected %s %s" % (r["content"],
				    r["proxy"], target, kind))
			if a.ttl is not None and r["ttl"] != a.ttl:
				fail("show zone", "the apex CNAME row has TTL "
				    "%s, expected %d" % (r["ttl"], a.ttl))
		for r in addrs:
			if r["proxy"] != "hidden":
				fail("show zone", "apex row %s %s is %r, "
				    "expected hidden" % (r["type"],
				    r["content"], r["proxy"]))
		for r in hidden:
			if r not in addrs:
				fail("show zone", "row %s %s %s is hidden, not "
				    "an apex address" % (r["type"], r["name"],
				    r["content"]))
	else:
		if cn:
			fail("show zone", "CNAME rows at the apex: %s" % cn)
		if hidden:
			fail("show zone", "hidden rows without an apex "
			    "CNAME: %s" % hidden)
	if a.warning is not None:
		if len(warn) != 1:
			fail("show zone", "%d warning rows at the apex, "
			    "expected one: %s" % (len(warn), warn))
		elif not re.search(a.warning, warn[0]["content"]):
			fail("show zone", "the warning is %r, expected /%s/" %
			    (warn[0]["content"], a.warning))
	elif len(warn) > 1 or (warn and not a.warning_ok):
		fail("show zone", "warning rows: %s" % warn)
	if a.before:
		with open(a.before) as f:
			before = json.load(f)["records"]
		norm = []
		for r in rows:
			if r["name"].lower() == origin and (r["type"] == "CNAME"
			    or (r["type"] == "-" and r["proxy"] == "warning")):
				continue
			r = dict(r)
			if r["proxy"] == "hidden":
				r["proxy"] = "off"
			norm.append(rowkey(r))
		b = sorted(rowkey(r) for r in before)
		if sorted(norm) != b:
			for x in sorted(set(b) - set(norm)):
				fail("show zone", "row gone: %s" % (x,))
			for x in sorted(set(norm) - set(b)):
				fail("show zone", "row new: %s" % (x,))
			if set(b) == set(norm):
				fail("show zone", "rows repeated")
	return 1 if fails else 0


def main():
	p = argparse.ArgumentParser(prog="apexcheck.py")
	sub = p.add_subparsers(dest="cmd", required=True)
	q = sub.add_parser("answers")
	q.add_argument("--port", type=int, required=True)
	q.add_argument("--origin", required=True)
	q.add_argument("--primary", type=int)
	q.add_argument("--hidden", default="")
	q.add_argument("check", nargs="+")
	r = sub.add_parser("rows")
	r.add_argument("--json", required=True)
	r.add_argument("--origin", required=True)
	r.add_argument("--cname", nargs=2, metavar=("KIND", "TARGET"))
	r.add_argument("--ttl", type=int)
	r.add_argument("--warning")
	r.add_argument("--warning-ok", action="store_true")
	r.add_argument("--before")
	a = p.parse_args()
	if a.cmd == "answers":
		return cmd_answers(a)
	return cmd_rows(a)


if __name__ == "__main__":
	sys.exit(main())
