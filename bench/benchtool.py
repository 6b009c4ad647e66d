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

"""The measuring half of the secd benchmark (bench/run is the driver).

  benchtool.py spawn DIR NAME PORT ORIGIN SERIAL TIMEOUT -- CMD...
	Run CMD in the background (stdin /dev/null, output appended to
	DIR/NAME.log, its pid in DIR/NAME.pid), then ask ORIGIN SOA on
	127.0.0.1@PORT over UDP until an authoritative answer comes (with
	SERIAL, unless SERIAL is "-"; "N+": N or a later serial, RFC 1982).  Prints the seconds from just before
	the exec to that answer.  Exits 1 when CMD dies or TIMEOUT seconds
	pass.
  benchtool.py wait PORT ORIGIN SERIAL TIMEOUT
	The same wait, for a server already running.
  benchtool.py notify-wait PORT ORIGIN SERIAL TIMEOUT
	Send one NOTIFY for ORIGIN (unsigned, no SOA in it) to
	127.0.0.1@PORT, then ask ORIGIN SOA every 5 ms until the answer
	has SERIAL.  Prints the seconds from just before the NOTIFY was
	sent to that answer.  Exits 1 when the NOTIFY is not answered
	NOERROR or TIMEOUT seconds pass.
  benchtool.py zones-spawn DIR NAME PORT LIST SERIAL TIMEOUT -- CMD...
	As spawn, but waits until every zone named in the file LIST (one a
	line) answers its SOA on 127.0.0.1@PORT over UDP, authoritative,
	NOERROR, with SERIAL (see zones-wait).  Prints the seconds from just
	before the exec to the last of those answers.
  benchtool.py zones-wait PORT LIST SERIAL TIMEOUT [-- CMD...]
	The same wait, for a server already running; with CMD, CMD is run
	first (to its exit, its output on stderr, exit 1 when it fails;
	then "benchtool: command S s" on stderr, S its exec to exit) and
	the seconds are from just before its exec.  The queries go from one
	socket, many outstanding: first to a sample of the zones spread
	over LIST, each asked again 50 ms after an answer without the
	serial, until all of the sample have it; then to every zone still
	waiting, each again 20 ms after such an answer, at most 20,000 a
	second; a query unanswered for 0.5 s is sent again.  On timeout,
	asks every zone still waiting once more, then says how many zones
	answered and names one still waiting.
  benchtool.py idle PID TIMEOUT
	Wait until PID and its descendants use no CPU for a whole second
	(what a server does after a transfer, in the background, is over);
	prints the seconds waited.  Exits 1 after TIMEOUT seconds.
  benchtool.py change IN OUT SERIAL
	The zone file IN as OUT with the SOA serial SERIAL and a small
	change: 4 A records changed, 3 added, 3 deleted (the same ones
	for the same IN); prints what changed, one record a line.
  benchtool.py cpu PID		utime+stime of PID and its descendants (s)
  benchtool.py mem PID		"RSS PSS NPROCS" of PID and its descendants
				(KiB, from /proc/PID/smaps_rollup)
  benchtool.py dnsperf FILE	dnsperf's statistics in FILE as KEY VALUE
				lines
  benchtool.py latency FILE	p50, p90, p99 and p99.9 (s) of the
				per-query lines of "dnsperf -v" in FILE
  benchtool.py pct FILE		p50 and p99 of the numbers in FILE, one a
				line, and how many there are (n)
  benchtool.py timed OUT TIMEOUT -- CMD...
	Run CMD (stdin /dev/null, its output in OUT) and print the seconds
	from just before the exec to its exit.  Exits with CMD's status,
	printing nothing when it is not 0; after TIMEOUT seconds, kills CMD
	and exits 124 (the reason the last line of OUT).
  benchtool.py toggle-names ZONEFILE ORIGIN N
	N names of the zone file that own A records, spread over it: not
	the apex, not a wildcard, not at or below a delegation.  One line
	each: the name and its A addresses, sorted, joined by ",".
  benchtool.py overrides ZONEFILE ORIGIN PERCENT WHEN SOURCE OUT
	Write OUT as a secd ZONE.over (secd.8, THE DATABASE) that proxies
	PERCENT % of the names that own A, AAAA or CNAME records (not the
	apex, a wildcard, or at or below a delegation; the same ones for
	the same file), each "proxy on NAME WHEN SOURCE".  Prints "K M
	NAME": K proxied of M such names, NAME one of them with an A
	record.
  benchtool.py proxied BEFORE AFTER
	From two "secctl -j show stats" outputs: the answers with proxy
	addresses between them, in % of the queries received.
  benchtool.py cookie SECRET ADDR [CLIENT]
	The value of a COOKIE option (hex): a client cookie (CLIENT, else
	random) and the server cookie a server with SECRET (32 hex digits)
	makes now for the client address ADDR (RFC 9018; bench/cookie.py).
  benchtool.py cookie-probe PORT ORIGIN VALUE
	One ORIGIN SOA query to 127.0.0.1@PORT with the COOKIE option VALUE
	(hex); prints the answer's rcode (with the extended bits: 23 is
	BADCOOKIE) and its server cookie in hex ("-": none).
  benchtool.py hostile-stats secd|knot FILE
	From "secctl -j show stats" (secd) or "knotc stats" (Knot): the
	answers rate limited (slipped or dropped) and the queries with a
	valid server cookie in % of those over UDP ("-" for Knot, which
	does not count them).
  benchtool.py fleet-toggles SECCTL SOCK ORIGIN NAMES PROXYADDR PORT PID --
	    NAME:PORT...
	For each line "NAME ADDRS" of NAMES (toggle-names), "SECCTL -s SOCK
	proxy ZONE NAME on", then "off": secd (PID, answering on
	127.0.0.1@PORT) idle before each; each timed from just before the
	exec of secctl until every downstream NAME:PORT answers the serial
	secd serves after it (or a later one), its SOA asked over UDP every
	5 ms; then each downstream must answer NAME A with PROXYADDR (on)
	or ADDRS (off).  One line each: "NAME on|off TOTAL SECCTL T... SERIAL",
	TOTAL the slowest downstream's time, SECCTL secctl's exec to exit,
	then each downstream's, in s.  Exits 1 at the first that fails.
  benchtool.py axfr-time PORT ORIGIN [TIMEOUT]
	One AXFR of ORIGIN from 127.0.0.1@PORT over TCP, every message read
	(the records counted from their ANCOUNT: only the first SOA and the
	last message are parsed); prints "RECORDS SECONDS MESSAGES BYTES
	CPU", the seconds from just before the connect to its last message,
	CPU this reader's own in that time (s).
  benchtool.py report RAW OUT	the tables of RAW (lines "SIZE SERVER KEY
				VALUE") in markdown, to OUT and stdout
"""

import collections
import heapq
import json
import os
import random
import re
import select
import socket
import struct
import signal
import subprocess
import sys
import time

import cookie

SERVERS = ("floor", "nsd", "knot", "secd")
TITLE = {"floor": "floor", "nsd": "NSD", "knot": "Knot", "secd": "secd"}

# ------------------------------------------------------------ DNS queries


def wire_name(name):
	out = b""
	for l in name.rstrip(".").split("."):
		if l:
			out += bytes([len(l)]) + l.encode()
	return out + b"\0"


def skip_name(p, off):
	"""Offset after the name at off (compression pointers end it)."""
	while True:
		if off >= len(p):
			raise ValueError("name runs off the packet")
		n = p[off]
		if n & 0xc0 == 0xc0:
			return off + 2
		if n == 0:
			return off + 1
		off += n + 1


def soa_serial(p, qid):
	"""The SOA serial of an authoritative NOERROR answer (0 when its
	first record is not a SOA: the floor's), else None."""
	if len(p) < 12:
		return None
	rid, flags, qd, an = struct.unpack("!HHHH", p[:8])
	if rid != qid or not flags & 0x8000 or not flags & 0x0400 or \
	    flags & 0x000f != 0 or qd != 1 or an < 1:
		return None
	try:
		off = skip_name(p, 12) + 4
		off = skip_name(p, off)
		rtype, _, _, rdlen = struct.unpack("!HHIH", p[off:off + 10])
		off += 10
		if rtype != 6:
			return 0
		off = skip_name(p, skip_name(p, off))
		return struct.unpack("!I", p[off:off + 4])[0]
	except (ValueError, struct.error):
		return None


def answered(sock, port, origin, serial):
	"""One SOA query; true when answered as wanted within 10 ms."""
	qid = random.randrange(65536)
	q = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + wire_name(origin) + \
	    struct.pack("!HH", 6, 1)
	try:
		sock.sendto(q, ("127.0.0.1", port))
	except OSError:
		time.sleep(0.01)
		return False
	end = time.monotonic() + 0.01
	while True:
		left = end - time.monotonic()
		if left <= 0:
			return False
		sock.settimeout(left)
		try:
			p = sock.recv(4096)
		except (socket.timeout, ConnectionRefusedError):
			# ICMP unreachable: nothing listens yet
			time.sleep(max(0, end - time.monotonic()))
			return False
		s = soa_serial(p, qid)
		if s is not None and serial_ok(s, serial):
			return True


