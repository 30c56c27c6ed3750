/* config.c: load and validate an assumptions file (verdict.yaml) with libyaml. */
#include "verdict/config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "verdict/assumptions.h"
#include "verdict/range.h"
#include "verdict/util.h"

/*
 * Two passes.  The first turns libyaml events into a small private tree
 * (scalars keep their bytes, style and marks; maps keep key, value, key,
 * value... side by side) and stops only for what makes the rest
 * meaningless: a syntax error, nesting deeper than CONFIG_MAX_DEPTH, a
 * second document.  Duplicate keys are marked while the tree is built.
 * The second pass walks the tree against the schema tables below, which
 * give each key its kind and bounds, and collects every error with its key
 * path.  Checks that need the whole document (a service's language may be
 * defined in a `languages` map further down) run last.
 *
 * To add a key: add a row to the table of its map (a nested map is a
 * FIELD_MAP row with its own table).  A new kind of value gets a decode_*
 * function and a case in decode_field().
 */

#define CONFIG_MAX_DEPTH 64
#define CONFIG_MAX_ERRORS 100
#define CONFIG_MAX_NODES (1u << 20)
#define PATH_LEN 256
#define QUOTE_LEN 80
#define MSG_LEN 1024
#define NUMBER_MAX_LEN 64
#define SUGGEST_MAX_LEN 64

#if defined(__GNUC__)
#define CONFIG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CONFIG_PRINTF(f, a)
#endif

/* ---- the private tree ------------------------------------------------ */

enum node_kind { NODE_SCALAR, NODE_MAP, NODE_SEQ, NODE_ALIAS };

struct node {
    enum node_kind kind;
    yaml_mark_t start;          /* 0-based index, line, column of the first byte */
    yaml_mark_t end;            /* just past the last byte */
    int anchored;
    int tagged;
    char *text;                 /* scalars: owned copy, NUL-terminated */
    size_t len;                 /* bytes in text (it may hold NULs: has_nul) */
    int plain;                  /* unquoted: may be a number, bool or null */
    int has_nul;
    struct node **items;        /* maps: key, value, key, value...; seqs: values */
    size_t n, cap;
    const struct node *dup_of;  /* a map key: the earlier equal key, or NULL */
};

struct svc_note {
    const struct node *name;        /* the accepted name scalar, or NULL */
    const struct node *language;    /* the language scalar, or NULL */
    size_t index;                   /* position in the services sequence */
};

struct ctx {
    const char *file;
    struct assumptions *a;
    struct config_diags *diags;
    size_t n_errors;                /* all of them, stored or not */
    struct svc_note *svc;           /* parallel to a->services */
    size_t svc_cap;
};

/* ---- diagnostics ----------------------------------------------------- */

void config_diags_done(struct config_diags *d)
{
    size_t i;

    if (d == NULL)
        return;
    for (i = 0; i < d->n; i++)
        free(d->lines[i]);
    free(d->lines);
    memset(d, 0, sizeof(*d));
}

CONFIG_PRINTF(2, 3)
static void diags_printf(struct config_diags *d, const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    char *line;

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
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->lines = xrealloc(d->lines, d->cap * sizeof(*d->lines));
    }
    d->lines[d->n++] = line;
}

static int ctx_full(const struct ctx *c)
{
    return c->n_errors >= CONFIG_MAX_ERRORS;
}

/* "FILE:LINE:COL: path: message", or without "path: " when path is "". */
CONFIG_PRINTF(4, 0)
static void ctx_verror(struct ctx *c, const yaml_mark_t *m, const char *path,
                       const char *fmt, va_list ap)
{
    char msg[MSG_LEN];

    c->n_errors++;
    if (c->n_errors > CONFIG_MAX_ERRORS)
        return;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (path[0] == '\0')
        diags_printf(c->diags, "%s:%zu:%zu: %s", c->file, m->line + 1, m->column + 1, msg);
    else
        diags_printf(c->diags, "%s:%zu:%zu: %s: %s", c->file, m->line + 1, m->column + 1,
                     path, msg);
}

CONFIG_PRINTF(4, 5)
static void ctx_error_at(struct ctx *c, const yaml_mark_t *m, const char *path,
                         const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ctx_verror(c, m, path, fmt, ap);
    va_end(ap);
}

CONFIG_PRINTF(4, 5)
static void ctx_error(struct ctx *c, const struct node *n, const char *path,
                      const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ctx_verror(c, &n->start, path, fmt, ap);
    va_end(ap);
}

/* Untrusted text, made safe to quote in a message (and cut short). */
static const char *quote(char *buf, size_t len, const char *s)
{
    util_sanitize(buf, len, s);
    return buf;
}

static void path_key(char *dst, const char *parent, const char *key)
{
    char q[QUOTE_LEN];
    int n;

    quote(q, sizeof(q), key);
    if (parent[0] == '\0')
        n = snprintf(dst, PATH_LEN, "%s", q);
    else
        n = snprintf(dst, PATH_LEN, "%s.%s", parent, q);
    if (n < 0)
        dst[0] = '\0';
}

static void path_index(char *dst, const char *parent, size_t i)
{
    if (snprintf(dst, PATH_LEN, "%s[%zu]", parent, i) < 0)
        dst[0] = '\0';
}

static void path_name(char *dst, const char *parent, const char *name)
{
    char q[QUOTE_LEN];

    if (snprintf(dst, PATH_LEN, "%s[%s]", parent, quote(q, sizeof(q), name)) < 0)
        dst[0] = '\0';
}

/* ---- building the tree from events ------------------------------------ */

struct builder {
    struct ctx *c;
    struct node *root;
    struct node *stack[CONFIG_MAX_DEPTH];   /* open maps and sequences */
    size_t depth;
    size_t n_nodes;
    int documents;
};

