#!/bin/sh
# profiles.sh: the query profiles on real servers (issue 15, section 2).
#
# Usage: profiles.sh VERDICT_BINARY       (make check-profiles)
#
# gen_profile_fixtures.py writes one service per profile (Istio and Linkerd
# in milliseconds, OpenTelemetry, Micrometer, ingress-nginx, Prometheus's
# own, a client library; Kubernetes cAdvisor + kube_pod_owner for three of
# them; Go, JVM and Python GC), with the projects' metric and label names;
# promtool backfills them into a real Prometheus on 127.0.0.1 (servers.sh).
# `verdict fetch` with no queries in the file must choose each service's
# profile by probing the server, and measure p99, p50, mean, requests/s,
# CPU and memory within 5 % of what the fixtures encode, in seconds for the
# millisecond families; `verdict report --format json` shows the profile.
# When the victoria-metrics binary is there, the same for a histogram with
# VictoriaMetrics vmrange buckets.  Servers stopped by PID on every exit
# path; KEEP=1 keeps the temporary directory.  Prints PASS/FAIL lines and
# "N passed, N failed"; exits 1 on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${SERVER_WAIT:=20}"
# shellcheck source=servers.sh source-path=SCRIPTDIR
. "$here/servers.sh"
it_binary profiles.sh "${1:-}"
it_begin profiles.sh profiles
finish() { it_finish "profiles"; }

# check SNAPSHOT REPORT_JSON SECTION: compare with expected.json[SECTION]
check() {
    timeout 30 python3 - "$1" "$2" "$tmp/expected.json" "$3" <<'PY'
import json, math, sys
snap = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2])) if sys.argv[2] != "-" else None
exp = json.load(open(sys.argv[3]))[sys.argv[4]]
got = {s["name"]: s for s in snap["services"]}
prof = {s["name"]: s.get("profile") for s in rep["services"]} if rep else {}
sig = {"p99": "p99_latency_seconds", "p50": "p50_latency_seconds",
       "mean": "mean_latency_seconds", "rps": "requests_per_second",
       "cpu": "cpu_cores", "memory": "memory_bytes", "gc": "gc_seconds"}
for name, e in sorted(exp.items()):
    s = got.get(name)
    if s is None:
        print("FAIL: %s: not in the snapshot" % name)
        continue
    ok = s.get("profile") == e["profile"]
    print("%s: %s: profile %s (wanted %s)" % ("PASS" if ok else "FAIL", name,
                                               s.get("profile"), e["profile"]))
    if rep is not None and prof.get(name) != e["profile"]:
        print("FAIL: %s: report JSON profile %s" % (name, prof.get(name)))
    for k, key in sig.items():
        if k not in e:
            continue
        d = s["signals"].get(key)
        v = d["stats"]["p50"] if d and d.get("stats") else None
        if v is None or not math.isfinite(v) or abs(v - e[k]) > 0.05 * abs(e[k]):
            print("FAIL: %s %s = %s, wanted %.6g (+-5 %%; %s)" %
                  (name, key, v, e[k], d.get("error") if d else "absent"))
        else:
            print("PASS: %s %s = %.6g (wanted %.6g)" % (name, key, v, e[k]))
    if "gc_error" in e:
        d = s["signals"].get("gc_seconds") or {}
        err = d.get("warning") or ""
        ok = e["gc_error"] in err and not d.get("stats")
        print("%s: %s gc_seconds not invented: %s" % ("PASS" if ok else "FAIL", name, err))
        if rep is not None:
            r = [x for x in rep["services"] if x["name"] == name][0]["metrics"].get("gc_seconds")
            ok = r is not None and e["gc_error"] in r.get("warning", "") and "p50" not in r
            print("%s: %s report JSON gc_seconds says why: %s" % ("PASS" if ok else "FAIL",
                                                               name, r))
PY
}

count() {
    p=$(grep -c '^PASS: ' "$1")
    f=$(grep -c '^FAIL: ' "$1")
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && fail "the check printed no result"
}

