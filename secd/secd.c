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
 * secd: the parent.  Reads the configuration, opens the service and control
 * sockets, starts xfrd, zoned and the serverd processes by fork+exec, and
 * then only supervises: control requests, reloads, signals.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "catalog.h"
#include "config.h"
#include "log.h"
#include "metricsd/metricsd.h"
#include "parent.h"
#include "sandbox.h"
#include "serverd/serverd.h"
#include "xfrd/xfrd.h"
#include "zoned/zoned.h"

__attribute__((__noreturn__))
static void	usage(void);
static void	parent_sig(int, short, void *);
static void	parent_dirs(struct parent *);
static void	parent_files(void);
static void	parent_sandbox(struct parent *);
static void	parent_status(struct ctl_conn *);
static void	parent_self(struct ctl_proc *);
static int	parent_servers(struct secd_conf *);
static int	parent_nzones(struct secd_conf *);
static int	parent_restart_needed(struct secd_conf *, struct secd_conf *);
static int	listens_same(struct listen_confs *, struct listen_confs *);
static void	parent_cookie_secret(struct secd_conf *,
		    const struct secd_conf *);

struct parent	*parent;

static void
usage(void)
{
	extern char	*__progname;

	fprintf(stderr, "usage: %s [-dnv] [-D macro=value] [-f file] "
	    "[-s socket]\n", __progname);
	exit(1);
}

