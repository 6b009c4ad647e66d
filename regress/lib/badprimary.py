#! /usr/bin/python3
"""A misbehaving primary for the transfer tests: answers SOA (UDP and TCP)
and AXFR (TCP) on 127.0.0.1 from a zone file, with a chosen fault.

  badprimary.py [--fault F] [--per N] [--key KEYNAME ALG SECRET]
                PORT ORIGIN ZONEFILE

The AXFR answer is the zone's SOA, every other record, the SOA again, N
records (default 20) to a message.  With a key, only AXFR requests signed
with it are answered, and every message is signed (RFC 8945 running MAC).
Faults (default none: a correct transfer):

	cut	close the connection after half of the messages
	badmac	one message in the middle has a corrupted MAC
	nosoa	the answer has no SOA at all
	twosoa	a second apex SOA (another serial) in the middle
	slow	send a message, then sleep 0.2 s, and so on

Runs until killed; the fault applies to every AXFR.
"""

import argparse
import socket
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsig
import dns.zone


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


def axfr_records(args, soa, rest):
	if args.fault == "nosoa":
		return list(rest)
	recs = [soa] + list(rest) + [soa]
	if args.fault == "twosoa":
		other = dns.rrset.RRset(soa.name, soa.rdclass, soa.rdtype)
		rd = soa[0].replace(serial=(soa[0].serial + 7) % 2**32)
		other.add(rd, soa.ttl)
		recs.insert(len(recs) // 2, other)
	return recs


def messages(args, q, recs):
	"""The wire messages of the answer to q, signed when q was."""
	out, ctx = [], None
	chunks = [recs[i:i + args.per] for i in range(0, len(recs), args.per)]
	for i, chunk in enumerate(chunks):
		r = dns.message.make_response(q)
		r.flags |= dns.flags.AA
		if i > 0:
			r.question = []
		for rrs in chunk:
			r.answer.append(rrs)
		if q.had_tsig:
			wire = r.to_wire(multi=True, tsig_ctx=ctx, max_size=65535)
			ctx = r.tsig_ctx
			if args.fault == "badmac" and i == len(chunks) // 2:
				# The MAC sits just before original id, error
				# and other len (6 bytes) at the very end.
				b = bytearray(wire)
				b[-10] ^= 0x55
				wire = bytes(b)
		else:
			wire = r.to_wire(max_size=65535)
		out.append(wire)
	return out


def recv_exact(c, n):
	buf = b""
	while len(buf) < n:
		b = c.recv(n - len(buf))
		if not b:
			raise EOFError()
		buf += b
	return buf


def answer_soa(q, soa):
	r = dns.message.make_response(q)
	r.flags |= dns.flags.AA
	r.answer.append(soa)
	return r.to_wire()


def parse(args, keyring, wire):
	try:
		return dns.message.from_wire(wire, keyring=keyring)
	except Exception as e:
		print("badprimary: bad request: %s" % e, file=sys.stderr,
		    flush=True)
		return None


def serve_conn(args, keyring, c, soa, rest):
	try:
		n = struct.unpack("!H", recv_exact(c, 2))[0]
		q = parse(args, keyring, recv_exact(c, n))
		if q is None or not q.question:
			return
		qt = q.question[0].rdtype
		if qt == dns.rdatatype.SOA:
			w = answer_soa(q, soa)
			c.sendall(struct.pack("!H", len(w)) + w)
			return
		if qt != dns.rdatatype.AXFR:
			return
		if keyring is not None and not q.had_tsig:
			r = dns.message.make_response(q)
			r.set_rcode(dns.rcode.REFUSED)
			w = r.to_wire()
			c.sendall(struct.pack("!H", len(w)) + w)
			return
		msgs = messages(args, q, axfr_records(args, soa, rest))
		print("badprimary: AXFR, %d messages, fault %s" %
		    (len(msgs), args.fault), file=sys.stderr, flush=True)
		if args.fault == "cut":
			msgs = msgs[:max(1, len(msgs) // 2)]
		for w in msgs:
			c.sendall(struct.pack("!H", len(w)) + w)
			if args.fault == "slow":
				time.sleep(0.2)
		if args.fault == "cut":
			c.shutdown(socket.SHUT_RDWR)
	except (OSError, EOFError):
		pass
	finally:
		c.close()


def serve_tcp(args, keyring, t, soa, rest):
	while True:
		c, _ = t.accept()
		threading.Thread(target=serve_conn,
		    args=(args, keyring, c, soa, rest), daemon=True).start()


def main():
	p = argparse.ArgumentParser()
	p.add_argument("--fault", default="none",
	    choices=["none", "cut", "badmac", "nosoa", "twosoa", "slow"])
	p.add_argument("--per", type=int, default=20)
	p.add_argument("--key", nargs=3, metavar=("KEYNAME", "ALG", "SECRET"))
	p.add_argument("port", type=int)
	p.add_argument("origin")
	p.add_argument("zonefile")
	args = p.parse_args()
	keyring = None
	if args.key:
		k = dns.tsig.Key(args.key[0], args.key[2], args.key[1])
		keyring = {k.name: k}
	soa, rest = load(dns.name.from_text(args.origin), args.zonefile)
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("127.0.0.1", args.port))
	t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	t.bind(("127.0.0.1", args.port))
	t.listen(16)
	threading.Thread(target=serve_tcp, args=(args, keyring, t, soa, rest),
	    daemon=True).start()
	print("badprimary: ready on %d" % args.port, file=sys.stderr,
	    flush=True)
	while True:
		wire, peer = s.recvfrom(65535)
		q = parse(args, None, wire) if keyring is None else \
		    parse(args, keyring, wire)
		if q is not None and q.question and \
		    q.question[0].rdtype == dns.rdatatype.SOA:
			s.sendto(answer_soa(q, soa), peer)


if __name__ == "__main__":
	main()
