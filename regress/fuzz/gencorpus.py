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

"""Write the seed corpora of the fuzz targets: corpus/<target>/<name>.

  /usr/bin/python3 gencorpus.py [DIR]      (default: corpus beside it)

Queries as dig sends them, a small AXFR answer as a primary sends it, a
TSIG-signed query and NOTIFY (key fuzz-key., hmac-sha256, 32 octets of
0x5a, signed at 1700000000: the key and clock of tsig.c), secd.conf files
(etc/ and hand-written), stored-zone records, ZONE.over files, image
patches and secctl requests.  The files are small and deterministic;
`make fuzz` finds more (README.md, "Fuzzing")."""

import os
import struct
import sys
import time

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsig
import dns.tsigkeyring

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
KEY = dns.tsigkeyring.from_text({"fuzz-key.": ("hmac-sha256",
                                               "Wlpa" * 10 + "Wlo=")})
NOW = 1700000000


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def rrset(owner, ttl, rdtype, text):
    """One record of example.com, names in its rdata relative to it."""
    origin = dns.name.from_text("example.com")
    rd = dns.rdata.from_text("IN", rdtype, text, origin=origin,
                             relativize=False)
    return dns.rrset.from_rdata(dns.name.from_text(owner, origin), ttl, rd)


def query(name, rdtype, tcp=False, **kw):
    m = dns.message.make_query(name, rdtype, **kw)
    m.id = 0x1235 if tcp else 0x1234
    return m


def queries():
    qs = [("www.example.com", "A", {}), ("WwW.ExAmPlE.CoM", "AAAA", {}),
          ("example.com", "A", {}), ("example.com", "SOA", {}),
          ("example.com", "ANY", {"use_edns": 0}),
          ("x.w.example.com", "MX", {}), ("alias2.example.com", "A", {}),
          ("loop1.example.com", "A", {}), ("a.sub.example.com", "A", {}),
          ("x.dn.example.com", "A", {}), ("www.dnin.example.com", "A", {}),
          ("nx.example.com", "A", {"want_dnssec": True}),
          ("b.c.example.com", "TXT", {}), ("x.c2.example.com", "A", {}),
          ("www.signed.example", "A", {"want_dnssec": True}),
          ("nx.signed.example", "A", {"want_dnssec": True}),
          ("x.w.signed.example", "A", {"want_dnssec": True}),
          ("a.sub.signed.example", "A", {"want_dnssec": True}),
          ("a.insec.signed.example", "A", {"want_dnssec": True}),
          ("signed.example", "NSEC3PARAM", {"want_dnssec": True}),
          ("b.c.signed.example", "A", {"want_dnssec": True,
                                        "payload": 4096}),
          ("other.test", "A", {})]
    for i, (n, t, kw) in enumerate(qs):
        put("query", "q%02d-%s-%s" % (i, n.lower(), t),
            query(n, t, tcp=bool(i & 1), **kw).to_wire())
    m = query("example.com", "SOA")
    m.set_opcode(dns.opcode.NOTIFY)
    put("query", "notify", m.to_wire())
    m = dns.message.make_query("version.bind", "TXT", rdclass="CH")
    m.id = 0x1236     # the same bytes at every run
    put("query", "chaos", m.to_wire())


def axfr():
    origin = dns.name.from_text("example.com")
    m = dns.message.make_response(query("example.com", "AXFR"))
    recs = [("@", 3600, "SOA", "ns1 hostmaster 2024010101 7200 3600 "
             "1209600 300"),
            ("@", 3600, "NS", "ns1"), ("@", 3600, "MX", "10 mail"),
            ("ns1", 3600, "A", "192.0.2.53"),
            ("ns1", 3600, "AAAA", "2001:db8::53"),
            ("www", 300, "CNAME", "ns1"), ("txt", 60, "TXT", '"a b" c'),
            ("_s._tcp", 60, "SRV", "0 0 53 ns1"),
            ("sub", 3600, "NS", "ns.sub"),
            ("sub", 3600, "DS", "1234 8 2 " + "ab" * 32),
            ("n", 60, "NAPTR", '1 2 "u" "E2U+sip" "" ns1'),
            ("d", 60, "DNAME", "example.net."),
            ("@", 3600, "SOA", "ns1 hostmaster 2024010101 7200 3600 "
             "1209600 300")]
    for owner, ttl, t, rd in recs:
        m.answer.append(rrset(owner, ttl, t, rd))
    return m.to_wire()


