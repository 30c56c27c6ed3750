/* test_model_score.c: unit tests for models/score.c (factors, weighting, red flags, names). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/analysis.h"
#include "verdict/assumptions.h"
#include "verdict/cost.h"
#include "verdict/score.h"
#include "verdict/stats.h"

#define TOL 1e-9

/*
 * The baseline service every test starts from, scored with the default
 * weights (runtime_share 20, tail_ratio 10, cpu 10, memory 10, fleet_cost
 * 15, language 10, workload 10, team 5, change_rate 5, criticality 5: sum
 * 100) and default thresholds (io_bound_share 0.2, weekly_changes 4).
 */
struct fixture {
    struct assumptions a;
    struct service_spec spec;
    struct service_metrics m;
    const struct language_profile *lang;
    struct score_result r;
};

static void fixture_init(struct fixture *fx)
{
    memset(fx, 0, sizeof(*fx));
    assumptions_defaults(&fx->a);
    service_defaults(&fx->spec);
    fx->spec.workload = WORKLOAD_CPU_BOUND;
    fx->spec.experience = EXPERIENCE_SOME;
    fx->spec.criticality = CRITICALITY_HIGH;
    fx->spec.changes_per_month = range_point(3);
    fx->lang = assumptions_language(&fx->a, "python");   /* cpu 0.8, memory 0.75 */

    fx->m.have_latency = 1;
    fx->m.p50_s = 0.02;
    fx->m.p99_s = 0.1;
    fx->m.tail_ratio = 5;
    fx->m.have_runtime_share = 1;
    fx->m.runtime_share = 0.9;
    fx->m.have_cpu = 1;
    fx->m.cpu_utilisation = 0.65;
    fx->m.have_memory = 1;
    fx->m.memory_utilisation = 0.6;
    fx->m.memory_growth_per_day = 0.002;
    fx->m.memory_window_days = 30;   /* long enough, no noise: growth judged */
    fx->m.memory_growth_se_per_day = 0;
    fx->m.fleet_cost_per_month = 10000;
    fx->m.enough_data = 1;
}

static void fixture_score(struct fixture *fx)
{
    memset(&fx->r, 0x6b, sizeof(fx->r));    /* score_service must fill it all */
    score_service(&fx->spec, fx->lang, &fx->m, &fx->a.scoring,
                  &fx->a.economics.thresholds, &fx->r);
}

static int setup(void **state)
{
    static struct fixture fx;

    fixture_init(&fx);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    assumptions_done(&fx->a);
    return 0;
}

static void check_num(double got, double want, const char *what, const char *name)
{
    if (!(fabs(got - want) <= TOL * (1 + fabs(want))))
        fail_msg("%s: %s = %.12g, want %.12g", name, what, got, want);
}

/* A reason or flag text: non-empty, one printable-ASCII sentence that ends
 * with a full stop (so it was not truncated), within SCORE_REASON_MAX. */
static void check_text(const char *s, const char *name)
{
    size_t i, n = strnlen(s, SCORE_REASON_MAX);

    if (n == 0 || n >= SCORE_REASON_MAX)
        fail_msg("%s: text length %zu out of 1..%d", name, n, SCORE_REASON_MAX - 1);
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            fail_msg("%s: non-ASCII byte 0x%02x in \"%s\"", name, (unsigned char)s[i], s);
    if (s[n - 1] != '.')
        fail_msg("%s: text does not end a sentence: \"%s\"", name, s);
}

static void check_contains(const char *s, const char *needle, const char *name)
{
    if (strstr(s, needle) == NULL)
        fail_msg("%s: \"%s\" lacks \"%s\"", name, s, needle);
}

/*
 * The baseline by hand, strength per factor (weight):
 *   runtime_share 0.9 -> 0.9 (20) = 18
 *   tail_ratio 5 -> (5 - 2) / 6 = 0.5 (10) = 5
 *   cpu_utilisation 0.65 -> (0.65 - 0.2) / 0.6 = 0.75 (10) = 7.5
 *   memory: utilisation 0.6 -> (0.6 - 0.3) / 0.6 = 0.5, growth 0.002 ->
 *     0.2; the larger is 0.5, value 0.6 (10) = 5
 *   fleet_cost 10,000 -> log10(10) / 2 = 0.5 (15) = 7.5
 *   language python, cpu 0.8 -> 0.8 / 0.8 = 1 (10) = 10
 *   workload cpu-bound 1 (10) = 10
 *   team some 0.6 (5) = 3
 *   change_rate 3 -> 1 - 0.7 * (3 - 2) / 2 = 0.65 (5) = 3.25
 *   criticality high 1 (5) = 5
 * Sum of weights 100, so contributions are weight * strength:
 * score = 18 + 5 + 7.5 + 5 + 7.5 + 10 + 10 + 3 + 3.25 + 5 = 74.25.
 */
static void test_hand_computed_score(void **state)
{
    static const struct {
        enum factor f;
        double value, strength, contribution;
    } want[FACTOR_COUNT] = {
        { FACTOR_RUNTIME_SHARE, 0.9, 0.9, 18 },
        { FACTOR_TAIL_RATIO, 5, 0.5, 5 },
        { FACTOR_CPU_UTILISATION, 0.65, 0.75, 7.5 },
        { FACTOR_MEMORY, 0.6, 0.5, 5 },
        { FACTOR_FLEET_COST, 10000, 0.5, 7.5 },
        { FACTOR_LANGUAGE, 0.8, 1, 10 },
        { FACTOR_WORKLOAD, 1, 1, 10 },
        { FACTOR_TEAM_EXPERIENCE, 0.6, 0.6, 3 },
        { FACTOR_CHANGE_RATE, 3, 0.65, 3.25 },
        { FACTOR_CRITICALITY, 1, 1, 5 },
    };
    struct fixture *fx = *state;
    int i;

    fixture_score(fx);
    check_num(fx->r.score, 74.25, "score", "baseline");
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &fx->r.factors[i];
        const char *name = factor_name((enum factor)i);

        assert_int_equal(f->factor, want[i].f);
        assert_int_equal(f->have_data, 1);
        check_num(f->value, want[i].value, "value", name);
        check_num(f->strength, want[i].strength, "strength", name);
        check_num(f->weight, fx->a.scoring.weights[i], "weight", name);
        check_num(f->contribution, want[i].contribution, "contribution", name);
        check_text(f->reason, name);
    }
    assert_int_equal(fx->r.n_flags, 0);
}

/* What one strength case changes in the baseline. */
enum knob {
    K_SHARE, K_TAIL, K_CPU, K_MEM_UTIL, K_MEM_GROWTH, K_COST, K_LANG_CPU,
    K_WORKLOAD, K_TEAM, K_CHANGES, K_CRIT
};

struct strength_case {
    const char *name;
    enum knob knob;
    enum factor factor;
    double x;           /* the input; for enums, the enum value */
    double strength;
    double value;
};

/* Each row: a breakpoint (or a point between or beyond them) and the
 * strength the formula in score.c gives there, worked out in the comment. */
