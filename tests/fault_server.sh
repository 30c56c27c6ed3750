# fault_server.sh: start and stop tests/fault_server.py for a test script.
# Sourced, not run, after the script has made $tmp:
#     fault_dir=DIR-OF-THIS-FILE; . "$fault_dir/fault_server.sh"
#     fault_start NAME [SERVER-ARGS...]    # sets $fault_port and $fault_pid
#     ...
#     fault_stop                           # in the script's EXIT trap
# Each server listens on a free loopback port (--port 0) and says which on
# its first line, in $tmp/NAME.port; its standard error goes to
# $tmp/NAME.err.  A server that has not said its port within 10 s is a
# failure of the whole script: its error is shown, then
# "${fault_summary}0 passed, 1 failed", and the script exits 1.

fault_pids=

fault_start() {
    fault_name=$1
    shift
    python3 "$fault_dir/fault_server.py" --port 0 "$@" \
        >"$tmp/$fault_name.port" 2>"$tmp/$fault_name.err" &
    fault_pid=$!
    fault_pids="$fault_pids $fault_pid"
    fault_i=0
    while [ ! -s "$tmp/$fault_name.port" ] && [ $fault_i -lt 100 ]; do
        sleep 0.1
        fault_i=$((fault_i + 1))
    done
    fault_port=$(head -1 "$tmp/$fault_name.port")
    if [ -z "$fault_port" ]; then
        echo "FAIL: the fault server ($fault_name) did not start"
        sed 's/^/    /' "$tmp/$fault_name.err"
        echo "${fault_summary:-}0 passed, 1 failed"
        exit 1
    fi
}

# Stop one server by PID (fault_stop_one PID), or all of them.
fault_stop_one() {
    kill "$1" 2>/dev/null && wait "$1" 2>/dev/null
    fault_pids=$(for p in $fault_pids; do [ "$p" = "$1" ] || printf ' %s' "$p"; done)
}

fault_stop() {
    for p in $fault_pids; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    fault_pids=
}
