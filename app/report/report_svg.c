/* report_svg.c: inline SVG charts and HTML escaping for the HTML report. */
#include "report_svg.h"

#include <math.h>
#include <string.h>

#include "verdict/cost.h"
#include "verdict/format.h"
#include "verdict/util.h"

/* Chart geometry, in SVG user units (the viewBox; CSS scales it). */
#define SVG_W 640.0
#define SVG_H 180.0
#define SVG_L 70.0     /* left margin: axis labels */
#define SVG_R 10.0
#define SVG_T 22.0     /* top: the title */
#define SVG_B 24.0

void report_svg_esc(FILE *f, const char *s)
{
    while (s != NULL && *s != '\0') {
        unsigned char ch = (unsigned char)*s;
        unsigned long cp;
        size_t n;

        if (ch < 0x20 || ch == 0x7f) {
            s++;
            continue;
        }
        if (ch >= 0x80) {
            n = util_utf8_len(s, &cp);
            if (n > 0 && util_invisible(cp)) {
                char e[UTIL_ESCAPE_SIZE];

                /* the visible escape, itself escaped: never the character,
                 * which an entity would only put back in the document */
                util_escape(e, cp);
                report_svg_esc(f, e);
            } else if (n > 0 && cp >= 0xa0) {
                fwrite(s, 1, n, f);
            }
            s += n > 0 ? n : 1;
            continue;
        }
        switch (ch) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(ch, f);
            break;
        }
        s++;
    }
}

static void money_short(FILE *f, const char *cur, double v)
{
    char buf[64];

    report_svg_esc(f, fmt_money_short(buf, sizeof(buf), cur, v));
}

static void label(char *buf, size_t len, double v, char *(*fmt)(char *, size_t, double))
{
    if (fmt != NULL)
        fmt(buf, len, v);
    else
        snprintf(buf, len, "%.3g", v);
}

static void open_svg(FILE *f, const char *title)
{
    fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "><title>", SVG_W, SVG_H);
    report_svg_esc(f, title);
    fprintf(f, "</title>\n<text x=\"%.0f\" y=\"14\" class=\"t\">", SVG_L);
    report_svg_esc(f, title);
    fprintf(f, "</text>\n");
}

/* A frame with the top and bottom values written on the left. */
static void frame(FILE *f, const char *top, const char *bottom)
{
    fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" class=\"fr\"/>\n",
            SVG_L, SVG_T, SVG_W - SVG_L - SVG_R, SVG_H - SVG_T - SVG_B);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">", SVG_L - 4,
            SVG_T + 8);
    report_svg_esc(f, top);
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">",
            SVG_L - 4, SVG_H - SVG_B);
    report_svg_esc(f, bottom);
    fprintf(f, "</text>\n");
}

static double sx(double i, double n)
{
    return SVG_L + (n > 1 ? i / (n - 1) : 0.5) * (SVG_W - SVG_L - SVG_R);
}

static double sy(double v, double lo, double hi)
{
    double h = SVG_H - SVG_T - SVG_B;

    return SVG_T + h - (hi > lo ? (v - lo) / (hi - lo) : 0.5) * h;
}

static void empty_note(FILE *f, const char *title)
{
    fprintf(f, "<p class=\"note\">");
    report_svg_esc(f, title);
    fprintf(f, ": no data.</p>\n");
}

#define SVG_MAX_POINTS 160

/* Merge groups of g buckets of c into at most SVG_MAX_POINTS points: min of
 * the minima, max of the maxima, mean of the means; NaN where all are. */
static size_t series_merge(const struct chart *c, double *lo, double *hi, double *mean)
{
    size_t g = (c->n + SVG_MAX_POINTS - 1) / SVG_MAX_POINTS, i, k, n = 0;

    for (i = 0; i < c->n; i += g, n++) {
        double a = INFINITY, b = -INFINITY, sum = 0;
        size_t used = 0;

        for (k = i; k < i + g && k < c->n; k++) {
            if (!isfinite(c->mean[k]))
                continue;
            a = fmin(a, c->min[k]);
            b = fmax(b, c->max[k]);
            sum += c->mean[k];
            used++;
        }
        lo[n] = used ? a : NAN;
        hi[n] = used ? b : NAN;
        mean[n] = used ? sum / (double)used : NAN;
    }
    return n;
}