static const struct strength_case strength_cases[] = {
    /* runtime_share: strength = share clamped to [0, 1]. */
    { "share 0", K_SHARE, FACTOR_RUNTIME_SHARE, 0, 0, 0 },
    { "share 0.5", K_SHARE, FACTOR_RUNTIME_SHARE, 0.5, 0.5, 0.5 },
    { "share 1", K_SHARE, FACTOR_RUNTIME_SHARE, 1, 1, 1 },
    { "share 1.3 clamps", K_SHARE, FACTOR_RUNTIME_SHARE, 1.3, 1, 1.3 },
    /* tail_ratio: (r - 2) / 6 clamped: 1.5 -> 0, 2 -> 0, 5 -> 0.5, 8 -> 1. */
    { "tail 1.5", K_TAIL, FACTOR_TAIL_RATIO, 1.5, 0, 1.5 },
    { "tail 2", K_TAIL, FACTOR_TAIL_RATIO, 2, 0, 2 },
    { "tail 3.5", K_TAIL, FACTOR_TAIL_RATIO, 3.5, 0.25, 3.5 },
    { "tail 8", K_TAIL, FACTOR_TAIL_RATIO, 8, 1, 8 },
    { "tail 12", K_TAIL, FACTOR_TAIL_RATIO, 12, 1, 12 },
    /* cpu_utilisation: (u - 0.2) / 0.6: 0.1 -> 0, 0.2 -> 0, 0.5 -> 0.5,
     * 0.8 -> 1, 0.95 -> 1. */
    { "cpu 0.1", K_CPU, FACTOR_CPU_UTILISATION, 0.1, 0, 0.1 },
    { "cpu 0.2", K_CPU, FACTOR_CPU_UTILISATION, 0.2, 0, 0.2 },
    { "cpu 0.5", K_CPU, FACTOR_CPU_UTILISATION, 0.5, 0.5, 0.5 },
    { "cpu 0.8", K_CPU, FACTOR_CPU_UTILISATION, 0.8, 1, 0.8 },
    { "cpu 0.95", K_CPU, FACTOR_CPU_UTILISATION, 0.95, 1, 0.95 },
    /* memory utilisation with growth 0: (u - 0.3) / 0.6. */
    { "mem util 0.3", K_MEM_UTIL, FACTOR_MEMORY, 0.3, 0, 0.3 },
    { "mem util 0.6", K_MEM_UTIL, FACTOR_MEMORY, 0.6, 0.5, 0.6 },
    { "mem util 0.9", K_MEM_UTIL, FACTOR_MEMORY, 0.9, 1, 0.9 },
    { "mem util 1.2", K_MEM_UTIL, FACTOR_MEMORY, 1.2, 1, 1.2 },
    /* memory growth with utilisation 0.3 (strength 0): g / 0.01 clamped;
     * value is the growth once it wins.  At growth 0 both strengths are 0
     * and the tie goes to utilisation (value 0.3); shrinking memory
     * (-1 %/day) is no leak (0, utilisation again). */
    { "mem growth 0", K_MEM_GROWTH, FACTOR_MEMORY, 0, 0, 0.3 },
    { "mem growth -0.01", K_MEM_GROWTH, FACTOR_MEMORY, -0.01, 0, 0.3 },
    { "mem growth 0.005", K_MEM_GROWTH, FACTOR_MEMORY, 0.005, 0.5, 0.005 },
    { "mem growth 0.01", K_MEM_GROWTH, FACTOR_MEMORY, 0.01, 1, 0.01 },
    { "mem growth 0.05", K_MEM_GROWTH, FACTOR_MEMORY, 0.05, 1, 0.05 },
    /* fleet_cost: log10(c / 1000) / 2 clamped: 500 -> 0, 1000 -> 0,
     * 10,000 -> 0.5, 15,000 -> log10(15) / 2 = 1.1760913 / 2 = 0.5880456, 100,000 -> 1,
     * 1,000,000 -> 1; 0 a month is still data (strength 0). */
    { "cost 0", K_COST, FACTOR_FLEET_COST, 0, 0, 0 },
    { "cost 500", K_COST, FACTOR_FLEET_COST, 500, 0, 500 },
    { "cost 1000", K_COST, FACTOR_FLEET_COST, 1000, 0, 1000 },
    { "cost 10000", K_COST, FACTOR_FLEET_COST, 10000, 0.5, 10000 },
    { "cost 15000", K_COST, FACTOR_FLEET_COST, 15000, 0.5880456295278405, 15000 },
    { "cost 100000", K_COST, FACTOR_FLEET_COST, 100000, 1, 100000 },
    { "cost 1e6", K_COST, FACTOR_FLEET_COST, 1e6, 1, 1e6 },
    /* language: cpu_reduction likely / 0.8 clamped: 0 -> 0, 0.4 -> 0.5,
     * 0.8 -> 1, 0.9 -> 1. */
    { "lang 0", K_LANG_CPU, FACTOR_LANGUAGE, 0, 0, 0 },
    { "lang 0.4", K_LANG_CPU, FACTOR_LANGUAGE, 0.4, 0.5, 0.4 },
    { "lang 0.8", K_LANG_CPU, FACTOR_LANGUAGE, 0.8, 1, 0.8 },
    { "lang 0.9", K_LANG_CPU, FACTOR_LANGUAGE, 0.9, 1, 0.9 },
    /* workload: the table in score.c. */
    { "cpu-bound", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_CPU_BOUND, 1, 1 },
    { "latency-critical", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_LATENCY_CRITICAL, 0.9, 0.9 },
    { "networking", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_NETWORKING, 0.8, 0.8 },
    { "infrastructure", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_INFRASTRUCTURE, 0.8, 0.8 },
    { "io-bound", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_IO_BOUND, 0.1, 0.1 },
    { "crud", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_CRUD, 0.1, 0.1 },
    { "ml", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_ML, 0, 0 },
    { "glue", K_WORKLOAD, FACTOR_WORKLOAD, WORKLOAD_GLUE, 0.1, 0.1 },
    /* team_experience: none 0.2, some 0.6, strong 1. */
    { "team none", K_TEAM, FACTOR_TEAM_EXPERIENCE, EXPERIENCE_NONE, 0.2, 0.2 },
    { "team some", K_TEAM, FACTOR_TEAM_EXPERIENCE, EXPERIENCE_SOME, 0.6, 0.6 },
    { "team strong", K_TEAM, FACTOR_TEAM_EXPERIENCE, EXPERIENCE_STRONG, 1, 1 },
    /* change_rate through (0, 0.6), (1, 1), (2, 1), (4, 0.3), (8, 0):
     * 0.5 -> 0.6 + 0.4 * 0.5 = 0.8; 3 -> 1 - 0.7 / 2 = 0.65;
     * 6 -> 0.3 - 0.3 * 2 / 4 = 0.15; 20 -> 0. */
    { "changes 0", K_CHANGES, FACTOR_CHANGE_RATE, 0, 0.6, 0 },
    { "changes 0.5", K_CHANGES, FACTOR_CHANGE_RATE, 0.5, 0.8, 0.5 },
    { "changes 1", K_CHANGES, FACTOR_CHANGE_RATE, 1, 1, 1 },
    { "changes 2", K_CHANGES, FACTOR_CHANGE_RATE, 2, 1, 2 },
    { "changes 3", K_CHANGES, FACTOR_CHANGE_RATE, 3, 0.65, 3 },
    { "changes 4", K_CHANGES, FACTOR_CHANGE_RATE, 4, 0.3, 4 },
    { "changes 6", K_CHANGES, FACTOR_CHANGE_RATE, 6, 0.15, 6 },
    { "changes 8", K_CHANGES, FACTOR_CHANGE_RATE, 8, 0, 8 },
    { "changes 20", K_CHANGES, FACTOR_CHANGE_RATE, 20, 0, 20 },
    /* criticality: low 0.3, medium 0.6, high 1. */
    { "crit low", K_CRIT, FACTOR_CRITICALITY, CRITICALITY_LOW, 0.3, 0.3 },
    { "crit medium", K_CRIT, FACTOR_CRITICALITY, CRITICALITY_MEDIUM, 0.6, 0.6 },
    { "crit high", K_CRIT, FACTOR_CRITICALITY, CRITICALITY_HIGH, 1, 1 },
};

