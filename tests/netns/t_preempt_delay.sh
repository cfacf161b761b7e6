#!/bin/bash
# preempt_delay: r2 (priority 100) is master; r1 (priority 150, state BACKUP,
# preempt_delay 1) starts later and takes over only after about 1 s:
# measured from r1's start to its first advert, between 0.9 s and
# 1 s + Master_Down_Interval + 0.5 s.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1 DELAY=1
pair_conf advert_int=$ADV r1:extra="preempt_delay $DELAY"
cap_start
join_late r2 r1
wait_only r1 "$VIP" 5 || fail "r1 did not take over within 5 s; holders: $(holders "$VIP")"
t1=$(wait_adv 192.0.2.1 "$T_START" 1) || fail "no advert from r1"
d=$(fcalc "$t1 - $T_START")
m=$(mdi $ADV 150)
result "preempt_delay $DELAY: r1's first advert $d s after its start (bounds 0.9 .. $(fcalc "$DELAY + $m + 0.5") s)"
assert_ge "preempt_delay $DELAY" "$d" 0.9
assert_le "preempt_delay $DELAY" "$d" "$(fcalc "$DELAY + $m + 0.5")"
assert_stable r1 "$VIP" 0.5
