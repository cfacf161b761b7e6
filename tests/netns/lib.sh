# shellcheck shell=bash
# Helpers for the vrrpd end-to-end tests. Source it from a tests/netns/t_*.sh
# script; it sets `set -u`, an EXIT/INT/TERM trap that cleans everything up,
# and a per-test temporary directory $T.
#
# The lab (lab_create): a switch namespace holding a Linux bridge br0 and, per
# host, a veth pair whose switch end is a bridge port ("pr1", "pc", ...) and
# whose other end is the host's eth0. Hosts are called r1..rN (routers,
# 192.0.2.N/24, MAC 02:00:00:00:01:0N) and c (client, 192.0.2.10/24, MAC
# 02:00:00:00:01:0a). Functions take these short names; `ns r1` prints the
# real namespace name. Only documentation addresses are used, nothing is
# created or changed in the host's own namespace.
#
# Daemon: VRRPD_TEST_DAEMON chooses it: unset = $REPO/vrrpd, "keepalived" =
# Debian's keepalived (for developing the lab), or a path to a vrrpd binary.
# VRRPD_EXTRA_ARGS: more words for vrrpd's command line in start_daemon
# (split on blanks; not for keepalived), e.g. VRRPD_EXTRA_ARGS="-S $T/r1.sock".
#
# Exit codes: 0 pass, 77 skip (after printing why), anything else fail.
# Measured numbers: `result TEXT` prints them and appends them to
# $NETNS_RESULTS (set by run.sh) so that the run can summarise them.

set -u

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LIB_DIR/../.." && pwd)
TEST_NAME=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/vrrpd-$TEST_NAME.XXXXXX")
# Namespace names: run.sh sets NETNS_PREFIX (unique per run) so that it can
# find what a run left behind without touching concurrent runs.
PFX=$(printf '%s%d%04x-' "${NETNS_PREFIX:-vt}" "$$" "$RANDOM")
T0_US=${EPOCHREALTIME/./}
POLL=0.02 # seconds between two looks in every wait_* loop

# Per host (r1, ...): daemon PID, kind, log file, start time, config file.
declare -A DPID=() DKIND=() DLOG=() DSTART=() DCONF=()
LAB_NS=() LAB_ROUTERS=() BG_PIDS=() CLEANUP_PATHS=()
CAP_PID="" CAP_FILE=""
LIB_STATUS=0

# ---------------------------------------------------------------- output

# log MSG: a line prefixed with the seconds since the test started.
log() {
	local now=${EPOCHREALTIME/./}
	local d=$((now - T0_US))
	printf '[%3d.%03d] %s\n' $((d / 1000000)) $((d % 1000000 / 1000)) "$*"
}

fail() {
	log "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# result TEXT: a measured number, printed and collected for the run summary.
result() {
	log "measured: $*"
	if [ -n "${NETNS_RESULTS:-}" ]; then
		printf '%-16s %s\n' "$TEST_NAME" "$*" >>"$NETNS_RESULTS"
	fi
}

# ------------------------------------------------------------ arithmetic

# fcalc EXPR [DECIMALS]: floating-point arithmetic with awk, printed with
# DECIMALS decimals (default 3).
fcalc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }

# fcmp A OP B: succeeds when the float comparison holds (OP: < <= > >=).
fcmp() { awk -v a="$1" -v b="$3" "BEGIN { exit !(a $2 b) }"; }

# now: seconds since the epoch with microseconds (same clock as tcpdump -tt).
now() { printf '%s' "$EPOCHREALTIME"; }

# mdi ADVERT_INT PRIORITY [DECIMALS]: Master_Down_Interval, v3 rule
# (conformance 27, 29), in seconds with DECIMALS decimals (default 3).
mdi() { fcalc "3 * $1 + (256 - $2) * $1 / 256" "${3:-3}"; }
# skew ADVERT_INT PRIORITY [DECIMALS]: Skew_Time, v3 rule (v2: pass 1 as the
# interval).
skew() { fcalc "(256 - $2) * $1 / 256" "${3:-3}"; }

# ------------------------------------------------------------- root/lab

require_root() {
	if [ "$(id -u)" != 0 ]; then
		skip "needs root (network namespaces); running as uid $(id -u)"
	fi
	local tool
	for tool in ip tcpdump ping arping awk; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (tests/deps.sh installs it)"
	done
}

ns() { printf '%s%s' "$PFX" "$1"; }
# ipn HOST ARGS...: `ip -n` in a host's namespace.
ipn() {
	local h=$1
	shift
	ip -n "$PFX$h" "$@"
}
# inns HOST CMD...: run a command in a host's namespace.
inns() {
	local h=$1
	shift
	ip netns exec "$PFX$h" "$@"
}

host_ip() {
	case $1 in
	c) echo 192.0.2.10 ;;
	r*) echo "192.0.2.${1#r}" ;;
	esac
}
host_mac() {
	case $1 in
	c) echo 02:00:00:00:01:0a ;;
	r*) printf '02:00:00:00:01:%02x\n' "${1#r}" ;;
	esac
}

