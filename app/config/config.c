/* config.c: the verdict.yaml schema: decode a YAML tree into struct assumptions, with messages. */
#include "verdict/config.h"

#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "verdict/assumption_table.h"
#include "verdict/assumptions.h"
#include "verdict/config_value.h"
#include "verdict/promql.h"
#include "verdict/util.h"
#include "verdict/yaml_tree.h"

/*
 * Two passes.  The first, yaml_tree_parse, builds the tree and stops only
 * for what makes the rest meaningless (a syntax error, too deep, a second
 * document).  The second walks the tree against the schema tables below,
 * which give each key its kind and bounds, and collects every error with
 * its key path, including what the tree only recorded (anchors, tags,
 * duplicate keys).  Checks that need the whole document (a service's
 * language may be defined in a `languages` map further down) run last.
 *
 * To add a key: an assumption (a key of a service, of a language or of
 * economics) is a row of the assumption table (models/assumption_table.c),
 * from which build_table() makes the loader's tables at each load; only a
 * key with checks beyond its kind and bounds needs a decoder here
 * (key_decoders).  Any other key is a row in the table of its map below (a
 * nested map is a FIELD_MAP row with its own table).  A new kind of value
 * gets a config_value_* function (config_value.c) and a case in
 * decode_field().
 *
 * Key paths ("services[api].team.engineers") are chains of struct
 * config_path on the stack, written out only for a message or an origin
 * outside a service: most files have no message at all.
 */

struct svc_note {
    const struct yaml_tree_node *name;      /* the accepted name scalar, or NULL */
    const struct yaml_tree_node *language;  /* the language scalar, or NULL */
    size_t index;                           /* position in the services sequence */
};

struct ctx;

typedef void (*decode_fn)(struct ctx *c, const struct yaml_tree_node *n,
                          const struct config_path *path, void *base);

enum field_kind {
    FK_NUMBER,      /* double */
    FK_RANGE,       /* struct range */
    FK_SIZE,        /* struct range, bytes */
    FK_COUNT,       /* int */
    FK_DURATION,    /* double, seconds, > 0 */
    FK_BYTES,       /* double, one size in bytes, > 0 */
    FK_BOOL,        /* int */
    FK_ENUM,        /* int-sized enum, spelt as row->names */
    FK_TEXT,        /* char[row->size] */
    FK_STRING,      /* char *, owned */
    FK_MAP,         /* a nested map: sub (or the schema's table) is its table,
                     * offset its base */
    FK_CUSTOM       /* decode(c, node, path, base) */
};

struct field {
    const char *key;
    enum field_kind kind;
    enum config_value_bound bound;
    size_t offset;              /* of the value (FK_MAP: of the nested base) */
    const struct field *sub;
    int schema;                 /* FK_MAP: 1 + the enum schema_table of its table */
    decode_fn decode;
    /* a row made from the assumption table: its row (FK_ENUM's names,
     * FK_TEXT's size, an optional value's given flag); NULL for the rest */
    const struct assumption_field *row;
    /* in a service's tables: 1 + the enum service_key whose key_line
     * records where the value was set (the key's path inside the service,
     * as service_key_parse reads it); 0 for none */
    int svc_key;
};

#define FIELD(k, fk, b, type, member) \
    { .key = (k), .kind = (fk), .bound = (b), .offset = offsetof(type, member) }
#define FIELD_MAP(k, off, table) \
    { .key = (k), .kind = FK_MAP, .offset = (off), .sub = (table) }
/* a nested map whose table is made from the assumption table */
#define FIELD_SCHEMA(k, off, t) { .key = (k), .kind = FK_MAP, .offset = (off), .schema = (t) + 1 }
#define FIELD_FN(k, fn) { .key = (k), .kind = FK_CUSTOM, .decode = (fn) }
#define FIELD_END { .key = NULL }

/* The loader's tables made from the assumption table (build_schema), the
 * maps' own and their nested maps' ("team", "effort"), in one pool. */
enum schema_table {
    SCHEMA_SERVICE,         /* a service: "name", then its keys */
    SCHEMA_LANGUAGE,        /* one entry of languages */
    SCHEMA_ECONOMICS,
    SCHEMA_THRESHOLDS,      /* economics.thresholds, for decode_thresholds */
    SCHEMA_COUNT
};

#define SCHEMA_POOL 128     /* rows: the table's, a row per group, an end per table */
#define SCHEMA_GROUPS 8
#define SCHEMA_GROUP_NAME 32

struct schema {
    struct field pool[SCHEMA_POOL];
    size_t n;
    char groups[SCHEMA_GROUPS][SCHEMA_GROUP_NAME];
    size_t n_groups;
    const struct field *learning;           /* a learning curve's table */
    const struct field *tables[SCHEMA_COUNT];
};

