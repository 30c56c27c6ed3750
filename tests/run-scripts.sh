#!/bin/sh
# run-scripts.sh: drive the real binary (batch commands, exit codes, files).
# Usage: run-scripts.sh ./verdict BUILD_DIR
# Prints PASS/FAIL per case and "N passed, N failed" at the end.
set -u
bin=$1
build=${2:-build}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# expect_exit CODE NAME -- command...
expect_exit() {
    want=$1 name=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass "$name (exit $got)"
    else
        fail "$name: exit $got, wanted $want"
        sed 's/^/    /' "$tmp/err" | head -5
    fi
}

# --- the main job on the embedded demo -----------------------------------
expect_exit 0 "report --demo" -- "$bin" report --demo
cp "$tmp/out" "$tmp/demo.txt"
if grep -q '^RANKING' "$tmp/demo.txt" && grep -q 'THE HONEST MATH' "$tmp/demo.txt"; then
    pass "text report has the ranking and the equation"
else
    fail "text report lacks RANKING or THE HONEST MATH"
fi
# every line fits 80 columns (count UTF-8 code points, not bytes)
wide=$(LC_ALL=C.UTF-8 awk '{ if (length($0) > 80) n++ } END { print n + 0 }' "$tmp/demo.txt")
if [ "$wide" -eq 0 ]; then pass "text report fits 80 columns"; else fail "$wide lines over 80 columns"; fi
# ... also with every assumption at its default (the long origins:
# "default, seeds 000 and 003") and a discovered service with a long name,
# here from a snapshot that marks it so
printf 'version: 1\nservices:\n  - name: %s\n' \
    "a-service-whose-name-is-long-enough-to-push-any-heading-past-the-page" >"$tmp/defaults.yaml"
python3 - data/demo/snapshot.json "$tmp/defaults.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
a, b = d["services"][0], dict(d["services"][1])
a["name"] = "a-service-whose-name-is-long-enough-to-push-any-heading-past-the-page"
b["name"] = "discovered-on-the-server-with-a-name-that-is-as-long-as-the-other-one"
b["discovered"] = True
d["services"] = [a, b]
json.dump(d, open(sys.argv[2], "w"))
EOF
"$bin" report -c "$tmp/defaults.yaml" --snapshot "$tmp/defaults.json" >"$tmp/defaults.txt" \
    2>/dev/null
wide=$(LC_ALL=C.UTF-8 awk '{ if (length($0) > 80) n++ } END { print n + 0 }' "$tmp/defaults.txt")
if [ "$wide" -eq 0 ] && grep -q 'default, seeds 000 and 003' "$tmp/defaults.txt" &&
    grep -q '(discovered: every input a default)' "$tmp/defaults.txt"; then
    pass "text report fits 80 columns with long origins and a discovered heading"
else
    fail "defaults: $wide lines over 80 columns"
    LC_ALL=C.UTF-8 awk 'length($0) > 80' "$tmp/defaults.txt" | head -3
fi
n_rank=$(awk '/^RANKING/{on=1; next} on && /^ *[0-9]+ /{n++} on && /^$/{if (n) exit} END{print n+0}' \
    "$tmp/demo.txt")
n_svc=$(grep -c '^  - name:' data/demo/verdict.yaml)
if [ "$n_rank" -eq "$n_svc" ] && [ "$n_svc" -ge 10 ]; then
    pass "ranking lists all $n_svc demo services"
else
    fail "ranking lists $n_rank services, inventory has $n_svc"
fi

# default command prints the text report when stdout is not a terminal
expect_exit 0 "verdict --demo (not a terminal)" -- "$bin" --demo
if cmp -s "$tmp/out" "$tmp/demo.txt" && grep -q "verdict report" "$tmp/err"; then
    pass "default command = text report, with a hint on stderr"
else
    fail "default command output differs from 'report --demo' or no hint"
fi

# --demo is exactly the shipped files
for fmt in text json csv; do
    "$bin" report --demo --format $fmt >"$tmp/a.$fmt" 2>/dev/null
    "$bin" report --config data/demo/verdict.yaml --snapshot data/demo/snapshot.json \
        --format $fmt >"$tmp/b.$fmt" 2>/dev/null
    if cmp -s "$tmp/a.$fmt" "$tmp/b.$fmt"; then
        pass "--demo = data/demo files ($fmt)"
    else
        fail "--demo differs from data/demo files ($fmt)"
        diff "$tmp/a.$fmt" "$tmp/b.$fmt" | head -5
    fi
done

# reproducible: same seed same bytes, another seed other numbers
"$bin" report --demo --format json --seed 7 >"$tmp/s7a" 2>/dev/null
"$bin" report --demo --format json --seed 7 >"$tmp/s7b" 2>/dev/null
"$bin" report --demo --format json --seed 8 >"$tmp/s8" 2>/dev/null
if cmp -s "$tmp/s7a" "$tmp/s7b"; then pass "same seed, same bytes"; else fail "same seed differs"; fi
if ! cmp -s "$tmp/s7a" "$tmp/s8"; then pass "other seed, other draws"; else fail "seed ignored"; fi
SOURCE_DATE_EPOCH=1790000000 "$bin" report --demo --format json >"$tmp/sde" 2>/dev/null
if grep -q '"generated_at":	"2026-09-21T' "$tmp/sde" && grep -q '"generated_at":	null' "$tmp/a.json"
then
    pass "generation time only with SOURCE_DATE_EPOCH"