# host_ip6 HOST: the host's IPv6 address after lab_ipv6 (2001:db8::N/64,
# the client 2001:db8::a); host_ll6 HOST: its link-local address, derived
# from its MAC as the kernel does (EUI-64), the source of its IPv6 adverts.
host_ip6() {
	case $1 in
	c) echo 2001:db8::a ;;
	r*) echo "2001:db8::${1#r}" ;;
	esac
}
host_ll6() {
	local m
	m=$(host_mac "$1")
	m=${m//:/}
	printf 'fe80::ff:fe%s:%s%s\n' "${m:6:2}" "${m:8:2}" "${m:10:2}" | sed 's/:fe00:0*/:fe00:/'
}
# adv_src HOST: the source address of HOST's adverts in this lab's family.
adv_src() {
	if [ "$LAB_FAMILY" = 6 ]; then host_ll6 "$1"; else host_ip "$1"; fi
}

# lab_ipv6: every host of the lab gets its IPv6 address too (no DAD), and
# the tests' helpers switch to IPv6 adverts (LAB_FAMILY=6).
lab_ipv6() {
	local h
	for h in "${LAB_ROUTERS[@]}" c; do
		ipn "$h" addr add "$(host_ip6 "$h")/64" dev eth0 nodad || fail "IPv6 address on $h"
	done
	LAB_FAMILY=6
	log "lab: IPv6 2001:db8::1-${#LAB_ROUTERS[@]}/64, client 2001:db8::a; adverts from link-local addresses"
}

_ns_add() {
	ip netns add "$PFX$1" || fail "ip netns add $PFX$1"
	LAB_NS+=("$PFX$1")
	ipn "$1" link set lo up
	# no IPv6 duplicate address detection: addresses are usable at once
	inns "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 >/dev/null 2>&1
}

# _host_add NAME: a namespace whose eth0 is plugged into br0 (port "p<NAME>").
_host_add() {
	local h=$1 port="p$1"
	_ns_add "$h"
	ipn sw link add "$port" type veth peer name "e$h" || fail "veth for $h"
	ipn sw link set "e$h" address "$(host_mac "$h")"
	ipn sw link set "e$h" netns "$PFX$h" name eth0 || fail "moving eth0 into $h"
	ipn sw link set "$port" master br0 up
	ipn "$h" addr add "$(host_ip "$h")/24" dev eth0
	ipn "$h" link set eth0 up
}

# lab_create N: switch + routers r1..rN + client c.
lab_create() {
	local n=$1 i
	_ns_add sw
	ipn sw link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0 ||
		fail "cannot create a bridge"
	ipn sw link set br0 up
	for ((i = 1; i <= n; i++)); do
		_host_add "r$i"
		LAB_ROUTERS+=("r$i")
	done
	_host_add c
	log "lab: switch $(ns sw), routers ${LAB_ROUTERS[*]} (192.0.2.1-$n), client c (192.0.2.10)"
}

# veth_in HOST NAME PEER [ADDR/PREFIX]: one more link in HOST, a veth pair
# with both ends in HOST, both up (so NAME has a carrier while PEER is up);
# ADDR on NAME.
veth_in() {
	ipn "$1" link add "$2" type veth peer name "$3" || fail "veth pair $2/$3 in $1"
	[ -n "${4:-}" ] && ipn "$1" addr add "$4" dev "$2"
	ipn "$1" link set "$2" up
	ipn "$1" link set "$3" up
}

# lab_lan2: a second LAN, 198.51.100.0/24, on a bridge br1 of its own in
# the switch namespace: each router gets eth1 (198.51.100.N/24, MAC
# 02:00:00:00:02:0N) plugged into port "q<HOST>" (the client stays on the
# first LAN only). partition2 HOST / heal2 HOST take that port off br1 and
# back, as partition / heal do on br0.
lab_lan2() {
	local h
	ipn sw link add br1 type bridge stp_state 0 forward_delay 0 mcast_snooping 0 ||
		fail "cannot create a second bridge"
	ipn sw link set br1 up
	for h in "${LAB_ROUTERS[@]}"; do
		ipn sw link add "q$h" type veth peer name "f$h" || fail "second veth for $h"
		ipn sw link set "f$h" address "$(printf '02:00:00:00:02:%02x' "${h#r}")"
		ipn sw link set "f$h" netns "$PFX$h" name eth1 || fail "moving eth1 into $h"
		ipn sw link set "q$h" master br1 up
		ipn "$h" addr add "198.51.100.${h#r}/24" dev eth1
		ipn "$h" link set eth1 up
	done
	log "lab: second LAN on br1, routers' eth1 198.51.100.1-${#LAB_ROUTERS[@]}/24"
}
partition2() { ipn sw link set "q$1" nomaster; }
heal2() { ipn sw link set "q$1" master br1; }

# partition HOST / heal HOST: take the host's port off the bridge and back.
# The host keeps its carrier, it just stops hearing anybody.
partition() { ipn sw link set "p$1" nomaster; }
heal() { ipn sw link set "p$1" master br0; }

# ---------------------------------------------------------------- procs

# _alive PID: PID exists and is not a zombie. No fork: it runs in polling
# loops, which must not compete with the daemons for the CPU (the benchmarks).
_alive() {
	local line st
	[ -n "$1" ] || return 1
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
	st=${line##*) }
	st=${st%% *}
	[ -n "$st" ] && [ "$st" != Z ]
}

# _rounds SECONDS EXTRA: how many $POLL-second rounds a loop bounded by
# SECONDS may take (plus EXTRA).
_rounds() { awk -v s="$1" -v p="$POLL" -v e="$2" 'BEGIN { printf "%d", s / p + e }'; }

# _deadline SECONDS: the time (µs since the epoch, as ${EPOCHREALTIME/./})
# SECONDS from now.
_deadline() { echo $((${EPOCHREALTIME/./} + $(awk -v s="$1" 'BEGIN { printf "%d", s * 1000000 }'))); }

# _wait_exit PID SECONDS: wait (bounded) until PID is gone; reap it.
_wait_exit() {
	local pid=$1 limit=$2 i n
	n=$(_rounds "$limit" 1)
	for ((i = 0; i < n; i++)); do
		_alive "$pid" || break
		sleep "$POLL"
	done
	if _alive "$pid"; then
		return 1
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------- daemons

# daemon_kind: "keepalived" or "vrrpd", from VRRPD_TEST_DAEMON.
daemon_kind() {
	case ${VRRPD_TEST_DAEMON:-} in
	*keepalived*) echo keepalived ;;
	*) echo vrrpd ;;
	esac
}
vrrpd_bin() {
	case ${VRRPD_TEST_DAEMON:-} in
	"" | vrrpd) echo "$REPO/vrrpd" ;;
	*) echo "$VRRPD_TEST_DAEMON" ;;
	esac
}

