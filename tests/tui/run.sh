#!/bin/sh
# run.sh: drive the TUI in a detached tmux session, read the screen, assert what it shows.
# Usage: tests/tui/run.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-test-PID), never the user's.
set -u
tui_name=run
tui_tools="tmux"
. "$(dirname "$0")/lib.sh"

# The service names of the table, in screen order (the line after the
# header row "# Service" onwards, second field).
rows() {
    screen | awk '/ Service/ { on = 1; next } on && NF > 2 { print $2 }'
}

# start ARGS...: verdict in a fresh 100x30 shell (lib.sh), timing its frames
tui_run_prefix="VERDICT_TUI_TIMING=1 "

alive() {
    [ "$($T display-message -p -t "$sess" '#{pane_current_command}' 2>/dev/null)" = verdict ]
}

top=$("$bin" score --demo --format csv | awk -F, 'NR == 2 { gsub(/"/, "", $2); print $2 }')
third=$("$bin" score --demo --format csv | awk -F, 'NR == 4 { gsub(/"/, "", $2); print $2 }')

# --- the Candidates screen ---------------------------------------------------
start --demo
if wait_for "services, sorted by rank"; then
    pass "the Candidates screen shows"
else
    fail "the Candidates screen did not show"
    screen | sed 's/^/    /'
fi
first=$(rows | head -1)
if [ -n "$top" ] && [ "$first" = "$top" ]; then
    pass "first row is the top candidate of 'score --format csv' ($top)"
else
    fail "first row is '$first', wanted '$top'"
fi
if screen | grep -q "$top .*migrate"; then
    pass "the recommendation word is shown (readable without colour)"
else
    fail "no recommendation word on the top row"
fi

# --- filter --------------------------------------------------------------------
keys / "$third"
if wait_for "1 of 12 services match" && [ "$(rows | wc -l)" -eq 1 ] &&
    [ "$(rows | head -1)" = "$third" ]; then
    pass "/ filters to one service ($third)"
else
    fail "/ $third: the table shows $(rows | tr '\n' ' ')"
fi
keys Enter Escape
if wait_gone "services match" && [ "$(rows | wc -l)" -eq 12 ]; then
    pass "Esc clears the filter"
else
    fail "Esc did not clear the filter"
fi

# --- sort ----------------------------------------------------------------------
before=$(rows | tr '\n' ' ')
keys s
wait_for "sorted by service" 20
after=$(rows | tr '\n' ' ')
if [ "$before" != "$after" ] && [ "$(rows | head -1)" = "$(rows | sort | head -1)" ]; then
    pass "s sorts by the next column (service name)"
else
    fail "s did not change the order: $after"
fi
keys S
wait_for "(reversed)" 20
if [ "$(rows | head -1)" = "$(rows | sort -r | head -1)" ]; then
    pass "S reverses the order"
else
    fail "S did not reverse: $(rows | tr '\n' ' ')"
fi
keys : "sort rank" Enter
if wait_for "sorted by rank" 20 && [ "$(rows | head -1)" = "$top" ]; then
    pass ":sort rank"
else
    fail ":sort rank did not restore the ranking"
fi

# --- help ----------------------------------------------------------------------
keys '?'
if wait_for "help: Candidates" 20 && screen | grep -q "Enter .*open the selected" &&
    screen | grep -q "filter by name" && screen | grep -q "Everywhere"; then
    pass "? shows the help with the screen's keys"
else
    fail "? did not show the keys"
    screen | sed 's/^/    /'
fi
keys x
if wait_gone "help: Candidates" 20; then
    pass "any key closes the help"
else
    fail "help did not close"
fi

# --- detail --------------------------------------------------------------------
keys g Enter
if wait_for "factor by factor" 20 && screen | grep -q "^ $top " &&
    screen | grep -q "p99 latency"; then
    pass "Enter opens the detail of the selected service"
else
    fail "Enter did not open the detail"
    screen | sed 's/^/    /'
fi
keys Escape
if wait_for "services, sorted by" 20; then
    pass "Esc goes back to the list"
else
    fail "Esc did not go back"
fi

# --- resize --------------------------------------------------------------------
$T resize-window -t "$sess" -x 60 -y 15
if wait_for "terminal too small (need 80x24)" 20 && alive; then
    pass "60x15 says the terminal is too small"
else
    fail "60x15: no too-small message"
    screen | sed 's/^/    /'
fi
$T resize-window -t "$sess" -x 200 -y 60
if wait_for "services, sorted by" 20 && alive && screen | grep -q "p99 over range"; then
    pass "200x60 redraws (with the sparkline column)"
else
    fail "200x60 did not redraw"
fi
$T resize-window -t "$sess" -x 100 -y 30
if wait_for "services, sorted by" 20 && alive && [ "$(rows | head -1)" = "$top" ]; then
    pass "back to 100x30 without a crash"
else
    fail "back to 100x30: not redrawn"
fi

# --- quit ----------------------------------------------------------------------
keys q
if wait_for "EXIT=0" 30; then
    pass "q exits 0"
else
    fail "q did not exit 0: $(screen | grep EXIT=)"
