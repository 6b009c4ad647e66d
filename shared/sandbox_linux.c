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
 * The Linux backend of the sandbox (see sandbox.h): unveil by Landlock,
 * pledge by seccomp-bpf.
 *
 * Each promise maps to a list of system calls below, in the spirit of
 * OpenBSD's pledge(2): stdio is computing on what the process already
 * holds; every other promise opens one door to the outside.  A system call
 * in no list traps (SECCOMP_RET_TRAP) and the SIGSYS handler logs it and
 * kills the process.
 *
 * What seccomp cannot see is left to Landlock or not checked at all:
 * seccomp sees the registers of a call, never the memory they point to, so
 * it checks open flags and socket domains but not paths, and not what a
 * sendmsg carries.  Paths are Landlock's: only the unveiled ones can be
 * opened, created, removed or executed.  Landlock does not govern stat,
 * readlink, chmod or chown of a path; those are bounded by the promises
 * (rpath, fattr) only.
 */
#ifdef __linux__

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/landlock.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "secd.h"
#include "sandbox.h"

/*
 * Landlock rights newer than the ABI 2 uapi header of Debian 12, with
 * the kernel's values: TRUNCATE came with ABI 3, network rules with ABI 4,
 * IOCTL_DEV with ABI 5.
 */
#define LL_FS_TRUNCATE		(1ULL << 14)
#define LL_FS_IOCTL_DEV		(1ULL << 15)
#define LL_NET_BIND_TCP		(1ULL << 0)
#define LL_NET_CONNECT_TCP	(1ULL << 1)
#define LL_RULE_NET_PORT	2

#define LL_FS_ABI1	((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)
#define LL_FS_FILE	(LANDLOCK_ACCESS_FS_EXECUTE |			\
			 LANDLOCK_ACCESS_FS_WRITE_FILE |		\
			 LANDLOCK_ACCESS_FS_READ_FILE |			\
			 LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

/* struct landlock_ruleset_attr as of ABI 4. */
struct ll_ruleset_attr {
	uint64_t	 handled_access_fs;
	uint64_t	 handled_access_net;
};

/* struct landlock_net_port_attr (ABI 4). */
struct ll_net_port_attr {
	uint64_t	 allowed_access;
	uint64_t	 port;
};

/* Syscall names for the SIGSYS handler, resolved before it can run. */
#define SB_NSYSNAMES	512
#define SB_SYSNAMELEN	32

#ifndef SYS_SECCOMP
#define SYS_SECCOMP	1
#endif

static int		 ll_probe(void);
static uint64_t		 ll_handled_fs(int);
static void		 ll_apply(unsigned int);
static void		 sc_rule(scmp_filter_ctx, uint32_t, const char *,
			    unsigned int, const struct scmp_arg_cmp *);
static void		 sc_allow(scmp_filter_ctx, const char *const *);
static void		 sc_allow_if(scmp_filter_ctx, const char *,
			    struct scmp_arg_cmp);
static void		 sc_stdio(scmp_filter_ctx);
static void		 sc_paths(scmp_filter_ctx, unsigned int);
static void		 sc_net(scmp_filter_ctx, unsigned int);
#ifdef SECD_SANITIZE
static void		 sc_sanitize(scmp_filter_ctx, unsigned int);
#endif
static void		 sc_names(void);
static void		 sc_catch(void);
static void		 sc_sigsys(int, siginfo_t *, void *);
static void		 sc_cat(char *, size_t, size_t *, const char *);
static void		 sc_num(char *, size_t, size_t *, long);

static int		 ll_abi = -1;	/* -1: not probed yet, 0: none */
static int		 ll_fd[SANDBOX_MAX_UNVEIL];
static uint64_t		 ll_access[SANDBOX_MAX_UNVEIL];
static int		 ll_n;

static char		 sc_sysname[SB_NSYSNAMES][SB_SYSNAMELEN];

/*
 * stdio: compute on what the process holds.  Memory; I/O on descriptors
 * already open, sockets included (accept on a listening socket it was
 * given, sendmsg/recvmsg on a channel); waiting for events; time;
 * signals to itself; its own ids; randomness; reaping children.  As on
 * OpenBSD, ftruncate, fsync and fchdir act on an open descriptor only and
 * are here; so does syncfs, Linux's fsync of a descriptor's whole file
 * system.  Conditional parts are in sc_stdio().
 */
