/* report_equation.c: the seeds' "honest math" for one service, as lines any writer prints. */
#include "verdict/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "verdict/format.h"

/*
 * Seed 000's equation, at likely values: the benefit terms per month (the
 * infrastructure the smaller fleet saves, incidents avoided, productivity,
 * and the hours above the SLO a rewrite removes: issue 14, shown with or
 * without an SLO)
 * against the costs of getting there (migration effort, the learning
 * curve's velocity loss, old and new side by side).  Every number comes
 * from the analysis; the `how` column shows the factors that make each
 * amount, so a reader can check it with a calculator.
 */
void report_equation(const struct service_analysis *sa, const char *cur,
                     struct equation_line out[EQ_LINES])
{
    const struct cost_inputs *in = &sa->cost_in;
    const struct cost_result *r = &sa->cost;
    double v[COST_PARAM_COUNT];
    char a[48], b[48];
    struct equation_line *l;

    cost_likely(in, v);

    l = &out[EQ_INFRA];
    l->label = "infrastructure";
    l->amount = r->infra_saved_per_month;
    l->total = 0;
    switch (r->bound) {
    case FLEET_BOUND_FLOOR:
        snprintf(l->how, sizeof(l->how), "held at its floor of %.0f instances: no saving",
                 v[COST_MIN_INSTANCES]);
        break;
    case FLEET_BOUND_UNKNOWN:
        snprintf(l->how, sizeof(l->how), "no CPU or memory data: no saving claimed");
        break;
    default:
        snprintf(l->how, sizeof(l->how), "%s-bound: %.0f -> %.0f instances x %s",
                 r->bound == FLEET_BOUND_CPU ? "CPU" : "memory", v[COST_INSTANCES],
                 r->instances_after, fmt_money(a, sizeof(a), cur, v[COST_COST_PER_INSTANCE]));
        break;
    }

    l = &out[EQ_INCIDENTS];
    l->label = "+ incidents";
    l->amount = r->incidents_saved_per_month;
    l->total = 0;
    snprintf(l->how, sizeof(l->how), "%g/month x %s avoided x %s", v[COST_INCIDENTS_PER_MONTH],
             fmt_percent(a, sizeof(a), v[COST_INCIDENT_REDUCTION], 0),
             fmt_money(b, sizeof(b), cur, v[COST_COST_PER_INCIDENT]));

    l = &out[EQ_PRODUCTIVITY];
    l->label = "+ productivity";
    l->amount = r->productivity_per_month;
    l->total = 0;
    snprintf(l->how, sizeof(l->how), "%s x %d engineers x %s",
             fmt_percent(a, sizeof(a), v[COST_PRODUCTIVITY_GAIN], 0), in->engineers,
             fmt_money(b, sizeof(b), cur, v[COST_COST_PER_ENGINEER_MONTH]));

    l = &out[EQ_LATENCY];
    l->label = "+ latency";
    l->amount = r->latency_saved_per_month;
    l->total = 0;
    if (!sa->latency.has_slo)
        snprintf(l->how, sizeof(l->how), "no slo.p99_seconds: latency not priced");
    else if (!sa->latency.measured)
        snprintf(l->how, sizeof(l->how), "no p99 series to measure: no saving claimed");
    else
        snprintf(l->how, sizeof(l->how), "p99 > %s: %.1f -> %.1f h/month x %s/h%s",
                 fmt_latency(a, sizeof(a), sa->latency.slo_s), sa->latency.hours_above,
                 sa->latency.hours_after[1],
                 fmt_money(b, sizeof(b), cur, sa->spec->slo_breach_cost_per_hour.likely),
                 sa->latency.coarse ? " (coarse: chart)" : "");

    l = &out[EQ_BENEFIT];
    l->label = "= benefit";
    l->amount = r->monthly_benefit;
    l->total = 1;
    snprintf(l->how, sizeof(l->how), "per month");

    l = &out[EQ_MIGRATION];
    l->label = "migration";
    l->amount = r->migration_cost;
    l->total = 0;
    if (in->already_rewriting)
        snprintf(l->how, sizeof(l->how), "%.1f engineer-months x %s gap x %s (anyway)",
                 v[COST_EFFORT_ENGINEER_MONTHS],
                 fmt_percent(b, sizeof(b), v[COST_ECOSYSTEM_GAP], 0),
                 fmt_money(a, sizeof(a), cur, v[COST_COST_PER_ENGINEER_MONTH]));
    else
        snprintf(l->how, sizeof(l->how), "%.1f engineer-months x %s%s",
                 v[COST_EFFORT_ENGINEER_MONTHS],
                 fmt_money(a, sizeof(a), cur, v[COST_COST_PER_ENGINEER_MONTH]),
                 sa->effort.estimated ? " (phases)" : " (given)");

    l = &out[EQ_VELOCITY];
    l->label = "+ velocity loss";
    l->amount = r->velocity_loss;
    l->total = 0;
    /* "unbilled": the curve is charged only on time not billed to the
     * migration line above (cost.c) */
    if (in->learning_offset_months > 0)
        snprintf(l->how, sizeof(l->how), "%d engineers x %s, %.1f of %.1f months, unbilled", in->engineers, fmt_percent(a, sizeof(a), v[COST_VELOCITY_LOSS], 0),
                 fmax(0.0, v[COST_LEARNING_MONTHS] - in->learning_offset_months),
                 v[COST_LEARNING_MONTHS]);
    else
        snprintf(l->how, sizeof(l->how), "%d engineers x %s, %.1f months to 0, unbilled",
                 in->engineers, fmt_percent(a, sizeof(a), v[COST_VELOCITY_LOSS], 0),
                 v[COST_LEARNING_MONTHS]);

