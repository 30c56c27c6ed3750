/* report.c: what every report shares: its context, its date, rendering into memory. */
#include "verdict/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/units.h"
#include "verdict/util.h"

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
    "Recommendation: migrate needs the score, a positive NPV and enough simulated "
    "outcomes that pay off, with no red flag; consider when a red flag stands or "
    "only the optimistic case pays; keep otherwise; unknown without enough data.",
    "Cost model, month by month: migration effort (the seeds' phases unless "
    "given) and the team's learning-curve velocity loss are paid first; once live, the "
    "benefit is the infrastructure the smaller fleet saves (CPU- or memory-bound fleets "
    "shrink, a fleet at its availability floor does not), incidents avoided and any "
    "productivity gain. NPV discounts monthly from the annual rate. Every range is "
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
