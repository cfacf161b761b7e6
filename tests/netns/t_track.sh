#!/bin/bash
# Tracking scripts (issue 3): a check that fails on the master lowers its
# priority (weight -60) and the VIP moves; recovery moves it back (preempt);
# script weights decide between two backups; a hanging script is killed at
# its timeout while adverts keep their rhythm.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 3
ADV=0.1
touch "$T/r1.ok" "$T/r2.ok" "$T/r3.ok"
write_conf() { # write_conf HOST PRIO WEIGHT [EXTRA-SCRIPT]
	{
		cat <<CONF
global_defs {
    script_user root
}
vrrp_script chk {
    script "/usr/bin/test -e $T/$1.ok"
    interval 0.2
    timeout 1
    fall 1
    rise 1
    weight $3
}
vrrp_script hang {
    script "/bin/sleep 30"
    interval 1
    timeout 0.5
    weight -1
}
CONF
		conf_instance VI_1 51 "$2" advert_int=$ADV extra="track_script {\n    chk\n    ${4:-}\n}" -- 192.0.2.100/24
	} >"$T/$1.conf"
}

# 1. r1 (150) master; its check fails: 150 - 60 = 90 < r2's 100.
write_conf r1 150 -60
write_conf r2 100 -60
cap_start
pair_up r1 5
tfail=$(now)
rm -f "$T/r1.ok"
wait_only r2 192.0.2.100 5 || fail "r1's failing check did not move the VIP to r2: $(holders 192.0.2.100)"
result "track: VIP on r2 $(fcalc "$(now) - $tfail") s after r1's check started failing (interval 0.2, fall 1, advert_int $ADV)"
assert_log r1 "script chk: now failing" "the failing check"
adverts | awk '$4 == "192.0.2.1" && $8 == 90 { f = 1 } END { exit !f }' ||
	fail "r1 never advertised its effective priority 90"
touch "$T/r1.ok"
wait_only r1 192.0.2.100 5 || fail "r1's recovered check did not bring the VIP back: $(holders 192.0.2.100)"
assert_log r1 "script chk: now succeeding" "the recovered check"
log "check failed -> VIP to r2; recovered -> back to r1"
stop_daemon r1
stop_daemon r2

# 2. Weights decide between backups: r1 200 master; r2 100 + 20 = 120 beats
#    r3 110 when r1 dies.
write_conf r1 200 0
write_conf r2 100 20
write_conf r3 110 0
start_daemon r1 "$T/r1.conf"
start_daemon r2 "$T/r2.conf"
start_daemon r3 "$T/r3.conf"
wait_only r1 192.0.2.100 5 || fail "r1 (200) did not become master"
stop_daemon r1 KILL # kill -9 leaves r1's VIP behind: look at r2 and r3 only
wait_vip r2 192.0.2.100 5 || fail "r2 (100 + 20) did not take over: $(holders 192.0.2.100)"
sleep 0.5
has_vip r3 192.0.2.100 && fail "r3 (110) took the VIP although r2 has 100 + 20"
has_vip r2 192.0.2.100 || fail "r2 lost the VIP: $(holders 192.0.2.100)"
log "weights: r2 (100 + 20) won over r3 (110)"
stop_daemon r2
stop_daemon r3
ipn r1 addr del 192.0.2.100/24 dev eth0

# 3. A hanging script is killed at its timeout; adverts stay on time.
write_conf r1 150 -60 hang
start_daemon r1 "$T/r1.conf"
wait_vip r1 192.0.2.100 5 || fail "r1 did not become master with the hanging script"
t3=$(now)
wait_until 5 grep -q "script hang: still running after 0.5 s; killing it" "${DLOG[r1]}" ||
	fail "the hanging script was not killed at its timeout"
sleep 1.5
gap=$(adverts | awk -v t="$t3" '$4 == "192.0.2.1" && $1 > t {
	if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f", max }')
result "track: largest advert gap while a script hung and was killed: $gap s (advert_int $ADV)"
assert_le "advert gap while a script hangs" "$gap" "$(fcalc "1.5 * $ADV")"
# No zombie or leftover sleep from the killed script.
leftover=$(ip netns pids "$(ns r1)" | while read -r p; do
	[ "$(cat /proc/"$p"/comm 2>/dev/null)" = sleep ] && echo "$p"; done | wc -l)
[ "$leftover" -le 1 ] || fail "$leftover sleep processes left from the killed script"
cap_stop
