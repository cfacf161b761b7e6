#!/bin/bash
# Restart without failover (issue 11 item 5): `vrrpctl restart` re-executes
# vrrpd in place (same PID) and every master whose configuration did not
# change resumes: r1 keeps every VIP the whole time (polled), r2 makes no
# transition, no priority-0 advert is sent, and r1's largest advert gap per
# VRID stays below 1.5 x advert_int (measured, reported). Also after the
# binary file was replaced (the upgrade path); an execve that fails leaves
# the old process running, VIPs in place; a configuration with errors is
# refused; an instance whose priority changed starts normally while the
# others resume.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "vrrpctl restart is vrrpd's"
lab_create 2
CTL=$REPO/vrrpctl
N=20 FAST=0.1 SLOW=1
write_conf() { # write_conf HOST PRIO [PRIO-OF-F3]
	{
		for i in $(seq 1 "$N"); do
			p=$2
			[ "$i" = 3 ] && p=${3:-$2}
			conf_instance "F$i" "$i" "$p" advert_int=$FAST -- "203.0.113.$i/32"
		done
		conf_instance S1 100 "$2" advert_int=$SLOW -- "198.51.100.100/32"
	} >"$T/$1.conf"
}
write_conf r1 150
write_conf r2 100
NV=$((N + 1))
count_vips() { ipn r1 -br addr show dev eth0 | grep -o -E '(203\.0\.113|198\.51\.100)\.[0-9]+/32' | wc -l; }
r2_vips() { ipn r2 -br addr show dev eth0 | grep -o -E '(203\.0\.113|198\.51\.100)\.[0-9]+/32' | wc -l; }
all_up() { [ "$(count_vips)" -ge "$NV" ] && [ "$(r2_vips)" = 0 ]; }

# r1 runs a copy of the binary, which the test replaces.
mkdir -p "$T/bin"
cp "$REPO/vrrpd" "$T/bin/vrrpd"
cap_start
start_daemon r2 "$T/r2.conf"
VRRPD_TEST_DAEMON=$T/bin/vrrpd start_daemon r1 "$T/r1.conf"
PID1=${DPID[r1]}
wait_until 15 all_up || fail "r1 holds $(count_vips) of $NV VIPs, r2 $(r2_vips)"
sleep 1.5

# Polls r1's VIPs every few ms, in the background, until $T/poll.stop.
poll_vips() {
	local i
	for ((i = 0; i < 5000; i++)); do
		[ -e "$T/poll.stop" ] && break
		printf '%s %s\n' "$(now)" "$(count_vips)"
		sleep 0.005
	done >"$T/poll.txt"
}
poll_vips &
POLLER=$!
BG_PIDS+=("$POLLER")
r2_lines=$(wc -l <"${DLOG[r2]}")
t_first=$(now)

# restart HOW: vrrpctl restart on r1; its answer in $T/out.
restart() {
	ip netns exec "$(ns r1)" "$CTL" -s "$T/r1.sock" restart >"$T/out" 2>"$T/err"
	RC=$?
	log "vrrpctl restart ($1): rc $RC: $(cat "$T/out" "$T/err")"
}
restart "same binary"
[ "$RC" = 0 ] || fail "vrrpctl restart failed: $(cat "$T/err")"
grep -q "^restarted (pid $PID1): $NV of $NV master(s) resumed" "$T/out" || fail "unexpected answer: $(cat "$T/out")"
daemon_running r1 || fail "r1's vrrpd is gone"
sleep 2.5

# The upgrade path: a new file renamed over the old one (the running
# process's /proc/self/exe now points at a deleted inode).
cp "$REPO/vrrpd" "$T/bin/vrrpd.new"
mv -f "$T/bin/vrrpd.new" "$T/bin/vrrpd"
restart "replaced binary"
[ "$RC" = 0 ] || fail "vrrpctl restart after replacing the binary failed: $(cat "$T/err")"
grep -q "^restarted (pid $PID1): $NV of $NV master(s) resumed" "$T/out" || fail "unexpected answer: $(cat "$T/out")"
ls -l "/proc/$PID1/exe" | grep -q deleted && fail "r1 still runs the deleted binary"
sleep 2.5

