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
 * A scrape is five requests to the parent on the control channel, one
 * after the other, as secctl makes them: status (the processes), show
 * sandbox, show stats, show zones, show sizes.  Each reply goes to the
 * text being made (render.c); the last request's IMSG_CTL_RESULT ends
 * the scrape and its text answers every HTTP request that waited for
 * it.  The parent is an internal peer: a message out of place is fatal.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <event.h>
#include <string.h>

#include "log.h"
#include "metricsd.h"
#include "proc.h"
#include "secd.h"

static void	scrape_ask(void);
static void	scrape_dispatch(int, short, void *);
static void	scrape_imsg(struct imsg *);

static const int	 verbs[] = {
	CTL_STATUS, CTL_SHOW_SANDBOX, CTL_SHOW_STATS, CTL_SHOW_ZONES,
	CTL_SHOW_SIZES
};
#define NVERBS		(sizeof(verbs) / sizeof(verbs[0]))

static struct imsgev	 iev_ctl;
static size_t		 step = NVERBS;	/* NVERBS: none in progress */
static struct render	*cur;

void
scrape_init(int fd)
{
	iev_init(&iev_ctl, fd, scrape_dispatch, NULL);
	iev_add(&iev_ctl);
}

/* Begin a scrape unless one is in progress; its end answers them all. */
int
scrape_start(void)
{
	if (step < NVERBS)
		return 0;
	if ((cur = render_new()) == NULL)
		return -1;
	step = 0;
	scrape_ask();
	return 1;
}

static void
scrape_ask(void)
{
	struct ctl_request	 req;

	memset(&req, 0, sizeof(req));
	req.verb = verbs[step];
	if (iev_compose(&iev_ctl, IMSG_CTL_REQUEST, 0, 0, -1, &req,
	    sizeof(req)) == -1)
		fatal("%s", __func__);
}

static void
scrape_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	if (!iev_read(iev, event))
		fatalx("the parent closed the control channel");
	while ((n = imsg_get(&iev->ibuf, &imsg)) > 0) {
		scrape_imsg(&imsg);
		imsg_free(&imsg);
	}
	if (n == -1)
		fatal("%s: imsg_get", __func__);
	iev_add(iev);
}

static void
scrape_imsg(struct imsg *imsg)
{
	struct ctl_result	 res;
	struct evbuffer		*text;

	if (step >= NVERBS)
		fatalx("%s: imsg %u with no scrape in progress", __func__,
		    imsg->hdr.type);
	if (imsg->hdr.type != IMSG_CTL_RESULT) {
		render_imsg(cur, imsg);
		return;
	}
	if (imsg_get_data(imsg, &res, sizeof(res)) == -1 ||
	    memchr(res.msg, '\0', sizeof(res.msg)) == NULL)
		fatalx("%s: IMSG_CTL_RESULT: bad length", __func__);
	if (res.code != 0)
		log_warnx("scrape: request %d: %s", verbs[step], res.msg);
	if (++step < NVERBS) {
		scrape_ask();
		return;
	}
	text = render_end(cur);
	render_free(cur);
	cur = NULL;
	http_answer(text);
	if (text != NULL)
		evbuffer_free(text);
}
