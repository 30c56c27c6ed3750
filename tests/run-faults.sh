#!/bin/sh
# run-faults.sh: verdict against a server that misbehaves on purpose.
# Usage: run-faults.sh ./verdict
# Each fault must end in a clear per-service error, no crash, the other
# services intact, exit 3; an unreachable server is one message and exit 1.
set -u
bin=$1
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
tmp=$(mktemp -d)
passed=0
failed=0
fault_dir=tests fault_summary="faults: "
. "$fault_dir/fault_server.sh"

cleanup() {
    fault_stop
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

fault_start server --log "$tmp/requests.log"
port=$fault_port
url="http://127.0.0.1:$port"

cat >"$tmp/v.yaml" <<EOF
version: 1
prometheus:
  url: $url
  timeout: 2s
  max_response_size: 10MiB
  headers:
    X-Scope-OrgID: tenant-a
  bearer_token_env: VERDICT_TEST_TOKEN
services:
  - name: ok-alpha
    language: python
    workload: cpu-bound
  - name: flaky-503
  - name: ratelimit
  - name: err-422
  - name: vm-422
  - name: truncated
  - name: html
  - name: slow
  - name: too-many
  - name: huge
  - name: partial
  - name: nan
  - name: multi
  - name: empty
  - name: allgaps
  - name: ok-omega
EOF

export VERDICT_TEST_TOKEN=s3cr3t-t0ken-value
"$bin" fetch -c "$tmp/v.yaml" --end 2026-11-01T00:00:00Z --range 1d --step 60s \
    --service ok-alpha --service flaky-503 --service err-422 --service vm-422 \
    --service truncated --service html --service too-many --service partial \
    --service nan --service multi --service empty --service ok-omega --service ratelimit \
    --service allgaps \
    -o "$tmp/snap.json" -v 2>"$tmp/err"
rc=$?
[ $rc -eq 3 ] && pass "faults give exit 3" || { fail "faults: exit $rc, wanted 3"; head "$tmp/err"; }

# signal_of NAME SIGNAL -> "count N", "error MESSAGE" or "warning MESSAGE"
signal_of() {
    python3 - "$tmp/snap.json" "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["services"]:
    if s["name"] == sys.argv[2]:
        sig = s["signals"].get(sys.argv[3])
        if sig is None:
            print("absent")
        elif sig.get("error"):
            print("error " + sig["error"])
        elif sig.get("warning"):
            print("warning " + sig["warning"])
        else:
            print("count %d" % sig["stats"]["count"])
        break
else:
    print("missing")
EOF
}

# expect NAME PATTERN: the cpu_cores signal of NAME matches PATTERN (grep -E)
expect() {
    got=$(signal_of "$1" cpu_cores)
    if echo "$got" | grep -Eq "$2"; then pass "$1: $got"; else fail "$1: '$got' !~ '$2'"; fi
}
expect ok-alpha '^count 1441$'
expect ok-omega '^count 1441$'
expect flaky-503 '^count 1441$'
expect ratelimit '^count 1441$'
expect err-422 '^error .*execution.*too many samples'
expect vm-422 '^error .*422'
expect truncated '^error .*truncated'
expect html '^error .*HTML'
expect too-many '^count 1441$'
expect partial '^warning .*partial'
expect nan '^count [0-9]+$'
expect multi '^warning 3 series combined by sum'
expect empty '^error no data'
# 1,441 samples: every sixth a value at a time outside the range or
# negative, the rest NaN, +Inf, -Inf or 1e400
expect allgaps '^error no usable samples: 1441 points, all gaps \(961 NaN or infinite, 480 outside'

# fetch keeps the p99 series' exceedance table (114 rising numbers from the
# series' min to its max), and no other signal's
got=$(python3 - "$tmp/snap.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["services"] if x["name"] == "ok-alpha"][0]["signals"]
p99 = s["p99_latency_seconds"]
ex = p99.get("exceedance") or []
ok = (len(ex) == 114 and ex == sorted(ex) and ex[0] == p99["stats"]["min"] and
      ex[-1] == p99["stats"]["max"] and all("exceedance" not in v for k, v in s.items()
                                            if k != "p99_latency_seconds"))
print("ok" if ok else "bad %d" % len(ex))
PY
)
[ "$got" = ok ] && pass "fetch keeps the p99 exceedance table" ||
    fail "p99 exceedance table in the fetched snapshot: $got"

# a quantile from histogram_quantile(Q, EXPR) brings its bucket: fetch asks
# sum by (le) (EXPR) once and keeps the bucket around the median (issue 15);
# here le 0.1 0.25 0.5 1 +Inf and a p50 of about 80 ms: 0-0.1 s, coarse
got=$(python3 - "$tmp/snap.json" <<'PY'
import json, sys
d = {x["name"]: x for x in json.load(open(sys.argv[1]))["services"]}
s = d["ok-alpha"]["signals"]
print(s["p50_latency_seconds"].get("bucket"), s["p99_latency_seconds"].get("bucket"),
      "cpu" if "bucket" in s["cpu_cores"] else "-",
      d["err-422"]["signals"]["p50_latency_seconds"].get("bucket"))
PY
)
[ "$got" = "{'lo': 0, 'hi': 0.1} {'lo': 0, 'hi': 0.1} - None" ] &&
    pass "fetch keeps each quantile's bucket, from the bucket query" ||
    fail "quantile buckets in the snapshot: $got"
"$bin" report -c "$tmp/v.yaml" --snapshot "$tmp/snap.json" --service ok-alpha --format json \
    -o "$tmp/coarse.json" 2>/dev/null
if python3 - "$tmp/coarse.json" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["services"] if x["name"] == "ok-alpha"][0]
f = [x for x in s["flags"] if x["flag"] == "coarse_buckets"]
sys.exit(0 if f and f[0]["kind"] == "caution" and
         re.match(r"p50 \d+\.\d ms lies in the bucket 0-100 ms", f[0]["text"]) else 1)
