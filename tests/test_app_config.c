/* test_app_config.c: unit tests for app/config/config.c (loading and validating verdict.yaml). */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "verdict/assumptions.h"
#include "verdict/config.h"
#include "verdict/range.h"
#include "verdict/util.h"

#define TOL 1e-9
#define BAD_DIR "tests/data/bad"
#define BAD_MIN_FILES 15

/* Every key of the schema once.  The languages map comes after the
 * services on purpose: a service may name a language defined later. */
static const char good_yaml[] =
    "# every key, with values unlike the defaults\n"
    "version: 1\n"
    "prometheus:\n"
    "  url: https://prom.example.com/api\n"
    "  headers:\n"
    "    X-Scope-OrgID: team-a\n"
    "    X-Extra: \"two words\"\n"
    "  bearer_token_env: PROM_TOKEN\n"
    "  bearer_token_file: /run/secrets/token\n"
    "  basic_auth:\n"
    "    username: verdict\n"
    "    password_env: PROM_PASSWORD\n"
    "    password_file: /run/secrets/password\n"
    "  ca_file: /etc/ssl/ca.pem\n"
    "  insecure_skip_verify: true\n"
    "  compression: off\n"
    "  timeout: 45s\n"
    "  range: 30d\n"
    "  step: 1.5h\n"
    "  concurrency: 4\n"
    "queries:\n"
    "  p99_latency_seconds: 'q99{service=\"${service}\"}'\n"
    "  p50_latency_seconds: 'q50{service=\"${service}\"}'\n"
    "  cpu_cores: 'cpu{service=\"${service}\"}'\n"
    "  memory_bytes: 'mem{service=\"${service}\"}'\n"
    "  requests_per_second: 'rps{service=\"${service}\"}'\n"
    "  gc_seconds: 'gc{service=\"${service}\"}'\n"
    "discovery:\n"
    "  query: up{job=\"api\"}\n"
    "  label: service\n"
    "economics:\n"
    "  horizon_months: 36\n"
    "  discount_rate: [0.05, 0.08, 0.12]\n"
    "  cost_per_engineer_month: 20000\n"
    "  productivity_gain: 0.05\n"
    "  currency: EUR\n"
    "  learning_curve:\n"
    "    none: {velocity_loss: [0.4, 0.5, 0.6], months: [6, 9, 12]}\n"
    "    some: {velocity_loss: 0.2, months: 3}\n"
    "    strong:\n"
    "      velocity_loss: 0\n"
    "      months: 1\n"
    "    dynamic_language_extra_months: 2\n"
    "  effort:\n"
    "    measure_weeks: 2\n"
    "    scaffold_weeks: [1, 1, 2]\n"
    "    weeks_per_endpoint:\n"
    "      - 2\n"
    "      - 3\n"
    "      - 5\n"
    "    cutover_weeks_per_endpoint: 1.5\n"
    "    rollback_weeks: 2\n"
    "    cleanup_weeks: 1e0\n"
    "  thresholds:\n"
    "    migrate_score: 70\n"
    "    consider_score: 45\n"
    "    migrate_probability: 0.7\n"
    "    io_bound_share: 0.25\n"
    "    weekly_changes: 8\n"
    "    min_hours: 6\n"
    "    min_points: 50\n"
    "scoring:\n"
    "  weights:\n"
    "    runtime_share: 1\n"
    "    tail_ratio: 2\n"
    "    cpu_utilisation: 3\n"
    "    memory: 4\n"
    "    fleet_cost: 5\n"
    "    language: 6\n"
    "    workload: 7\n"
    "    team_experience: 8\n"
    "    change_rate: 9\n"
    "    criticality: 0\n"
    "services:\n"
    "  - name: checkout\n"
    "    language: python\n"
    "    workload: latency-critical\n"
    "    criticality: high\n"
    "    instances: [10, 12, 16]\n"
    "    min_instances: 3\n"
    "    cores_per_instance: 4\n"
    "    memory_per_instance: 4GiB\n"
    "    cost_per_instance: 900\n"
    "    incidents_per_month: [1, 2, 4]\n"
    "    cost_per_incident: 5000\n"
    "    incident_reduction: 0.5\n"
    "    endpoints: 12\n"
    "    team: {engineers: 5, experience: some}\n"
    "    changes_per_month: 6\n"
    "    effort_engineer_months: [4, 6, 9]\n"
    "  - name: search\n"
    "    language: ruby\n"
    "    memory_per_instance: [1GB, 2GB, 4GiB]\n"
    "  - name: \"ledger\"\n"
    "    memory_per_instance: 1073741824\n"
    "    team:\n"
    "      experience: strong\n"
    "languages:\n"
    "  python:\n"
    "    cpu_reduction: 0.7\n"
    "  ruby:\n"
    "    cpu_reduction: [0.5, 0.6, 0.7]\n"
    "    memory_reduction: 0.5\n"
    "    p99_reduction: 0.4\n"
    "    dynamic: true\n";

