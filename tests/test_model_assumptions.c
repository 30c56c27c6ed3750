/* test_model_assumptions.c: where each assumption came from, and which seed backs a default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "verdict/assumptions.h"

static void add_service(struct assumptions *a, const char *name)
{
    struct service_spec *s;

    a->services = realloc(a->services, (a->n_services + 1) * sizeof(*a->services));
    assert_non_null(a->services);
    s = &a->services[a->n_services++];
    service_defaults(s);
    s->name = strdup(name);
}

static void test_origin_records_and_parents(void **state)
{
    struct assumptions a;
    int line = -1;

    (void)state;
    assumptions_defaults(&a);
    /* nothing recorded: the default, line 0 */
    assert_int_equal(assumptions_origin(&a, "economics.discount_rate", &line), ORIGIN_DEFAULT);
    assert_int_equal(line, 0);
    assert_int_equal(assumptions_note_origin(&a, "economics.discount_rate", ORIGIN_FILE, 12), 0);
    assert_int_equal(assumptions_origin(&a, "economics.discount_rate", &line), ORIGIN_FILE);
    assert_int_equal(line, 12);
    /* a sibling is not covered by it */
    assert_int_equal(assumptions_origin(&a, "economics.horizon_months", &line), ORIGIN_DEFAULT);
    /* a value inside a recorded map takes the map's record */
    assert_int_equal(assumptions_note_origin(&a, "languages.rust", ORIGIN_FILE, 40), 0);
    assert_int_equal(assumptions_origin(&a, "languages.rust.cpu_reduction", &line), ORIGIN_FILE);
    assert_int_equal(line, 40);
    /* a prefix that is not a whole component does not count */
    assert_int_equal(assumptions_origin(&a, "languages.rusty.cpu_reduction", &line),
                     ORIGIN_DEFAULT);
    /* recording again replaces: --set after the file */
    assert_int_equal(assumptions_note_origin(&a, "economics.discount_rate", ORIGIN_OVERRIDE, 0),
                     0);
    assert_int_equal(assumptions_origin(&a, "economics.discount_rate", &line), ORIGIN_OVERRIDE);
    assert_int_equal(a.n_origins, 2);
    assumptions_done(&a);
    assert_null(a.origins);
}

static void test_service_keys(void **state)
{
    struct assumptions a;
    enum service_key k;
    int line = -1;

    (void)state;
    assumptions_defaults(&a);
    add_service(&a, "api");
    add_service(&a, "a.b[c]");
    assert_int_equal(assumptions_note_origin(&a, "services[api].team.engineers", ORIGIN_FILE, 7),
                     0);
    assert_int_equal(a.services[0].key_line[SK_ENGINEERS], 7);
    assert_int_equal(service_origin(&a.services[0], SK_ENGINEERS, &line), ORIGIN_FILE);
    assert_int_equal(line, 7);
    assert_int_equal(assumptions_origin(&a, "services[api].team.engineers", &line), ORIGIN_FILE);
    assert_int_equal(assumptions_origin(&a, "services[api].instances", &line), ORIGIN_DEFAULT);
    /* a name with dots and brackets still finds its service */
    assert_int_equal(assumptions_note_origin(&a, "services[a.b[c]].instances", ORIGIN_OVERRIDE,
                                             0), 0);
    assert_int_equal(service_origin(&a.services[1], SK_INSTANCES, &line), ORIGIN_OVERRIDE);
    assert_int_equal(a.services[1].key_line[SK_INSTANCES], SERVICE_KEY_OVERRIDE);
    /* no such service, no such key: refused, nothing recorded */
    assert_int_equal(assumptions_note_origin(&a, "services[nope].instances", ORIGIN_FILE, 3), -1);
    assert_int_equal(assumptions_note_origin(&a, "services[api].colour", ORIGIN_FILE, 3), -1);
    assert_int_equal(a.n_origins, 0);
    /* the key names round-trip */
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        enum service_key back;

        assert_int_equal(service_key_parse(service_key_name(k), &back), 0);
        assert_int_equal(back, k);
    }
    assert_int_equal(service_key_parse("name", &k), -1);
    assumptions_done(&a);
}

/* assert_string_equal on a NULL crashes: check it first */
static void source_is(const char *key, const char *want)
{
    const char *got = assumptions_default_source(key);

    assert_non_null(got);
    assert_string_equal(got, want);
}

static void test_default_sources(void **state)
{
    (void)state;
    /* the figures each seed gives (see the comments in assumptions_defaults) */
    source_is("economics.learning_curve.none.months", "seed 001");
    source_is("economics.learning_curve.some", "seeds 000 and 003");
    source_is("economics.effort.weeks_per_endpoint", "seed 000");
    source_is("languages.go.memory_reduction", "seed 002");
    source_is("languages.java.memory_reduction", "seeds 000 and 003");
    source_is("services[x.y].workload", "seed 000");
    source_is("economics.price_per_core_month", "OpenCost");
    source_is("services[a]b].incident_reduction", "seed 002");
    /* the exceptions listed before their map, and verdict's own choices */
    assert_null(assumptions_default_source("economics.effort.cleanup_weeks"));
    assert_null(assumptions_default_source("languages.java.cpu_reduction"));
    assert_null(assumptions_default_source("economics.discount_rate"));
    assert_null(assumptions_default_source("scoring.weights.memory"));
    assert_null(assumptions_default_source("services[x].instances"));
    assert_null(assumptions_default_source("languages.golang.cpu_reduction"));
    assert_null(assumptions_default_source("services[unclosed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_records_and_parents),
        cmocka_unit_test(test_service_keys),
        cmocka_unit_test(test_default_sources),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
