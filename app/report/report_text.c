/* report_text.c: the plain-text report, 80 columns, ready for a terminal or lpr. */
#include "verdict/report.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/textchart.h"
#include "verdict/util.h"
#include "report_outline.h"

#define TEXT_WIDTH 80
#define TEXT_COLS 8         /* the widest table */
#define TEXT_SPAN 1024      /* a paragraph, a cell: longer text is cut */

/* The plain-text sink of the report outline (report_outline.h): layout,
 * wrapping and the ASCII charts.  The spans of the block being built go to
 * buf; a table's cells to cell[] until the row ends. */
struct out {
    FILE *f;
    const char *cur;        /* currency symbol, sanitised once */
    enum report_block block;        /* under the last heading */
    int after_table;        /* a paragraph after a table starts with a blank line */
    int in_cell;
    size_t col;             /* the cell being built */
    int in_heading;
    int bare;               /* the list item has no bullet */
    char buf[TEXT_SPAN];
    size_t used;
    const struct report_table *t;   /* the open table */
    char cell[TEXT_COLS][TEXT_SPAN];
    int cell_span[TEXT_COLS];
    int cell_named[TEXT_COLS];      /* holds a name: padded by display width */
    int named;              /* the span being built holds a name */
    int heading_name_width;
    char caption[TEXT_SPAN];        /* a group's name, before its detail */
    /* drawn after the prose, at the end of the service's section */
    const struct service_analysis *histogram, *cash, *timeline;
};

/* Print text wrapped at TEXT_WIDTH: the first line indented by `first`
 * spaces, the rest by `rest` (a hanging indent for list items). */
static void wrap_hang(struct out *o, int first, int rest, const char *text)
{
    char clean[1024];
    const char *p = clean;
    int indent = first;

    util_sanitize(clean, sizeof(clean), text);
    while (*p != '\0') {
        int take = (int)fmt_wrap(p, TEXT_WIDTH - indent);

        fprintf(o->f, "%*s%.*s\n", indent, "", take, p);
        p += take;
        while (*p == ' ')
            p++;
        indent = rest;
    }
}

static void wrap(struct out *o, int indent, const char *text)
{
    wrap_hang(o, indent, indent, text);
}



#define CASH_ROWS 7
#define CASH_COLS 60

/* Cumulative cash flow, month by month, in ASCII (it has to print), with
 * the zero line and the break-even month marked. */
static void cash_chart(struct out *o, const struct service_analysis *sa)
{
    const struct cost_result *r = &sa->cost;
    char buf[CASH_ROWS][CASH_COLS * 4 + 1], *rows[CASH_ROWS], top[32], bottom[32];
    double lo, hi;
    int i;

    if (r->n_months < 2)
        return;
    for (i = 0; i < CASH_ROWS; i++)
        rows[i] = buf[i];
    textchart_line(rows, sizeof(buf[0]), CASH_ROWS, CASH_COLS, r->cumulative,
                  (size_t)r->n_months, NAN, NAN,
                  r->break_even_month > 0 ? (long)r->break_even_month - 1 : -1,
                  UI_GLYPHS_ASCII, &lo, &hi);
    fmt_money_short(top, sizeof(top), o->cur, hi);
    fmt_money_short(bottom, sizeof(bottom), o->cur, lo);
    fprintf(o->f, "\n  Cumulative cash flow%s\n",
            r->break_even_month > 0 ? " (| marks break-even)" : "");
    for (i = 0; i < CASH_ROWS; i++)
        fprintf(o->f, "  %9s %s\n", i == 0 ? top : i == CASH_ROWS - 1 ? bottom : "",
                rows[i]);
    fprintf(o->f, "  %9s month 1%*s%d\n", "", CASH_COLS - 7 - (r->n_months > 9 ? 2 : 1), "",
            r->n_months);
}

#define SERIES_ROWS 3
#define SERIES_COLS 60

/* One signal over the range as a small ASCII chart: the bucket maxima for
 * latency (so spikes show), the means otherwise. */
