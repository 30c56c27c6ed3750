/* ui_list.c: a scrolling table with a header, selection, keys and mouse, by display width. */
#include "ui_list.h"

#include <curses.h>
#include <string.h>

#include "tui_int.h"

void ui_list_init(struct ui_list *l, const struct ui_column *cols, int n_cols)
{
    memset(l, 0, sizeof(*l));
    l->cols = cols;
    l->n_cols = n_cols < UI_LIST_MAX_COLUMNS ? n_cols : UI_LIST_MAX_COLUMNS;
    l->sort_col = -1;
    l->h = 2;
}

/* Rows that fit below the header. */
static size_t ui_list_page(const struct ui_list *l)
{
    return l->h > 1 ? (size_t)(l->h - 1) : 1;
}

/* Keep sel in range and on screen. */
static void ui_list_clamp(struct ui_list *l)
{
    size_t page = ui_list_page(l);

    if (l->n_rows == 0) {
        l->sel = l->top = 0;
        return;
    }
    if (l->sel >= l->n_rows)
        l->sel = l->n_rows - 1;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + page)
        l->top = l->sel - page + 1;
    if (l->top + page > l->n_rows)
        l->top = l->n_rows > page ? l->n_rows - page : 0;
}

void ui_list_set_rows(struct ui_list *l, size_t n)
{
    l->n_rows = n;
    ui_list_clamp(l);
}

void ui_list_select(struct ui_list *l, size_t row)
{
    l->sel = row;
    ui_list_clamp(l);
}

void ui_list_layout(struct ui_list *l, int width)
{
    int c, total = 0, level, max_drop = 0, flex = -1;

    for (c = 0; c < l->n_cols; c++) {
        l->shown[c] = 1;
        l->widths[c] = l->cols[c].width;
        total += l->cols[c].width + (c > 0);
        if (l->cols[c].drop > max_drop)
            max_drop = l->cols[c].drop;
        if (l->cols[c].flex && flex < 0)
            flex = c;
    }
    /* hide columns, lowest drop level first, until the row fits */
    for (level = 1; level <= max_drop && total > width; level++) {
        for (c = 0; c < l->n_cols; c++) {
            if (l->cols[c].drop == level && l->shown[c]) {
                l->shown[c] = 0;
                total -= l->cols[c].width + 1;
            }
        }
    }
    if (flex >= 0 && total < width) {
        l->widths[flex] += width - total;
        if (l->cols[flex].max_width > 0 && l->widths[flex] > l->cols[flex].max_width)
            l->widths[flex] = l->cols[flex].max_width;
    }
}

void ui_list_draw(struct ui_list *l, struct tui *t, const struct screen_rect *r,
                  ui_list_cell_fn cell, void *arg)
{
    int c, x, row, header = tui_attr(t, TUI_ROLE_HEADER);
    int selected = tui_attr(t, TUI_ROLE_SELECTED);
    const char *up = tui_glyphs(t) == UI_GLYPHS_ASCII ? "^" : "\xe2\x96\xb2";
    const char *down = tui_glyphs(t) == UI_GLYPHS_ASCII ? "v" : "\xe2\x96\xbc";
    char buf[512];

    l->y = r->y;
    l->x = r->x;
    l->h = r->h;
    l->w = r->w;
    ui_list_layout(l, r->w);
    ui_list_clamp(l);
    x = r->x;
    attron(header);
    mvhline(r->y, r->x, ' ', r->w);
    attroff(header);
    for (c = 0; c < l->n_cols; c++) {
        if (!l->shown[c])
            continue;
        if (c == l->sort_col)
            snprintf(buf, sizeof(buf), "%s%s", l->cols[c].title, l->sort_desc ? down : up);
        else
            snprintf(buf, sizeof(buf), "%s", l->cols[c].title);
        tui_text(r->y, x, l->widths[c], buf, header, l->cols[c].right, 1);
        x += l->widths[c] + 1;
    }
    for (row = 0; row < r->h - 1; row++) {
        size_t i = l->top + (size_t)row;
        int y = r->y + 1 + row, is_sel = i == l->sel;

        if (i >= l->n_rows)
            break;
        if (is_sel) {
            attron(selected);
            mvhline(y, r->x, ' ', r->w);
            attroff(selected);
        }
        x = r->x;
        for (c = 0; c < l->n_cols; c++) {
            int role = TUI_ROLE_NORMAL, attr;

            if (!l->shown[c])
                continue;
            buf[0] = '\0';
            cell(arg, i, c, buf, sizeof(buf), &role);
            /* the selected row keeps bold/underline of its role, in the
             * selection's colours, so it stays readable in monochrome */
            attr = tui_attr(t, (enum tui_role)role);
            if (is_sel)
                attr = selected | (attr & (int)A_BOLD);
            tui_text(y, x, l->widths[c], buf, attr, l->cols[c].right, 1);
            x += l->widths[c] + 1;
        }
    }
}

/* A mouse event: a click on a row selects it, the wheel scrolls. */
static int ui_list_mouse(struct ui_list *l, struct tui *t)
{
    int y, x;
    unsigned long b;
    size_t page = ui_list_page(l);

    if (tui_mouse(t, &y, &x, &b) != 0)
        return SCREEN_HANDLED;
    if (y < l->y || y >= l->y + l->h || x < l->x || x >= l->x + l->w)
        return SCREEN_IGNORED;
    if (b & BUTTON4_PRESSED) {
        l->top = l->top > 3 ? l->top - 3 : 0;
        if (l->sel >= l->top + page)
            l->sel = l->top + page - 1;
        return SCREEN_HANDLED | SCREEN_REDRAW;
    }
    if (b & BUTTON5_PRESSED) {
        if (l->top + page < l->n_rows)
            l->top += l->top + page + 3 <= l->n_rows ? 3 : l->n_rows - l->top - page;
        if (l->sel < l->top)
            l->sel = l->top;
        return SCREEN_HANDLED | SCREEN_REDRAW;
    }
    if ((b & (BUTTON1_PRESSED | BUTTON1_CLICKED)) && y > l->y) {
        size_t row = l->top + (size_t)(y - l->y - 1);

        if (row < l->n_rows)
            l->sel = row;
        return SCREEN_HANDLED | SCREEN_REDRAW;
    }
    return SCREEN_HANDLED;
}

int ui_list_key(struct ui_list *l, struct tui *t, int key)
{
    size_t old_sel = l->sel, old_top = l->top, page = ui_list_page(l);

    switch (key) {
    case KEY_UP:
    case 'k':
        if (l->sel > 0)
            l->sel--;
        break;
    case KEY_DOWN:
    case 'j':
        l->sel++;
        break;
    case KEY_PPAGE:
        l->sel = l->sel > page ? l->sel - page : 0;
        l->top = l->top > page ? l->top - page : 0;
        break;
    case KEY_NPAGE:
        l->sel += page;
        l->top += page;
        break;
    case KEY_HOME:
    case 'g':
        l->sel = 0;
        break;
    case KEY_END:
    case 'G':
        l->sel = l->n_rows > 0 ? l->n_rows - 1 : 0;
        break;
    case KEY_MOUSE:
        return ui_list_mouse(l, t);
    default:
        return SCREEN_IGNORED;
    }
    ui_list_clamp(l);
    return l->sel != old_sel || l->top != old_top ? SCREEN_HANDLED | SCREEN_REDRAW
                                                  : SCREEN_HANDLED;
}
