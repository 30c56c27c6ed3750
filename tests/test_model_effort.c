/* test_model_effort.c: migration effort and timeline from the seeds' phases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/effort.h"

/* Months and weeks are checked to 1e-6. */
#define TOL 1e-6

static void check_near(double got, double want, const char *what, const char *name)
{
    if (!(fabs(got - want) <= TOL))
        fail_msg("%s: %s = %.9f, want %.9f", name, what, got, want);
}

static void check_range(struct range got, struct range want, const char *what,
                        const char *name)
{
    check_near(got.low, want.low, what, name);
    check_near(got.likely, want.likely, what, name);
    check_near(got.high, want.high, what, name);
}

/* The shipped defaults (seed 000's checklist), written out so the test does
 * not move when assumptions.c does:
 * measure 1/1.5/2, scaffold 1, 2/3/4 a endpoint, cutover 1 an endpoint,
 * rollback 1, cleanup 0.5/1/2 engineer-weeks. */
static void default_phases(struct effort_phases *ph)
{
    ph->measure_weeks = range_make(1, 1.5, 2);
    ph->scaffold_weeks = range_point(1);
    ph->weeks_per_endpoint = range_make(2, 3, 4);
    ph->cutover_weeks_per_endpoint = range_point(1);
    ph->rollback_weeks = range_point(1);
    ph->cleanup_weeks = range_make(0.5, 1, 2);
}

#define WPM (52.0 / 12.0)   /* weeks a month: 4.3333 */

struct effort_case {
    const char *name;
    int endpoints, engineers, has_effort;
    struct range given;           /* effort_engineer_months when has_effort */
    int zero_phases;              /* 1: every phase 0 engineer-weeks */
    int estimated, parallelism;
    struct range engineer_months, calendar_months, overlap_months;
    double implement_ew;          /* phases[PHASE_IMPLEMENT].engineer_weeks.likely */
    double end_week;              /* phases[PHASE_CLEANUP].end_week */
};

static const struct effort_case cases[] = {
    /* 6 endpoints, 4 engineers (the example in models/effort.c):
     * ew low 1+1+12+6+1+0.5 = 21.5, likely 1.5+1+18+6+1+1 = 28.5,
     * high 2+1+24+6+1+2 = 36; / 4.3333 -> 4.961538, 6.576923, 8.307692 em;
     * parallelism min(4, 6) = 4: calendar 1.240385, 1.644231, 2.076923;
     * overlap (6 + 1) / 4 / 4.3333 = 0.403846 in all three cases;
     * implement 6 * 3 = 18 ew; timeline ends at 28.5 / 4 = 7.125 weeks. */
    { "6 endpoints, 4 engineers", 6, 4, 0, { 0, 0, 0 }, 0, 1, 4,
      { 21.5 / WPM, 28.5 / WPM, 36 / WPM },
      { 21.5 / WPM / 4, 28.5 / WPM / 4, 36 / WPM / 4 },
      { 7 / WPM / 4, 7 / WPM / 4, 7 / WPM / 4 }, 18, 7.125 },
    /* endpoints 0 and engineers 0 count as 1: ew 6.5, 8.5, 11 -> 1.5, 1.961538,
     * 2.538462 em; parallelism 1; overlap (1 + 1) / 4.3333 = 0.461538;
     * implement 3 ew; ends at 8.5 weeks. */
    { "endpoints 0, engineers 0", 0, 0, 0, { 0, 0, 0 }, 0, 1, 1,
      { 6.5 / WPM, 8.5 / WPM, 11 / WPM },
      { 6.5 / WPM, 8.5 / WPM, 11 / WPM },
      { 2 / WPM, 2 / WPM, 2 / WPM }, 3, 8.5 },
    /* More engineers than endpoints: parallelism min(10, 3) = 3.
     * ew 1+1+6+3+1+0.5 = 12.5, 1.5+1+9+3+1+1 = 16.5, 2+1+12+3+1+2 = 21;
     * overlap (3 + 1) / 3 / 4.3333 = 0.307692; ends at 16.5 / 3 = 5.5 weeks. */
    { "10 engineers, 3 endpoints", 3, 10, 0, { 0, 0, 0 }, 0, 1, 3,
      { 12.5 / WPM, 16.5 / WPM, 21 / WPM },
      { 12.5 / WPM / 3, 16.5 / WPM / 3, 21 / WPM / 3 },
      { 4 / WPM / 3, 4 / WPM / 3, 4 / WPM / 3 }, 9, 5.5 },
    /* Effort given [6, 13, 20] em for the first case: estimated 0; calendar
     * 1.5, 3.25, 5; k = 13 * 4.3333 / 28.5 = 56.3333 / 28.5 = 1.976608;
     * overlap 0.403846 * k = 0.798246; implement 18 * k = 35.578947 ew;
     * timeline ends at 7.125 * k = 14.083333 weeks = 13 em * 4.3333 / 4. */
    { "effort given", 6, 4, 1, { 6, 13, 20 }, 0, 0, 4,
      { 6, 13, 20 }, { 1.5, 3.25, 5 },
      { 7.0 / 4 * 13 / 28.5, 7.0 / 4 * 13 / 28.5, 7.0 / 4 * 13 / 28.5 },
      18 * 13 * WPM / 28.5, 13 * WPM / 4 },
    /* Effort given as 0: k = 0, nothing at all. */
    { "effort given 0", 6, 4, 1, { 0, 0, 0 }, 0, 0, 4,
      { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 }, 0, 0 },
    /* Effort given, phases all 0: no shape to scale (k = 0), the effort and
     * calendar still come through: 5 em, 2 at a time -> 2.5 months. */
    { "effort given, no phases", 2, 2, 1, { 5, 5, 5 }, 1, 0, 2,
      { 5, 5, 5 }, { 2.5, 2.5, 2.5 }, { 0, 0, 0 }, 0, 0 },
};

