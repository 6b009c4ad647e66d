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

"""A misbehaving primary for the transfer tests: answers SOA (UDP and TCP),
AXFR and IXFR (TCP) on 127.0.0.1 from a zone file, with a chosen fault.

  badprimary.py [--fault F] [--ixfr MODE] [--per N] [--any-zone]
                [--key KEYNAME ALG SECRET] [--refuse-unsigned-soa]
                [--history OLDZONEFILE]... PORT ORIGIN ZONEFILE

The AXFR answer is the zone's SOA, every other record, the SOA again, N
records (default 20) to a message.  With a key, only AXFR and IXFR
requests signed with it are answered (others get REFUSED), and every
message is signed (RFC 8945 running MAC); SOA queries are answered signed
when signed, and unsigned ones are answered too (start_bad's probe needs
that) unless --refuse-unsigned-soa.  A signed request that does not verify
gets no answer, nor does a message whose opcode is not QUERY.  Faults
(default none: a correct transfer):

	cut	close the connection after half of the messages
	badmac	one message in the middle has a corrupted MAC
	nosoa	the answer has no SOA at all
	twosoa	a second apex SOA (another serial) in the middle
	slow	send a message, then sleep 0.2 s, and so on
	endless	the zone, then A records at n0.ORIGIN, n1.ORIGIN, ...
		forever, never the closing SOA
	outofzone
		a record in the middle whose owner is outside ORIGIN
		(outofzone.<ORIGIN's parent> A)
	comploop
		the message in the middle ends with an answer record whose
		owner is a compression pointer to itself
	bigrecord
		the message in the middle ends with an answer record whose
		RDLENGTH is one more than the bytes left in the message
	ptrchain
		the message in the middle ends with a TYPE65280 record
		whose rdata is a chain of 128 compression pointers back to
		the message's first owner, and 400 more TYPE65280 records
		whose owners point at the chain's far end (128 pointers
		each, one more than a name may follow: compression made to
		cost time, well-formed otherwise)
	stall	send half of the messages (none when there is only one),
		then say nothing more and never close
	closesoa
		the closing SOA's serial is the opening one plus 1

With --any-zone the SOA and AXFR answers serve the same zone under any
name asked for: the owners below ORIGIN are moved below the question's
name (record data is left as it is; an owner that would be too long is
left out), so that one primary serves many zones.

The fault applies to every AXFR and to nothing else.  The crafted
messages of comploop and bigrecord are signed too (a valid MAC over the
bad bytes); use a small --per so that there are several messages.

History: every version of the zone loaded is kept, oldest first: the
--history files in order, then ZONEFILE.  SIGHUP reloads ZONEFILE: a new
serial is added to the history, the current serial again replaces the
current version.  Each load logs "badprimary: loaded serial N, R records"
(R counts the SOA) to stderr; a failed reload logs the error and keeps the
old data.

IXFR (RFC 1995, TCP): the request's authority SOA gives the client's
serial C (none: FORMERR).  --ixfr MODE (default good):

	good	C not older than the current serial (RFC 1982): the current
		SOA alone; C in the history: the incremental answer, one
		delta per version loaded after C, in load order: SOA(new)
		[SOA(old) deleted SOA(next) added]... SOA(new); C unknown:
		the AXFR-style answer (SOA, records, SOA)
	axfr	always the AXFR-style answer
	refused, notimp, formerr, servfail
		that rcode, the question echoed, no records
	baddelta
		as good, but the first delta also deletes an A record at
		badprimary-absent.ORIGIN, a name not in version C
	badchain
		as good, but the first delta's old SOA has serial C - 1

With baddelta and badchain a C older than the current serial but unknown
gets one delta from C (the current SOA with serial C) to the current
version that changes nothing but the fault.  IXFR answers follow --per and
are signed like AXFR.  UDP IXFR is not answered.

TCP: after a SOA answer or an error rcode (REFUSED to an unsigned
transfer request, an IXFR mode's rcode) the connection waits up to 10 s
for another request (an AXFR after a failed IXFR, say); it is closed after
an AXFR or IXFR answer with records, and on a request that does not parse.

Runs until killed.
"""

import argparse
import itertools
import signal
import socket
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsig
import dns.zone

AXFR_FAULTS = ["none", "cut", "badmac", "nosoa", "twosoa", "slow",
    "endless", "outofzone", "comploop", "bigrecord", "ptrchain", "stall", "closesoa"]
