/* report_html.c: the report as one self-contained, printable HTML file. */
#include "verdict/report.h"

#include <string.h>

#include "verdict/format.h"
#include "report_outline.h"
#include "report_svg.h"
#include "verdict/util.h"

/* The HTML sink of the report outline (report_outline.h): the page's
 * chrome, markup, escaping and the SVG charts. */
struct html {
    FILE *f;
};

/* No script, no external reference: everything is in this file. */
static const char html_css[] =
    "body{font:11pt/1.4 system-ui,sans-serif;color:#222;margin:0 auto;max-width:60em;"
    "padding:0 1em}\n"
    "h1{font-size:1.6em;margin:.4em 0}h2{font-size:1.3em;border-bottom:1px solid #999}"
    "h3{font-size:1.05em;margin:1em 0 .3em}\n"
    "table{border-collapse:collapse;margin:.3em 0;width:100%}"
    "th,td{border:1px solid #ccc;padding:.15em .4em;vertical-align:top;text-align:left}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "thead th{background:#eee}\n"
    "tr,li,svg,.kv{break-inside:avoid;page-break-inside:avoid}\n"
    ".run{font-size:.8em;color:#555;border-bottom:1px solid #ccc;padding:.2em 0}\n"
    ".rec-migrate{color:#075;font-weight:bold}.rec-consider{color:#a60;font-weight:bold}"
    ".rec-keep{color:#555}.rec-unknown{color:#900}\n"
    ".chart{width:100%;height:auto;display:block;margin:.3em 0}"
    ".chart .t{font-size:12px;font-weight:bold}.chart .ax{font-size:10px;fill:#444}"
    ".fr{fill:none;stroke:#bbb}.band{fill:#9cc3e6;stroke:none;opacity:.6}"
    ".line{fill:none;stroke:#1f5f99;stroke-width:1.5}.zero{stroke:#888;stroke-dasharray:3 3}"
    ".mark{stroke:#c33;stroke-width:1.2}.bar{fill:#6a9fd0}\n"
    ".note{color:#666;font-style:italic}.flag{color:#900}\n"
    "section.cand{margin-top:2em}\n"
    ".appx table{table-layout:fixed}.appx col.k{width:50%}.appx col.v{width:25%}"
    ".appx td{overflow-wrap:anywhere}\n"
    "@page{margin:20mm 15mm 15mm 15mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:9.5pt}"
    "section.cand,section.appx{break-before:page;page-break-before:always}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    ".run{display:none}"
    "a{color:inherit;text-decoration:none}}\n";

/* 1 when s holds an invisible or reordering character, or the escape
 * util_sanitize made of one (server messages arrive sanitised). */
static int has_invisible(const char *s)
{
    while (s != NULL && *s != '\0') {
        unsigned long cp = 0;
        size_t n = util_utf8_len(s, &cp);

        if ((n > 0 && util_invisible(cp)) || util_escape_len(s) > 0)
            return 1;
        s += n > 0 ? n : 1;
    }
    return 0;
}

/*
 * Untrusted text as element content, escaped by report_svg_esc, which
 * shows an invisible or reordering character as "&lt;U+202E&gt;": the
 * reader has to see it, and an entity (&#x202E;) would put the character
 * itself back in the page.  Text that held one was made to mislead, so
 * it is also isolated from the sentence around it, in
 * <bdi dir="ltr">: bdi is isolated by the browser's own stylesheet
 * (Chromium prints it as plain inline text, nothing to style or lose when
 * the page is copied), and dir="ltr", rather than bdi's "auto", keeps the
 * escape where the text and terminal outputs put it even when the text
 * starts with a right-to-left letter.  Other text is written as it is, so
 * ordinary names print as before.
 */
static void esc(struct html *o, const char *s)
{
    int isolate = has_invisible(s);

    if (isolate)
        fputs("<bdi dir=\"ltr\">", o->f);
    report_svg_esc(o->f, s);
    if (isolate)
        fputs("</bdi>", o->f);
}

static void rec_span(struct html *o, enum recommendation r)
{
    fprintf(o->f, "<span class=\"rec-%s\">%s</span>", recommendation_name(r),
            recommendation_name(r));
}

/* Untrusted text as the inside of a CSS string: everything but plain
 * letters, digits and a few safe marks is a hex escape, so neither a quote
 * nor "</style>" can end it; control characters are dropped, invisible
 * ones written as their visible escape. */
static void css_string(struct html *o, const char *s)
{
    while (s != NULL && *s != '\0') {
        unsigned char ch = (unsigned char)*s;
        unsigned long cp = ch;
        size_t n = 1;

        if (ch >= 0x80) {
            n = util_utf8_len(s, &cp);
            if (n == 0) {
                s++;
                continue;
            }
        }
        s += n;
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            continue;
        if (util_invisible(cp)) {
            char e[UTIL_ESCAPE_SIZE];

            /* visible, as in the body ("\3c U\2b 202E\3e ") */
            util_escape(e, cp);
            css_string(o, e);
            continue;
        }
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
            (cp >= '0' && cp <= '9') || strchr(" .,:_-()/", (int)cp) != NULL)
            fputc((int)cp, o->f);
        else
            fprintf(o->f, "\\%lx ", cp);
    }
}

