#!/bin/sh
# seed_cases.sh: the seeds' cases on a real Prometheus (issue 14, Checks).
#
# Usage: seed_cases.sh VERDICT_BINARY       (make check-seeds)
#
# Generates the four cases' fixtures (gen_seed_fixtures.py: seed 000's
# Python pipeline, seed 003's Node.js gateway, a Go CRUD service waiting on
# its database, a tiny Node.js glue service; one day of 60 s samples),
# backfills them into a Prometheus TSDB with promtool and starts Prometheus
# on 127.0.0.1 on a free port (servers.sh), runs
#   verdict report -c seed_cases.yaml --format json --end ... --range 24h
# and checks the report with seed_check.py: the measured p99, CPU, memory
# and request rate against the seeds' figures the fixtures encode (so a
# fixture error is not taken for a model error), then the outcomes issue 14
# expects (recommendation, break-even month, flags by name), and prints what
# each case gives today.  Prints PASS/FAIL lines and "N passed, N failed";
# exits 1 on any failure.  Every step has a time limit; the server is
# stopped by PID on every exit path; KEEP=1 keeps the temporary directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${SERVER_WAIT:=20}"
# shellcheck source=servers.sh source-path=SCRIPTDIR
. "$here/servers.sh"
it_binary seed_cases.sh "${1:-}"
it_begin seed_cases.sh seeds
finish() { it_finish "seed cases"; }

start=$(date +%s)
if ! timeout 60 python3 "$here/gen_seed_fixtures.py" "$tmp" 2>"$tmp/gen.err"; then
    cat "$tmp/gen.err"
    fail "gen_seed_fixtures.py: the fixtures do not encode the seeds' figures"
    finish
fi
nfiles=$(find "$tmp/om" -name '*.om' | wc -l)
pass "fixtures generated ($nfiles OpenMetrics block files, $(du -m "$tmp/om" | cut -f1) MB)"

if start_prometheus "$tmp"; then
    pass "prometheus ready at $(cat "$tmp/prometheus.url") (backfilled with promtool)"
else
    fail "prometheus did not start (log: $tmp/prometheus.log)"
    finish
fi
url=$(cat "$tmp/prometheus.url")
end=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["end"])' \
    "$tmp/expected.json")

NO_COLOR=1 timeout 60 "$bin" report -c "$here/seed_cases.yaml" --prometheus "$url" \
    --end "$end" --range 24h --format json >"$tmp/report.json" 2>"$tmp/report.err" </dev/null
rc=$?
if [ "$rc" -eq 0 ]; then
    pass "verdict report --format json (exit 0)"
else
    fail "verdict report --format json: exit $rc, wanted 0"
    sed 's/^/    /' "$tmp/report.err" | head -8
fi

if [ -s "$tmp/report.json" ]; then
    timeout 30 python3 "$here/seed_check.py" "$tmp/report.json" "$tmp/expected.json" \
        >"$tmp/check.out" 2>&1
    cat "$tmp/check.out"
    p=$(grep -c '^PASS: ' "$tmp/check.out")
    f=$(grep -c '^FAIL: ' "$tmp/check.out")
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && fail "seed_check.py printed no result"
else
    fail "verdict report printed nothing"
fi
finish
