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
 * One record in the store encoding (storerec.h), written and read through
 * the wire helpers of dns.h, with their sticky error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dns.h"
#include "storerec.h"

int
storerec_put(struct wbuf *w, const struct storerec *r)
{
	wbuf_u8(w, r->ownerlen);
	wbuf_bytes(w, r->owner, r->ownerlen);
	wbuf_u16(w, r->type);
	wbuf_u16(w, r->class);
	wbuf_u32(w, r->ttl);
	wbuf_u16(w, r->rdlen);
	wbuf_bytes(w, r->rdata, r->rdlen);
	return w->err ? -1 : 0;
}

int
storerec_get(struct wire *w, struct storerec *r)
{
	if (wire_u8(w, &r->ownerlen) == -1)
		return -1;
	r->owner = w->buf + w->off;
	if (wire_skip(w, r->ownerlen) == -1 ||
	    wire_u16(w, &r->type) == -1 ||
	    wire_u16(w, &r->class) == -1 ||
	    wire_u32(w, &r->ttl) == -1 ||
	    wire_u16(w, &r->rdlen) == -1)
		return -1;
	r->rdata = w->buf + w->off;
	return wire_skip(w, r->rdlen);
}

/*
 * NAME.suffix for zone, with unsafe bytes escaped (zoned/store.h names
 * the database's files so; the parent reads a catalog's member file by
 * it).  -1 if too long.
 */
int
store_path(const char *zone, const char *suffix, char *buf, size_t len)
{
	size_t	 o = 0;
	int	 n;

	if (*zone == '\0')
		zone = "_root";
	for (; *zone != '\0'; zone++) {
		if ((*zone >= 'a' && *zone <= 'z') ||
		    (*zone >= '0' && *zone <= '9') ||
		    *zone == '.' || *zone == '-' || *zone == '_') {
			if (o + 1 >= len)
				return -1;
			buf[o++] = *zone;
		} else {
			if (o + 3 >= len)
				return -1;
			o += snprintf(buf + o, len - o, "%%%02X",
			    (unsigned char)*zone);
		}
	}
	n = snprintf(buf + o, len - o, "%s", suffix);
	if (n < 0 || (size_t)n >= len - o)
		return -1;
	return 0;
}
