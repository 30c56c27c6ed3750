/* fuzz_yaml_edit.c: libFuzzer harness for in-place YAML edits: edit, reload, compare. */
#include "fuzz.h"
#include "verdict/yaml_edit.h"
#include "verdict/yaml_tree.h"

/*
 * Input: byte 0 the operation, bytes 1-2 which target, then the value up
 * to a NUL, then the YAML document.  Operations:
 *   0  set an existing value to a string, written by the harness as a
 *      double-quoted YAML scalar
 *   1  set an existing value to the value bytes as a user types them
 *      ("12", "'a b'", "[1, 2]", "some")
 *   2  set an existing value to a flow sequence of strings (items split
 *      at byte 0x01)
 *   3  add a missing key (before the first 0x01) with a string value (the
 *      rest) to an existing map
 * Targets are every value and map a path can name ("a.b", "x[NAME].c",
 * "x[3]"), listed from the harness's own walk of the tree.
 *
 * After a successful edit the new text is parsed again and must hold the
 * new value at the path, every other value (key, scalar text, style,
 * order) exactly as before, and the original bytes outside the one place
 * edited.  A refused edit must leave the text as it was.  Undo must give
 * back the original bytes.  Values the API refuses by contract (maps,
 * block lists, anchors, aliases, tags) must be refused; a string or list
 * put in place of a scalar or flow list must be accepted, except where
 * the edit cannot read back (the name that picks a list element in the
 * path renames it), the file breaks lines in ways the editor does not
 * look for (plain_breaks), or a tab after a plain scalar lets only a plain
 * value parse there (tab_after_plain).  FUZZ_EDIT_STATS=1 prints how
 * many edits each operation had accepted and refused, at exit.
 */

#define EDIT_MAX_DOC 8192
#define EDIT_MAX_TARGETS 2048
#define EDIT_PATH_LEN 512

struct target {
    char path[EDIT_PATH_LEN];
    const struct yaml_tree_node *node;
    int renames;        /* node is the name that picks its list element in path */
};

struct walk {
    struct target *t;
    size_t n;
    int maps_only;
};

/* What the value at the path must read back as: one scalar, or a list
 * of any length (the editor has no limit on items; neither may this). */
struct want {
    int seq;
    size_t n, cap;                  /* items (1 for a scalar) */
    const char **text;
    size_t *len;
};

/* How many edits were accepted and refused, by operation: with
 * FUZZ_EDIT_STATS set, printed at exit, to see that the checks after an
 * accepted edit do run (a harness that only sees refusals proves little). */
static unsigned long stats[4][2];

static void print_stats(void)
{
    int op;

    for (op = 0; op < 4; op++)
        fprintf(stderr, "fuzz_yaml_edit: op %d: %lu accepted, %lu refused\n", op,
                stats[op][0], stats[op][1]);
}

/* ---- paths, as documented in yaml_edit.h ---------------------------- */

static int key_usable(const struct yaml_tree_node *k)
{
    return k->kind == YAML_TREE_SCALAR && !k->has_nul && k->len > 0 &&
           strchr(k->text, '.') == NULL && strchr(k->text, '[') == NULL;
}

/* The value of the first scalar key equal to key[0..n) in map m. */
static const struct yaml_tree_node *map_value(const struct yaml_tree_node *m, const char *key,
                                              size_t n)
{
    size_t i;

    if (m->kind != YAML_TREE_MAP)
        return NULL;
    for (i = 0; i + 1 < m->n; i += 2) {
        const struct yaml_tree_node *k = m->items[i];

        if (k->kind == YAML_TREE_SCALAR && k->len == n && memcmp(k->text, key, n) == 0)
            return m->items[i + 1];
    }
    return NULL;
}

/* The "name" of a list element, or NULL. */
static const struct yaml_tree_node *elem_name(const struct yaml_tree_node *e)
{
    const struct yaml_tree_node *v = map_value(e, "name", 4);

    return v != NULL && v->kind == YAML_TREE_SCALAR ? v : NULL;
}

