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
 * secctl: control secd.
 *
 * Parse the command line (parser.c) without touching anything, connect to
 * secd's control socket, send one IMSG_CTL_REQUEST, collect the replies up
 * to the IMSG_CTL_RESULT that always ends them, and print (output.c).  A
 * reply is checked (type expected for this request, exact length, strings
 * terminated) before it is used; anything else ends secctl with an error:
 * secd is trusted to be secd, not to be bug-free.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsg.h"
#include "output.h"
#include "parser.h"
#include "secd.h"

/*
 * The largest reply: struct ctl_sandbox holds PATH_MAX paths, which on
 * Linux makes it larger than the default MAX_IMSGSIZE.
 */
#define REPLY_MAX	(IMSG_HEADER_SIZE + sizeof(struct ctl_sandbox) > \
			    MAX_IMSGSIZE ? IMSG_HEADER_SIZE + \
			    sizeof(struct ctl_sandbox) : MAX_IMSGSIZE)

/* GNU getopt would take "proxy -n" for an option of secctl. */
#define OPTSTRING	"+js:"

__attribute__((__noreturn__))
static void	 usage(void);
static int	 ctl_connect(const char *);
static int	 ctl_receive(struct imsgbuf *, const struct parse_result *,
		    int);
static int	 ctl_reply(struct imsg *, const struct parse_result *,
		    struct replies *, int);
static int	 ctl_result(struct imsg *, const struct parse_result *,
		    struct replies *, int);
static void	 check_size(struct imsg *, const char *, size_t);
static void	 check_str(const char *, size_t, const char *, const char *);
static void	 check_proc(const struct ctl_proc *);
static void	 check_sandbox(const struct ctl_sandbox *);
static void	 check_zone(const struct ctl_zone *);
static void	 add_rr(struct imsg *, struct replies *);
static int	 audit_leaks(const struct replies *);
static void	 add_pstat(const void *, struct replies *);
static int	 cmp_pstat(const void *, const void *);
static void	 sum_pstats(struct replies *);
static void	 replies_free(struct replies *);
static void	*grow(void *, size_t *, size_t);
static const char *type_name(uint32_t);

static const char	*sockpath = SECD_SOCKET;

static void
usage(void)
{
	parser_usage(stderr);
	exit(1);
}

