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
 * To add a key: a key of a service is a row of the assumption table
 * (models/assumption_table.c), from which build_service_schema() makes the
 * tables of a service; only a key with checks beyond its kind and bounds
 * needs a decoder here (service_decoders).  Any other key is a row in the
 * table of its map (a nested map is a FIELD_MAP row with its own table).
 * A new kind of value gets a config_value_* function (config_value.c) and
 * a case in decode_field().
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
    FK_STRING,      /* char *, owned */
    FK_MAP,         /* a nested map: sub is its table, offset its base */
    FK_CUSTOM       /* decode(c, node, path, base) */
};

struct field {
    const char *key;
    enum field_kind kind;
    enum config_value_bound bound;
    size_t offset;              /* of the value (FK_MAP: of the nested base) */
    const struct field *sub;
    decode_fn decode;
    /* FK_ENUM and an optional value: the assumption table's row (names,
     * given flag); NULL for the rest */
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
#define FIELD_FN(k, fn) { .key = (k), .kind = FK_CUSTOM, .decode = (fn) }
#define FIELD_END { .key = NULL }

/* The tables of a service's map and of its nested maps ("team"), made
 * from the assumption table by build_service_schema().  Each key of the
 * table takes a row of top or of sub; a group takes one more row of top
 * (for fewer keys) and an end row of sub. */
#define SVC_SCHEMA_GROUPS 4
#define SVC_GROUP_NAME 32

struct svc_schema {
    struct field top[1 + SERVICE_KEY_COUNT + 1];            /* "name", keys, end */
    struct field sub[SERVICE_KEY_COUNT + SVC_SCHEMA_GROUPS];
    char groups[SVC_SCHEMA_GROUPS][SVC_GROUP_NAME];
};

struct ctx {
    struct config_value_ctx v;      /* file name and diagnostics */
    struct assumptions *a;
    struct svc_note *svc;           /* parallel to a->services */
    size_t svc_cap;
    struct service_spec *cur_svc;   /* the service being decoded, or NULL */
    struct svc_schema schema;
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
    case FK_MAP:
        decode_map(c, n, path, f->sub, p);
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

/* A Prometheus label name, [a-zA-Z_][a-zA-Z0-9_]*: it is pasted into
 * PromQL ("count by (LABEL) (...)"), so nothing else may pass. */
static void decode_label(struct ctx *c, const struct yaml_tree_node *n,
                         const struct config_path *path, void *base)
{
    struct assumptions *a = base;   /* discovery's fields sit on the assumptions */
    const char *s = config_value_string(&c->v, n, path);
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; s[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (i > 0 && ch >= '0' && ch <= '9')))
            break;
    }
    if (i == 0 || s[i] != '\0') {
        config_value_error(&c->v, n, path, "a label name is letters, digits and "
                           "underscores, not starting with a digit");
        return;
    }
    free(a->prometheus.discovery_label);
    a->prometheus.discovery_label = xstrdup(s);
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

static void decode_currency(struct ctx *c, const struct yaml_tree_node *n,
                            const struct config_path *path, void *base)
{
    struct economics *e = base;
    const char *s = config_value_string(&c->v, n, path);
    size_t len;

    if (s == NULL)
        return;
    len = strlen(s);
    if (len >= sizeof(e->currency)) {
        config_value_error(&c->v, n, path, "must be at most %zu bytes", sizeof(e->currency) - 1);
        return;
    }
    memcpy(e->currency, s, len + 1);
}

static const struct field threshold_fields[] = {
    FIELD("migrate_score", FK_NUMBER, CONFIG_VALUE_PERCENT, struct thresholds, migrate_score),
    FIELD("consider_score", FK_NUMBER, CONFIG_VALUE_PERCENT, struct thresholds, consider_score),
    FIELD("migrate_probability", FK_NUMBER, CONFIG_VALUE_UNIT,
          struct thresholds, migrate_probability),
    FIELD("io_bound_share", FK_NUMBER, CONFIG_VALUE_UNIT, struct thresholds, io_bound_share),
    FIELD("weekly_changes", FK_NUMBER, CONFIG_VALUE_NONNEG, struct thresholds, weekly_changes),
    FIELD("min_hours", FK_NUMBER, CONFIG_VALUE_NONNEG, struct thresholds, min_hours),
    FIELD("min_points", FK_NUMBER, CONFIG_VALUE_NONNEG, struct thresholds, min_points),
    FIELD_END,
};

static void decode_thresholds(struct ctx *c, const struct yaml_tree_node *n,
                              const struct config_path *path, void *base)
{
    struct thresholds *t = &((struct economics *)base)->thresholds;
    const struct yaml_tree_node *at;
    struct config_path kp = { path, CONFIG_PATH_KEY, NULL, 0 };

    decode_map(c, n, path, threshold_fields, t);
    if (n->kind != YAML_TREE_MAP || t->consider_score <= t->migrate_score)
        return;
    at = yaml_tree_map_get(n, "consider_score");
    kp.text = at != NULL ? "consider_score" : "migrate_score";
    if (at == NULL)
        at = yaml_tree_map_get(n, "migrate_score");
    config_value_error(&c->v, at != NULL ? at : n, &kp, "consider_score (%g) is greater than "
                       "migrate_score (%g)", t->consider_score, t->migrate_score);
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

static const struct field language_fields[] = {
    FIELD("cpu_reduction", FK_RANGE, CONFIG_VALUE_UNIT, struct language_profile, cpu_reduction),
    FIELD("memory_reduction", FK_RANGE, CONFIG_VALUE_UNIT,
          struct language_profile, memory_reduction),
    FIELD("p99_reduction", FK_RANGE, CONFIG_VALUE_UNIT, struct language_profile, p99_reduction),
    FIELD("dynamic", FK_BOOL, CONFIG_VALUE_ANY, struct language_profile, dynamic),
    FIELD_END,
};

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
        decode_map(c, n->items[i + 1], &kp, language_fields, l);
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

/* ---- a service's schema, from the assumption table -------------------- */

/* Service keys whose checks go beyond their kind and bounds. */
static const struct {
    enum service_key key;
    decode_fn decode;
} service_decoders[] = {
    { SK_LANGUAGE, decode_service_language },   /* known once every language is */
};

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

/* The row of the loader's table for service key k (its key is the last
 * part of the table's: "engineers" in the "team" map). */
static struct field service_field(enum service_key k)
{
    const struct assumption_field *af = assumption_service_field(k);
    struct field f;
    size_t i;

    memset(&f, 0, sizeof(f));
    f.key = assumption_leaf(af);
    f.bound = bound_of(af->bound);
    f.offset = af->offset;
    f.row = af;
    f.svc_key = (int)k + 1;
    for (i = 0; i < sizeof(service_decoders) / sizeof(service_decoders[0]); i++)
        if (service_decoders[i].key == k) {
            f.kind = FK_CUSTOM;
            f.decode = service_decoders[i].decode;
            return f;
        }
    switch (af->kind) {
    case ASSUMPTION_NUMBER: f.kind = FK_NUMBER; break;
    case ASSUMPTION_RANGE: f.kind = FK_RANGE; break;
    case ASSUMPTION_SIZE: f.kind = FK_SIZE; break;
    case ASSUMPTION_COUNT: f.kind = FK_COUNT; break;
    case ASSUMPTION_ENUM: f.kind = FK_ENUM; break;
    case ASSUMPTION_BOOL: f.kind = FK_BOOL; break;
    case ASSUMPTION_TEXT: f.kind = FK_CUSTOM; break;    /* needs a service_decoders row */
    }
    return f;
}

/* Fill rows (SVC_SCHEMA_ROWS) with a service's map: "name", then the
 * service rows of the assumption table in order, a group of keys
 * ("team.engineers", "team.experience") becoming one FIELD_MAP row whose
 * table follows the top one in rows.  The table keeps a group's rows
 * together (tests/test_model_assumption_table.c checks it), so each group
 * is one run here. */
static void build_service_schema(struct svc_schema *sc)
{
    struct field *top = sc->top, *sub = sc->sub, *group_row = NULL;
    size_t nt = 0, ns = 0, ng = 0;
    int k;

    top[nt++] = (struct field)FIELD_FN("name", decode_service_name);
    for (k = 0; k < SERVICE_KEY_COUNT; k++) {
        const struct assumption_field *af = assumption_service_field((enum service_key)k);
        size_t glen = assumption_group_len(af);

        if (glen == 0) {
            top[nt++] = service_field((enum service_key)k);
            group_row = NULL;
            continue;
        }
        if (group_row == NULL || strlen(group_row->key) != glen ||
            strncmp(group_row->key, af->key, glen) != 0) {
            /* a new group: its name, its row above, its table below */
            if (group_row != NULL)
                sub[ns++] = (struct field)FIELD_END;
            if (ng == SVC_SCHEMA_GROUPS)
                abort();    /* a programming error: raise SVC_SCHEMA_GROUPS */
            snprintf(sc->groups[ng], SVC_GROUP_NAME, "%.*s", (int)glen, af->key);
            group_row = &top[nt++];
            *group_row = (struct field)FIELD_MAP(sc->groups[ng], 0, &sub[ns]);
            ng++;
        }
        sub[ns++] = service_field((enum service_key)k);
    }
    top[nt] = (struct field)FIELD_END;
    sub[ns] = (struct field)FIELD_END;
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
    decode_map(c, n, &path, c->schema.top, s);
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
    FIELD_END,
};

static const struct field discovery_fields[] = {
    FIELD("query", FK_STRING, CONFIG_VALUE_ANY, struct assumptions, prometheus.discovery_query),
    FIELD_FN("label", decode_label),
    FIELD_END,
};

static const struct field learning_fields[] = {
    FIELD("velocity_loss", FK_RANGE, CONFIG_VALUE_UNIT, struct learning_curve, velocity_loss),
    FIELD("months", FK_RANGE, CONFIG_VALUE_NONNEG, struct learning_curve, months),
    FIELD_END,
};

static const struct field learning_curve_fields[] = {
    FIELD_MAP("none", offsetof(struct economics, learning[EXPERIENCE_NONE]), learning_fields),
    FIELD_MAP("some", offsetof(struct economics, learning[EXPERIENCE_SOME]), learning_fields),
    FIELD_MAP("strong", offsetof(struct economics, learning[EXPERIENCE_STRONG]),
              learning_fields),
    FIELD("dynamic_language_extra_months", FK_RANGE, CONFIG_VALUE_NONNEG, struct economics,
          dynamic_language_extra_months),
    FIELD_END,
};

static const struct field effort_fields[] = {
    FIELD("measure_weeks", FK_RANGE, CONFIG_VALUE_NONNEG, struct effort_phases, measure_weeks),
    FIELD("scaffold_weeks", FK_RANGE, CONFIG_VALUE_NONNEG, struct effort_phases, scaffold_weeks),
    FIELD("weeks_per_endpoint", FK_RANGE, CONFIG_VALUE_NONNEG,
          struct effort_phases, weeks_per_endpoint),
    FIELD("cutover_weeks_per_endpoint", FK_RANGE, CONFIG_VALUE_NONNEG, struct effort_phases,
          cutover_weeks_per_endpoint),
    FIELD("rollback_weeks", FK_RANGE, CONFIG_VALUE_NONNEG, struct effort_phases, rollback_weeks),
    FIELD("cleanup_weeks", FK_RANGE, CONFIG_VALUE_NONNEG, struct effort_phases, cleanup_weeks),
    FIELD_END,
};

static const struct field economics_fields[] = {
    FIELD("horizon_months", FK_COUNT, CONFIG_VALUE_HORIZON, struct economics, horizon_months),
    FIELD("discount_rate", FK_RANGE, CONFIG_VALUE_UNIT, struct economics, discount_rate),
    FIELD("cost_per_engineer_month", FK_RANGE, CONFIG_VALUE_NONNEG, struct economics,
          cost_per_engineer_month),
    FIELD("productivity_gain", FK_RANGE, CONFIG_VALUE_UNIT, struct economics, productivity_gain),
    FIELD("engineer_months_available", FK_NUMBER, CONFIG_VALUE_NONNEG, struct economics,
          engineer_months_available),
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
    build_service_schema(&c->schema);
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
