#!/usr/bin/env python3
"""gen_fixtures.py: deterministic fixtures for verdict's real-server tests.

Usage: gen_fixtures.py OUTDIR

Writes into OUTDIR:
  om/NNN.om      OpenMetrics text for `promtool tsdb create-blocks-from
                 openmetrics`, one file per 2 h block (seconds timestamps,
                 "# TYPE" lines, each series sorted by time, "# EOF")
  fixtures.prom  the same samples in the Prometheus text exposition format
                 with millisecond timestamps, for VictoriaMetrics'
                 /api/v1/import/prometheus
  expected.json  the truth over the query window, computed here from the
                 samples themselves (no server involved): per service and
                 signal the series a query_range at step 60 s would return,
                 reduced to the statistics verdict reports.

The window ends at END = 2026-11-01T00:00:00Z and spans 2 days; samples
every 15 s (aligned to multiples of 15 s, so every 5m rate window has a
sample on both edges), starting 15 min before the window so the first rate
windows are full.  Python 3 standard library only; the only randomness is
random.Random(SEED), so the output is byte-for-byte reproducible.

How the expected values are computed (PromQL semantics of Prometheus 2.x,
re-implemented independently here):
  rate(x[5m]) at t   samples with t-300 <= ts <= t; counter resets
                     corrected (a drop adds the previous value); the
                     increase extrapolated to the window edges as
                     Prometheus' extrapolatedRate does; fewer than two
                     samples -> no point.
  histogram_quantile per-`le` rates summed over instances, then linear
                     interpolation inside the bucket holding rank q*count
                     (the +Inf bucket answers the highest finite bound;
                     the first bucket interpolates from 0).
  instant gauge      the latest sample in (t-300, t] (5m lookback).
Statistics over time use percentile type 7 (as models/stats.c does).
"""

import json
import math
import os
import random
import sys

END = 1793491200                 # 2026-11-01T00:00:00Z
RANGE = 2 * 86400                # the query window: [END - 2d, END]
START = END - RANGE
SCRAPE = 15                      # seconds between samples
LEAD_IN = 15 * 60                # samples start this long before START
T0 = START - LEAD_IN
NPTS = (END - T0) // SCRAPE + 1  # samples per series (both ends included)
STEP = 60                        # the step expected.json is computed at
RATE_WINDOW = 300                # [5m]
LOOKBACK = 300                   # Prometheus' default lookback delta
SEED = 20261101
DAY = 86400.0

BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
LE_TEXT = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
           "10.0", "+Inf"]
MiB = 1024 * 1024

# The services.  rps: whole-fleet requests per second (split 55/45 over the
# two instances); median/sigma: lognormal latency (median moves with load);
# cpu_per_req: CPU seconds per request; idle: cores per instance at rest;
# mem: bytes per instance at START, mem_growth: bytes per instance per day.
SERVICES = [
    # CPU-bound: most of a request's p50 is CPU time (the migrate candidate)
    {"name": "checkout", "language": "python", "rps": 120.0, "median": 0.045, "sigma": 0.9,
     "cpu_per_req": 0.035, "idle": 0.05, "mem": 310 * MiB, "mem_growth": 0,
     "info": ("python_info", [("implementation", "CPython"), ("major", "3"), ("minor", "11"),
                              ("patchlevel", "4"), ("version", "3.11.4")])},
    {"name": "gateway", "language": "go", "rps": 900.0, "median": 0.004, "sigma": 0.6,
     "cpu_per_req": 0.0003, "idle": 0.02, "mem": 64 * MiB, "mem_growth": 0,
     "info": ("go_info", [("version", "go1.21")])},
    # leaks: resident memory grows steadily, 200 MiB per instance per day
    {"name": "ledger", "language": "java", "rps": 50.0, "median": 0.12, "sigma": 0.5,
     "cpu_per_req": 0.06, "idle": 0.1, "mem": 900 * MiB, "mem_growth": 200 * MiB},
    # one instance restarts mid-window: its CPU counter resets to 0
    {"name": "search", "language": "node", "rps": 300.0, "median": 0.02, "sigma": 1.1,
     "cpu_per_req": 0.002, "idle": 0.03, "mem": 180 * MiB, "mem_growth": 0,
     "reset": (1, END - DAY - 7 * 60)},
    # nothing at all scraped for 2 hours
    {"name": "billing-batch", "language": "java", "rps": 20.0, "median": 0.8, "sigma": 0.7,
     "cpu_per_req": 0.03, "idle": 0.05, "mem": 450 * MiB, "mem_growth": 0,
     "gap": (END - 30 * 3600, END - 28 * 3600)},
    # a label value that must survive escaping: a double quote and non-ASCII
    {"name": 'quote"d-\u00fcn\u00ef', "language": "python", "rps": 40.0, "median": 0.03,
     "sigma": 0.4, "cpu_per_req": 0.005, "idle": 0.02, "mem": 128 * MiB, "mem_growth": 0},
]
# In the inventory, never scraped: every query answers "no data".
NO_DATA_SERVICES = ["ghost"]
INSTANCE_SHARE = [0.55, 0.45]

