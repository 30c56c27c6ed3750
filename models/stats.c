/* stats.c: summary statistics of a measured series, and its reduction to chart buckets. */
#include "verdict/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STATS_SECONDS_PER_DAY 86400.0

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/*
 * Percentile, Hyndman-Fan type 7 (the default of R and NumPy): with the n
 * values sorted ascending and indexed from 0,
 *     h = (n - 1) * p / 100,   lo = floor(h),
 *     P = x[lo] + (h - lo) * (x[lo + 1] - x[lo]).
 * p = 0 gives the minimum, p = 100 the maximum; one value is every
 * percentile of itself.  p outside [0, 100] is clamped; p NaN gives NaN.
 * Example: x = {10, 20, 30, 40}, p = 95: h = 3 * 0.95 = 2.85, lo = 2,
 * P = 30 + 0.85 * (40 - 30) = 38.5.
 */
/* Where percentile p (not NaN) of n > 0 values lies: between sorted
 * positions *lo and *lo + 1, *frac of the way; *lo is n - 1 at the top. */
static void percentile_place(size_t n, double p, size_t *lo, double *frac)
{
    double h;

    if (p < 0)
        p = 0;
    if (p > 100)
        p = 100;
    h = (double)(n - 1) * p / 100.0;
    *lo = (size_t)floor(h);
    if (*lo >= n - 1)
        *lo = n - 1;
    *frac = h - (double)*lo;
}

double stats_percentile_sorted(const double *sorted, size_t n, double p)
{
    double frac;
    size_t lo;

    if (n == 0 || sorted == NULL || isnan(p))
        return NAN;
    percentile_place(n, p, &lo, &frac);
    if (lo == n - 1)
        return sorted[n - 1];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

static void swap_double(double *a, double *b)
{
    double t = *a;

    *a = *b;
    *b = t;
}

/*
 * Put the value that sorting a[from, n) would put at position k there,
 * with no larger value before it and no smaller one after it
 * (quickselect: Hoare's partition around the median of three, on the side
 * that holds k).  Expected time linear in n - from, instead of the
 * n log n of a sort; after 2 log2 n + 8 rounds without an end (an input
 * built against the median of three) the rest is sorted, so the worst
 * case stays n log n.  Values are finite.
 */
static void select_kth(double *a, size_t from, size_t n, size_t k)
{
    ptrdiff_t lo = (ptrdiff_t)from, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;
    int rounds = 8;
    size_t m;

    for (m = n; m > 1; m >>= 1)
        rounds += 2;
    while (hi > lo) {
        ptrdiff_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
        double pivot;

        if (rounds-- == 0) {
            qsort(a + lo, (size_t)(hi - lo + 1), sizeof(*a), cmp_double);
            return;
        }
        if (a[mid] < a[lo])
            swap_double(&a[mid], &a[lo]);
        if (a[hi] < a[lo])
            swap_double(&a[hi], &a[lo]);
        if (a[hi] < a[mid])
            swap_double(&a[hi], &a[mid]);
        pivot = a[mid];
        /* the pivot itself stops both scans, so neither leaves [lo, hi] */
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j)
                swap_double(&a[i++], &a[j--]);
        }
        /* now [lo, j] <= pivot, [i, hi] >= pivot, and (j, i) == pivot */
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return;
    }
}

/*
 * Least-squares slope of v against t over the points where both are finite:
 *     b = sum((t - tm) * (v - vm)) / sum((t - tm)^2)
 * with tm, vm the means.  Centring first keeps the precision that unix
 * timestamps (~1.7e9 s) would otherwise cancel away.  Units: v per second.
 * NaN with fewer than 2 such points or when every t is the same.
 * Example: (0, 1), (86400, 3), (172800, 5): tm = 86400, vm = 3,
 * b = (86400 * 2 + 86400 * 2) / (2 * 86400^2) = 2 / 86400 per second,
 * i.e. 2 units per day.
 */
/* The points where both t and v are finite: how many, and (k > 0) the
 * means of their t and v, for stats_slope and stats_slope_se alike. */
