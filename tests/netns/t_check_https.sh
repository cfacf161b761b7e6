#!/bin/bash
# The https check (vrrp_check { https URL }): a GET over TLS in vrrpd's
# event loop, no process. The lab host c (192.0.2.10) serves HTTPS on 8443
# (python3's http.server wrapped in ssl) with a self-signed certificate
# made here by `openssl req -x509` for IP 192.0.2.10. r1 (150) tracks:
#   chk_https  https://192.0.2.10:8443/health body ready, verify on,
#              ca_file = that certificate          weight -100
#   chk_noca   the same without ca_file (the system's CA store, which
#              does not hold a self-signed certificate)   weight -10
# so r1 is master at 140 > r2's 100 while chk_https succeeds:
#   (a) chk_https succeeds (it never logs a failure) and r1 keeps the VIP;
#   (c) chk_noca fails, and the log says the certificate could not be
#       verified ("certificate verify failed: self-signed certificate");
#   (b) the server stopped (by PID), chk_https fails (40 < 100): the VIP is
#       on r2 within interval * fall + timeout + Master_Down_Interval;
#       started again, the VIP comes back;
#   (d) a reload giving chk_noca "verify off" builds its context anew: it
#       succeeds (effective priority 150); a reload with a missing ca_file
#       is refused at its file:line:col, the running configuration kept.
# vrrpd -t refuses a ca_file that does not exist, at its file:line:col.
# Throughout, r1's daemon starts no script or check process (`vrrpctl stats`),
# and strace -f -e trace=process sees no fork or exec until the reloads (each
# reload parses in a forked child).
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "vrrp_check is vrrpd's own (keepalived has no such block)"
PY=$(command -v python3) || skip "python3 is not installed (the lab's HTTPS server)"
OPENSSL=$(command -v openssl) || skip "openssl is not installed (the lab's certificate)"
CTL=$REPO/vrrpctl
[ -x "$CTL" ] || fail "no $CTL (run make)"
lab_create 2
ADV=0.1 IVL=0.2 TMO=0.3 FALL=2
MDI=$(mdi "$ADV" 100)
BOUND=$(fcalc "$IVL * $FALL + $TMO + $MDI + 1.0")

mkdir -p "$T/www" "$T/pki"
echo ready >"$T/www/health"
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-keyout "$T/pki/key.pem" -out "$T/pki/cert.pem" -subj /CN=lab.example \
	-addext "subjectAltName=DNS:lab.example,IP:192.0.2.10" >"$T/openssl.log" 2>&1 ||
	fail "openssl req: $(cat "$T/openssl.log")"

start_https() {
	ip netns exec "$(ns c)" "$PY" -c '
import functools, http.server, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("192.0.2.10", 8443), h)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
s.serve_forever()' "$T/www" "$T/pki/cert.pem" "$T/pki/key.pem" >>"$T/https.log" 2>&1 &
	HTTPS_PID=$! # ip netns exec execs python: this is the server itself
	BG_PIDS+=("$HTTPS_PID")
}
https_up() {
	inns r1 "$PY" -c '
import ssl, sys, urllib.request as u
ctx = ssl.create_default_context(cafile=sys.argv[1])
u.urlopen("https://192.0.2.10:8443/health", timeout=1, context=ctx)' "$T/pki/cert.pem" 2>/dev/null
}
start_https
wait_until 10 https_up || fail "the HTTPS server on c did not start: $(cat "$T/https.log")"

check() { # NAME WEIGHT EXTRA-LINES
	printf 'vrrp_check %s {\n    https https://192.0.2.10:8443/health body ready\n%b    interval %s\n    timeout %s\n    fall %s\n    rise 1\n    weight %s\n}\n' \
		"$1" "$3" "$IVL" "$TMO" "$FALL" "$2"
}
{
	check chk_https -100 "    verify on\n    ca_file $T/pki/cert.pem\n"
	check chk_noca -10 ""
	conf_instance VI_1 51 150 advert_int=$ADV extra="track_script {\n    chk_https\n    chk_noca\n}" -- "$VIP/24"
} >"$T/r1.conf"
conf_instance VI_1 51 100 advert_int=$ADV -- "$VIP/24" >"$T/r2.conf"
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/dump.txt" 2>&1 || fail "vrrpd -t refused the file: $(cat "$T/dump.txt")"
grep -q "https https://192.0.2.10:8443/health status 200 body ready" "$T/dump.txt" ||
	fail "vrrpd -t does not dump the https check: $(cat "$T/dump.txt")"

# A ca_file that does not exist: refused by vrrpd -t, at its line and column.
sed "s|ca_file $T/pki/cert.pem|ca_file $T/pki/none.pem|" "$T/r1.conf" >"$T/bad.conf"
if "$REPO/vrrpd" -t -f "$T/bad.conf" >"$T/bad.txt" 2>&1; then
	fail "vrrpd -t accepted a ca_file that does not exist"
fi
grep -q "bad.conf:4:13: cannot load the CA file '$T/pki/none.pem': No such file or directory" "$T/bad.txt" ||
	fail "vrrpd -t: no file:line:col error for the missing ca_file: $(cat "$T/bad.txt")"

