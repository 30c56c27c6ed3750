/* test_app_snapshot.c: unit tests for app/snapshot/snapshot.c (snapshot files) and models/measure.c. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "verdict/measure.h"
#include "verdict/snapshot.h"

#define ERRLEN 512
#define DEMO_SNAPSHOT "data/demo/snapshot.json"

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static double *dup_doubles(const double *v, size_t n)
{
    double *p = malloc(n * sizeof(double));

    assert_non_null(p);
    memcpy(p, v, n * sizeof(double));
    return p;
}

/* Same bits, or both NaN (null carries no payload). */
static void check_same(double a, double b, const char *what)
{
    if (isnan(a) && isnan(b))
        return;
    if (memcmp(&a, &b, sizeof(a)) != 0)
        fail_msg("%s: %.17g != %.17g", what, a, b);
}

static void check_same_string(const char *a, const char *b, const char *what)
{
    if (a == NULL || b == NULL) {
        if (a != b)
            fail_msg("%s: %s != %s", what, a ? a : "NULL", b ? b : "NULL");
        return;
    }
    if (strcmp(a, b) != 0)
        fail_msg("%s: '%s' != '%s'", what, a, b);
}

static void check_same_signal(const struct signal_data *a, const struct signal_data *b)
{
    const struct series_stats *x = &a->stats, *y = &b->stats;
    size_t i;

    assert_int_equal(a->present, b->present);
    check_same_string(a->error, b->error, "signal error");
    if (!a->present)
        return;
    assert_int_equal(x->count, y->count);
    assert_int_equal(x->gaps, y->gaps);
    check_same(x->first_t, y->first_t, "first_t");
    check_same(x->last_t, y->last_t, "last_t");
    check_same(x->min, y->min, "min");
    check_same(x->max, y->max, "max");
    check_same(x->mean, y->mean, "mean");
    check_same(x->p50, y->p50, "p50");
    check_same(x->p95, y->p95, "p95");
    check_same(x->p99, y->p99, "p99");
    check_same(x->last, y->last, "last");
    check_same(x->trend_per_day, y->trend_per_day, "trend_per_day");
    if ((a->exceedance == NULL) != (b->exceedance == NULL))
        fail_msg("exceedance: %s != %s", a->exceedance ? "kept" : "NULL",
                 b->exceedance ? "kept" : "NULL");
    for (i = 0; a->exceedance != NULL && i < STATS_EXCEEDANCE_LEVELS; i++)
        check_same(a->exceedance[i], b->exceedance[i], "exceedance");
    assert_int_equal(a->chart.n, b->chart.n);
    check_same(a->chart.t0_s, b->chart.t0_s, "t0");
    check_same(a->chart.dt_s, b->chart.dt_s, "dt");
    for (i = 0; i < a->chart.n; i++) {
        check_same(a->chart.min[i], b->chart.min[i], "chart.min");
        check_same(a->chart.max[i], b->chart.max[i], "chart.max");
        check_same(a->chart.mean[i], b->chart.mean[i], "chart.mean");
    }
}

static void check_same_measurements(const struct measurements *a, const struct measurements *b)
{
    size_t i;
    int s;

    check_same_string(a->source, b->source, "source");
    check_same(a->end_s, b->end_s, "end");
    check_same(a->range_s, b->range_s, "range");
    check_same(a->step_s, b->step_s, "step");
    assert_int_equal(a->n_services, b->n_services);
    for (i = 0; i < a->n_services; i++) {
        check_same_string(a->services[i].name, b->services[i].name, "name");
        check_same_string(a->services[i].detected_language,
                          b->services[i].detected_language, "detected_language");
        check_same_string(a->services[i].error, b->services[i].error, "error");
        check_same_string(a->services[i].profile, b->services[i].profile, "profile");
        assert_int_equal(a->services[i].discovered, b->services[i].discovered);
        for (s = 0; s < SIGNAL_COUNT; s++)
            check_same_signal(&a->services[i].signals[s], &b->services[i].signals[s]);
    }
}

/* Write m to memory; the caller frees the text. */
static char *write_to_memory(const struct measurements *m, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);

    assert_non_null(f);
    assert_int_equal(snapshot_write(f, m), 0);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Odd doubles on purpose: -0, a subnormal, 0.1 (needs 17 digits), huge,
 * and values that need 16 and 17 significant digits. */
static void fill_stats(struct series_stats *st)
{
    st->count = 8638;
    st->gaps = 2;
    st->first_t = 1790899200;
    st->last_t = 1793490900;
    st->min = -0.0;
    st->max = 1e300;
    st->mean = 0.1;
    st->p50 = 4.9406564584124654e-324;
    st->p95 = 1.0 / 3.0;
    st->p99 = NAN;
    st->last = 2.718281828459045;
    st->trend_per_day = -1.2345678901234567e-7;
}

