#!/bin/sh
# run-termsafe.sh: control characters from names, label values and server errors print inert.
# Usage: run-termsafe.sh ./verdict
#
# Service names in the YAML, label values the server lists (discovery),
# and error strings from the server (Prometheus quotes label sets in them)
# carry terminal controls: CSI (ESC [), OSC (ESC ] ... BEL), BEL, the C1
# CSI U+009B (as UTF-8 C2 9B, and as a raw 9B byte), CR (which rewrites a
# line), BS and DEL.  Everything verdict prints (stdout and stderr of
# score, report in every format, diff, check-config, fetch -v, and the
# errors of a bad path, URL or --service) must hold no raw C0 control but
# newline and tab (a form feed alone on its line between report pages, and
# CR before LF in CSV, are the format's own), no DEL, no C1, and must show
# the text in visible form: each control character becomes '?', the rest
# stays ("ok-esc-?[31mred").  JSON keeps the exact names, as \u escapes.
# Invisible and reordering characters (CVE-2021-42574, "Trojan Source":
# bidi controls and marks, zero-width characters, U+2028/2029) are in the
# names, label values and errors too: no output may hold one raw; each
# shows as its escape ("ok-rlo-<U+202E>evil", entity-escaped in HTML and
# Markdown), and JSON has it as a \u escape ("\u202e").
# The TUI has its own script: tests/tui/test_termsafe.sh.
# shellcheck disable=SC2086  # $common, $extra, $envs: word lists, split on purpose
set -u
bin=$1
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
passed=0
failed=0
fault_dir=$here fault_summary="termsafe: "
. "$fault_dir/fault_server.sh"

