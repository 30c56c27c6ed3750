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
    double double_build;             /* double_build_cost (0 unless the case sets changes) */
};

/*
 * The worked example, by hand (m = month, [m-1, m)):
 *   fleet: CPU-bound, 10 -> 5 instances, 5 * 3000 = 15000 a month saved;
 *   incidents 2 * 0.5 * 1500 = 1500; productivity 0.05 * 4 * 10000 = 2000;
 *   benefit 18500 a month from go-live t = 6 / 2 = 3.
 *   migration 6 * 10000 = 60000: the 2 engineers billed, 20000 a month,
 *     for W = 6 / 2 = 3 months: months 1-3.
 *   velocity, loss 0.5 * (1 - t/4): month m loses 0.5 * (1 - (m^2 -
 *     (m-1)^2) / 8) = 0.4375, 0.3125, 0.1875, 0.0625 of the capacity not
 *     billed: 2 engineers (20000) in months 1-3, 4 (40000) in month 4:
 *     8750, 6250, 3750, 2500 (21250; the old code charged all 4 engineers
 *     in every month, 40000, the 2 migrating ones twice).
 *   overlap: 1 month, [2, 3): the new fleet 5 * 3000 = 15000 in month 3.
 *   cash flow: m1 -20000 - 8750 = -28750; m2 -20000 - 6250 = -26250;
 *     m3 -20000 - 3750 - 15000 = -38750; m4 18500 - 2500 = 16000;
 *     m5..m12 18500.
 *   cumulative: -28750 -55000 -93750 -77750 -59250 -40750 -22250 -3750
 *     14750 33250 51750 70250: break-even month 9.
 *   totals: benefit 9 * 18500 = 166500; cost 60000 + 21250 + 15000 = 96250;
 *     ROI = 70250 / 96250 = 0.729870130.
 *   NPV at 1 % a month, 1.01^-m = 0.990099 0.980296 0.970590 0.960980 ...:
 *     -28465.3465 - 25732.7713 - 37610.3631 + 15375.6855
 *     + 18500 * (a12 - a4) where an = (1 - 1.01^-n) / 0.01:
 *       a12 = 11.2550775, a4 = 3.9019656, 18500 * 7.3531119 = 136032.5706
 *     = 59599.7752 (to the rounding of the a's; 59599.7700 exact).
 * Every case below was also recomputed by a second method: the rates of
 * cost.c's comment as functions of t, integrated numerically (midpoint
 * rule, 4000 steps a month, a 40-line Python script), which agrees to the
 * cent.
 */
static void setup_worked(struct cost_inputs *in)
{
    worked_example(in);
}

/*
 * Fractions of a month, discount 0 (so NPV is the plain sum):
 *   4 instances at 1000, floor 1, CPU 50 % (memory unknown), CPU -50 %:
 *   4 -> 2, infra 2000 a month; no incidents, no productivity.
 *   effort 3, a team of 2, parallelism 2: go-live 1.5, 30000 at 20000 a
 *     month: m1 20000, m2 10000.
 *   overlap 1 month = [0.5, 1.5): new fleet 2000 a month -> m1 1000, m2 1000.
 *   velocity: loss 0.4 over 2.5 months, on nobody while both engineers are
 *     billed ([0, 1.5)), on both (20000 a month) after:
 *     m2 [1.5, 2): 0.4 * (0.5 - (4 - 2.25) / 5) = 0.06 -> 1200;
 *     m3 [2, 2.5]: 0.4 * (0.5 - 2.25/5) = 0.02 -> 400.
 *   benefit: m2 half a month 1000, m3 2000, m4 2000.
 *   cash flow: -21000, -11200, 1600, 2000; cumulative ends at -28600: never.
 *   totals: benefit 5000, cost 30000 + 1600 + 2000 = 33600,
 *     ROI = -28600 / 33600 = -0.851190476, NPV = sum = -28600.
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
    in->engineers = 2;
    in->horizon_months = 4;
}

/*
 * Horizon shorter than the migration: effort 30 at 2 = 15 months > 12.
 *   migration 20000 a month all 12 months (240000 of 300000 in the horizon);
 *   velocity on the 2 engineers not billed: 8750 6250 3750 1250;
 *   overlap [14, 15) and benefit from 15 lie outside.
 *   cash flow: -28750 -26250 -23750 -21250, then -20000 x 8: no break-even.
 *   totals: benefit 0, cost 240000 + 20000 = 260000, ROI -1;
 *   migration_cost is the whole 300000.
 *   NPV: -28465.3465 - 25732.7713 - 23051.4623 - 20420.8242
 *        - 20000 * 7.3531119 (a12 - a4) = -244732.7046.
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
 *   effort 6 at 1: 6 months, 10000 a month.  The one engineer is billed
 *   throughout the learning curve ([0, 4) inside [0, 6)): no velocity loss
 *   (it was 4375, 3125, 1875, 625, charging the same engineer twice).
 *   Overlap [5, 6): 15000 in month 6.
 *   cash flow: -10000 x 5, -25000, then 17000 x 6.
 *   cumulative: ... -75000 at 6, -58000 -41000 -24000 -7000, 10000 at 11:
 *   break-even 11.
 *   totals: benefit 102000, cost 60000 + 0 + 15000 = 75000, ROI 0.36.
 */