static const char *const sc_stdio_list[] = {
	/* memory */
	"brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "msync",
	/* descriptors already open */
	"read", "readv", "pread64", "preadv", "preadv2",
	"write", "writev", "pwrite64", "pwritev", "pwritev2",
	"copy_file_range",
	"lseek", "close", "close_range", "dup", "dup2", "dup3", "fcntl",
	"fstat", "fsync", "fdatasync", "syncfs", "ftruncate", "fchdir",
	"pipe", "pipe2",
	/* sockets already open (sendto: see sc_stdio) */
	"sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "recvfrom",
	"accept", "accept4", "getsockname", "getpeername",
	"getsockopt", "setsockopt", "shutdown",
	/* waiting */
	"poll", "ppoll", "select", "pselect6",
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "epoll_pwait2", "eventfd2",
	"timerfd_create", "timerfd_settime", "timerfd_gettime",
	/* time */
	"clock_gettime", "clock_getres", "clock_nanosleep", "gettimeofday",
	"time", "nanosleep", "getitimer", "setitimer", "alarm",
	/* signals (kill and tgkill to itself: see sc_stdio) */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending",
	"rt_sigsuspend", "rt_sigtimedwait", "sigaltstack",
	/* who it is */
	"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid",
	"getegid", "getresuid", "getresgid", "getgroups", "getpgid",
	"getpgrp", "getsid", "getrusage", "uname", "umask",
	/* glibc qsort and sysconf(_SC_PHYS_PAGES) */
	"sysinfo",
	/* children: reaping them; making them is proc */
	"wait4", "waitid",
	"getrandom",
	/* glibc and libevent at run time: locks, thread bookkeeping */
	"futex", "set_robust_list", "rseq", "sched_yield", "restart_syscall",
	NULL
};

/* Always allowed, even with no promise at all: leaving. */
static const char *const sc_exit_list[] = {
	"exit", "exit_group",
	NULL
};

#ifdef SECD_SANITIZE
/*
 * The ASan/UBSan runtime (SECD_SANITIZE builds only) while the process
 * runs: its allocator maps, unmaps and advises memory, it checks its
 * stack with sigaltstack, asks for the CPU set and the dumpable flag,
 * and names its own binary with readlink("/proc/self/exe").
 *
 * Lost in the sandbox: a report cannot reread /proc/self/maps (see
 * sc_sanitize; EACCES from Landlock under rpath) and cannot symbolize:
 * the in-process symbolizer opens the binary with openat, a violation
 * without rpath, and llvm-symbolizer would need proc and exec.  Run with
 * ASAN_OPTIONS=symbolize=0 to get the whole report with module+offset
 * frames, and symbolize those offline.  LeakSanitizer at exit stops the
 * world with clone(2) and reads /proc/PID/task, which the sandbox
 * forbids: a program that links the sandbox runs without it
 * (__asan_default_options below).  Memory errors are still caught.
 */
static const char *const sc_sanitize_list[] = {
	"mmap", "munmap", "mprotect", "madvise", "sigaltstack",
	"getpid", "gettid", "tgkill", "sched_getaffinity", "sched_yield",
	"prctl", "readlink", "readlinkat",
	NULL
};
#endif

/*
 * rpath: read paths.  open/openat only without write access, O_CREAT or
 * O_TRUNC (the flags are a register: seccomp sees them); which paths is
 * Landlock's.  The stat family, readlink and access are not governed by
 * Landlock: with rpath they work on any path.
 */
static const char *const sc_rpath_list[] = {
	"stat", "lstat", "newfstatat", "statx", "statfs", "fstatfs",
	"access", "faccessat", "faccessat2", "readlink", "readlinkat",
	"getdents", "getdents64", "getcwd", "chdir",
	NULL
};

/* wpath: open for writing without O_CREAT (see sc_paths), truncate. */
static const char *const sc_wpath_list[] = {
	"truncate",
	NULL
};

/*
 * cpath: create and remove (open with O_CREAT: see sc_paths); a file of
 * no path, memfd_create (zoned's sealed images, sealed_linux.c).
 */
static const char *const sc_cpath_list[] = {
	"creat", "memfd_create", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat",
	"rename", "renameat", "renameat2", "link", "linkat",
	"symlink", "symlinkat",
	NULL
};