/* Element of seq named name[0..n), else by index when all digits. */
static const struct yaml_tree_node *seq_elem(const struct yaml_tree_node *seq,
                                             const char *name, size_t n)
{
    size_t i, idx = 0;

    for (i = 0; i < seq->n; i++) {
        const struct yaml_tree_node *v = elem_name(seq->items[i]);

        if (v != NULL && v->len == n && memcmp(v->text, name, n) == 0)
            return seq->items[i];
    }
    if (n == 0 || n > 9)
        return NULL;
    for (i = 0; i < n; i++) {
        if (name[i] < '0' || name[i] > '9')
            return NULL;
        idx = idx * 10 + (size_t)(name[i] - '0');
    }
    return idx < seq->n ? seq->items[idx] : NULL;
}

/* Follow path from root: keys up to '.' or '['; a bracketed name up to
 * the first ']' that is followed by '.' or the end. */
static const struct yaml_tree_node *resolve(const struct yaml_tree_node *root, const char *path)
{
    const struct yaml_tree_node *cur = root;
    const char *p = path, *k, *c;

    while (cur != NULL) {
        k = p;
        while (*p != '\0' && *p != '.' && *p != '[')
            p++;
        cur = map_value(cur, k, (size_t)(p - k));
        if (cur != NULL && *p == '[') {
            for (c = p + 1;; c++) {
                c = strchr(c, ']');
                if (c == NULL)
                    return NULL;
                if (c[1] == '.' || c[1] == '\0')
                    break;
            }
            cur = cur->kind == YAML_TREE_SEQ ? seq_elem(cur, p + 1, (size_t)(c - p - 1)) : NULL;
            p = c + 1;
        }
        if (*p == '\0')
            return cur;
        p++;
    }
    return NULL;
}

static void add(struct walk *w, const char *path, const struct yaml_tree_node *n,
                int renames)
{
    if (w->n < EDIT_MAX_TARGETS && (!w->maps_only || n->kind == YAML_TREE_MAP)) {
        snprintf(w->t[w->n].path, EDIT_PATH_LEN, "%s", path);
        w->t[w->n].node = n;
        w->t[w->n].renames = renames;
        w->n++;
    }
}

static void walk_map(struct walk *w, const struct yaml_tree_node *m, const char *prefix,
                     const struct yaml_tree_node *picked_by);

static void walk_value(struct walk *w, const struct yaml_tree_node *v, const char *path,
                       int renames)
{
    char ep[EDIT_PATH_LEN];
    size_t j;
    int len;

    add(w, path, v, renames);
    if (v->kind == YAML_TREE_MAP)
        walk_map(w, v, path, NULL);
    if (v->kind != YAML_TREE_SEQ)
        return;
    for (j = 0; j < v->n; j++) {
        const struct yaml_tree_node *e = v->items[j], *nm = elem_name(e);
        char idx[24];

        snprintf(idx, sizeof(idx), "%zu", j);
        if (nm != NULL && !nm->has_nul && nm->len > 0 && strstr(nm->text, "].") == NULL &&
            seq_elem(v, nm->text, nm->len) == e) {
            len = snprintf(ep, sizeof(ep), "%s[%s]", path, nm->text);
        } else if (seq_elem(v, idx, strlen(idx)) == e) {
            len = snprintf(ep, sizeof(ep), "%s[%s]", path, idx);
            nm = NULL;
        } else {
            continue;
        }
        if (len < 0 || (size_t)len >= sizeof(ep) || resolve(w->t[0].node, ep) != e)
            continue;
        add(w, ep, e, 0);
        if (e->kind == YAML_TREE_MAP)
            walk_map(w, e, ep, nm);
    }
}

