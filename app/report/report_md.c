/* report_md.c: the report as GitHub-flavoured Markdown, for a wiki or a pull request. */
#include "verdict/report.h"

#include <stdio.h>

#include "verdict/format.h"
#include "report_outline.h"

/* The Markdown sink of the report outline (report_outline.h): markup and
 * escaping only.  Every block starts with a blank line but the document's
 * first, so blocks never run together whatever comes before them. */
struct md {
    FILE *f;
    int started;            /* a block has been written */
};

static void md_block(struct md *o)
{
    if (o->started)
        fputc('\n', o->f);
    o->started = 1;
}

static void md_heading_begin(void *s, int level, enum report_block id)
{
    struct md *o = s;

    (void)id;
    md_block(o);
    fprintf(o->f, "%.*s ", level, "###");
}

static void md_heading_end(void *s, int level)
{
    struct md *o = s;

    (void)level;
    fputc('\n', o->f);
}

static void md_para_begin(void *s, enum report_style style)
{
    (void)style;
    md_block(s);
}

static void md_para_end(void *s)
{
    struct md *o = s;

    fputc('\n', o->f);
}

static void md_list_begin(void *s)
{
    md_block(s);
}

static void md_item_begin(void *s, enum report_style style)
{
    struct md *o = s;

    if (style != REPORT_STYLE_BARE)
        fputs("- ", o->f);
}

static void md_item_end(void *s)
{
    struct md *o = s;

    fputc('\n', o->f);
}

/* A group's caption is a bold line above its table. */
static void md_table_begin(void *s, const struct report_table *t)
{
    struct md *o = s;

    if (t->kind == REPORT_TABLE_GROUP) {
        md_block(o);
        fputs("**", o->f);
    }
}

static void md_table_detail(void *s, const struct report_table *t)
{
    struct md *o = s;

    (void)t;
    fputs("**", o->f);
}

static void md_table_head(void *s, const struct report_table *t)
{
    struct md *o = s;
    size_t i;

    if (t->kind == REPORT_TABLE_GROUP)
        fputc('\n', o->f);
    md_block(o);
    for (i = 0; i < t->n_cols; i++)
        if (t->kind == REPORT_TABLE_KV)
            fputs("| ", o->f);     /* "| | |": no titles */
        else
            fprintf(o->f, "| %s ", t->cols[i].title);
    fputs("|\n", o->f);
    for (i = 0; i < t->n_cols; i++)
        fputs(!t->cols[i].numeric ? "|---" : t->kind == REPORT_TABLE_GROUP ? "|---:" : "|--:",
              o->f);
    fputs("|\n", o->f);
}

static void md_row_begin(void *s)
{
    struct md *o = s;

    fputc('|', o->f);
}

static void md_cell_begin(void *s, const struct report_table *t, size_t col, int span)
{
    struct md *o = s;

    (void)t;
    (void)col;
    (void)span;
    fputc(' ', o->f);
}

/* A cell that spans n columns is followed by n - 1 empty ones. */
static void md_cell_end(void *s, const struct report_table *t, size_t col, int span)
{
    struct md *o = s;
    int i;

    (void)t;
    (void)col;
    for (i = 0; i < span; i++)
        fputs(" |", o->f);
}

static void md_row_end(void *s)
{
    struct md *o = s;

    fputc('\n', o->f);
}

static void md_plain(void *s, const char *text)
{
    struct md *o = s;

    fputs(text, o->f);
}

static void md_text(void *s, const char *text)
{
    struct md *o = s;

    fmt_md(o->f, text, 0);
}

/* Money with an untrusted currency symbol, escaped. */
static void md_money(void *s, const char *cur, double v, int compact)
{
    char buf[64];

    md_text(s, compact ? fmt_money_short(buf, sizeof(buf), cur, v)
                       : fmt_money(buf, sizeof(buf), cur, v));
}

