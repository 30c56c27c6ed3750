/* fetch.c: every service x signal x chunk from a Prometheus-compatible server. */
#include "verdict/fetch.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verdict/fetchplan.h"
#include "verdict/json_number.h"
#include "verdict/prom.h"
#include "verdict/prom_decode.h"
#include "verdict/promql.h"
#include "verdict/query_profile.h"
#include "verdict/snapshot.h"
#include "verdict/stats.h"
#include "verdict/util.h"

/* One series: one query for one service and signal, in one or more chunks. */
struct series {
    size_t service;
    enum signal signal;
    char *query;            /* owned, substituted PromQL */
    size_t chunks_done;
    double *grid;           /* owned, n points; only while chunks arrive */
    int any_data;
    size_t max_series;      /* most series one chunk combined */
    size_t n_points;        /* samples the server sent, all chunks */
    size_t off_grid;        /* of which outside the range (or duplicates) */
    int partial;
    char *error;            /* owned: first failure */
    char partial_note[512];
    char *bucket_query;     /* owned or NULL: p50/p99 from histogram_quantile */
    double *le;             /* owned: the bucket bounds its answer carried */
    size_t n_le;
};

/* The argument of one request's callback. */
struct request {
    struct fetch *f;
    size_t series;          /* index into series, or SIZE_MAX for instant queries */
    size_t chunk;
    int kind;               /* REQ_RANGE, REQ_DISCOVERY, REQ_DETECT, REQ_PROBE,
                               REQ_LABEL, REQ_BUCKET */
    const char *language;   /* for REQ_DETECT */
    size_t rank;            /* for REQ_DETECT: detectors[rank] */
};

enum { REQ_RANGE, REQ_DISCOVERY, REQ_DETECT, REQ_PROBE, REQ_LABEL, REQ_BUCKET };

/* What the profile probe found for one service (query_profile.h): the
 * first row of each table it exports, SIZE_MAX for none. */
struct probe_hit {
    size_t latency;         /* row of query_profile_latency_table */
    int native;             /* that row's series is a native histogram */
    int kubernetes;         /* a workload of that name, with cAdvisor */
    size_t gc;              /* row of query_profile_gc_table */
    char *q[SIGNAL_COUNT];  /* owned templates the profiles give, or NULL */
};

/* Runtimes announce themselves with an info metric (client libraries'
 * defaults); the value is verdict's language name. */
static const struct {
    const char *metric;
    const char *language;
} detectors[] = {
    { "go_info", "go" },
    { "python_info", "python" },
    { "nodejs_version_info", "node" },
    { "jvm_info", "java" },
    { "jvm_runtime_info", "java" },   /* client_java 1.x, JMX exporter 1.x */
};

#define N_DETECTORS (sizeof(detectors) / sizeof(detectors[0]))

struct fetch {
    const struct assumptions *a;
    struct fetch_options o;
    struct prom_client *client;
    char source[512];           /* URL, credentials redacted */
    char *bearer;               /* owned secrets, wiped on free */
    char *password;
    double start, end, step;
    size_t n;                   /* grid points */
    double *t;                  /* shared grid times */
    struct fetch_chunk *chunks;
    size_t n_chunks;
    char **names;               /* inventory, then discovered */
    size_t n_names, n_inventory;
    const char **detected;      /* per name: a detectors[] language, or NULL */
    size_t *detected_rank;      /* per name: which detector said so */
    char *discovery_error;      /* owned: the discovery query failed */
    size_t left_out;            /* discovered names past ASSUMPTIONS_MAX_SERVICES */
    size_t too_long;            /* label values longer than a snapshot's strings */
    struct service_data *out;   /* per name */
    struct series *series;
    size_t n_series, series_done;
    struct request *reqs;       /* range requests */
    struct request meta[2 + N_DETECTORS];   /* discovery, detectors, profile probe */
    struct probe_hit *probe;    /* per name, or NULL: no profile probe */
    struct request label_rq;    /* which service label (fetch_new) */
    struct request *breqs;      /* bucket queries, one per series (most unused) */
    char label[128];            /* the service label: queries.service_label, or
                                   "service", or "job" when no series has it */
    char disc_label[128];       /* discovery.label, else the service label */
    size_t disc_series;         /* discovery answer's series with disc_label */
    int detect_sent;            /* detection queries were sent */
    size_t detect_failed;       /* of which failed */
    int phase;                  /* 0 discovery, 1 series, 2 done */
    size_t requests_total, requests_done, errors, ok_responses;
    int unreachable;
    int cancel_requested;
    char unreachable_msg[512];
    double started_s;           /* monotonic */
};

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *format(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return xstrdup(buf);
}

/* A secret from an environment variable or a file (first line, without
 * its newline).  Returns 0 and *out (owned, may stay NULL), or -1. */
static int read_secret(const char *env, const char *file, const char *what, char **out,
                       char *err, size_t errlen)
{
    char clean[256];

    *out = NULL;
    if (env != NULL) {
        const char *v = getenv(env);

        if (v == NULL || v[0] == '\0') {
            util_sanitize(clean, sizeof(clean), env);
            snprintf(err, errlen, "%s: environment variable %s is not set", what, clean);
            return -1;
        }
        *out = xstrdup(v);
        return 0;
    }
    if (file != NULL) {
        size_t len;
        char *v = util_read_file(file, &len);

        if (v == NULL) {
            util_sanitize(clean, sizeof(clean), file);
            snprintf(err, errlen, "%s: cannot read %s: %s", what, clean, strerror(errno));
            return -1;
        }
        v[strcspn(v, "\r\n")] = '\0';
        *out = v;
    }
    return 0;
}

static void wipe(char *s)
{
    volatile char *p = s;

    while (p != NULL && *p != '\0')
        *p++ = '\0';
    free(s);
}

/* A signal is fetched when its query is set and not empty ("" turns one
 * off). */
static int query_on(const struct assumptions *a, int s)
{
    return a->queries[s] != NULL && a->queries[s][0] != '\0';
}

static size_t find_name(const struct fetch *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->n_names; i++)
        if (strcmp(f->names[i], name) == 0)
            return i;
    return SIZE_MAX;
}

static void fmt_num(char *buf, size_t len, double v)
{
    snprintf(buf, len, "%.15g", v);
}

static void on_range(void *arg, const struct prom_result *r);
static void on_instant(void *arg, const struct prom_result *r);

static void submit(struct fetch *f, struct request *rq, const char *path,
                   const char *const *fields, prom_done_fn done)
{
    if (prom_client_submit(f->client, path, fields, done, rq) != 0)
        xoom();
    f->requests_total++;
}

