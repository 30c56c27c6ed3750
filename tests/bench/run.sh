#!/bin/sh
# run.sh: make bench: verdict fetch vs curl, xargs and Python on a real Prometheus; model, TUI.
#
# Usage: tests/bench/run.sh VERDICT [OBJDIR]        (make bench; OBJDIR holds
#        libverdict_app.a and libverdict_models.a, default build)
# Environment:
#   SERVICES=1000       services in the synthetic fleet
#   REPS=2              repetitions of every measurement (each about 3.5 min
#                       with SERVICES=1000 on 2 cores; the backfill, once,
#                       about 3 min)
#   TUI_SERVICES=10000  services in the TUI's generated inventory
#   DRAWS=10000         Monte Carlo draws per service (model, reports, TUI)
#   BENCH_DIR=OBJDIR/bench   work directory (the backfilled TSDB is cached
#                       there, keyed on SERVICES and gen_fleet.c)
#   KEEP=1              keep this run's files (logs, snapshots, configs)
#
# What it does, all on this machine, at the same time:
#  1. gen_fleet.c writes 24 h at 15 s of a latency histogram (12 buckets),
#     CPU and memory for every service as OpenMetrics; promtool backfills
#     them into a TSDB (two blocks, in parallel); cached for the next run.
#  2. A real Prometheus starts on 127.0.0.1 on a free port over that TSDB.
#  3. `verdict fetch` is pointed once at a stand-in server (bench.py record)
#     that keeps the bodies it POSTs: the exact queries (every service x 5
#     signals, step 60 s), which the baselines then send.
#  4. In alternation (the order rotates each repetition), REPS times:
#       verdict fetch -o snapshot       (its concurrency: prometheus.concurrency)
#       curl -Z --parallel-max N -K     one process, reused connections,
#                                       responses to /dev/null: the floor
#       xargs -P N curl                 a process per request
#       lead_fetch.py                   sequential urllib + json
#     each under GNU time (wall, CPU, peak RSS), with the server's CPU read
#     from /proc/PID/stat before and after, and the rest of the machine's.
#  5. Prometheus stops; bench_model.c times the model (score, cost, Monte
#     Carlo, tornado) and the HTML writer alone; `verdict score` and
#     `verdict report --format html` are timed end to end.
#  6. The TUI, in a tmux session of its own, on TUI_SERVICES services
#     (gen_fleet.c's inventory, the fetched series reused), with
#     VERDICT_TUI_TIMING=1: first frame, then 20 keypresses (j) redrawn.
#  7. bench.py prints one table: medians, spreads, ratios and the targets.
# Prometheus, the stand-in server and tmux are stopped by PID (or socket)
# on every exit path, interrupt included.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:?usage: run.sh VERDICT [OBJDIR]}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
objdir=${2:-build}
case "$objdir" in /*) ;; *) objdir="$(pwd)/$objdir" ;; esac
: "${SERVICES:=1000}" "${REPS:=2}" "${TUI_SERVICES:=10000}" "${DRAWS:=10000}"
: "${BENCH_DIR:=$objdir/bench}" "${CC:=cc}" "${PKG_CONFIG:=pkg-config}"
TUI_BUCKETS=64      # chart buckets in the TUI's snapshot (see bench.py tui-snapshot)
TUI_KEYS=20

log() { echo "bench: $*" >&2; }
die() {
    log "$*"
    exit 1
}

[ -x "$bin" ] || die "$bin is not an executable"
case "$SERVICES$REPS$TUI_SERVICES$DRAWS" in
*[!0-9]*) die "SERVICES, REPS, TUI_SERVICES and DRAWS must be numbers" ;;
esac
if [ "$REPS" -lt 1 ] || [ "$SERVICES" -lt 1 ]; then
    die "SERVICES and REPS must be at least 1"
fi
for tool in prometheus promtool curl python3 tmux xargs "$CC" "$PKG_CONFIG"; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool not found (Debian: prometheus curl python3 tmux findutils build-essential)"
done
/usr/bin/time -f %e true >/dev/null 2>&1 || die "/usr/bin/time is not GNU time (Debian: time)"
if [ ! -f "$objdir/libverdict_app.a" ] || [ ! -f "$objdir/libverdict_models.a" ]; then
    die "$objdir/libverdict_app.a or libverdict_models.a missing: run it with make bench"
fi

# Our server helpers: free_port, pid_alive, wait_http, stop_one.
# shellcheck source=tests/integration/servers.sh
. "$root/tests/integration/servers.sh"

mkdir -p "$BENCH_DIR" || exit 1
run=$(mktemp -d "$BENCH_DIR/run.XXXXXX") || exit 1
results=$run/results
tmux_sock="verdict-bench-$$"
recorder=""
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    [ -n "$recorder" ] && kill "$recorder" 2>/dev/null && wait "$recorder" 2>/dev/null
    stop_one "$run" prometheus
    tmux -L "$tmux_sock" kill-server >/dev/null 2>&1
    if [ "${KEEP:-0}" = 1 ]; then
        log "kept $run"
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

clk=$(getconf CLK_TCK)
cpus=$(getconf _NPROCESSORS_ONLN)
info() { echo "info.$1 $2" >>"$results"; }
put() { echo "$1 $2" >>"$results"; }

# --- tools -------------------------------------------------------------------
warn="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wmissing-prototypes \
-Wstrict-prototypes -Wwrite-strings"
mkdir -p "$BENCH_DIR/bin"
# shellcheck disable=SC2086  # word splitting of flag lists is wanted
$CC -O2 $warn -D_POSIX_C_SOURCE=200809L -o "$BENCH_DIR/bin/gen_fleet" "$here/gen_fleet.c" -lm ||
    die "cannot build gen_fleet"
pkgs="ncursesw libcurl libcjson yaml-0.1"
# shellcheck disable=SC2046,SC2086
$CC -O2 $warn -D_POSIX_C_SOURCE=200809L -I"$root/include" -I"$objdir/gen" \
    $($PKG_CONFIG --cflags $pkgs) -o "$BENCH_DIR/bin/bench_model" "$here/bench_model.c" \
    "$objdir/libverdict_app.a" "$objdir/libverdict_models.a" $($PKG_CONFIG --libs $pkgs) -lm ||
    die "cannot build bench_model"

# --- the fleet, backfilled once ----------------------------------------------
key=$(cksum <"$here/gen_fleet.c" | cut -d' ' -f1)
fleet=$BENCH_DIR/fleet-$SERVICES-$key
if [ ! -f "$fleet/tsdb/.complete" ]; then
    t0=$(date +%s)
    # a fleet of this size made by an older gen_fleet.c is of no more use
    rm -rf "$BENCH_DIR/fleet-$SERVICES-"*
    mkdir -p "$fleet.tmp/tsdb" || exit 1
    log "generating $SERVICES services x 24 h at 15 s" \
        "(OpenMetrics, about $((SERVICES * 75 / 10)) MB)"
    "$BENCH_DIR/bin/gen_fleet" "$SERVICES" "$fleet.tmp" >"$fleet.tmp/gen.txt" ||
        die "gen_fleet failed"
    log "backfilling with promtool:" \
        "$(find "$fleet.tmp/om" -name '*.om' | wc -l) blocks in parallel"
    # shellcheck disable=SC2016  # expanded by the inner sh
    find "$fleet.tmp/om" -name '*.om' -print0 | xargs -0 -P "$cpus" -n 1 sh -c \
        'promtool tsdb create-blocks-from openmetrics -q --max-block-duration=18h "$2" "$1" \
             >/dev/null && rm -f "$2"' sh "$fleet.tmp/tsdb" 2>"$fleet.tmp/promtool.log" ||
        die "promtool failed: $(tail -3 "$fleet.tmp/promtool.log")"
    rm -rf "$fleet.tmp/om"
    touch "$fleet.tmp/tsdb/.complete"
    mv "$fleet.tmp" "$fleet" || exit 1
    log "fleet ready in $(($(date +%s) - t0)) s ($(du -sm "$fleet/tsdb" | cut -f1) MB of TSDB)"
fi
yaml=$fleet/fleet.yaml
read -r gen_line <"$fleet/gen.txt"
end=$(echo "$gen_line" | sed -n 's/.*end=\([0-9]*\).*/\1/p')
conc=$(sed -n 's/^  concurrency: *\([0-9]*\).*/\1/p' "$yaml")
if [ -z "$end" ] || [ -z "$conc" ]; then
    die "cannot read end/concurrency from $fleet"