pair_up r1 5 0.5
R1=${DPID[r1]}
STRACE_PID=""
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=process -p "$R1" -o "$T/strace.txt" 2>"$T/strace.err" &
	STRACE_PID=$!
	BG_PIDS+=("$STRACE_PID")
	sleep 0.3
	_alive "$STRACE_PID" || { log "strace could not attach: $(cat "$T/strace.err")"; STRACE_PID=""; }
fi

# (a) and (c): r1 is master at 140; chk_noca failed, saying why.
assert_stable r1 "$VIP" 1
wait_until 5 grep -q "check chk_noca: now failing" "${DLOG[r1]}" ||
	fail "chk_noca (no ca_file, a self-signed certificate) did not fail"
assert_log r1 "check chk_noca: now failing \(certificate verify failed: self-signed certificate\)" \
	"that the certificate could not be verified"
grep -q "check chk_https: now failing" "${DLOG[r1]}" &&
	fail "chk_https failed with its ca_file: $(grep 'chk_https' "${DLOG[r1]}" | head -3)"
log "chk_https succeeds with ca_file; chk_noca: $(grep -o 'check chk_noca: now failing.*' "${DLOG[r1]}" | head -1)"

# (b) the server stops: chk_https fails, the VIP moves to r2; back when it
# starts again.
t0=$(now)
kill "$HTTPS_PID"
_wait_exit "$HTTPS_PID" 3
wait_only r2 "$VIP" 10 || fail "the HTTPS server stopped, the VIP did not move to r2: $(holders "$VIP")"
dt=$(fcalc "$(now) - $t0")
result "check https: server stopped -> VIP on r2 after $dt s (interval $IVL, timeout $TMO, fall $FALL, Master_Down_Interval $MDI; bound $BOUND)"
assert_le "https: detection and takeover" "$dt" "$BOUND"
assert_log r1 "check chk_https: now failing" "chk_https failing"
start_https
wait_only r1 "$VIP" 10 || fail "the HTTPS server is back, the VIP did not come back to r1: $(holders "$VIP")"
assert_log r1 "check chk_https: now succeeding" "chk_https succeeding again"

# strace up to here: the checks started no process (a reload forks its
# parser, so the trace ends before them).
if [ -n "$STRACE_PID" ]; then
	kill "$STRACE_PID" 2>/dev/null
	_wait_exit "$STRACE_PID" 3
	n=$(grep -cE '(clone|fork|vfork|execve)\(' "$T/strace.txt")
	[ "$n" = 0 ] || fail "strace saw $n process calls: $(grep -E 'clone|fork|execve' "$T/strace.txt" | head -3)"
	log "strace -f -e trace=process: no fork, clone or exec in r1's daemon (before the reloads, which parse in a child)"
else
	log "strace not used (not installed or cannot attach); the daemon's counter is the evidence"
fi

# (d) reload: chk_noca with verify off gets a context of its own and
# succeeds (r1 at 150); a file with a ca_file that does not exist is
# refused, and the running configuration stays.
eprio() {
	"$CTL" -s "$T/r1.sock" status --json 2>/dev/null | "$PY" -c '
import json, sys
print(json.load(sys.stdin)["instances"][0]["effective_priority"])'
}
prio_is() { [ "$(eprio)" = "$1" ]; }
prio_is 140 || fail "r1's effective priority is $(eprio), expected 140 (chk_noca failing)"
cp "$T/r1.conf" "$T/r1.good"
cp "$T/bad.conf" "$T/r1.conf"
kill -HUP "$R1"
wait_until 5 grep -q 'running configuration is unchanged' "${DLOG[r1]}" ||
	fail "no 'running configuration is unchanged' in r1's log after a reload with a missing ca_file"
assert_log r1 "r1.conf:4:13: cannot load the CA file" "the missing ca_file as file:line:col"
awk '/^vrrp_check chk_noca/ { print; getline; print; print "    verify off"; next } { print }' \
	"$T/r1.good" >"$T/r1.conf"
grep -A3 '^vrrp_check chk_noca' "$T/r1.conf" | grep -q 'verify off' || fail "could not write the reload's file"
kill -HUP "$R1"
wait_until 5 prio_is 150 || fail "after a reload with verify off for chk_noca, r1's effective priority is $(eprio), expected 150"
assert_only r1 "$VIP"
log "reload: chk_noca with verify off succeeds (effective priority 150); a missing ca_file is refused"

# No process.
"$CTL" -s "$T/r1.sock" stats >"$T/stats.txt" 2>&1 || fail "vrrpctl stats: $(cat "$T/stats.txt")"
line=$(grep '^PROCESSES:' "$T/stats.txt") || fail "vrrpctl stats shows no PROCESSES line: $(cat "$T/stats.txt")"
log "$line"
procs=$(sed -n 's/^PROCESSES: \([0-9]*\) started.*/\1/p' <<<"$line")
runs=$(sed -n 's/.*built-in checks: \([0-9]*\) runs.*/\1/p' <<<"$line")
[ "$procs" = 0 ] || fail "r1's daemon started $procs processes (expected none): $line"
[ "${runs:-0}" -ge 20 ] || fail "only ${runs:-0} check runs counted: $line"
result "check https: r1 ran $runs built-in checks and started $procs processes"
