/* snapshot_write.c: write measurements as JSON (schema verdict.snapshot/1), byte for byte reproducible. */
#define _GNU_SOURCE         /* fopencookie: the size-counting stream */
#include "verdict/snapshot.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/json_number.h"
#include "verdict/util.h"

/* A JSON string: quotes and backslashes escaped, control characters as
 * \u00XX and invisible ones (util_invisible) as \uXXXX, other valid UTF-8
 * kept, each invalid byte replaced by U+FFFD. */
static void write_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (s == NULL) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    while (*p != '\0') {
        unsigned long cp = 0;
        size_t n;

        /* a run of plain ASCII, nearly every name, at once */
        for (n = 0; p[n] >= 0x20 && p[n] < 0x7f && p[n] != '"' && p[n] != '\\'; n++)
            ;
        if (n > 0) {
            fwrite(p, 1, n, f);
            p += n;
            continue;
        }
        n = util_utf8_len((const char *)p, &cp);
        if (n == 0) {
            fputs("\xef\xbf\xbd", f);
            p++;
        } else if (*p == '"' || *p == '\\') {
            putc('\\', f);
            putc(*p++, f);
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(f, "\\u%04x", (unsigned)*p++);
        } else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
            /* a C1 control (U+0080..U+009F), which a terminal may obey
             * (U+009B is CSI): the same character, escaped */
            fprintf(f, "\\u%04x", (unsigned)p[1]);
            p += 2;
        } else if (util_invisible(cp)) {
            /* one that would reorder or hide text on a terminal: the same
             * character, escaped, as util_fputs_json writes reports */
            fprintf(f, "\\u%04lx", cp);
            p += n;
        } else {
            fwrite(p, 1, n, f);
            p += n;
        }
    }
    putc('"', f);
}

#define SNAPSHOT_POW10_MAX JSON_POW10_MAX

/* m * 10^-s as the nearest double.  Exact (one correctly rounded division
 * or product of two exact operands, Clinger's fast path) because the
 * callers keep m below 2^53 and |s| <= SNAPSHOT_POW10_MAX. */
static double scaled(int64_t m, int s)
{
    return s >= 0 ? (double)m / json_pow10(s) : (double)m * json_pow10(-s);
}

/*
 * What printf("%.15g", v) writes, when that reads back as v, without printf
 * or strtod: returns the length written to buf (at least 32 bytes), or 0
 * when v needs 16 or 17 digits or lies outside the fast range (then the
 * caller asks printf).  Most numbers in a snapshot are chart values rounded
 * to a few digits, and this is several times faster than printf + strtod.
 *
 * Why it is the same string: m is the 15-digit integer with
 * m * 10^(e-14) nearest to |v| (checked by reading it back exactly).
 * Reading back as v puts it within half a unit in the last place of v
 * (2^-53 |v|), while 15-digit numbers are at least 10^-15 |v| apart, so no
 * other 15-digit number is as close: m is what a correctly rounding
 * printf produces.  The layout is %g's: exponent form when the exponent
 * is below -4 or at least the precision (15), trailing zeros dropped.
 * Example: 0.1234 -> e = -1, m = 123400000000000 -> "0.1234".
 */
