/* test_app_assumption_table.c: the assumption table against the real loader (config.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/assumption_table.h"
#include "verdict/assumptions.h"
#include "verdict/config.h"
#include "verdict/range.h"

/*
 * Each case writes a one-service file that sets one key of the table,
 * loads it with config_load_buffer, and reads the service back through the
 * row's offset: a row with a wrong offset, kind or key, or a decoder that
 * writes somewhere else, fails here.
 */

#define TEST_FILE "t.yaml"

/* "version: 1\nservices:\n  - name: a\n" then the key: on line 4, or
 * under its group on line 5. */
static int service_yaml(char *buf, size_t len, const struct assumption_field *f,
                        const char *value)
{
    size_t glen = assumption_group_len(f);
    int n;

    if (glen == 0)
        n = snprintf(buf, len, "version: 1\nservices:\n  - name: a\n    %s: %s\n", f->key, value);
    else
        n = snprintf(buf, len, "version: 1\nservices:\n  - name: a\n    %.*s:\n      %s: %s\n",
                     (int)glen, f->key, assumption_leaf(f), value);
    assert_true(n > 0 && (size_t)n < len);
    return glen == 0 ? 4 : 5;
}

/* A value for row f unlike its default, within every bound the table uses. */
static const char *distinct_value(const struct assumption_field *f)
{
    switch (f->kind) {
    case ASSUMPTION_NUMBER: return "0.375";
    case ASSUMPTION_RANGE: return "[0.25, 0.5, 0.75]";
    case ASSUMPTION_SIZE: return "[1MiB, 2MiB, 3MiB]";
    case ASSUMPTION_COUNT: return "7";
    case ASSUMPTION_ENUM: return f->names[f->n_names - 1];
    case ASSUMPTION_BOOL: return "true";
    case ASSUMPTION_TEXT: return "go";     /* a built-in profile, so the file loads */
    }
    return "?";
}

/* 1 when row f holds the same value in a and b. */
static int same_value(const struct assumption_field *f, const void *a, const void *b)
{
    struct range ra, rb;

    switch (f->kind) {
    case ASSUMPTION_NUMBER:   /* NaN, "not set", is the same as NaN */
        return assumption_get_number(f, a) == assumption_get_number(f, b) ||
               (isnan(assumption_get_number(f, a)) && isnan(assumption_get_number(f, b)));
    case ASSUMPTION_RANGE:
    case ASSUMPTION_SIZE:
        ra = assumption_get_range(f, a);
        rb = assumption_get_range(f, b);
        return ra.low == rb.low && ra.likely == rb.likely && ra.high == rb.high;
    case ASSUMPTION_COUNT:
    case ASSUMPTION_ENUM:
    case ASSUMPTION_BOOL:
        return assumption_get_int(f, a) == assumption_get_int(f, b);
    case ASSUMPTION_TEXT:
        return strcmp(assumption_get_text(f, a), assumption_get_text(f, b)) == 0;
    }
    return 0;
}

/* Row f in s holds what distinct_value(f) says. */
static void check_distinct(const struct assumption_field *f, const struct service_spec *s)
{
    struct range r;

    switch (f->kind) {
    case ASSUMPTION_NUMBER:
        assert_true(assumption_get_number(f, s) == 0.375);
        break;
    case ASSUMPTION_RANGE:
        r = assumption_get_range(f, s);
        assert_true(r.low == 0.25 && r.likely == 0.5 && r.high == 0.75);
        break;
    case ASSUMPTION_SIZE:
        r = assumption_get_range(f, s);
        assert_true(r.low == 1048576.0 && r.likely == 2097152.0 && r.high == 3145728.0);
        break;
    case ASSUMPTION_COUNT:
        assert_int_equal(assumption_get_int(f, s), 7);
        break;
    case ASSUMPTION_ENUM:
        assert_int_equal(assumption_get_int(f, s), f->n_names - 1);
        break;
    case ASSUMPTION_BOOL:
        assert_int_equal(assumption_get_int(f, s), 1);
        break;
    case ASSUMPTION_TEXT:
        assert_string_equal(assumption_get_text(f, s), "go");
        break;
    }
}

