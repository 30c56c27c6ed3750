/* screen_help.c: the `?` overlay: the screen's keys, then every command, from their tables. */
#include <curses.h>
#include <stdio.h>

#include "screen.h"
#include "tui_int.h"

/* One line of the overlay: a section title (key == NULL) or a key. */
struct help_line {
    const char *key;
    const char *text;
};

/* Visit every line in order; returns how many there are.  With out == NULL
 * it only counts. */
static int help_lines(const struct screen_help *h, struct help_line *out, int max)
{
    int n = 0;
    size_t i;

#define HELP_ADD(k, txt)                          \
    do {                                          \
        if (out != NULL && n < max) {             \
            out[n].key = (k);                     \
            out[n].text = (txt);                  \
        }                                         \
        n++;                                      \
    } while (0)

    HELP_ADD(NULL, h->screen->name);
    for (i = 0; i < h->screen->n_keys; i++)
        if (h->screen->keys[i].name != NULL)
            HELP_ADD(h->screen->keys[i].name, h->screen->keys[i].help);
    HELP_ADD(NULL, "");
    HELP_ADD(NULL, "Everywhere");
    for (i = 0; i < h->n_global; i++)
        if (h->global[i].name != NULL)
            HELP_ADD(h->global[i].name, h->global[i].help);
    HELP_ADD(NULL, "");
    HELP_ADD(NULL, "Commands (after :)");
    for (i = 0; i < h->n_commands; i++)
        HELP_ADD(h->commands[i].name, h->commands[i].help);
    HELP_ADD(NULL, "");
    HELP_ADD(NULL, "Screens");
    for (i = 0; i < h->n_tabs; i++)
        HELP_ADD("", h->tabs[i]);
#undef HELP_ADD
    return n;
}

void screen_help_draw(struct screen_help *h, struct tui *t, const struct screen_rect *r)
{
    struct help_line lines[128];
    int n = help_lines(h, lines, 128), w = r->w - 8, height = r->h - 2, x = r->x + 4;
    int y = r->y + 1, i, frame = tui_attr(t, TUI_ROLE_TITLE);
    char title[64];

    if (n > 128)
        n = 128;
    if (w > 90)
        w = 90;
    if (h->top > n - (height - 2))
        h->top = n - (height - 2) > 0 ? n - (height - 2) : 0;
    if (h->top < 0)
        h->top = 0;
    snprintf(title, sizeof(title), " help: %s ", h->screen->name);
    tui_text(y, x, w, title, frame | A_BOLD, 0, 1);
    for (i = 0; i < height - 2; i++) {
        const struct help_line *l = h->top + i < n ? &lines[h->top + i] : NULL;
        int row = y + 1 + i;

        tui_text(row, x, w, "", 0, 0, 1);
        if (l == NULL)
            continue;
        if (l->key == NULL) {
            tui_text(row, x + 2, w - 2, l->text, tui_attr(t, TUI_ROLE_HEADER), 0, 0);
        } else if (l->key[0] == '\0') {
            tui_text(row, x + 4, w - 4, l->text, 0, 0, 0);
        } else {
            tui_text(row, x + 4, 12, l->key, A_BOLD, 0, 1);
            tui_text(row, x + 17, w - 17, l->text, 0, 0, 0);
        }
    }
    tui_text(y + height - 1, x, w,
             n > height - 2 ? " j/k scroll, any other key closes " : " any key closes ",
             frame, 0, 1);
}

int screen_help_key(struct screen_help *h, int key)
{
    switch (key) {
    case 'j':
    case KEY_DOWN:
        h->top++;
        return SCREEN_REDRAW;
    case 'k':
    case KEY_UP:
        if (h->top > 0)
            h->top--;
        return SCREEN_REDRAW;
    case KEY_NPAGE:
        h->top += 10;
        return SCREEN_REDRAW;
    case KEY_PPAGE:
        h->top = h->top > 10 ? h->top - 10 : 0;
        return SCREEN_REDRAW;
    case KEY_RESIZE:
        return SCREEN_REDRAW;
    default:
        return SCREEN_BACK | SCREEN_REDRAW;
    }
}
