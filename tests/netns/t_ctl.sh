#!/bin/bash
# The control socket and vrrpctl: status/stats (table and JSON), metrics,
# reload (good and bad file), unknown commands and instances, exit codes;
# the daemon's health (longest loop turn, advert lateness histogram,
# netlink batches, reload cost) in stats and metrics;
# socket mode; a stuck client and a flood of stuck clients are dropped and do
# not delay adverts; a stale socket file is replaced, a live one is not.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd's control socket, which keepalived does not have"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (JSON checks and raw socket clients)"
CTL=$REPO/vrrpctl
[ -x "$CTL" ] || fail "$CTL does not exist (run make)"
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV
S1=$T/run/r1.sock # a directory that does not exist yet: the daemon creates it
S2=$T/r2.sock

cap_start
VRRPD_EXTRA_ARGS="-S $S1" start_daemon r1 "$T/r1.conf"
VRRPD_EXTRA_ARGS="-S $S2" start_daemon r2 "$T/r2.conf"
wait_master r1 "$VIP" 5
wait_until 5 test -S "$S1" || fail "no control socket at $S1"
wait_until 5 test -S "$S2" || fail "no control socket at $S2"

# ctl SOCKET ARGS...: run vrrpctl; stdout in $T/out, stderr in $T/err, exit code in $RC.
ctl() {
	local s=$1
	shift
	"$CTL" -s "$s" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	return $RC
}
expect_rc() { # expect_rc WANT WHAT
	[ "$RC" = "$1" ] || fail "$2: vrrpctl exited $RC, expected $1; stdout: $(head -c 600 "$T/out"); stderr: $(head -c 600 "$T/err")"
}
# field INSTANCE COLUMN: a column of INSTANCE's row in the last table output.
field() { awk -v n="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $1 == n { print $(col[c]) }' "$T/out"; }

# ---- socket file
mode=$(stat -c %a "$S1")
[ "$mode" = 660 ] || fail "control socket mode is $mode, expected 660"
[ "$(stat -c %a "$(dirname "$S1")")" = 755 ] || fail "the socket's directory was not created with mode 755"
log "sockets: $S1 (created its directory) and $S2, mode 660"

# ---- status: r1 MASTER, r2 BACKUP with r1's address as master
ctl "$S1" status
expect_rc 0 "status on r1"
head -n 1 "$T/out" | grep -Eq '^INSTANCE +IFACE +VRID +STATE +PRIO +MASTER +SINCE +REASON$' ||
	fail "status header is '$(head -n 1 "$T/out")'"
[ "$(field VI_1 STATE)" = MASTER ] || fail "r1: VI_1 state is '$(field VI_1 STATE)', expected MASTER: $(cat "$T/out")"
[ "$(field VI_1 MASTER)" = 192.0.2.1 ] || fail "r1: master column is '$(field VI_1 MASTER)': $(cat "$T/out")"
grep -Eq 'VI_1 .*[0-9]{2}:[0-9]{2}:[0-9]{2} \([0-9]+(s|m[0-9]{2}s) ago\)' "$T/out" ||
	fail "r1: no 'HH:MM:SS (Ns ago)' in the SINCE column: $(cat "$T/out")"
sed 's/^/    r1| /' "$T/out"
_r2_sees_r1() { ctl "$S2" status VI_1 && [ "$(field VI_1 MASTER)" = 192.0.2.1 ]; }
wait_until 3 _r2_sees_r1 || fail "r2 does not show 192.0.2.1 as master: $(cat "$T/out" "$T/err")"
[ "$(field VI_1 STATE)" = BACKUP ] || fail "r2: VI_1 state is '$(field VI_1 STATE)', expected BACKUP"
[ "$(field VI_1 PRIO)" = 100 ] || fail "r2: PRIO is '$(field VI_1 PRIO)', expected 100"
sed 's/^/    r2| /' "$T/out"
log "status: r1 MASTER, r2 BACKUP of 192.0.2.1"

# ---- JSON
ctl "$S2" status --json
expect_rc 0 "status --json on r2"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
i = d["instances"][0]
assert d["router_id"] is not None, d
assert i["name"] == "VI_1" and i["state"] == "BACKUP" and i["master"] == "192.0.2.1", i
assert i["priority"] == 100 and i["effective_priority"] == 100 and i["vrid"] == 51, i
assert i["adverts_received"] > 0 and i["master_priority"] == 150, i
' "$T/out" || fail "status --json: not the expected document: $(cat "$T/out")"
ctl "$S1" --json stats
expect_rc 0 "--json stats on r1"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["instances"][0]["adverts_sent"] > 0, d
assert "interfaces" in d and d["interfaces"][0]["name"] == "eth0", d
' "$T/out" || fail "stats --json: not the expected document: $(cat "$T/out")"
log "JSON: status and stats parse and say the same"

# ---- stats
ctl "$S1" stats
expect_rc 0 "stats on r1"
sent=$(field VI_1 SENT)
[ "${sent:-0}" -gt 0 ] 2>/dev/null || fail "r1: adverts sent is '$sent': $(cat "$T/out")"
ctl "$S2" stats VI_1
expect_rc 0 "stats VI_1 on r2"
recv=$(field VI_1 RECEIVED)
[ "${recv:-0}" -gt 0 ] 2>/dev/null || fail "r2: adverts received is '$recv': $(cat "$T/out")"
log "stats: r1 sent $sent adverts, r2 received $recv"

# ---- the daemon's health: the loop's longest turn, advert lateness,
# netlink batches, no reload yet (one snapshot: the figures agree exactly)
_r1_sent_10() { ctl "$S1" stats VI_1 && [ "$(field VI_1 SENT)" -ge 10 ] 2>/dev/null; }
wait_until 5 _r1_sent_10 || fail "r1 has not sent 10 adverts: $(cat "$T/out")"
ctl "$S1" --json stats
expect_rc 0 "--json stats on r1 (health)"
python3 - "$T/out" >"$T/health" 2>&1 <<'PY' || fail "stats --json health on r1: $(cat "$T/health"): $(cat "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
h, i = d["health"], d["instances"][0]
lp, la, nl, r = h["loop"], h["advert_lateness"], h["netlink"], h["reload"]
assert lp["turns"] >= 10 and 0 < lp["busy_us"], lp
assert 0 < lp["longest_turn_us"] < 1000000, lp
assert 0 < lp["longest_turn_last_minute_us"] <= lp["longest_turn_us"], lp
# every advert r1's timer sent is in one bucket; only an advert sent on
# receipt (a preemption) or at start is not timed
assert sum(b["count"] for b in la["buckets"]) == la["count"], la
assert la["count"] == i["adverts_timed"] >= 8, (la, i)
assert 0 <= i["adverts_sent"] - la["count"] <= 2, (i["adverts_sent"], la["count"])
assert la["max_us"] == i["advert_late_max_us"] and la["max_us"] < 1000000, (la, i)
assert la["sum_us"] <= la["count"] * la["max_us"], la
assert [b["le_us"] for b in la["buckets"]] == [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, None], la
# r1 installed its VIP: at least one batch, answered within a second
assert nl["batches"] >= 1 and nl["messages"] >= nl["batches"] and nl["messages_max"] >= 1, nl
assert 0 < nl["time_us_max"] < 1000000 and nl["time_us_max"] >= nl["last_time_us"], nl
assert r["count"] == 0 and r["last"] is None, r
print("longest turn %d us, %d adverts timed (of %d sent), max %d us late, %d batch(es), max %d us" % (
    lp["longest_turn_us"], la["count"], i["adverts_sent"], la["max_us"], nl["batches"], nl["time_us_max"]))
PY
result "health: r1 $(cat "$T/health")"
ctl "$S1" stats
expect_rc 0 "stats on r1 (health section)"
late=$(field VI_1 LATE-MAX)
[[ "$late" =~ ^[0-9]+\.[0-9]{3}ms$ ]] || fail "r1: LATE-MAX is '$late': $(cat "$T/out")"
grep -Eq '^LOOP: [0-9]+ turns, busy [0-9.]+ s .*; longest turn [0-9.]+ ms since start, [0-9.]+ ms in the last minute$' "$T/out" ||
	fail "stats: no LOOP line: $(cat "$T/out")"
grep -Eq '^ADVERT LATENESS: [1-9][0-9]* adverts sent by their timer' "$T/out" || fail "stats: no ADVERT LATENESS line: $(cat "$T/out")"
grep -Eq '^  <=50us +<=100us .* >12\.8ms$' "$T/out" || fail "stats: no histogram header: $(cat "$T/out")"
grep -Eq '^NETLINK: [1-9][0-9]* batches' "$T/out" || fail "stats: no NETLINK line: $(cat "$T/out")"
grep -Eq '^RELOAD: 0 \(0 rejected\)$' "$T/out" || fail "stats: no RELOAD line: $(cat "$T/out")"
sed -n '/^LOOP/,$p' "$T/out" | sed 's/^/    r1| /'
log "health: text section and LATE-MAX ($late) shown"

# ---- metrics
ctl "$S1" metrics
expect_rc 0 "metrics on r1"
grep -qx 'vrrpd_instance_state{instance="VI_1",interface="eth0",vrid="51",state="MASTER"} 1' "$T/out" ||
	fail "metrics: no MASTER=1 sample for VI_1: $(grep instance_state "$T/out")"
grep -qx 'vrrpd_up 1' "$T/out" || fail "metrics: no 'vrrpd_up 1'"
bad=$(grep -Ev '^# (HELP|TYPE) [a-z_]+ .+$|^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? -?[0-9.e+]+$' "$T/out" | head -n 3)
[ -z "$bad" ] || fail "metrics: lines not in the text exposition format: $bad"
dups=$(grep '^# TYPE' "$T/out" | sort | uniq -d)
[ -z "$dups" ] || fail "metrics: TYPE repeated: $dups"
inf=$(sed -n 's/^vrrpd_advert_lateness_seconds_bucket{le="+Inf"} //p' "$T/out")
cnt=$(sed -n 's/^vrrpd_advert_lateness_seconds_count //p' "$T/out")
[ -n "$inf" ] && [ "$inf" = "$cnt" ] && [ "$cnt" -gt 0 ] ||
	fail "metrics: the lateness histogram's +Inf bucket '$inf' and count '$cnt' differ or are 0"
grep -q '^# TYPE vrrpd_advert_lateness_seconds histogram$' "$T/out" || fail "metrics: no lateness histogram TYPE"
for f in vrrpd_loop_turns_total vrrpd_loop_busy_seconds_total 'vrrpd_loop_turn_max_seconds{window="start"}' \
	'vrrpd_loop_turn_max_seconds{window="1m"}' vrrpd_netlink_batches_total vrrpd_netlink_batch_seconds_max \
	vrrpd_reloads_total 'vrrpd_reload_last_seconds{phase="apply"}' vrrpd_reload_max_seconds; do
	grep -Fq "$f " "$T/out" || fail "metrics: no sample $f"
done
log "metrics: $(grep -vc '^#' "$T/out") samples, format checked"

# ---- errors and exit codes
ctl "$S1" status VI_9
expect_rc 1 "status of an unknown instance"
grep -qx 'error: no instance VI_9' "$T/err" || fail "unknown instance: stderr is '$(cat "$T/err")'"
[ -s "$T/out" ] && fail "unknown instance: something on stdout: $(cat "$T/out")"
ctl "$S1" frobnicate
expect_rc 2 "an unknown command"
ctl "$S1" metrics --json
expect_rc 2 "metrics --json"
"$CTL" --help >"$T/out" 2>&1 || fail "vrrpctl --help failed"
grep -q 'usage: vrrpctl' "$T/out" || fail "vrrpctl --help says: $(cat "$T/out")"
ctl "$T/nowhere.sock" status
expect_rc 3 "a missing socket"
grep -Fqx "vrrpctl: cannot connect to $T/nowhere.sock: No such file or directory (is vrrpd running?)" "$T/err" ||
	fail "missing socket: stderr is '$(cat "$T/err")'"
VRRPCTL_SOCKET=$S1 "$CTL" status >/dev/null 2>&1 || fail "VRRPCTL_SOCKET is not used"
# raw protocol: unknown command and a request that is too long
python3 - "$S1" >"$T/raw" 2>&1 <<'EOF' || fail "raw requests: $(cat "$T/raw")"
import socket, sys
def ask(data, half_close=False):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(sys.argv[1])
    s.sendall(data)
    if half_close:
        s.shutdown(socket.SHUT_WR)
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            return out.decode()
        out += b
r = ask(b"frob x\n")
assert r == "error: unknown command 'frob' (try: status, stats, why, metrics, reload, restart)\n", repr(r)
r = ask(b"status " + b"x" * 300 + b"\n")
assert r.startswith("error: request longer than 256 bytes"), repr(r)
r = ask(b"status", True)  # no newline, but the client half-closes: still a request
assert r.startswith("INSTANCE"), repr(r)
print("ok")
EOF
log "errors: unknown instance -> 1, usage -> 2, no socket -> 3, raw protocol errors answered"

# ---- reload: a good file, then a bad one
ctl "$S2" reload
expect_rc 0 "reload with an unchanged file"
grep -q 'unchanged' "$T/out" || fail "reload: stdout is '$(cat "$T/out")'"
cp "$T/r2.conf" "$T/r2.good"
printf 'vrrp_instance VI_3 {\n    interface eth0\n    virtual_router_id 0\n}\n' >>"$T/r2.conf"
ctl "$S2" reload
expect_rc 1 "reload with a bad file"
grep -q '^error: reload rejected' "$T/err" || fail "bad reload: stderr is '$(cat "$T/err")'"
grep -Eq 'r2\.conf:[0-9]+:[0-9]+: .*virtual_router_id' "$T/err" ||
	fail "bad reload: no file:line:col error on stderr: $(cat "$T/err")"
sed 's/^/    stderr| /' "$T/err"
daemon_running r2 || fail "r2's daemon died on a bad reload"
cp "$T/r2.good" "$T/r2.conf"
ctl "$S2" status VI_1
expect_rc 0 "status after a bad reload"
[ "$(field VI_1 STATE)" = BACKUP ] || fail "r2 is '$(field VI_1 STATE)' after a bad reload"
ctl "$S2" --json stats
expect_rc 0 "--json stats on r2 after two reloads"
python3 - "$T/out" >"$T/reloads" 2>&1 <<'PY' || fail "stats --json reload on r2: $(cat "$T/reloads"): $(cat "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
r, lp = d["health"]["reload"], d["health"]["loop"]
assert r["count"] == 2 and r["rejected"] == 1, r
last = r["last"]
assert last["rejected"] is True and last["diff_us"] == 0 and last["apply_us"] == 0, r
assert 0 < last["parse_us"] == last["total_us"] <= r["longest_us"] < 1000000, r
# the parse runs in a child: the reload's turns are the loop's, each
# shorter than the longest turn since the start
assert 0 < last["longest_turn_us"] <= lp["longest_turn_us"], (lp, r)
print("longest reload %d us, the rejected one %d us" % (r["longest_us"], last["total_us"]))
PY
result "reload cost on r2: $(cat "$T/reloads")"
log "reload: good file -> 0, bad file -> 1 with file:line:col, daemon unchanged"

# ---- a stuck client, then a flood of stuck clients
# stuck SOCKET N HOLD: open N connections, send nothing, wait up to HOLD s
# for each to be closed by the server; prints "closed/N max-seconds".
stuck() {
	python3 - "$@" <<'EOF'
import socket, sys, time, select
path, n, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
t0 = time.monotonic()
socks = []
for _ in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    socks.append(s)
closed, last = 0, 0.0
while socks and time.monotonic() - t0 < hold:
    r, _, _ = select.select(socks, [], [], max(0.0, hold - (time.monotonic() - t0)))
    for s in r:
        if s.recv(4096) == b"":
            closed += 1
            last = time.monotonic() - t0
            socks.remove(s)
            s.close()
print(closed, n, "%.3f" % last)
EOF
}
t_stall=$(now)
stuck "$S1" 1 3 >"$T/stuck1" &
spid=$!
BG_PIDS+=("$spid")
sleep 0.3
ctl "$S1" status
expect_rc 0 "status while another client is stuck"
_wait_exit "$spid" 5 || fail "the stuck client did not finish"
read -r closed _ took <"$T/stuck1"
[ "$closed" = 1 ] || fail "the stuck client was not dropped within 3 s: $(cat "$T/stuck1")"
result "control: a stuck client was dropped after $took s (timeout 1 s)"
wait_until 3 grep -q 'control: dropped a client that stalled' "${DLOG[r1]}" ||
	fail "r1's log does not say 'control: dropped a client that stalled'"

stuck "$S1" 24 3 >"$T/stuck24" &
spid=$!
BG_PIDS+=("$spid")
_wait_exit "$spid" 6 || fail "the stuck clients did not finish"
read -r closed _ took <"$T/stuck24"
[ "$closed" = 24 ] || fail "only $closed of 24 stuck clients were dropped within 3 s"
t_end=$(now)
sleep 0.3
gap=$(adverts | awk -v a="$t_stall" -v b="$t_end" '$4 == "192.0.2.1" && $7 == 51 && $8 > 0 && $1 > a && $1 < b {
	n++; if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f %d", max, n }')
read -r maxgap nadv <<<"$gap"
result "control: largest advert gap while clients stalled ${maxgap} s over $nadv adverts (advert_int $ADV)"
[ "$nadv" -gt 10 ] || fail "too few adverts captured during the stall ($nadv)"
assert_le "advert gap during stuck clients" "$maxgap" "$(fcalc "1.5 * $ADV")"
ctl "$S1" status
expect_rc 0 "status after the stuck clients"
assert_only r1 192.0.2.100
log "stuck clients: 1 then 24 dropped (last after $took s), adverts on time"

# ---- a live socket is not taken over; a stale one is replaced
conf_instance VI_9 99 50 advert_int=$ADV -- 192.0.2.199/24 >"$T/c.conf"
VRRPD_EXTRA_ARGS="-S $S1" start_daemon c "$T/c.conf"
wait_until 5 grep -q "another daemon answers on $S1" "${DLOG[c]}" ||
	fail "a second daemon on r1's live socket did not refuse it: $(tail -n 5 "${DLOG[c]}")"
stop_daemon c
ctl "$S1" status
expect_rc 0 "r1's socket after another daemon tried to take it"
stop_daemon r2 KILL
[ -S "$S2" ] || fail "after kill -9 the socket file is gone (expected a stale file)"
VRRPD_EXTRA_ARGS="-S $S2" start_daemon r2 "$T/r2.conf"
wait_until 5 grep -q "replaced a stale socket file $S2" "${DLOG[r2]}" ||
	fail "r2 did not say it replaced the stale socket"
wait_until 3 ctl "$S2" status || fail "vrrpctl cannot talk to the restarted r2: $(cat "$T/err")"
stop_daemon r2
[ -e "$S2" ] && fail "the socket file is left behind after a clean stop"
cap_stop
log "live socket kept, stale socket replaced, socket removed on stop"
