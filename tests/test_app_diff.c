/* test_app_diff.c: `verdict diff` on canned reports (tests/data/diff) through app/report/diff.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "verdict/diff.h"
#include "verdict/json_scan.h"
#include "verdict/util.h"

/*
 * Every case diffs tests/data/diff/base.json (three services: alpha
 * migrate, beta consider, gamma keep; discount rate 0.1) against a copy
 * with one kind of change, written by hand, and checks the lines.  The
 * buffers are handed over without a NUL after them, so an over-read
 * shows under ASan.
 */
#define DATA_DIR "tests/data/diff/"
#define ERRLEN 512

struct run {
    int rc;
    char *out;      /* everything written */
    char err[ERRLEN];
};

/* A file's bytes in a buffer of exactly its length. */
static char *load(const char *name, size_t *len)
{
    char path[256], *text, *exact;

    snprintf(path, sizeof(path), DATA_DIR "%s", name);
    text = util_read_file(path, len);
    assert_non_null(text);
    exact = malloc(*len ? *len : 1);
    assert_non_null(exact);
    memcpy(exact, text, *len);
    free(text);
    return exact;
}

static void run_diff(struct run *r, const char *old_file, const char *new_file,
                     enum diff_format fmt)
{
    size_t lo, ln, size = 0;
    char *a = load(old_file, &lo), *b = load(new_file, &ln);
    FILE *f = open_memstream(&r->out, &size);

    assert_non_null(f);
    r->err[0] = '\0';
    r->rc = diff_reports(old_file, a, lo, new_file, b, ln, fmt, f, r->err, sizeof(r->err));
    fclose(f);
    free(a);
    free(b);
}

/* The change lines of a text diff: everything after the blank line. */
static const char *changes(const struct run *r)
{
    const char *p = strstr(r->out, "\n\n");

    assert_non_null(p);
    return p + 2;
}

static void expect_changes(const char *new_file, const char *want)
{
    struct run r;

    run_diff(&r, "base.json", new_file, DIFF_TEXT);
    assert_int_equal(r.rc, 0);
    assert_string_equal(changes(&r), want);
    free(r.out);
}

static void test_identical(void **state)
{
    struct run r;

    (void)state;
    run_diff(&r, "base.json", "base.json", DIFF_TEXT);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out,
        "VERDICT DIFF\n"
        "  old: base.json\n"
        "       data end 2026-01-01T00:00:00Z, config q1.yaml\n"
        "  new: base.json\n"
        "       data end 2026-01-01T00:00:00Z, config q1.yaml\n"
        "  services: 3 -> 3; 0 changes\n"
        "\n"
        "no changes\n");
    free(r.out);
    run_diff(&r, "base.json", "base.json", DIFF_MD);
    assert_non_null(strstr(r.out, "No changes."));
    free(r.out);
    run_diff(&r, "base.json", "base.json", DIFF_JSON);
    assert_non_null(strstr(r.out, "\"changes\":\t[]"));
    free(r.out);
}

static void test_added_removed(void **state)
{
    (void)state;
    expect_changes("added_removed.json",
        "added       delta: rank 3, consider, NPV $5,000\n"
        "removed     gamma: was rank 3, keep, NPV -$50,000\n");
}

static void test_recommendation(void **state)
{
    (void)state;
    expect_changes("recommendation.json", "recommend   beta: consider -> migrate\n");
}

/* One assumption: its path and both values, nothing else. */
static void test_assumption(void **state)
{
    struct run r;

    (void)state;
    expect_changes("discount.json", "assumption  economics.discount_rate: 0.1 -> 0.12\n");
    run_diff(&r, "base.json", "discount.json", DIFF_JSON);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "\"schema\":\t\"verdict.diff/1\""));
    assert_non_null(strstr(r.out, "\"kind\":\t\"assumption\",\n\t\t\t\"path\":\t"
                                  "\"economics.discount_rate\",\n\t\t\t\"old\":\t0.1,\n"
                                  "\t\t\t\"new\":\t0.12\n"));
    free(r.out);
    run_diff(&r, "base.json", "discount.json", DIFF_MD);
    assert_non_null(strstr(r.out, "| assumption | economics.discount\\_rate | 0.1 | 0.12 |  |\n"));
    free(r.out);
}

static void test_input(void **state)
{
    (void)state;
    expect_changes("input.json", "input       services[alpha].instances: 12 -> 20\n");
}

/* Recommendations, then services in and out, then assumptions, then NPV
 * by size (the set's +80,000 first), rank moves, score, break-even,
 * probability. */
static void test_ordering(void **state)
{
    (void)state;
    expect_changes("ordering.json",
        "recommend   beta: consider -> migrate\n"
        "added       delta: rank 3, consider, NPV $5,000\n"
        "removed     gamma: was rank 3, keep, NPV -$50,000\n"
        "assumption  economics.discount_rate: 0.1 -> 0.12\n"
        "portfolio   recommended set: $210,000 -> $290,000 (+$80,000)\n"
        "npv         beta: $20,000 -> $90,000 (+$70,000)\n"
        "npv         alpha: $210,000 -> $200,000 (-$10,000)\n"
        "rank        beta: 2 -> 1 (up 1)\n"
        "rank        alpha: 1 -> 2 (down 1)\n"
        "score       beta: 55.0 -> 75.0 (+20.0)\n"
        "break-even  beta: month 20 -> month 12 (-8 months)\n"
        "P(NPV>0)    beta: 70.0% -> 90.0% (+20.0 points)\n");
}

