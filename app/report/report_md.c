/* report_md.c: the report as GitHub-flavoured Markdown, for a wiki or a pull request. */
#include "verdict/report.h"

#include <math.h>
#include <string.h>

#include "verdict/checklist.h"
#include "verdict/format.h"
#include "verdict/util.h"

struct md {
    FILE *f;
    const char *cur;   /* currency symbol (from the config: untrusted) */
};

/* Untrusted text, escaped (fmt_md). */
static void md_text(FILE *f, const char *s)
{
    fmt_md(f, s, 0);
}

/* Money with an untrusted currency symbol, escaped. */
static void md_money(struct md *o, double v, int compact)
{
    char buf[64];

    if (compact)
        fmt_money_short(buf, sizeof(buf), o->cur, v);
    else
        fmt_money(buf, sizeof(buf), o->cur, v);
    md_text(o->f, buf);
}

static const char *rec_upper(enum recommendation r)
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

static const char *lang_of(const struct service_analysis *sa)
{
    const char *l = sa->lang ? sa->lang->name : sa->spec->language;

    return l[0] ? l : "?";
}

static void header(struct md *o, const struct report_ctx *c)
{
    const struct measurements *m = c->measurements;
    const struct economics *e = &c->assumptions->economics;
    char a[64], b[64], d[64];

    fprintf(o->f, "# Verdict: which services are worth rewriting\n\n");
    fprintf(o->f, "| | |\n|---|---|\n");
    if (m != NULL) {
        fprintf(o->f, "| Source | ");
        md_text(o->f, m->source ? m->source : "-");
        fprintf(o->f, " |\n| Data | %s ending %s, step %s |\n",
                fmt_duration(a, sizeof(a), m->range_s), fmt_time(b, sizeof(b), m->end_s),
                fmt_duration(d, sizeof(d), m->step_s));
    }
    fprintf(o->f, "| Assumptions | ");
    md_text(o->f, c->config_name ? c->config_name : "built-in defaults");
    fprintf(o->f, " |\n| Economics | horizon %d months, discount %s a year, "
            "engineer-month ", e->horizon_months,
            fmt_percent(a, sizeof(a), e->discount_rate.likely, 0));
    md_money(o, e->cost_per_engineer_month.likely, 0);
    fprintf(o->f, " |\n| Monte Carlo | %s draws, seed %llu |\n",
            fmt_money(a, sizeof(a), "", (double)c->draws), (unsigned long long)c->seed);
    if (c->generated_at != NULL)
        fprintf(o->f, "| Generated | %s |\n", c->generated_at);
}

static void summary(struct md *o, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    size_t counts[4] = { 0, 0, 0, 0 }, i, listed = 0;
    char total[256];

    for (i = 0; i < an->n_services; i++)
        counts[an->services[i].recommendation]++;
    fprintf(o->f, "\n## Summary\n\n");
    fprintf(o->f, "%zu services: %zu migrate, %zu consider, %zu keep, %zu without enough "
            "data.\n", an->n_services, counts[REC_MIGRATE], counts[REC_CONSIDER],
            counts[REC_KEEP], counts[REC_UNKNOWN]);
    if (an->portfolio.n_chosen == 0) {
        fprintf(o->f, "\n%s\n", an->capacity_set
                ? "No rewrite that pays off fits the engineer-months available."
                : "No service is a clear rewrite candidate.");
        return;
    }
    fprintf(o->f, "\n**%s:** ", an->capacity_set ? "The plan that fits" : "Recommended");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];

        if (!sa->in_portfolio)
            continue;
        fputs(listed++ ? ", " : "", o->f);
        md_text(o->f, sa->spec->name);
    }
    report_plan_total(an, o->cur, c->assumptions->economics.horizon_months, total,
                      sizeof(total));
    fprintf(o->f, ". ");
    md_text(o->f, total);
    fprintf(o->f, "\n");
}