static void apply_knob(struct fixture *fx, struct language_profile *lang, enum knob k,
                       double x)
{
    switch (k) {
    case K_SHARE:
        fx->m.runtime_share = x;
        break;
    case K_TAIL:
        fx->m.tail_ratio = x;
        break;
    case K_CPU:
        fx->m.cpu_utilisation = x;
        break;
    case K_MEM_UTIL:
        fx->m.memory_utilisation = x;
        fx->m.memory_growth_per_day = 0;
        break;
    case K_MEM_GROWTH:
        fx->m.memory_utilisation = 0.3;
        fx->m.memory_growth_per_day = x;
        break;
    case K_COST:
        fx->m.fleet_cost_per_month = x;
        break;
    case K_LANG_CPU:
        *lang = *fx->lang;
        lang->cpu_reduction = range_point(x);
        fx->lang = lang;
        break;
    case K_WORKLOAD:
        fx->spec.workload = (enum workload)x;
        break;
    case K_TEAM:
        fx->spec.experience = (enum experience)x;
        break;
    case K_CHANGES:
        fx->spec.changes_per_month = range_point(x);
        break;
    case K_CRIT:
        fx->spec.criticality = (enum criticality)x;
        break;
    }
}

static void test_strength_breakpoints(void **state)
{
    struct fixture *fx = *state;
    size_t i;

    for (i = 0; i < sizeof(strength_cases) / sizeof(strength_cases[0]); i++) {
        const struct strength_case *c = &strength_cases[i];
        struct language_profile lang;
        const struct factor_result *f;

        assumptions_done(&fx->a);
        fixture_init(fx);
        apply_knob(fx, &lang, c->knob, c->x);
        fixture_score(fx);
        f = &fx->r.factors[c->factor];
        if (!f->have_data)
            fail_msg("%s: no data", c->name);
        check_num(f->strength, c->strength, "strength", c->name);
        check_num(f->value, c->value, "value", c->name);
        check_num(f->contribution, fx->a.scoring.weights[c->factor] * c->strength,
                  "contribution (weights sum to 100)", c->name);
        check_text(f->reason, c->name);
    }
}

/*
 * Nothing measured, no language profile, no cost: only the four inventory
 * factors have data.  cpu-bound 1 (w 10), team none 0.2 (w 5), 0 changes
 * 0.6 (w 5), criticality medium 0.6 (w 5): their weights sum to 25, so
 * score = 100 * (10 + 1 + 3 + 3) / 25 = 68, not the 17 an unnormalised
 * sum over all 100 weight points would give.
 */
static void test_missing_data_renormalises(void **state)
{
    struct fixture *fx = *state;
    static const enum factor no_data[] = {
        FACTOR_RUNTIME_SHARE, FACTOR_TAIL_RATIO, FACTOR_CPU_UTILISATION, FACTOR_MEMORY,
        FACTOR_FLEET_COST, FACTOR_LANGUAGE,
    };
    size_t i;

    memset(&fx->m, 0, sizeof(fx->m));
    fx->m.runtime_share = 0.9;          /* present but not flagged as known */
    fx->m.tail_ratio = 9;
    fx->m.fleet_cost_per_month = NAN;
    fx->m.enough_data = 1;
    fx->lang = NULL;
    fx->spec.experience = EXPERIENCE_NONE;
    fx->spec.criticality = CRITICALITY_MEDIUM;
    fx->spec.changes_per_month = range_point(0);
    fixture_score(fx);

    check_num(fx->r.score, 68, "score", "renormalised");
    for (i = 0; i < sizeof(no_data) / sizeof(no_data[0]); i++) {
        const struct factor_result *f = &fx->r.factors[no_data[i]];

        assert_int_equal(f->have_data, 0);
        check_num(f->strength, 0, "strength", factor_name(no_data[i]));
        check_num(f->contribution, 0, "contribution", factor_name(no_data[i]));
        check_text(f->reason, factor_name(no_data[i]));
        check_contains(f->reason, "No data", factor_name(no_data[i]));
    }
    check_num(fx->r.factors[FACTOR_WORKLOAD].contribution, 40, "workload", "renormalised");
    check_num(fx->r.factors[FACTOR_TEAM_EXPERIENCE].contribution, 4, "team", "renormalised");
    check_num(fx->r.factors[FACTOR_CHANGE_RATE].contribution, 12, "changes", "renormalised");
    check_num(fx->r.factors[FACTOR_CRITICALITY].contribution, 12, "crit", "renormalised");
}

/* Measured runtime share alone (w 20, strength 0.5) plus the baseline's
 * inventory factors: workload 1 (10), some 0.6 (5), 3 changes 0.65 (5),
 * high 1 (5) -> (10 + 10 + 3 + 3.25 + 5) / 45 * 100 = 31.25 / 0.45
 * = 69.444... */
static void test_partial_data(void **state)
{
    struct fixture *fx = *state;

    fx->m.have_latency = 0;
    fx->m.have_cpu = 0;
    fx->m.have_memory = 0;
    fx->m.fleet_cost_per_month = NAN;
    fx->lang = NULL;
    fx->m.runtime_share = 0.5;
    fixture_score(fx);
    check_num(fx->r.score, 3125.0 / 45.0, "score", "partial");
    check_num(fx->r.factors[FACTOR_RUNTIME_SHARE].contribution, 1000.0 / 45.0,
              "runtime_share", "partial");
}

/* All weights zero: nothing to weigh, score 0 and every contribution 0,
 * though factors still report their data and strength. */
static void test_zero_weights(void **state)
{
    struct fixture *fx = *state;
    int i;

    for (i = 0; i < FACTOR_COUNT; i++)
        fx->a.scoring.weights[i] = 0;
    fixture_score(fx);
    check_num(fx->r.score, 0, "score", "zero weights");
    for (i = 0; i < FACTOR_COUNT; i++) {
        check_num(fx->r.factors[i].contribution, 0, "contribution", "zero weights");
        assert_int_equal(fx->r.factors[i].have_data, 1);
        check_text(fx->r.factors[i].reason, factor_name((enum factor)i));
    }
    check_num(fx->r.factors[FACTOR_RUNTIME_SHARE].strength, 0.9, "strength", "zero weights");
}

/* One weight only: workload 10 (cpu-bound, 1.0) and a negative weight on
 * runtime_share, which counts as 0: score = 100 * 10 * 1 / 10 = 100.
 * With workload crud (0.1) instead: 100 * 0.1 = 10. */
static void test_single_and_negative_weight(void **state)
{
    struct fixture *fx = *state;
    int i;

    for (i = 0; i < FACTOR_COUNT; i++)
        fx->a.scoring.weights[i] = 0;
    fx->a.scoring.weights[FACTOR_WORKLOAD] = 10;
    fx->a.scoring.weights[FACTOR_RUNTIME_SHARE] = -5;
    fixture_score(fx);
    check_num(fx->r.score, 100, "score", "single weight");
    check_num(fx->r.factors[FACTOR_RUNTIME_SHARE].contribution, 0, "negative", "weights");
    fx->spec.workload = WORKLOAD_CRUD;
    fixture_score(fx);
    check_num(fx->r.score, 10, "score", "single weight crud");
}

