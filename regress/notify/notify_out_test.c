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
 * xfrd/notify_out.c against targets this program plays, UDP sockets on
 * 127.0.0.1: the NOTIFY (opcode, AA, question, the SOA with the served
 * serial, TSIG), what acknowledges it and what does not (another id,
 * another rcode, no signature), the same serial told once, the next try
 * a second after an unanswered one, the last after SOA EXPIRE, a newer
 * serial starting the target again, a reload dropping and adding
 * targets, the zone freed while a target is pending, and the cap on
 * tries in flight.
 *
 * A NOTIFY is sent within nout_serving() and loopback delivers it at
 * once, so a test reads it without waiting; an answer is taken by one
 * turn of the event loop (the first retry is a second away).  Two tests
 * wait for that second, none for more.  The zone is built here, not by
 * xz_new(), and the two things notify_out.c asks of xfrd.c (xfrd_key,
 * xstats) are defined here, so that only notify_out.c of xfrd is under
 * test.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "tsig.h"
#include "xfrd/xfrd.h"
#include "regress/lib/confcap.h"

#define ZONE		"example.com"
#define KEYNAME		"nout-key"
/* 32 octets of 0x5a */
#define SECRET		"WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo="
#define MAXTARGETS	70

/* What notify_out.c takes from xfrd.c. */
struct ctl_stats	 xstats;
static struct secd_conf	*conf;

struct tsig_key *
xfrd_key(const char *name)
{
	return (config_key(conf, name));
}

/* A target: its socket, and the last NOTIFY it read. */
struct target {
	int			 fd;
	uint16_t		 port;
	struct sockaddr_in	 from;
	uint8_t			 msg[DNS_MAXMSG];
	size_t			 len;
};

static struct target	 tg[MAXTARGETS];

static void		 start(int);
static struct secd_conf	*conf_make(int, const int *, int);
static struct secd_conf	*conf_first(int, int);
static struct xzone	*zone_new(void);
static void		 zone_free(struct xzone *);
static void		 reload(struct xzone *, struct secd_conf *);
static int		 notify_read(struct target *);
static uint32_t		 notify_serial(const struct target *);
static void		 answer(struct target *, int, int,
			    struct tsig_ctx *);
static void		 turn(void);
static void		 counts(const struct xzone *, uint32_t, uint64_t,
			    uint64_t, uint64_t);
static void		 finish(struct xzone *);
static void		 lifecycle(void);

#ifdef SECD_SANITIZE
size_t			 __sanitizer_get_current_allocated_bytes(void);
#endif