static void expect_error(const char *old_file, const char *want)
{
    struct run r;

    run_diff(&r, old_file, "base.json", DIFF_TEXT);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, want);
    assert_string_equal(r.out, "");
    free(r.out);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    expect_error("not_json.json", "not_json.json: not JSON: syntax error at line 1, column 1");
    expect_error("truncated.json", "truncated.json: not JSON: unexpected end at line 63, "
                 "column 7 (truncated?)");
    expect_error("wrong_schema.json", "wrong_schema.json: schema is \"verdict.snapshot/1\", "
                 "expected \"verdict.report/1\"");
    expect_error("missing_npv.json", "missing_npv.json: services[1] (beta): cost: "
                 "missing field \"npv\"");
    expect_error("duplicate.json", "duplicate.json: services[2]: duplicate service name "
                 "\"alpha\"");
    /* cJSON reads 012 as 12; the strict scan stops there, so it must not
     * let cJSON's reading of the rest through unchecked */
    expect_error("leading_zero.json", "leading_zero.json: not JSON: syntax error at line 44, "
                 "column 23");
    /* two leaves with one path: compared by path, the second would meet the
     * first one's partner, and a report would differ from itself */
    expect_error("repeated_assumption.json", "repeated_assumption.json: assumptions: "
                 "\"economics.discount_rate\" appears twice");
    expect_error("repeated_input.json", "repeated_input.json: services[0] (alpha): inputs: "
                 "\"team.engineers\" appears twice");
}

/* A name with ESC, BEL and C1 CSI: replaced in text, escaped in JSON. */
static void test_hostile_name(void **state)
{
    struct run r;

    (void)state;
    expect_changes("hostile.json",
        "added       ?[31mevil??2J: rank 3, keep, NPV -$50,000\n"
        "removed     gamma: was rank 3, keep, NPV -$50,000\n");
    run_diff(&r, "base.json", "hostile.json", DIFF_MD);
    assert_null(strchr(r.out, '\033'));
    assert_non_null(strstr(r.out, "| added | ?\\[31mevil??2J |"));
    free(r.out);
    run_diff(&r, "base.json", "hostile.json", DIFF_JSON);
    assert_null(strchr(r.out, '\033'));
    assert_non_null(strstr(r.out, "\"service\":\t\"\\u001b[31mevil\\u0007"));
    free(r.out);
}

/* A 60-byte currency and alpha's NPV up by $999: seen in both directions,
 * whichever report's currency the numbers are shown in. */
static void test_long_currency(void **state)
{
    struct run r;

    (void)state;
    run_diff(&r, "base.json", "long_currency.json", DIFF_JSON);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "\"delta\":\t999\n"));
    free(r.out);
    run_diff(&r, "long_currency.json", "base.json", DIFF_JSON);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "\"delta\":\t-999\n"));
    free(r.out);
}

/* The same inputs give the same bytes. */
static void test_deterministic(void **state)
{
    struct run a, b;

    (void)state;
    run_diff(&a, "base.json", "ordering.json", DIFF_JSON);
    run_diff(&b, "base.json", "ordering.json", DIFF_JSON);
    assert_string_equal(a.out, b.out);
    free(a.out);
    free(b.out);
}