cleanup() {
    fault_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
# a signal (timeout, a closed pipe) ends the script through the EXIT trap,
# so the servers are stopped whatever happens
trap 'exit 130' INT TERM HUP PIPE

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# inert FILE [json|csv|text]: FILE has no byte a terminal would obey and
# no invisible or reordering character.  Prints the first offence (offset
# and bytes) and returns 1 otherwise.
inert() {
    python3 - "$1" "${2:-plain}" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
kind = sys.argv[2]
for i, b in enumerate(data):
    bad = None
    if b < 0x20 and b not in (0x0a, 0x09):
        bad = "C0 0x%02x" % b
        if b == 0x0c and kind == "text" and data[i - 1:i] in (b"\n", b"") \
                and data[i + 1:i + 2] == b"\n":
            bad = None                      # a page break, alone on its line
        if b == 0x0d and kind == "csv" and data[i + 1:i + 2] == b"\n":
            bad = None                      # CSV's own CRLF
    elif b == 0x7f:
        bad = "DEL"
    elif b == 0xc2 and i + 1 < len(data) and 0x80 <= data[i + 1] <= 0x9f:
        bad = "C1 U+%04X" % data[i + 1]
    elif b == 0x9b and (i == 0 or data[i - 1] < 0xc0 or data[i - 1] > 0xf4) and \
            not (0x80 <= data[i - 1] <= 0xbf and i >= 2 and data[i - 2] >= 0xe0):
        bad = "raw 0x9b"
    if bad:
        print("%s at byte %d: %r" % (bad, i, data[max(0, i - 20):i + 20]))
        sys.exit(1)
# the characters util_invisible names (app/util.c), as UTF-8
for cp in [0x061c, 0x2060, 0xfeff] + list(range(0x200b, 0x2010)) + \
        list(range(0x2028, 0x202f)) + list(range(0x2066, 0x206a)):
    i = data.find(chr(cp).encode("utf-8"))
    if i >= 0:
        print("raw U+%04X at byte %d: %r" % (cp, i, data[max(0, i - 20):i + 20]))
        sys.exit(1)
EOF
}

# check NAME FILE KIND PATTERN...: FILE is inert and shows every PATTERN
# (fixed strings, the visible forms)
check() {
    name=$1 file=$2 kind=$3
    shift 3
    why=$(inert "$file" "$kind")
    if [ -n "$why" ]; then
        fail "$name: $why"
        return
    fi
    for p in "$@"; do
        if ! grep -qF -- "$p" "$file"; then
            fail "$name: inert, but '$p' is not shown"
            sed -n 1,5p "$file" | sed 's/^/    | /'
            return
        fi
    done
    pass "$name: inert${1:+, shows '$1'}"
}

# The names, as YAML double-quoted strings (escapes are YAML's).
esc='ok-esc-\e[31mred\e[0m'
osc='ok-osc-\e]0;pwned\atitle'
bel='ok-bel-\a\ax'
c1='ok-c1-\u009b2Jwipe'
cr='ok-cr-secret\rpublic'
bs='ok-bs-abc\b\b\bxyz'
del='ok-del-\x7fz'
rlo='ok-rlo-\u202Eevil'
iso='ok-iso-\u2066x\u2069'
zw='ok-zw-a\u200Bb'
bom='ok-bom-\uFEFFx'
ls='ok-ls-a\u2028b'
marks='ok-mk-\u200E\u200F\u061C'
# ... and how verdict must show them
v_esc='ok-esc-?[31mred?[0m'
v_osc='ok-osc-?]0;pwned?title'
v_bel='ok-bel-??x'
v_c1='ok-c1-?2Jwipe'
v_cr='ok-cr-secret?public'
v_bs='ok-bs-abc???xyz'
v_del='ok-del-?z'
v_rlo='ok-rlo-<U+202E>evil'
v_iso='ok-iso-<U+2066>x<U+2069>'
v_zw='ok-zw-a<U+200B>b'
v_bom='ok-bom-<U+FEFF>x'
v_ls='ok-ls-a<U+2028>b'
v_marks='ok-mk-<U+200E><U+200F><U+061C>'
# Markdown drops control characters (report_md.c) and escapes its own
# punctuation; < and > are entities there, as in HTML, so an escape reads
# "&lt;U+202E&gt;" (shown "<U+202E>")
m_esc='ok-esc-\[31mred\[0m'
m_osc='ok-osc-\]0;pwnedtitle'
m_c1='ok-c1-2Jwipe'
m_cr='ok-cr-secret public'
m_rlo='ok-rlo-&lt;U+202E&gt;evil'
m_iso='ok-iso-&lt;U+2066&gt;x&lt;U+2069&gt;'
m_ls='ok-ls-a&lt;U+2028&gt;b'

fault_start server --log "$tmp/requests.log"
port=$fault_port

# names() PREFIX: the inventory, one service per name
names() {
    for n in "$esc" "$osc" "$bel" "$c1" "$cr" "$bs" "$del" "$rlo" "$iso" "$zw" "$bom" \
        "$ls" "$marks"; do
        printf '  - name: "%s"\n    language: python\n    workload: cpu-bound\n' "$n"
    done
}
{ echo "version: 1"; echo "services:"; names; } >"$tmp/names.yaml"
{ echo "version: 1"
  echo "prometheus:"
  echo "  url: http://127.0.0.1:$port"
  echo "  timeout: 5s"
  echo "discovery:"
  echo "  query: count by (service) (verdict_ctrl_discovery)"
  echo "  label: service"
  echo "services:"
  names
  for s in ctrl-err ctrl-warn ctrl-text; do
      printf '  - name: %s\n    language: python\n' "$s"
  done
} >"$tmp/live.yaml"
common="--end 2026-11-01T00:00:00Z --range 1h --step 60s --draws 200"
all_names="$v_esc $v_osc $v_bel $v_c1 $v_cr $v_bs $v_del $v_rlo $v_iso $v_zw $v_bom $v_ls"
all_names="$all_names $v_marks"

# --- names from the YAML, the demo's series ------------------------------------
"$bin" score -c "$tmp/names.yaml" --demo >"$tmp/score.out" 2>"$tmp/score.err"
# (the ranking's name column is 18 wide: longer names end in '~', an
# escape is 8 columns and goes whole or not at all)
check "score (text)" "$tmp/score.out" text "ok-esc-?[31mred?[~" "ok-osc-?]0;pwned?~" \
    "$v_bel" "$v_c1" "ok-cr-secret?publ~" "$v_bs" "$v_del" "ok-rlo-<U+202E>ev~" \
    "ok-iso-<U+2066>x~" "$v_zw" "$v_bom" "$v_ls" "ok-mk-<U+200E>~"
check "score: stderr" "$tmp/score.err" plain
"$bin" report -c "$tmp/names.yaml" --demo --format text >"$tmp/report.text" \
    2>"$tmp/report.text.err"
check "report --format text" "$tmp/report.text" text $all_names
check "report --format text: stderr" "$tmp/report.text.err" plain
"$bin" report -c "$tmp/names.yaml" --demo --format md >"$tmp/report.md" 2>"$tmp/report.md.err"
check "report --format md" "$tmp/report.md" text "$m_esc" "$m_osc" "$m_c1" "$m_cr" "$m_rlo" \
    "$m_iso" "$m_ls"
check "report --format md: stderr" "$tmp/report.md.err" plain
"$bin" report -c "$tmp/names.yaml" --demo --format csv >"$tmp/report.csv" 2>/dev/null
check "report --format csv" "$tmp/report.csv" csv $all_names
"$bin" report -c "$tmp/names.yaml" --demo --format html >"$tmp/report.html" 2>/dev/null
# the escape entity-escaped, and the text holding it isolated
check "report --format html" "$tmp/report.html" plain "<bdi dir=\"ltr\">$m_rlo</bdi>" \
    "<bdi dir=\"ltr\">$m_iso</bdi>" "<bdi dir=\"ltr\">$m_ls</bdi>"
"$bin" report -c "$tmp/names.yaml" --demo --format json >"$tmp/report.json" 2>/dev/null
check "report --format json" "$tmp/report.json" json '\u001b[31mred' '\u009b2Jwipe' \
    'ok-del-\u007fz' 'secret\rpublic' 'ok-rlo-\u202eevil' 'ok-iso-\u2066x\u2069' \
    'ok-bom-\ufeffx' 'ok-ls-a\u2028b' 'ok-mk-\u200e\u200f\u061c'
# the JSON still holds the exact names
got=$(python3 -c "
import json, sys
d = json.load(open('$tmp/report.json'))
print(sorted(s['name'] for s in d['services']) == sorted(
    ['ok-esc-\x1b[31mred\x1b[0m', 'ok-osc-\x1b]0;pwned\x07title', 'ok-bel-\x07\x07x',
     'ok-c1-\u009b2Jwipe', 'ok-cr-secret\rpublic', 'ok-bs-abc\b\b\bxyz', 'ok-del-\x7fz',
     'ok-rlo-\u202eevil', 'ok-iso-\u2066x\u2069', 'ok-zw-a\u200bb', 'ok-bom-\ufeffx',
     'ok-ls-a\u2028b', 'ok-mk-\u200e\u200f\u061c']))")
[ "$got" = True ] && pass "report --format json keeps the names exactly" ||
    fail "report --format json changed the names: $got"
"$bin" score -c "$tmp/names.yaml" --demo --format csv >"$tmp/score.csv" 2>/dev/null
check "score --format csv" "$tmp/score.csv" csv "$v_esc" "$v_rlo" "$v_marks"

# a currency symbol with an override: the money in text, HTML and its charts
# (api-gateway: a service with data, so there are figures and charts)
{ cat "$tmp/names.yaml"; printf '  - name: api-gateway\n    language: node\n'
  printf 'economics:\n  currency: "\\u202E$"\n'; } >"$tmp/cur.yaml"
"$bin" report -c "$tmp/cur.yaml" --demo --format text >"$tmp/cur.text" 2>"$tmp/cur.err"
check "a reordering currency: text" "$tmp/cur.text" text '<U+202E>$15,000'
check "a reordering currency: stderr" "$tmp/cur.err" plain
"$bin" report -c "$tmp/cur.yaml" --demo --format html >"$tmp/cur.html" 2>/dev/null
check "a reordering currency: HTML" "$tmp/cur.html" plain \
    '<bdi dir="ltr">&lt;U+202E&gt;$15,000</bdi>' 'text-anchor="end">-&lt;U+202E&gt;$'

# diff: a report with the names against the demo's (added, removed)
"$bin" report --demo --format json -o "$tmp/demo.json" 2>/dev/null
for f in text md json; do
    "$bin" diff --format $f "$tmp/demo.json" "$tmp/report.json" >"$tmp/diff.$f" \
        2>"$tmp/diff.$f.err"
    case $f in
    json) check "diff --format json" "$tmp/diff.json" json '\u009b2Jwipe' 'ok-rlo-\u202eevil' ;;
    md) check "diff --format md" "$tmp/diff.md" plain 'ok-esc-?\[31mred?\[0m' \
        'ok-rlo-\<U+202E\>evil' 'ok-mk-\<U+200E\>\<U+200F\>\<U+061C\>' ;;
    *) check "diff --format $f" "$tmp/diff.$f" plain "$v_esc" "$v_c1" "$v_cr" "$v_rlo" \
        "$v_iso" "$v_ls" ;;
    esac
    check "diff --format $f: stderr" "$tmp/diff.$f.err" plain
