/* report_json.c: the report as JSON, schema verdict.report/1 (see DESIGN.md). */
#include "verdict/report.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/assumption_table.h"
#include "verdict/format.h"
#include "verdict/inventory.h"
#include "verdict/util.h"

#define REPORT_SCHEMA "verdict.report/1"

/* cJSON allocates; running out is fatal in app/ like everywhere else. */
static cJSON *check(cJSON *j)
{
    if (j == NULL)
        xoom();
    return j;
}

static void add_num(cJSON *o, const char *k, double v)
{
    /* cJSON prints NaN and infinities as null */
    check(cJSON_AddNumberToObject(o, k, v));
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v == NULL)
        check(cJSON_AddNullToObject(o, k));
    else
        check(cJSON_AddStringToObject(o, k, v));
}

/* A range as a number when it is one, else [low, likely, high]. */
static void add_range(cJSON *o, const char *k, struct range r)
{
    cJSON *a;

    if (range_is_point(r)) {
        add_num(o, k, r.likely);
        return;
    }
    a = check(cJSON_AddArrayToObject(o, k));
    cJSON_AddItemToArray(a, check(cJSON_CreateNumber(r.low)));
    cJSON_AddItemToArray(a, check(cJSON_CreateNumber(r.likely)));
    cJSON_AddItemToArray(a, check(cJSON_CreateNumber(r.high)));
}

static cJSON *obj(cJSON *parent, const char *k)
{
    return check(cJSON_AddObjectToObject(parent, k));
}

/* The object named k in parent, added when it has none yet. */
static cJSON *obj_at(cJSON *parent, const char *k)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, k);

    return o != NULL ? o : obj(parent, k);
}

/* Row f of the assumption table, its value read from base (a struct of
 * f's scope), under o: a key with groups ("team.engineers") goes into
 * nested objects ({"team": {"engineers": 4}}).  An optional value not
 * given is null, as is a number not set (NaN). */
static void add_field(cJSON *o, const struct assumption_field *f, const void *base)
{
    char part[64];
    const char *k = f->key, *dot;

    while ((dot = strchr(k, '.')) != NULL) {
        snprintf(part, sizeof(part), "%.*s", (int)(dot - k), k);
        o = obj_at(o, part);
        k = dot + 1;
    }
    if ((f->flags & ASSUMPTION_OPTIONAL) && !assumption_is_set(f, base)) {
        check(cJSON_AddNullToObject(o, k));
        return;
    }
    switch (f->kind) {
    case ASSUMPTION_NUMBER: add_num(o, k, assumption_get_number(f, base)); break;
    case ASSUMPTION_RANGE:
    case ASSUMPTION_SIZE: add_range(o, k, assumption_get_range(f, base)); break;
    case ASSUMPTION_COUNT: add_num(o, k, assumption_get_int(f, base)); break;
    case ASSUMPTION_ENUM:
        add_str(o, k, assumption_enum_name(f, assumption_get_int(f, base)));
        break;
    case ASSUMPTION_BOOL:
        check(cJSON_AddBoolToObject(o, k, assumption_get_int(f, base)));
        break;
    case ASSUMPTION_TEXT: add_str(o, k, assumption_get_text(f, base)); break;
    }
}

static void add_source(cJSON *root, const struct report_ctx *c)
{
    cJSON *s = obj(root, "source");
    const struct measurements *m = c->measurements;
    char t[64];

    add_str(s, "config", c->config_name);
    if (m == NULL)
        return;
    add_str(s, "data", m->source);
    add_str(s, "end", fmt_time(t, sizeof(t), m->end_s));
    add_num(s, "end_unix", m->end_s);
    add_num(s, "range_seconds", m->range_s);
    add_num(s, "step_seconds", m->step_s);
}

/* verdict.report/1 writes these economics keys first, in this order, and
 * the rest in the assumption table's (its first version did; readers go by
 * name, but a report stays byte for byte what it was). */
static const char *const economics_first[] = { "horizon_months", "engineer_months_available" };
#define N_ECONOMICS_FIRST (sizeof(economics_first) / sizeof(economics_first[0]))