/* n target sockets, the event loop, a log on stderr. */
static void
start(int n)
{
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	int			 i;

	log_init(1, 0);
	event_init();
	memset(&xstats, 0, sizeof(xstats));
	for (i = 0; i < n; i++) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ATF_REQUIRE((tg[i].fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
		ATF_REQUIRE(bind(tg[i].fd, (struct sockaddr *)&sin,
		    sizeof(sin)) == 0);
		ATF_REQUIRE(getsockname(tg[i].fd, (struct sockaddr *)&sin,
		    &slen) == 0);
		tg[i].port = ntohs(sin.sin_port);
	}
}

/*
 * The zone with a notify line for each target of the n in idx, signed
 * with KEYNAME when key is set.
 */
static struct secd_conf *
conf_make(int key, const int *idx, int n)
{
	struct secd_conf	*c;
	char			*errs, *text, *line;
	int			 i;

	if (asprintf(&text, "tsig key \"%s\" {\n\talgorithm hmac-sha256\n"
	    "\tsecret \"%s\"\n}\nzone \"%s\" {\n\tprimary 127.0.0.1 port 1\n",
	    KEYNAME, SECRET, ZONE) == -1)
		atf_tc_fail("asprintf");
	for (i = 0; i < n; i++) {
		if (asprintf(&line, "%s\tnotify 127.0.0.1 port %u%s\n", text,
		    tg[idx[i]].port, key ? " tsig \"" KEYNAME "\"" : "") == -1)
			atf_tc_fail("asprintf");
		free(text);
		text = line;
	}
	if (asprintf(&line, "%s}\n", text) == -1)
		atf_tc_fail("asprintf");
	free(text);
	write_file("secd.conf", line);
	free(line);
	c = parse_capture("secd.conf", &errs);
	ATF_REQUIRE_MSG(c != NULL, "secd.conf refused: %s", errs);
	free(errs);
	return (c);
}

/* The configuration with targets 0 to n - 1. */
static struct secd_conf *
conf_first(int key, int n)
{
	int	 idx[MAXTARGETS], i;

	for (i = 0; i < n; i++)
		idx[i] = i;
	return (conf_make(key, idx, n));
}

/* The zone as zoned tells xfrd of it: SOA, RETRY and EXPIRE. */
static struct xzone *
zone_new(void)
{
	struct xzone	*z;
	struct wbuf	 wb;
	uint8_t		 name[DNS_MAXNAME], soa[XFR_SOAMAX];
	size_t		 len;

	ATF_REQUIRE((z = calloc(1, sizeof(*z))) != NULL);
	ATF_REQUIRE((z->name = strdup(ZONE)) != NULL);
	ATF_REQUIRE(dns_name_from_text(ZONE, name, &z->apexlen) == 0);
	ATF_REQUIRE((z->apex = malloc(z->apexlen)) != NULL);
	memcpy(z->apex, name, z->apexlen);
	wbuf_init(&wb, soa, sizeof(soa));
	ATF_REQUIRE(dns_name_from_text("ns1." ZONE, name, &len) == 0);
	wbuf_name(&wb, name, len, NULL);
	ATF_REQUIRE(dns_name_from_text("hostmaster." ZONE, name, &len) == 0);
	wbuf_name(&wb, name, len, NULL);
	wbuf_u32(&wb, 1);		/* serial: upstream's */
	wbuf_u32(&wb, 3600);
	wbuf_u32(&wb, 900);
	wbuf_u32(&wb, 86400);
	wbuf_u32(&wb, 300);
	ATF_REQUIRE(!wb.err);
	ATF_REQUIRE((z->soa = malloc(wb.len)) != NULL);
	memcpy(z->soa, soa, wb.len);
	z->soalen = wb.len;
	z->have_serial = 1;
	z->retry = 900;
	z->expire = 86400;
	TAILQ_INIT(&z->nout.pending);
	z->conf = TAILQ_FIRST(&conf->zones);
	nout_reconf(z);
	return (z);
}

static void
zone_free(struct xzone *z)
{
	nout_free(z);
	free(z->name);
	free(z->apex);
	free(z->soa);
	free(z);
	ATF_CHECK_EQ_MSG(xstats.notify_out_pending, 0,
	    "show stats: %llu targets pending with no zone",
	    (unsigned long long)xstats.notify_out_pending);
}

/* A reload to c, as xfrd does it: the old configuration freed after. */
static void
reload(struct xzone *z, struct secd_conf *c)
{
	struct secd_conf	*old = conf;

	conf = c;
	z->conf = TAILQ_FIRST(&c->zones);
	nout_reconf(z);
	config_free(old);
}

/* 1 if a NOTIFY waits at t (read into it), 0 if none. */
static int
notify_read(struct target *t)
{
	socklen_t	 slen = sizeof(t->from);
	ssize_t		 n;

	n = recvfrom(t->fd, t->msg, sizeof(t->msg), MSG_DONTWAIT,
	    (struct sockaddr *)&t->from, &slen);
	if (n == -1 && errno == EAGAIN)
		return (0);
	ATF_REQUIRE_MSG(n > 0, "recvfrom: %s", strerror(errno));
	t->len = n;
	return (1);
}

/* The NOTIFY's serial, once its every field is checked. */
static uint32_t
notify_serial(const struct target *t)
{
	struct dns_header	 h;
	struct dns_rr		 rr;
	struct dns_soa		 soa;
	struct wire		 w;
	uint8_t			 qname[DNS_MAXNAME], apex[DNS_MAXNAME];
	uint8_t			 rd[DNS_MAXRDATA];
	size_t			 qlen, alen, rdlen;
	uint16_t		 qtype, qclass;

	ATF_REQUIRE(dns_name_from_text(ZONE, apex, &alen) == 0);
	wire_init(&w, t->msg, t->len);
	ATF_REQUIRE(wire_header(&w, &h) == 0);
	ATF_CHECK_EQ_MSG(h.flags, DNS_OP_NOTIFY << DNS_F_OPCODE_SHIFT |
	    DNS_F_AA, "flags %#x, expected opcode NOTIFY and AA", h.flags);
	ATF_REQUIRE_EQ(h.qdcount, 1);
	ATF_REQUIRE_EQ(h.ancount, 1);
	ATF_CHECK_EQ(h.nscount, 0);
	ATF_REQUIRE(wire_question(&w, qname, &qlen, &qtype, &qclass) == 0);
	ATF_CHECK(dns_name_equal(qname, qlen, apex, alen));
	ATF_CHECK_EQ(qtype, DNS_T_SOA);
	ATF_CHECK_EQ(qclass, DNS_C_IN);
	ATF_REQUIRE(wire_rr(&w, &rr) == 0);
	ATF_CHECK(dns_name_equal(rr.owner, rr.ownerlen, apex, alen));
	ATF_CHECK_EQ(rr.type, DNS_T_SOA);
	ATF_CHECK_EQ(rr.class, DNS_C_IN);
	ATF_REQUIRE(rdata_expand_msg(&w, &rr, rd, sizeof(rd), &rdlen) == 0);
	ATF_REQUIRE(dns_soa_parse(rd, rdlen, &soa) == 0);
	/* the zone's SOA but for the serial */
	ATF_CHECK(soa.refresh == 3600 && soa.retry == 900 &&
	    soa.expire == 86400 && soa.minimum == 300);
	return (soa.serial);
}

/*
 * The answer to t's NOTIFY: rcode, its id changed when badid, signed
 * with ctx when given (the context of the NOTIFY's verification).
 */
static void
answer(struct target *t, int rcode, int badid, struct tsig_ctx *ctx)
{
	uint8_t		 out[512 + TSIG_MAXRRLEN];
	size_t		 len;

	len = dns_reply_head(t->msg, t->len, rcode == DNS_R_NOERROR ?
	    DNS_F_AA : 0, rcode, out, sizeof(out));
	ATF_REQUIRE(len > 0);
	if (badid)
		out[1] ^= 1;
	if (ctx != NULL)
		ATF_REQUIRE(tsig_sign(ctx, out, &len, sizeof(out), time(NULL),
		    TSIG_FUDGE, 0) == 0);
	ATF_REQUIRE(sendto(t->fd, out, len, 0, (struct sockaddr *)&t->from,
	    sizeof(t->from)) == (ssize_t)len);
}

/* One turn of the event loop: the answer waiting is read. */
static void
turn(void)
{
	ATF_REQUIRE(event_loop(EVLOOP_ONCE) == 0);
}

/* The zone's counts are these; show stats' too (one zone). */
static void
counts(const struct xzone *z, uint32_t pending, uint64_t sent,
    uint64_t acked, uint64_t failed)
{
	struct ctl_notify_out	 co;

	nout_show(z, &co);
	ATF_CHECK_MSG(co.pending == pending && co.sent == sent &&
	    co.acked == acked && co.failed == failed,
	    "pending %u sent %llu acked %llu failed %llu, expected %u %llu "
	    "%llu %llu", co.pending, (unsigned long long)co.sent,
	    (unsigned long long)co.acked, (unsigned long long)co.failed,
	    pending, (unsigned long long)sent, (unsigned long long)acked,
	    (unsigned long long)failed);
	ATF_CHECK(xstats.notify_out_pending == pending &&
	    xstats.notify_out_sent == sent &&
	    xstats.notify_out_acked == acked &&
	    xstats.notify_out_failed == failed);
}

/* The end of a test: the zone, configuration, event base, sockets. */
static void
finish(struct xzone *z)
{
	int	 i;

	zone_free(z);
	config_free(conf);
	conf = NULL;
	event_base_free(NULL);
	for (i = 0; i < MAXTARGETS; i++)
		if (tg[i].fd > 0) {
			close(tg[i].fd);
			tg[i].fd = 0;
		}
}

ATF_TC_WITHOUT_HEAD(served_serial_acked_once);
ATF_TC_BODY(served_serial_acked_once, tc)
{
	struct xzone	*z;

	start(1);
	conf = conf_first(0, 1);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE_MSG(notify_read(&tg[0]), "no NOTIFY sent");
	ATF_CHECK_EQ(notify_serial(&tg[0]), 7);
	counts(z, 1, 1, 0, 0);
	answer(&tg[0], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 0, 1, 1, 0);
	/* zoned tells it again (a reload, an image built again) */
	nout_serving(z, 7);
	ATF_CHECK_MSG(!notify_read(&tg[0]), "serial 7 announced twice");
	counts(z, 0, 1, 1, 0);
	finish(z);
}

ATF_TC_WITHOUT_HEAD(other_id_ignored);
ATF_TC_BODY(other_id_ignored, tc)
{
	struct xzone	*z;

	start(1);
	conf = conf_first(0, 1);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]));
	answer(&tg[0], DNS_R_NOERROR, 1, NULL);
	turn();
	counts(z, 1, 1, 0, 0);
	answer(&tg[0], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 0, 1, 1, 0);
	finish(z);
}

