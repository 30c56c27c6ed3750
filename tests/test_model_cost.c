/* test_model_cost.c: the month-by-month cost model against cases worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/cost.h"

/* Money is checked to half a cent; rates and fractions to 1e-9. */
#define CENT 0.005
#define TINY 1e-9

/* Annual rate whose monthly equivalent is exactly 1 %: 1.01^12 - 1. */
#define ANNUAL_FOR_1PCT 0.12682503013196977

static void check_near(double got, double want, double tol, const char *what,
                       const char *name)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s: %s = %.6f, want NaN", name, what, got);
        return;
    }
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: %s = %.6f, want %.6f (tolerance %g)", name, what, got, want, tol);
}

/*
 * The worked example of models/cost.c, every input a point:
 *   10 instances at 3000 a month, floor 2; CPU 60 %, memory 30 %;
 *   CPU reduction 50 %, memory 20 %; 2 incidents a month at 1500, half
 *   avoided; productivity 5 % of a team of 4 at 10000 an engineer-month;
 *   effort 6 engineer-months, 2 at a time; velocity loss 50 % over 4
 *   months; overlap 1 month; discount 1.01^12 - 1 (1 % a month); 12 months.
 */
static void worked_example(struct cost_inputs *in)
{
    memset(in, 0, sizeof(*in));
    in->p[COST_INSTANCES] = range_point(10);
    in->p[COST_MIN_INSTANCES] = range_point(2);
    in->p[COST_COST_PER_INSTANCE] = range_point(3000);
    in->p[COST_CPU_REDUCTION] = range_point(0.5);
    in->p[COST_MEMORY_REDUCTION] = range_point(0.2);
    in->p[COST_INCIDENTS_PER_MONTH] = range_point(2);
    in->p[COST_COST_PER_INCIDENT] = range_point(1500);
    in->p[COST_INCIDENT_REDUCTION] = range_point(0.5);
    in->p[COST_PRODUCTIVITY_GAIN] = range_point(0.05);
    in->p[COST_COST_PER_ENGINEER_MONTH] = range_point(10000);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_point(6);
    in->p[COST_VELOCITY_LOSS] = range_point(0.5);
    in->p[COST_LEARNING_MONTHS] = range_point(4);
    in->p[COST_OVERLAP_MONTHS] = range_point(1);
    in->p[COST_DISCOUNT_RATE] = range_point(ANNUAL_FOR_1PCT);
    in->cpu_utilisation = 0.6;
    in->memory_utilisation = 0.3;
    in->engineers = 4;
    in->parallelism = 2;
    in->horizon_months = 12;
}

static void evaluate(const struct cost_inputs *in, struct cost_result *r)
{
    double v[COST_PARAM_COUNT];

    cost_likely(in, v);
    cost_evaluate(in, v, r);
}

/* ---- fleet sizing -------------------------------------------------------- */

struct fleet_case {
    const char *name;
    double instances, min_instances, u_cpu, u_mem, cpu_red, mem_red;
    enum fleet_bound bound;
    double after;          /* instances_after */
    double infra;          /* infra_saved_per_month at 1000 an instance */
};

