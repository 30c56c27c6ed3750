#!/usr/bin/python3
"""check.py: the real stack against itself, and verdict against the stack.

Usage:
  check.py stack URL END RANGE STACK.tsv LOAD.json
  check.py verdict PART URL END RANGE STEP STACK.tsv LOAD.json REPORT.json DRYRUN.txt

STACK.tsv (run.sh writes it): one line per process, "JOB LANGUAGE PID
PORT"; LOAD.json is load.py's.  The grid is RANGE seconds up to END at
STEP seconds, as verdict aligns it (integer END and STEP: start = END -
RANGE).

stack:   every target is up, count(up) per job is the number of processes
         started, no series carries a `service` label, each job exports
         its runtime's info metric, every request was answered, and the
         histograms count the requests load.py had answered over the range.
verdict: for every job (the inventory's and the discovered ones), the
         report's metrics against the same PromQL run here directly
         (the queries verdict sends, read from `verdict fetch --dry-run`):
         p50, p95 and mean over time and the number of points, within
         TOL; the language as detected; the discovered jobs flagged so;
         instances against count(up) (typed in part 1; in part 2 when
         the report's origins say measured, else a "#" note); the CPU
         against /proc/PID/stat over the same rate windows (when they lie
         within the load), the memory against /proc/PID/statm.  A
         discovered job's latency is "no data" in part 1 (node_exporter
         and Prometheus export no http_request_duration_seconds); in part
         2 it is only shown, as its query may follow a profile the dry run
         cannot list.

Prints one "PASS: ..." or "FAIL: ..." line per check and "#" lines with
the figures; exits 1 when a check failed.  Python 3 standard library only.
"""

import json
import math
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

TOL = 0.05            # verdict against direct PromQL (issue 15: within 5 %)
PROC_TOL = 0.03       # CPU against /proc/PID/stat ("within a few %")
MEM_TOL = 0.05        # memory against /proc/PID/statm
LOAD_TOL = 0.05       # the histograms' request count against load.py's answers
SIGNALS = ("p99_latency_seconds", "p50_latency_seconds", "cpu_cores", "memory_bytes",
           "requests_per_second", "mean_latency_seconds")
LATENCY = ("p99_latency_seconds", "p50_latency_seconds", "requests_per_second",
           "mean_latency_seconds")
INFO = {"python": "python_info", "node": "nodejs_version_info", "go": "go_info"}

failed = 0


