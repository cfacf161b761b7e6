#!/bin/bash
# Unicast (unicast_src_ip + unicast_peer) on two routers: election and
# kill -9 failover work, and the capture shows adverts sent to the peer's
# address and none to 224.0.0.18.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
VIP=192.0.2.100 ADV=0.1
conf_instance VI_1 51 150 advert_int=$ADV \
	extra='unicast_src_ip 192.0.2.1\nunicast_peer {\n    192.0.2.2\n}' -- "$VIP/24" >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV \
	extra='unicast_src_ip 192.0.2.2\nunicast_peer {\n    192.0.2.1\n}' -- "$VIP/24" >"$T/r2.conf"
cap_start
start_daemon r1 "$T/r1.conf"
start_daemon r2 "$T/r2.conf"
wait_only r1 "$VIP" 10 || fail "r1 is not the only holder of $VIP: $(holders "$VIP")"
assert_stable r1 "$VIP" 0.5
client_ping "$VIP" r1

tkill=$(now)
stop_daemon r1 KILL
wait_vip r2 "$VIP" 5 || fail "r2 did not take $VIP within 5 s of the kill"
tnew=$(wait_adv 192.0.2.2 "$tkill" 3) || fail "no advert from r2 after the kill"
tlast=$(adv_last 192.0.2.1 "$tnew")
take=$(fcalc "$tnew - $tlast")
m=$(mdi $ADV 100)
result "unicast kill -9 takeover $take s (Master_Down_Interval $m s)"
assert_le "unicast takeover after kill -9" "$take" "$(fcalc "$m + ${NETNS_SLACK:-0.1}")"
client_ping "$VIP" r2
# let r2 send a few adverts, then look at the destinations
wait_adv_count 3 2 'src == "192.0.2.2" && prio > 0' || fail "r2 sent fewer than 3 adverts"
n_mc=$(adv_count 'dst == "224.0.0.18"')
n12=$(adv_count 'src == "192.0.2.1" && dst == "192.0.2.2"')
n21=$(adv_count 'src == "192.0.2.2" && dst == "192.0.2.1" && prio > 0')
log "adverts: r1->r2 $n12, r2->r1 $n21, to 224.0.0.18 $n_mc"
[ "$n_mc" = 0 ] || fail "$n_mc adverts went to 224.0.0.18 with unicast configured"
[ "$n12" -gt 0 ] || fail "no unicast advert r1 -> 192.0.2.2"
[ "$n21" -gt 0 ] || fail "no unicast advert r2 -> 192.0.2.1"
