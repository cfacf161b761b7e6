# shellcheck shell=bash
# Helpers for the side-by-side benchmarks tests/bench/b_*.sh (vrrpd vs
# keepalived). Sourced by a benchmark script; it sources tests/netns/lib.sh for
# the lab (namespaces, bridge, veth, capture parsing, cleanup trap) and adds:
#   - starting/stopping either daemon with its own pid files and log,
#   - a capture with a chosen filter,
#   - VIP lists and config generators for many instances / many VIPs,
#   - `record METRIC KIND VALUE`, the raw results that run.sh tabulates.
#
# Raw results ($BENCH_RAW, one line per trial, tab separated):
#   METRIC  KIND  VALUE
# KIND is keepalived or vrrpd; VALUE is a number (the unit is part of the
# metric's name), "fail:WHY" (the trial could not be measured) or "skip:WHY"
# (the daemon could not run at all).
#
# Namespaces are named vb<PID><rand>-<host> (lib.sh's are vt...), so that a
# leak is attributable to the benchmarks.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../netns/lib.sh
. "$BENCH_DIR/../netns/lib.sh"
PFX=$(printf 'vb%d%04x-' "$$" "$RANDOM")

BENCH_NAME=$(basename "$0" .sh)
BENCH_RAW=${BENCH_RAW:-$T/raw.txt}
BENCH_RUNS=${BENCH_RUNS:-5}
VRRPD_BIN=${VRRPD_BENCH_BIN:-$REPO/vrrpd}
R1_IP=192.0.2.1
R2_IP=192.0.2.2
CAP_N=0
BPOLL=0.05 # seconds between two looks in the b_wait loop

# record METRIC KIND VALUE
record() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$BENCH_RAW"
	log "$BENCH_NAME: $1 $2 = $3"
}

# ------------------------------------------------------------- daemons

# bench_kinds CONF METRIC...: prints the daemon kinds that can run this
# benchmark (keepalived, vrrpd); for a missing one, records skip:WHY for each
# METRIC and says why. CONF is a sample config given to `vrrpd -t`.
bench_kinds() {
	local conf=$1 m out
	shift
	if command -v keepalived >/dev/null 2>&1; then
		echo keepalived
	else
		for m in "$@"; do record "$m" keepalived "skip:keepalived is not installed" >&2; done
	fi
	if [ -n "${VRRPD_BENCH_SKIP:-}" ]; then
		for m in "$@"; do record "$m" vrrpd "skip:$VRRPD_BENCH_SKIP" >&2; done
		return 0
	fi
	if [ ! -x "$VRRPD_BIN" ]; then
		for m in "$@"; do record "$m" vrrpd "skip:$VRRPD_BIN is not built" >&2; done
		return 0
	fi
	if ! out=$("$VRRPD_BIN" -t -f "$conf" 2>&1); then
		out=$(printf '%s' "$out" | grep -v '^$' | head -n 1 | tr '\t' ' ' | cut -c1-100)
		for m in "$@"; do record "$m" vrrpd "skip:vrrpd -t rejects the config: $out" >&2; done
		return 0
	fi
	echo vrrpd
}

