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

"""Asks 127.0.0.1@PORT for a transfer of ORIGIN and prints what came back,
one line, for a test to compare:

  xfrcheck.py ask PORT ORIGIN TYPE [--udp] [--source ADDR] [--serial N]
	[--key NAME:ALG:SECRET]

TYPE is AXFR or IXFR (with --serial, the client's).  The line is

  RCODE [ede=N] [tsig=ERROR]	a first message that is not NOERROR
  soa SERIAL			NOERROR with the SOA alone
  zone SERIAL RECORDS		a whole zone (an AXFR, or an IXFR answered
				with one): its SOA serial and its records,
				the closing SOA not counted
  ixfr FROM TO DELETED ADDED	incremental, FROM the first version's
				serial, TO the last, the records deleted and
				added (SOAs not counted)

Over TCP every message is read to the closing SOA; with --key each must
verify.  Exits 1 when no answer came or one did not parse or verify.
"""

import argparse
import socket
import struct
import sys

import dns.edns
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring


def keyring(spec):
	name, alg, secret = spec.split(":", 2)
	ring = dns.tsigkeyring.from_text({name: (alg, secret)})
	return ring, dns.name.from_text(name), alg


def request(a):
	origin = dns.name.from_text(a.origin)
	rdtype = dns.rdatatype.from_text(a.type)
	q = dns.message.make_query(origin, rdtype, use_edns=0)
	if rdtype == dns.rdatatype.IXFR:
		soa = dns.rrset.from_text(origin, 0, "IN", "SOA",
		    ". . %d 0 0 0 0" % a.serial)
		q.authority.append(soa)
	if a.key:
		ring, name, alg = keyring(a.key)
		q.use_tsig(ring, keyname=name, algorithm=alg)
	return q


def readmsg(s):
	"""One DNS message of a TCP stream, its wire form."""
	def recvall(n):
		b = b""
		while len(b) < n:
			c = s.recv(n - len(b))
			if not c:
				raise EOFError("connection closed")
			b += c
		return b
	return recvall(struct.unpack("!H", recvall(2))[0])


def first_line(r):
	"""The line for a first message that is not a NOERROR transfer."""
	out = dns.rcode.to_text(r.rcode())
	for o in r.options:
		if o.otype == dns.edns.EDE:
			out += " ede=%d" % o.code
	if r.had_tsig and r.tsig_error:
		out += " tsig=%s" % dns.rcode.to_text(r.tsig_error)
	return out


def summarize(msgs, origin):
	rrs = [rr for m in msgs for rrs in m.answer for rr in
	    ((rrs.name, rrs.ttl, rd) for rd in rrs)]
	# names come relative to the origin: an SOA is the apex's
	soas = [i for i, (n, t, rd) in enumerate(rrs)
	    if rd.rdtype == dns.rdatatype.SOA]
	if len(rrs) == 1:
		return "soa %d" % rrs[0][2].serial
	if len(rrs) >= 2 and len(soas) >= 2 and soas[1] == 1:
		# IXFR: SOA(new) SOA(old) ... SOA(new)
		deleted = added = 0
		adding = False
		for n, t, rd in rrs[1:-1]:
			if rd.rdtype == dns.rdatatype.SOA:
				adding = not adding
				continue
			if adding:
				added += 1
			else:
				deleted += 1
		return "ixfr %d %d %d %d" % (rrs[1][2].serial,
		    rrs[0][2].serial, deleted, added)
	return "zone %d %d" % (rrs[0][2].serial, len(rrs) - 1)


def ask(a):
	q = request(a)
	origin = q.question[0].name
	if a.udp:
		r = dns.query.udp(q, "127.0.0.1", port=a.port, timeout=5,
		    source=a.source, ignore_trailing=True)
		if r.rcode() != dns.rcode.NOERROR:
			return first_line(r)
		return summarize([r], origin)
	msgs = []
	s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	s.settimeout(10)
	if a.source:
		s.bind((a.source, 0))
	s.connect(("127.0.0.1", a.port))
	wire = q.to_wire()
	s.sendall(struct.pack("!H", len(wire)) + wire)
	ctx = None
	rrs = []
	while True:
		try:
			r = dns.message.from_wire(readmsg(s),
			    keyring=q.keyring, request_mac=q.mac if a.key
			    else b"", xfr=True, origin=origin, tsig_ctx=ctx,
			    multi=True, one_rr_per_rrset=True)
		except dns.tsig.PeerError as e:
			# the server's TSIG error, its record unverifiable
			if msgs:
				raise
			return "NOTAUTH tsig=%s" % {
			    dns.tsig.PeerBadKey: "BADKEY",
			    dns.tsig.PeerBadSignature: "BADSIG",
			    dns.tsig.PeerBadTime: "BADTIME"}.get(type(e),
			    type(e).__name__)
		if a.key:
			ctx = r.tsig_ctx
		if not msgs and r.rcode() != dns.rcode.NOERROR:
			return first_line(r)
		msgs.append(r)
		rrs += [rd for x in r.answer for rd in x]
		if not rrs or rrs[0].rdtype != dns.rdatatype.SOA:
			raise EOFError("the first record is not the SOA")
		last = rrs[0].serial
		ends = sum(1 for rd in rrs if rd.rdtype == dns.rdatatype.SOA
		    and rd.serial == last)
		# the SOA alone; a whole zone: it again; deltas (the second
		# record an SOA): it as the last step's and at the end
		incremental = len(rrs) > 1 and \
		    rrs[1].rdtype == dns.rdatatype.SOA
		if (len(rrs) == 1 and a.type == "IXFR") or \
		    (not incremental and ends == 2) or ends == 3:
			break
	s.close()
	return summarize(msgs, origin)


def main():
	p = argparse.ArgumentParser()
	sub = p.add_subparsers(dest="cmd", required=True)
	q = sub.add_parser("ask")
	q.add_argument("port", type=int)
	q.add_argument("origin")
	q.add_argument("type", choices=("AXFR", "IXFR"))
	q.add_argument("--udp", action="store_true")
	q.add_argument("--source")
	q.add_argument("--serial", type=int, default=0)
	q.add_argument("--key")
	a = p.parse_args()
	try:
		print(ask(a))
	except (dns.exception.DNSException, OSError, EOFError) as e:
		print("xfrcheck.py: %s" % e, file=sys.stderr)
		return 1
	return 0


if __name__ == "__main__":
	sys.exit(main())