# start_daemon [-k keepalived|vrrpd] HOST CONF [LOG]: start the daemon in
# HOST's namespace (in the foreground of its own process, logging to LOG,
# default $T/HOST.log, appended) and remember its PID under the name HOST.
# Its pid files are $T/HOST.pid (and keepalived's VRRP child's
# $T/HOST.vrrp.pid), vrrpd's control socket $T/HOST.sock. DAEMON_LOG_DETAIL=0
# leaves out -D (log detail): the benchmarks run both daemons that way.
start_daemon() {
	local kind
	kind=$(daemon_kind)
	if [ "${1:-}" = -k ]; then
		kind=$2
		shift 2
	fi
	local h=$1 conf=$2 logf=${3:-$T/$1.log} bin detail=()
	[ -f "$conf" ] || fail "start_daemon: no config $conf"
	if daemon_running "$h"; then
		fail "start_daemon: a daemon already runs on $h (pid ${DPID[$h]})"
	fi
	[ "${DAEMON_LOG_DETAIL:-1}" = 0 ] || detail=(-D)
	rm -f "$T/$h.pid" "$T/$h.vrrp.pid"
	printf '==== %s: start %s on %s with %s\n' "$(date +%T.%N)" "$kind" "$h" "$conf" >>"$logf"
	local cmd
	if [ "$kind" = keepalived ]; then
		command -v keepalived >/dev/null 2>&1 || fail "keepalived is not installed"
		# -R: no respawn, so that kill -9 of the VRRP child is a crash.
		cmd=(keepalived -n -l "${detail[@]}" -G --vrrp -R -f "$conf" -p "$T/$h.pid" -r "$T/$h.vrrp.pid")
	else
		bin=$(vrrpd_bin)
		[ -x "$bin" ] || fail "daemon $bin does not exist or is not executable (run make; or VRRPD_TEST_DAEMON=keepalived to test the lab)"
		# Each daemon gets its own control socket (a later -S in VRRPD_EXTRA_ARGS wins).
		cmd=("$bin" -f "$conf" -n -l "${detail[@]}" -p "$T/$h.pid" -S "$T/$h.sock")
		# shellcheck disable=SC2206 # split into words on purpose
		[ -n "${VRRPD_EXTRA_ARGS:-}" ] && cmd+=($VRRPD_EXTRA_ARGS)
	fi
	# shellcheck disable=SC2034 # read by the tests
	DSTART[$h]=$(now)
	# DAEMON_EXEC_STAMP=FILE: FILE gets the time ($EPOCHREALTIME) just
	# before the daemon's execve (the benchmarks' start time; the same PID).
	[ -n "${DAEMON_EXEC_STAMP:-}" ] &&
		cmd=(bash -c 'printf "%s\n" "$EPOCHREALTIME" >"$0"; exec "$@"' "$DAEMON_EXEC_STAMP" "${cmd[@]}")
	ip netns exec "$PFX$h" "${cmd[@]}" </dev/null >>"$logf" 2>&1 &
	DPID[$h]=$!
	DKIND[$h]=$kind
	DLOG[$h]=$logf
	# shellcheck disable=SC2034 # read by the tests
	DCONF[$h]=$conf
	log "started $kind on $h (pid ${DPID[$h]}, config $(basename "$conf"), log $(basename "$logf"))"
}

