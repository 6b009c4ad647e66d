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

"""DNS Cookies for the benchmark's hostile stage (bench/run): the server
cookie a server with a given secret makes (RFC 9018 section 4), so that
dnsperf can send a valid one with every query, and one probe that a
server takes it.  benchtool.py's "cookie" and "cookie-probe" commands.
"""

import random
import socket
import struct
import time

MASK = (1 << 64) - 1
COOKIE = 10		# the EDNS option code, RFC 7873 section 4
BADCOOKIE = 23		# RFC 7873 section 8


def rotl(x, b):
	return ((x << b) | (x >> (64 - b))) & MASK


def sipround(v):
	v[0] = (v[0] + v[1]) & MASK
	v[1] = rotl(v[1], 13) ^ v[0]
	v[0] = rotl(v[0], 32)
	v[2] = (v[2] + v[3]) & MASK
	v[3] = rotl(v[3], 16) ^ v[2]
	v[0] = (v[0] + v[3]) & MASK
	v[3] = rotl(v[3], 21) ^ v[0]
	v[2] = (v[2] + v[1]) & MASK
	v[1] = rotl(v[1], 17) ^ v[2]
	v[2] = rotl(v[2], 32)


def siphash24(key, msg):
	"""SipHash-2-4 (Aumasson and Bernstein, 2012) of msg with the
	16-byte key, as an integer."""
	k0, k1 = struct.unpack("<QQ", key)
	v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d,
	    k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]
	end = len(msg) - len(msg) % 8
	last = msg[end:] + bytes(7 - len(msg) % 8) + bytes([len(msg) & 0xff])
	for off in list(range(0, end, 8)) + [None]:
		m = struct.unpack("<Q", msg[off:off + 8] if off is not None
		    else last)[0]
		v[3] ^= m
		sipround(v)
		sipround(v)
		v[0] ^= m
	v[2] ^= 0xff
	for _ in range(4):
		sipround(v)
	return v[0] ^ v[1] ^ v[2] ^ v[3]


def server_cookie(secret, cc, addr, ts):
	"""RFC 9018 section 4.4: version 1, three reserved bytes, the
	timestamp, then SipHash-2-4 over the client cookie, those 8 bytes and
	the client's address, its result little-endian (section 4.4 names
	the reference implementation's byte order)."""
	head = bytes([1, 0, 0, 0]) + struct.pack("!I", ts & 0xffffffff)
	fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
	h = siphash24(secret, cc + head + socket.inet_pton(fam, addr))
	return head + struct.pack("<Q", h)


def cmd_cookie(a):
	"""cookie SECRET ADDR [CLIENT]: the COOKIE option's value in hex,
	client cookie (CLIENT, else 8 random bytes) then a server cookie
	made now with SECRET (32 hex digits) for ADDR."""
	secret = bytes.fromhex(a[0].removeprefix("0x"))
	if len(secret) != 16:
		raise SystemExit("benchtool cookie: the secret is 16 bytes")
	cc = bytes.fromhex(a[2]) if len(a) > 2 else \
	    random.randbytes(8)
	if len(cc) != 8:
		raise SystemExit("benchtool cookie: the client cookie is 8 "
		    "bytes")
	print((cc + server_cookie(secret, cc, a[1], int(time.time()))).hex())


def opt_cookie(p, off):
	"""(extended rcode bits, COOKIE value or None) of the OPT record at
	off in p."""
	ttl, rdlen = struct.unpack("!IH", p[off + 5:off + 11])
	rd, val = p[off + 11:off + 11 + rdlen], None
	i = 0
	while i + 4 <= len(rd):
		code, n = struct.unpack("!HH", rd[i:i + 4])
		if code == COOKIE:
			val = rd[i + 4:i + 4 + n]
		i += 4 + n
	return ttl >> 24, val


def probe_answer(p, qid):
	"""(rcode, COOKIE value or None) of an answer; ValueError if none."""
	from benchtool import skip_name
	if len(p) < 12:
		raise ValueError("short answer")
	rid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", p[:12])
	if rid != qid or not flags & 0x8000:
		raise ValueError("not the answer")
	off = 12
	for _ in range(qd):
		off = skip_name(p, off) + 4
	for _ in range(an + ns):
		off = skip_name(p, off)
		off += 10 + struct.unpack("!H", p[off + 8:off + 10])[0]
	for _ in range(ar):
		if p[off] == 0 and struct.unpack("!H", p[off + 1:off + 3])[0] \
		    == 41:
			ext, val = opt_cookie(p, off)
			return ext << 4 | flags & 0xf, val
		off = skip_name(p, off)
		off += 10 + struct.unpack("!H", p[off + 8:off + 10])[0]
	return flags & 0xf, None


def cmd_cookie_probe(a):
	"""cookie-probe PORT ORIGIN VALUE: one ORIGIN SOA query over UDP to
	127.0.0.1@PORT with the COOKIE option VALUE (hex); prints the rcode
	(extended) and the server cookie of the answer in hex ("-" if
	none).  Exits 1 when no answer comes within 2 s."""
	from benchtool import wire_name
	val = bytes.fromhex(a[2])
	qid = random.randrange(65536)
	opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 4 + len(val)) + \
	    struct.pack("!HH", COOKIE, len(val)) + val
	q = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 1) + wire_name(a[1]) + \
	    struct.pack("!HH", 6, 1) + opt
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.settimeout(2)
	s.sendto(q, ("127.0.0.1", int(a[0])))
	end = time.monotonic() + 2
	while time.monotonic() < end:
		try:
			rc, c = probe_answer(s.recv(4096), qid)
		except (socket.timeout, OSError):
			break
		except (ValueError, struct.error, IndexError):
			continue
		sc = "-" if c is None or c[:8] != val[:8] else c[8:].hex()
		print(rc, sc or "-")
		return
	raise SystemExit("benchtool cookie-probe: no answer from port %s" %
	    a[0])