/* cost_per_instance is 1000 in every case, so infra = 1000 * (instances - after). */
static const struct fleet_case fleet_cases[] = {
    /* 0 <= floor 2: FLOOR, nothing to shrink. */
    { "zero instances", 0, 2, 0.6, 0.3, 0.5, 0.2, FLEET_BOUND_FLOOR, 0, 0 },
    /* 0 <= 0: still the floor case, no division anywhere. */
    { "zero instances, zero floor", 0, 0, 0.6, 0.3, 0.5, 0.2, FLEET_BOUND_FLOOR, 0, 0 },
    /* At its floor a fleet saves nothing, however busy and however good the rewrite. */
    { "at floor", 2, 2, 0.9, 0.9, 0.5, 0.5, FLEET_BOUND_FLOOR, 2, 0 },
    { "below floor", 1, 2, 0.9, 0.9, 0.5, 0.5, FLEET_BOUND_FLOOR, 1, 0 },
    /* 0.6 >= 0.3: CPU; new = max(0.3, 0.24) = 0.3; 10 * 0.3 / 0.6 = 5; 5 * 1000. */
    { "cpu-bound", 10, 2, 0.6, 0.3, 0.5, 0.2, FLEET_BOUND_CPU, 5, 5000 },
    /* CPU-bound, only memory reduced: new = max(0.8, 0.04) = 0.8 = old: no change. */
    { "cpu-bound, memory reduction", 10, 2, 0.8, 0.4, 0.0, 0.9, FLEET_BOUND_CPU, 10, 0 },
    /* 0.2 < 0.8: MEMORY; new = max(0.1, 0.6) = 0.6; 10 * 0.6 / 0.8 = 7.5 -> 8; 2 * 1000. */
    { "memory-bound", 10, 2, 0.2, 0.8, 0.5, 0.25, FLEET_BOUND_MEMORY, 8, 2000 },
    /* Memory-bound, only CPU reduced: new = max(0.02, 0.8) = 0.8 = old: no change. */
    { "memory-bound, cpu reduction", 10, 2, 0.2, 0.8, 0.9, 0.0, FLEET_BOUND_MEMORY, 10, 0 },
    /* CPU shrinks until memory binds: new = max(0.3, 0.5) = 0.5; 10 * 0.5 / 0.6 = 8.33 -> 9. */
    { "cpu then memory binds", 10, 2, 0.6, 0.5, 0.5, 0.0, FLEET_BOUND_CPU, 9, 1000 },
    /* Memory unknown: CPU; 10 * 0.08 / 0.8 = 1 -> raised to the floor 4; 6 * 1000. */
    { "shrinks to floor", 10, 4, 0.8, NAN, 0.9, 0.0, FLEET_BOUND_CPU, 4, 6000 },
    /* CPU unknown: MEMORY; new = 0.5 * 0.6 = 0.3; 10 * 0.3 / 0.5 = 6; 4 * 1000. */
    { "memory only known", 10, 2, NAN, 0.5, 0.9, 0.4, FLEET_BOUND_MEMORY, 6, 4000 },
    /* Nothing measured: UNKNOWN, no saving claimed. */
    { "both unknown", 10, 2, NAN, NAN, 0.5, 0.5, FLEET_BOUND_UNKNOWN, 10, 0 },
    /* Tie goes to CPU: new = max(0.25, 0.25); 10 * 0.25 / 0.5 = 5. */
    { "tie is cpu", 10, 2, 0.5, 0.5, 0.5, 0.5, FLEET_BOUND_CPU, 5, 5000 },
    /* Nothing used: ratio is its limit 1 - cpu_reduction = 0.5; 10 * 0.5 = 5. */
    { "zero utilisation", 10, 2, 0.0, 0.0, 0.5, 0.2, FLEET_BOUND_CPU, 5, 5000 },
    /* A Monte Carlo draw: 9.5 * 0.5 = 4.75 -> 5; 9.5 - 5 = 4.5 instances saved. */
    { "fractional instances", 9.5, 2, 0.6, 0.3, 0.5, 0.0, FLEET_BOUND_CPU, 5, 4500 },
    /* 4 * 0.6 / 0.8 is 3.0000000000000004 in doubles: the 1e-9 keeps it at 3. */
    { "rounding noise", 4, 1, 0.8, 0.2, 0.25, 0.0, FLEET_BOUND_CPU, 3, 1000 },
    /* The rewrite uses more CPU (-50 %): new/old = 1.5 but never more than today. */
    { "worse never grows", 10, 2, 0.6, 0.3, -0.5, 0.0, FLEET_BOUND_CPU, 10, 0 },
};

static void test_fleet(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(fleet_cases) / sizeof(fleet_cases[0]); i++) {
        const struct fleet_case *c = &fleet_cases[i];
        struct cost_inputs in;
        struct cost_result r;

        worked_example(&in);
        in.p[COST_INSTANCES] = range_point(c->instances);
        in.p[COST_MIN_INSTANCES] = range_point(c->min_instances);
        in.p[COST_COST_PER_INSTANCE] = range_point(1000);
        in.p[COST_CPU_REDUCTION] = range_point(c->cpu_red);
        in.p[COST_MEMORY_REDUCTION] = range_point(c->mem_red);
        in.cpu_utilisation = c->u_cpu;
        in.memory_utilisation = c->u_mem;
        evaluate(&in, &r);
        if (r.bound != c->bound)
            fail_msg("%s: bound %s, want %s", c->name, fleet_bound_name(r.bound),
                     fleet_bound_name(c->bound));
        check_near(r.instances_after, c->after, TINY, "instances_after", c->name);
        check_near(r.infra_saved_per_month, c->infra, CENT, "infra_saved", c->name);
    }
}

