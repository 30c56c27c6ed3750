#!/bin/sh
# run-diff.sh: `verdict diff` on two demo reports that differ in one assumption.
# Usage: run-diff.sh ./verdict   (run from the top of the tree)
# Prints PASS/FAIL (or SKIP) per case and "N passed, N failed" at the end.
set -u
bin=$1
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if "$bin" report --demo --format json >"$tmp/old.json" 2>"$tmp/err"; then
    pass "demo report as JSON"
else
    fail "demo report as JSON"; finish
fi
sed 's/^\(  discount_rate: *\)0\.10\b/\10.12/' data/demo/verdict.yaml >"$tmp/verdict.yaml"
if grep -q '^  discount_rate: 0\.12' "$tmp/verdict.yaml"; then
    pass "copy with economics.discount_rate 0.12"
else
    fail "sed did not change economics.discount_rate"; finish
fi
if "$bin" report -c "$tmp/verdict.yaml" --snapshot data/demo/snapshot.json --format json \
        >"$tmp/new.json" 2>"$tmp/err"; then
    pass "changed report as JSON"
else
    fail "changed report as JSON"; sed 's/^/    /' "$tmp/err" | head -5; finish
fi

"$bin" diff "$tmp/old.json" "$tmp/new.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q "not in this build" "$tmp/err"; then
    echo "SKIP: verdict diff is not in this build"
    finish
fi
if [ "$rc" -eq 0 ]; then pass "diff (exit 0)"; else fail "diff: exit $rc"; finish; fi
n=$(grep -c '^assumption ' "$tmp/out")
if [ "$n" -eq 1 ] && grep -q '^assumption  economics\.discount_rate: 0\.1 -> 0\.12$' "$tmp/out"
then
    pass "the only assumption change is economics.discount_rate 0.1 -> 0.12"
else
    fail "assumption changes ($n):"; grep '^assumption' "$tmp/out" | sed 's/^/    /'
fi
if grep -q '^input ' "$tmp/out"; then fail "per-service inputs reported changed"
else pass "no per-service input changes"; fi
wide=$(LC_ALL=C.UTF-8 awk '{ if (length($0) > 80) n++ } END { print n + 0 }' "$tmp/out")
if [ "$wide" -eq 0 ]; then pass "text fits 80 columns"; else fail "$wide lines over 80"; fi

"$bin" diff --format json "$tmp/old.json" "$tmp/new.json" >"$tmp/out.json" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(grep -c '"kind":.*"assumption"' "$tmp/out.json")" -eq 1 ] &&
        grep -q '"path":.*"economics.discount_rate"' "$tmp/out.json"; then
    pass "json: one assumption change, economics.discount_rate"
else
    fail "json diff"
fi
"$bin" diff "$tmp/old.json" "$tmp/old.json" >"$tmp/same" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q '^no changes$' "$tmp/same"; then
    pass "identical reports: no changes"
else
    fail "identical reports"
fi
printf 'not json\n' >"$tmp/bad.json"
"$bin" diff "$tmp/bad.json" "$tmp/new.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'bad.json: not JSON' "$tmp/err"; then
    pass "invalid input (exit 2)"
else
    fail "invalid input: exit $rc"
fi
finish