PY
then
    pass "a p50 inside a bucket wider than itself: the coarse_buckets caution names the bucket"
else
    fail "no coarse_buckets caution for ok-alpha"
fi

# a series of gaps is no data in every report: exit 3 (1 with --strict),
# and the data-quality section says why
"$bin" report -c "$tmp/v.yaml" --snapshot "$tmp/snap.json" --service allgaps >"$tmp/gaps.txt" \
    2>/dev/null
rc=$?
"$bin" report -c "$tmp/v.yaml" --snapshot "$tmp/snap.json" --service allgaps --strict \
    >/dev/null 2>&1
rc_strict=$?
if [ $rc -eq 3 ] && [ $rc_strict -eq 1 ] &&
    sed -n '/^DATA QUALITY/,$p' "$tmp/gaps.txt" | grep -q 'allgaps, cpu_cores: no usable samples'
then
    pass "all gaps: exit 3, 1 with --strict, named in DATA QUALITY"
else
    fail "all gaps: exit $rc, strict $rc_strict"
    sed -n '/^DATA QUALITY/,$p' "$tmp/gaps.txt" | head -5
fi
# a snapshot written before fetch said so (a series with no finite point
# and no error) reads the same way
python3 - "$tmp/snap.json" "$tmp/old-gaps.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["services"]:
    if s["name"] == "ok-alpha":
        st = s["signals"]["cpu_cores"]["stats"]
        st["gaps"] += st["count"]
        st["count"] = 0
        for k in ("first_t", "last_t", "min", "max", "mean", "p50", "p95", "p99", "last",
                  "trend_per_day"):
            st[k] = None
        c = s["signals"]["cpu_cores"]["chart"]
        for k in ("min", "max", "mean"):
            c[k] = [None] * len(c[k])
json.dump(d, open(sys.argv[2], "w"))
PY
"$bin" report -c "$tmp/v.yaml" --snapshot "$tmp/old-gaps.json" --service ok-alpha \
    >"$tmp/gaps.txt" 2>/dev/null
rc=$?
if [ $rc -eq 3 ] && grep -q 'ok-alpha, cpu_cores: no usable samples: 1441 points, all gaps' \
    "$tmp/gaps.txt"; then
    pass "an old snapshot's series of gaps: no data, exit 3"
else
    fail "an old snapshot's series of gaps: exit $rc"
fi