static void node_free(struct node *n)
{
    size_t i;

    if (n == NULL)
        return;
    for (i = 0; i < n->n; i++)
        node_free(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}

static struct node *node_new(enum node_kind kind, const yaml_event_t *ev)
{
    struct node *n = xcalloc(1, sizeof(*n));

    n->kind = kind;
    n->start = ev->start_mark;
    n->end = ev->end_mark;
    return n;
}

static void node_append(struct node *parent, struct node *child)
{
    if (parent->n == parent->cap) {
        parent->cap = parent->cap ? parent->cap * 2 : 8;
        parent->items = xrealloc(parent->items, parent->cap * sizeof(*parent->items));
    }
    parent->items[parent->n++] = child;
}

struct key_ref {
    const struct node *key;
    size_t pos;
};

static int key_ref_cmp(const void *pa, const void *pb)
{
    const struct key_ref *a = pa, *b = pb;
    size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
    int d = memcmp(a->key->text, b->key->text, n);

    if (d != 0)
        return d;
    if (a->key->len != b->key->len)
        return a->key->len < b->key->len ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Point every repeated scalar key at its first occurrence: sorting keeps
 * this O(n log n) however large a hostile map is. */
static void map_mark_duplicates(struct node *map)
{
    struct key_ref *refs;
    size_t i, n = 0, first = 0;

    if (map->n < 4)
        return;
    refs = xmalloc(map->n / 2 * sizeof(*refs));
    for (i = 0; i + 1 < map->n; i += 2) {
        if (map->items[i]->kind == NODE_SCALAR) {
            refs[n].key = map->items[i];
            refs[n].pos = i;
            n++;
        }
    }
    qsort(refs, n, sizeof(*refs), key_ref_cmp);
    for (i = 1; i < n; i++) {
        const struct node *a = refs[first].key, *b = refs[i].key;

        if (a->len == b->len && memcmp(a->text, b->text, a->len) == 0)
            map->items[refs[i].pos]->dup_of = a;
        else
            first = i;
    }
    free(refs);
}

/* One event into the tree: 0 to go on, 1 at the end, -1 on an error. */
static int builder_event(struct builder *b, const yaml_event_t *ev)
{
    struct node *n = NULL;
    const yaml_char_t *anchor = NULL, *tag = NULL;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0) {
            ctx_error_at(b->c, &ev->start_mark, "", "only one YAML document is allowed");
            return -1;
        }
        return 0;
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_ALIAS_EVENT:
        n = node_new(NODE_ALIAS, ev);
        break;
    case YAML_SCALAR_EVENT:
        n = node_new(NODE_SCALAR, ev);
        n->len = ev->data.scalar.length;
        n->text = xmalloc(n->len + 1);
        if (n->len > 0)
            memcpy(n->text, ev->data.scalar.value, n->len);
        n->text[n->len] = '\0';
        n->has_nul = memchr(n->text, '\0', n->len) != NULL;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (b->depth == CONFIG_MAX_DEPTH) {
            ctx_error_at(b->c, &ev->start_mark, "", "nesting is deeper than %d levels",
                         CONFIG_MAX_DEPTH);
            return -1;
        }
        if (ev->type == YAML_SEQUENCE_START_EVENT) {
            n = node_new(NODE_SEQ, ev);
            anchor = ev->data.sequence_start.anchor;
            tag = ev->data.sequence_start.tag;
        } else {
            n = node_new(NODE_MAP, ev);
            anchor = ev->data.mapping_start.anchor;
            tag = ev->data.mapping_start.tag;
        }
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth == 0)
            return 0;
        n = b->stack[--b->depth];
        n->end = ev->end_mark;
        if (n->kind == NODE_MAP)
            map_mark_duplicates(n);
        return 0;
    default:
        return 0;
    }
    n->anchored = anchor != NULL;
    n->tagged = tag != NULL;
    if (b->depth > 0) {
        node_append(b->stack[b->depth - 1], n);
    } else if (b->root == NULL) {
        b->root = n;
    } else {
        node_free(n);      /* cannot happen: one root per document */
        return 0;
    }
    if (n->kind == NODE_MAP || n->kind == NODE_SEQ)
        b->stack[b->depth++] = n;
    if (++b->n_nodes > CONFIG_MAX_NODES) {
        ctx_error_at(b->c, &ev->start_mark, "", "too many values (more than %u)",
                     CONFIG_MAX_NODES);
        return -1;
    }
    return 0;
}

/* libyaml's reader errors carry a byte offset but no line. */
static yaml_mark_t mark_at_offset(const char *buf, size_t len, size_t offset)
{
    yaml_mark_t m;
    size_t i;

    memset(&m, 0, sizeof(m));
    if (offset > len)
        offset = len;
    for (i = 0; i < offset; i++) {
        if (buf[i] == '\n') {
            m.line++;
            m.column = 0;
        } else {
            m.column++;
        }
    }
    m.index = offset;
    return m;
}

static void report_syntax_error(struct ctx *c, const yaml_parser_t *p, const char *buf,
                                size_t len)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem != NULL ? p->problem : "cannot parse";

    if (p->error == YAML_MEMORY_ERROR)
        problem = "out of memory";
    if (p->error == YAML_READER_ERROR)
        m = mark_at_offset(buf, len, p->problem_offset);
    if (p->context != NULL)
        ctx_error_at(c, &m, "", "syntax error: %s (%s)", problem, p->context);
    else
        ctx_error_at(c, &m, "", "syntax error: %s", problem);
}

/* Parse buf into *root (NULL for a stream with no document).  Returns 0,
 * or -1 after reporting why there is no tree to check. */
