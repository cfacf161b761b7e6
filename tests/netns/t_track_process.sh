#!/bin/bash
# vrrp_track_process (issue 9): r1 (150) tracks a process (a sleep with a
# distinctive argument, started in r1's namespace before vrrpd, so the
# start-up /proc scan must find it) with weight -60. The process is killed:
# the proc connector's exit event drops r1 to 90 at once and r1 advertises
# 90; r2 (100, preempting) ignores that lower advert (RFC 5798 6.4.2) and
# takes over when its Master_Down_Timer expires. What bounds the move is
# therefore Master_Down_Interval counted from r1's last advert at 150,
# which came before the exit: advert_int 0.02 gives 3 * 0.02 + skew(100)
# = 72 ms, and the VIP must move within 100 ms of the exit (measured from
# the kill's return to r2's first advert in the capture). A new process
# restores the quorum: r1 preempts back.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 2
ADV=0.02
ARG="86399.$$$RANDOM" # sleep's argument: only our process matches
# Processes are the host's, whatever the network namespace: only r1 tracks.
{
	cat <<CONF
vrrp_track_process daemon {
    process sleep $ARG
    weight -60
}
CONF
	conf_instance VI_1 51 150 advert_int=$ADV extra="track_process {\n    daemon\n}" -- 192.0.2.100/24
} >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- 192.0.2.100/24 >"$T/r2.conf"
start_proc() {
	ip netns exec "$(ns r1)" sleep "$ARG" </dev/null >/dev/null 2>&1 &
	PROC=$!
	BG_PIDS+=("$PROC")
}

start_proc
cap_start
pair_up r1 5 0.3
assert_log r1 "vrrp_track_process daemon: quorum gained \(1 running" "the start-up scan"

# The exit: measured from just before the kill (an upper bound: the
# process dies within a millisecond of it).
t0=$(now)
kill -TERM "$PROC"
wait "$PROC" 2>/dev/null
treap=$(now)
wait_vip r2 192.0.2.100 2 || fail "r2 did not take over after the tracked process exited: $(holders 192.0.2.100)"
wait_no_vip r1 192.0.2.100 2 || fail "r1 kept the VIP"
t90=$(wait_adv 192.0.2.1 "$t0" 2 51 "p == 90") || fail "r1 never advertised its lowered priority 90"
t2=$(wait_adv 192.0.2.2 "$t0" 2 51 "p == 100") || fail "no advert of r2 after the exit in the capture"
last=$(adv_last 192.0.2.1 "$t0" 51)
bound=$(mdi "$ADV" 100)
react=$(fcalc "($t90 - $t0) * 1000" 1)
move=$(fcalc "($t2 - $t0) * 1000" 1)
result "track_process: r1 advertised 90 $react ms after the tracked process's exit (the kill was sent at 0, the process reaped at $(fcalc "($treap - $t0) * 1000" 1) ms)"
result "track_process: r2 master (first advert) $move ms after the exit; bound: Master_Down_Interval $(fcalc "$bound * 1000" 1) ms after r1's last advert at 150, which was $(fcalc "($t0 - $last) * 1000" 1) ms before the exit"
assert_le "r1's advert at its lowered priority after the exit (s)" "$(fcalc "$t90 - $t0")" 0.03
assert_le "VIP move after the tracked process exited (s)" "$(fcalc "$t2 - $t0")" 0.1
assert_log r1 "vrrp_track_process daemon: quorum lost \(0 running" "the exit"

# A new process: r1 counts it (exec event) and preempts back.
start_proc
wait_only r1 192.0.2.100 2 || fail "r1 did not take the VIP back when the process ran again: $(holders 192.0.2.100)"
log "process back -> r1 master again"
kill -TERM "$PROC"
wait "$PROC" 2>/dev/null
stop_daemon r1
stop_daemon r2