static void series_chart(struct out *o, const char *title, const struct signal_data *s,
                         int use_max, char *(*fmt)(char *, size_t, double))
{
    char buf[SERIES_ROWS][SERIES_COLS * 4 + 1], *rows[SERIES_ROWS], top[32], bottom[32];
    const struct chart *ch = &s->chart;
    double lo, hi;
    int i;

    if (!s->present || ch->n < 2)
        return;
    for (i = 0; i < SERIES_ROWS; i++)
        rows[i] = buf[i];
    textchart_line(rows, sizeof(buf[0]), SERIES_ROWS, SERIES_COLS, use_max ? ch->max : ch->mean,
                  ch->n, NAN, NAN, -1, UI_GLYPHS_ASCII, &lo, &hi);
    if (fmt != NULL) {
        fmt(top, sizeof(top), hi);
        fmt(bottom, sizeof(bottom), lo);
    } else {
        snprintf(top, sizeof(top), "%.3g", hi);
        snprintf(bottom, sizeof(bottom), "%.3g", lo);
    }
    fprintf(o->f, "    %s\n", title);
    for (i = 0; i < SERIES_ROWS; i++)
        fprintf(o->f, "  %9s %s\n", i == 0 ? top : i == SERIES_ROWS - 1 ? bottom : "",
                rows[i]);
}

/* p99 and p50, CPU and memory over the whole range. */
static void series_block(struct out *o, const struct report_ctx *c,
                         const struct service_analysis *sa)
{
    const struct service_data *d = sa->data;
    const struct measurements *m = c->measurements;
    char a[64], b[64];

    if (d == NULL || d->error != NULL)
        return;
    fprintf(o->f, "\n  OVER THE RANGE");
    if (m != NULL)
        fprintf(o->f, " (%s ending %s)", fmt_duration(a, sizeof(a), m->range_s),
                fmt_time(b, sizeof(b), m->end_s));
    fprintf(o->f, "\n");
    series_chart(o, "p99 latency (highest in each interval)", &d->signals[SIGNAL_P99_LATENCY],
                 1, fmt_latency);
    series_chart(o, "p50 latency", &d->signals[SIGNAL_P50_LATENCY], 0, fmt_latency);
    series_chart(o, "CPU cores (fleet)", &d->signals[SIGNAL_CPU], 0, NULL);
    series_chart(o, "memory (fleet)", &d->signals[SIGNAL_MEMORY], 0, fmt_bytes);
}

#define MC_ROWS 4
#define MC_COLS 60

/* The Monte Carlo NPV spread: a histogram with P10, P50 and P90 marked. */
static void mc_chart(struct out *o, const struct service_analysis *sa)
{
    const struct mc_result *r = &sa->mc;
    char buf[MC_ROWS][MC_COLS * 4 + 1], *rows[MC_ROWS], marks[MC_COLS + 1], lo[32], hi[32];
    const double q[3] = { r->npv_p10, r->npv_p50, r->npv_p90 };
    const char *qs = "159";
    double span = r->npv_max - r->npv_min;
    int i;

    if (r->draws == 0 || !(span > 0))
        return;
    for (i = 0; i < MC_ROWS; i++)
        rows[i] = buf[i];
    textchart_histogram(rows, sizeof(buf[0]), MC_ROWS, MC_COLS, r->histogram, MC_HISTOGRAM_BINS,
                 UI_GLYPHS_ASCII);
    memset(marks, ' ', MC_COLS);
    marks[MC_COLS] = '\0';
    if (r->npv_min < 0 && r->npv_max > 0)
        marks[(int)fmin(MC_COLS - 1, -r->npv_min / span * MC_COLS)] = '0';
    for (i = 0; i < 3; i++)
        marks[(int)fmin(MC_COLS - 1, fmax(0, (q[i] - r->npv_min) / span * MC_COLS))] = qs[i];
    fprintf(o->f, "\n  NPV over %zu draws (1, 5, 9: P10, P50, P90; 0: zero)\n", r->draws);
    for (i = 0; i < MC_ROWS; i++)
        fprintf(o->f, "  %9s %s\n", "", rows[i]);
    fprintf(o->f, "  %9s %s\n", "", marks);
    fmt_money_short(lo, sizeof(lo), o->cur, r->npv_min);
    fmt_money_short(hi, sizeof(hi), o->cur, r->npv_max);
    fprintf(o->f, "  %9s %s%*s\n", "", lo, MC_COLS - (int)strlen(lo), hi);
}

#define PLAN_COLS 50

