/* config_value.c: leaf values of verdict.yaml (numbers, units, ranges, words) and diagnostics. */
#include "verdict/config_value.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/range.h"
#include "verdict/util.h"
#include "verdict/yaml_tree.h"

#define NUMBER_MAX_LEN 64
/* No cost, count, size or duration comes near 10^15 (a petabyte, 31
 * million years); beyond it a value is a typo, and products of two such
 * values would still overflow a double into infinity in the models. */
#define NUMBER_MAX_MAGNITUDE 1e15
#define OUT_OF_RANGE "out of range (beyond plus or minus 1e15)"
/* A string value (a name, URL, query, header) longer than this is a
 * mistake, not a setting; snapshot.c keeps the same limit, so a service
 * name always survives the round trip through a snapshot. */
#define STRING_MAX_LEN 65536
#define SUGGEST_MAX_LEN 64

/* ---- diagnostics ----------------------------------------------------- */

void config_value_diags_printf(struct config_diags *d, const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    size_t need;
    char *line, *clean;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    line = xmalloc((size_t)n + 1);
    line[0] = '\0';
    vsnprintf(line, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    /* the whole line: it quotes the file's name, which may carry controls
     * (and grows where an invisible character becomes its escape) */
    need = util_sanitize(NULL, 0, line) + 1;
    clean = xmalloc(need);
    util_sanitize(clean, need, line);
    free(line);
    line = clean;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->lines = xrealloc(d->lines, d->cap * sizeof(*d->lines));
    }
    d->lines[d->n++] = line;
}

int config_value_full(const struct config_value_ctx *c)
{
    return c->n_errors >= CONFIG_VALUE_MAX_ERRORS;
}

/* "FILE:LINE:COL: path: message", or without "path: " when path is "". */
CONFIG_VALUE_PRINTF(4, 0)
static void verror(struct config_value_ctx *c, const struct yaml_tree_mark *m,
                   const struct config_path *p, const char *fmt, va_list ap)
{
    char msg[CONFIG_VALUE_MSG_LEN], path[CONFIG_VALUE_PATH_LEN];

    c->n_errors++;
    if (c->n_errors > CONFIG_VALUE_MAX_ERRORS)
        return;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    config_value_path_write(path, p);
    if (path[0] == '\0')
        config_value_diags_printf(c->diags, "%s:%zu:%zu: %s", c->file, m->line + 1,
                                  m->column + 1, msg);
    else
        config_value_diags_printf(c->diags, "%s:%zu:%zu: %s: %s", c->file, m->line + 1,
                                  m->column + 1, path, msg);
}

void config_value_error_at(struct config_value_ctx *c, const struct yaml_tree_mark *m,
                           const struct config_path *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verror(c, m, path, fmt, ap);
    va_end(ap);
}

void config_value_error(struct config_value_ctx *c, const struct yaml_tree_node *n,
                        const struct config_path *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verror(c, &n->start, path, fmt, ap);
    va_end(ap);
}

const char *config_value_quote(char *buf, size_t len, const char *s)
{
    size_t i = 0;

    if (len == 0)
        return buf;
    /* printable ASCII, the usual key or name, is copied as it is (cut to
     * len - 1 bytes), exactly as util_sanitize would copy it */
    while (i + 1 < len && s[i] >= 0x20 && s[i] < 0x7f)
        i++;
    if (s[i] == '\0' || i + 1 == len) {
        memcpy(buf, s, i);
        buf[i] = '\0';
        return buf;
    }
    util_sanitize(buf, len, s);
    return buf;
}

/*
 * Paths are built with memcpy, not snprintf: the result is the same,
 * including where a path longer than CONFIG_VALUE_PATH_LEN - 1 bytes is
 * cut (a byte count, as snprintf cuts).
 */
#define PATH_MAX_BYTES (CONFIG_VALUE_PATH_LEN - 1)

/* parent copied to dst (they may be the same), cut to fit; its length. */
static size_t path_begin(char *dst, const char *parent)
{
    size_t n = strnlen(parent, PATH_MAX_BYTES);

    if (dst != parent)
        memmove(dst, parent, n);
    dst[n] = '\0';
    return n;
}

/* len bytes of s after the o bytes of dst, cut to fit; the new length. */
static size_t path_add(char *dst, size_t o, const char *s, size_t len)
{
    if (len > PATH_MAX_BYTES - o)
        len = PATH_MAX_BYTES - o;
    memcpy(dst + o, s, len);
    dst[o + len] = '\0';
    return o + len;
}

