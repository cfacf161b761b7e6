#!/bin/bash
# A stranger with a higher priority on a unicast instance (issue 10, item
# 3; check_unicast_src, issue 9): r1 (150) and r2 (100) run VI_1 with
# unicast_src_ip / unicast_peer and check_unicast_src. The client, as
# 192.0.2.66, which is nobody's peer, sends well-formed VRRPv3 adverts for
# VRID 51 with priority 254 to r1's address (build/tools/vrrpflood, 10 000
# packets/s for 3 s). r1 must stay master (no transition, the VIP on r1
# only, r2 silent), must not count them as received adverts, and must count
# them as dropped under one reason in `vrrpctl stats` (at least 95 % of
# those sent; the reason's name is reported: not-a-peer). The drop log
# stays bounded. check_unicast_src is always on in vrrpd; the keyword is
# written as a keepalived user would.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "reads vrrpd's control socket"
FLOOD=$REPO/build/tools/vrrpflood
[ -x "$FLOOD" ] || skip "$FLOOD is not built (make check and make netns build it)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (reads vrrpctl's JSON)"
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV \
	r1:extra='unicast_src_ip 192.0.2.1\nunicast_peer {\n    192.0.2.2\n}\ncheck_unicast_src' \
	r2:extra='unicast_src_ip 192.0.2.2\nunicast_peer {\n    192.0.2.1\n}\ncheck_unicast_src'
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t rejects the configuration: $(cat "$T/t.out")"
grep -q "warning.*check_unicast_src" "$T/t.out" && fail "vrrpd -t warns about check_unicast_src: $(grep "warning.*check_unicast_src" "$T/t.out" | head -n 1)"
cap_begin "$T/capture.txt" -v "ip proto 112 and (src 192.0.2.1 or src 192.0.2.2)" || fail "tcpdump did not start"
pair_up r1 5 0.5

stats() {
	"$REPO/vrrpctl" -s "$T/$1.sock" --json stats | python3 -c '
import json, sys
d = json.load(sys.stdin)
for i in d["instances"]:
    for k in ("adverts_received", "transitions"):
        print(i["name"], k, i[k])
    for k, v in i["drops"].items():
        print(i["name"], k, v)
for i in d.get("interfaces", []):
    for k, v in i["drops"].items():
        print("if:" + i["name"], k, v)
' || fail "vrrpctl stats on $1 failed"
}
delta() { awk 'NR == FNR { a[$1 " " $2] = $3; next } { d = $3 - a[$1 " " $2]; if (d) print $1, $2, d }' "$1" "$2"; }

stats r1 >"$T/before"
lines=$(wc -l <"${DLOG[r1]}")
t0=$(now)
inns c "$FLOOD" -i eth0 -S 192.0.2.66 -D 192.0.2.1 -m "$(host_mac r1)" -a "$VIP" -v 51 -P 254 \
	-r 10000 -t 3 -k higher >"$T/flood.out" 2>&1 || fail "vrrpflood failed: $(cat "$T/flood.out")"
cat "$T/flood.out"
sent=$(awk '$2 == "sent" && $3 == "higher" { print $4 }' "$T/flood.out")
sleep 0.3
stats r1 >"$T/after"
delta "$T/before" "$T/after" >"$T/delta"
log "r1's counters that moved: $(tr '\n' ';' <"$T/delta")"

tr=$(awk '$2 == "transitions" { print $3 }' "$T/delta")
[ -z "$tr" ] || fail "r1 made $tr transition(s) on adverts from a stranger that is not its peer: $(tail -n +"$((lines + 1))" "${DLOG[r1]}" | grep -- '->' | tr '\n' ';')"
assert_only r1 "$VIP"
n=$(adv_count "src == \"192.0.2.2\" && t >= $t0")
[ "$n" = 0 ] || fail "r2 advertised $n times: r1 stepped down"
rx=$(awk '$2 == "adverts_received" { print $3 }' "$T/delta")
[ "${rx:-0}" -le 10 ] || fail "r1 counted ${rx} of the stranger's $sent adverts as received"
reason=$(awk '$2 != "adverts_received" && $2 != "transitions" && $2 != "own-packet" { print $3, $1 ":" $2 }' "$T/delta" | sort -rn | head -n 1)
got=${reason%% *} reason=${reason#* }
[ -n "$got" ] || fail "the stranger's $sent adverts were counted under no drop reason"
[ "$reason" = "VI_1:not-a-peer" ] || fail "the stranger's adverts were counted as $reason, not VI_1:not-a-peer"
fcmp "$(fcalc "$got / $sent" 4)" '>=' 0.95 || fail "only $got of the stranger's $sent adverts counted as dropped ($reason)"
nlog=$(tail -n +"$((lines + 1))" "${DLOG[r1]}" | grep -c .)
[ "$nlog" -le 5 ] || fail "r1 logged $nlog lines in 3 s of the stranger's adverts: $(tail -n +"$((lines + 1))" "${DLOG[r1]}" | head -n 10 | tr '\n' ';')"
result "higher-priority stranger on a unicast instance: $got of $sent dropped as $reason, 0 transitions, $nlog log lines"
client_ping "$VIP" r1
cap_stop
