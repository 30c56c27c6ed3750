#!/bin/sh
# run-golden.sh: every report format on the demo, compared byte for byte with
# tests/golden/, and hostile service names shown harmless in HTML, CSV and md.
# Usage: tests/run-golden.sh VERDICT   (UPDATE=1 rewrites the golden files)
bin=${1:?usage: run-golden.sh VERDICT}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
golden=$here/golden
pass=0 fail=0
ok() { echo "PASS: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1"; fail=$((fail + 1)); }

case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
# reproducible: no generation time, fixed locale; the demo's end is fixed
unset SOURCE_DATE_EPOCH
LC_ALL=C
export LC_ALL
cd "$root" || exit 1

# golden NAME COMMAND...: run COMMAND, compare its output with golden/NAME.
golden() {
    name=$1
    shift
    if ! "$bin" "$@" >"$tmp/$name" 2>"$tmp/$name.err"; then
        ko "$name: verdict $* failed"
        head -3 "$tmp/$name.err"
        return
    fi
    if [ "${UPDATE:-0}" = 1 ]; then
        mkdir -p "$golden" && cp "$tmp/$name" "$golden/$name" && ok "$name: updated"
        return
    fi
    if [ ! -f "$golden/$name" ]; then
        ko "$name: no golden file (run with UPDATE=1)"
    elif cmp -s "$golden/$name" "$tmp/$name"; then
        ok "$name"
    else
        ko "$name differs from tests/golden/$name"
        diff "$golden/$name" "$tmp/$name" | head -20
    fi
}

for f in text json csv md html; do
    ext=$f
    [ "$f" = text ] && ext=txt
    golden "demo.$ext" report --demo --format "$f" --seed 1
done
golden demo-score.txt score --demo --seed 1

# Hostile names: a copy of the demo inventory with two services renamed.
sed -e "s/^  - name: pricing-engine\$/  - name: '<script>alert(1)<\/script>'/" \
    -e "s/^  - name: api-gateway\$/  - name: '=HYPERLINK(\"x\")'/" \
    data/demo/verdict.yaml >"$tmp/evil.yaml"
if [ "$(grep -c "^  - name: '" "$tmp/evil.yaml")" -ne 2 ]; then
    ko "hostile inventory: the two services to rename were not found"
fi
for f in html csv md; do
    # exit 3: the renamed services have no measurements; that is expected
    "$bin" report --demo -c "$tmp/evil.yaml" --format "$f" --seed 1 >"$tmp/evil.$f" \
        2>"$tmp/evil.$f.err"
    rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || ko "hostile $f: exit $rc"
done
if grep -qi '<script' "$tmp/evil.html"; then
    ko "hostile html: a raw <script> tag"
elif grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/evil.html" &&
     grep -q '=HYPERLINK(&quot;x&quot;)' "$tmp/evil.html"; then
    ok "hostile html: both names escaped"
else
    ko "hostile html: the escaped names are missing"
fi
if grep -qF "\"'=HYPERLINK(\"\"x\"\")\"" "$tmp/evil.csv" &&
   grep -qF '"<script>alert(1)</script>"' "$tmp/evil.csv"; then
    ok "hostile csv: formula guarded with a leading apostrophe, quotes doubled"
else
    ko "hostile csv: cell not guarded"
    grep -n 'HYPERLINK' "$tmp/evil.csv" | head -3
fi
if grep -qi '<script' "$tmp/evil.md"; then
    ko "hostile md: a raw <script> tag"
elif grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/evil.md" &&
     grep -qF '=HYPERLINK("x")' "$tmp/evil.md"; then
    ok "hostile md: both names escaped"
else
    ko "hostile md: the escaped names are missing"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
