#!/bin/bash
# A dual-stack pair: an IPv4 and an IPv6 instance with the same VRID 51
# (VRIDs are per address family, conformance 50) in one vrrp_sync_group.
# r1 (priority 150) holds both VIPs; kill -9 of r1 moves both to r2 within
# the IPv4/IPv6 Master_Down_Interval + 100 ms, and the client reaches both
# through r2; r1 returns and takes both back.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
lab_ipv6
V4=192.0.2.100 V6=2001:db8::100 ADV=0.1
for h in r1 r2; do
	p=150
	[ $h = r2 ] && p=100
	{
		printf 'vrrp_sync_group G {\n    group {\n        V4\n        V6\n    }\n}\n'
		conf_instance V4 51 $p advert_int=$ADV -- "$V4/24"
		conf_instance V6 51 $p advert_int=$ADV -- "$V6/64"
	} >"$T/$h.conf"
done
start_daemon r1 "$T/r1.conf"
start_daemon r2 "$T/r2.conf"
wait_only r1 "$V4" 10 || fail "r1 is not the only holder of $V4: $(holders "$V4")"
wait_only r1 "$V6" 5 || fail "r1 is not the only holder of $V6: $(holders "$V6")"
assert_stable r1 "$V4" 0.5
assert_only r1 "$V6"
client_ping "$V4" r1
client_ping "$V6" r1

t0=$(now)
stop_daemon r1 KILL
_both() { has_vip r2 "$V4" && has_vip r2 "$V6"; }
wait_until 5 _both || fail "r2 does not hold both VIPs after the kill: $V4 on $(holders "$V4"), $V6 on $(holders "$V6")"
took=$(fcalc "$(now) - $t0")
m=$(mdi $ADV 100)
result "dual stack: both VIPs on r2 $took s after kill -9 of r1 (polled; Master_Down_Interval $m s)"
assert_le "both VIPs moved" "$took" "$(fcalc "$m + 0.3")"
client_ping "$V4" r2
client_ping "$V6" r2

start_daemon r1 "$T/r1.conf"
wait_only r1 "$V4" 5 || fail "r1 did not take $V4 back: $(holders "$V4")"
wait_only r1 "$V6" 5 || fail "r1 did not take $V6 back: $(holders "$V6")"
client_ping "$V6" r1
