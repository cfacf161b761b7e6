#!/bin/bash
# Checks the shape of the tree (DESIGN.md "Layout"): every #include of a
# project header points to the same layer or one allowed below it, and every
# source file of the pure core has a unit test. Prints one line per breach
# and a summary in cmocka's format, so run-all.sh counts it as one test.
set -u
cd "$(dirname "$0")/.."
declare -A allow=(
	[core]="core"
	[conf]="conf core"
	[io]="io core"
	[check]="check io conf core"
	[ops]="ops io conf core"
	[daemon]="daemon ops check io conf core"
	[main]="daemon ops check io conf core"
	[ctl]="ops"
)
bad=0
layer_of() {
	case "$1" in
	src/vrrpd.c) echo main ;;
	src/vrrpctl.c) echo ctl ;;
	src/*/*.c) d=${1#src/}; echo "${d%%/*}" ;;
	include/vrrpd/*/*.h) d=${1#include/vrrpd/}; echo "${d%%/*}" ;;
	*) echo "" ;;
	esac
}
for f in src/*.c src/*/*.c include/vrrpd/*/*.h; do
	l=$(layer_of "$f")
	if [ -z "$l" ] || [ -z "${allow[$l]:-}" ]; then
		echo "layers: $f is in no known layer"
		bad=$((bad + 1))
		continue
	fi
	while IFS= read -r inc; do
		il=${inc%%/*}
		case " ${allow[$l]} " in
		*" $il "*) ;;
		*)
			echo "layers: $f ($l) includes \"$inc\": $l may include only ${allow[$l]}"
			bad=$((bad + 1))
			;;
		esac
	done < <(sed -n 's/^#include "\([a-z_]*\/[a-z_]*\.h\)".*/\1/p' "$f")
	if grep -q '^#include "\.\./' "$f"; then
		echo "layers: $f includes a file by relative path"
		bad=$((bad + 1))
	fi
done
for f in src/core/*.c; do
	m=$(basename "$f" .c)
	if ! grep -lq "core/$m\.h\|src/core/$m\.c" tests/unit/*.c 2>/dev/null; then
		echo "layers: $f has no unit test (no tests/unit/*.c includes core/$m.h)"
		bad=$((bad + 1))
	fi
done
# Only the state machine writes its fields (struct vrrp_instance, reached
# as vi. or vi-> everywhere in src/).
while IFS= read -r hit; do
	echo "layers: $hit: writes a field of the state machine; add a call to core/vrrp.h instead"
	bad=$((bad + 1))
done < <(grep -nE '\bvi(\.|->)[a-z_]+(\.[a-z_]+|\[[^]]*\])*[[:space:]]*(=[^=]|\+\+|--|\+=|-=)' \
	src/*.c src/*/*.c | grep -v '^src/core/vrrp\.c:')
if [ "$bad" -eq 0 ]; then
	echo "[  PASSED  ] 1 test(s)."
else
	echo "[  FAILED  ] 1 test(s), listed above: $bad breach(es)."
	exit 1
fi
