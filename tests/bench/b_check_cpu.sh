#!/bin/bash
# CPU per health check: a built-in vrrp_check against the same check as a
# forked vrrp_script (issue 11 item 4). One router r1 (one instance, advert_int
# 1, no peer) and the lab host c running a TCP listener (port 8081) and a
# python http.server (port 8080). Four runs of BENCH_CHECK_SECONDS each
# (default 60), K checks (BENCH_CHECKS, default 10) at interval 1 s:
#   base   no check (the daemon's own adverts)
#   tcp    vrrp_check { tcp 192.0.2.10 8081 }
#   tcp-fork   vrrp_script { script "socat -u /dev/null TCP:192.0.2.10:8081" }
#              (nc -z is not installed here; socat is the same connect)
#   http   vrrp_check { http http://192.0.2.10:8080/health }
#   http-fork  vrrp_script { script "curl -fsS -o /dev/null URL" }
#   https  vrrp_check { https https://192.0.2.10:8443/health, ca_file }
#          (python's http.server wrapped in ssl, a self-signed P-256
#          certificate made here; a full handshake every run)
#   https-fork vrrp_script { script "curl -fsS --cacert CERT -o /dev/null URL" }
#          (the same verification as the built-in one; -k would skip it)
# BENCH_CHECK_KINDS chooses the runs (default all; base is always needed).
# CPU: the daemon's own time from /proc/PID/schedstat (ns), plus its reaped
# children's (cutime + cstime of /proc/PID/stat, in clock ticks). Printed:
# µs of CPU per check run above the base run, and the ratio forked/built-in.
# Not part of `make bench` (that one compares with keepalived, which has no
# such check); run it under the lab lock:
#   flock /tmp/vrrpd-netns.lock tests/bench/b_check_cpu.sh
. "$(dirname "$0")/../netns/lib.sh"
require_root
SECS=${BENCH_CHECK_SECONDS:-60}
K=${BENCH_CHECKS:-10}
PY=$(command -v python3) || skip "python3 is not installed"
command -v socat >/dev/null || skip "socat is not installed"
command -v curl >/dev/null || skip "curl is not installed"
HZ=$(getconf CLK_TCK)
lab_create 1
mkdir -p "$T/www"
echo ready >"$T/www/health"
# http.server's listen backlog is 5: K checks connecting at once would lose
# SYNs (retried after 1 s, past the timeout). A threaded one with room.
ip netns exec "$(ns c)" "$PY" -c '
import functools, http.server, sys
class S(http.server.ThreadingHTTPServer):
    request_queue_size = 128
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
S(("192.0.2.10", 8080), h).serve_forever()' "$T/www" >"$T/http.log" 2>&1 &
BG_PIDS+=($!)
ip netns exec "$(ns c)" "$PY" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.10", 8081)); s.listen(64)
while True:
    c, _ = s.accept(); c.close()' >"$T/tcp.log" 2>&1 &
BG_PIDS+=($!)
# The HTTPS server: the same, wrapped in ssl (handshakes in its accept).
command -v openssl >/dev/null || skip "openssl is not installed"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-keyout "$T/key.pem" -out "$T/cert.pem" -subj /CN=lab.example \
	-addext "subjectAltName=IP:192.0.2.10" >"$T/openssl.log" 2>&1 || fail "openssl: $(cat "$T/openssl.log")"
ip netns exec "$(ns c)" "$PY" -c '
import functools, http.server, ssl, sys
class S(http.server.ThreadingHTTPServer):
    request_queue_size = 128
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = S(("192.0.2.10", 8443), h)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
s.serve_forever()' "$T/www" "$T/cert.pem" "$T/key.pem" >"$T/https.log" 2>&1 &
BG_PIDS+=($!)
sleep 1

