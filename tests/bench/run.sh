#!/bin/bash
# Side-by-side benchmarks, keepalived vs vrrpd (`make bench`; see README.md).
#   tests/bench/run.sh [kill9] [prio0] [many] [vips] [vips6] [nlfloor] [cpu] [reload]
#                      [kill9load] [manyload] [scale]   (default: all)
#   tests/bench/run.sh --table RAW     only print the table of a raw file
# Each benchmark runs the same scenario with keepalived and then with vrrpd in
# one namespace lab, and this prints one table (also written to
# build/bench-results.txt): metric, keepalived, vrrpd, ratio vrrpd/keepalived,
# target, PASS/MISS. A miss does not fail the run: the exit status is 0
# unless the harness itself broke.
# Environment: BENCH_RUNS (trials of many/vips, default 5), BENCH_RUNS_FAST
# (trials of kill9/prio0, default 9), BENCH_CPU_SECONDS (default 20),
# BENCH_CPU_INSTANCES (default 255), VRRPD_BENCH_BIN (default ./vrrpd),
# VRRPD_BENCH_SKIP (a reason: run keepalived only, e.g. when vrrpd does not
# build), BENCH_TIMEOUT (seconds per benchmark, default 300), BENCH_RUNS_LOAD
# (trials of manyload, default 3), BENCH_RUNS_SCALE (trials of scale, default
# 3), BENCH_RT_PRIORITY, BENCH_RT_RTTIME, BENCH_HOGS (the load benchmarks),
# BENCH_ONLY (keepalived or vrrpd).
set -u
cd "$(dirname "$0")" || exit 2
HERE=$(pwd)
REPO=$(cd ../.. && pwd)
OUT=$REPO/build
LOGDIR=$OUT/bench
RESULTS=$OUT/bench-results.txt
ALL=(kill9 prio0 many vips vips6 nlfloor cpu reload kill9load manyload scale)

TABLE_ONLY=""
if [ "${1:-}" = --table ]; then
	TABLE_ONLY=${2:?usage: run.sh --table RAWFILE}
	set --
fi
if [ $# -gt 0 ]; then
	list=("$@")
else
	list=("${ALL[@]}")
fi
for b in "${list[@]}"; do
	case " ${ALL[*]} " in
	*" $b "*) ;;
	*)
		echo "bench: unknown benchmark '$b' (known: ${ALL[*]})" >&2
		exit 2
		;;
	esac
done

if [ -z "$TABLE_ONLY" ]; then
mkdir -p "$LOGDIR" || exit 2
# One run at a time: two runs would share build/bench and compete for the CPUs.
exec 9>"$OUT/bench.lock"
if ! flock -n 9; then
	echo "bench: another benchmark run holds $OUT/bench.lock; waiting for it (at most 15 min)"
	flock -w 900 9 || { echo "bench: gave up waiting for the other run"; exit 1; }