done
# a report whose schema and name are hostile: diff's own error
printf '{"schema": "evil\\u001b]0;x\\u0007", "services": []}' >"$tmp/hostile.json"
"$bin" diff "$tmp/hostile.json" "$tmp/report.json" >/dev/null 2>"$tmp/diff-bad.err"
check "diff: error about a hostile schema" "$tmp/diff-bad.err" plain 'evil?]0;x?'

# --- check-config: the messages quote names, values and keys ---------------------
{ echo "version: 1"
  echo "services:"
  printf '  - name: "%s"\n    language: "py\\e]0;x\\a"\n    workload: "w\\u009b2J"\n' "$esc"
  printf '  - name: "%s"\n    team: {experience: "s\\bx"}\n' "$esc"
  printf '  - name: "%s"\n' "$cr"
  printf '  - name: "%s"\n    language: "rb\\u202Ex"\n    workload: "w\\u2066\\u200B"\n' "$rlo"
  printf '"key\\e[1m\\r": 1\n'
  printf '"key\\uFEFF\\u2028": 1\n'
} >"$tmp/bad.yaml"
"$bin" check-config "$tmp/bad.yaml" >"$tmp/cc.out" 2>"$tmp/cc.err"
rc=$?
[ $rc -eq 2 ] && pass "check-config: exit 2" || fail "check-config: exit $rc"
check "check-config: errors" "$tmp/cc.err" plain "$v_esc" "py?]0;x?" "w?2J" "s?x" "key?[1m?" \
    "rb<U+202E>x" "w<U+2066><U+200B>" "key<U+FEFF><U+2028>"
