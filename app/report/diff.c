/* diff.c: `verdict diff`: what changed between two JSON reports, most important first. */
#include "verdict/diff.h"

#include <cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/hash.h"
#include "verdict/json_cjson.h"
#include "verdict/json_scan.h"
#include "verdict/json_tree.h"
#include "verdict/util.h"

#define DIFF_REPORT_SCHEMA "verdict.report/1"
#define DIFF_SCHEMA "verdict.diff/1"
#define DIFF_WIDTH 80       /* text output columns */
#define DIFF_KIND_COLS 12   /* the kind column in text output */
#define DIFF_CELL 512       /* one displayed value */

/* One leaf of a JSON object, path and value as cJSON prints them (the
 * reports are read with json_tree; cJSON only writes). */
struct diff_leaf {
    char *path;     /* "economics.discount_rate", owned */
    char *value;    /* "0.1", "[1, 2, 3]" as compact JSON, owned */
};

struct diff_leaves {
    struct diff_leaf *v;
    size_t n, cap;
};

struct diff_service {
    char *name;
    char *recommendation;
    double rank, score, npv, probability;
    double break_even;          /* month; NaN: never */
    struct diff_leaves inputs;
};

struct diff_report {
    const char *file;
    char *config, *data, *end;  /* from "source"; NULL when absent */
    char *currency;
    struct diff_leaves assumptions;
    struct diff_service *services;
    size_t n_services;
    size_t *index;              /* services by name: open addressing, SIZE_MAX empty */
    size_t index_cap;           /* a power of two, more than twice n_services; 0: none */
    double portfolio_npv;       /* NaN when absent */
};

/* In order of importance: the group of each kind is its sort key. */
enum diff_kind {
    DIFF_RECOMMENDATION, DIFF_ADDED, DIFF_REMOVED, DIFF_ASSUMPTION, DIFF_INPUT,
    DIFF_NPV, DIFF_PORTFOLIO_NPV, DIFF_RANK, DIFF_SCORE, DIFF_BREAK_EVEN, DIFF_PROBABILITY
};

static const struct {
    const char *name;   /* in text and JSON */
    int group;
} diff_kinds[] = {
    [DIFF_RECOMMENDATION] = { "recommendation", 0 },
    [DIFF_ADDED] = { "added", 1 },
    [DIFF_REMOVED] = { "removed", 1 },
    [DIFF_ASSUMPTION] = { "assumption", 2 },
    [DIFF_INPUT] = { "input", 2 },
    [DIFF_NPV] = { "npv", 3 },
    [DIFF_PORTFOLIO_NPV] = { "portfolio_npv", 3 },
    [DIFF_RANK] = { "rank", 4 },
    [DIFF_SCORE] = { "score", 5 },
    [DIFF_BREAK_EVEN] = { "break_even", 6 },
    [DIFF_PROBABILITY] = { "probability", 7 },
};

struct diff_change {
    enum diff_kind kind;
    char *subject;                  /* service name or assumption path, owned */
    const struct diff_service *o;   /* NULL for added and assumptions */
    const struct diff_service *n;   /* NULL for removed and assumptions */
    const struct diff_leaf *lo;     /* assumption or input; NULL when absent */
    const struct diff_leaf *ln;
    double weight;                  /* larger first within a group */
    size_t seq;                     /* then in the order found */
};

struct diff_changes {
    struct diff_change *v;
    size_t n, cap;
};

/* ---- decoding ----------------------------------------------------------- */

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        xoom();
    s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static void leaves_add(struct diff_leaves *l, char *path, char *value)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n].path = path;
    l->v[l->n].value = value;
    l->n++;
}

static void leaves_free(struct diff_leaves *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].value);
    }
    free(l->v);
}

/* cJSON allocates; running out is fatal in app/ like everywhere else. */
static cJSON *check(cJSON *j)
{
    if (j == NULL)
        xoom();
    return j;
}

/* Node j of t as a cJSON value, to print it as cJSON prints what it
 * parsed (JT_NUMBERS holds null as NaN). */
static cJSON *to_cjson(const struct jt *t, size_t j)
{
    const struct jt_node *nd = &t->node[j];
    cJSON *o;
    size_t c, k;

    switch (nd->kind) {
    case JT_NULL:
        return check(cJSON_CreateNull());
    case JT_FALSE:
        return check(cJSON_CreateFalse());
    case JT_TRUE:
        return check(cJSON_CreateTrue());
    case JT_NUMBER:
        return check(cJSON_CreateNumber(nd->num));
    case JT_STRING:
        return check(cJSON_CreateString(t->pool + nd->str));
    case JT_NUMBERS:
        o = check(cJSON_CreateArray());
        for (k = 0; k < nd->n; k++) {
            double v = t->num[nd->str + k];

            cJSON_AddItemToArray(o, check(isnan(v) ? cJSON_CreateNull()
                                                   : cJSON_CreateNumber(v)));
        }
        return o;
    case JT_OBJECT:
        o = check(cJSON_CreateObject());
        for (c = nd->child; c != JT_NONE; c = t->node[c].next)
            if (!cJSON_AddItemToObject(o, t->pool + t->node[c].key, to_cjson(t, c)))
                xoom();     /* the key's copy */
        return o;
    default:        /* JT_ARRAY (nothing is passed over below the top level) */
        o = check(cJSON_CreateArray());
        for (c = nd->child; c != JT_NONE; c = t->node[c].next)
            cJSON_AddItemToArray(o, to_cjson(t, c));
        return o;
    }
}