/* No factor has data at all (enums out of range, no measurements, no
 * profile, cost and change rate unknown): score 0, every reason "No data". */
static void test_no_factor_has_data(void **state)
{
    struct fixture *fx = *state;
    int i;

    memset(&fx->m, 0, sizeof(fx->m));
    fx->m.fleet_cost_per_month = NAN;
    fx->m.memory_growth_per_day = NAN;
    fx->lang = NULL;
    fx->spec.workload = WORKLOAD_COUNT;
    fx->spec.experience = EXPERIENCE_COUNT;
    fx->spec.criticality = CRITICALITY_COUNT;
    fx->spec.changes_per_month = range_point(NAN);
    fixture_score(fx);
    check_num(fx->r.score, 0, "score", "no data");
    for (i = 0; i < FACTOR_COUNT; i++) {
        assert_int_equal(fx->r.factors[i].have_data, 0);
        check_contains(fx->r.factors[i].reason, "No data", factor_name((enum factor)i));
        check_text(fx->r.factors[i].reason, factor_name((enum factor)i));
    }
    /* Only the not-enough-data flag could fire here, and enough_data is 0. */
    assert_int_equal(fx->r.n_flags, 1);
    assert_int_equal(fx->r.flags[0].flag, FLAG_NOT_ENOUGH_DATA);
}

struct flag_case {
    const char *name;
    double share;           /* runtime_share (have_runtime_share from below) */
    int have_share;
    enum workload workload;
    enum experience experience;
    enum criticality criticality;
    double changes;
    int enough_data;
    int discovered;
    size_t n;
    enum red_flag want[FLAG_COUNT];
    const char *text0;      /* substring of the first flag's text, or NULL */
};

/* Thresholds: io_bound_share 0.2 (strictly below flags), weekly_changes 4
 * (at or above flags). */
static const struct flag_case flag_cases[] = {
    /* Baseline: a healthy cpu-bound service, nothing raised. */
    { "none", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0, 0,
      { 0 }, NULL },
    /* Measured share 0.1 < 0.2: io_bound, text states 10% and the 20% line. */
    { "io measured", 0.1, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0,
      1, { FLAG_IO_BOUND }, "10%" },
    /* Exactly at the threshold is not below it. */
    { "io at threshold", 0.2, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH,
      3, 1, 0, 0, { 0 }, NULL },
    /* A low share that is not known (have_runtime_share 0) raises nothing. */
    { "io unknown share", 0.1, 0, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH,
      3, 1, 0, 0, { 0 }, NULL },
    /* Declared io-bound raises it without a measurement; not a poor fit. */
    { "io declared", 0.9, 0, WORKLOAD_IO_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0,
      1, { FLAG_IO_BOUND }, "Declared" },
    /* Declared and measured: one flag saying both. */
    { "io both", 0.05, 1, WORKLOAD_IO_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0,
      1, { FLAG_IO_BOUND }, "5.0%" },
    /* New team on a high-criticality service. */
    { "team new critical", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_NONE, CRITICALITY_HIGH,
      3, 1, 0, 1, { FLAG_TEAM_NEW_CRITICAL }, "high-criticality" },
    { "team new medium", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_NONE, CRITICALITY_MEDIUM,
      3, 1, 0, 0, { 0 }, NULL },
    { "team some high", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH,
      3, 1, 0, 0, { 0 }, NULL },
    /* 4 changes a month is at the threshold: raised; 3.9 is not. */
    { "weekly at 4", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 4, 1, 0,
      1, { FLAG_WEEKLY_CHANGES }, "Changes 4 times" },
    { "weekly 3.9", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 3.9, 1, 0,
      0, { 0 }, NULL },
    /* crud, ml and glue are poor fits; networking is not. */
    { "crud", 0.9, 1, WORKLOAD_CRUD, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0, 1,
      { FLAG_POOR_FIT_WORKLOAD }, "crud" },
    { "ml", 0.9, 1, WORKLOAD_ML, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0, 1,
      { FLAG_POOR_FIT_WORKLOAD }, "ml" },
    { "glue", 0.9, 1, WORKLOAD_GLUE, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0, 1,
      { FLAG_POOR_FIT_WORKLOAD }, "glue" },
    { "networking", 0.9, 1, WORKLOAD_NETWORKING, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 0,
      0, { 0 }, NULL },
    /* Too little data. */
    { "not enough data", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH,
      3, 0, 0, 1, { FLAG_NOT_ENOUGH_DATA }, "data" },
    /* Everything at once, listed in enum order. */
    { "all", 0.05, 1, WORKLOAD_CRUD, EXPERIENCE_NONE, CRITICALITY_HIGH, 10, 0, 0, 5,
      { FLAG_IO_BOUND, FLAG_TEAM_NEW_CRITICAL, FLAG_WEEKLY_CHANGES, FLAG_POOR_FIT_WORKLOAD,
        FLAG_NOT_ENOUGH_DATA }, "5.0%" },
    /* Found by discovery: every input is a default, so say so. */
    { "discovered", 0.9, 1, WORKLOAD_CPU_BOUND, EXPERIENCE_SOME, CRITICALITY_HIGH, 3, 1, 1, 1,
      { FLAG_DISCOVERED }, "inventory" },
};

static void test_flags_table(void **state)
{
    struct fixture *fx = *state;
    size_t i, j;

    for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
        const struct flag_case *c = &flag_cases[i];

        fx->m.runtime_share = c->share;
        fx->m.have_runtime_share = c->have_share;
        fx->spec.workload = c->workload;
        fx->spec.experience = c->experience;
        fx->spec.criticality = c->criticality;
        fx->spec.changes_per_month = range_point(c->changes);
        fx->m.enough_data = c->enough_data;
        fx->spec.discovered = c->discovered;
        fixture_score(fx);
        if (fx->r.n_flags != c->n)
            fail_msg("%s: %zu flags, want %zu", c->name, fx->r.n_flags, c->n);
        for (j = 0; j < c->n; j++) {
            if (fx->r.flags[j].flag != c->want[j])
                fail_msg("%s: flag %zu is %s, want %s", c->name, j,
                         red_flag_name(fx->r.flags[j].flag), red_flag_name(c->want[j]));
            check_text(fx->r.flags[j].text, c->name);
        }
        if (c->text0 != NULL)
            check_contains(fx->r.flags[0].text, c->text0, c->name);
    }
}

struct text_case {
    const char *name;
    enum knob knob;
    enum factor factor;
    double x;
    const char *needle;
};

