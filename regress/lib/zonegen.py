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

"""Zone files and query lists for the secd transfer, serving and benchmark
tests.

  zonegen.py [--kind test|bench] [--signable] [--names N] [--seed S]
             [--serial S] [-o FILE] ORIGIN
  zonegen.py queries --zone FILE [--origin O] [--count N] [--seed S]
             [--exhaustive | --dnssec] [-o FILE]

--kind test (the default) writes a deterministic zone that holds every record
type secd must carry (RFC 1035, 3596, 2782, 6672, CAA, SSHFP, TLSA, DS at a
cut, RFC 3597 unknown types) and the shapes a server must answer right
(delegations with and without glue, wildcards, empty non-terminals, CNAME
chains, DNAMEs, 63-octet labels, 255-octet names, uppercase owners, big
RRsets), plus --names ordinary names (default 300).  --kind bench writes a
realistic mix of N names, streamed, for benchmarks.

--signable (with --kind test) writes the test zone in a form that
dnssec-signzone can sign with NSEC3, and with the shapes DNSSEC needs.  It
leaves out every name whose "*.<name>" would exceed 255 octets (the NSEC3
signer hashes the wildcard of every name: "addnowildcardhash: name too
long"), so that the two longest names have 253 octets instead of 255,
and it adds unsigned delegations below an empty non-terminal that leads
to nothing else (deleg.optent, out-of-zone NS; deleg2.optent, with glue),
so that NSEC3 opt-out leaves the empty non-terminal and the delegations
out of the chain, and a wildcard below empty non-terminals (*.w.went).
The signed delegation with a DS (sub) and the insecure ones (sub2, sub3)
stay.  Without --signable the output is the same, byte for byte.

Every record is written on one line as "owner TTL IN TYPE RDATA" with an
absolute owner, so that the query generator (and anything else) can read a
million-name zone with split().

"queries" prints a query list ("name type" per line, the dnsperf format)
drawn from a zone file: existing names with their types, NODATA, NXDOMAIN,
names under wildcards and delegations, CNAMEs, random case.  --exhaustive
prints instead every name with its types and the common ones, plus the
variants the differential test needs (flags after the type: tcp, noedns,
bufsize=N, do, opcode=N, class=CH, ednsver=N), in the format dnsdiff.py
reads.  --dnssec prints, for a signed zone, the queries a DNSSEC
differential adds to the --exhaustive list (run with "do" on every line):
a sample of positive, NXDOMAIN, NODATA, wildcard, referral, DS-at-cut,
CNAME and empty non-terminal queries repeated with DO over TCP and with
EDNS sizes 512, 1232 and 4096, and without DO over UDP and TCP; with DO,
DS at and below every cut and elsewhere, names at and below NSEC3 owner
names, QTYPE RRSIG, NSEC, NSEC3 and ANY at some names (NSEC and NSEC3 at
one CNAME owner only), mixed case; and the apex's DNSSEC types (DNSKEY,
CDS, CDNSKEY, NSEC3PARAM, RRSIG, ANY, NSEC, NSEC3, DS) with and without
DO, CD, over both transports and at 512 and 4096 octets.
"""

import argparse
import random
import sys

# ---------------------------------------------------------------- generation


class Out:
	"""Writes records one per line, owners absolute.  With maxname, leaves
	out the records whose owner is longer than maxname octets."""

	def __init__(self, fp, origin, maxname=255):
		self.fp = fp
		self.origin = origin
		self.maxname = maxname
		self.n = 0

	def abs(self, name):
		if name == "@":
			return self.origin
		if name.endswith("."):
			return name
		return name + "." + self.origin

	def rr(self, owner, ttl, rtype, rdata):
		if wire_len(self.abs(owner)) > self.maxname:
			return
		self.fp.write("%s %d IN %s %s\n" % (self.abs(owner), ttl, rtype,
		    rdata))
		self.n += 1


def wire_len(name):
	"""Octets of an absolute presentation name on the wire."""
	if name == ".":
		return 1
	return sum(len(l) + 1 for l in name.rstrip(".").split(".")) + 1


def hexstr(rng, nbytes):
	return "".join("%02x" % rng.randrange(256) for _ in range(nbytes))


def text(rng, n):
	alpha = "abcdefghijklmnopqrstuvwxyz0123456789 -=+/"
	return "".join(rng.choice(alpha) for _ in range(n))


def soa(o, origin, serial):
	o.rr("@", 3600, "SOA", "ns1.%s hostmaster.%s %d 3600 900 1209600 300"
	    % (origin, origin, serial))


