#!/bin/sh
# test_detail.sh: drive the Detail screen in tmux: charts, checklist ticks, n/p, --ascii, 80x24.
# Usage: tests/tui/test_detail.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-detail-PID), never the user's.
# What the checklist should say is worked out from `verdict score --format csv`.
set -u
tui_name=detail
tui_tools="tmux"
. "$(dirname "$0")/lib.sh"
sess=vd0
fail_hook() { screen | sed 's/^/    | /'; }

# The service name in the Detail header (first word of the screen's second line).
shown() { screen | sed -n 2p | awk '{ print $1 }'; }

# start COLSxROWS ARGS...: run verdict in a fresh session of that size.
start() {
    size=$1
    shift
    open_shell "$size" || return 1
    run_verdict "$@"
    wait_for "services, sorted by rank"
}

# open NAME: show one service in the Detail screen with :service.
open_service() {
    keys : "service $1" Enter
    wait_for "$1 #" 30
}

csv="$tmp/score.csv"
"$bin" score --demo --format csv >"$csv"
field() {   # field SERVICE COLUMN: one value of the CSV, quotes removed
    awk -F, -v s="\"$1\"" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
        $2 == s { v = $col[c]; gsub(/"/, "", v); print v }' "$csv"
}
first=$(awk -F, 'NR == 2 { gsub(/"/, "", $2); print $2 }' "$csv")
second=$(awk -F, 'NR == 3 { gsub(/"/, "", $2); print $2 }' "$csv")
braille=$(printf '\342[\240\241\242\243]')
date_re='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}'

# --- charts, Unicode ------------------------------------------------------------
start 100x30 --demo
keys Enter
if wait_for "MEASURED over the range" && [ "$(shown)" = "$first" ]; then
    pass "Enter opens the first candidate ($first) in the Detail screen"
else
    fail "Enter did not open $first in the Detail screen"
fi
if screen | grep -q "p99 latency  med .* p95 " && screen | grep -q "p50 latency  med " &&
    screen | grep -q "CPU cores  med .*max" && screen | grep -q "memory  med "; then
    pass "p99, p50, CPU and memory charts have titles with median, p95 (and max)"
else
    fail "chart titles missing"
fi
if [ "$(screen | LC_ALL=C grep -c "$braille")" -ge 8 ]; then
    pass "the charts are drawn in braille"
else
    fail "no braille chart rows"
fi
if screen | grep -Eq "^ *[0-9.]+(us|ms|s)$(printf '\342\224\202')" &&
    screen | grep -Eq "$(printf '\342\224\224')$date_re .*$date_re UTC"; then
    pass "the y-scale is labelled and the time axis shows the range's start and end"
else
    fail "no y-scale label or time axis"
fi

# --- checklist -----------------------------------------------------------------
keys c
if wait_for "CHECKLIST (seeds 000, 001)" 30 && screen | grep -q "Migrate when" &&
    screen | grep -q "Don't migrate when"; then
    pass "c jumps to the checklist with both sides"
else
    fail "c did not show the checklist"
fi

share=$(field user-profile runtime_share)
# as the checklist prints it (models/checklist.c, pct): one decimal below 10 %
pct=$(awk -v s="$share" 'BEGIN { p = s * 100; d = p - int(p + 0.5); if (d < 0) d = -d
    if (p < 10 && d >= 0.05) printf "%.1f%%", p; else printf "%.0f%%", p }')
want=$(awk -v s="$share" 'BEGIN { print (s < 0.5) ? "\342\234\227" : "\342\234\223" }')
open_service user-profile
keys c
if wait_for "CHECKLIST" 30 &&
    screen | grep -q "$want The runtime itself, not I/O.*runtime share $pct"; then
    pass "user-profile (runtime share $share): runtime item $want, evidence 'runtime share $pct'"
else
    fail "user-profile: runtime item not '$want' with 'runtime share $pct'"
fi

if field payments-core flags | grep -q team_new_critical; then
    open_service payments-core
    keys c
    if wait_for "CHECKLIST" 30 && screen | grep -q "team experience: none" &&
        screen | grep -q "$(printf '\342\234\223') The team has not worked in Rust yet"; then
        pass "payments-core (team_new_critical): team item ticked as a reason to stay"
    else
        fail "payments-core: team item not ticked"
    fi
else
    fail "payments-core has no team_new_critical flag in the CSV: the demo changed"
fi
if screen | grep -q "? A big rewrite is due anyway"; then
    pass "the already-rewriting item is unknown (?)"
else
    fail "already-rewriting item not shown as unknown"
fi

# --- n / p ---------------------------------------------------------------------
open_service "$first"
keys n
sleep 0.3
if wait_for "$second #" 30 && [ "$(shown)" = "$second" ]; then
    pass "n moves to the next service in rank order ($second)"
else
    fail "n showed '$(shown)', wanted '$second'"
fi
keys p
if wait_for "$first #" 30 && [ "$(shown)" = "$first" ]; then
    pass "p moves back ($first)"
else
    fail "p showed '$(shown)', wanted '$first'"
fi

# --- wide: charts two abreast --------------------------------------------------
$T resize-window -t "$sess" -x 200 -y 60 >/dev/null 2>&1
sleep 0.5
if screen | grep -q "p99 latency .*p50 latency" && screen | grep -q "CHECKLIST" &&
    screen | grep -q "max 253"; then
    pass "200x60: charts side by side, the checklist on the first page"
else
    fail "200x60 does not use the space"
fi
keys q
wait_for "EXIT=" 30

# --- --ascii -------------------------------------------------------------------
start 100x30 --demo --ascii
keys Enter
wait_for "MEASURED over the range" >/dev/null
all="$(screen)"
keys c
wait_for "CHECKLIST" 30 >/dev/null
all="$all
$(screen)"
if [ -n "$all" ] && ! printf '%s\n' "$all" | LC_ALL=C grep -q '[^ -~]' &&
    printf '%s\n' "$all" | grep -q '\[x\] ' && printf '%s\n' "$all" | grep -q '\[ \] ' &&
    printf '%s\n' "$all" | grep -q '|\*'; then
    pass "--ascii: charts and ticks in plain ASCII, no other byte on screen"
else
    fail "--ascii: non-ASCII bytes or missing ASCII ticks/charts"
fi
keys q
wait_for "EXIT=" 30

# --- 80x24 ---------------------------------------------------------------------
start 80x24 --demo
keys Enter
if wait_for "MEASURED over the range" && screen | grep -q "p99 latency" &&
    ! screen | grep -qi "too small"; then
    pass "80x24: the Detail screen shows its charts"
else
    fail "80x24: no charts"
fi
keys c
if wait_for "CHECKLIST" 30 && screen | grep -q "Migrate when"; then
    pass "80x24: c scrolls to the checklist"
else
    fail "80x24: no checklist after c"
fi
keys G
if wait_for "NPV" 30 && screen | grep -q "COST"; then
    pass "80x24: End scrolls to the cost summary"
else
    fail "80x24: no cost summary at the end"
fi
keys Escape
if wait_for "services, sorted by rank" 30; then
    pass "Esc goes back to the list"
else
    fail "Esc did not go back"
fi
keys q
if wait_for "EXIT=0" 30; then
    pass "q exits 0"
else
    fail "q did not exit 0"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