static void check_range(struct range r, double low, double likely, double high)
{
    assert_true(fabs(r.low - low) <= TOL * (1 + fabs(low)));
    assert_true(fabs(r.likely - likely) <= TOL * (1 + fabs(likely)));
    assert_true(fabs(r.high - high) <= TOL * (1 + fabs(high)));
}

static void check_point(struct range r, double v)
{
    check_range(r, v, v, v);
}

/* Print the diagnostics so a failing test says why. */
static void dump(const struct config_diags *d)
{
    size_t i;

    for (i = 0; i < d->n; i++)
        print_message("  %s\n", d->lines[i]);
}

static int load(const char *text, struct assumptions *a, struct config_diags *d)
{
    memset(d, 0, sizeof(*d));
    return config_load_buffer("FILE", text, strlen(text), a, d);
}

static void test_good_file(void **state)
{
    struct assumptions a;
    struct config_diags d;
    const struct prometheus_settings *p = &a.prometheus;
    const struct economics *e = &a.economics;
    const struct language_profile *l;
    const struct service_spec *s;
    int rc;

    (void)state;
    rc = load(good_yaml, &a, &d);
    dump(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);

    assert_int_equal(a.version, 1);
    assert_string_equal(p->url, "https://prom.example.com/api");
    assert_int_equal(p->n_headers, 2);
    assert_string_equal(p->headers[0].name, "X-Scope-OrgID");
    assert_string_equal(p->headers[0].value, "team-a");
    assert_string_equal(p->headers[1].name, "X-Extra");
    assert_string_equal(p->headers[1].value, "two words");
    assert_string_equal(p->bearer_token_env, "PROM_TOKEN");
    assert_string_equal(p->bearer_token_file, "/run/secrets/token");
    assert_string_equal(p->basic_auth_username, "verdict");
    assert_string_equal(p->basic_auth_password_env, "PROM_PASSWORD");
    assert_string_equal(p->basic_auth_password_file, "/run/secrets/password");
    assert_string_equal(p->ca_file, "/etc/ssl/ca.pem");
    assert_int_equal(p->insecure_skip_verify, 1);
    assert_int_equal(p->compression, COMPRESSION_OFF);
    assert_true(p->timeout_s == 45);
    assert_true(p->range_s == 2592000);          /* 30 * 86400 */
    assert_true(p->step_s == 5400);              /* 1.5 * 3600 */
    assert_int_equal(p->concurrency, 4);
    assert_string_equal(p->discovery_query, "up{job=\"api\"}");
    assert_string_equal(p->discovery_label, "service");

    assert_string_equal(a.queries[SIGNAL_P99_LATENCY], "q99{service=\"${service}\"}");
    assert_string_equal(a.queries[SIGNAL_P50_LATENCY], "q50{service=\"${service}\"}");
    assert_string_equal(a.queries[SIGNAL_CPU], "cpu{service=\"${service}\"}");
    assert_string_equal(a.queries[SIGNAL_MEMORY], "mem{service=\"${service}\"}");
    assert_string_equal(a.queries[SIGNAL_RPS], "rps{service=\"${service}\"}");
    assert_string_equal(a.queries[SIGNAL_GC], "gc{service=\"${service}\"}");

    assert_int_equal(e->horizon_months, 36);
    check_range(e->discount_rate, 0.05, 0.08, 0.12);
    check_point(e->cost_per_engineer_month, 20000);
    check_point(e->productivity_gain, 0.05);
    assert_string_equal(e->currency, "EUR");
    check_range(e->learning[EXPERIENCE_NONE].velocity_loss, 0.4, 0.5, 0.6);
    check_range(e->learning[EXPERIENCE_NONE].months, 6, 9, 12);
    check_point(e->learning[EXPERIENCE_SOME].velocity_loss, 0.2);
    check_point(e->learning[EXPERIENCE_SOME].months, 3);
    check_point(e->learning[EXPERIENCE_STRONG].velocity_loss, 0);
    check_point(e->learning[EXPERIENCE_STRONG].months, 1);
    check_point(e->dynamic_language_extra_months, 2);
    check_point(e->effort.measure_weeks, 2);
    check_range(e->effort.scaffold_weeks, 1, 1, 2);
    check_range(e->effort.weeks_per_endpoint, 2, 3, 5);
    check_point(e->effort.cutover_weeks_per_endpoint, 1.5);
    check_point(e->effort.rollback_weeks, 2);
    check_point(e->effort.cleanup_weeks, 1);
    assert_true(e->thresholds.migrate_score == 70);
    assert_true(e->thresholds.consider_score == 45);
    assert_true(e->thresholds.migrate_probability == 0.7);
    assert_true(e->thresholds.io_bound_share == 0.25);
    assert_true(e->thresholds.weekly_changes == 8);
    assert_true(e->thresholds.min_hours == 6);
    assert_true(e->thresholds.min_points == 50);

    /* weights are 1..9 in factor order, then 0 */
    assert_true(a.scoring.weights[FACTOR_RUNTIME_SHARE] == 1);
    assert_true(a.scoring.weights[FACTOR_CHANGE_RATE] == 9);
    assert_true(a.scoring.weights[FACTOR_CRITICALITY] == 0);
    assert_true(a.scoring.weights[FACTOR_TEAM_EXPERIENCE] == 8);

    /* python overridden key by key, ruby added; the built-ins stay */
    assert_int_equal(a.n_languages, 5);
    l = assumptions_language(&a, "python");
    assert_non_null(l);
    check_point(l->cpu_reduction, 0.7);
    check_range(l->memory_reduction, 0.5, 0.75, 0.88);    /* the default, kept */
    assert_int_equal(l->dynamic, 1);
    l = assumptions_language(&a, "ruby");
    assert_non_null(l);
    check_range(l->cpu_reduction, 0.5, 0.6, 0.7);
    check_point(l->memory_reduction, 0.5);
    check_point(l->p99_reduction, 0.4);
    assert_int_equal(l->dynamic, 1);
    assert_non_null(assumptions_language(&a, "go"));

    assert_int_equal(a.n_services, 3);
    s = &a.services[0];
    assert_string_equal(s->name, "checkout");
    assert_string_equal(s->language, "python");
    assert_int_equal(s->workload, WORKLOAD_LATENCY_CRITICAL);
    assert_int_equal(s->criticality, CRITICALITY_HIGH);
    check_range(s->instances, 10, 12, 16);
    check_point(s->min_instances, 3);
    check_point(s->cores_per_instance, 4);
    check_point(s->memory_per_instance_bytes, 4294967296.0);   /* 4 * 1024^3 */
    check_point(s->cost_per_instance, 900);
    check_range(s->incidents_per_month, 1, 2, 4);
    check_point(s->cost_per_incident, 5000);
    check_point(s->incident_reduction, 0.5);
    assert_int_equal(s->endpoints, 12);
    assert_int_equal(s->engineers, 5);
    assert_int_equal(s->experience, EXPERIENCE_SOME);
    check_point(s->changes_per_month, 6);
    check_range(s->effort_engineer_months, 4, 6, 9);
    assert_int_equal(s->has_effort, 1);
    assert_int_equal(s->line, 75);     /* "  - name: checkout" */

    s = &a.services[1];
    assert_string_equal(s->name, "search");
    assert_string_equal(s->language, "ruby");
    /* 1GB = 1e9, 2GB = 2e9, 4GiB = 4 * 1024^3 */
    check_range(s->memory_per_instance_bytes, 1e9, 2e9, 4294967296.0);
    assert_int_equal(s->has_effort, 0);

    s = &a.services[2];
    assert_string_equal(s->name, "ledger");
    assert_string_equal(s->language, "");
    check_point(s->memory_per_instance_bytes, 1073741824.0);
    assert_int_equal(s->experience, EXPERIENCE_STRONG);
    assert_int_equal(s->engineers, 4);          /* default kept inside team */

    assumptions_done(&a);
    config_diags_done(&d);
}

