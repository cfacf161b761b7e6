# shellcheck shell=bash
# Helpers for the side-by-side benchmarks tests/bench/b_*.sh (vrrpd vs
# keepalived). Sourced by a benchmark script; it sources tests/netns/lib.sh,
# whose lab, daemons (start_daemon, signal_daemon, reap_daemon), waits,
# capture (cap_begin, adverts) and cleanup trap the benchmarks use, and adds:
#   - both daemons started the same way, without -D (log detail), each
#     logging to $T/KIND-HOST.log,
#   - a fresh capture per trial with a chosen filter,
#   - VIP lists and config generators for many instances / many VIPs,
#   - `record METRIC KIND VALUE`, the raw results that run.sh tabulates.
#
# Raw results ($BENCH_RAW, one line per trial, tab separated):
#   METRIC  KIND  VALUE
# KIND is keepalived or vrrpd; VALUE is a number (the unit is part of the
# metric's name), "fail:WHY" (the trial could not be measured) or "skip:WHY"
# (the daemon could not run at all).
#
# Namespaces are named vb<PID><rand>-<host> (the tests' are vt...), so that a
# leak is attributable to the benchmarks.

# Settings read by lib.sh (shellcheck does not see that: SC2034).
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034
NETNS_PREFIX=vb
# shellcheck source=../netns/lib.sh
. "$BENCH_DIR/../netns/lib.sh"
# Every polling loop of lib.sh looks every 0.05 s: less often than the
# tests do, so as not to compete with the daemons for the CPU.
# shellcheck disable=SC2034
POLL=0.05
# start_daemon: both daemons with their default logging (no -D), vrrpd
# from VRRPD_BENCH_BIN, nothing from VRRPD_EXTRA_ARGS.
# shellcheck disable=SC2034
DAEMON_LOG_DETAIL=0 VRRPD_BIN=${VRRPD_BENCH_BIN:-$REPO/vrrpd} VRRPD_EXTRA_ARGS=""
# shellcheck disable=SC2034
VRRPD_TEST_DAEMON=$VRRPD_BIN

BENCH_NAME=$(basename "$0" .sh)
BENCH_RAW=${BENCH_RAW:-$T/raw.txt}
BENCH_RUNS=${BENCH_RUNS:-5}
R1_IP=$(host_ip r1)
R2_IP=$(host_ip r2)
CAP_N=0

# record METRIC KIND VALUE
record() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$BENCH_RAW"
	log "$BENCH_NAME: $1 $2 = $3"
}
# record_each KIND VALUE METRIC...: the same VALUE (a fail: or skip:) for
# each METRIC.
record_each() {
	local kind=$1 value=$2 m
	shift 2
	for m in "$@"; do record "$m" "$kind" "$value"; done
}

# ------------------------------------------------------------- daemons

# bench_kinds CONF METRIC...: prints the daemon kinds that can run this
# benchmark (keepalived, vrrpd); for a missing one, records skip:WHY for each
# METRIC and says why. CONF is a sample config given to `vrrpd -t`.
# BENCH_ONLY=keepalived or vrrpd: only that one.
bench_kinds() {
	local conf=$1 out
	shift
	if [ "${BENCH_ONLY:-}" = vrrpd ]; then
		record_each keepalived "skip:BENCH_ONLY=vrrpd" "$@" >&2
	elif command -v keepalived >/dev/null 2>&1; then
		echo keepalived
	else
		record_each keepalived "skip:keepalived is not installed" "$@" >&2
	fi
	if [ "${BENCH_ONLY:-}" = keepalived ]; then
		record_each vrrpd "skip:BENCH_ONLY=keepalived" "$@" >&2
		return 0
	fi
	if [ -n "${VRRPD_BENCH_SKIP:-}" ]; then
		record_each vrrpd "skip:$VRRPD_BENCH_SKIP" "$@" >&2
		return 0
	fi
	if [ ! -x "$VRRPD_BIN" ]; then
		record_each vrrpd "skip:$VRRPD_BIN is not built" "$@" >&2
		return 0
	fi
	if ! out=$("$VRRPD_BIN" -t -f "$conf" 2>&1); then
		out=$(printf '%s' "$out" | grep -v '^$' | head -n 1 | tr '\t' ' ' | cut -c1-100)
		record_each vrrpd "skip:vrrpd -t rejects the config: $out" "$@" >&2
		return 0
	fi
	echo vrrpd
}

