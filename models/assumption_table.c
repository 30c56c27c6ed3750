/* assumption_table.c: every assumption of verdict.yaml, one row each: the one table of fields. */
#include "verdict/assumption_table.h"

#include <math.h>
#include <string.h>

/*
 * To add an assumption:
 *   1. Add the member to its struct in include/verdict/assumptions.h and
 *      its default (with where the figure comes from) to service_defaults()
 *      or assumptions_defaults() in models/assumptions.c.
 *   2. For a service key, add its enum service_key (assumptions.h) at the
 *      place of its row: service rows come first, row k for key k.
 *   3. Add one row below, beside the rows of its group ("team.", "effort.").
 *      The loader (service keys), both screens, the appendix and the JSON
 *      writer then read, check, show and write it; tests/test_model_
 *      assumption_table.c and tests/test_app_assumption_table.c check the
 *      row against the loader.
 *   4. Use it in the model (models/cost.c, score.c, effort.c ...), and
 *      document it in man/verdict.yaml.5.
 * A key whose checks go beyond its kind and bounds (a language must name a
 * profile) also needs its decoder in app/config/config.c; a new kind needs a
 * case in each walker (the compiler's -Wswitch finds them).
 */

/* The enums are stored as int (ASSUMPTION_ENUM and assumption_set_int). */
_Static_assert(sizeof(enum workload) == sizeof(int), "enum workload is int-sized");
_Static_assert(sizeof(enum criticality) == sizeof(int), "enum criticality is int-sized");
_Static_assert(sizeof(enum experience) == sizeof(int), "enum experience is int-sized");

#define SVC(m) offsetof(struct service_spec, m)
#define LANG(m) offsetof(struct language_profile, m)
#define ECON(m) offsetof(struct economics, m)
#define LEARN(m) offsetof(struct learning_curve, m)