/* The effort phases on a calendar (likely case), one bar per phase. */
static void effort_timeline(struct out *o, const struct service_analysis *sa)
{
    const struct effort_estimate *e = &sa->effort;
    double end = 0;
    int i;

    for (i = 0; i < PHASE_COUNT; i++)
        end = fmax(end, e->phases[i].end_week);
    if (!(end > 0))
        return;
    fprintf(o->f, "\n  EFFORT PHASES, calendar weeks (likely), %d engineer%s in parallel\n",
            e->parallelism, e->parallelism == 1 ? "" : "s");
    for (i = 0; i < PHASE_COUNT; i++) {
        const struct effort_phase *p = &e->phases[i];
        char bar[PLAN_COLS + 1];
        int a = (int)floor(p->start_week / end * PLAN_COLS);
        int b = (int)ceil(p->end_week / end * PLAN_COLS), k;

        if (b <= a)
            b = a + 1;
        for (k = 0; k < PLAN_COLS; k++)
            bar[k] = k >= a && k < b ? '#' : '.';
        bar[PLAN_COLS] = '\0';
        fprintf(o->f, "    %-10s %s %5.1f ew\n", effort_phase_name(p->kind), bar,
                p->engineer_weeks.likely);
    }
    {
        char last[32];

        snprintf(last, sizeof(last), "week %.1f", end);
        fprintf(o->f, "    %-10s week 0%*s\n", "", PLAN_COLS - 6, last);
    }
}


/* ---- layout ------------------------------------------------------------- */

/* How plain text lays out each block: the indent of its paragraphs (list
 * items hang 2 further), a page break before it, what follows its heading
 * on the same line (column titles), and its table's columns (width,
 * negative: left-aligned; 0: not padded). */
struct text_layout {
    int indent;
    int page;
    const char *heading_tail;
    int row_indent;
    int widths[TEXT_COLS];
    int wrap_last;          /* the last column is wrapped under the row */
    int titles;             /* a row of column titles */
};

/* Blocks not named here (the title) are at the margin. */
static const struct text_layout text_layouts[REPORT_BLOCK_COUNT] = {
    [REPORT_BLOCK_HEADER] = { .widths = { -12, 0 } },
    [REPORT_BLOCK_SUMMARY] = { .indent = 2 },
    [REPORT_BLOCK_RANKING] = { .indent = 2, .widths = { 3, -18, -7, -16, 5, -8, 9, 5 },
                               .titles = 1 },
    [REPORT_BLOCK_SERVICE] = { .indent = 4 },
    [REPORT_BLOCK_MEASURED] = { .indent = 4, .row_indent = 4,
                                .heading_tail = "                  median        p95        max"
                                                "       last  trend/d",
                                .widths = { -20, 10, 10, 10, 10, 8 } },
    [REPORT_BLOCK_SCORE] = { .indent = 4, .row_indent = 4,
                             .heading_tail = "            strength  weight  points",
                             .widths = { -22, 7, 7, 7, 0 }, .wrap_last = 1 },
    [REPORT_BLOCK_RED_FLAGS] = { .indent = 4 },
    [REPORT_BLOCK_CHECKLIST] = { .indent = 4, .row_indent = 4 },
    [REPORT_BLOCK_MATH] = { .indent = 2, .row_indent = 4, .widths = { -15, -44, 13 } },
    [REPORT_BLOCK_CASH_FLOW] = { .indent = 2 },
    [REPORT_BLOCK_UNCERTAINTY] = { .indent = 2 },
    [REPORT_BLOCK_TORNADO] = { .indent = 2 },
    [REPORT_BLOCK_EFFORT] = { .indent = 2 },
    [REPORT_BLOCK_QUALITY] = { .indent = 2, .page = 1 },
    [REPORT_BLOCK_METHOD] = { .indent = 2 },
    [REPORT_BLOCK_APPENDIX] = { .indent = 2, .page = 1 },
    [REPORT_BLOCK_SCHEDULE] = { .indent = 2, .row_indent = 2, .widths = { -18, -14, 6, 5, 0 },
                                .titles = 1 },
};

static const struct text_layout *text_layout(const struct out *o)
{
    return &text_layouts[o->block];
}

/* Append to the block being built; past TEXT_SPAN bytes the rest is cut. */
static void text_put(struct out *o, const char *s)
{
    if (o->used < sizeof(o->buf))
        o->used += (size_t)snprintf(o->buf + o->used, sizeof(o->buf) - o->used, "%s", s);
}

static void text_reset(struct out *o)
{
    o->buf[0] = '\0';
    o->used = 0;
    o->named = 0;
}

static void text_part_begin(void *s, enum report_part part, int rank)
{
    struct out *o = s;

    (void)rank;
    if (part == REPORT_PART_SERVICE)
        fprintf(o->f, "\f\n");
}

