/* cost.c: the month-by-month cost/benefit model of one rewrite (seed 000's "honest math"). */
#include "verdict/cost.h"

#include <math.h>
#include <string.h>

/*
 * Seed 000, "The Honest Math": a migration is worth it when
 *
 *   infrastructure saved + incidents avoided * cost per incident
 *   + productivity gain
 *     > effort (engineer-months) * cost per engineer-month
 *       + velocity lost on the learning curve
 *
 * This file spreads both sides over the months of a horizon, adds the cost
 * of running old and new side by side, and reads break-even, NPV and ROI
 * off the monthly cash flow.  Money is in the inventory's currency; time
 * is in months, month m (1-based) covering the time interval [m-1, m), with
 * t = 0 the day the migration starts.  Every piece below is integrated
 * exactly over fractional months, so nothing jumps when a draw moves the
 * go-live from 2.99 to 3.01 months.
 *
 * Worked example (the one tests/test_model_cost.c checks to the cent):
 *   10 instances at 3000 a month, floor 2, CPU 60 %, memory 30 %, CPU
 *   reduction 50 %, memory 20 %: CPU-bound, new CPU 30 %, new memory 24 %,
 *   fleet 10 * 0.30 / 0.60 = 5, infra saved 5 * 3000 = 15000 a month;
 *   2 incidents a month at 1500, half avoided: 1500 a month;
 *   productivity 5 % of 4 engineers at 10000: 2000 a month; benefit 18500.
 *   Effort 6 engineer-months, parallelism 2: 3 calendar months, 60000,
 *   20000 in each of months 1-3.  Velocity loss 50 % falling to 0 over 4
 *   months on 40000 a month of team: 17500, 12500, 7500, 2500.  Overlap 1
 *   month: the new 5-instance fleet (15000) in month 3.  Go-live t = 3.
 *   Cash flow: -37500, -32500, -42500, 16000, then 18500 a month; the
 *   cumulative first stays >= 0 in month 10 (14500); over 12 months
 *   benefit 166500, cost 115000, ROI 0.4478.
 */

static const char *const param_names[COST_PARAM_COUNT] = {
    "instances", "min_instances", "cost_per_instance", "cpu_reduction",
    "memory_reduction", "incidents_per_month", "cost_per_incident",
    "incident_reduction", "productivity_gain", "cost_per_engineer_month",
    "effort_engineer_months", "velocity_loss", "learning_months", "overlap_months",
    "discount_rate",
};

static const char *const bound_names[] = { "cpu", "memory", "floor", "unknown" };

/* Half a cent: a cumulative this close to zero counts as paid back, so
 * rounding in the sums cannot push break-even a month later. */
#define COST_BREAK_EVEN_EPS 0.005

const char *cost_param_name(enum cost_param p)
{
    return (unsigned)p < COST_PARAM_COUNT ? param_names[p] : "?";
}

const char *fleet_bound_name(enum fleet_bound b)
{
    return (unsigned)b <= FLEET_BOUND_UNKNOWN ? bound_names[b] : "?";
}

void cost_likely(const struct cost_inputs *in, double v[COST_PARAM_COUNT])
{
    int i;

    for (i = 0; i < COST_PARAM_COUNT; i++)
        v[i] = in->p[i].likely;
}

double cost_monthly_rate(double annual)
{
    return pow(1.0 + annual, 1.0 / 12.0) - 1.0;
}

/* Length of [a, b) inside [lo, hi); 0 when they do not meet. */
static double overlap_len(double a, double b, double lo, double hi)
{
    double s = a > lo ? a : lo;
    double e = b < hi ? b : hi;

    return e > s ? e - s : 0.0;
}

