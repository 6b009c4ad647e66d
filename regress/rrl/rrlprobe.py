#!/usr/bin/python3
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

"""rrlprobe.py SERVER PORT NAME TYPE COUNT [tcp|cookie|badlength]

Send COUNT queries for NAME TYPE at once and count the replies: printed
as "full tc none" (full: a reply without TC, whatever its rcode; tc: TC
set and every section empty, as a rate limiter's slip; none: no reply in
a second).  tcp: over TCP, one connection each.  cookie: first learn a
server cookie, then send it with every query.  badlength: one query with
a COOKIE option of 12 bytes; prints the rcode's name.
"""
import socket
import sys
import time

import dns.edns
import dns.message
import dns.query
import dns.rcode


def query(name, rtype, cookie=None):
    opts = []
    if cookie is not None:
        opts.append(dns.edns.GenericOption(dns.edns.COOKIE, cookie))
    return dns.message.make_query(name, rtype, use_edns=0, options=opts)


def reply_cookie(r):
    for o in r.options:
        if o.otype == dns.edns.COOKIE:
            return o.data
    return None


def main():
    server, port, name, rtype, count = sys.argv[1:6]
    port, count = int(port), int(count)
    mode = sys.argv[6] if len(sys.argv) > 6 else ""
    if mode == "badlength":
        q = query(name, rtype, b"\x01" * 12)
        r = dns.query.udp(q, server, port=port, timeout=2)
        print(dns.rcode.to_text(r.rcode()))
        return
    if mode == "tcp":
        full = 0
        for _ in range(count):
            r = dns.query.tcp(query(name, rtype), server, port=port,
                              timeout=2)
            full += not (r.flags & 0x0200)
        print(full, 0, count - full)
        return
    cookie = None
    if mode == "cookie":
        r = dns.query.tcp(query(name, rtype, b"\x42" * 8), server,
                          port=port, timeout=2)
        cookie = reply_cookie(r)
        if cookie is None or len(cookie) != 24:
            sys.exit("no server cookie over TCP")
    s = socket.socket(socket.AF_INET6 if ":" in server else socket.AF_INET,
                      socket.SOCK_DGRAM)
    ids = set()
    for i in range(count):
        q = query(name, rtype, cookie)
        q.id = i + 1
        ids.add(q.id)
        s.sendto(q.to_wire(), (server, port))
    full = tc = 0
    end = time.time() + 1.0
    while ids and time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            w = s.recv(65535)
        except socket.timeout:
            break
        r = dns.message.from_wire(w, question_only=True)
        if r.id not in ids:
            continue
        ids.discard(r.id)
        if r.flags & 0x0200:
            m = w[6:12]
            if m == b"\0" * 6:
                tc += 1
        else:
            full += 1
    print(full, tc, len(ids))


if __name__ == "__main__":
    main()
