/* test_app_origins.c: where each service input came from (the JSON report's origins), measured instances, derived cost. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/assumptions.h"
#include "verdict/config.h"
#include "verdict/inventory.h"
#include "verdict/measure.h"
#include "verdict/stats.h"

#define TOL 1e-6

/* line 5 gives api's instances; worker gives only its cores (line 7) */
static const char yaml[] =
    "version: 1\n"                      /* 1 */
    "services:\n"                       /* 2 */
    "  - name: api\n"                   /* 3 */
    "    language: go\n"                /* 4 */
    "    instances: 5\n"                /* 5 */
    "  - name: worker\n"                /* 6 */
    "    cores_per_instance: 2\n";      /* 7 */

/* 20 samples of the targets up: 19 at 3, one at 4 (a rollout's surge).
 * p95 by hand (Hyndman-Fan type 7, as stats.h): h = (20 - 1) x 0.95 =
 * 18.05, between the sorted 19th (3) and 20th (4): 3 + 0.05 x 1 = 3.05,
 * a whole 3 instances. */
static void put_up_series(struct signal_data *sd)
{
    double t[20], v[20];
    size_t i;

    for (i = 0; i < 20; i++) {
        t[i] = 1.7e9 + 60.0 * (double)i;
        v[i] = i == 7 ? 4 : 3;
    }
    assert_int_equal(stats_compute(t, v, 20, 60, &sd->stats), 0);
    sd->present = 1;
}

static void load(struct assumptions *a, struct measurements *m)
{
    struct config_diags d = { NULL, 0, 0 };
    size_t i;

    assert_int_equal(config_load_buffer("team.yaml", yaml, strlen(yaml), a, &d), 0);
    config_diags_done(&d);
    memset(m, 0, sizeof(*m));
    m->n_services = 2;
    m->services = calloc(2, sizeof(*m->services));
    assert_non_null(m->services);
    for (i = 0; i < 2; i++) {
        m->services[i].name = strdup(a->services[i].name);
        put_up_series(&m->services[i].signals[SIGNAL_INSTANCES]);
    }
}

static const char *origin(const struct assumptions *a, size_t svc, enum service_key k)
{
    static char buf[1024];

    return inventory_origin(buf, sizeof(buf), a, &a->services[svc], k, "team.yaml");
}

static void test_measured_p95(void **state)
{
    struct signal_data sd;

    (void)state;
    memset(&sd, 0, sizeof(sd));
    put_up_series(&sd);
    assert_true(fabs(sd.stats.p95 - 3.05) < TOL);
    assert_true(inventory_measured_instances(&sd) == 3);
    sd.stats.p95 = 0.4; /* not a count of targets: nothing measured */
    assert_true(isnan(inventory_measured_instances(&sd)));
    sd.stats.p95 = 3.05;
    sd.present = 0;     /* no series: nothing measured */
    assert_true(isnan(inventory_measured_instances(&sd)));
}

static void test_origins(void **state)
{
    struct assumptions a;
    struct measurements m;

    (void)state;
    load(&a, &m);
    /* --set, as cli_load_with_sets records it */
    assert_int_equal(assumptions_note_origin(&a, "services[worker].team.engineers",
                                             ORIGIN_OVERRIDE, 0), 0);
    inventory_resolve(&a, &m);

    /* a key in the file: FILE:LINE; the file's value stands over the measure */
    assert_string_equal(origin(&a, 0, SK_INSTANCES), "team.yaml:5");
    assert_true(a.services[0].instances.likely == 5);
    assert_string_equal(origin(&a, 1, SK_CORES_PER_INSTANCE), "team.yaml:7");
    /* not in the file: measured from the targets up, p95 3.05 -> 3 */
    assert_string_equal(origin(&a, 1, SK_INSTANCES),
                        "measured: count(up{service=\"worker\"} == 1)");
    assert_true(a.services[1].instances.likely == 3);
    /* measurements selected by job (the fetch's probe chose it, the
     * snapshot says so): the origin names the query as it was sent */
    m.service_label = strdup("job");
    inventory_resolve(&a, &m);
    assert_string_equal(origin(&a, 1, SK_INSTANCES),
                        "measured: count(up{job=\"worker\"} == 1)");
    /* defaults name their seed (000: workload), or say there is none */
    assert_string_equal(origin(&a, 1, SK_WORKLOAD), "default (seed 000)");
    assert_string_equal(origin(&a, 1, SK_INCIDENT_REDUCTION), "default (seed 002)");
    assert_string_equal(origin(&a, 1, SK_ENDPOINTS), "default (no seed)");
    assert_string_equal(origin(&a, 1, SK_ENGINEERS), "--set");
    assert_string_equal(origin(&a, 1, SK_COST_PER_INSTANCE),
                        "derived: cores_per_instance x economics.price_per_core_month + "
                        "memory_per_instance (GiB) x economics.price_per_gib_month");
    /* a second resolve (the TUI recomputes often) without the series keeps
     * the last measure rather than falling back to the default */
    m.services[1].signals[SIGNAL_INSTANCES].present = 0;
    inventory_resolve(&a, &m);
    assert_true(a.services[1].instances.likely == 3);
    measurements_done(&m);
    assumptions_done(&a);
}

