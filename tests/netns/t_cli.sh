#!/bin/bash
# The command line: vrrpd -t exit codes and messages, a second daemon with
# the same pid file refused. Needs no namespace for -t; the pid file check
# runs a daemon in a lab namespace.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd's own command line and reload, not keepalived's"
BIN=$(vrrpd_bin)
[ -x "$BIN" ] || fail "$BIN is not built"

"$BIN" -t -f "$REPO/conf/vrrpd.conf" >"$T/ok.out" 2>&1 || fail "vrrpd -t on the shipped config failed: $(cat "$T/ok.out")"
grep -q 'configuration OK' "$T/ok.out" || fail "vrrpd -t did not say the config is OK"

printf 'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 300\n  priorty 100\n  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n' >"$T/bad.conf"
"$BIN" -t -f "$T/bad.conf" >"$T/bad.out" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "vrrpd -t on a bad file exited $rc, expected 2"
grep -Eq "bad.conf:3:[0-9]+: .*virtual_router_id" "$T/bad.out" || fail "no file:line:col for the bad VRID: $(cat "$T/bad.out")"
grep -Eq "bad.conf:4:[0-9]+: .*priorty" "$T/bad.out" || fail "no file:line:col for the misspelt keyword: $(cat "$T/bad.out")"
log "vrrpd -t: exit 2 with $(grep -c 'bad.conf:' "$T/bad.out") located errors"

"$BIN" -f "$T/bad.conf" -n -l -p "$T/x.pid" >"$T/start.out" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "starting with a bad file exited $rc, expected 2"

lab_create 1
conf_instance VI_1 51 100 -- 192.0.2.100/24 >"$T/r1.conf"
# Under the systemd unit's UMask=0077: the socket keeps its own mode.
um=$(umask)
umask 077
VRRPD_EXTRA_ARGS="-G daemon" start_daemon r1 "$T/r1.conf"
umask "$um"
wait_vip r1 192.0.2.100 5 || fail "the daemon did not become master"
[ "$(stat -c %G "$T/r1.sock")" = daemon ] || fail "-G daemon: the control socket's group is $(stat -c %G "$T/r1.sock")"
[ "$(stat -c %a "$T/r1.sock")" = 660 ] || fail "under umask 077 the control socket's mode is $(stat -c %a "$T/r1.sock"), expected 660"
log "control socket given to group daemon by -G, mode 660 under umask 077"
# Who may talk to it: a member of the group may, anybody else may not.
command -v setpriv >/dev/null 2>&1 || fail "setpriv (util-linux) is missing"
{
	chmod 711 "$T"
	# a copy nobody can run, wherever the repository is
	CTLBIN=$T/vrrpctl.copy
	cp "$REPO/vrrpctl" "$CTLBIN" && chmod 755 "$CTLBIN"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CTLBIN" -s "$T/r1.sock" status >"$T/nobody.out" 2>&1 &&
		fail "vrrpctl as nobody (not in group daemon) was answered: $(cat "$T/nobody.out")"
	grep -q 'r1.sock' "$T/nobody.out" && grep -qi 'permission denied' "$T/nobody.out" || fail "vrrpctl as nobody did not say why it failed: $(cat "$T/nobody.out")"
	setpriv --reuid=65534 --regid=65534 --groups=daemon "$CTLBIN" -s "$T/r1.sock" status >"$T/member.out" 2>&1 ||
		fail "vrrpctl as nobody in group daemon was refused: $(cat "$T/member.out")"
	grep -q 'VI_1 ' "$T/member.out" || fail "vrrpctl as a member of group daemon: no VI_1 in $(cat "$T/member.out")"
	chmod 700 "$T"
	log "control socket: refused to nobody ($(head -n 1 "$T/nobody.out")), answered a member of group daemon"
}
ip netns exec "$(ns r1)" "$BIN" -f "$T/r1.conf" -n -l -p "$T/r1.pid" >"$T/second.out" 2>&1
rc=$?
[ $rc -ne 0 ] || fail "a second daemon with the same pid file started"
grep -q 'another vrrpd is running' "$T/second.out" || fail "the second daemon did not say why: $(cat "$T/second.out")"
daemon_running r1 || fail "the first daemon died"
log "second daemon refused: $(cat "$T/second.out")"
