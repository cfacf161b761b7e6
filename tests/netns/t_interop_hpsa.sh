#!/bin/bash
# higher_prio_send_advert and garp_lower_prio_repeat with keepalived
# (issue 9). A master that yields to a higher advert sends one advert with
# its own priority first; the new master hears a lower priority and sends
# its garp_lower_prio_repeat gratuitous ARPs, so that the LAN follows it.
#  (a) vrrpd on r2 (priority 100, higher_prio_send_advert) is master alone;
#      keepalived on r1 (priority 150) starts and preempts. r2 must send
#      exactly one advert (priority 100) after r1's first priority-150
#      advert, within 50 ms, and then none; keepalived answers it with its
#      3 lower-priority GARPs (1 takeover GARP + 3 within 1 s).
#  (b) roles reversed: keepalived on r2 (priority 100, higher_prio_send_
#      advert) is master; vrrpd on r1 (priority 150) preempts: keepalived
#      sends its one advert, and vrrpd must answer it with its
#      garp_lower_prio_repeat 3 GARPs (1 + 3 within 1 s; without the
#      feature only the takeover's 1).
# Both sides: garp_master_repeat 1, garp_master_delay 0 (nothing else in
# the window), garp_lower_prio_repeat 3, garp_lower_prio_delay 0.
. "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null 2>&1 || skip "keepalived is not installed (Debian package keepalived; tests/deps.sh installs it)"
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd against keepalived"
lab_create 2
ADV=0.1
GARPS='garp_master_repeat 1\ngarp_master_delay 0\ngarp_lower_prio_repeat 3\ngarp_lower_prio_delay 0'
cap_start

# garps HOST AFTER BEFORE: gratuitous ARPs for $VIP from HOST's MAC seen
# between the two times, as they enter the switch (not again from br0).
# keepalived writes "who-has VIP (ff:ff:ff:ff:ff:ff) tell VIP".
garps() {
	awk -v mac="$(host_mac "$1")" -v a="$2" -v b="$3" -v vip="$VIP" '
		$1 > a && $1 < b && $2 != "br0" && index($0, mac) && index($0, "ARP") &&
		((index($0, "who-has " vip " ") && index($0, "tell " vip ",")) ||
		 index($0, "Reply " vip " is-at")) { n++ }
		END { print n + 0 }' "$CAP_FILE"
}

# preempt YIELDER YIELDER-KIND WINNER WINNER-KIND: YIELDER (priority 100) is
# master alone, then WINNER (priority 150) starts and must preempt. Sets T1
# (WINNER's first priority-150 advert), EXTRA (YIELDER's adverts after it),
# GAP (the first one's delay) and NG (WINNER's GARPs within 1 s of T1).
preempt() {
	local y=$1 yk=$2 w=$3 wk=$4 t0 first
	start_daemon -k "$yk" "$y" "$T/$y.conf"
	wait_master "$y" "$VIP" 5
	sleep 0.5
	t0=$(now)
	start_daemon -k "$wk" "$w" "$T/$w.conf"
	wait_master "$w" "$VIP" 5
	T1=$(wait_adv "$(adv_src "$w")" "$t0" 3 "" "p == 150") || fail "no priority-150 advert from $w"
	sleep 1.2
	EXTRA=$(adv_count "src == \"$(adv_src "$y")\" && t > $T1")
	first=$(adv_first "$(adv_src "$y")" "$T1")
	GAP=""
	[ -n "$first" ] && GAP=$(fcalc "$first - $T1" 6)
	NG=$(garps "$w" "$(fcalc "$T1 - 0.05" 6)" "$(fcalc "$T1 + 1" 6)")
	log "$y ($yk) sent $EXTRA advert(s) after $w's first priority-150 advert (first after ${GAP:-none} s); $w ($wk) sent $NG GARP(s) within 1 s"
}

log "== (a) vrrpd on r2 yields to keepalived on r1"
pair_conf advert_int=$ADV r1:extra="$GARPS" r2:extra="$GARPS\nhigher_prio_send_advert"
preempt r2 vrrpd r1 keepalived
[ "$EXTRA" = 1 ] || fail "vrrpd sent $EXTRA adverts after keepalived's higher one, expected exactly 1 (higher_prio_send_advert)"
p=$(adverts | awk -v t="$T1" '$4 == "192.0.2.2" && $1 > t { print $8; exit }')
[ "$p" = 100 ] || fail "vrrpd's advert before yielding had priority $p, expected its own 100"
fcmp "$GAP" '<=' 0.05 || fail "vrrpd's advert came $GAP s after keepalived's, expected at once (<= 50 ms)"
[ "$NG" -ge 4 ] || fail "keepalived sent $NG GARPs within 1 s of taking over, expected 1 + 3 (its garp_lower_prio_repeat answer to vrrpd's advert)"
result "higher_prio_send_advert vrrpd -> keepalived: one advert (priority $p) $GAP s after keepalived's, which answered with $NG GARPs (1 takeover + garp_lower_prio_repeat 3)"
client_ping "$VIP" r1
stop_daemon r1 TERM
stop_daemon r2 TERM
ipn r1 addr del "$VIP/$VIP_PREFIX" dev eth0 2>/dev/null
ipn r2 addr del "$VIP/$VIP_PREFIX" dev eth0 2>/dev/null

log "== (b) keepalived on r2 yields to vrrpd on r1"
pair_conf advert_int=$ADV r1:extra="$GARPS" r2:extra="$GARPS\nhigher_prio_send_advert"
preempt r2 keepalived r1 vrrpd
[ "$EXTRA" -ge 1 ] || fail "keepalived sent no advert after vrrpd's higher one: the lab's keepalived does not do higher_prio_send_advert"
[ "$NG" -ge 4 ] || fail "vrrpd sent $NG GARPs within 1 s of taking over, expected 1 + 3 (garp_lower_prio_repeat, answering keepalived's lower advert)"
assert_log r1 "lower-priority master" "that it heard keepalived's lower advert"
result "garp_lower_prio_repeat keepalived -> vrrpd: keepalived's advert $GAP s after vrrpd's, answered with $NG GARPs (1 takeover + 3)"
client_ping "$VIP" r1
cap_stop
