/* test_app_util.c: safe text, masked secrets, atomic saves and display formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "verdict/format.h"
#include "verdict/util.h"

static void test_sanitize(void **state)
{
    static const struct { const char *in; const char *want; } cases[] = {
        { "plain", "plain" },
        { "caf\xc3\xa9", "caf\xc3\xa9" },                    /* U+00E9 kept */
        { "\x1b[2Jwipe", "?[2Jwipe" },                        /* ESC */
        { "bell\a", "bell?" },
        { "over\rwrite", "over?write" },                      /* CR rewinds a line */
        { "csi\xc2\x9b" "31m", "csi?31m" },                   /* U+009B, C1 CSI */
        { "del\x7f", "del?" },
        { "bad\xff\xfe", "bad??" },                           /* invalid bytes */
        { "cut\xe2\x82", "cut??" },                           /* truncated sequence */
        { "over\xc0\xaflong", "over??long" },                 /* overlong '/' */
        { "\xf0\x9f\x98\x80ok", "\xf0\x9f\x98\x80ok" },       /* U+1F600 kept */
    };
    char out[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        util_sanitize(out, sizeof(out), cases[i].in);
        assert_string_equal(out, cases[i].want);
    }
    /* never splits a multi-byte character when the buffer is short */
    util_sanitize(out, 5, "ab\xc3\xa9\xc3\xa9");
    assert_string_equal(out, "ab\xc3\xa9");
    util_sanitize(out, 4, "ab\xc3\xa9");
    assert_string_equal(out, "ab");
}