def answer(qtype, recs, split=None):
    """An AXFR or IXFR answer of example.com: its messages, the records
    cut into messages of `split` records (one message by default)."""
    split = split or len(recs)
    msgs = []
    for i in range(0, len(recs), split):
        m = dns.message.make_response(query("example.com", qtype))
        if i > 0:
            m.question = []
        for owner, ttl, t, rd in recs[i:i + split]:
            m.answer.append(rrset(owner, ttl, t, rd))
        msgs.append(m.to_wire())
    return msgs


def transfer(ixfr, msgs):
    """One transfer of the xfr_stream target: flags, the messages each
    with a 2-octet length, and a 0 length to end it."""
    out = bytes([1 if ixfr else 0])
    for m in msgs:
        out += struct.pack("!H", len(m)) + m
    return out + struct.pack("!H", 0)


def soa(serial):
    return ("@", 3600, "SOA", "ns1 hostmaster %d 7200 3600 1209600 300"
            % serial)


def xfr_stream():
    zone = [soa(1), ("@", 3600, "NS", "ns1"), ("@", 3600, "MX", "10 mail"),
            ("ns1", 3600, "A", "192.0.2.53"),
            ("ns1", 3600, "AAAA", "2001:db8::53"),
            ("www", 300, "CNAME", "ns1"), ("txt", 60, "TXT", '"a b" c'),
            ("sub", 3600, "NS", "ns.sub"), soa(1)]
    ax = transfer(False, answer("AXFR", zone))
    put("xfr_stream", "axfr", ax)
    put("xfr_stream", "axfr-split", transfer(False, answer("AXFR", zone, 3)))
    put("xfr_stream", "axfr-short", transfer(False, answer("AXFR",
                                                           zone[:-1])))
    # two deltas, 1 -> 2 -> 3, in two messages
    deltas = [soa(3), soa(1), ("www", 300, "CNAME", "ns1"), soa(2),
              ("www", 300, "A", "192.0.2.80"), soa(2),
              ("txt", 60, "TXT", '"a b" c'), soa(3),
              ("new", 60, "A", "192.0.2.1"), soa(3)]
    put("xfr_stream", "axfr-ixfr", ax + transfer(True, answer("IXFR",
                                                              deltas, 5)))
    put("xfr_stream", "axfr-ixfr-current",
        ax + transfer(True, answer("IXFR", [soa(1)])))
    put("xfr_stream", "axfr-ixfr-axfr",
        ax + transfer(True, answer("IXFR", [soa(4)] + zone[1:-1] +
                                   [soa(4)])))
    # a delta that deletes what is not there: zoned refuses it
    put("xfr_stream", "axfr-ixfr-bad",
        ax + transfer(True, answer("IXFR", [soa(2), soa(1),
                                            ("nx", 60, "A", "192.0.2.9"),
                                            soa(2), soa(2)])))


def chain(depth, nrec):
    """A response whose answer owners are pointers into a pointer chain."""
    msg = bytearray(struct.pack("!HHHHHH", 0x1234, 0x8400, 0, 1 + nrec,
                                0, 0))
    msg += b"\x00\xff\x00\x00\x01\x00\x00\x00\x00" + struct.pack("!H", 254)
    base = len(msg)
    for k in range(127):
        target = 12 if k == 0 else base + 2 * (k - 1)
        msg += struct.pack("!H", 0xc000 | target)
    end = base + 2 * (depth - 1)
    for _ in range(nrec):
        msg += struct.pack("!H", 0xc000 | end) + b"\x00\x05\x00\x01" + \
            b"\x00\x00\x00\x00\x00\x02" + struct.pack("!H", 0xc000 | end)
    return bytes(msg)


def wire():
    put("wire", "axfr", axfr())
    put("wire", "chain-deep", chain(126, 300))
    put("wire", "chain-short", chain(2, 300))
    put("wire", "query", query("www.example.com", "A").to_wire())


