#!/bin/sh
# test_export.sh: `x` and `:export` write the same bytes as `verdict report`, atomically.
# Usage: tests/tui/test_export.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-exp-PID), never the user's.
set -u
tui_name=exp
tui_tools="tmux"
. "$(dirname "$0")/lib.sh"

# A fixed clock: the default file name and the report's generation time
# both come from it.  1795219200 is 2026-11-21T00:00:00Z.
export SOURCE_DATE_EPOCH=1795219200
day=2026-11-21

# start ARGS...: verdict in a shell in a 100x30 window, working directory
# $tmp/work; the shell prints EXIT=<code> when it ends.
tui_run_prefix="cd '$tmp/work' && "
start() { open_shell 100x30 "$tmp/work" "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH" && run_verdict "$@"; }

mkdir "$tmp/work"
"$bin" report --demo >"$tmp/want.txt" 2>/dev/null
"$bin" report --demo --format json >"$tmp/want.json" 2>/dev/null
"$bin" report --demo --format csv >"$tmp/want.csv" 2>/dev/null

start --demo
if ! wait_for "services, sorted by rank"; then
    fail "the Candidates screen did not show"
    show
fi

# --- x: prompts with defaults --------------------------------------------------
keys x
if wait_for "export format (text json csv md html): text" 20; then
    pass "x asks for the format, text by default"
else
    fail "x did not ask for the format"
    show
fi
keys Enter
if wait_for "export to: verdict-$day.txt" 20; then
    pass "then for the path, verdict-$day.txt by default"
else
    fail "no dated default path"
    show
fi
keys Enter
if wait_for "exported the text report to verdict-$day.txt" 20 &&
    cmp -s "$tmp/work/verdict-$day.txt" "$tmp/want.txt"; then
    pass "x Enter Enter writes the bytes of 'verdict report --demo'"
else
    fail "x: the file differs from 'verdict report --demo' or is missing"
    ls -l "$tmp/work" | sed 's/^/    /'
    show
fi

# --- :export without prompts ---------------------------------------------------
keys : "export json out.json" Enter
if wait_for "exported the json report to out.json" 20 &&
    cmp -s "$tmp/work/out.json" "$tmp/want.json"; then
    pass ":export json out.json writes the bytes of 'report --format json'"
else
    fail ":export json: the file differs or is missing"
    show
fi
keys : "export csv" Enter
if wait_for "exported the csv report to verdict-$day.csv" 20 &&
    cmp -s "$tmp/work/verdict-$day.csv" "$tmp/want.csv"; then
    pass ":export csv writes verdict-$day.csv, the bytes of 'report --format csv'"
else
    fail ":export csv: the file differs or is missing"
    show
fi

# --- errors --------------------------------------------------------------------
keys : "export json missing/dir/out.json" Enter
if wait_for "export: missing/dir/out.json: No such file or directory" 20 &&
    [ ! -e "$tmp/work/missing" ] && [ "$(ls "$tmp/work" | wc -l)" -eq 3 ]; then
    pass "a missing directory: the error on the status line, no file left"
else
    fail "a missing directory: no error, or a file was left"
    ls -la "$tmp/work" | sed 's/^/    /'
    show
fi
keys : "export md out.md" Enter
if wait_for "exported the md report to out.md" 20 &&
    "$bin" report --demo --format md >"$tmp/want.md" 2>/dev/null &&
    cmp -s "$tmp/work/out.md" "$tmp/want.md"; then
    pass ":export md out.md writes the bytes of 'report --format md'"
else
    fail ":export md: the file differs or is missing"
    show
fi
keys : "export yaml" Enter
if wait_for "export: unknown format 'yaml'" 20; then
    pass "an unknown format is refused"
else
    fail "an unknown format was not refused"
    show
fi
keys x Enter Escape
if wait_for "export cancelled" 20 && [ "$(ls "$tmp/work" | wc -l)" -eq 4 ]; then
    pass "Esc at the path prompt cancels"
else
    fail "Esc did not cancel the export"
    show
fi
# a control character in the path (U+009B, CSI) is shown as '?', never sent raw
keys : "export text "
keys -l "$(printf 'bad\302\23331m/x')"
keys Enter
if wait_for "export: bad?31m/x: No such file or directory" 20; then
    pass "the path in an error is sanitised"
else
    fail "the path in the error was not sanitised"
    show
fi

keys q
if wait_for "EXIT=0" 30; then
    pass "q exits 0"
else
    fail "q did not exit 0: $(screen | grep EXIT=)"
fi
if [ ! -s "$tmp/stderr" ]; then
    pass "nothing on standard error"
else
    fail "standard error: $(head -3 "$tmp/stderr")"
fi

# --- many services: a first frame at once, the Monte Carlo finished later ---------
# 2,000 services x 10,000 draws is a few seconds of Monte Carlo: the list
# comes up with fewer draws and says its figures are provisional; keys
# work meanwhile; an export waits for the final figures, which are the
# bytes of `verdict report` (the same seed and draws).
python3 -c "
print('version: 1')
print('services:')
for i in range(2000):
    print('  - name: s%04d' % i)
    print('    language: python')
    print('    workload: cpu-bound')
    print('    instances: %d' % (5 + i % 40))
    print('    incidents_per_month: %d' % (i % 4))
    print('    cost_per_incident: 4000')