IXFR_RCODES = {
	"refused": dns.rcode.REFUSED,
	"notimp": dns.rcode.NOTIMP,
	"formerr": dns.rcode.FORMERR,
	"servfail": dns.rcode.SERVFAIL,
}
IXFR_MODES = ["good", "axfr", "baddelta", "badchain"] + list(IXFR_RCODES)
IDLE = 10	# seconds a TCP connection may wait for a request


LOG_LOCK = threading.Lock()


def log(msg):
	"""A line to stderr, whole: the threads serving transfers log too."""
	with LOG_LOCK:
		print("badprimary: %s" % msg, file=sys.stderr, flush=True)


def load(origin, path):
	"""(soa rrset, [other rrsets, one record each]) of the zone file."""
	z = dns.zone.from_file(path, origin=origin, relativize=False,
	    check_origin=False)
	soa, rest = None, []
	for name, node in z.nodes.items():
		for rds in node.rdatasets:
			rrs = dns.rrset.RRset(name, rds.rdclass, rds.rdtype)
			rrs.update(rds)
			if rds.rdtype == dns.rdatatype.SOA and name == z.origin:
				soa = rrs
				continue
			for rd in rds:
				one = dns.rrset.RRset(name, rds.rdclass, rds.rdtype)
				one.add(rd, rds.ttl)
				rest.append(one)
	return soa, rest


class History:
	"""The versions of the zone loaded, oldest first, as (soa, rest).
	A reader takes self.versions once: a reload replaces the tuple."""

	def __init__(self, origin):
		self.origin = origin
		self.versions = ()

	def add(self, path):
		soa, rest = load(self.origin, path)
		if soa is None:
			raise ValueError("%s: no SOA at %s" %
			    (path, self.origin))
		vs = list(self.versions)
		if vs and vs[-1][0][0].serial == soa[0].serial:
			vs[-1] = (soa, rest)
		else:
			vs.append((soa, rest))
		self.versions = tuple(vs)
		log("loaded serial %d, %d records" % (soa[0].serial,
		    1 + len(rest)))


def reloader(hist, path, ev):
	"""Reloads path each time ev is set (by SIGHUP)."""
	while True:
		ev.wait()
		ev.clear()
		try:
			hist.add(path)
		except Exception as e:
			log("reload failed, keeping serial %d: %s" %
			    (hist.versions[-1][0][0].serial, e))


def newer(a, b):
	"""Serial a is newer than serial b (RFC 1982, SERIAL_BITS 32)."""
	return a != b and (a - b) % 2**32 < 2**31


def soa_serial(soa, serial):
	"""A copy of the SOA rrset soa with another serial."""
	other = dns.rrset.RRset(soa.name, soa.rdclass, soa.rdtype)
	other.add(soa[0].replace(serial=serial % 2**32), soa.ttl)
	return other


def a_record(name, addr, ttl=3600):
	rrs = dns.rrset.RRset(name, dns.rdataclass.IN, dns.rdatatype.A)
	rrs.add(dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.A, addr),
	    ttl)
	return rrs


