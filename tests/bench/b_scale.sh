#!/bin/bash
# Start, memory and stop with 1000 instances: r1 alone (priority 150, so each
# instance starts as backup and becomes master when its Master_Down_Interval
# runs out), VRRPv3, advert_int 1, 250 instances (VRIDs 1-250, one /32 VIP
# each: 198.51.100.1-250) on each of four links: eth0 and three veths x0, y0,
# z0 whose peers are in the switch namespace, so that the switch's capture
# sees every advert. Per trial, with keepalived and then with vrrpd:
#   start: per instance, its first advert on the wire - (the daemon's execve
#          + MDI); the trial's value is the largest, and the median is
#          recorded too (the execve's time is stamped by a bash that then
#          execs the daemon: DAEMON_EXEC_STAMP in tests/netns/lib.sh)
#   rss:   once all 1000 are master, VmRSS summed over the daemon's processes
#   stop:  SIGTERM; the time until the process is gone (bash's wait on it:
#          no polling), the last priority-0 advert and the last RTM_DELADDR
#          (`ip -tshort monitor address` in r1, started before), all from the
#          signal; a trial where fewer than 1000 priority-0 adverts went out
#          or VIPs are left is recorded as failed
. "$(dirname "$0")/benchlib.sh"

ADV=1 PRIO=150 PER=250
LINKS=(eth0 x0 y0 z0)
NINST=$((PER * ${#LINKS[@]}))
RUNS=${BENCH_RUNS_SCALE:-3}
METRICS=(start1000_late_ms start1000_median_late_ms rss1000_mb stop1000_gone_ms stop1000_prio0_ms stop1000_vipdel_ms)
MDI=$(mdi "$ADV" "$PRIO" 9)

require_root
lab_create 1
k=0
for ifc in x0 y0 z0; do
	k=$((k + 1))
	ipn r1 link add "$ifc" type veth peer name "p$ifc" netns "$(ns sw)" || fail "veth $ifc"
	ipn r1 addr add "203.0.113.$((4 * k + 1))/30" dev "$ifc"
	ipn r1 link set "$ifc" up
	ipn sw link set "p$ifc" up
done
vip_list "$PER" >"$T/v$PER"
i=0
for ifc in "${LINKS[@]}"; do
	n=0
	while read -r vip && [ $n -lt $PER ]; do
		i=$((i + 1)) n=$((n + 1))
		conf_instance "VI_$i" "$n" "$PRIO" advert_int=$ADV interface="$ifc" -- "$vip/32"
	done <"$T/v$PER"
done >"$T/r1.conf"
log "scale: $NINST instances ($PER on each of ${LINKS[*]}), advert_int $ADV, priority $PRIO, MDI $MDI s; $RUNS runs per daemon"

# nvips_all: the /32 addresses (the VIPs) on all of r1's links.
nvips_all() { ipn r1 -4 -o addr show 2>/dev/null | awk '$4 ~ /\/32$/ { n++ } END { print n + 0 }'; }
_all_is() { [ "$(nvips_all)" = "$1" ]; }

# rss_kb: VmRSS summed over every process in r1's namespace (the daemon's
# only, when measured).
rss_kb() {
	local p s=0 v
	for p in $(ip netns pids "$(ns r1)" 2>/dev/null); do
		v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		s=$((s + ${v:-0}))
	done
	echo "$s"
}

# start_lateness TSTART: per (link, VRID), r1's first advert - (TSTART + MDI).
start_lateness() {
	adverts | awk -v ts="$1" -v mdi="$MDI" -v r1="$R1_IP" "$_AWK_SUMMARY"'
		$8 > 0 && !(($2, $7) in first) { first[$2, $7] = $1 }
		END { for (k in first) l[++n] = (first[k] - (ts + mdi)) * 1000; summary(l, n + 0) }'
}

# start_steps TEXEC LINES: where vrrpd's start goes, from its log (after
# LINES lines; HH:MM:SS.µs stamps, local time, the machine's is UTC).
start_steps() {
	tail -n +"$(($2 + 1))" "${DLOG[r1]}" | awk -v tx="$1" '
		function sod(s, a) { split(s, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
		$1 !~ /^[0-9][0-9]:[0-9][0-9]:[0-9.]+$/ { next }
		!st { st = sod($1) }
		/ INIT -> BACKUP/ { if (!b1) b1 = sod($1); bl = sod($1) }
		/ started with / { rd = sod($1) }
		END { x = tx % 86400
			printf "vrrpd start steps from its execve: first log line %.3f ms, first INIT -> BACKUP %.3f ms, last %.3f ms, \"started with\" %.3f ms\n", (st - x) * 1000, (b1 - x) * 1000, (bl - x) * 1000, (rd - x) * 1000 }' | while read -r l; do log "$l"; done
}

trial() {
	local kind=$1 i=$2 t0 tg res mon_pid dog pid left
	b_cap_start || {
		record_each "$kind" "fail:tcpdump did not start" "${METRICS[@]}"
		return 1
	}
	rm -f "$T/exec.t"
	local lines=0
	[ -f "$T/$kind-r1.log" ] && lines=$(wc -l <"$T/$kind-r1.log")
	DAEMON_EXEC_STAMP=$T/exec.t b_start "$kind" r1 "$T/r1.conf"
	if ! wait_until "$(fcalc "$MDI + 15")" _all_is "$NINST"; then
		record_each "$kind" "fail:r1 did not hold its $NINST VIPs within $(fcalc "$MDI + 15") s (has $(nvips_all))" "${METRICS[@]}"
		b_cap_stop
		b_stop_all
		return 1
	fi
	sleep 1.5 # every instance has sent a few adverts
	local tx
	tx=$(cat "$T/exec.t" 2>/dev/null)
	[ -n "$tx" ] || tx=${DSTART[r1]}
	res=$(start_lateness "$tx")
	set -- $res
	if [ "$1" != "$NINST" ]; then
		record_each "$kind" "fail:start: adverts seen on $1 of $NINST instances" start1000_late_ms start1000_median_late_ms
	else
		log "trial $i start: lateness over $1 instances: max $2 ms, median $3 ms, min $4 ms"
		record start1000_late_ms "$kind" "$2"
		[ "$kind" = vrrpd ] && start_steps "$tx" "$lines"
		record start1000_median_late_ms "$kind" "$3"
	fi
	record rss1000_mb "$kind" "$(fcalc "$(rss_kb) / 1024")"
	ip netns exec "$(ns r1)" env TZ=UTC chrt -f 20 ip -tshort monitor address \
		</dev/null >"$T/mon.txt" 2>"$T/mon.err" &
	mon_pid=$!
	BG_PIDS+=("$mon_pid")
	sleep 0.5
	pid=${DPID[r1]}
	# a watchdog bounds the wait
	(sleep 20 && kill -KILL "$pid" 2>/dev/null) &
	dog=$!
	t0=$(now)
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null
	tg=$(now)
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
	DPID[r1]=""
	sleep 0.5
	kill "$mon_pid" 2>/dev/null
	_wait_exit "$mon_pid" 2 || kill -KILL "$mon_pid" 2>/dev/null
	b_cap_stop
	left=$(nvips_all)
	record stop1000_gone_ms "$kind" "$(fcalc "($tg - $t0) * 1000")"
	res=$(adverts | awk -v t="$t0" '$8 == 0 && $1 >= t && !(($2, $7) in z) { z[$2, $7] = 1; n++; last = $1 }
		END { printf "%d %.6f\n", n, last }')
	set -- $res
	if [ "$1" != "$NINST" ]; then
		record stop1000_prio0_ms "$kind" "fail:$1 of $NINST priority-0 adverts"
	else
		record stop1000_prio0_ms "$kind" "$(fcalc "($2 - $t0) * 1000")"
	fi
	res=$(TZ=UTC awk '$2 == "Deleted" && $5 == "inet" && $6 ~ /\/32$/ {
			ts = substr($1, 2, length($1) - 2); split(ts, a, /[-T:]/)
			last = mktime(a[1] " " a[2] " " a[3] " " a[4] " " a[5] " 0") + a[6]; n++ }
		END { printf "%d %.6f\n", n, last }' "$T/mon.txt")
	set -- $res
	if [ "$left" != 0 ]; then
		record stop1000_vipdel_ms "$kind" "fail:$left VIPs left after the stop"
	elif [ "$1" -lt "$NINST" ]; then
		record stop1000_vipdel_ms "$kind" "fail:the listener saw $1 of $NINST VIPs deleted"
	else
		record stop1000_vipdel_ms "$kind" "$(fcalc "($2 - $t0) * 1000")"
	fi
	ipn r1 -4 addr flush dev eth0 2>/dev/null
	b_flush r1
	for ifc in x0 y0 z0; do ipn r1 -4 addr show dev "$ifc" | awk '$2 ~ /\/32$/ { print $2 }' | while read -r a; do ipn r1 addr del "$a" dev "$ifc"; done; done
	return 0
}

kinds=$(bench_kinds "$T/r1.conf" "${METRICS[@]}")
for kind in $kinds; do
	log "---- $kind ----"
	for ((i = 1; i <= RUNS; i++)); do
		trial "$kind" "$i" || break
	done
	b_stop_all
	[ -n "${BENCH_LOGDIR:-}" ] && [ -f "$CAP_FILE" ] && cp "$CAP_FILE" "$BENCH_LOGDIR/scale-$kind-capture.txt"
done
bench_keep_logs scale
exit 0
