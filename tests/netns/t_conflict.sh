#!/bin/bash
# Split-brain conflicts (issue 11 items 1 and 2): r1 (priority 150) and r2
# (priority 100), advert_int 1 s. A one-way cut (an nftables drop of VRRP
# from r1 at r2's ingress) makes r2 master too while r1 keeps hearing r2's
# lower adverts: r1 must report exactly one conflict, lower_master with
# 192.0.2.2, starting more than one Master_Down_Interval after r2's first
# advert and ending one MDI after the heal, with one notify_conflict start
# and one end call, one fence_script call with 192.0.2.2, the FIFO lines,
# vrrpctl's JSON and metrics, and a GARP burst from r1 after the end (the
# test turns garp_lower_prio_repeat off, so no other GARP is due then). r2
# reports none. Then a configuration skew: r2 restarted with version 2;
# both drop each other's adverts (version mismatch), both are master, both
# report a mismatch conflict. Between the two, a stranger (the client)
# sends gratuitous ARPs for the VIP: r1 must log the claim within 1 s and
# report an address conflict once it has lasted one Master_Down_Interval.
# Measured: detection delay (r2's first advert as master -> r1's
# notify_conflict start), end delay (heal -> end call), the conflict's
# logged duration against the cut.
. "$(dirname "$0")/lib.sh"
require_root
command -v nft >/dev/null 2>&1 || skip "nft is not installed (tests/deps.sh installs it)"
[ "$(daemon_kind)" = vrrpd ] || skip "conflicts are vrrpd's (keepalived has none)"
lab_create 2
ADV=1 CUT=12
CTL=$REPO/vrrpctl
MDI1=$(mdi $ADV 150) MDI2=$(mdi $ADV 100)

chmod 0755 "$T"
mkdir -m 0755 "$T/bin"
cat >"$T/bin/note.sh" <<'EOF2'
#!/bin/sh
# note.sh FILE WHAT ARGS...: appends "TIME WHAT ARGS" to FILE.
f=$1
shift
echo "$(date +%s.%N) $*" >>"$f"
exit 0
EOF2
chmod 0755 "$T/bin/note.sh"

# write_conf HOST PRIO [VERSION]
write_conf() {
	local h=$1 n="$T/bin/note.sh $T/$1.calls"
	{
		printf 'global_defs {\n    router_id %s\n    script_user root\n    notify_fifo %s\n    fence_script "%s fence"\n}\n' \
			"$h" "$T/$h.fifo" "$n"
		conf_instance VI_1 51 "$2" advert_int=$ADV version="${3:-3}" extra="notify_conflict \"$n conflict\"
garp_lower_prio_repeat 0" -- "$VIP/24"
	} >"$T/$h.conf"
}
write_conf r1 150
write_conf r2 100
for h in r1 r2; do
	mkfifo -m 0600 "$T/$h.fifo"
	bash -c 'exec cat 0<>"$1" >"$2"' "fifo-$h" "$T/$h.fifo" "$T/$h.fifo.out" &
	BG_PIDS+=($!)
	: >"$T/$h.calls"
done

calls() { sort -n "$T/$1.calls"; }
ncalls() { calls "$1" | grep -c -- " $2\$" || true; }
has_call() { calls "$1" | grep -q -- " $2\$"; }
call_time() { calls "$1" | awk -v w=" $2" 'index($0, w) == length($0) - length(w) + 1 { print $1; exit }'; }
# json HOST: vrrpctl status --json of HOST's daemon, in $T/HOST.json
json() { "$CTL" -s "$T/$1.sock" status --json >"$T/$1.json" 2>&1 || fail "vrrpctl on $1: $(cat "$T/$1.json")"; }
# jq-less: the conflict count of the one instance
conflict_count() { json "$1"; sed -n 's/.*"conflict":{"count":\([0-9]*\),.*/\1/p' "$T/$1.json"; }

cap_start
pair_up r1 10 1
sleep 2
[ "$(conflict_count r1)" = 0 ] || fail "a conflict on r1 before the cut: $(cat "$T/r1.json")"

