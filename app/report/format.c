/* format.c: numbers, money, durations and untrusted names as display text or Markdown. */
#include "verdict/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "verdict/util.h"

char *fmt_money(char *buf, size_t len, const char *currency, double v)
{
    char digits[64], grouped[96];
    size_t n, i, o = 0;

    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return buf;
    }
    snprintf(digits, sizeof(digits), "%.0f", fabs(v));
    if (strcmp(digits, "0") == 0)
        v = 0;   /* no "-$0" */
    n = strlen(digits);
    for (i = 0; i < n; i++) {
        grouped[o++] = digits[i];
        if (i + 1 < n && (n - i - 1) % 3 == 0)
            grouped[o++] = ',';
    }
    grouped[o] = '\0';
    snprintf(buf, len, "%s%s%s", v < 0 ? "-" : "", currency, grouped);
    return buf;
}

char *fmt_money_short(char *buf, size_t len, const char *currency, double v)
{
    double a = fabs(v);
    const char *sign = v < 0 ? "-" : "";

    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (a < 999.5)
        snprintf(buf, len, "%s%s%.0f", a < 0.5 ? "" : sign, currency, a);
    else if (a < 99950)
        snprintf(buf, len, "%s%s%.1fk", sign, currency, a / 1e3);
    else if (a < 999500)
        snprintf(buf, len, "%s%s%.0fk", sign, currency, a / 1e3);
    else if (a < 99.95e6)
        snprintf(buf, len, "%s%s%.2fM", sign, currency, a / 1e6);
    else
        snprintf(buf, len, "%s%s%.0fM", sign, currency, a / 1e6);
    return buf;
}

char *fmt_latency(char *buf, size_t len, double s)
{
    if (!isfinite(s))
        snprintf(buf, len, "-");
    else if (s < 1e-3)
        snprintf(buf, len, "%.0fus", s * 1e6);
    else if (s < 1)
        snprintf(buf, len, "%.1fms", s * 1e3);
    else
        snprintf(buf, len, "%.2fs", s);
    return buf;
}

char *fmt_bytes(char *buf, size_t len, double b)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    int u = 0;

    if (!isfinite(b)) {
        snprintf(buf, len, "-");
        return buf;
    }
    while (fabs(b) >= 1024 && u < 5) {
        b /= 1024;
        u++;
    }
    if (u == 0 || fabs(b) >= 100)
        snprintf(buf, len, "%.0f %s", b, units[u]);
    else
        snprintf(buf, len, "%.1f %s", b, units[u]);
    return buf;
}

char *fmt_pays(char *buf, size_t len, int month, int known)
{
    if (!known)
        snprintf(buf, len, "-");
    else if (month > 0)
        snprintf(buf, len, "m%d", month);
    else
        snprintf(buf, len, "never");
    return buf;
}

char *fmt_score(char *buf, size_t len, double score)
{
    if (!isfinite(score))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.0f", score);
    return buf;
}

char *fmt_percent(char *buf, size_t len, double f, int digits)
{
    if (!isfinite(f))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.*f%%", digits, f * 100);
    return buf;
}

char *fmt_duration(char *buf, size_t len, double s)
{
    static const struct { double secs; const char *unit; } units[] = {
        { 604800, "w" }, { 86400, "d" }, { 3600, "h" }, { 60, "m" },
    };
    size_t i;

    if (!isfinite(s)) {
        snprintf(buf, len, "-");
        return buf;
    }
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (s >= units[i].secs && fmod(s, units[i].secs) == 0) {
            snprintf(buf, len, "%.0f%s", s / units[i].secs, units[i].unit);
            return buf;
        }
    }
    snprintf(buf, len, "%gs", s);
    return buf;
}