/* picked_by: the name node that picks m out of its list in prefix, or NULL */
static void walk_map(struct walk *w, const struct yaml_tree_node *m, const char *prefix,
                     const struct yaml_tree_node *picked_by)
{
    char kp[EDIT_PATH_LEN];
    size_t i;
    int len;

    for (i = 0; i + 1 < m->n; i += 2) {
        const struct yaml_tree_node *k = m->items[i];

        if (!key_usable(k) || map_value(m, k->text, k->len) != m->items[i + 1])
            continue;       /* a repeated key: the first one wins */
        len = prefix[0] != '\0' ? snprintf(kp, sizeof(kp), "%s.%s", prefix, k->text)
                                : snprintf(kp, sizeof(kp), "%s", k->text);
        if (len < 0 || (size_t)len >= sizeof(kp) || resolve(w->t[0].node, kp) != m->items[i + 1])
            continue;
        walk_value(w, m->items[i + 1], kp, m->items[i + 1] == picked_by);
    }
}

/* ---- values ----------------------------------------------------------- */

static void want_add(struct want *w, const char *text, size_t len)
{
    if (w->n == w->cap) {
        w->cap = w->cap != 0 ? 2 * w->cap : 8;
        w->text = realloc(w->text, w->cap * sizeof(*w->text));
        w->len = realloc(w->len, w->cap * sizeof(*w->len));
        if (w->text == NULL || w->len == NULL)
            abort();
    }
    w->text[w->n] = text;
    w->len[w->n++] = len;
}

/* Append s as a YAML double-quoted scalar that reads back as s exactly:
 * everything libyaml might not print as itself is escaped. */
static size_t quote(char *out, const char *s, size_t n)
{
    size_t i = 0, o = 0, w;
    unsigned long c = 0;

    out[o++] = '"';
    while (i < n) {
        w = fuzz_utf8_len((const unsigned char *)s + i, n - i, &c);
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0xD800 && c < 0xE000) ||
                   c == 0x2028 || c == 0x2029 || c >= 0xFEFF) {
            o += (size_t)sprintf(out + o, "\\U%08lX", c);
        } else {
            memcpy(out + o, s + i, w);
            o += w;
        }
        i += w;
    }
    out[o++] = '"';
    out[o] = '\0';
    return o;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * What text typed by a user means, as yaml_edit.h documents: a quoted
 * scalar or a flow list of scalars as YAML reads them, a map refused,
 * anything else the text itself, trimmed.  Returns 0, or -1 when the
 * value must be refused.  *tree is set when the meaning came from a parse.
 */
static int typed_value(const char *v, struct want *want, struct yaml_tree_node **tree)
{
    size_t n = strlen(v), i;
    struct yaml_tree_node *root = NULL;

    *tree = NULL;
    while (n > 0 && is_ws(*v))
        v++, n--;
    while (n > 0 && is_ws(v[n - 1]))
        n--;
    if (n == 0 || !fuzz_utf8_valid(v, n) || *v == '{')
        return -1;
    if (*v != '"' && *v != '\'' && *v != '[') {
        want_add(want, v, n);
        return 0;
    }
    if (yaml_tree_parse(v, n, &root, NULL) != YAML_TREE_OK || root == NULL ||
        root->end.index != n || root->anchor != NULL || root->tag != NULL) {
        yaml_tree_free(root);
        return -1;
    }
    *tree = root;
    if (root->kind == YAML_TREE_SCALAR && *v != '[' && !root->has_nul) {
        want_add(want, root->text, root->len);
        return 0;
    }
    if (root->kind != YAML_TREE_SEQ || *v != '[')
        return -1;
    want->seq = 1;
    for (i = 0; i < root->n; i++) {
        const struct yaml_tree_node *it = root->items[i];

        if (it->kind != YAML_TREE_SCALAR || it->anchor != NULL || it->tag != NULL ||
            it->has_nul)
            return -1;
        want_add(want, it->text, it->len);
    }
    return 0;
}

