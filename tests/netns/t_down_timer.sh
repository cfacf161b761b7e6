#!/bin/bash
# keepalived's down_timer_adverts and owner_ignore_adverts, on the wire.
# 1. down_timer_adverts 5 at advert_int 0.1: after kill -9 of the master the
#    backup takes over after 5 x 0.1 s + Skew_Time (0.561 s at priority 100),
#    measured from the old master's last advert to the new master's first
#    one: not before it (so not after the RFC's 3 intervals, 0.361 s), and
#    within NETNS_SLACK (0.1 s) after it.
# 2. owner_ignore_adverts: r1, an address owner (255) with the keyword, stays
#    master while r2, another 255 with a higher address, advertises (without
#    it r1 would yield, RFC 5798 6.4.3); r2's adverts are counted as
#    owner-ignores in r1's vrrpctl stats.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV "extra=down_timer_adverts 5"
"$REPO/vrrpd" -t -f "$T/r2.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t refused r2.conf: $(cat "$T/t.out")"
grep -q "master_down_interval 0.56 s" "$T/t.out" || fail "vrrpd -t does not show master_down_interval 0.56 s: $(grep master_down "$T/t.out")"
cap_start
pair_up r1 10 0.5

kill_takeover r1 r2 5
[ -n "$T_LAST" ] || fail "no advert from r1 in the capture"
m=$(fcalc "5 * $ADV + (256 - 100) * $ADV / 256")
result "down_timer_adverts 5: kill -9 takeover $TAKE s (last r1 advert -> first r2 advert; 5 x $ADV + skew = $m s; the RFC's 3 would be $(mdi $ADV 100) s)"
assert_ge "takeover with down_timer_adverts 5 (not before 5 intervals + skew)" "$TAKE" "$(fcalc "$m - 0.02")"
assert_slack "takeover with down_timer_adverts 5" "$TAKE" "$m"
stop_daemon r2

# 2. two address owners; r1 ignores adverts (r1 still holds the VIP the
# kill -9 left behind: remove it, so that r1 must take it again)
ipn r1 addr del "$VIP/$VIP_PREFIX" dev eth0 2>/dev/null || true
conf_instance VI_1 51 255 advert_int=$ADV state=MASTER "extra=owner_ignore_adverts" -- "$VIP/$VIP_PREFIX" >"$T/r1.conf"
conf_instance VI_1 51 255 advert_int=$ADV state=MASTER -- "$VIP/$VIP_PREFIX" >"$T/r2.conf"
start_daemon r1 "$T/r1.conf"
wait_vip r1 "$VIP" 5 || fail "r1 (owner) did not take $VIP"
start_daemon r2 "$T/r2.conf"
wait_vip r2 "$VIP" 5 || fail "r2 (owner) did not take $VIP"
t0=$(now)
sleep 1.5
n1=$(adv_count "src == \"$(adv_src r1)\" && t >= $t0 && prio == 255")
n2=$(adv_count "src == \"$(adv_src r2)\" && t >= $t0 && prio == 255")
ign=$("$REPO/vrrpctl" -s "$T/r1.sock" --json stats | python3 -c '
import json, sys
print(json.load(sys.stdin)["instances"][0]["drops"]["owner-ignores"])') || fail "vrrpctl stats on r1 failed"
result "owner_ignore_adverts: in 1.5 s r1 sent $n1 adverts, r2 $n2; r1 counted $ign as owner-ignores"
[ "$n2" -ge 10 ] || fail "r2 sent only $n2 adverts in 1.5 s"
[ "$n1" -ge 10 ] || fail "r1 (owner_ignore_adverts) sent only $n1 adverts in 1.5 s: it yielded to r2"
has_vip r1 "$VIP" || fail "r1 (owner_ignore_adverts) lost $VIP"
[ "$ign" -ge 10 ] || fail "r1 counted only $ign of r2's adverts as owner-ignores"
