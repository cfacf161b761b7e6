#!/bin/bash
# vrrpctl why (issue 11, item 6): the last transitions and decisions of an
# instance, with their reasons, from a bounded ring that a flood cannot wash.
#   1. r1 (priority 150, nopreempt) is master, r2 (100) backup; kill -9 of
#      r1: r2's `why VI_1` shows BACKUP -> MASTER with "master 192.0.2.1
#      down: no advert for X s" (X measured against Master_Down_Interval).
#   2. r1 restarts: nopreempt keeps it backup, and its `why VI_1` shows
#      "did not preempt 192.0.2.2 (priority 100 < 150): nopreempt", once,
#      with a count that grows with r2's adverts.
#   3. a stranger (192.0.2.66) floods r2 with VRRPv2 adverts for the v3
#      instance (dropped: version-mismatch) and well-formed lower-priority
#      ones (discarded by the master) for FLOOD_SECONDS: r2's ring still holds
#      the takeover, the flood is one entry per reason with its count, and
#      the ring has not grown by more than those.
#   4. an unknown instance: "error: no instance NOPE", exit status 1.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "vrrpctl why is vrrpd's"
FLOOD=$REPO/build/tools/vrrpflood
[ -x "$FLOOD" ] || skip "$FLOOD is not built (make check and make netns build it)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (reads vrrpctl's JSON)"
RATE=${FLOOD_RATE:-20000} SECS=${FLOOD_SECONDS:-3}
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV r1:extra=nopreempt
cap_start

why() { "$REPO/vrrpctl" -s "$T/$1.sock" why VI_1; }
# why_json HOST: one line per entry, "KIND<TAB>COUNT<TAB>TEXT", oldest first
why_json() {
	"$REPO/vrrpctl" -s "$T/$1.sock" --json why VI_1 | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    assert set(e) >= {"time", "kind", "text", "count"}, e
    assert e["last"] >= e["time"], e
    print("%s\t%d\t%s" % (e["kind"], e["count"], e["text"]))
' || fail "vrrpctl --json why on $1 failed"
}

# 1. the takeover after kill -9, and its reason
join_late r1 r2
assert_stable r1 "$VIP" 0.5
kill_takeover r1 r2 5
why r2 >"$T/why.r2.1" || fail "vrrpctl why on r2 failed"
cat "$T/why.r2.1"
line=$(grep -m1 'transition  BACKUP -> MASTER: master 192.0.2.1 down: no advert for' "$T/why.r2.1") ||
	fail "r2's why does not show the takeover with its reason: $(cat "$T/why.r2.1")"
quiet=$(printf '%s\n' "$line" | sed 's/.*no advert for \([0-9.]*\) s.*/\1/')
m=$(mdi $ADV 100)
result "r2's why after kill -9 of r1: '${line#*transition  }' (Master_Down_Interval $m s)"
assert_ge "the silence why reports" "$quiet" "$(fcalc "$m - 0.02")"
assert_slack "the silence why reports" "$quiet" "$m"
grep -q 'transition  INIT -> BACKUP: startup' "$T/why.r2.1" || fail "r2's why lacks its start"

# 2. nopreempt: r1 comes back and does not take over, and says why
start_daemon r1 "$T/r1.conf"
assert_stable r2 "$VIP" "$(fcalc "5 * $(mdi $ADV 150)")"
why r1 >"$T/why.r1"
cat "$T/why.r1"
n=$(grep -c 'decision    did not preempt 192.0.2.2 (priority 100 < 150): nopreempt' "$T/why.r1")
[ "$n" = 1 ] || fail "r1's why shows the nopreempt decision $n times (want once, counted): $(cat "$T/why.r1")"
cnt=$(why_json r1 | awk -F'\t' '$3 ~ /nopreempt$/ { print $2 }')
# r2 advertised for 5 Master_Down_Intervals: about 5 * 3.6 / 0.1 adverts
assert_ge "the count of r1's nopreempt entry" "$cnt" 10
result "r1's why (nopreempt): 'did not preempt 192.0.2.2 (priority 100 < 150): nopreempt' x$cnt"
grep -q 'BACKUP -> MASTER' "$T/why.r1" && fail "r1 (nopreempt) took over: $(cat "$T/why.r1")"

# 3. a flood at r2 does not wash its ring
why_json r2 >"$T/why.r2.before"
before=$(wc -l <"$T/why.r2.before")
log "flood: $RATE packets/s for $SECS s of v2,lower at r2"
inns c "$FLOOD" -i eth0 -S 192.0.2.66 -D 224.0.0.18 -m "$(host_mac r2)" -a "$VIP" -v 51 -w 52 -b 200 \
	-p 50 -r "$RATE" -t "$SECS" -k v2,lower >"$T/flood.out" 2>&1 || fail "vrrpflood failed: $(cat "$T/flood.out")"
cat "$T/flood.out"
sleep 0.3
why r2 >"$T/why.r2.2"
cat "$T/why.r2.2"
why_json r2 >"$T/why.r2.after"
after=$(wc -l <"$T/why.r2.after")
grep -q 'master 192.0.2.1 down: no advert for' "$T/why.r2.after" || fail "the flood washed r2's takeover out of its ring"
sent_v2=$(awk '$2 == "sent" && $3 == "v2" { print $4 }' "$T/flood.out")
drops=$(awk -F'\t' '$1 == "drop" && $3 ~ /version-mismatch/ { n++; c += $2 } END { printf "%d %d", n, c }' "$T/why.r2.after")
lower=$(awk -F'\t' '$1 == "decision" && $3 ~ /^lower priority 50 from 192.0.2.66 discarded/ { n++; c += $2 } END { printf "%d %d", n, c }' "$T/why.r2.after")
[ "${drops% *}" = 1 ] || fail "the version-mismatch drops took ${drops% *} entries (want 1)"
[ "${lower% *}" = 1 ] || fail "the stranger's lower adverts took ${lower% *} entries (want 1)"
fcmp "${drops#* }" '>=' "$(fcalc "$sent_v2 * 0.9" 0)" || fail "the drop entry counts ${drops#* } of $sent_v2 packets"
[ "$after" -le $((before + 2)) ] || fail "the flood grew r2's ring from $before to $after entries"
result "flood of $(awk '/total/ { print $3 }' "$T/flood.out") packets at r2: its ring $before -> $after entries; version-mismatch entry x${drops#* } (of $sent_v2 sent), lower-priority entry x${lower#* }; takeover still there"
grep -q 'transition' <(tail -n +"$((before + 1))" "$T/why.r2.after") && fail "a transition during the flood: $(cat "$T/why.r2.2")"

# 4. an unknown instance
rc=0
"$REPO/vrrpctl" -s "$T/r2.sock" why NOPE >"$T/nope.out" 2>"$T/nope.err" || rc=$?
[ "$rc" = 1 ] || fail "vrrpctl why NOPE exited $rc (want 1)"
grep -qx 'error: no instance NOPE' "$T/nope.err" || fail "vrrpctl why NOPE said: $(cat "$T/nope.err")"
[ -s "$T/nope.out" ] && fail "vrrpctl why NOPE wrote to stdout"
rc=0
"$REPO/vrrpctl" -s "$T/r2.sock" why >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "vrrpctl why without an instance exited $rc (want 2, usage)"
log "unknown instance: error and exit 1; none: usage, exit 2"
