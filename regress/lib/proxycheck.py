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

"""Checks the answers secd gives for proxied names (the "orange cloud").

  proxycheck.py check OPTIONS --primary PORT [CHECKFILE]
  proxycheck.py sweep OPTIONS
  proxycheck.py rows SHOWZONEJSON NAME STATE [ZONEFILE ORIGIN]
  proxycheck.py candidates ZONEFILE ORIGIN
  proxycheck.py dryrun JSON ZONEFILE ORIGIN NAME on|off --proxy4 A,B
		--proxy6 X,Y --ttl T [--chain N,M]

OPTIONS, for check and sweep:

  --port PORT		secd, on 127.0.0.1
  --zone FILE		the zone as the primary has it (a zone file)
  --origin ORIGIN	its origin
  --proxy4 A,B		the proxy IPv4 set of the zone ("" when none)
  --proxy6 X,Y		the proxy IPv6 set
  --ttl T		the proxy TTL
  --proxied N,M	the proxied names (absolute, or relative to ORIGIN;
			a wildcard owner "*.w" proxies what it synthesizes)
  --proxied-file F	more of them, one a line

check reads CHECKFILE (default stdin): one check a line, "#" comments,

	QNAME QTYPE EXPECT

QNAME relative to ORIGIN unless it ends in "." ("@" the apex).  Each check
is asked over UDP and TCP, each with EDNS (1232 octets) and without: four
queries, every one of which must get the expected answer:

  origin	the rcode and answer section the primary (127.0.0.1@PORT of
		--primary, over TCP) gives, TTLs included
  proxy		NOERROR, and the answer exactly the proxy set of QTYPE's
		family (A or AAAA) at QNAME with the proxy TTL (NODATA when
		the zone's set has no address of that family)
  chain		the primary's DNAMEs and CNAME chain from QNAME up to the
		first proxied name, then the proxy set at that name, as
		"proxy"; where no name of the chain is proxied, the
		primary's answer
  nodata	NOERROR, no answer, the SOA in the authority section
  nxdomain	NXDOMAIN, no answer, the SOA in the authority section
  noleak	any answer, or none, as long as the checks below hold
  addl		the answer as "origin"; in the additional section, each
		target (of MX, SRV, NS) in the zone has exactly the proxy
		sets with the proxy TTL when proxied, else exactly the A
		and AAAA records the zone file has there

Every answer must have AA, an OPT record when the query had one and none
otherwise, no CNAME owned by a proxied name in any section (a proxied
CNAME is hidden), and no origin address of a proxied name (an address of
the zone file at proxied owners only, not a proxy address) in any
section.

sweep asks every name of the zone file (and a name synthesized by each
wildcard, and the names a DNAME maps onto names of the zone) for A AAAA
CNAME MX NS SRV TXT ANY, over UDP (EDNS, 1232) and TCP, and checks
every answer as above for leaks and hidden CNAMEs; at each proxied name
A and AAAA must be the proxy sets.  AXFR must be REFUSED (no transfer
out).

rows checks "secctl -j show zone" output: at NAME, STATE "proxied" wants
every A/AAAA/CNAME row "proxied" and the others "off", "off" every row
"off", "dormant" exactly one row of type "-" and proxy "dormant" (and
the others "off"), "none" no row.  With ZONEFILE, the rows of NAME (the
dormant one aside) must also be the records the file has at NAME, by
type, TTL and content.

dryrun checks "secctl -j proxy -n ZONE NAME on|off" output: NAME's A
and AAAA records of ZONEFILE and the proxy sets (with --ttl) as rows
"now" and "then" (on: the origin's now, the proxy's then; off: the
reverse), and a row "chain" for the CNAME of each name of --chain
(relative to ORIGIN), nothing else.

candidates prints the names of the zone file that may be proxied: with
A, AAAA or CNAME, not the apex, not at or below a zone cut.

Prints one line per failure and exits 1 when there is one, 2 on bad usage.
"""

