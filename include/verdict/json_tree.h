/* json_tree.h: a strict JSON parser into a small flat tree, arrays of numbers packed as doubles. */
#ifndef VERDICT_JSON_TREE_H
#define VERDICT_JSON_TREE_H

#include <stddef.h>

#include "verdict/json_scan.h"

/*
 * For snapshot.c, prom_decode.c and diff.c.  snapshot.c reads files of up
 * to 256 MiB, nearly all of them numbers in arrays.  cJSON made a node of
 * about 80 bytes per number and parsed it with strtod; this parser keeps
 * an array of numbers and nulls as doubles in one buffer (JT_NUMBERS,
 * null as NaN), decodes numbers without strtod where that is exact
 * (json_number.h), and can pass over chosen arrays with memchr for the
 * caller to read later (JT_LATER).  It accepts exactly what json_scan_run
 * accepts, and refuses the rest with the same status at the same offset.
 * A tree is reused: jt_reset empties it and keeps its memory.  Out of
 * memory is fatal (xrealloc).
 */

#define JT_NONE ((size_t)-1)

enum jt_kind {
    JT_NULL,
    JT_FALSE,
    JT_TRUE,
    JT_NUMBER,
    JT_STRING,
    JT_ARRAY,
    JT_OBJECT,
    JT_NUMBERS,     /* an array of numbers and nulls, its values in jt.num */
    JT_LATER,       /* an array passed over: '[' at `at`, the first ']' at `end` */
    JT_ASIDE        /* an array checked but not built: '[' at `at`, its ']' at `end` */
};

/* One value.  Children are linked in order through `next`. */
struct jt_node {
    enum jt_kind kind;
    size_t key;         /* a member's key: offset in pool; JT_NONE in an array */
    size_t key_len;     /* its length */
    size_t str;         /* JT_STRING: offset in pool; JT_NUMBERS: first in num */
    size_t n;           /* JT_ARRAY, JT_OBJECT: children; JT_NUMBERS: values */
    size_t child;       /* first child, JT_NONE */
    size_t last;        /* last child, JT_NONE */
    size_t next;        /* next sibling, JT_NONE */
    size_t at;          /* offset of the value's first byte in the text */
    size_t end;         /* JT_LATER, JT_ASIDE: offset of its ']' */
    double num;         /* JT_NUMBER */
};

/* A tree, reused from one service to the next (jt_reset). */
struct jt {
    struct jt_node *node;
    size_t n, cap;
    char *pool;         /* decoded strings and keys, each NUL-terminated */
    size_t pool_n, pool_cap;
    double *num;        /* JT_NUMBERS' values */
    size_t num_n, num_cap;
    size_t values;      /* counted as json_scan_run counts them */
    /* set by the caller (zero the struct first): */
    size_t max_values;  /* values in the tree; 0: no limit */
    size_t max_depth;   /* nesting (the first value is at the level given) */
    size_t max_string;  /* bytes between a string's quotes; 0: no limit */
    size_t later_level; /* arrays at this level whose key later() likes are */
    int (*later)(const char *key);  /* passed over (JT_LATER); NULL: none */
    /* Arrays at any level whose key aside(level, key) likes are checked as
     * strictly as the rest (json_scan_value: nesting, strings), but build
     * no nodes and count as one value, like json_scan_run's split arrays
     * (JT_ASIDE): the caller reads them from the text.  NULL: none. */
    int (*aside)(size_t level, const char *key);
    const char *dp;     /* the locale's decimal point, for strtod */
};

void jt_reset(struct jt *t);
void jt_done(struct jt *t);

/* Add a node (for a caller that builds part of a tree itself). */
size_t jt_add(struct jt *t, enum jt_kind kind, size_t key, size_t at);
void jt_link(struct jt *t, size_t parent, size_t child);

/* Decode the string b[from, to), quotes included, that json_scan_string
 * accepted, into the pool: its offset. */
size_t jt_string(struct jt *t, const char *b, size_t from, size_t to);

/*
 * The value after *pi (whitespace first) at nesting `level`, the value of
 * member `key` (a pool offset; JT_NONE in an array): into t as *out, *pi
 * past it.  Refuses what json_scan_run refuses, with its status and the
 * offending offset in *at: nesting past max_depth, strings and keys past
 * max_string, values past max_values.
 */
enum json_scan_status jt_value(struct jt *t, const char *b, size_t len, size_t *pi,
                               size_t level, size_t key, size_t *out, size_t *at);

/* The first member of object `obj` named key, or JT_NONE. */
size_t jt_member(const struct jt *t, size_t obj, const char *key);

#endif /* VERDICT_JSON_TREE_H */
