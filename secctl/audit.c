/*
 * Copyright (c) 2026 The secd developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * secctl audit ZONE at ADDRESS [port PORT]: another server's answers
 * checked as secd checks its own (secctl(8)).  zoned sends the plan, rows
 * "names" (the owners of the merged zone) and "origin" (the origin
 * addresses of the proxied names, and of the apex under an apex CNAME);
 * secctl asks the server every name's A and AAAA (UDP with EDNS, TCP when
 * truncated) and each A or AAAA record in any section of an answer with
 * an origin address is a leak row.  A name without an answer makes the
 * audit incomplete: it fails too.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "output.h"
#include "parser.h"

#define AT_TIMEOUT	2000	/* ms for an answer */
#define AT_TRIES	3
#define AT_EDNS		1232

/* The origin addresses: IPv4 mapped to 16 octets, sorted. */
struct origins {
	uint8_t		(*v)[16];
	size_t		 n;
};

struct at {
	const struct sockaddr_storage *ss;
	struct origins	 o;
	struct replies	 found;		/* the leak rows */
	uint64_t	 asked, answers, records, leaks, unanswered;
};

static int	at_cmp(const void *, const void *);
static void	at_key(uint16_t, const uint8_t *, uint8_t *);
static void	at_origins(struct origins *, const struct replies *);
static int	at_ask(struct at *, const char *, uint16_t);
static ssize_t	at_udp(const struct at *, const uint8_t *, size_t, uint8_t *,
		    size_t);
static ssize_t	at_tcp(const struct at *, const uint8_t *, size_t, uint8_t *,
		    size_t);
static void	at_check(struct at *, const char *, const uint8_t *, size_t,
		    uint16_t);
static void	at_leak(struct at *, const char *, const struct dns_rr *);

static int
at_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static void
at_key(uint16_t type, const uint8_t *rdata, uint8_t *key)
{
	memset(key, 0, 16);
	if (type == DNS_T_A) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, rdata, 4);
	} else
		memcpy(key, rdata, 16);
}

/* The "origin" rows into o. */
static void
at_origins(struct origins *o, const struct replies *r)
{
	char	*s, *w, *p;
	uint8_t	 a[16], v4[4];
	size_t	 i;

	for (i = 0; i < r->nrrs; i++) {
		if (strcmp(r->rrs[i].proxy, "origin") != 0)
			continue;
		if ((s = strdup(r->rrs[i].content)) == NULL)
			err(1, NULL);
		for (p = s; (w = strsep(&p, " ")) != NULL; ) {
			if (inet_pton(AF_INET, w, v4) == 1)
				at_key(DNS_T_A, v4, a);
			else if (inet_pton(AF_INET6, w, a) != 1)
				errx(1, "audit: secd sent \"%s\" as an "
				    "address", w);
			if ((o->v = reallocarray(o->v, o->n + 1,
			    sizeof(*o->v))) == NULL)
				err(1, NULL);
			memcpy(o->v[o->n++], a, 16);
		}
		free(s);
	}
	qsort(o->v, o->n, sizeof(*o->v), at_cmp);
}

int
audit_at(const struct parse_result *res, struct replies *r, int json)
{
	struct at	 a;
	char		 sum[SECD_NAMESTRLEN + 512], server[INET6_ADDRSTRLEN];
	char		*s, *w, *p;
	size_t		 i;
	int		 port;

	memset(&a, 0, sizeof(a));
	a.ss = &res->at;
	at_origins(&a.o, r);
	for (i = 0; i < r->nrrs; i++) {
		if (strcmp(r->rrs[i].proxy, "names") != 0)
			continue;
		if ((s = strdup(r->rrs[i].content)) == NULL)
			err(1, NULL);
		for (p = s; (w = strsep(&p, " ")) != NULL; ) {
			if (at_ask(&a, w, DNS_T_A) == -1 ||
			    at_ask(&a, w, DNS_T_AAAA) == -1)
				a.unanswered++;
			/* nobody there: say so rather than wait out each */
			if (a.answers == 0 && a.unanswered >= 2)
				errx(1, "audit: no answer from the server "
				    "asked (address and port?)");
		}
		free(s);
	}
	if (res->at.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    &res->at)->sin_addr, server, sizeof(server));
		port = ntohs(((const struct sockaddr_in *)&res->at)->sin_port);
	} else {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    &res->at)->sin6_addr, server, sizeof(server));
		port = ntohs(((const struct sockaddr_in6 *)
		    &res->at)->sin6_port);
	}
	snprintf(sum, sizeof(sum), "zone %s at %s port %d: %llu queries, "
	    "%llu answers, %llu address records: %llu leaks, %llu "
	    "unanswered", res->req.zone, server, port,
	    (unsigned long long)a.asked, (unsigned long long)a.answers,
	    (unsigned long long)a.records, (unsigned long long)a.leaks,
	    (unsigned long long)a.unanswered);
	output(res, &a.found, sum, json);
	for (i = 0; i < a.found.nrrs; i++) {
		free(a.found.rrs[i].name);
		free(a.found.rrs[i].content);
	}
	free(a.found.rrs);
	free(a.o.v);
	return a.leaks > 0 || a.unanswered > 0;
}

