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

"""Sends the same queries to two DNS servers and prints how the answers
differ.

  dnsdiff.py [-q] [-v] [--allow FILE] [--timeout S] [--jobs N] [--udpsize]
             A_ADDR@PORT B_ADDR@PORT [QUERYFILE]
  dnsdiff.py --gen-queries ZONEFILE [--seed S] [--max-names N]

QUERYFILE (default stdin) has one query a line, "#" comments allowed:

	name type [flag ...]

flags: tcp, noedns, bufsize=N (EDNS UDP size, default 1232), do, cd, ad,
rd (RD is off unless given), opcode=N, class=CLASS, ednsver=N.  Lines from
"zonegen.py queries" (the dnsperf format) are valid queries.

For each query, the two responses are compared field by field:

	response	timeout / error(why) / unparseable(why) / ok; when
			only one is ok, the only field compared
	counts		the header's four counts, of unparseable responses
	opcode, rcode	(rcode includes the EDNS extended bits)
	flags.qr flags.aa flags.tc flags.rd flags.ra flags.z flags.ad flags.cd
	question	as sent back, case-sensitive (case must be preserved)
	answer authority additional
			as sets of RRsets: owner lower-cased, class, type,
			TTL, the set of rdatas (names in rdata lower-cased);
			one line per RRset that differs.  answer.count etc.
			when the sets agree but the number of records does
			not (a duplicate record)
	edns edns.version edns.do edns.options (option codes)
	edns.udpsize	only with --udpsize

Each difference is one line:

	QUERY: field: A=value B=value

followed by "  # allowed: REASON" when an --allow entry covers it (-q
leaves those out).  The last line is the summary:

	N queries, M identical, K allowed differences, F failures

where a query counts as identical, allowed (all its differences allowed) or
failed (at least one difference not allowed).  Exit 0 when F is 0, 1
otherwise, 2 on bad usage.

The allow file has one entry a line ("#" comments): conditions key=value,
all of which must match a difference, and a reason, required:

	qtype=ANY field=answer reason="RFC 8482 minimal ANY"

keys: query (the query line), qname, qtype, qflags (the flags of the
query line), field (or section), rrname, rrtype (of the RRset that
differs), a, b (the two values as printed).  Values are shell-style
patterns (fnmatch), case-insensitive; quote values with spaces.  -v lists
the entries that matched nothing.

--gen-queries prints a query list for a zone file (every name with its
types and the common ones, NXDOMAIN, wildcards, delegations, CNAME/DNAME,
mixed case, EDNS variants and sizes that force TC, ANY, opcodes, classes,
names out of the zone): zonegen.py queries --exhaustive.
"""

import argparse
import concurrent.futures
import fnmatch
import os
import shlex
import socket
import struct
import sys
import time

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

FLAGS = (("qr", 0x8000), ("aa", 0x0400), ("tc", 0x0200), ("rd", 0x0100),
    ("ra", 0x0080), ("z", 0x0040), ("ad", 0x0020), ("cd", 0x0010))
SECTIONS = ("answer", "authority", "additional")

# ------------------------------------------------------------------ queries


class Query:
	def __init__(self, line, lineno):
		self.line = line
		f = line.split()
		if len(f) < 2:
			raise ValueError("line %d: expected: name type [flags]"
			    % lineno)
		self.qname, self.qtype = f[0], f[1].upper()
		self.qflags = f[2:]
		self.tcp = False
		self.edns = 0
		self.bufsize = 1232
		self.do = self.cd = self.ad = self.rd = False
		self.opcode = 0
		self.rdclass = dns.rdataclass.IN
		for fl in self.qflags:
			k, _, v = fl.partition("=")
			k = k.lower()
			try:
				if k == "tcp":
					self.tcp = True
				elif k == "noedns":
					self.edns = -1
				elif k == "bufsize":
					self.bufsize = int(v)
				elif k == "ednsver":
					self.edns = int(v)
				elif k in ("do", "cd", "ad", "rd"):
					setattr(self, k, True)
				elif k == "opcode":
					self.opcode = int(v)
				elif k == "class":
					self.rdclass = \
					    dns.rdataclass.from_text(v)
				else:
					raise ValueError("unknown flag")
			except ValueError:
				raise ValueError("line %d: bad flag %s"
				    % (lineno, fl))
		try:
			self.rdtype = dns.rdatatype.from_text(self.qtype)
			self.name = dns.name.from_text(self.qname)
		except dns.exception.DNSException as e:
			raise ValueError("line %d: %s" % (lineno, e))

	def wire(self, qid):
		m = dns.message.Message(id=qid)
		m.flags = 0
		if self.rd:
			m.flags |= dns.flags.RD
		if self.cd:
			m.flags |= dns.flags.CD
		if self.ad:
			m.flags |= dns.flags.AD
		m.set_opcode(self.opcode)
		m.find_rrset(m.question, self.name, self.rdclass, self.rdtype,
		    create=True, force_unique=True)
		if self.edns >= 0:
			m.use_edns(self.edns, dns.flags.DO if self.do else 0,
			    self.bufsize)
		return m.to_wire()


