#!/bin/bash
# keepalived's interface_up_down_delays { up0 0.5 0.3 }: r1 (priority 150)
# tracks up0, a veth inside r1. A flap of up0 shorter than its down delay is
# not acted on (r1 stays the only holder of the VIP); a down that lasts moves
# the VIP to r2 after the 0.5 s down delay (plus r2's Skew_Time: r1 sends
# priority 0), not before; up0 back, r1 takes the VIP again no sooner than
# the 0.3 s up delay. Times from the `ip link` command (bounded polls).
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 2
veth_in r1 up0 up1
pair_conf advert_int=0.1 'r1:extra=track_interface {\n    up0\n}'
printf 'interface_up_down_delays {\n    up0 0.5 0.3\n}\n' >>"$T/r1.conf"
pair_up r1 5 0.3

ipn r1 link set up1 down
sleep 0.2
ipn r1 link set up1 up
assert_stable r1 "$VIP" 1
assert_log r1 "up0: link up again within its delay" "the flap of up0 ignored"

t0=$(now)
ipn r1 link set up1 down
wait_only r2 "$VIP" 3 || fail "r2 did not take $VIP within 3 s of up0 going down: holders $(holders "$VIP")"
t_down=$(fcalc "$(now) - $t0")
assert_log r1 "VI_1: MASTER -> FAULT \(up0 is down\)" "VI_1 going to FAULT because up0 is down"
t1=$(now)
ipn r1 link set up1 up
wait_only r1 "$VIP" 5 || fail "r1 did not take $VIP back within 5 s of up0 coming up: holders $(holders "$VIP")"
t_up=$(fcalc "$(now) - $t1")
result "interface_up_down_delays up0 0.5 0.3: a 0.2 s flap not acted on; VIP on r2 $t_down s after up0 went down; back on r1 $t_up s after it came up"
assert_ge "VIP moved after up0 went down (down delay 0.5 s)" "$t_down" 0.48
assert_le "VIP moved after up0 went down" "$t_down" 0.9
assert_ge "VIP back on r1 after up0 came up (up delay 0.3 s)" "$t_up" 0.28