def serial_ok(s, want):
	"""s is what want asks: any ("-"), N, or N or later ("N+", RFC
	1982: secd serves its own serial once an override changed it)."""
	if want == "-":
		return True
	if want.endswith("+"):
		d = (s - int(want[:-1])) % (1 << 32)
		return d < (1 << 31)
	return s == int(want)


def alive(pid):
	try:
		with open("/proc/%d/stat" % pid) as f:
			return f.read().rsplit(")", 1)[1].split()[0] != "Z"
	except OSError:
		return False


def wait_answer(port, origin, serial, timeout, t0, pid=None):
	sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	while True:
		if answered(sock, port, origin, serial):
			return time.monotonic() - t0
		if pid is not None and not alive(pid):
			sys.exit("benchtool: the server (pid %d) exited" % pid)
		if time.monotonic() - t0 > timeout:
			sys.exit("benchtool: no answer for %s SOA%s on port %d "
			    "after %d s" % (origin, "" if serial == "-" else
			    " serial " + serial, port, timeout))


def spawn_logged(verb, a):
	"""a[7:] after "--" started with its output in DIR/NAME.log and its
	pid in DIR/NAME.pid (a[0], a[1]); the process and its start time."""
	d, name = a[:2]
	if a[6:7] != ["--"]:
		sys.exit("benchtool %s: -- CMD expected" % verb)
	log = open(os.path.join(d, name + ".log"), "ab")
	t0 = time.monotonic()
	p = subprocess.Popen(a[7:], stdin=subprocess.DEVNULL, stdout=log,
	    stderr=subprocess.STDOUT)
	with open(os.path.join(d, name + ".pid"), "w") as f:
		f.write("%d\n" % p.pid)
	return p, t0


def cmd_spawn(a):
	port, origin, serial, timeout = a[2:6]
	p, t0 = spawn_logged("spawn", a)
	t = wait_answer(int(port), origin, serial, int(timeout), t0, p.pid)
	print("%.3f" % t)


def cmd_wait(a):
	port, origin, serial, timeout = a
	print("%.3f" % wait_answer(int(port), origin, serial, int(timeout),
	    time.monotonic()))


# ------------------------------------------------------ many zones' SOAs

ZW_SAMPLE = 100		# zones asked first
ZW_WINDOW = 256		# queries outstanding at most
ZW_GAP = (0.05, 0.02)	# s between two queries of a zone: sample, all
ZW_RATE = (2000, 20000)	# queries/s at most: sample, all
ZW_LOST = 0.5		# s without an answer: ask again


def zone_list(path):
	with open(path) as f:
		z = [l.strip() for l in f]
	return [x.rstrip(".") + "." for x in z if x and not x.startswith("#")]


class ZoneWait:
	"""The SOA of many zones asked over one UDP socket until each has
	answered with the serial."""

	def __init__(self, port, zones, serial):
		self.addr = ("127.0.0.1", port)
		self.zones, self.serial = zones, serial
		self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		self.sock.setblocking(False)
		self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
		    1 << 20)
		self.out = {}		# qid: (zone index, sent at)
		self.nextid = random.randrange(65536)
		self.left = set(range(len(zones)))
		self.last = None

	def query(self, i):
		while self.nextid in self.out:
			self.nextid = (self.nextid + 1) & 0xffff
		qid = self.nextid
		self.nextid = (qid + 1) & 0xffff
		q = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + \
		    wire_name(self.zones[i]) + struct.pack("!HH", 6, 1)
		try:
			self.sock.sendto(q, self.addr)
		except OSError:
			return False
		self.out[qid] = (i, time.monotonic())
		return True

	def receive(self, again):
		"""Every answer waiting; a zone without the serial goes to
		again."""
		while True:
			try:
				p = self.sock.recv(4096)
			except (BlockingIOError, InterruptedError):
				return
			except OSError:
				# an ICMP error: nothing listens yet
				continue
			if len(p) < 12:
				continue
			qid = struct.unpack("!H", p[:2])[0]
			if qid not in self.out:
				continue
			i = self.out[qid][0]
			qn = wire_name(self.zones[i])
			if p[12:12 + len(qn)].lower() != qn.lower():
				continue
			del self.out[qid]
			if soa_serial(p, qid) == self.serial:
				if i in self.left:
					self.left.discard(i)
					self.need.discard(i)
					self.last = time.monotonic()
			else:
				again.append(i)

	def run(self, ask, phase, t0, timeout, pid):
		"""Ask the zones of ask (indexes) in turn until each has the
		serial; False after timeout."""
		gap, rate = ZW_GAP[phase], ZW_RATE[phase]
		self.need = set(ask) & self.left
		todo = collections.deque(i for i in ask if i in self.need)
		wait = []		# heap of (due, index)
		sent, start, checked = 0, time.monotonic(), 0
		while self.need:
			now = time.monotonic()
			if now - t0 > timeout:
				return False
			if pid is not None and now - checked > 0.5:
				checked = now
				if not alive(pid):
					sys.exit("benchtool: the server (pid "
					    "%d) exited" % pid)
			for q, (i, at) in list(self.out.items()):
				if now - at > ZW_LOST:
					del self.out[q]
					todo.append(i)
			while wait and wait[0][0] <= now:
				todo.append(heapq.heappop(wait)[1])
			while todo and len(self.out) < ZW_WINDOW and \
			    sent < rate * (now - start) + ZW_WINDOW:
				i = todo.popleft()
				if i not in self.need:
					continue
				if not self.query(i):
					heapq.heappush(wait, (now + gap, i))
					break
				sent += 1
			if select.select([self.sock], [], [], 0.001)[0]:
				again = []
				self.receive(again)
				due = time.monotonic() + gap
				for i in again:
					heapq.heappush(wait, (due, i))
		return True


	def sweep(self):
		"""Each zone still waiting asked once more (a query lost for
		0.2 s is not asked again; at most 60 s in all): how many have
		the serial now."""
		self.need = set(self.left)
		todo = collections.deque(sorted(self.left))
		start = last = time.monotonic()
		sent = 0
		while todo or (self.out and time.monotonic() - last < 0.2):
			now = time.monotonic()
			if now - start > 60:
				break
			for q, (i, at) in list(self.out.items()):
				if now - at > 0.2:
					del self.out[q]
			while todo and len(self.out) < ZW_WINDOW and \
			    sent < ZW_RATE[1] * (now - start) + ZW_WINDOW:
				if self.query(todo.popleft()):
					sent += 1
					last = now
			if select.select([self.sock], [], [], 0.001)[0]:
				self.receive([])
		return len(self.zones) - len(self.left)


def zones_wait(port, path, serial, timeout, t0, pid=None):
	zones = zone_list(path)
	if not zones:
		sys.exit("benchtool: %s names no zone" % path)
	w = ZoneWait(port, zones, int(serial))
	n = min(ZW_SAMPLE, len(zones))
	# spread over the list, its last zone among them
	sample = sorted({(k + 1) * len(zones) // n - 1 for k in range(n)})
	if w.run(sample, 0, t0, timeout, pid) and \
	    w.run(range(len(zones)), 1, t0, timeout, pid):
		return w.last - t0
	asked = min(w.need)
	sys.exit("benchtool: %d of %d zones answer SOA serial %s on port %d "
	    "after %d s (asked all once more then; %s is one still waiting)" %
	    (w.sweep(), len(zones), serial, port, timeout, zones[asked]))


def cmd_zones_spawn(a):
	port, path, serial, timeout = a[2:6]
	p, t0 = spawn_logged("zones-spawn", a)
	print("%.3f" % zones_wait(int(port), path, serial, float(timeout),
	    t0, p.pid))


def cmd_zones_wait(a):
	port, path, serial, timeout = a[:4]
	t0 = time.monotonic()
	if len(a) > 4:
		if a[4] != "--" or len(a) < 6:
			sys.exit("benchtool zones-wait: -- CMD expected")
		t0 = time.monotonic()
		rc = subprocess.call(a[5:], stdin=subprocess.DEVNULL,
		    stdout=sys.stderr)
		if rc != 0:
			sys.exit("benchtool: %s exited %d" % (a[5], rc))
		sys.stderr.write("benchtool: command %.3f s\n" %
		    (time.monotonic() - t0))
	print("%.3f" % zones_wait(int(port), path, serial, float(timeout),
	    t0))


RCODE = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
    4: "NOTIMP", 5: "REFUSED", 9: "NOTAUTH"}


def notify_rcode(sock, qid):
	"""The rcode of the answer to our NOTIFY qid waiting on sock, or
	None when none is there (yet)."""
	while True:
		try:
			p = sock.recv(4096)
		except (BlockingIOError, socket.timeout):
			return None
		except OSError as e:
			sys.exit("benchtool: NOTIFY not taken: %s" % e)
		if len(p) < 12:
			continue
		rid, flags = struct.unpack("!HH", p[:4])
		if rid == qid and flags & 0x8000 and (flags >> 11) & 0xf == 4:
			return flags & 0xf


def poll_serial(sock, port, origin, serial, ids, slot):
	"""One SOA query; true when an answer to it or to an earlier one
	(ids) has serial, waiting at most slot seconds, and the whole slot
	when the serial is still the old one."""
	end = time.monotonic() + slot
	qid = random.randrange(65536)
	ids.add(qid)
	sock.sendto(struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) +
	    wire_name(origin) + struct.pack("!HH", 6, 1), ("127.0.0.1", port))
	while True:
		left = end - time.monotonic()
		if left <= 0:
			return False
		sock.settimeout(left)
		try:
			p = sock.recv(4096)
		except socket.timeout:
			return False
		if len(p) < 2:
			continue
		rid = struct.unpack("!H", p[:2])[0]
		if rid in ids and soa_serial(p, rid) == serial:
			return True


