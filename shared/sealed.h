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
 * serverd: the size bytes of a sealed copy, read-only, or NULL with err
 * set; sealed_unmap() when done.
 */
void	*sealed_map(int, size_t, char *, size_t);
void	 sealed_unmap(void *, size_t);

#endif