void config_value_path_key(char *dst, const char *parent, const char *key)
{
    char q[CONFIG_VALUE_QUOTE_LEN];
    size_t o;

    config_value_quote(q, sizeof(q), key);
    o = path_begin(dst, parent);
    if (o > 0)
        o = path_add(dst, o, ".", 1);
    path_add(dst, o, q, strlen(q));
}

static void config_value_path_index(char *dst, const char *parent, size_t i)
{
    char digits[3 * sizeof(size_t) + 1];
    size_t k = sizeof(digits), o;

    do {
        digits[--k] = (char)('0' + i % 10);
        i /= 10;
    } while (i > 0);
    o = path_begin(dst, parent);
    o = path_add(dst, o, "[", 1);
    o = path_add(dst, o, digits + k, sizeof(digits) - k);
    path_add(dst, o, "]", 1);
}

void config_value_path_name(char *dst, const char *parent, const char *name)
{
    char q[CONFIG_VALUE_QUOTE_LEN];
    size_t o;

    config_value_quote(q, sizeof(q), name);
    o = path_begin(dst, parent);
    o = path_add(dst, o, "[", 1);
    o = path_add(dst, o, q, strlen(q));
    path_add(dst, o, "]", 1);
}

void config_value_path_write(char *dst, const struct config_path *p)
{
    if (p == NULL) {
        dst[0] = '\0';
        return;
    }
    config_value_path_write(dst, p->parent);
    switch (p->kind) {
    case CONFIG_PATH_KEY:
        config_value_path_key(dst, dst, p->text);
        break;
    case CONFIG_PATH_INDEX:
        config_value_path_index(dst, dst, p->index);
        break;
    case CONFIG_PATH_NAME:
        config_value_path_name(dst, dst, p->text);
        break;
    }
}

int config_value_usable(struct config_value_ctx *c, const struct yaml_tree_node *n,
                        const struct config_path *path)
{
    const char *msgs[YAML_TREE_MAX_PROBLEMS];
    size_t i, k;
    int usable;

    k = yaml_tree_problems(n, msgs, &usable);
    for (i = 0; i < k; i++)
        config_value_error(c, n, path, "%s", msgs[i]);
    return usable;
}

/* ---- leaf values ------------------------------------------------------ */

/*
 * The scalar of a leaf value, or NULL (reported) when n is not a usable
 * scalar.  Every leaf the decoder looks at passes through here with its
 * key path (a range element as "path[i]"): this is the one place to record
 * (path, line, column, start.index, end.index) when the TUI comes to edit
 * values in place.
 */
static const struct yaml_tree_node *leaf(struct config_value_ctx *c,
                                         const struct yaml_tree_node *n,
                                         const struct config_path *path, const char *expected)
{
    if (!config_value_usable(c, n, path))
        return NULL;
    if (n->kind != YAML_TREE_SCALAR) {
        config_value_error(c, n, path, "expected %s", expected);
        return NULL;
    }
    return n;
}

/*
 * A whole string as a finite number with strtod: digits, sign, point and
 * exponent only, so hex, "nan", "inf" and "1_000" are refused.  The point
 * is always '.', whatever LC_NUMERIC the TUI's setlocale chose.  Returns
 * 0, -1 when s is not a number, -2 when it is one beyond
 * NUMBER_MAX_MAGNITUDE (1e999 included).
 */
static int parse_strtod(const char *s, double *out)
{
    char tmp[NUMBER_MAX_LEN * 4 + 1];
    const char *point = localeconv()->decimal_point;
    size_t plen = strlen(point), o = 0;
    const char *p;
    char *end;
    int digits = 0;
    double v;

    if (strlen(s) > NUMBER_MAX_LEN || plen == 0 || plen > 3)
        return -1;
    for (p = s; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9')
            digits = 1;
        else if (*p != '+' && *p != '-' && *p != '.' && *p != 'e' && *p != 'E')
            return -1;
        if (*p == '.') {
            memcpy(tmp + o, point, plen);
            o += plen;
        } else {
            tmp[o++] = *p;
        }
    }
    tmp[o] = '\0';
    if (!digits)
        return -1;
    v = strtod(tmp, &end);
    if (end == tmp || *end != '\0')
        return -1;
    if (!(fabs(v) <= NUMBER_MAX_MAGNITUDE))
        return -2;
    *out = v;
    return 0;
}

