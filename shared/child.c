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
 * The common start of xfrd, zoned and serverd.  Set-up is synchronous: the
 * parent sends the channels, the sockets and the configuration, then
 * IMSG_RECONF_END; nothing else may come before it.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "child.h"
#include "config.h"
#include "log.h"
#include "proc.h"
#include "sandbox.h"
#include "secd.h"
#include "trim.h"

static void	child_conn(struct child_env *, struct imsg *);
static void	child_listen(struct child_env *, struct imsg *);
static void	child_sig(int, short, void *);
static void	child_gone(struct imsgev *, const char *);
static void	child_gone_late(int, short, void *);

static struct event	ev_sigterm, ev_sigint, ev_gone;
static char		gone_peer[32];	/* the sibling that went away */

void
child_setup(struct child_env *env, enum secd_proc proc, int instance,
    int debug, int verbose)
{
	struct imsgbuf		 ibuf;
	struct imsg		 imsg;
	struct secd_conf	*nconf = NULL;
	struct stat		 st;
	ssize_t			 n;
	int			 done = 0, r;

	if (fstat(SECD_PARENT_FD, &st) == -1 || !S_ISSOCK(st.st_mode))
		errx(1, "-P is for secd's own children only");
	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
	log_procinit(proc_name(proc));
	proc_title(proc, instance);

	memset(env, 0, sizeof(*env));
	env->proc = proc;
	env->instance = instance;
	env->privsep = geteuid() == 0;
	env->xfrd_fd = env->zoned_fd = env->ctl_fd = -1;

	if (imsgbuf_init(&ibuf, SECD_PARENT_FD) == -1)
		fatal("imsgbuf_init");
	imsgbuf_allow_fdpass(&ibuf);
	while (!done) {
		if ((n = imsgbuf_read(&ibuf)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fatal("read from parent");
		}
		if (n == 0)
			fatalx("parent closed the channel during set-up");
		while (!done && (n = imsg_get(&ibuf, &imsg)) > 0) {
			switch (imsg.hdr.type) {
			case IMSG_SOCKET_CONN:
				child_conn(env, &imsg);
				break;
			case IMSG_LISTEN_UDP:
			case IMSG_LISTEN_TCP:
				child_listen(env, &imsg);
				break;
			default:
				if ((r = conf_recv(&nconf, &imsg)) == -1)
					fatalx("bad configuration from parent");
				if (r == 1) {
					env->conf = nconf;
					done = 1;
				}
			}
			imsg_free(&imsg);
		}
		if (n == -1)
			fatal("imsg_get from parent");
	}
	/* Anything queued after END is a protocol error during set-up. */
	if (imsg_get(&ibuf, &imsg) != 0)
		fatalx("unexpected message from parent after set-up");
	imsgbuf_clear(&ibuf);
}

static void
child_conn(struct child_env *env, struct imsg *imsg)
{
	struct sock_conn	 sc;
	int			 fd;

	if (imsg_get_data(imsg, &sc, sizeof(sc)) == -1)
		fatalx("IMSG_SOCKET_CONN bad length");
	if ((fd = imsg_get_fd(imsg)) == -1)
		fatalx("IMSG_SOCKET_CONN without fd");
	switch (sc.proc) {
	case PROC_XFRD:
		if (env->proc == PROC_XFRD || env->xfrd_fd != -1)
			fatalx("IMSG_SOCKET_CONN: unexpected xfrd channel");
		env->xfrd_fd = fd;
		break;
	case PROC_ZONED:
		if (env->proc == PROC_ZONED || env->zoned_fd != -1)
			fatalx("IMSG_SOCKET_CONN: unexpected zoned channel");
		env->zoned_fd = fd;
		break;
	case PROC_PARENT:
		/* metricsd's control channel (secd/control.c) */
		if (env->proc != PROC_METRICSD || env->ctl_fd != -1)
			fatalx("IMSG_SOCKET_CONN: unexpected control channel");
		env->ctl_fd = fd;
		break;
	case PROC_SERVERD:
		if (env->proc == PROC_SERVERD || sc.instance != env->nserverd ||
		    env->nserverd >= SECD_MAXSERVERS)
			fatalx("IMSG_SOCKET_CONN: unexpected serverd channel");
		env->serverd_fd[env->nserverd++] = fd;
		break;
	default:
		fatalx("IMSG_SOCKET_CONN: bad peer %d", sc.proc);
	}
}

static void
child_listen(struct child_env *env, struct imsg *imsg)
{
	struct listen_conf	 lc;
	struct child_listen	*l;
	int			 fd;

	if (env->proc != PROC_SERVERD && !(env->proc == PROC_METRICSD &&
	    imsg->hdr.type == IMSG_LISTEN_TCP))
		fatalx("listening socket sent to %s", proc_name(env->proc));
	if (imsg_get_data(imsg, &lc, sizeof(lc)) == -1)
		fatalx("IMSG_LISTEN bad length");
	if ((fd = imsg_get_fd(imsg)) == -1)
		fatalx("IMSG_LISTEN without fd");
	l = reallocarray(env->listen, env->nlisten + 1, sizeof(*l));
	if (l == NULL)
		fatal("%s", __func__);
	env->listen = l;
	l = &env->listen[env->nlisten++];
	l->fd = fd;
	l->tcp = imsg->hdr.type == IMSG_LISTEN_TCP;
	l->ss = lc.ss;
}

/* Chroot into root (NULL: stay) and become the configured user. */
void
child_drop(struct child_env *env, const char *root)
{
	struct passwd	*pw;

	if (env->privsep) {
		strlcpy(env->user, env->conf->user, sizeof(env->user));
		if (root != NULL)
			strlcpy(env->root, root, sizeof(env->root));
	} else if ((pw = getpwuid(geteuid())) != NULL)
		strlcpy(env->user, pw->pw_name, sizeof(env->user));
	proc_privdrop(env->conf->user, root, env->privsep);
}

/* Tell the parent who we are and what the sandbox holds. */
void
child_ready(struct imsgev *parent, struct child_env *env)
{
	struct ctl_proc		 cp;
	struct ctl_sandbox	 sb;

	memset(&cp, 0, sizeof(cp));
	strlcpy(cp.name, proc_name(env->proc), sizeof(cp.name));
	cp.instance = env->instance;
	cp.pid = getpid();
	cp.uid = geteuid();
	strlcpy(cp.user, env->user, sizeof(cp.user));
	strlcpy(cp.chroot, env->root, sizeof(cp.chroot));
	cp.sandboxed = 1;
	cp.started = time(NULL);

	memset(&sb, 0, sizeof(sb));
	sandbox_info(&sb);
	strlcpy(sb.name, cp.name, sizeof(sb.name));
	sb.instance = env->instance;
	sb.pid = cp.pid;

	if (iev_compose(parent, IMSG_SANDBOX_INFO, 0, 0, -1, &sb,
	    sizeof(sb)) == -1 ||
	    iev_compose(parent, IMSG_READY, 0, 0, -1, &cp, sizeof(cp)) == -1)
		fatal("%s", __func__);
}

/*
 * Messages from the parent that every child handles the same way.
 * Returns 1 when imsg was one of them, 0 otherwise.
 */
int
child_parent_imsg(struct child_env *env, struct imsg *imsg)
{
	static struct secd_conf	*nconf;
	int			 v, r;

	switch (imsg->hdr.type) {
	case IMSG_CTL_VERBOSE:
		if (imsg_get_data(imsg, &v, sizeof(v)) == -1)
			fatalx("IMSG_CTL_VERBOSE bad length");
		log_setverbose(v);
		return 1;
	case IMSG_RECONF_CONF:
	case IMSG_RECONF_KEY:
	case IMSG_RECONF_OPTS:
	case IMSG_RECONF_ZONE:
	case IMSG_RECONF_PRIMARY:
	case IMSG_RECONF_NOTIFY:
	case IMSG_RECONF_XFROUT:
	case IMSG_RECONF_NOTIFYOUT:
	case IMSG_RECONF_END:
		if ((r = conf_recv(&nconf, imsg)) == -1)
			fatalx("bad configuration from parent");
		if (r == 1) {
			env->prevconf = env->conf;
			env->conf = nconf;
			nconf = NULL;
			log_debug("new configuration: %s", env->conf->file);
			if (env->reconf != NULL)
				env->reconf();
			config_free(env->prevconf);
			env->prevconf = NULL;
			trim_later();
		}
		return 1;
	}
	return env->parent_imsg != NULL && env->parent_imsg(imsg);
}

static void
child_sig(int sig, short event, void *arg)
{
	log_debug("exiting on signal %d", sig);
	exit(0);
}

/*
 * The event-loop half of the common start: signals, and the channel to the
 * parent served by child_dispatch_parent().  Called after event_init().
 */
void
child_events(struct child_env *env, struct imsgev *parent)
{
	signal_set(&ev_sigterm, SIGTERM, child_sig, NULL);
	signal_set(&ev_sigint, SIGINT, child_sig, NULL);
	signal_add(&ev_sigterm, NULL);
	signal_add(&ev_sigint, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	iev_init(parent, SECD_PARENT_FD, child_dispatch_parent, env);
	iev_add(parent);
}

void
child_dispatch_parent(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	if (!iev_read(iev, event))
		exit(0);	/* the parent is gone, and so are we */
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		if (!child_parent_imsg(iev->data, &imsg))
			fatalx("%s: unexpected imsg %u from parent", __func__,
			    imsg.hdr.type);
		imsg_free(&imsg);
	}
	if (n == -1)
		fatal("%s: imsg_get", __func__);
	iev_add(iev);
}

static void
child_gone_late(int fd, short event, void *arg)
{
	fatalx("%s closed its channel", gone_peer);
}

/*
 * A sibling closed its channel: fatal (the parent then stops everything),
 * unless this process's own SIGTERM comes within a second: when the
 * parent stops them all, the siblings exit in any order, and that is no
 * error to log.
 */
static void
child_gone(struct imsgev *iev, const char *peer)
{
	struct timeval	 tv = { 1, 0 };

	iev_close(iev);
	if (gone_peer[0] != '\0')
		return;
	strlcpy(gone_peer, peer, sizeof(gone_peer));
	evtimer_set(&ev_gone, child_gone_late, NULL);
	evtimer_add(&ev_gone, &tv);
}

/*
 * A channel from a sibling: each message goes to fn; the sibling going
 * away is fatal (child_gone).
 */
void
child_dispatch(struct imsgev *iev, short event, const char *peer,
    void (*fn)(struct imsg *))
{
	struct imsg	 imsg;
	ssize_t		 n;

	if (!iev_read(iev, event)) {
		child_gone(iev, peer);
		return;
	}
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		fn(&imsg);
		imsg_free(&imsg);
	}
	if (n == -1)
		fatal("imsg_get from %s", peer);
	iev_add(iev);
}

