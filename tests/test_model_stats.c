/* test_model_stats.c: unit tests for models/stats.c (series statistics and chart buckets). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/stats.h"

#define TOL 1e-9
#define MAXPTS 16

/* Compare a double with an expectation where NaN means "must be NaN". */
static void check_num(double got, double want, const char *what, const char *name)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s: %s = %g, want NaN", name, what, got);
        return;
    }
    if (!(fabs(got - want) <= TOL * (1 + fabs(want))))
        fail_msg("%s: %s = %.12g, want %.12g", name, what, got, want);
}

struct stats_case {
    const char *name;
    size_t n;
    double t[MAXPTS];
    double v[MAXPTS];
    double step_s;
    size_t count;
    size_t gaps;
    double first_t, last_t, min, max, mean, p50, p95, p99, last, trend_per_day;
};

static const struct stats_case stats_cases[] = {
    /* No points at all: count 0, no gaps, every double NaN (header). */
    { "empty", 0, { 0 }, { 0 }, 60, 0, 0,
      NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN },
    /* Three points, all NaN: nothing usable, each NaN is one gap. */
    { "all_nan", 3, { 0, 60, 120 }, { NAN, NAN, NAN }, 60, 0, 3,
      NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN },
    /* One point: it is min, max, mean, every percentile and last; a slope
     * needs two points, so the trend is NaN. */
    { "single", 1, { 1000 }, { 7.5 }, 60, 1, 0,
      1000, 1000, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, NAN },
    /* {1, NaN, 3, 2} evenly spaced: NaN skipped (1 gap), finite {1, 3, 2}:
     * sorted {1, 2, 3}; mean 2; p50: h = 2*0.5 = 1 -> 2; p95: h = 1.9 ->
     * 2 + 0.9*1 = 2.9; p99: h = 1.98 -> 2.98; last = 2 (at t 180).
     * Slope over (0,1), (120,3), (180,2): tm = 100, vm = 2,
     * sxy = (-100)(-1) + 20*1 + 80*0 = 120, sxx = 10000 + 400 + 6400 = 16800,
     * b = 120/16800 per s = 86400*120/16800 = 617.142857... per day. */
    { "nan_middle", 4, { 0, 60, 120, 180 }, { 1, NAN, 3, 2 }, 60, 3, 1,
      0, 180, 1, 3, 2, 2, 2.9, 2.98, 2, 86400.0 * 120.0 / 16800.0 },
    /* Timestamps 0, 60, 240, 300 with step 60: the jump 60 -> 240 is 3
     * steps, so 120 and 180 are missing: 2 gaps.  Values 4,4,4,4: flat,
     * slope 0. */
    { "time_gap", 4, { 0, 60, 240, 300 }, { 4, 4, 4, 4 }, 60, 4, 2,
      0, 300, 4, 4, 4, 4, 4, 4, 4, 0 },
    /* A jump of exactly 1.5 steps (0 -> 90 at step 60) is jitter, not a
     * gap; 90 -> 200 is 110 s = 1.83 steps, rounds to 2: one missing.
     * Values 1, 2, 3: p95 h = 1.9 -> 2.9, p99 -> 2.98. */
    { "jitter_vs_gap", 3, { 0, 90, 200 }, { 1, 2, 3 }, 60, 3, 1,
      0, 200, 1, 3, 2, 2, 2.9, 2.98, 3,
      /* tm = 290/3, vm = 2; sxy = (-290/3)(-1) + (-20/3)(0) + (310/3)(1)
       * = 200; sxx = (290^2 + 20^2 + 310^2)/9 = 180600/9;
       * per day = 86400 * 200 * 9 / 180600 */
      86400.0 * 200.0 * 9.0 / 180600.0 },
    /* step_s <= 0: only non-finite values count (one +Inf here), the big
     * time jump is not a gap.  Finite values {5, 1}: sorted {1, 5}, p50 =
     * 3, p95 = 1 + 0.95*4 = 4.8, p99 = 4.96; last = 1 at t 1000. */
    { "no_step", 3, { 0, 10, 1000 }, { 5, INFINITY, 1 }, 0, 2, 1,
      0, 1000, 1, 5, 3, 3, 4.8, 4.96, 1, 86400.0 * -4.0 / 1000.0 },
    /* Known line v = 10 + 2 per day, sampled daily at unix-like times
     * (1.7e9 + k*86400): the slope must come out as exactly 2 per day
     * despite the large timestamps.  Values 10, 12, 14, 16, 18: mean 14,
     * p50 14, p95 h = 3.8 -> 16 + 0.8*2 = 17.6, p99 h = 3.96 -> 17.92. */
    { "line_per_day", 5,
      { 1.7e9, 1.7e9 + 86400, 1.7e9 + 2 * 86400, 1.7e9 + 3 * 86400,
        1.7e9 + 4 * 86400 },
      { 10, 12, 14, 16, 18 }, 86400, 5, 0,
      1.7e9, 1.7e9 + 4 * 86400, 10, 18, 14, 14, 17.6, 17.92, 18, 2 },
    /* Unsorted values 40, 10, 30, 20 (type 7 over the sorted {10..40}):
     * p50 h = 1.5 -> 25; p95 h = 2.85 -> 38.5; p99 h = 2.97 -> 39.7;
     * last is the last in time (20), not the largest. */
    { "percentiles", 4, { 0, 1, 2, 3 }, { 40, 10, 30, 20 }, 1, 4, 0,
      0, 3, 10, 40, 25, 25, 38.5, 39.7, 20,
      /* tm 1.5, vm 25: sxy = (-1.5)(15) + (-0.5)(-15) + 0.5*5 + 1.5*(-5)
       * = -20; sxx = 5; slope -4 per s = -345600 per day */
      -4.0 * 86400 },
};

