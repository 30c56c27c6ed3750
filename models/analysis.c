/* analysis.c: from assumptions and measurements to ranked, explained recommendations. */
#include "verdict/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/hash.h"

static int usable(const struct signal_data *s)
{
    return s != NULL && s->present && s->error == NULL && s->stats.count > 0;
}

/* Enough data to judge a signal: at least min_points finite points spread
 * over at least min_hours (thresholds; defaults 100 points and 3 hours). */
static int enough(const struct signal_data *s, const struct thresholds *th)
{
    double span_h;

    if (!usable(s))
        return 0;
    span_h = (s->stats.last_t - s->stats.first_t) / 3600.0;
    return (double)s->stats.count >= th->min_points && span_h >= th->min_hours;
}

/*
 * Metrics the score and the cost model read.  Latencies are the median over
 * time of the p99, p50 and mean series (robust to a bad hour); fleet CPU and
 * memory use the 95th percentile over time, because fleets are sized for
 * their busy hours, not their average.
 *   cpu_s_per_request = mean cores / mean requests per second     (s)
 *   runtime_share     = cpu_s_per_request / mean latency           (s / s)
 *                       (/ p50 latency when the mean-latency signal is
 *                       missing: share_from_mean says which)
 *   tail_ratio        = p95 over time of the p99 series / p50      (s / s)
 *   gc_share          = mean GC seconds per second / mean cores    (s/s / cores)
 * The mean (histogram _sum / _count) is what CPU per request divides: both
 * are per-request averages, while histogram_quantile's p50 is interpolated
 * inside a bucket (a p50 in the 0.1-0.25 s bucket reads anywhere in it).
 * The tail ratio takes the busy hours of the p99 (its p95 over time), the
 * GC tax a median of the p99 smooths away (issue 14).  A mean latency of 0
 * or less, or one not measured, falls back to the p50; a GC signal without
 * a CPU one gives no gc_share.
 * Example: 12 cores serving 400 req/s is 0.03 CPU-s per request; with a
 * mean latency of 40 ms the runtime share is 0.75: three quarters of an
 * average request is spent computing, not waiting.  With a p50 of 20 ms
 * and a p99 series whose p95 is 110 ms, the tail ratio is 5.5; GC at 0.12
 * s/s on those 12 cores is a gc_share of 1 %.
 */
void analysis_metrics(const struct service_spec *spec, const struct service_data *data,
                      const struct thresholds *th, struct service_metrics *out)
{
    const struct signal_data *p99 = NULL, *p50 = NULL, *cpu = NULL, *mem = NULL, *rps = NULL;
    const struct signal_data *mean = NULL, *gc = NULL;
    double instances = spec->instances.likely;

    memset(out, 0, sizeof(*out));
    out->p99_s = out->p50_s = out->tail_ratio = out->p99_busy_s = NAN;
    out->mean_latency_s = out->gc_share = NAN;
    out->cpu_cores_p95 = out->cpu_cores_mean = out->rps_mean = NAN;
    out->cpu_s_per_request = out->runtime_share = out->cpu_utilisation = NAN;
    out->memory_bytes_p95 = out->memory_per_instance_bytes = NAN;
    out->memory_utilisation = out->memory_growth_per_day = NAN;
    out->memory_growth_se_per_day = out->memory_window_days = NAN;
    out->p50_bucket_lo = out->p50_bucket_hi = out->p99_bucket_lo = out->p99_bucket_hi = NAN;
    out->fleet_cost_per_month = instances * spec->cost_per_instance.likely;

    if (data != NULL && data->error == NULL) {
        p99 = &data->signals[SIGNAL_P99_LATENCY];
        p50 = &data->signals[SIGNAL_P50_LATENCY];
        cpu = &data->signals[SIGNAL_CPU];
        mem = &data->signals[SIGNAL_MEMORY];
        rps = &data->signals[SIGNAL_RPS];
        mean = &data->signals[SIGNAL_MEAN_LATENCY];
        gc = &data->signals[SIGNAL_GC];
    }

    if (usable(p99) && usable(p50) && p50->stats.p50 > 0) {
        out->p99_s = p99->stats.p50;
        out->p99_busy_s = p99->stats.p95;
        out->p50_s = p50->stats.p50;
        out->tail_ratio = out->p99_busy_s / out->p50_s;
        out->have_latency = 1;
        /* the buckets the medians lie in (issue 15: coarse_buckets) */
        out->p50_bucket_known = p50->have_bucket;
        out->p50_bucket_lo = p50->bucket_lo;
        out->p50_bucket_hi = p50->bucket_hi;
        out->p99_bucket_known = p99->have_bucket;
        out->p99_bucket_lo = p99->bucket_lo;
        out->p99_bucket_hi = p99->bucket_hi;
    }
    if (usable(mean) && mean->stats.p50 > 0) {
        out->mean_latency_s = mean->stats.p50;
        out->have_mean_latency = 1;
    }
    if (usable(cpu)) {
        out->cpu_cores_p95 = cpu->stats.p95;
        out->cpu_cores_mean = cpu->stats.mean;
        if (instances > 0 && spec->cores_per_instance.likely > 0) {
            out->cpu_utilisation =
                out->cpu_cores_p95 / (instances * spec->cores_per_instance.likely);
            out->have_cpu = 1;
        }
        if (usable(gc) && out->cpu_cores_mean > 0 && isfinite(gc->stats.mean)) {
            out->gc_share = gc->stats.mean / out->cpu_cores_mean;
            out->have_gc = 1;
        }
    }
    if (usable(rps))
        out->rps_mean = rps->stats.mean;
    if ((out->have_latency || out->have_mean_latency) && usable(cpu) && usable(rps) &&
        out->rps_mean > 0) {
        out->cpu_s_per_request = out->cpu_cores_mean / out->rps_mean;
        out->share_from_mean = out->have_mean_latency;
        out->runtime_share = out->cpu_s_per_request /
                             (out->share_from_mean ? out->mean_latency_s : out->p50_s);
        out->have_runtime_share = 1;
    }
    if (usable(mem) && instances > 0 && spec->memory_per_instance_bytes.likely > 0) {
        out->memory_bytes_p95 = mem->stats.p95;
        out->memory_per_instance_bytes = out->memory_bytes_p95 / instances;
        out->memory_utilisation =
            out->memory_per_instance_bytes / spec->memory_per_instance_bytes.likely;
        out->memory_growth_per_day = mem->stats.mean > 0 && isfinite(mem->stats.trend_per_day)
                                         ? mem->stats.trend_per_day / mem->stats.mean
                                         : 0;
        /* whether the growth can be judged (score.c, factor_memory) */
        out->memory_growth_se_per_day = mem->stats.mean > 0
                                            ? mem->stats.trend_se_per_day / mem->stats.mean
                                            : NAN;
        out->memory_window_days = (mem->stats.last_t - mem->stats.first_t) / 86400.0;
        out->have_memory = 1;
    }
    out->enough_data = enough(p99, th) && enough(p50, th) && enough(cpu, th);
}

