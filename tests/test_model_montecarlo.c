/* test_model_montecarlo.c: the generator, triangular draws, Monte Carlo and tornado. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/montecarlo.h"

static void check_near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s = %.9f, want %.9f (tolerance %g)", what, got, want, tol);
}

/* The worked example of tests/test_model_cost.c: all points, NPV 59599.7700
 * at 1 % a month over 12 months, break-even month 9. */
static void worked_example(struct cost_inputs *in)
{
    memset(in, 0, sizeof(*in));
    in->p[COST_INSTANCES] = range_point(10);
    in->p[COST_MIN_INSTANCES] = range_point(2);
    in->p[COST_COST_PER_INSTANCE] = range_point(3000);
    in->p[COST_CPU_REDUCTION] = range_point(0.5);
    in->p[COST_MEMORY_REDUCTION] = range_point(0.2);
    in->p[COST_INCIDENTS_PER_MONTH] = range_point(2);
    in->p[COST_COST_PER_INCIDENT] = range_point(1500);
    in->p[COST_INCIDENT_REDUCTION] = range_point(0.5);
    in->p[COST_PRODUCTIVITY_GAIN] = range_point(0.05);
    in->p[COST_COST_PER_ENGINEER_MONTH] = range_point(10000);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_point(6);
    in->p[COST_VELOCITY_LOSS] = range_point(0.5);
    in->p[COST_LEARNING_MONTHS] = range_point(4);
    in->p[COST_OVERLAP_MONTHS] = range_point(1);
    in->p[COST_DISCOUNT_RATE] = range_point(0.12682503013196977);  /* 1 % a month */
    in->cpu_utilisation = 0.6;
    in->memory_utilisation = 0.3;
    in->engineers = 4;
    in->parallelism = 2;
    in->horizon_months = 12;
}

/* The worked example with some real ranges. */
static void uncertain_example(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_COST_PER_INSTANCE] = range_make(2000, 3000, 4500);
    in->p[COST_CPU_REDUCTION] = range_make(0.3, 0.5, 0.7);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_make(4, 6, 12);
    in->p[COST_VELOCITY_LOSS] = range_make(0.3, 0.5, 0.7);
}

static double npv_at(const struct cost_inputs *in, enum cost_param p, double x)
{
    struct cost_result r;
    double v[COST_PARAM_COUNT];

    cost_likely(in, v);
    v[p] = x;
    cost_evaluate(in, v, &r);
    return r.npv;
}

/* ---- generator ------------------------------------------------------------ */

/*
 * splitmix64 from 0 gives the published reference sequence e220a8397b1dcdaf,
 * 6e789e6aa1b965f4, 06c45d188009454f, f88bb8a8724c81ec; xoshiro256** from
 * that state starts rotl(s1 * 5, 7) * 9 = 99ec5f36cb75f2b4, then
 * bf6e1f784956452a, 1a5f849d4933e6e0 (checked against an independent
 * big-integer transcription of the reference code).
 */
static void test_rng_reference(void **state)
{
    struct rng r;

    (void)state;
    rng_seed(&r, 0);
    assert_true(r.s[0] == UINT64_C(0xe220a8397b1dcdaf));
    assert_true(r.s[1] == UINT64_C(0x6e789e6aa1b965f4));
    assert_true(r.s[2] == UINT64_C(0x06c45d188009454f));
    assert_true(r.s[3] == UINT64_C(0xf88bb8a8724c81ec));
    assert_true(rng_next(&r) == UINT64_C(0x99ec5f36cb75f2b4));
    assert_true(rng_next(&r) == UINT64_C(0xbf6e1f784956452a));
    assert_true(rng_next(&r) == UINT64_C(0x1a5f849d4933e6e0));
}

/* Uniforms lie in [0, 1) and average 1/2: with 200000 draws the standard
 * error is 0.289 / 447 = 0.00065; tolerance 0.005 (over 7 standard errors). */
static void test_rng_uniform(void **state)
{
    struct rng r;
    double sum = 0.0;
    int i;

    (void)state;
    rng_seed(&r, 12345);
    for (i = 0; i < 200000; i++) {
        double u = rng_uniform(&r);

        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
    }
    check_near(sum / 200000, 0.5, 0.005, "mean uniform");
}

/* ---- triangular ------------------------------------------------------------ */

struct tri_case {
    double a, c, b, u, want;
};

