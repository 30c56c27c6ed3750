#!/bin/sh
# run-bad.sh: every bad input in tests/data/bad/ through the real binary: exact message, exit code.
# Usage: sh tests/run-bad.sh ./verdict        (from the repository root)
#
# The catalogue, one file (or file + .expect) per case:
#   NAME.yaml            verdict check-config NAME.yaml; first line
#                        "# expect: FILE:L:C: message", optional "# expect+: ..."
#                        lines for the following stderr lines; exit 2
#   snapshot_NAME.json   verdict score --demo --snapshot it; snapshot_NAME.expect
#                        holds "exit: N" and "stderr: ..." lines
#   response_NAME.*      a body served to verdict fetch by a small HTTP server
#                        (below); response_NAME.expect holds "request: range" (the
#                        service's range queries get it) or "request: discovery",
#                        optional "http-status: N" and "content-type: T", then
#                        "exit: N", "stderr: ..." lines and "error: MESSAGE", the
#                        error the snapshot records for the signal ("-": none)
#   cli_NAME.args        "# exit: N" and "# stderr: ..." lines, then one argument
#                        per line (an empty line is an empty argument)
# In expectations FILE is the case's path and @TMP@ this run's scratch
# directory.  stderr must match exactly, every line: a sanitizer report or
# a stray warning fails the case.
#
# Then the limits (verdict(1) and verdict.yaml(5), LIMITS), generated here
# and never committed (a 100 MB file among them): each must give its exact
# first line of stderr and exit code within MAX_S seconds and MAX_RSS_MB of
# peak memory; the measured figures are printed.  Under AddressSanitizer
# (detected in the binary) the bounds are wider: shadow memory and
# quarantine multiply both.
set -u
bin=${1:?usage: run-bad.sh ./verdict}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
root=$(pwd)
bad=tests/data/bad
tmp=$(mktemp -d)
passed=0
failed=0
pid=

if grep -qa __asan_init "$bin"; then
    asan=1
    MAX_S=${MAX_S:-60}
    MAX_RSS_MB=${MAX_RSS_MB:-1500}
else
    asan=0
    MAX_S=${MAX_S:-10}
    MAX_RSS_MB=${MAX_RSS_MB:-200}
fi

cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# Nothing from the user's environment may change the answers.
mkdir -p "$tmp/home" "$tmp/xdg"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" NO_COLOR=1 LC_ALL=C
unset VERDICT_PROMETHEUS_URL

