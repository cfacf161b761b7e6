#!/bin/bash
# Runs the unit tests (given as arguments), the configuration corpus
# (tests/conf/run.sh), the fuzz regression (the
# harnesses given after "--", each through tests/fuzz/run.sh regress) and
# the netns/interop suite, then prints one closing line:
# "check: N passed, N failed, N skipped".
# Exit status is non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
units=() fuzzers=()
for a in "$@"; do
	if [ "$a" = -- ]; then
		fuzzers+=("")
	elif [ ${#fuzzers[@]} -gt 0 ]; then
		fuzzers+=("$a")
	else
		units+=("$a")
	fi
done

# Runs one test program (a command and its arguments) and adds its cmocka
# summary lines to the counts.
count() {
	local out rc p f s
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -n1)
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0})) skip=$((skip + ${s:-0}))
	if [ $rc -ne 0 ] && [ -z "$f" ]; then
		echo "unit: $* exited $rc without a cmocka summary (crash or sanitizer report)"
		fail=$((fail + 1))
	fi
}

for t in tests/layers.sh "${units[@]}"; do
	count "$t"
done
# the configuration corpus (tests/conf/*.conf, each with its .expect)
count tests/conf/run.sh
echo "unit: $pass passed, $fail failed, $skip skipped"
p0=$pass f0=$fail t0=$(date +%s)
for h in "${fuzzers[@]}"; do
	[ -n "$h" ] && count tests/fuzz/run.sh regress "$h"
done
if [ ${#fuzzers[@]} -gt 0 ]; then
	echo "fuzz: $((pass - p0)) passed, $((fail - f0)) failed ($(($(date +%s) - t0)) s)"
fi

# netns_pass LABEL [ENV...]: the netns suite once; adds its counts.
netns_pass() {
	local label=$1 out line
	shift
	out=$(mktemp)
	env "$@" tests/netns/run.sh | tee "$out"
	sed -n '/^---- failures/,/^netns: /p' "$out" | sed '$d' | sed "s|^---- failures.*|---- $label: failures|" >>"$DIGEST"
	line=$(grep -E '^netns: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$out" | tail -n1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "$label: the suite printed no summary: counted as a failure"
		fail=$((fail + 1))
		return
	fi
	set -- $line
	echo "$label: $2 passed, $4 failed, $6 skipped"
	pass=$((pass + $2)) fail=$((fail + $4)) skip=$((skip + $6))
}
DIGEST=$(mktemp)
netns_pass netns
# The same suite again with the daemon built with ASan/UBSan (make
# vrrpd-san): any sanitizer report in a daemon's log fails its test.
if [ -x build/vrrpd-san ]; then
	netns_pass "netns (vrrpd under ASan/UBSan)" VRRPD_TEST_DAEMON="$PWD/build/vrrpd-san"
else
	echo "netns (vrrpd under ASan/UBSan): build/vrrpd-san is missing (make vrrpd-san): counted as a failure"
	fail=$((fail + 1))
fi
# the failures once more, last, so that a cut output still shows them
cat "$DIGEST"
rm -f "$DIGEST"
echo "check: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
