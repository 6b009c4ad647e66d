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

#include "nametab.h"

#define SECD_CONF		"/etc/secd.conf"
#define SECD_DBDIR		"/var/db/secd"
#define SECD_SOCKET		"/var/run/secd.sock"
#define SECD_USER		"_secd"
#define SECD_EMPTYDIR		"/var/empty"

#define SECD_NAMESTRLEN		1025	/* presentation name, \DDD escapes */
#define SECD_CONFNAMELEN	254	/* a zone or key name of secd.conf:
					   253 characters, no escapes
					   (dname_normalize) */
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
	PROC_METRICSD,
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
	char			 name[SECD_CONFNAMELEN];
	enum tsig_alg		 alg;
	size_t			 secretlen;
	uint8_t			 secret[SECD_TSIG_SECRET_MAX];
};

struct primary_conf {
	TAILQ_ENTRY(primary_conf) entry;
	struct sockaddr_storage	 ss;		/* address and port */
	char			 tsig[SECD_CONFNAMELEN];	/* "" = none */
};

struct notify_acl {
	TAILQ_ENTRY(notify_acl)	 entry;
	struct sockaddr_storage	 ss;		/* port ignored */
	char			 tsig[SECD_CONFNAMELEN];	/* "" = none */
};

/* An address and a prefix length (a network), the port ignored. */
struct net_prefix {
	struct sockaddr_storage	 ss;		/* address, port ignored */
	int			 plen;		/* prefix length */
};

/*
 * provide transfer to ADDRESS[/PREFIX] [tsig KEY]: a client in net may
 * transfer the zone out (AXFR, IXFR), signed with the key when one is
 * named.
 */
struct xfrout_acl {
	TAILQ_ENTRY(xfrout_acl)	 entry;
	struct net_prefix	 net;
	char			 tsig[SECD_CONFNAMELEN];	/* "" = none */
};

/*
 * The serial secd serves (secd.conf(5) "serial policy"): on each change
 * of what a zone serves, the upstream serial when it is ahead of the one
 * served last, else that one plus one (increment), or the time when it
 * is ahead (unixtime); with modulo R/M, the next one congruent to R
 * modulo M (Knot's serial-modulo: several signers apart).
 */
#define SECD_SERIAL_MODMAX	1000
enum serial_policy {
	SERIAL_INCREMENT,
	SERIAL_UNIXTIME,
};

struct proxy_conf {
	uint32_t		 ttl;
	int			 n4;
	int			 n6;
	struct in_addr		 v4[SECD_PROXY_MAX];
	struct in6_addr		 v6[SECD_PROXY_MAX];
};

/*
 * transfer limits (secd.conf(5) "transfer ..."): in a zone, 0 means "the
 * global value"; globally, max_records and max_bytes 0 mean no limit.
 */
struct xfr_limits {
	uint32_t		 timeout;	/* s, one whole transfer */
	uint64_t		 max_records;
	uint64_t		 max_bytes;	/* of DNS messages received */
};

/*
 * The settings a zone takes from its block or its template: primaries,
 * allow notify, transfer limits, proxy set.  Zones with the same settings
 * point at one zone_opts (a template's, that of a zone list's template, or
 * that of the zone block before with the same ones), so 100,000 zones of
 * one template hold one copy.  The configuration owns every zone_opts
 * (secd_conf opts[], freed by config_free); a zone only points at one.
 */
#define SECD_TMPLNAMELEN	65	/* a template's name and its NUL */