struct ctx {
    struct config_value_ctx v;      /* file name and diagnostics */
    struct assumptions *a;
    struct svc_note *svc;           /* parallel to a->services */
    size_t svc_cap;
    struct service_spec *cur_svc;   /* the service being decoded, or NULL */
    struct schema schema;
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

/* ---- maps and the schema tables --------------------------------------- */

/* Check a subtree nobody will decode (under an unknown key) for what the
 * loader rejects everywhere. */
static void lint_subtree(struct ctx *c, const struct yaml_tree_node *n,
                         const struct config_path *path)
{
    size_t i;

    if (config_value_full(&c->v))
        return;
    if (!config_value_usable(&c->v, n, path))
        return;
    for (i = 0; i < n->n; i++)
        lint_subtree(c, n->items[i], path);
}

static void decode_map(struct ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, const struct field *fields, void *base);

/* 1 when n is a map to walk; a null value is an empty map, silently. */
static int expect_map(struct ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path)
{
    if (yaml_tree_is_null(n))
        return 0;
    if (!config_value_usable(&c->v, n, path))
        return 0;
    if (n->kind != YAML_TREE_MAP) {
        config_value_error(&c->v, n, path, "expected a map");
        return 0;
    }
    return 1;
}

/* Check a map key and fill kp with its path; 0 when the pair is skipped. */
static int map_key(struct ctx *c, const struct yaml_tree_node *key,
                   const struct config_path *parent, struct config_path *kp)
{
    char q[CONFIG_VALUE_QUOTE_LEN];

    if (!config_value_usable(&c->v, key, parent))
        return 0;
    if (key->kind != YAML_TREE_SCALAR) {
        config_value_error(&c->v, key, parent, "keys must be plain names, not a map or a list");
        return 0;
    }
    kp->parent = parent;
    kp->kind = CONFIG_PATH_KEY;
    kp->text = key->text;
    kp->index = 0;
    if (key->dup_of != NULL) {
        config_value_error(&c->v, key, kp, "duplicate key '%s' (first at line %zu)",
                           config_value_quote(q, sizeof(q), key->text),
                           key->dup_of->start.line + 1);
        return 0;
    }
    return 1;
}

static void report_unknown_key(struct ctx *c, const struct yaml_tree_node *key,
                               const struct config_path *kp, const struct field *fields)
{
    const char *names[64];
    const char *hint = NULL;
    size_t n = 0;

    if (!config_value_full(&c->v)) {
        for (; fields->key != NULL && n < 64; fields++)
            names[n++] = fields->key;
        hint = config_value_suggest(key->text, names, n);
    }
    if (hint != NULL)
        config_value_error(&c->v, key, kp, "unknown key (did you mean '%s'?)", hint);
    else
        config_value_error(&c->v, key, kp, "unknown key");
}

/* Record that the value of field f at path came from the file, at n's
 * line; a service's own keys go to its key_line (no search, no path: the
 * service is cur_svc, the key f->svc_key). */
static void note_origin(struct ctx *c, const struct field *f, const struct config_path *path,
                        const struct yaml_tree_node *n)
{
    char kp[CONFIG_VALUE_PATH_LEN];
    int line = (int)n->start.line + 1;

    if (c->cur_svc != NULL) {
        if (f->svc_key > 0)
            c->cur_svc->key_line[f->svc_key - 1] = line;
        return;
    }
    config_value_path_write(kp, path);
    if (assumptions_note_origin(c->a, kp, ORIGIN_FILE, line) != 0)
        xoom();
}

/* The row of fields for key, or NULL.  Keys usually come in the table's
 * order, so the search starts at from (a row of fields) and wraps round;
 * keys are unique in a table, so where it starts changes nothing else. */
static const struct field *field_find(const struct field *fields, const struct field *from,
                                      const char *key)
{
    const struct field *f;

    for (f = from; f->key != NULL; f++)
        if (f->key[0] == key[0] && strcmp(f->key, key) == 0)
            return f;
    for (f = fields; f != from; f++)
        if (f->key[0] == key[0] && strcmp(f->key, key) == 0)
            return f;
    return NULL;
}

static void decode_field(struct ctx *c, const struct field *f, const struct yaml_tree_node *n,
                         const struct config_path *path, void *base)
{
    void *p = (char *)base + f->offset;
    const char *s;
    double v;
    int i;

    if (f->kind != FK_MAP)
        note_origin(c, f, path, n);
    switch (f->kind) {
    case FK_NUMBER:
        if (config_value_number(&c->v, n, path, &v) == 0 &&
            config_value_bound_check(&c->v, n, path, f->bound, v) == 0)
            *(double *)p = v;
        break;
    case FK_RANGE:
    case FK_SIZE:
        if (config_value_range(&c->v, n, path, f->bound, f->kind == FK_SIZE, p) == 0 &&
            f->row != NULL)
            assumption_set_given(f->row, base);
        break;
    case FK_COUNT:
        config_value_count(&c->v, n, path, f->bound, p);
        break;
    case FK_DURATION:
        if (config_value_duration(&c->v, n, path, &v) == 0)
            *(double *)p = v;
        break;
    case FK_BYTES:
        if (config_value_size(&c->v, n, path, &v) == 0)
            *(double *)p = v;
        break;
    case FK_BOOL:
        if (config_value_bool(&c->v, n, path, &i) == 0)
            *(int *)p = i;
        break;
    case FK_ENUM:
        /* "unknown experience 'x'": the word is the key's last part */
        if (config_value_enum(&c->v, n, path, assumption_leaf(f->row), f->row->names,
                              (size_t)f->row->n_names, &i) == 0)
            assumption_set_int(f->row, base, i);
        break;
    case FK_STRING:
        s = config_value_string(&c->v, n, path);
        if (s != NULL) {
            free(*(char **)p);
            *(char **)p = xstrdup(s);
        }
        break;
    case FK_TEXT:
        s = config_value_string(&c->v, n, path);
        if (s == NULL)
            break;
        if (strlen(s) >= f->row->size) {
            config_value_error(&c->v, n, path, "must be at most %zu bytes", f->row->size - 1);
            break;
        }
        memcpy(p, s, strlen(s) + 1);
        break;
    case FK_MAP:
        decode_map(c, n, path, f->schema > 0 ? c->schema.tables[f->schema - 1] : f->sub, p);
        break;
    case FK_CUSTOM:
        f->decode(c, n, path, base);
        break;
    }
}

static void decode_map(struct ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, const struct field *fields, void *base)
{
    struct config_path kp;
    const struct field *next = fields;
    size_t i;

    if (!expect_map(c, n, path))
        return;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct yaml_tree_node *key = n->items[i], *val = n->items[i + 1];
        const struct field *f;

        if (!map_key(c, key, path, &kp))
            continue;
        f = field_find(fields, next, key->text);
        if (f == NULL) {
            report_unknown_key(c, key, &kp, fields);
            lint_subtree(c, val, &kp);
            continue;
        }
        next = f[1].key != NULL ? f + 1 : fields;
        decode_field(c, f, val, &kp, base);
    }
}