static size_t format_15g(char *buf, double v)
{
    static const int64_t lo = INT64_C(100000000000000), hi = INT64_C(1000000000000000);
    double a = fabs(v);
    int64_t m = 0;
    int e, s, tries, ok = 0, i, n = 0;
    char digits[16];
    size_t o = 0;

    if (!isfinite(v) || a == 0)
        return 0;
    e = json_number_decade(a);
    for (tries = 0; tries < 3; tries++) {
        s = 14 - e;
        if (s > SNAPSHOT_POW10_MAX || s < -SNAPSHOT_POW10_MAX)
            return 0;
        m = llround(s >= 0 ? a * json_pow10(s) : a / json_pow10(-s));
        if (m >= hi)
            e++;
        else if (m < lo)
            e--;
        else
            break;
    }
    if (m < lo || m >= hi)
        return 0;
    /* the product above is off by at most a fraction of a unit: the
     * 15-digit neighbour that reads back as v, if any, is one of these */
    for (i = 0; i < 3 && !ok; i++) {
        int64_t c = m + (i == 0 ? 0 : i == 1 ? -1 : 1);

        if (c >= lo && c < hi && scaled(c, s) == a) {
            m = c;
            ok = 1;
        }
    }
    if (!ok)
        return 0;
    for (i = 14; i >= 0; i--) {
        digits[i] = (char)('0' + m % 10);
        m /= 10;
    }
    for (n = 15; n > 1 && digits[n - 1] == '0'; n--)
        ;
    if (v < 0)
        buf[o++] = '-';
    if (e < -4 || e >= 15) {
        buf[o++] = digits[0];
        if (n > 1) {
            buf[o++] = '.';
            memcpy(buf + o, digits + 1, (size_t)n - 1);
            o += (size_t)n - 1;
        }
        o += (size_t)snprintf(buf + o, 8, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (e >= 0) {
        for (i = 0; i <= e; i++)
            buf[o++] = i < n ? digits[i] : '0';
        if (n > e + 1) {
            buf[o++] = '.';
            memcpy(buf + o, digits + e + 1, (size_t)(n - e - 1));
            o += (size_t)(n - e - 1);
        }
    } else {
        buf[o++] = '0';
        buf[o++] = '.';
        for (i = 0; i < -e - 1; i++)
            buf[o++] = '0';
        memcpy(buf + o, digits, (size_t)n);
        o += (size_t)n;
    }
    buf[o] = '\0';
    return o;
}

/*
 * The shortest of %.15g, %.16g, %.17g that reads back as the same double
 * (%.17g always does), so a reload is bit-identical and the file stays
 * readable.  Non-finite values are null.  The locale's decimal point, if
 * the TUI set one, is replaced by '.'.  format_15g() answers the common
 * case; printf and strtod the rest.
 */
static size_t format_number(char *buf, size_t len, double v)
{
    const char *dp;
    char *q;
    int prec;
    size_t n;

    if (!isfinite(v)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    n = format_15g(buf, v);
    if (n > 0)
        return n;
    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (prec == 17)
        snprintf(buf, len, "%.17g", v);
    dp = localeconv()->decimal_point;
    if (dp != NULL && dp[0] != '\0' && strcmp(dp, ".") != 0) {
        q = strstr(buf, dp);
        if (q != NULL) {
            size_t dl = strlen(dp);

            *q = '.';
            memmove(q + 1, q + dl, strlen(q + dl) + 1);
        }
    }
    return strlen(buf);
}

static void write_number(FILE *f, double v)
{
    char buf[40];

    fwrite(buf, 1, format_number(buf, sizeof(buf), v), f);
}

/* The numbers go through a buffer of this many bytes, one fwrite each
 * time it fills: a call (and the stream's lock) per number was a tenth of
 * a fetch's CPU at 120 services. */
#define SNAPSHOT_ARRAY_CHUNK 8192

static void write_array(FILE *f, const char *key, const double *v, size_t n)
{
    char chunk[SNAPSHOT_ARRAY_CHUNK];
    size_t i, o = 0;

    fprintf(f, "\"%s\": [", key);
    for (i = 0; i < n; i++) {
        if (o > sizeof(chunk) - 48) {
            fwrite(chunk, 1, o, f);
            o = 0;
        }
        if (i > 0) {
            chunk[o++] = ',';
            chunk[o++] = ' ';
        }
        o += format_number(chunk + o, 40, v[i]);
    }
    chunk[o++] = ']';
    fwrite(chunk, 1, o, f);
}

static void write_stats(FILE *f, const struct series_stats *st)
{
    const char *const names[] = {
        "first_t", "last_t", "min", "max", "mean", "p50", "p95", "p99", "last",
        "trend_per_day",
    };
    const double vals[] = {
        st->first_t, st->last_t, st->min, st->max, st->mean, st->p50, st->p95, st->p99,
        st->last, st->trend_per_day,
    };
    size_t i;

    fprintf(f, "\"stats\": {\"count\": %zu, \"gaps\": %zu", st->count, st->gaps);
    for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        fprintf(f, ", \"%s\": ", names[i]);
        write_number(f, vals[i]);
    }
    if (isfinite(st->trend_se_per_day)) {
        /* only when known, so older snapshots stay byte-identical */
        fputs(", \"trend_se_per_day\": ", f);
        write_number(f, st->trend_se_per_day);
    }
    putc('}', f);
}

static void write_signal(FILE *f, const struct signal_data *sig)
{
    const struct chart *c = &sig->chart;

    fputs("{\n          \"error\": ", f);
    write_string(f, sig->error);
    if (sig->warning != NULL) {
        /* written only when there is one, so older snapshots stay byte-identical */
        fputs(",\n          \"warning\": ", f);
        write_string(f, sig->warning);
    }
    if (sig->partial)
        fputs(",\n          \"partial\": true", f);
    if (sig->present) {
        fputs(",\n          ", f);
        write_stats(f, &sig->stats);
        if (sig->exceedance != NULL) {
            /* only when kept (the p99 series), so other signals and older
             * snapshots stay byte-identical */
            fputs(",\n          ", f);
            write_array(f, "exceedance", sig->exceedance, STATS_EXCEEDANCE_LEVELS);
        }
        if (sig->have_bucket) {
            /* only when known (a quantile's bucket), null for +Inf */
            fputs(",\n          \"bucket\": {\"lo\": ", f);
            write_number(f, sig->bucket_lo);
            fputs(", \"hi\": ", f);
            write_number(f, isfinite(sig->bucket_hi) ? sig->bucket_hi : NAN);
            putc('}', f);
        }
        fputs(",\n          \"chart\": {\"t0\": ", f);
        write_number(f, c->t0_s);
        fputs(", \"dt\": ", f);
        write_number(f, c->dt_s);
        fputs(",\n            ", f);
        write_array(f, "min", c->min, c->n);
        fputs(",\n            ", f);
        write_array(f, "max", c->max, c->n);
        fputs(",\n            ", f);
        write_array(f, "mean", c->mean, c->n);
        fputs("}", f);
    }
    fputs("\n        }", f);
}

static void write_service(FILE *f, const struct service_data *s)
{
    int i, first = 1;

    fputs("    {\n      \"name\": ", f);
    write_string(f, s->name != NULL ? s->name : "");
    fputs(",\n      \"detected_language\": ", f);
    write_string(f, s->detected_language);
    fputs(",\n      \"error\": ", f);
    write_string(f, s->error);
    if (s->detection_note != NULL) {
        fputs(",\n      \"detection_note\": ", f);
        write_string(f, s->detection_note);
    }
    if (s->profile != NULL) {
        fputs(",\n      \"profile\": ", f);
        write_string(f, s->profile);
    }
    if (s->discovered)
        fputs(",\n      \"discovered\": true", f);
    fputs(",\n      \"signals\": {", f);
    for (i = 0; i < SIGNAL_COUNT; i++) {
        const struct signal_data *sig = &s->signals[i];

        /* a warning alone: a signal not measured, with the reason
         * (Python's GC exports counts only: query_profile.h) */
        if (!sig->present && sig->error == NULL && sig->warning == NULL)
            continue;
        fprintf(f, "%s\n        \"%s\": ", first ? "" : ",", signal_name((enum signal)i));
        write_signal(f, sig);
        first = 0;
    }
    fputs(first ? "}\n    }" : "\n      }\n    }", f);
}

size_t snapshot_chart_buckets(size_t n_series, size_t want)
{
    size_t fit = n_series > 0 ? SNAPSHOT_MAX_BYTES / 2 / (n_series * 45) : want;

    if (fit > want)
        fit = want;
    return fit > 0 ? fit : 1;
}

/* The stream the snapshot is written through: it passes every byte on to
 * the caller's and stops once the total would pass SNAPSHOT_MAX_BYTES, so
 * nothing writes a file that a load would refuse. */
struct counted {
    FILE *to;
    size_t written;
    int err;            /* errno of the first failure */
    int too_large;
};

static ssize_t counted_write(void *cookie, const char *buf, size_t n)
{
    struct counted *c = cookie;

    if (c->err == 0 && n > SNAPSHOT_MAX_BYTES - c->written) {
        c->too_large = 1;
        c->err = EFBIG;
    }
    if (c->err == 0 && fwrite(buf, 1, n, c->to) != n)
        c->err = errno != 0 ? errno : EIO;
    if (c->err != 0)
        return 0;       /* never -1: see util.c's atomic_sink_write */
    c->written += n;
    return (ssize_t)n;
}

static int write_all(FILE *f, const struct measurements *m);

int snapshot_write(FILE *f, const struct measurements *m)
{
    static const cookie_io_functions_t io = { NULL, counted_write, NULL, NULL };
    struct counted c = { f, 0, 0, 0 };
    FILE *cf = fopencookie(&c, "w", io);
    int rc;

    if (cf == NULL)
        return -1;
    rc = write_all(cf, m);
    if (fclose(cf) != 0 || c.err != 0)
        rc = -1;
    if (rc == 0 && (fflush(f) != 0 || ferror(f)))
        rc = -1;
    if (c.err != 0)
        errno = c.err;
    return c.too_large ? -2 : rc;
}

static int write_all(FILE *f, const struct measurements *m)
{
    size_t i;

    fputs("{\n  \"schema\": ", f);
    write_string(f, SNAPSHOT_SCHEMA);
    fputs(",\n  \"source\": ", f);
    write_string(f, m->source != NULL ? m->source : "");
    fputs(",\n  \"end\": ", f);
    write_number(f, m->end_s);
    fputs(",\n  \"range\": ", f);
    write_number(f, m->range_s);
    fputs(",\n  \"step\": ", f);
    write_number(f, m->step_s);
    if (m->service_label != NULL) {
        fputs(",\n  \"service_label\": ", f);
        write_string(f, m->service_label);
    }
    if (m->discovery_error != NULL) {
        fputs(",\n  \"discovery_error\": ", f);
        write_string(f, m->discovery_error);
    }
    fputs(",\n  \"services\": [", f);
    for (i = 0; i < m->n_services; i++) {
        fputs(i > 0 ? ",\n" : "\n", f);
        write_service(f, &m->services[i]);
    }
    fputs(m->n_services > 0 ? "\n  ]\n}\n" : "]\n}\n", f);
    if (fflush(f) != 0 || ferror(f))
        return -1;
    return 0;
}
