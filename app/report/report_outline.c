/* report_outline.c: the report's sections, their order and their numbers, once for every sink. */
#include "report_outline.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "verdict/checklist.h"
#include "verdict/format.h"

struct outline {
    const struct report_sink *k;
    void *s;
    const struct report_ctx *c;
    const char *cur;
};

/* Call an operation a sink may leave NULL (nothing to write there). */
#define OPT(o, op, ...) do { if ((o)->k->op != NULL) (o)->k->op((o)->s, __VA_ARGS__); } while (0)
#define OPT0(o, op) do { if ((o)->k->op != NULL) (o)->k->op((o)->s); } while (0)

static void plainf(struct outline *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fixed words with numbers in them (never untrusted text: use text), at
 * most 511 bytes. */
static void plainf(struct outline *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    o->k->plain(o->s, buf);
}

static int brief(const struct outline *o)
{
    return o->k->detail == REPORT_DETAIL_BRIEF;
}

static int full(const struct outline *o)
{
    return o->k->detail == REPORT_DETAIL_FULL;
}

static void heading(struct outline *o, int level, enum report_block id, const char *title)
{
    o->k->heading_begin(o->s, level, id);
    o->k->plain(o->s, title);
    o->k->heading_end(o->s, level);
}

static void para_plain(struct outline *o, enum report_style style, const char *text)
{
    o->k->para_begin(o->s, style);
    o->k->plain(o->s, text);
    o->k->para_end(o->s);
}

static void para_text(struct outline *o, const char *text)
{
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    o->k->text(o->s, text);
    o->k->para_end(o->s);
}

static void table_open(struct outline *o, const struct report_table *t)
{
    o->k->table_begin(o->s, t);
    o->k->table_head(o->s, t);
}

/* Cells: begin, its spans, end; the row's own begin and end around them. */
static void cell_begin(struct outline *o, const struct report_table *t, size_t col)
{
    o->k->cell_begin(o->s, t, col, 1);
}

static void cell_end(struct outline *o, const struct report_table *t, size_t col)
{
    o->k->cell_end(o->s, t, col, 1);
}

static void cell_plain(struct outline *o, const struct report_table *t, size_t col,
                       const char *text)
{
    cell_begin(o, t, col);
    o->k->plain(o->s, text);
    cell_end(o, t, col);
}

static void cell_name(struct outline *o, const struct report_table *t, size_t col,
                      enum report_name kind, const char *text)
{
    cell_begin(o, t, col);
    o->k->name(o->s, kind, text);
    cell_end(o, t, col);
}

static void cell_text(struct outline *o, const struct report_table *t, size_t col,
                      const char *text)
{
    cell_begin(o, t, col);
    o->k->text(o->s, text);
    cell_end(o, t, col);
}

static void cell_money(struct outline *o, const struct report_table *t, size_t col, double v,
                       int compact)
{
    cell_begin(o, t, col);
    o->k->money(o->s, o->cur, v, compact);
    cell_end(o, t, col);
}

#define COLS(a) (a), sizeof(a) / sizeof((a)[0])

/* ---- header, summary, ranking ------------------------------------------ */

static const struct report_column header_cols[] = { { "", 0 }, { "", 0 } };
static const struct report_table header_table = { REPORT_BLOCK_HEADER, REPORT_TABLE_KV,
                                                  COLS(header_cols) };

static void kv_begin(struct outline *o, const char *key)
{
    o->k->row_begin(o->s);
    cell_plain(o, &header_table, 0, key);
    cell_begin(o, &header_table, 1);
}

static void kv_end(struct outline *o)
{
    cell_end(o, &header_table, 1);
    o->k->row_end(o->s);
}

static void header(struct outline *o)
{
    const struct report_ctx *c = o->c;
    const struct measurements *m = c->measurements;
    const struct economics *e = &c->assumptions->economics;
    char a[64], b[64], d[64];

    heading(o, 1, REPORT_BLOCK_TITLE, "Verdict: which services are worth rewriting");
    table_open(o, &header_table);
    if (m != NULL) {
        kv_begin(o, "Source");
        o->k->name(o->s, REPORT_NAME_PATH, m->source ? m->source : "-");
        kv_end(o);
        kv_begin(o, "Data");
        plainf(o, "%s ending %s, step %s", fmt_duration(a, sizeof(a), m->range_s),
               fmt_time(b, sizeof(b), m->end_s), fmt_duration(d, sizeof(d), m->step_s));
        kv_end(o);
    }
    kv_begin(o, "Assumptions");
    o->k->name(o->s, REPORT_NAME_PATH, c->config_name ? c->config_name : "built-in defaults");
    kv_end(o);
    kv_begin(o, "Economics");
    plainf(o, "horizon %d months, discount %s a year, engineer-month ", e->horizon_months,
           fmt_percent(a, sizeof(a), e->discount_rate.likely, 0));
    o->k->money(o->s, o->cur, e->cost_per_engineer_month.likely, 0);
    kv_end(o);
    kv_begin(o, "Monte Carlo");
    plainf(o, "%s draws, seed %llu", fmt_money(a, sizeof(a), "", (double)c->draws),
           (unsigned long long)c->seed);
    kv_end(o);
    if (c->generated_at != NULL) {
        kv_begin(o, "Generated");
        o->k->text(o->s, c->generated_at);
        kv_end(o);
    }
    OPT0(o, table_end);
}

static void summary(struct outline *o)
{
    const struct analysis *an = o->c->analysis;
    size_t counts[4] = { 0, 0, 0, 0 }, i, listed = 0;
    char total[256];

    for (i = 0; i < an->n_services; i++)
        counts[an->services[i].recommendation]++;
    heading(o, 2, REPORT_BLOCK_SUMMARY, full(o) ? "Executive summary" : "Summary");
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    plainf(o, "%zu services: %zu migrate, %zu consider, %zu keep, %zu without enough data.",
           an->n_services, counts[REC_MIGRATE], counts[REC_CONSIDER], counts[REC_KEEP],
           counts[REC_UNKNOWN]);
    o->k->para_end(o->s);
    if (an->portfolio.n_chosen == 0) {
        para_plain(o, REPORT_STYLE_NORMAL, an->capacity_set
                   ? "No rewrite that pays off fits the engineer-months available."
                   : "No service is a clear rewrite candidate.");
        return;
    }
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    o->k->emph_begin(o->s, 1);
    o->k->plain(o->s, an->capacity_set ? "The plan that fits:" : "Recommended:");
    o->k->emph_end(o->s, 1);
    o->k->plain(o->s, " ");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];

        if (!sa->in_portfolio)
            continue;
        o->k->plain(o->s, listed++ ? ", " : "");
        o->k->name(o->s, REPORT_NAME_SERVICE, sa->spec->name);
        if (full(o)) {
            o->k->plain(o->s, " (");
            o->k->rec(o->s, sa->recommendation, 0);
            o->k->plain(o->s, ")");
        }
    }
    report_plan_total(an, o->cur, o->c->assumptions->economics.horizon_months, total,
                      sizeof(total));
    o->k->plain(o->s, ". ");
    o->k->text(o->s, total);
    o->k->para_end(o->s);
}

