/* assumptions.c: built-in defaults for every assumption, and the names of enums. */
#include "verdict/assumptions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/assumption_table.h"

/*
 * Where the defaults come from.  The seeds are the articles in
 * ../shared/seeds/ (file names abbreviated to their number):
 *   000 = 000_a134d2503bf89386.txt  (three migrations; phases; "honest math")
 *   001 = 001_ea3a84628d59b62e.txt  (three years of Rust in production)
 *   002 = 002_4e3e9b621a3cd6a0.txt  (Go to Rust; expected impact table)
 *   003 = 003_523db47cc1cfd2fd.txt  (Node.js economics; learning timelines)
 * A default with no seed behind it says so; man/verdict.yaml.5 repeats this.
 */

/* The YAML spellings of the enums, by value; the assumption table's enum
 * rows point here, so the loader and every writer spell them alike. */
const char *const assumptions_workload_names[WORKLOAD_COUNT] = {
    "cpu-bound", "latency-critical", "networking", "infrastructure",
    "io-bound", "crud", "ml", "glue",
};

const char *const assumptions_experience_names[EXPERIENCE_COUNT] = {
    "none", "some", "strong",
};

const char *const assumptions_criticality_names[CRITICALITY_COUNT] = {
    "low", "medium", "high",
};

static const char *const factor_names[FACTOR_COUNT] = {
    "runtime_share", "tail_ratio", "cpu_utilisation", "memory", "fleet_cost",
    "language", "workload", "team_experience", "change_rate", "criticality",
};

static const char *const signal_names[SIGNAL_COUNT] = {
    "p99_latency_seconds", "p50_latency_seconds", "cpu_cores", "memory_bytes",
    "requests_per_second", "gc_seconds", "mean_latency_seconds", "instances",
};

const char *workload_name(enum workload w)
{
    return (unsigned)w < WORKLOAD_COUNT ? assumptions_workload_names[w] : "?";
}

const char *experience_name(enum experience e)
{
    return (unsigned)e < EXPERIENCE_COUNT ? assumptions_experience_names[e] : "?";
}

const char *criticality_name(enum criticality c)
{
    return (unsigned)c < CRITICALITY_COUNT ? assumptions_criticality_names[c] : "?";
}

const char *factor_name(enum factor f)
{
    return (unsigned)f < FACTOR_COUNT ? factor_names[f] : "?";
}

/* The keys are the service rows of the assumption table (row k, key k). */
const char *service_key_name(enum service_key k)
{
    const struct assumption_field *f = assumption_service_field(k);

    return f != NULL ? f->key : "?";
}

int service_key_parse(const char *s, enum service_key *out)
{
    int k;

    if (s == NULL)
        return -1;
    for (k = 0; k < SERVICE_KEY_COUNT; k++)
        if (strcmp(assumption_table[k].key, s) == 0) {
            *out = (enum service_key)k;
            return 0;
        }
    return -1;
}

const char *signal_name(enum signal s)
{
    return (unsigned)s < SIGNAL_COUNT ? signal_names[s] : "?";
}

