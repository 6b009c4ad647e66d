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
 * The zone builder's insides; zoned uses builder.h.  One concept a file,
 * its functions named for it, each file calling the ones below it:
 *
 *	update.c (upd_, u_)	the kept builder: a change of a few owners
 *	builder.c (bld_, b_)	the build: the records checked, the names'
 *				flags, the answers of each name composed
 *				(cuts, CNAME chains, additional data), the
 *				entries, the hash, the header; a builder
 *				made and freed
 *	proof.c (proof_, p_)	DNSSEC: the denial chain and the proofs
 *	blob.c (blob_)		an answer in wire form, stored once
 *	node.c (node_)		the names, the records by name
 *	imgbuf.c (imgbuf_)	the image in memory, written to its file
 *	dep.c (dep_)		what the answers of each name looked up
 *	rdata.c (rd_)		what the builder reads inside rdata
 *
 * but that builder.c calls upd_keep() after a build to be kept, and that
 * every file reports its errors through bld_fail().
 *
 * The state of a builder is in two parts: struct builder, the zone's
 * records, names, deps, hash and chain, which a kept builder holds
 * between changes, and struct bscratch, what one build or update writes
 * with, freed when it is done.
 */
#ifndef SECD_BUILD_H
#define SECD_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "builder.h"
#include "denial.h"
#include "dns.h"
#include "image.h"

#define NONE		UINT32_MAX
#define MAXTARGETS	512		/* names given additional data */
#define IMG_MAXSIZE	0x7fffffffU
#define BLOB_MAXDATA	65535
#define PTR_MAXOFF	0x3fff
#define QOFF		DNS_HDRLEN	/* the question name in a blob */
#define MAXFIX		(BLOB_MAXDATA / 2)
#define MAXPROOF	IMAGE_MAXPROOF	/* proofs a blob lists */
#define BLD_SOAMAX	(2 * DNS_MAXNAME + 20)	/* an SOA's rdata */
#define NODE_MAXRR	UINT16_MAX	/* records at one name */

enum bmode { B_EXACT, B_SHARED, B_WILD };
enum bsect { S_AN, S_NS, S_AR };

/*
 * A name: 28 bytes, a kept zone holds one a name (its hash is computed
 * again when needed: node_hash).  Its records are at
 * most NODE_MAXRR visible and NODE_MAXRR hidden (node.c).
 */
struct bnode {
	uint32_t		 name;		/* lower case (node_name) */
	uint32_t		 parent;	/* NONE for the apex */
	uint32_t		 first;		/* its first in b->rrs */
	uint16_t		 nrr;
	uint16_t		 nhid;		/* hidden records after nrr */
	uint32_t		 off;		/* its struct image_name */
	uint32_t		 nkids;		/* children not N_DEAD */
	uint8_t			 len;
	uint8_t			 labels;
	uint8_t			 flags;		/* IMG_N_* */
	uint8_t			 state;		/* N_* (update.c) */
};

#define N_DEAD		0x01		/* no records, no children */
#define N_TOUCHED	0x02		/* records changed (update) */
#define N_DIRTY		0x04		/* entry to write (update) */
#define N_NEWREF	0x08		/* its referral moved (update) */
#define N_DNAME		0x10		/* owns a DNAME (bld_nflags) */

/* A name not in the image's hash, by the hash of its name (node.c). */
struct hnode {
	uint32_t		 hash;
	uint32_t		 node;
};

/* A zone cut's referral blobs, DO=0 and DO (bld_deleg). */
struct bcut {
	uint32_t		 node;
	uint32_t		 deleg[2];
};

/* The names each node's answers looked up, by hash (dep.c). */
struct dep {
	uint32_t		 hash;
	uint32_t		 node;
};

/*
 * A record as the builder holds it (struct zrr, builder.h, is how it
 * comes): 16 bytes, a kept zone holds one a record.  Its owner is its
 * name's node (the name in lower case) or, when ownerlen is not 0 (an
 * owner spelled with capitals, an NSEC3 owner, which names no node), the
 * ownerlen bytes before its rdata.  Its bytes are in the builder's
 * chunks, which do not move (node.c, node_bytes); its class is IN
 * (bld_rrcheck).
 */
struct brr {
	uint32_t		 data;		/* its rdata (bld_rd) */
	uint32_t		 ttl;
	uint16_t		 type;
	uint16_t		 rdlen;
	uint8_t			 ownerlen;	/* 0: its node's name */
	uint8_t			 proxy;		/* from the proxy set */
	uint8_t			 hidden;	/* replaced by the merge */
	uint8_t			 apexcname;	/* at the apex by its CNAME */
};

