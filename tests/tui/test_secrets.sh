#!/bin/sh
# test_secrets.sh: credentials a server quotes back never reach a TUI screen.
# Usage: tests/tui/test_secrets.sh ./verdict
# The TUI fetches live from tests/fault_server.py, which demands a bearer
# token and then quotes it back on the success path: in warnings and
# infos (echo-warn), in a 422 error (echo-auth), in an instance label and
# in the name of a service found by discovery (verdict_echo_discovery).
# Every screen the user can reach for those services is captured and
# searched for the token; each capture must also show what it is for, so
# a screen that never drew cannot pass.
# Prints PASS/FAIL per case and "N passed, N failed"; exits non-zero on a failure.
# Uses its own tmux server (-L verdict-secrets-PID), never the user's.
set -u
tui_name=secrets
tui_tools="tmux python3"
. "$(dirname "$0")/lib.sh"
sess=vs0
fault_dir="$root/tests"
. "$fault_dir/fault_server.sh"
cleanup_extra() { fault_stop; }
fail_hook() { screen | sed 's/^/    | /'; }

token=tokT5u8iQ3tuiSECRET
fault_start server --require-bearer "$token" --log "$tmp/requests.log"
port=$fault_port
# in a file, so that the command line on the screen does not carry it
printf '%s\n' "$token" >"$tmp/token"
cat >"$tmp/v.yaml" <<EOF
version: 1
prometheus:
  url: http://127.0.0.1:$port
  bearer_token_file: $tmp/token
  timeout: 5s
discovery:
  query: count by (service) (verdict_echo_discovery)
  label: service
services:
  - name: echo-warn
    language: python
    workload: cpu-bound
  - name: echo-auth
    language: go
EOF

$T new-session -d -s "$sess" -x 160 -y 50 \
    "env -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL= PS1='vs\$ ' sh" || exit 1
wait_for 'vs$' 30 >/dev/null
keys "'$bin' -c '$tmp/v.yaml' --end 2026-11-01T00:00:00Z" \
    " --range 1h --step 60s 2>'$tmp/stderr'; echo EXIT=\$?" Enter
shots=0
# shot NAME TEXT: wait for TEXT, keep the screen as a capture to search
shot() {
    if wait_for "$2" 60; then
        screen >"$tmp/screen-$1.txt"
        shots=$((shots + 1))
    else
        fail "screen $1 never showed '$2'"
    fi
}
shot candidates "fetched 4 services"
if grep -qF 'ok-echo Bearer ***' "$tmp/screen-candidates.txt"; then
    pass "the discovered service named after the token is listed, masked"
else
    fail "no masked discovered service on the Candidates screen"
fi
keys : "service echo-warn" Enter
shot detail "echo-warn #"
# the rest of the Detail screen, where the data-quality notes are
for n in 1 2 3 4 5 6; do
    keys NPage
    sleep 0.2
    screen >"$tmp/screen-detail-$n.txt"
done
keys 3
shot cost "echo-warn"
keys 4
shot assumptions "Economics"
keys 5
shot portfolio "Portfolio"
keys : "service echo-auth" Enter
shot detail-auth "echo-auth #"
for n in 1 2 3 4 5 6; do
    keys NPage
    sleep 0.2
    screen >"$tmp/screen-auth-$n.txt"
done
keys : messages Enter
sleep 0.3
screen >"$tmp/screen-messages.txt"
keys q
wait_for "EXIT=" 30 >/dev/null
screen >"$tmp/screen-exit.txt"
cp "$tmp/stderr" "$tmp/screen-stderr.txt"

# the same from a snapshot of that fetch: the discovered service is there
"$bin" fetch -c "$tmp/v.yaml" --end 2026-11-01T00:00:00Z --range 1h --step 60s \
    -o "$tmp/snap.json" 2>/dev/null
$T new-session -d -s vs1 -x 160 -y 50 \
    "env -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL= PS1='vs\$ ' sh" || exit 1
$T kill-session -t "$sess" >/dev/null 2>&1
sess=vs1
wait_for 'vs$' 30 >/dev/null
keys "'$bin' -c '$tmp/v.yaml' --snapshot '$tmp/snap.json' 2>'$tmp/stderr'; echo EXIT=\$?" Enter
shot snapshot "services, sorted by"
if grep -qF 'ok-echo Bearer ***' "$tmp/screen-snapshot.txt" &&
    grep -qF 'ok-alpha' "$tmp/screen-snapshot.txt"; then
    pass "from the snapshot: the services discovery found are listed"
else
    fail "from the snapshot: the discovered services are missing"
fi
keys q
wait_for "EXIT=" 30 >/dev/null

if grep -qF "Bearer $token" "$tmp/requests.log"; then
    pass "the server received the token (the test exercised it)"
else
    fail "the server never saw the token"
fi
if grep -qF 'upstream saw Bearer' "$tmp"/screen-detail*.txt; then
    pass "the server's warning is shown on the Detail screen"
else
    fail "the Detail screen does not show the server's warning"
fi
hits=$(grep -lF "$token" "$tmp"/screen-*.txt)
if [ -z "$hits" ] && [ "$shots" -ge 6 ]; then
    pass "the token is on none of $(ls "$tmp"/screen-*.txt | wc -l) screens captured"
else
    fail "the token is on: $(echo "$hits" | sed "s|$tmp/||" | tr '\n' ' ')"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
