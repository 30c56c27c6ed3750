/* test_app_textchart.c: text charts, byte for byte, and their row invariants. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/textchart.h"

/* Lower k eighths blocks, U+2581..U+2588, as UTF-8. */
#define B1 "\xe2\x96\x81"
#define B2 "\xe2\x96\x82"
#define B3 "\xe2\x96\x83"
#define B4 "\xe2\x96\x84"
#define B5 "\xe2\x96\x85"
#define B6 "\xe2\x96\x86"
#define B7 "\xe2\x96\x87"
#define B8 "\xe2\x96\x88"
#define LEFT5 "\xe2\x96\x8b"    /* U+258B left five eighths */
/* Braille U+2800 + bits (see the map in app/report/textchart.c). */
#define BR_01 "\xe2\xa0\x81"
#define BR_12 "\xe2\xa0\x92"
#define BR_5C "\xe2\xa1\x9c"
#define BR_70 "\xe2\xa1\xb0"
#define BR_7A "\xe2\xa1\xba"
#define BR_7F "\xe2\xa1\xbf"

#define ROWLEN 256
#define MAX_ROWS 8

/* Rows of a chart in one block, so tests can pass char **. */
struct rows {
    char buf[MAX_ROWS][ROWLEN];
    char *p[MAX_ROWS];
};

static char **rows_init(struct rows *r)
{
    int i;

    memset(r->buf, 0x5A, sizeof r->buf);
    for (i = 0; i < MAX_ROWS; i++)
        r->p[i] = r->buf[i];
    return r->p;
}

static void test_sparkline(void **state)
{
    static const double ramp[] = {0, 1, 2, 3, 4, 5, 6, 7};
    static const double gap[] = {0, NAN, 2};
    static const double flat[] = {5, 5, 5};
    static const double two[] = {0, 1};
    static const double four[] = {0, 2, 4, 8};
    static const double inf[] = {INFINITY, 1, -INFINITY, 3};
    char out[ROWLEN];

    (void)state;
    /* Level floor((v - 0) / 7 * 8), 7 at the top: one of each block. */
    textchart_sparkline(out, sizeof out, ramp, 8, 8, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B1 B2 B3 B4 B5 B6 B7 B8);
    textchart_sparkline(out, sizeof out, ramp, 8, 8, UI_GLYPHS_ASCII);
    assert_string_equal(out, "_.-~=^*#");
    /* NaN is a blank column; 0 and 2 are the bottom and the top. */
    textchart_sparkline(out, sizeof out, gap, 3, 3, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B1 " " B8);
    /* A constant series sits in the middle: level 3, the half block. */
    textchart_sparkline(out, sizeof out, flat, 3, 3, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B4 B4 B4);
    textchart_sparkline(out, sizeof out, flat, 3, 3, UI_GLYPHS_ASCII);
    assert_string_equal(out, "~~~");
    /* Stretched: column x shows value floor(x * 2 / 4). */
    textchart_sparkline(out, sizeof out, two, 2, 4, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B1 B1 B8 B8);
    /* Bucketed: means 1 and 6 on the scale 0..8 of the values: levels 1, 6. */
    textchart_sparkline(out, sizeof out, four, 4, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B2 B7);
    /* The last column takes the last value: means 0 and 4 -> levels 0, 4. */
    textchart_sparkline(out, sizeof out, (const double[]){0, 0, 0, 8}, 4, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B1 B5);
    /* +-Inf are gaps like NaN; the scale is 1..3. */
    textchart_sparkline(out, sizeof out, inf, 4, 4, UI_GLYPHS_UNICODE);
    assert_string_equal(out, " " B1 " " B8);
    /* Width 1: the mean 3.5 is level floor(3.5 / 7 * 8) = 4. */
    textchart_sparkline(out, sizeof out, ramp, 8, 1, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B5);
}