# b_start KIND HOST CONF: start_daemon of keepalived or vrrpd on HOST, its
# log in $T/KIND-HOST.log.
b_start() { start_daemon -k "$1" "$2" "$3" "$T/$1-$2.log"; }

# b_stop_all: TERM every daemon of the lab (bounded), then flush the VIPs a
# crashed daemon may have left (everything but the host's own address).
b_stop_all() {
	local h
	for h in "${LAB_ROUTERS[@]}"; do
		if daemon_running "$h"; then
			signal_daemon "$h" TERM
			reap_daemon "$h" || log "$h: daemon did not stop on TERM"
		fi
		b_flush "$h"
	done
}

# b_flush HOST: remove every address from HOST's eth0 but its own.
b_flush() {
	if [ "$BENCH_FAMILY" = 6 ]; then
		# only the VIPs: the link-local address is the adverts' source
		ipn "$1" -6 addr flush dev eth0 scope global 2>/dev/null
		ipn "$1" addr add "$(host_ip6 "$1")/64" dev eth0 nodad 2>/dev/null
		return 0
	fi
	ipn "$1" addr flush dev eth0 2>/dev/null
	ipn "$1" addr add "$(host_ip "$1")/24" dev eth0 2>/dev/null
	return 0
}

# bench_keep_logs PREFIX: copy the daemon logs to $BENCH_LOGDIR (set by
# run.sh) as PREFIX-KIND-HOST.log, where run.sh shows them.
bench_keep_logs() {
	local f
	[ -n "${BENCH_LOGDIR:-}" ] || return 0
	for f in "$T"/*-r[12].log; do
		[ -f "$f" ] && cp "$f" "$BENCH_LOGDIR/$1-$(basename "$f")"
	done
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
	local i=0 vip
	for vip in $(vip_list "$1"); do
		i=$((i + 1))
		conf_instance "VI_$i" "$i" "$2" advert_int="$3" -- "$vip/32"
	done
}

# conf_vips6 NVIPS PRIO ADV: one IPv6 instance (VRID 51) with NVIPS /128
# VIPs 2001:db8:1::1, 2001:db8:1::2, ...
conf_vips6() {
	# shellcheck disable=SC2046 # one argument per VIP
	conf_instance VI_1 51 "$2" advert_int="$3" -- $(awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "2001:db8:1::%x/128\n", i }')
}

# bench_family 6: the lab's adverts come from link-local addresses, VIPs
# are /128, and captures keep unsolicited NAs.
BENCH_FAMILY=4
bench_family() {
	BENCH_FAMILY=$1
	R1_IP=$(adv_src r1)
	R2_IP=$(adv_src r2)
}

# first_na AFTER: time of r2's first unsolicited NA after AFTER in the capture.
first_na() {
	awk -v t="$1" -v mac="$(host_mac r2)" '$1 > t && index($0, mac) && /neighbor advertisement/ { print $1; exit }' "$CAP_FILE"
}

# conf_vips NVIPS PRIO ADV: one instance (VRID 51) with NVIPS /32 VIPs.
conf_vips() {
	# shellcheck disable=SC2046 # one argument per VIP
	conf_instance VI_1 51 "$2" advert_int="$3" -- $(vip_list "$1" | sed 's|$|/32|')
}

# nvips HOST: the number of /32 addresses (our VIPs) on HOST's eth0.
nvips() {
	if [ "$BENCH_FAMILY" = 6 ]; then
		ipn "$1" -6 -o addr show dev eth0 2>/dev/null | awk '$4 ~ /\/128$/ { n++ } END { print n + 0 }'
	else
		ipn "$1" -4 -o addr show dev eth0 2>/dev/null | awk '$4 ~ /\/32$/ { n++ } END { print n + 0 }'
	fi
}

# ------------------------------------------------------------------ waits

# _roles H_MASTER H_BACKUP NV: H_MASTER holds NV VIPs, H_BACKUP none.
_roles() { [ "$(nvips "$1")" = "$3" ] && [ "$(nvips "$2")" = 0 ]; }
_nv_is() { [ "$(nvips "$1")" = "$2" ]; }

# ---------------------------------------------------------------- capture

# b_cap_start [FILTER]: a new capture (cap_begin; default filter: VRRP only)
# in $T/capN.txt, without tcpdump -v (less to print and parse per packet),
# with a larger kernel buffer.
b_cap_start() {
	CAP_N=$((CAP_N + 1))
	local f="ip proto 112"
	[ "$BENCH_FAMILY" = 6 ] && f="ip6 proto 112 or (icmp6 and ip6[40] == 136)"
	cap_begin "$T/cap$CAP_N.txt" -B 16384 "${1:-$f}"
}

# b_cap_stop: stop the capture; logs the kernel's drop count if not zero.
b_cap_stop() {
	local f=$CAP_FILE.err d
	cap_stop
	if [ -f "$f" ] && grep -q 'dropped by kernel' "$f"; then
		d=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$f")
		[ "${d:-0}" != 0 ] && log "WARNING: tcpdump: $d packets dropped by kernel"
	fi
	# keep the last capture for post-mortems, drop the older ones
	[ "$CAP_N" -gt 1 ] && rm -f "$T/cap$((CAP_N - 1)).txt" "$T/cap$((CAP_N - 1)).txt.err"
	return 0
}

# ------------------------------------------------------------ timing math

# mon_parse FILE N: from `ip -tshort monitor address` output, the RTM_NEWADDR
# events of /32 addresses: prints "COUNT T_FIRST T_NTH" (epoch seconds).
mon_parse() {
	TZ=UTC awk -v want="$2" '
		$2 != "Deleted" && ($4 == "inet" && $5 ~ /\/32$/ || $4 == "inet6" && $5 ~ /\/128$/) {
			ts = substr($1, 2, length($1) - 2)
			split(ts, a, /[-T:]/)
			t = mktime(a[1] " " a[2] " " a[3] " " a[4] " " a[5] " 0") + a[6]
			n++
			if (n == 1) t1 = t
			if (n == want) tn = t
		}
		END { printf "%d %.6f %.6f\n", n, t1, tn }' "$1"
}


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

# _AWK_SUMMARY: awk code; summary(l, n) prints "N MAX MEDIAN MIN" of the
# n values l[1..n] (3 decimals), or "0" when n is 0.
_AWK_SUMMARY='
function summary(l, n,   i, j, x) {
	if (n == 0) { print 0; return }
	for (i = 2; i <= n; i++) { x = l[i]; for (j = i - 1; j >= 1 && l[j] > x; j--) l[j + 1] = l[j]; l[j + 1] = x }
	printf "%d %.3f %.3f %.3f\n", n, l[n], l[int((n + 1) / 2)], l[1]
}'

# lateness_kill TKILL MDI: for each VRID, (r2's first advert after TKILL) -
# (r1's last advert with priority > 0 + MDI). r1 is dead by then, so its
# last advert in the capture is the one before the kill. Prints "N MAX_MS MEDIAN_MS
# MIN_MS" over the VRIDs that have both.
lateness_kill() {
	adverts | awk -v tk="$1" -v mdi="$2" -v r1="$R1_IP" -v r2="$R2_IP" "$_AWK_SUMMARY"'
		$4 == r1 && $8 > 0 { last[$7] = $1 }
		$4 == r2 && $8 > 0 && $1 > tk && !($7 in first) { first[$7] = $1 }
		END { for (v in first) if (v in last) l[++n] = (first[v] - (last[v] + mdi)) * 1000; summary(l, n + 0) }'
}

# lateness_prio0 TTERM SKEW: (r2's first advert after r1's priority-0
# advert) - (the priority-0 advert + SKEW), per VRID. Same output.
lateness_prio0() {
	adverts | awk -v tt="$1" -v skew="$2" -v r1="$R1_IP" -v r2="$R2_IP" "$_AWK_SUMMARY"'
		$4 == r1 && $8 == 0 && $1 >= tt && !($7 in zero) { zero[$7] = $1 }
		$4 == r2 && $8 > 0 && ($7 in zero) && $1 > zero[$7] && !($7 in first) { first[$7] = $1 }
		END { for (v in first) l[++n] = (first[v] - (zero[v] + skew)) * 1000; summary(l, n + 0) }'
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