# _vrrp_pid HOST: the process that runs the VRRP state machine (keepalived's
# VRRP child, from its pid file, bounded wait; vrrpd itself).
_vrrp_pid() {
	local h=$1 i p n
	if [ "${DKIND[$h]}" != keepalived ]; then
		echo "${DPID[$h]}"
		return
	fi
	n=$(_rounds 3 0)
	for ((i = 0; i < n; i++)); do
		if [ -s "$T/$h.vrrp.pid" ]; then
			p=$(cat "$T/$h.vrrp.pid")
			_alive "$p" && {
				echo "$p"
				return
			}
		fi
		_alive "${DPID[$h]}" || break
		sleep "$POLL"
	done
	echo "${DPID[$h]}"
}

# daemon_asan: the daemon under test is built with ASan (make vrrpd-san):
# its memory figures are ASan's and it runs two to three times slower, so a
# test may report such figures without judging them (and says so).
daemon_asan() { ldd "$(vrrpd_bin)" 2>/dev/null | grep -q libasan; }

# daemon_running HOST
daemon_running() { [ -n "${DPID[$1]:-}" ] && _alive "${DPID[$1]}"; }

# signal_daemon HOST SIGNAL: send SIGNAL to HOST's daemon; KILL goes to the
# process that runs the state machine (keepalived's VRRP child), so that it
# is a crash of VRRP. Fails if no daemon runs on HOST.
signal_daemon() {
	local h=$1 sig=$2 pid target
	pid=${DPID[$h]:-}
	[ -n "${DKIND[$h]:-}" ] || fail "signal_daemon: no daemon started on $h"
	_alive "$pid" || fail "signal_daemon: the daemon on $h (pid ${pid:-none}) is not running any more"
	target=$pid
	case $sig in KILL | 9 | SIGKILL) target=$(_vrrp_pid "$h") ;; esac
	kill -s "$sig" "$target" 2>/dev/null
}

# reap_daemon HOST [SECONDS]: bounded wait (default 10 s) for HOST's daemon
# to exit after a signal, and reap it; HOST then has no daemon (DPID empty).
# If it does not exit in time, it is killed (-9, keepalived's VRRP child
# too) and reap_daemon returns 1. Returns 0 at once if nothing was started.
reap_daemon() {
	local h=$1 pid=${DPID[$1]:-}
	[ -n "$pid" ] || return 0
	if ! _wait_exit "$pid" "${2:-10}"; then
		kill -s KILL "$(_vrrp_pid "$h")" "$pid" 2>/dev/null
		_wait_exit "$pid" 3
		DPID[$h]=""
		return 1
	fi
	DPID[$h]=""
}

# stop_daemon HOST [SIGNAL]: default TERM (a clean stop: priority-0 advert,
# VIPs removed). KILL simulates a crash (for keepalived: of its VRRP child).
# Waits, bounded, for the daemon to exit; fails if it does not.
stop_daemon() {
	local h=$1 sig=${2:-TERM} pid=${DPID[$1]:-}
	signal_daemon "$h" "$sig"
	reap_daemon "$h" 10 || fail "daemon on $h (pid $pid) did not exit within 10 s of SIG$sig"
	log "stopped the daemon on $h with SIG$sig"
}

# ------------------------------------------------------------------ VIPs

# addrs HOST: the addresses on the host's eth0, e.g. "192.0.2.1/24 192.0.2.100/24".
addrs() {
	local out
	out=$(ipn "$1" -br addr show dev eth0 2>/dev/null)
	# shellcheck disable=SC2086 # split into words on purpose
	set -- $out
	shift 2 2>/dev/null
	echo "$*"
}

# has_vip HOST VIP: the VIP (an address without prefix) is on one of HOST's
# interfaces (eth0, or its virtual MAC interface).
has_vip() {
	case " $(addrs "$1") " in
	*" $2/"*) return 0 ;;
	esac
	# or on another interface of the host (a virtual MAC interface: use_vmac)
	ipn "$1" -o addr show 2>/dev/null | grep -q " $2/"
}