import argparse
import json
import sys

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone

A = dns.rdatatype.A
AAAA = dns.rdatatype.AAAA
CNAME = dns.rdatatype.CNAME
DNAME = dns.rdatatype.DNAME
SOA = dns.rdatatype.SOA
IN = dns.rdataclass.IN
ADDR = (A, AAAA)
TIMEOUT = 3

VARIANTS = (("udp+edns", False, True), ("udp", False, False),
    ("tcp+edns", True, True), ("tcp", True, False))


class Ctx:
	"""The zone, the proxied names and the proxy sets."""

	def __init__(self, a):
		self.port = a.port
		self.origin = dns.name.from_text(a.origin)
		self.zone = dns.zone.from_file(a.zone, origin=self.origin,
		    relativize=False, check_origin=False)
		self.p4 = [x for x in a.proxy4.split(",") if x]
		self.p6 = [x for x in a.proxy6.split(",") if x]
		self.ttl = a.ttl
		names = [x for x in a.proxied.split(",") if x]
		if a.proxied_file:
			with open(a.proxied_file) as f:
				names += [l.strip() for l in f if l.strip()]
		self.proxied = set(self.name(n) for n in names)
		# Every name that exists, empty non-terminals included.
		self.exists = set()
		for n in self.zone.nodes:
			while n.is_subdomain(self.origin) and \
			    n not in self.exists:
				self.exists.add(n)
				if n == self.origin:
					break
				n = n.parent()
		self.leaks = self.leak_set()
		self.fails = 0

	def name(self, text):
		if text == "@":
			return self.origin
		return dns.name.from_text(text, origin=self.origin)

	def addrs_at(self, owner):
		node = self.zone.nodes.get(owner)
		out = set()
		if node is None:
			return out
		for rds in node.rdatasets:
			if rds.rdtype in ADDR:
				out |= set(r.address for r in rds)
		return out

	def leak_set(self):
		"""Addresses the zone file has at proxied owners only."""
		at_proxied = set()
		elsewhere = set()
		for owner in self.zone.nodes:
			if owner in self.proxied:
				at_proxied |= self.addrs_at(owner)
			else:
				elsewhere |= self.addrs_at(owner)
		return at_proxied - elsewhere - set(self.p4) - set(self.p6)

	def proxied_as(self, name):
		"""The proxied owner that answers for name (itself, or the
		wildcard that synthesizes it), else None."""
		name = name.canonicalize()
		if name in self.proxied:
			return name
		if name in self.exists or not name.is_subdomain(self.origin):
			return None
		ce = name.parent()
		while ce not in self.exists and ce != self.origin:
			ce = ce.parent()
		w = dns.name.Name((b"*",) + ce.labels)
		return w if w in self.proxied else None

	def pset(self, owner, rdtype):
		"""The proxy RRset at owner for A or AAAA, None when empty."""
		addrs = self.p4 if rdtype == A else self.p6
		if not addrs:
			return None
		return dns.rrset.from_text_list(owner, self.ttl, IN, rdtype,
		    addrs)

	def fail(self, what, msg):
		print("%s: %s" % (what, msg))
		self.fails += 1


def show(rrsets):
	"""RRsets as text, sorted, TTLs kept: for messages and comparing."""
	out = []
	for rrs in rrsets:
		for rd in rrs:
			out.append("%s %d %s %s" % (rrs.name.to_text().lower(),
			    rrs.ttl, dns.rdatatype.to_text(rrs.rdtype),
			    rd.to_text().lower()))
	return sorted(out)


def ask(port, qname, rdtype, tcp, edns):
	q = dns.message.make_query(qname, rdtype,
	    use_edns=0 if edns else False, payload=1232)
	q.flags &= ~dns.flags.RD
	try:
		if tcp:
			return dns.query.tcp(q, "127.0.0.1", port=port,
			    timeout=TIMEOUT)
		try:
			return dns.query.udp(q, "127.0.0.1", port=port,
			    timeout=TIMEOUT)
		except dns.exception.Timeout:	# one retry on UDP
			return dns.query.udp(q, "127.0.0.1", port=port,
			    timeout=TIMEOUT)
	except Exception as e:
		return "%s: %s" % (type(e).__name__, e)


