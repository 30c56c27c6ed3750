/* test_model_promql.c: unit tests for models/promql.c (label value escaping, templates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/promql.h"

#define BUF 512

struct escape_case {
    const char *name;
    const char *in;
    const char *out;
};

/* Expected outputs written from the rules in promql.c's comment (what
 * Prometheus's lexer accepts between double quotes). */
static const struct escape_case escape_cases[] = {
    { "plain", "checkout-api_v2.prod", "checkout-api_v2.prod" },
    { "empty", "", "" },
    { "quote", "pay\"ments", "pay\\\"ments" },
    { "backslash", "back\\slash", "back\\\\slash" },
    { "backslash_quote", "\\\"", "\\\\\\\"" },
    { "newline_cr_tab", "a\nb\rc\td", "a\\nb\\rc\\td" },
    { "other_c0_and_del", "\x01-\x1b[31m-\x7f", "\\x01-\\x1b[31m-\\x7f" },
    /* the injection attempt stays one label value: only the quote changes */
    { "injection", "a\"} or vector(1) #", "a\\\"} or vector(1) #" },
    { "injection_backslash", "a\\\"} or vector(1) #", "a\\\\\\\"} or vector(1) #" },
    { "utf8", "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac" },
    { "utf8_4byte", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
    { "u2028_passes", "\xe2\x80\xa8", "\xe2\x80\xa8" },
    /* C1 control NEL (U+0085) */
    { "c1_control", "x\xc2\x85y", "x\\u0085y" },
    /* a literal U+FFFD is utf8.RuneError to Go's decoder: the lexer would
     * say "invalid UTF-8 rune" */
    { "replacement_char", "\xef\xbf\xbd", "\\ufffd" },
    { "invalid_bytes", "\xff\xc3", "\\xff\\xc3" },
    { "overlong_slash", "\xc0\xaf", "\\xc0\\xaf" },
    { "surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80" },
    { "beyond_10ffff", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },
    { "cut_sequence", "ab\xe6\x97", "ab\\xe6\\x97" },
    { "placeholder_in_value", "${service}", "${service}" },
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Encode code point cp as UTF-8 at out; returns the length. */
static size_t put_utf8(unsigned char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xc0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xe0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (unsigned char)(0xf0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Length of a valid UTF-8 sequence that is not U+FFFD, else 0: what Go's
 * utf8.DecodeRuneInString gives without returning RuneError. */
static size_t go_rune_len(const unsigned char *s)
{
    size_t n, i;
    unsigned long c, min;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, c = s[0] & 0x1fu, min = 0x80;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, c = s[0] & 0x0fu, min = 0x800;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, c = s[0] & 0x07u, min = 0x10000;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffd)
        return 0;
    return n;
}

/*
 * An independent reader of a double-quoted PromQL literal, written from
 * Prometheus's lexString/lexEscape and Go's strconv.Unquote: lit starts
 * with '"'; returns the decoded length in out, or -1 when the lexer would
 * refuse it or the literal ends anywhere but at the last byte of lit (an
 * injection would end it early).
 */
static long promql_unquote(const char *lit, unsigned char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)lit;
    size_t o = 0, n, i;

    if (*p++ != '"')
        return -1;
    for (;;) {
        unsigned long v = 0;

        if (o + 4 >= cap)
            return -1;
        if (*p == '\0' || *p == '\n')
            return -1; /* unterminated quoted string */
        if (*p == '"')
            return p[1] == '\0' ? (long)o : -1;
        if (*p != '\\') {
            n = go_rune_len(p);
            if (n == 0)
                return -1; /* invalid UTF-8 rune */
            memcpy(out + o, p, n);
            o += n;
            p += n;
            continue;
        }
        p++;
        switch (*p) {
        case 'a': out[o++] = 7; p++; continue;
        case 'b': out[o++] = 8; p++; continue;
        case 'f': out[o++] = 12; p++; continue;
        case 'n': out[o++] = 10; p++; continue;
        case 'r': out[o++] = 13; p++; continue;
        case 't': out[o++] = 9; p++; continue;
        case 'v': out[o++] = 11; p++; continue;
        case '\\': out[o++] = '\\'; p++; continue;
        case '"': out[o++] = '"'; p++; continue;
        case 'x': n = 2; break;
        case 'u': n = 4; break;
        case 'U': n = 8; break;
        default: return -1;
        }
        {
            int is_byte = *p == 'x';

            p++;
            for (i = 0; i < n; i++) {
                int h = hexval(p[i]);

                if (h < 0)
                    return -1;
                v = v * 16 + (unsigned long)h;
            }
            p += n;
            if (is_byte) {
                out[o++] = (unsigned char)v;
            } else {
                if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
                    return -1;
                o += put_utf8(out + o, v);
            }
        }
    }
}

/* Escape, wrap in quotes, read back with the lexer's rules: same bytes. */
static void check_round_trip(const char *in, const char *name)
{
    char esc[BUF], lit[BUF + 2];
    unsigned char back[BUF];
    size_t n = promql_escape(esc, sizeof(esc), in);
    long m;

    if (n >= sizeof(esc))
        fail_msg("%s: escaped text too long for the test buffer", name);
    snprintf(lit, sizeof(lit), "\"%s\"", esc);
    m = promql_unquote(lit, back, sizeof(back));
    if (m < 0)
        fail_msg("%s: Prometheus would not read %s as one string literal", name, lit);
    if ((size_t)m != strlen(in) || memcmp(back, in, (size_t)m) != 0)
        fail_msg("%s: %s reads back as something else", name, lit);
}

static void test_escape_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++) {
        const struct escape_case *c = &escape_cases[i];
        char out[BUF];
        size_t n;

        memset(out, 'x', sizeof(out));
        n = promql_escape(out, sizeof(out), c->in);
        if (strcmp(out, c->out) != 0)
            fail_msg("%s: got '%s', want '%s'", c->name, out, c->out);
        if (n != strlen(c->out))
            fail_msg("%s: returned %zu, want %zu", c->name, n, strlen(c->out));
        check_round_trip(c->in, c->name);
    }
}