const struct assumption_field assumption_table[] = {
    /* ---- services[NAME]: row k is enum service_key k ---- */
    { .key = "language", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_TEXT,
      .offset = SVC(language), .size = LANGUAGE_NAME_MAX, .unit = "name", .title = "Lang",
      .width = 8, .hint = "source language, a profile under languages", .unset = "not given" },
    { .key = "workload", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_ENUM,
      .offset = SVC(workload), .names = assumptions_workload_names, .n_names = WORKLOAD_COUNT,
      .unit = "kind", .title = "Workload", .width = 16,
      .hint = "what the service spends its time on" },
    { .key = "criticality", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_ENUM,
      .offset = SVC(criticality), .names = assumptions_criticality_names,
      .n_names = CRITICALITY_COUNT, .unit = "level", .title = "Crit", .width = 6,
      .hint = "how much an outage hurts" },
    { .key = "instances", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = SVC(instances), .flags = ASSUMPTION_COST_INPUT,
      .unit = "instances", .title = "Inst", .width = 10, .hint = "instances running today" },
    { .key = "min_instances", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = SVC(min_instances), .flags = ASSUMPTION_COST_INPUT,
      .unit = "instances", .title = "Min", .width = 6, .hint = "availability floor: never fewer" },
    { .key = "cores_per_instance", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_POS, .offset = SVC(cores_per_instance),
      .flags = ASSUMPTION_COST_INPUT, .unit = "cores", .title = "Cores", .width = 8,
      .hint = "CPU cores each" },
    { .key = "memory_per_instance", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_SIZE,
      .bound = ASSUMPTION_POS, .offset = SVC(memory_per_instance_bytes), .unit = "bytes",
      .title = "Memory", .width = 10, .hint = "memory each (4GiB)" },
    { .key = "cost_per_instance", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = SVC(cost_per_instance),
      .flags = ASSUMPTION_COST_INPUT, .unit = "currency a month", .title = "$/inst",
      .width = 10, .hint = "per instance per month" },
    { .key = "incidents_per_month", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = SVC(incidents_per_month),
      .flags = ASSUMPTION_COST_INPUT, .unit = "incidents a month", .title = "Inc/mo",
      .width = 11, .hint = "incidents a month today" },
    { .key = "cost_per_incident", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = SVC(cost_per_incident),
      .flags = ASSUMPTION_COST_INPUT, .unit = "currency", .title = "$/inc", .width = 10,
      .hint = "what one incident costs" },
    { .key = "incident_reduction", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = SVC(incident_reduction),
      .flags = ASSUMPTION_COST_INPUT, .unit = "fraction", .title = "Inc.cut", .width = 15,
      .hint = "fraction a rewrite avoids" },
    { .key = "endpoints", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_COUNT,
      .bound = ASSUMPTION_ONE_UP, .offset = SVC(endpoints), .flags = ASSUMPTION_COST_INPUT,
      .unit = "endpoints", .title = "Endp", .width = 5, .hint = "drives the effort estimate" },
    { .key = "team.engineers", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_COUNT,
      .bound = ASSUMPTION_ONE_UP, .offset = SVC(engineers), .flags = ASSUMPTION_COST_INPUT,
      .unit = "engineers", .title = "Eng", .width = 4, .hint = "team size" },
    { .key = "team.experience", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_ENUM,
      .offset = SVC(experience), .names = assumptions_experience_names,
      .n_names = EXPERIENCE_COUNT, .flags = ASSUMPTION_COST_INPUT, .unit = "level",
      .title = "Exp", .width = 7, .hint = "none|some|strong with the target language" },
    { .key = "team.name", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_TEXT,
      .offset = SVC(team_name), .size = TEAM_NAME_MAX, .flags = ASSUMPTION_COST_INPUT,
      .unit = "name", .title = "Team", .width = 10,
      .hint = "services of one team: one rewrite at a time, one learning curve",
      .unset = "its own team" },
    { .key = "changes_per_month", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = SVC(changes_per_month),
      .flags = ASSUMPTION_COST_INPUT, .unit = "changes a month", .title = "Chg/mo",
      .width = 9, .hint = "deploys that change behaviour" },
    { .key = "effort_engineer_months", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_POS, .offset = SVC(effort_engineer_months),
      .flags = ASSUMPTION_COST_INPUT | ASSUMPTION_OPTIONAL, .given_offset = SVC(has_effort),
      .unit = "engineer-months", .title = "Effort", .width = 12,
      .hint = "the team's own estimate", .unset = "estimated",
      .unset_hint = "estimated from the phases; editing sets it" },
    { .key = "already_rewriting", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_BOOL,
      .offset = SVC(already_rewriting), .flags = ASSUMPTION_COST_INPUT,
      .unit = "true|false", .title = "Rewriting", .width = 9,
      .hint = "rewritten anyway: charge only the language's extra" },
    { .key = "slo.p99_seconds", .scope = ASSUMPTION_SERVICE, .kind = ASSUMPTION_NUMBER,
      .bound = ASSUMPTION_POS, .offset = SVC(slo_p99_seconds), .flags = ASSUMPTION_COST_INPUT,
      .unit = "seconds", .title = "SLO p99", .width = 8,
      .hint = "p99 promised; hours above it are priced", .unset = "none",
      .unset_hint = "no SLO: latency is worth nothing here" },
    { .key = "slo.breach_cost_per_hour", .scope = ASSUMPTION_SERVICE,
      .kind = ASSUMPTION_RANGE, .bound = ASSUMPTION_NONNEG,
      .offset = SVC(slo_breach_cost_per_hour), .flags = ASSUMPTION_COST_INPUT,
      .unit = "currency an hour", .title = "$/h over", .width = 10,
      .hint = "what an hour with p99 above the SLO costs" },

    /* ---- languages.LANG ---- */
    { .key = "cpu_reduction", .scope = ASSUMPTION_LANGUAGE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = LANG(cpu_reduction), .flags = ASSUMPTION_COST_INPUT,
      .unit = "fraction", .title = "CPU cut", .hint = "fraction of CPU the rewrite saves" },
    { .key = "memory_reduction", .scope = ASSUMPTION_LANGUAGE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = LANG(memory_reduction),
      .flags = ASSUMPTION_COST_INPUT, .unit = "fraction", .title = "Memory cut",
      .hint = "fraction of memory saved" },
    { .key = "p99_reduction", .scope = ASSUMPTION_LANGUAGE, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = LANG(p99_reduction), .flags = ASSUMPTION_COST_INPUT,
      .unit = "fraction", .title = "p99 cut",
      .hint = "fraction of p99 saved: prices an slo" },
    { .key = "dynamic", .scope = ASSUMPTION_LANGUAGE, .kind = ASSUMPTION_BOOL,
      .offset = LANG(dynamic), .unit = "true|false", .title = "Dynamic",
      .hint = "adds dynamic_language_extra_months" },

    /* ---- economics, with the learning curve of each team experience ---- */
    { .key = "horizon_months", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_COUNT,
      .bound = ASSUMPTION_HORIZON, .offset = ECON(horizon_months),
      .flags = ASSUMPTION_COST_INPUT, .unit = "months", .title = "Horizon",
      .hint = "months projected (1..240)" },
    { .key = "discount_rate", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = ECON(discount_rate), .flags = ASSUMPTION_COST_INPUT,
      .unit = "fraction a year", .title = "Discount", .hint = "annual fraction" },
    { .key = "cost_per_engineer_month", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_RANGE, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(cost_per_engineer_month), .flags = ASSUMPTION_COST_INPUT,
      .unit = "currency", .title = "$/eng-month", .hint = "currency, fully loaded" },
    { .key = "productivity_gain", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = ECON(productivity_gain),
      .flags = ASSUMPTION_COST_INPUT, .unit = "fraction a month", .title = "Productivity",
      .hint = "fraction of team cost won back a month" },
    { .key = "engineer_months_available", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(engineer_months_available), .unit = "engineer-months",
      .title = "Capacity", .hint = "portfolio capacity a quarter", .unset = "not set",
      .unset_hint = "not set: every migrate candidate" },
    { .key = "currency", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_TEXT,
      .offset = ECON(currency), .size = sizeof(((struct economics *)0)->currency),
      .unit = "symbol", .title = "Currency", .hint = "display only" },
    { .key = "velocity_loss", .scope = ASSUMPTION_LEARNING, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = LEARN(velocity_loss), .flags = ASSUMPTION_COST_INPUT,
      .unit = "fraction", .title = "Velocity loss", .hint = "fraction of output lost at first" },
    { .key = "months", .scope = ASSUMPTION_LEARNING, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = LEARN(months), .flags = ASSUMPTION_COST_INPUT,
      .unit = "months", .title = "Learning", .hint = "months to recover" },
    { .key = "learning_curve.dynamic_language_extra_months", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_RANGE, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(dynamic_language_extra_months), .unit = "months",
      .title = "Dynamic extra", .hint = "leaving Python or JavaScript" },
    { .key = "cost_per_change", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(cost_per_change),
      .flags = ASSUMPTION_COST_INPUT, .unit = "engineer-days", .title = "$/change",
      .hint = "building a change twice while both run" },
    { .key = "ecosystem_gap", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_UNIT, .offset = ECON(ecosystem_gap), .flags = ASSUMPTION_COST_INPUT,
      .unit = "fraction of the effort", .title = "Eco gap",
      .hint = "charged when already_rewriting" },
    { .key = "cancellation_probability", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_UNIT,
      .offset = ECON(cancellation_probability), .flags = ASSUMPTION_COST_INPUT,
      .unit = "fraction of outcomes", .title = "Cancel",
      .hint = "cancelled before go-live: pays the cost so far, earns nothing" },
    { .key = "price_per_core_month", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(price_per_core_month),
      .flags = ASSUMPTION_COST_INPUT, .unit = "currency a core a month", .title = "$/core-mo",
      .hint = "prices a cost_per_instance not given" },
    { .key = "price_per_gib_month", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(price_per_gib_month),
      .flags = ASSUMPTION_COST_INPUT, .unit = "currency a GiB a month", .title = "$/GiB-mo",
      .hint = "prices a cost_per_instance not given" },
    { .key = "effort.measure_weeks", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(effort.measure_weeks),
      .unit = "engineer-weeks", .title = "Measure", .hint = "baselines before any code" },
    { .key = "effort.scaffold_weeks", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(effort.scaffold_weeks),
      .unit = "engineer-weeks", .title = "Scaffold", .hint = "the new service's skeleton" },
    { .key = "effort.weeks_per_endpoint", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_RANGE, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(effort.weeks_per_endpoint), .unit = "engineer-weeks an endpoint",
      .title = "Per endpoint", .hint = "parallel implementation, each endpoint" },
    { .key = "effort.cutover_weeks_per_endpoint", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_RANGE, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(effort.cutover_weeks_per_endpoint), .unit = "engineer-weeks an endpoint",
      .title = "Cutover", .hint = "1 -> 10 -> 50 -> 100 %, each endpoint" },
    { .key = "effort.rollback_weeks", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(effort.rollback_weeks),
      .unit = "engineer-weeks", .title = "Rollback", .hint = "old system kept as rollback" },
    { .key = "effort.cleanup_weeks", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_RANGE,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(effort.cleanup_weeks),
      .unit = "engineer-weeks", .title = "Cleanup", .hint = "retiring the old service" },
    { .key = "thresholds.migrate_score", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_PERCENT,
      .offset = ECON(thresholds.migrate_score), .unit = "score", .title = "Migrate at",
      .hint = "0..100" },
    { .key = "thresholds.consider_score", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_PERCENT,
      .offset = ECON(thresholds.consider_score), .unit = "score", .title = "Consider at",
      .hint = "0..100, <= migrate_score" },
    { .key = "thresholds.migrate_probability", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_UNIT,
      .offset = ECON(thresholds.migrate_probability), .unit = "probability",
      .title = "P(NPV > 0)", .hint = "P(NPV > 0) to say migrate" },
    { .key = "thresholds.io_bound_share", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_UNIT,
      .offset = ECON(thresholds.io_bound_share), .unit = "fraction", .title = "I/O-bound",
      .hint = "runtime share below: I/O-bound" },
    { .key = "thresholds.weekly_changes", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(thresholds.weekly_changes), .unit = "changes a month",
      .title = "Churn", .hint = "changes a month: red flag" },
    { .key = "thresholds.min_hours", .scope = ASSUMPTION_ECONOMICS, .kind = ASSUMPTION_NUMBER,
      .bound = ASSUMPTION_NONNEG, .offset = ECON(thresholds.min_hours), .unit = "hours",
      .title = "Min hours", .hint = "less history: unknown" },
    { .key = "thresholds.min_points", .scope = ASSUMPTION_ECONOMICS,
      .kind = ASSUMPTION_NUMBER, .bound = ASSUMPTION_NONNEG,
      .offset = ECON(thresholds.min_points), .unit = "points", .title = "Min points",
      .hint = "fewer points: unknown" },
    { .key = NULL },
};

