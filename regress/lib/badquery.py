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

"""Sends malformed and odd queries to a DNS server and checks each reply.

  badquery.py [-v] ADDR PORT ZONE

Every case is one packet (UDP) or one TCP stream, and expects one of:

	drop		no reply (UDP: none within the timeout; TCP: the
			connection is closed or stays silent)
	RCODE		a reply with that rcode (FORMERR, NOTIMP, BADVERS,
			NOERROR ...), the query's ID, QR set, and no more than
			the size the query allows
	a list		"FORMERR|drop": any of them

Prints one line per case, "ok CASE" or "FAIL CASE: why", and exits 1 when
any case failed.  ZONE is a zone the server is authoritative for, so that
the well-formed queries around the bad ones get an answer.
"""

import argparse
import socket
import struct
import sys

import dns.message
import dns.rcode
import dns.rdatatype

TIMEOUT = 1.0


def hdr(qid=0x1234, flags=0, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def wname(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def question(name, qtype=6, qclass=1):
    return wname(name) + struct.pack("!HH", qtype, qclass)


def opt(bufsize=1232, ttl=0, rdata=b""):
    return b"\0" + struct.pack("!HHIH", 41, bufsize, ttl, len(rdata)) + rdata


def reply_of(data, qid, maxsize):
    """The rcode name of a reply, or raises ValueError saying why not."""
    if len(data) < 12:
        raise ValueError("reply of %d bytes" % len(data))
    rid, flags = struct.unpack("!HH", data[:4])
    if rid != qid:
        raise ValueError("reply ID %#x, query %#x" % (rid, qid))
    if not flags & 0x8000:
        raise ValueError("reply without QR")
    if len(data) > maxsize:
        raise ValueError("reply of %d bytes, limit %d" % (len(data), maxsize))
    rcode = flags & 0xF
    try:
        m = dns.message.from_wire(data, question_only=False)
        rcode = m.rcode()
    except Exception:
        # a header-only FORMERR may carry counts without sections
        pass
    return dns.rcode.to_text(rcode)


def udp_case(addr, port, pkt, maxsize=512):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.sendto(pkt, (addr, port))
    try:
        data = s.recv(65535)
    except socket.timeout:
        return "drop"
    finally:
        s.close()
    qid = struct.unpack("!H", pkt[:2])[0] if len(pkt) >= 2 else None
    return reply_of(data, qid, maxsize)


def tcp_read(s, n):
    buf = b""
    while len(buf) < n:
        try:
            d = s.recv(n - len(buf))
        except socket.timeout:
            return None
        except ConnectionResetError:
            return None
        if not d:
            return None
        buf += d
    return buf


def tcp_replies(addr, port, stream, count):
    """Send the bytes, read up to count framed replies; None for one that
    did not come (closed or silent)."""
    s = socket.create_connection((addr, port), timeout=TIMEOUT * 2)
    s.settimeout(TIMEOUT)
    out = []
    try:
        s.sendall(stream)
        for _ in range(count):
            ln = tcp_read(s, 2)
            if ln is None:
                out.append(None)
                break
            data = tcp_read(s, struct.unpack("!H", ln)[0])
            out.append(data)
            if data is None:
                break
    finally:
        s.close()
    return out


def tcp_case(addr, port, pkt, framed=None):
    stream = framed if framed is not None else \
        struct.pack("!H", len(pkt)) + pkt
    r = tcp_replies(addr, port, stream, 1)
    if not r or r[0] is None:
        return "drop"
    return reply_of(r[0], struct.unpack("!H", pkt[:2])[0], 65535)


def cases(zone):
    good = question(zone)
    q = []
    # (name, expected, packet)
    q.append(("empty packet", "drop", b""))
    q.append(("5-byte packet", "drop", b"\x12\x34\x00\x00\x00"))
    q.append(("header only, qdcount 1", "FORMERR", hdr()))
    q.append(("qdcount 0", "FORMERR", hdr(qd=0)))
    q.append(("qdcount 0 with a question", "FORMERR", hdr(qd=0) + good))
    q.append(("qdcount 2", "FORMERR", hdr(qd=2) + good + good))
    q.append(("qdcount 2, one question", "FORMERR", hdr(qd=2) + good))
    q.append(("question cut in the name", "FORMERR", hdr() + good[:5]))
    q.append(("question cut in the type", "FORMERR",
              hdr() + wname(zone) + b"\x00"))
    q.append(("compression loop in the question", "FORMERR",
              hdr() + b"\xc0\x0c\x00\x06\x00\x01"))
    q.append(("compression pointer in the question", "FORMERR",
              hdr() + b"\x03www\xc0\x00\x00\x01\x00\x01"))
    q.append(("pointer past the end", "FORMERR",
              hdr() + b"\xc3\xff\x00\x01\x00\x01"))
    q.append(("label length 64 (bits 01)", "FORMERR",
              hdr() + b"\x40" + b"a" * 64 + b"\0\x00\x01\x00\x01"))
    q.append(("label length 0x80 (bits 10)", "FORMERR",
              hdr() + b"\x80" + b"\0\x00\x01\x00\x01"))
    q.append(("label longer than the packet", "FORMERR",
              hdr() + b"\x3f" + b"a" * 10))
    q.append(("name over 255 octets", "FORMERR",
              hdr() + (b"\x3f" + b"a" * 63) * 4 + wname(zone)
              + b"\x00\x01\x00\x01"))
    q.append(("trailing garbage", "FORMERR", hdr() + good + b"\xde\xad"))
    q.append(("arcount 1, no record", "FORMERR", hdr(ar=1) + good))
    q.append(("ancount 1, record cut", "FORMERR",
              hdr(an=1) + good + b"\0\x00\x01\x00"))
    q.append(("garbage after a valid header", "FORMERR",
              hdr() + bytes(range(200, 256)) * 3))
    q.append(("all 0xff", "drop", b"\xff" * 100))   # QR=1
    q.append(("response (QR=1)", "drop", hdr(flags=0x8000) + good))
    q.append(("response (QR=1, AA)", "drop", hdr(flags=0x8400) + good))
    q.append(("TC set in the query", "FORMERR|NOERROR",
              hdr(flags=0x0200) + good))
    q.append(("opcode 15", "NOTIMP", hdr(flags=15 << 11) + good))
    q.append(("opcode 2 (STATUS), qdcount 0", "NOTIMP",
              hdr(flags=2 << 11, qd=0)))
    q.append(("EDNS bufsize 65535", "NOERROR",
              hdr(ar=1) + good + opt(65535)))
    q.append(("EDNS bufsize 0", "NOERROR", hdr(ar=1) + good + opt(0)))
    q.append(("EDNS option longer than the OPT", "FORMERR",
              hdr(ar=1) + good + opt(rdata=b"\x00\x0a\xff\xf0abcd")))
    q.append(("OPT RDLENGTH past the end", "FORMERR",
              hdr(ar=1) + good + b"\0\x00\x29\x04\xd0\0\0\0\0\xff\xff"))
    q.append(("two OPT records", "FORMERR",
              hdr(ar=2) + good + opt() + opt()))
    q.append(("OPT with a non-root owner", "FORMERR",
              hdr(ar=1) + good + b"\x01a" + opt()))
    q.append(("OPT in the answer section", "FORMERR",
              hdr(an=1) + good + opt()))
    q.append(("EDNS version 1", "BADVERS",
              hdr(ar=1) + good + opt(ttl=1 << 16)))
    q.append(("unknown EDNS options", "NOERROR",
              hdr(ar=1) + good + opt(rdata=b"\xfd\xe9\x00\x03abc"
                                     b"\x00\x0a\x00\x08cookie!!")))
    q.append(("QCLASS 0", "REFUSED|FORMERR", hdr() + question(zone, 6, 0)))
    return q


def check(name, expect, got, fails, verbose):
    if got in expect.split("|"):
        if verbose:
            print("ok %s: %s" % (name, got))
        return
    fails.append("%s: expected %s, got %s" % (name, expect, got))
    print("FAIL %s: expected %s, got %s" % (name, expect, got))


def run_case(fn, *args):
    try:
        return fn(*args)
    except ValueError as e:
        return "bad reply (%s)" % e
    except OSError as e:
        return "error (%s)" % e


def tcp_specials(addr, port, zone, fails, verbose):
    good = hdr(qid=7) + question(zone)
    # the length prefix says more than comes, and the peer closes
    got = run_case(tcp_case, addr, port, good,
                   struct.pack("!H", 200) + good)
    check("tcp: length prefix longer than the message", "drop", got,
          fails, verbose)
    # the length prefix says less than the message: the rest is the
    # next "message", garbage; the first is a FORMERR (cut question)
    got = run_case(tcp_case, addr, port, good,
                   struct.pack("!H", 14) + good)
    check("tcp: length prefix shorter than the message", "FORMERR|drop",
          got, fails, verbose)
    got = run_case(tcp_case, addr, port, good, b"\x00\x00")
    check("tcp: zero-length message", "drop", got, fails, verbose)
    got = run_case(tcp_case, addr, port, good, b"\x00\x00" +
                   struct.pack("!H", len(good)) + good)
    check("tcp: zero-length message then a query", "NOERROR|drop", got,
          fails, verbose)
    got = run_case(tcp_case, addr, port, good, b"\x00")
    check("tcp: one byte of length", "drop", got, fails, verbose)
    got = run_case(tcp_case, addr, port, good,
                   struct.pack("!H", 65535) + b"\0" * 1000)
    check("tcp: 65535 announced, 1000 sent", "drop", got, fails, verbose)

    # many pipelined queries in one write, bad ones mixed in: every
    # good one answered, in order, with its ID; the QR=1 one dropped
    stream = b""
    want = []
    for i in range(100):
        if i % 10 == 3:
            m = hdr(qid=1000 + i, flags=0x8000) + question(zone)
        elif i % 10 == 7:
            m = hdr(qid=1000 + i, qd=0)
            want.append((1000 + i, "FORMERR"))
        else:
            m = hdr(qid=1000 + i) + question(zone, 1 if i % 2 else 6)
            want.append((1000 + i, "NOERROR"))
        stream += struct.pack("!H", len(m)) + m
    try:
        replies = tcp_replies(addr, port, stream, len(want))
    except OSError as e:
        replies = []
        check("tcp: 100 pipelined queries", "replies",
              "error (%s)" % e, fails, verbose)
    got = []
    for r in replies:
        if r is None:
            break
        rid = struct.unpack("!H", r[:2])[0]
        try:
            got.append((rid, reply_of(r, rid, 65535)))
        except ValueError as e:
            got.append((rid, "bad reply (%s)" % e))
    if sorted(got) != sorted(want):
        check("tcp: 100 pipelined queries", "%d replies" % len(want),
              "%d replies: %s" % (len(got), got[:5]), fails, verbose)
    elif verbose:
        print("ok tcp: 100 pipelined queries")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true")
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("zone")
    a = ap.parse_args()
    fails = []
    for name, expect, pkt in cases(a.zone):
        maxsize = 512
        if b"\x00\x29" in pkt[-11:] or "EDNS" in name:
            maxsize = 1232
        check("udp: " + name, expect,
              run_case(udp_case, a.addr, a.port, pkt, maxsize),
              fails, a.v)
        if len(pkt) >= 2:
            check("tcp: " + name, expect,
                  run_case(tcp_case, a.addr, a.port, pkt), fails, a.v)
    tcp_specials(a.addr, a.port, a.zone, fails, a.v)
    print("%d failures" % len(fails))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
