/* prom_decode.c: decode Prometheus API answers (envelope, matrix, vector) with cJSON. */
#include "verdict/prom_decode.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "verdict/util.h"

/* Deeper JSON is refused before cJSON sees it.  The API's own answers
 * need about 8 levels (envelope, data, result, series, values, pair,
 * histogram, buckets); cJSON's own limit (CJSON_NESTING_LIMIT, 1000 in
 * 1.7.15) is only a stack guard. */
#define DECODE_MAX_DEPTH 64

/* How much of a body that is not the API's JSON goes into a message. */
#define DECODE_EXCERPT 80

/* A sample value longer than this is not a number Prometheus writes
 * (Go's strconv.FormatFloat 'f'/'e' output stays under 30 bytes). */
#define DECODE_NUMBER_MAX 63

/* ---- messages ------------------------------------------------------ */

/* Server text, sanitised and cut to fit out (outlen bytes). */
static void clean(char *out, size_t outlen, const char *s)
{
    util_sanitize(out, outlen, s != NULL ? s : "");
}

/*
 * A short excerpt of raw bytes for a message: whitespace runs (and NUL
 * bytes) become one space, tags are dropped when html is set, at most
 * DECODE_EXCERPT bytes are kept ("..." when cut), and the result is
 * sanitised (invalid UTF-8, including a sequence cut at the end, -> '?').
 */
static void excerpt(char *out, size_t outlen, const char *s, size_t len, int html)
{
    char tmp[DECODE_EXCERPT + 4];
    size_t i, o = 0;
    int space = 0, in_tag = 0;

    for (i = 0; i < len && o < DECODE_EXCERPT; i++) {
        unsigned char c = (unsigned char)s[i];

        if (html && c == '<') {
            in_tag = 1;
            space = o > 0;
            continue;
        }
        if (in_tag) {
            in_tag = c != '>';
            continue;
        }
        if (c == '\0' || isspace(c)) {
            space = o > 0;
            continue;
        }
        if (space)
            tmp[o++] = ' ';
        space = 0;
        if (o < DECODE_EXCERPT)
            tmp[o++] = (char)c;
    }
    if (i < len && o >= DECODE_EXCERPT) {
        memcpy(tmp + o, "...", 3);
        o += 3;
    }
    tmp[o] = '\0';
    clean(out, outlen, tmp);
}

/* Case-insensitive ASCII compare of n bytes (a NUL in s stops it). */
static int ascii_ieq(const char *s, const char *lower, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != lower[i])
            return 0;
    return 1;
}

/* The text of an HTML page's <title>, if it has one, as an excerpt. */
static int html_title(char *out, size_t outlen, const char *s, size_t len)
{
    size_t i, j;

    for (i = 0; i + 6 < len; i++) {
        if (s[i] != '<' || !ascii_ieq(s + i + 1, "title", 5))
            continue;
        for (i += 6; i < len && s[i] != '>'; i++)
            ;
        if (i >= len)
            return 0;
        for (j = ++i; j < len && s[j] != '<'; j++)
            ;
        excerpt(out, outlen, s + i, j - i, 0);
        return out[0] != '\0';
    }
    return 0;
}

static int is_http_error(long http_status)
{
    return http_status >= 300;
}

/*
 * A body that is not the API's envelope.  Under an HTTP error status that
 * is PROM_EHTTP ("HTTP 502: an HTML page, not the Prometheus API: 502 Bad
 * Gateway"): the status is the news, the body only a hint.  Under 2xx it
 * is PROM_EPARSE: the server promised JSON and did not send it.
 */
static enum prom_status not_api(long http_status, const char *what, const char *detail,
                                char *err, size_t errlen)
{
    const char *sep = detail != NULL && detail[0] != '\0' ? ": " : "";

    if (detail == NULL)
        detail = "";
    if (is_http_error(http_status)) {
        util_errf(err, errlen, "HTTP %ld: %s%s%s", http_status, what, sep, detail);
        return PROM_EHTTP;
    }
    util_errf(err, errlen, "%s%s%s", what, sep, detail);
    return PROM_EPARSE;
}