/* The team of a service: its team.name, or "" when it is a team of its
 * own (then it shares nothing with anyone). */
static const char *team_of(const struct service_spec *s)
{
    return s->team_name;
}

/*
 * Which draws a service shares with others (montecarlo.c, "Shared draws"):
 * its own stream is keyed by its name (so adding or reordering services
 * leaves its draws alone); the language profile's reductions by the
 * profile's name; the cost per engineer-month is one for the fleet; the
 * learning curve is the team's when it has a team.name.  Example: two
 * Python services, one with team.name "pay", one without: the same u for
 * cpu_reduction and cost_per_engineer_month in every draw; the second's
 * velocity_loss from its own stream.
 */
static void share_draws(const struct service_analysis *sa, struct cost_inputs *in)
{
    const char *team = team_of(sa->spec);

    in->stream_key = hash_fnv1a_str(sa->spec->name);
    if (sa->lang != NULL) {
        in->share_key[COST_CPU_REDUCTION] =
            mc_share_key("language", sa->lang->name, COST_CPU_REDUCTION);
        in->share_key[COST_MEMORY_REDUCTION] =
            mc_share_key("language", sa->lang->name, COST_MEMORY_REDUCTION);
        /* the latency saving rises with p99_reduction alone of the
         * profile's figures: the same u for every service of the language */
        in->share_key[COST_LATENCY_SAVED] =
            mc_share_key("language", sa->lang->name, COST_LATENCY_SAVED);
    }
    in->share_key[COST_COST_PER_ENGINEER_MONTH] =
        mc_share_key("economics", "", COST_COST_PER_ENGINEER_MONTH);
    if (team[0] != '\0') {
        in->share_key[COST_VELOCITY_LOSS] = mc_share_key("team", team, COST_VELOCITY_LOSS);
        in->share_key[COST_LEARNING_MONTHS] = mc_share_key("team", team, COST_LEARNING_MONTHS);
    }
}

/* Hours in a month: 8,760 a year over 12.  The hours above an SLO are a
 * fraction of the time measured, scaled to this month. */
#define ANALYSIS_HOURS_PER_MONTH 730.0

/* The fraction of time the p99 series spent above x: from its exceedance
 * table, else (*coarse set) from its chart. */
static double p99_fraction_above(const struct signal_data *p99, double x, int *coarse)
{
    if (p99->exceedance != NULL)
        return stats_fraction_above(p99->exceedance, x);
    *coarse = 1;
    return chart_fraction_above(&p99->chart, x);
}

/*
 * The latency benefit (issue 14, section 3), currency a month:
 *
 *   H(x)       = 730 * fraction of the measured time the p99 series spent
 *                above x (hours a month; stats_fraction_above)
 *   hours now  = H(S),                S = slo.p99_seconds
 *   hours after, at reduction r:  a rewrite makes p99' = p99 * (1 - r), and
 *                p99' > S  <=>  p99 > S / (1 - r), so H(S / (1 - r));
 *                r = 1: none
 *   saved(r, C) = (H(S) - H(S / (1 - r))) * C,  C = breach_cost_per_hour
 *
 * and the range is saved at (r, C) = (low, low), (likely, likely), (high,
 * high).  That is an honest triangular range because saved is monotone in
 * both: H only falls as x rises, S / (1 - r) rises with r, and C >= 0
 * multiplies, so the low pair gives the least and the high pair the most
 * saving any pair of the two ranges can.  (The Monte Carlo draws it as one
 * triangle, independent of cpu_reduction: the two share the language but
 * not their uncertainty.)  The months are measured time scaled: gaps in
 * the series are taken to look like the rest.
 * Edge cases: no slo, no p99 series, or no language profile (no reduction
 * known): 0.  A snapshot without the exceedance table reads the chart's
 * buckets (chart_fraction_above) and says so (coarse).
 * Example (tests/test_app_report.c, test_latency_saved_end_to_end): a
 * p99 climbing evenly from 0.1 to 0.5 s every day, S = 0.3 s: above it
 * half the time, H(S) = 365 hours; go's p99_reduction [0.1, 0.3, 0.5]
 * puts S / (1 - r) at 0.333, 0.429 and 0.6 s, above which it spent 304.17,
 * 131.81 and 0 hours; removed 60.83, 233.19 and 365; at C = [50, 100,
 * 200] an hour: [3,042, 23,319, 73,000] a month.  The demo's payments-core:
 * 8.9 hours above 500 ms, 0.8 above 1 s (java's likely 0.5): 8.1 hours at
 * 1,000 = 8,052 a month.
 */