/* fattr: change modes, owners and times.  Not path-bounded by Landlock. */
static const char *const sc_fattr_list[] = {
	"chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown",
	"fchownat", "utime", "utimes", "utimensat", "futimesat",
	NULL
};

/* flock: flock(2); fcntl(2) locks come with stdio. */
static const char *const sc_flock_list[] = {
	"flock",
	NULL
};

/*
 * inet, unix: make sockets of their family (see sc_net) and use them:
 * bind, listen, connect, sendto with an address.
 */
static const char *const sc_socket_list[] = {
	"bind", "listen", "connect", "sendto",
	NULL
};

/*
 * dns: what a stub resolver does: an inet socket (sc_net), connect,
 * sendto.  On OpenBSD dns also opens /etc/resolv.conf and /etc/hosts;
 * here that needs rpath and an unveil.
 */
static const char *const sc_dns_list[] = {
	"connect", "sendto",
	NULL
};

/*
 * sendfd, recvfd: nothing.  A descriptor travels as SCM_RIGHTS in the
 * control data of sendmsg/recvmsg, memory that seccomp cannot read, so on
 * Linux these promises cannot be told from stdio's sendmsg/recvmsg; they
 * are accepted, recorded and enforced on OpenBSD only.
 *
 * getpw: nothing.  On OpenBSD it lets getpwnam(3) read the password
 * database; on Linux that is reading /etc/passwd and friends (rpath and
 * an unveil) plus possibly NSS modules and sockets, which seccomp alone
 * cannot confine to those files.  Look users up before the sandbox.
 */

/*
 * proc: make and signal processes.  fork(2) is clone(2) in glibc; clone
 * without CLONE_THREAD only (threads are not a secd thing), and clone3
 * fails with ENOSYS (always, see sandbox_linux_pledge) so that glibc
 * falls back to clone, whose flags seccomp can see.
 */
static const char *const sc_proc_list[] = {
	"fork", "vfork", "kill", "tkill", "tgkill", "setpgid", "setsid",
	"prlimit64", "setrlimit", "getpriority", "setpriority",
	NULL
};

/* exec: execute.  The sandbox, both halves, survives execve. */
static const char *const sc_exec_list[] = {
	"execve", "execveat",
	NULL
};

/* id: change ids and limits. */
static const char *const sc_id_list[] = {
	"setuid", "setgid", "setreuid", "setregid", "setresuid",
	"setresgid", "setgroups", "setfsuid", "setfsgid",
	"prlimit64", "setrlimit", "setpriority",
	NULL
};

/* The Landlock ABI of the running kernel; 0 when it has none. */
static int
ll_probe(void)
{
	if (ll_abi == -1) {
		ll_abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		    LANDLOCK_CREATE_RULESET_VERSION);
		if (ll_abi <= 0) {
			log_warnx("sandbox: no Landlock in this kernel (%s): "
			    "unveil is not enforced, seccomp only",
			    strerror(errno));
			ll_abi = 0;
		}
	}
	return ll_abi;
}

/* Every filesystem right this ABI knows: we deny what we do not grant. */
static uint64_t
ll_handled_fs(int abi)
{
	uint64_t	 h = LL_FS_ABI1;

	if (abi >= 2)
		h |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		h |= LL_FS_TRUNCATE;
	if (abi >= 5)
		h |= LL_FS_IOCTL_DEV;
	return h;
}

/*
 * Open the path now, as unveil(2) resolves it now; the rule is added at
 * pledge time.  r: read files and list directories; w: write and
 * truncate; c: create and remove files, directories, symlinks, sockets
 * and fifos, and move them in and out (REFER); x: execute.
 */