/* ---- whole runs: cash flow, break-even, NPV, ROI --------------------------- */

#define MAX_CHECKED 16

struct flow_case {
    const char *name;
    void (*setup)(struct cost_inputs *in);
    double monthly_benefit;
    double migration_months;
    int n_months;
    double cash_flow[MAX_CHECKED];   /* the first min(n_months, 16) months */
    int break_even;
    double total_benefit, total_cost, migration_cost, velocity_loss, overlap_cost;
    double npv, roi;                 /* roi NaN: expect NaN */
};

/*
 * The worked example, by hand (m = month, [m-1, m)):
 *   fleet: CPU-bound, 10 -> 5 instances, 5 * 3000 = 15000 a month saved;
 *   incidents 2 * 0.5 * 1500 = 1500; productivity 0.05 * 4 * 10000 = 2000;
 *   benefit 18500 a month from go-live t = 6 / 2 = 3.
 *   migration 6 * 10000 = 60000 over 3 months: 20000 in months 1-3.
 *   velocity: team 4 * 10000 = 40000 a month, loss 0.5 * (1 - t/4):
 *     month m loses 0.5 * (1 - (m^2 - (m-1)^2) / 8) of it:
 *     0.4375, 0.3125, 0.1875, 0.0625 -> 17500, 12500, 7500, 2500 (40000).
 *   overlap: 1 month, [2, 3): the new fleet 5 * 3000 = 15000 in month 3.
 *   cash flow: m1 -20000 - 17500 = -37500; m2 -20000 - 12500 = -32500;
 *     m3 -20000 - 7500 - 15000 = -42500; m4 18500 - 2500 = 16000;
 *     m5..m12 18500.
 *   cumulative: -37500 -70000 -112500 -96500 -78000 -59500 -41000 -22500
 *     -4000 14500 33000 51500: break-even month 10.
 *   totals: benefit 9 * 18500 = 166500; cost 60000 + 40000 + 15000 = 115000;
 *     ROI = 51500 / 115000 = 0.447826087.
 *   NPV at 1 % a month, 1.01^-m = 0.990099 0.980296 0.970590 0.960980 ...:
 *     -37128.7129 - 31859.6216 - 41250.0813 + 15375.6855
 *     + 18500 * (a12 - a4) where an = (1 - 1.01^-n) / 0.01:
 *       a12 = 11.2550775, a4 = 3.9019656, 18500 * 7.3531119 = 136032.5706
 *     = 41169.8403.
 */
static void setup_worked(struct cost_inputs *in)
{
    worked_example(in);
}

/*
 * Fractions of a month, discount 0 (so NPV is the plain sum):
 *   4 instances at 1000, floor 1, CPU 50 % (memory unknown), CPU -50 %:
 *   4 -> 2, infra 2000 a month; no incidents, no productivity.
 *   effort 3, parallelism 2: go-live 1.5, 30000 at 20000 a month:
 *     m1 20000, m2 10000.
 *   overlap 1 month = [0.5, 1.5): new fleet 2000 a month -> m1 1000, m2 1000.
 *   velocity: 1 engineer (10000), loss 0.4 over 2.5 months:
 *     m1 0.4 * (1 - 1/5) = 0.32; m2 0.4 * (1 - 3/5) = 0.16;
 *     m3 [2, 2.5] 0.4 * (0.5 - 2.25/5) = 0.02 -> 3200, 1600, 200 (= 0.4*2.5/2).
 *   benefit: m2 half a month 1000, m3 2000, m4 2000.
 *   cash flow: -24200, -11600, 1800, 2000; cumulative ends at -32000: never.
 *   totals: benefit 5000, cost 30000 + 5000 + 2000 = 37000,
 *     ROI = -32000 / 37000 = -0.864864865, NPV = sum = -32000.
 */
static void setup_fractional(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_INSTANCES] = range_point(4);
    in->p[COST_MIN_INSTANCES] = range_point(1);
    in->p[COST_COST_PER_INSTANCE] = range_point(1000);
    in->p[COST_INCIDENTS_PER_MONTH] = range_point(0);
    in->p[COST_PRODUCTIVITY_GAIN] = range_point(0);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_point(3);
    in->p[COST_VELOCITY_LOSS] = range_point(0.4);
    in->p[COST_LEARNING_MONTHS] = range_point(2.5);
    in->p[COST_DISCOUNT_RATE] = range_point(0);
    in->cpu_utilisation = 0.5;
    in->memory_utilisation = NAN;
    in->engineers = 1;
    in->horizon_months = 4;
}

