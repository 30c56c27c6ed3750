/* test_model_mc_exact.c: the Monte Carlo's shortcuts give the plain model's figures to the bit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/cost.h"
#include "verdict/montecarlo.h"

/*
 * cost_plan_npv (through cost_npv) leaves out the months and the totals,
 * takes the months before the steady state in stretches and stops
 * following the cumulative once it can no longer fall; mc_run skips the
 * uniforms of points, takes the triangular inverse CDF as one formula
 * without its checks and finds percentiles by buckets.  None of that may
 * change a bit of any figure.  Each case below is checked against the
 * plain model, written out as the reports were computed before those
 * shortcuts: cost_evaluate for every draw, the triangular inverse CDF with
 * a jump between its branches on every uniform, qsort and type-7
 * percentiles.  No tolerance anywhere: doubles are compared as bit
 * patterns, so -0 and 0 would fail.  Any two NaNs count as the same: an operation on two NaNs
 * returns the first operand's, and which operand of a product comes first
 * is the compiler's choice, not the source's.  Only odd values reach that
 * (a NaN parameter meeting a NaN made by inf * 0, below); with finite
 * inputs every NaN the model makes is the processor's one default NaN.
 */

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof(a)) == 0 || (isnan(a) && isnan(b));
}

static void check_bits(double got, double want, const char *what, int which)
{
    if (!same_bits(got, want))
        fail_msg("case %d: %s = %.17g (%a), want %.17g (%a)", which, what, got, got, want,
                 want);
}

/* ---- random inputs ---------------------------------------------------------- */

static double uniform(struct rng *g, double lo, double hi)
{
    return lo + (hi - lo) * rng_uniform(g);
}

static int pick(struct rng *g, int n)
{
    return (int)(rng_next(g) % (uint64_t)n);
}

/* A range around x: a point a third of the time, otherwise low <= likely <=
 * high with the mode sometimes at an end; whole numbers now and then, so
 * that the go-live, the overlap start and the end of the learning curve
 * fall on month boundaries too. */
static struct range some_range(struct rng *g, double x)
{
    double lo, hi, mode;

    if (pick(g, 4) == 0)
        x = floor(x);
    if (pick(g, 3) == 0)
        return range_point(x);
    lo = x * uniform(g, 0.3, 1.0);
    hi = x * uniform(g, 1.0, 3.0);
    if (pick(g, 4) == 0) {
        lo = floor(lo);
        hi = ceil(hi);
    }
    switch (pick(g, 4)) {
    case 0:
        mode = lo;
        break;
    case 1:
        mode = hi;
        break;
    default:
        mode = uniform(g, lo, hi);
        break;
    }
    return range_make(lo, mode, hi);
}