static void md_emph(void *s, int strong)
{
    struct md *o = s;

    fputs(strong ? "**" : "*", o->f);
}

static void md_name(void *s, enum report_name kind, const char *text)
{
    (void)kind;
    md_text(s, text);
}

static void md_rank(void *s, int rank)
{
    struct md *o = s;

    fprintf(o->f, "#%d ", rank);
}

static void md_sentence_break(void *s)
{
    md_plain(s, " ");
}

static void md_times(void *s)
{
    md_plain(s, "x");
}

static void md_rec(void *s, enum recommendation r, int verdict)
{
    struct md *o = s;

    if (verdict)
        fprintf(o->f, ": %s", report_outline_verdict(r));
    else
        fputs(recommendation_name(r), o->f);
}

/* No pictures: the cash flow at three months, and the tornado as a table. */
static void md_chart(void *s, enum report_chart kind, const struct service_analysis *sa,
                     const struct report_ctx *c, const char *cur)
{
    static const struct report_column cols[] = {
        { "Parameter", 0 }, { "NPV at low", 1 }, { "NPV at high", 1 },
    };
    static const struct report_table t = { REPORT_BLOCK_TORNADO, REPORT_TABLE_PLAIN, cols, 3 };
    const struct cost_result *r = &sa->cost;
    struct md *o = s;
    int mid = r->n_months / 2 > 0 ? r->n_months / 2 : 1;
    size_t i;

    (void)c;
    if (kind == REPORT_CHART_CASH) {
        md_list_begin(o);
        fprintf(o->f, "- Cumulative cash flow at months 1, %d, %d: ", mid, r->n_months);
        if (r->n_months > 0) {
            md_money(o, cur, r->cumulative[0], 1);
            fputs(", ", o->f);
            md_money(o, cur, r->cumulative[mid - 1], 1);
            fputs(", ", o->f);
            md_money(o, cur, r->cumulative[r->n_months - 1], 1);
        }
        md_item_end(o);
    }
    if (kind != REPORT_CHART_TORNADO || sa->n_tornado == 0 || sa->tornado[0].swing < 0.5)
        return;
    md_para_begin(o, REPORT_STYLE_NORMAL);
    md_plain(o, "Moves NPV most (each at low and high, the rest at likely):");
    md_para_end(o);
    md_table_head(o, &t);
    for (i = 0; i < sa->n_tornado && i < 5; i++) {
        const struct tornado_entry *e = &sa->tornado[i];

        if (e->swing < 0.5)
            break;   /* sorted: the rest move NPV by less than a unit */
        fprintf(o->f, "| %s | ", cost_param_name(e->param));
        md_money(o, cur, e->npv_at_low, 0);
        fputs(" | ", o->f);
        md_money(o, cur, e->npv_at_high, 0);
        fputs(" |\n", o->f);
    }
}

static const struct report_sink md_sink = {
    .detail = REPORT_DETAIL_STANDARD,
    .heading_begin = md_heading_begin,
    .heading_end = md_heading_end,
    .para_begin = md_para_begin,
    .para_end = md_para_end,
    .list_begin = md_list_begin,
    .item_begin = md_item_begin,
    .item_end = md_item_end,
    .table_begin = md_table_begin,
    .table_detail = md_table_detail,
    .table_head = md_table_head,
    .row_begin = md_row_begin,
    .cell_begin = md_cell_begin,
    .cell_end = md_cell_end,
    .row_end = md_row_end,
    .plain = md_plain,
    .text = md_text,
    .name = md_name,
    .rank = md_rank,
    .sentence_break = md_sentence_break,
    .money = md_money,
    .emph_begin = md_emph,
    .emph_end = md_emph,
    .times = md_times,
    .rec = md_rec,
    .chart = md_chart,
};

int report_md(FILE *f, const struct report_ctx *c)
{
    struct md o = { f, 0 };

    report_outline(&md_sink, &o, c, c->assumptions->economics.currency);
    return ferror(f) ? -1 : 0;
}
