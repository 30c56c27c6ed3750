/* screen_detail.c: one service: charts of what was measured, the score, flags, checklist. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/checklist.h"
#include "verdict/format.h"
#include "screen.h"
#include "tui_int.h"
#include "ui_pen.h"
#include "verdict/textchart.h"
#include "verdict/util.h"

enum detail_action {
    D_UP, D_DOWN, D_PGUP, D_PGDN, D_HOME, D_END, D_BACK, D_NEXT, D_PREV, D_CHECKLIST
};

/* From DETAIL_ABREAST columns the charts go two abreast (so the score
 * still starts on the first page of a 100x30 terminal); from DETAIL_WIDE
 * the flags and checklist also sit beside the score breakdown. */
#define DETAIL_ABREAST 100
#define DETAIL_WIDE 160

static const struct screen_key detail_keys[] = {
    { KEY_UP, "Up/k", "scroll up", D_UP }, { 'k', NULL, NULL, D_UP },
    { KEY_DOWN, "Down/j", "scroll down", D_DOWN }, { 'j', NULL, NULL, D_DOWN },
    { KEY_PPAGE, "PgUp", "page up", D_PGUP }, { KEY_NPAGE, "PgDn", "page down", D_PGDN },
    { KEY_HOME, "Home/g", "top", D_HOME }, { 'g', NULL, NULL, D_HOME },
    { KEY_END, "End/G", "bottom", D_END }, { 'G', NULL, NULL, D_END },
    { 'n', "n", "next service in rank order", D_NEXT },
    { 'p', "p", "previous service in rank order", D_PREV },
    { 'c', "c", "jump to the migrate-when checklist", D_CHECKLIST },
    { 27, "Esc/h", "back to the list", D_BACK }, { 'h', NULL, NULL, D_BACK },
    { KEY_LEFT, NULL, NULL, D_BACK }, { KEY_BACKSPACE, NULL, NULL, D_BACK },
    { 127, NULL, NULL, D_BACK },
};

struct detail {
    struct tui *t;
    int top;            /* first content line shown */
    int lines;          /* content lines at the last draw */
    int height;         /* lines shown at the last draw */
    unsigned serial;    /* service shown at the last draw: scroll resets on change */
    int checklist_line; /* content line of the checklist at the last draw */
};

/* The sections are drawn through a ui_pen, in one column or two; a
 * wrapped line hangs two columns in. */
static void pen_wrap(struct ui_pen *p, int indent, const char *text, enum tui_role role)
{
    ui_pen_wrap(p, indent, indent + 2, text, role);
}

static const struct service_analysis *detail_find(struct tui *t, size_t *index)
{
    const struct analysis *an = &tui_session(t)->an;
    const char *name = tui_service(t);
    size_t i;

    for (i = 0; name != NULL && i < an->n_services; i++) {
        if (strcmp(an->services[i].spec->name, name) == 0) {
            *index = i;
            return &an->services[i];
        }
    }
    return NULL;
}

/* Formatters for chart labels; NULL means detail_count. */
typedef char *(*detail_fmt)(char *, size_t, double);

/* A plain quantity in at most 3 significant digits: "0.75", "18", "6.3k". */
static char *detail_count(char *buf, size_t len, double v)
{
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (fabs(v) >= 1e6)
        snprintf(buf, len, "%.3gM", v / 1e6);
    else if (fabs(v) >= 1e3)
        snprintf(buf, len, "%.3gk", v / 1e3);
    else
        snprintf(buf, len, "%.3g", v);
    return buf;
}

static void detail_number(char *buf, size_t len, double v, detail_fmt fmt)
{
    (fmt != NULL ? fmt : detail_count)(buf, len, v);
}