static void submit_range(struct fetch *f, size_t si, size_t ci)
{
    struct request *rq = &f->reqs[si * f->n_chunks + ci];
    const struct fetch_chunk *ch = &f->chunks[ci];
    char start[64], end[64], step[64];
    const char *fields[] = { "query", f->series[si].query, "start", start, "end", end,
                             "step", step, NULL };

    rq->f = f;
    rq->series = si;
    rq->chunk = ci;
    rq->kind = REQ_RANGE;
    fmt_num(start, sizeof(start), ch->start_s);
    fmt_num(end, sizeof(end), ch->end_s);
    fmt_num(step, sizeof(step), f->step);
    submit(f, rq, "/api/v1/query_range", fields, on_range);
}

/*
 * Which label names a service, decided before any other query.
 * queries.service_label set: that.  Not set: "service" when some series
 * carries it, else "job", established by one cheap instant probe at the
 * end of the range,
 *     count(up{service!=""} or process_cpu_seconds_total{service!=""})
 * up is every scrape target's own series and carries its target labels,
 * process_cpu_seconds_total is every client library's: a label put on the
 * targets or on the metrics shows in one of them, and the two selectors
 * touch only those two metric names (a {service!=""} over all names
 * would read the whole index).  An empty answer picks "job"; a failed
 * probe keeps "service" (the default before issue 15) and -v says so.
 */
#define PROBE_QUERY "count(up{" PROMQL_DEFAULT_LABEL "!=\"\"} or process_cpu_seconds_total{" \
    PROMQL_DEFAULT_LABEL "!=\"\"})"

static int is_redirect(const struct prom_result *r);
static void note_failure(struct fetch *f, const struct prom_result *r);

static void set_label(struct fetch *f, const char *label, const char *why)
{
    snprintf(f->label, sizeof(f->label), "%s", label);
    snprintf(f->disc_label, sizeof(f->disc_label), "%s",
             f->a->prometheus.discovery_label ? f->a->prometheus.discovery_label : f->label);
    if (f->o.verbose != NULL) {
        fprintf(f->o.verbose, "fetch: service label %s (%s)\n", f->label, why);
        fflush(f->o.verbose);
    }
}

static void start_series(struct fetch *f);

/* After the label: discovery, or straight to the series. */
static void start_discovery(struct fetch *f)
{
    const struct prometheus_settings *ps = &f->a->prometheus;

    if (ps->discovery_query != NULL) {
        struct request *rq = &f->meta[0];
        char t[64];
        const char *fields[] = { "query", ps->discovery_query, "time", t, NULL };

        fmt_num(t, sizeof(t), f->end);
        rq->f = f;
        rq->kind = REQ_DISCOVERY;
        rq->series = SIZE_MAX;
        submit(f, rq, "/api/v1/query", fields, on_instant);
    } else {
        start_series(f);
    }
}

static void count_probe(void *arg, const char *value, double v)
{
    size_t *n = arg;

    (void)value;
    if (v > 0)
        (*n)++;
}

static void on_label_probe(void *arg, const struct prom_result *r)
{
    struct request *rq = arg;
    struct fetch *f = rq->f;
    enum prom_status st = r->status;
    size_t n = 0;
    char err[512];

    f->requests_done++;
    if (st == PROM_OK || (st == PROM_EHTTP && !is_redirect(r)))
        st = prom_decode_vector(r->body, r->body_len, r->http_status,
                                prom_client_secrets(f->client), NULL, count_probe, &n, err,
                                sizeof(err));
    /* not counted in ok_responses: one answer to a probe must not keep a
     * fetch whose every data query fails alike (a redirect, refused
     * credentials) from stopping early */
    if (st == PROM_OK || st == PROM_ENODATA) {
        if (n > 0)
            set_label(f, PROMQL_DEFAULT_LABEL, "series carry it");
        else
            set_label(f, PROMQL_FALLBACK_LABEL, "no up or process_cpu_seconds_total series "
                      "carries " PROMQL_DEFAULT_LABEL);
    } else {
        /* only a server that gives no HTTP answer at all (refused
         * connection, silence) stops the fetch here; an HTTP error
         * (refused credentials, a redirect, a 422) is left for the data
         * queries to meet and report as they did before the probe */
        if (r->http_status == 0)
            note_failure(f, r);
        set_label(f, PROMQL_DEFAULT_LABEL, "the probe for it failed");
    }
    if (f->unreachable)
        f->phase = 2;
    else
        start_discovery(f);
}

/* The bucket query of series si at the end of the range (REQ_BUCKET). */
static void submit_bucket(struct fetch *f, size_t si)
{
    struct request *rq = &f->breqs[si];
    char t[64];
    const char *fields[] = { "query", f->series[si].bucket_query, "time", t, NULL };

    fmt_num(t, sizeof(t), f->end);
    rq->f = f;
    rq->kind = REQ_BUCKET;
    rq->series = si;
    submit(f, rq, "/api/v1/query", fields, on_instant);
}

/* 1 when queries.<signal> was written in the file or on the command
 * line: an explicit query serves every service, no profile replaces it. */
static int query_explicit(const struct assumptions *a, int s)
{
    char key[64];
    int line;

    snprintf(key, sizeof(key), "queries.%s", signal_name((enum signal)s));
    return assumptions_origin(a, key, &line) != ORIGIN_DEFAULT;
}

/* The template of service i's signal s, or NULL when the signal is off:
 * an explicit queries.<signal> first, then what the service's profiles
 * give, then the built-in default. */
static const char *series_template(const struct fetch *f, size_t i, int s)
{
    /* services[].queries.<signal> ("" turns it off for that service) */
    if (i < f->n_inventory && f->a->services[i].queries[s] != NULL)
        return f->a->services[i].queries[s][0] != '\0' ? f->a->services[i].queries[s] : NULL;
    if (!query_explicit(f->a, s) && f->probe != NULL && f->probe[i].q[s] != NULL)
        return f->probe[i].q[s];
    return query_on(f->a, s) ? f->a->queries[s] : NULL;
}

static void make_series(struct fetch *f);
static void submit_probe(struct fetch *f);

/* 1 when the probe may change service i's signal s: no services[].queries
 * and no explicit queries.<signal> decide it. */
static int probe_wanted(const struct fetch *f, size_t i, int s)
{
    return !(i < f->n_inventory && f->a->services[i].queries[s] != NULL) &&
           !query_explicit(f->a, s);
}

