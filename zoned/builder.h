/*
 * The zone builder: the records of one zone, as zoned serves them, to the
 * database image serverd maps (shared/image.h).
 */
#ifndef SECD_BUILDER_H
#define SECD_BUILDER_H

#include <stddef.h>
#include <stdint.h>

/*
 * One record.  owner is in uncompressed wire form with its case; rdata
 * has its names expanded (rdata_expand() in shared/dns.h).
 */
struct zrr {
	const uint8_t		*owner;
	uint8_t			 ownerlen;
	uint16_t		 type;
	uint16_t		 class;
	uint32_t		 ttl;
	uint16_t		 rdlen;
	uint8_t			 proxy;		/* from the proxy set */
	const uint8_t		*rdata;
};

/* The records of a zone; the builder may reorder rrs[] in place. */
struct zone_src {
	const uint8_t		*apex;		/* wire form */
	size_t			 apexlen;
	uint32_t		 serial;
	uint32_t		 tag;		/* into the image header */
	struct zrr		*rrs;
	size_t			 nrr;
};

/*
 * Write the image of src to fd (from its current offset, the whole image
 * in one go).  0 on success; -1 with the reason in err on bad input, a
 * zone too large for the format, or a failed write.
 */
int	builder_build(const struct zone_src *, int, char *, size_t);

#endif
