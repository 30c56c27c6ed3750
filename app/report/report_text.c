/* report_text.c: the plain-text report, 80 columns, ready for a terminal or lpr. */
#include "verdict/report.h"

#include <math.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/textchart.h"
#include "verdict/util.h"

#define TEXT_WIDTH 80

struct out {
    FILE *f;
    const char *cur;   /* currency symbol */
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

static void rule(struct out *o, const char *title)
{
    fprintf(o->f, "\n%s\n", title);
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

static void break_even_text(char *buf, size_t len, const struct cost_result *c)
{
    if (c->break_even_month > 0)
        snprintf(buf, len, "m%d", c->break_even_month);
    else
        snprintf(buf, len, "never");
}

static void header(struct out *o, const struct report_ctx *c)
{
    const struct measurements *m = c->measurements;
    const struct economics *e = &c->assumptions->economics;
    char a[64], b[64], d[64], name[256];

    fprintf(o->f, "VERDICT: WHICH SERVICES ARE WORTH REWRITING\n");
    fprintf(o->f, "===========================================\n");
    if (m != NULL) {
        fmt_fit(name, sizeof(name), m->source ? m->source : "-", 64);
        fprintf(o->f, "Source       %s\n", name);
        fprintf(o->f, "Data         %s ending %s, step %s\n",
                fmt_duration(a, sizeof(a), m->range_s), fmt_time(b, sizeof(b), m->end_s),
                fmt_duration(d, sizeof(d), m->step_s));
    }
    fmt_fit(name, sizeof(name), c->config_name ? c->config_name : "built-in defaults", 64);
    fprintf(o->f, "Assumptions  %s\n", name);
    fprintf(o->f, "Economics    horizon %d months, discount %s a year, engineer-month %s\n",
            e->horizon_months, fmt_percent(a, sizeof(a), e->discount_rate.likely, 0),
            fmt_money(b, sizeof(b), o->cur, e->cost_per_engineer_month.likely));
    fprintf(o->f, "Monte Carlo  %s draws, seed %llu\n",
            fmt_money(a, sizeof(a), "", (double)c->draws), (unsigned long long)c->seed);
    if (c->generated_at != NULL)
        fprintf(o->f, "Generated    %s\n", c->generated_at);
}

static void summary(struct out *o, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    size_t counts[4] = { 0, 0, 0, 0 }, i, listed = 0;
    char line[1024], total[256];
    size_t used = 0;

    for (i = 0; i < an->n_services; i++)
        counts[an->services[i].recommendation]++;
    rule(o, "SUMMARY");
    snprintf(line, sizeof(line), "%zu services: %zu migrate, %zu consider, %zu keep, "
             "%zu without enough data.", an->n_services, counts[REC_MIGRATE],
             counts[REC_CONSIDER], counts[REC_KEEP], counts[REC_UNKNOWN]);
    wrap(o, 2, line);
    if (an->portfolio.n_chosen == 0) {
        wrap(o, 2, an->capacity_set ? "No rewrite that pays off fits the engineer-months "
                                      "available."
                                    : "No service is a clear rewrite candidate.");
        return;
    }
    used = (size_t)snprintf(line, sizeof(line), "%s: ",
                            an->capacity_set ? "The plan that fits" : "Recommended");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];
        char name[128];

        if (!sa->in_portfolio)
            continue;
        if (used < sizeof(line))
            used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s",
                                     listed++ ? ", " : "",
                                     fmt_fit(name, sizeof(name), sa->spec->name, 40));
    }
    report_plan_total(an, o->cur, c->assumptions->economics.horizon_months, total,
                      sizeof(total));
    if (used < sizeof(line))
        snprintf(line + used, sizeof(line) - used, ". %s", total);
    wrap(o, 2, line);
}