def gen_test(fp, origin, names, seed, serial, signable=False):
	rng = random.Random(seed)
	# "*." and the name: 2 octets more (the NSEC3 signer's wildcard hash).
	o = Out(fp, origin, 253 if signable else 255)
	fp.write("; secd test zone for %s, seed %d, %d ordinary names%s\n"
	    % (origin, seed, names, ", signable" if signable else ""))
	fp.write("$ORIGIN %s\n$TTL 3600\n" % origin)
	A = lambda: "192.0.2.%d" % rng.randrange(1, 255)
	AAAA = lambda: "2001:db8::%x" % rng.randrange(1, 65535)
	B = lambda: "198.51.100.%d" % rng.randrange(1, 255)

	# The apex: SOA, in-zone and out-of-zone NS, A/AAAA (the apex CNAME
	# override hides these), MX, TXT, CAA.
	soa(o, origin, serial)
	o.rr("@", 3600, "NS", "ns1." + origin)
	o.rr("@", 3600, "NS", "ns2." + origin)
	o.rr("@", 3600, "NS", "ns.outside.example.")
	o.rr("@", 300, "A", "192.0.2.1")
	o.rr("@", 300, "AAAA", "2001:db8::1")
	o.rr("@", 3600, "MX", "10 mail." + origin)
	o.rr("@", 3600, "MX", "20 mail2." + origin)
	o.rr("@", 3600, "MX", "30 mx.outside.example.")
	o.rr("@", 3600, "TXT", '"v=spf1 mx -all"')
	o.rr("@", 3600, "CAA", '0 issue "ca.example.net"')
	o.rr("@", 3600, "CAA", '0 iodef "mailto:security@%s"'
	    % origin.rstrip("."))
	o.rr("@", 3600, "CAA", '128 tbs "unknown-critical"')

	# Name servers and mail hosts in the zone, so that NS/MX/SRV answers
	# carry additional A/AAAA.  Several addresses per name.
	o.rr("ns1", 86400, "A", "192.0.2.53")
	o.rr("ns1", 86400, "AAAA", "2001:db8::53")
	o.rr("ns2", 86400, "A", "192.0.2.54")
	o.rr("ns2", 86400, "AAAA", "2001:db8::54")
	o.rr("mail", 3600, "A", "192.0.2.25")
	o.rr("mail", 3600, "A", "192.0.2.26")
	o.rr("mail", 3600, "AAAA", "2001:db8::25")
	o.rr("mail2", 3600, "A", "192.0.2.27")
	o.rr("web", 300, "A", "192.0.2.10")
	o.rr("web", 300, "A", "192.0.2.11")
	o.rr("web", 300, "A", "192.0.2.12")
	o.rr("web", 300, "AAAA", "2001:db8::10")
	o.rr("web", 300, "AAAA", "2001:db8::11")
	o.rr("ttl0", 0, "A", "192.0.2.200")

	# A name with A, MX and TXT.
	o.rr("multi", 600, "A", "192.0.2.30")
	o.rr("multi", 600, "MX", "10 mail." + origin)
	o.rr("multi", 600, "TXT", '"multi purpose"')

	# CNAMEs: one link, chains of two and three links in the zone, out of
	# the zone, into a wildcard, into a delegation, dangling, uppercase.
	o.rr("www", 300, "CNAME", "web." + origin)
	o.rr("chain1", 300, "CNAME", "chain2." + origin)
	o.rr("chain2", 300, "CNAME", "chain3." + origin)
	o.rr("chain3", 300, "CNAME", "web." + origin)
	o.rr("short1", 300, "CNAME", "short2." + origin)
	o.rr("short2", 300, "A", "192.0.2.31")
	o.rr("ext", 300, "CNAME", "www.example.net.")
	o.rr("towild", 300, "CNAME", "something.wild." + origin)
	o.rr("todeleg", 300, "CNAME", "host.sub." + origin)
	o.rr("dangling", 300, "CNAME", "nothere." + origin)
	o.rr("upcname", 300, "CNAME", "WEB." + origin.upper())
	o.rr("tomx", 300, "CNAME", "multi." + origin)

	# DNAMEs (RFC 6672): out of the zone and to a subtree in the zone.
	o.rr("dn", 3600, "DNAME", "example.net.")
	o.rr("dnin", 3600, "DNAME", "tgt." + origin)
	o.rr("www.tgt", 3600, "A", "192.0.2.40")
	o.rr("mail.tgt", 3600, "MX", "10 mail." + origin)

	# The rest of RFC 1035 and friends.
	o.rr("ptr", 3600, "PTR", "web." + origin)
	o.rr("10.rev", 3600, "PTR", "web." + origin)
	o.rr("hinfo", 3600, "HINFO", '"PDP-11" "UNIX"')
	o.rr("_sip._tcp", 3600, "SRV", "10 60 5060 sip." + origin)
	o.rr("_sip._tcp", 3600, "SRV", "20 40 5060 sip2." + origin)
	o.rr("_ldap._tcp", 3600, "SRV", "0 0 389 ldap.example.net.")
	o.rr("sip", 3600, "A", "192.0.2.60")
	o.rr("sip", 3600, "AAAA", "2001:db8::60")
	o.rr("sip2", 3600, "A", "192.0.2.61")
	o.rr("naptr", 3600, "NAPTR",
	    '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.net!" .')
	o.rr("naptr", 3600, "NAPTR",
	    '100 20 "S" "SIP+D2U" "" _sip._udp.' + origin)
	o.rr("sshfp", 3600, "SSHFP", "1 1 " + hexstr(rng, 20))
	o.rr("sshfp", 3600, "SSHFP", "4 2 " + hexstr(rng, 32))
	o.rr("_443._tcp.web", 3600, "TLSA", "3 1 1 " + hexstr(rng, 32))

	# TXT: three 255-octet strings in one record; an RRset of more than
	# 512 octets (TC without EDNS); an RRset of more than 1232 octets;
	# an A RRset that does not fit in 512 octets.
	o.rr("longtxt", 3600, "TXT", " ".join('"%s"' % text(rng, 255)
	    for _ in range(3)))
	for i in range(8):
		o.rr("bigtxt", 3600, "TXT", '"%02d %s"' % (i, text(rng, 90)))
	for i in range(12):
		o.rr("hugetxt", 3600, "TXT", '"%02d %s"' % (i, text(rng, 200)))
	for i in range(40):
		o.rr("many", 3600, "A", "198.51.100.%d" % (i + 1))
	o.rr("txtquote", 3600, "TXT", r'"quote \" semicolon ; backslash \\"'
	    r' "\012\255"')

	# Unknown types (RFC 3597), and a known type written generically.
	o.rr("unknown", 3600, "TYPE65280", r"\# 4 0a000001")
	o.rr("unknown", 3600, "TYPE65281", r"\# 0")
	o.rr("unknown2", 3600, "TYPE65282", r"\# 10 0102030405060708090a")
	o.rr("generic", 3600, "TYPE1", r"\# 4 c0000263")

	# Delegations: in-bailiwick glue (A+AAAA) with a DS at the cut;
	# out-of-bailiwick NS only; a sibling NS in the parent zone.
	o.rr("sub", 3600, "NS", "ns1.sub." + origin)
	o.rr("sub", 3600, "NS", "ns2.sub." + origin)
	o.rr("sub", 3600, "DS", "12345 13 2 " + hexstr(rng, 32))
	o.rr("ns1.sub", 3600, "A", "192.0.2.70")
	o.rr("ns1.sub", 3600, "AAAA", "2001:db8::70")
	o.rr("ns2.sub", 3600, "A", "192.0.2.71")
	o.rr("sub2", 3600, "NS", "ns1.outside.example.")
	o.rr("sub2", 3600, "NS", "ns2.outside.example.")
	o.rr("sub3", 3600, "NS", "ns1." + origin)
	o.rr("sub3", 3600, "NS", "ns.sub." + origin)

	# Wildcards (RFC 4592): with A/AAAA/TXT, with MX, a CNAME; an explicit
	# name beside a wildcard; an empty non-terminal below a wildcard's
	# parent (which stops the wildcard).
	o.rr("*.wild", 600, "A", "192.0.2.80")
	o.rr("*.wild", 600, "AAAA", "2001:db8::80")
	o.rr("*.wild", 600, "TXT", '"wildcard"')
	o.rr("explicit.wild", 600, "A", "192.0.2.81")
	o.rr("a.ent.wild", 600, "A", "192.0.2.82")
	o.rr("*.mxwild", 600, "MX", "10 mail." + origin)
	o.rr("*.cwild", 600, "CNAME", "web." + origin)

	# Empty non-terminals: b.c and c have no records.
	o.rr("a.b.c", 3600, "A", "192.0.2.90")
	o.rr("x.y.z.deep", 3600, "AAAA", "2001:db8::90")

	# Uppercase owners (and an uppercase empty non-terminal).
	o.rr("UPPER", 3600, "A", "192.0.2.91")
	o.rr("MiXeD.CaSe", 3600, "A", "192.0.2.92")
	o.rr("MiXeD.CaSe", 3600, "TXT", '"Mixed Case"')

	# 63-octet labels, and names of exactly 255 octets (253 when
	# signable): one of long labels, one of one-octet labels.
	l63 = "l63" + "x" * 60
	o.rr(l63, 3600, "A", "192.0.2.93")
	top = o.maxname
	base = wire_len(origin)
	labels = []
	room = top - base
	while room > 64:
		labels.append(("m%d" % len(labels)).ljust(63, "y"))
		room -= 64
	labels.append("e".ljust(room - 1, "z"))
	o.rr(".".join(labels), 3600, "A", "192.0.2.94")
	n1 = (top - base) // 2
	ones = ["a"] * n1
	if (top - base) % 2:
		ones[0] = "bb"
	o.rr(".".join(ones), 3600, "TXT", '"%d octets of one-octet labels"'
	    % top)

	if signable:
		gen_signable(o, origin)

	# Ordinary names.
	for i in range(names):
		name = "host%04d" % i
		k = rng.randrange(10)
		ttl = rng.choice((300, 3600, 3600, 86400))
		if k < 4:
			o.rr(name, ttl, "A", A())
		elif k < 6:
			o.rr(name, ttl, "A", A())
			o.rr(name, ttl, "AAAA", AAAA())
		elif k < 7:
			o.rr(name, ttl, "AAAA", AAAA())
			o.rr(name, ttl, "AAAA", AAAA())
		elif k < 8:
			o.rr(name, ttl, "A", B())
			o.rr(name, ttl, "TXT", '"%s"' % text(rng, 20))
		elif k < 9:
			o.rr(name, ttl, "A", A())
			o.rr(name, ttl, "MX", "10 mail." + origin)
		else:
			o.rr(name, ttl, "CNAME",
			    "host%04d.%s" % (rng.randrange(names), origin))
	return o.n