static void setup_zero_team(struct cost_inputs *in)
{
    worked_example(in);
    in->p[COST_DISCOUNT_RATE] = range_point(0);
    in->engineers = 0;
    in->parallelism = 0;
}

/*
 * The worked example with a ramp, a double build and a learning offset:
 *   ramp_share 2/3: the endpoints move over [1, 3); infra + incidents
 *     (16500) earn (t - 1) / 2 of it there: month 2 0.25 -> 4125, month 3
 *     0.75 -> 12375; productivity (2000) from t = 3; month 4 on 18500.
 *   4 changes a month at 2.1 engineer-days = 0.1 engineer-month each:
 *     4 * 0.1 * 10000 = 4000 a month over [0, 3): 12000.
 *   offset 1 (a second rewrite of the team): the loss is 0.5 * (1 - (t+1)/4),
 *     so months 1-3 lose the old months 2-4's shares 0.3125, 0.1875, 0.0625
 *     of the 2 engineers not billed: 6250, 3750, 1250 (11250), then nothing.
 *   cash flow: m1 0 - 20000 - 6250 - 4000 = -30250; m2 4125 - 20000 - 3750
 *     - 4000 = -23625; m3 12375 - 20000 - 1250 - 15000 - 4000 = -27875;
 *     m4..m12 18500.
 *   cumulative: -30250 -53875 -81750 -63250 -44750 -26250 -7750 10750:
 *     break-even month 8.  Benefit 4125 + 12375 + 9 * 18500 = 183000; cost
 *     60000 + 11250 + 15000 + 12000 = 98250; ROI 84750 / 98250 = 0.862595420;
 *     NPV at 1 % a month 73645.5173 (the numeric second method).
 */
static void setup_ramp(struct cost_inputs *in)
{
    worked_example(in);
    in->ramp_share = 2.0 / 3.0;
    in->p[COST_CHANGES_PER_MONTH] = range_point(4);
    in->p[COST_COST_PER_CHANGE] = range_point(2.1);
    in->learning_offset_months = 1;
}

/*
 * A calendar longer than the work (cutovers waiting on traffic):
 *   calendar_parallelism 1.5, so M = 6 / 1.5 = 4 while the 2 engineers are
 *   billed for W = 3 months as before (20000 in months 1-3).  Velocity as in
 *   the worked example (8750, 6250, 3750, 2500: in month 4 nobody is
 *   billed).  Overlap [3, 4): 15000 in month 4; benefit from t = 4.
 *   cash flow: -28750 -26250 -23750, m4 -2500 - 15000 = -17500, then 18500
 *   x 8; cumulative -96250 at 4, +1750 at 10: break-even 10.  Benefit
 *   148000, cost 96250, ROI 51750 / 96250 = 0.537662338, NPV 41965.7807.
 */
static void setup_long_calendar(struct cost_inputs *in)
{
    worked_example(in);
    in->calendar_parallelism = 1.5;
}

