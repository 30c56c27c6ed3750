/* report_outline.h: the report's sections written once, for the formats' sinks to lay out. */
#ifndef VERDICT_REPORT_OUTLINE_H
#define VERDICT_REPORT_OUTLINE_H

#include <stddef.h>

#include "verdict/report.h"

/*
 * report_outline walks the report once, in order (header, summary,
 * ranking, each service: measurements, score, red flags, checklist, the
 * honest math, cash flow, uncertainty, effort; data quality, method,
 * appendix), decides every word and number and where it goes, and hands
 * them to a sink: a table of the operations below, the way ncdu's scanner
 * feeds either its browser or its exporter.  A sink only lays out and
 * escapes; it computes nothing.
 *
 * Blocks (heading, paragraph, list, table) hold spans (plain, text,
 * money, ...); a table holds rows of cells.  The operations marked
 * "may be NULL" may be left out where a format has nothing to write.
 * To add a format: write a sink beside report_md.c's, and a row in
 * report_formats.
 */

enum report_part {
    REPORT_PART_SERVICE,        /* one service's section; rank is its anchor */
    REPORT_PART_APPENDIX
};

enum report_style {
    REPORT_STYLE_NORMAL,
    REPORT_STYLE_NOTE,          /* an aside: "Pays: ...", "No measurements" */
    REPORT_STYLE_FLAG,          /* a warning: an error, a red flag */
    REPORT_STYLE_BARE           /* a list item without its bullet */
};

/* How much a format shows.  Brief (plain text, 80 columns): no checklist,
 * no minor headings, its own terse wordings; standard (Markdown); full
 * (HTML): the longer wordings and the asides (the recommendation beside
 * each name of the plan, the effort paragraph). */
enum report_detail {
    REPORT_DETAIL_BRIEF,
    REPORT_DETAIL_STANDARD,
    REPORT_DETAIL_FULL
};

/* Which block a heading or a table is, for a layout that treats one on
 * its own (plain text's column widths, its headings merged with the
 * column titles). */
enum report_block {
    REPORT_BLOCK_TITLE,
    REPORT_BLOCK_HEADER,
    REPORT_BLOCK_SUMMARY,
    REPORT_BLOCK_RANKING,
    REPORT_BLOCK_SERVICE,
    REPORT_BLOCK_MEASURED,
    REPORT_BLOCK_SCORE,
    REPORT_BLOCK_RED_FLAGS,
    REPORT_BLOCK_CHECKLIST,
    REPORT_BLOCK_MATH,
    REPORT_BLOCK_CASH_FLOW,
    REPORT_BLOCK_UNCERTAINTY,
    REPORT_BLOCK_TORNADO,
    REPORT_BLOCK_EFFORT,
    REPORT_BLOCK_QUALITY,
    REPORT_BLOCK_METHOD,
    REPORT_BLOCK_APPENDIX,
    REPORT_BLOCK_SCHEDULE,      /* the plan's calendar, after the summary */
    REPORT_BLOCK_COUNT
};

/* What an untrusted name names, for a layout that cuts names to fit. */
enum report_name {
    REPORT_NAME_SERVICE,
    REPORT_NAME_LANGUAGE,
    REPORT_NAME_PATH            /* a file, a URL: the config, the data source */
};

enum report_table_kind {
    REPORT_TABLE_PLAIN,         /* column titles, then rows */
    REPORT_TABLE_KV,            /* no titles; the first column names the row */
    REPORT_TABLE_GROUP          /* a caption (name, table_detail, detail), then titles */
};

struct report_column {
    const char *title;
    int numeric;                /* right-aligned figures */
};

struct report_table {
    enum report_block id;
    enum report_table_kind kind;
    const struct report_column *cols;
    size_t n_cols;
};

enum report_chart {
    REPORT_CHART_SERIES,        /* the measured signals over the range */
    REPORT_CHART_CASH,          /* cumulative cash flow */
    REPORT_CHART_HISTOGRAM,     /* the Monte Carlo NPV spread */
    REPORT_CHART_TORNADO,       /* what moves NPV most */
    REPORT_CHART_TIMELINE       /* the effort phases */
};

struct report_sink {
    enum report_detail detail;
    /* may be NULL: begin, end, part_begin, part_end */
    void (*begin)(void *s, const struct report_ctx *c);
    void (*end)(void *s);
    void (*part_begin)(void *s, enum report_part part, int rank);
    void (*part_end)(void *s, enum report_part part);

    void (*heading_begin)(void *s, int level, enum report_block id);  /* level 1, 2 or 3 */
    void (*heading_end)(void *s, int level);
    void (*para_begin)(void *s, enum report_style style);
    void (*para_end)(void *s);
    void (*list_begin)(void *s);                   /* may be NULL, as list_end */
    void (*item_begin)(void *s, enum report_style style);
    void (*item_end)(void *s);
    void (*list_end)(void *s);
    void (*table_begin)(void *s, const struct report_table *t);
    void (*table_detail)(void *s, const struct report_table *t);   /* groups; may be NULL */
    void (*table_head)(void *s, const struct report_table *t);
    /* a caption over the rows that follow, inside the table; may be NULL */
    void (*rows_caption)(void *s, const char *text);
    void (*row_begin)(void *s);
    void (*cell_begin)(void *s, const struct report_table *t, size_t col, int span);
    void (*cell_end)(void *s, const struct report_table *t, size_t col, int span);
    void (*row_end)(void *s);
    void (*table_end)(void *s);                   /* may be NULL */

    void (*plain)(void *s, const char *text);     /* fixed words and numbers */
    void (*text)(void *s, const char *text);      /* untrusted: escape it */
    void (*name)(void *s, enum report_name kind, const char *text);   /* untrusted too */
    void (*rank)(void *s, int rank);              /* "#3", before a service's name */
    void (*sentence_break)(void *s);              /* between a paragraph's sentences */
    void (*money)(void *s, const char *cur, double v, int compact);
    void (*emph_begin)(void *s, int strong);
    void (*emph_end)(void *s, int strong);
    /* to that service's section; may be NULL, as link_end */
    void (*link_begin)(void *s, int rank);
    void (*link_end)(void *s);
    void (*times)(void *s);                       /* the sign in "3 x 4 cores" */
    /* r as a ranking cell (verdict 0) or after a service's name (1) */
    void (*rec)(void *s, enum recommendation r, int verdict);
    void (*chart)(void *s, enum report_chart kind, const struct service_analysis *sa,
                  const struct report_ctx *c, const char *cur);
};

/* Write the whole report to sink k (state s).  cur is the currency symbol
 * the numbers are written with (the sink escapes it, as any text).
 * Returns nothing: the sink's stream holds any error. */
void report_outline(const struct report_sink *k, void *s, const struct report_ctx *c,
                    const char *cur);

/* The ranking alone (verdict score), between begin and end. */
void report_outline_ranking(const struct report_sink *k, void *s, const struct report_ctx *c,
                            const char *cur);

/* The recommendation in capitals, as a service's heading shows it:
 * "MIGRATE". */
const char *report_outline_verdict(enum recommendation r);

#endif /* VERDICT_REPORT_OUTLINE_H */
