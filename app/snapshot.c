/* snapshot.c: measurements to and from JSON files (schema verdict.snapshot/1). */
#include "verdict/snapshot.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "verdict/util.h"

/* The file is at most 7 levels deep; anything much deeper is not a
 * snapshot, and refusing it before cJSON recurses keeps the stack small. */
#define SNAPSHOT_MAX_DEPTH 32

/* Counts above 2^53 cannot be told apart as doubles. */
#define SNAPSHOT_MAX_COUNT 9007199254740992.0

/* Longest element path we build ("services[123].signals.<name>.chart.mean"). */
#define SNAPSHOT_PATH_MAX 160

/* ---------------------------------------------------------------- loading */

struct loader {
    const char *name;   /* file name for messages */
    char *err;
    size_t errlen;
};

/* "NAME: PATH: message" (or "NAME: message" when path is NULL).  Always -1. */
static int fail(struct loader *ld, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (ld->errlen == 0)
        return -1;
    if (path != NULL)
        snprintf(ld->err, ld->errlen, "%s: %s: %s", ld->name, path, msg);
    else
        snprintf(ld->err, ld->errlen, "%s: %s", ld->name, msg);
    return -1;
}

/* Line and column (1-based, columns in bytes) of offset `off` in buf. */
static void line_col(const char *buf, size_t off, size_t *line, size_t *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* Refuse nesting deeper than SNAPSHOT_MAX_DEPTH (brackets outside strings).
 * *open is 2 when the text ends inside a string, 1 inside a bracket, else 0. */
static int check_depth(struct loader *ld, const char *buf, size_t len, int *open)
{
    size_t i, depth = 0, line, col;
    int in_string = 0, escaped = 0;

    for (i = 0; i < len; i++) {
        char c = buf[i];

        if (in_string) {
            if (escaped)
                escaped = 0;
            else if (c == '\\')
                escaped = 1;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > SNAPSHOT_MAX_DEPTH) {
                line_col(buf, i, &line, &col);
                return fail(ld, NULL, "line %zu, column %zu: nested deeper than %d levels",
                            line, col, SNAPSHOT_MAX_DEPTH);
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    *open = in_string ? 2 : depth > 0;
    return 0;
}

/* Every key of obj must be in `keys` and appear once. */
static int check_keys(struct loader *ld, const cJSON *obj, const char *path,
                      const char *const *keys, size_t n_keys, const char *what)
{
    const cJSON *a, *b;
    char shown[64];
    size_t i;

    for (a = obj->child; a != NULL; a = a->next) {
        for (i = 0; i < n_keys; i++)
            if (strcmp(a->string, keys[i]) == 0)
                break;
        util_sanitize(shown, sizeof(shown), a->string);
        if (i == n_keys)
            return fail(ld, path, "unknown %s '%s'", what, shown);
        for (b = obj->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return fail(ld, path, "duplicate key '%s'", shown);
    }
    return 0;
}

/* dst = "path.key", cut short (never overflowing) if too long. */
static void join(char *dst, size_t n, const char *path, const char *key)
{
    char tmp[SNAPSHOT_PATH_MAX];

    if (snprintf(tmp, sizeof(tmp), "%s.%s", path, key) >= (int)sizeof(tmp))
        tmp[sizeof(tmp) - 1] = '\0';
    if (snprintf(dst, n, "%s", tmp) >= (int)n)
        dst[n - 1] = '\0';
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A finite number; null gives NaN when allow_null. */
static int read_number(struct loader *ld, const cJSON *item, const char *path,
                       int allow_null, double *out)
{
    if (item == NULL)
        return fail(ld, path, "missing");
    if (allow_null && cJSON_IsNull(item)) {
        *out = NAN;
        return 0;
    }
    if (!cJSON_IsNumber(item))
        return fail(ld, path, allow_null ? "expected a number or null" : "expected a number");
    if (!isfinite(item->valuedouble))
        return fail(ld, path, "expected a finite number");
    *out = item->valuedouble;
    return 0;
}

/* A non-negative integer (read as a double: valueint saturates). */
static int read_count(struct loader *ld, const cJSON *item, const char *path, size_t *out)
{
    double v;

    if (item == NULL)
        return fail(ld, path, "missing");
    if (!cJSON_IsNumber(item))
        return fail(ld, path, "expected a non-negative integer");
    v = item->valuedouble;
    if (!(v >= 0 && v <= SNAPSHOT_MAX_COUNT) || v != floor(v) || v > (double)SIZE_MAX)
        return fail(ld, path, "expected a non-negative integer");
    *out = (size_t)v;
    return 0;
}

/* A string (copied) or, when allow_null, null (*out = NULL). */
static int read_string(struct loader *ld, const cJSON *item, const char *path,
                       int allow_null, char **out)
{
    *out = NULL;
    if (item == NULL)
        return fail(ld, path, "missing");
    if (allow_null && cJSON_IsNull(item))
        return 0;
    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return fail(ld, path, allow_null ? "expected a string or null" : "expected a string");
    *out = xstrdup(item->valuestring);
    return 0;
}

static int read_stats(struct loader *ld, const cJSON *obj, const char *path,
                      struct series_stats *st)
{
    static const char *const keys[] = {
        "count", "gaps", "first_t", "last_t", "min", "max", "mean",
        "p50", "p95", "p99", "last", "trend_per_day",
    };
    double *dbl[] = {
        &st->first_t, &st->last_t, &st->min, &st->max, &st->mean,
        &st->p50, &st->p95, &st->p99, &st->last, &st->trend_per_day,
    };
    char p[SNAPSHOT_PATH_MAX];
    size_t i;

    if (!cJSON_IsObject(obj))
        return fail(ld, path, "expected an object");
    if (check_keys(ld, obj, path, keys, sizeof(keys) / sizeof(keys[0]), "key") < 0)
        return -1;
    join(p, sizeof(p), path, "count");
    if (read_count(ld, member(obj, "count"), p, &st->count) < 0)
        return -1;
    join(p, sizeof(p), path, "gaps");
    if (read_count(ld, member(obj, "gaps"), p, &st->gaps) < 0)
        return -1;
    for (i = 0; i < sizeof(dbl) / sizeof(dbl[0]); i++) {
        join(p, sizeof(p), path, keys[i + 2]);
        if (read_number(ld, member(obj, keys[i + 2]), p, 1, dbl[i]) < 0)
            return -1;
    }
    return 0;
}

/* Check that item is an array of numbers or nulls; *n gets its length. */
static int check_number_array(struct loader *ld, const cJSON *item, const char *path,
                              size_t *n)
{
    const cJSON *e;

    *n = 0;
    if (item == NULL)
        return fail(ld, path, "missing");
    if (!cJSON_IsArray(item))
        return fail(ld, path, "expected an array of numbers");
    for (e = item->child; e != NULL; e = e->next) {
        if (cJSON_IsNull(e)) {
            /* a gap */
        } else if (!cJSON_IsNumber(e)) {
            return fail(ld, path, "expected an array of numbers");
        } else if (!isfinite(e->valuedouble)) {
            return fail(ld, path, "element %zu: expected a finite number", *n);
        }
        (*n)++;
    }
    return 0;
}

static double *copy_number_array(const cJSON *item, size_t n)
{
    double *v = xmalloc(n * sizeof(double));
    const cJSON *e;
    size_t i = 0;

    for (e = item->child; e != NULL && i < n; e = e->next, i++)
        v[i] = cJSON_IsNull(e) ? NAN : e->valuedouble;
    return v;
}

static int read_chart(struct loader *ld, const cJSON *obj, const char *path, struct chart *c)
{
    static const char *const keys[] = { "t0", "dt", "min", "max", "mean" };
    static const char *const arrays[3] = { "min", "max", "mean" };
    double **dst[3];
    char p[SNAPSHOT_PATH_MAX];
    size_t n[3], i;

    dst[0] = &c->min;
    dst[1] = &c->max;
    dst[2] = &c->mean;
    if (!cJSON_IsObject(obj))
        return fail(ld, path, "expected an object");
    if (check_keys(ld, obj, path, keys, sizeof(keys) / sizeof(keys[0]), "key") < 0)
        return -1;
    join(p, sizeof(p), path, "t0");
    if (read_number(ld, member(obj, "t0"), p, 1, &c->t0_s) < 0)
        return -1;
    join(p, sizeof(p), path, "dt");
    if (read_number(ld, member(obj, "dt"), p, 1, &c->dt_s) < 0)
        return -1;
    for (i = 0; i < 3; i++) {
        join(p, sizeof(p), path, arrays[i]);
        if (check_number_array(ld, member(obj, arrays[i]), p, &n[i]) < 0)
            return -1;
        if (n[i] > CHART_MAX_BUCKETS)
            return fail(ld, p, "%zu buckets, more than %d", n[i], CHART_MAX_BUCKETS);
    }
    if (n[0] != n[1] || n[0] != n[2])
        return fail(ld, path, "min, max and mean have different lengths (%zu, %zu, %zu)",
                    n[0], n[1], n[2]);
    if (n[0] > 0 && !(isfinite(c->t0_s) && isfinite(c->dt_s) && c->dt_s > 0))
        return fail(ld, path, "t0 and dt must be numbers, dt greater than 0");
    c->n = n[0];
    if (c->n > 0)
        for (i = 0; i < 3; i++)
            *dst[i] = copy_number_array(member(obj, arrays[i]), c->n);
    return 0;
}

static int read_signal(struct loader *ld, const cJSON *obj, const char *path,
                       struct signal_data *sig)
{
    static const char *const keys[] = { "error", "warning", "partial", "stats", "chart" };
    const cJSON *stats = member(obj, "stats"), *chart = member(obj, "chart");
    char p[SNAPSHOT_PATH_MAX];

    if (!cJSON_IsObject(obj))
        return fail(ld, path, "expected an object");
    if (check_keys(ld, obj, path, keys, sizeof(keys) / sizeof(keys[0]), "key") < 0)
        return -1;
    join(p, sizeof(p), path, "error");
    if (member(obj, "error") != NULL &&
        read_string(ld, member(obj, "error"), p, 1, &sig->error) < 0)
        return -1;
    join(p, sizeof(p), path, "warning");
    if (member(obj, "warning") != NULL &&
        read_string(ld, member(obj, "warning"), p, 1, &sig->warning) < 0)
        return -1;
    if (member(obj, "partial") != NULL) {
        if (!cJSON_IsBool(member(obj, "partial"))) {
            join(p, sizeof(p), path, "partial");
            return fail(ld, p, "expected true or false");
        }
        sig->partial = cJSON_IsTrue(member(obj, "partial"));
    }
    if (stats == NULL && chart == NULL) {
        if (sig->error == NULL)
            return fail(ld, path, "expected stats and chart, or an error");
        return 0;
    }
    sig->present = 1;
    join(p, sizeof(p), path, "stats");
    if (read_stats(ld, stats, p, &sig->stats) < 0)
        return -1;
    join(p, sizeof(p), path, "chart");
    return read_chart(ld, chart, p, &sig->chart);
}

static int read_service(struct loader *ld, const cJSON *obj, const char *path,
                        struct service_data *s)
{
    static const char *const keys[] = { "name", "detected_language", "error", "signals" };
    const char *sig_keys[SIGNAL_COUNT];
    const cJSON *signals, *e;
    char p[SNAPSHOT_PATH_MAX];
    int i;

    if (!cJSON_IsObject(obj))
        return fail(ld, path, "expected an object");
    if (check_keys(ld, obj, path, keys, sizeof(keys) / sizeof(keys[0]), "key") < 0)
        return -1;
    join(p, sizeof(p), path, "name");
    if (read_string(ld, member(obj, "name"), p, 0, &s->name) < 0)
        return -1;
    if (s->name[0] == '\0')
        return fail(ld, p, "must not be empty");
    /* optional: absent is null */
    join(p, sizeof(p), path, "detected_language");
    if (member(obj, "detected_language") != NULL &&
        read_string(ld, member(obj, "detected_language"), p, 1, &s->detected_language) < 0)
        return -1;
    join(p, sizeof(p), path, "error");
    if (member(obj, "error") != NULL && read_string(ld, member(obj, "error"), p, 1, &s->error) < 0)
        return -1;

    join(p, sizeof(p), path, "signals");
    signals = member(obj, "signals");
    if (signals == NULL)
        return fail(ld, p, "missing");
    if (!cJSON_IsObject(signals))
        return fail(ld, p, "expected an object");
    for (i = 0; i < SIGNAL_COUNT; i++)
        sig_keys[i] = signal_name((enum signal)i);
    if (check_keys(ld, signals, p, sig_keys, SIGNAL_COUNT, "signal") < 0)
        return -1;
    for (e = signals->child; e != NULL; e = e->next) {
        enum signal sg;

        if (signal_parse(e->string, &sg) < 0)   /* cannot happen after check_keys */
            return fail(ld, p, "unknown signal");
        join(p, sizeof(p), path, "signals");
        join(p, sizeof(p), p, e->string);
        if (read_signal(ld, e, p, &s->signals[sg]) < 0)
            return -1;
    }
    return 0;
}

static int read_root(struct loader *ld, const cJSON *root, struct measurements *out)
{
    static const char *const keys[] = {
        "schema", "source", "end", "range", "step", "discovery_error", "services",
    };
    const cJSON *schema, *services, *e;
    char shown[64], p[SNAPSHOT_PATH_MAX];
    size_t i, j;

    if (!cJSON_IsObject(root))
        return fail(ld, NULL, "expected a JSON object at the top level");
    /* The schema first: a report or another JSON file gets a clear answer. */
    schema = member(root, "schema");
    if (schema == NULL)
        return fail(ld, "schema", "missing (not a verdict snapshot)");
    if (!cJSON_IsString(schema))
        return fail(ld, "schema", "expected a string");
    if (strcmp(schema->valuestring, SNAPSHOT_SCHEMA) != 0) {
        util_sanitize(shown, sizeof(shown), schema->valuestring);
        return fail(ld, "schema", "expected \"%s\", got \"%s\"", SNAPSHOT_SCHEMA, shown);
    }
    if (check_keys(ld, root, "(top level)", keys, sizeof(keys) / sizeof(keys[0]), "key") < 0)
        return -1;
    if (read_string(ld, member(root, "source"), "source", 0, &out->source) < 0 ||
        read_number(ld, member(root, "end"), "end", 0, &out->end_s) < 0 ||
        read_number(ld, member(root, "range"), "range", 0, &out->range_s) < 0 ||
        read_number(ld, member(root, "step"), "step", 0, &out->step_s) < 0)
        return -1;
    if (member(root, "discovery_error") != NULL &&
        read_string(ld, member(root, "discovery_error"), "discovery_error", 1,
                    &out->discovery_error) < 0)
        return -1;
    if (!(out->range_s > 0))
        return fail(ld, "range", "must be greater than 0");
    if (!(out->step_s > 0))
        return fail(ld, "step", "must be greater than 0");

    services = member(root, "services");
    if (services == NULL)
        return fail(ld, "services", "missing");
    if (!cJSON_IsArray(services))
        return fail(ld, "services", "expected an array");
    out->n_services = (size_t)cJSON_GetArraySize(services);
    if (out->n_services > 0)
        out->services = xcalloc(out->n_services, sizeof(*out->services));
    for (e = services->child, i = 0; e != NULL && i < out->n_services; e = e->next, i++) {
        snprintf(p, sizeof(p), "services[%zu]", i);
        if (read_service(ld, e, p, &out->services[i]) < 0)
            return -1;
        for (j = 0; j < i; j++) {
            if (strcmp(out->services[j].name, out->services[i].name) == 0) {
                util_sanitize(shown, sizeof(shown), out->services[i].name);
                snprintf(p, sizeof(p), "services[%zu].name", i);
                return fail(ld, p, "duplicate service name '%s' (first at services[%zu])",
                            shown, j);
            }
        }
    }
    return 0;
}

int snapshot_load_buffer(const char *name, const char *buf, size_t len,
                         struct measurements *out, char *err, size_t errlen)
{
    struct loader ld;
    cJSON *root = NULL;
    const char *end = NULL;
    size_t off, line, col;
    int rc = -1, open = 0;

    ld.name = name != NULL ? name : "snapshot";
    ld.err = err;
    ld.errlen = errlen;
    if (errlen > 0)
        err[0] = '\0';
    memset(out, 0, sizeof(*out));
    if (buf == NULL)
        len = 0;

    if (check_depth(&ld, buf, len, &open) < 0)
        goto done;
    root = cJSON_ParseWithLengthOpts(len > 0 ? buf : "", len, &end, 0);
    if (root == NULL) {
        /* cJSON points at the offending byte, or at the last one when the
         * text ran out; an unclosed string or bracket says which. */
        off = end != NULL && len > 0 && end >= buf && end < buf + len ? (size_t)(end - buf) : 0;
        if (len == 0 || open == 2 || (open && off + 1 >= len)) {
            line_col(buf, len, &line, &col);
            fail(&ld, NULL, "line %zu, column %zu: unexpected end of file (truncated JSON?)",
                 line, col);
        } else {
            line_col(buf, off, &line, &col);
            fail(&ld, NULL, "line %zu, column %zu: invalid JSON", line, col);
        }
        goto done;
    }
    /* Only whitespace may follow the value. */
    for (off = (size_t)(end - buf); off < len; off++) {
        if (buf[off] != ' ' && buf[off] != '\t' && buf[off] != '\n' && buf[off] != '\r') {
            line_col(buf, off, &line, &col);
            fail(&ld, NULL, "line %zu, column %zu: unexpected data after the JSON value",
                 line, col);
            goto done;
        }
    }
    rc = read_root(&ld, root, out);

done:
    cJSON_Delete(root);
    if (rc < 0)
        measurements_done(out);
    return rc;
}

int snapshot_load_file(const char *path, struct measurements *out, char *err,
                       size_t errlen)
{
    size_t len = 0;
    char *buf;
    int rc;

    memset(out, 0, sizeof(*out));
    buf = util_read_file(path, &len);
    if (buf == NULL) {
        if (errlen > 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    rc = snapshot_load_buffer(path, buf, len, out, err, errlen);
    free(buf);
    return rc;
}

/* ---------------------------------------------------------------- writing */

/* A JSON string: quotes and backslashes escaped, control characters as
 * \u00XX, valid UTF-8 kept, each invalid byte replaced by U+FFFD. */
static void write_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (s == NULL) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    while (*p != '\0') {
        size_t n = util_utf8_len((const char *)p, NULL);

        if (n == 0) {
            fputs("\xef\xbf\xbd", f);
            p++;
        } else if (*p == '"' || *p == '\\') {
            putc('\\', f);
            putc(*p++, f);
        } else if (*p < 0x20) {
            fprintf(f, "\\u%04x", (unsigned)*p++);
        } else {
            fwrite(p, 1, n, f);
            p += n;
        }
    }
    putc('"', f);
}

/*
 * The shortest of %.15g, %.16g, %.17g that reads back as the same double
 * (%.17g always does), so a reload is bit-identical and the file stays
 * readable.  Non-finite values are null.  The locale's decimal point, if
 * the TUI set one, is replaced by '.'.
 */
static void write_number(FILE *f, double v)
{
    char buf[40];
    const char *dp;
    char *q;
    int prec;

    if (!isfinite(v)) {
        fputs("null", f);
        return;
    }
    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (prec == 17)
        snprintf(buf, sizeof(buf), "%.17g", v);
    dp = localeconv()->decimal_point;
    if (dp != NULL && dp[0] != '\0' && strcmp(dp, ".") != 0) {
        q = strstr(buf, dp);
        if (q != NULL) {
            size_t dl = strlen(dp);

            *q = '.';
            memmove(q + 1, q + dl, strlen(q + dl) + 1);
        }
    }
    fputs(buf, f);
}

static void write_array(FILE *f, const char *key, const double *v, size_t n)
{
    size_t i;

    fprintf(f, "\"%s\": [", key);
    for (i = 0; i < n; i++) {
        if (i > 0)
            fputs(", ", f);
        write_number(f, v[i]);
    }
    putc(']', f);
}

static void write_stats(FILE *f, const struct series_stats *st)
{
    const char *const names[] = {
        "first_t", "last_t", "min", "max", "mean", "p50", "p95", "p99", "last",
        "trend_per_day",
    };
    const double vals[] = {
        st->first_t, st->last_t, st->min, st->max, st->mean, st->p50, st->p95, st->p99,
        st->last, st->trend_per_day,
    };
    size_t i;

    fprintf(f, "\"stats\": {\"count\": %zu, \"gaps\": %zu", st->count, st->gaps);
    for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        fprintf(f, ", \"%s\": ", names[i]);
        write_number(f, vals[i]);
    }
    putc('}', f);
}

static void write_signal(FILE *f, const struct signal_data *sig)
{
    const struct chart *c = &sig->chart;

    fputs("{\n          \"error\": ", f);
    write_string(f, sig->error);
    if (sig->warning != NULL) {
        /* written only when there is one, so older snapshots stay byte-identical */
        fputs(",\n          \"warning\": ", f);
        write_string(f, sig->warning);
    }
    if (sig->partial)
        fputs(",\n          \"partial\": true", f);
    if (sig->present) {
        fputs(",\n          ", f);
        write_stats(f, &sig->stats);
        fputs(",\n          \"chart\": {\"t0\": ", f);
        write_number(f, c->t0_s);
        fputs(", \"dt\": ", f);
        write_number(f, c->dt_s);
        fputs(",\n            ", f);
        write_array(f, "min", c->min, c->n);
        fputs(",\n            ", f);
        write_array(f, "max", c->max, c->n);
        fputs(",\n            ", f);
        write_array(f, "mean", c->mean, c->n);
        fputs("}", f);
    }
    fputs("\n        }", f);
}

static void write_service(FILE *f, const struct service_data *s)
{
    int i, first = 1;

    fputs("    {\n      \"name\": ", f);
    write_string(f, s->name != NULL ? s->name : "");
    fputs(",\n      \"detected_language\": ", f);
    write_string(f, s->detected_language);
    fputs(",\n      \"error\": ", f);
    write_string(f, s->error);
    fputs(",\n      \"signals\": {", f);
    for (i = 0; i < SIGNAL_COUNT; i++) {
        const struct signal_data *sig = &s->signals[i];

        if (!sig->present && sig->error == NULL)
            continue;
        fprintf(f, "%s\n        \"%s\": ", first ? "" : ",", signal_name((enum signal)i));
        write_signal(f, sig);
        first = 0;
    }
    fputs(first ? "}\n    }" : "\n      }\n    }", f);
}

int snapshot_write(FILE *f, const struct measurements *m)
{
    size_t i;

    fputs("{\n  \"schema\": ", f);
    write_string(f, SNAPSHOT_SCHEMA);
    fputs(",\n  \"source\": ", f);
    write_string(f, m->source != NULL ? m->source : "");
    fputs(",\n  \"end\": ", f);
    write_number(f, m->end_s);
    fputs(",\n  \"range\": ", f);
    write_number(f, m->range_s);
    fputs(",\n  \"step\": ", f);
    write_number(f, m->step_s);
    if (m->discovery_error != NULL) {
        fputs(",\n  \"discovery_error\": ", f);
        write_string(f, m->discovery_error);
    }
    fputs(",\n  \"services\": [", f);
    for (i = 0; i < m->n_services; i++) {
        fputs(i > 0 ? ",\n" : "\n", f);
        write_service(f, &m->services[i]);
    }
    fputs(m->n_services > 0 ? "\n  ]\n}\n" : "]\n}\n", f);
    if (fflush(f) != 0 || ferror(f))
        return -1;
    return 0;
}