# b_alive PID: PID exists and is not a zombie. No fork (it runs in the
# harness's polling loops, which must not compete with the daemons).
b_alive() {
	local line st
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
	st=${line##*) }
	st=${st%% *}
	[ -n "$st" ] && [ "$st" != Z ]
}

# b_wait_exit PID SECONDS: bounded wait for PID to end; reaps it.
b_wait_exit() {
	local pid=$1 i n
	n=$(awk -v s="$2" 'BEGIN { printf "%d", s / 0.01 + 1 }')
	for ((i = 0; i < n; i++)); do
		b_alive "$pid" || break
		sleep 0.01
	done
	b_alive "$pid" && return 1
	wait "$pid" 2>/dev/null
	return 0
}

# b_start KIND HOST CONF: start keepalived or vrrpd in HOST's namespace, in
# the foreground of its own process, with pid files of its own in $T; log in
# $T/KIND-HOST.log. Registered in lib.sh's DPID so that its cleanup ends it.
b_start() {
	local kind=$1 h=$2 conf=$3 logf cmd
	logf=$T/$kind-$h.log
	rm -f "$T/$kind-$h.pid" "$T/$kind-$h.vrrp.pid"
	if [ "$kind" = keepalived ]; then
		# -R: no respawn, so that kill -9 of the VRRP child is a crash.
		# -G: no syslog; -l: log to stderr (the log file), like vrrpd -l.
		cmd=(keepalived -n -l -G --vrrp -R -f "$conf" -p "$T/$kind-$h.pid" -r "$T/$kind-$h.vrrp.pid")
	else
		cmd=("$VRRPD_BIN" -f "$conf" -n -l -p "$T/$kind-$h.pid" -S "$T/$kind-$h.sock")
	fi
	printf '==== %s: start %s on %s with %s\n' "$(date +%T.%N)" "$kind" "$h" "$conf" >>"$logf"
	ip netns exec "$(ns "$h")" "${cmd[@]}" </dev/null >>"$logf" 2>&1 &
	DPID[$h]=$!
	DKIND[$h]=$kind
	DLOG[$h]=$logf
	DCONF[$h]=$conf
}

# b_vrrp_pid HOST: the process running the VRRP state machine (keepalived's
# VRRP child, read from its pid file, bounded wait; vrrpd itself).
b_vrrp_pid() {
	local h=$1 i p f
	if [ "${DKIND[$h]}" != keepalived ]; then
		echo "${DPID[$h]}"
		return 0
	fi
	f=$T/keepalived-$h.vrrp.pid
	for ((i = 0; i < 300; i++)); do
		if [ -s "$f" ]; then
			p=$(cat "$f")
			if b_alive "$p"; then
				echo "$p"
				return 0
			fi
		fi
		b_alive "${DPID[$h]}" || break
		sleep 0.01
	done
	echo "${DPID[$h]}"
}

# b_running HOST
b_running() { [ -n "${DPID[$1]:-}" ] && b_alive "${DPID[$1]}"; }

# b_stop HOST SIGNAL: TERM = clean stop (priority 0, VIPs removed), KILL =
# crash of the VRRP process. Bounded wait for the daemon to exit; if it does
# not, it is killed and b_stop fails. Fails if nothing runs on HOST.
b_stop() {
	local h=$1 sig=$2 pid target
	pid=${DPID[$h]:-}
	[ -n "$pid" ] && b_alive "$pid" || return 1
	target=$pid
	[ "$sig" = KILL ] && target=$(b_vrrp_pid "$h")
	kill -s "$sig" "$target" 2>/dev/null
	if ! b_wait_exit "$pid" 10; then
		kill -s KILL "$target" "$pid" 2>/dev/null
		b_wait_exit "$pid" 3
		DPID[$h]=""
		return 1
	fi
	DPID[$h]=""
	return 0
}

# b_reap HOST: after a signal sent by the caller, bounded wait (10 s) for
# HOST's daemon to exit; if it does not, kill -9 it and fail.
b_reap() {
	local pid=${DPID[$1]:-}
	[ -n "$pid" ] || return 0
	if ! b_wait_exit "$pid" 10; then
		kill -s KILL "$(b_vrrp_pid "$1")" "$pid" 2>/dev/null
		b_wait_exit "$pid" 3
		DPID[$1]=""
		return 1
	fi
	DPID[$1]=""
	return 0
}

# b_stop_all: TERM every daemon of the lab (bounded), then flush the VIPs a
# crashed daemon may have left (everything but the host's own address).
b_stop_all() {
	local h
	for h in "${LAB_ROUTERS[@]}"; do
		b_running "$h" && { b_stop "$h" TERM || log "$h: daemon did not stop on TERM"; }
		b_flush "$h"
	done
}

# b_flush HOST: remove every address from HOST's eth0 but its own.
b_flush() {
	ipn "$1" addr flush dev eth0 2>/dev/null
	ipn "$1" addr add "$(host_ip "$1")/24" dev eth0 2>/dev/null
	return 0
}

# ------------------------------------------------------------------ VIPs

# vip_list N: N distinct IPv4 documentation addresses (at most 752):
# 198.51.100.1-254, 203.0.113.1-254, then 192.0.2.56-247 and finally
# 192.0.2.11-55, 248-254 (192.0.2.1-10 are the lab's hosts).
vip_list() {
	awk -v n="$1" 'BEGIN {
		k = 0
		for (i = 1; i <= 254 && k < n; i++) { print "198.51.100." i; k++ }
		for (i = 1; i <= 254 && k < n; i++) { print "203.0.113." i; k++ }
		for (i = 56; i <= 247 && k < n; i++) { print "192.0.2." i; k++ }
		for (i = 11; i <= 55 && k < n; i++) { print "192.0.2." i; k++ }
		for (i = 248; i <= 254 && k < n; i++) { print "192.0.2." i; k++ }
		if (k < n) { print "vip_list: cannot make " n " addresses" > "/dev/stderr"; exit 1 }
	}'
}