def invariants(c, what, r, edns):
	"""What every answer of secd must be: AA, OPT as asked, no hidden
	CNAME, no origin address of a proxied name anywhere."""
	if not r.flags & dns.flags.AA and (r.answer or soa_in_authority(r)):
		c.fail(what, "no AA flag")
	if edns and r.edns < 0:
		c.fail(what, "no OPT record in the answer to an EDNS query")
	if not edns and r.edns >= 0:
		c.fail(what, "an OPT record in the answer to a query without")
	for sect, rrsets in (("answer", r.answer),
	    ("authority", r.authority), ("additional", r.additional)):
		for rrs in rrsets:
			if rrs.rdtype == CNAME and c.proxied_as(rrs.name):
				c.fail(what, "%s: the CNAME of proxied %s: %s"
				    % (sect, rrs.name, show([rrs])))
			if rrs.rdtype not in ADDR:
				continue
			bad = [rd.address for rd in rrs
			    if rd.address in c.leaks]
			if bad:
				c.fail(what, "%s: LEAK of the origin address"
				    " %s of a proxied name: %s" % (sect,
				    " ".join(bad), show([rrs])))


def expect_chain(c, qname, rdtype, ref):
	"""The answer section and rcode expected for the chain from qname:
	the primary's DNAMEs, its CNAMEs up to the first proxied name, then
	the proxy set there (or the primary's answer when none is
	proxied)."""
	out = [rrs for rrs in ref.answer if rrs.rdtype == DNAME]
	cur = qname
	seen = set()
	while cur not in seen:
		seen.add(cur)
		if c.proxied_as(cur) is not None and rdtype in ADDR:
			ps = c.pset(cur, rdtype)
			if ps is not None:
				out.append(ps)
			return out, dns.rcode.NOERROR
		cn = ref.get_rrset(ref.answer, cur, IN, CNAME)
		if cn is None:
			break
		out.append(cn)
		cur = cn[0].target
	for rrs in ref.answer:
		if rrs.name == cur and rrs.rdtype not in (CNAME, DNAME):
			out.append(rrs)
	return out, ref.rcode()


def soa_in_authority(r):
	return any(rrs.rdtype == SOA for rrs in r.authority)


def targets(rrsets):
	"""The names MX, SRV and NS records of the answer point at."""
	out = set()
	for rrs in rrsets:
		for rd in rrs:
			if rrs.rdtype == dns.rdatatype.MX:
				out.add(rd.exchange)
			elif rrs.rdtype in (dns.rdatatype.SRV,
			    dns.rdatatype.NS):
				out.add(rd.target)
	return out


def check_one(c, primary, qname, rdtype, expect):
	ref = None
	if expect in ("origin", "chain", "addl"):
		ref = ask(primary, qname, rdtype, True, True)
		if isinstance(ref, str):
			c.fail("%s %s" % (qname,
			    dns.rdatatype.to_text(rdtype)),
			    "the primary does not answer: " + ref)
			return
	for vname, tcp, edns in VARIANTS:
		what = "%s %s %s" % (vname, qname,
		    dns.rdatatype.to_text(rdtype))
		r = ask(c.port, qname, rdtype, tcp, edns)
		if expect == "noleak":
			if not isinstance(r, str):
				invariants(c, what, r, edns)
			continue
		if isinstance(r, str):
			c.fail(what, "no answer: " + r)
			continue
		if r.flags & dns.flags.TC:
			c.fail(what, "truncated (TC): the test's answers fit")
			continue
		invariants(c, what, r, edns)
		want_rc = dns.rcode.NOERROR
		want = []
		soa = False
		if expect in ("origin", "addl"):
			want, want_rc = ref.answer, ref.rcode()
		elif expect == "chain":
			want, want_rc = expect_chain(c, qname, rdtype, ref)
		elif expect == "proxy":
			ps = c.pset(qname, rdtype)
			want = [ps] if ps is not None else []
		elif expect == "nodata":
			soa = True
		elif expect == "nxdomain":
			want_rc = dns.rcode.NXDOMAIN
			soa = True
		else:
			c.fail(what, "unknown expectation " + expect)
			return
		if r.rcode() != want_rc:
			c.fail(what, "rcode %s, expected %s; answer %s" % (
			    dns.rcode.to_text(r.rcode()),
			    dns.rcode.to_text(want_rc), show(r.answer)))
		elif show(r.answer) != show(want):
			c.fail(what, "answer %s, expected %s" % (
			    show(r.answer), show(want)))
		if soa and not soa_in_authority(r):
			c.fail(what, "no SOA in the authority section")
		if expect == "addl":
			check_addl(c, what, r)