/* One measured signal on one line: label, median, a sparkline, the range. */
static void detail_signal(struct ui_pen *p, const char *label,
                          const struct service_analysis *sa, enum signal sig, detail_fmt fmt)
{
    const struct signal_data *d = sa->data != NULL ? &sa->data->signals[sig] : NULL;
    char spark[1024], a[32], lo[32], hi[32];
    int y, w = p->w - 52;

    if (d == NULL || !d->present || d->stats.count == 0)
        return;
    y = ui_pen_row(p);
    if (y < 0)
        return;
    tui_text(y, p->x + 2, 14, label, 0, 0, 0);
    detail_number(a, sizeof(a), d->stats.p50, fmt);
    detail_number(lo, sizeof(lo), d->stats.min, fmt);
    detail_number(hi, sizeof(hi), d->stats.max, fmt);
    tui_text(y, p->x + 17, 9, a, A_BOLD, 1, 0);
    spark[0] = '\0';
    if (d->chart.n > 0 && w > 4)
        textchart_sparkline(spark, sizeof(spark), d->chart.mean, d->chart.n, w,
                     tui_glyphs(p->t));
    tui_text(y, p->x + 28, w, spark, tui_attr(p->t, TUI_ROLE_BAR), 0, 0);
    snprintf(spark, sizeof(spark), "%s .. %s", lo, hi);
    tui_text(y, p->x + 29 + w, p->w - 29 - w, spark, tui_attr(p->t, TUI_ROLE_DIM), 0,
             0);
}

#define DETAIL_CHART_ROWS 24     /* tallest chart */
#define DETAIL_CHART_ROWLEN 1024 /* bytes of one rendered row (3 per braille cell) */
#define DETAIL_YLABEL 9          /* columns of the y-scale labels */

/* Three renderings of one chart on the same scale: mean, min, max. */
struct detail_plot {
    char mean[DETAIL_CHART_ROWS][DETAIL_CHART_ROWLEN];
    char lo[DETAIL_CHART_ROWS][DETAIL_CHART_ROWLEN];
    char hi[DETAIL_CHART_ROWS][DETAIL_CHART_ROWLEN];
};

/* The next cell of a rendered row: its braille dot bits (Unicode) or its
 * character (ASCII); advances *s.  A blank is 0 (Unicode) or ' '. */
static unsigned detail_cell(const char **s, int ascii)
{
    const unsigned char *u = (const unsigned char *)*s;

    if (*u == '\0')
        return ascii ? ' ' : 0;
    if (ascii || *u < 0x80) {
        (*s)++;
        return ascii ? *u : 0;
    }
    /* U+2800..U+28FF: E2 A0..A3 80..BF */
    if (u[1] == '\0' || u[2] == '\0') {
        *s += u[1] == '\0' ? 1 : 2;
        return 0;
    }
    *s += 3;
    return ((unsigned)(u[1] & 0x03) << 6) | (u[2] & 0x3f);
}

/* Draw one row of a plot: mean cells in the bar role over the min/max
 * envelope in the dim role ('.' in ASCII), drawn in runs of one attribute. */
static void detail_plot_row(struct tui *t, int y, int x, int w, const char *mean,
                            const char *lo, const char *hi)
{
    int ascii = tui_glyphs(t) == UI_GLYPHS_ASCII, c, run_x = x, run_attr = 0;
    int bar = tui_attr(t, TUI_ROLE_BAR), dim = tui_attr(t, TUI_ROLE_DIM);
    char run[DETAIL_CHART_ROWLEN];
    size_t o = 0;

    for (c = 0; c <= w; c++) {
        unsigned out = 0;
        int attr = dim;

        if (c < w) {
            unsigned m = detail_cell(&mean, ascii);
            unsigned l = detail_cell(&lo, ascii), h = detail_cell(&hi, ascii);

            if (ascii)
                out = m == '*' ? '*' : l == '*' || h == '*' ? '.' : m;
            else
                out = m | l | h;
            attr = (ascii ? m == '*' : m != 0) ? bar : dim;
        }
        if (c == w || (o > 0 && attr != run_attr)) {
            run[o] = '\0';
            tui_text(y, run_x, x + c - run_x, run, run_attr, 0, 0);
            run_x = x + c;
            o = 0;
        }
        if (c == w || o + 4 > sizeof(run))
            break;
        run_attr = attr;
        if (ascii) {
            run[o++] = (char)out;
        } else if (out == 0) {
            run[o++] = ' ';
        } else {    /* U+2800 + dot bits, as UTF-8 */
            run[o++] = (char)0xe2;
            run[o++] = (char)(0xa0 | (out >> 6));
            run[o++] = (char)(0x80 | (out & 0x3f));
        }
    }
}