/* 1-based line and column of byte offset off. */
static void line_col(const char *buf, size_t off, size_t *line, size_t *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/*
 * The message verdict gave for a text that is not JSON when cJSON read
 * the reports (diff.c before json_tree, kept here as the reference): the
 * strict scan's own finding, else where cJSON stops, else the scan's stop
 * when cJSON took the text.  0 when the text is JSON (no message).
 */
static int cjson_message(const char *buf, size_t len, char *want, size_t wlen)
{
    const char *end = NULL;
    size_t off, line, col, bad;
    enum json_scan_status st;
    struct json_scan js;
    cJSON *root;

    for (off = 0; off < len && strchr(" \t\r\n", buf[off]) != NULL && buf[off]; off++)
        ;
    if (off == len) {
        snprintf(want, wlen, "x.json: empty file, not JSON");
        return 1;
    }
    memset(&js, 0, sizeof(js));
    js.max_depth = 32;
    st = json_scan_run(&js, buf, len);
    bad = js.at;
    if (st != JSON_SCAN_OK && st != JSON_SCAN_EOF && st != JSON_SCAN_SYNTAX) {
        line_col(buf, bad, &line, &col);
        snprintf(want, wlen, "x.json: not a verdict report: %s at line %zu, column %zu",
                 st == JSON_SCAN_DEEP ? "nested too deep" : json_scan_what(st), line, col);
        return 1;
    }
    root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    off = end != NULL && end >= buf ? (size_t)(end - buf) : 0;
    if (root == NULL) {
        line_col(buf, off, &line, &col);
        if (off + 1 >= len)
            snprintf(want, wlen, "x.json: not JSON: unexpected end at line %zu, column %zu "
                     "(truncated?)", line, col);
        else
            snprintf(want, wlen, "x.json: not JSON: syntax error at line %zu, column %zu",
                     line, col);
        return 1;
    }
    cJSON_Delete(root);
    while (off < len && buf[off] != '\0' && strchr(" \t\r\n", buf[off]) != NULL)
        off++;
    if (off < len) {
        line_col(buf, off, &line, &col);
        snprintf(want, wlen, "x.json: not JSON: unexpected data after the end at line %zu, "
                 "column %zu", line, col);
        return 1;
    }
    if (st != JSON_SCAN_OK) {
        line_col(buf, bad, &line, &col);
        snprintf(want, wlen, "x.json: not JSON: syntax error at line %zu, column %zu", line,
                 col);
        return 1;
    }
    return 0;
}

/* Compare text (len bytes, copied to an exact buffer) with base.json: a
 * message cjson_message gives must be diff's, word for word.  Returns 1
 * when they differ (printed). */
static int same_message(const char *text, size_t len, const char *base, size_t base_len)
{
    char want[ERRLEN], got[ERRLEN], *exact = malloc(len ? len : 1);
    FILE *f;
    char *out = NULL;
    size_t size = 0;
    int rc, differ = 0;

    assert_non_null(exact);
    memcpy(exact, text, len);
    if (cjson_message(exact, len, want, sizeof(want))) {
        f = open_memstream(&out, &size);
        assert_non_null(f);
        got[0] = '\0';
        rc = diff_reports("x.json", exact, len, "base.json", base, base_len, DIFF_TEXT, f,
                          got, sizeof(got));
        fclose(f);
        free(out);
        if (rc != -1 || strcmp(got, want) != 0) {
            print_message("%zu bytes: want \"%s\", got \"%s\"\n", len, want, got);
            differ = 1;
        }
    }
    free(exact);
    return differ;
}

/*
 * diff.c now reads reports with json_tree and finds where cJSON would
 * have stopped by walking the text as cJSON's parser does (cj_parse).
 * Against cJSON itself: every prefix of two reports, every byte of them
 * replaced by each of a set of troublemakers, each byte deleted, and a
 * few cases made by hand (cJSON's byte-order mark rule, its nesting limit
 * after a syntax error, numbers cJSON takes and the scan refuses).
 */
static void test_messages_as_cjson(void **state)
{
    static const char subst[] = "\"[]{},:0-.e\\ u\x80\x01\t";
    static const char *const files[] = { "base.json", "truncated.json" };
    static const char *const hand[] = {
        "\xef\xbb\xbf" "1", "\xef\xbb\xbf" "12", "\xef\xbb\xbf", "[01] x", "[1.]", "{\"a\":01",
        "[\"\\u12g4\"]", "[01, \"\\ud800\\u0041\"]", "[01, \"a\\", "{\"a\" 1}", "{a:1}",
        "[1,]", "[-]", "[1e]", "[.5]", "[-.5]", "[01]\x01", " \x01 ",
    };
    size_t blen, n, i, k, differ = 0;
    char *base = load("base.json", &blen), *m, deep[4200];

    (void)state;
    for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
        char *text = load(files[k], &n);

        m = malloc(n + 1);
        assert_non_null(m);
        for (i = 0; i <= n; i++)
            differ += (size_t)same_message(text, i, base, blen);
        for (i = 0; i < n; i++) {
            size_t c;

            for (c = 0; c < sizeof(subst) - 1; c++) {
                memcpy(m, text, n);
                m[i] = subst[c];
                differ += (size_t)same_message(m, n, base, blen);
            }
            memcpy(m, text, i);
            memcpy(m + i, text + i + 1, n - i - 1);
            differ += (size_t)same_message(m, n - 1, base, blen);
        }
        free(m);
        free(text);
    }
    for (i = 0; i < sizeof(hand) / sizeof(hand[0]); i++)
        differ += (size_t)same_message(hand[i], strlen(hand[i]), base, blen);
    /* past cJSON's nesting limit (1000) after a syntax error, closed or not */
    n = (size_t)snprintf(deep, sizeof(deep), "{\"a\":01,\"b\":");
    memset(deep + n, '[', 2000);
    differ += (size_t)same_message(deep, n + 2000, base, blen);
    memset(deep + n, '[', 900);
    memset(deep + n + 900, ']', 900);
    deep[n + 1800] = '}';
    differ += (size_t)same_message(deep, n + 1801, base, blen);
    free(base);
    assert_int_equal(differ, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_added_removed),
        cmocka_unit_test(test_recommendation),
        cmocka_unit_test(test_assumption),
        cmocka_unit_test(test_input),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_hostile_name),
        cmocka_unit_test(test_long_currency),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_messages_as_cjson),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
