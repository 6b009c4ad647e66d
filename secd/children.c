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
 * The parent's side of its children: start them, wire them to each other,
 * hand them their sockets and configuration, listen to what they report,
 * and take everything down when one of them dies.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "parent.h"
#include "trim.h"

#define SHUTDOWN_WAIT	5	/* seconds before SIGKILL */

static void	 child_pair(int [2]);
static void	 child_connect(struct child *, struct child *);
static void	 children_dispatch(int, short, void *);
static int	 child_imsg(struct child *, struct imsg *);
static struct child *child_bypid(pid_t);
static void	 child_status(struct child *, int);
static void	 children_metricsd(struct parent *, struct child *, int *);

static void
child_pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    PF_UNSPEC, sv) == -1)
		fatal("socketpair");
}

/* Hand a and b the two ends of a new channel between them. */
static void
child_connect(struct child *a, struct child *b)
{
	struct sock_conn	 sc;
	int			 sv[2];

	child_pair(sv);
	sc.proc = b->proc;
	sc.instance = b->instance;
	if (iev_compose(&a->iev, IMSG_SOCKET_CONN, 0, 0, sv[0], &sc,
	    sizeof(sc)) == -1)
		fatal("%s", __func__);
	sc.proc = a->proc;
	sc.instance = a->instance;
	if (iev_compose(&b->iev, IMSG_SOCKET_CONN, 0, 0, sv[1], &sc,
	    sizeof(sc)) == -1)
		fatal("%s", __func__);
}

/*
 * Start xfrd, zoned, p->nservers serverd and, with mfds, metricsd; fds
 * are the listening sockets from listen_open(), mfds those of
 * metrics_open().  Children[0] is xfrd, [1] zoned, [2..] serverd, and
 * metricsd the last.
 */
void
children_start(struct parent *p, int **fds, int **mfds)
{
	struct listen_conf	*l;
	struct child		*c;
	int			 i, j, sv[2], nlisten;

	p->nchildren = 2 + p->nservers + (*mfds != NULL);
	if ((p->children = calloc(p->nchildren, sizeof(*c))) == NULL)
		fatal(NULL);
	for (i = 0; i < p->nchildren; i++) {
		c = &p->children[i];
		c->proc = i == 0 ? PROC_XFRD : i == 1 ? PROC_ZONED :
		    i < 2 + p->nservers ? PROC_SERVERD : PROC_METRICSD;
		c->instance = c->proc == PROC_SERVERD ? i - 2 : 0;
		child_pair(sv);
		c->pid = proc_exec(p->exe, c->proc, c->instance, sv[1],
		    p->debug, p->verbose);
		close(sv[1]);
		c->info.pid = c->pid;
		strlcpy(c->info.name, proc_name(c->proc), sizeof(c->info.name));
		c->info.instance = c->instance;
		iev_init(&c->iev, sv[0], children_dispatch, c);
		iev_add(&c->iev);
		log_debug("started %s %d, pid %d", proc_name(c->proc),
		    c->instance, (int)c->pid);
	}

	child_connect(&p->children[0], &p->children[1]);
	nlisten = listen_count(p->conf);
	for (i = 0; i < p->nservers; i++) {
		c = &p->children[2 + i];
		child_connect(&p->children[0], c);
		child_connect(&p->children[1], c);
		j = 0;
		TAILQ_FOREACH(l, &p->conf->listens, entry) {
			if (iev_compose(&c->iev, IMSG_LISTEN_UDP, 0, 0,
			    (*fds)[(i * nlisten + j) * 2], l,
			    sizeof(*l)) == -1 ||
			    iev_compose(&c->iev, IMSG_LISTEN_TCP, 0, 0,
			    (*fds)[(i * nlisten + j) * 2 + 1], l,
			    sizeof(*l)) == -1)
				fatal("%s", __func__);
			j++;
		}
	}
	/* imsg closes each fd once it is sent. */
	free(*fds);
	*fds = NULL;
	if (*mfds != NULL)
		children_metricsd(p, &p->children[p->nchildren - 1], *mfds);
	free(*mfds);
	*mfds = NULL;
	children_send_conf(p);
}