def gen_signable(o, origin):
	"""The shapes a signed zone must answer right, beyond the test zone's:
	unsigned delegations below an empty non-terminal that has nothing
	else below it (NSEC3 opt-out leaves both out of the chain: RFC 5155
	6 and 7.1), one with glue; a wildcard below empty non-terminals."""
	o.rr("deleg.optent", 3600, "NS", "ns1.outside.example.")
	o.rr("deleg.optent", 3600, "NS", "ns2.outside.example.")
	o.rr("deleg2.optent", 3600, "NS", "ns.deleg2.optent." + origin)
	o.rr("ns.deleg2.optent", 3600, "A", "192.0.2.100")
	o.rr("ns.deleg2.optent", 3600, "AAAA", "2001:db8::100")
	o.rr("*.w.went", 600, "A", "192.0.2.101")
	o.rr("*.w.went", 600, "TXT", '"wildcard below empty non-terminals"')


BENCH_WORDS = ("www", "mail", "api", "cdn", "shop", "dev", "app", "img",
    "static", "vpn", "db", "git", "ftp", "blog", "m", "auth")


def gen_bench(fp, origin, names, seed, serial):
	"""Mostly A/AAAA, some CNAME, MX, TXT, delegations, one wildcard.
	Written as it goes: a million names take a few seconds."""
	rng = random.Random(seed)
	rnd = rng.random
	rr = rng.randrange
	w = fp.write
	o = Out(fp, origin)
	w("; secd benchmark zone for %s, seed %d, %d names\n"
	    % (origin, seed, names))
	w("$ORIGIN %s\n$TTL 3600\n" % origin)
	soa(o, origin, serial)
	o.rr("@", 3600, "NS", "ns1." + origin)
	o.rr("@", 3600, "NS", "ns2." + origin)
	o.rr("@", 300, "A", "192.0.2.1")
	o.rr("@", 300, "AAAA", "2001:db8::1")
	o.rr("@", 3600, "MX", "10 mail." + origin)
	o.rr("ns1", 86400, "A", "192.0.2.53")
	o.rr("ns2", 86400, "A", "192.0.2.54")
	o.rr("mail", 3600, "A", "192.0.2.25")
	o.rr("*.wild", 300, "A", "192.0.2.80")
	n = o.n
	sfx = "." + origin
	for i in range(names):
		name = "%s%d%s" % (BENCH_WORDS[i & 15], i, sfx)
		x = rnd()
		if x < 0.55:
			w("%s 300 IN A 10.%d.%d.%d\n" % (name, i >> 16 & 255,
			    i >> 8 & 255, i & 255))
			n += 1
		elif x < 0.75:
			w("%s 300 IN A 10.%d.%d.%d\n%s 300 IN AAAA "
			    "2001:db8:%x::%x\n" % (name, i >> 16 & 255,
			    i >> 8 & 255, i & 255, name, i >> 16, i & 65535))
			n += 2
		elif x < 0.80:
			w("%s 300 IN A 10.%d.%d.%d\n%s 300 IN A 10.%d.%d.%d\n"
			    % (name, i >> 16 & 255, i >> 8 & 255, i & 255,
			    name, 128 | i >> 16 & 127, i >> 8 & 255, i & 255))
			n += 2
		elif x < 0.90 and i > 0:
			j = rr(i)
			w("%s 300 IN CNAME %s%d%s\n" % (name,
			    BENCH_WORDS[j & 15], j, sfx))
			n += 1
		elif x < 0.94:
			w("%s 3600 IN A 10.%d.%d.%d\n%s 3600 IN MX 10 mail%s\n"
			    % (name, i >> 16 & 255, i >> 8 & 255, i & 255,
			    name, sfx))
			n += 2
		elif x < 0.98:
			w('%s 3600 IN TXT "v=spf1 ip4:10.%d.%d.0/24 -all"\n'
			    % (name, i >> 16 & 255, i >> 8 & 255))
			n += 1
		else:
			w("%s 86400 IN NS ns1.%s\n%s 86400 IN NS ns2.%s\n"
			    "ns1.%s 86400 IN A 10.%d.%d.%d\n"
			    "ns2.%s 86400 IN A 10.%d.%d.%d\n"
			    % (name, name, name, name, name, i >> 16 & 255,
			    i >> 8 & 255, i & 255, name, 128 | i >> 16 & 127,
			    i >> 8 & 255, i & 255))
			n += 4
	return n

