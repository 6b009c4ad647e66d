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
 * The sandbox: pledge(2) and unveil(2) for every secd process.
 *
 * A process, after its setup and privilege drop, names the paths it still
 * needs with sandbox_unveil() and then the subsystems it still needs with
 * sandbox_pledge().  Both are logged with log_debug(): that log is the
 * audit trace of what each process holds.  sandbox_info() describes what
 * was applied, for "secctl show sandbox".
 *
 * OpenBSD: the real calls.  sandbox_unveil() calls unveil(2) at once;
 * sandbox_pledge() locks the unveil list and calls pledge(2).
 *
 * Linux: the same promises, enforced by two kernel mechanisms, both applied
 * by sandbox_pledge() and both inherited across fork and execve:
 *
 *   - Landlock (unveil): one ruleset that handles every filesystem right
 *     the running kernel knows, with one rule per unveiled path.  With no
 *     unveil at all the ruleset still applies and allows no filesystem
 *     access: a process that needs no disk gets none.  Without inet the
 *     ruleset also denies TCP bind and connect (Landlock ABI >= 4; with
 *     dns only, TCP connect to port 53).  A kernel without Landlock gets
 *     seccomp only; that is logged once and shown as backend "seccomp".
 *   - seccomp-bpf (pledge), built with libseccomp from one documented
 *     syscall list per promise in sandbox_linux.c, with argument checks
 *     where a register holds the answer (open flags, socket domain).
 *
 * A violation: a syscall outside the promises returns SECCOMP_RET_TRAP,
 * so the kernel sends SIGSYS to the thread.  The handler that
 * sandbox_pledge() installs writes one line, "xfrd[123]: sandbox
 * violation: syscall openat (257); exiting", with log_sigsafe() (stderr in
 * the foreground, else a datagram to syslog's socket opened before any
 * chroot), then resets SIGSYS to its default action and raises it: the
 * process dies of SIGSYS, and the parent, which sees that wait status,
 * logs it and shuts secd down.  We trap rather than kill outright only to
 * name the syscall in the log; nothing is ever allowed to continue.
 * A path outside the unveiled ones is not a violation on either system:
 * the call fails with EACCES (Linux) or ENOENT (OpenBSD).
 */
#ifndef SECD_SANDBOX_H
#define SECD_SANDBOX_H

struct ctl_sandbox;

void	sandbox_unveil(const char *, const char *);
void	sandbox_pledge(const char *);
void	sandbox_info(struct ctl_sandbox *);

/*
 * Between sandbox.c and the Linux backend only.  The promise words, as
 * bits; sandbox.c parses and checks the words, the backend maps the bits.
 */
#define SB_STDIO	0x00000001
#define SB_RPATH	0x00000002
#define SB_WPATH	0x00000004
#define SB_CPATH	0x00000008
#define SB_FATTR	0x00000010
#define SB_FLOCK	0x00000020
#define SB_INET		0x00000040
#define SB_UNIX		0x00000080
#define SB_DNS		0x00000100
#define SB_SENDFD	0x00000200
#define SB_RECVFD	0x00000400
#define SB_PROC		0x00000800
#define SB_EXEC		0x00001000
#define SB_ID		0x00002000
#define SB_GETPW	0x00004000

#ifdef __linux__
void		 sandbox_linux_unveil(const char *, const char *);
void		 sandbox_linux_pledge(unsigned int);
const char	*sandbox_linux_backend(void);
#endif

#endif