static int economics_is_first(const struct assumption_field *f)
{
    size_t i;

    for (i = 0; i < N_ECONOMICS_FIRST; i++)
        if (strcmp(f->key, economics_first[i]) == 0)
            return 1;
    return 0;
}

/* The economics rows of the assumption table; its run of learning-curve
 * rows once for each team experience, as learning_curve.EXPERIENCE. */
static void add_economics(cJSON *ec, const struct economics *e)
{
    const struct assumption_field *f, *r, *end;
    size_t i;
    int k;

    for (i = 0; i < N_ECONOMICS_FIRST; i++) {
        f = assumption_find(ASSUMPTION_ECONOMICS, economics_first[i]);
        if (f != NULL)
            add_field(ec, f, e);
    }
    for (f = assumption_table; f->key != NULL; f++) {
        if (f->scope == ASSUMPTION_LEARNING) {
            for (end = f; end->key != NULL && end->scope == ASSUMPTION_LEARNING; end++)
                continue;
            for (k = 0; k < EXPERIENCE_COUNT; k++) {
                cJSON *lc = obj_at(ec, "learning_curve");
                cJSON *l = obj(lc, experience_name((enum experience)k));

                for (r = f; r < end; r++)
                    add_field(l, r, &e->learning[k]);
            }
            f = end - 1;
        } else if (f->scope == ASSUMPTION_ECONOMICS && !economics_is_first(f)) {
            add_field(ec, f, e);
        }
    }
}

static void add_assumptions(cJSON *root, const struct report_ctx *c)
{
    const struct assumptions *a = c->assumptions;
    const struct economics *e = &a->economics;
    const struct assumption_field *f;
    cJSON *as = obj(root, "assumptions"), *ec, *w, *langs;
    size_t i;

    add_num(as, "seed", (double)c->seed);
    add_num(as, "draws", (double)c->draws);
    ec = obj(as, "economics");
    add_economics(ec, e);
    w = obj(obj(as, "scoring"), "weights");
    for (i = 0; i < FACTOR_COUNT; i++)
        add_num(w, factor_name((enum factor)i), a->scoring.weights[i]);
    langs = obj(as, "languages");
    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *l = &a->languages[i];
        cJSON *lo = obj(langs, l->name);

        for (f = assumption_table; f->key != NULL; f++)
            if (f->scope == ASSUMPTION_LANGUAGE)
                add_field(lo, f, l);
    }
}

/* A service's keys, rows 0 .. SERVICE_KEY_COUNT - 1 of the assumption
 * table, but for language and workload: add_service writes those beside
 * the name (the language as resolved). */
static void add_inputs(cJSON *svc, const struct service_spec *s)
{
    cJSON *in = obj(svc, "inputs");
    int k;

    for (k = 0; k < SERVICE_KEY_COUNT; k++)
        if (k != SK_LANGUAGE && k != SK_WORKLOAD)
            add_field(in, assumption_service_field((enum service_key)k), s);
}

/* Where each of the service's keys came from, one entry per service row of
 * the assumption table, keyed by its path in the service ("team.engineers"):
 * "FILE:LINE", "default (seed 000)", "--set", "measured: QUERY" or
 * "derived: ..." (inventory_origin). */
static void add_origins(cJSON *svc, const struct report_ctx *c, const struct service_spec *s)
{
    cJSON *o = obj(svc, "origins");
    char buf[1024];
    int k;

    for (k = 0; k < SERVICE_KEY_COUNT; k++)
        add_str(o, assumption_service_field((enum service_key)k)->key,
                inventory_origin(buf, sizeof(buf), c->assumptions, s, (enum service_key)k,
                                 c->config_name != NULL ? c->config_name : "verdict.yaml"));
}

