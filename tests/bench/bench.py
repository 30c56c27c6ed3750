#!/usr/bin/env python3
"""bench.py: the Python half of tests/bench/run.sh (make bench).

Usage:
  bench.py record DIR            a stand-in server on 127.0.0.1 that writes
                                 the port to DIR/record.port and every POST
                                 it gets to DIR/bodies.txt (one form a line,
                                 path in DIR/paths.txt), answering each with
                                 an empty matrix; it stops on SIGTERM
  bench.py curlcfg URL BODIES OUT [LINE...]
                                 a curl -K config: one transfer per body,
                                 POSTed to URL, response to /dev/null, and
                                 each LINE (a config line) in every transfer
  bench.py tui-snapshot SNAP YAML BUCKETS OUT
                                 a snapshot for every service of YAML, made
                                 of SNAP's services in turn (renamed), charts
                                 cut to BUCKETS buckets
  bench.py table RESULTS         the table: medians, spreads, ratios, targets

The baselines must fetch what verdict fetches: run.sh points `verdict
fetch` at `record` once, so bodies.txt holds the very bytes verdict sends
(query, start, end, step and the timeout it adds), and curl, xargs and
lead_fetch.py send those lines.  Standard library only.
"""

import http.server
import json
import math
import os
import signal
import sys
import threading


# ------------------------------------------------------------------ record

EMPTY = b'{"status":"success","data":{"resultType":"matrix","result":[]}}'


def record(outdir):
    lock = threading.Lock()
    bodies = open(os.path.join(outdir, "bodies.txt"), "w", encoding="ascii")
    paths = open(os.path.join(outdir, "paths.txt"), "w", encoding="ascii")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"    # keep-alive, as Prometheus
        disable_nagle_algorithm = True    # headers and body are two writes

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n).decode("ascii")
            with lock:
                bodies.write(body + "\n")
                paths.write(self.path + "\n")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(EMPTY)))
            self.end_headers()
            self.wfile.write(EMPTY)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    tmp = os.path.join(outdir, "record.port.tmp")
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, os.path.join(outdir, "record.port"))
    srv.serve_forever()
    bodies.close()
    paths.close()
    return 0


# ------------------------------------------------------------------ curl -K

def curlcfg(url, bodies, out, extra):
    """curl's config syntax: "..." with \\ and \" escaped; a form has neither.
    url is the server's base URL; each form goes to the path verdict sent it
    to (paths.txt beside bodies.txt, line for line: the range queries, and
    the instant ones, the probes and the bucket queries), or, without that
    file, to /api/v1/query_range."""
    n = 0
    paths = None
    if bodies.endswith("bodies.txt"):
        p = bodies[:-len("bodies.txt")] + "paths.txt"
        if os.path.exists(p):
            with open(p, encoding="ascii") as f:
                paths = [x.rstrip("\n") for x in f]
    with open(bodies, encoding="ascii") as f, open(out, "w", encoding="ascii") as o:
        for line in f:
            body = line.rstrip("\n")
            path = paths[n] if paths is not None and n < len(paths) else "/api/v1/query_range"
            if '"' in body or "\\" in body:
                raise SystemExit("bench.py: a form with a quote or backslash: %r" % body)
            # "next" between transfers only: one after the last is a transfer
            # without a URL, and an error
            o.write('%surl = "%s%s"\ndata-raw = "%s"\noutput = "/dev/null"\n%s'
                    % ("next\n" if n else "", url, path, body,
                       "".join(x + "\n" for x in extra)))
            n += 1
    print(n)
    return 0


# ------------------------------------------------------------ tui-snapshot