int
main(int argc, char *argv[])
{
	const struct parse_result	*res;
	struct imsgbuf			 ibuf;
	int				 ch, fd, json = 0;
#ifdef __OpenBSD__
	int				 at;
#endif

	while ((ch = getopt(argc, argv, OPTSTRING)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if ((res = parse(argc, argv)) == NULL)
		exit(1);
	if (res->action == ACT_HELP) {
		parser_usage(stdout);
		exit(0);
	}

#ifdef __OpenBSD__
	/* audit ... at ADDRESS asks another server itself: inet */
	at = res->req.verb == CTL_AUDIT && (res->req.flags & CTL_F_AT);
	if (pledge(at ? "stdio rpath unix inet" : "stdio rpath unix",
	    NULL) == -1)
		err(1, "pledge");
#endif
	fd = ctl_connect(sockpath);
	tzset();
#ifdef __OpenBSD__
	if (pledge(at ? "stdio inet" : "stdio", NULL) == -1)
		err(1, "pledge");
#endif
	if (imsgbuf_init(&ibuf, fd) == -1)
		err(1, "imsgbuf_init");
	if (imsgbuf_set_maxsize(&ibuf, REPLY_MAX) == -1)
		err(1, "imsgbuf_set_maxsize");
	if (imsg_compose(&ibuf, IMSG_CTL_REQUEST, 0, 0, -1, &res->req,
	    sizeof(res->req)) == -1)
		err(1, "imsg_compose");
	if (imsgbuf_flush(&ibuf) == -1)
		err(1, "send to %s", sockpath);
	exit(ctl_receive(&ibuf, res, json));
}

/*
 * Connect to secd, or exit saying why in words an operator can act on:
 * the usual cases are no secd, a wrong -s, and not being root.
 */
static int
ctl_connect(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 sb;
	int			 fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "connect %s: path too long (at most %zu bytes)", path,
		    sizeof(sun.sun_path) - 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	saved = errno;
	if (stat(path, &sb) == 0 && !S_ISSOCK(sb.st_mode))
		errx(1, "connect %s: %s, not a socket (wrong -s?)", path,
		    S_ISDIR(sb.st_mode) ? "a directory" :
		    S_ISREG(sb.st_mode) ? "a regular file" : "a special file");
	switch (saved) {
	case ENOENT:
	case ECONNREFUSED:
		errx(1, "connect %s: %s (is secd running?)", path,
		    strerror(saved));
	case EACCES:
	case EPERM:
		errx(1, "connect %s: %s (the control socket is for root "
		    "only by default)", path, strerror(saved));
	default:
		errx(1, "connect %s: %s", path, strerror(saved));
	}
}

/* Read replies up to the result; the exit status. */
static int
ctl_receive(struct imsgbuf *ibuf, const struct parse_result *res, int json)
{
	struct replies	 r;
	struct imsg	 imsg;
	ssize_t		 n;
	int		 rc;

	memset(&r, 0, sizeof(r));
	for (;;) {
		if ((n = imsgbuf_read(ibuf)) == -1)
			err(1, "read from %s", sockpath);
		if (n == 0)
			errx(1, "%s: secd closed the connection before it "
			    "answered", res->words);
		for (;;) {
			if ((n = imsg_get(ibuf, &imsg)) == -1)
				err(1, "bad message from secd");
			if (n == 0)
				break;
			if (imsg.hdr.type == IMSG_CTL_RESULT) {
				rc = ctl_result(&imsg, res, &r, json);
				imsg_free(&imsg);
				replies_free(&r);
				return rc;
			}
			if (!ctl_reply(&imsg, res, &r, json))
				errx(1, "%s: unexpected message %s (length "
				    "%zu) from secd", res->words,
				    type_name(imsg.hdr.type),
				    (size_t)IMSG_DATA_SIZE(imsg));
			imsg_free(&imsg);
		}
	}
}

/* Keep one data reply; 0 when this request expects no such message. */
static int
ctl_reply(struct imsg *imsg, const struct parse_result *res,
    struct replies *r, int json)
{
	struct ctl_zone		 z;
	struct ctl_zsize	 zs;
	int			 verb = res->req.verb;

	switch (imsg->hdr.type) {
	case IMSG_CTL_STATUS:
		if (verb != CTL_STATUS || r->have_status)
			return 0;
		check_size(imsg, "IMSG_CTL_STATUS", sizeof(r->status));
		memcpy(&r->status, imsg->data, sizeof(r->status));
		check_str(r->status.config, sizeof(r->status.config),
		    "IMSG_CTL_STATUS", "config");
		check_str(r->status.version, sizeof(r->status.version),
		    "IMSG_CTL_STATUS", "version");
		r->have_status = 1;
		return 1;
	case IMSG_CTL_PROC:
		if (verb != CTL_STATUS)
			return 0;
		check_size(imsg, "IMSG_CTL_PROC", sizeof(*r->procs));
		r->procs = grow(r->procs, &r->nprocs, sizeof(*r->procs));
		memcpy(&r->procs[r->nprocs - 1], imsg->data,
		    sizeof(*r->procs));
		check_proc(&r->procs[r->nprocs - 1]);
		return 1;
	case IMSG_CTL_SANDBOX:
		if (verb != CTL_SHOW_SANDBOX)
			return 0;
		check_size(imsg, "IMSG_CTL_SANDBOX", sizeof(*r->sandboxes));
		r->sandboxes = grow(r->sandboxes, &r->nsandboxes,
		    sizeof(*r->sandboxes));
		memcpy(&r->sandboxes[r->nsandboxes - 1], imsg->data,
		    sizeof(*r->sandboxes));
		check_sandbox(&r->sandboxes[r->nsandboxes - 1]);
		return 1;
	case IMSG_CTL_ZONE:
		if (verb != CTL_SHOW_ZONES)
			return 0;
		check_size(imsg, "IMSG_CTL_ZONE", sizeof(z));
		memcpy(&z, imsg->data, sizeof(z));
		check_zone(&z);
		/* printed as it comes: 100,000 zones are not held here */
		zones_add(&r->zs, &z, json);
		return 1;
	case IMSG_CTL_SIGS:
		if (verb != CTL_SHOW_ZONE || r->have_sigs)
			return 0;
		check_size(imsg, "IMSG_CTL_SIGS", sizeof(r->sigs));
		memcpy(&r->sigs, imsg->data, sizeof(r->sigs));
		check_str(r->sigs.sig_state, sizeof(r->sigs.sig_state),
		    "IMSG_CTL_SIGS", "sig_state");
		r->have_sigs = 1;
		return 1;
	case IMSG_CTL_RR:
		if (verb != CTL_SHOW_ZONE && verb != CTL_PROXY &&
		    verb != CTL_AUDIT)
			return 0;
		add_rr(imsg, r);
		return 1;
	case IMSG_CTL_PROXYSTAT:
		if (verb != CTL_SHOW_STATS)
			return 0;
		check_size(imsg, "IMSG_CTL_PROXYSTAT",
		    sizeof(struct ctl_proxystat));
		add_pstat(imsg->data, r);
		return 1;
	case IMSG_CTL_ZSIZE:
		if (verb != CTL_SHOW_SIZES)
			return 0;
		check_size(imsg, "IMSG_CTL_ZSIZE", sizeof(zs));
		memcpy(&zs, imsg->data, sizeof(zs));
		check_str(zs.zone, sizeof(zs.zone), "IMSG_CTL_ZSIZE", "zone");
		/* printed as it comes */
		sizes_add(r, &zs, json);
		return 1;
	case IMSG_CTL_STATS:
		if (verb != CTL_SHOW_STATS || r->have_stats)
			return 0;
		check_size(imsg, "IMSG_CTL_STATS", sizeof(r->stats));
		memcpy(&r->stats, imsg->data, sizeof(r->stats));
		r->have_stats = 1;
		return 1;
	default:
		return 0;
	}
}

/*
 * The last message: on success print what came before it, on refusal
 * only the reason, on stderr.
 */
static int
ctl_result(struct imsg *imsg, const struct parse_result *res,
    struct replies *r, int json)
{
	struct ctl_result	 cr;

	check_size(imsg, "IMSG_CTL_RESULT", sizeof(cr));
	memcpy(&cr, imsg->data, sizeof(cr));
	check_str(cr.msg, sizeof(cr.msg), "IMSG_CTL_RESULT", "msg");
	if (cr.code != 0) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), res->words,
		    cr.msg[0] != '\0' ? cr.msg : "refused");
		return 1;
	}
	if (res->req.verb == CTL_STATUS && !r->have_status)
		errx(1, "%s: secd answered without IMSG_CTL_STATUS",
		    res->words);
	if (res->req.verb == CTL_SHOW_STATS && !r->have_stats)
		errx(1, "%s: secd answered without IMSG_CTL_STATS",
		    res->words);
	sum_pstats(r);
	if (res->req.verb == CTL_AUDIT && (res->req.flags & CTL_F_AT))
		return audit_at(res, r, json);
	output(res, r, cr.msg, json);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return res->req.verb == CTL_AUDIT && audit_leaks(r);
}