/* 2GB is decimal: 2e9 bytes, not 2 * 1024^3. */
/* queries.service_label: a label name or a config error naming the key;
 * unset it stays NULL (fetch then probes: service, else job). */
static void test_service_label(void **state)
{
    struct assumptions a;
    struct config_diags d;

    (void)state;
    assert_int_equal(load("queries:\n  service_label: job\n", &a, &d), 0);
    assert_string_equal(a.service_label, "job");
    assumptions_done(&a);
    config_diags_done(&d);
    assert_int_equal(load("version: 1\n", &a, &d), 0);
    assert_null(a.service_label);
    /* the default templates select by the label placeholder */
    assert_non_null(strstr(a.queries[SIGNAL_CPU], "{${service_label}=\"${service}\"}"));
    assumptions_done(&a);
    config_diags_done(&d);
    assert_int_equal(load("queries:\n  service_label: 'job\"} or vector(1) #'\n", &a, &d),
                     -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.lines[0], "FILE:2:18: queries.service_label: a label name is "
                        "letters, digits and underscores, not starting with a digit");
    config_diags_done(&d);
}

/* economics.thresholds.min_hours: a DURATION (stored in hours) or a
 * number of hours as before. */
static void test_min_hours_duration(void **state)
{
    static const struct {
        const char *text;
        double hours;
    } cases[] = {
        { "3", 3 }, { "0", 0 }, { "1.5", 1.5 }, { "90m", 1.5 }, { "2d", 48 }, { "36h", 36 },
    };
    struct assumptions a;
    struct config_diags d;
    char buf[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(buf, sizeof(buf), "economics:\n  thresholds:\n    min_hours: %s\n",
                 cases[i].text);
        if (load(buf, &a, &d) != 0)
            fail_msg("%s refused: %s", cases[i].text, d.n ? d.lines[0] : "");
        if (fabs(a.economics.thresholds.min_hours - cases[i].hours) > 1e-12)
            fail_msg("%s: %g hours, want %g", cases[i].text,
                     a.economics.thresholds.min_hours, cases[i].hours);
        assumptions_done(&a);
        config_diags_done(&d);
    }
    assert_int_equal(load("economics:\n  thresholds:\n    min_hours: 3 fortnights\n", &a, &d),
                     -1);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.lines[0], "economics.thresholds.min_hours: expected a duration"));
    config_diags_done(&d);
    assert_int_equal(load("economics:\n  thresholds:\n    min_hours: -1\n", &a, &d), -1);
    config_diags_done(&d);
}