/*
 * Horizon shorter than the migration: effort 30 at 2 = 15 months > 12.
 *   migration 20000 a month all 12 months (240000 of 300000 in the horizon);
 *   velocity as in the worked example (17500 12500 7500 2500);
 *   overlap [14, 15) and benefit from 15 lie outside.
 *   cash flow: -37500 -32500 -27500 -22500, then -20000 x 8: no break-even.
 *   totals: benefit 0, cost 240000 + 40000 = 280000, ROI -1;
 *   migration_cost is the whole 300000.
 *   NPV: -37128.7129 - 31859.6216 - 26691.2291 - 21622.0578
 *        - 20000 * 7.3531119 (a12 - a4) = -264363.8597.
 */
static void setup_short_horizon(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_point(30);
}

/*
 * Break-even exactly on the last month, H = 13:
 *   fleet at its floor (2 of 2): no infra, and no overlap cost (overlap 0);
 *   incidents 1 * 0.5 * 2000 = 1000 a month; productivity 0;
 *   effort 1 at 12000, parallelism 1: 12000 in month 1, go-live t = 1;
 *   learning_months 0: no velocity loss although velocity_loss is 0.5.
 *   cash flow: m1 -12000, m2..m13 +1000; cumulative at m13 = -12000 + 12000
 *   = 0, and 0 counts as paid back: break-even 13.
 *   totals: benefit 12000 = cost 12000, ROI 0, NPV (discount 0) 0.
 */
static void setup_last_month(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_INSTANCES] = range_point(2);
    in->p[COST_INCIDENTS_PER_MONTH] = range_point(1);
    in->p[COST_COST_PER_INCIDENT] = range_point(2000);
    in->p[COST_PRODUCTIVITY_GAIN] = range_point(0);
    in->p[COST_COST_PER_ENGINEER_MONTH] = range_point(12000);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_point(1);
    in->p[COST_LEARNING_MONTHS] = range_point(0);
    in->p[COST_OVERLAP_MONTHS] = range_point(0);
    in->p[COST_DISCOUNT_RATE] = range_point(0);
    in->parallelism = 1;
    in->horizon_months = 13;
}

/* The same with H = 12: cumulative at 12 is -1000, never within the horizon.
 * Cost 12000, benefit 11000, ROI -1/12. */
static void setup_last_month_short(struct cost_inputs *in)
{
    setup_last_month(in);
    in->horizon_months = 12;
}

/*
 * Break-even on the last month through floating-point noise: cost per
 * engineer-month 1.2, incident cost 0.2 -> benefit 0.1 a month; the
 * cumulative at 13 is -1.2 + 12 * 0.1, zero up to rounding (~1e-16), which
 * the half-cent rule counts as paid back.
 */
static void setup_last_month_noise(struct cost_inputs *in)
{
    setup_last_month(in);
    in->p[COST_COST_PER_INCIDENT] = range_point(0.2);
    in->p[COST_COST_PER_ENGINEER_MONTH] = range_point(1.2);
}

/*
 * The worked example with learning_months 0: no velocity loss.
 *   cash flow: -20000 -20000 -35000, then 18500 x 9; cumulative -20000
 *   -40000 -75000 -56500 -38000 -19500 -1000 17500: break-even month 8.
 *   totals: benefit 166500, cost 75000, ROI 91500 / 75000 = 1.22.
 *   NPV: -19801.9802 - 19605.9210 - 33970.6552 + 18500 * (a12 - a3)
 *        (a3 = 2.9409852, 18500 * 8.3140923 = 153810.7069) = 80432.1506.
 */
static void setup_no_learning(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_LEARNING_MONTHS] = range_point(0);
}

/*
 * No cost at all: effort 0 (go-live at t = 0), learning 0, overlap 0.5
 * (but the window [max(0, 0 - 0.5), 0) is empty).  Benefit 18500 from
 * month 1: cumulative >= 0 throughout, break-even month 1, ROI NaN.
 * 3 months, 1 % a month: 18500 * a3 = 18500 * 2.9409852 = 54408.2266.
 */
static void setup_no_cost(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_EFFORT_ENGINEER_MONTHS] = range_point(0);
    in->p[COST_LEARNING_MONTHS] = range_point(0);
    in->p[COST_OVERLAP_MONTHS] = range_point(0.5);
    in->horizon_months = 3;
}