struct zone_opts {
	uint32_t		 id;		/* index in secd_conf opts[] */
	uint32_t		 catalog;	/* a catalog zone (RFC 9432):
						   1 + the id of its members'
						   settings; 0: not one */
	int			 has_proxy;	/* own proxy {} block */
	struct proxy_conf	 proxy;
	struct xfr_limits	 limits;
	TAILQ_HEAD(primary_confs, primary_conf) primaries;
	TAILQ_HEAD(notify_acls, notify_acl) notifies;
	/* the zone out: who may transfer it, whom to tell of a new serial */
	TAILQ_HEAD(xfrout_acls, xfrout_acl) xfrouts;
	struct primary_confs	 notifyouts;	/* notify ADDRESS port ... */
	int			 serial_policy;	/* enum serial_policy */
	uint32_t		 serial_mod_r;	/* ... modulo R/M: serials */
	uint32_t		 serial_mod_m;	/* ... R mod M; M 0: none */
	/* a catalog of the zones transferred out (catalog produce) */
	int			 produce;
	char			 tmpl[SECD_TMPLNAMELEN];	/* its template */
};

/*
 * A zone: its name (lower case, no dot; at most SECD_CONFNAMELEN - 1
 * characters) allocated with it, and its settings, shared.  A member of
 * a catalog zone (shared/catalog.c) points at the catalog's zone_conf,
 * in the same configuration.
 */
struct zone_conf {
	TAILQ_ENTRY(zone_conf)	 entry;
	const struct zone_opts	*opts;		/* its configuration's */
	const struct zone_conf	*owner;		/* its catalog, or NULL */
	uint32_t		 idhash;	/* a member's: FNV-1a of its
						   ID (parent only) */
	char			 name[];
};

/*
 * A template's name and the settings it gave, kept for the group
 * property of catalog members (parent only: not sent to the children).
 */
#define SECD_TMPLNAMELEN	65		/* 1 to 64 characters, NUL */

struct conf_tmpl {
	uint32_t		 opts;		/* index in opts[] */
	char			 name[SECD_TMPLNAMELEN];
};

/*
 * Response rate limiting (secd.conf(5) "rate-limit"), of UDP answers only:
 * responses per second for each source prefix, response class and name;
 * 0 turns it off.  exempt[] are prefixes never limited.
 */
#define SECD_RRL_EXEMPT_MAX	16

struct rrl_conf {
	uint32_t		 responses;	/* per second, 0: off */
	uint32_t		 slip;		/* every Nth limited: TC */
	uint32_t		 v4_prefix;
	uint32_t		 v6_prefix;
	uint32_t		 size;		/* table entries */
	int			 nexempt;
	struct net_prefix	 exempt[SECD_RRL_EXEMPT_MAX];
};

/*
 * DNS Cookies (RFC 7873, RFC 9018; secd.conf(5) "cookie"): the server
 * secret, and the one before it, still accepted.  When secd.conf sets
 * none the parent draws one at start and keeps it across reloads
 * (configured 0).  Only serverd receives the secrets.
 */
#define SECD_COOKIE_SECRETLEN	16

struct cookie_conf {
	int			 configured;	/* secret from secd.conf */
	int			 has_previous;
	uint8_t			 secret[SECD_COOKIE_SECRETLEN];
	uint8_t			 previous[SECD_COOKIE_SECRETLEN];
};

struct listen_conf {
	TAILQ_ENTRY(listen_conf) entry;
	struct sockaddr_storage	 ss;
};

/*
 * DNS over TCP (secd.conf(5) "tcp ..."; RFC 7766 section 6.2): a
 * connection is closed io_timeout s after the first byte of a message
 * that has not all arrived, idle_timeout s after its last complete query;
 * at most max_per_source connections from one address, at most max_conns
 * per serverd (the longest idle one is closed for a new one).
 */
struct tcp_conf {
	uint32_t		 idle_timeout;
	uint32_t		 io_timeout;
	uint32_t		 max_conns;
	uint32_t		 max_per_source;
};