# ------------------------------------------------------------------ reading


class Zone:
	"""What the query generators need to know of a zone."""

	def __init__(self, origin):
		self.origin = origin
		self.types = {}		# lower-cased owner -> set of types
		self.case = {}		# lower-cased owner -> owner as written
		self.cuts = set()	# delegation points
		self.wilds = set()	# parents of wildcards
		self.cnames = set()
		self.dnames = set()

	def below_cut(self, name):
		"""The cut that name is at or below, else None."""
		n = name
		while n != self.origin and "." in n[:-1]:
			if n in self.cuts:
				return n
			n = n.split(".", 1)[1]
		return None


def logical_lines(fp):
	"""Zone file lines with comments removed and parentheses joined."""
	buf = []
	depth = 0
	for line in fp:
		out = []
		q = False
		i = 0
		while i < len(line):
			c = line[i]
			if c == "\\" and i + 1 < len(line):
				out.append(line[i:i + 2])
				i += 2
				continue
			if c == '"':
				q = not q
			elif not q and c == ";":
				break
			elif not q and c == "(":
				depth += 1
				c = " "
			elif not q and c == ")":
				depth -= 1
				c = " "
			out.append(c)
			i += 1
		s = "".join(out).rstrip("\n")
		if depth > 0:
			buf.append(s)
			continue
		buf.append(s)
		yield " ".join(buf)
		buf = []


