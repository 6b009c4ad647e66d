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
 * The settings against hostile traffic in secd.conf(5): rate-limit and
 * cookie.  Their defaults, the parser's helpers for a prefix and a hex
 * secret, and their canonical form for secd -nv.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static int	hexval(int);
static void	print_secret(FILE *, const char *, const uint8_t *, int);

/*
 * The defaults, secd.conf without rate-limit or with rate-limit {}: on,
 * loopback exempt (a source the kernel delivers only from this host,
 * never a forged victim's).
 */
void
config_rrl_init(struct rrl_conf *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->responses = SECD_RRL_RESPONSES;
	rc->slip = SECD_RRL_SLIP;
	rc->v4_prefix = SECD_RRL_V4PREFIX;
	rc->v6_prefix = SECD_RRL_V6PREFIX;
	rc->size = SECD_RRL_SIZE;
	if (config_prefix("127.0.0.0/8", &rc->exempt[0]) == 0 &&
	    config_prefix("::1", &rc->exempt[1]) == 0)
		rc->nexempt = 2;
}

/*
 * "ADDRESS" or "ADDRESS/LENGTH" into p; the bits past the length are
 * cleared.  -1 when it is neither.
 */
int
config_prefix(const char *s, struct net_prefix *p)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&p->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&p->ss;
	char			 buf[INET6_ADDRSTRLEN];
	const char		*slash, *errstr;
	uint8_t			*a;
	size_t			 n;
	int			 max, i;

	memset(p, 0, sizeof(*p));
	n = (slash = strchr(s, '/')) != NULL ? (size_t)(slash - s) :
	    strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return (-1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		a = (uint8_t *)&sin->sin_addr;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		a = sin6->sin6_addr.s6_addr;
		max = 128;
	} else
		return (-1);
	p->plen = max;
	if (slash != NULL) {
		p->plen = strtonum(slash + 1, 0, max, &errstr);
		if (errstr != NULL || !isdigit((unsigned char)slash[1]))
			return (-1);
	}
	for (i = p->plen; i < max; i++)
		a[i / 8] &= ~(0x80 >> (i % 8));
	return (0);
}

/* 1 if the address sa is in the prefix p. */
int
config_prefix_match(const struct net_prefix *p, const struct sockaddr *sa)
{
	const uint8_t	*a, *b;
	int		 full, rest;

	if (p->ss.ss_family != sa->sa_family)
		return (0);
	if (sa->sa_family == AF_INET) {
		a = (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;
		b = (const uint8_t *)
		    &((const struct sockaddr_in *)&p->ss)->sin_addr;
	} else {
		a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		b = ((const struct sockaddr_in6 *)&p->ss)->sin6_addr.s6_addr;
	}
	full = p->plen / 8;
	rest = p->plen % 8;
	if (memcmp(a, b, full) != 0)
		return (0);
	return (rest == 0 || ((a[full] ^ b[full]) & (0xff00 >> rest)) == 0);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* Exactly len bytes in hex, "0x" before them allowed (as Knot writes). */
int
config_hex(const char *s, uint8_t *out, size_t len)
{
	size_t	 i;
	int	 h, l;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) != len * 2)
		return (-1);
	for (i = 0; i < len; i++) {
		if ((h = hexval((unsigned char)s[2 * i])) == -1 ||
		    (l = hexval((unsigned char)s[2 * i + 1])) == -1)
			return (-1);
		out[i] = h << 4 | l;
	}
	return (0);
}

/* The rate-limit block (or "rate-limit off"), the cookie block if set. */
void
config_rrl_print(FILE *f, const struct secd_conf *conf, int flags)
{
	const struct rrl_conf	*rc = &conf->rrl;
	const struct net_prefix	*p;
	char			 buf[INET6_ADDRSTRLEN];
	const void		*a;
	int			 k;

	if (!conf->has_rrl)
		fprintf(f, "\nrate-limit off\n");
	else {
		fprintf(f, "\nrate-limit {\n");
		fprintf(f, "\tresponses %u\n\tslip %u\n", rc->responses,
		    rc->slip);
		fprintf(f, "\tipv4-prefix %u\n\tipv6-prefix %u\n",
		    rc->v4_prefix, rc->v6_prefix);
		fprintf(f, "\ttable-size %u\n", rc->size);
		for (k = 0; k < rc->nexempt && k < SECD_RRL_EXEMPT_MAX; k++) {
			p = &rc->exempt[k];
			a = p->ss.ss_family == AF_INET ?
			    (const void *)&((const struct sockaddr_in *)
			    &p->ss)->sin_addr :
			    (const void *)&((const struct sockaddr_in6 *)
			    &p->ss)->sin6_addr;
			inet_ntop(p->ss.ss_family, a, buf, sizeof(buf));
			fprintf(f, "\texempt %s/%d\n", buf, p->plen);
		}
		if (rc->nexempt == 0)
			fprintf(f, "\texempt none\n");
		fprintf(f, "}\n");
	}
	if (!conf->has_cookie)
		return;
	fprintf(f, "\ncookie {\n");
	print_secret(f, "secret", conf->cookie.secret, flags);
	if (conf->cookie.has_previous)
		print_secret(f, "previous", conf->cookie.previous, flags);
	fprintf(f, "}\n");
}

/* In hex with CONF_PRINT_SECRETS, else hidden as a TSIG secret is. */
static void
print_secret(FILE *f, const char *name, const uint8_t *secret, int flags)
{
	size_t	 i;

	fprintf(f, "\t%s \"", name);
	if (flags & CONF_PRINT_SECRETS)
		for (i = 0; i < SECD_COOKIE_SECRETLEN; i++)
			fprintf(f, "%02x", secret[i]);
	else
		fprintf(f, "********");
	fprintf(f, "\"\n");
}
