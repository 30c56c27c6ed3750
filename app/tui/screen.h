/* screen.h: what a TUI screen is: a table of operations and a table of keys. */
#ifndef VERDICT_SCREEN_H
#define VERDICT_SCREEN_H

#include <stddef.h>

struct tui;

/*
 * To add a screen:
 *  1. write app/screen_<name>.c with a key table (struct screen_key[]) and
 *     a `const struct screen_ops screen_<name>_ops`;
 *  2. declare it at the end of this header;
 *  3. add it to the tab list in app/tui/tui.c (its number is its position).
 * The help overlay lists the key table, so a key that is not in the table
 * cannot be bound: the screen's key function dispatches on the action the
 * table gives (tui_key_action), never on raw key codes.
 */

/* What a key handler did, or-ed together. */
#define SCREEN_IGNORED 0x00   /* not ours: the global keys get a chance */
#define SCREEN_HANDLED 0x01   /* consumed */
#define SCREEN_REDRAW  0x02   /* the screen changed: draw again */
#define SCREEN_QUIT    0x04   /* leave verdict (asks first when there are unsaved edits) */
#define SCREEN_OPEN    0x08   /* open the current service (tui_set_service) in the detail */
#define SCREEN_BACK    0x10   /* go back to the previous screen */

/* One binding.  Several entries may share an action (arrows and hjkl);
 * only those with a name appear in the help overlay, which prints the
 * name and the help text. */
struct screen_key {
    int key;            /* curses key code or ASCII character */
    const char *name;   /* as shown in help ("Enter", "PgUp"), or NULL: an alias */
    const char *help;   /* one short line */
    int action;         /* the screen's own action number */
};

/* One `:` command.  The TUI runs only the commands in its table, which
 * the help overlay lists, so help cannot drift from the command line
 * either; the handler dispatches on action. */
struct screen_command {
    const char *name;   /* as typed and shown, with its colon (":saveas") */
    const char *alias;  /* another name without the colon, or NULL */
    const char *help;   /* the arguments, then one short line */
    int action;
};

/* The area a screen draws in (between the title bar and the status line). */
struct screen_rect {
    int y, x, h, w;
};

/*
 * A screen: its state is created once when the TUI starts (init) and
 * freed when it ends (free).  draw paints the whole rect (the TUI has
 * erased it); key gets every key not taken by a prompt or an overlay and
 * returns SCREEN_* flags; resize is called after the terminal size
 * changed, before the next draw; command handles `:NAME ARG` lines the TUI
 * does not know (returns SCREEN_IGNORED when it does not know them
 * either).  Any of resize, command and free may be NULL.
 */
struct screen_ops {
    const char *name;                       /* tab label */
    const struct screen_key *keys;
    size_t n_keys;
    void *(*init)(struct tui *t);
    void (*draw)(void *st, struct tui *t, const struct screen_rect *r);
    int (*key)(void *st, struct tui *t, int key);
    void (*resize)(void *st, struct tui *t, const struct screen_rect *r);
    int (*command)(void *st, struct tui *t, const char *name, const char *arg);
    void (*free)(void *st);
};

/* The `?` overlay (app/tui/screen_help.c): the current screen's keys from its
 * table, then the keys that work everywhere, the `:` commands, then how
 * to reach each screen. */
struct screen_help {
    const struct screen_ops *screen;        /* the screen under the overlay */
    const struct screen_key *global;        /* the TUI's own keys */
    size_t n_global;
    const struct screen_command *commands;  /* the TUI's command table */
    size_t n_commands;
    const char *const *tabs;                /* "1  Candidates", ... */
    size_t n_tabs;
    int top;                                /* first line shown (scrolling) */
};

void screen_help_draw(struct screen_help *h, struct tui *t, const struct screen_rect *r);

/* Scroll keys scroll; every other key closes.  Returns SCREEN_REDRAW while
 * open, SCREEN_BACK when it closes. */
int screen_help_key(struct screen_help *h, int key);

extern const struct screen_ops screen_candidates_ops;
extern const struct screen_ops screen_detail_ops;
extern const struct screen_ops screen_cost_ops;
extern const struct screen_ops screen_assumptions_ops;
extern const struct screen_ops screen_portfolio_ops;

#endif /* VERDICT_SCREEN_H */
