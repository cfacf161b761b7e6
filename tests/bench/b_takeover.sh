#!/bin/bash
# Takeover benchmarks, run with keepalived and then with vrrpd in one lab.
#   b_takeover.sh kill9   1 instance, advert_int 0.1: kill -9 of the master;
#                         lateness = r2's first advert - (r1's last advert + MDI)
#   b_takeover.sh prio0   1 instance, advert_int 0.1: SIGTERM of the master;
#                         lateness = r2's first advert - (r1's priority-0 advert + Skew_Time)
#   b_takeover.sh many    255 instances (VRIDs 1-255, one VIP each), advert_int 1:
#                         kill -9; per VRID lateness as for kill9; the trial's
#                         value is the largest (the last takeover)
#   b_takeover.sh vips    1 instance with 700 /32 VIPs, advert_int 1: kill -9;
#                         r2's 700th RTM_NEWADDR (ip -ts monitor in r2) - r2's
#                         first advert on the wire
#   b_takeover.sh vips6   1 instance with 1000 /128 IPv6 VIPs, advert_int 1:
#                         kill -9; r2's 1000th RTM_NEWADDR, and r2's first
#                         unsolicited NA on the wire, - r2's first advert
#   b_takeover.sh kill9load, manyload: kill9 and many with both daemons at
#                         real-time priority (vrrp_rt_priority
#                         $BENCH_RT_PRIORITY, default 50, in global_defs) and
#                         both CPUs kept busy by $BENCH_HOGS (default 2) busy
#                         loops in each router's namespace, from the
#                         steady state to the end of the takeover
# Two routers: r1 priority 150 (the master), r2 priority 100 (the backup, whose
# priority sets MDI and Skew_Time), VRRPv3. Each trial restarts r1, waits until
# it is master of everything and r2 is silent, then stops r1 and measures from
# a capture in the switch namespace. Results go to $BENCH_RAW (see benchlib.sh).
. "$(dirname "$0")/benchlib.sh"

MODE=${1:-}
P1=150 P2=100
case $MODE in
kill9) NINST=1 NV=1 ADV=0.1 RUNS=${BENCH_RUNS_FAST:-9} METRICS=(kill9_late_ms) ;;
prio0) NINST=1 NV=1 ADV=0.1 RUNS=${BENCH_RUNS_FAST:-9} METRICS=(prio0_late_ms) ;;
many) NINST=255 NV=255 ADV=1 RUNS=$BENCH_RUNS METRICS=(many255_last_late_ms) ;;
kill9load) NINST=1 NV=1 ADV=0.1 RUNS=${BENCH_RUNS_FAST:-9} METRICS=(kill9load_late_ms) LOAD=1 ;;
manyload) NINST=255 NV=255 ADV=1 RUNS=${BENCH_RUNS_LOAD:-3} METRICS=(many255load_last_late_ms) LOAD=1 ;;
vips) NINST=1 NV=700 ADV=1 RUNS=$BENCH_RUNS METRICS=(vips700_install_ms vips700_span_ms) ;;
vips6) NINST=1 NV=1000 ADV=1 RUNS=$BENCH_RUNS METRICS=(vips6_install_ms vips6_na_ms) FAM=6 ;;
*)
	echo "usage: $0 kill9|prio0|many|vips|vips6|kill9load|manyload" >&2
	exit 2
	;;
esac
MDI=$(mdi "$ADV" "$P2" 9)
SKEW=$(skew "$ADV" "$P2" 9)

require_root
lab_create 2
if [ "${FAM:-4}" = 6 ]; then
	lab_ipv6
	bench_family 6
	conf_vips6 "$NV" "$P1" "$ADV" >"$T/r1.conf"
	conf_vips6 "$NV" "$P2" "$ADV" >"$T/r2.conf"
elif [ "$NINST" -gt 1 ]; then
	conf_many "$NINST" "$P1" "$ADV" >"$T/r1.conf"
	conf_many "$NINST" "$P2" "$ADV" >"$T/r2.conf"
else
	conf_vips "$NV" "$P1" "$ADV" >"$T/r1.conf"
	conf_vips "$NV" "$P2" "$ADV" >"$T/r2.conf"
fi
RT=${BENCH_RT_PRIORITY:-50}
# keepalived's default vrrp_rlimit_rttime, 10 ms, gets its VRRP child killed
# by the kernel (RLIMIT_RTTIME) when 255 instances become master at once
RTTIME=${BENCH_RT_RTTIME:-100000}
if [ -n "${LOAD:-}" ]; then
	# the same real-time setting for both daemons (each applies it to the
	# process that runs VRRP)
	for h in r1 r2; do
		{ printf 'global_defs {\n    vrrp_rt_priority %s\n    vrrp_rlimit_rttime %s\n}\n' "$RT" "$RTTIME"; cat "$T/$h.conf"; } >"$T/$h.conf.new"
		mv "$T/$h.conf.new" "$T/$h.conf"
	done
	log "$MODE: vrrp_rt_priority $RT, vrrp_rlimit_rttime $RTTIME; ${BENCH_HOGS:-2} busy loops in each router during each stop"