/*
 * A zone's first NOTIFY answered REFUSED, late when late: past the
 * second its next try falls due (a busy machine).  One failed try, none
 * other sent in that turn.
 */
static struct xzone *
refused_once(int late)
{
	struct xzone	*z;

	start(1);
	conf = conf_first(0, 1);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]));
	if (late)
		usleep(1100 * 1000);
	answer(&tg[0], DNS_R_REFUSED, 0, NULL);
	turn();
	counts(z, 1, 1, 0, 1);
	ATF_CHECK_MSG(!notify_read(&tg[0]), "the next try sent at once");
	return (z);
}

ATF_TC_WITHOUT_HEAD(refused_is_failed_try);
ATF_TC_BODY(refused_is_failed_try, tc)
{
	struct ctl_notify_out	 co;
	struct xzone		*z;

	z = refused_once(0);
	nout_show(z, &co);
	ATF_CHECK_MSG(strstr(co.error, ": serial 7: answered REFUSED") !=
	    NULL, "last failure '%s'", co.error);
	ATF_CHECK(co.error_when != 0);
	finish(z);
}

/* A failure answered after the next try fell due: it waits a second. */
ATF_TC_WITHOUT_HEAD(late_failure_waits);
ATF_TC_BODY(late_failure_waits, tc)
{
	finish(refused_once(1));
}