static int tree_build(struct ctx *c, const char *buf, size_t len, struct node **root)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct builder b;
    int rc = 0;

    *root = NULL;
    memset(&b, 0, sizeof(b));
    b.c = c;
    if (!yaml_parser_initialize(&parser)) {
        ctx_error_at(c, &parser.problem_mark, "", "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (rc == 0) {
        if (!yaml_parser_parse(&parser, &ev)) {
            report_syntax_error(c, &parser, buf, len);
            rc = -1;
            break;
        }
        rc = builder_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (rc < 0) {
        node_free(b.root);
        return -1;
    }
    *root = b.root;
    return 0;
}

/* ---- leaf values ------------------------------------------------------ */

/* YAML's null: "key:" with nothing, "~" or "null". */
static int is_null(const struct node *n)
{
    if (n->kind != NODE_SCALAR || !n->plain || n->anchored || n->tagged)
        return 0;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

/* Report what no value may be; 0 when n cannot be used at all. */
static int node_usable(struct ctx *c, const struct node *n, const char *path)
{
    if (n->kind == NODE_ALIAS) {
        ctx_error(c, n, path, "aliases are not supported");
        return 0;
    }
    if (n->anchored)
        ctx_error(c, n, path, "anchors and aliases are not supported");
    if (n->tagged)
        ctx_error(c, n, path, "tags are not supported");
    if (n->kind == NODE_SCALAR && n->has_nul) {
        ctx_error(c, n, path, "must not contain a NUL character");
        return 0;
    }
    return 1;
}

/* Check a subtree nobody will decode (under an unknown key) for what the
 * loader rejects everywhere. */
static void lint_subtree(struct ctx *c, const struct node *n, const char *path)
{
    size_t i;

    if (ctx_full(c))
        return;
    if (!node_usable(c, n, path))
        return;
    for (i = 0; i < n->n; i++)
        lint_subtree(c, n->items[i], path);
}

/*
 * The scalar of a leaf value, or NULL (reported) when n is not a usable
 * scalar.  Every leaf the decoder looks at passes through here with its
 * key path (a range element as "path[i]"): this is the one place to record
 * (path, line, column, start.index, end.index) when the TUI comes to edit
 * values in place.
 */
static const struct node *leaf(struct ctx *c, const struct node *n, const char *path,
                               const char *expected)
{
    if (!node_usable(c, n, path))
        return NULL;
    if (n->kind != NODE_SCALAR) {
        ctx_error(c, n, path, "expected %s", expected);
        return NULL;
    }
    return n;
}

/*
 * A whole string as a finite number with strtod: digits, sign, point and
 * exponent only, so hex, "nan", "inf" and "1_000" are refused.  The point
 * is always '.', whatever LC_NUMERIC the TUI's setlocale chose.
 */
static int parse_number(const char *s, double *out)
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
    if (end == tmp || *end != '\0' || !isfinite(v))
        return -1;
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

/* "1.5h", "4GiB": digits, an optional fraction, then one unit, no spaces. */
static int parse_with_unit(const char *s, const struct unit *units, double *out)
{
    char num[NUMBER_MAX_LEN + 1];
    const char *p = s, *q;
    size_t len;
    double v;

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
    if (parse_number(num, &v) < 0)
        return -1;
    for (; units->name != NULL; units++) {
        if (strcmp(p, units->name) == 0) {
            *out = v * units->factor;
            return isfinite(*out) ? 0 : -1;
        }
    }
    return -1;
}

enum bound {
    B_ANY,
    B_NONNEG,       /* >= 0 */
    B_POS,          /* > 0 */
    B_ONE_UP,       /* >= 1 */
    B_UNIT,         /* 0..1 */
    B_PERCENT,      /* 0..100 */
    B_HORIZON       /* 1..240 months */
};

static int bound_check(struct ctx *c, const struct node *n, const char *path, enum bound b,
                       double v)
{
    const char *msg = NULL;

    switch (b) {
    case B_ANY:
        break;
    case B_NONNEG:
        if (v < 0)
            msg = "must not be negative";
        break;
    case B_POS:
        if (v <= 0)
            msg = "must be greater than 0";
        break;
    case B_ONE_UP:
        if (v < 1)
            msg = "must be at least 1";
        break;
    case B_UNIT:
        if (v < 0 || v > 1)
            msg = "must be between 0 and 1";
        break;
    case B_PERCENT:
        if (v < 0 || v > 100)
            msg = "must be between 0 and 100";
        break;
    case B_HORIZON:
        if (v < 1 || v > 240)
            msg = "must be between 1 and 240";
        break;
    }
    if (msg == NULL)
        return 0;
    ctx_error(c, n, path, "%s", msg);
    return -1;
}

/* A plain (unquoted) number: a quoted "12" is a string. */
static int decode_number(struct ctx *c, const struct node *n, const char *path, double *out)
{
    const struct node *s = leaf(c, n, path, "a number");

    if (s == NULL)
        return -1;
    if (!s->plain || parse_number(s->text, out) < 0) {
        ctx_error(c, s, path, "expected a number");
        return -1;
    }
    return 0;
}

#define SIZE_EXPECTED "a size like 512MiB or 4GiB, or a number of bytes"

static int decode_size(struct ctx *c, const struct node *n, const char *path, double *out)
{
    const struct node *s = leaf(c, n, path, SIZE_EXPECTED);

    if (s == NULL)
        return -1;
    if (s->plain && parse_number(s->text, out) == 0)
        return 0;
    if (parse_with_unit(s->text, size_units, out) == 0)
        return 0;
    ctx_error(c, s, path, "expected " SIZE_EXPECTED);
    return -1;
}

#define DURATION_EXPECTED "a duration like 30s, 5m, 30d"

static int decode_duration(struct ctx *c, const struct node *n, const char *path, double *out)
{
    const struct node *s = leaf(c, n, path, DURATION_EXPECTED);
    double v;

    if (s == NULL)
        return -1;
    if (!(s->plain && parse_number(s->text, &v) == 0) &&
        parse_with_unit(s->text, duration_units, &v) < 0) {
        ctx_error(c, s, path, "expected " DURATION_EXPECTED);
        return -1;
    }
    if (bound_check(c, s, path, B_POS, v) < 0)
        return -1;
    *out = v;
    return 0;
}

static int decode_count(struct ctx *c, const struct node *n, const char *path, enum bound b,
                        int *out)
{
    double v;

    if (decode_number(c, n, path, &v) < 0)
        return -1;
    if (v != floor(v)) {
        ctx_error(c, n, path, "expected a whole number");
        return -1;
    }
    if (v < 0) {
        ctx_error(c, n, path, "must not be negative");
        return -1;
    }
    if (bound_check(c, n, path, b, v) < 0)
        return -1;
    if (v > INT_MAX) {
        ctx_error(c, n, path, "is too large");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* A number (or size) or [low, likely, high]; *out is written only when the
 * whole value is valid.  Returns 0 then, else -1. */
static int decode_range(struct ctx *c, const struct node *n, const char *path, enum bound b,
                        int is_size, struct range *out)
{
    char ep[PATH_LEN];
    double v[3];
    int ok = 1;
    size_t i;

    if (n->kind == NODE_SCALAR || n->kind == NODE_ALIAS) {
        if ((is_size ? decode_size(c, n, path, &v[0]) : decode_number(c, n, path, &v[0])) < 0)
            return -1;
        if (bound_check(c, n, path, b, v[0]) < 0)
            return -1;
        *out = range_point(v[0]);
        return 0;
    }
    if (!node_usable(c, n, path))
        return -1;
    if (n->kind != NODE_SEQ) {
        ctx_error(c, n, path, "expected a number or a range [low, likely, high]");
        return -1;
    }
    if (n->n != 3) {
        ctx_error(c, n, path, "expected a range [low, likely, high] (got %zu values)", n->n);
        return -1;
    }
    for (i = 0; i < 3; i++) {
        const struct node *e = n->items[i];
        int r;

        path_index(ep, path, i);
        r = is_size ? decode_size(c, e, ep, &v[i]) : decode_number(c, e, ep, &v[i]);
        if (r < 0 || bound_check(c, e, ep, b, v[i]) < 0)
            ok = 0;
    }
    if (!ok)
        return -1;
    if (v[0] > v[1]) {
        ctx_error(c, n, path, "low (%g) is greater than likely (%g)", v[0], v[1]);
        return -1;
    }
    if (v[1] > v[2]) {
        ctx_error(c, n, path, "likely (%g) is greater than high (%g)", v[1], v[2]);
        return -1;
    }
    *out = range_make(v[0], v[1], v[2]);
    return 0;
}

static int decode_bool(struct ctx *c, const struct node *n, const char *path, int *out)
{
    const struct node *s = leaf(c, n, path, "true or false");
    static const char *const yes[] = { "true", "True", "TRUE" };
    static const char *const no[] = { "false", "False", "FALSE" };
    size_t i;

    if (s == NULL)
        return -1;
    for (i = 0; s->plain && i < 3; i++) {
        if (strcmp(s->text, yes[i]) == 0 || strcmp(s->text, no[i]) == 0) {
            *out = strcmp(s->text, yes[i]) == 0;
            return 0;
        }
    }
    ctx_error(c, s, path, "expected true or false");
    return -1;
}

/* The text of a string value (not null), or NULL when reported. */
static const char *decode_string(struct ctx *c, const struct node *n, const char *path)
{
    const struct node *s = leaf(c, n, path, "a string");

    if (s == NULL)
        return NULL;
    if (is_null(s)) {
        ctx_error(c, s, path, "expected a string");
        return NULL;
    }
    return s->text;
}

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
static const char *suggest(const char *word, const char *const *cands, size_t n)
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

static void join_names(char *dst, size_t len, const char *const *names, size_t n)
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

/* One word of names[]; *out is its index. */
static int decode_enum(struct ctx *c, const struct node *n, const char *path, const char *what,
                       const char *const *names, size_t count, int *out)
{
    char list[MSG_LEN / 2], expected[MSG_LEN / 2 + 16], q[QUOTE_LEN];
    const struct node *s;
    const char *hint;
    size_t i;

    join_names(list, sizeof(list), names, count);
    snprintf(expected, sizeof(expected), "one of: %s", list);
    s = leaf(c, n, path, expected);
    if (s == NULL)
        return -1;
    for (i = 0; i < count; i++) {
        if (strcmp(names[i], s->text) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    quote(q, sizeof(q), s->text);
    hint = ctx_full(c) ? NULL : suggest(s->text, names, count);
    if (hint != NULL)
        ctx_error(c, s, path, "unknown %s '%s' (did you mean '%s'?)", what, q, hint);
    else
        ctx_error(c, s, path, "unknown %s '%s' (expected one of: %s)", what, q, list);
    return -1;
}

/* ---- maps and the schema tables --------------------------------------- */

typedef void (*decode_fn)(struct ctx *c, const struct node *n, const char *path, void *base);

enum field_kind {
    FK_NUMBER,      /* double */
    FK_RANGE,       /* struct range */
    FK_SIZE,        /* struct range, bytes */
    FK_COUNT,       /* int */
    FK_DURATION,    /* double, seconds, > 0 */
    FK_BOOL,        /* int */
    FK_STRING,      /* char *, owned */
    FK_MAP,         /* a nested map: sub is its table, offset its base */
    FK_CUSTOM       /* decode(c, node, path, base) */
};

struct field {
    const char *key;
    enum field_kind kind;
    enum bound bound;
    size_t offset;              /* of the value (FK_MAP: of the nested base) */
    const struct field *sub;
    decode_fn decode;
};

#define FIELD(k, fk, b, type, member) \
    { .key = (k), .kind = (fk), .bound = (b), .offset = offsetof(type, member) }
#define FIELD_MAP(k, off, table) \
    { .key = (k), .kind = FK_MAP, .offset = (off), .sub = (table) }
#define FIELD_FN(k, fn) { .key = (k), .kind = FK_CUSTOM, .decode = (fn) }
#define FIELD_END { .key = NULL }

static void decode_map(struct ctx *c, const struct node *n, const char *path,
                       const struct field *fields, void *base);

/* 1 when n is a map to walk; a null value is an empty map, silently. */
static int expect_map(struct ctx *c, const struct node *n, const char *path)
{
    if (is_null(n))
        return 0;
    if (!node_usable(c, n, path))
        return 0;
    if (n->kind != NODE_MAP) {
        ctx_error(c, n, path, "expected a map");
        return 0;
    }
    return 1;
}

/* Check a map key and fill kp with its path; 0 when the pair is skipped. */
static int map_key(struct ctx *c, const struct node *key, const char *parent, char *kp)
{
    char q[QUOTE_LEN];

    if (!node_usable(c, key, parent))
        return 0;
    if (key->kind != NODE_SCALAR) {
        ctx_error(c, key, parent, "keys must be plain names, not a map or a list");
        return 0;
    }
    path_key(kp, parent, key->text);
    if (key->dup_of != NULL) {
        ctx_error(c, key, kp, "duplicate key '%s' (first at line %zu)",
                  quote(q, sizeof(q), key->text), key->dup_of->start.line + 1);
        return 0;
    }
    return 1;
}

/* The value of the first key named `key` in map n, or NULL. */
static const struct node *map_find(const struct node *n, const char *key)
{
    size_t i;

    if (n->kind != NODE_MAP)
        return NULL;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct node *k = n->items[i];

        if (k->kind == NODE_SCALAR && !k->has_nul && k->dup_of == NULL &&
            strcmp(k->text, key) == 0)
            return n->items[i + 1];
    }
    return NULL;
}

static void report_unknown_key(struct ctx *c, const struct node *key, const char *kp,
                               const struct field *fields)
{
    const char *names[64];
    const char *hint = NULL;
    size_t n = 0;

    if (!ctx_full(c)) {
        for (; fields->key != NULL && n < 64; fields++)
            names[n++] = fields->key;
        hint = suggest(key->text, names, n);
    }
    if (hint != NULL)
        ctx_error(c, key, kp, "unknown key (did you mean '%s'?)", hint);
    else
        ctx_error(c, key, kp, "unknown key");
}

static void decode_field(struct ctx *c, const struct field *f, const struct node *n,
                         const char *path, void *base)
{
    void *p = (char *)base + f->offset;
    const char *s;
    double v;
    int i;

    switch (f->kind) {
    case FK_NUMBER:
        if (decode_number(c, n, path, &v) == 0 && bound_check(c, n, path, f->bound, v) == 0)
            *(double *)p = v;
        break;
    case FK_RANGE:
        decode_range(c, n, path, f->bound, 0, p);
        break;
    case FK_SIZE:
        decode_range(c, n, path, f->bound, 1, p);
        break;
    case FK_COUNT:
        decode_count(c, n, path, f->bound, p);
        break;
    case FK_DURATION:
        if (decode_duration(c, n, path, &v) == 0)
            *(double *)p = v;
        break;
    case FK_BOOL:
        if (decode_bool(c, n, path, &i) == 0)
            *(int *)p = i;
        break;
    case FK_STRING:
        s = decode_string(c, n, path);
        if (s != NULL) {
            free(*(char **)p);
            *(char **)p = xstrdup(s);
        }
        break;
    case FK_MAP:
        decode_map(c, n, path, f->sub, p);
        break;
    case FK_CUSTOM:
        f->decode(c, n, path, base);
        break;
    }
}

static void decode_map(struct ctx *c, const struct node *n, const char *path,
                       const struct field *fields, void *base)
{
    char kp[PATH_LEN];
    size_t i;

    if (!expect_map(c, n, path))
        return;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct node *key = n->items[i], *val = n->items[i + 1];
        const struct field *f;

        if (!map_key(c, key, path, kp))
            continue;
        for (f = fields; f->key != NULL; f++)
            if (strcmp(f->key, key->text) == 0)
                break;
        if (f->key == NULL) {
            report_unknown_key(c, key, kp, fields);
            lint_subtree(c, val, kp);
            continue;
        }
        decode_field(c, f, val, kp, base);
    }
}

/* ---- custom values ---------------------------------------------------- */

static void decode_version(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct assumptions *a = base;
    double v;

    if (decode_number(c, n, path, &v) < 0)
        return;
    if (v != 1) {
        ctx_error(c, n, path, "unsupported version %g (only 1 is supported)", v);
        return;
    }
    a->version = 1;
}

static void decode_url(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct prometheus_settings *p = base;
    const char *s = decode_string(c, n, path);

    if (s == NULL)
        return;
    if (!(strncasecmp(s, "http://", 7) == 0 && s[7] != '\0') &&
        !(strncasecmp(s, "https://", 8) == 0 && s[8] != '\0')) {
        ctx_error(c, n, path, "must start with http:// or https://");
        return;
    }
    free(p->url);
    p->url = xstrdup(s);
}

/* RFC 9110 token characters. */
static int header_name_ok(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || strchr("!#$%&'*+-.^_`|~", ch) != NULL))
            return 0;
    }
    return 1;
}

static void decode_headers(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct prometheus_settings *p = base;
    char kp[PATH_LEN];
    size_t i;

    if (!expect_map(c, n, path))
        return;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct node *key = n->items[i];
        const char *value;

        if (!map_key(c, key, path, kp))
            continue;
        if (!header_name_ok(key->text)) {
            ctx_error(c, key, kp, "invalid header name");
            continue;
        }
        value = decode_string(c, n->items[i + 1], kp);
        if (value == NULL)
            continue;
        if (strpbrk(value, "\r\n") != NULL) {
            ctx_error(c, n->items[i + 1], kp, "must not contain a line break");
            continue;
        }
        p->headers = xrealloc(p->headers, (p->n_headers + 1) * sizeof(*p->headers));
        p->headers[p->n_headers].name = xstrdup(key->text);
        p->headers[p->n_headers].value = xstrdup(value);
        p->n_headers++;
    }
}

