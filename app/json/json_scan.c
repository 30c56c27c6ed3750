/* json_scan.c: a strict one-pass check of JSON text without a tree (json_scan.h). */
#include "verdict/json_scan.h"

#include <string.h>

/* One sentence for a status: "invalid UTF-8 in a string", ... */
const char *json_scan_what(enum json_scan_status st)
{
    switch (st) {
    case JSON_SCAN_OK:
        return "valid JSON";
    case JSON_SCAN_EOF:
        return "unexpected end of the text";
    case JSON_SCAN_SYNTAX:
        return "invalid JSON";
    case JSON_SCAN_TRAILING:
        return "unexpected data after the JSON value";
    case JSON_SCAN_DEEP:
        return "nested too deep";
    case JSON_SCAN_CONTROL:
        return "a control character in a string (must be escaped)";
    case JSON_SCAN_NUL:
        return "a string holds \\u0000 (NUL)";
    case JSON_SCAN_UTF8:
        return "invalid UTF-8";
    case JSON_SCAN_TOO_MANY:
        return "too many values";
    case JSON_SCAN_LONG:
        return "a string too long";
    case JSON_SCAN_ESCAPE:
        return "invalid \\u escape";
    }
    return "invalid JSON";
}

/* Bytes of the UTF-8 sequence at s (n bytes left): 1..4; 0 when invalid
 * (overlong, a surrogate, above U+10FFFF, a stray continuation byte);
 * (size_t)-1 when the text ends inside a sequence that was valid so far. */
static size_t json_scan_utf8(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (i = 1; i < len; i++) {
        if (i >= n)
            return (size_t)-1;
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
        /* overlong and out-of-range forms are known after the second byte */
        if (i == 1 && ((len == 3 && cp < 0x20) || (len == 3 && cp >= 0x360 && cp <= 0x37f) ||
                       (len == 4 && (cp < 0x10 || cp > 0x10f))))
            return 0;
    }
    return len;
}

int json_scan_hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        char c = s[i];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* 1 when the n bytes at s (n < 4) could begin four hex digits. */
static int json_scan_hex_prefix(const char *s, size_t n)
{
    unsigned dummy;
    char tmp[4] = { '0', '0', '0', '0' };

    memcpy(tmp, s, n);
    return json_scan_hex4(tmp, &dummy) == 0;
}

