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
 *   Effort 6 engineer-months, parallelism 2: billed 2 * 10000 = 20000 a
 *   month for W = 3 months, 60000; no calendar given, so it is 3 months too.
 *   Velocity loss 50 % falling to 0 over 4 months, charged on the capacity
 *   not billed: the other 2 engineers (20000 a month) in months 1-3, all 4
 *   (40000) in month 4: 8750, 6250, 3750, 2500 (it was 17500, 12500, 7500,
 *   2500, charging the 2 migrating engineers twice).  Overlap 1 month: the
 *   new 5-instance fleet (15000) in month 3.  Go-live t = 3, no ramp.
 *   Cash flow: -28750, -26250, -38750, 16000, then 18500 a month; the
 *   cumulative first stays >= 0 in month 9 (14750); over 12 months
 *   benefit 166500, cost 96250, ROI 0.7299.  People cost in month 1:
 *   20000 + 8750 = 28750 <= 4 * 10000.
 *   With a ramp (ramp_share 2/3: the endpoints move over [1, 3)), 4
 *   changes a month at 2.1 engineer-days each (0.1 engineer-month: 4000 a
 *   month over [0, 3)) and the learning offset 1 (the team's second
 *   rewrite): tests/test_model_cost.c "ramp, double build, offset".
 */

/* The tornado's labels, in every report.  Where a parameter is one
 * assumption it carries that row's key in the assumption table
 * (assumption_table.c); learning_months and overlap_months are the model's
 * own (the learning curve's "months" for the team's experience; the months
 * both fleets run), so the labels stay a list of their own. */
static const char *const param_names[COST_PARAM_COUNT] = {
    "instances", "min_instances", "cost_per_instance", "cpu_reduction",
    "memory_reduction", "incidents_per_month", "cost_per_incident",
    "incident_reduction", "productivity_gain", "latency_saved",
    "cost_per_engineer_month",
    "effort_engineer_months", "velocity_loss", "learning_months", "overlap_months",
    "changes_per_month", "cost_per_change", "ecosystem_gap", "discount_rate",
};

static const char *const bound_names[] = { "cpu", "memory", "floor", "unknown" };

/* Half a cent: a cumulative this close to zero counts as paid back, so
 * rounding in the sums cannot push break-even a month later. */
#define COST_BREAK_EVEN_EPS 0.005

/* Working days in an engineer-month, for cost_per_change (engineer-days):
 * 252 working days a year / 12 (no seed gives one; the usual count). */
#define COST_WORKING_DAYS_PER_MONTH 21.0

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

/*
 * The larger of x and y, a NaN ignored: fmax without the call (GCC calls
 * libm's fmax unless told that no NaN occurs), for the two uses in
 * cost_terms, which take it once a draw.  It can differ from fmax only in
 * the sign of a zero result or in which of two NaNs it returns, and
 * neither use can tell: see each.
 */
static double larger(double x, double y)
{
    if (isnan(x))
        return y;
    if (isnan(y))
        return x;
    return x > y ? x : y;
}

/* Length of [a, b) inside [lo, hi); 0 when they do not meet. */
static double overlap_len(double a, double b, double lo, double hi)
{
    double s = a > lo ? a : lo;
    double e = b < hi ? b : hi;

    return e > s ? e - s : 0.0;
}

