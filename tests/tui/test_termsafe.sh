#!/bin/sh
# test_termsafe.sh: control characters in names and server errors reach the TUI inert.
# Usage: tests/tui/test_termsafe.sh ./verdict
# Service names in the YAML, the assumptions file's own name and the error
# strings and label values of tests/fault_server.py (ctrl-err, ctrl-warn,
# ctrl-text) carry CSI, OSC ... BEL, BEL, U+009B, CR, BS and DEL, and
# invisible or reordering characters (RLO U+202E, LRI U+2066, ZWSP U+200B,
# BOM U+FEFF, LINE SEPARATOR U+2028).  Every screen is visited; the bytes
# verdict sent to the terminal (tmux pipe-pane) must hold none of them,
# the screen must show each name with '?' for each control character and
# "<U+202E>" for each invisible one, and the pane title must not change
# (an OSC 0 would set it).  Also: a password in the URL never reaches the
# screen.  Prints PASS/FAIL per case and "N passed, N failed"; exits
# non-zero on a failure.  Uses its own tmux server, never the user's.
set -u
tui_name=termsafe
tui_tools="tmux python3"
. "$(dirname "$0")/lib.sh"
fault_dir="$root/tests"
. "$fault_dir/fault_server.sh"
cleanup_extra() { fault_stop; }
fail_hook() { screen | sed 's/^/    | /'; }
trap 'exit 130' HUP PIPE       # lib.sh: INT and TERM; EXIT stops the server

fault_start server
port=$fault_port

# The assumptions file's name carries controls too (the header shows it);
# the shell, in $tmp, reaches it through a glob.
cfg="$tmp/evil$(printf '\033]0;cfgtitle\007\033[7m')v.yaml"
cat >"$cfg" <<EOF
version: 1
prometheus:
  url: http://verdict:pw7Gq2TermSECRET@127.0.0.1:$port
  timeout: 10s
services:
  - name: "ok-esc-\\e[31mred"
    language: python
    workload: cpu-bound
  - name: "ok-osc-\\e]0;pwned\\atitle"
    language: go
  - name: "ok-c1-\\u009b2Jwipe"
  - name: "ok-cr-secret\\rpublic"
  - name: "ok-bs-abc\\b\\b\\bxyz"
  - name: "ok-bel-\\a\\ax\\x7fz"
  - name: "ok-rlo-\\u202Eevil"
  - name: "ok-zw-\\u200B\\uFEFF\\u2028"
  - name: ctrl-err
  - name: ctrl-warn
  - name: ctrl-text
EOF

# start ARGS...: verdict in a shell in a 120x40 window, logging every byte
# sent to the terminal from then on; ARGS are typed as they are (a glob
# stays a glob for that shell to expand)
start() {
    sess=vs1
    $T new-session -d -s "$sess" -x 120 -y 40 -c "$tmp" \
        "env -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL= PS1='vs\$ ' sh" || return 1
    wait_for 'vs$' 30 >/dev/null
    $T select-pane -t "$sess" -T verdict-termsafe
    $T pipe-pane -o -t "$sess" "cat >>'$tmp/raw'"
    keys "'$bin' $* 2>'$tmp/stderr'; echo EXIT=\$?" Enter
}
title() { $T display-message -p -t "$sess" '#{pane_title}' 2>/dev/null; }

start -c "evil*v.yaml" --end 2026-11-01T00:00:00Z --range 1h --step 60s
if wait_for "services, sorted by rank" 50 && wait_for "fetched 11 services" 100; then
    pass "the Candidates screen shows, the fetch is done"
else
    fail "no Candidates screen or the fetch did not finish"
fi

# screen_has NAME TEXT...: every TEXT (fixed) is on the screen
screen_has() {
    what=$1
    shift
    for t in "$@"; do
        if ! screen | grep -qF -- "$t"; then
            fail "$what: '$t' is not on the screen"
            return
        fi
    done
    pass "$what: $*"
}
screen_has "Candidates: the names, '?' for each control" "ok-esc-?[31mred" \
    "ok-osc-?]0;pwned?" "ok-c1-?2Jwipe" "ok-cr-secret?publ" "ok-bs-abc???xyz" "ok-bel-??x?z"
# (the name column is 24 wide here)
wait_for "ok-rlo-<U+202E>evil" 30
screen_has "Candidates: each invisible character as its escape, never cut" \
    "ok-rlo-<U+202E>evil " "ok-zw-<U+200B><U+FEFF>~ "
