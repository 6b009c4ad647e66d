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

# The Debian package (debian/, make deb): it builds, lintian clean, from
# the tree under test; installed on this machine it makes its user, ships
# /etc/secd.conf as a conffile, the man pages and the unit, and its secd
# serves the demo zone transferred from NSD; a purge takes it all away
# but the user, and keeps the database when told to.  The cases that
# install skip on a machine with a secd of its own and purge what they
# installed in their cleanup.  Run as root (kyua under `make check`).

. "$(atf_get_srcdir)/../lib/peers.sh"
. "$(atf_get_srcdir)/../daemon/lib.sh"
. "$(atf_get_srcdir)/../lib/secondary.sh"

# The installed programs, not those of the build.
SECD() { echo /usr/sbin/secd; }
SECCTL() { echo /usr/sbin/secctl; }

# What the package owns or purges: none of it may be there before.
PKG_PATHS="/usr/sbin/secd /usr/sbin/secctl /etc/secd.conf /var/db/secd
    /lib/systemd/system/secd.service"

# pkg_deb: make deb of the tree under test into the check's object
# directory (nothing done when the .deb there is newer than the tree);
# its path in DEB.  The package build gets none of make check's
# variables (MAKEFLAGS, SAN).
pkg_deb() {
	local src obj ver arch
	src=$(atf_config_get srcdir)
	obj=$(atf_config_get bindir)
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SAN \
	    make -C "$src" OBJ="$obj" deb >make-deb.log 2>&1 || {
		tail -n 40 make-deb.log >&2
		atf_fail "make deb failed (log above)"
	}
	ver=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
	arch=$(dpkg --print-architecture)
	DEB=$obj/secd_${ver}_$arch.deb
	[ -f "$DEB" ] || atf_fail "make deb left no $DEB"
}

# pkg_guard: skip unless this machine has no secd of its own (a package
# secd in any state, or a file where the package puts one); note what a
# purge may take that the cleanup must put back.
pkg_guard() {
	local st p
	st=$(dpkg-query -W -f='${db:Status-Status}' secd 2>/dev/null)
	case $st in
	""|not-installed)
		;;
	*)
		atf_skip "a package secd is on this machine ($st):" \
		    "the test would remove it"
		;;
	esac
	for p in $PKG_PATHS; do
		[ -e "$p" ] && atf_skip "$p exists: this machine has a secd" \
		    "of its own, the test would remove it"
	done
	[ -d /var/db ] && touch had-var-db
	[ -d /var/empty ] && touch had-var-empty
	getent passwd _secd >/dev/null && touch had-user
	return 0
}

# pkg_install: dpkg -i the package (the cleanup purges it from here on).
pkg_install() {
	touch installed
	DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >dpkg-i.log 2>&1 || {
		cat dpkg-i.log >&2
		atf_fail "dpkg -i $DEB failed (log above)"
	}
}

# pkg_purge [ENV...]: dpkg --purge secd, with ENV in its environment.
pkg_purge() {
	env "$@" dpkg --purge secd >dpkg-purge.log 2>&1 || {
		cat dpkg-purge.log >&2
		atf_fail "dpkg --purge secd failed (log above)"
	}
}

# pkg_status: dpkg's state of the package secd ("" when it has none).
pkg_status() {
	dpkg-query -W -f='${db:Status-Status}' secd 2>/dev/null
	return 0
}

# pkg_purged: dpkg has no trace of the package.
pkg_purged() {
	case $(pkg_status) in
	""|not-installed)
		;;
	*)
		atf_fail "after purge: status '$(pkg_status)'"
		;;
	esac
}

# pkg_cleanup: in a cleanup, what a case installed taken away: its secd
# and NSD stopped, the package purged, the directories and the user the
# machine did not have before removed, /var/db put back if a purge took
# it.
pkg_cleanup() {
	local d
	d=$(pwd)
	[ -f installed ] || return 0
	stop_secd "$d"
	[ -d "$d/primary" ] && stop_nsd "$d/primary"
	dpkg --purge secd >/dev/null 2>&1
	rm -rf /var/db/secd
	if [ -f had-var-db ]; then
		mkdir -p /var/db
	else
		rmdir /var/db 2>/dev/null
	fi
	[ -f had-var-empty ] || rmdir /var/empty 2>/dev/null
	if [ ! -f had-user ]; then
		userdel _secd 2>/dev/null
		getent group _secd >/dev/null && groupdel _secd 2>/dev/null
	fi
	return 0
}

