#!/bin/bash
# nopreempt (conformance 39): r2 (priority 100) is master; r1 (priority 150,
# state BACKUP, nopreempt) starts later and does NOT take over. When r2
# stops, r1 takes the VIP (so r1 was alive and listening).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV r1:extra=nopreempt
cap_start
join_late r2 r1
# 5 x r1's Master_Down_Interval: long enough for any preemption to show
assert_stable r2 "$VIP" "$(fcalc "5 * $(mdi $ADV 150)")"
n=$(adv_count "src == \"192.0.2.1\" && t > $T_START")
[ "$n" = 0 ] || fail "r1 (nopreempt) sent $n adverts while r2 was master"
log "r1 (nopreempt) stayed backup"
stop_daemon r2 TERM
wait_only r1 "$VIP" 3 || fail "r1 did not take over when r2 stopped; holders: $(holders "$VIP")"
log "r1 took over once r2 stopped"