static const struct tri_case tri_cases[] = {
    { 0, 1, 2, 0.5, 1 },        /* F(c) = 0.5: u = 0.5 is the mode */
    { 0, 1, 2, 0.125, 0.5 },    /* sqrt(0.125 * 2 * 1) = 0.5 */
    { 0, 1, 2, 0.875, 1.5 },    /* 2 - sqrt(0.125 * 2 * 1) = 1.5 */
    { 0, 1, 2, 0.0, 0 },        /* u = 0 is the low end */
    { 0, 2, 8, 0.25, 2 },       /* F(c) = 2/8: 8 - sqrt(0.75 * 8 * 6) = 8 - 6 = 2 */
    { 0, 2, 8, 0.0625, 1 },     /* sqrt(0.0625 * 8 * 2) = 1 */
    { 0, 0, 1, 0.75, 0.5 },     /* mode at low: 1 - sqrt(0.25 * 1 * 1) */
    { 0, 1, 1, 0.25, 0.5 },     /* mode at high: sqrt(0.25 * 1 * 1) */
    { 3, 3, 3, 0.7, 3 },        /* a point */
    { 5, 5, 5, 0.0, 5 },
    { 10, 20, 40, 1.0, 40 },    /* u = 1 (outside [0, 1) but clamped): high */
    { 10, 20, 40, -1.0, 10 },   /* u < 0 clamps to low */
};

static void test_triangular_quantile(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(tri_cases) / sizeof(tri_cases[0]); i++) {
        const struct tri_case *t = &tri_cases[i];

        check_near(triangular_quantile(t->a, t->c, t->b, t->u), t->want, 1e-12,
                   "triangular_quantile");
    }
}

/* Mean of triangular(0, 1, 5) is (0 + 1 + 5) / 3 = 2; its variance is
 * (0 + 1 + 25 - 0 - 0 - 5) / 18 = 1.1667, so 200000 draws have a standard
 * error of 1.08 / 447 = 0.0024; tolerance 0.02 (8 standard errors).  Every
 * draw stays inside [0, 5]. */
static void test_triangular_mean(void **state)
{
    struct rng r;
    double sum = 0.0;
    int i;

    (void)state;
    rng_seed(&r, 7);
    for (i = 0; i < 200000; i++) {
        double x = triangular_quantile(0, 1, 5, rng_uniform(&r));

        assert_true(x >= 0.0 && x <= 5.0);
        sum += x;
    }
    check_near(sum / 200000, 2.0, 0.02, "mean of triangular(0, 1, 5)");
}

/* ---- Monte Carlo ------------------------------------------------------------ */

static void test_mc_reproducible(void **state)
{
    struct cost_inputs in;
    struct mc_result a, b, c;

    (void)state;
    uncertain_example(&in);
    assert_int_equal(mc_run(&in, 2000, 42, &a), 0);
    assert_int_equal(mc_run(&in, 2000, 42, &b), 0);
    assert_int_equal(mc_run(&in, 2000, 43, &c), 0);
    assert_memory_equal(&a, &b, sizeof(a));
    assert_true(a.npv_p50 != c.npv_p50);
    assert_true(a.npv_mean != c.npv_mean);
    assert_true(a.npv_min <= a.npv_p10 && a.npv_p10 <= a.npv_p50);
    assert_true(a.npv_p50 <= a.npv_p90 && a.npv_p90 <= a.npv_max);
    assert_true(a.npv_min < a.npv_max);
}

/* Every input a point: every draw is the deterministic NPV (59599.77 > 0,
 * break-even month 9), so the percentiles equal it exactly, both
 * probabilities are 1, and all draws share bin 0.  With a cost per
 * engineer-month of 40000 the NPV is negative and both probabilities are 0. */
static void test_mc_points(void **state)
{
    struct cost_inputs in;
    struct mc_result m;
    struct cost_result r;
    double v[COST_PARAM_COUNT];

    (void)state;
    worked_example(&in);
    cost_likely(&in, v);
    cost_evaluate(&in, v, &r);
    check_near(r.npv, 59599.7700, 0.005, "deterministic npv");
    assert_int_equal(mc_run(&in, 500, 1, &m), 0);
    assert_int_equal(m.draws, 500);
    assert_true(m.npv_p10 == r.npv && m.npv_p50 == r.npv && m.npv_p90 == r.npv);
    assert_true(m.npv_min == r.npv && m.npv_max == r.npv);
    check_near(m.npv_mean, r.npv, 1e-6, "mean");
    assert_true(m.probability_positive == 1.0);
    assert_true(m.probability_break_even == 1.0);
    assert_int_equal(m.histogram[0], 500);

    in.p[COST_COST_PER_ENGINEER_MONTH] = range_point(40000);
    assert_int_equal(mc_run(&in, 500, 1, &m), 0);
    assert_true(m.npv_p50 < 0);
    assert_true(m.probability_positive == 0.0);
    assert_true(m.probability_break_even == 0.0);
}