fi

# --- the exact queries ---------------------------------------------------------
mkdir -p "$run/rec"
python3 "$here/bench.py" record "$run/rec" &
recorder=$!
i=0
while [ ! -f "$run/rec/record.port" ] && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ -f "$run/rec/record.port" ] || die "the stand-in server did not start"
"$bin" fetch -q -c "$yaml" --prometheus "http://127.0.0.1:$(cat "$run/rec/record.port")" \
    --end "$end" --range 24h --step 60s -o "$run/rec/snap.json" 2>"$run/rec/verdict.err"
kill "$recorder" 2>/dev/null
wait "$recorder" 2>/dev/null
recorder=""
bodies=$run/rec/bodies.txt
nq=$(wc -l <"$bodies")
[ "$(sort -u "$run/rec/paths.txt")" = /api/v1/query_range ] ||
    die "verdict sent more than range queries: $(sort -u "$run/rec/paths.txt" | tr '\n' ' ')"
[ "$nq" -eq $((SERVICES * 5)) ] || log "warning: $nq queries, expected $((SERVICES * 5))"

# --- Prometheus ----------------------------------------------------------------
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$run/prometheus.yml"
port=$(free_port) || exit 1
prometheus --config.file="$run/prometheus.yml" --storage.tsdb.path="$fleet/tsdb" \
    --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
    >"$run/prometheus.log" 2>&1 &