/*
 * already_rewriting with ecosystem_gap 0.2: only 0.2 * 6 = 1.2 of the 6
 * engineer-months are charged (12000), billed at 20000 a month over
 * [0, 0.6); no overlap, no double build (any rewrite has them, even with 4
 * changes a month); the calendar is the whole rewrite's (M = 3) and the
 * learning curve is charged in full on the capacity not billed:
 *   month 1: 2 engineers over [0, 0.6): 0.5 * (0.6 - 0.36 / 8) = 0.2775 ->
 *   5550; 4 over [0.6, 1): 0.5 * (0.4 - 0.64 / 8) = 0.16 -> 6400; 11950;
 *   months 2-4: 4 engineers, 12500, 7500, 2500.
 *   cash flow: -23950 -12500 -7500 16000, then 18500 x 8; cumulative
 *   -43950 at 3, -27950, -9450, +9050 at 6: break-even 6.  Benefit 166500,
 *   cost 12000 + 34450 = 46450, ROI 120050 / 46450 = 2.584499462,
 *   NPV 108162.2581.
 */
static void setup_already(struct cost_inputs *in)
{
    worked_example(in);
    in->already_rewriting = 1;
    in->p[COST_ECOSYSTEM_GAP] = range_point(0.2);
    in->p[COST_CHANGES_PER_MONTH] = range_point(4);
    in->p[COST_COST_PER_CHANGE] = range_point(2.1);
}

