/* yaml_tree.c: turn libyaml events into a small tree that keeps source marks and styles. */
#include "verdict/yaml_tree.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <yaml.h>

#include "verdict/util.h"

/*
 * One pass over libyaml's events: scalars keep their bytes, style and
 * marks; maps keep key, value, key, value... side by side.  Duplicate keys
 * are marked when a map closes.  libyaml counts its mark index in
 * characters after any byte-order mark; the tree stores byte offsets,
 * converted as the marks go by (they only move forward, so the cost is one
 * walk over the input, or none when the input is ASCII).
 *
 * A large file is mostly small scalars, so the tree is allocated from an
 * arena (a list of growing blocks) rather than node by node, and a node's
 * children wait on one shared stack until it closes, when they are copied
 * out at their final size: no reallocations, and yaml_tree_free frees a
 * few blocks instead of every node.
 */

#if defined(__GNUC__)
#define YAML_TREE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define YAML_TREE_PRINTF(f, a)
#endif

enum encoding { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE };

/* Character index to byte offset, for marks that mostly move forward. */
struct cursor {
    const unsigned char *buf;
    size_t len;
    enum encoding enc;
    int ascii;                  /* UTF-8 without a byte over 0x7F: one byte a character */
    size_t origin;              /* bytes of the byte-order mark */
    size_t chars, bytes;        /* the last position converted */
};

/* Blocks of ARENA_FIRST bytes, doubling up to ARENA_MAX; a request larger
 * than a quarter of the next block (a long scalar) gets a block of its own.
 * Blocks of HUGE_PAGE bytes or more may use transparent huge pages. */
#define ARENA_FIRST ((size_t)16 << 10)
#define ARENA_MAX ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

struct arena_block {
    struct arena_block *next;
    max_align_t data[];
};

struct arena {
    struct arena_block *blocks;     /* every block, newest first */
    struct arena_block *cur;        /* the one being filled, or NULL */
    size_t used, size;              /* bytes of cur's data taken, and in all */
    size_t next_size;
};

/* The root node and the list of blocks it owns: yaml_tree_free finds the
 * list from the root (the root is allocated first, in the first block). */
struct tree {
    struct arena_block *blocks;
    struct yaml_tree_node root;
};

struct builder {
    struct cursor cur;
    struct arena arena;
    struct tree *tree;                                  /* NULL until the root */
    struct yaml_tree_node *root;
    struct yaml_tree_node *stack[YAML_TREE_MAX_DEPTH];  /* open maps and sequences */
    size_t first_kid[YAML_TREE_MAX_DEPTH];  /* where each one's children start in kids */
    size_t depth;
    struct yaml_tree_node **kids;   /* children of the open nodes, not yet copied out */
    size_t n_kids, cap_kids;
    size_t n_nodes;
    int documents;
    struct yaml_tree_error *err;
};

static void arena_free(struct arena_block *b)
{
    while (b != NULL) {
        struct arena_block *next = b->next;

        free(b);
        b = next;
    }
}

/* A block of `bytes` in all, linked into a's list.  A large one starts on
 * a huge page boundary and asks for transparent huge pages (Linux): a
 * 10,000-service tree is about 50 MB, and taking that in 4 KiB page
 * faults costs about as much as building it.  The advice is only a hint:
 * where it is refused or unknown the block is ordinary memory. */
static struct arena_block *arena_block_new(struct arena *a, size_t bytes)
{
    struct arena_block *b = NULL;

#if defined(MADV_HUGEPAGE)
    if (bytes % HUGE_PAGE == 0) {
        b = aligned_alloc(HUGE_PAGE, bytes);
        if (b != NULL)
            (void)madvise(b, bytes, MADV_HUGEPAGE);
    }
#endif
    if (b == NULL)
        b = xmalloc(bytes);
    b->next = a->blocks;
    a->blocks = b;
    return b;
}

/* arena_alloc when the current block is full (or there is none). */
static void *arena_grow(struct arena *a, size_t size)
{
    struct arena_block *b;

    if (a->next_size == 0)
        a->next_size = ARENA_FIRST;
    if (size > a->next_size / 4)
        return arena_block_new(a, offsetof(struct arena_block, data) + size)->data;
    b = arena_block_new(a, a->next_size);
    a->cur = b;
    a->size = a->next_size - offsetof(struct arena_block, data);
    a->used = size;
    if (a->next_size < ARENA_MAX)
        a->next_size *= 2;
    return b->data;
}