/* Phase 1: language detection for services without a language, the
 * profile probe, then every range query. */
static void start_series(struct fetch *f)
{
    const char *label = f->label;
    size_t i, k, need_detect = 0, need_probe;
    char query[256];
    int s;

    f->phase = 1;
    f->detected = xcalloc(f->n_names, sizeof(*f->detected));
    f->detected_rank = xcalloc(f->n_names, sizeof(*f->detected_rank));
    f->out = xcalloc(f->n_names, sizeof(*f->out));
    for (i = 0; i < f->n_names; i++) {
        f->out[i].name = xstrdup(f->names[i]);
        if (i >= f->n_inventory || f->a->services[i].language[0] == '\0')
            need_detect = 1;
    }
    if (need_detect) {
        for (k = 0; k < N_DETECTORS; k++) {
            struct request *rq = &f->meta[1 + k];
            const char *fields[] = { "query", query, "time", NULL, NULL };
            char t[64];

            /* counted by the service label, the one the queries select
             * by (issue 15); label names are [a-zA-Z_][a-zA-Z0-9_]*: the
             * loader checks queries.service_label */
            snprintf(query, sizeof(query), "count by (%s) (%s)", label, detectors[k].metric);
            fmt_num(t, sizeof(t), f->end);
            fields[3] = t;
            rq->f = f;
            rq->kind = REQ_DETECT;
            rq->series = SIZE_MAX;
            rq->language = detectors[k].language;
            rq->rank = k;
            submit(f, rq, "/api/v1/query", fields, on_instant);
        }
        f->detect_sent = 1;
    }
    /* the probe only when some service has a signal no query decides */
    need_probe = 0;
    for (i = 0; i < f->n_names && !need_probe; i++)
        for (s = 0; s < SIGNAL_COUNT; s++)
            if (probe_wanted(f, i, s))
                need_probe = 1;
    if (need_probe)
        submit_probe(f);   /* its answer calls make_series */
    else
        make_series(f);
}

/* Every range query, once the templates are known. */
static void make_series(struct fetch *f)
{
    size_t i, k;
    int s;

    for (i = 0; i < f->n_names; i++)
        for (s = 0; s < SIGNAL_COUNT; s++)
            if (series_template(f, i, s) != NULL)
                f->n_series++;
    f->series = xcalloc(f->n_series ? f->n_series : 1, sizeof(*f->series));
    f->reqs = xcalloc(f->n_series * f->n_chunks + 1, sizeof(*f->reqs));
    k = 0;
    for (i = 0; i < f->n_names; i++) {
        for (s = 0; s < SIGNAL_COUNT; s++) {
            struct series *se;

            if (series_template(f, i, s) == NULL)
                continue;
            se = &f->series[k++];
            se->service = i;
            se->signal = (enum signal)s;
            se->query = promql_substitute_label(series_template(f, i, s), f->names[i],
                                                f->label);
            if (se->query == NULL)
                xoom();
            if (s == SIGNAL_P99_LATENCY || s == SIGNAL_P50_LATENCY) {
                char *bq = promql_bucket_query(series_template(f, i, s));

                if (bq != NULL) {
                    se->bucket_query = promql_substitute_label(bq, f->names[i], f->label);
                    free(bq);
                }
            }
        }
    }
    f->breqs = xcalloc(f->n_series ? f->n_series : 1, sizeof(*f->breqs));
    for (i = 0; i < f->n_series; i++)
        if (f->series[i].bucket_query != NULL)
            submit_bucket(f, i);
    /* chunks of one series back to back: series finish roughly in order,
     * so only about `concurrency` raw grids are alive at once */
    for (i = 0; i < f->n_series; i++)
        for (k = 0; k < f->n_chunks; k++)
            submit_range(f, i, k);
    if (f->n_series == 0)
        f->phase = 2;
}

/* A 3xx: the body (if any) is the redirect's, not an answer; the
 * client's message names where it points. */
static int is_redirect(const struct prom_result *r)
{
    return r->status == PROM_EHTTP && r->http_status >= 300 && r->http_status < 400;
}

static void note_failure(struct fetch *f, const struct prom_result *r)
{
    int refused = r->status == PROM_EHTTP && (r->http_status == 401 || r->http_status == 403);
    int silent = r->status == PROM_ETIMEOUT && r->http_status == 0;
    int moved = is_redirect(r);

    f->errors++;
    if ((r->status == PROM_ECONNECT || refused || silent || moved) && f->ok_responses == 0 &&
        !f->unreachable) {
        /* nothing has ever answered, or the server refuses our credentials:
         * stop rather than send thousands of requests that fail alike */
        f->unreachable = 1;
        f->cancel_requested = 1;
        if (refused)
            snprintf(f->unreachable_msg, sizeof(f->unreachable_msg), "the server refused "
                     "the credentials (HTTP %ld): check prometheus.bearer_token_env, "
                     "bearer_token_file or basic_auth", r->http_status);
        else if (moved)
            snprintf(f->unreachable_msg, sizeof(f->unreachable_msg), "%s",
                     r->error ? r->error : "redirected");
        else if (silent)
            snprintf(f->unreachable_msg, sizeof(f->unreachable_msg), "server unreachable: "
                     "it accepts connections but has answered nothing (%s): "
                     "check prometheus.url, or raise prometheus.timeout for a slow server",
                     r->error ? r->error : "timed out");
        else
            snprintf(f->unreachable_msg, sizeof(f->unreachable_msg), "server unreachable: %s",
                     r->error ? r->error : "cannot connect");
    }
}

static void collect_label(void *arg, const char *value, double v)
{
    struct request *rq = arg;
    struct fetch *f = rq->f;
    size_t i;

    (void)v;
    if (value == NULL || value[0] == '\0')
        return;
    if (rq->kind == REQ_BUCKET) {
        struct series *se = &f->series[rq->series];
        char *end;
        double le = strtod(value, &end);

        /* "+Inf" reads as infinity; anything else unreadable is skipped */
        if (*end != '\0' || isnan(le) || se->n_le >= 4096)
            return;
        se->le = xrealloc(se->le, (se->n_le + 1) * sizeof(*se->le));
        se->le[se->n_le++] = le;
        return;
    }
    if (rq->kind == REQ_DISCOVERY) {
        f->disc_series++;
        if (strlen(value) > SNAPSHOT_MAX_STRING) {
            f->too_long++;
            return;
        }
        if (find_name(f, value) != SIZE_MAX)
            return;
        /* the inventory's own limit holds for what discovery adds, so a
         * snapshot of this fetch is one score --snapshot reads */
        if (f->n_names >= ASSUMPTIONS_MAX_SERVICES) {
            f->left_out++;
            return;
        }
        f->names = xrealloc(f->names, (f->n_names + 1) * sizeof(*f->names));
        f->names[f->n_names++] = xstrdup(value);
        return;
    }
    /* answers arrive in any order: the first detector in the table wins,
     * so a service with two runtimes is labelled the same on every run */
    i = find_name(f, value);
    if (i != SIZE_MAX && (f->detected[i] == NULL || rq->rank < f->detected_rank[i])) {
        f->detected[i] = rq->language;
        f->detected_rank[i] = rq->rank;
    }
}