static void test_size_decimal(void **state)
{
    struct assumptions a;
    struct config_diags d;

    (void)state;
    assert_int_equal(load("services:\n  - name: a\n    memory_per_instance: 2GB\n", &a, &d), 0);
    check_point(a.services[0].memory_per_instance_bytes, 2e9);
    assumptions_done(&a);
    config_diags_done(&d);
}

/* Absent keys keep assumptions_defaults() and service_defaults(). */
static void test_defaults_survive(void **state)
{
    struct assumptions a, def;
    struct service_spec sdef;
    struct config_diags d;
    const struct service_spec *s;
    size_t i;

    (void)state;
    assumptions_defaults(&def);
    service_defaults(&sdef);
    assert_int_equal(load("economics:\n  horizon_months: 12\n"
                          "services:\n  - name: only\n", &a, &d), 0);
    assert_int_equal(a.economics.horizon_months, 12);
    assert_int_equal(a.version, def.version);
    assert_null(a.prometheus.url);
    assert_int_equal(a.prometheus.n_headers, 0);
    assert_true(a.prometheus.timeout_s == def.prometheus.timeout_s);
    assert_true(a.prometheus.range_s == def.prometheus.range_s);
    assert_true(a.prometheus.step_s == 0);
    assert_int_equal(a.prometheus.concurrency, def.prometheus.concurrency);
    assert_int_equal(a.prometheus.compression, COMPRESSION_AUTO);
    for (i = 0; i < SIGNAL_COUNT; i++) {
        if (def.queries[i] == NULL)
            assert_null(a.queries[i]);
        else
            assert_string_equal(a.queries[i], def.queries[i]);
    }
    assert_memory_equal(&a.economics.discount_rate, &def.economics.discount_rate,
                        sizeof(struct range));
    assert_memory_equal(&a.economics.learning, &def.economics.learning,
                        sizeof(def.economics.learning));
    assert_memory_equal(&a.economics.effort, &def.economics.effort,
                        sizeof(def.economics.effort));
    assert_memory_equal(&a.economics.thresholds, &def.economics.thresholds,
                        sizeof(def.economics.thresholds));
    assert_string_equal(a.economics.currency, def.economics.currency);
    assert_memory_equal(&a.scoring, &def.scoring, sizeof(def.scoring));
    assert_int_equal(a.n_languages, def.n_languages);
    assert_memory_equal(a.languages, def.languages, sizeof(def.languages));

    assert_int_equal(a.n_services, 1);
    s = &a.services[0];
    assert_string_equal(s->name, "only");
    assert_string_equal(s->language, "");
    assert_int_equal(s->workload, sdef.workload);
    assert_int_equal(s->criticality, sdef.criticality);
    assert_memory_equal(&s->instances, &sdef.instances, sizeof(struct range));
    assert_memory_equal(&s->memory_per_instance_bytes, &sdef.memory_per_instance_bytes,
                        sizeof(struct range));
    assert_memory_equal(&s->incident_reduction, &sdef.incident_reduction,
                        sizeof(struct range));
    assert_int_equal(s->endpoints, sdef.endpoints);
    assert_int_equal(s->engineers, sdef.engineers);
    assert_int_equal(s->experience, sdef.experience);
    assert_int_equal(s->has_effort, 0);
    assert_int_equal(s->line, 4);

    assumptions_done(&def);
    assumptions_done(&a);
    config_diags_done(&d);
}

