/* test_model_fetchplan.c: unit tests for models/fetchplan.c (auto step, alignment, chunks). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/fetchplan.h"

#define DAY 86400.0
#define TOL 1e-9

struct step_case {
    const char *name;
    double range_s;
    double target;
    double want_s;
};

/* Grid points = floor(range / step) + 1 must be <= target; the smallest
 * round step that manages wins.  Worked out by hand for each row. */
static const struct step_case step_cases[] = {
    /* 3600 / 15 = 240 -> 241 points */
    { "1h", 3600, 10000, 15 },
    /* 86400 / 15 = 5760 -> 5761 */
    { "1d", DAY, 10000, 15 },
    /* 604800 / 60 = 10080 -> 10081 > 10000; / 120 = 5040 -> 120 */
    { "7d", 7 * DAY, 10000, 120 },
    /* 2592000 / 120 = 21600 too many; / 300 = 8640 -> 8641 */
    { "30d", 30 * DAY, 10000, 300 },
    /* 31536000 / 1800 = 17520 too many; / 3600 = 8760 -> 8761 */
    { "365d", 365 * DAY, 10000, 3600 },
    /* the server's own limit as the target: 30d / 240 would be 10800, but
     * 240 s is not a round step; 300 it is */
    { "30d_limit", 30 * DAY, FETCHPLAN_MAX_POINTS, 300 },
    /* 86400 / 600 = 144 -> 145 > 100; / 900 = 96 -> 97 */
    { "1d_target_100", DAY, 100, 900 },
    /* boundary: 150000 / 15 = 10000 -> 10001 points: fits 10001 exactly, */
    { "exact_fit", 150000, 10001, 15 },
    /* ... and not 10000 */
    { "one_over", 150000, 10000, 30 },
    /* 100 years: 36500 / 1d -> 36501 too many even at 1d; whole days:
     * 36500 / 4 = 9125 -> 9126 fits, 36500 / 3 -> 12167 does not */
    { "100y", 36500 * DAY, 10000, 4 * DAY },
    /* a range shorter than the smallest step */
    { "10s", 10, 10000, 15 },
};

static void test_auto_step(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(step_cases) / sizeof(step_cases[0]); i++) {
        const struct step_case *c = &step_cases[i];
        double got = fetchplan_auto_step(c->range_s, c->target);

        if (got != c->want_s)
            fail_msg("%s: step %g, want %g", c->name, got, c->want_s);
        if (floor(c->range_s / got) + 1 > c->target)
            fail_msg("%s: step %g breaks the target", c->name, got);
    }
}

struct align_case {
    const char *name;
    double end_s, range_s, step_s;
    size_t want_n;
    double want_start, want_end;
};

static const struct align_case align_cases[] = {
    /* end rounded down: 1790899321.5 / 60 = 29848322.025 -> 29848322 * 60
     * = 1790899320; 3600 / 60 = 60 steps: start 1790895720, 61 points */
    { "round_down", 1790899321.5, 3600, 60, 61, 1790895720, 1790899320 },
    /* already on the grid: unchanged */
    { "on_grid", 1790899200, 3600, 60, 61, 1790895600, 1790899200 },
    /* range not a multiple of the step: 3630 / 60 -> 60 whole steps */
    { "range_remainder", 1790899200, 3630, 60, 61, 1790895600, 1790899200 },
    /* 30 days at 5m: 8640 steps, 8641 points */
    { "30d_5m", 1790899200 + 299, 30 * DAY, 300, 8641, 1790899200 - 30 * DAY, 1790899200 },
    /* range shorter than a step: one point, start = end */
    { "short_range", 1000, 59, 60, 1, 960, 960 },
    { "zero_range", 1000, 0, 60, 1, 960, 960 },
    /* a decimal step: 100.05 / 0.1 = 1000.4999... -> 1000 -> end 100; 1 /
     * 0.1 = 9.999999999999998 counts as 10 steps -> start 99, 11 points */
    { "decimal_step", 100.05, 1, 0.1, 11, 99, 100 },
    /* 0.3 / 0.1 is 2.9999999999999996 in binary: still 3 steps, 4 points */
    { "decimal_quotient", 100, 0.3, 0.1, 4, 99.7, 100 },
    /* refused: zero and negative step, negative range, non-finite */
    { "step_zero", 1000, 60, 0, 0, NAN, NAN },
    { "step_negative", 1000, 60, -15, 0, NAN, NAN },
    { "range_negative", 1000, -60, 15, 0, NAN, NAN },
    { "end_nan", NAN, 60, 15, 0, NAN, NAN },
    { "range_inf", 1000, INFINITY, 15, 0, NAN, NAN },
};

