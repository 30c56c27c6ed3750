/* snapshot.c: read measurements from JSON files (schema verdict.snapshot/1); snapshot_write.c writes them. */
#include "verdict/snapshot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "verdict/json_scan.h"
#include "verdict/util.h"

/* The file is at most 7 levels deep; anything much deeper is not a
 * snapshot, and refusing it before cJSON recurses keeps the stack small. */
#define SNAPSHOT_MAX_DEPTH 32

/*
 * Limits (verdict(1), LIMITS).  The services array is never one cJSON
 * tree: each service is parsed on its own from the text and freed, so
 * memory is the file, the numbers kept (8 bytes each) and one service's
 * tree.  A service holds at most 5 signals x 3 charts x 1024 buckets plus
 * a few dozen other values: about 15,500; outside the services list a
 * snapshot has about ten.  Files are read whole, so their size is capped
 * too: 256 MiB is about 2,400 services at fetch's 512 buckets.
 */
#define SNAPSHOT_MAX_BYTES ((size_t)256 << 20)
#define SNAPSHOT_MAX_SERVICES 10000
#define SNAPSHOT_MAX_VALUES 65536
#define SNAPSHOT_MAX_STRING 65536     /* bytes, as verdict.yaml's strings */

/* Counts above 2^53 cannot be told apart as doubles. */
#define SNAPSHOT_MAX_COUNT 9007199254740992.0

/* Longest element path we build ("services[123].signals.<name>.chart.mean"). */
#define SNAPSHOT_PATH_MAX 160

/* ---------------------------------------------------------------- loading */

struct loader {
    const char *name;   /* file name for messages */
    char *err;
    size_t errlen;
    const char *buf;    /* the text, for the services read from it */
    size_t len;
    const struct json_scan *scan;   /* its services array, set aside */
};

#if defined(__GNUC__)
#define SNAPSHOT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SNAPSHOT_PRINTF(f, a)
#endif

/* "NAME: PATH: message" (or "NAME: message" when path is NULL).  Always -1. */
SNAPSHOT_PRINTF(3, 4)
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

/* Split off the first "services" array of the top-level object. */
static int split_services(void *arg, size_t depth, const char *key, size_t key_len)
{
    int *seen = arg;

    if (*seen || depth != 2 || key_len != 8 || memcmp(key, "services", 8) != 0)
        return 0;
    *seen = 1;
    return 1;
}

