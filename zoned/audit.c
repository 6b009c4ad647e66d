/*
 * secctl audit ZONE: every answer of the image served, read back the way
 * serverd sends it, checked for an origin address of a proxied name (SPEC
 * section 6: none may ever be served).  The origin addresses are the
 * transferred A and AAAA records at the proxied names, and at the apex
 * when an apex CNAME hides them.  A record of a proxied (or hidden) name
 * with an address outside its proxy set is a "leak": secd's fault, never
 * expected.  A record of another name with one of those addresses is
 * "exposed": that name is not proxied and shares the origin's address,
 * which the operator may want to know.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "log.h"
#include "override.h"
#include "zoned.h"

#define AUDIT_MAXROWS	1000	/* findings shown; all are counted */

/* An origin record (A, AAAA: its address; CNAME: none) and its owner. */
struct origin {
	uint8_t			 addr[16];
	uint8_t			 alen;		/* 0: a CNAME */
	uint8_t			 ownerlen;
	uint8_t			 owner[DNS_MAXNAME];
};

struct audit {
	struct imsgev		*parent;
	uint32_t		 id;
	const uint8_t		*img;
	size_t			 size;
	const struct proxy_conf	*pc;
	struct origin		*v;
	size_t			 n;
	uint64_t		 answers, records, leaks, exposed;
};

static int	audit_origins(struct audit *, const char *, char *, size_t);
static int	audit_is_proxy(const struct audit *, const struct dns_rr *);
static void	audit_blob(struct audit *, const uint8_t *, size_t, uint32_t);
static void	audit_rr(struct audit *, const struct dns_rr *,
		    const uint8_t *, size_t);

