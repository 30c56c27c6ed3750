/* fuzz_promql.c: libFuzzer harness for PromQL label escaping and templates (models/promql.c). */
#include "fuzz.h"
#include "verdict/promql.h"

/*
 * Input: a service name, then optionally a NUL and a query template.  The
 * harness checks that:
 *   - the escaped name, put between the quotes of `{service="..."}`, is
 *     read by Prometheus's lexer as one string that ends at the closing
 *     quote and unquotes to the name byte for byte (the lexer and Go's
 *     strconv.Unquote are re-implemented below from promql/parser/lex.go);
 *   - promql_escape reports the same length whatever the buffer, writes a
 *     terminated prefix of the full text into a short buffer, and never
 *     half an escape;
 *   - promql_substitute equals a naive replacement of every "${service}".
 */

#define PROMQL_MAX_INPUT 4096

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static size_t put_utf8(unsigned char *out, unsigned long c)
{
    if (c < 0x80) {
        out[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (unsigned char)(0xC0 | c >> 6);
        out[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | c >> 12);
        out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | c >> 18);
    out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/*
 * The body of a double-quoted PromQL string, its opening quote already
 * read: s[0..n).  Returns the bytes up to and including the closing quote,
 * or 0 where Prometheus reports an error (end of input, a raw newline, an
 * unknown or short escape, a raw byte that is not UTF-8, a raw U+FFFD).
 * With stop_at_end, running out of input is fine (a prefix): returns n + 1.
 * The unquoted bytes go to out (room for n bytes), their count to *out_n.
 */
static size_t lex_string(const unsigned char *s, size_t n, int stop_at_end,
                         unsigned char *out, size_t *out_n)
{
    size_t i = 0, o = 0, w, k, digits;
    unsigned long c, max;

    for (;;) {
        if (i >= n) {
            *out_n = o;
            return stop_at_end ? n + 1 : 0;
        }
        if (s[i] == '"') {
            *out_n = o;
            return i + 1;
        }
        if (s[i] == '\n')
            return 0;
        if (s[i] != '\\') {
            w = fuzz_utf8_len(s + i, n - i, &c);
            if (w == 0 || c == 0xFFFD)
                return 0;
            memcpy(out + o, s + i, w);
            o += w;
            i += w;
            continue;
        }
        if (++i >= n)
            return 0;
        switch (s[i]) {
        case 'a': out[o++] = '\a'; i++; continue;
        case 'b': out[o++] = '\b'; i++; continue;
        case 'f': out[o++] = '\f'; i++; continue;
        case 'n': out[o++] = '\n'; i++; continue;
        case 'r': out[o++] = '\r'; i++; continue;
        case 't': out[o++] = '\t'; i++; continue;
        case 'v': out[o++] = '\v'; i++; continue;
        case '\\': out[o++] = '\\'; i++; continue;
        case '"': out[o++] = '"'; i++; continue;
        case 'x': digits = 2, max = 0xFF; i++; break;
        case 'u': digits = 4, max = 0x10FFFF; i++; break;
        case 'U': digits = 8, max = 0x10FFFF; i++; break;
        default:
            if (s[i] < '0' || s[i] > '7')
                return 0;
            digits = 3, max = 0xFF;
            break;
        }
        c = 0;
        for (k = 0; k < digits; k++, i++) {
            int d = i < n ? hexval(s[i]) : -1;

            if (d < 0 || (max == 0xFF && digits == 3 && d > 7))
                return 0;
            c = c * (digits == 3 ? 8 : 16) + (unsigned long)d;
        }
        if (c > max || (c >= 0xD800 && c < 0xE000))
            return 0;
        if (digits <= 3)
            out[o++] = (unsigned char)c;    /* \xNN and \NNN are bytes */
        else
            o += put_utf8(out + o, c);
    }
}

static void check_escape(const char *name, size_t name_n, unsigned pick)
{
    size_t need = promql_escape(NULL, 0, name), got, used, out_n, k, i;
    size_t sizes[5];
    char *full = malloc(need + 1), *part;
    unsigned char *dec = malloc(need + 1);

    if (full == NULL || dec == NULL)
        abort();
    got = promql_escape(full, need + 1, name);
    FUZZ_CHECK(got == need, "escape length %zu, then %zu", need, got);
    FUZZ_CHECK(strlen(full) == need, "escape wrote %zu bytes, said %zu", strlen(full), need);

    /* inside {service="..."}: one string, ending at our closing quote */
    used = lex_string((const unsigned char *)full, need, 0, dec, &out_n);
    FUZZ_CHECK(used == 0 || used <= need, "lexer ran past the text");
    {
        char *q = malloc(need + 2);

        if (q == NULL)
            abort();
        memcpy(q, full, need);
        memcpy(q + need, "\"}", 2);
        used = lex_string((const unsigned char *)q, need + 2, 0, dec, &out_n);
        free(q);
    }
    FUZZ_CHECK(used == need + 1, "escaped \"%s\" ends the PromQL string at %zu of %zu",
               full, used, need + 1);
    FUZZ_CHECK(out_n == name_n && memcmp(dec, name, name_n) == 0,
               "escaped \"%s\" does not unquote to the name", full);

    /* short buffers: a terminated prefix made of whole escapes */
    sizes[0] = 0;
    sizes[1] = 1;
    sizes[2] = need / 2;
    sizes[3] = need;
    sizes[4] = need > 0 ? pick % (need + 1) : 0;
    for (i = 0; i < 5; i++) {
        k = sizes[i];
        part = malloc(k > 0 ? k : 1);
        if (part == NULL)
            abort();
        part[0] = 'X';
        got = promql_escape(part, k, name);
        FUZZ_CHECK(got == need, "escape into %zu bytes says %zu, want %zu", k, got, need);
        if (k == 0) {
            FUZZ_CHECK(part[0] == 'X', "escape wrote into a 0-byte buffer");
        } else {
            size_t pl = strnlen(part, k);

            FUZZ_CHECK(pl < k, "escape into %zu bytes is not terminated", k);
            FUZZ_CHECK(memcmp(part, full, pl) == 0, "escape into %zu bytes is not a prefix", k);
            FUZZ_CHECK(lex_string((const unsigned char *)part, pl, 1, dec, &out_n) == pl + 1,
                       "escape into %zu bytes cuts an escape: \"%s\"", k, part);
            FUZZ_CHECK(out_n <= name_n && memcmp(dec, name, out_n) == 0,
                       "escape into %zu bytes is not a prefix of the name", k);
        }
        free(part);
    }
    free(dec);
    free(full);
}

static void check_substitute(const char *tmpl, const char *name)
{
    static const char ph[] = "${service}";
    const size_t pn = sizeof(ph) - 1;
    size_t need = promql_escape(NULL, 0, name), tn = strlen(tmpl), i = 0, o = 0;
    char *esc = malloc(need + 1), *want = malloc(tn / pn * need + tn + 1), *got;

    if (esc == NULL || want == NULL)
        abort();
    promql_escape(esc, need + 1, name);
    while (i < tn) {
        if (tn - i >= pn && memcmp(tmpl + i, ph, pn) == 0) {
            memcpy(want + o, esc, need);
            o += need;
            i += pn;
        } else {
            want[o++] = tmpl[i++];
        }
    }
    want[o] = '\0';
    got = promql_substitute(tmpl, name);
    FUZZ_CHECK(got != NULL, "promql_substitute failed");
    FUZZ_CHECK(strcmp(got, want) == 0, "promql_substitute gave \"%s\", want \"%s\"", got, want);
    free(got);
    free(want);
    free(esc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul;
    char *name, *tmpl;
    size_t name_n;
    unsigned pick = 0, i;

    if (size > PROMQL_MAX_INPUT)
        return 0;
    nul = memchr(data, '\0', size);
    name_n = nul != NULL ? (size_t)(nul - data) : size;
    name = fuzz_strndup(data, name_n);
    tmpl = nul != NULL ? fuzz_strndup(nul + 1, size - name_n - 1)
                       : fuzz_strndup((const uint8_t *)"up{service=\"${service}\"}", 24);
    for (i = 0; i < size; i++)
        pick = pick * 31 + data[i];
    check_escape(name, name_n, pick);
    check_substitute(tmpl, name);
    free(tmpl);
    free(name);
    return 0;
}
