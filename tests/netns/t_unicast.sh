#!/bin/bash
# Unicast (unicast_src_ip + unicast_peer) on two routers: election and
# kill -9 failover work, and the capture shows adverts sent to the peer's
# address and none to 224.0.0.18.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV \
	r1:extra='unicast_src_ip 192.0.2.1\nunicast_peer {\n    192.0.2.2\n}' \
	r2:extra='unicast_src_ip 192.0.2.2\nunicast_peer {\n    192.0.2.1\n}'
cap_start
pair_up r1 10 0.5

kill_takeover r1 r2 5
m=$(mdi $ADV 100)
result "unicast kill -9 takeover $TAKE s (Master_Down_Interval $m s)"
assert_slack "unicast takeover after kill -9" "$TAKE" "$m"
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
