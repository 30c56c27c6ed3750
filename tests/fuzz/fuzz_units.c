/* fuzz_units.c: libFuzzer harness for durations and instants (models/units.c). */
#define _DEFAULT_SOURCE 1       /* timegm, the oracle for RFC 3339 */

#include <ctype.h>
#include <math.h>
#include <time.h>

#include "fuzz.h"
#include "verdict/units.h"

/*
 * Each input is one string (inputs holding a NUL are skipped: the API takes
 * C strings).  The harness parses it again with its own grammar, written
 * from the header's contract, and checks that both agree on whether the
 * text is valid and on its value:
 *   duration  DIGITS ["." DIGITS] [s|m|h|d|w], at least one digit, > 0
 *   time      unix seconds DIGITS ["." DIGITS], or RFC 3339
 *             YYYY-MM-DD(T|t| )hh:mm:ss[.DIGITS](Z|z|(+|-)hh:mm)
 * RFC 3339's value comes from glibc's timegm, not from units.c's own
 * calendar arithmetic.
 */

#define UNITS_MAX_INPUT 256

static size_t span_digits(const char *s)
{
    size_t i = 0;

    while (isdigit((unsigned char)s[i]))
        i++;
    return i;
}

/* DIGITS ["." DIGITS] with at least one digit (".5" and "5." count), as
 * the length of the number at s; 0 when there is none. */
static size_t span_decimal(const char *s)
{
    size_t i = span_digits(s), d = i;

    if (s[i] == '.') {
        size_t f = span_digits(s + i + 1);

        d += f;
        i += 1 + f;
    }
    return d > 0 ? i : 0;
}

static void check_duration(const char *s)
{
    static const struct { const char *unit; double secs; } units[] = {
        { "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 },
    };
    size_t n = span_decimal(s), i;
    double got = -1, want = NAN;
    int rc = units_parse_duration(s, &got);

    if (n > 0) {
        for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            if (strcmp(s + n, units[i].unit) == 0) {
                want = strtod(s, NULL) * units[i].secs;
                break;
            }
        }
    }
    if (!(want > 0) || !isfinite(want)) {
        FUZZ_CHECK(rc == -1, "duration \"%s\" accepted as %.17g", s, got);
        return;
    }
    FUZZ_CHECK(rc == 0, "duration \"%s\" refused, want %.17g", s, want);
    FUZZ_CHECK(got == want, "duration \"%s\" = %.17g, want %.17g", s, got, want);
}

static int two(const char *s, int *v)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
        return -1;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The value of an RFC 3339 instant, or -1 when s is not one. */
static int rfc3339(const char *s, double *out)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y1, y2, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    double frac = 0;
    const char *p;
    struct tm tm;
    time_t t;
    size_t f;

    if (two(s, &y1) || two(s + 2, &y2) || s[4] != '-' || two(s + 5, &mo) || s[7] != '-' ||
        two(s + 8, &d) || strchr("Tt ", s[10]) == NULL || s[10] == '\0' ||
        two(s + 11, &h) || s[13] != ':' || two(s + 14, &mi) || s[16] != ':' ||
        two(s + 17, &sec))
        return -1;
    y1 = y1 * 100 + y2;
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (d > mdays[mo - 1] + (mo == 2 && is_leap(y1)))
        return -1;
    p = s + 19;
    if (*p == '.') {
        f = span_digits(p + 1);
        if (f == 0)
            return -1;
        frac = strtod(p, NULL);     /* ".DIGITS" followed by Z or an offset */
        p += 1 + f;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (two(p + 1, &oh) || p[3] != ':' || two(p + 4, &om) || oh > 23 || om > 59)
            return -1;
        p += 6;
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y1 - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;            /* 60, a leap second, is the next minute's 0 */
    t = timegm(&tm);
    *out = (double)t + frac - sign * (oh * 3600.0 + om * 60.0);
    return 0;
}

static void check_time(const char *s)
{
    double got = NAN, want = NAN;
    int rc = units_parse_time(s, &got), ok;
    size_t n = span_decimal(s);

    if (isdigit((unsigned char)s[0]) && n > 0 && s[n] == '\0') {
        want = strtod(s, NULL);
        ok = isfinite(want);
    } else {
        ok = rfc3339(s, &want) == 0;
    }
    if (!ok) {
        FUZZ_CHECK(rc == -1, "time \"%s\" accepted as %.17g", s, got);
        return;
    }
    FUZZ_CHECK(rc == 0, "time \"%s\" refused, want %.17g", s, want);
    FUZZ_CHECK(isfinite(got), "time \"%s\" = %.17g", s, got);
    /* the two sum the same terms in different orders */
    FUZZ_CHECK(fabs(got - want) <= 1e-6 * fmax(1, fabs(want)),
               "time \"%s\" = %.17g, want %.17g", s, got, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;

    if (size > UNITS_MAX_INPUT || memchr(data, '\0', size) != NULL)
        return 0;
    s = fuzz_strndup(data, size);
    check_duration(s);
    check_time(s);
    free(s);
    return 0;
}
