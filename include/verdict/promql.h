/* promql.h: build PromQL from templates, with label values escaped. */
#ifndef VERDICT_PROMQL_H
#define VERDICT_PROMQL_H

#include <stddef.h>

/*
 * PromQL string literals in double quotes take Go-style escapes: a
 * backslash, a double quote and control characters must be escaped, and
 * anything else (UTF-8 included) may appear as is.  A service name is
 * untrusted text: `a"} or vector(1) #` must stay one label value.
 */

/* Escape `value` for use between double quotes in PromQL.  Writes at most
 * len bytes (always terminated) and returns the length the whole escaped
 * text needs (excluding the NUL), like snprintf. */
size_t promql_escape(char *out, size_t len, const char *value);

/* The label that selects a service when queries.service_label is not
 * set and the server has series carrying it (else fetch falls back to
 * PROMQL_FALLBACK_LABEL; see app/prom/fetch.c). */
#define PROMQL_DEFAULT_LABEL "service"
#define PROMQL_FALLBACK_LABEL "job"

/* 1 when name is a Prometheus label name, [a-zA-Z_][a-zA-Z0-9_]*; 0 for
 * anything else (NULL and "" included).  A label name is pasted into
 * PromQL unquoted (`{job="x"}`, `by (job)`), so nothing else may pass. */
int promql_label_valid(const char *name);

/* Replace every "${service}" in tmpl with the escaped service name and
 * every "${service_label}" with label (not escaped: it must pass
 * promql_label_valid).  label NULL leaves "${service_label}" as written.
 * Returns a malloc'd string the caller frees, or NULL when memory runs
 * out or label is not a valid label name. */
char *promql_substitute_label(const char *tmpl, const char *service, const char *label);

/* promql_substitute_label with label NULL: "${service}" only, as before
 * queries.service_label existed. */
char *promql_substitute(const char *tmpl, const char *service);

/* From a quantile template histogram_quantile(Q, EXPR), the template of
 * its buckets, "sum by (le) (EXPR)" (malloc'd), or NULL when tmpl has
 * another form.  See models/promql.c. */
char *promql_bucket_query(const char *tmpl);

/* The bucket [*lo, *hi] of upper bounds le[0..n) that holds v: hi the
 * smallest bound >= v (may be +Inf), lo the largest below it (0 when none).
 * Returns 0, or -1 when v is not finite or every bound is below v. */
int promql_bucket_around(const double *le, size_t n, double v, double *lo, double *hi);

#endif /* VERDICT_PROMQL_H */
