#!/bin/bash
# heartbeat_path: a second path for the adverts (vrrpd's own). Two LANs:
# 192.0.2.0/24 on br0 (the VIP's, with the client) and 198.51.100.0/24 on
# br1 (routers only, eth1). r1 (priority 150) is master, r2 (100) backup,
# advert_int 0.1 s, both with heartbeat_path { interface eth1 }.
# (a) r1's port off br1 (path 2 cut): no transition on either router for
#     more than 3 x Master_Down_Interval; r2's status shows path 2 down and
#     path 1 up, and its log says so once; healed, path 2 is up again.
# (a2) r1's eth1 down instead: no transition, r2 shows path 2 down, and
#     r1's failed sends there are logged at most once (rate-limited).
# (b) r2's port off br0 (path 1 cut; the client still reaches r1): no
#     transition, the VIP stays on r1 and the client reaches it there; r2
#     shows path 1 down, path 2 up.
# (c) r1 off both bridges: r2 takes over; the takeover (r1's last advert
#     before the cut -> r2's first as master, on the wire) is at least
#     Master_Down_Interval and at most Master_Down_Interval + 0.2 s, and the
#     client reaches the VIP on r2.
# (d) both reloaded to a unicast second path (heartbeat_path { interface
#     eth1; unicast_peer { OTHER } }): the reload restarts VI_1 on each, r1
#     is master again; path 2 cut, no transition; both cut, r2 takes over
#     within the same bound.
# (e) the same over IPv6 (multicast to ff02::12 on eth1, from its
#     link-local address): either path cut, no transition; both, takeover.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
lab_lan2
ADV=0.1
MDI=$(mdi $ADV 100)
BOUND=$(fcalc "$MDI + 0.2")
CUT_FOR=$(fcalc "4 * $MDI" 2) # > 3 x Master_Down_Interval

# paths HOST: "STATE1 STATE2" of VI_1's paths in HOST's vrrpctl status.
paths() {
	"$REPO/vrrpctl" -s "$T/$1.sock" --json status | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]
print(" ".join(p["state"] for p in i["paths"]))'
}
_paths_are() { [ "$(paths "$1")" = "$2" ]; }
wait_paths() { wait_until "$3" _paths_are "$1" "$2" || fail "$1's paths are '$(paths "$1")', expected '$2' within $3 s"; }
# transitions HOST: VI_1's transition count.
transitions() {
	"$REPO/vrrpctl" -s "$T/$1.sock" --json status | python3 -c '
import json, sys
print(json.load(sys.stdin)["instances"][0]["transitions"])'
}
# no_transition WHAT: neither router moved since snapshot() was taken.
snapshot() { TR1=$(transitions r1) TR2=$(transitions r2); }
no_transition() {
	local a b
	a=$(transitions r1) b=$(transitions r2)
	if [ "$a" != "$TR1" ] || [ "$b" != "$TR2" ]; then
		fail "$1: transitions r1 $TR1 -> $a, r2 $TR2 -> $b (expected none)"
	fi
}

# cut_both_takeover KIND: r1 off both bridges; r2 must take over within
# the bound, measured on the wire (needs cap_start). Sets TAKE.
cut_both_takeover() {
	local kind=$1
	T_CUT=$(now)
	partition r1
	partition2 r1
	wait_vip r2 "$VIP" 5 || fail "$kind: r2 did not take $VIP after both paths were cut"
	T_NEW=$(wait_adv "$(adv_src r2)" "$T_CUT" 3) || fail "$kind: no advert from r2 after the cut"
	T_LAST=$(adv_last "$(adv_src r1)" "$T_CUT")
	[ -n "$T_LAST" ] || fail "$kind: no advert from r1 before the cut in the capture"
	TAKE=$(fcalc "$T_NEW - $T_LAST" 4)
	result "heartbeat_path ($kind): both paths cut, takeover $TAKE s (r1's last advert -> r2's first; Master_Down_Interval $MDI s, bound $BOUND s)"
	assert_ge "$kind: takeover after both paths were cut (not before Master_Down_Interval)" "$TAKE" "$(fcalc "$MDI - 0.02")"
	assert_le "$kind: takeover after both paths were cut" "$TAKE" "$BOUND"
}

