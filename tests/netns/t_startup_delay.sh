#!/bin/bash
# vrrp_startup_delay (issue 9): a router alone on the link, with
# vrrp_startup_delay 1.5, sends its first advert and takes the VIP no
# earlier than 1.5 s + Master_Down_Interval after the daemon started (and
# not much later: within NETNS_SLACK plus the daemon's start-up), and holds
# no VIP before that. Without the delay the same router advertises within
# Master_Down_Interval + slack (the control run).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 1
ADV=0.1 DELAY=1.5
m=$(mdi $ADV 150)

run() { # run DELAY-LINE: starts r1, returns the first advert's delay in $FIRST
	{
		printf "global_defs {\n    router_id r1\n%b}\n" "$1"
		conf_instance VI_1 51 150 advert_int=$ADV -- "$VIP/24"
	} >"$T/r1.conf"
	start_daemon r1 "$T/r1.conf"
	local t0=${DSTART[r1]} t
	if [ -n "$1" ]; then
		sleep 1
		assert_no_vip r1 "$VIP"
		[ -z "$(adv_first 192.0.2.1 "$t0")" ] || fail "r1 advertised during its vrrp_startup_delay"
	fi
	t=$(wait_adv 192.0.2.1 "$t0" 6) || fail "no advert from r1 within 6 s of its start"
	FIRST=$(fcalc "$t - $t0")
}

cap_start
run ""
result "no delay: first advert $FIRST s after the start (Master_Down_Interval $m s)"
assert_slack "first advert without vrrp_startup_delay" "$FIRST" "$m"
stop_daemon r1 TERM

run "    vrrp_startup_delay $DELAY\n"
want=$(fcalc "$DELAY + $m")
result "vrrp_startup_delay $DELAY: first advert $FIRST s after the start (delay + Master_Down_Interval = $want s)"
assert_ge "first advert with vrrp_startup_delay $DELAY" "$FIRST" "$want"
assert_slack "first advert with vrrp_startup_delay $DELAY" "$FIRST" "$want"
wait_vip r1 "$VIP" 2 || fail "r1 did not take $VIP after the delay"
if [ "$(daemon_kind)" = vrrpd ]; then
	assert_log r1 "vrrp_startup_delay: the instances start in 1.500 s" "the delay announced"
fi
