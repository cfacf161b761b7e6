#!/bin/bash
# Preemption (conformance 26, 40): r2 (priority 100) is master alone; r1
# (priority 150, preempt by default) starts later and takes over.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV
cap_start
join_late r2 r1
wait_only r1 "$VIP" 5 || fail "r1 (priority 150) did not take $VIP over from r2; holders: $(holders "$VIP")"
t1=$(wait_adv 192.0.2.1 "$T_START" 1) || fail "no advert from r1"
result "preempt: r1's first advert $(fcalc "$t1 - $T_START") s after its start (its Master_Down_Interval $(mdi $ADV 150) s)"
assert_stable r1 "$VIP" 0.5
client_ping "$VIP" r1
