#!/usr/bin/env python3
"""gen_seed_fixtures.py: the seeds' four cases as Prometheus fixtures (issue 14, Checks).

Usage: gen_seed_fixtures.py OUTDIR

Writes into OUTDIR:
  om/NNN.om      OpenMetrics text for `promtool tsdb create-blocks-from
                 openmetrics`, one file per 2 h block (seconds timestamps)
  expected.json  per case: the figures the fixtures encode (the seed's
                 numbers), the same figures as a Prometheus query at step
                 60 s would measure them (computed here from the samples,
                 PromQL re-implemented), the inventory the report must
                 echo, and the outcome issue 14 expects

The cases (seed_cases.yaml is their inventory, same names and figures):
  ingest-pipeline  seed 000's textbook case as issue 14 states it: Python,
                   CPU-bound hot path, 25 x 2-core instances at $600
                   running ~32 cores, p99 340 ms, 18 GB (seed 001's
                   pipeline figures); expected migrate, break-even <= 12
  node-gateway     seed 003's Node.js service: 20 instances, $15,000 a
                   month, CPU at 80 %, 10,000 req/s; expected to pay back
                   within the 24-month horizon
  orders-crud      a Go CRUD API spending 90 % of each request waiting on
                   its database (seeds 001 and 003); expected keep, flagged
                   io_bound
  webhook-glue     a tiny Node.js glue service (seed 003); expected keep

Every figure below cites the seed it comes from; "no seed" marks a value
the seeds do not give, with why it was chosen.  The figures are the ones a
Prometheus query measures (histogram_quantile over the buckets, the p50
over time of the p99 series; p95 over time of fleet CPU and memory, as
models/analysis.c reads them): the latency distribution is solved so that
the bucket-interpolated p99 is the seed's figure, not the distribution's
true quantile.  The generator fails if what it wrote misses a figure by
more than FIXTURE_TOL: a fixture error is then not mistaken for a model
error.

Samples every 60 s (Prometheus' default scrape interval) on the 60 s step,
so every [5m] rate window has a sample on both edges and Prometheus' rate
(2.x: the window includes its left edge) is the plain increase over 300 s.
Latency is stationary (lognormal per request, counts accumulated as
floor(expected) so buckets stay monotonic); load follows a daily cycle with
a little noise, memory is flat with less (no trend: nothing here leaks);
the noise is random.Random(SEED): byte-for-byte reproducible.
Python 3 standard library only.
"""

import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_fixtures import bucket_quantile, esc, fmt, percentile  # noqa: E402

END = 1793491200                 # 2026-11-01T00:00:00Z, as gen_fixtures.py
HOURS = 24                       # the window: one daily cycle, well over
RANGE = HOURS * 3600             # min_hours 3 and min_points 100 (models/assumptions.c)
START = END - RANGE
SCRAPE = 60                      # Prometheus' default scrape_interval (1m)
STEP = 60
RATE_WINDOW = 300                # [5m]
LEAD_IN = 10 * 60                # samples start before START: full windows
T0 = START - LEAD_IN
NPTS = (END - T0) // SCRAPE + 1
DAY = 86400.0
SEED = 14000
FIXTURE_TOL = 0.02               # what the fixtures measure vs the figure
GB = 1e9
MiB = 1024.0 * 1024.0

# Client libraries' default histogram buckets: what these services would
# export unconfigured (prometheus_client, client_golang DefBuckets and
# prom-client), so the quantiles carry the usual bucket distortion.
PY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0]
GO_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
NODE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]