# conf_many N PRIO ADV: N instances, VRIDs 1..N, one /32 VIP each (vip_list).
conf_many() {
	vip_list "$1" | awk -v prio="$2" -v adv="$3" '{
		printf "vrrp_instance VI_%d {\n    state BACKUP\n    interface eth0\n    virtual_router_id %d\n    priority %d\n    version 3\n    advert_int %s\n    virtual_ipaddress {\n        %s/32\n    }\n}\n", NR, NR, prio, adv, $1
	}'
}

# conf_vips NVIPS PRIO ADV: one instance (VRID 51) with NVIPS /32 VIPs.
conf_vips() {
	printf 'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority %d\n    version 3\n    advert_int %s\n    virtual_ipaddress {\n' "$2" "$3"
	vip_list "$1" | awk '{ printf "        %s/32\n", $1 }'
	printf '    }\n}\n'
}

# nvips HOST: the number of /32 addresses (our VIPs) on HOST's eth0.
nvips() {
	ipn "$1" -4 -o addr show dev eth0 2>/dev/null | awk '$4 ~ /\/32$/ { n++ } END { print n + 0 }'
}

# ------------------------------------------------------------------ waits

# b_wait SECONDS CMD...: poll CMD every $BPOLL s until it succeeds, bounded
# in time and in number of rounds.
b_wait() {
	local lim=$1 deadline i n
	shift
	deadline=$((${EPOCHREALTIME/./} + $(awk -v s="$lim" 'BEGIN { printf "%d", s * 1000000 }')))
	n=$(awk -v s="$lim" -v p="$BPOLL" 'BEGIN { printf "%d", s / p + 10 }')
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || break
		sleep "$BPOLL"
	done
	"$@"
}

# _roles H_MASTER H_BACKUP NV: H_MASTER holds NV VIPs, H_BACKUP none.
_roles() { [ "$(nvips "$1")" = "$3" ] && [ "$(nvips "$2")" = 0 ]; }
_nv_is() { [ "$(nvips "$1")" = "$2" ]; }

# ---------------------------------------------------------------- capture

# b_cap_start [FILTER]: tcpdump in the switch namespace, packets entering the
# switch from host ports (each packet once, timestamped as it left the host),
# epoch timestamps in µs (CLOCK_REALTIME, as $EPOCHREALTIME and ip -ts).
# Default filter: VRRP only. Sets lib.sh's CAP_FILE / CAP_PID so that
# adverts(), cap_stop and the cleanup work on it.
b_cap_start() {
	local filter=${1:-ip proto 112}
	CAP_N=$((CAP_N + 1))
	CAP_FILE=$T/cap$CAP_N.txt
	: >"$CAP_FILE"
	ip netns exec "$(ns sw)" tcpdump -i any -Q in -B 16384 -tt -n -e -l -U "$filter" \
		</dev/null >"$CAP_FILE" 2>"$T/cap$CAP_N.err" &
	CAP_PID=$!
	b_wait 5 grep -q 'listening on' "$T/cap$CAP_N.err" || {
		log "tcpdump did not start: $(cat "$T/cap$CAP_N.err")"
		return 1
	}
}

# b_cap_stop: stop the capture; logs the kernel's drop count if not zero.
b_cap_stop() {
	local f=$T/cap$CAP_N.err
	cap_stop
	if [ -f "$f" ] && grep -q 'dropped by kernel' "$f"; then
		local d
		d=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$f")
		[ "${d:-0}" != 0 ] && log "WARNING: tcpdump: $d packets dropped by kernel"
	fi
	# keep the last capture for post-mortems, drop the older ones
	[ "$CAP_N" -gt 1 ] && rm -f "$T/cap$((CAP_N - 1)).txt"
	return 0
}