# the bearer token went to the server, never to our own output
grep -q 'tenant-a' "$tmp/requests.log" && pass "X-Scope-OrgID header sent" ||
    fail "header not sent"
grep -q 's3cr3t-t0ken-value' "$tmp/requests.log" && pass "bearer token sent" ||
    fail "bearer token not sent"
if grep -q 's3cr3t-t0ken-value' "$tmp/err" "$tmp/snap.json"; then
    fail "the token leaked into the verbose log or the snapshot"
else
    pass "no secret in the verbose log or the snapshot"
fi
grep -q '"timeout"' "$tmp/requests.log" && pass "timeout parameter sent" ||
    fail "no timeout parameter"

# chunking: 2 days at 15 s is 11,521 points per series, over the 11,000 limit
"$bin" fetch -c "$tmp/v.yaml" --end 2026-11-01T00:00:00Z --range 2d --step 15s \
    --service too-many -o "$tmp/chunk.json" 2>"$tmp/err"
rc=$?
got=$(python3 -c "
import json
s = json.load(open('$tmp/chunk.json'))['services'][0]['signals']['cpu_cores']['stats']
print(s['count'] + s['gaps'])")
[ $rc -eq 0 ] && [ "$got" = 11521 ] && pass "chunked: 11521 points, exit 0" ||
    fail "chunked: exit $rc, $got points"

# a response slower than the timeout is a timeout, and the others survive
"$bin" fetch -c "$tmp/v.yaml" --end 2026-11-01T00:00:00Z --range 1h --step 60s --service slow \
    --service ok-alpha -o "$tmp/slow.json" 2>"$tmp/err"
rc=$?
s=$(python3 -c "
import json
d = {x['name']: x for x in json.load(open('$tmp/slow.json'))['services']}
print(d['slow']['signals']['cpu_cores'].get('error'), '|',
      d['ok-alpha']['signals']['cpu_cores']['stats']['count'])")
echo "$s" | grep -q 'timed out.*| 61$' && [ $rc -eq 3 ] && pass "slow: timed out, others intact" ||
    fail "slow: exit $rc, $s"

# a body over the limit is refused
"$bin" fetch -c "$tmp/v.yaml" --end 2026-11-01T00:00:00Z --range 1h --service huge \
    -o "$tmp/huge.json" 2>"$tmp/err"
rc=$?
grep -q 'limit' "$tmp/huge.json" && [ $rc -eq 3 ] && pass "huge body refused" ||
    fail "huge: exit $rc"

# nothing listening: one message, exit 1
"$bin" report -c "$tmp/v.yaml" --prometheus http://127.0.0.1:9 --end 2026-11-01T00:00:00Z \
    --range 1h >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -le 2 ] && grep -q 'refused' "$tmp/err" &&
    pass "unreachable: exit 1, one message" || { fail "unreachable: exit $rc"; cat "$tmp/err"; }

# a server that accepts connections and never answers: unreachable after
# the first round of timeouts (one retry), one message, exit 1, within
# 2 x timeout + connect timeout (2 + 2 + 2 s; 151 s before, for 30 s)
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(128)
s.settimeout(0.5)
print(s.getsockname()[1], flush=True)
held, t0 = [], time.time()
while time.time() - t0 < 60:
    try:
        held.append(s.accept())
    except socket.timeout:
        pass
' >"$tmp/hole.port" &
hole_pid=$!
i=0
while [ ! -s "$tmp/hole.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf 'version: 1\nprometheus:\n  url: http://127.0.0.1:%s\n  timeout: 2s\nservices:\n  - name: a\n  - name: b\n' \
    "$(head -1 "$tmp/hole.port")" >"$tmp/hole.yaml"
t0=$(date +%s.%N)
"$bin" report -c "$tmp/hole.yaml" --end 2026-11-01T00:00:00Z --range 1h >/dev/null 2>"$tmp/err"
rc=$?
took=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }')
kill "$hole_pid" 2>/dev/null
wait "$hole_pid" 2>/dev/null
if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q 'accepts connections but has answered nothing' "$tmp/err" &&
    awk -v t="$took" 'BEGIN { exit !(t <= 6.0) }'; then
    pass "a server that never answers: exit 1 in $took s, one message"
else
    fail "a server that never answers: exit $rc in $took s: $(head -2 "$tmp/err")"
fi

# messages a user can act on: a header over curl's limit (not retried), a
# redirect (where to, and what to set), a body compressed unasked
cat >"$tmp/msg.yaml" <<EOF
version: 1
prometheus:
  url: $url
  timeout: 3s
queries:
  p99_latency_seconds: ""
  p50_latency_seconds: ""
  memory_bytes: ""
  requests_per_second: ""
  mean_latency_seconds: ""
  instances: ""
services:
  - name: bigheader
  - name: redirect
  - name: gzip
  - name: ok-msg
EOF
: >"$tmp/requests.log"
"$bin" fetch -c "$tmp/msg.yaml" --end 2026-11-01T00:00:00Z --range 1h -o "$tmp/msg.json" \
    2>"$tmp/err"
rc=$?
expect_in() {   # expect_in SNAPSHOT NAME PATTERN
    got=$(python3 -c "
import json, sys
d = {s['name']: s for s in json.load(open(sys.argv[1]))['services']}
print(d[sys.argv[2]]['signals']['cpu_cores'].get('error') or 'none')" "$1" "$2")
    if echo "$got" | grep -Eq "$3"; then pass "$2: $got"; else fail "$2: '$got' !~ '$3'"; fi
}
[ $rc -eq 3 ] || fail "messages: fetch exit $rc, wanted 3"
expect_in "$tmp/msg.json" bigheader '^response headers too large \(a header of more than 102400'
expect_in "$tmp/msg.json" redirect \
    '^HTTP 302: redirect to prometheus-internal.example:9090 refused .*set prometheus.url'
expect_in "$tmp/msg.json" gzip '^compressed body \(gzip\) but compression is off'
expect_in "$tmp/msg.json" ok-msg '^none$'
n=$(grep -c '"service": "bigheader"' "$tmp/requests.log")
[ "$n" -eq 1 ] && pass "a header over the limit is not retried (1 request)" ||
    fail "a header over the limit was sent $n times"
# every request redirected: one message, exit 1
printf 'version: 1\nprometheus:\n  url: %s\nservices:\n  - name: redirect\n    language: go\n' \
    "$url" \
    >"$tmp/redir.yaml"
"$bin" score -c "$tmp/redir.yaml" --end 2026-11-01T00:00:00Z --range 1h >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q 'redirect to prometheus-internal.example:9090 refused' "$tmp/err"; then
    pass "a server that only redirects: exit 1, one message naming the target"
else
    fail "redirect only: exit $rc, '$(head -2 "$tmp/err")'"
fi

# a URL that is not http(s) is a configuration error
"$bin" fetch -c "$tmp/v.yaml" --prometheus ftp://127.0.0.1/ --range 1h >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && pass "ftp:// refused with exit 2" || fail "ftp://: exit $rc"

# a password in the URL never shows
"$bin" fetch -c "$tmp/v.yaml" --prometheus "http://user:pa55word@127.0.0.1:9/" --range 1h \
    -v >/dev/null 2>"$tmp/err"
grep -q 'pa55word' "$tmp/err" && fail "URL password leaked" || pass "URL password redacted"

# discovery: services on the server but not in the inventory join with
# defaults and a flag; languages come from the runtimes' info metrics
cat >"$tmp/d.yaml" <<EOF
version: 1
prometheus:
  url: $url
discovery:
  query: count by (service) (verdict_discovery)
  label: service
services:
  - name: ok-alpha
    workload: cpu-bound
EOF
"$bin" report -c "$tmp/d.yaml" --end 2026-11-01T00:00:00Z --range 6h --step 60s \
    --format json >"$tmp/d.json" 2>"$tmp/err"
rc=$?
got=$(python3 -c "
import json
d = json.load(open('$tmp/d.json'))
out = []
for s in sorted(d['services'], key=lambda s: s['name']):
    flags = ','.join(f['flag'] for f in s['flags'])
    lang = [r['text'] for r in s['reasons'] if r['factor'] == 'language'][0]
    out.append('%s:%s:%s:%s' % (s['name'], s['language'], 'discovered' in flags,
                                lang.startswith('Detected')))
print(' '.join(out))")
want="ok-alpha:python:False:True ok-found-1:go:True:True ok-found-2:python:True:True"
[ "$got" = "$want" ] && [ $rc -eq 0 ] && pass "discovery and detection: $got" ||
    fail "discovery: exit $rc, got '$got', want '$want'"
# fetch once, report often: the snapshot of that fetch ranks the same
# services, discovered ones included, with the same flags and languages
"$bin" fetch -c "$tmp/d.yaml" --end 2026-11-01T00:00:00Z --range 6h --step 60s \
    -o "$tmp/d.snap.json" 2>"$tmp/err"
rc_fetch=$?
"$bin" report -c "$tmp/d.yaml" --snapshot "$tmp/d.snap.json" --end 2026-11-01T00:00:00Z \
    --range 6h --step 60s --format json >"$tmp/d2.json" 2>>"$tmp/err"
rc=$?
if [ $rc_fetch -eq 0 ] && [ $rc -eq 0 ] && grep -q '"discovered": true' "$tmp/d.snap.json" &&
    python3 - "$tmp/d.json" "$tmp/d2.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("generated_at")
names = sorted(s["name"] for s in b["services"])
sys.exit(0 if a == b and names == ["ok-alpha", "ok-found-1", "ok-found-2"] else 1)
PY
then
    pass "discovered services survive a snapshot: the report equals the live one"
else
    fail "snapshot of a discovery: fetch $rc_fetch, report $rc, or the reports differ"
    diff "$tmp/d.json" "$tmp/d2.json" | head -5
fi

# the limit on services holds for discovery: 10,005 found, 1 in the
# inventory, 6 left out and said so, exit 3; the snapshot reads back with
# 10,000 services (no signal queried: the limit is what is tested)
cat >"$tmp/many.yaml" <<EOF
version: 1
prometheus:
  url: $url
queries:
  p99_latency_seconds: ""
  p50_latency_seconds: ""
  cpu_cores: ""
  memory_bytes: ""
  requests_per_second: ""
  mean_latency_seconds: ""
discovery:
  query: count by (service) (verdict_many_discovery_10005)
  label: service
services:
  - name: ok-alpha
EOF
"$bin" fetch -c "$tmp/many.yaml" --end 2026-11-01T00:00:00Z --range 1h -o "$tmp/many.json" \
    2>"$tmp/err"
rc=$?
"$bin" score -c "$tmp/many.yaml" --snapshot "$tmp/many.json" --format csv >"$tmp/many.csv" \
    2>/dev/null
rc2=$?
rows=$(($(wc -l <"$tmp/many.csv") - 1))
if [ $rc -eq 3 ] && [ $rc2 -eq 3 ] && [ "$rows" -eq 10000 ] &&
    grep -q 'warning: discovery found 6 services more than the limit of 10000 services' \
        "$tmp/err"; then
    pass "discovery past 10,000 services: 6 left out and said so, exit 3, the snapshot reads"
else
    fail "discovery limit: fetch $rc, score $rc2, $rows rows, '$(head -1 "$tmp/err")'"
fi
# a label value longer than a snapshot's strings is skipped, not written
sed 's/verdict_many_discovery_10005/verdict_long_discovery/' "$tmp/many.yaml" >"$tmp/long.yaml"
"$bin" fetch -c "$tmp/long.yaml" --end 2026-11-01T00:00:00Z --range 1h -o "$tmp/long.json" \
    2>"$tmp/err"
rc=$?
"$bin" score -c "$tmp/long.yaml" --snapshot "$tmp/long.json" >/dev/null 2>&1
rc2=$?
if [ $rc -eq 3 ] && [ $rc2 -eq 3 ] && ! grep -q 'ok-long' "$tmp/long.json" &&
    grep -q 'skipped 1 label value longer than 65536 bytes' "$tmp/err"; then
    pass "a 70,008-byte discovered name: skipped and said so, the snapshot reads (exit 3)"
else
    fail "long discovered name: fetch $rc, score $rc2, '$(head -1 "$tmp/err")'"
fi

# TLS: verification on by default, ca_file trusted, insecure_skip_verify warned
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
        >/dev/null 2>&1; then
    fault_start tls --tls "$tmp/cert.pem" "$tmp/key.pem"
    tls_pid=$fault_pid
    tls_url="https://127.0.0.1:$fault_port"
    # tls_case NAME EXTRA-YAML WANT-EXIT WANT-STDERR-PATTERN
    tls_case() {
        { echo "version: 1"; echo "prometheus:"; echo "  url: $tls_url"; printf '%s' "$2"
          echo "services:"; echo "  - name: ok-tls"; } >"$tmp/t.yaml"
        "$bin" fetch -c "$tmp/t.yaml" --end 2026-11-01T00:00:00Z --range 1h --step 60s \
            -o "$tmp/t.json" >/dev/null 2>"$tmp/err"
        rc=$?
        if [ $rc -eq "$3" ] && { [ -z "$4" ] || grep -Eq "$4" "$tmp/err"; }; then
            pass "tls: $1 (exit $rc)"
        else
            fail "tls: $1: exit $rc, stderr: $(head -2 "$tmp/err")"
        fi
    }
    tls_case "self-signed refused by default" "" 1 "certificate|SSL|TLS"
    tls_case "ca_file trusts it" "  ca_file: $tmp/cert.pem
" 0 ""
    tls_case "insecure_skip_verify warns" "  insecure_skip_verify: true
" 0 "warning: TLS verification is off"
    fault_stop_one "$tls_pid"
else
    echo "SKIP: tls (no openssl)"
fi

# -o never leaves half a file: every writer (report, score, fetch, diff)
# against a file size limit (ulimit -f, with SIGXFSZ ignored so the write
# fails with EFBIG instead of killing us) and against /dev/full through a
# link.  Exit 1, a message naming the file and the reason, the old file
# byte for byte, nothing else in the directory.
out="$tmp/saves"
mkdir -p "$out"
"$bin" report --demo --format json -o "$tmp/old.json" 2>/dev/null
"$bin" report --demo --format json --seed 2 -o "$tmp/new.json" 2>/dev/null
# save_case NAME FILE BLOCKS WANT-PATTERN COMMAND...: COMMAND must fail
# writing FILE once it passes BLOCKS blocks of ulimit -f (0: at once);
# stderr goes through a pipe, which the limit does not cover
save_case() {
    name=$1 file=$2 blocks=$3 want=$4
    shift 4
    printf 'old contents of %s\n' "$name" >"$out/$file"
    cp "$out/$file" "$tmp/before"
    { ( trap '' XFSZ; ulimit -f "$blocks"; exec "$@" 2>&1 >/dev/null ); echo $? >"$tmp/rc"; } |
        cat >"$tmp/err"
    rc=$(cat "$tmp/rc")
    left=$(ls -A "$out" | grep -v -x -F "$file" | grep -v -x full)
    if [ "$rc" -eq 1 ] && grep -Eq "$file: ($want)" "$tmp/err" &&
        cmp -s "$out/$file" "$tmp/before" &&
        [ -z "$left" ]; then
        pass "$name: exit 1, '$(head -1 "$tmp/err")', old file intact, no temporary"
    else
        fail "$name: exit $rc, stderr '$(head -2 "$tmp/err")', left '$left'"
        cmp "$out/$file" "$tmp/before"
    fi
    rm -f "$out/$file"
}
save_case "report --format html -o" r.html 4 "File too large" \
    "$bin" report --demo --format html -o "$out/r.html"
save_case "report --format text -o" r.txt 4 "File too large" \
    "$bin" report --demo -o "$out/r.txt"
save_case "score --format csv -o" s.csv 1 "File too large" \
    "$bin" score --demo --format csv -o "$out/s.csv"
save_case "diff -o" d.md 0 "File too large" \
    "$bin" diff --format md "$tmp/old.json" "$tmp/new.json" -o "$out/d.md"
# (cli.c says "could not write the snapshot" without the reason)
save_case "fetch -o" snap.json 4 "File too large|could not write the snapshot" \
    "$bin" fetch -c "$tmp/v.yaml" --end 2026-11-01T00:00:00Z --range 1d --step 60s \
    --service ok-alpha -o "$out/snap.json"
# /dev/full through a link in our directory: written straight through (a
# device is never renamed over) and the error is reported; were it renamed
# over, the link would be the casualty, not the device
if [ -c /dev/full ]; then
    ln -s /dev/full "$out/full"
    for cmd in "report --demo" "score --demo" "diff $tmp/old.json $tmp/new.json"; do
        # shellcheck disable=SC2086
        "$bin" $cmd -o "$out/full" >/dev/null 2>"$tmp/err"
        rc=$?
        if [ $rc -eq 1 ] && grep -q 'full: No space left on device' "$tmp/err" &&
            [ -L "$out/full" ] && [ -c /dev/full ] && [ "$(ls -A "$out")" = full ]; then
            pass "${cmd%% *} -o /dev/full: exit 1, no space, the device untouched"
        else
            fail "${cmd%% *} -o /dev/full: exit $rc, '$(head -1 "$tmp/err")'"
        fi
    done
    rm -f "$out/full"
fi
# and a write that succeeds replaces the file whole, keeping its mode
printf 'old\n' >"$out/ok.txt"
chmod 640 "$out/ok.txt"
"$bin" report --demo -o "$out/ok.txt" 2>/dev/null
rc=$?
"$bin" report --demo >"$tmp/want.txt" 2>/dev/null
if [ $rc -eq 0 ] && cmp -s "$out/ok.txt" "$tmp/want.txt" && [ "$(ls -A "$out")" = ok.txt ] &&
    [ "$(stat -c %a "$out/ok.txt")" = 640 ]; then
    pass "report -o replaces the file whole, mode kept"
else
    fail "report -o: exit $rc, $(ls -A "$out" | tr '\n' ' ') mode $(stat -c %a "$out/ok.txt")"
fi

# --- credentials refused: one clear message, exit 1, no retries --------------------
fault_start auth --require-bearer right-token --log "$tmp/auth.log"
auth_pid=$fault_pid
cat >"$tmp/auth.yaml" <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$fault_port
  bearer_token_env: VERDICT_TEST_TOKEN
  concurrency: 2
services:
$(for n in 1 2 3 4 5 6 7 8 9 10; do echo "  - name: ok-s$n"; done)
EOF
VERDICT_TEST_TOKEN=wrong-token "$bin" score -c "$tmp/auth.yaml" --range 1h \
    --end 2026-11-01T00:00:00Z >/dev/null 2>"$tmp/err"
rc=$?
sent=$(grep -c . "$tmp/auth.log" 2>/dev/null || echo 0)
# 10 services x 7 queries (five signals, the mean latency and the targets
# up), x 2 bucket queries (p50 and p99), 5 language detectors, the
# service-label probe and the profile probe: 97 requests when each is sent
# once
if [ $rc -eq 1 ] && grep -q 'refused the credentials (HTTP 401)' "$tmp/err" &&
    [ "$sent" -le 100 ]; then
    pass "a 401 on every request: exit 1, 'refused the credentials', none retried ($sent)"
else
    fail "401: exit $rc, $sent requests, '$(head -1 "$tmp/err")'"
fi
fault_stop_one "$auth_pid"

# --- targets labelled by job only (issue 15): the probe finds no service label,
# every query selects by job, detection counts by job and says why it found
# nothing; discovery by a label the answer lacks names the labels it had
fault_start jobs --job-only --log "$tmp/jobs.log"
jobs_pid=$fault_pid
cat >"$tmp/jobs.yaml" <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$fault_port
services:
  - name: ok-alpha
  - name: ok-beta
EOF
"$bin" fetch -c "$tmp/jobs.yaml" --end 2026-11-01T00:00:00Z --range 1h --step 60s \
    -o "$tmp/jobs.json" -v 2>"$tmp/jobs.err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^fetch: service label job (no up or process_cpu_seconds_total series carries service)' \
    "$tmp/jobs.err"; then
    pass "job only: the probe chose the label job"
else
    fail "job only: exit $rc, $(grep 'service label' "$tmp/jobs.err" || head -2 "$tmp/jobs.err")"
fi
if grep -q '"service_label": "job"' "$tmp/jobs.json"; then
    pass "job only: the snapshot keeps the label the services were selected by"
else
    fail "job only: no service_label in the snapshot"
fi
if grep -q '^prom: query /api/v1/query_range: sum(rate(process_cpu_seconds_total{job="ok-alpha"}\[5m\]))$' \
    "$tmp/jobs.err" && grep -q '^prom: query /api/v1/query: count by (job) (python_info)$' \
    "$tmp/jobs.err" && ! grep -q 'service="' "$tmp/jobs.err"; then
    pass "job only: -v logs each query's PromQL, every one by job"
else
    fail "job only: the -v log lacks the PromQL by job"
    grep '^prom: query' "$tmp/jobs.err" | head -3
fi
got=$(python3 - "$tmp/jobs.json" <<'PY'
import json, sys
d = {s["name"]: s for s in json.load(open(sys.argv[1]))["services"]}
a, b = d["ok-alpha"], d["ok-beta"]
print(a["detected_language"], a["signals"]["cpu_cores"]["stats"]["count"] > 0,
      b["detected_language"], b.get("detection_note"))
PY
)
want="python True None language not detected (no go_info, python_info, nodejs_version_info, jvm_info, jvm_runtime_info for job=ok-beta)"
[ "$got" = "$want" ] && pass "job only: ok-alpha detected by job, ok-beta says why not" ||
    fail "job only: got '$got'"
"$bin" report -c "$tmp/jobs.yaml" --snapshot "$tmp/jobs.json" --format json \
    -o "$tmp/jobs.report.json" 2>/dev/null
if grep -q 'No data: language not detected (no go_info, python_info, nodejs_version_info, jvm_info, jvm_runtime_info for job=ok-beta)' \
    "$tmp/jobs.report.json" && ! grep -q 'source language has no profile' "$tmp/jobs.report.json"; then
    pass "job only: the language reason says detection found nothing, not 'no profile'"
else
    fail "job only: the report's language reason is not the detection's"
fi
cat >"$tmp/jobs-disc.yaml" <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$fault_port
discovery:
  query: verdict_discovery
  label: service
services:
  - name: ok-alpha
EOF
"$bin" fetch -c "$tmp/jobs-disc.yaml" --end 2026-11-01T00:00:00Z --range 1h --step 60s \
    -o "$tmp/jobs-disc.json" 2>"$tmp/jobs-disc.err"
if grep -q "discovery.query's series carry no label service (they carry: job)" \
    "$tmp/jobs-disc.json"; then
    pass "discovery by a label the answer lacks: says which labels it carried"
else
    fail "discovery by a missing label: $(grep -o '"discovery_error": "[^"]*"' "$tmp/jobs-disc.json")"
fi
fault_stop_one "$jobs_pid"

# instances measured from the targets up: ok-up-3 gives none in the file,
# so its count of up targets (p95 over the range: 3, the surge to 4 one
# point in 20 left out) is its instances; ok-up-5 gives 7, which stands;
# --set gives ok-up-4's
cat >"$tmp/up.yaml" <<EOF
version: 1
prometheus:
  url: $url
  timeout: 2s
services:
  - name: ok-up-3
  - name: ok-up-4
  - name: ok-up-5
    instances: 7
EOF
"$bin" report -c "$tmp/up.yaml" --format json --end 2026-11-01T00:00:00Z --range 1d \
    --step 60s --set 'services[ok-up-4].instances=9' -o "$tmp/up.json" 2>"$tmp/err"
rc=$?
got=$(python3 -c "
import json, sys
d = {s['name']: s for s in json.load(open(sys.argv[1]))['services']}
print(' '.join('%s=%g@%s' % (n, d[n]['inputs']['instances'], d[n]['origins']['instances'])
               for n in ('ok-up-3', 'ok-up-4', 'ok-up-5')))
" "$tmp/up.json" 2>&1)
want="ok-up-3=3@measured: count(up{service=\"ok-up-3\"} == 1) ok-up-4=9@--set ok-up-5=7@$tmp/up.yaml:10"
if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
    pass "instances: measured from the targets up unless the file or --set gives them"
else
    fail "instances measured: exit $rc, got '$got', want '$want' ($(head -1 "$tmp/err"))"
fi

echo "faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
