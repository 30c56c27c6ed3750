#!/bin/sh
# run.sh: make bench: verdict fetch vs curl, xargs and Python on a real Prometheus; model, TUI.
#
# Usage: tests/bench/run.sh VERDICT [OBJDIR]        (make bench; OBJDIR holds
#        libverdict_app.a and libverdict_models.a, default build)
# Environment:
#   SERVICES=1000       services in the synthetic fleet
#   SMALL=120           a second fetch case: the fleet's first SMALL
#                       services (same TSDB); 0 leaves it out
#   FETCH_REPS=5        verdict/curl pairs at each size (about 1 min per
#                       pair at 1,000 services, 3 s at 120)
#   BEFORE=             another verdict binary (an older build) measured in
#                       the same rounds, for a before/after on a noisy machine
#   SLOW="xargs python" the slower baselines, at the full size only; ""
#                       leaves them out (about 1.7 min per repetition)
#   REPS=2              repetitions of the slow baselines, the model, the
#                       reports and the TUI (the backfill, once, about 3 min)
#   BENCH_ONLY=         fetch, model and/or tui (comma-separated): only those
#                       parts; model and tui fetch one snapshot unmeasured
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
#  4. At SMALL and at SERVICES services, FETCH_REPS pairs (who goes first
#     alternates):
#       verdict fetch -o snapshot       (its concurrency: prometheus.concurrency)
#       curl -Z --parallel-max N -K     one process, reused connections,
#                                       responses to /dev/null: the floor
#     then at SERVICES, REPS times in alternation (the order rotates):
#       xargs -P N curl                 a process per request
#       lead_fetch.py                   sequential urllib + json
#     each under GNU time (wall, client CPU user+sys, peak RSS), with the
#     server's CPU read from /proc/PID/stat before and after, and the rest
#     of the machine's.
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
: "${SMALL:=120}" "${FETCH_REPS:=5}" "${SLOW=xargs python}" "${BENCH_ONLY:=}"
: "${BENCH_DIR:=$objdir/bench}" "${CC:=cc}" "${PKG_CONFIG:=pkg-config}"
TUI_BUCKETS=64      # chart buckets in the TUI's snapshot (see bench.py tui-snapshot)
TUI_KEYS=20

log() { echo "bench: $*" >&2; }
die() {
    log "$*"
    exit 1
}

[ -x "$bin" ] || die "$bin is not an executable"
[ -z "${BEFORE:-}" ] || [ -x "$BEFORE" ] || die "BEFORE=$BEFORE is not an executable"
case "$SERVICES$REPS$TUI_SERVICES$DRAWS$SMALL$FETCH_REPS" in
*[!0-9]*) die "SERVICES, REPS, TUI_SERVICES, DRAWS, SMALL and FETCH_REPS must be numbers" ;;
esac
if [ "$REPS" -lt 1 ] || [ "$SERVICES" -lt 1 ] || [ "$FETCH_REPS" -lt 1 ]; then
    die "SERVICES, REPS and FETCH_REPS must be at least 1"
fi
for m in $SLOW; do
    case "$m" in xargs | python) ;; *) die "SLOW: xargs and/or python, not $m" ;; esac
done
for p in $(echo "$BENCH_ONLY" | tr , ' '); do
    case "$p" in fetch | model | tui) ;; *) die "BENCH_ONLY: fetch, model, tui, not $p" ;; esac
done
# only PART: the part is to run (BENCH_ONLY empty: every part)
only() {
    [ -z "$BENCH_ONLY" ] && return 0
    case ",$BENCH_ONLY," in *",$1,"*) return 0 ;; esac
    return 1
}
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
# record_queries NAME YAML: verdict's bodies for that inventory, once, from
# the stand-in server, to $run/rec-NAME/bodies.txt.
record_queries() {
    rdir=$run/rec-$1
    mkdir -p "$rdir"
    python3 "$here/bench.py" record "$rdir" &
    recorder=$!
    i=0
    while [ ! -f "$rdir/record.port" ] && [ "$i" -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -f "$rdir/record.port" ] || die "the stand-in server did not start"
    "$bin" fetch -q -c "$2" --prometheus "http://127.0.0.1:$(cat "$rdir/record.port")" \
        --end "$end" --range 24h --step 60s -o "$rdir/snap.json" 2>"$rdir/verdict.err"
    kill "$recorder" 2>/dev/null
    wait "$recorder" 2>/dev/null
    recorder=""
    # besides the range queries, the instant ones (the service-label and
    # profile probes, the bucket queries, language detection): curl -Z
    # replays them all, each to its path (bench.py curlcfg); xargs and the
    # sequential python replay the range queries only (range-bodies.txt)
    paste -d ' ' "$rdir/paths.txt" "$rdir/bodies.txt" |
        awk '$1 == "/api/v1/query_range" { sub(/^[^ ]* /, ""); print }' >"$rdir/range-bodies.txt"
    log "  $1 services: $(wc -l <"$rdir/bodies.txt") requests, $(wc -l <"$rdir/range-bodies.txt") of them range queries"
}