void
sandbox_linux_unveil(const char *path, const char *perms)
{
	struct stat	 st;
	uint64_t	 acc = 0;
	int		 fd;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		fatal("sandbox: unveil %s", path);
	if (fstat(fd, &st) == -1)
		fatal("sandbox: unveil %s", path);
	if (strchr(perms, 'r') != NULL)
		acc |= LANDLOCK_ACCESS_FS_READ_FILE |
		    LANDLOCK_ACCESS_FS_READ_DIR;
	if (strchr(perms, 'w') != NULL)
		acc |= LANDLOCK_ACCESS_FS_WRITE_FILE | LL_FS_TRUNCATE;
	if (strchr(perms, 'c') != NULL)
		acc |= LANDLOCK_ACCESS_FS_MAKE_REG |
		    LANDLOCK_ACCESS_FS_MAKE_DIR |
		    LANDLOCK_ACCESS_FS_MAKE_SYM |
		    LANDLOCK_ACCESS_FS_MAKE_SOCK |
		    LANDLOCK_ACCESS_FS_MAKE_FIFO |
		    LANDLOCK_ACCESS_FS_REMOVE_FILE |
		    LANDLOCK_ACCESS_FS_REMOVE_DIR |
		    LANDLOCK_ACCESS_FS_REFER;
	if (strchr(perms, 'x') != NULL)
		acc |= LANDLOCK_ACCESS_FS_EXECUTE;
	/* A rule on a file may only hold rights that apply to files. */
	if (!S_ISDIR(st.st_mode))
		acc &= LL_FS_FILE;
	ll_fd[ll_n] = fd;
	ll_access[ll_n] = acc;
	ll_n++;
}

const char *
sandbox_linux_backend(void)
{
	return ll_probe() > 0 ? "seccomp+landlock" : "seccomp";
}

/*
 * One ruleset: every filesystem right handled, one rule per unveil.
 * Network (ABI >= 4): with inet, TCP is left to seccomp; otherwise TCP
 * bind and connect are handled too and denied, but for a connect to
 * port 53 with dns.
 */
static void
ll_apply(unsigned int bits)
{
	struct landlock_path_beneath_attr	 pb;
	struct ll_net_port_attr			 np;
	struct ll_ruleset_attr			 attr;
	size_t					 attrlen;
	uint64_t				 handled;
	int					 abi, i, rfd;

	if ((abi = ll_probe()) == 0)
		return;
	handled = ll_handled_fs(abi);
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = handled;
	attrlen = sizeof(attr.handled_access_fs);
	if (abi >= 4 && (bits & SB_INET) == 0) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		attrlen = sizeof(attr);
	}
	if ((rfd = syscall(SYS_landlock_create_ruleset, &attr, attrlen,
	    0)) == -1)
		fatal("sandbox: landlock_create_ruleset");

	for (i = 0; i < ll_n; i++) {
		memset(&pb, 0, sizeof(pb));
		pb.allowed_access = ll_access[i] & handled;
		pb.parent_fd = ll_fd[i];
		if (pb.allowed_access != 0 &&
		    syscall(SYS_landlock_add_rule, rfd,
		    LANDLOCK_RULE_PATH_BENEATH, &pb, 0) == -1)
			fatal("sandbox: landlock_add_rule");
		close(ll_fd[i]);
	}
	ll_n = 0;

	if (attr.handled_access_net != 0 && (bits & SB_DNS) != 0) {
		memset(&np, 0, sizeof(np));
		np.allowed_access = LL_NET_CONNECT_TCP;
		np.port = 53;
		if (syscall(SYS_landlock_add_rule, rfd, LL_RULE_NET_PORT,
		    &np, 0) == -1)
			fatal("sandbox: landlock_add_rule port 53");
	}

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("sandbox: PR_SET_NO_NEW_PRIVS");
	if (syscall(SYS_landlock_restrict_self, rfd, 0) == -1)
		fatal("sandbox: landlock_restrict_self");
	close(rfd);
}

/* Add one rule; a syscall this architecture lacks is no error. */
static void
sc_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
    unsigned int argc, const struct scmp_arg_cmp *cmp)
{
	int	 nr, r;

	/*
	 * Unknown to this libseccomp (older than the name) or absent on
	 * this architecture (open on arm64): nothing to allow.
	 */
	if ((nr = seccomp_syscall_resolve_name(name)) < 0)
		return;
	r = seccomp_rule_add_array(ctx, action, nr, argc, cmp);
	if (r < 0 && r != -EEXIST)
		fatalx("sandbox: seccomp rule for %s: %s", name, strerror(-r));
}

static void
sc_allow(scmp_filter_ctx ctx, const char *const *names)
{
	for (; *names != NULL; names++)
		sc_rule(ctx, SCMP_ACT_ALLOW, *names, 0, NULL);
}

static void
sc_allow_if(scmp_filter_ctx ctx, const char *name, struct scmp_arg_cmp cmp)
{
	sc_rule(ctx, SCMP_ACT_ALLOW, name, 1, &cmp);
}

