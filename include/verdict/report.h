/* report.h: the format table and the writers that turn an analysis into a report. */
#ifndef VERDICT_REPORT_H
#define VERDICT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "verdict/analysis.h"
#include "verdict/assumptions.h"
#include "verdict/measure.h"

/* Everything a writer reads.  Writers compute no model numbers of their
 * own: they format what the analysis holds. */
struct report_ctx {
    const struct assumptions *assumptions;
    const struct measurements *measurements;
    const struct analysis *analysis;
    const char *config_name;     /* where the assumptions came from */
    uint64_t seed;
    size_t draws;
    const char *generated_at;    /* RFC 3339, or NULL to leave it out */
};

/* Each returns 0, or -1 when writing to f failed. */

/* Full report, 80 columns, form feed between sections. */
int report_text(FILE *f, const struct report_ctx *c);
/* Ranking table only (verdict score). */
int report_text_ranking(FILE *f, const struct report_ctx *c);

/* JSON, schema verdict.report/1 (verdict score --format json writes the
 * same document). */
int report_json(FILE *f, const struct report_ctx *c);

/* The ranking, one row per service, RFC 4180, formula-injection guarded. */
int report_csv(FILE *f, const struct report_ctx *c);

/* GitHub-flavoured Markdown, every untrusted string escaped. */
int report_md(FILE *f, const struct report_ctx *c);

/* One self-contained HTML file (inline CSS and SVG, no script, no external
 * reference) with a print stylesheet; every untrusted string escaped. */
int report_html(FILE *f, const struct report_ctx *c);

typedef int (*report_writer_fn)(FILE *f, const struct report_ctx *c);

/* The output formats, one row each: the command line's --format and its
 * messages, the batch writer and the TUI's export all read this table, so
 * a format is added here and nowhere else.  The first row is the default.
 * To add a format: write its report_<name>, add a row, and give
 * tests/golden a file for it. */
struct report_format {
    const char *name;           /* as --format and :export spell it: "md" */
    const char *ext;            /* of a default file name, without the dot: "txt" */
    report_writer_fn write;     /* the full report (verdict report, the export) */
    report_writer_fn ranking;   /* verdict score; NULL: a report-only format */
    int diff;                   /* the enum diff_format verdict diff writes; -1: none */
};

extern const struct report_format report_formats[];
extern const size_t report_n_formats;

/* The row called name, or NULL (name may be NULL). */
const struct report_format *report_format_find(const char *name);

/* Which rows report_format_names lists. */
enum report_format_set {
    REPORT_FORMATS_ALL,
    REPORT_FORMATS_RANKING,         /* those verdict score writes */
    REPORT_FORMATS_REPORT_ONLY      /* those it does not */
};

/* The names of the set's formats in table order, joined by sep and the
 * last two by last: (", ", " or ") gives "text, json or csv".  Writes at
 * most len bytes into buf, always terminated; returns buf. */
char *report_format_names(char *buf, size_t len, enum report_format_set set, const char *sep,
                          const char *last);

/* The seeds' equation (seed 000) as lines: EQ_INFRA..EQ_BENEFIT are the
 * benefit side per month, EQ_MIGRATION..EQ_COST the costs. */
enum equation_term {
    EQ_INFRA, EQ_INCIDENTS, EQ_PRODUCTIVITY, EQ_LATENCY, EQ_BENEFIT,
    EQ_MIGRATION, EQ_VELOCITY, EQ_OVERLAP, EQ_DOUBLE_BUILD, EQ_COST,
    EQ_LINES
};

struct equation_line {
    const char *label;      /* "infrastructure", "+ incidents", "= benefit", ... */
    char how[160];          /* the factors, e.g. "3/month x 50% avoided x $8,000" */
    double amount;          /* currency */
    int total;              /* 1: "= benefit" or "= cost" */
};

/* Fill the EQ_LINES lines for one service at likely values; currency is the
 * display symbol.  Numbers and fixed words only: nothing to escape. */