void cost_plan_init(struct cost_plan *plan, const struct cost_inputs *in)
{
    double uc = in->cpu_utilisation, um = in->memory_utilisation;
    int kc = !isnan(uc), km = !isnan(um), h = in->horizon_months;

    if (h < 1)
        h = 1;
    if (h > COST_MAX_MONTHS)
        h = COST_MAX_MONTHS;
    if (kc && uc < 0)
        uc = 0;
    if (km && um < 0)
        um = 0;
    plan->engineers = in->engineers < 1 ? 1.0 : (double)in->engineers;
    plan->parallelism = in->parallelism < 1 ? 1.0 : (double)in->parallelism;
    /* more engineers on the migration than in the team: the team (the
     * payroll bound below rests on it) */
    if (plan->parallelism > plan->engineers)
        plan->parallelism = plan->engineers;
    plan->calendar_parallelism = in->calendar_parallelism > 0 ? in->calendar_parallelism
                                                              : plan->parallelism;
    plan->ramp_share = in->ramp_share > 0 ? (in->ramp_share < 1 ? in->ramp_share : 1.0) : 0.0;
    plan->learning_offset = in->learning_offset_months > 0 ? in->learning_offset_months : 0.0;
    plan->already = in->already_rewriting != 0;
    plan->months = h;
    if (!kc && !km)
        plan->bound = FLEET_BOUND_UNKNOWN;
    else
        plan->bound = kc && (!km || uc >= um) ? FLEET_BOUND_CPU : FLEET_BOUND_MEMORY;
    plan->cpu_u = uc;
    plan->memory_u = um;
    plan->old_u = -INFINITY;
    if (kc)
        plan->old_u = uc;
    if (km)
        plan->old_u = fmax(plan->old_u, um);
}

/* What the fleet sizing gives at values v (see cost_fleet). */
struct fleet {
    enum fleet_bound bound;
    double after;                   /* instances after the rewrite */
    double saved_per_month;         /* infrastructure */
};

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
 * What depends on the measurements only (the bound, old) is in the plan.
 *
 * Example: 10 instances, CPU 60 %, memory 50 %, CPU reduction 50 %: new =
 * max(30 %, 50 %) = 50 %, after = ceil(10 * 0.5 / 0.6) = ceil(8.33) = 9.
 */
static void cost_fleet(const struct cost_plan *plan, const double v[COST_PARAM_COUNT],
                       struct fleet *f)
{
    double n = v[COST_INSTANCES], floor_n = v[COST_MIN_INSTANCES];
    double new_u = -INFINITY, ratio, after;

    f->after = n;
    f->saved_per_month = 0.0;
    f->bound = plan->bound;
    if (n <= floor_n) {
        f->bound = FLEET_BOUND_FLOOR;
        return;
    }
    if (plan->bound == FLEET_BOUND_UNKNOWN)
        return;
    if (!isnan(plan->cpu_u))
        new_u = plan->cpu_u * (1.0 - v[COST_CPU_REDUCTION]);
    if (!isnan(plan->memory_u))
        new_u = fmax(new_u, plan->memory_u * (1.0 - v[COST_MEMORY_REDUCTION]));
    if (plan->old_u > 0)
        ratio = new_u / plan->old_u;
    else
        ratio = 1.0 - v[f->bound == FLEET_BOUND_CPU ? COST_CPU_REDUCTION
                                                    : COST_MEMORY_REDUCTION];
    if (ratio < 0)
        ratio = 0;
    after = ceil(n * ratio - 1e-9);
    if (after < floor_n)
        after = floor_n;
    if (after > n)
        after = n;
    f->after = after;
    f->saved_per_month = (n - after) * v[COST_COST_PER_INSTANCE];
}

double cost_instances_after(const struct cost_inputs *in, const double v[COST_PARAM_COUNT])
{
    struct cost_plan plan;
    struct fleet f;

    cost_plan_init(&plan, in);
    cost_fleet(&plan, v, &f);
    return f.after;
}

/*
 * The model at values v before it is spread over the months: the monthly
 * benefit at full run rate, the migration and what the months below need.
 */
struct cost_terms {
    struct fleet fleet;
    double incidents_saved;         /* per month */
    double productivity;            /* per month */
    double ramped;                  /* infra + incidents: they move with the traffic */
    double at_go_live;              /* productivity: from the last cutover on */
    double benefit;                 /* the three, per month */
    double migration_cost;          /* the effort charged */
    double migration_months;        /* calendar to the last cutover, M below */
    double billed_months;           /* W below: effort charged / parallelism */
    double bill_rate;               /* parallelism * cost per engineer-month */
    double cpem;                    /* cost per engineer-month */
    double engineers, idle;         /* the team; engineers - parallelism (>= 0) */
    double new_fleet;               /* per month, while old and new overlap */
    double overlap_start;
    double ramp_start, ramp_len;    /* the benefit ramps over [ramp_start, M) */
    double double_build_rate;       /* changes built twice, per calendar month */
    double loss, learning;          /* the learning curve */
    double twice_learning;          /* 2 * learning */
    double offset;                  /* months of it already climbed */
    double steady;                  /* from here on a month holds the full benefit only */
};