TYPES_WITH_TTL_CLASS = {"IN", "CH", "HS", "CS"}


def read_zone(path, origin=None):
	"""Reads owners and types from a zone file.  Handles $ORIGIN, $TTL,
	relative and blank owners, parentheses and comments; enough for the
	files zonegen and the usual primaries write."""
	cur_origin = origin
	zone = None
	last = None
	with open(path) as fp:
		for line in logical_lines(fp):
			if not line.strip():
				continue
			f = line.split()
			if f[0].upper() == "$ORIGIN":
				cur_origin = f[1] if f[1].endswith(".") else \
				    f[1] + "." + cur_origin
				continue
			if f[0].startswith("$"):
				continue
			if line[0] in " \t":
				owner = last
			else:
				owner = f.pop(0)
				if owner == "@":
					owner = cur_origin
				elif not owner.endswith("."):
					owner = owner + "." + cur_origin
			last = owner
			while f and (f[0][0].isdigit() or
			    f[0].upper() in TYPES_WITH_TTL_CLASS):
				f.pop(0)
			rtype = f[0].upper()
			low = owner.lower()
			if zone is None:
				if rtype != "SOA":
					raise SystemExit("%s: first record is "
					    "not an SOA" % path)
				zone = Zone(low)
			zone.types.setdefault(low, set()).add(rtype)
			zone.case.setdefault(low, owner)
			if rtype == "NS" and low != zone.origin:
				zone.cuts.add(low)
			elif rtype == "CNAME":
				zone.cnames.add(low)
			elif rtype == "DNAME":
				zone.dnames.add(low)
			if low.startswith("*."):
				zone.wilds.add(low[2:])
	if zone is None:
		raise SystemExit("%s: no records" % path)
	return zone

# ------------------------------------------------------------------ queries


COMMON = ("A", "AAAA", "MX", "TXT", "NS", "SOA", "CNAME", "SRV", "PTR",
    "CAA")
# Types dnsperf knows by name; queries for anything else ask for A.
DNSPERF_TYPES = set(COMMON) | {"HINFO", "NAPTR", "SSHFP", "TLSA", "DS",
    "DNAME", "ANY"}


def randcase(rng, name):
	return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else
	    c.lower() for c in name)


def label(rng, n=10):
	return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
	    for _ in range(n))


def mix_queries(zone, count, seed, fp):
	"""A dnsperf query file: mostly existing names and their types."""
	rng = random.Random(seed)
	names = sorted(n for n in zone.types if not n.startswith("*.") and
	    zone.below_cut(n) is None)
	cuts = sorted(zone.cuts)
	wilds = sorted(zone.wilds)
	cnames = sorted(zone.cnames)
	o = zone.origin
	for _ in range(count):
		x = rng.random()
		if x < 0.60 or not names:
			n = rng.choice(names) if names else o
			t = rng.choice(sorted(zone.types.get(n, {"A"})))
			if t not in DNSPERF_TYPES:
				t = "A"
		elif x < 0.70:
			n = rng.choice(names)
			have = zone.types.get(n, set())
			t = rng.choice([t for t in COMMON if t not in have] or
			    ["A"])
		elif x < 0.80:
			n = "%s.%s" % (label(rng), o)
			t = rng.choice(("A", "AAAA", "MX"))
		elif x < 0.88 and wilds:
			n = "%s.%s" % (label(rng, 6), rng.choice(wilds))
			t = rng.choice(("A", "AAAA", "MX", "TXT"))
		elif x < 0.94 and cuts:
			n = "%s.%s" % (label(rng, 4), rng.choice(cuts))
			t = rng.choice(("A", "AAAA"))
		elif cnames:
			n = rng.choice(cnames)
			t = rng.choice(("A", "AAAA", "CNAME"))
		else:
			n, t = o, "SOA"
		if rng.random() < 0.25:
			n = randcase(rng, n)
		fp.write("%s %s\n" % (n, t))


