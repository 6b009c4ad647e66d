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
 * The configuration: secd.conf(5) parsed into a struct secd_conf
 * (shared/secd.h), and the helpers every process uses on it.
 */
#ifndef SECD_CONFIG_H
#define SECD_CONFIG_H

#include <stdio.h>

#include "secd.h"

#define SECD_PORT		53	/* listen, primary, resolver */
#define SECD_PROXY_TTL		300	/* proxy { ttl } */
#define SECD_TTL_MAX		2147483647	/* RFC 2181 */
#define SECD_XFR_TIMEOUT	600	/* transfer timeout, s */
#define SECD_XFR_MAXRECORDS	50000000ULL	/* transfer max-records */
#define SECD_XFR_MAXBYTES	(4ULL << 30)	/* transfer max-bytes */
#define SECD_XFR_CONCURRENT	16	/* transfer max-concurrent */
/* its largest value: zoned takes that many transfers at once */
#define SECD_XFR_CONCURRENT_MAX	1024
#define SECD_XFROUT_CONCURRENT	10	/* provide transfer max-concurrent */
#define SECD_XFROUT_PER_SOURCE	2	/* provide transfer max-per-source */
#define SECD_XFROUT_MAX		1024
#define SECD_TCP_IDLE		10	/* tcp idle-timeout, s */
#define SECD_TCP_IO		2	/* tcp io-timeout, s */
#define SECD_TCP_CONNS		512	/* tcp max-connections */
#define SECD_TCP_PER_SOURCE	32	/* tcp max-per-source */
#define SECD_RRL_RESPONSES	20	/* rate-limit responses, per s */
#define SECD_RRL_RESPONSES_MAX	1000000
#define SECD_RRL_SLIP		2	/* rate-limit slip */
#define SECD_RRL_SLIP_MAX	10
#define SECD_RRL_V4PREFIX	24	/* rate-limit ipv4-prefix */
#define SECD_RRL_V6PREFIX	56	/* rate-limit ipv6-prefix */
#define SECD_RRL_SIZE		65536	/* rate-limit table-size */
#define SECD_RRL_SIZE_MIN	1024
#define SECD_RRL_SIZE_MAX	(1 << 24)

/* config_print_flags() */
#define CONF_PRINT_SECRETS	0x01	/* secrets in base64, not "********" */

/* config.c */
struct secd_conf	*config_new(void);
void			 config_proxy_init(struct proxy_conf *);
void			 config_free(struct secd_conf *);
void			 config_print(FILE *, const struct secd_conf *);
void			 config_print_flags(FILE *, const struct secd_conf *,
			    int);
struct tsig_key		*config_key(struct secd_conf *, const char *);
struct zone_conf	*config_zone(struct secd_conf *, const char *);
struct zone_conf	*config_zone_new(const char *,
			    const struct zone_opts *);
struct zone_opts	*config_opts_new(void);
void			 config_opts_free(struct zone_opts *);
void			 config_peers_free(struct primary_confs *);
int			 config_opts_add(struct secd_conf *,
			    struct zone_opts *);
int			 config_opts_same(const struct zone_opts *,
			    const struct zone_opts *);
int			 config_index(struct secd_conf *);
const struct proxy_conf	*config_proxy(const struct secd_conf *,
			    const struct zone_conf *);
void			 config_limits(const struct secd_conf *,
			    const struct zone_conf *, struct xfr_limits *);
const char		*tsig_alg_name(enum tsig_alg);
int			 tsig_alg_byname(const char *);
const char		*sa_str(const struct sockaddr_storage *);
int			 sa_addr_eq(const struct sockaddr_storage *,
			    const struct sockaddr_storage *);
int			 b64_decode(const char *, uint8_t *, size_t);
int			 b64_encode(const uint8_t *, size_t, char *, size_t);
int			 dname_normalize(const char *, char *, size_t);

/* config_rrl.c */
void			 config_rrl_init(struct rrl_conf *);
int			 config_prefix(const char *, struct net_prefix *);
int			 config_prefix_match(const struct net_prefix *,
			    const struct sockaddr *);
int			 config_hex(const char *, uint8_t *, size_t);
void			 config_rrl_print(FILE *, const struct secd_conf *,
			    int);

/* parse.y; parse_config()'s flags are for later use: pass 0 */
struct secd_conf	*parse_config(const char *, int);
int			 cmdline_symset(char *);

#endif
