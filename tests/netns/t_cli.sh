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
VRRPD_EXTRA_ARGS="-G daemon" start_daemon r1 "$T/r1.conf"
wait_vip r1 192.0.2.100 5 || fail "the daemon did not become master"
[ "$(stat -c %G "$T/r1.sock")" = daemon ] || fail "-G daemon: the control socket's group is $(stat -c %G "$T/r1.sock")"
log "control socket given to group daemon by -G"
ip netns exec "$(ns r1)" "$BIN" -f "$T/r1.conf" -n -l -p "$T/r1.pid" >"$T/second.out" 2>&1
rc=$?
[ $rc -ne 0 ] || fail "a second daemon with the same pid file started"
grep -q 'another vrrpd is running' "$T/second.out" || fail "the second daemon did not say why: $(cat "$T/second.out")"
daemon_running r1 || fail "the first daemon died"
log "second daemon refused: $(cat "$T/second.out")"
