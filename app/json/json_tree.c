/* json_tree.c: a strict JSON parser into a small flat tree (json_tree.h). */
#include "verdict/json_tree.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/json_number.h"
#include "verdict/util.h"

void jt_reset(struct jt *t)
{
    t->n = 0;
    t->pool_n = 0;
    t->num_n = 0;
    t->values = 0;
}

void jt_done(struct jt *t)
{
    free(t->node);
    free(t->pool);
    free(t->num);
    memset(t, 0, sizeof(*t));
}

size_t jt_add(struct jt *t, enum jt_kind kind, size_t key, size_t at)
{
    struct jt_node *nd;

    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->node = xrealloc(t->node, t->cap * sizeof(*t->node));
    }
    nd = &t->node[t->n];
    nd->kind = kind;
    nd->key = key;
    nd->key_len = key != JT_NONE ? strlen(t->pool + key) : 0;
    nd->str = JT_NONE;
    nd->n = 0;
    nd->child = JT_NONE;
    nd->last = JT_NONE;
    nd->next = JT_NONE;
    nd->at = at;
    nd->end = at;
    nd->num = 0;
    return t->n++;
}

void jt_link(struct jt *t, size_t parent, size_t child)
{
    struct jt_node *p = &t->node[parent];

    if (p->last == JT_NONE)
        p->child = child;
    else
        t->node[p->last].next = child;
    p->last = child;
    p->n++;
}

