#!/bin/bash
# kill -9 of the master (conformance 29, 37): the backup takes over after
# Master_Down_Interval and the client reaches the VIP through it. Measured on
# the wire: old master's last advert -> new master's first advert, which must
# be within Master_Down_Interval + 100 ms (NETNS_SLACK to widen).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
VIP=192.0.2.100 ADV=0.1
conf_instance VI_1 51 150 advert_int=$ADV -- "$VIP/24" >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- "$VIP/24" >"$T/r2.conf"
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
[ -n "$tlast" ] || fail "no advert from r1 in the capture"
take=$(fcalc "$tnew - $tlast")
since_kill=$(fcalc "$tnew - $tkill")
m=$(mdi $ADV 100)
result "kill -9 takeover $take s (last r1 advert -> first r2 advert; Master_Down_Interval $m s at advert_int $ADV, prio 100); $since_kill s after the kill"
assert_le "takeover after kill -9" "$take" "$(fcalc "$m + ${NETNS_SLACK:-0.1}")"
assert_ge "takeover after kill -9 (not before Master_Down_Interval)" "$take" "$(fcalc "$m - 0.02")"
client_ping "$VIP" r2
