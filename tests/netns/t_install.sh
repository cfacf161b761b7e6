#!/bin/bash
# make install / uninstall into a DESTDIR (issue 4): binaries, man pages,
# unit, configuration; an existing configuration is never overwritten; the
# man pages pass mandoc -T lint; the unit passes systemd-analyze verify.
# Uses no network namespace.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "installs vrrpd, not keepalived"
R=$T/root
make -s -C "$REPO" install DESTDIR="$R" >"$T/install.log" 2>&1 || fail "make install failed: $(cat "$T/install.log")"
for f in usr/local/sbin/vrrpd usr/local/sbin/vrrpctl usr/local/share/man/man8/vrrpd.8 \
	usr/local/share/man/man8/vrrpctl.8 usr/local/share/man/man5/vrrpd.conf.5 \
	etc/vrrpd/vrrpd.conf etc/systemd/system/vrrpd.service; do
	[ -f "$R/$f" ] || fail "make install did not install /$f"
done
[ -x "$R/usr/local/sbin/vrrpd" ] || fail "vrrpd is not executable"
"$R/usr/local/sbin/vrrpd" -t -f "$R/etc/vrrpd/vrrpd.conf" >/dev/null 2>&1 || fail "the installed configuration does not pass vrrpd -t"
log "installed: $(cd "$R" && find . -type f | sort | tr '\n' ' ')"

# An existing configuration is kept.
echo "# edited by the admin" >>"$R/etc/vrrpd/vrrpd.conf"
make -s -C "$REPO" install DESTDIR="$R" >"$T/install2.log" 2>&1 || fail "second make install failed"
grep -q "edited by the admin" "$R/etc/vrrpd/vrrpd.conf" || fail "make install overwrote an existing /etc/vrrpd/vrrpd.conf"

# Man pages: no mandoc warnings.
if command -v mandoc >/dev/null 2>&1; then
	for m in "$R"/usr/local/share/man/man*/*; do
		out=$(mandoc -T lint -W warning "$m" 2>&1) || fail "mandoc -T lint $m: $out"
		[ -z "$out" ] || fail "mandoc -T lint $m: $out"
	done
	log "mandoc -T lint -W warning: clean on $(ls "$R"/usr/local/share/man/man*/* | wc -l) pages"
else
	fail "mandoc is not installed (tests/deps.sh installs it)"
fi

# The unit: systemd-analyze verify, with the binary where the unit says.
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|/usr/local/sbin|$R/usr/local/sbin|g" "$R/etc/systemd/system/vrrpd.service" >"$T/vrrpd.service"
	out=$(systemd-analyze verify --man=no "$T/vrrpd.service" 2>&1) || fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
	score=$(systemd-analyze security --offline=true "$T/vrrpd.service" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	result "install: systemd-analyze verify clean; security exposure $score"
else
	log "systemd-analyze not available: unit not verified"
fi

make -s -C "$REPO" uninstall DESTDIR="$R" >"$T/uninstall.log" 2>&1 || fail "make uninstall failed"
left=$(cd "$R" && find . -type f ! -path ./etc/vrrpd/vrrpd.conf | sort)
[ -z "$left" ] || fail "make uninstall left: $left"
log "uninstall removed everything but the configuration"