struct secd_conf {
	char			 file[PATH_MAX];	/* where it was read */
	uint32_t		 gen;	/* the parent's count of those sent */
	char			 user[SECD_USERLEN];
	char			 database[PATH_MAX];
	char			 control[PATH_MAX];
	int			 servers;		/* 0: one per CPU */
	int			 has_resolver;
	struct sockaddr_storage	 resolver;
	struct proxy_conf	 proxy;			/* global proxy {} */
	struct xfr_limits	 limits;		/* global transfer ... */
	int			 max_transfers;	/* at once, all zones */
	/* provide transfer max-concurrent, max-per-source: per serverd */
	int			 xfrout_max;
	int			 xfrout_per_source;
	struct tcp_conf		 tcp;
	int			 has_rrl;	/* rate-limit {} given */
	struct rrl_conf		 rrl;
	int			 has_cookie;	/* cookie {} given */
	struct cookie_conf	 cookie;
	TAILQ_HEAD(listen_confs, listen_conf) listens;
	struct listen_confs	 metrics;	/* metrics listen on */
	TAILQ_HEAD(tsig_keys, tsig_key) keys;
	TAILQ_HEAD(zone_confs, zone_conf) zones;
	/* the settings of the zones, each once (config_opts_add) */
	struct zone_opts	**opts;
	size_t			 nopts;
	size_t			 optscap;
	/* the zones by name (config_index), once the configuration is whole */
	struct nametab		 zindex;
	/* the templates by name, parent only */
	struct conf_tmpl	*tmpls;
	size_t			 ntmpls;
};

/* ---- imsg types ---- */

/*
 * Who sends what.  P = parent, X = xfrd, Z = zoned, S = serverd, C = secctl
 * (over the control socket, to the parent).
 */
enum imsg_type {
	IMSG_NONE,

	/* P -> child: start-up */
	IMSG_SOCKET_CONN,	/* fd: channel to a peer child; data: struct
				   sock_conn; PROC_PARENT: metricsd's control
				   channel (secd/control.c) */
	IMSG_LISTEN_UDP,	/* fd: bound UDP socket; data: struct listen_conf */
	IMSG_LISTEN_TCP,	/* fd: listening TCP socket; same (serverd:
				   DNS, metricsd: HTTP) */
	IMSG_RECONF_CONF,	/* struct secd_conf (lists and opts ignored;
				   cookie secrets to serverd only) */
	IMSG_RECONF_KEY,	/* struct tsig_key */
	IMSG_RECONF_ZONE,	/* struct reconf_zone, then the zone's name
				   and its NUL (variable length) */
	IMSG_RECONF_PRIMARY,	/* struct primary_conf, of the last opts */
	IMSG_RECONF_NOTIFY,	/* struct notify_acl, of the last opts */
	IMSG_RECONF_END,	/* empty: configuration complete */
	IMSG_CTL_VERBOSE,	/* int */

	/* child -> P */
	IMSG_READY,		/* struct ctl_proc: set up, sandboxed, serving */
	IMSG_SANDBOX_INFO,	/* struct ctl_sandbox: what was applied */

	/* X -> Z: a transfer; hdr.peerid is the transfer's id */
	IMSG_XFR_BEGIN,		/* struct xfr_msg */
	IMSG_XFR_DATA,		/* records, storerec.h, <= XFR_CHUNK */
	IMSG_XFR_END,		/* struct xfr_msg: complete, apply it */
	IMSG_XFR_ABORT,		/* struct xfr_msg: discard it, msg = why */
	IMSG_ZONE_CHECKED,	/* struct zone_check_msg: persist the time */
	IMSG_APEX_RESOLVED,	/* struct apex_msg: the resolver's answer */
	/* Z -> X */
	IMSG_XFR_RESULT,	/* struct xfr_msg: stored and served, or not */
	IMSG_ZONE_LOADED,	/* struct xfr_msg: a zone zoned has stored */
	IMSG_APEX_RESOLVE,	/* struct apex_msg: keep name resolved */

	/* X -> S */
	IMSG_ZONE_EXPIRE,	/* struct zone_expire_msg */
	IMSG_NOTIFY_ANSWER,	/* struct notify_msg + the answer (or none) */
	/* S -> X */
	IMSG_NOTIFY,		/* struct notify_msg + the NOTIFY received */

