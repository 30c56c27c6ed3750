/* test_model_assumption_table.c: unit tests for models/assumption_table.c and its contract. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/assumption_table.h"
#include "verdict/assumptions.h"
#include "verdict/range.h"

static size_t n_rows(void)
{
    size_t n = 0;

    while (assumption_table[n].key != NULL)
        n++;
    return n;
}

/* Service rows come first, row k for key k, and service_key_name/parse
 * read them; no service row after them. */
static void test_service_rows_are_the_service_keys(void **state)
{
    size_t i, n = n_rows();
    int k;

    (void)state;
    assert_true(n > SERVICE_KEY_COUNT);
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        enum service_key back;

        assert_int_equal(assumption_table[k].scope, ASSUMPTION_SERVICE);
        assert_ptr_equal(assumption_service_field((enum service_key)k), &assumption_table[k]);
        assert_string_equal(service_key_name((enum service_key)k), assumption_table[k].key);
        assert_int_equal(service_key_parse(assumption_table[k].key, &back), 0);
        assert_int_equal(back, k);
    }
    for (i = SERVICE_KEY_COUNT; i < n; i++)
        assert_int_not_equal(assumption_table[i].scope, ASSUMPTION_SERVICE);
    assert_null(assumption_service_field(SERVICE_KEY_COUNT));
    /* the enum's own spot checks: a rename in the table is a rename here */
    assert_string_equal(service_key_name(SK_ENGINEERS), "team.engineers");
    assert_string_equal(service_key_name(SK_EFFORT_ENGINEER_MONTHS), "effort_engineer_months");
}

/* Keys are unique in their scope, found by assumption_find, and every row
 * says what it is. */
static void test_rows_unique_and_described(void **state)
{
    size_t i, j, n = n_rows();

    (void)state;
    for (i = 0; i < n; i++) {
        const struct assumption_field *f = &assumption_table[i];

        for (j = i + 1; j < n; j++)
            if (assumption_table[j].scope == f->scope)
                assert_string_not_equal(assumption_table[j].key, f->key);
        assert_ptr_equal(assumption_find(f->scope, f->key), f);
        assert_true(f->unit != NULL && f->unit[0] != '\0');
        assert_true(f->title != NULL && f->title[0] != '\0');
        assert_true(f->hint != NULL && f->hint[0] != '\0');
        if (f->scope == ASSUMPTION_SERVICE)
            assert_true(f->width >= (int)strlen(f->title));
        if (f->kind == ASSUMPTION_ENUM) {
            assert_non_null(f->names);
            assert_true(f->n_names > 1);
            for (j = 0; j < (size_t)f->n_names; j++)
                assert_non_null(f->names[j]);
        }
        if (f->kind == ASSUMPTION_TEXT)
            assert_true(f->size > 1);
        if (f->flags & ASSUMPTION_OPTIONAL)
            assert_int_not_equal(f->given_offset, f->offset);
    }
    assert_null(assumption_find(ASSUMPTION_SERVICE, "name"));
    assert_null(assumption_find(ASSUMPTION_ECONOMICS, "instances"));
}

/* The walkers rely on these: a group's rows are adjacent (the loader makes
 * one nested map of them), and the learning-curve rows are one run. */
static void test_groups_and_learning_rows_are_runs(void **state)
{
    size_t i, j, n = n_rows(), runs = 0;

    (void)state;
    for (i = 0; i < n; i++) {
        const struct assumption_field *f = &assumption_table[i];
        size_t glen = assumption_group_len(f);
        int ended = 0;

        if (i > 0 && assumption_table[i - 1].scope != ASSUMPTION_LEARNING &&
            f->scope == ASSUMPTION_LEARNING)
            runs++;
        if (glen == 0)
            continue;
        assert_int_equal(f->key[glen], '.');
        assert_string_equal(assumption_leaf(f), f->key + glen + 1);
        for (j = i + 1; j < n; j++) {
            const struct assumption_field *g = &assumption_table[j];
            int same = g->scope == f->scope && assumption_group_len(g) == glen &&
                       strncmp(g->key, f->key, glen) == 0;

            if (!same)
                ended = 1;
            else if (ended)
                fail_msg("%s is apart from the rest of its group (%s)", g->key, f->key);
        }
    }
    assert_int_equal(runs, 1);
    assert_string_equal(assumption_leaf(assumption_service_field(SK_EXPERIENCE)), "experience");
    assert_int_equal(assumption_group_len(assumption_service_field(SK_INSTANCES)), 0);
}

/* The enum rows spell their values as the *_name functions do. */
static void test_enum_rows_match_the_names(void **state)
{
    const struct assumption_field *w = assumption_service_field(SK_WORKLOAD);
    const struct assumption_field *c = assumption_service_field(SK_CRITICALITY);
    const struct assumption_field *x = assumption_service_field(SK_EXPERIENCE);
    int i;

    (void)state;
    assert_int_equal(w->n_names, WORKLOAD_COUNT);
    for (i = 0; i < WORKLOAD_COUNT; i++)
        assert_string_equal(assumption_enum_name(w, i), workload_name((enum workload)i));
    assert_int_equal(c->n_names, CRITICALITY_COUNT);
    for (i = 0; i < CRITICALITY_COUNT; i++)
        assert_string_equal(assumption_enum_name(c, i), criticality_name((enum criticality)i));
    assert_int_equal(x->n_names, EXPERIENCE_COUNT);
    for (i = 0; i < EXPERIENCE_COUNT; i++)
        assert_string_equal(assumption_enum_name(x, i), experience_name((enum experience)i));
    assert_string_equal(assumption_enum_name(w, WORKLOAD_COUNT), "?");
    assert_string_equal(assumption_enum_name(w, -1), "?");
}