void report_svg_series(FILE *f, const char *title, const struct chart *c,
                       char *(*fmt)(char *, size_t, double))
{
    double mn[SVG_MAX_POINTS], mx[SVG_MAX_POINTS], me[SVG_MAX_POINTS];
    double lo = INFINITY, hi = -INFINITY, n;
    char top[48], bottom[48];
    size_t i, j, k, m = 0;

    if (c != NULL && c->n > 0 && c->mean != NULL)
        m = series_merge(c, mn, mx, me);
    for (i = 0; i < m; i++) {
        if (isfinite(mn[i]) && mn[i] < lo)
            lo = mn[i];
        if (isfinite(mx[i]) && mx[i] > hi)
            hi = mx[i];
    }
    if (m == 0 || !isfinite(lo) || !isfinite(hi)) {
        empty_note(f, title);
        return;
    }
    if (lo > 0 && lo < hi * 0.5)
        lo = 0;
    n = (double)m;
    open_svg(f, title);
    label(top, sizeof(top), hi, fmt);
    label(bottom, sizeof(bottom), lo, fmt);
    frame(f, top, bottom);
    /* one band polygon and one line per run of points without a gap */
    for (i = 0; i < m; i = j) {
        while (i < m && !isfinite(me[i]))
            i++;
        if (i >= m)
            break;
        for (j = i; j < m && isfinite(me[j]); j++)
            ;
        fprintf(f, "<polygon class=\"band\" points=\"");
        for (k = i; k < j; k++)
            fprintf(f, "%.1f,%.1f ", sx((double)k, n), sy(mx[k], lo, hi));
        for (k = j; k-- > i;)
            fprintf(f, "%.1f,%.1f ", sx((double)k, n), sy(mn[k], lo, hi));
        fprintf(f, "\"/>\n<polyline class=\"line\" points=\"");
        for (k = i; k < j; k++)
            fprintf(f, "%.1f,%.1f ", sx((double)k, n), sy(me[k], lo, hi));
        fprintf(f, "\"/>\n");
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\">band: min..max; line: mean"
            "</text>\n</svg>\n", SVG_L, SVG_H - 6);
}

void report_svg_cash(FILE *f, const double *cum, int n, int be, const char *cur)
{
    double lo = 0, hi = 0, x;
    int i;

    if (n < 2) {
        empty_note(f, "Cumulative cash flow");
        return;
    }
    for (i = 0; i < n; i++) {
        if (cum[i] < lo)
            lo = cum[i];
        if (cum[i] > hi)
            hi = cum[i];
    }
    open_svg(f, "Cumulative cash flow, month by month");
    fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" class=\"fr\"/>\n",
            SVG_L, SVG_T, SVG_W - SVG_L - SVG_R, SVG_H - SVG_T - SVG_B);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">", SVG_L - 4,
            SVG_T + 8);
    money_short(f, cur, hi);
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">",
            SVG_L - 4, SVG_H - SVG_B);
    money_short(f, cur, lo);
    fprintf(f, "</text>\n<line class=\"zero\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
            "y2=\"%.1f\"/>\n", SVG_L, SVG_W - SVG_R, sy(0, lo, hi), sy(0, lo, hi));
    fprintf(f, "<polyline class=\"line\" points=\"");
    for (i = 0; i < n; i++)
        fprintf(f, "%.1f,%.1f ", sx(i, n), sy(cum[i], lo, hi));
    fprintf(f, "\"/>\n");
    if (be > 0 && be <= n) {
        x = sx(be - 1, n);
        fprintf(f, "<line class=\"mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>\n"
                "<text x=\"%.1f\" y=\"%.0f\" class=\"ax\">break-even, month %d</text>\n",
                x, x, SVG_T, SVG_H - SVG_B, x + 3, SVG_T + 10, be);
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\">month 1</text>\n"
            "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">month %d</text>\n"
            "</svg>\n", SVG_L, SVG_H - 8, SVG_W - SVG_R, SVG_H - 8, n);
}

static void vmark(FILE *f, const char *name, double v, double lo, double hi, int row,
                  const char *cur)
{
    double x = SVG_L + (hi > lo ? (v - lo) / (hi - lo) : 0.5) * (SVG_W - SVG_L - SVG_R);

    fprintf(f, "<line class=\"mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>\n"
            "<text x=\"%.1f\" y=\"%.0f\" class=\"ax\">%s ", x, x, SVG_T, SVG_H - SVG_B,
            x + 3, SVG_T + 10 + 11 * row, name);
    money_short(f, cur, v);
    fprintf(f, "</text>\n");
}

