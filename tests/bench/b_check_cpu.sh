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
#   mysql  vrrp_check { mysql { host 192.0.2.10 user vrrpd password ... } }
#          (a login and SELECT 1 to a private MariaDB on c; one connection
#          per run)
#   mysql-fork vrrp_script { script "mariadb -h 192.0.2.10 -u vrrpd -p...
#              -e 'SELECT 1'" } (what keepalived users run)
# CPU: the daemon's own time from /proc/PID/schedstat (ns), plus its reaped
# children's (cutime + cstime of /proc/PID/stat, in clock ticks). Printed:
# µs of CPU per check run above the base run, and the ratio forked/built-in.
# After the mysql and mysql-fork runs, MariaDB is killed (by PID) and the
# time to the first check's "now failing" line is printed, then it is
# started again. The mysql rows need Debian's mariadb-server (skipped with
# a note otherwise). BENCH_CHECK_KINDS picks the runs (default all).
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
KINDS=${BENCH_CHECK_KINDS:-base tcp tcp-fork http http-fork https https-fork mysql mysql-fork}
case " $KINDS " in *" base "*) ;; *) KINDS="base $KINDS" ;; esac
MYSQL=0
case " $KINDS " in *" mysql"*) MYSQL=1 ;; esac
if [ "$MYSQL" = 1 ] && ! command -v mariadbd >/dev/null 2>&1; then
	log "mariadbd is not installed (Debian's mariadb-server): no mysql rows"
	KINDS=$(tr ' ' '\n' <<<"$KINDS" | grep -v '^mysql' | tr '\n' ' ')
	MYSQL=0
fi
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

# MariaDB on c: its own datadir, a user vrrpd with a password.
DB=$T/db PW=vrrpd-bench-pw DB_PID=""
start_db() {
	ip netns exec "$(ns c)" mariadbd --no-defaults --user=root --datadir="$DB/data" \
		--socket="$DB/mysqld.sock" --pid-file="$DB/mysqld.pid" --log-error="$DB/error.log" \
		--bind-address=192.0.2.10 --port=3306 --skip-name-resolve --skip-log-bin \
		--innodb-buffer-pool-size=16M --performance-schema=OFF \
		</dev/null >>"$DB/stdout.log" 2>&1 &
	DB_PID=$!
	BG_PIDS+=("$DB_PID")
}
db_up() { inns c mysqladmin --no-defaults --socket="$DB/mysqld.sock" --connect-timeout=1 --silent ping >/dev/null 2>&1; }
if [ "$MYSQL" = 1 ]; then
	mkdir -p "$DB"
	mariadb-install-db --no-defaults --datadir="$DB/data" --user=root --skip-test-db >"$T/install-db.log" 2>&1 ||
		fail "mariadb-install-db: $(tail -n 3 "$T/install-db.log" | tr '\n' ' ')"
	start_db
	wait_until 30 db_up || fail "MariaDB did not start: $(tail -n 5 "$DB/error.log" | tr '\n' ' ')"
	inns c mariadb --no-defaults --socket="$DB/mysqld.sock" -e "CREATE USER 'vrrpd'@'%' IDENTIFIED BY '$PW'" ||
		fail "cannot create the user vrrpd"
fi

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
		mysql) printf 'vrrp_check c%d {\n    mysql {\n        host 192.0.2.10\n        user vrrpd\n        password %s\n    }\n    interval 1\n}\n' "$i" "$PW" ;;
		mysql-fork) printf 'vrrp_script c%d {\n    script "/usr/bin/mariadb --no-defaults -h 192.0.2.10 -u vrrpd -p%s --connect-timeout=1 -N -B -e '"'SELECT 1'"'"\n    interval 1\n}\n' "$i" "$PW" ;;
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

# detect KIND: kills MariaDB, prints the seconds to the first "now failing"
# line of the daemon's log, starts MariaDB again.
tod() { date +%H:%M:%S.%N | awk -F: '{ printf "%.6f", $1 * 3600 + $2 * 60 + $3 }'; }
_failed_after() { awk -v from="$1" 'NR > from && /now failing/ { split($1, a, ":"); printf "%.6f", a[1] * 3600 + a[2] * 60 + a[3]; exit }' "${DLOG[r1]}"; }
_has_failed() { [ -n "$(_failed_after "$1")" ]; }
detect() {
	local from t0 t1
	from=$(wc -l <"${DLOG[r1]}")
	t0=$(tod)
	kill -KILL "$DB_PID"
	_wait_exit "$DB_PID" 5 || fail "MariaDB did not die"
	wait_until 5 _has_failed "$from" || fail "$1: no check failed within 5 s of MariaDB's death"
	t1=$(_failed_after "$from")
	PER[$1.detect]=$(fcalc "$t1 - $t0")
	log "$1: MariaDB killed -> first check failing after ${PER[$1.detect]} s"
	start_db
	wait_until 30 db_up || fail "MariaDB did not start again: $(tail -n 5 "$DB/error.log" | tr '\n' ' ')"
}

declare -A PER=()
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
	case $kind in mysql*) detect "$kind" ;; esac
	stop_daemon r1
	mv "${DLOG[r1]}" "$T/r1.$kind.log"
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
line=""
for k in tcp http https mysql; do
	[ -n "${PER[$k.run]:-}" ] && [ -n "${PER[$k-fork.run]:-}" ] &&
		line+=" $k $(ratio "${PER[$k-fork.run]}" "${PER[$k.run]}")x,"
done
result "check cpu: forked/built-in ratio:${line%,}"
for k in mysql mysql-fork; do
	[ -n "${PER[$k.detect]:-}" ] &&
		result "check detect: $k: MariaDB killed -> first check failing after ${PER[$k.detect]} s (interval 1 s, fall 1)"
done
result "check cpu: load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