SIGNALS = ["p99_latency_seconds", "p50_latency_seconds", "cpu_cores", "memory_bytes",
           "requests_per_second"]
# The statistic the model uses for each signal (DESIGN.md / issue 3).
MODEL_STAT = {"p99_latency_seconds": "p50", "p50_latency_seconds": "p50",
              "cpu_cores": "p95", "memory_bytes": "p95", "requests_per_second": "mean"}


def esc(v):
    """Label value escaping shared by OpenMetrics and the text format."""
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def lognorm_cdf(x, median, sigma):
    if x <= 0:
        return 0.0
    return 0.5 * (1.0 + math.erf(math.log(x / median) / (sigma * math.sqrt(2.0))))


def fmt(v):
    if isinstance(v, int):
        return str(v)
    r = repr(float(v))
    return r[:-2] if r.endswith(".0") else r


# ---------------------------------------------------------------- the data

def simulate(svc, rng):
    """Per instance: dict series-key -> list of values (None = not scraped)."""
    name = svc["name"]
    gap = svc.get("gap")
    reset = svc.get("reset")
    phase = (sum(map(ord, name)) % 24) / 24.0 * 2 * math.pi
    out = []
    for inst, share in enumerate(INSTANCE_SHARE):
        buckets = [[None] * NPTS for _ in range(len(BUCKETS) + 1)]
        count = [None] * NPTS
        total = [None] * NPTS
        cpu = [None] * NPTS
        mem = [None] * NPTS
        cum = [0] * (len(BUCKETS) + 1)
        csum = 0.0
        ccpu = 0.0
        for k in range(NPTS):
            ts = T0 + k * SCRAPE
            load = 1.0 + 0.35 * math.sin(2 * math.pi * ts / DAY + phase)
            jitter = 1.0 + 0.05 * (rng.random() - 0.5)
            n = int(round(svc["rps"] * share * load * jitter * SCRAPE))
            med = svc["median"] * (0.8 + 0.2 * load)
            for b, le in enumerate(BUCKETS):
                cum[b] += int(round(n * lognorm_cdf(le, med, svc["sigma"])))
            cum[-1] += n
            csum += n * med * math.exp(svc["sigma"] ** 2 / 2)
            cores = svc["idle"] + svc["rps"] * share * load * jitter * svc["cpu_per_req"]
            ccpu += cores * SCRAPE
            if reset is not None and reset[0] == inst and ts - SCRAPE < reset[1] <= ts:
                ccpu = cores * (ts - reset[1])   # restarted: counting from 0 again
            if gap is not None and gap[0] <= ts < gap[1]:
                continue                           # down: nothing scraped
            for b in range(len(cum)):
                buckets[b][k] = cum[b]
            count[k] = cum[-1]
            total[k] = round(csum, 6)
            cpu[k] = round(ccpu, 6)
            days = (ts - START) / DAY
            m = svc["mem"] * (1 + 0.03 * math.sin(2 * math.pi * ts / DAY + phase))
            mem[k] = int(m + svc["mem_growth"] * days)
        out.append({"buckets": buckets, "count": count, "sum": total, "cpu": cpu, "mem": mem})
    return out


