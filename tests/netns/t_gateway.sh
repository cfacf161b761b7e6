#!/bin/bash
# track_gateway (issue 11 item 2): a master that has lost every tracked
# gateway steps down instead of holding the VIP in a partition; one lost
# gateway changes nothing. r1 (150) and r2 (100) both track two "gateways"
# on the lab host c (192.0.2.10 and 192.0.2.11) with ICMP vrrp_checks in
# one track_gateway block. nftables on c drops r1's echo requests only, one
# gateway at a time:
#   gw_a cut   -> r1 stays master, no transition anywhere (r1 logs the check);
#   gw_b cut   -> r1 goes to FAULT with the gateways as the reason, r2 takes
#                 the VIP within interval * fall + timeout + MDI (+ slack);
#   gw_b back  -> r1 is master again (preempt).
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "track_gateway is vrrpd's own (keepalived has no such block)"
CTL=$REPO/vrrpctl
[ -x "$CTL" ] || fail "no $CTL (run make)"
lab_create 2
ipn c addr add 192.0.2.11/24 dev eth0 || fail "second address on c"
ADV=0.1 IVL=0.2 TMO=0.15 FALL=2
MDI=$(mdi "$ADV" 100)
BOUND=$(fcalc "$IVL * $FALL + $TMO + $MDI + 1.0")

gw_conf() {
	local k
	for k in gw_a:192.0.2.10 gw_b:192.0.2.11; do
		printf 'vrrp_check %s {\n    icmp %s\n    interval %s\n    timeout %s\n    fall %s\n    rise 1\n}\n' \
			"${k%%:*}" "${k#*:}" "$IVL" "$TMO" "$FALL"
	done
	conf_instance VI_1 51 "$1" advert_int=$ADV extra="track_gateway {\n    gw_a\n    gw_b\n}" -- "$VIP/24"
}
gw_conf 150 >"$T/r1.conf"
gw_conf 100 >"$T/r2.conf"
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/dump.txt" 2>&1 || fail "vrrpd -t refused the file: $(cat "$T/dump.txt")"
grep -q "^	track_gateway {" "$T/dump.txt" || fail "vrrpd -t does not dump the track_gateway block: $(cat "$T/dump.txt")"

pair_up r1 5 0.5

# cut GW: c drops echo requests from r1 to the gateway's address.
inns c nft add table inet vt_gw || fail "nft table on c"
inns c nft "add chain inet vt_gw in { type filter hook input priority 0; }"
cut() {
	inns c nft add rule inet vt_gw in ip saddr 192.0.2.1 ip daddr "$1" icmp type echo-request drop comment "\"$2\"" ||
		fail "nft rule for $2"
}
mend() {
	local h
	h=$(inns c nft -a list chain inet vt_gw in | sed -n "s/.*comment \"$1\" # handle \([0-9]*\).*/\1/p")
	[ -n "$h" ] || fail "no nft rule for $1 on c"
	inns c nft delete rule inet vt_gw in handle "$h" || fail "deleting the nft rule for $1"
}
transitions() { grep -cE "VI_1: [A-Z]+ -> [A-Z]+" "${DLOG[$1]}" || true; }

# One gateway lost: the check fails, nothing else moves.
t1=$(transitions r1) t2=$(transitions r2)
cut 192.0.2.10 gw_a
wait_until 5 grep -q "check gw_a: now failing" "${DLOG[r1]}" || fail "r1 did not see gw_a fail"
assert_stable r1 "$VIP" "$(fcalc "3 * $MDI")"
[ "$(transitions r1)" = "$t1" ] && [ "$(transitions r2)" = "$t2" ] ||
	fail "one gateway lost caused a transition: r1 $t1 -> $(transitions r1), r2 $t2 -> $(transitions r2)"
result "gateway: one of two gateways lost -> 0 transitions for $(fcalc "3 * $MDI") s, the VIP stays on r1"

# Both lost: r1 steps down, r2 (which reaches both) takes the VIP.
t0=$(now)
cut 192.0.2.11 gw_b
wait_only r2 "$VIP" 10 || fail "both gateways lost, the VIP did not move to r2: $(holders "$VIP")"
dt=$(fcalc "$(now) - $t0")
result "gateway: both gateways lost -> VIP on r2 after $dt s (interval $IVL, timeout $TMO, fall $FALL, MDI $MDI; bound $BOUND)"
assert_le "both gateways lost: step-down and takeover" "$dt" "$BOUND"
assert_log r1 "both tracked gateways are down: gw_a, gw_b" "the FAULT reason naming the gateways"
"$CTL" -s "$T/r1.sock" status >"$T/status.txt" 2>&1 || fail "vrrpctl status: $(cat "$T/status.txt")"
grep -q "FAULT" "$T/status.txt" || fail "r1's status does not show FAULT: $(cat "$T/status.txt")"
grep -q "both tracked gateways are down" "$T/status.txt" ||
	fail "r1's status does not say why it is in FAULT: $(cat "$T/status.txt")"

# One back: r1 leaves FAULT and preempts.
mend gw_b
wait_only r1 "$VIP" 10 || fail "gw_b back, the VIP did not come back to r1: $(holders "$VIP")"
assert_log r1 "check gw_b: now succeeding" "gw_b succeeding again"
result "gateway: one gateway back -> r1 master again"