static const struct report_column schedule_cols[] = {
    { "Service", 0 }, { "Team", 0 }, { "Start", 1 }, { "Live", 1 }, { "Option", 0 },
};
static const struct report_table schedule_table = { REPORT_BLOCK_SCHEDULE, REPORT_TABLE_PLAIN,
                                                    COLS(schedule_cols) };

/* The plan's calendar (models/portfolio.c, portfolio_schedule): one row
 * per rewrite, by start month. */
static void schedule(struct outline *o)
{
    const struct report_table *t = &schedule_table;
    const struct analysis *an = o->c->analysis;
    char buf[32], note[256];
    size_t i;

    if (an->portfolio.n_chosen == 0 || an->portfolio.schedule == NULL)
        return;
    heading(o, 2, REPORT_BLOCK_SCHEDULE, "Schedule");
    table_open(o, t);
    for (i = 0; i < an->portfolio.n_chosen; i++) {
        const struct portfolio_slot *sl = &an->portfolio.schedule[i];
        const struct service_spec *spec = an->services[sl->item].spec;

        o->k->row_begin(o->s);
        cell_name(o, t, 0, REPORT_NAME_SERVICE, spec->name);
        if (spec->team_name[0] != '\0')
            cell_name(o, t, 1, REPORT_NAME_SERVICE, spec->team_name);
        else
            cell_plain(o, t, 1, "its own");
        snprintf(buf, sizeof(buf), "%d", sl->start_month);
        cell_plain(o, t, 2, buf);
        snprintf(buf, sizeof(buf), "%d", sl->live_month);
        cell_plain(o, t, 3, buf);
        cell_plain(o, t, 4, "full");
        o->k->row_end(o->s);
    }
    OPT0(o, table_end);
    if (an->capacity_set)
        snprintf(note, sizeof(note), "Months from the start of the plan (1 is the first); "
                 "live at the end of the Live month. One rewrite at a time per team; each "
                 "quarter within the %.1f engineer-months available (effort and velocity "
                 "loss).", an->portfolio.capacity);
    else
        snprintf(note, sizeof(note), "Months from the start of the plan (1 is the first); "
                 "live at the end of the Live month. One rewrite at a time per team; no "
                 "capacity set.");
    para_plain(o, REPORT_STYLE_NOTE, note);
}