/* ---- custom values ---------------------------------------------------- */

static void decode_version(struct ctx *c, const struct yaml_tree_node *n,
                           const struct config_path *path, void *base)
{
    struct assumptions *a = base;
    double v;

    if (config_value_number(&c->v, n, path, &v) < 0)
        return;
    if (v != 1) {
        config_value_error(&c->v, n, path, "unsupported version %g (only 1 is supported)", v);
        return;
    }
    a->version = 1;
}

static void decode_url(struct ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, void *base)
{
    struct prometheus_settings *p = base;
    const char *s = config_value_string(&c->v, n, path);

    if (s == NULL)
        return;
    if (!(strncasecmp(s, "http://", 7) == 0 && s[7] != '\0') &&
        !(strncasecmp(s, "https://", 8) == 0 && s[8] != '\0')) {
        config_value_error(&c->v, n, path, "must start with http:// or https://");
        return;
    }
    free(p->url);
    p->url = xstrdup(s);
}

/* A Prometheus label name, [a-zA-Z_][a-zA-Z0-9_]* (promql_label_valid):
 * it is pasted into PromQL unquoted ("count by (LABEL) (...)",
 * "{LABEL=...}"), so nothing else may pass.  *slot gets a copy. */
static void decode_label_into(struct ctx *c, const struct yaml_tree_node *n,
                              const struct config_path *path, char **slot)
{
    const char *s = config_value_string(&c->v, n, path);

    if (s == NULL)
        return;
    if (!promql_label_valid(s)) {
        config_value_error(&c->v, n, path, "a label name is letters, digits and "
                           "underscores, not starting with a digit");
        return;
    }
    free(*slot);
    *slot = xstrdup(s);
}

static void decode_label(struct ctx *c, const struct yaml_tree_node *n,
                         const struct config_path *path, void *base)
{
    struct assumptions *a = base;   /* discovery's fields sit on the assumptions */

    decode_label_into(c, n, path, &a->prometheus.discovery_label);
}

/* queries.service_label: the label whose value is the service name. */
static void decode_service_label(struct ctx *c, const struct yaml_tree_node *n,
                                 const struct config_path *path, void *base)
{
    decode_label_into(c, n, path, &((struct assumptions *)base)->service_label);
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

static void decode_headers(struct ctx *c, const struct yaml_tree_node *n,
                           const struct config_path *path, void *base)
{
    struct prometheus_settings *p = base;
    struct config_path kp;
    size_t i;

    if (!expect_map(c, n, path))
        return;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct yaml_tree_node *key = n->items[i];
        const char *value;

        if (!map_key(c, key, path, &kp))
            continue;
        if (!header_name_ok(key->text)) {
            config_value_error(&c->v, key, &kp, "invalid header name");
            continue;
        }
        value = config_value_string(&c->v, n->items[i + 1], &kp);
        if (value == NULL)
            continue;
        if (strpbrk(value, "\r\n") != NULL) {
            config_value_error(&c->v, n->items[i + 1], &kp, "must not contain a line break");
            continue;
        }
        p->headers = xrealloc(p->headers, (p->n_headers + 1) * sizeof(*p->headers));
        p->headers[p->n_headers].name = xstrdup(key->text);
        p->headers[p->n_headers].value = xstrdup(value);
        p->n_headers++;
    }
}

static void decode_compression(struct ctx *c, const struct yaml_tree_node *n,
                               const struct config_path *path, void *base)
{
    /* in enum compression order */
    static const char *const names[] = { "auto", "on", "off" };
    struct prometheus_settings *p = base;
    int i;

    if (config_value_enum(&c->v, n, path, "compression", names, 3, &i) == 0)
        p->compression = (enum compression)i;
}

static void decode_thresholds(struct ctx *c, const struct yaml_tree_node *n,
                              const struct config_path *path, void *base)
{
    struct thresholds *t = &((struct economics *)base)->thresholds;
    const struct yaml_tree_node *at;
    struct config_path kp = { path, CONFIG_PATH_KEY, NULL, 0 };

    decode_map(c, n, path, c->schema.tables[SCHEMA_THRESHOLDS], base);
    if (n->kind != YAML_TREE_MAP || t->consider_score <= t->migrate_score)
        return;
    at = yaml_tree_map_get(n, "consider_score");
    kp.text = at != NULL ? "consider_score" : "migrate_score";
    if (at == NULL)
        at = yaml_tree_map_get(n, "migrate_score");
    config_value_error(&c->v, at != NULL ? at : n, &kp, "consider_score (%g) is greater than "
                       "migrate_score (%g)", t->consider_score, t->migrate_score);
}

