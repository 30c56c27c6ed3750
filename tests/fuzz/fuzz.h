/* fuzz.h: what every libFuzzer harness shares: failing loudly and checking untrusted text. */
#ifndef VERDICT_FUZZ_H
#define VERDICT_FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A harness asserts properties with FUZZ_CHECK: on failure it prints what
 * broke and aborts, which libFuzzer reports as a crash and saves the input
 * (tests/fuzz/run.sh prints it).  assert() is not used: NDEBUG must not
 * turn the checks off.
 */

#if defined(__GNUC__)
#define FUZZ_UNUSED __attribute__((unused))
#define FUZZ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define FUZZ_UNUSED
#define FUZZ_PRINTF(f, a)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_PRINTF(3, 4) FUZZ_UNUSED
static _Noreturn void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "\n%s:%d: check failed: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

#define FUZZ_CHECK(cond, ...) \
    do { \
        if (!(cond)) \
            fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); \
    } while (0)

/* Length (1..4) of the valid UTF-8 sequence at s[0..n), or 0 when it is
 * not one (overlong, surrogate, beyond U+10FFFF, cut short).  Written
 * here rather than taken from app/util.c so that the checks do not trust
 * the code under test. */
FUZZ_UNUSED
static size_t fuzz_utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned long c, min;
    size_t len, i;

    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        len = 1, c = s[0], min = 0;
    } else if ((s[0] & 0xE0) == 0xC0) {
        len = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp != NULL)
        *cp = c;
    return len;
}

/* 1 when s[0..n) is all valid UTF-8. */
FUZZ_UNUSED
static int fuzz_utf8_valid(const char *s, size_t n)
{
    size_t i = 0, w;

    while (i < n) {
        w = fuzz_utf8_len((const unsigned char *)s + i, n - i, NULL);
        if (w == 0)
            return 0;
        i += w;
    }
    return 1;
}

/*
 * 1 when a message may go to a terminal as it is: valid UTF-8 without C0
 * or C1 control characters or DEL.  A message cut to fit its buffer may
 * end in part of a character (cut_ok): that tail is allowed, nothing else.
 */
FUZZ_UNUSED
static int fuzz_text_safe(const char *s, int cut_ok)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, w;
    unsigned long c = 0;

    while (i < n) {
        w = fuzz_utf8_len(u + i, n - i, &c);
        if (w == 0) {
            /* a truncated but otherwise good start of a character */
            size_t need = u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : 2;

            if (!cut_ok || u[i] < 0xC2 || u[i] > 0xF4 || n - i >= need)
                return 0;
            for (w = 1; i + w < n; w++)
                if ((u[i + w] & 0xC0) != 0x80)
                    return 0;
            return 1;
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
            return 0;
        i += w;
    }
    return 1;
}

/* A NUL-terminated heap copy of data[0..n) (the caller frees it). */
FUZZ_UNUSED
static char *fuzz_strndup(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);

    if (s == NULL)
        abort();
    if (n > 0)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

#endif /* VERDICT_FUZZ_H */
