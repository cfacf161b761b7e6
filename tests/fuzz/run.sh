#!/bin/bash
# Runs the libFuzzer harnesses built by the Makefile (build/fuzz/fuzz_NAME).
#
#   tests/fuzz/run.sh regress HARNESS...
#       The regression test of `make check`: each harness executes every
#       input of tests/fuzz/corpus/NAME, then mutates them for a fixed
#       number of runs in all (FUZZ_RUNS; default 50000, 5000 for the
#       slower conf) with a fixed seed: a few seconds in all.
#       Prints one cmocka-style summary line per harness, so that
#       tests/run-all.sh counts it as a test; exits non-zero on a finding.
#   tests/fuzz/run.sh long SECONDS HARNESS...
#       The long run of `make fuzz`: each harness in turn for SECONDS,
#       at nice 19, growing its working corpus build/fuzz/corpus/NAME
#       (started from the committed one, which is only read). Prints the
#       executions and findings per harness.
#
# Either way a finding (crash, sanitizer report, leak, timeout, an abort()
# of a harness's invariant) is saved as build/fuzz/artifacts/NAME-KIND-HASH;
# reproduce it with `build/fuzz/fuzz_NAME FILE`. The harnesses and what
# they check are described at the top of each tests/fuzz/fuzz_NAME.c.
set -u
cd "$(dirname "$0")/../.."

# Options per harness: the largest input worth trying, the dictionary.
opts() {
	case "$1" in
	pkt) echo "-max_len=4200" ;;
	conf) echo "-max_len=8192 -dict=tests/fuzz/conf.dict" ;;
	ctl | script) echo "-max_len=1024" ;;
	*) echo "-max_len=4096" ;;
	esac
}

default_runs() { [ "$1" = conf ] && echo 5000 || echo 50000; }

# Every input must finish well within this (seconds); a slower one is a
# finding too.
COMMON="-timeout=10 -rss_limit_mb=4096 -print_final_stats=1"
ART=build/fuzz/artifacts
mkdir -p "$ART"

# The "Done N runs in S second(s)" figure of a libFuzzer log.
runs_of() { sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$1" | tail -n1; }
# A finding's artifact, from the log.
artifact_of() { sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$1" | tail -n1; }

regress() {
	local h=$1 name tmp log rc t0 t1 corpus n
	name=$(basename "$h")
	name=${name#fuzz_}
	corpus=tests/fuzz/corpus/$name
	n=$(find "$corpus" -type f 2>/dev/null | wc -l)
	tmp=$(mktemp -d)
	log=$tmp/log
	t0=$(date +%s%3N)
	# New inputs go to $tmp (the first corpus directory), not into the
	# committed one.
	# shellcheck disable=SC2046
	"$h" -runs="${FUZZ_RUNS:-$(default_runs "$name")}" -seed=1 $COMMON $(opts "$name") \
		-artifact_prefix="$ART/$name-" "$tmp" "$corpus" >"$log" 2>&1
	rc=$?
	t1=$(date +%s%3N)
	read -r runs _ <<<"$(runs_of "$log")"
	printf 'fuzz: %s: %s runs from %d corpus files in %d.%03d s\n' "$name" "${runs:-?}" "$n" \
		$(((t1 - t0) / 1000)) $(((t1 - t0) % 1000))
	if [ $rc -ne 0 ] || [ -z "${runs:-}" ]; then
		grep -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]*:|Test unit written' "$log" | head -n 20
		echo "fuzz: $name: finding: $(artifact_of "$log")"
		echo "[  FAILED  ] 1 test(s), listed below:"
		rm -rf "$tmp"
		return 1
	fi
	echo "[  PASSED  ] 1 test(s)."
	rm -rf "$tmp"
	return 0
}

long() {
	local secs=$1 h=$2 name work log rc runs took found
	name=$(basename "$h")
	name=${name#fuzz_}
	work=build/fuzz/corpus/$name
	mkdir -p "$work"
	log=build/fuzz/$name.log
	# shellcheck disable=SC2046
	nice -n 19 "$h" -max_total_time="$secs" $COMMON $(opts "$name") \
		-artifact_prefix="$ART/$name-" "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	read -r runs took <<<"$(runs_of "$log")"
	found=$(artifact_of "$log")
	printf 'fuzz: %-6s %12s executions in %5s s (%s/s), corpus %d files, %s\n' "$name" \
		"${runs:-?}" "${took:-?}" "$([ -n "${runs:-}" ] && [ "${took:-0}" -gt 0 ] &&
			echo $((runs / took)) || echo '?')" \
		"$(find "$work" -type f | wc -l)" \
		"$([ $rc -eq 0 ] && echo "0 findings" || echo "FINDING: ${found:-see $log}")"
	return $rc
}

mode=${1:-}
shift || true
case "$mode" in
regress)
	rc=0
	for h in "$@"; do regress "$h" || rc=1; done
	exit $rc
	;;
long)
	secs=${1:-60}
	shift || true
	rc=0
	for h in "$@"; do long "$secs" "$h" || rc=1; done
	exit $rc
	;;
*)
	echo "usage: $0 regress HARNESS... | long SECONDS HARNESS..." >&2
	exit 2
	;;
esac
