#!/bin/sh
# run.sh: verdict against a real monitored stack on 127.0.0.1 (issue 15,
# "Tests on real parts").
#
# Usage: run.sh VERDICT_BINARY [BUILD_DIR]      (make check-stack)
#
# Starts, on 127.0.0.1 and free ports, each process recorded by PID:
#   shop-py    2 x Python  (/usr/bin/python3, Debian python3-prometheus-client)
#   api-node   1 x Node.js (npm prom-client, installed into BUILD_DIR/stack/node)
#   ledger-go  2 x Go      (Debian golang-github-prometheus-client-golang-dev,
#                           built in GOPATH mode from /usr/share/gocode, no network)
#   node       1 x prometheus-node-exporter (Debian)
#   prometheus 1 x the Debian prometheus, scraping all of the above and
#                  itself every 1 s, labelled by `job` (and `instance`) only.
# Each test service answers GET /work with a known amount of CPU work
# (svc_python.py, svc_node.js, svc_go.go) and records it in
# http_request_duration_seconds; each exports its runtime's default
# process and info metrics.  load.py then drives every test process at
# RATE requests a second for LOAD_SECONDS (bounded in count and time)
# while it reads /proc/PID/stat of all seven processes.  Then:
#   stack    (check.py stack) the stack is what it should be: every target
#            up, count(up) per job, no `service` label anywhere, the info
#            metrics, every request answered, and the histograms count
#            the requests load.py had answered over the range;
#   part 1   verdict-job.yaml (templates written with job="${service}",
#            discovery by job): verdict check-config, fetch --dry-run, and
#            report --format json (exit 3: node_exporter and Prometheus,
#            found by discovery, have no such histogram); check.py verdict
#            compares every job's p99, p50, CPU, memory, request rate and
#            mean latency with the same PromQL run directly (within 5 %),
#            the CPU with /proc/PID/stat (within 3 %), the memory with
#            /proc/PID/statm, every language detected, the instances;
#   part 2   verdict-label.yaml (`queries: {service_label: job}` and the
#            built-in templates): the same checks but /proc's CPU (the
#            built-in 5m rate window reaches back before the load).  While
#            check-config rejects queries.service_label this part is
#            SKIPPED with a message (the key is being added; remove the
#            skip once it is in).
# A missing package is a FAIL that names it (make check-deps installs the
# Debian ones), never a silent skip.  Prints PASS/FAIL/SKIP lines and
# "N passed, N failed, N skipped"; exits 1 on any failure.  Every step has
# a time limit; every process is stopped by PID on every exit path; KEEP=1
# keeps the temporary directory (logs, configs, load.json, reports).
# LOAD_SECONDS (default 75, 40 to 240) and RATE (default 50 per process,
# so 250 requests a second in all) set the load; the range verdict judges
# is LOAD_SECONDS - 30 seconds, ending 3 s before the load does.  About
# 85-90 s in all on 2 cores (the Go build and npm install add about 10 s
# to the first run; both are kept in BUILD_DIR/stack).
set -u

here=$(cd "$(dirname "$0")" && pwd)
case ${1:-} in
"" | -*)
    echo "usage: run.sh VERDICT_BINARY [BUILD_DIR]" >&2
    exit 2
    ;;
esac
bin=$1
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
if [ ! -x "$bin" ]; then
    echo "run.sh: $bin is not an executable" >&2
    exit 2
fi
build=${2:-build}
mkdir -p "$build/stack" || exit 1
build=$(cd "$build/stack" && pwd)

: "${LOAD_SECONDS:=75}"
: "${RATE:=50}"
: "${SERVER_WAIT:=20}"
PY=/usr/bin/python3                 # Debian's, where python3-prometheus-client is
GO=/usr/bin/go                      # Debian's golang-go
GOCODE=/usr/share/gocode
: "${NODE_EXPORTER:=prometheus-node-exporter}"
: "${PROMETHEUS:=prometheus}"
# work per request: about 2 ms of CPU in each runtime (the loop is the same)
WORK_PY=50000
WORK_NODE=2000000
WORK_GO=2000000
case $LOAD_SECONDS in '' | *[!0-9]*) LOAD_SECONDS=0 ;; esac
if [ "$LOAD_SECONDS" -lt 40 ] || [ "$LOAD_SECONDS" -gt 240 ]; then
    echo "run.sh: LOAD_SECONDS must be a whole number from 40 to 240" >&2
    exit 2