static int reads_back(const struct yaml_tree_node *n, const struct want *want)
{
    size_t i;

    if (n == NULL || n->anchor != NULL || n->tag != NULL)
        return 0;
    if (!want->seq)
        return n->kind == YAML_TREE_SCALAR && n->len == want->len[0] &&
               memcmp(n->text, want->text[0], n->len) == 0;
    if (n->kind != YAML_TREE_SEQ || n->n != want->n)
        return 0;
    for (i = 0; i < n->n; i++)
        if (n->items[i]->kind != YAML_TREE_SCALAR || n->items[i]->len != want->len[i] ||
            memcmp(n->items[i]->text, want->text[i], want->len[i]) != 0)
            return 0;
    return 1;
}

/* ---- comparing trees ---------------------------------------------------- */

static int same_str(const char *a, const char *b)
{
    return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

/* a (before) and b (after) are the same but for the node skip (replaced)
 * or one pair added at the end of map grown. */
static int same_tree(const struct yaml_tree_node *a, const struct yaml_tree_node *b,
                     const struct yaml_tree_node *skip, const struct yaml_tree_node *grown)
{
    size_t i;

    if (a == skip)
        return 1;
    if (a->kind != b->kind || a->style != b->style || !same_str(a->anchor, b->anchor) ||
        !same_str(a->tag, b->tag))
        return 0;
    if (a->kind == YAML_TREE_SCALAR)
        return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    if (b->n != a->n + (a == grown ? 2 : 0))
        return 0;
    for (i = 0; i < a->n; i++)
        if (!same_tree(a->items[i], b->items[i], skip, grown))
            return 0;
    return 1;
}

/* ---- the edit ------------------------------------------------------------- */

/* 1 when every line break in doc is "\n" or "\r\n".  YAML also breaks lines
 * at a lone "\r", NEL, LS and PS; the editor's line handling does not know
 * those, so it may refuse (safely) an edit next to one. */
static int plain_breaks(const char *doc, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (doc[i] == '\r' && (i + 1 == n || doc[i + 1] != '\n'))
            return 0;
        if (i + 1 < n && ((doc[i] == '\xC2' && doc[i + 1] == '\x85') ||
                          (doc[i] == '\xE2' && doc[i + 1] == '\x80' && i + 2 < n &&
                           (doc[i + 2] == '\xA8' || doc[i + 2] == '\xA9'))))
            return 0;
    }
    return 1;
}

/*
 * 1 when plain scalar n is followed by blank lines or indentation holding
 * a tab ("e: 2\n \t").  libyaml reads that whitespace as part of the plain
 * scalar, where a tab is allowed; after any other value it looks for the
 * next token there, and a tab in block indentation is a syntax error.  So
 * a quoted string or a [list] in n's place does not parse, and the editor
 * (which changes no other byte) refuses it, rightly.
 */
static int tab_after_plain(const char *doc, size_t doc_n, const struct yaml_tree_node *n)
{
    size_t i;
    int broke = 0;

    if (n->kind != YAML_TREE_SCALAR || n->style != YAML_TREE_PLAIN)
        return 0;
    for (i = n->end.index; i < doc_n && is_ws(doc[i]); i++) {
        if (doc[i] == '\n' || doc[i] == '\r')
            broke = 1;
        else if (doc[i] == '\t' && broke)
            return 1;
    }
    return 0;
}

/* 1 when the API must refuse to replace n. */
static int must_refuse(const struct yaml_tree_node *n, const char *doc)
{
    return n->kind == YAML_TREE_ALIAS || n->anchor != NULL || n->tag != NULL ||
           n->kind == YAML_TREE_MAP || (n->kind == YAML_TREE_SEQ && doc[n->start.index] != '[');
}