/*
 * economics.thresholds.min_hours: a DURATION like every other time key
 * ("90m", "3h", "2d": stored in hours, "2d" is 48), or a plain number,
 * read as hours as it always was ("3" is 3 hours; 0 turns the check off).
 */
static void decode_min_hours(struct ctx *c, const struct yaml_tree_node *n,
                             const struct config_path *path, void *base)
{
    struct economics *e = base;
    double v;
    char *end = NULL;

    if (n->kind == YAML_TREE_SCALAR && n->text != NULL && n->text[0] != '\0') {
        (void)strtod(n->text, &end);
        if (end != NULL && *end == '\0') {
            if (config_value_number(&c->v, n, path, &v) == 0 &&
                config_value_bound_check(&c->v, n, path, CONFIG_VALUE_NONNEG, v) == 0)
                e->thresholds.min_hours = v;
            return;
        }
    }
    if (config_value_duration(&c->v, n, path, &v) == 0)
        e->thresholds.min_hours = v / 3600.0;
}

static const struct field weight_fields[] = {
    { .key = "runtime_share", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_RUNTIME_SHARE]) },
    { .key = "tail_ratio", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_TAIL_RATIO]) },
    { .key = "cpu_utilisation", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_CPU_UTILISATION]) },
    { .key = "memory", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_MEMORY]) },
    { .key = "fleet_cost", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_FLEET_COST]) },
    { .key = "language", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_LANGUAGE]) },
    { .key = "workload", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_WORKLOAD]) },
    { .key = "team_experience", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_TEAM_EXPERIENCE]) },
    { .key = "change_rate", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_CHANGE_RATE]) },
    { .key = "criticality", .kind = FK_NUMBER, .bound = CONFIG_VALUE_NONNEG,
      .offset = offsetof(struct scoring, weights[FACTOR_CRITICALITY]) },
    FIELD_END,
};

static void decode_weights(struct ctx *c, const struct yaml_tree_node *n,
                           const struct config_path *path, void *base)
{
    struct scoring *s = base;
    int i;

    decode_map(c, n, path, weight_fields, s);
    if (n->kind != YAML_TREE_MAP)
        return;
    for (i = 0; i < FACTOR_COUNT; i++)
        if (s->weights[i] != 0)
            return;
    config_value_error(&c->v, n, path, "must not all be zero");
}

/* A known name overrides that built-in profile key by key; a new name adds
 * a profile that starts from zero reductions. */
static void decode_languages(struct ctx *c, const struct yaml_tree_node *n,
                             const struct config_path *path, void *base)
{
    struct assumptions *a = base;
    struct config_path kp;
    size_t i, j;

    if (!expect_map(c, n, path))
        return;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct yaml_tree_node *key = n->items[i];
        struct language_profile *l = NULL;

        if (!map_key(c, key, path, &kp))
            continue;
        if (key->len == 0 || key->len >= LANGUAGE_NAME_MAX) {
            config_value_error(&c->v, key, &kp, "a language name must be 1 to %d bytes long",
                               LANGUAGE_NAME_MAX - 1);
            continue;
        }
        for (j = 0; j < a->n_languages; j++)
            if (strcmp(a->languages[j].name, key->text) == 0)
                l = &a->languages[j];
        if (l == NULL) {
            if (a->n_languages == ASSUMPTIONS_MAX_LANGUAGES) {
                config_value_error(&c->v, key, &kp, "too many languages (at most %d)",
                                   ASSUMPTIONS_MAX_LANGUAGES);
                continue;
            }
            l = &a->languages[a->n_languages++];
            memset(l, 0, sizeof(*l));
            memcpy(l->name, key->text, key->len + 1);
        }
        decode_map(c, n->items[i + 1], &kp, c->schema.tables[SCHEMA_LANGUAGE], l);
    }
}

/* ---- services --------------------------------------------------------- */

static struct svc_note *note_of(struct ctx *c, const struct service_spec *s)
{
    return &c->svc[s - c->a->services];
}

static void decode_service_name(struct ctx *c, const struct yaml_tree_node *n,
                                const struct config_path *path, void *base)
{
    struct service_spec *s = base;
    const char *name = config_value_string(&c->v, n, path);

    if (name == NULL)
        return;
    if (name[0] == '\0') {
        config_value_error(&c->v, n, path, "must not be empty");
        return;
    }
    s->name = xstrdup(name);
    note_of(c, s)->name = n;
}

static void decode_service_language(struct ctx *c, const struct yaml_tree_node *n,
                                    const struct config_path *path, void *base)
{
    struct service_spec *s = base;
    const char *name = config_value_string(&c->v, n, path);
    size_t len;

    if (name == NULL)
        return;
    len = strlen(name);
    if (len == 0) {
        config_value_error(&c->v, n, path, "must not be empty");
        return;
    }
    if (len < sizeof(s->language))
        memcpy(s->language, name, len + 1);
    note_of(c, s)->language = n;    /* checked once every language is known */
}

/* ---- the tables of the assumptions, from the assumption table -------- */

/* Keys whose checks go beyond their kind and bounds: a key of the table,
 * or a group of keys decoded as one map (its decoder finds the group's
 * table in the schema at `table`). */
