#!/bin/sh
# run-valgrind.sh: the batch demo under valgrind memcheck: no errors, no leaks.
set -u
bin=${1:-./verdict}
log=$(mktemp)
status=0
for args in "report --demo" "report --demo --format json" "score --demo --format csv" \
            "check-config data/demo/verdict.yaml"; do
    # shellcheck disable=SC2086
    valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible \
        --errors-for-leak-kinds=definite,possible -q "$bin" $args >/dev/null 2>"$log"
    rc=$?
    if [ $rc -ne 99 ] && [ $rc -ne 1 ] && [ $rc -ne 2 ]; then
        echo "PASS: valgrind verdict $args"
    else
        echo "FAIL: valgrind verdict $args (exit $rc)"
        cat "$log"
        status=1
    fi
done
rm -f "$log"
exit $status