static void on_instant(void *arg, const struct prom_result *r)
{
    struct request *rq = arg;
    struct fetch *f = rq->f;
    /* discovery groups by discovery.label (default: the service label),
     * detection counts by the service label, buckets come by le */
    const char *label = rq->kind == REQ_DISCOVERY ? f->disc_label
                        : rq->kind == REQ_BUCKET  ? "le" : f->label;
    char err[512];
    enum prom_status st = r->status;

    f->requests_done++;
    err[0] = '\0';
    if (st == PROM_OK || (st == PROM_EHTTP && !is_redirect(r)))
        st = prom_decode_vector(r->body, r->body_len, r->http_status,
                                prom_client_secrets(f->client), label, collect_label, rq, err,
                                sizeof(err));
    if (rq->kind == REQ_BUCKET) {
        /* the buckets only refine a quantile: a failure costs the caution,
         * not the signal, and is no error of the fetch */
        if (st == PROM_OK || st == PROM_ENODATA)
            f->ok_responses++;
        return;
    }
    if (st == PROM_OK || st == PROM_ENODATA) {
        f->ok_responses++;
        if (rq->kind == REQ_DISCOVERY && st == PROM_OK &&
            f->disc_series == 0 && f->discovery_error == NULL) {
            /* series came back, none with the label: say which they had
             * rather than find nothing silently (issue 15) */
            char labels[256];

            prom_decode_vector_labels(r->body, r->body_len, r->http_status,
                                      prom_client_secrets(f->client), labels, sizeof(labels));
            f->discovery_error = format("discovery.query's series carry no label %s (they "
                                        "carry: %s): set discovery.label to the label that "
                                        "names a service", f->disc_label,
                                        labels[0] ? labels : "no labels");
        }
    } else {
        note_failure(f, r);
        if (rq->kind == REQ_DETECT)
            f->detect_failed++;
        if (rq->kind == REQ_DISCOVERY)
            f->discovery_error = xstrdup(err[0] && st != r->status ? err
                                         : r->error ? r->error : prom_status_name(st));
    }
    if (rq->kind == REQ_DISCOVERY && f->left_out > 0 && f->discovery_error == NULL)
        f->discovery_error = format("discovery found %zu service%s more than the limit of %d "
                                    "services: left out", f->left_out,
                                    f->left_out == 1 ? "" : "s", ASSUMPTIONS_MAX_SERVICES);
    if (rq->kind == REQ_DISCOVERY && f->too_long > 0 && f->discovery_error == NULL)
        f->discovery_error = format("discovery skipped %zu label value%s longer than %d bytes",
                                    f->too_long, f->too_long == 1 ? "" : "s",
                                    SNAPSHOT_MAX_STRING);
    if (rq->kind == REQ_DISCOVERY && !f->unreachable)
        start_series(f);
    else if (rq->kind == REQ_DISCOVERY)
        f->phase = 2;
}


/*
 * The profile probe: one instant query that asks which families of
 * query_profile.h each service exports, for every service at once.  Each
 * row is one term,
 *   count by (verdict_probe) (label_join(label_replace(SELECTOR,
 *       "verdict_probe", "L3", "", ""), "verdict_probe", "|",
 *       "verdict_probe", "__name__", LABEL))
 * whose answer is one series per (family series name, service) with
 * verdict_probe = "L3|istio_request_duration_milliseconds_bucket|reviews":
 * the row (L latency, G GC, K Kubernetes, then its index), the metric name
 * (NAME_bucket for a classic or VictoriaMetrics histogram, NAME itself for
 * a native one) and the label value.  Metric names hold no "|", so the
 * service is everything after the second one.  The terms are joined by
 * `or`; the Kubernetes term counts only while cAdvisor's series exist.
 */
static char *probe_query(const struct fetch *f)
{
    const char *label = f->label;
    const struct query_profile_latency *lat;
    const struct query_profile_gc *gc;
    size_t n_lat, n_gc, i, len = 0, cap = 8192;
    char *q = xmalloc(cap);
    char term[1024];

    lat = query_profile_latency_table(&n_lat);
    gc = query_profile_gc_table(&n_gc);
    q[0] = '\0';
    for (i = 0; i < n_lat + n_gc + 1; i++) {
        size_t tl;

        if (i < n_lat)
            snprintf(term, sizeof(term), "%scount by (verdict_probe) (label_join(label_replace("
                     "{__name__=~\"%s_bucket|%s\"%s%s}, \"verdict_probe\", \"L%zu\", \"\", \"\"), "
                     "\"verdict_probe\", \"|\", \"verdict_probe\", \"__name__\", \"%s\"))",
                     i ? " or " : "", lat[i].metric, lat[i].metric,
                     lat[i].matchers[0] ? ", " : "", lat[i].matchers, i,
                     query_profile_label(&lat[i], label));
        else if (i < n_lat + n_gc)
            snprintf(term, sizeof(term), " or count by (verdict_probe) (label_join(label_replace("
                     "%s, \"verdict_probe\", \"G%zu\", \"\", \"\"), \"verdict_probe\", \"|\", "
                     "\"verdict_probe\", \"__name__\", \"%s\"))", gc[i - n_lat].metric,
                     i - n_lat, label);
        else
            snprintf(term, sizeof(term), " or (count by (verdict_probe) (label_join("
                     "label_replace(kube_pod_owner{owner_kind!=\"ReplicaSet\"} or "
                     "kube_replicaset_owner, \"verdict_probe\", \"K0\", \"\", \"\"), "
                     "\"verdict_probe\", \"|\", \"verdict_probe\", \"__name__\", \"owner_name\")) "
                     "and on () (count(container_cpu_usage_seconds_total) > 0))");
        tl = strlen(term);
        if (len + tl + 1 > cap) {
            cap = 2 * (len + tl + 1);
            q = xrealloc(q, cap);
        }
        memcpy(q + len, term, tl + 1);
        len += tl;
    }
    return q;
}

