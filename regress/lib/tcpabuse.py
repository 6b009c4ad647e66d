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

"""Clients that hold secd's TCP connections, for the RFC 7766 limits.

  tcpabuse.py slow HOST PORT SOURCES COUNT SECONDS INTERVAL
      COUNT connections to HOST PORT, spread over the addresses of
      SOURCES (a comma-separated list, or FIRST-LAST of 127.0.0.x:
      "127.0.0.2-127.0.0.61"), each sending one byte of a query every
      INTERVAL s; a connection the server closes is opened again at the
      next byte.  Runs
      SECONDS s and prints "opened N closed N" (connections it opened and
      that the server closed or refused).

  tcpabuse.py pipeline HOST PORT QNAME QTYPE SECONDS
      One connection from 127.0.0.1 that sends QNAME QTYPE queries as fast
      as the server takes them and never reads.  Prints "sent N closed S"
      when the server closes it (S: seconds after the last query the
      server took), or "sent N open" if it still is after SECONDS s.
"""

import errno
import select
import socket
import struct
import sys
import time

import dns.message


def sources(spec):
    if "-" in spec:
        a, b = spec.split("-")
        pa, pb = a.rsplit(".", 1), b.rsplit(".", 1)
        return ["%s.%d" % (pa[0], i) for i in range(int(pa[1]),
                                                       int(pb[1]) + 1)]
    return spec.split(",")


def query(qname, qtype):
    wire = dns.message.make_query(qname, qtype).to_wire()
    return struct.pack("!H", len(wire)) + wire


def connect(host, port, src):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.bind((src, 0))
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    return s


def slow(host, port, srcs, count, seconds, interval):
    msg = query("example.test.", "SOA")
    conns = {}          # socket -> [source, bytes sent]
    opened = closed = 0
    reopen = []
    srcs = sources(srcs)
    end = time.monotonic() + seconds
    for i in range(count):
        s = connect(host, port, srcs[i % len(srcs)])
        conns[s] = [srcs[i % len(srcs)], 0]
        opened += 1
    next_send = time.monotonic()
    while time.monotonic() < end:
        r, _, _ = select.select(list(conns), [], [], 0.2)
        for s in r:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                continue
            reopen.append(conns.pop(s)[0])
            s.close()
            closed += 1
        if time.monotonic() < next_send:
            continue
        next_send = time.monotonic() + interval
        for src in reopen:      # at the pace of the bytes, not faster
            conns[connect(host, port, src)] = [src, 0]
            opened += 1
        reopen = []
        for s, st in conns.items():
            try:
                s.send(msg[st[1] % len(msg):st[1] % len(msg) + 1])
                st[1] += 1
            except OSError:
                pass    # refused or reset: select sees it next
    for s in conns:
        s.close()
    print("opened %d closed %d" % (opened, closed))


def pipeline(host, port, qname, qtype, seconds):
    msg = query(qname, qtype) * 64
    s = connect(host, port, "127.0.0.1")
    sent = 0
    last = time.monotonic()
    end = last + seconds
    while time.monotonic() < end:
        _, w, x = select.select([], [s], [s], 0.2)
        if x:
            break
        if not w:
            # no room: has the server closed?  (it resets: unread data)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                break
            continue
        try:
            n = s.send(msg)
        except BlockingIOError:
            continue
        except OSError:
            break
        sent += n
        last = time.monotonic()
    else:
        print("sent %d open" % sent)
        return
    print("sent %d closed %.1f" % (sent, time.monotonic() - last))


def main():
    a = sys.argv[1:]
    if len(a) == 7 and a[0] == "slow":
        slow(a[1], int(a[2]), a[3], int(a[4]), float(a[5]), float(a[6]))
    elif len(a) == 6 and a[0] == "pipeline":
        pipeline(a[1], int(a[2]), a[3], a[4], float(a[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
