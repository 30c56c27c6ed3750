/* test_model_portfolio.c: the knapsack that picks which rewrites to fund. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/portfolio.h"

/* Totals are sums of a few doubles: checked to 1e-9. */
#define TOL 1e-9
#define MAX_ITEMS 8

struct pf_case {
    const char *name;
    double capacity;
    size_t n;
    struct portfolio_item items[MAX_ITEMS];
    const char *want;       /* chosen[i] as '0'/'1', one per item */
    double npv, months;
};

/* An item for the knapsack alone: no team, no calendar. */
#define IT(em, npv, eligible) { (em), (npv), (eligible), NULL, 0, 0 }

/* Items are IT(engineer_months, npv, eligible).  Weights below are in tenths,
 * ceil(10 * months); each comment lists the sets that compete. */
static const struct pf_case cases[] = {
    /* {1,2}: 10 months, 130 beats {0}: 6 months, 100; {0,1} is 11 > 10. */
    {"two fives beat the six", 10, 3, {IT(6, 100, 1), IT(5, 70, 1), IT(5, 60, 1)}, "011", 130, 10},
    /* Ratios 6, 5, 4 a month: greedy takes 0 and 1 (30 months, 160) and
     * cannot fit 2; {1,2} is 50 months, 220. */
    {"greedy by ratio fails", 50, 3, {IT(10, 60, 1), IT(20, 100, 1), IT(30, 120, 1)}, "011", 220, 50},
    /* Greedy takes the ratio-2 item and then nothing fits: 2; optimum 10. */
    {"greedy misses the big one", 10, 2, {IT(1, 2, 1), IT(10, 10, 1)}, "01", 10, 10},
    /* {0}: 50 in 4 months ties {1,2}: 50 in 6; less effort wins. */
    {"npv tie, less effort", 6, 3, {IT(4, 50, 1), IT(3, 30, 1), IT(3, 20, 1)}, "100", 50, 4},
    /* {1,2}: 50 in 4 months beats {0}: 50 in 6, lower index or not. */
    {"less effort before lower index", 6, 3, {IT(6, 50, 1), IT(2, 25, 1), IT(2, 25, 1)}, "011", 50,
     4},
    /* {0,1}, {0,3}, {1,2}, {2,3} are all 30 in 3 months: the lowest
     * indices, {0,1}, win. */
    {"full tie, lower indices", 3, 4, {IT(2, 20, 1), IT(1, 10, 1), IT(2, 20, 1), IT(1, 10, 1)}, "1100",
     30, 3},
    {"identical items", 5, 2, {IT(5, 50, 1), IT(5, 50, 1)}, "10", 50, 5},
    /* Capacity 0 still fits an item of no effort. */
    {"zero capacity", 0, 2, {IT(1, 10, 1), IT(0, 5, 1)}, "01", 5, 0},
    {"negative capacity is 0", -5, 2, {IT(1, 10, 1), IT(0, 5, 1)}, "01", 5, 0},
    {"NaN capacity is 0", NAN, 2, {IT(1, 10, 1), IT(0, 5, 1)}, "01", 5, 0},
    {"exactly at capacity", 7.5, 1, {IT(7.5, 10, 1)}, "1", 10, 7.5},
    /* 3.01 months is 31 tenths, over 30. */
    {"3.01 does not fit 3.0", 3, 2, {IT(3.01, 100, 1), IT(3, 1, 1)}, "01", 1, 3},
    /* 31 + 1 tenths is over 31: the 3.01 counts as 3.1, not 3.01. */
    {"effort rounds up", 3.1, 2, {IT(3.01, 100, 1), IT(0.1, 50, 1)}, "10", 100, 3.01},
    /* Effort 0.1 + 0.2 is 0.30000000000000004 in binary: still 3 tenths. */
    {"binary noise is not effort", 0.3, 2, {IT(0.1 + 0.2, 2, 1), IT(0.1, 1, 1)}, "10", 2, 0.3},
    /* Capacity 0.7 - 0.4 is 0.29999999999999993: still 3 tenths. */
    {"binary noise is not capacity", 0.7 - 0.4, 1, {IT(0.3, 1, 1)}, "1", 1, 0.3},
    {"ineligible, zero and negative NPV", 100, 4,
     {IT(1, 100, 0), IT(1, 0, 1), IT(1, -5, 1), IT(1, 10, 1)}, "0001", 10, 1},
    {"NaN and negative effort, NaN and Inf NPV", 100, 5,
     {IT(NAN, 100, 1), IT(-1, 100, 1), IT(1, NAN, 1), IT(1, INFINITY, 1), IT(2, 3, 1)}, "00001", 3, 2},
    /* Clamped to 10000 months = 100000 tenths; 10000.1 is 100001. */
    {"capacity clamped", 1e9, 2, {IT(10000, 1, 1), IT(10000.1, 5, 1)}, "10", 1, 10000},
    {"too big for capacity", 4, 2, {IT(5, 100, 1), IT(1e300, 100, 1)}, "00", 0, 0},
};

