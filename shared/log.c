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
 * Logging: one small module shared by every process.  In the foreground
 * (log_init(1, ...)) lines go to stderr prefixed with the process name;
 * otherwise to syslog(3), opened with LOG_NDELAY before any chroot so the
 * socket stays usable inside it.
 *
 * A warning or error (LOG_WARNING, LOG_ERR) logged again within
 * LOG_REPEAT_INTERVAL seconds of the same line is counted, not logged; the
 * next time it is logged it says how many were not, and a line pushed
 * out of the table of recent ones with some not logged is logged with
 * their count then.  A broken primary or a hostile peer cannot flood the
 * log, and no line is lost without a trace.  Fatal and critical lines and
 * events (info) are always logged.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <paths.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "fnv.h"
#include "log.h"

#define LOG_REPEAT_INTERVAL	10	/* s */
#define LOG_REPEAT_SLOTS	32	/* recent lines remembered */
#define LOG_REPEAT_KEY		160	/* octets of a line compared */

struct repeat {
	uint64_t	 hash;		/* of the whole line */
	time_t		 last;		/* logged; 0: a free slot */
	unsigned int	 count;		/* not logged since */
	char		 line[LOG_REPEAT_KEY];
};

static struct repeat	 repeats[LOG_REPEAT_SLOTS];
static int		 debug;
static int		 verbose;
static const char	*procname = "secd";
static int		 logfacility;
static int		 logsock = -1;	/* log_sigsafe() to syslogd */

static void	log_sigsafe_cat(char *, size_t, size_t *, const char *);
static int	log_repeat(int, char *, size_t);
static void	log_line(int, const char *);

void
log_init(int n_debug, int facility)
{
	struct sockaddr_un	 sun;

	debug = n_debug;
	verbose = n_debug;
	logfacility = facility;
	if (logsock != -1) {
		close(logsock);
		logsock = -1;
	}
	if (!debug) {
		openlog(procname, LOG_PID | LOG_NDELAY, facility);
		/*
		 * A socket of our own for log_sigsafe(), connected now so
		 * that it works after chroot; no syslog, no such line.
		 */
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		strlcpy(sun.sun_path, _PATH_LOG, sizeof(sun.sun_path));
		if ((logsock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
		    0)) != -1 && connect(logsock, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			close(logsock);
			logsock = -1;
		}
	}
	tzset();
}

static void
log_sigsafe_cat(char *buf, size_t size, size_t *n, const char *s)
{
	while (*s != '\0' && *n + 1 < size)
		buf[(*n)++] = *s++;
	buf[*n] = '\0';
}

/*
 * Log one line from a signal handler: only async-signal-safe calls, no
 * stdio(3), no syslog(3).  line is already "name[pid]: message"; in the
 * foreground it goes to stderr as is, else to syslogd as an RFC 3164
 * message without a timestamp ("<PRI>name[pid]: message"), which syslogd
 * stamps on receipt.
 */
void
log_sigsafe(const char *line)
{
	char	 buf[1024], pri[8];
	size_t	 n = 0;
	int	 i, p, saved_errno = errno;

	if (debug) {
		log_sigsafe_cat(buf, sizeof(buf) - 1, &n, line);
		buf[n++] = '\n';
		if (write(STDERR_FILENO, buf, n) == -1) {
			/* nothing left to say it with */
		}
	} else if (logsock != -1) {
		p = logfacility | LOG_CRIT;
		i = sizeof(pri) - 1;
		pri[i] = '\0';
		do {
			pri[--i] = '0' + p % 10;
			p /= 10;
		} while (p != 0 && i > 0);
		log_sigsafe_cat(buf, sizeof(buf), &n, "<");
		log_sigsafe_cat(buf, sizeof(buf), &n, pri + i);
		log_sigsafe_cat(buf, sizeof(buf), &n, ">");
		log_sigsafe_cat(buf, sizeof(buf), &n, line);
		(void)send(logsock, buf, n, 0);
	}
	errno = saved_errno;
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		procname = name;
}

const char *
log_procname(void)
{
	return procname;
}

void
log_setverbose(int v)
{
	verbose = v;
}

int
log_getverbose(void)
{
	return verbose;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	line[2048];
	int	saved_errno = errno;

	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		line[0] = '\0';
	if ((pri == LOG_WARNING || pri == LOG_ERR) &&
	    !log_repeat(pri, line, sizeof(line))) {
		errno = saved_errno;
		return;
	}
	log_line(pri, line);
	errno = saved_errno;
}