static void test_sparkline_degenerate(void **state)
{
    static const double nans[] = {NAN, NAN};
    static const double ramp[] = {0, 1, 2, 3, 4, 5, 6, 7};
    char out[ROWLEN];

    (void)state;
    textchart_sparkline(out, sizeof out, NULL, 0, 5, UI_GLYPHS_UNICODE);
    assert_string_equal(out, "     ");
    textchart_sparkline(out, sizeof out, nans, 2, 3, UI_GLYPHS_UNICODE);
    assert_string_equal(out, "   ");
    textchart_sparkline(out, sizeof out, ramp, 8, 0, UI_GLYPHS_UNICODE);
    assert_string_equal(out, "");
    textchart_sparkline(out, sizeof out, ramp, 8, -3, UI_GLYPHS_UNICODE);
    assert_string_equal(out, "");
    /* Truncated at whole glyphs: 7 bytes hold two 3-byte blocks and the NUL. */
    textchart_sparkline(out, 7, ramp, 8, 8, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B1 B2);
    textchart_sparkline(out, 6, ramp, 8, 8, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B1);
    textchart_sparkline(out, 1, ramp, 8, 8, UI_GLYPHS_UNICODE);
    assert_string_equal(out, "");
    textchart_sparkline(out, 4, ramp, 8, 8, UI_GLYPHS_ASCII);
    assert_string_equal(out, "_.-");
    /* rowlen 0: not even the NUL is written. */
    memset(out, 'x', 2);
    textchart_sparkline(out, 0, ramp, 8, 8, UI_GLYPHS_ASCII);
    assert_int_equal(out[0], 'x');
    textchart_sparkline(NULL, 0, ramp, 8, 8, UI_GLYPHS_ASCII);
}

