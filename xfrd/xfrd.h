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
 * xfrd's state: one struct xzone per configured zone, with its SOA
 * timers, its primaries and the check or transfer in progress for it.
 *
 * A "round" is one attempt to bring a zone up to date: an SOA query to a
 * primary and, when the primary is newer, an IXFR (or AXFR) from it; on
 * failure the next primary, in order, skipping those in backoff.  A round
 * ends in success (the zone is current: REFRESH until the next one) or in
 * failure (every primary failed: RETRY).  EXPIRE after the last success
 * the zone is expired and answers SERVFAIL until a round succeeds.
 */
#ifndef SECD_XFRD_H
#define SECD_XFRD_H

#include <sys/queue.h>

#include <event.h>

#include "dns.h"
#include "proc.h"
#include "secd.h"

struct xfr;
struct soaq;
struct primary_conf;
struct nout;

enum xz_busy {
	XZ_IDLE,
	XZ_SOA,			/* SOA query sent */
	XZ_QUEUED,		/* waiting for a transfer slot */
	XZ_XFR,			/* transfer running */
	XZ_APPLY,		/* transfer with zoned */
};

struct xprimary {
	int64_t			 down_until;	/* skipped until then */
	int			 fails;		/* in a row */
};

/* A secctl refresh or retransfer waiting for the end of a round. */
struct xwaiter {
	TAILQ_ENTRY(xwaiter)	 entry;
	uint32_t		 id;
	uint32_t		 round;		/* answered when it ends */
};

/*
 * The last transfer of a zone as `secctl show zones` gives it (struct
 * xfr_msg without what the zone keeps elsewhere); msg NULL when none.
 */
struct xlast {
	uint32_t		 serial;
	int			 kind;		/* enum xfr_kind */
	int			 ok;
	uint64_t		 records;
	uint64_t		 bytes;
	int64_t			 when;		/* 0: none yet */
	uint32_t		 msecs;
	char			 primary[64];
	char			*msg;
};

/*
 * A zone's NOTIFY out (notify_out.c): the served serial last announced
 * and, for each target that has not acknowledged it yet, a struct nout;
 * a target that has costs nothing.  opts holds the targets announced to
 * (a reload compares the new ones with them).
 */
struct nout_zone {
	TAILQ_HEAD(, nout)	 pending;
	const struct zone_opts	*opts;		/* in the running config */
	int			 have;		/* serial announced */
	uint32_t		 serial;
	uint64_t		 sent, acked, failed;
	int64_t			 error_when;
	char			*error;		/* the last failure, or NULL */
};

/*
 * A zone: its name, apex, SOA and texts allocated at their size, so that
 * a zone costs what it holds (a few hundred bytes besides them).
 */
struct xzone {
	TAILQ_ENTRY(xzone)	 entry;
	TAILQ_ENTRY(xzone)	 qentry;	/* XZ_QUEUED */
	char			*name;
	uint8_t			*apex;
	size_t			 apexlen;
	struct zone_conf	*conf;		/* in the running config */
	int			 loaded;	/* zoned said what it has */
	int			 checking;	/* rounds may start: loaded, or
						   secctl asked before */

	/* the served zone, from zoned */
	int			 have_serial;
	uint32_t		 serial;
	uint32_t		 served;	/* in the SOA served */
	uint32_t		 refresh, retry, expire;
	uint16_t		 soalen;
	uint8_t			*soa;		/* rdata, for the IXFR request */
	int64_t			 checked;	/* last success, 0: never */
	int			 expired;
	int			 dnssec;	/* signed, sig_expire set */
	uint32_t		 sig_expire;	/* earliest RRSIG expiration */
	uint32_t		 sig_missing;	/* RRsets without an RRSIG */
	uint32_t		 chain_breaks;	/* of its NSEC(3) chain */
	const char		*sig_logged;	/* sig state last warned of */

