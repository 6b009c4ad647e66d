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
 * The sandbox wrapper (shared/sandbox.c, sandbox_linux.c): each case forks
 * a child that unveils, pledges and then tries one thing; the parent
 * checks how the child ended and what it wrote on stderr.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <atf-c.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "secd.h"
#include "sandbox.h"

#define HELPER_ENV	"SANDBOX_TEST_HELPER"

struct child {
	pid_t	 pid;
	int	 status;
	char	 err[8192];	/* its stderr */
};

static void	 run(struct child *, void (*)(void *), void *);
static void	 expect_exit(struct child *, int);
static void	 expect_sigsys(struct child *, const char *);
static void	 make_dir(char *, size_t);
static void	 path_join(char *, size_t, const char *, const char *);
static void	 put_file(const char *, const char *);
static int	 landlock_abi(void);
static int	 have_landlock(void);
static void	 helper_main(void) __attribute__((constructor));
static void	 helper_libevent(void);
static void	 helper_timer(int, short, void *);
static void	 helper_signal(int, short, void *);

/*
 * Fork; the child logs to stderr (a pipe to us) as "sbtest", verbose, and
 * runs fn.  Returns once the child has ended, stderr read to the end.
 */
static void
run(struct child *c, void (*fn)(void *), void *arg)
{
	ssize_t	 r;
	size_t	 n = 0;
	int	 p[2];

	memset(c, 0, sizeof(*c));
	ATF_REQUIRE(pipe(p) == 0);
	ATF_REQUIRE((c->pid = fork()) != -1);
	if (c->pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDERR_FILENO) == -1)
			_exit(99);
		close(p[1]);
		log_init(1, LOG_DAEMON);
		log_procinit("sbtest");
		fn(arg);
		_exit(0);
	}
	close(p[1]);
	while ((r = read(p[0], c->err + n, sizeof(c->err) - 1 - n)) > 0)
		n += r;
	c->err[n] = '\0';
	close(p[0]);
	ATF_REQUIRE(waitpid(c->pid, &c->status, 0) == c->pid);
}

static void
expect_exit(struct child *c, int code)
{
	if (WIFSIGNALED(c->status))
		atf_tc_fail("expected exit %d, child died of signal %d; "
		    "stderr: %s", code, WTERMSIG(c->status), c->err);
	if (WEXITSTATUS(c->status) != code)
		atf_tc_fail("expected exit %d, child exited %d; stderr: %s",
		    code, WEXITSTATUS(c->status), c->err);
}

/* Died of SIGSYS, and said which syscall in the log. */
static void
expect_sigsys(struct child *c, const char *syscall)
{
	char	 want[128];

	if (!WIFSIGNALED(c->status))
		atf_tc_fail("expected death by SIGSYS, child exited %d; "
		    "stderr: %s", WEXITSTATUS(c->status), c->err);
	if (WTERMSIG(c->status) != SIGSYS)
		atf_tc_fail("expected death by SIGSYS, child died of signal "
		    "%d; stderr: %s", WTERMSIG(c->status), c->err);
	snprintf(want, sizeof(want), "sbtest[%d]: sandbox violation: "
	    "syscall %s", (int)c->pid, syscall);
	ATF_CHECK_MSG(strstr(c->err, want) != NULL,
	    "expected \"%s\" in stderr: %s", want, c->err);
}

/* A fresh absolute directory under the test's work directory. */
static void
make_dir(char *dir, size_t len)
{
	char	 cwd[PATH_MAX];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE((size_t)snprintf(dir, len, "%s/sbXXXXXX", cwd) < len);
	ATF_REQUIRE(mkdtemp(dir) != NULL);
}

/* dir/name; in a child too, so no ATF here: abort on truncation. */
static void
path_join(char *buf, size_t len, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s/%s", dir, name) >= len)
		abort();
}

static void
put_file(const char *path, const char *text)
{
	int	 fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644))
	    != -1);
	ATF_REQUIRE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	ATF_REQUIRE(close(fd) == 0);
}