	/* Z -> S */
	IMSG_ZONE_IMAGE,	/* fd: the image (ovllen 0: NAME.img if
				   at most IMAGE_SMALL bytes, else a
				   sealed copy of it) or NAME.ovl (an
				   overlay of ovllen bytes at ovloff,
				   image.h); struct zone_image_msg */
	IMSG_ZONE_DROP,		/* struct zone_image_msg: no longer served */
	/* S -> Z */
	IMSG_ZONE_REFUSED,	/* struct zone_image_msg: image_check said no */
	IMSG_ZONE_SERVING,	/* struct zone_image_msg: that image is served */

	/* C -> P and replies P -> C */
	IMSG_CTL_REQUEST,	/* struct ctl_request */
	IMSG_CTL_PROC,		/* struct ctl_proc */
	IMSG_CTL_STATUS,	/* struct ctl_status */
	IMSG_CTL_SANDBOX,	/* struct ctl_sandbox */
	IMSG_CTL_RESULT,	/* struct ctl_result: last reply of a request */
	IMSG_CTL_ZONE,		/* X -> P -> C: struct ctl_zone */
	IMSG_CTL_RR,		/* Z -> P -> C: struct ctl_rr + content */
	IMSG_CTL_STATS,		/* S, X -> P, summed -> C: struct ctl_stats */
	IMSG_CTL_PROXYSTAT,	/* S -> P -> C: struct ctl_proxystat */
	IMSG_CTL_SIGS,		/* Z -> P -> C: struct ctl_sigs (show zone) */
	/*
	 * The parent forwards an IMSG_CTL_REQUEST to the child that knows
	 * the answer with hdr.peerid = the control connection's id; the
	 * child answers with that peerid, IMSG_CTL_RESULT last.
	 */

	/*
	 * P -> child: struct zone_opts (lists ignored), the settings the
	 * IMSG_RECONF_PRIMARY and _NOTIFY after it belong to.  Last, so
	 * that the values of the others (the type octets of the fuzz
	 * corpora) stay.
	 */
	IMSG_RECONF_OPTS,

	/*
	 * Z -> P: the zone name and its NUL: a catalog zone's member file
	 * (shared/catalog.c) is new; the parent reads it and sends the
	 * configuration with its members to every child.
	 */
	IMSG_CATALOG,

	/*
	 * Z -> S, then S -> P, empty: zoned has handed every stored zone
	 * of the start to serverd; a serverd passes it on once it serves
	 * the images before it.  The parent, told by every serverd, is
	 * ready (sd_notify(3) READY=1).
	 */
	IMSG_ZONES_LOADED,

	/*
	 * P -> child, after IMSG_RECONF_OPTS: struct xfrout_acl (provide
	 * transfer to), struct primary_conf (notify ADDRESS port ...).
	 */
	IMSG_RECONF_XFROUT,
	IMSG_RECONF_NOTIFYOUT,

	/*
	 * Z -> X: struct zone_served_msg: every serverd serves the zone at
	 * that served serial (NOTIFY out, show zones).
	 */
	IMSG_ZONE_SERVED,

	/* Z -> P -> C: struct ctl_zsize, one a zone (show sizes) */
	IMSG_CTL_ZSIZE,

	IMSG_MAX
};

/*
 * IMSG_RECONF_ZONE: a zone of the configuration; its name follows, 1 to
 * SECD_CONFNAMELEN - 1 characters and its NUL; then, for a member of a
 * catalog zone, the catalog's name and its NUL, a zone sent before it.
 * The message's last octet is a NUL.
 */
struct reconf_zone {
	uint32_t		 opts;	/* its IMSG_RECONF_OPTS: 0 the
					   first sent, 1 the next... */
};

/* IMSG_SOCKET_CONN: the fd is a channel to this peer. */
struct sock_conn {
	int			 proc;		/* enum secd_proc */
	int			 instance;	/* serverd index */
};

