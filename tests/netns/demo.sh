#!/bin/bash
# `make demo`: a narrated tour of what vrrpd does, for someone who has never
# used VRRP. Builds three routers and a client in network namespaces (nothing
# is changed on this machine's own network), runs vrrpd with the shipped
# conf/vrrpd.conf on each router (only the priority differs), kills the master
# and shows the takeover, then brings the old master back. About 30-60 s.
# DEMO_PAUSE=0 removes the pauses between sections.
if [ "$(id -u)" != 0 ]; then
	echo "demo: needs root: it creates network namespaces (run: sudo make demo)" >&2
	exit 1
fi
. "$(dirname "$0")/lib.sh"
PAUSE=${DEMO_PAUSE:-1.5}

section() {
	sleep "$PAUSE"
	printf '\n\033[1m==== %s ====\033[0m\n' "$*"
}
say() { printf '%s\n' "$*" | fmt -w 78; }
show() { # show CMD...: print a command and run it
	printf '  $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/    /'
}
# fail() from lib.sh prints the reason; point at the logs too
demo_exit() {
	local rc=$?
	[ "$rc" != 0 ] && echo "demo: FAILED (daemon logs follow)"
	(exit "$rc")
	lab_cleanup
}
trap demo_exit EXIT

which_router() { # which_router MAC
	local h
	for h in r1 r2 r3; do [ "$(host_mac "$h")" = "$1" ] && { echo "$h"; return; }; done
	echo "unknown"
}
who_has() { # prints one line per router: name, addresses
	local h
	for h in r1 r2 r3; do
		if has_vip "$h" "$VIP" && ! daemon_running "$h"; then
			printf '    %s (%s)  has %s   (left over: its daemon is dead)\n' "$h" "$(host_ip "$h")" "$VIP"
		elif has_vip "$h" "$VIP"; then
			printf '    %s (%s)  has %s   <- master\n' "$h" "$(host_ip "$h")" "$VIP"
		else
			printf '    %s (%s)  -\n' "$h" "$(host_ip "$h")"
		fi
	done
}
ping_vip() {
	local mac
	show ip netns exec "$(ns c)" ping -n -c 3 -i 0.2 -W 1 "$VIP" || fail "the client cannot reach $VIP"
	mac=$(_neigh_mac "$VIP")
	say "The client's ARP table says $VIP is at $mac: that is $(which_router "$mac")'s network card."
}

