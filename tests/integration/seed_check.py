#!/usr/bin/env python3
"""seed_check.py: the seeds' cases in a `verdict report --format json` (issue 14, Checks).

Usage: seed_check.py REPORT.json EXPECTED.json

EXPECTED.json is gen_seed_fixtures.py's.  Per case, three groups of checks,
one "PASS: ..." or "FAIL: ..." line each (seed_cases.sh counts them):
  fixture  what verdict measured from the real Prometheus against the
           figures the fixtures encode (the seeds' numbers), within
           FIGURE_TOL, and the inventory the report echoes against the
           fixtures' instances, cores and cost: a failure here is the
           fixtures' or the fetch's, not the model's;
  data     enough data, a score, no error;
  outcome  what issue 14 expects: the recommendation, the (undiscounted)
           break-even month within a bound, flags present or absent by name.
Then one "#" table of what each case gives today (recommendation, score,
NPV at likely values, NPV P50, P(NPV>0), break-even, flags with their
kind when the report has one), for the lead.  Exits 1 when any check
failed.  Python 3 standard library only.
"""

import json
import math
import sys

FIGURE_TOL = 0.03

failed = 0


def result(ok, what):
    global failed
    print(("PASS: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failed += 1


def close(got, want, tol=FIGURE_TOL):
    if not isinstance(got, (int, float)) or isinstance(got, bool) or not math.isfinite(got):
        return False, "got %r, the figure is %.6g" % (got, want)
    rel = (got - want) / want if want else (0.0 if got == 0 else math.inf)
    return abs(rel) <= tol, "%.6g vs the figure %.6g (%+.2f%%)" % (got, want, 100 * rel)


def metric(s, sig, stat):
    return ((s.get("metrics") or {}).get(sig) or {}).get(stat)


# figure -> how to read it from a report's service (None: not in the report)
READ = {
    "p99_latency_seconds": lambda s: metric(s, "p99_latency_seconds", "p50"),
    "cpu_cores_p95": lambda s: metric(s, "cpu_cores", "p95"),
    "cpu_cores_max": lambda s: metric(s, "cpu_cores", "max"),
    "memory_bytes_p95": lambda s: metric(s, "memory_bytes", "p95"),
    "requests_per_second_mean": lambda s: metric(s, "requests_per_second", "mean"),
    # not measured by verdict yet: checked when the report has it
    "mean_latency_seconds": lambda s: (metric(s, "mean_latency_seconds", "mean")
                                       or metric(s, "mean_latency_seconds", "p50")),
}


def fixture_checks(c, s):
    name = c["name"]
    for fig, want in sorted(c["figures"].items()):
        if fig == "runtime_share_mean":
            # CPU seconds per request is the share's numerator: share * mean
            got = (s.get("derived") or {}).get("cpu_seconds_per_request")
            ok, msg = close(got, c["params"]["cpu_per_request_s"])
            result(ok, "%s fixture cpu_seconds_per_request %s (share %.2f of the mean "
                   "latency %.4g s)" % (name, msg, want, c["params"]["mean_s"]))
            continue
        got = READ[fig](s)
        if got is None and fig == "mean_latency_seconds":
            continue
        ok, msg = close(got, want)
        result(ok, "%s fixture %s %s" % (name, fig, msg))
    # latencies no seed gives: against the fixtures' own reading of the
    # buckets (PromQL re-implemented in gen_seed_fixtures.py)
    for sig in ("p99_latency_seconds", "p50_latency_seconds"):
        if sig in c["figures"]:
            continue
        ok, msg = close(metric(s, sig, "p50"), c["measured"][sig])
        result(ok, "%s fixture %s %s (no seed figure: as the fixtures compute it)"
               % (name, sig, msg))
    inp = s.get("inputs") or {}
    for k, want in sorted(c["inputs"].items()):
        result(inp.get(k) == want, "%s inventory %s %r (the fixtures have %r)"
               % (name, k, inp.get(k), want))
    result(s.get("language") == c["language"], "%s language %r (want %r)"
           % (name, s.get("language"), c["language"]))
    result(s.get("workload") == c["workload"], "%s workload %r (want %r)"
           % (name, s.get("workload"), c["workload"]))


def flag_names(s):
    return [f.get("flag") for f in s.get("flags") or [] if isinstance(f, dict)]


def outcome_checks(c, s):
    name, e = c["name"], c["expect"]
    cost = s.get("cost") or {}
    if e.get("recommendation"):
        result(s.get("recommendation") == e["recommendation"],
               "%s outcome recommendation %r (issue 14 expects %r): %s"
               % (name, s.get("recommendation"), e["recommendation"],
                  s.get("recommendation_reason")))
    if e.get("break_even_max"):
        be = cost.get("break_even_month")
        result(isinstance(be, int) and be <= e["break_even_max"],
               "%s outcome break_even_month %r (issue 14 expects within %d months)"
               % (name, be, e["break_even_max"]))
    got = flag_names(s)
    for f in e.get("flags_present", []):
        result(f in got, "%s outcome flagged %s (flags: %s)" % (name, f, got))
    for f in e.get("flags_absent", []):
        result(f not in got, "%s outcome not flagged %s (flags: %s)" % (name, f, got))


def money(v):
    return "-" if not isinstance(v, (int, float)) else "%+.0fk" % (v / 1000.0)


def summary(exp, by):
    print("# what each case gives today (NPV at likely values; P50 of the Monte Carlo):")
    print("#   %-16s %-9s %5s %8s %8s %6s %4s  %s" % (
        "service", "verdict", "score", "npv", "npv_p50", "P(>0)", "be", "flags"))
    for c in exp["cases"]:
        s = by.get(c["name"]) or {}
        cost = s.get("cost") or {}
        sc = s.get("score")
        pp = cost.get("probability_positive")
        flags = ", ".join("%s%s" % (f.get("flag"), "/" + f["kind"] if f.get("kind") else "")
                          for f in s.get("flags") or [] if isinstance(f, dict)) or "-"
        print("#   %-16s %-9s %5s %8s %8s %6s %4s  %s" % (
            c["name"], s.get("recommendation"),
            "-" if not isinstance(sc, (int, float)) else "%.1f" % sc,
            money(cost.get("npv")), money(cost.get("npv_p50")),
            "-" if not isinstance(pp, (int, float)) else "%.0f%%" % (100 * pp),
            cost.get("break_even_month") if cost.get("break_even_month") is not None
            else "-", flags))
        d = s.get("derived") or {}
        print("#   %-16s p99 %.3g s, p50 %.3g s, cpu p95 %.3g of %g cores, runtime share "
              "%.3g, fleet %s, %s -> %s instances" % (
                  "", d.get("p99_seconds") or math.nan, d.get("p50_seconds") or math.nan,
                  metric(s, "cpu_cores", "p95") or math.nan,
                  c["inputs"]["instances"] * c["inputs"]["cores_per_instance"],
                  d.get("runtime_share") or math.nan, cost.get("fleet_bound"),
                  c["inputs"]["instances"], cost.get("instances_after")))


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            rep = json.load(f)
        with open(argv[2], encoding="utf-8") as f:
            exp = json.load(f)
        result(rep.get("schema") == "verdict.report/1", "report schema %r" % rep.get("schema"))
        result(not rep.get("errors"), "report errors: %s" % (rep.get("errors") or "none"))
        by = {s.get("name"): s for s in rep.get("services", []) if isinstance(s, dict)}
        for c in exp["cases"]:
            s = by.get(c["name"])
            if s is None:
                result(False, "%s: not in the report (names: %s)" % (c["name"], sorted(by)))
                continue
            fixture_checks(c, s)
            enough = (s.get("derived") or {}).get("enough_data")
            result(enough is True and isinstance(s.get("score"), (int, float))
                   and not s.get("error"),
                   "%s data: enough_data %r, score %r, error %r"
                   % (c["name"], enough, s.get("score"), s.get("error")))
            outcome_checks(c, s)
        summary(exp, by)
    except Exception as e:     # a malformed file is a failure, not a crash
        result(False, "seed_check.py: %s: %s" % (type(e).__name__, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