# The fetch cases: the fleet's first SMALL services (the same TSDB; the
# names and figures are gen_fleet.c's, by index), then all of them.
sizes=$SERVICES
if [ "$SMALL" -gt 0 ] && [ "$SMALL" -lt "$SERVICES" ]; then
    sizes="$SMALL $SERVICES"
    mkdir -p "$run/fleet-$SMALL"
    "$BENCH_DIR/bin/gen_fleet" "$SMALL" "$run/fleet-$SMALL" --yaml >/dev/null ||
        die "gen_fleet failed"
fi
yaml_of() {
    if [ "$1" = "$SERVICES" ]; then echo "$yaml"; else echo "$run/fleet-$1/fleet.yaml"; fi
}
for n in $sizes; do
    record_queries "$n" "$(yaml_of "$n")"
    nq=$(wc -l <"$run/rec-$n/range-bodies.txt")
    [ "$nq" -ge $((n * 5)) ] || log "warning: $nq range queries for $n services, expected $((n * 5)) or more"
done
bodies=$run/rec-$SERVICES/bodies.txt
nq=$(wc -l <"$bodies")

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
for n in $sizes; do
    python3 "$here/bench.py" curlcfg "$prom_url" "$run/rec-$n/bodies.txt" "$run/curl-$n.cfg" fail \
        >/dev/null || exit 1
done
head -n $((conc * 25)) "$run/rec-$SERVICES/range-bodies.txt" >"$run/warmup.txt"
python3 "$here/bench.py" curlcfg "$prom_url" "$run/warmup.txt" "$run/warmup.cfg" fail >/dev/null ||
    exit 1

info services "$SERVICES"
info sizes "$(echo "$sizes" | tr " " ,)"
info queries "$nq"
info concurrency "$conc"
info range 24h
info step 60
info points 1441
info reps "$REPS"
info fetch_reps "$FETCH_REPS"
info only "${BENCH_ONLY:-all}"
info cpus "$cpus"
info draws "$DRAWS"
info tui_services "$TUI_SERVICES"
info server "Prometheus $(prometheus --version 2>&1 | head -1 | awk '{ print $3 }')"
info tsdb "$(du -sm "$fleet/tsdb" | cut -f1) MB TSDB"

# run_fetch N NAME CMD...: one measured run at N services; figures to
# $results as fetch.N.NAME.*, the client's CPU (user + sys) from GNU time.
run_fetch() {
    n=$1
    name=$2
    shift 2
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
    read -r wall user sys rss <<EOT
$(tail -1 "$run/time.$name")
EOT
    put "fetch.$n.$name.wall" "$wall"
    put "fetch.$n.$name.cpu" "$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }')"
    put "fetch.$n.$name.rss_kb" "$rss"
    put "fetch.$n.$name.server_cpu" "$(echo "$s0 $s1 $clk" |
        awk '{ printf "%.2f", ($2 - $1) / $3 }')"
    put "fetch.$n.other_cpu" "$(echo "$m0 $m1 $s0 $s1 $clk $user $sys" |
        awk '{ o = ($2 - $1 - ($4 - $3)) / $5 - $6 - $7; printf "%.2f", o < 0 ? 0 : o }')"
    log "  $n $name: $wall s wall, $user+$sys s CPU, server $(((s1 - s0) / clk)) s CPU"
}

