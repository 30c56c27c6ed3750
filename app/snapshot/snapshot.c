/* snapshot.c: read measurements from JSON files (schema verdict.snapshot/1); snapshot_write.c writes them. */
#include "verdict/snapshot.h"


#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verdict/hash.h"
#include "verdict/json_scan.h"
#include "verdict/json_tree.h"
#include "verdict/util.h"

/*
 * How a snapshot is read.  A fleet's snapshot is large (78 MB for 1,000
 * services at 512 buckets, 110 MB for 10,000 at 64), nearly all of it the
 * charts' numbers, and it is read before anything is shown.  So the text
 * is read once, strictly, by a small parser of our own (jt_value): each
 * service becomes a little tree of its own, read into the measurements
 * and dropped before the next, and a chart's array of numbers goes
 * straight into doubles (jt_numbers) rather than one node per number.
 * The parser takes only what RFC 8259 allows and stops at the first
 * problem with the same status json_scan_run gives, at the same byte.
 *
 * The TUI asks for less first (snapshot_load_file_later): the charts'
 * arrays are passed over with memchr and read afterwards, a few services
 * at a time between keystrokes (snapshot_charts_read).  Everything the
 * model needs (names, errors, statistics) is read at once.
 */

/* The file is at most 7 levels deep; anything much deeper is not a
 * snapshot, and refusing it before recursing keeps the stack small. */
#define SNAPSHOT_MAX_DEPTH 32

/* The top-level object is level 1, services 2, a service 3, its signals
 * 4, a signal 5, its chart 6 and the chart's arrays 7. */
#define SNAPSHOT_CHART_LEVEL 7

/*
 * Limits (verdict(1), LIMITS).  The services array is never one tree:
 * each service is parsed on its own and dropped, so memory is the file,
 * the numbers kept (8 bytes each) and one service's tree.  A service
 * holds at most 5 signals x 3 charts x 1024 buckets plus a few dozen
 * other values: about 15,500; outside the services list a snapshot has
 * about ten.  Files are read whole, so their size is capped too
 * (SNAPSHOT_MAX_BYTES, snapshot.h: fetch sizes its charts to fit).
 */
#define SNAPSHOT_MAX_SERVICES 10000
#define SNAPSHOT_MAX_VALUES 65536

/* Counts above 2^53 cannot be told apart as doubles. */
#define SNAPSHOT_MAX_COUNT 9007199254740992.0

/* Longest element path we build ("services[123].signals.<name>.chart.mean"). */
#define SNAPSHOT_PATH_MAX 160

/* ---------------------------------------------------------------- loading */

static enum jt_kind jt_kind(const struct jt *t, size_t v)
{
    return t->node[v].kind;
}

/* A chart's arrays, the ones read later (at SNAPSHOT_CHART_LEVEL). */
static int chart_array_key(const char *k)
{
    return strcmp(k, "min") == 0 || strcmp(k, "max") == 0 || strcmp(k, "mean") == 0;
}

/* An empty tree with the snapshot's limits; `later`: pass over charts. */
static void tree_init(struct jt *t, int later)
{
    memset(t, 0, sizeof(*t));
    t->max_values = SNAPSHOT_MAX_VALUES;
    t->max_depth = SNAPSHOT_MAX_DEPTH;
    t->max_string = SNAPSHOT_MAX_STRING;
    t->later_level = SNAPSHOT_CHART_LEVEL;
    t->later = later ? chart_array_key : NULL;
    t->dp = localeconv()->decimal_point;
}



/* A chart whose arrays were passed over (snapshot_load_file_later). */
struct later_chart {
    size_t service;
    enum signal signal;
    size_t open[3], close[3];   /* min, max, mean: '[' and ']' */
};

struct snapshot_charts {
    char *name;
    char *buf;                  /* the file's text, owned */
    size_t len;
    struct later_chart *chart;
    size_t n, cap, next;
};

