#!/usr/bin/env python3
"""check.py: compare what a server or verdict returns with expected.json.

Usage:
  check.py selfcheck SERVER URL EXPECTED      query the server directly
  check.py snapshot SERVER SNAPSHOT EXPECTED [GRID]
                                              a `verdict fetch` snapshot;
                                              GRID: every signal's
                                              count + gaps must equal it
  check.py report SERVER REPORT EXPECTED      a `verdict report --format json`

Prints one "PASS: ..." or "FAIL: ..." line per check (run.sh counts them)
and exits 1 when any check failed.  Python 3 standard library only.
"""

import json
import math
import sys
import urllib.error
import urllib.parse
import urllib.request

TOL = 0.05            # relative tolerance against expected.json
STAT = {"p99_latency_seconds": "p50", "p50_latency_seconds": "p50",
        "cpu_cores": "p95", "memory_bytes": "p95", "requests_per_second": "mean"}
QUERIES = {            # the defaults of models/assumptions.c
    "p99_latency_seconds": 'histogram_quantile(0.99, sum by (le) '
                           '(rate(http_request_duration_seconds_bucket{service="${service}"}[5m])))',
    "p50_latency_seconds": 'histogram_quantile(0.5, sum by (le) '
                           '(rate(http_request_duration_seconds_bucket{service="${service}"}[5m])))',
    "cpu_cores": 'sum(rate(process_cpu_seconds_total{service="${service}"}[5m]))',
    "memory_bytes": 'sum(process_resident_memory_bytes{service="${service}"})',
    "requests_per_second": 'sum(rate(http_request_duration_seconds_count{service="${service}"}[5m]))',
}
MAX_POINTS = 11000    # Prometheus' per-series limit of a range query

failed = 0