static const struct {
    enum assumption_scope scope;
    const char *key;
    decode_fn decode;
    int table;              /* a group: 1 + its enum schema_table; else 0 */
} key_decoders[] = {
    /* the language is checked once every language is known */
    { ASSUMPTION_SERVICE, "language", decode_service_language, 0 },
    /* consider_score <= migrate_score */
    { ASSUMPTION_ECONOMICS, "thresholds", decode_thresholds, SCHEMA_THRESHOLDS + 1 },
    /* a DURATION or a number of hours */
    { ASSUMPTION_ECONOMICS, "thresholds.min_hours", decode_min_hours, 0 },
};

/* Where the learning-curve rows go: economics.learning_curve.EXPERIENCE,
 * one map per enum experience, each at its learning[] entry. */
#define LEARNING_GROUP "learning_curve"

/* The key_decoders row of key in scope, or -1. */
static int key_decoder(enum assumption_scope scope, const char *key)
{
    size_t i;

    for (i = 0; i < sizeof(key_decoders) / sizeof(key_decoders[0]); i++)
        if (key_decoders[i].scope == scope && strcmp(key_decoders[i].key, key) == 0)
            return (int)i;
    return -1;
}

static enum config_value_bound bound_of(enum assumption_bound b)
{
    switch (b) {
    case ASSUMPTION_ANY: return CONFIG_VALUE_ANY;
    case ASSUMPTION_NONNEG: return CONFIG_VALUE_NONNEG;
    case ASSUMPTION_POS: return CONFIG_VALUE_POS;
    case ASSUMPTION_ONE_UP: return CONFIG_VALUE_ONE_UP;
    case ASSUMPTION_UNIT: return CONFIG_VALUE_UNIT;
    case ASSUMPTION_PERCENT: return CONFIG_VALUE_PERCENT;
    case ASSUMPTION_HORIZON: return CONFIG_VALUE_HORIZON;
    }
    return CONFIG_VALUE_ANY;
}

static struct field *schema_add(struct schema *sc, const struct field *f)
{
    if (sc->n == SCHEMA_POOL)
        abort();    /* a programming error: raise SCHEMA_POOL */
    sc->pool[sc->n] = *f;
    return &sc->pool[sc->n++];
}

/* The loader's row for table row af, under the name key (its key's last
 * part: "engineers" in the "team" map). */
static struct field leaf_field(const struct assumption_field *af, const char *key)
{
    struct field f;
    int d = key_decoder(af->scope, af->key);

    memset(&f, 0, sizeof(f));
    f.key = key;
    f.bound = bound_of(af->bound);
    f.offset = af->offset;
    f.row = af;
    if (af->scope == ASSUMPTION_SERVICE)
        f.svc_key = (int)(af - assumption_table) + 1;
    if (d >= 0) {
        f.kind = FK_CUSTOM;
        f.decode = key_decoders[d].decode;
        return f;
    }
    switch (af->kind) {
    case ASSUMPTION_NUMBER: f.kind = FK_NUMBER; break;
    case ASSUMPTION_RANGE: f.kind = FK_RANGE; break;
    case ASSUMPTION_SIZE: f.kind = FK_SIZE; break;
    case ASSUMPTION_COUNT: f.kind = FK_COUNT; break;
    case ASSUMPTION_ENUM: f.kind = FK_ENUM; break;
    case ASSUMPTION_BOOL: f.kind = FK_BOOL; break;
    case ASSUMPTION_TEXT: f.kind = FK_TEXT; break;
    }
    return f;
}

/* The row's key as the table of scope sees it: economics sees each
 * learning-curve row as LEARNING_GROUP ".*" (the experience maps), other
 * scopes' rows not at all (NULL). */
static const char *scope_key(const struct assumption_field *af, enum assumption_scope scope)
{
    if (af->scope == scope)
        return af->key;
    if (af->scope == ASSUMPTION_LEARNING && scope == ASSUMPTION_ECONOMICS)
        return LEARNING_GROUP ".*";
    return NULL;
}

/* A table for the map at prefix ("" for the scope's own map, "team." for
 * a nested one) of scope's rows in the assumption table's order, first
 * (when not NULL) before them: a key is a row, a group of keys one
 * FIELD_MAP row whose table is made after this one (so each table is one
 * run of the pool). */
