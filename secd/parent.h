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
 * The parent process: configuration, sockets, the children and the control
 * socket.  Everything here runs as root (or as the invoking user when not
 * started as root).
 */
#ifndef SECD_PARENT_H
#define SECD_PARENT_H

#include "proc.h"
#include "secd.h"

struct child {
	enum secd_proc		 proc;
	int			 instance;
	pid_t			 pid;
	int			 ready;
	struct imsgev		 iev;
	struct ctl_proc		 info;
	struct ctl_sandbox	 sb;
};

struct parent {
	struct secd_conf	*conf;
	char			 exe[PATH_MAX];
	char			 conffile[PATH_MAX];
	int			 debug;
	int			 verbose;
	int			 privsep;
	int			 nservers;
	time_t			 started;
	struct ctl_sandbox	 sb;
	struct child		*children;
	int			 nchildren;
	int			 stopping;
	int			 nloaded;	/* serverds serving the start */
};

extern struct parent	*parent;

/* sdnotify.c */
void	sdnotify_open(void);
void	sdnotify(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));

/* children.c */
void	children_start(struct parent *, int **, int **);
void	children_send_conf(struct parent *);
void	children_broadcast(struct parent *, uint32_t, const void *, size_t);
void	children_reap(int, short, void *);
__attribute__((__noreturn__))
void	parent_shutdown(int);

/* control.c */
struct ctl_conn;
int	control_init(const char *);
void	control_adopt(int);
void	control_listen(int);
void	control_close_listener(void);
void	control_reply(struct ctl_conn *, uint32_t, const void *, size_t);
struct ctl_conn *control_byid(uint32_t);
uint32_t control_id(struct ctl_conn *);
void	control_result(struct ctl_conn *, int, const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));

/* relay.c */
void	relay_forward(struct parent *, struct ctl_conn *,
	    struct ctl_request *, enum secd_proc);
int	relay_imsg(struct child *, struct imsg *);

/* listen.c */
int	*listen_open(struct secd_conf *, int);
int	*metrics_open(struct secd_conf *);
int	 listen_count(struct secd_conf *);

/* secd.c */
void	parent_request(struct ctl_conn *, struct ctl_request *);
int	parent_reload(char *, size_t);
void	parent_catalog(const char *);
void	parent_loaded(void);

#endif