# ---- multicast second path
pair_conf advert_int=$ADV "extra=heartbeat_path {\n    interface eth1\n}"
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t refused r1.conf: $(cat "$T/t.out")"
cap_start
pair_up r1 10 0.5
wait_paths r2 "up up" 3
n2=$(adv_count "port == \"qr1\" && src == \"198.51.100.1\" && dst == \"224.0.0.18\" && prio == 150")
[ "$n2" -ge 3 ] || fail "r1 sent $n2 adverts on the second path (eth1, from 198.51.100.1)"
log "r1's adverts on path 2 so far: $n2; r2's paths: $(paths r2)"
assert_log r1 "heartbeat_path on eth1" "the second path opened"

# (a) path 2 cut
snapshot
partition2 r1
log "(a) r1's port off br1 for $CUT_FOR s"
assert_stable r1 "$VIP" "$CUT_FOR"
no_transition "(a) path 2 cut"
[ "$(paths r2)" = "up down" ] || fail "(a) r2's paths are '$(paths r2)' with path 2 cut, expected 'up down'"
assert_log r2 "path 2 \(eth1\) is down: no advert from the master for [0-9.]+ s; the other path still carries them" "path 2 down"
n=$(grep -c "path 2 (eth1) is down" "${DLOG[r2]}")
[ "$n" = 1 ] || fail "(a) r2 logged path 2 down $n times, expected once"
"$REPO/vrrpctl" -s "$T/r2.sock" status >"$T/st.txt" || fail "vrrpctl status on r2"
grep -q "^VI_1: paths: 1 eth0 up (heard .*); 2 eth1 down (heard .*)" "$T/st.txt" || fail "(a) r2's status text: $(cat "$T/st.txt")"
"$REPO/vrrpctl" -s "$T/r2.sock" metrics >"$T/m.txt" || fail "vrrpctl metrics on r2"
grep -q '^vrrpd_path_up{instance="VI_1",interface="eth0",vrid="51",path="2",path_interface="eth1"} 0$' "$T/m.txt" ||
	fail "(a) r2's metrics: $(grep vrrpd_path "$T/m.txt")"
result "heartbeat_path (multicast): path 2 cut for $CUT_FOR s (> 3 x Master_Down_Interval $MDI s): 0 transitions; r2 shows path 2 down"
heal2 r1
wait_paths r2 "up up" 3
assert_log r2 "path 2 \(eth1\) is up again" "path 2 back"

# (a2) path 2 cut by its link: r1's eth1 down (sends fail there)
snapshot
ipn r1 link set eth1 down
assert_stable r1 "$VIP" "$CUT_FOR"
no_transition "(a2) r1's eth1 down"
[ "$(paths r2)" = "up down" ] || fail "(a2) r2's paths are '$(paths r2)' with r1's eth1 down, expected 'up down'"
n=$(grep -c "advert to 224.0.0.18 failed" "${DLOG[r1]}")
[ "$n" -le 1 ] || fail "(a2) r1 logged $n failed sends in $CUT_FOR s (rate-limited: at most 1)"
ipn r1 link set eth1 up
wait_paths r2 "up up" 3
result "heartbeat_path (multicast): r1's eth1 down for $CUT_FOR s: 0 transitions, $n failed-send log line(s)"

# (b) path 1 cut (between the routers; the client still reaches r1)
snapshot
partition r2
log "(b) r2's port off br0 for $CUT_FOR s"
assert_stable r1 "$VIP" "$CUT_FOR"
no_transition "(b) path 1 cut"
[ "$(paths r2)" = "down up" ] || fail "(b) r2's paths are '$(paths r2)' with path 1 cut, expected 'down up'"
assert_log r2 "path 1 \(eth0\) is down" "path 1 down"
client_ping "$VIP" r1
result "heartbeat_path (multicast): path 1 cut for $CUT_FOR s: 0 transitions, $VIP stays on r1"
heal r2
wait_paths r2 "up up" 3