/* "version: 1" and path ("economics.effort.measure_weeks") as nested maps
 * with value at the end; returns the line of the value. */
static int nested_yaml(char *buf, size_t len, const char *path, const char *value)
{
    size_t used = 0;
    int depth = 0, n;
    const char *p = path, *dot;

    n = snprintf(buf, len, "version: 1\n");
    assert_true(n > 0 && (size_t)n < len);
    used = (size_t)n;
    while ((dot = strchr(p, '.')) != NULL) {
        n = snprintf(buf + used, len - used, "%*s%.*s:\n", 2 * depth, "", (int)(dot - p), p);
        assert_true(n > 0 && (size_t)n < len - used);
        used += (size_t)n;
        depth++;
        p = dot + 1;
    }
    n = snprintf(buf + used, len - used, "%*s%s: %s\n", 2 * depth, "", p, value);
    assert_true(n > 0 && (size_t)n < len - used);
    return depth + 2;
}

/* The value for a row outside the services (dbase holds the defaults): as
 * distinct_value, but a flag the other way round, and a score threshold of
 * 50, which keeps consider_score (40) <= migrate_score (60). */
static const char *global_value(const struct assumption_field *f, const void *dbase)
{
    if (f->kind == ASSUMPTION_BOOL)
        return assumption_get_int(f, dbase) ? "false" : "true";
    if (f->kind == ASSUMPTION_NUMBER && f->bound == ASSUMPTION_PERCENT)
        return "50";
    if (f->kind == ASSUMPTION_TEXT)
        return "EUR";
    return distinct_value(f);
}

/* Every economics, learning-curve and language row: its path decodes into
 * the member at its offset (every experience's, every built-in language's)
 * and nothing else of its scope changes; its origin is the value's line. */
static void test_every_global_key_decodes_at_its_offset(void **state)
{
    struct assumptions def;
    const struct assumption_field *f, *g;
    char yaml[512], path[128];
    size_t nb, b;

    (void)state;
    assumptions_defaults(&def);
    for (f = assumption_table; f->key != NULL; f++) {
        const char *instances[EXPERIENCE_COUNT + ASSUMPTIONS_MAX_LANGUAGES];

        if (f->scope == ASSUMPTION_SERVICE)
            continue;
        nb = 0;
        if (f->scope == ASSUMPTION_ECONOMICS)
            instances[nb++] = "";
        else if (f->scope == ASSUMPTION_LEARNING)
            for (b = 0; b < EXPERIENCE_COUNT; b++)
                instances[nb++] = experience_name((enum experience)b);
        else
            for (b = 0; b < def.n_languages; b++)
                instances[nb++] = def.languages[b].name;
        for (b = 0; b < nb; b++) {
            struct assumptions a;
            struct config_diags d = { NULL, 0, 0 };
            const void *base, *dbase;
            int line, want_line;

            if (f->scope == ASSUMPTION_ECONOMICS)
                snprintf(path, sizeof(path), "economics.%s", f->key);
            else if (f->scope == ASSUMPTION_LEARNING)
                snprintf(path, sizeof(path), "economics.learning_curve.%s.%s", instances[b],
                         f->key);
            else
                snprintf(path, sizeof(path), "languages.%s.%s", instances[b], f->key);
            if (f->scope == ASSUMPTION_ECONOMICS)
                dbase = &def.economics;
            else if (f->scope == ASSUMPTION_LEARNING)
                dbase = &def.economics.learning[b];
            else
                dbase = &def.languages[b];
            want_line = nested_yaml(yaml, sizeof(yaml), path, global_value(f, dbase));
            if (config_load_buffer(TEST_FILE, yaml, strlen(yaml), &a, &d) != 0)
                fail_msg("%s: %s", path, d.n > 0 ? d.lines[0] : "?");
            if (f->scope == ASSUMPTION_ECONOMICS)
                base = &a.economics;
            else if (f->scope == ASSUMPTION_LEARNING)
                base = &a.economics.learning[b];
            else
                base = &a.languages[b];
            if (same_value(f, base, dbase))
                fail_msg("%s: still the default", path);
            for (g = assumption_table; g->key != NULL; g++)
                if (g != f && g->scope == f->scope && !same_value(g, base, dbase))
                    fail_msg("setting %s changed %s", path, g->key);
            assert_int_equal(assumptions_origin(&a, path, &line), ORIGIN_FILE);
            assert_int_equal(line, want_line);
            assumptions_done(&a);
            config_diags_done(&d);
        }
    }
    assumptions_done(&def);
}