static void test_stats_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(stats_cases) / sizeof(stats_cases[0]); i++) {
        const struct stats_case *c = &stats_cases[i];
        struct series_stats s;

        memset(&s, 0xab, sizeof(s));
        assert_int_equal(stats_compute(c->t, c->v, c->n, c->step_s, &s), 0);
        if (s.count != c->count)
            fail_msg("%s: count %zu, want %zu", c->name, s.count, c->count);
        if (s.gaps != c->gaps)
            fail_msg("%s: gaps %zu, want %zu", c->name, s.gaps, c->gaps);
        check_num(s.first_t, c->first_t, "first_t", c->name);
        check_num(s.last_t, c->last_t, "last_t", c->name);
        check_num(s.min, c->min, "min", c->name);
        check_num(s.max, c->max, "max", c->name);
        check_num(s.mean, c->mean, "mean", c->name);
        check_num(s.p50, c->p50, "p50", c->name);
        check_num(s.p95, c->p95, "p95", c->name);
        check_num(s.p99, c->p99, "p99", c->name);
        check_num(s.last, c->last, "last", c->name);
        check_num(s.trend_per_day, c->trend_per_day, "trend_per_day", c->name);
    }
}

struct pct_case {
    const char *name;
    size_t n;
    double x[MAXPTS];
    double p;
    double want;
};

static const struct pct_case pct_cases[] = {
    /* n == 0 is NaN by contract. */
    { "empty", 0, { 0 }, 50, NAN },
    /* p = 0 and p = 100 are the ends. */
    { "p0", 3, { 1, 2, 9 }, 0, 1 },
    { "p100", 3, { 1, 2, 9 }, 100, 9 },
    /* {1, 2, 9}, p 75: h = 2*0.75 = 1.5 -> 2 + 0.5*7 = 5.5. */
    { "p75", 3, { 1, 2, 9 }, 75, 5.5 },
    /* 1..10, p 90: h = 9*0.9 = 8.1 -> x[8] = 9, + 0.1*(10-9) = 9.1
     * (numpy.percentile(range(1, 11), 90) = 9.1). */
    { "p90_of_10", 10, { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 90, 9.1 },
    /* 1..10, p 99: h = 8.91 -> 9.91. */
    { "p99_of_10", 10, { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 99, 9.91 },
    /* Out of range p clamps: 150 -> max, -5 -> min. */
    { "p_above", 2, { 3, 4 }, 150, 4 },
    { "p_below", 2, { 3, 4 }, -5, 3 },
    /* NaN p gives NaN. */
    { "p_nan", 2, { 3, 4 }, NAN, NAN },
};

static void test_percentile_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(pct_cases) / sizeof(pct_cases[0]); i++) {
        const struct pct_case *c = &pct_cases[i];

        check_num(stats_percentile_sorted(c->x, c->n, c->p), c->want, "percentile", c->name);
    }
}