static void test_bar(void **state)
{
    char out[ROWLEN];

    (void)state;
    textchart_bar(out, sizeof out, 0.5, 1, 10, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B8 B8 B8 B8 B8 "     ");
    textchart_bar(out, sizeof out, 5, 10, 10, UI_GLYPHS_ASCII);
    assert_string_equal(out, "#####     ");
    /* 0.3 of 2 columns is 4.8 eighths -> 5: a left five-eighths block. */
    textchart_bar(out, sizeof out, 0.3, 1, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(out, LEFT5 " ");
    /* Over the maximum is full; negative, NaN, Inf or max <= 0 are empty. */
    textchart_bar(out, sizeof out, 3, 1, 3, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B8 B8 B8);
    textchart_bar(out, sizeof out, -1, 1, 3, UI_GLYPHS_UNICODE);
    assert_string_equal(out, "   ");
    textchart_bar(out, sizeof out, NAN, 1, 3, UI_GLYPHS_ASCII);
    assert_string_equal(out, "   ");
    textchart_bar(out, sizeof out, INFINITY, 1, 3, UI_GLYPHS_ASCII);
    assert_string_equal(out, "   ");
    textchart_bar(out, sizeof out, 1, 0, 3, UI_GLYPHS_ASCII);
    assert_string_equal(out, "   ");
    textchart_bar(out, sizeof out, 1, NAN, 3, UI_GLYPHS_ASCII);
    assert_string_equal(out, "   ");
    textchart_bar(out, sizeof out, 1, 1, 0, UI_GLYPHS_ASCII);
    assert_string_equal(out, "");
    textchart_bar(out, 4, 1, 1, 10, UI_GLYPHS_UNICODE);
    assert_string_equal(out, B8);
}

/*
 * 2 x 2 cells = 4 x 8 dots, values 1, 2, 3, 4 on the data's scale 1..4:
 * dot row from the bottom round((v - 1) / 3 * 7) = 0, 2, 5, 7, so from the
 * top 7, 5, 2, 0.  Each column also reaches down to one dot above the
 * previous one: x0 row 7, x1 rows 5-6, x2 rows 2-4, x3 rows 0-1.
 *   cell (0,0) rows 0-3, x0 x1: nothing               -> ' '
 *   cell (0,1) x2 rows 2,3 -> 0x04 0x40; x3 rows 0,1 -> 0x08 0x10 = 0x5C
 *   cell (1,0) x0 row 7 -> 0x40; x1 rows 5,6 -> 0x10 0x20 = 0x70
 *   cell (1,1) x2 row 4 -> 0x01                      = 0x01
 */
static void test_line_braille(void **state)
{
    static const double rise[] = {1, 2, 3, 4};
    static const double cross[] = {-3, 3};
    static const double flat[] = {2, 2, 2};
    struct rows r;
    char **rows = rows_init(&r);
    double lo = 0, hi = 0;

    (void)state;
    textchart_line(rows, ROWLEN, 2, 2, rise, 4, NAN, NAN, -1, UI_GLYPHS_UNICODE, &lo, &hi);
    assert_string_equal(rows[0], " " BR_5C);
    assert_string_equal(rows[1], BR_70 BR_01);
    assert_true(lo == 1 && hi == 4);

    /* 1 x 1 cell, -3 then 3: x0 bottom row 3 (0x40), x1 row 0 down to 2
     * (0x08 0x10 0x20); zero mid-way, round(0.5 * 3) = 2 from the bottom,
     * row 1: its dashed dot is the left one (0x02).  0x7A in all. */
    textchart_line(rows, ROWLEN, 1, 1, cross, 2, NAN, NAN, -1, UI_GLYPHS_UNICODE, NULL, NULL);
    assert_string_equal(rows[0], BR_7A);
    /* A marker at index 0 (dot column 0) adds rows 0 and 2 there: 0x05. */
    textchart_line(rows, ROWLEN, 1, 1, cross, 2, NAN, NAN, 0, UI_GLYPHS_UNICODE, NULL, NULL);
    assert_string_equal(rows[0], BR_7F);

    /* Constant: the middle, dot row 1 of 4 (round(1.5) = 2 from the bottom),
     * in both columns of every cell: 0x02 | 0x10. */
    textchart_line(rows, ROWLEN, 1, 3, flat, 3, NAN, NAN, -1, UI_GLYPHS_UNICODE, &lo, &hi);
    assert_string_equal(rows[0], BR_12 BR_12 BR_12);
    assert_true(lo == 2 && hi == 2);
}

/*
 * 3 x 4, values -1, 0, 1, 0 on -1..1: rows from the top 2, 1, 0, 1; zero
 * on row 1; marker at index 2 is column 2.  Data beats both; '+' where the
 * zero line and the marker cross.
 */
static void test_line_ascii(void **state)
{
    static const double wave[] = {-1, 0, 1, 0};
    struct rows r;
    char **rows = rows_init(&r);
    double lo = 0, hi = 0;

    (void)state;
    textchart_line(rows, ROWLEN, 3, 4, wave, 4, NAN, NAN, 2, UI_GLYPHS_ASCII, &lo, &hi);
    assert_string_equal(rows[0], "  * ");
    assert_string_equal(rows[1], "-*+*");
    assert_string_equal(rows[2], "* | ");
    assert_true(lo == -1 && hi == 1);

    /* A fixed scale 0..10 (given reversed): the values sit low, the zero
     * line is the bottom row.  0 -> row 3, 5 -> round(1.5) = 2 -> row 1. */
    textchart_line(rows, ROWLEN, 4, 2, (const double[]){0, 5}, 2, 10, 0, -1, UI_GLYPHS_ASCII,
                  &lo, &hi);
    assert_string_equal(rows[0], "  ");
    assert_string_equal(rows[1], " *");
    assert_string_equal(rows[2], " *");
    assert_string_equal(rows[3], "*-");
    assert_true(lo == 0 && hi == 10);

    /* Falling, 4 then 0 over 3 rows: rows 0 and 2; column 1 reaches up to
     * row 1 to meet row 0, so the line has no hole. */
    textchart_line(rows, ROWLEN, 3, 2, (const double[]){4, 0}, 2, NAN, NAN, -1,
                  UI_GLYPHS_ASCII, NULL, NULL);
    assert_string_equal(rows[0], "* ");
    assert_string_equal(rows[1], " *");
    assert_string_equal(rows[2], "-*");
}

/* 100 zeros with one spike at 37, 4 columns of 25: the envelope keeps it
 * (a mean of 0.4 would not reach the top row). */
static void test_line_envelope(void **state)
{
    double v[100] = {0};
    struct rows r;
    char **rows = rows_init(&r);

    (void)state;
    v[37] = 10;
    textchart_line(rows, ROWLEN, 2, 4, v, 100, NAN, NAN, -1, UI_GLYPHS_ASCII, NULL, NULL);
    assert_string_equal(rows[0], " *  ");
    assert_string_equal(rows[1], "****");
    /* All NaN on a given scale 1..2 (no zero line): only the marker.
     * Index 49 is in column 1 ([25, 50)), 50 in column 2. */
    for (int i = 0; i < 100; i++)
        v[i] = NAN;
    textchart_line(rows, ROWLEN, 2, 4, v, 100, 1, 2, 49, UI_GLYPHS_ASCII, NULL, NULL);
    assert_string_equal(rows[0], " |  ");
    textchart_line(rows, ROWLEN, 2, 4, v, 100, 1, 2, 50, UI_GLYPHS_ASCII, NULL, NULL);
    assert_string_equal(rows[1], "  | ");
}

static void test_line_degenerate(void **state)
{
    static const double nans[] = {NAN, INFINITY, -INFINITY};
    static const double one[] = {7};
    struct rows r;
    char **rows = rows_init(&r);
    double lo = 0, hi = 0;

    (void)state;
    /* No data, no scale: blank rows, NaN bounds, no zero line. */
    textchart_line(rows, ROWLEN, 2, 3, NULL, 0, NAN, NAN, 0, UI_GLYPHS_UNICODE, &lo, &hi);
    assert_string_equal(rows[0], "   ");
    assert_string_equal(rows[1], "   ");
    assert_true(isnan(lo) && isnan(hi));
    textchart_line(rows, ROWLEN, 1, 3, nans, 3, NAN, NAN, -1, UI_GLYPHS_ASCII, &lo, &hi);
    assert_string_equal(rows[0], "   ");
    assert_true(isnan(lo) && isnan(hi));
    /* +-Inf bounds are not a scale either: the data's is used. */
    textchart_line(rows, ROWLEN, 1, 2, one, 1, -INFINITY, INFINITY, -1, UI_GLYPHS_ASCII, &lo,
                  &hi);
    assert_string_equal(rows[0], "**");
    assert_true(lo == 7 && hi == 7);
    /* Width 0: empty rows; width 1, height 1. */
    textchart_line(rows, ROWLEN, 1, 0, one, 1, NAN, NAN, 0, UI_GLYPHS_UNICODE, NULL, NULL);
    assert_string_equal(rows[0], "");
    textchart_line(rows, ROWLEN, 1, 1, one, 1, NAN, NAN, 0, UI_GLYPHS_ASCII, NULL, NULL);
    assert_string_equal(rows[0], "*");
    /* Height 0 or NULL rows: nothing written, the scale still returned. */
    memset(r.buf[0], 'x', 4);
    textchart_line(rows, ROWLEN, 0, 3, one, 1, NAN, NAN, -1, UI_GLYPHS_ASCII, &lo, &hi);
    assert_int_equal(rows[0][0], 'x');
    textchart_line(NULL, ROWLEN, 3, 3, one, 1, 0, NAN, -1, UI_GLYPHS_ASCII, &lo, &hi);
    assert_true(lo == 0 && hi == 7);
    /* Marker out of range is ignored. */
    textchart_line(rows, ROWLEN, 1, 2, nans, 3, 1, 2, 3, UI_GLYPHS_ASCII, NULL, NULL);
    assert_string_equal(rows[0], "  ");
}

static void test_histogram(void **state)
{
    static const size_t rising[] = {1, 2, 3, 4};
    static const size_t two[] = {4, 1};
    static const size_t small[] = {100, 1};
    static const size_t four[] = {1, 3, 8, 0};
    struct rows r;
    char **rows = rows_init(&r);

    (void)state;
    /* Tallest = 8 eighths: round(c / 4 * 8) = 2, 4, 6, 8. */
    textchart_histogram(rows, ROWLEN, 1, 4, rising, 4, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], B2 B4 B6 B8);
    /* Two rows = 16 eighths: 16 and 4. */
    textchart_histogram(rows, ROWLEN, 2, 2, two, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], B8 " ");
    assert_string_equal(rows[1], B8 B4);
    /* ASCII: round(c / 4 * 2) = 2 and 1 rows. */
    textchart_histogram(rows, ROWLEN, 2, 2, two, 2, UI_GLYPHS_ASCII);
    assert_string_equal(rows[0], "# ");
    assert_string_equal(rows[1], "##");
    /* 1 of 100 rounds to 0 eighths but is shown as one. */
    textchart_histogram(rows, ROWLEN, 1, 2, small, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], B8 B1);
    /* Bucketed by mean: 2 and 4 -> 4 and 8 eighths. */
    textchart_histogram(rows, ROWLEN, 1, 2, four, 4, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], B4 B8);
    /* Stretched: each bin over two columns. */
    textchart_histogram(rows, ROWLEN, 1, 4, two, 2, UI_GLYPHS_ASCII);
    assert_string_equal(rows[0], "####");
    /* Nothing to count: blank. */
    textchart_histogram(rows, ROWLEN, 1, 3, (const size_t[]){0, 0}, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], "   ");
    textchart_histogram(rows, ROWLEN, 1, 3, NULL, 0, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], "   ");
    textchart_histogram(rows, ROWLEN, 1, 0, two, 2, UI_GLYPHS_UNICODE);
    assert_string_equal(rows[0], "");
}