def read_queries(fp):
	qs = []
	for i, line in enumerate(fp, 1):
		line = line.split("#", 1)[0].strip()
		if line:
			qs.append(Query(line, i))
	return qs

# ---------------------------------------------------------------- sending


def recv_exact(s, n):
	buf = b""
	while len(buf) < n:
		b = s.recv(n - len(buf))
		if not b:
			raise EOFError("connection closed")
		buf += b
	return buf


def send(server, q, timeout):
	"""The response's wire form, or a string saying what went wrong."""
	addr, port = server
	fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
	qid = struct.unpack("!H", os.urandom(2))[0]
	wire = q.wire(qid)
	for attempt in range(2):
		deadline = time.monotonic() + timeout
		try:
			if q.tcp:
				with socket.socket(fam, socket.SOCK_STREAM) as s:
					s.settimeout(timeout)
					s.connect((addr, port))
					s.sendall(struct.pack("!H", len(wire)) +
					    wire)
					n = struct.unpack("!H",
					    recv_exact(s, 2))[0]
					return recv_exact(s, n)
			with socket.socket(fam, socket.SOCK_DGRAM) as s:
				s.connect((addr, port))
				s.send(wire)
				while True:
					left = deadline - time.monotonic()
					if left <= 0:
						raise socket.timeout()
					s.settimeout(left)
					r = s.recv(65535)
					if len(r) >= 2 and r[:2] == wire[:2]:
						return r
		except socket.timeout:
			continue
		except (OSError, EOFError) as e:
			return "error(%s)" % e
	return "timeout"

# ------------------------------------------------------------- comparing


def canon_rdata(rd):
	try:
		w = rd.to_digestable()
		return dns.rdata.from_wire(rd.rdclass, rd.rdtype, w, 0,
		    len(w)).to_text()
	except Exception:
		return rd.to_text()


def rrset_key(rrs):
	return (rrs.name.to_text().lower(), dns.rdataclass.to_text(rrs.rdclass),
	    dns.rdatatype.to_text(rrs.rdtype), rrs.covers)


def section_map(section):
	"""(owner, class, type, covers) -> (ttl, rdatas); and the count."""
	m = {}
	n = 0
	for rrs in section:
		k = rrset_key(rrs)
		ttl, rds = m.get(k, (rrs.ttl, set()))
		for rd in rrs:
			rds.add(canon_rdata(rd))
			n += 1
		m[k] = (min(ttl, rrs.ttl), rds)
	return m, n


