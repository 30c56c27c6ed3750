/* tui_int.h: what the screens ask of the terminal interface (private to app/tui/). */
#ifndef VERDICT_TUI_INT_H
#define VERDICT_TUI_INT_H

#include <stddef.h>

#include "screen.h"
#include "ui_text.h"   /* tui_text, tui_width: every screen draws with them */
#include "verdict/session.h"
#include "verdict/textchart.h"
#include "verdict/tui.h"

/* Colours by role; each has a monochrome attribute too, used when there
 * are no colours (NO_COLOR, --no-color, a terminal without them). */
enum tui_role {
    TUI_ROLE_NORMAL,
    TUI_ROLE_TITLE,        /* the title bar */
    TUI_ROLE_TAB_ACTIVE,   /* the current screen's tab */
    TUI_ROLE_HEADER,       /* column headers, section titles */
    TUI_ROLE_SELECTED,     /* the selected row */
    TUI_ROLE_STATUS,       /* the status line */
    TUI_ROLE_ERROR,
    TUI_ROLE_DIM,          /* secondary text, "(not set)" */
    TUI_ROLE_MIGRATE,      /* recommendations */
    TUI_ROLE_CONSIDER,
    TUI_ROLE_KEEP,
    TUI_ROLE_UNKNOWN,
    TUI_ROLE_BAR,          /* bars and sparklines */
    TUI_ROLE_FLAG,         /* red flags */
    TUI_ROLE_COUNT
};

/* --- for screens ------------------------------------------------------- */

struct session *tui_session(struct tui *t);
enum ui_glyphs tui_glyphs(const struct tui *t);

/* The curses attribute (colour pair and bold/reverse...) of a role. */
int tui_attr(const struct tui *t, enum tui_role r);

/* The role that colours a recommendation. */
enum tui_role tui_role_of(int recommendation);

/* A message on the status line until the next key; error: in the error role. */
void tui_message(struct tui *t, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The service the screens agree on (selected in the list, shown in the
 * detail), by name; NULL when none.  tui_set_service copies name and
 * bumps tui_service_serial so other screens can follow. */
const char *tui_service(const struct tui *t);
unsigned tui_service_serial(const struct tui *t);
void tui_set_service(struct tui *t, const char *name);

/* The mouse event that came with the last KEY_MOUSE (x, y, bstate);
 * returns 0, or -1 when there is none. */
int tui_mouse(const struct tui *t, int *y, int *x, unsigned long *bstate);

/* Events a line prompt reports to its owner. */
enum tui_prompt_event {
    TUI_PROMPT_CHANGE,     /* the text changed (for live filters) */
    TUI_PROMPT_ACCEPT,     /* Enter */
    TUI_PROMPT_CANCEL      /* Esc */
};

typedef void (*tui_prompt_fn)(void *arg, struct tui *t, const char *text,
                              enum tui_prompt_event ev);

/* Open a one-line prompt on the status line ("/" + text), starting with
 * `initial`; fn is called on each change and at the end. */
void tui_prompt(struct tui *t, const char *label, const char *initial, tui_prompt_fn fn,
                void *arg);

/* The action of `key` in a key table, or -1 when it is not bound. */
int tui_key_action(const struct screen_key *keys, size_t n, int key);

/* --- export (tui_export.c) ------------------------------------------ */

/* `x`: ask for the format (text, json, csv) and the path (default
 * verdict-YYYY-MM-DD.EXT in the current directory: the local date, or the
 * UTC date of SOURCE_DATE_EPOCH), then write the report atomically with
 * the writers of `verdict report`: the same bytes for the same inputs and
 * seed.  Success or the error goes to the status line. */
void tui_export_ask(struct tui *t);

/* `:export FORMAT [PATH]`: the same without prompts; arg is the text
 * after the command name (NULL or "": a usage message). */
void tui_export_command(struct tui *t, const char *arg);

#endif /* VERDICT_TUI_INT_H */
