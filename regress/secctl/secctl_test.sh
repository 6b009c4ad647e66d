#! /usr/bin/env atf-sh
# Copyright (c) 2026 The secd developers
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# secctl without a daemon: the command line is checked before anything is
# sent, and a missing or wrong control socket is reported by its path.
# The protocol itself is tested against the real daemon in regress/daemon.

SECCTL() { echo "$(atf_config_get bindir)/secctl"; }

# fails REGEX ARGS...: secctl ARGS exits 1, prints nothing on stdout and
# REGEX on stderr, without trying the (absent) control socket.
fails() {
	local re=$1
	shift
	atf_check -s exit:1 -o empty -e match:"$re" -e not-match:'connect ' \
	    "$(SECCTL)" -s "$(pwd)/nosock" "$@"
}

# parses ARGS...: secctl accepts ARGS and goes on to connect (and fails
# there, as nothing listens).
parses() {
	atf_check -s exit:1 -o empty \
	    -e match:"^secctl: connect $(pwd)/nosock: No such file" \
	    "$(SECCTL)" -s "$(pwd)/nosock" "$@"
}

long_label() { printf 'a%.0s' $(seq 64); }
long_name() {	# 254 characters: ten 24-character labels and "abcdefghijklmn"
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do printf 'abcdefghijklmnopqrstuvw.'; done
	printf 'abcdefghijklmn\n'
}

atf_test_case no_daemon
no_daemon_head() {
	atf_set descr "nothing at the socket path: the path and a hint, exit 1"
}
no_daemon_body() {
	atf_check -s exit:1 -o empty \
	    -e match:"^secctl: connect $(pwd)/nosock: No such file or directory \(is secd running\?\)\$" \
	    "$(SECCTL)" -s "$(pwd)/nosock" status
}

atf_test_case socket_is_file
socket_is_file_head() {
	atf_set descr "the socket path is a regular file: said so, exit 1"
}
socket_is_file_body() {
	echo x >file
	atf_check -s exit:1 -o empty \
	    -e match:"^secctl: connect $(pwd)/file: a regular file, not a socket" \
	    "$(SECCTL)" -s "$(pwd)/file" status
}

atf_test_case socket_is_directory
socket_is_directory_head() {
	atf_set descr "the socket path is a directory: said so, exit 1"
}
socket_is_directory_body() {
	mkdir dir
	atf_check -s exit:1 -o empty \
	    -e match:"^secctl: connect $(pwd)/dir: a directory, not a socket" \
	    "$(SECCTL)" -s "$(pwd)/dir" reload
}

atf_test_case socket_path_too_long
socket_path_too_long_head() {
	atf_set descr "a socket path longer than sun_path: said so, exit 1"
}
socket_path_too_long_body() {
	atf_check -s exit:1 -o empty -e match:'path too long' \
	    "$(SECCTL)" -s "/tmp/$(long_label)$(long_label)" status
}

atf_test_case no_command_usage
no_command_usage_head() {
	atf_set descr "no command: usage with every command on stderr, exit 1"
}
no_command_usage_body() {
	atf_check -s exit:1 -o empty -e match:'^usage: secctl \[-j\] \[-s socket\] command' \
	    -e match:'status' -e match:'show zones' \
	    -e match:'show zone ZONE \[NAME\]' -e match:'show stats' \
	    -e match:'show sizes' -e match:'show sandbox' \
	    -e match:'proxy \[-n\] ZONE NAME on\|off' \
	    -e match:'apex ZONE cname TARGET \[proxied\]' \
	    -e match:'apex ZONE clear' -e match:'refresh ZONE' \
	    -e match:'retransfer ZONE' -e match:'reload' \
	    -e match:'log verbose\|brief' "$(SECCTL)"
	atf_check -s exit:1 -o empty -e match:'^usage:' "$(SECCTL)" -j
	atf_check -s exit:1 -o empty -e match:'^usage:' "$(SECCTL)" -x status
}