void analysis_latency(const struct service_spec *spec, const struct language_profile *lang,
                      const struct service_data *data, struct latency_estimate *out)
{
    const struct signal_data *p99 = NULL;
    const struct range c = spec->slo_breach_cost_per_hour;
    double r[3], cost[3], saved[3];
    int i;

    memset(out, 0, sizeof(*out));
    out->slo_s = spec->slo_p99_seconds;
    out->hours_above = NAN;
    out->hours_after[0] = out->hours_after[1] = out->hours_after[2] = NAN;
    out->saved = range_point(0);
    out->has_slo = isfinite(out->slo_s) && out->slo_s > 0;
    if (data != NULL && data->error == NULL)
        p99 = &data->signals[SIGNAL_P99_LATENCY];
    if (!out->has_slo || !usable(p99))
        return;
    out->hours_above = ANALYSIS_HOURS_PER_MONTH * p99_fraction_above(p99, out->slo_s,
                                                                     &out->coarse);
    if (isnan(out->hours_above)) {
        out->coarse = 0;
        return;     /* charts not read yet, or empty: nothing measured */
    }
    out->measured = 1;
    r[0] = lang ? lang->p99_reduction.low : 0;
    r[1] = lang ? lang->p99_reduction.likely : 0;
    r[2] = lang ? lang->p99_reduction.high : 0;
    cost[0] = c.low;
    cost[1] = c.likely;
    cost[2] = c.high;
    for (i = 0; i < 3; i++) {
        double after = r[i] >= 1 ? 0.0
                     : ANALYSIS_HOURS_PER_MONTH *
                           p99_fraction_above(p99, out->slo_s / (1.0 - r[i]), &out->coarse);

        out->hours_after[i] = after;
        saved[i] = fmax(0.0, out->hours_above - after) * cost[i];
    }
    out->saved = range_make(saved[0], saved[1], saved[2]);
}

/* The cost model's inputs for one service: ranges from the inventory, the
 * language profile and the economics; utilisation from the measurements;
 * the calendar from the effort estimate.  The learning offset (team.name)
 * is set by team_offsets, once every service has its calendar. */
static void build_cost_inputs(const struct assumptions *a, const struct service_analysis *sa,
                              struct cost_inputs *in)
{
    const struct service_spec *s = sa->spec;
    const struct economics *e = &a->economics;
    const struct learning_curve *lc = &e->learning[s->experience];
    struct range zero = range_point(0);

    memset(in, 0, sizeof(*in));
    in->p[COST_INSTANCES] = s->instances;
    in->p[COST_MIN_INSTANCES] = s->min_instances;
    in->p[COST_COST_PER_INSTANCE] = s->cost_per_instance;
    in->p[COST_CPU_REDUCTION] = sa->lang ? sa->lang->cpu_reduction : zero;
    in->p[COST_MEMORY_REDUCTION] = sa->lang ? sa->lang->memory_reduction : zero;
    in->p[COST_INCIDENTS_PER_MONTH] = s->incidents_per_month;
    in->p[COST_COST_PER_INCIDENT] = s->cost_per_incident;
    in->p[COST_INCIDENT_REDUCTION] = s->incident_reduction;
    in->p[COST_PRODUCTIVITY_GAIN] = e->productivity_gain;
    in->p[COST_LATENCY_SAVED] = sa->latency.saved;     /* analysis_latency */
    in->p[COST_COST_PER_ENGINEER_MONTH] = e->cost_per_engineer_month;
    in->p[COST_EFFORT_ENGINEER_MONTHS] = sa->effort.engineer_months;
    in->p[COST_VELOCITY_LOSS] = lc->velocity_loss;
    in->p[COST_LEARNING_MONTHS] = lc->months;
    /* seed 003: teams coming from Python or JavaScript need an extra month */
    if (sa->lang != NULL && sa->lang->dynamic && lc->months.high > 0) {
        in->p[COST_LEARNING_MONTHS].low += e->dynamic_language_extra_months.low;
        in->p[COST_LEARNING_MONTHS].likely += e->dynamic_language_extra_months.likely;
        in->p[COST_LEARNING_MONTHS].high += e->dynamic_language_extra_months.high;
    }
    in->p[COST_OVERLAP_MONTHS] = sa->effort.overlap_months;
    in->p[COST_CHANGES_PER_MONTH] = s->changes_per_month;
    in->p[COST_COST_PER_CHANGE] = e->cost_per_change;
    /* a point 1 unless already rewriting: not drawn, no tornado bar */
    in->p[COST_ECOSYSTEM_GAP] = s->already_rewriting ? e->ecosystem_gap : range_point(1);
    in->p[COST_DISCOUNT_RATE] = e->discount_rate;
    in->cpu_utilisation = sa->metrics.have_cpu ? sa->metrics.cpu_utilisation : NAN;
    in->memory_utilisation = sa->metrics.have_memory ? sa->metrics.memory_utilisation : NAN;
    in->engineers = s->engineers > 0 ? s->engineers : 1;
    in->parallelism = sa->effort.parallelism;
    /* effort per calendar month at likely values: the calendar (to the
     * last cutover) then stretches with the effort drawn (cost.h) */
    in->calendar_parallelism = sa->effort.calendar_months.likely > 0
                                   ? sa->effort.engineer_months.likely
                                         / sa->effort.calendar_months.likely
                                   : 0.0;
    in->ramp_share = sa->effort.ramp_share;
    in->learning_offset_months = 0.0;
    in->already_rewriting = s->already_rewriting;
    in->cancellation_probability = e->cancellation_probability;
    in->horizon_months = e->horizon_months;
    share_draws(sa, in);
}

