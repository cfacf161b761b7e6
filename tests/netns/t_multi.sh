#!/bin/bash
# Three instances (VRIDs 51, 52, 53) with 5 VIPs each on three routers, the
# masters split by priority (VI_1 -> r1, VI_2 -> r2, VI_3 -> r3). All VIPs end
# on the right routers. When r1 stops, only VI_1 moves (to r2, its next
# priority); VI_2 and VI_3 do not flap (checked on the wire).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 3
ADV=0.1
vips() { local b=$1 k; for k in 0 1 2 3 4; do echo "192.0.2.$((b + k))"; done; }
V1=$(vips 100) V2=$(vips 110) V3=$(vips 120)
# priority of router i in instance j
declare -A P=([1,1]=150 [2,1]=100 [3,1]=50 [1,2]=50 [2,2]=150 [3,2]=100 [1,3]=100 [2,3]=50 [3,3]=150)
for i in 1 2 3; do
	: >"$T/r$i.conf"
	for j in 1 2 3; do
		v="V$j"
		# shellcheck disable=SC2046 # one argument per VIP
		conf_instance "VI_$j" $((50 + j)) "${P[$i,$j]}" advert_int=$ADV -- $(printf '%s/24\n' ${!v}) >>"$T/r$i.conf"
	done
done
all_on() { # all_on HOST VIPS: every VIP on HOST only
	local v
	for v in $2; do _only "$1" "$v" || return 1; done
}
where() { local v; for v in $1; do printf '%s:%s ' "$v" "$(holders "$v" | tr ' ' ,)"; done; }
cap_start
for i in 1 2 3; do start_daemon "r$i" "$T/r$i.conf"; done
wait_until 10 all_on r1 "$V1" || fail "VI_1 VIPs not all on r1 only: $(where "$V1")"
wait_until 5 all_on r2 "$V2" || fail "VI_2 VIPs not all on r2 only: $(where "$V2")"
wait_until 5 all_on r3 "$V3" || fail "VI_3 VIPs not all on r3 only: $(where "$V3")"
log "VI_1 on r1, VI_2 on r2, VI_3 on r3 (5 VIPs each)"
client_ping 192.0.2.104 r1
client_ping 192.0.2.110 r2
client_ping 192.0.2.124 r3

tstop=$(now)
stop_daemon r1 TERM
for v in $V1 $V2 $V3; do assert_no_vip r1 "$v"; done
wait_until 5 all_on r2 "$V1" || fail "VI_1 VIPs did not all move to r2: $(where "$V1")"
all_on r2 "$V2" || fail "VI_2 VIPs moved: $(where "$V2")"
all_on r3 "$V3" || fail "VI_3 VIPs moved: $(where "$V3")"
tnew=$(wait_adv 192.0.2.2 "$tstop" 2 51) || fail "no VRID 51 advert from r2"
t0=$(adv_first 192.0.2.1 "$tstop" 51 "p == 0")
[ -n "$t0" ] && result "multi: VI_1 moved to r2 $(fcalc "$tnew - $t0") s after r1's priority-0 advert (Skew_Time $(skew $ADV 100) s)"
# Wire check since the stop: VRID 52 only from r2, 53 only from r3, and
# no priority-0 advert for 52/53 (r1 was backup there).
bad=$(adv_count "t > $tstop && ((vrid == 52 && src != \"192.0.2.2\") || (vrid == 53 && src != \"192.0.2.3\"))")
[ "$bad" = 0 ] || fail "$bad adverts for VRID 52/53 from a router that is not their master after r1 stopped"
client_ping 192.0.2.100 r2
client_ping 192.0.2.124 r3
log "only VI_1 moved"