/* The running header of every printed page, in the page margin (CSS
 * Paged Media margin boxes, Chromium 131 and later). */
static void print_header(struct html *o, const struct report_ctx *c)
{
    const struct measurements *m = c->measurements;
    char t[64];

    fprintf(o->f, "@page{@top-left{content:\"Verdict report");
    if (c->generated_at != NULL) {
        fprintf(o->f, ", ");
        css_string(o, c->generated_at);
    }
    fprintf(o->f, "\";font:8pt sans-serif;color:#555}@top-right{content:\"data: ");
    css_string(o, m != NULL && m->source ? m->source : "-");
    if (m != NULL)
        fprintf(o->f, " ending %s", fmt_time(t, sizeof(t), m->end_s));
    fprintf(o->f, "\";font:8pt sans-serif;color:#555}"
            "@bottom-right{content:counter(page);font:8pt sans-serif}}\n");
}

/* The same line at the top of the screen view. */
static void running_header(struct html *o, const struct report_ctx *c)
{
    const struct measurements *m = c->measurements;
    char t[64];

    fprintf(o->f, "<div class=\"run\">Verdict report &middot; data: ");
    esc(o, m != NULL && m->source ? m->source : "-");
    if (m != NULL)
        fprintf(o->f, " ending %s", fmt_time(t, sizeof(t), m->end_s));
    if (c->generated_at != NULL) {
        fprintf(o->f, " &middot; generated ");
        esc(o, c->generated_at);
    }
    fprintf(o->f, "</div>\n");
}

