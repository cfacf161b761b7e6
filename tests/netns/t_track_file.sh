#!/bin/bash
# track_file (issue 9): r1 (150) tracks a file holding a number (weight 1,
# so the number is added to its priority; init_file writes 0 at start). A
# new file holding -60 is renamed over it: inotify on the directory tells
# r1 at once, it drops to 90 and advertises 90; r2 (100, preempting)
# ignores that lower advert (RFC 5798 6.4.2) and takes over when its
# Master_Down_Timer expires. The bound is Master_Down_Interval after r1's
# last advert at 150, which came before the rename: advert_int 0.02 gives
# 3 * 0.02 + skew(100) = 72 ms, and the VIP must move within 100 ms of the
# rename (measured from just before mv to r2's first advert in the capture).
# Writing 0 in place (close after write) brings r1 back; deleting the file
# counts as 0.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 2
ADV=0.02
F=$T/state/r1.prio
mkdir -p "$T/state"
echo 42 >"$F" # init_file ... overwrite replaces it
{
	cat <<CONF
track_file prio {
    file $F
    weight 1
    init_file 0 overwrite
}
CONF
	conf_instance VI_1 51 150 advert_int=$ADV extra="track_file {\n    prio\n}" -- 192.0.2.100/24
} >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- 192.0.2.100/24 >"$T/r2.conf"

cap_start
pair_up r1 5 0.3
[ "$(cat "$F")" = 0 ] || fail "init_file 0 overwrite left '$(cat "$F")' in the file"
adv_count '$4 == "192.0.2.1" && prio != 150' | grep -qx 0 || fail "r1 advertised another priority than 150 + 0"

echo -60 >"$F.new"
# Measured from just before mv: vrrpd often reacts before mv has returned.
t0=$(now)
mv "$F.new" "$F"
tmv=$(now)
wait_vip r2 192.0.2.100 2 || fail "r2 did not take over after the file was rewritten: $(holders 192.0.2.100)"
wait_no_vip r1 192.0.2.100 2 || fail "r1 kept the VIP"
t90=$(wait_adv 192.0.2.1 "$t0" 2 51 "p == 90") || fail "r1 never advertised its priority 150 - 60"
t2=$(wait_adv 192.0.2.2 "$t0" 2 51 "p == 100") || fail "no advert of r2 after the rewrite in the capture"
last=$(adv_last 192.0.2.1 "$t0" 51)
bound=$(mdi "$ADV" 100)
result "track_file: r1 advertised 90 $(fcalc "($t90 - $t0) * 1000" 1) ms after mv started (mv took $(fcalc "($tmv - $t0) * 1000" 1) ms)"
result "track_file: r2 master (first advert) $(fcalc "($t2 - $t0) * 1000" 1) ms after mv started; bound: Master_Down_Interval $(fcalc "$bound * 1000" 1) ms after r1's last advert at 150, which was $(fcalc "($t0 - $last) * 1000" 1) ms before it"
assert_le "r1's advert at its lowered priority after the rename (s)" "$(fcalc "$t90 - $t0")" 0.03
assert_le "VIP move after the file was rewritten (s)" "$(fcalc "$t2 - $t0")" 0.1
assert_log r1 "track_file prio: 0 -> -60" "the new value"

# Written in place: back to 0, r1 preempts back.
echo 0 >"$F"
wait_only r1 192.0.2.100 2 || fail "r1 did not take the VIP back after writing 0: $(holders 192.0.2.100)"
# Deleted: counts as 0 (no change).
rm -f "$F"
sleep 0.2
assert_only r1 192.0.2.100
echo -200 >"$F" # 150 - 200: not a FAULT (above -254), the priority clamps to 1
wait_only r2 192.0.2.100 2 || fail "r2 did not take over at r1's priority 1: $(holders 192.0.2.100)"
wait_adv 192.0.2.1 "$t2" 2 51 "p == 1" >/dev/null || fail "r1 did not advertise priority 1"
echo -254 >"$F" # value * weight of -254 or less: FAULT (keepalived's rule)
wait_until 2 grep -q "FAULT" "${DLOG[r1]}" || fail "a value of -254 did not put r1 in FAULT"
assert_log r1 "track_file prio holds -254" "the FAULT's reason"
log "in place 0 -> r1; deleted = 0; -200 -> priority 1; -254 -> FAULT"
stop_daemon r1
stop_daemon r2