/* Every byte value 1..255 alone, and deterministic random byte strings:
 * always one literal that reads back to the same bytes. */
static void test_escape_round_trip_all_bytes(void **state)
{
    uint32_t seed = 2024;
    char s[40];
    size_t i, k, len;

    (void)state;
    for (i = 1; i < 256; i++) {
        char name[32];

        s[0] = (char)i;
        s[1] = '\0';
        snprintf(name, sizeof(name), "byte 0x%02zx", i);
        check_round_trip(s, name);
    }
    for (i = 0; i < 20000; i++) {
        seed = seed * 1664525u + 1013904223u;
        len = 1 + (seed >> 24) % (sizeof(s) - 1);
        for (k = 0; k < len; k++) {
            seed = seed * 1664525u + 1013904223u;
            s[k] = (char)(1 + (seed >> 16) % 255);
        }
        s[len] = '\0';
        check_round_trip(s, "random bytes");
    }
}

/* snprintf-like: the return value is the whole length; a short buffer
 * gets a terminated prefix that never ends in half an escape. */
static void test_escape_truncation(void **state)
{
    char out[8];

    (void)state;
    assert_int_equal(promql_escape(NULL, 0, "a\"b"), 4);
    memset(out, 'x', sizeof(out));
    assert_int_equal(promql_escape(out, 0, "abc"), 3);
    assert_int_equal(out[0], 'x');
    assert_int_equal(promql_escape(out, 1, "abc"), 3);
    assert_string_equal(out, "");
    assert_int_equal(promql_escape(out, 3, "a\"b"), 4);
    assert_string_equal(out, "a"); /* not "a\\" */
    assert_int_equal(promql_escape(out, 5, "a\"b"), 4);
    assert_string_equal(out, "a\\\"b");
    assert_int_equal(promql_escape(out, 4, "\xc3\xa9\xc3\xa9"), 4);
    assert_string_equal(out, "\xc3\xa9"); /* whole characters only */
    assert_int_equal(promql_escape(out, sizeof(out), "\x01\x02"), 8);
    assert_string_equal(out, "\\x01");
}

struct subst_case {
    const char *name;
    const char *tmpl;
    const char *service;
    const char *want;
};

