#!/bin/sh
# run-provenance.sh: the appendix says where every assumption came from,
# and --set changes one assumption for one run without touching the file.
# Usage: run-provenance.sh ./verdict
set -u
bin=$1
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
yaml=data/demo/verdict.yaml

# The text appendix: "  group" lines, then "    key  value  origin" rows.
appendix() { sed -n '/^APPENDIX: ASSUMPTIONS USED/,$p' "$1"; }

"$bin" report --demo --end 2026-11-01T00:00:00Z >"$tmp/demo.txt" 2>"$tmp/err"
appendix "$tmp/demo.txt" >"$tmp/appx.txt"
rows=$(grep -c '^    [a-z_.]* ' "$tmp/appx.txt")
[ "$rows" -gt 200 ] && pass "the text appendix lists $rows assumptions" \
    || fail "the text appendix lists only $rows assumptions"

# Second method: every "line N" must be a line of the file that sets that
# key (its last component, as "key:"), read with sed.
bad=0
checked=0
awk '/^    [a-z_.]+ / && / line [0-9]+$/ { print $1, $NF }' "$tmp/appx.txt" >"$tmp/lines"
while read -r key n; do
    leaf=${key##*.}
    checked=$((checked + 1))
    if ! sed -n "${n}p" "$yaml" | grep -Eq "(^|[ {,-])$leaf:"; then
        bad=$((bad + 1))
        [ $bad -le 3 ] && echo "    $key says line $n: $(sed -n "${n}p" "$yaml")"
    fi
done <"$tmp/lines"
[ "$checked" -gt 150 ] && [ "$bad" -eq 0 ] \
    && pass "all $checked 'line N' origins point at the line that sets the key" \
    || fail "$bad of $checked 'line N' origins point elsewhere"

# A file that sets almost nothing: the rest are defaults, with their seed.
cat >"$tmp/min.yaml" <<'YAML'
version: 1
economics:
  horizon_months: 36
services:
  - name: solo
    language: python
    instances: 4
YAML
"$bin" report -c "$tmp/min.yaml" --demo --service solo >"$tmp/min.txt" 2>/dev/null
appendix "$tmp/min.txt" >"$tmp/min_appx.txt"
grep -q '^    horizon_months  *36  *line 3$' "$tmp/min_appx.txt" \
    && pass "a value from the file gives its line" || fail "horizon_months not 'line 3'"
grep -q '^    discount_rate  *0.1  *default$' "$tmp/min_appx.txt" \
    && pass "an unset value with no seed figure says default" || fail "discount_rate origin"
grep -q '^    velocity_loss  *\[0.3, 0.5, 0.7\]  *default, seed 001$' "$tmp/min_appx.txt" \
    && pass "an unset value from a seed names the seed" || fail "learning_curve.none origin"
grep -q '^    workload  *crud  *default, seed 000$' "$tmp/min_appx.txt" \
    && pass "a service default names its seed" || fail "workload origin"
# not given: derived from the cores, the memory and OpenCost's default prices
grep -A1 '^    cost_per_instance  *58.5241$' "$tmp/min_appx.txt" | grep -q 'derived: cores_per_instance' \
    && pass "a cost_per_instance not given is derived, and says so" || fail "cost_per_instance origin"
grep -q '^    instances  *4  *line 7$' "$tmp/min_appx.txt" \
    && pass "a service value gives its line" || fail "instances origin"

# --set: the value changes for this run, the appendix says so, the file is
# left alone, and the numbers follow.  (solo has no series in the demo
# snapshot: exit 3, partial data.)
cp "$tmp/min.yaml" "$tmp/min.orig"
"$bin" report -c "$tmp/min.yaml" --demo --service solo --set economics.horizon_months=12 \
    --set 'services[solo].instances=[3, 4, 6]' >"$tmp/set.txt" 2>"$tmp/err"
rc=$?
appendix "$tmp/set.txt" >"$tmp/set_appx.txt"
[ $rc -eq 3 ] && grep -q '^    horizon_months  *12  *--set$' "$tmp/set_appx.txt" \
    && grep -q '^    instances  *\[3, 4, 6\]  *--set$' "$tmp/set_appx.txt" \
    && pass "--set values are marked --set" || fail "--set not shown (exit $rc)"
cmp -s "$tmp/min.yaml" "$tmp/min.orig" && pass "--set leaves the file unchanged" \
    || fail "--set changed the file"
grep -q 'horizon 12 months' "$tmp/set.txt" && pass "--set reaches the model" \
    || fail "the report header does not show horizon 12"
"$bin" report -c "$tmp/min.yaml" --demo --service solo --format json \
    --set economics.horizon_months=12 >"$tmp/set.json" 2>/dev/null
"$bin" report -c "$tmp/min.yaml" --demo --service solo --format json >"$tmp/plain.json" 2>/dev/null
if command -v jq >/dev/null 2>&1; then
    h1=$(jq '.assumptions.economics.horizon_months' "$tmp/set.json")
    h2=$(jq '.assumptions.economics.horizon_months' "$tmp/plain.json")
    [ "$h1" = 12 ] && [ "$h2" = 36 ] && pass "JSON carries the --set value (12, else 36)" \
        || fail "JSON horizon $h1 / $h2"
fi

# --set into a file with no economics map: the maps are made for this run
"$bin" report -c "$tmp/min.yaml" --demo --service solo \
    --set economics.learning_curve.none.months='[3, 4, 5]' >"$tmp/deep.txt" 2>/dev/null
appendix "$tmp/deep.txt" >"$tmp/deep_appx.txt"
grep -A3 '^  economics.learning_curve.none$' "$tmp/deep_appx.txt" |
    grep -q '^    months  *\[3, 4, 5\]  *--set$' \
    && pass "--set adds the maps the file lacks" || fail "--set of a key under missing maps"

# --set mistakes: exit 2 and a message naming the key.
expect_err() {
    name=$1 want=$2
    shift 2
    "$bin" "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -qF -- "$want" "$tmp/err"; then
        pass "$name (exit 2)"
    else
        fail "$name: exit $rc, stderr: $(head -2 "$tmp/err")"
    fi
}
expect_err "--set without =" "verdict: --set: 'nokey' is not KEY=VALUE" \
    report --demo --set nokey
expect_err "--set of a wrong type" \
    "verdict: --set: economics.horizon_months: expected a number" \
    report --demo --set economics.horizon_months=abc
expect_err "--set of a negative count" "economics.horizon_months: must not be negative" \
    report --demo --set economics.horizon_months=-3
expect_err "--set of an unknown key" "verdict: --set: economics.horizn_months: unknown key (did you mean 'horizon_months'?)" \
    report --demo --set economics.horizn_months=3
expect_err "--set on a service that does not exist" "services[nope]" \
    report --demo --set 'services[nope].instances=3'
# the file's own errors keep their own line numbers
printf 'version: 1\neconomics:\n  horizon_months: x\n' >"$tmp/bad.yaml"
expect_err "a bad file with --set reports the file's line" \
    "$tmp/bad.yaml:3:19: economics.horizon_months" \
    report -c "$tmp/bad.yaml" --demo --set economics.discount_rate=0.2

# HTML and Markdown carry the same origins.
"$bin" report --demo --format md --set economics.discount_rate=0.2 >"$tmp/r.md" 2>/dev/null
grep -q '^| discount\\_rate | 0.2 | --set |$' "$tmp/r.md" && pass "Markdown appendix" \
    || fail "Markdown appendix lacks the --set row"
"$bin" report --demo --format html >"$tmp/r.html" 2>/dev/null
grep -q '<tr><td>horizon_months</td><td class="n">24</td><td>line 83</td></tr>' "$tmp/r.html" \
    && pass "HTML appendix" || fail "HTML appendix lacks horizon_months at line 83"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
