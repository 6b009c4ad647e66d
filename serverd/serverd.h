/*
 * serverd: answers queries from the zone images zoned hands it.
 */
#ifndef SECD_SERVERD_H
#define SECD_SERVERD_H

#include <stdint.h>

#include "child.h"
#include "secd.h"

struct answer_info;

/* Counters of this serverd; the parent sums them for show stats. */
extern struct ctl_stats	 stats;

/* serverd.c */
void	serverd_main(int, int, int);
void	serverd_count(const struct answer_info *, int, size_t);

/* udp.c */
void	udp_init(struct child_listen *);

/* tcp.c */
void	tcp_init(struct child_listen *);

#endif
