#!/bin/sh
# test_save.sh: saving in the TUI: stale temporaries, symlinks, changed on disk, :reload, :saveas.
# Usage: tests/tui/test_save.sh ./verdict
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-save-PID), never the user's.
set -u
tui_name=save
tui_tools="tmux"
. "$(dirname "$0")/lib.sh"

# start ARGS...: lib.sh's, in a window 200 columns wide (the save messages
# name whole paths).
tui_size=200x30

# command TEXT: type ":TEXT" and Enter.
command() {
    keys :
    type_text "$1"
    keys Enter
}

# quit WHAT: q, and verdict exits 0 (under ASan: nothing leaked either).
quit() {
    keys q
    if wait_for "EXIT=0" 30; then
        pass "q exits 0 after $1"
    else
        fail "q after $1: $(screen | grep EXIT=)"
    fi
}

orig="$root/data/demo/verdict.yaml"
snap="$root/data/demo/snapshot.json"
one_line_changed() {    # FILE PATTERN: FILE differs from the demo's in one line, matching PATTERN
    d=$(diff "$orig" "$1")
    [ "$(printf '%s\n' "$d" | grep -c '^[<>]')" -eq 2 ] && printf '%s\n' "$d" | grep -q "^> $2"
}

# --- a killed save's temporaries go at the next save, and nothing else -----------------
mkdir "$tmp/k"
conf="$tmp/k/verdict.yaml"
cp "$orig" "$conf"
# what kill -9 between mkstemp and rename leaves: half a new text, half a backup
head -c 300 "$orig" >"$conf.tmpAb12Cd"
head -c 200 "$orig" >"$conf.bak.tmpZz09aZ"
printf 'near miss\n' >"$conf.tmp12345"
printf 'near miss\n' >"$conf.tmp1234567"
printf 'another file\n' >"$tmp/k/other.yaml.tmpAb12Cd"
ln -s verdict.yaml "$conf.tmpLnk123"
touch -h -d '1 hour ago' "$tmp/k/"*
start "-c '$conf' --snapshot '$snap'"
wait_for "services, sorted by rank" >/dev/null
printf 'a save in progress\n' >"$conf.tmpFresh1"    # newer than verdict: not stale
command "set economics.horizon_months 48"
wait_for "[1 unsaved]" 20 >/dev/null
keys w
wait_for "saved " 20 >/dev/null
left=$(cd "$tmp/k" && ls -A | tr '\n' ' ')
want="other.yaml.tmpAb12Cd verdict.yaml verdict.yaml.bak verdict.yaml.tmp12345"
want="$want verdict.yaml.tmp1234567 verdict.yaml.tmpFresh1 verdict.yaml.tmpLnk123 "
if [ "$left" = "$want" ]; then
    pass "w removes the killed save's .tmp and .bak.tmp, keeps near misses, links, fresh ones"
else
    fail "after w the directory holds: $left"
fi
if one_line_changed "$conf" ' *horizon_months: 48 ' && cmp -s "$orig" "$conf.bak"; then
    pass "the save itself is whole (one line changed, .bak the old file)"
else
    fail "the save after the cleanup is not the edit"
fi
quit "the cleanup"

# --- a symbolic link: the message names its target and where .bak went ---------------
mkdir "$tmp/l" "$tmp/l/real"
cp "$orig" "$tmp/l/real/verdict.yaml"
ln -s real/verdict.yaml "$tmp/l/link.yaml"
target=$(cd "$tmp/l/real" && pwd -P)/verdict.yaml
start "-c '$tmp/l/link.yaml' --snapshot '$snap'"
wait_for "services, sorted by rank" >/dev/null
command "set economics.horizon_months 48"
wait_for "[1 unsaved]" 20 >/dev/null
keys w
said="saved $tmp/l/link.yaml -> $target (previous version in $target.bak, beside the link's target)"
if wait_for "$said" 20; then
    pass "w through a link names the target and its .bak"
else
    fail "w through a link: $(screen | tail -1)"