static void build_sample(struct measurements *m)
{
    static const double cmin[4] = { 0.5, NAN, 0.25, 1e-9 };
    static const double cmax[4] = { 0.75, NAN, 0.3333333333333333, 2e-9 };
    static const double cmean[4] = { 0.6, NAN, 0.29999999999999999, 1.5e-9 };
    struct service_data *s;
    struct signal_data *sig;

    memset(m, 0, sizeof(*m));
    m->source = dup_string("http://prom.example:9090 \"quoted\"");
    m->end_s = 1793491200;
    m->range_s = 2592000;
    m->step_s = 300;
    m->n_services = 3;
    m->services = calloc(3, sizeof(*m->services));
    assert_non_null(m->services);

    /* A name with a quote, a backslash, control characters and UTF-8. */
    s = &m->services[0];
    s->name = dup_string("we\"ird\\name\t\n\x01\x1f caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\xa6\x80");
    s->detected_language = dup_string("go");
    s->profile = dup_string("istio+kubernetes+gc:python");
    /* not measured, with the reason only (Python's GC: query_profile.h) */
    s->signals[SIGNAL_MEAN_LATENCY].warning = dup_string("not measured: counts only");
    sig = &s->signals[SIGNAL_P99_LATENCY];
    sig->present = 1;
    fill_stats(&sig->stats);
    sig->chart.n = 4;
    sig->chart.t0_s = 1790899200;
    sig->chart.dt_s = 648000;
    sig->chart.min = dup_doubles(cmin, 4);
    sig->chart.max = dup_doubles(cmax, 4);
    sig->chart.mean = dup_doubles(cmean, 4);
    /* the p99's exceedance table: rising, with values of 15, 16 and 17
     * digits and repeats (a flat stretch of the series) */
    sig->exceedance = malloc(STATS_EXCEEDANCE_LEVELS * sizeof(double));
    assert_non_null(sig->exceedance);
    {
        size_t k;

        for (k = 0; k < STATS_EXCEEDANCE_LEVELS; k++)
            sig->exceedance[k] = k < 10 ? 0.1 : 0.1 + (double)k / 3.0 + 1e-9 * (double)k;
    }
    /* present, but with an empty chart and all-NaN stats: a series of
     * gaps, whose error says so (test_all_gaps: the loader adds it) */
    sig = &s->signals[SIGNAL_CPU];
    sig->present = 1;
    sig->error = dup_string("no usable samples: 8640 points, all gaps");
    sig->stats.first_t = sig->stats.last_t = sig->stats.min = sig->stats.max = NAN;
    sig->stats.mean = sig->stats.p50 = sig->stats.p95 = sig->stats.p99 = NAN;
    sig->stats.last = sig->stats.trend_per_day = NAN;
    sig->stats.gaps = 8640;
    sig->chart.t0_s = NAN;
    sig->chart.dt_s = NAN;
    /* SIGNAL_MEMORY missing; RPS failed; GC present with a warning */
    s->signals[SIGNAL_RPS].error = dup_string("HTTP 503: \"overloaded\"");
    sig = &s->signals[SIGNAL_GC];
    sig->present = 1;
    sig->error = dup_string("partial: 2 of 3 instances");
    fill_stats(&sig->stats);
    sig->chart.n = 1;
    sig->chart.t0_s = 0;
    sig->chart.dt_s = 1;
    sig->chart.min = dup_doubles(cmin, 1);
    sig->chart.max = dup_doubles(cmax, 1);
    sig->chart.mean = dup_doubles(cmean, 1);

    /* A service whose fetch failed, found by discovery. */
    s = &m->services[1];
    s->name = dup_string("down");
    s->discovered = 1;
    s->error = dup_string("connect: connection refused");

    /* A service with nothing at all. */
    s = &m->services[2];
    s->name = dup_string("quiet");
}

/* write -> load gives the same doubles, bit for bit, and writing the loaded
 * copy gives the same bytes (the output is stable). */
