#!/bin/sh
# install-deps.sh: install the Debian packages verdict needs, when missing.
# Usage: install-deps.sh build|check|bench
# A no-op when everything is present; as non-root with something missing,
# prints the exact command to run and fails.
set -u

pkgs="build-essential pkg-config libncurses-dev libcurl4-openssl-dev libcjson-dev libyaml-dev"
case "${1:-build}" in
bench) pkgs="$pkgs python3 curl tmux prometheus time" ;;
# the real monitored stack (tests/stack/): Python's and Go's Prometheus
# client libraries and node_exporter; Node.js and npm come from outside
# Debian (tests/stack/run.sh checks for them and installs npm prom-client)
check) pkgs="$pkgs libcmocka-dev valgrind python3 curl openssl tmux jq chromium poppler-utils prometheus victoria-metrics clang libclang-rt-dev python3-prometheus-client golang-go golang-github-prometheus-client-golang-dev prometheus-node-exporter" ;;
esac

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "verdict: these Debian packages are missing:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