atf_test_case deb_builds_lintian_clean
deb_builds_lintian_clean_head() {
	atf_set descr "make deb builds the package from a copy of the tree," \
	    "nothing written beside it; the .deb holds the programs, the" \
	    "man pages, the unit and the conffile, and lintian finds no" \
	    "error or warning in it"
	atf_set require.user root
	atf_set require.progs dpkg-buildpackage lintian make
}
deb_builds_lintian_clean_body() {
	local src f
	src=$(atf_config_get srcdir)
	touch start
	pkg_deb
	for f in debian/secd debian/.debhelper debian/files \
	    debian/debhelper-build-stamp debian/secd.substvars; do
		[ -e "$src/$f" ] && atf_fail "make deb left $src/$f"
	done
	[ -z "$(find "$src/.." -maxdepth 1 -name 'secd*_*' -newer start)" ] ||
	    atf_fail "make deb wrote beside the tree: $(find "$src/.." \
	    -maxdepth 1 -name 'secd*_*' -newer start)"
	dpkg-deb -c "$DEB" | awk '{ print $NF }' >contents
	for f in ./usr/sbin/secd ./usr/sbin/secctl ./etc/secd.conf \
	    ./lib/systemd/system/secd.service \
	    ./usr/share/man/man8/secd.8.gz ./usr/share/man/man8/secctl.8.gz \
	    ./usr/share/man/man5/secd.conf.5.gz \
	    ./usr/share/doc/secd/README.Debian ./usr/share/doc/secd/copyright
	do
		grep -qx "$f" contents || atf_fail "$f is not in $DEB"
	done
	grep -q '^\./var/' contents && atf_fail "$DEB ships under /var:" \
	    "$(grep '^\./var/' contents)"
	atf_check -o match:'^adduser, ' dpkg-deb -f "$DEB" Depends
	atf_check -o ignore -e ignore lintian --fail-on error,warning "$DEB"
}

atf_test_case install_serves cleanup
install_serves_head() {
	atf_set descr "dpkg -i makes the user _secd and the database" \
	    "directory, /etc/secd.conf is a conffile that secd -n accepts," \
	    "the man pages and the unit are there; the installed secd serves" \
	    "the demo zone it transfers from NSD, with TSIG, then stops"
	atf_set require.user root
	atf_set require.progs dpkg-buildpackage nsd dig man
}
install_serves_body() {
	local src key i
	src=$(atf_config_get srcdir)
	pkg_guard
	pkg_deb
	pkg_install
	# a system user: no home, no login shell
	atf_check -o match:':/nonexistent:/usr/sbin/nologin$' \
	    getent passwd _secd
	atf_check -o inline:'_secd 700\n' stat -c '%U %a' /var/db/secd
	atf_check -o match:' /etc/secd.conf [0-9a-f]{32}' \
	    dpkg-query -W -f='${Conffiles}\n' secd
	atf_check /usr/sbin/secd -n -f /etc/secd.conf
	atf_check -o match:'/usr/share/man/man8/secd\.8\.gz$' man -w secd
	atf_check -o match:'/usr/share/man/man8/secctl\.8\.gz$' man -w secctl
	atf_check -o match:'/usr/share/man/man5/secd\.conf\.5\.gz$' \
	    man -w 5 secd.conf
	[ -f /lib/systemd/system/secd.service ] ||
	    atf_fail "no /lib/systemd/system/secd.service"
	if command -v systemd-analyze >/dev/null 2>&1; then
		atf_check -o empty -e empty systemd-analyze verify \
		    /lib/systemd/system/secd.service
	fi

	# the demo: NSD serves etc/demo.zone, secd transfers it with TSIG
	D=$(pwd)
	newport PORT
	newport PP
	key=$(sed -n 's/.*secret "\(.*\)".*/\1/p' "$src/etc/secd-demo.conf")
	start_nsd "$D/primary" "$PP" example.test "$src/etc/demo.zone" \
	    xfr hmac-sha256 "$key" || atf_fail "NSD did not start"
	cat >"$D/secd.conf" <<CONF
user "_secd"
database "$D/db"
control "$D/secd.sock"
servers 1
listen on 127.0.0.1 port $PORT

tsig key "xfr" {
	algorithm hmac-sha256
	secret "$key"
}

zone "example.test" {
	primary 127.0.0.1 port $PP tsig "xfr"
}
CONF
	atf_check /usr/sbin/secd -n -f "$D/secd.conf"
	start_secd "$D" /usr/sbin/secd
	for i in $(seq 1 200); do
		dig +norec +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" \
		    example.test SOA | grep -q ' 2026112501 ' && break
		sleep 0.1
	done
	atf_check -o match:' 2026112501 ' \
	    dig +norec +short @127.0.0.1 -p "$PORT" example.test SOA
	atf_check -o inline:'192.0.2.10\n' \
	    dig +norec +short @127.0.0.1 -p "$PORT" www.example.test A
	atf_check -o inline:'10 mail.example.test.\n' \
	    dig +norec +short @127.0.0.1 -p "$PORT" example.test MX
	atf_check -o match:'flags: qr aa' \
	    dig +norec @127.0.0.1 -p "$PORT" www.example.test AAAA
	stop_secd "$D"
	dig +norec +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" \
	    example.test SOA >/dev/null 2>&1 && atf_fail "secd still answers"
	return 0
}
install_serves_cleanup() {
	pkg_cleanup
}

