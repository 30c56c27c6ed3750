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

/* The top 53 bits, scaled by 2^-53: every double k / 2^53, 0 <= k < 2^53.
 * uniform_of is the same, inlined into mc_draws' loops. */
static inline double uniform_of(struct rng *r)
{
    uint64_t result = rotl64(r->s[1] * 5, 7) * 9;

    rng_step(r);
    return (double)(result >> 11) * (1.0 / 9007199254740992.0);
}

double rng_uniform(struct rng *r)
{
    return uniform_of(r);
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
 * Shared draws (issue 14).  Services are not independent: two Python
 * services get the same Rust, so when a draw says the CPU saving of
 * Python is low it is low for both; the fleet pays one cost per
 * engineer-month; a team that learns slowly does so on every rewrite.
 * Each draw i therefore takes the uniform of such a parameter from a
 * stream of its own, seeded from (run seed, key) only:
 *
 *   stream(seed, key) = xoshiro256** seeded with seed ^ rotl(key, 29) ^ C
 *   u_p(i)            = output i of stream(seed, share_key[p])
 *
 * (C = 0xD1B54A32D192ED03, so a key is never read as a service's own
 * stream, seed ^ FNV-1a(name)).  Every service with the same key sees the
 * same u for draw i, whatever else is in the inventory; a different key
 * is a different stream, independent for all practical purposes.  The
 * keys (mc_share_key) are FNV-1a of scope, name and parameter:
 *   ("language", "python", cpu_reduction), memory_reduction, (and
 *   p99_reduction where the model draws it);
 *   ("economics", "", cost_per_engineer_month);
 *   ("team", team.name, velocity_loss) and learning_months: only with a
 *   team.name; without one the service is its own team and draws them
 *   from its own stream.
 * The same u with different ranges gives comonotone values: Python [0.5,
 * 0.7, 0.8] and a Python service with no profile override see the same
 * quantile.  The service's own stream still steps once per parameter in
 * enum order, so an unshared parameter keeps the uniform it had before
 * the sharing (the property that adding or reordering services leaves the
 * others' draws alone holds for both kinds).
 *
 * Effort and learning months move together (a team new to the language
 * both learns and builds slowly): a Gaussian copula with rho =
 * MC_EFFORT_LEARNING_RHO couples the effort's uniform to the learning
 * curve's,
 *   z_L = Phi^-1(u_L), z_E = Phi^-1(u_E)   (u_E from the service's stream)
 *   u_E' = Phi(rho * z_L + sqrt(1 - rho^2) * z_E)
 * u_E' is uniform again (rho z_L + sqrt(1-rho^2) z_E is standard normal),
 * so the effort keeps its triangular marginal exactly and only the
 * dependence changes: Spearman's rank correlation (6/pi) asin(rho/2) =
 * 0.483 for rho 0.5.  A copula rather than sharing part of the uniform
 * (u_E' = u_L with some probability) because that makes a mixture with
 * an atom on the diagonal, and rather than a rank-shuffle because it is
 * per draw and needs no sort.  rho 0.5: no seed measures it; seed 000
 * and 001 name the learning curve as the main source of overrun, so the
 * two are related but far from one and the same, and 0.5 says that.
 * Example: u_L = 0.8413 (z_L = 1), u_E = 0.5 (z_E = 0): u_E' = Phi(0.5) =
 * 0.6915, the effort moves from its median to its 69th percentile.
 * Applied whenever both are drawn (ranges); a point on either side leaves
 * the effort's uniform alone.
 */
#define MC_SHARE_MIX UINT64_C(0xD1B54A32D192ED03)

static uint64_t fnv_add(uint64_t h, const char *s)
{
    if (s != NULL)
        for (; *s != '\0'; s++)
            h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (h ^ 0x1F) * UINT64_C(1099511628211);    /* a separator no name ends in */
}

uint64_t mc_share_key(const char *scope, const char *name, enum cost_param p)
{
    uint64_t h = UINT64_C(14695981039346656037);

    h = fnv_add(h, scope);
    h = fnv_add(h, name);
    h = fnv_add(h, cost_param_name(p));
    return h != 0 ? h : 1;
}

static void share_seed(struct rng *r, uint64_t seed, uint64_t key)
{
    rng_seed(r, seed ^ rotl64(key, 29) ^ MC_SHARE_MIX);
}

/*
 * Inverse standard normal CDF: P. J. Acklam's rational approximation
 * (relative error below 1.15e-9 over (0, 1)), central region |p - 0.5| <=
 * 0.47575 without a log.  p is clamped to [2^-60, 1 - 2^-53] so that a
 * uniform of exactly 0 (rng_uniform can give it) stays finite.  Example:
 * 0.5 -> 0, 0.8413447 -> 1.0000, 0.025 -> -1.95996.
 */
static double norm_quantile(double p)
{
    static const double a[6] = { -3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00 };
    static const double b[5] = { -5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01 };
    static const double c[6] = { -7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00, 2.938163982698783e+00 };
    static const double d[4] = { 7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00 };
    double q, r;

    if (!(p > 8.673617379884035e-19))
        p = 8.673617379884035e-19;
    if (p > 1.0 - 1.1102230246251565e-16)
        p = 1.0 - 1.1102230246251565e-16;
    if (p < 0.02425 || p > 0.97575) {
        q = sqrt(-2.0 * log(p < 0.5 ? p : 1.0 - p));
        r = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
        return p < 0.5 ? r : -r;
    }
    q = p - 0.5;
    r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

/* Standard normal CDF, Phi(z) = erfc(-z / sqrt 2) / 2. */
static double norm_cdf(double z)
{
    return 0.5 * erfc(-z * 0.70710678118654752440);
}

/* mc_copula_uniform, inlined into mc_draws; s = sqrt(1 - rho^2). */
static inline double copula_u(double u_effort, double u_learning, double rho, double s)
{
    double u = norm_cdf(rho * norm_quantile(u_learning) + s * norm_quantile(u_effort));

    return u < 0 ? 0 : u > 1 ? 1 : u;
}

double mc_copula_uniform(double u_effort, double u_learning, double rho)
{
    return copula_u(u_effort, u_learning, rho, sqrt(1.0 - rho * rho));
}

/*
 * Cancellation (economics.cancellation_probability, q): in a share q of the
 * draws the rewrite is cancelled before it goes live, at a uniform fraction
 * of its calendar to the last cutover, paying its costs so far and earning
 * nothing (cost_plan_npv_cancelled).  Each draw takes two uniforms from a
 * stream of its own (the service's stream key and MC_CANCEL_MIX), u_c and
 * u_t: cancelled when u_c < q, at fraction u_t.  A stream apart, so that a
 * q of 0 (the default) leaves every draw as it was, and a q > 0 changes
 * only the draws it cancels: the others keep their NPVs to the bit.  With
 * every other input fixed, P(NPV > 0) falls from P to P * (1 - q) when a
 * cancelled draw never pays (any cost at all), and the mean to
 *   (1 - q) * mean + q * E[npv_cancelled(u_t)].
 * Example: q = 1/3 (seed 000's one of three), a rewrite that always pays
 * off: P(NPV > 0) 100 % -> 66.7 %.
 */
#define MC_CANCEL_MIX UINT64_C(0x8CB92BA72F3D8DD7)

/* What one pass over the draws counts besides the NPVs. */
struct mc_tally {
    double sum;
    size_t positive, break_even, unordered;
};

/*
 * The draws of one service: npv[i] for i < draws, and the tally.
 *
 * Each draw takes one uniform per parameter from the service's stream
 * (seed ^ in->stream_key), in enum order, whether or not the parameter is
 * a range, so that narrowing one range to a point does not reshuffle the
 * draws of the others; a shared parameter (share_key != 0) takes its
 * uniform from its key's stream instead (see above), the service's stream
 * stepping past its place all the same.  Points keep their value; ranges
 * go through triangular_quantile.
 *
 * What does not change from draw to draw is worked out once: which
 * parameters are drawn (a range whose low is not below its high is
 * triangular_quantile's low for every u, so it is not), the model's plan,
 * and the discount factors of a fixed rate.  A parameter not drawn still
 * moves the service's generator on by one step (rng_step), so the others
 * see the same uniforms as if its own had been drawn and thrown away; a
 * shared stream moves only when its parameter is drawn, so its draw i is
 * output i whatever the service.
 */
static void mc_draws(const struct cost_inputs *in, size_t draws, uint64_t seed, double *npv,
                     struct mc_tally *tally)
{
    struct rng seeded, rng, shared_rng[COST_PARAM_COUNT], cancel_rng;
    struct cost_plan plan;
    double q = in->cancellation_probability;
    int cancel = q > 0;
    double v[COST_PARAM_COUNT], u[COST_PARAM_COUNT], factor[COST_MAX_MONTHS], rho_rest;
    size_t i;
    int p, drawn[COST_PARAM_COUNT], shared[COST_PARAM_COUNT], any_shared = 0, couple;
    struct tri tri[COST_PARAM_COUNT];

    memset(tally, 0, sizeof(*tally));
    for (p = 0; p < COST_PARAM_COUNT; p++) {
        drawn[p] = shared[p] = 0;
        u[p] = 0.0;
        v[p] = in->p[p].likely;
        if (range_is_point(in->p[p]))
            continue;
        tri_init(&tri[p], in->p[p].low, in->p[p].likely, in->p[p].high);
        if (tri[p].degenerate) {
            v[p] = tri[p].low;
            continue;
        }
        drawn[p] = 1;
        if (in->share_key[p] != 0) {
            shared[p] = any_shared = 1;
            share_seed(&shared_rng[p], seed, in->share_key[p]);
        }
    }
    couple = drawn[COST_EFFORT_ENGINEER_MONTHS] && drawn[COST_LEARNING_MONTHS];
    rho_rest = sqrt(1.0 - MC_EFFORT_LEARNING_RHO * MC_EFFORT_LEARNING_RHO);
    cost_plan_init(&plan, in);
    if (!drawn[COST_DISCOUNT_RATE])
        cost_discount_factors(cost_discount_step(v[COST_DISCOUNT_RATE]), plan.months, factor);
    /* a copy that only inlined code touches, so that the state stays in
     * registers */
    rng_seed(&seeded, seed ^ in->stream_key);
    rng = seeded;
    if (cancel)
        rng_seed(&cancel_rng, seed ^ rotl64(in->stream_key, 17) ^ MC_CANCEL_MIX);
    for (i = 0; i < draws; i++) {
        int be;

        if (!any_shared && !couple) {
            for (p = 0; p < COST_PARAM_COUNT; p++) {
                if (drawn[p])
                    v[p] = tri_sample(&tri[p], uniform_of(&rng));
                else
                    rng_step(&rng);
            }
        } else {
            /* the effort (before the learning months in enum order) waits
             * for the learning months' uniform when the two are coupled */
            for (p = 0; p < COST_PARAM_COUNT; p++) {
                double x;

                if (!drawn[p]) {
                    rng_step(&rng);
                    continue;
                }
                if (shared[p]) {
                    rng_step(&rng);
                    x = uniform_of(&shared_rng[p]);
                } else {
                    x = uniform_of(&rng);
                }
                u[p] = x;
                if (!(couple && p == COST_EFFORT_ENGINEER_MONTHS))
                    v[p] = tri_sample(&tri[p], x);
            }
            if (couple)
                v[COST_EFFORT_ENGINEER_MONTHS] = tri_sample(
                    &tri[COST_EFFORT_ENGINEER_MONTHS],
                    copula_u(u[COST_EFFORT_ENGINEER_MONTHS], u[COST_LEARNING_MONTHS],
                             MC_EFFORT_LEARNING_RHO, rho_rest));
        }
        if (drawn[COST_DISCOUNT_RATE])
            cost_discount_factors(cost_discount_step(v[COST_DISCOUNT_RATE]), plan.months,
                                  factor);
        npv[i] = cost_plan_npv(&plan, v, factor, &be);
        if (cancel) {
            double u_c = uniform_of(&cancel_rng), u_t = uniform_of(&cancel_rng);

            if (u_c < q) {
                npv[i] = cost_plan_npv_cancelled(&plan, v, factor, u_t);
                be = 0;
            }
        }
        tally->sum += npv[i];
        tally->positive += npv[i] > 0;
        tally->break_even += be != 0;
        tally->unordered += isnan(npv[i]) || npv[i] == 0;
    }
}

int mc_npv_draws(const struct cost_inputs *in, size_t draws, uint64_t seed, double *npv)
{
    struct mc_tally tally;

    if (in == NULL || npv == NULL)
        return -1;
    mc_draws(in, draws, seed, npv, &tally);
    return 0;
}

/* The type-7 percentiles p[0] < p[1] < p[2] of x[0..n-1], n >= 1, any
 * order of x (reordered); *lo and *hi the smallest and largest.  NaN and
 * signed zeros go through qsort (unordered != 0), the rest by buckets or
 * selection, to the same figures. */
static void mc_quantiles3(double *x, size_t n, size_t unordered, const double pct[3],
                          double q[3], double *lo, double *hi)
{
    size_t i;

    if (unordered > 0) {
        /* NaN has no place in an order, and -0 and 0 tie: qsort, as ever */
        qsort(x, n, sizeof(double), cmp_double);
        q[0] = percentile_sorted(x, n, pct[0]);
        q[1] = percentile_sorted(x, n, pct[1]);
        q[2] = percentile_sorted(x, n, pct[2]);
        *lo = x[0];
        *hi = x[n - 1];
        return;
    }
    *lo = *hi = x[0];
    for (i = 1; i < n; i++) {
        *lo = x[i] < *lo ? x[i] : *lo;
        *hi = x[i] >= *hi ? x[i] : *hi;
    }
    if (n < MC_BUCKET_MIN || *lo == *hi || percentiles_bucket(x, n, *lo, *hi, pct, q, 3) != 0)
        percentiles_select(x, n, pct, q, 3);
}

void mc_p10_p50_p90(double *x, size_t n, double out[3])
{
    static const double pct[3] = { 0.10, 0.50, 0.90 };
    size_t i, unordered = 0;
    double lo, hi;

    if (x == NULL || n == 0) {
        out[0] = out[1] = out[2] = NAN;
        return;
    }
    for (i = 0; i < n; i++)
        unordered += isnan(x[i]) || x[i] == 0;
    mc_quantiles3(x, n, unordered, pct, out, &lo, &hi);
}

/*
 * The histogram has MC_HISTOGRAM_BINS equal bins over [npv_min, npv_max],
 * npv_max in the last one; when every NPV is the same, all draws land in
 * bin 0.
 */
int mc_run(const struct cost_inputs *in, size_t draws, uint64_t seed,
           struct mc_result *out)
{
    static const double pct[3] = { 0.10, 0.50, 0.90 };
    struct mc_tally tally;
    double q[3], *npv, width;
    size_t i;

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
    mc_draws(in, draws, seed, npv, &tally);

    out->draws = draws;
    out->probability_positive = (double)tally.positive / (double)draws;
    out->probability_break_even = (double)tally.break_even / (double)draws;
    out->npv_mean = tally.sum / (double)draws;
    mc_quantiles3(npv, draws, tally.unordered, pct, q, &out->npv_min, &out->npv_max);
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