/* The pictures come after the prose. */
static void text_part_end(void *s, enum report_part part)
{
    struct out *o = s;

    (void)part;
    if (o->histogram != NULL)
        mc_chart(o, o->histogram);
    if (o->cash != NULL)
        cash_chart(o, o->cash);
    if (o->timeline != NULL)
        effort_timeline(o, o->timeline);
    o->histogram = o->cash = o->timeline = NULL;
}

static void text_heading_begin(void *s, int level, enum report_block id)
{
    struct out *o = s;

    (void)level;
    o->block = id;
    o->after_table = 0;
    o->in_heading = 1;
    text_reset(o);
}

/* Capitals up to the first "(": "THE HONEST MATH (seed 000), ...". */
static void text_upper(char *s)
{
    for (; *s != '\0' && *s != '('; s++)
        *s = (char)toupper((unsigned char)*s);
}

static void text_heading_end(void *s, int level)
{
    struct out *o = s;
    const struct text_layout *l = text_layout(o);
    size_t i;

    o->in_heading = 0;
    if (l->page)
        fprintf(o->f, "\f\n");
    if (o->block == REPORT_BLOCK_SERVICE) {
        fprintf(o->f, "%s\n", o->buf);
        return;
    }
    text_upper(o->buf);
    if (level == 1) {
        fprintf(o->f, "%s\n", o->buf);
        for (i = 0; i < strlen(o->buf); i++)
            fputc('=', o->f);
        fputc('\n', o->f);
    } else {
        fprintf(o->f, "\n%s%s%s\n", level > 2 ? "  " : "", o->buf,
                l->heading_tail ? l->heading_tail : "");
    }
}

static void text_para_begin(void *s, enum report_style style)
{
    (void)style;
    text_reset(s);
}

static void text_para_end(void *s)
{
    struct out *o = s;

    if (o->after_table)
        fputc('\n', o->f);
    o->after_table = 0;
    wrap(o, text_layout(o)->indent, o->buf);
}

/* Line-based: each sentence a paragraph of its own. */
static void text_sentence_break(void *s)
{
    text_para_end(s);
    text_reset(s);
}

static void text_item_begin(void *s, enum report_style style)
{
    struct out *o = s;

    text_reset(o);
    o->bare = style == REPORT_STYLE_BARE;
    if (!o->bare)
        text_put(o, "- ");
}

static void text_item_end(void *s)
{
    struct out *o = s;
    int indent = text_layout(o)->indent;

    wrap_hang(o, indent, o->bare ? indent : indent + 2, o->buf);
    o->after_table = 0;
}

static void text_table_begin(void *s, const struct report_table *t)
{
    struct out *o = s;

    o->t = t;
    o->block = t->id;
    text_reset(o);
}

static void text_table_detail(void *s, const struct report_table *t)
{
    struct out *o = s;

    (void)t;
    snprintf(o->caption, sizeof(o->caption), "%s", o->buf);
    text_reset(o);
}

static void text_table_head(void *s, const struct report_table *t)
{
    struct out *o = s;
    const struct text_layout *l = &text_layouts[t->id];
    size_t i;

    if (t->kind == REPORT_TABLE_GROUP) {
        char g[256];

        /* the heading and its note within the page, however long the name */
        fmt_fit(g, sizeof(g), o->caption, TEXT_WIDTH - 2 - (int)strlen(o->buf));
        fprintf(o->f, "\n  %s%s\n", g, o->buf);
        return;
    }
    if (!l->titles)
        return;
    fprintf(o->f, "%*s", l->row_indent, "");
    for (i = 0; i < t->n_cols; i++)
        fprintf(o->f, "%s%*s", i ? " " : "", l->widths[i], t->cols[i].title);
    fputc('\n', o->f);
}

static void text_rows_caption(void *s, const char *text)
{
    struct out *o = s;

    fprintf(o->f, "  %s\n", text);
}

static void text_row_begin(void *s)
{
    struct out *o = s;

    memset(o->cell_span, 0, sizeof(o->cell_span));
}

static void text_cell_begin(void *s, const struct report_table *t, size_t col, int span)
{
    struct out *o = s;

    (void)t;
    (void)span;
    o->in_cell = 1;
    o->col = col;
    text_reset(o);
}