static const char *lang_of(const struct service_analysis *sa)
{
    const char *l = sa->lang ? sa->lang->name : sa->spec->language;

    return l[0] ? l : "?";
}

static const struct report_column ranking_cols[] = {
    { "#", 1 }, { "Service", 0 }, { "Lang", 0 }, { "Workload", 0 }, { "Score", 1 },
    { "Verdict", 0 }, { "NPV", 1 }, { "Pays", 1 },
};
static const struct report_table ranking_table = { REPORT_BLOCK_RANKING, REPORT_TABLE_PLAIN,
                                                   COLS(ranking_cols) };

static void ranking(struct outline *o)
{
    const struct report_table *t = &ranking_table;
    const struct analysis *an = o->c->analysis;
    char buf[32];
    size_t i;

    heading(o, 2, REPORT_BLOCK_RANKING, "Ranking");
    table_open(o, t);
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];

        o->k->row_begin(o->s);
        snprintf(buf, sizeof(buf), "%d", sa->rank);
        cell_plain(o, t, 0, buf);
        cell_begin(o, t, 1);
        OPT(o, link_begin, sa->rank);
        o->k->name(o->s, REPORT_NAME_SERVICE, sa->spec->name);
        OPT0(o, link_end);
        cell_end(o, t, 1);
        cell_name(o, t, 2, REPORT_NAME_LANGUAGE, lang_of(sa));
        cell_plain(o, t, 3, workload_name(sa->spec->workload));
        cell_plain(o, t, 4, fmt_score(buf, sizeof(buf), sa->score.score));
        cell_begin(o, t, 5);
        o->k->rec(o->s, sa->recommendation, 0);
        cell_end(o, t, 5);
        cell_money(o, t, 6, sa->cost.npv, 1);
        cell_plain(o, t, 7, fmt_pays(buf, sizeof(buf), sa->cost.break_even_month,
                                     analysis_has_figures(sa)));
        o->k->row_end(o->s);
    }
    OPT0(o, table_end);
    para_plain(o, REPORT_STYLE_NOTE,
               "NPV: at likely values (each service's Uncertainty gives the Monte Carlo's "
               "P10, P50, P90 and mean). Pays: the month the cumulative cash flow turns "
               "positive for good, undiscounted.");
}

/* ---- one service ------------------------------------------------------- */