def cmd_notify_wait(a):
	port, origin, serial, timeout = int(a[0]), a[1], int(a[2]), \
	    float(a[3])
	ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	ns.connect(("127.0.0.1", port))
	qs = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	nid, ids, rcode, t = random.randrange(65536), set(), None, None
	msg = struct.pack("!HHHHHH", nid, 0x2400, 1, 0, 0, 0) + \
	    wire_name(origin) + struct.pack("!HH", 6, 1)
	ns.setblocking(False)
	t0 = time.monotonic()
	ns.send(msg)
	while t is None:
		if rcode is None:
			rcode = notify_rcode(ns, nid)
		if rcode:
			sys.exit("benchtool: NOTIFY to port %d answered %s" %
			    (port, RCODE.get(rcode, str(rcode))))
		if poll_serial(qs, port, origin, serial, ids, 0.005):
			t = time.monotonic() - t0
		elif time.monotonic() - t0 > timeout:
			sys.exit("benchtool: no serial %d on port %d %.0f s after "
			    "the NOTIFY (NOTIFY %s)" % (serial, port, timeout,
			    "not answered" if rcode is None else "answered"))
	ns.settimeout(2)
	if rcode is None:
		rcode = notify_rcode(ns, nid)
	if rcode is None:
		sys.exit("benchtool: the NOTIFY to port %d was not answered, "
		    "though serial %d came" % (port, serial))
	if rcode:
		sys.exit("benchtool: NOTIFY to port %d answered %s" %
		    (port, RCODE.get(rcode, str(rcode))))
	print("%.3f" % t)

# ---------------------------------------------------- a fleet fed by secd


def query(qid, name, qtype):
	return struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + wire_name(name) + \
	    struct.pack("!HH", qtype, 1)


def ask_udp(port, name, qtype, tries=10):
	"""One question to 127.0.0.1@PORT, asked again every 0.2 s: the
	answer, or None."""
	sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	try:
		for _ in range(tries):
			qid = random.randrange(65536)
			sock.sendto(query(qid, name, qtype),
			    ("127.0.0.1", port))
			end = time.monotonic() + 0.2
			while time.monotonic() < end:
				sock.settimeout(max(0.001,
				    end - time.monotonic()))
				try:
					p = sock.recv(65535)
				except (socket.timeout, ConnectionRefusedError):
					break
				if len(p) >= 12 and \
				    struct.unpack("!H", p[:2])[0] == qid:
					return p
	finally:
		sock.close()
	return None


def a_records(p):
	"""The A records of the answer section of p, sorted, joined by ","
	(an answer without them: "")."""
	qd, an = struct.unpack("!HH", p[4:8])
	off = 12
	for _ in range(qd):
		off = skip_name(p, off) + 4
	addrs = []
	for _ in range(an):
		off = skip_name(p, off)
		rtype, _, _, rdlen = struct.unpack("!HHIH", p[off:off + 10])
		off += 10
		if rtype == 1 and rdlen == 4:
			addrs.append(socket.inet_ntoa(p[off:off + 4]))
		off += rdlen
	return ",".join(sorted(addrs))


def serial_at(port, origin):
	"""The SOA serial 127.0.0.1@PORT answers for ORIGIN, or None."""
	p = ask_udp(port, origin, 6)
	if p is None:
		return None
	return soa_serial(p, struct.unpack("!H", p[:2])[0])


def fleet_wait(downs, origin, serial, t0, timeout):
	"""Ask each downstream (name, port) ORIGIN SOA every 5 ms over one
	socket until it answers SERIAL or later (RFC 1982); the seconds
	from t0 to each one's first such answer, by name."""
	sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	want = "%d+" % serial
	got, ids, last = {}, {}, {}
	while len(got) < len(downs):
		slot = time.monotonic() + 0.005
		for name, port in downs:
			if name in got:
				continue
			qid = random.randrange(65536)
			while qid in ids:
				qid = random.randrange(65536)
			ids[qid] = name
			try:
				sock.sendto(query(qid, origin, 6),
				    ("127.0.0.1", port))
			except OSError:
				pass
		while True:
			left = slot - time.monotonic()
			if left <= 0:
				break
			sock.settimeout(left)
			try:
				p = sock.recv(4096)
			except socket.timeout:
				break
			except OSError:
				continue
			if len(p) < 12:
				continue
			qid = struct.unpack("!H", p[:2])[0]
			name = ids.get(qid)
			if name is None or name in got:
				continue
			s = soa_serial(p, qid)
			if s is None:
				continue
			last[name] = s
			if serial_ok(s, want):
				got[name] = time.monotonic() - t0
		if time.monotonic() - t0 > timeout:
			sys.exit("benchtool: %.0f s after the toggle, serial "
			    "%d is not served by %s" % (timeout, serial,
			    ", ".join("%s (serves %s)" % (n,
			    last.get(n, "nothing")) for n, _ in downs
			    if n not in got)))
		if len(ids) > 30000:
			ids = {q: n for q, n in ids.items() if n not in got}
	sock.close()
	return got


def cmd_fleet_toggles(a):
	"""Each name of NAMES on then off (secctl proxy), timed from just
	before the exec of secctl until every downstream answers the serial
	secd then serves; secd idle before each; each downstream's answer
	for the name checked after."""
	if len(a) < 9 or a[7] != "--":
		sys.exit("benchtool fleet-toggles: SECCTL SOCK ORIGIN NAMES "
		    "PROXYADDR PORT PID -- NAME:PORT... expected")
	secctl, sock, origin, names, paddr = a[:5]
	port, pid, timeout = int(a[5]), int(a[6]), 300
	downs = [(x.split(":")[0], int(x.split(":")[1])) for x in a[8:]]
	with open(names) as f:
		todo = [l.split() for l in f if l.strip()]
	print("# name how total secctl %s serial" %
	    " ".join(n for n, _ in downs))
	before = serial_at(port, origin)
	for w in todo:
		name, addrs = w[0], w[1] if len(w) > 1 else ""
		for how, want in (("on", paddr), ("off", addrs)):
			wait_idle(pid, timeout)
			t0 = time.monotonic()
			r = subprocess.run([secctl, "-s", sock, "proxy",
			    origin.rstrip("."), name, how],
			    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
			    stderr=subprocess.STDOUT)
			tc = time.monotonic() - t0
			if r.returncode != 0:
				sys.exit("benchtool: secctl proxy %s %s exited "
				    "%d: %s" % (name, how, r.returncode,
				    r.stdout.decode(errors="replace").strip()))
			serial = serial_at(port, origin)
			if serial is None or serial == before:
				sys.exit("benchtool: after secctl proxy %s %s, "
				    "secd serves serial %s, as before" % (name,
				    how, serial))
			got = fleet_wait(downs, origin, serial, t0, timeout)
			for n, p in downs:
				ans = ask_udp(p, name, 1)
				x = "nothing" if ans is None else a_records(ans)
				if x != want:
					sys.exit("benchtool: after secctl "
					    "proxy %s %s, %s answers its A "
					    "'%s', not '%s'" % (name, how, n, x,
					    want))
			print("%s %s %.6f %.6f %s %d" % (name, how,
			    max(got.values()), tc, " ".join("%.6f" % got[n]
			    for n, _ in downs), serial), flush=True)
			before = serial


def skip_question(m):
	"""The offset of the message m's first answer record: after its
	question, when it has one (only the first of a transfer's must)."""
	p = 12
	for _ in range(struct.unpack_from("!H", m, 4)[0]):
		p = skip_name(m, p) + 4
	return p


def axfr_ends(buf, off, end, an, tail):
	"""Whether the message buf[off:end] ends the transfer: its last
	answer record is the SOA (its last 20 bytes of RDATA are tail's).
	Only a message whose last bytes are those is walked."""
	ar = struct.unpack_from("!H", buf, off + 10)[0]
	if an == 0 or (ar == 0 and buf[end - 20:end] != tail):
		return False
	m = bytes(buf[off:end])
	p = skip_question(m)
	for _ in range(an):
		p = skip_name(m, p)
		rtype, _, _, rdlen = struct.unpack("!HHIH", m[p:p + 10])
		p += 10 + rdlen
	return rtype == 6 and m[p - 20:p] == tail


def soa_tail(buf, off, end):
	"""The last 20 bytes of the RDATA of the message's first answer
	record, which must be a SOA."""
	m = bytes(buf[off:end])
	if struct.unpack_from("!H", m, 6)[0] == 0:
		sys.exit("benchtool: the AXFR's first message has no record")
	p = skip_name(m, skip_question(m))
	rtype, _, _, rdlen = struct.unpack("!HHIH", m[p:p + 10])
	if rtype != 6:
		sys.exit("benchtool: the AXFR does not start with a SOA")
	return m[p + 10 + rdlen - 20:p + 10 + rdlen]


