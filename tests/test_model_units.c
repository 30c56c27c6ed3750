/* test_model_units.c: durations and instants as typed by users. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "verdict/units.h"

static void test_durations(void **state)
{
    /* expected seconds worked out by hand: 5m = 5*60, 1.5h = 1.5*3600, ... */
    static const struct { const char *in; double want; } ok[] = {
        { "30s", 30 }, { "5m", 300 }, { "1.5h", 5400 }, { "30d", 2592000 },
        { "2w", 1209600 }, { "90", 90 }, { ".5m", 30 },
    };
    static const char *const bad[] = {
        "", "m", "5 m", "5min", "-5m", "0s", "5mm", "nan", "inf", "1e999s", "0x10s", " 5m",
    };
    size_t i;
    double v;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        v = -1;
        assert_int_equal(units_parse_duration(ok[i].in, &v), 0);
        assert_true(fabs(v - ok[i].want) < 1e-9);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(units_parse_duration(bad[i], &v), -1);
    assert_int_equal(units_parse_duration(NULL, &v), -1);
}

static void test_times(void **state)
{
    /* 2026-11-01T00:00:00Z: 20,758 days after 1970-01-01 (56 years with 14
     * leap days = 20,454, plus Jan..Oct 2026 = 304) -> 20758 * 86400. */
    static const struct { const char *in; double want; } ok[] = {
        { "2026-11-01T00:00:00Z", 1793491200 },
        { "2026-11-01T02:00:00+02:00", 1793491200 },
        { "2026-10-31T19:00:00-05:00", 1793491200 },
        { "1970-01-01T00:00:00Z", 0 },
        { "2000-02-29T12:00:00.5Z", 951825600.5 },
        { "1793491200", 1793491200 },
        { "1793491200.25", 1793491200.25 },
    };
    static const char *const bad[] = {
        "", "yesterday", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-01T24:00:00Z", "2026-11-01T00:00:00", "2026-11-01T00:00:00+2:00",
        "2026-11-01", "-5", "2026-11-01T00:00:00Zjunk", "1793491200x",
        /* found by tests/fuzz/fuzz_units.c: strtod read an exponent into the
         * fraction (+500 s; inf for e999) and took hex and exponents as
         * unix seconds */
        "2026-11-01T00:00:00.5e3Z", "2026-11-01T00:00:00.5e999Z", "9e9", "0x10",
        "1793491200e0",
    };
    size_t i;
    double v;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        v = -1;
        assert_int_equal(units_parse_time(ok[i].in, &v), 0);
        assert_true(fabs(v - ok[i].want) < 1e-6);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(units_parse_time(bad[i], &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_times),
    };

    return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