static void decode_compression(struct ctx *c, const struct node *n, const char *path,
                               void *base)
{
    /* in enum compression order */
    static const char *const names[] = { "auto", "on", "off" };
    struct prometheus_settings *p = base;
    int i;

    if (decode_enum(c, n, path, "compression", names, 3, &i) == 0)
        p->compression = (enum compression)i;
}

static void decode_currency(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct economics *e = base;
    const char *s = decode_string(c, n, path);
    size_t len;

    if (s == NULL)
        return;
    len = strlen(s);
    if (len >= sizeof(e->currency)) {
        ctx_error(c, n, path, "must be at most %zu bytes", sizeof(e->currency) - 1);
        return;
    }
    memcpy(e->currency, s, len + 1);
}

static const struct field threshold_fields[] = {
    FIELD("migrate_score", FK_NUMBER, B_PERCENT, struct thresholds, migrate_score),
    FIELD("consider_score", FK_NUMBER, B_PERCENT, struct thresholds, consider_score),
    FIELD("migrate_probability", FK_NUMBER, B_UNIT, struct thresholds, migrate_probability),
    FIELD("io_bound_share", FK_NUMBER, B_UNIT, struct thresholds, io_bound_share),
    FIELD("weekly_changes", FK_NUMBER, B_NONNEG, struct thresholds, weekly_changes),
    FIELD("min_hours", FK_NUMBER, B_NONNEG, struct thresholds, min_hours),
    FIELD("min_points", FK_NUMBER, B_NONNEG, struct thresholds, min_points),
    FIELD_END,
};