static void
check_size(struct imsg *imsg, const char *what, size_t want)
{
	if (IMSG_DATA_SIZE(*imsg) != want || imsg->data == NULL)
		errx(1, "bad %s from secd: length %zu, expected %zu", what,
		    (size_t)IMSG_DATA_SIZE(*imsg), want);
}

static void
check_str(const char *s, size_t len, const char *what, const char *field)
{
	if (memchr(s, '\0', len) == NULL)
		errx(1, "bad %s from secd: %s not terminated", what, field);
}

static void
check_proc(const struct ctl_proc *p)
{
	check_str(p->name, sizeof(p->name), "IMSG_CTL_PROC", "name");
	check_str(p->user, sizeof(p->user), "IMSG_CTL_PROC", "user");
	check_str(p->chroot, sizeof(p->chroot), "IMSG_CTL_PROC", "chroot");
}

static void
check_sandbox(const struct ctl_sandbox *sb)
{
	int	 i;

	check_str(sb->name, sizeof(sb->name), "IMSG_CTL_SANDBOX", "name");
	check_str(sb->promises, sizeof(sb->promises), "IMSG_CTL_SANDBOX",
	    "promises");
	check_str(sb->backend, sizeof(sb->backend), "IMSG_CTL_SANDBOX",
	    "backend");
	if (sb->nunveil < 0 || sb->nunveil > SANDBOX_MAX_UNVEIL)
		errx(1, "bad IMSG_CTL_SANDBOX from secd: %d unveiled paths",
		    sb->nunveil);
	for (i = 0; i < sb->nunveil; i++) {
		check_str(sb->unveil[i].path, sizeof(sb->unveil[i].path),
		    "IMSG_CTL_SANDBOX", "unveil path");
		check_str(sb->unveil[i].perms, sizeof(sb->unveil[i].perms),
		    "IMSG_CTL_SANDBOX", "unveil perms");
	}
}