def fields(resp, udpsize):
	"""The comparable fields of a response: field -> text, and the
	sections as maps."""
	f = {}
	if isinstance(resp, str):
		f["response"] = resp
		return f, None
	try:
		# dnspython refuses opcodes it does not know: parse as QUERY,
		# take the opcode from the header.
		op = resp[2] >> 3 & 15
		m = dns.message.from_wire(resp[:2] + bytes((resp[2] & 0x87,)) +
		    resp[3:], ignore_trailing=True)
	except Exception as e:
		# Compare what the header says.
		f["response"] = "unparseable(%s)" % type(e).__name__
		if len(resp) >= 12:
			fl = struct.unpack("!H", resp[2:4])[0]
			f["opcode"] = str(fl >> 11 & 15)
			f["rcode"] = dns.rcode.to_text(fl & 15)
			for name, bit in FLAGS:
				f["flags." + name] = "1" if fl & bit else "0"
			f["counts"] = "%d/%d/%d/%d" % struct.unpack("!4H",
			    resp[4:12])
		return f, None
	f["response"] = "ok"
	f["opcode"] = str(op)
	f["rcode"] = dns.rcode.to_text(m.rcode())
	for name, bit in FLAGS:
		f["flags." + name] = "1" if m.flags & bit else "0"
	f["question"] = " ".join("%s %s %s" % (r.name.to_text(),
	    dns.rdataclass.to_text(r.rdclass), dns.rdatatype.to_text(r.rdtype))
	    for r in m.question) or "-"
	f["edns"] = "yes" if m.edns >= 0 else "no"
	if m.edns >= 0:
		f["edns.version"] = str(m.edns)
		f["edns.do"] = "1" if m.ednsflags & dns.flags.DO else "0"
		f["edns.options"] = ",".join(sorted(str(int(o.otype))
		    for o in m.options)) or "-"
		if udpsize:
			f["edns.udpsize"] = str(m.payload)
	secs = {}
	for s in SECTIONS:
		secs[s] = section_map(getattr(m, s))
	return f, secs


def rrset_text(k, v):
	if v is None:
		return "-"
	name, cls, typ, _ = k
	return "%s %d %s %s %s" % (name, v[0], cls, typ, " | ".join(sorted(v[1])))


def compare(a, b, udpsize):
	"""A list of differences: (field, rrname, rrtype, A text, B text)."""
	fa, sa = fields(a, udpsize)
	fb, sb = fields(b, udpsize)
	out = []
	keys = set(fa) | set(fb)
	if fa["response"] != fb["response"] and "ok" not in (fa["response"],
	    fb["response"]):
		keys = set(fa) & set(fb)
	elif fa["response"] != fb["response"]:
		# One answered, the other did not: that is the difference.
		keys = {"response"}
	for k in sorted(keys, key=field_order):
		va, vb = fa.get(k, "-"), fb.get(k, "-")
		if va != vb:
			out.append((k, "", "", va, vb))
	if sa is None or sb is None:
		return out
	for s in SECTIONS:
		(ma, na), (mb, nb) = sa[s], sb[s]
		n = len(out)
		for k in sorted(set(ma) | set(mb)):
			va, vb = ma.get(k), mb.get(k)
			if va != vb:
				out.append((s, k[0], k[2], rrset_text(k, va),
				    rrset_text(k, vb)))
		if len(out) == n and na != nb:
			out.append((s + ".count", "", "", str(na), str(nb)))
	return out


ORDER = ["response", "opcode", "rcode"] + ["flags." + n for n, _ in FLAGS] \
    + ["counts", "question", "edns", "edns.version", "edns.do", "edns.options",
    "edns.udpsize"]


def field_order(k):
	return ORDER.index(k) if k in ORDER else len(ORDER)

# ------------------------------------------------------------- allow-list


class Allow:
	KEYS = ("query", "qname", "qtype", "qflags", "field", "rrname",
	    "rrtype", "a", "b")

	def __init__(self, line, where):
		self.where = where
		self.cond = {}
		self.reason = None
		self.used = 0
		try:
			toks = shlex.split(line)
		except ValueError as e:
			raise ValueError("%s: %s" % (where, e))
		for t in toks:
			k, eq, v = t.partition("=")
			k = k.lower()
			if k == "section":
				k = "field"
			if not eq or (k not in self.KEYS and k != "reason"):
				raise ValueError("%s: bad condition %r (keys: %s,"
				    " reason)" % (where, t, " ".join(self.KEYS)))
			if k == "reason":
				self.reason = v
			else:
				self.cond[k] = v.lower()
		if not self.reason:
			raise ValueError("%s: an entry needs a reason=" % where)
		if not self.cond:
			raise ValueError("%s: an entry needs a condition" % where)

	def matches(self, d):
		for k, pat in self.cond.items():
			if not fnmatch.fnmatchcase(d.get(k, "").lower(), pat):
				return False
		return True