static void test_round_trip(void **state)
{
    struct measurements a, b;
    char err[ERRLEN], *text, *text2;
    size_t len, len2;

    (void)state;
    build_sample(&a);
    text = write_to_memory(&a, &len);
    if (snapshot_load_buffer("mem.json", text, len, &b, err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    check_same_measurements(&a, &b);
    assert_null(measurements_find(&b, "nope"));
    assert_ptr_equal(measurements_find(&b, "down"), &b.services[1]);

    text2 = write_to_memory(&b, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, text2, len);
    /* escapes as JSON wants them */
    assert_non_null(strstr(text, "\"we\\\"ird\\\\name\\u0009\\u000a\\u0001\\u001f caf\xc3\xa9"));
    assert_non_null(strstr(text, "\"p99\": null"));
    assert_non_null(strstr(text, "\"min\": -0,"));
    assert_null(strstr(text, "memory_bytes"));
    assert_non_null(strstr(text, "\"profile\": \"istio+kubernetes+gc:python\""));
    assert_non_null(strstr(text, "\"warning\": \"not measured: counts only\""));
    /* no profile key for a service without one */
    assert_null(strstr(strstr(text, "\"down\""), "\"profile\""));
    /* kept for the p99 series only */
    assert_non_null(strstr(text, "\"exceedance\": [0.1, 0.1, "));
    assert_null(strstr(strstr(text, "\"exceedance\"") + 1, "\"exceedance\""));

    free(text);
    free(text2);
    measurements_done(&a);
    measurements_done(&b);
    measurements_done(&b);          /* idempotent */
    measurements_done(NULL);
}

/* Invalid UTF-8 bytes come out as U+FFFD; valid sequences stay. */
/* A series of gaps written without its error (before fetch said so) is
 * read as no data: the error the loader gives it names the points. */
static void test_all_gaps(void **state)
{
    static const char text[] =
        "{\"schema\": \"verdict.snapshot/1\", \"source\": \"x\", \"end\": 100, "
        "\"range\": 60, \"step\": 1, \"services\": [{\"name\": \"a\", \"discovered\": true, "
        "\"signals\": {\"cpu_cores\": {\"stats\": {\"count\": 0, \"gaps\": 61, "
        "\"first_t\": null, \"last_t\": null, \"min\": null, \"max\": null, "
        "\"mean\": null, \"p50\": null, \"p95\": null, \"p99\": null, \"last\": null, "
        "\"trend_per_day\": null}, \"chart\": {\"t0\": 40, \"dt\": 1, \"min\": [null], "
        "\"max\": [null], \"mean\": [null]}}}}]}";
    struct measurements m;
    char err[ERRLEN];

    (void)state;
    if (snapshot_load_buffer("gaps.json", text, sizeof(text) - 1, &m, err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_string_equal(m.services[0].signals[SIGNAL_CPU].error,
                        "no usable samples: 61 points, all gaps");
    assert_int_equal(m.services[0].discovered, 1);
    measurements_done(&m);
}

/* A snapshot written before the mean-latency signal existed (issue 14)
 * loads: the signal is simply absent, not an error, and the runtime share
 * falls back to the p50. */
static void test_without_mean_latency(void **state)
{
    static const char text[] =
        "{\"schema\": \"verdict.snapshot/1\", \"source\": \"x\", \"end\": 100, "
        "\"range\": 60, \"step\": 1, \"services\": [{\"name\": \"a\", "
        "\"signals\": {\"p50_latency_seconds\": {\"stats\": {\"count\": 61, \"gaps\": 0, "
        "\"first_t\": 40, \"last_t\": 100, \"min\": 0.02, \"max\": 0.02, "
        "\"mean\": 0.02, \"p50\": 0.02, \"p95\": 0.02, \"p99\": 0.02, \"last\": 0.02, "
        "\"trend_per_day\": 0}, \"chart\": {\"t0\": 40, \"dt\": 60, \"min\": [0.02], "
        "\"max\": [0.02], \"mean\": [0.02]}}}}]}";
    struct measurements m;
    char err[ERRLEN];

    (void)state;
    if (snapshot_load_buffer("old.json", text, sizeof(text) - 1, &m, err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_true(m.services[0].signals[SIGNAL_P50_LATENCY].present);
    assert_false(m.services[0].signals[SIGNAL_MEAN_LATENCY].present);
    assert_null(m.services[0].signals[SIGNAL_MEAN_LATENCY].error);
    measurements_done(&m);
}

/* Issue 15's keys round-trip (a quantile's bucket with hi +Inf written as
 * null, the trend's noise, the detection note) and a snapshot without
 * them (test_without_mean_latency's) loads with none: no bucket, noise
 * NaN, no note.  A bucket with lo >= hi is refused. */
static void test_issue15_keys(void **state)
{
    static const char old[] =
        "{\"schema\": \"verdict.snapshot/1\", \"source\": \"x\", \"end\": 100, "
        "\"range\": 60, \"step\": 1, \"services\": [{\"name\": \"a\", "
        "\"signals\": {\"p50_latency_seconds\": {\"stats\": {\"count\": 61, \"gaps\": 0, "
        "\"first_t\": 40, \"last_t\": 100, \"min\": 0.02, \"max\": 0.02, "
        "\"mean\": 0.02, \"p50\": 0.02, \"p95\": 0.02, \"p99\": 0.02, \"last\": 0.02, "
        "\"trend_per_day\": 0}%s, \"chart\": {\"t0\": 40, \"dt\": 60, \"min\": [0.02], "
        "\"max\": [0.02], \"mean\": [0.02]}}}}]}";
    struct measurements a, b;
    char err[ERRLEN], *text, buf[1024];
    size_t len;
    struct signal_data *p50;

    (void)state;
    build_sample(&a);
    p50 = &a.services[0].signals[SIGNAL_P50_LATENCY];
    p50->present = 1;
    p50->have_bucket = 1;
    p50->bucket_lo = 0.25;
    p50->bucket_hi = INFINITY;
    p50->stats.trend_se_per_day = 0.125;
    a.services[0].detection_note = strdup("language not detected (no go_info for job=a)");
    text = write_to_memory(&a, &len);
    assert_non_null(strstr(text, "\"bucket\": {\"lo\": 0.25, \"hi\": null}"));
    if (snapshot_load_buffer("mem.json", text, len, &b, err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_true(b.services[0].signals[SIGNAL_P50_LATENCY].have_bucket);
    assert_true(b.services[0].signals[SIGNAL_P50_LATENCY].bucket_lo == 0.25);
    assert_true(isinf(b.services[0].signals[SIGNAL_P50_LATENCY].bucket_hi));
    assert_true(b.services[0].signals[SIGNAL_P50_LATENCY].stats.trend_se_per_day == 0.125);
    assert_string_equal(b.services[0].detection_note,
                        "language not detected (no go_info for job=a)");
    free(text);
    measurements_done(&a);
    measurements_done(&b);

    snprintf(buf, sizeof(buf), old, "");
    if (snapshot_load_buffer("old.json", buf, strlen(buf), &b, err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_false(b.services[0].signals[SIGNAL_P50_LATENCY].have_bucket);
    assert_true(isnan(b.services[0].signals[SIGNAL_P50_LATENCY].stats.trend_se_per_day));
    assert_null(b.services[0].detection_note);
    measurements_done(&b);

    snprintf(buf, sizeof(buf), old, ", \"bucket\": {\"lo\": 0.5, \"hi\": 0.5}");
    assert_int_equal(snapshot_load_buffer("bad.json", buf, strlen(buf), &b, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "expected 0 <= lo < hi"));
}

/* Chart buckets that keep a snapshot readable, worked out by hand from
 * half of 256 MiB (134,217,728 bytes) at 45 bytes a bucket. */
static void test_chart_buckets(void **state)
{
    (void)state;
    assert_int_equal(snapshot_chart_buckets(50000, 512), 59);   /* 59.65 */
    assert_int_equal(snapshot_chart_buckets(5000, 512), 512);   /* 596 fit */
    assert_int_equal(snapshot_chart_buckets(5825, 1024), 512);  /* 512.04 */
    assert_int_equal(snapshot_chart_buckets(0, 512), 512);
    assert_int_equal(snapshot_chart_buckets((size_t)1 << 40, 512), 1);
}

/* A snapshot that would pass 256 MiB is refused by the writer (-2), not
 * written for a load to refuse: 4,200 services named with 64,000 bytes
 * each make 269 MB of names alone. */
static void test_too_large_refused(void **state)
{
    struct measurements m;
    char *name = malloc(64001), source[] = "x";
    FILE *f = fopen("/dev/null", "w");
    size_t i;

    (void)state;
    assert_non_null(name);
    assert_non_null(f);
    memset(name, 'n', 64000);
    name[64000] = '\0';
    memset(&m, 0, sizeof(m));
    m.source = source;
    m.end_s = 100;
    m.range_s = m.step_s = 1;
    m.n_services = 4200;
    m.services = calloc(m.n_services, sizeof(*m.services));
    assert_non_null(m.services);
    for (i = 0; i < m.n_services; i++)
        m.services[i].name = name;      /* only read (the writer does not check names) */
    assert_int_equal(snapshot_write(f, &m), -2);
    m.n_services = 100;                 /* 6.4 MB: fine */
    assert_int_equal(snapshot_write(f, &m), 0);
    fclose(f);
    free(m.services);
    free(name);
}

static void test_invalid_utf8(void **state)
{
    struct measurements m, back;
    char err[ERRLEN], *text;
    size_t len;

    (void)state;
    memset(&m, 0, sizeof(m));
    m.source = dup_string("x\xff" "y\xc3(\xed\xa0\x80z\xc3\xa9");
    m.end_s = 1;
    m.range_s = 1;
    m.step_s = 1;
    text = write_to_memory(&m, &len);
    assert_int_equal(snapshot_load_buffer("m", text, len, &back, err, sizeof(err)), 0);
    /* \xff, lone \xc3, and each byte of the surrogate \xed\xa0\x80 */
    assert_string_equal(back.source, "x\xef\xbf\xbdy\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd"
                                     "\xef\xbf\xbdz\xc3\xa9");
    assert_int_equal(back.n_services, 0);
    free(text);
    measurements_done(&m);
    measurements_done(&back);
}

/* DEL and C1 controls (U+009B is CSI to a terminal) are written as \u
 * escapes, so `verdict fetch` to a terminal cannot be made to obey them,
 * and read back as the same characters. */
static void test_controls_escaped(void **state)
{
    struct measurements m, back;
    char err[ERRLEN], *text;
    size_t len;

    (void)state;
    memset(&m, 0, sizeof(m));
    m.source = dup_string("a\x7f" "b\xc2\x9b" "c\xc2\x85" "d\x1b" "e\xc2\xa0" "f");
    m.end_s = 1;
    m.range_s = 1;
    m.step_s = 1;
    text = write_to_memory(&m, &len);
    assert_non_null(strstr(text, "\"a\\u007fb\\u009bc\\u0085d\\u001be\xc2\xa0" "f\""));
    assert_null(memchr(text, 0x7f, len));
    assert_null(memchr(text, 0x1b, len));
    assert_int_equal(snapshot_load_buffer("m", text, len, &back, err, sizeof(err)), 0);
    assert_string_equal(back.source, m.source);
    free(text);
    measurements_done(&m);
    measurements_done(&back);
}

/* A file whose strings are not UTF-8 is refused: the writer would turn the
 * bytes into U+FFFD, so these two names would come back as one and the
 * written file would not load (found by tests/fuzz/fuzz_snapshot.c).  So
 * is a file cJSON refuses after the loader's own scan accepted it. */
static void test_invalid_utf8_refused(void **state)
{
    static const char json[] =
        "{\"schema\": \"verdict.snapshot/1\", \"source\": \"\", \"end\": 0, \"range\": 1,"
        " \"step\": 1, \"services\": [{\"name\": \"\xff\", \"signals\": {}},"
        " {\"name\": \"\xfe\", \"signals\": {}}]}";
    struct measurements m;
    char err[ERRLEN];

    (void)state;
    assert_int_equal(snapshot_load_buffer("snap.json", json, sizeof(json) - 1, &m, err,
                                          sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "UTF-8"));
    assert_null(m.services);
    assert_int_equal(m.n_services, 0);

    /* A byte-order mark and one digit: cJSON 1.7.15 skips the mark only in
     * texts of 5 bytes or more, and the loader took its refusal for out of
     * memory and aborted (found by tests/fuzz/fuzz_snapshot.c). */
    assert_int_equal(snapshot_load_buffer("snap.json", "\xef\xbb\xbf" "3", 4, &m, err,
                                          sizeof(err)),
                     -1);
    assert_null(m.services);
}

/* Numbers: the shortest text that reads back exactly; integral values as
 * integers; no services as []. */
static void test_number_format(void **state)
{
    struct measurements m;
    char *text;
    size_t len;

    (void)state;
    memset(&m, 0, sizeof(m));
    m.source = dup_string("s");
    m.end_s = 0.1;
    m.range_s = 2592000;
    m.step_s = 1.5;
    text = write_to_memory(&m, &len);
    assert_non_null(strstr(text, "\"end\": 0.1,"));
    assert_non_null(strstr(text, "\"range\": 2592000,"));
    assert_non_null(strstr(text, "\"step\": 1.5,"));
    assert_non_null(strstr(text, "\"services\": []"));
    free(text);
    measurements_done(&m);
}

/* The committed demo snapshot: 12 services, 5 signals of 30 days at 5 min
 * (8,640 points: count + gaps), and the stories data/demo/gen_demo.c
 * designed (its table states the targets; they are hit by scaling, so a
 * tolerance of 1e-6 relative is ample). */
static void test_demo_snapshot(void **state)
{
    struct measurements m;
    const struct service_data *s;
    char err[ERRLEN];
    size_t i;
    int sg;
    double cpu_mean, rps_mean, p50;

    (void)state;
    if (snapshot_load_file(DEMO_SNAPSHOT, &m, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    assert_string_equal(m.source, "demo (synthetic, data/demo/gen_demo.c)");
    assert_true(m.end_s == 1793491200.0);
    assert_true(m.range_s == 2592000.0);
    assert_true(m.step_s == 300.0);
    assert_int_equal(m.n_services, 12);
    for (i = 0; i < m.n_services; i++) {
        assert_null(m.services[i].error);
        for (sg = 0; sg < SIGNAL_COUNT; sg++) {
            const struct signal_data *d = &m.services[i].signals[sg];

            /* no GC series; no targets-up series: the demo inventory
             * gives every service's instances (and predates the signal) */
            if (sg == SIGNAL_GC || sg == SIGNAL_INSTANCES) {
                assert_false(d->present);
                continue;
            }
            assert_true(d->present);
            /* the mean latency follows the p50's gaps (pricing-engine's outage) */
            assert_int_equal(d->stats.count + d->stats.gaps, 8640);
            assert_int_equal(d->chart.n, 720);
            /* the p99 series carries its exceedance table, whose ends are
             * the series' min and max */
            if (sg == SIGNAL_P99_LATENCY) {
                assert_non_null(d->exceedance);
                check_same(d->exceedance[0], d->stats.min, "exceedance min");
                check_same(d->exceedance[STATS_EXCEEDANCE_LEVELS - 1], d->stats.max,
                           "exceedance max");
            } else {
                assert_null(d->exceedance);
            }
        }
    }

    /* pricing-engine: p95 of 48 cores at 78 %; 24 points lost to an outage */
    s = measurements_find(&m, "pricing-engine");
    assert_non_null(s);
    assert_true(fabs(s->signals[SIGNAL_CPU].stats.p95 / (12 * 4) - 0.78) < 1e-6);
    assert_int_equal(s->signals[SIGNAL_CPU].stats.gaps, 24);
    cpu_mean = s->signals[SIGNAL_CPU].stats.mean;
    rps_mean = s->signals[SIGNAL_RPS].stats.mean;
    p50 = s->signals[SIGNAL_P50_LATENCY].stats.p50;
    assert_true(fabs(cpu_mean / rps_mean / p50 - 0.90) < 1e-6);
    /* its mean latency is a lognormal's with p99 at 3.4 x p50 (gen_demo.c):
     * sigma = ln 3.4 / 2.3263 = 0.5261, mean = exp(0.5261^2 / 2) = 1.148 x
     * the p50, within the noise */
    assert_true(fabs(s->signals[SIGNAL_MEAN_LATENCY].stats.p50 / p50 - 1.148) < 0.005);

    /* user-profile: I/O-bound, runtime share 0.05 */
    s = measurements_find(&m, "user-profile");
    assert_non_null(s);
    cpu_mean = s->signals[SIGNAL_CPU].stats.mean;
    rps_mean = s->signals[SIGNAL_RPS].stats.mean;
    p50 = s->signals[SIGNAL_P50_LATENCY].stats.p50;
    assert_true(fabs(cpu_mean / rps_mean / p50 - 0.05) < 1e-6);

    /* config-agent: idle at 5 % of 3 cores */
    s = measurements_find(&m, "config-agent");
    assert_non_null(s);
    assert_true(fabs(s->signals[SIGNAL_CPU].stats.p95 / 3 - 0.05) < 1e-6);

    /* report-builder: leaking, memory p95 above 85 % of 16 x 4 GiB, growing */
    s = measurements_find(&m, "report-builder");
    assert_non_null(s);
    assert_true(s->signals[SIGNAL_MEMORY].stats.p95 > 0.85 * 16 * 4 * 1073741824.0);
    assert_true(s->signals[SIGNAL_MEMORY].stats.trend_per_day > 0);

    /* api-gateway: GC spikes in p99 (max far above the median), p50 flat */
    s = measurements_find(&m, "api-gateway");
    assert_non_null(s);
    assert_true(s->signals[SIGNAL_P99_LATENCY].stats.max >
                8 * s->signals[SIGNAL_P99_LATENCY].stats.p50);
    assert_true(s->signals[SIGNAL_P50_LATENCY].stats.max <
                1.5 * s->signals[SIGNAL_P50_LATENCY].stats.p50);

    /* realtime-feed: a 7-point hole in p99 only */
    s = measurements_find(&m, "realtime-feed");
    assert_non_null(s);
    assert_int_equal(s->signals[SIGNAL_P99_LATENCY].stats.gaps, 7);
    assert_int_equal(s->signals[SIGNAL_P50_LATENCY].stats.gaps, 0);
    measurements_done(&m);
}

static void test_missing_file(void **state)
{
    struct measurements m;
    char err[ERRLEN];

    (void)state;
    assert_int_equal(snapshot_load_file("/nonexistent/snap.json", &m, err, sizeof(err)), -1);
    assert_string_equal(err, "/nonexistent/snap.json: No such file or directory");
    assert_null(m.services);
    assert_int_equal(m.n_services, 0);
}

/* ----------------------------------------------------------- bad input */

#define HEAD "{\"schema\": \"verdict.snapshot/1\", \"source\": \"t\", \"end\": 100, " \
             "\"range\": 60, \"step\": 30, \"services\": ["
#define STATS "{\"count\": 2, \"gaps\": 0, \"first_t\": 40, \"last_t\": 70, \"min\": 1, " \
              "\"max\": 2, \"mean\": 1.5, \"p50\": 1.5, \"p95\": 1.95, \"p99\": 1.99, " \
              "\"last\": 2, \"trend_per_day\": null}"
#define CHART "{\"t0\": 40, \"dt\": 30, \"min\": [1, 2], \"max\": [1, 2], \"mean\": [1, 2]}"
#define SIG "{\"error\": null, \"stats\": " STATS ", \"chart\": " CHART "}"
#define SVC(name, signals) "{\"name\": \"" name "\", \"detected_language\": null, " \
                           "\"error\": null, \"signals\": {" signals "}}"

struct bad_case {
    const char *what;
    const char *json;
    const char *message;
};

/* Each case: what it breaks, the input, and the exact message. */
static const struct bad_case bad_cases[] = {
    { "empty file", "",
      "snap.json: line 1, column 1: unexpected end of file (truncated JSON?)" },
    /* 441 bytes, cut before the closing "]}": the column is just past the end */
    { "truncated", HEAD SVC("a", "\"cpu_cores\": " SIG),
      "snap.json: line 1, column 442: unexpected end of file (truncated JSON?)" },
    { "truncated in a string", "{\"schema\": \"verdict.snap",
      "snap.json: line 1, column 25: unexpected end of file (truncated JSON?)" },
    { "truncated over lines", "{\n  \"schema\": \"verdict.snapshot/1\",\n  \"services\": [\n",
      "snap.json: line 4, column 1: unexpected end of file (truncated JSON?)" },
    { "not JSON", "{\"schema\": nope}",
      "snap.json: line 1, column 12: invalid JSON" },
    { "trailing garbage", HEAD "]}\n x",
      "snap.json: line 2, column 2: unexpected data after the JSON value" },
    { "deep nesting",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      "snap.json: line 1, column 33: nested deeper than 32 levels" },
    { "top level not an object", "[1, 2]",
      "snap.json: expected a JSON object at the top level" },
    { "no schema", "{\"services\": []}",
      "snap.json: schema: missing (not a verdict snapshot)" },
    { "wrong schema", "{\"schema\": \"verdict.report/1\", \"services\": []}",
      "snap.json: schema: expected \"verdict.snapshot/1\", got \"verdict.report/1\"" },
    { "schema not a string", "{\"schema\": 1}",
      "snap.json: schema: expected a string" },
    { "unknown top-level key", HEAD "], \"extra\": 1}",
      "snap.json: (top level): unknown key 'extra'" },
    { "duplicate top-level key", HEAD "], \"end\": 5}",
      "snap.json: (top level): duplicate key 'end'" },
    { "string for a number",
      "{\"schema\": \"verdict.snapshot/1\", \"source\": \"t\", \"end\": \"soon\", "
      "\"range\": 60, \"step\": 30, \"services\": []}",
      "snap.json: end: expected a number" },
    { "infinite number",
      "{\"schema\": \"verdict.snapshot/1\", \"source\": \"t\", \"end\": 1e999, "
      "\"range\": 60, \"step\": 30, \"services\": []}",
      "snap.json: end: expected a finite number" },
    { "zero step",
      "{\"schema\": \"verdict.snapshot/1\", \"source\": \"t\", \"end\": 1, "
      "\"range\": 60, \"step\": 0, \"services\": []}",
      "snap.json: step: must be greater than 0" },
    { "services not an array",
      "{\"schema\": \"verdict.snapshot/1\", \"source\": \"t\", \"end\": 1, "
      "\"range\": 60, \"step\": 30, \"services\": {}}",
      "snap.json: services: expected an array" },
    { "service name missing", HEAD "{\"signals\": {}}]}",
      "snap.json: services[0].name: missing" },
    { "service name empty", HEAD SVC("", "") "]}",
      "snap.json: services[0].name: must not be empty" },
    { "service error a number", HEAD "{\"name\": \"a\", \"detected_language\": null, "
      "\"error\": 3, \"signals\": {}}]}",
      "snap.json: services[0].error: expected a string or null" },
    { "duplicate service names",
      HEAD SVC("a", "") ", " SVC("b", "") ", " SVC("a", "") "]}",
      "snap.json: services[2].name: duplicate service name 'a' (first at services[0])" },
    { "unknown signal", HEAD SVC("a", "\"cpu\": " SIG) "]}",
      "snap.json: services[0].signals: unknown signal 'cpu'" },
    { "unknown service key", HEAD "{\"name\": \"a\", \"nam\": 1, \"signals\": {}}]}",
      "snap.json: services[0]: unknown key 'nam'" },
    { "signal with nothing", HEAD SVC("a", "\"cpu_cores\": {\"error\": null}") "]}",
      "snap.json: services[0].signals.cpu_cores: expected stats and chart, an error or a warning" },
    { "count negative", HEAD SVC("a", "\"cpu_cores\": {\"stats\": {\"count\": -1}}") "]}",
      "snap.json: services[0].signals.cpu_cores.stats.count: "
      "expected a non-negative integer" },
    { "count fractional", HEAD SVC("b", "\"memory_bytes\": {\"stats\": "
      "{\"count\": 1.5, \"gaps\": 0}}") "]}",
      "snap.json: services[0].signals.memory_bytes.stats.count: "
      "expected a non-negative integer" },
    { "count beyond 2^53", HEAD SVC("b", "\"memory_bytes\": {\"stats\": "
      "{\"count\": 1e20, \"gaps\": 0}}") "]}",
      "snap.json: services[0].signals.memory_bytes.stats.count: "
      "expected a non-negative integer" },
    { "stat a string", HEAD SVC("a", "\"p50_latency_seconds\": {\"stats\": "
      "{\"count\": 1, \"gaps\": 0, \"first_t\": \"x\"}}") "]}",
      "snap.json: services[0].signals.p50_latency_seconds.stats.first_t: "
      "expected a number or null" },
    { "stat missing", HEAD SVC("a", "\"p50_latency_seconds\": {\"stats\": "
      "{\"count\": 1, \"gaps\": 0}}") "]}",
      "snap.json: services[0].signals.p50_latency_seconds.stats.first_t: missing" },
    { "chart array of strings", HEAD SVC("a", "\"cpu_cores\": {\"stats\": " STATS
      ", \"chart\": {\"t0\": 0, \"dt\": 1, \"min\": [\"1\"], \"max\": [1], \"mean\": [1]}}")
      "]}",
      "snap.json: services[0].signals.cpu_cores.chart.min: expected an array of numbers" },
    { "chart array a number", HEAD SVC("a", "\"cpu_cores\": {\"stats\": " STATS
      ", \"chart\": {\"t0\": 0, \"dt\": 1, \"min\": [1], \"max\": 1, \"mean\": [1]}}") "]}",
      "snap.json: services[0].signals.cpu_cores.chart.max: expected an array of numbers" },
    { "chart arrays of different lengths", HEAD SVC("a", "\"cpu_cores\": {\"stats\": " STATS
      ", \"chart\": {\"t0\": 0, \"dt\": 1, \"min\": [1, 2], \"max\": [1], "
      "\"mean\": [1, null, 3]}}") "]}",
      "snap.json: services[0].signals.cpu_cores.chart: "
      "min, max and mean have different lengths (2, 1, 3)" },
    { "chart dt zero", HEAD SVC("a", "\"cpu_cores\": {\"stats\": " STATS
      ", \"chart\": {\"t0\": 0, \"dt\": 0, \"min\": [1], \"max\": [1], \"mean\": [1]}}") "]}",
      "snap.json: services[0].signals.cpu_cores.chart: "
      "t0 and dt must be numbers, dt greater than 0" },
    { "chart without stats", HEAD SVC("a", "\"cpu_cores\": {\"chart\": " CHART "}") "]}",
      "snap.json: services[0].signals.cpu_cores.stats: expected an object" },
    { "exceedance too short", HEAD SVC("a", "\"p99_latency_seconds\": {\"stats\": " STATS
      ", \"exceedance\": [1, 2], \"chart\": " CHART "}") "]}",
      "snap.json: services[0].signals.p99_latency_seconds.exceedance: "
      "2 values, expected 114" },
    { "exceedance not an array", HEAD SVC("a", "\"p99_latency_seconds\": {\"stats\": " STATS
      ", \"exceedance\": 1, \"chart\": " CHART "}") "]}",
      "snap.json: services[0].signals.p99_latency_seconds.exceedance: "
      "expected an array of numbers" },
};

/* A snapshot written before the exceedance table (the p99 signal with
 * stats and a chart only) still loads, the table NULL: the analysis then
 * reads the chart, and says the figure is coarse (test_app_report.c). */
static void test_old_snapshot_without_exceedance(void **state)
{
    static const char text[] = HEAD SVC("a", "\"p99_latency_seconds\": " SIG) "]}";
    struct measurements m;
    char err[ERRLEN];

    (void)state;
    if (snapshot_load_buffer("old.json", text, strlen(text), &m, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    assert_int_equal(m.n_services, 1);
    assert_true(m.services[0].signals[SIGNAL_P99_LATENCY].present);
    assert_null(m.services[0].signals[SIGNAL_P99_LATENCY].exceedance);
    assert_int_equal(m.services[0].signals[SIGNAL_P99_LATENCY].chart.n, 2);
    measurements_done(&m);
}

/* An exceedance table that falls somewhere is no percentile table. */
static void test_exceedance_must_rise(void **state)
{
    char json[4096], arr[2048];
    struct measurements m;
    char err[ERRLEN];
    size_t k, o = 0;

    (void)state;
    for (k = 0; k < STATS_EXCEEDANCE_LEVELS; k++)
        o += (size_t)snprintf(arr + o, sizeof(arr) - o, "%s%d", k ? ", " : "",
                              k == 50 ? 0 : (int)k);
    snprintf(json, sizeof(json), HEAD SVC("a", "\"p99_latency_seconds\": {\"stats\": " STATS
             ", \"exceedance\": [%s], \"chart\": " CHART "}") "]}", arr);
    assert_int_equal(snapshot_load_buffer("snap.json", json, strlen(json), &m, err,
                                          sizeof(err)), -1);
    assert_string_equal(err, "snap.json: services[0].signals.p99_latency_seconds.exceedance: "
                        "element 50: expected a finite number, not below the one before");
}

static void test_bad_inputs(void **state)
{
    struct measurements m;
    char err[ERRLEN];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        int rc = snapshot_load_buffer("snap.json", c->json, strlen(c->json), &m, err,
                                      sizeof(err));

        if (rc != -1)
            fail_msg("%s: loaded", c->what);
        if (strcmp(err, c->message) != 0)
            fail_msg("%s:\n  got  %s\n  want %s", c->what, err, c->message);
        assert_null(m.services);
        assert_null(m.source);
        assert_int_equal(m.n_services, 0);
    }
}

/* More than CHART_MAX_BUCKETS buckets; built at run time. */
static void test_too_many_buckets(void **state)
{
    static const char head[] = HEAD "{\"name\": \"a\", \"signals\": {\"cpu_cores\": "
                               "{\"stats\": " STATS ", \"chart\": "
                               "{\"t0\": 0, \"dt\": 1, \"min\": [";
    struct measurements m;
    char err[ERRLEN], *json, *p;
    size_t i, n = CHART_MAX_BUCKETS + 1;

    (void)state;
    json = malloc(sizeof(head) + 2 * n + 64);
    assert_non_null(json);
    p = json + sprintf(json, "%s", head);
    for (i = 0; i < n; i++)
        p += sprintf(p, i ? ",0" : "0");
    sprintf(p, "], \"max\": [], \"mean\": []}}}}]}");
    assert_int_equal(
        snapshot_load_buffer("snap.json", json, strlen(json), &m, err, sizeof(err)), -1);
    assert_string_equal(err, "snap.json: services[0].signals.cpu_cores.chart.min: "
                             "1025 buckets, more than 1024");
    free(json);
}

/* A buffer that is not NUL-terminated is read only up to len. */
/* ------------------------------------------------------ charts read later */

/* Every chart of a and b the same, bit for bit (NaN gaps included). */
static void assert_same_charts(const struct measurements *a, const struct measurements *b)
{
    size_t i;
    int sg;

    assert_int_equal(a->n_services, b->n_services);
    for (i = 0; i < a->n_services; i++) {
        assert_string_equal(a->services[i].name, b->services[i].name);
        for (sg = 0; sg < SIGNAL_COUNT; sg++) {
            const struct signal_data *x = &a->services[i].signals[sg];
            const struct signal_data *y = &b->services[i].signals[sg];

            assert_int_equal(x->present, y->present);
            assert_memory_equal(&x->stats, &y->stats, sizeof(x->stats));
            assert_int_equal(x->chart.n, y->chart.n);
            assert_memory_equal(&x->chart.t0_s, &y->chart.t0_s, sizeof(double));
            assert_memory_equal(&x->chart.dt_s, &y->chart.dt_s, sizeof(double));
            if (x->chart.n == 0)
                continue;
            assert_memory_equal(x->chart.min, y->chart.min, x->chart.n * sizeof(double));
            assert_memory_equal(x->chart.max, y->chart.max, x->chart.n * sizeof(double));
            assert_memory_equal(x->chart.mean, y->chart.mean, x->chart.n * sizeof(double));
        }
    }
}

/* The demo snapshot read with its charts later: the statistics at once,
 * every chart empty; then, a few at a time, the same charts as the
 * eager loader's. */
static void test_charts_later(void **state)
{
    struct measurements now, later;
    struct snapshot_charts *c = NULL;
    char err[ERRLEN];
    size_t i, left, calls = 0;
    int rc, sg;

    (void)state;
    assert_int_equal(snapshot_load_file(DEMO_SNAPSHOT, &now, err, sizeof(err)), 0);
    assert_int_equal(snapshot_load_file_later(DEMO_SNAPSHOT, &later, &c, err, sizeof(err)), 0);
    assert_non_null(c);
    assert_int_equal(later.n_services, now.n_services);
    left = snapshot_charts_left(c);
    /* one chart per signal with data: 12 services, 5 signals, a few without */
    for (i = 0, rc = 0; i < now.n_services; i++)
        for (sg = 0; sg < SIGNAL_COUNT; sg++) {
            rc += now.services[i].signals[sg].present;
            assert_memory_equal(&now.services[i].signals[sg].stats,
                                &later.services[i].signals[sg].stats,
                                sizeof(now.services[i].signals[sg].stats));
            assert_int_equal(later.services[i].signals[sg].chart.n, 0);
        }
    assert_int_equal(left, (size_t)rc);
    while ((rc = snapshot_charts_read(c, &later, 7, err, sizeof(err))) == 1) {
        assert_int_equal(snapshot_charts_left(c), left - 7 * ++calls);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(snapshot_charts_left(c), 0);
    assert_same_charts(&now, &later);
    snapshot_charts_free(c);
    measurements_done(&now);
    measurements_done(&later);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* A chart refused only when it is read: the eager loader's message, and
 * the charts after it stay empty. */
static void test_charts_later_refused(void **state)
{
    static const char text[] = HEAD
        SVC("a", "\"cpu_cores\": " SIG) ", "
        SVC("b", "\"cpu_cores\": {\"error\": null, \"stats\": " STATS ", \"chart\": "
            "{\"t0\": 40, \"dt\": 30, \"min\": [1, 2], \"max\": [1, 1e999], "
            "\"mean\": [1, 2]}}") ", "
        SVC("c", "\"cpu_cores\": " SIG) "]}";
    char path[] = "/tmp/verdict-test-later-XXXXXX", err[ERRLEN], eager[ERRLEN];
    struct measurements m;
    struct snapshot_charts *c = NULL;
    int fd;

    (void)state;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, text);
    assert_int_equal(snapshot_load_file(path, &m, eager, sizeof(eager)), -1);
    assert_int_equal(snapshot_load_file_later(path, &m, &c, err, sizeof(err)), 0);
    assert_int_equal(m.n_services, 3);
    assert_int_equal(snapshot_charts_left(c), 3);
    assert_int_equal(snapshot_charts_read(c, &m, 1, err, sizeof(err)), 1);
    assert_int_equal(m.services[0].signals[SIGNAL_CPU].chart.n, 2);
    assert_int_equal(snapshot_charts_read(c, &m, 10, err, sizeof(err)), -1);
    assert_string_equal(err, eager);
    assert_non_null(strstr(err, "services[1].signals.cpu_cores.chart.max: element 1: expected "
                                "a finite number"));
    assert_int_equal(m.services[1].signals[SIGNAL_CPU].chart.n, 0);
    assert_int_equal(m.services[2].signals[SIGNAL_CPU].chart.n, 0);
    assert_int_equal(snapshot_charts_left(c), 0);
    assert_int_equal(snapshot_charts_read(c, &m, 10, err, sizeof(err)), 0);
    snapshot_charts_free(c);
    measurements_done(&m);
    /* a syntax error outside the charts is found at once */
    write_file(path, HEAD SVC("a", "\"cpu_cores\": " SIG) ",]}");
    assert_int_equal(snapshot_load_file(path, &m, eager, sizeof(eager)), -1);
    assert_int_equal(snapshot_load_file_later(path, &m, &c, err, sizeof(err)), -1);
    assert_string_equal(err, eager);
    assert_null(c);
    unlink(path);
}

static void test_length_respected(void **state)
{
    static const char text[] = HEAD "]}GARBAGE";
    struct measurements m;
    char err[ERRLEN];

    (void)state;
    assert_int_equal(snapshot_load_buffer("snap.json", text, sizeof(text) - 1 - 7, &m, err,
                                          sizeof(err)), 0);
    assert_int_equal(m.n_services, 0);
    assert_string_equal(m.source, "t");
    measurements_done(&m);
    /* a tiny error buffer is still terminated */
    assert_int_equal(snapshot_load_buffer("snap.json", "[", 1, &m, err, 5), -1);
    assert_string_equal(err, "snap");
}

/*
 * 10,000 services stay under the cap with the exceedance table: one
 * service at its worst (every signal present, charts at the buckets fetch
 * draws for 10,000 x SIGNAL_COUNT series, each chart number 6 digits at
 * its longest as fetch rounds them, every statistic and table entry 17
 * digits at its longest), written, times 10,000.
 */
static void test_ten_thousand_fit(void **state)
{
    struct measurements m;
    struct service_data *s;
    size_t buckets = snapshot_chart_buckets((size_t)10000 * SIGNAL_COUNT, 512), len, i;
    char *text;
    int sg;

    (void)state;
    memset(&m, 0, sizeof(m));
    m.source = dup_string("http://prometheus.example.internal:9090");
    m.end_s = 1793491200;
    m.range_s = 2592000;
    m.step_s = 300;
    m.n_services = 1;
    m.services = calloc(1, sizeof(*m.services));
    assert_non_null(m.services);
    s = &m.services[0];
    s->name = dup_string("a-service-name-of-forty-characters-xxxxx");
    s->detected_language = dup_string("python");
    for (sg = 0; sg < SIGNAL_COUNT; sg++) {
        struct signal_data *sig = &s->signals[sg];

        sig->present = 1;
        sig->stats.count = 8640;
        sig->stats.first_t = sig->stats.last_t = -1.2345678901234567e-300;
        sig->stats.min = sig->stats.max = sig->stats.mean = -1.2345678901234567e-300;
        sig->stats.p50 = sig->stats.p95 = sig->stats.p99 = -1.2345678901234567e-300;
        sig->stats.last = sig->stats.trend_per_day = -1.2345678901234567e-300;
        sig->chart.n = buckets;
        sig->chart.t0_s = sig->chart.dt_s = 1.2345678901234567e300;
        sig->chart.min = malloc(buckets * sizeof(double));
        sig->chart.max = malloc(buckets * sizeof(double));
        sig->chart.mean = malloc(buckets * sizeof(double));
        assert_non_null(sig->chart.mean);
        for (i = 0; i < buckets; i++)
            sig->chart.min[i] = sig->chart.max[i] = sig->chart.mean[i] = -1.23457e-300;
        if (sg == SIGNAL_P99_LATENCY) {
            sig->exceedance = malloc(STATS_EXCEEDANCE_LEVELS * sizeof(double));
            assert_non_null(sig->exceedance);
            for (i = 0; i < STATS_EXCEEDANCE_LEVELS; i++)
                sig->exceedance[i] = -1.2345678901234567e-300;
        }
    }
    text = write_to_memory(&m, &len);
    print_message("worst case: %zu bytes a service at %zu buckets, %zu MiB for 10,000\n",
                  len, buckets, len * 10000 >> 20);
    if (!(len * 10000 < SNAPSHOT_MAX_BYTES))
        fail_msg("%zu bytes a service: %zu MB for 10,000", len, len * 10000 >> 20);
    free(text);
    measurements_done(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_issue15_keys),
        cmocka_unit_test(test_all_gaps),
        cmocka_unit_test(test_without_mean_latency),
        cmocka_unit_test(test_chart_buckets),
        cmocka_unit_test(test_too_large_refused),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_invalid_utf8_refused),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_demo_snapshot),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_old_snapshot_without_exceedance),
        cmocka_unit_test(test_exceedance_must_rise),
        cmocka_unit_test(test_ten_thousand_fit),
        cmocka_unit_test(test_too_many_buckets),
        cmocka_unit_test(test_length_respected),
        cmocka_unit_test(test_charts_later),
        cmocka_unit_test(test_charts_later_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
