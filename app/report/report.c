/* report.c: what every report shares: the formats table, its context, its date, rendering. */
#include "verdict/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/diff.h"
#include "verdict/format.h"
#include "verdict/units.h"
#include "verdict/util.h"

const struct report_format report_formats[] = {
    { .name = "text", .ext = "txt", .write = report_text, .ranking = report_text_ranking,
      .diff = DIFF_TEXT },
    { .name = "json", .ext = "json", .write = report_json, .ranking = report_json,
      .diff = DIFF_JSON },
    { .name = "csv", .ext = "csv", .write = report_csv, .ranking = report_csv, .diff = -1 },
    { .name = "md", .ext = "md", .write = report_md, .ranking = NULL, .diff = DIFF_MD },
    { .name = "html", .ext = "html", .write = report_html, .ranking = NULL, .diff = -1 },
};
const size_t report_n_formats = sizeof(report_formats) / sizeof(report_formats[0]);

const struct report_format *report_format_find(const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < report_n_formats; i++)
        if (strcmp(report_formats[i].name, name) == 0)
            return &report_formats[i];
    return NULL;
}

static int report_format_in(const struct report_format *f, enum report_format_set set)
{
    switch (set) {
    case REPORT_FORMATS_RANKING:
        return f->ranking != NULL;
    case REPORT_FORMATS_REPORT_ONLY:
        return f->ranking == NULL;
    default:
        return 1;
    }
}

char *report_format_names(char *buf, size_t len, enum report_format_set set, const char *sep,
                          const char *last)
{
    size_t i, n = 0, k = 0, used = 0;

    for (i = 0; i < report_n_formats; i++)
        n += (size_t)report_format_in(&report_formats[i], set);
    if (len > 0)
        buf[0] = '\0';
    for (i = 0; i < report_n_formats && used < len; i++) {
        if (!report_format_in(&report_formats[i], set))
            continue;
        k++;
        used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                 k == 1 ? "" : k == n ? last : sep, report_formats[i].name);
    }
    return buf;
}

int report_source_date(double *unix_s)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");

    return sde != NULL && sde[0] != '\0' && units_parse_time(sde, unix_s) == 0 ? 0 : -1;
}

void report_ctx_init(struct report_ctx *c, const struct assumptions *a,
                     const struct measurements *m, const struct analysis *an,
                     const char *config_name, uint64_t seed, size_t draws, char *stamp,
                     size_t stamplen)
{
    double t;

    memset(c, 0, sizeof(*c));
    c->assumptions = a;
    c->measurements = m;
    c->analysis = an;
    c->config_name = config_name;
    c->seed = seed;
    c->draws = draws ? draws : MC_DEFAULT_DRAWS;
    /* reproducible by default: a generation time only when asked */
    if (stamp != NULL && stamplen > 0 && report_source_date(&t) == 0)
        c->generated_at = fmt_time(stamp, stamplen, t);
}

int report_render(report_writer_fn w, const struct report_ctx *c, char **buf, size_t *len)
{
    FILE *f;
    int rc;

    *buf = NULL;
    *len = 0;
    f = open_memstream(buf, len);
    if (f == NULL)
        xoom();
    rc = w(f, c);
    if (fclose(f) != 0 || rc != 0) {
        free(*buf);
        *buf = NULL;
        *len = 0;
        return -1;
    }
    return 0;
}

const char *const report_method[REPORT_METHOD_PARAGRAPHS] = {
    "Score: a weighted sum of named factors (weights in the assumptions file), "
    "0 to 100; a factor without data drops out and the rest are reweighted. "
    "Recommendation: migrate needs the score, a positive median NPV (P50 of the "
    "simulated outcomes, not the NPV at likely values) and enough simulated "
    "outcomes that pay off, with no veto; consider when a veto stands or "
    "only the optimistic case (P90) pays; keep otherwise; unknown without enough data. "
    "Flags are vetoes (a seed's don't-migrate condition: I/O-bound with no CPU- or "
    "memory-sized fleet to shrink; crud, glue or ml; changes weekly while performance "
    "is good enough; a team new to Rust on a critical service) or cautions, shown "
    "but never blocking.",
    "Cost model, month by month: migration effort (the seeds' phases unless "
    "given) and the team's learning-curve velocity loss are paid first; once live, the "
    "benefit is the infrastructure the smaller fleet saves (CPU- or memory-bound fleets "
    "shrink, a fleet at its availability floor does not), incidents avoided, any "
    "productivity gain, and, for a service with an SLO, the hours a month its measured "
    "p99 spent above it that a p99 cut by the language's p99_reduction would not, at "
    "the SLO's breach cost an hour. NPV discounts monthly from the annual rate. Break-even is the "
    "payback month, from which the cumulative cash flow stays at or above zero, "
    "undiscounted; the discounted break-even is the same on the discounted cash flow "
    "(no earlier, and perhaps never, when the rate is above zero). Every range is "
    "drawn from a triangular distribution in a seeded Monte Carlo.",
};

size_t report_quality(const struct report_ctx *c, report_quality_fn item, void *arg)
{
    const struct analysis *an = c->analysis;
    char line[256];
    size_t i, problems = 0;
    int k;

    if (c->measurements != NULL && c->measurements->discovery_error != NULL) {
        item(arg, "discovery", NULL, c->measurements->discovery_error);
        problems++;
    }
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];
        const struct service_data *d = sa->data;
        size_t gaps = 0, points = 0;

        if (d == NULL) {
            item(arg, sa->spec->name, NULL, "no measurements at all.");
            problems++;
            continue;
        }
        if (d->error != NULL) {
            item(arg, sa->spec->name, NULL, d->error);
            problems++;
        }
        for (k = 0; k < SIGNAL_COUNT; k++) {
            const struct signal_data *s = &d->signals[k];

            if (s->error != NULL || s->warning != NULL) {
                item(arg, sa->spec->name, signal_name((enum signal)k),
                     s->error ? s->error : s->warning);
                problems++;
            }
            gaps += s->stats.gaps;
            points += s->stats.count;
        }
        if (gaps > 0) {
            snprintf(line, sizeof(line), "%zu missing points of %zu expected (%.1f%%), "
                     "skipped in every statistic.", gaps, gaps + points,
                     100.0 * (double)gaps / (double)(gaps + points));
            item(arg, sa->spec->name, NULL, line);
            problems++;
        }
        if (!sa->metrics.enough_data) {
            item(arg, sa->spec->name, NULL, "too little data for a recommendation.");
            problems++;
        }
    }
    return problems;
}