static void ranking(struct md *o, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    size_t i;

    fprintf(o->f, "\n## Ranking\n\n");
    fprintf(o->f, "| # | Service | Lang | Workload | Score | Verdict | NPV | Pays |\n");
    fprintf(o->f, "|--:|---|---|---|--:|---|--:|--:|\n");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];

        fprintf(o->f, "| %d | ", sa->rank);
        md_text(o->f, sa->spec->name);
        fprintf(o->f, " | ");
        md_text(o->f, lang_of(sa));
        fprintf(o->f, " | %s | %.0f | %s | ", workload_name(sa->spec->workload),
                sa->score.score, recommendation_name(sa->recommendation));
        md_money(o, sa->cost.npv, 1);
        if (sa->cost.break_even_month > 0)
            fprintf(o->f, " | m%d |\n", sa->cost.break_even_month);
        else
            fprintf(o->f, " | never |\n");
    }
    fprintf(o->f, "\nPays: the month the cumulative cash flow turns positive for good.\n");
}

static void metric_row(struct md *o, const char *label, const struct signal_data *s,
                       char *(*fmt)(char *, size_t, double))
{
    char v[4][32], t[32];
    double x[4];
    int k;

    if (s == NULL || !s->present || s->stats.count == 0) {
        fprintf(o->f, "| %s | %s | | | | |\n", label,
                s && s->error ? "query failed (see data quality)" : "no data");
        return;
    }
    x[0] = s->stats.p50;
    x[1] = s->stats.p95;
    x[2] = s->stats.max;
    x[3] = s->stats.last;
    for (k = 0; k < 4; k++) {
        if (fmt == NULL)
            snprintf(v[k], sizeof(v[k]), "%.3g", x[k]);
        else
            fmt(v[k], sizeof(v[k]), x[k]);
    }
    if (fmt == NULL)
        snprintf(t, sizeof(t), "%+.3g", s->stats.trend_per_day);
    else if (s->stats.mean != 0 && isfinite(s->stats.trend_per_day))
        snprintf(t, sizeof(t), "%+.1f%%", 100 * s->stats.trend_per_day / s->stats.mean);
    else
        snprintf(t, sizeof(t), "-");
    fprintf(o->f, "| %s | %s | %s | %s | %s | %s |\n", label, v[0], v[1], v[2], v[3], t);
}

static void measurements_block(struct md *o, const struct service_analysis *sa)
{
    const struct service_data *d = sa->data;
    const struct service_metrics *m = &sa->metrics;
    char a[32], b[32], x[32], t[32], u[32], v[32];

    fprintf(o->f, "\n### Measured\n\n");
    if (d == NULL) {
        fprintf(o->f, "No measurements for this service.\n");
        return;
    }
    if (d->error != NULL) {
        fprintf(o->f, "Error: ");
        md_text(o->f, d->error);
        fprintf(o->f, "\n");
        return;
    }
    fprintf(o->f, "| Signal | Median | p95 | Max | Last | Trend/day |\n");
    fprintf(o->f, "|---|--:|--:|--:|--:|--:|\n");
    metric_row(o, "p99 latency", &d->signals[SIGNAL_P99_LATENCY], fmt_latency);
    metric_row(o, "p50 latency", &d->signals[SIGNAL_P50_LATENCY], fmt_latency);
    metric_row(o, "CPU cores (fleet)", &d->signals[SIGNAL_CPU], NULL);
    metric_row(o, "memory (fleet)", &d->signals[SIGNAL_MEMORY], fmt_bytes);
    metric_row(o, "requests/s (fleet)", &d->signals[SIGNAL_RPS], NULL);
    snprintf(t, sizeof(t), "%.1fx", m->tail_ratio);
    fmt_percent(u, sizeof(u), m->cpu_utilisation, 0);
    fmt_percent(v, sizeof(v), m->memory_utilisation, 0);
    fprintf(o->f, "\nRuntime share %s (%s of CPU per request against a p50 of %s); tail "
            "ratio p99/p50 %s; CPU at %s and memory at %s of what is provisioned.\n",
            m->have_runtime_share ? fmt_percent(a, sizeof(a), m->runtime_share, 0) : "-",
            m->have_runtime_share ? fmt_latency(b, sizeof(b), m->cpu_s_per_request) : "-",
            m->have_latency ? fmt_latency(x, sizeof(x), m->p50_s) : "-",
            m->have_latency ? t : "-", m->have_cpu ? u : "-", m->have_memory ? v : "-");
}