char *fmt_time(char *buf, size_t len, double unix_s)
{
    time_t t;
    struct tm tm;

    if (!isfinite(unix_s) || unix_s < 0 || unix_s > 253402300799.0) {
        snprintf(buf, len, "-");
        return buf;
    }
    t = (time_t)unix_s;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

char *fmt_range(char *buf, size_t len, double low, double likely, double high)
{
    if (low == likely && likely == high)
        snprintf(buf, len, "%g", likely);
    else
        snprintf(buf, len, "[%g, %g, %g]", low, likely, high);
    return buf;
}

/* Bytes and columns of the unit of sanitised text at s that a cut or a
 * line break must keep whole: an escape ("<U+202E>", 8 columns) or one
 * code point (its display width, util_cp_width: 2 for 漢, 0 for a
 * combining accent; an invalid byte alone counts 1). */
static size_t fmt_unit(const char *s, int *cols)
{
    unsigned long cp;
    size_t n = util_escape_len(s);

    if (n > 0) {
        *cols = (int)n;
        return n;
    }
    n = util_utf8_len(s, &cp);
    if (n == 0) {
        *cols = 1;
        return 1;
    }
    *cols = util_cp_width(cp);
    return n;
}

int fmt_width(const char *text)
{
    int w = 0, cols;

    while (*text != '\0') {
        text += fmt_unit(text, &cols);
        w += cols;
    }
    return w;
}

/* Bytes of whole units from the start of s within width columns and
 * size bytes. */
static size_t fmt_take(const char *s, int width, size_t size)
{
    size_t i = 0;
    int w = 0;

    while (s[i] != '\0') {
        int cols;
        size_t n = fmt_unit(s + i, &cols);

        if (w + cols > width || i + n > size)
            break;
        w += cols;
        i += n;
    }
    return i;
}

char *fmt_fit(char *buf, size_t len, const char *text, int width)
{
    char clean[512];
    size_t take;

    if (len == 0)
        return buf;
    util_sanitize(clean, sizeof(clean), text);
    take = fmt_take(clean, width, len - 1);
    if (clean[take] != '\0' && len >= 2) {
        /* keep width-1 columns of whole units, then "~" */
        take = fmt_take(clean, width - 1, len - 2);
        memcpy(buf, clean, take);
        buf[take++] = '~';
    } else {
        memcpy(buf, clean, take);
    }
    buf[take] = '\0';
    return buf;
}

size_t fmt_wrap(const char *text, int width)
{
    size_t i = 0, last_space = 0;
    int w = 0;

    while (text[i] != '\0') {
        int cols;
        size_t n = fmt_unit(text + i, &cols);

        if (w + cols > width)
            return last_space > 0 ? last_space : i > 0 ? i : n;
        if (text[i] == ' ')
            last_space = i;
        w += cols;
        i += n;
    }
    return i;
}

void fmt_md(FILE *f, const char *s, unsigned flags)
{
    while (s != NULL && *s != '\0') {
        unsigned char ch = (unsigned char)*s;
        unsigned long cp;
        size_t n;

        if (ch == '\n' || ch == '\r' || ch == '\t') {
            fputc(' ', f);
            s++;
            continue;
        }
        if (ch < 0x20 || ch == 0x7f) {
            s++;
            continue;
        }
        if (ch >= 0x80) {
            n = util_utf8_len(s, &cp);
            if (n == 0) {
                s++;
                continue;
            }
            if (cp < 0xa0) {     /* C1 controls */
                s += n;
                continue;
            }
            if (util_invisible(cp)) {
                char e[UTIL_ESCAPE_SIZE];

                util_escape(e, cp);
                fmt_md(f, e, flags);  /* "&lt;U+202E&gt;", shown "<U+202E>" */
                s += n;
                continue;
            }
            fwrite(s, 1, n, f);
            s += n;
            continue;
        }
        if (strchr("<>&", ch) != NULL && !(flags & FMT_MD_BACKSLASH_HTML)) {
            fputs(ch == '<' ? "&lt;" : ch == '>' ? "&gt;" : "&amp;", f);
        } else if (strchr("\\`*_[]|#!~<>&", ch) != NULL) {
            fputc('\\', f);
            fputc(ch, f);
        } else {
            fputc(ch, f);
        }
        s++;
    }
}
