#!/bin/sh
# test_cost.sh: drive the Cost screen (3) in tmux: equation, in-place edit, refusal, save, quit.
# Usage: tests/tui/test_cost.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-cost-PID), never the user's.
set -u
tui_name=cost
tui_tools="tmux"
. "$(dirname "$0")/lib.sh"
sess=vc0

# start ARGS...: lib.sh's, timing each frame
tui_run_prefix="VERDICT_TUI_TIMING=1 "

# What the screen shows: the pinned NPV line, the value of the instances input.
npv() { screen | awk '$1 == "NPV" && $2 == "at" && $4 == "values" { print $5; exit }'; }
instances() { screen | awk '$1 == "instances" && NF >= 2 { print $2; exit }'; }

cp "$root/data/demo/verdict.yaml" "$tmp/verdict.yaml"
cp "$root/data/demo/verdict.yaml" "$tmp/original.yaml"
start -c "'$tmp/verdict.yaml'" --snapshot "'$root/data/demo/snapshot.json'"
wait_for "services, sorted by rank" >/dev/null

# --- the equation and the answer -------------------------------------------------
keys 3
if wait_for "= benefit" 30 && screen | grep -q "infrastructure .*instances" &&
    screen | grep -q "= cost" &&
    screen | tr -s '\n ' '  ' | grep -q "Break-even .*NPV at likely values .*ROI"; then
    pass "screen 3 shows the equation with the numbers filled in"
else
    fail "screen 3: no equation"
    screen | sed 's/^/    /'
fi
npv0=$(npv)
inst0=$(instances)
service=$(screen | awk 'NR == 2 { print $1 }')
# the origin beside each value: instances from the file's line
if screen | grep -Eq '^ *instances +[0-9.]+ +\[line [0-9]+\] instances running'; then
    pass "each input shows where it came from ([line N])"
else
    fail "no origin beside the inputs"
    screen | grep -E 'instances|price_per' | sed 's/^/    /'
fi
if [ -n "$npv0" ] && [ -n "$inst0" ]; then
    pass "NPV ($npv0) and the inputs show ($service: instances $inst0)"
else
    fail "NPV '$npv0' or instances '$inst0' missing"
    screen | sed 's/^/    /'
fi

# --- an edit recomputes at once --------------------------------------------------
new=$(( ${inst0:-1} * 2 + 10 ))
keys g e
wait_for "new value: $inst0" 20 >/dev/null
keys C-u
type_text "$new"
keys Enter
wait_for "instances = $new" 20 >/dev/null
npv1=$(npv)
if [ "$(instances)" = "$new" ] && [ -n "$npv1" ] && [ "$npv1" != "$npv0" ] &&
    screen | grep -qF "[1 unsaved]"; then
    pass "e sets instances $inst0 -> $new and NPV moves at once ($npv0 -> $npv1)"
else
    fail "edit: instances '$(instances)', NPV '$npv0' -> '$npv1'"
    screen | sed 's/^/    /'
fi

# --- an invalid value is refused with the loader's message ----------------------------
keys e C-u
type_text "-5"
keys Enter
if wait_for "not changed:" 20 && screen | grep -q "negative" && [ "$(instances)" = "$new" ] &&
    [ "$(npv)" = "$npv1" ] && screen | grep -qF "[1 unsaved]"; then
    pass "-5 is refused with the loader's message; the value stays $new"
else
    fail "-5: instances '$(instances)', NPV '$(npv)'"
    screen | sed 's/^/    /'
fi
keys e Escape
if wait_for "[1 unsaved]" 20 && [ "$(instances)" = "$new" ]; then
    pass "Esc cancels an edit"
else
    fail "Esc in the prompt changed something"
fi

# --- keys: help, next service, scrolling, sizes --------------------------------------
keys '?'
if wait_for "edit the selected input" 20 && screen | grep -q "next service in rank order"; then
    pass "? lists the Cost screen's keys"
else
    fail "? did not list the Cost keys"
fi
keys x n
if wait_for "NPV" 20 && [ "$(screen | awk 'NR == 2 { print $1 }')" != "$service" ]; then
    pass "n shows the next service"
else
    fail "n did not change the service"
fi
keys p
wait_for "$service" 20 >/dev/null
keys G
if wait_for "TORNADO" 20 && alive; then
    pass "End scrolls to the tornado"
else
    fail "End: no tornado at the bottom"
    screen | sed 's/^/    /'
fi
keys g
$T resize-window -t "$sess" -x 80 -y 24
if wait_for "= benefit" 20 && alive && [ -n "$(npv)" ]; then
    pass "80x24 draws the equation and NPV"
else
    fail "80x24"
    screen | sed 's/^/    /'
fi
$T resize-window -t "$sess" -x 200 -y 60
if wait_for "TORNADO" 20 && wait_for "CUMULATIVE CASH FLOW" 10 && screen | grep -q "= cost"; then
    pass "200x60 shows the equation, the charts and the tornado at once"
else
    fail "200x60"
fi
$T resize-window -t "$sess" -x 100 -y 30
wait_for "= benefit" 20 >/dev/null

# --- save: exactly the edited line changes ----------------------------------------
keys w
if wait_for "saved " 20 && ! screen | grep -qF "unsaved]"; then
    pass "w saves"
else
    fail "w did not save: $(screen | tail -1)"
fi
if [ "$(diff "$tmp/original.yaml" "$tmp/verdict.yaml" | grep -c '^[<>]')" -eq 2 ] &&
    diff "$tmp/original.yaml" "$tmp/verdict.yaml" | grep -q "^> .*instances: $new\$"; then
    pass "the saved file differs from the original in the instances line only"
else
    fail "the saved file differs in more than one line"
    diff "$tmp/original.yaml" "$tmp/verdict.yaml" | head -10 | sed 's/^/    /'
fi

keys q
if wait_for "EXIT=0" 30; then
    pass "q exits 0"
else
    fail "q did not exit 0: $(screen | grep EXIT=)"
fi
avg=$(sed -n 's/^verdict: .* keys redrawn in \([0-9.]*\) ms on average.*/\1/p' "$tmp/stderr")
# The 10 ms goal is measured by `make bench` on a quiet machine.  Here,
# with the other suites loading both cores, only a gross regression fails
# (a redraw that walks everything, say): 100 ms.
max_ms=${VERDICT_TEST_MAX_KEY_MS:-100}
if [ -n "$avg" ] && awk -v a="$avg" -v m="$max_ms" 'BEGIN { exit !(a < m) }'; then
    pass "a keypress redraws in $avg ms on average, under $max_ms (VERDICT_TUI_TIMING=1)"
else
    fail "redraw timing: '$avg' ms"
fi

# --- ASCII -----------------------------------------------------------------------
start --demo --ascii --no-color
wait_for "services, sorted by rank" >/dev/null
keys 3 G
if wait_for "TORNADO" 30 && ! screen | LC_ALL=C grep -q '[^ -~]'; then
    pass "--ascii: the Cost screen is plain ASCII"
else
    fail "--ascii: non-ASCII bytes on the Cost screen"
    screen | sed 's/^/    /'
fi
keys q
wait_for "EXIT=0" 30 >/dev/null

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
