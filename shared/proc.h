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
 * Process plumbing shared by the parent and the children: names, the
 * fork+exec start of a child, dropping privileges, and an imsgbuf bound to a
 * libevent event (struct imsgev, as in OpenBSD's daemons).
 */
#ifndef SECD_PROC_H
#define SECD_PROC_H

#include <event.h>
#include <stdarg.h>

#include "imsg.h"
#include "secd.h"

struct imsgev {
	struct imsgbuf		 ibuf;
	void			(*handler)(int, short, void *);
	struct event		 ev;
	short			 events;
	void			*data;
};

const char	*proc_name(enum secd_proc);
int		 proc_byname(const char *);
pid_t		 proc_exec(const char *, enum secd_proc, int, int, int, int);
void		 proc_privdrop(const char *, const char *, int);
void		 proc_title(enum secd_proc, int);

/* title.c: "secd: ..." in ps; init first thing in main */
void		 proc_title_init(int, char *[]);
void		 proc_settitle(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

void		 iev_init(struct imsgev *, int, void (*)(int, short, void *),
		    void *);
void		 iev_add(struct imsgev *);
int		 iev_compose(struct imsgev *, uint32_t, uint32_t, pid_t, int,
		    const void *, size_t);
int		 iev_read(struct imsgev *, short);
void		 iev_close(struct imsgev *);

/* The last reply of a control request, from the parent or a child. */
void		 ctl_result_set(struct ctl_result *, int, const char *,
		    va_list) __attribute__((__format__ (printf, 3, 0)));

/* conf_imsg.c: the configuration over imsg */
/* conf_send() flags */
#define CONF_SEND_KEYS		0x01	/* TSIG keys: xfrd */
#define CONF_SEND_COOKIE	0x02	/* cookie secrets: serverd */
#define CONF_SEND_XFRKEYS	0x04	/* keys of provide transfer: serverd */
void		 conf_send(struct imsgev *, const struct secd_conf *, int);
int		 conf_recv(struct secd_conf **, struct imsg *);

#endif
