/* effort.c: migration effort and its timeline, from the seeds' migration phases. */
#include "verdict/effort.h"

#include <string.h>

/*
 * The phases are seed 000's "Migration Checklist" (defaults and their
 * sources live in models/assumptions.c):
 *
 *   measure    1-2 weeks           profile, pick endpoints, success criteria
 *   scaffold   1 week              project, CI/CD, a deployed health check
 *   implement  2-4 weeks/endpoint  in parallel with the old system, shadowed
 *   cutover    1 week/endpoint     1 % -> 10 % -> 50 % -> 100 % of traffic
 *   rollback   1 week              old system kept running as the fallback
 *   cleanup    (no seed figure)    routing removed, old code archived
 *
 * Effort, in engineer-weeks (ew), for E endpoints (E < 1 counts as 1):
 *
 *   measure, scaffold, rollback, cleanup   as given
 *   implement = E * weeks_per_endpoint
 *   cutover   = E * cutover_weeks_per_endpoint
 *
 * low, likely and high are each summed from the all-low, all-likely and
 * all-high phases, then:
 *
 *   engineer_months = total_ew / EFFORT_WEEKS_PER_MONTH   (52/12 weeks)
 *   parallelism     = max(1, min(engineers, E))   (one engineer per endpoint
 *                     at most: endpoints are the unit of parallel work)
 *   calendar_months = engineer_months / parallelism
 *   overlap_months  = (cutover_ew + rollback_ew) / parallelism
 *                     / EFFORT_WEEKS_PER_MONTH   (old and new both running)
 *
 * The timeline is the likely case in calendar weeks: the phases run one
 * after another, each lasting engineer_weeks.likely / parallelism.
 *
 * Worked example, 6 endpoints, 4 engineers, the default phases
 * (measure 1/1.5/2, scaffold 1, 2/3/4 per endpoint, cutover 1 per endpoint,
 * rollback 1, cleanup 0.5/1/2):
 *   likely ew  = 1.5 + 1 + 6*3 + 6*1 + 1 + 1 = 28.5
 *   engineer_months = 28.5 / 4.3333 = 6.577   (low 21.5 ew = 4.962,
 *                                               high 36 ew = 8.308)
 *   parallelism = min(4, 6) = 4, calendar = 6.577 / 4 = 1.644 months
 *   overlap = (6 + 1) / 4 / 4.3333 = 0.404 months
 *   timeline: measure 0-0.375, scaffold 0.375-0.625, implement 0.625-5.125,
 *   cutover 5.125-6.625, rollback 6.625-6.875, cleanup 6.875-7.125 weeks.
 *
 * Effort given (spec->has_effort): estimated = 0, engineer_months is the
 * given range, calendar_months = given / parallelism.  The estimate above
 * still sets the shape: overlap_months and the phases (their engineer-weeks
 * and the timeline) are multiplied by k = given.likely / estimated.likely,
 * so the phases add up to the given likely effort.  If the estimate is zero
 * (every phase zero) there is no shape to scale: k = 0.
 */

static const char *const phase_names[PHASE_COUNT] = {
    "measure", "scaffold", "implement", "cutover", "rollback", "cleanup",
};

const char *effort_phase_name(enum effort_phase_kind k)
{
    return (unsigned)k < PHASE_COUNT ? phase_names[k] : "?";
}

static struct range range_scale(struct range r, double k)
{
    return range_make(r.low * k, r.likely * k, r.high * k);
}

static struct range range_add(struct range a, struct range b)
{
    return range_make(a.low + b.low, a.likely + b.likely, a.high + b.high);
}

void effort_estimate(const struct service_spec *spec, const struct effort_phases *ph,
                     struct effort_estimate *out)
{
    struct range ew[PHASE_COUNT];
    struct range total = range_point(0);
    struct range overlap_ew;
    double endpoints, k = 1.0, week = 0.0;
    int engineers, i;

    memset(out, 0, sizeof(*out));
    endpoints = spec->endpoints < 1 ? 1.0 : (double)spec->endpoints;
    engineers = spec->engineers < 1 ? 1 : spec->engineers;
    out->parallelism = engineers < (int)endpoints ? engineers : (int)endpoints;
    if (out->parallelism < 1)
        out->parallelism = 1;

    ew[PHASE_MEASURE] = ph->measure_weeks;
    ew[PHASE_SCAFFOLD] = ph->scaffold_weeks;
    ew[PHASE_IMPLEMENT] = range_scale(ph->weeks_per_endpoint, endpoints);
    ew[PHASE_CUTOVER] = range_scale(ph->cutover_weeks_per_endpoint, endpoints);
    ew[PHASE_ROLLBACK] = ph->rollback_weeks;
    ew[PHASE_CLEANUP] = ph->cleanup_weeks;
    for (i = 0; i < PHASE_COUNT; i++)
        total = range_add(total, ew[i]);
    overlap_ew = range_add(ew[PHASE_CUTOVER], ew[PHASE_ROLLBACK]);

    out->estimated = !spec->has_effort;
    if (out->estimated) {
        out->engineer_months = range_scale(total, 1.0 / EFFORT_WEEKS_PER_MONTH);
    } else {
        out->engineer_months = spec->effort_engineer_months;
        k = total.likely > 0 ? spec->effort_engineer_months.likely * EFFORT_WEEKS_PER_MONTH
                                   / total.likely
                             : 0.0;
    }
    out->calendar_months = range_scale(out->engineer_months, 1.0 / out->parallelism);
    out->overlap_months = range_scale(overlap_ew,
                                      k / out->parallelism / EFFORT_WEEKS_PER_MONTH);

    for (i = 0; i < PHASE_COUNT; i++) {
        struct effort_phase *p = &out->phases[i];

        p->kind = (enum effort_phase_kind)i;
        p->engineer_weeks = range_scale(ew[i], k);
        p->start_week = week;
        week += p->engineer_weeks.likely / out->parallelism;
        p->end_week = week;
    }
}