static void some_inputs(struct rng *g, struct cost_inputs *in)
{
    static const double special[] = { NAN, -0.1, 0.0, 1.0 };
    double inst = floor(uniform(g, 1, 40));

    memset(in, 0, sizeof(*in));
    in->p[COST_INSTANCES] = some_range(g, inst);
    in->p[COST_MIN_INSTANCES] = range_point(floor(uniform(g, 0, inst)));
    in->p[COST_COST_PER_INSTANCE] = some_range(g, uniform(g, 50, 5000));
    in->p[COST_CPU_REDUCTION] = some_range(g, uniform(g, 0, 0.8));
    in->p[COST_MEMORY_REDUCTION] = some_range(g, uniform(g, 0, 0.8));
    in->p[COST_INCIDENTS_PER_MONTH] = some_range(g, uniform(g, 0, 6));
    in->p[COST_COST_PER_INCIDENT] = some_range(g, uniform(g, 0, 20000));
    /* now and then a negative reduction: a benefit below 0, whose
     * cumulative falls in the full-benefit months */
    in->p[COST_INCIDENT_REDUCTION] = pick(g, 8) == 0 ? range_make(-0.9, -0.5, -0.1)
                                                      : some_range(g, uniform(g, 0, 0.9));
    in->p[COST_PRODUCTIVITY_GAIN] = some_range(g, uniform(g, 0, 0.1));
    in->p[COST_COST_PER_ENGINEER_MONTH] = some_range(g, uniform(g, 5000, 20000));
    in->p[COST_EFFORT_ENGINEER_MONTHS] = some_range(g, uniform(g, 0.2, 60));
    in->p[COST_VELOCITY_LOSS] = some_range(g, uniform(g, 0, 0.7));
    in->p[COST_LEARNING_MONTHS] = pick(g, 5) == 0 ? range_point(0)
                                                   : some_range(g, uniform(g, 0.5, 14));
    in->p[COST_OVERLAP_MONTHS] = some_range(g, uniform(g, 0, 4));
    in->p[COST_DISCOUNT_RATE] = pick(g, 4) == 0 ? range_make(0.0, 0.1, 0.3)
                                                 : range_point(pick(g, 5) == 0 ? 0.0 : 0.1);
    in->cpu_utilisation = pick(g, 4) == 0 ? special[pick(g, 4)] : uniform(g, 0, 1.2);
    in->memory_utilisation = pick(g, 4) == 0 ? special[pick(g, 4)] : uniform(g, 0, 1.2);
    in->engineers = pick(g, 12);
    in->parallelism = pick(g, 6);
    in->horizon_months = pick(g, 10) == 0 ? pick(g, 300) - 20 : 1 + pick(g, 60);
    /* issue 14's calendar, ramp, double build, team curve and already
     * rewriting: each off now and then, whole numbers now and then */
    in->p[COST_CHANGES_PER_MONTH] = pick(g, 3) == 0 ? range_point(0)
                                                     : some_range(g, uniform(g, 0, 12));
    in->p[COST_COST_PER_CHANGE] = some_range(g, uniform(g, 0.5, 3));
    in->p[COST_ECOSYSTEM_GAP] = some_range(g, uniform(g, 0, 1));
    in->calendar_parallelism = pick(g, 3) == 0 ? 0.0 : uniform(g, 0.3, 8);
    in->ramp_share = pick(g, 3) == 0 ? 0.0 : pick(g, 5) == 0 ? 1.0 : uniform(g, 0, 1);
    in->learning_offset_months = pick(g, 2) == 0 ? 0.0 : floor(uniform(g, 0, 10) * 2) / 2;
    in->already_rewriting = pick(g, 4) == 0;
}

/* ---- cost_npv against cost_evaluate ------------------------------------------ */

/* A parameter value: mostly near the range, sometimes one that no loader
 * would pass (NaN, an infinity, 0 of either sign, a huge or tiny number),
 * which must still come out the same both ways. */
static double some_value(struct rng *g, struct range r)
{
    static const double odd[] = { NAN, INFINITY, -INFINITY, 0.0, -0.0, 1e300, -1e300,
                                  5e-324, 3.0, 0.5 };

    if (pick(g, 25) == 0)
        return odd[pick(g, 10)];
    if (pick(g, 5) == 0)
        return floor(r.high);
    return uniform(g, r.low, r.high);
}

static void test_npv_matches_evaluate(void **state)
{
    struct rng g;
    int i, p;

    (void)state;
    rng_seed(&g, 20240611);
    for (i = 0; i < 60000; i++) {
        struct cost_inputs in;
        struct cost_result r;
        double v[COST_PARAM_COUNT], npv;
        int be = -1;

        some_inputs(&g, &in);
        for (p = 0; p < COST_PARAM_COUNT; p++)
            v[p] = some_value(&g, in.p[p]);
        cost_evaluate(&in, v, &r);
        npv = cost_npv(&in, v, cost_discount_step(v[COST_DISCOUNT_RATE]), &be);
        check_bits(npv, r.npv, "npv", i);
        if (be != r.break_even_month)
            fail_msg("case %d: break-even month %d, want %d", i, be, r.break_even_month);
    }
}

/* ---- mc_run against the plain Monte Carlo ------------------------------------ */

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

static double type7(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);

    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* triangular_quantile as it was written before its two branches became
 * one formula (montecarlo.c): a jump, and each branch's own expression. */
static double plain_triangular(double low, double mode, double high, double u)
{
    double w, below, above, uw, x;

    if (!(high > low))
        return low;
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    if (mode < low)
        mode = low;
    if (mode > high)
        mode = high;
    w = high - low;
    below = mode - low;
    above = high - mode;
    uw = u * w;
    if (uw < below)
        x = low + sqrt(uw * below);
    else
        x = high - sqrt((1.0 - u) * w * above);
    if (x < low)
        x = low;
    if (x > high)
        x = high;
    return x;
}

