/* portfolio.h: the set of rewrites that fits the engineer-months available. */
#ifndef VERDICT_PORTFOLIO_H
#define VERDICT_PORTFOLIO_H

#include <stddef.h>

/* One candidate: its effort and what it is worth.  Candidates with NPV <= 0
 * are never chosen. */
struct portfolio_item {
    double engineer_months;   /* what it takes of the capacity, >= 0: the analysis
                                 gives effort + velocity loss, in engineer-months */
    double npv;               /* the value maximised: the analysis gives the mean NPV */
    int eligible;             /* 0: never chosen (e.g. keep or unknown) */
    /* portfolio_schedule only */
    const char *team;         /* team.name; NULL or "": a team of its own */
    double months;            /* calendar months to the last cutover, > 0 */
    double monthly_benefit;   /* what a month's delay costs (Smith's rule) */
};

/* One rewrite of the schedule: items[item] runs months start_month ..
 * live_month (1-based, month m is [m-1, m) from the plan's start) and is
 * live at the end of live_month. */
struct portfolio_slot {
    size_t item;
    int start_month;
    int live_month;
};

struct portfolio_result {
    size_t n_chosen;
    double engineer_months;   /* total of the chosen */
    double npv;               /* total of the chosen */
    double capacity;          /* as given (the analysis: per quarter) */
    /* the analysis fills these (models/analysis.c, plan_portfolio) */
    double npv_p10, npv_p50, npv_p90;   /* of the plan's per-draw total NPV; NaN: empty */
    struct portfolio_slot *schedule;    /* n_chosen slots, by start month; owned by the
                                           analysis (analysis_done frees it) */
};

/*
 * 0/1 knapsack: choose the subset of items with total engineer-months <=
 * capacity that maximises total NPV.  Effort is counted in tenths of an
 * engineer-month (rounded up, so a chosen set never exceeds the capacity);
 * ties prefer less effort, then lower indices, so the answer is
 * deterministic.  chosen[i] is set to 1 or 0 for each item.  Uses
 * O(n * capacity*10) memory, allocated and freed here; capacity is clamped
 * to [0, 10000] engineer-months.  Returns 0, or -1 when memory runs out.
 */
int portfolio_choose(const struct portfolio_item *items, size_t n, double capacity,
                     unsigned char *chosen, struct portfolio_result *out);

/* The quarter's months, for portfolio_schedule and portfolio_fits. */
#define PORTFOLIO_QUARTER_MONTHS 3

/* The calendar months a rewrite occupies: ceil(months), at least 1. */
int portfolio_duration(double months);

/* 1 when item can be scheduled at all on an empty calendar of
 * horizon_months under capacity_per_quarter (NaN: no limit): it goes live
 * within the horizon and its demand in one quarter, engineer_months /
 * duration * min(3, duration), is within the capacity. */
int portfolio_fits(const struct portfolio_item *item, double capacity_per_quarter,
                   int horizon_months);

/*
 * Schedule the items with chosen[i] == 1 over months 1..horizon_months: a
 * team one rewrite at a time, each quarter's demand within
 * capacity_per_quarter (NaN: no limit), Smith's rule order (see
 * portfolio.c).  Writes at most n slots, ordered by start month then item,
 * to slots and returns how many; an item that finds no start that goes
 * live within the horizon is left out and chosen[i] set to 0.  Returns
 * (size_t)-1, chosen untouched, when memory runs out.
 */
size_t portfolio_schedule(const struct portfolio_item *items, size_t n,
                          unsigned char *chosen, double capacity_per_quarter,
                          int horizon_months, struct portfolio_slot *slots);

#endif /* VERDICT_PORTFOLIO_H */