/* ---- the JSON before cJSON ----------------------------------------- */

enum scan_result { SCAN_OK, SCAN_DEEP, SCAN_BAD };

/*
 * One pass over the raw bytes: refuse nesting deeper than max_depth (so
 * no input can make a recursive parser or free walk deep), and a \u
 * escape without its four hex digits inside len (old cJSON releases read
 * past the buffer on those, CVE-2023-53154).  Brackets inside strings do
 * not count.  *at is where it stopped.
 */
static enum scan_result json_scan(const char *s, size_t len, int max_depth, size_t *at)
{
    enum scan_result r = SCAN_OK;
    int depth = 0, in_str = 0;
    size_t i, k;

    for (i = 0; i < len && r == SCAN_OK; i++) {
        char c = s[i];

        if (in_str) {
            if (c == '"') {
                in_str = 0;
            } else if (c == '\\') {
                if (i + 1 >= len)
                    r = SCAN_BAD;
                else if (s[i + 1] == 'u' && len - i < 6)
                    r = SCAN_BAD;
                for (k = 2; r == SCAN_OK && s[i + 1] == 'u' && k < 6; k++)
                    if (!isxdigit((unsigned char)s[i + k]))
                        r = SCAN_BAD;
                if (r == SCAN_OK)
                    i++;
            }
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                r = SCAN_DEEP;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    *at = i > 0 ? i - 1 : 0;
    return r;
}

static const char *json_kind(const cJSON *j)
{
    if (j == NULL)
        return "nothing";
    if (cJSON_IsObject(j))
        return "an object";
    if (cJSON_IsArray(j))
        return "an array";
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNull(j))
        return "null";
    return "something else";
}

/* ---- envelope ------------------------------------------------------ */

/* Append sanitised server text to info->warnings, "; "-separated. */
static void add_warning(struct prom_decode_info *info, const char *text)
{
    size_t o;

    if (info == NULL || text == NULL || text[0] == '\0')
        return;
    o = strlen(info->warnings);
    if (o > 0) {
        if (o + 3 >= sizeof(info->warnings))
            return;
        memcpy(info->warnings + o, "; ", 3);
        o += 2;
    }
    clean(info->warnings + o, sizeof(info->warnings) - o, text);
}

/* warnings (they mean partial data) and infos (they do not). */
static void read_warnings(const cJSON *root, struct prom_decode_info *info)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "infos");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "isPartial");
    const cJSON *it;

    if (info == NULL)
        return;
    if (cJSON_IsTrue(p))
        info->partial = 1;
    if (!cJSON_IsArray(w))
        w = NULL;
    if (!cJSON_IsArray(in))
        in = NULL;
    cJSON_ArrayForEach(it, w) {
        if (cJSON_IsString(it)) {
            info->partial = 1;
            add_warning(info, it->valuestring);
        }
    }
    cJSON_ArrayForEach(it, in) {
        if (cJSON_IsString(it))
            add_warning(info, it->valuestring);
    }
}

/*
 * Check everything down to data.result and hand out the parsed tree
 * (*root, the caller frees it) and the result array.  want is "matrix" or
 * "vector".  On any status but PROM_OK *root is NULL and err says why.
 */
