/* yaml_edit.c: change values of a YAML file in place and save it atomically, keeping the rest. */
#include "verdict/yaml_edit.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verdict/hash.h"
#include "verdict/util.h"
#include "verdict/yaml_tree.h"
#include "verdict/yaml_value.h"

/*
 * The document is its bytes plus the tree parsed from them.  An edit is a
 * splice: replace [off, off + old_len) with new bytes; the replaced bytes
 * are kept so that undo is the reverse splice.  Every edit is checked by
 * parsing the new text and comparing the new tree with the old one: the
 * edited value must read back as intended and every other value must be
 * unchanged, else the splice is reverted.  So a mistake in choosing bytes
 * costs the user an error message, never a silently different file.
 */

struct edit {
    size_t off;
    char *old;                  /* owned: the bytes replaced */
    size_t old_len;
    size_t new_len;
};

struct yaml_doc {
    char *name;                 /* for messages */
    char *path;                 /* NULL: loaded from memory */
    char *text;                 /* current bytes, NUL-terminated */
    size_t len, cap;
    struct yaml_tree_node *root;    /* parsed from text; NULL for an empty stream */
    struct edit *edits;         /* the undo stack */
    size_t n_edits, cap_edits;
    /* The saved text is edits[0, saved_depth); base is the lowest depth
     * undo reached since: edits[0, base) are common to both texts. */
    size_t saved_depth, base;
    /* the file as loaded or last saved, to notice others' changes */
    off_t disk_size;
    struct timespec disk_mtime;
    uint64_t disk_hash;         /* FNV-1a of its bytes */
    char *saved_to;             /* owned: the file the last save replaced, or NULL */
    int fail_at;
};

/* Where a path leads. */
struct target {
    struct yaml_tree_node *map;     /* the map holding the last key; NULL for "x[NAME]" */
    struct yaml_tree_node *node;    /* the value; NULL when the last key is missing */
    const char *key;                /* the last key, in the path */
    size_t key_len;
    const char *rest;               /* after key when maps are missing too, else NULL */
};

/* ---- small helpers ------------------------------------------------------ */

/* 64-bit FNV-1a: cheap, and enough to notice that a file's bytes changed. */
static char *concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = xmalloc(na + nb + 1);

    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- paths -------------------------------------------------------------- */

struct seg {
    const char *key;
    size_t key_len;
    const char *name;           /* "key[name]": the element whose name is name */
    size_t name_len;
    const char *next;           /* the next segment, or the terminating NUL */
};

/* Split off the segment at p.  A bracketed name ends at the first "]"
 * followed by "." or the end, so it may hold dots and brackets itself. */
static int seg_parse(const char *p, struct seg *s)
{
    const char *q = p, *c;

    memset(s, 0, sizeof(*s));
    s->key = p;
    while (*q != '\0' && *q != '.' && *q != '[')
        q++;
    s->key_len = (size_t)(q - p);
    if (s->key_len == 0)
        return -1;
    if (*q == '[') {
        for (c = q + 1;; c++) {
            c = strchr(c, ']');
            if (c == NULL)
                return -1;
            if (c[1] == '.' || c[1] == '\0')
                break;
        }
        s->name = q + 1;
        s->name_len = (size_t)(c - q - 1);
        if (s->name_len == 0)
            return -1;
        q = c + 1;
    }
    if (*q == '.') {
        q++;
        if (*q == '\0')
            return -1;
    }
    s->next = q;
    return 0;
}

/* The value of key in map m (first occurrence, scalar keys only). */
static struct yaml_tree_node *map_find(const struct yaml_tree_node *m, const char *key,
                                       size_t n)
{
    size_t i;

    for (i = 0; i + 1 < m->n; i += 2) {
        const struct yaml_tree_node *k = m->items[i];

        if (k->kind == YAML_TREE_SCALAR && k->dup_of == NULL && k->len == n &&
            memcmp(k->text, key, n) == 0)
            return m->items[i + 1];
    }
    return NULL;
}

/* The element of seq whose `name` is name; failing that, name as a
 * 0-based index when it is all digits. */