static const struct field *build_table(struct schema *sc, enum assumption_scope scope,
                                       const char *prefix, const struct field *first)
{
    static const struct field end = FIELD_END;
    size_t plen = strlen(prefix), start = sc->n, top_end, i, j;
    const struct assumption_field *af;
    char sub[SCHEMA_GROUP_NAME * 2];
    int x, d, learning_made = 0;

    for (; first != NULL && first->key != NULL; first++)
        schema_add(sc, first);
    for (af = assumption_table; af->key != NULL; af++) {
        const char *key = scope_key(af, scope), *rest, *dot;
        struct field f;

        if (key == NULL || strncmp(key, prefix, plen) != 0)
            continue;
        rest = key + plen;
        dot = strchr(rest, '.');
        if (strcmp(rest, "*") == 0) {
            /* the learning curves: a map per experience, at the first row */
            if (learning_made)
                continue;
            for (x = 0; x < EXPERIENCE_COUNT; x++) {
                struct field m = FIELD_MAP(experience_name((enum experience)x),
                                           offsetof(struct economics, learning) +
                                               (size_t)x * sizeof(struct learning_curve),
                                           sc->learning);

                schema_add(sc, &m);
            }
            learning_made = 1;
            continue;
        }
        if (dot == NULL) {
            f = leaf_field(af, rest);
            schema_add(sc, &f);
            continue;
        }
        /* a group: one row, at its first key */
        for (j = start; j < sc->n; j++)
            if (sc->pool[j].kind == FK_MAP && strlen(sc->pool[j].key) == (size_t)(dot - rest) &&
                strncmp(sc->pool[j].key, rest, (size_t)(dot - rest)) == 0)
                break;
        if (j < sc->n)
            continue;
        if (sc->n_groups == SCHEMA_GROUPS)
            abort();    /* a programming error: raise SCHEMA_GROUPS */
        snprintf(sc->groups[sc->n_groups], SCHEMA_GROUP_NAME, "%.*s", (int)(dot - rest), rest);
        f = (struct field)FIELD_MAP(sc->groups[sc->n_groups], 0, NULL);
        sc->n_groups++;
        schema_add(sc, &f);
    }
    schema_add(sc, &end);
    top_end = sc->n;
    for (i = start; i < top_end; i++) {
        struct field *g = &sc->pool[i];

        if (g->kind != FK_MAP || g->sub != NULL || g->schema != 0)
            continue;
        snprintf(sub, sizeof(sub), "%s%s.", prefix, g->key);
        g->sub = build_table(sc, scope, sub, NULL);
        d = plen == 0 ? key_decoder(scope, g->key) : -1;
        if (d >= 0) {
            /* a group with a check of its own: its decoder walks the table */
            if (key_decoders[d].table > 0)
                sc->tables[key_decoders[d].table - 1] = g->sub;
            g->kind = FK_CUSTOM;
            g->decode = key_decoders[d].decode;
        }
    }
    return &sc->pool[start];
}

/* services[].queries: the same keys, for one service (struct service_spec) */
static const struct field service_query_fields[] = {
    FIELD("p99_latency_seconds", FK_STRING, CONFIG_VALUE_ANY, struct service_spec,
          queries[SIGNAL_P99_LATENCY]),
    FIELD("p50_latency_seconds", FK_STRING, CONFIG_VALUE_ANY, struct service_spec,
          queries[SIGNAL_P50_LATENCY]),
    FIELD("cpu_cores", FK_STRING, CONFIG_VALUE_ANY, struct service_spec, queries[SIGNAL_CPU]),
    FIELD("memory_bytes", FK_STRING, CONFIG_VALUE_ANY, struct service_spec,
          queries[SIGNAL_MEMORY]),
    FIELD("requests_per_second", FK_STRING, CONFIG_VALUE_ANY, struct service_spec,
          queries[SIGNAL_RPS]),
    FIELD("gc_seconds", FK_STRING, CONFIG_VALUE_ANY, struct service_spec, queries[SIGNAL_GC]),
    FIELD("mean_latency_seconds", FK_STRING, CONFIG_VALUE_ANY, struct service_spec,
          queries[SIGNAL_MEAN_LATENCY]),
    FIELD_END,
};

/* Every table made from the assumption table, for one load. */
static void build_schema(struct schema *sc)
{
    /* a service's own keys besides the assumption table's: its name, and
     * services[].queries.<signal>, one service's PromQL (query_profile.h) */
    static const struct field service_first[] = {
        FIELD_FN("name", decode_service_name),
        FIELD_MAP("queries", 0, service_query_fields),
        FIELD_END,
    };

    memset(sc, 0, sizeof(*sc));
    /* first: the experience maps of economics point at it */
    sc->learning = build_table(sc, ASSUMPTION_LEARNING, "", NULL);
    sc->tables[SCHEMA_SERVICE] = build_table(sc, ASSUMPTION_SERVICE, "", service_first);
    sc->tables[SCHEMA_LANGUAGE] = build_table(sc, ASSUMPTION_LANGUAGE, "", NULL);
    sc->tables[SCHEMA_ECONOMICS] = build_table(sc, ASSUMPTION_ECONOMICS, "", NULL);
}

/* A name usable in key paths, or NULL: the same test decode_service_name
 * applies, without reporting (it reports when the key is decoded). */
static const char *peek_name(const struct yaml_tree_node *map)
{
    const struct yaml_tree_node *n = yaml_tree_map_get(map, "name");

    if (n == NULL || n->kind != YAML_TREE_SCALAR || n->has_nul || yaml_tree_is_null(n) ||
        n->len == 0)
        return NULL;
    return n->text;
}

static void decode_service(struct ctx *c, const struct yaml_tree_node *n,
                           const struct config_path *services, size_t index)
{
    struct assumptions *a = c->a;
    struct config_path path = { services, CONFIG_PATH_INDEX, NULL, index };
    const char *name;
    struct service_spec *s;

    if (!config_value_usable(&c->v, n, &path))
        return;
    if (n->kind != YAML_TREE_MAP) {
        config_value_error(&c->v, n, &path, "expected a map (a service with at least a name)");
        return;
    }
    name = peek_name(n);
    if (name != NULL) {
        path.kind = CONFIG_PATH_NAME;
        path.text = name;
    }
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
    c->cur_svc = s;
    decode_map(c, n, &path, c->schema.tables[SCHEMA_SERVICE], s);
    c->cur_svc = NULL;
    if (yaml_tree_map_get(n, "name") == NULL)
        config_value_error(&c->v, n, &path, "missing required key 'name'");
}

