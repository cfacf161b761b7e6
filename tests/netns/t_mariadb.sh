#!/bin/bash
# The MySQL case (issue 3 item 7): two routers, each running a real MariaDB
# server (Debian's mariadb-server; server_id 1 on r1, 2 on r2), and the
# daemon with conf/examples/mysql.conf adapted to the lab (sockets under $T;
# r2: router_id db2, priority 100). Its check is `mysqladmin ping` (interval
# 1, fall 2, weight 0 -> FAULT); its notify_master / notify_backup make the
# master writable and the backup read-only.
#   - the client (192.0.2.10) asks the VIP `select @@server_id, @@read_only`
#     and r1 answers "1 0"; r2 is read-only;
#   - MariaDB on r1 is killed (kill -9 of its PID); the VIP moves to r2 and
#     the client, reconnecting, is answered "2 0" by r2.
# Measured: "MariaDB killed on the master" -> "client answered through the
# VIP by r2" (the client retries every 0.1 s with a 1 s connect timeout).
. "$(dirname "$0")/lib.sh"
require_root
EXAMPLE=$REPO/conf/examples/mysql.conf
[ -f "$EXAMPLE" ] || fail "no $EXAMPLE"
for p in mariadbd mariadb-install-db mariadb mysqladmin; do
	command -v "$p" >/dev/null 2>&1 ||
		skip "$p is not installed: MariaDB (Debian's mariadb-server, installed by tests/deps.sh) is needed"
done
lab_create 2

# A socket and datadir per server. The check runs as nobody (the example's
# script_user): $T and each server's directory must be traversable.
chmod 0755 "$T"
log "preparing a MariaDB data directory (mariadb-install-db)"
mkdir -p "$T/db-template"
mariadb-install-db --no-defaults --datadir="$T/db-template" --user=root --skip-test-db \
	--auth-root-authentication-method=normal >"$T/install-db.log" 2>&1 ||
	skip "mariadb-install-db failed, MariaDB cannot run here: $(tail -n 3 "$T/install-db.log" | tr '\n' ' ')"

declare -A DBPID=()
# start_db HOST ID: MariaDB in HOST's namespace, on its address and socket.
start_db() {
	local h=$1 id=$2 d=$T/$1
	mkdir -m 0755 "$d"
	cp -a "$T/db-template" "$d/data"
	ip netns exec "$(ns "$h")" mariadbd --no-defaults --user=root --datadir="$d/data" --socket="$d/mysqld.sock" \
		--pid-file="$d/mysqld.pid" --log-error="$d/error.log" --bind-address=0.0.0.0 \
		--port=3306 --server-id="$id" --skip-grant-tables --skip-name-resolve --read-only \
		--skip-log-bin --innodb-buffer-pool-size=16M --performance-schema=OFF \
		</dev/null >>"$d/stdout.log" 2>&1 &
	DBPID[$h]=$!
	BG_PIDS+=("${DBPID[$h]}")
}
db_up() { inns "$1" mysqladmin --no-defaults --socket="$T/$1/mysqld.sock" --connect-timeout=1 --silent ping >/dev/null 2>&1; }
start_db r1 1
start_db r2 2
for h in r1 r2; do
	wait_until 30 db_up "$h" || fail "MariaDB did not start on $h: $(tail -n 5 "$T/$h/error.log" | tr '\n' ' ')"
done
for h in r1 r2; do
	p=$(cat "$T/$h/mysqld.pid" 2>/dev/null)
	[ "$p" = "${DBPID[$h]}" ] || fail "MariaDB on $h: pid file says '$p', started as ${DBPID[$h]}"
done
log "MariaDB runs on r1 (pid ${DBPID[r1]}, server_id 1) and r2 (pid ${DBPID[r2]}, server_id 2)"

# The example, adapted: each server's socket; r2 is db2 with priority 100.
adapt() { # HOST
	sed -e "s|/usr/bin/mysqladmin |/usr/bin/mysqladmin --socket=$T/$1/mysqld.sock |" \
		-e "s|/usr/bin/mariadb |/usr/bin/mariadb --socket=$T/$1/mysqld.sock |" "$EXAMPLE"
}
adapt r1 >"$T/r1.conf"
adapt r2 | sed -e 's/router_id db1/router_id db2/' -e 's/priority 150/priority 100/' >"$T/r2.conf"
grep -q "mysqld.sock" "$T/r1.conf" || fail "could not adapt $EXAMPLE (no mysqladmin/mariadb command found)"
# The numbers the measurement depends on, as the example sets them.
INTERVAL=$(awk '/^vrrp_script chk_mysql/ { s = 1 } s && $1 == "interval" { print $2; exit }' "$T/r1.conf")
FALL=$(awk '/^vrrp_script chk_mysql/ { s = 1 } s && $1 == "fall" { print $2; exit }' "$T/r1.conf")
ADV=$(awk '$1 == "advert_int" { print $2; exit }' "$T/r1.conf")

# ask HOST|VIP: the client's query; prints "SERVER_ID READ_ONLY".
ask() {
	inns c mariadb --no-defaults -h "$1" -P 3306 --connect-timeout=1 -N -B \
		-e 'select @@server_id, @@read_only' 2>/dev/null | tr '\t' ' '
}
_answers() { [ "$(ask "$1")" = "$2" ]; }

pair_up r1 15
# notify_master made r1 writable; notify_backup keeps r2 read-only.
wait_until 5 _answers "$VIP" "1 0" || fail "the client asked $VIP and got '$(ask "$VIP")', expected '1 0' (r1, writable)"
wait_until 5 _answers 192.0.2.2 "2 1" || fail "r2 answered '$(ask 192.0.2.2)', expected '2 1' (read-only)"
log "client -> $VIP: server_id 1 (r1), read_only 0; r2 is read-only"

# MariaDB dies on the master.
tstop=$(now)
kill -KILL "${DBPID[r1]}"
_wait_exit "${DBPID[r1]}" 5 2>/dev/null || fail "MariaDB on r1 did not die"
log "killed MariaDB on r1 (pid ${DBPID[r1]})"
tans=""
for ((i = 0; i < 300; i++)); do
	a=$(ask "$VIP")
	if [ "$a" = "2 0" ]; then
		tans=$(now)
		break
	fi
	fcmp "$(fcalc "$(now) - $tstop")" ">" 20 && break
	sleep 0.1
done
[ -n "$tans" ] || fail "within 20 s of MariaDB's death on r1 the client never got '2 0' from $VIP (last answer '$a'; $VIP on: $(holders "$VIP"))"
took=$(fcalc "$tans - $tstop")
assert_only r2 "$VIP"
result "MariaDB killed on the master -> client answered through the VIP by r2: $took s (check interval $INTERVAL s, fall $FALL, weight 0, advert_int $ADV s, VRRPv2)"
# Expected: at most interval x fall (+ one check's timeout) to notice, then
# r1 goes to FAULT, sends priority 0, r2 waits Skew_Time.
assert_le "MariaDB failover" "$took" "$(fcalc "$INTERVAL * ($FALL + 1) + 2 + $ADV")"
assert_stable r2 "$VIP" 1
log "r2 serves: $(ask "$VIP") (server_id, read_only)"
