/* test_model_checklist.c: unit tests for models/checklist.c (each item's state and evidence). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/analysis.h"
#include "verdict/assumptions.h"
#include "verdict/checklist.h"

/*
 * The baseline every test starts from: a busy python cpu-bound service
 * (runtime share 0.9, CPU p95 0.65, p99 5.5x p50, memory 60 % growing
 * 0.2 %/day, 12 instances), team "some", medium criticality, 3 changes a
 * month, default thresholds (io_bound_share 0.2, weekly_changes 4,
 * consider_score 40).  The four performance factors are set by hand:
 * strengths 0.9, 0.58, 0.75, 0.5 with weights 20, 10, 10, 10 (score.c's
 * defaults): (18 + 5.8 + 7.5 + 5) / 50 = 72.6 points of 100.
 */
struct fixture {
    struct assumptions a;
    struct service_spec spec;
    struct service_data data;
    struct service_analysis sa;
    struct checklist_item items[CHECKLIST_COUNT];
};

static void set_factor(struct factor_result *f, enum factor id, double w, double s)
{
    f->factor = id;
    f->have_data = 1;
    f->weight = w;
    f->strength = s;
    f->value = s;
}

static void fixture_init(struct fixture *fx)
{
    struct service_metrics *m = &fx->sa.metrics;
    struct factor_result *f = fx->sa.score.factors;

    memset(fx, 0, sizeof(*fx));
    assumptions_defaults(&fx->a);
    service_defaults(&fx->spec);
    fx->spec.workload = WORKLOAD_CPU_BOUND;
    fx->spec.experience = EXPERIENCE_SOME;
    fx->spec.criticality = CRITICALITY_MEDIUM;
    fx->spec.changes_per_month = range_point(3);
    fx->spec.instances = range_point(12);
    fx->sa.spec = &fx->spec;
    fx->sa.data = NULL;

    m->have_latency = 1;
    m->p50_s = 0.02;
    m->p99_s = 0.11;
    m->tail_ratio = 5.5;
    m->have_runtime_share = 1;
    m->runtime_share = 0.9;
    m->have_cpu = 1;
    m->cpu_utilisation = 0.65;
    m->cpu_cores_mean = 4;
    m->have_memory = 1;
    m->memory_utilisation = 0.6;
    m->memory_growth_per_day = 0.002;
    m->memory_window_days = 30;   /* long enough, no noise: growth judged */
    m->memory_growth_se_per_day = 0;
    m->enough_data = 1;

    set_factor(&f[FACTOR_RUNTIME_SHARE], FACTOR_RUNTIME_SHARE, 20, 0.9);
    set_factor(&f[FACTOR_TAIL_RATIO], FACTOR_TAIL_RATIO, 10, 0.58);
    set_factor(&f[FACTOR_CPU_UTILISATION], FACTOR_CPU_UTILISATION, 10, 0.75);
    set_factor(&f[FACTOR_MEMORY], FACTOR_MEMORY, 10, 0.5);
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

/* Evaluate everything and return item `id`. */
static const struct checklist_item *eval(struct fixture *fx, enum checklist_id id)
{
    size_t n;

    memset(fx->items, 0x5a, sizeof(fx->items));
    n = checklist_evaluate(&fx->sa, &fx->a.economics.thresholds, fx->items, CHECKLIST_COUNT);
    assert_int_equal(n, CHECKLIST_COUNT);
    assert_int_equal(fx->items[id].id, id);
    return &fx->items[id];
}

static void expect(struct fixture *fx, enum checklist_id id, enum checklist_state s,
                   const char *evidence)
{
    const struct checklist_item *it = eval(fx, id);

    if (it->state != s || strcmp(it->evidence, evidence) != 0)
        fail_msg("%s: got %s \"%s\", wanted %s \"%s\"", it->key,
                 checklist_state_name(it->state), it->evidence, checklist_state_name(s),
                 evidence);
}

/* Runtime bottleneck: share >= 0.5 and CPU >= 0.5 or tail >= 5. */
static void test_runtime(void **state)
{
    struct fixture *fx = *state;
    struct service_metrics *m = &fx->sa.metrics;

    expect(fx, CHECKLIST_RUNTIME_BOTTLENECK, CHECKLIST_YES, "runtime share 90%, CPU p95 65%");
    m->cpu_utilisation = 0.3;            /* idle CPU, but a wide tail */
    expect(fx, CHECKLIST_RUNTIME_BOTTLENECK, CHECKLIST_YES,
           "runtime share 90%, p99 is 5.5x p50");
    m->tail_ratio = 3;                   /* idle and narrow: no bottleneck */
    expect(fx, CHECKLIST_RUNTIME_BOTTLENECK, CHECKLIST_NO,
           "runtime share 90% but CPU p95 30%, p99 3.0x p50");
    m->have_cpu = 0;                     /* cannot tell whether it is loaded */
    expect(fx, CHECKLIST_RUNTIME_BOTTLENECK, CHECKLIST_UNKNOWN,
           "runtime share 90%, load not measured");
    m->runtime_share = 0.05;             /* I/O-bound (user-profile) */
    expect(fx, CHECKLIST_RUNTIME_BOTTLENECK, CHECKLIST_NO, "runtime share 5%");
    m->have_runtime_share = 0;
    expect(fx, CHECKLIST_RUNTIME_BOTTLENECK, CHECKLIST_UNKNOWN, "runtime share not measured");
}

/* Memory: tight (>= 90 %) or growing (>= 0.5 %/day) on >= 10 instances. */
static void test_memory(void **state)
{
    struct fixture *fx = *state;
    struct service_metrics *m = &fx->sa.metrics;

    expect(fx, CHECKLIST_MEMORY, CHECKLIST_NO, "memory 60% of allotment, 12 instances");
    m->memory_utilisation = 0.92;
    expect(fx, CHECKLIST_MEMORY, CHECKLIST_YES, "memory 92% of allotment, 12 instances");
    fx->spec.instances = range_point(4);       /* tight, but paid for 4 times */
    expect(fx, CHECKLIST_MEMORY, CHECKLIST_NO, "memory 92% of allotment, 4 instances");
    fx->spec.instances = range_point(NAN);
    expect(fx, CHECKLIST_MEMORY, CHECKLIST_UNKNOWN, "memory 92% of allotment, instances unknown");
    fx->spec.instances = range_point(10);      /* 10 is "many" */
    m->memory_utilisation = 0.5;
    m->memory_growth_per_day = 0.01;           /* a leak */
    expect(fx, CHECKLIST_MEMORY, CHECKLIST_YES, "memory +1% a day, 10 instances");
    m->have_memory = 0;
    expect(fx, CHECKLIST_MEMORY, CHECKLIST_UNKNOWN, "memory not measured");
}

/* GC tail: p99 >= 5x p50; with a GC signal, GC >= 2 % of CPU too. */
static void test_gc(void **state)
{
    struct fixture *fx = *state;
    struct service_metrics *m = &fx->sa.metrics;
    struct signal_data *gc = &fx->data.signals[SIGNAL_GC];

    expect(fx, CHECKLIST_GC_TAIL, CHECKLIST_YES, "p99 is 5.5x p50");
    fx->sa.data = &fx->data;
    gc->present = 1;
    gc->stats.count = 10;
    gc->stats.mean = 0.2;                      /* 0.2 s/s of 4 cores: 5 % */
    expect(fx, CHECKLIST_GC_TAIL, CHECKLIST_YES, "p99 is 5.5x p50, GC 5% of CPU");
    gc->stats.mean = 0.024;                    /* 0.6 %: not the collector */
    expect(fx, CHECKLIST_GC_TAIL, CHECKLIST_NO, "p99 is 5.5x p50, GC 0.6% of CPU");
    m->tail_ratio = 3.4;
    expect(fx, CHECKLIST_GC_TAIL, CHECKLIST_NO, "p99 is 3.4x p50");
    m->have_latency = 0;
    expect(fx, CHECKLIST_GC_TAIL, CHECKLIST_UNKNOWN, "latency not measured");
}

static void test_safety_and_anyway(void **state)
{
    struct fixture *fx = *state;

    expect(fx, CHECKLIST_SAFETY_CRITICAL, CHECKLIST_NO, "criticality: medium");
    fx->spec.criticality = CRITICALITY_HIGH;
    expect(fx, CHECKLIST_SAFETY_CRITICAL, CHECKLIST_YES, "criticality: high");
    fx->spec.criticality = (enum criticality)CRITICALITY_COUNT;
    expect(fx, CHECKLIST_SAFETY_CRITICAL, CHECKLIST_UNKNOWN, "criticality unknown");
    /* only the team knows about plans: unknown until already_rewriting
     * says so, either way */
    expect(fx, CHECKLIST_REWRITING_ANYWAY, CHECKLIST_UNKNOWN,
           "only the team knows: set already_rewriting");
    fx->spec.already_rewriting = 1;
    fx->spec.key_line[SK_ALREADY_REWRITING] = 12;
    expect(fx, CHECKLIST_REWRITING_ANYWAY, CHECKLIST_YES, "already_rewriting: true");
    fx->spec.already_rewriting = 0;
    expect(fx, CHECKLIST_REWRITING_ANYWAY, CHECKLIST_NO, "already_rewriting: false");
    fx->spec.key_line[SK_ALREADY_REWRITING] = 0;
}

/* Speed only: performance factors below consider_score (40). */
static void test_speed_only(void **state)
{
    struct fixture *fx = *state;
    struct factor_result *f = fx->sa.score.factors;

    expect(fx, CHECKLIST_SPEED_ONLY, CHECKLIST_NO, "performance factors 73/100 (keep < 40)");
    /* user-profile-like: (20 * 0.05 + 10 * 0.33 + 10 * 0.33 + 10 * 0.27) / 50 = 20.6 */
    f[FACTOR_RUNTIME_SHARE].strength = 0.05;
    f[FACTOR_TAIL_RATIO].strength = 0.33;
    f[FACTOR_CPU_UTILISATION].strength = 0.33;
    f[FACTOR_MEMORY].strength = 0.27;
    expect(fx, CHECKLIST_SPEED_ONLY, CHECKLIST_YES, "performance factors 21/100 (keep < 40)");
    /* only memory measured, exactly at the line: 40 is not below 40 */
    f[FACTOR_RUNTIME_SHARE].have_data = 0;
    f[FACTOR_TAIL_RATIO].have_data = 0;
    f[FACTOR_CPU_UTILISATION].have_data = 0;
    f[FACTOR_MEMORY].strength = 0.4;
    expect(fx, CHECKLIST_SPEED_ONLY, CHECKLIST_NO, "performance factors 40/100 (keep < 40)");
    f[FACTOR_MEMORY].weight = 0;                /* weighted out: nothing left */
    expect(fx, CHECKLIST_SPEED_ONLY, CHECKLIST_UNKNOWN, "performance not measured");
}

static void test_team(void **state)
{
    struct fixture *fx = *state;

    expect(fx, CHECKLIST_TEAM_NEW, CHECKLIST_NO, "team experience: some");
    fx->spec.experience = EXPERIENCE_NONE;
    expect(fx, CHECKLIST_TEAM_NEW, CHECKLIST_YES, "team experience: none");
    fx->spec.experience = EXPERIENCE_STRONG;
    expect(fx, CHECKLIST_TEAM_NEW, CHECKLIST_NO, "team experience: strong");
}

/* Stable below 1 change a month; time to market at weekly_changes (4). */
static void test_changes(void **state)
{
    struct fixture *fx = *state;

    expect(fx, CHECKLIST_STABLE, CHECKLIST_NO, "3 changes a month");
    expect(fx, CHECKLIST_TIME_TO_MARKET, CHECKLIST_NO, "3 changes a month (weekly: 4)");
    fx->spec.changes_per_month = range_point(4);
    expect(fx, CHECKLIST_TIME_TO_MARKET, CHECKLIST_YES, "4 changes a month (weekly: 4)");
    fx->spec.changes_per_month = range_point(0.5);
    expect(fx, CHECKLIST_STABLE, CHECKLIST_YES, "0.5 changes a month");
    fx->spec.changes_per_month = range_point(1);
    expect(fx, CHECKLIST_STABLE, CHECKLIST_NO, "1 change a month");
    fx->spec.changes_per_month = range_point(NAN);
    expect(fx, CHECKLIST_STABLE, CHECKLIST_UNKNOWN, "change rate unknown");
    expect(fx, CHECKLIST_TIME_TO_MARKET, CHECKLIST_UNKNOWN, "change rate unknown");
}

static void test_poor_fit(void **state)
{
    struct fixture *fx = *state;

    expect(fx, CHECKLIST_POOR_FIT, CHECKLIST_NO, "workload: cpu-bound");
    fx->spec.workload = WORKLOAD_CRUD;
    expect(fx, CHECKLIST_POOR_FIT, CHECKLIST_YES, "workload: crud");
    fx->spec.workload = WORKLOAD_ML;
    expect(fx, CHECKLIST_POOR_FIT, CHECKLIST_YES, "workload: ml");
    fx->spec.workload = WORKLOAD_GLUE;
    expect(fx, CHECKLIST_POOR_FIT, CHECKLIST_YES, "workload: glue");
    fx->spec.workload = WORKLOAD_IO_BOUND;     /* the runtime item covers I/O */
    expect(fx, CHECKLIST_POOR_FIT, CHECKLIST_NO, "workload: io-bound");
}

/* Nothing measured: every measured item unknown, the inventory ones still answer. */
static void test_nothing_measured(void **state)
{
    struct fixture *fx = *state;
    size_t i;

    memset(&fx->sa.metrics, 0, sizeof(fx->sa.metrics));
    memset(&fx->sa.score, 0, sizeof(fx->sa.score));
    eval(fx, 0);
    for (i = 0; i < CHECKLIST_COUNT; i++) {
        enum checklist_state want = CHECKLIST_NO;

        if (i == CHECKLIST_RUNTIME_BOTTLENECK || i == CHECKLIST_MEMORY ||
            i == CHECKLIST_GC_TAIL || i == CHECKLIST_REWRITING_ANYWAY ||
            i == CHECKLIST_SPEED_ONLY)
            want = CHECKLIST_UNKNOWN;
        if (fx->items[i].state != want)
            fail_msg("%s: %s", fx->items[i].key, checklist_state_name(fx->items[i].state));
    }
}

/* cap limits what is written; the fixed parts are complete and distinct. */
static void test_bounds(void **state)
{
    struct fixture *fx = *state;
    const struct thresholds *th = &fx->a.economics.thresholds;
    struct checklist_item big[CHECKLIST_COUNT + 2];
    size_t i, j, n;

    assert_int_equal(checklist_evaluate(&fx->sa, th, NULL, 0), 0);
    assert_int_equal(checklist_evaluate(NULL, th, fx->items, CHECKLIST_COUNT), 0);
    assert_int_equal(checklist_evaluate(&fx->sa, NULL, fx->items, CHECKLIST_COUNT), 0);
    memset(fx->items, 0x5a, sizeof(fx->items));
    assert_int_equal(checklist_evaluate(&fx->sa, th, fx->items, 3), 3);
    assert_int_equal(fx->items[2].id, 2);
    assert_int_equal(((unsigned char *)&fx->items[3])[0], 0x5a);   /* untouched */
    n = checklist_evaluate(&fx->sa, th, big, CHECKLIST_COUNT + 2);
    assert_int_equal(n, CHECKLIST_COUNT);
    for (i = 0; i < n; i++) {
        const char *e = big[i].evidence;

        assert_int_equal(big[i].id, i);
        assert_int_equal(big[i].side, i < CHECKLIST_SPEED_ONLY ? CHECKLIST_MIGRATE_WHEN
                                                               : CHECKLIST_DONT_MIGRATE_WHEN);
        assert_non_null(big[i].key);
        assert_true(strlen(big[i].text) > 10 && strlen(big[i].text) < 70);
        assert_non_null(big[i].seed);
        assert_true(strlen(e) > 0 && strlen(e) < CHECKLIST_EVIDENCE_MAX);
        for (j = 0; e[j] != '\0'; j++)
            assert_true(e[j] >= 0x20 && e[j] < 0x7f);
        for (j = 0; j < i; j++)
            assert_string_not_equal(big[i].key, big[j].key);
    }
    assert_string_equal(checklist_state_name(CHECKLIST_YES), "yes");
    assert_string_equal(checklist_state_name(CHECKLIST_NO), "no");
    assert_string_equal(checklist_state_name(CHECKLIST_UNKNOWN), "unknown");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_runtime),    T(test_memory),        T(test_gc),
        T(test_safety_and_anyway), T(test_speed_only), T(test_team),
        T(test_changes),    T(test_poor_fit),      T(test_nothing_measured),
        T(test_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