struct slope_case {
    const char *name;
    size_t n;
    double t[MAXPTS];
    double v[MAXPTS];
    double want;    /* units per second */
};

static const struct slope_case slope_cases[] = {
    /* v = 3 + 0.5 t exactly: slope 0.5 per second. */
    { "exact_line", 4, { 0, 2, 4, 6 }, { 3, 4, 5, 6 }, 0.5 },
    /* NaN value and Inf time are skipped: remaining (0,0), (10,5) -> 0.5. */
    { "skips_nonfinite", 4, { 0, 5, INFINITY, 10 }, { 0, NAN, 99, 5 }, 0.5 },
    /* Fewer than two finite points: NaN. */
    { "one_point", 2, { 0, 1 }, { 1, NAN }, NAN },
    /* Every t equal: vertical, NaN. */
    { "same_t", 3, { 5, 5, 5 }, { 1, 2, 3 }, NAN },
    /* Noisy points (0,0), (1,2), (2,1): tm 1, vm 1,
     * sxy = (-1)(-1) + 0*1 + 1*0 = 1, sxx = 1 + 0 + 1 = 2 -> 0.5. */
    { "noisy", 3, { 0, 1, 2 }, { 0, 2, 1 }, 0.5 },
};

static void test_slope_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(slope_cases) / sizeof(slope_cases[0]); i++) {
        const struct slope_case *c = &slope_cases[i];

        check_num(stats_slope(c->t, c->v, c->n), c->want, "slope", c->name);
    }
}

#define MAXB 8

struct chart_case {
    const char *name;
    size_t n;
    double t[MAXPTS];
    double v[MAXPTS];
    double start_s, end_s;
    size_t max_buckets;
    size_t want_n;
    double want_dt;
    double min[MAXB], max[MAXB], mean[MAXB];   /* NaN: empty bucket */
};

static const struct chart_case chart_cases[] = {
    /* Span [0, 60), 3 buckets of 20 s: {0:1, 10:3} | {} | {50:5, 55:7}.
     * Bucket 1 is empty, so NaN in all three arrays. */
    { "empty_bucket", 4, { 0, 10, 50, 55 }, { 1, 3, 5, 7 }, 0, 60, 3, 3, 20,
      { 1, NAN, 5 }, { 3, NAN, 7 }, { 2, NAN, 6 } },
    /* Points before start (-10), at end (60: the span is half-open) and
     * after it (70) are ignored; in-span points 0, 20, 40, 59 with values
     * 2, 4, 6, 8 in 2 buckets of 30 s: {2, 4} | {6, 8}. */
    { "outside_span", 7, { -10, 0, 20, 40, 59, 60, 70 }, { 100, 2, 4, 6, 8, 100, 100 },
      0, 60, 2, 2, 30, { 2, 6 }, { 4, 8 }, { 3, 7 } },
    /* 4 points, 100 buckets requested: clamped to the 4 points in span, so
     * each 25 s bucket holds exactly one point. */
    { "clamp_to_points", 4, { 0, 25, 50, 75 }, { 1, 2, 3, 4 }, 0, 100, 100, 4, 25,
      { 1, 2, 3, 4 }, { 1, 2, 3, 4 }, { 1, 2, 3, 4 } },
    /* max_buckets 0 is clamped up to 1: one bucket over [0, 10) with the
     * points 1, 5, 9 (values -1, 4, 0): min -1, max 4, mean 1. */
    { "zero_buckets", 3, { 1, 5, 9 }, { -1, 4, 0 }, 0, 10, 0, 1, 10,
      { -1 }, { 4 }, { 1 } },
    /* A NaN value is ignored, leaving its bucket empty: [0, 20), 2 buckets,
     * points 0 (NaN) and 10 (value 5). */
    { "nan_value", 2, { 0, 10 }, { NAN, 5 }, 0, 20, 2, 2, 10,
      { NAN, 5 }, { NAN, 5 }, { NAN, 5 } },
    /* No points at all: one NaN bucket spanning the whole range. */
    { "no_points", 0, { 0 }, { 0 }, 0, 30, 10, 1, 30, { NAN }, { NAN }, { NAN } },
};

