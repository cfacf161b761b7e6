#!/bin/bash
# Runs the given cmocka test binaries; non-zero exit when any failed.
rc=0
for t in "$@"; do "$t" || rc=1; done
exit $rc