fetch_verdict() {
    run_fetch "$1" verdict "$bin" fetch -q -c "$(yaml_of "$1")" --prometheus "$prom_url" \
        --end "$end" --range 24h --step 60s -o "$run/snap-$1.json"
}
fetch_before() {
    run_fetch "$1" before "$BEFORE" fetch -q -c "$(yaml_of "$1")" --prometheus "$prom_url" \
        --end "$end" --range 24h --step 60s -o "$run/snap-before-$1.json"
}
fetch_curl() {
    run_fetch "$1" curl curl --no-progress-meter --parallel --parallel-immediate \
        --parallel-max "$conc" -K "$run/curl-$1.cfg"
}
fetch_xargs() {
    run_fetch "$1" xargs xargs -d '\n' -P "$conc" -n 1 -a "$run/rec-$1/range-bodies.txt" curl -s -S \
        --fail -o /dev/null "$url" --data-raw
}
fetch_python() {
    run_fetch "$1" python python3 "$here/lead_fetch.py" "$url" "$run/rec-$1/range-bodies.txt"
}

# warm up, unmeasured: the TSDB's files into the page cache, then the
# server on the first queries
log "warm-up"
cat "$fleet"/tsdb/*/index "$fleet"/tsdb/*/chunks/* >/dev/null
curl --no-progress-meter --parallel --parallel-immediate --parallel-max "$conc" \
    -K "$run/warmup.cfg" >/dev/null 2>"$run/warmup.err" ||
    die "the warm-up queries failed: $(tail -2 "$run/warmup.err")"

snap=$run/snap-$SERVICES.json
if only fetch; then
    # verdict against its floor, in pairs (who goes first alternates), at
    # every size; then the slow baselines, at the full size only
    for n in $sizes; do
        r=1
        while [ "$r" -le "$FETCH_REPS" ]; do
            log "fetch, $n services, pair $r of $FETCH_REPS"
            if [ $((r % 2)) -eq 1 ]; then
                pair="verdict curl${BEFORE:+ before}"
            else
                pair="${BEFORE:+before }curl verdict"
            fi
            for m in $pair; do
                "fetch_$m" "$n" || die "the $m fetch failed"
            done
            r=$((r + 1))
        done
    done
    methods=$SLOW
    r=1
    while [ -n "$methods" ] && [ "$r" -le "$REPS" ]; do
        log "slow baselines, repetition $r of $REPS: $methods"
        for m in $methods; do
            "fetch_$m" "$SERVICES" || die "the $m fetch failed"
        done
        methods="${methods#* } ${methods%% *}"     # rotate: each goes first once
        methods=${methods# }
        r=$((r + 1))
    done
else
    # the model and the TUI read a snapshot: one fetch, unmeasured
    "$bin" fetch -q -c "$yaml" --prometheus "$prom_url" --end "$end" --range 24h --step 60s \
        -o "$snap" 2>"$run/verdict.err" || die "verdict fetch failed: $(tail -2 "$run/verdict.err")"
fi
snap_services=$(python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["services"]))' "$snap")
[ "$snap_services" -eq "$SERVICES" ] || die "the snapshot has $snap_services services"
info snapshot_mb "$(du -m "$snap" | cut -f1)"
stop_one "$run" prometheus
# --- model and reports ---------------------------------------------------------
if only model; then
    log "model and reports: $SERVICES services, $DRAWS draws"
    "$BENCH_DIR/bin/bench_model" "$yaml" "$snap" "$DRAWS" "$REPS" >"$run/model.out" ||
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
        run_e2e score "$bin" score -c "$yaml" --snapshot "$snap" --draws "$DRAWS"
        run_e2e html "$bin" report -c "$yaml" --snapshot "$snap" --draws "$DRAWS" \
            --format html -o "$run/report.html"
        r=$((r + 1))
    done
fi

# --- the TUI -------------------------------------------------------------------
if only tui; then
    log "TUI: $TUI_SERVICES services"
    mkdir -p "$run/tui"
    "$BENCH_DIR/bin/gen_fleet" "$TUI_SERVICES" "$run/tui" --yaml >/dev/null || die "gen_fleet failed"
    python3 "$here/bench.py" tui-snapshot "$snap" "$run/tui/fleet.yaml" "$TUI_BUCKETS" \
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
        # the last session's end stops the server: a new-session right
        # after it can reach the server as it exits ("server exited
        # unexpectedly"), so the server is stopped, and the start retried
        $T kill-server >/dev/null 2>&1
        i=0
        until $T new-session -d -s bench -x 120 -y 40 \
            "env -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL= PS1='bench\$ ' sh" 2>/dev/null; do
            i=$((i + 1))
            [ "$i" -lt 10 ] || die "tmux failed"
            sleep 0.3
        done
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
fi

python3 "$here/bench.py" table "$results"
