#!/bin/bash
# Clean stop (DESIGN: never leave a VIP behind): three routers, one instance
# with three VIPs. Stop the backup r3, then the master r1 (r2 takes over),
# then r2: after each SIGTERM the stopped router has no VIP; at the end no
# router has any.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 3
ADV=0.1 VIPS="192.0.2.100 192.0.2.101 192.0.2.102"
prio=([1]=150 [2]=100 [3]=50)
for i in 1 2 3; do
	# shellcheck disable=SC2046,SC2086 # one argument per VIP
	conf_instance VI_1 51 "${prio[$i]}" advert_int=$ADV -- $(printf '%s/24 ' $VIPS) >"$T/r$i.conf"
	start_daemon "r$i" "$T/r$i.conf"
done
none_left() { # none_left HOST
	local v
	for v in $VIPS; do has_vip "$1" "$v" && fail "$v left on $1 after SIGTERM: $(addrs "$1")"; done
	return 0
}
all_only() { local v; for v in $VIPS; do _only "$1" "$v" || return 1; done; }
wait_until 10 all_only r1 || fail "VIPs not on r1 only: $(for v in $VIPS; do printf '%s:%s ' "$v" "$(holders "$v")"; done)"
stop_daemon r3 TERM
none_left r3
log "backup r3 stopped: no VIP on r3"
stop_daemon r1 TERM
none_left r1
log "master r1 stopped: no VIP on r1"
wait_until 5 all_only r2 || fail "r2 did not take the VIPs"
stop_daemon r2 TERM
none_left r2
log "new master r2 stopped: no VIP on r2"
for i in 1 2 3; do
	log "r$i: $(addrs "r$i")"
	none_left "r$i"
done