void report_equation(const struct service_analysis *sa, const char *currency,
                     struct equation_line out[EQ_LINES]);

/* The sentences that follow the equation, at likely values, the same in
 * every writer and on the Cost screen.  Plain text: the currency symbol
 * is the user's, so each writer escapes them for its own format. */
struct outcome_text {
    char horizon[320];      /* "Over 24 months: $22,500 benefit x 20.97 months live = ..." */
    char result[400];       /* "Break-even month 13 of 24 (discounted: month 14); NPV at
                               likely values $210,941 at 10% a year; ROI ..." */
    char calendar[320];     /* "Migration takes 3.0 months to the last cutover with 4 ..." */
    char uncertainty[320];  /* "Over 10,000 draws the rewrite pays off (NPV > 0) in 97% ..." */
};

void report_outcome(const struct service_analysis *sa, const char *currency,
                    struct outcome_text *out);

/* The summary's last sentence: the plan's NPV over the horizon and the
 * engineer-months it takes (of those available, when a capacity is set).
 * Plain text, to escape like report_outcome's. */
void report_plan_total(const struct analysis *an, const char *currency, int horizon_months,
                       char *buf, size_t len);

/* The report's METHOD section, one sentence group per paragraph, shared
 * by every format (plain text: each writer escapes it for its own). */
#define REPORT_METHOD_PARAGRAPHS 2
extern const char *const report_method[REPORT_METHOD_PARAGRAPHS];

/* One data-quality problem: the service ("discovery" for a failed
 * discovery query), the signal or NULL, and one sentence (untrusted: the
 * server's message may be in it; the writer escapes). */
typedef void (*report_quality_fn)(void *arg, const char *service, const char *signal,
                                  const char *text);

/* Call item for every data-quality problem, in ranking order: a failed
 * discovery, services without measurements, failed or partial queries,
 * gaps, too little data.  Returns how many there were. */
size_t report_quality(const struct report_ctx *c, report_quality_fn item, void *arg);

/* One assumption in the appendix.  group and key together are the YAML
 * path ("economics.learning_curve.none" + "months"); group is untrusted
 * for languages and services (it holds their names: escape it). */
struct appendix_row {
    const char *group;
    const char *key;
    const struct service_spec *service;  /* the service's rows; else NULL */
    int new_group;          /* 1 on the first row of a group */
    char value[96];         /* as the file would give it: "[2, 3, 5]", "4.0 GiB" */
    char origin[512];       /* "line 12", "--set", "default, seed 001", "default",
                             * "measured: QUERY", "derived: ..." (inventory.h) */
};

typedef void (*report_appendix_fn)(void *arg, const struct appendix_row *row);

/* Call row for every assumption the numbers rest on: economics, learning
 * curves, effort phases, thresholds, scoring weights, language profiles,
 * then each service's inputs.  Returns how many rows. */
size_t report_appendix(const struct report_ctx *c, report_appendix_fn row, void *arg);

/* SOURCE_DATE_EPOCH as unix seconds: 0 when it is set and valid, else -1. */
int report_source_date(double *unix_s);

/* Fill *c for a report on a, m and an.  draws 0 means MC_DEFAULT_DRAWS.
 * The generation time is set (into stamp, stamplen bytes) only when
 * SOURCE_DATE_EPOCH asks for one, so reports are byte-identical run to
 * run.  The CLI and the TUI's export both use this, so they agree. */
void report_ctx_init(struct report_ctx *c, const struct assumptions *a,
                     const struct measurements *m, const struct analysis *an,
                     const char *config_name, uint64_t seed, size_t draws, char *stamp,
                     size_t stamplen);

/* Render with w into a heap buffer (*buf, *len; the caller frees), so a
 * file is written complete or not at all.  Returns 0, or -1 (nothing kept)
 * when the writer failed. */
int report_render(report_writer_fn w, const struct report_ctx *c, char **buf, size_t *len);

#endif /* VERDICT_REPORT_H */
