/* report_appendix.c: every assumption a report rests on, with where each one came from. */
#include "verdict/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "verdict/config_value.h"
#include "verdict/format.h"

/*
 * One walk, shared by the text, Markdown and HTML writers, so the three
 * appendices list the same keys in the same order with the same origins.
 * Keys are the YAML paths of verdict.yaml(5), so a reader can find each
 * one in the file (or add it there).
 */

struct walk {
    const struct report_ctx *c;
    report_appendix_fn fn;
    void *arg;
    struct appendix_row row;
    char group[CONFIG_VALUE_PATH_LEN];
    size_t n;
};

static void origin_text(char *buf, size_t len, enum origin_kind kind, int line,
                        const char *default_of)
{
    const char *seed = default_of != NULL ? assumptions_default_source(default_of) : NULL;

    if (kind == ORIGIN_FILE)
        snprintf(buf, len, "line %d", line);
    else if (kind == ORIGIN_OVERRIDE)
        snprintf(buf, len, "--set");
    else if (seed != NULL)
        snprintf(buf, len, "default, %s", seed);
    else
        snprintf(buf, len, "default");
}

/* Start a group: rows after this belong under `group`. */
static void group(struct walk *w, const char *g)
{
    snprintf(w->group, sizeof(w->group), "%s", g);
    w->row.new_group = 1;
}

static void emit(struct walk *w, const char *key, enum origin_kind kind, int line)
{
    char path[CONFIG_VALUE_PATH_LEN * 2];

    snprintf(path, sizeof(path), "%s.%s", w->group, key);
    w->row.group = w->group;
    w->row.key = key;
    origin_text(w->row.origin, sizeof(w->row.origin), kind, line, path);
    w->fn(w->arg, &w->row);
    w->row.new_group = 0;
    w->n++;
}

/* A key outside the services: its origin is looked up by path. */
static void global(struct walk *w, const char *key)
{
    char path[CONFIG_VALUE_PATH_LEN * 2];
    enum origin_kind kind;
    int line;

    snprintf(path, sizeof(path), "%s.%s", w->group, key);
    kind = assumptions_origin(w->c->assumptions, path, &line);
    emit(w, key, kind, line);
}

static void range_value(struct walk *w, struct range r)
{
    fmt_range(w->row.value, sizeof(w->row.value), r.low, r.likely, r.high);
}

static void num_value(struct walk *w, double v)
{
    if (isnan(v))
        snprintf(w->row.value, sizeof(w->row.value), "not set");
    else
        snprintf(w->row.value, sizeof(w->row.value), "%g", v);
}

static void g_range(struct walk *w, const char *key, struct range r)
{
    range_value(w, r);
    global(w, key);
}

static void g_num(struct walk *w, const char *key, double v)
{
    num_value(w, v);
    global(w, key);
}

static void economics(struct walk *w)
{
    const struct assumptions *a = w->c->assumptions;
    const struct economics *e = &a->economics;
    const struct effort_phases *p = &e->effort;
    const struct thresholds *t = &e->thresholds;
    char g[64];
    int k;

    group(w, "economics");
    g_num(w, "horizon_months", e->horizon_months);
    g_range(w, "discount_rate", e->discount_rate);
    g_range(w, "cost_per_engineer_month", e->cost_per_engineer_month);
    g_range(w, "productivity_gain", e->productivity_gain);
    g_num(w, "engineer_months_available", e->engineer_months_available);
    snprintf(w->row.value, sizeof(w->row.value), "%s", e->currency);
    global(w, "currency");
    for (k = 0; k < EXPERIENCE_COUNT; k++) {
        snprintf(g, sizeof(g), "economics.learning_curve.%s", experience_name(k));
        group(w, g);
        g_range(w, "velocity_loss", e->learning[k].velocity_loss);
        g_range(w, "months", e->learning[k].months);
    }
    group(w, "economics.learning_curve");
    g_range(w, "dynamic_language_extra_months", e->dynamic_language_extra_months);
    group(w, "economics.effort");
    g_range(w, "measure_weeks", p->measure_weeks);
    g_range(w, "scaffold_weeks", p->scaffold_weeks);
    g_range(w, "weeks_per_endpoint", p->weeks_per_endpoint);
    g_range(w, "cutover_weeks_per_endpoint", p->cutover_weeks_per_endpoint);
    g_range(w, "rollback_weeks", p->rollback_weeks);
    g_range(w, "cleanup_weeks", p->cleanup_weeks);
    group(w, "economics.thresholds");
    g_num(w, "migrate_score", t->migrate_score);
    g_num(w, "consider_score", t->consider_score);
    g_num(w, "migrate_probability", t->migrate_probability);
    g_num(w, "io_bound_share", t->io_bound_share);
    g_num(w, "weekly_changes", t->weekly_changes);
    g_num(w, "min_hours", t->min_hours);
    g_num(w, "min_points", t->min_points);
    group(w, "scoring.weights");
    for (k = 0; k < FACTOR_COUNT; k++)
        g_num(w, factor_name(k), a->scoring.weights[k]);
}

