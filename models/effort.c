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
 *
 * The calendar (seed 000: cut over one endpoint at a time, 1 % -> 10 % ->
 * 50 % -> 100 %, monitor a week, then the next; keep the old system a
 * week as rollback).  Work divides among the p engineers; the cutover and
 * the rollback are elapsed time, which no number of engineers shortens.
 * In weeks, with w = weeks_per_endpoint, c = cutover_weeks_per_endpoint:
 *
 *   I0       = (measure + scaffold) / p       implementation starts
 *   ready(k) = I0 + k * w / p                 endpoint k rewritten, k = 1..E
 *   cut(k)   = max(ready(k), cut(k-1)) + c    its cutover done (100 %)
 *            = I0 + max(k w/p + c, w/p + k c) (closed form, by induction)
 *   calendar_months = cut(E) / EFFORT_WEEKS_PER_MONTH: to the last cutover
 *   overlap_months  = (c + rollback) / EFFORT_WEEKS_PER_MONTH: the new fleet
 *                     at full size beside the old one during the last
 *                     cutover, and the old one kept a week after it (before
 *                     that each fleet carries its share of the traffic)
 *   ramp_share      = E * max(w/p, c) / cut(E)  (likely): the endpoints move
 *                     one every max(w/p, c) weeks, so the moved share is the
 *                     line that reaches k/E at cut(k), from
 *                     cut(E) - E * max(w/p, c) to cut(E) (cost.c).
 * Cleanup follows the rollback and is not in the calendar.  When the
 * cutover is slower than the implementation (c > w/p) the engineers wait
 * on traffic: the calendar is longer than the effort / p the work takes.
 *
 * The timeline is the likely case in calendar weeks: measure and scaffold
 * one after the other, each engineer_weeks / p; implement [I0, I0 + E w/p);
 * cutover [ready(1), cut(E)); rollback rollback weeks after it; cleanup
 * cleanup / p weeks after that.
 *
 * Worked example, 6 endpoints, 4 engineers, the default phases
 * (measure 1/1.5/2, scaffold 1, 2/3/4 per endpoint, cutover 1 per endpoint,
 * rollback 1, cleanup 0.5/1/2):
 *   likely ew  = 1.5 + 1 + 6*3 + 6*1 + 1 + 1 = 28.5
 *   engineer_months = 28.5 / 4.3333 = 6.577   (low 21.5 ew = 4.962,
 *                                               high 36 ew = 8.308)
 *   parallelism = min(4, 6) = 4; likely I0 = 2.5 / 4 = 0.625, w/p = 0.75 < c = 1:
 *   cut(6) = 0.625 + max(4.5 + 1, 0.75 + 6) = 7.375 weeks = 1.702 months
 *   (low: 0.5 + 0.5 + 6 = 7 weeks = 1.615; high: 0.75 + 1 + 6 = 7.75 = 1.788;
 *   it was effort / 4 = 1.644 likely, cutovers divided among engineers)
 *   overlap = (1 + 1) / 4.3333 = 0.462 months (it was (6 + 1) / 4 / 4.333)
 *   ramp_share = 6 * 1 / 7.375 = 0.8136
 *   timeline: measure 0-0.375, scaffold 0.375-0.625, implement 0.625-5.125,
 *   cutover 1.375-7.375, rollback 7.375-8.375, cleanup 8.375-8.625 weeks.
 *
 * Effort given (spec->has_effort): estimated = 0, engineer_months is the
 * given range.  The estimate above still sets the shape: the calendar, the
 * overlap and the phases (their engineer-weeks and the timeline) are
 * multiplied by k = given.likely / estimated.likely, so the phases add up
 * to the given likely effort, and the calendar range is the given range
 * times the likely calendar per engineer-month.  If the estimate is zero
 * (every phase zero) there is no shape to scale: k = 0, and the calendar is
 * given / p.
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

/* cut(E) of the comment above, in weeks, for one set of phase values, and
 * the weeks between two endpoints' cutovers (*step). */
static double last_cutover(double measure, double scaffold, double w, double c, double e,
                           double p, double *step)
{
    double i0 = (measure + scaffold) / p, wp = w / p;
    double impl = e * wp + c, cut = wp + e * c;

    *step = wp > c ? wp : c;
    return i0 + (impl > cut ? impl : cut);
}

void effort_estimate(const struct service_spec *spec, const struct effort_phases *ph,
                     struct effort_estimate *out)
{
    struct range ew[PHASE_COUNT];
    struct range total = range_point(0);
    struct range cal;
    double endpoints, k = 1.0, p, step, step_lo, step_hi, start;
    int engineers, i;

