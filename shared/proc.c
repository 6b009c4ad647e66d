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
 * Process plumbing: every child is the same binary, started by fork+exec
 * with "-P name" so that it gets a fresh address space; its channel to the
 * parent is the inherited fd SECD_PARENT_FD.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

static const char *const proc_names[PROC_MAX] = {
	[PROC_PARENT] =		"secd",
	[PROC_XFRD] =		"xfrd",
	[PROC_ZONED] =		"zoned",
	[PROC_SERVERD] =	"serverd",
	[PROC_METRICSD] =	"metricsd",
};

const char *
proc_name(enum secd_proc p)
{
	if (p < 0 || p >= PROC_MAX)
		return "unknown";
	return proc_names[p];
}

int
proc_byname(const char *name)
{
	int	 p;

	for (p = PROC_XFRD; p < PROC_MAX; p++)
		if (strcmp(proc_names[p], name) == 0)
			return p;
	return -1;
}

/*
 * Start child p (instance n) as "argv0 -P name -I n [-d] [-v...]" with fd on
 * SECD_PARENT_FD.  Returns the child's pid; the caller closes fd.
 */
pid_t
proc_exec(const char *argv0, enum secd_proc p, int n, int fd, int debug,
    int verbose)
{
	char	*argv[12], inst[16];
	int	 argc = 0;
	pid_t	 pid;

	snprintf(inst, sizeof(inst), "%d", n);
	argv[argc++] = (char *)argv0;
	argv[argc++] = "-P";
	argv[argc++] = (char *)proc_name(p);
	argv[argc++] = "-I";
	argv[argc++] = inst;
	if (debug)
		argv[argc++] = "-d";
	if (verbose)
		argv[argc++] = "-v";
	if (verbose > 1)
		argv[argc++] = "-v";
	argv[argc] = NULL;

	switch (pid = fork()) {
	case -1:
		fatal("fork %s", proc_name(p));
	case 0:
		break;
	default:
		return pid;
	}

	if (fd == SECD_PARENT_FD) {
		if (fcntl(fd, F_SETFD, 0) == -1)
			fatal("fcntl");
	} else if (dup2(fd, SECD_PARENT_FD) == -1)
		fatal("dup2");
	closefrom(SECD_PARENT_FD + 1);
	execv(argv0, argv);
	fatal("execv %s", argv0);
}

/*
 * Drop to user, chrooted into root (NULL: no chroot).  Not root: nothing to
 * drop, the parent has said so once.
 */
void
proc_privdrop(const char *user, const char *root, int privsep)
{
	struct passwd	*pw;

	if (!privsep)
		return;
	if ((pw = getpwnam(user)) == NULL)
		fatalx("unknown user %s", user);
	if (root != NULL) {
		if (chroot(root) == -1)
			fatal("chroot %s", root);
		if (chdir("/") == -1)
			fatal("chdir /");
	}
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", user);
	log_debug("privileges dropped to %s, root %s", user,
	    root ? root : "unchanged");
}

void
proc_title(enum secd_proc p, int n)
{
	if (p == PROC_SERVERD)
		proc_settitle("%s %d", proc_name(p), n);
	else
		proc_settitle("%s", proc_name(p));
}

void
iev_init(struct imsgev *iev, int fd, void (*handler)(int, short, void *),
    void *data)
{
	if (imsgbuf_init(&iev->ibuf, fd) == -1)
		fatal("imsgbuf_init");
	imsgbuf_allow_fdpass(&iev->ibuf);
	iev->handler = handler;
	iev->data = data;
	iev->events = EV_READ;
	event_set(&iev->ev, fd, iev->events, handler, iev);
}

/*
 * Wait for what iev needs: reading, and writing while messages are
 * queued.  Already waiting for just that, nothing changes: composing many
 * messages in a row (a configuration of 100,000 zones) costs no system
 * call each.
 */
void
iev_add(struct imsgev *iev)
{
	short	 events = EV_READ;

	if (iev->ibuf.fd == -1)		/* closed: iev_close() */
		return;
	if (imsgbuf_queuelen(&iev->ibuf) > 0)
		events |= EV_WRITE;
	if (events == iev->events &&
	    event_pending(&iev->ev, EV_READ | EV_WRITE, NULL))
		return;
	iev->events = events;
	event_del(&iev->ev);
	event_set(&iev->ev, iev->ibuf.fd, iev->events, iev->handler, iev);
	event_add(&iev->ev, NULL);
}

int
iev_compose(struct imsgev *iev, uint32_t type, uint32_t id, pid_t pid,
    int fd, const void *data, size_t len)
{
	int	 r;

	if ((r = imsg_compose(&iev->ibuf, type, id, pid, fd, data, len)) != -1)
		iev_add(iev);
	return r;
}

/*
 * Service the event on iev: read on EV_READ, write on EV_WRITE.  Returns 0
 * when the peer closed the channel or it failed, 1 otherwise.
 */
int
iev_read(struct imsgev *iev, short event)
{
	ssize_t	 n;

	if (event & EV_READ) {
		if ((n = imsgbuf_read(&iev->ibuf)) == -1 && errno != EAGAIN) {
			log_warn("%s: imsgbuf_read", __func__);
			return 0;
		}
		if (n == 0)
			return 0;
	}
	if (event & EV_WRITE) {
		if (imsgbuf_write(&iev->ibuf) == -1) {
			if (errno == EPIPE)
				return 0;
			log_warn("%s: imsgbuf_write", __func__);
			return 0;
		}
	}
	return 1;
}

void
iev_close(struct imsgev *iev)
{
	event_del(&iev->ev);
	imsgbuf_clear(&iev->ibuf);
	close(iev->ibuf.fd);
	iev->ibuf.fd = -1;
}

void
ctl_result_set(struct ctl_result *res, int code, const char *fmt, va_list ap)
{
	memset(res, 0, sizeof(*res));
	res->code = code;
	(void)vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
}