static size_t utf8_put(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* The string b[from, to), quotes included, that json_scan_string accepted,
 * decoded into the pool: its offset.  Decoded text is never longer than
 * its escapes (6 bytes give at most 3, 12 at most 4). */
size_t jt_string(struct jt *t, const char *b, size_t from, size_t to)
{
    size_t i, o = t->pool_n, start = t->pool_n;

    if (t->pool_cap - t->pool_n < to - from + 1) {
        t->pool_cap = t->pool_cap * 2 > t->pool_n + to - from + 1 ? t->pool_cap * 2
                                                                 : t->pool_n + to - from + 4096;
        t->pool = xrealloc(t->pool, t->pool_cap);
    }
    for (i = from + 1; i + 1 < to; i++) {
        unsigned cp = 0, lo = 0xdc00;

        if (b[i] != '\\') {
            t->pool[o++] = b[i];
            continue;
        }
        switch (b[++i]) {
        case 'b': t->pool[o++] = '\b'; break;
        case 'f': t->pool[o++] = '\f'; break;
        case 'n': t->pool[o++] = '\n'; break;
        case 'r': t->pool[o++] = '\r'; break;
        case 't': t->pool[o++] = '\t'; break;
        case 'u':
            (void)json_scan_hex4(b + i + 1, &cp);
            i += 4;
            if (cp >= 0xd800 && cp <= 0xdbff) {     /* "\\uDC00".."\\uDFFF" follows */
                (void)json_scan_hex4(b + i + 3, &lo);
                i += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            o += utf8_put(t->pool + o, cp);
            break;
        default:        /* '"', '\\\\', '/' */
            t->pool[o++] = b[i];
        }
    }
    t->pool[o++] = '\0';
    t->pool_n = o;
    return start;
}

/* The value of a number json_scan_number accepted (inf when it overflows). */
static double jt_number_value(const char *s, size_t n, const char *dp)
{
    double v;
    char *tmp, *q;

    if (json_number_value(s, n, dp, &v))
        return v;
    /* longer than JSON_NUMBER_MAX: rare enough for the heap */
    tmp = xmalloc(n * (strlen(dp) + 1) + 1);
    v = strtod(json_number_localise(tmp, s, n, dp), &q);
    free(tmp);
    return v;
}

static int jt_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/*
 * The usual chart array, "[0.15,0.149,null,...]", read straight into
 * t->num.  Returns 1 with *pi past the ']', or 0 (nothing kept) on
 * anything else, which jt_value then reads the general way to say what
 * is wrong where: another kind of element, a malformed number, a number
 * longer than JSON_NUMBER_MAX, the value limit, the end of the text.
 */
static int jt_numbers(struct jt *t, const char *b, size_t len, size_t *pi, size_t idx)
{
    size_t i = json_scan_ws(b, len, *pi + 1), first = t->num_n, count = 0, q;
    double v;

    if (i < len && b[i] == ']') {
        *pi = i + 1;
        t->node[idx].kind = JT_NUMBERS;
        t->node[idx].str = first;
        return 1;
    }
    for (;;) {
        if (t->max_values > 0 && t->values + count >= t->max_values)
            break;
        if (len - i >= 4 && memcmp(b + i, "null", 4) == 0) {
            v = NAN;
            q = i + 4;
        } else {
            for (q = i; q < len && jt_number_char(b[q]); q++)
                ;
            if (!json_number_value(b + i, q - i, t->dp, &v))
                break;
        }
        if (t->num_n == t->num_cap) {
            t->num_cap = t->num_cap ? t->num_cap * 2 : 4096;
            t->num = xrealloc(t->num, t->num_cap * sizeof(*t->num));
        }
        t->num[t->num_n++] = v;
        count++;
        i = json_scan_ws(b, len, q);
        if (i < len && b[i] == ',') {
            i = json_scan_ws(b, len, i + 1);
            continue;
        }
        if (i < len && b[i] == ']') {
            *pi = i + 1;
            t->values += count;
            t->node[idx].kind = JT_NUMBERS;
            t->node[idx].str = first;
            t->node[idx].n = count;
            return 1;
        }
        break;
    }
    t->num_n = first;
    return 0;
}

/* The array at its node idx, '[' at *pi and `level`, checked and set aside
 * (JT_ASIDE): *pi past its ']'. */
static enum json_scan_status jt_aside(struct jt *t, const char *b, size_t len, size_t *pi,
                                      size_t level, size_t idx, size_t *at)
{
    struct json_scan s;
    enum json_scan_status st;
    size_t i = t->node[idx].at;

    memset(&s, 0, sizeof(s));
    /* the array is at level `level`: its own depth 1 */
    s.max_depth = t->max_depth > 0 ? t->max_depth - level + 1 : 0;
    s.max_string = t->max_string;
    st = json_scan_value(&s, b, len, &i);
    if (st != JSON_SCAN_OK) {
        *at = s.at;
        return st;
    }
    t->node[idx].kind = JT_ASIDE;
    t->node[idx].end = i - 1;
    *pi = i;
    return JSON_SCAN_OK;
}

/* See json_tree.h. */
enum json_scan_status jt_value(struct jt *t, const char *b, size_t len, size_t *pi,
                               size_t level, size_t key, size_t *out, size_t *at)
{
    size_t i = json_scan_ws(b, len, *pi), idx, from, k, child;
    enum json_scan_status st;
    const char *q;
    char c, close;

    if (i >= len) {
        *at = len;
        return JSON_SCAN_EOF;
    }
    c = b[i];
    *at = i;
    if (t->max_values > 0 && t->values >= t->max_values)
        return JSON_SCAN_TOO_MANY;
    t->values++;
    idx = jt_add(t, JT_NULL, key, i);
    *out = idx;
    if (c == '[' || c == '{') {
        if (t->max_depth > 0 && level > t->max_depth)
            return JSON_SCAN_DEEP;
        if (c == '[' && t->aside != NULL && key != JT_NONE && t->aside(level, t->pool + key))
            return jt_aside(t, b, len, pi, level, idx, at);
        if (c == '[' && t->later != NULL && level == t->later_level && key != JT_NONE &&
            t->later(t->pool + key)) {
            /* read later: numbers hold no ']' (and if this array does, it
             * is refused when read, or the text after it now) */
            q = memchr(b + i, ']', len - i);
            if (q == NULL) {
                *at = len;
                return JSON_SCAN_EOF;
            }
            t->node[idx].kind = JT_LATER;
            t->node[idx].end = (size_t)(q - b);
            *pi = (size_t)(q - b) + 1;
            return JSON_SCAN_OK;
        }
        if (c == '[' && jt_numbers(t, b, len, &i, idx)) {
            *pi = i;
            return JSON_SCAN_OK;
        }
        t->node[idx].kind = c == '[' ? JT_ARRAY : JT_OBJECT;
        close = c == '[' ? ']' : '}';
        i = json_scan_ws(b, len, i + 1);
        if (i < len && b[i] == close) {
            *pi = i + 1;
            return JSON_SCAN_OK;
        }
        for (;;) {
            k = JT_NONE;
            if (c == '{') {
                if (i >= len) {
                    *at = len;
                    return JSON_SCAN_EOF;
                }
                *at = i;
                if (b[i] != '"')
                    return JSON_SCAN_SYNTAX;
                from = i;
                st = json_scan_string(b, len, &i, at);
                if (st == JSON_SCAN_EOF)
                    *at = len;
                if (st != JSON_SCAN_OK)
                    return st;
                if (t->max_string > 0 && i - from - 2 > t->max_string) {
                    *at = from;
                    return JSON_SCAN_LONG;
                }
                k = jt_string(t, b, from, i);
                i = json_scan_ws(b, len, i);
                if (i >= len) {
                    *at = len;
                    return JSON_SCAN_EOF;
                }
                *at = i;
                if (b[i] != ':')
                    return JSON_SCAN_SYNTAX;
                i++;
            }
            st = jt_value(t, b, len, &i, level + 1, k, &child, at);
            if (st != JSON_SCAN_OK)
                return st;
            jt_link(t, idx, child);
            i = json_scan_ws(b, len, i);
            if (i >= len) {
                *at = len;
                return JSON_SCAN_EOF;
            }
            *at = i;
            if (b[i] == ',') {
                i = json_scan_ws(b, len, i + 1);
                continue;
            }
            if (b[i] != close)
                return JSON_SCAN_SYNTAX;
            *pi = i + 1;
            return JSON_SCAN_OK;
        }
    }
    from = i;
    if (c == '"') {
        st = json_scan_string(b, len, &i, at);
        if (st == JSON_SCAN_OK && t->max_string > 0 && i - from - 2 > t->max_string) {
            *at = from;
            return JSON_SCAN_LONG;
        }
    } else if (c == '-' || json_scan_digit(c)) {
        st = json_scan_number(b, len, &i);
    } else {
        st = json_scan_literal(b, len, &i);
    }
    if (st == JSON_SCAN_EOF)
        *at = len;
    if (st != JSON_SCAN_OK)
        return st;
    if (c == '"') {
        t->node[idx].kind = JT_STRING;
        t->node[idx].str = jt_string(t, b, from, i);
    } else if (c == '-' || json_scan_digit(c)) {
        t->node[idx].kind = JT_NUMBER;
        t->node[idx].num = jt_number_value(b + from, i - from, t->dp);
    } else {
        t->node[idx].kind = c == 't' ? JT_TRUE : c == 'f' ? JT_FALSE : JT_NULL;
    }
    *pi = i;
    return JSON_SCAN_OK;
}

/* The first member of object `obj` named key, or JT_NONE. */
size_t jt_member(const struct jt *t, size_t obj, const char *key)
{
    size_t e;

    if (obj == JT_NONE || t->node[obj].kind != JT_OBJECT)
        return JT_NONE;
    for (e = t->node[obj].child; e != JT_NONE; e = t->node[e].next)
        if (strcmp(t->pool + t->node[e].key, key) == 0)
            return e;
    return JT_NONE;
}
