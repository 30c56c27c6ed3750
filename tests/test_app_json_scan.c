/* test_app_json_scan.c: the strict JSON pass (json_scan.c): statuses, offsets, split arrays. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "verdict/json_number.h"
#include "verdict/json_scan.h"
#include "verdict/json_tree.h"

struct scan_case {
    const char *what;
    const char *text;
    size_t len;                 /* 0: strlen(text) */
    enum json_scan_status want;
    size_t at;                  /* where it stops (the length when OK or EOF) */
};

#define T(what, text, want, at) { what, text, 0, want, at }

/*
 * Each case: the input, the status and the offset, worked out by hand.
 * The offset is the byte to point a user at: a bad byte itself, the first
 * byte of a number or word that is wrong, the bracket that opens too deep.
 */
static const struct scan_case cases[] = {
    T("empty", "", JSON_SCAN_EOF, 0),
    T("only spaces", "  \n", JSON_SCAN_EOF, 3),
    T("a number", "12.5e-3", JSON_SCAN_OK, 7),
    T("negative zero", "-0", JSON_SCAN_OK, 2),
    T("words", "[true,false,null]", JSON_SCAN_OK, 17),
    T("object", "{\"a\": [1, {\"b\": \"c\"}]}", JSON_SCAN_OK, 22),
    T("BOM first", "\xef\xbb\xbf{}", JSON_SCAN_OK, 5),
    T("leading zero", "[01]", JSON_SCAN_SYNTAX, 2),
    T("point without digits", "[1.]", JSON_SCAN_SYNTAX, 1),
    T("point at the end", "1.", JSON_SCAN_EOF, 2),
    T("minus alone", "[-]", JSON_SCAN_SYNTAX, 1),
    T("exponent without digits", "[1e]", JSON_SCAN_SYNTAX, 1),
    T("word misspelt", "{\"schema\": nope}", JSON_SCAN_SYNTAX, 11),
    T("word cut short", "[nul", JSON_SCAN_EOF, 4),
    T("NaN is not JSON", "[NaN]", JSON_SCAN_SYNTAX, 1),
    T("trailing comma", "[1,]", JSON_SCAN_SYNTAX, 3),
    T("trailing comma in object", "{\"a\":1,}", JSON_SCAN_SYNTAX, 7),
    T("key not a string", "{a:1}", JSON_SCAN_SYNTAX, 1),
    T("missing colon", "{\"a\" 1}", JSON_SCAN_SYNTAX, 5),
    T("wrong closer", "[1}", JSON_SCAN_SYNTAX, 2),
    T("unclosed", "[1, [2", JSON_SCAN_EOF, 6),
    T("trailing data", "{}\n x", JSON_SCAN_TRAILING, 4),
    T("raw tab in a string", "[\"a\tb\"]", JSON_SCAN_CONTROL, 3),
    T("raw newline in a string", "\"a\nb\"", JSON_SCAN_CONTROL, 2),
    T("escaped NUL", "[\"ab\\u0000\"]", JSON_SCAN_NUL, 4),
    T("escaped NUL in a key", "{\"\\u0000\": 1}", JSON_SCAN_NUL, 2),
    T("other escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"", JSON_SCAN_OK, 24),
    T("bad escape", "\"\\x\"", JSON_SCAN_SYNTAX, 1),
    T("short \\u at the end", "\"\\u12", JSON_SCAN_EOF, 5),
    T("bad \\u digits", "\"\\u12g4\"", JSON_SCAN_ESCAPE, 1),
    T("surrogate pair", "\"\\ud83d\\ude00\"", JSON_SCAN_OK, 14),
    T("high surrogate alone", "\"\\ud83d\"", JSON_SCAN_ESCAPE, 1),
    T("high surrogate then a letter", "\"\\ud83dx\"", JSON_SCAN_ESCAPE, 1),
    T("low surrogate alone", "\"\\ude00\"", JSON_SCAN_ESCAPE, 1),
    T("UTF-8 two bytes", "\"caf\xc3\xa9\"", JSON_SCAN_OK, 7),
    T("UTF-8 four bytes", "\"\xf0\x9f\x98\x80\"", JSON_SCAN_OK, 6),
    T("Latin-1 byte", "\"caf\xe9\"", JSON_SCAN_UTF8, 4),
    T("overlong slash", "\"\xc0\xaf\"", JSON_SCAN_UTF8, 1),
    T("overlong three bytes", "\"\xe0\x80\xaf\"", JSON_SCAN_UTF8, 1),
    T("UTF-8 surrogate", "\"\xed\xa0\x80\"", JSON_SCAN_UTF8, 1),
    T("above U+10FFFF", "\"\xf4\x90\x80\x80\"", JSON_SCAN_UTF8, 1),
    T("stray continuation", "\"\x80\"", JSON_SCAN_UTF8, 1),
    T("sequence cut by the end", "\"\xe2\x82", JSON_SCAN_EOF, 3),
    T("byte above 0x7f outside a string", "[\xc3\xa9]", JSON_SCAN_SYNTAX, 1),
};

static void test_cases(void **state)
{
    size_t i, failed = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct scan_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        struct json_scan s;
        enum json_scan_status st;

        memset(&s, 0, sizeof(s));
        st = json_scan_run(&s, c->text, len);
        if (st != c->want || s.at != c->at) {
            print_message("%s: status %d at %zu, want %d at %zu\n", c->what, (int)st, s.at,
                          (int)c->want, c->at);
            failed++;
        }
        /* what passes, cJSON reads */
        if (st == JSON_SCAN_OK) {
            cJSON *j = cJSON_ParseWithLength(c->text, len);

            if (j == NULL) {
                print_message("%s: accepted, but cJSON refuses it\n", c->what);
                failed++;
            }
            cJSON_Delete(j);
        }
    }
    assert_int_equal(failed, 0);
}