static void check_case(const struct pf_case *tc)
{
    unsigned char chosen[MAX_ITEMS];
    struct portfolio_result r;
    size_t i, n_want = 0;

    memset(chosen, 0xAA, sizeof chosen);
    assert_int_equal(portfolio_choose(tc->items, tc->n, tc->capacity, chosen, &r), 0);
    for (i = 0; i < tc->n; i++) {
        if (chosen[i] != (tc->want[i] == '1'))
            fail_msg("%s: chosen[%zu] = %d, want %c", tc->name, i, chosen[i], tc->want[i]);
        n_want += tc->want[i] == '1';
    }
    if (r.n_chosen != n_want)
        fail_msg("%s: n_chosen = %zu, want %zu", tc->name, r.n_chosen, n_want);
    if (!(fabs(r.npv - tc->npv) <= TOL))
        fail_msg("%s: npv = %.9f, want %.9f", tc->name, r.npv, tc->npv);
    if (!(fabs(r.engineer_months - tc->months) <= TOL))
        fail_msg("%s: months = %.9f, want %.9f", tc->name, r.engineer_months, tc->months);
    /* Echoed as given, before clamping (NaN stays NaN). */
    if (isnan(tc->capacity))
        assert_true(isnan(r.capacity));
    else
        assert_true(r.capacity == tc->capacity);
}

static void test_cases(void **state)
{
    size_t k;

    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
        check_case(&cases[k]);
}

static void test_empty(void **state)
{
    struct portfolio_result r;

    (void)state;
    memset(&r, 0xAA, sizeof r);
    assert_int_equal(portfolio_choose(NULL, 0, 12.5, NULL, &r), 0);
    assert_int_equal(r.n_chosen, 0);
    assert_true(r.npv == 0 && r.engineer_months == 0 && r.capacity == 12.5);
    /* out and chosen may both be NULL. */
    assert_int_equal(portfolio_choose(cases[0].items, cases[0].n, 10, NULL, NULL), 0);
}

/* xorshift64*: a fixed sequence on every platform. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static unsigned rng_below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) >> 33) % n;
}

#define BF_MAX 12

/*
 * Every subset of up to 12 items with integer NPVs (so sums are exact and
 * ties frequent) and efforts in tenths, some given as tenths - 0.05 to
 * check the rounding up.  The best subset by the header's order: highest
 * NPV, then lowest effort in tenths, then the one holding the lowest index
 * where the two differ.
 */