static void test_chart_table(void **state)
{
    size_t i, b;

    (void)state;
    for (i = 0; i < sizeof(chart_cases) / sizeof(chart_cases[0]); i++) {
        const struct chart_case *c = &chart_cases[i];
        struct chart ch;

        assert_int_equal(chart_reduce(c->t, c->v, c->n, c->start_s, c->end_s,
                                      c->max_buckets, &ch), 0);
        if (ch.n != c->want_n)
            fail_msg("%s: n = %zu, want %zu", c->name, ch.n, c->want_n);
        check_num(ch.t0_s, c->start_s, "t0_s", c->name);
        check_num(ch.dt_s, c->want_dt, "dt_s", c->name);
        for (b = 0; b < ch.n; b++) {
            check_num(ch.min[b], c->min[b], "min", c->name);
            check_num(ch.max[b], c->max[b], "max", c->name);
            check_num(ch.mean[b], c->mean[b], "mean", c->name);
        }
        chart_done(&ch);
        assert_null(ch.min);
        assert_int_equal(ch.n, 0);
    }
}

/* Many points, more than CHART_MAX_BUCKETS requested: the count is capped
 * at CHART_MAX_BUCKETS; 2048 points one second apart over [0, 2048) give
 * 1024 buckets of 2 s, bucket k holding values 2k and 2k+1 (mean 2k+0.5). */
static void test_chart_max_cap(void **state)
{
    static double t[2048], v[2048];
    struct chart ch;
    size_t i;

    (void)state;
    for (i = 0; i < 2048; i++) {
        t[i] = (double)i;
        v[i] = (double)i;
    }
    assert_int_equal(chart_reduce(t, v, 2048, 0, 2048, 5000, &ch), 0);
    assert_int_equal(ch.n, CHART_MAX_BUCKETS);
    check_num(ch.dt_s, 2, "dt_s", "max_cap");
    for (i = 0; i < ch.n; i++) {
        check_num(ch.min[i], 2.0 * (double)i, "min", "max_cap");
        check_num(ch.max[i], 2.0 * (double)i + 1, "max", "max_cap");
        check_num(ch.mean[i], 2.0 * (double)i + 0.5, "mean", "max_cap");
    }
    chart_done(&ch);
}

/* An empty, reversed or non-finite span is an error and leaves *out zeroed;
 * chart_done on a zeroed chart and on NULL is harmless. */
static void test_chart_bad_span(void **state)
{
    double t[1] = { 0 }, v[1] = { 1 };
    struct chart ch;

    (void)state;
    memset(&ch, 0x5a, sizeof(ch));
    assert_int_equal(chart_reduce(t, v, 1, 10, 10, 4, &ch), -1);
    assert_null(ch.min);
    assert_int_equal(ch.n, 0);
    assert_int_equal(chart_reduce(t, v, 1, 10, 0, 4, &ch), -1);
    assert_int_equal(chart_reduce(t, v, 1, 0, INFINITY, 4, &ch), -1);
    assert_int_equal(chart_reduce(t, v, 1, NAN, 10, 4, &ch), -1);
    chart_done(&ch);
    chart_done(NULL);
}