/* Reasons state the number the way a reader expects it. */
static const struct text_case text_cases[] = {
    /* 0.92 -> "92%", and says the language is the bottleneck. */
    { "share 92", K_SHARE, FACTOR_RUNTIME_SHARE, 0.92, "92% of each request" },
    /* 0.035 -> one decimal below 10 %. */
    { "share 3.5", K_SHARE, FACTOR_RUNTIME_SHARE, 0.035, "3.5%" },
    /* 0.0042 -> two decimals below 1 %. */
    { "share 0.42", K_SHARE, FACTOR_RUNTIME_SHARE, 0.0042, "0.42%" },
    /* share above 1 is given as a multiple. */
    { "share 1.3", K_SHARE, FACTOR_RUNTIME_SHARE, 1.3, "1.3x" },
    { "tail 5.5", K_TAIL, FACTOR_TAIL_RATIO, 5.5, "5.5x p50" },
    { "cpu 85", K_CPU, FACTOR_CPU_UTILISATION, 0.85, "85% of provisioned" },
    /* 1.5 %/day growth beats 0.3 utilisation: the reason is about a leak. */
    { "leak", K_MEM_GROWTH, FACTOR_MEMORY, 0.015, "leak" },
    { "leak pct", K_MEM_GROWTH, FACTOR_MEMORY, 0.015, "1.5%" },
    { "mem util", K_MEM_UTIL, FACTOR_MEMORY, 0.95, "95% of its allotment" },
    /* Thousands separated: 15000 -> "15,000"; 1234567 -> "1,234,567". */
    { "cost 15k", K_COST, FACTOR_FLEET_COST, 15000, "15,000 a month" },
    { "cost 1.2M", K_COST, FACTOR_FLEET_COST, 1234567, "1,234,567 a month" },
    { "cost 999", K_COST, FACTOR_FLEET_COST, 999, "999 a month" },
    { "changes 2.5", K_CHANGES, FACTOR_CHANGE_RATE, 2.5, "2.5 changes a month" },
    { "changes 12", K_CHANGES, FACTOR_CHANGE_RATE, 12, "weekly" },
};

static void test_reason_texts(void **state)
{
    struct fixture *fx = *state;
    size_t i;

    for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
        const struct text_case *c = &text_cases[i];
        struct language_profile lang;

        assumptions_done(&fx->a);
        fixture_init(fx);
        apply_knob(fx, &lang, c->knob, c->x);
        fixture_score(fx);
        check_text(fx->r.factors[c->factor].reason, c->name);
        check_contains(fx->r.factors[c->factor].reason, c->needle, c->name);
    }
    /* The language reason names the profile and its CPU and memory figures
     * (python: 80% and 75%). */
    check_contains(fx->r.factors[FACTOR_LANGUAGE].reason, "python", "language");
    check_contains(fx->r.factors[FACTOR_LANGUAGE].reason, "CPU by 80%", "language");
    check_contains(fx->r.factors[FACTOR_LANGUAGE].reason, "memory by 75%", "language");
}

/* Extreme inputs must still give complete, bounded ASCII sentences: a
 * 31-byte language name with a control byte and a UTF-8 byte (replaced by
 * '?'), absurd cost, share, ratio and change rate. */
static void test_reason_bounds(void **state)
{
    struct fixture *fx = *state;
    struct language_profile lang = *fx->lang;
    int i;

    memset(lang.name, 'x', sizeof(lang.name) - 1);
    lang.name[sizeof(lang.name) - 1] = '\0';
    lang.name[3] = '\n';
    lang.name[4] = (char)0xc3;
    fx->lang = &lang;
    fx->m.fleet_cost_per_month = 9.87e28;
    fx->m.runtime_share = 1e9;
    fx->m.tail_ratio = 1e12;
    fx->m.cpu_utilisation = 1e6;
    fx->m.memory_growth_per_day = 1e7;
    fx->spec.changes_per_month = range_point(1e15);
    fx->spec.experience = EXPERIENCE_NONE;
    fx->spec.workload = WORKLOAD_GLUE;
    fx->m.enough_data = 0;
    fixture_score(fx);
    for (i = 0; i < FACTOR_COUNT; i++)
        check_text(fx->r.factors[i].reason, factor_name((enum factor)i));
    check_contains(fx->r.factors[FACTOR_LANGUAGE].reason, "xxx??xx", "language name");
    assert_int_equal(fx->r.n_flags, 4);
    for (i = 0; i < (int)fx->r.n_flags; i++)
        check_text(fx->r.flags[i].text, red_flag_name(fx->r.flags[i].flag));
    assert_true(fx->r.score >= 0 && fx->r.score <= 100);
}

struct kind_case {
    const char *name;
    double share;               /* runtime share; < 0: not measured */
    double tail;                /* tail ratio; < 0: not measured */
    double cpu;                 /* CPU utilisation; < 0: not measured */
    double instances, floor;    /* memory stays at the fixture's 0.6 */
    enum workload workload;
    double changes;
    enum red_flag flag;         /* the flag checked */
    enum flag_kind kind;
    const char *text;           /* substring of its text */
};

/*
 * Veto or caution (issue 14 section 1), by the rules of score.c's
 * score_flags, each worked out by hand on the fixture (python, CPU 0.8 and
 * memory 0.75 likely reductions; memory utilisation 0.6):
 *   fleet 2 with floor 2 never shrinks; fleet 10 with floor 2 at CPU 0.8:
 *   new = max(0.8 * 0.2, 0.6 * 0.25) = 0.16, after = ceil(10 * 0.16 / 0.8)
 *   = 2 < 10: it shrinks.
 *   "quiet" is a tail ratio of 2 or less and CPU at most 20 %: both
 *   strengths 0.
 */
static const struct kind_case kind_cases[] = {
    /* runtime busy (share 0.9, tail 5, CPU 0.65), floor: changes a caution */
    { "weekly busy", 0.9, 5, 0.65, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_WEEKLY_CHANGES,
      FLAG_KIND_CAUTION, "the runtime is the bottleneck" },
    { "weekly busy trap", 0.9, 5, 0.65, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_WEEKLY_CHANGES,
      FLAG_KIND_CAUTION, "\"just one more thing\" trap" },
    { "weekly busy priced", 0.9, 5, 0.65, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_WEEKLY_CHANGES,
      FLAG_KIND_CAUTION, "built twice" },
    /* share 0.1 < 0.2 at the floor: good enough, both vetoes */
    { "weekly low share", 0.1, 5, 0.65, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_WEEKLY_CHANGES,
      FLAG_KIND_VETO, "good enough (runtime share 10%)" },
    { "io low share floor", 0.1, 5, 0.65, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_IO_BOUND,
      FLAG_KIND_VETO, "no CPU- or memory-sized fleet" },
    /* share high but a narrow tail and an idle CPU: good enough */
    { "weekly quiet", 0.9, 1.5, 0.1, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_WEEKLY_CHANGES,
      FLAG_KIND_VETO, "a narrow tail and an idle CPU" },
    /* quiet, but the fleet shrinks (memory 0.6 sizes it): a caution */
    { "weekly quiet shrinks", 0.9, 1.5, 0.1, 10, 2, WORKLOAD_CPU_BOUND, 6,
      FLAG_WEEKLY_CHANGES, FLAG_KIND_CAUTION, "the fleet shrinks" },
    /* low share on a fleet that shrinks: both cautions */
    { "io shrinks", 0.1, 5, 0.8, 10, 2, WORKLOAD_CPU_BOUND, 6, FLAG_IO_BOUND,
      FLAG_KIND_CAUTION, "CPU sizes the fleet" },
    { "weekly low share shrinks", 0.1, 5, 0.8, 10, 2, WORKLOAD_CPU_BOUND, 6,
      FLAG_WEEKLY_CHANGES, FLAG_KIND_CAUTION, "the fleet shrinks" },
    /* declared io-bound stays a veto, fleet or not */
    { "io declared shrinks", 0.9, 5, 0.8, 10, 2, WORKLOAD_IO_BOUND, 2, FLAG_IO_BOUND,
      FLAG_KIND_VETO, "Declared" },
    /* nothing measured: nothing says performance is good enough */
    { "weekly unmeasured", -1, -1, -1, 2, 2, WORKLOAD_CPU_BOUND, 6, FLAG_WEEKLY_CHANGES,
      FLAG_KIND_CAUTION, "nothing measured" },
    /* poor fits are vetoes; an ML service at share 0.6 >= 0.5 gets the hybrid */
    { "crud", 0.9, 5, 0.65, 2, 2, WORKLOAD_CRUD, 2, FLAG_POOR_FIT_WORKLOAD, FLAG_KIND_VETO,
      "crud" },
    { "ml hybrid", 0.6, 5, 0.65, 2, 2, WORKLOAD_ML, 2, FLAG_POOR_FIT_WORKLOAD, FLAG_KIND_VETO,
      "PyO3" },
    { "ml not busy", 0.49, 5, 0.65, 2, 2, WORKLOAD_ML, 2, FLAG_POOR_FIT_WORKLOAD,
      FLAG_KIND_VETO, "Workload ml is a poor fit for a Rust rewrite." },
};

