/* query_profile.c: the metric families verdict knows, and the PromQL each one needs. */
#include "verdict/query_profile.h"

#include <stdio.h>
#include <string.h>

/*
 * Latency families, in priority order: the first one a service exports is
 * its profile.  The service's own histogram comes before a proxy's in front
 * of it (a mesh sidecar or an ingress adds its own hop), so the client
 * libraries, Micrometer and OpenTelemetry lead and Istio and Linkerd close.
 * Metric and label names are the projects' documented defaults:
 *  - http_request_duration_seconds: the name the Go (promhttp examples),
 *    Python (prometheus_client) and Node (prom-client) docs use; seconds.
 *  - http_server_requests_seconds: Spring Boot Actuator / Micrometer's
 *    Prometheus registry ("http.server.requests" timer); seconds.
 *  - http_server_request_duration_seconds: OpenTelemetry's semantic
 *    convention http.server.request.duration (unit s).  The Prometheus
 *    exporter puts service.name in `job` (service.namespace/service.name)
 *    and the other resource attributes in target_info; with the
 *    collector's resource_to_telemetry_conversion it is `service_name` on
 *    every series.  Both rows are tried, service_name first.
 *  - prometheus_http_request_duration_seconds: Prometheus's own API.
 *  - nginx_ingress_controller_request_duration_seconds: ingress-nginx;
 *    the backend Service is the `service` label.
 *  - istio_request_duration_milliseconds: Istio standard metrics, in ms;
 *    reporter="destination" is the server side's own measure; the
 *    workload is destination_workload, the Kubernetes Service
 *    destination_service_name.
 *  - response_latency_ms: Linkerd proxy metrics, in ms; the inbound side
 *    of the meshed workload, labelled `deployment`.
 */
static const struct query_profile_latency latency_rows[] = {
    { "http", "http_request_duration_seconds", 1, NULL, "",
      "client_golang promhttp, prometheus_client (Python), prom-client (Node)" },
    { "micrometer", "http_server_requests_seconds", 1, NULL, "",
      "Spring Boot Actuator / Micrometer Prometheus registry" },
    { "otel", "http_server_request_duration_seconds", 1, "service_name", "",
      "OpenTelemetry semantic conventions, http.server.request.duration" },
    { "otel", "http_server_request_duration_seconds", 1, "job", "",
      "OpenTelemetry Prometheus exporter: job is service.name" },
    { "prometheus", "prometheus_http_request_duration_seconds", 1, NULL, "",
      "Prometheus server's own HTTP API" },
    { "ingress-nginx", "nginx_ingress_controller_request_duration_seconds", 1, "service", "",
      "ingress-nginx controller metrics" },
    { "istio", "istio_request_duration_milliseconds", 0.001, "destination_workload",
      "reporter=\"destination\"", "Istio standard metrics" },
    { "istio", "istio_request_duration_milliseconds", 0.001, "destination_service_name",
      "reporter=\"destination\"", "Istio standard metrics" },
    { "linkerd", "response_latency_ms", 0.001, "deployment", "direction=\"inbound\"",
      "Linkerd proxy metrics" },
};

const struct query_profile_latency *query_profile_latency_table(size_t *n)
{
    *n = sizeof(latency_rows) / sizeof(latency_rows[0]);
    return latency_rows;
}

const char *query_profile_label(const struct query_profile_latency *p, const char *label)
{
    return p->label != NULL ? p->label : label;
}

/* `{LABEL="${service}", MATCHERS}` */
static void selector(char *out, size_t len, const struct query_profile_latency *p,
                     const char *label)
{
    snprintf(out, len, "{%s=\"${service}\"%s%s}", query_profile_label(p, label),
             p->matchers[0] ? ", " : "", p->matchers);
}

/*
 * The four latency templates.  With M the metric, S the selector and
 * "/ 1000" written only for a millisecond family (seconds_per_unit 0.001):
 *   classic p99:  histogram_quantile(0.99, sum by (le, vmrange) (rate(M_bucket S[5m]))) / 1000
 *   native p99:   histogram_quantile(0.99, sum(rate(M S[5m]))) / 1000
 *   classic mean: (sum(rate(M_sum S[5m])) / sum(rate(M_count S[5m]))) / 1000
 *   native mean:  (histogram_sum(sum(rate(M S[5m]))) / histogram_count(sum(rate(M S[5m])))) / 1000
 *   classic rps:  sum(rate(M_count S[5m]))
 *   native rps:   histogram_count(sum(rate(M S[5m])))
 * A quantile of 250 (ms) becomes 0.25 (s); the rate of requests has no
 * unit to convert.  An empty rate (no requests in 5 minutes) is 0/0 = NaN
 * for the mean, which the fetch counts as a gap, not as a zero.
 */
