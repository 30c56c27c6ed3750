/* report_json.c: the report as JSON, schema verdict.report/1 (see DESIGN.md). */
#include "verdict/report.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
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

static void add_assumptions(cJSON *root, const struct report_ctx *c)
{
    const struct assumptions *a = c->assumptions;
    const struct economics *e = &a->economics;
    cJSON *as = obj(root, "assumptions"), *ec, *lc, *ef, *th, *w, *langs;
    size_t i;

    add_num(as, "seed", (double)c->seed);
    add_num(as, "draws", (double)c->draws);
    ec = obj(as, "economics");
    add_num(ec, "horizon_months", e->horizon_months);
    add_num(ec, "engineer_months_available", e->engineer_months_available);
    add_range(ec, "discount_rate", e->discount_rate);
    add_range(ec, "cost_per_engineer_month", e->cost_per_engineer_month);
    add_range(ec, "productivity_gain", e->productivity_gain);
    add_str(ec, "currency", e->currency);
    lc = obj(ec, "learning_curve");
    for (i = 0; i < EXPERIENCE_COUNT; i++) {
        cJSON *l = obj(lc, experience_name((enum experience)i));

        add_range(l, "velocity_loss", e->learning[i].velocity_loss);
        add_range(l, "months", e->learning[i].months);
    }
    add_range(lc, "dynamic_language_extra_months", e->dynamic_language_extra_months);
    ef = obj(ec, "effort");
    add_range(ef, "measure_weeks", e->effort.measure_weeks);
    add_range(ef, "scaffold_weeks", e->effort.scaffold_weeks);
    add_range(ef, "weeks_per_endpoint", e->effort.weeks_per_endpoint);
    add_range(ef, "cutover_weeks_per_endpoint", e->effort.cutover_weeks_per_endpoint);
    add_range(ef, "rollback_weeks", e->effort.rollback_weeks);
    add_range(ef, "cleanup_weeks", e->effort.cleanup_weeks);
    th = obj(ec, "thresholds");
    add_num(th, "migrate_score", e->thresholds.migrate_score);
    add_num(th, "consider_score", e->thresholds.consider_score);
    add_num(th, "migrate_probability", e->thresholds.migrate_probability);
    add_num(th, "io_bound_share", e->thresholds.io_bound_share);
    add_num(th, "weekly_changes", e->thresholds.weekly_changes);
    add_num(th, "min_hours", e->thresholds.min_hours);
    add_num(th, "min_points", e->thresholds.min_points);
    w = obj(obj(as, "scoring"), "weights");
    for (i = 0; i < FACTOR_COUNT; i++)
        add_num(w, factor_name((enum factor)i), a->scoring.weights[i]);
    langs = obj(as, "languages");
    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *l = &a->languages[i];
        cJSON *lo = obj(langs, l->name);

        add_range(lo, "cpu_reduction", l->cpu_reduction);
        add_range(lo, "memory_reduction", l->memory_reduction);
        add_range(lo, "p99_reduction", l->p99_reduction);
        check(cJSON_AddBoolToObject(lo, "dynamic", l->dynamic));
    }
}

static void add_inputs(cJSON *svc, const struct service_spec *s)
{
    cJSON *in = obj(svc, "inputs"), *team;

    add_str(in, "criticality", criticality_name(s->criticality));
    add_range(in, "instances", s->instances);
    add_range(in, "min_instances", s->min_instances);
    add_range(in, "cores_per_instance", s->cores_per_instance);
    add_range(in, "memory_per_instance", s->memory_per_instance_bytes);
    add_range(in, "cost_per_instance", s->cost_per_instance);
    add_range(in, "incidents_per_month", s->incidents_per_month);
    add_range(in, "cost_per_incident", s->cost_per_incident);
    add_range(in, "incident_reduction", s->incident_reduction);
    add_num(in, "endpoints", s->endpoints);
    team = obj(in, "team");
    add_num(team, "engineers", s->engineers);
    add_str(team, "experience", experience_name(s->experience));
    add_range(in, "changes_per_month", s->changes_per_month);
    if (s->has_effort)
        add_range(in, "effort_engineer_months", s->effort_engineer_months);
    else
        check(cJSON_AddNullToObject(in, "effort_engineer_months"));
}

static void add_metrics(cJSON *svc, const struct service_analysis *sa)
{
    cJSON *m = obj(svc, "metrics"), *d;
    const struct service_metrics *x = &sa->metrics;
    int k;

    for (k = 0; k < SIGNAL_COUNT; k++) {
        const struct signal_data *s = sa->data ? &sa->data->signals[k] : NULL;
        cJSON *so;

        if (k == SIGNAL_GC && (s == NULL || !s->present))
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
    add_num(d, "tail_ratio", x->tail_ratio);
    add_num(d, "cpu_seconds_per_request", x->cpu_s_per_request);
    add_num(d, "runtime_share", x->runtime_share);
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
    add_str(c, "fleet_bound", fleet_bound_name(r->bound));
    add_num(c, "instances_after", r->instances_after);
    add_num(c, "migration_cost", r->migration_cost);
    add_num(c, "velocity_loss", r->velocity_loss);
    add_num(c, "overlap_cost", r->overlap_cost);
    add_num(c, "migration_months", r->migration_months);
    add_num(c, "total_benefit", r->total_benefit);
    add_num(c, "total_cost", r->total_cost);
    if (r->break_even_month > 0)
        add_num(c, "break_even_month", r->break_even_month);
    else
        check(cJSON_AddNullToObject(c, "break_even_month"));
    add_num(c, "npv", r->npv);
    add_num(c, "roi", r->roi);
    add_num(c, "probability_positive", mc->probability_positive);
    add_num(c, "probability_break_even", mc->probability_break_even);
    add_num(c, "npv_p10", mc->npv_p10);
    add_num(c, "npv_p50", mc->npv_p50);
    add_num(c, "npv_p90", mc->npv_p90);
    add_num(c, "draws", (double)mc->draws);
    cum = check(cJSON_AddArrayToObject(c, "cumulative"));
    for (i = 0; i < (size_t)r->n_months; i++)
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

static void add_service(cJSON *arr, const struct service_analysis *sa)
{
    cJSON *s = check(cJSON_CreateObject()), *reasons, *flags;
    const char *lang = sa->lang ? sa->lang->name : sa->spec->language;
    size_t i;

    cJSON_AddItemToArray(arr, s);
    add_str(s, "name", sa->spec->name);
    add_num(s, "rank", sa->rank);
    add_str(s, "language", lang[0] ? lang : NULL);
    add_str(s, "workload", workload_name(sa->spec->workload));
    add_num(s, "score", sa->score.score);
    add_str(s, "recommendation", recommendation_name(sa->recommendation));
    add_str(s, "recommendation_reason", sa->recommendation_reason);
    reasons = check(cJSON_AddArrayToObject(s, "reasons"));
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &sa->score.factors[i];
        cJSON *r = check(cJSON_CreateObject());

        add_str(r, "factor", factor_name(f->factor));
        if (f->have_data)
            add_num(r, "value", f->value);
        else
            check(cJSON_AddNullToObject(r, "value"));
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
        add_str(fl, "text", sa->score.flags[i].text);
        cJSON_AddItemToArray(flags, fl);
    }
    add_inputs(s, sa->spec);
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
        add_service(svcs, &c->analysis->services[i]);
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
