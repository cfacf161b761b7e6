#!/bin/bash
# SIGTERM of the master (conformance 38, 47): it sends a priority-0 advert
# and removes its VIP; the backup takes over after Skew_Time. Measured on the
# wire: priority-0 advert -> new master's first advert <= Skew_Time + 100 ms.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV
cap_start
pair_up r1 10 0.5

term_takeover r1 r2 5
s=$(skew $ADV 100)
result "SIGTERM takeover $TAKE s (priority-0 advert -> first r2 advert; Skew_Time $s s at advert_int $ADV, prio 100)"
assert_slack "takeover after a priority-0 advert" "$TAKE" "$s"
assert_only r2 "$VIP"
client_ping "$VIP" r2