static void test_estimates(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct effort_case *c = &cases[i];
        struct service_spec spec;
        struct effort_phases ph;
        struct effort_estimate e;
        double week = 0.0;
        int k;

        memset(&spec, 0, sizeof(spec));
        spec.endpoints = c->endpoints;
        spec.engineers = c->engineers;
        spec.has_effort = c->has_effort;
        spec.effort_engineer_months = c->given;
        if (c->zero_phases)
            memset(&ph, 0, sizeof(ph));
        else
            default_phases(&ph);
        memset(&e, 0x55, sizeof(e));
        effort_estimate(&spec, &ph, &e);

        if (e.estimated != c->estimated || e.parallelism != c->parallelism)
            fail_msg("%s: estimated %d parallelism %d, want %d %d", c->name, e.estimated,
                     e.parallelism, c->estimated, c->parallelism);
        check_range(e.engineer_months, c->engineer_months, "engineer_months", c->name);
        check_range(e.calendar_months, c->calendar_months, "calendar_months", c->name);
        check_range(e.overlap_months, c->overlap_months, "overlap_months", c->name);
        check_near(e.phases[PHASE_IMPLEMENT].engineer_weeks.likely, c->implement_ew,
                   "implement ew", c->name);
        check_near(e.phases[PHASE_CLEANUP].end_week, c->end_week, "end_week", c->name);
        /* The phases run back to back in enum order, each ew.likely / parallelism
         * long, and (when estimated) the calendar is where the last one ends. */
        for (k = 0; k < PHASE_COUNT; k++) {
            const struct effort_phase *p = &e.phases[k];

            assert_int_equal(p->kind, k);
            check_near(p->start_week, week, "start_week", c->name);
            week += p->engineer_weeks.likely / e.parallelism;
            check_near(p->end_week, week, "end_week", c->name);
        }
        if (c->estimated)
            check_near(week / WPM, e.calendar_months.likely, "calendar vs timeline", c->name);
    }
}

/* The worked example's timeline, phase by phase (weeks, likely, 4 at once):
 * measure 1.5/4 = 0.375, scaffold 0.25, implement 18/4 = 4.5, cutover 6/4
 * = 1.5, rollback 0.25, cleanup 0.25. */
static void test_timeline(void **state)
{
    static const double ends[PHASE_COUNT] = { 0.375, 0.625, 5.125, 6.625, 6.875, 7.125 };
    static const double ew[PHASE_COUNT] = { 1.5, 1, 18, 6, 1, 1 };
    struct service_spec spec;
    struct effort_phases ph;
    struct effort_estimate e;
    int k;

    (void)state;
    memset(&spec, 0, sizeof(spec));
    spec.endpoints = 6;
    spec.engineers = 4;
    default_phases(&ph);
    effort_estimate(&spec, &ph, &e);
    for (k = 0; k < PHASE_COUNT; k++) {
        check_near(e.phases[k].end_week, ends[k], "end_week", effort_phase_name(k));
        check_near(e.phases[k].engineer_weeks.likely, ew[k], "ew", effort_phase_name(k));
    }
    /* Ranges per endpoint scale low and high too: implement 12..24 ew. */
    check_near(e.phases[PHASE_IMPLEMENT].engineer_weeks.low, 12, "ew low", "implement");
    check_near(e.phases[PHASE_IMPLEMENT].engineer_weeks.high, 24, "ew high", "implement");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(effort_phase_name(PHASE_MEASURE), "measure");
    assert_string_equal(effort_phase_name(PHASE_SCAFFOLD), "scaffold");
    assert_string_equal(effort_phase_name(PHASE_IMPLEMENT), "implement");
    assert_string_equal(effort_phase_name(PHASE_CUTOVER), "cutover");
    assert_string_equal(effort_phase_name(PHASE_ROLLBACK), "rollback");
    assert_string_equal(effort_phase_name(PHASE_CLEANUP), "cleanup");
    assert_string_equal(effort_phase_name(PHASE_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimates),
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
