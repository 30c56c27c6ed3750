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

/*
 * The calendar (effort.c) is the last cutover: work divides among the p
 * engineers, the cutover (c weeks an endpoint, one endpoint at a time) and
 * the rollback are elapsed time.  The cases' calendars are by hand from the
 * closed form I0 + max(E w/p + c, w/p + E c); test_estimates checks each
 * against a second method, the cutovers walked one by one.
 */
static const struct effort_case cases[] = {
    /* 6 endpoints, 4 engineers (the example in models/effort.c):
     * ew low 1+1+12+6+1+0.5 = 21.5, likely 1.5+1+18+6+1+1 = 28.5,
     * high 2+1+24+6+1+2 = 36; / 4.3333 -> 4.961538, 6.576923, 8.307692 em;
     * parallelism min(4, 6) = 4; calendar, weeks: low 0.5 + max(3 + 1,
     * 0.5 + 6) = 7, likely 0.625 + max(4.5 + 1, 0.75 + 6) = 7.375, high
     * 0.75 + max(6 + 1, 1 + 6) = 7.75 (it was effort / 4: 1.240, 1.644,
     * 2.077 months); overlap (1 + 1) / 4.3333 = 0.461538, not divided by 4;
     * implement 6 * 3 = 18 ew; cleanup ends at 7.375 + 1 + 1/4 = 8.625. */
    { "6 endpoints, 4 engineers", 6, 4, 0, { 0, 0, 0 }, 0, 1, 4,
      { 21.5 / WPM, 28.5 / WPM, 36 / WPM },
      { 7 / WPM, 7.375 / WPM, 7.75 / WPM },
      { 2 / WPM, 2 / WPM, 2 / WPM }, 18, 8.625 },
    /* endpoints 0 and engineers 0 count as 1: ew 6.5, 8.5, 11 -> 1.5, 1.961538,
     * 2.538462 em; parallelism 1; calendar 2 + 3 = 5, 2.5 + 4 = 6.5, 3 + 5
     * = 8 weeks; overlap (1 + 1) / 4.3333 = 0.461538; implement 3 ew; ends
     * at 6.5 + 1 + 1 = 8.5 weeks. */
    { "endpoints 0, engineers 0", 0, 0, 0, { 0, 0, 0 }, 0, 1, 1,
      { 6.5 / WPM, 8.5 / WPM, 11 / WPM },
      { 5 / WPM, 6.5 / WPM, 8 / WPM },
      { 2 / WPM, 2 / WPM, 2 / WPM }, 3, 8.5 },
    /* More engineers than endpoints: parallelism min(10, 3) = 3.
     * ew 1+1+6+3+1+0.5 = 12.5, 1.5+1+9+3+1+1 = 16.5, 2+1+12+3+1+2 = 21;
     * calendar 2/3 + max(3, 11/3) = 13/3, 2.5/3 + max(4, 4) = 29/6, 1 +
     * max(5, 13/3) = 6 weeks; overlap 2 / 4.3333; ends at 29/6 + 1 + 1/3
     * = 37/6 weeks. */
    { "10 engineers, 3 endpoints", 3, 10, 0, { 0, 0, 0 }, 0, 1, 3,
      { 12.5 / WPM, 16.5 / WPM, 21 / WPM },
      { 13.0 / 3 / WPM, 29.0 / 6 / WPM, 6 / WPM },
      { 2 / WPM, 2 / WPM, 2 / WPM }, 9, 37.0 / 6 },
    /* Effort given [6, 13, 20] em for the first case: estimated 0; k = 13 *
     * 4.3333 / 28.5 = 1.976608; calendar the given range times the likely
     * calendar per engineer-month, 7.375 weeks / 28.5 ew: 1.552632,
     * 3.364035, 5.175439; overlap 2 / 4.3333 * k = 2 * 13 / 28.5 = 0.912281;
     * implement 18 * k = 35.578947 ew; timeline ends at 8.625 * k. */
    { "effort given", 6, 4, 1, { 6, 13, 20 }, 0, 0, 4,
      { 6, 13, 20 }, { 6 * 7.375 / 28.5, 13 * 7.375 / 28.5, 20 * 7.375 / 28.5 },
      { 2 * 13 / 28.5, 2 * 13 / 28.5, 2 * 13 / 28.5 },
      18 * 13 * WPM / 28.5, 8.625 * 13 * WPM / 28.5 },
    /* Effort given as 0: k = 0, nothing at all. */
    { "effort given 0", 6, 4, 1, { 0, 0, 0 }, 0, 0, 4,
      { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 }, 0, 0 },
    /* Effort given, phases all 0: no shape to scale (k = 0), the effort and
     * calendar still come through: 5 em, 2 at a time -> 2.5 months. */
    { "effort given, no phases", 2, 2, 1, { 5, 5, 5 }, 1, 0, 2,
      { 5, 5, 5 }, { 2.5, 2.5, 2.5 }, { 0, 0, 0 }, 0, 0 },
};

/* Second method for the calendar, weeks: endpoint k is rewritten at I0 +
 * k * w / p and its cutover starts when it is ready and the one before is
 * done; the calendar ends with the last. */
