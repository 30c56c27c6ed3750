#!/bin/sh
# servers.sh: start and stop the real servers of the integration tests.
#
# Usage: servers.sh start-prometheus DIR
#        servers.sh start-victoria DIR
#        servers.sh stop DIR
# or, sourced (". tests/integration/servers.sh"), the functions
# start_prometheus DIR, start_victoria DIR, stop_servers DIR.
#
# DIR holds the fixtures (gen_fixtures.py writes them there when
# DIR/expected.json is missing) and everything the servers write: their
# data, logs, DIR/<server>.pid and DIR/<server>.url (http://127.0.0.1:PORT).
# Each server listens on 127.0.0.1 only, on a free port, with its own data
# directory; a system Prometheus on :9090, if any, is never used or touched.
# `stop` ends only the PIDs recorded in DIR, and only if they still run the
# binary that was started (a recycled PID is left alone).
set -u

SERVERS_HERE=$(cd "$(dirname "$0")" 2>/dev/null && pwd)
# When sourced, $0 is the caller: look for gen_fixtures.py next to it too.
[ -f "$SERVERS_HERE/gen_fixtures.py" ] || SERVERS_HERE=$(pwd)/tests/integration
: "${PROMETHEUS:=prometheus}"
: "${PROMTOOL:=promtool}"
: "${VICTORIA:=victoria-metrics}"
: "${SERVER_WAIT:=30}"            # seconds to wait for a server to be ready

srv_log() { echo "servers.sh: $*" >&2; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# pid_alive PID NAME: the process runs and is not a zombie.  The servers
# are this shell's own children, so their PIDs cannot be reused before we
# reap them; the command line is not checked, because right after `&` the
# child may not have exec'd NAME yet (checking it made a starting server
# look dead, and stop_one then waited forever on it).
pid_alive() {
    [ -n "$1" ] || return 1
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/stat" ]; then
        st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
        [ "$st" = Z ] && return 1
    fi
    return 0
}

ensure_fixtures() {
    [ -f "$1/expected.json" ] && return 0
    python3 "$SERVERS_HERE/gen_fixtures.py" "$1" || {
        srv_log "gen_fixtures.py failed"
        return 1
    }
}

# wait_http URL PID NAME: until URL answers 200, the process dies, or timeout.
wait_http() {
    i=0
    while [ "$i" -lt $((SERVER_WAIT * 5)) ]; do
        if ! pid_alive "$2" "$3"; then
            srv_log "$3 exited before it was ready"
            return 1
        fi
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null)
        [ "$code" = 200 ] && return 0
        sleep 0.2
        i=$((i + 1))
    done
    srv_log "$3 not ready at $1 after ${SERVER_WAIT}s"
    return 1
}

start_prometheus() {
    dir=$1
    ensure_fixtures "$dir" || return 1
    if ! command -v "$PROMETHEUS" >/dev/null || ! command -v "$PROMTOOL" >/dev/null; then
        srv_log "prometheus/promtool not found (Debian package: prometheus)"
        return 1
    fi
    if [ ! -d "$dir/data" ]; then
        rm -rf "$dir/data.tmp"
        mkdir -p "$dir/data.tmp"
        # one file per 2 h block; two at a time
        # shellcheck disable=SC2016  # expanded by the inner sh
        if ! find "$dir/om" -name '*.om' -print0 | xargs -0 -P 2 -n 1 sh -c \
            '"$0" tsdb create-blocks-from openmetrics -q "$2" "$1" >/dev/null' \
            "$PROMTOOL" "$dir/data.tmp" 2>"$dir/promtool.log"; then
            srv_log "promtool backfill failed:"
            tail -5 "$dir/promtool.log" >&2
            return 1
        fi
        mv "$dir/data.tmp" "$dir/data"
    fi
    printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$dir/prometheus.yml"
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        "$PROMETHEUS" --config.file="$dir/prometheus.yml" \
            --storage.tsdb.path="$dir/data" \
            --storage.tsdb.retention.time=100y \
            --web.listen-address="127.0.0.1:$port" \
            >"$dir/prometheus.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/prometheus.pid"
        if wait_http "http://127.0.0.1:$port/-/ready" "$pid" prometheus; then
            echo "http://127.0.0.1:$port" >"$dir/prometheus.url"
            return 0
        fi
        stop_one "$dir" prometheus
        # a port taken between free_port and bind, or a start starved of CPU:
        # try again on a new port, keeping the log of each attempt
        cp "$dir/prometheus.log" "$dir/prometheus.log.$attempt" 2>/dev/null
    done
    srv_log "prometheus did not start; last lines of its log:"
    tail -5 "$dir/prometheus.log" >&2
    return 1
}

# vm_instant URL QUERY TIME: the first value of an instant query (0 if none, -1 on error).
vm_instant() {
    curl -s --max-time 10 "$1/api/v1/query" --data-urlencode "query=$2" \
        --data-urlencode "time=$3" --data-urlencode nocache=1 |
        python3 -c 'import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
    print(r[0]["value"][1] if r else 0)
except Exception:
    print(-1)'
}