/* Load text; expect failure and `first` as the first diagnostic line. */
static void expect_first(const char *text, size_t len, const char *first)
{
    struct assumptions a;
    struct config_diags d;
    int rc;

    memset(&d, 0, sizeof(d));
    rc = config_load_buffer("FILE", text, len, &a, &d);
    if (rc != -1 || d.n == 0 || strcmp(d.lines[0], first) != 0) {
        dump(&d);
        fail_msg("want first line: %s", first);
    }
    config_diags_done(&d);
}

/* services[].queries.<signal>: one service's PromQL, kept apart from the
 * fleet's queries; "" turns one off; a misspelt signal is an error. */
static void test_service_queries(void **state)
{
    static const char good[] =
        "version: 1\n"
        "services:\n"
        "  - name: reviews\n"
        "    queries:\n"
        "      p99_latency_seconds: 'vector(1)'\n"
        "      gc_seconds: ''\n"
        "  - name: other\n";
    static const char bad[] =
        "version: 1\n"
        "services:\n"
        "  - name: reviews\n"
        "    queries:\n"
        "      p99_latency: 'vector(1)'\n";
    struct assumptions a;
    struct config_diags d;

    (void)state;
    if (load(good, &a, &d) != 0) {
        dump(&d);
        fail();
    }
    assert_string_equal(a.services[0].queries[SIGNAL_P99_LATENCY], "vector(1)");
    assert_string_equal(a.services[0].queries[SIGNAL_GC], "");
    assert_null(a.services[0].queries[SIGNAL_CPU]);
    assert_null(a.services[1].queries[SIGNAL_P99_LATENCY]);
    /* the fleet's default is untouched */
    assert_non_null(strstr(a.queries[SIGNAL_P99_LATENCY], "histogram_quantile"));
    assumptions_done(&a);
    config_diags_done(&d);
    expect_first(bad, sizeof(bad) - 1, "FILE:5:7: services[reviews].queries.p99_latency: "
                 "unknown key (did you mean 'p99_latency_seconds'?)");
}

