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
 * What every child does between exec and its event loop: receive its
 * configuration, its channels to the other children and (serverd) its
 * listening sockets from the parent, then drop privileges, sandbox itself
 * and report to the parent.
 */
#ifndef SECD_CHILD_H
#define SECD_CHILD_H

#include "proc.h"
#include "secd.h"

struct child_listen {
	int			 fd;
	int			 tcp;
	struct sockaddr_storage	 ss;
};

struct child_env {
	enum secd_proc		 proc;
	int			 instance;
	int			 privsep;	/* started as root */
	struct secd_conf	*conf;
	struct secd_conf	*prevconf;	/* the one replaced, in reconf */
	int			 xfrd_fd;	/* channel to xfrd, or -1 */
	int			 zoned_fd;	/* channel to zoned, or -1 */
	int			 ctl_fd;	/* metricsd: control channel */
	int			 nserverd;
	int			 serverd_fd[SECD_MAXSERVERS];
	int			 nlisten;
	struct child_listen	*listen;
	char			 user[SECD_USERLEN];
	char			 root[PATH_MAX];	/* chroot, "" = none */
	/* set by the process: called after a reload is in place */
	void			(*reconf)(void);
	/* set by the process: its own messages from the parent; 0 = bad */
	int			(*parent_imsg)(struct imsg *);
};

void	child_setup(struct child_env *, enum secd_proc, int, int, int);
void	child_drop(struct child_env *, const char *);
void	child_ready(struct imsgev *, struct child_env *);
int	child_parent_imsg(struct child_env *, struct imsg *);
void	child_events(struct child_env *, struct imsgev *);
void	child_dispatch_parent(int, short, void *);
void	child_dispatch(struct imsgev *, short, const char *,
	    void (*)(struct imsg *));
void	child_dispatch_none(int, short, void *);
void	child_result(struct imsgev *, uint32_t, int, const char *, ...)
	    __attribute__((__format__ (printf, 4, 5)));
void	child_request(struct imsg *, struct ctl_request *);

#endif