/* Code points in s when s is well-formed UTF-8 of 1-3 byte sequences (all
 * this module writes); -1 otherwise. */
static long utf8_count(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    long n = 0;

    while (*p) {
        int k = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : -1;

        if (k < 0)
            return -1;
        for (p++; k > 0; k--, p++) {
            if ((*p & 0xC0) != 0x80)
                return -1;
        }
        n++;
    }
    return n;
}

static int printable_ascii(const char *s)
{
    for (; *s; s++) {
        if (*s < 0x20 || *s > 0x7E)
            return 0;
    }
    return 1;
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static unsigned rng_below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) >> 33) % n;
}

#define FUZZ_N 300
#define GUARD 16

/* Renders chart `kind` into `height` rows of `rowlen` bytes. */
static void render(int kind, char **rows, size_t rowlen, int height, int width,
                   const double *v, const size_t *counts, size_t n, enum ui_glyphs g)
{
    switch (kind) {
    case 0:
        textchart_sparkline(rows[0], rowlen, v, n, width, g);
        break;
    case 1:
        textchart_bar(rows[0], rowlen, v[0], v[1], width, g);
        break;
    case 2:
        textchart_line(rows, rowlen, height, width, v, n, NAN, NAN, (long)n / 2 - 1, g, NULL,
                      NULL);
        break;
    default:
        textchart_histogram(rows, rowlen, height, width, counts, n, g);
        break;
    }
}