static void test_empty_inputs(void **state)
{
    (void)state;
    expect_first("", 0, "FILE:1:1: the file is empty (expected a map of settings)");
    expect_first(NULL, 0, "FILE:1:1: the file is empty (expected a map of settings)");
    expect_first("---\n", 4, "FILE:1:1: the file is empty (expected a map of settings)");
    expect_first("# only a comment\n", 17,
                 "FILE:1:1: the file is empty (expected a map of settings)");
    expect_first("- a\n- b\n", 8, "FILE:1:1: expected a map of settings at the top level");
    expect_first("just words\n", 11, "FILE:1:1: expected a map of settings at the top level");
    expect_first("a: 1\n---\nb: 2\n", 14, "FILE:2:1: only one YAML document is allowed");
}

/* Three levels of aliases (a billion laughs in miniature) are refused,
 * not expanded; so is an alias where a value is expected. */
static void test_alias_bomb(void **state)
{
    static const char bomb[] =
        "languages:\n"
        "  a: &a [\"lol\", \"lol\", \"lol\"]\n"
        "  b: &b [*a, *a, *a]\n"
        "  c: &c [*b, *b, *b]\n"
        "services: *c\n";
    struct assumptions a;
    struct config_diags d;
    size_t i, aliases = 0;

    (void)state;
    memset(&d, 0, sizeof(d));
    assert_int_equal(config_load_buffer("FILE", bomb, strlen(bomb), &a, &d), -1);
    for (i = 0; i < d.n; i++)
        if (strstr(d.lines[i], "aliases are not supported") != NULL)
            aliases++;
    dump(&d);
    assert_true(aliases >= 3);
    assert_string_equal(d.lines[0],
                        "FILE:2:6: languages.a: anchors and aliases are not supported");
    assert_string_equal(d.lines[d.n - 1], "FILE:5:11: services: aliases are not supported");
    config_diags_done(&d);
}

/* A thousand nested flow sequences stop at depth 64, with one line. */
static void test_depth_limit(void **state)
{
    struct assumptions a;
    struct config_diags d;
    char *text = malloc(2000 + 8);
    clock_t t0 = clock();

    (void)state;
    assert_non_null(text);
    memcpy(text, "a: ", 3);
    memset(text + 3, '[', 1000);
    memset(text + 1003, ']', 1000);
    text[2003] = '\0';
    memset(&d, 0, sizeof(d));
    assert_int_equal(config_load_buffer("FILE", text, 2003, &a, &d), -1);
    assert_int_equal(d.n, 1);
    /* the map is level 1, so the 64th '[' (column 67) opens level 65 */
    assert_string_equal(d.lines[0], "FILE:1:67: nesting is deeper than 64 levels");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    config_diags_done(&d);
    free(text);
}

/* "\0" is a legal YAML escape; a string holding NUL is refused, and text
 * after it is not silently dropped. */
static void test_nul_escape(void **state)
{
    static const char text[] = "services:\n  - name: \"a\\0b\"\n";
    static const char raw[] = "services:\n  - name: a\0b\n";

    (void)state;
    expect_first(text, strlen(text),
                 "FILE:2:11: services[0].name: must not contain a NUL character");
    expect_first(raw, sizeof(raw) - 1,
                 "FILE:2:12: syntax error: control characters are not allowed");
}

/* Control characters in untrusted text are replaced in messages. */
static void test_sanitized(void **state)
{
    static const char text[] = "\"ev\\e[31mil\": 1\n";

    (void)state;
    expect_first(text, strlen(text), "FILE:1:1: ev?[31mil: unknown key");
}

/* 150 errors: 100 lines, then one line for the rest. */
static void test_error_cap(void **state)
{
    struct assumptions a;
    struct config_diags d;
    char *text = malloc(150 * 16);
    size_t i, o = 0;

    (void)state;
    assert_non_null(text);
    for (i = 0; i < 150; i++)
        o += (size_t)sprintf(text + o, "k%zu: 1\n", i);
    memset(&d, 0, sizeof(d));
    assert_int_equal(config_load_buffer("FILE", text, o, &a, &d), -1);
    assert_int_equal(d.n, 101);
    assert_string_equal(d.lines[0], "FILE:1:1: k0: unknown key");
    assert_string_equal(d.lines[100], "... 50 more errors");
    config_diags_done(&d);
    free(text);
}