static void ranking(struct out *o, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    size_t i;

    rule(o, "RANKING");
    fprintf(o->f, "%3s %-18s %-7s %-16s %5s %-8s %9s %5s\n", "#", "Service", "Lang",
            "Workload", "Score", "Verdict", "NPV", "Pays");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];
        char name[128], lang[64], npv[32], be[16];
        const char *l = sa->lang ? sa->lang->name : sa->spec->language;

        fmt_fit(name, sizeof(name), sa->spec->name, 18);
        fmt_fit(lang, sizeof(lang), l[0] ? l : "?", 7);
        fmt_money_short(npv, sizeof(npv), o->cur, sa->cost.npv);
        break_even_text(be, sizeof(be), &sa->cost);
        /* pad by display width: names may hold multi-byte characters */
        fprintf(o->f, "%3d %s%*s %s%*s %-16s %5.0f %-8s %9s %5s\n", sa->rank, name,
                18 - fmt_width(name), "", lang, 7 - fmt_width(lang), "",
                workload_name(sa->spec->workload), sa->score.score,
                recommendation_name(sa->recommendation), npv, be);
    }
    fprintf(o->f, "\n  Pays: the month the cumulative cash flow turns positive for good.\n");
}

static void metric_row(struct out *o, const char *label, const struct signal_data *s,
                       char *(*fmt)(char *, size_t, double))
{
    char a[32], b[32], d[32], e[32], t[32];

    if (s == NULL || !s->present || s->stats.count == 0) {
        fprintf(o->f, "    %-20s %s\n", label,
                s && s->error ? "query failed (see DATA QUALITY)" : "no data");
        return;
    }
    if (fmt == NULL)
        snprintf(t, sizeof(t), "%+.3g", s->stats.trend_per_day);
    else if (s->stats.mean != 0 && isfinite(s->stats.trend_per_day))
        snprintf(t, sizeof(t), "%+.1f%%", 100 * s->stats.trend_per_day / s->stats.mean);
    else
        snprintf(t, sizeof(t), "-");
    if (fmt == NULL) {
        snprintf(a, sizeof(a), "%.3g", s->stats.p50);
        snprintf(b, sizeof(b), "%.3g", s->stats.p95);
        snprintf(d, sizeof(d), "%.3g", s->stats.max);
        snprintf(e, sizeof(e), "%.3g", s->stats.last);
    } else {
        fmt(a, sizeof(a), s->stats.p50);
        fmt(b, sizeof(b), s->stats.p95);
        fmt(d, sizeof(d), s->stats.max);
        fmt(e, sizeof(e), s->stats.last);
    }
    fprintf(o->f, "    %-20s %10s %10s %10s %10s %8s\n", label, a, b, d, e, t);
}

static void measurements_block(struct out *o, const struct report_ctx *c,
                               const struct service_analysis *sa)
{
    const struct service_data *d = sa->data;
    const struct service_metrics *m = &sa->metrics;
    char a[32], b[32], x[32], line[512];

    (void)c;
    fprintf(o->f, "\n  MEASURED                  median        p95        max       last  "
            "trend/d\n");
    if (d == NULL) {
        fprintf(o->f, "    no measurements for this service\n");
        return;
    }
    if (d->error != NULL) {
        snprintf(line, sizeof(line), "error: %s", d->error);
        wrap(o, 4, line);
        return;
    }
    metric_row(o, "p99 latency", &d->signals[SIGNAL_P99_LATENCY], fmt_latency);
    metric_row(o, "p50 latency", &d->signals[SIGNAL_P50_LATENCY], fmt_latency);
    metric_row(o, "CPU cores (fleet)", &d->signals[SIGNAL_CPU], NULL);
    metric_row(o, "memory (fleet)", &d->signals[SIGNAL_MEMORY], fmt_bytes);
    metric_row(o, "requests/s (fleet)", &d->signals[SIGNAL_RPS], NULL);
    {
        char t[32], u[32], v[32];

        snprintf(t, sizeof(t), "%.1fx", m->tail_ratio);
        fmt_percent(u, sizeof(u), m->cpu_utilisation, 0);
        fmt_percent(v, sizeof(v), m->memory_utilisation, 0);
        snprintf(line, sizeof(line), "Runtime share %s (%s of CPU per request against a "
                 "p50 of %s); tail ratio p99/p50 %s; CPU at %s and memory at %s of what "
                 "is provisioned.",
                 m->have_runtime_share ? fmt_percent(a, sizeof(a), m->runtime_share, 0) : "-",
                 m->have_runtime_share ? fmt_latency(b, sizeof(b), m->cpu_s_per_request) : "-",
                 m->have_latency ? fmt_latency(x, sizeof(x), m->p50_s) : "-",
                 m->have_latency ? t : "-", m->have_cpu ? u : "-", m->have_memory ? v : "-");
    }
    fprintf(o->f, "\n");
    wrap(o, 4, line);
}

