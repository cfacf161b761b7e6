#!/bin/bash
# Floods (issue 10, item 3): the client c runs build/tools/vrrpflood
# (tests/flood/vrrpflood.c) at 100 000 packets/s for 10 s per phase, from a
# stranger, 192.0.2.66, on its own eth0:
#   A. at the master r1 (its MAC): bad checksums, TTL 64, truncated, an
#      unknown VRID, version 7, VRRPv2 to the v3 instance, and a wrong
#      password for the v2 instance, in turn;
#   B. the same at the backup r2;
#   C. well-formed adverts of the stranger with a lower priority (50), to
#      224.0.0.18: both routers get them.
# VI_1 (VRID 51, v3, advert_int 0.1) and VI_2 (VRID 52, v2, advert_int 1,
# auth PASS) run on both routers; r1 is master of both.
# Measured and asserted per phase: no transition on either router, r2 never
# advertises, the largest gap between two of the master's VI_1 adverts <=
# 1.2 x advert_int (phases A and B; in C the master answers the stranger with
# extra adverts, at most one per quarter interval, which is checked instead),
# every bad packet counted under its own reason in `vrrpctl stats` (at least
# 95 % of those sent; the rest must be the kernel's socket drops), no other
# reason counted, and the drop log lines bounded (one per reason per 10 s,
# so at most 2 per reason and instance in a phase, plus slack of 1).
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "reads vrrpd's control socket"
FLOOD=$REPO/build/tools/vrrpflood
[ -x "$FLOOD" ] || skip "$FLOOD is not built (make check and make netns build it)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (reads vrrpctl's JSON)"
RATE=${FLOOD_RATE:-100000} SECS=${FLOOD_SECONDS:-10}
lab_create 2
ADV=0.1
AUTH='authentication {\n    auth_type PASS\n    auth_pass secret1\n}'
for h in r1 r2; do
	p=150
	[ $h = r2 ] && p=100
	{
		conf_instance VI_1 51 $p advert_int=$ADV -- 192.0.2.100/24
		conf_instance VI_2 52 $p version=2 advert_int=1 extra="$AUTH" -- 192.0.2.101/24
	} >"$T/$h.conf"
done
cap_begin "$T/capture.txt" -v "ip proto 112 and (src 192.0.2.1 or src 192.0.2.2)" ||
	fail "tcpdump did not start"
pair_up r1 5
wait_master r1 192.0.2.101 8
assert_stable r1 192.0.2.100 0.5

# stats HOST: one line per counter, "SCOPE KEY VALUE" (SCOPE: VI_1, VI_2,
# or if:eth0 for the drops before an instance is known).
stats() {
	"$REPO/vrrpctl" -s "$T/$1.sock" --json stats | python3 -c '
import json, sys
d = json.load(sys.stdin)
for i in d["instances"]:
    for k in ("adverts_sent", "adverts_received", "transitions"):
        print(i["name"], k, i[k])
    for k, v in i["drops"].items():
        print(i["name"], k, v)
for i in d.get("interfaces", []):
    for k, v in i["drops"].items():
        print("if:" + i["name"], k, v)
' || fail "vrrpctl stats on $1 failed"
}
# delta BEFORE AFTER: "SCOPE KEY DIFF" for the counters that moved
delta() { awk 'NR == FNR { a[$1 " " $2] = $3; next } { d = $3 - a[$1 " " $2]; if (d) print $1, $2, d }' "$1" "$2"; }
# raw_drops HOST: the kernel's drops on the host's raw VRRP sockets
raw_drops() { inns "$1" cat /proc/net/raw /proc/net/raw6 2>/dev/null | awk '$2 ~ /:0070$/ { n += $NF } END { print n + 0 }'; }
# cpu_ticks HOST: user + system clock ticks of HOST's daemon so far
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/${DPID[$1]}/stat"; }
# reason of a flood kind: "SCOPE KEY"
declare -A WHERE=([csum]="if:eth0 bad-checksum" [ttl]="if:eth0 bad-ttl" [short]="if:eth0 too-short"
	[vrid]="if:eth0 unknown-vrid" [version]="if:eth0 bad-version" [v2]="VI_1 version-mismatch"
	[auth]="VI_2 auth-mismatch" [lower]="VI_1 adverts_received")

