#!/bin/sh
# test_assumptions.sh: drive the Assumptions (4) and Portfolio (5) screens: edit, save, reload.
# Usage: tests/tui/test_assumptions.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-asm-PID), never the user's.
set -u
tui_name=asm
tui_tools="tmux jq"
. "$(dirname "$0")/lib.sh"

# The services of the Portfolio screen's plan (between its title and Total), sorted.
chosen() {
    screen | awk '/^In the plan/ { on = 1; next } /^Total/ { on = 0 } on && NF > 0 { print $1 }' |
        sort
}

orig="$root/data/demo/verdict.yaml"
conf="$tmp/verdict.yaml"
snap="$root/data/demo/snapshot.json"
cp "$orig" "$conf"
run="-c '$conf' --snapshot '$snap'"

# --- Assumptions: edit, refuse, find -----------------------------------------
start "$run"
wait_for "services, sorted by rank" >/dev/null
keys 4
if wait_for "economics.horizon_months = 24" && screen | grep -q "^Economics" &&
    screen | grep -qE "^  discount_rate +0\.1 "; then
    pass "screen 4 shows the assumptions by section, horizon first"
else
    fail "screen 4 did not show the assumptions"
    show
fi
keys g e C-u 36 Enter
if wait_re "^  horizon_months +36 " 20 && wait_for "[1 unsaved]" 20; then
    pass "e edits economics.horizon_months to 36 and it shows"
else
    fail "the edit of horizon_months did not show"
    show
fi
keys j e C-u banana Enter
if wait_for "not changed:" 20 && screen | grep -qE "^  discount_rate +0\.1 " &&
    screen | grep -qF "[1 unsaved]"; then
    pass "an invalid value is refused with the loader's reason, the old one kept"
else
    fail "an invalid value was not refused"
    show
fi
keys / "weights.memory" Enter
if wait_for "scoring.weights.memory = 10" 20; then
    pass "/ jumps to a key containing the text"
else
    fail "/ weights.memory did not jump"
    show
fi
keys / "fraud-scoring" Enter
if wait_for "services[fraud-scoring].language = python" 20; then
    pass "/ jumps to a service of the inventory"
else
    fail "/ fraud-scoring did not jump"
    show
fi

# --- save: one line changed, every comment kept --------------------------------
keys w
if wait_for "saved " 20 && ! screen | grep -qF "unsaved]"; then
    pass "w saves"
else
    fail "w did not save: $(screen | tail -1)"
fi
if grep -qE '^  horizon_months: 36 ' "$conf"; then
    pass "the file on disk has horizon_months: 36"
else
    fail "the file on disk: $(grep horizon_months "$conf")"
fi
d=$(diff "$orig" "$conf")
if [ "$(printf '%s\n' "$d" | grep -c '^[<>]')" -eq 2 ] &&
    [ "$(printf '%s\n' "$d" | grep -c '^[0-9]')" -eq 1 ] &&
    printf '%s\n' "$d" | grep -q '^> *horizon_months: 36 .*# months the cash flow'; then
    pass "diff with the original: exactly one changed line (its comment kept)"
else
    fail "diff with the original shows more than one line"
    printf '%s\n' "$d" | head -10 | sed 's/^/    /'
fi
comments() { grep -E '^[[:space:]]*#' "$1" | cksum; }
if [ "$(comments "$orig")" = "$(comments "$conf")" ]; then
    pass "every comment line unchanged"
else
    fail "comment lines changed"
fi
keys q
if wait_for "EXIT=0" 30; then
    pass "q with nothing unsaved exits 0"
else
    fail "q did not exit: $(screen | grep EXIT=)"
fi

# --- reload ----------------------------------------------------------------------
start "$run"
wait_for "services, sorted by rank" >/dev/null
keys 4
if wait_for "economics.horizon_months = 36" && screen | grep -qE "^  horizon_months +36 "; then
    pass "started again, screen 4 shows 36"
else
    fail "after a reload horizon_months is not 36"
    show
fi

# --- Portfolio: capacity 6 ----------------------------------------------------------
keys 5
wait_for "Engineer-months available: 20" >/dev/null
before=$(chosen | wc -l)
keys e C-u 6 Enter
if wait_for "Engineer-months available: 6 " 20 && wait_re "Plan: [0-9]+ rewrites?, " 20; then
    pass "e sets engineer-months available to 6"
else
    fail "e 6: the capacity did not change"
    show
fi
after=$(chosen | tr '\n' ' ')
used=$(screen | sed -n 's/.*Plan: [0-9]* rewrites*, \([0-9.]*\) engineer-months.*/\1/p')
# 6 a quarter over the horizon of 36 months set above: 72 in all
if [ "$(chosen | wc -l)" -lt "$before" ] && [ -n "$used" ] &&
    awk -v u="$used" 'BEGIN { exit !(u <= 72) }'; then
    pass "the plan shrinks to what fits ($before -> $(chosen | wc -l) rewrites, $used of 6 a quarter)"
else
    fail "the plan did not shrink: $before -> '$after', used '$used'"
    show
fi
keys w
wait_for "saved " 20 >/dev/null
want=$("$bin" report -c "$conf" --snapshot "$snap" --format json 2>/dev/null |
    jq -r '.portfolio.selected[]' | sort | tr '\n' ' ')
if [ -n "$want" ] && [ "$after" = "$want" ]; then
    pass "the plan is report --format json's portfolio.selected ($want)"
else
    fail "the plan '$after' is not report's '$want'"
fi
if screen | grep -qE "^[a-z].*does not fit|^[a-z].*not eligible"; then
    pass "the candidates left out say why"
else
    fail "no reason shown for the candidates left out"
fi
# payments-core pays off but its team is new to Rust on a critical service:
# out for that veto, not for want of room (it said "does not fit")
if screen | grep -qE "^payments-core .*not eligible: veto team_new_critical"; then
    pass "a vetoed candidate is out for its veto"
else
    fail "payments-core's veto not given as the reason it is left out"
    show
fi

# --- quit with unsaved edits ---------------------------------------------------------
keys e C-u 8 Enter
wait_for "[1 unsaved]" 20 >/dev/null
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
    pass "w saves the edit"
else
    fail "w did not save: $(screen | tail -1)"
fi
keys q
if wait_for "EXIT=0" 30; then
    pass "q then exits 0"
else
    fail "q did not exit 0: $(screen | grep EXIT=)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