static void collect_probe(void *arg, const char *value, double v)
{
    struct request *rq = arg;
    struct fetch *f = rq->f;
    const struct query_profile_latency *lat;
    size_t n_lat, n_gc, row, i;
    const char *metric, *svc;
    char *end;
    struct probe_hit *h;

    (void)v;
    lat = query_profile_latency_table(&n_lat);
    query_profile_gc_table(&n_gc);
    if (value == NULL || (value[0] != 'L' && value[0] != 'G' && value[0] != 'K'))
        return;
    row = (size_t)strtoul(value + 1, &end, 10);
    if (*end != '|')
        return;
    metric = end + 1;
    svc = strchr(metric, '|');
    if (svc == NULL || (i = find_name(f, svc + 1)) == SIZE_MAX)
        return;
    h = &f->probe[i];
    if (value[0] == 'K') {
        h->kubernetes = 1;
    } else if (value[0] == 'G') {
        if (row < n_gc && row < h->gc)
            h->gc = row;
    } else if (row < n_lat && row <= h->latency) {
        /* a family scraped both ways (classic buckets kept beside a native
         * histogram while migrating): the native one, finer-grained */
        int native = (size_t)(svc - metric) == strlen(lat[row].metric);

        if (row < h->latency)
            h->native = native;
        else
            h->native |= native;
        h->latency = row;
    }
}

static int probe_wanted(const struct fetch *f, size_t i, int s);

/* The templates and the name of service i's profiles (NULL: none found). */
static char *apply_probe(struct fetch *f, size_t i)
{
    const char *label = f->label;
    const struct query_profile_latency *lat;
    const struct query_profile_gc *gc;
    struct probe_hit *h = &f->probe[i];
    char name[128], buf[2048];
    size_t n_lat, n_gc;
    int s;

    lat = query_profile_latency_table(&n_lat);
    gc = query_profile_gc_table(&n_gc);
    name[0] = '\0';
    if (h->latency < n_lat) {
        static const enum signal sig[] = { SIGNAL_P99_LATENCY, SIGNAL_P50_LATENCY,
                                           SIGNAL_MEAN_LATENCY, SIGNAL_RPS };

        for (s = 0; s < 4; s++) {
            int n = query_profile_latency_template(&lat[h->latency], h->native ?
                                                   QUERY_PROFILE_NATIVE : QUERY_PROFILE_CLASSIC,
                                                   sig[s], label, buf, sizeof(buf));

            if (n > 0 && (size_t)n < sizeof(buf))
                h->q[sig[s]] = xstrdup(buf);
        }
        if (probe_wanted(f, i, SIGNAL_P99_LATENCY) || probe_wanted(f, i, SIGNAL_P50_LATENCY) ||
            probe_wanted(f, i, SIGNAL_MEAN_LATENCY) || probe_wanted(f, i, SIGNAL_RPS))
            snprintf(name, sizeof(name), "%s%s", lat[h->latency].name,
                     h->native ? " (native)" : "");
    }
    /* the name says only what serves: a profile every query overrides is
     * left out */
    if (h->kubernetes && (probe_wanted(f, i, SIGNAL_CPU) || probe_wanted(f, i, SIGNAL_MEMORY))) {
        h->q[SIGNAL_CPU] = xstrdup(query_profile_kubernetes(SIGNAL_CPU));
        h->q[SIGNAL_MEMORY] = xstrdup(query_profile_kubernetes(SIGNAL_MEMORY));
        snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s", name[0] ? "+" : "",
                 QUERY_PROFILE_KUBERNETES_NAME);
    }
    if (h->gc < n_gc && probe_wanted(f, i, SIGNAL_GC)) {
        int n = query_profile_gc_template(&gc[h->gc], label, buf, sizeof(buf));

        if (n > 0 && (size_t)n < sizeof(buf))
            h->q[SIGNAL_GC] = xstrdup(buf);
        else if (gc[h->gc].reason != NULL && probe_wanted(f, i, SIGNAL_GC))
            /* a reason, not a failure: nothing is wrong with the server */
            f->out[i].signals[SIGNAL_GC].warning = xstrdup(gc[h->gc].reason);
        snprintf(name + strlen(name), sizeof(name) - strlen(name), "%sgc:%s",
                 name[0] ? "+" : "", gc[h->gc].name);
    }
    return name[0] ? xstrdup(name) : NULL;
}

static void on_probe(void *arg, const struct prom_result *r)
{
    struct request *rq = arg;
    struct fetch *f = rq->f;
    char err[512];
    enum prom_status st = r->status;
    size_t i;

    f->requests_done++;
    err[0] = '\0';
    if (st == PROM_OK || (st == PROM_EHTTP && !is_redirect(r)))
        st = prom_decode_vector(r->body, r->body_len, r->http_status,
                                prom_client_secrets(f->client), "verdict_probe", collect_probe,
                                rq, err, sizeof(err));
    /* a good answer here is not counted in ok_responses: the probe names
     * no service, and a proxy that routes by service (or redirects every
     * range query) must still end the fetch as unreachable; an API error
     * is counted as on_range counts it (the server answered), so a 401
     * with the server's message reaches every range query's error */
    if (st == PROM_EAPI)
        f->ok_responses++;
    if (st != PROM_OK && st != PROM_ENODATA)
        note_failure(f, r);   /* the built-in defaults serve: -v shows why */
    if (f->unreachable || r->status == PROM_ECANCELED) {
        /* nothing more to send: unreachable, or the user cancelled */
        f->phase = 2;
        return;
    }
    if (st == PROM_OK)
        for (i = 0; i < f->n_names; i++)
            f->out[i].profile = apply_probe(f, i);
    make_series(f);
}

static void submit_probe(struct fetch *f)
{
    struct request *rq = &f->meta[1 + N_DETECTORS];
    char t[64];
    char *q = probe_query(f);
    const char *fields[] = { "query", q, "time", t, NULL };
    size_t i;

    f->probe = xcalloc(f->n_names, sizeof(*f->probe));
    for (i = 0; i < f->n_names; i++)
        f->probe[i].latency = f->probe[i].gc = SIZE_MAX;
    fmt_num(t, sizeof(t), f->end);
    rq->f = f;
    rq->kind = REQ_PROBE;
    rq->series = SIZE_MAX;
    submit(f, rq, "/api/v1/query", fields, on_probe);
    free(q);
}