static void
check_zone(const struct ctl_zone *z)
{
	check_str(z->zone, sizeof(z->zone), "IMSG_CTL_ZONE", "zone");
	check_str(z->state, sizeof(z->state), "IMSG_CTL_ZONE", "state");
	check_str(z->primary, sizeof(z->primary), "IMSG_CTL_ZONE",
	    "primary");
	check_str(z->last.zone, sizeof(z->last.zone), "IMSG_CTL_ZONE",
	    "last.zone");
	check_str(z->last.primary, sizeof(z->last.primary), "IMSG_CTL_ZONE",
	    "last.primary");
	check_str(z->last.msg, sizeof(z->last.msg), "IMSG_CTL_ZONE",
	    "last.msg");
	check_str(z->sigs.sig_state, sizeof(z->sigs.sig_state),
	    "IMSG_CTL_ZONE", "sig_state");
	check_str(z->error, sizeof(z->error), "IMSG_CTL_ZONE", "error");
	check_str(z->catalog, sizeof(z->catalog), "IMSG_CTL_ZONE",
	    "catalog");
	check_str(z->notify_out.error, sizeof(z->notify_out.error),
	    "IMSG_CTL_ZONE", "notify_out.error");
}

/* One serverd's count for a name; sum_pstats() adds up the serverds'. */
static void
add_pstat(const void *data, struct replies *r)
{
	struct ctl_proxystat	 ps;

	memcpy(&ps, data, sizeof(ps));
	check_str(ps.zone, sizeof(ps.zone), "IMSG_CTL_PROXYSTAT", "zone");
	check_str(ps.name, sizeof(ps.name), "IMSG_CTL_PROXYSTAT", "name");
	r->pstats = grow(r->pstats, &r->npstats, sizeof(*r->pstats));
	r->pstats[r->npstats - 1] = ps;
}

static int
cmp_pstat(const void *a, const void *b)
{
	const struct ctl_proxystat	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->zone, y->zone)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

/* Sorted by zone and name, one entry each, the serverds' counts summed. */
static void
sum_pstats(struct replies *r)
{
	size_t	 i, k = 0;

	if (r->npstats == 0)
		return;
	qsort(r->pstats, r->npstats, sizeof(*r->pstats), cmp_pstat);
	for (i = 1; i < r->npstats; i++) {
		if (cmp_pstat(&r->pstats[k], &r->pstats[i]) == 0)
			r->pstats[k].answers += r->pstats[i].answers;
		else
			r->pstats[++k] = r->pstats[i];
	}
	r->npstats = k + 1;
}