/* Ranges of every shape and scale, the mode at either end or anywhere,
 * zeros of both signs, u at 0, -0, near 1 and on F(mode) exactly. */
static void test_triangular_matches_plain(void **state)
{
    static const double ends[] = { 0.0, -0.0, 1.0, -1.0, 3.0, 1e-300, 1e300, 0.1 };
    struct rng g;
    int i;

    (void)state;
    rng_seed(&g, 3);
    for (i = 0; i < 200000; i++) {
        double lo, hi, mode, u;

        if (i % 4 == 0) {
            lo = ends[pick(&g, 8)] * (pick(&g, 2) ? 1 : -1);
            hi = lo + ends[pick(&g, 8)];
        } else {
            lo = uniform(&g, -1e4, 1e4);
            hi = lo + uniform(&g, 0, 1e4);
        }
        switch (pick(&g, 4)) {
        case 0:
            mode = lo;
            break;
        case 1:
            mode = hi;
            break;
        default:
            mode = uniform(&g, lo, hi);
            break;
        }
        switch (pick(&g, 5)) {
        case 0:
            u = pick(&g, 3) == 0 ? 0.0 : pick(&g, 2) ? -0.0 : 0x1.fffffffffffffp-1;
            break;
        case 1:
            u = hi > lo ? (mode - lo) / (hi - lo) : 0.5;    /* F(mode) */
            break;
        default:
            u = rng_uniform(&g);
            break;
        }
        check_bits(triangular_quantile(lo, mode, hi, u), plain_triangular(lo, mode, hi, u),
                   "triangular", i);
    }
}

/* What mc_run computed before any shortcut: one uniform per parameter,
 * the triangular inverse CDF for every range, cost_evaluate for every
 * draw. */
static void plain_mc(const struct cost_inputs *in, size_t draws, uint64_t seed,
                     struct mc_result *out)
{
    struct rng g;
    double *npv = malloc(draws * sizeof(double)), sum = 0.0, width;
    size_t i, positive = 0, break_even = 0;
    int p;

    assert_non_null(npv);
    memset(out, 0, sizeof(*out));
    rng_seed(&g, seed);
    for (i = 0; i < draws; i++) {
        struct cost_result r;
        double v[COST_PARAM_COUNT], u[COST_PARAM_COUNT];

        for (p = 0; p < COST_PARAM_COUNT; p++)
            u[p] = rng_uniform(&g);
        /* effort coupled to learning months when both are real ranges
         * (montecarlo.c: the copula is the model's, not a shortcut) */
        if (in->p[COST_EFFORT_ENGINEER_MONTHS].low < in->p[COST_EFFORT_ENGINEER_MONTHS].high &&
            in->p[COST_LEARNING_MONTHS].low < in->p[COST_LEARNING_MONTHS].high)
            u[COST_EFFORT_ENGINEER_MONTHS] =
                mc_copula_uniform(u[COST_EFFORT_ENGINEER_MONTHS], u[COST_LEARNING_MONTHS],
                                  MC_EFFORT_LEARNING_RHO);
        for (p = 0; p < COST_PARAM_COUNT; p++)
            v[p] = range_is_point(in->p[p]) ? in->p[p].likely
                                            : plain_triangular(in->p[p].low,
                                                               in->p[p].likely,
                                                               in->p[p].high, u[p]);
        cost_evaluate(in, v, &r);
        npv[i] = r.npv;
        sum += r.npv;
        positive += r.npv > 0;
        break_even += r.break_even_month != 0;
    }
    out->draws = draws;
    out->probability_positive = (double)positive / (double)draws;
    out->probability_break_even = (double)break_even / (double)draws;
    out->npv_mean = sum / (double)draws;
    qsort(npv, draws, sizeof(double), cmp_double);
    out->npv_p10 = type7(npv, draws, 0.10);
    out->npv_p50 = type7(npv, draws, 0.50);
    out->npv_p90 = type7(npv, draws, 0.90);
    out->npv_min = npv[0];
    out->npv_max = npv[draws - 1];
    width = (out->npv_max - out->npv_min) / MC_HISTOGRAM_BINS;
    for (i = 0; i < draws; i++) {
        size_t bin = 0;

        if (width > 0) {
            double b = (npv[i] - out->npv_min) / width;

            bin = b >= MC_HISTOGRAM_BINS ? MC_HISTOGRAM_BINS - 1 : (size_t)b;
        }
        out->histogram[bin]++;
    }
    free(npv);
}