/*
 * The most bytes of an IMSG_XFR_DATA: whole records in the store encoding
 * (storerec.h), as many as fit.
 */
#define XFR_CHUNK		(16 * 1024 - 64)

enum xfr_kind {
	XFR_AXFR,
	XFR_IXFR,
	XFR_STORED,		/* loaded from zoned's directory */
};

/*
 * A transfer, its outcome, or (IMSG_ZONE_LOADED, IMSG_XFR_RESULT) the zone
 * zoned serves: then serial, the SOA timers and soa[] (the apex SOA's
 * rdata, for the IXFR request) are the served zone's, and checked is the
 * time of the last successful SOA check or transfer (zoned keeps it in
 * NAME.check); dnssec and sig_expire are its image's (shared/image.h).  An IXFR's records are the deltas of RFC 1995 section 4
 * without the first and last SOA: SOA(old), deleted records, SOA(new),
 * added records, repeated.
 */
#define XFR_SOAMAX		(2 * 255 + 20)

struct xfr_msg {
	char			 zone[SECD_NAMESTRLEN];
	uint32_t		 serial;
	uint32_t		 served;	/* the SOA secd serves (the
						   image's; zoned's messages) */
	int			 kind;		/* enum xfr_kind */
	int			 ok;
	uint64_t		 records;
	uint64_t		 bytes;
	int64_t			 when;		/* time(3) it began */
	uint32_t		 msecs;		/* how long it took */
	char			 primary[64];	/* sa_str() of the source */
	char			 msg[SECD_MSGLEN];
	uint32_t		 refresh, retry, expire;
	int64_t			 checked;	/* time(3), 0: never */
	int			 dnssec;	/* it carries DNSSEC records */
	uint32_t		 sig_expire;	/* its earliest RRSIG expiration
						   (RFC 4034 3.1.5) */
	uint32_t		 sig_missing;	/* RRsets without an RRSIG */
	uint32_t		 chain_breaks;	/* of its NSEC(3) chain */
	uint32_t		 gen;		/* IMSG_ZONE_LOADED: the
						   configuration zoned loaded
						   it under (secd_conf.gen) */
	uint16_t		 soalen;
	uint8_t			 soa[XFR_SOAMAX];
};

/*
 * IMSG_ZONE_SERVED: every serverd serves the image built from upstream
 * serial `serial', whose SOA says `served' (secd.conf(5) serial policy).
 */
struct zone_served_msg {
	char			 zone[SECD_NAMESTRLEN];
	uint32_t		 serial;
	uint32_t		 served;
};

/* IMSG_ZONE_CHECKED: the zone at serial was found current at checked. */
struct zone_check_msg {
	char			 zone[SECD_NAMESTRLEN];
	uint32_t		 serial;
	int64_t			 checked;
};

/*
 * IMSG_APEX_RESOLVE (Z -> X): keep name, where the chain of a flattened
 * apex CNAME leaves its zone, resolved through the resolver; name "" to
 * stop.  IMSG_APEX_RESOLVED (X -> Z): every outcome: ok with the addresses
 * (at most SECD_PROXY_MAX of each family; ttl the smallest of the chain),
 * or not with msg, the reason.
 */
struct apex_msg {
	char			 zone[SECD_NAMESTRLEN];
	char			 name[SECD_NAMESTRLEN];
	int			 ok;
	struct proxy_conf	 addrs;
	char			 msg[SECD_MSGLEN];
};

/* IMSG_ZONE_EXPIRE: SOA EXPIRE passed without a check (or one did). */
struct zone_expire_msg {
	char			 zone[SECD_NAMESTRLEN];
	int			 expired;
};