atf_test_case help
help_head() {
	atf_set descr "secctl help: the usage on stdout, exit 0, no connection"
}
help_body() {
	atf_check -s exit:0 -e empty -o match:'^usage: secctl' \
	    -o match:'proxy \[-n\] ZONE NAME on\|off' \
	    "$(SECCTL)" -s "$(pwd)/nosock" help
	fails 'help: unexpected argument "me"' help me
}

atf_test_case unknown_verb
unknown_verb_head() {
	atf_set descr "an unknown command names the commands expected"
}
unknown_verb_body() {
	fails '^secctl: unknown command "frobnicate"; expected "status", "show", "proxy", "apex", "audit", "refresh", "retransfer", "reload", "log" or "help"$' frobnicate
	fails '^secctl: show: unknown argument "zonez"; expected "zones", "zone", "stats", "sizes" or "sandbox"$' show zonez
	fails '^secctl: show: "zo" is ambiguous' show zo
	fails '^secctl: apex: unknown argument "add"; expected "cname" or "clear"$' apex example.com add
}

atf_test_case missing_arguments
missing_arguments_head() {
	atf_set descr "a command cut short names what was expected next"
}
missing_arguments_body() {
	fails '^secctl: show: expected "zones", "zone", "stats", "sizes" or "sandbox"$' show
	fails '^secctl: show zone: expected a zone name$' show zone
	fails '^secctl: proxy: expected "-n" or a zone name$' proxy
	fails '^secctl: proxy: expected "-n" or a zone name$' proxy -n
	fails '^secctl: proxy: expected a domain name$' proxy example.com
	fails '^secctl: proxy: expected "on" or "off"$' proxy example.com www.example.com
	fails '^secctl: apex: expected a zone name$' apex
	fails '^secctl: apex: expected "cname" or "clear"$' apex example.com
	fails '^secctl: apex cname: expected a target name$' apex example.com cname
	fails '^secctl: audit: expected a zone name$' audit
	fails '^secctl: refresh: expected a zone name$' refresh
	fails '^secctl: retransfer: expected a zone name$' retransfer
	fails '^secctl: log: expected "verbose" or "brief"$' log
}

atf_test_case extra_arguments
extra_arguments_head() {
	atf_set descr "an argument after a complete command is refused"
}
extra_arguments_body() {
	fails '^secctl: status: unexpected argument "now"$' status now
	fails '^secctl: show zones: unexpected argument "y"$' show zones x y
	fails '^secctl: show zones state: unexpected argument "y"$' \
	    show zones state ok x y
	fails '^secctl: show zones state: unknown state "x"; expected ok,' \
	    show zones state x
	fails '^secctl: show zone: unexpected argument "x"$' \
	    show zone example.com www.example.com x
	fails '^secctl: show stats: unexpected argument "x"$' show stats x
	fails '^secctl: show sandbox: unexpected argument "x"$' show sandbox x
	fails '^secctl: proxy: unexpected argument "x"$' \
	    proxy example.com www.example.com on x
	fails '^secctl: apex clear: unexpected argument "x"$' \
	    apex example.com clear x
	fails '^secctl: apex cname: unknown argument "x"; expected "proxied"$' \
	    apex example.com cname www.example.net x
	fails '^secctl: apex cname: unexpected argument "x"$' \
	    apex example.com cname www.example.net proxied x
	fails '^secctl: refresh: unexpected argument "b.com"$' \
	    refresh a.com b.com
	fails '^secctl: retransfer: unexpected argument "b.com"$' \
	    retransfer a.com b.com
	fails '^secctl: reload: unexpected argument "now"$' reload now
	fails '^secctl: log verbose: unexpected argument "x"$' log verbose x
}