# holders VIP: the routers holding VIP ("none" if none).
holders() {
	local h out=""
	for h in "${LAB_ROUTERS[@]}"; do
		has_vip "$h" "$1" && out="$out $h"
	done
	out=${out# }
	echo "${out:-none}"
}

# wait_until SECONDS CMD...: poll CMD every $POLL s until it succeeds, at
# most SECONDS (and at most a bounded number of rounds).
wait_until() {
	local limit=$1 deadline i n
	shift
	deadline=$(_deadline "$limit")
	n=$(_rounds "$limit" 10)
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || break
		sleep "$POLL"
	done
	"$@"
}

# wait_vip HOST VIP SECONDS / wait_no_vip HOST VIP SECONDS
wait_vip() { wait_until "$3" has_vip "$1" "$2"; }
_no_vip() { ! has_vip "$1" "$2"; }
wait_no_vip() { wait_until "$3" _no_vip "$1" "$2"; }

# _only HOST VIP: VIP is on HOST and on no other router.
_only() {
	[ "$(holders "$2")" = "$1" ]
}
# wait_only HOST VIP SECONDS
wait_only() { wait_until "$3" _only "$1" "$2"; }

assert_vip() {
	has_vip "$1" "$2" || fail "expected $2 on $1; $1 has: $(addrs "$1"); holders of $2: $(holders "$2")"
}
assert_no_vip() {
	has_vip "$1" "$2" && fail "expected no $2 on $1; $1 has: $(addrs "$1")"
	return 0
}
# assert_only HOST VIP: on HOST and nowhere else.
assert_only() {
	local hs
	hs=$(holders "$2")
	[ "$hs" = "$1" ] || fail "expected $2 on $1 only; found it on: $hs"
}
# assert_stable HOST VIP SECONDS: VIP stays on HOST only for SECONDS.
assert_stable() {
	local limit=$3 deadline hs
	deadline=$(_deadline "$limit")
	local i n
	n=$(_rounds "$limit" 10)
	for ((i = 0; i < n; i++)); do
		hs=$(holders "$2")
		[ "$hs" = "$1" ] || fail "expected $2 to stay on $1 only for $limit s; after $(fcalc "(${EPOCHREALTIME/./} - $deadline) / 1000000 + $limit") s it is on: $hs"
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || break
		sleep "$POLL"
	done
	return 0
}
# assert_le WHAT VALUE LIMIT / assert_ge WHAT VALUE LIMIT (floats)
assert_le() { fcmp "$2" '<=' "$3" || fail "$1: expected <= $3, measured $2"; }
assert_ge() { fcmp "$2" '>=' "$3" || fail "$1: expected >= $3, measured $2"; }

# assert_slack WHAT VALUE TIMER: a time measured on the wire (VALUE) is at
# most the protocol's TIMER plus NETNS_SLACK seconds (default 0.1).
assert_slack() { assert_le "$1" "$2" "$(fcalc "$3 + ${NETNS_SLACK:-0.1}")"; }

# assert_log HOST REGEX WHAT: the daemon log of HOST matches REGEX (grep -E -i).
assert_log() {
	grep -Eqi -- "$2" "${DLOG[$1]}" || fail "expected the log of $1 to show $3 (/$2/); it does not"
}

# ---------------------------------------------------------------- client

_neigh_mac() {
	local out
	out=$(ipn c neigh show "$1" dev eth0 2>/dev/null)
	# shellcheck disable=SC2086 # split into words on purpose
	set -- $out
	while [ $# -gt 0 ]; do
		if [ "$1" = lladdr ]; then
			echo "$2"
			return
		fi
		shift
	done
}
_neigh_is() { [ "$(_neigh_mac "$1")" = "$2" ]; }

# client_ping VIP HOST: the client reaches VIP and its neighbour entry for
# VIP has the MAC of HOST's eth0.
client_ping() {
	local vip=$1 h=$2 want i ok=0
	want=$(host_mac "$h")
	for ((i = 0; i < 3; i++)); do
		if inns c ping -n -q -c 3 -i 0.2 -W 1 "$vip" >"$T/ping.out" 2>&1; then
			ok=1
			break
		fi
	done
	[ $ok = 1 ] || fail "client cannot ping $vip: $(tail -n 2 "$T/ping.out" | tr '\n' ' ')"
	# a gratuitous ARP may still be on its way: bounded wait for the entry
	wait_until 2 _neigh_is "$vip" "$want" ||
		fail "client's neighbour entry for $vip is '$(_neigh_mac "$vip")', expected $want ($h)"
	log "client pings $vip: $(grep -o '[0-9]* received' "$T/ping.out"), neighbour entry $want = $h"
}

# client_arping VIP HOST: ARP requests for VIP from the client are answered,
# and only by HOST's MAC. Works with either arping: Debian's "arping"
# (Habets) or "iputils-arping".
client_arping() {
	local vip=$1 h=$2 want macs
	want=$(host_mac "$h")
	if arping --help 2>&1 | grep -q Habets; then
		inns c arping -i eth0 -c 3 -W 0.2 -w 2 "$vip" >"$T/arping.out" 2>&1
	else
		inns c arping -I eth0 -c 2 -w 3 "$vip" >"$T/arping.out" 2>&1
	fi
	# Habets: "42 bytes from 02:..:01 (192.0.2.100): index=0 ..."
	# iputils: "Unicast reply from 192.0.2.100 [02:..:01]  0.6ms"
	macs=$(sed -n -e 's/.*bytes from \([0-9a-fA-F:]*\) (.*/\1/p' \
		-e 's/.*reply from [0-9.]* \[\([0-9a-fA-F:]*\)\].*/\1/p' "$T/arping.out" |
		tr 'A-F' 'a-f' | sort -u | tr '\n' ' ')
	macs=${macs% }
	[ -n "$macs" ] || fail "no ARP reply for $vip: $(tr '\n' ' ' <"$T/arping.out")"
	[ "$macs" = "$want" ] || fail "ARP replies for $vip came from '$macs', expected only $want ($h)"
	log "client arping $vip: answered by $macs = $h"
}

# --------------------------------------------------------------- capture

# cap_begin FILE TCPDUMP-ARGS...: tcpdump in the switch namespace, writing to
# FILE (its stderr to FILE.err), every packet as it enters the switch from a
# host port (so each packet is seen exactly once, unicast included,
# timestamped when it left the host; epoch times in µs, the clock of
# $EPOCHREALTIME). TCPDUMP-ARGS: more options, then the filter. Sets
# CAP_FILE and CAP_PID, which adverts, cap_stop and the cleanup use. Returns
# 1, saying why, if tcpdump did not start within 5 s.
cap_begin() {
	local f=$1
	shift
	CAP_FILE=$f
	: >"$CAP_FILE"
	ip netns exec "$PFX"sw tcpdump -i any -Q in -tt -n -e -l -U "$@" </dev/null >"$f" 2>"$f.err" &
	CAP_PID=$!
	wait_until 5 grep -q 'listening on' "$f.err" || {
		log "tcpdump did not start: $(cat "$f.err")"
		return 1
	}
}

# cap_start: the tests' capture (cap_begin): every VRRP packet and ARP, with
# tcpdump -v (adverts then give TTL and addresses), in $T/capture.txt.
cap_start() {
	cap_begin "$T/capture.txt" -v '(ip proto 112 or ip6 proto 112 or arp or icmp6)' || fail "tcpdump did not start"
}

cap_stop() {
	[ -n "$CAP_PID" ] || return 0
	kill -INT "$CAP_PID" 2>/dev/null
	_wait_exit "$CAP_PID" 3 || { kill -KILL "$CAP_PID" 2>/dev/null; _wait_exit "$CAP_PID" 2; }
	CAP_PID=""
}

# adverts: the VRRP adverts captured so far, one per line:
#   TIME PORT SRCMAC SRC DST VERSION VRID PRIO INTERVAL TTL BADSUM ADDRS
# e.g. "1795320810.112637 pr1 02:00:00:00:01:01 192.0.2.1 224.0.0.18 3 51 150
# 10cs 255 0 192.0.2.100" (BADSUM 1 when tcpdump reports a bad checksum; ADDRS
# comma-separated). tcpdump -v prints the IP header on the line with the time
# and the VRRP part on the next line.
adverts() {
	awk '
	$1 ~ /^[0-9]+\.[0-9]+$/ {
		t = $1; port = $2; mac = ""; ttl = ""
		for (i = 3; i <= NF; i++) {
			if ($i == "ifindex" && mac == "") mac = $(i + 2)
			else if ($i == "ttl" || $i == "hlim") { ttl = $(i + 1); sub(/,$/, "", ttl) }
		}
	}
	/ VRRPv[23], Advertisement/ {
		if (port == "br0" || port == "br1") next
		src = ""; dst = ""; ver = ""; vrid = ""; prio = ""; intvl = ""; addrs = ""; inaddr = 0
		bad = (index($0, "bad vrrp cksum") > 0) ? 1 : 0
		for (i = 1; i <= NF; i++) {
			if (inaddr) { a = $i; sub(/,$/, "", a); if (a ~ /^[0-9a-fA-F.:]+$/) addrs = addrs (addrs == "" ? "" : ",") a; else inaddr = 0 }
			if ($i == ">" && src == "") { src = $(i - 1); dst = $(i + 1); sub(/:$/, "", dst) }
			else if ($i ~ /^VRRPv[23],$/) ver = substr($i, 6, 1)
			else if ($i == "vrid") { vrid = $(i + 1); sub(/,$/, "", vrid) }
			else if ($i == "prio") { prio = $(i + 1); sub(/,$/, "", prio) }
			else if ($i == "intvl") { intvl = $(i + 1); sub(/,$/, "", intvl) }
			else if ($i == "addrs:") inaddr = 1
		}
		print t, port, mac, src, dst, ver, vrid, prio, intvl, (ttl == "" ? "-" : ttl), bad, (addrs == "" ? "-" : addrs)
	}' "$CAP_FILE"
}

# adv_first SRC AFTER [VRID] [PRIO-TEST]: time of SRC's first advert after
# time AFTER (PRIO-TEST is an awk condition on p, default "p > 0").
adv_first() {
	adverts | awk -v s="$1" -v t="$2" -v v="${3:-}" '
		$4 == s && $1 > t && (v == "" || $7 == v) { p = $8 + 0; if ('"${4:-p > 0}"') { print $1; exit } }'
}
# adv_last SRC BEFORE [VRID]: time of SRC's last advert (priority > 0) before BEFORE.
adv_last() {
	adverts | awk -v s="$1" -v t="$2" -v v="${3:-}" '
		$4 == s && $1 < t && $8 > 0 && (v == "" || $7 == v) { last = $1 } END { if (last != "") print last }'
}
# adv_count [AWK-CONDITION]: adverts matching a condition on the fields
# (t port mac src dst ver vrid prio intvl ttl bad addrs); default all.
adv_count() {
	adverts | awk '{ t = $1; port = $2; mac = $3; src = $4; dst = $5; ver = $6; vrid = $7; prio = $8
		intvl = $9; ttl = $10; bad = $11; addrs = $12 }
		'"${1:-1}"' { n++ } END { print n + 0 }'
}

# wait_adv_count N SECONDS [AWK-CONDITION]: bounded wait until at least N
# captured adverts match the condition (see adv_count).
_adv_n() { [ "$(adv_count "${2:-}")" -ge "$1" ]; }
wait_adv_count() { wait_until "$2" _adv_n "$1" "${3:-}"; }

# wait_adv SRC AFTER SECONDS [VRID] [PRIO-TEST]: bounded wait for such an advert;
# prints its time.
_adv_seen() { [ -n "$(adv_first "$@")" ]; }
wait_adv() {
	local s=$1 a=$2 lim=$3
	shift 3
	wait_until "$lim" _adv_seen "$s" "$a" "$@" || return 1
	adv_first "$s" "$a" "$@"
}

# --------------------------------------------------------------- cleanup

_dump_logs() {
	local h f
	for h in "${!DLOG[@]}"; do
		f=${DLOG[$h]}
		[ -f "$f" ] || continue
		echo "---- daemon log of $h ($f, last 150 lines) ----"
		tail -n 150 "$f"
	done
	if [ -n "$CAP_FILE" ] && [ -s "$CAP_FILE" ]; then
		echo "---- last 40 adverts captured (time port srcmac src dst ver vrid prio intvl ttl badsum addrs) ----"
		adverts | tail -n 40
	fi
}

lab_cleanup() {
	local rc=$? h pid p n
	trap - EXIT INT TERM
	[ "$LIB_STATUS" != 0 ] && rc=$LIB_STATUS
	cap_stop
	# stop all daemons at once (TERM), then wait for each, bounded
	for h in "${!DPID[@]}"; do
		pid=${DPID[$h]}
		_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for h in "${!DPID[@]}"; do
		pid=${DPID[$h]}
		[ -n "$pid" ] || continue # reaped already
		_wait_exit "$pid" 5 || { kill -KILL "$pid" 2>/dev/null; _wait_exit "$pid" 2; }
	done
	for pid in "${BG_PIDS[@]}"; do
		_alive "$pid" && kill -TERM "$pid" 2>/dev/null
		_wait_exit "$pid" 2 || kill -KILL "$pid" 2>/dev/null
	done
	# Anything still running inside our namespaces is ours (e.g. a keepalived
	# child whose parent died): end it by PID.
	for n in "${LAB_NS[@]}"; do
		for p in $(ip netns pids "$n" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
	done
	# A daemon built with sanitizers (make vrrpd-san) reports into its log,
	# at the error or when it exits: any report fails the test.
	local f san
	for h in "${!DLOG[@]}"; do
		f=${DLOG[$h]}
		san=$(grep -m1 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$f" 2>/dev/null)
		if [ -n "$san" ]; then
			echo "FAIL: sanitizer report in the log of $h: $san"
			[ "$rc" = 0 ] || [ "$rc" = 77 ] && rc=1
		fi
	done
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		_dump_logs
	fi
	for n in "${LAB_NS[@]}"; do
		ip netns del "$n" 2>/dev/null
	done
	# files a test put outside $T (e.g. /etc/netns/NS/ for ip netns exec)
	for p in "${CLEANUP_PATHS[@]}"; do
		rm -rf -- "$p"
	done
	if [ "$rc" = 0 ] || [ "$rc" = 77 ]; then
		rm -rf "$T"
	else
		echo "(test files kept in $T)"
	fi
	exit "$rc"
}
trap lab_cleanup EXIT
trap 'LIB_STATUS=130; exit 130' INT
trap 'LIB_STATUS=143; exit 143' TERM

# conf_instance NAME VRID PRIO [KEY=VALUE...] -- VIP...: one vrrp_instance
# block on stdout. Known keys: state, version, advert_int, interface, extra
# (verbatim lines, may contain \n).
conf_instance() {
	local name=$1 vrid=$2 prio=$3 state=BACKUP version=3 adv=0.1 ifc=eth0 extra=""
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		state=*) state=${1#state=} ;;
		version=*) version=${1#version=} ;;
		advert_int=*) adv=${1#advert_int=} ;;
		interface=*) ifc=${1#interface=} ;;
		extra=*) extra=${1#extra=} ;;
		*) fail "conf_instance: unknown key $1" ;;
		esac
		shift
	done
	[ "${1:-}" = -- ] && shift
	printf 'vrrp_instance %s {\n    state %s\n    interface %s\n    virtual_router_id %s\n    priority %s\n    version %s\n    advert_int %s\n' \
		"$name" "$state" "$ifc" "$vrid" "$prio" "$version" "$adv"
	[ -n "$extra" ] && printf '%b\n' "$extra" | sed 's/^/    /'
	printf '    virtual_ipaddress {\n'
	local v
	for v in "$@"; do
		printf '        %s\n' "$v"
	done
	printf '    }\n}\n'
}

# ------------------------------------------------------------ two routers
# The shape most tests start from: r1 (priority 150) and r2 (priority 100)
# back up one address, $VIP, in one instance VI_1 (VRID 51).
VIP=192.0.2.100 VIP_PREFIX=24
# LAB_FAMILY=6 (after lab_ipv6): adverts come from link-local addresses.
LAB_FAMILY=4

# pair_conf [KEY=VALUE...]: writes $T/r1.conf (priority 150) and $T/r2.conf
# (priority 100), each the instance VI_1, VRID 51, VIP $VIP/24. KEY=VALUE as
# conf_instance's, for both routers; r1:KEY=VALUE or r2:KEY=VALUE for one of
# them only (after the shared ones, so it wins; KEY may also be priority).
pair_conf() {
	local a p1=150 p2=100 both=() c1=() c2=()
	for a in "$@"; do
		case $a in
		r1:priority=*) p1=${a#*=} ;;
		r2:priority=*) p2=${a#*=} ;;
		r1:*) c1+=("${a#r1:}") ;;
		r2:*) c2+=("${a#r2:}") ;;
		*) both+=("$a") ;;
		esac
	done
	conf_instance VI_1 51 "$p1" "${both[@]}" "${c1[@]}" -- "$VIP/$VIP_PREFIX" >"$T/r1.conf"
	conf_instance VI_1 51 "$p2" "${both[@]}" "${c2[@]}" -- "$VIP/$VIP_PREFIX" >"$T/r2.conf"
}

