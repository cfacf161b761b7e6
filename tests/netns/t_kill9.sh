#!/bin/bash
# kill -9 of the master (conformance 29, 37): the backup takes over after
# Master_Down_Interval and the client reaches the VIP through it. Measured on
# the wire: old master's last advert -> new master's first advert, which must
# be within Master_Down_Interval + 100 ms (NETNS_SLACK to widen).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV
cap_start
pair_up r1 10 0.5

kill_takeover r1 r2 5
[ -n "$T_LAST" ] || fail "no advert from r1 in the capture"
since_kill=$(fcalc "$T_NEW - $T_STOP")
m=$(mdi $ADV 100)
result "kill -9 takeover $TAKE s (last r1 advert -> first r2 advert; Master_Down_Interval $m s at advert_int $ADV, prio 100); $since_kill s after the kill"
assert_slack "takeover after kill -9" "$TAKE" "$m"
assert_ge "takeover after kill -9 (not before Master_Down_Interval)" "$TAKE" "$(fcalc "$m - 0.02")"
client_ping "$VIP" r2