# ---- the one-way cut: r2 stops hearing r1
log "cut: r2 drops VRRP from r1 for $CUT s"
ipn r2 link show eth0 >/dev/null
inns r2 nft -f - <<EOF2 || fail "nft on r2"
table netdev cut {
	chain in {
		type filter hook ingress device eth0 priority 0;
		ether saddr $(host_mac r1) ip protocol vrrp drop
	}
}
EOF2
t_cut=$(now)
wait_vip r2 "$VIP" 10 || fail "r2 did not become master during the cut"
wait_until 15 has_call r1 "conflict VI_1 lower_master 192.0.2.2 start" ||
	fail "no conflict start on r1 within 15 s of r2 becoming master; calls: $(calls r1 | tr '\n' '|'); log: $(grep -i conflict "$T/r1.log" | tail -3)"
t_start=$(call_time r1 "conflict VI_1 lower_master 192.0.2.2 start")
t_r2=$(adv_first 192.0.2.2 "$t_cut") || true
[ -n "$t_r2" ] || fail "no advert from r2 captured after the cut"
det=$(fcalc "$t_start - $t_r2")
result "conflict detection: notify_conflict start $det s after r2's first advert as master (Master_Down_Interval $MDI1 s, advert_int $ADV s)"
fcmp "$det" '>' "$MDI1" || fail "the conflict started $det s after the condition began, not more than one MDI ($MDI1 s)"
assert_le "detection delay" "$det" "$(fcalc "$MDI1 + $ADV + 1")"
has_call r1 "fence 192.0.2.2" || fail "fence_script was not called with 192.0.2.2: $(calls r1 | tr '\n' '|')"
json r1
grep -q '"current":{"kind":"lower_master","peer":"192.0.2.2","since":' "$T/r1.json" ||
	fail "vrrpctl status --json on r1 does not show the current conflict: $(cat "$T/r1.json")"
"$CTL" -s "$T/r1.sock" status >"$T/r1.status" 2>&1
grep -q '^VI_1: CONFLICT (lower_master) since .*192.0.2.2 also claims to be master (priority 100 < 150)' "$T/r1.status" ||
	fail "vrrpctl status on r1: $(cat "$T/r1.status")"
"$CTL" -s "$T/r1.sock" metrics >"$T/r1.metrics" 2>&1
grep -q '^vrrpd_conflict_active{instance="VI_1",interface="eth0",vrid="51"} 1$' "$T/r1.metrics" ||
	fail "metrics on r1: $(grep conflict "$T/r1.metrics")"
grep -q 'VI_1: conflict: 192.0.2.2 also claims to be master (priority 100 < 150), since ' "$T/r1.log" ||
	fail "no conflict log line on r1: $(grep -i conflict "$T/r1.log")"

# ---- heal
rest=$(fcalc "$CUT - ($(now) - $t_cut)")
fcmp "$rest" '>' 0 && sleep "$rest"
inns r2 nft delete table netdev cut || fail "nft delete on r2"
t_heal=$(now)
log "healed"
wait_until 15 has_call r1 "conflict VI_1 lower_master 192.0.2.2 end" ||
	fail "no conflict end on r1 within 15 s of the heal; calls: $(calls r1 | tr '\n' '|')"
t_end=$(call_time r1 "conflict VI_1 lower_master 192.0.2.2 end")
endd=$(fcalc "$t_end - $t_heal")
result "conflict end: notify_conflict end $endd s after the heal (Master_Down_Interval $MDI1 s)"
assert_le "end delay" "$endd" "$(fcalc "$MDI1 + $ADV + 1")"
dur=$(sed -n 's/.*VI_1: conflict over: .*; it lasted \([0-9.]*\) s.*/\1/p' "$T/r1.log" | tail -1)
[ -n "$dur" ] || fail "no 'conflict over' log line on r1: $(grep -i conflict "$T/r1.log")"
result "conflict duration: $dur s logged for a one-way cut of $CUT s (r2 took $MDI2 s to become master)"
assert_ge "conflict duration" "$dur" "$(fcalc "$CUT - $MDI2 - 2")"
assert_le "conflict duration" "$dur" "$(fcalc "$CUT + 1")"
wait_only r1 "$VIP" 5 || fail "r1 is not the only master after the heal: $(holders "$VIP")"