void report_svg_histogram(FILE *f, const struct mc_result *mc, const char *cur)
{
    size_t i, top = 0;
    double bw = (SVG_W - SVG_L - SVG_R) / MC_HISTOGRAM_BINS, h;
    char a[48];

    for (i = 0; i < MC_HISTOGRAM_BINS; i++)
        if (mc->histogram[i] > top)
            top = mc->histogram[i];
    if (mc->draws == 0 || top == 0 || !isfinite(mc->npv_min) || !isfinite(mc->npv_max)) {
        empty_note(f, "Monte Carlo NPV");
        return;
    }
    open_svg(f, "Monte Carlo: NPV over the draws");
    snprintf(a, sizeof(a), "%zu", top);
    frame(f, a, "0");
    for (i = 0; i < MC_HISTOGRAM_BINS; i++) {
        h = (SVG_H - SVG_T - SVG_B) * (double)mc->histogram[i] / (double)top;
        fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\"/>\n", SVG_L + bw * (double)i + 1, SVG_H - SVG_B - h, bw - 2, h);
    }
    vmark(f, "P10", mc->npv_p10, mc->npv_min, mc->npv_max, 0, cur);
    vmark(f, "P50", mc->npv_p50, mc->npv_min, mc->npv_max, 1, cur);
    vmark(f, "P90", mc->npv_p90, mc->npv_min, mc->npv_max, 2, cur);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"ax\">", SVG_L, SVG_H - 8);
    money_short(f, cur, mc->npv_min);
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">",
            SVG_W - SVG_R, SVG_H - 8);
    money_short(f, cur, mc->npv_max);
    fprintf(f, "</text>\n</svg>\n");
}

#define TORNADO_ROWS 8
#define TORNADO_ROW_H 18.0
#define TORNADO_L 190.0

void report_svg_tornado(FILE *f, const struct tornado_entry *t, size_t n, double base,
                        const char *cur)
{
    double lo = base, hi = base, h, w = SVG_W - TORNADO_L - SVG_R, x0, x1, xb;
    size_t i, rows = 0;

    for (i = 0; i < n && i < TORNADO_ROWS && t[i].swing >= 0.5; i++) {
        lo = fmin(lo, fmin(t[i].npv_at_low, t[i].npv_at_high));
        hi = fmax(hi, fmax(t[i].npv_at_low, t[i].npv_at_high));
        rows++;
    }
    if (rows == 0 || !(hi > lo)) {
        empty_note(f, "Tornado");
        return;
    }
    h = SVG_T + TORNADO_ROW_H * (double)rows + SVG_B;
    fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "><title>Tornado</title>\n"
            "<text x=\"%.0f\" y=\"14\" class=\"t\">What moves NPV most (each parameter at "
            "low and high, the rest at likely)</text>\n", SVG_W, h, SVG_L);
    xb = TORNADO_L + (base - lo) / (hi - lo) * w;
    for (i = 0; i < rows; i++) {
        double y = SVG_T + TORNADO_ROW_H * (double)i;

        x0 = TORNADO_L + (fmin(t[i].npv_at_low, t[i].npv_at_high) - lo) / (hi - lo) * w;
        x1 = TORNADO_L + (fmax(t[i].npv_at_low, t[i].npv_at_high) - lo) / (hi - lo) * w;
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%s</text>\n"
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                TORNADO_L - 4, y + 12, cost_param_name(t[i].param), x0, y + 2,
                x1 - x0 > 0.5 ? x1 - x0 : 0.5, TORNADO_ROW_H - 4);
    }
    fprintf(f, "<line class=\"mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.1f\"/>\n",
            xb, xb, SVG_T, h - SVG_B);
    fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" class=\"ax\">", TORNADO_L, h - 8);
    money_short(f, cur, lo);
    fprintf(f, "</text>\n<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">"
            "likely ", xb, h - 8);
    money_short(f, cur, base);
    fprintf(f, "</text>\n<text x=\"%.0f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">",
            SVG_W - SVG_R, h - 8);
    money_short(f, cur, hi);
    fprintf(f, "</text>\n</svg>\n");
}

void report_svg_timeline(FILE *f, const struct effort_estimate *e)
{
    double end = 0, w = SVG_W - TORNADO_L - SVG_R, h;
    int i;

    for (i = 0; i < PHASE_COUNT; i++)
        end = fmax(end, e->phases[i].end_week);
    if (!(end > 0)) {
        empty_note(f, "Effort timeline");
        return;
    }
    h = SVG_T + TORNADO_ROW_H * PHASE_COUNT + SVG_B;
    fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "><title>Effort timeline</title>\n"
            "<text x=\"%.0f\" y=\"14\" class=\"t\">Effort phases, calendar weeks (likely)"
            "</text>\n", SVG_W, h, SVG_L);
    for (i = 0; i < PHASE_COUNT; i++) {
        const struct effort_phase *p = &e->phases[i];
        double y = SVG_T + TORNADO_ROW_H * i;
        double x0 = TORNADO_L + p->start_week / end * w;
        double x1 = TORNADO_L + p->end_week / end * w;

        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%s "
                "(%.1f ew)</text>\n<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\"/>\n", TORNADO_L - 4, y + 12, effort_phase_name(p->kind),
                p->engineer_weeks.likely, x0, y + 2, x1 - x0 > 0.5 ? x1 - x0 : 0.5,
                TORNADO_ROW_H - 4);
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" class=\"ax\">week 0</text>\n"
            "<text x=\"%.0f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">week %.1f</text>\n"
            "</svg>\n", TORNADO_L, h - 8, SVG_W - SVG_R, h - 8, end);
}