static void decode_thresholds(struct ctx *c, const struct node *n, const char *path,
                              void *base)
{
    struct thresholds *t = &((struct economics *)base)->thresholds;
    const struct node *at;
    char kp[PATH_LEN];

    decode_map(c, n, path, threshold_fields, t);
    if (n->kind != NODE_MAP || t->consider_score <= t->migrate_score)
        return;
    at = map_find(n, "consider_score");
    path_key(kp, path, at != NULL ? "consider_score" : "migrate_score");
    if (at == NULL)
        at = map_find(n, "migrate_score");
    ctx_error(c, at != NULL ? at : n, kp, "consider_score (%g) is greater than "
              "migrate_score (%g)", t->consider_score, t->migrate_score);
}

static const struct field weight_fields[] = {
    { .key = "runtime_share", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_RUNTIME_SHARE]) },
    { .key = "tail_ratio", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_TAIL_RATIO]) },
    { .key = "cpu_utilisation", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_CPU_UTILISATION]) },
    { .key = "memory", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_MEMORY]) },
    { .key = "fleet_cost", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_FLEET_COST]) },
    { .key = "language", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_LANGUAGE]) },
    { .key = "workload", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_WORKLOAD]) },
    { .key = "team_experience", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_TEAM_EXPERIENCE]) },
    { .key = "change_rate", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_CHANGE_RATE]) },
    { .key = "criticality", .kind = FK_NUMBER, .bound = B_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_CRITICALITY]) },
    FIELD_END,
};

