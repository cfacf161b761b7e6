#!/bin/bash
# Virtual MAC (use_vmac; conformance 14, 49, 50, 51, 53, 55): every router
# has the macvlan vrrp.51 with 00:00:5e:00:01:33; the master's VIP lives on
# it, its adverts and gratuitous ARPs come from that MAC, and only it
# answers the client's ARP requests for the VIP, before and after a
# failover, so the client's neighbour entry never changes. A router stopped
# with SIGTERM removes its vrrp.51; one killed with kill -9 leaves it, and
# the next start removes and remakes it. The IPv6 instance's vrrp6.51
# (00:00:5e:00:02:33) has no link-local address derived from that MAC, and
# its NA carries the virtual MAC.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
lab_ipv6
VMAC=00:00:5e:00:01:33 VMAC6=00:00:5e:00:02:33 V6=2001:db8::100
for h in r1 r2; do
	p=150
	[ $h = r2 ] && p=100
	{
		conf_instance VI_1 51 $p extra="use_vmac" -- "$VIP/24"
		conf_instance VI_6 51 $p extra="use_vmac" -- "$V6/64"
	} >"$T/$h.conf"
done
"$(vrrpd_bin)" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t refuses the file: $(cat "$T/t.out")"
grep -q "use_vmac.*not implemented\|ignored" "$T/t.out" && fail "vrrpd -t says use_vmac is not applied: $(grep use_vmac "$T/t.out")"
cap_start
pair_up r1 10
assert_stable r1 "$VIP" 0.5
wait_vip r1 "$V6" 5 || fail "r1 does not hold $V6"

# Interfaces on both routers, with the right MACs and no EUI-64 link-local.
for h in r1 r2; do
	ipn $h link show vrrp.51 >"$T/l.txt" 2>&1 || fail "$h has no vrrp.51: $(cat "$T/l.txt")"
	grep -q "link/ether $VMAC" "$T/l.txt" || fail "$h's vrrp.51 does not have $VMAC: $(cat "$T/l.txt")"
	ipn $h link show vrrp6.51 2>/dev/null | grep -q "link/ether $VMAC6" || fail "$h's vrrp6.51 does not have $VMAC6"
	ipn $h -6 addr show dev vrrp6.51 | grep -q "fe80::200:5eff:fe00:233" &&
		fail "$h's vrrp6.51 has the link-local derived from the virtual MAC (conformance 55)"
done
has_vip r2 "$VIP" && fail "r2 (backup) holds $VIP"
ipn r1 -o addr show dev vrrp.51 | grep -q " $VIP/" || fail "r1's $VIP is not on vrrp.51"
log "vrrp.51 ($VMAC) and vrrp6.51 ($VMAC6) on both routers; the VIPs on r1's"

n=$(adv_count "src == \"192.0.2.1\" && vrid == 51 && mac == \"$VMAC\"")
[ "$n" -ge 3 ] || fail "r1's adverts do not come from $VMAC: $(adverts | tail -n 2)"
log "r1's adverts come from $VMAC (conformance 14)"

# client_arp_only VIP MAC: ARP requests for VIP are answered, only by MAC,
# and the client's neighbour entry is MAC.
client_arp_only() {
	local vip=$1 want=$2 macs
	if arping --help 2>&1 | grep -q Habets; then
		inns c arping -i eth0 -c 3 -W 0.2 -w 2 "$vip" >"$T/arping.out" 2>&1
	else
		inns c arping -I eth0 -c 2 -w 3 "$vip" >"$T/arping.out" 2>&1
	fi
	macs=$(sed -n -e 's/.*bytes from \([0-9a-fA-F:]*\) (.*/\1/p' \
		-e 's/.*reply from [0-9.]* \[\([0-9a-fA-F:]*\)\].*/\1/p' "$T/arping.out" |
		tr 'A-F' 'a-f' | sort -u | tr '\n' ' ')
	macs=${macs% }
	[ "$macs" = "$want" ] || fail "ARP replies for $vip came from '$macs', expected only $want"
	inns c ping -n -q -c 2 -i 0.2 -W 1 "$vip" >/dev/null 2>&1 || fail "client cannot ping $vip"
	wait_until 2 _neigh_is "$vip" "$want" || fail "client's entry for $vip is '$(_neigh_mac "$vip")', expected $want"
}
client_arp_only "$VIP" "$VMAC"
log "only $VMAC answers ARP for $VIP; the client's entry is $VMAC"

kill_takeover r1 r2 5
ipn r2 -o addr show dev vrrp.51 | grep -q " $VIP/" || fail "r2's $VIP is not on vrrp.51"
n=$(adv_count "src == \"192.0.2.2\" && \$1 > $T_STOP && mac == \"$VMAC\"")
[ "$n" -ge 1 ] || fail "r2's adverts after the takeover do not come from $VMAC"
grep -q "$VMAC.*ARP, Request who-has $VIP tell $VIP" "$CAP_FILE" || grep -q "$VMAC.*Request who-has $VIP" "$CAP_FILE" ||
	fail "no gratuitous ARP for $VIP from $VMAC in the capture"
client_arp_only "$VIP" "$VMAC"
result "vmac: after kill -9 of r1 the client's entry for $VIP is still $VMAC; only $VMAC answered ARP (parents $(host_mac r1), $(host_mac r2) never)"
wait_vip r2 "$V6" 5 || fail "r2 did not take $V6"
_na_vmac() { grep -q "$VMAC6.*neighbor advertisement, length 32, tgt is $V6" "$CAP_FILE"; }
wait_until 2 _na_vmac || fail "no NA for $V6 from $VMAC6"
log "r2's NA for $V6 comes from $VMAC6"

# kill -9 left r1's interfaces; the next start replaces them.
ipn r1 link show vrrp.51 >/dev/null 2>&1 || fail "kill -9 of r1 should have left vrrp.51 behind"
start_daemon r1 "$T/r1.conf"
wait_master r1 "$VIP" 5
assert_log r1 "removing the virtual MAC interface left by an earlier run" "the stale vrrp.51 removed at start"
client_arp_only "$VIP" "$VMAC"

stop_daemon r2 TERM
ipn r2 link show vrrp.51 >/dev/null 2>&1 && fail "r2 left vrrp.51 behind after SIGTERM"
ipn r2 link show vrrp6.51 >/dev/null 2>&1 && fail "r2 left vrrp6.51 behind after SIGTERM"
[ "$(inns r2 sysctl -n net.ipv4.conf.eth0.arp_ignore)" = 0 ] || fail "r2 did not restore eth0's arp_ignore"
log "SIGTERM removed r2's virtual MAC interfaces and restored eth0's ARP settings"