/* Unix seconds as "YYYY-MM-DD HH:MM" (UTC). */
static void detail_date(char *buf, size_t len, double unix_s)
{
    char iso[40];

    fmt_time(iso, sizeof(iso), unix_s);
    if (strlen(iso) >= 16) {
        iso[10] = ' ';
        iso[16] = '\0';
    }
    snprintf(buf, len, "%s", iso);
}

/* The finite extremes of n values into *lo, *hi (unchanged when none). */
static void detail_extent(const double *v, size_t n, double *lo, double *hi)
{
    size_t i;

    for (i = 0; v != NULL && i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (!isfinite(*lo) || v[i] < *lo)
            *lo = v[i];
        if (!isfinite(*hi) || v[i] > *hi)
            *hi = v[i];
    }
}

/* The y-scale of a chart: the mean's range, widened towards the min/max
 * envelope by at most the mean's own span on each side, so one spike in
 * the envelope cannot flatten the line (what lies beyond is drawn on the
 * edge row; the title gives the true maximum). */
static void detail_scale(const struct chart *c, double *lo, double *hi)
{
    double elo = NAN, ehi = NAN, span;

    detail_extent(c->mean, c->n, lo, hi);
    detail_extent(c->min, c->n, &elo, &ehi);
    detail_extent(c->max, c->n, &elo, &ehi);
    span = *hi - *lo;
    if (!isfinite(span))
        return;
    if (isfinite(elo) && elo < *lo)
        *lo = elo > *lo - span ? elo : *lo - span;
    if (isfinite(ehi) && ehi > *hi)
        *hi = ehi < *hi + span ? ehi : *hi + span;
}

/*
 * One signal as a line chart at columns [x, x + w): a title line, `height`
 * rows with the y-scale on the left (mean per interval, with the min/max
 * envelope dimmed behind it), and the time axis with the range's start and
 * end.  Returns nothing; advances the pen by the lines it used.
 */