def check_addl(c, what, r):
	"""Each target of the answer in the zone has its addresses in the
	additional section: a proxied one exactly the proxy sets with the
	proxy TTL, any other one exactly the zone's A and AAAA."""
	for t in targets(r.answer):
		node = c.zone.nodes.get(t)
		for rdtype in ADDR:
			if c.proxied_as(t) is not None:
				ps = c.pset(t, rdtype)
			elif node is not None and \
			    node.get_rdataset(IN, rdtype) is not None:
				rds = node.get_rdataset(IN, rdtype)
				ps = dns.rrset.from_rdata_list(t, rds.ttl,
				    list(rds))
			else:
				continue
			got = r.get_rrset(r.additional, t, IN, rdtype)
			want = show([ps]) if ps is not None else []
			have = show([got]) if got is not None else []
			if have != want:
				c.fail(what, "additional %s %s: %s, expected"
				    " %s" % (t, dns.rdatatype.to_text(rdtype),
				    have, want))


def cmd_candidates(a):
	"""The names a test may proxy: with A, AAAA or CNAME, not the apex,
	not at or below a zone cut."""
	origin = dns.name.from_text(a.origin)
	z = dns.zone.from_file(a.zone, origin=origin, relativize=False,
	    check_origin=False)
	cuts = [n for n, node in z.nodes.items() if n != origin and
	    node.get_rdataset(IN, dns.rdatatype.NS) is not None]
	for n in sorted(z.nodes):
		node = z.nodes[n]
		if n == origin or any(n.is_subdomain(cut) for cut in cuts):
			continue
		if any(node.get_rdataset(IN, t) is not None
		    for t in (A, AAAA, CNAME)):
			print(n.to_text())
	sys.exit(0)


def cmd_check(c, a):
	fp = open(a.file) if a.file else sys.stdin
	n = 0
	for line in fp:
		line = line.split("#", 1)[0].split()
		if not line:
			continue
		if len(line) != 3:
			print("bad check line: %s" % " ".join(line))
			sys.exit(2)
		check_one(c, a.primary, c.name(line[0]),
		    dns.rdatatype.from_text(line[1]), line[2])
		n += 1
	print("%d checks, %d failures" % (n, c.fails), file=sys.stderr)


SWEEP_TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT", "ANY")