/* The derivation worked by hand from OpenCost's hourly prices (0.031611
 * a core-hour, 0.004237 a GiB-hour) over a 730-hour month:
 *   0.031611 x 730 = 23.07603 a core, 0.004237 x 730 = 3.09301 a GiB;
 *   2 cores, 4 GiB: 2 x 23.07603 + 4 x 3.09301 = 46.15206 + 12.37204 = 58.5241. */
static void test_derived_cost(void **state)
{
    struct assumptions a;
    struct measurements m;
    struct service_spec s;
    struct range r;
    double core = 0.031611 * 730, gib = 0.004237 * 730;

    (void)state;
    assumptions_defaults(&a);
    assert_true(fabs(a.economics.price_per_core_month.likely - 23.07603) < TOL);
    assert_true(fabs(a.economics.price_per_gib_month.likely - 3.09301) < TOL);
    service_defaults(&s);
    s.cores_per_instance = range_point(2);
    s.memory_per_instance_bytes = range_point(4.0 * 1024 * 1024 * 1024);
    r = inventory_derived_cost(&s, &a.economics);
    assert_true(fabs(r.likely - 58.5241) < TOL);
    assert_true(fabs(r.likely - (2 * core + 4 * gib)) < TOL);
    /* the default service is this instance: its default cost is the same */
    assert_true(fabs(s.cost_per_instance.likely - 58.5241) < TOL);
    /* a range of cores: 1 x 23.07603 + 4 x 3.09301 = 35.44807 at the low
     * end, 4 x 23.07603 + 12.37204 = 104.67616 at the high */
    s.cores_per_instance = range_make(1, 2, 4);
    r = inventory_derived_cost(&s, &a.economics);
    assert_true(fabs(r.low - 35.44807) < TOL);
    assert_true(fabs(r.high - 104.67616) < TOL);
    assumptions_done(&a);

    /* worker gives 2 cores and no cost: derived at the file's prices */
    load(&a, &m);
    a.economics.price_per_core_month = range_point(10);
    a.economics.price_per_gib_month = range_point(1);
    inventory_resolve(&a, &m);
    assert_true(fabs(a.services[1].cost_per_instance.likely - (2 * 10 + 4 * 1)) < TOL);
    measurements_done(&m);
    assumptions_done(&a);
}

/* cost_per_instance in the file is the override: never derived */
static void test_given_cost_stands(void **state)
{
    static const char given[] =
        "version: 1\n"
        "services:\n"
        "  - name: api\n"
        "    cost_per_instance: 750\n";
    struct config_diags d = { NULL, 0, 0 };
    struct assumptions a;
    char buf[256];

    (void)state;
    assert_int_equal(config_load_buffer("f.yaml", given, strlen(given), &a, &d), 0);
    config_diags_done(&d);
    inventory_resolve(&a, NULL);
    assert_true(a.services[0].cost_per_instance.likely == 750);
    assert_string_equal(inventory_origin(buf, sizeof(buf), &a, &a.services[0],
                                         SK_COST_PER_INSTANCE, NULL), "line 4");
    /* nothing measured: instances stays the default */
    assert_string_equal(inventory_origin(buf, sizeof(buf), &a, &a.services[0], SK_INSTANCES,
                                         NULL), "default (no seed)");
    assumptions_done(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measured_p95),
        cmocka_unit_test(test_origins),
        cmocka_unit_test(test_derived_cost),
        cmocka_unit_test(test_given_cost_stands),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
