/* ui_text.c: measuring and drawing UTF-8 text on the curses screen by display width. */
#include "verdict/ui_text.h"

#include <curses.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#include "verdict/util.h"

/* Next code point of s (advancing *p), '?' for invalid bytes and control
 * characters, and its display width (>= 1). */
static wchar_t ui_text_next_char(const char **p, int ascii, int *width)
{
    unsigned long cp = '?';
    size_t n = util_utf8_len(*p, &cp);
    int w;

    *p += n > 0 ? n : 1;
    if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (ascii && cp > 0x7e))
        cp = '?';
    w = wcwidth((wchar_t)cp);
    if (w < 0) {
        cp = '?';
        w = 1;
    }
    *width = w;
    return (wchar_t)cp;
}

int ui_text_ascii_only(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs == NULL || strcmp(cs, "UTF-8") != 0;
}

int tui_width(const char *s)
{
    int total = 0, w, ascii = ui_text_ascii_only();
    const char *p = s;

    while (*p != '\0') {
        ui_text_next_char(&p, ascii, &w);
        total += w;
    }
    return total;
}

int tui_text(int y, int x, int width, const char *s, int attr, int right, int pad)
{
    wchar_t buf[512];
    int used = 0, n = 0, w, ascii = ui_text_ascii_only();
    const char *p = s != NULL ? s : "";
    int total;

    if (width <= 0)
        return 0;
    total = tui_width(p);
    while (*p != '\0' && n < (int)(sizeof(buf) / sizeof(buf[0])) - 2) {
        wchar_t c = ui_text_next_char(&p, ascii, &w);

        /* keep a column for the cut mark when the whole text does not fit */
        if (used + w > width - (total > width ? 1 : 0))
            break;
        buf[n++] = c;
        used += w;
    }
    if (total > width) {
        buf[n++] = L'~';
        used++;
    }
    buf[n] = L'\0';
    attron(attr);
    if (right && used < width) {
        if (pad)
            mvhline(y, x, ' ', width - used);
        x += width - used;
    }
    mvaddnwstr(y, x, buf, n);
    if (pad && !right && used < width)
        mvhline(y, x + used, ' ', width - used);
    attroff(attr);
    return pad ? width : used;
}
