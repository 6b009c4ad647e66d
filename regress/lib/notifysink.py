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

  notifysink.py PORT LOGFILE [KEYNAME ALG SECRET]

Each line: "NOTIFY qname serial keyname" (serial from the answer section's
SOA, or "-"; keyname of the TSIG, verified, or "-"), or "BAD why" for a
message that does not parse or verify (an unknown key, a bad MAC).  With a
key, answers to signed NOTIFYs are signed.  Runs until killed.
"""

import socket
import struct
import sys
import threading

import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.rdatatype
import dns.tsig


def handle(wire, keyring, fp):
	"""The answer to send, or None."""
	try:
		m = dns.message.from_wire(wire, keyring=keyring)
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
	fp.write("NOTIFY %s %s %s\n" % (q, serial, key))
	r = dns.message.make_response(m)
	r.flags |= dns.flags.AA
	return r.to_wire()


def recv_exact(c, n):
	buf = b""
	while len(buf) < n:
		b = c.recv(n - len(buf))
		if not b:
			raise EOFError()
		buf += b
	return buf


def serve_tcp(t, keyring, fp, lock):
	while True:
		c, _ = t.accept()
		c.settimeout(5)
		try:
			while True:
				n = struct.unpack("!H", recv_exact(c, 2))[0]
				wire = recv_exact(c, n)
				with lock:
					r = handle(wire, keyring, fp)
				if r is not None:
					c.sendall(struct.pack("!H", len(r)) + r)
		except (OSError, EOFError):
			pass
		finally:
			c.close()


def main():
	port, log = int(sys.argv[1]), sys.argv[2]
	keyring = None
	if len(sys.argv) == 6:
		k = dns.tsig.Key(sys.argv[3], sys.argv[5], sys.argv[4])
		keyring = {k.name: k}
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("127.0.0.1", port))
	t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	t.bind(("127.0.0.1", port))
	t.listen(16)
	lock = threading.Lock()
	with open(log, "a", buffering=1) as fp:
		threading.Thread(target=serve_tcp, args=(t, keyring, fp, lock),
		    daemon=True).start()
		while True:
			wire, peer = s.recvfrom(65535)
			with lock:
				r = handle(wire, keyring, fp)
			if r is not None:
				s.sendto(r, peer)


if __name__ == "__main__":
	main()
