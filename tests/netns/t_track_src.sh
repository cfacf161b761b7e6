#!/bin/bash
# keepalived's track_src_ip: r1 (priority 150) advertises from a second
# address of its own, 192.0.2.31 (mcast_src_ip); when that address is removed
# from its interface r1 goes to FAULT and r2 takes the VIP (after r2's
# Master_Down_Interval, 0.36 s: r1's priority-0 advert cannot leave from an
# address it no longer has); when it is added back r1 leaves FAULT and
# preempts again. Times are from the `ip addr` command to the VIP
# holder changing (bounded polls).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
SRC=192.0.2.31
ipn r1 addr add "$SRC/24" dev eth0
pair_conf advert_int=0.1 "r1:extra=mcast_src_ip $SRC\ntrack_src_ip"
cap_start
pair_up r1 10 0.5
n=$(adv_count "src == \"$SRC\"")
[ "$n" -gt 0 ] || fail "r1 does not advertise from $SRC"

t0=$(now)
ipn r1 addr del "$SRC/24" dev eth0
wait_only r2 "$VIP" 3 || fail "r2 did not take $VIP within 3 s of $SRC leaving r1: holders $(holders "$VIP")"
t_gone=$(fcalc "$(now) - $t0")
assert_log r1 "FAULT.*source address $SRC|source address $SRC.*FAULT" "r1 going to FAULT for its source address"
t1=$(now)
ipn r1 addr add "$SRC/24" dev eth0
wait_only r1 "$VIP" 5 || fail "r1 did not take $VIP back within 5 s of $SRC returning: holders $(holders "$VIP")"
t_back=$(fcalc "$(now) - $t1")
result "track_src_ip: VIP on r2 $t_gone s after $SRC was removed from r1; back on r1 $t_back s after it returned"
assert_le "VIP moved to r2 after the source address went" "$t_gone" 1
