/* prom_decode.c: decode Prometheus API answers (envelope, matrix, vector) with json_tree. */
#include "verdict/prom_decode.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/json_number.h"
#include "verdict/json_scan.h"
#include "verdict/json_tree.h"
#include "prom_grid.h"
#include "verdict/prom_url.h"
#include "verdict/util.h"

/* Deeper JSON is refused.  The API's own answers need about 8 levels
 * (envelope, data, result, series, values, pair, histogram, buckets). */
#define DECODE_MAX_DEPTH 64

/*
 * Values the tree may hold.  The samples ("values" and "histograms"
 * arrays) are checked and set aside (JT_ASIDE), read from the raw text,
 * and never become nodes, so this counts only the rest: envelope,
 * labels, vector samples.  Discovery of 10,000 services needs about
 * 60,000; at 88 bytes a node the tree stays under 25 MB.
 */
#define DECODE_MAX_VALUES 262144

/* How much of a body that is not the API's JSON goes into a message, and
 * how much of it is read to find that much text (tags and whitespace
 * runs are dropped on the way). */
#define DECODE_EXCERPT 80
#define DECODE_WINDOW 65536

/* ---- messages ------------------------------------------------------ */

/* Server text, sanitised and cut to fit out (outlen bytes). */
static void clean(char *out, size_t outlen, const char *s)
{
    util_sanitize(out, outlen, s != NULL ? s : "");
}

/*
 * Server text with our credentials masked, then cleaned: a server (or a
 * proxy before it) may quote the Authorization header back in any string
 * it sends, on success as on failure.  Masking comes before the cut, so
 * no prefix of a secret survives at the end of a shortened message.
 */
static void clean_masked(char *out, size_t outlen, const char *s,
                         const struct prom_secrets *secrets)
{
    char *copy;

    if (secrets == NULL || secrets->n == 0 || s == NULL) {
        clean(out, outlen, s);
        return;
    }
    copy = xstrdup(s);
    prom_secrets_mask(secrets, copy, strlen(copy));
    clean(out, outlen, copy);
    free(copy);
}

/*
 * The first DECODE_WINDOW bytes of a body that is not the API's JSON, with
 * our credentials masked (and a secret cut by the window's end masked as
 * far as it goes), for the excerpt a message quotes.  Owned by the caller.
 */
