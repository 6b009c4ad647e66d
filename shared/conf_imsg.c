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
 * The configuration on the wire between the parent and a child.
 *
 * A configuration is a sequence of messages:
 *	IMSG_RECONF_CONF	struct secd_conf (its lists are ignored; the
 *				cookie secrets zeroed but for serverd)
 *	IMSG_RECONF_KEY		struct tsig_key, one per key (xfrd only)
 *	IMSG_RECONF_ZONE	struct zone_conf, then for that zone:
 *	  IMSG_RECONF_PRIMARY	struct primary_conf, one per primary
 *	  IMSG_RECONF_NOTIFY	struct notify_acl, one per allow notify
 *	IMSG_RECONF_END		empty; the new configuration replaces the old
 * Any other order, a bad length or an unterminated string is a protocol
 * error.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "proc.h"
#include "secd.h"

static int	conf_str_ok(const char *, size_t);

/*
 * The configuration to one child: the TSIG keys with CONF_SEND_KEYS,
 * the cookie secrets with CONF_SEND_COOKIE, else zeroed.
 */
void
conf_send(struct imsgev *iev, const struct secd_conf *conf, int flags)
{
	static struct secd_conf	 c;
	struct tsig_key		*k;
	struct zone_conf	*z;
	struct primary_conf	*p;
	struct notify_acl	*n;

	c = *conf;
	if (!(flags & CONF_SEND_COOKIE))
		explicit_bzero(&c.cookie, sizeof(c.cookie));
	if (iev_compose(iev, IMSG_RECONF_CONF, 0, 0, -1, &c, sizeof(c)) == -1)
		fatal("%s", __func__);
	explicit_bzero(&c.cookie, sizeof(c.cookie));
	if (flags & CONF_SEND_KEYS)
		TAILQ_FOREACH(k, &conf->keys, entry)
			if (iev_compose(iev, IMSG_RECONF_KEY, 0, 0, -1, k,
			    sizeof(*k)) == -1)
				fatal("%s", __func__);
	TAILQ_FOREACH(z, &conf->zones, entry) {
		if (iev_compose(iev, IMSG_RECONF_ZONE, 0, 0, -1, z,
		    sizeof(*z)) == -1)
			fatal("%s", __func__);
		TAILQ_FOREACH(p, &z->primaries, entry)
			if (iev_compose(iev, IMSG_RECONF_PRIMARY, 0, 0, -1, p,
			    sizeof(*p)) == -1)
				fatal("%s", __func__);
		TAILQ_FOREACH(n, &z->notifies, entry)
			if (iev_compose(iev, IMSG_RECONF_NOTIFY, 0, 0, -1, n,
			    sizeof(*n)) == -1)
				fatal("%s", __func__);
	}
	if (iev_compose(iev, IMSG_RECONF_END, 0, 0, -1, NULL, 0) == -1)
		fatal("%s", __func__);
}

static int
conf_str_ok(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/*
 * Feed one IMSG_RECONF_* message.  *nconf holds the configuration being
 * received.  Returns 1 when it is complete (the caller takes *nconf),
 * 0 when more is to come, -1 on a protocol error (*nconf is freed).
 */
int
conf_recv(struct secd_conf **nconf, struct imsg *imsg)
{
	struct secd_conf	*c = *nconf;
	struct tsig_key		*k;
	struct zone_conf	*z;
	struct primary_conf	*p;
	struct notify_acl	*n;
	size_t			 len = IMSG_DATA_SIZE(*imsg);

	switch (imsg->hdr.type) {
	case IMSG_RECONF_CONF:
		if (c != NULL || len != sizeof(*c))
			goto bad;
		if ((c = config_new()) == NULL)
			fatal("%s", __func__);
		memcpy(c, imsg->data, sizeof(*c));
		TAILQ_INIT(&c->listens);
		TAILQ_INIT(&c->keys);
		TAILQ_INIT(&c->zones);
		memset(&c->zindex, 0, sizeof(c->zindex));
		*nconf = c;
		if (!conf_str_ok(c->file, sizeof(c->file)) ||
		    !conf_str_ok(c->user, sizeof(c->user)) ||
		    !conf_str_ok(c->database, sizeof(c->database)) ||
		    !conf_str_ok(c->control, sizeof(c->control)))
			goto bad;
		return 0;
	case IMSG_RECONF_KEY:
		if (c == NULL || len != sizeof(*k))
			goto bad;
		if ((k = calloc(1, sizeof(*k))) == NULL)
			fatal("%s", __func__);
		memcpy(k, imsg->data, sizeof(*k));
		explicit_bzero(imsg->data, len);
		TAILQ_INSERT_TAIL(&c->keys, k, entry);
		if (!conf_str_ok(k->name, sizeof(k->name)) ||
		    k->alg >= TSIG_ALG_MAX ||
		    k->secretlen > sizeof(k->secret))
			goto bad;
		return 0;
	case IMSG_RECONF_ZONE:
		if (c == NULL || len != sizeof(*z))
			goto bad;
		if ((z = calloc(1, sizeof(*z))) == NULL)
			fatal("%s", __func__);
		memcpy(z, imsg->data, sizeof(*z));
		TAILQ_INIT(&z->primaries);
		TAILQ_INIT(&z->notifies);
		TAILQ_INSERT_TAIL(&c->zones, z, entry);
		if (!conf_str_ok(z->name, sizeof(z->name)) ||
		    z->proxy.n4 < 0 || z->proxy.n4 > SECD_PROXY_MAX ||
		    z->proxy.n6 < 0 || z->proxy.n6 > SECD_PROXY_MAX)
			goto bad;
		return 0;
	case IMSG_RECONF_PRIMARY:
		if (c == NULL || len != sizeof(*p) ||
		    (z = TAILQ_LAST(&c->zones, zone_confs)) == NULL)
			goto bad;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			fatal("%s", __func__);
		memcpy(p, imsg->data, sizeof(*p));
		TAILQ_INSERT_TAIL(&z->primaries, p, entry);
		if (!conf_str_ok(p->tsig, sizeof(p->tsig)))
			goto bad;
		return 0;
	case IMSG_RECONF_NOTIFY:
		if (c == NULL || len != sizeof(*n) ||
		    (z = TAILQ_LAST(&c->zones, zone_confs)) == NULL)
			goto bad;
		if ((n = calloc(1, sizeof(*n))) == NULL)
			fatal("%s", __func__);
		memcpy(n, imsg->data, sizeof(*n));
		TAILQ_INSERT_TAIL(&z->notifies, n, entry);
		if (!conf_str_ok(n->tsig, sizeof(n->tsig)))
			goto bad;
		return 0;
	case IMSG_RECONF_END:
		if (c == NULL || len != 0)
			goto bad;
		if (config_index(c) == -1) {
			log_warnx("configuration: a zone twice, or no memory "
			    "for the index of the zones");
			goto bad;
		}
		return 1;
	}
 bad:
	log_warnx("configuration message type %u, length %zu: protocol error",
	    imsg->hdr.type, len);
	if (c != NULL)
		config_free(c);
	*nconf = NULL;
	return -1;
}
