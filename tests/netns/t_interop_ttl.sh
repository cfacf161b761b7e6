#!/bin/bash
# unicast_ttl with keepalived (issue 9): unicast adverts go out with the
# configured TTL, and a vrrpd instance whose own unicast_ttl is below 255
# accepts its peers' adverts with any TTL (keepalived checks no TTL on
# unicast at all; RFC 5798 wants 255, which vrrpd keeps otherwise).
#  (a) keepalived on r1 (priority 150) master, vrrpd on r2 (100) backup,
#      both unicast with unicast_ttl 10: keepalived's adverts carry TTL 10,
#      and vrrpd stays backup for 2 s (it accepts them: adverts_received
#      grows, no bad-ttl drop).
#  (b) roles reversed: vrrpd on r2 (150) master: its adverts carry TTL 10
#      (255 without the feature), and keepalived stays backup.
#  (c) vrrpd on r2 without unicast_ttl (so 255), keepalived on r1 still
#      sending with TTL 10: vrrpd counts them as bad-ttl and takes over,
#      the documented difference from keepalived.
. "$(dirname "$0")/lib.sh"
require_root
command -v keepalived >/dev/null 2>&1 || skip "keepalived is not installed (Debian package keepalived; tests/deps.sh installs it)"
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd against keepalived"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (reads vrrpctl's JSON)"
lab_create 2
ADV=0.1
U1='unicast_src_ip 192.0.2.1\nunicast_peer {\n    192.0.2.2\n}'
U2='unicast_src_ip 192.0.2.2\nunicast_peer {\n    192.0.2.1\n}'
cap_start

# counter HOST NAME: adverts_received of VI_1, or a drop count by reason
# (instance and interface drops added up).
counter() {
	"$REPO/vrrpctl" -s "$T/$1.sock" --json stats | python3 -c '
import json, sys
d, k = json.load(sys.stdin), sys.argv[1]
n = 0
for i in d["instances"]:
    n += i.get(k, 0) + i["drops"].get(k, 0)
for i in d.get("interfaces", []):
    n += i["drops"].get(k, 0)
print(n)' "$2" || fail "vrrpctl stats on $1 failed"
}
# ttls SRC AFTER: the distinct TTLs of SRC's adverts after AFTER.
ttls() { adverts | awk -v s="$1" -v t="$2" '$4 == s && $1 > t { print $10 }' | sort -u | tr '\n' ' '; }

log "== (a) keepalived master, vrrpd backup, unicast_ttl 10 on both"
pair_conf advert_int=$ADV r1:extra="$U1\nunicast_ttl 10" r2:extra="$U2\nunicast_ttl 10"
t0=$(now)
pair_up -k keepalived vrrpd r1 5 2
got=$(ttls 192.0.2.1 "$t0")
[ "$got" = "10 " ] || fail "keepalived's unicast adverts had TTL(s) '$got', expected 10"
rx=$(counter r2 adverts_received) bad=$(counter r2 bad-ttl)
[ "$bad" = 0 ] || fail "vrrpd dropped $bad of keepalived's TTL-10 adverts as bad-ttl"
[ "$rx" -ge 10 ] || fail "vrrpd received only $rx adverts from keepalived"
result "unicast_ttl 10: keepalived's adverts carry TTL $got; vrrpd (unicast_ttl 10) accepted $rx, 0 bad-ttl, stayed backup 2 s"
stop_daemon r2 TERM
stop_daemon r1 TERM
ipn r1 addr del "$VIP/$VIP_PREFIX" dev eth0 2>/dev/null

log "== (b) vrrpd master with unicast_ttl 10, keepalived backup"
pair_conf advert_int=$ADV r1:priority=100 r2:priority=150 r1:extra="$U1\nunicast_ttl 10" r2:extra="$U2\nunicast_ttl 10"
t0=$(now)
pair_up -k vrrpd keepalived r2 5 2
got=$(ttls 192.0.2.2 "$t0")
[ "$got" = "10 " ] || fail "vrrpd's unicast adverts had TTL(s) '$got', expected 10 (unicast_ttl)"
result "unicast_ttl 10: vrrpd's adverts carry TTL $got; keepalived stayed backup 2 s"
stop_daemon r1 TERM
stop_daemon r2 TERM
ipn r2 addr del "$VIP/$VIP_PREFIX" dev eth0 2>/dev/null

log "== (c) vrrpd without unicast_ttl: keepalived's TTL-10 adverts are bad-ttl (RFC 5798)"
pair_conf advert_int=$ADV r1:extra="$U1\nunicast_ttl 10" r2:extra="$U2"
start_daemon -k keepalived r1 "$T/r1.conf"
wait_master r1 "$VIP" 5
start_daemon r2 "$T/r2.conf"
wait_vip r2 "$VIP" 3 || fail "vrrpd (TTL 255 required) did not take over from keepalived's TTL-10 adverts"
bad=$(counter r2 bad-ttl)
[ "$bad" -ge 1 ] || fail "vrrpd took over but counted no bad-ttl drop"
result "without unicast_ttl vrrpd keeps TTL 255: $bad of keepalived's TTL-10 adverts dropped as bad-ttl (keepalived would accept them)"
cap_stop