static size_t finite_means(const double *t, const double *v, size_t n, double *tm,
                           double *vm)
{
    double tsum = 0, vsum = 0;
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (!isfinite(t[i]) || !isfinite(v[i]))
            continue;
        tsum += t[i];
        vsum += v[i];
        k++;
    }
    if (k > 0) {
        *tm = tsum / (double)k;
        *vm = vsum / (double)k;
    }
    return k;
}

double stats_slope(const double *t, const double *v, size_t n)
{
    double tm = 0, vm = 0, sxy = 0, sxx = 0;
    size_t i;

    if (t == NULL || v == NULL || finite_means(t, v, n, &tm, &vm) < 2)
        return NAN;
    for (i = 0; i < n; i++) {
        double dt, dv;

        if (!isfinite(t[i]) || !isfinite(v[i]))
            continue;
        dt = t[i] - tm;
        dv = v[i] - vm;
        sxy += dt * dv;
        sxx += dt * dt;
    }
    if (!(sxx > 0))
        return NAN;
    return sxy / sxx;
}

/*
 * The noise of that slope: its standard error, widened for residuals that
 * follow each other (a memory series is smooth: next to every point lies
 * one much like it, so n points carry far less than n points' evidence).
 * With b, tm, vm as in stats_slope, k finite points, residuals
 * e_i = v_i - vm - b (t_i - tm) in time order,
 *     s^2 = sum e_i^2 / (k - 2),         SE0 = sqrt(s^2 / sum (t_i - tm)^2)
 *     r1  = sum e_i e_(i-1) / sum e_i^2  (lag-1 autocorrelation, 0 if < 0)
 *     SE  = SE0 * sqrt((1 + r1) / (1 - r1))   (the AR(1) variance
 *           inflation; r1 capped at 0.999, a factor of about 45)
 * Units: v per second, like the slope.  NaN with fewer than 3 points or
 * every t the same; 0 for points exactly on a line.
 * Example: (0, 0), (1, 1), (2, 0), (3, 1): b = 0.2, residuals -0.2 0.6
 * -0.6 0.2: s^2 = 0.8 / 2 = 0.4, sum dt^2 = 5, SE0 = sqrt(0.08) = 0.283;
 * r1 = (-0.12 - 0.36 - 0.12) / 0.8 < 0 -> 0: SE = 0.283.
 */
double stats_slope_se(const double *t, const double *v, size_t n)
{
    double tm = 0, vm = 0, sxx = 0, b, see = 0, lag = 0, prev = NAN, r1, se0;
    size_t i, k;

    if (t == NULL || v == NULL)
        return NAN;
    b = stats_slope(t, v, n);
    if (!isfinite(b))
        return NAN;
    k = finite_means(t, v, n, &tm, &vm);
    if (k < 3)
        return NAN;
    for (i = 0; i < n; i++) {
        double dt, e;

        if (!isfinite(t[i]) || !isfinite(v[i]))
            continue;
        dt = t[i] - tm;
        e = v[i] - vm - b * dt;
        sxx += dt * dt;
        see += e * e;
        if (isfinite(prev))
            lag += e * prev;
        prev = e;
    }
    if (!(sxx > 0))
        return NAN;
    se0 = sqrt(see / (double)(k - 2) / sxx);
    r1 = see > 0 ? lag / see : 0;
    if (!(r1 > 0))
        r1 = 0;
    if (r1 > 0.999)
        r1 = 0.999;
    return se0 * sqrt((1 + r1) / (1 - r1));
}

static void stats_empty(struct series_stats *out, size_t gaps)
{
    out->count = 0;
    out->gaps = gaps;
    out->first_t = NAN;
    out->last_t = NAN;
    out->min = NAN;
    out->max = NAN;
    out->mean = NAN;
    out->p50 = NAN;
    out->p95 = NAN;
    out->p99 = NAN;
    out->last = NAN;
    out->trend_per_day = NAN;
    out->trend_se_per_day = NAN;
}

