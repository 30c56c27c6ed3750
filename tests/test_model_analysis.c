/* test_model_analysis.c: the seeds' cases through analysis_run: vetoes, cautions, the plan. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/analysis.h"

/*
 * Each case is one service described as the seeds describe it, with
 * measurements made up so that the metrics are the round figures below
 * (30 days at 5-minute steps, 8,640 points: enough data).  What is checked
 * is the recommendation and the flags; the scores are worked out by hand
 * with the default weights (runtime_share 20, tail_ratio 10, cpu 10,
 * memory 10, fleet_cost 15, language 10, workload 10, team 5, change_rate
 * 5, criticality 5: sum 100, so each contribution is weight * strength).
 * Every case fails on the code before issue 14's flags: there a flag of any
 * kind held migrate at consider, and a vetoed consider entered the plan.
 */

#define POINTS 8640
#define GIB (1024.0 * 1024.0 * 1024.0)

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

/* One signal whose median over time is p50, 95th percentile p95, mean mean. */
static void put(struct signal_data *s, double p50, double p95, double mean)
{
    memset(s, 0, sizeof(*s));
    s->present = 1;
    s->stats.count = POINTS;
    s->stats.first_t = 0;
    s->stats.last_t = 30 * 86400.0;
    s->stats.min = fmin(p50, mean) / 2;
    s->stats.max = p95 * 2;
    s->stats.mean = mean;
    s->stats.p50 = p50;
    s->stats.p95 = p95;
    s->stats.p99 = p95;
    s->stats.last = p50;
    s->stats.trend_per_day = 0;
}

struct measured {
    double p50_s, p99_s;        /* latency medians (p99 the same at p95) */
    double mean_s;              /* mean latency; <= 0: not measured */
    double cores_p95, cores_mean, rps, memory_bytes;
};

struct world {
    struct assumptions a;
    struct measurements m;
};

static void world_init(struct world *w, size_t n)
{
    memset(w, 0, sizeof(*w));
    assumptions_defaults(&w->a);
    w->a.services = calloc(n, sizeof(*w->a.services));
    w->m.services = calloc(n, sizeof(*w->m.services));
    assert_non_null(w->a.services);
    assert_non_null(w->m.services);
    w->m.source = dup_str("test");
    w->m.end_s = 30 * 86400.0;
    w->m.range_s = 30 * 86400.0;
    w->m.step_s = 300;
}

static struct service_spec *add(struct world *w, const char *name, const char *lang,
                                const struct measured *x)
{
    struct service_spec *s = &w->a.services[w->a.n_services++];
    struct service_data *d = &w->m.services[w->m.n_services++];

    service_defaults(s);
    s->name = dup_str(name);
    strncpy(s->language, lang, sizeof(s->language) - 1);
    d->name = dup_str(name);
    put(&d->signals[SIGNAL_P50_LATENCY], x->p50_s, x->p50_s * 1.1, x->p50_s);
    put(&d->signals[SIGNAL_P99_LATENCY], x->p99_s, x->p99_s, x->p99_s);
    put(&d->signals[SIGNAL_CPU], x->cores_mean, x->cores_p95, x->cores_mean);
    put(&d->signals[SIGNAL_RPS], x->rps, x->rps * 1.2, x->rps);
    put(&d->signals[SIGNAL_MEMORY], x->memory_bytes, x->memory_bytes, x->memory_bytes);
    if (x->mean_s > 0)
        put(&d->signals[SIGNAL_MEAN_LATENCY], x->mean_s, x->mean_s * 1.1, x->mean_s);
    return s;
}

static void world_done(struct world *w, struct analysis *an)
{
    analysis_done(an);
    measurements_done(&w->m);
    assumptions_done(&w->a);
}

static const struct service_analysis *find(const struct analysis *an, const char *name)
{
    size_t i;

    for (i = 0; i < an->n_services; i++)
        if (strcmp(an->services[i].spec->name, name) == 0)
            return &an->services[i];
    fail_msg("no service %s", name);
    return NULL;
}

