/* fetchplan.c: pick a round step, align a range to it, and cut it into server-sized chunks. */
#include "verdict/fetchplan.h"

#include <math.h>

/* Quotients within this much of the next integer count as that integer:
 * 86400 / 0.1 is 863999.9999999999 in binary floating point. */
#define FETCHPLAN_EPS 1e-9

/* Above this, a grid index no longer fits a double exactly. */
#define FETCHPLAN_MAX_STEPS 4503599627370496.0 /* 2^52 */

/* floor(a / b), taking a quotient a hair below an integer as that integer. */
static double floor_quot(double a, double b)
{
    double q = a / b, k = floor(q);

    if (q - k > 1 - FETCHPLAN_EPS)
        k += 1;
    return k;
}

/*
 * Grid points for a range at a step: floor(range / step) + 1, the count
 * the server returns.  A step "keeps the range under target" when that
 * count is <= target.  Worked examples (target 10,000):
 *   1h   = 3,600 s:      15 s ->    241 points -> 15s
 *   1d   = 86,400 s:     15 s ->  5,761 points -> 15s
 *   30d  = 2,592,000 s:  2m -> 21,601; 5m ->  8,641 -> 5m
 *   365d = 31,536,000 s: 30m -> 17,521; 1h -> 8,761 -> 1h
 * A range too long even for 1d gets the smallest whole number of days
 * that fits, so the answer always keeps the promise.  A target below 2
 * is taken as 2 (a range needs two points: its start and its end).
 */
double fetchplan_auto_step(double range_s, double target_points)
{
    static const double steps[] = {
        15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400,
    };
    size_t i;
    double days;

    if (!(target_points >= 2))
        target_points = 2;
    if (!(range_s > 0) || !isfinite(range_s))
        return steps[0];
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (floor_quot(range_s, steps[i]) + 1 <= target_points)
            return steps[i];
    /* (range / days_s) + 1 <= target  <=>  days >= range / (86400 (target - 1)) */
    days = ceil(range_s / (86400.0 * (floor(target_points) - 1)));
    while (floor_quot(range_s, days * 86400.0) + 1 > target_points)
        days += 1;
    return days * 86400.0;
}

/*
 * end' = floor(end / step) * step; start = end' - floor(range / step) *
 * step.  Both are computed as (integer) * step, so they lie exactly where
 * the server's grid (start + i * step) puts its points.  Example: end
 * 1790899321.5, range 3600, step 60 -> end' 1790899320, 60 steps, start
 * 1790895720, 61 points.  Returns 0 (outputs NaN) for a step <= 0, a
 * negative range or non-finite input.
 */
size_t fetchplan_align(double end_s, double range_s, double step_s,
                       double *start_out, double *end_out)
{
    double kend, ksteps;

    if (start_out != NULL)
        *start_out = NAN;
    if (end_out != NULL)
        *end_out = NAN;
    if (!isfinite(end_s) || !isfinite(range_s) || !isfinite(step_s) || !(step_s > 0) ||
        range_s < 0)
        return 0;
    kend = floor_quot(end_s, step_s);
    ksteps = floor_quot(range_s, step_s);
    if (fabs(kend) >= FETCHPLAN_MAX_STEPS || ksteps >= FETCHPLAN_MAX_STEPS)
        return 0;
    if (start_out != NULL)
        *start_out = (kend - ksteps) * step_s;
    if (end_out != NULL)
        *end_out = kend * step_s;
    return (size_t)ksteps + 1;
}

/*
 * Chunk c covers grid indices [c * max_points, min(n, (c + 1) * max_points))
 * of the n = round((end - start) / step) + 1 points; its times are start +
 * index * step from the integer index, never a running sum, so a seam is
 * exactly one step wide.  A chunk of max_points points spans (max_points -
 * 1) steps: 11,000 points is (end - start) / step = 10,999, which
 * Prometheus accepts.  max_points 0 means FETCHPLAN_MAX_POINTS.  Returns 0
 * for end < start, a step <= 0 or non-finite input.
 */
size_t fetchplan_chunks(double start_s, double end_s, double step_s, size_t max_points,
                        struct fetch_chunk *out, size_t cap)
{
    double q;
    size_t n, needed, c;

    if (!isfinite(start_s) || !isfinite(end_s) || !isfinite(step_s) || !(step_s > 0) ||
        end_s < start_s)
        return 0;
    q = floor((end_s - start_s) / step_s + 0.5);
    if (q >= FETCHPLAN_MAX_STEPS)
        return 0;
    n = (size_t)q + 1;
    if (max_points == 0)
        max_points = FETCHPLAN_MAX_POINTS;
    needed = n / max_points + (n % max_points != 0);
    for (c = 0; c < needed && c < cap; c++) {
        size_t first = c * max_points;
        size_t pts = n - first < max_points ? n - first : max_points;

        out[c].first_index = first;
        out[c].points = pts;
        out[c].start_s = start_s + (double)first * step_s;
        out[c].end_s = start_s + (double)(first + pts - 1) * step_s;
    }
    return needed;
}