/* A raw NUL byte is a control character, not the end of the text. */
static void test_raw_nul(void **state)
{
    static const char text[] = "[\"a\0b\"]";
    struct json_scan s;

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(json_scan_run(&s, text, sizeof(text) - 1), JSON_SCAN_CONTROL);
    assert_int_equal(s.at, 3);
}

/* 32 arrays are allowed at max_depth 32; the 33rd '[' (offset 32) is not. */
static void test_depth(void **state)
{
    char text[200];
    struct json_scan s;

    (void)state;
    memset(text, '[', 33);
    memset(text + 33, ']', 33);
    memset(&s, 0, sizeof(s));
    s.max_depth = 32;
    assert_int_equal(json_scan_run(&s, text, 64), JSON_SCAN_DEEP);
    assert_int_equal(s.at, 32);
    assert_int_equal(json_scan_run(&s, text + 1, 64), JSON_SCAN_OK);
    /* beyond JSON_SCAN_DEPTH_LIMIT whatever max_depth says */
    {
        size_t n = JSON_SCAN_DEPTH_LIMIT + 1;
        char *deep = malloc(2 * n);

        assert_non_null(deep);
        memset(deep, '[', n);
        memset(deep + n, ']', n);
        s.max_depth = 0;
        assert_int_equal(json_scan_run(&s, deep, 2 * n), JSON_SCAN_DEEP);
        assert_int_equal(s.at, JSON_SCAN_DEPTH_LIMIT);
        free(deep);
    }
}

/* max_values counts every value, containers included; max_string the
 * bytes between quotes as written. */
static void test_caps(void **state)
{
    struct json_scan s;

    (void)state;
    memset(&s, 0, sizeof(s));
    s.max_values = 4;
    assert_int_equal(json_scan_run(&s, "[1, 2, 3]", 9), JSON_SCAN_OK);
    assert_int_equal(s.values, 4);
    assert_int_equal(json_scan_run(&s, "[1, 2, 3, 4]", 12), JSON_SCAN_TOO_MANY);
    assert_int_equal(s.at, 10);     /* the fifth value */
    s.max_values = 0;
    s.max_string = 3;
    assert_int_equal(json_scan_run(&s, "[\"abc\"]", 7), JSON_SCAN_OK);
    assert_int_equal(json_scan_run(&s, "[\"abcd\"]", 8), JSON_SCAN_LONG);
    assert_int_equal(s.at, 1);
    assert_int_equal(json_scan_run(&s, "{\"abcd\": 1}", 11), JSON_SCAN_LONG);
    assert_int_equal(s.at, 1);
}