ppid_=$!
echo "$ppid_" >"$run/prometheus.pid"
wait_http "http://127.0.0.1:$port/-/ready" "$ppid_" prometheus ||
    die "prometheus did not start: $(tail -3 "$run/prometheus.log")"
prom_url="http://127.0.0.1:$port"
url="$prom_url/api/v1/query_range"

server_ticks() { awk '{ print $14 + $15 }' "/proc/$ppid_/stat"; }
# busy ticks of the whole machine: user nice system irq softirq (no idle,
# iowait or steal)
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# until the server idles (a just-opened TSDB may still be busy)
i=0
while [ "$i" -lt 30 ]; do
    a=$(server_ticks)
    sleep 1
    [ $(($(server_ticks) - a)) -lt $((clk / 20)) ] && break
    i=$((i + 1))
done

# "fail": an HTTP error status makes curl exit 22, so a run that got
# errors instead of data cannot pass for a fast one
python3 "$here/bench.py" curlcfg "$url" "$bodies" "$run/curl.cfg" fail >/dev/null || exit 1
head -n $((conc * 25)) "$bodies" >"$run/warmup.txt"
python3 "$here/bench.py" curlcfg "$url" "$run/warmup.txt" "$run/warmup.cfg" fail >/dev/null ||
    exit 1

info services "$SERVICES"
info queries "$nq"
info concurrency "$conc"
info range 24h
info step 60
info points 1441
info reps "$REPS"
info cpus "$cpus"
info draws "$DRAWS"
info tui_services "$TUI_SERVICES"
info server "Prometheus $(prometheus --version 2>&1 | head -1 | awk '{ print $3 }')"
info tsdb "$(du -sm "$fleet/tsdb" | cut -f1) MB TSDB"

# run_fetch NAME CMD...: one measured run; figures to $results.
run_fetch() {
    name=$1
    shift
    s0=$(server_ticks)
    m0=$(machine_ticks)
    /usr/bin/time -f '%e %U %S %M' -o "$run/time.$name" "$@" >"$run/$name.out" 2>"$run/$name.err"
    rc=$?
    s1=$(server_ticks)
    m1=$(machine_ticks)
    if [ "$rc" -ne 0 ]; then
        log "$name failed (exit $rc): $(tail -2 "$run/$name.err")"
        return 1
    fi
    read -r wall user sys rss <<EOF
$(tail -1 "$run/time.$name")
EOF
    put "fetch.$name.wall" "$wall"
    put "fetch.$name.cpu" "$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')"
    put "fetch.$name.rss_kb" "$rss"
    put "fetch.$name.server_cpu" "$(echo "$s0 $s1 $clk" | awk '{ printf "%.2f", ($2 - $1) / $3 }')"
    put "fetch.other_cpu" "$(echo "$m0 $m1 $s0 $s1 $clk $user $sys" |
        awk '{ o = ($2 - $1 - ($4 - $3)) / $5 - $6 - $7; printf "%.2f", o < 0 ? 0 : o }')"
    log "  $name: $wall s wall, $user+$sys s CPU, server $(((s1 - s0) / clk)) s CPU"
}

fetch_verdict() {
    run_fetch verdict "$bin" fetch -q -c "$yaml" --prometheus "$prom_url" --end "$end" \
        --range 24h --step 60s -o "$run/snap.json"
}
fetch_curl() {
    run_fetch curl curl --no-progress-meter --parallel --parallel-immediate \
        --parallel-max "$conc" -K "$run/curl.cfg"
}
fetch_xargs() {
    run_fetch xargs xargs -d '\n' -P "$conc" -n 1 -a "$bodies" curl -s -S --fail \
        -o /dev/null "$url" --data-raw
}
fetch_python() {
    run_fetch python python3 "$here/lead_fetch.py" "$url" "$bodies"
}