/* Nothing either way: every cumulative is 0 >= 0, so break-even month 1
 * (the contract's rule for zero cost and benefit >= 0); ROI NaN. */
static void setup_nothing(struct cost_inputs *in)
{
    setup_no_cost(in);
    in->p[COST_INSTANCES] = range_point(2);
    in->p[COST_INCIDENTS_PER_MONTH] = range_point(0);
    in->p[COST_PRODUCTIVITY_GAIN] = range_point(0);
}

/*
 * engineers 0 and parallelism 0 count as 1 (discount 0):
 *   productivity 0.05 * 1 * 10000 = 500; benefit 15000 + 1500 + 500 = 17000.
 *   effort 6 at 1: 6 months, 10000 a month.  Velocity on 10000 a month:
 *   4375, 3125, 1875, 625.  Overlap [5, 6): 15000 in month 6.
 *   cash flow: -14375 -13125 -11875 -10625 -10000 -25000, then 17000 x 6.
 *   cumulative: ... -85000 at 6, -68000 -51000 -34000 -17000, 0 at 11,
 *   17000 at 12: break-even 11 (exactly zero counts).
 *   totals: benefit 102000, cost 60000 + 10000 + 15000 = 85000, ROI 0.2.
 */
static void setup_zero_team(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_DISCOUNT_RATE] = range_point(0);
    in->engineers = 0;
    in->parallelism = 0;
}

