#!/bin/sh
# run-unit.sh: run each cmocka test program; fail if any fails.
# Tests read data files relative to the repository root.
set -u
failed=0
for t in "$@"; do
    if ! "$t"; then
        echo "FAIL: $t" >&2
        failed=1
    fi
done
exit $failed
