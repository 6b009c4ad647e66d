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

"""Sends one DNS NOTIFY (RFC 1996) for ZONE to HOST PORT and prints the
answer on one line, so that a test can see how secd takes a NOTIFY.

  notify.py [--key KEYNAME ALG SECRET] [--badmac] [--fudge-time SECONDS]
            [--source ADDR] [--serial N] [--tcp] [--timeout S]
            HOST PORT ZONE

The NOTIFY: opcode NOTIFY, AA set, question ZONE SOA IN; with --serial, the
answer section holds ZONE's SOA with serial N (RFC 1996 3.7; mname
ns.ZONE, rname admin.ZONE, other fields fixed).  Options:

	--key KEYNAME ALG SECRET
		sign it with TSIG (ALG as dnspython names it: hmac-sha256,
		hmac-sha512, ...; SECRET in base64), fudge 300
	--badmac
		with --key: flip one byte of the MAC once signed
	--fudge-time SECONDS
		with --key: sign as if the clock were SECONDS off (time
		signed = now + SECONDS; negative is fine), to get BADTIME
	--source ADDR
		send from ADDR (127.0.0.2 works on Linux loopback as is)
	--serial N
		the SOA with serial N in the answer section
	--tcp	over TCP (default UDP)
	--timeout S
		how long to wait for the answer (default 3 s)

Prints "rcode NAME" (NOERROR, NOTAUTH, REFUSED...).  When the answer has a
TSIG record, adds " tsig ERROR" (its error field: NOERROR, BADSIG, BADKEY,
BADTIME, ...) and then " signed ok" (its MAC verifies with our key and our
request's MAC; the time is not checked), " signed bad" (it does not, or we
have no key) or " unsigned" (empty MAC, as in BADSIG and BADKEY answers).
An answer that cannot be parsed prints "malformed WHY".  Over UDP, a
datagram whose id is not ours is ignored.

Exit status: 0 when an answer came, whatever it says; 2 when none came
within the timeout (or the connection was refused or closed); 1 on a usage
error.
"""

import argparse
import random
import socket
import struct
import sys
import time

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TSIG
import dns.rrset
import dns.tsig
import dns.wire

TSIG_ERRORS = {
	0: "NOERROR",
	16: "BADSIG",
	17: "BADKEY",
	18: "BADTIME",
	19: "BADMODE",
	20: "BADNAME",
	21: "BADALG",
	22: "BADTRUNC",
}


class Parser(argparse.ArgumentParser):
	def error(self, message):
		self.print_usage(sys.stderr)
		print("notify.py: %s" % message, file=sys.stderr)
		sys.exit(1)


def build(args, zone):
	"""The unsigned NOTIFY message."""
	m = dns.message.Message(id=random.randint(0, 65535))
	m.flags = dns.flags.AA
	m.set_opcode(dns.opcode.NOTIFY)
	m.find_rrset(m.question, zone, dns.rdataclass.IN, dns.rdatatype.SOA,
	    create=True)
	if args.serial is not None:
		soa = dns.rrset.from_text(zone, 3600, "IN", "SOA",
		    "ns.%s admin.%s %d 3600 900 1209600 300" %
		    (zone, zone, args.serial))
		m.answer.append(soa)
	return m