static enum prom_status open_envelope(const char *body, size_t len, long http_status,
                                      const char *want, struct prom_decode_info *info,
                                      cJSON **root, const cJSON **result,
                                      char *err, size_t errlen)
{
    char detail[DECODE_EXCERPT * 2 + 8], a[256], b[128];
    const cJSON *status, *data, *rtype, *res;
    const char *end = NULL;
    enum prom_status st;
    size_t i = 0, at = 0;
    cJSON *tree = NULL;

    *root = NULL;
    *result = NULL;
    if (body == NULL)
        len = 0;
    if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* a UTF-8 byte order mark */
    while (i < len && isspace((unsigned char)body[i]))
        i++;
    if (i >= len)
        return not_api(http_status, "an empty body", NULL, err, errlen);
    if (body[i] == '<') {
        if (!html_title(detail, sizeof(detail), body + i, len - i))
            excerpt(detail, sizeof(detail), body + i, len - i, 1);
        return not_api(http_status, "an HTML page, not the Prometheus API", detail, err,
                       errlen);
    }
    if (body[i] != '{' && body[i] != '[') {
        excerpt(detail, sizeof(detail), body + i, len - i, 0);
        return not_api(http_status, "not JSON", detail, err, errlen);
    }
    switch (json_scan(body, len, DECODE_MAX_DEPTH, &at)) {
    case SCAN_DEEP:
        snprintf(a, sizeof(a), "JSON nested deeper than %d levels", DECODE_MAX_DEPTH);
        return not_api(http_status, a, NULL, err, errlen);
    case SCAN_BAD:
        snprintf(a, sizeof(a), "truncated or invalid JSON at byte %zu of %zu", at, len);
        return not_api(http_status, a, NULL, err, errlen);
    case SCAN_OK:
        break;
    }
    tree = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (tree == NULL) {
        at = end != NULL && end >= body && end <= body + len ? (size_t)(end - body) : 0;
        snprintf(a, sizeof(a), "truncated or invalid JSON at byte %zu of %zu", at, len);
        return not_api(http_status, a, NULL, err, errlen);
    }
    for (at = (size_t)(end - body); at < len && isspace((unsigned char)body[at]); at++)
        ;
    if (at < len) {
        snprintf(a, sizeof(a), "invalid JSON: trailing data at byte %zu of %zu", at, len);
        st = not_api(http_status, a, NULL, err, errlen);
        goto fail;
    }
    status = cJSON_GetObjectItemCaseSensitive(tree, "status");
    if (!cJSON_IsObject(tree) || !cJSON_IsString(status)) {
        excerpt(detail, sizeof(detail), body + i, len - i, 0);
        snprintf(a, sizeof(a), "JSON without the API envelope (%s%s)", json_kind(tree),
                 cJSON_IsObject(tree) ? " with no \"status\"" : "");
        st = not_api(http_status, a, detail, err, errlen);
        goto fail;
    }
    read_warnings(tree, info);
    if (strcmp(status->valuestring, "error") == 0) {
        const cJSON *et = cJSON_GetObjectItemCaseSensitive(tree, "errorType");
        const cJSON *em = cJSON_GetObjectItemCaseSensitive(tree, "error");

        size_t o;

        /* the server's message may be long (VictoriaMetrics repeats the
         * query): sanitise it straight into what is left of err */
        clean(b, sizeof(b), cJSON_IsString(et) ? et->valuestring : "unknown");
        util_errf(err, errlen, "%s: ", b[0] != '\0' ? b : "unknown");
        o = err != NULL ? strlen(err) : 0;
        if (err != NULL && o + 1 < errlen)
            clean(err + o, errlen - o, cJSON_IsString(em) ? em->valuestring : "(no message)");
        st = PROM_EAPI;
        goto fail;
    }
    if (strcmp(status->valuestring, "success") != 0) {
        clean(b, sizeof(b), status->valuestring);
        snprintf(a, sizeof(a), "unknown API status \"%s\"", b);
        st = not_api(http_status, a, NULL, err, errlen);
        goto fail;
    }
    data = cJSON_GetObjectItemCaseSensitive(tree, "data");
    if (!cJSON_IsObject(data)) {
        util_errf(err, errlen, "a success answer whose \"data\" is %s, not an object",
                json_kind(data));
        st = PROM_EPARSE;
        goto fail;
    }
    if (info != NULL && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "isPartial")))
        info->partial = 1;
    rtype = cJSON_GetObjectItemCaseSensitive(data, "resultType");
    res = cJSON_GetObjectItemCaseSensitive(data, "result");
    if (!cJSON_IsString(rtype)) {
        util_errf(err, errlen, "expected a %s result, found no \"resultType\"", want);
        st = PROM_EPARSE;
        goto fail;
    }
    if (strcmp(rtype->valuestring, want) != 0) {
        clean(b, sizeof(b), rtype->valuestring);
        util_errf(err, errlen, "expected a %s result, found resultType \"%s\"", want, b);
        st = PROM_EPARSE;
        goto fail;
    }
    if (!cJSON_IsArray(res)) {
        util_errf(err, errlen, "expected a %s result, found \"result\" as %s", want,
                json_kind(res));
        st = PROM_EPARSE;
        goto fail;
    }
    *root = tree;
    *result = res;
    return PROM_OK;