struct loader {
    const char *name;   /* file name for messages */
    char *err;
    size_t errlen;
    const char *buf;    /* the text */
    size_t len;
    struct jt *t;       /* the tree being read */
    struct snapshot_charts *later;  /* NULL: read every chart now */
    size_t service;     /* the service being read */
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

/* The message for text the parser refused: "line L, column C: ...". */
static int scan_fail(struct loader *ld, enum json_scan_status st, size_t at)
{
    size_t line, col;

    json_scan_line_col(ld->buf, at, &line, &col);
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

/* A service's text refused: past the value limit, or as scan_fail says. */
static int service_fail(struct loader *ld, enum json_scan_status st, size_t at)
{
    char p[SNAPSHOT_PATH_MAX];

    if (st != JSON_SCAN_TOO_MANY)
        return scan_fail(ld, st, at);
    snprintf(p, sizeof(p), "services[%zu]", ld->service);
    return fail(ld, p, "more than %d values (a service holds at most 5 signals of "
                "%d-bucket charts)", SNAPSHOT_MAX_VALUES, CHART_MAX_BUCKETS);
}

static const char *key_of(const struct loader *ld, size_t v)
{
    return ld->t->pool + ld->t->node[v].key;
}

/*
 * obj's members by key: slot[k] for keys[k], JT_NONE when absent.  Every
 * key must be one of `keys` and appear once; the first that is not gets
 * the message.  A key is looked for at its own position first (the writer
 * keeps the order), then among all.
 */
static int members(struct loader *ld, size_t obj, const char *path, const char *const *keys,
                   size_t n_keys, const char *what, size_t *slot)
{
    const struct jt *t = ld->t;
    size_t a, k, pos = 0;
    char shown[64];

    for (k = 0; k < n_keys; k++)
        slot[k] = JT_NONE;
    for (a = t->node[obj].child; a != JT_NONE; a = t->node[a].next, pos++) {
        const char *key = t->pool + t->node[a].key;
        size_t len = t->node[a].key_len;

        k = pos;
        if (k >= n_keys || strlen(keys[k]) != len || memcmp(keys[k], key, len) != 0)
            for (k = 0; k < n_keys; k++)
                if (strlen(keys[k]) == len && memcmp(keys[k], key, len) == 0)
                    break;
        if (k == n_keys) {
            util_sanitize(shown, sizeof(shown), key);
            return fail(ld, path, "unknown %s '%s'", what, shown);
        }
        if (slot[k] != JT_NONE) {
            util_sanitize(shown, sizeof(shown), key);
            return fail(ld, path, "duplicate key '%s'", shown);
        }
        slot[k] = a;
    }
    return 0;
}

/* dst = "path.key", cut short (never overflowing) if too long; dst may
 * be path. */
static void join(char *dst, size_t n, const char *path, const char *key)
{
    size_t a = strlen(path), b = strlen(key);

    if (a > n - 1)
        a = n - 1;
    memmove(dst, path, a);
    if (a < n - 1)
        dst[a++] = '.';
    if (b > n - 1 - a)
        b = n - 1 - a;
    memcpy(dst + a, key, b);
    dst[a + b] = '\0';
}

/* fail() at path.key (path alone when key is NULL), joined only now. */
SNAPSHOT_PRINTF(4, 5)
static int fail_in(struct loader *ld, const char *path, const char *key, const char *fmt, ...)
{
    char p[SNAPSHOT_PATH_MAX], msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (key != NULL) {
        join(p, sizeof(p), path, key);
        path = p;
    }
    return fail(ld, path, "%s", msg);
}

static int is_object(const struct loader *ld, size_t v)
{
    return v != JT_NONE && jt_kind(ld->t, v) == JT_OBJECT;
}

/* A finite number at path.key; null gives NaN when allow_null. */
static int read_number(struct loader *ld, size_t v, const char *path, const char *key,
                       int allow_null, double *out)
{
    if (v == JT_NONE)
        return fail_in(ld, path, key, "missing");
    if (allow_null && jt_kind(ld->t, v) == JT_NULL) {
        *out = NAN;
        return 0;
    }
    if (jt_kind(ld->t, v) != JT_NUMBER)
        return fail_in(ld, path, key,
                       allow_null ? "expected a number or null" : "expected a number");
    if (!isfinite(ld->t->node[v].num))
        return fail_in(ld, path, key, "expected a finite number");
    *out = ld->t->node[v].num;
    return 0;
}

/* A non-negative integer, exact as a double. */
static int read_count(struct loader *ld, size_t v, const char *path, const char *key,
                      size_t *out)
{
    double x;

    if (v == JT_NONE)
        return fail_in(ld, path, key, "missing");
    if (jt_kind(ld->t, v) != JT_NUMBER)
        return fail_in(ld, path, key, "expected a non-negative integer");
    x = ld->t->node[v].num;
    if (!(x >= 0 && x <= SNAPSHOT_MAX_COUNT) || x != floor(x) || x > (double)SIZE_MAX)
        return fail_in(ld, path, key, "expected a non-negative integer");
    *out = (size_t)x;
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
static int read_string(struct loader *ld, size_t v, const char *path, const char *key,
                       int allow_null, char **out)
{
    *out = NULL;
    if (v == JT_NONE)
        return fail_in(ld, path, key, "missing");
    if (allow_null && jt_kind(ld->t, v) == JT_NULL)
        return 0;
    if (jt_kind(ld->t, v) != JT_STRING)
        return fail_in(ld, path, key,
                       allow_null ? "expected a string or null" : "expected a string");
    if (!utf8_valid(ld->t->pool + ld->t->node[v].str))
        return fail_in(ld, path, key, "not valid UTF-8");
    *out = xstrdup(ld->t->pool + ld->t->node[v].str);
    return 0;
}

static int read_stats(struct loader *ld, size_t obj, const char *path, struct series_stats *st)
{
    static const char *const keys[] = {
        "count", "gaps", "first_t", "last_t", "min", "max", "mean",
        "p50", "p95", "p99", "last", "trend_per_day",
        "trend_se_per_day",     /* optional: absent before issue 15 */
    };
    double *dbl[] = {
        &st->first_t, &st->last_t, &st->min, &st->max, &st->mean,
        &st->p50, &st->p95, &st->p99, &st->last, &st->trend_per_day,
    };
    size_t m[sizeof(keys) / sizeof(keys[0])], i;

    if (!is_object(ld, obj))
        return fail(ld, path, "expected an object");
    if (members(ld, obj, path, keys, sizeof(keys) / sizeof(keys[0]), "key", m) < 0)
        return -1;
    if (read_count(ld, m[0], path, "count", &st->count) < 0 ||
        read_count(ld, m[1], path, "gaps", &st->gaps) < 0)
        return -1;
    for (i = 0; i < sizeof(dbl) / sizeof(dbl[0]); i++)
        if (read_number(ld, m[i + 2], path, keys[i + 2], 1, dbl[i]) < 0)
            return -1;
    st->trend_se_per_day = NAN;
    if (m[12] != JT_NONE &&
        read_number(ld, m[12], path, keys[12], 1, &st->trend_se_per_day) < 0)
        return -1;
    return 0;
}

/* Check that v is an array of numbers or nulls; *n gets its length. */
static int check_number_array(struct loader *ld, size_t v, const char *path, size_t *n)
{
    const struct jt *t = ld->t;
    size_t e, i;

    *n = 0;
    if (v == JT_NONE)
        return fail(ld, path, "missing");
    if (jt_kind(t, v) == JT_NUMBERS) {
        for (i = 0; i < t->node[v].n; i++)
            if (isinf(t->num[t->node[v].str + i]))      /* NaN is null, a gap */
                return fail(ld, path, "element %zu: expected a finite number", i);
        *n = t->node[v].n;
        return 0;
    }
    if (jt_kind(t, v) != JT_ARRAY)
        return fail(ld, path, "expected an array of numbers");
    for (e = t->node[v].child; e != JT_NONE; e = t->node[e].next) {
        if (jt_kind(t, e) == JT_NULL) {
            /* a gap */
        } else if (jt_kind(t, e) != JT_NUMBER) {
            return fail(ld, path, "expected an array of numbers");
        } else if (!isfinite(t->node[e].num)) {
            return fail(ld, path, "element %zu: expected a finite number", *n);
        }
        (*n)++;
    }
    return 0;
}

static double *copy_number_array(const struct jt *t, size_t v, size_t n)
{
    double *out = xmalloc(n * sizeof(double));
    size_t e, i = 0;

    if (t->node[v].kind == JT_NUMBERS) {
        memcpy(out, t->num + t->node[v].str, n * sizeof(double));
        return out;
    }
    for (e = t->node[v].child; e != JT_NONE && i < n; e = t->node[e].next, i++)
        out[i] = t->node[e].kind == JT_NULL ? NAN : t->node[e].num;
    return out;
}

static const char *const chart_arrays[3] = { "min", "max", "mean" };

/* The three arrays of the chart at `path`, v[i] for chart_arrays[i], now
 * read: checked and copied into c (t0 and dt already there). */
static int read_chart_arrays(struct loader *ld, const size_t v[3], const char *path,
                             struct chart *c)
{
    double **dst[3];
    char p[SNAPSHOT_PATH_MAX];
    size_t n[3], i;

    dst[0] = &c->min;
    dst[1] = &c->max;
    dst[2] = &c->mean;
    for (i = 0; i < 3; i++) {
        join(p, sizeof(p), path, chart_arrays[i]);
        if (check_number_array(ld, v[i], p, &n[i]) < 0)
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
            *dst[i] = copy_number_array(ld->t, v[i], c->n);
    return 0;
}

static int read_chart(struct loader *ld, size_t obj, const char *path, enum signal sg,
                      struct chart *c)
{
    static const char *const keys[] = { "t0", "dt", "min", "max", "mean" };
    struct later_chart *lc;
    size_t m[5], i, n_later = 0;

    if (!is_object(ld, obj))
        return fail(ld, path, "expected an object");
    if (members(ld, obj, path, keys, 5, "key", m) < 0 ||
        read_number(ld, m[0], path, "t0", 1, &c->t0_s) < 0 ||
        read_number(ld, m[1], path, "dt", 1, &c->dt_s) < 0)
        return -1;
    for (i = 0; i < 3; i++)
        n_later += m[2 + i] != JT_NONE && jt_kind(ld->t, m[2 + i]) == JT_LATER;
    if (n_later < 3)
        return read_chart_arrays(ld, m + 2, path, c);
    /* all three passed over: the chart stays empty until read */
    if (ld->later->n == ld->later->cap) {
        ld->later->cap = ld->later->cap ? ld->later->cap * 2 : 1024;
        ld->later->chart = xrealloc(ld->later->chart, ld->later->cap * sizeof(*lc));
    }
    lc = &ld->later->chart[ld->later->n++];
    lc->service = ld->service;
    lc->signal = sg;
    for (i = 0; i < 3; i++) {
        lc->open[i] = ld->t->node[m[2 + i]].at;
        lc->close[i] = ld->t->node[m[2 + i]].end;
    }
    return 0;
}

/*
 * A signal's exceedance table (stats.h): STATS_EXCEEDANCE_LEVELS finite
 * numbers, none below the one before (percentiles at rising levels).
 * Absent in snapshots written before it: then the analysis reads the
 * chart, coarsely, and says so.
 */
static int read_exceedance(struct loader *ld, size_t v, const char *path,
                           struct signal_data *sig)
{
    size_t n, i;
    double *x;

    if (check_number_array(ld, v, path, &n) < 0)
        return -1;
    if (n != STATS_EXCEEDANCE_LEVELS)
        return fail(ld, path, "%zu values, expected %d", n, STATS_EXCEEDANCE_LEVELS);
    x = copy_number_array(ld->t, v, n);
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]) || (i > 0 && x[i] < x[i - 1])) {
            free(x);
            return fail(ld, path, "element %zu: expected a finite number, not below the "
                        "one before", i);
        }
    sig->exceedance = x;
    return 0;
}

/*
 * A quantile signal's bucket (measure.h): {"lo": number, "hi": number or
 * null}, null for +Inf, 0 <= lo < hi.  Absent in snapshots written before
 * it: then nothing is known of the buckets and no coarse_buckets caution.
 */
static int read_bucket(struct loader *ld, size_t v, const char *path, struct signal_data *sig)
{
    static const char *const keys[] = { "lo", "hi" };
    char p[SNAPSHOT_PATH_MAX];
    size_t m[2];
    double lo, hi;

    join(p, sizeof(p), path, "bucket");
    if (!is_object(ld, v))
        return fail(ld, p, "expected an object");
    if (members(ld, v, p, keys, 2, "key", m) < 0 || read_number(ld, m[0], p, "lo", 0, &lo) < 0 ||
        read_number(ld, m[1], p, "hi", 1, &hi) < 0)
        return -1;
    if (isnan(hi))
        hi = INFINITY;
    if (!(lo >= 0 && hi > lo))
        return fail(ld, p, "expected 0 <= lo < hi");
    sig->have_bucket = 1;
    sig->bucket_lo = lo;
    sig->bucket_hi = hi;
    return 0;
}

static int read_signal(struct loader *ld, size_t obj, const char *path, enum signal sg,
                       struct signal_data *sig)
{
    static const char *const keys[] = { "error", "warning", "partial", "stats", "chart",
                                        "exceedance", "bucket" };
    size_t m[7];