/*
 * A channel on which this process expects no message (yet): anything that
 * arrives is a protocol error, and so is the peer going away.
 */
void
child_dispatch_none(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	if (!iev_read(iev, event)) {
		child_gone(iev, iev->data);
		return;
	}
	if ((n = imsg_get(&iev->ibuf, &imsg)) > 0)
		fatalx("unexpected imsg %u from %s", imsg.hdr.type,
		    (const char *)iev->data);
	if (n == -1)
		fatal("%s: imsg_get", __func__);
	iev_add(iev);
}

/* The last reply to a control request the parent forwarded. */
void
child_result(struct imsgev *parent, uint32_t peerid, int code,
    const char *fmt, ...)
{
	struct ctl_result	 res;
	va_list			 ap;

	va_start(ap, fmt);
	ctl_result_set(&res, code, fmt, ap);
	va_end(ap);
	if (iev_compose(parent, IMSG_CTL_RESULT, peerid, 0, -1, &res,
	    sizeof(res)) == -1)
		fatal("%s", __func__);
}

/* The request of an IMSG_CTL_REQUEST from the parent, checked. */
void
child_request(struct imsg *imsg, struct ctl_request *req)
{
	if (imsg_get_data(imsg, req, sizeof(*req)) == -1 ||
	    memchr(req->zone, '\0', sizeof(req->zone)) == NULL ||
	    memchr(req->name, '\0', sizeof(req->name)) == NULL ||
	    memchr(req->arg, '\0', sizeof(req->arg)) == NULL)
		fatalx("parent: bad IMSG_CTL_REQUEST");
}
