/* report_appendix.c: every assumption a report rests on, with where each one came from. */
#include "verdict/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "verdict/assumption_table.h"
#include "verdict/config_value.h"
#include "verdict/format.h"
#include "verdict/inventory.h"
#include "verdict/util.h"

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

/* Hand the row over; its value and origin are filled. */
static void emit_row(struct walk *w, const char *key)
{
    w->row.group = w->group;
    w->row.key = key;
    w->fn(w->arg, &w->row);
    w->row.new_group = 0;
    w->n++;
}

static void emit(struct walk *w, const char *key, enum origin_kind kind, int line)
{
    char path[CONFIG_VALUE_PATH_LEN * 2];

    snprintf(path, sizeof(path), "%s.%s", w->group, key);
    origin_text(w->row.origin, sizeof(w->row.origin), kind, line, path);
    emit_row(w, key);
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

/* The value of row f in base (a struct of f's scope) as the file would
 * give it, or the row's word for a value not set ("estimated"). */
static void field_value(struct walk *w, const struct assumption_field *f, const void *base)
{
    char *v = w->row.value;
    size_t len = sizeof(w->row.value);

    if (f->unset != NULL && !assumption_is_set(f, base)) {
        snprintf(v, len, "%s", f->unset);
        return;
    }
    switch (f->kind) {
    case ASSUMPTION_NUMBER: num_value(w, assumption_get_number(f, base)); break;
    case ASSUMPTION_RANGE: range_value(w, assumption_get_range(f, base)); break;
    case ASSUMPTION_SIZE: size_value(w, assumption_get_range(f, base)); break;
    case ASSUMPTION_COUNT: num_value(w, assumption_get_int(f, base)); break;
    case ASSUMPTION_ENUM:
        snprintf(v, len, "%s", assumption_enum_name(f, assumption_get_int(f, base)));
        break;
    case ASSUMPTION_BOOL:
        snprintf(v, len, "%s", assumption_get_int(f, base) ? "true" : "false");
        break;
    case ASSUMPTION_TEXT: snprintf(v, len, "%s", assumption_get_text(f, base)); break;
    }
}

/* Start the group of an economics row (its key's group under "economics",
 * as "economics.effort" for "effort.measure_weeks") unless it is the
 * current one. */
static void economics_group(struct walk *w, const struct assumption_field *f)
{
    char g[CONFIG_VALUE_PATH_LEN];
    size_t glen = assumption_group_len(f);

    if (glen > 0)
        snprintf(g, sizeof(g), "economics.%.*s", (int)glen, f->key);
    else
        snprintf(g, sizeof(g), "economics");
    if (strcmp(g, w->group) != 0)
        group(w, g);
}

/* The economics rows of the assumption table in its order; its run of
 * learning-curve rows once for each team experience. */
static void economics(struct walk *w)
{
    const struct assumptions *a = w->c->assumptions;
    const struct economics *e = &a->economics;
    const struct assumption_field *f, *r, *end;
    char g[64];
    int k;

    for (f = assumption_table; f->key != NULL; f++) {
        if (f->scope == ASSUMPTION_LEARNING) {
            for (end = f; end->key != NULL && end->scope == ASSUMPTION_LEARNING; end++)
                continue;
            for (k = 0; k < EXPERIENCE_COUNT; k++) {
                snprintf(g, sizeof(g), "economics.learning_curve.%s", experience_name(k));
                group(w, g);
                for (r = f; r < end; r++) {
                    field_value(w, r, &e->learning[k]);
                    global(w, r->key);
                }
            }
            f = end - 1;
            continue;
        }
        if (f->scope != ASSUMPTION_ECONOMICS)
            continue;
        economics_group(w, f);
        field_value(w, f, e);
        global(w, assumption_leaf(f));
    }
    group(w, "scoring.weights");
    for (k = 0; k < FACTOR_COUNT; k++) {
        num_value(w, a->scoring.weights[k]);
        global(w, factor_name(k));
    }
}

static void languages(struct walk *w)
{
    const struct assumptions *a = w->c->assumptions;
    const struct assumption_field *f;
    char g[CONFIG_VALUE_PATH_LEN];
    size_t i;

    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *l = &a->languages[i];

        config_value_path_key(g, "languages", l->name);
        group(w, g);
        for (f = assumption_table; f->key != NULL; f++)
            if (f->scope == ASSUMPTION_LANGUAGE) {
                field_value(w, f, l);
                global(w, f->key);
            }
    }
}

/* A service's keys: rows 0 .. SERVICE_KEY_COUNT - 1 of the table, each
 * with its origin from the service's key_line. */
static void service(struct walk *w, const struct service_spec *s)
{
    int k;

    config_value_path_name(w->group, "services", s->name != NULL ? s->name : "?");
    w->row.new_group = 1;
    w->row.service = s;
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        const struct assumption_field *f = assumption_service_field((enum service_key)k);
        enum origin_kind kind;
        int line;

        field_value(w, f, s);
        kind = service_origin(s, k, &line);
        if (kind == ORIGIN_MEASURED || kind == ORIGIN_DERIVED) {
            /* the query that measured it, or the rule that derived it; the
             * query holds the service's name, untrusted: made inert here,
             * as the writers print the origin as it is */
            char raw[sizeof(w->row.origin)];

            inventory_origin(raw, sizeof(raw), w->c->assumptions, s, (enum service_key)k, NULL);
            util_sanitize(w->row.origin, sizeof(w->row.origin), raw);
            emit_row(w, f->key);
        } else {
            emit(w, f->key, kind, line);
        }
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