static void detail_chart(struct ui_pen *p, int x, int w, int height, const char *label,
                         const struct service_analysis *sa, enum signal sig, detail_fmt fmt)
{
    static struct detail_plot plot;     /* 72 KiB: off the stack; the TUI is single-threaded */
    const struct signal_data *d = sa->data != NULL ? &sa->data->signals[sig] : NULL;
    const struct chart *c = d != NULL ? &d->chart : NULL;
    enum ui_glyphs g = tui_glyphs(p->t);
    int ascii = g == UI_GLYPHS_ASCII, y = ui_pen_row(p), pw = w - DETAIL_YLABEL - 1, r, tx;
    char a[40], b[40], line[256], *rows[3][DETAIL_CHART_ROWS];
    double lo = NAN, hi = NAN;

    if (y >= 0)
        tui_text(y, x + 2, w - 2, label, A_BOLD, 0, 0);
    tx = x + 4 + tui_width(label);
    if (d == NULL || !d->present || d->stats.count == 0 || c->n == 0 || c->mean == NULL) {
        if (y >= 0)
            tui_text(y, tx, x + w - tx, d && d->error ? d->error : "no data",
                     tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
        return;
    }
    /* the median, p95 and max over time; max goes when the column is narrow */
    detail_number(a, sizeof(a), d->stats.p50, fmt);
    detail_number(b, sizeof(b), d->stats.p95, fmt);
    snprintf(line, sizeof(line), "med %s  p95 %s  ", a, b);
    detail_number(a, sizeof(a), d->stats.max, fmt);
    snprintf(line + strlen(line), sizeof(line) - strlen(line), "max %s", a);
    if (tui_width(line) > x + w - tx)
        *strstr(line, "  max ") = '\0';
    if (y >= 0)
        tui_text(y, tx, x + w - tx, line, tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
    if (height > DETAIL_CHART_ROWS)
        height = DETAIL_CHART_ROWS;
    if (pw > (DETAIL_CHART_ROWLEN - 1) / 3)
        pw = (DETAIL_CHART_ROWLEN - 1) / 3;
    if (pw < 4 || height < 1)
        return;
    detail_scale(c, &lo, &hi);
    for (r = 0; r < height; r++) {
        rows[0][r] = plot.mean[r];
        rows[1][r] = plot.lo[r];
        rows[2][r] = plot.hi[r];
        plot.lo[r][0] = plot.hi[r][0] = '\0';
    }
    textchart_line(rows[0], DETAIL_CHART_ROWLEN, height, pw, c->mean, c->n, lo, hi, -1, g,
                  &lo, &hi);
    if (c->min != NULL && c->max != NULL) {
        textchart_line(rows[1], DETAIL_CHART_ROWLEN, height, pw, c->min, c->n, lo, hi, -1, g,
                      NULL, NULL);
        textchart_line(rows[2], DETAIL_CHART_ROWLEN, height, pw, c->max, c->n, lo, hi, -1, g,
                      NULL, NULL);
    }
    for (r = 0; r < height; r++) {
        y = ui_pen_row(p);
        if (y < 0)
            continue;
        /* a label on the top and bottom rows, and mid-way on tall charts */
        if (r == 0 || r == height - 1 || (height >= 6 && r == (height - 1) / 2)) {
            detail_number(a, sizeof(a), height > 1 ? hi - (hi - lo) * r / (height - 1) : hi,
                          fmt);
            tui_text(y, x, DETAIL_YLABEL - 1, a, tui_attr(p->t, TUI_ROLE_DIM), 1, 0);
        }
        tui_text(y, x + DETAIL_YLABEL - 1, 1, ascii ? "|" : "\xe2\x94\x82",
                 tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
        detail_plot_row(p->t, y, x + DETAIL_YLABEL, pw, plot.mean[r], plot.lo[r], plot.hi[r]);
    }
    y = ui_pen_row(p);
    if (y < 0)
        return;
    detail_date(a, sizeof(a), c->t0_s);
    detail_date(b, sizeof(b), c->t0_s + (double)c->n * c->dt_s);
    tui_text(y, x + DETAIL_YLABEL - 1, 1, ascii ? "+" : "\xe2\x94\x94",
             tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
    tui_text(y, x + DETAIL_YLABEL, pw, a, tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
    snprintf(line, sizeof(line), "%s UTC", b);
    if (pw >= tui_width(a) + tui_width(line) + 2)
        tui_text(y, x + DETAIL_YLABEL, pw, line, tui_attr(p->t, TUI_ROLE_DIM), 1, 0);
}

/* The four charts: one column, or two side by side from 100 columns;
 * taller as the terminal grows (4 rows at 80x24, 5 at 100x30). */
static void detail_charts(struct ui_pen *p, const struct service_analysis *sa)
{
    static const struct {
        const char *label;
        enum signal sig;
        detail_fmt fmt;
    } charts[] = {
        { "p99 latency", SIGNAL_P99_LATENCY, fmt_latency },
        { "p50 latency", SIGNAL_P50_LATENCY, fmt_latency },
        { "CPU cores", SIGNAL_CPU, NULL },
        { "memory", SIGNAL_MEMORY, fmt_bytes },
    };
    int cols = p->w >= DETAIL_ABREAST ? 2 : 1, n = 4, i;
    int cw = (p->w - (cols - 1) * 2) / cols;
    int height = p->h * 3 / 5 / (n / cols) - 2;

    if (height < 4)
        height = 4;
    if (height > 16)
        height = 16;
    for (i = 0; i < n; i += cols) {
        int start = p->line, end = start, k;

        for (k = 0; k < cols && i + k < n; k++) {
            p->line = start;
            detail_chart(p, p->x + k * (cw + 2), cw, height, charts[i + k].label, sa,
                         charts[i + k].sig, charts[i + k].fmt);
            if (p->line > end)
                end = p->line;
        }
        p->line = end;
    }
}

/* The seeds' checklist: a tick, the condition, the evidence.  Returns the
 * content line it starts on (the c key jumps there). */
static int detail_checklist(struct ui_pen *p, const struct service_analysis *sa,
                             const struct thresholds *th)
{
    static const char *const side_title[2] = { "Migrate when", "Don't migrate when" };
    struct checklist_item items[CHECKLIST_COUNT];
    int ascii = tui_glyphs(p->t) == UI_GLYPHS_ASCII, tick_w = ascii ? 3 : 1, text_w = 0;
    size_t n = checklist_evaluate(sa, th, items, CHECKLIST_COUNT), i;
    int side = -1, ev_x, start;

    for (i = 0; i < n; i++) {
        if (tui_width(items[i].text) > text_w)
            text_w = tui_width(items[i].text);
    }
    ev_x = 2 + tick_w + 1 + text_w + 2;
    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    start = p->line;
    ui_pen_text(p, 1, ascii ? "CHECKLIST (seeds 000, 001): [x] holds, [ ] does not, [?] the data "
             "cannot tell" : "CHECKLIST (seeds 000, 001): \xe2\x9c\x93 holds, \xe2\x9c\x97 "
             "does not, ? the data cannot tell", TUI_ROLE_HEADER);
    for (i = 0; i < n; i++) {
        const struct checklist_item *it = &items[i];
        static const char *const ticks[2][3] = {
            { "\xe2\x9c\x93", "\xe2\x9c\x97", "?" }, { "[x]", "[ ]", "[?]" }
        };
        enum tui_role role = it->state == CHECKLIST_UNKNOWN ? TUI_ROLE_DIM
                             : it->state == CHECKLIST_NO ? TUI_ROLE_NORMAL
                             : it->side == CHECKLIST_MIGRATE_WHEN ? TUI_ROLE_MIGRATE
                                                                  : TUI_ROLE_FLAG;
        int y, ev_w = tui_width(it->evidence), inline_ev = ev_x + ev_w <= p->w;

        if ((int)it->side != side) {
            side = (int)it->side;
            ui_pen_text(p, 1, side_title[side], TUI_ROLE_HEADER);
        }
        y = ui_pen_row(p);
        if (y >= 0) {
            tui_text(y, p->x + 2, tick_w, ticks[ascii][it->state], tui_attr(p->t, role),
                     0, 0);
            tui_text(y, p->x + 3 + tick_w, p->w - 3 - tick_w, it->text,
                     it->state == CHECKLIST_UNKNOWN ? tui_attr(p->t, TUI_ROLE_DIM) : 0, 0, 0);
            if (inline_ev)
                tui_text(y, p->x + ev_x, p->w - ev_x, it->evidence,
                         tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
        }
        if (!inline_ev)
            ui_pen_text(p, 3 + tick_w + 2, it->evidence, TUI_ROLE_DIM);
    }
    return start;
}

static void detail_factors(struct ui_pen *p, const struct service_analysis *sa)
{
    char line[512], bar[128];
    size_t i;

    if (analysis_has_figures(sa))
        snprintf(line, sizeof(line), "SCORE %.0f/100, factor by factor (strength, points)",
                 sa->score.score);
    else
        snprintf(line, sizeof(line), "SCORE: none without enough data; the factors, as far "
                 "as they go (strength, points)");
    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    ui_pen_text(p, 1, line, TUI_ROLE_HEADER);
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &sa->score.factors[i];
        int y = ui_pen_row(p);

        if (y >= 0) {
            tui_text(y, p->x + 2, 18, factor_name(f->factor), 0, 0, 0);
            textchart_bar(bar, sizeof(bar), f->have_data ? f->strength : 0, 1, 8, tui_glyphs(p->t));
            tui_text(y, p->x + 21, 8, bar, tui_attr(p->t, TUI_ROLE_BAR), 0, 1);
            if (f->have_data)
                snprintf(line, sizeof(line), "%+5.1f", f->contribution);
            else
                snprintf(line, sizeof(line), "  n/a");
            tui_text(y, p->x + 30, 6, line, A_BOLD, 1, 0);
        }
        /* the reason starts on the same line and continues below it */
        p->line--;
        {
            struct ui_pen q = *p;
            q.x += 37;
            q.w -= 37;
            pen_wrap(&q, 0, f->reason, f->have_data ? TUI_ROLE_NORMAL : TUI_ROLE_DIM);
            p->line = q.line;
        }
    }
}

/* The red flags, each wrapped. */
static void detail_flags(struct ui_pen *p, const struct service_analysis *sa)
{
    char line[512];
    size_t i;

    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    snprintf(line, sizeof(line), "RED FLAGS (%zu)", sa->score.n_flags);
    ui_pen_text(p, 1, line, TUI_ROLE_HEADER);
    if (sa->score.n_flags == 0)
        ui_pen_text(p, 2, "none", TUI_ROLE_DIM);
    for (i = 0; i < sa->score.n_flags; i++) {
        snprintf(line, sizeof(line), "%s %s: %s", tui_glyphs(p->t) == UI_GLYPHS_ASCII ? "!" :
                 "\xe2\x9a\xa0", flag_kind_name(sa->score.flags[i].kind),
                 sa->score.flags[i].text);
        pen_wrap(p, 2, line, TUI_ROLE_FLAG);
    }
}

/* The cost summary at the likely value of every input. */
static void detail_cost(struct ui_pen *p, const struct service_analysis *sa,
                        const char *cur)
{
    char line[512], a[32], b[32], c[32];

    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    ui_pen_text(p, 1, "COST (every input at its likely value; 3 opens the Cost screen)",
             TUI_ROLE_HEADER);
    snprintf(line, sizeof(line), "benefit %s/month, migration %s, velocity lost %s",
             fmt_money_short(a, sizeof(a), cur, sa->cost.monthly_benefit),
             fmt_money_short(b, sizeof(b), cur, sa->cost.migration_cost),
             fmt_money_short(c, sizeof(c), cur, sa->cost.velocity_loss));
    ui_pen_text(p, 2, line, TUI_ROLE_NORMAL);
    fmt_money_short(a, sizeof(a), cur, sa->cost.npv);
    fmt_percent(b, sizeof(b), sa->mc.probability_positive, 0);
    if (!analysis_has_figures(sa))
        snprintf(line, sizeof(line), "no NPV, break-even or P(pays off): not enough data");
    else if (sa->cost.break_even_month > 0)
        snprintf(line, sizeof(line), "NPV at likely values %s, break-even month %d, "
                 "P(pays off) %s", a,
                 sa->cost.break_even_month, b);
    else
        snprintf(line, sizeof(line), "NPV at likely values %s, break-even never, "
                 "P(pays off) %s", a, b);
    ui_pen_text(p, 2, line, TUI_ROLE_NORMAL);
}

/* Name, rank, recommendation and its reason: the two fixed lines on top. */
static void detail_header(struct tui *t, const struct screen_rect *r,
                          const struct service_analysis *sa)
{
    char line[512], name[256];

    fmt_fit(name, sizeof(name), sa->spec->name, r->w / 2);
    tui_text(r->y, r->x + 1, r->w - 1, name, A_BOLD, 0, 0);
    snprintf(line, sizeof(line), "#%d  %s  %s, %s, %s criticality", sa->rank,
             recommendation_name(sa->recommendation),
             sa->lang ? sa->lang->name : (sa->spec->language[0] ? sa->spec->language : "?"),
             workload_name(sa->spec->workload), criticality_name(sa->spec->criticality));
    tui_text(r->y, r->x + 2 + tui_width(name), r->w - 2 - tui_width(name), line,
             tui_attr(t, tui_role_of((int)sa->recommendation)), 0, 0);
    tui_text(r->y + 1, r->x + 1, r->w - 1, sa->recommendation_reason,
             tui_attr(t, TUI_ROLE_DIM), 0, 0);
}

/* What the server said about the answers it gave (partial data, several
 * series combined), as the report's data-quality section lists it: a
 * number drawn from a partial answer is not to be read as whole. */
static void detail_notes(struct ui_pen *p, const struct service_analysis *sa)
{
    char line[1024];
    int s;

    if (sa->data == NULL)
        return;
    if (sa->data->profile != NULL) {
        /* which metric families the queries were written for */
        snprintf(line, sizeof(line), "query profile: %s", sa->data->profile);
        pen_wrap(p, 2, line, TUI_ROLE_DIM);
    }
    for (s = 0; s < SIGNAL_COUNT; s++) {
        const struct signal_data *sd = &sa->data->signals[s];

        if (sd->warning == NULL)
            continue;
        snprintf(line, sizeof(line), "%s: %s", signal_name((enum signal)s), sd->warning);
        pen_wrap(p, 2, line, TUI_ROLE_FLAG);
    }
}

static void detail_draw(void *st, struct tui *t, const struct screen_rect *r)
{
    struct detail *d = st;
    struct session *s = tui_session(t);
    const struct service_analysis *sa;
    struct ui_pen p, q;
    size_t idx = 0;
    int wide = r->w >= DETAIL_WIDE;

    sa = detail_find(t, &idx);
    if (sa == NULL) {
        tui_text(r->y + 1, r->x + 2, r->w - 2, "no service selected: pick one in the list "
                 "(1) and press Enter, or :service NAME", tui_attr(t, TUI_ROLE_DIM), 0, 0);
        return;
    }
    if (d->serial != tui_service_serial(t)) {
        d->serial = tui_service_serial(t);
        d->top = 0;
    }
    detail_header(t, r, sa);

    memset(&p, 0, sizeof(p));
    p.t = t;
    p.x = r->x;
    p.w = r->w;
    p.y0 = r->y + 2;
    p.h = r->h - 2;
    p.top = d->top;
    ui_pen_text(&p, 1, tui_glyphs(t) == UI_GLYPHS_ASCII
             ? "MEASURED over the range (* mean per interval, . min and max)"
             : "MEASURED over the range (bright: mean per interval, dim: min and max)",
             TUI_ROLE_HEADER);
    if (sa->data == NULL)
        ui_pen_text(&p, 2, "nothing measured for this service", TUI_ROLE_DIM);
    else if (sa->data->error != NULL)
        pen_wrap(&p, 2, sa->data->error, TUI_ROLE_ERROR);
    detail_notes(&p, sa);
    detail_charts(&p, sa);
    detail_signal(&p, "mean latency", sa, SIGNAL_MEAN_LATENCY, fmt_latency);
    detail_signal(&p, "requests/s", sa, SIGNAL_RPS, NULL);
    detail_signal(&p, "GC s/s", sa, SIGNAL_GC, NULL);

    /* wide: score on the left, flags and checklist on the right */
    q = p;
    if (wide) {
        p.w = r->w / 2 - 1;
        q.x = r->x + r->w / 2 + 1;
        q.w = r->w - r->w / 2 - 1;
    }
    detail_factors(&p, sa);
    if (!wide)
        q = p;
    detail_flags(&q, sa);
    d->checklist_line = detail_checklist(&q, sa, &s->a.economics.thresholds);
    p.line = p.line > q.line ? p.line : q.line;
    p.x = r->x;
    p.w = r->w;
    detail_cost(&p, sa, s->a.economics.currency);
    d->lines = p.line;
    d->height = p.h;
}

static int detail_key(void *st, struct tui *t, int key)
{
    struct detail *d = st;
    const struct analysis *an = &tui_session(t)->an;
    size_t idx = 0;
    int max_top = d->lines > d->height ? d->lines - d->height : 0, old = d->top;
    int action = tui_key_action(detail_keys, sizeof(detail_keys) / sizeof(detail_keys[0]), key);

    switch (action) {
    case D_UP:
        d->top--;
        break;
    case D_DOWN:
        d->top++;
        break;
    case D_PGUP:
        d->top -= d->height;
        break;
    case D_PGDN:
        d->top += d->height;
        break;
    case D_HOME:
        d->top = 0;
        break;
    case D_END:
        d->top = max_top;
        break;
    case D_CHECKLIST:
        d->top = d->checklist_line;
        break;
    case D_BACK:
        return SCREEN_HANDLED | SCREEN_BACK | SCREEN_REDRAW;
    case D_NEXT:
    case D_PREV:
        /* the analysis is sorted by rank */
        if (detail_find(t, &idx) == NULL || an->n_services == 0)
            return SCREEN_HANDLED;
        idx = action == D_NEXT ? (idx + 1) % an->n_services
                               : (idx + an->n_services - 1) % an->n_services;
        tui_set_service(t, an->services[idx].spec->name);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
    if (d->top > max_top)
        d->top = max_top;
    if (d->top < 0)
        d->top = 0;
    return d->top != old ? SCREEN_HANDLED | SCREEN_REDRAW : SCREEN_HANDLED;
}

static void *detail_init(struct tui *t)
{
    struct detail *d = xcalloc(1, sizeof(*d));

    d->t = t;
    return d;
}

static void detail_free(void *st)
{
    free(st);
}

const struct screen_ops screen_detail_ops = {
    .name = "Detail",
    .keys = detail_keys,
    .n_keys = sizeof(detail_keys) / sizeof(detail_keys[0]),
    .init = detail_init,
    .draw = detail_draw,
    .key = detail_key,
    .free = detail_free,
};
