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

"""The dnspython side of regress/tsig: an independent TSIG implementation
that signs what tsig_test verifies and verifies what it signs.

usage: tsigtool.py ALG KEYNAME SECRETHEX NOW COMMAND ARGS...

  sign-query OUT [OPCODE]     a query for example.com SOA (or a NOTIFY with
                              OPCODE "notify"), signed; written to OUT
  verify IN                   IN is a signed request: exit 0 if it verifies
  verify-answer REQ IN        IN answers the signed request REQ: exit 0 if
                              its TSIG verifies with REQ's MAC; prints the
                              TSIG error and other data of IN
  stream REQ OUT PATTERN      REQ is a signed AXFR request; writes to OUT the
                              answer as TCP-framed messages, one per
                              character of PATTERN: S signed, U unsigned

Time is frozen at NOW (seconds since the epoch) for signing and checking.
Exit 0 on success, 1 with the reason on stderr on a verification failure,
2 on a usage error.
"""

import struct
import sys
import time

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsig

ALGS = {
    "hmac-md5": dns.tsig.HMAC_MD5,
    "hmac-sha1": dns.tsig.HMAC_SHA1,
    "hmac-sha224": dns.tsig.HMAC_SHA224,
    "hmac-sha256": dns.tsig.HMAC_SHA256,
    "hmac-sha384": dns.tsig.HMAC_SHA384,
    "hmac-sha512": dns.tsig.HMAC_SHA512,
}


def usage():
    sys.stderr.write(__doc__)
    sys.exit(2)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def parse_request(path, keyring):
    return dns.message.from_wire(read(path), keyring=keyring)


def sign_query(keyring, keyname, alg, args):
    if len(args) not in (1, 2):
        usage()
    q = dns.message.make_query("example.com.", dns.rdatatype.SOA)
    q.id = 0x1234
    if len(args) == 2 and args[1] == "notify":
        q.set_opcode(dns.opcode.NOTIFY)
        q.flags |= dns.flags.AA
    q.use_tsig(keyring, keyname, algorithm=alg)
    write(args[0], q.to_wire())


def verify_answer(keyring, args):
    if len(args) != 2:
        usage()
    req = parse_request(args[0], keyring)
    wire = read(args[1])
    m = dns.message.from_wire(wire, keyring=keyring, request_mac=req.mac)
    if m.tsig is None:
        raise dns.tsig.BadSignature("answer not signed")
    print("error=%d other=%s" % (m.tsig_error, m.tsig[0].other.hex()))


def stream(keyring, args):
    if len(args) != 3:
        usage()
    req = parse_request(args[0], keyring)
    pattern = args[2]
    out = b""
    ctx = None
    for i, c in enumerate(pattern):
        r = dns.message.make_response(req)
        r.flags |= dns.flags.AA
        if i > 0:
            r.question = []
        name = dns.name.from_text("h%d.example.com." % i)
        rrs = dns.rrset.from_text(name, 300, "IN", "A",
                                  "192.0.2.%d" % (i % 250 + 1),
                                  "198.51.100.%d" % (i % 250 + 1))
        r.answer.append(rrs)
        if c == "S":
            wire = r.to_wire(multi=True, tsig_ctx=ctx)
            ctx = r.tsig_ctx
        elif c == "U":
            r.tsig = None
            wire = r.to_wire()
            if ctx is not None:
                ctx.update(wire)
        else:
            usage()
        out += struct.pack("!H", len(wire)) + wire
    write(args[1], out)


def main():
    if len(sys.argv) < 6:
        usage()
    alg, keyname, secret, now, cmd = sys.argv[1:6]
    args = sys.argv[6:]
    if alg not in ALGS:
        usage()
    frozen = int(now)
    time.time = lambda: frozen
    keyname = dns.name.from_text(keyname)
    key = dns.tsig.Key(keyname, bytes.fromhex(secret), ALGS[alg])
    keyring = {keyname: key}
    try:
        if cmd == "sign-query":
            sign_query(keyring, keyname, ALGS[alg], args)
        elif cmd == "verify":
            if len(args) != 1:
                usage()
            m = dns.message.from_wire(read(args[0]), keyring=keyring)
            if m.tsig is None:
                raise dns.tsig.BadSignature("request not signed")
        elif cmd == "verify-answer":
            verify_answer(keyring, args)
        elif cmd == "stream":
            stream(keyring, args)
        else:
            usage()
    except dns.exception.DNSException as e:
        sys.stderr.write("tsigtool: %s: %s\n" % (type(e).__name__, e))
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    main()
