#!/bin/bash
# The MySQL / MariaDB check (issue 11 item 4): vrrp_check { mysql { } } runs
# in vrrpd's event loop through libmariadb's non-blocking API, no process.
# A private MariaDB server (Debian's mariadb-server; its own datadir under
# $T, a user vrrpd with a password) runs on the lab host c (192.0.2.10);
# r1 (150) tracks `vrrp_check db { mysql { host 192.0.2.10 user vrrpd
# password_file ... } weight -100 }`, r2 is a backup at 100.
#   - MariaDB killed (by PID): r1's check fails, the VIP moves to r2 within
#     interval * fall + timeout + r2's Master_Down_Interval (+ slack);
#     measured: kill -> the check's "now failing" line, kill -> r2 master;
#   - MariaDB restarted: the check succeeds again, the VIP comes back
#     (preempt); r1's second check, over the server's unix socket as root
#     (unix_socket authentication, no password), failed and came back too;
#   - the user's password changed on the server: the check fails with the
#     server's own error (Access denied ... error 1045) in the log, the VIP
#     moves; the password restored, it comes back;
#   - r2's replica checks (max_replication_lag): of the primary (no replica)
#     fails with "not a replica"; of a second MariaDB on c replicating from
#     the first, succeeds while replication runs, fails with "replication is
#     not running (Seconds_Behind_Master is NULL ...)" after STOP SLAVE, and
#     succeeds again after START SLAVE;
#   - throughout, r1's daemon starts no process: `vrrpctl stats` counts 0
#     processes started, and strace -f -e trace=process sees no fork.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "vrrp_check is vrrpd's own (keepalived has no such block)"
for p in mariadbd mariadb-install-db mariadb mysqladmin; do
	command -v "$p" >/dev/null 2>&1 ||
		skip "$p is not installed: MariaDB (Debian's mariadb-server, installed by tests/deps.sh) is needed"
done
CTL=$REPO/vrrpctl
[ -x "$CTL" ] || fail "no $CTL (run make)"
lab_create 2
ADV=0.1 IVL=0.3 TMO=0.25 FALL=2
MDI=$(mdi "$ADV" 100)
BOUND=$(fcalc "$IVL * $FALL + $TMO + $MDI + 1.0")
DB=$T/db
PW=vrrpd-pw-1

DB2=$T/db2 # the replica
log "preparing MariaDB data directories (mariadb-install-db)"
mkdir -p "$DB" "$DB2"
mariadb-install-db --no-defaults --datadir="$T/db-template" --user=root --skip-test-db \
	>"$T/install-db.log" 2>&1 ||
	skip "mariadb-install-db failed, MariaDB cannot run here: $(tail -n 3 "$T/install-db.log" | tr '\n' ' ')"
cp -a "$T/db-template" "$DB/data"
cp -a "$T/db-template" "$DB2/data"

# mariadbd DIR PORT ID [ARGS...]: a server on c, in the background.
mariadbd_on_c() {
	local d=$1 port=$2 id=$3
	shift 3
	ip netns exec "$(ns c)" mariadbd --no-defaults --user=root --datadir="$d/data" \
		--socket="$d/mysqld.sock" --pid-file="$d/mysqld.pid" --log-error="$d/error.log" \
		--bind-address=192.0.2.10 --port="$port" --server-id="$id" --skip-name-resolve \
		--innodb-buffer-pool-size=16M --performance-schema=OFF "$@" \
		</dev/null >>"$d/stdout.log" 2>&1 &
}
DB_PID=""
start_db() {
	mariadbd_on_c "$DB" 3306 1 --log-bin=mysql-bin
	DB_PID=$!
	BG_PIDS+=("$DB_PID")
}
# root logs in through the socket (unix_socket authentication, as Debian sets it up)
sql() { inns c mariadb --no-defaults --socket="$DB/mysqld.sock" -N -B -e "$1"; }
db_up() { inns c mysqladmin --no-defaults --socket="$DB/mysqld.sock" --connect-timeout=1 --silent ping >/dev/null 2>&1; }
start_db
wait_until 30 db_up || fail "MariaDB did not start: $(tail -n 5 "$DB/error.log" | tr '\n' ' ')"
sql "CREATE USER 'vrrpd'@'%' IDENTIFIED BY '$PW'" || fail "cannot create the user vrrpd"
sql "CREATE USER 'mon'@'%' IDENTIFIED BY 'mon-pw'; GRANT REPLICA MONITOR ON *.* TO 'mon'@'%'" ||
	fail "cannot create the user mon"
sql "CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-pw'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'" ||
	fail "cannot create the user repl"
# Over the network, as the check will log in.
inns r1 mariadb --no-defaults -h 192.0.2.10 -u vrrpd -p"$PW" -N -B -e 'SELECT 1' >/dev/null 2>&1 ||
	fail "the user vrrpd cannot log in from r1"
log "MariaDB runs on c (pid $DB_PID), user vrrpd"