static void score_block(struct out *o, const struct service_analysis *sa)
{
    const struct score_result *s = &sa->score;
    size_t i;

    fprintf(o->f, "\n  SCORE %.0f/100            strength  weight  points\n", s->score);
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &s->factors[i];

        if (f->have_data)
            fprintf(o->f, "    %-22s %7.2f %7.0f %7.1f\n", factor_name(f->factor),
                    f->strength, f->weight, f->contribution);
        else
            fprintf(o->f, "    %-22s %7s %7.0f %7s\n", factor_name(f->factor), "-",
                    f->weight, "-");
        wrap(o, 6, f->reason);
    }
    fprintf(o->f, "\n  RED FLAGS\n");
    if (s->n_flags == 0)
        fprintf(o->f, "    none\n");
    for (i = 0; i < s->n_flags; i++) {
        char line[SCORE_REASON_MAX + 64];

        snprintf(line, sizeof(line), "- %s: %s", red_flag_name(s->flags[i].flag),
                 s->flags[i].text);
        wrap_hang(o, 4, 6, line);
    }
}

static void math_line(struct out *o, const char *label, const char *how, double v)
{
    char m[48];

    fprintf(o->f, "    %-15s %-44s %13s\n", label, how, fmt_money(m, sizeof(m), o->cur, v));
}