" >"$tmp/work/big.yaml"
# each with measurements (a service without data has no Monte Carlo to
# refine): the demo's api-gateway under every name, its charts cut to 4
# buckets so that the snapshot stays a few MB
python3 - "$root/data/demo/snapshot.json" "$tmp/work/big-snap.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["services"][0]
for sig in t["signals"].values():
    if isinstance(sig, dict) and "chart" in sig:
        c = sig["chart"]
        step = len(c["min"]) // 4
        c["dt"] *= step
        for k in ("min", "max", "mean"):
            c[k] = c[k][::step][:4]
d["services"] = []
for i in range(2000):
    s = json.loads(json.dumps(t))
    s["name"] = "s%04d" % i
    d["services"].append(s)
json.dump(d, open(sys.argv[2], "w"))
PYEOF
(cd "$tmp/work" && "$bin" report -c big.yaml --snapshot big-snap.json --format json \
    >"$tmp/want-big.json" 2>/dev/null)
# timed (VERDICT_TUI_TIMING=1): on a loaded machine the screen may be read
# only after the refinement, so the order of the first frame and the final
# figures is also taken from verdict's own clock when it quits
tui_run_prefix="VERDICT_TUI_TIMING=1 " start -c big.yaml --snapshot big-snap.json
seen_provisional=0
if wait_for "2000 services, sorted by rank" 50 && screen | grep -qF "figures provisional"; then
    seen_provisional=1
fi
keys j
if wait_re '^ +2 s[0-9]+' 20 && alive; then
    pass "keys answer while the Monte Carlo is refined"
else
    fail "no answer to keys during the refinement"
fi
keys : "export json big.json" Enter
if wait_for "exported the json report to big.json" 600 &&
    cmp -s "$tmp/work/big.json" "$tmp/want-big.json"; then
    pass "an export during the refinement writes the final figures (= report --format json)"
else
    fail "the export differs from 'report --format json' or is missing"
    show
fi
if wait_gone "figures provisional" 600; then
    pass "the provisional note goes when the figures are final"
else
    fail "still provisional"
fi
keys q
wait_for "EXIT=0" 30 || fail "q did not exit 0 after the big inventory"
first=$(awk '/^verdict: first frame after/ { print $5; exit }' "$tmp/stderr")
final=$(awk '/the figures final after/ { print $(NF - 1); exit }' "$tmp/stderr")
if [ "$seen_provisional" = 1 ] ||
    { [ -n "$first" ] && [ -n "$final" ] && awk -v a="$first" -v b="$final" 'BEGIN { exit !(a < b) }'; }; then
    pass "2,000 services: the first frame comes before the Monte Carlo ends (${first:-?} ms, final ${final:-?} ms)"
else
    fail "2,000 services: no provisional first frame (first '$first' ms, final '$final' ms)"
    sed 's/^/    /' "$tmp/stderr" | head -5
fi

# --- a snapshot's charts, read after the first frame --------------------------
# The TUI reads a snapshot's statistics before its first frame and the
# charts' arrays afterwards, between keys.  Once read they are the charts
# `verdict report` reads: the HTML export (every chart drawn) is the same
# bytes.  120 services: the demo's 12, ten times, under new names.
python3 -c "
import json, sys
snap = json.load(open(sys.argv[1]))
base = snap['services']
snap['services'] = []
with open(sys.argv[3], 'w') as y:
    y.write('version: 1\nservices:\n')
    for k in range(10):
        for s in base:
            t = dict(s)
            t['name'] = '%s-%d' % (s['name'], k)
            snap['services'].append(t)
            y.write('  - name: %s\n    language: python\n' % t['name'])
json.dump(snap, open(sys.argv[2], 'w'))
" "$root/data/demo/snapshot.json" "$tmp/work/many.json" "$tmp/work/many.yaml"
(cd "$tmp/work" && "$bin" report -c many.yaml --snapshot many.json --draws 200 --format html \
    >"$tmp/want-many.html" 2>/dev/null)
start -c many.yaml --snapshot many.json --draws 200
if wait_for "120 services, sorted by rank" 50; then
    pass "a 13 MB snapshot: the table comes up"
else
    fail "a 13 MB snapshot: no table"
    show
fi
keys : "export html many.html" Enter
if wait_for "exported the html report to many.html" 120 &&
    cmp -s "$tmp/work/many.html" "$tmp/want-many.html"; then
    pass "charts read after the first frame: the HTML export equals 'report --format html'"
else
    fail "the HTML export differs from 'report --format html' or is missing"
    show
fi
keys q
wait_for "EXIT=0" 30 || fail "q did not exit 0 after the 120 services"

# A chart that is not numbers is found when it is read: the batch commands
# refuse the file; the TUI keeps the table (the statistics are whole),
# says where the problem is, and refuses to export an incomplete report.
cp "$root/tests/data/bad/snapshot_chart_inf.json" "$tmp/work/inf.json"
start --config "$root/data/demo/verdict.yaml" --snapshot inf.json
if wait_for "services, sorted by rank" 50 &&
    wait_for "inf.json: services[0].signals.cpu_cores.chart.max: element 1: expected a fin" 30; then
    pass "a chart refused after the first frame: the table stays, the message names the place"
else
    fail "no message for the refused chart"
    show
fi
keys : "export html inf.html" Enter
if wait_for "export: not written, the snapshot is incomplete" 30 && [ ! -e "$tmp/work/inf.html" ]; then
    pass "an export with a chart missing is refused"
else
    fail "an export with a chart missing was written or not refused"
    show
fi
keys q
wait_for "EXIT=0" 30 || fail "q did not exit 0 after the refused chart"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
