#!/bin/bash
# The kernel's floor for vips700_install_ms: nlfloor.c (built here, not part
# of the daemon) adds the same 700 /32 addresses (vip_list 700) to r1's eth0
# (a veth, like r2's in the vips benchmark) with the flags vrrpd uses, in
# three ways (MODE): one sendmsg with an ack per request (vrrpd's way), one
# sendmsg with an ack on the last request only, one sendmsg and ack per
# request. Timed like vips700_install_ms: the 700th RTM_NEWADDR seen by
# `ip -tshort monitor address` in r1 (started before, at SCHED_FIFO 20 as in
# the vips benchmark) minus the program's clock just before its first
# sendmsg; the program's own time to its last ack is logged.
# Then, from $BENCH_RAW, each daemon's vips700_install_ms trials as a multiple
# of the fastest mode's median (needs `vips` earlier in the same run).
. "$(dirname "$0")/benchlib.sh"

NV=700
MODES=(batch-ack batch-last each)
RUNS=${BENCH_RUNS:-5}

require_root
lab_create 1
vip_list "$NV" >"$T/addrs"
BIN=$T/nlfloor
if ! out=$(cc -std=c11 -O2 -Wall -Wextra -o "$BIN" "$BENCH_DIR/nlfloor.c" -lmnl 2>&1); then
	for m in "${MODES[@]}"; do record "nlfloor700_${m}_ms" vrrpd "skip:nlfloor.c does not build: $(echo "$out" | head -n1 | cut -c1-80)"; done
	exit 0
fi
log "nlfloor: $NV /32 addresses on r1's eth0, modes ${MODES[*]}, $RUNS runs each"

# one MODE I: one trial; records nlfloor700_MODE_ms.
one() {
	local mode=$1 i=$2 mon_pid res tprog
	b_flush r1
	ip netns exec "$(ns r1)" env TZ=UTC chrt -f 20 ip -tshort monitor address dev eth0 \
		</dev/null >"$T/mon.txt" 2>"$T/mon.err" &
	mon_pid=$!
	BG_PIDS+=("$mon_pid")
	sleep 0.3
	if ! tprog=$(ip netns exec "$(ns r1)" timeout 10 "$BIN" eth0 "$mode" <"$T/addrs" 2>"$T/prog.err"); then
		record "nlfloor700_${mode}_ms" vrrpd "fail:nlfloor $mode: $(head -n1 "$T/prog.err")"
		kill "$mon_pid" 2>/dev/null
		_wait_exit "$mon_pid" 2
		return
	fi
	wait_until 5 _nv_is r1 "$NV" || log "r1 holds $(nvips r1) of $NV addresses"
	sleep 0.2
	kill "$mon_pid" 2>/dev/null
	_wait_exit "$mon_pid" 2 || kill -KILL "$mon_pid" 2>/dev/null
	res=$(mon_parse "$T/mon.txt" "$NV")
	set -- $res $tprog
	if [ "$1" -lt "$NV" ]; then
		record "nlfloor700_${mode}_ms" vrrpd "fail:the listener saw $1 of $NV new addresses"
		return
	fi
	log "trial $i $mode: ${NV}th RTM_NEWADDR $(fcalc "($3 - $4) * 1000") ms after the first sendmsg (1st at $(fcalc "($2 - $4) * 1000") ms); last ack at $(fcalc "($5 - $4) * 1000") ms"
	record "nlfloor700_${mode}_ms" vrrpd "$(fcalc "($3 - $4) * 1000")"
}

for ((i = 1; i <= RUNS; i++)); do
	for m in "${MODES[@]}"; do one "$m" "$i"; done
done
b_flush r1

# median METRIC KIND: the median of the recorded trials, or nothing.
median() {
	awk -F'\t' -v m="$1" -v k="$2" '$1 == m && $2 == k && $3 ~ /^-?[0-9.]+$/ { v[++n] = $3 + 0 }
		END { if (!n) exit; for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
			printf "%.3f\n", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$BENCH_RAW"
}
best="" bestm=""
for m in "${MODES[@]}"; do
	v=$(median "nlfloor700_${m}_ms" vrrpd)
	[ -n "$v" ] || continue
	log "nlfloor $m: median $v ms"
	if [ -z "$best" ] || fcmp "$v" '<' "$best"; then best=$v bestm=$m; fi
done
if [ -z "$best" ]; then
	record_each vrrpd "fail:no floor measured" vips700_floor_x
	exit 0
fi
log "floor: $bestm, $best ms"
record nlfloor700_ms vrrpd "$best"
for kind in keepalived vrrpd; do
	vals=$(awk -F'\t' -v k="$kind" '$1 == "vips700_install_ms" && $2 == k && $3 ~ /^-?[0-9.]+$/ { print $3 }' "$BENCH_RAW")
	if [ -z "$vals" ]; then
		record vips700_floor_x "$kind" "skip:no vips700_install_ms in this run (run the vips benchmark before nlfloor)"
		continue
	fi
	for v in $vals; do record vips700_floor_x "$kind" "$(fcalc "$v / $best")"; done
done
exit 0