static void decode_weights(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct scoring *s = base;
    int i;

    decode_map(c, n, path, weight_fields, s);
    if (n->kind != NODE_MAP)
        return;
    for (i = 0; i < FACTOR_COUNT; i++)
        if (s->weights[i] != 0)
            return;
    ctx_error(c, n, path, "must not all be zero");
}

static const struct field language_fields[] = {
    FIELD("cpu_reduction", FK_RANGE, B_UNIT, struct language_profile, cpu_reduction),
    FIELD("memory_reduction", FK_RANGE, B_UNIT, struct language_profile, memory_reduction),
    FIELD("p99_reduction", FK_RANGE, B_UNIT, struct language_profile, p99_reduction),
    FIELD("dynamic", FK_BOOL, B_ANY, struct language_profile, dynamic),
    FIELD_END,
};

/* A known name overrides that built-in profile key by key; a new name adds
 * a profile that starts from zero reductions. */
static void decode_languages(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct assumptions *a = base;
    char kp[PATH_LEN];
    size_t i, j;

    if (!expect_map(c, n, path))
        return;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct node *key = n->items[i];
        struct language_profile *l = NULL;

        if (!map_key(c, key, path, kp))
            continue;
        if (key->len == 0 || key->len >= LANGUAGE_NAME_MAX) {
            ctx_error(c, key, kp, "a language name must be 1 to %d bytes long",
                      LANGUAGE_NAME_MAX - 1);
            continue;
        }
        for (j = 0; j < a->n_languages; j++)
            if (strcmp(a->languages[j].name, key->text) == 0)
                l = &a->languages[j];
        if (l == NULL) {
            if (a->n_languages == ASSUMPTIONS_MAX_LANGUAGES) {
                ctx_error(c, key, kp, "too many languages (at most %d)",
                          ASSUMPTIONS_MAX_LANGUAGES);
                continue;
            }
            l = &a->languages[a->n_languages++];
            memset(l, 0, sizeof(*l));
            memcpy(l->name, key->text, key->len + 1);
        }
        decode_map(c, n->items[i + 1], kp, language_fields, l);
    }
}

/* ---- services --------------------------------------------------------- */

static struct svc_note *note_of(struct ctx *c, const struct service_spec *s)
{
    return &c->svc[s - c->a->services];
}

static void decode_service_name(struct ctx *c, const struct node *n, const char *path,
                                void *base)
{
    struct service_spec *s = base;
    const char *name = decode_string(c, n, path);

    if (name == NULL)
        return;
    if (name[0] == '\0') {
        ctx_error(c, n, path, "must not be empty");
        return;
    }
    s->name = xstrdup(name);
    note_of(c, s)->name = n;
}

static void decode_service_language(struct ctx *c, const struct node *n, const char *path,
                                    void *base)
{
    struct service_spec *s = base;
    const char *name = decode_string(c, n, path);
    size_t len;

    if (name == NULL)
        return;
    len = strlen(name);
    if (len == 0) {
        ctx_error(c, n, path, "must not be empty");
        return;
    }
    if (len < sizeof(s->language))
        memcpy(s->language, name, len + 1);
    note_of(c, s)->language = n;    /* checked once every language is known */
}

static void decode_workload(struct ctx *c, const struct node *n, const char *path, void *base)
{
    struct service_spec *s = base;
    const char *names[WORKLOAD_COUNT];
    int i;

    for (i = 0; i < WORKLOAD_COUNT; i++)
        names[i] = workload_name((enum workload)i);
    if (decode_enum(c, n, path, "workload", names, WORKLOAD_COUNT, &i) == 0)
        s->workload = (enum workload)i;
}

static void decode_criticality(struct ctx *c, const struct node *n, const char *path,
                               void *base)
{
    struct service_spec *s = base;
    const char *names[CRITICALITY_COUNT];
    int i;

    for (i = 0; i < CRITICALITY_COUNT; i++)
        names[i] = criticality_name((enum criticality)i);
    if (decode_enum(c, n, path, "criticality", names, CRITICALITY_COUNT, &i) == 0)
        s->criticality = (enum criticality)i;
}

static void decode_experience(struct ctx *c, const struct node *n, const char *path,
                              void *base)
{
    struct service_spec *s = base;
    const char *names[EXPERIENCE_COUNT];
    int i;

    for (i = 0; i < EXPERIENCE_COUNT; i++)
        names[i] = experience_name((enum experience)i);
    if (decode_enum(c, n, path, "experience", names, EXPERIENCE_COUNT, &i) == 0)
        s->experience = (enum experience)i;
}

static void decode_service_effort(struct ctx *c, const struct node *n, const char *path,
                                  void *base)
{
    struct service_spec *s = base;

    if (decode_range(c, n, path, B_POS, 0, &s->effort_engineer_months) == 0)
        s->has_effort = 1;
}

static const struct field team_fields[] = {
    FIELD("engineers", FK_COUNT, B_ONE_UP, struct service_spec, engineers),
    FIELD_FN("experience", decode_experience),
    FIELD_END,
};

static const struct field service_fields[] = {
    FIELD_FN("name", decode_service_name),
    FIELD_FN("language", decode_service_language),
    FIELD_FN("workload", decode_workload),
    FIELD_FN("criticality", decode_criticality),
    FIELD("instances", FK_RANGE, B_NONNEG, struct service_spec, instances),
    FIELD("min_instances", FK_RANGE, B_NONNEG, struct service_spec, min_instances),
    FIELD("cores_per_instance", FK_RANGE, B_POS, struct service_spec, cores_per_instance),
    FIELD("memory_per_instance", FK_SIZE, B_POS, struct service_spec,
          memory_per_instance_bytes),
    FIELD("cost_per_instance", FK_RANGE, B_NONNEG, struct service_spec, cost_per_instance),
    FIELD("incidents_per_month", FK_RANGE, B_NONNEG, struct service_spec,
          incidents_per_month),
    FIELD("cost_per_incident", FK_RANGE, B_NONNEG, struct service_spec, cost_per_incident),
    FIELD("incident_reduction", FK_RANGE, B_UNIT, struct service_spec, incident_reduction),
    FIELD("endpoints", FK_COUNT, B_ONE_UP, struct service_spec, endpoints),
    FIELD_MAP("team", 0, team_fields),
    FIELD("changes_per_month", FK_RANGE, B_NONNEG, struct service_spec, changes_per_month),
    FIELD_FN("effort_engineer_months", decode_service_effort),
    FIELD_END,
};

