#!/bin/bash
# Election (conformance 36, 37, 39): three routers with priorities 150, 100
# and 50 on one VRID. r1 ends up with the VIP and nobody else has it; the
# client reaches the VIP and its ARP entry / ARP replies carry r1's MAC.
# On the wire (conformance 1, 9, 11-13): r1's adverts go to 224.0.0.18 with
# TTL 255, version 3, VRID 51, priority 150, interval 10 cs, the VIP listed,
# a checksum tcpdump -v accepts (v3: with the IPv4 pseudo-header, the
# default), from r1's own MAC (no use_vmac: the virtual MAC is opt-in, as in keepalived; t_vmac checks conformance 14).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 3
VIP=192.0.2.100
prio=([1]=150 [2]=100 [3]=50)
cap_start
for i in 1 2 3; do
	conf_instance VI_1 51 "${prio[$i]}" -- "$VIP/24" >"$T/r$i.conf"
	start_daemon "r$i" "$T/r$i.conf"
done
wait_only r1 "$VIP" 10 || fail "r1 (priority 150) is not the only holder of $VIP after 10 s: holders: $(holders "$VIP")"
log "$VIP is on r1 only"
assert_stable r1 "$VIP" 1
client_ping "$VIP" r1
client_arping "$VIP" r1
log "addresses: r1: $(addrs r1) | r2: $(addrs r2) | r3: $(addrs r3)"
wait_adv_count 5 3 'src == "192.0.2.1"' || fail "fewer than 5 adverts from r1 captured"
good='dst == "224.0.0.18" && ttl == 255 && ver == 3 && vrid == 51 && prio == 150 && intvl == "10cs" && bad == 0 && addrs == "192.0.2.100" && mac == "02:00:00:00:01:01"'
# One pass over the capture (it keeps growing): count the adverts that are not as expected.
wrong=$(adv_count "src == \"192.0.2.1\" && !($good)")
[ "$wrong" = 0 ] || fail "$wrong adverts from r1 are not as expected ($good); see the capture below"
log "wire: all $(adv_count 'src == "192.0.2.1"') adverts from r1 as expected (224.0.0.18, TTL 255, v3, VRID 51, prio 150, 10 cs, checksum ok, r1's MAC)"