static void cost_terms(const struct cost_plan *plan, const double v[COST_PARAM_COUNT],
                       struct cost_terms *t)
{
    double cpem = v[COST_COST_PER_ENGINEER_MONTH];
    double effort = v[COST_EFFORT_ENGINEER_MONTHS];
    double charged = plan->already ? effort * v[COST_ECOSYSTEM_GAP] : effort;

    cost_fleet(plan, v, &t->fleet);
    t->incidents_saved = v[COST_INCIDENTS_PER_MONTH] * v[COST_INCIDENT_REDUCTION]
                         * v[COST_COST_PER_INCIDENT];
    t->productivity = v[COST_PRODUCTIVITY_GAIN] * plan->engineers * cpem;
    /* The benefit's terms, per month at full run rate.  Those that move
     * with the traffic (ramped as the endpoints are cut over) are summed in
     * ramped, those that start at the last cutover in at_go_live: a new
     * term is one more "+" on one of the two lines. */
    t->ramped = t->fleet.saved_per_month + t->incidents_saved
                + v[COST_LATENCY_SAVED];   /* currency a month, made in analysis.c */
    t->at_go_live = t->productivity;
    t->benefit = t->ramped + t->at_go_live;
    t->migration_cost = charged * cpem;
    t->migration_months = effort / plan->calendar_parallelism;
    t->billed_months = charged / plan->parallelism;
    t->bill_rate = plan->parallelism * cpem;
    t->cpem = cpem;
    t->engineers = plan->engineers;
    t->idle = plan->engineers - plan->parallelism;
    t->new_fleet = plan->already ? 0.0 : t->fleet.after * v[COST_COST_PER_INSTANCE];
    /* larger, not fmax: overlap_len gives the same for a zero start of
     * either sign (a month from 0 starts at max(0, start); e - -0 == e - 0,
     * and a zero difference counts as none) */
    t->overlap_start = larger(0.0, t->migration_months - v[COST_OVERLAP_MONTHS]);
    t->ramp_len = t->migration_months * plan->ramp_share;
    t->ramp_start = t->migration_months - t->ramp_len;
    t->double_build_rate = plan->already ? 0.0
                           : v[COST_CHANGES_PER_MONTH] * v[COST_COST_PER_CHANGE]
                             / COST_WORKING_DAYS_PER_MONTH * cpem;
    t->loss = v[COST_VELOCITY_LOSS];
    t->learning = v[COST_LEARNING_MONTHS];
    t->twice_learning = 2.0 * t->learning;
    t->offset = plan->learning_offset;
    /* larger, not fmax: only ever compared with a month number */
    t->steady = larger(larger(t->migration_months, t->billed_months),
                       t->learning - t->offset);
}

/*
 * Share of one engineer-month lost to the learning curve over [a, b).
 * The loss starts at L (fraction of output) at t = -offset (the months of
 * the curve the team climbed on its earlier rewrites, team.name) and falls
 * linearly to 0 at t = T - offset:  f(t) = L * (1 - (t + offset) / T), 0
 * after.  With u = t + offset, exactly,
 *   integral over [A, B] (clipped to [0, T]) = L * ((B-A) - (B^2 - A^2) / 2T).
 * Whole curve, offset 0: L * T / 2.  T <= 0: no learning curve, no loss.
 * Example: L = 0.5, T = 4: months 1-4 lose 0.4375, 0.3125, 0.1875, 0.0625;
 * with offset 2 (a second rewrite of the team, after a 2-month first one)
 * months 1-2 lose 0.1875, 0.0625 and nothing after.
 * a is a month's start, never below 0, so only b is clipped; 2T is
 * t->twice_learning, worked out once a draw (the same product every time).
 */
