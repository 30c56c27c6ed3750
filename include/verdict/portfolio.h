/* portfolio.h: the set of rewrites that fits the engineer-months available. */
#ifndef VERDICT_PORTFOLIO_H
#define VERDICT_PORTFOLIO_H

#include <stddef.h>

/* One candidate: its effort and what it is worth.  Candidates with NPV <= 0
 * are never chosen. */
struct portfolio_item {
    double engineer_months;   /* likely effort, >= 0 */
    double npv;               /* likely NPV */
    int eligible;             /* 0: never chosen (e.g. keep or unknown) */
};

struct portfolio_result {
    size_t n_chosen;
    double engineer_months;   /* total of the chosen */
    double npv;               /* total of the chosen */
    double capacity;          /* as given */
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

#endif /* VERDICT_PORTFOLIO_H */