printf '%s\n' "$PW" >"$T/pw"
chmod 0600 "$T/pw"
{
	printf 'vrrp_check db {\n    mysql {\n        host 192.0.2.10\n        user vrrpd\n        password_file %s\n    }\n' "$T/pw"
	printf '    interval %s\n    timeout %s\n    fall %s\n    rise 1\n    weight -100\n}\n' "$IVL" "$TMO" "$FALL"
	# the same server through its socket (a path: reachable from r1's namespace)
	printf 'vrrp_check sock {\n    mysql {\n        socket %s\n        user root\n    }\n' "$DB/mysqld.sock"
	printf '    interval %s\n    timeout %s\n    weight -1\n}\n' "$IVL" "$TMO"
	conf_instance VI_1 51 150 advert_int=$ADV extra="track_script {\n    db\n    sock\n}" -- "$VIP/24"
} >"$T/r1.conf"
# r2: replica checks of the primary (no replica) and of the replica (port
# 3307), weight -10 each: r2 stays the backup (80 or more > r1's 50 when
# r1's check fails).
{
	for k in rep0:3306 rep:3307; do
		printf 'vrrp_check %s {\n    mariadb {\n        host 192.0.2.10\n        port %s\n' "${k%%:*}" "${k#*:}"
		printf '        user mon\n        password mon-pw\n        max_replication_lag 10\n    }\n'
		printf '    interval 0.3\n    timeout 0.25\n    weight -10\n}\n'
	done
	conf_instance VI_1 51 100 advert_int=$ADV extra="track_script {\n    rep0\n    rep\n}" -- "$VIP/24"
} >"$T/r2.conf"
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/dump.txt" 2>&1 || fail "vrrpd -t refused the file: $(cat "$T/dump.txt")"
grep -q "password_file $T/pw" "$T/dump.txt" || fail "vrrpd -t does not dump the password file: $(cat "$T/dump.txt")"
grep -q "$PW" "$T/dump.txt" && fail "vrrpd -t printed the password"

pair_up r1 10 0.5
R1=${DPID[r1]}
STRACE_PID=""
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=process -p "$R1" -o "$T/strace.txt" 2>"$T/strace.err" &
	STRACE_PID=$!
	BG_PIDS+=("$STRACE_PID")
	sleep 0.3
	_alive "$STRACE_PID" || { log "strace could not attach: $(cat "$T/strace.err")"; STRACE_PID=""; }
fi

# tod: the time of day in seconds, as the daemon's log stamps it.
tod() { date +%H:%M:%S.%N | awk -F: '{ printf "%.6f", $1 * 3600 + $2 * 60 + $3 }'; }
# log_tod HOST FROM PATTERN: the time of day of the first line after line
# FROM of HOST's log that matches PATTERN (empty when none).
log_tod() {
	awk -v from="$2" -v pat="$3" 'NR > from && index($0, pat) {
		split($1, a, ":"); printf "%.6f", a[1] * 3600 + a[2] * 60 + a[3]; exit }' "${DLOG[$1]}"
}
lines() { wc -l <"${DLOG[$1]}"; }
_logged() { [ -n "$(log_tod "$1" "$2" "$3")" ]; }

# MariaDB killed by its PID.
from=$(lines r1)
t0=$(tod) e0=$(now)
kill -KILL "$DB_PID"
_wait_exit "$DB_PID" 5 || fail "MariaDB did not die"
wait_only r2 "$VIP" 10 || fail "MariaDB dead: the VIP did not move to r2: $(holders "$VIP")"
took=$(fcalc "$(now) - $e0")
wait_until 2 _logged r1 "$from" "check db: now failing" || fail "r1 logged no failure of the check"
det=$(fcalc "$(log_tod r1 "$from" "check db: now failing") - $t0")
log "r1: $(grep "check db: now failing" "${DLOG[r1]}" | tail -n 1)"
result "check mysql: MariaDB killed -> check failing after $det s, VIP on r2 after $took s (interval $IVL, timeout $TMO, fall $FALL, Master_Down_Interval $MDI; bound $BOUND)"
assert_le "MariaDB killed: detection and takeover" "$took" "$BOUND"
assert_le "MariaDB killed: detection" "$det" "$(fcalc "$IVL * $FALL + $TMO + 0.3")"

# Restarted (same datadir): the check succeeds, r1 takes the VIP back.
from=$(lines r1)
start_db
wait_until 30 db_up || fail "MariaDB did not start again: $(tail -n 5 "$DB/error.log" | tr '\n' ' ')"
wait_only r1 "$VIP" 10 || fail "MariaDB back: the VIP did not come back to r1: $(holders "$VIP")"
assert_log r1 "check db: now succeeding" "the check succeeding again"
assert_log r1 "check sock: now failing" "the socket check failing while MariaDB was down"
wait_until 2 _logged r1 "$from" "check sock: now succeeding" || fail "the socket check did not succeed again"