def tsig():
    real = time.time
    time.time = lambda: NOW
    try:
        m = query("example.com", "AXFR")
        m.use_tsig(KEY, keyname="fuzz-key.", algorithm="hmac-sha256")
        put("tsig", "axfr-request", m.to_wire())
        m = query("example.com", "SOA")
        m.set_opcode(dns.opcode.NOTIFY)
        m.use_tsig(KEY, keyname="fuzz-key.", algorithm="hmac-sha256")
        put("tsig", "notify", m.to_wire())
        m = query("example.com", "SOA")
        m.use_tsig(dns.tsigkeyring.from_text({"other-key.": (
            "hmac-sha256", "Wlpa" * 10 + "Wlo=")}), keyname="other-key.",
            algorithm="hmac-sha256")
        put("tsig", "unknown-key", m.to_wire())
        put("tsig", "unsigned", query("example.com", "SOA").to_wire())
    finally:
        time.time = real


def notify():
    """The notify target: a source octet (0 127.0.0.1, 1 192.0.2.1,
    2 ::1, 3 192.0.2.99; 4: TCP), then the NOTIFY."""
    def msg(zone, serial=None, signed=False):
        m = dns.message.make_query(zone, "SOA")
        m.id = 0x4321
        m.set_opcode(dns.opcode.NOTIFY)
        m.flags |= dns.flags.AA
        if serial is not None:
            m.answer.append(dns.rrset.from_text(
                zone + ".", 3600, "IN", "SOA",
                "ns1.%s. hostmaster.%s. %d 7200 3600 1209600 300"
                % (zone, zone, serial)))
        if signed:
            m.use_tsig(KEY, keyname="fuzz-key.", algorithm="hmac-sha256")
        return m.to_wire()
    real = time.time
    time.time = lambda: NOW
    try:
        put("notify", "unsigned", b"\0" + msg("example.com", 2))
        put("notify", "unsigned-old", b"\0" + msg("example.com", 1))
        put("notify", "unsigned-noserial", b"\4" + msg("example.com"))
        put("notify", "signed", b"\1" + msg("example.com", 2, True))
        put("notify", "signed-net", b"\0" + msg("example.net", 5, True))
        put("notify", "unsigned-net", b"\0" + msg("example.net"))
        put("notify", "signed-wrong-source",
            b"\3" + msg("example.com", 2, True))
        put("notify", "v6-other-zone", b"\2" + msg("example.org", 2))
        bad = bytearray(msg("example.com", 2, True))
        bad[-20] ^= 1
        put("notify", "signed-bad-mac", b"\1" + bytes(bad))
        put("notify", "query", b"\0" + query("example.com",
                                                "SOA").to_wire())
    finally:
        time.time = real


def config():
    etc = os.path.join(HERE, "..", "..", "etc")
    for f in ("secd.conf", "secd-demo.conf"):
        with open(os.path.join(etc, f), "rb") as fh:
            put("config", f, fh.read())
    put("config", "small", 'key "k1" { algorithm hmac-sha256 '
        'secret "Wlpa" }\nzone "example.com" { primary 192.0.2.1 '
        'port 53 tsig "k1" }\n')
    put("config", "macro", 'p = "192.0.2.1"\nzone "a.test" '
        '{ primary $p }\n')
    put("config", "bad", 'zone { primary }\nfoo bar\n"unterminated\n')


def store_records(ttl, records):
    """An input of the store target: the record count, then each
    (owner, type, rdata) of example.com in the store encoding."""
    origin = dns.name.from_text("example.com")
    out = bytearray()
    for owner, t, rd in records:
        rr = rrset(owner, ttl, t, rd)
        name = rr.name.to_wire()
        rdata = rr[0].to_digestable(origin)
        out += bytes([len(name)]) + name + struct.pack(
            "!HHIH", rr.rdtype, 1, ttl, len(rdata)) + rdata
    return struct.pack("!I", len(records)) + bytes(out)


