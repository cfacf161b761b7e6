#!/bin/bash
# SIGTERM of the master (conformance 38, 47): it sends a priority-0 advert
# and removes its VIP; the backup takes over after Skew_Time. Measured on the
# wire: priority-0 advert -> new master's first advert <= Skew_Time + 100 ms.
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

tterm=$(now)
stop_daemon r1 TERM
assert_no_vip r1 "$VIP"
log "r1 exited and removed $VIP"
t0=$(wait_adv 192.0.2.1 "$tterm" 2 "" "p == 0") || fail "no priority-0 advert from r1 after SIGTERM"
log "priority-0 advert from r1 seen"
wait_vip r2 "$VIP" 5 || fail "r2 did not take $VIP within 5 s of the SIGTERM"
tnew=$(wait_adv 192.0.2.2 "$t0" 3) || fail "no advert from r2 after r1's priority-0 advert"
take=$(fcalc "$tnew - $t0")
s=$(skew $ADV 100)
result "SIGTERM takeover $take s (priority-0 advert -> first r2 advert; Skew_Time $s s at advert_int $ADV, prio 100)"
assert_le "takeover after a priority-0 advert" "$take" "$(fcalc "$s + ${NETNS_SLACK:-0.1}")"
assert_only r2 "$VIP"
client_ping "$VIP" r2