static void languages(struct walk *w)
{
    const struct assumptions *a = w->c->assumptions;
    char g[CONFIG_VALUE_PATH_LEN];
    size_t i;

    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *l = &a->languages[i];

        config_value_path_key(g, "languages", l->name);
        group(w, g);
        g_range(w, "cpu_reduction", l->cpu_reduction);
        g_range(w, "memory_reduction", l->memory_reduction);
        g_range(w, "p99_reduction", l->p99_reduction);
        snprintf(w->row.value, sizeof(w->row.value), "%s", l->dynamic ? "true" : "false");
        global(w, "dynamic");
    }
}

static void size_value(struct walk *w, struct range r)
{
    char a[32], b[32], c[32];

    if (r.low == r.likely && r.likely == r.high)
        fmt_bytes(w->row.value, sizeof(w->row.value), r.likely);
    else
        snprintf(w->row.value, sizeof(w->row.value), "[%s, %s, %s]",
                 fmt_bytes(a, sizeof(a), r.low), fmt_bytes(b, sizeof(b), r.likely),
                 fmt_bytes(c, sizeof(c), r.high));
}

static void service(struct walk *w, const struct service_spec *s)
{
    int k;

    config_value_path_name(w->group, "services", s->name != NULL ? s->name : "?");
    w->row.new_group = 1;
    w->row.service = s;
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        enum origin_kind kind;
        int line;

        switch ((enum service_key)k) {
        case SK_LANGUAGE:
            snprintf(w->row.value, sizeof(w->row.value), "%s",
                     s->language[0] ? s->language : "not given");
            break;
        case SK_WORKLOAD:
            snprintf(w->row.value, sizeof(w->row.value), "%s", workload_name(s->workload));
            break;
        case SK_CRITICALITY:
            snprintf(w->row.value, sizeof(w->row.value), "%s",
                     criticality_name(s->criticality));
            break;
        case SK_INSTANCES: range_value(w, s->instances); break;
        case SK_MIN_INSTANCES: range_value(w, s->min_instances); break;
        case SK_CORES_PER_INSTANCE: range_value(w, s->cores_per_instance); break;
        case SK_MEMORY_PER_INSTANCE: size_value(w, s->memory_per_instance_bytes); break;
        case SK_COST_PER_INSTANCE: range_value(w, s->cost_per_instance); break;
        case SK_INCIDENTS_PER_MONTH: range_value(w, s->incidents_per_month); break;
        case SK_COST_PER_INCIDENT: range_value(w, s->cost_per_incident); break;
        case SK_INCIDENT_REDUCTION: range_value(w, s->incident_reduction); break;
        case SK_ENDPOINTS: num_value(w, s->endpoints); break;
        case SK_ENGINEERS: num_value(w, s->engineers); break;
        case SK_EXPERIENCE:
            snprintf(w->row.value, sizeof(w->row.value), "%s", experience_name(s->experience));
            break;
        case SK_CHANGES_PER_MONTH: range_value(w, s->changes_per_month); break;
        case SK_EFFORT_ENGINEER_MONTHS:
            if (s->has_effort)
                range_value(w, s->effort_engineer_months);
            else
                snprintf(w->row.value, sizeof(w->row.value), "estimated");
            break;
        case SERVICE_KEY_COUNT:
            break;
        }
        kind = service_origin(s, k, &line);
        emit(w, service_key_name(k), kind, line);
    }
    w->row.service = NULL;
}

size_t report_appendix(const struct report_ctx *c, report_appendix_fn fn, void *arg)
{
    const struct assumptions *a = c->assumptions;
    struct walk w;
    size_t i;

    memset(&w, 0, sizeof(w));
    w.c = c;
    w.fn = fn;
    w.arg = arg;
    economics(&w);
    languages(&w);
    for (i = 0; i < a->n_services; i++)
        service(&w, &a->services[i]);
    return w.n;
}
