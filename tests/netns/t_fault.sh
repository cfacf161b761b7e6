#!/bin/bash
# FAULT (issue 3): a tracked interface losing its carrier puts the instance
# in FAULT within one netlink message, the VIP moves; a sync group drags its
# partner along, and both come back when the interface does.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 2
ADV=0.1
# A second link inside r1 (a veth pair with both ends in r1) to track.
veth_in r1 up0 up1
write_conf() { # write_conf HOST PRIO
	local track=""
	[ "$1" = r1 ] && track='track_interface {\n    up0\n}'
	{
		printf 'vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n}\n'
		conf_instance VI_1 51 "$2" advert_int=$ADV extra="$track" -- 192.0.2.100/24
		conf_instance VI_2 52 "$2" advert_int=$ADV -- 192.0.2.101/24
	} >"$T/$1.conf"
}
write_conf r1 150
write_conf r2 100
pair_up r1 5
wait_master r1 192.0.2.101 5
tdown=$(now)
ipn r1 link set up1 down # up0 loses its carrier
wait_only r2 192.0.2.100 5 || fail "VI_1 did not move to r2 when r1's tracked link went down"
wait_only r2 192.0.2.101 5 || fail "the sync group did not drag VI_2 to r2: $(holders 192.0.2.101)"
result "fault: both VIPs on r2 $(fcalc "$(now) - $tdown") s after r1's tracked link lost its carrier"
assert_log r1 "VI_1: MASTER -> FAULT \(up0 is down\)" "VI_1 going to FAULT because up0 is down"
assert_log r1 "VI_2: MASTER -> FAULT \(sync group G1: VI_1: up0 is down\)" "VI_2 dragged to FAULT by its group"
ipn r1 link set up1 up
wait_only r1 192.0.2.100 5 || fail "VI_1 did not come back to r1 with its link"
wait_only r1 192.0.2.101 5 || fail "VI_2 did not come back to r1 with its group"
assert_log r1 "VI_1: FAULT -> BACKUP" "VI_1 leaving FAULT"
log "tracked link down -> FAULT, group followed; link up -> back"

# A VIP removed by hand on the master is noticed and put back.
ipn r1 addr del 192.0.2.100/24 dev eth0
tdel=$(now)
wait_vip r1 192.0.2.100 5 || fail "the VIP removed by hand was not put back"
result "fault: a VIP removed by hand on the master was back after $(fcalc "$(now) - $tdel") s"
assert_log r1 "192.0.2.100 was removed from its interface by someone else; putting it back" "the VIP put back"