fi
RANGE=$((LOAD_SECONDS - 30))        # the range verdict judges, ending 3 s before the load does
STEP=1

# free_port, pid_alive, wait_http
# shellcheck source=../integration/servers.sh source-path=SCRIPTDIR
. "$here/../integration/servers.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/verdict-stack.XXXXXX") || exit 1
: >"$tmp/pids"
: >"$tmp/stack.tsv"

# stop_all: TERM every PID this script started, wait up to 5 s, then KILL;
# only our own children, by PID.
# shellcheck disable=SC2317  # called by the trap
stop_all() {
    while read -r name pid; do
        pid_alive "$pid" "$name" && kill -TERM "$pid" 2>/dev/null
    done <"$tmp/pids"
    while read -r name pid; do
        i=0
        while pid_alive "$pid" "$name" && [ "$i" -lt 25 ]; do
            sleep 0.2
            i=$((i + 1))
        done
        if pid_alive "$pid" "$name"; then
            echo "run.sh: $name (pid $pid) ignored TERM; killing" >&2
            kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
    done <"$tmp/pids"
    : >"$tmp/pids"
}
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    stop_all
    if [ "${KEEP:-0}" = 1 ]; then
        echo "run.sh: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

passed=0
failed=0
skipped=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
skip() { echo "SKIP: $1"; skipped=$((skipped + 1)); }
finish() {
    echo "stack: $(($(date +%s) - start)) s"
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit $?
}

# checks ARGS...: run check.py, show its lines, count its PASS and FAIL.
checks() {
    timeout 120 "$PY" "$here/check.py" "$@" >"$tmp/check.out" 2>&1
    cat "$tmp/check.out"
    p=$(grep -c '^PASS: ' "$tmp/check.out")
    f=$(grep -c '^FAIL: ' "$tmp/check.out")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        fail "check.py $1 $2 printed no result"
    fi
}

start=$(date +%s)

