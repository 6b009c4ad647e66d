/*
 * Response rate limiting of UDP answers (secd.conf(5) rate-limit).
 */
#ifndef SECD_RRL_H
#define SECD_RRL_H

#include <stddef.h>
#include <stdint.h>

struct answer_info;
struct rrl_conf;
struct sockaddr;

#define RRL_PASS	0
#define RRL_SLIP	1	/* send it truncated: rrl_slip() */
#define RRL_DROP	2

/* The configuration; on 0 (no rate-limit block) turns it off. */
void	rrl_configure(const struct rrl_conf *, int);
int	rrl_check(const struct sockaddr *, const struct answer_info *);
size_t	rrl_slip(uint8_t *, size_t, const struct answer_info *);

#endif