static void text_cell_end(void *s, const struct report_table *t, size_t col, int span)
{
    struct out *o = s;

    (void)t;
    o->in_cell = 0;
    if (col >= TEXT_COLS)
        return;
    memcpy(o->cell[col], o->buf, sizeof(o->buf));
    o->cell_span[col] = span;
    o->cell_named[col] = o->named;
}

#define APPX_KEY 30
#define APPX_VALUE 20

/* One assumption: key, value and where it came from, the origin under the
 * value when either is long. */
static void appendix_row(struct out *o)
{
    const char *key = o->cell[0], *origin = o->cell[2];
    char v[128];

    fmt_fit(v, sizeof(v), o->cell[1], TEXT_WIDTH - 6 - APPX_KEY);
    if (4 + APPX_KEY + 1 + fmt_width(origin) > TEXT_WIDTH) {
        /* a measured value's query, a derivation: wrapped under the value */
        fprintf(o->f, "    %-*s %s\n", APPX_KEY, key, v);
        wrap(o, 4 + APPX_KEY + 1, origin);
    } else if (fmt_width(v) > APPX_VALUE ||
               4 + APPX_KEY + 1 + APPX_VALUE + 1 + fmt_width(origin) > TEXT_WIDTH)
        fprintf(o->f, "    %-*s %s\n    %*s %s\n", APPX_KEY, key, v, APPX_KEY, "", origin);
    else
        fprintf(o->f, "    %-*s %-*s %s\n", APPX_KEY, key,
                APPX_VALUE + (int)strlen(v) - fmt_width(v), v, origin);
}

static void text_row_end(void *s)
{
    struct out *o = s;
    const struct text_layout *l = &text_layouts[o->t->id];
    size_t i, below = l->wrap_last ? o->t->n_cols - 1 : TEXT_COLS;

    if (o->t->id == REPORT_BLOCK_APPENDIX) {
        appendix_row(o);
        return;
    }
    fprintf(o->f, "%*s", l->row_indent, "");
    for (i = 0; i < o->t->n_cols && i < TEXT_COLS; i++) {
        int w = l->widths[i];

        if (o->cell_span[i] == 0 || i == below)
            continue;
        if (i > 0)
            fputc(' ', o->f);
        if (o->cell_span[i] > 1 || w == 0)
            fputs(o->cell[i], o->f);
        else if (o->cell_named[i] && w < 0)    /* by display width: names may be multi-byte */
            fprintf(o->f, "%s%*s", o->cell[i], -w - fmt_width(o->cell[i]), "");
        else if (o->cell_named[i])
            fprintf(o->f, "%*s%s", w - fmt_width(o->cell[i]), "", o->cell[i]);
        else
            fprintf(o->f, "%*s", w, o->cell[i]);
    }
    fputc('\n', o->f);
    if (below < TEXT_COLS && o->cell_span[below] != 0)
        wrap(o, l->row_indent + 2, o->cell[below]);
}

static void text_table_end(void *s)
{
    struct out *o = s;

    o->after_table = 1;
    o->t = NULL;
}

static void text_plain(void *s, const char *text)
{
    text_put(s, text);
}

static void text_text(void *s, const char *text)
{
    text_put(s, text);
}

/* Names are cut to fit: in a table to the column, in a heading to 60
 * columns, elsewhere to 40 (a service), 20 (a language) or 64 (a path). */
static void text_name(void *s, enum report_name kind, const char *text)
{
    struct out *o = s;
    char name[256];
    size_t len = kind == REPORT_NAME_LANGUAGE ? 64 : kind == REPORT_NAME_PATH ? 256 : 128;
    int width = kind == REPORT_NAME_LANGUAGE ? 20 : kind == REPORT_NAME_PATH ? 64 : 40;

    if (o->in_cell && o->t != NULL && o->t->kind != REPORT_TABLE_KV && o->col < TEXT_COLS)
        width = abs(text_layouts[o->t->id].widths[o->col]);
    if (o->in_heading && kind == REPORT_NAME_SERVICE) {
        len = 256;
        width = 60;
    }
    fmt_fit(name, len, text, width);
    if (o->in_heading)
        o->heading_name_width = fmt_width(name);
    o->named = 1;
    text_put(o, name);
}

static void text_rank(void *s, int rank)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "#%-2d ", rank);
    text_put(s, buf);
}

static void text_money(void *s, const char *cur, double v, int compact)
{
    char buf[64];

    text_put(s, compact ? fmt_money_short(buf, sizeof(buf), cur, v)
                        : fmt_money(buf, sizeof(buf), cur, v));
}