static char *masked_window(const char *s, size_t len, const struct prom_secrets *secrets,
                           size_t *wlen)
{
    size_t n = len < DECODE_WINDOW ? len : DECODE_WINDOW;
    char *w = xmalloc(n + 1);

    memcpy(w, s, n);
    w[n] = '\0';
    if (secrets != NULL) {
        prom_secrets_mask(secrets, w, n);
        if (n < len)
            prom_secrets_mask_tail(secrets, w, n);
    }
    *wlen = n;
    return w;
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

/* What a message quotes of a body that is not the API's answer: an HTML
 * page's title (html set), else its first words; credentials masked. */
static void body_excerpt(char *out, size_t outlen, const char *s, size_t len, int html,
                         const struct prom_secrets *secrets)
{
    size_t n;
    char *w = masked_window(s, len, secrets, &n);

    if (!html || !html_title(out, outlen, w, n))
        excerpt(out, outlen, w, n, html);
    /* again: dropping tags and whitespace may join what was apart */
    if (secrets != NULL)
        prom_secrets_mask(secrets, out, strlen(out));
    free(w);
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

/* ---- the JSON ---------------------------------------------------- */

/* Sample arrays, at any level, are set aside: checked, read from the
 * text, not built as a tree. */
static int aside_samples(size_t level, const char *key)
{
    (void)level;
    return strcmp(key, "values") == 0 || strcmp(key, "histograms") == 0;
}

/* The locale's decimal point, or "." when it is unusable. */
static const char *decimal_point(void)
{
    const char *dp = localeconv()->decimal_point;

    return dp != NULL && dp[0] != '\0' && strlen(dp) <= 4 ? dp : ".";
}

/*
 * The body as a strict tree (json_tree.h): the nesting limit, so that no
 * input makes a recursive walk deep; a \u escape without its four hex
 * digits; strings with "\u0000", control characters or invalid UTF-8;
 * the count of values that become nodes.  PROM_OK with the root in
 * *root, or the status with err filled (t is the caller's to jt_done).
 */
static enum prom_status parse_body(const char *body, size_t len, long http_status,
                                   struct jt *t, size_t *root, char *err, size_t errlen)
{
    enum json_scan_status st;
    size_t i = 0, at = 0;
    char a[256];

    memset(t, 0, sizeof(*t));
    t->max_depth = DECODE_MAX_DEPTH;
    t->max_values = DECODE_MAX_VALUES;
    t->aside = aside_samples;
    t->dp = decimal_point();
    if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    st = jt_value(t, body, len, &i, 1, JT_NONE, root, &at);
    if (st == JSON_SCAN_OK) {
        at = json_scan_ws(body, len, i);
        if (at >= len)
            return PROM_OK;
        st = JSON_SCAN_TRAILING;
    }
    switch (st) {
    case JSON_SCAN_DEEP:
        snprintf(a, sizeof(a), "JSON nested deeper than %d levels", DECODE_MAX_DEPTH);
        break;
    case JSON_SCAN_TRAILING:
        snprintf(a, sizeof(a), "invalid JSON: trailing data at byte %zu of %zu", at, len);
        break;
    case JSON_SCAN_CONTROL:
    case JSON_SCAN_NUL:
    case JSON_SCAN_UTF8:
    case JSON_SCAN_ESCAPE:
        snprintf(a, sizeof(a), "%s at byte %zu of %zu", json_scan_what(st), at, len);
        break;
    case JSON_SCAN_TOO_MANY:
        snprintf(a, sizeof(a), "more than %d JSON values besides the samples: too large to "
                 "decode (aggregate the query, e.g. with sum by)", DECODE_MAX_VALUES);
        break;
    default:
        snprintf(a, sizeof(a), "truncated or invalid JSON at byte %zu of %zu", at, len);
        break;
    }
    return not_api(http_status, a, NULL, err, errlen);
}

/* Kinds of node, as the messages name them. */
static int is_array(const struct jt *t, size_t j)
{
    return j != JT_NONE && (t->node[j].kind == JT_ARRAY || t->node[j].kind == JT_NUMBERS ||
                            t->node[j].kind == JT_ASIDE);
}

static int is_kind(const struct jt *t, size_t j, enum jt_kind kind)
{
    return j != JT_NONE && t->node[j].kind == kind;
}

/* A string node's text (in the pool: writable), or NULL. */
static char *string_of(const struct jt *t, size_t j)
{
    return is_kind(t, j, JT_STRING) ? t->pool + t->node[j].str : NULL;
}

static const char *json_kind(const struct jt *t, size_t j)
{
    if (j == JT_NONE)
        return "nothing";
    switch (t->node[j].kind) {
    case JT_OBJECT:
        return "an object";
    case JT_ARRAY:
    case JT_NUMBERS:
    case JT_LATER:
    case JT_ASIDE:
        return "an array";
    case JT_STRING:
        return "a string";
    case JT_NUMBER:
        return "a number";
    case JT_TRUE:
    case JT_FALSE:
        return "a boolean";
    case JT_NULL:
        return "null";
    }
    return "something else";
}

/* The kind of the first element of a JT_NUMBERS array (n > 0): a number,
 * or null (NaN). */
static const char *numbers_kind(const struct jt *t, size_t j)
{
    return isnan(t->num[t->node[j].str]) ? "null" : "a number";
}

/* ---- envelope ------------------------------------------------------ */

/* Append sanitised server text to info->warnings, "; "-separated. */
static void add_warning(struct prom_decode_info *info, const char *text,
                        const struct prom_secrets *secrets)
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
    clean_masked(info->warnings + o, sizeof(info->warnings) - o, text, secrets);
}

/* The strings of array j to info->warnings; partial set for each when
 * `partial`.  (A JT_NUMBERS array holds none.) */
static void add_strings(const struct jt *t, size_t j, int partial,
                        struct prom_decode_info *info, const struct prom_secrets *secrets)
{
    size_t it;

    if (!is_kind(t, j, JT_ARRAY))
        return;
    for (it = t->node[j].child; it != JT_NONE; it = t->node[it].next) {
        if (is_kind(t, it, JT_STRING)) {
            if (partial)
                info->partial = 1;
            add_warning(info, string_of(t, it), secrets);
        }
    }
}

/* warnings (they mean partial data) and infos (they do not). */
static void read_warnings(const struct jt *t, size_t root, struct prom_decode_info *info,
                          const struct prom_secrets *secrets)
{
    if (info == NULL)
        return;
    if (is_kind(t, jt_member(t, root, "isPartial"), JT_TRUE))
        info->partial = 1;
    add_strings(t, jt_member(t, root, "warnings"), 1, info, secrets);
    add_strings(t, jt_member(t, root, "infos"), 0, info, secrets);
}

/*
 * Check everything down to data.result and hand out the tree (t, the
 * caller calls jt_done whatever the status) and the result array
 * (*result).  Each "values" or "histograms" array is set aside
 * (JT_ASIDE): read it from body.  want is "matrix" or "vector".  On any
 * status but PROM_OK err says why.
 */
static enum prom_status open_envelope(const char *body, size_t len, long http_status,
                                      const struct prom_secrets *secrets,
                                      const char *want, struct prom_decode_info *info,
                                      struct jt *t, size_t *result, char *err, size_t errlen)
{
    char detail[DECODE_EXCERPT * 2 + 8], a[256], b[128];
    size_t i = 0, root, status, data, rtype, res;
    const char *sv;
    enum prom_status st;

    memset(t, 0, sizeof(*t));
    *result = JT_NONE;
    if (body == NULL)
        len = 0;
    if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* a UTF-8 byte order mark */
    while (i < len && isspace((unsigned char)body[i]))
        i++;
    if (i >= len)
        return not_api(http_status, "an empty body", NULL, err, errlen);
    if (len - i >= 2 && (unsigned char)body[i] == 0x1f && (unsigned char)body[i + 1] == 0x8b)
        /* gzip's magic: curl decompresses only what it asked for, so the
         * server compressed an answer nobody asked to be compressed */
        return not_api(http_status, "compressed body (gzip) but compression is off: this "
                       "server compresses whatever is asked, set prometheus.compression: on",
                       NULL, err, errlen);
    if (body[i] == '<') {
        body_excerpt(detail, sizeof(detail), body + i, len - i, 1, secrets);
        return not_api(http_status, "an HTML page, not the Prometheus API", detail, err,
                       errlen);
    }
    if (body[i] != '{' && body[i] != '[') {
        body_excerpt(detail, sizeof(detail), body + i, len - i, 0, secrets);
        return not_api(http_status, "not JSON", detail, err, errlen);
    }
    st = parse_body(body, len, http_status, t, &root, err, errlen);
    if (st != PROM_OK)
        return st;
    status = jt_member(t, root, "status");
    if (!is_kind(t, root, JT_OBJECT) || !is_kind(t, status, JT_STRING)) {
        body_excerpt(detail, sizeof(detail), body + i, len - i, 0, secrets);
        snprintf(a, sizeof(a), "JSON without the API envelope (%s%s)", json_kind(t, root),
                 is_kind(t, root, JT_OBJECT) ? " with no \"status\"" : "");
        return not_api(http_status, a, detail, err, errlen);
    }
    read_warnings(t, root, info, secrets);
    sv = string_of(t, status);
    if (strcmp(sv, "error") == 0) {
        const char *et = string_of(t, jt_member(t, root, "errorType"));
        const char *em = string_of(t, jt_member(t, root, "error"));
        size_t o;

        /* the server's message may be long (VictoriaMetrics repeats the
         * query): sanitise it straight into what is left of err */
        clean_masked(b, sizeof(b), et != NULL ? et : "unknown", secrets);
        util_errf(err, errlen, "%s: ", b[0] != '\0' ? b : "unknown");
        o = err != NULL && errlen > 0 ? strlen(err) : 0;
        if (err != NULL && o + 1 < errlen)
            clean_masked(err + o, errlen - o, em != NULL ? em : "(no message)", secrets);
        return PROM_EAPI;
    }
    if (strcmp(sv, "success") != 0) {
        clean_masked(b, sizeof(b), sv, secrets);
        snprintf(a, sizeof(a), "unknown API status \"%s\"", b);
        return not_api(http_status, a, NULL, err, errlen);
    }
    data = jt_member(t, root, "data");
    if (!is_kind(t, data, JT_OBJECT)) {
        util_errf(err, errlen, "a success answer whose \"data\" is %s, not an object",
                  json_kind(t, data));
        return PROM_EPARSE;
    }
    if (info != NULL && is_kind(t, jt_member(t, data, "isPartial"), JT_TRUE))
        info->partial = 1;
    rtype = jt_member(t, data, "resultType");
    res = jt_member(t, data, "result");
    if (!is_kind(t, rtype, JT_STRING)) {
        util_errf(err, errlen, "expected a %s result, found no \"resultType\"", want);
        return PROM_EPARSE;
    }
    if (strcmp(string_of(t, rtype), want) != 0) {
        clean_masked(b, sizeof(b), string_of(t, rtype), secrets);
        util_errf(err, errlen, "expected a %s result, found resultType \"%s\"", want, b);
        return PROM_EPARSE;
    }
    if (!is_array(t, res)) {
        util_errf(err, errlen, "expected a %s result, found \"result\" as %s", want,
                  json_kind(t, res));
        return PROM_EPARSE;
    }
    *result = res;
    return PROM_OK;
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
static int sample_string(const char *s, const char *dp, double *v)
{
    char tmp[PROM_DECODE_NUMBER_MAX * 4 + 1];
    const char *src;
    char *end;
    size_t n, o = 0, k, dplen;

    if (strcmp(s, "NaN") == 0 || strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0 ||
        strcmp(s, "Inf") == 0) {
        *v = NAN;
        return 0;
    }
    n = strlen(s);
    if (n == 0 || n > PROM_DECODE_NUMBER_MAX || isspace((unsigned char)s[0]))
        return -1;
    /* what Prometheus writes is in JSON's grammar: the same correctly
     * rounded value as strtod's, mostly without it (json_number.h) */
    if (json_number_value(s, n, dp, v)) {
        if (!isfinite(*v))
            *v = NAN;
        return 0;
    }
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

/* An element of the tree as a sample reading needs it: its kind, and
 * its value when a number, its text when a string. */
struct elem {
    enum jt_kind kind;
    double num;
    const char *str;
};

/* Element k of array j (JT_ARRAY or JT_NUMBERS, where null is NaN): 0,
 * or -1 when there is none. */
static int elem_at(const struct jt *t, size_t j, size_t k, struct elem *e)
{
    const struct jt_node *nd = &t->node[j];
    size_t c;

    if (k >= nd->n)
        return -1;
    if (nd->kind == JT_NUMBERS) {
        e->num = t->num[nd->str + k];
        e->kind = isnan(e->num) ? JT_NULL : JT_NUMBER;
        e->str = NULL;
        return 0;
    }
    if (nd->kind != JT_ARRAY)
        return -1;
    for (c = nd->child; k > 0; k--)
        c = t->node[c].next;
    e->kind = t->node[c].kind;
    e->num = t->node[c].num;
    e->str = e->kind == JT_STRING ? t->pool + t->node[c].str : NULL;
    return 0;
}

/* A vector sample's value (from the tree): a string as above, or leniently
 * a JSON number. */
static int sample_value(const struct elem *e, const char *dp, double *v)
{
    if (e->kind == JT_NUMBER) {
        *v = isfinite(e->num) ? e->num : NAN;
        return 0;
    }
    if (e->kind != JT_STRING)
        return -1;
    return sample_string(e->str, dp, v);
}

/* A timestamp in seconds: a JSON number, or leniently a numeric string. */
static int sample_time(const struct elem *e, const char *dp, double *t)
{
    if (e->kind == JT_NUMBER) {
        *t = e->num;
        return 0;
    }
    return sample_value(e, dp, t);
}

/*
 * The same readings from raw text the scan accepted, for the sample
 * arrays that never become a tree: the token b[start, end) is a JSON
 * number or string (escapes undone; anything outside ASCII cannot be a
 * number).  Returns 0 or -1 as sample_value; a non-finite number is NaN,
 * which for a timestamp means off grid, as infinity did.
 */
static int raw_sample(const char *b, size_t start, size_t end, const char *dp, double *v)
{
    char tmp[PROM_DECODE_NUMBER_MAX + 1];
    size_t i, o = 0;
    unsigned cp;

    if (start >= end)
        return -1;
    if (b[start] == '-' || (b[start] >= '0' && b[start] <= '9')) {
        if (end - start > PROM_DECODE_NUMBER_MAX)
            return -1;
        memcpy(tmp, b + start, end - start);
        tmp[end - start] = '\0';
        return sample_string(tmp, dp, v);
    }
    if (b[start] != '"' || end - start < 2)
        return -1;
    for (i = start + 1; i < end - 1; i++) {
        char c = b[i];

        if (o >= PROM_DECODE_NUMBER_MAX)
            return -1;
        if (c == '\\') {
            c = b[++i];
            switch (c) {
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
                if (json_scan_hex4(b + i + 1, &cp) != 0 || cp == 0 || cp >= 0x80)
                    return -1;
                c = (char)cp;
                i += 4;
                break;
            default:
                break;      /* '"', '\\', '/' stand for themselves */
            }
        } else if ((unsigned char)c >= 0x80) {
            return -1;
        }
        tmp[o++] = c;
    }
    tmp[o] = '\0';
    return sample_string(tmp, dp, v);
}

/* ---- range queries ------------------------------------------------- */

/*
 * One series' "values": [[t, "v"], ...], read from the raw text of the
 * array set aside (node sp: '[' at sp->at, ']' at sp->end).  Within a
 * series, a second sample landing on an index already taken (duplicate
 * timestamp, or a series on another grid) is not added to itself: it is
 * counted off grid.  Samples arrive sorted by time, so comparing with
 * the last index is enough.  O(samples), no allocation.  A pair may
 * carry more than two elements; the rest are ignored, as they always
 * were.
 */
static int decode_values(const char *body, const struct jt_node *sp, struct prom_grid *g,
                         const char *dp, struct prom_decode_info *tally, size_t *bad_index)
{
    size_t idx = 0, last = SIZE_MAX, k, pos = sp->at + 1, ps, pe;

    while (json_scan_next(body, sp->end + 1, &pos, &ps, &pe)) {
        size_t in = ps + 1, ts = 0, te = 0, vs = 0, ve = 0;
        double t, v;

        if (body[ps] != '[' || !json_scan_next(body, pe, &in, &ts, &te) ||
            !json_scan_next(body, pe, &in, &vs, &ve) ||
            raw_sample(body, ts, te, dp, &t) != 0 || raw_sample(body, vs, ve, dp, &v) != 0) {
            *bad_index = idx;
            return -1;
        }
        idx++;
        tally->n_points++;
        if (prom_grid_index(g, t, &k) != 0 || k == last) {
            tally->off_grid++;
            continue;
        }
        last = k;
        prom_grid_put(g, k, v);
    }
    return 0;
}

/* The elements of an array set aside (the native histograms). */
static size_t aside_count(const char *body, const struct jt_node *sp)
{
    size_t n = 0, pos = sp->at + 1, ps, pe;

    while (json_scan_next(body, sp->end + 1, &pos, &ps, &pe))
        n++;
    return n;
}

/* The node set aside for member key of series, or NULL; *bad set when
 * the member is there but not an array. */
static const struct jt_node *aside_of(const struct jt *t, size_t series, const char *key,
                                      int *bad)
{
    size_t j = jt_member(t, series, key);

    if (j == JT_NONE)
        return NULL;
    if (t->node[j].kind != JT_ASIDE) {
        *bad = 1;
        return NULL;
    }
    return &t->node[j];
}

enum prom_status prom_decode_range(const char *body, size_t len, long http_status,
                                   const struct prom_secrets *secrets, enum prom_combine how, double grid_start, double step,
                                   size_t grid_n, double *grid_v,
                                   struct prom_decode_info *info, char *err, size_t errlen)
{
    struct prom_decode_info local;
    struct prom_grid g = { grid_start, step, grid_v != NULL ? grid_n : 0, grid_v, how,
                      SIZE_MAX, 0, 0 };
    const char *dp = decimal_point();
    size_t s_index = 0, hist = 0, bad = 0, k, result, series;
    enum prom_status st;
    struct jt t;
    char note[128];
    int failed;

    memset(&local, 0, sizeof(local));
    memset(&t, 0, sizeof(t));
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (prom_decode_fast(body, len, http_status, &g, dp, &local)) {
        st = PROM_OK;
        goto counted;
    }
    st = open_envelope(body, len, http_status, secrets, "matrix", &local, &t, &result, err,
                       errlen);
    if (st != PROM_OK)
        goto done;
    if (t.node[result].kind == JT_NUMBERS && t.node[result].n > 0) {
        util_errf(err, errlen, "data.result[0] is not a series with \"values\" (%s)",
                  numbers_kind(&t, result));
        st = PROM_EPARSE;
        goto done;
    }
    for (series = t.node[result].kind == JT_ARRAY ? t.node[result].child : JT_NONE;
         series != JT_NONE; series = t.node[series].next) {
        int not_series = t.node[series].kind != JT_OBJECT;
        const struct jt_node *vspan = aside_of(&t, series, "values", &not_series);
        const struct jt_node *hspan = aside_of(&t, series, "histograms", &not_series);

        if (not_series) {
            util_errf(err, errlen, "data.result[%zu] is not a series with \"values\" (%s)",
                      s_index, json_kind(&t, series));
            st = PROM_EPARSE;
            goto done;
        }
        local.n_series++;
        if (hspan != NULL)
            hist += aside_count(body, hspan);
        if (vspan != NULL && decode_values(body, vspan, &g, dp, &local, &bad) != 0) {
            util_errf(err, errlen,
                      "data.result[%zu].values[%zu] is not a [timestamp, \"value\"] pair",
                      s_index, bad);
            st = PROM_EPARSE;
            goto done;
        }
        s_index++;
    }
counted:
    if (hist > 0) {
        snprintf(note, sizeof(note), "ignored %zu native-histogram sample%s", hist,
                 hist == 1 ? "" : "s");
        add_warning(&local, note, NULL);
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
    jt_done(&t);
    if (info != NULL)
        *info = local;
    return st;
}

/* ---- instant queries ----------------------------------------------- */

/* The float sample of one vector element: "value": [t, "v"].  A native
 * histogram element ("histogram" instead of "value") has none: returns 1. */
static int vector_sample(const struct jt *t, size_t series, const char *dp, double *v)
{
    size_t pair = jt_member(t, series, "value");
    struct elem te, ve;
    double ts;

    if (!is_kind(t, series, JT_OBJECT))
        return -1;
    if (pair == JT_NONE && jt_member(t, series, "histogram") != JT_NONE)
        return 1;
    if (pair == JT_NONE || elem_at(t, pair, 0, &te) != 0 || elem_at(t, pair, 1, &ve) != 0 ||
        sample_time(&te, dp, &ts) != 0 || sample_value(&ve, dp, v) != 0)
        return -1;
    return 0;
}

/*
 * Two passes: check every element first, so `each` is never called for
 * part of an answer that then turns out to be an error.  Label values go
 * to `each` as the server sent them but for our credentials, masked (they
 * name services and are used in later queries): the caller sanitises
 * before printing.
 */
enum prom_status prom_decode_vector(const char *body, size_t len, long http_status,
                                    const struct prom_secrets *secrets, const char *label,
                                    void (*each)(void *arg, const char *label_value,
                                                 double value),
                                    void *arg, char *err, size_t errlen)
{
    const char *dp = decimal_point();
    size_t idx = 0, result, series, first;
    enum prom_status st;
    struct jt t;
    double v;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    st = open_envelope(body, len, http_status, secrets, "vector", NULL, &t, &result, err,
                       errlen);
    if (st != PROM_OK)
        goto done;
    if (t.node[result].n == 0) {
        util_errf(err, errlen, "no data: the query returned no series");
        st = PROM_ENODATA;
        goto done;
    }
    if (t.node[result].kind != JT_ARRAY) {
        /* numbers and nulls (JT_NUMBERS): none is a sample */
        util_errf(err, errlen, "data.result[0] is not a sample with a \"value\" pair");
        st = PROM_EPARSE;
        goto done;
    }
    first = t.node[result].child;
    for (series = first; series != JT_NONE; series = t.node[series].next) {
        if (vector_sample(&t, series, dp, &v) < 0) {
            util_errf(err, errlen, "data.result[%zu] is not a sample with a \"value\" pair",
                      idx);
            st = PROM_EPARSE;
            goto done;
        }
        idx++;
    }
    for (series = first; series != JT_NONE; series = t.node[series].next) {
        char *lv = label != NULL ? string_of(&t, jt_member(&t, jt_member(&t, series, "metric"),
                                                           label))
                                 : NULL;

        if (vector_sample(&t, series, dp, &v) != 0 || each == NULL)
            continue;
        if (label == NULL) {
            each(arg, NULL, v);
        } else if (lv != NULL) {
            /* a label value becomes a service name, printed everywhere */
            if (secrets != NULL)
                prom_secrets_mask(secrets, lv, strlen(lv));
            each(arg, lv, v);
        }
    }
done:
    jt_done(&t);
    return st;
}

size_t prom_decode_vector_labels(const char *body, size_t len, long http_status,
                                 const struct prom_secrets *secrets, char *out, size_t outlen)
{
    size_t result, series, a, n = 0, o = 0;
    char err[256];
    struct jt t;

    if (outlen > 0)
        out[0] = '\0';
    if (open_envelope(body, len, http_status, secrets, "vector", NULL, &t, &result, err,
                      sizeof(err)) !=
        PROM_OK || t.node[result].kind != JT_ARRAY) {
        jt_done(&t);
        return 0;
    }
    for (series = t.node[result].child; series != JT_NONE && n < 8;
         series = t.node[series].next) {
        size_t metric = jt_member(&t, series, "metric");

        if (metric == JT_NONE || t.node[metric].kind != JT_OBJECT)
            continue;
        for (a = t.node[metric].child; a != JT_NONE && n < 8; a = t.node[a].next) {
            const char *key = t.pool + t.node[a].key;
            char clean[64];

            util_sanitize(clean, sizeof(clean), key);
            if (strcmp(key, "__name__") == 0 || strstr(out, clean) != NULL)
                continue;   /* a name seen already (a rough test: fine for a message) */
            if (o + strlen(clean) + 3 >= outlen)
                break;
            o += (size_t)snprintf(out + o, outlen - o, "%s%s", n > 0 ? ", " : "", clean);
            n++;
        }
    }
    jt_done(&t);
    return n;
}