# wait_master HOST VIP SECONDS: bounded wait until VIP is on HOST and on no
# other router. Returns when it is; fails the test, naming the holders, if it
# is not within SECONDS.
wait_master() {
	wait_only "$1" "$2" "$3" || fail "$1 is not the only holder of $2 after $3 s: holders: $(holders "$2")"
}

# pair_up [-k MASTER-KIND OTHER-KIND] MASTER SECONDS [STABLE]: starts the
# daemon on MASTER (r1 or r2), then on the other one, each with
# $T/HOST.conf (-k: which daemon on each, as start_daemon's -k), and waits
# at most SECONDS until MASTER is the only holder of $VIP. With STABLE, it
# must then stay so for STABLE seconds, and the client must reach $VIP with
# MASTER's MAC (client_ping). On return all of that holds; otherwise the test
# has failed.
pair_up() {
	local k1=() k2=()
	if [ "$1" = -k ]; then
		k1=(-k "$2") k2=(-k "$3")
		shift 3
	fi
	local m=$1 o=r1
	[ "$m" = r1 ] && o=r2
	start_daemon "${k1[@]}" "$m" "$T/$m.conf"
	start_daemon "${k2[@]}" "$o" "$T/$o.conf"
	wait_master "$m" "$VIP" "$2"
	[ -n "${3:-}" ] || return 0
	assert_stable "$m" "$VIP" "$3"
	client_ping "$VIP" "$m"
}