    if (!is_object(ld, obj))
        return fail(ld, path, "expected an object");
    if (members(ld, obj, path, keys, 7, "key", m) < 0)
        return -1;
    if (m[6] != JT_NONE && read_bucket(ld, m[6], path, sig) < 0)
        return -1;
    if (m[0] != JT_NONE && read_string(ld, m[0], path, "error", 1, &sig->error) < 0)
        return -1;
    if (m[1] != JT_NONE && read_string(ld, m[1], path, "warning", 1, &sig->warning) < 0)
        return -1;
    if (m[2] != JT_NONE) {
        if (jt_kind(ld->t, m[2]) != JT_TRUE && jt_kind(ld->t, m[2]) != JT_FALSE)
            return fail_in(ld, path, "partial", "expected true or false");
        sig->partial = jt_kind(ld->t, m[2]) == JT_TRUE;
    }
    if (m[3] == JT_NONE && m[4] == JT_NONE) {
        if (sig->error == NULL && sig->warning == NULL)
            return fail(ld, path, "expected stats and chart, an error or a warning");
        return 0;
    }
    sig->present = 1;
    {
        char p[SNAPSHOT_PATH_MAX];

        join(p, sizeof(p), path, "stats");
        if (read_stats(ld, m[3], p, &sig->stats) < 0)
            return -1;
        if (sig->stats.count == 0 && sig->error == NULL) {
            /* written before fetch said so itself: a series of gaps is no
             * data, not a clean zero */
            char msg[128];

            snprintf(msg, sizeof(msg), "no usable samples: %zu point%s, all gaps",
                     sig->stats.gaps, sig->stats.gaps == 1 ? "" : "s");
            sig->error = xstrdup(msg);
        }
        if (m[5] != JT_NONE) {
            join(p, sizeof(p), path, "exceedance");
            if (read_exceedance(ld, m[5], p, sig) < 0)
                return -1;
        }
        join(p, sizeof(p), path, "chart");
        return read_chart(ld, m[4], p, sg, &sig->chart);
    }
}

static int read_service(struct loader *ld, size_t obj, const char *path,
                        struct service_data *s)
{
    static const char *const keys[] = { "name", "detected_language", "error", "signals",
                                        "discovered", "detection_note", "profile" };
    const char *sig_keys[SIGNAL_COUNT];
    char p[SNAPSHOT_PATH_MAX];
    size_t m[7], sig_m[SIGNAL_COUNT], e;
    int i;

