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
 * A DNS message through the shared wire reader as xfrd reads a transfer
 * message (xfrd/xfr.c xfr_message): header, question, every record with
 * its rdata expanded on the message's budget of work (dns_wire.c), then
 * each expanded rdata printed (rdata_to_text) and a SOA's fields read.
 */
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "fuzz.h"

static uint8_t	 rd[DNS_MAXRDATA];
static char	 text[300000];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct dns_soa		 soa;
	struct wire		 w;
	uint8_t			 qname[DNS_MAXNAME];
	char			 qtext[DNS_MAXNAMESTR];
	size_t			 qlen, rdlen;
	uint16_t		 qtype, qclass;
	uint32_t		 i, n;

	wire_init(&w, data, len);
	if (wire_header(&w, &h) == -1)
		return (0);
	for (i = 0; i < h.qdcount; i++) {
		if (wire_question(&w, qname, &qlen, &qtype, &qclass) == -1)
			return (0);
		(void)dns_name_to_text(qname, qlen, qtext, sizeof(qtext));
	}
	n = (uint32_t)h.ancount + h.nscount + h.arcount;
	for (i = 0; i < n; i++) {
		if (wire_rr(&w, &rr) == -1)
			break;
		if (rdata_expand_msg(&w, &rr, rd, sizeof(rd), &rdlen) == -1) {
			if (w.err)
				break;
			continue;
		}
		(void)rdata_to_text(rr.type, rd, rdlen, text, sizeof(text));
		if (rr.type == DNS_T_SOA)
			(void)dns_soa_parse(rd, rdlen, &soa);
	}
	/* the budget is kept: never more work than the cap allows */
	if (w.work > w.maxwork + 1)
		__builtin_trap();
	return (0);
}
