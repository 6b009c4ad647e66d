/*
 * secd: the interfaces between its processes.
 *
 * Everything one process sends another lives here: the imsg types, who may
 * send each, and the fixed-size structs they carry.  Strings inside those
 * structs are char[N] and must be NUL-terminated; a receiver checks the
 * length of every message against its struct before touching the data
 * (see STYLE.md, "imsg").  The configuration structs are here too because
 * the parent hands the parsed configuration to the children over imsg.
 */
#ifndef SECD_H
#define SECD_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdint.h>
#include <time.h>

#define SECD_CONF		"/etc/secd.conf"
#define SECD_DBDIR		"/var/db/secd"
#define SECD_SOCKET		"/var/run/secd.sock"
#define SECD_USER		"_secd"
#define SECD_EMPTYDIR		"/var/empty"

#define SECD_NAMESTRLEN		1025	/* presentation name, \DDD escapes */
#define SECD_USERLEN		64
#define SECD_MAXSERVERS		64
#define SECD_PROXY_MAX		16	/* addresses per family in a proxy set */
#define SECD_TSIG_SECRET_MAX	128	/* bytes, decoded */
#define SECD_MSGLEN		256	/* an error or status text */

/* fd of the channel to the parent in every child after exec. */
#define SECD_PARENT_FD		3

/* The processes.  proc_name() maps them to "secd", "xfrd", ... */
enum secd_proc {
	PROC_PARENT,
	PROC_XFRD,
	PROC_ZONED,
	PROC_SERVERD,
	PROC_MAX
};

/* ---- configuration (parse.y fills it, the parent sends it) ---- */

enum tsig_alg {
	TSIG_HMAC_MD5,
	TSIG_HMAC_SHA1,
	TSIG_HMAC_SHA224,
	TSIG_HMAC_SHA256,
	TSIG_HMAC_SHA384,
	TSIG_HMAC_SHA512,
	TSIG_ALG_MAX
};

struct tsig_key {
	TAILQ_ENTRY(tsig_key)	 entry;
	char			 name[SECD_NAMESTRLEN];
	enum tsig_alg		 alg;
	size_t			 secretlen;
	uint8_t			 secret[SECD_TSIG_SECRET_MAX];
};

struct primary_conf {
	TAILQ_ENTRY(primary_conf) entry;
	struct sockaddr_storage	 ss;		/* address and port */
	char			 tsig[SECD_NAMESTRLEN];	/* "" = none */
};

struct notify_acl {
	TAILQ_ENTRY(notify_acl)	 entry;
	struct sockaddr_storage	 ss;		/* port ignored */
	char			 tsig[SECD_NAMESTRLEN];	/* "" = none */
};

struct proxy_conf {
	uint32_t		 ttl;
	int			 n4;
	int			 n6;
	struct in_addr		 v4[SECD_PROXY_MAX];
	struct in6_addr		 v6[SECD_PROXY_MAX];
};

struct zone_conf {
	TAILQ_ENTRY(zone_conf)	 entry;
	char			 name[SECD_NAMESTRLEN];	/* lower case, no dot */
	int			 has_proxy;	/* own proxy {} block */
	struct proxy_conf	 proxy;
	TAILQ_HEAD(, primary_conf) primaries;
	TAILQ_HEAD(, notify_acl) notifies;
};

struct listen_conf {
	TAILQ_ENTRY(listen_conf) entry;
	struct sockaddr_storage	 ss;
};

struct secd_conf {
	char			 file[PATH_MAX];	/* where it was read */
	char			 user[SECD_USERLEN];
	char			 database[PATH_MAX];
	char			 control[PATH_MAX];
	int			 servers;		/* 0: one per CPU */
	int			 has_resolver;
	struct sockaddr_storage	 resolver;
	struct proxy_conf	 proxy;			/* global proxy {} */
	TAILQ_HEAD(, listen_conf) listens;
	TAILQ_HEAD(, tsig_key)	 keys;
	TAILQ_HEAD(, zone_conf)	 zones;
};

/* ---- imsg types ---- */

/*
 * Who sends what.  P = parent, X = xfrd, Z = zoned, S = serverd, C = secctl
 * (over the control socket, to the parent).
 */
enum imsg_type {
	IMSG_NONE,