/* Digits in all that parse_simple takes: below 2^53, so exact in a double. */
#define SIMPLE_MAX_DIGITS 15

/*
 * The usual number, [+-]digits[.digits] with at most SIMPLE_MAX_DIGITS
 * digits, without strtod (Clinger's fast path): the digits as a whole
 * number m and 10^f (f digits after the point) are both exact doubles, so
 * m / 10^f, one correctly rounded division, is the double nearest the
 * decimal, which is what strtod returns; "-0" gives -0.0 as strtod does.
 * Returns 0 with *out set; -1 when s holds a character strtod's parse
 * refuses anyway; 1 for anything else (an exponent, more digits, no
 * digits), which parse_strtod decides.
 */
static int parse_simple(const char *s, double *out)
{
    static const double powers[SIMPLE_MAX_DIGITS + 1] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    };
    const char *p = s;
    uint64_t m = 0;
    int neg = 0, digits = 0, point = 0, frac = 0;
    double v;

    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++digits > SIMPLE_MAX_DIGITS)
                return 1;
            m = m * 10 + (uint64_t)(*p - '0');
            frac += point;
        } else if (*p == '.' && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (*p != '\0')
        return strchr("+-.eE", *p) != NULL ? 1 : -1;
    if (digits == 0)
        return 1;
    v = (double)m / powers[frac];
    *out = neg ? -v : v;
    return 0;
}

/* As parse_strtod, which it asks only when parse_simple cannot say. */
static int parse_number(struct config_value_ctx *c, const char *s, double *out)
{
    double v;
    int r = 1;

    /* parse_strtod refuses every number in a locale whose decimal point
     * it cannot put in place of '.': ask once per document */
    if (c->point_ok == 0) {
        size_t plen = strlen(localeconv()->decimal_point);

        c->point_ok = plen == 0 || plen > 3 ? -1 : 1;
    }
    if (c->point_ok < 0)
        return -1;
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    /* only where a double division rounds once (not on x87) */
    r = parse_simple(s, &v);
#endif
    if (r < 0)
        return -1;
    if (r > 0)
        return parse_strtod(s, out);
    if (!(fabs(v) <= NUMBER_MAX_MAGNITUDE))
        return -2;
    *out = v;
    return 0;
}

struct unit {
    const char *name;
    double factor;
};

static const struct unit duration_units[] = {
    { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 }, { NULL, 0 },
};

static const struct unit size_units[] = {
    { "B", 1 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 },
    { "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
    { "TiB", 1099511627776.0 }, { NULL, 0 },
};

/* "1.5h", "4GiB": digits, an optional fraction, then one unit, no spaces.
 * Returns as parse_number. */
static int parse_with_unit(struct config_value_ctx *c, const char *s, const struct unit *units,
                           double *out)
{
    char num[NUMBER_MAX_LEN + 1];
    const char *p = s, *q;
    size_t len;
    double v;
    int r;

    while (*p >= '0' && *p <= '9')
        p++;
    if (p == s)
        return -1;
    if (*p == '.') {
        q = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == q)
            return -1;
    }
    len = (size_t)(p - s);
    if (len > NUMBER_MAX_LEN)
        return -1;
    memcpy(num, s, len);
    num[len] = '\0';
    r = parse_number(c, num, &v);
    for (; units->name != NULL; units++) {
        if (strcmp(p, units->name) == 0) {
            if (r < 0)
                return r;
            *out = v * units->factor;
            return *out <= NUMBER_MAX_MAGNITUDE ? 0 : -2;
        }
    }
    return -1;
}

int config_value_bound_check(struct config_value_ctx *c, const struct yaml_tree_node *n,
                             const struct config_path *path, enum config_value_bound b, double v)
{
    const char *msg = NULL;

    switch (b) {
    case CONFIG_VALUE_ANY:
        break;
    case CONFIG_VALUE_NONNEG:
        if (v < 0)
            msg = "must not be negative";
        break;
    case CONFIG_VALUE_POS:
        if (v <= 0)
            msg = "must be greater than 0";
        break;
    case CONFIG_VALUE_ONE_UP:
        if (v < 1)
            msg = "must be at least 1";
        break;
    case CONFIG_VALUE_UNIT:
        if (v < 0 || v > 1)
            msg = "must be between 0 and 1";
        break;
    case CONFIG_VALUE_PERCENT:
        if (v < 0 || v > 100)
            msg = "must be between 0 and 100";
        break;
    case CONFIG_VALUE_HORIZON:
        if (v < 1 || v > 240)
            msg = "must be between 1 and 240";
        break;
    }
    if (msg == NULL)
        return 0;
    config_value_error(c, n, path, "%s", msg);
    return -1;
}