start_victoria() {
    dir=$1
    ensure_fixtures "$dir" || return 1
    command -v "$VICTORIA" >/dev/null || {
        srv_log "victoria-metrics not found (Debian package: victoria-metrics)"
        return 1
    }
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        "$VICTORIA" -storageDataPath="$dir/vm" -httpListenAddr="127.0.0.1:$port" \
            -retentionPeriod=100y >"$dir/victoria.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/victoria.pid"
        if wait_http "http://127.0.0.1:$port/health" "$pid" victoria-metrics; then
            break
        fi
        stop_one "$dir" victoria
        grep -q 'address already in use' "$dir/victoria.log" || attempt=3
        [ "$attempt" = 3 ] && {
            srv_log "victoria-metrics did not start; last lines of its log:"
            tail -5 "$dir/victoria.log" >&2
            return 1
        }
    done
    url="http://127.0.0.1:$port"
    code=$(curl -s -o "$dir/import.out" -w '%{http_code}' --max-time 120 \
        --data-binary @"$dir/fixtures.prom" "$url/api/v1/import/prometheus")
    if [ "$code" != 204 ]; then
        srv_log "import into victoria-metrics failed: HTTP $code $(head -c 300 "$dir/import.out")"
        return 1
    fi
    # VictoriaMetrics buffers recent rows: flush them, then poll until every
    # series and every memory sample is searchable.
    curl -s -o /dev/null --max-time 30 "$url/internal/force_flush"
    read -r want_series want_samples end_t <<EOF
$(python3 -c 'import json, sys; e = json.load(open(sys.argv[1]))
print(e["series_total"], e["samples_memory"], e["end"])' "$dir/expected.json")
EOF
    i=0
    while :; do
        n=$(vm_instant "$url" 'count({__name__=~".+"})' "$end_t")
        s=$(vm_instant "$url" 'sum(count_over_time(process_resident_memory_bytes[4d]))' "$end_t")
        [ "$n" = "$want_series" ] && [ "$s" = "$want_samples" ] && break
        i=$((i + 1))
        if [ "$i" -ge $((SERVER_WAIT * 2)) ]; then
            srv_log "victoria-metrics has $n series and $s memory samples, wanted $want_series and $want_samples"
            return 1
        fi
        sleep 0.5
        curl -s -o /dev/null --max-time 30 "$url/internal/force_flush"
    done
    # nothing cached from before the data was complete
    curl -s -o /dev/null --max-time 10 "$url/internal/resetRollupResultCache"
    echo "$url" >"$dir/victoria.url"
    return 0
}

# stop_one DIR NAME: TERM, wait up to 10 s, then KILL; only our own PID.
stop_one() {
    pf="$1/$2.pid"
    [ -f "$pf" ] || return 0
    pid=$(cat "$pf")
    case $2 in
    prometheus) srv_bin=prometheus ;;
    *) srv_bin=victoria-metrics ;;
    esac
    if pid_alive "$pid" "$srv_bin"; then
        kill -TERM "$pid" 2>/dev/null
        i=0
        while pid_alive "$pid" "$srv_bin" && [ "$i" -lt 50 ]; do
            sleep 0.2
            i=$((i + 1))
        done
        if pid_alive "$pid" "$srv_bin"; then
            srv_log "$2 (pid $pid) ignored TERM; killing"
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
    wait "$pid" 2>/dev/null    # reap it when it is our child
    rm -f "$pf" "$1/$2.url"
    return 0
}

stop_servers() {
    stop_one "$1" prometheus
    stop_one "$1" victoria
}

# it_binary NAME ARG, for a test script that sources this file: ARG, the
# verdict binary, made absolute in $bin; a usage message (no ARG, or an
# option) or "not an executable" exits 2.
it_binary() {
    case ${2:-} in
    "" | -*)
        echo "usage: $1 VERDICT_BINARY" >&2
        exit 2
        ;;
    esac
    bin=$2
    case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
    if [ ! -x "$bin" ]; then
        echo "$1: $bin is not an executable" >&2
        exit 2
    fi
}

# it_finish LABEL: "LABEL: N s" since $start, the counts, and exit 1 on
# any failure (0 otherwise).
# shellcheck disable=SC2154  # $start is the caller's
it_finish() {
    echo "$1: $(($(date +%s) - start)) s"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# it_begin NAME TAG, for a test script that sources this file: a temporary
# directory in $tmp (verdict-TAG.XXXXXX) whose servers are stopped by PID
# and which is removed (kept with KEEP=1) on every exit path, and the
# PASS/FAIL counters pass, fail, $passed and $failed.
it_begin() {
    it_name=$1
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/verdict-$2.XXXXXX") || exit 1
    trap it_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM HUP
    passed=0
    failed=0
}

# shellcheck disable=SC2317  # called by the trap
it_cleanup() {
    stop_servers "$tmp"
    if [ "${KEEP:-0}" = 1 ]; then
        echo "$it_name: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# Run as a command (not when sourced).
case ${0##*/} in
servers.sh)
    [ $# -eq 2 ] || {
        echo "usage: servers.sh start-prometheus|start-victoria|stop DIR" >&2
        exit 2
    }
    mkdir -p "$2" || exit 1
    d=$(cd "$2" && pwd)
    case $1 in
    start-prometheus) start_prometheus "$d" || { stop_one "$d" prometheus; exit 1; } ;;
    start-victoria) start_victoria "$d" || { stop_one "$d" victoria; exit 1; } ;;
    stop) stop_servers "$d" ;;
    *)
        echo "usage: servers.sh start-prometheus|start-victoria|stop DIR" >&2
        exit 2
        ;;
    esac
    ;;
esac
