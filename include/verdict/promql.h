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

/* Replace every "${service}" in tmpl with the escaped service name.
 * Returns a malloc'd string the caller frees, or NULL when memory runs
 * out. */
char *promql_substitute(const char *tmpl, const char *service);

#endif /* VERDICT_PROMQL_H */