	/* P -> child: start-up */
	IMSG_SOCKET_CONN,	/* fd: channel to a peer child; data: int proc */
	IMSG_LISTEN_UDP,	/* fd: bound UDP socket; data: struct listen_conf */
	IMSG_LISTEN_TCP,	/* fd: listening TCP socket; same */
	IMSG_RECONF_CONF,	/* struct secd_conf (lists zeroed) */
	IMSG_RECONF_KEY,	/* struct tsig_key */
	IMSG_RECONF_ZONE,	/* struct zone_conf */
	IMSG_RECONF_PRIMARY,	/* struct primary_conf, for the last zone */
	IMSG_RECONF_NOTIFY,	/* struct notify_acl, for the last zone */
	IMSG_RECONF_END,	/* empty: configuration complete */
	IMSG_CTL_VERBOSE,	/* int */

	/* child -> P */
	IMSG_READY,		/* empty: set up, sandboxed, serving */
	IMSG_SANDBOX_INFO,	/* struct ctl_sandbox: what was applied */

	/* C -> P and replies P -> C */
	IMSG_CTL_REQUEST,	/* struct ctl_request */
	IMSG_CTL_PROC,		/* struct ctl_proc */
	IMSG_CTL_STATUS,	/* struct ctl_status */
	IMSG_CTL_SANDBOX,	/* struct ctl_sandbox */
	IMSG_CTL_RESULT,	/* struct ctl_result: last reply of a request */

#ifdef SECD_TESTHOOKS
	IMSG_TEST_VIOLATE,	/* P -> S: call open(2) inside the sandbox */
#endif
	IMSG_MAX
};

/* ---- control protocol (secctl <-> parent) ---- */

enum ctl_verb {
	CTL_NONE,
	CTL_STATUS,
	CTL_SHOW_ZONES,
	CTL_SHOW_ZONE,
	CTL_SHOW_STATS,
	CTL_SHOW_SANDBOX,
	CTL_PROXY,
	CTL_APEX_CNAME,
	CTL_APEX_CLEAR,
	CTL_REFRESH,
	CTL_RETRANSFER,
	CTL_RELOAD,
	CTL_LOG_VERBOSE,
	CTL_LOG_BRIEF,
#ifdef SECD_TESTHOOKS
	CTL_TEST_VIOLATE,
#endif
	CTL_VERB_MAX
};

#define CTL_F_ON		0x01	/* proxy ... on */
#define CTL_F_PROXIED		0x02	/* apex ... cname TARGET proxied */
#define CTL_F_DRYRUN		0x04	/* proxy -n */

struct ctl_request {
	int			 verb;		/* enum ctl_verb */
	int			 flags;		/* CTL_F_* */
	char			 zone[SECD_NAMESTRLEN];
	char			 name[SECD_NAMESTRLEN];
	char			 arg[SECD_NAMESTRLEN];
};

struct ctl_proc {
	char			 name[16];	/* "secd", "xfrd", "serverd" */
	int			 instance;	/* serverd index, else 0 */
	pid_t			 pid;
	uid_t			 uid;
	char			 user[SECD_USERLEN];
	char			 chroot[PATH_MAX];	/* "" = none */
	int			 sandboxed;	/* pledge applied */
	time_t			 started;
};

struct ctl_status {
	time_t			 started;
	time_t			 now;
	int			 zones;
	int			 servers;
	int			 privsep;	/* 0: running as non-root */
	char			 config[PATH_MAX];
	char			 version[32];
};

#define SANDBOX_PROMISES_LEN	256
#define SANDBOX_MAX_UNVEIL	8

struct sandbox_unveil_info {
	char			 path[PATH_MAX];
	char			 perms[8];
};

struct ctl_sandbox {
	char			 name[16];
	int			 instance;
	pid_t			 pid;
	char			 promises[SANDBOX_PROMISES_LEN];
	char			 backend[32];	/* "pledge", "seccomp+landlock" */
	int			 nunveil;
	struct sandbox_unveil_info unveil[SANDBOX_MAX_UNVEIL];
};

struct ctl_result {
	int			 code;		/* 0 ok, 1 refused/failed */
	char			 msg[SECD_MSGLEN];
};

#define SECD_VERSION		"0.1"

#endif