atf_test_case bad_zone_names
bad_zone_names_head() {
	atf_set descr "a malformed zone name is refused with the reason"
}
bad_zone_names_body() {
	local l n
	l="$(long_label).com"
	n=$(long_name)
	[ ${#n} = 254 ] || atf_fail "test bug: long name is ${#n} characters"
	for cmd in "show zone" refresh retransfer; do
		fails "^secctl: $cmd: bad zone name \"$l\": a label is longer than 63 characters\$" $cmd "$l"
		fails "^secctl: $cmd: bad zone name \"a..b\": empty label\$" $cmd a..b
		fails "^secctl: $cmd: bad zone name \"$n\": longer than 253 characters\$" $cmd "$n"
	done
	fails 'bad zone name "a\.\.b": empty label' \
	    proxy a..b www.a.b on
	fails 'bad zone name "a\.\.b": empty label' apex a..b clear
	fails 'bad zone name "\.example\.com": empty label' \
	    show zone .example.com
	fails 'bad zone name "example\.com\.\.": empty label' \
	    show zone example.com..
	fails 'bad zone name "": empty name' show zone ''
	fails 'bad zone name "a b": contains a space' show zone 'a b'
	fails 'bad zone name "a\\\.b": \\ escapes are not supported' \
	    show zone 'a\.b'
	fails 'bad zone name "-n": starts with' refresh -n
}

atf_test_case bad_names
bad_names_head() {
	atf_set descr "a malformed NAME or TARGET is refused with the reason"
}
bad_names_body() {
	fails '^secctl: proxy: bad domain name "www\.\.example\.com": empty label$' \
	    proxy example.com www..example.com on
	fails "^secctl: show zone: bad domain name \"$(long_label)\\.example\\.com\": a label is longer than 63 characters\$" \
	    show zone example.com "$(long_label).example.com"
	fails '^secctl: apex cname: bad target name "a\.\.b": empty label$' \
	    apex example.com cname a..b
	fails "^secctl: apex cname: bad target name \"$(long_name)\": longer than 253 characters\$" \
	    apex example.com cname "$(long_name)"
}

atf_test_case bad_on_off
bad_on_off_head() {
	atf_set descr "proxy takes on or off, nothing else"
}
bad_on_off_body() {
	fails '^secctl: proxy: unknown argument "yes"; expected "on" or "off"$' \
	    proxy example.com www.example.com yes
	fails '^secctl: proxy: unknown argument "1"; expected "on" or "off"$' \
	    proxy example.com www.example.com 1
	fails '^secctl: proxy: "o" is ambiguous; expected "on" or "off"$' \
	    proxy example.com www.example.com o
	fails '^secctl: log: unknown argument "debug"; expected "verbose" or "brief"$' \
	    log debug
}

atf_test_case good_commands_connect
good_commands_connect_head() {
	atf_set descr "every well-formed command gets past the parser to the socket"
}
good_commands_connect_body() {
	parses status
	parses show zones
	parses show zone Example.COM.
	parses show zone example.com www.example.com
	parses show stats
	parses show sandbox
	parses proxy example.com www.example.com on
	parses proxy -n example.com www.example.com off
	parses apex example.com cname www.example.net
	parses apex example.com cname www.example.net. proxied
	parses apex example.com clear
	parses refresh example.com
	parses retransfer example.com.
	parses reload
	parses log verbose
	parses log brief
	parses sh zones
	parses -j status
	parses show zone "$(printf 'a%.0s' $(seq 63)).com"
	parses show zone "$(long_name | cut -c 2-)"
	parses show zone "$(long_name | cut -c 2-)."
}

atf_init_test_cases() {
	atf_add_test_case no_daemon
	atf_add_test_case socket_is_file
	atf_add_test_case socket_is_directory
	atf_add_test_case socket_path_too_long
	atf_add_test_case no_command_usage
	atf_add_test_case help
	atf_add_test_case unknown_verb
	atf_add_test_case missing_arguments
	atf_add_test_case extra_arguments
	atf_add_test_case bad_zone_names
	atf_add_test_case bad_names
	atf_add_test_case bad_on_off
	atf_add_test_case good_commands_connect
}