def cmd_axfr_time(a):
	"""An AXFR of ORIGIN from 127.0.0.1@PORT over TCP, read whole: the
	records counted from each message's ANCOUNT (no record parsed but
	the first SOA and those of the last message), "RECORDS SECONDS
	MESSAGES BYTES CPU", the seconds from just before the connect to the
	last message read, CPU the reader's own."""
	port, origin = int(a[0]), a[1]
	timeout = float(a[2]) if len(a) > 2 else 600
	qid = random.randrange(65536)
	q = query(qid, origin, 252)
	s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
	s.settimeout(timeout)
	chunk = bytearray(1 << 20)
	view = memoryview(chunk)
	buf = bytearray()
	records = msgs = nbytes = 0
	tail = None
	c0 = time.process_time()
	t0 = time.monotonic()
	s.connect(("127.0.0.1", port))
	s.sendall(struct.pack("!H", len(q)) + q)
	while True:
		n = s.recv_into(view)
		if n == 0:
			sys.exit("benchtool: the AXFR from port %d ended "
			    "after %d messages, %d records, without its last "
			    "SOA" % (port, msgs, records))
		buf += view[:n]
		nbytes += n
		off, done = 0, False
		while len(buf) - off >= 2:
			ln = buf[off] << 8 | buf[off + 1]
			if len(buf) - off - 2 < ln:
				break
			mo, end = off + 2, off + 2 + ln
			off = end
			if ln < 12:
				sys.exit("benchtool: a short AXFR message")
			rid, flags, _, an = struct.unpack_from("!HHHH", buf, mo)
			if rid != qid or not flags & 0x8000:
				sys.exit("benchtool: an AXFR message not ours")
			if flags & 0xf:
				sys.exit("benchtool: AXFR from port %d "
				    "answered %s" % (port, RCODE.get(flags &
				    0xf, str(flags & 0xf))))
			# the first message's first record is the SOA that
			# starts the transfer, not the one that ends it
			first = tail is None
			if first:
				tail = soa_tail(buf, mo, end)
			records += an
			msgs += 1
			if (not first or an >= 2) and \
			    axfr_ends(buf, mo, end, an, tail):
				done = True
				break
		if done:
			break
		del buf[:off]
	t = time.monotonic() - t0
	c = time.process_time() - c0
	s.close()
	print(records, "%.6f" % t, msgs, nbytes, "%.6f" % c)

# -------------------------------------------------------------- processes


def tree(root):
	"""root and its descendants, from /proc."""
	kids = {}
	for e in os.listdir("/proc"):
		if not e.isdigit():
			continue
		try:
			with open("/proc/%s/stat" % e) as f:
				x = f.read().rsplit(")", 1)[1].split()
			ppid = int(x[1])
		except (OSError, IndexError, ValueError):
			continue
		kids.setdefault(ppid, []).append(int(e))
	out, todo = [], [root]
	while todo:
		p = todo.pop()
		out.append(p)
		todo.extend(kids.get(p, []))
	return out


def ticks(root):
	"""utime+stime of root and its descendants, in clock ticks."""
	n = 0
	for p in tree(root):
		try:
			with open("/proc/%d/stat" % p) as f:
				x = f.read().rsplit(")", 1)[1].split()
		except OSError:
			continue
		n += int(x[11]) + int(x[12])	# utime, stime
	return n


def cmd_cpu(a):
	print("%.2f" % (ticks(int(a[0])) / os.sysconf("SC_CLK_TCK")))


def wait_idle(pid, timeout):
	"""The seconds until pid and its descendants used no CPU for a whole
	second; exits after timeout, or when pid exited."""
	hz = os.sysconf("SC_CLK_TCK")
	t0 = time.monotonic()
	seen = [(t0, ticks(pid))]
	while True:
		time.sleep(0.25)
		if not alive(pid):
			sys.exit("benchtool: the server (pid %d) exited" % pid)
		now = time.monotonic()
		seen.append((now, ticks(pid)))
		while len(seen) > 1 and now - seen[1][0] >= 1:
			seen.pop(0)
		# under 2 % of a CPU over the last second: timers, not work
		if now - seen[0][0] >= 1 and \
		    seen[-1][1] - seen[0][1] <= 0.02 * hz * (now - seen[0][0]):
			return now - t0
		if now - t0 > timeout:
			sys.exit("benchtool: pid %d still busy after %.0f s" %
			    (pid, timeout))


def cmd_idle(a):
	print("%.3f" % wait_idle(int(a[0]), float(a[1])))


def cmd_mem(a):
	rss = pss = n = 0
	for p in tree(int(a[0])):
		try:
			with open("/proc/%d/smaps_rollup" % p) as f:
				for l in f:
					k = l.split()
					if k[0] == "Rss:":
						rss += int(k[1])
					elif k[0] == "Pss:":
						pss += int(k[1])
			n += 1
		except OSError:
			continue
	print(rss, pss, n)

# ------------------------------------------------------------ zone change


