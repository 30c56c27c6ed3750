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

/*
 * The schedule (issue 14, section 6).  The knapsack above chooses the set;
 * this places it on a calendar of months 1..H (the horizon), month m being
 * [m-1, m) from the start of the plan, quarters of three months:
 *
 *   duration D_i  = ceil(months_i), at least 1 (calendar to the last cutover)
 *   demand d_i    = engineer_months_i / D_i   engineer-months in each month
 *                   it runs (effort plus the velocity loss: the capacity
 *                   the team loses while it learns counts as used)
 *   a rewrite of a team starts after the team's previous one is live:
 *                   start_j >= live_i + 1 for i before j in the same team
 *   each quarter q: sum over rewrites of d_i * (months of i in q) <= C
 *                   (C = engineer_months_available, per quarter)
 *   live_i = start_i + D_i - 1 <= H
 *
 * Order: Smith's rule, monthly_benefit_i / D_i, highest first (ties: the
 * lower index, which the analysis gives by rank).  On one team with no
 * capacity limit that order is exact: it minimises the benefit lost to
 * waiting, sum of monthly_benefit_i * live_i (Smith 1956, weighted
 * completion time on one machine).  Each rewrite then takes the earliest
 * start at which its team is free and every quarter it touches has room
 * (list scheduling).  With several teams sharing C that is a heuristic:
 * the problem is a resource-constrained project schedule, NP-hard, and not
 * solved exactly here.  A chosen rewrite that finds no start going live by
 * H is left out (chosen set to 0): that is where the plan can fall short
 * of the knapsack's optimum, which only bounds the total over the horizon
 * (analysis.c).  Nor does a later start re-price a rewrite: its value is
 * the NPV of a start at month 1 (a later one earns fewer months of benefit
 * within the horizon), stated in verdict.yaml(5).
 *
 * Worked example (tests/test_model_portfolio.c): C = 6, H = 12; A (team
 * t, 6 engineer-months over 3 months, 2 a month, benefit 900 a month),
 * B (team t, 3 over 3, 1 a month, 600), X (its own team, 6 over 2, 3 a
 * month, 100).  Ratios A 300, B 200, X 50.  A: months 1-3, quarter 1 uses
 * 6.  B: team t is free at month 4: months 4-6, quarter 2 uses 3.  X:
 * quarter 1 is full (starts 1-3 fail); quarter 2 has 3 left, and a start
 * at 4 or 5 needs 6 there (two months at 3); a start at 6 needs 3 in
 * quarter 2 (month 6) and 3 in quarter 3 (month 7): fits.  Schedule: A
 * 1-3, B 4-6, X 6-7 (live at the end of month 7).
 */
#define PORTFOLIO_MAX_DURATION 100000   /* beyond any horizon */

int portfolio_duration(double months)
{
    double d;

    if (!(months <= PORTFOLIO_MAX_DURATION))
        return PORTFOLIO_MAX_DURATION;      /* NaN or huge: never fits */
    d = ceil(months - PORTFOLIO_EPS);
    return d < 1 ? 1 : (int)d;
}

/* Room left: the capacity with a little slack for rounding in the sums. */
static int portfolio_room(double used, double need, double cap)
{
    return isnan(cap) || used + need <= cap + PORTFOLIO_EPS * fmax(1.0, cap);
}

int portfolio_fits(const struct portfolio_item *item, double capacity_per_quarter,
                   int horizon_months)
{
    int d = portfolio_duration(item->months);
    double em = item->engineer_months;

    if (!isfinite(em) || em < 0 || d > horizon_months)
        return 0;
    return portfolio_room(0.0, em / d * (d < PORTFOLIO_QUARTER_MONTHS ? d
                                                                      : PORTFOLIO_QUARTER_MONTHS),
                          capacity_per_quarter);
}

/* Sort keys for the schedule (qsort's comparators take no context). */
struct portfolio_key {
    size_t item;
    double ratio;           /* Smith's rule; -inf for NaN */
    const char *team;       /* NULL: a team of its own */
    size_t team_id;
};

static int portfolio_by_team(const void *pa, const void *pb)
{
    const struct portfolio_key *a = pa, *b = pb;
    int c;

    if (a->team == NULL || b->team == NULL) {
        if (a->team != NULL || b->team != NULL)
            return a->team == NULL ? 1 : -1;
        return (a->item > b->item) - (a->item < b->item);
    }
    c = strcmp(a->team, b->team);
    return c != 0 ? c : (a->item > b->item) - (a->item < b->item);
}