else
    fail "generated_at not controlled by SOURCE_DATE_EPOCH"
fi

# the snapshot generator reproduces the shipped snapshot byte for byte
if [ -x "$build/tools/gen_demo" ]; then
    "$build/tools/gen_demo" >"$tmp/gen.json"
    if cmp -s "$tmp/gen.json" data/demo/snapshot.json; then
        pass "gen_demo reproduces data/demo/snapshot.json"
    else
        fail "data/demo/snapshot.json is not what gen_demo makes (run make demo-data)"
    fi
fi

# --- score --------------------------------------------------------------
expect_exit 0 "score --demo" -- "$bin" score --demo
expect_exit 0 "score --demo --format csv" -- "$bin" score --demo --format csv
head -1 "$tmp/out" | grep -q '^rank,service,' && pass "csv header" || fail "csv header"
rows=$(($(wc -l <"$tmp/out") - 1))
[ "$rows" -eq "$n_svc" ] && pass "csv has one row per service" || fail "csv rows $rows"
expect_exit 0 "score --service (two)" -- "$bin" score --demo --format csv \
    --service "$(sed -n 's/^  - name: *//p' data/demo/verdict.yaml | head -1)" \
    --service "$(sed -n 's/^  - name: *//p' data/demo/verdict.yaml | sed -n 2p)"
[ "$(wc -l <"$tmp/out")" -eq 3 ] && pass "--service keeps only those" || fail "--service filter"

# --- check-config -------------------------------------------------------
expect_exit 0 "check-config demo file" -- "$bin" check-config data/demo/verdict.yaml
grep -qx ok "$tmp/out" && pass "check-config prints ok" || fail "check-config ok text"
nbad=0
for f in tests/data/bad/*.yaml; do
    nbad=$((nbad + 1))
    "$bin" check-config "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "^$f:[0-9][0-9]*:[0-9][0-9]*: " "$tmp/err"; then
        pass "check-config $f: exit 2 with file:line"
    else
        fail "check-config $f: exit $rc, message: $(head -1 "$tmp/err")"
    fi
done
[ "$nbad" -ge 15 ] && pass "$nbad bad files checked" || fail "only $nbad bad files"

# --- usage errors and exit codes ---------------------------------------------
expect_exit 0 "--version" -- "$bin" --version
expect_exit 0 "--help" -- "$bin" --help
expect_exit 2 "unknown option" -- "$bin" report --bogus
expect_exit 2 "unknown command" -- "$bin" frobnicate
expect_exit 2 "bad --format" -- "$bin" report --demo --format xml
expect_exit 2 "bad --seed" -- "$bin" report --demo --seed -3
expect_exit 2 "bad --end" -- "$bin" report --demo --end yesterday
expect_exit 2 "bad --range" -- "$bin" report --demo --range 5x
expect_exit 2 "unknown --service" -- "$bin" report --demo --service no-such-service
expect_exit 2 "check-config missing file" -- "$bin" check-config "$tmp/nope.yaml"
(cd "$tmp" && HOME="$tmp" XDG_CONFIG_HOME="$tmp/xdg" "$bin" report >/dev/null 2>"$tmp/err")
[ $? -eq 2 ] && grep -q -- '--demo' "$tmp/err" && pass "no config: exit 2 and a hint" ||
    fail "no config file handling"
expect_exit 2 "missing snapshot" -- "$bin" report -c data/demo/verdict.yaml --snapshot "$tmp/x.json"

# --- output files: complete or absent -----------------------------------------
expect_exit 0 "-o FILE" -- "$bin" report --demo --format json -o "$tmp/r.json"
cmp -s "$tmp/r.json" "$tmp/a.json" && pass "-o writes the same bytes" || fail "-o content"
expect_exit 1 "-o into a missing directory" -- "$bin" report --demo -o "$tmp/no/such/dir/r.txt"
[ -z "$(ls "$tmp/no" 2>/dev/null)" ] && pass "failed -o leaves nothing" || fail "left a file"

# --- partial data: a service whose queries failed -------------------------------
if [ -f tests/data/partial.yaml ]; then
    expect_exit 3 "partial data exits 3" -- "$bin" report -c tests/data/partial.yaml \
        --snapshot tests/data/partial.json
    grep -q "query failed\|error" "$tmp/out" && pass "report names the failure" ||
        fail "failure not shown"
    expect_exit 1 "--strict turns partial into 1" -- "$bin" report -c tests/data/partial.yaml \
        --snapshot tests/data/partial.json --strict
fi

echo "scripts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