/*
 * Fleet sizing.  u_cpu, u_mem: fleet p95 utilisation of what is
 * provisioned, NaN when unknown (negative counts as 0).
 *
 *   instances <= min_instances   FLOOR: availability, not load, sets the
 *                                fleet; it shrinks by nothing.
 *   both unknown                 UNKNOWN: no infrastructure saving claimed.
 *   otherwise                    CPU if u_cpu >= u_mem (unknown = -inf),
 *                                else MEMORY, and
 *     old   = max(u_cpu, u_mem)
 *     new   = max(u_cpu * (1 - cpu_reduction), u_mem * (1 - memory_reduction))
 *             over the known ones
 *     after = max(min_instances, ceil(instances * new / old - 1e-9)),
 *             never more than instances.
 * The team keeps today's headroom: the fleet scales with whichever resource
 * binds after the rewrite, so a CPU-bound fleet is not shrunk by a memory
 * reduction, and a CPU reduction stops paying once memory binds.  With
 * old == 0 (nothing used) the ratio is taken as its limit, 1 - the binding
 * resource's reduction.  The 1e-9 keeps 4 * 0.6 / 0.8 = 3.0000000000000004 at 3.
 *
 * Example: 10 instances, CPU 60 %, memory 50 %, CPU reduction 50 %: new =
 * max(30 %, 50 %) = 50 %, after = ceil(10 * 0.5 / 0.6) = ceil(8.33) = 9.
 */
static void cost_fleet(const struct cost_inputs *in, const double v[COST_PARAM_COUNT],
                       struct cost_result *out)
{
    double n = v[COST_INSTANCES], floor_n = v[COST_MIN_INSTANCES];
    double uc = in->cpu_utilisation, um = in->memory_utilisation;
    int kc = !isnan(uc), km = !isnan(um);
    double old_u, new_u, ratio, after;

    out->instances_after = n;
    out->infra_saved_per_month = 0.0;
    if (n <= floor_n) {
        out->bound = FLEET_BOUND_FLOOR;
        return;
    }
    if (!kc && !km) {
        out->bound = FLEET_BOUND_UNKNOWN;
        return;
    }
    if (kc && uc < 0)
        uc = 0;
    if (km && um < 0)
        um = 0;
    out->bound = kc && (!km || uc >= um) ? FLEET_BOUND_CPU : FLEET_BOUND_MEMORY;

    old_u = -INFINITY;
    new_u = -INFINITY;
    if (kc) {
        old_u = uc;
        new_u = uc * (1.0 - v[COST_CPU_REDUCTION]);
    }
    if (km) {
        old_u = fmax(old_u, um);
        new_u = fmax(new_u, um * (1.0 - v[COST_MEMORY_REDUCTION]));
    }
    if (old_u > 0)
        ratio = new_u / old_u;
    else
        ratio = 1.0 - v[out->bound == FLEET_BOUND_CPU ? COST_CPU_REDUCTION
                                                      : COST_MEMORY_REDUCTION];
    if (ratio < 0)
        ratio = 0;
    after = ceil(n * ratio - 1e-9);
    if (after < floor_n)
        after = floor_n;
    if (after > n)
        after = n;
    out->instances_after = after;
    out->infra_saved_per_month = (n - after) * v[COST_COST_PER_INSTANCE];
}

/*
 * Share of one engineer-month lost to the learning curve over [a, b).
 * The loss starts at L (fraction of output) at t = 0 and falls linearly to
 * 0 at t = T:  f(t) = L * (1 - t / T) on [0, T], 0 after.  Exactly,
 *   integral over [a', b'] (clipped to [0, T]) = L * ((b'-a') - (b'^2 - a'^2) / 2T).
 * Whole curve: L * T / 2.  T <= 0: no learning curve, no loss.
 * Example: L = 0.5, T = 4: months 1-4 lose 0.4375, 0.3125, 0.1875, 0.0625.
 */
static double velocity_share(double loss, double months, double a, double b)
{
    if (months <= 0)
        return 0.0;
    if (a < 0)
        a = 0;
    if (b > months)
        b = months;
    if (b <= a)
        return 0.0;
    return loss * (b - a) * (1.0 - (b + a) / (2.0 * months));
}

