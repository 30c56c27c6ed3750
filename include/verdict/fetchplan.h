/* fetchplan.h: choose the step and split a range into chunks a server accepts. */
#ifndef VERDICT_FETCHPLAN_H
#define VERDICT_FETCHPLAN_H

#include <stddef.h>

/* Prometheus refuses a range query whose (end - start) / step exceeds
 * 11,000 points per series; VictoriaMetrics allows 30,000.  verdict stays
 * under the smaller limit so one plan works against both. */
#define FETCHPLAN_MAX_POINTS 11000

/* The step when none is configured: the smallest "round" step (15s, 30s,
 * 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 6h, 12h, 1d) that keeps the range
 * under `target_points` points (e.g. 30 days -> 5m for a target of 10,000).
 * range_s > 0. */
double fetchplan_auto_step(double range_s, double target_points);

/* Align a range to the step grid: end is rounded down to a multiple of
 * step (VictoriaMetrics aligns this way; aligning first makes both servers
 * return the same timestamps), start = end - range rounded to a whole
 * number of steps.  Returns the number of grid points,
 * floor((end - start) / step) + 1. */
size_t fetchplan_align(double end_s, double range_s, double step_s,
                       double *start_out, double *end_out);

struct fetch_chunk {
    double start_s;     /* inclusive, on the grid */
    double end_s;       /* inclusive, on the grid */
    size_t first_index; /* grid index of start_s */
    size_t points;      /* grid points in the chunk */
};

/* Split the grid [start, end] (on step) into chunks of at most max_points
 * grid points each, consecutive and non-overlapping: the next chunk starts
 * one step after the previous one ends, so no point is fetched twice or
 * missed at a seam.  Writes at most cap chunks and returns how many are
 * needed. */
size_t fetchplan_chunks(double start_s, double end_s, double step_s, size_t max_points,
                        struct fetch_chunk *out, size_t cap);

#endif /* VERDICT_FETCHPLAN_H */