# join_late FIRST LATE: the daemon on FIRST starts alone and must be the only
# holder of $VIP within 5 s; then the daemon on LATE starts (each with
# $T/HOST.conf). Sets T_START, the time LATE's daemon started.
join_late() {
	start_daemon "$1" "$T/$1.conf"
	wait_master "$1" "$VIP" 5
	start_daemon "$2" "$T/$2.conf"
	# shellcheck disable=SC2034 # read by the tests
	T_START=${DSTART[$2]}
}

# kill_takeover OLD NEW SECONDS: kill -9 of the daemon on OLD, the master;
# NEW must hold $VIP within SECONDS and advertise within 3 s more. Sets
# T_STOP (the kill), T_NEW (NEW's first advert after it), T_LAST (OLD's last
# advert before T_NEW; empty if none was captured) and TAKE, the takeover on
# the wire: T_NEW - T_LAST (empty without T_LAST). Needs cap_start.
kill_takeover() {
	local old=$1 new=$2 lim=$3
	T_STOP=$(now)
	stop_daemon "$old" KILL
	wait_vip "$new" "$VIP" "$lim" || fail "$new did not take $VIP within $lim s of the kill of $old"
	T_NEW=$(wait_adv "$(adv_src "$new")" "$T_STOP" 3) || fail "no advert from $new after the kill of $old"
	T_LAST=$(adv_last "$(adv_src "$old")" "$T_NEW")
	TAKE=""
	if [ -n "$T_LAST" ]; then TAKE=$(fcalc "$T_NEW - $T_LAST"); fi
}