static double velocity_share(const struct cost_terms *t, double a, double b)
{
    if (t->learning <= 0)
        return 0.0;
    a += t->offset;
    b += t->offset;
    if (b > t->learning)
        b = t->learning;
    if (b <= a)
        return 0.0;
    return t->loss * (b - a) * (1.0 - (b + a) / t->twice_learning);
}

/*
 * Share of the ramped benefit earned over [a, b): the moved share of the
 * traffic rises in a straight line from 0 at ramp_start to 1 at M and stays
 * at 1 after, so
 *   integral = |[a,b) & [M, inf)|
 *            + (B - A) * ((A + B) / 2 - ramp_start) / ramp_len,
 *              A = max(a, ramp_start), B = min(b, M), when B > A.
 * ramp_len 0 (no ramp): the whole benefit from M on, as a step.
 * Example: ramp [1, 3), month 2 = [1, 2): (2 - 1) * (1.5 - 1) / 2 = 0.25;
 * month 3: 0.75; month 4: 1.
 */
static double ramp_share(const struct cost_terms *t, double a, double b)
{
    double m = t->migration_months;
    double s = overlap_len(a, b, m, b);

    if (t->ramp_len > 0) {
        double lo = a > t->ramp_start ? a : t->ramp_start, hi = b < m ? b : m;

        if (hi > lo)
            s += (hi - lo) * ((lo + hi) * 0.5 - t->ramp_start) / t->ramp_len;
    }
    return s;
}

/* One month [a, a + 1) before the steady state; see cost_run. */
struct month_flow {
    double migration, velocity, overlap, double_build, benefit;
    double cash;                    /* benefit - the four costs */
};

/* The four costs over [a, b): a month (month_flow), or the part of one
 * before a cancellation (cost_plan_npv_cancelled). */
static inline void flow_costs(const struct cost_terms *t, double a, double b,
                              struct month_flow *f)
{
    double w = t->billed_months;
    /* [a, split) is billed, [split, b) is not: split = min(b, max(a, W))
     * (a NaN W makes it b: the whole month billed) */
    double split = a > w ? a : (w < b ? w : b);

    f->migration = t->bill_rate * overlap_len(a, b, 0.0, w);
    /* the curve on the capacity not billed: the idle engineers while the
     * migration is billed, the whole team after */
    f->velocity = t->cpem * (t->idle * velocity_share(t, a, split)
                             + t->engineers * velocity_share(t, split, b));
    f->overlap = t->new_fleet * overlap_len(a, b, t->overlap_start, t->migration_months);
    f->double_build = t->double_build_rate * overlap_len(a, b, 0.0, t->migration_months);
}

static inline void month_flow(const struct cost_terms *t, double a, struct month_flow *f)
{
    double b = a + 1.0;

    flow_costs(t, a, b, f);
    f->benefit = t->ramped * ramp_share(t, a, b)
                 + t->at_go_live * overlap_len(a, b, t->migration_months, b);
    f->cash = f->benefit - f->migration - f->velocity - f->overlap - f->double_build;
}