fi
if [ -L "$tmp/l/link.yaml" ] && [ -f "$target.bak" ] && [ ! -e "$tmp/l/link.yaml.bak" ] &&
    one_line_changed "$target" ' *horizon_months: 48 '; then
    pass "the link stays, the target has the edit, its .bak is beside it"
else
    fail "the link or the .bak is not where the message says"
    ls -lR "$tmp/l" | sed 's/^/    /'
fi
quit "the save through a link"

# --- changed on disk: w offers :reload and :saveas; :reload asks, then drops ------------
conf="$tmp/c.yaml"
cp "$orig" "$conf"
start "-c '$conf' --snapshot '$snap'"
wait_for "services, sorted by rank" >/dev/null
command "set economics.horizon_months 48"
wait_for "[1 unsaved]" 20 >/dev/null
sed 's/^\( *horizon_months:\) 24 /\1 30 /' "$orig" >"$conf"    # somebody else's edit
keys w
if wait_for "changed on disk, not saved: :reload or :saveas PATH" 20 &&
    screen | grep -qF "[1 unsaved]" && grep -q '^ *horizon_months: 30 ' "$conf"; then
    pass "w refuses a file changed on disk, offers :reload and :saveas, keeps both edits"
else
    fail "w on a changed file: $(screen | tail -1)"
fi
command reload
if wait_for "drop 1 unsaved edit and reload $conf? y/n" 20; then
    pass ":reload with an unsaved edit asks"
else
    fail ":reload did not ask: $(screen | tail -1)"
fi
keys n
if wait_for "not reloaded; the edits stay" 20 && screen | grep -qF "[1 unsaved]"; then
    pass "n keeps the edit"
else
    fail "n: $(screen | tail -1)"
fi
command reload
wait_for "and reload" 20 >/dev/null
keys y
if wait_for "reloaded $conf: 1 unsaved edit dropped, the analysis run again" 20 &&
    ! screen | grep -qF "unsaved]"; then
    pass "y reloads and says the edit was dropped"
else
    fail "y: $(screen | tail -1)"
fi
keys 4
if wait_for "economics.horizon_months = 30" 20; then
    pass "the view shows the file's new value (30)"
else
    fail "after :reload the view does not show 30"
    show
fi
keys u
if wait_for "nothing to undo" 20; then
    pass "the undo history went with the edits"
else
    fail "u after :reload: $(screen | tail -1)"
fi
command "set economics.horizon_months 36"
wait_for "[1 unsaved]" 20 >/dev/null
keys w
if wait_for "saved $conf (previous version in $conf.bak)" 20 &&
    grep -q '^ *horizon_months: 36 ' "$conf" && grep -q '^ *horizon_months: 30 ' "$conf.bak"; then
    pass "a save after :reload goes through (the reloaded file is the base)"
else
    fail "w after :reload: $(screen | tail -1)"
fi
command reload
if wait_for "reloaded $conf, the analysis run again" 20; then
    pass ":reload without edits does not ask"
else
    fail ":reload without edits: $(screen | tail -1)"
fi
command "set economics.horizon_months 40"
wait_for "[1 unsaved]" 20 >/dev/null
printf 'economics:\n  horizon_months: [\n' >"$conf"
command reload
wait_for "and reload" 20 >/dev/null
keys y
if wait_for "not reloaded: " 20 && screen | grep -qF "[1 unsaved]" &&
    wait_for "economics.horizon_months = 40" 20; then
    pass "a file that no longer loads is not taken: the view and the edit stay"
else
    fail ":reload of a broken file: $(screen | tail -1)"
fi
keys q y
if wait_for "EXIT=0" 30; then
    pass "q y exits 0 after the reloads"
else
    fail "q y after the reloads: $(screen | grep EXIT=)"
fi

# --- :saveas keeps the demo's edits in a file; the demo becomes a file session ----------
mine="$tmp/mine.yaml"
start --demo
wait_for "services, sorted by rank" >/dev/null
command "set economics.horizon_months 48"
wait_for "[1 unsaved]" 20 >/dev/null
keys w
if wait_for "read-only (:saveas PATH keeps the edits)" 20; then
    pass "w in the demo points at :saveas"
