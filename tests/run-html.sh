#!/bin/sh
# run-html.sh: the demo HTML report in headless Chromium: prints to a multi-page PDF,
# makes no external request, shows a reordering name as its escape, and leaves
# a screenshot of its first page.
# Usage: tests/run-html.sh VERDICT [OUTDIR]   (OUTDIR default /tmp/verdict-html;
# the screenshot and PDF are kept there as demo.png and demo.pdf)
bin=${1:?usage: run-html.sh VERDICT [OUTDIR]}
out=${2:-/tmp/verdict-html}
pass=0 fail=0
ok() { echo "PASS: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1"; fail=$((fail + 1)); }

chromium=
for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -x "$c" ] && { chromium=$c; break; }
done
if [ -z "$chromium" ]; then
    echo "SKIP: chromium not installed (Debian package chromium); HTML not rendered"
    echo "0 passed, 0 failed"
    exit 0
fi

mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
html=$out/demo.html

if "$bin" report --demo --format html --seed 1 -o "$html"; then
    ok "report --format html"
else
    ko "report --format html"
fi

# No external reference: no scheme-qualified or protocol-relative URL in
# src/href/url(), no <script>, no <link>, no @import.
attr='(src|href|xlink:href|action|poster|data)[[:space:]]*=[[:space:]]*"?[[:space:]]*'
if grep -Eiq "$attr([a-z][a-z0-9+.-]*:|//)" "$html" ||
   grep -Eiq 'url\(|@import|<script|<link|<iframe|<object|<embed|<img' "$html"; then
    ko "no external reference in the HTML"
    grep -Eino 'url\(.{0,40}|@import.{0,40}|<script.{0,40}|<link.{0,40}|(src|href)=.{0,40}' \
        "$html" | grep -v 'href="#' | head -5
else
    ok "no external reference in the HTML"
fi

# Networking off as far as the flags allow; a proxy to nowhere catches the rest.
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 --disable-background-networking --disable-component-update --disable-sync
 --proxy-server=127.0.0.1:9 --proxy-bypass-list=<-loopback>
 --user-data-dir=$tmp/profile"
# print PAPER: the report printed on PAPER (A4 or letter, set the way a
# printer's default would be, by an @page size added to a copy), then
# checked: the paper size, more than one page, each candidate at the top of
# a page, the running header on every page.  The PDF is kept as
# demo-PAPER.pdf (demo.pdf is the A4 one).
print_pdf() {
    paper=$1 want=$2
    pdf="$out/demo-$paper.pdf"
    sed "s|</style>|@page{size:$paper}</style>|" "$html" >"$tmp/demo-$paper.html"
    # shellcheck disable=SC2086
    timeout 120 "$chromium" $flags --print-to-pdf="$pdf" --no-pdf-header-footer \
        "file://$tmp/demo-$paper.html" >"$tmp/pdf.log" 2>&1
    if [ -s "$pdf" ]; then
        ok "$paper: printed to PDF ($pdf)"
    else
        ko "$paper: printed to PDF"
        tail -5 "$tmp/pdf.log"
        return
    fi
    pages=0
    if command -v pdfinfo >/dev/null 2>&1; then
        pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
        size=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Page size:/ { printf "%.0fx%.0f", $3, $5 }')
        if [ "$size" = "$want" ]; then
            ok "$paper: page size $size pt"
        else
            ko "$paper: page size $size pt, wanted $want"
        fi
    else
        pages=$(grep -ac '/Type */Page[^s]' "$pdf" 2>/dev/null)
    fi
    if [ "${pages:-0}" -gt 1 ]; then
        ok "$paper: PDF has more than one page ($pages)"
    else
        ko "$paper: PDF has more than one page (${pages:-0})"
    fi
    if ! command -v pdftotext >/dev/null 2>&1; then
        echo "SKIP: pdftotext missing (poppler-utils): page layout not checked"
        return
    fi
    # Each candidate starts a page: its heading is the first line of a page
    # after the running header; and every page carries that header.
    pdftotext "$pdf" "$tmp/demo.txt" 2>/dev/null
    n=$(grep -ac '#[0-9][0-9]* .* — ' "$tmp/demo.txt")
    top=0 i=1
    while [ "$i" -le "${pages:-0}" ]; do
        pdftotext -f "$i" -l "$i" "$pdf" - 2>/dev/null |
            grep -av '^[[:space:][:cntrl:]]*$' | sed -n 3p | grep -aq '^#[0-9][0-9]* .* — ' &&
            top=$((top + 1))
        i=$((i + 1))
    done
    if [ "$n" -ge 1 ] && [ "$n" -eq "$top" ]; then
        ok "$paper: each candidate starts a new page ($n candidates)"
    else
        ko "$paper: each candidate starts a new page ($top of $n)"
    fi
    run=$(grep -ac '^.\{0,1\}Verdict report' "$tmp/demo.txt")
    if [ "$run" -eq "${pages:-0}" ]; then
        ok "$paper: running header on every page ($run)"
    else
        ko "$paper: running header on every page ($run of ${pages:-0})"
    fi
    # the appendix is printed whole: its last service's last key is there
    if grep -aq 'effort_engineer_months' "$tmp/demo.txt"; then
        ok "$paper: the appendix is printed to its end"
    else
        ko "$paper: the appendix is cut short"
    fi
}

# A4 is 595 x 842 pt, Letter 612 x 792 pt.
print_pdf A4 595x842
cp "$out/demo-A4.pdf" "$out/demo.pdf" 2>/dev/null
print_pdf letter 612x792

# A name with a right-to-left override and an isolate (CVE-2021-42574):
# the printed page shows the escapes, in the order the text report has.
here=$(cd "$(dirname "$0")" && pwd)
sed -e 's/^  - name: pricing-engine$/  - name: "ok-rlo-\\u202Eevil-\\u2066x"/' \
    "$here/../data/demo/verdict.yaml" >"$tmp/bidi.yaml"
"$bin" report -c "$tmp/bidi.yaml" --demo --format html --seed 1 -o "$tmp/bidi.html" 2>/dev/null
# shellcheck disable=SC2086
timeout 120 "$chromium" $flags --print-to-pdf="$tmp/bidi.pdf" --no-pdf-header-footer \
    "file://$tmp/bidi.html" >"$tmp/bidi.log" 2>&1
if ! command -v pdftotext >/dev/null 2>&1; then
    echo "SKIP: pdftotext missing (poppler-utils): the printed escapes not checked"
elif pdftotext "$tmp/bidi.pdf" - 2>/dev/null | grep -qF 'ok-rlo-<U+202E>evil-<U+2066>x'; then
    ok "an override in a name prints as its escape, in order"
else
    ko "an override in a name prints as its escape, in order"
    pdftotext "$tmp/bidi.pdf" - 2>/dev/null | grep -a -m3 'ok-rlo' | sed 's/^/    | /'
fi

# shellcheck disable=SC2086
timeout 120 "$chromium" $flags --screenshot="$out/demo.png" --window-size=1240,1754 \
    --hide-scrollbars "file://$html" >"$tmp/png.log" 2>&1
if [ -s "$out/demo.png" ]; then
    ok "screenshot of the first page ($out/demo.png)"
else
    ko "screenshot of the first page"
    tail -5 "$tmp/png.log"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