def exhaustive_queries(zone, seed, fp, max_names=2000):
	"""Every name (up to max_names) with its types and the common ones,
	and the variants a differential test needs."""
	rng = random.Random(seed)
	o = zone.origin

	def w(*a):
		if wire_len(a[0]) <= 255:
			fp.write(" ".join(a) + "\n")
	names = sorted(zone.types)[:max_names]
	for low in names:
		n = zone.case[low]
		for t in sorted(zone.types[low] | set(COMMON[:4])):
			w(n, t)
		if low.startswith("*."):
			continue
		w(randcase(rng, low), rng.choice(sorted(zone.types[low])))
		w(low, "ANY")
		w(low, "A", "tcp")
		w(low, "A", "noedns")
	for low in sorted(zone.types)[:50]:
		w(low, "ANY", "tcp")
		w(low, "ANY", "noedns")
	for low in sorted(zone.types, key=lambda n: -len(zone.types[n]))[:20]:
		for t in sorted(zone.types[low]):
			w(low, t, "bufsize=512")
			w(low, t, "noedns")
			w(low, t, "do")
	# NXDOMAIN, below an empty non-terminal, below a leaf.
	for i in range(20):
		w("%s.%s" % (label(rng), o), rng.choice(COMMON[:4]))
		w(randcase(rng, "%s.%s" % (label(rng), o)), "A")
	for low in names[:30]:
		if not low.startswith("*.") and zone.below_cut(low) is None:
			w("nx-%s.%s" % (label(rng, 4), low), "A")
	# Wildcards: synthesis, every type, deeper names, mixed case.
	for p in sorted(zone.wilds):
		for t in COMMON + ("ANY",):
			w("%s.%s" % (label(rng, 6), p), t)
		w("a.b.%s.%s" % (label(rng, 6), p), "A")
		w(randcase(rng, "%s.%s" % (label(rng, 6), p)), "A")
		w("%s.%s" % (label(rng, 6), p), "A", "tcp")
		w("%s.%s" % (label(rng, 6), p), "A", "noedns")
	# Delegations: at the cut, below it, the glue, DS.
	for c in sorted(zone.cuts):
		for t in ("NS", "A", "SOA", "DS", "ANY", "MX"):
			w(c, t)
		w("host.%s" % c, "A")
		w("a.b.%s" % c, "AAAA")
		w(randcase(rng, "www.%s" % c), "A")
		w("host.%s" % c, "A", "tcp")
		w("host.%s" % c, "A", "noedns")
	# CNAME and DNAME: every type, below them.
	for c in sorted(zone.cnames):
		for t in ("A", "AAAA", "CNAME", "MX", "TXT", "ANY"):
			w(c, t)
	for d in sorted(zone.dnames):
		for t in ("DNAME", "A", "CNAME"):
			w(d, t)
		w("www.%s" % d, "A")
		w("mail.%s" % d, "MX")
		w("a.b.%s" % d, "A")
		w(randcase(rng, "www.%s" % d), "A")
	# EDNS: no EDNS, small and odd sizes, DO, version 1 (BADVERS), TCP.
	for f in ("noedns", "bufsize=512", "bufsize=1232", "bufsize=4096",
	    "bufsize=100", "do", "ednsver=1", "tcp", "tcp noedns"):
		w(o, "SOA", *f.split())
		w(o, "NS", *f.split())
		w(o, "ANY", *f.split())
	# Opcodes: STATUS, IQUERY, unassigned; NOTIFY and UPDATE unsigned.
	for op in (1, 2, 3, 4, 5, 7, 15):
		w(o, "SOA", "opcode=%d" % op)
	# Classes and meta types.
	for q in ("version.bind TXT class=CH", "hostname.bind TXT class=CH",
	    "id.server TXT class=CH", "version.server TXT class=CH",
	    o + " SOA class=CH", o + " SOA class=HS", o + " SOA class=ANY",
	    o + " AXFR", o + " IXFR", o + " MAILB", o + " TYPE0",
	    o + " TYPE65535", o + " OPT", o + " RRSIG", o + " NSEC",
	    o + " DNSKEY", o + " TYPE65280"):
		fp.write(q + "\n")
	# Zones this server is not authoritative for.
	for n in ("example.net.", "www.example.net.", "com.", ".", "test.",
	    "outside.example."):
		w(n, "A")
		w(n, "NS")
		w(n, "SOA")
	parent = o.split(".", 1)[1] if o.count(".") > 1 else "."
	w(parent or ".", "SOA")
	w(parent or ".", "NS")
	w("x" + o, "A")