start=$(date +%s)
if ! timeout 60 python3 "$here/gen_profile_fixtures.py" "$tmp" 2>"$tmp/gen.err"; then
    cat "$tmp/gen.err"
    fail "gen_profile_fixtures.py failed"
    finish
fi
pass "fixtures generated"
if start_prometheus "$tmp"; then
    pass "prometheus ready at $(cat "$tmp/prometheus.url") (backfilled with promtool)"
else
    fail "prometheus did not start (log: $tmp/prometheus.log)"
    finish
fi
url=$(cat "$tmp/prometheus.url")
end=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["end"])' \
    "$tmp/expected.json")

run() {
    NO_COLOR=1 timeout 60 "$bin" "$@" </dev/null
}
if run fetch -c "$here/profiles.yaml" --prometheus "$url" --end "$end" --range 6h \
    -o "$tmp/snap.json" 2>"$tmp/fetch.err"; then
    pass "verdict fetch (exit 0)"
else
    fail "verdict fetch: exit $?"
    sed 's/^/    /' "$tmp/fetch.err" | head -8
fi
run report -c "$here/profiles.yaml" --snapshot "$tmp/snap.json" --format json \
    -o "$tmp/report.json" 2>"$tmp/report.err" || {
    fail "verdict report --snapshot --format json: exit $?"
    sed 's/^/    /' "$tmp/report.err" | head -8
}
[ -s "$tmp/report.json" ] || echo '{"services": []}' >"$tmp/report.json"
if [ -s "$tmp/snap.json" ]; then
    check "$tmp/snap.json" "$tmp/report.json" services >"$tmp/check.out" 2>&1
    cat "$tmp/check.out"
    count "$tmp/check.out"
fi
# an explicit queries.<signal> serves every service; the profiles still
# serve the other signals
{
    cat "$here/profiles.yaml"
    printf 'queries:\n  p99_latency_seconds: "vector(0.123)"\n'
} >"$tmp/explicit.yaml"
if run fetch -c "$tmp/explicit.yaml" --prometheus "$url" --end "$end" --range 6h \
    -o "$tmp/explicit.json" 2>"$tmp/explicit.err"; then
    timeout 30 python3 - "$tmp/explicit.json" "$tmp/expected.json" >"$tmp/explicit.out" <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
exp = json.load(open(sys.argv[2]))["services"]
for s in snap["services"]:
    p99 = s["signals"]["p99_latency_seconds"]["stats"]["p50"]
    p50 = s["signals"]["p50_latency_seconds"]["stats"]["p50"]
    ok = p99 == 0.123 and abs(p50 - exp[s["name"]]["p50"]) <= 0.05 * exp[s["name"]]["p50"]
    print("%s: %s: explicit p99 query used (%s), profile p50 kept (%.6g)" %
          ("PASS" if ok else "FAIL", s["name"], p99, p50))
PY
    cat "$tmp/explicit.out"
    count "$tmp/explicit.out"
else
    fail "verdict fetch with an explicit query: exit $?"
fi
stop_one "$tmp" prometheus

if command -v "$VICTORIA" >/dev/null; then
    if start_victoria "$tmp"; then
        pass "victoria-metrics ready at $(cat "$tmp/victoria.url") (vmrange histogram imported)"
        if run fetch -c "$here/profiles_victoria.yaml" --prometheus "$(cat "$tmp/victoria.url")" \
            --end "$end" --range 6h -o "$tmp/vm.json" 2>"$tmp/vm.err"; then
            pass "verdict fetch from victoria-metrics (exit 0)"
            check "$tmp/vm.json" - victoria >"$tmp/vm.out" 2>&1
            cat "$tmp/vm.out"
            count "$tmp/vm.out"
        else
            fail "verdict fetch from victoria-metrics: exit $?"
            sed 's/^/    /' "$tmp/vm.err" | head -8
        fi
    else
        fail "victoria-metrics did not start (log: $tmp/victoria.log)"
    fi
else
    echo "SKIP: victoria-metrics not installed: the vmrange case is not run"
fi
finish