static int cmp_ref(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The same bits, or fail (== would take -0 for +0). */
static void check_bits(double got, double want, const char *what, size_t n, unsigned seed)
{
    if (memcmp(&got, &want, sizeof(got)) != 0)
        fail_msg("%s: n %zu, seed %u: %.17g, sorted copy %.17g", what, n, seed, got, want);
}

/* stats_compute selects its percentiles instead of sorting: check them
 * against a second method, a qsort'ed copy read by
 * stats_percentile_sorted, bit for bit, on series that stress a
 * selection: 1 to 3 points, all equal, few distinct values, ascending,
 * descending, organ pipe, random, and sizes around 1,440 (a day at 1m). */
static void test_percentiles_by_selection(void **state)
{
    static double t[3000], v[3000], sorted[3000];
    static const size_t sizes[] = { 1, 2, 3, 4, 5, 7, 10, 20, 21, 99, 100, 101, 1439, 1440,
                                    1441, 2999 };
    unsigned seed = 1;
    size_t si, i;
    int shape;

    (void)state;
    for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        size_t n = sizes[si];

        for (shape = 0; shape < 7; shape++, seed++) {
            struct series_stats st;

            srand(seed);
            for (i = 0; i < n; i++) {
                t[i] = 1.7e9 + 60.0 * (double)i;
                switch (shape) {
                case 0: v[i] = 42.5; break;
                case 1: v[i] = (double)(rand() % 3) - 1.0; break;   /* -1, 0, 1 */
                case 2: v[i] = (double)i; break;
                case 3: v[i] = (double)(n - i); break;
                case 4: v[i] = (double)(i < n / 2 ? i : n - i); break;
                case 5: v[i] = (double)rand() / RAND_MAX * 1e3 - 500; break;
                default: v[i] = i % 2 ? -0.0 : 0.0; break;
                }
            }
            assert_int_equal(stats_compute(t, v, n, 60, &st), 0);
            for (i = 0; i < n; i++)
                sorted[i] = v[i] + 0.0;
            qsort(sorted, n, sizeof(*sorted), cmp_ref);
            check_bits(st.min, sorted[0], "min", n, seed);
            check_bits(st.max, sorted[n - 1], "max", n, seed);
            check_bits(st.p50, stats_percentile_sorted(sorted, n, 50), "p50", n, seed);
            check_bits(st.p95, stats_percentile_sorted(sorted, n, 95), "p95", n, seed);
            check_bits(st.p99, stats_percentile_sorted(sorted, n, 99), "p99", n, seed);
        }
    }
}

/* ---- the exceedance table (hours above a threshold) ----------------- */

/*
 * By hand: a sawtooth of 8,640 points (30 days at 5 minutes) climbing
 * evenly from 0.1 s to 0.5 s every 288 points (a day),
 *     v_i = 0.1 + 0.4 j / 287,  j = i mod 288.
 * Each of the 288 values is there 30 times.  Above 0.3 s: v > 0.3 when
 * j > 143.5, j = 144..287, 144 of 288 values: 1/2 of the time, 365 hours
 * of a 730-hour month.  Above 0.45 s: j > 251.125, 36 of 288: 1/8, 91.25
 * hours.  Above 0.05 s: all of the time; at or above the maximum (0.5 s),
 * and above 0.6 s: none.  The table's linear reading is exact for points
 * spread evenly, up to the staircase of repeated values (1/288).
 */
static void test_exceedance_by_hand(void **state)
{
    static const struct { double x, want; } cases[] = {
        { 0.05, 1.0 }, { 0.1 - 1e-12, 1.0 }, { 0.3, 0.5 }, { 0.45, 0.125 },
        { 0.5, 0.0 }, { 0.6, 0.0 },
    };
    double *v = malloc(8640 * sizeof(double)), table[STATS_EXCEEDANCE_LEVELS];
    size_t i;

    (void)state;
    assert_non_null(v);
    for (i = 0; i < 8640; i++)
        v[i] = 0.1 + 0.4 * (double)(i % 288) / 287.0;
    assert_int_equal(stats_exceedance(v, 8640, table), 0);
    assert_true(table[0] == 0.1);
    assert_true(table[STATS_EXCEEDANCE_LEVELS - 1] == 0.5);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double got = stats_fraction_above(table, cases[i].x);

        if (!(fabs(got - cases[i].want) <= 1.0 / 288))
            fail_msg("above %.17g: got %.6f, want %.6f", cases[i].x, got, cases[i].want);
    }
    /* in hours of a 730-hour month, the figure the latency benefit reads */
    assert_true(fabs(730 * stats_fraction_above(table, 0.3) - 365) < 730.0 / 288);
    assert_true(fabs(730 * stats_fraction_above(table, 0.45) - 91.25) < 730.0 / 288);
    assert_true(isnan(stats_fraction_above(table, NAN)));
    assert_true(isnan(stats_fraction_above(NULL, 0.3)));
    free(v);
}