static void score_block(struct md *o, const struct service_analysis *sa)
{
    const struct score_result *s = &sa->score;
    size_t i;

    fprintf(o->f, "\n### Score %.0f/100\n\n", s->score);
    fprintf(o->f, "| Factor | Strength | Weight | Points | Why |\n");
    fprintf(o->f, "|---|--:|--:|--:|---|\n");
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &s->factors[i];

        if (f->have_data)
            fprintf(o->f, "| %s | %.2f | %.0f | %.1f | ", factor_name(f->factor),
                    f->strength, f->weight, f->contribution);
        else
            fprintf(o->f, "| %s | - | %.0f | - | ", factor_name(f->factor), f->weight);
        md_text(o->f, f->reason);
        fprintf(o->f, " |\n");
    }
    fprintf(o->f, "\n### Red flags\n\n");
    if (s->n_flags == 0)
        fprintf(o->f, "None.\n");
    for (i = 0; i < s->n_flags; i++) {
        fprintf(o->f, "- **%s**: ", red_flag_name(s->flags[i].flag));
        md_text(o->f, s->flags[i].text);
        fprintf(o->f, "\n");
    }
}

static void checklist_block(struct md *o, const struct report_ctx *c,
                            const struct service_analysis *sa)
{
    struct checklist_item items[CHECKLIST_COUNT];
    size_t n, i;

    n = checklist_evaluate(sa, &c->assumptions->economics.thresholds, items,
                           CHECKLIST_COUNT);
    fprintf(o->f, "\n### Checklist (seeds 000, 001)\n\n");
    fprintf(o->f, "| Side | Condition | Holds | Evidence | Seed |\n");
    fprintf(o->f, "|---|---|---|---|---|\n");
    for (i = 0; i < n; i++) {
        fprintf(o->f, "| %s | ", items[i].side == CHECKLIST_MIGRATE_WHEN ? "migrate when"
                                                                         : "don't migrate when");
        md_text(o->f, items[i].text);
        fprintf(o->f, " | %s | ", checklist_state_name(items[i].state));
        md_text(o->f, items[i].evidence);
        fprintf(o->f, " | %s |\n", items[i].seed);
    }
}

static void math_row(struct md *o, const char *label, const char *how, double v)
{
    fprintf(o->f, "| %s | ", label);
    md_text(o->f, how);
    fprintf(o->f, " | ");
    md_money(o, v, 0);
    fprintf(o->f, " |\n");
}

/* The seeds' "honest math" (seed 000) with this service's numbers, as a table. */
static void math_block(struct md *o, const struct report_ctx *c,
                       const struct service_analysis *sa)
{
    const struct cost_result *r = &sa->cost;
    struct equation_line eq[EQ_LINES];
    struct outcome_text out;
    size_t i;

    (void)c;
    fprintf(o->f, "\n### The honest math (seed 000), at likely values\n\n");
    fprintf(o->f, "| Term | How | Amount |\n|---|---|--:|\n");
    report_equation(sa, o->cur, eq);
    for (i = 0; i < EQ_LINES; i++) {
        char label[32];

        snprintf(label, sizeof(label), eq[i].total ? "**%s**" : "%s", eq[i].label);
        math_row(o, label, eq[i].how, eq[i].amount);
    }

    report_outcome(sa, o->cur, &out);
    fprintf(o->f, "\n### Cash flow\n\n");
    md_text(o->f, out.horizon);
    fprintf(o->f, " ");
    md_text(o->f, out.result);
    fprintf(o->f, " ");
    md_text(o->f, out.calendar);
    fprintf(o->f, "\n\n- Cumulative cash flow at months 1, %d, %d: ", r->n_months / 2 > 0 ?
            r->n_months / 2 : 1, r->n_months);
    if (r->n_months > 0) {
        md_money(o, r->cumulative[0], 1);
        fprintf(o->f, ", ");
        md_money(o, r->cumulative[r->n_months / 2 > 0 ? r->n_months / 2 - 1 : 0], 1);
        fprintf(o->f, ", ");
        md_money(o, r->cumulative[r->n_months - 1], 1);
    }
    fprintf(o->f, "\n\n### Uncertainty\n\n");
    md_text(o->f, out.uncertainty);
    fprintf(o->f, "\n");
    if (sa->n_tornado == 0 || sa->tornado[0].swing < 0.5)
        return;
    fprintf(o->f, "\nMoves NPV most (each at low and high, the rest at likely):\n\n");
    fprintf(o->f, "| Parameter | NPV at low | NPV at high |\n|---|--:|--:|\n");
    for (i = 0; i < sa->n_tornado && i < 5; i++) {
        const struct tornado_entry *t = &sa->tornado[i];

        if (t->swing < 0.5)
            break;   /* sorted: the rest move NPV by less than a unit */
        fprintf(o->f, "| %s | ", cost_param_name(t->param));
        md_money(o, t->npv_at_low, 0);
        fprintf(o->f, " | ");
        md_money(o, t->npv_at_high, 0);
        fprintf(o->f, " |\n");
    }
}

