/* promql.c: escape label values for PromQL string literals and fill query templates. */
#include "verdict/promql.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROMQL_PLACEHOLDER "${service}"
#define PROMQL_LABEL_PLACEHOLDER "${service_label}"

/*
 * Length (2..4) of the valid UTF-8 sequence at s, with its code point in
 * *cp, or 0 when the bytes are not one (overlong, surrogate, beyond
 * U+10FFFF, stray continuation byte, cut short).  s[0] >= 0x80.
 */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
    size_t n, i;
    unsigned long c, min;

    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2, c = s[0] & 0x1f, min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3, c = s[0] & 0x0f, min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* Output state: bytes needed so far, bytes written, and whether it filled. */
struct sink {
    char *out;
    size_t len;
    size_t need;
    size_t written;
    int full;
};

/* Append n bytes if the whole piece fits with room for the NUL, never half
 * an escape; count them either way. */
static void put(struct sink *k, const char *s, size_t n)
{
    if (!k->full && k->written + n < k->len) {
        memcpy(k->out + k->written, s, n);
        k->written += n;
    } else {
        k->full = 1;
    }
    k->need += n;
}

/*
 * What Prometheus's lexer accepts between double quotes (promql/parser/
 * lex.go, lexString and lexEscape, then strconv.Unquote):
 *   - a raw newline ends the literal with "unterminated quoted string";
 *   - a raw byte that does not decode as UTF-8 is "invalid UTF-8 rune",
 *     and so is a correctly encoded U+FFFD, because Go's decoder returns
 *     the same rune (utf8.RuneError) for both;
 *   - escapes \a \b \f \n \r \t \v \\ \" \NNN \xNN \uNNNN \UNNNNNNNN.
 * So: \\ and \" for the two specials, \n \r \t, \xNN for the other C0
 * controls, DEL and bytes that are not UTF-8 (Go keeps the byte as is),
 * \u00NN for C1 controls and \uFFFD for U+FFFD.  Everything else, UTF-8
 * included, is copied.  Example: a"} or vector(1) # -> a\"} or vector(1) #
 */
size_t promql_escape(char *out, size_t len, const char *value)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)value;
    struct sink k = { out, out != NULL ? len : 0, 0, 0, 0 };

    while (*s != '\0') {
        unsigned long cp = 0;
        char esc[8];
        size_t n = *s >= 0x80 ? utf8_seq(s, &cp) : 1;

        if (*s == '\\' || *s == '"') {
            esc[0] = '\\', esc[1] = (char)*s;
            put(&k, esc, 2);
            s++;
        } else if (*s == '\n' || *s == '\r' || *s == '\t') {
            esc[0] = '\\', esc[1] = *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't';
            put(&k, esc, 2);
            s++;
        } else if (*s < 0x20 || *s == 0x7f) {
            esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*s >> 4], esc[3] = hex[*s & 15];
            put(&k, esc, 4);
            s++;
        } else if (*s < 0x80) {
            put(&k, (const char *)s, 1);
            s++;
        } else if (n == 0) {
            esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*s >> 4], esc[3] = hex[*s & 15];
            put(&k, esc, 4);
            s++;
        } else if (cp <= 0x9f || cp == 0xfffd) {
            esc[0] = '\\', esc[1] = 'u';
            esc[2] = hex[(cp >> 12) & 15], esc[3] = hex[(cp >> 8) & 15];
            esc[4] = hex[(cp >> 4) & 15], esc[5] = hex[cp & 15];
            put(&k, esc, 6);
            s += n;
        } else {
            put(&k, (const char *)s, n);
            s += n;
        }
    }
    if (k.len > 0)
        out[k.written] = '\0';
    return k.need;
}

int promql_label_valid(const char *name)
{
    size_t i;

    if (name == NULL || name[0] == '\0')
        return 0;
    for (i = 0; name[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)name[i];

        if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (i > 0 && ch >= '0' && ch <= '9')))
            return 0;
    }
    return 1;
}

/* Where the next placeholder starts at or after p, and which: *is_label 1
 * for "${service_label}", 0 for "${service}"; NULL when none is left. */
static const char *next_placeholder(const char *p, int with_label, int *is_label)
{
    const char *v = strstr(p, PROMQL_PLACEHOLDER);
    const char *l = with_label ? strstr(p, PROMQL_LABEL_PLACEHOLDER) : NULL;

    /* the two never start at the same byte: "${service}" needs a '}'
     * where "${service_label}" has '_' */
    if (l != NULL && (v == NULL || l < v)) {
        *is_label = 1;
        return l;
    }
    *is_label = 0;
    return v;
}

/*
 * Two placeholders, each replaced in one left-to-right pass (a value that
 * itself contains "${service_label}" is never read again):
 *   ${service}        the service name, escaped (promql_escape);
 *   ${service_label}  the label name, as is: a label name has no quoting in
 *                     PromQL, so it must pass promql_label_valid, checked
 *                     here too (NULL when not).
 * Example: {${service_label}="${service}"} with job and a"b gives
 * {job="a\"b"}.  The length is counted first, then written.
 */