    memset(out, 0, sizeof(*out));
    endpoints = spec->endpoints < 1 ? 1.0 : (double)spec->endpoints;
    engineers = spec->engineers < 1 ? 1 : spec->engineers;
    out->parallelism = engineers < (int)endpoints ? engineers : (int)endpoints;
    if (out->parallelism < 1)
        out->parallelism = 1;
    p = out->parallelism;

    ew[PHASE_MEASURE] = ph->measure_weeks;
    ew[PHASE_SCAFFOLD] = ph->scaffold_weeks;
    ew[PHASE_IMPLEMENT] = range_scale(ph->weeks_per_endpoint, endpoints);
    ew[PHASE_CUTOVER] = range_scale(ph->cutover_weeks_per_endpoint, endpoints);
    ew[PHASE_ROLLBACK] = ph->rollback_weeks;
    ew[PHASE_CLEANUP] = ph->cleanup_weeks;
    for (i = 0; i < PHASE_COUNT; i++)
        total = range_add(total, ew[i]);
    cal = range_make(last_cutover(ph->measure_weeks.low, ph->scaffold_weeks.low,
                                  ph->weeks_per_endpoint.low,
                                  ph->cutover_weeks_per_endpoint.low, endpoints, p, &step_lo),
                     last_cutover(ph->measure_weeks.likely, ph->scaffold_weeks.likely,
                                  ph->weeks_per_endpoint.likely,
                                  ph->cutover_weeks_per_endpoint.likely, endpoints, p, &step),
                     last_cutover(ph->measure_weeks.high, ph->scaffold_weeks.high,
                                  ph->weeks_per_endpoint.high,
                                  ph->cutover_weeks_per_endpoint.high, endpoints, p, &step_hi));
    out->ramp_share = cal.likely > 0 ? endpoints * step / cal.likely : 0.0;
    if (out->ramp_share > 1)
        out->ramp_share = 1;

    out->estimated = !spec->has_effort;
    if (out->estimated) {
        out->engineer_months = range_scale(total, 1.0 / EFFORT_WEEKS_PER_MONTH);
        out->calendar_months = range_scale(cal, 1.0 / EFFORT_WEEKS_PER_MONTH);
    } else {
        out->engineer_months = spec->effort_engineer_months;
        k = total.likely > 0 ? spec->effort_engineer_months.likely * EFFORT_WEEKS_PER_MONTH
                                   / total.likely
                             : 0.0;
        /* the given range times the likely calendar per engineer-month */
        out->calendar_months = range_scale(spec->effort_engineer_months,
                                           total.likely > 0 ? cal.likely / total.likely
                                                            : 1.0 / p);
    }
    out->overlap_months = range_scale(range_add(ph->cutover_weeks_per_endpoint,
                                                ph->rollback_weeks),
                                      k / EFFORT_WEEKS_PER_MONTH);

    for (i = 0; i < PHASE_COUNT; i++) {
        out->phases[i].kind = (enum effort_phase_kind)i;
        out->phases[i].engineer_weeks = range_scale(ew[i], k);
    }
    /* the likely timeline, in weeks, scaled by k */
    start = 0.0;
    out->phases[PHASE_MEASURE].start_week = start;
    start += ph->measure_weeks.likely / p;
    out->phases[PHASE_MEASURE].end_week = start * k;
    out->phases[PHASE_SCAFFOLD].start_week = start * k;
    start += ph->scaffold_weeks.likely / p;
    out->phases[PHASE_SCAFFOLD].end_week = start * k;
    out->phases[PHASE_IMPLEMENT].start_week = start * k;
    out->phases[PHASE_IMPLEMENT].end_week = (start + ew[PHASE_IMPLEMENT].likely / p) * k;
    out->phases[PHASE_CUTOVER].start_week = (start + ph->weeks_per_endpoint.likely / p) * k;
    out->phases[PHASE_CUTOVER].end_week = cal.likely * k;
    out->phases[PHASE_ROLLBACK].start_week = cal.likely * k;
    out->phases[PHASE_ROLLBACK].end_week = (cal.likely + ph->rollback_weeks.likely) * k;
    out->phases[PHASE_CLEANUP].start_week = out->phases[PHASE_ROLLBACK].end_week;
    out->phases[PHASE_CLEANUP].end_week =
        (cal.likely + ph->rollback_weeks.likely + ph->cleanup_weeks.likely / p) * k;
}