static int within(enum assumption_bound b, double v)
{
    switch (b) {
    case ASSUMPTION_ANY: return 1;
    case ASSUMPTION_NONNEG: return v >= 0;
    case ASSUMPTION_POS: return v > 0;
    case ASSUMPTION_ONE_UP: return v >= 1;
    case ASSUMPTION_UNIT: return v >= 0 && v <= 1;
    case ASSUMPTION_PERCENT: return v >= 0 && v <= 100;
    case ASSUMPTION_HORIZON: return v >= 1 && v <= 240;
    }
    return 0;
}

/* Every built-in default, read through its row's offset and kind, is
 * within the row's bounds (a NaN number is "not set"; an optional value not
 * given is not checked); a wrong offset reads something else and, for most
 * rows, fails here. */
static void test_defaults_within_bounds(void **state)
{
    struct assumptions a;
    struct service_spec s;
    const struct assumption_field *f;
    size_t i;

    (void)state;
    assumptions_defaults(&a);
    service_defaults(&s);
    for (f = assumption_table; f->key != NULL; f++) {
        const void *bases[ASSUMPTIONS_MAX_LANGUAGES + EXPERIENCE_COUNT + 1];
        size_t nb = 0;

        switch (f->scope) {
        case ASSUMPTION_SERVICE: bases[nb++] = &s; break;
        case ASSUMPTION_ECONOMICS: bases[nb++] = &a.economics; break;
        case ASSUMPTION_LANGUAGE:
            for (i = 0; i < a.n_languages; i++)
                bases[nb++] = &a.languages[i];
            break;
        case ASSUMPTION_LEARNING:
            for (i = 0; i < EXPERIENCE_COUNT; i++)
                bases[nb++] = &a.economics.learning[i];
            break;
        }
        for (i = 0; i < nb; i++) {
            struct range r;
            int v;

            if (!assumption_is_set(f, bases[i]))
                continue;
            switch (f->kind) {
            case ASSUMPTION_NUMBER:
                if (!within(f->bound, assumption_get_number(f, bases[i])))
                    fail_msg("%s: default out of bounds", f->key);
                break;
            case ASSUMPTION_RANGE:
            case ASSUMPTION_SIZE:
                r = assumption_get_range(f, bases[i]);
                if (!within(f->bound, r.low) || !within(f->bound, r.high) ||
                    r.low > r.likely || r.likely > r.high)
                    fail_msg("%s: default out of bounds", f->key);
                break;
            case ASSUMPTION_COUNT:
                if (!within(f->bound, assumption_get_int(f, bases[i])))
                    fail_msg("%s: default out of bounds", f->key);
                break;
            case ASSUMPTION_ENUM:
                v = assumption_get_int(f, bases[i]);
                assert_true(v >= 0 && v < f->n_names);
                break;
            case ASSUMPTION_BOOL:
                v = assumption_get_int(f, bases[i]);
                assert_true(v == 0 || v == 1);
                break;
            case ASSUMPTION_TEXT:
                assert_true(strlen(assumption_get_text(f, bases[i])) < f->size);
                break;
            }
        }
    }
    /* spot checks through the table, against the structs' own members */
    assert_int_equal(assumption_get_int(assumption_find(ASSUMPTION_ECONOMICS, "horizon_months"),
                                        &a.economics), a.economics.horizon_months);
    assert_true(isnan(assumption_get_number(
        assumption_find(ASSUMPTION_ECONOMICS, "engineer_months_available"), &a.economics)));
    assert_false(assumption_is_set(
        assumption_find(ASSUMPTION_ECONOMICS, "engineer_months_available"), &a.economics));
    assert_true(assumption_get_number(
        assumption_find(ASSUMPTION_ECONOMICS, "thresholds.min_points"), &a.economics) ==
        a.economics.thresholds.min_points);
    assert_string_equal(assumption_get_text(assumption_find(ASSUMPTION_ECONOMICS, "currency"),
                                            &a.economics), "$");
    assumptions_done(&a);
}

/* set_int and set_given write where get_int and is_set read. */
static void test_setters(void **state)
{
    const struct assumption_field *x = assumption_service_field(SK_EXPERIENCE);
    const struct assumption_field *e = assumption_service_field(SK_EFFORT_ENGINEER_MONTHS);
    struct service_spec s;

    (void)state;
    service_defaults(&s);
    assumption_set_int(x, &s, EXPERIENCE_STRONG);
    assert_int_equal(s.experience, EXPERIENCE_STRONG);
    assert_false(assumption_is_set(e, &s));
    assumption_set_given(e, &s);
    assert_int_equal(s.has_effort, 1);
    assert_true(assumption_is_set(e, &s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_rows_are_the_service_keys),
        cmocka_unit_test(test_rows_unique_and_described),
        cmocka_unit_test(test_groups_and_learning_rows_are_runs),
        cmocka_unit_test(test_enum_rows_match_the_names),
        cmocka_unit_test(test_defaults_within_bounds),
        cmocka_unit_test(test_setters),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
