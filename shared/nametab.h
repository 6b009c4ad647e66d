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
 * A table of a process's zones by name, so that finding one among
 * 100,000 is a lookup, not a walk: each element is the caller's, its
 * name (a zone name of secd.conf's form, or any string) read with the
 * table's key function.  Open addressing, at most half full; the names
 * are the configuration's, so an outsider only looks up.
 */
#ifndef SECD_NAMETAB_H
#define SECD_NAMETAB_H

#include <stddef.h>

struct nametab {
	void		**slot;
	size_t		  mask;		/* slots - 1; 0: none yet */
	size_t		  n;
	const char	*(*key)(const void *);
};

void	 nametab_init(struct nametab *, const char *(*)(const void *));
int	 nametab_add(struct nametab *, void *);
void	*nametab_find(const struct nametab *, const char *);
void	 nametab_del(struct nametab *, const void *);
void	 nametab_free(struct nametab *);

#endif
