/* report.h: writers that turn an analysis into text, JSON or CSV. */
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

#endif /* VERDICT_REPORT_H */