static void test_flag_kinds(void **state)
{
    struct fixture *fx = *state;
    size_t i, j;

    for (i = 0; i < sizeof(kind_cases) / sizeof(kind_cases[0]); i++) {
        const struct kind_case *c = &kind_cases[i];
        const struct flag_result *f = NULL;

        assumptions_done(&fx->a);
        fixture_init(fx);
        fx->m.have_runtime_share = c->share >= 0;
        fx->m.runtime_share = c->share;
        fx->m.have_latency = c->tail >= 0;
        fx->m.tail_ratio = c->tail;
        fx->m.have_cpu = c->cpu >= 0;
        fx->m.cpu_utilisation = c->cpu;
        if (c->share < 0)
            fx->m.have_memory = 0;
        fx->spec.instances = range_point(c->instances);
        fx->spec.min_instances = range_point(c->floor);
        fx->spec.workload = c->workload;
        fx->spec.changes_per_month = range_point(c->changes);
        fixture_score(fx);
        for (j = 0; j < fx->r.n_flags; j++)
            if (fx->r.flags[j].flag == c->flag)
                f = &fx->r.flags[j];
        if (f == NULL)
            fail_msg("%s: no %s flag", c->name, red_flag_name(c->flag));
        if (f->kind != c->kind)
            fail_msg("%s: %s is a %s, want a %s", c->name, red_flag_name(c->flag),
                     flag_kind_name(f->kind), flag_kind_name(c->kind));
        check_text(f->text, c->name);
        check_contains(f->text, c->text, c->name);
        assert_non_null(f->seed);
        assert_int_equal(fx->r.hybrid, strcmp(c->name, "ml hybrid") == 0);
    }
}

/* Every flag names the seed condition it implements (or says "no seed"),
 * and score_veto_count counts the vetoes but not not_enough_data. */
static void test_flag_seeds_and_count(void **state)
{
    struct fixture *fx = *state;
    size_t i;

    /* the "all" case of flag_cases: io_bound (share 0.05 at the floor),
     * team_new_critical, weekly_changes (good enough: share 0.05),
     * poor_fit_workload, not_enough_data, and discovered */
    fx->m.runtime_share = 0.05;
    fx->spec.workload = WORKLOAD_CRUD;
    fx->spec.experience = EXPERIENCE_NONE;
    fx->spec.changes_per_month = range_point(10);
    fx->m.enough_data = 0;
    fx->spec.discovered = 1;
    fixture_score(fx);
    assert_int_equal((int)fx->r.n_flags, 6);
    for (i = 0; i < fx->r.n_flags; i++) {
        const char *seed = fx->r.flags[i].seed;

        assert_int_equal(fx->r.flags[i].kind, FLAG_KIND_VETO);
        assert_true(strncmp(seed, "seed 00", 7) == 0 || strncmp(seed, "no seed", 7) == 0);
    }
    assert_string_equal(fx->r.flags[5].seed, "no seed: verdict's own hold while every input "
                                              "is a built-in default");
    check_contains(fx->r.flags[2].seed, "good enough", "weekly seed");
    assert_int_equal((int)score_veto_count(&fx->r), 5);
}

/*
 * score_fleet_shrinks against the cost model itself (a second method):
 * cost_evaluate at likely values, whose instances_after is below the
 * instances exactly when the fleet shrinks, over a grid of fleets, floors,
 * utilisations (unknown, idle, busy, over 1) and languages (none too).
 */
static void test_fleet_shrinks_matches_cost(void **state)
{
    static const double inst[] = { 2, 3, 10, 25 }, floors[] = { 2, 3 };
    static const double cpu[] = { NAN, 0, 0.1, 0.3, 0.64, 0.8, 1.2 };
    static const double mem[] = { NAN, 0.2, 0.5, 0.9 };
    static const char *const langs[] = { "go", "python", "java", NULL };
    struct fixture *fx = *state;
    size_t a, b, c, d, l, n = 0, shrinking = 0;

    for (l = 0; l < 4; l++)
        for (a = 0; a < 4; a++)
            for (b = 0; b < 2; b++)
                for (c = 0; c < 7; c++)
                    for (d = 0; d < 4; d++) {
                        const struct language_profile *lang =
                            langs[l] ? assumptions_language(&fx->a, langs[l]) : NULL;
                        struct cost_inputs in;
                        struct cost_result r;
                        double v[COST_PARAM_COUNT];
                        int k, want, got;

                        memset(&in, 0, sizeof(in));
                        for (k = 0; k < COST_PARAM_COUNT; k++)
                            in.p[k] = range_point(0);
                        in.p[COST_INSTANCES] = range_point(inst[a]);
                        in.p[COST_MIN_INSTANCES] = range_point(floors[b]);
                        in.p[COST_COST_PER_INSTANCE] = range_point(750);
                        if (lang != NULL) {
                            in.p[COST_CPU_REDUCTION] = lang->cpu_reduction;
                            in.p[COST_MEMORY_REDUCTION] = lang->memory_reduction;
                        }
                        in.p[COST_COST_PER_ENGINEER_MONTH] = range_point(15000);
                        in.p[COST_EFFORT_ENGINEER_MONTHS] = range_point(6);
                        in.cpu_utilisation = cpu[c];
                        in.memory_utilisation = mem[d];
                        in.engineers = 4;
                        in.parallelism = 4;
                        in.horizon_months = 24;
                        cost_likely(&in, v);
                        cost_evaluate(&in, v, &r);
                        want = r.instances_after < inst[a];

                        fx->spec.instances = range_point(inst[a]);
                        fx->spec.min_instances = range_point(floors[b]);
                        fx->m.have_cpu = !isnan(cpu[c]);
                        fx->m.cpu_utilisation = cpu[c];
                        fx->m.have_memory = !isnan(mem[d]);
                        fx->m.memory_utilisation = mem[d];
                        got = score_fleet_shrinks(&fx->spec, lang, &fx->m);
                        if (got != want)
                            fail_msg("%s, %g instances (floor %g), CPU %g, memory %g: "
                                     "shrinks %d, the cost model says %d (after %g)",
                                     langs[l] ? langs[l] : "no language", inst[a], floors[b],
                                     cpu[c], mem[d], got, want, r.instances_after);
                        n++;
                        shrinking += (size_t)got;
                    }
    /* the grid has both answers, so the comparison is not vacuous */
    assert_int_equal((int)n, 4 * 4 * 2 * 7 * 4);
    assert_true(shrinking > 50 && shrinking < n - 50);
}