int
main(int argc, char *argv[])
{
	static struct parent	 p;
	struct event		 ev_term, ev_int, ev_hup, ev_chld;
	const char		*conffile = SECD_CONF, *sockpath = NULL;
	const char		*pname = NULL;
	int			*fds, *mfds, ch, noaction = 0, instance = 0;
	int			 proc;
	int			 ctlfd;

	proc_title_init(argc, argv);
	while ((ch = getopt(argc, argv, "D:df:I:nP:s:v")) != -1) {
		switch (ch) {
		case 'D':
			if (cmdline_symset(optarg) < 0)
				errx(1, "could not parse macro definition %s",
				    optarg);
			break;
		case 'd':
			p.debug = 1;
			break;
		case 'f':
			/* copies: the process title overwrites argv */
			if ((conffile = strdup(optarg)) == NULL)
				err(1, NULL);
			break;
		case 'I':
			instance = atoi(optarg);
			break;
		case 'n':
			noaction = 1;
			break;
		case 'P':
			pname = optarg;
			break;
		case 's':
			if ((sockpath = strdup(optarg)) == NULL)
				err(1, NULL);
			break;
		case 'v':
			p.verbose++;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	if (argc > 0)
		usage();

	if (pname != NULL) {
		if ((proc = proc_byname(pname)) == -1)
			errx(1, "-P %s: no such process", pname);
		if (proc == PROC_XFRD)
			xfrd_main(instance, p.debug, p.verbose);
		else if (proc == PROC_ZONED)
			zoned_main(instance, p.debug, p.verbose);
		else if (proc == PROC_METRICSD)
			metricsd_main(instance, p.debug, p.verbose);
		else
			serverd_main(instance, p.debug, p.verbose);
		/* NOTREACHED */
	}

	log_init(1, LOG_DAEMON);
	log_setverbose(p.verbose);
	parent = &p;
	if ((p.conf = parse_config(conffile, 0)) == NULL)
		exit(1);
	if (sockpath != NULL && strlcpy(p.conf->control, sockpath,
	    sizeof(p.conf->control)) >= sizeof(p.conf->control))
		errx(1, "-s %s: path too long", sockpath);
	if (noaction) {
		if (p.verbose)
			config_print(stdout, p.conf);
		exit(0);
	}
	parent_cookie_secret(p.conf, NULL);
	if (realpath(conffile, p.conffile) == NULL)
		err(1, "%s", conffile);
#ifdef __linux__
	if (readlink("/proc/self/exe", p.exe, sizeof(p.exe) - 1) == -1)
		err(1, "readlink /proc/self/exe");
#else
	if (argv[0][0] != '/')
		errx(1, "need an absolute path to re-execute itself");
	strlcpy(p.exe, argv[0], sizeof(p.exe));
#endif
	p.privsep = geteuid() == 0;
	if (!p.privsep)
		log_warnx("not started as root: running as the invoking user, "
		    "without chroot and without privilege separation by user");
	else if (getpwnam(p.conf->user) == NULL)
		errx(1, "user %s does not exist", p.conf->user);
	p.nservers = parent_servers(p.conf);
	p.started = time(NULL);

	parent_dirs(&p);
	parent_files();
	fds = listen_open(p.conf, p.nservers);
	mfds = metrics_open(p.conf);
	ctlfd = control_init(p.conf->control);

	if (!p.debug && daemon(0, 0) == -1)
		err(1, "daemon");
	log_init(p.debug, LOG_DAEMON);
	log_setverbose(p.verbose);
	log_procinit("secd");
	proc_settitle("parent");

	event_init();
	sdnotify_open();
	children_start(&p, &fds, &mfds);
	signal_set(&ev_term, SIGTERM, parent_sig, NULL);
	signal_set(&ev_int, SIGINT, parent_sig, NULL);
	signal_set(&ev_hup, SIGHUP, parent_sig, NULL);
	signal_set(&ev_chld, SIGCHLD, children_reap, NULL);
	signal_add(&ev_term, NULL);
	signal_add(&ev_int, NULL);
	signal_add(&ev_hup, NULL);
	signal_add(&ev_chld, NULL);
	signal(SIGPIPE, SIG_IGN);
	control_listen(ctlfd);

	parent_sandbox(&p);
	log_info("started: %d zones, %d serverd, control socket %s",
	    parent_nzones(p.conf), p.nservers, p.conf->control);
	event_dispatch();
	parent_shutdown(1);
}

static int
parent_servers(struct secd_conf *conf)
{
	long	 n;

	if (conf->servers > 0)
		return conf->servers;
	if ((n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return n > SECD_MAXSERVERS ? SECD_MAXSERVERS : (int)n;
}

/*
 * zoned's directory belongs to the unprivileged user and nobody else; the
 * empty chroot of xfrd and serverd belongs to root and is not writable.
 */
static void
parent_dirs(struct parent *p)
{
	struct passwd	*pw;

	if (mkdir(p->conf->database, 0700) == -1 && errno != EEXIST)
		err(1, "database %s", p->conf->database);
	if (!p->privsep)
		return;
	if ((pw = getpwnam(p->conf->user)) == NULL)
		errx(1, "user %s does not exist", p->conf->user);
	if (chown(p->conf->database, pw->pw_uid, pw->pw_gid) == -1 ||
	    chmod(p->conf->database, 0700) == -1)
		err(1, "database %s", p->conf->database);
	if (mkdir(SECD_EMPTYDIR, 0755) == -1 && errno != EEXIST)
		err(1, "%s", SECD_EMPTYDIR);
}

/*
 * Every transfer in progress holds a socket in xfrd and a file in zoned,
 * every TCP client a socket in serverd: the soft limit on open files
 * (often 1024) is raised to the hard one, which the children inherit, so
 * that "transfer max-concurrent" and the TCP limits of secd.conf(5), not
 * the limit a shell left, bound them.
 */
static void
parent_files(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	if (rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		warn("open files: cannot raise the limit to %llu",
		    (unsigned long long)rl.rlim_max);
}

/*
 * After start-up the parent reads configuration files (reload, anywhere:
 * include), removes its control socket at exit, sends fds and signals its
 * children.  It opens no socket and writes no file.
 */
static void
parent_sandbox(struct parent *p)
{
	char	 dir[PATH_MAX];

	strlcpy(dir, p->conf->control, sizeof(dir));
	sandbox_unveil("/", "r");
	sandbox_unveil(dirname(dir), "rwc");
	sandbox_pledge("stdio rpath cpath unix sendfd recvfd proc");
	sandbox_info(&p->sb);
	strlcpy(p->sb.name, "secd", sizeof(p->sb.name));
	p->sb.pid = getpid();
}

static void
parent_sig(int sig, short event, void *arg)
{
	char	 msg[SECD_MSGLEN];

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("received signal %d; stopping", sig);
		parent_shutdown(0);
	case SIGHUP:
		(void)parent_reload(msg, sizeof(msg));
		break;
	}
}

/*
 * Re-read the configuration file.  A file with errors changes nothing.
 * What only a restart can change (sockets, user, database, processes) is
 * kept and said so.  Returns 0 on success; msg says what happened.
 */
int
parent_reload(char *msg, size_t len)
{
	struct secd_conf	*nconf, *old = parent->conf;
	struct listen_conf	*l;

	log_info("reloading %s", parent->conffile);
	if ((nconf = parse_config(parent->conffile, 0)) == NULL) {
		snprintf(msg, len, "%s has errors; keeping the running "
		    "configuration", parent->conffile);
		log_warnx("reload: %s", msg);
		return -1;
	}
	if (parent_restart_needed(old, nconf))
		log_warnx("reload: changes to listen, metrics listen, user, "
		    "database, control or servers take effect at the next "
		    "restart");
	/* Keep what the running processes were set up with. */
	while ((l = TAILQ_FIRST(&nconf->listens)) != NULL) {
		TAILQ_REMOVE(&nconf->listens, l, entry);
		free(l);
	}
	TAILQ_CONCAT(&nconf->listens, &old->listens, entry);
	while ((l = TAILQ_FIRST(&nconf->metrics)) != NULL) {
		TAILQ_REMOVE(&nconf->metrics, l, entry);
		free(l);
	}
	TAILQ_CONCAT(&nconf->metrics, &old->metrics, entry);
	strlcpy(nconf->user, old->user, sizeof(nconf->user));
	strlcpy(nconf->database, old->database, sizeof(nconf->database));
	strlcpy(nconf->control, old->control, sizeof(nconf->control));
	nconf->servers = old->servers;
	parent_cookie_secret(nconf, old);
	nconf->gen = old->gen;
	parent->conf = nconf;
	config_free(old);
	children_send_conf(parent);
	snprintf(msg, len, "reloaded %s: %d zones", parent->conffile,
	    parent_nzones(nconf));
	log_info("%s", msg);
	return 0;
}

/*
 * zoned wrote a new member file for catalog zone: its members in the
 * running configuration become those of the file, and every child gets
 * the configuration (the same as a reload, but for secd.conf, not read).
 */
void
parent_catalog(const char *zone)
{
	struct zone_conf	*cat;
	int			 n, reset;

	if ((cat = config_zone(parent->conf, zone)) == NULL ||
	    cat->owner != NULL || cat->opts->catalog == 0) {
		log_debug("catalog %s: no longer configured", zone);
		return;
	}
	if ((n = catalog_members(parent->conf, cat, &reset)) == -1)
		return;
	/* a reset: the children see the member leave, then come back */
	if (reset > 0) {
		log_info("catalog %s: %d members reset: removed, then added "
		    "again", cat->name, reset);
		children_send_conf(parent);
		if ((n = catalog_members(parent->conf, cat, NULL)) == -1)
			return;
	}
	log_info("catalog %s: %d members", cat->name, n);
	children_send_conf(parent);
}

/*
 * A serverd serves every stored zone of the start: once all do, secd is
 * ready (sdnotify.c).
 */
void
parent_loaded(void)
{
	if (++parent->nloaded != parent->nservers)
		return;
	log_info("ready: the stored zones are served, %d zones configured",
	    parent_nzones(parent->conf));
	sdnotify("READY=1\nSTATUS=serving; %d zones configured",
	    parent_nzones(parent->conf));
}

static int
parent_nzones(struct secd_conf *conf)
{
	struct zone_conf	*z;
	int			 n = 0;

	TAILQ_FOREACH(z, &conf->zones, entry)
		n++;
	return n;
}

/*
 * Without a cookie secret in secd.conf, every serverd uses one the parent
 * draws at start and keeps across reloads, so that the server cookies a
 * client holds stay valid (RFC 7873 section 7.1 wants the secret to be
 * unpredictable; an anycast fleet sets one in secd.conf instead).
 */
static void
parent_cookie_secret(struct secd_conf *nconf, const struct secd_conf *old)
{
	if (nconf->cookie.configured)
		return;
	if (old != NULL && !old->cookie.configured)
		memcpy(nconf->cookie.secret, old->cookie.secret,
		    sizeof(nconf->cookie.secret));
	else
		arc4random_buf(nconf->cookie.secret,
		    sizeof(nconf->cookie.secret));
}

static int
parent_restart_needed(struct secd_conf *a, struct secd_conf *b)
{
	if (strcmp(a->user, b->user) != 0 ||
	    strcmp(a->database, b->database) != 0 ||
	    strcmp(a->control, b->control) != 0 || a->servers != b->servers)
		return 1;
	return !listens_same(&a->listens, &b->listens) ||
	    !listens_same(&a->metrics, &b->metrics);
}

static int
listens_same(struct listen_confs *a, struct listen_confs *b)
{
	struct listen_conf	*la, *lb;

	lb = TAILQ_FIRST(b);
	TAILQ_FOREACH(la, a, entry) {
		if (lb == NULL || memcmp(&la->ss, &lb->ss, sizeof(la->ss)) != 0)
			return 0;
		lb = TAILQ_NEXT(lb, entry);
	}
	return lb == NULL;
}

static void
parent_self(struct ctl_proc *cp)
{
	struct passwd	*pw;

	memset(cp, 0, sizeof(*cp));
	strlcpy(cp->name, "secd", sizeof(cp->name));
	cp->pid = getpid();
	cp->uid = geteuid();
	if ((pw = getpwuid(cp->uid)) != NULL)
		strlcpy(cp->user, pw->pw_name, sizeof(cp->user));
	cp->sandboxed = 1;
	cp->started = parent->started;
}

static void
parent_status(struct ctl_conn *c)
{
	struct ctl_status	 st;
	struct ctl_proc		 cp;
	int			 i;

	memset(&st, 0, sizeof(st));
	st.started = parent->started;
	st.now = time(NULL);
	st.zones = parent_nzones(parent->conf);
	st.servers = parent->nservers;
	st.privsep = parent->privsep;
	strlcpy(st.config, parent->conffile, sizeof(st.config));
	strlcpy(st.version, SECD_VERSION, sizeof(st.version));
	control_reply(c, IMSG_CTL_STATUS, &st, sizeof(st));
	parent_self(&cp);
	control_reply(c, IMSG_CTL_PROC, &cp, sizeof(cp));
	for (i = 0; i < parent->nchildren; i++)
		control_reply(c, IMSG_CTL_PROC, &parent->children[i].info,
		    sizeof(cp));
}

void
parent_request(struct ctl_conn *c, struct ctl_request *req)
{
	char	 msg[SECD_MSGLEN];
	int	 i, v;

	switch (req->verb) {
	case CTL_STATUS:
		parent_status(c);
		control_result(c, 0, "%s", "");
		break;
	case CTL_SHOW_SANDBOX:
		control_reply(c, IMSG_CTL_SANDBOX, &parent->sb,
		    sizeof(parent->sb));
		for (i = 0; i < parent->nchildren; i++)
			control_reply(c, IMSG_CTL_SANDBOX,
			    &parent->children[i].sb,
			    sizeof(parent->children[i].sb));
		control_result(c, 0, "%s", "");
		break;
	case CTL_RELOAD:
		i = parent_reload(msg, sizeof(msg));
		control_result(c, i == 0 ? 0 : 1, "%s", msg);
		break;
	case CTL_LOG_VERBOSE:
	case CTL_LOG_BRIEF:
		v = req->verb == CTL_LOG_VERBOSE;
		log_setverbose(v);
		children_broadcast(parent, IMSG_CTL_VERBOSE, &v, sizeof(v));
		log_info("logging %s", v ? "verbose" : "brief");
		control_result(c, 0, "%s", "");
		break;
	case CTL_SHOW_ZONES:
	case CTL_REFRESH:
	case CTL_RETRANSFER:
		relay_forward(parent, c, req, PROC_XFRD);
		break;
	case CTL_SHOW_ZONE:
	case CTL_SHOW_SIZES:
	case CTL_PROXY:
	case CTL_APEX_CNAME:
	case CTL_APEX_CLEAR:
	case CTL_AUDIT:
		relay_forward(parent, c, req, PROC_ZONED);
		break;
	case CTL_SHOW_STATS:
		relay_forward(parent, c, req, PROC_SERVERD);
		break;
	default:
		control_result(c, 1, "unknown request %d", req->verb);
		break;
	}
}