static void add_metrics(cJSON *svc, const struct service_analysis *sa)
{
    cJSON *m = obj(svc, "metrics"), *d;
    const struct service_metrics *x = &sa->metrics;
    int k;

    for (k = 0; k < SIGNAL_COUNT; k++) {
        const struct signal_data *s = sa->data ? &sa->data->signals[k] : NULL;
        cJSON *so;

        if (signal_optional((enum signal)k) && s != NULL && !s->present && s->warning != NULL) {
            /* not measured, and why (Python's GC: counts only) */
            so = obj(m, signal_name((enum signal)k));
            add_str(so, "warning", s->warning);
            continue;
        }
        if (signal_optional((enum signal)k) && (s == NULL || !s->present))
            continue;   /* optional signal */
        if (s == NULL || !s->present || s->stats.count == 0) {
            check(cJSON_AddNullToObject(m, signal_name((enum signal)k)));
            continue;
        }
        so = obj(m, signal_name((enum signal)k));
        add_num(so, "p50", s->stats.p50);
        add_num(so, "p95", s->stats.p95);
        add_num(so, "p99", s->stats.p99);
        add_num(so, "min", s->stats.min);
        add_num(so, "max", s->stats.max);
        add_num(so, "mean", s->stats.mean);
        add_num(so, "last", s->stats.last);
        add_num(so, "trend_per_day", s->stats.trend_per_day);
        add_num(so, "points", (double)s->stats.count);
        add_num(so, "gaps", (double)s->stats.gaps);
        if (s->warning != NULL)
            add_str(so, "warning", s->warning);
    }
    d = obj(svc, "derived");
    add_num(d, "p99_seconds", x->p99_s);
    add_num(d, "p50_seconds", x->p50_s);
    add_num(d, "p99_busy_seconds", x->p99_busy_s);
    add_num(d, "mean_latency_seconds", x->mean_latency_s);
    add_num(d, "tail_ratio", x->tail_ratio);
    add_num(d, "cpu_seconds_per_request", x->cpu_s_per_request);
    add_num(d, "runtime_share", x->runtime_share);
    add_str(d, "runtime_share_of", !x->have_runtime_share ? NULL
                                   : x->share_from_mean ? "mean_latency" : "p50_latency");
    add_num(d, "gc_share", x->gc_share);
    add_num(d, "cpu_utilisation", x->cpu_utilisation);
    add_num(d, "memory_per_instance_bytes", x->memory_per_instance_bytes);
    add_num(d, "memory_utilisation", x->memory_utilisation);
    add_num(d, "memory_growth_per_day", x->memory_growth_per_day);
    add_num(d, "fleet_cost_per_month", x->fleet_cost_per_month);
    check(cJSON_AddBoolToObject(d, "enough_data", x->enough_data));
}