/* draws 0 means MC_DEFAULT_DRAWS; the histogram counts every draw, with the
 * minimum in the first bin and the maximum in the last. */
static void test_mc_default_and_histogram(void **state)
{
    struct cost_inputs in;
    struct mc_result m;
    size_t total = 0;
    int i;

    (void)state;
    uncertain_example(&in);
    assert_int_equal(mc_run(&in, 0, 9, &m), 0);
    assert_int_equal(m.draws, MC_DEFAULT_DRAWS);
    for (i = 0; i < MC_HISTOGRAM_BINS; i++)
        total += m.histogram[i];
    assert_int_equal(total, MC_DEFAULT_DRAWS);
    assert_true(m.histogram[0] >= 1);
    assert_true(m.histogram[MC_HISTOGRAM_BINS - 1] >= 1);
}

/*
 * One uniform per parameter whether or not it is a range: giving the memory
 * reduction a range that can never matter (with the CPU reduction fixed at
 * 0.5 the fleet stays CPU-bound: new memory 0.3 * (1 - r) <= 0.3 = new CPU)
 * must not change a single draw, so
 * the results are bit-identical.  Skipping points would shift the cost per
 * instance's uniforms and change them.
 */
static void test_mc_stable_uniforms(void **state)
{
    struct cost_inputs in;
    struct mc_result a, b;

    (void)state;
    uncertain_example(&in);
    in.p[COST_CPU_REDUCTION] = range_point(0.5);     /* new CPU 0.3 >= any new memory */
    assert_int_equal(mc_run(&in, 3000, 5, &a), 0);
    in.p[COST_MEMORY_REDUCTION] = range_make(0.0, 0.2, 0.5);
    assert_int_equal(mc_run(&in, 3000, 5, &b), 0);
    assert_memory_equal(&a, &b, sizeof(a));
}

/*
 * A replay by hand of 5 draws: the same generator, one uniform per parameter
 * in enum order (points ignore theirs), the model at each draw; then the
 * NPVs sorted and the type-7 percentiles h = (n - 1) p = 4 p:
 *   P10: h = 0.4, x0 + 0.4 (x1 - x0);  P50: h = 2, x2;
 *   P90: h = 3.6, x3 + 0.6 (x4 - x3);
 * and the histogram: bin = floor((x - min) / ((max - min) / 20)), the
 * maximum in bin 19.
 */
static void test_mc_replay(void **state)
{
    struct cost_inputs in;
    struct cost_result r;
    struct mc_result m;
    struct rng g;
    double x[5], v[COST_PARAM_COUNT], sum = 0.0, width;
    size_t hist[MC_HISTOGRAM_BINS] = { 0 };
    int i, j, p, positive = 0, be = 0;

    (void)state;
    uncertain_example(&in);
    assert_int_equal(mc_run(&in, 5, 77, &m), 0);
    rng_seed(&g, 77);
    for (i = 0; i < 5; i++) {
        for (p = 0; p < COST_PARAM_COUNT; p++) {
            double u = rng_uniform(&g);

            v[p] = range_is_point(in.p[p]) ? in.p[p].likely
                                           : triangular_quantile(in.p[p].low, in.p[p].likely,
                                                                 in.p[p].high, u);
        }
        cost_evaluate(&in, v, &r);
        x[i] = r.npv;
        sum += r.npv;
        positive += r.npv > 0;
        be += r.break_even_month != 0;
    }
    for (i = 1; i < 5; i++)             /* insertion sort */
        for (j = i; j > 0 && x[j - 1] > x[j]; j--) {
            double t = x[j];

            x[j] = x[j - 1];
            x[j - 1] = t;
        }
    assert_true(x[0] < x[4]);
    check_near(m.npv_min, x[0], 0, "min");
    check_near(m.npv_max, x[4], 0, "max");
    check_near(m.npv_p10, x[0] + 0.4 * (x[1] - x[0]), 1e-9, "P10");
    check_near(m.npv_p50, x[2], 0, "P50");
    check_near(m.npv_p90, x[3] + 0.6 * (x[4] - x[3]), 1e-9, "P90");
    check_near(m.npv_mean, sum / 5, 1e-9, "mean");
    check_near(m.probability_positive, positive / 5.0, 0, "P(NPV > 0)");
    check_near(m.probability_break_even, be / 5.0, 0, "P(break-even)");
    width = (x[4] - x[0]) / MC_HISTOGRAM_BINS;
    for (i = 0; i < 5; i++) {
        int b = (int)((x[i] - x[0]) / width);

        hist[b >= MC_HISTOGRAM_BINS ? MC_HISTOGRAM_BINS - 1 : b]++;
    }
    assert_int_equal(hist[MC_HISTOGRAM_BINS - 1], m.histogram[MC_HISTOGRAM_BINS - 1]);
    assert_memory_equal(hist, m.histogram, sizeof(hist));
}