# the GARP burst after the end, from r1's port
sleep 1
garps=$(awk -v t="$t_end" -v v="$VIP" '$1 > t - 0.05 && $2 == "pr1" && /ARP/ && (index($0, "who-has " v " tell " v) || index($0, v " is-at")) { n++ } END { print n + 0 }' "$T/capture.txt")
first_garp=$(awk -v t="$t_end" -v v="$VIP" '$1 > t - 0.05 && $2 == "pr1" && /ARP/ && (index($0, "who-has " v " tell " v) || index($0, v " is-at")) { print $1; exit }' "$T/capture.txt")
[ "$garps" -ge 1 ] || fail "no gratuitous ARP from r1 after the conflict ended at $t_end"
result "after the end: $garps gratuitous ARP(s) from r1, the first $(fcalc "$first_garp - $t_end") s after the end call"

# exactly one of everything
[ "$(conflict_count r1)" = 1 ] || fail "r1 counted $(conflict_count r1) conflicts, expected 1"
[ "$(conflict_count r2)" = 0 ] || fail "r2 counted $(conflict_count r2) conflicts, expected 0: $(cat "$T/r2.json")"
[ "$(ncalls r1 'conflict VI_1 lower_master 192.0.2.2 start')" = 1 ] || fail "notify_conflict start calls on r1: $(calls r1 | tr '\n' '|')"
[ "$(ncalls r1 'conflict VI_1 lower_master 192.0.2.2 end')" = 1 ] || fail "notify_conflict end calls on r1: $(calls r1 | tr '\n' '|')"
[ "$(ncalls r1 'fence 192.0.2.2')" = 1 ] || fail "fence_script calls on r1: $(calls r1 | tr '\n' '|')"
[ -s "$T/r2.calls" ] && fail "r2 had conflict calls: $(calls r2 | tr '\n' '|')"
grep -q 'fence_script (pid [0-9]*) exited with status 0\|fence_script (pid [0-9]*) .*status 0' "$T/r1.log" ||
	fail "fence_script's exit status is not logged: $(grep fence_script "$T/r1.log")"
grep -qx 'INSTANCE "VI_1" CONFLICT lower_master 192.0.2.2' "$T/r1.fifo.out" &&
	grep -qx 'INSTANCE "VI_1" CONFLICT_END lower_master 192.0.2.2' "$T/r1.fifo.out" ||
	fail "r1's FIFO lines: $(grep CONFLICT "$T/r1.fifo.out")"
"$CTL" -s "$T/r1.sock" metrics >"$T/r1.metrics" 2>&1
grep -q '^vrrpd_conflicts_total{instance="VI_1",interface="eth0",vrid="51",kind="lower_master"} 1$' "$T/r1.metrics" ||
	fail "metrics on r1 after the end: $(grep conflict "$T/r1.metrics")"

# ---- a stranger claims the VIP: the client sends gratuitous ARPs for it
# from its own MAC every 0.1 s for 6 s
CMAC=$(host_mac c)
log "stranger: c claims $VIP for 6 s"
t_s0=$(now)
inns c arping -q -i eth0 -U -S "$VIP" -W 0.1 -c 60 "$VIP" >"$T/arping.out" 2>&1 &
SPID=$!
BG_PIDS+=($SPID)
wait_until 10 has_call r1 "conflict VI_1 address $CMAC start" ||
	fail "no address conflict on r1; calls: $(calls r1 | tr '\n' '|'); log: $(grep -i 'claim\|conflict' "$T/r1.log" | tail -3); arping: $(head -3 "$T/arping.out")"