/* Every leaf under node j; arrays (ranges) are leaves, compared whole. */
static void flatten(struct diff_leaves *l, const struct jt *t, size_t j, const char *prefix)
{
    size_t c;
    cJSON *item;
    char *text;

    if (t->node[j].kind == JT_OBJECT && t->node[j].child != JT_NONE) {
        for (c = t->node[j].child; c != JT_NONE; c = t->node[c].next) {
            const char *key = t->pool + t->node[c].key;
            char *path = prefix[0] ? dup_printf("%s.%s", prefix, key) : xstrdup(key);

            flatten(l, t, c, path);
            free(path);
        }
        return;
    }
    item = to_cjson(t, j);
    text = cJSON_PrintUnformatted(item);
    cJSON_Delete(item);
    if (text == NULL)
        xoom();
    leaves_add(l, xstrdup(prefix), xstrdup(text));
    cJSON_free(text);
}

static const struct diff_leaf *leaves_find(const struct diff_leaves *l, const char *path)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->v[i].path, path) == 0)
            return &l->v[i];
    return NULL;
}

/* The first path that appears twice in l, or NULL.  A key repeated in an
 * object, or "a.b" beside "a": {"b": ...}, gives two leaves one path, and
 * the second would be compared with the first one's partner: a report
 * compared with itself would show changes.  verdict never writes either. */
static const char *leaves_repeated(const struct diff_leaves *l)
{
    size_t i, j;

    for (i = 1; i < l->n; i++)
        for (j = 0; j < i; j++)
            if (strcmp(l->v[i].path, l->v[j].path) == 0)
                return l->v[i].path;
    return NULL;
}

static void report_free(struct diff_report *r)
{
    size_t i;

    free(r->config);
    free(r->data);
    free(r->end);
    free(r->currency);
    leaves_free(&r->assumptions);
    free(r->index);
    for (i = 0; i < r->n_services; i++) {
        free(r->services[i].name);
        free(r->services[i].recommendation);
        leaves_free(&r->services[i].inputs);
    }
    free(r->services);
}

/* Kinds of node for need(). */
static int is_number(const struct jt *t, size_t j) { return t->node[j].kind == JT_NUMBER; }
static int is_string(const struct jt *t, size_t j) { return t->node[j].kind == JT_STRING; }
static int is_object(const struct jt *t, size_t j) { return t->node[j].kind == JT_OBJECT; }
static int is_array(const struct jt *t, size_t j)
{
    return t->node[j].kind == JT_ARRAY || t->node[j].kind == JT_NUMBERS ||
           t->node[j].kind == JT_ASIDE;
}
static int is_number_or_null(const struct jt *t, size_t j)
{
    return t->node[j].kind == JT_NUMBER || t->node[j].kind == JT_NULL;
}

/* The string member key of object o (JT_NONE: none), copied; else NULL. */
static char *opt_string(const struct jt *t, size_t o, const char *key)
{
    size_t s = jt_member(t, o, key);

    return s != JT_NONE && is_string(t, s) ? xstrdup(t->pool + t->node[s].str) : NULL;
}

/* A string node's text. */
static const char *str_of(const struct jt *t, size_t j)
{
    return t->pool + t->node[j].str;
}

/* The field key of o, of the wanted type; else JT_NONE and a message
 * naming the file and the place. */
static size_t need(const struct jt *t, size_t o, const char *key,
                   int (*is)(const struct jt *, size_t), const char *type, const char *file,
                   const char *place, char *err, size_t errlen)
{
    size_t v = jt_member(t, o, key);

    if (v == JT_NONE)
        util_errf(err, errlen, "%s: %s%smissing field \"%s\"", file, place,
                  place[0] ? ": " : "", key);
    else if (!is(t, v))
        util_errf(err, errlen, "%s: %s%s\"%s\" is not %s", file, place,
                  place[0] ? ": " : "", key, type);
    else
        return v;
    return JT_NONE;
}

/* A verdict report is a handful of levels deep. */
#define DIFF_MAX_DEPTH 32

/* Services, the one big array, are checked but not built: read one by one. */
static int aside_services(size_t level, const char *key)
{
    return level == 2 && strcmp(key, "services") == 0;
}

/*
 * The report as a tree in t (the caller calls jt_done), its root in *root:
 * 0, or -1 with err.  Strict (json_tree), with the messages verdict gave
 * when cJSON read the reports: a problem json_tree names (nesting, bytes,
 * escapes) at its byte; syntax errors and truncation where cJSON stops
 * (json_cjson_parse), or, when cJSON takes the text ("01"), at the strict stop.
 */