# subst [FILE]: the expectation lines on stdin with FILE (when given) and
# @TMP@ filled in
subst() {
    if [ $# -gt 0 ]; then
        sed -e "s|FILE|$1|g" -e "s|@TMP@|$tmp|g"
    else
        sed -e "s|@TMP@|$tmp|g"
    fi
}

# check NAME WANT_RC: compare $tmp/rc and $tmp/err with WANT_RC and $tmp/want
check() {
    got=$(cat "$tmp/rc")
    if [ "$got" -eq "$2" ] && cmp -s "$tmp/err" "$tmp/want"; then
        pass "$1 (exit $got)"
        return 0
    fi
    fail "$1: exit $got, wanted $2"
    diff "$tmp/want" "$tmp/err" | head -8 | sed 's/^/    /'
    return 1
}

# run CMD...: run it with a time limit, stderr to $tmp/err, status to $tmp/rc
run() {
    timeout -k 5 "$MAX_S" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    echo $? >"$tmp/rc"
}

# field NAME FILE: the values of "NAME: value" lines (or "# NAME: value")
field() {
    sed -n -e "s/^$1: //p" -e "s/^# $1: //p" "$2"
}

# ---- assumptions files ----------------------------------------------------
n_yaml=0
for f in "$bad"/*.yaml; do
    n_yaml=$((n_yaml + 1))
    sed -n -e '1s/^# expect: //p' -e 's/^# expect+: //p' "$f" | subst "$f" >"$tmp/want"
    if [ ! -s "$tmp/want" ]; then
        fail "$f: no '# expect: ' first line"
        continue
    fi
    run "$bin" check-config "$f"
    check "$f" 2
done

# ---- snapshots ------------------------------------------------------------
n_snap=0
for f in "$bad"/snapshot_*.json; do
    n_snap=$((n_snap + 1))
    e=${f%.json}.expect
    if [ ! -f "$e" ]; then
        fail "$f: no $e"
        continue
    fi
    field stderr "$e" | subst "$f" >"$tmp/want"
    run "$bin" score --demo --snapshot "$f"
    check "$f" "$(field exit "$e")"
done

# ---- command lines ----------------------------------------------------------
n_cli=0
for f in "$bad"/cli_*.args; do
    n_cli=$((n_cli + 1))
    field stderr "$f" | subst >"$tmp/want"
    set --
    while IFS= read -r line; do
        case "$line" in
        "# "*) ;;
        *) set -- "$@" "$(printf '%s\n' "$line" | subst)" ;;
        esac
    done <"$f"
    run "$bin" "$@"
    check "$f" "$(field exit "$f")"
done

# ---- server responses -------------------------------------------------------
# A Prometheus look-alike that answers from files: a query naming
# service="NAME", job="NAME" or case="NAME" gets response_NAME.* from the first
# directory holding it; other range queries get two good samples, other
# instant queries an empty vector.
cat >"$tmp/serve.py" <<'EOF'
import os, re, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIRS = sys.argv[1:]
# job: the probe for the service label gets an empty vector, so the
# queries select by job (queries.service_label, issue 15)
CASE_RE = re.compile(r'(?:service|job|case)="([A-Za-z0-9_.-]*)"')
EMPTY = b'{"status":"success","data":{"resultType":"vector","result":[]}}'


def find(name):
    for d in DIRS:
        for ext in ("json", "html", "txt"):
            p = os.path.join(d, "response_%s.%s" % (name, ext))
            if os.path.exists(p):
                st, ctype = 200, "application/json"
                e = os.path.join(d, "response_%s.expect" % name)
                if os.path.exists(e):
                    with open(e, encoding="utf-8") as f:
                        for line in f:
                            if line.startswith("http-status:"):
                                st = int(line.split(":", 1)[1])
                            elif line.startswith("content-type:"):
                                ctype = line.split(":", 1)[1].strip()
                return p, st, ctype
    return None, 200, "application/json"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer(urllib.parse.urlsplit(self.path).query)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.answer(self.rfile.read(n).decode("utf-8", "replace"))

    def answer(self, q):
        form = dict(urllib.parse.parse_qsl(q))
        m = CASE_RE.search(form.get("query", ""))
        path, st, ctype = find(m.group(1)) if m else (None, 200, "application/json")
        if path is not None:
            size = os.path.getsize(path)
        elif "start" in form:
            body = ('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},'
                    '"values":[[%s,"1"],[%s,"1"]]}]}}' % (form["start"], form["end"])).encode()
            size = len(body)
        else:
            body = EMPTY
            size = len(body)
        try:
            self.send_response(st)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if path is None:
                self.wfile.write(body)
                return
            with open(path, "rb") as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


ThreadingHTTPServer.request_queue_size = 64   # 5 by default: a burst of 8 waits 1 s for SYN retries
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever(poll_interval=0.1)
EOF
mkdir -p "$tmp/gen"
python3 "$tmp/serve.py" "$root/$bad" "$tmp/gen" >"$tmp/port" 2>"$tmp/server.err" &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(head -1 "$tmp/port")
[ -n "$port" ] || { fail "the response server did not start"; cat "$tmp/server.err"; }

# config NAME REQUEST [CONCURRENCY]: an assumptions file that sends NAME's
# queries to the server
config() {
    if [ "$2" = discovery ]; then
        cat <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$port
  timeout: 20s
  concurrency: ${3:-8}
discovery:
  query: 'verdict_discovery{case="$1"}'
  label: service
services:
  - name: ok-inventory
EOF
    else
        cat <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$port
  timeout: 20s
  concurrency: ${3:-8}
services:
  - name: $1
EOF
    fi
}

# signal_error SNAPSHOT: what the snapshot records for cpu_cores of the
# first service ("-" for no error), then its sample count
signal_error() {
    python3 - "$1" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
    sig = d["services"][0]["signals"].get("cpu_cores") or {}
    print(sig.get("error") or "-")
except (OSError, ValueError, KeyError, IndexError) as e:
    print("(no snapshot: %s)" % e)
EOF
}

fetch_args="--end 2026-11-01T00:00:00Z --range 1h --step 60s"

# response_case NAME DIR: fetch with NAME's response, check exit, stderr, error
response_case() {
    e="$2/response_$1.expect"
    config "$1" "$(field request "$e")" >"$tmp/c.yaml"
    field stderr "$e" | subst >"$tmp/want"
    rm -f "$tmp/snap.json"
    # shellcheck disable=SC2086
    run "$bin" fetch -c "$tmp/c.yaml" $fetch_args -o "$tmp/snap.json"
    if check "response_$1" "$(field exit "$e")"; then
        want=$(field error "$e")
        got=$(signal_error "$tmp/snap.json")
        if [ "$got" = "$want" ]; then
            pass "response_$1: error '$got'"
        else
            fail "response_$1: error '$got', wanted '$want'"
        fi
    fi
}

n_resp=0
if [ -n "$port" ]; then
    for e in "$bad"/response_*.expect; do
        n_resp=$((n_resp + 1))
        name=${e##*/response_}
        response_case "${name%.expect}" "$bad"
    done