    l = &out[EQ_OVERLAP];
    l->label = "+ side by side";
    l->amount = r->overlap_cost;
    l->total = 0;
    if (in->already_rewriting)
        snprintf(l->how, sizeof(l->how), "any rewrite has it: not charged");
    else
        snprintf(l->how, sizeof(l->how), "%.0f new instances x %s x %.1f months",
                 r->instances_after, fmt_money(a, sizeof(a), cur, v[COST_COST_PER_INSTANCE]),
                 v[COST_OVERLAP_MONTHS]);

    l = &out[EQ_DOUBLE_BUILD];
    l->label = "+ built twice";
    l->amount = r->double_build_cost;
    l->total = 0;
    if (in->already_rewriting)
        snprintf(l->how, sizeof(l->how), "any rewrite has it: not charged");
    else
        snprintf(l->how, sizeof(l->how), "%g changes/month x %.1f months x %g days x %s",
                 v[COST_CHANGES_PER_MONTH], r->migration_months, v[COST_COST_PER_CHANGE],
                 fmt_money(a, sizeof(a), cur, v[COST_COST_PER_ENGINEER_MONTH] / 21.0));

    l = &out[EQ_COST];
    l->label = "= cost";
    l->amount = r->migration_cost + r->velocity_loss + r->overlap_cost + r->double_build_cost;
    l->total = 1;
    l->how[0] = '\0';
}

void report_outcome(const struct service_analysis *sa, const char *cur, struct outcome_text *out)
{
    const struct cost_inputs *in = &sa->cost_in;
    const struct cost_result *r = &sa->cost;
    const struct mc_result *mc = &sa->mc;
    double v[COST_PARAM_COUNT];
    char a[48], b[48], d[48], when[64], disc[48], mean[48];

    cost_likely(in, v);
    snprintf(out->horizon, sizeof(out->horizon), "Over %d months: %s benefit x %.2f months "
             "live = %s, against %s of cost within the horizon.", in->horizon_months,
             fmt_money(a, sizeof(a), cur, r->monthly_benefit), r->months_live,
             fmt_money(b, sizeof(b), cur, r->total_benefit),
             fmt_money(d, sizeof(d), cur, r->total_cost));
    if (r->break_even_month > 0)
        snprintf(when, sizeof(when), "month %d of %d", r->break_even_month, in->horizon_months);
    else
        snprintf(when, sizeof(when), "not within %d months", in->horizon_months);
    if (r->discounted_break_even_month > 0)
        snprintf(disc, sizeof(disc), "month %d", r->discounted_break_even_month);
    else
        snprintf(disc, sizeof(disc), "never");
    if (isfinite(r->roi))
        snprintf(d, sizeof(d), "%.0f%%", 100 * r->roi);
    else
        snprintf(d, sizeof(d), "-");
    fmt_percent(b, sizeof(b), v[COST_DISCOUNT_RATE], 0);
    snprintf(out->result, sizeof(out->result), "Break-even %s (discounted: %s); "
             "NPV at likely values %s at %s a year; ROI %s.", when, disc,
             fmt_money(a, sizeof(a), cur, r->npv), b, d);
    snprintf(out->calendar, sizeof(out->calendar), "Migration takes %.1f months to the last "
             "cutover, one endpoint at a time, with %d engineer%s in parallel billed for %.1f; "
             "the benefit ramps as endpoints move; old and new run side by side for the "
             "last %.1f.", r->migration_months, in->parallelism,
             in->parallelism == 1 ? "" : "s", r->billed_months, v[COST_OVERLAP_MONTHS]);
    snprintf(out->uncertainty, sizeof(out->uncertainty), "Over %s draws the rewrite pays off "
             "(NPV > 0) in %.0f%% of outcomes; NPV P10 %s, P50 %s, P90 %s, mean %s.",
             fmt_money(when, sizeof(when), "", (double)mc->draws),
             100 * mc->probability_positive, fmt_money(a, sizeof(a), cur, mc->npv_p10),
             fmt_money(b, sizeof(b), cur, mc->npv_p50), fmt_money(d, sizeof(d), cur, mc->npv_p90),
             fmt_money(mean, sizeof(mean), cur, mc->npv_mean));
    if (in->cancellation_probability > 0) {
        size_t n = strlen(out->uncertainty);

        snprintf(out->uncertainty + n, sizeof(out->uncertainty) - n, " In %.0f%% of the "
                 "draws the rewrite is cancelled before it goes live: it pays its cost so "
                 "far and earns nothing.", 100 * in->cancellation_probability);
    }
}

void report_plan_total(const struct analysis *an, const char *cur, int horizon_months,
                       char *buf, size_t len)
{
    char npv[48], p10[48], p50[48], p90[48];

    fmt_money(npv, sizeof(npv), cur, an->portfolio.npv);
    fmt_money(p10, sizeof(p10), cur, an->portfolio.npv_p10);
    fmt_money(p50, sizeof(p50), cur, an->portfolio.npv_p50);
    fmt_money(p90, sizeof(p90), cur, an->portfolio.npv_p90);
    if (an->capacity_set)
        snprintf(buf, len, "Together: mean NPV %s over %d months (P10 %s, P50 %s, P90 %s) "
                 "for %.1f engineer-months, at most %.1f a quarter.", npv, horizon_months,
                 p10, p50, p90, an->portfolio.engineer_months, an->portfolio.capacity);
    else
        snprintf(buf, len, "Together: mean NPV %s over %d months (P10 %s, P50 %s, P90 %s) "
                 "for %.1f engineer-months of work.", npv, horizon_months, p10, p50, p90,
                 an->portfolio.engineer_months);
}