# phase NAME DST-MAC KINDS TARGETS: one flood and its checks; TARGETS are
# the routers that receive it.
phase() {
	local name=$1 mac=$2 kinds=$3 targets=$4 h t0 t1 k n gap nlog n_all
	for h in r1 r2; do
		stats "$h" >"$T/$h.before"
		wc -l <"${DLOG[$h]}" >"$T/$h.lines"
		raw_drops "$h" >"$T/$h.kdrops"
		cpu_ticks "$h" >"$T/$h.cpu"
	done
	log "phase $name: $RATE packets/s for $SECS s of $kinds at $mac"
	t0=$(now)
	inns c "$FLOOD" -i eth0 -S 192.0.2.66 -D 224.0.0.18 -m "$mac" -a 192.0.2.100 -v 51 -w 52 -b 200 \
		-p 50 -r "$RATE" -t "$SECS" -k "$kinds" >"$T/flood.$name" 2>&1 || fail "vrrpflood failed: $(cat "$T/flood.$name")"
	t1=$(now)
	sleep 0.3 # the daemons drain their sockets
	cat "$T/flood.$name"
	local pps
	pps=$(awk '/total/ { print $8 }' "$T/flood.$name")
	fcmp "$pps" '>=' "$(fcalc "$RATE / 2" 0)" || fail "phase $name: the generator reached only $pps of $RATE packets/s"
	fcmp "$pps" '>=' "$(fcalc "$RATE * 0.9" 0)" || log "phase $name: WARNING: the generator reached only $pps of $RATE packets/s (a loaded machine?)"
	local cpu=""
	for h in r1 r2; do
		cpu="$cpu $h=$(fcalc "($(cpu_ticks "$h") - $(cat "$T/$h.cpu")) / $(getconf CLK_TCK) / ($t1 - $t0) * 100" 0)%"
		stats "$h" >"$T/$h.after"
		delta "$T/$h.before" "$T/$h.after" >"$T/$h.delta"
	done
	# 1. no transition, and r2 never advertised
	for h in r1 r2; do
		grep -q ' transitions ' "$T/$h.delta" && fail "phase $name: transitions on $h: $(grep ' transitions ' "$T/$h.delta" | tr '\n' ' '); log: $(tail -n +"$(($(cat "$T/$h.lines") + 1))" "${DLOG[$h]}" | grep -- '->' | tr '\n' ';')"
	done
	n=$(adv_count "src == \"192.0.2.2\" && t >= $t0 && t <= $t1 + 0.3")
	[ "$n" = 0 ] || fail "phase $name: the backup r2 sent $n adverts during the flood"
	assert_only r1 192.0.2.100
	assert_only r1 192.0.2.101
	# 2. the master's rhythm
	gap=$(adverts | awk -v a="$t0" -v b="$t1" '$4 == "192.0.2.1" && $7 == 51 && $1 >= a - 0.2 && $1 <= b + 0.2 {
		if (l != "" && $1 - l > m) m = $1 - l; l = $1; n++ } END { printf "%.3f %d", m, n }')
	n=${gap#* } gap=${gap% *}
	# 3. every kind counted under its own reason on each router it reached
	local counted="" k_sent k_got frac
	for h in $targets; do
		local other kdrops
		kdrops=$(($(raw_drops "$h") - $(cat "$T/$h.kdrops")))
		for k in ${kinds//,/ }; do
			k_sent=$(awk -v k="$k" '$2 == "sent" && $3 == k { print $4 }' "$T/flood.$name")
			k_got=$(awk -v w="${WHERE[$k]}" '$1 " " $2 == w { print $3 }' "$T/$h.delta")
			k_got=${k_got:-0}
			# the backup also receives the master's own adverts
			[ "$k" = lower ] && [ "$h" = r2 ] && k_got=$((k_got - n))
			frac=$(fcalc "$k_got / $k_sent" 4)
			counted="$counted $h:${WHERE[$k]#* }=$k_got/$k_sent"
			[ "$k_got" -le "$k_sent" ] || [ "$k" = lower ] ||
				fail "phase $name: $h counted $k_got packets as ${WHERE[$k]} but only $k_sent were sent"
			if ! fcmp "$frac" '>=' 0.95; then
				fcmp "$(fcalc "($k_got + $kdrops) / $k_sent" 4)" '>=' 0.95 ||
					fail "phase $name: $h counted $k_got of $k_sent $k packets as ${WHERE[$k]} (kernel socket drops $kdrops)"
			fi
		done
		# no other reason moved (own-packet aside)
		other=$(awk '$2 == "adverts_sent" || $2 == "adverts_received" || $2 == "own-packet" { next }
			{ print $1 " " $2 " " $3 }' "$T/$h.delta")
		for k in ${kinds//,/ }; do other=$(printf '%s\n' "$other" | grep -v "^${WHERE[$k]} ") ; done
		[ -z "$other" ] || fail "phase $name: $h counted drops under other reasons: $(echo "$other" | tr '\n' ';')"
		[ "$kdrops" -gt 0 ] && log "phase $name: the kernel dropped $kdrops packets at $h's VRRP sockets (receive buffer full)"
	done
	# 4. log lines bounded
	nlog=""
	for h in r1 r2; do
		local new maxper
		new=$(tail -n +"$(($(cat "$T/$h.lines") + 1))" "${DLOG[$h]}")
		n_all=$(printf '%s' "$new" | grep -c .)
		maxper=$(printf '%s\n' "$new" | grep 'dropped a VRRP packet' | sed 's/^[0-9:.]* \([^:]*\): dropped a VRRP packet from [^ ]*: \([a-z0-9-]*\) .*/\1 \2/' | sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 }')
		nlog="$nlog $h=$n_all"
		[ "${maxper:-0}" -le 3 ] || fail "phase $name: $h logged $maxper lines for one drop reason in $SECS s: $(printf '%s\n' "$new" | head -n 20 | tr '\n' ';')"
		[ "$n_all" -le 30 ] || fail "phase $name: $h logged $n_all lines during the flood: $(printf '%s\n' "$new" | head -n 20 | tr '\n' ';')"
	done
	result "phase $name ($kinds -> ${targets// /+}): $pps pps; 0 transitions; master's VI_1 adverts $n, largest gap $gap s; daemon CPU$cpu; counted$counted; log lines$nlog"
	if [ "$name" = C ]; then
		# the master answers lower adverts, at most once per quarter interval
		local limit
		limit=$(fcalc "($SECS + 0.4) / $ADV * 5 + 5" 0)
		[ "$n" -le "$limit" ] || fail "phase C: the master sent $n adverts in $SECS s of lower-priority adverts (at most $limit: one per interval and four answers)"
	fi
	assert_le "phase $name: the master's largest VI_1 advert gap" "$gap" "$(fcalc "1.2 * $ADV")"
}

phase A "$(host_mac r1)" csum,ttl,short,vrid,version,v2,auth r1
phase B "$(host_mac r2)" csum,ttl,short,vrid,version,v2,auth r2
phase C 01:00:5e:00:00:12 lower "r1 r2"
cap_stop
