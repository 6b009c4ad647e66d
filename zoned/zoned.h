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
 * zoned: keeps the transferred zones, builds their images and hands them
 * to every serverd.
 */
#ifndef SECD_ZONED_H
#define SECD_ZONED_H

#include "proc.h"
#include "secd.h"
#include "store.h"
#include "override.h"
#include "child.h"

/* zoned.c */
void	 zoned_main(int, int, int);
int	 zoned_configured(const char *);
int	 zoned_install(const char *, const char *, char *, size_t);
int	 zoned_info(const char *, struct xfr_msg *);
int	 zoned_load(const char *, const char *, struct stored_zone *, char *,
	    size_t);
int	 zoned_load_request(struct imsgev *, uint32_t, const char *,
	    struct stored_zone *);
int	 zoned_load_overrides(struct imsgev *, uint32_t, const char *,
	    struct overrides *);
uint32_t zoned_rebuild(const char *, struct stored_zone *, const char *,
	    struct overrides *, char *, size_t);
uint32_t zoned_update(const char *, const struct bowner *, size_t,
	    uint32_t, const char *, struct overrides *, int);
struct builder *zoned_live(const char *);
const struct zone_conf *zoned_zone_conf(const char *);
const struct proxy_conf *zoned_proxy_conf(const char *);
uint32_t zoned_tag(const char *);
int	 zoned_nserverd(void);

/* proxy.c */
void	 zoned_proxy(struct imsgev *, uint32_t, const struct ctl_request *);
void	 proxy_ack(struct imsgev *, const struct zone_image_msg *, int);
void	 zoned_wait(struct imsgev *, uint32_t, const char *, uint32_t,
	    const char *, const char *);

/* audit.c */
void	 zoned_audit(struct imsgev *, uint32_t, const char *);

/* apex.c */
void	 zoned_apex(struct imsgev *, uint32_t, const struct ctl_request *);
void	 apex_resolved(struct imsgev *, struct imsg *);
void	 apex_merged(const char *, const struct apex_state *);
int	 apex_reused(const char *);
void	 apex_show(struct imsgev *, uint32_t, struct overrides *,
	    const struct zone_src *, const uint8_t *, size_t);

/* ixfr.c */
int	 ixfr_apply(const char *, const char *, const char *, char *,
	    size_t);
uint32_t ixfr_live(const char *, const char *, const char *, uint32_t);
struct imsgev *zoned_xfrd(void);

/* show.c */
void	 zoned_show_zone(struct imsgev *, uint32_t, const char *,
	    const char *);
void	 show_row(struct imsgev *, uint32_t, struct ctl_rr *, const char *);
void	 show_rr(struct imsgev *, uint32_t, const struct zrr *, const char *);

/* xfr.c */
void	 zxfr_imsg(struct imsg *);

#endif