static void add_cost(cJSON *svc, const struct service_analysis *sa)
{
    const struct cost_result *r = &sa->cost;
    const struct mc_result *mc = &sa->mc;
    cJSON *c = obj(svc, "cost"), *cum, *tor, *ef, *ph;
    size_t i;

    add_num(c, "monthly_benefit", r->monthly_benefit);
    add_num(c, "infra_saved_per_month", r->infra_saved_per_month);
    add_num(c, "incidents_saved_per_month", r->incidents_saved_per_month);
    add_num(c, "productivity_per_month", r->productivity_per_month);
    /* 0 without an slo; the hours (a 730-hour month, at likely p99_reduction)
     * null then; coarse: read off the chart, not the exceedance table */
    add_num(c, "latency_saved_per_month", r->latency_saved_per_month);
    add_num(c, "latency_hours_above_per_month", sa->latency.hours_above);
    add_num(c, "latency_hours_after_per_month", sa->latency.hours_after[1]);
    check(cJSON_AddBoolToObject(c, "latency_coarse", sa->latency.coarse));
    add_str(c, "fleet_bound", fleet_bound_name(r->bound));
    add_num(c, "instances_after", r->instances_after);
    add_num(c, "migration_cost", r->migration_cost);
    add_num(c, "velocity_loss", r->velocity_loss);
    add_num(c, "overlap_cost", r->overlap_cost);
    add_num(c, "double_build_cost", r->double_build_cost);
    add_num(c, "migration_months", r->migration_months);
    add_num(c, "total_benefit", r->total_benefit);
    add_num(c, "total_cost", r->total_cost);
    /* month 0 is "never" (or no figures): null */
    add_num(c, "break_even_month", r->break_even_month > 0 ? r->break_even_month : NAN);
    add_num(c, "discounted_break_even_month",
            r->discounted_break_even_month > 0 ? r->discounted_break_even_month : NAN);
    add_num(c, "npv", r->npv);
    add_num(c, "roi", r->roi);
    add_num(c, "probability_positive", mc->probability_positive);
    add_num(c, "probability_break_even", mc->probability_break_even);
    add_num(c, "npv_p10", mc->npv_p10);
    add_num(c, "npv_p50", mc->npv_p50);
    add_num(c, "npv_p90", mc->npv_p90);
    add_num(c, "npv_mean", mc->npv_mean);
    add_num(c, "draws", (double)mc->draws);
    cum = check(cJSON_AddArrayToObject(c, "cumulative"));
    /* the cash flow of a service without figures would be its NPV again */
    for (i = 0; analysis_has_figures(sa) && i < (size_t)r->n_months; i++)
        cJSON_AddItemToArray(cum, check(cJSON_CreateNumber(r->cumulative[i])));
    tor = check(cJSON_AddArrayToObject(c, "tornado"));
    for (i = 0; i < sa->n_tornado; i++) {
        cJSON *t = check(cJSON_CreateObject());

        add_str(t, "input", cost_param_name(sa->tornado[i].param));
        add_num(t, "npv_at_low", sa->tornado[i].npv_at_low);
        add_num(t, "npv_at_high", sa->tornado[i].npv_at_high);
        add_num(t, "swing", sa->tornado[i].swing);
        cJSON_AddItemToArray(tor, t);
    }
    ef = obj(svc, "effort");
    check(cJSON_AddBoolToObject(ef, "estimated", sa->effort.estimated));
    add_num(ef, "parallelism", sa->effort.parallelism);
    add_range(ef, "engineer_months", sa->effort.engineer_months);
    add_range(ef, "calendar_months", sa->effort.calendar_months);
    add_range(ef, "overlap_months", sa->effort.overlap_months);
    ph = check(cJSON_AddArrayToObject(ef, "phases"));
    for (i = 0; i < PHASE_COUNT; i++) {
        const struct effort_phase *p = &sa->effort.phases[i];
        cJSON *po = check(cJSON_CreateObject());

        add_str(po, "phase", effort_phase_name(p->kind));
        add_range(po, "engineer_weeks", p->engineer_weeks);
        add_num(po, "start_week", p->start_week);
        add_num(po, "end_week", p->end_week);
        cJSON_AddItemToArray(ph, po);
    }
}

static void add_service(cJSON *arr, const struct report_ctx *c,
                        const struct service_analysis *sa)
{
    cJSON *s = check(cJSON_CreateObject()), *reasons, *flags;
    const char *lang = sa->lang ? sa->lang->name : sa->spec->language;
    size_t i;

    cJSON_AddItemToArray(arr, s);
    add_str(s, "name", sa->spec->name);
    add_num(s, "rank", sa->rank);
    add_str(s, "language", lang[0] ? lang : NULL);
    /* the query profiles the fetch chose (query_profile.h), or null */
    add_str(s, "profile", sa->data != NULL ? sa->data->profile : NULL);
    add_str(s, "workload", workload_name(sa->spec->workload));
    add_num(s, "score", sa->score.score);
    add_str(s, "recommendation", recommendation_name(sa->recommendation));
    add_str(s, "recommendation_reason", sa->recommendation_reason);
    reasons = check(cJSON_AddArrayToObject(s, "reasons"));
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &sa->score.factors[i];
        cJSON *r = check(cJSON_CreateObject());

        add_str(r, "factor", factor_name(f->factor));
        add_num(r, "value", f->have_data ? f->value : NAN);
        add_num(r, "strength", f->strength);
        add_num(r, "weight", f->weight);
        add_num(r, "contribution", f->contribution);
        add_str(r, "text", f->reason);
        cJSON_AddItemToArray(reasons, r);
    }
    flags = check(cJSON_AddArrayToObject(s, "flags"));
    for (i = 0; i < sa->score.n_flags; i++) {
        cJSON *fl = check(cJSON_CreateObject());

        add_str(fl, "flag", red_flag_name(sa->score.flags[i].flag));
        add_str(fl, "kind", flag_kind_name(sa->score.flags[i].kind));
        add_str(fl, "text", sa->score.flags[i].text);
        add_str(fl, "seed", sa->score.flags[i].seed);
        cJSON_AddItemToArray(flags, fl);
    }
    add_inputs(s, sa->spec);
    add_origins(s, c, sa->spec);
    add_metrics(s, sa);
    add_cost(s, sa);
    if (sa->data == NULL)
        add_str(s, "error", "no measurements for this service");
    else
        add_str(s, "error", sa->data->error);
}

