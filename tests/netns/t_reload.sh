#!/bin/bash
# Reload (SIGHUP): a bad file changes nothing and is reported with
# file:line:col; a changed instance is applied while an unchanged one keeps
# its state, VIP and advert rhythm (no transition, no advert gap).
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "tests vrrpd's own command line and reload, not keepalived's"
lab_create 2
ADV=0.1
# VI_1 (VRID 51): r1 master (150 > 100). VI_2 (VRID 52): r2 master (150 > 100).
write_conf() { # write_conf HOST PRIO1 PRIO2
	{
		conf_instance VI_1 51 "$2" advert_int=$ADV -- 192.0.2.100/24
		conf_instance VI_2 52 "$3" advert_int=$ADV -- 192.0.2.101/24
	} >"$T/$1.conf"
}
write_conf r1 150 100
write_conf r2 100 150
cap_start
pair_up r1 5
wait_master r2 192.0.2.101 5

# 1. A bad file: the running configuration stays, the error names its place.
cp "$T/r2.conf" "$T/r2.good"
printf 'vrrp_instance VI_3 {\n    interface eth0\n    virtual_router_id 0\n}\n' >>"$T/r2.conf"
lines_before=$(wc -l <"${DLOG[r2]}")
kill -HUP "${DPID[r2]}"
wait_until 5 grep -q 'running configuration is unchanged' "${DLOG[r2]}" ||
	fail "no 'running configuration is unchanged' in r2's log after a bad reload"
assert_log r2 "r2.conf:[0-9]+:[0-9]+: .*virtual_router_id" "the bad line as file:line:col"
daemon_running r2 || fail "r2's daemon died on a bad reload"
assert_stable r2 192.0.2.101 0.5
tail -n +"$((lines_before + 1))" "${DLOG[r2]}" | grep -E ': [A-Z]+ -> [A-Z]+ \(' &&
	fail "a bad reload caused a transition on r2"
log "bad file: rejected, nothing changed"

# 2. Raise r2's VI_1 priority above r1's; VI_2 is unchanged.
write_conf r2 200 150
t_reload=$(now)
lines_before=$(wc -l <"${DLOG[r2]}")
kill -HUP "${DPID[r2]}"
wait_only r2 192.0.2.100 5 || fail "after raising its priority, r2 did not take VI_1: $(holders 192.0.2.100)"
assert_stable r2 192.0.2.101 0.5
new_lines=$(tail -n +"$((lines_before + 1))" "${DLOG[r2]}")
printf '%s\n' "$new_lines" | grep -Eq 'VI_2: [A-Z]+ -> [A-Z]+ \(' &&
	fail "the unchanged VI_2 made a transition during reload: $(printf '%s\n' "$new_lines" | grep 'VI_2:')"
printf '%s\n' "$new_lines" | grep -q 'VI_1: BACKUP -> MASTER' ||
	fail "r2's log does not show VI_1 taking over after the reload"
# The unchanged instance's adverts kept their rhythm across the reload.
gap=$(adverts | awk -v t="$t_reload" '$4 == "192.0.2.2" && $7 == 52 && $1 > t - 1 && $1 < t + 1 {
	if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f", max }')
result "reload: largest VI_2 advert gap around the reload ${gap} s (advert_int $ADV)"
assert_le "VI_2 advert gap across the reload" "$gap" "$(fcalc "1.5 * $ADV")"
log "changed instance applied; unchanged instance untouched"

# 3. Add a VIP to VI_1 on its master r2: applied in place, no transition,
#    the VIP it already had never leaves.
{
	conf_instance VI_1 51 200 advert_int=$ADV -- 192.0.2.100/24 192.0.2.102/24
	conf_instance VI_2 52 150 advert_int=$ADV -- 192.0.2.101/24
} >"$T/r2.conf"
lines_before=$(wc -l <"${DLOG[r2]}")
kill -HUP "${DPID[r2]}"
wait_vip r2 192.0.2.102 5 || fail "the VIP added by reload did not appear on r2: $(addrs r2)"
assert_stable r2 192.0.2.100 0.3
new_lines=$(tail -n +"$((lines_before + 1))" "${DLOG[r2]}")
printf '%s\n' "$new_lines" | grep -Eq ': [A-Z]+ -> [A-Z]+ \(' && fail "adding a VIP caused a transition: $new_lines"
printf '%s\n' "$new_lines" | grep -q 'VI_1: updated in place.*VIPs +1 -0' ||
	fail "r2's log does not show VI_1 updated in place with one VIP added: $new_lines"
cap_stop
log "VIP added in place"