static struct yaml_tree_node *seq_find(const struct yaml_tree_node *seq, const char *name,
                                       size_t n)
{
    size_t i, idx = 0;

    for (i = 0; i < seq->n; i++) {
        const struct yaml_tree_node *v;

        if (seq->items[i]->kind != YAML_TREE_MAP)
            continue;
        v = map_find(seq->items[i], "name", 4);
        if (v != NULL && v->kind == YAML_TREE_SCALAR && v->len == n &&
            memcmp(v->text, name, n) == 0)
            return seq->items[i];
    }
    if (n > 9)
        return NULL;
    for (i = 0; i < n; i++) {
        if (name[i] < '0' || name[i] > '9')
            return NULL;
        idx = idx * 10 + (size_t)(name[i] - '0');
    }
    return idx < seq->n ? seq->items[idx] : NULL;
}

/* 1 when the path after a missing key is plain keys only ("b.c", not
 * "b[x].c"): maps that can be created.  p is the rest of the path. */
static int missing_maps(const char *p)
{
    struct seg s;

    if (*p == '\0')
        return 0;
    for (; *p != '\0'; p = s.next)
        if (seg_parse(p, &s) != 0 || s.name != NULL)
            return 0;
    return 1;
}

/* Follow path from root.  A missing last key is not an error (t->node
 * NULL, t->map its map); nor are missing maps on the way when only plain
 * keys follow (returns 1: t->key is the first missing key, t->rest the
 * keys after it).  Anything else missing is.  Returns 0, 1 or -1. */
static int resolve(struct yaml_tree_node *root, const char *path, struct target *t,
                   char *err, size_t errlen)
{
    struct yaml_tree_node *cur = root, *v;
    const char *p = path, *why;
    struct seg s;
    int upto = 0;               /* the part of path the message is about */

    memset(t, 0, sizeof(*t));
    why = root == NULL ? "the document is empty" : NULL;
    for (; why == NULL && *p != '\0'; p = s.next)
        if (seg_parse(p, &s) != 0)
            why = "not a valid path (a.b, services[NAME].key)";
    p = path;
    while (why == NULL) {
        if (seg_parse(p, &s) != 0) {
            why = "not a valid path (a.b, services[NAME].key)";
            break;
        }
        if (cur->kind != YAML_TREE_MAP) {
            upto = p == path ? 0 : (int)(p - path - 1);
            why = p == path ? "the document is not a map" : " is not a map";
            break;
        }
        v = map_find(cur, s.key, s.key_len);
        if (*s.next == '\0' && s.name == NULL) {
            t->map = cur;
            t->node = v;
            t->key = s.key;
            t->key_len = s.key_len;
            return 0;
        }
        upto = (int)(s.key + s.key_len - path);
        if (v == NULL && s.name == NULL && missing_maps(s.next)) {
            /* "a.b.c" with no "b" in "a": the maps can be added too */
            t->map = cur;
            t->key = s.key;
            t->key_len = s.key_len;
            t->rest = s.next;
            return 1;
        }
        if (v == NULL) {
            why = ": not found";
        } else if (s.name != NULL && v->kind != YAML_TREE_SEQ) {
            why = " is not a list";
        } else if (s.name != NULL) {
            v = seq_find(v, s.name, s.name_len);
            upto = (int)(s.name + s.name_len + 1 - path);
            why = v == NULL ? ": not found" : NULL;
        }
        if (why == NULL && *s.next == '\0') {
            t->node = v;
            return 0;
        }
        cur = v;
        p = s.next;
    }
    util_errf(err, errlen, "%s: %.*s%s", path, upto, path, why);
    return -1;
}

/* ---- the text and its undo stack ---------------------------------------- */

static void doc_splice(struct yaml_doc *d, size_t off, size_t del, const char *ins, size_t n)
{
    size_t need = d->len - del + n + 1;

    if (need > d->cap) {
        d->cap = need + need / 2;
        d->text = xrealloc(d->text, d->cap);
    }
    memmove(d->text + off + n, d->text + off + del, d->len - off - del + 1);
    if (n > 0)
        memcpy(d->text + off, ins, n);
    d->len = d->len - del + n;
}

