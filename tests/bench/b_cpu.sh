#!/bin/bash
# CPU cost of many instances: r1 (priority 150) is master and r2 (priority
# 100) backup of N instances (default 255, VRIDs 1..N, one VIP each) at
# advert_int 0.1, VRRPv3. Once r1 is master of all of them, the CPU time
# (utime + stime from /proc/PID/stat, all processes of the daemon: keepalived's
# parent and VRRP child, or vrrpd) used by each router over BENCH_CPU_SECONDS
# (default 20) is recorded, for keepalived and then for vrrpd, in one lab;
# and the master's CPU per advert sent: its CPU time over the packets that
# came in on its switch port in the same window (rx_packets of pr1 in the
# switch namespace: r1's adverts, and the odd ARP).
. "$(dirname "$0")/benchlib.sh"

N=${BENCH_CPU_INSTANCES:-255}
SECS=${BENCH_CPU_SECONDS:-20}
ADV=0.1
METRICS=("cpu${N}_master_s" "cpu${N}_backup_s" "cpu${N}_us_per_advert")

require_root
lab_create 2
conf_many "$N" 150 "$ADV" >"$T/r1.conf"
conf_many "$N" 100 "$ADV" >"$T/r2.conf"
HZ=$(getconf CLK_TCK)
log "cpu: $N instances, advert_int $ADV, CPU time over $SECS s (CLK_TCK $HZ)"

# rx_packets PORT: packets the switch received on PORT (from its host).
rx_packets() { ip netns exec "$(ns sw)" cat "/sys/class/net/$1/statistics/rx_packets" 2>/dev/null || echo 0; }

run_kind() {
	local kind=$1 a1 a2 b1 b2 t0 t1 p0 p1
	log "---- $kind ----"
	b_flush r1
	b_flush r2
	b_start "$kind" r2 "$T/r2.conf"
	b_start "$kind" r1 "$T/r1.conf"
	if ! wait_until 15 _roles r1 r2 "$N"; then
		record_each "$kind" "fail:r1 did not become master of all $N instances within 15 s (r1 has $(nvips r1) VIPs, r2 $(nvips r2))" "${METRICS[@]}"
		b_stop_all
		return
	fi
	sleep 1 # past the transition
	p0=$(rx_packets pr1)
	a1=$(cpu_ticks r1) a2=$(cpu_ticks r2) t0=$(now)
	sleep "$SECS"
	b1=$(cpu_ticks r1) b2=$(cpu_ticks r2) t1=$(now)
	p1=$(rx_packets pr1)
	if daemon_running r1 && daemon_running r2 && _roles r1 r2 "$N"; then
		record "${METRICS[0]}" "$kind" "$(fcalc "($b1 - $a1) / $HZ * $SECS / ($t1 - $t0)")"
		record "${METRICS[1]}" "$kind" "$(fcalc "($b2 - $a2) / $HZ * $SECS / ($t1 - $t0)")"
		log "$kind: r1 sent $((p1 - p0)) packets in $(fcalc "$t1 - $t0") s ($(fcalc "($p1 - $p0) / ($t1 - $t0)" 0)/s for $N instances at $ADV s)"
		if [ $((p1 - p0)) -gt 0 ]; then
			record "${METRICS[2]}" "$kind" "$(fcalc "($b1 - $a1) / $HZ * 1000000 / ($p1 - $p0)")"
		else
			record "${METRICS[2]}" "$kind" "fail:no packets counted on the switch port"
		fi
	else
		record_each "$kind" "fail:the routers did not stay master/backup during the measurement (r1 has $(nvips r1) VIPs, r2 $(nvips r2))" "${METRICS[@]}"
	fi
	b_stop_all
}

kinds=$(bench_kinds "$T/r1.conf" "${METRICS[@]}")
for kind in $kinds; do
	run_kind "$kind"
done
bench_keep_logs cpu
exit 0