/* size bytes aligned to align (a power of two up to max_align_t's). */
static inline void *arena_alloc(struct arena *a, size_t size, size_t align)
{
    size_t at = (a->used + align - 1) & ~(align - 1);

    if (a->cur != NULL && at <= a->size && size <= a->size - at) {
        a->used = at + size;
        return (char *)a->cur->data + at;
    }
    return arena_grow(a, size);
}

static char *arena_strdup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1, 1);

    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* 1 when no byte of b[0..len) is over 0x7F: eight bytes at a time, a
 * look at the result every 4 KiB. */
static int is_ascii(const unsigned char *b, size_t len)
{
    const uint64_t high = 0x8080808080808080u;
    uint64_t acc = 0, w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, b + i, 8);
        acc |= w;
        if ((i & 4095) == 0 && (acc & high) != 0)
            return 0;
    }
    for (; i < len; i++)
        acc |= b[i];
    return (acc & high) == 0;
}

static void cursor_init(struct cursor *c, const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;

    memset(c, 0, sizeof(*c));
    c->buf = b;
    c->len = len;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        c->enc = ENC_UTF16LE;
        c->origin = 2;
    } else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        c->enc = ENC_UTF16BE;
        c->origin = 2;
    } else if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        c->origin = 3;
    }
    c->bytes = c->origin;
    if (c->enc == ENC_UTF8)
        c->ascii = is_ascii(b + c->origin, len - c->origin);
}

/* Bytes taken by the character at byte offset at. */
static size_t cursor_width(const struct cursor *c, size_t at)
{
    const unsigned char *b = c->buf + at;
    unsigned unit;

    if (c->enc == ENC_UTF8) {
        size_t w = 1;

        while (at + w < c->len && (b[w] & 0xC0) == 0x80)
            w++;
        return w;
    }
    if (at + 1 >= c->len)
        return 1;
    unit = c->enc == ENC_UTF16LE ? (unsigned)(b[0] | b[1] << 8) : (unsigned)(b[0] << 8 | b[1]);
    return unit >= 0xD800 && unit <= 0xDBFF ? 4 : 2;
}

static size_t cursor_bytes(struct cursor *c, size_t chars)
{
    if (chars < c->chars) {
        c->chars = 0;
        c->bytes = c->origin;
    }
    while (c->chars < chars && c->bytes < c->len) {
        c->bytes += cursor_width(c, c->bytes);
        c->chars++;
    }
    if (c->bytes > c->len)
        c->bytes = c->len;
    return c->bytes;
}

static inline struct yaml_tree_mark mark_of(struct cursor *c, const yaml_mark_t *m)
{
    struct yaml_tree_mark t;

    if (c->ascii)
        t.index = m->index < c->len - c->origin ? c->origin + m->index : c->len;
    else
        t.index = cursor_bytes(c, m->index);
    t.line = m->line;
    t.column = m->column;
    return t;
}

