/* config_value.h: internal to config*.c: leaf values of verdict.yaml and their diagnostics. */
#ifndef VERDICT_CONFIG_VALUE_H
#define VERDICT_CONFIG_VALUE_H

#include <stddef.h>

#include "verdict/config.h"
#include "verdict/range.h"
#include "verdict/yaml_tree.h"

/*
 * The schema walker (config.c) hands each leaf of the YAML tree to one of
 * the config_value_* decoders below, with the key path to report it under.
 * A decoder either writes its result and returns 0, or reports every
 * problem through config_value_error and returns -1 leaving *out as it
 * was.  Nothing here allocates, except the diagnostic lines themselves.
 *
 * A key path is a chain of struct config_path on the callers' stacks,
 * written out as text only when a message needs it: a large inventory has
 * hundreds of thousands of keys and, usually, no message at all.
 */

#define CONFIG_VALUE_MAX_ERRORS 100    /* stored; the rest are only counted */
#define CONFIG_VALUE_PATH_LEN 256      /* a key path buffer, terminator included */
#define CONFIG_VALUE_QUOTE_LEN 80      /* quoted untrusted text, cut short */
#define CONFIG_VALUE_MSG_LEN 1024      /* one message, without file, position or path */

#if defined(__GNUC__)
#define CONFIG_VALUE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CONFIG_VALUE_PRINTF(f, a)
#endif

/* Where the diagnostics of one document go.  Embedded by the caller,
 * zeroed, then file and diags set; neither is owned. */
struct config_value_ctx {
    const char *file;               /* the name used in messages */
    struct config_diags *diags;
    size_t n_errors;                /* all of them, stored or not */
    int point_ok;                   /* 0 not yet known, 1 or -1: whether the
                                     * locale's decimal point can stand for '.' */
};

/* One level of a key path: "parent.key" (just "key" under an empty
 * parent), "parent[index]" or "parent[name]".  text is the key or name as
 * written, quoted (config_value_quote) when the path is written out; it
 * and parent must outlive the struct.  NULL is the empty path, "". */
enum config_path_kind {
    CONFIG_PATH_KEY,
    CONFIG_PATH_INDEX,
    CONFIG_PATH_NAME
};

struct config_path {
    const struct config_path *parent;
    enum config_path_kind kind;
    const char *text;               /* KEY and NAME */
    size_t index;                   /* INDEX */
};

/* p as text in dst (CONFIG_VALUE_PATH_LEN bytes, cut short to fit), built
 * as config_value_path_key, _index and _name would build it level by level. */
void config_value_path_write(char *dst, const struct config_path *p);

/* Append one formatted line to d (out of memory is fatal). */
CONFIG_VALUE_PRINTF(2, 3)
void config_value_diags_printf(struct config_diags *d, const char *fmt, ...);

/* 1 once CONFIG_VALUE_MAX_ERRORS errors have been reported: later ones are
 * only counted, so callers may skip expensive work such as suggestions. */
int config_value_full(const struct config_value_ctx *c);

/* Report "FILE:LINE:COL: path: message" at m (or at n's start), without
 * "path: " when the path is "" (or NULL).  The message is cut at
 * CONFIG_VALUE_MSG_LEN. */
CONFIG_VALUE_PRINTF(4, 5)
void config_value_error_at(struct config_value_ctx *c, const struct yaml_tree_mark *m,
                           const struct config_path *path, const char *fmt, ...);
CONFIG_VALUE_PRINTF(4, 5)
void config_value_error(struct config_value_ctx *c, const struct yaml_tree_node *n,
                        const struct config_path *path, const char *fmt, ...);

/* Untrusted text s made safe to quote in a message (and cut to len - 1
 * bytes) in buf; returns buf. */
const char *config_value_quote(char *buf, size_t len, const char *s);

/* Key paths as text, written to dst (CONFIG_VALUE_PATH_LEN bytes, cut
 * short to fit): "parent.key" (just "key" when parent is "") and
 * "parent[name]"; key and name are quoted.  dst and parent may be the
 * same buffer.  ("parent[i]" is written by config_value_path_write.) */
void config_value_path_key(char *dst, const char *parent, const char *key);
void config_value_path_name(char *dst, const char *parent, const char *name);

/* Report what no value may be (yaml_tree_problems) under path; 0 when n
 * cannot be used at all. */
int config_value_usable(struct config_value_ctx *c, const struct yaml_tree_node *n,
                        const struct config_path *path);

/* What a number must be, besides a number.  Counts are never negative. */
enum config_value_bound {
    CONFIG_VALUE_ANY,
    CONFIG_VALUE_NONNEG,        /* >= 0 */
    CONFIG_VALUE_POS,           /* > 0 */
    CONFIG_VALUE_ONE_UP,        /* >= 1 */
    CONFIG_VALUE_UNIT,          /* 0..1 */
    CONFIG_VALUE_PERCENT,       /* 0..100 */
    CONFIG_VALUE_HORIZON        /* 1..240 months */
};

/* 0 when v is within b, else -1 with the reason reported at n. */
int config_value_bound_check(struct config_value_ctx *c, const struct yaml_tree_node *n,
                             const struct config_path *path, enum config_value_bound b,
                             double v);

/* A plain (unquoted) finite number: a quoted "12" is a string. */
int config_value_number(struct config_value_ctx *c, const struct yaml_tree_node *n,
                        const struct config_path *path, double *out);

/* One size ("512MiB", "4GiB", or bytes), greater than zero. */
int config_value_size(struct config_value_ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path, double *out);

/* A number of seconds or a duration like 30s, 5m, 30d; always > 0. */
int config_value_duration(struct config_value_ctx *c, const struct yaml_tree_node *n,
                          const struct config_path *path, double *out);

/* A whole number from 0 to INT_MAX, also within b. */
int config_value_count(struct config_value_ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, enum config_value_bound b, int *out);

/* A number (with is_size, a size like 4GiB, in bytes) or [low, likely,
 * high] in order, each within b. */
int config_value_range(struct config_value_ctx *c, const struct yaml_tree_node *n,
                       const struct config_path *path, enum config_value_bound b, int is_size,
                       struct range *out);

/* true or false (also True, TRUE, False, FALSE, unquoted): 1 or 0. */
int config_value_bool(struct config_value_ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path, int *out);

/* The text of a string value (not null), or NULL when reported.  The text
 * belongs to the tree. */
const char *config_value_string(struct config_value_ctx *c, const struct yaml_tree_node *n,
                                const struct config_path *path);

/* One word of names[count]; *out is its index.  An unknown word is
 * reported as "unknown WHAT 'word'", with a suggestion or the list. */
int config_value_enum(struct config_value_ctx *c, const struct yaml_tree_node *n,
                      const struct config_path *path, const char *what,
                      const char *const *names, size_t count, int *out);

/* The candidate a mistyped word most likely meant, or NULL. */
const char *config_value_suggest(const char *word, const char *const *cands, size_t n);

/* names[n] joined with ", " into dst (len bytes), cut short to fit. */
void config_value_join_names(char *dst, size_t len, const char *const *names, size_t n);

#endif /* VERDICT_CONFIG_VALUE_H */