static void html_begin(void *s, const struct report_ctx *c)
{
    struct html *o = s;

    fprintf(o->f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Verdict report</title>\n<style>\n%s", html_css);
    print_header(o, c);
    fprintf(o->f, "</style>\n</head>\n<body>\n");
    running_header(o, c);
}

static void html_end(void *s)
{
    struct html *o = s;

    fprintf(o->f, "</body>\n</html>\n");
}

/* Sections, so print starts each on a page of its own. */
static void html_part_begin(void *s, enum report_part part, int rank)
{
    struct html *o = s;

    if (part == REPORT_PART_SERVICE)
        fprintf(o->f, "<section class=\"cand\" id=\"svc-%d\">\n", rank);
    else
        fprintf(o->f, "<section class=\"appx\">\n");
}

static void html_part_end(void *s, enum report_part part)
{
    struct html *o = s;

    (void)part;
    fprintf(o->f, "</section>\n");
}

static void html_heading_begin(void *s, int level, enum report_block id)
{
    struct html *o = s;

    (void)id;
    fprintf(o->f, "<h%d>", level);
}

static void html_heading_end(void *s, int level)
{
    struct html *o = s;

    fprintf(o->f, "</h%d>\n", level);
}

static const char *html_class(enum report_style style)
{
    switch (style) {
    case REPORT_STYLE_NOTE:
        return " class=\"note\"";
    case REPORT_STYLE_FLAG:
        return " class=\"flag\"";
    default:
        return "";
    }
}

static void html_para_begin(void *s, enum report_style style)
{
    struct html *o = s;

    fprintf(o->f, "<p%s>", html_class(style));
}

static void html_para_end(void *s)
{
    struct html *o = s;

    fprintf(o->f, "</p>\n");
}

static void html_list_begin(void *s)
{
    struct html *o = s;

    fprintf(o->f, "<ul>\n");
}

static void html_item_begin(void *s, enum report_style style)
{
    struct html *o = s;

    fprintf(o->f, "<li%s>", html_class(style));
}

static void html_item_end(void *s)
{
    struct html *o = s;

    fprintf(o->f, "</li>\n");
}

static void html_list_end(void *s)
{
    struct html *o = s;

    fprintf(o->f, "</ul>\n");
}

static const char *html_n(int numeric)
{
    return numeric ? " class=\"n\"" : "";
}

/* A group's caption is its table's only header cell, across the columns. */
static void html_table_begin(void *s, const struct report_table *t)
{
    struct html *o = s;

    if (t->kind == REPORT_TABLE_GROUP)
        fprintf(o->f, "<table class=\"kv\"><colgroup><col class=\"k\"><col class=\"v\"><col>"
                "</colgroup><thead><tr><th colspan=\"%zu\">", t->n_cols);
    else
        fprintf(o->f, "<table%s>", t->kind == REPORT_TABLE_KV ? " class=\"kv\"" : "");
}

static void html_table_head(void *s, const struct report_table *t)
{
    struct html *o = s;
    size_t i;

    if (t->kind == REPORT_TABLE_GROUP) {
        fprintf(o->f, "</th></tr></thead><tbody>\n");
        return;
    }
    if (t->kind == REPORT_TABLE_PLAIN) {
        fprintf(o->f, "<thead><tr>");
        for (i = 0; i < t->n_cols; i++)
            fprintf(o->f, "<th%s>%s</th>", html_n(t->cols[i].numeric), t->cols[i].title);
        fprintf(o->f, "</tr></thead>");
    }
    fprintf(o->f, "<tbody>\n");
}

static void html_row_begin(void *s)
{
    struct html *o = s;

    fprintf(o->f, "<tr>");
}

/* In a KV table the first column names the row: a header cell. */
static void html_cell_begin(void *s, const struct report_table *t, size_t col, int span)
{
    struct html *o = s;

    if (t->kind == REPORT_TABLE_KV && col == 0)
        fprintf(o->f, "<th>");
    else if (span > 1)
        fprintf(o->f, "<td colspan=\"%d\">", span);
    else
        fprintf(o->f, "<td%s>", html_n(t->cols[col].numeric));
}

static void html_cell_end(void *s, const struct report_table *t, size_t col, int span)
{
    struct html *o = s;

    (void)span;
    fprintf(o->f, t->kind == REPORT_TABLE_KV && col == 0 ? "</th>" : "</td>");
}

static void html_row_end(void *s)
{
    struct html *o = s;

    fprintf(o->f, "</tr>\n");
}

static void html_table_end(void *s)
{
    struct html *o = s;

    fprintf(o->f, "</tbody></table>\n");
}

static void html_plain(void *s, const char *text)
{
    struct html *o = s;

    fputs(text, o->f);
}

static void html_text(void *s, const char *text)
{
    esc(s, text);
}

static void html_money(void *s, const char *cur, double v, int compact)
{
    char buf[64];

    esc(s, compact ? fmt_money_short(buf, sizeof(buf), cur, v)
                   : fmt_money(buf, sizeof(buf), cur, v));
}

static void html_emph_begin(void *s, int strong)
{
    struct html *o = s;

    fputs(strong ? "<strong>" : "<i>", o->f);
}

static void html_emph_end(void *s, int strong)
{
    struct html *o = s;

    fputs(strong ? "</strong>" : "</i>", o->f);
}

static void html_link_begin(void *s, int rank)
{
    struct html *o = s;

    fprintf(o->f, "<a href=\"#svc-%d\">", rank);
}

static void html_link_end(void *s)
{
    struct html *o = s;

    fputs("</a>", o->f);
}

static void html_name(void *s, enum report_name kind, const char *text)
{
    (void)kind;
    html_text(s, text);
}

static void html_rank(void *s, int rank)
{
    struct html *o = s;

    fprintf(o->f, "#%d ", rank);
}

static void html_sentence_break(void *s)
{
    html_plain(s, " ");
}

static void html_times(void *s)
{
    html_plain(s, "&times;");
}

static void html_rec(void *s, enum recommendation r, int verdict)
{
    struct html *o = s;

    if (verdict)
        fputs(" &mdash; ", o->f);
    rec_span(o, r);
}

static void html_chart(void *s, enum report_chart kind, const struct service_analysis *sa,
                       const struct report_ctx *c, const char *cur)
{
    const struct service_data *d = sa->data;
    const struct cost_result *r = &sa->cost;
    struct html *o = s;

    (void)c;
    switch (kind) {
    case REPORT_CHART_SERIES:
        report_svg_series(o->f, "p99 latency", &d->signals[SIGNAL_P99_LATENCY].chart,
                          fmt_latency);
        report_svg_series(o->f, "p50 latency", &d->signals[SIGNAL_P50_LATENCY].chart,
                          fmt_latency);
        report_svg_series(o->f, "CPU cores (fleet)", &d->signals[SIGNAL_CPU].chart, NULL);
        report_svg_series(o->f, "Memory (fleet)", &d->signals[SIGNAL_MEMORY].chart,
                          fmt_bytes);
        break;
    case REPORT_CHART_CASH:
        report_svg_cash(o->f, r->cumulative, r->n_months, r->break_even_month, cur);
        break;
    case REPORT_CHART_HISTOGRAM:
        report_svg_histogram(o->f, &sa->mc, cur);
        break;
    case REPORT_CHART_TORNADO:
        report_svg_tornado(o->f, sa->tornado, sa->n_tornado, r->npv, cur);
        break;
    case REPORT_CHART_TIMELINE:
        report_svg_timeline(o->f, &sa->effort);
        break;
    }
}

static const struct report_sink html_sink = {
    .detail = REPORT_DETAIL_FULL,
    .begin = html_begin,
    .end = html_end,
    .part_begin = html_part_begin,
    .part_end = html_part_end,
    .heading_begin = html_heading_begin,
    .heading_end = html_heading_end,
    .para_begin = html_para_begin,
    .para_end = html_para_end,
    .list_begin = html_list_begin,
    .item_begin = html_item_begin,
    .item_end = html_item_end,
    .list_end = html_list_end,
    .table_begin = html_table_begin,
    .table_head = html_table_head,
    .row_begin = html_row_begin,
    .cell_begin = html_cell_begin,
    .cell_end = html_cell_end,
    .row_end = html_row_end,
    .table_end = html_table_end,
    .plain = html_plain,
    .text = html_text,
    .name = html_name,
    .rank = html_rank,
    .sentence_break = html_sentence_break,
    .money = html_money,
    .emph_begin = html_emph_begin,
    .emph_end = html_emph_end,
    .link_begin = html_link_begin,
    .link_end = html_link_end,
    .times = html_times,
    .rec = html_rec,
    .chart = html_chart,
};

int report_html(FILE *f, const struct report_ctx *c)
{
    struct html o = { f };

    report_outline(&html_sink, &o, c, c->assumptions->economics.currency);
    return ferror(f) ? -1 : 0;
}