/* The seeds' "honest math" (seed 000) with this service's numbers. */
static void math_block(struct out *o, const struct report_ctx *c,
                       const struct service_analysis *sa)
{
    struct equation_line eq[EQ_LINES];
    struct outcome_text out;
    char a[48], b[48];
    size_t i;

    (void)c;
    fprintf(o->f, "\n  THE HONEST MATH (seed 000), at likely values\n");
    fprintf(o->f, "  Benefit per month, once the rewrite is live:\n");
    report_equation(sa, o->cur, eq);
    for (i = 0; i < EQ_LINES; i++) {
        if (i == EQ_MIGRATION)
            fprintf(o->f, "  against the cost of getting there:\n");
        math_line(o, eq[i].label, eq[i].how, eq[i].amount);
    }

    report_outcome(sa, o->cur, &out);
    fprintf(o->f, "\n");
    wrap(o, 2, out.horizon);
    wrap(o, 2, out.result);
    wrap(o, 2, out.calendar);
    wrap(o, 2, out.uncertainty);
    if (sa->n_tornado > 0) {
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

static void service_section(struct out *o, const struct report_ctx *c,
                            const struct service_analysis *sa)
{
    const struct service_spec *s = sa->spec;
    char name[256], line[512], lang[64];
    const char *l = sa->lang ? sa->lang->name : s->language;
    int pad;

    fprintf(o->f, "\f\n");
    fmt_fit(name, sizeof(name), s->name, 60);
    pad = TEXT_WIDTH - 4 - fmt_width(name) - (int)strlen(rec_upper(sa->recommendation));
    fprintf(o->f, "#%-2d %s%*s%s\n", sa->rank, name, pad > 1 ? pad : 1, "",
            rec_upper(sa->recommendation));
    fmt_fit(lang, sizeof(lang), l[0] ? l : "unknown language", 20);
    snprintf(line, sizeof(line), "%s, %s, criticality %s; %g instances x %g cores; team of %d "
             "(%s experience with the target language).", lang, workload_name(s->workload),
             criticality_name(s->criticality), s->instances.likely, s->cores_per_instance.likely,
             s->engineers, experience_name(s->experience));
    wrap(o, 4, line);
    wrap(o, 4, sa->recommendation_reason);
    measurements_block(o, c, sa);
    series_block(o, c, sa);
    score_block(o, sa);
    math_block(o, c, sa);
    mc_chart(o, sa);
    cash_chart(o, sa);
    effort_timeline(o, sa);
}

static void quality_item(void *arg, const char *service, const char *signal,
                         const char *text)
{
    struct out *o = arg;
    char line[1024], name[128];

    fmt_fit(name, sizeof(name), service, 40);
    if (signal != NULL)
        snprintf(line, sizeof(line), "- %s, %s: %s", name, signal, text);
    else
        snprintf(line, sizeof(line), "- %s: %s", name, text);
    wrap_hang(o, 2, 4, line);
}

/* Failed queries, services without data and gaps: what a reader must know
 * before trusting the numbers. */
static void data_quality(struct out *o, const struct report_ctx *c)
{
    fprintf(o->f, "\f\n");
    rule(o, "DATA QUALITY");
    if (report_quality(c, quality_item, o) == 0)
        wrap(o, 2, "Every query answered and no point is missing.");
}

/* ---- appendix -------------------------------------------------------- */

#define APPX_KEY 30
#define APPX_VALUE 20

static void appendix_row(void *arg, const struct appendix_row *r)
{
    struct out *o = arg;
    char g[256], v[128];

    if (r->new_group) {
        char note[64] = "";

        if (r->service != NULL && r->service->discovered)
            snprintf(note, sizeof(note), " (discovered: every input a default)");
        else if (r->service != NULL && r->service->line > 0)
            snprintf(note, sizeof(note), " (line %d)", r->service->line);
        /* the heading and its note within the page, however long the name */
        fmt_fit(g, sizeof(g), r->group, TEXT_WIDTH - 2 - (int)strlen(note));
        fprintf(o->f, "\n  %s%s\n", g, note);
    }
    fmt_fit(v, sizeof(v), r->value, TEXT_WIDTH - 6 - APPX_KEY);
    /* a long value, or a long origin ("default, seeds 000 and 003"), puts
     * the origin on a line of its own, under the value */
    if (fmt_width(v) > APPX_VALUE ||
        4 + APPX_KEY + 1 + APPX_VALUE + 1 + fmt_width(r->origin) > TEXT_WIDTH)
        fprintf(o->f, "    %-*s %s\n    %*s %s\n", APPX_KEY, r->key, v,
                APPX_KEY, "", r->origin);
    else
        fprintf(o->f, "    %-*s %-*s %s\n", APPX_KEY, r->key,
                APPX_VALUE + (int)strlen(v) - fmt_width(v), v, r->origin);
}

static void appendix(struct out *o, const struct report_ctx *c)
{
    char line[1024], name[256];

    fprintf(o->f, "\f\n");
    rule(o, "APPENDIX: ASSUMPTIONS USED");
    fmt_fit(name, sizeof(name), c->config_name ? c->config_name : "the built-in defaults", 64);
    snprintf(line, sizeof(line), "From %s. Beside each value, where it came from: \"line N\" "
             "of that file, \"--set\" on the command line, or \"default\", the built-in "
             "value, with the seed article behind it when there is one (man verdict.yaml 5). "
             "Ranges are [low, likely, high].", name);
    wrap(o, 2, line);
    report_appendix(c, appendix_row, o);
}

static void method(struct out *o)
{
    size_t i;

    rule(o, "METHOD");
    for (i = 0; i < REPORT_METHOD_PARAGRAPHS; i++)
        wrap(o, 2, report_method[i]);
}

/* The currency symbol comes from the config, and money is printed in
 * many places that are not sanitised one by one: clean it once (its 7
 * bytes grow to 4 times that at most). */
static void clean_currency(char *cur, size_t len, const struct report_ctx *c)
{
    util_sanitize(cur, len, c->assumptions->economics.currency);
}

int report_text(FILE *f, const struct report_ctx *c)
{
    char cur[64];
    struct out o = { f, cur };
    size_t i;

    clean_currency(cur, sizeof(cur), c);
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

int report_text_ranking(FILE *f, const struct report_ctx *c)
{
    char cur[64];
    struct out o = { f, cur };

    clean_currency(cur, sizeof(cur), c);
    ranking(&o, c);
    return ferror(f) ? -1 : 0;
}
