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
 * A zone image that cannot change under serverd once serverd checked it
 * (secd(8), THE DATABASE).  zoned hands serverd a sealed copy of NAME.img,
 * not the file: a file zoned can write it could also rewrite or truncate
 * after the check, and serverd would read bytes it never checked or die
 * of SIGBUS.
 *
 * Linux (sealed_linux.c): the copy is a memfd sealed against writing,
 * shrinking and growing (memfd_create(2), F_ADD_SEALS); serverd maps it
 * only with those seals on, and every serverd shares its pages.
 * Elsewhere (sealed_other.c): there are no sealed files; the descriptor
 * is the file, and each serverd reads it into memory of its own.
 */
#ifndef SEALED_H
#define SEALED_H

#include <stddef.h>

/* zoned: a descriptor of a sealed copy of fd's size bytes, or -1 (errno) */
int	 sealed_copy(int, size_t);
/*
 * serverd: the size bytes of a sealed copy, read-only, at the start of a
 * range of cap bytes reserved for the overlays it will take (the rest
 * inaccessible, PROT_NONE): a private mapping, so the pages an overlay
 * patches (mprotect(2)ed writable, then read-only) become serverd's own
 * and the copy stays as it is.  NULL with err set; sealed_unmap(p, cap)
 * when done.
 */
void	*sealed_map(int, size_t, size_t, char *, size_t);
void	 sealed_unmap(void *, size_t);

#endif