/*
 * The monthly model.  Per month m, over [m-1, m) (currency):
 *
 *   migration(m) = effort * cost_per_engineer_month
 *                  * |[m-1,m) & [0, M)| / M,   M = effort / parallelism
 *   velocity(m)  = engineers * cost_per_engineer_month
 *                  * velocity_share(velocity_loss, learning_months, m-1, m)
 *   overlap(m)   = instances_after * cost_per_instance
 *                  * |[m-1,m) & [max(0, M - overlap_months), M)|
 *   benefit(m)   = (infra + incidents + productivity) * |[m-1,m) & [M, inf)|
 *     infra        = (instances - instances_after) * cost_per_instance
 *     incidents    = incidents_per_month * incident_reduction * cost_per_incident
 *     productivity = productivity_gain * engineers * cost_per_engineer_month
 *   cash_flow(m) = benefit(m) - migration(m) - velocity(m) - overlap(m)
 *
 * for m = 1..H, H = horizon clamped to 1..COST_MAX_MONTHS (later entries
 * are zeroed).  engineers and parallelism below 1 count as 1.  The
 * learning curve slows the whole team (seed 000 counts it apart from the
 * migration effort), and starts with the migration at t = 0.
 *
 *   npv = sum cash_flow(m) / (1 + r)^m,  r = cost_monthly_rate(discount_rate)
 *   roi = (total_benefit - total_cost) / total_cost, undiscounted over the
 *         horizon; NaN when total_cost == 0.
 *
 * migration_cost is the whole effort's cost, even when the migration runs
 * past the horizon; total_cost, velocity_loss and overlap_cost, like the
 * cash flow, hold only the part inside the horizon.  A migration longer
 * than the horizon therefore never breaks even within it and its ROI is
 * -1 (no benefit yet).
 */