/*
 * The chunks records' bytes are in: a reference is the chunk's index
 * above BRR_CHUNKBITS, the offset in it below; a record (its owner and
 * its rdata) fits in one.
 */
#define BRR_CHUNKBITS	20
#define BRR_CHUNK	((size_t)1 << BRR_CHUNKBITS)
#define BRR_MAXCHUNKS	((size_t)1 << (32 - BRR_CHUNKBITS))

/* An NSEC3 record or its RRSIG, by the hash its owner spells (proof.c). */
struct n3rec {
	uint8_t			 hash[IMAGE_NSEC3_HASHLEN];
	uint32_t		 rr;		/* in b->rrs */
};

/* A node's own NSEC3, found once per build or update (proof.c). */
struct n3hit {
	uint32_t		 proof;		/* 0: none */
	uint32_t		 key;		/* dep key of its hash */
	int			 known;
};

/* One answer being built, in a message of its own (blob.c). */
struct bblob {
	struct wbuf		 w;
	struct dns_compress	 cmp;
	const uint8_t		*self;		/* the question name */
	size_t			 selflen;
	size_t			 start;		/* of data[] in w.buf */
	size_t			 ptrmax;	/* farthest pointer target */
	size_t			 arstart;
	size_t			 nfix;
	uint16_t		 count[3];
	enum bsect		 sect;
	enum bmode		 mode;
	uint8_t			 flags;
	int			 selfonly;	/* add no name to cmp */
	uint32_t		 proof[MAXPROOF];	/* proof blobs */
	size_t			 nproof;
	int			 toomany;	/* proofs past MAXPROOF */
};

/*
 * The names a kept builder outgrew (node.c): the records builder_owner()
 * gave out point into them, so they are kept, not moved, until the
 * builder goes.
 */
struct oldnames {
	struct oldnames		*next;
	uint8_t			*names;
	size_t			 cap;
};

struct dslot {
	uint32_t		 off;		/* 0: empty */
	uint32_t		 hash;
};

struct tent {
	uint16_t		 type;
	uint32_t		 blob;
};

/*
 * The scratch of one build or update (b->s): the caller's error buffer,
 * the image being written, the answer being written and the tables of
 * its name.  bld_scratch_new() makes it; it goes when the build or the
 * update is done (bld_scratch_free()): a kept builder holds none between
 * changes.
 */
struct bscratch {
	char			*err;		/* the caller's, errlen bytes */
	size_t			 errlen;
	int			 keep;		/* to keep: deps recorded */
	uint32_t		 curnode;	/* whose lookups are deps */
	int			 dnssec;	/* writing DO blobs */
	/* the image (imgbuf.c) and its blobs by hash of data (blob.c) */
	uint8_t			*img;
	size_t			 base;		/* img[0] is this offset */
	size_t			 len, cap;
	struct dslot		*dedup;
	uint32_t		 dedupmask, ndedup;
	/* a full build's: the node of each record, the NSEC3 records */
	uint32_t		*rrnode;
	size_t			 rrnodecap;
	uint32_t		*nhash;		/* each node's, while built */
	size_t			 nnhash, nhashcap;
	size_t			 nindexed;	/* records with their node */
	uint32_t		 prevrr;	/* the last owner's first */
	uint32_t		*n3rr;		/* no names: for proof.c */
	size_t			 nn3rr, n3rrcap;
	/* an update's: the NSEC3 hashes changed, the chain moved */
	uint8_t			(*n3chg)[IMAGE_NSEC3_HASHLEN];
	size_t			 nn3chg, n3chgcap;
	int			 chainmoved;	/* the index to write again */
	uint32_t		 stepoff;	/* an update's version step */
	/* the name being written: its DO=0 and DO=1 tables, its targets */
	struct tent		*tents[2];
	size_t			 ntents[2], tentcap[2];
	uint32_t		 targets[MAXTARGETS];
	size_t			 ntargets;
	/* the answer being written (blob.c) */
	struct bblob		 bb;
	/* from here on not zeroed (bld_scratch_new): written, then read */
	uint16_t		 fix[MAXFIX];
	uint8_t			 bbuf[QOFF + DNS_MAXNAME + 4 + BLOB_MAXDATA];
};

/*
 * What a node or an entry of the denial chain adds to the zone's health
 * (proof.c, p_health): kept so that a change counts again only what it
 * reaches.
 */