/* Team order: by team.name, then the shown score (rounded, as recommend
 * judges it; no score last), highest first, then the service name. */
static int team_cmp(const void *pa, const void *pb)
{
    const struct service_analysis *a = *(const struct service_analysis *const *)pa;
    const struct service_analysis *b = *(const struct service_analysis *const *)pb;
    double sa = nearbyint(a->score.score), sb = nearbyint(b->score.score);
    int c = strcmp(a->spec->team_name, b->spec->team_name);

    if (c != 0)
        return c;
    if (isnan(sa) != isnan(sb))
        return isnan(sa) ? 1 : -1;
    if (sa != sb)
        return sa > sb ? -1 : 1;
    return strcmp(a->spec->name, b->spec->name);
}

/*
 * One learning curve per team (issue 14): services with the same
 * team.name are rewritten one after another in the order of their shown
 * score (highest first, then by name; the score does not depend on the
 * cost, so there is no circle), and the k-th starts up the team's curve by
 * the calendar months (effort.c, likely, to the last cutover) of the k - 1
 * before it:  learning_offset_months(k) = sum over j < k of calendar(j).
 * A service without team.name is a team of its own: offset 0.
 * Example: team "pay", scores 71 (calendar 3 months) and 64 (calendar 1.5):
 * offsets 0 and 3; with learning_months 9 and velocity_loss 0.5 the second
 * starts at a loss of 0.5 * (1 - 3/9) = 0.333, not 0.5.
 * Returns 0, or -1 when memory runs out.
 */
static int team_offsets(struct analysis *an)
{
    struct service_analysis **order;
    size_t i, n = an->n_services;
    double sum = 0.0;

    order = malloc((n ? n : 1) * sizeof(*order));
    if (order == NULL)
        return -1;
    for (i = 0; i < n; i++)
        order[i] = &an->services[i];
    qsort(order, n, sizeof(*order), team_cmp);
    for (i = 0; i < n; i++) {
        struct service_analysis *sa = order[i];

        if (sa->spec->team_name[0] == '\0')
            continue;
        if (i == 0 || strcmp(order[i - 1]->spec->team_name, sa->spec->team_name) != 0)
            sum = 0.0;
        sa->cost_in.learning_offset_months = sum;
        sum += sa->effort.calendar_months.likely;
    }
    free(order);
    return 0;
}

/*
 * The names of the flags of one kind, comma-separated, into buf; returns
 * how many.  not_enough_data is never listed: without enough data the
 * recommendation is unknown and its reason says so.
 */
static size_t flag_list(const struct score_result *sc, enum flag_kind kind, char *buf,
                        size_t len)
{
    size_t i, n = 0;

    buf[0] = '\0';
    for (i = 0; i < sc->n_flags; i++) {
        if (sc->flags[i].flag == FLAG_NOT_ENOUGH_DATA || sc->flags[i].kind != kind)
            continue;
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", n ? ", " : "",
                 red_flag_name(sc->flags[i].flag));
        n++;
    }
    return n;
}

/*
 * Without enough data the score rests on the inventory alone (an
 * unreachable server left a service at "Score 76", higher than with its
 * measurements) and the cost model on assumed utilisation: neither is a
 * figure verdict can support, so none is kept.  The factors stay (each
 * says what it had), and so do the cost model's inputs.
 */
static void no_figures(struct service_analysis *sa)
{
    sa->score.score = NAN;
    sa->cost.npv = sa->cost.roi = NAN;
    sa->cost.break_even_month = sa->cost.discounted_break_even_month = 0;
    sa->mc.probability_positive = sa->mc.probability_break_even = NAN;
    sa->mc.npv_p10 = sa->mc.npv_p50 = sa->mc.npv_p90 = NAN;
    sa->mc.npv_mean = sa->mc.npv_min = sa->mc.npv_max = NAN;
    memset(sa->mc.histogram, 0, sizeof(sa->mc.histogram));
    sa->mc.draws = 0;
    sa->n_tornado = 0;
}