int signal_optional(enum signal s)
{
    return s == SIGNAL_GC || s == SIGNAL_MEAN_LATENCY || s == SIGNAL_INSTANCES;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

/* Default PromQL, for services instrumented with the usual client-library
 * names; ${service_label} is queries.service_label (default "service",
 * else "job": see assumptions.h), so {${service_label}="${service}"} selects
 * the service.  Every deployment should check these. */
#define SEL "{${service_label}=\"${service}\"}"
static const char *const default_queries[SIGNAL_COUNT] = {
    "histogram_quantile(0.99, sum by (le) "
    "(rate(http_request_duration_seconds_bucket" SEL "[5m])))",
    "histogram_quantile(0.5, sum by (le) "
    "(rate(http_request_duration_seconds_bucket" SEL "[5m])))",
    "sum(rate(process_cpu_seconds_total" SEL "[5m]))",
    "sum(process_resident_memory_bytes" SEL ")",
    "sum(rate(http_request_duration_seconds_count" SEL "[5m]))",
    NULL,
    /* the mean request duration, from the same histogram's _sum and _count:
     * buckets do not distort it as they do the p50 (issue 14) */
    "sum(rate(http_request_duration_seconds_sum" SEL "[5m])) / "
    "sum(rate(http_request_duration_seconds_count" SEL "[5m]))",
    /* instances: the targets up; p95 over the range is the fleet's size
     * (inventory.c) */
    "count(up" SEL " == 1)",
};
#undef SEL

static void set_language(struct language_profile *l, const char *name, struct range cpu,
                         struct range mem, struct range p99, int dynamic)
{
    memset(l, 0, sizeof(*l));
    strncpy(l->name, name, sizeof(l->name) - 1);
    l->cpu_reduction = cpu;
    l->memory_reduction = mem;
    l->p99_reduction = p99;
    l->dynamic = dynamic;
}

void service_defaults(struct service_spec *s)
{
    memset(s, 0, sizeof(*s));
    s->workload = WORKLOAD_CRUD;            /* the common case; seed 000: rarely worth it */
    s->criticality = CRITICALITY_MEDIUM;
    s->instances = range_point(2);
    s->min_instances = range_point(2);      /* two for availability (no seed figure) */
    s->cores_per_instance = range_point(2);
    /* seed 000: "a Java service using 4GB of heap" */
    s->memory_per_instance_bytes = range_point(4.0 * 1024 * 1024 * 1024);
    /* derived when not given (inventory_resolve): the default cores and
     * memory at the default prices, 2 x 23.076 + 4 x 3.093 = 58.52 */
    s->cost_per_instance = range_point(2 * ASSUMPTIONS_PRICE_PER_CORE_MONTH +
                                       4 * ASSUMPTIONS_PRICE_PER_GIB_MONTH);
    s->incidents_per_month = range_point(0);   /* nothing claimed unless given */
    s->cost_per_incident = range_point(0);
    /* seed 002: data-race and nil-panic incidents "close to zero after
     * migration"; those are a share of all incidents, hence the wide range */
    s->incident_reduction = range_make(0.2, 0.5, 0.8);
    s->endpoints = 5;
    s->engineers = 4;
    s->experience = EXPERIENCE_NONE;        /* seed 000: assume nobody knows Rust */
    s->changes_per_month = range_point(2);
    s->effort_engineer_months = range_point(0);
    s->has_effort = 0;
    /* no seed prices an hour of slow responses: no SLO unless given */
    s->slo_p99_seconds = NAN;
    s->slo_breach_cost_per_hour = range_point(0);
}

void assumptions_defaults(struct assumptions *a)
{
    struct economics *e = &a->economics;
    double *w = a->scoring.weights;
    int i;

    memset(a, 0, sizeof(*a));
    a->version = 1;

    a->prometheus.timeout_s = 30;
    a->prometheus.range_s = 30.0 * 86400;   /* DESIGN.md: default 30 days */
    a->prometheus.step_s = 0;
    a->prometheus.concurrency = 8;
    /* an 8,640-point series is about 300 kB of JSON: 64 MiB is room for
     * hundreds of series in one answer, and a limit on a runaway one */
    a->prometheus.max_response_bytes = 64.0 * 1024 * 1024;
    for (i = 0; i < SIGNAL_COUNT; i++)
        a->queries[i] = default_queries[i] ? dup_str(default_queries[i]) : NULL;

    e->horizon_months = 24;
    e->discount_rate = range_point(0.10);              /* no seed figure */
    e->cost_per_engineer_month = range_point(15000);   /* no seed figure */
    e->productivity_gain = range_point(0);             /* no seed figure: not claimed */
    e->engineer_months_available = NAN;                /* not set: no capacity limit */
    /* seed 001: "Month 3-6: becoming productive; 6-12 months: genuinely good";
     * "teams new to systems programming ... ship slowly for 12+ months" */
    e->learning[EXPERIENCE_NONE].velocity_loss = range_make(0.3, 0.5, 0.7);
    e->learning[EXPERIENCE_NONE].months = range_make(6, 9, 12);
    /* seed 000: fluent engineers "slow in Rust for the first 2-3 months";
     * seed 003: "budget 2-3 months for experienced developers" */
    e->learning[EXPERIENCE_SOME].velocity_loss = range_make(0.1, 0.25, 0.4);
    e->learning[EXPERIENCE_SOME].months = range_make(2, 3, 4);
    e->learning[EXPERIENCE_STRONG].velocity_loss = range_make(0, 0.05, 0.1);
    e->learning[EXPERIENCE_STRONG].months = range_make(0, 1, 2);
    /* seed 003: from Python or JavaScript, "budget an extra month" */
    e->dynamic_language_extra_months = range_point(1);
    /* no seed figure: seed 000 names the cost of building a change twice
     * while both run ("just one more thing") but prices it nowhere; half a
     * day to three days of an engineer, one likely (a small change, ported
     * with its tests) */
    e->cost_per_change = range_make(0.5, 1, 3);
    /* no seed figure: seed 000 says adding a language to a rewrite that
     * happens anyway is "incremental effort", and to budget time for the
     * ecosystem gap; 10-40 % of the rewrite, 20 % likely, is verdict's */
    e->ecosystem_gap = range_make(0.1, 0.2, 0.4);
    /* no seed figure for a default: seed 000 saw one of its three
     * migrations cancelled six months in (one that nobody had measured
     * first), but verdict cannot know a team's odds, so it assumes none;
     * a lead who has not measured might set 1/3 */
    e->cancellation_probability = 0.0;
    /* no seed figure: OpenCost's default price list (configs/default.json,
     * "based on GCP us-central1", what it charges on premises unless told
     * otherwise), 0.031611 a core-hour and 0.004237 a GiB-hour, times the
     * 730-hour month: 23.076 a core and 3.093 a GiB a month */
    e->price_per_core_month = range_point(ASSUMPTIONS_PRICE_PER_CORE_MONTH);
    e->price_per_gib_month = range_point(ASSUMPTIONS_PRICE_PER_GIB_MONTH);

    /* seed 000, "The Migration Checklist" */
    e->effort.measure_weeks = range_make(1, 1.5, 2);
    e->effort.scaffold_weeks = range_point(1);
    e->effort.weeks_per_endpoint = range_make(2, 3, 4);
    e->effort.cutover_weeks_per_endpoint = range_point(1);
    e->effort.rollback_weeks = range_point(1);
    e->effort.cleanup_weeks = range_make(0.5, 1, 2);   /* no seed figure */

    e->thresholds.migrate_score = 60;
    e->thresholds.consider_score = 40;
    e->thresholds.migrate_probability = 0.6;
    e->thresholds.io_bound_share = 0.2;
    e->thresholds.weekly_changes = 4;
    e->thresholds.min_hours = 3;
    e->thresholds.min_points = 100;
    memcpy(e->currency, "$", 2);

    w[FACTOR_RUNTIME_SHARE] = 20;
    w[FACTOR_TAIL_RATIO] = 10;
    w[FACTOR_CPU_UTILISATION] = 10;
    w[FACTOR_MEMORY] = 10;
    w[FACTOR_FLEET_COST] = 15;
    w[FACTOR_LANGUAGE] = 10;
    w[FACTOR_WORKLOAD] = 10;
    w[FACTOR_TEAM_EXPERIENCE] = 5;
    w[FACTOR_CHANGE_RATE] = 5;
    w[FACTOR_CRITICALITY] = 5;

    /* python: seed 001, 40 cores -> 4, 18 GB -> 2.1 GB, p99 340 ms -> 12 ms */
    set_language(&a->languages[0], "python", range_make(0.5, 0.8, 0.9),
                 range_make(0.5, 0.75, 0.88), range_make(0.5, 0.8, 0.96), 1);
    /* node: seed 003, 20 instances -> 3-4 and $15,000 -> $3,000 a month;
     * "10x less memory while waiting" */
    set_language(&a->languages[1], "node", range_make(0.5, 0.7, 0.8),
                 range_make(0.5, 0.7, 0.9), range_make(0.2, 0.5, 0.8), 1);
    /* go: seed 002, CPU 20-60 %, memory 30-50 %, "tail noticeably flatter" */
    set_language(&a->languages[2], "go", range_make(0.2, 0.4, 0.6),
                 range_make(0.3, 0.4, 0.5), range_make(0.1, 0.3, 0.5), 0);
    /* java: seed 000, 4 GB heap vs 200 MB; seed 003, GC pauses 50-200 ms;
     * CPU has no seed figure and is taken as Go's */
    set_language(&a->languages[3], "java", range_make(0.2, 0.4, 0.6),
                 range_make(0.5, 0.8, 0.95), range_make(0.3, 0.5, 0.8), 0);
    a->n_languages = 4;
}

void service_spec_done(struct service_spec *s)
{
    int k;

    free(s->name);
    s->name = NULL;
    for (k = 0; k < SIGNAL_COUNT; k++) {
        free(s->queries[k]);
        s->queries[k] = NULL;
    }
}

void assumptions_done(struct assumptions *a)
{
    size_t i;
    struct prometheus_settings *p;

    if (a == NULL)
        return;
    p = &a->prometheus;
    free(p->url);
    for (i = 0; i < p->n_headers; i++) {
        free(p->headers[i].name);
        free(p->headers[i].value);
    }
    free(p->headers);
    free(p->bearer_token_env);
    free(p->bearer_token_file);
    free(p->basic_auth_username);
    free(p->basic_auth_password_env);
    free(p->basic_auth_password_file);
    free(p->ca_file);
    free(p->discovery_query);
    free(p->discovery_label);
    for (i = 0; i < SIGNAL_COUNT; i++)
        free(a->queries[i]);
    free(a->service_label);
    free(a->measured_service_label);
    for (i = 0; i < a->n_services; i++)
        service_spec_done(&a->services[i]);
    free(a->services);
    for (i = 0; i < a->n_origins; i++)
        free(a->origins[i].key);
    free(a->origins);
    memset(a, 0, sizeof(*a));
}

/* ---- where each value came from --------------------------------------- */

static struct assumption_origin *find_origin(const struct assumptions *a, const char *key,
                                             size_t len)
{
    size_t i;

    for (i = a->n_origins; i-- > 0;)
        if (strncmp(a->origins[i].key, key, len) == 0 && a->origins[i].key[len] == '\0')
            return &a->origins[i];
    return NULL;
}

/* "services[NAME].KEY": the service and its key; -1 when key is not of
 * that form or names nothing. */
static int find_service_key(const struct assumptions *a, const char *key, size_t *svc,
                            enum service_key *k)
{
    const char *name, *end;
    size_t i, len;

    if (strncmp(key, "services[", 9) != 0)
        return -1;
    name = key + 9;
    end = strstr(name, "].");
    if (end == NULL || service_key_parse(end + 2, k) != 0)
        return -1;
    len = (size_t)(end - name);
    for (i = 0; i < a->n_services; i++)
        if (a->services[i].name != NULL && strncmp(a->services[i].name, name, len) == 0 &&
            a->services[i].name[len] == '\0') {
            *svc = i;
            return 0;
        }
    return -1;
}

int assumptions_note_origin(struct assumptions *a, const char *key, enum origin_kind kind,
                            int line)
{
    struct assumption_origin *o;
    enum service_key k;
    size_t svc;

    if (strncmp(key, "services[", 9) == 0) {
        if (find_service_key(a, key, &svc, &k) != 0)
            return -1;
        a->services[svc].key_line[k] = kind == ORIGIN_FILE ? line
                                     : kind == ORIGIN_OVERRIDE ? SERVICE_KEY_OVERRIDE : 0;
        return 0;
    }
    o = find_origin(a, key, strlen(key));
    if (o == NULL) {
        if (a->n_origins == a->cap_origins) {
            size_t cap = a->cap_origins ? a->cap_origins * 2 : 64;
            struct assumption_origin *p = realloc(a->origins, cap * sizeof(*p));

            if (p == NULL)
                return -1;
            a->origins = p;
            a->cap_origins = cap;
        }
        o = &a->origins[a->n_origins];
        o->key = dup_str(key);
        if (o->key == NULL)
            return -1;
        a->n_origins++;
    }
    o->kind = kind;
    o->line = line;
    return 0;
}

enum origin_kind service_origin(const struct service_spec *s, enum service_key k, int *line)
{
    int l = (unsigned)k < SERVICE_KEY_COUNT ? s->key_line[k] : 0;

    *line = l > 0 ? l : 0;
    return l > 0 ? ORIGIN_FILE : l == SERVICE_KEY_OVERRIDE ? ORIGIN_OVERRIDE
         : l == SERVICE_KEY_MEASURED ? ORIGIN_MEASURED
         : l == SERVICE_KEY_DERIVED ? ORIGIN_DERIVED : ORIGIN_DEFAULT;
}

enum origin_kind assumptions_origin(const struct assumptions *a, const char *key, int *line)
{
    size_t len = strlen(key), svc;
    enum service_key k;

    *line = 0;
    if (find_service_key(a, key, &svc, &k) == 0)
        return service_origin(&a->services[svc], k, line);
    while (len > 0) {
        const struct assumption_origin *o = find_origin(a, key, len);

        if (o != NULL) {
            *line = o->line;
            return o->kind;
        }
        while (len > 0 && key[len - 1] != '.')
            len--;
        if (len > 0)
            len--;
    }
    return ORIGIN_DEFAULT;
}

/* Which seed each default comes from (the comments in assumptions_defaults
 * and service_defaults say the same); the first matching row wins, so the
 * exceptions come before their map.  "[*]" matches any one service. */
static const struct {
    const char *pattern;
    const char *source;     /* NULL: no seed figure */
} default_sources[] = {
    { "economics.learning_curve.none", "seed 001" },
    { "economics.learning_curve.some", "seeds 000 and 003" },
    { "economics.learning_curve.dynamic_language_extra_months", "seed 003" },
    { "economics.effort.cleanup_weeks", NULL },
    { "economics.cost_per_change", NULL },
    { "economics.ecosystem_gap", NULL },
    { "economics.cancellation_probability", NULL },
    { "economics.effort", "seed 000" },
    { "languages.python", "seed 001" },
    { "languages.node", "seed 003" },
    { "languages.go", "seed 002" },
    { "languages.java.cpu_reduction", NULL },
    { "languages.java", "seeds 000 and 003" },
    { "services[*].workload", "seed 000" },
    { "services[*].memory_per_instance", "seed 000" },
    { "economics.price_per_core_month", "OpenCost" },
    { "economics.price_per_gib_month", "OpenCost" },
    { "services[*].incident_reduction", "seed 002" },
    { "services[*].team.experience", "seed 000" },
};

/* 1 when pattern names key or one of its parents. */
static int pattern_covers(const char *pattern, const char *key)
{
    while (*pattern != '\0') {
        if (strncmp(pattern, "[*]", 3) == 0 && *key == '[') {
            /* the name ends at the first "]." (as in find_service_key), or
             * at a ']' that ends the key */
            const char *close = strstr(key, "].");

            if (close == NULL) {
                size_t n = strlen(key);

                if (n < 2 || key[n - 1] != ']')
                    return 0;
                close = key + n - 1;
            }
            key = close + 1;
            pattern += 3;
            continue;
        }
        if (*pattern++ != *key++)
            return 0;
    }
    return *key == '\0' || *key == '.' || *key == '[';
}

const char *assumptions_default_source(const char *key)
{
    size_t i;

    for (i = 0; i < sizeof(default_sources) / sizeof(default_sources[0]); i++)
        if (pattern_covers(default_sources[i].pattern, key))
            return default_sources[i].source;
    return NULL;
}

const struct language_profile *assumptions_language(const struct assumptions *a,
                                                    const char *name)
{
    size_t i;

    if (name == NULL || name[0] == '\0')
        return NULL;
    for (i = 0; i < a->n_languages; i++)
        if (strcmp(a->languages[i].name, name) == 0)
            return &a->languages[i];
    return NULL;
}