/*
 * v to FETCH_CHART_DIGITS significant digits: the nearest double to the
 * rounded decimal.  The chart is for drawing (a few hundred pixels or
 * cells high), and short numbers make the snapshot less than half the size
 * and much faster to write and read; the statistics the model uses keep
 * every digit.  data/demo/gen_demo.c does the same with 5 digits.
 * Example: 0.123456789 -> 0.123457; 4294967296 -> 4294970000.
 */
#define FETCH_CHART_DIGITS 6

static double chart_round(double v)
{
    int s;
    double m;

    if (!isfinite(v) || v == 0)
        return v;
    s = FETCH_CHART_DIGITS - 1 - json_number_decade(fabs(v));
    if (s > JSON_POW10_MAX || s < -JSON_POW10_MAX) {
        char buf[40];

        snprintf(buf, sizeof(buf), "%.*e", FETCH_CHART_DIGITS - 1, v);
        return strtod(buf, NULL);
    }
    /* m and the power of ten are exact doubles: one rounding, to nearest */
    m = nearbyint(s >= 0 ? v * json_pow10(s) : v / json_pow10(-s));
    return s >= 0 ? m / json_pow10(s) : m * json_pow10(-s);
}

static void chart_round_all(struct chart *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        c->min[i] = chart_round(c->min[i]);
        c->max[i] = chart_round(c->max[i]);
        c->mean[i] = chart_round(c->mean[i]);
    }
}

/* The last chunk of a series is in: reduce it and free the raw points. */
static void finish_series(struct fetch *f, struct series *se)
{
    struct signal_data *sd = &f->out[se->service].signals[se->signal];
    /* fewer buckets for many series, so the snapshot stays readable */
    size_t buckets = snapshot_chart_buckets(f->n_series, f->o.chart_buckets ?
                                                         f->o.chart_buckets :
                                                         FETCH_CHART_BUCKETS);
    char msg[768];

    if (se->error != NULL) {
        sd->error = se->error;
        se->error = NULL;
    } else if (!se->any_data) {
        /* no series is "no data", never zero; the optional signals (GC
         * time, the mean latency from _sum / _count) may simply not exist */
        if (!signal_optional(se->signal)) {
            snprintf(msg, sizeof(msg), "no data: the query returned no series");
            sd->error = xstrdup(msg);
        }
    } else if (stats_compute(f->t, se->grid, f->n, f->step, &sd->stats) != 0) {
        xoom();
    } else if (sd->stats.count == 0) {
        /* samples, but not one usable: a series of gaps is no data, never
         * a clean zero */
        size_t outside = se->off_grid, gaps = se->n_points - se->off_grid;

        snprintf(msg, sizeof(msg), "no usable samples: %zu point%s, all gaps (%zu NaN or "
                 "infinite, %zu outside the range)", se->n_points,
                 se->n_points == 1 ? "" : "s", gaps, outside);
        sd->error = xstrdup(msg);
        memset(&sd->stats, 0, sizeof(sd->stats));
    } else {
        if (chart_reduce(f->t, se->grid, f->n, f->start, f->end + f->step, buckets,
                         &sd->chart) != 0)
            xoom();
        chart_round_all(&sd->chart);
        /* the p99 series keeps its exceedance table too (stats.h): the
         * hours above any SLO, which the chart's buckets only bound */
        if (se->signal == SIGNAL_P99_LATENCY) {
            sd->exceedance = xmalloc(STATS_EXCEEDANCE_LEVELS * sizeof(double));
            if (stats_exceedance(se->grid, f->n, sd->exceedance) != 0)
                xoom();
        }
        sd->present = 1;
        sd->partial = se->partial;
        if (se->max_series > 1 || se->partial) {
            char q[200];

            util_sanitize(q, sizeof(q), se->query);
            if (se->max_series > 1)
                snprintf(msg, sizeof(msg), "%zu series combined by %s for query %s%s%s",
                         se->max_series, se->signal <= SIGNAL_P50_LATENCY ? "max" : "sum", q,
                         se->partial ? "; " : "", se->partial ? se->partial_note : "");
            else
                snprintf(msg, sizeof(msg), "partial data: %s", se->partial_note);
            sd->warning = xstrdup(msg);
        }
    }
    free(se->grid);
    se->grid = NULL;
    f->series_done++;
    if (f->series_done == f->n_series)
        f->phase = 2;
}

static void on_range(void *arg, const struct prom_result *r)
{
    struct request *rq = arg;
    struct fetch *f = rq->f;
    struct series *se = &f->series[rq->series];
    const struct fetch_chunk *ch = &f->chunks[rq->chunk];
    struct prom_decode_info info;
    enum prom_status st = r->status;
    char err[512];
    size_t i;

    f->requests_done++;
    err[0] = '\0';
    if ((st == PROM_OK || (st == PROM_EHTTP && !is_redirect(r))) && se->error == NULL) {
        if (se->grid == NULL) {
            se->grid = xmalloc(f->n * sizeof(*se->grid));
            for (i = 0; i < f->n; i++)
                se->grid[i] = NAN;
        }
        memset(&info, 0, sizeof(info));
        st = prom_decode_range(r->body, r->body_len, r->http_status,
                               prom_client_secrets(f->client), se->signal <= SIGNAL_P50_LATENCY ? PROM_COMBINE_MAX
                                                                 : PROM_COMBINE_SUM,
                               ch->start_s, f->step, ch->points, se->grid + ch->first_index,
                               &info, err, sizeof(err));
        se->n_points += info.n_points;
        se->off_grid += info.off_grid;
        if (st == PROM_OK) {
            se->any_data = 1;
            if (info.n_series > se->max_series)
                se->max_series = info.n_series;
            if (info.partial) {
                se->partial = 1;
                snprintf(se->partial_note, sizeof(se->partial_note), "%s",
                         info.warnings[0] ? info.warnings : "the server flagged the answer "
                                                            "as partial");
            }
        }
    } else if (st != PROM_OK && r->error != NULL) {
        snprintf(err, sizeof(err), "%s", r->error);
    }
    if (st == PROM_OK || st == PROM_ENODATA || st == PROM_EAPI) {
        f->ok_responses++;   /* the server answered, even if with an error */
    }
    if (st != PROM_OK && st != PROM_ENODATA) {
        note_failure(f, r);
        if (se->error == NULL)
            se->error = format("%s", err[0] ? err : prom_status_name(st));
    }
    se->chunks_done++;
    if (se->chunks_done == f->n_chunks)
        finish_series(f, se);
}