	/* the round in progress */
	enum xz_busy		 busy;
	uint32_t		 round;		/* rounds started */
	struct soaq		*soaq;
	struct xfr		*xfr;
	int			 kind;		/* of the transfer to run */
	int			 force;		/* AXFR, whatever the serial */
	int			 again;		/* another round after this */
	int			 pi;		/* primary index */
	int			 nprim;
	struct xprimary		*prim;
	int			 failed_rounds;	/* in a row */
	char			 primary[64];	/* the last one that served */
	char			*outcome;	/* of the round, or NULL */

	struct event		 timer;		/* next round */
	struct event		 exptimer;	/* EXPIRE */
	struct xlast		 last;		/* last transfer */
	int64_t			 error_when;
	char			*error;		/* the last, or NULL */
	TAILQ_HEAD(, xwaiter)	 waiters;
	int64_t			 notify_sec;	/* rate limit */
	int			 notify_n;
	struct nout_zone	 nout;		/* NOTIFY out */
};

TAILQ_HEAD(xzones, xzone);

/* xfrd.c */
void	 xfrd_main(int, int, int);
struct tsig_key *xfrd_key(const char *);
struct tsig_keys *xfrd_keys(void);
struct secd_conf *xfrd_conf(void);
struct imsgev *xfrd_zoned(void);
struct imsgev *xfrd_parent(void);
void	 xfrd_serverd_all(int, const void *, size_t);
struct xzone *xfrd_zone(const char *);
struct xzone *xfrd_zone_apex(const uint8_t *, size_t);
extern struct ctl_stats xstats;

/* zone.c: the rounds */
struct xzone *xz_new(struct zone_conf *);
void	 xz_free(struct xzone *);
void	 xz_reconf(struct xzone *, struct zone_conf *);
void	 xz_loaded(struct xzone *, const struct xfr_msg *);
void	 xz_check(struct xzone *, const char *);
void	 xz_request(struct xzone *, uint32_t, int);
void	 xz_soa_done(struct xzone *, int, uint32_t, const char *);
void	 xz_xfr_failed(struct xzone *, int, const char *);
void	 xz_xfr_current(struct xzone *, uint32_t);
void	 xz_xfr_sent(struct xzone *);
void	 xz_result(struct xzone *, const struct xfr_msg *);
void	 xz_serving(struct xzone *, const struct zone_served_msg *);
int	 xz_produced(const struct xzone *);
void	 xz_soa(struct xzone *, const uint8_t *, size_t);
const char *xz_state(const struct xzone *);
const char *xz_sig_state(const struct xzone *, int32_t *);
int64_t	 xz_next_check(struct xzone *);
const struct primary_conf *xz_primary(struct xzone *);

/* soa.c: the SOA query, over UDP */
#define SOA_OK		0
#define SOA_FAIL	1
#define SOA_TRUNCATED	2	/* ask by IXFR over TCP instead */
struct soaq *soa_start(struct xzone *, const struct primary_conf *);
void	 soa_cancel(struct soaq *);

/* xfr.c: IXFR and AXFR, over TCP */
struct xfr *xfr_start(struct xzone *, const struct primary_conf *, int);
struct xfr *xfr_new(struct xzone *, const struct primary_conf *, int);
uint16_t xfr_qid(const struct xfr *);
int	 xfr_message(struct xfr *, const uint8_t *, size_t);
void	 xfr_cancel(struct xfr *);
void	 xfr_last(struct xzone *, const struct xfr_msg *);
void	 xfr_resume(void);
int	 xfr_running(void);

/* notify.c */
void	 notify_imsg(struct imsgev *, struct imsg *);

/* notify_out.c: NOTIFY to the zone's notify targets (RFC 1996) */
void	 nout_serving(struct xzone *, uint32_t);
void	 nout_reconf(struct xzone *);
void	 nout_free(struct xzone *);
void	 nout_show(const struct xzone *, struct ctl_notify_out *);

/* resolve.c */
void	 resolve_imsg(const struct apex_msg *);
void	 resolve_reconf(void);

#endif