def result(ok, what):
    global failed
    print(("PASS: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failed += 1


def close(got, want, tol=TOL):
    if got is None or want is None:
        return False, "missing (got %r, want %r)" % (got, want)
    if not (isinstance(got, (int, float)) and math.isfinite(got)):
        return False, "got %r" % (got,)
    rel = (got - want) / want if want else (0.0 if got == 0 else math.inf)
    return abs(rel) <= tol, "%.6g vs expected %.6g (%+.2f%%)" % (got, want, 100 * rel)


def promql_escape(v):
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def query(url, path, params):
    """POST a form to the server's API; (status, envelope or None, text)."""
    body = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(url.rstrip("/") + path, data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode("utf-8", "replace")
    try:
        return status, json.loads(text), text
    except ValueError:
        return status, None, text


def range_query(url, q, start, end, step):
    return query(url, "/api/v1/query_range",
                 {"query": q, "start": start, "end": end, "step": step, "nocache": "1"})


def values_of(env):
    res = env["data"]["result"]
    if not res:
        return []
    if len(res) != 1:
        raise ValueError("%d series" % len(res))
    return [(float(t), float(v)) for t, v in res[0]["values"]]


def percentile(s, p):
    n = len(s)
    h = (n - 1) * p / 100.0
    lo = int(math.floor(h))
    if lo >= n - 1:
        return s[-1]
    return s[lo] + (h - lo) * (s[lo + 1] - s[lo])


def stats(points, grid):
    vals = [v for _, v in points if math.isfinite(v)]
    st = {"count": len(vals), "gaps": grid - len(vals)}
    if vals:
        s = sorted(vals)
        st.update(p50=percentile(s, 50), p95=percentile(s, 95), p99=percentile(s, 99),
                  mean=sum(vals) / len(vals), max=s[-1])
    return st


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ------------------------------------------------------------- selfcheck

def selfcheck(server, url, exp):
    start, end, step, grid = exp["start"], exp["end"], exp["step"], exp["grid_points"]
    table = []
    for svc in exp["services"]:
        name = svc["name"]
        for sig, tmpl in QUERIES.items():
            q = tmpl.replace("${service}", promql_escape(name))
            status, env, text = range_query(url, q, start, end, step)
            what = "%s selfcheck %s %s" % (server, name, sig)
            if env is None or env.get("status") != "success":
                result(False, "%s: HTTP %d %s" % (what, status, text[:200]))
                continue
            try:
                pts = values_of(env)
            except ValueError as e:
                result(False, "%s: %s" % (what, e))
                continue
            if not svc["has_data"]:
                result(not pts, "%s: no data (%d points)" % (what, len(pts)))
                continue
            st = stats(pts, grid)
            want = svc["signals"][sig]
            ok, msg = close(st.get(STAT[sig]), want["model"])
            result(ok, "%s %s-over-time %s" % (what, STAT[sig], msg))
            table.append((name, sig, st.get(STAT[sig]), want["model"]))
            if svc.get("gap"):
                result(st["gaps"] > 0, "%s: gap shows as %d missing points (expected %d)"
                       % (what, st["gaps"], want["gaps"]))
            else:
                result(st["count"] == grid, "%s: %d of %d points" % (what, st["count"], grid))

    # the label value with a quote and non-ASCII survived the round trip
    for svc in exp["services"]:
        if '"' not in svc["name"]:
            continue
        q = 'count by (service) (process_cpu_seconds_total{service="%s"})' % \
            promql_escape(svc["name"])
        status, env, text = query(url, "/api/v1/query", {"query": q, "time": end})
        got = [r["metric"].get("service") for r in env["data"]["result"]] if env else None
        result(got == [svc["name"]], "%s selfcheck label value %r stored and matched exactly "
               "(server says %r)" % (server, svc["name"], got))

    # runtime info metrics, for language detection
    for svc in exp["services"]:
        metric = svc.get("language_metric")
        if not metric:
            continue
        q = 'count by (service) (%s{service="%s"})' % (metric, promql_escape(svc["name"]))
        status, env, text = query(url, "/api/v1/query", {"query": q, "time": end})
        n = len(env["data"]["result"]) if env and env.get("status") == "success" else -1
        result(n == 1, "%s selfcheck %s present for %s" % (server, metric, svc["name"]))

    # step 15 s over the whole range: 11,521 points, over Prometheus' limit;
    # two chunks stitched at a seam give every point exactly once
    name = exp["services"][0]["name"]
    q = QUERIES["cpu_cores"].replace("${service}", promql_escape(name))
    s15, n15 = 15, (end - start) // 15 + 1
    status, env, text = range_query(url, q, start, end, s15)
    single_ok = env is not None and env.get("status") == "success"
    result(single_ok or (status == 400 and "11,000" in text),
           "%s selfcheck one query of %d points: %s" % (
               server, n15, "answered" if single_ok else "refused (HTTP %d: %s)"
               % (status, (env or {}).get("error", text)[:90])))
    pts = []
    seam = start + (MAX_POINTS - 1) * s15
    for a, b in ((start, seam), (seam + s15, end)):
        status, env, text = range_query(url, q, a, b, s15)
        if env is None or env.get("status") != "success":
            result(False, "%s selfcheck chunk %d..%d: HTTP %d %s" % (server, a, b, status,
                                                                      text[:200]))
            break
        pts += values_of(env)
    ts = [t for t, _ in pts]
    ok = (len(ts) == n15 and len(set(ts)) == n15 and ts[0] == start and ts[-1] == end
          and all(ts[i + 1] - ts[i] == s15 for i in range(len(ts) - 1)))
    result(ok, "%s selfcheck two chunks at step 15s stitch into %d points, %d distinct "
           "(want %d)" % (server, len(ts), len(set(ts)), n15))

    print("# %s agreement with expected.json (model statistic over time):" % server)
    for name, sig, got, want in table:
        if sig in ("p99_latency_seconds", "cpu_cores", "memory_bytes"):
            rel = 100 * (got - want) / want if got is not None and want else float("nan")
            print("#   %-16s %-20s %14.6g %14.6g %+8.4f%%" % (name, sig, got, want, rel))


# ---------------------------------------------------------- verdict's files

def by_name(items):
    return {s.get("name"): s for s in items if isinstance(s, dict)}


def snapshot(server, path, exp, grid):
    snap = load(path)
    what0 = "%s fetch%s" % (server, " --step 15s" if grid else "")
    result(snap.get("schema") == "verdict.snapshot/1",
           "%s: schema %r" % (what0, snap.get("schema")))
    got = by_name(snap.get("services", []))
    for svc in exp["services"]:
        name = svc["name"]
        s = got.get(name)
        what = "%s %s" % (what0, name)
        if s is None:
            result(False, "%s: not in the snapshot (names: %s)" % (what, sorted(got)))
            continue
        sigs = s.get("signals") or {}
        if svc.get("language_metric"):
            result(s.get("detected_language") == svc["language"],
                   "%s: detected_language %r from %s (want %r)" % (
                       what, s.get("detected_language"), svc["language_metric"],
                       svc["language"]))
        if not svc["has_data"]:
            errs = [s.get("error")] + [(sigs.get(k) or {}).get("error") for k in QUERIES]
            text = " ".join(str(e) for e in errs if e)
            counts = [((sigs.get(k) or {}).get("stats") or {}).get("count", 0) or 0
                      for k in QUERIES]
            result(bool(text) and not any(counts),
                   "%s: reported as an error with no numbers (%r)" % (what, text[:100]))
            result("no data" in text.lower(), "%s: the error says \"no data\"" % what)
            continue
        for sig in QUERIES:
            sd = sigs.get(sig) or {}
            st = sd.get("stats") or {}
            want = svc["signals"][sig]
            if sd.get("error"):
                result(False, "%s %s: error %r" % (what, sig, sd["error"]))
                continue
            ok, msg = close(st.get(STAT[sig]), want["model"])
            result(ok, "%s %s %s-over-time %s" % (what, sig, STAT[sig], msg))
            if grid:
                n = (st.get("count") or 0) + (st.get("gaps") or 0)
                result(n == grid, "%s %s: count %s + gaps %s = %d, grid %d" % (
                    what, sig, st.get("count"), st.get("gaps"), n, grid))
            if svc.get("gap"):
                result((st.get("gaps") or 0) > 0, "%s %s: gaps %s > 0 (expected about %d)"
                       % (what, sig, st.get("gaps"), want["gaps"]))


def report(server, path, exp):
    rep = load(path)
    result(rep.get("schema") == "verdict.report/1",
           "%s report: schema %r" % (server, rep.get("schema")))
    got = by_name(rep.get("services", []))
    errors = json.dumps(rep.get("errors", []), ensure_ascii=False)
    for svc in exp["services"]:
        name = svc["name"]
        s = got.get(name)
        what = "%s report %s" % (server, name)
        if s is None:
            result(False, "%s: not in the report" % what)
            continue
        if not svc["has_data"]:
            err = s.get("error") or (name in errors and errors)
            result(bool(err), "%s: keeps its error (%r)" % (what, str(err)[:100]))
            continue
        if svc.get("language_metric"):
            result(s.get("language") == svc["language"], "%s: language %r (inventory has "
                   "none; %s says %r)" % (what, s.get("language"), svc["language_metric"],
                                          svc["language"]))
        m = s.get("metrics") or {}
        for sig in ("p99_latency_seconds", "p50_latency_seconds", "cpu_cores", "memory_bytes"):
            ok, msg = close((m.get(sig) or {}).get(STAT[sig]), svc["signals"][sig]["model"])
            result(ok, "%s metrics.%s.%s %s" % (what, sig, STAT[sig], msg))
        d = s.get("derived") or {}
        for key, sig in (("p99_seconds", "p99_latency_seconds"),
                         ("p50_seconds", "p50_latency_seconds")):
            if key in d:
                ok, msg = close(d[key], svc["signals"][sig]["model"])
                result(ok, "%s derived.%s %s" % (what, key, msg))


def main(argv):
    if len(argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    mode, server, arg, exp = argv[1], argv[2], argv[3], load(argv[4])
    try:
        if mode == "selfcheck":
            selfcheck(server, arg, exp)
        elif mode == "snapshot":
            snapshot(server, arg, exp, int(argv[5]) if len(argv) > 5 else 0)
        elif mode == "report":
            report(server, arg, exp)
        else:
            sys.stderr.write(__doc__)
            return 2
    except Exception as e:      # a malformed file or answer is a failure, not a crash
        result(False, "%s %s: %s: %s" % (server, mode, type(e).__name__, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