/* stdio, the parts that look at arguments. */
static void
sc_stdio(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp	 cmp[2];
	pid_t			 pid = getpid();

	sc_allow(ctx, sc_stdio_list);
	/*
	 * glibc's fstat(3) is fstatat(fd, "", AT_EMPTY_PATH).  The path is
	 * memory, so a non-empty one passes too: stat of any path, which
	 * Landlock does not govern, leaks metadata only.
	 */
	sc_allow_if(ctx, "newfstatat",
	    SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	sc_allow_if(ctx, "statx",
	    SCMP_A2(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	/*
	 * send(2) is sendto without an address; an address is inet/unix/dns
	 * as on OpenBSD.  sendmsg's msg_name is memory: unchecked here,
	 * where OpenBSD would want a network promise for it too.
	 */
	sc_allow_if(ctx, "sendto", SCMP_A4(SCMP_CMP_EQ, 0));
	sc_allow_if(ctx, "socketpair", SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	/* ioctl: OpenBSD's four, and TCGETS for isatty(3) in stdio(3). */
	sc_allow_if(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, FIONREAD));
	sc_allow_if(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, FIONBIO));
	sc_allow_if(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, FIOCLEX));
	sc_allow_if(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, FIONCLEX));
	sc_allow_if(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, TCGETS));
	/* getrlimit(3) is prlimit64(0, res, NULL, old): reading only. */
	cmp[0] = SCMP_A0(SCMP_CMP_EQ, 0);
	cmp[1] = SCMP_A2(SCMP_CMP_EQ, 0);
	sc_rule(ctx, SCMP_ACT_ALLOW, "prlimit64", 2, cmp);
	/* Signals to itself only (raise(3), abort(3), the SIGSYS handler). */
	sc_allow_if(ctx, "kill", SCMP_A0(SCMP_CMP_EQ, pid));
	sc_allow_if(ctx, "tgkill", SCMP_A0(SCMP_CMP_EQ, pid));
}

/*
 * rpath, wpath, cpath: the open flags.  rpath: no write access, no
 * O_CREAT, no O_TRUNC; wpath: anything but O_CREAT; cpath: O_CREAT.
 */
