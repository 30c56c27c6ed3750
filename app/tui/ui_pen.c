/* ui_pen.c: a column of text lines that scrolls under a screen's fixed header. */
#include "ui_pen.h"

#include <stdio.h>

#include "verdict/format.h"
#include "verdict/util.h"

int ui_pen_row(struct ui_pen *p)
{
    int vis = p->line++ - p->top;

    return vis >= 0 && vis < p->h ? p->y0 + vis : -1;
}

void ui_pen_text(struct ui_pen *p, int indent, const char *text, enum tui_role role)
{
    int y = ui_pen_row(p);

    if (y >= 0)
        tui_text(y, p->x + indent, p->w - indent, text, tui_attr(p->t, role), 0, 0);
}

void ui_pen_wrap(struct ui_pen *p, int indent, int rest, const char *text, enum tui_role role)
{
    char clean[1024], part[1024];
    const char *s = clean;

    util_sanitize(clean, sizeof(clean), text);
    while (*s != '\0') {
        /* the last column stays blank, a margin against the next column */
        size_t take = fmt_wrap(s, p->w - indent - 1);

        snprintf(part, sizeof(part), "%.*s", (int)take, s);
        ui_pen_text(p, indent, part, role);
        s += take;
        while (*s == ' ')
            s++;
        indent = rest;
    }
}