def ents(zone):
	"""Empty non-terminals: ancestors of owners, in the zone and not below
	a cut, that own nothing; those one or two labels below the origin,
	and the deepest."""
	out = set()
	for n in zone.types:
		while n != zone.origin and "." in n[:-1]:
			n = n.split(".", 1)[1]
			if n == zone.origin or n in zone.types:
				continue
			if zone.below_cut(n) is None:
				out.add(n)
	out = sorted(out, key=lambda n: (n.count("."), n))
	top = zone.origin.count(".") + 2
	return [n for n in out if n.count(".") <= top] + \
	    [n for n in out if n.count(".") > top][-1:]


def dnssec_queries(zone, seed, fp, sample=150):
	"""What a DNSSEC differential adds to exhaustive_queries (which it
	runs with "do" on every line): a sample of the kinds of answers
	repeated over TCP and with EDNS sizes 512, 1232 and 4096 (TC and
	what is dropped from a signed answer), and without DO (no DNSSEC
	records then); DS at and below every cut and elsewhere; names at and
	below the NSEC3 owner names; the apex's DNSSEC types."""
	rng = random.Random(seed)
	o = zone.origin
	nsec3 = sorted(n for n, t in zone.types.items() if "NSEC3" in t)
	plain = sorted(n for n in zone.types if n not in nsec3 and
	    not n.startswith("*.") and zone.below_cut(n) is None)
	lines = []

	def w(*a):
		if wire_len(a[0]) <= 255:
			lines.append(" ".join(a))
	# The sample: the apex; referrals, secure and insecure, and DS at
	# cuts; wildcard answers and wildcard NODATA; CNAMEs (into
	# NXDOMAIN, wildcards and delegations); empty non-terminals;
	# NXDOMAIN; the biggest RRsets; positive and NODATA answers at
	# random names, as many as fit in `sample`.
	for t in ("SOA", "NS", "MX", "DNSKEY", "TXT", "A", "CAA"):
		w(o, t)
	for c in sorted(zone.cuts):
		w(c, "NS")
		w(c, "DS")
		w("host.%s" % c, "A")
	for p in sorted(zone.wilds):
		w("%s.%s" % (label(rng, 6), p), "A")
		w("%s.%s" % (label(rng, 6), p), "TXT")
		w("%s.%s" % (label(rng, 6), p), "SRV")
		w("a.b.%s.%s" % (label(rng, 6), p), "A")
		w("*." + p, "A")
		w("*." + p, "SRV")
	for c in sorted(zone.cnames):
		w(c, "A")
	for e in ents(zone):
		w(e, "A")
	for _ in range(10):
		w("%s.%s" % (label(rng), o), rng.choice(("A", "AAAA", "MX")))
	for n in ("many", "hugetxt", "bigtxt", "longtxt", "_sip._tcp",
	    "naptr", "sshfp"):
		low = n + "." + o
		for t in sorted(zone.types.get(low, set()) - {"RRSIG", "NSEC"}):
			w(low, t)
	for low in sorted(plain, key=lambda n: (-len(zone.types[n]), n))[:8]:
		for t in sorted(zone.types[low] - {"RRSIG", "NSEC"})[:3]:
			w(low, t)
	for low in rng.sample(plain, min(20, len(plain))):
		t = sorted(zone.types[low] - {"RRSIG", "NSEC"}) or ["A"]
		w(low, rng.choice(t))
		miss = [t for t in COMMON if t not in zone.types[low]]
		if miss:
			w(low, rng.choice(miss))
	sample_lines = lines[:sample]

	lines = []
	for q in sample_lines:
		for f in ("tcp do", "bufsize=512 do", "bufsize=1232 do",
		    "bufsize=4096 do", "bufsize=1232", "tcp"):
			lines.append(q + " " + f)
	# DS: at and below every cut, at names that are not cuts, at empty
	# non-terminals, at the apex (a parent-side type: NODATA from the
	# child zone, RFC 4035 3.1.4.1), below a wildcard.
	for c in sorted(zone.cuts):
		w(c, "DS", "do")
		w(c, "DS", "tcp do")
		w(c, "DS", "bufsize=512 do")
		w("host.%s" % c, "DS", "do")
		w("a.b.%s" % c, "DS", "do")
		w(c, "NSEC", "do")
		w(c, "NSEC3", "do")
		w(c, "RRSIG", "do")
	for low in rng.sample(plain, min(10, len(plain))):
		w(low, "DS", "do")
	for e in ents(zone):
		w(e, "DS", "do")
		w(e, "NSEC3", "do")
		w(e, "TXT", "tcp do")
	for p in sorted(zone.wilds):
		w("%s.%s" % (label(rng, 6), p), "DS", "do")
		w("%s.%s" % (label(rng, 6), p), "RRSIG", "do")
		w("%s.%s" % (label(rng, 6), p), "ANY", "do")
	w(o, "DS", "do")
	w(o, "DS")
	# NSEC3 owner names are not names of the zone (RFC 5155 7.2.8):
	# at them and below them.
	for n in nsec3[:25]:
		w(n, "NSEC3", "do")
		w(n, "A", "do")
		w(n, "RRSIG", "do")
		w("x.%s" % n, "A", "do")
		w("a.b.%s" % n, "NSEC3", "do")
	for n in nsec3[:5]:
		w(n, "NSEC3", "tcp do")
		w(n, "NSEC3")
		w("x.%s" % n, "A", "tcp do")
	# The apex and the special types, with and without DO, both
	# transports; qtype RRSIG, NSEC, NSEC3 and ANY at some names.
	for t in ("DNSKEY", "CDS", "CDNSKEY", "NSEC3PARAM", "RRSIG", "ANY",
	    "NSEC", "NSEC3", "SOA", "NS", "DS", "TYPE65534"):
		for f in ("do", "tcp do", "bufsize=512 do", "bufsize=4096 do",
		    "", "tcp", "cd do"):
			w(o, t, *f.split())
	for low in rng.sample(plain, min(15, len(plain))):
		for t in ("RRSIG", "NSEC", "NSEC3", "ANY"):
			if t == "RRSIG" or t == "ANY" or \
			    "CNAME" not in zone.types[low]:
				w(low, t, "do")
		w(low, "RRSIG", "tcp do")
		w(low, "ANY", "tcp do")
	# At a CNAME, QTYPE NSEC and NSEC3 (which server follows the CNAME
	# differs): one name.
	for c in [c for c in sorted(zone.cnames) if c[0] != "*"][:1]:
		for t in ("NSEC", "NSEC3", "RRSIG"):
			w(c, t, "do")
	# Case: the owner names of signatures and denial records keep the
	# zone's case; a mixed-case query still proves with lower case.
	for low in rng.sample(plain, min(10, len(plain))):
		w(randcase(rng, low), rng.choice(sorted(zone.types[low])), "do")
		w(randcase(rng, "nx-%s.%s" % (label(rng, 4), low)), "A", "do")
	for line in lines:
		fp.write(line + "\n")