fi
log "$MODE: $NINST instance(s), $NV VIP(s), advert_int $ADV, r1 prio $P1, r2 prio $P2; MDI $MDI s, Skew_Time $SKEW s; $RUNS runs per daemon"

# fail_all KIND WHY: record a failed trial for every metric.
fail_all() { record_each "$1" "fail:$2" "${METRICS[@]}"; }

# hogs_start / hogs_stop: the CPU load of the *load modes: BENCH_HOGS busy
# loops (default 2, one per CPU here) in each router's namespace, each
# bounded by timeout 60 s, ended by PID.
HOG_PIDS=()
hogs_start() {
	local h k
	for h in r1 r2; do
		for ((k = 0; k < ${BENCH_HOGS:-2}; k++)); do
			ip netns exec "$(ns "$h")" timeout 60 sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
			HOG_PIDS+=("$!")
			BG_PIDS+=("$!")
		done
	done
}
hogs_stop() {
	local p
	for p in "${HOG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${HOG_PIDS[@]}"; do _wait_exit "$p" 3 || kill -KILL "$p" 2>/dev/null; done
	HOG_PIDS=()
}

# last_log HOST: the daemon's last log line, without its timestamp, short.
last_log() {
	tail -n 1 "${DLOG[$1]}" 2>/dev/null | sed -E 's/^([A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]+ [0-9]{4}:|[0-9:.]+) *//' | cut -c1-80
}