const char *report_outline_verdict(enum recommendation r)
{
    switch (r) {
    case REC_MIGRATE:
        return "MIGRATE";
    case REC_CONSIDER:
        return "CONSIDER";
    case REC_KEEP:
        return "KEEP";
    default:
        return "UNKNOWN";
    }
}

/* The four figures of a measured signal (median, p95, max, last) and its
 * trend per day, formatted with fmt (NULL: %.3g; the trend then absolute,
 * else relative to the mean).  Returns 0, or -1 when the signal has no
 * data (nothing written). */
static int metric_figures(const struct signal_data *s, char *(*fmt)(char *, size_t, double),
                          char v[4][32], char trend[32])
{
    double x[4];
    int k;

    if (s == NULL || !s->present || s->stats.count == 0)
        return -1;
    x[0] = s->stats.p50;
    x[1] = s->stats.p95;
    x[2] = s->stats.max;
    x[3] = s->stats.last;
    for (k = 0; k < 4; k++) {
        if (fmt == NULL)
            snprintf(v[k], 32, "%.3g", x[k]);
        else
            fmt(v[k], 32, x[k]);
    }
    if (fmt == NULL)
        snprintf(trend, 32, "%+.3g", s->stats.trend_per_day);
    else if (s->stats.mean != 0 && isfinite(s->stats.trend_per_day))
        snprintf(trend, 32, "%+.1f%%", 100 * s->stats.trend_per_day / s->stats.mean);
    else
        snprintf(trend, 32, "-");
    return 0;
}

static const struct report_column measured_cols[] = {
    { "Signal", 0 }, { "Median", 1 }, { "p95", 1 }, { "Max", 1 }, { "Last", 1 },
    { "Trend/day", 1 },
};
static const struct report_table measured_table = { REPORT_BLOCK_MEASURED, REPORT_TABLE_PLAIN,
                                                    COLS(measured_cols) };

static void metric_row(struct outline *o, const char *label, const struct signal_data *s,
                       char *(*fmt)(char *, size_t, double))
{
    const struct report_table *t = &measured_table;
    char v[4][32], trend[32];
    size_t k;

    o->k->row_begin(o->s);
    cell_plain(o, t, 0, label);
    if (metric_figures(s, fmt, v, trend) != 0) {
        o->k->cell_begin(o->s, t, 1, 5);
        o->k->plain(o->s, !(s && s->error) ? "no data"
                          : brief(o) ? "query failed (see DATA QUALITY)"
                                     : "query failed (see data quality)");
        o->k->cell_end(o->s, t, 1, 5);
    } else {
        for (k = 0; k < 4; k++)
            cell_plain(o, t, k + 1, v[k]);
        cell_plain(o, t, 5, trend);
    }
    o->k->row_end(o->s);
}

