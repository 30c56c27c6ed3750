#!/bin/sh
# run.sh: verdict against a real Prometheus and a real VictoriaMetrics.
#
# Usage: run.sh VERDICT_BINARY     the integration tests (make check)
#        run.sh --selfcheck        fixtures vs the real servers only, no verdict
#
# Generates the fixtures (gen_fixtures.py) into a temporary directory,
# backfills them into a Prometheus TSDB with promtool and imports them into
# VictoriaMetrics (servers.sh), starts both on 127.0.0.1 on free ports, and
# for each server:
#   - selfcheck: queries the server directly (query_range, step 60 s) and
#     compares with expected.json, so a failure can be pinned on the
#     fixtures/servers or on verdict;
#   - verdict fetch (step 60 s): every fixture service's p99, p50 (median
#     over time), CPU and memory (p95 over time) within 5 % of expected.json;
#     gaps > 0 for the gap service; "no data" and exit 3 for the service
#     with no series; the quoted/unicode service fetched;
#   - verdict fetch --step 15s: 11,521 points per series (over Prometheus'
#     11,000 limit): count + gaps equals the grid, no point lost or doubled;
#   - verdict report --format json: metrics within 5 %, exit 3;
#   - an unreachable server: exit 1.
# Prints PASS/FAIL lines and "N passed, N failed"; exits 1 on any failure.
# The servers are stopped by PID on every exit path; KEEP=1 keeps the
# temporary directory (fixtures, logs, verdict's outputs) for a post-mortem.
set -u

here=$(cd "$(dirname "$0")" && pwd)
selfcheck_only=0
bin=""
case ${1:-} in
--selfcheck) selfcheck_only=1 ;;
"" | -*)
    echo "usage: run.sh VERDICT_BINARY | run.sh --selfcheck" >&2
    exit 2
    ;;
*)
    bin=$1
    case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
    if [ ! -x "$bin" ]; then
        echo "run.sh: $bin is not an executable" >&2
        exit 2
    fi
    ;;
esac

# shellcheck source=servers.sh source-path=SCRIPTDIR
. "$here/servers.sh"
it_begin run.sh it

# checks CMD...: run check.py, show its lines, count its PASS and FAIL.
checks() {
    python3 "$here/check.py" "$@" >"$tmp/check.out" 2>&1
    cat "$tmp/check.out"
    p=$(grep -c '^PASS: ' "$tmp/check.out")
    f=$(grep -c '^FAIL: ' "$tmp/check.out")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        fail "check.py $1 $2 printed no result"
    fi
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# run_verdict WANT NAME OUT -- ARGS...: verdict's stdout to OUT; exit code checked.
run_verdict() {
    want=$1 name=$2 out=$3
    shift 4
    NO_COLOR=1 timeout 120 "$bin" "$@" >"$out" 2>"$out.err" </dev/null
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass "$name (exit $got)"
    else
        fail "$name: exit $got, wanted $want"
        sed 's/^/    /' "$out.err" | head -8
    fi
    return 0
}

start=$(date +%s)
if ! python3 "$here/gen_fixtures.py" "$tmp"; then
    fail "gen_fixtures.py"
    finish
fi
pass "fixtures generated ($(find "$tmp/om" -name '*.om' | wc -l) OpenMetrics block files, $(du -m "$tmp/fixtures.prom" | cut -f1) MB text)"

servers=""
if start_prometheus "$tmp"; then
    pass "prometheus $($PROMETHEUS --version 2>&1 | head -1 | awk '{print $3}') ready at $(cat "$tmp/prometheus.url") (backfilled with promtool)"
    servers="prometheus"
else
    fail "prometheus did not start (log: $tmp/prometheus.log)"
fi
if start_victoria "$tmp"; then
    pass "victoria-metrics ready at $(cat "$tmp/victoria.url") (imported, all series queryable)"
    servers="$servers victoria"
else
    fail "victoria-metrics did not start or import failed (log: $tmp/victoria.log)"
fi

cfg="$here/verdict.yaml"
end=2026-11-01T00:00:00Z
grid15=$(python3 -c 'import json, sys; e = json.load(open(sys.argv[1]))
print(e["range"] // 15 + 1)' "$tmp/expected.json")

for s in $servers; do
    url=$(cat "$tmp/$s.url")
    echo "--- $s $url"
    checks selfcheck "$s" "$url" "$tmp/expected.json"
    [ "$selfcheck_only" = 1 ] && continue

    run_verdict 3 "$s: verdict fetch, one service without data" "$tmp/$s.fetch.out" -- \
        fetch -c "$cfg" --prometheus "$url" --end "$end" --range 2d --step 60s \
        -o "$tmp/$s.snap.json"
    if [ -s "$tmp/$s.snap.json" ]; then
        checks snapshot "$s" "$tmp/$s.snap.json" "$tmp/expected.json"
    else
        fail "$s: verdict fetch wrote no snapshot"
    fi

    run_verdict 3 "$s: verdict fetch --step 15s (${grid15} points, chunked)" \
        "$tmp/$s.fetch15.out" -- \
        fetch -c "$cfg" --prometheus "$url" --end "$end" --range 2d --step 15s \
        -o "$tmp/$s.snap15.json"
    if [ -s "$tmp/$s.snap15.json" ]; then
        checks snapshot "$s" "$tmp/$s.snap15.json" "$tmp/expected.json" "$grid15"
    else
        fail "$s: verdict fetch --step 15s wrote no snapshot"
    fi

    run_verdict 3 "$s: verdict report --format json" "$tmp/$s.report.json" -- \
        report -c "$cfg" --prometheus "$url" --end "$end" --range 2d --format json
    if [ -s "$tmp/$s.report.json" ]; then
        checks report "$s" "$tmp/$s.report.json" "$tmp/expected.json"
    else
        fail "$s: verdict report printed nothing"
    fi
done

if [ "$selfcheck_only" = 0 ]; then
    # nothing listens on a port just freed
    port=$(free_port)
    run_verdict 1 "verdict fetch from an unreachable server" "$tmp/unreachable.out" -- \
        fetch -c "$cfg" --prometheus "http://127.0.0.1:$port" --end "$end" --range 2d \
        -o "$tmp/unreachable.json"
fi

echo "integration: $(($(date +%s) - start)) s"
finish
