# lib.sh: what every tmux-driven TUI test shares.  Sourced, not run:
#     tui_name=cost tui_tools="tmux jq"; . "$(dirname "$0")/lib.sh"
# It reads the verdict binary from the script's $1, checks the tools, makes
# $tmp, starts nothing yet, and gives each script its own tmux server
# (-L verdict-NAME-PID), never the user's.  A script may define
# cleanup_extra (run on exit) and fail_hook (run after each FAIL) after
# sourcing; $sess names the session its `start` creates.
bin=${1:?usage: $0 VERDICT}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in ${tui_tools:-tmux}; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: $tool is not installed (apt-get install $tool)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done
tmp=$(mktemp -d)
sock="verdict-$tui_name-$$"
T="tmux -L $sock -f /dev/null"
sess=vt0
passed=0
failed=0

cleanup_extra() { :; }
fail_hook() { :; }
cleanup() {
    $T kill-server >/dev/null 2>&1
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
    cleanup_extra
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); fail_hook; }

screen() { $T capture-pane -p -t "$sess" 2>/dev/null; }
show() { screen | sed 's/^/    /'; }

# wait_for TEXT [TENTHS]: poll the screen until it shows TEXT (fixed string).
wait_for() {
    n=${2:-50}
    while [ "$n" -gt 0 ]; do
        if screen | grep -qF -- "$1"; then
            return 0
        fi
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}

# wait_re REGEX [TENTHS]: the same with an extended regular expression.
wait_re() {
    n=${2:-50}
    while [ "$n" -gt 0 ]; do
        if screen | grep -qE -- "$1"; then
            return 0
        fi
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}

# wait_gone TEXT [TENTHS]: poll until TEXT is no longer on the screen.
wait_gone() {
    n=${2:-50}
    while [ "$n" -gt 0 ]; do
        if ! screen | grep -qF -- "$1"; then
            return 0
        fi
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}

keys() { $T send-keys -t "$sess" "$@"; }

# open_shell [COLSxLINES [DIR [ENV]]]: a new session, 100x30 unless told,
# running sh in DIR with ENV (words like VAR=value) in its environment; its
# prompt is the session's letters ("vt$ " for vt3).  A new session each
# time, then the old one goes: killing the last session would stop the
# tmux server while the next command talks to it.
open_shell() {
    old=$sess
    letters=${sess%%[0-9]*}
    sess="$letters$(( ${sess#"$letters"} + 1 ))"
    size=${1:-100x30}
    $T new-session -d -s "$sess" -x "${size%x*}" -y "${size#*x}" ${2:+-c "$2"} \
        "env -u TMUX TERM=xterm-256color LANG=C.UTF-8 LC_ALL= PS1='$letters\$ ' ${3:-} sh" ||
        return 1
    $T kill-session -t "$old" >/dev/null 2>&1
    wait_for "$letters\$" 30 >/dev/null
}

# run_verdict ARGS...: type the verdict command line at the shell's prompt,
# after $tui_run_prefix (e.g. "VERDICT_TUI_TIMING=1 "); its standard error
# goes to $tmp/stderr and the shell prints EXIT=<code> when it ends, so the
# exit code and the terminal coming back can both be read off the screen.
run_verdict() { keys "${tui_run_prefix:-}'$bin' $* 2>'$tmp/stderr'; echo EXIT=\$?" Enter; }

# start ARGS...: verdict in a fresh shell of $tui_size (100x30).  A script
# that needs more (a size per call, a wait) defines its own after sourcing.
start() { open_shell "${tui_size:-100x30}" && run_verdict "$@"; }
# type_text TEXT: literal text for a prompt (a leading "-" is not an option then)
type_text() { $T send-keys -t "$sess" -l -- "$1"; }

# The program in the pane is still verdict (not back at the shell).
alive() {
    [ "$($T display-message -p -t "$sess" '#{pane_current_command}' 2>/dev/null)" = verdict ]
}
