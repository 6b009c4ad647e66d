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
 * Authenticated denial of existence: the NSEC3 hash (RFC 5155 section
 * 5), base32hex owner labels (RFC 4648 section 7), and the search of a
 * denial index by canonical order (RFC 4034 section 6.1) or by hash.
 */

#include <sys/types.h>

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "denial.h"
#include "dns.h"

struct nsec_key {
	const uint8_t		*img;
	const struct image_nsec	*ix;
	const uint8_t		*name;
	size_t			 len;
};

/*
 * A context per hash, copied from one SHA-1 was set up in once: setting
 * one up looks the implementation up again (a lock and a search in
 * OpenSSL 3), three times the hash of a name.
 */
static EVP_MD_CTX	*sha1ctx, *sha1set;

static int	h_round(const uint8_t *, size_t, const struct nsec3_param *,
		    uint8_t *);
static uint64_t	be64(const uint8_t *);
static int	nsec_cmp(const void *, size_t);

int
denial_init(void)
{
	struct nsec3_param	 p;
	EVP_MD_CTX		*c = NULL, *s = NULL;
	uint8_t			 h[IMAGE_NSEC3_HASHLEN];

	if (sha1ctx != NULL)
		return (0);
	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL) != 1 ||
	    (c = EVP_MD_CTX_new()) == NULL || (s = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s, EVP_sha1(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		EVP_MD_CTX_free(s);
		return (-1);
	}
	sha1ctx = c;
	sha1set = s;
	memset(&p, 0, sizeof(p));
	p.alg = 1;
	return (denial_nsec3_hash(&p, (const uint8_t *)"", 1, h));
}

/* H(data || salt) into out. */
static int
h_round(const uint8_t *data, size_t len, const struct nsec3_param *p,
    uint8_t *out)
{
	unsigned int	 n;

	if (EVP_MD_CTX_copy_ex(sha1ctx, sha1set) != 1 ||
	    EVP_DigestUpdate(sha1ctx, data, len) != 1 ||
	    (p->saltlen > 0 &&
	    EVP_DigestUpdate(sha1ctx, p->salt, p->saltlen) != 1) ||
	    EVP_DigestFinal_ex(sha1ctx, out, &n) != 1 ||
	    n != IMAGE_NSEC3_HASHLEN)
		return (-1);
	return (0);
}

int
denial_nsec3_hash(const struct nsec3_param *p, const uint8_t *name,
    size_t len, uint8_t *out)
{
	uint8_t		 h[IMAGE_NSEC3_HASHLEN];
	unsigned int	 i;

	if (p->alg != 1 || p->iter > IMAGE_NSEC3_MAXITER)
		return (-1);
	if (sha1ctx == NULL && denial_init() == -1)
		return (-1);
	if (h_round(name, len, p, h) == -1)
		return (-1);
	for (i = 0; i < p->iter; i++)
		if (h_round(h, sizeof(h), p, h) == -1)
			return (-1);
	memcpy(out, h, sizeof(h));
	return (0);
}

int
denial_b32hex(const uint8_t *label, size_t len, uint8_t *out)
{
	uint64_t	 acc = 0;
	size_t		 i, n = 0;
	int		 c, bits = 0;

	if (len < 1 || label[0] != 32 || len < 33)
		return (-1);
	for (i = 1; i <= 32; i++) {
		c = label[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'v')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'V')
			c -= 'A' - 10;
		else
			return (-1);
		acc = acc << 5 | (uint64_t)c;
		if ((bits += 5) >= 8) {
			bits -= 8;
			out[n++] = (acc >> bits) & 0xff;
		}
	}
	return (n == IMAGE_NSEC3_HASHLEN ? 0 : -1);
}

size_t
denial_search(size_t n, int (*cmp)(const void *, size_t), const void *ctx)
{
	size_t	 lo = 0, hi = n, mid;

	/* the first entry after the key is at lo */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp(ctx, mid) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo == 0 ? n - 1 : lo - 1);
}

/* The first eight bytes of a hash, as a number. */
static uint64_t
be64(const uint8_t *p)
{
	return ((uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	    (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
	    (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	    (uint64_t)p[6] << 8 | p[7]);
}

/*
 * NSEC3 hashes are spread evenly: a guess where the key would be among
 * the entries left is right within a few entries, where halving takes
 * some twenty steps (and cache misses) at a million.  Every other step
 * halves still, so that a chain made up to defeat the guess costs twice
 * a binary search at most.
 */
size_t
denial_nsec3_find(const struct image_nsec3 *ix, size_t n, const uint8_t *hash)
{
	size_t		 lo = 0, hi = n, mid;
	uint64_t	 k = be64(hash), a, b, m;
	int		 guess = 1;

	/* entries before lo are not after the key, from hi on they are */
	while (lo < hi) {
		if (!guess || hi - lo < 8)
			mid = lo + (hi - lo) / 2;
		else if (k <= (a = be64(ix[lo].hash)))
			mid = lo;
		else if (k >= (b = be64(ix[hi - 1].hash)))
			mid = hi - 1;
		else
			mid = lo + (size_t)((double)(k - a) / (double)(b - a) *
			    (double)(hi - 1 - lo));
		guess = !guess;
		/* the first eight bytes decide but for one in 2^64 */
		if ((m = be64(ix[mid].hash)) < k || (m == k &&
		    memcmp(ix[mid].hash, hash, IMAGE_NSEC3_HASHLEN) <= 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo == 0 ? n - 1 : lo - 1);
}

static int
nsec_cmp(const void *ctx, size_t i)
{
	const struct nsec_key	*k = ctx;
	const struct image_name	*n = image_name_at(k->img, k->ix[i].name_off);

	return (dns_name_cmp(image_name_bytes(n), n->namelen, k->name,
	    k->len));
}

uint32_t
denial_cover(const uint8_t *img, const uint8_t *name, size_t len)
{
	const struct image_header	*h = (const void *)img;
	const struct image_nsec3	*n3;
	struct nsec3_param		 p;
	struct nsec_key			 k;
	uint8_t				 hash[IMAGE_NSEC3_HASHLEN];

	if (h->ndenial == 0)
		return (0);
	if (h->flags & IMG_Z_NSEC) {
		k.img = img;
		k.ix = (const struct image_nsec *)(img + h->denial_off);
		k.name = name;
		k.len = len;
		return (k.ix[denial_search(h->ndenial, nsec_cmp,
		    &k)].proof_off);
	}
	if (!(h->flags & IMG_Z_NSEC3))
		return (0);
	p.alg = h->nsec3_alg;
	p.iter = h->nsec3_iter;
	p.saltlen = h->nsec3_saltlen;
	memcpy(p.salt, h->nsec3_salt, p.saltlen);
	if (denial_nsec3_hash(&p, name, len, hash) == -1)
		return (0);
	n3 = (const struct image_nsec3 *)(img + h->denial_off);
	return (n3[denial_nsec3_find(n3, h->ndenial, hash)].proof_off);
}

const char *
denial_sig_state(uint32_t sig_expire, uint32_t expire, uint32_t refresh,
    int32_t *left)
{
	int32_t	 d = (int32_t)(sig_expire - (uint32_t)time(NULL));

	if (left != NULL)
		*left = d;
	if (d <= 0)
		return ("expired");
	if ((uint32_t)d <= expire || (uint32_t)d <= refresh)
		return ("expiring");
	return ("ok");
}
