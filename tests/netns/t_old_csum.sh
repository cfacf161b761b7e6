#!/bin/bash
# keepalived's old_unicast_checksum (VRRPv3 unicast adverts checksummed with
# 224.0.0.18, not the peer, as pseudo-header destination: keepalived before
# 1.3.6). r1 (150) is configured so; r2 (100) is not, and learns the form
# from r1's first advert, as keepalived does: it stays backup (no split
# brain), says so in its log, and advertises in the old form once it is
# master (after kill -9 of r1). tcpdump, which checks the right form, marks
# the old-form adverts as bad; vrrpd's own check accepts them.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's log lines"
lab_create 2
ADV=0.1
pair_conf advert_int=$ADV \
	r1:extra='unicast_src_ip 192.0.2.1\nunicast_peer {\n    192.0.2.2\n}\nold_unicast_checksum' \
	r2:extra='unicast_src_ip 192.0.2.2\nunicast_peer {\n    192.0.2.1\n}'
cap_start
pair_up r1 10 1
assert_log r2 "192.0.2.1 checksums its VRRPv3 unicast adverts as keepalived before 1.3.6" "r2 learning the old checksum form"
n_bad=$(adv_count 'src == "192.0.2.1" && bad == 1')
n_ok=$(adv_count 'src == "192.0.2.1" && bad == 0')
[ "$n_bad" -gt 0 ] && [ "$n_ok" = 0 ] || fail "r1's adverts: $n_bad in the old form, $n_ok in the right form (tcpdump's check)"
kill_takeover r1 r2 5
wait_adv_count 3 2 'src == "192.0.2.2" && prio > 0' || fail "r2 sent fewer than 3 adverts as master"
n2_bad=$(adv_count 'src == "192.0.2.2" && bad == 1 && prio > 0')
n2_ok=$(adv_count 'src == "192.0.2.2" && bad == 0 && prio > 0')
result "old_unicast_checksum: r1 sent $n_bad old-form adverts, r2 stayed backup and learnt the form; as master r2 sent $n2_bad old-form, $n2_ok right-form adverts; takeover $TAKE s"
[ "$n2_ok" = 0 ] && [ "$n2_bad" -gt 0 ] || fail "r2 as master sent $n2_ok adverts in the right form, $n2_bad in the old one"