static void doc_apply(struct yaml_doc *d, size_t off, size_t del, const char *ins, size_t n)
{
    struct edit *e;

    if (d->n_edits == d->cap_edits) {
        d->cap_edits = d->cap_edits ? d->cap_edits * 2 : 16;
        d->edits = xrealloc(d->edits, d->cap_edits * sizeof(*d->edits));
    }
    e = &d->edits[d->n_edits++];
    e->off = off;
    e->old_len = del;
    e->new_len = n;
    e->old = xmalloc(del + 1);
    memcpy(e->old, d->text + off, del);
    doc_splice(d, off, del, ins, n);
}

/* Pop the last edit, restoring its bytes (the tree is the caller's job). */
static void doc_revert(struct yaml_doc *d)
{
    struct edit *e = &d->edits[--d->n_edits];

    doc_splice(d, e->off, e->new_len, e->old, e->old_len);
    free(e->old);
    if (d->base > d->n_edits)
        d->base = d->n_edits;
}

/* ---- load --------------------------------------------------------------- */

/* A document owning buf (len bytes, NUL-terminated), or NULL with err. */
static struct yaml_doc *doc_new(const char *name, char *buf, size_t len, char *err,
                                size_t errlen)
{
    struct yaml_doc *d;
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error perr;
    const unsigned char *u = (const unsigned char *)buf;

    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        util_errf(err, errlen, "%s: UTF-16 files cannot be edited; convert it to UTF-8", name);
        free(buf);
        return NULL;
    }
    memset(&perr, 0, sizeof(perr));
    if (yaml_tree_parse(buf, len, &root, &perr) != YAML_TREE_OK) {
        util_errf(err, errlen, "%s:%zu:%zu: %s", name, perr.mark.line + 1,
                  perr.mark.column + 1, perr.msg);
        free(buf);
        return NULL;
    }
    d = xcalloc(1, sizeof(*d));
    d->name = xstrdup(name);
    d->text = buf;
    d->len = len;
    d->cap = len + 1;
    d->root = root;
    return d;
}

