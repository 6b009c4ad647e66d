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

"""A flood of NOTIFYs secd must refuse, over UDP, for the gate in serverd
and the rate limit of the log lines.

  notifyflood.py HOST PORT ZONE SOURCES COUNT SECONDS

COUNT NOTIFYs spread evenly over SECONDS s, from each address of SOURCES
(FIRST-LAST of 127.0.0.x, e.g. "127.0.0.2-127.0.0.101") in turn, of four
kinds in turn: for ZONE from a source not allowed, for a zone that is not
ZONE, for ZONE with qtype A, and malformed (two questions).  From
127.0.0.1 (allowed to notify in the tests' secd.conf, with a key) every
tenth is a good-looking NOTIFY for ZONE without TSIG, for xfrd to refuse.
Answers are read and thrown away.  Prints "sent N answered N".
"""

import socket
import sys
import time

import dns.flags
import dns.message
import dns.opcode


def notify(zone, qtype="SOA"):
    m = dns.message.make_query(zone, qtype)
    m.flags = dns.flags.AA          # before the opcode: flags hold it
    m.set_opcode(dns.opcode.NOTIFY)
    return m.to_wire()


def kinds(zone):
    two = bytearray(notify(zone))
    two[5] = 2                      # QDCOUNT 2, one question there
    return [notify(zone), notify("other-" + zone), notify(zone, "A"),
            bytes(two)]


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    host, port, zone = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    first, last = sys.argv[4].split("-")
    base, lo = first.rsplit(".", 1)
    hi = int(last.rsplit(".", 1)[1])
    count, seconds = int(sys.argv[5]), float(sys.argv[6])
    socks = []
    for i in range(int(lo), hi + 1):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("%s.%d" % (base, i), 0))
        s.setblocking(False)
        socks.append(s)
    lo_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lo_sock.bind(("127.0.0.1", 0))
    lo_sock.setblocking(False)
    socks.append(lo_sock)
    pkts = kinds(zone)
    good = notify(zone)
    sent = answered = 0
    start = time.monotonic()
    for n in range(count):
        while n > count * (time.monotonic() - start) / seconds:
            time.sleep(0.002)
        if n % 10 == 9:
            s, p = lo_sock, good
        else:
            s, p = socks[n % (len(socks) - 1)], pkts[(n // 7) % len(pkts)]
        try:
            s.sendto(p, (host, port))
            sent += 1
        except BlockingIOError:
            pass
        if n % 100 != 99:
            continue
        for r in socks:
            try:
                while r.recv(4096):
                    answered += 1
            except BlockingIOError:
                pass
    print("sent %d answered %d" % (sent, answered))


if __name__ == "__main__":
    main()
