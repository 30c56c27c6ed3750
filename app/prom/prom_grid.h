/* prom_grid.h: the time grid a range query's samples are combined onto, shared by both decoders. */
#ifndef VERDICT_PROM_GRID_H
#define VERDICT_PROM_GRID_H

#include <math.h>
#include <stddef.h>

#include "verdict/json_number.h"
#include "verdict/prom_decode.h"

/*
 * prom_decode.c (the general path) and prom_decode_fast.c (the usual
 * matrix, in one pass) put samples on the grid the same way, in the same
 * order, so both give the same numbers.  Private to the two decoders.
 */

/* A sample value longer than this is not a number Prometheus writes
 * (Go's strconv.FormatFloat 'f'/'e' output stays under 30 bytes). */
#define PROM_DECODE_NUMBER_MAX JSON_NUMBER_MAX
struct prom_grid {
    double start;
    double step;
    size_t n;
    double *v;
    enum prom_combine how;
    size_t lo, hi;    /* indices written, for the overflow pass */
    int overflow;     /* a sum became infinite */
};

/*
 * Nearest grid index for time t: k = floor((t - start) / step + 1/2), so
 * a sample exactly half a step from two points goes to the later one and
 * one more than half a step outside [start, start + (n - 1) step] has no
 * index (off grid).  NaN and huge times fail the comparisons and are off
 * grid too.  Example: start 1000, step 60, t 1031 -> (31/60 + .5) = 1.02
 * -> 1; t 965 -> -0.08 -> off grid.
 */
static inline int prom_grid_index(const struct prom_grid *g, double t, size_t *k)
{
    double x = floor((t - g->start) / g->step + 0.5);

    if (!(x >= 0) || !(x < (double)g->n))
        return -1;
    *k = (size_t)x;
    return 0;
}

/* Combine v into index k.  NaN is missing: it never replaces a value. */
static inline void prom_grid_put(struct prom_grid *g, size_t k, double v)
{
    double *cell = &g->v[k];

    if (isnan(v))
        return;
    if (isnan(*cell)) {
        *cell = v;
    } else if (g->how == PROM_COMBINE_MAX) {
        if (v > *cell)
            *cell = v;
    } else {
        *cell += v;
        if (!isfinite(*cell))
            g->overflow = 1;
    }
    if (k < g->lo)
        g->lo = k;
    if (k > g->hi)
        g->hi = k;
}

/* The usual success matrix, decoded straight from the bytes into g and
 * tally (n_series, n_points, off_grid): 1.  Anything else: 0, with g and
 * tally as they were, for the general path.  dp is the locale's decimal
 * point.  (prom_decode_fast.c) */
int prom_decode_fast(const char *body, size_t len, long http_status, struct prom_grid *g,
                     const char *dp, struct prom_decode_info *tally);

#endif /* VERDICT_PROM_GRID_H */
