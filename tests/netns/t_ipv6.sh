#!/bin/bash
# VRRPv3 over IPv6 (conformance 8, 12, 13, 16, 37, 45, 52): r1 (priority 150)
# is elected and the client reaches the IPv6 VIP through it; adverts come
# from link-local addresses to ff02::12 with hop limit 255. kill -9 of r1:
# r2 takes over within Master_Down_Interval + 100 ms, its unsolicited NA
# (Override set, target the VIP, target link-layer address r2's MAC) reaches
# the client's port, and the client reaches the VIP through r2. r1 comes
# back and preempts; SIGTERM of r1: r2 takes over within Skew_Time + 100 ms
# of r1's priority-0 advert. No IPv6 VIP is left on a stopped router.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
lab_ipv6
VIP=2001:db8::100 VIP_PREFIX=64 ADV=0.1
pair_conf advert_int=$ADV
cap_start
pair_up r1 10 0.5

n=$(adv_count "src == \"$(host_ll6 r1)\" && dst == \"ff02::12\" && ttl == 255 && bad == 0 && addrs == \"$VIP\"")
[ "$n" -ge 3 ] || fail "expected r1's adverts from $(host_ll6 r1) to ff02::12 with hop limit 255, good checksum, listing $VIP; found $n: $(adverts | tail -n 3)"
log "r1 advertises from its link-local address, hop limit 255, checksum good ($n adverts)"
[ "$(adv_count "src == \"$(host_ll6 r2)\"")" = 0 ] || fail "r2 advertised while r1 is master"

# The unsolicited NA, as the client's port delivers it.
inns c tcpdump -i eth0 -n -e -v -l -U 'icmp6 and ip6[40] == 136' </dev/null >"$T/na.txt" 2>"$T/na.err" &
BG_PIDS+=($!)
wait_until 5 grep -q 'listening on' "$T/na.err" || fail "tcpdump in the client did not start"

kill_takeover r1 r2 5
[ -n "$T_LAST" ] || fail "no advert from r1 in the capture"
m=$(mdi $ADV 100)
result "IPv6 kill -9 takeover $TAKE s (last r1 advert -> first r2 advert; Master_Down_Interval $m s)"
assert_slack "IPv6 takeover after kill -9" "$TAKE" "$m"
assert_ge "IPv6 takeover after kill -9 (not before Master_Down_Interval)" "$TAKE" "$(fcalc "$m - 0.02")"
_na_seen() { grep "$(host_mac r2) > 33:33:00:00:00:01" "$T/na.txt" | grep -q "icmp6 sum ok.*neighbor advertisement, length 32, tgt is $VIP"; }
wait_until 2 _na_seen || fail "no unsolicited NA for $VIP from r2 at the client: $(tail -n 4 "$T/na.txt" | tr '\n' ' ')"
grep -A3 "$(host_mac r2)" "$T/na.txt" | grep -q "Flags \[override\]\|Flags \[router, override\]" ||
	fail "r2's NA does not have the Override flag: $(grep -A3 "$(host_mac r2)" "$T/na.txt" | head -n 4 | tr '\n' ' ')"
grep -A3 "$(host_mac r2)" "$T/na.txt" | grep -q "link-address option (2), length 8 (1): $(host_mac r2)" ||
	fail "r2's NA does not carry its MAC as target link-layer address"
log "the client's port saw r2's unsolicited NA for $VIP (Override, target link-layer address $(host_mac r2))"
client_ping "$VIP" r2

log "r1 comes back and preempts"
start_daemon r1 "$T/r1.conf"
wait_master r1 "$VIP" 5
client_ping "$VIP" r1

term_takeover r1 r2 5
s=$(skew $ADV 100)
result "IPv6 SIGTERM takeover $TAKE s (priority-0 advert -> first r2 advert; Skew_Time $s s)"
assert_slack "IPv6 takeover after a priority-0 advert" "$TAKE" "$s"
client_ping "$VIP" r2
stop_daemon r2 TERM
assert_no_vip r2 "$VIP"
assert_no_vip r1 "$VIP"
log "no IPv6 VIP left on either router after stop"