# ---------------------------------------------------------------- the parts
missing=""
need() { missing="$missing
    $1"; }
[ -x "$PY" ] || need "$PY (Debian python3)"
if [ -x "$PY" ] && ! "$PY" -c 'import prometheus_client' 2>/dev/null; then
    need "python3-prometheus-client (Debian) for $PY"
fi
[ -x "$GO" ] || need "golang-go (Debian): $GO"
[ -d "$GOCODE/src/github.com/prometheus/client_golang/prometheus/promhttp" ] ||
    need "golang-github-prometheus-client-golang-dev (Debian): $GOCODE/src/github.com/prometheus/client_golang"
command -v "$NODE_EXPORTER" >/dev/null || need "prometheus-node-exporter (Debian)"
command -v "$PROMETHEUS" >/dev/null || need "prometheus (Debian)"
command -v node >/dev/null || need "node (Node.js, installed outside Debian: not on PATH)"
command -v npm >/dev/null || need "npm (installed with Node.js, outside Debian: not on PATH)"
command -v curl >/dev/null || need "curl (Debian)"
if [ -n "$missing" ]; then
    fail "the real stack cannot run: missing$missing
    (make check-deps installs the Debian packages: sh tests/install-deps.sh check)"
    finish
fi
pass "the parts are here: $($PY -c 'import prometheus_client, sys; print("python", sys.version.split()[0])'), \
$($GO version | awk '{print $3}'), node $(node --version), npm $(npm --version), \
node_exporter $($NODE_EXPORTER --version 2>&1 | head -1 | awk '{print $3}'), \
prometheus $($PROMETHEUS --version 2>&1 | head -1 | awk '{print $3}')"

# npm prom-client into BUILD_DIR/stack/node, once (kept for the next run)
nodedir="$build/node"
if [ ! -f "$nodedir/node_modules/prom-client/package.json" ]; then
    mkdir -p "$nodedir"
    if timeout 180 npm install --no-save --prefix "$nodedir" --no-audit --no-fund \
        --prefer-offline --loglevel=error --fetch-timeout=30000 --fetch-retries=1 prom-client \
        >"$tmp/npm.log" 2>&1 </dev/null; then
        :
    else
        sed 's/^/    /' "$tmp/npm.log" | tail -5
        fail "npm could not install prom-client into $nodedir (the npm registry is \
unreachable or refused; offline, install it once with network access: npm install \
--no-save --prefix $nodedir prom-client)"
        finish
    fi
fi
pclient=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$nodedir/node_modules/prom-client/package.json" | head -1)
pass "npm prom-client $pclient in $nodedir"

# the Go service, built from Debian's client_golang: GOPATH mode, no
# modules, no proxy, no network; the build cache beside the binary
gobin="$build/svc-go"
if [ ! -x "$gobin" ] || [ -n "$(find "$here/svc_go.go" -newer "$gobin")" ]; then
    if ! env GO111MODULE=off GOPATH="$GOCODE" GOFLAGS= GOPROXY=off GOTOOLCHAIN=local \
        GOCACHE="$build/gocache" CGO_ENABLED=0 timeout 180 "$GO" build -o "$gobin.tmp" \
        "$here/svc_go.go" >"$tmp/go.log" 2>&1 </dev/null; then
        sed 's/^/    /' "$tmp/go.log" | tail -8
        fail "go build of svc_go.go against $GOCODE (golang-github-prometheus-client-golang-dev)"
        finish
    fi
    mv "$gobin.tmp" "$gobin"
fi
pass "svc-go built with Debian's client_golang $(dpkg-query -W -f='${Version}' \
golang-github-prometheus-client-golang-dev 2>/dev/null)"

# --------------------------------------------------------------- the stack
# launch NAME PORT CMD...: start CMD in the background, record its PID.
launch() {
    name=$1 port=$2
    shift 2
    "$@" >"$tmp/$name.$port.log" 2>&1 </dev/null &
    pid=$!
    echo "$name $pid" >>"$tmp/pids"
}

# service JOB LANGUAGE CMD...: CMD with @PORT@ replaced by a free port, up
# to 3 tries (a port taken between free_port and bind); waits for
# /metrics; records "JOB LANGUAGE PID PORT" in stack.tsv.
service() {
    job=$1 lang=$2
    shift 2
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        cmd=""
        for a in "$@"; do
            case $a in *@PORT@*) a="${a%%@PORT@*}$port${a#*@PORT@}" ;; esac
            cmd="$cmd '$a'"
        done
        eval "launch $job $port $cmd"
        if wait_http "http://127.0.0.1:$port/metrics" "$pid" "$job"; then
            echo "$job $lang $pid $port" >>"$tmp/stack.tsv"
            return 0
        fi
        tail -3 "$tmp/$job.$port.log" >&2
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        [ "$attempt" = 3 ] && return 1
    done
}

ok=1
service shop-py python "$PY" "$here/svc_python.py" @PORT@ "$WORK_PY" || ok=0
service shop-py python "$PY" "$here/svc_python.py" @PORT@ "$WORK_PY" || ok=0
service api-node node env NODE_PATH="$nodedir/node_modules" node "$here/svc_node.js" \
    @PORT@ "$WORK_NODE" || ok=0
service ledger-go go "$gobin" @PORT@ "$WORK_GO" || ok=0
service ledger-go go "$gobin" @PORT@ "$WORK_GO" || ok=0
service node go "$NODE_EXPORTER" --web.listen-address=127.0.0.1:@PORT@ || ok=0
if [ "$ok" = 0 ]; then
    fail "a test service did not start (logs: $tmp/*.log, KEEP=1 keeps them)"
    finish
fi

# Prometheus: the targets by job, itself included; 1 s scrape interval
pport=$(free_port)
{
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n'
    printf 'scrape_configs:\n'
    for job in shop-py api-node ledger-go node; do
        printf '  - job_name: %s\n    static_configs:\n      - targets: [' "$job"
        awk -v j="$job" '$1 == j { printf "%s\"127.0.0.1:%s\"", (n++ ? ", " : ""), $4 }' \
            "$tmp/stack.tsv"
        printf ']\n'
    done
    printf '  - job_name: prometheus\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' \
        "$pport"
} >"$tmp/prometheus.yml"
launch prometheus "$pport" "$PROMETHEUS" --config.file="$tmp/prometheus.yml" \
    --storage.tsdb.path="$tmp/prom-data" --storage.tsdb.retention.time=1d \
    --web.listen-address="127.0.0.1:$pport"
if ! wait_http "http://127.0.0.1:$pport/-/ready" "$pid" prometheus; then
    tail -5 "$tmp/prometheus.$pport.log"
    fail "prometheus did not start on 127.0.0.1:$pport"
    finish