/*
 * The monthly model.  Per month m, over [m-1, m) (currency; cpem = cost per
 * engineer-month, E = the effort charged: effort_engineer_months, times
 * ecosystem_gap when already_rewriting; p = parallelism, at most the team):
 *
 *   migration(m)   = p * cpem * |[m-1,m) & [0, W)|,   W = E / p
 *   velocity(m)    = cpem * ( (engineers - p) * share(velocity curve over the
 *                              part of the month inside [0, W))
 *                             + engineers * share(over the part after W) )
 *   overlap(m)     = instances_after * cost_per_instance
 *                    * |[m-1,m) & [max(0, M - overlap_months), M)|
 *   double_build(m)= changes_per_month * cost_per_change / 21 * cpem
 *                    * |[m-1,m) & [0, M)|
 *   benefit(m)     = (infra + incidents) * ramp(m-1, m)
 *                    + productivity * |[m-1,m) & [M, inf)|
 *     infra        = (instances - instances_after) * cost_per_instance
 *     incidents    = incidents_per_month * incident_reduction * cost_per_incident
 *     productivity = productivity_gain * engineers * cpem
 *   cash_flow(m)   = benefit(m) - migration(m) - velocity(m) - overlap(m)
 *                    - double_build(m)
 *
 * where M = effort_engineer_months / calendar_parallelism is the calendar
 * to the last cutover (effort.c: phases, cutover one endpoint at a time and
 * the rollback week as elapsed time; the calendar stretches with the effort
 * drawn), and ramp() the moved share of the traffic (ramp_share above).
 * Units: months, engineers, currency; cost_per_change in engineer-days,
 * COST_WORKING_DAYS_PER_MONTH (21: 252 working days a year / 12) of them to
 * an engineer-month.
 *
 * Why these, issue 14 section 2:
 *  - No engineer is charged twice.  The migration bills its p engineers in
 *    full, p * cpem a month, for W = E / p months: the effort is work, so
 *    it is billed at the rate the people doing it cost, not spread over the
 *    calendar (cutovers waiting a week on traffic leave the engineers free
 *    for other work; the cleanup after the last cutover is still billed).
 *    The learning curve is charged only on the capacity not billed: the
 *    engineers - p others while the migration is billed, the whole team
 *    after.  Seed 000 puts the loss on the feature work ("if you're
 *    migrating during a critical feature push, you'll feel the pain"), and
 *    its phase weeks are "the process I follow for every migration": the
 *    time real teams, learning as they went, took.  The other choice,
 *    stretching the effort by 1 / (1 - loss), would charge the curve a
 *    second time on top of such an estimate (or of the team's own, given
 *    for the team as it is), so it is not taken.  The price: a team wholly
 *    on the migration for its whole curve is charged little velocity loss
 *    (the demo's api-gateway: 2k, was 30k).  Then
 *    in every month migration + velocity <= engineers * cpem: at each
 *    instant p + (engineers - p) * loss <= engineers while billed and
 *    engineers * loss <= engineers after, as loss <= 1.  Example: pricing-
 *    engine, 3 engineers at 25000, all 3 on the migration: month 1 is
 *    75000 of migration and 0 of velocity (it was 91,600).
 *  - A team learns once: offset (learning_offset_months) is the calendar
 *    of the team's earlier rewrites (analysis.c orders them), so the curve
 *    starts lower and ends sooner.
 *  - The benefit ramps as the endpoints move (the strangler fig): the fleet
 *    shrinks and incidents fall in proportion to the traffic moved, a
 *    straight line from ramp_start = M * (1 - ramp_share) to M (effort.c:
 *    from the first endpoint's cutover to the last one's 100 %).  The
 *    productivity gain starts at M: before it the team's capacity is
 *    billed to the migration or still works in the old code base as well,
 *    so a gain on it would count the same hours twice.
 *  - Changes shipped while old and new both exist ([0, M)) are built twice
 *    (seed 000's "just one more thing"): each costs cost_per_change more.
 *  - already_rewriting: the rewrite happens anyway, so only the language's
 *    extra is charged: the learning curve and ecosystem_gap of the effort;
 *    the overlap and the double build come with any rewrite: not charged.
 *
 * for m = 1..H, H = horizon clamped to 1..COST_MAX_MONTHS (later entries
 * are zeroed).  engineers and parallelism below 1 count as 1, parallelism
 * above engineers as engineers.
 *
 *   npv = sum cash_flow(m) / (1 + r)^m,  r = cost_monthly_rate(discount_rate)
 *   roi = (total_benefit - total_cost) / total_cost, undiscounted over the
 *         horizon; NaN when total_cost == 0.
 *   break_even_month: the payback month on the undiscounted cumulative;
 *   discounted_break_even_month: the same on the running NPV (at the end of
 *         this function; cost_plan_npv does not make it).
 *
 * migration_cost is the whole charged effort's cost, even when the
 * migration runs past the horizon; total_cost, velocity_loss, overlap_cost
 * and double_build_cost, like the cash flow, hold only the part inside the
 * horizon.  A migration longer than the horizon therefore never breaks
 * even within it and, without a ramp, its ROI is -1 (no benefit yet).
 *
 * cost_plan_npv below is this function less the months, the totals and
 * the other figures: the same terms (cost_terms, month_flow), the same
 * sums in the same order.  Change one, change both.
 */
