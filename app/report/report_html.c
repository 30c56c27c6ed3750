/* report_html.c: the report as one self-contained, printable HTML file. */
#include "verdict/report.h"

#include <math.h>
#include <string.h>

#include "verdict/checklist.h"
#include "verdict/format.h"
#include "report_svg.h"
#include "verdict/util.h"

struct html {
    FILE *f;
    const char *cur;   /* currency symbol (from the config: untrusted) */
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

static void money(struct html *o, double v, int compact)
{
    char buf[64];

    esc(o, compact ? fmt_money_short(buf, sizeof(buf), o->cur, v)
                   : fmt_money(buf, sizeof(buf), o->cur, v));
}

static const char *lang_of(const struct service_analysis *sa)
{
    const char *l = sa->lang ? sa->lang->name : sa->spec->language;

    return l[0] ? l : "?";
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

static void header(struct html *o, const struct report_ctx *c)
{
    const struct measurements *m = c->measurements;
    const struct economics *e = &c->assumptions->economics;
    char a[64], b[64], d[64];

    fprintf(o->f, "<h1>Verdict: which services are worth rewriting</h1>\n"
            "<table class=\"kv\"><tbody>\n");
    if (m != NULL) {
        fprintf(o->f, "<tr><th>Source</th><td>");
        esc(o, m->source ? m->source : "-");
        fprintf(o->f, "</td></tr>\n<tr><th>Data</th><td>%s ending %s, step %s</td></tr>\n",
                fmt_duration(a, sizeof(a), m->range_s), fmt_time(b, sizeof(b), m->end_s),
                fmt_duration(d, sizeof(d), m->step_s));
    }
    fprintf(o->f, "<tr><th>Assumptions</th><td>");
    esc(o, c->config_name ? c->config_name : "built-in defaults");
    fprintf(o->f, "</td></tr>\n<tr><th>Economics</th><td>horizon %d months, discount %s a "
            "year, engineer-month ", e->horizon_months,
            fmt_percent(a, sizeof(a), e->discount_rate.likely, 0));
    money(o, e->cost_per_engineer_month.likely, 0);
    fprintf(o->f, "</td></tr>\n<tr><th>Monte Carlo</th><td>%s draws, seed %llu</td></tr>\n",
            fmt_money(a, sizeof(a), "", (double)c->draws), (unsigned long long)c->seed);
    if (c->generated_at != NULL) {
        fprintf(o->f, "<tr><th>Generated</th><td>");
        esc(o, c->generated_at);
        fprintf(o->f, "</td></tr>\n");
    }
    fprintf(o->f, "</tbody></table>\n");
}

static void summary(struct html *o, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    size_t counts[4] = { 0, 0, 0, 0 }, i, listed = 0;
    char total[256];

    for (i = 0; i < an->n_services; i++)
        counts[an->services[i].recommendation]++;
    fprintf(o->f, "<h2>Executive summary</h2>\n<p>%zu services: %zu migrate, %zu consider, "
            "%zu keep, %zu without enough data.</p>\n", an->n_services, counts[REC_MIGRATE],
            counts[REC_CONSIDER], counts[REC_KEEP], counts[REC_UNKNOWN]);
    if (an->portfolio.n_chosen == 0) {
        fprintf(o->f, "<p>%s</p>\n", an->capacity_set
                ? "No rewrite that pays off fits the engineer-months available."
                : "No service is a clear rewrite candidate.");
        return;
    }
    fprintf(o->f, "<p><strong>%s:</strong> ",
            an->capacity_set ? "The plan that fits" : "Recommended");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];

        if (!sa->in_portfolio)
            continue;
        fputs(listed++ ? ", " : "", o->f);
        esc(o, sa->spec->name);
        fprintf(o->f, " (");
        rec_span(o, sa->recommendation);
        fprintf(o->f, ")");
    }
    report_plan_total(an, o->cur, c->assumptions->economics.horizon_months, total,
                      sizeof(total));
    fprintf(o->f, ". ");
    esc(o, total);
    fprintf(o->f, "</p>\n");
}