/*
 * Random series (with NaN and +-Inf), widths 0..40, heights 1..6, in both
 * glyph sets: with room, every row is exactly `width` code points of valid
 * UTF-8 (printable ASCII in ASCII mode); with a tiny rowlen, every row is a
 * valid prefix of the full row and nothing is written past rowlen.
 */
static void test_invariants(void **state)
{
    static char full[MAX_ROWS][ROWLEN], small[MAX_ROWS][64 + GUARD];
    char *fp[MAX_ROWS], *sp[MAX_ROWS];
    uint64_t seed = 42;
    double v[FUZZ_N];
    size_t counts[FUZZ_N];
    int round, i;

    (void)state;
    for (i = 0; i < MAX_ROWS; i++) {
        fp[i] = full[i];
        sp[i] = small[i];
    }
    for (round = 0; round < 2000; round++) {
        int kind = round % 4, width = (int)rng_below(&seed, 41);
        int height = kind < 2 ? 1 : 1 + (int)rng_below(&seed, 6);
        size_t n = rng_below(&seed, 4) == 0 ? rng_below(&seed, 3) : rng_below(&seed, FUZZ_N);
        size_t rowlen = rng_below(&seed, 20);
        enum ui_glyphs g = (round / 4) % 2 ? UI_GLYPHS_ASCII : UI_GLYPHS_UNICODE;

        for (i = 0; i < FUZZ_N; i++) {
            unsigned k = rng_below(&seed, 20);

            v[i] = k == 0 ? NAN : k == 1 ? INFINITY : k == 2 ? -INFINITY
                 : ((double)rng_below(&seed, 2001) - 1000) * (k == 3 ? 1e300 : 0.01);
            counts[i] = rng_below(&seed, 4) ? rng_below(&seed, 1000) : 0;
        }
        if (kind == 1 && n < 2)
            n = 2;
        memset(full, 0x5A, sizeof full);
        memset(small, 0x5A, sizeof small);
        render(kind, fp, ROWLEN, height, width, v, counts, n, g);
        render(kind, sp, rowlen, height, width, v, counts, n, g);
        for (i = 0; i < height; i++) {
            size_t b;

            if (utf8_count(full[i]) != width)
                fail_msg("round %d kind %d row %d: %ld code points, want %d: '%s'", round,
                         kind, i, utf8_count(full[i]), width, full[i]);
            if (g == UI_GLYPHS_ASCII)
                assert_true(printable_ascii(full[i]));
            for (b = rowlen; b < rowlen + GUARD; b++)
                assert_int_equal((unsigned char)small[i][b], 0x5A);
            if (rowlen == 0)
                continue;
            assert_true(strlen(small[i]) < rowlen);
            assert_true(utf8_count(small[i]) >= 0);
            assert_memory_equal(small[i], full[i], strlen(small[i]));
            /* Truncated only when the next glyph would not fit. */
            if (strlen(small[i]) < strlen(full[i])) {
                size_t next = strlen(small[i]) + 1;

                while (((unsigned char)full[i][next] & 0xC0) == 0x80)
                    next++;
                assert_true(next + 1 > rowlen);
            }
        }
    }
}

