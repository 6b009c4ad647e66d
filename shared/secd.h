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
	TAILQ_HEAD(primary_confs, primary_conf) primaries;
	TAILQ_HEAD(notify_acls, notify_acl) notifies;
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
	TAILQ_HEAD(listen_confs, listen_conf) listens;
	TAILQ_HEAD(tsig_keys, tsig_key) keys;
	TAILQ_HEAD(zone_confs, zone_conf) zones;
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
	IMSG_READY,		/* struct ctl_proc: set up, sandboxed, serving */
	IMSG_SANDBOX_INFO,	/* struct ctl_sandbox: what was applied */

	/* X -> Z: a transfer; hdr.peerid is the transfer's id */
	IMSG_XFR_BEGIN,		/* struct xfr_msg */
	IMSG_XFR_DATA,		/* records, store encoding, <= XFR_CHUNK */
	IMSG_XFR_END,		/* struct xfr_msg: complete, apply it */
	IMSG_XFR_ABORT,		/* struct xfr_msg: discard it, msg = why */
	/* Z -> X */
	IMSG_XFR_RESULT,	/* struct xfr_msg: stored and served, or not */
	IMSG_ZONE_LOADED,	/* struct xfr_msg: a zone zoned has stored */

	/* Z -> S */
	IMSG_ZONE_IMAGE,	/* fd: the image; struct zone_image_msg */
	IMSG_ZONE_DROP,		/* struct zone_image_msg: no longer served */
	/* S -> Z */
	IMSG_ZONE_REFUSED,	/* struct zone_image_msg: image_check said no */

	/* C -> P and replies P -> C */
	IMSG_CTL_REQUEST,	/* struct ctl_request */
	IMSG_CTL_PROC,		/* struct ctl_proc */
	IMSG_CTL_STATUS,	/* struct ctl_status */
	IMSG_CTL_SANDBOX,	/* struct ctl_sandbox */
	IMSG_CTL_RESULT,	/* struct ctl_result: last reply of a request */
	IMSG_CTL_ZONE,		/* X -> P -> C: struct ctl_zone */
	IMSG_CTL_RR,		/* Z -> P -> C: struct ctl_rr + content */
	IMSG_CTL_STATS,		/* S, X -> P, summed -> C: struct ctl_stats */
	/*
	 * The parent forwards an IMSG_CTL_REQUEST to the child that knows
	 * the answer with hdr.peerid = the control connection's id; the
	 * child answers with that peerid, IMSG_CTL_RESULT last.
	 */

	IMSG_MAX
};

/* IMSG_SOCKET_CONN: the fd is a channel to this peer. */
struct sock_conn {
	int			 proc;		/* enum secd_proc */
	int			 instance;	/* serverd index */
};

/*
 * Records on the wire between xfrd and zoned and in zoned's stored zones
 * ("store encoding"), each, in network byte order:
 *	u8 ownerlen, owner (uncompressed wire form, case kept),
 *	u16 type, u16 class, u32 ttl, u16 rdlen, rdata (names expanded)
 */
#define XFR_CHUNK		(16 * 1024 - 64)

enum xfr_kind {
	XFR_AXFR,
	XFR_IXFR,
	XFR_STORED,		/* loaded from zoned's directory */
};

struct xfr_msg {
	char			 zone[SECD_NAMESTRLEN];
	uint32_t		 serial;
	int			 kind;		/* enum xfr_kind */
	int			 ok;
	uint64_t		 records;
	uint64_t		 bytes;
	int64_t			 when;		/* time(3) */
	char			 primary[64];	/* sa_str() of the source */
	char			 msg[SECD_MSGLEN];
};

struct zone_image_msg {
	char			 zone[SECD_NAMESTRLEN];
	uint32_t		 serial;
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

/* Keeps struct ctl_sandbox well under one imsg (MAX_IMSGSIZE). */
#define SANDBOX_PATH_MAX	1024

struct sandbox_unveil_info {
	char			 path[SANDBOX_PATH_MAX];
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

/* show zones: one per zone, from xfrd */
struct ctl_zone {
	char			 zone[SECD_NAMESTRLEN];
	char			 state[16];	/* ok, refreshing, expired... */
	int			 have_serial;
	uint32_t		 serial;
	int64_t			 next_check;	/* time(3), 0 = none */
	char			 primary[64];	/* the one in use */
	struct xfr_msg		 last;		/* last transfer */
};

/* show zone ZONE: one per record, from zoned; content[len] follows. */
struct ctl_rr {
	char			 type[16];
	char			 name[SECD_NAMESTRLEN];
	char			 proxy[16];	/* "off", "proxied", ... */
	uint32_t		 ttl;
	uint32_t		 len;		/* of the content that follows */
};

#define CTL_RCODES		24

/* show stats: per process, summed by the parent */
struct ctl_stats {
	uint64_t		 queries_udp;
	uint64_t		 queries_tcp;
	uint64_t		 rcode[CTL_RCODES];
	uint64_t		 dropped;
	uint64_t		 truncated;
	uint64_t		 tcp_conns;
	uint64_t		 tcp_refused;
	uint64_t		 xfr_ok;
	uint64_t		 xfr_failed;
	uint64_t		 notifies;
};

struct ctl_result {
	int			 code;		/* 0 ok, 1 refused/failed */
	char			 msg[SECD_MSGLEN];
};

#define SECD_VERSION		"0.1"

#endif