/* The file's worked example: 10, 20, ..., 100. */
static void test_exceedance_worked_example(void **state)
{
    double v[10], table[STATS_EXCEEDANCE_LEVELS];
    size_t i;

    (void)state;
    for (i = 0; i < 10; i++)
        v[i] = 10.0 * (double)(10 - i);     /* any order */
    assert_int_equal(stats_exceedance(v, 10, table), 0);
    check_num(table[0], 10, "entry 0", "10..100");
    check_num(table[8], 55, "entry 8", "10..100");
    check_num(table[STATS_EXCEEDANCE_LEVELS - 1], 100, "last", "10..100");
    check_num(stats_fraction_above(table, 55), 0.5, "above 55", "10..100");
    /* type-7 CDF: 1 - (4 + 0.7) / 9 */
    if (fabs(stats_fraction_above(table, 57) - (1 - 4.7 / 9)) > 1e-12)
        fail_msg("above 57: %.17g", stats_fraction_above(table, 57));
    check_num(stats_exceedance_level(0), 1, "e_0", "levels");
    check_num(stats_exceedance_level(8), 0.5, "e_8", "levels");
    check_num(stats_exceedance_level(112), ldexp(1, -14), "e_112", "levels");
    check_num(stats_exceedance_level(113), 0, "e_113", "levels");
    assert_true(isnan(stats_exceedance_level(114)));
    /* no finite point: every entry NaN, nothing to read */
    v[0] = NAN;
    assert_int_equal(stats_exceedance(v, 1, table), 0);
    assert_true(isnan(table[0]) && isnan(table[STATS_EXCEEDANCE_LEVELS - 1]));
    assert_true(isnan(stats_fraction_above(table, 1)));
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 11;
}

/*
 * A second method: brute force over the points.  A p99-like series with a
 * heavy tail (a base with noise, rare spikes of 3-10x, a few NaN gaps);
 * for thresholds across its whole range, the table's fraction against
 * the count of finite points above the threshold, which must agree within
 * the table's stated bound: the spacing e_k - e_{k+1} of the entries
 * around x, plus one point (1/(n - 1): the linear CDF against the count).
 * The table's entries themselves against stats_percentile_sorted of a
 * sorted copy.
 */
static void test_exceedance_brute_force(void **state)
{
    enum { N = 20000 };
    double *v = malloc(N * sizeof(double)), *sorted = malloc(N * sizeof(double));
    double table[STATS_EXCEEDANCE_LEVELS];
    uint64_t seed = 42;
    size_t i, k, m = 0, t;

    (void)state;
    assert_non_null(v);
    assert_non_null(sorted);
    for (i = 0; i < N; i++) {
        double u = (double)lcg(&seed) / 9007199254740992.0;
        double w = (double)lcg(&seed) / 9007199254740992.0;

        v[i] = 0.1 * (1 + 0.2 * (u - 0.5));
        if (w < 0.02)
            v[i] *= 3 + 7 * u;
        if (i % 997 == 0)
            v[i] = NAN;
        if (isfinite(v[i]))
            sorted[m++] = v[i];
    }
    qsort(sorted, m, sizeof(double), cmp_ref);
    assert_int_equal(stats_exceedance(v, N, table), 0);
    for (k = 0; k < STATS_EXCEEDANCE_LEVELS; k++) {
        double want = stats_percentile_sorted(sorted, m, 100 * (1 - stats_exceedance_level(k)));

        if (!(fabs(table[k] - want) <= 1e-12 * fabs(want)))
            fail_msg("entry %zu: %.17g, sorted copy %.17g", k, table[k], want);
    }
    for (t = 0; t <= 2000; t++) {
        double x = 0.08 + (1.0 - 0.08) * (double)t / 2000, got, count = 0, bound;
        size_t above = 0, lo = 0;

        for (i = 0; i < m; i++)
            above += sorted[i] > x;
        count = (double)above / (double)m;
        for (k = 0; k + 1 < STATS_EXCEEDANCE_LEVELS; k++)
            if (table[k] <= x)
                lo = k;
        bound = stats_exceedance_level(lo) - stats_exceedance_level(lo + 1) +
                1.0 / (double)(m - 1) + 1e-12;
        got = stats_fraction_above(table, x);
        if (!(fabs(got - count) <= bound))
            fail_msg("above %.6f: table %.6f, count %.6f, bound %.6f", x, got, count, bound);
    }
    free(v);
    free(sorted);
}