static void measured(struct outline *o, const struct service_analysis *sa)
{
    const struct service_data *d = sa->data;
    const struct service_metrics *m = &sa->metrics;
    char a[32], b[32], x[32], t[32], u[32], v[32];

    heading(o, 3, REPORT_BLOCK_MEASURED, "Measured");
    if (d == NULL) {
        para_plain(o, REPORT_STYLE_NOTE, brief(o) ? "no measurements for this service"
                                                  : "No measurements for this service.");
        return;
    }
    if (d->error != NULL) {
        o->k->para_begin(o->s, REPORT_STYLE_FLAG);
        o->k->plain(o->s, brief(o) ? "error: " : "Error: ");
        o->k->text(o->s, d->error);
        o->k->para_end(o->s);
        return;
    }
    table_open(o, &measured_table);
    metric_row(o, "p99 latency", &d->signals[SIGNAL_P99_LATENCY], fmt_latency);
    metric_row(o, "p50 latency", &d->signals[SIGNAL_P50_LATENCY], fmt_latency);
    metric_row(o, "CPU cores (fleet)", &d->signals[SIGNAL_CPU], NULL);
    metric_row(o, "memory (fleet)", &d->signals[SIGNAL_MEMORY], fmt_bytes);
    metric_row(o, "requests/s (fleet)", &d->signals[SIGNAL_RPS], NULL);
    if (d->signals[SIGNAL_MEAN_LATENCY].present)
        metric_row(o, "mean latency", &d->signals[SIGNAL_MEAN_LATENCY], fmt_latency);
    if (d->signals[SIGNAL_GC].present)
        metric_row(o, "GC s/s (fleet)", &d->signals[SIGNAL_GC], NULL);
    OPT0(o, table_end);
    if (d->profile != NULL) {
        /* which metric families the queries were written for (query_profile.h) */
        o->k->para_begin(o->s, REPORT_STYLE_NOTE);
        o->k->plain(o->s, "Query profile: ");
        o->k->text(o->s, d->profile);
        o->k->para_end(o->s);
    }
    snprintf(t, sizeof(t), "%.1fx", m->tail_ratio);
    fmt_percent(u, sizeof(u), m->cpu_utilisation, 0);
    fmt_percent(v, sizeof(v), m->memory_utilisation, 0);
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    /* the runtime share's denominator is the mean latency when measured
     * (analysis_metrics), else the p50 */
    plainf(o, "Runtime share %s (%s of CPU per request against a %s of %s); tail "
           "ratio p99 in busy hours/p50 %s; CPU at %s and memory at %s of what is "
           "provisioned.",
           m->have_runtime_share ? fmt_percent(a, sizeof(a), m->runtime_share, 0) : "-",
           m->have_runtime_share ? fmt_latency(b, sizeof(b), m->cpu_s_per_request) : "-",
           m->share_from_mean ? "mean latency" : "p50",
           m->share_from_mean ? fmt_latency(x, sizeof(x), m->mean_latency_s)
           : m->have_latency  ? fmt_latency(x, sizeof(x), m->p50_s) : "-",
           m->have_latency ? t : "-", m->have_cpu ? u : "-", m->have_memory ? v : "-");
    o->k->para_end(o->s);
    o->k->chart(o->s, REPORT_CHART_SERIES, sa, o->c, o->cur);
}

static const struct report_column score_cols[] = {
    { "Factor", 0 }, { "Strength", 1 }, { "Weight", 1 }, { "Points", 1 }, { "Why", 0 },
};
static const struct report_table score_table = { REPORT_BLOCK_SCORE, REPORT_TABLE_PLAIN,
                                                 COLS(score_cols) };

static void score(struct outline *o, const struct service_analysis *sa)
{
    const struct report_table *t = &score_table;
    const struct score_result *s = &sa->score;
    char buf[64];
    size_t i;

    if (analysis_has_figures(sa))
        snprintf(buf, sizeof(buf), "Score %.0f/100%s", s->score,
                 full(o) ? ", factor by factor" : "");
    else
        snprintf(buf, sizeof(buf), "Score: none without enough data%s",
                 full(o) ? "; the factors, as far as they go" : "");
    heading(o, 3, REPORT_BLOCK_SCORE, buf);
    table_open(o, t);
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &s->factors[i];

        o->k->row_begin(o->s);
        cell_plain(o, t, 0, factor_name(f->factor));
        snprintf(buf, sizeof(buf), "%.2f", f->strength);
        cell_plain(o, t, 1, f->have_data ? buf : "-");
        snprintf(buf, sizeof(buf), "%.0f", f->weight);
        cell_plain(o, t, 2, buf);
        snprintf(buf, sizeof(buf), "%.1f", f->contribution);
        cell_plain(o, t, 3, f->have_data ? buf : "-");
        cell_text(o, t, 4, f->reason);
        o->k->row_end(o->s);
    }
    OPT0(o, table_end);
    heading(o, 3, REPORT_BLOCK_RED_FLAGS, "Red flags");
    if (s->n_flags == 0) {
        para_plain(o, REPORT_STYLE_NORMAL, brief(o) ? "none" : "None.");
        return;
    }
    OPT0(o, list_begin);
    for (i = 0; i < s->n_flags; i++) {
        o->k->item_begin(o->s, REPORT_STYLE_FLAG);
        o->k->emph_begin(o->s, 1);
        o->k->plain(o->s, red_flag_name(s->flags[i].flag));
        o->k->emph_end(o->s, 1);
        o->k->plain(o->s, s->flags[i].kind == FLAG_KIND_VETO ? " (veto): " : " (caution): ");
        o->k->text(o->s, s->flags[i].text);
        o->k->item_end(o->s);
    }
    OPT0(o, list_end);
}