/*
 * IMSG_NOTIFY, IMSG_NOTIFY_ANSWER: a NOTIFY a serverd received and xfrd's
 * answer to it, the DNS message following the struct (len bytes, at most
 * NOTIFY_MAXLEN).  xfrd echoes the struct; serverd uses it to send the
 * answer where the NOTIFY came from: on UDP socket sock to from, with
 * the control data cmsg (the local address), or on TCP connection conn
 * if it is still open.  xfrd answers every IMSG_NOTIFY, with len 0 when
 * the NOTIFY is dropped unanswered: serverd counts the NOTIFYs in flight
 * and hands on at most NOTIFY_INFLIGHT at once.
 */
#define NOTIFY_MAXLEN		4096
#define NOTIFY_CMSGLEN		64
#define NOTIFY_INFLIGHT		32

struct notify_msg {
	int			 tcp;
	int			 sock;		/* UDP: the listening socket */
	uint32_t		 conn;		/* TCP: serverd's connection id */
	struct sockaddr_storage	 from;
	uint32_t		 cmsglen;
	uint8_t			 cmsg[NOTIFY_CMSGLEN];
	uint32_t		 len;
};

struct zone_image_msg {
	char			 zone[SECD_NAMESTRLEN];
	uint32_t		 serial;
	uint32_t		 gen;		/* zoned's count of images sent */
	uint64_t		 ovloff;	/* the overlay's offset in fd */
	uint32_t		 ovllen;	/* its length; 0: an image */
	uint32_t		 confgen;	/* zoned's configuration's gen */
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
	CTL_AUDIT,
	CTL_SHOW_SIZES,
	CTL_VERB_MAX
};

#define CTL_F_ON		0x01	/* proxy ... on */
#define CTL_F_PROXIED		0x02	/* apex ... cname TARGET proxied */
#define CTL_F_DRYRUN		0x04	/* proxy -n */
#define CTL_F_AT		0x08	/* audit ZONE at ADDRESS: the plan */