/*
 * Recommendation, from the score and the cost model together:
 *   unknown  - too little data to judge (never guess);
 *   migrate  - score >= migrate_score, NPV P50 > 0 and
 *              P(NPV > 0) >= migrate_probability, and no veto (score.h:
 *              cautions are named in the reason but do not block);
 *   consider - would be migrate but a veto stands; or score >=
 *              consider_score and the rewrite pays off in at least the
 *              optimistic case (NPV P90 > 0);
 *   keep     - otherwise.
 * The score compared is the one every output shows: rounded to a whole
 * point as printf's "%.0f" does (nearbyint: to nearest, ties to even), so
 * that a service shown as "Score 60" against a threshold of 60 is judged
 * at 60, not at the 59.72 behind it (issue 14).  Example: 59.72 -> 60,
 * at or above migrate_score 60; 59.5 -> 60; 60.5 -> 60; 59.49 -> 59.
 *
 * The NPV compared is the Monte Carlo's median, P50 (currency), not the
 * NPV at likely values (issue 14: decide on the distribution, not on one
 * point of it).  Every input at its mode is not the middle outcome when a
 * range is skewed: incidents [0, 0.2, 6] a month have their mode at 0.2
 * but their median at 6 - sqrt(0.5 * 6 * 5.8) = 1.83, so a rewrite that
 * loses money at the likely values can pay off in most outcomes (and the
 * other way round for [0, 5.8, 6], median 4.17).  With migrate_probability
 * >= 0.5, P(NPV > 0) >= it already puts the P50 above 0 unless the draws
 * sit exactly at 0; below 0.5 the P50 rule is the stricter of the two.
 * Example (tests/test_app_report.c, the demo's edge-proxy on its p50,
 * score 60, no veto, seed 1, 2,000 draws): incidents [0, 0.2, 6] a month at 10,000
 * each give an NPV at likely values of -$20,375, a P50 of +$128k and
 * P(NPV > 0) 88 % -> migrate (the likely-value rule said consider);
 * [0, 5.8, 6] at 1,000 with migrate_probability 0.3 give +$18,589, P50
 * -$5.1k, P(NPV > 0) 40 % -> consider (it said migrate).
 */
static void recommend(const struct thresholds *th, struct service_analysis *sa)
{
    char vetoes[120], cautions[120], text[SCORE_REASON_MAX];
    double shown = nearbyint(sa->score.score);
    int score = (int)shown;
    size_t nveto = flag_list(&sa->score, FLAG_KIND_VETO, vetoes, sizeof(vetoes));
    size_t ncaution = flag_list(&sa->score, FLAG_KIND_CAUTION, cautions, sizeof(cautions));
    char *why = sa->recommendation_reason;
    size_t wl = sizeof(sa->recommendation_reason);

    if (!sa->metrics.enough_data) {
        sa->recommendation = REC_UNKNOWN;
        snprintf(why, wl, "Not enough data to judge: latency and CPU need at least "
                 "economics.thresholds.min_points (%.6g) points over min_hours (%.6g "
                 "hours).", fmin(th->min_points, 1e9), fmin(th->min_hours, 1e9));
        no_figures(sa);
        return;
    }
    if (shown >= th->migrate_score && sa->mc.npv_p50 > 0 &&
        sa->mc.probability_positive >= th->migrate_probability) {
        if (nveto == 0) {
            sa->recommendation = REC_MIGRATE;
            if (ncaution == 0)
                snprintf(why, wl, "Score %d and the rewrite pays off in %d%% of "
                         "simulated outcomes.", score,
                         (int)lround(100 * sa->mc.probability_positive));
            else
                snprintf(why, wl, "Score %d and the rewrite pays off in %d%% of "
                         "simulated outcomes; cautions: %s.", score,
                         (int)lround(100 * sa->mc.probability_positive), cautions);
        } else {
            sa->recommendation = REC_CONSIDER;
            snprintf(why, wl, "Score %d and it pays off, but vetoes stand: %s.",
                     score, vetoes);
        }
    } else if (shown >= th->consider_score && sa->mc.npv_p90 > 0) {
        sa->recommendation = REC_CONSIDER;
        if (nveto == 0)
            snprintf(why, wl, "Score %d; pays off in %d%% of simulated outcomes.",
                     score, (int)lround(100 * sa->mc.probability_positive));
        else
            snprintf(why, wl, "Score %d; pays off in %d%% of simulated outcomes; vetoes: %s.",
                     score, (int)lround(100 * sa->mc.probability_positive), vetoes);
    } else {
        sa->recommendation = REC_KEEP;
        if (shown < th->consider_score)
            snprintf(why, wl, "Score %d is below %d: the measurements do not point "
                     "at the language runtime.", score, (int)lround(th->consider_score));
        else
            snprintf(why, wl, "Score %d, but the rewrite does not pay for itself within "
                     "the horizon even in the optimistic case.", score);
    }
    /* seed 001: an ML service busy in its own code keeps Python and moves
     * the hot loop behind PyO3; the sentence fits beside any of the above
     * (at most 120 characters) */
    if (sa->score.hybrid) {
        snprintf(text, sizeof(text), "%s", why);
        snprintf(why, wl, "%.120s Hybrid: keep Python, hot loop in Rust via PyO3.", text);
    }
}

/* The inventory named no language: the one used was detected from the
 * runtime's own info metric (go_info, python_info, ...); say so. */
static void note_detected(struct factor_result *f)
{
    char reason[SCORE_REASON_MAX];

    snprintf(reason, sizeof(reason), "%s", f->reason);
    /* language reasons are about 90 characters: this fits */
    snprintf(f->reason, sizeof(f->reason), "Detected from its info metric. %.160s", reason);
}

