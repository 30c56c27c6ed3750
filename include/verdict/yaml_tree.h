/* yaml_tree.h: parse YAML (libyaml) into a small tree that keeps every node's source marks. */
#ifndef VERDICT_YAML_TREE_H
#define VERDICT_YAML_TREE_H

#include <stddef.h>

/*
 * The tree is plain data, read-only once built: walk it through the
 * fields below.  It knows nothing of any schema; it enforces only what
 * makes a document meaningless (a syntax or encoding error, nesting deeper
 * than YAML_TREE_MAX_DEPTH, a second document, more than
 * YAML_TREE_MAX_NODES values, more than YAML_TREE_MAX_BYTES of text) and
 * records, without failing, what a caller
 * may refuse with a key path of its own: anchors, aliases, tags, NUL
 * characters in scalars and repeated map keys (see yaml_tree_problems and
 * dup_of).  libyaml types never appear here.
 *
 * Ownership: yaml_tree_parse allocates the whole tree; yaml_tree_free(root)
 * releases every node, string and array in it.  Nodes, strings and arrays
 * live in a few large blocks owned by the tree, so none of them may be
 * freed, reallocated or kept past yaml_tree_free on its own, with one
 * exception: the root's text, anchor and tag are separate allocations,
 * and a caller may take root->text (setting it to NULL) before freeing
 * the tree.  Nothing in the tree points into the input buffer, which the
 * caller may free after parsing.  Out of memory is fatal (xmalloc).
 */

/* Limits (verdict.yaml(5), LIMITS).  A node costs about 130 bytes with
 * its text and its slot in the parent, so the largest tree is about 70 MB;
 * 2^19 values hold 10,000 services written out in full (about 40 values
 * each). */
#define YAML_TREE_MAX_DEPTH 64          /* open maps and sequences */
#define YAML_TREE_MAX_NODES (1u << 19)  /* values in one document */
#define YAML_TREE_MAX_BYTES ((size_t)16 << 20)   /* the text itself */
#define YAML_TREE_MSG_LEN 512

enum yaml_tree_kind {
    YAML_TREE_SCALAR,
    YAML_TREE_MAP,
    YAML_TREE_SEQ,
    YAML_TREE_ALIAS                     /* "*name": recorded, never resolved */
};

enum yaml_tree_style {
    YAML_TREE_PLAIN,                    /* also maps, sequences and aliases */
    YAML_TREE_SINGLE_QUOTED,
    YAML_TREE_DOUBLE_QUOTED,
    YAML_TREE_LITERAL,                  /* | */
    YAML_TREE_FOLDED                    /* > */
};

/* A position in the input, all 0-based.  index is a byte offset into the
 * buffer given to yaml_tree_parse (a byte-order mark included, so buf +
 * index is always right); line and column count characters, as libyaml
 * does. */
struct yaml_tree_mark {
    size_t index;
    size_t line;
    size_t column;
};

struct yaml_tree_node {
    enum yaml_tree_kind kind;
    enum yaml_tree_style style;         /* scalars */
    /* [start.index, end.index) is the node's source text as written: a
     * scalar's quotes or block indicator included (a block scalar ends
     * after its last line break), a map or sequence from its first to its
     * last byte.  Replacing exactly those bytes edits the value in place. */
    struct yaml_tree_mark start;
    struct yaml_tree_mark end;
    char *anchor;                       /* "&name" without '&', or NULL */
    char *tag;                          /* as libyaml resolved it, or NULL */
    char *text;                         /* scalars: the value, NUL-terminated */
    size_t len;                         /* bytes in text (it may hold NULs: has_nul) */
    int has_nul;
    struct yaml_tree_node **items;      /* maps: key, value, key, value...;
                                         * sequences: the values; NULL when n is 0 */
    size_t n;                           /* entries in items (twice the pairs of a map) */
    /* A map key equal (byte for byte) to an earlier scalar key of the same
     * map: that first key.  NULL otherwise. */
    const struct yaml_tree_node *dup_of;
};

enum yaml_tree_status {
    YAML_TREE_OK = 0,
    YAML_TREE_ESYNTAX,                  /* a syntax or encoding error */
    YAML_TREE_EDEPTH,                   /* nested deeper than YAML_TREE_MAX_DEPTH */
    YAML_TREE_EDOCUMENTS,               /* more than one document */
    YAML_TREE_ETOO_MANY,                /* more than YAML_TREE_MAX_NODES values */
    YAML_TREE_ETOO_BIG,                 /* more than YAML_TREE_MAX_BYTES of text */
    YAML_TREE_EPARSER                   /* libyaml could not start */
};

/* Why there is no tree: where, and a message without position or file
 * name, e.g. "syntax error: mapping values are not allowed in this context". */
struct yaml_tree_error {
    struct yaml_tree_mark mark;
    char msg[YAML_TREE_MSG_LEN];
};

/* Parse `len` bytes of buf (UTF-8, or UTF-16 with a byte-order mark) into
 * *root; buf need not be NUL-terminated.  *root is NULL for a stream with
 * no document.  Returns YAML_TREE_OK, or another status with *root NULL and
 * *err filled (err may be NULL).  Free the tree with yaml_tree_free. */
enum yaml_tree_status yaml_tree_parse(const char *buf, size_t len,
                                      struct yaml_tree_node **root,
                                      struct yaml_tree_error *err);

/* Free a tree from yaml_tree_parse (NULL does nothing).  Only roots: a
 * node inside a tree belongs to its parent. */
void yaml_tree_free(struct yaml_tree_node *root);

/* What a verdict document may not use in node n itself (not its
 * children), as messages for the caller to report with its key path, in
 * this order: "aliases are not supported", "anchors and aliases are not
 * supported", "tags are not supported", "must not contain a NUL
 * character".  msgs gets up to YAML_TREE_MAX_PROBLEMS static strings; the
 * count is returned.  *usable is 0 when n's value cannot be used at all
 * (an alias, a scalar with a NUL), 1 when it can despite the problems. */
#define YAML_TREE_MAX_PROBLEMS 3
size_t yaml_tree_problems(const struct yaml_tree_node *n,
                          const char *msgs[YAML_TREE_MAX_PROBLEMS], int *usable);

/* 1 when n is YAML's null: a plain, untagged, unanchored scalar that is
 * empty ("key:"), "~", "null", "Null" or "NULL". */
int yaml_tree_is_null(const struct yaml_tree_node *n);

/* 1 when n is a scalar written without quotes (so it may be a number). */
int yaml_tree_is_plain(const struct yaml_tree_node *n);

/* The value of the first key equal to `key` in map n, skipping keys that
 * are not scalars, hold a NUL or repeat an earlier key; NULL when there is
 * none or n is not a map.  The node belongs to the tree. */
const struct yaml_tree_node *yaml_tree_map_get(const struct yaml_tree_node *n,
                                               const char *key);

#endif /* VERDICT_YAML_TREE_H */