YAML_TREE_PRINTF(3, 4)
static void set_error(struct yaml_tree_error *err, struct yaml_tree_mark m, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return;
    err->mark = m;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

void yaml_tree_free(struct yaml_tree_node *root)
{
    struct tree *t;

    if (root == NULL)
        return;
    t = (struct tree *)(void *)((char *)root - offsetof(struct tree, root));
    free(root->text);
    free(root->anchor);
    free(root->tag);
    arena_free(t->blocks);
}

/* A copy of s, or NULL: the root's on the heap (a caller may take its
 * text), every other node's in the arena. */
static char *node_strdup(struct builder *b, const struct yaml_tree_node *n, const char *s,
                         size_t len)
{
    char *p;

    if (n != b->root)
        return arena_strdup(&b->arena, s, len);
    p = xmalloc(len + 1);
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* A zeroed node; the first one made is the root, in the struct tree that
 * yaml_tree_free finds it by. */
static struct yaml_tree_node *node_new(struct builder *b, enum yaml_tree_kind kind,
                                       const yaml_event_t *ev)
{
    struct yaml_tree_node *n;

    if (b->tree == NULL) {
        /* the first node is the root: nothing is open before it */
        b->tree = arena_alloc(&b->arena, sizeof(*b->tree), _Alignof(struct tree));
        b->tree->blocks = NULL;
        n = &b->tree->root;
        b->root = n;
    } else {
        n = arena_alloc(&b->arena, sizeof(*n), _Alignof(struct yaml_tree_node));
    }
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->start = mark_of(&b->cur, &ev->start_mark);
    n->end = mark_of(&b->cur, &ev->end_mark);
    return n;
}

/* child waits in b->kids until its parent closes (node_close). */
static void node_append(struct builder *b, struct yaml_tree_node *child)
{
    if (b->n_kids == b->cap_kids) {
        b->cap_kids = b->cap_kids ? b->cap_kids * 2 : 256;
        b->kids = xrealloc(b->kids, b->cap_kids * sizeof(*b->kids));
    }
    b->kids[b->n_kids++] = child;
}

static enum yaml_tree_style style_of(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return YAML_TREE_SINGLE_QUOTED;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return YAML_TREE_DOUBLE_QUOTED;
    case YAML_LITERAL_SCALAR_STYLE:
        return YAML_TREE_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
        return YAML_TREE_FOLDED;
    default:
        return YAML_TREE_PLAIN;
    }
}

struct key_ref {
    const struct yaml_tree_node *key;
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

static int same_key(const struct yaml_tree_node *a, const struct yaml_tree_node *b)
{
    return a->len == b->len && (a->len == 0 || (a->text[0] == b->text[0] &&
                                                 memcmp(a->text, b->text, a->len) == 0));
}

/* Up to this many pairs, compare each key with those before it. */
#define SMALL_MAP_PAIRS 16

/* Point every repeated scalar key at its first occurrence: sorting keeps
 * this O(n log n) however large a hostile map is; a small map (a service's
 * keys) is quicker to check pair by pair. */
static void map_mark_duplicates(struct yaml_tree_node *map)
{
    struct key_ref *refs;
    size_t i, j, n = 0, first = 0;

    if (map->n < 4)
        return;
    if (map->n <= 2 * SMALL_MAP_PAIRS) {
        /* a bit per (length, first byte) seen: a key whose bit is still
         * clear equals no earlier key, so most keys skip the search */
        uint64_t seen = 0, bit;

        for (i = 0; i + 1 < map->n; i += 2) {
            struct yaml_tree_node *k = map->items[i];

            if (k->kind != YAML_TREE_SCALAR)
                continue;
            bit = (uint64_t)1 << ((k->len * 7 + (unsigned char)k->text[0]) & 63);
            if ((seen & bit) == 0) {
                seen |= bit;
                continue;
            }
            for (j = 0; j < i; j += 2) {
                if (map->items[j]->kind == YAML_TREE_SCALAR && same_key(map->items[j], k)) {
                    k->dup_of = map->items[j];
                    break;
                }
            }
        }
        return;
    }
    refs = xmalloc(map->n / 2 * sizeof(*refs));
    for (i = 0; i + 1 < map->n; i += 2) {
        if (map->items[i]->kind == YAML_TREE_SCALAR) {
            refs[n].key = map->items[i];
            refs[n].pos = i;
            n++;
        }
    }
    qsort(refs, n, sizeof(*refs), key_ref_cmp);
    for (i = 1; i < n; i++) {
        const struct yaml_tree_node *a = refs[first].key, *b = refs[i].key;

        if (same_key(a, b))
            map->items[refs[i].pos]->dup_of = a;
        else
            first = i;
    }
    free(refs);
}

/* n, at b->stack[b->depth], is complete: move its children out of
 * b->kids into an array of their own. */
static void node_close(struct builder *b, struct yaml_tree_node *n)
{
    size_t first = b->first_kid[b->depth];

    n->n = b->n_kids - first;
    if (n->n > 0) {
        n->items = arena_alloc(&b->arena, n->n * sizeof(*n->items),
                               _Alignof(struct yaml_tree_node *));
        memcpy(n->items, b->kids + first, n->n * sizeof(*n->items));
    }
    b->n_kids = first;
}

/* One event into the tree: 0 to go on, 1 at the end, or minus an error
 * status with b->err filled. */
static int builder_event(struct builder *b, const yaml_event_t *ev)
{
    struct yaml_tree_node *n = NULL;
    const yaml_char_t *anchor = NULL, *tag = NULL;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0) {
            set_error(b->err, mark_of(&b->cur, &ev->start_mark),
                      "only one YAML document is allowed");
            return -YAML_TREE_EDOCUMENTS;
        }
        return 0;
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_ALIAS_EVENT:
        n = node_new(b, YAML_TREE_ALIAS, ev);
        break;
    case YAML_SCALAR_EVENT:
        n = node_new(b, YAML_TREE_SCALAR, ev);
        n->len = ev->data.scalar.length;
        n->text = node_strdup(b, n, (const char *)ev->data.scalar.value, n->len);
        n->has_nul = memchr(n->text, '\0', n->len) != NULL;
        n->style = style_of(ev->data.scalar.style);
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (b->depth == YAML_TREE_MAX_DEPTH) {
            set_error(b->err, mark_of(&b->cur, &ev->start_mark),
                      "nesting is deeper than %d levels", YAML_TREE_MAX_DEPTH);
            return -YAML_TREE_EDEPTH;
        }
        if (ev->type == YAML_SEQUENCE_START_EVENT) {
            n = node_new(b, YAML_TREE_SEQ, ev);
            anchor = ev->data.sequence_start.anchor;
            tag = ev->data.sequence_start.tag;
        } else {
            n = node_new(b, YAML_TREE_MAP, ev);
            anchor = ev->data.mapping_start.anchor;
            tag = ev->data.mapping_start.tag;
        }
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth == 0)
            return 0;
        n = b->stack[--b->depth];
        n->end = mark_of(&b->cur, &ev->end_mark);
        node_close(b, n);
        if (n->kind == YAML_TREE_MAP)
            map_mark_duplicates(n);
        return 0;
    default:
        return 0;
    }
    if (anchor != NULL)
        n->anchor = node_strdup(b, n, (const char *)anchor, strlen((const char *)anchor));
    if (tag != NULL)
        n->tag = node_strdup(b, n, (const char *)tag, strlen((const char *)tag));
    if (b->depth > 0)
        node_append(b, n);
    else if (n != b->root)
        return 0;       /* cannot happen: one root per document (n stays in the arena) */
    if (n->kind == YAML_TREE_MAP || n->kind == YAML_TREE_SEQ) {
        b->first_kid[b->depth] = b->n_kids;
        b->stack[b->depth++] = n;
    }
    if (++b->n_nodes > YAML_TREE_MAX_NODES) {
        set_error(b->err, mark_of(&b->cur, &ev->start_mark), "too many values (more than %u)",
                  YAML_TREE_MAX_NODES);
        return -YAML_TREE_ETOO_MANY;
    }
    return 0;
}