static void test_missing_file(void **state)
{
    struct assumptions a;
    struct config_diags d;

    (void)state;
    memset(&d, 0, sizeof(d));
    assert_int_equal(config_load_file(BAD_DIR "/no-such-file.yaml", &a, &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.lines[0],
                        BAD_DIR "/no-such-file.yaml: cannot read: No such file or directory");
    assert_int_equal(a.n_services, 0);
    config_diags_done(&d);
}

/* Every prefix of the good file, and the good file with each byte changed
 * in turn, loads or fails cleanly (run under ASan/valgrind to mean much). */
static void test_mangled(void **state)
{
    size_t len = strlen(good_yaml), i;
    char *copy = malloc(len + 1);

    (void)state;
    assert_non_null(copy);
    for (i = 0; i <= len; i++) {
        struct assumptions a;
        struct config_diags d;

        memset(&d, 0, sizeof(d));
        if (config_load_buffer("FILE", good_yaml, i, &a, &d) == 0)
            assumptions_done(&a);
        config_diags_done(&d);
    }
    for (i = 0; i < len; i += 3) {
        struct assumptions a;
        struct config_diags d;
        static const char subst[] = "[{&*:-\"'#\\\n 0";

        memcpy(copy, good_yaml, len + 1);
        copy[i] = subst[i % (sizeof(subst) - 1)];
        memset(&d, 0, sizeof(d));
        if (config_load_buffer("FILE", copy, len, &a, &d) == 0)
            assumptions_done(&a);
        config_diags_done(&d);
    }
    free(copy);
}

/* The first line of a bad file is "# expect: <diagnostic>" with the file
 * name written as FILE; returns that line with FILE replaced by path. */
static char *expectation(const char *path, const char *text)
{
    static const char tag[] = "# expect: FILE";
    const char *eol;
    size_t n;
    char *want;

    if (strncmp(text, tag, sizeof(tag) - 1) != 0)
        return NULL;
    text += sizeof(tag) - 1;
    eol = strchr(text, '\n');
    n = eol != NULL ? (size_t)(eol - text) : strlen(text);
    want = malloc(strlen(path) + n + 1);
    if (want == NULL)
        return NULL;
    strcpy(want, path);
    memcpy(want + strlen(path), text, n);
    want[strlen(path) + n] = '\0';
    return want;
}

static void test_bad_catalogue(void **state)
{
    DIR *dir = opendir(BAD_DIR);
    struct dirent *ent;
    size_t checked = 0, failed = 0;

    (void)state;
    assert_non_null(dir);
    for (ent = readdir(dir); ent != NULL; ent = readdir(dir)) {
        char path[512];
        struct assumptions a;
        struct config_diags d;
        char *text, *want;
        size_t len = strlen(ent->d_name);
        int rc;

        if (len < 6 || strcmp(ent->d_name + len - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", BAD_DIR, ent->d_name);
        text = util_read_file(path, NULL);
        assert_non_null(text);
        want = expectation(path, text);
        free(text);
        if (want == NULL) {
            print_message("%s: no '# expect: FILE...' first line\n", path);
            failed++;
            continue;
        }
        memset(&d, 0, sizeof(d));
        rc = config_load_file(path, &a, &d);
        if (rc != -1 || d.n == 0 || strcmp(d.lines[0], want) != 0) {
            print_message("%s: rc %d\n  want: %s\n  got:  %s\n", path, rc, want,
                          d.n > 0 ? d.lines[0] : "(nothing)");
            failed++;
        }
        checked++;
        free(want);
        config_diags_done(&d);
    }
    closedir(dir);
    print_message("%zu bad files checked\n", checked);
    assert_int_equal(failed, 0);
    assert_true(checked >= BAD_MIN_FILES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_size_decimal),
        cmocka_unit_test(test_service_label),
        cmocka_unit_test(test_min_hours_duration),
        cmocka_unit_test(test_service_queries),
        cmocka_unit_test(test_defaults_survive),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_nul_escape),
        cmocka_unit_test(test_sanitized),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_mangled),
        cmocka_unit_test(test_bad_catalogue),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