fail:
    cJSON_Delete(tree);
    return st;
}

/* ---- samples ------------------------------------------------------- */

/*
 * A sample value as Go's strconv.FormatFloat writes it: "1.5", "1e+308",
 * "-0", "NaN", "+Inf", "-Inf".  Returns 0 with the value in *v (NaN for
 * anything non-finite, including a decimal that overflows), or -1 when
 * the string is not a number.  dp is the locale's decimal point: strtod
 * follows LC_NUMERIC, the API always writes '.'.  Lenient on a JSON
 * number where the API promises a string.
 */
static int sample_value(const cJSON *j, const char *dp, double *v)
{
    char tmp[DECODE_NUMBER_MAX * 4 + 1];
    const char *s, *src;
    char *end;
    size_t n, o = 0, k, dplen;

    if (cJSON_IsNumber(j)) {
        *v = isfinite(j->valuedouble) ? j->valuedouble : NAN;
        return 0;
    }
    if (!cJSON_IsString(j))
        return -1;
    s = j->valuestring;
    if (strcmp(s, "NaN") == 0 || strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0 ||
        strcmp(s, "Inf") == 0) {
        *v = NAN;
        return 0;
    }
    n = strlen(s);
    if (n == 0 || n > DECODE_NUMBER_MAX || isspace((unsigned char)s[0]))
        return -1;
    src = s;
    if (dp[0] != '.' || dp[1] != '\0') {
        dplen = strlen(dp);
        for (k = 0; k < n; k++) {
            if (s[k] == '.') {
                memcpy(tmp + o, dp, dplen);
                o += dplen;
            } else {
                tmp[o++] = s[k];
            }
        }
        tmp[o] = '\0';
        src = tmp;
    }
    *v = strtod(src, &end);
    if (end == src || *end != '\0')
        return -1;
    if (!isfinite(*v))
        *v = NAN;
    return 0;
}

/* A timestamp in seconds: a JSON number (valuedouble: valueint saturates
 * at INT_MAX, before 2038), or leniently a numeric string. */
static int sample_time(const cJSON *j, const char *dp, double *t)
{
    if (cJSON_IsNumber(j)) {
        *t = j->valuedouble;
        return 0;
    }
    return sample_value(j, dp, t);
}

/* The locale's decimal point, or "." when it is unusable. */
static const char *decimal_point(void)
{
    const char *dp = localeconv()->decimal_point;

    return dp != NULL && dp[0] != '\0' && strlen(dp) <= 4 ? dp : ".";
}

/* ---- range queries ------------------------------------------------- */

struct grid {
    double start;
    double step;
    size_t n;
    double *v;
    enum prom_combine how;
    size_t lo, hi;    /* indices written, for the overflow pass */
    int overflow;     /* a sum became infinite */
};

/*
 * Nearest grid index for time t: k = floor((t - start) / step + 1/2), so
 * a sample exactly half a step from two points goes to the later one and
 * one more than half a step outside [start, start + (n - 1) step] has no
 * index (off grid).  NaN and huge times fail the comparisons and are off
 * grid too.  Example: start 1000, step 60, t 1031 -> (31/60 + .5) = 1.02
 * -> 1; t 965 -> -0.08 -> off grid.
 */
