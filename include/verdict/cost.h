/* cost.h: the month-by-month cost/benefit model of one rewrite. */
#ifndef VERDICT_COST_H
#define VERDICT_COST_H

#include <stddef.h>
#include <stdint.h>

#include "verdict/range.h"

/*
 * The uncertain inputs of the cost model, one slot each, so that the
 * Monte Carlo and the tornado can treat them alike.  Units in the names.
 */
enum cost_param {
    COST_INSTANCES,               /* instances today */
    COST_MIN_INSTANCES,           /* availability floor */
    COST_COST_PER_INSTANCE,       /* currency per instance per month */
    COST_CPU_REDUCTION,           /* fraction of CPU the rewrite saves */
    COST_MEMORY_REDUCTION,        /* fraction of memory the rewrite saves */
    COST_INCIDENTS_PER_MONTH,
    COST_COST_PER_INCIDENT,
    COST_INCIDENT_REDUCTION,      /* fraction of incidents avoided */
    COST_PRODUCTIVITY_GAIN,       /* fraction of team cost per month */
    COST_LATENCY_SAVED,           /* currency per month: SLO breach hours removed x their
                                     price (analysis.c, analysis_latency); tornado label
                                     "latency_saved" */
    COST_COST_PER_ENGINEER_MONTH,
    COST_EFFORT_ENGINEER_MONTHS,
    COST_VELOCITY_LOSS,           /* fraction of team output at the start */
    COST_LEARNING_MONTHS,         /* months for the loss to reach zero */
    COST_OVERLAP_MONTHS,          /* old and new side by side */
    COST_CHANGES_PER_MONTH,       /* changes shipped a month (built twice while both run) */
    COST_COST_PER_CHANGE,         /* engineer-days to build one change again */
    COST_ECOSYSTEM_GAP,           /* fraction of the effort charged when already rewriting */
    COST_DISCOUNT_RATE,           /* annual fraction */
    COST_PARAM_COUNT
};

/* YAML-style name of a parameter ("cost_per_instance", ...). */
const char *cost_param_name(enum cost_param p);

/* What sets the size of today's fleet. */
enum fleet_bound {
    FLEET_BOUND_CPU,
    FLEET_BOUND_MEMORY,
    FLEET_BOUND_FLOOR,
    FLEET_BOUND_UNKNOWN     /* no CPU or memory data: no infrastructure saving */
};

const char *fleet_bound_name(enum fleet_bound b);

/* Everything the model needs for one service. */
struct cost_inputs {
    struct range p[COST_PARAM_COUNT];
    double cpu_utilisation;      /* fleet p95 CPU / provisioned cores, NaN if unknown */
    double memory_utilisation;   /* fleet p95 memory / provisioned memory, NaN if unknown */
    int engineers;               /* team size (velocity loss, productivity) */
    int parallelism;             /* engineers working on the migration at once */
    /* The calendar (effort.c): engineer-months of effort per calendar month
     * to the last cutover, effort / calendar at likely values; <= 0 or NaN:
     * parallelism (the calendar is effort / parallelism). */
    double calendar_parallelism;
    /* The ramp: the last ramp_share of the calendar (0..1) is the stretch
     * over which the endpoints move to the new system and the benefit
     * ramps up (cost.c); 0 or NaN: all at once at the last cutover. */
    double ramp_share;
    double learning_offset_months; /* months of the team's curve already climbed */
    int already_rewriting;       /* 1: only the language's extra effort is charged */
    /* economics.cancellation_probability: the share of the Monte Carlo's
     * draws in which the rewrite is cancelled before it goes live (0..1;
     * 0, NaN or less: never) */
    double cancellation_probability;
    int horizon_months;          /* 1..COST_MAX_MONTHS */
    /* The Monte Carlo's streams (models/montecarlo.c, mc_run), read by
     * nothing else; zeroed: one stream, the run's seed.  stream_key picks
     * the service's own stream (the analysis: the FNV-1a of its name);
     * share_key[p] != 0 draws parameter p from the stream shared by every
     * service with the same key (mc_share_key: a language's reductions,
     * the fleet's cost per engineer-month, a team's learning curve). */
    uint64_t stream_key;
    uint64_t share_key[COST_PARAM_COUNT];
};

#define COST_MAX_MONTHS 240