static const struct report_column checklist_cols[] = {
    { "Side", 0 }, { "Condition", 0 }, { "Holds", 0 }, { "Evidence", 0 }, { "Seed", 0 },
};
static const struct report_table checklist_table = { REPORT_BLOCK_CHECKLIST, REPORT_TABLE_PLAIN,
                                                     COLS(checklist_cols) };

static void checklist(struct outline *o, const struct service_analysis *sa)
{
    const struct report_table *t = &checklist_table;
    struct checklist_item items[CHECKLIST_COUNT];
    size_t n, i;

    n = checklist_evaluate(sa, &o->c->assumptions->economics.thresholds, items,
                           CHECKLIST_COUNT);
    heading(o, 3, REPORT_BLOCK_CHECKLIST, "Checklist (seeds 000, 001)");
    table_open(o, t);
    for (i = 0; i < n; i++) {
        o->k->row_begin(o->s);
        /* text, not plain: the apostrophe is HTML's to escape */
        cell_text(o, t, 0, items[i].side == CHECKLIST_MIGRATE_WHEN ? "migrate when"
                                                                   : "don't migrate when");
        cell_text(o, t, 1, items[i].text);
        cell_plain(o, t, 2, checklist_state_name(items[i].state));
        cell_text(o, t, 3, items[i].evidence);
        cell_plain(o, t, 4, items[i].seed);
        o->k->row_end(o->s);
    }
    OPT0(o, table_end);
}

static const struct report_column math_cols[] = { { "Term", 0 }, { "How", 0 }, { "Amount", 1 } };
static const struct report_table math_table = { REPORT_BLOCK_MATH, REPORT_TABLE_PLAIN,
                                                COLS(math_cols) };

/* The seeds' "honest math" (seed 000) with this service's numbers, then
 * what it comes to: the cash flow and its uncertainty. */
static void honest_math(struct outline *o, const struct service_analysis *sa)
{
    const struct report_table *t = &math_table;
    struct equation_line eq[EQ_LINES];
    struct outcome_text out;
    size_t i;

    heading(o, 3, REPORT_BLOCK_MATH, "The honest math (seed 000), at likely values");
    table_open(o, t);
    report_equation(sa, o->cur, eq);
    for (i = 0; i < EQ_LINES; i++) {
        if (i == EQ_INFRA)
            OPT(o, rows_caption, "Benefit per month, once the rewrite is live:");
        if (i == EQ_MIGRATION)
            OPT(o, rows_caption, "against the cost of getting there:");
        o->k->row_begin(o->s);
        cell_begin(o, t, 0);
        if (eq[i].total)
            o->k->emph_begin(o->s, 1);
        o->k->plain(o->s, eq[i].label);
        if (eq[i].total)
            o->k->emph_end(o->s, 1);
        cell_end(o, t, 0);
        cell_text(o, t, 1, eq[i].how);
        cell_money(o, t, 2, eq[i].amount, 0);
        o->k->row_end(o->s);
    }
    OPT0(o, table_end);
    if (sa->latency.coarse) {
        /* flagged, not asserted */
        o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
        o->k->text(o->s, "The hours above the SLO are coarse: read off the chart's "
                   "buckets, as this snapshot predates the p99 exceedance table; fetch "
                   "again to measure them.");
        o->k->para_end(o->s);
    }

    report_outcome(sa, o->cur, &out);
    if (!brief(o))
        heading(o, 3, REPORT_BLOCK_CASH_FLOW, "Cash flow");
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    o->k->text(o->s, out.horizon);
    o->k->sentence_break(o->s);
    o->k->text(o->s, out.result);
    o->k->sentence_break(o->s);
    o->k->text(o->s, out.calendar);
    o->k->para_end(o->s);
    o->k->chart(o->s, REPORT_CHART_CASH, sa, o->c, o->cur);

    if (!brief(o))
        heading(o, 3, REPORT_BLOCK_UNCERTAINTY, "Uncertainty");
    para_text(o, out.uncertainty);
    o->k->chart(o->s, REPORT_CHART_HISTOGRAM, sa, o->c, o->cur);
    o->k->chart(o->s, REPORT_CHART_TORNADO, sa, o->c, o->cur);
}