def sign(wire, key, msgid, when, badmac):
	"""(wire with a TSIG record appended, signed at time when, the MAC as
	sent)."""
	tmpl = dns.rdtypes.ANY.TSIG.TSIG(dns.rdataclass.ANY,
	    dns.rdatatype.TSIG, key.algorithm, when, 300, b"", msgid, 0, b"")
	tsig, _ = dns.tsig.sign(wire, key, tmpl, when, b"", None, False)
	mac = tsig.mac
	if badmac:
		b = bytearray(mac)
		b[len(b) // 2] ^= 0x55
		mac = bytes(b)
		tsig = tsig.replace(mac=mac)
	rd = tsig.to_wire()
	b = bytearray(wire)
	b += key.name.to_wire()
	b += struct.pack("!HHIH", dns.rdatatype.TSIG, dns.rdataclass.ANY, 0,
	    len(rd)) + rd
	struct.pack_into("!H", b, 10, struct.unpack_from("!H", b, 10)[0] + 1)
	return bytes(b), mac


def find_tsig(wire):
	"""(offset, owner, rdata) of the TSIG record that ends wire, or None;
	raises on a malformed message."""
	p = dns.wire.Parser(wire)
	_, _, qd, an, ns, ar = p.get_struct("!HHHHHH")
	for _ in range(qd):
		p.get_name()
		p.get_struct("!HH")
	total = an + ns + ar
	for i in range(total):
		start = p.current
		owner = p.get_name()
		rtype, rclass, _, rdlen = p.get_struct("!HHIH")
		if rtype == dns.rdatatype.TSIG:
			if i != total - 1:
				raise dns.exception.FormError("TSIG not last")
			with p.restrict_to(rdlen):
				rd = dns.rdata.from_wire_parser(rclass, rtype,
				    p)
			return start, owner, rd
		p.seek(p.current + rdlen)
	return None


def mac_ok(body, key, owner, rd, qmac):
	"""The MAC of rd verifies over body (the answer without its TSIG
	record, ARCOUNT lowered) with key after our request's MAC qmac
	(RFC 8945 4.3.3)."""
	if key is None or owner != key.name or rd.algorithm != key.algorithm:
		return False
	ctx = dns.tsig.get_context(key)
	if qmac:
		ctx.update(struct.pack("!H", len(qmac)) + qmac)
	ctx.update(struct.pack("!H", rd.original_id) + body[2:])
	ctx.update(owner.to_digestable() +
	    struct.pack("!HI", dns.rdataclass.ANY, 0))
	ctx.update(rd.algorithm.to_digestable() +
	    struct.pack("!HIH", rd.time_signed >> 32,
	    rd.time_signed & 0xffffffff, rd.fudge) +
	    struct.pack("!HH", rd.error, len(rd.other)) + rd.other)
	try:
		ctx.verify(rd.mac)
	except dns.tsig.BadSignature:
		return False
	return True


def describe(wire, key, qmac):
	"""The line to print for the answer wire."""
	keyring = {key.name: key} if key is not None else None
	try:
		# dnspython checks it all (MAC, time), but raises on a TSIG
		# error, an unknown key or a bad MAC: then look ourselves.
		m = dns.message.from_wire(wire, keyring=keyring,
		    request_mac=qmac)
		line = "rcode %s" % dns.rcode.to_text(m.rcode())
		if m.had_tsig:
			line += " tsig NOERROR signed ok"
		return line
	except Exception:
		pass
	try:
		found = find_tsig(wire)
		if found is None:
			dns.message.from_wire(wire)
			return "malformed: does not parse with our key"
		start, owner, rd = found
		ar = struct.unpack_from("!H", wire, 10)[0]
		body = wire[:10] + struct.pack("!H", ar - 1) + wire[12:start]
		m = dns.message.from_wire(body)
	except Exception as e:
		return "malformed %s" % (str(e) or type(e).__name__)
	err = TSIG_ERRORS.get(rd.error, str(rd.error))
	if not rd.mac:
		state = "unsigned"
	elif mac_ok(body, key, owner, rd, qmac):
		state = "signed ok"
	else:
		state = "signed bad"
	return "rcode %s tsig %s %s" % (dns.rcode.to_text(m.rcode()), err,
	    state)


def recv_exact(c, n):
	buf = b""
	while len(buf) < n:
		b = c.recv(n - len(buf))
		if not b:
			raise EOFError()
		buf += b
	return buf


def exchange(args, wire, msgid):
	"""The answer's wire, or None when none came."""
	deadline = time.monotonic() + args.timeout

	def left():
		t = deadline - time.monotonic()
		if t <= 0:
			raise socket.timeout("timed out")
		return t

	try:
		ai = socket.getaddrinfo(args.host, args.port, 0,
		    socket.SOCK_STREAM if args.tcp else socket.SOCK_DGRAM)[0]
		s = socket.socket(ai[0], ai[1])
		if args.source:
			s.bind((args.source, 0))
	except OSError as e:
		print("notify.py: %s" % e, file=sys.stderr)
		sys.exit(1)
	try:
		s.settimeout(left())
		s.connect(ai[4])
		if args.tcp:
			s.sendall(struct.pack("!H", len(wire)) + wire)
			s.settimeout(left())
			n = struct.unpack("!H", recv_exact(s, 2))[0]
			s.settimeout(left())
			return recv_exact(s, n)
		s.send(wire)
		while True:
			s.settimeout(left())
			a = s.recv(65535)
			if a[:2] == struct.pack("!H", msgid):
				return a
	except (OSError, EOFError) as e:
		print("notify.py: no answer from %s port %d: %s" % (args.host,
		    args.port, str(e) or type(e).__name__), file=sys.stderr)
		return None
	finally:
		s.close()


def main():
	p = Parser(description="send one DNS NOTIFY, print the answer")
	p.add_argument("--key", nargs=3, metavar=("KEYNAME", "ALG", "SECRET"))
	p.add_argument("--badmac", action="store_true")
	p.add_argument("--fudge-time", type=int, default=0, metavar="SECONDS")
	p.add_argument("--source", metavar="ADDR")
	p.add_argument("--serial", type=int)
	p.add_argument("--tcp", action="store_true")
	p.add_argument("--timeout", type=float, default=3.0, metavar="S")
	p.add_argument("host")
	p.add_argument("port", type=int)
	p.add_argument("zone")
	args = p.parse_args()
	if (args.badmac or args.fudge_time) and not args.key:
		p.error("--badmac and --fudge-time need --key")
	if args.serial is not None and not 0 <= args.serial < 2**32:
		p.error("--serial out of range")
	if not 0 < args.port < 65536 or args.timeout <= 0:
		p.error("bad port or timeout")
	try:
		zone = dns.name.from_text(args.zone)
		key = None
		if args.key:
			key = dns.tsig.Key(args.key[0], args.key[2],
			    args.key[1])
			dns.tsig.get_context(key)
	except Exception as e:
		p.error("bad zone or key: %s" % (str(e) or type(e).__name__))
	m = build(args, zone)
	wire, qmac = m.to_wire(), b""
	if key is not None:
		wire, qmac = sign(wire, key, m.id,
		    int(time.time()) + args.fudge_time, args.badmac)
	a = exchange(args, wire, m.id)
	if a is None:
		sys.exit(2)
	print(describe(a, key, qmac), flush=True)
	sys.exit(0)


if __name__ == "__main__":
	main()