# trial KIND I: one measurement. Returns 1 when the run of this daemon
# cannot go on (a daemon died).
trial() {
	local kind=$1 i=$2 t0 res n mon_pid="" left lim vpid
	if ! daemon_running r2; then
		fail_all "$kind" "the daemon on r2 is not running"
		return 1
	fi
	if ! daemon_running r1; then
		b_flush r1
		b_start "$kind" r1 "$T/r1.conf"
	fi
	b_cap_start || {
		fail_all "$kind" "tcpdump did not start"
		return 1
	}
	lim=$(fcalc "4 * $ADV + 10 + $NV / 100")
	if ! wait_until "$lim" _roles r1 r2 "$NV"; then
		fail_all "$kind" "r1 did not become master of everything within $lim s (r1 has $(nvips r1) VIPs, r2 $(nvips r2)); r1's log ends: $(last_log r1)"
		if [ -n "${BENCH_DEBUG:-}" ]; then
			echo "---- last adverts"
			adverts | tail -n 12
			tail -n 30 "$T/$kind-r1.log" "$T/$kind-r2.log"
		fi
		b_cap_stop
		return 1 # a daemon that cannot converge will not on the next trial either
	fi
	# steady state: r2 has been silent for two intervals
	sleep "$(fcalc "2 * $ADV + 0.3")"
	if [ "$MODE" = vips ] || [ "$MODE" = vips6 ]; then
		# the netlink listener in r2, started well before the takeover
		ip netns exec "$(ns r2)" env TZ=UTC chrt -f 20 ip -tshort monitor address dev eth0 \
			</dev/null >"$T/mon.txt" 2>"$T/mon.err" &
		mon_pid=$!
		BG_PIDS+=("$mon_pid")
		sleep 0.3
	fi
	if ! converged_before "$(now)" "$(fcalc "2 * $ADV")" "$NINST"; then
		fail_all "$kind" "not in steady state before the stop (r1 not advertising all VRIDs, or r2 not silent)"
		b_cap_stop
		[ -n "$mon_pid" ] && { kill "$mon_pid" 2>/dev/null; _wait_exit "$mon_pid" 2; }
		return 0
	fi
	# The stop. Then the harness stays quiet (no polling, no processes)
	# until just after the expected takeover, so as not to compete with the
	# daemons for the CPU.
	vpid=$(_vrrp_pid r1)
	if [ -n "${LOAD:-}" ]; then
		# the load, for two intervals before the stop (checked on the
		# capture afterwards: tcpdump may lag behind while the CPUs are busy)
		hogs_start
		sleep "$(fcalc "2 * $ADV + 0.3")"
	fi
	local quiet
	if [ "$MODE" = prio0 ]; then
		quiet=$(fcalc "$SKEW + 0.15")
		t0=$(now)
		kill -TERM "${DPID[r1]}"
		sleep "$quiet"
		reap_daemon r1 || log "r1 did not exit within 10 s of SIGTERM"
		left=$(nvips r1)
		[ "$left" != 0 ] && log "NOTE: $kind left $left VIPs on r1 after SIGTERM"
	else
		quiet=$(fcalc "$MDI + 0.15")
		t0=$(now)
		kill -KILL "$vpid"
		sleep "$quiet"
		reap_daemon r1 || log "r1 did not exit within 10 s of kill -9 of pid $vpid"
	fi
	hogs_stop
	b_flush r1
	lim=$(fcalc "$MDI + 10 + $NV / 50")
	if ! wait_until "$lim" _nv_is r2 "$NV"; then
		log "r2 holds $(nvips r2) of $NV VIPs $lim s after the stop"
	fi
	sleep "$(fcalc "$ADV + 0.3")" # r2's adverts reach the capture file
	b_cap_stop
	if [ -n "$mon_pid" ]; then
		kill "$mon_pid" 2>/dev/null
		_wait_exit "$mon_pid" 2 || kill -KILL "$mon_pid" 2>/dev/null
	fi

	if [ -n "${LOAD:-}" ] && ! converged_before "$t0" "$(fcalc "2 * $ADV")" "$NINST"; then
		fail_all "$kind" "under load, before the stop, r1 did not advertise every VRID or r2 spoke"
		return 0
	fi
	if [ -n "${BENCH_DEBUG:-}" ]; then
		echo "---- trial $i: adverts around t0=$t0 (time port mac src dst ver vrid prio intvl)"
		adverts | awk -v t="$t0" '$1 > t - 0.35 && $1 < t + 1.5' | head -n 40
	fi
	case $MODE in
	kill9 | many | kill9load | manyload)
		res=$(lateness_kill "$t0" "$MDI")
		set -- $res
		n=$1
		if [ "$n" != "$NINST" ]; then
			fail_all "$kind" "takeover seen on $n of $NINST VRIDs"
		else
			[ "$NINST" -gt 1 ] && log "trial $i: lateness over $n VRIDs: max $2 ms, median $3 ms, min $4 ms"
			record "${METRICS[0]}" "$kind" "$2"
		fi
		;;
	prio0)
		res=$(lateness_prio0 "$t0" "$SKEW")
		set -- $res
		if [ "$1" != 1 ]; then
			fail_all "$kind" "no priority-0 advert from r1 followed by an advert from r2"
		else
			record "${METRICS[0]}" "$kind" "$2"
		fi
		;;
	vips | vips6)
		local tadv m tna
		tadv=$(adv_first "$R2_IP" "$t0")
		res=$(mon_parse "$T/mon.txt" "$NV")
		set -- $res
		if [ -z "$tadv" ]; then
			fail_all "$kind" "no advert from r2 after the kill"
		elif [ "$1" -lt "$NV" ]; then
			m=""
			[ -s "$T/mon.err" ] && m=" ($(head -n1 "$T/mon.err"))"
			fail_all "$kind" "the netlink listener saw $1 of $NV new VIPs$m"
		else
			m=$(lateness_kill "$t0" "$MDI")
			log "trial $i: takeover lateness $(echo "$m" | cut -d' ' -f2) ms; first VIP at $(fcalc "($2 - $tadv) * 1000") ms, ${NV}th at $(fcalc "($3 - $tadv) * 1000") ms after the takeover advert"
			record "${METRICS[0]}" "$kind" "$(fcalc "($3 - $tadv) * 1000")"
			if [ "$MODE" = vips ]; then
				record "${METRICS[1]}" "$kind" "$(fcalc "($3 - $2) * 1000")"
			else
				tna=$(first_na "$tadv")
				if [ -n "$tna" ]; then
					log "trial $i: first NA $(fcalc "($tna - $tadv) * 1000") ms after the takeover advert"
					record "${METRICS[1]}" "$kind" "$(fcalc "($tna - $tadv) * 1000")"
				else
					record "${METRICS[1]}" "$kind" "fail:no unsolicited NA from r2 in the capture"
				fi
			fi
		fi
		;;
	esac
	return 0
}

# run_kind KIND: all trials with one daemon, then stop everything.
run_kind() {
	local kind=$1 i
	log "---- $kind ----"
	b_flush r1
	b_flush r2
	b_start "$kind" r2 "$T/r2.conf"
	sleep 0.2
	for ((i = 1; i <= RUNS; i++)); do
		trial "$kind" "$i" || break
	done
	b_stop_all
	[ -n "${BENCH_LOGDIR:-}" ] && [ -f "$CAP_FILE" ] && cp "$CAP_FILE" "$BENCH_LOGDIR/$MODE-$kind-capture.txt"
	if grep -Eqi 'AddressSanitizer|runtime error|segmentation|assert' "$T"/"$kind"-r*.log 2>/dev/null; then
		log "NOTE: $kind logs show a crash or sanitizer report:"
		grep -Ehi -m3 'AddressSanitizer|runtime error|segmentation|assert' "$T"/"$kind"-r*.log | sed 's/^/    /'
	fi
}

kinds=$(bench_kinds "$T/r1.conf" "${METRICS[@]}")
for kind in $kinds; do
	run_kind "$kind"
done
bench_keep_logs "$MODE"
exit 0