# conf KIND: K checks of KIND and an instance tracking them all.
conf() {
	local i track=""
	printf 'global_defs {\n    script_user root\n}\n'
	for ((i = 1; i <= K; i++)); do
		case $1 in
		base) break ;;
		tcp) printf 'vrrp_check c%d {\n    tcp 192.0.2.10 8081\n    interval 1\n}\n' "$i" ;;
		http) printf 'vrrp_check c%d {\n    http http://192.0.2.10:8080/health\n    interval 1\n}\n' "$i" ;;
		tcp-fork) printf 'vrrp_script c%d {\n    script "/usr/bin/socat -u /dev/null TCP:192.0.2.10:8081,connect-timeout=1"\n    interval 1\n}\n' "$i" ;;
		http-fork) printf 'vrrp_script c%d {\n    script "/usr/bin/curl -fsS -o /dev/null --max-time 1 http://192.0.2.10:8080/health"\n    interval 1\n}\n' "$i" ;;
		https) printf 'vrrp_check c%d {\n    https https://192.0.2.10:8443/health\n    ca_file %s\n    interval 1\n}\n' "$i" "$T/cert.pem" ;;
		https-fork) printf 'vrrp_script c%d {\n    script "/usr/bin/curl -fsS --cacert %s -o /dev/null --max-time 1 https://192.0.2.10:8443/health"\n    interval 1\n}\n' "$i" "$T/cert.pem" ;;
		esac
		track+="    c$i\n"
	done
	local extra=""
	[ -n "$track" ] && extra="track_script {\n$track}"
	conf_instance VI_1 51 150 advert_int=1 extra="$extra" -- 192.0.2.100/24
}

# cpu_us PID: the daemon's CPU and its reaped children's, in µs.
cpu_us() {
	local ns f
	ns=$(cut -d' ' -f1 "/proc/$1/schedstat")
	f=$(sed 's/^.*) //' "/proc/$1/stat")
	# shellcheck disable=SC2086 # split on purpose
	set -- $f
	# after ")": state is $1, cutime $14, cstime $15
	echo $((ns / 1000 + (${14} + ${15}) * 1000000 / HZ))
}

declare -A PER=()
KINDS=${BENCH_CHECK_KINDS:-base tcp tcp-fork http http-fork https https-fork}
case " $KINDS " in *" base "*) ;; *) KINDS="base $KINDS" ;; esac
for kind in $KINDS; do
	conf "$kind" >"$T/$kind.conf"
	start_daemon r1 "$T/$kind.conf"
	wait_vip r1 192.0.2.100 10 || fail "$kind: r1 did not become master"
	sleep 2 # past start-up and the first runs
	pid=${DPID[r1]}
	a=$(cpu_us "$pid") t0=$(now)
	sleep "$SECS"
	b=$(cpu_us "$pid") t1=$(now)
	grep -q "now failing" "${DLOG[r1]}" && fail "$kind: a check failed during the run: $(grep 'now failing' "${DLOG[r1]}" | head -1)"
	stop_daemon r1
	used=$(fcalc "($b - $a) * $SECS / ($t1 - $t0)" 0)
	PER[$kind]=$used
	log "$kind: $used µs of CPU in $SECS s"
done
for kind in $KINDS; do
	[ "$kind" = base ] && continue
	runs=$((K * SECS))
	u=$(fcalc "(${PER[$kind]} - ${PER[base]}) / $runs" 1)
	PER[$kind.run]=$u
	result "check cpu: $kind: $u µs per check run ($K checks, interval 1 s, $SECS s; base run ${PER[base]} µs)"
done
# ratio A B: A / B, with B at least 0.1 µs (below the measurement's noise)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.1) b = 0.1; printf "%.0f", a / b }'; }
rs=""
for kind in tcp http https; do
	[ -n "${PER[$kind.run]:-}" ] && [ -n "${PER[$kind-fork.run]:-}" ] &&
		rs+="${rs:+, }$kind $(ratio "${PER[$kind-fork.run]}" "${PER[$kind.run]}")x"
done
if [ -n "$rs" ]; then
	result "check cpu: forked/built-in ratio: $rs"
fi