char *promql_substitute_label(const char *tmpl, const char *service, const char *label)
{
    const size_t vlen = sizeof(PROMQL_PLACEHOLDER) - 1;
    const size_t llen = sizeof(PROMQL_LABEL_PLACEHOLDER) - 1;
    const char *value = service != NULL ? service : "";
    size_t esc_len = promql_escape(NULL, 0, value);
    size_t lab_len = label != NULL ? strlen(label) : 0;
    size_t total = 0, o = 0, piece;
    const char *p, *hit;
    int is_label, with_label = label != NULL;
    char *out;

    if (with_label && !promql_label_valid(label))
        return NULL;
    for (p = tmpl; (hit = next_placeholder(p, with_label, &is_label)) != NULL;
         p = hit + (is_label ? llen : vlen)) {
        piece = (size_t)(hit - p) + (is_label ? lab_len : esc_len);
        if (total > SIZE_MAX - 1 - piece)
            return NULL;
        total += piece;
    }
    if (total > SIZE_MAX - 1 - strlen(p))
        return NULL;
    total += strlen(p);
    out = malloc(total + 1);
    if (out == NULL)
        return NULL;
    for (p = tmpl; (hit = next_placeholder(p, with_label, &is_label)) != NULL;
         p = hit + (is_label ? llen : vlen)) {
        memcpy(out + o, p, (size_t)(hit - p));
        o += (size_t)(hit - p);
        if (is_label) {
            memcpy(out + o, label, lab_len);
            o += lab_len;
        } else {
            promql_escape(out + o, esc_len + 1, value);
            o += esc_len;
        }
    }
    memcpy(out + o, p, strlen(p) + 1);
    return out;
}

char *promql_substitute(const char *tmpl, const char *service)
{
    return promql_substitute_label(tmpl, service, NULL);
}

/* Past a quoted PromQL string starting at s[i] (one of " ' `): the index
 * after its closing quote, or len when it never closes.  Backslash
 * escapes in "..." and '...'; none in raw `...`. */
static size_t skip_quoted(const char *s, size_t i, size_t len)
{
    char q = s[i++];

    while (i < len && s[i] != q) {
        if (s[i] == '\\' && q != '`' && i + 1 < len)
            i++;
        i++;
    }
    return i < len ? i + 1 : len;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * A template of the form histogram_quantile(Q, EXPR), whitespace around
 * allowed and nothing else outside it: EXPR is the per-bucket rate, and
 * "sum by (le) (EXPR)" at one instant gives the bucket bounds the quantile
 * was interpolated between (one series per le; a sum by (le) of what is
 * already summed by le changes nothing).  Commas and parentheses inside
 * EXPR's strings and brackets are skipped: only the first comma at the
 * call's own depth splits Q from EXPR.
 * Example: histogram_quantile(0.5, sum by (le) (rate(x_bucket{a="(,)"}[5m])))
 * -> sum by (le) (sum by (le) (rate(x_bucket{a="(,)"}[5m]))).
 * NULL when tmpl is not of that form, or memory runs out.
 */
char *promql_bucket_query(const char *tmpl)
{
    static const char fn[] = "histogram_quantile";
    static const char head[] = "sum by (le) (";
    size_t len, i = 0, depth = 0, expr_start = 0, expr_end = 0, n;
    char *out;

    if (tmpl == NULL)
        return NULL;
    len = strlen(tmpl);
    while (i < len && is_space(tmpl[i]))
        i++;
    if (strncmp(tmpl + i, fn, sizeof(fn) - 1) != 0)
        return NULL;
    i += sizeof(fn) - 1;
    while (i < len && is_space(tmpl[i]))
        i++;
    if (i >= len || tmpl[i] != '(')
        return NULL;
    i++;
    depth = 1;
    while (i < len && depth > 0) {
        char c = tmpl[i];

        if (c == '"' || c == '\'' || c == '`') {
            i = skip_quoted(tmpl, i, len);
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 1 && expr_start == 0)
            expr_start = i + 1;
        if (depth == 0)
            expr_end = i;
        i++;
    }
    if (depth != 0 || expr_start == 0)
        return NULL;
    while (i < len && is_space(tmpl[i]))
        i++;
    if (i != len)
        return NULL;    /* something after the call: not a plain quantile */
    while (expr_start < expr_end && is_space(tmpl[expr_start]))
        expr_start++;
    while (expr_end > expr_start && is_space(tmpl[expr_end - 1]))
        expr_end--;
    if (expr_end == expr_start)
        return NULL;
    n = expr_end - expr_start;
    out = malloc(sizeof(head) - 1 + n + 2);
    if (out == NULL)
        return NULL;
    memcpy(out, head, sizeof(head) - 1);
    memcpy(out + sizeof(head) - 1, tmpl + expr_start, n);
    memcpy(out + sizeof(head) - 1 + n, ")", 2);
    return out;
}

/*
 * The bucket [*lo, *hi] around v among the n upper bounds `le` (any order,
 * +Inf allowed, NaN skipped): hi the smallest bound >= v, lo the largest
 * bound below v, or 0 when none is (histogram_quantile starts the lowest
 * bucket at 0).  Returns 0, or -1 when v is not finite or no bound is >= v.
 * Example: bounds 0.1 0.25 0.5 1 +Inf and v 0.3 -> [0.25, 0.5].
 */
int promql_bucket_around(const double *le, size_t n, double v, double *lo, double *hi)
{
    double l = 0, h = INFINITY;
    int found = 0;
    size_t i;

    if (!isfinite(v))
        return -1;
    for (i = 0; i < n; i++) {
        if (isnan(le[i]))
            continue;
        if (le[i] >= v && le[i] <= h) {
            h = le[i];
            found = 1;
        } else if (le[i] < v && le[i] > l) {
            l = le[i];
        }
    }
    if (!found)
        return -1;
    *lo = l;
    *hi = h;
    return 0;
}