def names_of(yaml_path):
    """The service names of a gen_fleet.c inventory ("  - name: x" lines)."""
    out = []
    with open(yaml_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  - name: "):
                out.append(line[len("  - name: "):].strip())
    return out


def shrink(chart, buckets):
    n = len(chart["mean"])
    if n <= buckets:
        return chart
    r = -(-n // buckets)
    out = {"t0": chart["t0"], "dt": chart["dt"] * r, "min": [], "max": [], "mean": []}
    for k in range(0, n, r):
        lo = [x for x in chart["min"][k:k + r] if x is not None]
        hi = [x for x in chart["max"][k:k + r] if x is not None]
        me = [x for x in chart["mean"][k:k + r] if x is not None]
        out["min"].append(min(lo) if lo else None)
        out["max"].append(max(hi) if hi else None)
        out["mean"].append(float("%.6g" % (sum(me) / len(me))) if me else None)
    return out


def tui_snapshot(snap, yaml_path, buckets, out):
    with open(snap, encoding="utf-8") as f:
        src = json.load(f)
    names = names_of(yaml_path)
    base = src.pop("services")
    # each fetched service as text once, without its name: the copies
    # differ only in the name, put in front
    tails = []
    for s in base:
        for sig in s["signals"].values():
            if "chart" in sig:
                sig["chart"] = shrink(sig["chart"], buckets)
        rest = {k: v for k, v in s.items() if k != "name"}
        tails.append("," + json.dumps(rest, separators=(",", ":"))[1:])
    src["source"] = "tests/bench (%d services made of %d fetched ones)" % (len(names), len(base))
    head = json.dumps(src, separators=(",", ":"))[:-1]
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write(head + ',"services":[')
        for i, name in enumerate(names):
            f.write('%s{"name":%s%s' % ("," if i else "", json.dumps(name),
                                        tails[i % len(tails)]))
        f.write("]}\n")
    os.rename(out + ".tmp", out)
    return 0


# ------------------------------------------------------------------- table

def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def load(path):
    """RESULTS: lines "key value"; a key repeats once per repetition."""
    vals, info = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 1)
            if len(parts) != 2:
                continue
            k, v = parts
            if k.startswith("info."):
                info[k[5:]] = v
                continue
            try:
                vals.setdefault(k, []).append(float(v))
            except ValueError:
                pass
    return vals, info


class Table:
    def __init__(self, vals):
        self.vals = vals

    def med(self, key):
        xs = self.vals.get(key)
        return median(xs) if xs else math.nan

    def cell(self, key, fmt="%.2f", scale=1.0):
        xs = self.vals.get(key)
        if not xs:
            return "-"
        m = median(xs) * scale
        if len(xs) == 1:
            return fmt % m
        lo, hi = min(xs) * scale, max(xs) * scale
        spread = (hi - lo) / 2 / m * 100 if m else 0
        return (fmt + " ±%.0f%%") % (m, spread)


    def paired(self, a, b):
        """Median and range of a[i] / b[i]: runs i of a and b were back to back."""
        xs, ys = self.vals.get(a, []), self.vals.get(b, [])
        rs = sorted(x / y for x, y in zip(xs, ys) if y)
        if not rs:
            return "-"
        return "median %.2f, %.2f-%.2f" % (median(rs), rs[0], rs[-1])


def ratio(a, b):
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def table(path):
    vals, info = load(path)
    t = Table(vals)
    w = sys.stdout.write
    methods = [("verdict", "verdict fetch"),
               ("before", "verdict fetch, BEFORE= build"),
               ("curl", "curl -Z, one process (floor)"),
               ("xargs", "xargs -P N curl, one per request"),
               ("python", "python, sequential urllib+json")]
    reps = info.get("reps", "?")
    w("\nverdict bench: %s services x 5 signals over %s at step %s s (%s points a series), "
      "%s requests (range and instant), %s in flight\n" % (info.get("services", "?"), info.get("range", "?"),
                                            info.get("step", "?"), info.get("points", "?"),
                                            info.get("queries", "?"),
                                            info.get("concurrency", "?")))
    w("%s on 127.0.0.1 (%s); %s CPUs; %s repetitions, alternating; "
      "median ±half the range (max-min)/2\n" % (info.get("server", "Prometheus"),
                                                info.get("tsdb", ""), info.get("cpus", "?"),
                                                reps))
    sizes = [x for x in info.get("sizes", info.get("services", "")).split(",") if x]
    full = info.get("services", "?")
    for n in sizes:
        w("\n%-36s %14s %14s %10s %14s %9s %9s\n" % (
            "FETCH, %s services (%d+ range queries)" % (n, 5 * int(n)), "wall s", "CPU s",
            "peak RSS", "server CPU s", "CPU/srv", "srv share"))
        for key, label in methods:
            pre = "fetch.%s.%s" % (n, key)
            if pre + ".wall" not in vals:
                continue
            cpu, srv = t.med(pre + ".cpu"), t.med(pre + ".server_cpu")
            wall = t.med(pre + ".wall")
            share = srv / (wall * float(info.get("cpus", "2"))) if wall else math.nan
            w("  %-34s %14s %14s %7.0f MB %14s %8.1f%% %8.0f%%\n" % (
                label, t.cell(pre + ".wall"), t.cell(pre + ".cpu"),
                t.med(pre + ".rss_kb") / 1024, t.cell(pre + ".server_cpu", "%.1f"),
                100 * ratio(cpu, srv), 100 * share))
        other = t.med("fetch.%s.other_cpu" % n)
        if not math.isnan(other):
            w("  (other processes on the machine used %.1f CPU s per fetch run, median)\n"
              % other)
        w("  verdict/curl: wall %.2f x (pairs: %s), CPU %.2f x (pairs: %s)\n" % (
            ratio(t.med("fetch.%s.verdict.wall" % n), t.med("fetch.%s.curl.wall" % n)),
            t.paired("fetch.%s.verdict.wall" % n, "fetch.%s.curl.wall" % n),
            ratio(t.med("fetch.%s.verdict.cpu" % n), t.med("fetch.%s.curl.cpu" % n)),
            t.paired("fetch.%s.verdict.cpu" % n, "fetch.%s.curl.cpu" % n)))
        if "fetch.%s.before.wall" % n in vals:
            w("  before/curl: wall %.2f x, CPU %.2f x; verdict/before: wall %.2f x (pairs: "
              "%s), CPU %.2f x\n" % (
                  ratio(t.med("fetch.%s.before.wall" % n), t.med("fetch.%s.curl.wall" % n)),
                  ratio(t.med("fetch.%s.before.cpu" % n), t.med("fetch.%s.curl.cpu" % n)),
                  ratio(t.med("fetch.%s.verdict.wall" % n), t.med("fetch.%s.before.wall" % n)),
                  t.paired("fetch.%s.verdict.wall" % n, "fetch.%s.before.wall" % n),
                  ratio(t.med("fetch.%s.verdict.cpu" % n), t.med("fetch.%s.before.cpu" % n))))

    vw, cw = t.med("fetch.%s.verdict.wall" % full), t.med("fetch.%s.curl.wall" % full)
    xw, pw = t.med("fetch.%s.xargs.wall" % full), t.med("fetch.%s.python.wall" % full)
    vcpu, vsrv = t.med("fetch.%s.verdict.cpu" % full), t.med("fetch.%s.verdict.server_cpu" % full)
    slow = "" if math.isnan(xw) and math.isnan(pw) else \
        "   xargs-curl/verdict %.2f   python/verdict %.2f" % (ratio(xw, vw), ratio(pw, vw))
    w("\n  ratios of medians at %s: verdict/curl-floor %.2f%s\n" % (full, ratio(vw, cw), slow))
    w("  verdict's CPU: %.2f s = %.1f%% of the server's %.1f s\n" % (
        vcpu, 100 * ratio(vcpu, vsrv), vsrv))

    if not any(k.startswith(("model.", "e2e.", "tui.")) for k in vals):
        w("\n(model, reports and TUI not run: BENCH_ONLY=%s)\n" % info.get("only", "?"))
    w("\n%-36s %14s %14s %10s\n" % ("MODEL AND REPORTS (%s services)" % info.get("services", "?"),
                                    "wall s", "CPU s", "peak RSS"))
    rows = [("model.load", "read the snapshot (%s MB)" % info.get("snapshot_mb", "?")),
            ("model.model", "model: score, cost, MC x%s, tornado" % info.get("draws", "?")),
            ("model.html", "HTML writer alone"),
            ("e2e.score", "verdict score (end to end)"),
            ("e2e.html", "verdict report --format html (e2e)")]
    for key, label in rows:
        rss = t.med(key + ".rss_kb")
        w("  %-34s %14s %14s %10s\n" % (label, t.cell(key + ".wall"), t.cell(key + ".cpu"),
                                        "%.0f MB" % (rss / 1024) if not math.isnan(rss) else ""))

    w("\n%-36s %14s\n" % ("TUI (%s services, %s draws)" % (info.get("tui_services", "?"),
                                                          info.get("draws", "?")), "ms"))
    w("  %-34s %14s\n" % ("first frame", t.cell("tui.first_ms", "%.0f")))
    w("  %-34s %14s\n" % ("  of it loading and analysing", t.cell("tui.setup_ms", "%.0f")))
    w("  %-34s %14s\n" % ("every chart read (after the start)", t.cell("tui.charts_ms", "%.0f")))
    w("  %-34s %14s\n" % ("Monte Carlo final (after the start)", t.cell("tui.final_ms", "%.0f")))
    w("  %-34s %14s\n" % ("keypress redraw, average", t.cell("tui.key_avg_ms", "%.2f")))
    w("  %-34s %14s\n" % ("keypress redraw, slowest", t.cell("tui.key_max_ms", "%.2f")))

    rss = t.med("fetch.%s.verdict.rss_kb" % full) / 1024
    targets = []
    for n in sizes:
        fw = ratio(t.med("fetch.%s.verdict.wall" % n), t.med("fetch.%s.curl.wall" % n))
        fc = ratio(t.med("fetch.%s.verdict.cpu" % n), t.med("fetch.%s.curl.cpu" % n))
        targets += [("fetch wall <= 1.10 x curl, %s svc" % n, fw <= 1.10, "%.2f x" % fw),
                    ("fetch CPU < 3 x curl's, %s svc" % n, fc < 3.0, "%.2f x" % fc)]
    targets += [
        ("faster than xargs curl", ratio(xw, vw) > 1.0, "%.2f x" % ratio(xw, vw)),
        ("faster than sequential python", ratio(pw, vw) > 1.0, "%.2f x" % ratio(pw, vw)),
        ("verdict CPU < 15 % of server's", ratio(vcpu, vsrv) < 0.15,
         "%.1f %%" % (100 * ratio(vcpu, vsrv))),
        ("peak RSS < 100 MB (1,000 services)", rss < 100, "%.0f MB" % rss),
        ("model with MC < 2 s", t.med("model.model.wall") < 2.0,
         "%.2f s (CPU %.2f s)" % (t.med("model.model.wall"), t.med("model.model.cpu"))),
        ("HTML report < 1 s (writer)", t.med("model.html.wall") < 1.0,
         "%.2f s" % t.med("model.html.wall")),
        ("TUI first frame < 100 ms", t.med("tui.first_ms") < 100,
         "%.0f ms" % t.med("tui.first_ms")),
        ("TUI redraw < 10 ms", t.med("tui.key_max_ms") < 10,
         "%.2f ms at most" % t.med("tui.key_max_ms")),
    ]
    w("\nTARGETS\n")
    for name, ok, got in targets:
        # a part left out (BENCH_ONLY, SLOW="") has no figure: neither met nor missed
        skipped = "nan" in got
        w("  %-38s %-7s %s\n" % (name, "-" if skipped else "met" if ok else "MISSED",
                                  "not run" if skipped else got))
    return 0


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "record" and len(args) == 1:
        return record(args[0])
    if cmd == "curlcfg" and len(args) >= 3:
        return curlcfg(args[0], args[1], args[2], args[3:])
    if cmd == "tui-snapshot" and len(args) == 4:
        return tui_snapshot(args[0], args[1], int(args[2]), args[3])
    if cmd == "table" and len(args) == 1:
        return table(args[0])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