/* The table's ends and the code points just outside each range. */
static void test_invisible(void **state)
{
    static const unsigned long yes[] = {
        0x061c, 0x200b, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e,
        0x2060, 0x2066, 0x2069, 0xfeff,
    };
    static const unsigned long no[] = {
        'a', 0xa0, 0x061b, 0x061d, 0x200a, 0x2010, 0x2027, 0x202f, 0x205f, 0x2061,
        0x2065, 0x206a, 0xfefe, 0xff00, 0x10ffff,
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        assert_true(util_invisible(yes[i]));
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_false(util_invisible(no[i]));
}

/* Uppercase hex, at least 4 digits; util_escape_len knows only what
 * util_sanitize writes. */
static void test_escape(void **state)
{
    char e[UTIL_ESCAPE_SIZE];

    (void)state;
    assert_int_equal(util_escape(e, 0x202e), 8);
    assert_string_equal(e, "<U+202E>");
    assert_int_equal(util_escape(e, 0x61c), 8);
    assert_string_equal(e, "<U+061C>");
    assert_int_equal(util_escape(e, 0x10ffff), 10);
    assert_string_equal(e, "<U+10FFFF>");
    assert_int_equal(util_escape_len("<U+202E>tail"), 8);
    assert_int_equal(util_escape_len("<U+FEFF>"), 8);
    assert_int_equal(util_escape_len("<U+202e>"), 0);      /* lowercase */
    assert_int_equal(util_escape_len("<U+0041>"), 0);      /* 'A' is not escaped */
    assert_int_equal(util_escape_len("<U+0202E>"), 0);     /* an extra zero */
    assert_int_equal(util_escape_len("<U+202E"), 0);
    assert_int_equal(util_escape_len("<U+"), 0);
    assert_int_equal(util_escape_len("x<U+202E>"), 0);
}

/* Invisible characters become their escape; the copy grows, and a short
 * buffer ends before an escape that does not fit, never inside it and
 * never with a later character. */
static void test_sanitize_invisible(void **state)
{
    static const struct { const char *in; const char *want; } cases[] = {
        { "ok-\xe2\x80\xae" "evil", "ok-<U+202E>evil" },       /* RLO */
        { "a\xe2\x81\xa6" "b\xe2\x81\xa9", "a<U+2066>b<U+2069>" },  /* LRI .. PDI */
        { "zw\xe2\x80\x8bsp\xe2\x80\x8d", "zw<U+200B>sp<U+200D>" },
        { "\xef\xbb\xbf" "bom", "<U+FEFF>bom" },
        { "line\xe2\x80\xa8sep", "line<U+2028>sep" },
        { "m\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "m<U+200E><U+200F><U+061C>" },  /* marks */
        { "wj\xe2\x81\xa0", "wj<U+2060>" },
        { "\xe2\x80\xaf\xe2\x80\x90", "\xe2\x80\xaf\xe2\x80\x90" },   /* U+202F, U+2010 kept */
        { "c1\xc2\x9b\xe2\x80\xae", "c1?<U+202E>" },
    };
    char out[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(util_sanitize(out, sizeof(out), cases[i].in),
                         strlen(cases[i].want));
        assert_string_equal(out, cases[i].want);
    }
    /* "ab<U+202E>cd" needs 12 bytes: measured without a buffer, as snprintf */
    assert_int_equal(util_sanitize(NULL, 0, "ab\xe2\x80\xae" "cd"), 12);
    assert_int_equal(util_sanitize(out, 11, "ab\xe2\x80\xae" "cd"), 12);
    assert_string_equal(out, "ab<U+202E>");
    util_sanitize(out, 10, "ab\xe2\x80\xae" "cd");
    assert_string_equal(out, "ab");
    util_sanitize(out, 5, "ab\xe2\x80\xae" "c");            /* not "abc" */
    assert_string_equal(out, "ab");
    util_sanitize(out, 1, "\xe2\x80\xae");
    assert_string_equal(out, "");
}

static void test_atomic_write(void **state)
{
    char dir[] = "/tmp/verdict-util-XXXXXX", path[256], bad[256];
    struct stat st;
    size_t len;
    char *back;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    assert_int_equal(util_write_file_atomic(path, "first", 5), 0);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(util_write_file_atomic(path, "second!", 7), 0);
    back = util_read_file(path, &len);
    assert_non_null(back);
    assert_int_equal(len, 7);
    assert_string_equal(back, "second!");
    free(back);
    /* the replacement keeps the file's permissions */
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* a directory that does not exist: error, and nothing left behind */
    snprintf(bad, sizeof(bad), "%s/missing/out.txt", dir);
    assert_int_equal(util_write_file_atomic(bad, "x", 1), -1);
    assert_null(util_read_file(bad, &len));
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);   /* fails if a temporary file was left */
}

/* RFC 4648 section 10's vectors, and the Basic credential of RFC 7617's
 * example ("Aladdin:open sesame"). */
static void test_base64(void **state)
{
    static const struct { const char *in; size_t len; const char *want; } cases[] = {
        { "", 0, "" }, { "f", 1, "Zg==" }, { "fo", 2, "Zm8=" }, { "foo", 3, "Zm9v" },
        { "foob", 4, "Zm9vYg==" }, { "fooba", 5, "Zm9vYmE=" }, { "foobar", 6, "Zm9vYmFy" },
        { "Aladdin:open sesame", 19, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==" },
        { "\xff\xfe\x00", 3, "//4A" },                    /* bytes, a NUL included */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = util_base64(cases[i].in, cases[i].len);

        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

/* Every occurrence, same length, nothing else touched; no NUL needed. */
static void test_mask(void **state)
{
    char buf[] = "Bearer tok123 and tok123tok123, tok12";
    char raw[6] = { 'a', 's', 'e', 'c', 'r', 't' };

    (void)state;
    assert_int_equal(util_mask(buf, strlen(buf), "tok123"), 3);
    assert_string_equal(buf, "Bearer ****** and ************, tok12");
    assert_int_equal(util_mask(buf, strlen(buf), ""), 0);
    assert_int_equal(util_mask(buf, strlen(buf), NULL), 0);
    assert_int_equal(util_mask(buf, 3, "Bearer"), 0);         /* longer than the buffer */
    assert_int_equal(util_mask(raw, sizeof(raw), "secr"), 1);
    assert_memory_equal(raw, "a****t", 6);
}

/* DEL, C1 and the invisible characters become \u escapes; everything
 * else, other UTF-8 included (U+00A0, U+202F), is written as it is. */
static void test_fputs_json(void **state)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    (void)state;
    assert_non_null(f);
    assert_int_equal(util_fputs_json("{\"n\": \"a\x7f\xc2\x9b" "2J\xc2\x80\xc2\xa0\xc3\xa9\"}", f),
                     0);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(out, "{\"n\": \"a\\u007f\\u009b2J\\u0080\xc2\xa0\xc3\xa9\"}");
    free(out);

    /* the invisible characters too, lowercase as cJSON writes \u00XX */
    f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(util_fputs_json("[\"a\xe2\x80\xae" "b\xe2\x81\xa6\xd8\x9c\xef\xbb\xbf"
                                     "\xe2\x80\xa8\xe2\x80\xaf\"]", f), 0);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(out, "[\"a\\u202eb\\u2066\\u061c\\ufeff\\u2028\xe2\x80\xaf\"]");
    free(out);
}

static void test_money(void **state)
{
    char b[64];

    (void)state;
    assert_string_equal(fmt_money(b, sizeof(b), "$", 1234567.4), "$1,234,567");
    assert_string_equal(fmt_money(b, sizeof(b), "$", -80000), "-$80,000");
    assert_string_equal(fmt_money(b, sizeof(b), "$", -0.4), "$0");
    assert_string_equal(fmt_money(b, sizeof(b), "$", 999), "$999");
    assert_string_equal(fmt_money(b, sizeof(b), "", 1000), "1,000");
    assert_string_equal(fmt_money(b, sizeof(b), "$", NAN), "-");
    assert_string_equal(fmt_money_short(b, sizeof(b), "$", 950), "$950");
    assert_string_equal(fmt_money_short(b, sizeof(b), "$", 12345), "$12.3k");
    assert_string_equal(fmt_money_short(b, sizeof(b), "$", -80000), "-$80.0k");
    assert_string_equal(fmt_money_short(b, sizeof(b), "$", 211000), "$211k");
    assert_string_equal(fmt_money_short(b, sizeof(b), "$", 1250000), "$1.25M");
}

static void test_units_display(void **state)
{
    char b[64];

    (void)state;
    assert_string_equal(fmt_latency(b, sizeof(b), 0.00085), "850us");
    assert_string_equal(fmt_latency(b, sizeof(b), 0.012), "12.0ms");
    assert_string_equal(fmt_latency(b, sizeof(b), 1.25), "1.25s");
    assert_string_equal(fmt_bytes(b, sizeof(b), 512.0 * 1024 * 1024), "512 MiB");
    assert_string_equal(fmt_bytes(b, sizeof(b), 4.0 * 1024 * 1024 * 1024), "4.0 GiB");
    assert_string_equal(fmt_duration(b, sizeof(b), 2592000), "30d");
    assert_string_equal(fmt_duration(b, sizeof(b), 300), "5m");
    assert_string_equal(fmt_duration(b, sizeof(b), 90), "90s");
    assert_string_equal(fmt_time(b, sizeof(b), 1793491200), "2026-11-01T00:00:00Z");
    assert_string_equal(fmt_percent(b, sizeof(b), 0.253, 0), "25%");
    assert_string_equal(fmt_range(b, sizeof(b), 2, 2, 2), "2");
    assert_string_equal(fmt_range(b, sizeof(b), 1, 2, 4), "[1, 2, 4]");
}

static void test_fit(void **state)
{
    char b[128];

    (void)state;
    assert_string_equal(fmt_fit(b, sizeof(b), "short", 10), "short");
    assert_string_equal(fmt_fit(b, sizeof(b), "exactly-10", 10), "exactly-10");
    assert_string_equal(fmt_fit(b, sizeof(b), "much-too-long", 10), "much-too-~");
    /* counts columns, not bytes: 4 e-acutes are 4 columns */
    assert_string_equal(fmt_fit(b, sizeof(b), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 4),
                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    assert_string_equal(fmt_fit(b, sizeof(b), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3),
                        "\xc3\xa9\xc3\xa9~");
    assert_string_equal(fmt_fit(b, sizeof(b), "a\x1b[31mb", 20), "a?[31mb");
    assert_int_equal(fmt_width("\xc3\xa9t\xc3\xa9"), 3);
    /* an escape is 8 columns: "ok-rlo-<U+202E>evil" is 19 */
    assert_string_equal(fmt_fit(b, sizeof(b), "ok-rlo-\xe2\x80\xae" "evil", 19),
                        "ok-rlo-<U+202E>evil");
    assert_string_equal(fmt_fit(b, sizeof(b), "ok-rlo-\xe2\x80\xae" "evil", 18),
                        "ok-rlo-<U+202E>ev~");
    /* ... and goes whole or not at all */
    assert_string_equal(fmt_fit(b, sizeof(b), "abcd\xe2\x80\xae", 10), "abcd~");
    assert_string_equal(fmt_fit(b, sizeof(b), "abcd\xe2\x80\xae" "ef", 13), "abcd<U+202E>~");
    /* a short buffer cuts too, at a whole code point or escape */
    assert_string_equal(fmt_fit(b, 8, "ab\xe2\x80\xae", 20), "ab~");
    assert_string_equal(fmt_fit(b, 11, "ab\xe2\x80\xae", 20), "ab<U+202E>");
    assert_string_equal(fmt_fit(b, 4, "\xc3\xa9\xc3\xa9", 10), "\xc3\xa9~");
    assert_string_equal(fmt_fit(b, 1, "abc", 10), "");
    /* display width, as wcwidth in a UTF-8 locale says (Unicode's East
     * Asian Width: W for CJK; Mn, width 0, for combining marks) */
    assert_int_equal(fmt_width("\xe6\xbc\xa2\xe5\xad\x97"), 4);           /* 漢字 */
    assert_int_equal(fmt_width("e\xcc\x81"), 1);                          /* e + U+0301 */
    assert_int_equal(fmt_width("\xf0\x9f\xa6\x80"), 2);                    /* U+1F980 */
    assert_string_equal(fmt_fit(b, sizeof(b), "\xe6\xbc\xa2\xe5\xad\x97x", 4),
                        "\xe6\xbc\xa2~");                                  /* 2 + 1 + "~" */
    assert_string_equal(fmt_fit(b, sizeof(b), "\xe6\xbc\xa2\xe5\xad\x97", 4),
                        "\xe6\xbc\xa2\xe5\xad\x97");
    assert_int_equal(fmt_wrap("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2", 5), 6);  /* 2 of 3 */
}

/* A line break at the last space that fits, else after the whole units
 * that fit, else after one unit. */
static void test_wrap(void **state)
{
    (void)state;
    assert_int_equal(fmt_wrap("", 5), 0);
    assert_int_equal(fmt_wrap("fits", 4), 4);
    assert_int_equal(fmt_wrap("hello world", 8), 5);
    assert_int_equal(fmt_wrap("unbroken", 5), 5);
    assert_int_equal(fmt_wrap("\xc3\xa9\xc3\xa9\xc3\xa9", 2), 4);   /* bytes of 2 columns */
    assert_int_equal(fmt_wrap("ab<U+202E>cd", 9), 2);           /* not "ab<U+202" */
    assert_int_equal(fmt_wrap("ab<U+202E>cd", 10), 10);
    assert_int_equal(fmt_wrap("<U+202E>cd", 3), 8);             /* too narrow: one unit */
    assert_int_equal(fmt_wrap("x", 0), 1);
}

/* The one Markdown escaper: what report_md writes, and verdict diff's
 * form of < > & (FMT_MD_BACKSLASH_HTML). */
static void test_md(void **state)
{
    static const struct { const char *in; unsigned flags; const char *out; } cases[] = {
        { "plain words, 1.5", 0, "plain words, 1.5" },
        { "a*b_c[d]|e#f!g~h`i\\j", 0, "a\\*b\\_c\\[d\\]\\|e\\#f\\!g\\~h\\`i\\\\j" },
        { "<x> & y", 0, "&lt;x&gt; &amp; y" },
        { "<x> & y", FMT_MD_BACKSLASH_HTML, "\\<x\\> \\& y" },
        { "line\nbreak\ttab", 0, "line break tab" },
        { "esc\033[31m", 0, "esc\\[31m" },                  /* controls dropped */
        { "c1 \xc2\x9b x", 0, "c1  x" },
        { "bad \xff utf-8", 0, "bad  utf-8" },
        { "r\xe2\x80\xaeo", 0, "r&lt;U+202E&gt;o" },         /* shown, not obeyed */
        { "r\xe2\x80\xaeo", FMT_MD_BACKSLASH_HTML, "r\\<U+202E\\>o" },
        { "caf\xc3\xa9", 0, "caf\xc3\xa9" },
    };
    char *out;
    size_t len, i;
    FILE *f;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        f = open_memstream(&out, &len);
        assert_non_null(f);
        fmt_md(f, cases[i].in, cases[i].flags);
        assert_int_equal(fclose(f), 0);
        assert_string_equal(out, cases[i].out);
        free(out);
    }
    f = open_memstream(&out, &len);
    assert_non_null(f);
    fmt_md(f, NULL, 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_invisible),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_sanitize_invisible),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_fputs_json),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_units_display),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_md),
    };

    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
