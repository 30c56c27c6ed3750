/* textchart.c: sparklines, bars, line charts and histograms as rows of text. */
#include "verdict/textchart.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/*
 * Glyphs are written as UTF-8 bytes here, with no locale and no curses, so
 * a row is the same for the TUI and a printed report.  Every glyph is one
 * display column.  Rows are filled glyph by glyph: a glyph that does not fit
 * (with its NUL) in the caller's buffer ends the row, so a short buffer gets
 * a prefix of the full row, never half a UTF-8 sequence.
 *
 * Resampling n values to X columns (X = width, or 2 * width braille dots):
 *   n >= X  column x covers values [floor(x n / X), floor((x + 1) n / X))
 *           (average for sparklines and histograms, min..max envelope for
 *           line charts, so a one-sample spike still shows);
 *   n <  X  sparklines and histograms repeat value floor(x n / X); line
 *           charts interpolate at t = x (n - 1) / (X - 1), so a short series
 *           still draws a line, not a staircase.
 * Non-finite values (NaN, +-Inf) are gaps: a column with no finite value is
 * blank.
 */

#define CHART_BLOCK_1 0x2581UL   /* lower one eighth block; + k - 1 for k eighths */
#define CHART_LEFT_8 0x2590UL    /* minus k: left k eighths block (U+258F..U+2589) */
#define CHART_FULL 0x2588UL      /* full block */
#define CHART_BRAILLE 0x2800UL   /* blank braille cell; + dot bits */

static const char chart_ascii_ramp[] = "_.-~=^*#";   /* no blank: a blank is a gap */

/*
 * Braille: a cell is 2 dots wide and 4 high, U+2800 plus one bit per dot.
 * The numbering is historical (six-dot braille first, dots 7 and 8 added
 * under it), so the bits are not in row order:
 *
 *          left  right
 *   row 0  1 01   4 08
 *   row 1  2 02   5 10
 *   row 2  3 04   6 20
 *   row 3  7 40   8 80       (dot number, then its bit in hex)
 *
 * Example: a dot top left and one bottom right, bits 0x01 | 0x80, is U+2881.
 */
static const unsigned char chart_dot_bits[2][4] = {
    {0x01, 0x02, 0x04, 0x40},
    {0x08, 0x10, 0x20, 0x80},
};

/* A caller's row buffer being filled. */
struct chart_row {
    char *buf;
    size_t cap;     /* bytes, with the NUL */
    size_t len;     /* bytes written */
    int full;       /* a glyph did not fit: write nothing more */
};

static void chart_row_begin(struct chart_row *r, char *buf, size_t cap)
{
    r->buf = buf;
    r->cap = buf ? cap : 0;
    r->len = 0;
    r->full = r->cap == 0;
    if (r->cap > 0)
        buf[0] = '\0';
}

/* Appends one glyph of k bytes whole, or marks the row full. */
static int chart_put(struct chart_row *r, const char *s, size_t k)
{
    if (r->full || k >= r->cap - r->len) {
        r->full = 1;
        return 0;
    }
    memcpy(r->buf + r->len, s, k);
    r->len += k;
    r->buf[r->len] = '\0';
    return 1;
}

