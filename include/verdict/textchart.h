/* textchart.h: charts as text, for the terminal and for plain-text reports. */
#ifndef VERDICT_TEXTCHART_H
#define VERDICT_TEXTCHART_H

#include <stddef.h>

/*
 * Every chart renders into rows of UTF-8 (or pure ASCII) text of a given
 * width in display columns, so the TUI and the text report draw the same
 * pictures.  NaN values are gaps (drawn as blanks).  Output rows are
 * written into caller-owned buffers: rows[r] has room for rowlen bytes,
 * always NUL-terminated.
 */
enum ui_glyphs {
    UI_GLYPHS_UNICODE,   /* braille and block elements */
    UI_GLYPHS_ASCII      /* plain ASCII for --ascii, a non-UTF-8 locale, lpr */
};

/* One row: a sparkline of n values resampled to `width` columns
 * (block elements U+2581..U+2588, or ASCII "_.-~=^*#", with no blank:
 * a blank is a gap).  Scale from the minimum to the maximum of the finite
 * values. */
void textchart_sparkline(char *out, size_t outlen, const double *v, size_t n, int width,
                  enum ui_glyphs g);

/* A horizontal bar of value in [0, max] over width columns (eighth blocks,
 * or '#' and ' ' in ASCII). */
void textchart_bar(char *out, size_t outlen, double value, double max, int width, enum ui_glyphs g);

/*
 * A line chart of n values in height rows x width columns: braille
 * (2 x 4 dots per cell) in Unicode, '*' in ASCII.  lo/hi fix the vertical
 * scale (pass NaN for both to use the data's range).  mark_x >= 0 draws a
 * vertical marker at that value index (e.g. the break-even month), and a
 * zero line is drawn when 0 lies inside the scale.  Returns the scale used
 * in *lo_out, *hi_out (may be NULL).
 */
void textchart_line(char **rows, size_t rowlen, int height, int width, const double *v,
                   size_t n, double lo, double hi, long mark_x, enum ui_glyphs g,
                   double *lo_out, double *hi_out);

/* A column histogram of n counts in height rows x width columns (eighth
 * blocks, or '#' in ASCII). */
void textchart_histogram(char **rows, size_t rowlen, int height, int width, const size_t *counts,
                  size_t n, enum ui_glyphs g);

#endif /* VERDICT_TEXTCHART_H */