# Per case:
#   instances, cores_per_instance, cost_per_instance: as in seed_cases.yaml
#   p99_s: the measured p99 the latency distribution is solved for (or
#          median_s: the lognormal median when no seed gives a p99);
#          sigma: the lognormal's shape (p99/p50 = exp(2.326 sigma) before
#          bucket distortion)
#   cpu_p95_cores: fleet CPU cores at p95 over time
#   share: CPU seconds per request / mean latency (the runtime share from
#          the histogram's _sum/_count), or rps_mean: requests per second
#          (the share then follows)
#   memory_p95_bytes: fleet resident memory at p95 over time
#   amplitude: the daily cycle's swing of the load; burst: (cores, seconds)
#          a short peak of the whole fleet's CPU near the end of the window
#   expect: what issue 14's Checks section asks of the report
CASES = [
    {
        "name": "ingest-pipeline", "language": "python", "workload": "cpu-bound",
        "info": ("python_info", [("implementation", "CPython"), ("major", "3"),
                                 ("minor", "11"), ("patchlevel", "4"),
                                 ("version", "3.11.4")]),
        "buckets": PY_BUCKETS,
        "instances": 25,            # issue 14's textbook case: 25 x 2-core
        "cores_per_instance": 2,    # instances at $600
        "cost_per_instance": 600,
        "p99_s": 0.340,             # seed 001: "p99 latency dropping from 340ms"
        "sigma": 0.5,               # no seed: a CPU-bound pipeline's moderate tail
        "cpu_p95_cores": 32.0,      # issue 14: "running ~32 cores"
        "burst": (40.0, 600),       # seed 001: "eating 40 cores at peak load"
        "share": 0.9,               # no seed: "CPU-bound hot path", 90 % computing
                                    # (as the demo's pricing-engine)
        "memory_p95_bytes": 18 * GB,  # seed 001: "Memory usage went from 18GB"
        "amplitude": 0.15,          # no seed: a modest daily cycle
        "expect": {"recommendation": "migrate", "break_even_max": 12,
                   "flags_present": [], "flags_absent": ["io_bound"]},
    },
    {
        "name": "node-gateway", "language": "node", "workload": "latency-critical",
        "info": ("nodejs_version_info", [("version", "v20.10.0"), ("major", "20"),
                                         ("minor", "10"), ("patch", "0")]),
        "buckets": NODE_BUCKETS,
        "instances": 20,            # seed 003: "10,000 requests per second across
        "cores_per_instance": 1,    # 20 instances"; no seed for the size: one
                                    # event loop, one core per container
        "cost_per_instance": 750,   # seed 003: $15,000/month over 20 instances
        "median_s": 0.036,          # seed 003: "a 50ms and 5ms response time":
        "sigma": 0.8,               # mean 50 ms = 36 ms * exp(0.8^2 / 2); no seed for
                                    # sigma: "P99 latencies balloon even when P50
                                    # looks healthy" (seed 003)
        "cpu_p95_cores": 16.0,      # seed 003: "CPU utilization hover at 80%"
                                    # (of 20 cores)
        "rps_mean": 10000.0,        # seed 003: 10,000 requests per second
        "memory_p95_bytes": 20 * 350 * MiB,  # no seed: 350 MiB per Node process
        "amplitude": 0.1,
        "expect": {"recommendation": None, "break_even_max": 24,
                   "flags_present": [], "flags_absent": []},
    },
    {
        "name": "orders-crud", "language": "go", "workload": "crud",
        "info": ("go_info", [("version", "go1.21.5")]),
        "buckets": GO_BUCKETS,
        "instances": 4,             # no seed: a small CRUD fleet
        "cores_per_instance": 2,
        "cost_per_instance": 280,   # no seed (the demo's orders-api)
        "median_s": 0.030,          # no seed: a database round trip or two
        "sigma": 0.6,
        "cpu_p95_cores": 1.2,       # no seed: 15 % of 8 cores, "moderate throughput"
                                    # (seed 003)
        "share": 0.10,              # seed 003: "A CRUD API spending 90% of its time
                                    # waiting on database queries"
        "memory_p95_bytes": 4 * 120 * MiB,   # no seed: a small Go binary
        "amplitude": 0.2,
        "expect": {"recommendation": "keep", "break_even_max": None,
                   "flags_present": ["io_bound"], "flags_absent": []},
    },
    {
        "name": "webhook-glue", "language": "node", "workload": "glue",
        "info": ("nodejs_version_info", [("version", "v20.10.0"), ("major", "20"),
                                         ("minor", "10"), ("patch", "0")]),
        "buckets": NODE_BUCKETS,
        "instances": 2,             # no seed: tiny, held at the default floor of 2
        "cores_per_instance": 1,
        "cost_per_instance": 150,   # no seed (the demo's web-bff)
        "median_s": 0.060,          # no seed: calls to the APIs it coordinates
        "sigma": 0.7,               # (seed 003: "coordinates between multiple APIs")
        "cpu_p95_cores": 0.1,       # no seed: 5 % of 2 cores
        "share": 0.25,              # no seed: JSON transformed between the calls
        "memory_p95_bytes": 2 * 90 * MiB,    # no seed
        "amplitude": 0.2,
        "expect": {"recommendation": "keep", "break_even_max": None,
                   "flags_present": [], "flags_absent": []},
    },
]