static void check_mc(const struct cost_inputs *in, size_t draws, uint64_t seed, int which)
{
    struct mc_result got, want;
    size_t k;

    assert_int_equal(mc_run(in, draws, seed, &got), 0);
    plain_mc(in, draws, seed, &want);
    assert_int_equal(got.draws, want.draws);
    check_bits(got.probability_positive, want.probability_positive, "P(NPV > 0)", which);
    check_bits(got.probability_break_even, want.probability_break_even, "P(BE)", which);
    check_bits(got.npv_mean, want.npv_mean, "mean", which);
    check_bits(got.npv_min, want.npv_min, "min", which);
    check_bits(got.npv_max, want.npv_max, "max", which);
    check_bits(got.npv_p10, want.npv_p10, "P10", which);
    check_bits(got.npv_p50, want.npv_p50, "P50", which);
    check_bits(got.npv_p90, want.npv_p90, "P90", which);
    for (k = 0; k < MC_HISTOGRAM_BINS; k++)
        if (got.histogram[k] != want.histogram[k])
            fail_msg("case %d: histogram[%zu] = %zu, want %zu", which, k, got.histogram[k],
                     want.histogram[k]);
}

/* Random services, some with few draws (percentiles by selection), some
 * with many (by buckets). */
static void test_mc_matches_plain(void **state)
{
    static const size_t draws[] = { 1, 7, 600, 4096, 6000 };
    struct rng g;
    int i;

    (void)state;
    rng_seed(&g, 77);
    for (i = 0; i < 120; i++) {
        struct cost_inputs in;

        some_inputs(&g, &in);
        check_mc(&in, draws[i % 5], rng_next(&g), i);
    }
}

/*
 * The corners of the percentiles: every NPV the same (all points); most
 * NPVs in one bucket, so that mc_run falls back to selection (a migration
 * longer than the horizon costs the same whatever its length, and effort
 * 1..1000 with the mode at 1 is over 24 months in 95 % of the draws: one
 * NPV for those, spread ones for the rest); a long tail; a range whose low
 * is not below its high (drawn as low, its uniform skipped); a discount
 * rate that is itself a range.
 */
static void test_mc_corners(void **state)
{
    struct cost_inputs in;
    struct rng g;
    int p;

    (void)state;
    rng_seed(&g, 5);
    some_inputs(&g, &in);
    in.horizon_months = 24;
    for (p = 0; p < COST_PARAM_COUNT; p++)
        in.p[p] = range_point(in.p[p].likely);
    check_mc(&in, 5000, 1, 1000);

    in.p[COST_EFFORT_ENGINEER_MONTHS] = range_make(1, 1, 1000);
    in.parallelism = 1;
    check_mc(&in, 10000, 4, 1003);

    in.p[COST_COST_PER_INCIDENT] = range_make(100, 100, 1e12);
    in.p[COST_INCIDENTS_PER_MONTH] = range_point(2);
    in.p[COST_INCIDENT_REDUCTION] = range_point(0.5);
    check_mc(&in, 8000, 2, 1001);

    in.p[COST_COST_PER_ENGINEER_MONTH] = range_make(15000, 12000, 10000);  /* high < low */
    in.p[COST_DISCOUNT_RATE] = range_make(0.05, 0.1, 0.2);
    in.p[COST_EFFORT_ENGINEER_MONTHS] = range_make(2, 6, 6);
    in.p[COST_LEARNING_MONTHS] = range_make(3, 3, 9);
    check_mc(&in, 5000, 3, 1002);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_npv_matches_evaluate),
        cmocka_unit_test(test_triangular_matches_plain),
        cmocka_unit_test(test_mc_matches_plain),
        cmocka_unit_test(test_mc_corners),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