static void ranking(struct html *o, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    size_t i;

    fprintf(o->f, "<h2>Ranking</h2>\n<table><thead><tr><th class=\"n\">#</th><th>Service</th>"
            "<th>Lang</th><th>Workload</th><th class=\"n\">Score</th><th>Verdict</th>"
            "<th class=\"n\">NPV</th><th class=\"n\">Pays</th></tr></thead><tbody>\n");
    for (i = 0; i < an->n_services; i++) {
        const struct service_analysis *sa = &an->services[i];

        fprintf(o->f, "<tr><td class=\"n\">%d</td><td><a href=\"#svc-%d\">", sa->rank,
                sa->rank);
        esc(o, sa->spec->name);
        fprintf(o->f, "</a></td><td>");
        esc(o, lang_of(sa));
        fprintf(o->f, "</td><td>%s</td><td class=\"n\">%.0f</td><td>",
                workload_name(sa->spec->workload), sa->score.score);
        rec_span(o, sa->recommendation);
        fprintf(o->f, "</td><td class=\"n\">");
        money(o, sa->cost.npv, 1);
        if (sa->cost.break_even_month > 0)
            fprintf(o->f, "</td><td class=\"n\">m%d</td></tr>\n", sa->cost.break_even_month);
        else
            fprintf(o->f, "</td><td class=\"n\">never</td></tr>\n");
    }
    fprintf(o->f, "</tbody></table>\n<p class=\"note\">Pays: the month the cumulative cash "
            "flow turns positive for good.</p>\n");
}

static void metric_row(struct html *o, const char *label, const struct signal_data *s,
                       char *(*fmt)(char *, size_t, double))
{
    double x[4];
    char v[32];
    int k;

    fprintf(o->f, "<tr><td>%s</td>", label);
    if (s == NULL || !s->present || s->stats.count == 0) {
        fprintf(o->f, "<td colspan=\"5\">%s</td></tr>\n",
                s && s->error ? "query failed (see data quality)" : "no data");
        return;
    }
    x[0] = s->stats.p50;
    x[1] = s->stats.p95;
    x[2] = s->stats.max;
    x[3] = s->stats.last;
    for (k = 0; k < 4; k++) {
        if (fmt == NULL)
            snprintf(v, sizeof(v), "%.3g", x[k]);
        else
            fmt(v, sizeof(v), x[k]);
        fprintf(o->f, "<td class=\"n\">%s</td>", v);
    }
    if (fmt == NULL)
        snprintf(v, sizeof(v), "%+.3g", s->stats.trend_per_day);
    else if (s->stats.mean != 0 && isfinite(s->stats.trend_per_day))
        snprintf(v, sizeof(v), "%+.1f%%", 100 * s->stats.trend_per_day / s->stats.mean);
    else
        snprintf(v, sizeof(v), "-");
    fprintf(o->f, "<td class=\"n\">%s</td></tr>\n", v);
}