/*
 * metricsd's sockets: its HTTP listeners, and a channel the parent takes
 * as a control connection that may only read (control_adopt), so that
 * metricsd asks what secctl asks, the same way.
 */
static void
children_metricsd(struct parent *p, struct child *c, int *mfds)
{
	struct listen_conf	*l;
	struct sock_conn	 sc;
	int			 j = 0, sv[2];

	TAILQ_FOREACH(l, &p->conf->metrics, entry)
		if (iev_compose(&c->iev, IMSG_LISTEN_TCP, 0, 0, mfds[j++], l,
		    sizeof(*l)) == -1)
			fatal("%s", __func__);
	child_pair(sv);
	control_adopt(sv[0]);
	memset(&sc, 0, sizeof(sc));
	sc.proc = PROC_PARENT;
	if (iev_compose(&c->iev, IMSG_SOCKET_CONN, 0, 0, sv[1], &sc,
	    sizeof(sc)) == -1)
		fatal("%s", __func__);
}

/*
 * The running configuration to every child; TSIG keys to xfrd, those
 * of provide transfer to the serverds too (they sign the zones they
 * transfer out), cookie secrets to the serverds only.
 */
void
children_send_conf(struct parent *p)
{
	int	 i, flags;

	/* a serverd takes an image only under its configuration or later */
	p->conf->gen++;
	for (i = 0; i < p->nchildren; i++) {
		flags = 0;
		if (p->children[i].proc == PROC_XFRD)
			flags |= CONF_SEND_KEYS;
		if (p->children[i].proc == PROC_SERVERD)
			flags |= CONF_SEND_COOKIE | CONF_SEND_XFRKEYS;
		conf_send(&p->children[i].iev, p->conf, flags);
	}
	/* the copies queued for the children go once they are written */
	trim_later();
}

void
children_broadcast(struct parent *p, uint32_t type, const void *data,
    size_t len)
{
	int	 i;

	for (i = 0; i < p->nchildren; i++)
		if (iev_compose(&p->children[i].iev, type, 0, 0, -1, data,
		    len) == -1)
			fatal("%s", __func__);
}

static void
children_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct child	*c = iev->data;
	struct imsg	 imsg;
	ssize_t		 n;

	if (!iev_read(iev, event)) {
		log_warnx("%s %d (pid %d) closed its channel",
		    proc_name(c->proc), c->instance, (int)c->pid);
		parent_shutdown(1);
	}
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		if (!child_imsg(c, &imsg)) {
			log_warnx("%s %d (pid %d): bad imsg type %u length %zu;"
			    " closing its channel and shutting down",
			    proc_name(c->proc), c->instance, (int)c->pid,
			    imsg.hdr.type, IMSG_DATA_SIZE(imsg));
			imsg_free(&imsg);
			iev_close(iev);
			parent_shutdown(1);
		}
		imsg_free(&imsg);
	}
	if (n == -1) {
		log_warn("%s %d: imsg_get; shutting down", proc_name(c->proc),
		    c->instance);
		parent_shutdown(1);
	}
	iev_add(iev);
}

