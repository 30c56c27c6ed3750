/* json_number.h: a JSON number's text to its double, correctly rounded, mostly without strtod. */
#ifndef VERDICT_JSON_NUMBER_H
#define VERDICT_JSON_NUMBER_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longer numbers are not read (a sample value or a snapshot's figure is
 * at most 24 characters as Prometheus and verdict write them). */
#define JSON_NUMBER_MAX 63

/* The largest integer below which every integer is a double (2^53). */
#define JSON_NUMBER_EXACT (UINT64_C(1) << 53)

/* The powers of ten a double holds exactly: 10^k for 0 <= k <= 22. */
#define JSON_POW10_MAX 22

static inline double json_pow10(int k)
{
    static const double p10[JSON_POW10_MAX + 1] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    return p10[k];
}

/*
 * floor(log10(a)) for a finite a > 0, the same integer as that expression
 * but mostly without log10 (a third of the time of fetch's chart rounding
 * and of the snapshot writer's number formatting): for a between
 * 10^-22 and 10^22 the decade comes from comparisons with powers of ten.
 * Within a relative 10^-9 of a power of ten (where the table's rounded
 * 10^-k and log10's own error could disagree) it asks log10; anywhere
 * else log10(a) is at least 4e-10 from an integer, far more than log10's
 * error (about 1e-15 at these magnitudes), so both give the same floor.
 * Example: 0.00734 lies in [1e-3, 1e-2): -3, as floor(log10(0.00734)).
 */
static inline int json_number_decade(double a)
{
    static const double lower = 1.0 - 1e-9, upper = 1.0 + 1e-9;
    double p;
    int e;

    if (a >= 1e-22 && a < 1e22) {
        e = 0;
        if (a >= 1) {
            while (e < JSON_POW10_MAX && a >= json_pow10(e + 1))
                e++;
            p = json_pow10(e);
            if (a > p * upper && a < p * 10 * lower)
                return e;
        } else {
            while (e < JSON_POW10_MAX && a * json_pow10(e) < 1)
                e++;
            /* a in [10^-e, 10^(1-e)), to within the rounding of a * 10^e */
            p = a * json_pow10(e);
            if (p > upper && p < 10 * lower)
                return -e;
        }
    }
    return (int)floor(log10(a));
}

static inline int json_number_digit(const char *p, const char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

/* s[0, n) written to out with the locale's decimal point dp for '.', for
 * strtod; out holds n * (strlen(dp) + 1) + 1 bytes.  Returns out. */
static inline char *json_number_localise(char *out, const char *s, size_t n, const char *dp)
{
    size_t i, o = 0, dl = strlen(dp);

    for (i = 0; i < n; i++) {
        if (s[i] == '.') {
            memcpy(out + o, dp, dl);
            o += dl;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

/*
 * s[0, n) is a number in JSON's grammar, nothing looser (no "+1", "01",
 * "1.", ".5", "inf", hex): its value, correctly rounded like strtod.
 * When the significant digits, as an integer, are at most 2^53 (every
 * 15-digit number, and most of the 16-digit ones that Prometheus writes
 * for rates and quantiles, like 0.1507750000000007) and the power of ten
 * is at most 22, the value is digits / 10^k or digits * 10^k: one
 * correctly rounded operation on two exact doubles (Clinger's fast path).
 * Other numbers go to strtod on a copy written with the locale's decimal
 * point dp.  Returns 1, or 0 when s is not such a number or is longer
 * than JSON_NUMBER_MAX.
 */
static inline int json_number_value(const char *s, size_t n, const char *dp, double *v)
{
    const char *p = s, *end = s + n;
    uint64_t m = 0;
    int digits = 0, k = 0, x = 0, xneg = 0, neg = 0;

    if (n == 0 || n > JSON_NUMBER_MAX)
        return 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (!json_number_digit(p, end) || (*p == '0' && json_number_digit(p + 1, end)))
        return 0;
    for (; json_number_digit(p, end); p++) {
        if (m > 0 || *p != '0') {
            m = digits < 19 ? m * 10 + (uint64_t)(*p - '0') : m;
            k += digits >= 19;
            digits++;
        }
    }
    if (p < end && *p == '.') {
        if (!json_number_digit(++p, end))
            return 0;
        for (; json_number_digit(p, end); p++) {
            if (m > 0 || *p != '0') {
                m = digits < 19 ? m * 10 + (uint64_t)(*p - '0') : m;
                k -= digits < 19;
                digits++;
            } else {
                k--;
            }
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            xneg = *p++ == '-';
        if (!json_number_digit(p, end))
            return 0;
        for (; json_number_digit(p, end); p++)
            x = x < 10000 ? x * 10 + (*p - '0') : x;
    }
    if (p != end)
        return 0;
    k += xneg ? -x : x;
    if (m == 0) {
        *v = neg ? -0.0 : 0.0;
    } else if (digits <= 19 && m <= JSON_NUMBER_EXACT && k >= -JSON_POW10_MAX &&
               k <= JSON_POW10_MAX) {
        *v = k < 0 ? (double)m / json_pow10(-k) : (double)m * json_pow10(k);
        if (neg)
            *v = -*v;
    } else {
        char tmp[JSON_NUMBER_MAX * 4 + 1], *stop;

        *v = strtod(json_number_localise(tmp, s, n, dp), &stop);
        if (*stop != '\0')
            return 0;
    }
    return 1;
}

#endif /* VERDICT_JSON_NUMBER_H */