static const struct flag_result *flag_of(const struct service_analysis *sa, enum red_flag f)
{
    size_t i;

    for (i = 0; i < sa->score.n_flags; i++)
        if (sa->score.flags[i].flag == f)
            return &sa->score.flags[i];
    return NULL;
}

/*
 * Seed 001: API gateways are good candidates (latency-critical, GC
 * spikes).  A Go gateway waiting on its upstreams: 20 single-core
 * instances at $750 (seed 003's $15,000 fleet), CPU p95 16 cores (80 %),
 * mean 8 cores at 10,000 req/s = 0.8 ms of CPU a request; p50 5 ms, mean
 * 8 ms, p99 50 ms (10x p50); memory 50 % of 1 GiB; strong team, high
 * criticality, 2 changes a month, 2 incidents a month at $10,000.
 *   runtime share 0.8 / 8 = 0.1 < 0.2 (on the p50 it would be 0.16: the old
 *   code flagged it too): io_bound, but the fleet is CPU-sized and shrinks
 *   (new = max(0.8 * 0.6, 0.5 * 0.6) = 0.48, after = ceil(20 * 0.48 / 0.8)
 *   = 12 < 20): a caution, not a veto.
 * Score by hand: share 0.1 -> 2; tail 10 -> 1 -> 10; CPU 0.8 -> 1 -> 10;
 * memory 0.5 -> (0.5 - 0.3) / 0.6 = 0.333 -> 3.33; fleet 15,000 ->
 * log10(15) / 2 = 0.588 -> 8.82; go 0.4 / 0.8 = 0.5 -> 5; latency-critical
 * 0.9 -> 9; strong 1 -> 5; 2 changes -> 1 -> 5; high 1 -> 5: 63.15 >= 60.
 * It pays: 8 instances * $750 = $6,000 a month saved plus 2 * 0.5 * $10,000
 * incidents, against about 6 engineer-months.  So migrate (before: consider).
 */
static void test_go_gateway_not_vetoed(void **state)
{
    static const struct measured x = { 0.005, 0.05, 0.008, 16, 8, 10000, 0.5 * 20 * GIB };
    struct world w;
    struct analysis an;
    struct analysis_options opt = { 1, 2000 };
    struct service_spec *s;
    const struct service_analysis *sa;
    const struct flag_result *io;

    (void)state;
    world_init(&w, 1);
    s = add(&w, "gateway", "go", &x);
    s->workload = WORKLOAD_LATENCY_CRITICAL;
    s->instances = range_point(20);
    s->min_instances = range_point(2);
    s->cores_per_instance = range_point(1);
    s->memory_per_instance_bytes = range_point(1 * GIB);
    s->cost_per_instance = range_point(750);
    s->experience = EXPERIENCE_STRONG;
    s->criticality = CRITICALITY_HIGH;
    s->changes_per_month = range_point(2);
    s->incidents_per_month = range_point(2);
    s->cost_per_incident = range_point(10000);
    assert_int_equal(analysis_run(&w.a, &w.m, &opt, &an), 0);
    sa = find(&an, "gateway");
    assert_true(fabs(sa->metrics.runtime_share - 0.1) < 1e-12);
    assert_int_equal(sa->metrics.share_from_mean, 1);
    assert_true(fabs(sa->score.score - 63.15) < 0.01);
    io = flag_of(sa, FLAG_IO_BOUND);
    assert_non_null(io);
    assert_int_equal(io->kind, FLAG_KIND_CAUTION);
    assert_int_equal((int)score_veto_count(&sa->score), 0);
    assert_true(sa->mc.probability_positive >= 0.6);
    assert_int_equal(sa->recommendation, REC_MIGRATE);
    assert_non_null(strstr(sa->recommendation_reason, "cautions: io_bound"));
    world_done(&w, &an);
}

