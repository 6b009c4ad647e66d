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

#endif