else
    fail "w in the demo: $(screen | tail -1)"
fi
command reload
wait_for "and reload" 20 >/dev/null
keys y
if wait_for "(built in): 1 unsaved edit dropped" 20 && ! screen | grep -qF "unsaved]"; then
    pass ":reload in the demo reads the built-in text again"
else
    fail ":reload in the demo: $(screen | tail -1)"
fi
command "set economics.horizon_months 48"
wait_for "[1 unsaved]" 20 >/dev/null
command "saveas $mine"
if wait_for "saved as $mine, from now on the assumptions file (w saves there)" 20 &&
    ! screen | grep -qF "unsaved]" && screen | head -1 | grep -qF "$mine" &&
    ! screen | head -1 | grep -qF "read-only"; then
    pass ":saveas writes a new file and the session is now that file"
else
    fail ":saveas: $(screen | tail -1)"
    show
fi
comments() { grep -E '^[[:space:]]*#' "$1" | cksum; }
if one_line_changed "$mine" ' *horizon_months: 48 .*# months the cash flow' &&
    [ "$(comments "$orig")" = "$(comments "$mine")" ] && [ ! -e "$mine.bak" ]; then
    pass "the new file is the demo's text with the edit, every comment kept, no .bak"
else
    fail "the :saveas file differs from the demo's in more than the edit"
    diff "$orig" "$mine" | head -10 | sed 's/^/    /'
fi
command "set economics.horizon_months 36"
wait_for "[1 unsaved]" 20 >/dev/null
keys w
if wait_for "saved $mine (previous version in $mine.bak)" 20 &&
    grep -q '^ *horizon_months: 36 ' "$mine" && grep -q '^ *horizon_months: 48 ' "$mine.bak"; then
    pass "w then saves into the new file, with its .bak"
else
    fail "w after :saveas: $(screen | tail -1)"
fi
cp "$orig" "$tmp/there.yaml"
command "saveas $tmp/there.yaml"
if wait_for "$tmp/there.yaml exists: replace it? y/n" 20; then
    pass ":saveas onto an existing file asks"
else
    fail ":saveas onto an existing file did not ask: $(screen | tail -1)"
fi
keys n
if wait_for "not saved" 20 && cmp -s "$orig" "$tmp/there.yaml" &&
    screen | head -1 | grep -qF "$mine"; then
    pass "n leaves the file and the session's file alone"
else
    fail "n after the question: $(screen | tail -1)"
fi
command "saveas $tmp/there.yaml"
wait_for "replace it? y/n" 20 >/dev/null
keys y
if wait_for "saved as $tmp/there.yaml" 20 && cmp -s "$mine" "$tmp/there.yaml" &&
    [ ! -e "$tmp/there.yaml.bak" ]; then
    pass "y replaces it with the current text"
else
    fail "y after the question: $(screen | tail -1)"
fi
command "saveas $tmp"
if wait_for "not saved: cannot save to $tmp: it is a directory" 20; then
    pass ":saveas onto a directory is refused"
else
    fail ":saveas onto a directory: $(screen | tail -1)"
fi
command saveas
if wait_for "usage: :saveas PATH" 20; then
    pass ":saveas without a path shows the usage"
else
    fail ":saveas without a path: $(screen | tail -1)"
fi

# --- help lists the commands -----------------------------------------------------------
$T resize-window -t "$sess" -x 200 -y 70
keys 1 '?'
if wait_for "Commands (after :)" 20 &&
    screen | grep -qE '^ *:reload +read the assumptions file again' &&
    screen | grep -qE '^ *:saveas +PATH: write the assumptions there'; then
    pass "the help lists :reload and :saveas"
else
    fail "the help does not list :reload and :saveas"
    show
fi
keys x
wait_gone "Commands (after :)" 20 >/dev/null
command nonsense
known=":q :q! :service :sort :set :export :reload :saveas :help"
if wait_for "unknown command ':nonsense' ($known)" 20; then
    pass "an unknown command lists the known ones"
else
    fail "unknown command: $(screen | tail -1)"
fi
quit ":saveas"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