const struct assumption_field *assumption_service_field(enum service_key k)
{
    return (unsigned)k < SERVICE_KEY_COUNT ? &assumption_table[k] : NULL;
}

const struct assumption_field *assumption_find(enum assumption_scope scope, const char *key)
{
    const struct assumption_field *f;

    if (key == NULL)
        return NULL;
    for (f = assumption_table; f->key != NULL; f++)
        if (f->scope == scope && strcmp(f->key, key) == 0)
            return f;
    return NULL;
}

const char *assumption_leaf(const struct assumption_field *f)
{
    const char *dot = strrchr(f->key, '.');

    return dot != NULL ? dot + 1 : f->key;
}

size_t assumption_group_len(const struct assumption_field *f)
{
    const char *dot = strrchr(f->key, '.');

    return dot != NULL ? (size_t)(dot - f->key) : 0;
}

/* memcpy, not a cast: base may be any struct of the row's scope, and this
 * reads the member without assuming more alignment than it has. */
struct range assumption_get_range(const struct assumption_field *f, const void *base)
{
    struct range r;

    memcpy(&r, (const char *)base + f->offset, sizeof(r));
    return r;
}

double assumption_get_number(const struct assumption_field *f, const void *base)
{
    double v;

    memcpy(&v, (const char *)base + f->offset, sizeof(v));
    return v;
}