fi

total=$((n_yaml + n_snap + n_cli + n_resp))
echo "catalogue: $n_yaml assumptions files, $n_snap snapshots, $n_resp server responses," \
    "$n_cli command lines: $total cases"
[ "$total" -ge 40 ] && pass "at least 40 catalogue cases" || fail "only $total catalogue cases"

# ---- limits -----------------------------------------------------------------
# measure NAME WANT_RC WANT_FIRST_LINE CMD...: run CMD in $tmp/gen, check the
# exit code and first line of stderr, and the time and peak memory bounds
cat >"$tmp/measure.py" <<'EOF'
import resource, subprocess, sys, time
limit = float(sys.argv[1])
t0 = time.monotonic()
with open(sys.argv[2], "wb") as out, open(sys.argv[3], "wb") as err:
    try:
        rc = subprocess.run(sys.argv[4:], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                            timeout=limit).returncode
    except subprocess.TimeoutExpired:
        rc = 124
t = time.monotonic() - t0
print(rc, "%.2f" % t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
EOF
measure() {
    name=$1 want_rc=$2 want_line=$3
    shift 3
    set -- $(cd "$tmp/gen" && python3 "$tmp/measure.py" "$MAX_S" "$tmp/out" "$tmp/err" "$@")
    rc=$1 secs=$2 rss=$3
    line=$(head -n 1 "$tmp/err")
    what="$name: exit $rc, ${secs} s, ${rss} MB"
    if [ "$rc" -ne "$want_rc" ]; then
        fail "$what; wanted exit $want_rc"
        head -3 "$tmp/err" | cut -c1-200 | sed 's/^/    /'
    elif [ "$line" != "$want_line" ]; then
        fail "$what; stderr '$(echo "$line" | cut -c1-200)', wanted '$want_line'"
    elif [ "$rss" -gt "$MAX_RSS_MB" ]; then
        fail "$what; more than $MAX_RSS_MB MB"
    else
        pass "$what"
    fi
}

echo "limits: at most $MAX_S s and $MAX_RSS_MB MB each$( [ $asan -eq 1 ] && echo ' (AddressSanitizer)')"
python3 - "$tmp/gen" "$root/data/demo/snapshot.json" <<'EOF'
import json, os, sys
os.chdir(sys.argv[1])
demo_text = open(sys.argv[2], encoding="utf-8").read()
demo = json.loads(demo_text)

def w(name, data):
    with open(name, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

MB = 1000 * 1000
# -- assumptions files
laughs = ['version: 1', 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
for i in range(1, 10):
    laughs.append("lol%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
w("laughs.yaml", "\n".join(laughs) + "\n")
w("flow_10k.yaml", "version: 1\nservices: " + "[" * 10000 + "]" * 10000 + "\n")
w("flowmap_10k.yaml", "version: 1\nservices: " + "{a: " * 10000 + "1" + "}" * 10000 + "\n")
w("blockseq_10k.yaml", "version: 1\nservices:\n" + "- " * 10000 + "x\n")
w("blockmap_5k.yaml", "version: 1\n" + "".join(" " * i + "a:\n" for i in range(5000)))
w("blockmap_10k.yaml", "version: 1\n" + "".join(" " * i + "a:\n" for i in range(10000)))
line = b"#" + b" padding" * 12 + b"\n"
w("comment_100mb.yaml", b"version: 1\n" + line * (100 * MB // len(line)) + b"services:\n  - name: api\n")
w("name_1mb.yaml", "version: 1\nservices:\n  - name: " + "n" * (1 << 20) + "\n")
w("comment_1mb.yaml", "version: 1\n#" + "c" * (1 << 20) + "\nservices:\n  - name: api\n")
w("key_1mb.yaml", "version: 1\n" + "k" * (1 << 20) + ": 1\n")
def services(n, full):
    out = ["version: 1", "services:"]
    for i in range(n):
        out.append("  - name: svc-%06d" % i)
        if full:
            out += ["    language: python", "    workload: cpu-bound", "    instances: 4"]
    return "\n".join(out) + "\n"
w("services_10k.yaml", services(10000, True))
w("services_100k.yaml", services(100000, True))
w("services_100k_names.yaml", services(100000, False))
w("flow_1m.yaml", "version: 1\nx: [" + ",".join(["1"] * 1000000) + "]\n")

# -- snapshots
w("snap_deep_100k.json", "[" * 100000 + "]" * 100000)
head = demo_text[:demo_text.index('"services"')]
w("snap_deep_services.json", head + '"services": [' + "[" * 2000 + "]" * 2000 + "]}")
with open("snap_pad_100mb.json", "wb") as f:
    f.write(demo_text.encode())
    f.write(b" " * (100 * MB))
# 940 services with full charts, about 100 MB: the demo's, renamed, with
# the five required signals (the optional mean latency, which the demo has
# since issue 14, would make it 120 MB)
texts = [(s["name"], json.dumps(dict(s, signals={k: v for k, v in s["signals"].items()
                                                 if k != "mean_latency_seconds"})))
         for s in demo["services"]]
parts = []
for i in range(940):
    name, text = texts[i % len(texts)]
    if i >= len(texts):
        text = text.replace('"name": "%s"' % name, '"name": "%s-%04d"' % (name, i), 1)
    parts.append(text)
w("snap_940_services.json", head + '"services": [' + ",\n".join(parts) + "]}")
with open("snap_300mb.json", "wb") as f:
    f.truncate(300 << 20)           # sparse: no disk, no time
w("snap_name_1mb.json", head + '"services": [{"name": "' + "n" * (1 << 20) + '", "signals": {}}]}')
def svc(name):
    return '{"name": "%s", "signals": {}}' % name
w("snap_100k_services.json", head + '"services": [' + ",".join(svc("s%06d" % i) for i in range(100000)) + "]}")
w("snap_10k_services.json", head + '"services": [' + ",".join(svc("s%06d" % i) for i in range(10000)) + "]}")
w("snap_10m_numbers.json", head + '"services": [{"name": "a", "signals": {"cpu_cores": '
  '{"stats": {}, "chart": {"t0": 0, "dt": 60, "min": [' + ",".join(["1"] * 10000000) + ']}}}}]}')

# -- server responses (served from this directory)
T0 = 1793487600
def matrix(values):
    return ('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[%s]}]}}'
            % values)
# two million samples 1.8 ms apart (the hour of the test's range), 58 MB
w("response_samples_2m.json", matrix(",".join(
    '[%d.%04d,"0.%07d"]' % (T0 + i * 18 // 10000, i * 18 % 10000, i) for i in range(2000000))))
# past the 64 MiB a response may be: what follows the limit is never read
w("response_huge_100mb.json", matrix('[%d,"1"],' % T0 * (100 * MB // 17) + '[%d,"1"]' % T0))
w("response_deep_100k.json", '{"status":"success","data":{"resultType":"matrix","result":['
  + "[" * 100000 + "]" * 100000 + "]}}")
w("response_series_300k.json", '{"status":"success","data":{"resultType":"vector","result":['
  + ",".join('{"metric":{"service":"s%d"},"value":[%d,"1"]}' % (i, T0) for i in range(300000))
  + "]}}")
EOF
[ $? -eq 0 ] || fail "generating the limit cases"

v="$bin"
measure "alias bomb (billion laughs)" 2 "laughs.yaml:2:1: lol0: unknown key" "$v" check-config laughs.yaml
measure "flow nesting 10,000 deep" 2 "flow_10k.yaml:2:74: nesting is deeper than 64 levels" \
    "$v" check-config flow_10k.yaml
measure "flow map nesting 10,000 deep" 2 \
    "flowmap_10k.yaml:2:263: nesting is deeper than 64 levels" "$v" check-config flowmap_10k.yaml
measure "block sequence nesting 10,000 deep" 2 \
    "blockseq_10k.yaml:3:127: nesting is deeper than 64 levels" "$v" check-config blockseq_10k.yaml
measure "block map nesting 5,000 deep (12 MB)" 2 \
    "blockmap_5k.yaml:66:65: nesting is deeper than 64 levels" "$v" check-config blockmap_5k.yaml
measure "block map nesting 10,000 deep (50 MB)" 2 \
    "blockmap_10k.yaml:1:1: larger than 16 MiB (50025011 bytes)" "$v" check-config blockmap_10k.yaml
measure "100 MB assumptions file" 2 "comment_100mb.yaml:1:1: larger than 16 MiB (100000019 bytes)" \
    "$v" check-config comment_100mb.yaml
measure "endless stream (/dev/zero) as the assumptions file" 2 "/dev/zero:1:1: larger than 16 MiB" \
    "$v" check-config /dev/zero
measure "1 MiB service name" 2 \
    "name_1mb.yaml:3:11: services[nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn].name: longer than 65536 bytes" \
    "$v" check-config name_1mb.yaml
measure "1 MiB comment" 0 "" "$v" check-config comment_1mb.yaml
measure "1 MiB key" 2 \
    "key_1mb.yaml:2:1048577: syntax error: could not find expected ':' (while scanning a simple key: a key may be at most 1024 characters)" \
    "$v" check-config key_1mb.yaml
measure "10,000 services" 0 "" "$v" check-config services_10k.yaml
measure "100,000 services" 2 "services_100k.yaml:233017:15: too many values (more than 524288)" \
    "$v" check-config services_100k.yaml
measure "100,000 services, names only" 2 \
    "services_100k_names.yaml:10003:5: services: more than 10000 services" \
    "$v" check-config services_100k_names.yaml
measure "1,000,000 values in one list" 2 "flow_1m.yaml:2:1048571: too many values (more than 524288)" \
    "$v" check-config flow_1m.yaml

measure "snapshot nested 100,000 deep" 2 \
    "verdict: snap_deep_100k.json: line 1, column 33: nested deeper than 32 levels" \
    "$v" score --demo --snapshot snap_deep_100k.json
measure "snapshot nested 2,000 deep in services" 2 \
    "verdict: snap_deep_services.json: line 7, column 46: nested deeper than 32 levels" \
    "$v" score --demo --snapshot snap_deep_services.json
measure "100 MB snapshot (padded demo)" 0 "" "$v" score --demo --snapshot snap_pad_100mb.json
measure "snapshot of 940 services" 0 "" "$v" score --demo --snapshot snap_940_services.json
measure "300 MiB snapshot" 2 \
    "verdict: snap_300mb.json: larger than 256 MiB, the most a snapshot may be" \
    "$v" score --demo --snapshot snap_300mb.json
measure "1 MiB string in a snapshot" 2 \
    "verdict: snap_name_1mb.json: line 7, column 25: a string longer than 65536 bytes" \
    "$v" score --demo --snapshot snap_name_1mb.json
measure "snapshot of 100,000 services" 2 \
    "verdict: snap_100k_services.json: services: 100000 services, more than 10000" \
    "$v" score --demo --snapshot snap_100k_services.json
measure "snapshot of 10,000 services" 3 \
    "verdict: some services have no or partial data; the report says which" \
    "$v" score --demo --snapshot snap_10k_services.json
measure "10,000,000 numbers in one chart" 2 \
    "verdict: snap_10m_numbers.json: services[0]: more than 65536 values (a service holds at most 5 signals of 1024-bucket charts)" \
    "$v" score --demo --snapshot snap_10m_numbers.json

if [ -n "$port" ]; then
    # One request at a time: bodies are buffered whole while they arrive,
    # so fetching holds up to concurrency x max_response_size (prom.c);
    # what is measured here is the decoding.
    for name in samples_2m huge_100mb deep_100k; do
        config "$name" range 1 >"$tmp/gen/$name.yaml"
    done
    config series_300k discovery >"$tmp/gen/series_300k.yaml"
    # shellcheck disable=SC2086
    measure "response of 2,000,000 samples (50 MB)" 0 "" \
        "$v" fetch -c samples_2m.yaml $fetch_args -o samples_2m.json
    # shellcheck disable=SC2086
    measure "100 MB response" 3 \
        "verdict: some queries failed or returned no data; the snapshot says which" \
        "$v" fetch -c huge_100mb.yaml $fetch_args -o huge_100mb.json
    got=$(signal_error "$tmp/gen/huge_100mb.json")
    want="response larger than the limit of 67108864 bytes (64.0 MiB)"
    [ "$got" = "$want" ] && pass "100 MB response: $got" || fail "100 MB response: '$got'"
    # shellcheck disable=SC2086
    measure "response nested 100,000 deep" 3 \
        "verdict: some queries failed or returned no data; the snapshot says which" \
        "$v" fetch -c deep_100k.yaml $fetch_args -o deep_100k.json
    got=$(signal_error "$tmp/gen/deep_100k.json")
    [ "$got" = "JSON nested deeper than 64 levels" ] && pass "response nested 100,000 deep: $got" ||
        fail "response nested 100,000 deep: '$got'"
    # shellcheck disable=SC2086
    measure "discovery answer of 300,000 series" 3 \
        "verdict: warning: discovery failed, going on with the inventory alone: more than 262144 JSON values besides the samples: too large to decode (aggregate the query, e.g. with sum by)" \
        "$v" fetch -c series_300k.yaml $fetch_args -o series_300k.json
fi

echo "bad: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