/* The origin addresses of zone's proxied names and hidden apex. */
static int
audit_origins(struct audit *a, const char *zone, char *err, size_t errlen)
{
	struct stored_zone	 sz;
	struct overrides	 o;
	struct over_index	 x;
	const struct zrr	*r;
	struct origin		*g;
	size_t			 i;
	int			 hidden;

	if (over_load(zone, &o, err, errlen) == -1)
		return -1;
	if (zoned_load(zone, NULL, &sz, err, errlen) == -1) {
		over_free(&o);
		return -1;
	}
	if (over_index(&x, &o) == -1 || (a->v = calloc(sz.src.nrr + 1,
	    sizeof(*a->v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		over_index_free(&x);
		store_unload(&sz);
		over_free(&o);
		return -1;
	}
	for (i = 0; i < sz.src.nrr; i++) {
		r = &sz.src.rrs[i];
		if ((r->type != DNS_T_A || r->rdlen != 4) &&
		    (r->type != DNS_T_AAAA || r->rdlen != 16) &&
		    r->type != DNS_T_CNAME)
			continue;
		hidden = o.apex.set && r->type != DNS_T_CNAME &&
		    dns_name_equal(r->owner, r->ownerlen, sz.src.apex,
		    sz.src.apexlen);
		if (!hidden && over_match(&x, r) == 0)
			continue;
		g = &a->v[a->n++];
		if (r->type != DNS_T_CNAME) {
			memcpy(g->addr, r->rdata, r->rdlen);
			g->alen = r->rdlen;
		}
		memcpy(g->owner, r->owner, r->ownerlen);
		g->ownerlen = r->ownerlen;
	}
	over_index_free(&x);
	store_unload(&sz);
	over_free(&o);
	return 0;
}

static int
audit_is_proxy(const struct audit *a, const struct dns_rr *rr)
{
	int	 i;

	for (i = 0; rr->type == DNS_T_A && i < a->pc->n4; i++)
		if (memcmp(rr->rdata, &a->pc->v4[i], 4) == 0)
			return 1;
	for (i = 0; rr->type == DNS_T_AAAA && i < a->pc->n6; i++)
		if (memcmp(rr->rdata, &a->pc->v6[i], 16) == 0)
			return 1;
	return 0;
}

/* One A or AAAA record of an answer to qname. */
static void
audit_rr(struct audit *a, const struct dns_rr *rr, const uint8_t *qname,
    size_t qlen)
{
	struct ctl_rr	 row;
	char		 q[DNS_MAXNAME * 4 + 2], content[DNS_MAXNAME * 4 + 96];
	char		 addr[INET6_ADDRSTRLEN];
	const char	*kind = NULL;
	size_t		 i;

	a->records++;
	if (audit_is_proxy(a, rr))
		return;
	for (i = 0; i < a->n; i++) {
		if (dns_name_equal(a->v[i].owner, a->v[i].ownerlen, rr->owner,
		    rr->ownerlen)) {
			kind = "leak";
			break;
		}
		if (a->v[i].alen == rr->rdlen &&
		    memcmp(a->v[i].addr, rr->rdata, rr->rdlen) == 0)
			kind = "exposed";
	}
	if (kind == NULL)
		return;
	if (*kind == 'l')
		a->leaks++;
	else
		a->exposed++;
	if (a->leaks + a->exposed > AUDIT_MAXROWS)
		return;
	memset(&row, 0, sizeof(row));
	strlcpy(row.type, rr->type == DNS_T_A ? "A" : "AAAA",
	    sizeof(row.type));
	dns_name_to_text(rr->owner, rr->ownerlen, row.name, sizeof(row.name));
	strlcpy(row.proxy, kind, sizeof(row.proxy));
	row.ttl = rr->ttl;
	dns_name_to_text(qname, qlen, q, sizeof(q));
	inet_ntop(rr->type == DNS_T_A ? AF_INET : AF_INET6, rr->rdata, addr,
	    sizeof(addr));
	snprintf(content, sizeof(content), "%s in an answer for %s", addr, q);
	show_row(a->parent, a->id, &row, content);
}

/*
 * The blob at off as serverd sends it for a query of qname: the header,
 * the question, data[] with its pointers moved; every record read back.
 */
static void
audit_blob(struct audit *a, const uint8_t *qname, size_t qlen, uint32_t off)
{
	const struct image_blob	*b = image_blob_at(a->img, off);
	const uint16_t		*fix = image_blob_fix(b);
	struct dns_rr		 rr;
	struct wire		 w;
	uint8_t			 msg[DNS_HDRLEN + DNS_MAXNAME + 4 + 65535];
	size_t			 start = DNS_HDRLEN + qlen + 4, i;
	uint16_t		 p;
	unsigned		 n;

	if (off == 0)
		return;
	a->answers++;
	memset(msg, 0, DNS_HDRLEN);
	memcpy(msg + DNS_HDRLEN, qname, qlen);
	memset(msg + DNS_HDRLEN + qlen, 0, 4);
	memcpy(msg + start, image_blob_data(b), b->len);
	for (i = 0; b->nfix > 0 && qlen != b->base && i < b->nfix; i++) {
		p = (msg[start + fix[i]] << 8 | msg[start + fix[i] + 1]) +
		    (qlen - b->base);
		msg[start + fix[i]] = p >> 8;
		msg[start + fix[i] + 1] = p & 0xff;
	}
	wire_init(&w, msg, start + b->len);
	wire_skip(&w, start);
	for (n = 0; n < (unsigned)b->ancount + b->nscount + b->arcount; n++) {
		if (wire_rr(&w, &rr) == -1) {
			log_warnx("audit: a blob at %u does not read back",
			    off);
			return;
		}
		if ((rr.type == DNS_T_A && rr.rdlen == 4) ||
		    (rr.type == DNS_T_AAAA && rr.rdlen == 16))
			audit_rr(a, &rr, qname, qlen);
	}
}

void
zoned_audit(struct imsgev *parent, uint32_t id, const char *zone)
{
	const struct image_header *h;
	const struct image_name	*nm;
	const struct image_rrset *rs;
	const uint32_t		*hash;
	struct audit		 a;
	struct stat		 st;
	char			 path[PATH_MAX], err[SECD_MSGLEN];
	uint32_t		 i, serial, nnames;
	void			*map;
	int			 fd, t;

	if (!zoned_configured(zone)) {
		child_result(parent, id, 1, "zone %s is not configured", zone);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.parent = parent;
	a.id = id;
	a.pc = zoned_proxy_conf(zone);
	if (store_path(zone, ".img", path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		child_result(parent, id, 1, "zone %s has no data yet", zone);
		return;
	}
	if (fstat(fd, &st) == -1 || (map = mmap(NULL, st.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		child_result(parent, id, 1, "zone %s: cannot map its image",
		    zone);
		return;
	}
	close(fd);
	a.img = map;
	a.size = st.st_size;
	if (image_check(a.img, a.size, err, sizeof(err)) == -1 ||
	    audit_origins(&a, zone, err, sizeof(err)) == -1) {
		munmap(map, st.st_size);
		free(a.v);
		child_result(parent, id, 1, "zone %s: %s", zone, err);
		return;
	}
	h = (const struct image_header *)a.img;
	hash = (const uint32_t *)(a.img + h->hash_off);
	audit_blob(&a, h->apex, h->apexlen, h->nxdomain_off);
	audit_blob(&a, h->apex, h->apexlen, h->nodata_off);
	for (i = 0; i < h->hash_size; i++) {
		if (hash[i] == 0)
			continue;
		nm = image_name_at(a.img, hash[i]);
		rs = image_name_rrsets(nm);
		for (t = 0; t < nm->ntypes; t++)
			audit_blob(&a, image_name_bytes(nm), nm->namelen,
			    rs[t].blob_off);
		audit_blob(&a, image_name_bytes(nm), nm->namelen,
		    nm->other_off);
		audit_blob(&a, image_name_bytes(nm), nm->namelen,
		    nm->deleg_off);
	}
	serial = h->serial;
	nnames = h->nnames;
	munmap(map, st.st_size);
	free(a.v);
	iev_add(parent);
	child_result(parent, id, 0, "zone %s serial %u: %u names, %llu "
	    "answers, %llu address records: %llu leaks, %llu exposed", zone,
	    serial, nnames,
	    (unsigned long long)a.answers, (unsigned long long)a.records,
	    (unsigned long long)a.leaks, (unsigned long long)a.exposed);
}
