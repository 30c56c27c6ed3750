/* montecarlo.c: seeded random draws, the Monte Carlo over the cost model, the tornado. */
#include "verdict/montecarlo.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Generator: xoshiro256** (Blackman and Vigna, 2018), seeded with four
 * outputs of splitmix64 so that any 64-bit seed, 0 included, gives a
 * well-mixed nonzero state.  Both are the published reference algorithms;
 * the sequence for a seed is part of the output (reports quote --seed), so
 * do not change them.
 */

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
    int i;

    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* The top 53 bits, scaled by 2^-53: every double k / 2^53, 0 <= k < 2^53. */
double rng_uniform(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/*
 * Inverse CDF of the triangular distribution with low a, mode c, high b:
 *
 *   F(c) = (c - a) / (b - a)
 *   u <  F(c):  x = a + sqrt(u * (b - a) * (c - a))
 *   u >= F(c):  x = b - sqrt((1 - u) * (b - a) * (b - c))
 *
 * A mode at a (F(c) = 0) or at b (F(c) = 1) falls in one branch.  a == b
 * (or b < a, which the loader forbids) gives a; u is clamped to [0, 1] and
 * the mode to [a, b].  Example: (0, 1, 2) at u = 0.5 is 1, at u = 0.125 is
 * sqrt(0.125 * 2 * 1) = 0.5.  Mean (a + b + c) / 3.
 */
double triangular_quantile(double low, double mode, double high, double u)
{
    double w, x;

    if (!(high > low))
        return low;
    if (mode < low)
        mode = low;
    if (mode > high)
        mode = high;
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    w = high - low;
    if (u * w < mode - low)          /* u < F(mode), without a division */
        x = low + sqrt(u * w * (mode - low));
    else
        x = high - sqrt((1.0 - u) * w * (high - mode));
    if (x < low)
        x = low;
    if (x > high)
        x = high;
    return x;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

/* Type-7 (linear interpolation) percentile of sorted x[0..n-1], p in [0, 1]:
 * h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). */
static double percentile_sorted(const double *x, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;

    if (lo + 1 >= n)
        return x[n - 1];
    return x[lo] + frac * (x[lo + 1] - x[lo]);
}

/*
 * Each draw takes one uniform per parameter, in enum order, whether or not
 * the parameter is a range, so that narrowing one range to a point does
 * not reshuffle the draws of the others.  Points keep their value; ranges
 * go through triangular_quantile.  The histogram has MC_HISTOGRAM_BINS
 * equal bins over [npv_min, npv_max], npv_max in the last one; when every
 * NPV is the same, all draws land in bin 0.
 */
int mc_run(const struct cost_inputs *in, size_t draws, uint64_t seed,
           struct mc_result *out)
{
    struct cost_result res;
    struct rng rng;
    double v[COST_PARAM_COUNT];
    double *npv, sum = 0.0, width;
    size_t i, positive = 0, break_even = 0;
    int p;

    if (out == NULL)
        return -1;
    memset(out, 0, sizeof(*out));
    if (in == NULL)
        return -1;
    if (draws == 0)
        draws = MC_DEFAULT_DRAWS;
    if (draws > SIZE_MAX / sizeof(double))
        return -1;
    npv = malloc(draws * sizeof(double));
    if (npv == NULL)
        return -1;

    rng_seed(&rng, seed);
    for (i = 0; i < draws; i++) {
        for (p = 0; p < COST_PARAM_COUNT; p++) {
            const struct range *rg = &in->p[p];
            double u = rng_uniform(&rng);

            v[p] = range_is_point(*rg) ? rg->likely
                                       : triangular_quantile(rg->low, rg->likely, rg->high, u);
        }
        cost_evaluate(in, v, &res);
        npv[i] = res.npv;
        sum += res.npv;
        positive += res.npv > 0;
        break_even += res.break_even_month != 0;
    }

    qsort(npv, draws, sizeof(double), cmp_double);
    out->draws = draws;
    out->probability_positive = (double)positive / (double)draws;
    out->probability_break_even = (double)break_even / (double)draws;
    out->npv_p10 = percentile_sorted(npv, draws, 0.10);
    out->npv_p50 = percentile_sorted(npv, draws, 0.50);
    out->npv_p90 = percentile_sorted(npv, draws, 0.90);
    out->npv_mean = sum / (double)draws;
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
    return 0;
}

/*
 * One-at-a-time sensitivity: for each parameter with low < high, NPV with
 * it at low and at high and every other parameter at likely; swing =
 * |npv_at_high - npv_at_low|.  Sorted by swing, largest first, ties in
 * parameter order (a stable insertion sort: at most COST_PARAM_COUNT).
 */
size_t tornado_run(const struct cost_inputs *in, struct tornado_entry out[COST_PARAM_COUNT])
{
    struct cost_result res;
    double v[COST_PARAM_COUNT];
    size_t n = 0, j;
    int p;

    cost_likely(in, v);
    for (p = 0; p < COST_PARAM_COUNT; p++) {
        struct tornado_entry e;

        if (!(in->p[p].low < in->p[p].high))
            continue;
        e.param = (enum cost_param)p;
        v[p] = in->p[p].low;
        cost_evaluate(in, v, &res);
        e.npv_at_low = res.npv;
        v[p] = in->p[p].high;
        cost_evaluate(in, v, &res);
        e.npv_at_high = res.npv;
        v[p] = in->p[p].likely;
        e.swing = fabs(e.npv_at_high - e.npv_at_low);

        for (j = n; j > 0 && out[j - 1].swing < e.swing; j--)
            out[j] = out[j - 1];
        out[j] = e;
        n++;
    }
    return n;
}