/*
 * NPV exactly 0 is not "positive" but does break even: the last-month case
 * of test_model_cost.c (-12000, then +1000 for 12 months, discount 0): every
 * draw has NPV 0 and break-even month 13, so P(NPV > 0) = 0, P(BE) = 1.
 */
static void test_mc_zero_npv(void **state)
{
    struct cost_inputs in;
    struct mc_result m;

    (void)state;
    worked_example(&in);
    in.p[COST_INSTANCES] = range_point(2);
    in.p[COST_INCIDENTS_PER_MONTH] = range_point(1);
    in.p[COST_COST_PER_INCIDENT] = range_point(2000);
    in.p[COST_PRODUCTIVITY_GAIN] = range_point(0);
    in.p[COST_COST_PER_ENGINEER_MONTH] = range_point(12000);
    in.p[COST_EFFORT_ENGINEER_MONTHS] = range_point(1);
    in.p[COST_LEARNING_MONTHS] = range_point(0);
    in.p[COST_OVERLAP_MONTHS] = range_point(0);
    in.p[COST_DISCOUNT_RATE] = range_point(0);
    in.parallelism = 1;
    in.horizon_months = 13;
    assert_int_equal(mc_run(&in, 100, 3, &m), 0);
    assert_true(m.npv_p50 == 0.0);
    assert_true(m.probability_positive == 0.0);
    assert_true(m.probability_break_even == 1.0);
}

/* Triangular CDF, for the expected probabilities below. */
static double tri_cdf(double a, double c, double b, double x)
{
    if (x <= a)
        return 0.0;
    if (x >= b)
        return 1.0;
    if (x <= c)
        return (x - a) * (x - a) / ((b - a) * (c - a));
    return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
}

/*
 * Convergence, in a parameter the NPV is linear in: cost per incident enters
 * only the benefit, 2 * 0.5 = 1 currency a month per unit, so
 * NPV(c) = NPV(1500) + (c - 1500) * S, S = sum of 1.01^-m over the benefit
 * months 4-12 = a12 - a3 = 11.2550775 - 2.9409852 = 8.3140923.
 * The range is centred on c0 where NPV(c0) = 0 (c0 = 1500 - 59599.77 / S
 * = -5668.5; a negative cost is meaningless but the model is linear), with
 * half-width w = 5000, so with 10000 draws:
 *   P50 ~ NPV(c0) = 0; the median's standard error is w / (2 * 100) = 25
 *   in c, i.e. 0.005 w; tolerance 0.02 w * S (4 standard errors).
 *   P10 ~ NPV(quantile 0.1) = NPV(c0 - w + w * sqrt(0.2)), same tolerance.
 *   P(NPV > 0) = P(c > c0) = 0.5; standard error 0.005, tolerance 0.02.
 *   Break-even by month 12 iff the undiscounted cumulative at 12 is >= 0:
 *   c >= c1 where cum12(c1) = 0, so P = 1 - F(c1); tolerance 0.02.
 */