/* secctl audit exits 1 when a row is a leak or stale. */
static int
audit_leaks(const struct replies *r)
{
	size_t	 i;

	for (i = 0; i < r->nrrs; i++)
		if (strcmp(r->rrs[i].proxy, "leak") == 0 ||
		    strcmp(r->rrs[i].proxy, "stale") == 0)
			return 1;
	return 0;
}

/* IMSG_CTL_RR: struct ctl_rr, then len bytes of content (no NUL). */
static void
add_rr(struct imsg *imsg, struct replies *r)
{
	struct ctl_rr	 rr;
	struct rr_row	*row;
	size_t		 size = IMSG_DATA_SIZE(*imsg);
	const char	*content;

	if (size < sizeof(rr) || imsg->data == NULL)
		errx(1, "bad IMSG_CTL_RR from secd: length %zu, expected at "
		    "least %zu", size, sizeof(rr));
	memcpy(&rr, imsg->data, sizeof(rr));
	if (rr.len != size - sizeof(rr))
		errx(1, "bad IMSG_CTL_RR from secd: content of %u bytes in "
		    "%zu", rr.len, size - sizeof(rr));
	check_str(rr.type, sizeof(rr.type), "IMSG_CTL_RR", "type");
	check_str(rr.name, sizeof(rr.name), "IMSG_CTL_RR", "name");
	check_str(rr.proxy, sizeof(rr.proxy), "IMSG_CTL_RR", "proxy");
	content = (const char *)imsg->data + sizeof(rr);
	if (memchr(content, '\0', rr.len) != NULL)
		errx(1, "bad IMSG_CTL_RR from secd: NUL in the content");

	r->rrs = grow(r->rrs, &r->nrrs, sizeof(*r->rrs));
	row = &r->rrs[r->nrrs - 1];
	memcpy(row->type, rr.type, sizeof(row->type));
	memcpy(row->proxy, rr.proxy, sizeof(row->proxy));
	row->ttl = rr.ttl;
	if ((row->name = strdup(rr.name)) == NULL ||
	    (row->content = strndup(content, rr.len)) == NULL)
		err(1, NULL);
}

static void
replies_free(struct replies *r)
{
	size_t	 i;

	for (i = 0; i < r->nrrs; i++) {
		free(r->rrs[i].name);
		free(r->rrs[i].content);
	}
	free(r->rrs);
	free(r->zs.head);
	if (r->zs.notes != NULL)
		fclose(r->zs.notes);
	free(r->zs.notesbuf);
	free(r->sandboxes);
	free(r->procs);
	free(r->pstats);
	memset(r, 0, sizeof(*r));
}

/* Room for one more element at the end of array; *n counts it. */
static void *
grow(void *array, size_t *n, size_t size)
{
	void	*p;

	if ((p = reallocarray(array, *n + 1, size)) == NULL)
		err(1, NULL);
	(*n)++;
	return p;
}

static const char *
type_name(uint32_t type)
{
	static char	 buf[32];

	switch (type) {
	case IMSG_CTL_REQUEST:
		return "IMSG_CTL_REQUEST";
	case IMSG_CTL_PROC:
		return "IMSG_CTL_PROC";
	case IMSG_CTL_STATUS:
		return "IMSG_CTL_STATUS";
	case IMSG_CTL_SANDBOX:
		return "IMSG_CTL_SANDBOX";
	case IMSG_CTL_ZONE:
		return "IMSG_CTL_ZONE";
	case IMSG_CTL_RR:
		return "IMSG_CTL_RR";
	case IMSG_CTL_SIGS:
		return "IMSG_CTL_SIGS";
	case IMSG_CTL_STATS:
		return "IMSG_CTL_STATS";
	case IMSG_CTL_ZSIZE:
		return "IMSG_CTL_ZSIZE";
	default:
		snprintf(buf, sizeof(buf), "type %u", type);
		return buf;
	}
}
