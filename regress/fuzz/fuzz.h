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
 * What every fuzz target under regress/fuzz/ defines: libFuzzer's entry
 * points.  LLVMFuzzerInitialize sets up what does not depend on the input
 * (a built image, a key) and is called once, by libFuzzer or by replay.c.
 */
#ifndef SECD_FUZZ_H
#define SECD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* harness.c, linked into every target */
struct imsgbuf;
struct imsgev;
struct imsg;
struct secd_conf;
int	fuzz_call(void (*)(void *), void *);
struct secd_conf *fuzz_conf(const char *);
const char *fuzz_input(const uint8_t *, size_t);
void	fuzz_channel(struct imsgev *, struct imsgev *);
int	fuzz_imsg(struct imsgbuf *, struct imsgbuf *, uint32_t, uint32_t, int,
	    const void *, size_t, struct imsg *);
void	fuzz_imsgs(const uint8_t *, size_t, void (*)(int, uint32_t, uint32_t,
	    int, const uint8_t *, size_t));
void	fuzz_drain(struct imsgbuf *, struct imsgbuf *,
	    void (*)(struct imsg *, void *), void *);
/* the child's env, for fuzz_from_parent; set by its target */
struct child_env;
extern struct child_env *fuzz_env;
void	fuzz_from_parent(void *);
int	fuzz_deliver(struct imsgev *, struct imsgev **,
	    void (*const *)(void *), int, uint32_t, uint32_t, int,
	    const uint8_t *, size_t);
int	fuzz_emptydir(const char *);
void	fuzz_rmdir(const char *);

#endif