# A wrong password: the server's own error in the log.
from=$(lines r1)
sql "ALTER USER 'vrrpd'@'%' IDENTIFIED BY 'another-pw'" || fail "cannot change the password"
wait_only r2 "$VIP" 10 || fail "wrong password: the VIP did not move to r2: $(holders "$VIP")"
wait_until 2 _logged r1 "$from" "check db: now failing" || fail "wrong password: r1 logged no failure"
line=$(awk -v from="$from" 'NR > from && /check db: now failing/' "${DLOG[r1]}" | head -n 1)
log "r1: $line"
case $line in
*"Access denied for user 'vrrpd'@'192.0.2.1'"*"(error 1045)"*) ;;
*) fail "the failure does not name the server's error (Access denied ..., error 1045): $line" ;;
esac
sql "ALTER USER 'vrrpd'@'%' IDENTIFIED BY '$PW'" || fail "cannot restore the password"
wait_only r1 "$VIP" 10 || fail "password restored: the VIP did not come back to r1: $(holders "$VIP")"

# r2's replica check of the primary: the server is no replica.
line=$(grep -m1 "check rep0: now failing" "${DLOG[r2]}") ||
	fail "r2's replica check did not fail on a server that is no replica"
case $line in
*"not a replica (SHOW REPLICA STATUS returned no row)"*) log "r2: $line" ;;
*) fail "r2's replica check failed for another reason: $line" ;;
esac

# A replica (port 3307) of the primary: r2's check "rep" succeeds while
# replication runs (the user mon reaches it by replication), fails when it
# stops, and succeeds again.
mariadbd_on_c "$DB2" 3307 2 --skip-log-bin --read-only
DB2_PID=$!
BG_PIDS+=("$DB2_PID")
sql2() { inns c mariadb --no-defaults --socket="$DB2/mysqld.sock" -N -B -e "$1"; }
db2_up() { inns c mysqladmin --no-defaults --socket="$DB2/mysqld.sock" --connect-timeout=1 --silent ping >/dev/null 2>&1; }
wait_until 30 db2_up || fail "the replica did not start: $(tail -n 5 "$DB2/error.log" | tr '\n' ' ')"
sql2 "CHANGE MASTER TO MASTER_HOST='192.0.2.10', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='repl-pw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE" ||
	fail "cannot start replication"
from=$(lines r2)
wait_until 20 _logged r2 "$from" "check rep: now succeeding" ||
	fail "r2's check of the replica does not succeed: $(grep 'check rep:' "${DLOG[r2]}" | tail -n 2); $(sql2 'SHOW SLAVE STATUS\G' | grep -E 'Running|Behind|Error' | tr '\n' ' ')"
log "r2: $(awk -v from="$from" 'NR > from && /check rep: now succeeding/' "${DLOG[r2]}" | head -n 1)"
from=$(lines r2)
sql2 "STOP SLAVE" || fail "cannot stop replication"
wait_until 5 _logged r2 "$from" "check rep: now failing" || fail "replication stopped: r2's check of the replica did not fail"
line=$(awk -v from="$from" 'NR > from && /check rep: now failing/' "${DLOG[r2]}" | head -n 1)
log "r2: $line"
case $line in
*"replication is not running (Seconds_Behind_Master is NULL; IO No, SQL No)"*) ;;
*) fail "the replica check failed for another reason: $line" ;;
esac
from=$(lines r2)
sql2 "START SLAVE" || fail "cannot restart replication"
wait_until 10 _logged r2 "$from" "check rep: now succeeding" || fail "replication restarted: r2's check of the replica does not succeed"
assert_only r1 "$VIP"

# No process: the daemon's own count, and strace.
"$CTL" -s "$T/r1.sock" stats >"$T/stats.txt" 2>&1 || fail "vrrpctl stats: $(cat "$T/stats.txt")"
line=$(grep '^PROCESSES:' "$T/stats.txt") || fail "vrrpctl stats shows no PROCESSES line: $(cat "$T/stats.txt")"
log "$line"
procs=$(sed -n 's/^PROCESSES: \([0-9]*\) started.*/\1/p' <<<"$line")
runs=$(sed -n 's/.*built-in checks: \([0-9]*\) runs.*/\1/p' <<<"$line")
[ "$procs" = 0 ] || fail "r1's daemon started $procs processes (expected none): $line"
[ "${runs:-0}" -ge 10 ] || fail "only ${runs:-0} check runs counted: $line"
result "check mysql: r1 ran $runs MySQL checks and started $procs processes"
if [ -n "$STRACE_PID" ]; then
	kill "$STRACE_PID" 2>/dev/null
	_wait_exit "$STRACE_PID" 3
	n=$(grep -cE '(clone|fork|vfork|execve)\(' "$T/strace.txt")
	[ "$n" = 0 ] || fail "strace saw $n process calls: $(grep -E 'clone|fork|execve' "$T/strace.txt" | head -3)"
	log "strace -f -e trace=process: no fork, clone or exec in r1's daemon"
else
	log "strace not used (not installed or cannot attach); the daemon's counter is the evidence"
fi
for p in "$DB2_PID" "$DB_PID"; do
	kill -TERM "$p" 2>/dev/null
	_wait_exit "$p" 20 || kill -KILL "$p" 2>/dev/null
done