/* Landlock ABI version query (LANDLOCK_CREATE_RULESET_VERSION). */
static int
landlock_abi(void)
{
	return syscall(SYS_landlock_create_ruleset, NULL, 0, 1);
}

static int
have_landlock(void)
{
	return landlock_abi() > 0;
}

/* ---- stdio ---- */

static void
stdio_io(void *arg)
{
	char	 buf[8];
	void	*m;
	char	*s;
	int	 p[2];

	if (pipe(p) == -1)
		_exit(2);
	sandbox_pledge("stdio");
	if (write(p[1], "ping", 4) != 4 || read(p[0], buf, 4) != 4 ||
	    memcmp(buf, "ping", 4) != 0)
		_exit(3);
	if (getpid() <= 0)
		_exit(4);
	if ((m = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		_exit(5);
	memset(m, 1, 65536);
	if (munmap(m, 65536) == -1)
		_exit(6);
	if ((s = malloc(1 << 20)) == NULL)
		_exit(7);
	free(s);
	printf("stdout still works\n");
	fflush(stdout);
	log_info("logging still works");
	exit(0);
}

ATF_TC_WITHOUT_HEAD(stdio_allows_io_on_open_fds);
ATF_TC_BODY(stdio_allows_io_on_open_fds, tc)
{
	struct child	 c;

	run(&c, stdio_io, NULL);
	expect_exit(&c, 0);
	ATF_CHECK_MSG(strstr(c.err, "sbtest[") != NULL &&
	    strstr(c.err, "sandbox: pledge \"stdio\"") != NULL,
	    "expected the audit line 'sandbox: pledge \"stdio\"': %s", c.err);
	ATF_CHECK_MSG(strstr(c.err, "logging still works") != NULL,
	    "expected log_info output after pledge: %s", c.err);
}

static void
stdio_open(void *arg)
{
	sandbox_pledge("stdio");
	open("/etc/hostname", O_RDONLY);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(stdio_open_dies_of_sigsys);
ATF_TC_BODY(stdio_open_dies_of_sigsys, tc)
{
	struct child	 c;

	run(&c, stdio_open, NULL);
	expect_sigsys(&c, "openat");
	ATF_CHECK_MSG(strstr(c.err, "; exiting") != NULL,
	    "expected '; exiting' in: %s", c.err);
}

static void
empty_write(void *arg)
{
	sandbox_pledge("");
	write(STDOUT_FILENO, "x", 1);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(no_promise_allows_only_exit);
ATF_TC_BODY(no_promise_allows_only_exit, tc)
{
	struct child	 c;

	run(&c, empty_write, NULL);
	/* The handler itself cannot write: death by SIGSYS, no log line. */
	ATF_REQUIRE_MSG(WIFSIGNALED(c.status) &&
	    WTERMSIG(c.status) == SIGSYS, "expected death by SIGSYS, "
	    "status %#x; stderr: %s", c.status, c.err);
}

static void
stdio_status(void *arg)
{
	char	 buf[4096];
	ssize_t	 n;
	int	 fd, out = *(int *)arg;

	if ((fd = open("/proc/self/status", O_RDONLY)) == -1)
		_exit(2);
	sandbox_pledge("stdio");
	if ((n = read(fd, buf, sizeof(buf))) <= 0)
		_exit(3);
	if (write(out, buf, n) != n)
		_exit(4);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(status_shows_seccomp_and_nonewprivs);
ATF_TC_BODY(status_shows_seccomp_and_nonewprivs, tc)
{
	struct child	 c;
	char		 buf[4097];
	ssize_t		 n;
	int		 p[2];

	ATF_REQUIRE(pipe(p) == 0);
	run(&c, stdio_status, &p[1]);
	close(p[1]);
	expect_exit(&c, 0);
	ATF_REQUIRE((n = read(p[0], buf, sizeof(buf) - 1)) > 0);
	buf[n] = '\0';
	ATF_CHECK_MSG(strstr(buf, "\nSeccomp:\t2\n") != NULL,
	    "expected 'Seccomp: 2' in /proc/self/status: %s", buf);
	ATF_CHECK_MSG(strstr(buf, "\nNoNewPrivs:\t1\n") != NULL,
	    "expected 'NoNewPrivs: 1' in /proc/self/status: %s", buf);
}

/* ---- unveil ---- */

static void
rpath_read(void *arg)
{
	const char	*dir = arg;
	char		 path[PATH_MAX], buf[16];
	int		 fd;

	sandbox_unveil(dir, "r");
	sandbox_pledge("stdio rpath");
	path_join(path, sizeof(path), dir, "file");
	if ((fd = open(path, O_RDONLY)) == -1)
		_exit(2);
	if (read(fd, buf, 5) != 5 || memcmp(buf, "hello", 5) != 0)
		_exit(3);
	close(fd);
	if (open("/etc/hostname", O_RDONLY) != -1)
		_exit(4);
	if (errno != EACCES)
		_exit(5);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(rpath_reads_only_unveiled_paths);
ATF_TC_BODY(rpath_reads_only_unveiled_paths, tc)
{
	struct child	 c;
	char		 dir[PATH_MAX], path[PATH_MAX], want[PATH_MAX + 32];

	if (!have_landlock())
		atf_tc_skip("no Landlock in this kernel");
	make_dir(dir, sizeof(dir));
	path_join(path, sizeof(path), dir, "file");
	put_file(path, "hello");
	run(&c, rpath_read, dir);
	ATF_CHECK_MSG(!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 2,
	    "open of the unveiled file failed");
	ATF_CHECK_MSG(!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 4,
	    "open of /etc/hostname, not unveiled, succeeded");
	ATF_CHECK_MSG(!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 5,
	    "open of /etc/hostname failed, but not with EACCES");
	expect_exit(&c, 0);
	snprintf(want, sizeof(want), "sandbox: unveil %s r\n", dir);
	ATF_CHECK_MSG(strstr(c.err, want) != NULL,
	    "expected audit line '%s' in: %s", want, c.err);
}

static void
rpath_write(void *arg)
{
	char	 path[PATH_MAX];

	sandbox_unveil(arg, "r");
	sandbox_pledge("stdio rpath");
	path_join(path, sizeof(path), arg, "file");
	open(path, O_WRONLY);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(rpath_open_for_writing_dies);
ATF_TC_BODY(rpath_open_for_writing_dies, tc)
{
	struct child	 c;
	char		 dir[PATH_MAX], path[PATH_MAX];

	make_dir(dir, sizeof(dir));
	path_join(path, sizeof(path), dir, "file");
	put_file(path, "hello");
	run(&c, rpath_write, dir);
	expect_sigsys(&c, "openat");
}

static void
no_unveil(void *arg)
{
	sandbox_pledge("stdio rpath");
	if (open("/etc/hostname", O_RDONLY) != -1)
		_exit(2);
	if (errno != EACCES)
		_exit(3);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(no_unveil_means_no_filesystem);
ATF_TC_BODY(no_unveil_means_no_filesystem, tc)
{
	struct child	 c;

	if (!have_landlock())
		atf_tc_skip("no Landlock in this kernel");
	run(&c, no_unveil, NULL);
	ATF_CHECK_MSG(!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 2,
	    "rpath without unveil could open /etc/hostname");
	expect_exit(&c, 0);
}

struct cpath_arg {
	char	 dir[PATH_MAX];
	char	 outside[PATH_MAX];
};

static void
cpath_create(void *arg)
{
	struct cpath_arg	*a = arg;
	char			 p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX];
	int			 fd;

	path_join(p1, sizeof(p1), a->dir, "new");
	path_join(p2, sizeof(p2), a->dir, "renamed");
	path_join(p3, sizeof(p3), a->dir, "sub");
	sandbox_unveil(a->dir, "rwc");
	sandbox_pledge("stdio rpath wpath cpath");
	if ((fd = open(p1, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		_exit(2);
	if (write(fd, "x", 1) != 1 || close(fd) == -1)
		_exit(3);
	if (rename(p1, p2) == -1)
		_exit(4);
	if ((fd = open(p2, O_RDWR)) == -1)
		_exit(5);
	close(fd);
	if (unlink(p2) == -1)
		_exit(6);
	if (mkdir(p3, 0755) == -1 || rmdir(p3) == -1)
		_exit(7);
	if (open(a->outside, O_WRONLY | O_CREAT, 0644) != -1)
		_exit(8);
	if (errno != EACCES)
		_exit(9);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(cpath_creates_only_in_unveiled_dir);
ATF_TC_BODY(cpath_creates_only_in_unveiled_dir, tc)
{
	struct cpath_arg	 a;
	struct child		 c;
	struct stat		 st;
	char			 p[PATH_MAX];

	if (!have_landlock())
		atf_tc_skip("no Landlock in this kernel");
	make_dir(a.dir, sizeof(a.dir));
	make_dir(p, sizeof(p));
	path_join(a.outside, sizeof(a.outside), p, "outside");
	run(&c, cpath_create, &a);
	if (WIFEXITED(c.status) && WEXITSTATUS(c.status) >= 2 &&
	    WEXITSTATUS(c.status) <= 7)
		atf_tc_fail("step %d in the unveiled directory failed; "
		    "stderr: %s", WEXITSTATUS(c.status), c.err);
	ATF_CHECK_MSG(!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 8,
	    "created %s outside the unveiled directory", a.outside);
	expect_exit(&c, 0);
	ATF_CHECK_MSG(stat(a.outside, &st) == -1 && errno == ENOENT,
	    "%s exists", a.outside);
}

/* ---- network ---- */

static void
inet_socket(void *arg)
{
	struct sockaddr_in	 sin;
	int			 s;

	sandbox_pledge(arg);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		_exit(2);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		_exit(3);
	if (listen(s, 5) == -1)
		_exit(4);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(socket_inet_dies_without_inet);
ATF_TC_BODY(socket_inet_dies_without_inet, tc)
{
	struct child	 c;

	run(&c, inet_socket, "stdio unix");
	expect_sigsys(&c, "socket");
}

ATF_TC_WITHOUT_HEAD(socket_inet_works_with_inet);
ATF_TC_BODY(socket_inet_works_with_inet, tc)
{
	struct child	 c;

	run(&c, inet_socket, "stdio inet");
	expect_exit(&c, 0);
}

static void
dns_bind(void *arg)
{
	struct sockaddr_in	 sin;
	int			 s;

	sandbox_pledge("stdio dns");
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		_exit(2);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		_exit(3);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* bind is not dns's: a violation */
	bind(s, (struct sockaddr *)&sin, sizeof(sin));
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(dns_makes_sockets_but_cannot_bind);
ATF_TC_BODY(dns_makes_sockets_but_cannot_bind, tc)
{
	struct child	 c;

	run(&c, dns_bind, NULL);
	expect_sigsys(&c, "bind");
}

/*
 * unix allows connect(2), but a TCP socket made before the pledge still
 * cannot reach anything: Landlock (ABI >= 4) handles TCP without inet.
 */
static void
unix_tcp_connect(void *arg)
{
	struct sockaddr_in	*sin = arg;
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		_exit(2);
	sandbox_pledge("stdio unix");
	if (connect(s, (struct sockaddr *)sin, sizeof(*sin)) != -1)
		_exit(3);
	if (errno != EACCES)
		_exit(4);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(tcp_connect_denied_without_inet);
ATF_TC_BODY(tcp_connect_denied_without_inet, tc)
{
	struct sockaddr_in	 sin;
	struct child		 c;
	socklen_t		 len = sizeof(sin);
	int			 l;

	if (landlock_abi() < 4)
		atf_tc_skip("no Landlock network rules in this kernel");
	ATF_REQUIRE((l = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	ATF_REQUIRE(listen(l, 5) == 0);
	ATF_REQUIRE(getsockname(l, (struct sockaddr *)&sin, &len) == 0);
	run(&c, unix_tcp_connect, &sin);
	ATF_CHECK_MSG(!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 3,
	    "TCP connect to 127.0.0.1:%d succeeded without inet",
	    ntohs(sin.sin_port));
	expect_exit(&c, 0);
	close(l);
}

/* ---- the front ---- */

static void
bad_promise(void *arg)
{
	sandbox_pledge("stdio bogus");
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(unknown_promise_is_fatal);
ATF_TC_BODY(unknown_promise_is_fatal, tc)
{
	struct child	 c;

	run(&c, bad_promise, NULL);
	expect_exit(&c, 1);
	ATF_CHECK_MSG(strstr(c.err, "unknown promise \"bogus\"") != NULL,
	    "expected 'unknown promise \"bogus\"' in: %s", c.err);
}

static void
bad_perms(void *arg)
{
	sandbox_unveil("/", "rq");
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(unknown_unveil_permission_is_fatal);
ATF_TC_BODY(unknown_unveil_permission_is_fatal, tc)
{
	struct child	 c;

	run(&c, bad_perms, NULL);
	expect_exit(&c, 1);
	ATF_CHECK_MSG(strstr(c.err, "bad permissions \"rq\"") != NULL,
	    "expected 'bad permissions \"rq\"' in: %s", c.err);
}

static void
pledge_twice(void *arg)
{
	sandbox_pledge("stdio rpath");
	sandbox_pledge("stdio");
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(pledge_twice_is_fatal);
ATF_TC_BODY(pledge_twice_is_fatal, tc)
{
	struct child	 c;

	run(&c, pledge_twice, NULL);
	expect_exit(&c, 1);
	ATF_CHECK_MSG(strstr(c.err, "already pledged") != NULL,
	    "expected 'already pledged' in: %s", c.err);
}

static void
info(void *arg)
{
	struct ctl_sandbox	 sb;
	int			 out = *(int *)arg;

	sandbox_unveil("/etc", "r");
	sandbox_unveil("/tmp", "rwc");
	sandbox_pledge("stdio rpath wpath cpath");
	memset(&sb, 0, sizeof(sb));
	sandbox_info(&sb);
	if (write(out, &sb, sizeof(sb)) != sizeof(sb))
		_exit(2);
	_exit(0);
}

ATF_TC_WITHOUT_HEAD(info_reports_promises_and_unveils);
ATF_TC_BODY(info_reports_promises_and_unveils, tc)
{
	struct ctl_sandbox	 sb;
	struct child		 c;
	size_t			 n = 0;
	ssize_t			 r;
	int			 p[2];

	ATF_REQUIRE(pipe(p) == 0);
	run(&c, info, &p[1]);
	close(p[1]);
	expect_exit(&c, 0);
	while (n < sizeof(sb) &&
	    (r = read(p[0], (char *)&sb + n, sizeof(sb) - n)) > 0)
		n += r;
	ATF_REQUIRE_MSG(n == sizeof(sb), "short struct ctl_sandbox: %zu", n);
	ATF_CHECK_STREQ(sb.promises, "stdio rpath wpath cpath");
	ATF_CHECK_STREQ(sb.backend,
	    have_landlock() ? "seccomp+landlock" : "seccomp");
	ATF_REQUIRE_EQ(sb.nunveil, 2);
	ATF_CHECK_STREQ(sb.unveil[0].path, "/etc");
	ATF_CHECK_STREQ(sb.unveil[0].perms, "r");
	ATF_CHECK_STREQ(sb.unveil[1].path, "/tmp");
	ATF_CHECK_STREQ(sb.unveil[1].perms, "rwc");
}

/* ---- a libevent daemon, fork+exec'd like secd's children ---- */

static int	 helper_ticks;

static void
helper_signal(int sig, short ev, void *arg)
{
	helper_ticks++;
}

static void
helper_timer(int fd, short ev, void *arg)
{
	struct event_base	*base = arg;

	if (helper_ticks++ == 0)
		kill(getpid(), SIGUSR1);
	if (helper_ticks >= 3)
		event_base_loopexit(base, NULL);
}

/*
 * In the exec'd helper: event base and signal event before the pledge,
 * as the daemons do, then a timer, a signal to itself and a message on
 * a socketpair, all under "stdio".
 */
static void
helper_libevent(void)
{
	struct event_base	*base;
	struct event		*tev, *sev;
	struct timeval		 tv = { 0, 10000 };
	char			 buf[4];
	int			 sp[2];

	log_init(1, LOG_DAEMON);
	log_procinit("evhelper");
	if ((base = event_base_new()) == NULL)
		fatalx("event_base_new");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		fatal("socketpair");
	sev = evsignal_new(base, SIGUSR1, helper_signal, NULL);
	if (sev == NULL || evsignal_add(sev, NULL) == -1)
		fatalx("evsignal");
	sandbox_pledge("stdio");
	if ((tev = event_new(base, -1, EV_PERSIST, helper_timer, base)) ==
	    NULL || event_add(tev, &tv) == -1)
		fatalx("event");
	if (event_base_dispatch(base) == -1)
		fatalx("event_base_dispatch");
	if (helper_ticks < 3)
		fatalx("loop ended after %d events", helper_ticks);
	if (send(sp[0], "imsg", 4, 0) != 4 || recv(sp[1], buf, 4, 0) != 4)
		fatal("socketpair");
	event_free(tev);
	event_free(sev);
	event_base_free(base);
	exit(0);
}

static void
helper_main(void)
{
	const char	*h;

	if ((h = getenv(HELPER_ENV)) == NULL)
		return;
	if (strcmp(h, "libevent") == 0)
		helper_libevent();
	_exit(98);
}

static void
exec_helper(void *arg)
{
	char	 self[PATH_MAX];
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		_exit(96);
	self[n] = '\0';
	setenv(HELPER_ENV, arg, 1);
	execl(self, self, (char *)NULL);
	_exit(97);
}

ATF_TC_WITHOUT_HEAD(libevent_loop_runs_under_stdio);
ATF_TC_BODY(libevent_loop_runs_under_stdio, tc)
{
	struct child	 c;

	run(&c, exec_helper, "libevent");
	expect_exit(&c, 0);
	ATF_CHECK_MSG(strstr(c.err, "evhelper[") != NULL &&
	    strstr(c.err, "sandbox: pledge \"stdio\"") != NULL,
	    "expected the helper's audit line in: %s", c.err);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stdio_allows_io_on_open_fds);
	ATF_TP_ADD_TC(tp, stdio_open_dies_of_sigsys);
	ATF_TP_ADD_TC(tp, no_promise_allows_only_exit);
	ATF_TP_ADD_TC(tp, status_shows_seccomp_and_nonewprivs);
	ATF_TP_ADD_TC(tp, rpath_reads_only_unveiled_paths);
	ATF_TP_ADD_TC(tp, rpath_open_for_writing_dies);
	ATF_TP_ADD_TC(tp, no_unveil_means_no_filesystem);
	ATF_TP_ADD_TC(tp, cpath_creates_only_in_unveiled_dir);
	ATF_TP_ADD_TC(tp, socket_inet_dies_without_inet);
	ATF_TP_ADD_TC(tp, socket_inet_works_with_inet);
	ATF_TP_ADD_TC(tp, dns_makes_sockets_but_cannot_bind);
	ATF_TP_ADD_TC(tp, tcp_connect_denied_without_inet);
	ATF_TP_ADD_TC(tp, unknown_promise_is_fatal);
	ATF_TP_ADD_TC(tp, unknown_unveil_permission_is_fatal);
	ATF_TP_ADD_TC(tp, pledge_twice_is_fatal);
	ATF_TP_ADD_TC(tp, info_reports_promises_and_unveils);
	ATF_TP_ADD_TC(tp, libevent_loop_runs_under_stdio);
	return atf_no_error();
}