/* Grid, chunks and the name list, shared by a fetch and a dry run. */
static int plan(struct fetch *f, const struct assumptions *a, const struct fetch_options *o,
                char *err, size_t errlen)
{
    double end = o->end_s, step = o->step_s;
    size_t i, need;

    f->a = a;
    f->o = *o;
    if (!isfinite(end))
        end = (double)time(NULL);
    if (!(o->range_s > 0)) {
        snprintf(err, errlen, "the range must be longer than zero");
        return -1;
    }
    if (!(step > 0))
        step = fetchplan_auto_step(o->range_s, FETCH_TARGET_POINTS);
    if (step > o->range_s) {
        snprintf(err, errlen, "the step (%gs) is longer than the range (%gs)", step, o->range_s);
        return -1;
    }
    f->step = step;
    f->n = fetchplan_align(end, o->range_s, step, &f->start, &f->end);
    if (f->n > 100000000) {
        snprintf(err, errlen, "%zu points per series is too many: choose a longer step", f->n);
        return -1;
    }
    need = fetchplan_chunks(f->start, f->end, step, FETCHPLAN_MAX_POINTS, NULL, 0);
    f->chunks = xcalloc(need, sizeof(*f->chunks));
    f->n_chunks = fetchplan_chunks(f->start, f->end, step, FETCHPLAN_MAX_POINTS, f->chunks,
                                   need);
    f->t = xmalloc(f->n * sizeof(*f->t));
    for (i = 0; i < f->n; i++)
        f->t[i] = f->start + (double)i * step;
    f->n_inventory = f->n_names = a->n_services;
    f->names = xcalloc(a->n_services ? a->n_services : 1, sizeof(*f->names));
    for (i = 0; i < a->n_services; i++)
        f->names[i] = xstrdup(a->services[i].name);
    prom_redact_url(f->source, sizeof(f->source), o->url ? o->url : "");
    return 0;
}

int fetch_new(const struct assumptions *a, const struct fetch_options *o, struct fetch **out,
              char *err, size_t errlen)
{
    const struct prometheus_settings *ps = &a->prometheus;
    struct prom_client_options co;
    struct fetch *f = xcalloc(1, sizeof(*f));

    *out = NULL;
    if (o->url == NULL || o->url[0] == '\0') {
        snprintf(err, errlen, "no Prometheus URL: set prometheus.url in the assumptions file, "
                 "give --prometheus URL or VERDICT_PROMETHEUS_URL, or use --snapshot or --demo");
        goto fail;
    }
    if (plan(f, a, o, err, errlen) != 0)
        goto fail;
    if (read_secret(ps->bearer_token_env, ps->bearer_token_file, "prometheus.bearer_token",
                    &f->bearer, err, errlen) != 0 ||
        read_secret(ps->basic_auth_password_env, ps->basic_auth_password_file,
                    "prometheus.basic_auth.password", &f->password, err, errlen) != 0)
        goto fail;

    memset(&co, 0, sizeof(co));
    co.url = o->url;
    co.headers = ps->headers;
    co.n_headers = ps->n_headers;
    co.bearer_token = f->bearer;
    co.basic_username = ps->basic_auth_username;
    co.basic_password = f->password ? f->password : (ps->basic_auth_username ? "" : NULL);
    co.ca_file = ps->ca_file;
    co.insecure_skip_verify = ps->insecure_skip_verify;
    co.compression = ps->compression;
    co.timeout_s = ps->timeout_s;
    co.concurrency = ps->concurrency > 0 ? ps->concurrency : 8;
    co.max_response_bytes = o->max_response_bytes ? o->max_response_bytes
                                                  : FETCH_MAX_RESPONSE_BYTES;
    co.max_retries = -1;
    co.jitter_seed = 0x5eed;
    co.verbose = o->verbose;
    if (prom_client_new(&co, &f->client, err, errlen) != 0)
        goto fail;

    f->started_s = util_now_s();
    if (a->service_label != NULL) {
        set_label(f, a->service_label, "queries.service_label");
        start_discovery(f);
    } else {
        struct request *rq = &f->label_rq;
        char t[64];
        const char *fields[] = { "query", PROBE_QUERY, "time", t, NULL };

        fmt_num(t, sizeof(t), f->end);
        rq->f = f;
        rq->kind = REQ_LABEL;
        rq->series = SIZE_MAX;
        submit(f, rq, "/api/v1/query", fields, on_label_probe);
    }
    *out = f;
    return 0;
fail:
    fetch_free(f);
    return -1;
}

int fetch_run(struct fetch *f, int timeout_ms, int extra_fd, int *extra_ready)
{
    int pending = prom_client_run(f->client, timeout_ms, extra_fd, extra_ready);

    if (f->cancel_requested) {
        f->cancel_requested = 0;
        prom_client_cancel(f->client);
        pending = 0;
    }
    if (pending == 0 && f->phase != 2) {
        /* a discovery that ended the run, or nothing to fetch */
        f->phase = 2;
    }
    return pending;
}

const char *fetch_discovery_error(const struct fetch *f)
{
    return f->discovery_error;
}

size_t fetch_discovery_left_out(const struct fetch *f)
{
    return f->left_out + f->too_long;
}

void fetch_cancel(struct fetch *f)
{
    prom_client_cancel(f->client);
}

void fetch_progress(const struct fetch *f, struct fetch_progress *p)
{
    struct prom_client_stats st;

    memset(p, 0, sizeof(*p));
    prom_client_stats(f->client, &st);
    p->requests_total = f->requests_total;
    p->requests_done = f->requests_done;
    p->errors = f->errors;
    p->series_total = f->n_series;
    p->series_done = f->series_done;
    p->bytes = st.bytes;
    p->elapsed_s = util_now_s() - f->started_s;
    p->phase = f->phase;
}

/* Why no language was detected for name: "language not detected (no
 * go_info, python_info, ... for job=NAME)"; the name sanitised and cut. */
static char *detection_note(const struct fetch *f, const char *name)
{
    char metrics[256], clean[80], failed[96];
    size_t k, o = 0;

    metrics[0] = '\0';
    for (k = 0; k < N_DETECTORS; k++)
        o += (size_t)snprintf(metrics + o, sizeof(metrics) - o, "%s%s", k ? ", " : "",
                              detectors[k].metric);
    util_sanitize(clean, sizeof(clean), name);
    failed[0] = '\0';
    if (f->detect_failed > 0)
        snprintf(failed, sizeof(failed), "; %zu of %zu detection queries failed",
                 f->detect_failed, N_DETECTORS);
    return format("language not detected (no %s for %s=%s%s)", metrics, f->label, clean,
                  failed);
}