fi
if screen | grep -q '^vt\$' && [ "$($T display-message -p -t "$sess" '#{alternate_on}')" = 0 ] &&
    ! screen | grep -q "services, sorted by"; then
    pass "the terminal is restored (shell prompt, no alternate screen)"
else
    fail "the terminal was not restored"
    screen | sed 's/^/    /'
fi
ff=$(sed -n 's/^verdict: first frame after \([0-9.]*\) ms.*/\1/p' "$tmp/stderr")
if [ -n "$ff" ]; then
    pass "first frame after $ff ms (VERDICT_TUI_TIMING=1)"
else
    fail "no first-frame timing on stderr"
fi

# --- edits: quit asks, undo, save keeps every other byte ----------------------------
root=$(cd "$(dirname "$0")/../.." && pwd)
cp "$root/data/demo/verdict.yaml" "$tmp/verdict.yaml"
start -c "'$tmp/verdict.yaml'" --snapshot "'$root/data/demo/snapshot.json'"
wait_for "services, sorted by rank" >/dev/null
npv0=$(screen | awk -v s="$top" '$2 == s { print $(NF - 1) }')
keys : "set economics.horizon_months 48" Enter
wait_for "[1 unsaved]" 20 >/dev/null
npv1=$(screen | awk -v s="$top" '$2 == s { print $(NF - 1) }')
if [ -n "$npv0" ] && [ "$npv0" != "$npv1" ]; then
    pass ":set recomputes at once (NPV of $top $npv0 -> $npv1)"
else
    fail ":set: NPV of $top '$npv0' -> '$npv1'"
fi
keys : "set economics.horizon_months banana" Enter
if wait_for "not changed:" 20 && screen | grep -qF "[1 unsaved]"; then
    pass "an invalid value is refused and the old one kept"
else
    fail "an invalid value was not refused"
fi
keys q
if wait_for "unsaved edits: quit anyway? y/n" 20; then
    pass "q with unsaved edits asks"
else
    fail "q with unsaved edits did not ask"
fi
keys n
if wait_for "not quitting" 20 && alive; then
    pass "n keeps verdict running"
else
    fail "n did not keep it running"
fi
keys w
if wait_for "saved " 20 && ! screen | grep -qF "unsaved]"; then
    pass "w saves"
else
    fail "w did not save: $(screen | tail -1)"
fi
if [ -f "$tmp/verdict.yaml.bak" ] &&
    [ "$(diff "$tmp/verdict.yaml.bak" "$tmp/verdict.yaml" | grep -c '^[<>]')" -eq 2 ] &&
    diff "$tmp/verdict.yaml.bak" "$tmp/verdict.yaml" | grep -q '^> .*horizon_months: 48'; then
    pass "the saved file differs in the edited line only (.bak kept)"
else
    fail "the saved file differs in more than the edited line"
    diff "$tmp/verdict.yaml.bak" "$tmp/verdict.yaml" | head -10 | sed 's/^/    /'
fi
keys : "set economics.horizon_months 36" Enter
wait_for "[1 unsaved]" 20 >/dev/null
keys q y
if wait_for "EXIT=0" 30; then
    pass "q then y exits 0"
else
    fail "q then y: $(screen | grep EXIT=)"
fi

# --- ASCII, no colour ----------------------------------------------------------
start --demo --ascii --no-color
if wait_for "services, sorted by rank" && ! screen | LC_ALL=C grep -q '[^ -~]'; then
    pass "--ascii draws plain ASCII"
else
    fail "--ascii: non-ASCII bytes on the screen"
fi
keys : q Enter
if wait_for "EXIT=0" 30; then
    pass ":q exits 0"
else
    fail ":q did not exit"
fi

# --- Ctrl-C restores the terminal -----------------------------------------------
start --demo
wait_for "services, sorted by rank" >/dev/null
keys C-c
if wait_for "EXIT=130" 30 && [ "$($T display-message -p -t "$sess" '#{alternate_on}')" = 0 ]; then
    pass "Ctrl-C exits 130 with the terminal restored"
else
    fail "Ctrl-C: $(screen | grep EXIT=)"
fi

# --- too small with unsaved edits: q asks, n stays, q y quits ----------------------
start --demo --set economics.horizon_months=12
wait_for "services, sorted by rank" >/dev/null
$T resize-window -t "$sess" -x 60 -y 15
wait_for "terminal too small" 30 >/dev/null
keys q
if wait_for "unsaved edits: quit anyway? y/n" 30; then
    pass "too small: q with unsaved edits asks"
else
    fail "too small: q did not ask"
fi
keys n
if wait_for "q quits" 30 && alive; then
    pass "too small: n keeps running"
else
    fail "too small: n did not cancel"
fi
keys q
wait_for "quit anyway" 30 >/dev/null
keys y
if wait_for "EXIT=0" 30; then
    pass "too small: q then y exits 0"
else
    fail "too small: q y did not exit"
fi

# --- not a terminal: the text report ----------------------------------------------
"$bin" --demo </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^RANKING' "$tmp/out" && grep -q "verdict report" "$tmp/err"; then
    pass "not a terminal: the text report and a hint"
else
    fail "not a terminal: exit $rc"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