# (c) both cut
cut_both_takeover multicast
client_ping "$VIP" r2
heal r1
heal2 r1
wait_master r1 "$VIP" 5

# ---- (d) unicast second path, by reload (a changed heartbeat_path
# restarts the instance): the backup first, then the master, which hands
# over with priority 0 and preempts again
pair_conf advert_int=$ADV "r1:extra=heartbeat_path {\n    interface eth1\n    unicast_peer {\n        198.51.100.2\n    }\n}" \
	"r2:extra=heartbeat_path {\n    interface eth1\n    unicast_peer {\n        198.51.100.1\n    }\n}"
for h in r2 r1; do
	"$REPO/vrrpctl" -s "$T/$h.sock" reload >"$T/reload.out" 2>&1 || fail "reload of $h failed: $(cat "$T/reload.out")"
	grep -q "0 instance(s) unchanged, 0 updated in place, 1 stopped, 1 started" "$T/reload.out" ||
		fail "reload of $h did not restart VI_1: $(cat "$T/reload.out")"
done
wait_master r1 "$VIP" 5
wait_paths r2 "up up" 3
T_RL=$(now)
wait_adv_count 3 2 "t > $T_RL && port == \"qr1\" && src == \"198.51.100.1\" && dst == \"198.51.100.2\" && prio == 150"
n2=$(adv_count "t > $T_RL && port == \"qr1\" && src == \"198.51.100.1\" && dst == \"198.51.100.2\" && prio == 150")
[ "$n2" -ge 3 ] || fail "(d) r1 sent $n2 unicast adverts to 198.51.100.2 on the second path"
snapshot
partition2 r1
assert_stable r1 "$VIP" "$CUT_FOR"
no_transition "(d) unicast path 2 cut"
[ "$(paths r2)" = "up down" ] || fail "(d) r2's paths are '$(paths r2)' with path 2 cut, expected 'up down'"
result "heartbeat_path (unicast): path 2 cut for $CUT_FOR s: 0 transitions"
heal2 r1
wait_paths r2 "up up" 3
cut_both_takeover unicast
heal r1
heal2 r1
stop_daemon r1
stop_daemon r2

# ---- (e) IPv6: the second path's adverts from eth1's link-local address
lab_ipv6
# shellcheck disable=SC2034 # VIP_PREFIX: read by pair_conf (lib.sh)
VIP=2001:db8::100 VIP_PREFIX=64
pair_conf advert_int=$ADV "extra=heartbeat_path {\n    interface eth1\n}"
T_V6=$(now)
pair_up r1 10 0.5
wait_paths r2 "up up" 3
ll1=$(ipn r1 -6 -br addr show dev eth1 scope link | awk '{ sub(/\/.*/, "", $3); print $3 }')
[ -n "$ll1" ] || fail "(e) r1's eth1 has no link-local address"
n2=$(adv_count "t > $T_V6 && port == \"qr1\" && src == \"$ll1\" && dst == \"ff02::12\" && prio == 150")
[ "$n2" -ge 3 ] || fail "(e) r1 sent $n2 IPv6 adverts from $ll1 on the second path"
snapshot
partition2 r1
assert_stable r1 "$VIP" "$CUT_FOR"
no_transition "(e) IPv6 path 2 cut"
[ "$(paths r2)" = "up down" ] || fail "(e) r2's paths are '$(paths r2)' with path 2 cut, expected 'up down'"
heal2 r1
wait_paths r2 "up up" 3
snapshot
partition r2
assert_stable r1 "$VIP" "$CUT_FOR"
no_transition "(e) IPv6 path 1 cut"
heal r2
wait_paths r2 "up up" 3
result "heartbeat_path (IPv6): either path cut for $CUT_FOR s: 0 transitions"
cut_both_takeover IPv6