/* libyaml's reader errors carry a byte offset but no line: count lines and
 * bytes up to it. */
static struct yaml_tree_mark mark_at_offset(const char *buf, size_t len, size_t offset)
{
    struct yaml_tree_mark m;
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

/* 1 when the ':' at byte `at` ends a plain key longer than the 1024
 * characters libyaml (and YAML 1.1) allow a key written without '?': the
 * line up to it, past indentation and "- ", holds no other ": ". */
static int long_key_before(const char *buf, size_t at)
{
    size_t start = at, i;

    if (buf[at] != ':')
        return 0;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    while (start < at && (buf[start] == ' ' || buf[start] == '-'))
        start++;
    for (i = start; i + 1 < at; i++)
        if (buf[i] == ':' && buf[i + 1] == ' ')
            return 0;
    return at - start > 1024;
}

static void syntax_error(struct builder *b, const yaml_parser_t *p, const char *buf, size_t len)
{
    struct yaml_tree_mark m;
    const char *problem = p->problem != NULL ? p->problem : "cannot parse";
    int long_key;

    if (p->error == YAML_MEMORY_ERROR)
        problem = "out of memory";
    if (p->error == YAML_READER_ERROR)
        m = mark_at_offset(buf, len, p->problem_offset);
    else
        m = mark_of(&b->cur, &p->problem_mark);
    /* libyaml gives up on a key without '?' after 1024 characters (YAML
     * 1.1 allows no more) and then names another problem: say so, the
     * words alone puzzle */
    long_key = p->error == YAML_SCANNER_ERROR && p->context != NULL &&
               strcmp(p->context, "while scanning a simple key") == 0 &&
               p->problem_mark.index > p->context_mark.index + 1024;
    if (!long_key && p->error == YAML_SCANNER_ERROR && p->context == NULL &&
        strcmp(problem, "mapping values are not allowed in this context") == 0 && m.index < len)
        long_key = long_key_before(buf, m.index);
    if (long_key && p->context != NULL)
        set_error(b->err, m, "syntax error: %s (%s: a key may be at most 1024 characters)",
                  problem, p->context);
    else if (long_key)
        set_error(b->err, m, "syntax error: %s (a key may be at most 1024 characters)", problem);
    else if (p->context != NULL)
        set_error(b->err, m, "syntax error: %s (%s)", problem, p->context);
    else
        set_error(b->err, m, "syntax error: %s", problem);
}

enum yaml_tree_status yaml_tree_parse(const char *buf, size_t len,
                                      struct yaml_tree_node **root,
                                      struct yaml_tree_error *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct builder b;
    int rc = 0;

    *root = NULL;
    if (buf == NULL) {
        buf = "";
        len = 0;
    }
    memset(&b, 0, sizeof(b));
    b.err = err;
    cursor_init(&b.cur, buf, len);
    if (len > YAML_TREE_MAX_BYTES) {
        set_error(err, mark_at_offset(buf, 0, 0), "larger than %zu MiB (%zu bytes)",
                  YAML_TREE_MAX_BYTES >> 20, len);
        return YAML_TREE_ETOO_BIG;
    }
    if (!yaml_parser_initialize(&parser)) {
        set_error(err, mark_of(&b.cur, &parser.problem_mark), "cannot start the YAML parser");
        return YAML_TREE_EPARSER;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (rc == 0) {
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&b, &parser, buf, len);
            rc = -YAML_TREE_ESYNTAX;
            break;
        }
        rc = builder_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(b.kids);
    if (rc < 0 || b.root == NULL) {
        if (b.root != NULL) {
            free(b.root->text);
            free(b.root->anchor);
            free(b.root->tag);
        }
        arena_free(b.arena.blocks);
        return rc < 0 ? (enum yaml_tree_status)-rc : YAML_TREE_OK;
    }
    b.tree->blocks = b.arena.blocks;
    *root = b.root;
    return YAML_TREE_OK;
}

/* ---- reading the tree -------------------------------------------------- */

size_t yaml_tree_problems(const struct yaml_tree_node *n,
                          const char *msgs[YAML_TREE_MAX_PROBLEMS], int *usable)
{
    size_t k = 0;

    *usable = 1;
    if (n->kind == YAML_TREE_ALIAS) {
        msgs[k++] = "aliases are not supported";
        *usable = 0;
        return k;
    }
    if (n->anchor != NULL)
        msgs[k++] = "anchors and aliases are not supported";
    if (n->tag != NULL)
        msgs[k++] = "tags are not supported";
    if (n->kind == YAML_TREE_SCALAR && n->has_nul) {
        msgs[k++] = "must not contain a NUL character";
        *usable = 0;
    }
    return k;
}

int yaml_tree_is_plain(const struct yaml_tree_node *n)
{
    return n->kind == YAML_TREE_SCALAR && n->style == YAML_TREE_PLAIN;
}

int yaml_tree_is_null(const struct yaml_tree_node *n)
{
    if (!yaml_tree_is_plain(n) || n->anchor != NULL || n->tag != NULL)
        return 0;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

const struct yaml_tree_node *yaml_tree_map_get(const struct yaml_tree_node *n,
                                               const char *key)
{
    size_t i;

    if (n->kind != YAML_TREE_MAP)
        return NULL;
    for (i = 0; i + 1 < n->n; i += 2) {
        const struct yaml_tree_node *k = n->items[i];

        if (k->kind == YAML_TREE_SCALAR && !k->has_nul && k->dup_of == NULL &&
            strcmp(k->text, key) == 0)
            return n->items[i + 1];
    }
    return NULL;
}
