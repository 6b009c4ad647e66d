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
 * Domain names in uncompressed wire form: checks, comparison, and the
 * presentation form (RFC 1035 section 5.1, RFC 4343 for case).
 */

#include <stdio.h>
#include <string.h>

#include "dns.h"

#define NAME_MAXLABELS	128	/* root included */

static int	name_labels(const uint8_t *, size_t, size_t *);
static int	label_cmp(const uint8_t *, const uint8_t *);
static int	text_escape(const char **, uint8_t *);
static int	lower(int);

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c);
}

/*
 * Offsets of the labels of a valid name, root excluded; returns their
 * number or -1 if the name is not valid.  offs may be NULL.
 */
static int
name_labels(const uint8_t *name, size_t len, size_t *offs)
{
	size_t		 off = 0;
	int		 n = 0;

	if (name == NULL || len < 1 || len > DNS_MAXNAME)
		return (-1);
	while (off < len && name[off] != 0) {
		if (name[off] > DNS_MAXLABEL)
			return (-1);
		if (offs != NULL)
			offs[n] = off;
		n++;
		off += (size_t)name[off] + 1;
	}
	if (off != len - 1)
		return (-1);
	return (n);
}

/* 1 if name is a well-formed uncompressed name of exactly len octets */
int
dns_name_valid(const uint8_t *name, size_t len)
{
	return (name_labels(name, len, NULL) != -1);
}

int
dns_name_labels(const uint8_t *name, size_t len)
{
	return (name_labels(name, len, NULL));
}

void
dns_name_lower(uint8_t *name, size_t len)
{
	size_t		 i;

	if (!dns_name_valid(name, len))
		return;
	for (i = 0; i < len; i++)
		name[i] = lower(name[i]);
}

int
dns_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t		 i;

	if (alen != blen || !dns_name_valid(a, alen) ||
	    !dns_name_valid(b, blen))
		return (0);
	/* length octets are at most 63, so lowering them is harmless */
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return (0);
	return (1);
}

static int
label_cmp(const uint8_t *a, const uint8_t *b)
{
	size_t		 i, n;
	int		 ca, cb;

	n = a[0] < b[0] ? a[0] : b[0];
	for (i = 1; i <= n; i++) {
		ca = lower(a[i]);
		cb = lower(b[i]);
		if (ca != cb)
			return (ca < cb ? -1 : 1);
	}
	if (a[0] != b[0])
		return (a[0] < b[0] ? -1 : 1);
	return (0);
}

/*
 * Canonical order, RFC 4034 section 6.1: labels compared from the right
 * as lowercased unsigned octet strings; a name sorts after its parent.
 * An invalid name sorts before every valid one.
 */
int
dns_name_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t		 ao[NAME_MAXLABELS], bo[NAME_MAXLABELS];
	int		 an, bn, r;

	an = name_labels(a, alen, ao);
	bn = name_labels(b, blen, bo);
	if (an == -1 || bn == -1)
		return (an == bn ? 0 : (an == -1 ? -1 : 1));
	while (an > 0 && bn > 0) {
		an--;
		bn--;
		if ((r = label_cmp(a + ao[an], b + bo[bn])) != 0)
			return (r);
	}
	if (an != bn)
		return (an < bn ? -1 : 1);
	return (0);
}

/* Offset of the suffix of name with n labels; 0 if it has n or fewer. */
size_t
dns_name_suffix(const uint8_t *name, size_t len, int n)
{
	size_t		 offs[NAME_MAXLABELS];
	int		 nl;

	nl = name_labels(name, len, offs);
	if (nl <= n || n < 0)
		return (0);
	return (n == 0 ? len - 1 : offs[nl - n]);
}

/*
 * 1 if name is zone or below it, both well formed: the suffix of name at
 * a label boundary as long as zone is zone (found by one walk of name's
 * labels, not by counting both names' labels first: every record of a
 * transfer asks).
 */