static const struct subst_case subst_cases[] = {
    { "one", "up{service=\"${service}\"}", "checkout", "up{service=\"checkout\"}" },
    { "every_occurrence",
      "sum(rate(a{s=\"${service}\"}[5m])) / sum(rate(b{s=\"${service}\"}[5m])) ${service}",
      "x", "sum(rate(a{s=\"x\"}[5m])) / sum(rate(b{s=\"x\"}[5m])) x" },
    { "adjacent", "${service}${service}", "ab", "abab" },
    { "escaped", "up{service=\"${service}\"}", "a\"} or vector(1) #",
      "up{service=\"a\\\"} or vector(1) #\"}" },
    { "longer_than_placeholder", "x=\"${service}\"", "a-very-long-service-name-indeed",
      "x=\"a-very-long-service-name-indeed\"" },
    { "empty_service", "up{service=\"${service}\"}", "", "up{service=\"\"}" },
    { "no_placeholder", "sum(up)", "checkout", "sum(up)" },
    { "near_misses", "$service ${Service} ${service ${ service} $${service}}", "s",
      "$service ${Service} ${service ${ service} $s}" },
    /* the value is not searched again: no recursion, no expansion */
    { "placeholder_in_value", "a ${service} b", "${service}", "a ${service} b" },
    { "empty_template", "", "x", "" },
};

static void test_substitute(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(subst_cases) / sizeof(subst_cases[0]); i++) {
        const struct subst_case *c = &subst_cases[i];
        char *got = promql_substitute(c->tmpl, c->service);

        if (got == NULL)
            fail_msg("%s: NULL", c->name);
        if (got == c->tmpl)
            fail_msg("%s: the template itself, not a copy", c->name);
        if (strcmp(got, c->want) != 0)
            fail_msg("%s: got '%s', want '%s'", c->name, got, c->want);
        free(got);
    }
}

/* The substituted query keeps the literal closed where the template
 * closes it: read the literal out of the result with the lexer's rules. */
static void test_substitute_literal_intact(void **state)
{
    static const char *const hostile[] = {
        "a\"} or vector(1) #", "a\\", "\\\"}", "x\"}[5m]) or on() vector(1) or up{a=\"",
        "line\nbreak", "\xef\xbf\xbd", "\xff",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        char *q = promql_substitute("up{service=\"${service}\"}", hostile[i]);
        unsigned char back[BUF];
        size_t n;
        long m;

        assert_non_null(q);
        n = strlen(q);
        if (n < 14 || strncmp(q, "up{service=", 11) != 0 || q[n - 1] != '}')
            fail_msg("hostile %zu: shape lost: %s", i, q);
        q[n - 1] = '\0'; /* the literal is now the tail */
        m = promql_unquote(q + 11, back, sizeof(back));
        if (m < 0 || (size_t)m != strlen(hostile[i]) || memcmp(back, hostile[i], (size_t)m))
            fail_msg("hostile %zu: the label value did not stay one literal: %s}", i, q);
        free(q);
    }
}

/* ${service_label}: the label name as is, ${service} escaped, each filled
 * once left to right (expected strings written by hand). */
static void test_substitute_label(void **state)
{
    static const struct {
        const char *tmpl, *service, *label, *want;
    } cases[] = {
        { "up{${service_label}=\"${service}\"}", "api", "job", "up{job=\"api\"}" },
        { "count by (${service_label}) (go_info)", "x", "service",
          "count by (service) (go_info)" },
        { "a{${service_label}=\"${service}\"} b{${service_label}=\"${service}\"}", "q\"",
          "app_kubernetes_io_name",
          "a{app_kubernetes_io_name=\"q\\\"\"} b{app_kubernetes_io_name=\"q\\\"\"}" },
        /* a value that spells the label placeholder is not read again */
        { "${service}:${service_label}", "${service_label}", "job", "${service_label}:job" },
        { "${service_label}${service_label}", "s", "_a1", "_a1_a1" },
        { "${service_labe}${service_label_}", "s", "job", "${service_labe}${service_label_}" },
    };
    size_t i;
    char *got;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        got = promql_substitute_label(cases[i].tmpl, cases[i].service, cases[i].label);
        if (got == NULL || strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, got ? got : "(null)", cases[i].want);
        free(got);
    }
    /* label NULL: the placeholder stays as written (promql_substitute) */
    got = promql_substitute("{${service_label}=\"${service}\"}", "a");
    assert_non_null(got);
    assert_string_equal(got, "{${service_label}=\"a\"}");
    free(got);
    /* a label that is not a label name is refused, never pasted */
    assert_null(promql_substitute_label("{${service_label}=\"x\"}", "a", "a) or vector(1"));
    assert_null(promql_substitute_label("x", "a", ""));
}

