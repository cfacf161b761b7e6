#!/bin/bash
# Unicast over IPv6 (unicast_src_ip + unicast_peer with global addresses):
# election and kill -9 failover work, the capture shows adverts to the
# peer's address with hop limit 255 and none to ff02::12. The instance
# also carries an IPv4 address in virtual_ipaddress_excluded (the other
# family, as keepalived allows): installed and removed with the IPv6 VIP,
# and not listed in the adverts.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
lab_ipv6
VIP=2001:db8::100 VIP_PREFIX=64 ADV=0.1 X4=192.0.2.200
pair_conf advert_int=$ADV \
	r1:extra='unicast_src_ip 2001:db8::1\nunicast_peer {\n    2001:db8::2\n}\nvirtual_ipaddress_excluded {\n    192.0.2.200/24\n}' \
	r2:extra='unicast_src_ip 2001:db8::2\nunicast_peer {\n    2001:db8::1\n}\nvirtual_ipaddress_excluded {\n    192.0.2.200/24\n}'
cap_start
LAB_FAMILY=4 # adverts come from the unicast source addresses, not link-local
adv_src() { host_ip6 "$1"; }
pair_up r1 10 0.5
has_vip r1 "$X4" || fail "r1 (master) does not hold the excluded IPv4 address $X4"
has_vip r2 "$X4" && fail "r2 (backup) holds $X4"
n=$(adv_count 'src == "2001:db8::1" && dst == "2001:db8::2" && ttl == 255 && bad == 0')
[ "$n" -ge 3 ] || fail "no unicast IPv6 adverts r1 -> 2001:db8::2 with hop limit 255: $(adverts | tail -n 2)"
[ "$(adv_count "addrs ~ /192\\.0\\.2\\.200/")" = 0 ] || fail "an advert lists the excluded $X4"

kill_takeover r1 r2 5
m=$(mdi $ADV 100)
result "IPv6 unicast kill -9 takeover $TAKE s (Master_Down_Interval $m s)"
assert_slack "IPv6 unicast takeover after kill -9" "$TAKE" "$m"
wait_vip r2 "$X4" 2 || fail "r2 did not take the excluded $X4 with the VIP"
client_ping "$VIP" r2
wait_adv_count 3 2 'src == "2001:db8::2" && prio > 0' || fail "r2 sent fewer than 3 adverts"
n_mc=$(adv_count 'dst == "ff02::12"')
[ "$n_mc" = 0 ] || fail "$n_mc adverts went to ff02::12 with unicast configured"
stop_daemon r2 TERM
has_vip r2 "$X4" && fail "r2 left $X4 after SIGTERM"
has_vip r2 "$VIP" && fail "r2 left $VIP after SIGTERM"
log "SIGTERM removed both families' addresses"