# --------------------------------------------------------------------- main


def main_queries(argv):
	p = argparse.ArgumentParser(prog="zonegen.py queries",
	    description="a query list drawn from a zone file")
	p.add_argument("--zone", required=True)
	p.add_argument("--origin")
	p.add_argument("--count", type=int, default=10000)
	p.add_argument("--seed", type=int, default=1)
	p.add_argument("--exhaustive", action="store_true",
	    help="every name and type, and the variants for dnsdiff.py")
	p.add_argument("--dnssec", action="store_true",
	    help="the DNSSEC queries a signed zone's differential adds")
	p.add_argument("--max-names", type=int, default=2000)
	p.add_argument("-o", "--output")
	a = p.parse_args(argv)
	origin = a.origin
	if origin and not origin.endswith("."):
		origin += "."
	zone = read_zone(a.zone, origin)
	fp = open(a.output, "w") if a.output else sys.stdout
	if a.exhaustive and a.dnssec:
		p.error("--exhaustive or --dnssec, not both")
	if a.exhaustive:
		exhaustive_queries(zone, a.seed, fp, a.max_names)
	elif a.dnssec:
		dnssec_queries(zone, a.seed, fp)
	else:
		mix_queries(zone, a.count, a.seed, fp)
	fp.close()


def main(argv):
	if argv and argv[0] == "queries":
		return main_queries(argv[1:])
	p = argparse.ArgumentParser(prog="zonegen.py",
	    description="generate a zone file (or: zonegen.py queries -h)")
	p.add_argument("--kind", choices=("test", "bench"), default="test")
	p.add_argument("--signable", action="store_true",
	    help="the test zone for dnssec-signzone (NSEC3) and DNSSEC shapes")
	p.add_argument("--names", type=int)
	p.add_argument("--seed", type=int, default=1)
	p.add_argument("--serial", type=int, default=2024010101)
	p.add_argument("-o", "--output")
	p.add_argument("origin")
	a = p.parse_args(argv)
	origin = a.origin.lower()
	if not origin.endswith("."):
		origin += "."
	if wire_len(origin) > 100:
		p.error("origin too long for the 255-octet names")
	if not 0 <= a.serial < 2**32:
		p.error("serial out of range")
	fp = open(a.output, "w", buffering=1 << 20) if a.output else \
	    sys.stdout
	if a.signable and a.kind != "test":
		p.error("--signable is for --kind test")
	if a.kind == "test":
		gen_test(fp, origin, 300 if a.names is None else a.names,
		    a.seed, a.serial, a.signable)
	else:
		gen_bench(fp, origin, 100000 if a.names is None else a.names,
		    a.seed, a.serial)
	fp.flush()
	if a.output:
		fp.close()


if __name__ == "__main__":
	try:
		main(sys.argv[1:])
	except BrokenPipeError:
		sys.exit(1)