/* No language named and none detected: the fetch's reason (measure.h,
 * detection_note: "language not detected (no go_info, ... for job=X)")
 * rather than "no profile", in printable ASCII (it names a label value
 * read from the server or a snapshot). */
static void note_undetected(struct factor_result *f, const char *note)
{
    char clean[SCORE_REASON_MAX - 16];
    size_t i, o = 0;

    for (i = 0; note[i] != '\0' && o + 1 < sizeof(clean); i++) {
        unsigned char c = (unsigned char)note[i];

        clean[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    clean[o] = '\0';
    snprintf(f->reason, sizeof(f->reason), "No data: %s.", clean);
}

/*
 * Service name -> its first entry in the measurements (what
 * measurements_find answers), so that n services are matched in O(n)
 * rather than O(n^2): with 10,000 services the linear search was half a
 * second of strcmp.  Open addressing on hash_fnv1a, at most half full;
 * slot holds index + 1, 0 is empty.  When memory runs out, slot stays
 * NULL and lookups fall back to measurements_find.
 */
struct name_index {
    const struct measurements *m;
    size_t *slot;
    size_t mask;
};

static void name_index_init(struct name_index *ix, const struct measurements *m)
{
    size_t cap = 16, i, k;

    ix->m = m;
    ix->slot = NULL;
    ix->mask = 0;
    if (m == NULL || m->n_services < 8)
        return;
    while (cap < 2 * m->n_services)
        cap *= 2;
    ix->slot = calloc(cap, sizeof(*ix->slot));
    if (ix->slot == NULL)
        return;
    ix->mask = cap - 1;
    for (i = 0; i < m->n_services; i++) {
        const char *name = m->services[i].name;

        if (name == NULL)
            continue;
        for (k = hash_fnv1a_str(name) & ix->mask; ix->slot[k] != 0; k = (k + 1) & ix->mask)
            if (strcmp(m->services[ix->slot[k] - 1].name, name) == 0)
                break;
        if (ix->slot[k] == 0)
            ix->slot[k] = i + 1;
    }
}

static const struct service_data *name_index_find(const struct name_index *ix,
                                                  const char *name)
{
    size_t k;

    if (ix->slot == NULL)
        return measurements_find(ix->m, name);
    for (k = hash_fnv1a_str(name) & ix->mask; ix->slot[k] != 0; k = (k + 1) & ix->mask)
        if (strcmp(ix->m->services[ix->slot[k] - 1].name, name) == 0)
            return &ix->m->services[ix->slot[k] - 1];
    return NULL;
}

static int rank_cmp(const void *pa, const void *pb)
{
    const struct service_analysis *a = pa, *b = pb;

    if (a->recommendation != b->recommendation)
        return a->recommendation < b->recommendation ? -1 : 1;
    /* without figures (NaN) there is nothing to order by but the name */
    if (!analysis_has_figures(a))
        return strcmp(a->spec->name, b->spec->name);
    if (a->score.score != b->score.score)
        return a->score.score > b->score.score ? -1 : 1;
    if (a->cost.npv != b->cost.npv)
        return a->cost.npv > b->cost.npv ? -1 : 1;
    return strcmp(a->spec->name, b->spec->name);
}

/*
 * What a service asks of the plan's capacity, in engineer-months: its
 * effort plus the velocity the team loses on the learning curve (the
 * model's velocity_loss, currency within the horizon, at likely values,
 * over the likely cost per engineer-month), since engineers climbing the
 * curve ship less of anything.  Example: effort 6 and a loss of 17,500 at
 * 10,000 an engineer-month: 6 + 1.75 = 7.75.
 */
static double plan_demand(const struct service_analysis *sa)
{
    double cpem = sa->cost_in.p[COST_COST_PER_ENGINEER_MONTH].likely;
    double loss = cpem > 0 && isfinite(sa->cost.velocity_loss) ? sa->cost.velocity_loss / cpem
                                                               : 0.0;

    return sa->effort.engineer_months.likely + (loss > 0 ? loss : 0.0);
}

/*
 * The plan's own distribution: draw i of the plan is the sum over its
 * rewrites of their draw i (the same streams as their own Monte Carlo, so
 * the shared draws correlate them: two Python services gain or lose
 * together), and P10/P50/P90 are type-7 percentiles of those sums, as a
 * service's are.  Not the sum of the services' P50s: percentiles do not
 * add (two rewrites each at P10 in the same draw are rarer than one).
 * Example (tests/test_app_report.c): the demo's plan, summed draw by draw
 * by a replay of the streams and the full model, sorted with qsort.
 */
static int plan_distribution(const struct analysis *an, const unsigned char *chosen,
                             uint64_t seed, size_t draws, double q[3])
{
    double *sum, *one;
    size_t i, k, n = 0;
    int rc = 0;

    q[0] = q[1] = q[2] = NAN;
    for (i = 0; i < an->n_services; i++)
        n += chosen[i] != 0;
    if (n == 0 || draws == 0)
        return 0;
    if (draws > SIZE_MAX / sizeof(double))
        return -1;
    sum = calloc(draws, sizeof(double));
    one = malloc(draws * sizeof(double));
    if (sum == NULL || one == NULL) {
        rc = -1;
        goto out;
    }
    for (i = 0; i < an->n_services; i++) {
        if (!chosen[i])
            continue;
        mc_npv_draws(&an->services[i].cost_in, draws, seed, one);
        for (k = 0; k < draws; k++)
            sum[k] += one[k];
    }
    mc_p10_p50_p90(sum, draws, q);
out:
    free(one);
    free(sum);
    return rc;
}

/*
 * Choose and schedule the plan (see analysis.h).
 *
 * Value: each rewrite is worth its mean NPV (the Monte Carlo's npv_mean),
 * not its NPV at likely values nor its P50.  The recommendation asks of
 * one service whether it pays off in the middle outcome and often enough
 * (NPV P50 > 0, P(NPV > 0)); the knapsack adds values, and of the three
 * only the mean adds: the mean of the plan's total is the sum of the
 * means (draw by draw, whatever the correlation), while a sum of medians
 * is the median of nothing.  Example: two rewrites whose NPV is -10 or
 * +100 with probabilities 0.6 and 0.4 each have a P50 of -10 but a mean
 * of +34; a skewed pair can have the same P50 and means of 5 and 50: the
 * plan should prefer the 50.  Who may enter stays the recommendation's:
 * `migrate` (and, with a capacity, `consider`), with a mean above 0.
 *
 * Weight: plan_demand (effort plus velocity loss).  Capacity:
 * engineer_months_available is per quarter; the knapsack chooses under
 * the whole horizon's, C * H / 3 (24 months at 20 a quarter: 160), exactly
 * (portfolio_choose); portfolio_schedule then places the set quarter by
 * quarter and team by team, and may leave out what cannot go live within
 * the horizon (that is where the plan is not exact: see portfolio.c).
 * A rewrite that could not be scheduled on an empty calendar
 * (portfolio_fits) is no candidate.  Without a capacity, every migrate
 * candidate, scheduled by team with no quarter limit.
 */
static int plan_portfolio(const struct economics *e, uint64_t seed, size_t draws,
                          struct analysis *an)
{
    struct portfolio_item *items;
    struct portfolio_slot *slots = NULL;
    unsigned char *chosen;
    double cap = e->engineer_months_available, q[3];
    size_t i, n_slots;
    int rc = 0, h = e->horizon_months;

    free(an->portfolio.schedule);
    memset(&an->portfolio, 0, sizeof(an->portfolio));
    an->portfolio.npv_p10 = an->portfolio.npv_p50 = an->portfolio.npv_p90 = NAN;
    an->capacity_set = isfinite(cap);
    if (!an->capacity_set)
        cap = NAN;
    items = calloc(an->n_services + 1, sizeof(*items));
    chosen = calloc(an->n_services + 1, 1);
    slots = calloc(an->n_services + 1, sizeof(*slots));
    if (items == NULL || chosen == NULL || slots == NULL) {
        rc = -1;
        goto out;
    }
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];
        struct portfolio_item *it = &items[i];

        it->engineer_months = plan_demand(sa);
        it->npv = sa->mc.npv_mean;
        it->team = team_of(sa->spec);
        it->months = sa->cost.migration_months;
        it->monthly_benefit = sa->cost.monthly_benefit;
        it->eligible = (sa->recommendation == REC_MIGRATE ||
                        (an->capacity_set && sa->recommendation == REC_CONSIDER)) &&
                       /* a veto keeps a service out of the plan (issue 14:
                        * the demo's ML service with three flags was funded) */
                       score_veto_count(&sa->score) == 0 &&
                       it->npv > 0 && portfolio_fits(it, cap, h);
        chosen[i] = !an->capacity_set && it->eligible;
    }
    if (an->capacity_set &&
        portfolio_choose(items, an->n_services, cap * (h < 1 ? 1 : h) / PORTFOLIO_QUARTER_MONTHS,
                         chosen, NULL) != 0) {
        rc = -1;
        goto out;
    }
    n_slots = portfolio_schedule(items, an->n_services, chosen, cap, h, slots);
    if (n_slots == (size_t)-1) {
        rc = -1;
        goto out;
    }
    an->portfolio.capacity = an->capacity_set ? e->engineer_months_available : NAN;
    for (i = 0; i < an->n_services; i++) {
        an->services[i].in_portfolio = chosen[i];
        if (!chosen[i])
            continue;
        an->portfolio.n_chosen++;
        an->portfolio.engineer_months += items[i].engineer_months;
        an->portfolio.npv += items[i].npv;
    }
    if (plan_distribution(an, chosen, seed, draws, q) != 0) {
        rc = -1;
        goto out;
    }
    an->portfolio.npv_p10 = q[0];
    an->portfolio.npv_p50 = q[1];
    an->portfolio.npv_p90 = q[2];
    an->portfolio.schedule = slots;
    slots = NULL;
out:
    free(slots);
    free(items);
    free(chosen);
    return rc;
}