def result(ok, what):
    global failed
    print(("PASS: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failed += 1


def rel(got, want):
    if want == 0:
        return 0.0 if got == 0 else math.inf
    return (got - want) / want


def close(got, want, tol):
    if not isinstance(got, (int, float)) or isinstance(got, bool) or not math.isfinite(got):
        return False, "got %r, want %.6g" % (got, want)
    if want is None or not math.isfinite(want):
        return False, "got %.6g, want %r" % (got, want)
    r = rel(got, want)
    return abs(r) <= tol, "%.6g vs %.6g (%+.3f%%)" % (got, want, 100 * r)


def api(url, path, params):
    body = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(url.rstrip("/") + path, data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
    env = json.loads(text)
    if env.get("status") != "success":
        raise ValueError("%s: %s" % (params.get("query"), env.get("error", text[:200])))
    return env["data"]["result"]


def instant(url, q, t):
    return api(url, "/api/v1/query", {"query": q, "time": t})


def series(url, q, start, end, step):
    res = api(url, "/api/v1/query_range", {"query": q, "start": start, "end": end,
                                           "step": step})
    if len(res) > 1:
        raise ValueError("%s: %d series" % (q, len(res)))
    return [(float(t), float(v)) for t, v in res[0]["values"]] if res else []


def percentile(s, p):
    """Type 7, as models/stats.c."""
    h = (len(s) - 1) * p / 100.0
    lo = int(math.floor(h))
    if lo >= len(s) - 1:
        return s[-1]
    return s[lo] + (h - lo) * (s[lo + 1] - s[lo])


def stats(points):
    vals = sorted(v for _, v in points if math.isfinite(v))
    if not vals:
        return {"points": 0}
    return {"points": len(vals), "p50": percentile(vals, 50), "p95": percentile(vals, 95),
            "mean": sum(vals) / len(vals), "max": vals[-1]}


def load_stack(path):
    jobs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            job, lang, pid, port = line.split()
            j = jobs.setdefault(job, {"language": lang, "pids": [], "ports": []})
            j["pids"].append(int(pid))
            j["ports"].append(int(port))
    return jobs


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def instrumented(jobs):
    """The test services (those load.py drives), not node_exporter or Prometheus."""
    return [j for j in jobs if j not in ("node", "prometheus")]


# ------------------------------------------------------------------ stack

def check_stack(url, end, rng, jobs, load):
    n = sum(len(j["pids"]) for j in jobs.values())
    up = instant(url, "sum(up)", end)
    result(bool(up) and float(up[0]["value"][1]) == n,
           "stack: %s of %d targets up at the end of the range"
           % (up[0]["value"][1] if up else 0, n))
    for name, j in sorted(jobs.items()):
        got = instant(url, 'count(up{job="%s"} == 1)' % name, end)
        c = int(float(got[0]["value"][1])) if got else 0
        result(c == len(j["pids"]), "stack: count(up{job=%r} == 1) = %d, %d processes started"
               % (name, c, len(j["pids"])))
        metric = INFO[j["language"]]
        got = instant(url, 'count(%s{job="%s"})' % (metric, name), end)
        c = int(float(got[0]["value"][1])) if got else 0
        result(c == len(j["pids"]), "stack: %s has %s on %d of %d targets"
               % (name, metric, c, len(j["pids"])))
    got = instant(url, 'count({service!=""})', end)
    result(not got, "stack: no series has a `service` label (%s)"
           % (got[0]["value"][1] + " have" if got else "none"))
    got = instant(url, 'count by (job) (http_request_duration_seconds_bucket)', end)
    have = sorted(r["metric"].get("job") for r in got)
    result(have == sorted(instrumented(jobs)),
           "stack: http_request_duration_seconds_bucket from exactly the test services %s"
           % have)

    # the load: every request answered, and the rate the histograms count
    # (over the range, as rate() sees it) is the rate load.py sent
    sent = sum(t["sent"] for t in load["targets"].values())
    errs = sum(t["errors"] for t in load["targets"].values())
    result(errs == 0 and sent > 0, "stack: load.py sent %d requests in %.0f s, %d errors"
           % (sent, load["seconds"], errs))
    for name in instrumented(jobs):
        q = 'sum(increase(http_request_duration_seconds_count{job="%s"}[%ds]))' % (name, rng)
        got = instant(url, q, end)
        v = float(got[0]["value"][1]) / rng if got else math.nan
        answered = 0
        for port in jobs[name]["ports"]:
            per = load["targets"].get("127.0.0.1:%d" % port, {}).get("per_second", {})
            answered += sum(n for sec, n in per.items() if end - rng <= int(sec) < end)
        ok, msg = close(v, answered / rng, LOAD_TOL)
        result(ok, "stack: %s's histograms count %s requests a second over the range, "
               "as load.py's answers" % (name, msg))
        n = len(jobs[name]["pids"])
        print("#   stack: %s answered %.1f requests a second over the range; load.py "
              "aimed at %g (%d x %g)" % (name, answered / rng, load["rate"] * n, n,
                                         load["rate"]), flush=True)


# ---------------------------------------------------------------- verdict

def queries(dry_path, names):
    """{service: {signal: query}} from the dry run's lines, and per signal a
    template with {S} for the service (from the first service's queries),
    for the discovered jobs, which the dry run cannot list."""
    rows = {}
    with open(dry_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5 and parts[0] in names:
                rows.setdefault(parts[0], {})[parts[1]] = parts[4]
    if not rows:
        raise ValueError("no queries in %s" % dry_path)
    first = sorted(rows)[0]
    tmpl = {sig: q.replace('"%s"' % first, '"{S}"') for sig, q in rows[first].items()}
    return rows, tmpl


def window_s(q):
    """The rate window of a query in seconds (the largest [N] in it), or None."""
    best = None
    for num, unit in re.findall(r"\[(\d+)([smh])\]", q):
        s = int(num) * {"s": 1, "m": 60, "h": 3600}[unit]
        best = s if best is None else max(best, s)
    return best


def cumulative(samples, t):
    """A /proc counter at time t, linear between load.py's readings."""
    for (t0, c0), (t1, c1) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            return c0 + (c1 - c0) * (t - t0) / (t1 - t0) if t1 > t0 else c0
    return None


def proc_cpu(load, pids, grid, w):
    """The /proc counterpart of mean over grid of sum(rate(cpu[w])): the same
    windows, read off /proc/PID/stat; None when a window is outside the readings."""
    total = 0.0
    for t in grid:
        for p in pids:
            s = [(x[0], x[1]) for x in load["proc"].get(str(p), [])]
            a, b = cumulative(s, t - w), cumulative(s, t)
            if a is None or b is None:
                return None
            total += (b - a) / w
    return total / len(grid)


def proc_rss(load, pids, grid):
    total = 0.0
    for t in grid:
        for p in pids:
            s = [(x[0], x[2]) for x in load["proc"].get(str(p), [])]
            v = cumulative(s, t)
            if v is None:
                return None
            total += v
    return total / len(grid)


def number(v):
    if isinstance(v, dict):
        v = v.get("likely")
    return v


def check_verdict(part, url, end, rng, step, jobs, load, rep, dry_path):
    start = end - rng
    grid = [start + i * step for i in range(int(rng // step) + 1)]
    result(rep.get("schema") == "verdict.report/1", "%s: report schema %r"
           % (part, rep.get("schema")))
    by = {s.get("name"): s for s in rep.get("services", []) if isinstance(s, dict)}
    result(sorted(by) == sorted(jobs), "%s: the report has every job, no more: %s"
           % (part, sorted(by)))
    inventory = instrumented(jobs)
    rows, tmpl = queries(dry_path, inventory)
    bad = ["%s %s: %s" % (n, sig, q) for n in inventory for sig, q in rows.get(n, {}).items()
           if ('job="%s"' % n) not in q.replace(" ", "")]
    result(sorted(rows) == sorted(inventory) and not bad,
           "%s: every query verdict sends selects job=\"<service>\" (%d services x %d "
           "signals)%s" % (part, len(rows), len(tmpl), ": not " + "; ".join(bad) if bad else ""))
    errors = json.dumps(rep.get("errors", []), ensure_ascii=False)
    figures = []
    for name, j in sorted(jobs.items()):
        s = by.get(name)
        if s is None:
            continue
        what = "%s %s" % (part, name)
        lang = s.get("language")
        result(lang == j["language"], "%s: language %r detected (want %r, from %s)"
               % (what, lang, j["language"], INFO[j["language"]]))
        if name not in inventory:
            flags = [f.get("flag") for f in s.get("flags") or [] if isinstance(f, dict)]
            result("discovered" in flags, "%s: found by discovery (flags %s)" % (what, flags))
        m = s.get("metrics") or {}
        for sig in SIGNALS:
            if sig not in tmpl:
                continue
            q = rows[name].get(sig) if name in rows else tmpl[sig].replace("{S}", name)
            if q is None:
                result(False, "%s %s: not in the dry run" % (what, sig))
                continue
            direct = stats(series(url, q, start, end, step))
            got = m.get(sig)
            if name not in inventory and sig in LATENCY and part != "part 1":
                # a discovered job's query may follow a profile the dry run
                # cannot show (Prometheus's own histogram): say what came
                print("#   %s %s: %s (verdict), %d points directly with the inventory's "
                      "template" % (what, sig, "no data" if not got else
                                    "p50 %.6g" % got.get("p50", math.nan),
                                    direct["points"]), flush=True)
                continue
            if name not in inventory and sig in LATENCY:
                # node_exporter and Prometheus export no such histogram
                result(direct["points"] == 0 and not got and name in errors
                       and "no data" in errors.lower(),
                       "%s %s: no data, directly (%d points) and in verdict's errors"
                       % (what, sig, direct["points"]))
                continue
            if direct["points"] == 0:
                result(False, "%s %s: the direct query has no data: %s" % (what, sig, q))
                continue
            if not isinstance(got, dict):
                result(False, "%s %s: not in the report (%r)" % (what, sig, got))
                continue
            result(got.get("points") == direct["points"], "%s %s: %s points (direct %d)"
                   % (what, sig, got.get("points"), direct["points"]))
            for st in ("p50", "p95", "mean"):
                ok, msg = close(got.get(st), direct[st], TOL)
                result(ok, "%s %s %s-over-time %s direct PromQL" % (what, sig, st, msg))
            figures.append((name, sig, got.get("p50"), direct["p50"]))

        # instances: the processes started, as count(up) says
        up = instant(url, 'count(up{job="%s"} == 1)' % name, end)
        n_up = int(float(up[0]["value"][1])) if up else 0
        n = number((s.get("inputs") or {}).get("instances"))
        origin = str((s.get("origins") or {}).get("instances", ""))
        if name in inventory and part == "part 1":
            result(n == n_up == len(j["pids"]), "%s: instances %r, count(up) %d, %d started"
                   % (what, n, n_up, len(j["pids"])))
        elif origin.startswith("measured"):
            result(n == n_up == len(j["pids"]), "%s: instances %r (%s), count(up) %d, %d "
                   "started" % (what, n, origin, n_up, len(j["pids"])))
        else:
            print("#   %s: instances %r not measured by this build (origin %r); count(up) "
                  "is %d" % (what, n, origin or None, n_up), flush=True)

        # the processes themselves
        cpu_q = (rows.get(name) or tmpl).get("cpu_cores", "")
        w = window_s(cpu_q)
        cpu = (m.get("cpu_cores") or {}).get("mean")
        if w is not None and grid[0] - w >= load["start"]:
            want = proc_cpu(load, j["pids"], grid, w)
            if want is None:
                result(False, "%s: no /proc readings over the range" % what)
            else:
                ok, msg = close(cpu, want, PROC_TOL)
                result(ok, "%s cpu_cores mean %s /proc/PID/stat (utime+stime over the same "
                       "%d s windows, %d pid%s)" % (what, msg, w, len(j["pids"]),
                                                    "s" if len(j["pids"]) > 1 else ""))
        else:
            print("#   %s: no CPU comparison with /proc: the rate window %s reaches back "
                  "before the load started" % (what, "[%ds]" % w if w else "?"), flush=True)
        want = proc_rss(load, j["pids"], grid)
        mem = (m.get("memory_bytes") or {}).get("mean")
        if want is None:
            result(False, "%s: no /proc readings over the range" % what)
        else:
            ok, msg = close(mem, want, MEM_TOL)
            result(ok, "%s memory_bytes mean %s /proc/PID/statm resident (%d pid%s)"
                   % (what, msg, len(j["pids"]), "s" if len(j["pids"]) > 1 else ""))
    print("# %s: verdict against direct PromQL (median over time):" % part)
    for name, sig, got, want in figures:
        print("#   %-10s %-22s %12.6g %12.6g %+8.4f%%"
              % (name, sig, got if isinstance(got, (int, float)) else math.nan, want,
                 100 * rel(got, want) if isinstance(got, (int, float)) else math.nan))


def main(argv):
    try:
        if len(argv) == 7 and argv[1] == "stack":
            check_stack(argv[2], int(argv[3]), int(argv[4]), load_stack(argv[5]),
                        load_json(argv[6]))
        elif len(argv) == 11 and argv[1] == "verdict":
            check_verdict(argv[2], argv[3], int(argv[4]), int(argv[5]), int(argv[6]),
                          load_stack(argv[7]), load_json(argv[8]), load_json(argv[9]),
                          argv[10])
        else:
            sys.stderr.write(__doc__)
            return 2
    except Exception as e:      # a malformed file or answer is a failure, not a crash
        result(False, "check.py %s: %s: %s" % (argv[1], type(e).__name__, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
