/*
 * zoned: keeps the transferred zones, builds their images and hands them
 * to every serverd.
 */
#ifndef SECD_ZONED_H
#define SECD_ZONED_H

#include "proc.h"
#include "secd.h"
#include "store.h"
#include "child.h"

/* zoned.c */
void	 zoned_main(int, int, int);
int	 zoned_configured(const char *);
int	 zoned_install(const char *, const char *, char *, size_t);
int	 zoned_info(const char *, struct xfr_msg *);

/* ixfr.c */
int	 ixfr_apply(const char *, const char *, const char *, char *,
	    size_t);
struct imsgev *zoned_xfrd(void);

/* show.c */
void	 zoned_show_zone(struct imsgev *, uint32_t, const char *,
	    const char *);

/* xfr.c */
void	 zxfr_imsg(struct imsg *);

#endif
