/* analysis.h: one call from assumptions + measurements to ranked, explained results. */
#ifndef VERDICT_ANALYSIS_H
#define VERDICT_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "verdict/assumptions.h"
#include "verdict/cost.h"
#include "verdict/effort.h"
#include "verdict/measure.h"
#include "verdict/montecarlo.h"
#include "verdict/portfolio.h"
#include "verdict/score.h"

/*
 * Data flows one way: assumptions + measurements -> analysis -> a screen or
 * a report writer.  Writers read these structs and compute nothing of
 * their own.
 */
/*
 * The latency benefit, measured (analysis.c, analysis_latency): the hours
 * of a 730-hour month the p99 series spent above slo.p99_seconds, the
 * hours it would spend there after a rewrite that cuts p99 by the
 * language's p99_reduction (at its low, likely and high), and what the
 * hours removed are worth at slo.breach_cost_per_hour.
 */
struct latency_estimate {
    int has_slo;            /* 1: slo.p99_seconds is given */
    int measured;           /* 1: a p99 series to read the hours off */
    int coarse;             /* 1: read off the chart's buckets (a snapshot without the
                               exceedance table): flagged, not asserted */
    double slo_s;           /* slo.p99_seconds; NaN without */
    double hours_above;     /* a month, today; NaN unless measured */
    double hours_after[3];  /* a month, at p99_reduction low, likely, high */
    struct range saved;     /* currency a month: COST_LATENCY_SAVED */
};

struct service_analysis {
    const struct service_spec *spec;       /* borrowed from the assumptions */
    const struct service_data *data;       /* borrowed; NULL: nothing measured */
    const struct language_profile *lang;   /* borrowed; NULL: unknown */
    struct service_metrics metrics;
    struct score_result score;
    struct effort_estimate effort;
    struct latency_estimate latency;
    struct cost_inputs cost_in;
    struct cost_result cost;               /* every parameter at likely */
    struct mc_result mc;
    struct tornado_entry tornado[COST_PARAM_COUNT];
    size_t n_tornado;
    enum recommendation recommendation;
    char recommendation_reason[SCORE_REASON_MAX];
    int rank;                              /* 1 = best candidate */
    int in_portfolio;                      /* 1: in the recommended plan */
    int provisional;                       /* analysis_start: quick Monte Carlo, no
                                              tornado yet (analysis_refine) */
};

/*
 * 1 when verdict has the data to give this service figures: a score, an
 * NPV, a break-even, P(NPV > 0).  Without enough data (recommendation
 * unknown) the analysis leaves them NaN (break_even_month 0, no tornado)
 * and every output shows none: no data, no numbers (issue 14).
 */
static inline int analysis_has_figures(const struct service_analysis *sa)
{
    return sa->recommendation != REC_UNKNOWN;
}

struct analysis_options {
    uint64_t seed;          /* Monte Carlo seed */
    size_t draws;           /* Monte Carlo draws; 0 means MC_DEFAULT_DRAWS */
};

/*
 * The plan: with no capacity set (economics.engineer_months_available
 * unset), every `migrate` candidate with a positive mean NPV; with one
 * (per quarter), the set of `migrate` and `consider` candidates without a
 * veto (score.h) and with a positive mean NPV whose effort plus velocity
 * loss fits the horizon's capacity and maximises the total mean NPV
 * (models/portfolio.c); either way scheduled by team and quarter
 * (portfolio.schedule), with the plan's own P10/P50/P90 (analysis.c,
 * plan_portfolio).
 */
struct analysis {
    struct service_analysis *services;     /* owned, sorted by rank */
    size_t n_services;
    int capacity_set;                      /* 1: the plan is limited */
    struct portfolio_result portfolio;     /* totals of the plan */
    size_t pending;         /* analysis_start: services whose Monte Carlo is still quick */
    size_t refine_next;     /* the next of them, by position in services */
};

/* Derive the metrics of one service from its measurements (data may be
 * NULL) and inventory.  Pure. */
void analysis_metrics(const struct service_spec *spec, const struct service_data *data,
                      const struct thresholds *th, struct service_metrics *out);

/* The latency benefit of one service (see struct latency_estimate):
 * spec's slo, lang's p99_reduction (NULL: none), data's p99 series (NULL:
 * nothing measured).  Pure. */
void analysis_latency(const struct service_spec *spec, const struct language_profile *lang,
                      const struct service_data *data, struct latency_estimate *out);

/* Analyse every service of *a, matching measurements by name.  The result
 * borrows from *a and *m, which must outlive it.  Returns 0, or -1 when
 * memory runs out (out zeroed). */
int analysis_run(const struct assumptions *a, const struct measurements *m,
                 const struct analysis_options *opt, struct analysis *out);

/*
 * For an interactive caller with many services, a first answer fast:
 * analysis_run with each Monte Carlo at quick_draws and no tornado (when
 * that is fewer than the full draws; out->pending then counts the
 * services to refine, each marked provisional).  analysis_refine runs the
 * full Monte Carlo and the tornado for up to max_services more;
 * after the last, recommendations, ranks and the plan are made again and
 * the result is exactly analysis_run's.  It returns the services still
 * pending (0: final), or -1 when memory runs out.
 */
int analysis_start(const struct assumptions *a, const struct measurements *m,
                   const struct analysis_options *opt, size_t quick_draws,
                   struct analysis *out);
long analysis_refine(const struct assumptions *a, const struct analysis_options *opt,
                     struct analysis *an, size_t max_services);

void analysis_done(struct analysis *an);

#endif /* VERDICT_ANALYSIS_H */