ATF_TC_WITHOUT_HEAD(signed_answer_verified);
ATF_TC_BODY(signed_answer_verified, tc)
{
	struct ctl_notify_out	 co;
	const struct tsig_key	*key;
	struct tsig_ctx		*ctx;
	struct xzone		*z;
	int			 err;

	start(1);
	conf = conf_first(1, 1);
	z = zone_new();
	/* an unsigned answer to a signed NOTIFY: a failed try */
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]));
	answer(&tg[0], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 1, 1, 0, 1);
	nout_show(z, &co);
	ATF_CHECK_MSG(strstr(co.error, "answered NOERROR, TSIG") != NULL,
	    "last failure '%s'", co.error);
	/* a newer serial, answered signed */
	nout_serving(z, 8);
	ATF_REQUIRE(notify_read(&tg[0]));
	ATF_CHECK_EQ(notify_serial(&tg[0]), 8);
	ATF_REQUIRE_MSG(tsig_verify_request(tg[0].msg, tg[0].len, time(NULL),
	    &conf->keys, &key, &ctx, &err) == 0, "NOTIFY not signed right: %s",
	    tsig_strerror(err));
	ATF_CHECK_STREQ(key->name, KEYNAME);
	answer(&tg[0], DNS_R_NOERROR, 0, ctx);
	tsig_free(ctx);
	turn();
	counts(z, 0, 2, 1, 1);
	finish(z);
}

