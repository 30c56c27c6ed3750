/* ui_pen.h: a column of text lines that scrolls under a screen's fixed header. */
#ifndef VERDICT_UI_PEN_H
#define VERDICT_UI_PEN_H

#include "tui_int.h"

/*
 * The Detail and Cost screens draw their sections line by line without
 * knowing where the scroll stands: each line gets the next content number
 * (line), and only those from top on, h of them, reach the screen, from
 * row y0, in the columns x .. x + w - 1.  After drawing, line is the
 * number of content lines, which sets how far the screen may scroll.
 * Two pens side by side (copies with another x and w) make two columns.
 */
struct ui_pen {
    struct tui *t;
    int x, w;       /* columns */
    int y0, h;      /* the visible rows */
    int top;        /* the first content line shown */
    int line;       /* the next content line */
};

/* The screen row of the next line (and count it), or -1 when it is
 * scrolled away. */
int ui_pen_row(struct ui_pen *p);

/* One line of text, indent columns in, cut to the column. */
void ui_pen_text(struct ui_pen *p, int indent, const char *text, enum tui_role role);

/* Text wrapped at word boundaries to the column's width, by display
 * width: the first line indent columns in, the others rest columns in.
 * The text is sanitised first (a control character shows as '?'). */
void ui_pen_wrap(struct ui_pen *p, int indent, int rest, const char *text, enum tui_role role);

#endif /* VERDICT_UI_PEN_H */