static void cost_run(const struct cost_inputs *in, const double v[COST_PARAM_COUNT],
                     struct cost_result *out)
{
    struct cost_plan plan;
    struct cost_terms t;
    double step = cost_discount_step(v[COST_DISCOUNT_RATE]);
    double benefit, steady, discount = 1.0, total_migration = 0.0, total_velocity = 0.0;
    double total_overlap = 0.0, total_double = 0.0, total_benefit = 0.0, cum = 0.0;
    double npv = 0.0;
    int h, m, last_below = 0, last_below_npv = 0;

    cost_plan_init(&plan, in);
    cost_terms(&plan, v, &t);
    h = plan.months;
    out->bound = t.fleet.bound;
    out->instances_after = t.fleet.after;
    out->infra_saved_per_month = t.fleet.saved_per_month;
    out->incidents_saved_per_month = t.incidents_saved;
    out->productivity_per_month = t.productivity;
    out->latency_saved_per_month = v[COST_LATENCY_SAVED];
    out->monthly_benefit = t.benefit;
    out->migration_cost = t.migration_cost;
    out->migration_months = t.migration_months;
    out->billed_months = t.billed_months;
    out->months_live = fmax(0.0, (double)h - t.migration_months);
    out->n_months = h;

    /* Locals, not out->..., inside the loops: the stores to out->cash_flow
     * could alias them and would force a reload every month. */
    benefit = t.benefit;
    steady = t.steady;

    /* The months before `steady` (migration, ramp, overlap, learning
     * curve), then the months that hold the full benefit and nothing else:
     * two loops, so that the second, usually most of the horizon, is a few
     * instructions.  !(a >= steady) as the test, so a NaN keeps every month
     * in the first loop. */
    for (m = 1; m <= h && !((double)(m - 1) >= steady); m++) {
        struct month_flow f;

        month_flow(&t, m - 1, &f);
        total_migration += f.migration;
        total_velocity += f.velocity;
        total_overlap += f.overlap;
        total_double += f.double_build;
        total_benefit += f.benefit;
        cum += f.cash;
        discount *= step;
        npv += f.cash * discount;
        if (cum < -COST_BREAK_EVEN_EPS)
            last_below = m;
        if (npv < -COST_BREAK_EVEN_EPS)
            last_below_npv = m;
        out->cash_flow[m - 1] = f.cash;
        out->cumulative[m - 1] = cum;
    }
    for (; m <= h; m++) {
        total_benefit += benefit;
        cum += benefit;
        discount *= step;
        npv += benefit * discount;
        if (cum < -COST_BREAK_EVEN_EPS)
            last_below = m;
        if (npv < -COST_BREAK_EVEN_EPS)
            last_below_npv = m;
        out->cash_flow[m - 1] = benefit;
        out->cumulative[m - 1] = cum;
    }
    if (h < COST_MAX_MONTHS) {
        memset(out->cash_flow + h, 0, (size_t)(COST_MAX_MONTHS - h) * sizeof(double));
        memset(out->cumulative + h, 0, (size_t)(COST_MAX_MONTHS - h) * sizeof(double));
    }

