/*
 * The zone database image, version 3 (version 2 had the SOA of negative
 * answers in their blobs, version 1 no IMG_N_PROXY either): one
 * file per zone, built by zoned, mapped read-only (MAP_SHARED) by every
 * serverd, never modified in place.
 * Position-independent: every reference is a 32-bit offset from the start
 * of the file.  Host byte order; IMAGE_BOM tells a foreign image apart.
 *
 * Layout (every struct starts at an offset that is a multiple of 4):
 *
 *	struct image_header			at offset 0
 *	name entries, blobs			anywhere after the header
 *	uint32_t hash[hash_size]		open addressing, linear probing
 *
 * hash[] maps the lower-case wire name of every name in the zone (owners,
 * empty non-terminals, glue) to its struct image_name; 0 is an empty slot;
 * the slot of a name is image_hash(hash_key, name) & (hash_size - 1).
 * hash_key is drawn at random for each build, so that a primary cannot
 * choose names that all land in one probe chain.  nnames < hash_size, so
 * a probe for a missing name meets an empty slot, and no name sits more
 * than IMAGE_MAXPROBE slots after its own (the builder grows the table if
 * it must), which bounds both the check of an image and every lookup.
 * maxlabels is the largest label count of a name in hash[] (the root
 * label not counted): a closest-encloser walk may start at the suffix of
 * the query name with maxlabels labels.
 *
 * struct image_name is followed by the name (lower-case wire form,
 * namelen bytes), padding to 4, then ntypes struct image_rrset sorted by
 * type.  Each image_rrset points to the blob answering that type at this
 * name.  other_off is the blob for any type not in the table (0: the
 * zone's NODATA blob); for a CNAME owner it is the CNAME chain followed
 * to a NODATA at its end, or to the referral of the cut it leads into.  A name flagged IMG_N_DELEG is a zone cut: its
 * table holds only the parent-side types (DS, NSEC, RRSIG), every other
 * type is answered with the referral blob at deleg_off, except a DS the
 * table lacks, answered with the zone's NODATA (the parent side is
 * authoritative for DS).  A name flagged IMG_N_BELOW lies under a cut and
 * is answered with deleg_off, that cut's referral, for every type.  ANY
 * is not in the tables: the server answers it with the first RRset of the
 * table (RFC 8482), the CNAME for a CNAME owner.  A name under a DNAME
 * owner (its closest encloser in hash[] has a DNAME in its table) is
 * answered by the server, which makes the CNAME (RFC 6672) from the
 * DNAME blob: the DNAME record first, its target never compressed.  A
 * name flagged IMG_N_PROXY has its A and AAAA records from a proxy set (an
 * override, a proxied apex CNAME): serverd counts the A, AAAA and ANY
 * queries it answers from that name's table (show stats).
 *
 * A blob is a ready-made answer: the counts, the rcode, and the answer,
 * authority and additional records in wire form, compressed as if they
 * followed a question at offset 12 whose name is `base` bytes long.  The
 * server copies the header, the query's own question, then data[].  When
 * the query's name is as long as base (an exact match), nothing is patched.
 * Otherwise (the blob is shared: NXDOMAIN, NODATA, referrals, wildcards)
 * every compression pointer listed in fix[] is moved by
 * (qnamelen - base): they point at suffixes of the question name, which
 * the longer query name moves, or into the records, which move with it.
 * A wildcard's owner is written as a pointer to offset 12, the query name
 * itself, and is not listed in fix[]; no other pointer of a wildcard blob
 * points at offset 12.  Every pointer in fix[] points backwards at offset
 * 12 or more, not into the question's type and class, and stays at most
 * 0x3fff when moved by the longest name (target + 255 - base <= 0x3fff).
 * A blob with nfix 0 is used as it is, whatever the query name's length:
 * the builder writes base 0 in it and shares identical ones.
 *
 * A blob flagged IMG_B_SOA is a negative answer (NXDOMAIN, NODATA, the
 * end of a CNAME chain) and has no additional section: the server
 * appends the zone's SOA record, the data of the blob at soa_off, to its
 * authority section, that blob's own pointers moved by (qnamelen - its
 * base) and one more in NSCOUNT.  The SOA tail has base = the apex, one
 * authority record (the SOA with the negative TTL, RFC 2308 section 5),
 * and points only into the question: it reads the same wherever it is
 * appended (with nfix 0, in the root zone, base is 0 as in any such
 * blob).  So a new serial changes one small blob, not every negative
 * answer.  The zone's NXDOMAIN and NODATA blobs are flagged and empty.
 *
 * Blobs start at multiples of 2.  The additional section starts at
 * data[arstart]; when the whole does not fit a UDP reply the server drops
 * the additional section, and sets TC when IMG_B_GLUE says the additional
 * records are glue a referral needs.
 */
