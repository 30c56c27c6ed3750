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

/* The state moves on one step: rng_next less its output, for the uniforms
 * that mc_run takes and does not use (a point's). */
static inline void rng_step(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
}

uint64_t rng_next(struct rng *r)
{
    uint64_t result = rotl64(r->s[1] * 5, 7) * 9;

    rng_step(r);
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

/*
 * A triangular distribution made ready for many draws: what does not
 * depend on u, worked out once (the same expressions either way).
 *
 * The two branches are one formula with constants for the side of the
 * mode, [1] for u < F(mode) and [0] for the rest:
 *   x = end + sign * sqrt((one + sign * u) * w * side)
 *   [1]: end a, sign +1, one -0, side c - a:  a + sqrt(u * w * (c - a))
 *   [0]: end b, sign -1, one 1, side b - c:  b - sqrt((1 - u) * w * (b - c))
 * Multiplying by +-1 is exact, -0 + u is u for every u (+0 would turn a -0
 * into +0), and x + -y is x - y, so each side does the very operations of
 * its branch, to the bit.  The side is an index rather than a jump or a
 * select: u < F(mode) is a coin toss that a branch predictor gets wrong
 * half the time, and two loads are cheaper than two bitwise selects.
 */
struct tri {
    double low, high, w;                    /* w = high - low */
    double end[2], sign[2], one[2], side[2];
    double below;                           /* mode - low */
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
    t->end[1] = low;
    t->sign[1] = 1.0;
    t->one[1] = -0.0;
    t->side[1] = t->below;
    t->end[0] = high;
    t->sign[0] = -1.0;
    t->one[0] = 1.0;
    t->side[0] = high - mode;
}

/* tri_draw for a t that is not degenerate and a u in [0, 1], as
 * rng_uniform's are: mc_run's draws, which skip the checks that would do
 * nothing there. */
static inline double tri_sample(const struct tri *t, double u)
{
    int i = u * t->w < t->below;            /* u < F(mode), without a division */
    double r = sqrt((t->one[i] + t->sign[i] * u) * t->w * t->side[i]);
    double x = t->end[i] + t->sign[i] * r;

    if (x < t->low)
        x = t->low;
    if (x > t->high)
        x = t->high;
    return x;
}

static double tri_draw(const struct tri *t, double u)
{
    if (t->degenerate)
        return t->low;
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    return tri_sample(t, u);
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
 * percentiles_bucket's buckets over [min, max], and how many of the values
 * it may copy out; below MC_BUCKET_MIN values selection is as fast.
 */
#define MC_BUCKETS 1024
#define MC_GATHER 1024
#define MC_BUCKET_MIN 4096
#define MC_MAX_PCT 4

/* The bucket of x: (x - min) * scale, at most MC_BUCKETS - 1, truncated.
 * Subtracting a constant, multiplying by a positive one, taking the smaller
 * with a constant and truncating each keep the order of their arguments
 * (rounding is monotone), so x <= y puts x in the same bucket as y or in
 * an earlier one. */
static int bucket_of(double x, double min, double scale)
{
    double f = (x - min) * scale;

    return (int)(f < MC_BUCKETS - 1 ? f : MC_BUCKETS - 1);
}

/*
 * percentiles_select's answer for x[0..n-1] (no NaN, no zero, min < max
 * the smallest and largest), without moving x and without quickselect,
 * whose comparisons go either way at random and cost a mispredicted branch
 * about every other element (11 % of the Monte Carlo's time).  The value of
 * rank r (0-based, in sorted order) is in the bucket where the counts of
 * the buckets before it pass r, since a larger value never sits in an
 * earlier bucket (bucket_of).  One pass counts; a second copies out the few
 * buckets that hold the ranks each percentile needs, floor(h) and
 * floor(h) + 1; selection among those copies finds them.  Order statistics
 * are values, not positions, so the percentiles are percentiles_select's
 * to the bit.  Returns 0, or -1 having written nothing when the buckets
 * would hold more than MC_GATHER values (a few far outliers squeeze the
 * rest into one bucket) or np > MC_MAX_PCT: then the caller selects.
 */
static int percentiles_bucket(const double *x, size_t n, double min, double max,
                              const double *p, double *out, size_t np)
{
    size_t start[MC_BUCKETS + 1];       /* values in the buckets before b */
    size_t rank[2 * MC_MAX_PCT], fill[2 * MC_MAX_PCT], total = 0, i, k, r;
    signed char slot_of[MC_BUCKETS];    /* the bucket's part of gather, or -1 */
    int where[2 * MC_MAX_PCT], nslot = 0, b;
    double scale = MC_BUCKETS / (max - min), gather[MC_GATHER], value[2 * MC_MAX_PCT];

    if (np > MC_MAX_PCT || !(scale > 0) || !isfinite(scale))
        return -1;
    memset(start, 0, sizeof(start));
    for (i = 0; i < n; i++)
        start[bucket_of(x[i], min, scale) + 1]++;
    for (b = 0; b < MC_BUCKETS; b++)
        start[b + 1] += start[b];

    /* the ranks wanted, each in its bucket, each bucket given a slot of
     * gather: the same bucket twice gets one slot */
    for (b = 0; b < MC_BUCKETS; b++)
        slot_of[b] = -1;
    for (r = 0; r < 2 * np; r++) {
        double h = (double)(n - 1) * p[r / 2];
        size_t lo = (size_t)floor(h), lo_b = 0, hi_b = MC_BUCKETS;

        rank[r] = r % 2 == 0 || lo + 1 >= n ? lo : lo + 1;
        while (hi_b - lo_b > 1) {       /* the last bucket b with start[b] <= rank */
            size_t mid = lo_b + (hi_b - lo_b) / 2;

            if (start[mid] <= rank[r])
                lo_b = mid;
            else
                hi_b = mid;
        }
        b = (int)lo_b;
        if (slot_of[b] < 0) {
            if (start[b + 1] - start[b] > MC_GATHER - total)
                return -1;
            slot_of[b] = (signed char)nslot;
            fill[nslot++] = total;
            total += start[b + 1] - start[b];
        }
        where[r] = b;
    }
    for (i = 0; i < n; i++) {
        int s = slot_of[bucket_of(x[i], min, scale)];

        if (s >= 0)
            gather[fill[s]++] = x[i];
    }
    /* fill[s] now ends slot s; it began start[b + 1] - start[b] before */
    for (r = 0; r < 2 * np; r++) {
        size_t size, from;

        b = where[r];
        size = start[b + 1] - start[b];
        from = fill[slot_of[b]] - size;
        k = rank[r] - start[b];
        select_kth(gather, (ptrdiff_t)from, (ptrdiff_t)(from + size) - 1,
                   (ptrdiff_t)(from + k));
        value[r] = gather[from + k];
    }
    for (i = 0; i < np; i++) {
        double h = (double)(n - 1) * p[i];
        size_t lo = (size_t)floor(h);

        if (lo + 1 >= n)
            out[i] = value[2 * i];
        else
            out[i] = value[2 * i] + (h - (double)lo) * (value[2 * i + 1] - value[2 * i]);
    }
    return 0;
}

/*
 * Each draw takes one uniform per parameter, in enum order, whether or not
 * the parameter is a range, so that narrowing one range to a point does
 * not reshuffle the draws of the others.  Points keep their value; ranges
 * go through triangular_quantile.  The histogram has MC_HISTOGRAM_BINS
 * equal bins over [npv_min, npv_max], npv_max in the last one; when every
 * NPV is the same, all draws land in bin 0.
 *
 * What does not change from draw to draw is worked out once: which
 * parameters are drawn (a range whose low is not below its high is
 * triangular_quantile's low for every u, so it is not), the model's plan,
 * and the discount factors of a fixed rate.  A parameter not drawn still
 * moves the generator on by one step (rng_step), so the others see the
 * same uniforms as if its own had been drawn and thrown away.
 */
int mc_run(const struct cost_inputs *in, size_t draws, uint64_t seed,
           struct mc_result *out)
{
    static const double pct[3] = { 0.10, 0.50, 0.90 };
    struct rng seeded, rng;
    struct cost_plan plan;
    double v[COST_PARAM_COUNT], q[3], factor[COST_MAX_MONTHS];
    double *npv, sum = 0.0, width;
    size_t i, positive = 0, break_even = 0, unordered = 0;
    int p, drawn[COST_PARAM_COUNT];
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
        drawn[p] = 0;
        v[p] = in->p[p].likely;
        if (range_is_point(in->p[p]))
            continue;
        tri_init(&tri[p], in->p[p].low, in->p[p].likely, in->p[p].high);
        if (tri[p].degenerate)
            v[p] = tri[p].low;
        else
            drawn[p] = 1;
    }
    cost_plan_init(&plan, in);
    if (!drawn[COST_DISCOUNT_RATE])
        cost_discount_factors(cost_discount_step(v[COST_DISCOUNT_RATE]), plan.months, factor);
    /* a copy that only inlined code touches, so that the state stays in
     * registers */
    rng_seed(&seeded, seed);
    rng = seeded;
    for (i = 0; i < draws; i++) {
        int be;

        for (p = 0; p < COST_PARAM_COUNT; p++) {
            if (drawn[p])
                v[p] = tri_sample(&tri[p], rng_uniform(&rng));
            else
                rng_step(&rng);
        }
        if (drawn[COST_DISCOUNT_RATE])
            cost_discount_factors(cost_discount_step(v[COST_DISCOUNT_RATE]), plan.months,
                                  factor);
        npv[i] = cost_plan_npv(&plan, v, factor, &be);
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
        if (draws < MC_BUCKET_MIN || out->npv_min == out->npv_max ||
            percentiles_bucket(npv, draws, out->npv_min, out->npv_max, pct, q, 3) != 0)
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
