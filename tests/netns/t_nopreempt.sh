#!/bin/bash
# nopreempt (conformance 39): r2 (priority 100) is master; r1 (priority 150,
# state BACKUP, nopreempt) starts later and does NOT take over. When r2
# stops, r1 takes the VIP (so r1 was alive and listening).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
VIP=192.0.2.100 ADV=0.1
conf_instance VI_1 51 150 advert_int=$ADV extra=nopreempt -- "$VIP/24" >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- "$VIP/24" >"$T/r2.conf"
cap_start
start_daemon r2 "$T/r2.conf"
wait_only r2 "$VIP" 5 || fail "r2, alone, did not become master"
start_daemon r1 "$T/r1.conf"
tstart=${DSTART[r1]}
# 5 x r1's Master_Down_Interval: long enough for any preemption to show
assert_stable r2 "$VIP" "$(fcalc "5 * $(mdi $ADV 150)")"
n=$(adv_count "src == \"192.0.2.1\" && t > $tstart")
[ "$n" = 0 ] || fail "r1 (nopreempt) sent $n adverts while r2 was master"
log "r1 (nopreempt) stayed backup"
stop_daemon r2 TERM
wait_only r1 "$VIP" 3 || fail "r1 did not take over when r2 stopped; holders: $(holders "$VIP")"
log "r1 took over once r2 stopped"