# a raw 9B byte and a raw ESC in the file: the parser's own messages
printf 'version: 1\nservices:\n  - name: "raw-\2332J"\n' >"$tmp/raw9b.yaml"
printf 'version: 1\n\033[31m: 1\n' >"$tmp/rawesc.yaml"
for f in raw9b rawesc; do
    "$bin" check-config "$tmp/$f.yaml" >/dev/null 2>"$tmp/$f.err"
    rc=$?
    [ $rc -eq 2 ] && check "check-config: $f" "$tmp/$f.err" plain "$f.yaml:" ||
        fail "check-config $f: exit $rc"
done

# --- paths, URLs and names the user typed -------------------------------------
evil_path="$tmp/evil$(printf '\033[2J\033]0;t\007\302\233\r')x"
"$bin" score -c "$evil_path.yaml" >/dev/null 2>"$tmp/path.err"
check "a missing config path" "$tmp/path.err" plain "evil?[2J?]0;t???x.yaml"
rlo_path="$tmp/rlo$(printf '\342\200\256\342\201\246\342\200\250')x"
"$bin" score -c "$rlo_path.yaml" >/dev/null 2>"$tmp/rlo-path.err"
check "a missing config path with an override" "$tmp/rlo-path.err" plain \
    "rlo<U+202E><U+2066><U+2028>x.yaml"