ATF_TC_WITHOUT_HEAD(newer_serial_starts_again);
ATF_TC_BODY(newer_serial_starts_again, tc)
{
	struct target	 old;
	struct xzone	*z;

	start(1);
	conf = conf_first(0, 1);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]));
	old = tg[0];
	nout_serving(z, 8);
	ATF_REQUIRE_MSG(notify_read(&tg[0]), "no NOTIFY for serial 8");
	ATF_CHECK_EQ(notify_serial(&tg[0]), 8);
	counts(z, 1, 2, 0, 0);
	/* serial 7's try is over: its answer goes to a closed socket */
	answer(&old, DNS_R_NOERROR, 0, NULL);
	answer(&tg[0], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 0, 2, 1, 0);
	finish(z);
}

/* No answer in a second: the same serial again, with another id. */
ATF_TC_WITHOUT_HEAD(unanswered_sent_again);
ATF_TC_BODY(unanswered_sent_again, tc)
{
	struct xzone	*z;
	uint16_t	 id;

	start(1);
	conf = conf_first(0, 1);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]));
	id = tg[0].msg[0] << 8 | tg[0].msg[1];
	turn();		/* the first try's second */
	ATF_REQUIRE_MSG(notify_read(&tg[0]), "no second try");
	ATF_CHECK_EQ(notify_serial(&tg[0]), 7);
	ATF_CHECK_MSG((tg[0].msg[0] << 8 | tg[0].msg[1]) != id,
	    "the second try has the first one's id %u", id);
	counts(z, 1, 2, 0, 1);
	answer(&tg[0], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 0, 2, 1, 1);
	finish(z);
}

/* SOA EXPIRE 1 s: no answer to the first try, and it is given up. */
ATF_TC_WITHOUT_HEAD(expire_gives_up);
ATF_TC_BODY(expire_gives_up, tc)
{
	struct xzone	*z;

	start(1);
	conf = conf_first(0, 1);
	z = zone_new();
	z->expire = 1;
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]));
	turn();
	counts(z, 0, 1, 0, 1);
	ATF_CHECK_MSG(!notify_read(&tg[0]), "tried again after EXPIRE");
	finish(z);
}

/*
 * Targets 0 and 1; 0 acknowledges.  A reload to 0 and 2: 1 (pending) is
 * dropped, 2 is told of the serial, 0 is not told again.
 */
ATF_TC_WITHOUT_HEAD(reload_drops_and_adds);
ATF_TC_BODY(reload_drops_and_adds, tc)
{
	static const int	 next[] = { 0, 2 };
	struct xzone		*z;

	start(3);
	conf = conf_first(0, 2);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]) && notify_read(&tg[1]));
	answer(&tg[0], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 1, 2, 1, 0);
	reload(z, conf_make(0, next, 2));
	ATF_CHECK_MSG(!notify_read(&tg[0]), "target 0 told again");
	ATF_REQUIRE_MSG(notify_read(&tg[2]), "target 2 not told");
	ATF_CHECK_EQ(notify_serial(&tg[2]), 7);
	counts(z, 1, 3, 1, 0);
	answer(&tg[1], DNS_R_NOERROR, 0, NULL);	/* too late */
	answer(&tg[2], DNS_R_NOERROR, 0, NULL);
	turn();
	counts(z, 0, 3, 2, 0);
	finish(z);
}

ATF_TC_WITHOUT_HEAD(zone_freed_pending);
ATF_TC_BODY(zone_freed_pending, tc)
{
	struct xzone	*z;

	start(2);
	conf = conf_first(1, 2);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]) && notify_read(&tg[1]));
	counts(z, 2, 2, 0, 0);
	finish(z);
}

/*
 * 70 targets: 64 tries in flight at once, the others wait; each answer
 * frees a slot for the next.
 */
