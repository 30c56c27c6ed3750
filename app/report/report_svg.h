/* report_svg.h: inline SVG charts and HTML escaping for the HTML report. */
#ifndef VERDICT_REPORT_SVG_H
#define VERDICT_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "verdict/effort.h"
#include "verdict/montecarlo.h"
#include "verdict/stats.h"

/* Write untrusted text HTML-escaped (& < > " ') with control characters
 * and invalid UTF-8 removed, and each invisible or reordering character
 * (util_invisible) as its visible escape, "&lt;U+202E&gt;", so a reader
 * sees it and it reorders nothing.  NULL writes nothing. */
void report_svg_esc(FILE *f, const char *s);

/* A measured series: the mean as a polyline over a min..max band, gaps
 * left open.  fmt formats the axis labels (NULL: %.3g).  Writes a note
 * instead when the chart is empty. */
void report_svg_series(FILE *f, const char *title, const struct chart *c,
                       char *(*fmt)(char *, size_t, double));

/* Cumulative cash flow for n months, zero line, break-even month marked
 * (0: none).  cur: currency symbol, untrusted. */
void report_svg_cash(FILE *f, const double *cumulative, int n, int break_even_month,
                     const char *cur);

/* The Monte Carlo NPV histogram with P10, P50 and P90 marked. */
void report_svg_histogram(FILE *f, const struct mc_result *mc, const char *cur);

/* Tornado: NPV at each parameter's low and high around base (likely NPV). */
void report_svg_tornado(FILE *f, const struct tornado_entry *t, size_t n, double base,
                        const char *cur);

/* The effort phases on a timeline in weeks. */
void report_svg_timeline(FILE *f, const struct effort_estimate *e);

#endif /* VERDICT_REPORT_SVG_H */
