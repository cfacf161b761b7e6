#!/bin/bash
# Hitless reload at scale (issue 4): 300 instances as master; SIGHUP with
# the same file: no transition, and no advert gap above 1.2 x advert_int
# (measured on the 255 instances on eth0 from the switch's capture).
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "checks vrrpd's reload log"
lab_create 1
ADV=1
# VRIDs are per interface: 255 instances on eth0, 45 on a second link.
veth_in r1 up0 up1 198.51.100.1/24
{
	for i in $(seq 1 255); do
		if [ "$i" -le 254 ]; then vip=203.0.113.$i; else vip=198.51.100.254; fi
		conf_instance "E$i" "$i" 150 advert_int=$ADV -- "$vip/32"
	done
	for j in $(seq 1 45); do
		conf_instance "U$j" "$j" 150 advert_int=$ADV interface=up0 -- "198.51.100.$((100 + j))/32"
	done
} >"$T/r1.conf"
cap_start
start_daemon r1 "$T/r1.conf"
count_vips() { ipn r1 -br addr | grep -o -E '(203\.0\.113|198\.51\.100)\.[0-9]+/32' | wc -l; }
all_up() { [ "$(count_vips)" -ge 300 ]; }
wait_until 15 all_up || fail "only $(count_vips) of 300 VIPs installed"
wait_until 10 grep -q "U45: BACKUP -> MASTER" "${DLOG[r1]}" || fail "U45 did not become master"
sleep 2.5
lines_before=$(wc -l <"${DLOG[r1]}")
t_reload=$(now)
kill -HUP "${DPID[r1]}"
wait_until 5 grep -q "reload: 300 instance(s) unchanged" "${DLOG[r1]}" ||
	fail "no 'reload: 300 instance(s) unchanged' in the log: $(grep 'reload:' "${DLOG[r1]}")"
sleep 3
new=$(tail -n +"$((lines_before + 1))" "${DLOG[r1]}")
printf '%s\n' "$new" | grep -E ': [A-Z]+ -> [A-Z]+ \(' && fail "reload caused transitions"
took=$(printf '%s\n' "$new" | sed -n 's/.*reload: .* in \([0-9.]*\) ms.*/\1/p' | tail -n1)
# Largest gap between two adverts of the same VRID, around the reload.
assert_le "reload duration (ms)" "${took:-99999}" 500
# The window covers the reload itself, however long it took.
gaps=$(adverts | awk -v t="$t_reload" -v d="$(fcalc "${took:-0} / 1000")" '$4 == "192.0.2.1" && $1 > t - 2 && $1 < t + d + 3 {
	if (($7) in last) { g = $1 - last[$7]; if (g > max) { max = g; at = $7 } } last[$7] = $1; n[$7]++ }
	END { c = 0; for (v in n) c++; printf "%.3f %s %d", max, at, c }')
read -r gap vrid nvrid <<<"$gaps"
[ "$nvrid" -ge 255 ] || fail "captured adverts of only $nvrid VRIDs around the reload"
result "reload300: 300 instances unchanged in $took ms; largest advert gap $gap s (VRID $vrid) at advert_int $ADV s, 0 transitions"
assert_le "largest advert gap across the reload" "$gap" "$(fcalc "1.2 * $ADV")"
cap_stop