def read_allow(path):
	out = []
	with open(path) as fp:
		for i, line in enumerate(fp, 1):
			s = line.strip()
			if s and not s.startswith("#"):
				out.append(Allow(s, "%s:%d" % (path, i)))
	return out

# ------------------------------------------------------------------ main


def server(text):
	addr, sep, port = text.rpartition("@")
	if not sep:
		addr, sep, port = text.rpartition("#")
	if not sep or not addr or not port.isdigit():
		raise argparse.ArgumentTypeError("expected ADDR@PORT: %s" % text)
	return (addr.strip("[]"), int(port))


def main():
	p = argparse.ArgumentParser(prog="dnsdiff.py",
	    description="compare two DNS servers' answers",
	    formatter_class=argparse.RawDescriptionHelpFormatter,
	    epilog=__doc__)
	p.add_argument("--allow", action="append", default=[],
	    help="allowed differences (repeatable)")
	p.add_argument("--timeout", type=float, default=1.5)
	p.add_argument("--jobs", type=int, default=8)
	p.add_argument("--udpsize", action="store_true",
	    help="compare the EDNS UDP size too")
	p.add_argument("-q", "--quiet", action="store_true",
	    help="print only the differences not allowed")
	p.add_argument("-v", "--verbose", action="store_true",
	    help="also list allow entries that matched nothing")
	p.add_argument("--gen-queries", metavar="ZONEFILE")
	p.add_argument("--origin")
	p.add_argument("--seed", type=int, default=1)
	p.add_argument("--max-names", type=int, default=2000)
	p.add_argument("servers", nargs="*")
	a = p.parse_args()

	if a.gen_queries:
		import zonegen
		origin = a.origin
		if origin and not origin.endswith("."):
			origin += "."
		zonegen.exhaustive_queries(zonegen.read_zone(a.gen_queries,
		    origin), a.seed, sys.stdout, a.max_names)
		return 0
	if len(a.servers) not in (2, 3):
		p.error("expected A_ADDR@PORT B_ADDR@PORT [QUERYFILE]")
	try:
		sa, sb = server(a.servers[0]), server(a.servers[1])
	except argparse.ArgumentTypeError as e:
		p.error(str(e))
	try:
		allows = [e for f in a.allow for e in read_allow(f)]
		if len(a.servers) == 3:
			with open(a.servers[2]) as fp:
				qs = read_queries(fp)
		else:
			qs = read_queries(sys.stdin)
	except (OSError, ValueError) as e:
		print("dnsdiff.py: %s" % e, file=sys.stderr)
		return 2
	if not qs:
		print("dnsdiff.py: no queries", file=sys.stderr)
		return 2

	def run(q):
		return compare(send(sa, q, a.timeout), send(sb, q, a.timeout),
		    a.udpsize)

	print("# A=%s@%d B=%s@%d" % (sa + sb))
	same = allowed = failed = 0
	with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
		for q, diffs in zip(qs, ex.map(run, qs)):
			bad = 0
			for field, rrname, rrtype, va, vb in diffs:
				d = {"query": q.line, "qname": q.qname,
				    "qtype": q.qtype, "qflags": " ".join(q.qflags),
				    "field": field, "rrname": rrname,
				    "rrtype": rrtype, "a": va, "b": vb}
				why = None
				for e in allows:
					if e.matches(d):
						e.used += 1
						why = e.reason
						break
				line = "%s: %s: A=%s B=%s" % (q.line, field, va, vb)
				if why is None:
					bad += 1
					print(line)
				elif not a.quiet:
					print("%s  # allowed: %s" % (line, why))
			if not diffs:
				same += 1
			elif bad:
				failed += 1
			else:
				allowed += 1
	if a.verbose:
		for e in allows:
			if not e.used:
				print("# %s: allow entry matched nothing"
				    % e.where)
	print("%d queries, %d identical, %d allowed differences, %d failures"
	    % (len(qs), same, allowed, failed))
	sys.stdout.flush()
	return 1 if failed else 0


if __name__ == "__main__":
	try:
		sys.exit(main())
	except BrokenPipeError:
		sys.exit(1)
