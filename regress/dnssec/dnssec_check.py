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

"""Checks of signed answers that the field-by-field differential cannot
make by itself.

  dnssec_check.py truncated A_ADDR@PORT B_ADDR@PORT <DNSDIFF_OUTPUT
  dnssec_check.py signatures [--zone FILE] ADDR@PORT QUERYFILE

truncated reads the output of "dnsdiff.py -q" (the differences not
allowed, one line each, and the summary; each query once) and sends each
failed UDP query again to both servers: when B's answer (secd's) has TC
set and the query's differences are all in the answer, authority and
additional sections, the query is forgiven (RFC 2181 section 9: the
contents of a truncated answer are to be ignored, and servers keep
different parts of it).  The TC flag itself is still compared, by
dnsdiff.py and its allow-lists: a TC that A does not set fails unless an
entry allows it.  It prints the remaining lines (the forgiven ones as
"# truncated: ..."), then the summary with the failures counted again;
exit 1 when some remain.

signatures sends each query of QUERYFILE (dnsdiff.py's format) to one
server and checks what RFC 4035 section 3.1 asks of an authoritative
answer from a signed zone, independently of any other server:

  - DO set, TC clear, NOERROR or NXDOMAIN, AA: every RRset of the answer
    section has an RRSIG of the same owner covering it (but an RRSIG
    RRset, and the CNAME synthesized from a DNAME, RFC 6672 5.3.1), and
    so has every RRset of the authority section (SOA, NSEC, NSEC3, DS,
    the apex NS), but the NS RRset of a referral (RFC 4035 3.1.4);
  - a negative answer (nothing of the type at the query name or at the
    end of its CNAME chain, in the zone, AA) has the SOA and at least
    one NSEC or NSEC3 (RFC 4035 3.1.3), and so has a wildcard answer
    (an RRSIG whose labels are fewer than its owner's, 3.1.3.3);
  - a referral (no AA) has a signed DS RRset or at least one NSEC or
    NSEC3 (the proof that there is no DS, RFC 4035 3.1.4);
  - DO clear: no RRSIG, NSEC or NSEC3 anywhere unless the query asked
    for that type or ANY (RFC 4035 3.1, RFC 3225).

With --zone, the names and types of FILE (a signed zone file) tell which
RRsets are the zone's own (the check applies to those; out-of-zone names
in the answer, behind a CNAME, are left alone).  Each problem is one line
"QUERY: problem"; the last line "N queries, F failures"; exit 1 when F is
not 0.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    "..", "lib"))

import dnsdiff  # noqa: E402

import dns.flags  # noqa: E402
import dns.message  # noqa: E402
import dns.name  # noqa: E402
import dns.rcode  # noqa: E402
import dns.rdatatype as T  # noqa: E402

SECTIONS = ("answer", "authority", "additional")
DENIAL = (T.NSEC, T.NSEC3)


def parse(wire):
	if isinstance(wire, str):
		return None
	try:
		return dns.message.from_wire(wire, ignore_trailing=True)
	except Exception:
		return None

# ------------------------------------------------------------ truncated


def truncated(argv):
	if len(argv) != 2:
		raise SystemExit("usage: dnssec_check.py truncated A@PORT B@PORT "
		    "<dnsdiff-output")
	sb = dnsdiff.server(argv[1])
	dnsdiff.server(argv[0])	# checked, not asked
	byq = {}
	order = []
	summary = None
	other = []
	for line in sys.stdin:
		line = line.rstrip("\n")
		m = re.match(r"^(\d+) queries, (\d+) identical, (\d+) allowed "
		    r"differences, (\d+) failures$", line)
		if m:
			summary = [int(x) for x in m.groups()]
			continue
		if line.startswith("#") or ": " not in line:
			other.append(line)
			continue
		q, field = line.split(": ", 2)[:2]
		if q not in byq:
			byq[q] = []
			order.append(q)
		byq[q].append((field, line))
	if summary is None:
		print("dnssec_check.py: no dnsdiff summary line", file=sys.stderr)
		return 2
	forgiven = 0
	for q in order:
		fields = {f.split(".")[0] for f, _ in byq[q]}
		query = dnsdiff.Query(q, 0)
		ok = not query.tcp and fields <= set(SECTIONS)
		if ok:
			mb = parse(dnsdiff.send(sb, query, 1.5))
			ok = mb is not None and mb.flags & dns.flags.TC
		for _, line in byq[q]:
			print("# truncated: " + line if ok else line)
		forgiven += 1 if ok else 0
	for line in other:
		print(line)
	n, same, allowed, failed = summary
	failed -= forgiven
	print("%d queries, %d identical, %d allowed differences, %d failures"
	    % (n, same, allowed + forgiven, failed))
	return 1 if failed else 0

# ----------------------------------------------------------- signatures


def zone_names(path):
	"""The owners of a zone file (lower case) and the delegation points."""
	owners, cuts, origin = set(), set(), None
	with open(path) as fp:
		for line in fp:
			f = line.split()
			if not f or f[0].startswith((";", "$")):
				continue
			n = f[0].lower()
			t = f[3].upper() if len(f) > 3 else ""
			if origin is None and t == "SOA":
				origin = n
			owners.add(n)
			if t == "NS" and n != origin:
				cuts.add(n)
	return origin, owners, cuts


def covered(section):
	"""(owner, type) pairs with an RRSIG in the section."""
	out = set()
	for rrs in section:
		if rrs.rdtype == T.RRSIG:
			for rd in rrs:
				out.add((rrs.name, rd.type_covered))
	return out


def in_zone(name, origin):
	return origin is None or name.is_subdomain(origin)


def check_signed(q, m, origin):
	"""Problems of a DO answer."""
	bad = []
	if m.flags & dns.flags.TC or m.rcode() not in (dns.rcode.NOERROR,
	    dns.rcode.NXDOMAIN):
		return bad
	aa = bool(m.flags & dns.flags.AA)
	dnames = [r for r in m.answer if r.rdtype == T.DNAME]
	sigs = covered(m.answer)
	for rrs in m.answer:
		if rrs.rdtype == T.RRSIG or not in_zone(rrs.name, origin):
			continue
		if rrs.rdtype == T.CNAME and any(rrs.name.is_subdomain(d.name)
		    and rrs.name != d.name for d in dnames):
			continue	# synthesized from the DNAME
		if (rrs.name, rrs.rdtype) not in sigs:
			bad.append("answer %s %s without its RRSIG" % (rrs.name,
			    T.to_text(rrs.rdtype)))
	sigs = covered(m.authority)
	referral = not aa and any(r.rdtype == T.NS for r in m.authority)
	for rrs in m.authority:
		if rrs.rdtype == T.RRSIG or not in_zone(rrs.name, origin):
			continue
		if rrs.rdtype == T.NS and (referral or rrs.name != origin):
			continue	# the child's NS: not signed by the parent
		if (rrs.name, rrs.rdtype) not in sigs:
			bad.append("authority %s %s without its RRSIG"
			    % (rrs.name, T.to_text(rrs.rdtype)))
	types = {r.rdtype for r in m.authority}
	if referral:
		if T.DS not in types and not types & set(DENIAL):
			bad.append("referral without DS and without NSEC/NSEC3 "
			    "(no proof that there is no DS)")
		return bad
	if not aa:
		return bad
	# A wildcard expansion (RRSIG labels below the owner's) proves that
	# the name itself does not exist (RFC 4035 3.1.3.3).
	for rrs in m.answer:
		n = len(rrs.name) - 1 - (rrs.name.is_wild() and 1)
		if rrs.rdtype == T.RRSIG and in_zone(rrs.name, origin) and \
		    any(rd.labels < n for rd in rrs) and \
		    not types & set(DENIAL):
			bad.append("wildcard answer %s without NSEC/NSEC3"
			    % rrs.name)
			break
	if q.rdtype in (T.ANY, T.RRSIG, T.CNAME):
		return bad
	# Follow the CNAMEs from the query name: nothing of the type at the
	# end, in the zone, is a negative answer (RFC 4035 3.1.3).
	target, seen = q.name, set()
	while target not in seen:
		seen.add(target)
		nxt = [r for r in m.answer if r.rdtype == T.CNAME and
		    r.name == target]
		if not nxt:
			break
		target = nxt[0][0].target
	if not in_zone(target, origin) or any(r.name == target and
	    r.rdtype == q.rdtype for r in m.answer):
		return bad
	if any(r.rdtype == T.NS and r.name != origin and
	    target.is_subdomain(r.name) for r in m.authority):
		return bad	# the chain ends in a referral
	if T.SOA not in types:
		bad.append("negative answer for %s without SOA" % target)
	if not types & set(DENIAL):
		bad.append("negative answer for %s without NSEC/NSEC3" % target)
	return bad


def check_unsigned(q, m):
	bad = []
	asked = q.rdtype in (T.RRSIG, T.NSEC, T.NSEC3, T.ANY)
	for s in SECTIONS:
		for rrs in getattr(m, s):
			if rrs.rdtype in (T.RRSIG, T.NSEC, T.NSEC3) and \
			    not (s == "answer" and asked):
				bad.append("%s %s %s without DO" % (s, rrs.name,
				    T.to_text(rrs.rdtype)))
	return bad


def signatures(argv):
	zone = None
	if argv[:1] == ["--zone"]:
		zone, argv = argv[1], argv[2:]
	if len(argv) != 2:
		raise SystemExit("usage: dnssec_check.py signatures [--zone FILE]"
		    " ADDR@PORT QUERYFILE")
	srv = dnsdiff.server(argv[0])
	origin = None
	if zone:
		o, _, _ = zone_names(zone)
		origin = dns.name.from_text(o) if o else None
	with open(argv[1]) as fp:
		qs = dnsdiff.read_queries(fp)
	failed = 0
	for q in qs:
		if q.opcode != 0 or q.rdclass != 1 or q.rdtype in (T.AXFR,
		    T.IXFR) or q.edns > 0:
			continue
		if origin is not None and not q.name.is_subdomain(origin):
			continue
		m = parse(dnsdiff.send(srv, q, 1.5))
		if m is None:
			continue	# dnsdiff compares the response itself
		do = q.edns == 0 and q.do
		bad = check_signed(q, m, origin) if do else check_unsigned(q, m)
		for b in bad:
			print("%s: %s" % (q.line, b))
		failed += 1 if bad else 0
	print("%d queries, %d failures" % (len(qs), failed))
	return 1 if failed else 0


def main():
	if len(sys.argv) < 2 or sys.argv[1] not in ("truncated", "signatures"):
		raise SystemExit(__doc__)
	if sys.argv[1] == "truncated":
		return truncated(sys.argv[2:])
	return signatures(sys.argv[2:])


if __name__ == "__main__":
	try:
		sys.exit(main())
	except BrokenPipeError:
		sys.exit(1)