struct ctl_request {
	int			 verb;		/* enum ctl_verb */
	int			 flags;		/* CTL_F_* */
	char			 zone[SECD_NAMESTRLEN];
	char			 name[SECD_NAMESTRLEN];
	char			 arg[SECD_NAMESTRLEN];
	uint32_t		 uid;		/* the peer's; set by the parent */
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

/*
 * A signed zone's signatures' health (shared/denial.h): in show zones,
 * from xfrd, and in show zone ZONE (IMSG_CTL_SIGS), from zoned, after the
 * records.
 */
struct ctl_sigs {
	uint32_t		 sig_expire;	/* earliest RRSIG expiration */
	uint32_t		 sig_missing;	/* RRsets without an RRSIG */
	uint32_t		 chain_breaks;	/* of its NSEC(3) chain */
	char			 sig_state[16];	/* ok, expiring, expired */
};

/*
 * A zone's NOTIFY out (secd.conf(5) notify) in show zones: its targets,
 * those that have not acknowledged the last served serial yet, the
 * NOTIFY messages sent, the tries acknowledged and those that failed
 * (answered with an error, unanswered, or not sent), and the last
 * failure.
 */
struct ctl_notify_out {
	uint32_t		 targets;
	uint32_t		 pending;
	uint64_t		 sent;
	uint64_t		 acked;
	uint64_t		 failed;
	int64_t			 error_when;	/* 0: no failure yet */
	char			 error[SECD_MSGLEN];
};

/* show zones: one per zone, from xfrd */
struct ctl_zone {
	char			 zone[SECD_NAMESTRLEN];
	char			 state[16];	/* ok, refreshing, expired... */
	int			 have_serial;
	uint32_t		 serial;	/* upstream */
	uint32_t		 served;	/* in the SOA secd serves */
	int64_t			 next_check;	/* time(3), 0 = none */
	int64_t			 checked;	/* last good check, 0 = none */
	int64_t			 expires;	/* time(3) it expires, 0 = - */
	char			 primary[64];	/* the one in use */
	struct xfr_msg		 last;		/* last transfer */
	int64_t			 error_when;	/* last error, 0 = none */
	char			 error[SECD_MSGLEN];
	int			 dnssec;	/* signed: sigs is set */
	struct ctl_sigs		 sigs;
	char			 catalog[SECD_CONFNAMELEN]; /* "": none */
	struct ctl_notify_out	 notify_out;
};

/*
 * show sizes: one per zone served, from zoned: the records of its stored
 * zone, the bytes of its image and overlays on disk, the memory of its
 * kept zone (0: not kept).
 */
struct ctl_zsize {
	char			 zone[SECD_NAMESTRLEN];
	uint64_t		 records;
	uint64_t		 image_bytes;
	uint64_t		 kept_bytes;
};

/* show zone ZONE: one per record, from zoned; content[len] follows. */
struct ctl_rr {
	char			 type[16];
	char			 name[SECD_NAMESTRLEN];
	char			 proxy[16];	/* "off", "proxied", ... */
	uint32_t		 ttl;
	uint32_t		 len;		/* of the content that follows */
};

/*
 * show stats, after the counters: from each serverd, one per name
 * answered with proxy addresses (secctl sums those of the serverds).
 */
struct ctl_proxystat {
	char			 zone[SECD_NAMESTRLEN];
	char			 name[SECD_NAMESTRLEN];
	uint64_t		 answers;	/* A, AAAA and ANY queries */
};

#define CTL_RCODES		24
/* queries by QTYPE: 0 to CTL_QTYPES - 2 each, the last any type above */
#define CTL_QTYPES		260

/* show stats: per process, summed by the parent */
struct ctl_stats {
	uint64_t		 queries_udp;
	uint64_t		 queries_tcp;
	uint64_t		 rcode[CTL_RCODES];
	uint64_t		 dropped;
	uint64_t		 truncated;
	uint64_t		 tcp_conns;
	uint64_t		 tcp_refused;
	uint64_t		 tcp_closed_idle;	/* idle timeout */
	uint64_t		 tcp_closed_io;		/* message too slow */
	uint64_t		 tcp_closed_source;	/* over per-source cap */
	uint64_t		 tcp_closed_full;	/* evicted at the cap */
	uint64_t		 xfr_ok;
	uint64_t		 xfr_failed;
	uint64_t		 notifies;
	uint64_t		 notifies_refused;
	uint64_t		 notifies_dropped;	/* queue to xfrd full */
	uint64_t		 ixfr_ok;
	uint64_t		 soa_checks;
	uint64_t		 rrl_limited;	/* UDP answers over the rate */
	uint64_t		 rrl_slipped;	/* ... sent truncated instead */
	uint64_t		 rrl_dropped;	/* ... not sent */
	uint64_t		 cookie_valid;	/* queries with our cookie */
	uint64_t		 cookie_badcookie;	/* BADCOOKIE sent */
	uint64_t		 xfrout_done;	/* transfers out sent whole */
	uint64_t		 xfrout_uptodate;	/* ... the SOA alone */
	uint64_t		 xfrout_refused;	/* not allowed, bad TSIG */
	uint64_t		 xfrout_failed;	/* cut, or not possible */
	uint64_t		 notify_out_sent;	/* NOTIFY messages */
	uint64_t		 notify_out_acked;	/* ... acknowledged */
	uint64_t		 notify_out_failed;	/* tries that failed */
	uint64_t		 notify_out_pending;	/* targets, now */
	uint64_t		 qtype[CTL_QTYPES];	/* answered queries */
	uint64_t		 ixfr_failed;	/* of xfr_failed */
	uint64_t		 xfr_records;	/* of the transfers xfr_ok */
	uint64_t		 xfr_bytes;
	uint64_t		 xfr_msecs;
};

struct ctl_result {
	int			 code;		/* 0 ok, 1 refused/failed */
	char			 msg[SECD_MSGLEN];
};

#define SECD_VERSION		"0.1"

#endif