/* Returns 0 when imsg is not something this child may send. */
static int
child_imsg(struct child *c, struct imsg *imsg)
{
	struct ctl_proc		 cp;
	struct ctl_sandbox	 sb;

	/* metricsd asks on its control channel; here it only starts */
	if (c->proc == PROC_METRICSD && imsg->hdr.type != IMSG_READY &&
	    imsg->hdr.type != IMSG_SANDBOX_INFO)
		return 0;
	switch (imsg->hdr.type) {
	case IMSG_READY:
		if (c->ready || imsg_get_data(imsg, &cp, sizeof(cp)) == -1 ||
		    memchr(cp.user, '\0', sizeof(cp.user)) == NULL ||
		    memchr(cp.chroot, '\0', sizeof(cp.chroot)) == NULL ||
		    cp.pid != c->pid)
			return 0;
		strlcpy(cp.name, proc_name(c->proc), sizeof(cp.name));
		cp.instance = c->instance;
		c->info = cp;
		c->ready = 1;
		log_debug("%s %d ready", proc_name(c->proc), c->instance);
		return 1;
	case IMSG_SANDBOX_INFO:
		if (c->ready || imsg_get_data(imsg, &sb, sizeof(sb)) == -1 ||
		    memchr(sb.promises, '\0', sizeof(sb.promises)) == NULL ||
		    memchr(sb.backend, '\0', sizeof(sb.backend)) == NULL ||
		    sb.nunveil < 0 || sb.nunveil > SANDBOX_MAX_UNVEIL ||
		    sb.pid != c->pid)
			return 0;
		strlcpy(sb.name, proc_name(c->proc), sizeof(sb.name));
		sb.instance = c->instance;
		c->sb = sb;
		return 1;
	case IMSG_ZONES_LOADED:
		if (c->proc != PROC_SERVERD || IMSG_DATA_SIZE(*imsg) != 0)
			return 0;
		parent_loaded();
		return 1;
	case IMSG_CATALOG:
		if (c->proc != PROC_ZONED || IMSG_DATA_SIZE(*imsg) == 0 ||
		    IMSG_DATA_SIZE(*imsg) > SECD_CONFNAMELEN ||
		    memchr(imsg->data, '\0', IMSG_DATA_SIZE(*imsg)) !=
		    (char *)imsg->data + IMSG_DATA_SIZE(*imsg) - 1)
			return 0;
		parent_catalog(imsg->data);
		return 1;
	case IMSG_CTL_RESULT:
	case IMSG_CTL_ZONE:
	case IMSG_CTL_RR:
	case IMSG_CTL_SIGS:
	case IMSG_CTL_STATS:
	case IMSG_CTL_PROXYSTAT:
	case IMSG_CTL_ZSIZE:
		return relay_imsg(c, imsg);
	}
	return 0;
}

static struct child *
child_bypid(pid_t pid)
{
	int	 i;

	for (i = 0; i < parent->nchildren; i++)
		if (parent->children[i].pid == pid)
			return &parent->children[i];
	return NULL;
}

static void
child_status(struct child *c, int status)
{
	const char	*name = proc_name(c->proc);

	if (WIFSIGNALED(status))
		logit(parent->stopping ? LOG_INFO : LOG_CRIT,
		    "%s %d (pid %d) killed by signal %d (%s)", name,
		    c->instance, (int)c->pid, WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0 || !parent->stopping)
		logit(parent->stopping ? LOG_INFO : LOG_CRIT,
		    "%s %d (pid %d) exited with status %d", name, c->instance,
		    (int)c->pid, WEXITSTATUS(status));
	else
		log_debug("%s %d (pid %d) exited", name, c->instance,
		    (int)c->pid);
	c->pid = 0;
}

/* SIGCHLD: a child died, so the daemon stops (secd(8), SUPERVISION). */
void
children_reap(int sig, short event, void *arg)
{
	struct child	*c;
	pid_t		 pid;
	int		 status, died = 0;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = child_bypid(pid)) == NULL)
			continue;
		child_status(c, status);
		died = 1;
	}
	if (died && !parent->stopping) {
		log_warnx("a child died; shutting down");
		parent_shutdown(1);
	}
}

/* Stop every child (SIGTERM, then SIGKILL after a while) and exit. */
void
parent_shutdown(int code)
{
	struct child	*c;
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	time_t		 deadline;
	pid_t		 pid;
	int		 i, alive, status, killed = 0;

	parent->stopping = 1;
	sdnotify("STOPPING=1");
	for (i = 0; i < parent->nchildren; i++)
		if (parent->children[i].pid > 0)
			kill(parent->children[i].pid, SIGTERM);
	deadline = time(NULL) + SHUTDOWN_WAIT;
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if ((c = child_bypid(pid)) != NULL)
				child_status(c, status);
		for (alive = 0, i = 0; i < parent->nchildren; i++)
			if (parent->children[i].pid > 0)
				alive++;
		if (alive == 0)
			break;
		if (!killed && time(NULL) >= deadline) {
			log_warnx("%d children still running; killing them",
			    alive);
			for (i = 0; i < parent->nchildren; i++)
				if (parent->children[i].pid > 0)
					kill(parent->children[i].pid, SIGKILL);
			killed = 1;
		}
		nanosleep(&ts, NULL);
	}
	control_close_listener();
	log_info("terminating%s", code ? " after an error" : "");
	exit(code);
}