/* Quotes for emphasis ("line N"); nothing for strong. */
static void text_emph(void *s, int strong)
{
    if (!strong)
        text_put(s, "\"");
}

static void text_times(void *s)
{
    text_put(s, "x");
}

/* In a heading, the verdict at the right margin. */
static void text_rec(void *s, enum recommendation r, int verdict)
{
    struct out *o = s;
    const char *up = report_outline_verdict(r);
    char pad[TEXT_WIDTH + 1];
    int n;

    if (!verdict) {
        text_put(o, recommendation_name(r));
        return;
    }
    n = TEXT_WIDTH - 4 - o->heading_name_width - (int)strlen(up);
    n = n > 1 ? n : 1;
    snprintf(pad, sizeof(pad), "%*s", n, "");
    text_put(o, pad);
    text_put(o, up);
}

/* What moves NPV most, as a list (the rest are drawn after the prose). */
static void tornado_list(struct out *o, const struct service_analysis *sa)
{
    char a[48], b[48];
    size_t i;

    if (sa->n_tornado == 0)
        return;
    fprintf(o->f, "  Moves NPV most (each at low and high, the rest at likely):\n");
    for (i = 0; i < sa->n_tornado && i < 5; i++) {
        const struct tornado_entry *t = &sa->tornado[i];

        if (t->swing < 0.5)
            break;   /* sorted: the rest move NPV by less than a unit */
        fprintf(o->f, "    %-28s %13s .. %s\n", cost_param_name(t->param),
                fmt_money(a, sizeof(a), o->cur, t->npv_at_low),
                fmt_money(b, sizeof(b), o->cur, t->npv_at_high));
    }
}

static void text_chart(void *s, enum report_chart kind, const struct service_analysis *sa,
                       const struct report_ctx *c, const char *cur)
{
    struct out *o = s;

    (void)cur;
    switch (kind) {
    case REPORT_CHART_SERIES:
        series_block(o, c, sa);
        break;
    case REPORT_CHART_TORNADO:
        tornado_list(o, sa);
        break;
    case REPORT_CHART_HISTOGRAM:
        o->histogram = sa;
        break;
    case REPORT_CHART_CASH:
        o->cash = sa;
        break;
    case REPORT_CHART_TIMELINE:
        o->timeline = sa;
        break;
    }
}

static const struct report_sink text_sink = {
    .detail = REPORT_DETAIL_BRIEF,
    .part_begin = text_part_begin,
    .part_end = text_part_end,
    .heading_begin = text_heading_begin,
    .heading_end = text_heading_end,
    .para_begin = text_para_begin,
    .para_end = text_para_end,
    .item_begin = text_item_begin,
    .item_end = text_item_end,
    .table_begin = text_table_begin,
    .table_detail = text_table_detail,
    .table_head = text_table_head,
    .rows_caption = text_rows_caption,
    .row_begin = text_row_begin,
    .cell_begin = text_cell_begin,
    .cell_end = text_cell_end,
    .row_end = text_row_end,
    .table_end = text_table_end,
    .plain = text_plain,
    .text = text_text,
    .name = text_name,
    .rank = text_rank,
    .sentence_break = text_sentence_break,
    .money = text_money,
    .emph_begin = text_emph,
    .emph_end = text_emph,
    .times = text_times,
    .rec = text_rec,
    .chart = text_chart,
};

/* The currency symbol comes from the config, and money is printed in
 * many places that are not sanitised one by one: clean it once (its 7
 * bytes grow to 4 times that at most). */
static void clean_currency(char *cur, size_t len, const struct report_ctx *c)
{
    util_sanitize(cur, len, c->assumptions->economics.currency);
}

/* The whole report, or (ranking_only) the ranking that verdict score prints. */
static int text_write(FILE *f, const struct report_ctx *c, int ranking_only)
{
    struct out o;
    char cur[64];

    memset(&o, 0, sizeof(o));
    o.f = f;
    o.cur = cur;
    clean_currency(cur, sizeof(cur), c);
    if (ranking_only)
        report_outline_ranking(&text_sink, &o, c, cur);
    else
        report_outline(&text_sink, &o, c, cur);
    return ferror(f) ? -1 : 0;
}

int report_text(FILE *f, const struct report_ctx *c)
{
    return text_write(f, c, 0);
}

int report_text_ranking(FILE *f, const struct report_ctx *c)
{
    return text_write(f, c, 1);
}