/* Every service row: its key decodes into the member at its offset and
 * nowhere else, its origin is the value's line, an optional value is
 * marked given (and not when the key is absent). */
static void test_every_service_key_decodes_at_its_offset(void **state)
{
    struct service_spec def;
    char yaml[512];
    int k, j;

    (void)state;
    service_defaults(&def);
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        const struct assumption_field *f = assumption_service_field((enum service_key)k);
        struct assumptions a;
        struct config_diags d = { NULL, 0, 0 };
        const struct service_spec *s;
        int line = service_yaml(yaml, sizeof(yaml), f, distinct_value(f));

        if (config_load_buffer(TEST_FILE, yaml, strlen(yaml), &a, &d) != 0)
            fail_msg("%s: %s", f->key, d.n > 0 ? d.lines[0] : "?");
        assert_int_equal(a.n_services, 1);
        s = &a.services[0];
        /* unlike the default, or the check below proves nothing */
        if (same_value(f, s, &def))
            fail_msg("%s: still the default", f->key);
        check_distinct(f, s);
        for (j = 0; j < SERVICE_KEY_COUNT; j++) {
            const struct assumption_field *g = assumption_service_field((enum service_key)j);

            if (j != k && !same_value(g, s, &def))
                fail_msg("setting %s changed %s", f->key, g->key);
            assert_int_equal(s->key_line[j], j == k ? line : 0);
        }
        if (f->flags & ASSUMPTION_OPTIONAL)
            assert_true(assumption_is_set(f, s));
        assumptions_done(&a);
        config_diags_done(&d);
    }
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        const struct assumption_field *f = assumption_service_field((enum service_key)k);

        if (f->flags & ASSUMPTION_OPTIONAL)
            assert_false(assumption_is_set(f, &def));
    }
}

/* What the loader says for a value just outside each bound. */
static const struct {
    enum assumption_kind kind;
    enum assumption_bound bound;
    const char *value;
    const char *message;
} bad_values[] = {
    { ASSUMPTION_RANGE, ASSUMPTION_NONNEG, "-1", "must not be negative" },
    { ASSUMPTION_RANGE, ASSUMPTION_POS, "0", "must be greater than 0" },
    { ASSUMPTION_RANGE, ASSUMPTION_UNIT, "1.5", "must be between 0 and 1" },
    { ASSUMPTION_RANGE, ASSUMPTION_PERCENT, "101", "must be between 0 and 100" },
    { ASSUMPTION_NUMBER, ASSUMPTION_NONNEG, "-1", "must not be negative" },
    { ASSUMPTION_NUMBER, ASSUMPTION_POS, "0", "must be greater than 0" },
    { ASSUMPTION_NUMBER, ASSUMPTION_UNIT, "1.5", "must be between 0 and 1" },
    { ASSUMPTION_NUMBER, ASSUMPTION_PERCENT, "101", "must be between 0 and 100" },
    { ASSUMPTION_SIZE, ASSUMPTION_POS, "0", "must be greater than 0" },
    { ASSUMPTION_COUNT, ASSUMPTION_ONE_UP, "0", "must be at least 1" },
    { ASSUMPTION_COUNT, ASSUMPTION_NONNEG, "-1", "must not be negative" },
    { ASSUMPTION_COUNT, ASSUMPTION_HORIZON, "241", "must be between 1 and 240" },
};