static int grid_index(const struct grid *g, double t, size_t *k)
{
    double x = floor((t - g->start) / g->step + 0.5);

    if (!(x >= 0) || !(x < (double)g->n))
        return -1;
    *k = (size_t)x;
    return 0;
}

/* Combine v into index k.  NaN is missing: it never replaces a value. */
static void grid_put(struct grid *g, size_t k, double v)
{
    double *cell = &g->v[k];

    if (isnan(v))
        return;
    if (isnan(*cell)) {
        *cell = v;
    } else if (g->how == PROM_COMBINE_MAX) {
        if (v > *cell)
            *cell = v;
    } else {
        *cell += v;
        if (!isfinite(*cell))
            g->overflow = 1;
    }
    if (k < g->lo)
        g->lo = k;
    if (k > g->hi)
        g->hi = k;
}

/*
 * One series' "values": [[t, "v"], ...].  Within a series, a second
 * sample landing on an index already taken (duplicate timestamp, or a
 * series on another grid) is not added to itself: it is counted off grid.
 * Samples arrive sorted by time, so comparing with the last index is
 * enough.  O(samples), no allocation.
 */
static int decode_values(const cJSON *values, struct grid *g, const char *dp,
                         struct prom_decode_info *tally, size_t *bad_index)
{
    const cJSON *pair;
    size_t idx = 0, last = SIZE_MAX, k;

    cJSON_ArrayForEach(pair, values) {
        const cJSON *tj = cJSON_IsArray(pair) ? pair->child : NULL;
        const cJSON *vj = tj != NULL ? tj->next : NULL;
        double t, v;

        if (vj == NULL || sample_time(tj, dp, &t) != 0 || sample_value(vj, dp, &v) != 0) {
            *bad_index = idx;
            return -1;
        }
        idx++;
        tally->n_points++;
        if (grid_index(g, t, &k) != 0 || k == last) {
            tally->off_grid++;
            continue;
        }
        last = k;
        grid_put(g, k, v);
    }
    return 0;
}

enum prom_status prom_decode_range(const char *body, size_t len, long http_status,
                                   enum prom_combine how, double grid_start, double step,
                                   size_t grid_n, double *grid_v,
                                   struct prom_decode_info *info, char *err, size_t errlen)
{
    struct prom_decode_info local;
    struct grid g = { grid_start, step, grid_v != NULL ? grid_n : 0, grid_v, how,
                      SIZE_MAX, 0, 0 };
    const char *dp = decimal_point();
    const cJSON *result, *series;
    size_t s_index = 0, hist = 0, bad = 0, k;
    enum prom_status st;
    cJSON *root = NULL;
    char note[128];
    int failed;