static void check_num(double got, double want, const char *what, const char *name)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s: %s = %.17g, want NaN", name, what, got);
        return;
    }
    if (!(fabs(got - want) <= TOL * (1 + fabs(want))))
        fail_msg("%s: %s = %.17g, want %.17g", name, what, got, want);
}

static void test_align(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(align_cases) / sizeof(align_cases[0]); i++) {
        const struct align_case *c = &align_cases[i];
        double start = 12345, end = 12345;
        size_t n = fetchplan_align(c->end_s, c->range_s, c->step_s, &start, &end);

        if (n != c->want_n)
            fail_msg("%s: %zu points, want %zu", c->name, n, c->want_n);
        check_num(start, c->want_start, "start", c->name);
        check_num(end, c->want_end, "end", c->name);
        if (n > 0 && !(end <= c->end_s))
            fail_msg("%s: end moved forward", c->name);
    }
    /* NULL outputs are allowed */
    assert_int_equal(fetchplan_align(1790899200, 3600, 60, NULL, NULL), 61);
}

/*
 * Enumerate every grid index across the chunks: each of the n points is
 * in exactly one chunk (no duplicate, no gap at a seam), chunks are in
 * order and one step apart, each holds at most max_points points (so
 * (end - start) / step <= max_points - 1, what Prometheus accepts), and
 * every time is start + index * step computed from the integer index.
 */
static void check_chunks(double start, double step, size_t n, size_t max_points,
                         size_t want_chunks, const char *name)
{
    size_t eff = max_points ? max_points : FETCHPLAN_MAX_POINTS;
    size_t cap = want_chunks + 2, got, c, i;
    struct fetch_chunk *ch = calloc(cap, sizeof(*ch));
    unsigned char *seen = calloc(n, 1);
    double end = start + (double)(n - 1) * step;

    assert_non_null(ch);
    assert_non_null(seen);
    got = fetchplan_chunks(start, end, step, max_points, ch, cap);
    if (got != want_chunks)
        fail_msg("%s: %zu chunks, want %zu", name, got, want_chunks);
    for (c = 0; c < got; c++) {
        const struct fetch_chunk *k = &ch[c];

        if (k->points == 0 || k->points > eff)
            fail_msg("%s: chunk %zu has %zu points", name, c, k->points);
        if ((k->end_s - k->start_s) / step > (double)(eff - 1) + 1e-9)
            fail_msg("%s: chunk %zu spans too many steps", name, c);
        if (k->start_s != start + (double)k->first_index * step ||
            k->end_s != start + (double)(k->first_index + k->points - 1) * step)
            fail_msg("%s: chunk %zu times are not start + i * step", name, c);
        if (c > 0 && k->first_index != ch[c - 1].first_index + ch[c - 1].points)
            fail_msg("%s: chunk %zu does not start one step after chunk %zu", name, c, c - 1);
        for (i = k->first_index; i < k->first_index + k->points; i++) {
            if (i >= n)
                fail_msg("%s: chunk %zu runs past the grid (index %zu)", name, c, i);
            if (seen[i]++)
                fail_msg("%s: grid index %zu fetched twice", name, i);
        }
    }
    for (i = 0; i < n; i++)
        if (!seen[i])
            fail_msg("%s: grid index %zu never fetched", name, i);
    free(seen);
    free(ch);
}