# An execve that fails (not an executable format): the old process goes on.
printf 'not a program\n' >"$T/bin/vrrpd.bad"
chmod 755 "$T/bin/vrrpd.bad"
mv -f "$T/bin/vrrpd" "$T/bin/vrrpd.good"
mv -f "$T/bin/vrrpd.bad" "$T/bin/vrrpd"
restart "broken binary"
[ "$RC" = 1 ] || fail "restart with a broken binary: rc $RC, expected 1"
grep -q "restart failed: cannot execute .*; still running" "$T/err" || fail "unexpected answer: $(cat "$T/err")"
mv -f "$T/bin/vrrpd.good" "$T/bin/vrrpd"
# A configuration with errors is refused before anything happens.
cp "$T/r1.conf" "$T/r1.conf.good"
printf 'vrrp_instance BAD {\n    virtual_router_id 300\n}\n' >>"$T/r1.conf"
restart "bad configuration"
[ "$RC" = 1 ] || fail "restart with a bad configuration: rc $RC, expected 1"
grep -q "not restarting" "$T/err" || fail "unexpected answer: $(cat "$T/err")"
mv -f "$T/r1.conf.good" "$T/r1.conf"
sleep 1.5
daemon_running r1 || fail "r1's vrrpd is gone"
ip netns exec "$(ns r1)" "$CTL" -s "$T/r1.sock" status >"$T/st" 2>&1 || fail "r1 does not answer after the failed restarts: $(cat "$T/st")"
t_last=$(now)
: >"$T/poll.stop"
wait "$POLLER"

# ---- what the three restarts did
min=$(awk 'NR == 1 || $2 < m { m = $2 } END { print m + 0 }' "$T/poll.txt")
polls=$(wc -l <"$T/poll.txt")
[ "$polls" -ge 50 ] || fail "only $polls polls of r1's addresses"
[ "$min" = "$NV" ] || fail "r1 held only $min of $NV VIPs at some point: $(awk -v n="$NV" '$2 < n' "$T/poll.txt" | head -5)"
new2=$(tail -n +"$((r2_lines + 1))" "${DLOG[r2]}")
tr2=$(printf '%s\n' "$new2" | grep -c -E ': [A-Z]+ -> [A-Z]+ \(')
[ "$tr2" = 0 ] || fail "r2 made $tr2 transition(s): $(printf '%s\n' "$new2" | grep -E ' -> ')"
p0=$(adv_count "prio == 0")
[ "$p0" = 0 ] || fail "$p0 priority-0 advert(s) captured"
[ "$(grep -c 'resumed F7 as master (handover' "${DLOG[r1]}")" = 2 ] || fail "r1 did not log 'resumed F7 as master' twice"
grep -q 'restart failed: cannot execute' "${DLOG[r1]}" || fail "the failed execve is not in r1's log"
# Largest gap between two adverts of r1 per VRID, fast and slow apart.
gaps() { # gaps VRID-TEST
	adverts | awk -v a="$t_first" -v b="$t_last" '$4 == "192.0.2.1" && $1 > a - 1 && $1 < b && ('"$1"') {
		if (($7) in last) { g = $1 - last[$7]; if (g > max) { max = g; at = $7 } } last[$7] = $1 }
		END { printf "%.3f %s", max, at }'
}
read -r gf vf <<<"$(gaps '$7 <= 20')"
read -r gs _ <<<"$(gaps '$7 == 100')"
ho=$(sed -n 's/.*resumed F1 as master (handover \([0-9.]*\) ms).*/\1/p' "${DLOG[r1]}" | tr '\n' ' ')
result "restart: $NV masters kept every VIP ($polls polls, min $min), r2 0 transitions, 0 priority-0 adverts; largest advert gap $gf s (VRID $vf) at advert_int $FAST, $gs s at advert_int $SLOW; handover $ho ms"
assert_le "largest advert gap at advert_int $FAST" "$gf" "$(fcalc "1.5 * $FAST")"
assert_le "largest advert gap at advert_int $SLOW" "$gs" "$(fcalc "1.5 * $SLOW")"

# ---- a changed instance starts normally, the others resume
write_conf r1 150 140
restart "F3's priority changed"
[ "$RC" = 0 ] || fail "vrrpctl restart failed: $(cat "$T/err")"
grep -q "^restarted (pid $PID1): $N of $NV master(s) resumed" "$T/out" || fail "unexpected answer: $(cat "$T/out")"
grep -q "F3 was master before the restart; starting normally: its configuration changed" "${DLOG[r1]}" ||
	fail "no 'F3 ... starting normally' in r1's log"
wait_until 5 all_up || fail "after the restart r1 holds $(count_vips) of $NV VIPs, r2 $(r2_vips)"
cap_stop