/* One value, then whatever: it stops just past the value, with the
 * statuses and offsets of a whole-text scan, and counts from the value's
 * own depth. */
static void test_value(void **state)
{
    static const char text[] = "{\"a\": [1, [2]] , \"b\": x";
    struct json_scan s;
    size_t i = 6;

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(json_scan_value(&s, text, sizeof(text) - 1, &i), JSON_SCAN_OK);
    assert_int_equal(i, 14);        /* past "[1, [2]]", the spaces after it not read */
    assert_int_equal(s.values, 4);
    i = 6;
    s.max_depth = 1;
    assert_int_equal(json_scan_value(&s, text, sizeof(text) - 1, &i), JSON_SCAN_DEEP);
    assert_int_equal(s.at, 10);
    i = 21;
    s.max_depth = 0;
    assert_int_equal(json_scan_value(&s, text, sizeof(text) - 1, &i), JSON_SCAN_SYNTAX);
    assert_int_equal(s.at, 22);
    i = 0;
    assert_int_equal(json_scan_value(&s, "[1, 2", 5, &i), JSON_SCAN_EOF);
    assert_int_equal(s.at, 5);
}

/* The whole text as a tree: the value, then nothing but whitespace (as
 * prom_decode.c reads an answer).  Its status, *at its offset. */
static enum json_scan_status tree_run(struct jt *t, const char *b, size_t len, size_t *at)
{
    enum json_scan_status st;
    size_t i = len >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, root;

    st = jt_value(t, b, len, &i, 1, JT_NONE, &root, at);
    if (st != JSON_SCAN_OK)
        return st;
    i = json_scan_ws(b, len, i);
    *at = i;
    return i < len ? JSON_SCAN_TRAILING : JSON_SCAN_OK;
}

/* json_tree refuses what the scan refuses, with the same status at the
 * same byte (every case above). */
static void test_tree_agrees(void **state)
{
    size_t i, at;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct scan_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        struct jt t;
        enum json_scan_status st;

        memset(&t, 0, sizeof(t));
        t.dp = ".";
        st = tree_run(&t, c->text, len, &at);
        if (st != c->want || (st != JSON_SCAN_OK && at != c->at))
            print_message("%s: tree %d at %zu, scan %d at %zu\n", c->what, st, at, c->want,
                          c->at);
        assert_int_equal(st, c->want);
        if (st != JSON_SCAN_OK)
            assert_int_equal(at, c->at);
        jt_done(&t);
    }
}

static int aside_values(size_t level, const char *key)
{
    (void)level;
    return strcmp(key, "values") == 0;
}

/* Arrays set aside: checked as strictly as the rest (nesting counted from
 * the root, bad bytes), one value each, no nodes; their '[' and ']'. */
static void test_tree_aside(void **state)
{
    static const char text[] = "{\"r\": [{\"values\": [[1, \"a\"], [2, \"b\"]]}, "
                               "{\"values\": 5}]}";
    struct jt t;
    size_t at, r, e, v;

    (void)state;
    memset(&t, 0, sizeof(t));
    t.dp = ".";
    t.aside = aside_values;
    t.max_values = 7;       /* root, "r", two objects, the aside array, the 5: 6 */
    assert_int_equal(tree_run(&t, text, sizeof(text) - 1, &at), JSON_SCAN_OK);
    assert_int_equal(t.values, 6);
    r = jt_member(&t, 0, "r");
    e = t.node[r].child;
    v = jt_member(&t, e, "values");
    assert_int_equal(t.node[v].kind, JT_ASIDE);
    assert_int_equal(text[t.node[v].at], '[');
    assert_int_equal(t.node[v].end, 37);
    assert_int_equal(text[t.node[v].end], ']');
    assert_int_equal(t.node[jt_member(&t, t.node[e].next, "values")].kind, JT_NUMBER);
    jt_reset(&t);
    /* the aside array is at level 4: [[[1]]] inside reaches 6 */
    t.max_depth = 5;
    assert_int_equal(tree_run(&t, "{\"r\": [{\"values\": [[[1]]]}]}", 28, &at),
                     JSON_SCAN_DEEP);
    assert_int_equal(at, 20);
    jt_reset(&t);
    assert_int_equal(tree_run(&t, "{\"values\": [\"\xc3\"]}", 16, &at), JSON_SCAN_UTF8);
    assert_int_equal(at, 13);
    jt_reset(&t);
    assert_int_equal(tree_run(&t, "{\"values\": [1, ", 15, &at), JSON_SCAN_EOF);
    assert_int_equal(at, 15);
    jt_done(&t);
}