static void test_mc_convergence(void **state)
{
    struct cost_inputs in;
    struct cost_result r0, r1;
    struct mc_result m;
    double v[COST_PARAM_COUNT];
    double slope, c0, c1, w = 5000, cum_slope;

    (void)state;
    worked_example(&in);
    slope = (npv_at(&in, COST_COST_PER_INCIDENT, 1000) - npv_at(&in, COST_COST_PER_INCIDENT, 0))
            / 1000;
    check_near(slope, 8.3140923, 1e-6, "dNPV/dc");
    c0 = 1500 - npv_at(&in, COST_COST_PER_INCIDENT, 1500) / slope;
    cost_likely(&in, v);
    v[COST_COST_PER_INCIDENT] = 0;
    cost_evaluate(&in, v, &r0);
    v[COST_COST_PER_INCIDENT] = 1000;
    cost_evaluate(&in, v, &r1);
    cum_slope = (r1.cumulative[11] - r0.cumulative[11]) / 1000;   /* 9 benefit months */
    check_near(cum_slope, 9, 1e-9, "dcum12/dc");
    c1 = -r0.cumulative[11] / cum_slope;

    in.p[COST_COST_PER_INCIDENT] = range_make(c0 - w, c0, c0 + w);
    assert_int_equal(mc_run(&in, 10000, 2024, &m), 0);
    check_near(m.npv_p50, 0.0, 0.02 * w * slope, "P50");
    check_near(m.npv_p10, npv_at(&in, COST_COST_PER_INCIDENT, c0 - w + w * sqrt(0.2)),
               0.02 * w * slope, "P10");
    check_near(m.npv_p90, npv_at(&in, COST_COST_PER_INCIDENT, c0 + w - w * sqrt(0.2)),
               0.02 * w * slope, "P90");
    check_near(m.npv_mean, 0.0, 0.02 * w * slope, "mean");
    check_near(m.probability_positive, 0.5, 0.02, "P(NPV > 0)");
    check_near(m.probability_break_even, 1.0 - tri_cdf(c0 - w, c0, c0 + w, c1), 0.02,
               "P(break-even)");
}

/* ---- tornado ------------------------------------------------------------------ */

/*
 * Ranges on the worked example:
 *   cost_per_instance 2000..4000: infra +-5000 a month over months 4-12,
 *     less the overlap month's new fleet (month 3): swing
 *     2 * (5000 * 8.3141 - 5000 * 0.9706) = 73435, the largest;
 *   incidents_per_month 1..3 and cost_per_incident 750..2250 both move the
 *     incident saving by exactly +-750 a month (1 * 0.5 * 1500 and
 *     2 * 0.5 * 750): equal swings, 1500 * 8.3141 = 12471.1, reported in
 *     parameter order (incidents_per_month first);
 *   velocity_loss 0.4..0.6: +-0.1 of the capacity not billed (cost.c: the 2
 *     engineers not migrating in months 1-3, all 4 in month 4) times the
 *     curve's shares (0.875, 0.625, 0.375, 0.125): 17500, 12500, 7500,
 *     5000, discounted 4166.5: swing 8332.95 (15704.9 when the 2 migrating
 *     engineers were charged too);
 *   memory_reduction 0..0.5: a real range with no effect (CPU-bound), swing 0;
 *   everything else, e.g. instances, is a point and must be absent.
 */
static void test_tornado(void **state)
{
    static const enum cost_param order[] = {
        COST_COST_PER_INSTANCE, COST_INCIDENTS_PER_MONTH, COST_COST_PER_INCIDENT,
        COST_VELOCITY_LOSS, COST_MEMORY_REDUCTION,
    };
    struct cost_inputs in;
    struct tornado_entry t[COST_PARAM_COUNT];
    size_t n, i;

    (void)state;
    worked_example(&in);
    in.p[COST_COST_PER_INSTANCE] = range_make(2000, 3000, 4000);
    in.p[COST_VELOCITY_LOSS] = range_make(0.4, 0.5, 0.6);
    in.p[COST_INCIDENTS_PER_MONTH] = range_make(1, 2, 3);
    in.p[COST_COST_PER_INCIDENT] = range_make(750, 1500, 2250);
    in.p[COST_MEMORY_REDUCTION] = range_make(0, 0.2, 0.5);
    n = tornado_run(&in, t);
    assert_int_equal(n, sizeof(order) / sizeof(order[0]));
    for (i = 0; i < n; i++) {
        enum cost_param p = t[i].param;

        if (p != order[i])
            fail_msg("entry %zu is %s, want %s", i, cost_param_name(p),
                     cost_param_name(order[i]));
        assert_true(p != COST_INSTANCES);
        check_near(t[i].npv_at_low, npv_at(&in, p, in.p[p].low), 1e-9, "npv_at_low");
        check_near(t[i].npv_at_high, npv_at(&in, p, in.p[p].high), 1e-9, "npv_at_high");
        check_near(t[i].swing, fabs(t[i].npv_at_high - t[i].npv_at_low), 1e-9, "swing");
        if (i > 0)
            assert_true(t[i - 1].swing >= t[i].swing);
    }
    check_near(t[1].swing, t[2].swing, 0.0, "tied swings");
    check_near(t[1].swing, 12471.1384, 0.01, "incident swing");
    check_near(t[4].swing, 0.0, 0.0, "memory_reduction swing");
    check_near(t[0].swing, 73435.0212, 0.01, "cost_per_instance swing");
    check_near(t[3].swing, 8332.9522, 0.01, "velocity_loss swing");

    /* All points: nothing to report. */
    worked_example(&in);
    assert_int_equal(tornado_run(&in, t), 0);
}

