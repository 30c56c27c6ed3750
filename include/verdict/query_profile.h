/* query_profile.h: the metric families verdict knows, and the PromQL each one needs. */
#ifndef VERDICT_QUERY_PROFILE_H
#define VERDICT_QUERY_PROFILE_H

#include <stddef.h>

#include "verdict/assumptions.h"

/*
 * A query profile is one way a service's signals are exported: a latency
 * histogram family (client libraries, Micrometer, OpenTelemetry, Istio,
 * Linkerd, ingress-nginx, Prometheus's own), the Kubernetes resource
 * metrics (cAdvisor and kube-state-metrics), or a runtime's GC metric.
 * fetch probes the server for which families each service exports and
 * takes, per service, the first row of each table it finds (the tables'
 * order is the priority).  Explicit queries in the YAML always win.
 *
 * Templates are written for promql_substitute(): they hold "${service}"
 * (the escaped service name) and nothing else to fill, because the label
 * that names the service is written into them here: the row's own label
 * (Istio's destination_workload, Linkerd's deployment) or, for a row
 * with label NULL, the caller's service label (queries.service_label).
 */

/* How a latency family's buckets are stored on the server. */
enum query_profile_form {
    /* classic histogram: NAME_bucket{le=...}, NAME_sum, NAME_count.  The
     * templates sum by (le, vmrange), so VictoriaMetrics histograms
     * (NAME_bucket{vmrange="lo...hi"}) work with the same PromQL: MetricsQL's
     * histogram_quantile reads vmrange buckets, and the vmrange grouping
     * is a no-op on Prometheus, where that label does not exist. */
    QUERY_PROFILE_CLASSIC,
    /* Prometheus native histogram: one series NAME with no _bucket and no
     * le; histogram_quantile takes it as is, and histogram_sum /
     * histogram_count replace _sum and _count. */
    QUERY_PROFILE_NATIVE
};

struct query_profile_latency {
    const char *name;         /* shown in the report: "istio", "linkerd", ... */
    const char *metric;       /* base name, without _bucket, _sum or _count */
    double seconds_per_unit;  /* 1 for *_seconds, 0.001 for *_ms / *_milliseconds */
    const char *label;        /* the label naming the service, NULL: the caller's */
    const char *matchers;     /* extra matchers, "" or e.g. `direction="inbound"` */
    const char *source;       /* where the names are documented */
};

/* The latency rows, in priority order; *n gets their count. */
const struct query_profile_latency *query_profile_latency_table(size_t *n);

/* The label that names the service for row p: p->label, else `label`. */
const char *query_profile_label(const struct query_profile_latency *p, const char *label);

/*
 * Write the template of signal s (SIGNAL_P99_LATENCY, SIGNAL_P50_LATENCY,
 * SIGNAL_MEAN_LATENCY or SIGNAL_RPS) for row p in form `form`, with
 * `label` (a label name, [a-zA-Z_][a-zA-Z0-9_]*) used where the row has
 * none.  Latencies come out in seconds: a millisecond family's quantile
 * and mean are divided by 1000 in the PromQL.  Returns the length written
 * (snprintf-style: >= len means cut short), or -1 for another signal.
 * Example (Linkerd, classic, p99):
 *   histogram_quantile(0.99, sum by (le, vmrange) (rate(response_latency_ms_bucket
 *   {deployment="${service}", direction="inbound"}[5m]))) / 1000
 */
int query_profile_latency_template(const struct query_profile_latency *p,
                                   enum query_profile_form form, enum signal s,
                                   const char *label, char *out, size_t len);

/*
 * Kubernetes: CPU cores from cAdvisor's container_cpu_usage_seconds_total
 * and bytes from container_memory_working_set_bytes, for the pods whose
 * workload (a Deployment through its ReplicaSet, or a StatefulSet or
 * DaemonSet directly) is named like the service, joined through
 * kube-state-metrics' kube_pod_owner and kube_replicaset_owner as the
 * kubernetes-mixin recording rules (namespace_workload_pod:kube_pod_owner:
 * relabel) do.  The templates hold "${service}".  NULL for another
 * signal.
 */
const char *query_profile_kubernetes(enum signal s);

/* The profile's name in the report.  It is chosen for a service named
 * like a workload in kube_pod_owner (StatefulSet, DaemonSet, Job) or
 * kube_replicaset_owner (Deployment) when cAdvisor's series exist. */
#define QUERY_PROFILE_KUBERNETES_NAME "kubernetes"

struct query_profile_gc {
    const char *name;         /* "go", "jvm", "node", "python" */
    const char *metric;       /* the series whose presence selects the row */
    const char *sum_metric;   /* seconds spent, a counter; NULL: no time exported */
    const char *reason;       /* why no template, when sum_metric is NULL */
};

/* The GC rows, in priority order; *n gets their count. */
const struct query_profile_gc *query_profile_gc_table(size_t *n);

/* Write the gc_seconds template (GC seconds per second, summed over the
 * fleet) of row p with `label` naming the service.  Returns as
 * query_profile_latency_template, or -1 when the row exports no time. */
int query_profile_gc_template(const struct query_profile_gc *p, const char *label, char *out,
                              size_t len);

#endif /* VERDICT_QUERY_PROFILE_H */