struct share {
	uint32_t	 exp;	/* its earliest RRSIG expiration, 0 */
	uint16_t	 miss;	/* RRsets without an RRSIG (a node) */
	uint8_t		 bad;	/* P_NOSIG, P_BREAK (an entry) */
};

/*
 * A zone's builder.  Every field but s outlives the build: a kept builder
 * (update.c) holds them between changes.
 */
struct builder {
	struct bscratch		*s;		/* NULL between them */
	/*
	 * the zone: its records as they come in zs.rrs (the caller's, read
	 * until node_sort), then the builder's own by node in rrs, their
	 * bytes in chunks
	 */
	const struct zone_src	*src;		/* &zs, from b_new on */
	struct zone_src		 zs;
	uint8_t			 apex[DNS_MAXNAME];
	struct brr		*rrs;
	size_t			 nrr, rrcap;
	uint8_t			**chunks;	/* node_bytes */
	size_t			 nchunks, chunklen, chunkcap;	/* the last's */
	size_t			 chunkbytes, chunkwant;
	uint32_t		 soa;		/* the apex SOA record */
	uint32_t		 negttl;	/* RFC 2308 section 5 */
	/* the names and the records by name (node.c) */
	uint8_t			 key[IMAGE_HASH_KEYLEN];
	struct bnode		*nodes;
	uint32_t		 nnodes, nodecap;
	uint8_t			*names;
	size_t			 nameslen, namescap;
	int			 kept;		/* upd_keep: names stay, grow less */
	struct oldnames		*oldnames;	/* names outgrown since */
	const uint8_t		*base;		/* node_base */
	size_t			 basesize;
	/*
	 * found by the name table while built; once kept (node_kept) by
	 * slotnode, and extra for the names the image's hash lacks
	 */
	uint32_t		*tab;		/* node + 1, by hash (node.c) */
	uint32_t		 tabmask;
	struct hnode		*extra;
	size_t			 nextra, extracap;
	uint32_t		 maxlabels;
	uint32_t		 apexlabels;
	/* what each name's answers looked up (dep.c) */
	struct dep		*deps;
	size_t			 ndeps, depcap, depsorted;
	/* the image written last: its hash, what its header says */
	size_t			 size;
	size_t			 garbage;	/* appended since the build */
	struct image_header	 hdr;		/* its header */
	uint32_t		 ovlseq;	/* overlays since the build */
	uint32_t		*slotnode;	/* its hash: a slot's node */
	uint32_t		 hashsize, hashoff, nnames;
	uint32_t		 zflags;
	uint32_t		*recs;		/* a node's image_recs, */
	size_t			 recscap;	/* when transferred out */
	struct bcut		*cuts;		/* by node */
	size_t			 ncuts, cutcap;
	uint32_t		 nxdomain, nodata, soatail;
	uint32_t		 dsoatail;	/* the SOA tail with RRSIGs */
	/* DNSSEC (proof.c): the denial chain */
	struct n3hit		*n3hit;		/* each node's NSEC3 */
	struct share		*nshare;	/* each node's share */
	size_t			 nodeextcap;	/* of these two */
	uint32_t		 sigexp;	/* earliest RRSIG expiration */
	uint32_t		 sigmissing;	/* RRsets without an RRSIG */
	uint32_t		 breaks;	/* of the denial chain */
	struct n3rec		*n3rec;		/* NSEC3 records by hash */
	size_t			 nn3rec, n3reccap;
	struct nsec3_param	 n3p;
	struct image_nsec3	*n3ix;		/* the chain, by hash */
	struct share		*n3share;	/* each entry's share */
	size_t			 nn3, n3ixcap;
	uint32_t		*nsecnode;	/* NSEC owners, canonical */
	uint32_t		*nsecproof;
	struct share		*nsecshare;	/* each entry's share */
	size_t			 nnsec, nseccap;
	uint32_t		 denialoff, ndenial;
};

/* update.c */
int	upd_keep(struct builder *);

/* builder.c */
void	bld_nflags(struct builder *, uint32_t);
int	bld_ncheck(struct builder *, uint32_t);
int	bld_signed(struct builder *, uint32_t);
int	bld_rrcheck(struct builder *, const struct zrr *);
const uint8_t *bld_owner(struct builder *, uint32_t, const struct brr *,
	    size_t *);
void	bld_zrr(struct builder *, uint32_t, const struct brr *,
	    struct zrr *);