def store():
    put("store", "zone", store_records(60, [
        ("@", "SOA", "ns1 hostmaster 1 2 3 4 5"), ("@", "NS", "ns1"),
        ("ns1", "A", "192.0.2.1"), ("www", "CNAME", "ns1"),
        ("*.w", "A", "192.0.2.2"), ("sub", "NS", "ns.sub"),
        ("ns.sub", "A", "192.0.2.3")]))
    put("store", "empty", struct.pack("!I", 0))
    # a catalog zone (RFC 9432): members, properties, refusals
    put("store", "catalog", store_records(0, [
        ("@", "SOA", "invalid. invalid. 1 2 3 4 5"), ("@", "NS", "invalid."),
        ("version", "TXT", '"2"'), ("m1.zones", "PTR", "a.test."),
        ("group.m1.zones", "TXT", '"g"'),
        ("coo.m1.zones", "PTR", "other.test."),
        ("m2.zones", "PTR", "b.test."), ("m2.zones", "PTR", "c.test."),
        ("m3.zones", "PTR", "a.test."),
        ("group.m4.zones", "TXT", '"x" "y"')]))


def catalog():
    """Member files of a catalog zone (shared/catalog.h)."""
    put("catalog", "good", "secd catalog 1 serial 7\na.test id1 - -\n"
        "b.test Z_9-x grp other.test\n")
    put("catalog", "empty", "secd catalog 1 serial 0\n")
    put("catalog", "badline", "secd catalog 1 serial 1\na.test id - - x\n")
    put("catalog", "badversion", "secd catalog 2 serial 1\n")


def override():
    put("override", "proxy", "secd-overrides 1\nproxy on www.example.com. "
        "1700000000 secctl uid 0\nproxy off a.example.com. 1700000001 "
        "api\n")
    put("override", "apex", "secd-overrides 1\napex cname www.example.com. "
        "flattened 1700000000 secctl\napex resolved out.example.net. "
        "1700000002 300 192.0.2.1 2001:db8::1\n")
    put("override", "bad", "secd-overrides 1\nproxy maybe x 1 s\n")


def image():
    put("image", "unchanged", b"\0")
    put("image", "patched", b"\0" + bytes([0, 0, 40, 0xff, 0, 1, 0, 7]))
    put("image", "raw", b"\1" + b"\0" * 64)
    # an overlay: as built, its header's serial patched, a slot patched
    put("image", "overlay", b"\2")
    put("image", "overlay-serial", b"\2" + bytes([0, 0, 64, 0x55]))
    put("image", "overlay-tail", b"\2" + bytes([0, 4, 0, 0xff]))


def control():
    def req(verb, zone=b"", name=b"", arg=b""):
        body = struct.pack("=ii", verb, 0)
        for s in (zone, name, arg):
            body += s + b"\0" * (1025 - len(s))
        body += struct.pack("=I", 0)
        body += b"\0" * (-len(body) % 4)
        return body

    def frame(t, body):
        return struct.pack("=IIII", t, 16 + len(body), 0, 0) + body
    # IMSG_CTL_REQUEST is the enum's value in shared/secd.h, read below
    with open(os.path.join(HERE, "..", "..", "shared", "secd.h")) as f:
        text = f.read()
    enum = text[text.index("enum imsg_type"):]
    names = [l.strip().split(",")[0].split("=")[0].strip()
             for l in enum.split("{", 1)[1].split("}", 1)[0].splitlines()
             if l.strip().startswith("IMSG_")]
    t = names.index("IMSG_CTL_REQUEST")
    put("control", "status", frame(t, req(1)))
    put("control", "show-zone", frame(t, req(3, b"example.com")))
    put("control", "two", frame(t, req(2)) + frame(t, req(1)))
    put("control", "short", frame(t, req(1))[:100])
    put("control", "badverb", frame(t, req(999)))


