#!/bin/bash
# vrrp_mcast_group4 (documentation group 233.252.0.18, RFC 5771): both
# routers advertise to it and elect as usual; a router on another group
# does not hear them (it becomes master too: the configuration mistake the
# keyword exists for is visible, not silent).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 3
G=233.252.0.18
pair_conf
for h in r1 r2; do
	sed -i "1i global_defs {\n    vrrp_mcast_group4 $G\n}" "$T/$h.conf"
done
cap_start
pair_up r1 10 0.5
n=$(adv_count "src == \"192.0.2.1\" && dst == \"$G\"")
[ "$n" -ge 3 ] || fail "r1's adverts do not go to $G: $(adverts | tail -n 2)"
[ "$(adv_count "dst == \"224.0.0.18\"")" = 0 ] || fail "adverts to 224.0.0.18 seen"
log "r1 advertises to $G; r2 is backup"
kill_takeover r1 r2 5
assert_slack "takeover on $G" "$TAKE" "$(mdi 0.1 100)"
conf_instance VI_1 51 50 -- "$VIP/24" >"$T/r3.conf"
start_daemon r3 "$T/r3.conf"
wait_vip r3 "$VIP" 3 || fail "r3 (default group) should not hear r2 on $G and become master too"
result "mcast: routers on $G elect among themselves; r3 on 224.0.0.18 does not hear them"