    if (!is_object(ld, obj))
        return fail(ld, path, "expected an object");
    if (members(ld, obj, path, keys, 7, "key", m) < 0 ||
        read_string(ld, m[0], path, "name", 0, &s->name) < 0)
        return -1;
    if (s->name[0] == '\0')
        return fail_in(ld, path, "name", "must not be empty");
    /* optional: absent is null */
    if (m[1] != JT_NONE &&
        read_string(ld, m[1], path, "detected_language", 1, &s->detected_language) < 0)
        return -1;
    if (m[2] != JT_NONE && read_string(ld, m[2], path, "error", 1, &s->error) < 0)
        return -1;
    /* optional: absent before issue 15 */
    if (m[5] != JT_NONE &&
        read_string(ld, m[5], path, "detection_note", 1, &s->detection_note) < 0)
        return -1;
    if (m[6] != JT_NONE && read_string(ld, m[6], path, "profile", 1, &s->profile) < 0)
        return -1;
    if (m[4] != JT_NONE) {
        if (jt_kind(ld->t, m[4]) != JT_TRUE && jt_kind(ld->t, m[4]) != JT_FALSE)
            return fail_in(ld, path, "discovered", "expected true or false");
        s->discovered = jt_kind(ld->t, m[4]) == JT_TRUE;
    }
    join(p, sizeof(p), path, "signals");
    if (m[3] == JT_NONE)
        return fail(ld, p, "missing");
    if (!is_object(ld, m[3]))
        return fail(ld, p, "expected an object");
    for (i = 0; i < SIGNAL_COUNT; i++)
        sig_keys[i] = signal_name((enum signal)i);
    if (members(ld, m[3], p, sig_keys, SIGNAL_COUNT, "signal", sig_m) < 0)
        return -1;
    /* in the order written, as the messages say */
    for (e = ld->t->node[m[3]].child; e != JT_NONE; e = ld->t->node[e].next) {
        char sp[SNAPSHOT_PATH_MAX];

        for (i = 0; i < SIGNAL_COUNT && sig_m[i] != e; i++)
            ;
        join(sp, sizeof(sp), p, key_of(ld, e));
        if (read_signal(ld, e, sp, (enum signal)i, &s->signals[i]) < 0)
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

/* Add services[i]; returns the index of an earlier service of that name,
 * or i when it is new. */
static size_t name_set_add(struct name_set *ns, const struct service_data *svc, size_t i)
{
    size_t k = (size_t)hash_fnv1a_str(svc[i].name) & ns->mask;

    while (ns->slot[k] != 0) {
        if (strcmp(svc[ns->slot[k] - 1].name, svc[i].name) == 0)
            return ns->slot[k] - 1;
        k = (k + 1) & ns->mask;
    }
    ns->slot[k] = i + 1;
    return i;
}

/*
 * The services array, whose '[' is at *pi: each element parsed into a
 * tree of its own, read, and dropped.  *pi ends past the ']'.  Past
 * SNAPSHOT_MAX_SERVICES the rest are only parsed (the text must still be
 * JSON) and counted for the message.
 */
static int read_services(struct loader *ld, size_t *pi, struct measurements *out)
{
    struct jt svc;
    struct name_set ns = { NULL, 0 };
    size_t i = json_scan_ws(ld->buf, ld->len, *pi + 1), n = 0, cap = 0, first, root, at = 0;
    const char *b = ld->buf;
    char shown[64], p[SNAPSHOT_PATH_MAX];
    struct jt *top = ld->t;
    enum json_scan_status st;
    int rc = 0;

    tree_init(&svc, ld->later != NULL);
    ld->t = &svc;
    ns.mask = 32768 - 1;        /* at most half full at SNAPSHOT_MAX_SERVICES */
    ns.slot = xcalloc(ns.mask + 1, sizeof(*ns.slot));
    if (i < ld->len && b[i] == ']') {
        *pi = i + 1;
        goto done;
    }
    for (;;) {
        jt_reset(&svc);
        ld->service = n;
        st = jt_value(&svc, b, ld->len, &i, 3, JT_NONE, &root, &at);
        if (st != JSON_SCAN_OK) {
            rc = service_fail(ld, st, at);
            break;
        }
        if (n < SNAPSHOT_MAX_SERVICES) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                out->services = xrealloc(out->services, cap * sizeof(*out->services));
            }
            memset(&out->services[n], 0, sizeof(out->services[n]));
            out->n_services = n + 1;
            snprintf(p, sizeof(p), "services[%zu]", n);
            rc = read_service(ld, root, p, &out->services[n]);
            if (rc < 0)
                break;
            first = name_set_add(&ns, out->services, n);
            if (first != n) {
                util_sanitize(shown, sizeof(shown), out->services[n].name);
                snprintf(p, sizeof(p), "services[%zu].name", n);
                rc = fail(ld, p, "duplicate service name '%s' (first at services[%zu])", shown,
                          first);
                break;
            }
        }
        n++;
        i = json_scan_ws(b, ld->len, i);
        if (i >= ld->len) {
            rc = scan_fail(ld, JSON_SCAN_EOF, ld->len);
            break;
        }
        if (b[i] == ',') {
            i++;
            continue;
        }
        if (b[i] != ']') {
            rc = scan_fail(ld, JSON_SCAN_SYNTAX, i);
            break;
        }
        *pi = i + 1;
        if (n > SNAPSHOT_MAX_SERVICES)
            rc = fail(ld, "services", "%zu services, more than %d", n, SNAPSHOT_MAX_SERVICES);
        break;
    }
done:
    ld->t = top;
    jt_done(&svc);
    free(ns.slot);
    return rc;
}

static const char *const root_keys[] = {
    "schema", "source", "end", "range", "step", "discovery_error", "services",
    "service_label",
};
#define ROOT_KEYS (sizeof(root_keys) / sizeof(root_keys[0]))

/* The schema first: a report or another JSON file gets a clear answer. */
static int check_schema(struct loader *ld, size_t schema)
{
    char shown[64];

    if (schema == JT_NONE)
        return fail(ld, "schema", "missing (not a verdict snapshot)");
    if (jt_kind(ld->t, schema) != JT_STRING)
        return fail(ld, "schema", "expected a string");
    if (strcmp(ld->t->pool + ld->t->node[schema].str, SNAPSHOT_SCHEMA) != 0) {
        util_sanitize(shown, sizeof(shown), ld->t->pool + ld->t->node[schema].str);
        return fail(ld, "schema", "expected \"%s\", got \"%s\"", SNAPSHOT_SCHEMA, shown);
    }
    return 0;
}

static int read_root(struct loader *ld, size_t root, int services_read,
                     struct measurements *out)
{
    size_t m[ROOT_KEYS];