def endless(origin):
	for n in itertools.count():
		yield a_record(dns.name.Name(("n%d" % n,) + origin.labels),
		    "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255))


def axfr_records(args, soa, rest):
	"""The records of the AXFR answer: a list, or an endless iterator."""
	if args.fault == "nosoa":
		return list(rest)
	if args.fault == "endless":
		return itertools.chain([soa], rest, endless(soa.name))
	close = soa
	if args.fault == "closesoa":
		close = soa_serial(soa, soa[0].serial + 1)
	recs = [soa] + list(rest) + [close]
	if args.fault == "twosoa":
		recs.insert(len(recs) // 2, soa_serial(soa, soa[0].serial + 7))
	if args.fault == "outofzone":
		try:
			parent = soa.name.parent()
		except dns.name.NoParent:
			parent = dns.name.root
		out = dns.name.Name(("outofzone",) + parent.labels)
		recs.insert(len(recs) // 2, a_record(out, "192.0.2.66"))
	return recs


def rrkey(rrs):
	return (rrs.name, rrs.rdclass, rrs.rdtype, rrs.ttl, rrs[0])


def delta(old, new):
	"""(records of old not in new, records of new not in old)."""
	ok, nk = set(map(rrkey, old)), set(map(rrkey, new))
	return ([r for r in old if rrkey(r) not in nk],
	    [r for r in new if rrkey(r) not in ok])


def absent(origin, rest):
	"""An A record at a name that has no A record in rest."""
	have = set(r.name for r in rest if r.rdtype == dns.rdatatype.A)
	for n in itertools.count():
		label = "badprimary-absent" + ("%d" % n if n else "")
		name = dns.name.Name((label,) + origin.labels)
		if name not in have:
			return a_record(name, "192.0.2.254")


def ixfr_records(args, c, versions):
	"""(kind, the records of the IXFR answer to a client at serial c)."""
	soa, rest = versions[-1]
	cur = soa[0].serial
	if args.ixfr == "axfr":
		return "axfr-style", [soa] + list(rest) + [soa]
	if c == cur or newer(c, cur):
		return "up to date", [soa]
	idx = None
	for i, (s, _) in enumerate(versions):
		if s[0].serial == c:
			idx = i
	if idx is not None:
		chain = versions[idx:]
	elif args.ixfr == "good":
		return "axfr-style", [soa] + list(rest) + [soa]
	else:
		chain = [(soa_serial(soa, c), rest), (soa, rest)]
	recs = [soa]
	for k in range(len(chain) - 1):
		(osoa, old), (nsoa, new) = chain[k], chain[k + 1]
		dels, adds = delta(old, new)
		if k == 0 and args.ixfr == "badchain":
			osoa = soa_serial(osoa, c - 1)
		if k == 0 and args.ixfr == "baddelta":
			dels = dels + [absent(soa.name, old)]
		recs += [osoa] + dels + [nsoa] + adds
	recs.append(soa)
	return "incremental, %d deltas" % (len(chain) - 1), recs


def chunks(recs, per):
	it = iter(recs)
	while True:
		c = list(itertools.islice(it, per))
		if not c:
			return
		yield c


def sign_wire(wire, r, ctx):
	"""wire (the bytes of r, unsigned) with a TSIG record appended, signed
	with r's key and TSIG template, and the running MAC's next ctx."""
	tsig, ctx = dns.tsig.sign(bytes(wire), r.keyring, r.tsig[0],
	    int(time.time()), r.request_mac, ctx, True)
	rd = tsig.to_wire()
	b = bytearray(wire)
	b += r.keyring.name.to_wire()
	b += struct.pack("!HHIH", dns.rdatatype.TSIG, dns.rdataclass.ANY, 0,
	    len(rd)) + rd
	struct.pack_into("!H", b, 10, struct.unpack_from("!H", b, 10)[0] + 1)
	return bytes(b), ctx


def ptrchain(off):
	"""(records, count) of the ptrchain fault for a message whose first
	answer owner is at 12 (no question) and which is off octets long."""
	base = off + 12		# the rdata, after the owner (a pointer to 12)
	if base + 256 > 0x3fff:
		log("ptrchain: message too long for the pointers, "
		    "use a smaller --per")
	rr = bytearray(struct.pack("!HHHIH", 0xc00c, 65280, 1, 0, 256))
	for k in range(128):
		rr += struct.pack("!H", 0xc000 | (12 if k == 0 else
		    base + 2 * (k - 1)))
	deep = base + 2 * 127
	for _ in range(400):
		rr += struct.pack("!HHHIH", 0xc000 | deep, 65280, 1, 0, 0)
	return bytes(rr), 401


def crafted(r, fault, ctx, zone):
	"""The message r with a broken answer record appended (comploop,
	bigrecord: owner bigrecord.ZONE), signed when r is; and the next
	ctx."""
	signed = r.had_tsig
	tsig_len = 0
	if signed:
		tsig_len = len(r.keyring.name.to_wire()) + 10 + \
		    len(r.tsig[0].to_wire())
	saved, r.tsig = r.tsig, None
	r.use_edns(False)
	wire = bytearray(r.to_wire(max_size=65535))
	r.tsig = saved
	rdata = bytes([192, 0, 2, 77])
	if fault == "ptrchain":
		rr, an = ptrchain(len(wire))
		wire += rr
		struct.pack_into("!H", wire, 6,
		    struct.unpack_from("!H", wire, 6)[0] + an)
		if not signed:
			return bytes(wire), ctx
		return sign_wire(wire, r, ctx)
	if fault == "comploop":
		off = len(wire)
		if off > 0x3fff:
			log("comploop: message too long for the pointer, "
			    "use a smaller --per")
		rr = struct.pack("!HHHIH", 0xc000 | (off & 0x3fff),
		    dns.rdatatype.A, dns.rdataclass.IN, 3600, 4) + rdata
	else:
		owner = dns.name.Name(("bigrecord",) + zone.labels).to_wire()
		rr = owner + struct.pack("!HHIH", dns.rdatatype.A,
		    dns.rdataclass.IN, 3600, len(rdata) + tsig_len + 1) + rdata
	wire += rr
	an = struct.unpack_from("!H", wire, 6)[0]
	struct.pack_into("!H", wire, 6, an + 1)
	if not signed:
		return bytes(wire), ctx
	return sign_wire(wire, r, ctx)


def messages(args, q, recs, fault="none"):
	"""The wire messages of the answer to q, as a generator, signed when
	q was; fault (an AXFR fault) may spoil the message in the middle."""
	ctx = None
	mid = -1
	if isinstance(recs, list):
		mid = (len(recs) + args.per - 1) // args.per // 2
	for i, chunk in enumerate(chunks(recs, args.per)):
		r = dns.message.make_response(q)
		r.flags |= dns.flags.AA
		if i > 0:
			r.question = []
		for rrs in chunk:
			r.answer.append(rrs)
		if i == mid and fault in ("comploop", "bigrecord", "ptrchain"):
			wire, ctx = crafted(r, fault, ctx, q.question[0].name)
		elif q.had_tsig:
			wire = r.to_wire(multi=True, tsig_ctx=ctx, max_size=65535)
			ctx = r.tsig_ctx
			if fault == "badmac" and i == mid:
				# The MAC sits just before original id, error
				# and other len (6 bytes) at the very end.
				b = bytearray(wire)
				b[-10] ^= 0x55
				wire = bytes(b)
		else:
			wire = r.to_wire(max_size=65535)
		yield wire


def recv_exact(c, n):
	buf = b""
	while len(buf) < n:
		b = c.recv(n - len(buf))
		if not b:
			raise EOFError()
		buf += b
	return buf


def reorigin(rrs, origin, qname):
	"""The RRset rrs, its owner moved from below origin to below qname;
	None when that owner would be too long."""
	if origin == qname or not rrs.name.is_subdomain(origin):
		return rrs
	try:
		name = rrs.name.relativize(origin).derelativize(qname)
	except dns.name.NameTooLong:
		return None
	return dns.rrset.from_rdata_list(name, rrs.ttl, list(rrs))


def version_for(args, q, version):
	"""The (soa, rest) that q is answered from: the version as loaded,
	or with --any-zone moved below the question's name."""
	soa, rest = version
	if not args.any_zone:
		return soa, rest
	qname = q.question[0].name
	moved = (reorigin(r, args.origin_name, qname) for r in rest)
	return (reorigin(soa, args.origin_name, qname),
	    [r for r in moved if r is not None])


def answer_soa(q, soa):
	r = dns.message.make_response(q)
	r.flags |= dns.flags.AA
	r.answer.append(soa)
	return r.to_wire()


def answer_rcode(q, rcode):
	"""The answer to q with that rcode and no records, signed if q was."""
	r = dns.message.make_response(q)
	r.set_rcode(rcode)
	return r.to_wire()


def answer_query(args, keyring, q, soa):
	"""The answer to a SOA query, or None."""
	if keyring is not None and not q.had_tsig and \
	    args.refuse_unsigned_soa:
		return answer_rcode(q, dns.rcode.REFUSED)
	return answer_soa(q, soa)


def parse(args, keyring, wire):
	try:
		return dns.message.from_wire(wire, keyring=keyring)
	except Exception as e:
		log("bad request: %s" % e)
		return None


def send(c, w):
	c.sendall(struct.pack("!H", len(w)) + w)


def serve_axfr(args, c, q, soa, rest):
	recs = axfr_records(args, soa, rest)
	msgs = messages(args, q, recs, args.fault)
	if args.fault == "endless":
		log("AXFR, endless")
		for w in msgs:
			send(c, w)
		return
	msgs = list(msgs)
	log("AXFR, %d messages, fault %s" % (len(msgs), args.fault))
	if args.fault == "cut":
		msgs = msgs[:max(1, len(msgs) // 2)]
	if args.fault == "stall":
		msgs = msgs[:len(msgs) // 2]
	for w in msgs:
		send(c, w)
		if args.fault == "slow":
			time.sleep(0.2)
	log("AXFR of %s sent" % q.question[0].name)
	if args.fault == "cut":
		c.shutdown(socket.SHUT_RDWR)
	if args.fault == "stall":
		threading.Event().wait()


def serve_ixfr(args, c, q, versions):
	"""Answers the IXFR q: True after an error rcode, else False."""
	if args.ixfr in IXFR_RCODES:
		log("IXFR, %s" % args.ixfr)
		send(c, answer_rcode(q, IXFR_RCODES[args.ixfr]))
		return True
	sc = [rrs for rrs in q.authority if rrs.rdtype == dns.rdatatype.SOA]
	if not sc:
		log("IXFR without a SOA in the authority section")
		send(c, answer_rcode(q, dns.rcode.FORMERR))
		return True
	c_serial = sc[0][0].serial
	kind, recs = ixfr_records(args, c_serial, versions)
	msgs = list(messages(args, q, recs))
	log("IXFR from %d to %d, %s, %d messages, mode %s" % (c_serial,
	    versions[-1][0][0].serial, kind, len(msgs), args.ixfr))
	for w in msgs:
		send(c, w)
	return False


def serve_request(args, keyring, c, hist):
	"""Reads and answers one request on c: True to read another (after
	a SOA answer or an error rcode), False to close."""
	c.settimeout(IDLE)
	n = struct.unpack("!H", recv_exact(c, 2))[0]
	q = parse(args, keyring, recv_exact(c, n))
	c.settimeout(None)
	if q is None or not q.question or q.opcode() != dns.opcode.QUERY:
		return False
	versions = hist.versions
	soa, rest = version_for(args, q, versions[-1])
	qt = q.question[0].rdtype
	if qt == dns.rdatatype.SOA:
		send(c, answer_query(args, keyring, q, soa))
		return True
	if qt not in (dns.rdatatype.AXFR, dns.rdatatype.IXFR):
		return False
	if keyring is not None and not q.had_tsig:
		log("unsigned %s refused" % dns.rdatatype.to_text(qt))
		send(c, answer_rcode(q, dns.rcode.REFUSED))
		return True
	if qt == dns.rdatatype.AXFR:
		serve_axfr(args, c, q, soa, rest)
		return False
	return serve_ixfr(args, c, q, versions)


def serve_conn(args, keyring, c, hist):
	try:
		while serve_request(args, keyring, c, hist):
			pass
	except (OSError, EOFError):
		pass
	finally:
		c.close()


def serve_tcp(args, keyring, t, hist):
	while True:
		c, _ = t.accept()
		threading.Thread(target=serve_conn,
		    args=(args, keyring, c, hist), daemon=True).start()


def main():
	p = argparse.ArgumentParser()
	p.add_argument("--fault", default="none", choices=AXFR_FAULTS)
	p.add_argument("--ixfr", default="good", choices=IXFR_MODES)
	p.add_argument("--per", type=int, default=20)
	p.add_argument("--key", nargs=3, metavar=("KEYNAME", "ALG", "SECRET"))
	p.add_argument("--refuse-unsigned-soa", action="store_true")
	p.add_argument("--any-zone", action="store_true")
	p.add_argument("--history", action="append", default=[],
	    metavar="OLDZONEFILE")
	p.add_argument("port", type=int)
	p.add_argument("origin")
	p.add_argument("zonefile")
	args = p.parse_args()
	if args.per < 1:
		p.error("--per must be at least 1")
	keyring = None
	if args.key:
		k = dns.tsig.Key(args.key[0], args.key[2], args.key[1])
		keyring = {k.name: k}
	args.origin_name = dns.name.from_text(args.origin)
	hist = History(args.origin_name)
	for path in args.history + [args.zonefile]:
		hist.add(path)
	ev = threading.Event()
	signal.signal(signal.SIGHUP, lambda signum, frame: ev.set())
	threading.Thread(target=reloader, args=(hist, args.zonefile, ev),
	    daemon=True).start()
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("127.0.0.1", args.port))
	t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	t.bind(("127.0.0.1", args.port))
	t.listen(128)
	threading.Thread(target=serve_tcp, args=(args, keyring, t, hist),
	    daemon=True).start()
	log("ready on %d" % args.port)
	while True:
		wire, peer = s.recvfrom(65535)
		q = parse(args, keyring, wire)
		if q is not None and q.question and \
		    q.opcode() == dns.opcode.QUERY and \
		    q.question[0].rdtype == dns.rdatatype.SOA:
			soa, _ = version_for(args, q, hist.versions[-1])
			s.sendto(answer_query(args, keyring, q, soa), peer)


if __name__ == "__main__":
	main()