static void
log_line(int pri, const char *line)
{
	/* One write(2) per line keeps lines of several processes apart. */
	if (debug)
		dprintf(STDERR_FILENO, "%s[%d]: %s\n", procname,
		    (int)getpid(), line);
	else
		syslog(pri, "%s", line);
}

/*
 * Whether line may be logged now (see the top): 0 if it is only counted;
 * 1 with the count of those not logged appended to it, if any.
 */
static int
log_repeat(int pri, char *line, size_t size)
{
	struct repeat	*r, *old = &repeats[0];
	char		 note[2048 + 64];
	time_t		 now = time(NULL);
	uint64_t	 h;
	size_t		 len = strlen(line);
	int		 i;

	h = fnv64_add(FNV64_BASIS, line, len);
	for (i = 0; i < LOG_REPEAT_SLOTS; i++) {
		r = &repeats[i];
		if (r->last != 0 && r->hash == h &&
		    strncmp(r->line, line, sizeof(r->line) - 1) == 0)
			break;
		if (r->last < old->last)
			old = r;
	}
	if (i == LOG_REPEAT_SLOTS) {
		/* a line pushed out says what it did not log */
		if (old->last != 0 && old->count > 0) {
			snprintf(note, sizeof(note), "%s%s [%u more in %lld s, "
			    "not logged]", old->line, strlen(old->line) ==
			    sizeof(old->line) - 1 ? "..." : "", old->count,
			    (long long)(now - old->last));
			log_line(pri, note);
		}
		old->hash = h;
		old->last = now;
		old->count = 0;
		strlcpy(old->line, line, sizeof(old->line));
		return 1;
	}
	if (now - r->last < LOG_REPEAT_INTERVAL && now >= r->last) {
		r->count++;
		return 0;
	}
	if (r->count > 0)
		snprintf(line + len, size - len, " [%u more in %lld s, not "
		    "logged]", r->count, (long long)(now - r->last));
	r->last = now;
	r->count = 0;
	return 1;
}

static void
vlog_errno(int pri, int code, const char *fmt, va_list ap)
{
	char	msg[1536];

	if (fmt == NULL) {
		logit(pri, "%s", strerror(code));
		return;
	}
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	logit(pri, "%s: %s", msg, strerror(code));
}

void
log_warn(const char *emsg, ...)
{
	va_list	ap;
	int	code = errno;

	va_start(ap, emsg);
	vlog_errno(LOG_ERR, code, emsg, ap);
	va_end(ap);
	errno = code;
}

void
log_warnx(const char *emsg, ...)
{
	va_list	ap;

	va_start(ap, emsg);
	vlog(LOG_ERR, emsg, ap);
	va_end(ap);
}

void
log_info(const char *emsg, ...)
{
	va_list	ap;

	va_start(ap, emsg);
	vlog(LOG_INFO, emsg, ap);
	va_end(ap);
}

void
log_debug(const char *emsg, ...)
{
	va_list	ap;

	if (verbose) {
		va_start(ap, emsg);
		vlog(LOG_DEBUG, emsg, ap);
		va_end(ap);
	}
}

static void
vfatalc(int code, const char *emsg, va_list ap)
{
	char	msg[1536];

	if (emsg == NULL)
		msg[0] = '\0';
	else if (vsnprintf(msg, sizeof(msg), emsg, ap) < 0)
		msg[0] = '\0';
	if (code)
		logit(LOG_CRIT, "fatal in %s: %s%s%s", procname, msg,
		    msg[0] ? ": " : "", strerror(code));
	else
		logit(LOG_CRIT, "fatal in %s: %s", procname, msg);
}

/*
 * How fatal() and fatalx() end the process once the reason is logged.
 * Weak: a fuzz target (regress/fuzz/harness.c) links its own, which
 * returns to the target, so that a child refusing a malformed message
 * from an internal peer (fatalx, by design) counts as a clean refusal
 * and only a memory error or an abort as a crash.  The daemon links
 * this one.
 */
__attribute__((__weak__)) void
fatal_exit(void)
{
	exit(1);
}

void
fatal(const char *emsg, ...)
{
	va_list	ap;

	va_start(ap, emsg);
	vfatalc(errno, emsg, ap);
	va_end(ap);
	fatal_exit();
}

void
fatalx(const char *emsg, ...)
{
	va_list	ap;

	va_start(ap, emsg);
	vfatalc(0, emsg, ap);
	va_end(ap);
	fatal_exit();
}