static void test_brute_force(void **state)
{
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    int round;

    (void)state;
    for (round = 0; round < 200; round++) {
        struct portfolio_item items[BF_MAX];
        unsigned tenths[BF_MAX];
        unsigned char chosen[BF_MAX];
        struct portfolio_result r;
        unsigned n = rng_below(&seed, BF_MAX + 1);
        unsigned cap = rng_below(&seed, 120);
        unsigned long mask, best = 0;
        long best_npv = 0;
        unsigned best_eff = 0, i;

        for (i = 0; i < n; i++) {
            tenths[i] = rng_below(&seed, 60);
            items[i].engineer_months = tenths[i] / 10.0;
            if (tenths[i] > 0 && rng_below(&seed, 3) == 0)
                items[i].engineer_months -= 0.05;
            items[i].npv = (double)rng_below(&seed, 12) - 3;   /* -3..8 */
            items[i].eligible = rng_below(&seed, 6) != 0;
        }
        for (mask = 1; mask < (1UL << n); mask++) {
            long npv = 0;
            unsigned eff = 0, ok = 1;

            for (i = 0; i < n && ok; i++) {
                if (!(mask & (1UL << i)))
                    continue;
                ok = items[i].eligible && items[i].npv > 0;
                npv += (long)items[i].npv;
                eff += tenths[i];
            }
            if (!ok || eff > cap)
                continue;
            if (npv > best_npv || (npv == best_npv && eff < best_eff) ||
                (npv == best_npv && eff == best_eff && ((mask ^ best) & -(mask ^ best) & mask))) {
                best = mask;
                best_npv = npv;
                best_eff = eff;
            }
        }

        assert_int_equal(portfolio_choose(items, n, cap / 10.0, chosen, &r), 0);
        for (i = 0; i < n; i++) {
            if (chosen[i] != !!(best & (1UL << i)))
                fail_msg("round %d: item %u chosen %d, brute force %d", round, i, chosen[i],
                         !!(best & (1UL << i)));
        }
        assert_true(r.npv == (double)best_npv);
        assert_true(r.engineer_months <= cap / 10.0 + 1e-9);
    }
}

/* ---- the schedule --------------------------------------------------------- */

/* An item for the schedule. */
static struct portfolio_item sched_item(double em, const char *team, double months,
                                        double benefit)
{
    struct portfolio_item it = { em, 1, 1, team, months, benefit };

    return it;
}

/*
 * portfolio.c's worked example, worked by hand there: C = 6 a quarter,
 * H = 12.  A (team t, 6 em over 3 months, 900 a month), B (team t, 3 over
 * 3, 600), X (its own team, 6 over 2, 100).  A 1-3, B 4-6 (after A, its
 * team's), X 6-7 (quarter 1 is full, quarter 2 has 3 left).  The old plan
 * had no calendar: the three were 15 engineer-months "this quarter".
 */
static void test_schedule_worked(void **state)
{
    struct portfolio_item it[3];
    struct portfolio_slot sl[3];
    unsigned char chosen[3] = { 1, 1, 1 };

    (void)state;
    it[0] = sched_item(6, "t", 3, 900);
    it[1] = sched_item(3, "t", 3, 600);
    it[2] = sched_item(6, NULL, 2, 100);
    assert_int_equal(portfolio_schedule(it, 3, chosen, 6, 12, sl), 3);
    assert_int_equal(sl[0].item, 0);
    assert_int_equal(sl[0].start_month, 1);
    assert_int_equal(sl[0].live_month, 3);
    assert_int_equal(sl[1].item, 1);
    assert_int_equal(sl[1].start_month, 4);
    assert_int_equal(sl[1].live_month, 6);
    assert_int_equal(sl[2].item, 2);
    assert_int_equal(sl[2].start_month, 6);
    assert_int_equal(sl[2].live_month, 7);
    /* no capacity limit: only the team waits; X from month 1 */
    assert_int_equal(portfolio_schedule(it, 3, chosen, NAN, 12, sl), 3);
    assert_int_equal(sl[0].item, 0);
    assert_int_equal(sl[1].item, 2);
    assert_int_equal(sl[1].start_month, 1);
    assert_int_equal(sl[2].item, 1);
    assert_int_equal(sl[2].start_month, 4);
    /* a horizon of 5: B cannot go live by month 5 after A: left out */
    assert_int_equal(portfolio_schedule(it, 3, chosen, NAN, 5, sl), 2);
    assert_int_equal(chosen[1], 0);
    assert_int_equal(chosen[0], 1);
    assert_int_equal(chosen[2], 1);
}

/* Smith's rule on one team: benefit / duration, highest first.  A (100 a
 * month over 4 months: 25), B (60 over 1: 60), so B then A: the benefit
 * lost waiting is 60 * 1 + 100 * 5 = 560 against 100 * 4 + 60 * 5 = 700
 * the other way. */
