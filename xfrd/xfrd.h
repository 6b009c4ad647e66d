/*
 * xfrd's state: one struct xzone per configured zone, and the transfer in
 * progress for it, if any.
 */
#ifndef SECD_XFRD_H
#define SECD_XFRD_H

#include <sys/queue.h>

#include <event.h>

#include "dns.h"
#include "proc.h"
#include "secd.h"

struct xfr;

struct xzone {
	TAILQ_ENTRY(xzone)	 entry;
	char			 name[SECD_NAMESTRLEN];
	uint8_t			 apex[DNS_MAXNAME];
	size_t			 apexlen;
	struct zone_conf	*conf;		/* in the running config */
	int			 have_serial;
	uint32_t		 serial;
	struct xfr		*xfr;		/* in progress, or NULL */
	int			 primary;	/* index tried next */
	struct event		 timer;
	int			 retries;
	struct xfr_msg		 last;		/* last transfer's outcome */
};

TAILQ_HEAD(xzones, xzone);

/* xfrd.c */
void	 xfrd_main(int, int, int);
void	 xfrd_xfr_done(struct xzone *, int, const char *);
struct tsig_key *xfrd_key(const char *);
struct imsgev *xfrd_zoned(void);

/* axfr.c */
struct xfr *xfr_start(struct xzone *, const struct primary_conf *);
void	 xfr_cancel(struct xfr *);
void	 xfr_resume(void);

#endif