    /* the schema before the keys, as a report has other keys */
    if (check_schema(ld, jt_member(ld->t, root, "schema")) < 0 ||
        members(ld, root, "(top level)", root_keys, ROOT_KEYS, "key", m) < 0)
        return -1;
    if (read_string(ld, m[1], "source", NULL, 0, &out->source) < 0 ||
        read_number(ld, m[2], "end", NULL, 0, &out->end_s) < 0 ||
        read_number(ld, m[3], "range", NULL, 0, &out->range_s) < 0 ||
        read_number(ld, m[4], "step", NULL, 0, &out->step_s) < 0)
        return -1;
    if (m[5] != JT_NONE &&
        read_string(ld, m[5], "discovery_error", NULL, 1, &out->discovery_error) < 0)
        return -1;
    /* optional: absent before issue 15 */
    if (m[7] != JT_NONE &&
        read_string(ld, m[7], "service_label", NULL, 1, &out->service_label) < 0)
        return -1;
    if (!(out->range_s > 0))
        return fail(ld, "range", "must be greater than 0");
    if (!(out->step_s > 0))
        return fail(ld, "step", "must be greater than 0");
    if (m[6] == JT_NONE)
        return fail(ld, "services", "missing");
    if (!services_read)
        return fail(ld, "services", "expected an array");
    return 0;
}

/*
 * The whole text.  The top-level object's members go into ld->t, except
 * the first "services" array, read service by service where it stands.
 * Most checks of the top level come after it (its keys may follow it);
 * a wrong schema and unknown keys seen before it are reported first.
 */
static int read_text(struct loader *ld, struct measurements *out)
{
    const char *b = ld->buf;
    size_t len = ld->len, i = 0, root, k, child, from, at = 0;
    enum json_scan_status st;
    int services_read = 0;
    struct jt *t = ld->t;

    if (len >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    i = json_scan_ws(b, len, i);
    if (i >= len || b[i] != '{') {
        /* not an object: still say first where it is not JSON */
        st = jt_value(t, b, len, &i, 1, JT_NONE, &root, &at);
        if (st != JSON_SCAN_OK)
            return scan_fail(ld, st, at);
        i = json_scan_ws(b, len, i);
        if (i < len)
            return scan_fail(ld, JSON_SCAN_TRAILING, i);
        return fail(ld, NULL, "expected a JSON object at the top level");
    }
    t->values = 1;
    root = jt_add(t, JT_OBJECT, JT_NONE, i);
    i = json_scan_ws(b, len, i + 1);
    if (i < len && b[i] == '}') {
        i++;
        goto after;
    }
    for (;;) {
        if (i >= len)
            return scan_fail(ld, JSON_SCAN_EOF, len);
        if (b[i] != '"')
            return scan_fail(ld, JSON_SCAN_SYNTAX, i);
        from = i;
        st = json_scan_string(b, len, &i, &at);
        if (st != JSON_SCAN_OK)
            return scan_fail(ld, st, st == JSON_SCAN_EOF ? len : at);
        if (i - from - 2 > SNAPSHOT_MAX_STRING)
            return scan_fail(ld, JSON_SCAN_LONG, from);
        k = jt_string(t, b, from, i);
        i = json_scan_ws(b, len, i);
        if (i >= len)
            return scan_fail(ld, JSON_SCAN_EOF, len);
        if (b[i] != ':')
            return scan_fail(ld, JSON_SCAN_SYNTAX, i);
        i = json_scan_ws(b, len, i + 1);
        if (!services_read && strcmp(t->pool + k, "services") == 0 && i < len && b[i] == '[') {
            size_t m[ROOT_KEYS], schema = jt_member(t, root, "schema");

            if ((schema != JT_NONE && check_schema(ld, schema) < 0) ||
                members(ld, root, "(top level)", root_keys, ROOT_KEYS, "key", m) < 0)
                return -1;
            if (t->values >= SNAPSHOT_MAX_VALUES)
                return scan_fail(ld, JSON_SCAN_TOO_MANY, i);
            t->values++;
            child = jt_add(t, JT_ARRAY, k, i);
            if (read_services(ld, &i, out) < 0)
                return -1;
            services_read = 1;
        } else {
            st = jt_value(t, b, len, &i, 2, k, &child, &at);
            if (st != JSON_SCAN_OK)
                return scan_fail(ld, st, at);
        }
        jt_link(t, root, child);
        i = json_scan_ws(b, len, i);
        if (i >= len)
            return scan_fail(ld, JSON_SCAN_EOF, len);
        if (b[i] == ',') {
            i = json_scan_ws(b, len, i + 1);
            continue;
        }
        if (b[i] != '}')
            return scan_fail(ld, JSON_SCAN_SYNTAX, i);
        i++;
        break;
    }
after:
    i = json_scan_ws(b, len, i);
    if (i < len)
        return scan_fail(ld, JSON_SCAN_TRAILING, i);
    return read_root(ld, root, services_read, out);
}

static int load(const char *name, const char *buf, size_t len, struct snapshot_charts *later,
                struct measurements *out, char *err, size_t errlen)
{
    struct loader ld;
    struct jt top;
    int rc;

    ld.name = name != NULL ? name : "snapshot";
    ld.err = err;
    ld.errlen = errlen;
    if (errlen > 0)
        err[0] = '\0';
    memset(out, 0, sizeof(*out));
    if (buf == NULL)
        len = 0;
    if (len > SNAPSHOT_MAX_BYTES)
        return fail(&ld, NULL, "larger than %zu MiB, the most a snapshot may be",
                    SNAPSHOT_MAX_BYTES >> 20);
    tree_init(&top, 0);
    ld.buf = buf != NULL ? buf : "";
    ld.len = len;
    ld.t = &top;
    ld.later = later;
    ld.service = 0;
    rc = read_text(&ld, out);
    jt_done(&top);
    if (rc < 0)
        measurements_done(out);
    return rc;
}

int snapshot_load_buffer(const char *name, const char *buf, size_t len,
                         struct measurements *out, char *err, size_t errlen)
{
    return load(name, buf, len, NULL, out, err, errlen);
}

static char *read_snapshot_file(const char *path, size_t *len, char *err, size_t errlen)
{
    char *buf = util_read_file_max(path, SNAPSHOT_MAX_BYTES, len);

    if (buf == NULL && errno == EFBIG) {
        if (errlen > 0)
            snprintf(err, errlen, "%s: larger than %zu MiB, the most a snapshot may be", path,
                     SNAPSHOT_MAX_BYTES >> 20);
    } else if (buf == NULL && errlen > 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    }
    return buf;
}

int snapshot_load_file(const char *path, struct measurements *out, char *err,
                       size_t errlen)
{
    size_t len = 0;
    char *buf;
    int rc;

    memset(out, 0, sizeof(*out));
    buf = read_snapshot_file(path, &len, err, errlen);
    if (buf == NULL)
        return -1;
    rc = snapshot_load_buffer(path, buf, len, out, err, errlen);
    free(buf);
    return rc;
}

/* ------------------------------------------------------- charts read later */

/* Load buf (owned from here on), its charts later. */
static int load_later(const char *name, char *buf, size_t len, struct measurements *out,
                      struct snapshot_charts **later, char *err, size_t errlen)
{
    struct snapshot_charts *c = xcalloc(1, sizeof(*c));

    c->buf = buf;
    c->len = len;
    c->name = xstrdup(name != NULL ? name : "snapshot");
    if (load(c->name, c->buf, len, c, out, err, errlen) < 0) {
        snapshot_charts_free(c);
        return -1;
    }
    if (c->n == 0) {
        snapshot_charts_free(c);
        c = NULL;
    }
    *later = c;
    return 0;
}

int snapshot_load_buffer_later(const char *name, const char *buf, size_t len,
                               struct measurements *out, struct snapshot_charts **later,
                               char *err, size_t errlen)
{
    char *copy = xmalloc(len + 1);

    *later = NULL;
    memcpy(copy, buf != NULL ? buf : "", buf != NULL ? len : 0);
    return load_later(name, copy, buf != NULL ? len : 0, out, later, err, errlen);
}

int snapshot_load_file_later(const char *path, struct measurements *out,
                             struct snapshot_charts **later, char *err, size_t errlen)
{
    size_t len = 0;
    char *buf;

    *later = NULL;
    memset(out, 0, sizeof(*out));
    buf = read_snapshot_file(path, &len, err, errlen);
    if (buf == NULL)
        return -1;
    return load_later(path, buf, len, out, later, err, errlen);
}

size_t snapshot_charts_left(const struct snapshot_charts *c)
{
    return c != NULL ? c->n - c->next : 0;
}

int snapshot_charts_read(struct snapshot_charts *c, struct measurements *m, size_t max,
                         char *err, size_t errlen)
{
    struct loader ld;
    struct jt t;
    int rc = 0;

    if (c == NULL || c->next >= c->n)
        return 0;
    tree_init(&t, 0);
    ld.name = c->name;
    ld.err = err;
    ld.errlen = errlen;
    ld.buf = c->buf;
    ld.len = c->len;
    ld.t = &t;
    ld.later = NULL;
    while (rc == 0 && max-- > 0 && c->next < c->n) {
        const struct later_chart *lc = &c->chart[c->next++];
        struct chart *ch;
        char path[SNAPSHOT_PATH_MAX];
        size_t v[3], i, pos, at = 0;
        enum json_scan_status st = JSON_SCAN_OK;

        if (lc->service >= m->n_services)
            continue;
        ld.service = lc->service;
        ch = &m->services[lc->service].signals[lc->signal].chart;
        snprintf(path, sizeof(path), "services[%zu].signals.%s.chart", lc->service,
                 signal_name(lc->signal));
        jt_reset(&t);
        for (i = 0; i < 3 && st == JSON_SCAN_OK; i++) {
            pos = lc->open[i];
            st = jt_value(&t, c->buf, c->len, &pos, SNAPSHOT_CHART_LEVEL, JT_NONE, &v[i], &at);
            /* it ended at another ']' than the one passed over to: one
             * in a string, which is no number */
            if (st == JSON_SCAN_OK && pos != lc->close[i] + 1)
                break;
        }
        if (st != JSON_SCAN_OK) {
            rc = service_fail(&ld, st, at);
        } else if (i < 3) {
            join(path, sizeof(path), path, chart_arrays[i]);
            rc = fail(&ld, path, "expected an array of numbers");
        } else {
            rc = read_chart_arrays(&ld, v, path, ch);
        }
    }
    jt_done(&t);
    if (rc < 0) {
        c->next = c->n;     /* the rest stay empty */
        return -1;
    }
    return c->next < c->n;
}

void snapshot_charts_free(struct snapshot_charts *c)
{
    if (c == NULL)
        return;
    free(c->name);
    free(c->buf);
    free(c->chart);
    free(c);
}
