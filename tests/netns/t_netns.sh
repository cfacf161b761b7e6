#!/bin/bash
# net_namespace (issue 9): the daemon is started in the lab's client
# namespace "c", its configuration names r1's namespace, and it runs there:
# the VIP appears on r1's eth0 (and not in c), its adverts come from r1's
# address, and a client ping reaches the VIP. A name that does not exist is
# a clear error at start.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd's net_namespace"
lab_create 1
{
	printf 'global_defs {\n    router_id r1\n    net_namespace %s\n}\n' "$(ns r1)"
	conf_instance VI_1 51 150 -- "$VIP/24"
} >"$T/r1.conf"
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t refuses net_namespace: $(cat "$T/t.out")"
grep -q "net_namespace $(ns r1)" "$T/t.out" || fail "vrrpd -t does not show net_namespace: $(grep -n global_defs -A4 "$T/t.out")"
cap_start
start_daemon c "$T/r1.conf"
wait_vip r1 "$VIP" 5 || fail "the VIP is not on r1's eth0 5 s after the daemon started in c: $(addrs r1)"
has_vip c "$VIP" && fail "the VIP is in the namespace the daemon was started in (c)"
assert_log c "running in network namespace $(ns r1)" "where it runs"
wait_adv_count 2 3 192.0.2.1 || fail "no adverts from r1's address 192.0.2.1"
inns c ping -n -q -c 1 -W 1 "$VIP" >/dev/null || fail "the client does not reach $VIP"
result "net_namespace: started in c, ran in r1's namespace: VIP on r1, adverts from 192.0.2.1"
stop_daemon c TERM
has_vip r1 "$VIP" && fail "SIGTERM left $VIP on r1"

sed -i "s/net_namespace .*/net_namespace vrrpd-no-such-ns-$$/" "$T/r1.conf"
ip netns exec "$(ns c)" "$(vrrpd_bin)" -f "$T/r1.conf" -n -l -p "$T/x.pid" -S "$T/x.sock" >"$T/bad.out" 2>&1
rc=$?
[ $rc -ne 0 ] || fail "a daemon with a net_namespace that does not exist started"
grep -q "no network namespace vrrpd-no-such-ns-$$" "$T/bad.out" || fail "it did not say why: $(cat "$T/bad.out")"
log "missing namespace: exit $rc, $(grep -m1 'net_namespace' "$T/bad.out")"