    out->velocity_loss = total_velocity;
    out->overlap_cost = total_overlap;
    out->double_build_cost = total_double;
    out->total_benefit = total_benefit;
    out->total_cost = total_migration + total_velocity + total_overlap + total_double;
    out->npv = npv;
    out->roi = out->total_cost != 0.0
                   ? (out->total_benefit - out->total_cost) / out->total_cost
                   : NAN;
    /* Break-even: the first month whose cumulative cash flow is >= -half a
     * cent and stays there for every later month of the horizon, so the
     * month after the last one below; 0 if that is past the horizon.  With
     * no cost and no loss at all every cumulative is >= 0: month 1. */
    out->break_even_month = last_below < h ? last_below + 1 : 0;
    /* Discounted break-even: the same rule on the running NPV,
     *   D(m) = sum over k <= m of cash_flow(k) / (1 + r)^k   (currency, today's
     *   money; r = cost_monthly_rate(discount_rate)), D(H) = npv,
     * the first month with D >= -half a cent in it and every later month of
     * the horizon; 0 (null, "never") when D(H) < -half a cent, so it is 0
     * exactly when npv < 0 by more than rounding.  With the costs first and
     * the benefit after (one change of sign, as this model makes with
     * non-negative inputs) and a rate >= 0, never before the payback month:
     * a later benefit weighs less than an earlier cost.  At rate 0 the two
     * are the same month.  A NaN anywhere
     * never compares below, as for break_even_month.  Worked example (the
     * file's, at 5 % a month, tests/test_model_cost.c): D = -27380.95,
     * -51190.48, -84664.18, -71500.94, -57005.71, -43200.72, -30053.12,
     * -17531.59, -5606.33, +5751.07, +16567.64, +26869.13: month 10, one
     * after the payback (month 9); at 1 % a month both are month 9. */
    out->discounted_break_even_month = last_below_npv < h ? last_below_npv + 1 : 0;
}

double cost_discount_step(double annual)
{
    return 1.0 / (1.0 + cost_monthly_rate(annual));     /* (1 + r)^-1 */
}

void cost_discount_factors(double step, int months, double *factor)
{
    double discount = 1.0;
    int m;

    for (m = 0; m < months; m++) {
        discount *= step;
        factor[m] = discount;
    }
}

void cost_evaluate(const struct cost_inputs *in, const double v[COST_PARAM_COUNT],
                   struct cost_result *out)
{
    cost_run(in, v, out);
}

/* The running sums of cost_plan_npv: cumulative cash, NPV, the last month
 * whose cumulative is below -half a cent. */
struct npv_sum {
    double cum, npv;
    int last_below;
};

static inline void npv_add(struct npv_sum *s, double cash, double factor, int m)
{
    s->cum += cash;
    s->npv += cash * factor;
    if (s->cum < -COST_BREAK_EVEN_EPS)
        s->last_below = m;
}

/*
 * cost_run for the NPV and the break-even month only, 10,000 times a
 * service: nothing written to the two 240-month arrays, no totals, and the
 * discount factors read from a table rather than multiplied out every time
 * (cost_discount_factors makes them by the same multiplications, so they
 * are the same numbers).  The months before the steady state go through
 * month_flow, as in cost_run, so the cash of every month is the same
 * number as cost_run's, and cum and npv sum them in the same order: the
 * NPV and the break-even month are the same to the last bit.  (Those
 * months are few: the calendar, the billed months and the learning curve,
 * rarely a year; the shortcut is in the full-benefit months after them.)
 */
double cost_plan_npv(const struct cost_plan *plan, const double v[COST_PARAM_COUNT],
                     const double *factor, int *break_even_month)
{
    struct cost_terms t;
    struct npv_sum sum = { 0.0, 0.0, 0 };
    double a, benefit;
    int h = plan->months, m;

    cost_terms(plan, v, &t);
    /* a, month m's start, counts as a double (exact: small integers), so
     * that the test does not convert m every month */
    for (m = 1, a = 0.0; m <= h && !(a >= t.steady); m++, a += 1.0) {
        struct month_flow f;

        month_flow(&t, a, &f);
        npv_add(&sum, f.cash, factor[m - 1], m);
    }

    /* The full-benefit months.  When the benefit is not negative the
     * cumulative never falls (rounding is monotone: cum + b >= cum for
     * b >= 0, and a NaN stays NaN and never compares below): the months
     * below -half a cent run up to the first one that is not, and after it
     * only the NPV remains to be summed. */
    benefit = t.benefit;
    if (!(benefit < 0)) {
        /* month m's factor is factor[m - 1]: walked by pointer, the loops
         * are a few instructions shorter */
        const double *first = factor + (m - 1), *end = factor + h, *f;

        for (f = first; f < end; f++) {
            sum.cum += benefit;
            sum.npv += benefit * *f;
            if (!(sum.cum < -COST_BREAK_EVEN_EPS))
                break;
        }
        if (f > first)
            sum.last_below = (int)(f - factor);     /* the month before f's */
        if (f < end)
            for (f++; f < end; f++)
                sum.npv += benefit * *f;
    } else {
        for (; m <= h; m++)
            npv_add(&sum, benefit, factor[m - 1], m);
    }
    if (break_even_month != NULL)
        *break_even_month = sum.last_below < h ? sum.last_below + 1 : 0;
    return sum.npv;
}