static void test_chunks(void **state)
{
    (void)state;
    /* exact multiples: 22,000 points in two full chunks */
    check_chunks(1790899200, 15, 22000, 11000, 2, "exact_two");
    /* one chunk of exactly the limit: 11,000 points = 10,999 steps */
    check_chunks(1790899200, 15, 11000, 11000, 1, "exact_one");
    /* 11,001 points: one full chunk and a single point */
    check_chunks(1790899200, 15, 11001, 11000, 2, "one_over");
    /* a remainder: 30 days at 15 s = 172,801 points = 15 x 11,000 + 7,801 */
    check_chunks(1790899200 - 30 * DAY, 15, 172801, 11000, 16, "30d_15s");
    /* max_points 1: every point its own chunk, start = end */
    check_chunks(1790899200, 60, 7, 1, 7, "max_1");
    /* max_points 0 means FETCHPLAN_MAX_POINTS */
    check_chunks(1790899200, 15, 25001, 0, 3, "default_max");
    /* one point */
    check_chunks(1790899200, 60, 1, 11000, 1, "single");
    /* a decimal step: times still come from integers */
    check_chunks(0.5, 0.1, 1001, 100, 11, "decimal_step");
}

static void test_chunks_edges(void **state)
{
    struct fetch_chunk ch[2];

    (void)state;
    /* cap smaller than needed: returns what is needed, writes cap */
    memset(ch, 0, sizeof(ch));
    assert_int_equal(fetchplan_chunks(0, 99, 1, 10, ch, 1), 10);
    assert_int_equal(ch[0].points, 10);
    assert_int_equal(ch[1].points, 0);
    assert_int_equal(fetchplan_chunks(0, 99, 1, 10, NULL, 0), 10);
    /* 3 points in chunks of 2: [0..1] and [2], times exact */
    assert_int_equal(fetchplan_chunks(100, 220, 60, 2, ch, 2), 2);
    assert_true(ch[0].start_s == 100 && ch[0].end_s == 160 && ch[0].first_index == 0);
    assert_true(ch[1].start_s == 220 && ch[1].end_s == 220 && ch[1].first_index == 2);
    assert_int_equal(ch[1].points, 1);
    /* end a hair off the grid is still the same grid point: 0.7 / 0.1 is
     * 6.999999999999999, 7 steps and 8 points */
    assert_int_equal(fetchplan_chunks(0, 0.7, 0.1, 100, ch, 2), 1);
    assert_int_equal(ch[0].points, 8);
    assert_int_equal(fetchplan_chunks(0, 0.30000000000000004, 0.1, 100, ch, 2), 1);
    assert_int_equal(ch[0].points, 4);
    /* refused */
    assert_int_equal(fetchplan_chunks(100, 40, 60, 10, ch, 2), 0);
    assert_int_equal(fetchplan_chunks(0, 100, 0, 10, ch, 2), 0);
    assert_int_equal(fetchplan_chunks(0, NAN, 1, 10, ch, 2), 0);
}

/* align then chunk: the plan the client will send for 365 days at the
 * auto step, every point covered once. */
static void test_plan_end_to_end(void **state)
{
    double step = fetchplan_auto_step(365 * DAY, 10000), start, end;
    size_t n;

    (void)state;
    n = fetchplan_align(1790899321, 365 * DAY, step, &start, &end);
    assert_int_equal(n, 8761);
    check_chunks(start, step, n, FETCHPLAN_MAX_POINTS, 1, "365d_plan");
    check_chunks(start, step, n, 1000, 9, "365d_plan_1000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_step),   cmocka_unit_test(test_align),
        cmocka_unit_test(test_chunks),      cmocka_unit_test(test_chunks_edges),
        cmocka_unit_test(test_plan_end_to_end),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
