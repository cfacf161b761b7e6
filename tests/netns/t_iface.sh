#!/bin/bash
# Interfaces that come and go: an instance whose interface appears after the
# daemon started, then is deleted and created again, goes on working; a
# master whose interface loses its only IPv4 address goes to FAULT and
# releases the VIP (no two masters), and comes back with the address.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 2
ADV=0.1
{
	conf_instance VI_1 51 150 advert_int=$ADV -- 192.0.2.100/24
	conf_instance VI_9 9 150 advert_int=$ADV interface=tk0 -- 198.51.100.100/24
} >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- 192.0.2.100/24 >"$T/r2.conf"
pair_up r1 5
has_tk0_vip() { ipn r1 -br addr show dev tk0 2>/dev/null | grep -q '198\.51\.100\.100/'; }
mk_tk0() { veth_in r1 tk0 tk1 198.51.100.1/24; }

# 1. tk0 appears after the start.
mk_tk0
wait_until 5 has_tk0_vip || fail "VI_9 did not become master when tk0 appeared: $(grep VI_9 "${DLOG[r1]}" | tail -3)"
log "VI_9: its interface appeared after the start; it is master"
# 2. tk0 deleted and created again (a new ifindex).
ipn r1 link del tk0
wait_until 5 grep -q "VI_9: MASTER -> FAULT" "${DLOG[r1]}" || fail "VI_9 did not go to FAULT when tk0 was deleted"
mk_tk0
log "tk0 created again: $(ipn r1 -o link show tk0 | cut -d: -f1,2) $(ipn r1 -br addr show dev tk0)"
wait_until 5 has_tk0_vip || fail "VI_9 did not come back when tk0 was created again: $(grep VI_9 "${DLOG[r1]}" | tail -3)"
assert_log r1 "tk0: the interface is back" "its socket reopened"
log "VI_9: interface deleted and created again; master again"

# 3. r1 loses its only IPv4 address on eth0: FAULT, and only r2 holds the VIP.
ipn r1 addr del 192.0.2.1/24 dev eth0
wait_until 5 _no_vip r1 192.0.2.100 || fail "r1 kept the VIP without an address to advertise from"
wait_only r2 192.0.2.100 5 || fail "r2 did not take the VIP: $(holders 192.0.2.100)"
assert_log r1 "VI_1: MASTER -> FAULT \(its IPv4 address" "FAULT for want of an address"
ipn r1 addr add 192.0.2.1/24 dev eth0
wait_only r1 192.0.2.100 5 || fail "r1 did not take VI_1 back with its address: $(holders 192.0.2.100)"
log "VI_1: address removed -> FAULT, VIP on r2 only; address back -> r1 master again"