static void test_schedule_smith(void **state)
{
    struct portfolio_item it[2];
    struct portfolio_slot sl[2];
    unsigned char chosen[2] = { 1, 1 };

    (void)state;
    it[0] = sched_item(4, "t", 4, 100);
    it[1] = sched_item(1, "t", 1, 60);
    assert_int_equal(portfolio_schedule(it, 2, chosen, NAN, 24, sl), 2);
    assert_int_equal(sl[0].item, 1);
    assert_int_equal(sl[0].live_month, 1);
    assert_int_equal(sl[1].item, 0);
    assert_int_equal(sl[1].start_month, 2);
    assert_int_equal(sl[1].live_month, 5);
}

/* portfolio_fits: within the horizon and within a quarter's capacity
 * alone; duration ceil(months), at least 1. */
static void test_schedule_fits(void **state)
{
    struct portfolio_item a = sched_item(12, NULL, 4, 0), b = sched_item(2, NULL, 0.2, 0);

    (void)state;
    assert_int_equal(portfolio_duration(2.5), 3);
    assert_int_equal(portfolio_duration(3.0), 3);
    assert_int_equal(portfolio_duration(0), 1);
    assert_true(portfolio_duration(NAN) > 240);
    assert_true(portfolio_fits(&a, 9, 24));          /* 3 a month, 9 a quarter */
    assert_false(portfolio_fits(&a, 8.9, 24));
    assert_false(portfolio_fits(&a, NAN, 3));        /* 4 months in a horizon of 3 */
    assert_true(portfolio_fits(&a, NAN, 4));
    assert_true(portfolio_fits(&b, 2, 1));           /* 2 in its one month */
}

/*
 * Random plans, checked against the rules rather than an answer: every
 * slot within the horizon, its duration ceil(months); no two of a team
 * overlap; every quarter's demand, summed here month by month, within C;
 * only chosen items are scheduled, and every item left in is.
 */
static void test_schedule_rules(void **state)
{
    static const char *const teams[] = { "a", "b", "c", NULL };
    uint64_t seed = 0x1234567ULL;
    int round;

    (void)state;
    for (round = 0; round < 300; round++) {
        struct portfolio_item it[BF_MAX];
        struct portfolio_slot sl[BF_MAX];
        unsigned char chosen[BF_MAX], was[BF_MAX];
        double cap = 3 + rng_below(&seed, 20), quarter[40];
        unsigned n = 1 + rng_below(&seed, BF_MAX), i, j, h = 3 + rng_below(&seed, 30);
        size_t ns, k;

        for (i = 0; i < n; i++) {
            it[i] = sched_item(rng_below(&seed, 20) / 2.0, teams[rng_below(&seed, 4)],
                               0.5 + rng_below(&seed, 16) / 2.0, rng_below(&seed, 1000));
            chosen[i] = was[i] = rng_below(&seed, 5) != 0;
        }
        ns = portfolio_schedule(it, n, chosen, cap, (int)h, sl);
        memset(quarter, 0, sizeof(quarter));
        for (k = 0; k < ns; k++) {
            const struct portfolio_item *x = &it[sl[k].item];
            int d = portfolio_duration(x->months), m;

            assert_true(chosen[sl[k].item]);
            assert_int_equal(sl[k].live_month - sl[k].start_month + 1, d);
            assert_true(sl[k].start_month >= 1 && sl[k].live_month <= (int)h);
            for (m = sl[k].start_month; m <= sl[k].live_month; m++)
                quarter[(m - 1) / 3] += x->engineer_months / d;
            for (j = 0; j < ns; j++) {
                const struct portfolio_item *y = &it[sl[j].item];

                if (j == k || x->team == NULL || y->team == NULL || strcmp(x->team, y->team))
                    continue;
                assert_true(sl[j].live_month < sl[k].start_month ||
                            sl[k].live_month < sl[j].start_month);
            }
        }
        for (i = 0; i < 40; i++)
            assert_true(quarter[i] <= cap + 1e-9);
        for (i = 0, k = 0; i < n; i++)
            k += chosen[i];
        assert_int_equal(k, ns);
        for (i = 0; i < n; i++)
            if (!was[i])
                assert_false(chosen[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_schedule_worked),
        cmocka_unit_test(test_schedule_smith),
        cmocka_unit_test(test_schedule_fits),
        cmocka_unit_test(test_schedule_rules),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
