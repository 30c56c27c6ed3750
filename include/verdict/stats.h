/* stats.h: statistics over a time series, and its reduction to a chart. */
#ifndef VERDICT_STATS_H
#define VERDICT_STATS_H

#include <stddef.h>

/*
 * Summary of one series over the queried range.  Points whose value is NaN
 * (or +-Inf) are skipped, never propagated; they count as gaps.  With no
 * usable point, count is 0 and every double field is NaN.
 */
struct series_stats {
    size_t count;          /* finite points used */
    size_t gaps;           /* expected points missing or not finite */
    double first_t;        /* unix seconds of the first finite point */
    double last_t;         /* unix seconds of the last finite point */
    double min;
    double max;
    double mean;
    double p50;            /* percentiles over time, linear interpolation */
    double p95;            /*   between closest ranks (Hyndman-Fan type 7) */
    double p99;
    double last;           /* value of the last finite point */
    double trend_per_day;  /* least-squares slope, units per day */
    double trend_se_per_day;  /* its noise: the slope's standard error for
                                 autocorrelated residuals (stats_slope_se),
                                 units per day; NaN when unknown (fewer than
                                 3 points, or a snapshot written before it) */
};

/* Compute stats over n points (t[i] unix seconds ascending, v[i] values).
 * step_s > 0 is the expected spacing: a jump of more than 1.5 steps between
 * consecutive points counts the missing steps as gaps; step_s <= 0 counts
 * only non-finite values.  Allocates n doubles internally and frees them.
 * Returns 0, or -1 when that allocation fails (*out then untouched). */
int stats_compute(const double *t, const double *v, size_t n, double step_s,
                  struct series_stats *out);

/* Percentile p in [0, 100] of the n values in `sorted` (ascending, all
 * finite), type 7 interpolation.  NaN when n == 0. */
double stats_percentile_sorted(const double *sorted, size_t n, double p);

/* Least-squares slope dv/dt (units per second) over the finite points;
 * NaN with fewer than 2 finite points or all t equal. */
double stats_slope(const double *t, const double *v, size_t n);

/* The noise of stats_slope: its standard error, widened by the residuals'
 * lag-1 autocorrelation (models/stats.c says how).  Units per second; NaN
 * with fewer than 3 finite points or all t equal. */
double stats_slope_se(const double *t, const double *v, size_t n);

/*
 * Exceedance table: how long a series spent above any threshold, kept in
 * STATS_EXCEEDANCE_LEVELS numbers.  Entry k is the value the series
 * exceeded a fraction e_k of the time, that is its type-7 percentile at
 * 100 (1 - e_k), at the fixed levels
 *     e_k = 2^(-k/8),  k = 0 .. STATS_EXCEEDANCE_LEVELS - 2  (1 down to 2^-14),
 *     e   = 0          for the last entry (the maximum);
 * entry 0 is the minimum.  The levels are geometric, so the table is as
 * fine in the upper tail (where an SLO is breached) as in the bulk,
 * relative to the fraction read.  See stats_exceedance.
 */
#define STATS_EXCEEDANCE_LEVELS 114

/* e_k, the fraction of time above entry k (1 for k = 0, 0 for the last);
 * NaN for k out of range. */
double stats_exceedance_level(size_t k);

/* Fill table[STATS_EXCEEDANCE_LEVELS] from the finite values among v[0..n)
 * (the order of v does not matter; NaN and +-Inf are gaps and skipped).
 * With no finite value every entry is NaN.  Allocates n doubles and frees
 * them; returns 0, or -1 when that fails (table untouched). */
int stats_exceedance(const double *v, size_t n, double *table);

/* The fraction of time, 0..1, the series of `table` spent above x (the
 * table read backwards, linear between entries); NaN when the table is
 * NULL or empty or x is NaN.  Exact for points evenly spread between two
 * entries; in any case within the spacing e_k - e_{k+1} of the entries
 * around x (8.3 % of the fraction read) plus one point, 1/(n - 1). */
double stats_fraction_above(const double *table, double x);

#define CHART_MAX_BUCKETS 1024

/*
 * A series reduced for drawing: n buckets of equal width dt_s starting at
 * t0_s; bucket i covers [t0_s + i*dt_s, t0_s + (i+1)*dt_s).  A bucket with
 * no finite point holds NaN in all three arrays (a gap in the chart).
 */
struct chart {
    size_t n;
    double t0_s;
    double dt_s;
    double *min;   /* owned, n each */
    double *max;
    double *mean;
};

/* Reduce n points into at most max_buckets (1..CHART_MAX_BUCKETS) buckets
 * spanning [start_s, end_s).  Allocates the arrays; on failure returns -1
 * and leaves *out zeroed.  chart_done() frees them. */
int chart_reduce(const double *t, const double *v, size_t n, double start_s,
                 double end_s, size_t max_buckets, struct chart *out);
void chart_done(struct chart *c);

/* The fraction of time, 0..1, a chart's series spent above x, read off
 * its buckets alone (each bucket's points taken as spread evenly between
 * its min and max, within what its mean allows): coarse, for snapshots
 * written before the exceedance table.  NaN with no bucket holding a
 * point, or x NaN. */
double chart_fraction_above(const struct chart *c, double x);

#endif /* VERDICT_STATS_H */