int query_profile_latency_template(const struct query_profile_latency *p,
                                   enum query_profile_form form, enum signal s,
                                   const char *label, char *out, size_t len)
{
    char sel[256];
    const char *div = p->seconds_per_unit == 1 ? "" : " / 1000";
    const char *m = p->metric;
    int native = form == QUERY_PROFILE_NATIVE;

    /* the table has only seconds and milliseconds */
    if (p->seconds_per_unit != 1 && p->seconds_per_unit != 0.001)
        return -1;
    selector(sel, sizeof(sel), p, label);
    switch (s) {
    case SIGNAL_P99_LATENCY:
    case SIGNAL_P50_LATENCY: {
        const char *q = s == SIGNAL_P99_LATENCY ? "0.99" : "0.5";

        if (native)
            return snprintf(out, len, "histogram_quantile(%s, sum(rate(%s%s[5m])))%s", q, m,
                            sel, div);
        return snprintf(out, len, "histogram_quantile(%s, sum by (le, vmrange) "
                        "(rate(%s_bucket%s[5m])))%s", q, m, sel, div);
    }
    case SIGNAL_MEAN_LATENCY:
        if (native)
            return snprintf(out, len, "(histogram_sum(sum(rate(%s%s[5m]))) / "
                            "histogram_count(sum(rate(%s%s[5m]))))%s", m, sel, m, sel, div);
        return snprintf(out, len, "(sum(rate(%s_sum%s[5m])) / sum(rate(%s_count%s[5m])))%s",
                        m, sel, m, sel, div);
    case SIGNAL_RPS:
        if (native)
            return snprintf(out, len, "histogram_count(sum(rate(%s%s[5m])))", m, sel);
        return snprintf(out, len, "sum(rate(%s_count%s[5m]))", m, sel);
    default:
        return -1;
    }
}

/*
 * The pods of workload ${service}: a StatefulSet's, DaemonSet's or Job's
 * pods name it in kube_pod_owner directly; a Deployment's pods name their
 * ReplicaSet, whose kube_replicaset_owner names the Deployment.  Each side
 * is 1 per pod, labelled (namespace, pod); the usage is summed per pod over
 * its containers (container!="" drops the pod-level cgroup, "POD" the pause
 * container, image!="" the cgroup slices without a container, as the
 * kubernetes-mixin rules do), joined on (namespace, pod), and summed over
 * the fleet.  Example: Deployment api, ReplicaSet api-5d9c, pods
 * api-5d9c-a and -b using 0.25 and 0.5 cores: 0.75 cores.
 */
#define K8S_PODS                                                                             \
    "max by (namespace, pod) ("                                                            \
    "kube_pod_owner{owner_kind!=\"ReplicaSet\", owner_name=\"${service}\"} or "            \
    "(label_replace(kube_pod_owner{owner_kind=\"ReplicaSet\"}, \"replicaset\", \"$1\", "   \
    "\"owner_name\", \"(.*)\") * on (namespace, replicaset) group_left () "               \
    "max by (namespace, replicaset) (kube_replicaset_owner{owner_name=\"${service}\"})))"

#define K8S_CONTAINERS "{container!=\"\", container!=\"POD\", image!=\"\"}"

static const char k8s_cpu[] =
    "sum(sum by (namespace, pod) (rate(container_cpu_usage_seconds_total" K8S_CONTAINERS
    "[5m])) * on (namespace, pod) group_left () " K8S_PODS ")";

static const char k8s_memory[] =
    "sum(sum by (namespace, pod) (container_memory_working_set_bytes" K8S_CONTAINERS
    ") * on (namespace, pod) group_left () " K8S_PODS ")";

const char *query_profile_kubernetes(enum signal s)
{
    if (s == SIGNAL_CPU)
        return k8s_cpu;
    if (s == SIGNAL_MEMORY)
        return k8s_memory;
    return NULL;
}

/*
 * GC time: Go's go_gc_duration_seconds is a summary of pause times (the
 * quantile series are of no use here; _sum is the seconds paused, a
 * counter), JVM's jvm_gc_pause_seconds a Micrometer timer, Node's
 * nodejs_gc_duration_seconds a prom-client histogram: the rate of each _sum
 * is GC seconds per second.  Python's prometheus_client exports only
 * python_gc_collections_total (collections, not time): no template, and
 * the reason says so instead of inventing a time.
 */
static const struct query_profile_gc gc_rows[] = {
    { "go", "go_gc_duration_seconds_sum", "go_gc_duration_seconds_sum", NULL },
    { "jvm", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_sum", NULL },
    { "node", "nodejs_gc_duration_seconds_sum", "nodejs_gc_duration_seconds_sum", NULL },
    { "python", "python_gc_collections_total", NULL,
      "not measured: Python's prometheus_client exports only python_gc_collections_total "
      "(collections counted, no time spent)" },
};

const struct query_profile_gc *query_profile_gc_table(size_t *n)
{
    *n = sizeof(gc_rows) / sizeof(gc_rows[0]);
    return gc_rows;
}

int query_profile_gc_template(const struct query_profile_gc *p, const char *label, char *out,
                              size_t len)
{
    if (p->sum_metric == NULL)
        return -1;
    return snprintf(out, len, "sum(rate(%s{%s=\"${service}\"}[5m]))", p->sum_metric, label);
}
