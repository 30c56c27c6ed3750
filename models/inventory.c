/* inventory.c: fill what the inventory does not give from measurements or other inputs. */
#include "verdict/inventory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/assumption_table.h"
#include "verdict/promql.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

/*
 * Derived cost per instance, currency a month:
 *   cost = cores x price_per_core_month + (memory bytes / 2^30) x price_per_gib_month
 * With OpenCost's default prices (23.076 a core, 3.093 a GiB a month) a
 * 2-core, 4 GiB instance costs 2 x 23.076 + 4 x 3.093 = 58.52 a month.
 * A range takes low with low and high with high: all terms are >= 0, so
 * low <= likely <= high holds.  Zero cores and memory cost nothing.
 */
struct range inventory_derived_cost(const struct service_spec *s, const struct economics *e)
{
    const struct range c = s->cores_per_instance, m = s->memory_per_instance_bytes;
    const struct range pc = e->price_per_core_month, pm = e->price_per_gib_month;

    return range_make(c.low * pc.low + m.low / GIB * pm.low,
                      c.likely * pc.likely + m.likely / GIB * pm.likely,
                      c.high * pc.high + m.high / GIB * pm.high);
}

/* p95 of the count of targets up: the size the fleet holds for all but
 * its busiest 5 % of the range (a rollout's surge is not the fleet),
 * rounded to a whole instance: 2.97 is 3.  No points, or under one
 * instance (count() of no target up is no series, so a fraction is not a
 * count of targets): NaN, and the default stands. */
double inventory_measured_instances(const struct signal_data *sd)
{
    double n;

    if (sd == NULL || !sd->present || sd->error != NULL || sd->stats.count == 0 ||
        !isfinite(sd->stats.p95))
        return NAN;
    n = floor(sd->stats.p95 + 0.5);
    return n >= 1 ? n : NAN;
}

/* 1 when key k of s may be filled: the file and --set leave it alone. */
static int fillable(const struct service_spec *s, enum service_key k)
{
    int l = s->key_line[k];

    return l == 0 || l == SERVICE_KEY_MEASURED || l == SERVICE_KEY_DERIVED;
}

void inventory_resolve(struct assumptions *a, const struct measurements *m)
{
    size_t i;

    free(a->measured_service_label);
    a->measured_service_label = NULL;
    if (m != NULL && m->service_label != NULL) {
        size_t n = strlen(m->service_label) + 1;

        a->measured_service_label = malloc(n);
        if (a->measured_service_label != NULL)
            memcpy(a->measured_service_label, m->service_label, n);
    }
    for (i = 0; i < a->n_services; i++) {
        struct service_spec *s = &a->services[i];
        const struct service_data *d = m != NULL && s->name != NULL
                                       ? measurements_find(m, s->name) : NULL;

        if (fillable(s, SK_INSTANCES) && d != NULL) {
            double n = inventory_measured_instances(&d->signals[SIGNAL_INSTANCES]);

            if (!isnan(n)) {
                s->instances = range_point(n);
                s->key_line[SK_INSTANCES] = SERVICE_KEY_MEASURED;
            }
        }
        /* after instances: a measured fleet does not change the price of one */
        if (fillable(s, SK_COST_PER_INSTANCE)) {
            s->cost_per_instance = inventory_derived_cost(s, &a->economics);
            s->key_line[SK_COST_PER_INSTANCE] = SERVICE_KEY_DERIVED;
        }
    }
}

const char *inventory_derivation(enum service_key k)
{
    if (k == SK_COST_PER_INSTANCE)
        return "cores_per_instance x economics.price_per_core_month + "
               "memory_per_instance (GiB) x economics.price_per_gib_month";
    return NULL;
}

/* The signal whose series measures key k, or -1. */
static int measuring_signal(enum service_key k)
{
    return k == SK_INSTANCES ? SIGNAL_INSTANCES : -1;
}

char *inventory_origin(char *buf, size_t len, const struct assumptions *a,
                       const struct service_spec *s, enum service_key k, const char *file)
{
    int l = (unsigned)k < SERVICE_KEY_COUNT ? s->key_line[k] : 0;
    int sig = measuring_signal(k);
    const struct assumption_field *f = assumption_service_field(k);
    char key[128];
    const char *seed;

    if (len == 0)
        return buf;
    if (l > 0) {
        if (file != NULL)
            snprintf(buf, len, "%s:%d", file, l);
        else
            snprintf(buf, len, "line %d", l);
    } else if (l == SERVICE_KEY_OVERRIDE) {
        snprintf(buf, len, "--set");
    } else if (l == SERVICE_KEY_MEASURED && sig >= 0 && a->queries[sig] != NULL) {
        /* the label as the fetch chose it; before snapshots kept it, the
         * file's, else the default the templates were written for */
        const char *label = a->service_label != NULL ? a->service_label
                            : a->measured_service_label != NULL ? a->measured_service_label
                                                                : PROMQL_DEFAULT_LABEL;
        char *q = promql_substitute_label(a->queries[sig], s->name != NULL ? s->name : "",
                                          label);

        snprintf(buf, len, "measured: %s", q != NULL ? q : a->queries[sig]);
        free(q);
    } else if (l == SERVICE_KEY_DERIVED && inventory_derivation(k) != NULL) {
        snprintf(buf, len, "derived: %s", inventory_derivation(k));
    } else {
        snprintf(key, sizeof(key), "services[*].%s", f != NULL ? f->key : "?");
        /* pattern_covers matches "[*]" against a name; "[*]" is one */
        seed = assumptions_default_source(key);
        snprintf(buf, len, "default (%s)", seed != NULL ? seed : "no seed");
    }
    return buf;
}
