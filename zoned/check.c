/*
 * The rules a transferred zone must follow before it replaces the served
 * one (RFC 1034, RFC 2181, RFC 5936 §3): one SOA, at the apex; NS at the
 * apex; class IN; no CNAME beside other data.  The records are visited
 * through an index sorted by owner (RFC 4034 canonical order), type and
 * arrival; the records themselves keep the order of the transfer.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "store.h"

static int	zrr_cmp(const void *, const void *);
static int	cname_ok_beside(uint16_t);
static int	check_sorted(struct zone_src *, const size_t *, char *,
		    size_t);

static const struct zrr	*cmp_rrs;	/* what zrr_cmp's indices index */

static int
zrr_cmp(const void *a, const void *b)
{
	size_t			 i = *(const size_t *)a, j = *(const size_t *)b;
	const struct zrr	*x = &cmp_rrs[i], *y = &cmp_rrs[j];
	int			 c;

	if ((c = dns_name_cmp(x->owner, x->ownerlen, y->owner,
	    y->ownerlen)) != 0)
		return c;
	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return i < j ? -1 : i > j;
}

/* Types that may share a name with a CNAME (RFC 2181 §10.1, RFC 4035). */
static int
cname_ok_beside(uint16_t type)
{
	return type == DNS_T_CNAME || type == DNS_T_RRSIG ||
	    type == DNS_T_NSEC || type == DNS_T_KEY || type == DNS_T_SIG ||
	    type == DNS_T_NXT;
}

int
zone_check(struct zone_src *src, char *err, size_t errlen)
{
	int	 rc;
	size_t	*idx, i;

	if ((idx = reallocarray(NULL, src->nrr ? src->nrr : 1,
	    sizeof(*idx))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < src->nrr; i++)
		idx[i] = i;
	cmp_rrs = src->rrs;
	qsort(idx, src->nrr, sizeof(*idx), zrr_cmp);
	rc = check_sorted(src, idx, err, errlen);
	free(idx);
	return rc;
}

static int
check_sorted(struct zone_src *src, const size_t *idx, char *err,
    size_t errlen)
{
	struct zrr	*r, *first;
	char		 name[DNS_MAXNAMESTR];
	size_t		 i, j, nsoa = 0, napexns = 0;
	int		 cname, other;

	for (i = 0; i < src->nrr; i = j) {
		first = &src->rrs[idx[i]];
		cname = other = 0;
		for (j = i; j < src->nrr && dns_name_equal(first->owner,
		    first->ownerlen, src->rrs[idx[j]].owner,
		    src->rrs[idx[j]].ownerlen); j++) {
			r = &src->rrs[idx[j]];
			if (r->class != DNS_C_IN) {
				snprintf(err, errlen, "a record of class %u",
				    r->class);
				return -1;
			}
			if (r->type == DNS_T_CNAME)
				cname++;
			else if (!cname_ok_beside(r->type))
				other++;
			if (dns_name_equal(r->owner, r->ownerlen, src->apex,
			    src->apexlen)) {
				if (r->type == DNS_T_SOA)
					nsoa++;
				if (r->type == DNS_T_NS)
					napexns++;
			} else if (r->type == DNS_T_SOA) {
				dns_name_to_text(r->owner, r->ownerlen, name,
				    sizeof(name));
				snprintf(err, errlen, "SOA at %s, not at the "
				    "apex", name);
				return -1;
			}
		}
		if (cname > 1 || (cname && other)) {
			dns_name_to_text(first->owner, first->ownerlen, name,
			    sizeof(name));
			snprintf(err, errlen, "%s: CNAME and other data", name);
			return -1;
		}
	}
	if (nsoa != 1) {
		snprintf(err, errlen, "%zu SOA records at the apex, expected "
		    "one", nsoa);
		return -1;
	}
	if (napexns == 0) {
		snprintf(err, errlen, "no NS records at the apex");
		return -1;
	}
	return 0;
}