static void check_edit(const char *doc, size_t doc_n, const struct yaml_tree_node *root,
                       int op, const struct target *t, const char *path, const char *value,
                       const struct want *want, int valid, int must_accept)
{
    struct yaml_doc *d = NULL;
    struct yaml_tree_node *nroot = NULL;
    char err[512];
    const char *text;
    size_t len, pre, suf;
    int rc;

    FUZZ_CHECK(yaml_doc_load_buffer("fuzz.yaml", doc, doc_n, &d, err, sizeof(err)) == 0,
               "the editor cannot load what parses: %s", err);
    err[0] = '\0';
    rc = yaml_doc_set(d, path, value, err, sizeof(err));
    stats[op][rc != 0]++;
    text = yaml_doc_text(d, &len);
    if (rc != 0) {
        FUZZ_CHECK(!must_accept, "set %s = %s refused: %s", path, value, err);
        FUZZ_CHECK(err[0] != '\0' && strnlen(err, sizeof(err)) < sizeof(err),
                   "refused without a message");
        FUZZ_CHECK(len == doc_n && memcmp(text, doc, len) == 0, "refused, but the text changed");
        FUZZ_CHECK(yaml_doc_dirty(d) == 0, "refused, but dirty");
        FUZZ_CHECK(yaml_doc_undo(d) == -1, "undo after nothing");
        yaml_doc_free(d);
        return;
    }
    FUZZ_CHECK(valid, "set %s = %s accepted a value it must refuse", path, value);
    FUZZ_CHECK(op == 3 || !must_refuse(t->node, doc), "set %s accepted on a node it must "
               "refuse", path);
    FUZZ_CHECK(yaml_doc_dirty(d) == 1, "one edit, dirty %zu", yaml_doc_dirty(d));
    FUZZ_CHECK(yaml_tree_parse(text, len, &nroot, NULL) == YAML_TREE_OK && nroot != NULL,
               "set %s = %s: the new text does not parse:\n%s", path, value, text);
    FUZZ_CHECK(reads_back(resolve(nroot, path), want), "set %s = %s: does not read back:\n%s",
               path, value, text);
    FUZZ_CHECK(same_tree(root, nroot, op == 3 ? NULL : t->node, op == 3 ? t->node : NULL),
               "set %s = %s: other values changed:\n%s", path, value, text);
    /* one splice: the original bytes before and after the edited place */
    for (pre = 0; pre < len && pre < doc_n && text[pre] == doc[pre]; pre++)
        ;
    for (suf = 0; suf < len && suf < doc_n && text[len - 1 - suf] == doc[doc_n - 1 - suf]; suf++)
        ;
    if (op == 3) {
        FUZZ_CHECK(pre + suf >= doc_n && len > doc_n, "set %s: the insert changed other "
                   "bytes:\n%s", path, text);
    } else {
        size_t a = t->node->start.index, b = t->node->end.index;

        FUZZ_CHECK(pre >= a && suf >= doc_n - b && len >= a + (doc_n - b),
                   "set %s = %s: bytes changed outside [%zu, %zu):\n%s", path, value, a, b,
                   text);
    }
    yaml_tree_free(nroot);

    FUZZ_CHECK(yaml_doc_undo(d) == 0, "undo failed");
    text = yaml_doc_text(d, &len);
    FUZZ_CHECK(len == doc_n && memcmp(text, doc, len) == 0, "undo did not restore the text");
    FUZZ_CHECK(yaml_doc_dirty(d) == 0, "undone, still dirty");
    FUZZ_CHECK(yaml_doc_locate(d, op == 3 ? "" : path, NULL, NULL) == (op != 3),
               "the undone document lost %s", path);
    yaml_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char value[EDIT_MAX_DOC * 12 + 64], path[EDIT_PATH_LEN * 2];
    const uint8_t *nul;
    struct yaml_tree_node *root = NULL, *typed = NULL;
    struct walk w;
    struct want want;
    const struct target *t;
    const char *raw, *sep, *doc;
    char *raw_copy, *doc_copy;
    size_t raw_n, doc_n, sel, o, i;
    int op, valid = 1, must_accept = 0;
    static int started;

    if (!started) {
        started = 1;
        if (getenv("FUZZ_EDIT_STATS") != NULL)
            atexit(print_stats);
    }
    if (size < 4 || size > EDIT_MAX_DOC)
        return 0;
    op = data[0] & 3;
    sel = (size_t)data[1] | (size_t)data[2] << 8;
    nul = memchr(data + 3, '\0', size - 3);
    if (nul == NULL)
        return 0;
    raw_n = (size_t)(nul - data - 3);
    raw_copy = fuzz_strndup(data + 3, raw_n);
    raw = raw_copy;
    doc_n = size - 3 - raw_n - 1;
    doc_copy = fuzz_strndup(nul + 1, doc_n);
    doc = doc_copy;
    memset(&want, 0, sizeof(want));
    w.t = NULL;

    if (yaml_tree_parse(doc, doc_n, &root, NULL) != YAML_TREE_OK || root == NULL ||
        root->kind != YAML_TREE_MAP || (doc_n >= 2 && ((unsigned char)doc[0] == 0xFF ||
                                                       (unsigned char)doc[0] == 0xFE)))
        goto done;
    w.t = malloc(EDIT_MAX_TARGETS * sizeof(*w.t));
    if (w.t == NULL)
        abort();
    w.n = 0;
    w.maps_only = op == 3;
    add(&w, "", root, 0);       /* t[0]: the root, for walk_value's checks */
    walk_map(&w, root, "", NULL);
    if (w.n <= (op == 3 ? 0u : 1u))
        goto done;
    t = op == 3 ? &w.t[sel % w.n] : &w.t[1 + sel % (w.n - 1)];

    switch (op) {
    case 0:     /* a string the harness quotes */
        if (!fuzz_utf8_valid(raw, raw_n))
            goto done;
        quote(value, raw, raw_n);
        want_add(&want, raw, raw_n);
        snprintf(path, sizeof(path), "%s", t->path);
        must_accept = !must_refuse(t->node, doc) && !t->renames &&
                      t->node->end.index > t->node->start.index &&
                      !tab_after_plain(doc, doc_n, t->node);
        break;
    case 1:     /* text as typed */
        snprintf(value, sizeof(value), "%s", raw);
        valid = typed_value(raw, &want, &typed) == 0;
        snprintf(path, sizeof(path), "%s", t->path);
        break;
    case 2:     /* a flow list of strings */
        if (!fuzz_utf8_valid(raw, raw_n))
            goto done;
        want.seq = 1;
        o = 0;
        value[o++] = '[';
        for (sep = raw;; sep++) {
            const char *e = strchr(sep, '\1');
            size_t n = e != NULL ? (size_t)(e - sep) : strlen(sep);

            if (want.n > 0)
                value[o++] = ',', value[o++] = ' ';
            want_add(&want, sep, n);
            o += quote(value + o, sep, n);
            if (e == NULL)
                break;
            sep = e;
        }
        value[o++] = ']';
        value[o] = '\0';
        snprintf(path, sizeof(path), "%s", t->path);
        must_accept = !must_refuse(t->node, doc) && !t->renames &&
                      t->node->end.index > t->node->start.index &&
                      !tab_after_plain(doc, doc_n, t->node);
        break;
    default:    /* a new key */
        sep = strchr(raw, '\1');
        if (sep == NULL || sep == raw || !fuzz_utf8_valid(raw, raw_n))
            goto done;
        for (i = 0; raw + i < sep; i++)
            if (raw[i] == '.' || raw[i] == '[')
                goto done;
        if (map_value(t->node, raw, (size_t)(sep - raw)) != NULL)
            goto done;      /* not missing: that is a replace */
        snprintf(path, sizeof(path), "%s%s%.*s", t->path, t->path[0] != '\0' ? "." : "",
                 (int)(sep - raw), raw);
        quote(value, sep + 1, strlen(sep + 1));
        want_add(&want, sep + 1, strlen(sep + 1));
        break;
    }
    check_edit(doc, doc_n, root, op, t, path, value, &want, valid,
               must_accept && plain_breaks(doc, doc_n));
done:
    free(want.text);
    free(want.len);
    free(w.t);
    yaml_tree_free(typed);
    yaml_tree_free(root);
    free(doc_copy);
    free(raw_copy);
    return 0;
}
