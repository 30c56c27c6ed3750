/* json_cjson.c: where cJSON 1.7.15 would stop parsing a text, without building anything. */
#include "verdict/json_cjson.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/json_scan.h"
#include "verdict/util.h"

/*
 * Where the parser of cJSON 1.7.15 stops on a text the strict reading
 * refused: verdict diff named that place before it read the reports
 * with json_tree, and keeps naming it, so the messages stay the
 * same.  No tree is built.  cJSON takes "01" and "1." (strtod reads the
 * longest number it can), counts any byte up to 0x20 as whitespace, steps
 * back one byte when whitespace runs to the end, and puts a failed string
 * at the byte after its quote or at the escape it could not decode.
 * tests/test_app_diff.c checks this against cJSON itself.
 */
struct cj {
    const char *b;
    size_t len, off, depth;
    char dp;            /* strtod's decimal point */
};

#define CJ_NESTING_LIMIT 1000   /* CJSON_NESTING_LIMIT */

static int cj_access(const struct cj *p, size_t i)
{
    return p->off + i < p->len;
}

static void cj_ws(struct cj *p)
{
    if (!cj_access(p, 0))
        return;
    while (cj_access(p, 0) && (unsigned char)p->b[p->off] <= 32)
        p->off++;
    if (p->off == p->len)
        p->off--;
}

/* The four hex digits at s, or 0 when one is not (as cJSON's parse_hex4). */
static unsigned cj_hex4(const char *s)
{
    unsigned v;

    return json_scan_hex4(s, &v) == 0 ? v : 0;
}

/* The length of the \u escape at ip (before the closing quote at end), or
 * 0 when cJSON refuses it. */
static size_t cj_utf16(const char *ip, const char *end)
{
    unsigned first, second;

    if (end - ip < 6)
        return 0;
    first = cj_hex4(ip + 2);
    if (first >= 0xdc00 && first <= 0xdfff)
        return 0;
    if (first < 0xd800 || first > 0xdbff)
        return 6;
    if (end - (ip + 6) < 6 || ip[6] != '\\' || ip[7] != 'u')
        return 0;
    second = cj_hex4(ip + 8);
    return second >= 0xdc00 && second <= 0xdfff ? 12 : 0;
}

static int cj_string(struct cj *p)
{
    size_t start = p->off, end = start + 1, ip = start + 1, n;

    if (p->off >= p->len || p->b[p->off] != '"')
        goto fail;
    while (end < p->len && p->b[end] != '"') {
        if (p->b[end] == '\\') {
            if (end + 1 >= p->len)
                goto fail;
            end++;
        }
        end++;
    }
    if (end >= p->len || p->b[end] != '"')
        goto fail;
    while (ip < end) {
        if (p->b[ip] != '\\') {
            ip++;
            continue;
        }
        switch (p->b[ip + 1]) {
        case 'b': case 'f': case 'n': case 'r': case 't': case '"': case '\\': case '/':
            ip += 2;
            break;
        case 'u':
            n = cj_utf16(p->b + ip, p->b + end);
            if (n == 0)
                goto fail;
            ip += n;
            break;
        default:
            goto fail;
        }
    }
    p->off = end + 1;
    return 1;
fail:
    p->off = ip;
    return 0;
}

static int cj_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

static int cj_number(struct cj *p)
{
    char small[64], *tmp = small, *stop;
    size_t n = 0, k;

    while (cj_access(p, n) && cj_number_char(p->b[p->off + n]))
        n++;
    if (n >= sizeof(small))
        tmp = xmalloc(n + 1);
    for (k = 0; k < n; k++)
        tmp[k] = p->b[p->off + k] == '.' ? p->dp : p->b[p->off + k];
    tmp[n] = '\0';
    (void)strtod(tmp, &stop);
    k = (size_t)(stop - tmp);
    if (tmp != small)
        free(tmp);
    if (k == 0)
        return 0;
    p->off += k;
    return 1;
}

static int cj_value(struct cj *p);

/* An array (close ']') or an object ('}'). */
static int cj_container(struct cj *p, char close)
{
    if (p->depth >= CJ_NESTING_LIMIT)
        return 0;
    p->depth++;
    p->off++;
    cj_ws(p);
    if (cj_access(p, 0) && p->b[p->off] == close)
        goto success;
    if (!cj_access(p, 0)) {
        p->off--;
        return 0;
    }
    p->off--;
    do {
        p->off++;
        cj_ws(p);
        if (close == '}') {
            if (!cj_string(p))
                return 0;
            cj_ws(p);
            if (!cj_access(p, 0) || p->b[p->off] != ':')
                return 0;
            p->off++;
            cj_ws(p);
        }
        if (!cj_value(p))
            return 0;
        cj_ws(p);
    } while (cj_access(p, 0) && p->b[p->off] == ',');
    if (!cj_access(p, 0) || p->b[p->off] != close)
        return 0;
success:
    p->depth--;
    p->off++;
    return 1;
}

static int cj_value(struct cj *p)
{
    static const char *const words[] = { "null", "false", "true" };
    size_t k, n;
    char c;

    for (k = 0; k < 3; k++) {
        n = strlen(words[k]);
        if (p->off + n <= p->len && memcmp(p->b + p->off, words[k], n) == 0) {
            p->off += n;
            return 1;
        }
    }
    if (!cj_access(p, 0))
        return 0;
    c = p->b[p->off];
    if (c == '"')
        return cj_string(p);
    if (c == '-' || (c >= '0' && c <= '9'))
        return cj_number(p);
    if (c == '[')
        return cj_container(p, ']');
    if (c == '{')
        return cj_container(p, '}');
    return 0;
}

int json_cjson_parse(const char *b, size_t len, size_t *end)
{
    struct cj p = { b, len, 0, 0, '.' };
    const char *dp = localeconv()->decimal_point;

    if (dp != NULL && dp[0] != '\0')
        p.dp = dp[0];
    if (cj_access(&p, 4) && memcmp(b, "\xef\xbb\xbf", 3) == 0)
        p.off = 3;
    cj_ws(&p);
    if (cj_value(&p)) {
        *end = p.off;
        return 1;
    }
    *end = p.off < len ? p.off : len - 1;
    return 0;
}