int config_value_number(struct config_value_ctx *c, const struct yaml_tree_node *n,
                        const struct config_path *path, double *out)
{
    const struct yaml_tree_node *s = leaf(c, n, path, "a number");
    int r;

    if (s == NULL)
        return -1;
    r = yaml_tree_is_plain(s) ? parse_number(c, s->text, out) : -1;
    if (r < 0) {
        config_value_error(c, s, path, r == -2 ? OUT_OF_RANGE : "expected a number");
        return -1;
    }
    return 0;
}

#define SIZE_EXPECTED "a size like 512MiB or 4GiB, or a number of bytes"

static int decode_size(struct config_value_ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, double *out)
{
    const struct yaml_tree_node *s = leaf(c, n, path, SIZE_EXPECTED);
    int r = -1;

    if (s == NULL)
        return -1;
    if (yaml_tree_is_plain(s))
        r = parse_number(c, s->text, out);
    if (r == -1)
        r = parse_with_unit(c, s->text, size_units, out);
    if (r == 0)
        return 0;
    config_value_error(c, s, path, r == -2 ? OUT_OF_RANGE : "expected " SIZE_EXPECTED);
    return -1;
}

int config_value_size(struct config_value_ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path, double *out)
{
    double v;

    if (decode_size(c, n, path, &v) != 0)
        return -1;
    if (!(v > 0)) {
        config_value_error(c, n, path, "must be greater than zero");
        return -1;
    }
    *out = v;
    return 0;
}

#define DURATION_EXPECTED "a duration like 30s, 5m, 30d"

int config_value_duration(struct config_value_ctx *c, const struct yaml_tree_node *n,
                          const struct config_path *path, double *out)
{
    const struct yaml_tree_node *s = leaf(c, n, path, DURATION_EXPECTED);
    double v;
    int r = -1;

    if (s == NULL)
        return -1;
    if (yaml_tree_is_plain(s))
        r = parse_number(c, s->text, &v);
    if (r == -1)
        r = parse_with_unit(c, s->text, duration_units, &v);
    if (r < 0) {
        config_value_error(c, s, path, r == -2 ? OUT_OF_RANGE : "expected " DURATION_EXPECTED);
        return -1;
    }
    if (config_value_bound_check(c, s, path, CONFIG_VALUE_POS, v) < 0)
        return -1;
    *out = v;
    return 0;
}