static void cost_run(const struct cost_inputs *in, const double v[COST_PARAM_COUNT],
                     double step, int keep_months, struct cost_result *out)
{
    double cpem = v[COST_COST_PER_ENGINEER_MONTH];
    double effort = v[COST_EFFORT_ENGINEER_MONTHS];
    double engineers = in->engineers < 1 ? 1.0 : (double)in->engineers;
    double parallelism = in->parallelism < 1 ? 1.0 : (double)in->parallelism;
    double team_per_month, migration_rate, new_fleet, overlap_start, discount, steady;
    double benefit, mig_months, loss, learning, total_migration = 0.0, total_velocity = 0.0;
    double total_overlap = 0.0, total_benefit = 0.0, cum = 0.0, npv = 0.0;
    int h = in->horizon_months, m, last_below = 0;

    if (h < 1)
        h = 1;
    if (h > COST_MAX_MONTHS)
        h = COST_MAX_MONTHS;

    cost_fleet(in, v, out);
    out->incidents_saved_per_month = v[COST_INCIDENTS_PER_MONTH]
                                     * v[COST_INCIDENT_REDUCTION] * v[COST_COST_PER_INCIDENT];
    out->productivity_per_month = v[COST_PRODUCTIVITY_GAIN] * engineers * cpem;
    out->monthly_benefit = out->infra_saved_per_month + out->incidents_saved_per_month
                           + out->productivity_per_month;
    out->migration_cost = effort * cpem;
    out->migration_months = effort / parallelism;
    out->months_live = fmax(0.0, (double)h - out->migration_months);
    out->n_months = h;

    team_per_month = engineers * cpem;
    migration_rate = out->migration_months > 0 ? out->migration_cost / out->migration_months
                                               : 0.0;
    new_fleet = out->instances_after * v[COST_COST_PER_INSTANCE];
    overlap_start = fmax(0.0, out->migration_months - v[COST_OVERLAP_MONTHS]);
    discount = 1.0;

    /* Locals, not out->..., inside the loop: the stores to out->cash_flow
     * could alias them and would force a reload every month. */
    benefit = out->monthly_benefit;
    mig_months = out->migration_months;
    /* From here on a month holds the full benefit and nothing else. */
    loss = v[COST_VELOCITY_LOSS];
    learning = v[COST_LEARNING_MONTHS];
    steady = fmax(mig_months, learning);

    /* The months before `steady` (migration, overlap, learning curve),
     * then the months that hold the full benefit and nothing else: two
     * loops, so that the second, usually most of the horizon, is a few
     * instructions (the Monte Carlo runs it 10,000 times a service).
     * !(a >= steady) as the test, so a NaN keeps every month in the first
     * loop, as the single loop did. */
    for (m = 1; m <= h && !((double)(m - 1) >= steady); m++) {
        double a = m - 1, b = m, cf;
        double mig = migration_rate * overlap_len(a, b, 0.0, mig_months);
        double vel = team_per_month * velocity_share(loss, learning, a, b);
        double ovl = new_fleet * overlap_len(a, b, overlap_start, mig_months);
        double ben = benefit * overlap_len(a, b, mig_months, b);

        cf = ben - mig - vel - ovl;
        total_migration += mig;
        total_velocity += vel;
        total_overlap += ovl;
        total_benefit += ben;
        cum += cf;
        discount *= step;
        npv += cf * discount;
        if (cum < -COST_BREAK_EVEN_EPS)
            last_below = m;
        if (keep_months) {
            out->cash_flow[m - 1] = cf;
            out->cumulative[m - 1] = cum;
        }
    }
    for (; m <= h; m++) {
        total_benefit += benefit;
        cum += benefit;
        discount *= step;
        npv += benefit * discount;
        if (cum < -COST_BREAK_EVEN_EPS)
            last_below = m;
        if (keep_months) {
            out->cash_flow[m - 1] = benefit;
            out->cumulative[m - 1] = cum;
        }
    }
    if (keep_months && h < COST_MAX_MONTHS) {
        memset(out->cash_flow + h, 0, (size_t)(COST_MAX_MONTHS - h) * sizeof(double));
        memset(out->cumulative + h, 0, (size_t)(COST_MAX_MONTHS - h) * sizeof(double));
    }

    out->velocity_loss = total_velocity;
    out->overlap_cost = total_overlap;
    out->total_benefit = total_benefit;
    out->total_cost = total_migration + total_velocity + total_overlap;
    out->npv = npv;
    out->roi = out->total_cost != 0.0
                   ? (out->total_benefit - out->total_cost) / out->total_cost
                   : NAN;
    /* Break-even: the first month whose cumulative cash flow is >= -half a
     * cent and stays there for every later month of the horizon, so the
     * month after the last one below; 0 if that is past the horizon.  With
     * no cost and no loss at all every cumulative is >= 0: month 1. */
    out->break_even_month = last_below < h ? last_below + 1 : 0;
}

double cost_discount_step(double annual)
{
    return 1.0 / (1.0 + cost_monthly_rate(annual));     /* (1 + r)^-1 */
}

void cost_evaluate(const struct cost_inputs *in, const double v[COST_PARAM_COUNT],
                   struct cost_result *out)
{
    cost_run(in, v, cost_discount_step(v[COST_DISCOUNT_RATE]), 1, out);
}

/*
 * The same model without the months: nothing is written to the two
 * 240-month arrays, which the Monte Carlo never reads (zeroing their
 * unused tail was 40 % of cost_evaluate's time).  Same operations in the
 * same order as cost_evaluate, so the same NPV to the last bit.
 */
double cost_npv(const struct cost_inputs *in, const double v[COST_PARAM_COUNT], double step,
                int *break_even_month)
{
    struct cost_result r;

    cost_run(in, v, step, 0, &r);
    if (break_even_month != NULL)
        *break_even_month = r.break_even_month;
    return r.npv;
}