/*
 * Gaps: every point whose value (or timestamp) is not finite, plus the
 * steps missing where consecutive timestamps jump by more than 1.5 steps.
 * A jump of dt seconds stands for round(dt / step) - 1 missing points, so
 * a jump of exactly 1.5 steps is jitter, not a gap.  The jump is measured
 * between consecutive points with a finite timestamp whatever their value:
 * a NaN value is already one gap and must not also open a time gap.
 * Example: step 60, t = {0, 60, 240, 300}: the jump 60 -> 240 is 3 steps,
 * so 2 points (120 and 180) are missing: gaps = 2.
 */
static size_t stats_gaps(const double *t, const double *v, size_t n, double step_s)
{
    size_t i, gaps = 0;
    double prev = NAN;

    for (i = 0; i < n; i++) {
        if (!isfinite(t[i])) {
            gaps++;
            continue;
        }
        if (!isfinite(v[i]))
            gaps++;
        if (step_s > 0 && isfinite(prev) && t[i] - prev > 1.5 * step_s) {
            double missing = floor((t[i] - prev) / step_s + 0.5) - 1;

            if (missing >= (double)(SIZE_MAX - gaps))
                gaps = SIZE_MAX;        /* absurd timestamps: saturate */
            else if (missing > 0)
                gaps += (size_t)missing;
        }
        prev = t[i];
    }
    return gaps;
}

/*
 * min, max, p50, p95 and p99 of the n finite values in a (reordered),
 * exactly as stats_percentile_sorted would read them off a sorted copy,
 * but by selecting the few positions they need (both ends of each
 * percentile's interval, in ascending order, each selection on what lies
 * above the last) rather than sorting: at 1,440 points a series that is
 * about five times less work, and fetch computes it for every series.
 */
static void stats_percentiles(double *a, size_t n, struct series_stats *out)
{
    static const double ps[3] = { 50, 95, 99 };
    double *dst[3] = { &out->p50, &out->p95, &out->p99 }, lo_v = 0, hi_v = 0, frac;
    size_t i, lo, last = SIZE_MAX;

    out->min = a[0];
    out->max = a[0];
    for (i = 1; i < n; i++) {
        if (a[i] < out->min)
            out->min = a[i];
        if (a[i] > out->max)
            out->max = a[i];
    }
    for (i = 0; i < 3; i++) {
        percentile_place(n, ps[i], &lo, &frac);
        if (lo == n - 1) {
            *dst[i] = out->max;
            continue;
        }
        if (lo != last) {
            /* lo > last: every value above position last is at last + 1 or later */
            select_kth(a, last == SIZE_MAX ? 0 : last + 1, n, lo);
            lo_v = a[lo];
            select_kth(a, lo + 1, n, lo + 1);
            hi_v = a[lo + 1];
            last = lo;
        }
        *dst[i] = lo_v + frac * (hi_v - lo_v);
    }
}

/*
 * Mean is the plain arithmetic mean of the finite values; min, max and the
 * percentiles are taken over time (each point counts once, whatever the
 * spacing).  trend_per_day = stats_slope * 86400, trend_se_per_day =
 * stats_slope_se * 86400.
 * Example: values {1, NaN, 3, 2} at t = {0, 60, 120, 180}, step 60:
 * count 3, gaps 1, min 1, max 3, mean 2, p50 2, last 2.
 */
int stats_compute(const double *t, const double *v, size_t n, double step_s,
                  struct series_stats *out)
{
    double *sorted;
    double mean = 0;
    size_t i, k = 0, gaps;

    if (t == NULL || v == NULL)
        n = 0;
    for (i = 0; i < n; i++)
        if (isfinite(t[i]) && isfinite(v[i]))
            k++;
    gaps = n > 0 ? stats_gaps(t, v, n, step_s) : 0;
    if (k == 0) {
        stats_empty(out, gaps);
        return 0;
    }
    sorted = malloc(k * sizeof(*sorted));
    if (sorted == NULL)
        return -1;