atf_test_case purge_removes cleanup
purge_removes_head() {
	atf_set descr "dpkg --remove keeps the conffile and the database;" \
	    "dpkg --purge removes the programs, the conffile, the unit's" \
	    "links and the database directory, keeps the user _secd, and" \
	    "with SECD_KEEP_DATABASE=1 keeps the database directory"
	atf_set require.user root
	atf_set require.progs dpkg-buildpackage
}
purge_removes_body() {
	local p
	pkg_guard
	pkg_deb
	pkg_install
	echo "operator's data" >/var/db/secd/example.test.over
	atf_check -o ignore -e ignore dpkg --remove secd
	[ "$(pkg_status)" = config-files ] ||
	    atf_fail "after remove: status '$(pkg_status)', not config-files"
	[ -e /usr/sbin/secd ] && atf_fail "/usr/sbin/secd left by remove"
	[ -f /etc/secd.conf ] || atf_fail "remove took /etc/secd.conf"
	[ -f /var/db/secd/example.test.over ] ||
	    atf_fail "remove took the database"

	# purge, told to keep the database
	pkg_purge SECD_KEEP_DATABASE=1
	pkg_purged
	[ -e /etc/secd.conf ] && atf_fail "purge left /etc/secd.conf"
	atf_check -o inline:"operator's data\n" \
	    cat /var/db/secd/example.test.over

	# installed again over the kept database, then purged
	pkg_install
	atf_check -o inline:"operator's data\n" \
	    cat /var/db/secd/example.test.over
	[ -e /etc/systemd/system/multi-user.target.wants/secd.service ] ||
	    atf_fail "the unit was not enabled"
	pkg_purge
	pkg_purged
	for p in $PKG_PATHS /usr/share/man/man8/secd.8.gz \
	    /usr/share/doc/secd \
	    /etc/systemd/system/multi-user.target.wants/secd.service; do
		[ -e "$p" ] && atf_fail "purge left $p"
	done
	if [ ! -f had-var-db ] && [ -d /var/db ]; then
		atf_fail "purge left /var/db, which was not there before"
	fi
	atf_check -o ignore getent passwd _secd
	return 0
}
purge_removes_cleanup() {
	pkg_cleanup
}

atf_init_test_cases() {
	atf_add_test_case deb_builds_lintian_clean
	atf_add_test_case install_serves
	atf_add_test_case purge_removes
}