# ------------------------------------------------------------ timing math

# mdi_exact ADV PRIO / skew_exact ADV PRIO: v3 Master_Down_Interval and
# Skew_Time in seconds, unrounded (conformance 27, 29).
mdi_exact() { awk -v a="$1" -v p="$2" 'BEGIN { printf "%.9f", 3 * a + (256 - p) * a / 256 }'; }
skew_exact() { awk -v a="$1" -v p="$2" 'BEGIN { printf "%.9f", (256 - p) * a / 256 }'; }

# converged_before T WINDOW NINST: in the capture, during [T - WINDOW, T],
# r1 advertised (priority > 0) on NINST distinct VRIDs and r2 sent nothing.
converged_before() {
	adverts | awk -v t="$1" -v w="$2" -v n="$3" -v r1="$R1_IP" -v r2="$R2_IP" '
		$1 >= t - w && $1 <= t {
			if ($4 == r1 && $8 > 0 && !($7 in seen)) { seen[$7] = 1; k++ }
			if ($4 == r2) bad++
		}
		END { exit !(k + 0 == n && bad + 0 == 0) }'
}

# lateness_kill TKILL MDI: for each VRID, (r2's first advert after TKILL) -
# (r1's last advert with priority > 0 + MDI). r1 is dead by then, so its
# last advert in the capture is the one before the kill. Prints "N MAX_MS MEDIAN_MS
# MIN_MS" over the VRIDs that have both.
lateness_kill() {
	adverts | awk -v tk="$1" -v mdi="$2" -v r1="$R1_IP" -v r2="$R2_IP" '
		$4 == r1 && $8 > 0 { last[$7] = $1 }
		$4 == r2 && $8 > 0 && $1 > tk && !($7 in first) { first[$7] = $1 }
		END { _summary() }
		function _summary(   v, n, l, i, j, x) {
			n = 0
			for (v in first) if (v in last) { l[++n] = (first[v] - (last[v] + mdi)) * 1000 }
			if (n == 0) { print 0; return }
			for (i = 2; i <= n; i++) { x = l[i]; for (j = i - 1; j >= 1 && l[j] > x; j--) l[j + 1] = l[j]; l[j + 1] = x }
			printf "%d %.3f %.3f %.3f\n", n, l[n], l[int((n + 1) / 2)], l[1]
		}'
}

# lateness_prio0 TTERM SKEW: (r2's first advert after r1's priority-0
# advert) - (the priority-0 advert + SKEW), per VRID. Same output.
lateness_prio0() {
	adverts | awk -v tt="$1" -v skew="$2" -v r1="$R1_IP" -v r2="$R2_IP" '
		$4 == r1 && $8 == 0 && $1 >= tt && !($7 in zero) { zero[$7] = $1 }
		$4 == r2 && $8 > 0 && ($7 in zero) && $1 > zero[$7] && !($7 in first) { first[$7] = $1 }
		END { _summary() }
		function _summary(   v, n, l, i, j, x) {
			n = 0
			for (v in first) l[++n] = (first[v] - (zero[v] + skew)) * 1000
			if (n == 0) { print 0; return }
			for (i = 2; i <= n; i++) { x = l[i]; for (j = i - 1; j >= 1 && l[j] > x; j--) l[j + 1] = l[j]; l[j + 1] = x }
			printf "%d %.3f %.3f %.3f\n", n, l[n], l[int((n + 1) / 2)], l[1]
		}'
}

# ------------------------------------------------------------- CPU usage

# cpu_ticks HOST: utime+stime (clock ticks) of every process in HOST's
# namespace (the daemon: keepalived's parent and VRRP child, or vrrpd).
cpu_ticks() {
	local p s=0 f
	for p in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
		[ -r "/proc/$p/stat" ] || continue
		# fields after the ")" of comm: state is $1, utime $12, stime $13
		f=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
		set -- $f
		s=$((s + ${12:-0} + ${13:-0}))
	done
	echo "$s"
}
