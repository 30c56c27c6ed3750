/* portfolio.c: which rewrites to fund, as a 0/1 knapsack over engineer-months. */
#include "verdict/portfolio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PORTFOLIO_MAX_MONTHS 10000.0   /* capacity clamp, engineer-months */
#define PORTFOLIO_STEPS 10.0           /* effort is counted in tenths */
/* Slack, in tenths, for binary rounding: 0.3 * 10 is 3.0000000000000004,
 * which must count as 3 tenths, not 4.  A set may therefore exceed the
 * capacity by at most n * 1e-10 engineer-months. */
#define PORTFOLIO_EPS 1e-9

/*
 * Weights and capacity, in tenths of an engineer-month:
 *
 *   w_i = ceil(10 * engineer_months_i)     (rounded up: never over capacity)
 *   W   = floor(10 * clamp(capacity, 0, 10000))
 *
 * An item is a candidate when it is eligible, its NPV is finite and > 0, its
 * effort is finite and >= 0, and w_i <= W.  Everything else is never chosen.
 *
 * The DP runs over suffixes, so that reconstruction can walk forwards and
 * settle ties in favour of lower indices.  best_i(c) is the best pair
 * (npv, effort) over subsets of candidates i..n-1 of weight <= c, ordered by
 * higher NPV, then lower effort (in tenths):
 *
 *   best_n(c) = (0, 0)
 *   best_i(c) = max(best_{i+1}(c), best_{i+1}(c - w_i) + (npv_i, w_i))
 *
 * take_i(c) records that the second term won or tied.  Walking i = 0..n-1
 * with c = W and taking item i whenever take_i(c) holds picks, among all
 * optimal sets, the one that holds the lowest index where optimal sets
 * differ.  Ties mean equal double sums as computed (exact for integer NPVs).
 *
 * Worked example: capacity 10, items (6, 100), (5, 70), (5, 60), so W = 100
 * and weights 60, 50, 50.  best_2(100) = 60 (item 2), best_1(100) = 130
 * (items 1 and 2), best_0(100) = max(130, best_1(40) + 100 = 100) = 130:
 * items 1 and 2 are chosen, 10 engineer-months, NPV 130.  Greedy by
 * NPV per month would have taken item 0 (16.7 a month) and stopped at 100.
 *
 * Memory: n * (W' + 1) bits for take, and W' + 1 pairs for best, where
 * W' = min(W, total candidate weight) (no set can use more than that).
 */

/* 1 and the weight in tenths when item it may be chosen under cap_tenths. */
static int portfolio_weight(const struct portfolio_item *it, size_t cap_tenths, size_t *w)
{
    double em = it->engineer_months;
    double t;

    if (!it->eligible || !isfinite(it->npv) || !(it->npv > 0) || !isfinite(em) || em < 0)
        return 0;
    t = ceil(em * PORTFOLIO_STEPS - PORTFOLIO_EPS);
    if (t < 0)
        t = 0;
    if (t > (double)cap_tenths)
        return 0;
    *w = (size_t)t;
    return 1;
}

static size_t portfolio_capacity_tenths(double capacity)
{
    if (!(capacity > 0))
        return 0;
    if (capacity > PORTFOLIO_MAX_MONTHS)
        capacity = PORTFOLIO_MAX_MONTHS;
    capacity = floor(capacity * PORTFOLIO_STEPS + PORTFOLIO_EPS);
    return (size_t)capacity;
}

int portfolio_choose(const struct portfolio_item *items, size_t n, double capacity,
                     unsigned char *chosen, struct portfolio_result *out)
{
    size_t cap = portfolio_capacity_tenths(capacity);
    size_t *w = NULL;           /* weight in tenths; SIZE_MAX: not a candidate */
    double *best_npv = NULL;
    size_t *best_eff = NULL;
    unsigned char *take = NULL; /* bit i * (cols) + c */
    size_t cols, total = 0, i, c;
    int rc = -1;

    if (chosen && n > 0)
        memset(chosen, 0, n);
    if (out) {
        memset(out, 0, sizeof *out);
        out->capacity = capacity;
    }
    if (!items || n == 0)
        return 0;

    if (n > SIZE_MAX / sizeof *w)
        goto done;
    w = malloc(n * sizeof *w);
    if (!w)
        goto done;
    for (i = 0; i < n; i++) {
        if (!portfolio_weight(&items[i], cap, &w[i]))
            w[i] = SIZE_MAX;
        else
            total += w[i];      /* each <= cap <= 100000: no overflow */
    }
    if (total < cap)
        cap = total;
    cols = cap + 1;
    if (n > SIZE_MAX / 8 / cols)
        goto done;
    best_npv = malloc(cols * sizeof *best_npv);
    best_eff = malloc(cols * sizeof *best_eff);
    take = calloc((n * cols + 7) / 8, 1);
    if (!best_npv || !best_eff || !take)
        goto done;
    for (c = 0; c < cols; c++) {
        best_npv[c] = 0;
        best_eff[c] = 0;
    }

    for (i = n; i-- > 0;) {
        double npv = items[i].npv;

        if (w[i] == SIZE_MAX)
            continue;
        /* Downwards, so best[c - w] still holds best_{i+1}. */
        for (c = cap + 1; c-- > w[i];) {
            double t_npv = best_npv[c - w[i]] + npv;
            size_t t_eff = best_eff[c - w[i]] + w[i];

            if (t_npv > best_npv[c] || (t_npv == best_npv[c] && t_eff <= best_eff[c])) {
                size_t bit = i * cols + c;

                take[bit / 8] |= (unsigned char)(1u << (bit % 8));
                best_npv[c] = t_npv;
                best_eff[c] = t_eff;
            }
        }
    }

    c = cap;
    for (i = 0; i < n; i++) {
        size_t bit = i * cols + c;

        if (w[i] == SIZE_MAX || !(take[bit / 8] & (1u << (bit % 8))))
            continue;
        c -= w[i];
        if (chosen)
            chosen[i] = 1;
        if (out) {
            out->n_chosen++;
            out->engineer_months += items[i].engineer_months;
            out->npv += items[i].npv;
        }
    }
    rc = 0;

done:
    if (rc != 0) {
        if (chosen)
            memset(chosen, 0, n);
    }
    free(take);
    free(best_eff);
    free(best_npv);
    free(w);
    return rc;
}