static void
sc_paths(scmp_filter_ctx ctx, unsigned int bits)
{
	if (bits & SB_RPATH) {
		sc_allow(ctx, sc_rpath_list);
		sc_allow_if(ctx, "open", SCMP_A1(SCMP_CMP_MASKED_EQ,
		    O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
		sc_allow_if(ctx, "openat", SCMP_A2(SCMP_CMP_MASKED_EQ,
		    O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	}
	if (bits & SB_WPATH) {
		sc_allow(ctx, sc_wpath_list);
		sc_allow_if(ctx, "open",
		    SCMP_A1(SCMP_CMP_MASKED_EQ, O_CREAT, 0));
		sc_allow_if(ctx, "openat",
		    SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, 0));
	}
	if (bits & SB_CPATH) {
		sc_allow(ctx, sc_cpath_list);
		sc_allow_if(ctx, "open",
		    SCMP_A1(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT));
		sc_allow_if(ctx, "openat",
		    SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT));
	}
	if (bits & SB_FATTR)
		sc_allow(ctx, sc_fattr_list);
	if (bits & SB_FLOCK)
		sc_allow(ctx, sc_flock_list);
}

/* inet, unix, dns: socket(2) of the promised family only. */
static void
sc_net(scmp_filter_ctx ctx, unsigned int bits)
{
	if (bits & (SB_INET | SB_DNS)) {
		sc_allow_if(ctx, "socket", SCMP_A0(SCMP_CMP_EQ, AF_INET));
		sc_allow_if(ctx, "socket", SCMP_A0(SCMP_CMP_EQ, AF_INET6));
	}
	if (bits & SB_UNIX)
		sc_allow_if(ctx, "socket", SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	if (bits & (SB_INET | SB_UNIX))
		sc_allow(ctx, sc_socket_list);
	if (bits & SB_DNS)
		sc_allow(ctx, sc_dns_list);
}

#ifdef SECD_SANITIZE
/*
 * The sanitizer runtime's list, and its raw open(2) of /proc/self/maps
 * during a report: without rpath that fails with EACCES instead of
 * trapping, so that the report completes.  glibc opens with openat(2)
 * only, so this does not soften the program's own opens.
 */
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return ("detect_leaks=0");
}

static void
sc_sanitize(scmp_filter_ctx ctx, unsigned int bits)
{
	struct scmp_arg_cmp	 rdonly;

	sc_allow(ctx, sc_sanitize_list);
	if ((bits & SB_RPATH) == 0) {
		rdonly = SCMP_A1(SCMP_CMP_MASKED_EQ,
		    O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY);
		sc_rule(ctx, SCMP_ACT_ERRNO(EACCES), "open", 1, &rdonly);
	}
}
#endif

/* seccomp_syscall_resolve_num_arch() allocates: never in the handler. */
static void
sc_names(void)
{
	char	*name;
	int	 i;

	for (i = 0; i < SB_NSYSNAMES; i++) {
		if ((name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
		    i)) == NULL)
			continue;
		strlcpy(sc_sysname[i], name, sizeof(sc_sysname[i]));
		free(name);
	}
}

static void
sc_catch(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sc_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		fatal("sandbox: sigaction SIGSYS");
}

/* Append s to buf at *n, keeping a NUL; async-signal-safe. */
static void
sc_cat(char *buf, size_t size, size_t *n, const char *s)
{
	while (*s != '\0' && *n + 1 < size)
		buf[(*n)++] = *s++;
	buf[*n] = '\0';
}

/* Append the decimal v; async-signal-safe. */
static void
sc_num(char *buf, size_t size, size_t *n, long v)
{
	char		 digits[24];
	unsigned long	 u;
	int		 i = sizeof(digits) - 1;

	digits[i] = '\0';
	u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	do {
		digits[--i] = '0' + u % 10;
		u /= 10;
	} while (u != 0 && i > 1);
	if (v < 0)
		digits[--i] = '-';
	sc_cat(buf, size, n, digits + i);
}

/*
 * The violation: log which syscall, then die of SIGSYS so that the parent
 * sees why.  Only async-signal-safe calls, all of them allowed by stdio;
 * without stdio the first of them traps again while SIGSYS is blocked,
 * and the kernel kills the process with SIGSYS all the same.
 */
static void
sc_sigsys(int sig, siginfo_t *si, void *uctx)
{
	struct sigaction	 sa;
	sigset_t		 set;
	char			 line[256];
	size_t			 n = 0;
	int			 nr = -1;

	if (si->si_code == SYS_SECCOMP)
		nr = si->si_syscall;
	sc_cat(line, sizeof(line), &n, log_procname());
	sc_cat(line, sizeof(line), &n, "[");
	sc_num(line, sizeof(line), &n, getpid());
	sc_cat(line, sizeof(line), &n, "]: sandbox violation: syscall ");
	if (nr >= 0 && nr < SB_NSYSNAMES && sc_sysname[nr][0] != '\0')
		sc_cat(line, sizeof(line), &n, sc_sysname[nr]);
	else
		sc_cat(line, sizeof(line), &n, "unknown");
	sc_cat(line, sizeof(line), &n, " (");
	sc_num(line, sizeof(line), &n, nr);
	sc_cat(line, sizeof(line), &n, "); exiting");
	log_sigsafe(line);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
	kill(getpid(), SIGSYS);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	_exit(128 + SIGSYS);
}

void
sandbox_linux_pledge(unsigned int bits)
{
	scmp_filter_ctx	 ctx;
	int		 r;

	sc_names();
	ll_apply(bits);

	/* The default no_new_privs attribute sets it again on load. */
	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL)
		fatalx("sandbox: seccomp_init failed");
	sc_allow(ctx, sc_exit_list);
	sc_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	if (bits & SB_STDIO)
		sc_stdio(ctx);
	sc_paths(ctx, bits);
	sc_net(ctx, bits);
	if (bits & SB_PROC) {
		sc_allow(ctx, sc_proc_list);
		sc_allow_if(ctx, "clone",
		    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
	}
	if (bits & SB_EXEC)
		sc_allow(ctx, sc_exec_list);
	if (bits & SB_ID)
		sc_allow(ctx, sc_id_list);
#ifdef SECD_SANITIZE
	sc_sanitize(ctx, bits);
#endif

	sc_catch();
	if ((r = seccomp_load(ctx)) < 0)
		fatalx("sandbox: seccomp_load: %s", strerror(-r));
	seccomp_release(ctx);
}

#endif /* __linux__ */