/* The message for a text json_scan_run refused: "line L, column C: ...". */
static int scan_fail(struct loader *ld, const char *buf, enum json_scan_status st, size_t at)
{
    size_t line, col;

    line_col(buf, at, &line, &col);
    switch (st) {
    case JSON_SCAN_EOF:
        return fail(ld, NULL, "line %zu, column %zu: unexpected end of file (truncated JSON?)",
                    line, col);
    case JSON_SCAN_DEEP:
        return fail(ld, NULL, "line %zu, column %zu: nested deeper than %d levels", line, col,
                    SNAPSHOT_MAX_DEPTH);
    case JSON_SCAN_TOO_MANY:
        return fail(ld, NULL, "line %zu, column %zu: more than %d values outside the services "
                    "list", line, col, SNAPSHOT_MAX_VALUES);
    case JSON_SCAN_LONG:
        return fail(ld, NULL, "line %zu, column %zu: a string longer than %d bytes", line, col,
                    SNAPSHOT_MAX_STRING);
    default:
        return fail(ld, NULL, "line %zu, column %zu: %s", line, col, json_scan_what(st));
    }
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

/* 1 when s is all valid UTF-8.  The writer replaces anything else with
 * U+FFFD, so two names differing only there would come back equal. */
static int utf8_valid(const char *s)
{
    size_t n = 1;

    while (*s != '\0' && n > 0) {
        n = util_utf8_len(s, NULL);
        s += n;
    }
    return n > 0;
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
    if (!utf8_valid(item->valuestring))
        return fail(ld, path, "not valid UTF-8");
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

/*
 * Service names seen so far, for duplicates in O(n): open addressing over
 * indices into out->services (FNV-1a), at most half full.
 */
struct name_set {
    size_t *slot;       /* index + 1; 0 is empty */
    size_t mask;
};

static size_t name_hash(const char *s)
{
    size_t h = (size_t)14695981039346656037ULL;

    while (*s != '\0')
        h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
    return h;
}

/* Add services[i]; returns the index of an earlier service of that name,
 * or i when it is new. */
static size_t name_set_add(struct name_set *ns, const struct service_data *svc, size_t i)
{
    size_t k = name_hash(svc[i].name) & ns->mask;

    while (ns->slot[k] != 0) {
        if (strcmp(svc[ns->slot[k] - 1].name, svc[i].name) == 0)
            return ns->slot[k] - 1;
        k = (k + 1) & ns->mask;
    }
    ns->slot[k] = i + 1;
    return i;
}

/* Each element of the services array, parsed alone from the text. */
static int read_services(struct loader *ld, const struct json_span *sp,
                         struct measurements *out)
{
    struct name_set ns = { NULL, 0 };
    size_t i = 0, pos = sp->open + 1, start, end, first, cap = 16;
    char shown[64], p[SNAPSHOT_PATH_MAX];
    int rc = 0;

    if (sp->n > SNAPSHOT_MAX_SERVICES)
        return fail(ld, "services", "%zu services, more than %d", sp->n,
                    SNAPSHOT_MAX_SERVICES);
    if (sp->n == 0)
        return 0;
    out->services = xcalloc(sp->n, sizeof(*out->services));
    out->n_services = sp->n;
    while (cap < 2 * sp->n)
        cap *= 2;
    ns.slot = xcalloc(cap, sizeof(*ns.slot));
    ns.mask = cap - 1;
    while (rc == 0 && i < sp->n && json_scan_next(ld->buf, sp->close + 1, &pos, &start, &end)) {
        struct json_scan count;
        cJSON *e;

        snprintf(p, sizeof(p), "services[%zu]", i);
        memset(&count, 0, sizeof(count));
        count.max_depth = SNAPSHOT_MAX_DEPTH;
        count.max_values = SNAPSHOT_MAX_VALUES;
        if (json_scan_run(&count, ld->buf + start, end - start) != JSON_SCAN_OK) {
            rc = fail(ld, p, "more than %d values (a service holds at most 5 signals of "
                      "%d-bucket charts)", SNAPSHOT_MAX_VALUES, CHART_MAX_BUCKETS);
            break;
        }
        e = cJSON_ParseWithLength(ld->buf + start, end - start);
        if (e == NULL)
            xoom();     /* the scan accepted it: only memory can fail */
        rc = read_service(ld, e, p, &out->services[i]);
        cJSON_Delete(e);
        if (rc == 0) {
            first = name_set_add(&ns, out->services, i);
            if (first != i) {
                util_sanitize(shown, sizeof(shown), out->services[i].name);
                snprintf(p, sizeof(p), "services[%zu].name", i);
                rc = fail(ld, p, "duplicate service name '%s' (first at services[%zu])", shown,
                          first);
            }
        }
        i++;
    }
    free(ns.slot);
    return rc;
}

static int read_root(struct loader *ld, const cJSON *root, struct measurements *out)
{
    static const char *const keys[] = {
        "schema", "source", "end", "range", "step", "discovery_error", "services",
    };
    const cJSON *schema, *services;
    char shown[64];

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
    /* the skeleton holds [0] for the array set aside (json_scan_skeleton) */
    if (ld->scan->n_spans != 1)
        return fail(ld, "services", "expected an array");
    return read_services(ld, &ld->scan->spans[0], out);
}

int snapshot_load_buffer(const char *name, const char *buf, size_t len,
                         struct measurements *out, char *err, size_t errlen)
{
    struct loader ld;
    struct json_scan scan;
    enum json_scan_status st;
    cJSON *root = NULL;
    char *skeleton = NULL;
    size_t sk_len = 0;
    int rc = -1, seen = 0;

    ld.name = name != NULL ? name : "snapshot";
    ld.err = err;
    ld.errlen = errlen;
    if (errlen > 0)
        err[0] = '\0';
    memset(out, 0, sizeof(*out));
    if (buf == NULL)
        len = 0;
    ld.buf = buf;
    ld.len = len;
    ld.scan = &scan;

    /* The whole text first: syntax, nesting, strings cJSON would take
     * (NUL, control characters, invalid UTF-8) and how much tree the rest
     * would make; the services array is set aside to be read one service
     * at a time. */
    memset(&scan, 0, sizeof(scan));
    scan.max_depth = SNAPSHOT_MAX_DEPTH;
    scan.max_values = SNAPSHOT_MAX_VALUES;
    scan.max_string = SNAPSHOT_MAX_STRING;
    scan.split = split_services;
    scan.arg = &seen;
    if (len > SNAPSHOT_MAX_BYTES) {
        fail(&ld, NULL, "larger than %zu MiB, the most a snapshot may be",
             SNAPSHOT_MAX_BYTES >> 20);
        goto done;
    }
    st = json_scan_run(&scan, buf, len);
    if (st != JSON_SCAN_OK) {
        scan_fail(&ld, buf, st, scan.at);
        goto done;
    }
    skeleton = json_scan_skeleton(&scan, buf, len, &sk_len);
    root = cJSON_ParseWithLength(skeleton, sk_len);
    if (root == NULL) {
        /* the scan accepted it, but cJSON 1.7.15 skips a byte-order mark
         * only in texts of 5 bytes or more: "\xef\xbb\xbf" "3" is refused */
        fail(&ld, NULL, "expected a JSON object at the top level");
        goto done;
    }
    rc = read_root(&ld, root, out);

done:
    cJSON_Delete(root);
    free(skeleton);
    json_scan_done(&scan);
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
    buf = util_read_file_max(path, SNAPSHOT_MAX_BYTES, &len);
    if (buf == NULL && errno == EFBIG) {
        if (errlen > 0)
            snprintf(err, errlen, "%s: larger than %zu MiB, the most a snapshot may be", path,
                     SNAPSHOT_MAX_BYTES >> 20);
        return -1;
    }
    if (buf == NULL) {
        if (errlen > 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    rc = snapshot_load_buffer(path, buf, len, out, err, errlen);
    free(buf);
    return rc;
}
