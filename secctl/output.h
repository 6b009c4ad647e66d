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
 * secctl: printing what secd answered, as text for people or as JSON for
 * scripts (-j; the formats are documented in secctl.8 and stay stable).
 */
#ifndef SECCTL_OUTPUT_H
#define SECCTL_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parser.h"
#include "secd.h"

/* One IMSG_CTL_RR, its strings copied out of the message. */
struct rr_row {
	char			 type[16];
	char			 proxy[16];
	uint32_t		 ttl;
	char			*name;
	char			*content;
};

/*
 * show zones as the zones come (zones_add): in text the first ZONES_HEAD
 * are kept to size the table's columns, then each row goes out as it
 * comes, the notes after the table gathered in a memory stream.
 */
#define ZONES_HEAD	256

struct zstream {
	struct ctl_zone		*head;		/* rows before the header */
	size_t			 nhead;
	int			 headed;	/* the header is out */
	size_t			 nshown;	/* JSON objects printed */
	size_t			 wz, wst, wl, wn, wp;	/* column widths */
	int			 anycat;	/* a CATALOG column */
	FILE			*notes;
	char			*notesbuf;
	size_t			 noteslen;
};

/* Everything received for one request, checked, before the result. */
struct replies {
	int			 have_status;
	struct ctl_status	 status;
	struct ctl_proc		*procs;
	size_t			 nprocs;
	struct ctl_sandbox	*sandboxes;
	size_t			 nsandboxes;
	struct zstream		 zs;		/* show zones */
	struct rr_row		*rrs;
	size_t			 nrrs;
	int			 have_sigs;	/* show zone, a signed zone */
	struct ctl_sigs		 sigs;
	int			 have_stats;
	struct ctl_stats	 stats;
	struct ctl_proxystat	*pstats;	/* summed by zone and name */
	size_t			 npstats;
	size_t			 nsizes;	/* show sizes: rows printed */
};

void	zones_add(struct zstream *, const struct ctl_zone *, int);
void	sizes_add(struct replies *, const struct ctl_zsize *, int);

/*
 * audit ZONE at ADDRESS: the plan zoned sent (r's rows) carried out, the
 * findings printed; 1 when there is a leak or a name went unanswered.
 */
int	audit_at(const struct parse_result *, struct replies *, int);

/* The answer to a request that succeeded; msg is the result's text. */
void	output(const struct parse_result *, struct replies *,
	    const char *, int);

#endif