ATF_TC_WITHOUT_HEAD(inflight_capped);
ATF_TC_BODY(inflight_capped, tc)
{
	struct xzone	*z;
	int		 i, got = 0;

	start(MAXTARGETS);
	conf = conf_first(0, MAXTARGETS);
	z = zone_new();
	nout_serving(z, 7);
	for (i = 0; i < MAXTARGETS; i++)
		got += notify_read(&tg[i]);
	ATF_REQUIRE_EQ_MSG(got, 64, "%d NOTIFYs in flight, expected 64", got);
	counts(z, MAXTARGETS, 64, 0, 0);
	for (i = 0; i < 6; i++) {
		answer(&tg[i], DNS_R_NOERROR, 0, NULL);
		turn();
	}
	for (i = 64; i < MAXTARGETS; i++)
		ATF_CHECK_MSG(notify_read(&tg[i]), "target %d not told", i);
	counts(z, MAXTARGETS - 6, MAXTARGETS, 6, 0);
	finish(z);
}

/*
 * Every way a target's state ends: acknowledged, a failed try, dropped
 * by a reload, restarted by a newer serial, freed with the zone while
 * pending; signed, so that TSIG contexts come and go too.
 */
static void
lifecycle(void)
{
	static const int	 next[] = { 1, 2 };
	const struct tsig_key	*key;
	struct tsig_ctx		*ctx;
	struct xzone		*z;
	int			 err;

	start(3);
	conf = conf_first(1, 2);
	z = zone_new();
	nout_serving(z, 7);
	ATF_REQUIRE(notify_read(&tg[0]) && notify_read(&tg[1]));
	ATF_REQUIRE(tsig_verify_request(tg[0].msg, tg[0].len, time(NULL),
	    &conf->keys, &key, &ctx, &err) == 0);
	answer(&tg[0], DNS_R_NOERROR, 0, ctx);
	tsig_free(ctx);
	turn();
	answer(&tg[1], DNS_R_REFUSED, 0, NULL);
	turn();
	counts(z, 1, 2, 1, 1);
	reload(z, conf_make(1, next, 2));
	ATF_REQUIRE(notify_read(&tg[2]));
	nout_serving(z, 8);
	ATF_REQUIRE(notify_read(&tg[1]) && notify_read(&tg[2]));
	counts(z, 2, 5, 1, 1);
	finish(z);
}

/*
 * The lifecycle leaves nothing allocated: after a first run (libcrypto,
 * libevent and stdio keep what they set up on first use), each run
 * ends with as many bytes allocated as it began.  LeakSanitizer cannot
 * tell: lsan_supp.c suppresses every leak with libatf-c in its stack,
 * which is every allocation made in a test.
 */
ATF_TC_WITHOUT_HEAD(nothing_left_allocated);
ATF_TC_BODY(nothing_left_allocated, tc)
{
#ifdef SECD_SANITIZE
	size_t	 before, after;
	int	 i;

	lifecycle();
	for (i = 0; i < 3; i++) {
		before = __sanitizer_get_current_allocated_bytes();
		lifecycle();
		after = __sanitizer_get_current_allocated_bytes();
		ATF_CHECK_MSG(after == before, "run %d: %zu bytes allocated "
		    "before, %zu after", i + 2, before, after);
	}
#else
	lifecycle();
	atf_tc_skip("counts allocations in the SAN=1 build only");
#endif
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, served_serial_acked_once);
	ATF_TP_ADD_TC(tp, other_id_ignored);
	ATF_TP_ADD_TC(tp, refused_is_failed_try);
	ATF_TP_ADD_TC(tp, late_failure_waits);
	ATF_TP_ADD_TC(tp, signed_answer_verified);
	ATF_TP_ADD_TC(tp, newer_serial_starts_again);
	ATF_TP_ADD_TC(tp, unanswered_sent_again);
	ATF_TP_ADD_TC(tp, expire_gives_up);
	ATF_TP_ADD_TC(tp, reload_drops_and_adds);
	ATF_TP_ADD_TC(tp, zone_freed_pending);
	ATF_TP_ADD_TC(tp, inflight_capped);
	ATF_TP_ADD_TC(tp, nothing_left_allocated);
	return (atf_no_error());
}
