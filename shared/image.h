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
 * The zone database image, version 5 (version 4 had neither the served
 * serial nor the records of a name, version 3 no DNSSEC answers,
 * version 2 the SOA of negative answers in their blobs, version 1 no
 * IMG_N_PROXY either): one file per zone, built by zoned, mapped
 * read-only by every serverd, never modified in place but by an overlay
 * (below), which serverd applies in pages of its own.
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
 * serial is the upstream serial the image was built from; served, the
 * serial its SOA records carry (secd.conf(5) serial policy): the same in
 * a signed zone, whose SOA is signed.  content identifies the records
 * served, whatever their order (the sum of SipHash-1-3 of each, with a
 * key of zeros, in wire form with the upstream SOA): a full build of the
 * same records keeps the served serial; 0 when unknown (an overlay of a
 * signed zone).
 *
 * struct image_name is followed by the name (lower-case wire form,
 * namelen bytes), padding to 4, then ntypes struct image_rrset sorted by
 * type.  Each image_rrset points to the blob answering that type at this
 * name.  other_off is the blob for any type not in the table (0: the
 * zone's NODATA blob); for a CNAME owner it is the CNAME chain followed
 * to a NODATA at its end, or to the referral of the cut it leads into.
 * A name flagged IMG_N_DELEG is a zone cut: its table holds only the DS
 * (the parent's side; NSEC and RRSIG get the referral, as from NSD and
 * Knot), every other type is answered with the referral blob at
 * deleg_off, except a DS the table lacks, answered with the zone's NODATA
 * (the parent side is authoritative for DS).  A name flagged IMG_N_BELOW
 * lies under a cut and is answered with deleg_off, that cut's referral,
 * for every type.  ANY
 * is not in the tables: the server answers it with the first RRset of the
 * table (RFC 8482), the CNAME for a CNAME owner.  A name under a DNAME
 * owner (its closest encloser in hash[] has a DNAME in its table) is
 * answered by the server, which makes the CNAME (RFC 6672) from the
 * DNAME blob: the DNAME record first, its target never compressed; the
 * names under a DNAME owner are flagged IMG_N_DNAMED and answered the
 * same way, their own records occluded (RFC 6672 section 2.4).  A
 * name flagged IMG_N_PROXY has its A and AAAA records from a proxy set (an
 * override, a proxied apex CNAME): serverd counts the A, AAAA and ANY
 * queries it answers from that name's table (show stats).
 *
 * The records of a name.  In a zone transferred out (IMG_Z_XFROUT), a
 * name's rec_off is its struct image_recs (0: none), the records served
 * at the name, each in uncompressed wire form (owner with its case,
 * type, class, TTL, rdata length, rdata; an SOA with the served serial):
 * an AXFR out is the SOA, every name's records but the SOA, the NSEC3
 * records of the denial index's proof blobs, then the SOA again.  The
 * owners of a name's records are the name (in any case); a name with
 * none (an empty non-terminal) has rec_off 0.
 *
 * Versions.  An overlay of a zone transferred out whose served serial it
 * moves (an unsigned zone, or one signed with NSEC) appends a struct
 * image_step at step_off: the version it makes from the one before,
 * for an IXFR out (RFC 1995).  from and to are the served serials before
 * and after; soa_old and soa_new the apex's records then and now (their
 * SOA is that version's); then n pairs, the records of each name whose
 * records changed, before and after (0: the name did not exist, or is
 * gone).  The records of a name in both versions are in both blocks:
 * the difference is what the IXFR deletes and adds.  prev_off is the
 * step before it (0: none, the base), always at a lower offset: the
 * steps since the base are a chain back from step_off.  A full build has
 * none (step_off 0): a client whose serial is older than the base gets
 * the whole zone.
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
 *
 * DNSSEC (RFC 4035 section 3.1).  A zone that carries DNSSEC records
 * (IMG_Z_SIGNED) has a second answer for every question, for queries with
 * the DO bit: every name's table is followed by a struct image_dnssec
 * holding the DO blob of each type of the table (same order), of other
 * types, of the referral, and the denial proofs of the names below it.
 * A DO blob carries the RRSIGs of every RRset it holds (the answer, the
 * NS of a referral's DS or of its denial, the additional A/AAAA that are
 * not glue) and may list proofs (IMG_B_PROOF): after fix[], a uint16_t
 * count (1 to IMAGE_MAXPROOF), then that many uint32_t offsets
 * (unaligned: read them with image_blob_proof()) of proof blobs.  A proof blob is one NSEC or NSEC3
 * RRset with its RRSIGs in the authority section, compressed against the
 * apex in the question only (as the SOA tail), so that it reads the same
 * wherever it is put.  The server builds the reply as data[0, arstart),
 * the SOA tail (dsoa_off for DO: the SOA and its RRSIGs) for IMG_B_SOA,
 * the proofs of the blob and those the query adds, each once, then
 * data[arstart, len); a DO blob's additional records point only before
 * arstart or into the question, so the proofs may go between.
 *
 * The proofs a query adds are those that depend on the query name, the
 * only ones that cannot be made at build time (RFC 4035 section 3.1.3,
 * RFC 5155 section 7.2): for a name that does not exist, the closest
 * encloser's nxd[] and the NSEC covering the query name (IMG_Z_NSEC), or
 * the NSEC3 covering the hash of the next closer name (IMG_Z_NSEC3);
 * for a wildcard answer, the same covering record, and for a wildcard
 * NODATA the closest encloser's wild proof too.  The denial index at
 * denial_off lists ndenial entries: struct image_nsec, the NSEC owners
 * in canonical order (RFC 4034 section 6.1), or struct image_nsec3, the
 * NSEC3 records of the chain the apex NSEC3PARAM names, by hash; the
 * covering entry is the last one not after the name (the last entry of
 * all when the name is before the first).  The NSEC3 records and their
 * RRSIGs are not names of the zone (RFC 5155 section 7.2.8): a query for
 * their owners is answered as for any name that does not exist.
 *
 * Overlays.  A change of a few names does not copy the image: zoned
 * appends to NAME.ovl an overlay, the next image as the difference from
 * the one before (the image the overlay applies to: NAME.img, the base,
 * with the overlays before it applied).  An overlay is
 *
 *	struct image_overlay			the record's header
 *	struct image_header			the next image's header
 *	uint8_t bytes[len], pad to 4		what goes at offset off
 *	struct image_slot[nslots]		hash slots, new values
 *
 * prev is FNV-1a of the header of the image it applies to, so an
 * overlay left after a new base (or forged, or out of order) does not
 * apply; off is that image's size, the next image's size off + len.
 * The header and the hash table are the only parts of an image the next
 * one rewrites in place (the hash table stays where the full build put
 * it, of its size and key): applied in order, the slots give the next
 * image's hash table.  sum is FNV-1a of the record's header up to sum,
 * then of the rest of the record: a record cut short by a kill (or
 * damaged) is told apart and ignored.  seq counts the overlays of a
 * base from 1.  The next image is checked as one a full image extends
 * (image_check_slots): only the slots the overlay changed and what they
 * reach.  An overlay never makes an image larger than image_reserve() of
 * its base: past it, zoned builds the zone in full.
 */
#ifndef SECD_IMAGE_H
#define SECD_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IMAGE_MAGIC		"SECDIMG"	/* with its NUL: 8 bytes */
#define IMAGE_VERSION		5
#define IMAGE_BOM		0x01020304U
#define IMAGE_HASH_KEYLEN	16
#define IMAGE_MAXPROBE		1024

struct image_header {
	char			 magic[8];
	uint32_t		 version;
	uint32_t		 bom;
	uint32_t		 header_size;	/* its sizeof */
	uint32_t		 size;		/* of the whole file */
	uint32_t		 serial;	/* upstream */
	uint32_t		 served;	/* in its SOA records */
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
	uint32_t		 dsoa_off;	/* blob: the same, with RRSIGs */
	uint32_t		 denial_off;	/* the denial index (DNSSEC) */
	uint32_t		 ndenial;	/* its entries */
	uint32_t		 sig_expire;	/* earliest RRSIG expiration */
	uint32_t		 sig_missing;	/* RRsets without an RRSIG */
	uint32_t		 chain_breaks;	/* next names that miss */
	uint16_t		 nsec3_iter;	/* the NSEC3 chain's */
	uint8_t			 nsec3_alg;
	uint8_t			 nsec3_saltlen;
	uint8_t			 nsec3_salt[255];
	uint8_t			 pad;
	uint8_t			 hash_key[IMAGE_HASH_KEYLEN];
	int64_t			 built;		/* time(3) of the build */
	uint64_t		 content;	/* of the records, or 0 */
	uint32_t		 step_off;	/* the last version step, or 0 */
	uint32_t		 pad2;
	uint8_t			 apexlen;
	uint8_t			 apex[255];	/* lower-case wire form */
};

/*
 * The first fields of struct image_header stay where they are in every
 * version from IMAGE_PREFIX_VERSION on: a later version changes what
 * follows them only.  An image or overlay of another version is not
 * served, but the serial it served is read from this prefix, so that the
 * serial secd serves never goes back across an upgrade
 * (ovl_served_prefix).
 */
struct image_prefix {
	char			 magic[8];
	uint32_t		 version;
	uint32_t		 bom;
	uint32_t		 header_size;
	uint32_t		 size;
	uint32_t		 serial;
	uint32_t		 served;
};

#define IMAGE_PREFIX_VERSION	5

_Static_assert(offsetof(struct image_header, served) ==
    offsetof(struct image_prefix, served) &&
    offsetof(struct image_header, header_size) ==
    offsetof(struct image_prefix, header_size),
    "struct image_header's first fields moved");

#define IMG_Z_SIGNED		0x0001	/* carries RRSIG/DNSKEY/NSEC(3) */
#define IMG_Z_NSEC		0x0002	/* the denial index is NSEC */
#define IMG_Z_NSEC3		0x0004	/* the denial index is NSEC3 */
#define IMG_Z_XFROUT		0x0008	/* names have their records */

struct image_name {
	uint8_t			 namelen;
	uint8_t			 flags;		/* IMG_N_* */
	uint16_t		 ntypes;
	uint32_t		 other_off;	/* blob for other types, or 0 */
	uint32_t		 deleg_off;	/* referral blob, or 0 */
	uint32_t		 rec_off;	/* struct image_recs, or 0 */
	/* uint8_t name[namelen], pad to 4, struct image_rrset[ntypes] */
};

#define IMG_N_APEX		0x01
#define IMG_N_DELEG		0x02	/* zone cut below the apex */
#define IMG_N_BELOW		0x04	/* under a zone cut (glue, occluded) */
#define IMG_N_WILD		0x08	/* "*.<this name>" exists */
#define IMG_N_ENT		0x10	/* empty non-terminal */
#define IMG_N_CNAME		0x20	/* owns a CNAME */
#define IMG_N_PROXY		0x40	/* answers A/AAAA with a proxy set */
#define IMG_N_DNAMED		0x80	/* under a DNAME owner: occluded */

struct image_rrset {
	uint16_t		 type;
	uint16_t		 pad;
	uint32_t		 blob_off;
};

/* A version: the names' records before and after (IMG_Z_XFROUT). */
struct image_step {
	uint32_t		 prev_off;	/* the step before, or 0 */
	uint32_t		 from;		/* served serial before */
	uint32_t		 to;		/* ... after */
	uint32_t		 soa_old;	/* the apex's image_recs before */
	uint32_t		 soa_new;	/* ... after */
	uint32_t		 n;		/* pairs */
	/* struct image_steppair pairs[n] */
};

struct image_steppair {
	uint32_t		 old_recs;	/* image_recs before, or 0 */
	uint32_t		 new_recs;	/* ... after, or 0 */
};

#define IMAGE_MAXSTEPS		4096	/* followed back by an IXFR */

/* The records of a name (IMG_Z_XFROUT), at a multiple of 4. */
struct image_recs {
	uint32_t		 len;		/* of data[] */
	uint32_t		 count;		/* records in data[] */
	/* uint8_t data[len] */
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
#define IMG_B_PROOF		0x80	/* lists proofs (DNSSEC) */

/* After a name's table, in a signed image (IMG_Z_SIGNED). */
struct image_dnssec {
	uint32_t		 other_off;	/* DO: other types, or 0 */
	uint32_t		 deleg_off;	/* DO: the referral, or 0 */
	uint32_t		 nxd[2];	/* proofs: no such name below */
	uint32_t		 wild;		/* proof: "*.<it>" NODATA */
	/* uint32_t rrset_off[ntypes]: DO blob of each type of the table */
};

#define IMAGE_MAXPROOF		12	/* proofs a blob lists, at most */
#define IMAGE_NSEC3_HASHLEN	20	/* SHA-1, the one NSEC3 hash */
#define IMAGE_NSEC3_MAXITER	2500	/* RFC 5155 section 10.3 */

struct image_nsec {
	uint32_t		 name_off;	/* struct image_name */
	uint32_t		 proof_off;	/* its NSEC, a proof blob */
};

struct image_nsec3 {
	uint8_t			 hash[IMAGE_NSEC3_HASHLEN];
	uint32_t		 proof_off;	/* the NSEC3, a proof blob */
};

#define OVERLAY_MAGIC		"SECDOVL"	/* with its NUL: 8 bytes */
#define OVERLAY_VERSION		1
#define OVERLAY_MAXSLOTS	(1U << 28)	/* more than any hash table */

struct image_overlay {
	char			 magic[8];
	uint32_t		 version;
	uint32_t		 bom;		/* IMAGE_BOM */
	uint32_t		 seq;		/* 1, 2, ... after the base */
	uint32_t		 prev;		/* FNV-1a of the last header */
	uint32_t		 off;		/* the last image's size */
	uint32_t		 len;		/* bytes appended at off */
	uint32_t		 nslots;	/* struct image_slot */
	uint32_t		 sum;		/* FNV-1a, above */
};

struct image_slot {
	uint32_t		 slot;		/* index in hash[] */
	uint32_t		 off;		/* its new value */
};

/* The largest image the overlays of a base of size bytes may make. */
#define IMAGE_RESERVE(size)	((size_t)(size) + (size_t)(size) / 2 + \
				    ((size_t)1 << 20))

/*
 * An image of at most IMAGE_SMALL bytes is a small zone's: zoned hands
 * serverd the file itself and each serverd copies it into its own memory
 * (no mapping, whose page and kernel map entry would cost more than the
 * image, and of which a process may hold only some 65,000 on Linux); a
 * larger one is handed as a sealed copy that every serverd maps
 * (sealed.h).
 */
#define IMAGE_SMALL		16384

#define IMAGE_ALIGN4(x)		(((x) + 3) & ~(size_t)3)

/* SipHash-1-3 of a name with a key of IMAGE_HASH_KEYLEN bytes, folded. */
uint32_t	 image_hash(const uint8_t *, const uint8_t *, size_t);
int		 image_check(const uint8_t *, size_t, char *, size_t);
int		 image_check_next(const uint8_t *, size_t, const uint8_t *,
		    size_t, char *, size_t);
int		 image_check_slots(const struct image_header *,
		    const uint8_t *, size_t, const uint32_t *,
		    const uint32_t *, size_t, char *, size_t);

/* Overlays (overlay.c). */
uint32_t	 overlay_prev(const struct image_header *);
size_t		 overlay_size(const struct image_overlay *);
size_t		 overlay_size_as(const struct image_overlay *, size_t);
uint32_t	 overlay_sum(const uint8_t *, size_t);
void		 overlay_seal(uint8_t *, size_t);
int		 overlay_read(const uint8_t *, size_t, size_t *);
int		 overlay_apply(uint8_t *, size_t, size_t *, const uint8_t *,
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

/* The number of proofs a blob lists (IMG_B_PROOF), and the i-th. */
static inline size_t
image_blob_nproof(const struct image_blob *b)
{
	uint16_t	 n;

	if (!(b->flags & IMG_B_PROOF))
		return (0);
	memcpy(&n, image_blob_fix(b) + b->nfix, sizeof(n));
	return (n);
}

static inline uint32_t
image_blob_proof(const struct image_blob *b, size_t i)
{
	uint32_t	 off;

	memcpy(&off, (const uint8_t *)(image_blob_fix(b) + b->nfix) + 2 +
	    i * 4, sizeof(off));
	return (off);
}

static inline const uint8_t *
image_blob_data(const struct image_blob *b)
{
	const uint8_t	*p = (const uint8_t *)(image_blob_fix(b) + b->nfix);

	if (b->flags & IMG_B_PROOF)
		p += 2 + image_blob_nproof(b) * 4;
	return (p);
}

/* A name's DNSSEC part, in a signed image. */
static inline const struct image_dnssec *
image_name_dnssec(const struct image_name *n)
{
	return (const struct image_dnssec *)(image_name_rrsets(n) +
	    n->ntypes);
}

static inline const uint32_t *
image_dnssec_rrsets(const struct image_dnssec *d)
{
	return ((const uint32_t *)(d + 1));
}

#endif