/* The coarse reading off a chart, the file's example and its edges. */
static void test_chart_fraction_above(void **state)
{
    double mn[3] = { 1, 2, NAN }, mx[3] = { 3, 2, NAN }, me[3] = { 2, 2, NAN };
    struct chart c = { 3, 0, 1, mn, mx, me };
    struct chart empty = { 0, 0, 1, mn, mx, me };
    /* one spike in an hour of 12 points: 11 at 1, one at 10, mean 1.75 */
    double smn[1] = { 1 }, smx[1] = { 10 }, sme[1] = { 1.75 };
    struct chart spike = { 1, 0, 1, smn, smx, sme };
    /* mostly high, one dip: 11 at 10, one at 1, mean 9.25 */
    double dme[1] = { 9.25 };
    struct chart dip = { 1, 0, 1, smn, smx, dme };

    (void)state;
    check_num(chart_fraction_above(&c, 2), 0.25, "x = 2", "chart");
    check_num(chart_fraction_above(&c, 0), 1, "x = 0", "chart");
    check_num(chart_fraction_above(&c, 3), 0, "x = 3", "chart");
    check_num(chart_fraction_above(&c, 1.5), (0.75 + 1) / 2, "x = 1.5", "chart");
    /* spread evenly 5/9; the mean allows under 0.75 / 4 */
    check_num(chart_fraction_above(&spike, 5), 0.1875, "spike, x = 5", "chart");
    /* spread evenly 5/9; the mean needs at least 4.25 / 5 */
    check_num(chart_fraction_above(&dip, 5), 0.85, "dip, x = 5", "chart");
    assert_true(isnan(chart_fraction_above(&empty, 2)));
    assert_true(isnan(chart_fraction_above(NULL, 2)));
}

/*
 * stats_slope_se by hand (models/stats.c's example): (0,0) (1,1) (2,0)
 * (3,1): b = 0.2, residuals -0.2 0.6 -0.6 0.2, s^2 = 0.8 / 2 = 0.4,
 * sum dt^2 = 5, SE0 = sqrt(0.08); lag-1 sum -0.6 < 0, so no widening.
 * A smooth series: 0 1 2 3 plus +0.1 -0.1 -0.1 +0.1 ... in pairs, whose
 * residuals follow each other (r1 > 0): widened by sqrt((1+r1)/(1-r1)),
 * checked against r1 computed here from the residuals a second way.
 */
static void test_slope_se(void **state)
{
    const double t[] = { 0, 1, 2, 3 }, v[] = { 0, 1, 0, 1 };
    const double line[] = { 0, 1, 2, 3 };
    double t8[8], v8[8], e[8], b, tm = 3.5, vm = 0, see = 0, lag = 0, sxx = 0, r1, want;
    struct series_stats st;
    size_t i;

    (void)state;
    assert_true(fabs(stats_slope_se(t, v, 4) - sqrt(0.08)) < 1e-12);
    assert_true(stats_slope_se(t, line, 4) == 0);
    assert_true(isnan(stats_slope_se(t, v, 2)));
    for (i = 0; i < 8; i++) {
        t8[i] = (double)i;
        v8[i] = (double)i + ((i / 2) % 2 == 0 ? 0.1 : -0.1);
        vm += v8[i] / 8;
    }
    b = stats_slope(t8, v8, 8);
    for (i = 0; i < 8; i++) {
        e[i] = v8[i] - vm - b * (t8[i] - tm);
        see += e[i] * e[i];
        sxx += (t8[i] - tm) * (t8[i] - tm);
        if (i > 0)
            lag += e[i] * e[i - 1];
    }
    r1 = lag / see;
    assert_true(r1 > 0);
    want = sqrt(see / 6 / sxx) * sqrt((1 + r1) / (1 - r1));
    assert_true(fabs(stats_slope_se(t8, v8, 8) - want) < 1e-12 * want);
    /* and stats_compute keeps it per day */
    assert_int_equal(stats_compute(t8, v8, 8, 1, &st), 0);
    assert_true(fabs(st.trend_se_per_day - want * 86400) < 1e-9 * want * 86400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slope_se),
        cmocka_unit_test(test_stats_table),
        cmocka_unit_test(test_percentile_table),
        cmocka_unit_test(test_percentiles_by_selection),
        cmocka_unit_test(test_slope_table),
        cmocka_unit_test(test_chart_table),
        cmocka_unit_test(test_chart_max_cap),
        cmocka_unit_test(test_chart_bad_span),
        cmocka_unit_test(test_exceedance_by_hand),
        cmocka_unit_test(test_exceedance_worked_example),
        cmocka_unit_test(test_exceedance_brute_force),
        cmocka_unit_test(test_chart_fraction_above),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