/* A name usable in key paths, or NULL: the same test decode_service_name
 * applies, without reporting (it reports when the key is decoded). */
static const char *peek_name(const struct node *map)
{
    const struct node *n = map_find(map, "name");

    if (n == NULL || n->kind != NODE_SCALAR || n->has_nul || is_null(n) || n->len == 0)
        return NULL;
    return n->text;
}

static void decode_service(struct ctx *c, const struct node *n, size_t index)
{
    struct assumptions *a = c->a;
    char path[PATH_LEN];
    const char *name;
    struct service_spec *s;

    path_index(path, "services", index);
    if (!node_usable(c, n, path))
        return;
    if (n->kind != NODE_MAP) {
        ctx_error(c, n, path, "expected a map (a service with at least a name)");
        return;
    }
    name = peek_name(n);
    if (name != NULL)
        path_name(path, "services", name);
    if (a->n_services == c->svc_cap) {
        c->svc_cap = c->svc_cap ? c->svc_cap * 2 : 8;
        a->services = xrealloc(a->services, c->svc_cap * sizeof(*a->services));
        c->svc = xrealloc(c->svc, c->svc_cap * sizeof(*c->svc));
    }
    s = &a->services[a->n_services];
    service_defaults(s);
    s->line = (int)(n->start.line + 1);
    memset(&c->svc[a->n_services], 0, sizeof(*c->svc));
    c->svc[a->n_services].index = index;
    a->n_services++;
    decode_map(c, n, path, service_fields, s);
    if (map_find(n, "name") == NULL)
        ctx_error(c, n, path, "missing required key 'name'");
}

static void decode_services(struct ctx *c, const struct node *n, const char *path,
                            void *base)
{
    size_t i;

    (void)base;
    if (is_null(n) || !node_usable(c, n, path))
        return;
    if (n->kind != NODE_SEQ) {
        ctx_error(c, n, path, "expected a list of services");
        return;
    }
    for (i = 0; i < n->n; i++)
        decode_service(c, n->items[i], i);
}

struct name_ref {
    const char *name;
    size_t i;
};

