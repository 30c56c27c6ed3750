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

/* cond ? a : b by masking the bits, so the compiler cannot make it a jump. */
static double select_double(int cond, double a, double b)
{
    uint64_t ua, ub, mask = (uint64_t)0 - (uint64_t)(cond != 0);

    memcpy(&ua, &a, sizeof(ua));
    memcpy(&ub, &b, sizeof(ub));
    ua = (ua & mask) | (ub & ~mask);
    memcpy(&a, &ua, sizeof(a));
    return a;
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

/* A triangular distribution made ready for many draws: what does not
 * depend on u, worked out once (the same expressions either way). */
struct tri {
    double low, high, w, below, above;      /* w = high - low; mode - low; high - mode */
    int degenerate;                         /* !(high > low): always low */
};

static void tri_init(struct tri *t, double low, double mode, double high)
{
    t->degenerate = !(high > low);
    if (mode < low)
        mode = low;
    if (mode > high)
        mode = high;
    t->low = low;
    t->high = high;
    t->w = high - low;
    t->below = mode - low;
    t->above = high - mode;
}

static double tri_draw(const struct tri *t, double u)
{
    double x, r, uw;
    int left;

    if (t->degenerate)
        return t->low;
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    /* Selects instead of jumps: u < F(mode) is a coin toss, which a branch
     * predictor gets wrong half the time.  The same operations as with
     * jumps, so the same bits. */
    uw = u * t->w;
    left = uw < t->below;                   /* u < F(mode), without a division */
    r = sqrt(select_double(left, uw * t->below, (1.0 - u) * t->w * t->above));
    x = select_double(left, t->low + r, t->high - r);
    if (x < t->low)
        x = t->low;
    if (x > t->high)
        x = t->high;
    return x;
}

double triangular_quantile(double low, double mode, double high, double u)
{
    struct tri t;

    tri_init(&t, low, mode, high);
    return tri_draw(&t, u);
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

static void swap_double(double *a, double *b)
{
    double t = *a;

    *a = *b;
    *b = t;
}

/*
 * Reorder x[lo..hi] so that x[k] holds what a full sort would put there,
 * with nothing larger before it and nothing smaller after it (Hoare's
 * FIND, the median of three as pivot; equal values split evenly, so a
 * service whose every input is a point, 10,000 equal NPVs, is linear too).
 * Expected O(n).  No NaN in x: mc_run sorts those (and signed zeros).
 */
static void select_kth(double *x, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t k)
{
    while (hi > lo) {
        ptrdiff_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
        double pivot;

        if (x[mid] < x[lo])
            swap_double(&x[mid], &x[lo]);
        if (x[hi] < x[lo])
            swap_double(&x[hi], &x[lo]);
        if (x[hi] < x[mid])
            swap_double(&x[hi], &x[mid]);
        pivot = x[mid];
        while (i <= j) {
            while (x[i] < pivot)
                i++;
            while (x[j] > pivot)
                j--;
            if (i <= j)
                swap_double(&x[i++], &x[j--]);
        }
        /* x[lo..j] <= pivot <= x[i..hi], and between them only the pivot */
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/*
 * The type-7 percentiles p[0] < p[1] < ... of x[0..n-1] (n >= 1), as
 * percentile_sorted would give them after a full sort, by selection:
 * x[floor h] is selected, x[floor h + 1] is the smallest of what lies
 * after it.  Each selection starts where the previous one left off.
 * (qsort of 10,000 NPVs a service was 14 % of `verdict score` for 1,000
 * services.)
 */
static void percentiles_select(double *x, size_t n, const double *p, double *out, size_t np)
{
    ptrdiff_t from = 0;
    size_t i, j;

    for (i = 0; i < np; i++) {
        double h = (double)(n - 1) * p[i];
        size_t lo = (size_t)floor(h);
        double next;

        select_kth(x, from, (ptrdiff_t)n - 1, (ptrdiff_t)lo);
        if (lo + 1 >= n) {
            out[i] = x[lo];
            continue;
        }
        next = x[lo + 1];
        for (j = lo + 2; j < n; j++)
            if (x[j] < next)
                next = x[j];
        out[i] = x[lo] + (h - (double)lo) * (next - x[lo]);
        from = (ptrdiff_t)lo + 1;
    }
}

/*
 * Each draw takes one uniform per parameter, in enum order, whether or not
 * the parameter is a range, so that narrowing one range to a point does
 * not reshuffle the draws of the others.  Points keep their value; ranges
 * go through triangular_quantile.  The histogram has MC_HISTOGRAM_BINS
 * equal bins over [npv_min, npv_max], npv_max in the last one; when every
 * NPV is the same, all draws land in bin 0.  What does not change from
 * draw to draw (which parameters are ranges, the discount factor of a
 * fixed rate) is worked out once.
 */
int mc_run(const struct cost_inputs *in, size_t draws, uint64_t seed,
           struct mc_result *out)
{
    static const double pct[3] = { 0.10, 0.50, 0.90 };
    struct rng rng;
    double v[COST_PARAM_COUNT], q[3];
    double *npv, sum = 0.0, width, step = 0.0;
    size_t i, positive = 0, break_even = 0, unordered = 0;
    int p, ranged[COST_PARAM_COUNT], step_fixed;
    struct tri tri[COST_PARAM_COUNT];

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

    for (p = 0; p < COST_PARAM_COUNT; p++) {
        ranged[p] = !range_is_point(in->p[p]);
        v[p] = in->p[p].likely;
        tri_init(&tri[p], in->p[p].low, in->p[p].likely, in->p[p].high);
    }
    step_fixed = !ranged[COST_DISCOUNT_RATE];
    if (step_fixed)
        step = cost_discount_step(v[COST_DISCOUNT_RATE]);
    rng_seed(&rng, seed);
    for (i = 0; i < draws; i++) {
        int be;

        for (p = 0; p < COST_PARAM_COUNT; p++) {
            double u = rng_uniform(&rng);

            if (ranged[p])
                v[p] = tri_draw(&tri[p], u);
        }
        if (!step_fixed)
            step = cost_discount_step(v[COST_DISCOUNT_RATE]);
        npv[i] = cost_npv(in, v, step, &be);
        sum += npv[i];
        positive += npv[i] > 0;
        break_even += be != 0;
        unordered += isnan(npv[i]) || npv[i] == 0;
    }

    out->draws = draws;
    out->probability_positive = (double)positive / (double)draws;
    out->probability_break_even = (double)break_even / (double)draws;
    out->npv_mean = sum / (double)draws;
    if (unordered > 0) {
        /* NaN has no place in an order, and -0 and 0 tie: qsort, as ever */
        qsort(npv, draws, sizeof(double), cmp_double);
        q[0] = percentile_sorted(npv, draws, pct[0]);
        q[1] = percentile_sorted(npv, draws, pct[1]);
        q[2] = percentile_sorted(npv, draws, pct[2]);
        out->npv_min = npv[0];
        out->npv_max = npv[draws - 1];
    } else {
        out->npv_min = out->npv_max = npv[0];
        for (i = 1; i < draws; i++) {
            out->npv_min = npv[i] < out->npv_min ? npv[i] : out->npv_min;
            out->npv_max = npv[i] >= out->npv_max ? npv[i] : out->npv_max;
        }
        percentiles_select(npv, draws, pct, q, 3);
    }
    out->npv_p10 = q[0];
    out->npv_p50 = q[1];
    out->npv_p90 = q[2];

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