/* ---- shared draws ------------------------------------------------------- */

/* The stream of a shared key, seeded as montecarlo.c documents it: seed ^
 * rotl(key, 29) ^ 0xD1B54A32D192ED03, written out here a second way. */
static void shared_stream(struct rng *g, uint64_t seed, uint64_t key)
{
    rng_seed(g, seed ^ ((key << 29) | (key >> 35)) ^ UINT64_C(0xD1B54A32D192ED03));
}

/* Only cpu_reduction uncertain: the NPV of a draw is a function of its
 * cpu_reduction alone. */
static void cpu_only(struct cost_inputs *in, uint64_t stream_key, uint64_t cpu_key)
{
    worked_example(in);
    in->p[COST_CPU_REDUCTION] = range_make(0.3, 0.5, 0.7);
    in->stream_key = stream_key;
    in->share_key[COST_CPU_REDUCTION] = cpu_key;
}

/*
 * Two services of one language (one key), with different own streams and
 * a different fleet: draw i of each has the cpu_reduction of output i of
 * the key's stream, replayed here (the stream seeded by hand, the value
 * through triangular_quantile, the NPV by cost_evaluate); so the first
 * service's draws are the same whatever its own stream.  Before shared
 * draws every service drew cpu_reduction from its own stream.
 */
static void test_mc_shared_language(void **state)
{
    enum { N = 500 };
    struct cost_inputs a, b, a2;
    double na[N], nb[N], na2[N];
    uint64_t key = mc_share_key("language", "python", COST_CPU_REDUCTION);
    struct rng g;
    int i;

    (void)state;
    cpu_only(&a, 11, key);
    cpu_only(&b, 22, key);
    b.p[COST_COST_PER_INSTANCE] = range_point(4000);
    b.cpu_utilisation = 0.8;
    cpu_only(&a2, 33, key);
    assert_int_equal(mc_npv_draws(&a, N, 9, na), 0);
    assert_int_equal(mc_npv_draws(&b, N, 9, nb), 0);
    assert_int_equal(mc_npv_draws(&a2, N, 9, na2), 0);
    shared_stream(&g, 9, key);
    for (i = 0; i < N; i++) {
        double x = triangular_quantile(0.3, 0.5, 0.7, rng_uniform(&g));

        check_near(na[i], npv_at(&a, COST_CPU_REDUCTION, x), 1e-6, "a");
        check_near(nb[i], npv_at(&b, COST_CPU_REDUCTION, x), 1e-6, "b");
        check_near(na2[i], na[i], 0, "same draws, other own stream");
    }
    /* the key depends on the language: another language, another stream */
    assert_true(mc_share_key("language", "node", COST_CPU_REDUCTION) != key);
    assert_true(mc_share_key("language", "python", COST_MEMORY_REDUCTION) != key);
    assert_true(mc_share_key("team", "python", COST_CPU_REDUCTION) != key);
}