int fetch_take(struct fetch *f, struct measurements *out)
{
    size_t i;
    int s;

    memset(out, 0, sizeof(*out));
    if (f->out == NULL) {
        /* discovery never finished: every inventory service gets the error */
        f->out = xcalloc(f->n_names ? f->n_names : 1, sizeof(*f->out));
        for (i = 0; i < f->n_names; i++)
            f->out[i].name = xstrdup(f->names[i]);
    }
    /* each quantile's bucket, around its median over time (measure.h) */
    for (i = 0; i < f->n_series; i++) {
        struct series *se = &f->series[i];
        struct signal_data *sd = &f->out[se->service].signals[se->signal];
        double lo, hi;

        if (se->n_le > 0 && sd->present &&
            promql_bucket_around(se->le, se->n_le, sd->stats.p50, &lo, &hi) == 0) {
            sd->have_bucket = 1;
            sd->bucket_lo = lo;
            sd->bucket_hi = hi;
        }
    }
    for (i = 0; i < f->n_names; i++) {
        struct service_data *d = &f->out[i];

        if (f->detected != NULL && f->detected[i] != NULL)
            d->detected_language = xstrdup(f->detected[i]);
        else if (f->detect_sent && (i >= f->n_inventory ||
                                    f->a->services[i].language[0] == '\0'))
            d->detection_note = detection_note(f, f->names[i]);
        d->discovered = i >= f->n_inventory;
        if (f->unreachable && d->error == NULL) {
            d->error = format("%s", f->unreachable_msg);
            for (s = 0; s < SIGNAL_COUNT; s++) {
                free(d->signals[s].error);
                d->signals[s].error = NULL;
            }
        }
    }
    out->source = xstrdup(f->source);
    out->service_label = f->label[0] != '\0' ? xstrdup(f->label) : NULL;
    if (f->discovery_error != NULL)
        out->discovery_error = xstrdup(f->discovery_error);
    out->end_s = f->end;
    out->range_s = f->end - f->start;
    out->step_s = f->step;
    out->services = f->out;
    out->n_services = f->n_names;
    f->out = NULL;
    return f->unreachable;
}

void fetch_free(struct fetch *f)
{
    size_t i;
    int s;

    if (f == NULL)
        return;
    prom_client_free(f->client);   /* cancels: callbacks still see f */
    wipe(f->bearer);
    wipe(f->password);
    for (i = 0; i < f->n_series; i++) {
        free(f->series[i].query);
        free(f->series[i].bucket_query);
        free(f->series[i].le);
        free(f->series[i].grid);
        free(f->series[i].error);
    }
    free(f->series);
    free(f->reqs);
    free(f->breqs);
    if (f->out != NULL) {
        for (i = 0; i < f->n_names; i++)
            service_data_done(&f->out[i]);
        free(f->out);
    }
    for (i = 0; i < f->n_names; i++)
        free(f->names[i]);
    free(f->names);
    if (f->probe != NULL) {
        for (i = 0; i < f->n_names; i++)
            for (s = 0; s < SIGNAL_COUNT; s++)
                free(f->probe[i].q[s]);
        free(f->probe);
    }
    free(f->detected);
    free(f->detected_rank);
    free(f->discovery_error);
    free(f->chunks);
    free(f->t);
    free(f);
}

int fetch_dry_run(const struct assumptions *a, const struct fetch_options *o, FILE *out,
                  char *err, size_t errlen)
{
    struct fetch *f = xcalloc(1, sizeof(*f));
    size_t i, queries = 0;
    char q[4096], name[64];
    int s;

    if (plan(f, a, o, err, errlen) != 0) {
        fetch_free(f);
        return -1;
    }
    fprintf(out, "# server %s\n# grid %.15g .. %.15g step %gs: %zu points per series, "
            "%zu request(s) per series (at most %d points each)\n",
            f->source, f->start, f->end, f->step, f->n, f->n_chunks, FETCHPLAN_MAX_POINTS);
    if (a->prometheus.discovery_query != NULL) {
        util_sanitize(q, sizeof(q), a->prometheus.discovery_query);
        fprintf(out, "discovery\t-\t1\t1\t%s\n", q);
    }
    fprintf(out, "# service label: %s\n",
            a->service_label ? a->service_label
                             : PROMQL_DEFAULT_LABEL " (" PROMQL_FALLBACK_LABEL " when no series "
                               "carries it: one probe at fetch, " PROBE_QUERY ")");
    fprintf(out, "# language detection: up to %zu instant queries\n", N_DETECTORS);
    for (s = 0; s < SIGNAL_COUNT; s++) {
        char *bq = query_on(a, s) && (s == SIGNAL_P99_LATENCY || s == SIGNAL_P50_LATENCY)
                       ? promql_bucket_query(a->queries[s]) : NULL;

        if (bq != NULL) {
            util_sanitize(q, sizeof(q), bq);
            fprintf(out, "# %s buckets: one instant query per service, %s\n",
                    signal_name((enum signal)s), q);
            free(bq);
        }
    }
    fprintf(out, "# query profiles: 1 instant query when a signal has no explicit query; the "
            "profiles it finds replace the defaults below, per service\n");
    fprintf(out, "# service\tsignal\tpoints\trequests\tquery\n");
    for (i = 0; i < a->n_services; i++) {
        for (s = 0; s < SIGNAL_COUNT; s++) {
            const char *own = a->services[i].queries[s];
            char *query;

            /* services[].queries.<signal> first, as series_template */
            if (own != NULL ? own[0] == '\0' : !query_on(a, s))
                continue;
            query = promql_substitute_label(own != NULL ? own : a->queries[s],
                                            a->services[i].name,
                                            a->service_label ? a->service_label
                                                             : PROMQL_DEFAULT_LABEL);
            if (query == NULL)
                xoom();
            util_sanitize(name, sizeof(name), a->services[i].name);
            util_sanitize(q, sizeof(q), query);
            fprintf(out, "%s\t%s\t%zu\t%zu\t%s\n", name, signal_name((enum signal)s), f->n,
                    f->n_chunks, q);
            free(query);
            queries++;
        }
    }
    fprintf(out, "# total: %zu queries, %zu range requests, %zu points\n", queries,
            queries * f->n_chunks, queries * f->n);
    fetch_free(f);
    return ferror(out) ? -1 : 0;
}
