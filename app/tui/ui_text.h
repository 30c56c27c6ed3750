/* ui_text.h: measuring and drawing UTF-8 text on the curses screen by display width. */
#ifndef VERDICT_UI_TEXT_H
#define VERDICT_UI_TEXT_H

/*
 * Text is measured in display columns (wcwidth), never in bytes: wide
 * characters count two.  Control characters and invalid UTF-8 show as '?';
 * so does every non-ASCII character when the locale is not UTF-8
 * (ui_text_ascii_only), which is the ASCII fallback.  An invisible or
 * reordering character (util_invisible) shows as its escape, "<U+202E>",
 * eight columns, and a cut never splits an escape.  The tui_ names are
 * kept from when these lived in tui.c: every screen calls them.
 */

/* Draw UTF-8 text at y, x on stdscr in at most width display columns,
 * with attribute attr; text that does not fit ends in '~' in the last
 * column.  right: align right within width; pad: fill the rest of width
 * with blanks (in attr).  A NULL s is drawn as "".  Returns the
 * columns used: width when pad is set, else the columns the text took;
 * 0 when width <= 0. */
int tui_text(int y, int x, int width, const char *s, int attr, int right, int pad);

/* Display width of UTF-8 text, as tui_text would draw it uncut (an
 * unprintable character or invalid byte counts one).  s must not be NULL. */
int tui_width(const char *s);

/* 1 when the locale's character set is not UTF-8 (so text and glyphs fall
 * back to ASCII), else 0.  Reads the locale set by setlocale. */
int ui_text_ascii_only(void);

#endif /* VERDICT_UI_TEXT_H */
