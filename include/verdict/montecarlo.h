/* montecarlo.h: seeded random draws, Monte Carlo over the cost model, tornado. */
#ifndef VERDICT_MONTECARLO_H
#define VERDICT_MONTECARLO_H

#include <stddef.h>
#include <stdint.h>

#include "verdict/cost.h"

/* xoshiro256** state; seed it with rng_seed.  No globals: each caller owns one. */
struct rng {
    uint64_t s[4];
};

/* Seed from one 64-bit number via splitmix64 (any seed, 0 included). */
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1), 53 bits. */
double rng_uniform(struct rng *r);

/* Inverse CDF of the triangular distribution (low, mode, high) at u in [0,1).
 * low == high gives low. */
double triangular_quantile(double low, double mode, double high, double u);

#define MC_DEFAULT_DRAWS 10000
#define MC_HISTOGRAM_BINS 20

struct mc_result {
    size_t draws;
    double probability_positive;  /* share of draws with NPV > 0 */
    double probability_break_even;/* share that break even within the horizon */
    double npv_p10;
    double npv_p50;
    double npv_p90;
    double npv_mean;
    double npv_min;
    double npv_max;
    size_t histogram[MC_HISTOGRAM_BINS];  /* NPV counts, npv_min..npv_max */
};

/* Draw every range parameter from its triangular distribution, `draws`
 * times: the service's own stream seeded from seed ^ in->stream_key, a
 * parameter with in->share_key[p] != 0 from the stream of (seed, key),
 * the same for every service with that key (montecarlo.c, "Shared
 * draws"); effort coupled to learning months by a Gaussian copula.  Same
 * inputs and seed, same result.  Allocates `draws` doubles; returns 0, or
 * -1 if that fails. */
int mc_run(const struct cost_inputs *in, size_t draws, uint64_t seed,
           struct mc_result *out);

/* The rank correlation between effort and learning months, as the rho of
 * a Gaussian copula (no seed: see montecarlo.c). */
#define MC_EFFORT_LEARNING_RHO 0.5

/* The key of a shared draw: FNV-1a over scope, name and cost_param_name(p),
 * never 0.  ("language", "python", COST_CPU_REDUCTION); ("economics", "",
 * COST_COST_PER_ENGINEER_MONTH); ("team", team.name, COST_VELOCITY_LOSS). */
uint64_t mc_share_key(const char *scope, const char *name, enum cost_param p);

/* Phi(rho Phi^-1(u_learning) + sqrt(1 - rho^2) Phi^-1(u_effort)): the
 * effort's uniform coupled to the learning curve's (0 <= rho < 1). */
double mc_copula_uniform(double u_effort, double u_learning, double rho);

/* mc_run's NPV of draw i in npv[i], i < draws (the caller's array), the
 * same numbers mc_run summarises; for the plan's own distribution (the
 * sum over services of draw i).  Returns 0, or -1 for a NULL argument. */
int mc_npv_draws(const struct cost_inputs *in, size_t draws, uint64_t seed, double *npv);

/* The type-7 P10, P50 and P90 of x[0..n-1] (reordered), as mc_run finds
 * them; NaN for n == 0. */
void mc_p10_p50_p90(double *x, size_t n, double out[3]);

struct tornado_entry {
    enum cost_param param;
    double npv_at_low;
    double npv_at_high;
    double swing;             /* |npv_at_high - npv_at_low| */
};

/* For each parameter that is a real range, NPV with it at low and at high
 * and every other at likely; sorted by swing, largest first.  Writes at most
 * COST_PARAM_COUNT entries to out and returns how many. */
size_t tornado_run(const struct cost_inputs *in, struct tornado_entry out[COST_PARAM_COUNT]);

#endif /* VERDICT_MONTECARLO_H */