/* One question of name (text) at the server: 0, or -1 when unanswered. */
static int
at_ask(struct at *a, const char *name, uint16_t type)
{
	struct dns_header	 h;
	struct wbuf		 w;
	uint8_t			 q[DNS_MAXNAME + 64], ans[65535];
	uint8_t			 wire[DNS_MAXNAME];
	size_t			 len;
	ssize_t			 n;

	if (dns_name_from_text(name, wire, &len) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.id = arc4random() & 0xffff;
	h.qdcount = 1;
	h.arcount = 1;
	wbuf_init(&w, q, sizeof(q));
	wbuf_header(&w, &h);
	wbuf_bytes(&w, wire, len);
	wbuf_u16(&w, type);
	wbuf_u16(&w, DNS_C_IN);
	/* OPT: root, its type, the size, no extended rcode, no option */
	wbuf_u8(&w, 0);
	wbuf_u16(&w, DNS_T_OPT);
	wbuf_u16(&w, AT_EDNS);
	wbuf_u32(&w, 0);
	wbuf_u16(&w, 0);
	if (w.err)
		return -1;
	a->asked++;
	if ((n = at_udp(a, q, w.len, ans, sizeof(ans))) == -1)
		return -1;
	if (n >= DNS_HDRLEN && (ans[2] & 0x02) &&
	    (n = at_tcp(a, q, w.len, ans, sizeof(ans))) == -1)
		return -1;
	a->answers++;
	at_check(a, name, ans, n, h.id);
	return 0;
}

static ssize_t
at_udp(const struct at *a, const uint8_t *q, size_t qlen, uint8_t *ans,
    size_t cap)
{
	struct pollfd	 pfd;
	ssize_t		 n = -1;
	int		 s, i;

	if ((s = socket(a->ss->ss_family, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	if (connect(s, (const struct sockaddr *)a->ss,
	    a->ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6)) == -1)
		err(1, "connect");
	for (i = 0; i < AT_TRIES && n == -1; i++) {
		if (send(s, q, qlen, 0) == -1)
			continue;
		pfd.fd = s;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, AT_TIMEOUT) == 1) {
			if ((n = recv(s, ans, cap, 0)) >= DNS_HDRLEN &&
			    memcmp(ans, q, 2) == 0)
				break;
			n = -1;
		}
	}
	close(s);
	return n;
}

static ssize_t
at_tcp(const struct at *a, const uint8_t *q, size_t qlen, uint8_t *ans,
    size_t cap)
{
	struct timeval	 tv = { AT_TIMEOUT / 1000, 0 };
	uint8_t		 l[2];
	size_t		 want, got = 0;
	ssize_t		 n;
	int		 s;

	if ((s = socket(a->ss->ss_family, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	l[0] = qlen >> 8;
	l[1] = qlen & 0xff;
	if (connect(s, (const struct sockaddr *)a->ss,
	    a->ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6)) == -1 || write(s, l, 2) != 2 ||
	    write(s, q, qlen) != (ssize_t)qlen ||
	    read(s, l, 2) != 2) {
		close(s);
		return -1;
	}
	want = (size_t)l[0] << 8 | l[1];
	while (got < want && got < cap &&
	    (n = read(s, ans + got, want - got)) > 0)
		got += n;
	close(s);
	return got == want && got >= DNS_HDRLEN ? (ssize_t)got : -1;
}

/* Every A and AAAA record of the answer to name, checked. */
static void
at_check(struct at *a, const char *name, const uint8_t *p, size_t len,
    uint16_t id)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct wire		 w;
	uint8_t			 key[16];
	uint32_t		 i, n;

	wire_init_answer(&w, p, len);
	if (wire_header(&w, &h) == -1 || h.id != id || h.qdcount != 1 ||
	    wire_question(&w, NULL, NULL, NULL, NULL) == -1)
		return;
	n = (uint32_t)h.ancount + h.nscount + h.arcount;
	for (i = 0; i < n && wire_rr(&w, &rr) == 0; i++) {
		if (!dns_rdata_is_addr(rr.type, rr.rdlen))
			continue;
		a->records++;
		at_key(rr.type, rr.rdata, key);
		if (bsearch(key, a->o.v, a->o.n, sizeof(*a->o.v),
		    at_cmp) != NULL)
			at_leak(a, name, &rr);
	}
}

static void
at_leak(struct at *a, const char *name, const struct dns_rr *rr)
{
	struct rr_row	*row;
	char		 owner[DNS_MAXNAMESTR], addr[INET6_ADDRSTRLEN];
	char		*content;

	a->leaks++;
	dns_name_to_text(rr->owner, rr->ownerlen, owner, sizeof(owner));
	inet_ntop(rr->type == DNS_T_A ? AF_INET : AF_INET6, rr->rdata, addr,
	    sizeof(addr));
	if (asprintf(&content, "%s in an answer for %s", addr, name) == -1)
		err(1, NULL);
	if ((a->found.rrs = reallocarray(a->found.rrs, a->found.nrrs + 1,
	    sizeof(*a->found.rrs))) == NULL)
		err(1, NULL);
	row = &a->found.rrs[a->found.nrrs++];
	memset(row, 0, sizeof(*row));
	strlcpy(row->type, rr->type == DNS_T_A ? "A" : "AAAA",
	    sizeof(row->type));
	strlcpy(row->proxy, "leak", sizeof(row->proxy));
	row->ttl = rr->ttl;
	if ((row->name = strdup(owner)) == NULL)
		err(1, NULL);
	row->content = content;
}