static int parse(struct jt *t, size_t *root, const char *file, const char *buf, size_t len,
                 char *err, size_t errlen)
{
    size_t off, line, col, bad = 0, i = 0;
    enum json_scan_status st;
    const char *dp = localeconv()->decimal_point;
    int bom;

    for (off = 0; off < len && strchr(" \t\r\n", buf[off]) != NULL && buf[off]; off++)
        ;
    if (off == len) {
        util_errf(err, errlen, "%s: empty file, not JSON", file);
        return -1;
    }
    t->max_depth = DIFF_MAX_DEPTH;
    t->aside = aside_services;
    t->dp = dp != NULL && dp[0] != '\0' ? dp : ".";
    bom = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0;
    i = bom ? 3 : 0;
    st = jt_value(t, buf, len, &i, 1, JT_NONE, root, &bad);
    if (st == JSON_SCAN_OK) {
        bad = json_scan_ws(buf, len, i);
        if (bad < len)
            st = JSON_SCAN_TRAILING;
    }
    if (st != JSON_SCAN_OK && st != JSON_SCAN_EOF && st != JSON_SCAN_SYNTAX) {
        json_scan_line_col(buf, bad, &line, &col);
        util_errf(err, errlen, "%s: not a verdict report: %s at line %zu, column %zu",
                  file, st == JSON_SCAN_DEEP ? "nested too deep" : json_scan_what(st),
                  line, col);
        return -1;
    }
    /* cJSON takes a byte-order mark only before two bytes or more */
    if (st == JSON_SCAN_OK && !(bom && len == 4))
        return 0;
    if (!json_cjson_parse(buf, len, &off)) {
        json_scan_line_col(buf, off, &line, &col);
        if (off + 1 >= len)
            util_errf(err, errlen, "%s: not JSON: unexpected end at line %zu, column %zu "
                      "(truncated?)", file, line, col);
        else
            util_errf(err, errlen, "%s: not JSON: syntax error at line %zu, column %zu",
                      file, line, col);
        return -1;
    }
    while (off < len && buf[off] != '\0' && strchr(" \t\r\n", buf[off]) != NULL)
        off++;
    if (off < len) {
        json_scan_line_col(buf, off, &line, &col);
        util_errf(err, errlen, "%s: not JSON: unexpected data after the end at line %zu, "
                  "column %zu", file, line, col);
        return -1;
    }
    /* cJSON took what the strict reading stopped at ("01", "1."), and
     * that never saw the rest: invalid UTF-8 or raw controls may follow */
    json_scan_line_col(buf, bad, &line, &col);
    util_errf(err, errlen, "%s: not JSON: syntax error at line %zu, column %zu", file,
              line, col);
    return -1;
}

static int decode_service(struct diff_service *s, const struct jt *t, size_t j, size_t i,
                          const char *file, char *err, size_t errlen)
{
    char place[64], nplace[128];
    size_t name, rank, score, rec, inputs, cost, npv, be, prob;
    const char *twice;

    snprintf(place, sizeof(place), "services[%zu]", i);
    if (!is_object(t, j)) {
        util_errf(err, errlen, "%s: %s is not an object", file, place);
        return -1;
    }
    name = need(t, j, "name", is_string, "a string", file, place, err, errlen);
    if (name == JT_NONE)
        return -1;
    snprintf(nplace, sizeof(nplace), "%s (%.40s)", place, str_of(t, name));
    util_sanitize(place, sizeof(place), nplace);
    rank = need(t, j, "rank", is_number, "a number", file, place, err, errlen);
    /* score, npv and probability are null for a service without figures
     * (recommendation unknown: no data, no numbers) */
    score = rank != JT_NONE ? need(t, j, "score", is_number_or_null, "a number or null", file, place,
                                   err, errlen) : JT_NONE;
    rec = score != JT_NONE ? need(t, j, "recommendation", is_string, "a string", file, place,
                                  err, errlen) : JT_NONE;
    inputs = rec != JT_NONE ? need(t, j, "inputs", is_object, "an object", file, place, err,
                                   errlen) : JT_NONE;
    cost = inputs != JT_NONE ? need(t, j, "cost", is_object, "an object", file, place, err,
                                    errlen) : JT_NONE;
    if (cost == JT_NONE)
        return -1;
    snprintf(nplace, sizeof(nplace), "%s: cost", place);
    npv = need(t, cost, "npv", is_number_or_null, "a number or null", file, nplace, err, errlen);
    be = npv != JT_NONE ? need(t, cost, "break_even_month", is_number_or_null, "a number or null",
                               file, nplace, err, errlen) : JT_NONE;
    prob = be != JT_NONE ? need(t, cost, "probability_positive", is_number_or_null, "a number or null",
                                file, nplace, err, errlen) : JT_NONE;
    if (prob == JT_NONE)
        return -1;
    flatten(&s->inputs, t, inputs, "");
    twice = leaves_repeated(&s->inputs);
    if (twice != NULL) {
        char clean[128];

        util_sanitize(clean, sizeof(clean), twice);
        util_errf(err, errlen, "%s: %s: inputs: \"%s\" appears twice", file, place, clean);
        return -1;
    }
    s->name = xstrdup(str_of(t, name));
    s->recommendation = xstrdup(str_of(t, rec));
    s->rank = t->node[rank].num;
    s->score = is_number(t, score) ? t->node[score].num : NAN;
    s->npv = is_number(t, npv) ? t->node[npv].num : NAN;
    /* NaN: never within the horizon; -1: no figure at all */
    s->break_even = is_number(t, be) ? t->node[be].num
                    : strcmp(s->recommendation, "unknown") == 0 ? -1 : NAN;
    s->probability = is_number(t, prob) ? t->node[prob].num : NAN;
    return 0;
}