    stats_empty(out, gaps);
    out->count = k;
    k = 0;
    for (i = 0; i < n; i++) {
        if (!isfinite(t[i]) || !isfinite(v[i]))
            continue;
        if (k == 0)
            out->first_t = t[i];
        out->last_t = t[i];
        out->last = v[i];
        sorted[k++] = v[i] + 0.0;   /* -0 becomes +0: the order of equal values is open */
        mean += (v[i] - mean) / (double)k;  /* running mean: no overflow */
    }
    out->mean = mean;
    stats_percentiles(sorted, k, out);
    out->trend_per_day = stats_slope(t, v, n) * STATS_SECONDS_PER_DAY;
    out->trend_se_per_day = stats_slope_se(t, v, n) * STATS_SECONDS_PER_DAY;
    free(sorted);
    return 0;
}

/*
 * The exceedance levels e_k = 2^(-k/8): 2^(-floor(k/8)) (ldexp, exact)
 * times 2^(-(k mod 8)/8) from this table (the nearest doubles), so that
 * every build reads the same levels, without libm's exp2.
 */
static const double eighth_powers[8] = {
    1.0,
    0.91700404320467122,    /* 2^(-1/8) */
    0.8408964152537145,     /* 2^(-2/8) */
    0.77110541270397037,    /* 2^(-3/8) */
    0.70710678118654757,    /* 2^(-4/8) */
    0.64841977732550482,    /* 2^(-5/8) */
    0.59460355750136051,    /* 2^(-6/8) */
    0.54525386633262884,    /* 2^(-7/8) */
};

double stats_exceedance_level(size_t k)
{
    if (k >= STATS_EXCEEDANCE_LEVELS)
        return NAN;
    if (k == STATS_EXCEEDANCE_LEVELS - 1)
        return 0.0;
    return ldexp(eighth_powers[k % 8], -(int)(k / 8));
}

/*
 * Exceedance table (stats.h): entry k = the type-7 percentile of the
 * finite values at p_k = 1 - e_k, that is with h = (n - 1) p_k,
 * lo = floor(h): x[lo] + (h - lo) (x[lo + 1] - x[lo]), x sorted, exactly
 * what stats_percentile_sorted gives.  The positions lo only grow with k,
 * so each is selected (select_kth) among the values above the last one
 * placed, as stats_percentiles does, rather than sorting: most levels sit
 * in the top few percent, and the selections there are short; lo + 1
 * right after lo is the least of the rest, one scan.  0.24 ms a series of
 * 8,640 points here (stats_compute: 0.085 ms): 2.4 s of a 10,000-service
 * fetch.
 *
 * Why a table and not the count above one threshold: the threshold (the
 * SLO, and the SLO over 1 - p99_reduction for the rewrite) is an
 * assumption that may change after the fetch, on the Cost screen, while
 * the points are gone; the table answers any threshold.  Why these
 * levels: geometric, 8 a halving, so the error of reading between two is
 * at most 8.3 % of the fraction read, down to 2^-14 of the time (a
 * minute a week; 0.045 hours of a 730-hour month), below which only the
 * maximum remains.  114 numbers a series, about 2.3 kB of a snapshot:
 * 23 MB for 10,000 services, next to the charts' 128 MiB.
 * Example: x = 10, 20, ..., 100 (n = 10): entry 0 (e = 1) is 10; entry 8
 * (e = 1/2, h = 4.5) is 55; the last (e = 0) is 100.
 */
int stats_exceedance(const double *v, size_t n, double *table)
{
    double *a;
    size_t i, k, m = 0, placed = SIZE_MAX;

    if (v == NULL)
        n = 0;
    for (i = 0; i < n; i++)
        m += isfinite(v[i]) != 0;
    if (m == 0) {
        for (k = 0; k < STATS_EXCEEDANCE_LEVELS; k++)
            table[k] = NAN;
        return 0;
    }
    a = malloc(m * sizeof(*a));
    if (a == NULL)
        return -1;
    m = 0;
    for (i = 0; i < n; i++)
        if (isfinite(v[i]))
            a[m++] = v[i] + 0.0;
    for (k = 0; k < STATS_EXCEEDANCE_LEVELS; k++) {
        double h = (double)(m - 1) * (1.0 - stats_exceedance_level(k)), frac, lo_v, hi_v;
        size_t lo = (size_t)floor(h), j;

        if (lo >= m - 1)
            lo = m - 1;
        frac = h - (double)lo;
        /* place lo, then lo + 1: a position at or below `placed` is
         * already where a sort would put it */
        for (j = lo; j <= lo + 1 && j < m; j++) {
            size_t from = placed == SIZE_MAX ? 0 : placed + 1, i_min, q;

            if (placed != SIZE_MAX && j <= placed)
                continue;
            if (j == from) {
                /* the next position: the least of the rest, by one scan */
                for (i_min = q = from; q < m; q++)
                    if (a[q] < a[i_min])
                        i_min = q;
                swap_double(&a[from], &a[i_min]);
            } else {
                select_kth(a, from, m, j);
            }
            placed = j;
        }
        lo_v = a[lo];
        hi_v = lo + 1 < m ? a[lo + 1] : lo_v;
        table[k] = lo == m - 1 ? lo_v : lo_v + frac * (hi_v - lo_v);
    }
    free(a);
    return 0;
}