#ifndef SECD_IMAGE_H
#define SECD_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAGIC		"SECDIMG"	/* with its NUL: 8 bytes */
#define IMAGE_VERSION		3
#define IMAGE_BOM		0x01020304U
#define IMAGE_HASH_KEYLEN	16
#define IMAGE_MAXPROBE		1024

struct image_header {
	char			 magic[8];
	uint32_t		 version;
	uint32_t		 bom;
	uint32_t		 header_size;	/* its sizeof */
	uint32_t		 size;		/* of the whole file */
	uint32_t		 serial;
	uint32_t		 flags;		/* IMG_Z_* */
	uint32_t		 nnames;
	uint32_t		 hash_off;
	uint32_t		 hash_size;	/* power of two */
	uint32_t		 apex_off;	/* struct image_name */
	uint32_t		 nxdomain_off;	/* blob, base = apex */
	uint32_t		 nodata_off;	/* blob, base = apex */
	uint32_t		 maxlabels;	/* deepest name in hash[] */
	uint32_t		 tag;		/* what else built it (zoned) */
	uint32_t		 soa_off;	/* blob: the SOA tail, below */
	uint8_t			 hash_key[IMAGE_HASH_KEYLEN];
	int64_t			 built;		/* time(3) of the build */
	uint8_t			 apexlen;
	uint8_t			 apex[255];	/* lower-case wire form */
};

#define IMG_Z_SIGNED		0x0001	/* carries RRSIG/DNSKEY/NSEC(3) */

struct image_name {
	uint8_t			 namelen;
	uint8_t			 flags;		/* IMG_N_* */
	uint16_t		 ntypes;
	uint32_t		 other_off;	/* blob for other types, or 0 */
	uint32_t		 deleg_off;	/* referral blob, or 0 */
	/* uint8_t name[namelen], pad to 4, struct image_rrset[ntypes] */
};

#define IMG_N_APEX		0x01
#define IMG_N_DELEG		0x02	/* zone cut below the apex */
#define IMG_N_BELOW		0x04	/* under a zone cut (glue, occluded) */
#define IMG_N_WILD		0x08	/* "*.<this name>" exists */
#define IMG_N_ENT		0x10	/* empty non-terminal */
#define IMG_N_CNAME		0x20	/* owns a CNAME */
#define IMG_N_PROXY		0x40	/* answers A/AAAA with a proxy set */

struct image_rrset {
	uint16_t		 type;
	uint16_t		 pad;
	uint32_t		 blob_off;
};

struct image_blob {
	uint16_t		 len;		/* of data[] */
	uint16_t		 ancount;
	uint16_t		 nscount;
	uint16_t		 arcount;
	uint16_t		 arstart;	/* offset in data[] */
	uint8_t			 flags;		/* IMG_B_*, rcode in low bits */
	uint8_t			 base;		/* question name length */
	uint16_t		 nfix;
	/* uint16_t fix[nfix]: offsets in data[] of pointers to move */
	/* uint8_t data[len] */
};

#define IMG_B_RCODE		0x0f
#define IMG_B_AA		0x10
#define IMG_B_GLUE		0x20	/* additional holds required glue */
#define IMG_B_SOA		0x40	/* append the SOA tail (soa_off) */

#define IMAGE_ALIGN4(x)		(((x) + 3) & ~(size_t)3)

/* SipHash-1-3 of a name with a key of IMAGE_HASH_KEYLEN bytes, folded. */
uint32_t	 image_hash(const uint8_t *, const uint8_t *, size_t);
int		 image_check(const uint8_t *, size_t, char *, size_t);
int		 image_check_next(const uint8_t *, size_t, const uint8_t *,
		    size_t, char *, size_t);

/* Accessors for a checked image. */
static inline const struct image_name *
image_name_at(const uint8_t *img, uint32_t off)
{
	return (const struct image_name *)(img + off);
}

static inline const uint8_t *
image_name_bytes(const struct image_name *n)
{
	return (const uint8_t *)(n + 1);
}

static inline const struct image_rrset *
image_name_rrsets(const struct image_name *n)
{
	return (const struct image_rrset *)((const uint8_t *)(n + 1) +
	    IMAGE_ALIGN4(n->namelen));
}

static inline const struct image_blob *
image_blob_at(const uint8_t *img, uint32_t off)
{
	return (const struct image_blob *)(img + off);
}

static inline const uint16_t *
image_blob_fix(const struct image_blob *b)
{
	return (const uint16_t *)(b + 1);
}

static inline const uint8_t *
image_blob_data(const struct image_blob *b)
{
	return (const uint8_t *)(image_blob_fix(b) + b->nfix);
}

#endif