def write_files(outdir, data):
    """One OpenMetrics file per 2 h block (om/NNN.om) and one text file.

    promtool reads its whole input once per 2 h block it creates, so one
    file for 2 days would be parsed 25 times; a file per block is parsed
    once.  The blocks are aligned to multiples of 2 h, as promtool's are."""
    omdir = os.path.join(outdir, "om")
    os.makedirs(omdir, exist_ok=True)
    pr = open(os.path.join(outdir, "fixtures.prom"), "w", encoding="utf-8", newline="\n")
    ts_s = [str(T0 + k * SCRAPE) for k in range(NPTS)]
    ts_ms = [s + "000" for s in ts_s]

    def labels(si, inst):
        return 'instance="10.0.%d.%d:8080",service="%s"' % (
            si + 1, inst + 1, esc(data[si][0]["name"]))

    # series: (family, type, help, [(name-prefix-list, value-lists)])
    hist, cpu, mem, info = [], [], [], {}
    for si, (svc, insts) in enumerate(data):
        for inst, d in enumerate(insts):
            lb = labels(si, inst)
            names = ['http_request_duration_seconds_bucket{%s,le="%s"} ' % (lb, le)
                     for le in LE_TEXT]
            names += ["http_request_duration_seconds_count{%s} " % lb,
                      "http_request_duration_seconds_sum{%s} " % lb]
            vals = d["buckets"] + [d["count"], [None if x is None else fmt(x)
                                                for x in d["sum"]]]
            hist.append((names, vals))
            cpu.append((["process_cpu_seconds_total{%s} " % lb],
                        [[None if x is None else fmt(x) for x in d["cpu"]]]))
            mem.append((["process_resident_memory_bytes{%s} " % lb], [d["mem"]]))
            if "info" in svc:
                metric, extra = svc["info"]
                nm = "%s{%s,%s} " % (metric, lb, ",".join('%s="%s"' % (k, esc(v))
                                                           for k, v in extra))
                info.setdefault(metric, []).append(
                    ([nm], [[None if x is None else 1 for x in d["cpu"]]]))
    families = [("http_request_duration_seconds", "histogram", "Request latency.", hist),
                ("process_cpu_seconds", "counter", "CPU seconds.", cpu),
                ("process_resident_memory_bytes", "gauge", "Resident memory.", mem)]
    for metric in sorted(info):
        families.append((metric, "gauge", "Runtime version.", info[metric]))
    nseries = sum(len(names) for _, _, _, ser in families for names, _ in ser)

    block = 7200
    first = T0 - T0 % block
    nfiles = 0
    for b0 in range(first, END + 1, block):
        ka = max(0, -(-(b0 - T0) // SCRAPE))
        kb = min(NPTS, -(-(b0 + block - T0) // SCRAPE))
        om = open(os.path.join(omdir, "%03d.om" % nfiles), "w", encoding="utf-8",
                  newline="\n")
        nfiles += 1
        for fam, typ, help_, ser in families:
            om.write("# TYPE %s %s\n# HELP %s %s\n" % (fam, typ, fam, help_))
            for names, vals in ser:
                # one MetricPoint per timestamp: a histogram's lines together
                pairs = list(zip(names, vals))
                for k in range(ka, kb):
                    if vals[0][k] is None:
                        continue
                    s, m = ts_s[k], ts_ms[k]
                    lines = ["%s%s " % (nm, v[k]) for nm, v in pairs]
                    om.write("".join("%s%s\n" % (x, s) for x in lines))
                    pr.write("".join("%s%s\n" % (x, m) for x in lines))
        om.write("# EOF\n")
        om.close()
    pr.close()
    return nseries


# ------------------------------------------------ PromQL, re-implemented

class Series:
    """Values on the 15 s grid (None = absent), with helpers for windows."""

    def __init__(self, vals, counter):
        self.v = vals
        n = len(vals)
        self.pres = [0] * (n + 1)            # prefix count of present samples
        for i, x in enumerate(vals):
            self.pres[i + 1] = self.pres[i] + (x is not None)
        # reset-corrected cumulative value (a drop adds the value before it)
        self.corr = [None] * n
        if counter:
            add = 0.0
            prev = None
            for i, x in enumerate(vals):
                if x is None:
                    continue
                if prev is not None and x < prev:
                    add += prev
                self.corr[i] = x + add
                prev = x

    def window(self, t, rng):
        """Index range [a, b] of grid samples with t-rng <= ts <= t."""
        a = max(0, -(-(t - rng - T0) // SCRAPE))
        b = min(len(self.v) - 1, (t - T0) // SCRAPE)
        return a, b

    def rate(self, t):
        a, b = self.window(t, RATE_WINDOW)
        if b < a:
            return None
        n = self.pres[b + 1] - self.pres[a]
        if n < 2:
            return None
        i = a
        while self.v[i] is None:
            i += 1
        j = b
        while self.v[j] is None:
            j -= 1
        first_t, last_t = T0 + i * SCRAPE, T0 + j * SCRAPE
        result = self.corr[j] - self.corr[i]
        range_start = t - RATE_WINDOW
        to_start = first_t - range_start
        to_end = t - last_t
        sampled = last_t - first_t
        avg = sampled / (n - 1)
        first_v = self.v[i]
        if result > 0 and first_v >= 0:
            to_zero = sampled * (first_v / result)
            if to_zero < to_start:
                to_start = to_zero
        thr = avg * 1.1
        extra = sampled
        extra += to_start if to_start < thr else avg / 2
        extra += to_end if to_end < thr else avg / 2
        return result * (extra / sampled) / RATE_WINDOW

    def instant(self, t):
        a, b = self.window(t, LOOKBACK)
        # lookback (t-300, t]: the sample exactly 300 s back is out
        if T0 + a * SCRAPE <= t - LOOKBACK:
            a += 1
        for j in range(b, a - 1, -1):
            if self.v[j] is not None:
                return self.v[j]
        return None


def bucket_quantile(q, buckets):
    """buckets: [(upper_bound, cumulative_rate)], sorted, last is +Inf."""
    # ensure monotonic, as Prometheus does
    fixed = []
    mx = -math.inf
    for ub, c in buckets:
        mx = max(mx, c)
        fixed.append((ub, mx))
    if len(fixed) < 2:
        return math.nan
    obs = fixed[-1][1]
    if obs == 0:
        return math.nan
    rank = q * obs
    b = len(fixed) - 1
    for i in range(len(fixed) - 1):
        if fixed[i][1] >= rank:
            b = i
            break
    if b == len(fixed) - 1:
        return fixed[-2][0]
    if b == 0 and fixed[0][0] <= 0:
        return fixed[0][0]
    start, end, cnt = 0.0, fixed[b][0], fixed[b][1]
    if b > 0:
        start = fixed[b - 1][0]
        cnt -= fixed[b - 1][1]
        rank -= fixed[b - 1][1]
    return start + (end - start) * (rank / cnt)


def percentile(sorted_vals, p):
    n = len(sorted_vals)
    if n == 0:
        return None
    h = (n - 1) * p / 100.0
    lo = int(math.floor(h))
    if lo >= n - 1:
        return sorted_vals[-1]
    return sorted_vals[lo] + (h - lo) * (sorted_vals[lo + 1] - sorted_vals[lo])


def reduce_series(points, grid):
    """Statistics of a query_range answer over the grid (None/NaN = gap)."""
    vals = [v for v in points if v is not None and math.isfinite(v)]
    st = {"count": len(vals), "gaps": grid - len(vals)}
    if not vals:
        return st
    s = sorted(vals)
    st.update({"min": s[0], "max": s[-1], "mean": sum(vals) / len(vals),
               "p50": percentile(s, 50), "p95": percentile(s, 95),
               "p99": percentile(s, 99), "last": vals[-1]})
    return st


def expected_for(svc, insts):
    grid = RANGE // STEP + 1
    times = [START + i * STEP for i in range(grid)]
    hb = [[Series(d["buckets"][b], True) for b in range(len(BUCKETS) + 1)] for d in insts]
    cnt = [Series(d["count"], True) for d in insts]
    cpu = [Series(d["cpu"], True) for d in insts]
    mem = [Series(d["mem"], False) for d in insts]
    ubs = BUCKETS + [math.inf]
    res = {s: [] for s in SIGNALS}

    def summed(vals):
        vals = [v for v in vals if v is not None]
        return sum(vals) if vals else None

    for t in times:
        per_le = []
        for b, ub in enumerate(ubs):
            r = summed([hb[i][b].rate(t) for i in range(len(insts))])
            if r is not None:
                per_le.append((ub, r))
        if per_le:
            res["p99_latency_seconds"].append(bucket_quantile(0.99, per_le))
            res["p50_latency_seconds"].append(bucket_quantile(0.5, per_le))
        else:
            res["p99_latency_seconds"].append(None)
            res["p50_latency_seconds"].append(None)
        res["cpu_cores"].append(summed([s.rate(t) for s in cpu]))
        res["memory_bytes"].append(summed([s.instant(t) for s in mem]))
        res["requests_per_second"].append(summed([s.rate(t) for s in cnt]))
    out = {}
    for sig in SIGNALS:
        st = reduce_series(res[sig], grid)
        st["model_stat"] = MODEL_STAT[sig]
        st["model"] = st.get(MODEL_STAT[sig])
        out[sig] = st
    return out


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: gen_fixtures.py OUTDIR\n")
        return 2
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(SEED)
    data = [(svc, simulate(svc, rng)) for svc in SERVICES]
    nseries = write_files(outdir, data)
    exp = {
        "schema": "verdict.integration-expected/1",
        "end": END, "start": START, "range": RANGE, "step": STEP,
        "grid_points": RANGE // STEP + 1,
        "scrape_interval": SCRAPE, "first_sample": T0, "samples_per_series": NPTS,
        "series_total": nseries,
        "series_memory": len(SERVICES) * len(INSTANCE_SHARE),
        "samples_memory": sum(1 for _, insts in data for d in insts
                              for x in d["mem"] if x is not None),
        "services": [],
    }
    for svc, insts in data:
        e = {"name": svc["name"], "has_data": True,
             "language_metric": svc["info"][0] if "info" in svc else None,
             "language": svc["language"],
             "gap": list(svc["gap"]) if "gap" in svc else None,
             "counter_reset": list(svc["reset"]) if "reset" in svc else None,
             "signals": expected_for(svc, insts)}
        exp["services"].append(e)
    for name in NO_DATA_SERVICES:
        exp["services"].append({"name": name, "has_data": False, "signals": {}})
    with open(os.path.join(outdir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