/*
 * The tail on busy hours, with the GC share (score.c, factor_tail_ratio):
 * ratio 5.5 gives s_tail = (5.5 - 2) / 6 = 0.58333; GC at 1 % of CPU halves
 * it (0.01 / 0.02): 0.29167; at 5 % (above 2 %) it stays 0.58333; without a
 * GC signal, 0.58333.  By hand.
 */
static void test_tail_with_gc(void **state)
{
    struct fixture *fx = *state;
    const struct factor_result *f = &fx->r.factors[FACTOR_TAIL_RATIO];

    fx->m.tail_ratio = 5.5;
    fixture_score(fx);
    check_num(f->strength, 3.5 / 6, "strength", "no gc");
    fx->m.have_gc = 1;
    fx->m.gc_share = 0.01;
    fixture_score(fx);
    check_num(f->strength, 3.5 / 6 / 2, "strength", "gc 1%");
    check_text(f->reason, "gc 1%");
    check_contains(f->reason, "GC takes only 1.0% of CPU", "gc 1%");
    fx->m.gc_share = 0.05;
    fixture_score(fx);
    check_num(f->strength, 3.5 / 6, "strength", "gc 5%");
    check_contains(f->reason, "GC takes 5.0% of CPU", "gc 5%");
}

/* One signal for analysis_metrics: median p50, 95th percentile p95, mean. */
static void put_signal(struct signal_data *s, double p50, double p95, double mean)
{
    memset(s, 0, sizeof(*s));
    s->present = 1;
    s->stats.count = 8640;
    s->stats.first_t = 0;
    s->stats.last_t = 30 * 86400.0;
    s->stats.p50 = p50;
    s->stats.p95 = p95;
    s->stats.mean = mean;
    s->stats.trend_per_day = 0;
}

/*
 * analysis_metrics (the formula block above it), by hand: 12 cores mean
 * (16 at p95) serving 400 req/s is 0.03 CPU-s a request; against a mean
 * latency of 40 ms the runtime share is 0.75 (on the p50 of 20 ms it would
 * be 1.5, as before the mean was measured); the p99 series has median
 * 100 ms and p95 110 ms, so the busy-hour tail is 0.11 / 0.02 = 5.5 (the
 * median gave 5); GC 0.12 s/s on 12 cores is a gc_share of 0.01.  Without
 * the mean-latency signal (an old snapshot) the share falls back to the
 * p50: 1.5, and the reason says so.
 */
static void test_metrics_mean_and_busy_tail(void **state)
{
    struct fixture *fx = *state;
    struct service_data d;
    struct service_metrics m;

    memset(&d, 0, sizeof(d));
    put_signal(&d.signals[SIGNAL_P99_LATENCY], 0.1, 0.11, 0.1);
    put_signal(&d.signals[SIGNAL_P50_LATENCY], 0.02, 0.03, 0.02);
    put_signal(&d.signals[SIGNAL_CPU], 12, 16, 12);
    put_signal(&d.signals[SIGNAL_MEMORY], 1e9, 1e9, 1e9);
    put_signal(&d.signals[SIGNAL_RPS], 400, 500, 400);
    put_signal(&d.signals[SIGNAL_MEAN_LATENCY], 0.04, 0.05, 0.04);
    put_signal(&d.signals[SIGNAL_GC], 0.12, 0.2, 0.12);
    analysis_metrics(&fx->spec, &d, &fx->a.economics.thresholds, &m);
    check_num(m.cpu_s_per_request, 0.03, "cpu per request", "mean");
    check_num(m.runtime_share, 0.75, "runtime_share", "mean");
    assert_int_equal(m.share_from_mean, 1);
    check_num(m.mean_latency_s, 0.04, "mean latency", "mean");
    check_num(m.p99_s, 0.1, "p99", "mean");
    check_num(m.p99_busy_s, 0.11, "p99 busy", "mean");
    check_num(m.tail_ratio, 5.5, "tail_ratio", "mean");
    assert_int_equal(m.have_gc, 1);
    check_num(m.gc_share, 0.01, "gc_share", "mean");
    fx->m = m;
    fixture_score(fx);
    check_contains(fx->r.factors[FACTOR_RUNTIME_SHARE].reason, "against the mean latency",
                   "mean");

    d.signals[SIGNAL_MEAN_LATENCY].present = 0;
    d.signals[SIGNAL_GC].present = 0;
    analysis_metrics(&fx->spec, &d, &fx->a.economics.thresholds, &m);
    check_num(m.runtime_share, 1.5, "runtime_share", "p50");
    assert_int_equal(m.share_from_mean, 0);
    assert_int_equal(m.have_mean_latency, 0);
    assert_int_equal(m.have_gc, 0);
    fx->m = m;
    fixture_score(fx);
    check_contains(fx->r.factors[FACTOR_RUNTIME_SHARE].reason, "against the p50",
                   "p50");
}

static void test_names(void **state)
{
    static const char *const flags[FLAG_COUNT] = {
        "io_bound", "team_new_critical", "weekly_changes", "poor_fit_workload",
        "not_enough_data", "discovered", "coarse_buckets",
    };
    static const char *const recs[] = { "migrate", "consider", "keep", "unknown" };
    int i;

    (void)state;
    for (i = 0; i < FLAG_COUNT; i++)
        assert_string_equal(red_flag_name((enum red_flag)i), flags[i]);
    assert_string_equal(red_flag_name(FLAG_COUNT), "?");
    assert_string_equal(flag_kind_name(FLAG_KIND_VETO), "veto");
    assert_string_equal(flag_kind_name(FLAG_KIND_CAUTION), "caution");
    assert_string_equal(flag_kind_name((enum flag_kind)2), "?");
    for (i = REC_MIGRATE; i <= REC_UNKNOWN; i++)
        assert_string_equal(recommendation_name((enum recommendation)i), recs[i]);
    assert_string_equal(recommendation_name((enum recommendation)(REC_UNKNOWN + 1)), "?");
}

/* Has the result a flag f, of kind k?  Its text, or NULL. */
static const char *flag_text(const struct score_result *r, enum red_flag f, enum flag_kind k)
{
    size_t i;

    for (i = 0; i < r->n_flags; i++)
        if (r->flags[i].flag == f && r->flags[i].kind == k)
            return r->flags[i].text;
    return NULL;
}

/*
 * coarse_buckets, by hand: le 0.1, 0.25, 0.5, 1.  A p50 of 0.05 s lies in
 * 0-0.1, width 0.1 > 0.05: coarse.  0.3 lies in 0.25-0.5, width 0.25 <
 * 0.3: not coarse.  0.2 in 0.1-0.25, width 0.15 < 0.2: not coarse.  0.02
 * in 0-0.1 or anything in a bucket to +Inf: coarse.  A runtime share of
 * 0.05 divided by that coarse p50 (no mean latency) raises no io_bound.
 */
