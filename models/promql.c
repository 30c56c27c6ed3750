/* promql.c: escape label values for PromQL string literals and fill query templates. */
#include "verdict/promql.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROMQL_PLACEHOLDER "${service}"

/*
 * Length (2..4) of the valid UTF-8 sequence at s, with its code point in
 * *cp, or 0 when the bytes are not one (overlong, surrogate, beyond
 * U+10FFFF, stray continuation byte, cut short).  s[0] >= 0x80.
 */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
    size_t n, i;
    unsigned long c, min;

    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2, c = s[0] & 0x1f, min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3, c = s[0] & 0x0f, min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* Output state: bytes needed so far, bytes written, and whether it filled. */
struct sink {
    char *out;
    size_t len;
    size_t need;
    size_t written;
    int full;
};

/* Append n bytes if the whole piece fits with room for the NUL, never half
 * an escape; count them either way. */
static void put(struct sink *k, const char *s, size_t n)
{
    if (!k->full && k->written + n < k->len) {
        memcpy(k->out + k->written, s, n);
        k->written += n;
    } else {
        k->full = 1;
    }
    k->need += n;
}

/*
 * What Prometheus's lexer accepts between double quotes (promql/parser/
 * lex.go, lexString and lexEscape, then strconv.Unquote):
 *   - a raw newline ends the literal with "unterminated quoted string";
 *   - a raw byte that does not decode as UTF-8 is "invalid UTF-8 rune",
 *     and so is a correctly encoded U+FFFD, because Go's decoder returns
 *     the same rune (utf8.RuneError) for both;
 *   - escapes \a \b \f \n \r \t \v \\ \" \NNN \xNN \uNNNN \UNNNNNNNN.
 * So: \\ and \" for the two specials, \n \r \t, \xNN for the other C0
 * controls, DEL and bytes that are not UTF-8 (Go keeps the byte as is),
 * \u00NN for C1 controls and \uFFFD for U+FFFD.  Everything else, UTF-8
 * included, is copied.  Example: a"} or vector(1) # -> a\"} or vector(1) #
 */
size_t promql_escape(char *out, size_t len, const char *value)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)value;
    struct sink k = { out, out != NULL ? len : 0, 0, 0, 0 };

    while (*s != '\0') {
        unsigned long cp = 0;
        char esc[8];
        size_t n = *s >= 0x80 ? utf8_seq(s, &cp) : 1;

        if (*s == '\\' || *s == '"') {
            esc[0] = '\\', esc[1] = (char)*s;
            put(&k, esc, 2);
            s++;
        } else if (*s == '\n' || *s == '\r' || *s == '\t') {
            esc[0] = '\\', esc[1] = *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't';
            put(&k, esc, 2);
            s++;
        } else if (*s < 0x20 || *s == 0x7f) {
            esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*s >> 4], esc[3] = hex[*s & 15];
            put(&k, esc, 4);
            s++;
        } else if (*s < 0x80) {
            put(&k, (const char *)s, 1);
            s++;
        } else if (n == 0) {
            esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*s >> 4], esc[3] = hex[*s & 15];
            put(&k, esc, 4);
            s++;
        } else if (cp <= 0x9f || cp == 0xfffd) {
            esc[0] = '\\', esc[1] = 'u';
            esc[2] = hex[(cp >> 12) & 15], esc[3] = hex[(cp >> 8) & 15];
            esc[4] = hex[(cp >> 4) & 15], esc[5] = hex[cp & 15];
            put(&k, esc, 6);
            s += n;
        } else {
            put(&k, (const char *)s, n);
            s += n;
        }
    }
    if (k.len > 0)
        out[k.written] = '\0';
    return k.need;
}

char *promql_substitute(const char *tmpl, const char *service)
{
    const size_t plen = sizeof(PROMQL_PLACEHOLDER) - 1;
    size_t esc_len = promql_escape(NULL, 0, service != NULL ? service : "");
    size_t count = 0, total, o = 0;
    const char *p, *hit;
    char *out;

    for (p = tmpl, hit = strstr(p, PROMQL_PLACEHOLDER); hit != NULL;
         p = hit + plen, hit = strstr(p, PROMQL_PLACEHOLDER))
        count++;
    total = strlen(tmpl);
    if (count > 0) {
        if (esc_len > plen && count > (SIZE_MAX - total - 1) / (esc_len - plen))
            return NULL;
        total = total - count * plen + count * esc_len;
    }
    out = malloc(total + 1);
    if (out == NULL)
        return NULL;
    for (p = tmpl, hit = strstr(p, PROMQL_PLACEHOLDER); hit != NULL;
         p = hit + plen, hit = strstr(p, PROMQL_PLACEHOLDER)) {
        memcpy(out + o, p, (size_t)(hit - p));
        o += (size_t)(hit - p);
        promql_escape(out + o, esc_len + 1, service != NULL ? service : "");
        o += esc_len;
    }
    memcpy(out + o, p, strlen(p) + 1);
    return out;
}
