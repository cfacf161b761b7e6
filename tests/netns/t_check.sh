#!/bin/bash
# Built-in checks (issue 11 item 4): vrrp_check blocks run in vrrpd's event
# loop, no process. r1 (150) tracks three checks of services on the lab
# host c (192.0.2.10), each weight -60 (150 - 60 = 90 < r2's 100):
#   chk_tcp   tcp 192.0.2.10 8081       (a listener that is stopped)
#   chk_http  http://192.0.2.10:8080/health body ready   (python http.server;
#             the file's content changes to "draining")
#   chk_icmp  icmp 192.0.2.10           (echo requests dropped by nftables on c)
# Each failure moves the VIP to r2 within interval * fall (+ timeout) +
# r2's Master_Down_Interval (measured, bound generous); repaired, the VIP
# comes back (preempt). Throughout, r1's daemon starts no process:
# `vrrpctl stats` counts 0 processes started and the check runs, and
# strace -f -e trace=process, attached to it, sees no fork, clone or exec.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "vrrp_check is vrrpd's own (keepalived has no such block)"
PY=$(command -v python3) || skip "python3 is not installed (the lab's HTTP and TCP servers)"
CTL=$REPO/vrrpctl
[ -x "$CTL" ] || fail "no $CTL (run make)"
lab_create 2
ADV=0.1 IVL=0.2 TMO=0.15 FALL=2
MDI=$(mdi "$ADV" 100)
BOUND=$(fcalc "$IVL * $FALL + $TMO + $MDI + 1.0")

mkdir -p "$T/www"
echo ready >"$T/www/health"
# The HTTP server, and a bare TCP listener (accepts and closes).
ip netns exec "$(ns c)" "$PY" -m http.server -b 192.0.2.10 -d "$T/www" 8080 >"$T/http.log" 2>&1 &
BG_PIDS+=($!)
start_tcp() {
	ip netns exec "$(ns c)" "$PY" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.10", 8081)); s.listen(16)
while True:
    c, _ = s.accept(); c.close()' >"$T/tcp.log" 2>&1 &
	TCP_PID=$!
	BG_PIDS+=("$TCP_PID")
}
start_tcp
tcp_up() { inns r1 bash -c 'exec 3<>/dev/tcp/192.0.2.10/8081' 2>/dev/null; }
http_up() { inns r1 "$PY" -c 'import urllib.request as u; u.urlopen("http://192.0.2.10:8080/health", timeout=1)' 2>/dev/null; }
wait_until 10 tcp_up || fail "the TCP listener on c did not start: $(cat "$T/tcp.log")"
wait_until 10 http_up || fail "the HTTP server on c did not start: $(cat "$T/http.log")"

checks() {
	local k
	for k in "chk_tcp:tcp 192.0.2.10 8081" "chk_http:http http://192.0.2.10:8080/health body ready" \
		"chk_icmp:icmp 192.0.2.10"; do
		printf 'vrrp_check %s {\n    %s\n    interval %s\n    timeout %s\n    fall %s\n    rise 1\n    weight -60\n}\n' \
			"${k%%:*}" "${k#*:}" "$IVL" "$TMO" "$FALL"
	done
}
{
	checks
	conf_instance VI_1 51 150 advert_int=$ADV extra="track_script {\n    chk_tcp\n    chk_http\n    chk_icmp\n}" -- "$VIP/24"
} >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- "$VIP/24" >"$T/r2.conf"
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/dump.txt" 2>&1 || fail "vrrpd -t refused the file: $(cat "$T/dump.txt")"
grep -q "^vrrp_check chk_http {.*no process" "$T/dump.txt" || fail "vrrpd -t does not dump the vrrp_check block"
grep -q "http http://192.0.2.10:8080/health status 200 body ready" "$T/dump.txt" ||
	fail "vrrpd -t: the http check is not dumped with its default status"

pair_up r1 5 0.5
R1=${DPID[r1]}
# strace: fork / clone / exec of the daemon, from now on.
STRACE_PID=""
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=process -p "$R1" -o "$T/strace.txt" 2>"$T/strace.err" &
	STRACE_PID=$!
	BG_PIDS+=("$STRACE_PID")
	sleep 0.3
	_alive "$STRACE_PID" || { log "strace could not attach: $(cat "$T/strace.err")"; STRACE_PID=""; }
fi

# fail_and_measure NAME HOW REPAIR: breaks a service, measures until the VIP
# is on r2 only, repairs it and waits for the VIP to come back to r1.
fail_and_measure() {
	local name=$1 t0 dt
	t0=$(now)
	eval "$2"
	wait_only r2 "$VIP" 10 || fail "$name: the VIP did not move to r2: $(holders "$VIP")"
	dt=$(fcalc "$(now) - $t0")
	result "check: $name failure -> VIP on r2 after $dt s (interval $IVL, timeout $TMO, fall $FALL, Master_Down_Interval $MDI; bound $BOUND)"
	assert_le "$name: detection and takeover" "$dt" "$BOUND"
	assert_log r1 "check $name: now failing" "$name failing"
	eval "$3"
	wait_only r1 "$VIP" 10 || fail "$name: repaired, the VIP did not come back to r1: $(holders "$VIP")"
	assert_log r1 "check $name: now succeeding" "$name succeeding again"
}

# (ip netns exec execs python: $TCP_PID is the listener itself)
fail_and_measure chk_tcp 'kill "$TCP_PID"' 'start_tcp'
fail_and_measure chk_http 'echo draining >"$T/www/health"' 'echo ready >"$T/www/health"'
fail_and_measure chk_icmp \
	'inns c nft add table inet vt_icmp; inns c nft "add chain inet vt_icmp in { type filter hook input priority 0; }"; inns c nft add rule inet vt_icmp in icmp type echo-request drop' \
	'inns c nft delete table inet vt_icmp'

# No process: the daemon's own count, and strace.
"$CTL" -s "$T/r1.sock" stats >"$T/stats.txt" 2>&1 || fail "vrrpctl stats: $(cat "$T/stats.txt")"
line=$(grep '^PROCESSES:' "$T/stats.txt") || fail "vrrpctl stats shows no PROCESSES line: $(cat "$T/stats.txt")"
log "$line"
procs=$(sed -n 's/^PROCESSES: \([0-9]*\) started.*/\1/p' <<<"$line")
runs=$(sed -n 's/.*built-in checks: \([0-9]*\) runs.*/\1/p' <<<"$line")
[ "$procs" = 0 ] || fail "r1's daemon started $procs processes (expected none): $line"
[ "${runs:-0}" -ge 30 ] || fail "only ${runs:-0} check runs counted: $line"
result "check: r1 ran $runs built-in checks and started $procs processes"
if [ -n "$STRACE_PID" ]; then
	kill "$STRACE_PID" 2>/dev/null
	_wait_exit "$STRACE_PID" 3
	n=$(grep -cE '(clone|fork|vfork|execve)\(' "$T/strace.txt")
	[ "$n" = 0 ] || fail "strace saw $n process calls: $(grep -E 'clone|fork|execve' "$T/strace.txt" | head -3)"
	log "strace -f -e trace=process: no fork, clone or exec in r1's daemon"
else
	log "strace not used (not installed or cannot attach); the daemon's counter is the evidence"
fi