static void measurements_block(struct html *o, const struct service_analysis *sa)
{
    const struct service_data *d = sa->data;
    const struct service_metrics *m = &sa->metrics;
    char a[32], b[32], x[32], t[32], u[32], v[32];

    fprintf(o->f, "<h3>Measured</h3>\n");
    if (d == NULL) {
        fprintf(o->f, "<p class=\"note\">No measurements for this service.</p>\n");
        return;
    }
    if (d->error != NULL) {
        fprintf(o->f, "<p class=\"flag\">Error: ");
        esc(o, d->error);
        fprintf(o->f, "</p>\n");
        return;
    }
    fprintf(o->f, "<table><thead><tr><th>Signal</th><th class=\"n\">Median</th>"
            "<th class=\"n\">p95</th><th class=\"n\">Max</th><th class=\"n\">Last</th>"
            "<th class=\"n\">Trend/day</th></tr></thead><tbody>\n");
    metric_row(o, "p99 latency", &d->signals[SIGNAL_P99_LATENCY], fmt_latency);
    metric_row(o, "p50 latency", &d->signals[SIGNAL_P50_LATENCY], fmt_latency);
    metric_row(o, "CPU cores (fleet)", &d->signals[SIGNAL_CPU], NULL);
    metric_row(o, "memory (fleet)", &d->signals[SIGNAL_MEMORY], fmt_bytes);
    metric_row(o, "requests/s (fleet)", &d->signals[SIGNAL_RPS], NULL);
    fprintf(o->f, "</tbody></table>\n");
    snprintf(t, sizeof(t), "%.1fx", m->tail_ratio);
    fmt_percent(u, sizeof(u), m->cpu_utilisation, 0);
    fmt_percent(v, sizeof(v), m->memory_utilisation, 0);
    fprintf(o->f, "<p>Runtime share %s (%s of CPU per request against a p50 of %s); tail "
            "ratio p99/p50 %s; CPU at %s and memory at %s of what is provisioned.</p>\n",
            m->have_runtime_share ? fmt_percent(a, sizeof(a), m->runtime_share, 0) : "-",
            m->have_runtime_share ? fmt_latency(b, sizeof(b), m->cpu_s_per_request) : "-",
            m->have_latency ? fmt_latency(x, sizeof(x), m->p50_s) : "-",
            m->have_latency ? t : "-", m->have_cpu ? u : "-", m->have_memory ? v : "-");
    report_svg_series(o->f, "p99 latency", &d->signals[SIGNAL_P99_LATENCY].chart,
                      fmt_latency);
    report_svg_series(o->f, "p50 latency", &d->signals[SIGNAL_P50_LATENCY].chart,
                      fmt_latency);
    report_svg_series(o->f, "CPU cores (fleet)", &d->signals[SIGNAL_CPU].chart, NULL);
    report_svg_series(o->f, "Memory (fleet)", &d->signals[SIGNAL_MEMORY].chart, fmt_bytes);
}

static void score_block(struct html *o, const struct service_analysis *sa)
{
    const struct score_result *s = &sa->score;
    size_t i;

    fprintf(o->f, "<h3>Score %.0f/100, factor by factor</h3>\n<table><thead><tr>"
            "<th>Factor</th><th class=\"n\">Strength</th><th class=\"n\">Weight</th>"
            "<th class=\"n\">Points</th><th>Why</th></tr></thead><tbody>\n", s->score);
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &s->factors[i];

        if (f->have_data)
            fprintf(o->f, "<tr><td>%s</td><td class=\"n\">%.2f</td><td class=\"n\">%.0f</td>"
                    "<td class=\"n\">%.1f</td><td>", factor_name(f->factor), f->strength,
                    f->weight, f->contribution);
        else
            fprintf(o->f, "<tr><td>%s</td><td class=\"n\">-</td><td class=\"n\">%.0f</td>"
                    "<td class=\"n\">-</td><td>", factor_name(f->factor), f->weight);
        esc(o, f->reason);
        fprintf(o->f, "</td></tr>\n");
    }
    fprintf(o->f, "</tbody></table>\n<h3>Red flags</h3>\n");
    if (s->n_flags == 0) {
        fprintf(o->f, "<p>None.</p>\n");
        return;
    }
    fprintf(o->f, "<ul>\n");
    for (i = 0; i < s->n_flags; i++) {
        fprintf(o->f, "<li class=\"flag\"><strong>%s</strong>: ",
                red_flag_name(s->flags[i].flag));
        esc(o, s->flags[i].text);
        fprintf(o->f, "</li>\n");
    }
    fprintf(o->f, "</ul>\n");
}