CONF=$REPO/conf/vrrpd.conf
section "What this demo shows"
say "VRRP (Virtual Router Redundancy Protocol) lets a group of machines share one
\"virtual\" IP address (VIP). One machine, the master, holds it and says so
on the network several times a second (an \"advertisement\"). When the master
goes silent, the backup with the next highest priority takes the address over
within a fraction of a second, and clients keep using the same IP."
say ""
if [ "$(daemon_kind)" = keepalived ]; then
	say "Daemon under test: keepalived (VRRPD_TEST_DAEMON=keepalived)"
else
	say "Daemon under test: $(vrrpd_bin)"
fi

section "1. The lab: three routers and a client on one switch"
lab_create 3
say "Each 'machine' is a Linux network namespace; a bridge in a fifth namespace is
the switch. Addresses are from the documentation range 192.0.2.0/24:"
for h in r1 r2 r3 c; do
	printf '    %-2s  %-12s MAC %s\n' "$h" "$(host_ip "$h")" "$(host_mac "$h")"
done

section "2. The configuration"
if [ -f "$CONF" ]; then
	say "Every router runs vrrpd with the shipped $CONF. Its essential lines:"
	grep -Ev '^[[:space:]]*([#!]|$)' "$CONF" | sed 's/^/    /'
else
	say "($CONF is missing; using an equivalent inline configuration.)"
	CONF=$T/vrrpd.conf
	conf_instance VI_1 51 100 advert_int=0.2 -- 192.0.2.100/24 >"$CONF"
	sed 's/^/    /' "$CONF"
fi
VIP=$(awk '/virtual_ipaddress[[:space:]]*\{/ { f = 1; next } f && NF { sub(/\/.*/, "", $1); print $1; exit }' "$CONF")
ADV=$(awk '$1 == "advert_int" { print $2; exit }' "$CONF")
ADV=${ADV:-1}
[ -n "$VIP" ] || fail "no virtual_ipaddress in $CONF"
prio=([1]=150 [2]=100 [3]=50)
for i in 1 2 3; do
	sed -E "s/^([[:space:]]*priority)[[:space:]]+[0-9]+/\1 ${prio[$i]}/" "$CONF" >"$T/r$i.conf"
done
say ""
say "The only change per router is the priority (sed on a copy of the file):
r1 = 150, r2 = 100, r3 = 50. The highest priority should win."

section "3. Start the daemon on all three routers"
cap_start
for i in 1 2 3; do start_daemon "r$i" "$T/r$i.conf" >/dev/null; done
say "Started. A packet capture on the switch records every advertisement."
wait_only r1 "$VIP" 10 || fail "r1 did not become the only master"
say "Who holds the virtual address $VIP now?"
who_has
wait_adv_count 3 3 'src == "192.0.2.1"'
say "The last three advertisements on the wire (seconds since the daemons started, sender, VRID, priority):"
adverts | tail -n 3 | awk -v t0="${DSTART[r1]}" '{ printf "    %6.3f s  from %-10s vrid %s  priority %s\n", $1 - t0, $4, $7, $8 }'

section "4. The client talks to the virtual address"
ping_vip

section "5. Disaster: the master's daemon is killed (kill -9)"
m=$(mdi "$ADV" 100)
say "r1 stops advertising. r2 waits the Master_Down_Interval: 3 x $ADV s plus a
priority-dependent skew, for r2 (priority 100): $m s. Then it takes over and
announces the address's new location with gratuitous ARP."
tkill=$(now)
stop_daemon r1 KILL >/dev/null
say "  killed r1's daemon at $(date +%T.%3N)"
wait_vip r2 "$VIP" 5 || fail "r2 did not take over"
tnew=$(wait_adv 192.0.2.2 "$tkill" 3) || fail "no advert from r2"
tlast=$(adv_last 192.0.2.1 "$tnew")
take=$(fcalc "$tnew - $tlast")
say "From the capture: r1's last advertisement went out $(fcalc "($tkill - $tlast) * 1000") ms before the kill, r2's first $(fcalc "$tnew - $tkill") s after it:"
printf '\n    \033[1mtakeover in %s s\033[0m (Master_Down_Interval %s s)\n\n' "$take" "$m"
result "demo: kill -9 takeover $take s (Master_Down_Interval $m s)" >/dev/null
who_has
say "(kill -9 gave r1's daemon no chance to clean up, so $VIP is still configured
on r1's eth0 - the client follows r2 anyway, because r2's gratuitous ARP
updated its ARP table. A restarted daemon removes such a stale address.)"

section "6. The client still reaches the virtual address"
ping_vip

section "7. r1 comes back and takes over again (preemption)"
say "r1 has the higher priority (150), so by default it preempts r2 once it has
waited one Master_Down_Interval of its own without hearing a better master."
start_daemon r1 "$T/r1.conf" >/dev/null
t1=${DSTART[r1]}
wait_only r1 "$VIP" 5 || fail "r1 did not take over again"
tback=$(wait_adv 192.0.2.1 "$t1" 2) || fail "no advert from r1"
say "r1 advertises again $(fcalc "$tback - $t1") s after its daemon started."
who_has
ping_vip

section "8. What the daemons logged"
for h in r1 r2 r3; do
	say "$h:"
	grep -E -- '-> |Entering|removing|left on' "${DLOG[$h]}" | sed 's/^/    /' | tail -n 6
done

section "9. Clean up"
for h in r1 r2 r3; do stop_daemon "$h" TERM >/dev/null; done
say "Daemons stopped with SIGTERM (each sends a priority-0 advertisement and
removes its address). Addresses left on the routers:"
for h in r1 r2 r3; do printf '    %s: %s\n' "$h" "$(addrs "$h")"; done
say "The namespaces are deleted on exit. Demo finished."