int
dns_name_subdomain(const uint8_t *name, size_t len, const uint8_t *zone,
    size_t zlen)
{
	size_t		 off = 0;

	if (!dns_name_valid(name, len) || !dns_name_valid(zone, zlen))
		return (0);
	while (len - off > zlen)
		off += (size_t)name[off] + 1;
	return (len - off == zlen && dns_name_equal(name + off, zlen, zone,
	    zlen));
}

/* Offset of the parent inside name; 0 for the root (or a bad name). */
size_t
dns_name_parent(const uint8_t *name, size_t len)
{
	if (!dns_name_valid(name, len) || name[0] == 0)
		return (0);
	return ((size_t)name[0] + 1);
}

int
dns_name_wildcard(const uint8_t *name, size_t len)
{
	return (len >= 3 && name[0] == 1 && name[1] == '*' &&
	    dns_name_valid(name, len));
}

/* One \X or \DDD escape after the backslash; advances *sp. */
static int
text_escape(const char **sp, uint8_t *c)
{
	const char	*s = *sp;
	int		 i, v;

	if (*s == '\0')
		return (-1);
	if (*s < '0' || *s > '9') {
		*c = (uint8_t)*s;
		*sp = s + 1;
		return (0);
	}
	for (i = 0, v = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	if (v > 255)
		return (-1);
	*c = (uint8_t)v;
	*sp = s + 3;
	return (0);
}

/*
 * Presentation form to wire form, case preserved.  "." is the root; a
 * name without a trailing dot is taken as absolute.
 */
int
dns_name_from_text(const char *s, uint8_t *out, size_t *len)
{
	size_t		 n, lab;
	uint8_t		 c;

	if (s == NULL || *s == '\0')
		return (-1);
	if (strcmp(s, ".") == 0) {
		out[0] = 0;
		*len = 1;
		return (0);
	}
	lab = 0;
	n = 1;
	while (*s != '\0') {
		if (*s == '.') {
			if (n - lab == 1)
				return (-1);	/* empty label */
			out[lab] = n - lab - 1;
			lab = n++;
			if (*++s == '\0')
				break;
			continue;
		}
		if (*s == '\\') {
			s++;
			if (text_escape(&s, &c) == -1)
				return (-1);
		} else
			c = (uint8_t)*s++;
		if (n - lab - 1 >= DNS_MAXLABEL || n >= DNS_MAXNAME - 1)
			return (-1);
		out[n++] = c;
	}
	if (n - lab > 1) {	/* no trailing dot: close the last label */
		out[lab] = n - lab - 1;
		lab = n++;
	}
	if (lab >= DNS_MAXNAME)
		return (-1);
	out[lab] = 0;
	*len = lab + 1;
	return (0);
}

/*
 * Wire form to presentation form with a trailing dot.  Dots, backslashes
 * and the characters that mean something in a zone file are escaped as
 * \X; spaces, controls and bytes above 0x7e as \DDD.
 */
int
dns_name_to_text(const uint8_t *name, size_t len, char *buf, size_t cap)
{
	size_t		 off, i, n;
	uint8_t		 c;

	if (!dns_name_valid(name, len) || cap < 2)
		return (-1);
	if (name[0] == 0) {
		buf[0] = '.';
		buf[1] = '\0';
		return (0);
	}
	n = 0;
	for (off = 0; name[off] != 0; off += (size_t)name[off] + 1) {
		for (i = 1; i <= name[off]; i++) {
			c = name[off + i];
			/* the character, and room for the NUL after it */
			if (c <= ' ' || c >= 0x7f) {
				if (cap - n <= 4)
					return (-1);
				n += snprintf(buf + n, cap - n, "\\%03u", c);
			} else if (strchr(".\\\"();@$", c) != NULL) {
				if (cap - n <= 2)
					return (-1);
				buf[n++] = '\\';
				buf[n++] = c;
			} else {
				if (cap - n <= 1)
					return (-1);
				buf[n++] = c;
			}
		}
		if (cap - n < 2)
			return (-1);
		buf[n++] = '.';
	}
	buf[n] = '\0';
	return (0);
}
