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

"""Receives DNS NOTIFY messages on 127.0.0.1, UDP and TCP, and writes one line per
message to a file, then answers it (NOERROR, AA), so that a test can see
that a primary sent NOTIFY without running a secondary.

  notifysink.py [--address ADDR] [--drop N] [--rcode RCODE] PORT LOGFILE
                [KEYNAME ALG SECRET]

Each line: "NOTIFY qname serial keyname" (serial from the answer section's
SOA, or "-"; keyname of the TSIG, verified, or "-"), or "BAD why" for a
message that does not parse or verify (an unknown key, a bad MAC).  With a
key, answers to signed NOTIFYs are signed.  A NOTIFY whose MAC does not
verify is answered NOTAUTH with a TSIG record carrying BADSIG and no MAC,
one signed with a key the sink does not have NOTAUTH BADKEY (RFC 8945
section 5.2); another that does not verify is not answered.

  --address ADDR
		listen on ADDR instead (another of 127/8, an IPv4 address)
  --drop N	the first N NOTIFYs are not answered; each is a line
		"DROP qname serial keyname"
  --rcode RCODE	answer every NOTIFY with that rcode (REFUSED, NOTAUTH...)
		instead of NOERROR, without AA

Runs until killed.
"""

import argparse
import socket
import struct
import threading
import time

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TSIG
import dns.tsig


class Sink:
	"""What the sink answers: its key, the NOTIFYs left to drop, the
	rcode."""

	def __init__(self, keys, alg, drop, rcode):
		self.keys = keys
		self.alg = alg
		self.drop = drop
		self.rcode = rcode

	def ring(self, seen):
		"""A keyring that remembers the key name a message names."""
		def lookup(msg, name):
			seen.append(name)
			return self.keys.get(name)
		return lookup

	def handle(self, wire, fp):
		"""The answer to send, or None."""
		seen = []
		try:
			m = dns.message.from_wire(wire, keyring=self.ring(seen))
		except (dns.tsig.BadSignature, dns.message.UnknownTSIGKey) as e:
			fp.write("BAD %s\n" % type(e).__name__)
			return self.refuse(wire, seen, e)
		except Exception as e:
			fp.write("BAD %s\n" % type(e).__name__)
			return None
		if m.opcode() != dns.opcode.NOTIFY:
			fp.write("OPCODE %d\n" % m.opcode())
			return None
		serial = "-"
		for rrs in m.answer:
			if rrs.rdtype == dns.rdatatype.SOA:
				serial = str(rrs[0].serial)
		q = m.question[0].name.to_text() if m.question else "-"
		key = m.keyname.to_text() if m.had_tsig else "-"
		if self.drop > 0:
			self.drop -= 1
			fp.write("DROP %s %s %s\n" % (q, serial, key))
			return None
		fp.write("NOTIFY %s %s %s\n" % (q, serial, key))
		r = dns.message.make_response(m)
		if self.rcode == dns.rcode.NOERROR:
			r.flags |= dns.flags.AA
		r.set_rcode(self.rcode)
		return r.to_wire()

	def refuse(self, wire, seen, e):
		"""NOTAUTH with a TSIG record of error BADSIG or BADKEY, no
		MAC, unsigned (RFC 8945 5.2.1, 5.2.2)."""
		if not seen:
			return None
		try:
			q = dns.message.from_wire(wire, question_only=True)
		except Exception:
			return None
		r = dns.message.make_response(q)
		r.set_rcode(dns.rcode.NOTAUTH)
		out = bytearray(r.to_wire())
		err = dns.rcode.BADSIG
		if isinstance(e, dns.message.UnknownTSIGKey):
			err = dns.rcode.BADKEY
		rd = dns.rdtypes.ANY.TSIG.TSIG(dns.rdataclass.ANY,
		    dns.rdatatype.TSIG, dns.name.from_text(self.alg),
		    int(time.time()), 300, b"", q.id, err, b"")
		rdata = rd.to_wire()
		out += seen[0].to_wire() + struct.pack("!HHIH",
		    dns.rdatatype.TSIG, dns.rdataclass.ANY, 0, len(rdata)) + \
		    rdata
		arcount = struct.unpack("!H", out[10:12])[0] + 1
		out[10:12] = struct.pack("!H", arcount)
		return bytes(out)


def recv_exact(c, n):
	buf = b""
	while len(buf) < n:
		b = c.recv(n - len(buf))
		if not b:
			raise EOFError()
		buf += b
	return buf


def serve_tcp(t, sink, fp, lock):
	while True:
		c, _ = t.accept()
		c.settimeout(5)
		try:
			while True:
				n = struct.unpack("!H", recv_exact(c, 2))[0]
				wire = recv_exact(c, n)
				with lock:
					r = sink.handle(wire, fp)
				if r is not None:
					c.sendall(struct.pack("!H", len(r)) + r)
		except (OSError, EOFError):
			pass
		finally:
			c.close()


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--address", default="127.0.0.1")
	ap.add_argument("--drop", type=int, default=0)
	ap.add_argument("--rcode", default="NOERROR")
	ap.add_argument("port", type=int)
	ap.add_argument("log")
	ap.add_argument("key", nargs="*")
	a = ap.parse_args()
	keys, alg = {}, "hmac-sha256"
	if len(a.key) == 3:
		k = dns.tsig.Key(a.key[0], a.key[2], a.key[1])
		keys, alg = {k.name: k}, a.key[1]
	elif a.key:
		ap.error("KEYNAME ALG SECRET, all three or none")
	sink = Sink(keys, alg, a.drop, dns.rcode.from_text(a.rcode))
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind((a.address, a.port))
	t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	t.bind((a.address, a.port))
	t.listen(16)
	lock = threading.Lock()
	with open(a.log, "a", buffering=1) as fp:
		threading.Thread(target=serve_tcp, args=(t, sink, fp, lock),
		    daemon=True).start()
		while True:
			wire, peer = s.recvfrom(65535)
			with lock:
				r = sink.handle(wire, fp)
			if r is not None:
				s.sendto(r, peer)


if __name__ == "__main__":
	main()
