/* ui_list.h: a reusable scrolling table for the TUI, measured in display columns. */
#ifndef VERDICT_UI_LIST_H
#define VERDICT_UI_LIST_H

#include <stddef.h>

#include "screen.h"

#define UI_LIST_MAX_COLUMNS 24

/*
 * Columns have a fixed width in display columns; one may be flexible and
 * takes what is left.  When the table is wider than the screen, columns
 * with drop > 0 are hidden, drop 1 first, then 2, and so on; drop 0 never.
 */
struct ui_column {
    const char *title;
    int width;          /* display columns (the flexible one: its minimum) */
    int right;          /* 1: right-aligned */
    int drop;           /* 0: always shown; else the order in which it goes */
    int flex;           /* 1: takes the spare width ... */
    int max_width;      /* ... up to this many columns (0: all of it) */
};

/*
 * Fill one cell: UTF-8 text into buf (len bytes; it is sanitised and cut
 * to the column width when drawn) and its colour role into *role (left at
 * TUI_ROLE_NORMAL when not set).
 */
typedef void (*ui_list_cell_fn)(void *arg, size_t row, int col, char *buf, size_t len,
                                int *role);

struct ui_list {
    const struct ui_column *cols;   /* borrowed */
    int n_cols;
    size_t n_rows;
    size_t sel;                     /* selected row (0 when empty) */
    size_t top;                     /* first row shown */
    int sort_col;                   /* marked in the header; -1: none */
    int sort_desc;
    /* layout of the last draw */
    int y, x, h, w;
    int shown[UI_LIST_MAX_COLUMNS]; /* 1: visible */
    int widths[UI_LIST_MAX_COLUMNS];
};

void ui_list_init(struct ui_list *l, const struct ui_column *cols, int n_cols);

/* The number of rows changed: keep the selection and scroll in range. */
void ui_list_set_rows(struct ui_list *l, size_t n);

/* Select row (clamped) and scroll it into view. */
void ui_list_select(struct ui_list *l, size_t row);

/* Decide which columns fit in width and how wide each is (l->shown);
 * ui_list_draw does it too. */
void ui_list_layout(struct ui_list *l, int width);

/* Draw the header and the visible rows in the rect (header on its first
 * line).  The selected row is drawn in TUI_ROLE_SELECTED. */
void ui_list_draw(struct ui_list *l, struct tui *t, const struct screen_rect *r,
                  ui_list_cell_fn cell, void *arg);

/* Navigation keys (arrows, j/k, PgUp/PgDn, Home/End, g/G) and the mouse
 * (click selects, wheel scrolls; KEY_MOUSE reads tui_mouse).  Returns
 * SCREEN_HANDLED|SCREEN_REDRAW when it moved, SCREEN_HANDLED when the key
 * was a navigation key that changed nothing, else SCREEN_IGNORED. */
int ui_list_key(struct ui_list *l, struct tui *t, int key);

/* The navigation keys as key-table entries (curses.h must be included),
 * for a screen's table so that help lists them; give them an action the
 * screen passes on to ui_list_key. */
#define UI_LIST_KEYS(action) \
    { KEY_UP, "Up/k", "previous row", action }, { 'k', NULL, NULL, action }, \
    { KEY_DOWN, "Down/j", "next row", action }, { 'j', NULL, NULL, action }, \
    { KEY_PPAGE, "PgUp", "page up", action }, { KEY_NPAGE, "PgDn", "page down", action }, \
    { KEY_HOME, "Home/g", "first row", action }, { 'g', NULL, NULL, action }, \
    { KEY_END, "End/G", "last row", action }, { 'G', NULL, NULL, action }, \
    { KEY_MOUSE, "mouse", "click selects, wheel scrolls", action }

#endif /* VERDICT_UI_LIST_H */
