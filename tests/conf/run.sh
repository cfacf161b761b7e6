#!/bin/bash
# The configuration corpus: every tests/conf/*.conf is checked with
# `vrrpd -t -f FILE`; FILE.expect (next to it, same name without .conf)
# says what must come out: its first line "exit N" is the exit status,
# every other line a text that must appear in the output (stdout and
# stderr together). Prints one line per failure and a cmocka-style
# summary that tests/run-all.sh counts.
set -u
cd "$(dirname "$0")"
VRRPD=${VRRPD:-../../vrrpd}
[ -x "$VRRPD" ] || { echo "conf: $VRRPD is missing (make all)"; exit 1; }
pass=0 fail=0
for f in *.conf; do
	e=${f%.conf}.expect
	if [ ! -f "$e" ]; then
		echo "conf: $f: no ${e}"
		fail=$((fail + 1))
		continue
	fi
	want=$(sed -n '1s/^exit \([0-9]*\)$/\1/p' "$e")
	out=$("$VRRPD" -t -f "$f" 2>&1)
	rc=$?
	bad=
	[ "$rc" = "$want" ] || bad="exit $rc, expected ${want:-?}"
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		grep -qF -- "$line" <<<"$out" || bad="${bad:+$bad; }missing: $line"
	done < <(tail -n +2 "$e")
	if [ -n "$bad" ]; then
		echo "conf: FAIL $f: $bad"
		printf '%s\n' "$out" | sed 's/^/    | /' | tail -n 20
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "conf: $pass passed, $fail failed"
echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ] || echo "[  FAILED  ] $fail test(s), listed above"
[ "$fail" -eq 0 ]