_wait_exit "$SPID" 15 || fail "arping did not end"
t_s1=$(now)
wait_until 10 has_call r1 "conflict VI_1 address $CMAC end" ||
	fail "the address conflict did not end; calls: $(calls r1 | tr '\n' '|')"
# the stranger's frames as the switch saw them, and r1's first warning
sfirst=$(awk -v v="$VIP" -v t="$t_s0" '$1 > t && $2 == "pc" && /ARP/ && index($0, "tell " v) { print $1; exit }' "$T/capture.txt")
slast=$(awk -v v="$VIP" -v t="$t_s0" '$1 > t && $2 == "pc" && /ARP/ && index($0, "tell " v) { l = $1 } END { print l }' "$T/capture.txt")
[ -n "$sfirst" ] || fail "the stranger's ARPs were not captured: $(grep -c ARP "$T/capture.txt") ARP lines"
warn=$(grep -m1 "VI_1: $CMAC claims our VIP $VIP" "$T/r1.log" | cut -d' ' -f1)
[ -n "$warn" ] || fail "r1 did not log the claim: $(grep -i claim "$T/r1.log")"
# log times are local HH:MM:SS.us of today; the capture's are epoch seconds
sod() { awk -F: '{ printf "%.6f", $1 * 3600 + $2 * 60 + $3 }'; }
sfirst_sod=$(date -d "@$sfirst" +%H:%M:%S.%N | sod)
seen=$(fcalc "$(echo "$warn" | sod) - $sfirst_sod")
t_as=$(call_time r1 "conflict VI_1 address $CMAC start")
t_ae=$(call_time r1 "conflict VI_1 address $CMAC end")
result "stranger's ARP claim: logged by r1 $seen s after its first frame; conflict started $(fcalc "$t_as - $sfirst") s after it (MDI $MDI1 s), ended $(fcalc "$t_ae - $slast") s after its last frame"
assert_le "claim detection" "$seen" 1
fcmp "$seen" '>=' 0 || fail "the claim was logged before the stranger's first frame ($seen s)"
assert_le "address conflict start" "$(fcalc "$t_as - $sfirst")" "$(fcalc "$MDI1 + 1")"
[ "$(ncalls r1 "conflict VI_1 address $CMAC start")" = 1 ] || fail "address conflict starts: $(calls r1 | tr '\n' '|')"
[ "$(ncalls r1 "fence $CMAC")" = 1 ] || fail "fence calls for the stranger: $(calls r1 | tr '\n' '|')"
json r1
grep -q '"by_kind":{"lower_master":1,"mismatch":0,"address":1}' "$T/r1.json" || fail "r1's counts: $(cat "$T/r1.json")"
wait_only r1 "$VIP" 5 || fail "r1 lost $VIP to the stranger's claim: $(holders "$VIP")"

# ---- configuration skew: r2 speaks VRRPv2
log "r2 restarted with version 2"
stop_daemon r2
write_conf r2 100 2
: >"$T/r2.calls"
start_daemon r2 "$T/r2.conf"
for h in r1 r2; do
	wait_until 20 has_call "$h" "conflict VI_1 mismatch $(host_ip "$([ $h = r1 ] && echo r2 || echo r1)") start" ||
		fail "no mismatch conflict on $h within 20 s; calls: $(calls "$h" | tr '\n' '|'); log: $(grep -i 'conflict\|mismatch' "$T/$h.log" | tail -3)"
done
json r1
grep -q '"current":{"kind":"mismatch","peer":"192.0.2.2"' "$T/r1.json" || fail "r1's JSON: $(cat "$T/r1.json")"
grep -q 'VI_1: conflict: 192.0.2.2 sends adverts for our VRID that we drop (version-mismatch)' "$T/r1.log" ||
	fail "r1's mismatch log line: $(grep 'conflict' "$T/r1.log" | tail -2)"
log "both routers report the version mismatch"
grep -h 'conflict\|fence_script' "$T/r1.log" | while IFS= read -r l; do log "r1: $l"; done
exit 0