fi
export BENCH_RAW=$LOGDIR/raw.txt BENCH_LOGDIR=$LOGDIR
: >"$BENCH_RAW"
rm -f "$LOGDIR"/*.log "$LOGDIR"/*-capture.txt
export VRRPD_BENCH_BIN=${VRRPD_BENCH_BIN:-$REPO/vrrpd}
# `make bench` leaves this mark when vrrpd did not build: a stale ./vrrpd
# must not be measured
if [ -e "$OUT/bench-build-failed" ] && [ -z "${VRRPD_BENCH_SKIP:-}" ]; then
	export VRRPD_BENCH_SKIP="vrrpd does not build (see make's output)"
fi
# Measure a snapshot of the binary: a rebuild during the run must not swap
# the daemon under test (or make its exec fail half-way).
vrrpd_src=$VRRPD_BENCH_BIN
if [ -z "${VRRPD_BENCH_SKIP:-}" ] && [ -x "$VRRPD_BENCH_BIN" ]; then
	if cp -p "$VRRPD_BENCH_BIN" "$LOGDIR/vrrpd-under-test" 2>/dev/null; then
		export VRRPD_BENCH_BIN=$LOGDIR/vrrpd-under-test
	fi
fi
TMO=${BENCH_TIMEOUT:-300}
harness_rc=0

if [ "$(id -u)" != 0 ]; then
	echo "bench: not running as root (uid $(id -u)): the benchmarks build network namespaces; nothing measured"
	exit 0
fi
for tool in ip tcpdump awk timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is not installed (tests/deps.sh installs it); nothing measured"
		exit 0
	fi
done

ka_ver=$(keepalived -v 2>&1 | head -n 1)
[ -n "$ka_ver" ] || ka_ver="keepalived: not installed"
if [ -n "${VRRPD_BENCH_SKIP:-}" ]; then
	vr_ver="skipped: $VRRPD_BENCH_SKIP"
elif [ -x "$VRRPD_BENCH_BIN" ]; then
	vr_ver="$vrrpd_src ($(cd "$REPO" && git describe --always --dirty 2>/dev/null || echo '?'), built $(date -u -r "$VRRPD_BENCH_BIN" '+%H:%M:%S UTC'))"
else
	vr_ver="$vrrpd_src: not built (its column is skipped)"
fi
load0=$(cut -d' ' -f1-3 /proc/loadavg)
start_all=${EPOCHREALTIME/./}
echo "bench: $ka_ver; vrrpd: $vr_ver"
echo "bench: $(nproc) CPUs, load average $load0 before the run; logs in $LOGDIR"

before=$(ip netns list 2>/dev/null | awk '$1 ~ /^vb[0-9]/ { print $1 }' | sort)
for b in "${list[@]}"; do
	case $b in
	cpu) script=(bash "$HERE/b_cpu.sh") ;;
	reload) script=(bash "$HERE/b_reload.sh") ;;
	nlfloor) script=(bash "$HERE/b_nlfloor.sh") ;;
	scale) script=(bash "$HERE/b_scale.sh") ;;
	*) script=(bash "$HERE/b_takeover.sh" "$b") ;;
	esac
	t0=${EPOCHREALTIME/./}
	timeout -k 15 "$TMO" "${script[@]}" </dev/null >"$LOGDIR/$b.log" 2>&1
	rc=$?
	dur=$(awk -v d=$((${EPOCHREALTIME/./} - t0)) 'BEGIN { printf "%.0f", d / 1000000 }')
	case $rc in
	0) echo "bench $b: done in $dur s" ;;
	77) echo "bench $b: skipped: $(grep -m1 '^SKIP' "$LOGDIR/$b.log")" ;;
	*)
		[ $rc = 124 ] && echo "bench $b: took longer than $TMO s and was stopped"
		echo "bench $b: the harness broke (exit $rc) after $dur s; last lines of $LOGDIR/$b.log:"
		tail -n 25 "$LOGDIR/$b.log" | sed 's/^/    | /'
		harness_rc=1
		;;
	esac
done
after=$(ip netns list 2>/dev/null | awk '$1 ~ /^vb[0-9]/ { print $1 }' | sort)
leaked=$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | grep . || true)
if [ -n "$leaked" ]; then
	echo "bench: namespaces left behind: $(echo "$leaked" | tr '\n' ' ')(deleting them)"
	for n in $leaked; do
		for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$n" 2>/dev/null
	done
	harness_rc=1
fi
total=$(awk -v d=$((${EPOCHREALTIME/./} - start_all)) 'BEGIN { printf "%.0f", d / 1000000 }')
load1=$(cut -d' ' -f1-3 /proc/loadavg)
else
	BENCH_RAW=$TABLE_ONLY harness_rc=0 total='?' load0='?' load1='?'
	ka_ver=$(keepalived -v 2>&1 | head -n 1) vr_ver='?'
fi

# ---------------------------------------------------------------- table
# Metric definitions: id|label|rule|limit|tolerance
#   rule rel: PASS if vrrpd median <= keepalived median + tolerance
#   rule abs: PASS if vrrpd median < limit
#   rule info: no target
#   rule max: PASS if vrrpd max <= limit (a p99 with few runs)
#   rule ratio: PASS if vrrpd median / keepalived median <= limit
#   rule le: PASS if vrrpd median <= limit
#   lateness metrics (tolerance given with "late"): also MISS if the vrrpd
#   median is early by more than 0.05 ms (a takeover before its time).
N=${BENCH_CPU_INSTANCES:-255}
DEFS="kill9_late_ms|kill -9 takeover lateness, 1 VRID, adv 0.1 s (ms)|rel|-|0.1 late
prio0_late_ms|priority-0 takeover lateness, adv 0.1 s (ms)|rel|-|0.1 late
many255_last_late_ms|255 VRIDs kill -9, adv 1 s: last takeover lateness (ms)|abs|1|-
vips700_install_ms|700 VIPs, adv 1 s: takeover advert -> 700th VIP (ms)|abs|5|-
vips700_span_ms|700 VIPs: 1st -> 700th RTM_NEWADDR (ms)|info|-|-
vips6_install_ms|1000 IPv6 VIPs, adv 1 s: takeover advert -> 1000th VIP (ms)|abs|20|-
vips6_na_ms|1000 IPv6 VIPs: takeover advert -> first NA (ms)|abs|20|-
nlfloor700_ms|kernel floor: 700 /32 in one netlink batch (ms, no daemon)|info|-|-
vips700_floor_x|700 VIPs install / kernel floor (x)|le|1.1|-
kill9load_late_ms|CPUs busy, RT prio: kill -9 lateness, adv 0.1 (ms)|max|1|-
many255load_last_late_ms|CPUs busy, RT prio: 255 VRIDs last lateness (ms)|max|1|-
start1000_late_ms|start, 1000 instances: worst (1st advert - MDI) (ms)|le|2|-
start1000_median_late_ms|start, 1000 instances: median (1st advert - MDI) (ms)|info|-|-
rss1000_mb|RSS with 1000 instances, all processes (MB)|le|3|-
stop1000_gone_ms|SIGTERM, 1000 instances: process gone (ms)|le|20|-
stop1000_prio0_ms|SIGTERM, 1000 instances: last priority-0 advert (ms)|le|20|-
stop1000_vipdel_ms|SIGTERM, 1000 instances: last VIP deleted (ms)|le|20|-
cpu${N}_master_s|CPU s per ${BENCH_CPU_SECONDS:-20} s, $N VRIDs adv 0.1 s, master|rel|-|0
cpu${N}_backup_s|CPU s per ${BENCH_CPU_SECONDS:-20} s, $N VRIDs adv 0.1 s, backup|rel|-|0
cpu${N}_us_per_advert|CPU us per advert sent, $N masters adv 0.1 s|ratio|0.2|-
reload255_gap_x|reload, 255 unchanged, adv 0.1 s: worst advert gap (x adv)|rel|-|0.02
reload255_ms|reload, 255 unchanged: duration (ms)|info|-|-
reload255_transitions|reload, 255 unchanged: transitions|info|-|-
reload1000_gap_x|reload, 1000 unchanged, adv 0.1 s: worst gap (x adv)|abs|1.02|-
reload1000_ms|reload, 1000 unchanged: duration (ms)|info|-|-
reload1000_turn_ms|reload, 1000 unchanged: loop's longest turn in it (ms)|abs|1|-
reload1000_transitions|reload, 1000 unchanged: transitions|info|-|-
rss255_kib|VmRSS, 255 instances, master (KiB, all processes)|rel|-|0"

table=$(awk -F'\t' -v defs="$DEFS" '
	function stats(key,   n, i, j, x, a, s) {
		n = split(vals[key], a, " ")
		if (n == 0) return ""
		for (i = 2; i <= n; i++) { x = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		med[key] = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		mx[key] = a[n]
		return n
	}
	function cell(key, n,   s) {
		if (n == "" && skipw[key] != "") return "skipped"
		if (n == "") return (failn[key] ? "failed" : "-")
		s = sprintf("%.3f / %.3f", med[key], mx[key])
		s = s sprintf(" (%d", n)
		if (failn[key]) s = s sprintf(", %d failed", failn[key])
		return s ")"
	}
	{
		key = $1 SUBSEP $2
		if ($3 ~ /^skip:/) { skipw[key] = substr($3, 6); next }
		if ($3 ~ /^fail:/) { failn[key]++; if (!(key SUBSEP $3 in seenw)) { seenw[key SUBSEP $3] = 1; failw[key] = failw[key] "\n      " $2 ": " substr($3, 6) }; next }
		vals[key] = vals[key] " " $3
		have[$1] = 1
	}
	END {
		nd = split(defs, d, "\n")
		printf "%-56s %-26s %-26s %-7s %-15s %s\n", "metric (median / max over runs)", "keepalived", "vrrpd", "ratio", "target", "result"
		for (k = 1; k <= nd; k++) {
			split(d[k], f, "|")
			id = f[1]; label = f[2]; rule = f[3]; lim = f[4]; tol = f[5]
			ka = id SUBSEP "keepalived"; vr = id SUBSEP "vrrpd"
			if (!((ka in vals) || (vr in vals) || (ka in skipw) || (vr in skipw) || (ka in failn) || (vr in failn))) continue
			nk = stats(ka); nv = stats(vr)
			ratio = "-"
			if (nk != "" && nv != "" && med[ka] != 0) ratio = sprintf("%.2f", med[vr] / med[ka])
			late = (tol ~ / late$/); sub(/ late$/, "", tol)
			if (rule == "rel") target = (tol + 0 > 0) ? sprintf("<= ka+%s", tol) : "<= ka"
			else if (rule == "abs") target = sprintf("< %s", lim)
			else if (rule == "le") target = sprintf("<= %s", lim)
			else if (rule == "max") target = sprintf("max <= %s", lim)
			else if (rule == "ratio") target = sprintf("ratio <= %s", lim)
			else target = "(info)"
			res = ""
			if (rule == "info") res = "-"
			else if (nv == "") res = (vr in skipw) ? "SKIP" : (failn[vr] ? "MISS (failed)" : "MISS (no result)")
			else if ((rule == "rel" || rule == "ratio") && nk == "") res = "n/a (no keepalived)"
			else if (rule == "ratio" && med[ka] == 0) res = "n/a (keepalived 0)"
			else {
				if (rule == "rel") ok = (med[vr] <= med[ka] + tol)
				else if (rule == "ratio") ok = (med[vr] / med[ka] <= lim + 0)
				else if (rule == "le") ok = (med[vr] <= lim + 0)
				else if (rule == "max") ok = (mx[vr] <= lim + 0)
				else ok = (med[vr] < lim + 0)
				res = ok ? "PASS" : "MISS"
				if (late && med[vr] < -0.05) res = "MISS (early)"
			}
			if (res == "PASS" && failn[vr]) res = "MISS (failed runs)"
			printf "%-56s %-26s %-26s %-7s %-15s %s\n", label, cell(ka, nk), cell(vr, nv), ratio, target, res
			if (skipw[ka] != "") notes = notes sprintf("\n  %s: keepalived skipped: %s", id, skipw[ka])
			if (skipw[vr] != "") notes = notes sprintf("\n  %s: vrrpd skipped: %s", id, skipw[vr])
			if (failw[ka] != "" || failw[vr] != "") notes = notes sprintf("\n  %s: failed runs:%s%s", id, failw[ka], failw[vr])
		}
		if (notes != "") printf "notes:%s\n", notes
	}' "$BENCH_RAW")

report=$({
	echo "vrrpd benchmarks, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(uname -r), $(nproc) CPUs"
	echo "keepalived: $ka_ver"
	echo "vrrpd: $vr_ver"
	echo "load average before/after: $load0 / $load1 (other load on the machine makes the numbers noisy); total $total s"
	echo "lateness = measured takeover time - the RFC's (MDI or Skew_Time), from a capture in the switch; ratio = vrrpd median / keepalived median"
	echo
	echo "$table"
})
echo
printf '%s\n' "$report"
if [ -z "$TABLE_ONLY" ]; then
	printf '%s\n' "$report" >"$RESULTS"
	echo
	echo "bench: results in $RESULTS, logs and raw numbers in $LOGDIR"
fi
exit $harness_rc