def cmd_sweep(c, a):
	names = set(c.zone.nodes)
	for n in list(names):
		if n.labels[0] == b"*":
			names.add(dns.name.Name((b"sweep-synth",) +
			    n.labels[1:]))
		# the names a DNAME maps onto names of the zone
		dn = c.zone.nodes[n].get_rdataset(IN, DNAME)
		if dn is None:
			continue
		t = dn[0].target
		for m in list(c.zone.nodes):
			if m != t and m.is_subdomain(t):
				names.add(m.relativize(t).derelativize(n))
	n = 0
	for name in sorted(names):
		px = c.proxied_as(name)
		for t in SWEEP_TYPES:
			rdtype = dns.rdatatype.from_text(t)
			for vname, tcp in (("udp+edns", False), ("tcp", True)):
				what = "%s %s %s" % (vname, name, t)
				r = ask(c.port, name, rdtype, tcp, True)
				n += 1
				if isinstance(r, str):
					c.fail(what, "no answer: " + r)
					continue
				invariants(c, what, r, True)
				if px is None or rdtype not in ADDR:
					continue
				if r.flags & dns.flags.TC:
					continue
				ps = c.pset(name, rdtype)
				want = show([ps]) if ps is not None else []
				if show(r.answer) != want:
					c.fail(what, "proxied: answer %s,"
					    " expected %s" % (show(r.answer),
					    want))
	q = dns.message.make_query(c.origin, dns.rdatatype.AXFR)
	try:
		r = dns.query.tcp(q, "127.0.0.1", port=c.port,
		    timeout=TIMEOUT)
	except Exception:
		r = None	# a closed connection transfers nothing
	if r is not None and r.rcode() != dns.rcode.REFUSED:
		invariants(c, "AXFR", r, False)
		c.fail("AXFR", "rcode %s, expected REFUSED" %
		    dns.rcode.to_text(r.rcode()))
	print("%d queries, %d names, %d proxied, %d origin addresses"
	    " watched, %d failures" % (n, len(names), len(c.proxied),
	    len(c.leaks), c.fails), file=sys.stderr)


def rows_content(a, rows):
	"""The rows at the name are the zone file's records there, by
	type, TTL and content (the origin's, even when proxied)."""
	origin = dns.name.from_text(a.origin)
	z = dns.zone.from_file(a.zone, origin=origin, relativize=False,
	    check_origin=False)
	name = dns.name.from_text(a.name.rstrip(".") + ".")
	node = z.nodes.get(name)
	want = set()
	for rds in node.rdatasets if node is not None else []:
		for rd in rds:
			want.add((dns.rdatatype.to_text(rds.rdtype), rds.ttl,
			    rd.to_text().lower()))
	have = set()
	bad = []
	for r in rows:
		try:
			rd = dns.rdata.from_text(IN, r["type"], r["content"],
			    origin=dns.name.root, relativize=False)
			have.add((r["type"], r["ttl"], rd.to_text().lower()))
		except Exception as e:
			bad.append("unreadable content %r of a %s row: %s" %
			    (r["content"], r["type"], e))
	if want != have:
		bad.append("rows %s, the zone has %s" % (sorted(have),
		    sorted(want)))
	return bad


def cmd_dryrun(a):
	"""The rows of "secctl -j proxy -n ZONE NAME on|off": NAME's A and
	AAAA of the zone file and the proxy sets, "now" and "then" as the
	action says, and a "chain" row for each CNAME of --chain."""
	origin = dns.name.from_text(a.origin)
	z = dns.zone.from_file(a.zone, origin=origin, relativize=False,
	    check_origin=False)
	name = dns.name.from_text(a.name.rstrip(".") + ".")
	orig, prox = set(), set()
	for rds in z.nodes[name].rdatasets:
		if rds.rdtype in ADDR:
			for rd in rds:
				orig.add((dns.rdatatype.to_text(rds.rdtype),
				    name.to_text(), rd.address, rds.ttl))
	for t, addrs in (("A", a.proxy4), ("AAAA", a.proxy6)):
		for x in addrs.split(","):
			if x:
				prox.add((t, name.to_text(), x, a.ttl))
	now, then = (orig, prox) if a.action == "on" else (prox, orig)
	want = set(r + ("now",) for r in now) | \
	    set(r + ("then",) for r in then)
	for c in a.chain.split(","):
		if not c:
			continue
		cn = dns.name.from_text(c, origin=origin)
		rds = z.nodes[cn].get_rdataset(IN, CNAME)
		want.add(("CNAME", cn.to_text(), rds[0].target.to_text(),
		    rds.ttl, "chain"))
	with open(a.json) as f:
		recs = json.load(f)["records"]
	have = set()
	for r in recs:
		content = r["content"]
		if r["type"] in ("A", "AAAA"):
			content = dns.rdata.from_text(IN, r["type"],
			    content).address
		have.add((r["type"], r["name"].lower(), content.lower(),
		    r["ttl"], r["proxy"]))
	for r in sorted(want - have):
		print("proxy -n %s %s: no row %s" % (a.name, a.action, r))
	for r in sorted(have - want):
		print("proxy -n %s %s: unexpected row %s" % (a.name,
		    a.action, r))
	sys.exit(1 if want != have else 0)