static int portfolio_by_ratio(const void *pa, const void *pb)
{
    const struct portfolio_key *a = pa, *b = pb;

    if (a->ratio != b->ratio)
        return a->ratio > b->ratio ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

static int portfolio_by_start(const void *pa, const void *pb)
{
    const struct portfolio_slot *a = pa, *b = pb;

    if (a->start_month != b->start_month)
        return a->start_month < b->start_month ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

/* 1 when a rewrite of d a month over months s .. s + dur - 1 fits the
 * quarters' use; with place, adds it. */
static int portfolio_try(double *used, int s, int dur, double d, double cap, int place)
{
    int m = s;

    while (m < s + dur) {
        int q = (m - 1) / PORTFOLIO_QUARTER_MONTHS;
        int q_end = (q + 1) * PORTFOLIO_QUARTER_MONTHS;     /* the quarter's last month */
        int k = (s + dur - 1 < q_end ? s + dur - 1 : q_end) - m + 1;

        if (place)
            used[q] += d * k;
        else if (!portfolio_room(used[q], d * k, cap))
            return 0;
        m += k;
    }
    return 1;
}

size_t portfolio_schedule(const struct portfolio_item *items, size_t n,
                          unsigned char *chosen, double capacity_per_quarter,
                          int horizon_months, struct portfolio_slot *slots)
{
    struct portfolio_key *key = NULL;
    int *free_from = NULL;          /* per team id: the first month the team is free */
    double *used = NULL;            /* per quarter: engineer-months taken */
    size_t nk = 0, i, n_slots = 0, teams = 0;
    int h = horizon_months < 1 ? 1 : horizon_months;
    size_t nq = (size_t)(h + PORTFOLIO_QUARTER_MONTHS - 1) / PORTFOLIO_QUARTER_MONTHS;

    if (items == NULL || chosen == NULL || n == 0)
        return 0;
    key = malloc(n * sizeof(*key));
    free_from = malloc(n * sizeof(*free_from));
    used = calloc(nq, sizeof(*used));
    if (key == NULL || free_from == NULL || used == NULL) {
        n_slots = (size_t)-1;
        goto done;
    }
    for (i = 0; i < n; i++) {
        const struct portfolio_item *it = &items[i];
        double r;

        if (!chosen[i])
            continue;
        r = it->monthly_benefit / portfolio_duration(it->months);
        key[nk].item = i;
        key[nk].ratio = isnan(r) ? -INFINITY : r;
        key[nk].team = it->team != NULL && it->team[0] != '\0' ? it->team : NULL;
        nk++;
    }
    /* team ids: equal names adjacent once sorted by name */
    qsort(key, nk, sizeof(*key), portfolio_by_team);
    for (i = 0; i < nk; i++) {
        if (i == 0 || key[i].team == NULL || key[i - 1].team == NULL ||
            strcmp(key[i].team, key[i - 1].team) != 0)
            free_from[teams++] = 1;
        key[i].team_id = teams - 1;
    }
    qsort(key, nk, sizeof(*key), portfolio_by_ratio);
    for (i = 0; i < nk; i++) {
        const struct portfolio_item *it = &items[key[i].item];
        int dur = portfolio_duration(it->months), s;
        double d = it->engineer_months / dur;

        for (s = free_from[key[i].team_id]; s + dur - 1 <= h; s++)
            if (portfolio_try(used, s, dur, d, capacity_per_quarter, 0))
                break;
        if (s + dur - 1 > h || !(d >= 0)) {
            chosen[key[i].item] = 0;
            continue;
        }
        portfolio_try(used, s, dur, d, capacity_per_quarter, 1);
        free_from[key[i].team_id] = s + dur;
        if (slots != NULL) {
            slots[n_slots].item = key[i].item;
            slots[n_slots].start_month = s;
            slots[n_slots].live_month = s + dur - 1;
        }
        n_slots++;
    }
    if (slots != NULL)
        qsort(slots, n_slots, sizeof(*slots), portfolio_by_start);
done:
    free(used);
    free(free_from);
    free(key);
    return n_slots;
}