int assumption_get_int(const struct assumption_field *f, const void *base)
{
    int v;

    memcpy(&v, (const char *)base + f->offset, sizeof(v));
    return v;
}

const char *assumption_get_text(const struct assumption_field *f, const void *base)
{
    return (const char *)base + f->offset;
}

const char *assumption_enum_name(const struct assumption_field *f, int v)
{
    return f->names != NULL && v >= 0 && v < f->n_names ? f->names[v] : "?";
}

int assumption_is_set(const struct assumption_field *f, const void *base)
{
    int given;

    if (f->flags & ASSUMPTION_OPTIONAL) {
        memcpy(&given, (const char *)base + f->given_offset, sizeof(given));
        if (!given)
            return 0;
    }
    switch (f->kind) {
    case ASSUMPTION_NUMBER:
        return !isnan(assumption_get_number(f, base));
    case ASSUMPTION_TEXT:
        return assumption_get_text(f, base)[0] != '\0';
    case ASSUMPTION_RANGE:
    case ASSUMPTION_SIZE:
    case ASSUMPTION_COUNT:
    case ASSUMPTION_ENUM:
    case ASSUMPTION_BOOL:
        break;
    }
    return 1;
}

void assumption_set_int(const struct assumption_field *f, void *base, int v)
{
    memcpy((char *)base + f->offset, &v, sizeof(v));
}

void assumption_set_given(const struct assumption_field *f, void *base)
{
    int one = 1;

    if (f->flags & ASSUMPTION_OPTIONAL)
        memcpy((char *)base + f->given_offset, &one, sizeof(one));
}