    memset(&local, 0, sizeof(local));
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    st = open_envelope(body, len, http_status, "matrix", &local, &root, &result, err, errlen);
    if (st != PROM_OK)
        goto done;
    cJSON_ArrayForEach(series, result) {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(series, "values");
        const cJSON *hists = cJSON_GetObjectItemCaseSensitive(series, "histograms");

        if (!cJSON_IsObject(series) || (values != NULL && !cJSON_IsArray(values)) ||
            (hists != NULL && !cJSON_IsArray(hists))) {
            util_errf(err, errlen, "data.result[%zu] is not a series with \"values\" (%s)",
                    s_index, json_kind(series));
            st = PROM_EPARSE;
            goto done;
        }
        local.n_series++;
        hist += (size_t)cJSON_GetArraySize(hists);
        if (values != NULL && decode_values(values, &g, dp, &local, &bad) != 0) {
            util_errf(err, errlen,
                    "data.result[%zu].values[%zu] is not a [timestamp, \"value\"] pair",
                    s_index, bad);
            st = PROM_EPARSE;
            goto done;
        }
        s_index++;
    }
    if (hist > 0) {
        snprintf(note, sizeof(note), "ignored %zu native-histogram sample%s", hist,
                 hist == 1 ? "" : "s");
        add_warning(&local, note);
    }
    if (local.n_series == 0) {
        util_errf(err, errlen, "no data: the query returned no series");
        st = PROM_ENODATA;
    } else if (local.n_points == 0) {
        util_errf(err, errlen, "no data: %zu series without float samples%s",
                local.n_series, hist > 0 ? " (native histograms only)" : "");
        st = PROM_ENODATA;
    }
done:
    /* An infinite sum is not a number either: make it a gap.  A body that
     * fails half way leaves nothing behind: the caller filled NaN, and the
     * cells this call wrote lie in [lo, hi]. */
    failed = st != PROM_OK && st != PROM_ENODATA;
    if (g.lo != SIZE_MAX && (failed || g.overflow))
        for (k = g.lo; k <= g.hi; k++)
            if (failed || !isfinite(g.v[k]))
                g.v[k] = NAN;
    cJSON_Delete(root);
    if (info != NULL)
        *info = local;
    return st;
}

/* ---- instant queries ----------------------------------------------- */

/* The float sample of one vector element: "value": [t, "v"].  A native
 * histogram element ("histogram" instead of "value") has none: returns 1. */
static int vector_sample(const cJSON *series, const char *dp, double *v)
{
    const cJSON *pair = cJSON_GetObjectItemCaseSensitive(series, "value");
    const cJSON *tj, *vj;
    double t;

    if (!cJSON_IsObject(series))
        return -1;
    if (pair == NULL && cJSON_GetObjectItemCaseSensitive(series, "histogram") != NULL)
        return 1;
    tj = cJSON_IsArray(pair) ? pair->child : NULL;
    vj = tj != NULL ? tj->next : NULL;
    if (vj == NULL || sample_time(tj, dp, &t) != 0 || sample_value(vj, dp, v) != 0)
        return -1;
    return 0;
}

/*
 * Two passes: check every element first, so `each` is never called for
 * part of an answer that then turns out to be an error.  Label values go
 * to `each` as the server sent them (they name services and are used in
 * later queries): the caller sanitises before printing.
 */
enum prom_status prom_decode_vector(const char *body, size_t len, long http_status,
                                    const char *label,
                                    void (*each)(void *arg, const char *label_value,
                                                 double value),
                                    void *arg, char *err, size_t errlen)
{
    const char *dp = decimal_point();
    const cJSON *result, *series;
    enum prom_status st;
    cJSON *root = NULL;
    size_t idx = 0;
    double v;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    st = open_envelope(body, len, http_status, "vector", NULL, &root, &result, err, errlen);
    if (st != PROM_OK)
        return st;
    if (cJSON_GetArraySize(result) == 0) {
        util_errf(err, errlen, "no data: the query returned no series");
        st = PROM_ENODATA;
        goto done;
    }
    cJSON_ArrayForEach(series, result) {
        if (vector_sample(series, dp, &v) < 0) {
            util_errf(err, errlen, "data.result[%zu] is not a sample with a \"value\" pair",
                    idx);
            st = PROM_EPARSE;
            goto done;
        }
        idx++;
    }
    cJSON_ArrayForEach(series, result) {
        const cJSON *metric = cJSON_GetObjectItemCaseSensitive(series, "metric");
        const cJSON *lv = label != NULL ? cJSON_GetObjectItemCaseSensitive(metric, label)
                                        : NULL;

        if (vector_sample(series, dp, &v) != 0 || each == NULL)
            continue;
        if (label == NULL)
            each(arg, NULL, v);
        else if (cJSON_IsString(lv))
            each(arg, lv->valuestring, v);
    }
done:
    cJSON_Delete(root);
    return st;
}