static size_t full_draws(const struct analysis_options *opt)
{
    return opt && opt->draws ? opt->draws : MC_DEFAULT_DRAWS;
}

/* Rank by recommendation, score, NPV and name, then plan (the plan's
 * distribution at `draws`, the services' own). */
static int finish(const struct assumptions *a, uint64_t seed, size_t draws,
                  struct analysis *out)
{
    size_t i;

    qsort(out->services, out->n_services, sizeof(*out->services), rank_cmp);
    for (i = 0; i < out->n_services; i++)
        out->services[i].rank = (int)i + 1;
    return plan_portfolio(&a->economics, seed, draws, out);
}

/* analysis_run with each Monte Carlo at `draws`; `quick`: no tornado yet
 * (its 15 or so cost evaluations a service are as much as 30 draws). */
static int run_with(const struct assumptions *a, const struct measurements *m,
                    const struct analysis_options *opt, size_t draws, int quick,
                    struct analysis *out)
{
    size_t i;
    uint64_t seed = opt ? opt->seed : 0;
    double v[COST_PARAM_COUNT];
    struct name_index ix;

    memset(out, 0, sizeof(*out));
    if (a->n_services == 0)
        return 0;
    out->services = calloc(a->n_services, sizeof(*out->services));
    if (out->services == NULL)
        return -1;
    out->n_services = a->n_services;
    name_index_init(&ix, m);