int config_value_count(struct config_value_ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, enum config_value_bound b, int *out)
{
    double v;

    if (config_value_number(c, n, path, &v) < 0)
        return -1;
    if (v != floor(v)) {
        config_value_error(c, n, path, "expected a whole number");
        return -1;
    }
    if (v < 0) {
        config_value_error(c, n, path, "must not be negative");
        return -1;
    }
    if (config_value_bound_check(c, n, path, b, v) < 0)
        return -1;
    if (v > INT_MAX) {
        config_value_error(c, n, path, "is too large (at most %d)", INT_MAX);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int config_value_range(struct config_value_ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, enum config_value_bound b, int is_size,
                       struct range *out)
{
    struct config_path ep = { path, CONFIG_PATH_INDEX, NULL, 0 };
    double v[3];
    int ok = 1, r;
    size_t i;

    if (n->kind == YAML_TREE_SCALAR || n->kind == YAML_TREE_ALIAS) {
        r = is_size ? decode_size(c, n, path, &v[0]) : config_value_number(c, n, path, &v[0]);
        if (r < 0)
            return -1;
        if (config_value_bound_check(c, n, path, b, v[0]) < 0)
            return -1;
        *out = range_point(v[0]);
        return 0;
    }
    if (!config_value_usable(c, n, path))
        return -1;
    if (n->kind != YAML_TREE_SEQ) {
        config_value_error(c, n, path, "expected a number or a range [low, likely, high]");
        return -1;
    }
    if (n->n != 3) {
        config_value_error(c, n, path, "expected a range [low, likely, high] (got %zu values)",
                           n->n);
        return -1;
    }
    for (i = 0; i < 3; i++) {
        const struct yaml_tree_node *e = n->items[i];

        ep.index = i;
        r = is_size ? decode_size(c, e, &ep, &v[i]) : config_value_number(c, e, &ep, &v[i]);
        if (r < 0 || config_value_bound_check(c, e, &ep, b, v[i]) < 0)
            ok = 0;
    }
    if (!ok)
        return -1;
    if (v[0] > v[1]) {
        config_value_error(c, n, path, "low (%g) is greater than likely (%g)", v[0], v[1]);
        return -1;
    }
    if (v[1] > v[2]) {
        config_value_error(c, n, path, "likely (%g) is greater than high (%g)", v[1], v[2]);
        return -1;
    }
    *out = range_make(v[0], v[1], v[2]);
    return 0;
}

int config_value_bool(struct config_value_ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path, int *out)
{
    const struct yaml_tree_node *s = leaf(c, n, path, "true or false");
    static const char *const yes[] = { "true", "True", "TRUE" };
    static const char *const no[] = { "false", "False", "FALSE" };
    size_t i;

    if (s == NULL)
        return -1;
    for (i = 0; yaml_tree_is_plain(s) && i < 3; i++) {
        if (strcmp(s->text, yes[i]) == 0 || strcmp(s->text, no[i]) == 0) {
            *out = strcmp(s->text, yes[i]) == 0;
            return 0;
        }
    }
    config_value_error(c, s, path, "expected true or false");
    return -1;
}

const char *config_value_string(struct config_value_ctx *c, const struct yaml_tree_node *n,
                                const struct config_path *path)
{
    const struct yaml_tree_node *s = leaf(c, n, path, "a string");

    if (s == NULL)
        return NULL;
    if (yaml_tree_is_null(s)) {
        config_value_error(c, s, path, "expected a string");
        return NULL;
    }
    if (s->len > STRING_MAX_LEN) {
        config_value_error(c, s, path, "longer than %d bytes", STRING_MAX_LEN);
        return NULL;
    }
    return s->text;
}

/* ---- words ----------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t row[SUGGEST_MAX_LEN + 1];
    size_t la = strlen(a), lb = strlen(b), i, j;

    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The candidate a mistyped word most likely meant: the first one it
 * begins ("cpu" for "cpu-bound", not "crud"), else the closest within an
 * edit distance of 2 or of a third of the word; NULL when nothing is. */
const char *config_value_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t wl = strlen(word), best_d = SIZE_MAX, i;
    const char *best = NULL;

    if (wl == 0 || wl > SUGGEST_MAX_LEN)
        return NULL;
    for (i = 0; wl >= 2 && i < n; i++)
        if (strncmp(cands[i], word, wl) == 0)
            return cands[i];
    for (i = 0; i < n; i++) {
        size_t d;

        if (strlen(cands[i]) > SUGGEST_MAX_LEN)
            continue;
        d = edit_distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    if (best != NULL && best_d < wl && (best_d <= 2 || best_d * 3 <= wl))
        return best;
    return NULL;
}

void config_value_join_names(char *dst, size_t len, const char *const *names, size_t n)
{
    size_t i, o = 0;
    int w;

    dst[0] = '\0';
    for (i = 0; i < n && o < len; i++) {
        w = snprintf(dst + o, len - o, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

int config_value_enum(struct config_value_ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path, const char *what,
                      const char *const *names, size_t count, int *out)
{
    char list[CONFIG_VALUE_MSG_LEN / 2];
    char q[CONFIG_VALUE_QUOTE_LEN];
    const char *hint;
    size_t i;

    /* leaf(), with the list of names written out only for a message */
    if (!config_value_usable(c, n, path))
        return -1;
    if (n->kind != YAML_TREE_SCALAR) {
        config_value_join_names(list, sizeof(list), names, count);
        config_value_error(c, n, path, "expected one of: %s", list);
        return -1;
    }
    for (i = 0; i < count; i++) {
        if (strcmp(names[i], n->text) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    config_value_quote(q, sizeof(q), n->text);
    hint = config_value_full(c) ? NULL : config_value_suggest(n->text, names, count);
    if (hint != NULL) {
        config_value_error(c, n, path, "unknown %s '%s' (did you mean '%s'?)", what, q,
                           hint);
    } else {
        config_value_join_names(list, sizeof(list), names, count);
        config_value_error(c, n, path, "unknown %s '%s' (expected one of: %s)", what, q,
                           list);
    }
    return -1;
}