/* Appends code point cp (below U+10000) as UTF-8. */
static int chart_put_cp(struct chart_row *r, unsigned long cp)
{
    char b[3];

    if (cp < 0x80) {
        b[0] = (char)cp;
        return chart_put(r, b, 1);
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return chart_put(r, b, 2);
    }
    b[0] = (char)(0xE0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    return chart_put(r, b, 3);
}

static int chart_put_char(struct chart_row *r, char c)
{
    return chart_put(r, &c, 1);
}

/* Pads with spaces to `cols` glyphs, given `done` written so far. */
static void chart_pad(struct chart_row *r, size_t done, size_t cols)
{
    while (done < cols && chart_put_char(r, ' '))
        done++;
}

/* floor(a * b / c) for a <= c, c > 0, without overflowing a * b. */
static size_t chart_muldiv(size_t a, size_t b, size_t c)
{
    size_t q = b / c, rem = b % c;

    if (rem != 0 && a > SIZE_MAX / rem)
        return a * q + (size_t)((long double)a * rem / c);
    return a * q + a * rem / c;
}

/* First value of column x of cols; the column ends where x + 1 starts. */
static size_t chart_bucket(size_t x, size_t n, size_t cols)
{
    size_t i = chart_muldiv(x, n, cols);

    return i < n ? i : n - 1;
}

/* One past the last value of column x of cols (n >= cols: never empty). */
static size_t chart_bucket_end(size_t x, size_t n, size_t cols)
{
    size_t e = chart_muldiv(x + 1, n, cols);

    return e < n ? e : n;
}

/* (v - lo) / (hi - lo) clamped to [0, 1], without overflow; 0.5 if hi <= lo. */
static double chart_norm(double v, double lo, double hi)
{
    double d = hi / 2 - lo / 2;
    double t;

    if (!(d > 0))
        return 0.5;
    t = (v / 2 - lo / 2) / d;
    if (!(t > 0))
        return 0;
    return t < 1 ? t : 1;
}

/* Range of the finite values; 0 when there are none. */
static int chart_range(const double *v, size_t n, double *lo, double *hi)
{
    size_t i;
    int found = 0;

    for (i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (!found || v[i] < *lo)
            *lo = v[i];
        if (!found || v[i] > *hi)
            *hi = v[i];
        found = 1;
    }
    return found;
}

/* Mean of the finite values in v[s..e) (summed as v/k: cannot overflow). */
static int chart_mean(const double *v, size_t s, size_t e, double *mean)
{
    size_t i, k = 0;
    double sum = 0;

    for (i = s; i < e; i++)
        k += isfinite(v[i]) != 0;
    if (k == 0)
        return 0;
    for (i = s; i < e; i++) {
        if (isfinite(v[i]))
            sum += v[i] / (double)k;
    }
    *mean = sum;
    return 1;
}

void textchart_sparkline(char *out, size_t outlen, const double *v, size_t n, int width,
                  enum ui_glyphs g)
{
    struct chart_row r;
    size_t cols, x;
    double lo = 0, hi = 0;
    int any;

    chart_row_begin(&r, out, outlen);
    if (width <= 0)
        return;
    cols = (size_t)width;
    any = v && n > 0 && chart_range(v, n, &lo, &hi);
    for (x = 0; x < cols && !r.full; x++) {
        size_t s, e, level;
        double a;

        if (!any) {
            chart_put_char(&r, ' ');
            continue;
        }
        s = chart_bucket(x, n, cols);
        e = n >= cols ? chart_bucket_end(x, n, cols) : s + 1;
        if (!chart_mean(v, s, e, &a)) {
            chart_put_char(&r, ' ');
            continue;
        }
        /* Eight equal bins from lo to hi; a constant series sits at 4/8. */
        level = hi > lo ? (size_t)(chart_norm(a, lo, hi) * 8) : 3;
        if (level > 7)
            level = 7;
        if (g == UI_GLYPHS_ASCII)
            chart_put_char(&r, chart_ascii_ramp[level]);
        else
            chart_put_cp(&r, CHART_BLOCK_1 + level);
    }
    chart_pad(&r, x, cols);
}

void textchart_bar(char *out, size_t outlen, double value, double max, int width, enum ui_glyphs g)
{
    struct chart_row r;
    size_t cols, x, units, per = g == UI_GLYPHS_ASCII ? 1 : 8;
    double f = 0;

    chart_row_begin(&r, out, outlen);
    if (width <= 0)
        return;
    cols = (size_t)width;
    if (isfinite(value) && isfinite(max) && max > 0 && value > 0)
        f = value / max < 1 ? value / max : 1;
    /* Rounded to the nearest eighth (or whole column in ASCII). */
    units = (size_t)floor(f * (double)cols * (double)per + 0.5);
    if (units > cols * per)
        units = cols * per;
    for (x = 0; x < cols && !r.full; x++) {
        size_t k = units >= per * (x + 1) ? per : units > per * x ? units - per * x : 0;

        if (k == 0)
            chart_put_char(&r, ' ');
        else if (g == UI_GLYPHS_ASCII)
            chart_put_char(&r, '#');
        else if (k == 8)
            chart_put_cp(&r, CHART_FULL);
        else
            chart_put_cp(&r, CHART_LEFT_8 - k);
    }
    chart_pad(&r, x, cols);
}

/* A line chart's data and its dot grid: xs dot columns, ys dot rows. */
struct chart_line {
    const double *v;
    size_t n, xs, ys;
    double lo, hi;
};

/* The finite values dot column x stands for: lowest, highest and last (to
 * join the next column).  0 for a gap. */
static int chart_line_sample(const struct chart_line *L, size_t x, double *lo, double *hi,
                             double *last)
{
    double a, b, t, f;
    size_t i;

    if (L->n > L->xs) {
        size_t s = chart_bucket(x, L->n, L->xs);
        size_t e = chart_bucket_end(x, L->n, L->xs);
        int found = 0;

        for (i = s; i < e; i++) {
            if (!isfinite(L->v[i]))
                continue;
            if (!found || L->v[i] < *lo)
                *lo = L->v[i];
            if (!found || L->v[i] > *hi)
                *hi = L->v[i];
            *last = L->v[i];
            found = 1;
        }
        return found;
    }
    if (L->n == 1 || L->xs == 1) {
        a = L->v[0];
    } else {
        t = (double)x * (double)(L->n - 1) / (double)(L->xs - 1);
        i = (size_t)t;
        if (i > L->n - 1)
            i = L->n - 1;
        f = t - (double)i;
        a = L->v[i];
        if (f > 0 && i + 1 < L->n) {
            b = L->v[i + 1];
            if (isfinite(a) && isfinite(b))
                a = a * (1 - f) + b * f;
            else if (f >= 0.5)
                a = b;      /* next to a gap: the nearer sample, if any */
        }
    }
    if (!isfinite(a))
        return 0;
    *lo = *hi = *last = a;
    return 1;
}

/* Dot row of a value, 0 at the top; a flat scale puts everything mid-way. */
static size_t chart_line_row(const struct chart_line *L, double v)
{
    double t = L->hi > L->lo ? chart_norm(v, L->lo, L->hi) : 0.5;
    size_t y = (size_t)floor(t * (double)(L->ys - 1) + 0.5);

    if (y > L->ys - 1)
        y = L->ys - 1;
    return L->ys - 1 - y;
}

/* Dot rows [*top, *bot] lit in column x: its own values, stretched to meet
 * the previous column's last value so the line has no breaks.  0: a gap. */
static int chart_line_span(const struct chart_line *L, size_t x, size_t *top, size_t *bot)
{
    double lo = 0, hi = 0, last = 0;
    size_t py;

    if (!chart_line_sample(L, x, &lo, &hi, &last))
        return 0;
    *top = chart_line_row(L, hi);
    *bot = chart_line_row(L, lo);
    if (x > 0 && chart_line_sample(L, x - 1, &lo, &hi, &last)) {
        py = chart_line_row(L, last);
        if (py + 1 < *top)
            *top = py + 1;
        else if (py > *bot + 1)
            *bot = py - 1;
    }
    return 1;
}

/* Dot column of value index i (where that sample is drawn). */
static size_t chart_line_column(const struct chart_line *L, size_t i)
{
    size_t x;

    if (L->n > L->xs) {
        x = chart_muldiv(i, L->xs, L->n);
        while (x + 1 < L->xs && chart_bucket(x + 1, L->n, L->xs) <= i)
            x++;
        return x;
    }
    if (L->n == 1)
        return 0;
    x = (size_t)floor((double)i * (double)(L->xs - 1) / (double)(L->n - 1) + 0.5);
    return x < L->xs ? x : L->xs - 1;
}

/*
 * The zero line and the marker must not be mistaken for data: in braille
 * the zero line lights only the left dot of each cell (dashed) and the
 * marker every other dot down its column (dotted); in ASCII they are '-'
 * and '|' ('+' where they cross), and data ('*') is drawn over both.
 */
void textchart_line(char **rows, size_t rowlen, int height, int width, const double *v,
                   size_t n, double lo, double hi, long mark_x, enum ui_glyphs g,
                   double *lo_out, double *hi_out)
{
    struct chart_line L;
    int ascii = g == UI_GLYPHS_ASCII;
    size_t per_x = ascii ? 1 : 2, per_y = ascii ? 1 : 4;
    size_t cols, nrows, r, c, zero_y = 0, mark = 0;
    double dlo = NAN, dhi = NAN;
    int scaled, has_zero, has_mark;

    if (!v)
        n = 0;
    if (n > 0)
        chart_range(v, n, &dlo, &dhi);
    if (!isfinite(lo))
        lo = dlo;
    if (!isfinite(hi))
        hi = dhi;
    scaled = isfinite(lo) && isfinite(hi);
    if (!scaled) {
        lo = NAN;
        hi = NAN;
    } else if (lo > hi) {
        double t = lo;

        lo = hi;
        hi = t;
    }
    if (lo_out)
        *lo_out = lo;
    if (hi_out)
        *hi_out = hi;
    if (!rows || height <= 0)
        return;
    nrows = (size_t)height;
    cols = width > 0 ? (size_t)width : 0;

    L.v = v;
    L.n = scaled ? n : 0;
    L.xs = cols * per_x;
    L.ys = nrows * per_y;
    L.lo = lo;
    L.hi = hi;
    has_zero = scaled && lo <= 0 && 0 <= hi;
    if (has_zero)
        zero_y = chart_line_row(&L, 0);
    has_mark = mark_x >= 0 && (unsigned long)mark_x < n && cols > 0;
    if (has_mark) {
        struct chart_line M = L;

        M.n = n;
        mark = chart_line_column(&M, (size_t)mark_x);
    }

    for (r = 0; r < nrows; r++) {
        struct chart_row out;

        chart_row_begin(&out, rows[r], rowlen);
        for (c = 0; c < cols && !out.full; c++) {
            size_t top, bot, s, k;
            unsigned bits = 0;

            if (ascii) {
                int data = L.n > 0 && chart_line_span(&L, c, &top, &bot) && top <= r &&
                           r <= bot;
                int z = has_zero && zero_y == r, m = has_mark && mark == c;

                chart_put_char(&out, data ? '*' : z && m ? '+' : z ? '-' : m ? '|' : ' ');
                continue;
            }
            for (s = 0; s < 2 && L.n > 0; s++) {
                if (!chart_line_span(&L, 2 * c + s, &top, &bot))
                    continue;
                for (k = 0; k < 4; k++) {
                    if (top <= 4 * r + k && 4 * r + k <= bot)
                        bits |= chart_dot_bits[s][k];
                }
            }
            if (has_zero && zero_y / 4 == r)
                bits |= chart_dot_bits[0][zero_y % 4];
            if (has_mark && mark / 2 == c)
                bits |= chart_dot_bits[mark % 2][0] | chart_dot_bits[mark % 2][2];
            if (bits)
                chart_put_cp(&out, CHART_BRAILLE + bits);
            else
                chart_put_char(&out, ' ');
        }
        chart_pad(&out, c, cols);
    }
}

/* Column x's height as a share of the scale: counts averaged per column,
 * since columns cover unequal numbers of bins when n is not a multiple. */
static double chart_hist_column(const size_t *counts, size_t n, size_t cols, size_t x)
{
    size_t s = chart_bucket(x, n, cols), e, i;
    double sum = 0;

    if (n < cols)
        return (double)counts[s];
    e = chart_bucket_end(x, n, cols);
    for (i = s; i < e; i++)
        sum += (double)counts[i];
    return sum / (double)(e - s);
}

void textchart_histogram(char **rows, size_t rowlen, int height, int width, const size_t *counts,
                  size_t n, enum ui_glyphs g)
{
    size_t per = g == UI_GLYPHS_ASCII ? 1 : 8;
    size_t cols, nrows, r, x;
    double top = 0;

    if (!rows || height <= 0)
        return;
    nrows = (size_t)height;
    cols = width > 0 ? (size_t)width : 0;
    if (!counts)
        n = 0;
    /* The tallest column is the scale: stretched, every bin has a column. */
    for (x = 0; x < (n < cols ? n : cols); x++) {
        double h = n < cols ? (double)counts[x] : chart_hist_column(counts, n, cols, x);

        if (h > top)
            top = h;
    }

    for (r = 0; r < nrows; r++) {
        struct chart_row out;
        size_t base = (nrows - 1 - r) * per;   /* units below this row */

        chart_row_begin(&out, rows[r], rowlen);
        for (x = 0; x < cols && !out.full; x++) {
            double h = top > 0 ? chart_hist_column(counts, n, cols, x) : 0;
            size_t units = (size_t)floor(h / (top > 0 ? top : 1) * (double)(nrows * per) + 0.5);
            size_t k;

            if (h > 0 && units == 0)
                units = 1;      /* a bin that is not empty always shows */
            k = units > base ? units - base : 0;
            if (k > per)
                k = per;
            if (k == 0)
                chart_put_char(&out, ' ');
            else if (per == 1)
                chart_put_char(&out, '#');
            else
                chart_put_cp(&out, CHART_BLOCK_1 + k - 1);
        }
        chart_pad(&out, x, cols);
    }
}