static void decode_services(struct ctx *c, const struct yaml_tree_node *n,
                            const struct config_path *path, void *base)
{
    struct assumptions *a = c->a;
    size_t i;

    (void)base;
    if (yaml_tree_is_null(n) || !config_value_usable(&c->v, n, path))
        return;
    if (n->kind != YAML_TREE_SEQ) {
        config_value_error(&c->v, n, path, "expected a list of services");
        return;
    }
    if (n->n > ASSUMPTIONS_MAX_SERVICES) {
        config_value_error(&c->v, n->items[ASSUMPTIONS_MAX_SERVICES], path,
                           "more than %d services", ASSUMPTIONS_MAX_SERVICES);
        return;
    }
    /* room for every service at once: a 10,000-service inventory would
     * otherwise be copied a dozen times as it grows */
    if (a->n_services + n->n > c->svc_cap) {
        c->svc_cap = a->n_services + n->n;
        a->services = xrealloc(a->services, c->svc_cap * sizeof(*a->services));
        c->svc = xrealloc(c->svc, c->svc_cap * sizeof(*c->svc));
    }
    for (i = 0; i < n->n; i++)
        decode_service(c, n->items[i], path, i);
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
    static const struct config_path services = { NULL, CONFIG_PATH_KEY, "services", 0 };
    struct config_path path = { &services, CONFIG_PATH_INDEX, NULL, 0 };
    struct config_path kp = { &path, CONFIG_PATH_KEY, NULL, 0 };
    char q[CONFIG_VALUE_QUOTE_LEN], known[CONFIG_VALUE_MSG_LEN / 2];
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
    config_value_join_names(known, sizeof(known), lang_names, a->n_languages);

    for (i = 0; i < a->n_services; i++) {
        const struct service_spec *s = &a->services[i];
        const struct svc_note *note = &c->svc[i];

        path.kind = s->name != NULL ? CONFIG_PATH_NAME : CONFIG_PATH_INDEX;
        path.text = s->name;
        path.index = note->index;
        if (first[i] != i) {
            kp.text = "name";
            config_value_error(&c->v, note->name, &kp,
                               "duplicate service name '%s' (first at line %zu)",
                               config_value_quote(q, sizeof(q), s->name),
                               c->svc[first[i]].name->start.line + 1);
        }
        if (note->language != NULL && assumptions_language(a, note->language->text) == NULL) {
            kp.text = "language";
            config_value_error(&c->v, note->language, &kp, "unknown language '%s' (known: %s)",
                               config_value_quote(q, sizeof(q), note->language->text), known);
        }
    }
    free(first);
    free(refs);
}

/* ---- the schema, top down --------------------------------------------- */

static const struct field basic_auth_fields[] = {
    FIELD("username", FK_STRING, CONFIG_VALUE_ANY,
          struct prometheus_settings, basic_auth_username),
    FIELD("password_env", FK_STRING, CONFIG_VALUE_ANY, struct prometheus_settings,
          basic_auth_password_env),
    FIELD("password_file", FK_STRING, CONFIG_VALUE_ANY, struct prometheus_settings,
          basic_auth_password_file),
    FIELD_END,
};

static const struct field prometheus_fields[] = {
    FIELD_FN("url", decode_url),
    FIELD_FN("headers", decode_headers),
    FIELD("bearer_token_env", FK_STRING, CONFIG_VALUE_ANY,
          struct prometheus_settings, bearer_token_env),
    FIELD("bearer_token_file", FK_STRING, CONFIG_VALUE_ANY, struct prometheus_settings,
          bearer_token_file),
    FIELD_MAP("basic_auth", 0, basic_auth_fields),
    FIELD("ca_file", FK_STRING, CONFIG_VALUE_ANY, struct prometheus_settings, ca_file),
    FIELD("insecure_skip_verify", FK_BOOL, CONFIG_VALUE_ANY, struct prometheus_settings,
          insecure_skip_verify),
    FIELD_FN("compression", decode_compression),
    FIELD("timeout", FK_DURATION, CONFIG_VALUE_POS, struct prometheus_settings, timeout_s),
    FIELD("range", FK_DURATION, CONFIG_VALUE_POS, struct prometheus_settings, range_s),
    FIELD("step", FK_DURATION, CONFIG_VALUE_POS, struct prometheus_settings, step_s),
    FIELD("concurrency", FK_COUNT, CONFIG_VALUE_ONE_UP, struct prometheus_settings, concurrency),
    FIELD("max_response_size", FK_BYTES, CONFIG_VALUE_ANY, struct prometheus_settings,
          max_response_bytes),
    FIELD_END,
};

static const struct field query_fields[] = {
    FIELD("p99_latency_seconds", FK_STRING, CONFIG_VALUE_ANY, struct assumptions,
          queries[SIGNAL_P99_LATENCY]),
    FIELD("p50_latency_seconds", FK_STRING, CONFIG_VALUE_ANY, struct assumptions,
          queries[SIGNAL_P50_LATENCY]),
    FIELD("cpu_cores", FK_STRING, CONFIG_VALUE_ANY, struct assumptions, queries[SIGNAL_CPU]),
    FIELD("memory_bytes", FK_STRING, CONFIG_VALUE_ANY, struct assumptions, queries[SIGNAL_MEMORY]),
    FIELD("requests_per_second", FK_STRING, CONFIG_VALUE_ANY,
          struct assumptions, queries[SIGNAL_RPS]),
    FIELD("gc_seconds", FK_STRING, CONFIG_VALUE_ANY, struct assumptions, queries[SIGNAL_GC]),
    FIELD("mean_latency_seconds", FK_STRING, CONFIG_VALUE_ANY, struct assumptions,
          queries[SIGNAL_MEAN_LATENCY]),
    FIELD("instances", FK_STRING, CONFIG_VALUE_ANY, struct assumptions, queries[SIGNAL_INSTANCES]),
    FIELD_FN("service_label", decode_service_label),
    FIELD_END,
};

