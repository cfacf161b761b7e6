#!/bin/bash
# The long chaos run: tests/chaos/chaos.sh once per seed, then the figures
# over all of them. Usage: longrun.sh EVENTS SEED... (e.g. longrun.sh 100 1
# 2 3 4 5). CHAOS_LOCK=/tmp/vrrpd-netns.lock takes that lock around each
# seed (so that other users of the machine get it in between); CHAOS_OUT
# (default build/chaos/long.DATE) receives events.tsv (seed, event, faults,
# convergence after the heal, during the fault, whether the heal moved a
# VIP), each seed's log, a
# failure's files, and summary.txt. Exit status 1 when any seed failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
[ $# -ge 2 ] || { echo "usage: $0 EVENTS SEED..." >&2; exit 2; }
EVENTS=$1
shift
OUT=${CHAOS_OUT:-build/chaos/long.$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
for s in "$@"; do
	t0=${EPOCHREALTIME/./}
	if [ -n "${CHAOS_LOCK:-}" ]; then
		flock "$CHAOS_LOCK" nice env CHAOS_SEED="$s" CHAOS_EVENTS="$EVENTS" CHAOS_OUT="$OUT" tests/chaos/chaos.sh >"$OUT/seed$s.log" 2>&1
	else
		nice env CHAOS_SEED="$s" CHAOS_EVENTS="$EVENTS" CHAOS_OUT="$OUT" tests/chaos/chaos.sh >"$OUT/seed$s.log" 2>&1
	fi
	rc=$?
	t1=${EPOCHREALTIME/./}
	line=$(grep -m1 'measured: seed' "$OUT/seed$s.log" | sed 's/.*measured: //')
	if [ $rc = 0 ]; then
		echo "seed $s: PASS ($(((t1 - t0) / 1000000)) s): $line"
	else
		echo "seed $s: FAIL (exit $rc): $(grep -m1 '^chaos: FAILED' "$OUT/seed$s.log")"
	fi
done | tee "$OUT/summary.txt"
awk -F'\t' '{ n++; c[n] = $5; if ($7 == 1) { q++; e[q] = $5 } if ($6 != "-") { m++; d[m] = $6 } }
	function med(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k ? ((k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2) : 0 }
	END { mc = med(c, n); xc = c[n]; me = med(e, q); xe = e[q]; md = med(d, m); xd = d[m]
		printf "chaos long run: %d events passed; convergence after a heal that moves a VIP (%d events) median %.3f s, max %.3f s; after any heal median %.3f s, max %.3f s; during a fault that moves a VIP (%d events) median %.3f s, max %.3f s\n", n, q, me, xe, mc, xc, m, md, xd }' \
	"$OUT/events.tsv" 2>/dev/null | tee -a "$OUT/summary.txt"
cat "$OUT"/seed*.log 2>/dev/null | grep -c 'KNOWN RACE after a loss fault' | sed 's/^/chaos long run: KNOWN RACE (stale client entry after a loss fault) hits: /' | tee -a "$OUT/summary.txt"
[ -s "$OUT/failures.txt" ] && { echo "failures:"; cat "$OUT/failures.txt"; } | tee -a "$OUT/summary.txt"
echo "chaos long run: files in $OUT"
grep -q FAIL "$OUT/summary.txt" && exit 1
exit 0