/* The slot of name in r->index: where it is, or the empty slot where it
 * would go. */
static size_t index_slot(const struct diff_report *r, const char *name)
{
    size_t k = (size_t)hash_fnv1a_str(name) & (r->index_cap - 1);

    while (r->index[k] != SIZE_MAX && strcmp(r->services[r->index[k]].name, name) != 0)
        k = (k + 1) & (r->index_cap - 1);
    return k;
}

/* Add services[i] to the index (growing it): SIZE_MAX, or the index of
 * the service that has its name already. */
static size_t index_add(struct diff_report *r, size_t i)
{
    size_t k;

    if (2 * (i + 1) >= r->index_cap) {
        size_t j, old = r->index_cap;

        r->index_cap = old ? old * 2 : 64;
        free(r->index);
        r->index = xmalloc(r->index_cap * sizeof(*r->index));
        for (k = 0; k < r->index_cap; k++)
            r->index[k] = SIZE_MAX;
        for (j = 0; j < i; j++)
            r->index[index_slot(r, r->services[j].name)] = j;
    }
    k = index_slot(r, r->services[i].name);
    if (r->index[k] != SIZE_MAX)
        return r->index[k];
    r->index[k] = i;
    return SIZE_MAX;
}

/*
 * The services, one at a time from the text of the array set aside
 * (svcs): each element becomes a small tree of its own in st, reused, so
 * a report of 10,000 services never is one tree.  0, or -1 with err.
 */
static int decode_services(struct diff_report *r, struct jt *st, const struct jt_node *svcs,
                           const char *buf, char *err, size_t errlen)
{
    size_t i = svcs->at + 1, n = 0, cap = 0, j, at;

    for (;;) {
        i = json_scan_ws(buf, svcs->end + 1, i);
        if (buf[i] == ',')
            i = json_scan_ws(buf, svcs->end + 1, i + 1);
        if (i >= svcs->end)
            return 0;
        jt_reset(st);
        /* checked already, as part of the report: it cannot fail here */
        if (jt_value(st, buf, svcs->end, &i, 3, JT_NONE, &j, &at) != JSON_SCAN_OK) {
            util_errf(err, errlen, "%s: services[%zu]: cannot be read", r->file, n);
            return -1;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            r->services = xrealloc(r->services, cap * sizeof(*r->services));
        }
        memset(&r->services[n], 0, sizeof(r->services[n]));
        if (decode_service(&r->services[n], st, j, n, r->file, err, errlen) != 0) {
            leaves_free(&r->services[n].inputs);
            return -1;
        }
        r->n_services = ++n;
        if (index_add(r, n - 1) != SIZE_MAX) {
            char clean[128];

            util_sanitize(clean, sizeof(clean), r->services[n - 1].name);
            util_errf(err, errlen, "%s: services[%zu]: duplicate service name \"%s\"",
                      r->file, n - 1, clean);
            return -1;
        }
    }
}

