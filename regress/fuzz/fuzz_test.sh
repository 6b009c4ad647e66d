#! /usr/bin/env atf-sh
# Copyright (c) 2026 The secd developers
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# Every fuzz target (regress/fuzz/targets) replays its corpus: each input
# once through LLVMFuzzerTestOneInput, built with the normal compiler
# (and under make check-sanitize with ASan and UBSan), so that every
# input that once crashed a parser stays fixed.  make fuzz looks for new
# ones (README.md, "Fuzzing").

# replay TARGET: every file of corpus/TARGET through the target; fails on
# a crash, a sanitizer report, or an empty corpus.
replay() {
	src=$(atf_get_srcdir)
	[ -x "$src/$1" ] || atf_fail "$1: not built"
	n=$(ls "$src/corpus/$1" | wc -l)
	[ "$n" -gt 0 ] || atf_fail "$1: the corpus is empty"
	"$src/$1" "$src/corpus/$1" >out 2>err ||
	    { tail -30 err; atf_fail "$1: replay failed (above)"; }
	grep -q "^$n inputs replayed$" out ||
	    atf_fail "$1: expected $n inputs replayed, got: $(cat out)"
}

atf_init_test_cases() {
	for t in $(awk '!/^#/ && NF { print $1 }' \
	    "$(atf_get_srcdir)/targets"); do
		eval "atf_test_case $t
		${t}_head() { atf_set descr 'corpus/$t replayed'; }
		${t}_body() { replay $t; }"
		atf_add_test_case "$t"
	done
}
