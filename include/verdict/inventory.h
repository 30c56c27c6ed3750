/* inventory.h: a service's inputs the inventory leaves out, measured or derived, and where each came from. */
#ifndef VERDICT_INVENTORY_H
#define VERDICT_INVENTORY_H

#include <stddef.h>

#include "verdict/assumptions.h"
#include "verdict/measure.h"

/*
 * The YAML value is always the override: inventory_resolve only fills a
 * key whose origin is the default (or that it filled before, so a second
 * call with new measurements or prices refreshes it).
 *   - instances: the p95 over the range of the `instances` signal (the
 *     targets up, queries.instances), rounded to a whole instance; origin
 *     SERVICE_KEY_MEASURED.  Without that series the default stands.
 *   - cost_per_instance: inventory_derived_cost; origin SERVICE_KEY_DERIVED.
 */

/* Fill the keys of every service of *a that the file (or --set) does not
 * give, from m (NULL: nothing measured) and a's economics.  Call it after
 * loading the assumptions and the measurements, before the analysis. */
void inventory_resolve(struct assumptions *a, const struct measurements *m);

/* cores_per_instance x price_per_core_month + memory_per_instance in GiB x
 * price_per_gib_month, currency a month, each of low, likely and high
 * from the same ends (every term is >= 0, so the ends stay in order). */
struct range inventory_derived_cost(const struct service_spec *s, const struct economics *e);

/* The instances a series of targets up measures: its p95 rounded to a
 * whole number; NaN without usable points or under one instance. */
double inventory_measured_instances(const struct signal_data *sd);

/* Where key k of service s came from, as the JSON report's `origins` map
 * says it: "measured: QUERY" (a's template for the key, the service's name
 * substituted), "derived: ...", "FILE:LINE" (file NULL: "line LINE"),
 * "default (seed 000)" (or "default (no seed)"), "--set".  Writes at most
 * len bytes, always terminated, and returns buf. */
char *inventory_origin(char *buf, size_t len, const struct assumptions *a,
                       const struct service_spec *s, enum service_key k, const char *file);

/* The text of a derived key ("cores_per_instance x economics.price_per_core_month
 * + ..."), or NULL when k is never derived. */
const char *inventory_derivation(enum service_key k);

#endif /* VERDICT_INVENTORY_H */