static int name_ref_cmp(const void *pa, const void *pb)
{
    const struct name_ref *a = pa, *b = pb;
    int d = strcmp(a->name, b->name);

    if (d != 0)
        return d;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Duplicate names and unknown languages, in service order, once the whole
 * document (and so every `languages` entry) has been read. */
static void check_services(struct ctx *c)
{
    const struct assumptions *a = c->a;
    struct name_ref *refs;
    size_t *first;
    size_t i, n = 0, g = 0;
    char path[PATH_LEN], kp[PATH_LEN], q[QUOTE_LEN], known[MSG_LEN / 2];
    const char *lang_names[ASSUMPTIONS_MAX_LANGUAGES];

    if (a->n_services == 0)
        return;
    refs = xmalloc(a->n_services * sizeof(*refs));
    first = xmalloc(a->n_services * sizeof(*first));
    for (i = 0; i < a->n_services; i++) {
        first[i] = i;
        if (a->services[i].name != NULL) {
            refs[n].name = a->services[i].name;
            refs[n].i = i;
            n++;
        }
    }
    qsort(refs, n, sizeof(*refs), name_ref_cmp);
    for (i = 1; i < n; i++) {
        if (strcmp(refs[g].name, refs[i].name) == 0)
            first[refs[i].i] = refs[g].i;
        else
            g = i;
    }
    for (i = 0; i < a->n_languages; i++)
        lang_names[i] = a->languages[i].name;
    join_names(known, sizeof(known), lang_names, a->n_languages);

    for (i = 0; i < a->n_services; i++) {
        const struct service_spec *s = &a->services[i];
        const struct svc_note *note = &c->svc[i];

        if (s->name != NULL)
            path_name(path, "services", s->name);
        else
            path_index(path, "services", note->index);
        if (first[i] != i) {
            path_key(kp, path, "name");
            ctx_error(c, note->name, kp, "duplicate service name '%s' (first at line %zu)",
                      quote(q, sizeof(q), s->name), c->svc[first[i]].name->start.line + 1);
        }
        if (note->language != NULL && assumptions_language(a, note->language->text) == NULL) {
            path_key(kp, path, "language");
            ctx_error(c, note->language, kp, "unknown language '%s' (known: %s)",
                      quote(q, sizeof(q), note->language->text), known);
        }
    }
    free(first);
    free(refs);
}

/* ---- the schema, top down --------------------------------------------- */

static const struct field basic_auth_fields[] = {
    FIELD("username", FK_STRING, B_ANY, struct prometheus_settings, basic_auth_username),
    FIELD("password_env", FK_STRING, B_ANY, struct prometheus_settings,
          basic_auth_password_env),
    FIELD("password_file", FK_STRING, B_ANY, struct prometheus_settings,
          basic_auth_password_file),
    FIELD_END,
};

static const struct field prometheus_fields[] = {
    FIELD_FN("url", decode_url),
    FIELD_FN("headers", decode_headers),
    FIELD("bearer_token_env", FK_STRING, B_ANY, struct prometheus_settings, bearer_token_env),
    FIELD("bearer_token_file", FK_STRING, B_ANY, struct prometheus_settings,
          bearer_token_file),
    FIELD_MAP("basic_auth", 0, basic_auth_fields),
    FIELD("ca_file", FK_STRING, B_ANY, struct prometheus_settings, ca_file),
    FIELD("insecure_skip_verify", FK_BOOL, B_ANY, struct prometheus_settings,
          insecure_skip_verify),
    FIELD_FN("compression", decode_compression),
    FIELD("timeout", FK_DURATION, B_POS, struct prometheus_settings, timeout_s),
    FIELD("range", FK_DURATION, B_POS, struct prometheus_settings, range_s),
    FIELD("step", FK_DURATION, B_POS, struct prometheus_settings, step_s),
    FIELD("concurrency", FK_COUNT, B_ONE_UP, struct prometheus_settings, concurrency),
    FIELD_END,
};

static const struct field query_fields[] = {
    FIELD("p99_latency_seconds", FK_STRING, B_ANY, struct assumptions,
          queries[SIGNAL_P99_LATENCY]),
    FIELD("p50_latency_seconds", FK_STRING, B_ANY, struct assumptions,
          queries[SIGNAL_P50_LATENCY]),
    FIELD("cpu_cores", FK_STRING, B_ANY, struct assumptions, queries[SIGNAL_CPU]),
    FIELD("memory_bytes", FK_STRING, B_ANY, struct assumptions, queries[SIGNAL_MEMORY]),
    FIELD("requests_per_second", FK_STRING, B_ANY, struct assumptions, queries[SIGNAL_RPS]),
    FIELD("gc_seconds", FK_STRING, B_ANY, struct assumptions, queries[SIGNAL_GC]),
    FIELD_END,
};

static const struct field discovery_fields[] = {
    FIELD("query", FK_STRING, B_ANY, struct assumptions, prometheus.discovery_query),
    FIELD("label", FK_STRING, B_ANY, struct assumptions, prometheus.discovery_label),
    FIELD_END,
};

static const struct field learning_fields[] = {
    FIELD("velocity_loss", FK_RANGE, B_UNIT, struct learning_curve, velocity_loss),
    FIELD("months", FK_RANGE, B_NONNEG, struct learning_curve, months),
    FIELD_END,
};

static const struct field learning_curve_fields[] = {
    FIELD_MAP("none", offsetof(struct economics, learning[EXPERIENCE_NONE]), learning_fields),
    FIELD_MAP("some", offsetof(struct economics, learning[EXPERIENCE_SOME]), learning_fields),
    FIELD_MAP("strong", offsetof(struct economics, learning[EXPERIENCE_STRONG]),
              learning_fields),
    FIELD("dynamic_language_extra_months", FK_RANGE, B_NONNEG, struct economics,
          dynamic_language_extra_months),
    FIELD_END,
};

static const struct field effort_fields[] = {
    FIELD("measure_weeks", FK_RANGE, B_NONNEG, struct effort_phases, measure_weeks),
    FIELD("scaffold_weeks", FK_RANGE, B_NONNEG, struct effort_phases, scaffold_weeks),
    FIELD("weeks_per_endpoint", FK_RANGE, B_NONNEG, struct effort_phases, weeks_per_endpoint),
    FIELD("cutover_weeks_per_endpoint", FK_RANGE, B_NONNEG, struct effort_phases,
          cutover_weeks_per_endpoint),
    FIELD("rollback_weeks", FK_RANGE, B_NONNEG, struct effort_phases, rollback_weeks),
    FIELD("cleanup_weeks", FK_RANGE, B_NONNEG, struct effort_phases, cleanup_weeks),
    FIELD_END,
};

static const struct field economics_fields[] = {
    FIELD("horizon_months", FK_COUNT, B_HORIZON, struct economics, horizon_months),
    FIELD("discount_rate", FK_RANGE, B_UNIT, struct economics, discount_rate),
    FIELD("cost_per_engineer_month", FK_RANGE, B_NONNEG, struct economics,
          cost_per_engineer_month),
    FIELD("productivity_gain", FK_RANGE, B_UNIT, struct economics, productivity_gain),
    FIELD_FN("currency", decode_currency),
    FIELD_MAP("learning_curve", 0, learning_curve_fields),
    FIELD_MAP("effort", offsetof(struct economics, effort), effort_fields),
    FIELD_FN("thresholds", decode_thresholds),
    FIELD_END,
};

static const struct field scoring_fields[] = {
    FIELD_FN("weights", decode_weights),
    FIELD_END,
};

static const struct field top_fields[] = {
    FIELD_FN("version", decode_version),
    FIELD_MAP("prometheus", offsetof(struct assumptions, prometheus), prometheus_fields),
    FIELD_MAP("queries", 0, query_fields),
    FIELD_MAP("discovery", 0, discovery_fields),
    FIELD_MAP("economics", offsetof(struct assumptions, economics), economics_fields),
    FIELD_MAP("scoring", offsetof(struct assumptions, scoring), scoring_fields),
    FIELD_FN("languages", decode_languages),
    FIELD_FN("services", decode_services),
    FIELD_END,
};

static void decode_document(struct ctx *c, const struct node *root)
{
    yaml_mark_t origin;

    memset(&origin, 0, sizeof(origin));
    if (root == NULL || is_null(root)) {
        ctx_error_at(c, &origin, "", "the file is empty (expected a map of settings)");
        return;
    }
    if (root->kind != NODE_MAP) {
        ctx_error_at(c, &origin, "", "expected a map of settings at the top level");
        return;
    }
    decode_map(c, root, "", top_fields, c->a);
    check_services(c);
}

/* ---- entry points ----------------------------------------------------- */

int config_load_buffer(const char *name, const char *buf, size_t len,
                       struct assumptions *out, struct config_diags *diags)
{
    struct ctx c;
    struct node *root = NULL;

    memset(&c, 0, sizeof(c));
    c.file = name != NULL ? name : "<input>";
    c.a = out;
    c.diags = diags;
    assumptions_defaults(out);
    if (buf == NULL)
        len = 0;
    if (tree_build(&c, buf != NULL ? buf : "", len, &root) == 0)
        decode_document(&c, root);
    node_free(root);
    free(c.svc);
    if (c.n_errors > CONFIG_MAX_ERRORS)
        diags_printf(diags, "... %zu more errors", c.n_errors - CONFIG_MAX_ERRORS);
    if (c.n_errors == 0)
        return 0;
    assumptions_done(out);
    return -1;
}

int config_load_file(const char *path, struct assumptions *out, struct config_diags *diags)
{
    size_t len = 0;
    char *buf = util_read_file(path, &len);
    int rc;

    if (buf == NULL) {
        diags_printf(diags, "%s: cannot read: %s", path, strerror(errno));
        memset(out, 0, sizeof(*out));
        return -1;
    }
    rc = config_load_buffer(path, buf, len, out, diags);
    free(buf);
    return rc;
}