/* json_number_value against strtod, bit for bit (a second method): every
 * double printed with 15, 16 and 17 digits, 16- and 17-digit mantissas
 * on both sides of 2^53 (where the fast path stops), exponents to +-30,
 * and the exact edge 9007199254740992 / ...993. */
static void test_number_value(void **state)
{
    static const char *const edges[] = {
        "9007199254740992", "9007199254740993", "9007199254740991", "0.9007199254740992",
        "0.9007199254740993", "9007199254740993e-22", "9007199254740992e22",
        "1e23", "1e22", "1e-22", "1e-23", "0.1507750000000007", "12345678901234567890",
        "-0.0", "0", "5e-324", "1.7976931348623157e308",
    };
    char buf[64];
    double got, want;
    size_t i;
    unsigned seed = 3;
    int prec;

    (void)state;
    for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        assert_true(json_number_value(edges[i], strlen(edges[i]), ".", &got));
        want = strtod(edges[i], NULL);
        if (memcmp(&got, &want, sizeof(got)) != 0)
            fail_msg("%s: %.17g, strtod %.17g", edges[i], got, want);
    }
    srand(seed);
    for (i = 0; i < 300000; i++) {
        uint64_t bits = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
        double d;

        if (i % 2 == 0) {
            /* a random double of ordinary size */
            d = ((double)rand() / RAND_MAX) * json_pow10(rand() % 12) / json_pow10(rand() % 12);
            prec = 15 + (int)(i / 2 % 3);
            snprintf(buf, sizeof(buf), "%.*g", prec, d);
        } else {
            /* a 16- or 17-digit mantissa and a decimal point somewhere */
            unsigned long long mant = 1000000000000000ULL + bits % 99000000000000000ULL;

            snprintf(buf, sizeof(buf), "%llue%d", mant, (int)(rand() % 61) - 30);
        }
        assert_true(json_number_value(buf, strlen(buf), ".", &got));
        want = strtod(buf, NULL);
        if (memcmp(&got, &want, sizeof(got)) != 0)
            fail_msg("%s: %.17g, strtod %.17g", buf, got, want);
    }
}

/* json_number_decade is floor(log10(a)) without most log10 calls: check
 * it against that expression (the second method) on random magnitudes
 * from 1e-30 to 1e30 and at each power of ten and its two neighbours. */
static void test_number_decade(void **state)
{
    size_t i;
    int k;

    (void)state;
    for (k = -30; k <= 30; k++) {
        double p = pow(10, k), near[3] = { nextafter(p, 0), p, nextafter(p, INFINITY) };
        int j;

        for (j = 0; j < 3; j++)
            if (json_number_decade(near[j]) != (int)floor(log10(near[j])))
                fail_msg("%.17g: %d, floor(log10) %d", near[j], json_number_decade(near[j]),
                         (int)floor(log10(near[j])));
    }
    srand(5);
    for (i = 0; i < 1000000; i++) {
        double a = ((double)rand() / RAND_MAX + 1e-3) * pow(10, rand() % 61 - 30);

        if (json_number_decade(a) != (int)floor(log10(a)))
            fail_msg("%.17g: %d, floor(log10) %d", a, json_number_decade(a),
                     (int)floor(log10(a)));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_raw_nul),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_value),
        cmocka_unit_test(test_number_value),
        cmocka_unit_test(test_number_decade),
        cmocka_unit_test(test_tree_agrees),
        cmocka_unit_test(test_tree_aside),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