screen_has "the header: the file's name" "evil?]0;cfgtitle??[7mv.yaml"
screen_has "the status line: the URL without its password" "from http://***@127.0.0.1:$port"

# Detail of the service whose errors carry controls, then the others
keys : "service ctrl-err" Enter
if wait_for "ctrl-err #" 30; then
    screen_has "Detail: the server's error" "exec?[31m?]0;pwned???2J???: found duplicate"
else
    fail ":service ctrl-err did not open the Detail screen"
fi
keys : "service ctrl-text" Enter
wait_for "ctrl-text #" 30 && screen_has "Detail: a text/plain 500 body" "upstream ?[2J?]0;owned?"
# the Cost screen of a service picked by filtering the Candidates
keys 1 / ok-osc Enter
wait_for "ok-osc-?]0;pwned?" 30
keys Enter
if wait_for "ok-osc-?]0;pwned?title #" 30; then
    screen_has "Detail: the name in full" "ok-osc-?]0;pwned?title #"
else
    fail "the filter did not find ok-osc"
fi
keys 3
wait_for "BENEFIT PER MONTH" 30 && screen_has "Cost: the name" "ok-osc-?]0;pwned?title #"
keys 4
wait_for "economics.horizon_months" 30
keys NPage NPage NPage NPage
sleep 0.5
screen_has "Assumptions: the services table" "ok-esc-?[31mred" "ok-cr-secret?publ~"
keys 5
wait_for "Engineer-months available" 30 && screen_has "Portfolio" "ok-c1-?2Jwipe" \
    "ok-bs-abc???xyz"
keys '?'
sleep 0.5
keys Escape 1
wait_for "services, sorted by rank" 30
keys q
if wait_re '^EXIT=[0-9]' 100 && screen | grep -q "^EXIT=[03]"; then
    pass "q exits ($(screen | grep -o '^EXIT=[0-9]*'))"
else
    fail "q did not exit"
fi
$T pipe-pane -t "$sess"     # stop logging

# What went to the terminal: none of the payloads, no C1 at all.
if [ "$(title)" = verdict-termsafe ]; then
    pass "the pane title is untouched (no OSC 0 got through)"
else
    fail "the pane title became '$(title)'"
fi
why=$(python3 - "$tmp/raw" <<'EOF'
import sys
raw = open(sys.argv[1], "rb").read()
if len(raw) < 1000:
    print("only %d bytes were captured" % len(raw))
    sys.exit()
bad = [b"\x1b[31mred", b"\x1b]0;pwned", b"\x1b]0;cfgtitle", b"\x1b]0;owned", b"secret\rpublic",
       b"abc\x08", b"\x07\x07x", b"x\x7fz", b"\x1b[7mv.yaml", b"\x1b[2Jwipe", b"pw7Gq2TermSECRET"]
for b in bad:
    i = raw.find(b)
    if i >= 0:
        print("%r at byte %d: %r" % (b, i, raw[max(0, i - 30):i + 30]))
        sys.exit()
for i in range(len(raw) - 1):
    if raw[i] == 0xc2 and 0x80 <= raw[i + 1] <= 0x9f:
        print("C1 U+%04X at byte %d: %r" % (raw[i + 1], i, raw[max(0, i - 30):i + 30]))
        sys.exit()
# the invisible and reordering characters of util_invisible (app/util.c)
for cp in [0x061c, 0x2060, 0xfeff] + list(range(0x200b, 0x2010)) + \
        list(range(0x2028, 0x202f)) + list(range(0x2066, 0x206a)):
    i = raw.find(chr(cp).encode("utf-8"))
    if i >= 0:
        print("U+%04X at byte %d: %r" % (cp, i, raw[max(0, i - 30):i + 30]))
        sys.exit()
EOF
)
if [ -z "$why" ]; then
    pass "the terminal got no payload, no C1 control, no invisible character, no password\
 ($(wc -c <"$tmp/raw") bytes)"
else
    fail "the terminal got $why"
fi
if python3 -c "
import sys
d = open('$tmp/stderr', 'rb').read()
sys.exit(any(b < 0x20 and b not in (9, 10) or b == 0x7f for b in d))"; then
    pass "standard error is inert"
else
    fail "standard error: $(head -3 "$tmp/stderr" | cat -v)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