static void checklist_block(struct html *o, const struct report_ctx *c,
                            const struct service_analysis *sa)
{
    struct checklist_item items[CHECKLIST_COUNT];
    size_t n, i;

    n = checklist_evaluate(sa, &c->assumptions->economics.thresholds, items,
                           CHECKLIST_COUNT);
    fprintf(o->f, "<h3>Checklist (seeds 000, 001)</h3>\n<table><thead><tr><th>Side</th>"
            "<th>Condition</th><th>Holds</th><th>Evidence</th><th>Seed</th></tr></thead>"
            "<tbody>\n");
    for (i = 0; i < n; i++) {
        fprintf(o->f, "<tr><td>%s</td><td>", items[i].side == CHECKLIST_MIGRATE_WHEN
                                             ? "migrate when" : "don&#39;t migrate when");
        esc(o, items[i].text);
        fprintf(o->f, "</td><td>%s</td><td>", checklist_state_name(items[i].state));
        esc(o, items[i].evidence);
        fprintf(o->f, "</td><td>%s</td></tr>\n", items[i].seed);
    }
    fprintf(o->f, "</tbody></table>\n");
}

static void math_row(struct html *o, const char *label, const char *how, double v)
{
    fprintf(o->f, "<tr><td>%s</td><td>", label);
    esc(o, how);
    fprintf(o->f, "</td><td class=\"n\">");
    money(o, v, 0);
    fprintf(o->f, "</td></tr>\n");
}

/* The seeds' "honest math" (seed 000) with this service's numbers. */
static void math_block(struct html *o, const struct report_ctx *c,
                       const struct service_analysis *sa)
{
    const struct cost_result *r = &sa->cost;
    struct equation_line eq[EQ_LINES];
    struct outcome_text out;
    size_t i;

    (void)c;
    fprintf(o->f, "<h3>The honest math (seed 000), at likely values</h3>\n<table><thead><tr>"
            "<th>Term</th><th>How</th><th class=\"n\">Amount</th></tr></thead><tbody>\n");
    report_equation(sa, o->cur, eq);
    for (i = 0; i < EQ_LINES; i++) {
        char label[48];

        snprintf(label, sizeof(label), eq[i].total ? "<strong>%s</strong>" : "%s",
                 eq[i].label);
        math_row(o, label, eq[i].how, eq[i].amount);
    }
    fprintf(o->f, "</tbody></table>\n");

    report_outcome(sa, o->cur, &out);
    fprintf(o->f, "<h3>Cash flow</h3>\n<p>");
    esc(o, out.horizon);
    fprintf(o->f, " ");
    esc(o, out.result);
    fprintf(o->f, " ");
    esc(o, out.calendar);
    fprintf(o->f, "</p>\n");
    report_svg_cash(o->f, r->cumulative, r->n_months, r->break_even_month, o->cur);

    fprintf(o->f, "<h3>Uncertainty</h3>\n<p>");
    esc(o, out.uncertainty);
    fprintf(o->f, "</p>\n");
    report_svg_histogram(o->f, &sa->mc, o->cur);
    report_svg_tornado(o->f, sa->tornado, sa->n_tornado, r->npv, o->cur);
}

static void service_section(struct html *o, const struct report_ctx *c,
                            const struct service_analysis *sa)
{
    const struct service_spec *s = sa->spec;

    fprintf(o->f, "<section class=\"cand\" id=\"svc-%d\">\n<h2>#%d ", sa->rank, sa->rank);
    esc(o, s->name);
    fprintf(o->f, " &mdash; ");
    rec_span(o, sa->recommendation);
    fprintf(o->f, "</h2>\n<p>");
    esc(o, sa->lang ? sa->lang->name : s->language[0] ? s->language : "unknown language");
    fprintf(o->f, ", %s, criticality %s; %g instances &times; %g cores; team of %d (%s "
            "experience with the target language).</p>\n<p>", workload_name(s->workload),
            criticality_name(s->criticality), s->instances.likely,
            s->cores_per_instance.likely, s->engineers, experience_name(s->experience));
    esc(o, sa->recommendation_reason);
    fprintf(o->f, "</p>\n");
    measurements_block(o, sa);
    score_block(o, sa);
    checklist_block(o, c, sa);
    math_block(o, c, sa);
    fprintf(o->f, "<h3>Effort</h3>\n<p>%.1f engineer-months (%s), %.1f calendar months with "
            "%d in parallel.</p>\n", sa->effort.engineer_months.likely,
            sa->effort.estimated ? "estimated from the seeds' phases" : "given",
            sa->effort.calendar_months.likely, sa->effort.parallelism);
    report_svg_timeline(o->f, &sa->effort);
    fprintf(o->f, "</section>\n");
}