static void service_section(struct md *o, const struct report_ctx *c,
                            const struct service_analysis *sa)
{
    const struct service_spec *s = sa->spec;

    fprintf(o->f, "\n## #%d ", sa->rank);
    md_text(o->f, s->name);
    fprintf(o->f, ": %s\n\n", rec_upper(sa->recommendation));
    md_text(o->f, sa->lang ? sa->lang->name : s->language[0] ? s->language
                                                             : "unknown language");
    fprintf(o->f, ", %s, criticality %s; %g instances x %g cores; team of %d (%s experience "
            "with the target language).\n\n", workload_name(s->workload),
            criticality_name(s->criticality), s->instances.likely,
            s->cores_per_instance.likely, s->engineers, experience_name(s->experience));
    md_text(o->f, sa->recommendation_reason);
    fprintf(o->f, "\n");
    measurements_block(o, sa);
    score_block(o, sa);
    checklist_block(o, c, sa);
    math_block(o, c, sa);
}

static void quality_item(void *arg, const char *name, const char *what, const char *text)
{
    struct md *o = arg;

    fprintf(o->f, "- ");
    md_text(o->f, name);
    if (what != NULL)
        fprintf(o->f, ", %s", what);
    fprintf(o->f, ": ");
    md_text(o->f, text);
    fprintf(o->f, "\n");
}

static void data_quality(struct md *o, const struct report_ctx *c)
{
    fprintf(o->f, "\n## Data quality\n\n");
    if (report_quality(c, quality_item, o) == 0)
        fprintf(o->f, "Every query answered and no point is missing.\n");
}

static void appendix_row(void *arg, const struct appendix_row *r)
{
    struct md *o = arg;

    if (r->new_group) {
        fprintf(o->f, "\n**");
        md_text(o->f, r->group);
        fprintf(o->f, "**");
        if (r->service != NULL && r->service->discovered)
            fprintf(o->f, " (discovered on the server: every input a default)");
        else if (r->service != NULL && r->service->line > 0)
            fprintf(o->f, " (line %d)", r->service->line);
        fprintf(o->f, "\n\n| Key | Value | Source |\n|---|---:|---|\n");
    }
    fprintf(o->f, "| ");
    md_text(o->f, r->key);
    fprintf(o->f, " | ");
    md_text(o->f, r->value);
    fprintf(o->f, " | ");
    md_text(o->f, r->origin);
    fprintf(o->f, " |\n");
}

static void appendix(struct md *o, const struct report_ctx *c)
{
    fprintf(o->f, "\n## Appendix: assumptions used\n\nFrom ");
    md_text(o->f, c->config_name ? c->config_name : "the built-in defaults");
    fprintf(o->f, ". Beside each value, where it came from: *line N* of that file, *--set* "
            "on the command line, or *default*, the built-in value, with the seed article "
            "behind it when there is one (man verdict.yaml 5). Ranges are [low, likely, "
            "high].\n");
    report_appendix(c, appendix_row, o);
}

static void method(struct md *o)
{
    size_t i;

    fprintf(o->f, "\n## Method\n");
    for (i = 0; i < REPORT_METHOD_PARAGRAPHS; i++) {
        fprintf(o->f, "\n");
        md_text(o->f, report_method[i]);
        fprintf(o->f, "\n");
    }
}

int report_md(FILE *f, const struct report_ctx *c)
{
    struct md o = { f, c->assumptions->economics.currency };
    size_t i;

    header(&o, c);
    summary(&o, c);
    ranking(&o, c);
    for (i = 0; i < c->analysis->n_services; i++)
        service_section(&o, c, &c->analysis->services[i]);
    data_quality(&o, c);
    method(&o);
    appendix(&o, c);
    return ferror(f) ? -1 : 0;
}
