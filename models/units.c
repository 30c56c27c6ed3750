/* units.c: parse durations and instants given on the command line or in YAML. */
#include "verdict/units.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A plain decimal number ("12", "1.5", ".5": no sign, exponent or hex) at
 * the start of s; *rest points after it. */
static int number_prefix(const char *s, double *v, const char **rest)
{
    size_t i = 0, digits = 0;
    char *end;

    while (isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    if (s[i] == '.')
        for (i++; isdigit((unsigned char)s[i]); i++)
            digits++;
    if (digits == 0)
        return -1;
    *v = strtod(s, &end);
    if (end != s + i || !isfinite(*v))
        return -1;
    *rest = end;
    return 0;
}

int units_parse_duration(const char *s, double *out_s)
{
    static const struct { const char *unit; double secs; } units[] = {
        { "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 },
    };
    const char *rest;
    double v;
    size_t i;

    if (s == NULL || number_prefix(s, &v, &rest) != 0)
        return -1;
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(rest, units[i].unit) == 0) {
            v *= units[i].secs;
            if (!(v > 0) || !isfinite(v))
                return -1;
            *out_s = v;
            return 0;
        }
    }
    return -1;
}

static int digits(const char *s, int n, int *out)
{
    int i, v = 0;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int units_parse_time(const char *s, double *out)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    double frac = 0;
    const char *p;
    char *end;

    if (s == NULL || s[0] == '\0')
        return -1;
    if (strlen(s) < 11 || s[4] != '-') {
        /* digits and a fraction only: strtod alone would also take "1e9",
         * "0x10" and an exponent that overflows */
        const char *rest;
        double v;

        if (!isdigit((unsigned char)s[0]) || number_prefix(s, &v, &rest) != 0 || *rest != '\0')
            return -1;
        *out = v;
        return 0;
    }
    if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
        digits(s + 17, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    p = s + 19;
    if (*p == '.') {
        const char *q = p + 1;

        while (isdigit((unsigned char)*q))
            q++;
        if (q == p + 1)
            return -1;
        /* ".5e3" or ".5e999" is not a fraction: strtod must stop at q */
        frac = strtod(p, &end);
        if (end != q)
            return -1;
        p = end;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return -1;
        p += 6;
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    *out = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac -
           sign * (oh * 3600.0 + om * 60.0);
    return 0;
}