int yaml_doc_load(const char *path, struct yaml_doc **out, char *err, size_t errlen)
{
    struct stat st;
    struct yaml_doc *d;
    char *buf;
    size_t len = 0;

    *out = NULL;
    /* stat first: a change between stat and read makes the next save
     * refuse, which is the safe mistake. */
    if (stat(path, &st) != 0) {
        util_errf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        util_errf(err, errlen, "%s: not a regular file", path);
        return -1;
    }
    buf = util_read_file(path, &len);
    if (buf == NULL) {
        util_errf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    d = doc_new(path, buf, len, err, errlen);
    if (d == NULL)
        return -1;
    d->path = xstrdup(path);
    d->disk_size = st.st_size;
    d->disk_mtime = st.st_mtim;
    d->disk_hash = hash_fnv1a(buf, len);
    *out = d;
    return 0;
}

int yaml_doc_load_buffer(const char *name, const char *buf, size_t len,
                         struct yaml_doc **out, char *err, size_t errlen)
{
    char *copy = xmalloc(len + 1);

    if (len > 0)
        memcpy(copy, buf, len);
    copy[len] = '\0';
    *out = doc_new(name != NULL ? name : "(memory)", copy, len, err, errlen);
    return *out != NULL ? 0 : -1;
}

void yaml_doc_free(struct yaml_doc *d)
{
    size_t i;

    if (d == NULL)
        return;
    for (i = 0; i < d->n_edits; i++)
        free(d->edits[i].old);
    free(d->edits);
    yaml_tree_free(d->root);
    free(d->text);
    free(d->path);
    free(d->name);
    free(d->saved_to);
    free(d);
}

const char *yaml_doc_text(const struct yaml_doc *d, size_t *len)
{
    if (len != NULL)
        *len = d != NULL ? d->len : 0;
    return d != NULL ? d->text : "";
}

const struct yaml_tree_node *yaml_doc_root(const struct yaml_doc *d)
{
    return d != NULL ? d->root : NULL;
}

/* ---- set ---------------------------------------------------------------- */

/* End of the line holding offset at: the '\n' (or the '\r' of "\r\n"), or len. */
static size_t line_end(const struct yaml_doc *d, size_t at)
{
    while (at < d->len && d->text[at] != '\n')
        at++;
    if (at > 0 && at < d->len && d->text[at - 1] == '\r')
        at--;
    return at;
}

/* Just after the last byte of a block scalar's content (its marks run
 * past the trailing line breaks, sometimes into the next line's indent). */
static size_t block_content_end(const struct yaml_doc *d, const struct yaml_tree_node *n,
                                size_t header_end)
{
    size_t e = n->end.index;

    while (e > header_end && is_ws(d->text[e - 1]))
        e--;
    return e;
}

/* Spaces to put before a value that replaces block scalar n, the value of
 * a key in t->map: libyaml takes "key:\n>\n  text" with the indicator
 * no deeper than the key, but a quoted or flow value there would be a new
 * key; two columns deeper than the key it is the key's value again. */
static size_t block_value_pad(const struct target *t, const struct yaml_tree_node *n)
{
    const struct yaml_tree_node *key = NULL;
    size_t i;

    for (i = 1; t->map != NULL && i < t->map->n; i += 2)
        if (t->map->items[i] == n)
            key = t->map->items[i - 1];
    if (key == NULL || n->start.line <= key->start.line ||
        n->start.column > key->start.column)
        return 0;
    return key->start.column + 2 - n->start.column;
}

/* The bytes to replace for an existing value, and the new bytes. */
static int plan_replace(const struct yaml_doc *d, const char *path, const struct target *t,
                        const struct yaml_value *in, size_t *off, size_t *del, struct yaml_sbuf *rep,
                        char *err, size_t errlen)
{
    const struct yaml_tree_node *n = t->node;
    const char *txt = d->text, *why = NULL;

    if (n->kind == YAML_TREE_ALIAS || n->anchor != NULL || n->tag != NULL)
        why = "has an anchor, alias or tag: edit it in the file";
    else if (n->kind == YAML_TREE_MAP)
        why = "is a map: set one of its keys";
    else if (n->kind == YAML_TREE_SEQ && txt[n->start.index] != '[')
        why = "is a block list (\"- item\" lines): edit it in the file";
    if (why != NULL) {
        util_errf(err, errlen, "%s %s", path, why);
        return -1;
    }
    *off = n->start.index;
    *del = n->end.index - n->start.index;
    if (n->style == YAML_TREE_LITERAL || n->style == YAML_TREE_FOLDED) {
        /* "key: >- # note\n  text\n": the indicator and the content lines
         * give way to one double-quoted line; the note stays. */
        size_t ind = n->start.index, hdr, end, pad;

        while (ind < d->len && txt[ind] != '\0' && strchr("|>+-0123456789", txt[ind]) != NULL)
            ind++;
        hdr = line_end(d, ind);
        end = block_content_end(d, n, hdr);
        if (end > hdr) {
            /* the last line's trailing blanks, not beyond the scalar: after
             * a NEL (a line break to libyaml, not to line_end) its marks
             * can end before them */
            while (end < n->end.index && (txt[end] == ' ' || txt[end] == '\t'))
                end++;
        } else {
            end = hdr;
        }
        *del = end - n->start.index;
        for (pad = block_value_pad(t, n); pad > 0; pad--)
            yaml_sbuf_add(rep, " ", 1);
        yaml_value_encode(rep, in, YAML_TREE_DOUBLE_QUOTED);
        yaml_sbuf_add(rep, txt + ind, hdr - ind);
        return 0;
    }
    /* "key:" with nothing after the colon: an empty scalar right after it */
    if (*del == 0 && *off > 0 && txt[*off - 1] != ' ' && txt[*off - 1] != '\t')
        yaml_sbuf_add(rep, " ", 1);
    yaml_value_encode(rep, in, n->kind == YAML_TREE_SCALAR ? n->style : YAML_TREE_PLAIN);
    return 0;
}

/* A new "KEY: VALUE" line after the last entry of t->map, indented like
 * its keys: after the last line holding a value, before any comments. */
static int plan_insert(const struct yaml_doc *d, const char *path, const struct target *t,
                       const struct yaml_value *in, size_t *off, struct yaml_sbuf *rep, char *err,
                       size_t errlen)
{
    const struct yaml_tree_node *m = t->map, *leaf;
    const char *txt = d->text, *p;
    const char *eol = "\n";
    size_t end, i, first_nl, depth;
    struct seg s;
    int last_line;

    if (txt[m->start.index] == '{' || m->n < 2) {
        util_errf(err, errlen, "%s: cannot add a key to a {flow} map: edit it in the file",
                  path);
        return -1;
    }
    leaf = m->items[m->n - 1];
    while ((leaf->kind == YAML_TREE_MAP || leaf->kind == YAML_TREE_SEQ) && leaf->n > 0 &&
           txt[leaf->start.index] != '{' && txt[leaf->start.index] != '[')
        leaf = leaf->items[leaf->n - 1];
    end = leaf->end.index;
    if (leaf->style == YAML_TREE_LITERAL || leaf->style == YAML_TREE_FOLDED)
        end = block_content_end(d, leaf, leaf->start.index + 1);
    /* the new line ends like the line it follows, or the file's first */
    end = line_end(d, end);
    first_nl = line_end(d, 0);
    last_line = end == d->len;
    if (!last_line) {
        eol = txt[end] == '\r' ? "\r\n" : "\n";
        end += strlen(eol);
    } else {
        if (first_nl < d->len && txt[first_nl] == '\r')
            eol = "\r\n";
        yaml_sbuf_add(rep, eol, strlen(eol));     /* the file has no final line break */
    }
    *off = end;
    for (i = 0; i < m->items[0]->start.column; i++)
        yaml_sbuf_add(rep, " ", 1);
    yaml_value_encode_key(rep, t->key, t->key_len);
    /* missing maps on the way: one line each, two more spaces each */
    for (p = t->rest, depth = 1; p != NULL && *p != '\0'; p = s.next, depth++) {
        if (seg_parse(p, &s) != 0)
            return -1;          /* resolve checked it */
        yaml_sbuf_add(rep, ":", 1);
        yaml_sbuf_add(rep, eol, strlen(eol));
        for (i = 0; i < m->items[0]->start.column + 2 * depth; i++)
            yaml_sbuf_add(rep, " ", 1);
        yaml_value_encode_key(rep, s.key, s.key_len);
    }
    yaml_sbuf_add(rep, ": ", 2);
    yaml_value_encode(rep, in, YAML_TREE_PLAIN);
    if (!last_line)
        yaml_sbuf_add(rep, eol, strlen(eol));
    return 0;
}

/* 1 when a (before an edit) and b (after) hold the same values, except
 * the value skip (replaced) or a pair added at the end of map grown. */
static int tree_same(const struct yaml_tree_node *a, const struct yaml_tree_node *b,
                     const struct yaml_tree_node *skip, const struct yaml_tree_node *grown)
{
    size_t i;

    if (a == skip)
        return 1;
    if (a->kind != b->kind || a->style != b->style || !a->anchor != !b->anchor ||
        !a->tag != !b->tag || (a->anchor && strcmp(a->anchor, b->anchor) != 0) ||
        (a->tag && strcmp(a->tag, b->tag) != 0))
        return 0;
    if (a->kind == YAML_TREE_SCALAR)
        return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    if (b->n != a->n + (a == grown ? 2 : 0))
        return 0;
    for (i = 0; i < a->n; i++)
        if (!tree_same(a->items[i], b->items[i], skip, grown))
            return 0;
    return 1;
}

int yaml_doc_set(struct yaml_doc *d, const char *path, const char *value, char *err,
                 size_t errlen)
{
    struct yaml_value in;
    struct target t, back;
    struct yaml_sbuf rep = {NULL, 0, 0};
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error perr;
    size_t off = 0, del = 0;
    int rc = -1;

    if (d == NULL || path == NULL || value == NULL) {
        util_errf(err, errlen, "nothing to set");
        return -1;
    }
    if (yaml_value_read(value, &in, err, errlen) != 0)
        return -1;
    if (resolve(d->root, path, &t, err, errlen) < 0)
        goto done;
    if (t.node != NULL) {
        if (plan_replace(d, path, &t, &in, &off, &del, &rep, err, errlen) != 0)
            goto done;
    } else if (plan_insert(d, path, &t, &in, &off, &rep, err, errlen) != 0) {
        goto done;
    }
    doc_apply(d, off, del, rep.p, rep.len);
    memset(&perr, 0, sizeof(perr));
    if (yaml_tree_parse(d->text, d->len, &root, &perr) != YAML_TREE_OK) {
        doc_revert(d);
        util_errf(err, errlen, "%s: the file would no longer parse (%s); not changed", path,
                  perr.msg);
        goto done;
    }
    if (root == NULL || !tree_same(d->root, root, t.node, t.node ? NULL : t.map) ||
        resolve(root, path, &back, NULL, 0) != 0 || !yaml_value_reads_back(back.node, &in)) {
        doc_revert(d);
        util_errf(err, errlen, "%s: the new value would not read back as given, or would "
                               "change other values; not changed", path);
        goto done;
    }
    yaml_tree_free(d->root);
    d->root = root;
    root = NULL;
    rc = 0;
done:
    yaml_tree_free(root);
    free(rep.p);
    yaml_value_done(&in);
    return rc;
}

int yaml_doc_undo(struct yaml_doc *d)
{
    struct yaml_tree_node *root = NULL;

    if (d == NULL || d->n_edits == 0)
        return -1;
    doc_revert(d);
    /* The text is one that parsed before; should it fail anyway, no tree
     * is better than a tree with wrong marks. */
    if (yaml_tree_parse(d->text, d->len, &root, NULL) != YAML_TREE_OK)
        root = NULL;
    yaml_tree_free(d->root);
    d->root = root;
    return 0;
}

size_t yaml_doc_dirty(const struct yaml_doc *d)
{
    if (d == NULL)
        return 0;
    return (d->saved_depth - d->base) + (d->n_edits - d->base);
}

int yaml_doc_locate(const struct yaml_doc *d, const char *path, size_t *line, size_t *col)
{
    struct target t;

    if (line != NULL)
        *line = 0;
    if (col != NULL)
        *col = 0;
    if (d == NULL || path == NULL || resolve(d->root, path, &t, NULL, 0) != 0 ||
        t.node == NULL)
        return 0;
    if (line != NULL)
        *line = t.node->start.line + 1;
    if (col != NULL)
        *col = t.node->start.column + 1;
    return 1;
}

/* ---- save --------------------------------------------------------------- */

enum yaml_save_status yaml_doc_save_as(struct yaml_doc *d, const char *path, char *err,
                                       size_t errlen)
{
    struct atomic_file af;
    struct stat st;
    char *target;
    int exists, saved;

    if (d == NULL || path == NULL || path[0] == '\0') {
        util_errf(err, errlen, "save as what? a file name is needed");
        return YAML_SAVE_NO_PATH;
    }
    exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        /* the session's file must be one it can read back and replace */
        util_errf(err, errlen, "cannot save to %s: %s", path,
                  S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
        return YAML_SAVE_IO;
    }
    if (util_atomic_open(&af, path) != 0)
        goto io;
    if (d->len > 0)
        (void)fwrite(d->text, 1, d->len, af.f);     /* an error is commit's to report */
    target = xstrdup(af.path);
    if (util_atomic_commit(&af) != 0) {
        free(target);
        goto io;
    }
    if (stat(path, &st) == 0) {
        d->disk_size = st.st_size;
        d->disk_mtime = st.st_mtim;
    } else {
        d->disk_size = -1;      /* gone already: the next save will refuse */
    }
    d->disk_hash = hash_fnv1a(d->text, d->len);
    free(d->path);
    d->path = xstrdup(path);
    free(d->name);
    d->name = xstrdup(path);
    free(d->saved_to);
    d->saved_to = target;
    d->saved_depth = d->base = d->n_edits;
    return YAML_SAVE_OK;
io:
    saved = errno ? errno : EIO;
    util_errf(err, errlen, "cannot save to %s: %s%s", path, strerror(saved),
              exists ? " (the file there is unchanged)" : "");
    return YAML_SAVE_IO;
}

const char *yaml_doc_saved_to(const struct yaml_doc *d)
{
    return d != NULL ? d->saved_to : NULL;
}

void yaml_doc_fail_at(struct yaml_doc *d, int step)
{
    if (d != NULL)
        d->fail_at = step;
}

/*
 * The order keeps PATH complete at every instant: 1) the new text goes to
 * PATH.tmpXXXXXX, fsynced (util_atomic_prepare); 2) the old bytes go to
 * PATH.bak, atomically too, with PATH's permissions; 3) rename the new
 * file over PATH and fsync the directory (util_atomic_commit).  A crash
 * before 3 leaves the old file; after, the new one.  d->fail_at makes
 * step 1's write (1), its fsync (2) or the moment before 3 (3) fail, for
 * the tests.
 */
enum yaml_save_status yaml_doc_save(struct yaml_doc *d, char *err, size_t errlen)
{
    enum yaml_save_status rc = YAML_SAVE_IO;
    struct atomic_file nf;
    char *target = NULL, *cur = NULL, *bak = NULL;
    size_t cur_len = 0;
    struct stat st;
    int saved, open = 0;

    if (d == NULL || d->path == NULL) {
        util_errf(err, errlen, "%s: loaded from memory, there is no file to save to",
                  d != NULL ? d->name : "(none)");
        return YAML_SAVE_NO_PATH;
    }
    target = util_atomic_target(d->path);
    if (stat(target, &st) != 0) {
        if (errno == ENOENT)
            goto changed;
        goto io;
    }
    cur = util_read_file(target, &cur_len);
    if (cur == NULL)
        goto io;
    if (st.st_size != d->disk_size || st.st_mtim.tv_sec != d->disk_mtime.tv_sec ||
        st.st_mtim.tv_nsec != d->disk_mtime.tv_nsec ||
        hash_fnv1a(cur, cur_len) != d->disk_hash)
        goto changed;
    /* opening cleans what a killed save left: TARGET.tmp*, and for the
     * .bak below TARGET.bak.tmp* */
    if (util_atomic_open(&nf, target) != 0)
        goto io;
    open = 1;
    errno = EIO;                /* what the test hook's failures report */
    if (d->fail_at == 1)
        goto io;
    if (d->len > 0)
        (void)fwrite(d->text, 1, d->len, nf.f);
    if (d->fail_at == 2)
        goto io;
    open = 0;
    if (util_atomic_prepare(&nf) != 0)
        goto io;
    open = 1;
    bak = concat(target, ".bak");
    /* the directory is synced once, after the rename of the new file */
    if (util_write_file_atomic_unsynced(bak, cur, cur_len, (int)(st.st_mode & 07777)) != 0)
        goto io;
    if (d->fail_at == 3) {
        errno = EIO;
        goto io;
    }
    open = 0;
    if (util_atomic_commit(&nf) != 0)
        goto io;
    if (stat(target, &st) == 0) {
        d->disk_size = st.st_size;
        d->disk_mtime = st.st_mtim;
    } else {
        d->disk_size = -1;      /* the next save will refuse */
    }
    d->disk_hash = hash_fnv1a(d->text, d->len);
    d->saved_depth = d->base = d->n_edits;
    free(d->saved_to);
    d->saved_to = target;
    target = NULL;
    rc = YAML_SAVE_OK;
    goto done;
changed:
    rc = YAML_SAVE_CHANGED_ON_DISK;
    util_errf(err, errlen, "%s changed on disk since it was loaded; not saved "
                           "(the edits are kept)", d->path);
    goto done;
io:
    saved = errno ? errno : EIO;
    if (open)
        util_atomic_abort(&nf);
    util_errf(err, errlen, "cannot save %s: %s (the file is unchanged)", d->path,
              strerror(saved));
done:
    free(bak);
    free(cur);
    free(target);
    return rc;
}