/* Every bounded service row refuses a value outside its bound with the
 * loader's message, at the value, under the key's path. */
static void test_service_bounds_refuse_with_the_message(void **state)
{
    char yaml[512], want[256];
    size_t i;
    int k, checked = 0;

    (void)state;
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        const struct assumption_field *f = assumption_service_field((enum service_key)k);
        const char *value = NULL, *message = NULL;
        struct assumptions a;
        struct config_diags d = { NULL, 0, 0 };
        int line;

        if (f->bound == ASSUMPTION_ANY)
            continue;
        for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
            if (bad_values[i].kind == f->kind && bad_values[i].bound == f->bound) {
                value = bad_values[i].value;
                message = bad_values[i].message;
            }
        if (value == NULL)
            fail_msg("%s: no bad value for its kind and bound: add one", f->key);
        line = service_yaml(yaml, sizeof(yaml), f, value);
        assert_int_equal(config_load_buffer(TEST_FILE, yaml, strlen(yaml), &a, &d), -1);
        assert_true(d.n >= 1);
        /* the value's column, 1-based: after the indent, the key and ": " */
        snprintf(want, sizeof(want), "%s:%d:%d: services[a].%s: %s", TEST_FILE, line,
                 assumption_group_len(f) == 0 ? 7 + (int)strlen(f->key)
                                              : 9 + (int)strlen(assumption_leaf(f)),
                 f->key, message);
        assert_string_equal(d.lines[0], want);
        config_diags_done(&d);
        checked++;
    }
    assert_true(checked >= 10);
}

/* An enum row refuses a word not among its names, naming the key's leaf. */
static void test_service_enums_refuse_unknown_words(void **state)
{
    char yaml[512], want[128];
    int k, checked = 0;

    (void)state;
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        const struct assumption_field *f = assumption_service_field((enum service_key)k);
        struct assumptions a;
        struct config_diags d = { NULL, 0, 0 };

        if (f->kind != ASSUMPTION_ENUM)
            continue;
        service_yaml(yaml, sizeof(yaml), f, "zzzzzzzzzzzz");
        assert_int_equal(config_load_buffer(TEST_FILE, yaml, strlen(yaml), &a, &d), -1);
        assert_true(d.n >= 1);
        snprintf(want, sizeof(want), ": unknown %s 'zzzzzzzzzzzz' (expected one of: %s, ",
                 assumption_leaf(f), f->names[0]);
        if (strstr(d.lines[0], want) == NULL)
            fail_msg("%s: got %s", f->key, d.lines[0]);
        config_diags_done(&d);
        checked++;
    }
    assert_int_equal(checked, 3);
}

/* A key the table does not have is refused, with the table's nearest key. */
static void test_unknown_service_key_suggests_a_table_key(void **state)
{
    static const char yaml[] = "version: 1\nservices:\n  - name: a\n    instancez: 3\n";
    struct assumptions a;
    struct config_diags d = { NULL, 0, 0 };

    (void)state;
    assert_int_equal(config_load_buffer(TEST_FILE, yaml, strlen(yaml), &a, &d), -1);
    assert_string_equal(d.lines[0], "t.yaml:4:5: services[a].instancez: unknown key "
                        "(did you mean 'instances'?)");
    config_diags_done(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_service_key_decodes_at_its_offset),
        cmocka_unit_test(test_every_global_key_decodes_at_its_offset),
        cmocka_unit_test(test_service_bounds_refuse_with_the_message),
        cmocka_unit_test(test_service_enums_refuse_unknown_words),
        cmocka_unit_test(test_unknown_service_key_suggests_a_table_key),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