/*
 * The fraction of time above x, from the table: entries q_k rise with k
 * (the fraction above them, e_k, falls), so with k the last entry at or
 * below x (q_k <= x < q_{k+1}),
 *     above(x) = e_k - (e_k - e_{k+1}) (x - q_k) / (q_{k+1} - q_k),
 * the table's percentiles read backwards with the CDF linear between
 * them; 1 below the minimum, 0 at or above the maximum.  This is 1 - F(x)
 * for F the type-7 (linear) empirical CDF wherever the points between two
 * entries are evenly spread, and never further from it than
 * e_k - e_{k+1}.
 * Example: 10, 20, ..., 100 as above: above(55) = 1/2; above(100) = 0;
 * above(5) = 1; between entries 8 (55) and 9 (e = 0.458502, h = 4.87348,
 * 58.7348), above(57) = 0.5 - 0.041498 * 2 / 3.7348 = 0.47778, which is
 * the type-7 CDF's 1 - (4 + 0.7) / 9 (points evenly spread: exact).
 */
double stats_fraction_above(const double *table, double x)
{
    size_t lo = 0, hi = STATS_EXCEEDANCE_LEVELS - 1;
    double q0, q1, e0, e1;

    if (table == NULL || isnan(x) || isnan(table[0]) || isnan(table[hi]))
        return NAN;
    if (x < table[0])
        return 1.0;
    if (x >= table[hi])
        return 0.0;
    /* table[lo] <= x < table[hi]: bisect to neighbours */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (table[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    q0 = table[lo];
    q1 = table[hi];
    e0 = stats_exceedance_level(lo);
    e1 = stats_exceedance_level(hi);
    return e0 - (e0 - e1) * (x - q0) / (q1 - q0);
}

/*
 * Buckets: nb equal-width buckets over [start_s, end_s), dt = span / nb;
 * a point at t falls in bucket floor((t - start_s) / dt).  Points outside
 * the span, or with a non-finite timestamp, are ignored; a non-finite value
 * inside the span is ignored too (its bucket may end up empty = NaN).
 * nb is max_buckets clamped to 1..CHART_MAX_BUCKETS and then to the number
 * of points whose timestamp lies in the span (at least 1): a chart never
 * has more buckets than points, so evenly spaced points fill one bucket
 * each instead of leaving every other bucket empty.  A span that is not
 * finite or not positive is an error (-1).
 * Example: points at t = 0, 10, 50, 55 (values 1, 3, 5, 7), span [0, 60),
 * max_buckets 3: dt = 20; bucket 0 = {1, 3}: min 1, max 3, mean 2;
 * bucket 1 is empty (NaN); bucket 2 = {5, 7}: min 5, max 7, mean 6.
 */
int chart_reduce(const double *t, const double *v, size_t n, double start_s,
                 double end_s, size_t max_buckets, struct chart *out)
{
    size_t *counts = NULL;
    size_t i, nb, in_span = 0;
    double dt;

    memset(out, 0, sizeof(*out));
    if (!isfinite(start_s) || !isfinite(end_s) || !(end_s > start_s))
        return -1;
    if (t == NULL || v == NULL)
        n = 0;
    for (i = 0; i < n; i++)
        if (t[i] >= start_s && t[i] < end_s)
            in_span++;

    nb = max_buckets;
    if (nb > CHART_MAX_BUCKETS)
        nb = CHART_MAX_BUCKETS;
    if (nb > in_span)
        nb = in_span;
    if (nb < 1)
        nb = 1;
    dt = (end_s - start_s) / (double)nb;

    out->min = malloc(nb * sizeof(double));
    out->max = malloc(nb * sizeof(double));
    out->mean = malloc(nb * sizeof(double));
    counts = calloc(nb, sizeof(*counts));
    if (out->min == NULL || out->max == NULL || out->mean == NULL || counts == NULL)
        goto fail;

    for (i = 0; i < nb; i++) {
        out->min[i] = NAN;
        out->max[i] = NAN;
        out->mean[i] = 0;
    }
    for (i = 0; i < n; i++) {
        size_t b;

        if (!(t[i] >= start_s && t[i] < end_s) || !isfinite(v[i]))
            continue;
        b = (size_t)((t[i] - start_s) / dt);
        if (b >= nb)            /* rounding just below end_s */
            b = nb - 1;
        if (counts[b] == 0 || v[i] < out->min[b])
            out->min[b] = v[i];
        if (counts[b] == 0 || v[i] > out->max[b])
            out->max[b] = v[i];
        out->mean[b] += v[i];
        counts[b]++;
    }
    for (i = 0; i < nb; i++)
        out->mean[i] = counts[i] > 0 ? out->mean[i] / (double)counts[i] : NAN;

    free(counts);
    out->n = nb;
    out->t0_s = start_s;
    out->dt_s = dt;
    return 0;

fail:
    free(counts);
    chart_done(out);
    return -1;
}

void chart_done(struct chart *c)
{
    if (c == NULL)
        return;
    free(c->min);
    free(c->max);
    free(c->mean);
    memset(c, 0, sizeof(*c));
}

/*
 * Coarse fraction above x from the chart alone.  A bucket wholly above x
 * (min > x) counts 1, wholly at or below (max <= x) 0; one that straddles
 * x counts its points as spread evenly between its extremes,
 *     u = (max - x) / (max - min),
 * held inside what its min, mean and max allow whatever the points are:
 * a share f above x makes mean > min + f (x - min) and mean <=
 * x + f (max - x), so
 *     (mean - x) / (max - x)  <=  f  <  (mean - min) / (x - min).
 * The clamp matters for the spikes an SLO is about: an hour of p99 at 1,
 * one 5-minute point at 10 (mean 1.75), x = 5: even spread says 5/9 of
 * the hour, the bound 0.75 / 4 = 0.19 (the truth, 1/12).  The fraction is
 * the mean over the buckets holding a point (equal widths, so equal time).
 * Still coarse, and high where hours hold a spike or two: the demo's
 * payments-core reads 18.3 hours a month above 500 ms off its hourly
 * chart, 8.9 off its exceedance table (uniform spread alone said 35.9).
 * Example: buckets [1, 3] (mean 2), [2, 2], [NaN]; x = 2: the first 0.5
 * (inside [0, 1)), the second 0: mean 0.25.
 */
double chart_fraction_above(const struct chart *c, double x)
{
    double sum = 0;
    size_t i, k = 0;

    if (c == NULL || c->min == NULL || c->max == NULL || isnan(x))
        return NAN;
    for (i = 0; i < c->n; i++) {
        double lo = c->min[i], hi = c->max[i];

        if (!isfinite(lo) || !isfinite(hi))
            continue;
        k++;
        if (lo > x) {
            sum += 1.0;
        } else if (hi > x) {
            double f = (hi - x) / (hi - lo), mean = c->mean != NULL ? c->mean[i] : NAN;

            if (isfinite(mean) && x > lo && f > (mean - lo) / (x - lo))
                f = (mean - lo) / (x - lo);
            if (isfinite(mean) && mean > x && f < (mean - x) / (hi - x))
                f = (mean - x) / (hi - x);
            sum += f;
        }
    }
    return k > 0 ? sum / (double)k : NAN;
}