def cmd_change(a):
	src, dst, serial = a
	with open(src) as f:
		lines = f.read().split("\n")
	soa, cand = None, []
	for i, l in enumerate(lines):
		w = l.split()
		if len(w) >= 7 and w[2] == "IN" and w[3] == "SOA" and \
		    soa is None:
			soa = i
		elif len(w) == 5 and w[2:4] == ["IN", "A"] and \
		    re.match(r"[a-z]+[0-9]+\.", w[0]) and w[4].startswith("10."):
			cand.append(i)
	if soa is None or len(cand) < 7:
		sys.exit("benchtool change: %s: no SOA or too few A records" %
		    src)
	w = lines[soa].split()
	origin = w[0]
	w[6] = serial
	lines[soa] = " ".join(w)
	print("serial %s" % serial)
	# seven A records spread over the zone: four changed, three deleted
	pick = [cand[(2 * k + 1) * len(cand) // 14] for k in range(7)]
	for k, i in enumerate(pick):
		w = lines[i].split()
		if k < 4:
			print("changed %s A %s -> 198.51.100.%d" % (w[0], w[4],
			    k + 1))
			w[4] = "198.51.100.%d" % (k + 1)
			lines[i] = " ".join(w)
		else:
			print("deleted %s A %s" % (w[0], w[4]))
			lines[i] = None
	lines = [l for l in lines if l is not None]
	while lines and lines[-1] == "":
		lines.pop()
	for k in range(3):
		l = "notify-new%d.%s 300 IN A 203.0.113.%d" % (k, origin, k + 1)
		print("added %s" % l)
		lines.append(l)
	with open(dst + ".tmp", "w") as f:
		f.write("\n".join(lines) + "\n")
	os.rename(dst + ".tmp", dst)

# ---------------------------------------------------------------- dnsperf


def cmd_dnsperf(a):
	keys = {"Queries sent:": "sent", "Queries completed:": "completed",
	    "Queries lost:": "lost", "Run time (s):": "runtime",
	    "Queries per second:": "qps", "Latency StdDev (s):": "latsd"}
	with open(a[0]) as f:
		for l in f:
			l = l.strip()
			for k, v in keys.items():
				if l.startswith(k):
					print(v, l[len(k):].split()[0])
			m = re.match(r"Average Latency \(s\):\s+(\S+) "
			    r"\(min (\S+), max (\S+)\)", l)
			if m:
				print("latavg", m.group(1))
				print("latmin", m.group(2))
				print("latmax", m.group(3))
			m = re.match(r"Average packet size:\s+request (\d+), "
			    r"response (\d+)", l)
			if m:
				print("reqsize", m.group(1))
				print("respsize", m.group(2))
			if l.startswith("Response codes:"):
				for rc, n in re.findall(r"([A-Z]+) (\d+) \(",
				    l):
					print("rcode_" + rc, n)


def cmd_latency(a):
	lat = []
	with open(a[0]) as f:
		for l in f:
			if l.startswith("> "):
				try:
					lat.append(float(l.split()[-1]))
				except ValueError:
					pass
	if not lat:
		return
	lat.sort()
	for name, q in (("p50", .5), ("p90", .9), ("p99", .99),
	    ("p999", .999)):
		print(name, pctl(lat, q))


def pctl(v, q):
	"""The q quantile of the sorted v: below 100 values, p99 is the
	largest."""
	return v[min(len(v) - 1, int(q * len(v)))]


def cmd_pct(a):
	with open(a[0]) as f:
		v = sorted(float(l) for l in f if l.strip())
	if not v:
		sys.exit("benchtool pct: %s: no numbers" % a[0])
	print("p50", pctl(v, .5))
	print("p99", pctl(v, .99))
	print("n", len(v))


def cmd_timed(a):
	"""Run CMD, its output to OUT; print its time from exec to exit.  The
	wait blocks (subprocess's wait with a timeout polls, in steps of up
	to 50 ms, which would round the times up); an alarm kills CMD after
	TIMEOUT seconds."""
	if len(a) < 4 or a[2] != "--":
		sys.exit("benchtool timed: OUT TIMEOUT -- CMD expected")
	with open(a[0], "wb") as out:
		t0 = time.monotonic()
		p = subprocess.Popen(a[3:], stdin=subprocess.DEVNULL,
		    stdout=out, stderr=subprocess.STDOUT)
		killed = []

		def kill(signum, frame):
			killed.append(1)
			p.kill()
		signal.signal(signal.SIGALRM, kill)
		signal.setitimer(signal.ITIMER_REAL, float(a[1]))
		rc = p.wait()
		t = time.monotonic() - t0
		signal.setitimer(signal.ITIMER_REAL, 0)
		if killed:
			out.write(b"\nbenchtool: killed after %s s\n" %
			    a[1].encode())
			sys.exit(124)
	if rc != 0:
		sys.exit(rc if rc > 0 else 1)
	print("%.6f" % t)

# ---------------------------------------------------------- proxy overrides


OWN_A, OWN_ADDR = 1, 2		# owns A; owns A, AAAA or CNAME


def zone_owners(path, origin):
	"""The owners of the zone file (lower case, in file order), each with
	its OWN_ flags, and the delegation points (owners of NS other than
	the apex).  Records are one a line, owners absolute."""
	owners, cuts = {}, set()
	flag = {"A": OWN_A | OWN_ADDR, "AAAA": OWN_ADDR, "CNAME": OWN_ADDR}
	with open(path) as f:
		for l in f:
			w = l.split(None, 4)
			if len(w) < 5 or w[2] != "IN" or l[0] in ";$":
				continue
			o = w[0].lower()
			owners[o] = owners.get(o, 0) | flag.get(w[3], 0)
			if w[3] == "NS" and o != origin:
				cuts.add(o)
	return owners, cuts


def proxiable(o, origin, cuts):
	"""Not the apex, not a wildcard, not at or below a delegation."""
	if o == origin or o.startswith("*."):
		return False
	while o != origin and o.endswith("." + origin):
		if o in cuts:
			return False
		o = o.split(".", 1)[1]
	return True


def cmd_toggle_names(a):
	path, origin, n = a[0], a[1].lower(), int(a[2])
	owners, cuts = zone_owners(path, origin)
	cand = [o for o, t in owners.items() if t & OWN_A and
	    proxiable(o, origin, cuts)]
	del owners
	if len(cand) < n:
		sys.exit("benchtool toggle-names: %s: %d names with A records, "
		    "%d wanted" % (path, len(cand), n))
	pick = {cand[(2 * k + 1) * len(cand) // (2 * n)]: [] for k in
	    range(n)}
	with open(path) as f:
		for l in f:
			w = l.split()
			if len(w) == 5 and w[2:4] == ["IN", "A"] and \
			    w[0].lower() in pick:
				pick[w[0].lower()].append(w[4])
	for o, addrs in pick.items():
		print(o, ",".join(sorted(addrs)))


def cmd_overrides(a):
	path, origin, pct, when, source, out = a[0], a[1].lower(), \
	    float(a[2]), int(a[3]), a[4], a[5]
	owners, cuts = zone_owners(path, origin)
	cand = [o for o, t in owners.items() if t & OWN_ADDR and
	    proxiable(o, origin, cuts)]
	k = int(round(len(cand) * pct / 100))
	pick = sorted(random.Random(6).sample(range(len(cand)), k))
	sample = next((cand[i] for i in pick if owners[cand[i]] & OWN_A),
	    None)
	if sample is None:
		sys.exit("benchtool overrides: %s: no name with an A record "
		    "among the %d picked" % (path, k))
	with open(out + ".tmp", "w") as f:
		f.write("secd-overrides 1\n")
		for i in pick:
			f.write("proxy on %s %d %s\n" % (cand[i], when, source))
	os.rename(out + ".tmp", out)
	print(k, len(cand), sample)


def cmd_proxied(a):
	def load(p):
		with open(p) as f:
			s = json.load(f)
		return s["queries_udp"] + s["queries_tcp"], \
		    sum(x["answers"] for x in s.get("proxied", []))
	q0, p0 = load(a[0])
	q1, p1 = load(a[1])
	if q1 <= q0:
		sys.exit("benchtool proxied: no queries between %s and %s" %
		    (a[0], a[1]))
	print("%.2f" % (100 * (p1 - p0) / (q1 - q0)))


def cmd_hostile_stats(a):
	if a[0] == "secd":
		with open(a[1]) as f:
			st = json.load(f)
		q = st["queries_udp"]
		print(st["rrl_limited"], "%.2f" % (100 * st["cookie_valid"] / q)
		    if q else "-")
		return
	n = 0
	with open(a[1]) as f:
		for l in f:
			m = re.match(r"mod-rrl\.(slipped|dropped) = (\d+)$",
			    l.strip())
			if m:
				n += int(m.group(2))
	print(n, "-")

# ----------------------------------------------------------------- report


def num(v):
	try:
		return float(v)
	except (TypeError, ValueError):
		return None


def fmt(v, digits=3):
	if v is None:
		return "n/a"
	if v >= 100:
		return "%.0f" % v
	return "%.*g" % (digits, v)


def ratio(a, b):
	a, b = num(a), num(b)
	if a is None or b is None or b == 0:
		return "n/a"
	return "%.2f" % (a / b)


ROWS = (
	# key, title, scale (None: words, not figures), whether ratios mean
	# something
	("maxqps", "max QPS (best run)", 1, True),
	("maxclients", "dnsperf clients (-c) of the best run", 1, False),
	("maxbusy", "server CPU busy in the best long run (%)", 100, False),
	("capacity", "QPS per CPU second of the server in that run",
	    1, True),
	("cpuq", "server CPU per query at the fixed rate (us)", 1e6, True),
	("fixedqps", "answered per s at the fixed rate", 1, False),
	("latavg", "latency at the fixed rate: average (us)", 1e6, True),
	("p50", "latency at the fixed rate: p50 (us)", 1e6, True),
	("p99", "latency at the fixed rate: p99 (us)", 1e6, True),
	("p999", "latency at the fixed rate: p99.9 (us)", 1e6, True),
	("rss", "RSS after load, all processes (MiB)", 1 / 1024, True),
	("pss", "PSS after load, all processes (MiB)", 1 / 1024, True),
	("nprocs", "processes", 1, False),
	("start", "start to first answer (s)", 1, True),
	("axfr", "secd: exec to serving the AXFRed zone (s)", 1, False),
	("xfrstart", "secondary of Knot: exec to serving the zone by AXFR "
	    "(s)", 1, True),
	("notify", "NOTIFY to new serial served (s)", 1, True),
	("notifyxfr", "transfer after the NOTIFY", None, False),
	("noerror", "answers NOERROR at the fixed rate (%)", 1, False),
	("nxdomain", "answers NXDOMAIN at the fixed rate (%)", 1, False),
	# the proxy stage: secd only
	("togglep50", "toggle to served, p50 (s)", 1, False),
	("togglep99", "toggle to served, p99 (s)", 1, False),
	("togglen", "toggles timed (on and off)", 1, False),
	("apexset", "secctl apex ZONE cname NAME (flattened) to served (s)",
	    1, False),
	("apextogglep50", "toggle of the apex CNAME's target to served, p50 "
	    "(s)", 1, False),
	("apextogglep99", "toggle of the apex CNAME's target to served, p99 "
	    "(s)", 1, False),
	("proxynames", "names proxied in the 30% stage", 1, False),
	("proxystart", "secd: exec to first answer with 30% of names "
	    "proxied, image rebuilt (s)", 1, False),
	("proxyaudit", "secctl audit of the zone, 30% of names proxied "
	    "(s)", 1, False),
	("proxymaxqps", "max QPS, 30% of names proxied", 1, False),
	("proxyratio", "max QPS, 30% of names proxied / none proxied", 1,
	    False),
	("proxybusy", "server CPU busy in the best long run, 30% proxied "
	    "(%)", 100, False),
	("proxyanswers", "answers with the proxy addresses, 30% proxied "
	    "(% of queries)", 1, False),
)


# The DNSSEC stage (bench/run, dnssec_stage): its figures are the same
# keys with "dnssec" before them, in a table of their own per size.
DNSSEC_SERVERS = ("nsd", "knot", "secd")
DNSSEC_ROWS = (
	("dnsseccpuq", "server CPU per query DO=1 (us)", 1e6, True),
	("dnssecdo0cpuq", "secd CPU per query DO=0 on the signed zone (us)",
	    1e6, False),
	("dnssecpss", "PSS once idle (MiB)", 1 / 1024, True),
	("dnssecnotify", "NOTIFY to new serial served after a re-sign (s)",
	    1, True),
	("dnssecnotifyxfr", "transfer after the NOTIFY", None, False),
	("dnssecpartnotify", "NOTIFY to new serial served after a partial "
	    "re-sign, a sixteenth of the names (s)", 1, True),
	("dnssecpartnotifyxfr", "transfer after that NOTIFY", None, False),
	("dnssecmaxqps", "max QPS DO=1 (best run)", 1, True),
	# NSD adds the NS RRset (and its RRSIG) to positive answers
	("dnssecrespsize", "average answer at the fixed rate DO=1 (bytes)", 1,
	    True),
)


def table(r, srvs, rows, pairs):
	"""The markdown lines of a table: a column per server of srvs, a row
	per entry of rows that has a figure, the ratios of pairs after (only
	where the row's ratios mean something); [] when no row has one."""
	hdr = ["figure"] + [TITLE[s] for s in srvs] + \
	    ["%s/%s" % (TITLE[a], TITLE[b]) for a, b in pairs]
	o = []
	for key, title, scale, ratios in rows:
		vals = {s: r[s].get(key) for s in srvs}
		if all(v is None for v in vals.values()):
			continue
		if scale is None:
			o.append("| " + " | ".join([title] +
			    ["n/a" if v is None else v.upper() for v
			    in vals.values()] + ["n/a"] * len(pairs)) + " |")
			continue
		sc = {s: None if num(v) is None else num(v) * scale
		    for s, v in vals.items()}
		cells = [title] + [fmt(sc[s]) for s in srvs]
		g = sc.get if ratios else lambda _: None
		cells += [ratio(g(a), g(b)) for a, b in pairs]
		o.append("| " + " | ".join(cells) + " |")
	if not o:
		return []
	return ["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)] + o


def goal(out, text, a, b, limit):
	"""Append to out the goal a / b <= limit: (text, value, verdict)."""
	q = None
	# zero CPU or memory is a server that was not measured
	if num(a) not in (None, 0) and num(b) not in (None, 0):
		q = num(a) / num(b)
	out.append((text, "n/a" if q is None else "%.2f" % q,
	    "n/a" if q is None else "met" if q <= limit else "NOT met"))


def goals_md(gl):
	"""The lines of a goals table, [] when none was measured."""
	if all(v == "n/a" for _, v, _ in gl):
		return []
	o = ["Design goals (measured on this run):\n", "| goal | measured | "
	    "verdict |", "|---|---|---|"]
	for t, v, verdict in gl:
		o.append("| %s | %s | %s |" % (t, v, verdict))
	return o + [""]


def goals(size, r):
	"""The design goals, each measured: (text, value, verdict)."""
	s = r.get("secd", {})
	out = []

	def g(text, a, b, limit):
		goal(out, text, a, b, limit)

	g("secd CPU/query <= 1.15 x floor", s.get("cpuq"),
	    r.get("floor", {}).get("cpuq"), 1.15)
	g("secd CPU/query <= 0.85 x Knot", s.get("cpuq"),
	    r.get("knot", {}).get("cpuq"), 0.85)
	g("secd CPU/query <= 0.70 x NSD", s.get("cpuq"),
	    r.get("nsd", {}).get("cpuq"), 0.70)
	if int(size) >= 1000000:
		g("secd PSS <= 0.75 x Knot (1M zone)", s.get("pss"),
		    r.get("knot", {}).get("pss"), 0.75)
	st = num(s.get("start"))
	out.append(("secd start to first answer < 1 s",
	    "n/a" if st is None else "%.3f s" % st,
	    "n/a" if st is None else "met" if st < 1 else "NOT met"))
	return out


def dnssec_section(size, r, z):
	"""The lines of the signed zone's table of one size, its notes, errors
	and goals; [] when the DNSSEC stage did not run at that size."""
	srvs = [s for s in DNSSEC_SERVERS if s in r and
	    any(k.startswith("dnssec") for k in r[s])]
	if not srvs:
		return []
	o = ["### signed zone (NSEC3), %s names (%s records, %s RRSIGs)%s%s\n"
	    % (size, z.get("dnssecrecords", "?"), z.get("dnssecrrsigs", "?"),
	    ", fixed rate %s qps" % z["dnssecrate"] if "dnssecrate" in z
	    else "", "; signed by dnssec-signzone in %s s" %
	    fmt(num(z["dnssecsigntime"])) if "dnssecsigntime" in z else "")]
	tb = table(r, srvs, DNSSEC_ROWS, (("secd", "nsd"), ("secd", "knot")))
	if tb:
		o += tb + [""]
	rate = num(z.get("dnssecrate"))
	share = {}
	for s in srvs:
		x = r[s]
		b = num(x.get("dnssecmaxbusy"))
		if b is not None and b < 0.95:
			o.append("- %s: max QPS with DO=1 not CPU-bound "
			    "(busy %.0f %% of the run)" % (TITLE[s], 100 * b))
		for k, what in (("dnssec", "DO=1"), ("dnssecdo0", "DO=0")):
			q = num(x.get(k + "fixedqps"))
			if q is not None and rate and q < 0.98 * rate:
				o.append("- %s did **not sustain** the fixed "
				    "rate with %s: its CPU per query is for "
				    "%.0f qps" % (TITLE[s], what, q))
		for k, what, d in (("dnssec", "re-sign", "update"),
		    ("dnssecpart", "partial re-sign", "partial")):
			t = x.get(k + "notifyxfr")
			if t is not None and t != "ixfr":
				o.append("- %s: the NOTIFY after the %s led to "
				    "%s, not an IXFR (work/%s/dnssec/%s/xfr.txt)"
				    % (TITLE[s], what, "an AXFR" if t == "axfr"
				    else "a transfer its log does not name",
				    size, d))
		c = num(x.get("dnssecfixedcompleted"))
		if c:
			share[s] = {k[len("dnssecrcode_"):]: 100 * num(v) / c
			    for k, v in x.items() if k.startswith("dnssecrcode_")
			    and num(v) is not None}
	# the same queries: the same answers' rcodes from every server
	rcs = sorted({k for v in share.values() for k in v})
	if any(max(v.get(k, 0) for v in share.values()) -
	    min(v.get(k, 0) for v in share.values()) > 0.5 for k in rcs) or \
	    any(k not in ("NOERROR", "NXDOMAIN") for k in rcs):
		o.append("- the answers at the fixed rate with DO=1 differ: " +
		    "; ".join("%s %s" % (TITLE[s], ", ".join("%.1f %% %s" %
		    (v[k], k) for k in rcs if k in v)) for s, v in
		    share.items()))
	for s in srvs:
		for k in ("dnssecerror", "dnssecparterror"):
			if k in r[s]:
				o.append("- **%s failed** on the signed zone%s: "
				    "%s" % (TITLE[s], " (partial re-sign)" if
				    "part" in k else "", r[s][k]))
	if o[-1] != "" and not o[-1].endswith("\n"):
		o.append("")
	x, k = r.get("secd", {}), r.get("knot", {})
	gl = []
	goal(gl, "secd CPU/query DO=1 <= 0.85 x Knot DO=1",
	    x.get("dnsseccpuq"), k.get("dnsseccpuq"), 0.85)
	goal(gl, "secd CPU/query DO=1 <= 1.2 x secd DO=0 (signed zone)",
	    x.get("dnsseccpuq"), x.get("dnssecdo0cpuq"), 1.2)
	goal(gl, "secd NOTIFY to served after a re-sign <= Knot",
	    x.get("dnssecnotify"), k.get("dnssecnotify"), 1)
	goal(gl, "secd NOTIFY to served after a partial re-sign <= Knot",
	    x.get("dnssecpartnotify"), k.get("dnssecpartnotify"), 1)
	return o + goals_md(gl)


# The hostile stage (bench/run, hostile_stage): "hostile", the setting,
# the key; a table of its own per size.
HOSTILE_KINDS = (
	("off", "RRL and cookies off, first run"),
	("off2", "RRL and cookies off, last run"),
	("rrl", "RRL on, no COOKIE option"),
	("cookie", "cookies on, valid server cookie"),
	("on", "RRL and cookies on, valid server cookie"),
	("oncc", "RRL and cookies on, client cookie only"),
)
HOSTILE_ROWS = tuple(("hostile%scpuq" % k, "CPU per query, %s (us)" % t,
    1e6, True) for k, t in HOSTILE_KINDS) + tuple(
    ("hostile%sratio" % k, "%s / off" % t, 1, False) for k, t in
    HOSTILE_KINDS[2:]) + (
	("hostileoff2ratio", "off: last run / first run (the noise)", 1,
	    False),
	("hostileonvalidpct", "secd: queries with a valid server cookie, "
	    "both on (%)", 1, False),
)


def hostile_derive(x):
	"""Each setting's CPU per query over the mean of the two off runs
	(the last over the first too) into x."""
	offs = [num(x.get("hostile%scpuq" % k)) for k in ("off", "off2")]
	offs = [v for v in offs if v]
	if not offs:
		return
	base = sum(offs) / len(offs)
	for k, _ in HOSTILE_KINDS[2:]:
		v = num(x.get("hostile%scpuq" % k))
		if v is not None:
			x["hostile%sratio" % k] = v / base
	if len(offs) == 2:
		x["hostileoff2ratio"] = offs[1] / offs[0]
	x["hostilebase"] = base


def hostile_notes(size, r, srvs, rate):
	"""The notes of the hostile table: a rate not sustained, answers
	other than NOERROR and NXDOMAIN, errors."""
	o = []
	for s in srvs:
		x = r[s]
		for k, t in HOSTILE_KINDS:
			q = num(x.get("hostile%sfixedqps" % k))
			if q is not None and rate and q < 0.98 * rate:
				o.append("- %s did **not sustain** the rate with %s:"
				    " %.0f qps" % (TITLE[s], t, q))
			c = num(x.get("hostile%sfixedcompleted" % k))
			pfx = "hostile%srcode_" % k
			odd = ["%.1f %% %s" % (100 * num(v) / c, rc[len(pfx):])
			    for rc, v in sorted(x.items()) if c and
			    rc.startswith(pfx) and rc[len(pfx):] not in
			    ("NOERROR", "NXDOMAIN")]
			if odd:
				o.append("- %s, %s: answers %s (dnsperf names the "
				    "header's 4 bits: BADCOOKIE, 23, is YXRRSET)" %
				    (TITLE[s], t, ", ".join(odd)))
			lim = num(x.get("hostile%slimited" % k))
			if lim and c:
				o.append("- %s, %s: %.0f answers (%.2f %%) rate "
				    "limited at the largest limit it takes" %
				    (TITLE[s], t, lim, 100 * lim / c))
		if "hostileerror" in x:
			o.append("- **%s failed** in the hostile stage: %s" %
			    (TITLE[s], x["hostileerror"]))
	return o


def hostile_section(size, r, z):
	"""The lines of the RRL and cookies table of one size, its notes and
	goals; [] when the hostile stage did not run at that size."""
	srvs = [s for s in ("secd", "knot") if s in r and
	    any(k.startswith("hostile") for k in r[s])]
	if not srvs:
		return []
	for s in srvs:
		hostile_derive(r[s])
	o = ["### RRL and cookies, %s names%s\n" % (size, ", fixed rate %s "
	    "qps" % z["hostilerate"] if "hostilerate" in z else "")]
	tb = table(r, srvs, HOSTILE_ROWS, (("secd", "knot"),))
	if tb:
		o += tb + [""]
	o += hostile_notes(size, r, srvs, num(z.get("hostilerate")))
	if o[-1] != "" and not o[-1].endswith("\n"):
		o.append("")
	x, gl = r.get("secd", {}), []
	goal(gl, "secd CPU/query, RRL and cookies on, valid server cookie <= "
	    "1.05 x off", x.get("hostileoncpuq"), x.get("hostilebase"), 1.05)
	goal(gl, "secd CPU/query, RRL and cookies on, client cookie only <= "
	    "1.05 x off", x.get("hostileoncccpuq"), x.get("hostilebase"), 1.05)
	return o + goals_md(gl)


# The zones stage (bench/run, zones_stage): "zones" before the keys, a
# table of its own per zone count.  No row starts as a main table's row
# that regress/bench checks ("server CPU per query", "processes", ...).
ZONES_SERVERS = ("nsd", "knot", "secd")
ZONES_ROWS = (
	("zonesstart", "fresh start: exec to every zone served (s)", 1, True),
	("zonespss", "PSS once idle, all processes (MiB)", 1 / 1024, True),
	("zonesrss", "RSS once idle, all processes (MiB)", 1 / 1024, True),
	("zonesnprocs", "process count", 1, False),
	("zonescpuq", "CPU per query at the fixed rate, random zones (us)",
	    1e6, True),
	("zonesfixedqps", "answered per s at the fixed rate", 1, False),
	("zonesnoerror", "answers NOERROR at the fixed rate (%)", 1, False),
	("zonesnxdomain", "answers NXDOMAIN at the fixed rate (%)", 1,
	    False),
	("zoneslatavg", "latency at the fixed rate: average (us)", 1e6, True),
	("zonesp99", "latency at the fixed rate: p99 (us)", 1e6, True),
	("zonesadd", "secd: one zone added (secctl reload) to served (s)", 1,
	    False),
	("zonesaddcmd", "secd: that secctl reload, exec to exit (s)", 1,
	    False),
	("zonescatadd", "secd: one zone added to its catalog (secctl "
	    "refresh of the catalog) to served (s)", 1, False),
	("zonesrestart", "secd: restart from its storage to every zone "
	    "served (s)", 1, False),
	("zonesscrape", "secd: one metrics scrape, GET to its last byte, "
	    "the fastest of 3 (s)", 1, False),
	("zonesscrapemb", "secd: that scrape's text (MB)", 1e-6, False),
)


def zones_section(size, r, z):
	"""The lines of the many-zones table of one zone count, its notes and
	goals; [] when the zones stage did not run at that count."""
	srvs = [s for s in ZONES_SERVERS if s in r and
	    any(k.startswith("zones") for k in r[s])]
	if not srvs:
		return []
	for s in srvs:
		x = r[s]
		c = num(x.get("zonesfixedcompleted"))
		if c:
			for rc in ("noerror", "nxdomain"):
				n = num(x.get("zonesrcode_" + rc.upper()))
				x["zones" + rc] = 100 * (n or 0) / c
	o = ["### %s zones of %s records%s%s\n" % (size,
	    z.get("zonesrecords", "?"), ", fixed rate %s qps" % z["zonesrate"]
	    if "zonesrate" in z else "", "; the NSD primary served them %s s "
	    "after exec" % fmt(num(z["zonesprimary"])) if "zonesprimary" in z
	    else "")]
	tb = table(r, srvs, ZONES_ROWS, (("secd", "nsd"), ("secd", "knot")))
	if tb:
		o += tb + [""]
	rate = num(z.get("zonesrate"))
	for s in srvs:
		q = num(r[s].get("zonesfixedqps"))
		if q is not None and rate and q < 0.98 * rate:
			o.append("- %s did **not sustain** the fixed rate: its "
			    "CPU per query is for %.0f qps" % (TITLE[s], q))
		if "zoneserror" in r[s]:
			o.append("- **%s failed** in the zones stage: %s" %
			    (TITLE[s], r[s]["zoneserror"]))
	if o[-1] != "" and not o[-1].endswith("\n"):
		o.append("")
	x, n, k = r.get("secd", {}), r.get("nsd", {}), r.get("knot", {})
	gl = []
	goal(gl, "secd PSS <= NSD", x.get("zonespss"), n.get("zonespss"), 1)
	goal(gl, "secd PSS <= 2 x Knot", x.get("zonespss"), k.get("zonespss"),
	    2)
	goal(gl, "secd fresh start to every zone served <= NSD",
	    x.get("zonesstart"), n.get("zonesstart"), 1)
	for key, text in (("zonesrestart", "secd restart to every zone "
	    "served <= 1 s"), ("zonesadd", "secd one zone added to served "
	    "<= 1 s"), ("zonescatadd", "secd one zone added by catalog to "
	    "served <= 1 s")):
		t = num(x.get(key))
		gl.append((text, "n/a" if t is None else "%.3f s" % t,
		    "n/a" if t is None else "met" if t <= 1 else "NOT met"))
	goal(gl, "secd CPU/query <= 0.85 x Knot", x.get("zonescpuq"),
	    k.get("zonescpuq"), 0.85)
	return o + goals_md(gl)


# The fleet stage (bench/run, fleet_stage): "fleet" before the keys, a
# table of its own per zone size: the toggles to a fleet (secd's column)
# at one size, the AXFR out rate of secd and Knot at another.
FLEET_SERVERS = ("secd", "knot")
FLEET_DOWNS = (("nsd", "NSD"), ("knot", "Knot"), ("bind", "BIND"),
    ("secd2", "the second secd"))
FLEET_ROWS = (
	("fleettogglep50", "toggle to every downstream serving it, p50 (s)",
	    1, False),
	("fleettogglep99", "toggle to every downstream serving it, p99 (s)",
	    1, False),
	("fleettogglen", "toggles timed (on and off)", 1, False),
	("fleetsecctlp50", "secctl proxy alone, exec to exit, p50 (s)", 1,
	    False),
	("fleetixfr", "transfers out after the toggles: IXFR of the "
	    "difference", 1, False),
	("fleetwhole", "transfers out after the toggles: the whole zone "
	    "(AXFR, or IXFR answered with it)", 1, False),
	("fleetimg", "NAME.img after the toggles (MiB)", 1 / 1048576, False),
	("fleetovl", "NAME.ovl after the toggles (MiB)", 1 / 1048576, False),
	("fleethistory", "history kept: NAME.ovl / NAME.img (%)", 1, False),
	("fleetaxfrrate", "AXFR out over TCP, records/s (best of 3)", 1,
	    True),
	("fleetaxfrtime", "AXFR out over TCP, s (best of 3)", 1, True),
	("fleetaxfrrecords", "records per AXFR", 1, False),
	("fleetaxfrmsgs", "messages per AXFR", 1, False),
	("fleetaxfrbytes", "bytes per AXFR, with the TCP length fields "
	    "(MiB)", 1 / 1048576, True),
	("fleetaxfrcpu", "the reader's CPU in the best AXFR (s)", 1, False),
)


def fleet_notes(r, z):
	"""The notes of the fleet table: each downstream's times, transfers
	and folds, the AXFR runs, errors."""
	o, x = [], r.get("secd", {})
	n = num(x.get("fleettogglen"))
	if n is not None and n < 100:
		o.append("- the toggle p99 is the slowest of the %d toggles "
		    "timed (too few for a 99th percentile)" % n)
	d = ["%s %s / %s" % (t, fmt(num(x.get("fleet%sp50" % k))),
	    fmt(num(x.get("fleet%sp99" % k)))) for k, t in FLEET_DOWNS
	    if "fleet%sp50" % k in x]
	if d:
		o.append("- toggle to each downstream serving it, p50 / p99 "
		    "(s): " + ", ".join(d))
	if "fleetknotrefreshp50" in x:
		o.append("- the Knot downstream's own time for each of those "
		    "transfers (its log: \"zone updated, S seconds\", the "
		    "transfer and its commit), p50 / slowest of %s: %s / %s s" %
		    (x.get("fleetknotrefreshn", "?"),
		    fmt(num(x["fleetknotrefreshp50"])),
		    fmt(num(x.get("fleetknotrefreshp99")))))
	for k, what in (("fleetxfrfailed", "transfers out cut or refused "
	    "during the toggles"), ("fleetfolds", "folds of the overlays into "
	    "a new image during the toggles (each makes a new base: the "
	    "versions before it are no longer kept)")):
		v = num(x.get(k))
		if v:
			o.append("- %s: %.0f" % (what, v))
	if "fleethistory" in x:
		o.append("- the overlays (the versions kept for IXFR) are "
		    "folded into a new base once they grow the image by an "
		    "eighth (zoned), which bounds the history")
	runs = ["%s %s s" % (TITLE[s], ", ".join(r[s]["fleetaxfrruns"].split()))
	    for s in FLEET_SERVERS if s in r and "fleetaxfrruns" in r[s]]
	if runs:
		o.append("- AXFR runs: " + "; ".join(runs))
	for s in FLEET_SERVERS:
		c = num(r.get(s, {}).get("fleetaxfrcpu"))
		t = num(r.get(s, {}).get("fleetaxfrtime"))
		if c is not None and t and c > 0.8 * t:
			o.append("- %s: the reader was busy %.0f %% of the best "
			    "AXFR: the rate may be the reader's, not the "
			    "server's" % (TITLE[s], 100 * c / t))
	c = {s: r[s].get("fleetaxfrrecords") for s in FLEET_SERVERS
	    if s in r and "fleetaxfrrecords" in r[s]}
	if len(set(c.values())) > 1:
		o.append("- the AXFRs differ in records: " + ", ".join("%s %s" %
		    (TITLE[s], v) for s, v in c.items()))
	for s in FLEET_SERVERS:
		if s in r and "fleeterror" in r[s]:
			o.append("- **%s failed**: %s" %
			    (TITLE[s], r[s]["fleeterror"]))
	return o


def fleet_section(size, r, z):
	"""The lines of the fleet table of one size, its notes and goals; []
	when the fleet stage did not run at that size."""
	srvs = [s for s in FLEET_SERVERS if s in r and
	    any(k.startswith("fleet") for k in r[s])]
	if not srvs:
		return []
	parts = [t for k, t in (("fleettoggles", "toggles to a fleet of "
	    "four"), ("fleetaxfr", "AXFR out")) if k in z]
	o = ["### %s names (%s records)%s\n" % (size, z.get("fleetrecords",
	    "?"), ": " + ", ".join(parts) if parts else "")]
	tb = table(r, srvs, FLEET_ROWS, (("secd", "knot"),) if len(srvs) > 1
	    else ())
	if tb:
		o += tb + [""]
	o += fleet_notes(r, z)
	if o[-1] != "" and not o[-1].endswith("\n"):
		o.append("")
	x, k, gl = r.get("secd", {}), r.get("knot", {}), []
	if "fleettoggles" in z:
		t = num(x.get("fleettogglep99"))
		gl.append(("toggle to the fleet (NSD, Knot, BIND, secd) p99 <= "
		    "1 s", "n/a" if t is None else "%.3f s" % t,
		    "n/a" if t is None else "met" if t <= 1 else "NOT met"))
	if "fleetaxfr" in z:
		a, b = num(x.get("fleetaxfrrate")), num(k.get("fleetaxfrrate"))
		q = a / b if a and b else None
		gl.append(("secd AXFR out records/s >= 1.0 x Knot",
		    "n/a" if q is None else "%.2f" % q,
		    "n/a" if q is None else "met" if q >= 1 else "NOT met"))
	if "fleettoggles" in z:
		h = num(x.get("fleethistory"))
		gl.append(("history after %s toggles: NAME.ovl <= 10 %% of "
		    "NAME.img" % z["fleettoggles"],
		    "n/a" if h is None else "%.1f %%" % h,
		    "n/a" if h is None else "met" if h <= 10 else "NOT met"))
	return o + goals_md(gl)


def cmd_report(a):
	res, order, meta = {}, [], {}
	with open(a[0]) as f:
		for l in f:
			w = l.rstrip("\n").split(" ", 3)
			if len(w) < 4:
				continue
			size, srv, k, v = w
			if size == "-":
				meta[k] = v
				continue
			if size not in res:
				res[size] = {}
				order.append(size)
			r = res[size].setdefault(srv, {})
			if k in ("error", "dnssecerror", "dnssecparterror",
			    "hostileerror",
			    "zoneserror", "fleeterror") and k in r:
				v = r[k] + "; " + v
			r[k] = v
	o = []
	o.append("# secd benchmark\n")
	for k in ("date", "host", "mode", "method", "update", "proxy",
	    "dnssec", "hostile", "zones", "fleet"):
		if k in meta:
			o.append("- %s: %s" % (k, meta[k]))
	o.append("")
	for size in order:
		r = res[size]
		# only the zones or fleet stage's figures: no table of names
		if all(k.startswith(("zones", "fleet")) for x in r.values()
		    for k in x):
			continue
		for srv in r.values():
			c = num(srv.get("fixedcompleted"))
			if c:
				for rc in ("noerror", "nxdomain"):
					n = num(srv.get("rcode_" + rc.upper()))
					srv[rc] = 100 * (n or 0) / c
			p, q = num(srv.get("proxymaxqps")), \
			    num(srv.get("maxqps"))
			if p is not None and q:
				srv["proxyratio"] = p / q
			if "proxymaxbusy" in srv:
				srv["proxybusy"] = srv["proxymaxbusy"]
		z = r.get("-zone", {})
		o.append("## %s names (%s records)%s\n" % (size,
		    z.get("records", "?"), ", fixed rate %s qps" % z["rate"]
		    if "rate" in z else ""))
		srvs = [s for s in SERVERS if s in r]
		tb = table(r, srvs, ROWS, (("secd", "nsd"), ("secd", "knot"),
		    ("secd", "floor"), ("floor", "nsd"), ("floor", "knot"),
		    ("knot", "nsd")))
		if tb:
			o += tb + [""]
		rate = num(z.get("rate"))
		for s in srvs:
			b = num(r[s].get("maxbusy"))
			q = num(r[s].get("fixedqps"))
			if b is not None and b < 0.95:
				o.append("- %s: max QPS not CPU-bound (the "
				    "server was busy %.0f %% of the run; the "
				    "limit was elsewhere, most often dnsperf "
				    "on its one CPU)" % (TITLE[s], 100 * b))
			b = num(r[s].get("proxymaxbusy"))
			if b is not None and b < 0.95:
				o.append("- %s: max QPS with 30%% proxied not "
				    "CPU-bound (busy %.0f %% of the run)" %
				    (TITLE[s], 100 * b))
			t = num(r[s].get("togglen"))
			if t is not None and t < 100:
				o.append("- %s: the toggle p99 is the slowest "
				    "of the %d toggles timed (too few for a "
				    "99th percentile)" % (TITLE[s], t))
			if q is not None and rate and q < 0.98 * rate:
				o.append("- %s did **not sustain** the fixed "
				    "rate: its CPU per query is for %.0f qps"
				    % (TITLE[s], q))
			x = r[s].get("notifyxfr")
			if x is not None and x != "ixfr":
				o.append("- %s: the NOTIFY led to %s, not an "
				    "IXFR (work/%s/update/xfr.txt)" % (TITLE[s],
				    "an AXFR" if x == "axfr" else
				    "a transfer its log does not name", size))
		errs = [(s, r[s]["error"]) for s in SERVERS if s in r and
		    "error" in r[s]]
		for s, e in errs:
			o.append("- **%s failed**: %s" % (TITLE[s], e))
		# (the heading ends in an empty line when nothing followed)
		if o[-1] != "" and not o[-1].endswith("\n"):
			o.append("")
		o += goals_md(goals(size, r))
		o += dnssec_section(size, r, z)
		o += hostile_section(size, r, z)
	zs = [(size, zones_section(size, res[size], res[size].get("-zone",
	    {}))) for size in order]
	if any(t for _, t in zs):
		o.append("## Many zones\n")
		for _, t in zs:
			o += t
	fs = [fleet_section(size, res[size], res[size].get("-zone", {}))
	    for size in order]
	if any(fs):
		o.append("## A fleet fed by secd\n")
		for t in fs:
			o += t
	text = "\n".join(o) + "\n"
	with open(a[1], "w") as f:
		f.write(text)
	sys.stdout.write(text)


def main(argv):
	cmds = {"spawn": cmd_spawn, "wait": cmd_wait,
	    "notify-wait": cmd_notify_wait, "idle": cmd_idle, "cpu": cmd_cpu,
	    "mem": cmd_mem, "change": cmd_change, "dnsperf": cmd_dnsperf,
	    "latency": cmd_latency, "pct": cmd_pct, "timed": cmd_timed,
	    "toggle-names": cmd_toggle_names, "overrides": cmd_overrides,
	    "proxied": cmd_proxied, "cookie": cookie.cmd_cookie,
	    "cookie-probe": cookie.cmd_cookie_probe,
	    "hostile-stats": cmd_hostile_stats,
	    "zones-spawn": cmd_zones_spawn, "zones-wait": cmd_zones_wait,
	    "fleet-toggles": cmd_fleet_toggles, "axfr-time": cmd_axfr_time,
	    "report": cmd_report}
	if len(argv) < 2 or argv[1] not in cmds:
		sys.exit(__doc__)
	cmds[argv[1]](argv[2:])


if __name__ == "__main__":
	main(sys.argv)
