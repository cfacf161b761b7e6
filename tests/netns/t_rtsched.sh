#!/bin/bash
# Real-time scheduling of the VRRP process (issue 9): vrrp_rt_priority 20,
# vrrp_rlimit_rttime 20000, vrrp_no_swap. The running daemon is SCHED_RR at
# priority 20 (chrt -p), its RLIMIT_RTTIME is 10000/20000 us (soft = half,
# /proc/PID/limits), its memory is locked (VmLck > 0), a notify command it
# starts is an ordinary SCHED_OTHER process (SCHED_RESET_ON_FORK), and it
# still elects and advertises on time. A reload that drops the keywords
# brings it back to SCHED_OTHER.
. "$(dirname "$0")/lib.sh"
require_root
command -v chrt >/dev/null || skip "chrt (util-linux) is not installed"
lab_create 1
ADV=0.1
chmod 0755 "$T"
mkdir -m 0755 "$T/bin"
printf '#!/bin/sh\nchrt -p $$ >>%s\n' "$T/child" >"$T/bin/sched.sh"
chmod 0755 "$T/bin/sched.sh"
write_conf() {
	{
		printf 'global_defs {\n    router_id r1\n    script_user root\n%b}\n' "$1"
		conf_instance VI_1 51 150 advert_int=$ADV extra="notify_master $T/bin/sched.sh" -- "$VIP/24"
	} >"$T/r1.conf"
}
write_conf "    vrrp_rt_priority 20\n    vrrp_rlimit_rttime 20000\n    vrrp_no_swap\n"
cap_start
start_daemon r1 "$T/r1.conf"
wait_vip r1 "$VIP" 3 || fail "r1 did not become master"
pid=$(_vrrp_pid r1)
pol=$(chrt -p "$pid")
log "chrt -p $pid: $(echo "$pol" | tr '\n' '|')"
echo "$pol" | grep -q "policy: SCHED_RR" || fail "the daemon is not SCHED_RR: $pol"
echo "$pol" | grep -q "priority: 20" || fail "the daemon's real-time priority is not 20: $pol"
lim=$(awk '/Max realtime timeout/ { print $4, $5 }' "/proc/$pid/limits")
[ "$lim" = "10000 20000" ] || fail "RLIMIT_RTTIME is '$lim', expected '10000 20000' (soft = half of vrrp_rlimit_rttime)"
lck=$(awk '/^VmLck:/ { print $2 }' "/proc/$pid/status")
if daemon_asan; then
	# ASan's runtime turns mlock/mlockall into no-ops (its shadow memory
	# is terabytes): nothing to judge
	log "ASan build: VmLck ${lck:-none} kB not judged (ASan makes mlockall a no-op)"
else
	[ "${lck:-0}" -gt 0 ] || fail "vrrp_no_swap: VmLck is ${lck:-none} kB"
fi
result "daemon: $(echo "$pol" | sed -n 's/.*policy: //p') priority $(echo "$pol" | sed -n 's/.*priority: //p'), RLIMIT_RTTIME $lim us, VmLck $lck kB"
wait_until 3 test -s "$T/child" || fail "the notify_master command did not run"
grep -q "policy: SCHED_OTHER" "$T/child" || fail "the notify command inherited real-time scheduling: $(cat "$T/child")"
log "notify command: $(tr '\n' '|' <"$T/child")"
# Adverts on time at real-time priority.
sleep 1
gap=$(adverts | awk '$4 == "192.0.2.1" && $8 > 0 { if (l != "" && $1 - l > m) m = $1 - l; l = $1 } END { printf "%.3f", m }')
result "largest advert gap at SCHED_RR: $gap s (advert_int $ADV)"
assert_le "advert gap at SCHED_RR" "$gap" "$(fcalc "1.5 * $ADV")"
# A reload without the keywords: SCHED_OTHER again.
write_conf ""
signal_daemon r1 HUP
wait_until 3 sh -c "chrt -p $pid | grep -q 'policy: SCHED_OTHER'" || fail "still $(chrt -p "$pid") after a reload without vrrp_rt_priority"
assert_log r1 "scheduling: SCHED_OTHER \(was SCHED_RR priority 20\)" "the way back to SCHED_OTHER"
assert_vip r1 "$VIP"