static const struct flow_case flow_cases[] = {
    { "worked example", setup_worked, 18500, 3, 12,
      { -28750, -26250, -38750, 16000, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      9, 166500, 96250, 60000, 21250, 15000, 59599.7700, 70250.0 / 96250.0, 0 },
    { "ramp, double build, offset", setup_ramp, 18500, 3, 12,
      { -30250, -23625, -27875, 18500, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      8, 183000, 98250, 60000, 11250, 15000, 73645.5173, 84750.0 / 98250.0, 12000 },
    { "calendar longer than the work", setup_long_calendar, 18500, 4, 12,
      { -28750, -26250, -23750, -17500, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      10, 148000, 96250, 60000, 21250, 15000, 41965.7807, 51750.0 / 96250.0, 0 },
    { "already rewriting", setup_already, 18500, 3, 12,
      { -23950, -12500, -7500, 16000, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      6, 166500, 46450, 12000, 34450, 0, 108162.2581, 120050.0 / 46450.0, 0 },
    { "fractional months", setup_fractional, 2000, 1.5, 4,
      { -21000, -11200, 1600, 2000 },
      0, 5000, 33600, 30000, 1600, 2000, -28600, -28600.0 / 33600.0, 0 },
    { "horizon shorter than migration", setup_short_horizon, 18500, 15, 12,
      { -28750, -26250, -23750, -21250, -20000, -20000, -20000, -20000, -20000, -20000,
        -20000, -20000 },
      0, 0, 260000, 300000, 20000, 0, -244732.7046, -1, 0 },
    { "break-even on the last month", setup_last_month, 1000, 1, 13,
      { -12000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 },
      13, 12000, 12000, 12000, 0, 0, 0, 0, 0 },
    { "one month short of break-even", setup_last_month_short, 1000, 1, 12,
      { -12000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 },
      0, 11000, 12000, 12000, 0, 0, -1000, -1.0 / 12.0, 0 },
    { "break-even on the last month, rounding", setup_last_month_noise, 0.1, 1, 13,
      { -1.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 },
      13, 1.2, 1.2, 1.2, 0, 0, 0, 0, 0 },
    { "learning_months 0", setup_no_learning, 18500, 3, 12,
      { -20000, -20000, -35000, 18500, 18500, 18500, 18500, 18500, 18500, 18500, 18500,
        18500 },
      8, 166500, 75000, 60000, 0, 15000, 80432.1506, 91500.0 / 75000.0, 0 },
    { "no cost", setup_no_cost, 18500, 0, 3,
      { 18500, 18500, 18500 },
      1, 55500, 0, 0, 0, 0, 54408.2266, NAN, 0 },
    { "nothing either way", setup_nothing, 0, 0, 3,
      { 0, 0, 0 },
      1, 0, 0, 0, 0, 0, 0, NAN, 0 },
    { "engineers 0, parallelism 0", setup_zero_team, 17000, 6, 12,
      { -10000, -10000, -10000, -10000, -10000, -25000, 17000, 17000, 17000, 17000, 17000,
        17000 },
      11, 102000, 75000, 60000, 0, 15000, 27000, 0.36, 0 },
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
        check_near(r.double_build_cost, c->double_build, CENT, "double_build_cost", c->name);
        check_near(r.npv, c->npv, CENT, "npv", c->name);
        check_near(r.roi, c->roi, TINY, "roi", c->name);
        /* The books balance: the cash flow sums to benefit - cost. */
        check_near(sum, r.total_benefit - r.total_cost, CENT, "sum of cash flow", c->name);
    }
}

/* Discount 0: NPV is exactly the undiscounted sum (here 70250 for the worked
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
    check_near(r.npv, 70250, CENT, "npv", "discount 0");
    in.p[COST_DISCOUNT_RATE] = range_point(0.10);
    evaluate(&in, &r);
    assert_true(r.npv < 70250);
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
    check_near(r.cash_flow[0], -28750, CENT, "cash_flow[0]", "horizon 0");
    for (m = 1; m < COST_MAX_MONTHS; m++) {
        assert_true(r.cash_flow[m] == 0.0);
        assert_true(r.cumulative[m] == 0.0);
    }
    in.horizon_months = 100000;
    evaluate(&in, &r);
    assert_int_equal(r.n_months, COST_MAX_MONTHS);
    /* 240 months: benefit in months 4..240 (237 x 18500) less all 96250 of cost. */
    check_near(r.cumulative[COST_MAX_MONTHS - 1], 18500.0 * 237 - 96250, CENT,
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
 * example's cash flow -28750 -26250 -38750 16000 then 18500 a month.
 *   at 1 % a month, D = -28465.35 -54198.12 -91808.49 -76432.80 -58830.69
 *     -41402.85 -24147.56 -7063.12 +9852.16: month 9, the same as the
 *     payback;
 *   at 5 % a month, 1.05^-m = .952381 .907029 .863838 .822702 .783526 ...:
 *     D = -27380.95 -51190.48 -84664.18 -71500.94 -57005.71 -43200.72
 *     -30053.12 -17531.59 -5606.33 +5751.07 +16567.64 +26869.13: month 10,
 *     while the payback stays month 9;
 *   at 5 % a month over 9 months, D(9) = -5606.33 < 0: never (0), while
 *     the payback is still month 9;
 *   at 0 the two are one month (9).
 * Each case also against discounted_break_even_by_pow.
 */
static void test_discounted_break_even(void **state)
{
    static const struct {
        double monthly_rate;
        int horizon, payback, discounted;
    } cases[] = {
        { 0.01, 12, 9, 9 },
        { 0.05, 12, 9, 10 },
        { 0.05, 9, 9, 0 },
        { 0.00, 12, 9, 9 },
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

/*
 * Issue 14: in no month may the people cost (migration + velocity) exceed
 * the team's payroll, engineers * cost per engineer-month.  Checked on the
 * worked example month by month against the hand figures (28750, 26250,
 * 23750, 2500: the old model's month 1 was 20000 + 17500 = 37500, and
 * pricing-engine's 91,600 on a 75,000 payroll), then on 20,000 random draws:
 * teams of 0..12, parallelism 0..12 (above the team too), any effort,
 * velocity loss 0..1, learning offsets, ramps, already_rewriting.  The
 * bound is exact up to rounding: 1e-9 relative.
 */
static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 11;
}

static double unif(uint64_t *x, double lo, double hi)
{
    return lo + (hi - lo) * (double)lcg(x) / 9007199254740992.0;
}

static void test_people_within_payroll(void **state)
{
    static const double want[] = { 28750, 26250, 23750, 2500, 0 };
    struct cost_inputs in;
    double v[COST_PARAM_COUNT];
    uint64_t x = 14;
    int i, m, p;

    (void)state;
    worked_example(&in);
    cost_likely(&in, v);
    for (m = 1; m <= 5; m++)
        check_near(cost_people_month(&in, v, m), want[m - 1], CENT, "people", "worked");
    check_near(cost_people_month(&in, v, 0), 0, 0, "people", "month 0");
    check_near(cost_people_month(&in, v, 13), 0, 0, "people", "month 13");
    for (i = 0; i < 20000; i++) {
        double payroll;

        worked_example(&in);
        in.engineers = (int)(lcg(&x) % 13);
        in.parallelism = (int)(lcg(&x) % 13);
        in.calendar_parallelism = lcg(&x) % 3 == 0 ? 0 : unif(&x, 0.2, 8);
        in.ramp_share = unif(&x, 0, 1);
        in.learning_offset_months = lcg(&x) % 2 ? 0 : unif(&x, 0, 10);
        in.already_rewriting = (int)(lcg(&x) % 2);
        in.horizon_months = 1 + (int)(lcg(&x) % 60);
        cost_likely(&in, v);
        v[COST_COST_PER_ENGINEER_MONTH] = unif(&x, 1000, 30000);
        v[COST_EFFORT_ENGINEER_MONTHS] = unif(&x, 0, 60);
        v[COST_VELOCITY_LOSS] = unif(&x, 0, 1);
        v[COST_LEARNING_MONTHS] = unif(&x, 0, 14);
        v[COST_ECOSYSTEM_GAP] = unif(&x, 0, 1);
        v[COST_CHANGES_PER_MONTH] = unif(&x, 0, 20);
        v[COST_COST_PER_CHANGE] = unif(&x, 0, 3);
        payroll = (in.engineers < 1 ? 1 : in.engineers) * v[COST_COST_PER_ENGINEER_MONTH];
        for (m = 1; m <= in.horizon_months; m++) {
            double people = cost_people_month(&in, v, m);

            if (!(people <= payroll * (1 + 1e-9)) || people < -1e-9)
                fail_msg("draw %d month %d: people %.4f, payroll %.4f", i, m, people, payroll);
        }
    }
    /* the names of the new parameters are their YAML keys */
    p = COST_CHANGES_PER_MONTH;
    assert_string_equal(cost_param_name((enum cost_param)p), "changes_per_month");
    assert_string_equal(cost_param_name(COST_COST_PER_CHANGE), "cost_per_change");
    assert_string_equal(cost_param_name(COST_ECOSYSTEM_GAP), "ecosystem_gap");
}

/*
 * A rewrite cancelled before go-live pays its costs so far and earns
 * nothing.  The worked example (M = W = 3 months, 2 of 4 engineers billed
 * at 10,000, velocity 50 % over 4 months on the 2 others, the 5-instance
 * new fleet at 15,000 a month over [2, 3)) cancelled at fractions of M,
 * each worked by hand from the rates (models/cost.c's comment has 0.5):
 *   0.5 (t_c 1.5): 20,000 + 20,000 * 0.4375; 10,000 + 20,000 * 0.171875
 *                  = 28,750 + 13,437.50 = 42,187.50
 *   1   (t_c 3):   60,000 of billing, velocity 20,000 * (0.4375 + 0.3125 +
 *                  0.1875) = 18,750, overlap 15,000: 93,750
 *   0:             nothing.
 * Discounted at 1 % a month, month m's cost divided by 1.01^m (pow, not the
 * model's running product).
 */
static void test_cancelled(void **state)
{
    struct cost_inputs in;
    struct cost_plan plan;
    double v[COST_PARAM_COUNT], flat[COST_MAX_MONTHS], disc[COST_MAX_MONTHS];
    int m;

    (void)state;
    worked_example(&in);
    cost_likely(&in, v);
    cost_plan_init(&plan, &in);
    for (m = 0; m < COST_MAX_MONTHS; m++) {
        flat[m] = 1.0;
        disc[m] = 1.0 / pow(1.01, m + 1);
    }
    check_near(cost_plan_npv_cancelled(&plan, v, flat, 0.5), -42187.50, CENT, "t_c 1.5",
               "cancelled");
    check_near(cost_plan_npv_cancelled(&plan, v, disc, 0.5),
               -(28750.0 / 1.01 + 13437.50 / (1.01 * 1.01)), CENT, "t_c 1.5, 1 % a month",
               "cancelled");
    check_near(cost_plan_npv_cancelled(&plan, v, flat, 1.0), -93750.0, CENT, "t_c 3",
               "cancelled");
    check_near(cost_plan_npv_cancelled(&plan, v, flat, 7.0), -93750.0, CENT,
               "fraction above 1 clamped", "cancelled");
    check_near(cost_plan_npv_cancelled(&plan, v, disc, 1.0),
               -((20000 + 8750) / 1.01 + (20000 + 6250) / pow(1.01, 2)
                 + (20000 + 3750 + 15000) / pow(1.01, 3)), CENT, "t_c 3, 1 % a month",
               "cancelled");
    assert_true(cost_plan_npv_cancelled(&plan, v, flat, 0.0) == 0.0);
    assert_true(cost_plan_npv_cancelled(&plan, v, flat, NAN) == 0.0);
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
        cmocka_unit_test(test_people_within_payroll),
        cmocka_unit_test(test_cancelled),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