def layout():
    """Sizes and offsets of the imsg structs of shared/secd.h, as the C
    compiler lays them out here (a small program, compiled and run), and
    the IMSG_* values."""
    import subprocess
    import tempfile
    top = os.path.join(HERE, "..", "..")
    items = {"xfr_msg": ["zone", "serial", "kind", "ok", "records",
                         "primary", "msg"],
             "ctl_request": ["verb", "zone", "name", "arg"],
             "zone_check_msg": ["zone", "serial", "checked"],
             "apex_msg": ["zone", "name", "ok", "msg"],
             "zone_expire_msg": ["zone", "expired"],
             "zone_image_msg": ["zone", "serial", "ovllen"],
             "notify_msg": ["tcp", "sock", "from", "len"],
             "secd_conf": [], "zone_opts": [], "reconf_zone": ["opts"],
             "ctl_result": ["code", "msg"],
             "ctl_status": ["zones", "version"],
             "ctl_proc": ["name", "instance", "started"],
             "ctl_sandbox": ["name", "promises"],
             "ctl_stats": ["queries_udp"],
             "ctl_proxystat": ["zone", "name", "answers"],
             "ctl_zone": ["zone", "state", "have_serial", "serial",
                          "served", "next_check", "dnssec"],
             "ctl_zsize": ["zone", "records"]}
    src = '#include <stddef.h>\n#include <stdio.h>\n#include "secd.h"\n'
    src += "int main(void) {\n"
    for st, fields in items.items():
        src += 'printf("%s %%zu\\n", sizeof(struct %s));\n' % (st, st)
        for fl in fields:
            src += ('printf("%s.%s %%zu\\n", offsetof(struct %s, %s));\n'
                    % (st, fl, st, fl))
    src += "return 0; }\n"
    cflags = subprocess.run(["pkg-config", "--cflags", "libbsd-overlay",
                             "libevent"], capture_output=True,
                            text=True).stdout.split()
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "l.c"), "w") as f:
            f.write(src)
        subprocess.run([os.environ.get("CC", "cc"), "-D_GNU_SOURCE",
                        "-I" + top, "-I" + os.path.join(top, "shared")] +
                       cflags + ["-o", os.path.join(d, "l"),
                                 os.path.join(d, "l.c")], check=True)
        out = subprocess.run([os.path.join(d, "l")], capture_output=True,
                             text=True, check=True).stdout
    lay = {k: int(v) for k, v in (l.split() for l in out.splitlines())}
    with open(os.path.join(top, "shared", "secd.h")) as f:
        text = f.read()
    enum = text[text.index("enum imsg_type"):]
    names = [l.strip().split(",")[0].split("=")[0].strip()
             for l in enum.split("{", 1)[1].split("}", 1)[0].splitlines()
             if l.strip().startswith("IMSG_")]
    verbs = text[text.index("enum ctl_verb"):]
    verbs = [l.strip().split(",")[0].strip()
             for l in verbs.split("{", 1)[1].split("}", 1)[0].splitlines()
             if l.strip().startswith("CTL_")]
    return lay, names, verbs