struct appx {
    struct html *o;
    int open;               /* a group's table is open */
};

static void appendix_row(void *arg, const struct appendix_row *r)
{
    struct appx *x = arg;
    struct html *o = x->o;

    if (r->new_group) {
        if (x->open)
            fprintf(o->f, "</tbody></table>\n");
        fprintf(o->f, "<table class=\"kv\"><colgroup><col class=\"k\"><col class=\"v\"><col>"
                "</colgroup><thead><tr><th colspan=\"3\">");
        esc(o, r->group);
        if (r->service != NULL && r->service->discovered)
            fprintf(o->f, " (discovered on the server: every input a default)");
        else if (r->service != NULL && r->service->line > 0)
            fprintf(o->f, " (line %d)", r->service->line);
        fprintf(o->f, "</th></tr></thead><tbody>\n");
        x->open = 1;
    }
    fprintf(o->f, "<tr><td>");
    esc(o, r->key);
    fprintf(o->f, "</td><td class=\"n\">");
    esc(o, r->value);
    fprintf(o->f, "</td><td>");
    esc(o, r->origin);
    fprintf(o->f, "</td></tr>\n");
}

/* Every assumption the numbers rest on, each with where it came from. */
static void appendix(struct html *o, const struct report_ctx *c)
{
    struct appx x = { o, 0 };

    fprintf(o->f, "<section class=\"appx\">\n<h2>Appendix: assumptions used</h2>\n<p>From ");
    esc(o, c->config_name ? c->config_name : "the built-in defaults");
    fprintf(o->f, ". Each value says where it came from: <i>line N</i> of that file, "
            "<i>--set</i> on the command line, or <i>default</i>, the built-in value, "
            "with the seed article behind it when there is one (man verdict.yaml 5). "
            "Ranges are [low, likely, high].</p>\n");
    report_appendix(c, appendix_row, &x);
    if (x.open)
        fprintf(o->f, "</tbody></table>\n");
    fprintf(o->f, "</section>\n");
}

static void quality_item(void *arg, const char *name, const char *what, const char *text)
{
    struct html *o = arg;

    fprintf(o->f, "<li>");
    esc(o, name);
    if (what != NULL)
        fprintf(o->f, ", %s", what);
    fprintf(o->f, ": ");
    esc(o, text);
    fprintf(o->f, "</li>\n");
}

static void data_quality(struct html *o, const struct report_ctx *c)
{
    fprintf(o->f, "<h2>Data quality</h2>\n<ul>\n");
    if (report_quality(c, quality_item, o) == 0)
        fprintf(o->f, "<li>Every query answered and no point is missing.</li>\n");
    fprintf(o->f, "</ul>\n");
}

static void method(struct html *o)
{
    size_t i;

    fprintf(o->f, "<h2>Method</h2>\n");
    for (i = 0; i < REPORT_METHOD_PARAGRAPHS; i++) {
        fprintf(o->f, "<p>");
        esc(o, report_method[i]);
        fprintf(o->f, "</p>\n");
    }
}

int report_html(FILE *f, const struct report_ctx *c)
{
    struct html o = { f, c->assumptions->economics.currency };
    size_t i;

    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Verdict report</title>\n<style>\n%s", html_css);
    print_header(&o, c);
    fprintf(f, "</style>\n</head>\n<body>\n");
    running_header(&o, c);
    header(&o, c);
    summary(&o, c);
    ranking(&o, c);
    for (i = 0; i < c->analysis->n_services; i++)
        service_section(&o, c, &c->analysis->services[i]);
    data_quality(&o, c);
    method(&o);
    appendix(&o, c);
    fprintf(f, "</body>\n</html>\n");
    return ferror(f) ? -1 : 0;
}