def lognorm_cdf(x, median, sigma):
    if x <= 0:
        return 0.0
    return 0.5 * (1.0 + math.erf(math.log(x / median) / (sigma * math.sqrt(2.0))))


def hist_quantile(q, buckets, median, sigma):
    """histogram_quantile(q) of a stationary lognormal through these buckets."""
    cum = [(le, lognorm_cdf(le, median, sigma)) for le in buckets] + [(math.inf, 1.0)]
    return bucket_quantile(q, cum)


def solve_median(p99_s, buckets, sigma):
    """The lognormal median whose bucket-interpolated p99 is p99_s (bisection:
    the interpolated quantile grows with the median)."""
    lo, hi = 1e-4, 10.0
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if hist_quantile(0.99, buckets, mid, sigma) < p99_s:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


def load_shape(case, rng):
    """Relative load per sample (mean about 1): a daily cycle, +-2 % noise."""
    phase = (sum(map(ord, case["name"])) % 24) / 24.0 * 2 * math.pi
    return [(1.0 + case["amplitude"] * math.sin(2 * math.pi * (T0 + k * SCRAPE) / DAY + phase))
            * (1.0 + 0.04 * (rng.random() - 0.5)) for k in range(NPTS)]


def grid_times():
    return [START + i * STEP for i in range(RANGE // STEP + 1)]


def idx(t):
    return (t - T0) // SCRAPE


def windowed(per_sample):
    """Per grid time, the mean over (t-300, t] of a per-interval quantity,
    i.e. rate() of the counter that accumulates it (both edges sampled)."""
    n = RATE_WINDOW // SCRAPE
    out = []
    for t in grid_times():
        j = idx(t)
        out.append(sum(per_sample[j - n + 1:j + 1]) / n)
    return out


def p95(vals):
    return percentile(sorted(vals), 95)


def fleet_cores(case, shape, scale):
    """Fleet cores per sample interval: scale * shape, and the burst."""
    cores = [scale * s for s in shape]
    burst = case.get("burst")
    if burst:
        level, secs = burst
        k1 = idx(END - 3600)
        for k in range(k1, k1 + secs // SCRAPE):
            cores[k] = level * shape[k] / shape[k1]
    return cores


def solve_cpu_scale(case, shape):
    """The scale whose fleet CPU, as rate() sees it, has p95 cpu_p95_cores."""
    want = case["cpu_p95_cores"]
    lo, hi = 0.0, 10.0 * want
    for _ in range(100):
        mid = (lo + hi) / 2
        if p95(windowed(fleet_cores(case, shape, mid))) < want:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def simulate(case, rng):
    """The per-instance series and the figures a query_range would measure."""
    n = case["instances"]
    sigma = case["sigma"]
    median = case["median_s"] if "median_s" in case else solve_median(
        case["p99_s"], case["buckets"], sigma)
    mean_s = median * math.exp(sigma * sigma / 2)
    shape = load_shape(case, rng)
    cores = fleet_cores(case, shape, solve_cpu_scale(case, shape))
    mean_cores = sum(windowed(cores)) / len(grid_times())
    if "share" in case:
        cpu_per_req = case["share"] * mean_s
    else:
        cpu_per_req = mean_cores / case["rps_mean"]
    rps = [c / cpu_per_req for c in cores]         # fleet requests per second
    # memory: flat, +-0.25 % noise (no trend: nothing here leaks)
    mshape = [1.0 + 0.005 * (rng.random() - 0.5) for _ in range(NPTS)]
    # memory: the gauge at the grid times is a sample (aligned), so p95 of the
    # fleet sum over the grid is what the query measures
    mem_grid = [mshape[idx(t)] for t in grid_times()]
    mem_scale = case["memory_p95_bytes"] / p95(mem_grid)
    weights = [1.0 + 0.1 * (rng.random() - 0.5) for _ in range(n)]
    wsum = sum(weights)
    weights = [w / wsum for w in weights]
    cdf = [lognorm_cdf(le, median, sigma) for le in case["buckets"]] + [1.0]
    insts = []
    for i in range(n):
        w = weights[i]
        exp_n = 0.0
        cpu = 0.0
        total = 0.0
        d = {"buckets": [[0] * NPTS for _ in cdf], "count": [0] * NPTS, "sum": [0.0] * NPTS,
             "cpu": [0.0] * NPTS, "mem": [0] * NPTS}
        for k in range(NPTS):
            exp_n += rps[k] * w * SCRAPE
            cpu += cores[k] * w * SCRAPE
            total += rps[k] * w * SCRAPE * mean_s
            for b, c in enumerate(cdf):
                d["buckets"][b][k] = int(math.floor(exp_n * c))
            d["count"][k] = d["buckets"][-1][k]
            d["sum"][k] = round(total, 4)
            d["cpu"][k] = round(cpu, 4)
            d["mem"][k] = int(mem_scale * w * mshape[k])
        insts.append(d)
    return insts, {"median_s": median, "mean_s": mean_s, "cpu_per_request_s": cpu_per_req}


def measured(case, insts):
    """What a query_range at step 60 s returns, reduced as verdict reduces it."""
    ubs = case["buckets"] + [math.inf]
    n = RATE_WINDOW // SCRAPE
    p99, p50, cpu, mem, rps, mean = [], [], [], [], [], []
    for t in grid_times():
        j, a = idx(t), idx(t) - n
        inc = [sum(d["buckets"][b][j] - d["buckets"][b][a] for d in insts)
               for b in range(len(ubs))]
        per_le = list(zip(ubs, inc))
        p99.append(bucket_quantile(0.99, per_le))
        p50.append(bucket_quantile(0.5, per_le))
        cnt = sum(d["count"][j] - d["count"][a] for d in insts)
        sm = sum(d["sum"][j] - d["sum"][a] for d in insts)
        cpu.append(sum(d["cpu"][j] - d["cpu"][a] for d in insts) / RATE_WINDOW)
        rps.append(cnt / RATE_WINDOW)
        mean.append(sm / cnt)
        mem.append(sum(d["mem"][j] for d in insts))
    med = lambda v: percentile(sorted(v), 50)  # noqa: E731
    cpu_mean = sum(cpu) / len(cpu)
    rps_mean = sum(rps) / len(rps)
    mean_lat = sum(mean) / len(mean)
    return {
        "p99_latency_seconds": med(p99),          # p50 over time of the p99 series
        "p50_latency_seconds": med(p50),
        "mean_latency_seconds": mean_lat,         # rate(_sum) / rate(_count)
        "cpu_cores_p95": p95(cpu),
        "cpu_cores_mean": cpu_mean,
        "cpu_cores_max": max(cpu),
        "memory_bytes_p95": p95(mem),
        "requests_per_second_mean": rps_mean,
        "runtime_share_mean": cpu_mean / rps_mean / mean_lat,
        "runtime_share_p50": cpu_mean / rps_mean / med(p50),
        "cpu_utilisation": p95(cpu) / (case["instances"] * case["cores_per_instance"]),
    }


def write_blocks(outdir, cases):
    """One OpenMetrics file per 2 h block, aligned as promtool's blocks are."""
    omdir = os.path.join(outdir, "om")
    os.makedirs(omdir, exist_ok=True)
    fams = {"hist": [], "cpu": [], "mem": [], "info": {}}
    for ci, (case, insts) in enumerate(cases):
        les = [repr(float(le)) for le in case["buckets"]] + ["+Inf"]   # OpenMetrics: "1.0"
        for i, d in enumerate(insts):
            lb = 'instance="10.14.%d.%d:8000",service="%s"' % (ci + 1, i + 1, esc(case["name"]))
            names = ['http_request_duration_seconds_bucket{%s,le="%s"} ' % (lb, le) for le in les]
            names += ["http_request_duration_seconds_count{%s} " % lb,
                      "http_request_duration_seconds_sum{%s} " % lb]
            fams["hist"].append((names, d["buckets"] + [d["count"], d["sum"]]))
            fams["cpu"].append((["process_cpu_seconds_total{%s} " % lb], [d["cpu"]]))
            fams["mem"].append((["process_resident_memory_bytes{%s} " % lb], [d["mem"]]))
            metric, extra = case["info"]
            nm = "%s{%s,%s} " % (metric, lb, ",".join('%s="%s"' % (k, esc(v)) for k, v in extra))
            fams["info"].setdefault(metric, []).append(([nm], [[1] * NPTS]))
    families = [("http_request_duration_seconds", "histogram", "Request latency.", fams["hist"]),
                ("process_cpu_seconds", "counter", "CPU seconds.", fams["cpu"]),
                ("process_resident_memory_bytes", "gauge", "Resident memory.", fams["mem"])]
    for metric in sorted(fams["info"]):
        families.append((metric, "gauge", "Runtime version.", fams["info"][metric]))
    nseries = sum(len(names) for _, _, _, ser in families for names, _ in ser)
    block = 7200
    nfiles = 0
    for b0 in range(T0 - T0 % block, END + 1, block):
        ka = max(0, -(-(b0 - T0) // SCRAPE))
        kb = min(NPTS, -(-(b0 + block - T0) // SCRAPE))
        if ka >= kb:
            continue
        with open(os.path.join(omdir, "%03d.om" % nfiles), "w", encoding="utf-8",
                  newline="\n") as om:
            for fam, typ, help_, ser in families:
                om.write("# TYPE %s %s\n# HELP %s %s\n" % (fam, typ, fam, help_))
                for names, vals in ser:
                    for k in range(ka, kb):
                        ts = str(T0 + k * SCRAPE)
                        om.write("".join("%s%s %s\n" % (nm, fmt(v[k]), ts)
                                         for nm, v in zip(names, vals)))
            om.write("# EOF\n")
        nfiles += 1
    return nseries, nfiles


def faithful(case, got, params):
    """The figures this case encodes, and what the fixtures measure for each."""
    figs = {"p99_latency_seconds": case.get("p99_s"),
            "cpu_cores_p95": case["cpu_p95_cores"],
            "memory_bytes_p95": case["memory_p95_bytes"]}
    if "share" in case:
        figs["runtime_share_mean"] = case["share"]
    if "rps_mean" in case:
        figs["requests_per_second_mean"] = case["rps_mean"]
    if "median_s" in case:
        figs["mean_latency_seconds"] = params["mean_s"]
    if case.get("burst"):
        figs["cpu_cores_max"] = case["burst"][0]
    bad = []
    for k, want in figs.items():
        if want is None:
            continue
        rel = (got[k] - want) / want
        if abs(rel) > FIXTURE_TOL:
            bad.append("%s %s: fixtures measure %.6g, the figure is %.6g (%+.1f%%)"
                       % (case["name"], k, got[k], want, 100 * rel))
    return {k: v for k, v in figs.items() if v is not None}, bad


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: gen_seed_fixtures.py OUTDIR\n")
        return 2
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(SEED)
    sims = []
    for case in CASES:
        insts, params = simulate(case, rng)
        sims.append((case, insts, params))
    nseries, nfiles = write_blocks(outdir, [(c, i) for c, i, _ in sims])
    exp = {"schema": "verdict.seed-cases-expected/1", "end": END, "start": START,
           "range": RANGE, "step": STEP, "scrape_interval": SCRAPE,
           "series_total": nseries, "block_files": nfiles, "cases": []}
    problems = []
    for case, insts, params in sims:
        got = measured(case, insts)
        figs, bad = faithful(case, got, params)
        problems += bad
        exp["cases"].append({
            "name": case["name"], "language": case["language"], "workload": case["workload"],
            "inputs": {"instances": case["instances"],
                       "cores_per_instance": case["cores_per_instance"],
                       "cost_per_instance": case["cost_per_instance"]},
            "figures": figs, "measured": got, "params": params, "expect": case["expect"]})
    with open(os.path.join(outdir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, indent=1, sort_keys=True)
        f.write("\n")
    for p in problems:
        sys.stderr.write("gen_seed_fixtures.py: %s\n" % p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
