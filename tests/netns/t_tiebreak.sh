#!/bin/bash
# Equal priority (conformance 44, 45): r1 and r2 (priority 100 both) start
# partitioned, so both become master. After healing, the one with the higher
# primary address (192.0.2.2) stays master and r1 drops the VIP.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
VIP=192.0.2.100 ADV=0.1
for i in 1 2; do
	conf_instance VI_1 51 100 advert_int=$ADV -- "$VIP/24" >"$T/r$i.conf"
done
cap_start
partition r1
partition r2
log "r1 and r2 partitioned (their switch ports are off the bridge)"
start_daemon r1 "$T/r1.conf"
start_daemon r2 "$T/r2.conf"
wait_vip r1 "$VIP" 5 || fail "partitioned r1 did not become master"
wait_vip r2 "$VIP" 5 || fail "partitioned r2 did not become master"
log "both are master: holders of $VIP: $(holders "$VIP")"
theal=$(now)
heal r1
heal r2
log "healed"
wait_only r2 "$VIP" 3 || fail "after healing, expected $VIP on r2 (higher address) only; holders: $(holders "$VIP")"
thold=$(now)
result "equal priority, after heal: r1 dropped the VIP $(fcalc "$thold - $theal") s after the heal (polled)"
assert_stable r2 "$VIP" 1
n=$(adv_count "src == \"192.0.2.1\" && prio > 0 && t > $thold")
[ "$n" = 0 ] || fail "r1 still sent $n adverts after it dropped the VIP"
client_arping "$VIP" r2