/* Prometheus's label names, [a-zA-Z_][a-zA-Z0-9_]*: each case by hand. */
static void test_label_valid(void **state)
{
    static const char *const good[] = { "job", "service", "_", "_x9", "A_b_C", "le",
                                        "app_kubernetes_io_name" };
    static const char *const bad[] = { "", "9job", "job-name", "a.b", "a b", "a\"",
                                       "a)", "{x}", "j\xc3\xa9", "job\n", "a=b" };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!promql_label_valid(good[i]))
            fail_msg("'%s' refused", good[i]);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (promql_label_valid(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
    assert_false(promql_label_valid(NULL));
}

/* histogram_quantile(Q, EXPR) -> sum by (le) (EXPR); other forms NULL. */
static void test_bucket_query(void **state)
{
    static const struct {
        const char *tmpl, *want;
    } cases[] = {
        { "histogram_quantile(0.5, sum by (le) (rate(x_bucket{a=\"b\"}[5m])))",
          "sum by (le) (sum by (le) (rate(x_bucket{a=\"b\"}[5m])))" },
        { "  histogram_quantile ( 0.99 ,\n  rate(y_bucket[1m]) )  ",
          "sum by (le) (rate(y_bucket[1m]))" },
        /* commas and parentheses inside strings and braces do not split */
        { "histogram_quantile(0.9, rate(z_bucket{a=\"(,)\", b='x,)'}[5m]))",
          "sum by (le) (rate(z_bucket{a=\"(,)\", b='x,)'}[5m]))" },
        { "histogram_quantile(0.5, rate(x_bucket{${service_label}=\"${service}\"}[5m]))",
          "sum by (le) (rate(x_bucket{${service_label}=\"${service}\"}[5m]))" },
    };
    static const char *const other[] = {
        "sum(rate(x[5m]))", "histogram_quantile(0.5, x) * 1000", "histogram_quantile(0.5)",
        "histogram_quantile(0.5, )", "histogram_quantile(0.5, x", "max(histogram_quantile(0.5, x))",
        "",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = promql_bucket_query(cases[i].tmpl);

        if (got == NULL || strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, got ? got : "(null)", cases[i].want);
        free(got);
    }
    for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        char *got = promql_bucket_query(other[i]);

        if (got != NULL)
            fail_msg("'%s' gave '%s', want NULL", other[i], got);
    }
}

/* The bucket around a value, by hand: bounds 0.1 0.25 0.5 1 +Inf. */
static void test_bucket_around(void **state)
{
    const double le[] = { 0.5, 0.1, INFINITY, 1, 0.25, NAN };
    double lo = -1, hi = -1;

    (void)state;
    assert_int_equal(promql_bucket_around(le, 6, 0.05, &lo, &hi), 0);
    assert_true(lo == 0 && hi == 0.1);
    assert_int_equal(promql_bucket_around(le, 6, 0.3, &lo, &hi), 0);
    assert_true(lo == 0.25 && hi == 0.5);
    assert_int_equal(promql_bucket_around(le, 6, 0.25, &lo, &hi), 0);   /* le is <= */
    assert_true(lo == 0.1 && hi == 0.25);
    assert_int_equal(promql_bucket_around(le, 6, 2, &lo, &hi), 0);
    assert_true(lo == 1 && isinf(hi));
    assert_int_equal(promql_bucket_around(le, 5, NAN, &lo, &hi), -1);
    assert_int_equal(promql_bucket_around(le, 2, 0.7, &lo, &hi), -1);  /* 0.5, 0.1 only */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table),
        cmocka_unit_test(test_escape_round_trip_all_bytes),
        cmocka_unit_test(test_escape_truncation),
        cmocka_unit_test(test_substitute),
        cmocka_unit_test(test_substitute_label),
        cmocka_unit_test(test_label_valid),
        cmocka_unit_test(test_bucket_query),
        cmocka_unit_test(test_bucket_around),
        cmocka_unit_test(test_substitute_literal_intact),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