static double pearson(const double *x, const double *y, int n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    int i;

    for (i = 0; i < n; i++) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    for (i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/*
 * Independence otherwise: two languages (two keys), or no key at all (each
 * its own stream), give NPVs uncorrelated over 10,000 draws: |r| below
 * 0.04, four standard errors of r for independent draws (1 / sqrt(n) =
 * 0.01).  One key gives r = 1 (the same function of the same draws).
 */
static void test_mc_independent(void **state)
{
    enum { N = 10000 };
    static double x[N], y[N];
    struct cost_inputs a, b;

    (void)state;
    cpu_only(&a, 11, mc_share_key("language", "python", COST_CPU_REDUCTION));
    cpu_only(&b, 22, mc_share_key("language", "node", COST_CPU_REDUCTION));
    mc_npv_draws(&a, N, 5, x);
    mc_npv_draws(&b, N, 5, y);
    assert_true(fabs(pearson(x, y, N)) < 0.04);
    cpu_only(&a, 11, 0);
    cpu_only(&b, 22, 0);
    mc_npv_draws(&a, N, 5, x);
    mc_npv_draws(&b, N, 5, y);
    assert_true(fabs(pearson(x, y, N)) < 0.04);
    cpu_only(&b, 22, 0);
    cpu_only(&a, 22, 0);
    mc_npv_draws(&a, N, 5, x);
    check_near(pearson(x, y, N), 1.0, 1e-12, "one stream");
}

/*
 * The copula: Phi(rho Phi^-1(u_L) + sqrt(1 - rho^2) Phi^-1(u_E)).  From a
 * normal table: Phi(1) = 0.8413447460685429, Phi(0.5) = 0.6914624612740131,
 * so u_L = Phi(1), u_E = 0.5 at rho 0.5 give Phi(0.5).  rho 0 leaves u_E.
 * Over 20,000 independent pairs the rank correlation of (u_E', u_L) is
 * (6 / pi) asin(rho / 2) = 0.48258 (Pearson's result for the normal
 * copula), within 0.02 (about three standard errors).
 */
static void test_mc_copula(void **state)
{
    enum { N = 20000 };
    static double ue[N], ul[N];
    struct rng g;
    double r;
    int i;

    (void)state;
    check_near(mc_copula_uniform(0.5, 0.8413447460685429, 0.5), 0.6914624612740131, 2e-8,
               "Phi(0.5)");
    check_near(mc_copula_uniform(0.3, 0.9, 0.0), 0.3, 2e-8, "rho 0");
    check_near(mc_copula_uniform(0.5, 0.5, 0.5), 0.5, 1e-12, "median");
    assert_true(mc_copula_uniform(0.0, 0.0, 0.5) >= 0.0);
    assert_true(mc_copula_uniform(1.0, 1.0, 0.5) <= 1.0);
    rng_seed(&g, 4);
    for (i = 0; i < N; i++) {
        /* ranks of a uniform are its values: Pearson on uniforms is Spearman */
        ul[i] = rng_uniform(&g);
        ue[i] = mc_copula_uniform(rng_uniform(&g), ul[i], MC_EFFORT_LEARNING_RHO);
    }
    r = pearson(ue, ul, N);
    check_near(r, 6 / 3.14159265358979323846 * asin(MC_EFFORT_LEARNING_RHO / 2), 0.02,
               "Spearman");
}

/*
 * In mc_run, effort and learning months both uncertain: the effort's
 * uniform is coupled to the learning months' (so higher learning months
 * come with higher effort, and the NPV falls more than with either
 * alone).  Checked by replaying mc_npv_draws' uniforms by hand: the own
 * stream, one uniform per parameter in enum order, the learning months'
 * from the team key's stream, the effort's through the copula.
 */
static void test_mc_effort_follows_learning(void **state)
{
    enum { N = 300 };
    struct cost_inputs in;
    double npv[N];
    uint64_t key = mc_share_key("team", "pay", COST_LEARNING_MONTHS);
    struct rng own, shared;
    int i, p;

    (void)state;
    worked_example(&in);
    in.p[COST_EFFORT_ENGINEER_MONTHS] = range_make(4, 6, 12);
    in.p[COST_LEARNING_MONTHS] = range_make(2, 4, 8);
    in.stream_key = 99;
    in.share_key[COST_LEARNING_MONTHS] = key;
    assert_int_equal(mc_npv_draws(&in, N, 3, npv), 0);
    rng_seed(&own, 3 ^ 99);
    shared_stream(&shared, 3, key);
    for (i = 0; i < N; i++) {
        double u[COST_PARAM_COUNT], v[COST_PARAM_COUNT];
        struct cost_result r;

        for (p = 0; p < COST_PARAM_COUNT; p++)
            u[p] = rng_uniform(&own);
        u[COST_LEARNING_MONTHS] = rng_uniform(&shared);
        u[COST_EFFORT_ENGINEER_MONTHS] = mc_copula_uniform(u[COST_EFFORT_ENGINEER_MONTHS],
                                                           u[COST_LEARNING_MONTHS], 0.5);
        cost_likely(&in, v);
        v[COST_EFFORT_ENGINEER_MONTHS] = triangular_quantile(4, 6, 12,
                                                             u[COST_EFFORT_ENGINEER_MONTHS]);
        v[COST_LEARNING_MONTHS] = triangular_quantile(2, 4, 8, u[COST_LEARNING_MONTHS]);
        cost_evaluate(&in, v, &r);
        check_near(npv[i], r.npv, 1e-6, "draw");
    }
}

/*
 * economics.cancellation_probability q: a share q of the draws is cancelled
 * before go-live at a uniform fraction of the calendar (M = 3 months in the
 * worked example), paying the costs so far and earning nothing.  Every
 * input a point: the other draws keep the NPV 59,599.77, so the share of
 * draws at it and P(NPV > 0) are 1 - q within sampling error, and the mean
 * is (1 - q) * 59,599.77 + q * E[cancelled], where E[cancelled] is worked
 * here a second way: the hand-written cost rate of the example (20,000 a
 * month billed, the curve on 2 idle engineers 10,000 * (1 - t / 4), the
 * new fleet 15,000 a month over [2, 3)), discounted by month, times the
 * chance (3 - t) / 3 that the cancellation comes after t, integrated by
 * the midpoint rule.  With ranges, q > 0 changes only the draws it
 * cancels: every other NPV is the q = 0 draw's to the bit.
 */
static void test_mc_cancellation(void **state)
{
    enum { N = 30000 };
    static double npv0[N], npvq[N];
    struct cost_inputs in;
    struct mc_result m;
    double q = 1.0 / 3.0, n0 = 59599.7700, expect_cancelled = 0.0, dt = 3.0 / 30000;
    size_t i, kept = 0, changed = 0;

    (void)state;
    worked_example(&in);
    in.cancellation_probability = q;
    assert_int_equal(mc_run(&in, N, 7, &m), 0);
    assert_int_equal(mc_npv_draws(&in, N, 7, npvq), 0);
    for (i = 0; i < N; i++) {
        if (fabs(npvq[i] - n0) < 0.005)
            kept++;
        else
            assert_true(npvq[i] < 0 && npvq[i] >= -93750.0);
    }
    check_near((double)kept / N, 1 - q, 4 * sqrt(q * (1 - q) / N), "share kept");
    check_near(m.probability_positive, (double)kept / N, 1e-12, "P(NPV > 0)");
    for (i = 0; i < 30000; i++) {
        double t = (i + 0.5) * dt;
        double rate = 20000 + 10000 * (1 - t / 4) + (t >= 2 ? 15000 : 0);

        expect_cancelled -= rate / pow(1.01, floor(t) + 1) * (3 - t) / 3 * dt;
    }
    check_near(m.npv_mean, (1 - q) * n0 + q * expect_cancelled, 1500, "mean");

    uncertain_example(&in);
    assert_int_equal(mc_npv_draws(&in, N, 3, npv0), 0);
    in.cancellation_probability = 0.3;
    assert_int_equal(mc_npv_draws(&in, N, 3, npvq), 0);
    for (i = 0; i < N; i++)
        if (npvq[i] != npv0[i]) {
            changed++;
            assert_true(npvq[i] < 0);
        }
    check_near((double)changed / N, 0.3, 4 * sqrt(0.3 * 0.7 / N), "share cancelled");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_reference),
        cmocka_unit_test(test_rng_uniform),
        cmocka_unit_test(test_triangular_quantile),
        cmocka_unit_test(test_triangular_mean),
        cmocka_unit_test(test_mc_reproducible),
        cmocka_unit_test(test_mc_points),
        cmocka_unit_test(test_mc_default_and_histogram),
        cmocka_unit_test(test_mc_stable_uniforms),
        cmocka_unit_test(test_mc_replay),
        cmocka_unit_test(test_mc_zero_npv),
        cmocka_unit_test(test_mc_convergence),
        cmocka_unit_test(test_tornado),
        cmocka_unit_test(test_mc_shared_language),
        cmocka_unit_test(test_mc_independent),
        cmocka_unit_test(test_mc_copula),
        cmocka_unit_test(test_mc_effort_follows_learning),
        cmocka_unit_test(test_mc_cancellation),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
