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
 * secctl: the command tables and their parser.
 *
 * A command is a walk through tables of tokens (bgpctl(8) style): each
 * token says what word it matches, what it sets in the request and which
 * table the next word is matched against.  The usage text and the "expected
 * ..." part of every error message are made from the same tables.
 */
#ifndef SECCTL_PARSER_H
#define SECCTL_PARSER_H

#include <sys/socket.h>

#include <stdio.h>

#include "secd.h"

/* parse_result.action: a request for secd, or only help. */
enum parse_action {
	ACT_REQUEST,
	ACT_HELP
};

struct parse_result {
	enum parse_action	 action;
	struct ctl_request	 req;
	char			 words[64];	/* "show zone": for messages */
	/* audit ZONE at ADDRESS [port PORT]: the server to ask */
	struct sockaddr_storage	 at;
};

/* NULL after printing why (and nothing was sent anywhere). */
const struct parse_result *parse(int, char *[]);
void	parser_usage(FILE *);

#endif