/* The string whose '"' is at *i: *i ends past the closing quote. */
enum json_scan_status json_scan_string(const char *b, size_t len, size_t *i,
                                       size_t *at)
{
    size_t p = *i + 1, n;
    unsigned cp, lo;

    while (p < len) {
        unsigned char c = (unsigned char)b[p];

        if (c == '"') {
            *i = p + 1;
            return JSON_SCAN_OK;
        }
        *at = p;
        if (c == '\\') {
            if (p + 1 >= len)
                return JSON_SCAN_EOF;
            switch (b[p + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p += 2;
                continue;
            case 'u':
                break;
            default:
                return JSON_SCAN_SYNTAX;
            }
            if (len - p < 6)
                return json_scan_hex_prefix(b + p + 2, len - p - 2) ? JSON_SCAN_EOF
                                                                    : JSON_SCAN_ESCAPE;
            if (json_scan_hex4(b + p + 2, &cp) != 0)
                return JSON_SCAN_ESCAPE;
            if (cp == 0)
                return JSON_SCAN_NUL;
            if (cp >= 0xdc00 && cp <= 0xdfff)
                return JSON_SCAN_ESCAPE;        /* a low surrogate alone */
            if (cp >= 0xd800 && cp <= 0xdbff) {
                /* a high surrogate needs "\uDC00".."\uDFFF" right after */
                if (len - p < 12) {
                    if (len - p > 6 && b[p + 6] != '\\')
                        return JSON_SCAN_ESCAPE;
                    if (len - p > 7 && b[p + 7] != 'u')
                        return JSON_SCAN_ESCAPE;
                    return JSON_SCAN_EOF;
                }
                if (b[p + 6] != '\\' || b[p + 7] != 'u' || json_scan_hex4(b + p + 8, &lo) != 0 ||
                    lo < 0xdc00 || lo > 0xdfff)
                    return JSON_SCAN_ESCAPE;
                p += 12;
            } else {
                p += 6;
            }
            continue;
        }
        if (c < 0x20)
            return JSON_SCAN_CONTROL;
        n = json_scan_utf8((const unsigned char *)b + p, len - p);
        if (n == (size_t)-1)
            return JSON_SCAN_EOF;
        if (n == 0)
            return JSON_SCAN_UTF8;
        p += n;
    }
    *at = len;
    return JSON_SCAN_EOF;
}

/* One or more digits at *p (a fraction's or an exponent's); *p ends past them. */
static enum json_scan_status json_scan_digits(const char *b, size_t len, size_t *p)
{
    if (*p >= len)
        return JSON_SCAN_EOF;
    if (!json_scan_digit(b[*p]))
        return JSON_SCAN_SYNTAX;
    while (*p < len && json_scan_digit(b[*p]))
        (*p)++;
    return JSON_SCAN_OK;
}

/* The number at *i (RFC 8259's grammar); *i ends past it.  Errors are
 * reported at the number's first byte. */
enum json_scan_status json_scan_number(const char *b, size_t len, size_t *i)
{
    enum json_scan_status st;
    size_t p = *i;

    if (p < len && b[p] == '-')
        p++;
    if (p >= len)
        return JSON_SCAN_EOF;
    if (b[p] == '0') {
        p++;
    } else if (json_scan_digit(b[p])) {
        while (p < len && json_scan_digit(b[p]))
            p++;
    } else {
        return JSON_SCAN_SYNTAX;
    }
    if (p < len && b[p] == '.') {
        p++;
        if ((st = json_scan_digits(b, len, &p)) != JSON_SCAN_OK)
            return st;
    }
    if (p < len && (b[p] == 'e' || b[p] == 'E')) {
        p++;
        if (p < len && (b[p] == '+' || b[p] == '-'))
            p++;
        if ((st = json_scan_digits(b, len, &p)) != JSON_SCAN_OK)
            return st;
    }
    *i = p;
    return JSON_SCAN_OK;
}

/* true, false or null at *i. */
enum json_scan_status json_scan_literal(const char *b, size_t len, size_t *i)
{
    static const char *const words[] = { "true", "false", "null" };
    size_t k, n, avail = len - *i;

    for (k = 0; k < 3; k++) {
        if (b[*i] != words[k][0])
            continue;
        n = strlen(words[k]);
        if (avail < n)
            return memcmp(b + *i, words[k], avail) == 0 ? JSON_SCAN_EOF : JSON_SCAN_SYNTAX;
        if (memcmp(b + *i, words[k], n) != 0)
            return JSON_SCAN_SYNTAX;
        *i += n;
        return JSON_SCAN_OK;
    }
    return JSON_SCAN_SYNTAX;
}

/*
 * The scanner: from *pi, one value (one_value set: *pi ends past it) or
 * the whole text (then what follows the value is JSON_SCAN_TRAILING).
 * See json_scan_run and json_scan_value.
 */
static enum json_scan_status scan(struct json_scan *s, const char *b, size_t len, size_t *pi,
                                  int one_value)
{
    struct frame {
        char kind;              /* '[' or '{' */
    } stack[JSON_SCAN_DEPTH_LIMIT];
    enum { WANT_VALUE, WANT_VALUE_OR_END, WANT_KEY, WANT_KEY_OR_END, WANT_COLON, AFTER_VALUE }
        want = WANT_VALUE;
    size_t max_depth = s->max_depth, depth = 0, i = *pi, key = 0, key_len = 0;
    enum json_scan_status st;

    if (max_depth == 0 || max_depth > JSON_SCAN_DEPTH_LIMIT)
        max_depth = JSON_SCAN_DEPTH_LIMIT;
    for (;;) {
        char c;

        if (one_value && depth == 0 && want == AFTER_VALUE) {
            *pi = i;
            return JSON_SCAN_OK;
        }
        i = json_scan_ws(b, len, i);
        if (i >= len) {
            s->at = len;
            return depth == 0 && want == AFTER_VALUE ? JSON_SCAN_OK : JSON_SCAN_EOF;
        }
        c = b[i];
        s->at = i;
        switch (want) {
        case WANT_KEY_OR_END:
        case WANT_KEY:
            if (c == '}' && want == WANT_KEY_OR_END)
                goto close;
            if (c != '"')
                return JSON_SCAN_SYNTAX;
            key = i + 1;
            st = json_scan_string(b, len, &i, &s->at);
            if (st == JSON_SCAN_EOF)
                s->at = len;
            if (st != JSON_SCAN_OK)
                return st;
            key_len = i - 1 - key;
            if (s->max_string > 0 && key_len > s->max_string) {
                s->at = key - 1;
                return JSON_SCAN_LONG;
            }
            want = WANT_COLON;
            continue;
        case WANT_COLON:
            if (c != ':')
                return JSON_SCAN_SYNTAX;
            i++;
            want = WANT_VALUE;
            continue;
        case AFTER_VALUE:
            if (depth == 0)
                return JSON_SCAN_TRAILING;
            if (c == ',') {
                i++;
                want = stack[depth - 1].kind == '[' ? WANT_VALUE : WANT_KEY;
                continue;
            }
            if (c == (stack[depth - 1].kind == '[' ? ']' : '}'))
                goto close;
            return JSON_SCAN_SYNTAX;
        case WANT_VALUE_OR_END:
            if (c == ']')
                goto close;
            break;
        case WANT_VALUE:
            break;
        }

        /* a value starts at i */
        if (s->max_values > 0 && s->values >= s->max_values)
            return JSON_SCAN_TOO_MANY;
        s->values++;
        if (c == '[' || c == '{') {
            if (depth >= max_depth)
                return JSON_SCAN_DEEP;
            stack[depth].kind = c;
            depth++;
            i++;
            want = c == '[' ? WANT_VALUE_OR_END : WANT_KEY_OR_END;
            continue;
        }
        if (c == '"') {
            size_t from = i;

            st = json_scan_string(b, len, &i, &s->at);
            if (st == JSON_SCAN_OK && s->max_string > 0 && i - from - 2 > s->max_string) {
                s->at = from;
                return JSON_SCAN_LONG;
            }
        } else if (c == '-' || json_scan_digit(c))
            st = json_scan_number(b, len, &i);
        else
            st = json_scan_literal(b, len, &i);
        if (st == JSON_SCAN_EOF)
            s->at = len;
        if (st != JSON_SCAN_OK)
            return st;
        want = AFTER_VALUE;
        continue;

    close:
        depth--;
        i++;
        want = AFTER_VALUE;
    }
}

int json_scan_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t json_scan_ws(const char *b, size_t len, size_t i)
{
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i++;
    return i;
}

/* See json_scan.h. */
enum json_scan_status json_scan_run(struct json_scan *s, const char *b, size_t len)
{
    size_t i = 0;

    s->at = 0;
    s->values = 0;
    if (b == NULL)
        len = 0;
    if (len >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    return scan(s, b, len, &i, 0);
}

/* See json_scan.h. */
enum json_scan_status json_scan_value(struct json_scan *s, const char *b, size_t len,
                                      size_t *pi)
{
    s->at = *pi;
    s->values = 0;
    if (b == NULL)
        len = 0;
    return scan(s, b, len, pi, 1);
}

/* Past the value that starts at i in text json_scan_run accepted. */
static size_t json_scan_skip(const char *b, size_t len, size_t i)
{
    size_t depth = 0;
    int in_string = 0;

    for (; i < len; i++) {
        char c = b[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
            else
                continue;
            if (!in_string && depth == 0)
                return i + 1;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (depth == 0)
                return i;               /* the end of a number or word before it */
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                                  c == ':')) {
            return i;
        }
    }
    return len;
}

/*
 * The elements of an accepted array: *pos starts just past its '['; each
 * call sets [*start, *end) to the next element and returns 1, or returns 0
 * at the closing ']'.
 */
int json_scan_next(const char *b, size_t len, size_t *pos, size_t *start,
                   size_t *end)
{
    size_t i = json_scan_ws(b, len, *pos);

    if (i < len && b[i] == ',')
        i = json_scan_ws(b, len, i + 1);
    if (i >= len || b[i] == ']') {
        *pos = i;
        return 0;
    }
    *start = i;
    *end = json_scan_skip(b, len, i);
    *pos = *end;
    return 1;
}

void json_scan_line_col(const char *b, size_t off, size_t *line, size_t *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off; i++) {
        if (b[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}