/* Decode one report into r (zeroed first).  Returns 0 or -1 with err. */
static int decode(struct diff_report *r, const char *file, const char *buf, size_t len,
                  char *err, size_t errlen)
{
    size_t root, schema, as, svcs, src, ec, p;
    struct jt t, st;
    const char *twice;
    int rc = -1;

    memset(r, 0, sizeof(*r));
    memset(&t, 0, sizeof(t));
    memset(&st, 0, sizeof(st));
    r->file = file;
    r->portfolio_npv = NAN;
    if (parse(&t, &root, file, buf, len, err, errlen) != 0)
        goto out;
    if (!is_object(&t, root)) {
        util_errf(err, errlen, "%s: not a verdict report: the top level is not an object",
                  file);
        goto out;
    }
    schema = need(&t, root, "schema", is_string, "a string", file, "", err, errlen);
    if (schema == JT_NONE)
        goto out;
    if (strcmp(str_of(&t, schema), DIFF_REPORT_SCHEMA) != 0) {
        char clean[64];

        util_sanitize(clean, sizeof(clean), str_of(&t, schema));
        util_errf(err, errlen, "%s: schema is \"%s\", expected \"%s\"", file, clean,
                  DIFF_REPORT_SCHEMA);
        goto out;
    }
    as = need(&t, root, "assumptions", is_object, "an object", file, "", err, errlen);
    svcs = as != JT_NONE ? need(&t, root, "services", is_array, "an array", file, "", err,
                                errlen) : JT_NONE;
    if (svcs == JT_NONE)
        goto out;
    src = jt_member(&t, root, "source");
    r->config = opt_string(&t, src, "config");
    r->data = opt_string(&t, src, "data");
    r->end = opt_string(&t, src, "end");
    ec = jt_member(&t, as, "economics");
    r->currency = opt_string(&t, ec, "currency");
    p = jt_member(&t, jt_member(&t, root, "portfolio"), "npv");
    if (p != JT_NONE && is_number(&t, p))
        r->portfolio_npv = t.node[p].num;
    flatten(&r->assumptions, &t, as, "");
    twice = leaves_repeated(&r->assumptions);
    if (twice != NULL) {
        char clean[128];

        util_sanitize(clean, sizeof(clean), twice);
        util_errf(err, errlen, "%s: assumptions: \"%s\" appears twice", file, clean);
        goto out;
    }
    st.max_depth = DIFF_MAX_DEPTH;
    st.dp = t.dp;
    /* an array at the top level is always set aside (aside_services) */
    if (t.node[svcs].kind == JT_ASIDE &&
        decode_services(r, &st, &t.node[svcs], buf, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    jt_done(&t);
    jt_done(&st);
    if (rc != 0)
        report_free(r);
    return rc;
}

/* ---- comparing ---------------------------------------------------------- */

static struct diff_change *add_change(struct diff_changes *cs, enum diff_kind kind,
                                      char *subject, double weight)
{
    struct diff_change *c;

    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 32;
        cs->v = xrealloc(cs->v, cs->cap * sizeof(*cs->v));
    }
    c = &cs->v[cs->n];
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->subject = subject;
    c->weight = weight;
    c->seq = cs->n++;
    return c;
}

/* The service named name (names are unique: decode refuses a repeat). */
static const struct diff_service *find_service(const struct diff_report *r, const char *name)
{
    size_t k;

    if (r->index_cap == 0)
        return NULL;
    k = index_slot(r, name);
    return r->index[k] != SIZE_MAX ? &r->services[r->index[k]] : NULL;
}

/* Leaves that differ, in old order then the new ones; svc for inputs. */
static void diff_leaves(struct diff_changes *cs, enum diff_kind kind,
                        const struct diff_service *svc, const struct diff_leaves *a,
                        const struct diff_leaves *b)
{
    size_t i;

    for (i = 0; i < a->n + b->n; i++) {
        const struct diff_leaf *lo, *ln;
        struct diff_change *c;

        if (i < a->n) {
            lo = &a->v[i];
            ln = leaves_find(b, lo->path);
            if (ln != NULL && strcmp(lo->value, ln->value) == 0)
                continue;
        } else {
            ln = &b->v[i - a->n];
            lo = NULL;
            if (leaves_find(a, ln->path) != NULL)
                continue;
        }
        c = add_change(cs, kind, svc ? dup_printf("services[%s].%s", svc->name,
                                                  (lo ? lo : ln)->path)
                                     : xstrdup((lo ? lo : ln)->path), 0);
        c->n = svc;
        c->lo = lo;
        c->ln = ln;
    }
}

/* Numbers as displayed, so a change below the displayed precision is none. */
static char *show(char *buf, size_t len, enum diff_kind k, double v, const char *cur)
{
    switch (k) {
    case DIFF_NPV:
    case DIFF_PORTFOLIO_NPV:
        return fmt_money(buf, len, cur, v);
    case DIFF_SCORE:
        if (isnan(v))
            snprintf(buf, len, "-");
        else
            snprintf(buf, len, "%.1f", v);
        return buf;
    case DIFF_PROBABILITY:
        return fmt_percent(buf, len, v, 1);
    case DIFF_BREAK_EVEN:
        if (v < 0)
            snprintf(buf, len, "-");
        else if (isnan(v))
            snprintf(buf, len, "never");
        else
            snprintf(buf, len, "month %.0f", v);
        return buf;
    default:
        snprintf(buf, len, "%.0f", v);
        return buf;
    }
}

/* Compared as shown but without the currency: it is the same on both
 * sides, and a long one (a report may say anything) would push the
 * digits out of the buffer, and a change out of sight. */
static void diff_number(struct diff_changes *cs, enum diff_kind k, const struct diff_service *o,
                        const struct diff_service *n, double a, double b)
{
    char sa[64], sb[64];
    struct diff_change *c;

    if (strcmp(show(sa, sizeof(sa), k, a, ""), show(sb, sizeof(sb), k, b, "")) == 0)
        return;
    c = add_change(cs, k, xstrdup(n->name), isnan(a) || isnan(b) ? INFINITY : fabs(b - a));
    c->o = o;
    c->n = n;
}

static int change_cmp(const void *pa, const void *pb)
{
    const struct diff_change *a = pa, *b = pb;
    int ga = diff_kinds[a->kind].group, gb = diff_kinds[b->kind].group;

    if (ga != gb)
        return ga < gb ? -1 : 1;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void compare(struct diff_changes *cs, const struct diff_report *ro,
                    const struct diff_report *rn)
{
    size_t i;

    for (i = 0; i < rn->n_services; i++) {
        const struct diff_service *n = &rn->services[i], *o = find_service(ro, n->name);

        if (o != NULL && strcmp(o->recommendation, n->recommendation) != 0) {
            struct diff_change *c = add_change(cs, DIFF_RECOMMENDATION, xstrdup(n->name), 0);

            c->o = o;
            c->n = n;
        } else if (o == NULL) {
            add_change(cs, DIFF_ADDED, xstrdup(n->name), 0)->n = n;
        }
    }
    for (i = 0; i < ro->n_services; i++)
        if (find_service(rn, ro->services[i].name) == NULL)
            add_change(cs, DIFF_REMOVED, xstrdup(ro->services[i].name), 0)->o =
                &ro->services[i];
    diff_leaves(cs, DIFF_ASSUMPTION, NULL, &ro->assumptions, &rn->assumptions);
    for (i = 0; i < rn->n_services; i++) {
        const struct diff_service *n = &rn->services[i], *o = find_service(ro, n->name);

        if (o != NULL)
            diff_leaves(cs, DIFF_INPUT, n, &o->inputs, &n->inputs);
    }
    for (i = 0; i < rn->n_services; i++) {
        const struct diff_service *n = &rn->services[i], *o = find_service(ro, n->name);

        if (o == NULL)
            continue;
        diff_number(cs, DIFF_NPV, o, n, o->npv, n->npv);
        diff_number(cs, DIFF_RANK, o, n, o->rank, n->rank);
        diff_number(cs, DIFF_SCORE, o, n, o->score, n->score);
        diff_number(cs, DIFF_BREAK_EVEN, o, n, o->break_even, n->break_even);
        diff_number(cs, DIFF_PROBABILITY, o, n, o->probability, n->probability);
    }
    if (!isnan(ro->portfolio_npv) && !isnan(rn->portfolio_npv)) {
        char sa[64], sb[64];

        if (strcmp(fmt_money(sa, sizeof(sa), "", ro->portfolio_npv),
                   fmt_money(sb, sizeof(sb), "", rn->portfolio_npv)) != 0)
            add_change(cs, DIFF_PORTFOLIO_NPV, xstrdup("recommended set"),
                       fabs(rn->portfolio_npv - ro->portfolio_npv));
    }
    if (cs->n > 0)
        qsort(cs->v, cs->n, sizeof(*cs->v), change_cmp);
}

/* ---- output ------------------------------------------------------------- */

struct diff_cells {
    char old[DIFF_CELL], new[DIFF_CELL], delta[96];
};

static double num_of(const struct diff_service *s, enum diff_kind k)
{
    switch (k) {
    case DIFF_NPV:
        return s->npv;
    case DIFF_RANK:
        return s->rank;
    case DIFF_SCORE:
        return s->score;
    case DIFF_BREAK_EVEN:
        return s->break_even;
    default:
        return s->probability;
    }
}

static void summary(char *buf, size_t len, const struct diff_service *s, const char *cur)
{
    char m[64];

    snprintf(buf, len, "rank %.0f, %s, NPV %s", s->rank, s->recommendation,
             fmt_money(m, sizeof(m), cur, s->npv));
}

/* The old value, the new and the change as display text (unsanitised). */
static void cells(struct diff_cells *x, const struct diff_change *c,
                  const struct diff_report *ro, const struct diff_report *rn, const char *cur)
{
    char m[64];
    double a, b, d;

    x->old[0] = x->new[0] = x->delta[0] = '\0';
    switch (c->kind) {
    case DIFF_RECOMMENDATION:
        snprintf(x->old, sizeof(x->old), "%s", c->o->recommendation);
        snprintf(x->new, sizeof(x->new), "%s", c->n->recommendation);
        return;
    case DIFF_ADDED:
        summary(x->new, sizeof(x->new), c->n, cur);
        return;
    case DIFF_REMOVED:
        summary(x->old, sizeof(x->old), c->o, cur);
        return;
    case DIFF_ASSUMPTION:
    case DIFF_INPUT:
        snprintf(x->old, sizeof(x->old), "%s", c->lo ? c->lo->value : "(absent)");
        snprintf(x->new, sizeof(x->new), "%s", c->ln ? c->ln->value : "(absent)");
        return;
    case DIFF_PORTFOLIO_NPV:
        a = ro->portfolio_npv;
        b = rn->portfolio_npv;
        break;
    default:
        a = num_of(c->o, c->kind);
        b = num_of(c->n, c->kind);
        break;
    }
    show(x->old, sizeof(x->old), c->kind, a, cur);
    show(x->new, sizeof(x->new), c->kind, b, cur);
    d = b - a;
    if (isnan(d) || (c->kind == DIFF_BREAK_EVEN && (a < 0 || b < 0)))
        return;
    switch (c->kind) {
    case DIFF_NPV:
    case DIFF_PORTFOLIO_NPV:
        fmt_money(m, sizeof(m), cur, d);
        snprintf(x->delta, sizeof(x->delta), "%s%s", d > 0 ? "+" : "", m);
        break;
    case DIFF_RANK:
        snprintf(x->delta, sizeof(x->delta), "%s %.0f", d < 0 ? "up" : "down", fabs(d));
        break;
    case DIFF_SCORE:
        snprintf(x->delta, sizeof(x->delta), "%+.1f", d);
        break;
    case DIFF_PROBABILITY:
        snprintf(x->delta, sizeof(x->delta), "%+.1f points", d * 100);
        break;
    default:
        snprintf(x->delta, sizeof(x->delta), "%+.0f months", d);
        break;
    }
}

static const char *kind_label(enum diff_kind k)
{
    return k == DIFF_PORTFOLIO_NPV ? "portfolio" : k == DIFF_BREAK_EVEN ? "break-even"
         : k == DIFF_RECOMMENDATION ? "recommend" : k == DIFF_PROBABILITY ? "P(NPV>0)"
         : diff_kinds[k].name;
}

/* One report in the header: the file, then where its numbers came from. */
static void text_source(FILE *out, const char *label, const struct diff_report *r)
{
    char line[1024], fit[1024];

    snprintf(line, sizeof(line), "  %s: %s", label, r->file);
    fprintf(out, "%s\n", fmt_fit(fit, sizeof(fit), line, DIFF_WIDTH));
    snprintf(line, sizeof(line), "       data end %s, config %s", r->end ? r->end : "-",
             r->config ? r->config : "-");
    fprintf(out, "%s\n", fmt_fit(fit, sizeof(fit), line, DIFF_WIDTH));
}

/* "subject: old -> new (delta)" in 80 columns: the subject gives way
 * first, down to 20 columns, then the whole line is cut. */
static void text_change(FILE *out, const struct diff_change *c, const struct diff_cells *x)
{
    char vals[3 * DIFF_CELL], subj[DIFF_CELL], line[5 * DIFF_CELL], fit[DIFF_CELL];
    char co[DIFF_CELL], cn[DIFF_CELL];
    int room;

    util_sanitize(co, sizeof(co), x->old);
    util_sanitize(cn, sizeof(cn), x->new);
    if (x->old[0] == '\0')
        snprintf(vals, sizeof(vals), "%s", cn);
    else if (x->new[0] == '\0')
        snprintf(vals, sizeof(vals), "was %s", co);
    else
        snprintf(vals, sizeof(vals), "%s -> %s%s%s%s", co, cn, x->delta[0] ? " (" : "",
                 x->delta, x->delta[0] ? ")" : "");
    room = DIFF_WIDTH - DIFF_KIND_COLS - 2 - fmt_width(vals);
    fmt_fit(subj, sizeof(subj), c->subject, room < 20 ? 20 : room);
    snprintf(line, sizeof(line), "%-*s%s: %s", DIFF_KIND_COLS, kind_label(c->kind), subj,
             vals);
    fprintf(out, "%s\n", fmt_fit(fit, sizeof(fit), line, DIFF_WIDTH));
}

/* Markdown text: control characters replaced (as in the text output), then
 * escaped by the one Markdown escaper, < > & with a backslash. */
static void md_put(FILE *out, const char *s)
{
    char clean[DIFF_CELL * 2];

    util_sanitize(clean, sizeof(clean), s);
    fmt_md(out, clean, FMT_MD_BACKSLASH_HTML);
}

static void md_source(FILE *out, const char *label, const struct diff_report *r)
{
    fprintf(out, "- **%s:** ", label);
    md_put(out, r->file);
    fputs(" (config ", out);
    md_put(out, r->config ? r->config : "-");
    fputs(", data end ", out);
    md_put(out, r->end ? r->end : "-");
    fputs(")\n", out);
}

static void json_str(cJSON *o, const char *k, const char *v)
{
    if (v == NULL)
        check(cJSON_AddNullToObject(o, k));
    else
        check(cJSON_AddStringToObject(o, k, v));
}

static void json_num(cJSON *o, const char *k, double v)
{
    if (isnan(v))
        check(cJSON_AddNullToObject(o, k));
    else
        check(cJSON_AddNumberToObject(o, k, v));
}

static void json_source(cJSON *root, const char *k, const struct diff_report *r)
{
    cJSON *s = check(cJSON_AddObjectToObject(root, k));

    json_str(s, "file", r->file);
    json_str(s, "config", r->config);
    json_str(s, "data", r->data);
    json_str(s, "end", r->end);
    json_num(s, "services", (double)r->n_services);
    json_num(s, "portfolio_npv", r->portfolio_npv);
}

static void json_service(cJSON *o, const struct diff_service *s)
{
    json_num(o, "rank", s->rank);
    json_str(o, "recommendation", s->recommendation);
    json_num(o, "npv", s->npv);
}

static void json_change(cJSON *arr, const struct diff_change *c, const struct diff_report *ro,
                        const struct diff_report *rn)
{
    cJSON *o = check(cJSON_CreateObject());
    double a, b;

    cJSON_AddItemToArray(arr, o);
    json_str(o, "kind", diff_kinds[c->kind].name);
    switch (c->kind) {
    case DIFF_RECOMMENDATION:
        json_str(o, "service", c->subject);
        json_str(o, "old", c->o->recommendation);
        json_str(o, "new", c->n->recommendation);
        return;
    case DIFF_ADDED:
    case DIFF_REMOVED:
        json_str(o, "service", c->subject);
        json_service(o, c->n ? c->n : c->o);
        return;
    case DIFF_ASSUMPTION:
    case DIFF_INPUT:
        if (c->kind == DIFF_INPUT)
            json_str(o, "service", c->n->name);
        json_str(o, "path", (c->lo ? c->lo : c->ln)->path);
        /* absent on one side: the key is left out */
        if (c->lo)
            check(cJSON_AddRawToObject(o, "old", c->lo->value));
        if (c->ln)
            check(cJSON_AddRawToObject(o, "new", c->ln->value));
        return;
    case DIFF_PORTFOLIO_NPV:
        a = ro->portfolio_npv;
        b = rn->portfolio_npv;
        break;
    default:
        json_str(o, "service", c->subject);
        a = num_of(c->o, c->kind);
        b = num_of(c->n, c->kind);
        break;
    }
    json_num(o, "old", a);
    json_num(o, "new", b);
    json_num(o, "delta", b - a);
}

static int write_json(FILE *out, const struct diff_changes *cs, const struct diff_report *ro,
                      const struct diff_report *rn)
{
    cJSON *root = check(cJSON_CreateObject()), *arr;
    char *text;
    size_t i;
    int rc;

    json_str(root, "schema", DIFF_SCHEMA);
    json_source(root, "old", ro);
    json_source(root, "new", rn);
    arr = check(cJSON_AddArrayToObject(root, "changes"));
    for (i = 0; i < cs->n; i++)
        json_change(arr, &cs->v[i], ro, rn);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL)
        xoom();
    rc = util_fputs_json(text, out) != 0 || fputc('\n', out) == EOF ? -1 : 0;
    cJSON_free(text);
    return rc;
}

static void write_text(FILE *out, const struct diff_changes *cs, const struct diff_report *ro,
                       const struct diff_report *rn, const char *cur)
{
    struct diff_cells x;
    size_t i;

    fputs("VERDICT DIFF\n", out);
    text_source(out, "old", ro);
    text_source(out, "new", rn);
    fprintf(out, "  services: %zu -> %zu; %zu change%s\n\n", ro->n_services, rn->n_services,
            cs->n, cs->n == 1 ? "" : "s");
    if (cs->n == 0)
        fputs("no changes\n", out);
    for (i = 0; i < cs->n; i++) {
        cells(&x, &cs->v[i], ro, rn, cur);
        text_change(out, &cs->v[i], &x);
    }
}

static void write_md(FILE *out, const struct diff_changes *cs, const struct diff_report *ro,
                     const struct diff_report *rn, const char *cur)
{
    struct diff_cells x;
    size_t i;

    fputs("## verdict diff\n\n", out);
    md_source(out, "Old", ro);
    md_source(out, "New", rn);
    fprintf(out, "- **Services:** %zu -> %zu; %zu change%s\n\n", ro->n_services, rn->n_services,
            cs->n, cs->n == 1 ? "" : "s");
    if (cs->n == 0) {
        fputs("No changes.\n", out);
        return;
    }
    fputs("| Change | Subject | Old | New | Difference |\n|---|---|---|---|---|\n", out);
    for (i = 0; i < cs->n; i++) {
        cells(&x, &cs->v[i], ro, rn, cur);
        fprintf(out, "| %s | ", kind_label(cs->v[i].kind));
        md_put(out, cs->v[i].subject);
        fputs(" | ", out);
        md_put(out, x.old);
        fputs(" | ", out);
        md_put(out, x.new);
        fputs(" | ", out);
        md_put(out, x.delta);
        fputs(" |\n", out);
    }
}

int diff_reports(const char *old_name, const char *old_buf, size_t old_len,
                 const char *new_name, const char *new_buf, size_t new_len,
                 enum diff_format fmt, FILE *out, char *err, size_t errlen)
{
    struct diff_report ro, rn;
    struct diff_changes cs = { NULL, 0, 0 };
    char on[256], nn[256];
    const char *cur;
    size_t i;
    int rc;

    util_sanitize(on, sizeof(on), old_name);
    util_sanitize(nn, sizeof(nn), new_name);
    if (decode(&ro, on, old_buf, old_len, err, errlen) != 0)
        return -1;
    if (decode(&rn, nn, new_buf, new_len, err, errlen) != 0) {
        report_free(&ro);
        return -1;
    }
    cur = rn.currency ? rn.currency : ro.currency ? ro.currency : "";
    compare(&cs, &ro, &rn);
    rc = 0;
    if (fmt == DIFF_JSON)
        rc = write_json(out, &cs, &ro, &rn);
    else if (fmt == DIFF_MD)
        write_md(out, &cs, &ro, &rn, cur);
    else
        write_text(out, &cs, &ro, &rn, cur);
    if (rc != 0 || fflush(out) != 0 || ferror(out)) {
        util_errf(err, errlen, "writing the diff failed");
        rc = -1;
    }
    for (i = 0; i < cs.n; i++)
        free(cs.v[i].subject);
    free(cs.v);
    report_free(&ro);
    report_free(&rn);
    return rc;
}
