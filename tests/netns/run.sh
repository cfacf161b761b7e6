#!/bin/bash
# Runs the end-to-end tests tests/netns/t_*.sh (or the ones named as
# arguments, e.g. `run.sh t_kill9`), each in its own network-namespace lab.
# Prints PASS/FAIL/SKIP per test with its duration, a failed test's log
# (daemon logs included), the measured numbers, and as its LAST line exactly:
#   netns: N passed, N failed, N skipped
# Environment: VRRPD_TEST_DAEMON (unset: ./vrrpd; "keepalived": develop the
# lab with Debian's keepalived; or a path), NETNS_TEST_TIMEOUT (seconds per
# test, default 240), NETNS_SLACK (seconds allowed over the RFC timer in the
# takeover assertions, default 0.1). Logs: build/netns/run.*/ (latest: the
# symlink build/netns/latest); measured numbers: results.txt there.
set -u
cd "$(dirname "$0")" || exit 1
HERE=$(pwd)
REPO=$(cd ../.. && pwd)

if [ $# -gt 0 ]; then
	tests=()
	for a in "$@"; do
		a=$(basename "$a" .sh)
		[ -f "$HERE/$a.sh" ] || { echo "netns: no such test: $a" >&2; exit 2; }
		tests+=("$a.sh")
	done
else
	tests=(t_*.sh)
	[ -e "${tests[0]}" ] || tests=()
fi

pass=0 fail=0 skip=0

if [ "$(id -u)" != 0 ]; then
	echo "netns: not running as root (uid $(id -u)): the end-to-end tests create network namespaces, which needs root; every test is reported as skipped"
	for t in "${tests[@]}"; do
		echo "SKIP ${t%.sh} (0.0 s): needs root"
		skip=$((skip + 1))
	done
	echo "netns: $pass passed, $fail failed, $skip skipped"
	exit 0
fi

# One directory per run (runs may overlap): build/netns/run.XXXXXX, and
# build/netns/latest points to the newest.
if mkdir -p "$REPO/build/netns" 2>/dev/null && OUT=$(mktemp -d "$REPO/build/netns/run.XXXXXX" 2>/dev/null); then
	ln -sfn "$(basename "$OUT")" "$REPO/build/netns/latest" 2>/dev/null
else
	OUT=$(mktemp -d "${TMPDIR:-/tmp}/vrrpd-netns.XXXXXX")
fi
# Every namespace of this run starts with this prefix (see lib.sh).
export NETNS_PREFIX="vt$$r"
export NETNS_RESULTS=$OUT/results.txt
: >"$NETNS_RESULTS"
TMO=${NETNS_TEST_TIMEOUT:-240}

echo "netns: daemon under test: ${VRRPD_TEST_DAEMON:-$REPO/vrrpd}; logs in $OUT"

for t in "${tests[@]}"; do
	name=${t%.sh}
	logf=$OUT/$name.log
	start=${EPOCHREALTIME/./}
	timeout -k 15 "$TMO" bash "$HERE/$t" </dev/null >"$logf" 2>&1
	rc=$?
	end=${EPOCHREALTIME/./}
	dur=$(awk -v d=$((end - start)) 'BEGIN { printf "%.1f", d / 1000000 }')
	case $rc in
	0)
		echo "PASS $name ($dur s)"
		pass=$((pass + 1))
		;;
	77)
		why=$(grep -m1 '^SKIP' "$logf" | sed 's/^SKIP: *//')
		echo "SKIP $name ($dur s): ${why:-$(head -n1 "$logf")}"
		skip=$((skip + 1))
		;;
	*)
		[ $rc = 124 ] && echo "     ($name took longer than $TMO s and was stopped)"
		echo "FAIL $name ($dur s, exit $rc); its log ($logf):"
		sed 's/^/    | /' "$logf"
		fail=$((fail + 1))
		# the digest printed again at the end, where a cut output keeps it
		{
			echo "FAIL $name ($dur s, exit $rc); log $logf; its last lines:"
			grep -E 'FAIL|ERROR|Sanitizer|runtime error' "$logf" | head -n 5 | sed 's/^/    ! /'
			tail -n 12 "$logf" | sed 's/^/    | /'
		} >>"$OUT/failures.txt"
		;;
	esac
done

leaked=$(ip netns list 2>/dev/null | awk -v p="$NETNS_PREFIX" 'index($1, p) == 1 { print $1 }')
if [ -n "$leaked" ]; then
	echo "FAIL netns-cleanup: namespaces left behind: $(echo "$leaked" | tr '\n' ' ')(deleting them)"
	for n in $leaked; do
		for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$n" 2>/dev/null
	done
	fail=$((fail + 1))
fi

if [ -s "$NETNS_RESULTS" ]; then
	echo "---- measured (also in $NETNS_RESULTS) ----"
	cat "$NETNS_RESULTS"
fi
if [ -s "$OUT/failures.txt" ]; then
	echo "---- failures (the whole logs are above) ----"
	cat "$OUT/failures.txt"
fi
echo "netns: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