double cost_npv(const struct cost_inputs *in, const double v[COST_PARAM_COUNT], double step,
                int *break_even_month)
{
    struct cost_plan plan;
    double factor[COST_MAX_MONTHS];

    cost_plan_init(&plan, in);
    cost_discount_factors(step, plan.months, factor);
    return cost_plan_npv(&plan, v, factor, break_even_month);
}

/*
 * A rewrite cancelled before it goes live (economics.cancellation_probability,
 * the Monte Carlo's draws): seed 000 saw one of its three migrations
 * "cancelled six months in after burning a quarter of the team's roadmap
 * capacity".  Cancelled at t_c = fraction * M (M = migration_months, the
 * calendar to the last cutover; fraction in [0, 1], clamped), the rewrite
 * pays the four costs of cost_run's months over [0, t_c) and earns nothing:
 * the endpoints already moved go back, so no fleet, incident, latency or
 * productivity benefit is kept, and after t_c nothing more is charged (the
 * team is back on the old code; the learning curve's loss stops with it).
 *
 *   npv_cancelled = - sum over months m with m - 1 < t_c of
 *                     costs over [m - 1, min(m, t_c)) * factor[m - 1]
 *
 * (currency, today's money; factor as for cost_plan_npv).  It never breaks
 * even: with any cost it stays below zero, and with none it is 0.  A NaN
 * t_c charges nothing.  Worked example (the file's, every cost a point,
 * tests/test_model_cost.c): M = 3, cancelled half way, t_c = 1.5: month 1
 * bills 2 engineers, 20,000, and the curve on the 2 others, 20,000 *
 * 0.4375 = 8,750; month 2's half: 10,000 and 20,000 * 0.5 * 0.5 * (1 -
 * 2.5 / 8) = 3,437.50; at 0 % a year -42,187.50, at 1 % a month
 * -28,750 / 1.01 - 13,437.50 / 1.01^2 = -41,638.07.
 */
double cost_plan_npv_cancelled(const struct cost_plan *plan, const double v[COST_PARAM_COUNT],
                               const double *factor, double fraction)
{
    struct cost_terms t;
    double a, tc, npv = 0.0;
    int m;

    cost_terms(plan, v, &t);
    if (!(fraction > 0))
        fraction = 0.0;
    if (fraction > 1)
        fraction = 1.0;
    tc = fraction * t.migration_months;
    for (m = 1, a = 0.0; m <= plan->months && a < tc; m++, a += 1.0) {
        struct month_flow f;

        flow_costs(&t, a, a + 1.0 < tc ? a + 1.0 : tc, &f);
        npv -= (f.migration + f.velocity + f.overlap + f.double_build) * factor[m - 1];
    }
    return npv;
}

double cost_people_month(const struct cost_inputs *in, const double v[COST_PARAM_COUNT], int m)
{
    struct cost_plan plan;
    struct cost_terms t;
    struct month_flow f;

    cost_plan_init(&plan, in);
    if (m < 1 || m > plan.months)
        return 0.0;
    cost_terms(&plan, v, &t);
    month_flow(&t, (double)(m - 1), &f);
    return f.migration + f.velocity;
}
