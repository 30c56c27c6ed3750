#!/bin/sh
# test_mouse.sh: the mouse in tmux: a click selects a row, the wheel scrolls, --no-mouse ignores both.
# Usage: tests/tui/test_mouse.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# The terminal is xterm-256color, whose mouse reports are SGR (ESC [ < b ; x ; y M,
# 1-based): they are typed into the pane as literal bytes, as a terminal would send them.
set -u
tui_name=mouse
tui_tools="tmux"
. "$(dirname "$0")/lib.sh"
sess=vm0
fail_hook() { screen | sed 's/^/    | /'; }

# 60 services, so the Candidates list is longer than the screen.
{
    echo "version: 1"
    echo "services:"
    i=1
    while [ $i -le 60 ]; do
        printf '  - name: svc-%02d\n    language: go\n    instances: %d\n' $i $((100 - i))
        i=$((i + 1))
    done
} >"$tmp/many.yaml"

start() {
    open_shell || return 1
    run_verdict "$@"
    wait_for "services, sorted by" 50
    # 60 services x 10,000 draws: the Monte Carlo is refined after the
    # first frame, and the list may re-sort once when it is final
    wait_gone "figures provisional" 300
}

# click X Y / wheel up|down X Y: an SGR mouse report (press, then release).
click() { type_text "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"; }
wheel() {
    b=64
    [ "$1" = down ] && b=65
    type_text "$(printf '\033[<%d;%d;%dM' "$b" "$2" "$3")"
}
# The service names shown in the list, in screen order.
names() { screen | awk '$2 ~ /^svc-[0-9]+$/ { print $2 }'; }
first() { names | head -1; }

# The list header is line 3; rows start on line 4 (1-based terminal rows).
start -c "$tmp/many.yaml" --demo --no-color
[ "$(first)" = svc-01 ] && pass "the list starts at svc-01" || fail "first row $(first)"
wheel down 20 10
wait_re '^ +4 svc-04' 100 && [ "$(first)" = svc-04 ] \
    && pass "the wheel scrolls down three rows" || fail "after wheel down the first row is $(first)"
wheel up 20 10
wait_re '^ +1 svc-01' 100 && [ "$(first)" = svc-01 ] \
    && pass "the wheel scrolls back up" || fail "after wheel up the first row is $(first)"
# row 7 of the terminal is the 4th data row: svc-04
click 20 7
sleep 0.3
keys Enter
wait_for "svc-04 #" 30 && pass "a click selects the row Enter opens (svc-04)" \
    || fail "Enter after a click on svc-04 did not open it"
keys Escape
wait_for "services, sorted by" 30
click 20 12
sleep 0.3
keys Enter
wait_for "svc-09 #" 30 && pass "a second click selects another row (svc-09)" \
    || fail "Enter after a click on svc-09 did not open it"
keys q
wait_for "EXIT=0" 30 && pass "quits with exit 0" || fail "did not quit cleanly"

start -c "$tmp/many.yaml" --demo --no-color --no-mouse
click 20 7
wheel down 20 10
sleep 0.3
[ "$(first)" = svc-01 ] && pass "--no-mouse: the wheel does nothing" \
    || fail "--no-mouse: first row is $(first)"
keys Enter
wait_for "svc-01 #" 30 && pass "--no-mouse: a click does not move the selection" \
    || fail "--no-mouse: Enter did not open svc-01"
alive && pass "--no-mouse: still running" || fail "--no-mouse: verdict exited"
keys q
wait_for "EXIT=0" 30 || fail "--no-mouse: did not quit cleanly"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
