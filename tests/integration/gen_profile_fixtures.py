#!/usr/bin/env python3
"""gen_profile_fixtures.py: one service per query profile, as Prometheus fixtures (issue 15).

Usage: gen_profile_fixtures.py OUTDIR

Writes into OUTDIR:
  om/000.om      OpenMetrics text for `promtool tsdb create-blocks-from
                 openmetrics` (seconds timestamps, "# EOF")
  fixtures.prom  the same samples, plus a VictoriaMetrics-style histogram
                 (vmrange buckets), in the text exposition format with
                 millisecond timestamps for /api/v1/import/prometheus
  expected.json  per service: the profile verdict must choose and the
                 p99, p50, mean, requests/s, CPU cores and bytes the
                 fixtures encode, in seconds (the millisecond families'
                 figures divided by 1000 here, independently of verdict)

Metric and label names are the projects' documented ones:
  reviews   Istio istio_request_duration_milliseconds (ms), reporter=
            "destination" (a slower reporter="source" copy must be left
            out), destination_workload; runs as a Deployment: cAdvisor
            container_* series of two pods, joined through kube_pod_owner
            (owner ReplicaSet) and kube_replicaset_owner (owner Deployment)
  emoji     Linkerd response_latency_ms (ms), direction="inbound" (a slower
            outbound copy must be left out), deployment; a Deployment
  checkout  OpenTelemetry http_server_request_duration_seconds with
            service_name (job = "shop/checkout"); a StatefulSet, its pods
            owned directly
  orders    Spring/Micrometer http_server_requests_seconds; JVM GC
            jvm_gc_pause_seconds; process_* by `service`
  web       ingress-nginx nginx_ingress_controller_request_duration_seconds,
            backend in `service`
  prometheus  Prometheus's own prometheus_http_request_duration_seconds;
            Go GC from the go_gc_duration_seconds summary
  batch     client-library http_request_duration_seconds; Python GC counts
            only (python_gc_collections_total): no GC time
  vmsvc     (VictoriaMetrics only) http_request_duration_seconds with
            vmrange buckets, as VictoriaMetrics/metrics exports them
Each pod also has the series the Kubernetes queries must leave out: the
pod-level cgroup (container="") and the pause container (container="POD").

Every rate is constant (a fixed increment per 60 s scrape), so each
[5m] rate is the same at every step and the figures are exact:
histogram_quantile's interpolation is re-implemented here
(gen_fixtures.bucket_quantile).  Six hours of samples: above min_hours.
Python 3 standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_fixtures import bucket_quantile, esc, fmt  # noqa: E402

END = 1793491200                 # 2026-11-01T00:00:00Z, as gen_fixtures.py
RANGE = 6 * 3600
SCRAPE = 60
LEAD_IN = 10 * 60
T0 = END - RANGE - LEAD_IN
NPTS = (END - T0) // SCRAPE + 1
MiB = 1024.0 * 1024.0

SEC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
MS_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]   # Istio's defaults


def shape(buckets, median_ix, per_min):
    """Per-bucket (non-cumulative) observations a minute: most near
    buckets[median_ix], a tail above it; integers, summing to per_min."""
    n = len(buckets) + 1
    w = [0.0] * n
    for i in range(n):
        d = i - median_ix
        w[i] = {-2: 0.08, -1: 0.25, 0: 0.40, 1: 0.20, 2: 0.05, 3: 0.015}.get(d, 0.0)
    tot = sum(w)
    counts = [int(round(per_min * x / tot)) for x in w]
    return counts


def mids(buckets):
    """A representative value per bucket, for the _sum."""
    out, lo = [], 0.0
    for ub in buckets:
        out.append((lo + ub) / 2.0)
        lo = ub
    out.append(buckets[-1] * 1.5)
    return out


class Writer:
    def __init__(self):
        self.series = []          # (name, labels dict, per-scrape increment or gauge, kind)

    def add(self, name, labels, value, counter=True):
        self.series.append((name, labels, value, counter))

    def histogram(self, base, labels, buckets, counts, le_fmt=fmt):
        cum = 0
        for ub, c in zip(buckets + [None], counts):
            cum += c
            lab = dict(labels)
            lab["le"] = "+Inf" if ub is None else le_fmt(ub)
            self.add(base + "_bucket", lab, cum)
        m = mids(buckets)
        self.add(base + "_sum", labels, sum(c * x for c, x in zip(counts, m)))
        self.add(base + "_count", labels, sum(counts))

    def lines(self, k, ts):
        for name, labels, v, counter in self.series:
            lab = ",".join('%s="%s"' % (a, esc(b)) for a, b in sorted(labels.items()))
            val = v * k if counter else v
            yield "%s{%s} %s %s\n" % (name, lab, fmt(val), ts)


def expect_hist(buckets, counts, seconds_per_unit, per_min):
    cum, pts = 0, []
    for ub, c in zip(buckets + [float("inf")], counts):
        cum += c
        pts.append((ub, cum / 60.0))
    m = mids(buckets)
    mean = sum(c * x for c, x in zip(counts, m)) / sum(counts)
    return {"p99": bucket_quantile(0.99, pts) * seconds_per_unit,
            "p50": bucket_quantile(0.5, pts) * seconds_per_unit,
            "mean": mean * seconds_per_unit,
            "rps": sum(counts) / 60.0}


def pods(w, ns, pod_cpu_mem, owner):
    """cAdvisor and kube-state-metrics series for pods of one workload.
    owner: ("ReplicaSet", rs, deployment) or ("StatefulSet", name)."""
    for pod, cpu, mem in pod_cpu_mem:
        image = "registry.example/%s:1.0" % pod.split("-")[0]
        c = pod.split("-")[0]
        w.add("container_cpu_usage_seconds_total",
              {"namespace": ns, "pod": pod, "container": c, "image": image,
               "job": "kubelet", "metrics_path": "/metrics/cadvisor"}, cpu * SCRAPE)
        w.add("container_memory_working_set_bytes",
              {"namespace": ns, "pod": pod, "container": c, "image": image,
               "job": "kubelet", "metrics_path": "/metrics/cadvisor"}, mem, counter=False)
        # left out: the pod's own cgroup (the sum again) and the pause container
        w.add("container_cpu_usage_seconds_total",
              {"namespace": ns, "pod": pod, "container": "", "image": "",
               "job": "kubelet", "metrics_path": "/metrics/cadvisor"}, (cpu + 0.01) * SCRAPE)
        w.add("container_memory_working_set_bytes",
              {"namespace": ns, "pod": pod, "container": "", "image": "",
               "job": "kubelet", "metrics_path": "/metrics/cadvisor"}, mem + 2 * MiB,
              counter=False)
        w.add("container_cpu_usage_seconds_total",
              {"namespace": ns, "pod": pod, "container": "POD", "image": "pause:3.9",
               "job": "kubelet", "metrics_path": "/metrics/cadvisor"}, 0.01 * SCRAPE)
        w.add("container_memory_working_set_bytes",
              {"namespace": ns, "pod": pod, "container": "POD", "image": "pause:3.9",
               "job": "kubelet", "metrics_path": "/metrics/cadvisor"}, 2 * MiB, counter=False)
        ksm = {"namespace": ns, "pod": pod, "job": "kube-state-metrics",
               "owner_is_controller": "true", "uid": "uid-" + pod}
        ksm["owner_kind"], ksm["owner_name"] = owner[0], owner[1]
        w.add("kube_pod_owner", ksm, 1, counter=False)
    if owner[0] == "ReplicaSet":
        w.add("kube_replicaset_owner",
              {"namespace": ns, "replicaset": owner[1], "owner_kind": "Deployment",
               "owner_name": owner[2], "owner_is_controller": "true",
               "job": "kube-state-metrics"}, 1, counter=False)
    return {"cpu": sum(p[1] for p in pod_cpu_mem), "memory": sum(p[2] for p in pod_cpu_mem)}


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: gen_profile_fixtures.py OUTDIR\n")
        return 2
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "om"), exist_ok=True)
    w = Writer()
    exp = {}

    def svc(name, profile, e, res):
        e = dict(e)
        e.update(res)
        e["profile"] = profile
        exp[name] = e

    # reviews: Istio, ms, destination side; a Deployment
    per = 1200
    c = shape(MS_BUCKETS, 4, per)
    base = {"reporter": "destination", "destination_workload": "reviews",
            "destination_workload_namespace": "shop", "destination_service_name": "reviews",
            "source_workload": "productpage", "request_protocol": "http",
            "response_code": "200"}
    w.histogram("istio_request_duration_milliseconds", base, MS_BUCKETS, c)
    src = dict(base, reporter="source")
    w.histogram("istio_request_duration_milliseconds", src, MS_BUCKETS, shape(MS_BUCKETS, 7, per))
    svc("reviews", "istio+kubernetes", expect_hist(MS_BUCKETS, c, 0.001, per),
        pods(w, "shop", [("reviews-7d9f-a", 0.25, 200 * MiB), ("reviews-7d9f-b", 0.5, 300 * MiB)],
             ("ReplicaSet", "reviews-7d9f", "reviews")))
    # a neighbour whose pods the join must not take
    pods(w, "shop", [("ratings-55c1-a", 2.0, 900 * MiB)],
         ("ReplicaSet", "ratings-55c1", "ratings"))

    # emoji: Linkerd, ms, inbound; a Deployment
    per = 600
    c = shape(MS_BUCKETS, 3, per)
    lab = {"direction": "inbound", "deployment": "emoji", "namespace": "emojivoto",
           "pod": "emoji-6f9-a", "tls": "true", "status_code": "200"}
    w.histogram("response_latency_ms", lab, MS_BUCKETS, c)
    w.histogram("response_latency_ms", dict(lab, direction="outbound", dst_deployment="voting"),
                MS_BUCKETS, shape(MS_BUCKETS, 8, per))
    svc("emoji", "linkerd+kubernetes", expect_hist(MS_BUCKETS, c, 0.001, per),
        pods(w, "emojivoto", [("emoji-6f9-a", 0.1, 64 * MiB)],
             ("ReplicaSet", "emoji-6f9", "emoji")))

    # checkout: OpenTelemetry, seconds, service_name; a StatefulSet
    per = 900
    c = shape(SEC_BUCKETS, 5, per)
    w.histogram("http_server_request_duration_seconds",
                {"job": "shop/checkout", "instance": "checkout-0", "service_name": "checkout",
                 "http_request_method": "POST", "http_response_status_code": "200",
                 "http_route": "/checkout"}, SEC_BUCKETS, c)
    svc("checkout", "otel+kubernetes", expect_hist(SEC_BUCKETS, c, 1, per),
        pods(w, "shop", [("checkout-0", 0.3, 100 * MiB), ("checkout-1", 0.3, 120 * MiB)],
             ("StatefulSet", "checkout")))

    def process(name, cpu, mem):
        w.add("process_cpu_seconds_total", {"service": name, "instance": name + ":8080"},
              cpu * SCRAPE)
        w.add("process_resident_memory_bytes", {"service": name, "instance": name + ":8080"},
              mem, counter=False)
        return {"cpu": cpu, "memory": mem}

    # orders: Micrometer, JVM GC
    per = 1800
    c = shape(SEC_BUCKETS, 3, per)
    w.histogram("http_server_requests_seconds",
                {"service": "orders", "application": "orders", "uri": "/orders",
                 "method": "GET", "status": "200", "outcome": "SUCCESS", "exception": "None"},
                SEC_BUCKETS, c)
    w.add("jvm_gc_pause_seconds_sum", {"service": "orders", "action": "end of minor GC",
                                       "cause": "G1 Evacuation Pause"}, 0.02 * SCRAPE)
    w.add("jvm_gc_pause_seconds_count", {"service": "orders", "action": "end of minor GC",
                                         "cause": "G1 Evacuation Pause"}, 12)
    e = expect_hist(SEC_BUCKETS, c, 1, per)
    e["gc"] = 0.02
    svc("orders", "micrometer+gc:jvm", e, process("orders", 1.5, 700 * MiB))

    # web: ingress-nginx, backend in `service`
    per = 3000
    c = shape(SEC_BUCKETS, 2, per)
    w.histogram("nginx_ingress_controller_request_duration_seconds",
                {"service": "web", "ingress": "web", "namespace": "shop", "host": "shop.example",
                 "path": "/", "method": "GET", "status": "200",
                 "controller_class": "k8s.io/ingress-nginx",
                 "controller_namespace": "ingress-nginx",
                 "controller_pod": "ingress-nginx-controller-abc"}, SEC_BUCKETS, c)
    svc("web", "ingress-nginx", expect_hist(SEC_BUCKETS, c, 1, per),
        process("web", 0.4, 150 * MiB))
    # profiles.yaml's services[].queries.cpu_cores for web doubles the rate
    exp["web"]["cpu"] *= 2

    # prometheus: its own API histogram (coarse buckets), Go GC summary
    pb = [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120]
    per = 240
    c = shape(pb, 0, per)
    w.histogram("prometheus_http_request_duration_seconds",
                {"service": "prometheus", "handler": "/api/v1/query_range"}, pb, c)
    for q, v in (("0", 0.00002), ("0.25", 0.00004), ("0.5", 0.00006), ("0.75", 0.0001),
                 ("1", 0.002)):
        w.add("go_gc_duration_seconds", {"service": "prometheus", "quantile": q}, v, counter=False)
    w.add("go_gc_duration_seconds_sum", {"service": "prometheus"}, 0.001 * SCRAPE)
    w.add("go_gc_duration_seconds_count", {"service": "prometheus"}, 15)
    e = expect_hist(pb, c, 1, per)
    e["gc"] = 0.001
    svc("prometheus", "prometheus+gc:go", e, process("prometheus", 0.2, 400 * MiB))

    # batch: client library histogram, Python GC counts only
    per = 300
    c = shape(SEC_BUCKETS, 6, per)
    w.histogram("http_request_duration_seconds", {"service": "batch", "handler": "/run"},
                SEC_BUCKETS, c)
    for g in ("0", "1", "2"):
        w.add("python_gc_collections_total", {"service": "batch", "generation": g}, 3)
    e = expect_hist(SEC_BUCKETS, c, 1, per)
    e["gc_error"] = "python_gc_collections_total"
    svc("batch", "http+gc:python", e, process("batch", 0.8, 250 * MiB))

    with open(os.path.join(out, "om", "000.om"), "w", encoding="utf-8", newline="\n") as om:
        for s in range(len(w.series)):
            one = Writer()
            one.series = [w.series[s]]
            for k in range(NPTS):
                t = T0 + k * SCRAPE
                om.writelines(one.lines(k, t))
        om.write("# EOF\n")

    # VictoriaMetrics: everything above, plus a vmrange histogram (the
    # buckets VictoriaMetrics/metrics writes: non-cumulative counters per
    # "lo...hi" range, no le)
    vm_ranges = [(0.001, 0.002154), (0.002154, 0.004642), (0.004642, 0.01),
                 (0.01, 0.02154), (0.02154, 0.04642), (0.04642, 0.1), (0.1, 0.2154)]
    vm_counts = [10, 40, 200, 500, 200, 40, 10]
    vw = Writer()
    lab = {"service": "vmsvc"}
    for (lo, hi), cnt in zip(vm_ranges, vm_counts):
        vw.add("http_request_duration_seconds_bucket",
               dict(lab, vmrange="%.3e...%.3e" % (lo, hi)), cnt)
    vm_sum = sum(cnt * (lo + hi) / 2 for (lo, hi), cnt in zip(vm_ranges, vm_counts))
    vw.add("http_request_duration_seconds_sum", lab, vm_sum)
    vw.add("http_request_duration_seconds_count", lab, sum(vm_counts))
    pts, cum = [], 0
    for (lo, hi), cnt in zip(vm_ranges, vm_counts):
        cum += cnt
        pts.append((hi, cum / 60.0))
    pts.append((float("inf"), cum / 60.0))
    vm_exp = {"p99": bucket_quantile(0.99, pts), "p50": bucket_quantile(0.5, pts),
              "mean": vm_sum / sum(vm_counts), "rps": sum(vm_counts) / 60.0, "profile": "http"}
    vm_exp.update({"cpu": 0.05, "memory": 32 * MiB})
    vw.add("process_cpu_seconds_total", {"service": "vmsvc"}, 0.05 * SCRAPE)
    vw.add("process_resident_memory_bytes", {"service": "vmsvc"}, 32 * MiB, counter=False)
    with open(os.path.join(out, "fixtures.prom"), "w", encoding="utf-8", newline="\n") as pr:
        for wr in (w, vw):
            for k in range(NPTS):
                pr.writelines(wr.lines(k, (T0 + k * SCRAPE) * 1000))
    n_mem = sum(1 for x in w.series + vw.series if x[0] == "process_resident_memory_bytes")
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"end": END, "range": RANGE, "services": exp, "victoria": {"vmsvc": vm_exp},
                   "series_total": len(w.series) + len(vw.series),
                   "samples_memory": n_mem * NPTS}, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