static void add_portfolio(cJSON *root, const struct report_ctx *c)
{
    const struct analysis *an = c->analysis;
    cJSON *p = obj(root, "portfolio"), *sel = check(cJSON_AddArrayToObject(p, "selected"));
    cJSON *sched;
    size_t i;

    for (i = 0; i < an->n_services; i++)
        if (an->services[i].in_portfolio)
            cJSON_AddItemToArray(sel, check(cJSON_CreateString(an->services[i].spec->name)));
    if (an->capacity_set)
        add_num(p, "engineer_months_available", an->portfolio.capacity);
    else
        check(cJSON_AddNullToObject(p, "engineer_months_available"));
    add_num(p, "engineer_months", an->portfolio.engineer_months);
    add_num(p, "npv", an->portfolio.npv);
    add_num(p, "npv_p10", an->portfolio.npv_p10);
    add_num(p, "npv_p50", an->portfolio.npv_p50);
    add_num(p, "npv_p90", an->portfolio.npv_p90);
    sched = check(cJSON_AddArrayToObject(p, "schedule"));
    for (i = 0; an->portfolio.schedule != NULL && i < an->portfolio.n_chosen; i++) {
        const struct portfolio_slot *sl = &an->portfolio.schedule[i];
        const struct service_spec *spec = an->services[sl->item].spec;
        cJSON *e = check(cJSON_CreateObject());

        add_str(e, "service", spec->name);
        add_str(e, "team", spec->team_name[0] != '\0' ? spec->team_name : NULL);
        add_str(e, "option", "full");
        add_num(e, "start_month", sl->start_month);
        add_num(e, "live_month", sl->live_month);
        cJSON_AddItemToArray(sched, e);
    }
}

static void add_errors(cJSON *root, const struct report_ctx *c)
{
    cJSON *errs = check(cJSON_AddArrayToObject(root, "errors"));
    const struct measurements *m = c->measurements;
    size_t i;
    int k;

    if (m == NULL)
        return;
    for (i = 0; i < m->n_services; i++) {
        const struct service_data *d = &m->services[i];

        for (k = -1; k < SIGNAL_COUNT; k++) {
            const char *msg = k < 0 ? d->error : d->signals[k].error;
            cJSON *e;

            if (msg == NULL)
                continue;
            e = check(cJSON_CreateObject());
            add_str(e, "service", d->name);
            add_str(e, "signal", k < 0 ? NULL : signal_name((enum signal)k));
            add_str(e, "message", msg);
            cJSON_AddItemToArray(errs, e);
        }
    }
}

int report_json(FILE *f, const struct report_ctx *c)
{
    cJSON *root = check(cJSON_CreateObject()), *svcs;
    char *text;
    size_t i;
    int rc;

    add_str(root, "schema", REPORT_SCHEMA);
    add_str(root, "generated_at", c->generated_at);
    add_source(root, c);
    add_assumptions(root, c);
    svcs = check(cJSON_AddArrayToObject(root, "services"));
    for (i = 0; i < c->analysis->n_services; i++)
        add_service(svcs, c, &c->analysis->services[i]);
    add_portfolio(root, c);
    add_errors(root, c);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL)
        xoom();
    /* DEL and C1 as \u escapes: the same JSON, inert on a terminal */
    rc = util_fputs_json(text, f) != 0 || fputc('\n', f) == EOF ? -1 : 0;
    cJSON_free(text);
    return rc || ferror(f) ? -1 : 0;
}