cp "$tmp/names.yaml" "$evil_path.yaml"
"$bin" report -c "$evil_path.yaml" --demo >"$tmp/path.out" 2>"$tmp/path.err"
check "the config path in a report" "$tmp/path.out" text "evil?[2J?]0;t???x.yaml"
"$bin" report --demo -o "$evil_path/no/such/out.txt" >/dev/null 2>"$tmp/out.err"
check "an -o path that cannot be written" "$tmp/out.err" plain "evil?[2J"
"$bin" score --demo --service "$(printf 'nope\033[31m\r')" >/dev/null 2>"$tmp/svc.err"
check "an unknown --service" "$tmp/svc.err" plain "nope?[31m?"
"$bin" score --demo --service "$(printf 'nope\342\200\256\357\273\277')" >/dev/null \
    2>"$tmp/svc-rlo.err"
check "an unknown --service with an override" "$tmp/svc-rlo.err" plain "nope<U+202E><U+FEFF>"
"$bin" fetch -c "$tmp/names.yaml" --prometheus "$(printf 'http://127.0.0.1:9/\033[2J\302\233')" \
    $common -o "$tmp/x.json" >/dev/null 2>"$tmp/url.err"
check "an unreachable URL" "$tmp/url.err" plain "/?[2J?"
"$bin" fetch -c "$tmp/names.yaml" --prometheus "$(printf 'ftp://h/\033[2J')" \
    $common -o "$tmp/x.json" >/dev/null 2>"$tmp/url2.err"
check "a refused URL scheme" "$tmp/url2.err" plain "ftp://h/?[2J"
"$bin" report --demo --format "$(printf 'x\033[5m')" >/dev/null 2>"$tmp/fmt.err"
check "an unknown --format" "$tmp/fmt.err" plain "x?[5m"

# --- a live server: label values and error strings ------------------------------
"$bin" fetch -c "$tmp/live.yaml" $common -v -o "$tmp/live.json" >"$tmp/fetch.out" \
    2>"$tmp/fetch.err"
rc=$?
[ $rc -eq 3 ] && pass "fetch against the hostile server: exit 3" || fail "fetch: exit $rc"
check "fetch -v: the request log and errors" "$tmp/fetch.err" plain "prom: POST"
check "fetch: stdout" "$tmp/fetch.out" plain
# the server's strings reached the snapshot (so the reports below do show them)
if grep -q 'ok-ctrl-' "$tmp/live.json" && grep -q 'found duplicate series' "$tmp/live.json"; then
    pass "the snapshot holds the discovered names and the server's errors"
else
    fail "the snapshot lacks the discovered names or the server's errors"
fi
# from the snapshot (the server's error strings; discovery is not redone)
"$bin" report -c "$tmp/live.yaml" --snapshot "$tmp/live.json" $common --format text \
    >"$tmp/live.text" 2>"$tmp/live.text.err"
check "report --format text from the snapshot" "$tmp/live.text" text \
    "exec?[31m?]0;pwned???2J???: found duplicate" \
    "?[2J?]0;owned?<U+202E><U+2066><U+200B><U+FEFF><U+2028> failed" \
    "store ?[31m?]0;pwned???2J??? slow" "$v_osc" "$v_cr" \
    "???<U+202E><U+2066><U+200B><U+FEFF><U+2028>\"}" \
    "replica <U+202E><U+2066><U+200B><U+FEFF><U+2028> behind" "$v_rlo"