/*
 * Issue 14's textbook case (seed 000: a hot-path Python pipeline "is
 * almost always worth it"; seed 001's 40 cores and p99 340 ms): 25 x
 * 2-core instances at $600, CPU p95 32 cores (64 %), mean 28 cores at 300
 * req/s = 93.3 ms of CPU a request; p50 100 ms, mean 110 ms, p99 340 ms;
 * 18 GB over 25 x 4 GiB (17 %); 4 endpoints; a team of 4 with some Rust; 2
 * incidents a month at $10,000; 6 changes a month.
 *   weekly_changes: 6 >= 4, but the runtime is the bottleneck (share
 *   0.0933 / 0.11 = 0.848) and the fleet shrinks (python CPU 0.8: after
 *   ceil(25 * 0.128 / 0.64) = 5): a caution that names the "just one more
 *   thing" trap; before, a red flag that said consider.
 * Score by hand: share 0.848 -> 16.97; tail 3.4 -> 0.233 -> 2.33; CPU 0.64
 * -> 0.733 -> 7.33; memory 0.168 -> 0; fleet 15,000 -> 8.82; python 1 ->
 * 10; cpu-bound 10; some 0.6 -> 3; 6 changes -> 0.15 -> 0.75; medium 0.6
 * -> 3: 62.2 >= 60, and 20 instances * $600 saved a month pays: migrate.
 */
static void test_pipeline_migrates_despite_changes(void **state)
{
    static const struct measured x = { 0.1, 0.34, 0.11, 32, 28, 300, 18e9 };
    struct world w;
    struct analysis an;
    struct analysis_options opt = { 1, 2000 };
    struct service_spec *s;
    const struct service_analysis *sa;
    const struct flag_result *wk;

    (void)state;
    world_init(&w, 1);
    s = add(&w, "pipeline", "python", &x);
    s->workload = WORKLOAD_CPU_BOUND;
    s->instances = range_point(25);
    s->min_instances = range_point(2);
    s->cores_per_instance = range_point(2);
    s->cost_per_instance = range_point(600);
    s->endpoints = 4;
    s->engineers = 4;
    s->experience = EXPERIENCE_SOME;
    s->incidents_per_month = range_point(2);
    s->cost_per_incident = range_point(10000);
    s->changes_per_month = range_point(6);
    assert_int_equal(analysis_run(&w.a, &w.m, &opt, &an), 0);
    sa = find(&an, "pipeline");
    assert_true(fabs(sa->score.score - 62.2) < 0.05);
    wk = flag_of(sa, FLAG_WEEKLY_CHANGES);
    assert_non_null(wk);
    assert_int_equal(wk->kind, FLAG_KIND_CAUTION);
    assert_non_null(strstr(wk->text, "just one more thing"));
    assert_int_equal((int)score_veto_count(&sa->score), 0);
    assert_int_equal(sa->recommendation, REC_MIGRATE);
    world_done(&w, &an);
}

/*
 * Seed 001: ML stays in Python, with the hot loop in Rust via PyO3.  A
 * busy Python ML service (score by hand: share 0.85 -> 17; tail 3 ->
 * 0.167 -> 1.67; CPU 0.8 -> 10; memory 0.5 -> 3.33; fleet 15,000 -> 8.82;
 * python 10; ml 0; strong 5; 2 changes 5; medium 3: 63.82) that pays, with
 * capacity for everything: poor_fit_workload is a veto, so consider, the
 * hybrid in its reason, and out of the plan (before: in it, as the demo's
 * fraud-scoring was with three flags).  A clean CPU-bound twin is in the
 * plan, so the plan is not simply empty.
 */
