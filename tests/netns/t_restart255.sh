#!/bin/bash
# Restart without failover at scale (issue 11 item 5): 255 masters on r1
# (advert_int $RESTART_ADV, default 1 s), r2 their backup. `vrrpctl
# restart`: every master resumes, r1 never holds fewer than 255 VIPs
# (polled), r2 makes no transition, no priority-0 advert, and the largest
# advert gap of r1 over the 255 VRIDs is reported and stays below 1.5 x
# advert_int.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "vrrpctl restart is vrrpd's"
lab_create 2
ADV=${RESTART_ADV:-1}
for h in r1 r2; do
	p=150
	[ "$h" = r2 ] && p=100
	for i in $(seq 1 255); do
		if [ "$i" -le 254 ]; then vip=203.0.113.$i; else vip=198.51.100.254; fi
		conf_instance "E$i" "$i" "$p" advert_int="$ADV" -- "$vip/32"
	done >"$T/$h.conf"
done
count() { ipn "$1" -br addr show dev eth0 | grep -o -E '(203\.0\.113|198\.51\.100)\.[0-9]+/32' | wc -l; }
all_up() { [ "$(count r1)" -ge 255 ] && [ "$(count r2)" = 0 ]; }
cap_start
start_daemon r2 "$T/r2.conf"
start_daemon r1 "$T/r1.conf"
PID1=${DPID[r1]}
wait_until 30 all_up || fail "r1 holds $(count r1) of 255 VIPs, r2 $(count r2)"
# The start in one line (settle.c): r1's 255 masters by their
# Master_Down_Interval, r2's 255 backups having heard them.
wait_until 5 grep -q "start: 255 instance(s) settled" "${DLOG[r1]}" || fail "r1 did not log how its start went"
line=$(grep -o "start: 255 instance(s) settled.*" "${DLOG[r1]}")
grep -q "255 master by its Master_Down_Interval, [0-9.]* ms late at the worst (E[0-9]*)" <<<"$line" ||
	fail "r1's start line is not as expected: $line"
wait_until 5 grep -q "start: 255 instance(s) settled .* none by its Master_Down_Interval (255 heard a master" "${DLOG[r2]}" ||
	fail "r2's start line is not as expected: $(grep "start:" "${DLOG[r2]}")"
result "start of 255 instances (adv $ADV): r1 ${line#*: }"
sleep "$(fcalc "3 * $ADV + 1")"
poll() {
	local i
	for ((i = 0; i < 3000; i++)); do
		[ -e "$T/poll.stop" ] && break
		printf '%s %s\n' "$(now)" "$(count r1)"
		sleep 0.005
	done >"$T/poll.txt"
}
poll &
POLLER=$!
BG_PIDS+=("$POLLER")
r2_lines=$(wc -l <"${DLOG[r2]}")
sleep 0.5
t0=$(now)
ip netns exec "$(ns r1)" "$REPO/vrrpctl" -s "$T/r1.sock" restart >"$T/out" 2>"$T/err" ||
	fail "vrrpctl restart failed: $(cat "$T/err")"
log "$(cat "$T/out")"
grep -q "^restarted (pid $PID1): 255 of 255 master(s) resumed" "$T/out" || fail "unexpected answer: $(cat "$T/out")"
sleep "$(fcalc "3 * $ADV + 1")"
t1=$(now)
: >"$T/poll.stop"
wait "$POLLER"
min=$(awk 'NR == 1 || $2 < m { m = $2 } END { print m + 0 }' "$T/poll.txt")
[ "$min" = 255 ] || fail "r1 held only $min of 255 VIPs at some point"
tr2=$(tail -n +"$((r2_lines + 1))" "${DLOG[r2]}" | grep -c -E ': [A-Z]+ -> [A-Z]+ \(')
[ "$tr2" = 0 ] || fail "r2 made $tr2 transition(s)"
p0=$(adv_count "prio == 0")
[ "$p0" = 0 ] || fail "$p0 priority-0 advert(s) captured"
read -r gap vrid nv <<<"$(adverts | awk -v a="$t0" -v b="$t1" '$4 == "192.0.2.1" && $1 > a - 2 * '"$ADV"' && $1 < b {
	if (($7) in last) { g = $1 - last[$7]; if (g > max) { max = g; at = $7 } } last[$7] = $1; n[$7]++ }
	END { c = 0; for (v in n) c++; printf "%.3f %s %d", max, at, c }')"
[ "$nv" -ge 255 ] || fail "captured adverts of only $nv VRIDs"
ho=$(sed -n 's/.*handover \([0-9.]*\) ms.*/\1/p' "$T/out")
result "restart255: 255 masters at advert_int $ADV s resumed in $ho ms; largest advert gap $gap s (VRID $vrid, $(fcalc "$gap / $ADV") x); min VIPs held $min; r2 0 transitions; 0 priority-0 adverts"
assert_le "largest advert gap across the restart" "$gap" "$(fcalc "1.5 * $ADV")"
cap_stop