# warm up, unmeasured: the TSDB's files into the page cache, then the
# server on the first queries
log "warm-up"
cat "$fleet"/tsdb/*/index "$fleet"/tsdb/*/chunks/* >/dev/null
curl --no-progress-meter --parallel --parallel-immediate --parallel-max "$conc" \
    -K "$run/warmup.cfg" >/dev/null 2>"$run/warmup.err" ||
    die "the warm-up queries failed: $(tail -2 "$run/warmup.err")"

methods="verdict curl xargs python"
r=1
while [ "$r" -le "$REPS" ]; do
    log "fetch, repetition $r of $REPS: $methods"
    for m in $methods; do
        "fetch_$m" || die "the $m fetch failed"
    done
    methods="${methods#* } ${methods%% *}"     # rotate: each goes first once
    r=$((r + 1))
done
snap_services=$(python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["services"]))' "$run/snap.json")
[ "$snap_services" -eq "$SERVICES" ] || die "the snapshot has $snap_services services"
info snapshot_mb "$(du -m "$run/snap.json" | cut -f1)"
stop_one "$run" prometheus

# --- model and reports ---------------------------------------------------------
log "model and reports: $SERVICES services, $DRAWS draws"
"$BENCH_DIR/bin/bench_model" "$yaml" "$run/snap.json" "$DRAWS" "$REPS" >"$run/model.out" ||
    die "bench_model failed"
awk '{ split($1, k, "_"); print "model." k[1] ".wall", $2; print "model." k[1] ".cpu", $3 }' \
    "$run/model.out" >>"$results"

run_e2e() {
    name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$run/time.$name" "$@" >/dev/null 2>"$run/$name.err"
    rc=$?
    [ "$rc" -eq 0 ] || die "$name failed (exit $rc): $(tail -2 "$run/$name.err")"
    read -r wall user sys rss <<EOF
$(tail -1 "$run/time.$name")
EOF
    put "e2e.$name.wall" "$wall"
    put "e2e.$name.cpu" "$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')"
    put "e2e.$name.rss_kb" "$rss"
}
r=1
while [ "$r" -le "$REPS" ]; do
    run_e2e score "$bin" score -c "$yaml" --snapshot "$run/snap.json" --draws "$DRAWS"
    run_e2e html "$bin" report -c "$yaml" --snapshot "$run/snap.json" --draws "$DRAWS" \
        --format html -o "$run/report.html"
    r=$((r + 1))
done

# --- the TUI -------------------------------------------------------------------
log "TUI: $TUI_SERVICES services"
mkdir -p "$run/tui"
"$BENCH_DIR/bin/gen_fleet" "$TUI_SERVICES" "$run/tui" --yaml >/dev/null || die "gen_fleet failed"
python3 "$here/bench.py" tui-snapshot "$run/snap.json" "$run/tui/fleet.yaml" "$TUI_BUCKETS" \
    "$run/tui/snap.json" || die "bench.py tui-snapshot failed"
T="tmux -L $tmux_sock -f /dev/null"
screen() { $T capture-pane -p -t bench 2>/dev/null; }
# wait_for TEXT SECONDS
wait_for() {
    n=$(($2 * 10))
    while [ "$n" -gt 0 ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}
r=1
while [ "$r" -le "$REPS" ]; do
    $T kill-session -t bench >/dev/null 2>&1
    $T new-session -d -s bench -x 120 -y 40 \
        "env -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL= PS1='bench\$ ' sh" ||
        die "tmux failed"
    wait_for 'bench$' 10 || die "no shell in tmux"
    $T send-keys -t bench "VERDICT_TUI_TIMING=1 '$bin' -c '$run/tui/fleet.yaml' \
--snapshot '$run/tui/snap.json' --draws $DRAWS 2>'$run/tui/stderr'; echo EXIT=\$?" Enter
    wait_for "services, sorted by rank" 600 || die "the TUI showed no table: $(screen | tail -3)"
    k=0
    while [ "$k" -lt "$TUI_KEYS" ]; do
        $T send-keys -t bench j
        sleep 0.15
        k=$((k + 1))
    done
    # the keys came while the charts were read and the Monte Carlo refined;
    # wait for the final figures before quitting, to time them too
    n=6000
    while [ "$n" -gt 0 ] && screen | grep -qE "figures provisional|reading the snapshot"; do
        sleep 0.1
        n=$((n - 1))
    done
    $T send-keys -t bench q
    wait_for "EXIT=" 30 || die "the TUI did not quit"
    # "verdict: first frame after X ms (Y ms of it before ...)" and
    # "verdict: every chart read after X ms, the figures final after Y ms",
    # "verdict: N keys redrawn in A ms on average, M ms at most, ..."
    awk '/^verdict: first frame after/ { print "tui.first_ms", $5; sub(/^\(/, "", $7)
                                         print "tui.setup_ms", $7 }
         /^verdict: every chart read after/ { print "tui.charts_ms", $6
                                              print "tui.final_ms", $12 }
         /^verdict: [0-9]+ keys redrawn in/ { print "tui.key_avg_ms", $6
                                              print "tui.key_max_ms", $10 }' \
        "$run/tui/stderr" >>"$results"
    r=$((r + 1))
done

python3 "$here/bench.py" table "$results"
