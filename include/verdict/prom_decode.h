/* prom_decode.h: turn Prometheus API responses into verdict's numbers. */
#ifndef VERDICT_PROM_DECODE_H
#define VERDICT_PROM_DECODE_H

#include <stddef.h>

#include "verdict/prom.h"

struct prom_secrets;

/*
 * The API envelope (https://prometheus.io/docs/prometheus/latest/querying/api/):
 *   {"status": "success"|"error", "data": ..., "errorType": "...",
 *    "error": "...", "warnings": [...], "infos": [...]}
 * Prometheus maps bad_data to 400, execution to 422, timeout and canceled
 * to 503; VictoriaMetrics may send errorType "422"; Thanos and
 * VictoriaMetrics cluster flag partial answers with warnings or a
 * top-level "isPartial": true.  Sample values are strings ("1.5", "NaN",
 * "+Inf", "-Inf"); timestamps are numbers with fractional seconds, read as
 * doubles (an integer type would saturate or cut the fraction).
 */

enum prom_combine {
    PROM_COMBINE_SUM,   /* cpu, memory, request rate: instances add up */
    PROM_COMBINE_MAX    /* latency: the worst series */
};

struct prom_decode_info {
    size_t n_series;        /* series in the result */
    size_t n_points;        /* samples read, all series */
    size_t off_grid;        /* samples outside the grid, ignored */
    int partial;            /* isPartial, or warnings present */
    char warnings[512];     /* warnings and infos, joined with "; " (sanitised) */
};

/*
 * Decode a query_range answer (resultType "matrix") into a slice of a step
 * grid: grid_v[i] is the value at grid_start + i * step, for i < grid_n.
 * The caller fills grid_v with NaN first; samples land at the nearest grid
 * index (a sample more than step/2 from every grid point is off grid) and
 * several series are combined per index by `how` (a NaN sample counts as
 * missing).  Non-finite sample values (NaN, +Inf, -Inf) are stored as NaN:
 * a gap, never a number.
 *
 * http_status is the response's status (an error envelope may come with
 * 400, 422 or 503).  Every string the server wrote that reaches err,
 * info->warnings or a callback (error, errorType, warnings, infos, label
 * values, an excerpt of a body that is not the API's) has the credentials
 * in secrets (NULL: none) masked first, on success as on failure.  Returns PROM_OK; PROM_ENODATA for an empty result;
 * PROM_EAPI with "errorType: error" from the server in err; PROM_EPARSE
 * when the body is not the JSON the API promises (message says what was
 * found, e.g. "an HTML page" or "truncated JSON"); PROM_EHTTP for an HTTP
 * error without an envelope.  err (errlen bytes) is sanitised and always
 * terminated; info may be NULL.
 */
enum prom_status prom_decode_range(const char *body, size_t len, long http_status,
                                   const struct prom_secrets *secrets, enum prom_combine how, double grid_start, double step,
                                   size_t grid_n, double *grid_v,
                                   struct prom_decode_info *info, char *err, size_t errlen);

/*
 * Decode an instant query answer (resultType "vector") and call `each` with
 * the value of `label` of every series that has it (label NULL: each
 * series, value NULL) and the sample value.  For discovery ("which
 * services exist") and language detection (go_info, python_info, ...).
 * Same statuses and errors as prom_decode_range.
 */
enum prom_status prom_decode_vector(const char *body, size_t len, long http_status,
                                    const struct prom_secrets *secrets, const char *label,
                                    void (*each)(void *arg, const char *label_value,
                                                 double value),
                                    void *arg, char *err, size_t errlen);

/* The label names (not __name__) the series of an instant answer carry,
 * up to 8, sanitised, ", "-separated into out: for the message that says
 * which labels a discovery answer had when none was discovery.label.
 * Returns how many were written; 0 when the body is not a vector. */
size_t prom_decode_vector_labels(const char *body, size_t len, long http_status,
                                 const struct prom_secrets *secrets, char *out, size_t outlen);

#endif /* VERDICT_PROM_DECODE_H */