static double walk_cutovers(double measure, double scaffold, double w, double c, int e, int p)
{
    double i0 = (measure + scaffold) / p, done = 0.0;
    int k;

    for (k = 1; k <= e; k++) {
        double ready = i0 + k * w / p;

        done = (ready > done ? ready : done) + c;
    }
    return done;
}

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
        /* The phases: measure and scaffold back to back, implement after
         * them, cutover to the calendar's end, rollback then cleanup. */
        for (k = 0; k < PHASE_COUNT; k++)
            assert_int_equal(e.phases[k].kind, k);
        check_near(e.phases[PHASE_MEASURE].start_week, week, "measure start", c->name);
        check_near(e.phases[PHASE_SCAFFOLD].start_week, e.phases[PHASE_MEASURE].end_week,
                   "scaffold start", c->name);
        check_near(e.phases[PHASE_IMPLEMENT].start_week, e.phases[PHASE_SCAFFOLD].end_week,
                   "implement start", c->name);
        check_near(e.phases[PHASE_ROLLBACK].start_week, e.phases[PHASE_CUTOVER].end_week,
                   "rollback start", c->name);
        check_near(e.phases[PHASE_CLEANUP].start_week, e.phases[PHASE_ROLLBACK].end_week,
                   "cleanup start", c->name);
        if (c->estimated) {
            int ep = c->endpoints < 1 ? 1 : c->endpoints;

            check_near(e.phases[PHASE_CUTOVER].end_week / WPM, e.calendar_months.likely,
                       "calendar vs timeline", c->name);
            check_near(walk_cutovers(ph.measure_weeks.low, ph.scaffold_weeks.low,
                                     ph.weeks_per_endpoint.low,
                                     ph.cutover_weeks_per_endpoint.low, ep, e.parallelism) / WPM,
                       e.calendar_months.low, "calendar low, walked", c->name);
            check_near(walk_cutovers(ph.measure_weeks.likely, ph.scaffold_weeks.likely,
                                     ph.weeks_per_endpoint.likely,
                                     ph.cutover_weeks_per_endpoint.likely, ep, e.parallelism)
                           / WPM,
                       e.calendar_months.likely, "calendar likely, walked", c->name);
            check_near(walk_cutovers(ph.measure_weeks.high, ph.scaffold_weeks.high,
                                     ph.weeks_per_endpoint.high,
                                     ph.cutover_weeks_per_endpoint.high, ep, e.parallelism)
                           / WPM,
                       e.calendar_months.high, "calendar high, walked", c->name);
        }
    }
}

/* The worked example's timeline, phase by phase (weeks, likely, 4 at once):
 * measure 0-0.375, scaffold 0.375-0.625, implement 0.625-5.125 (18 / 4),
 * cutover from the first endpoint ready (0.625 + 3/4 = 1.375) to the last
 * one's 100 % (7.375), rollback a week (8.375), cleanup 1/4 (8.625).  The
 * old timeline divided the cutover and rollback by 4 (ends 6.625, 6.875,
 * 7.125).  ramp_share 6 * max(3/4, 1) / 7.375 = 0.813559.  With 2-week
 * cutovers and 1 endpoint an engineer-week (w/p = 0.25 < c), the same. */
static void test_timeline(void **state)
{
    static const double starts[PHASE_COUNT] = { 0, 0.375, 0.625, 1.375, 7.375, 8.375 };
    static const double ends[PHASE_COUNT] = { 0.375, 0.625, 5.125, 7.375, 8.375, 8.625 };
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
        check_near(e.phases[k].start_week, starts[k], "start_week", effort_phase_name(k));
        check_near(e.phases[k].end_week, ends[k], "end_week", effort_phase_name(k));
        check_near(e.phases[k].engineer_weeks.likely, ew[k], "ew", effort_phase_name(k));
    }
    check_near(e.ramp_share, 6.0 / 7.375, "ramp_share", "worked example");
    /* Ranges per endpoint scale low and high too: implement 12..24 ew. */
    check_near(e.phases[PHASE_IMPLEMENT].engineer_weeks.low, 12, "ew low", "implement");
    check_near(e.phases[PHASE_IMPLEMENT].engineer_weeks.high, 24, "ew high", "implement");
    /* Implementation-bound: 1 engineer, 3 endpoints, 3 weeks each, cutover
     * 1: I0 = 2.5, ready at 5.5, 8.5, 11.5; cut 6.5, 9.5, 12.5 = 2.5 + 9 +
     * 1; the line from 12.5 - 3 * 3 = 3.5 reaches 1/3 at 6.5: ramp_share
     * 9 / 12.5 = 0.72. */
    spec.endpoints = 3;
    spec.engineers = 1;
    effort_estimate(&spec, &ph, &e);
    check_near(e.calendar_months.likely, 12.5 / WPM, "calendar", "one engineer");
    check_near(e.ramp_share, 0.72, "ramp_share", "one engineer");
    check_near(e.phases[PHASE_CUTOVER].start_week, 5.5, "cutover start", "one engineer");
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
