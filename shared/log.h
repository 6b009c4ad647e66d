/*
 * Logging for every secd process: syslog(3) when daemonized, stderr in the
 * foreground (-d).  Each process sets its name once with log_procinit() so
 * that every line says who wrote it.
 */
#ifndef SECD_LOG_H
#define SECD_LOG_H

#include <stdarg.h>

void	log_init(int, int);
void	log_procinit(const char *);
void	log_setverbose(int);
int	log_getverbose(void);
const char *log_procname(void);
void	log_warn(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	log_debug(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
/* From a signal handler: line is "name[pid]: message", without newline. */
void	log_sigsafe(const char *);
void	logit(int, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	vlog(int, const char *, va_list)
	    __attribute__((__format__ (printf, 2, 0)));
/* log.c's exit(1), or a fuzz target's way back to it: never returns */
__attribute__((__noreturn__))
void	fatal_exit(void);
__attribute__((__noreturn__))
void	fatal(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
__attribute__((__noreturn__))
void	fatalx(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));

#endif