def imsgs():
    """The imsg_xfrd, imsg_zoned and imsg_serverd targets: imsgs with
    valid payloads, each with the 6-octet head fuzz_imsgs() reads (peer,
    type, peerid, flags, length)."""
    lay, names, verbs = layout()

    def st(sname, **fields):
        b = bytearray(lay[sname])
        for k, v in fields.items():
            off = lay[sname + "." + k]
            if isinstance(v, bytes):
                b[off:off + len(v)] = v
            elif k in ("records", "checked"):
                b[off:off + 8] = struct.pack("=q", v)
            else:
                b[off:off + 4] = struct.pack("=i", v)
        return bytes(b)

    def im(peer, t, body=b"", peerid=0, fd=False):
        return struct.pack("!BBBBH", peer, names.index(t), peerid,
                           1 if fd else 0, len(body)) + body

    def req(verb, zone=b"", name=b"", arg=b""):
        return st("ctl_request", verb=verbs.index(verb), zone=zone,
                  name=name, arg=arg)

    def xm(zone=b"example.com", **kw):
        return st("xfr_msg", zone=zone, primary=b"127.0.0.1", **kw)

    def notify(body, tcp=0):
        sa = struct.pack("=H", 2) + struct.pack("!H", 5300) + \
            bytes([127, 0, 0, 1])
        return st("notify_msg", tcp=tcp, sock=3, **{"from": sa},
                  len=len(body)) + body

    def records():
        out = b""
        owner = dns.name.from_text("example.com").to_wire()
        for t, rd in ((6, dns.rdata.from_text(
                "IN", "SOA", "ns1.example.com. h.example.com. 1 7200 3600 "
                "1209600 300").to_wire()), (2, b"\3ns1" + owner),):
            out += bytes([len(owner)]) + owner + struct.pack(
                "!HHIH", t, 1, 3600, len(rd)) + rd
        ns1 = b"\3ns1" + owner
        rd = bytes([192, 0, 2, 53])
        out += bytes([len(ns1)]) + ns1 + struct.pack("!HHIH", 1, 1, 3600,
                                                     4) + rd
        return out

    n = dns.message.make_query("example.com", "SOA")
    n.set_opcode(dns.opcode.NOTIFY)
    n = n.to_wire()
    reconf = im(0, "IMSG_RECONF_CONF", bytes(lay["secd_conf"])) + \
        im(0, "IMSG_RECONF_END")
    # a zone and its settings (shared/conf_imsg.c): index 0, name, NUL
    reconf_zone = im(0, "IMSG_RECONF_CONF", bytes(lay["secd_conf"])) + \
        im(0, "IMSG_RECONF_OPTS", bytes(lay["zone_opts"])) + \
        im(0, "IMSG_RECONF_ZONE", st("reconf_zone", opts=0) +
           b"example.com\0") + im(0, "IMSG_RECONF_END")
    # xfrd: from the parent 0, zoned 1, serverd 2
    put("imsg_xfrd", "verbose", im(0, "IMSG_CTL_VERBOSE",
                                   struct.pack("=i", 2)))
    put("imsg_xfrd", "show-zones", im(0, "IMSG_CTL_REQUEST",
                                      req("CTL_SHOW_ZONES"), 7))
    put("imsg_xfrd", "refresh", im(0, "IMSG_CTL_REQUEST",
                                   req("CTL_REFRESH", b"example.com"), 8))
    put("imsg_xfrd", "stats", im(0, "IMSG_CTL_REQUEST",
                                 req("CTL_SHOW_STATS"), 9))
    put("imsg_xfrd", "reload", reconf)
    put("imsg_xfrd", "reload-zone", reconf_zone)
    put("imsg_xfrd", "loaded", im(1, "IMSG_ZONE_LOADED", xm(ok=0)) +
        im(1, "IMSG_ZONE_LOADED", xm(b"example.net", ok=1, serial=5)) +
        im(0, "IMSG_CTL_REQUEST", req("CTL_SHOW_ZONES"), 7))
    put("imsg_xfrd", "result", im(1, "IMSG_XFR_RESULT", xm(ok=1,
                                                           serial=2)))
    put("imsg_xfrd", "apex-resolve", im(1, "IMSG_APEX_RESOLVE", st(
        "apex_msg", zone=b"example.com", name=b"www.example.org")))
    put("imsg_xfrd", "notify", im(2, "IMSG_NOTIFY", notify(n)))
    put("imsg_xfrd", "bad-type", im(1, "IMSG_NOTIFY", notify(n)))
    # zoned: from the parent 0, xfrd 1, serverd 2
    axfr = im(1, "IMSG_XFR_BEGIN", xm(kind=0), 1) + \
        im(1, "IMSG_XFR_DATA", records(), 1) + \
        im(1, "IMSG_XFR_END", xm(kind=0, serial=1, records=3), 1)
    put("imsg_zoned", "axfr", axfr)
    put("imsg_zoned", "axfr-show", axfr + im(0, "IMSG_CTL_REQUEST", req(
        "CTL_SHOW_ZONE", b"example.com"), 3) + im(0, "IMSG_CTL_REQUEST",
                                                  req("CTL_AUDIT",
                                                      b"example.com"), 4))
    put("imsg_zoned", "axfr-proxy", axfr + im(0, "IMSG_CTL_REQUEST", req(
        "CTL_PROXY", b"example.com", b"ns1.example.com", b"on"), 5) +
        im(2, "IMSG_ZONE_SERVING", st("zone_image_msg", zone=b"example.com",
                                      serial=1)))
    put("imsg_zoned", "axfr-apex", axfr + im(0, "IMSG_CTL_REQUEST", req(
        "CTL_APEX_CNAME", b"example.com", b"www.example.org"), 6) +
        im(1, "IMSG_APEX_RESOLVED", st("apex_msg", zone=b"example.com",
                                       name=b"www.example.org", ok=1)))
    put("imsg_zoned", "axfr-refused", axfr + im(
        2, "IMSG_ZONE_REFUSED", st("zone_image_msg", zone=b"example.com",
                                   serial=1)))
    put("imsg_zoned", "abort", im(1, "IMSG_XFR_BEGIN", xm(kind=0), 2) +
        im(1, "IMSG_XFR_ABORT", xm(kind=0), 2))
    put("imsg_zoned", "checked", im(1, "IMSG_ZONE_CHECKED", st(
        "zone_check_msg", zone=b"example.com", serial=1,
        checked=1700000000)))
    put("imsg_zoned", "reload", reconf)
    put("imsg_zoned", "reload-zone", reconf_zone)
    put("imsg_zoned", "unknown", im(1, "IMSG_XFR_DATA", records(), 9))
    # serverd: from the parent 0, xfrd 1, zoned 2
    zim = st("zone_image_msg", zone=b"example.com", serial=1)
    put("imsg_serverd", "stats", im(0, "IMSG_CTL_REQUEST",
                                    req("CTL_SHOW_STATS"), 2))
    put("imsg_serverd", "reload", reconf)
    put("imsg_serverd", "reload-zone", reconf_zone)
    put("imsg_serverd", "expire", im(1, "IMSG_ZONE_EXPIRE", st(
        "zone_expire_msg", zone=b"example.com", expired=1)))
    put("imsg_serverd", "notify-answer", im(1, "IMSG_NOTIFY_ANSWER",
                                            notify(n)))
    put("imsg_serverd", "image", im(2, "IMSG_ZONE_IMAGE", zim, fd=True) +
        im(2, "IMSG_ZONE_DROP", zim))
    put("imsg_serverd", "image-nofd", im(2, "IMSG_ZONE_IMAGE", zim))
    put("imsg_serverd", "image-overlay", im(2, "IMSG_ZONE_IMAGE", st(
        "zone_image_msg", zone=b"example.com", serial=1, ovllen=100),
        fd=True))
    # metricsd: a whole scrape on its control channel (1), a reload (0)
    ok = im(1, "IMSG_CTL_RESULT", st("ctl_result", code=0))
    scrape = (im(1, "IMSG_CTL_STATUS", st("ctl_status", zones=1,
                                          version=b"0.1")) +
              im(1, "IMSG_CTL_PROC", st("ctl_proc", name=b"secd",
                                        started=1700000000)) +
              im(1, "IMSG_CTL_PROC", st("ctl_proc", name=b"serverd",
                                        instance=1)) + ok +
              im(1, "IMSG_CTL_SANDBOX", st("ctl_sandbox", name=b"xfrd",
                                           promises=b"stdio inet")) + ok +
              im(1, "IMSG_CTL_STATS", st("ctl_stats", queries_udp=7)) +
              im(1, "IMSG_CTL_PROXYSTAT", st(
                  "ctl_proxystat", zone=b"example.com",
                  name=b"www.example.com.", answers=3)) + ok +
              im(1, "IMSG_CTL_ZONE", st(
                  "ctl_zone", zone=b"ex\"ample\\.com", state=b"ok",
                  have_serial=1, serial=5, served=6, next_check=1,
                  dnssec=1)) + ok +
              im(1, "IMSG_CTL_ZSIZE", st("ctl_zsize", zone=b"example.com",
                                         records=12)) + ok)
    put("imsg_metricsd", "scrape", scrape)
    put("imsg_metricsd", "scrape-twice", scrape + scrape)
    put("imsg_metricsd", "refused", im(1, "IMSG_CTL_RESULT", st(
        "ctl_result", code=1, msg=b"no")) + scrape)
    put("imsg_metricsd", "reload", reconf)
    put("imsg_metricsd", "unexpected", im(1, "IMSG_CTL_RR", b"x" * 40))


for f in (queries, wire, tsig, config, store, catalog, override, image,
          control, xfr_stream, notify, imsgs):
    f()
