/* ui_text.c: measuring and drawing UTF-8 text on the curses screen by display width. */
#include "ui_text.h"

#include <curses.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#include "verdict/util.h"

/* Most wide characters one unit of text draws as: an escape. */
#define UI_TEXT_UNIT (UTIL_ESCAPE_SIZE - 1)

/*
 * The next unit of s to draw (advancing *p) into out, as wide characters,
 * and its display width: one code point ('?' for an invalid byte or a
 * control character); an invisible character as its escape, as
 * util_sanitize writes it (wcwidth would give it 0 columns, and the
 * terminal would obey it); or an escape already in the text, kept whole
 * so that a cut never splits it.  Returns the count of characters (>= 1).
 */
static int ui_text_next(const char **p, int ascii, wchar_t *out, int *width)
{
    char esc[UTIL_ESCAPE_SIZE];
    unsigned long cp = '?';
    size_t e = util_escape_len(*p), n, i;
    int w;

    if (e > 0) {
        memcpy(esc, *p, e);
        *p += e;
    } else {
        n = util_utf8_len(*p, &cp);
        *p += n > 0 ? n : 1;
        if (n > 0 && util_invisible(cp))
            e = util_escape(esc, cp);
        else if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (ascii && cp > 0x7e))
            cp = '?';
    }
    if (e > 0) {
        for (i = 0; i < e; i++)
            out[i] = (wchar_t)esc[i];
        *width = (int)e;
        return (int)e;
    }
    w = wcwidth((wchar_t)cp);
    if (w < 0) {
        cp = '?';
        w = 1;
    }
    *width = w;
    out[0] = (wchar_t)cp;
    return 1;
}

int ui_text_ascii_only(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs == NULL || strcmp(cs, "UTF-8") != 0;
}

int tui_width(const char *s)
{
    wchar_t unit[UI_TEXT_UNIT];
    int total = 0, w, ascii = ui_text_ascii_only();
    const char *p = s;

    while (*p != '\0') {
        ui_text_next(&p, ascii, unit, &w);
        total += w;
    }
    return total;
}

int tui_text(int y, int x, int width, const char *s, int attr, int right, int pad)
{
    wchar_t buf[512], unit[UI_TEXT_UNIT];
    int used = 0, n = 0, w, k, ascii = ui_text_ascii_only();
    const char *p = s != NULL ? s : "";
    int total;

    if (width <= 0)
        return 0;
    total = tui_width(p);
    while (*p != '\0') {
        k = ui_text_next(&p, ascii, unit, &w);
        /* keep a column for the cut mark when the whole text does not
         * fit, and room for it and the NUL in buf; a unit goes whole */
        if (used + w > width - (total > width ? 1 : 0) ||
            n + k > (int)(sizeof(buf) / sizeof(buf[0])) - 2)
            break;
        wmemcpy(buf + n, unit, (size_t)k);
        n += k;
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