static const struct field discovery_fields[] = {
    FIELD("query", FK_STRING, CONFIG_VALUE_ANY, struct assumptions, prometheus.discovery_query),
    FIELD_FN("label", decode_label),
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
    FIELD_SCHEMA("economics", offsetof(struct assumptions, economics), SCHEMA_ECONOMICS),
    FIELD_MAP("scoring", offsetof(struct assumptions, scoring), scoring_fields),
    FIELD_FN("languages", decode_languages),
    FIELD_FN("services", decode_services),
    FIELD_END,
};

static void decode_document(struct ctx *c, const struct yaml_tree_node *root)
{
    struct yaml_tree_mark origin;

    memset(&origin, 0, sizeof(origin));
    if (root == NULL || yaml_tree_is_null(root)) {
        config_value_error_at(&c->v, &origin, NULL,
                              "the file is empty (expected a map of settings)");
        return;
    }
    if (root->kind != YAML_TREE_MAP) {
        config_value_error_at(&c->v, &origin, NULL,
                              "expected a map of settings at the top level");
        return;
    }
    decode_map(c, root, NULL, top_fields, c->a);
    check_services(c);
}

/* ---- entry points ----------------------------------------------------- */

/* Ready c to decode into out, which starts at the defaults. */
static void load_begin(struct ctx *c, const char *name, struct assumptions *out,
                       struct config_diags *diags)
{
    memset(c, 0, sizeof(*c));
    c->v.file = name != NULL ? name : "<input>";
    c->a = out;
    c->v.diags = diags;
    build_schema(&c->schema);
    assumptions_defaults(out);
}

/* Summarise, and release out on error. */
static int load_done(struct ctx *c, struct assumptions *out, struct config_diags *diags)
{
    free(c->svc);
    if (c->v.n_errors > CONFIG_VALUE_MAX_ERRORS)
        config_value_diags_printf(diags, "... %zu more errors",
                                  c->v.n_errors - CONFIG_VALUE_MAX_ERRORS);
    if (c->v.n_errors == 0)
        return 0;
    assumptions_done(out);
    return -1;
}

int config_load_tree(const char *name, const struct yaml_tree_node *root,
                     struct assumptions *out, struct config_diags *diags)
{
    struct ctx c;

    load_begin(&c, name, out, diags);
    decode_document(&c, root);
    return load_done(&c, out, diags);
}

int config_load_buffer(const char *name, const char *buf, size_t len,
                       struct assumptions *out, struct config_diags *diags)
{
    struct ctx c;
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error err;

    load_begin(&c, name, out, diags);
    if (yaml_tree_parse(buf, len, &root, &err) == YAML_TREE_OK)
        decode_document(&c, root);
    else
        config_value_error_at(&c.v, &err.mark, NULL, "%s", err.msg);
    yaml_tree_free(root);
    return load_done(&c, out, diags);
}

int config_load_file(const char *path, struct assumptions *out, struct config_diags *diags)
{
    size_t len = 0;
    char *buf = util_read_file_max(path, YAML_TREE_MAX_BYTES, &len);
    struct stat st;
    int rc;

    if (buf == NULL && errno == EFBIG) {
        /* as yaml_tree_parse says it, with the size when there is one */
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            config_value_diags_printf(diags, "%s:1:1: larger than %zu MiB (%jd bytes)", path,
                                      YAML_TREE_MAX_BYTES >> 20, (intmax_t)st.st_size);
        else
            config_value_diags_printf(diags, "%s:1:1: larger than %zu MiB", path,
                                      YAML_TREE_MAX_BYTES >> 20);
        memset(out, 0, sizeof(*out));
        return -1;
    }
    if (buf == NULL) {
        config_value_diags_printf(diags, "%s: cannot read: %s", path, strerror(errno));
        memset(out, 0, sizeof(*out));
        return -1;
    }
    rc = config_load_buffer(path, buf, len, out, diags);
    free(buf);
    return rc;
}

size_t config_add_discovered(struct assumptions *a, const struct measurements *m)
{
    size_t i, k, left_out = 0;

    for (i = 0; i < m->n_services; i++) {
        const struct service_data *d = &m->services[i];
        struct service_spec *sp;

        if (!d->discovered)
            continue;
        for (k = 0; k < a->n_services; k++)
            if (strcmp(a->services[k].name, d->name) == 0)
                break;
        if (k < a->n_services)
            continue;
        if (a->n_services >= ASSUMPTIONS_MAX_SERVICES) {
            left_out++;
            continue;
        }
        a->services = xrealloc(a->services, (a->n_services + 1) * sizeof(*a->services));
        sp = &a->services[a->n_services++];
        service_defaults(sp);
        sp->name = xstrdup(d->name);
        sp->discovered = 1;
    }
    return left_out;
}