/* One point of the model: every parameter at one value. */
struct cost_result {
    enum fleet_bound bound;
    double instances_after;          /* fleet size after the rewrite */
    double infra_saved_per_month;    /* currency */
    double incidents_saved_per_month;
    double productivity_per_month;
    double latency_saved_per_month;  /* currency: COST_LATENCY_SAVED's value */
    double monthly_benefit;          /* sum of the four, at full run rate */
    double migration_cost;           /* effort * cost per engineer-month */
    double velocity_loss;            /* total over the horizon */
    double overlap_cost;             /* new fleet while both run */
    double double_build_cost;        /* changes built twice while both run */
    double migration_months;         /* calendar to the last cutover */
    double billed_months;            /* effort billed at the parallel engineers' rate:
                                        effort charged / parallelism */
    double months_live;              /* horizon - migration_months, not below 0 */
    double total_benefit;            /* over the horizon, undiscounted */
    double total_cost;
    int break_even_month;            /* 1..horizon, or 0: never within it (payback,
                                        undiscounted) */
    int discounted_break_even_month; /* the same on the discounted cumulative; 0: never */
    double npv;                      /* monthly discounting */
    double roi;                      /* (benefit - cost) / cost; NaN if cost 0 */
    int n_months;
    double cash_flow[COST_MAX_MONTHS];   /* net per month, month 1 first */
    double cumulative[COST_MAX_MONTHS];
};

/* The fleet after the rewrite at values v (only instances, min_instances and
 * the CPU and memory reductions are read) and in's utilisation: the model's
 * sizing rule (cost.c, cost_fleet), for the score's "does the fleet shrink". */
double cost_instances_after(const struct cost_inputs *in, const double v[COST_PARAM_COUNT]);

/* The likely value of every parameter. */
void cost_likely(const struct cost_inputs *in, double v[COST_PARAM_COUNT]);

/* Evaluate the model at parameter values v.  Pure, no allocation. */
void cost_evaluate(const struct cost_inputs *in, const double v[COST_PARAM_COUNT],
                   struct cost_result *out);

/* Monthly rate equivalent to an annual one: (1 + annual)^(1/12) - 1. */
double cost_monthly_rate(double annual);

/* The monthly discount factor 1 / (1 + cost_monthly_rate(annual)). */
double cost_discount_step(double annual);

/*
 * The model prepared for many evaluations of one service at different
 * parameter values (the Monte Carlo): what depends on the inputs but not
 * on the values (team, parallelism, horizon, what bounds the fleet) is
 * worked out once by cost_plan_init, which keeps no pointer to *in.  The
 * fields are cost.c's; read none of them.
 */
struct cost_plan {
    double engineers;            /* at least 1 */
    double parallelism;          /* 1..engineers */
    double calendar_parallelism; /* effort per calendar month, > 0 */
    double ramp_share;           /* 0..1 */
    double learning_offset;      /* >= 0 */
    int already;                 /* already_rewriting */
    int months;                  /* the horizon, clamped to 1..COST_MAX_MONTHS */
    enum fleet_bound bound;      /* CPU, MEMORY, or UNKNOWN when neither is measured */
    double cpu_u, memory_u;      /* utilisation, negative as 0; NaN if unknown */
    double old_u;                /* the larger of the known two */
};

void cost_plan_init(struct cost_plan *plan, const struct cost_inputs *in);

/* factor[m - 1] = the discount factor of month m, m = 1..months: 1.0 times
 * step m times, one multiplication after the other, as the model discounts
 * (so not pow(step, m), which may differ in the last bit). */
void cost_discount_factors(double step, int months, double *factor);

/*
 * NPV of cost_evaluate at v, bit for bit, and, when break_even_month is not
 * NULL, its break-even month, without the months, the totals or the other
 * figures.  (Where a NaN parameter meets a NaN the model makes, the NaN
 * that comes out may be the other one: which operand of a product is first
 * is the compiler's choice.  Finite values make only the default NaN.)  factor holds cost_discount_factors(cost_discount_step(
 * v[COST_DISCOUNT_RATE]), plan->months): worked out once by a caller that
 * evaluates many draws at one discount rate.  For the Monte Carlo.
 */
double cost_plan_npv(const struct cost_plan *plan, const double v[COST_PARAM_COUNT],
                     const double *factor, int *break_even_month);

/* The NPV of a rewrite cancelled at fraction (0..1) of its calendar to the
 * last cutover: the costs until then, no benefit (cost.c has the formula).
 * For the Monte Carlo's cancelled draws; factor as for cost_plan_npv. */
double cost_plan_npv_cancelled(const struct cost_plan *plan, const double v[COST_PARAM_COUNT],
                               const double *factor, double fraction);

/* The same for one evaluation: cost_plan_npv with its plan and factors made
 * here; step is cost_discount_step(v[COST_DISCOUNT_RATE]). */
double cost_npv(const struct cost_inputs *in, const double v[COST_PARAM_COUNT], double step,
                int *break_even_month);

/*
 * The people cost of month m (1..horizon) at values v: migration +
 * velocity loss, currency, as cost_evaluate's cash flow counts them; 0 for
 * a month outside the horizon.  Never above engineers * cost per
 * engineer-month (cost.c says why): the tests check it.
 */
double cost_people_month(const struct cost_inputs *in, const double v[COST_PARAM_COUNT], int m);

#endif /* VERDICT_COST_H */