static void test_ml_vetoed_out_of_plan(void **state)
{
    static const struct measured x = { 0.05, 0.15, 0.05, 16, 12, 282.35294117647, 10 * GIB };
    struct world w;
    struct analysis an;
    struct analysis_options opt = { 1, 2000 };
    const struct service_analysis *ml, *twin;
    int k;

    (void)state;
    world_init(&w, 2);
    for (k = 0; k < 2; k++) {
        struct service_spec *s = add(&w, k == 0 ? "scoring" : "twin", "python", &x);

        s->workload = k == 0 ? WORKLOAD_ML : WORKLOAD_CPU_BOUND;
        s->instances = range_point(20);
        s->min_instances = range_point(2);
        s->cores_per_instance = range_point(1);
        s->memory_per_instance_bytes = range_point(1 * GIB);
        s->cost_per_instance = range_point(750);
        s->experience = EXPERIENCE_STRONG;
        s->incidents_per_month = range_point(2);
        s->cost_per_incident = range_point(10000);
    }
    w.a.economics.engineer_months_available = 1000;
    assert_int_equal(analysis_run(&w.a, &w.m, &opt, &an), 0);
    ml = find(&an, "scoring");
    twin = find(&an, "twin");
    /* 12 cores / 282.35 req/s = 42.5 ms of CPU in a 50 ms mean: 0.85 */
    assert_true(fabs(ml->metrics.runtime_share - 0.85) < 1e-9);
    assert_true(fabs(ml->score.score - 63.82) < 0.01);
    assert_true(ml->cost.npv > 0 && ml->mc.npv_p50 > 0);
    assert_int_equal(ml->recommendation, REC_CONSIDER);
    assert_int_equal(ml->score.hybrid, 1);
    assert_non_null(strstr(ml->recommendation_reason, "PyO3"));
    assert_int_equal(ml->in_portfolio, 0);
    assert_int_equal(twin->recommendation, REC_MIGRATE);
    assert_int_equal(twin->in_portfolio, 1);
    world_done(&w, &an);
}

/*
 * Seed 000: stay when features ship every two weeks and performance is
 * good enough.  A Go CRUD-like service that waits on its database (share
 * 1 ms / 10 ms = 0.1), held at its availability floor (3 instances, floor
 * 3: nothing shrinks), changing 8 times a month: weekly_changes and
 * io_bound are both vetoes, and the text says why performance is good
 * enough.
 */
static void test_changes_veto_when_good_enough(void **state)
{
    static const struct measured x = { 0.008, 0.03, 0.01, 1.5, 1, 1000, 1 * GIB };
    struct world w;
    struct analysis an;
    struct analysis_options opt = { 1, 500 };
    struct service_spec *s;
    const struct service_analysis *sa;
    const struct flag_result *wk, *io;

    (void)state;
    world_init(&w, 1);
    s = add(&w, "orders", "go", &x);
    s->workload = WORKLOAD_NETWORKING;
    s->instances = range_point(3);
    s->min_instances = range_point(3);
    s->cores_per_instance = range_point(1);
    s->changes_per_month = range_point(8);
    assert_int_equal(analysis_run(&w.a, &w.m, &opt, &an), 0);
    sa = find(&an, "orders");
    assert_int_equal(sa->score.fleet_shrinks, 0);
    wk = flag_of(sa, FLAG_WEEKLY_CHANGES);
    io = flag_of(sa, FLAG_IO_BOUND);
    assert_non_null(wk);
    assert_non_null(io);
    assert_int_equal(wk->kind, FLAG_KIND_VETO);
    assert_int_equal(io->kind, FLAG_KIND_VETO);
    assert_non_null(strstr(wk->text, "good enough (runtime share 10%)"));
    assert_int_equal((int)score_veto_count(&sa->score), 2);
    assert_true(sa->recommendation != REC_MIGRATE);
    world_done(&w, &an);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_gateway_not_vetoed),
        cmocka_unit_test(test_pipeline_migrates_despite_changes),
        cmocka_unit_test(test_ml_vetoed_out_of_plan),
        cmocka_unit_test(test_changes_veto_when_good_enough),
    };

    return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
