#!/bin/bash
# Stale VIP (DESIGN: remove what a crashed run left): r1 (priority 150) is
# master; the VIP is added by hand on r2, as a crash would leave it; the
# daemon starts on r2 as backup (priority 100) and the stale VIP is gone
# within 1 s of its start.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV
start_daemon r1 "$T/r1.conf"
wait_master r1 "$VIP" 5
ipn r2 addr add "$VIP/24" dev eth0 || fail "cannot add the stale VIP on r2"
log "stale $VIP added by hand on r2: $(addrs r2)"
start_daemon r2 "$T/r2.conf"
wait_no_vip r2 "$VIP" 1 || fail "the stale $VIP is still on r2 1 s after the daemon started: $(addrs r2)"
result "stale VIP removed $(fcalc "$(now) - ${DSTART[r2]}") s after the daemon started (polled; limit 1 s)"
assert_stable r1 "$VIP" 0.5
client_ping "$VIP" r1
