#!/bin/bash
# A reload never holds the loop (issue 12 item 2): the file is parsed in a
# child while the loop runs on. A parser that hangs (the file is a FIFO
# that nobody writes) is killed at its 10 s deadline and the running
# configuration stays; a SIGHUP and a vrrpctl reload asked for meanwhile
# wait for it and then run, with the good file; vrrpctl reload answers when
# its reload is done; the master's adverts keep their rhythm throughout.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd's own reload"
lab_create 1
ADV=0.1
CTL=$REPO/vrrpctl
write_conf() { conf_instance VI_1 51 "$1" advert_int=$ADV -- 192.0.2.100/24 >"$2"; }
write_conf 150 "$T/r1.conf"
cap_start
start_daemon r1 "$T/r1.conf"
wait_vip r1 192.0.2.100 5 || fail "r1 did not take its VIP"
wait_until 5 grep -q "VI_1: BACKUP -> MASTER" "${DLOG[r1]}" || fail "r1 did not become master"
sleep 0.5
lines_before=$(wc -l <"${DLOG[r1]}")
new_log() { tail -n +"$((lines_before + 1))" "${DLOG[r1]}"; }

# 1. The parser hangs on a FIFO; the loop answers at once meanwhile.
rm -f "$T/r1.conf"
mkfifo "$T/r1.conf"
t_hup=$(now)
kill -HUP "${DPID[r1]}"
wait_until 2 grep -q "received SIGHUP" "${DLOG[r1]}" || fail "r1 did not log the SIGHUP"
sleep 0.3
t0=$(now)
"$CTL" -s "$T/r1.sock" status >"$T/st" 2>&1 || fail "vrrpctl status during the reload: $(cat "$T/st")"
took=$(fcalc "$(now) - $t0")
result "vrrpctl status while a reload's parser hangs: answered in ${took} s"
assert_le "vrrpctl status during the reload (s)" "$took" 1
grep -q "VI_1 .*MASTER" "$T/st" || fail "status during the reload: $(cat "$T/st")"

# 2. Meanwhile the good file comes back (priority 160), with a second
#    SIGHUP and a vrrpctl reload: both wait for the running reload.
rm -f "$T/r1.conf"
write_conf 160 "$T/r1.conf"
kill -HUP "${DPID[r1]}"
wait_until 2 grep -q "reload: one is under way; this one runs after it" "${DLOG[r1]}" ||
	fail "the second SIGHUP was not queued: $(new_log)"
"$CTL" -s "$T/r1.sock" reload >"$T/rl.out" 2>"$T/rl.err" &
rl_pid=$!

# 3. At the deadline the parser is killed; the queued reload runs.
wait_until 13 grep -qE "reload: parser process: killed by signal 9 \(timeout after 10(\.0)? s\); the running configuration is unchanged" "${DLOG[r1]}" ||
	fail "the hung parser was not killed at its deadline: $(new_log)"
wait_until 3 grep -q "reload: 0 instance(s) unchanged, 1 updated in place" "${DLOG[r1]}" ||
	fail "the queued reload did not apply the good file: $(new_log)"
_wait_exit "$rl_pid" 5 || fail "vrrpctl reload did not return after the reload"
wait "$rl_pid" 2>/dev/null
rc=$?
[ "$rc" = 0 ] || fail "vrrpctl reload exited $rc: $(cat "$T/rl.out" "$T/rl.err")"
grep -q "1 updated in place" "$T/rl.out" || fail "vrrpctl reload printed: $(cat "$T/rl.out" "$T/rl.err")"
[ "$(new_log | grep -c 'reload: .* updated in place, .* in [0-9.]* ms')" = 1 ] ||
	fail "the two queued requests should make one reload: $(new_log | grep 'reload:')"
"$CTL" -s "$T/r1.sock" status >"$T/st" 2>&1
grep -q "VI_1 .*MASTER" "$T/st" || fail "status after the reload: $(cat "$T/st")"

# 4. Stats: two reloads, the first rejected; the loop's longest turn
#    during the last one.
"$CTL" -s "$T/r1.sock" --json stats >"$T/stats" 2>&1 || fail "stats: $(cat "$T/stats")"
python3 - "$T/stats" >"$T/rs" 2>&1 <<'PY' || fail "stats --json after the reloads: $(cat "$T/rs")"
import json, sys
r = json.load(open(sys.argv[1]))["health"]["reload"]
assert r["count"] == 2 and r["rejected"] == 1, r
last = r["last"]
assert last["rejected"] is False and 0 < last["longest_turn_us"] < 100000, r
print("longest loop turn during the reload %d us, the reload %d us" % (last["longest_turn_us"], last["total_us"]))
PY
result "reload: $(cat "$T/rs")"

# 5. No transition, and the adverts kept their rhythm over the 10 s.
new_log | grep -E ': [A-Z]+ -> [A-Z]+ \(' && fail "the reloads caused a transition"
sleep 0.5
cap_stop
gap=$(adverts | awk -v t="$t_hup" '$4 == "192.0.2.1" && $7 == 51 && $1 > t - 1 {
	if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f", max }')
result "largest VI_1 advert gap from the hung reload to the end: ${gap} s (advert_int $ADV)"
assert_le "VI_1 advert gap across the reloads" "$gap" "$(fcalc "1.5 * $ADV")"
log "hung parser killed at its deadline; queued reloads ran once, vrrpctl answered; no gap"