/* Huge widths into small buffers end at the buffer, quickly. */
static void test_huge_width(void **state)
{
    static const double v[] = {1, 2, 3};
    static const size_t c[] = {1, 2, 3};
    char out[32];
    char *rows[1] = {out};

    (void)state;
    textchart_sparkline(out, sizeof out, v, 3, 1 << 30, UI_GLYPHS_UNICODE);
    assert_int_equal(utf8_count(out), 10);
    textchart_bar(out, sizeof out, 1, 2, 1 << 30, UI_GLYPHS_UNICODE);
    assert_int_equal(utf8_count(out), 10);
    textchart_line(rows, sizeof out, 1, 1 << 30, v, 3, NAN, NAN, 1, UI_GLYPHS_UNICODE, NULL,
                  NULL);
    assert_true(utf8_count(out) > 0 && strlen(out) < sizeof out);
    textchart_histogram(rows, sizeof out, 1, 1 << 30, c, 3, UI_GLYPHS_ASCII);
    assert_int_equal(utf8_count(out), 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sparkline),
        cmocka_unit_test(test_sparkline_degenerate),
        cmocka_unit_test(test_bar),
        cmocka_unit_test(test_line_braille),
        cmocka_unit_test(test_line_ascii),
        cmocka_unit_test(test_line_envelope),
        cmocka_unit_test(test_line_degenerate),
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_huge_width),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
