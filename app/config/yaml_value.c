/* yaml_value.c: a value for a YAML file: read from the caller's text, written in a scalar style. */
#include "verdict/yaml_value.h"

#include <stdlib.h>
#include <string.h>

#include "verdict/util.h"

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- encoding ---------------------------------------------------- */

/* Code point at s (valid UTF-8, checked when the input was read). */
static unsigned long code_point(const char *s, size_t *w)
{
    unsigned long cp = (unsigned char)*s;

    *w = util_utf8_len(s, &cp);
    if (*w == 0)
        *w = 1;
    return cp;
}

/* 1 when every character may appear as itself inside quotes or a plain
 * scalar: printable for libyaml and not one of its line breaks. */
static int printable(const char *s, size_t n, int allow_tab)
{
    size_t i = 0, w;

    while (i < n) {
        unsigned long c = code_point(s + i, &w);

        if (c == '\t' ? !allow_tab : c < 0x20 || c == 0x7F)
            return 0;
        if ((c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
            c == 0xFFFE || c == 0xFFFF)
            return 0;
        i += w;
    }
    return 1;
}

/* 1 when s can be written as a plain scalar, in block or flow context, and
 * read back as the same text.  Conservative: quoting a safe text costs
 * nothing, missing an unsafe one would change the document. */
static int plain_safe(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || !printable(s, n, 0) || s[0] == ' ' || s[n - 1] == ' ')
        return 0;
    if (strchr("?:,[]{}#&*!|>'\"%@`", s[0]) != NULL)
        return 0;
    if (s[0] == '-' && (n == 1 || s[1] == ' '))
        return 0;
    for (i = 0; i < n; i++) {
        if (strchr(",[]{}:", s[i]) != NULL)
            return 0;
        if (s[i] == '#' && s[i - 1] == ' ')
            return 0;
    }
    return 1;
}

static void encode_double(struct yaml_sbuf *b, const char *s, size_t n)
{
    size_t i = 0, w;
    char esc[24];

    yaml_sbuf_add(b, "\"", 1);
    for (; i < n; i += w) {
        unsigned long c = code_point(s + i, &w);
        const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == 0x85 ? "\\N"
                        : c == 0x2028 ? "\\L" : c == 0x2029 ? "\\P" : NULL;

        if (e == NULL && (c < 0x20 || (c >= 0x7F && c < 0xA0))) {
            snprintf(esc, sizeof(esc), "\\x%02lX", c);
            e = esc;
        } else if (e == NULL && (c == 0xFEFF || c == 0xFFFE || c == 0xFFFF)) {
            snprintf(esc, sizeof(esc), "\\u%04lX", c);
            e = esc;
        }
        if (e != NULL)
            yaml_sbuf_add(b, e, strlen(e));
        else
            yaml_sbuf_add(b, s + i, w);
    }
    yaml_sbuf_add(b, "\"", 1);
}

static void encode_single(struct yaml_sbuf *b, const char *s, size_t n)
{
    size_t i;

    yaml_sbuf_add(b, "'", 1);
    for (i = 0; i < n; i++)
        yaml_sbuf_add(b, s[i] == '\'' ? "''" : s + i, s[i] == '\'' ? 2 : 1);
    yaml_sbuf_add(b, "'", 1);
}

/* The new bytes for in, where the old value was written in style. */
void yaml_value_encode(struct yaml_sbuf *b, const struct yaml_value *in, enum yaml_tree_style style)
{
    size_t i;

    if (in->seq != NULL) {
        yaml_sbuf_add(b, "[", 1);
        for (i = 0; i < in->seq->n; i++) {
            const struct yaml_tree_node *it = in->seq->items[i];

            if (i > 0)
                yaml_sbuf_add(b, ", ", 2);
            if (it->style == YAML_TREE_PLAIN && plain_safe(it->text, it->len))
                yaml_sbuf_add(b, it->text, it->len);
            else
                encode_double(b, it->text, it->len);
        }
        yaml_sbuf_add(b, "]", 1);
    } else if (style == YAML_TREE_SINGLE_QUOTED && printable(in->text, in->len, 1)) {
        encode_single(b, in->text, in->len);
    } else if (style != YAML_TREE_PLAIN || in->quoted || !plain_safe(in->text, in->len)) {
        encode_double(b, in->text, in->len);
    } else {
        yaml_sbuf_add(b, in->text, in->len);
    }
}