fi
echo "prometheus go $pid $pport" >>"$tmp/stack.tsv"
url="http://127.0.0.1:$pport"
n_targets=$(wc -l <"$tmp/stack.tsv")

# every target scraped at least once
i=0
while :; do
    up=$(curl -s --max-time 5 "$url/api/v1/query" --data-urlencode 'query=sum(up)' |
        "$PY" -c 'import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
    print(int(float(r[0]["value"][1])) if r else 0)
except Exception:
    print(0)')
    [ "$up" = "$n_targets" ] && break
    i=$((i + 1))
    if [ "$i" -ge $((SERVER_WAIT * 2)) ]; then
        fail "prometheus: $up of $n_targets targets up after ${SERVER_WAIT}s (config: $tmp/prometheus.yml)"
        finish
    fi
    sleep 0.5
done
pass "prometheus at $url scrapes $n_targets targets by job every 1 s: $(awk '{print $1}' \
"$tmp/stack.tsv" | uniq -c | awk '{printf "%s%s x%s", (n++ ? ", " : ""), $2, $1}')"

# ---------------------------------------------------------------- the load
targets=$(awk '$1 != "node" && $1 != "prometheus" { printf "127.0.0.1:%s ", $4 }' "$tmp/stack.tsv")
pids=$(awk '{ printf "%s ", $3 }' "$tmp/stack.tsv")
# shellcheck disable=SC2086  # word lists on purpose
if ! timeout $((LOAD_SECONDS + 30)) "$PY" "$here/load.py" "$tmp/load.json" "$LOAD_SECONDS" \
    "$RATE" $targets -- $pids; then
    fail "load.py"
    finish
fi
end=$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(int(d["start"]) + int(d["seconds"]) - 3)' "$tmp/load.json")
echo "# range: ${RANGE}s up to $end (load from $("$PY" -c 'import json, sys
print("%.1f" % json.load(open(sys.argv[1]))["start"])' "$tmp/load.json")), step ${STEP}s"

checks stack "$url" "$end" "$RANGE" "$tmp/stack.tsv" "$tmp/load.json"

# run_verdict WANTS NAME OUT -- ARGS...: verdict's stdout to OUT; WANTS is
# the exit code or codes ("0 3") accepted.
run_verdict() {
    wants=$1 name=$2 out=$3
    shift 4
    NO_COLOR=1 timeout 60 "$bin" "$@" >"$out" 2>"$out.err" </dev/null
    got=$?
    case " $wants " in
    *" $got "*) pass "$name (exit $got)" ;;
    *)
        fail "$name: exit $got, wanted $wants"
        sed 's/^/    /' "$out.err" | head -8
        ;;
    esac
    return 0
}

# part PART CONFIG REPORT_EXITS: check-config, the dry run, the report, the checks.
part() {
    p=$1 cfg=$2 report_exits=$3
    tag=$(echo "$p" | tr -d ' ')
    win="--prometheus $url --end $end --range ${RANGE}s --step ${STEP}s"
    # shellcheck disable=SC2086
    run_verdict 0 "$p: verdict fetch --dry-run -c ${cfg##*/}" "$tmp/$tag.dry" -- \
        fetch -c "$cfg" $win --dry-run
    # shellcheck disable=SC2086
    run_verdict "$report_exits" "$p: verdict report -c ${cfg##*/} --format json" "$tmp/$tag.json" -- \
        report -c "$cfg" $win --format json
    if [ -s "$tmp/$tag.json" ] && [ -s "$tmp/$tag.dry" ]; then
        checks verdict "$p" "$url" "$end" "$RANGE" "$STEP" "$tmp/stack.tsv" \
            "$tmp/load.json" "$tmp/$tag.json" "$tmp/$tag.dry"
    else
        fail "$p: verdict wrote no report or no dry run"
    fi
}

# part 1: templates written with job="${service}", discovery by job
run_verdict 0 "part 1: verdict check-config verdict-job.yaml" "$tmp/part1.cc" -- \
    check-config "$here/verdict-job.yaml"
part "part 1" "$here/verdict-job.yaml" 3

# part 2: queries.service_label: job and the built-in templates
run_verdict 0 "part 2: verdict check-config verdict-label.yaml" "$tmp/part2.cc" -- \
    check-config "$here/verdict-label.yaml"
part "part 2" "$here/verdict-label.yaml" "0 3"

finish