    for (i = 0; i < a->n_services; i++) {
        struct service_analysis *sa = &out->services[i];
        const char *lang_name;

        sa->spec = &a->services[i];
        sa->data = m ? name_index_find(&ix, sa->spec->name) : NULL;
        lang_name = sa->spec->language;
        if (lang_name[0] == '\0' && sa->data != NULL && sa->data->detected_language != NULL)
            lang_name = sa->data->detected_language;
        sa->lang = assumptions_language(a, lang_name);

        analysis_metrics(sa->spec, sa->data, &a->economics.thresholds, &sa->metrics);
        score_service(sa->spec, sa->lang, &sa->metrics, &a->scoring,
                      &a->economics.thresholds, &sa->score);
        if (sa->lang != NULL && sa->spec->language[0] == '\0')
            note_detected(&sa->score.factors[FACTOR_LANGUAGE]);
        else if (sa->lang == NULL && sa->spec->language[0] == '\0' && sa->data != NULL &&
                 sa->data->detection_note != NULL)
            note_undetected(&sa->score.factors[FACTOR_LANGUAGE], sa->data->detection_note);
        effort_estimate(sa->spec, &a->economics.effort, &sa->effort);
        analysis_latency(sa->spec, sa->lang, sa->data, &sa->latency);
        build_cost_inputs(a, sa, &sa->cost_in);
    }
    /* every score and calendar first: a team's curve follows its order */
    if (team_offsets(out) != 0) {
        free(ix.slot);
        analysis_done(out);
        return -1;
    }
    for (i = 0; i < a->n_services; i++) {
        struct service_analysis *sa = &out->services[i];

        cost_likely(&sa->cost_in, v);
        cost_evaluate(&sa->cost_in, v, &sa->cost);
        /* each service's own stream depends on its name only, and a
         * shared draw on its key only (share_draws), so adding or
         * reordering services leaves the others' draws alone */
        if (mc_run(&sa->cost_in, draws, seed, &sa->mc) != 0) {
            free(ix.slot);
            analysis_done(out);
            return -1;
        }
        if (!quick)
            sa->n_tornado = tornado_run(&sa->cost_in, sa->tornado);
        sa->provisional = quick;
        recommend(&a->economics.thresholds, sa);
    }
    free(ix.slot);
    if (finish(a, seed, draws, out) != 0) {
        analysis_done(out);
        return -1;
    }
    return 0;
}

int analysis_run(const struct assumptions *a, const struct measurements *m,
                 const struct analysis_options *opt, struct analysis *out)
{
    return run_with(a, m, opt, full_draws(opt), 0, out);
}

int analysis_start(const struct assumptions *a, const struct measurements *m,
                   const struct analysis_options *opt, size_t quick_draws,
                   struct analysis *out)
{
    size_t full = full_draws(opt);

    if (quick_draws == 0 || quick_draws >= full)
        return run_with(a, m, opt, full, 0, out);
    if (run_with(a, m, opt, quick_draws, 1, out) != 0)
        return -1;
    out->pending = out->n_services;
    out->refine_next = 0;
    return 0;
}

long analysis_refine(const struct assumptions *a, const struct analysis_options *opt,
                     struct analysis *an, size_t max_services)
{
    size_t k, draws = full_draws(opt);
    uint64_t seed = opt ? opt->seed : 0;

    if (an->pending == 0)
        return 0;
    for (k = 0; k < max_services && an->pending > 0 && an->refine_next < an->n_services; k++) {
        struct service_analysis *sa = &an->services[an->refine_next++];

        if (!analysis_has_figures(sa)) {
            /* nothing to refine: no_figures keeps it without figures */
            sa->provisional = 0;
            an->pending--;
            continue;
        }
        /* the same stream analysis_run gives this service */
        if (mc_run(&sa->cost_in, draws, seed, &sa->mc) != 0)
            return -1;
        sa->n_tornado = tornado_run(&sa->cost_in, sa->tornado);
        sa->provisional = 0;
        an->pending--;
    }
    if (an->pending > 0)
        return (long)an->pending;
    /* every Monte Carlo at full draws: judge and rank again, as
     * analysis_run does (rank_cmp is a total order, so the order the
     * services are in now does not matter) */
    for (k = 0; k < an->n_services; k++)
        recommend(&a->economics.thresholds, &an->services[k]);
    return finish(a, seed, draws, an) != 0 ? -1 : 0;
}

void analysis_done(struct analysis *an)
{
    if (an == NULL)
        return;
    free(an->portfolio.schedule);
    free(an->services);
    memset(an, 0, sizeof(*an));
}
