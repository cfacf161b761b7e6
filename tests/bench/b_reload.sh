#!/bin/bash
# Reload cost: r1 is master of N instances at advert_int 0.1 (VRRPv3) and
# gets SIGHUP with the same file. From a capture in the switch: the largest
# gap between two adverts of one VRID around the reload, as a multiple of
# advert_int; from the logs: how long the reload took, and whether any
# instance changed state. keepalived and vrrpd with 255 instances on eth0;
# vrrpd also with 1000 (250 on eth0 and on each of three more links; the
# gaps are measured on eth0's).
. "$(dirname "$0")/benchlib.sh"

ADV=0.1
METRICS=(reload255_gap_x reload255_ms reload255_transitions reload1000_gap_x reload1000_ms
	reload1000_turn_ms reload1000_transitions rss255_kib)

require_root
lab_create 1
# Three more links in r1 for the 1000-instance run (VRIDs are per link).
veth_in r1 x0 x1 203.0.113.250/32
veth_in r1 y0 y1 203.0.113.251/32
veth_in r1 z0 z1 203.0.113.252/32
conf_many 255 150 "$ADV" >"$T/r255.conf"
vip_list 250 >"$T/v250"
i=0
for ifc in eth0 x0 y0 z0; do
	n=0
	while read -r vip && [ $n -lt 250 ]; do
		i=$((i + 1)) n=$((n + 1))
		conf_instance "VI_$i" "$n" 150 advert_int=$ADV interface="$ifc" -- "$vip/32"
	done <"$T/v250"
done >"$T/r1000.conf"

# turn_ms: the longest loop turn during r1's last reload (ms), as vrrpd
# measures it (vrrpctl stats); skip:WHY when it does not say.
turn_ms() {
	"$REPO/vrrpctl" -s "$T/r1.sock" --json stats 2>/dev/null | python3 -c '
import json, sys
try:
    t = json.load(sys.stdin)["health"]["reload"]["last"]["longest_turn_us"]
    print("%.3f" % (t / 1000.0))
except Exception as e:
    print("skip:vrrpctl stats gives no longest turn for the reload (%s)" % type(e).__name__)'
}

# rss_kib HOST: the resident memory (VmRSS, KiB) of every process in HOST's
# namespace (the daemon's: keepalived's parent and VRRP child, or vrrpd).
rss_kib() {
	local p s=0 k
	for p in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
		k=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		s=$((s + ${k:-0}))
	done
	echo "$s"
}

# run_one KIND N CONF NEXPECT
run_one() {
	local kind=$1 n=$2 conf=$3 nexp=$4 t_hup lines gap ms trans pid turn=
	b_flush r1
	b_start "$kind" r1 "$conf"
	if ! wait_until 20 _nv_is r1 "$nexp"; then
		record_each "$kind" "fail:r1 did not hold its $nexp eth0 VIPs within 20 s (has $(nvips r1))" \
			"reload${n}_gap_x" "reload${n}_ms" "reload${n}_transitions"
		[ "$n" = 1000 ] && record reload1000_turn_ms "$kind" "fail:r1 did not start"
		[ "$n" = 255 ] && record rss255_kib "$kind" "fail:r1 did not start"
		b_stop_all
		return
	fi
	sleep 1.5 # past the transitions
	[ "$n" = 255 ] && record rss255_kib "$kind" "$(rss_kib r1)"
	b_cap_start || return
	sleep 1.5
	lines=$(wc -l <"${DLOG[r1]}")
	pid=${DPID[r1]}
	t_hup=$(now)
	kill -HUP "$pid"
	sleep 3
	b_cap_stop
	gap=$(adverts | awk -v t="$t_hup" -v a="$ADV" '$4 == "192.0.2.1" && $1 > t - 1 && $1 < t + 2.5 {
		if (($7) in last) { g = $1 - last[$7]; if (g > max) max = g } last[$7] = $1 }
		END { printf "%.3f", max / a }')
	if [ "$kind" = vrrpd ]; then
		ms=$(tail -n +"$((lines + 1))" "${DLOG[r1]}" | sed -n 's/.*reload: .* in \([0-9.]*\) ms.*/\1/p' | tail -n1)
		trans=$(tail -n +"$((lines + 1))" "${DLOG[r1]}" | grep -cE ': [A-Z]+ -> [A-Z]+ \(')
		turn=$(turn_ms)
	else
		# keepalived logs "Reload finished in N usec" when it reports a duration.
		ms=$(tail -n +"$((lines + 1))" "${DLOG[r1]}" | sed -n 's/.*[Rr]eload finished in \([0-9]*\) usec.*/\1/p' | tail -n1)
		[ -n "$ms" ] && ms=$(fcalc "$ms / 1000")
		trans=$(tail -n +"$((lines + 1))" "${DLOG[r1]}" | grep -cE 'Entering (MASTER|BACKUP|FAULT) STATE')
	fi
	# The same measure over a quiet second before the reload: the lab's noise floor.
	base=$(adverts | awk -v t="$t_hup" -v a="$ADV" '$4 == "192.0.2.1" && $1 > t - 1.4 && $1 < t - 0.1 {
		if (($7) in last) { g = $1 - last[$7]; if (g > max) max = g } last[$7] = $1 }
		END { printf "%.3f", max / a }')
	log "reload $kind $n: worst gap ${gap} x advert_int around the reload, ${base} x in the second before it"
	if [ -n "${BENCH_LOGDIR:-}" ]; then
		cp "$CAP_FILE" "$BENCH_LOGDIR/reload-$kind-$n-capture.txt"
		cp "${DLOG[r1]}" "$BENCH_LOGDIR/reload-$kind-$n-r1.log"
	fi
	record "reload${n}_gap_x" "$kind" "$gap"
	record "reload${n}_ms" "$kind" "${ms:-skip:the log gives no reload duration}"
	record "reload${n}_transitions" "$kind" "$trans"
	[ "$n" = 1000 ] && record reload1000_turn_ms "$kind" "$turn"
	b_stop_all
}

kinds=$(bench_kinds "$T/r255.conf" "${METRICS[@]}")
for kind in $kinds; do
	run_one "$kind" 255 "$T/r255.conf" 255
	if [ "$kind" = vrrpd ]; then
		run_one vrrpd 1000 "$T/r1000.conf" 250
	else
		record_each keepalived "skip:measured at 255 instances" reload1000_gap_x reload1000_ms \
			reload1000_transitions
		record_each keepalived "skip:keepalived does not measure its loop" reload1000_turn_ms
	fi
done
exit 0