# term_takeover OLD NEW SECONDS: SIGTERM of the daemon on OLD, the master:
# once it has exited OLD has no $VIP, and it sent a priority-0 advert (seen
# within 2 s); NEW must hold $VIP within SECONDS and advertise within 3 s of
# that advert. Sets T_STOP (the signal), T_ZERO (the priority-0 advert),
# T_NEW (NEW's first advert after it) and TAKE = T_NEW - T_ZERO. Needs
# cap_start.
term_takeover() {
	local old=$1 new=$2 lim=$3
	T_STOP=$(now)
	stop_daemon "$old" TERM
	assert_no_vip "$old" "$VIP"
	log "$old exited and removed $VIP"
	T_ZERO=$(wait_adv "$(adv_src "$old")" "$T_STOP" 2 "" "p == 0") || fail "no priority-0 advert from $old after SIGTERM"
	log "priority-0 advert from $old seen"
	wait_vip "$new" "$VIP" "$lim" || fail "$new did not take $VIP within $lim s of the SIGTERM of $old"
	T_NEW=$(wait_adv "$(adv_src "$new")" "$T_ZERO" 3) || fail "no advert from $new after $old's priority-0 advert"
	# shellcheck disable=SC2034 # read by the tests
	TAKE=$(fcalc "$T_NEW - $T_ZERO")
}
