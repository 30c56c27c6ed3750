/* tui.c: curses start and stop, colours by role, the title and status lines, the event loop. */
#include "verdict/tui.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "verdict/snapshot.h"
#include "tui_int.h"
#include "ui_text.h"
#include "verdict/util.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24
#define TUI_PROMPT_MAX 256
#define TUI_POLL_MS 1000          /* idle wake-up, to notice signals */
#define TUI_FETCH_SLICE_MS 100    /* how long one fetch_run may wait */
#define TUI_REFINE_SLICE_MS 15    /* Monte Carlo between two looks at the keyboard */

/* One tab of the title bar, in the order of its number key. */
struct tui_tab {
    const char *label;
    const struct screen_ops *ops;
};

static const struct tui_tab tui_tabs[] = {
    { "Candidates", &screen_candidates_ops },
    { "Detail", &screen_detail_ops },
    { "Cost", &screen_cost_ops },
    { "Assumptions", &screen_assumptions_ops },
    { "Portfolio", &screen_portfolio_ops },
};
#define TUI_N_TABS (sizeof(tui_tabs) / sizeof(tui_tabs[0]))

static const char *const tui_tab_help[TUI_N_TABS] = {
    "1  Candidates   the ranked table",
    "2  Detail       one service: charts, score breakdown, red flags",
    "3  Cost         the cost model, editable",
    "4  Assumptions  economics, weights, languages, inventory: editable",
    "5  Portfolio    what fits the engineer-months available",
};

enum tui_action {
    ACT_HELP, ACT_COMMAND, ACT_QUIT, ACT_NEXT, ACT_PREV, ACT_TAB, ACT_BACK,
    ACT_REFETCH, ACT_UNDO, ACT_SAVE, ACT_REPAINT, ACT_EXPORT
};

#define CTRL(c) ((c) & 0x1f)

/* Keys that work on every screen (after the screen had its chance). */
static const struct screen_key tui_keys[] = {
    { '?', "?", "this help", ACT_HELP },
    { ':', ":", "command line (the commands are listed below)", ACT_COMMAND },
    { '\t', "Tab", "next screen", ACT_NEXT },
    { KEY_BTAB, "S-Tab", "previous screen", ACT_PREV },
    { '1', "1-5", "go to screen 1..5", ACT_TAB },
    { '2', NULL, NULL, ACT_TAB }, { '3', NULL, NULL, ACT_TAB },
    { '4', NULL, NULL, ACT_TAB }, { '5', NULL, NULL, ACT_TAB },
    { 27, "Esc", "back; cancels a running fetch", ACT_BACK },
    { KEY_BACKSPACE, "Backspace", "back", ACT_BACK },
    { 127, NULL, NULL, ACT_BACK },
    { 'r', "r", "fetch the measurements again (Esc cancels)", ACT_REFETCH },
    { 'u', "u", "undo the last edit", ACT_UNDO },
    { 'w', "w", "save the assumptions file", ACT_SAVE },
    { 'x', "x", "export the report (asks format and path)", ACT_EXPORT },
    { CTRL('l'), "C-l", "repaint the terminal", ACT_REPAINT },
    { 'q', "q", "quit (asks when there are unsaved edits)", ACT_QUIT },
};
#define TUI_N_KEYS (sizeof(tui_keys) / sizeof(tui_keys[0]))

enum tui_command_action {
    CMD_QUIT, CMD_QUIT_FORCE, CMD_SERVICE, CMD_SCREEN, CMD_SET, CMD_EXPORT, CMD_RELOAD,
    CMD_SAVEAS, CMD_HELP
};

/* The `:` commands; CMD_SCREEN ones go to the screens' command hooks
 * (the current screen first). */
static const struct screen_command tui_commands[] = {
    { ":q", "quit", "quit (asks when there are unsaved edits); also :quit", CMD_QUIT },
    { ":q!", NULL, "quit without asking", CMD_QUIT_FORCE },
    { ":service", NULL, "NAME: open that service in the Detail screen", CMD_SERVICE },
    { ":sort", NULL, "COLUMN: sort the candidates (rank, score, npv, p99, ...)", CMD_SCREEN },
    { ":set", NULL, "PATH VALUE: change one value of the assumptions file", CMD_SET },
    { ":export", NULL, "FORMAT [PATH]: export the report without the prompts", CMD_EXPORT },
    { ":reload", NULL, "read the assumptions file again, dropping unsaved edits (asks)",
      CMD_RELOAD },
    { ":saveas", NULL, "PATH: write the assumptions there; PATH is then the file", CMD_SAVEAS },
    { ":help", NULL, "this help", CMD_HELP },
};
#define TUI_N_COMMANDS (sizeof(tui_commands) / sizeof(tui_commands[0]))

/* Colours by role: foreground, background (-1: the terminal's), the
 * attribute added in colour, and the attribute used alone in monochrome,
 * which must keep every role readable without colour. */