def cmd_rows(a):
	with open(a.json) as f:
		recs = json.load(f)["records"]
	want = a.name.lower().rstrip(".") + "."
	rows = [r for r in recs
	    if (r["name"].lower().rstrip(".") + ".") == want]
	bad = []
	if a.state == "none":
		if rows:
			bad.append("rows at a name that should have none")
	elif a.state == "dormant":
		d = [r for r in rows if r["type"] == "-"]
		if len(d) != 1 or d[0]["proxy"] != "dormant":
			bad.append("expected one row type \"-\" proxy"
			    " \"dormant\"")
		rest = [r for r in rows if r["type"] != "-"]
		for r in rest:
			if r["proxy"] != "off":
				bad.append("%s row proxy \"%s\", expected"
				    " \"off\"" % (r["type"], r["proxy"]))
		if a.zone:
			bad += rows_content(a, rest)
	else:
		if not rows:
			bad.append("no row")
		for r in rows:
			p = a.state if r["type"] in ("A", "AAAA", "CNAME") \
			    else "off"
			if r["proxy"] != p:
				bad.append("%s row proxy \"%s\", expected"
				    " \"%s\"" % (r["type"], r["proxy"], p))
		if a.zone:
			bad += rows_content(a, rows)
	for b in bad:
		print("show zone %s: %s: %s" % (a.name, b,
		    json.dumps(rows)))
	sys.exit(1 if bad else 0)


def main():
	ap = argparse.ArgumentParser()
	sub = ap.add_subparsers(dest="cmd", required=True)
	for name in ("check", "sweep"):
		p = sub.add_parser(name)
		p.add_argument("--port", type=int, required=True)
		p.add_argument("--zone", required=True)
		p.add_argument("--origin", required=True)
		p.add_argument("--proxy4", default="")
		p.add_argument("--proxy6", default="")
		p.add_argument("--ttl", type=int, required=True)
		p.add_argument("--proxied", default="")
		p.add_argument("--proxied-file")
		if name == "check":
			p.add_argument("--primary", type=int, required=True)
			p.add_argument("file", nargs="?")
	p = sub.add_parser("dryrun")
	for x in ("json", "zone", "origin", "name"):
		p.add_argument(x)
	p.add_argument("action", choices=("on", "off"))
	p.add_argument("--proxy4", default="")
	p.add_argument("--proxy6", default="")
	p.add_argument("--ttl", type=int, required=True)
	p.add_argument("--chain", default="")
	p = sub.add_parser("candidates")
	p.add_argument("zone")
	p.add_argument("origin")
	p = sub.add_parser("rows")
	p.add_argument("json")
	p.add_argument("name")
	p.add_argument("state",
	    choices=("proxied", "off", "dormant", "none"))
	p.add_argument("zone", nargs="?")
	p.add_argument("origin", nargs="?")
	a = ap.parse_args()
	if a.cmd == "rows":
		cmd_rows(a)
	if a.cmd == "candidates":
		cmd_candidates(a)
	if a.cmd == "dryrun":
		cmd_dryrun(a)
	c = Ctx(a)
	if a.cmd == "check":
		cmd_check(c, a)
	else:
		cmd_sweep(c, a)
	sys.exit(1 if c.fails else 0)


if __name__ == "__main__":
	main()