static const struct flow_case flow_cases[] = {
    { "worked example", setup_worked, 18500, 3, 12,
      { -37500, -32500, -42500, 16000, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      10, 166500, 115000, 60000, 40000, 15000, 41169.8403, 51500.0 / 115000.0 },
    { "fractional months", setup_fractional, 2000, 1.5, 4,
      { -24200, -11600, 1800, 2000 },
      0, 5000, 37000, 30000, 5000, 2000, -32000, -32000.0 / 37000.0 },
    { "horizon shorter than migration", setup_short_horizon, 18500, 15, 12,
      { -37500, -32500, -27500, -22500, -20000, -20000, -20000, -20000, -20000, -20000,
        -20000, -20000 },
      0, 0, 280000, 300000, 40000, 0, -264363.8597, -1 },
    { "break-even on the last month", setup_last_month, 1000, 1, 13,
      { -12000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 },
      13, 12000, 12000, 12000, 0, 0, 0, 0 },
    { "one month short of break-even", setup_last_month_short, 1000, 1, 12,
      { -12000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 },
      0, 11000, 12000, 12000, 0, 0, -1000, -1.0 / 12.0 },
    { "break-even on the last month, rounding", setup_last_month_noise, 0.1, 1, 13,
      { -1.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 },
      13, 1.2, 1.2, 1.2, 0, 0, 0, 0 },
    { "learning_months 0", setup_no_learning, 18500, 3, 12,
      { -20000, -20000, -35000, 18500, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      8, 166500, 75000, 60000, 0, 15000, 80432.1506, 91500.0 / 75000.0 },
    { "no cost", setup_no_cost, 18500, 0, 3,
      { 18500, 18500, 18500 },
      1, 55500, 0, 0, 0, 0, 54408.2266, NAN },
    { "nothing either way", setup_nothing, 0, 0, 3,
      { 0, 0, 0 },
      1, 0, 0, 0, 0, 0, 0, NAN },
    { "engineers 0, parallelism 0", setup_zero_team, 17000, 6, 12,
      { -14375, -13125, -11875, -10625, -10000, -25000, 17000, 17000, 17000, 17000, 17000,
        17000 },
      11, 102000, 85000, 60000, 10000, 15000, 17000, 0.2 },
};

/* The first month whose D(m) = sum_{k<=m} cash_k / (1 + rate)^k is >= -half
 * a cent then and in every later month; 0 if none.  A second way to reach
 * discounted_break_even_month: pow per month, a walk back from the end. */
static int discounted_break_even_by_pow(const struct cost_result *r, double monthly_rate)
{
    double d[COST_MAX_MONTHS], sum = 0.0;
    int m, first = 0;

    for (m = 0; m < r->n_months; m++) {
        sum += r->cash_flow[m] / pow(1.0 + monthly_rate, m + 1);
        d[m] = sum;
    }
    for (m = r->n_months - 1; m >= 0 && d[m] >= -CENT; m--)
        first = m + 1;
    return first;
}

static void test_flows(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(flow_cases) / sizeof(flow_cases[0]); i++) {
        const struct flow_case *c = &flow_cases[i];
        struct cost_inputs in;
        struct cost_result r;
        double sum = 0.0, cum = 0.0;
        int m;

        c->setup(&in);
        evaluate(&in, &r);
        if (r.n_months != c->n_months)
            fail_msg("%s: n_months %d, want %d", c->name, r.n_months, c->n_months);
        check_near(r.monthly_benefit, c->monthly_benefit, CENT, "monthly_benefit", c->name);
        check_near(r.migration_months, c->migration_months, TINY, "migration_months", c->name);
        /* months live: the horizon after the migration, never negative (the
         * short-horizon case ends before go-live) */
        check_near(r.months_live, c->n_months > c->migration_months
                                      ? c->n_months - c->migration_months : 0.0,
                   TINY, "months_live", c->name);
        for (m = 0; m < r.n_months; m++) {
            if (m < MAX_CHECKED)
                check_near(r.cash_flow[m], c->cash_flow[m], CENT, "cash_flow", c->name);
            sum += r.cash_flow[m];
            cum += r.cash_flow[m];
            check_near(r.cumulative[m], cum, CENT, "cumulative", c->name);
        }
        if (r.break_even_month != c->break_even)
            fail_msg("%s: break_even_month %d, want %d", c->name, r.break_even_month,
                     c->break_even);
        if (r.discounted_break_even_month !=
            discounted_break_even_by_pow(&r, cost_monthly_rate(in.p[COST_DISCOUNT_RATE].likely)))
            fail_msg("%s: discounted_break_even_month %d, the running NPV says %d", c->name,
                     r.discounted_break_even_month,
                     discounted_break_even_by_pow(&r,
                                                  cost_monthly_rate(in.p[COST_DISCOUNT_RATE].likely)));
        check_near(r.total_benefit, c->total_benefit, CENT, "total_benefit", c->name);
        check_near(r.total_cost, c->total_cost, CENT, "total_cost", c->name);
        check_near(r.migration_cost, c->migration_cost, CENT, "migration_cost", c->name);
        check_near(r.velocity_loss, c->velocity_loss, CENT, "velocity_loss", c->name);
        check_near(r.overlap_cost, c->overlap_cost, CENT, "overlap_cost", c->name);
        check_near(r.npv, c->npv, CENT, "npv", c->name);
        check_near(r.roi, c->roi, TINY, "roi", c->name);
        /* The books balance: the cash flow sums to benefit - cost. */
        check_near(sum, r.total_benefit - r.total_cost, CENT, "sum of cash flow", c->name);
    }
}

/* Discount 0: NPV is exactly the undiscounted sum (here 51500 for the worked
 * example); a positive rate lowers it because the costs come first. */
static void test_discount_zero(void **state)
{
    struct cost_inputs in;
    struct cost_result r;
    double sum = 0.0;
    int m;

    (void)state;
    worked_example(&in);
    in.p[COST_DISCOUNT_RATE] = range_point(0);
    evaluate(&in, &r);
    for (m = 0; m < r.n_months; m++)
        sum += r.cash_flow[m];
    check_near(r.npv, sum, 1e-6, "npv", "discount 0");
    check_near(r.npv, 51500, CENT, "npv", "discount 0");
    in.p[COST_DISCOUNT_RATE] = range_point(0.10);
    evaluate(&in, &r);
    assert_true(r.npv < 51500);
}

/* (1 + a)^(1/12) - 1: 0 -> 0; 1.01^12 - 1 -> 0.01; 0.10 -> 0.0079741404
 * (1.1^(1/12) = e^(ln 1.1 / 12) = e^0.0079425 = 1.0079741). */
static void test_monthly_rate(void **state)
{
    (void)state;
    check_near(cost_monthly_rate(0), 0, 1e-15, "rate", "0");
    check_near(cost_monthly_rate(ANNUAL_FOR_1PCT), 0.01, 1e-12, "rate", "1 %");
    check_near(cost_monthly_rate(0.10), 0.0079741404, 1e-9, "rate", "10 %");
}

/* The horizon is clamped to 1..COST_MAX_MONTHS and months past it are 0. */
static void test_horizon_clamp(void **state)
{
    struct cost_inputs in;
    struct cost_result r;
    int m;

    (void)state;
    worked_example(&in);
    in.horizon_months = 0;
    memset(&r, 0x55, sizeof(r));
    evaluate(&in, &r);
    assert_int_equal(r.n_months, 1);
    check_near(r.cash_flow[0], -37500, CENT, "cash_flow[0]", "horizon 0");
    for (m = 1; m < COST_MAX_MONTHS; m++) {
        assert_true(r.cash_flow[m] == 0.0);
        assert_true(r.cumulative[m] == 0.0);
    }
    in.horizon_months = 100000;
    evaluate(&in, &r);
    assert_int_equal(r.n_months, COST_MAX_MONTHS);
    /* 240 months: benefit in months 4..240 (237 x 18500) less all 115000 of cost. */
    check_near(r.cumulative[COST_MAX_MONTHS - 1], 18500.0 * 237 - 115000, CENT,
               "cumulative[239]", "horizon 240");
}

/* cost_likely copies the likely values; names are the YAML keys. */
static void test_likely_and_names(void **state)
{
    struct cost_inputs in;
    double v[COST_PARAM_COUNT];
    int p;

    (void)state;
    memset(&in, 0, sizeof(in));
    for (p = 0; p < COST_PARAM_COUNT; p++)
        in.p[p] = range_make(p, p + 0.5, p + 1);
    cost_likely(&in, v);
    for (p = 0; p < COST_PARAM_COUNT; p++)
        check_near(v[p], p + 0.5, 0, "likely", cost_param_name((enum cost_param)p));
    assert_string_equal(cost_param_name(COST_COST_PER_INSTANCE), "cost_per_instance");
    assert_string_equal(cost_param_name(COST_DISCOUNT_RATE), "discount_rate");
    assert_string_equal(cost_param_name(COST_PARAM_COUNT), "?");
    assert_string_equal(fleet_bound_name(FLEET_BOUND_CPU), "cpu");
    assert_string_equal(fleet_bound_name(FLEET_BOUND_MEMORY), "memory");
    assert_string_equal(fleet_bound_name(FLEET_BOUND_FLOOR), "floor");
    assert_string_equal(fleet_bound_name(FLEET_BOUND_UNKNOWN), "unknown");
    assert_string_equal(fleet_bound_name((enum fleet_bound)42), "?");
}

/*
 * Discounted break-even (cost.c, after cost_run's payback): the worked
 * example's cash flow -37500 -32500 -42500 16000 then 18500 a month.
 *   at 1 % a month, D = -37128.71 -68988.33 -110238.42 -94862.73 -77260.61
 *     -59832.77 -42577.48 -25493.04 -8577.75 +8170.06: month 10, the same as
 *     the payback;
 *   at 3 % a month, 1.03^-m = .970874 .942596 .915142 .888487 .862609 ...:
 *     D = -36407.77 -67042.13 -105935.65 -91719.86 -75761.60 -60268.14
 *     -45225.95 -30621.88 -16443.17 -2677.43 +10687.36 +23662.89: month 11,
 *     while the payback stays month 10;
 *   at 3 % a month over 10 months, D(10) = -2677.43 < 0: never (0), while
 *     the payback is still month 10;
 *   at 0 the two are one month (10).
 * Each case also against discounted_break_even_by_pow.
 */
static void test_discounted_break_even(void **state)
{
    static const struct {
        double monthly_rate;
        int horizon, payback, discounted;
    } cases[] = {
        { 0.01, 12, 10, 10 },
        { 0.03, 12, 10, 11 },
        { 0.03, 10, 10, 0 },
        { 0.00, 12, 10, 10 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cost_inputs in;
        struct cost_result r;

        worked_example(&in);
        in.p[COST_DISCOUNT_RATE] = range_point(pow(1.0 + cases[i].monthly_rate, 12) - 1.0);
        in.horizon_months = cases[i].horizon;
        evaluate(&in, &r);
        assert_int_equal(r.break_even_month, cases[i].payback);
        assert_int_equal(r.discounted_break_even_month, cases[i].discounted);
        assert_int_equal(discounted_break_even_by_pow(&r, cases[i].monthly_rate),
                         cases[i].discounted);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fleet),
        cmocka_unit_test(test_flows),
        cmocka_unit_test(test_discount_zero),
        cmocka_unit_test(test_discounted_break_even),
        cmocka_unit_test(test_monthly_rate),
        cmocka_unit_test(test_horizon_clamp),
        cmocka_unit_test(test_likely_and_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