static const struct {
    short fg, bg;
    int color_attr;
    int mono_attr;
} tui_palette[TUI_ROLE_COUNT] = {
    [TUI_ROLE_NORMAL] = { -1, -1, 0, 0 },
    [TUI_ROLE_TITLE] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
    [TUI_ROLE_TAB_ACTIVE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD },
    [TUI_ROLE_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
    [TUI_ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
    [TUI_ROLE_STATUS] = { -1, -1, 0, 0 },
    [TUI_ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
    [TUI_ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
    [TUI_ROLE_MIGRATE] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [TUI_ROLE_CONSIDER] = { COLOR_YELLOW, -1, 0, 0 },
    [TUI_ROLE_KEEP] = { -1, -1, 0, 0 },
    [TUI_ROLE_UNKNOWN] = { COLOR_MAGENTA, -1, 0, A_DIM },
    [TUI_ROLE_BAR] = { COLOR_CYAN, -1, 0, 0 },
    [TUI_ROLE_FLAG] = { COLOR_RED, -1, 0, A_BOLD },
};

/* What a "y" answers yes to. */
enum tui_confirm {
    TUI_CONFIRM_NONE,
    TUI_CONFIRM_QUIT,       /* quit with unsaved edits */
    TUI_CONFIRM_RELOAD,     /* drop the unsaved edits and read the file again */
    TUI_CONFIRM_SAVEAS      /* replace an existing file with :saveas */
};

struct tui {
    struct session *s;
    struct tui_options o;
    enum ui_glyphs glyphs;
    int attrs[TUI_ROLE_COUNT];
    SCREEN *scr;
    void *state[TUI_N_TABS];
    size_t cur, prev;
    int help_open;
    struct screen_help help;
    char msg[512];
    int msg_error;
    int prompt_open;
    char prompt_label[40];       /* "export format (text, json, csv): " */
    char prompt[TUI_PROMPT_MAX];
    tui_prompt_fn prompt_fn;
    void *prompt_arg;
    enum tui_confirm confirm;    /* a y/n question on the status line, or none */
    char confirm_q[600];         /* its text */
    char *confirm_path;          /* owned: the file TUI_CONFIRM_SAVEAS would write */
    int quit;
    char *service;
    unsigned service_serial;
    int have_mouse;
    MEVENT mouse;
    unsigned seen_generation;
    int fetch_was_running;
    double start_s, setup_s, first_frame_s, last_progress_s;
    double charts_s, final_s;       /* every chart read; the figures final */
};

static volatile sig_atomic_t tui_signal;
static int tui_active;

static void tui_on_signal(int sig)
{
    tui_signal = sig;
}

/* The fatal hook: out of memory (or another fatal error) in the middle of
 * a frame must not leave the terminal in raw mode. */
static void tui_fatal_endwin(void)
{
    if (tui_active) {
        tui_active = 0;
        endwin();
    }
}

/* --- for screens ----------------------------------------------------- */

struct session *tui_session(struct tui *t)
{
    return t->s;
}

enum ui_glyphs tui_glyphs(const struct tui *t)
{
    return t->glyphs;
}

int tui_attr(const struct tui *t, enum tui_role r)
{
    return r >= 0 && r < TUI_ROLE_COUNT ? t->attrs[r] : 0;
}

enum tui_role tui_role_of(int recommendation)
{
    switch (recommendation) {
    case REC_MIGRATE:
        return TUI_ROLE_MIGRATE;
    case REC_CONSIDER:
        return TUI_ROLE_CONSIDER;
    case REC_KEEP:
        return TUI_ROLE_KEEP;
    default:
        return TUI_ROLE_UNKNOWN;
    }
}

void tui_message(struct tui *t, int error, const char *fmt, ...)
{
    char raw[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    util_sanitize(t->msg, sizeof(t->msg), raw);
    t->msg_error = error;
}

const char *tui_service(const struct tui *t)
{
    return t->service;
}

unsigned tui_service_serial(const struct tui *t)
{
    return t->service_serial;
}

void tui_set_service(struct tui *t, const char *name)
{
    if (name != NULL && t->service != NULL && strcmp(name, t->service) == 0)
        return;
    free(t->service);
    t->service = name != NULL ? xstrdup(name) : NULL;
    t->service_serial++;
}

int tui_mouse(const struct tui *t, int *y, int *x, unsigned long *bstate)
{
    if (!t->have_mouse)
        return -1;
    *y = t->mouse.y;
    *x = t->mouse.x;
    *bstate = (unsigned long)t->mouse.bstate;
    return 0;
}

void tui_prompt(struct tui *t, const char *label, const char *initial, tui_prompt_fn fn,
                void *arg)
{
    t->prompt_open = 1;
    snprintf(t->prompt_label, sizeof(t->prompt_label), "%s", label);
    snprintf(t->prompt, sizeof(t->prompt), "%s", initial != NULL ? initial : "");
    t->prompt_fn = fn;
    t->prompt_arg = arg;
    t->msg[0] = '\0';
}

int tui_key_action(const struct screen_key *keys, size_t n, int key)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (keys[i].key == key)
            return keys[i].action;
    return -1;
}

/* --- drawing --------------------------------------------------------- */

static void tui_screen_rect(struct screen_rect *r)
{
    r->y = 1;
    r->x = 0;
    r->h = LINES - 2;
    r->w = COLS;
}

static void tui_draw_title(struct tui *t)
{
    int x = 0, title = tui_attr(t, TUI_ROLE_TITLE);
    size_t i;
    char buf[128];
    const char *sep = t->glyphs == UI_GLYPHS_ASCII ? "|" : "\xe2\x94\x82";

    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    x += tui_text(0, x, COLS - x, " verdict ", title | A_BOLD, 0, 0);
    for (i = 0; i < TUI_N_TABS; i++) {
        x += tui_text(0, x, COLS - x, sep, title, 0, 0);
        snprintf(buf, sizeof(buf), " %zu %s ", i + 1, tui_tabs[i].label);
        x += tui_text(0, x, COLS - x, buf,
                      i == t->cur ? tui_attr(t, TUI_ROLE_TAB_ACTIVE) : title, 0, 0);
    }
    if (COLS - x > 20) {
        snprintf(buf, sizeof(buf), "%s%s ", t->s->config_name,
                 t->s->read_only ? " (read-only)" : "");
        if (tui_width(buf) < COLS - x - 2)
            tui_text(0, COLS - tui_width(buf), tui_width(buf), buf, title, 0, 0);
    }
}

static void tui_draw_status(struct tui *t)
{
    int y = LINES - 1, x = 0, right_w;
    char right[96], left[600];
    int attr = tui_attr(t, TUI_ROLE_STATUS);
    size_t dirty = session_dirty(t->s);

    move(y, 0);
    clrtoeol();
    if (t->prompt_open) {
        snprintf(left, sizeof(left), "%s%s", t->prompt_label, t->prompt);
        x = tui_text(y, 0, COLS - 1, left, A_BOLD, 0, 0);
        move(y, x < COLS ? x : COLS - 1);
        return;
    }
    if (dirty > 0)
        snprintf(right, sizeof(right), "[%zu unsaved] ?:help q:quit ", dirty);
    else
        snprintf(right, sizeof(right), "?:help q:quit ");
    right_w = tui_width(right);
    if (t->confirm != TUI_CONFIRM_NONE) {
        tui_text(y, 0, COLS - right_w, t->confirm_q, tui_attr(t, TUI_ROLE_ERROR), 0, 0);
    } else if (t->s->fetch != NULL) {
        struct fetch_progress p;

        fetch_progress(t->s->fetch, &p);
        snprintf(left, sizeof(left), "fetching %zu/%zu queries, %zu errors, %.1f s ... "
                 "Esc cancels", p.requests_done, p.requests_total, p.errors, p.elapsed_s);
        tui_text(y, 0, COLS - right_w, left, attr | A_BOLD, 0, 0);
    } else if (t->s->charts != NULL) {
        snprintf(left, sizeof(left), "reading the snapshot's charts: %zu of %zu ...",
                 t->s->charts_total - snapshot_charts_left(t->s->charts), t->s->charts_total);
        tui_text(y, 0, COLS - right_w, left, attr | A_BOLD, 0, 0);
    } else if (t->s->an.pending > 0) {
        snprintf(left, sizeof(left), "Monte Carlo: %zu of %zu services at full draws; "
                 "figures provisional ...", t->s->an.n_services - t->s->an.pending,
                 t->s->an.n_services);
        tui_text(y, 0, COLS - right_w, left, attr | A_BOLD, 0, 0);
    } else if (t->msg[0] != '\0') {
        tui_text(y, 0, COLS - right_w - 1, t->msg,
                 t->msg_error ? tui_attr(t, TUI_ROLE_ERROR) : attr, 0, 0);
    }
    tui_text(y, COLS - right_w, right_w, right, tui_attr(t, TUI_ROLE_DIM), 0, 0);
}

static void tui_draw(struct tui *t)
{
    struct screen_rect r;

    erase();
    if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
        char msg[64];
        const char *q;
        int w;

        snprintf(msg, sizeof(msg), "terminal too small (need %dx%d)", TUI_MIN_COLS,
                 TUI_MIN_LINES);
        w = tui_width(msg);
        tui_text(LINES / 2, COLS > w ? (COLS - w) / 2 : 0, COLS, msg, A_BOLD, 0, 0);
        q = t->confirm != TUI_CONFIRM_NONE ? t->confirm_q : "q quits";
        w = tui_width(q);
        if (LINES > 2)
            tui_text(LINES / 2 + 1, COLS > w ? (COLS - w) / 2 : 0, COLS, q, 0, 0, 0);
        curs_set(0);
        refresh();
        return;
    }
    tui_screen_rect(&r);
    tui_draw_title(t);
    tui_tabs[t->cur].ops->draw(t->state[t->cur], t, &r);
    if (t->help_open)
        screen_help_draw(&t->help, t, &r);
    tui_draw_status(t);
    curs_set(t->prompt_open ? 1 : 0);
    refresh();
    if (t->first_frame_s == 0)
        t->first_frame_s = util_now_s();
}

/* --- actions --------------------------------------------------------- */

static void tui_resize_all(struct tui *t)
{
    struct screen_rect r;
    size_t i;

    tui_screen_rect(&r);
    for (i = 0; i < TUI_N_TABS; i++)
        if (tui_tabs[i].ops->resize != NULL)
            tui_tabs[i].ops->resize(t->state[i], t, &r);
}

static void tui_switch(struct tui *t, size_t tab)
{
    if (tab >= TUI_N_TABS)
        return;
    if (tab != t->cur) {
        t->prev = t->cur;
        t->cur = tab;
    }
}

static void tui_open_help(struct tui *t)
{
    t->help_open = 1;
    t->help.top = 0;
    t->help.screen = tui_tabs[t->cur].ops;
}

/* Put a y/n question on the status line; the next key answers it
 * (tui_answer).  path is copied, for TUI_CONFIRM_SAVEAS. */
static void tui_ask(struct tui *t, enum tui_confirm what, const char *path, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static void tui_ask(struct tui *t, enum tui_confirm what, const char *path, const char *fmt,
                    ...)
{
    char raw[sizeof(t->confirm_q)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    util_sanitize(t->confirm_q, sizeof(t->confirm_q), raw);
    free(t->confirm_path);
    t->confirm_path = path != NULL ? xstrdup(path) : NULL;
    t->confirm = what;
}

static void tui_quit(struct tui *t, int force)
{
    if (!force && session_dirty(t->s) > 0)
        tui_ask(t, TUI_CONFIRM_QUIT, NULL, "unsaved edits: quit anyway? y/n");
    else
        t->quit = 1;
}

/* Read the file again, the edits (already agreed to) dropped. */
static void tui_reload(struct tui *t)
{
    size_t dropped = session_dirty(t->s);
    char err[512];

    if (session_reload(t->s, err, sizeof(err)) != 0)
        tui_message(t, 1, "not reloaded: %s", err);
    else if (dropped > 0)
        tui_message(t, 0, "reloaded %s%s: %zu unsaved edit%s dropped, the analysis run again",
                    t->s->config_name, t->s->read_only ? " (built in)" : "", dropped,
                    dropped == 1 ? "" : "s");
    else
        tui_message(t, 0, "reloaded %s%s, the analysis run again", t->s->config_name,
                    t->s->read_only ? " (built in)" : "");
}

/* :reload asks first when it would drop edits. */
static void tui_command_reload(struct tui *t)
{
    size_t dirty = session_dirty(t->s);

    if (t->s->fetch != NULL)
        tui_message(t, 1, "not reloaded: a fetch is running (Esc cancels it)");
    else if (dirty > 0)
        tui_ask(t, TUI_CONFIRM_RELOAD, NULL, "drop %zu unsaved edit%s and reload %s%s? y/n",
                dirty, dirty == 1 ? "" : "s", t->s->config_name,
                t->s->read_only ? " (built in)" : "");
    else
        tui_reload(t);
}

static void tui_save_as(struct tui *t, const char *path)
{
    char err[512];

    if (session_save_as(t->s, path, err, sizeof(err)) != YAML_SAVE_OK)
        tui_message(t, 1, "not saved: %s", err);
    else
        tui_message(t, 0, "saved as %s, from now on the assumptions file (w saves there)",
                    path);
}

/* :saveas PATH asks first when PATH is a file (or a link, dangling or
 * not) it would replace; what it would refuse anyway (a directory, a
 * FIFO) it refuses at once. */
static void tui_command_saveas(struct tui *t, const char *path)
{
    struct stat st;

    if (path[0] == '\0')
        tui_message(t, 1, "usage: :saveas PATH (e.g. :saveas my-verdict.yaml)");
    else if (lstat(path, &st) == 0 && (stat(path, &st) != 0 || S_ISREG(st.st_mode)))
        tui_ask(t, TUI_CONFIRM_SAVEAS, path, "%s exists: replace it? y/n", path);
    else
        tui_save_as(t, path);
}

/* The key after a question: y does it, anything else does not. */
static void tui_answer(struct tui *t, int yes)
{
    enum tui_confirm what = t->confirm;
    char *path = t->confirm_path;

    t->confirm = TUI_CONFIRM_NONE;
    t->confirm_path = NULL;
    switch (what) {
    case TUI_CONFIRM_QUIT:
        if (yes)
            t->quit = 1;
        else
            tui_message(t, 0, "not quitting");
        break;
    case TUI_CONFIRM_RELOAD:
        if (yes)
            tui_reload(t);
        else
            tui_message(t, 0, "not reloaded; the edits stay");
        break;
    case TUI_CONFIRM_SAVEAS:
        if (yes && path != NULL)
            tui_save_as(t, path);
        else
            tui_message(t, 0, "not saved");
        break;
    case TUI_CONFIRM_NONE:
        break;
    }
    free(path);
}

/* The detail tab, when it is built. */
static void tui_open_detail(struct tui *t)
{
    size_t i;

    for (i = 0; i < TUI_N_TABS; i++) {
        if (strcmp(tui_tabs[i].label, "Detail") == 0) {
            tui_switch(t, i);
            return;
        }
    }
}

/* The service called name (exactly, else ignoring case), or NULL. */
static const struct service_analysis *tui_find(const struct tui *t, const char *name)
{
    const struct analysis *an = &t->s->an;
    size_t i;

    for (i = 0; i < an->n_services; i++)
        if (strcmp(an->services[i].spec->name, name) == 0)
            return &an->services[i];
    for (i = 0; i < an->n_services; i++)
        if (strcasecmp(an->services[i].spec->name, name) == 0)
            return &an->services[i];
    return NULL;
}

/* The entry for a typed command name, or NULL. */
static const struct screen_command *tui_command_find(const char *name)
{
    size_t i;

    for (i = 0; i < TUI_N_COMMANDS; i++)
        if (strcmp(tui_commands[i].name + 1, name) == 0 ||
            (tui_commands[i].alias != NULL && strcmp(tui_commands[i].alias, name) == 0))
            return &tui_commands[i];
    return NULL;
}

/* Offer a CMD_SCREEN command to the screens, the current one first (":sort"
 * from the detail goes to the candidates).  Returns 1 when one took it. */
static int tui_command_screens(struct tui *t, const char *name, const char *arg)
{
    size_t i;

    for (i = 0; i < TUI_N_TABS; i++) {
        size_t k = (t->cur + i) % TUI_N_TABS;
        const struct screen_ops *ops = tui_tabs[k].ops;

        if (ops->command == NULL)
            continue;
        if (ops->command(t->state[k], t, name, arg) & SCREEN_HANDLED) {
            tui_switch(t, k);
            return 1;
        }
    }
    return 0;
}

static void tui_command_set(struct tui *t, char *arg)
{
    char err[512], *value = arg + strcspn(arg, " ");

    if (*value != '\0')
        *value++ = '\0';
    value += strspn(value, " ");
    if (arg[0] == '\0' || value[0] == '\0')
        tui_message(t, 1, "usage: :set PATH VALUE (e.g. :set economics.horizon_months 48)");
    else if (session_set(t->s, arg, value, err, sizeof(err)) != 0)
        tui_message(t, 1, "not changed: %s", err);
    else
        tui_message(t, 0, "%s = %s (%zu unsaved; u undoes, w saves)", arg, value,
                    session_dirty(t->s));
}

/* Name them all, from the table. */
static void tui_command_unknown(struct tui *t, const char *name)
{
    char known[256] = "";
    size_t i, len = 0;

    for (i = 0; i < TUI_N_COMMANDS && len < sizeof(known); i++)
        len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s", i ? " " : "",
                                tui_commands[i].name);
    tui_message(t, 1, "unknown command ':%s' (%s)", name, known);
}

static void tui_command(struct tui *t, const char *line)
{
    char buf[TUI_PROMPT_MAX], *name, *arg, *end;
    const struct screen_command *c;
    size_t n;

    snprintf(buf, sizeof(buf), "%s", line);
    name = buf + strspn(buf, " ");
    n = strcspn(name, " ");
    arg = name + n;
    if (*arg != '\0')
        *arg++ = '\0';
    arg += strspn(arg, " ");
    end = arg + strlen(arg);
    while (end > arg && end[-1] == ' ')
        *--end = '\0';
    if (name[0] == '\0')
        return;
    c = tui_command_find(name);
    switch (c != NULL ? c->action : -1) {
    case CMD_QUIT:
    case CMD_QUIT_FORCE:
        tui_quit(t, c->action == CMD_QUIT_FORCE);
        return;
    case CMD_HELP:
        tui_open_help(t);
        return;
    case CMD_SERVICE: {
        const struct service_analysis *sa = arg[0] ? tui_find(t, arg) : NULL;

        if (sa == NULL) {
            tui_message(t, 1, "no service named '%s'", arg);
            return;
        }
        tui_set_service(t, sa->spec->name);
        tui_open_detail(t);
        return;
    }
    case CMD_EXPORT:
        tui_export_command(t, arg);
        return;
    case CMD_SET:
        tui_command_set(t, arg);
        return;
    case CMD_RELOAD:
        tui_command_reload(t);
        return;
    case CMD_SAVEAS:
        tui_command_saveas(t, arg);
        return;
    case CMD_SCREEN:
        if (tui_command_screens(t, name, arg))
            return;
        break;
    default:
        break;
    }
    tui_command_unknown(t, name);
}

static void tui_command_done(void *arg, struct tui *t, const char *text,
                             enum tui_prompt_event ev)
{
    (void)arg;
    if (ev == TUI_PROMPT_ACCEPT)
        tui_command(t, text);
}

static void tui_refetch(struct tui *t)
{
    char err[512];

    if (t->s->fetch != NULL) {
        tui_message(t, 0, "a fetch is already running (Esc cancels)");
        return;
    }
    if (session_fetch_start(t->s, err, sizeof(err)) != 0)
        tui_message(t, 1, "cannot fetch: %s", err);
}

static void tui_save(struct tui *t)
{
    char err[512];
    enum yaml_save_status st;
    const char *to;

    if (session_dirty(t->s) == 0) {
        tui_message(t, 0, "no unsaved edits");
        return;
    }
    st = session_save(t->s, err, sizeof(err));
    to = session_saved_to(t->s);
    if (st == YAML_SAVE_CHANGED_ON_DISK)     /* short: the offer must fit at 80 columns */
        tui_message(t, 1, "changed on disk, not saved: :reload or :saveas PATH");
    else if (st != YAML_SAVE_OK)
        tui_message(t, 1, "not saved: %s", err);
    else if (to == NULL || strcmp(to, t->s->config_name) == 0)
        tui_message(t, 0, "saved %s (previous version in %s.bak)", t->s->config_name,
                    t->s->config_name);
    else    /* a symbolic link: its target was replaced, the .bak is beside that */
        tui_message(t, 0, "saved %s -> %s (previous version in %s.bak, beside the link's "
                    "target)", t->s->config_name, to, to);
}

static void tui_global_key(struct tui *t, int key)
{
    switch (tui_key_action(tui_keys, TUI_N_KEYS, key)) {
    case ACT_HELP:
        tui_open_help(t);
        break;
    case ACT_COMMAND:
        tui_prompt(t, ":", "", tui_command_done, NULL);
        break;
    case ACT_QUIT:
        tui_quit(t, 0);
        break;
    case ACT_NEXT:
    case ACT_PREV: {
        size_t i = (t->cur + (key == '\t' ? 1 : TUI_N_TABS - 1)) % TUI_N_TABS;

        tui_switch(t, i);
        break;
    }
    case ACT_TAB:
        tui_switch(t, (size_t)(key - '1'));
        break;
    case ACT_BACK:
        if (t->s->fetch != NULL) {
            session_fetch_cancel(t->s);
            t->fetch_was_running = 0;   /* cancelled: not "no answer" */
            tui_message(t, 0, "fetch cancelled; the previous measurements stay");
        } else if (t->cur != 0) {
            tui_switch(t, t->prev != t->cur ? t->prev : 0);
        }
        break;
    case ACT_REFETCH:
        tui_refetch(t);
        break;
    case ACT_UNDO:
        if (session_undo(t->s) == 0)
            tui_message(t, 0, "undone (%zu unsaved edits)", session_dirty(t->s));
        else
            tui_message(t, 0, "nothing to undo");
        break;
    case ACT_SAVE:
        tui_save(t);
        break;
    case ACT_REPAINT:
        clearok(curscr, TRUE);
        break;
    case ACT_EXPORT:
        tui_export_ask(t);
        break;
    default:
        break;
    }
}

/* Keys while the prompt is open: printable text, Backspace, C-u, Enter, Esc. */
static void tui_prompt_key(struct tui *t, wint_t ch, int is_key)
{
    size_t len = strlen(t->prompt);
    enum tui_prompt_event ev = TUI_PROMPT_CHANGE;
    char text[TUI_PROMPT_MAX];

    if (is_key && ch != KEY_BACKSPACE && ch != KEY_ENTER)
        return;
    if (ch == '\n' || ch == '\r' || (is_key && ch == KEY_ENTER)) {
        ev = TUI_PROMPT_ACCEPT;
    } else if (ch == 27) {
        ev = TUI_PROMPT_CANCEL;
    } else if ((is_key && ch == KEY_BACKSPACE) || ch == 127 || ch == 8) {
        if (len == 0) {
            ev = TUI_PROMPT_CANCEL;
        } else {
            while (len > 0 && ((unsigned char)t->prompt[len - 1] & 0xc0) == 0x80)
                len--;
            t->prompt[len > 0 ? len - 1 : 0] = '\0';
        }
    } else if (ch == CTRL('u')) {
        t->prompt[0] = '\0';
    } else if (ch >= 0x20 && ch != 0x7f) {
        char mb[8];
        mbstate_t st;
        size_t n;

        memset(&st, 0, sizeof(st));
        n = wcrtomb(mb, (wchar_t)ch, &st);
        if (n == (size_t)-1 || len + n >= sizeof(t->prompt))
            return;
        memcpy(t->prompt + len, mb, n);
        t->prompt[len + n] = '\0';
    } else {
        return;
    }
    snprintf(text, sizeof(text), "%s", t->prompt);
    if (ev != TUI_PROMPT_CHANGE)
        t->prompt_open = 0;
    if (t->prompt_fn != NULL)
        t->prompt_fn(t->prompt_arg, t, text, ev);
}

/* One key.  Returns 1 when something may have changed on screen. */
static int tui_key(struct tui *t, wint_t ch, int is_key)
{
    int key = (int)ch, flags;

    if (is_key && key == KEY_RESIZE) {
        tui_resize_all(t);
        return 1;
    }
    if (is_key && key == KEY_MOUSE) {
        MEVENT ev;

        t->have_mouse = getmouse(&ev) == OK;
        if (t->have_mouse)
            t->mouse = ev;
    }
    if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
        /* q still works, and still asks when there are unsaved edits;
         * a question asked before the terminal shrank is still answered */
        if (t->confirm != TUI_CONFIRM_NONE) {
            tui_answer(t, !is_key && (key == 'y' || key == 'Y'));
        } else if (!is_key && (key == 'q' || key == CTRL('c'))) {
            tui_quit(t, 0);
        }
        return 1;
    }
    if (t->prompt_open) {
        tui_prompt_key(t, ch, is_key);
        return 1;
    }
    if (t->confirm != TUI_CONFIRM_NONE) {
        t->msg[0] = '\0';
        tui_answer(t, !is_key && (key == 'y' || key == 'Y'));
        return 1;
    }
    t->msg[0] = '\0';
    if (t->help_open) {
        if (screen_help_key(&t->help, is_key || key < 0x80 ? key : 0) & SCREEN_BACK)
            t->help_open = 0;
        return 1;
    }
    /* characters beyond ASCII are only for prompts: their code points
     * would collide with curses key codes */
    if (!is_key && key >= 0x80)
        return 1;
    flags = tui_tabs[t->cur].ops->key(t->state[t->cur], t, key);
    if (flags & SCREEN_QUIT)
        tui_quit(t, 0);
    if (flags & SCREEN_OPEN)
        tui_open_detail(t);
    if (flags & SCREEN_BACK)
        tui_switch(t, t->prev != t->cur ? t->prev : 0);
    if (!(flags & SCREEN_HANDLED))
        tui_global_key(t, key);
    return 1;
}

/* --- setup and the loop ---------------------------------------------- */

static void tui_colours(struct tui *t)
{
    const char *nc = getenv("NO_COLOR");
    int colour = !t->o.no_color && (nc == NULL || nc[0] == '\0') && has_colors();
    int i;

    if (colour && start_color() == OK) {
        use_default_colors();
        for (i = 0; i < TUI_ROLE_COUNT; i++) {
            if (tui_palette[i].fg == -1 && tui_palette[i].bg == -1) {
                t->attrs[i] = tui_palette[i].color_attr;
                continue;
            }
            init_pair((short)i, tui_palette[i].fg, tui_palette[i].bg);
            t->attrs[i] = (int)COLOR_PAIR(i) | tui_palette[i].color_attr;
        }
        return;
    }
    for (i = 0; i < TUI_ROLE_COUNT; i++)
        t->attrs[i] = tui_palette[i].mono_attr;
}

static int tui_start(struct tui *t)
{
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = tui_on_signal;
    sigemptyset(&sa.sa_mask);
    /* before newterm, so that curses keeps its hands off them */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    t->scr = newterm(NULL, stdout, stdin);
    if (t->scr == NULL) {
        fprintf(stderr, "verdict: cannot start the terminal interface (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    tui_active = 1;
    util_set_fatal_hook(tui_fatal_endwin);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    tui_colours(t);
    if (!t->o.no_mouse) {
        mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
                  NULL);
        mouseinterval(0);
    }
    for (i = 0; i < TUI_N_TABS; i++)
        t->state[i] = tui_tabs[i].ops->init(t);
    t->help.global = tui_keys;
    t->help.n_global = TUI_N_KEYS;
    t->help.commands = tui_commands;
    t->help.n_commands = TUI_N_COMMANDS;
    t->help.tabs = tui_tab_help;
    t->help.n_tabs = TUI_N_TABS;
    return 0;
}

static void tui_stop(struct tui *t)
{
    size_t i;
    struct sigaction sa;

    for (i = 0; i < TUI_N_TABS; i++)
        if (tui_tabs[i].ops->free != NULL)
            tui_tabs[i].ops->free(t->state[i]);
    if (tui_active) {
        tui_active = 0;
        endwin();
    }
    util_set_fatal_hook(NULL);
    if (t->scr != NULL)
        delscreen(t->scr);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    free(t->service);
    free(t->confirm_path);
}

/* Wait for a key, driving a running fetch meanwhile.  Returns 1 when the
 * screen should be drawn again because of the fetch. */
static int tui_wait(struct tui *t)
{
    struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
    int ready = 0;

    if (t->s->fetch != NULL) {
        double now;

        session_fetch_run(t->s, TUI_FETCH_SLICE_MS, STDIN_FILENO, &ready);
        if (t->s->fetch == NULL)
            return 1;
        now = util_now_s();
        if (now - t->last_progress_s >= 0.2) {
            t->last_progress_s = now;
            return 1;
        }
        return 0;
    }
    if (t->s->charts != NULL) {
        /* keys first; between them, the charts in slices (the table's
         * sparklines need them), then the Monte Carlo */
        char err[512];
        int rc;

        if (poll(&pfd, 1, 0) > 0)
            return 0;
        rc = session_read_charts(t->s, TUI_REFINE_SLICE_MS, err, sizeof(err));
        if (rc < 0)
            tui_message(t, 1, "%s (the charts from there on are not shown)", err);
        if (rc <= 0 || util_now_s() - t->last_progress_s >= 0.2) {
            t->last_progress_s = util_now_s();
            return 1;
        }
        return 0;
    }
    if (t->s->an.pending > 0) {
        /* keys first; between them, the Monte Carlo in slices */
        if (poll(&pfd, 1, 0) > 0)
            return 0;
        if (!session_refine(t->s, TUI_REFINE_SLICE_MS))
            return 1;
        if (util_now_s() - t->last_progress_s >= 0.2) {
            t->last_progress_s = util_now_s();
            return 1;
        }
        return 0;
    }
    if (poll(&pfd, 1, TUI_POLL_MS) < 0 && errno != EINTR)
        t->quit = 1;
    return 0;
}

/* A fetch just ended: say how. */
static void tui_fetch_ended(struct tui *t)
{
    if (t->s->generation == t->seen_generation)
        tui_message(t, 1, "fetch: no answer from the server; the previous measurements stay");
    else
        tui_message(t, 0, "fetched %zu services from %s", t->s->m.n_services,
                    t->s->m.source ? t->s->m.source : "the server");
}

int tui_run(struct session *s, const struct tui_options *o)
{
    struct tui t;
    int redraw = 1, rc = 0;
    const char *timing = getenv("VERDICT_TUI_TIMING");
    double key_s = 0, key_max_ms = 0, key_total_ms = 0;
    size_t n_keys = 0;

    memset(&t, 0, sizeof(t));
    t.s = s;
    t.o = *o;
    t.start_s = o->start_s > 0 ? o->start_s : util_now_s();
    t.glyphs = o->ascii || ui_text_ascii_only() ? UI_GLYPHS_ASCII : UI_GLYPHS_UNICODE;
    tui_signal = 0;
    t.setup_s = util_now_s();
    if (tui_start(&t) != 0) {
        tui_stop(&t);
        return 1;
    }
    t.seen_generation = s->generation;
    t.fetch_was_running = s->fetch != NULL;
    while (!t.quit && tui_signal == 0) {
        wint_t ch;
        int r;

        if (t.fetch_was_running && s->fetch == NULL) {
            tui_fetch_ended(&t);
            redraw = 1;
        }
        t.fetch_was_running = s->fetch != NULL;
        if (s->generation != t.seen_generation) {
            t.seen_generation = s->generation;
            redraw = 1;
        }
        if (redraw)
            tui_draw(&t);
        if (redraw && key_s > 0) {
            /* from the key to the frame on the terminal */
            double ms = (util_now_s() - key_s) * 1000.0;

            key_max_ms = ms > key_max_ms ? ms : key_max_ms;
            key_total_ms += ms;
            n_keys++;
        }
        key_s = 0;
        redraw = tui_wait(&t);
        if (t.charts_s == 0 && s->charts == NULL)
            t.charts_s = util_now_s();
        if (t.final_s == 0 && s->charts == NULL && s->an.pending == 0 && s->fetch == NULL)
            t.final_s = util_now_s();
        while (!t.quit && (r = get_wch(&ch)) != ERR) {
            if (key_s == 0)
                key_s = util_now_s();
            redraw |= tui_key(&t, ch, r == KEY_CODE_YES);
        }
    }
    if (tui_signal != 0)
        rc = 128 + (int)tui_signal;
    tui_stop(&t);
    if (timing != NULL && timing[0] == '1' && t.first_frame_s > 0)
        fprintf(stderr, "verdict: first frame after %.1f ms (%.1f ms of it before the "
                "terminal was set up: loading and analysing)\n",
                (t.first_frame_s - t.start_s) * 1000.0, (t.setup_s - t.start_s) * 1000.0);
    if (timing != NULL && timing[0] == '1' && t.final_s > 0)
        fprintf(stderr, "verdict: every chart read after %.1f ms, the figures final after "
                "%.1f ms\n", (t.charts_s - t.start_s) * 1000.0, (t.final_s - t.start_s) * 1000.0);
    if (timing != NULL && timing[0] == '1' && n_keys > 0)
        fprintf(stderr, "verdict: %zu keys redrawn in %.2f ms on average, %.2f ms at most, "
                "%zu services\n", n_keys, key_total_ms / (double)n_keys, key_max_ms,
                s->an.n_services);
    return rc;
}
