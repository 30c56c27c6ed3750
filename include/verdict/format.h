/* format.h: numbers, money, durations and untrusted names as display text or Markdown. */
#ifndef VERDICT_FORMAT_H
#define VERDICT_FORMAT_H

#include <stddef.h>
#include <stdio.h>

/* All functions write a terminated string of at most len bytes into buf
 * and return buf, so they can be used inline in printf arguments.  NaN is
 * written as "-". */

/* Whole currency units with thousands separators: "$1,234,567", "-$80,000". */
char *fmt_money(char *buf, size_t len, const char *currency, double v);

/* Compact money for tables: "$950", "$12.3k", "$1.25M", "-$80.0k". */
char *fmt_money_short(char *buf, size_t len, const char *currency, double v);

/* Seconds as a latency: "850us", "12.0ms", "1.25s". */
char *fmt_latency(char *buf, size_t len, double seconds);

/* Bytes with binary units: "512 MiB", "3.9 GiB". */
char *fmt_bytes(char *buf, size_t len, double bytes);

/* A fraction as a percentage: 0.253 -> "25%" (digits after the point). */
char *fmt_percent(char *buf, size_t len, double fraction, int digits);

/* A break-even month for a table cell: "m14"; "never" (month 0: not
 * within the horizon); "-" when the service has no figures (known 0). */
char *fmt_pays(char *buf, size_t len, int month, int known);

/* A whole score for a cell, "67", or "-" when it is NaN (no figures). */
char *fmt_score(char *buf, size_t len, double score);

/* A duration in seconds as the shortest exact unit: "30d", "5m", "90s". */
char *fmt_duration(char *buf, size_t len, double seconds);

/* Unix seconds as RFC 3339 UTC: "2026-11-01T00:00:00Z". */
char *fmt_time(char *buf, size_t len, double unix_s);

/* A range: "12" when it is a point, else "[8, 12, 20]" (%g). */
char *fmt_range(char *buf, size_t len, double low, double likely, double high);

/* Untrusted text cut to at most `width` display columns (fmt_width: wide
 * characters count two), sanitised (util_sanitize: control characters replaced,
 * invisible ones escaped, "<U+202E>" counting its 8 columns); a cut ends
 * in "~" and, like the len bytes of buf, never splits a code point or an
 * escape. */
char *fmt_fit(char *buf, size_t len, const char *text, int width);

/* Where to break sanitised text for its first line of at most width
 * columns: its length when it fits, else the last space that fits, else as
 * many whole code points and escapes as fit, but at least one, so a
 * wrapping loop always advances.  The caller skips the spaces after it. */
size_t fmt_wrap(const char *text, int width);

/* Display width of UTF-8 text in columns (util_cp_width per code point;
 * an escape such as "<U+202E>" is its 8 characters). */
int fmt_width(const char *text);

/* fmt_md flags. */
#define FMT_MD_BACKSLASH_HTML 1u   /* < > & backslash-escaped like the rest, not entities */

/*
 * The one Markdown escaper (GFM): untrusted text written to f, safe inline
 * and inside a table cell.  Markdown punctuation (\ ` * _ [ ] | # ! ~) is
 * backslash-escaped; < > & become entities (GFM renders raw HTML), or
 * take a backslash too with FMT_MD_BACKSLASH_HTML (verdict diff's tables,
 * whose tests pin that form); line breaks and tabs become spaces, other
 * control characters and invalid UTF-8 are dropped, and an invisible or
 * reordering character is shown as its escape, itself escaped
 * ("&lt;U+202E&gt;", shown "<U+202E>").  s NULL writes nothing.  Unlike
 * the fmt_ functions above it writes to a stream, not a buffer: the text
 * has no length limit.
 */
void fmt_md(FILE *f, const char *s, unsigned flags);

#endif /* VERDICT_FORMAT_H */