check "report --format text from the snapshot: stderr" "$tmp/live.text.err" plain
"$bin" report -c "$tmp/live.yaml" --snapshot "$tmp/live.json" $common --format md \
    >"$tmp/live.md" 2>"$tmp/live.md.err"
check "report --format md from the snapshot" "$tmp/live.md" text \
    'exec?\[31m?\]0;pwned???2J???: found duplicate' 'store ?\[31m?\]0;pwned???2J??? slow' \
    'replica &lt;U+202E&gt;&lt;U+2066&gt;&lt;U+200B&gt;&lt;U+FEFF&gt;&lt;U+2028&gt; behind'
check "report --format md from the snapshot: stderr" "$tmp/live.md.err" plain
# live, -v: the discovered names as well
"$bin" report -c "$tmp/live.yaml" $common --format text -v >"$tmp/live-direct.txt" \
    2>"$tmp/live-direct.err"
check "report, fetching live, -v: stdout" "$tmp/live-direct.txt" text "ok-ctrl-?[2Jwipe" \
    "ok-ctrl-?]0;title?osc" "ok-ctrl-?over" "ok-ctrl-?31mc1" "store ?[31m" \
    "ok-ctrl-<U+202E>evil" "ok-ctrl-<U+2066>iso<U+2069>" "ok-ctrl-zw<U+200B><U+FEFF>x" \
    "ok-ctrl-ls<U+2028>x" "replica <U+202E>"
check "report, fetching live, -v: stderr" "$tmp/live-direct.err" plain "prom: POST"
"$bin" score -c "$tmp/live.yaml" $common -v >"$tmp/live-score.txt" 2>"$tmp/live-score.err"
check "score, fetching live" "$tmp/live-score.txt" text "ok-ctrl-?[2Jwipe" "$v_del" \
    "ok-ctrl-<U+202E>e~" "ok-ctrl-ls~"
check "score, fetching live: stderr" "$tmp/live-score.err" plain
"$bin" score -c "$tmp/live.yaml" $common --format csv >"$tmp/live-score.csv" 2>/dev/null
check "score --format csv, fetching live" "$tmp/live-score.csv" csv "ok-ctrl-?[2Jwipe" \
    "ok-ctrl-<U+2066>iso<U+2069>"
"$bin" report -c "$tmp/live.yaml" $common --format json >"$tmp/live-report.json" 2>/dev/null
check "report --format json, fetching live" "$tmp/live-report.json" json \
    'ok-ctrl-\u009b31mc1' 'ok-ctrl-\u202eevil' 'ok-ctrl-zw\u200b\ufeffx'
"$bin" report -c "$tmp/live.yaml" $common --format html >"$tmp/live-report.html" 2>/dev/null
check "report --format html, fetching live" "$tmp/live-report.html" plain \
    '<bdi dir="ltr">ok-ctrl-&lt;U+202E&gt;evil</bdi>' \
    'replica &lt;U+202E&gt;&lt;U+2066&gt;&lt;U+200B&gt;&lt;U+FEFF&gt;&lt;U+2028&gt; behind</bdi>'
# snapshots are JSON too: no raw C0 (cJSON escapes those), nor invisible
# characters, which the snapshot has as \u escapes
if python3 -c "
import sys
d = open('$tmp/live.json', 'rb').read()
sys.exit(any(b < 0x20 and b not in (9, 10) for b in d))"; then
    pass "the snapshot holds no raw C0 control"
else
    fail "the snapshot holds a raw C0 control"
fi
check "the snapshot: invisible characters" "$tmp/live.json" json 'ok-ctrl-\u202eevil' \
    'ok-ctrl-ls\u2028x'


echo "termsafe: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