static void effort(struct outline *o, const struct service_analysis *sa)
{
    if (full(o)) {
        heading(o, 3, REPORT_BLOCK_EFFORT, "Effort");
        o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
        plainf(o, "%.1f engineer-months (%s), %.1f calendar months to the last cutover "
               "with %d in parallel (endpoints cut over one at a time).",
               sa->effort.engineer_months.likely,
               sa->effort.estimated ? "estimated from the seeds' phases" : "given",
               sa->effort.calendar_months.likely, sa->effort.parallelism);
        o->k->para_end(o->s);
    }
    o->k->chart(o->s, REPORT_CHART_TIMELINE, sa, o->c, o->cur);
}

static void service(struct outline *o, const struct service_analysis *sa)
{
    const struct service_spec *s = sa->spec;
    const char *language = sa->lang ? sa->lang->name : s->language;

    /* brief: a profile with an empty name reads "unknown language" too */
    if (!brief(o) && sa->lang != NULL)
        language = sa->lang->name;
    else if (language[0] == '\0')
        language = "unknown language";

    OPT(o, part_begin, REPORT_PART_SERVICE, sa->rank);
    o->k->heading_begin(o->s, 2, REPORT_BLOCK_SERVICE);
    o->k->rank(o->s, sa->rank);
    o->k->name(o->s, REPORT_NAME_SERVICE, s->name);
    o->k->rec(o->s, sa->recommendation, 1);
    o->k->heading_end(o->s, 2);
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    o->k->name(o->s, REPORT_NAME_LANGUAGE, language);
    plainf(o, ", %s, criticality %s; %g instances ", workload_name(s->workload),
           criticality_name(s->criticality), s->instances.likely);
    o->k->times(o->s);
    plainf(o, " %g cores; team of %d (%s experience with the target language).",
           s->cores_per_instance.likely, s->engineers, experience_name(s->experience));
    o->k->para_end(o->s);
    para_text(o, sa->recommendation_reason);
    measured(o, sa);
    score(o, sa);
    if (!brief(o))
        checklist(o, sa);
    if (analysis_has_figures(sa))
        honest_math(o, sa);
    else
        para_text(o, "No NPV, break-even or Monte Carlo: with this little measured data they "
                  "would rest on the inventory alone (see Data quality).");
    effort(o, sa);
    OPT(o, part_end, REPORT_PART_SERVICE);
}

/* ---- data quality, method, appendix ------------------------------------ */

static void quality_item(void *arg, const char *service, const char *signal, const char *text)
{
    struct outline *o = arg;

    o->k->item_begin(o->s, REPORT_STYLE_NORMAL);
    o->k->name(o->s, REPORT_NAME_SERVICE, service);
    if (signal != NULL) {
        o->k->plain(o->s, ", ");
        o->k->plain(o->s, signal);
    }
    o->k->plain(o->s, ": ");
    o->k->text(o->s, text);
    o->k->item_end(o->s);
}

/* Failed queries, services without data and gaps: what a reader must know
 * before trusting the numbers. */
static void data_quality(struct outline *o)
{
    heading(o, 2, REPORT_BLOCK_QUALITY, "Data quality");
    OPT0(o, list_begin);
    if (report_quality(o->c, quality_item, o) == 0) {
        o->k->item_begin(o->s, REPORT_STYLE_BARE);
        o->k->plain(o->s, "Every query answered and no point is missing.");
        o->k->item_end(o->s);
    }
    OPT0(o, list_end);
}