static void test_coarse_buckets(void **state)
{
    struct fixture *fx = *state;
    const char *t;

    assert_true(score_coarse_bucket(0.05, 0, 0.1));
    assert_false(score_coarse_bucket(0.3, 0.25, 0.5));
    assert_false(score_coarse_bucket(0.2, 0.1, 0.25));
    assert_true(score_coarse_bucket(0.02, 0, 0.1));
    assert_true(score_coarse_bucket(2, 1, INFINITY));
    assert_false(score_coarse_bucket(NAN, 0, 0.1));
    assert_false(score_coarse_bucket(0, 0, 0.1));

    /* the case: p50 50.0 ms in 0-100 ms, share from that p50 */
    fx->m.p50_s = 0.05;
    fx->m.p50_bucket_known = 1;
    fx->m.p50_bucket_lo = 0;
    fx->m.p50_bucket_hi = 0.1;
    fx->m.runtime_share = 0.05;     /* below io_bound_share 0.3 */
    fx->m.share_from_mean = 0;
    fixture_score(fx);
    t = flag_text(&fx->r, FLAG_COARSE_BUCKETS, FLAG_KIND_CAUTION);
    assert_non_null(t);
    check_text(t, "coarse_buckets");
    check_contains(t, "p50 50.0 ms lies in the bucket 0-100 ms", "coarse_buckets");
    check_contains(t, "no I/O-bound flag", "coarse_buckets");
    assert_null(flag_text(&fx->r, FLAG_IO_BOUND, FLAG_KIND_VETO));
    assert_null(flag_text(&fx->r, FLAG_IO_BOUND, FLAG_KIND_CAUTION));

    /* the same share against the mean latency (not coarse): io_bound */
    fx->m.share_from_mean = 1;
    fixture_score(fx);
    assert_non_null(flag_text(&fx->r, FLAG_COARSE_BUCKETS, FLAG_KIND_CAUTION));
    assert_non_null(flag_text(&fx->r, FLAG_IO_BOUND, FLAG_KIND_VETO));

    /* 0.3 s in 0.25-0.5: fine, no caution; the p50's low share counts */
    fx->m.share_from_mean = 0;
    fx->m.p50_s = 0.3;
    fx->m.p50_bucket_lo = 0.25;
    fx->m.p50_bucket_hi = 0.5;
    fixture_score(fx);
    assert_null(flag_text(&fx->r, FLAG_COARSE_BUCKETS, FLAG_KIND_CAUTION));
    assert_non_null(flag_text(&fx->r, FLAG_IO_BOUND, FLAG_KIND_VETO));

    /* bucket unknown (an older snapshot): no caution */
    fx->m.p50_s = 0.05;
    fx->m.p50_bucket_known = 0;
    fixture_score(fx);
    assert_null(flag_text(&fx->r, FLAG_COARSE_BUCKETS, FLAG_KIND_CAUTION));
}

/* Fill m's memory fields from a series as analysis_metrics does
 * (fraction of the mean a day, window first to last point). */
static void memory_from_series(struct service_metrics *m, const double *t, const double *v,
                               size_t n)
{
    struct series_stats st;

    assert_int_equal(stats_compute(t, v, n, t[1] - t[0], &st), 0);
    m->have_memory = 1;
    m->memory_growth_per_day = st.trend_per_day / st.mean;
    m->memory_growth_se_per_day = st.trend_se_per_day / st.mean;
    m->memory_window_days = (st.last_t - st.first_t) / 86400;
}

/*
 * The trend rule on series (issue 15).  15 minutes at 1 point a minute,
 * 45 MiB -> 45.6 MiB in a straight line: about 1.3 % in 15 minutes, "42 %
 * a day" read naively; the window is under 3 days: not judged.  7 days at
 * 1 point an hour, 1 % a day of growth plus a deterministic wiggle of
 * +-0.5 %: judged (the slope is far above 2 standard errors).  7 days of
 * the wiggle alone around a flat 45 MiB: within noise, not judged.  The
 * noise-only series uses a pseudo-random +-1 % (an LCG): its least-squares
 * slope is a tiny fraction of a percent a day and within 2 errors.
 */
static void test_memory_trend_rule(void **state)
{
    struct fixture *fx = *state;
    static double t[7 * 24], v[7 * 24];
    const double mib = 1024.0 * 1024.0;
    unsigned long lcg = 12345;
    size_t i;

    for (i = 0; i < 15; i++) {
        t[i] = 1.7e9 + 60.0 * (double)i;
        v[i] = 45 * mib + 0.6 * mib * (double)i / 14;
    }
    memory_from_series(&fx->m, t, v, 15);
    assert_true(fx->m.memory_growth_per_day > 0.4);     /* the naive 42 % a day */
    assert_int_equal(score_growth_judged(&fx->m), 1);
    fx->m.memory_utilisation = 0.1;
    fixture_score(fx);
    check_contains(fx->r.factors[FACTOR_MEMORY].reason, "not judged: window too short",
                   "15 minutes");
    check_text(fx->r.factors[FACTOR_MEMORY].reason, "15 minutes");
    assert_true(fx->r.factors[FACTOR_MEMORY].strength == 0);

    for (i = 0; i < 7 * 24; i++) {
        double day = (double)i / 24;

        t[i] = 1.7e9 + 3600.0 * (double)i;
        v[i] = 45 * mib * (1 + 0.01 * day + 0.005 * sin((double)i * 0.7));
    }
    memory_from_series(&fx->m, t, v, 7 * 24);
    assert_int_equal(score_growth_judged(&fx->m), 0);
    fixture_score(fx);
    check_contains(fx->r.factors[FACTOR_MEMORY].reason, "leak", "7 days of growth");
    assert_true(fx->r.factors[FACTOR_MEMORY].strength > 0.8);

    for (i = 0; i < 7 * 24; i++) {
        lcg = (lcg * 1103515245UL + 12345UL) & 0x7fffffffUL;
        v[i] = 45 * mib * (1 + 0.01 * ((double)lcg / 0x7fffffff - 0.5) * 2);
    }
    memory_from_series(&fx->m, t, v, 7 * 24);
    assert_int_equal(score_growth_judged(&fx->m), 2);
    fixture_score(fx);
    check_contains(fx->r.factors[FACTOR_MEMORY].reason, "not judged: within noise",
                   "7 days of noise");
    check_text(fx->r.factors[FACTOR_MEMORY].reason, "7 days of noise");
}

/* The not-enough-data flag names both keys and their values (issue 15). */
static void test_not_enough_data_names_keys(void **state)
{
    struct fixture *fx = *state;
    const char *t;

    fx->m.enough_data = 0;
    fx->a.economics.thresholds.min_hours = 48;
    fixture_score(fx);
    t = flag_text(&fx->r, FLAG_NOT_ENOUGH_DATA, FLAG_KIND_VETO);
    assert_non_null(t);
    check_text(t, "not_enough_data");
    check_contains(t, "economics.thresholds.min_points (100) points or min_hours (48 hours)",
                   "not_enough_data");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_hand_computed_score),
        T(test_coarse_buckets),
        T(test_memory_trend_rule),
        T(test_not_enough_data_names_keys),
        T(test_strength_breakpoints),
        T(test_missing_data_renormalises),
        T(test_partial_data),
        T(test_zero_weights),
        T(test_single_and_negative_weight),
        T(test_no_factor_has_data),
        T(test_flags_table),
        T(test_reason_texts),
        T(test_reason_bounds),
        T(test_flag_kinds),
        T(test_flag_seeds_and_count),
        T(test_fleet_shrinks_matches_cost),
        T(test_tail_with_gc),
        T(test_metrics_mean_and_busy_tail),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
