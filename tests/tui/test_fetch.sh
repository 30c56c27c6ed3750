#!/bin/sh
# test_fetch.sh: fetching in the TUI never freezes it: progress line, keys answered, Esc cancels.
# Usage: tests/tui/test_fetch.sh ./verdict
# Runs against tests/fault_server.py on a free loopback port (delay-3000
# answers after 3 s, slow after 30 s).  Prints PASS/FAIL per case and
# "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-fetch-PID), never the user's.
set -u
tui_name=fetch
tui_tools="tmux python3"
. "$(dirname "$0")/lib.sh"
fault_dir="$root/tests"
. "$fault_dir/fault_server.sh"
cleanup_extra() { fault_stop; }

# Milliseconds since the epoch (date +%s%N is GNU; python3 is needed anyway).
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }

# The p99 column of a service's row, e.g. "69.2ms"; "-" when nothing is measured.
p99_of() { screen | awk -v s="$1" '$2 == s { print $7 }'; }

fault_start server --log "$tmp/requests.log"
port=$fault_port

cat >"$tmp/v.yaml" <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$port
  timeout: 60s
services:
  - name: ok-alpha
    language: python
    workload: cpu-bound
  - name: ok-beta
    language: java
  - name: ok-gamma
  - name: delay-3000
queries:
  gc_seconds: 'sum(rate(go_gc_duration_seconds_sum{service="\${service}"}[5m]))'
EOF

# --- the first fetch runs inside the event loop ----------------------------------
start -c "'$tmp/v.yaml'" --end 2026-11-01T00:00:00Z --range 1h
if wait_for "fetching " 30 && screen | grep -qF "Esc cancels"; then
    pass "the progress line shows while the first fetch runs"
else
    fail "no progress line during the first fetch"
    show
    if ! alive; then
        sed 's/^/    /' "$tmp/stderr"
        echo "$passed passed, $failed failed"
        exit 1
    fi
fi
keys '?'
if wait_for "help: Candidates" 10 && screen | grep -qF "fetching "; then
    pass "? opens the help while the fetch runs"
else
    fail "the screen did not answer ? during the fetch"
    show
fi
keys Space
if wait_for "fetched 4 services from http://127.0.0.1:$port" 60; then
    pass "the fetch completes and says so"
else
    fail "the first fetch did not complete"
    show
fi
if [ -n "$(p99_of ok-alpha)" ] && [ "$(p99_of ok-alpha)" != - ] &&
    [ "$(p99_of delay-3000)" != - ] && [ -n "$(p99_of ok-gamma)" ]; then
    pass "the table shows the services with their measurements"
else
    fail "measurements missing: ok-alpha '$(p99_of ok-alpha)' delay-3000 '$(p99_of delay-3000)'"
    show
fi
alpha=$(p99_of ok-alpha)

# --- r refetches, also without freezing ----------------------------------------------
keys r
if wait_for "fetching " 20 && screen | grep -qF "Esc cancels"; then
    pass "r shows the progress line again"
else
    fail "r: no progress line"
    show
fi
keys 3
if wait_gone "sorted by" 20 && screen | grep -qF "fetching "; then
    pass "switching screens during the refetch"
else
    fail "the screen did not switch during the refetch"
    show
fi
keys 1
if wait_for "fetched 4 services from" 60 && [ "$(p99_of ok-alpha)" = "$alpha" ]; then
    pass "the refetch completes (same data: $alpha)"
else
    fail "the refetch did not complete"
    show
fi

# --- Esc cancels a fetch that would take 30 s; the old data stays --------------------
# every service's GC query now names the service "slow", which answers
# after 30 s; the edit is in memory only (u undoes it below)
keys : "set queries.gc_seconds 'sum(go_gc{service=\"slow\"})'" Enter
if wait_for "[1 unsaved]" 20; then
    pass "a query that waits on the slow service"
else
    fail ":set queries.gc_seconds was refused"
    show
fi
keys r
if wait_for "fetching " 20; then
    sleep 0.5
    t0=$(now_ms)
    keys Escape
    wait_for "fetch cancelled" 20
    t1=$(now_ms)
    if screen | grep -qF "fetch cancelled; the previous measurements stay" &&
        [ $((t1 - t0)) -lt 1000 ] && ! screen | grep -qF "fetching "; then
        pass "Esc cancels the fetch in $((t1 - t0)) ms"
    else
        fail "Esc did not cancel within a second ($((t1 - t0)) ms)"
        show
    fi
else
    fail "r with a slow service: no progress line"
    show
fi
if grep -q '"service": "slow"' "$tmp/requests.log"; then
    pass "the cancelled fetch had asked for the slow service"
else
    fail "the slow service was never queried"
fi
if [ "$(p99_of ok-alpha)" = "$alpha" ] && [ "$(p99_of delay-3000)" != - ]; then
    pass "the old measurements stay ($alpha)"
else
    fail "measurements lost after the cancel: ok-alpha '$(p99_of ok-alpha)'"
    show
fi
keys u
if wait_for "undone" 20 && ! screen | grep -qF "unsaved]"; then
    pass "u undoes the query edit"
else
    fail "u did not undo the query edit"
    show
fi
keys q
if wait_for "EXIT=0" 30; then
    pass "q exits 0"
else
    fail "q did not exit 0: $(screen | grep EXIT=)"
    show
fi
if [ ! -s "$tmp/stderr" ]; then
    pass "nothing on standard error"
else
    fail "standard error: $(head -3 "$tmp/stderr")"
fi

# --- discovery: found services join the list, and stay through an edit ------------
cat >"$tmp/d.yaml" <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$port
discovery:
  query: verdict_discovery
economics:
  horizon_months: 24
services:
  - name: ok-alpha
    language: python
EOF
start -c "'$tmp/d.yaml'" --end 2026-11-01T00:00:00Z --range 1h
if wait_for "3 services" 100 && screen | grep -qF "ok-found-1" && screen | grep -qF "ok-found-2"; then
    pass "services found by discovery are listed after the fetch (3 services)"
else
    fail "discovered services missing from the list"
    show
fi
keys : "set economics.horizon_months 36" Enter
if wait_for "unsaved]" 30 && screen | grep -qF "ok-found-2" && wait_for "3 services" 10; then
    pass "an edit keeps the discovered services"
else
    fail "the discovered services vanished after an edit"
    show
fi
keys q
wait_for "quit anyway" 30 >/dev/null
keys y
wait_for "EXIT=0" 30 || fail "discovery session did not exit 0"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