static void method(struct outline *o)
{
    size_t i;

    heading(o, 2, REPORT_BLOCK_METHOD, "Method");
    for (i = 0; i < REPORT_METHOD_PARAGRAPHS; i++)
        para_text(o, report_method[i]);
}

static const struct report_column appendix_cols[] = {
    { "Key", 0 }, { "Value", 1 }, { "Source", 0 },
};
static const struct report_table appendix_table = { REPORT_BLOCK_APPENDIX, REPORT_TABLE_GROUP,
                                                    COLS(appendix_cols) };

struct appendix_walk {
    struct outline *o;
    int open;               /* a group's table is open */
};

static void appendix_row(void *arg, const struct appendix_row *r)
{
    struct appendix_walk *w = arg;
    struct outline *o = w->o;
    const struct report_table *t = &appendix_table;

    if (r->new_group) {
        if (w->open)
            OPT0(o, table_end);
        o->k->table_begin(o->s, t);
        o->k->text(o->s, r->group);
        OPT(o, table_detail, t);
        if (r->service != NULL && r->service->discovered)
            o->k->plain(o->s, brief(o) ? " (discovered: every input a default)"
                                       : " (discovered on the server: every input a default)");
        else if (r->service != NULL && r->service->line > 0)
            plainf(o, " (line %d)", r->service->line);
        o->k->table_head(o->s, t);
        w->open = 1;
    }
    o->k->row_begin(o->s);
    cell_text(o, t, 0, r->key);
    cell_text(o, t, 1, r->value);
    cell_text(o, t, 2, r->origin);
    o->k->row_end(o->s);
}

static void emph(struct outline *o, const char *text)
{
    o->k->emph_begin(o->s, 0);
    o->k->plain(o->s, text);
    o->k->emph_end(o->s, 0);
}

/* Every assumption the numbers rest on, each with where it came from. */
static void appendix(struct outline *o)
{
    struct appendix_walk w = { o, 0 };

    OPT(o, part_begin, REPORT_PART_APPENDIX, 0);
    heading(o, 2, REPORT_BLOCK_APPENDIX, "Appendix: assumptions used");
    o->k->para_begin(o->s, REPORT_STYLE_NORMAL);
    o->k->plain(o->s, "From ");
    o->k->name(o->s, REPORT_NAME_PATH,
               o->c->config_name ? o->c->config_name : "the built-in defaults");
    o->k->plain(o->s, full(o) ? ". Each value says where it came from: "
                                 : ". Beside each value, where it came from: ");
    emph(o, "line N");
    o->k->plain(o->s, " of that file, ");
    emph(o, "--set");
    o->k->plain(o->s, " on the command line, or ");
    emph(o, "default");
    o->k->plain(o->s, ", the built-in value, with the seed article behind it when there is "
                "one (man verdict.yaml 5). Ranges are [low, likely, high].");
    o->k->para_end(o->s);
    report_appendix(o->c, appendix_row, &w);
    if (w.open)
        OPT0(o, table_end);
    OPT(o, part_end, REPORT_PART_APPENDIX);
}

void report_outline(const struct report_sink *k, void *s, const struct report_ctx *c,
                    const char *cur)
{
    struct outline o = { k, s, c, cur };
    size_t i;

    OPT(&o, begin, c);
    header(&o);
    summary(&o);
    schedule(&o);
    ranking(&o);
    for (i = 0; i < c->analysis->n_services; i++)
        service(&o, &c->analysis->services[i]);
    data_quality(&o);
    method(&o);
    appendix(&o);
    OPT0(&o, end);
}

void report_outline_ranking(const struct report_sink *k, void *s, const struct report_ctx *c,
                            const char *cur)
{
    struct outline o = { k, s, c, cur };

    OPT(&o, begin, c);
    ranking(&o);
    OPT0(&o, end);
}