int	bld_node(struct builder *, uint32_t);
size_t	bld_nodecap(const struct builder *, size_t);
uint32_t bld_recs(const struct builder *, uint32_t);
int	bld_setrecs(struct builder *, uint32_t, uint32_t);
uint32_t bld_cut(const struct builder *, uint32_t);
uint32_t bld_deleg(const struct builder *, uint32_t, int);
int	bld_setdeleg(struct builder *, uint32_t, int, uint32_t);
const uint8_t *bld_rdata(struct builder *, const struct brr *, uint8_t *);
int	bld_zone_blobs(struct builder *);
int	bld_scratch_new(struct builder *, int, char *, size_t);
void	bld_scratch_free(struct builder *);
void	bld_free(struct builder *);
void	bld_header_state(struct builder *, struct image_header *);
int	bld_fail(struct builder *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	bld_rrfail(struct builder *, const struct zrr *, const char *);
int	bld_namefail(struct builder *, const uint8_t *, size_t, uint16_t,
	    const char *);

/* proof.c */
int	proof_chain(struct builder *);
int	proof_n3set(struct builder *, const uint8_t *, uint32_t, uint32_t);
int	proof_update(struct builder *);
int	proof_index(struct builder *);
int	proof_n3owner(struct builder *, const uint8_t *, size_t, uint8_t *);
size_t	proof_n3records(struct builder *, const uint8_t *, size_t *);
void	proof_nodata(struct builder *, uint32_t);
void	proof_nxname(struct builder *, const uint8_t *, size_t);
void	proof_wild(struct builder *, const uint8_t *, size_t, uint32_t, int);
void	proof_ds(struct builder *, uint32_t);
void	proof_ce(struct builder *, uint32_t, uint32_t *, uint32_t *);

/* blob.c */
void	blob_begin(struct builder *, const uint8_t *, size_t, enum bmode);
void	blob_sect(struct builder *, enum bsect);
int	blob_rr(struct builder *, const struct brr *, const uint8_t *, size_t,
	    uint32_t);
int	blob_rrset(struct builder *, uint32_t, uint32_t, uint32_t,
	    const uint8_t *, size_t);
int	blob_sigs(struct builder *, uint32_t, uint16_t, const uint8_t *,
	    size_t);
int	blob_soa(struct builder *);
int	blob_addrs(struct builder *, uint32_t, int *);
int	blob_end(struct builder *, uint32_t *);
int	blob_reserve(struct builder *, size_t);
int	blob_fail(struct builder *, const uint8_t *, size_t, uint16_t);

/* node.c */
int	node_begin(struct builder *, size_t, size_t);
void	node_count(const struct zone_src *, size_t *, size_t *);
int	node_index(struct builder *);
int	node_toomany(struct builder *, uint32_t);
int	node_sort(struct builder *);
int	node_base(struct builder *, int, size_t);
int	node_unhashed(struct builder *, uint32_t);
void	node_kept(struct builder *);
int	node_put(struct builder *, const struct zrr *, uint32_t,
	    struct brr *);
uint32_t node_get(struct builder *, const uint8_t *, size_t);
uint32_t node_lookup(struct builder *, const uint8_t *, size_t);
const uint8_t *node_name(struct builder *, uint32_t);
uint32_t node_hash(struct builder *, uint32_t);
int	node_range(struct builder *, uint32_t, uint16_t, uint32_t *,
	    uint32_t *);
uint32_t node_grp_end(struct builder *, uint32_t, uint32_t);

/* imgbuf.c */
int	imgbuf_grow(struct builder *, size_t);
int	imgbuf_put(struct builder *, const void *, size_t, size_t);
int	imgbuf_write(struct builder *, int);

/* dep.c */
void	dep_add(struct builder *, uint32_t);
void	dep_sort(struct builder *);
void	dep_mark(struct builder *, uint32_t);

/* rdata.c */
int	rd_layout(uint16_t, struct dns_rdlayout *);
int	rd_check(uint16_t, const uint8_t *, size_t);
int	rd_target(uint16_t, const uint8_t *, size_t, const uint8_t **,
	    size_t *);
uint16_t rd_covered(uint16_t, const uint8_t *, size_t);
uint32_t rd_negttl(uint32_t, const uint8_t *, size_t);

/* A record's rdata, in the builder's chunks (struct brr). */
static inline const uint8_t *
bld_rd(const struct builder *b, const struct brr *rr)
{
	return (b->chunks[rr->data >> BRR_CHUNKBITS] +
	    (rr->data & (BRR_CHUNK - 1)));
}

/* The type an RRSIG the builder holds covers (rd_covered). */
static inline uint16_t
bld_covered(const struct builder *b, const struct brr *rr)
{
	return (rd_covered(rr->type, bld_rd(b, rr), rr->rdlen));
}

#endif