void yaml_value_done(struct yaml_value *in)
{
    free(in->text);
    yaml_tree_free(in->seq);
    memset(in, 0, sizeof(*in));
}

/* Decode the caller's value: a quoted scalar, a flow sequence of scalars,
 * or else the text itself (trimmed).  Returns 0, or -1 with err filled. */
int yaml_value_read(const char *value, struct yaml_value *in, char *err, size_t errlen)
{
    const char *s = value, *why = NULL;
    size_t n = strlen(value), i, w = 1;
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error perr;

    memset(in, 0, sizeof(*in));
    memset(&perr, 0, sizeof(perr));
    for (; n > 0 && is_ws(*s); n--)
        s++;
    while (n > 0 && is_ws(s[n - 1]))
        n--;
    for (i = 0; i < n && w > 0; i += w)
        w = util_utf8_len(s + i, NULL);
    if (n == 0) {
        why = "a value is required (\"\" for an empty string)";
    } else if (w == 0) {
        why = "the value is not valid UTF-8";
    } else if (*s == '{') {
        why = "a map cannot be set as one value: set its keys one by one";
    } else if (*s != '"' && *s != '\'' && *s != '[') {
        in->text = xmalloc(n + 1);
        memcpy(in->text, s, n);
        in->text[n] = '\0';
        in->len = n;
        return 0;
    } else if (yaml_tree_parse(s, n, &root, &perr) != YAML_TREE_OK) {
        util_errf(err, errlen, "the value does not parse: %s", perr.msg);
        return -1;
    } else if (root == NULL || root->end.index != n || root->anchor != NULL ||
               root->tag != NULL || root->has_nul ||
               root->kind != (*s == '[' ? YAML_TREE_SEQ : YAML_TREE_SCALAR)) {
        why = "the value must be one string, number or [list]: quote text with quotes in it";
    }
    for (i = 0; why == NULL && root->kind == YAML_TREE_SEQ && i < root->n; i++) {
        const struct yaml_tree_node *it = root->items[i];

        if (it->kind != YAML_TREE_SCALAR || it->anchor || it->tag || it->has_nul)
            why = "a list may hold only numbers and strings";
    }
    if (why != NULL) {
        yaml_tree_free(root);
        util_errf(err, errlen, "%s", why);
        return -1;
    }
    if (root->kind == YAML_TREE_SEQ) {
        in->seq = root;
        return 0;
    }
    in->text = root->text;
    in->len = root->len;
    in->quoted = 1;
    root->text = NULL;
    yaml_tree_free(root);
    return 0;
}

/* 1 when n holds the value in. */
int yaml_value_reads_back(const struct yaml_tree_node *n, const struct yaml_value *in)
{
    size_t i;

    if (n == NULL || n->anchor != NULL || n->tag != NULL)
        return 0;
    if (in->seq == NULL)
        return n->kind == YAML_TREE_SCALAR && n->len == in->len &&
               memcmp(n->text, in->text, n->len) == 0;
    if (n->kind != YAML_TREE_SEQ || n->n != in->seq->n)
        return 0;
    for (i = 0; i < n->n; i++) {
        const struct yaml_tree_node *a = n->items[i], *b = in->seq->items[i];

        if (a->kind != YAML_TREE_SCALAR || a->len != b->len ||
            memcmp(a->text, b->text, a->len) != 0)
            return 0;
    }
    return 1;
}

void yaml_sbuf_add(struct yaml_sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}


void yaml_value_encode_key(struct yaml_sbuf *b, const char *s, size_t n)
{
    if (plain_safe(s, n))
        yaml_sbuf_add(b, s, n);
    else
        encode_double(b, s, n);
}
