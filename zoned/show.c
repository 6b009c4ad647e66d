/*
 * secctl show zone ZONE: every stored record as a dashboard row (TYPE NAME
 * CONTENT PROXY TTL), one IMSG_CTL_RR each, content after the struct.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "log.h"
#include "zoned.h"

#define SHOW_CONTENT_MAX	(MAX_IMSGSIZE - IMSG_HEADER_SIZE - \
				    sizeof(struct ctl_rr))

void
zoned_show_zone(struct imsgev *parent, uint32_t id, const char *zone,
    const char *name)
{
	static char		 content[SHOW_CONTENT_MAX];
	struct stored_zone	 sz;
	struct ctl_rr		 rr;
	struct ibuf		*buf;
	struct zrr		*r;
	char			 path[PATH_MAX], err[SECD_MSGLEN];
	uint8_t			 want[DNS_MAXNAME];
	size_t			 i, wantlen = 0;

	if (!zoned_configured(zone)) {
		child_result(parent, id, 1, "zone %s is not configured", zone);
		return;
	}
	if (*name != '\0' && dns_name_from_text(name, want, &wantlen) == -1) {
		child_result(parent, id, 1, "%s is not a domain name", name);
		return;
	}
	if (store_path(zone, ".zone", path, sizeof(path)) == -1 ||
	    store_load(zone, path, &sz, err, sizeof(err)) == -1) {
		child_result(parent, id, 1, "zone %s has no data yet", zone);
		return;
	}
	for (i = 0; i < sz.src.nrr; i++) {
		r = &sz.src.rrs[i];
		if (wantlen && !dns_name_equal(r->owner, r->ownerlen, want,
		    wantlen))
			continue;
		memset(&rr, 0, sizeof(rr));
		dns_type_name(r->type, rr.type, sizeof(rr.type));
		strlcpy(rr.type, dns_type_name(r->type, rr.type,
		    sizeof(rr.type)), sizeof(rr.type));
		dns_name_to_text(r->owner, r->ownerlen, rr.name,
		    sizeof(rr.name));
		strlcpy(rr.proxy, "off", sizeof(rr.proxy));
		rr.ttl = r->ttl;
		if (rdata_to_text(r->type, r->rdata, r->rdlen, content,
		    sizeof(content)) == -1)
			strlcpy(content, "(does not fit)", sizeof(content));
		rr.len = strlen(content);
		if ((buf = imsg_create(&parent->ibuf, IMSG_CTL_RR, id, 0,
		    sizeof(rr) + rr.len)) == NULL ||
		    imsg_add(buf, &rr, sizeof(rr)) == -1 ||
		    imsg_add(buf, content, rr.len) == -1)
			fatal("%s", __func__);
		imsg_close(&parent->ibuf, buf);
	}
	iev_add(parent);
	store_unload(&sz);
	child_result(parent, id, 0, "%s", "");
}
