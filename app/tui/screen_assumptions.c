/* screen_assumptions.c: every assumption of verdict.yaml, editable in place, by section. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen.h"
#include "tui_int.h"
#include "ui_list.h"
#include "verdict/assumption_table.h"
#include "verdict/util.h"

#define ASM_LABEL_W 36      /* key column of the sections */
#define ASM_VALUE_W 24      /* value column of the sections */
#define ASM_NAME_W 18       /* service column of the inventory */
#define ASM_PATH_MAX 640    /* a path with a service name in it */

enum asm_kind {
    ROW_SECTION,            /* a section title */
    ROW_VALUE,              /* one key: label, value, hint */
    ROW_COLUMNS,            /* the inventory's column titles */
    ROW_SERVICE             /* one service of the inventory */
};

struct asm_row {
    enum asm_kind kind;
    char label[64];         /* section title or key as shown */
    char path[96];          /* for session_set (ROW_VALUE) */
    char value[96];         /* the value as YAML text */
    const char *hint;       /* unit and bounds, or NULL */
    size_t svc;             /* index into the assumptions' services (ROW_SERVICE) */
};

/* The inventory's columns are the service rows of the assumption table:
 * column k is service key k, titled and sized by its row. */
#define ASM_N_COLS ((size_t)SERVICE_KEY_COUNT)

static const struct assumption_field *asm_col(size_t k)
{
    return assumption_service_field((enum service_key)k);
}

/* Section titles by the group of an economics key ("effort" for
 * "effort.measure_weeks"; the learning curves are "learning_curve"). */
static const struct {
    const char *group;
    const char *title;
} asm_sections[] = {
    { "", "Economics" },
    { "learning_curve", "Learning curve (per team experience)" },
    { "effort", "Effort phases (engineer-weeks)" },
    { "thresholds", "Thresholds" },
};

enum asm_action { ASM_NAV, ASM_LEFT, ASM_RIGHT, ASM_EDIT, ASM_FIND, ASM_NEXT };

static const struct screen_key asm_keys[] = {
    UI_LIST_KEYS(ASM_NAV),
    { KEY_LEFT, "Left/h", "previous column of the inventory", ASM_LEFT },
    { 'h', NULL, NULL, ASM_LEFT },
    { KEY_RIGHT, "Right/l", "next column of the inventory", ASM_RIGHT },
    { 'l', NULL, NULL, ASM_RIGHT },
    { 'e', "e/Enter", "edit the selected value (invalid input keeps the old one)", ASM_EDIT },
    { '\r', NULL, NULL, ASM_EDIT }, { '\n', NULL, NULL, ASM_EDIT },
    { KEY_ENTER, NULL, NULL, ASM_EDIT },
    { '/', "/", "jump to a key (or service) containing text", ASM_FIND },
    { 'n', "n", "next key matching the last /", ASM_NEXT },
};
#define ASM_N_KEYS (sizeof(asm_keys) / sizeof(asm_keys[0]))

struct asm_state {
    struct tui *t;
    struct asm_row *rows;
    size_t n_rows, cap;
    double *effort;             /* per service: effort used (given or estimated) */
    size_t sel, top;
    size_t col, hcol;           /* inventory column selected, first one shown */
    int page;                   /* rows shown at the last draw */
    int y0;                     /* screen line of rows[top] at the last draw */
    unsigned generation;
    int built;
    int editing;                /* the prompt is open on edit_path */
    char edit_path[ASM_PATH_MAX];
    char find[128];
    size_t find_sel, find_col;  /* where / started */
};

/* --- values as YAML text ------------------------------------------------- */

/* A number as YAML reads it back: integers without a fraction. */
static void asm_num(char *buf, size_t len, double v)
{
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.12g", v);
}

/* A size with the biggest binary unit that keeps it short and exact. */
static void asm_size(char *buf, size_t len, double bytes)
{
    static const struct { const char *unit; double scale; } units[] = {
        { "GiB", 1073741824.0 }, { "MiB", 1048576.0 }, { "KiB", 1024.0 },
    };
    size_t i;

    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        double q = bytes / units[i].scale;

        if (q >= 1 && q * 100 == floor(q * 100)) {
            asm_num(buf, len, q);
            snprintf(buf + strlen(buf), len - strlen(buf), "%s", units[i].unit);
            return;
        }
    }
    asm_num(buf, len, bytes);
}

/* A range: one value when it is a point, else "[low, likely, high]". */
static void asm_range(char *buf, size_t len, struct range r, int size)
{
    char a[40], b[40], c[40];
    void (*f)(char *, size_t, double) = size ? asm_size : asm_num;

    if (range_is_point(r)) {
        f(buf, len, r.likely);
        return;
    }
    f(a, sizeof(a), r.low);
    f(b, sizeof(b), r.likely);
    f(c, sizeof(c), r.high);
    snprintf(buf, len, "[%s, %s, %s]", a, b, c);
}

/* The value of row f in base (a struct of f's scope) as YAML text; ""
 * for a value not set (a number not given, an estimated effort). */
static void asm_field_text(const struct assumption_field *f, const void *base, char *buf,
                           size_t len)
{
    buf[0] = '\0';
    if (!assumption_is_set(f, base))
        return;
    switch (f->kind) {
    case ASSUMPTION_NUMBER: asm_num(buf, len, assumption_get_number(f, base)); break;
    case ASSUMPTION_RANGE: asm_range(buf, len, assumption_get_range(f, base), 0); break;
    case ASSUMPTION_SIZE: asm_range(buf, len, assumption_get_range(f, base), 1); break;
    case ASSUMPTION_COUNT: snprintf(buf, len, "%d", assumption_get_int(f, base)); break;
    case ASSUMPTION_ENUM:
        snprintf(buf, len, "%s", assumption_enum_name(f, assumption_get_int(f, base)));
        break;
    case ASSUMPTION_BOOL:
        snprintf(buf, len, "%s", assumption_get_int(f, base) ? "true" : "false");
        break;
    case ASSUMPTION_TEXT: snprintf(buf, len, "%s", assumption_get_text(f, base)); break;
    }
}

/* The value of inventory column `col` of one service (an estimated effort
 * is shown apart: nothing to edit from). */
static void asm_cell(const struct asm_state *c, size_t svc, size_t col, char *buf,
                     size_t len)
{
    if (col >= ASM_N_COLS) {
        buf[0] = '\0';
        return;
    }
    asm_field_text(asm_col(col), &tui_session(c->t)->a.services[svc], buf, len);
}

/* "services[NAME].KEY"; 0, or -1 when it does not fit. */
static int asm_service_path(const struct asm_state *c, size_t svc, size_t col, char *buf,
                            size_t len)
{
    int n = snprintf(buf, len, "services[%s].%s",
                     tui_session(c->t)->a.services[svc].name, asm_col(col)->key);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* --- rows ------------------------------------------------------------------ */

static struct asm_row *asm_push(struct asm_state *c, enum asm_kind kind, const char *label)
{
    struct asm_row *r;

    if (c->n_rows == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 128;
        c->rows = xrealloc(c->rows, c->cap * sizeof(*c->rows));
    }
    r = &c->rows[c->n_rows++];
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    snprintf(r->label, sizeof(r->label), "%s", label);
    return r;
}

static void asm_value(struct asm_state *c, const char *prefix, const char *key,
                      const char *value, const char *hint)
{
    struct asm_row *r = asm_push(c, ROW_VALUE, key);

    snprintf(r->path, sizeof(r->path), "%s%s", prefix, key);
    snprintf(r->value, sizeof(r->value), "%s", value);
    r->hint = hint;
}

static void asm_value_num(struct asm_state *c, const char *prefix, const char *key, double v,
                          const char *hint)
{
    char buf[64];

    asm_num(buf, sizeof(buf), v);
    asm_value(c, prefix, key, buf, hint);
}

/* One row of the table, its value read from base; label replaces the
 * key as shown when not NULL. */
static void asm_value_field(struct asm_state *c, const char *prefix,
                            const struct assumption_field *f, const void *base,
                            const char *label)
{
    char buf[96];
    const char *hint = f->hint;

    asm_field_text(f, base, buf, sizeof(buf));
    if (!assumption_is_set(f, base) && f->unset_hint != NULL)
        hint = f->unset_hint;
    asm_value(c, prefix, f->key, buf, hint);
    if (label != NULL)
        snprintf(c->rows[c->n_rows - 1].label, sizeof(c->rows[0].label), "%s", label);
}

/* A section title when an economics row starts a new group; cur is the
 * current group ("-" before the first, a group no key has). */
static void asm_section(struct asm_state *c, const char *group, size_t glen, char *cur,
                        size_t cur_len)
{
    size_t i;

    if (strlen(cur) == glen && strncmp(cur, group, glen) == 0)
        return;
    snprintf(cur, cur_len, "%.*s", (int)glen, group);
    for (i = 0; i < sizeof(asm_sections) / sizeof(asm_sections[0]); i++)
        if (strcmp(asm_sections[i].group, cur) == 0) {
            asm_push(c, ROW_SECTION, asm_sections[i].title);
            return;
        }
    asm_push(c, ROW_SECTION, cur);
}

/* The economics rows of the assumption table in its order, a section per
 * group; its run of learning-curve rows once for each team experience. */
static void asm_build_economics(struct asm_state *c, const struct economics *e)
{
    const struct assumption_field *f, *r, *end;
    char cur[64] = "-", prefix[64], label[64];
    int x;

    for (f = assumption_table; f->key != NULL; f++) {
        if (f->scope == ASSUMPTION_LEARNING) {
            asm_section(c, "learning_curve", strlen("learning_curve"), cur, sizeof(cur));
            for (end = f; end->key != NULL && end->scope == ASSUMPTION_LEARNING; end++)
                continue;
            for (x = 0; x < EXPERIENCE_COUNT; x++) {
                const char *xn = experience_name((enum experience)x);

                snprintf(prefix, sizeof(prefix), "economics.learning_curve.%s.", xn);
                for (r = f; r < end; r++) {
                    snprintf(label, sizeof(label), "%s.%s", xn, r->key);
                    asm_value_field(c, prefix, r, &e->learning[x], label);
                }
            }
            f = end - 1;
            continue;
        }
        if (f->scope != ASSUMPTION_ECONOMICS)
            continue;
        asm_section(c, f->key, assumption_group_len(f), cur, sizeof(cur));
        asm_value_field(c, "economics.", f, e, assumption_leaf(f));
    }
}

static void asm_build_languages(struct asm_state *c, const struct assumptions *a)
{
    const struct assumption_field *f;
    char prefix[64], label[64];
    size_t i;

    asm_push(c, ROW_SECTION, "Languages (expected reduction, fraction of today)");
    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *lp = &a->languages[i];

        snprintf(prefix, sizeof(prefix), "languages.%s.", lp->name);
        for (f = assumption_table; f->key != NULL; f++) {
            if (f->scope != ASSUMPTION_LANGUAGE)
                continue;
            snprintf(label, sizeof(label), "%s.%s", lp->name, f->key);
            asm_value_field(c, prefix, f, lp, label);
        }
    }
}

static int asm_selectable(const struct asm_row *r)
{
    return r->kind == ROW_VALUE || r->kind == ROW_SERVICE;
}

/* The first selectable row at or after i going in direction dir (+1/-1);
 * i itself when there is none that way. */
static size_t asm_seek(const struct asm_state *c, size_t i, int dir)
{
    size_t j = i;

    while (j < c->n_rows) {
        if (asm_selectable(&c->rows[j]))
            return j;
        if (dir < 0 && j == 0)
            break;
        j = dir < 0 ? j - 1 : j + 1;
    }
    /* nothing that way: the other way round */
    j = i;
    while (j < c->n_rows) {
        if (asm_selectable(&c->rows[j]))
            return j;
        if (dir > 0 && j == 0)
            break;
        j = dir > 0 ? j - 1 : j + 1;
    }
    return i;
}

/* Rebuild every row from the current assumptions; keeps the selection. */
static void asm_build(struct asm_state *c)
{
    const struct session *s = tui_session(c->t);
    const struct assumptions *a = &s->a;
    size_t i, k;
    int f;

    c->n_rows = 0;
    asm_build_economics(c, &a->economics);
    asm_push(c, ROW_SECTION, "Scoring weights (normalised to a 0-100 score)");
    for (f = 0; f < FACTOR_COUNT; f++)
        asm_value_num(c, "scoring.weights.", factor_name((enum factor)f),
                      a->scoring.weights[f], NULL);
    asm_build_languages(c, a);
    asm_push(c, ROW_SECTION, "Inventory (Left/Right picks the column)");
    asm_push(c, ROW_COLUMNS, "Service");
    free(c->effort);
    c->effort = xcalloc(a->n_services ? a->n_services : 1, sizeof(*c->effort));
    for (i = 0; i < a->n_services; i++) {
        asm_push(c, ROW_SERVICE, "")->svc = i;
        c->effort[i] = NAN;
    }
    /* each analysed service points at its spec: its index, no search
     * (a search per service was O(n^2): 0.7 s with 10,000 services) */
    for (k = 0; k < s->an.n_services; k++) {
        const struct service_spec *sp = s->an.services[k].spec;

        if (sp >= a->services && sp < a->services + a->n_services)
            c->effort[sp - a->services] = s->an.services[k].effort.engineer_months.likely;
    }
    if (c->sel >= c->n_rows)
        c->sel = c->n_rows ? c->n_rows - 1 : 0;
    if (c->n_rows > 0)
        c->sel = asm_seek(c, c->sel, 1);
    c->generation = s->generation;
    c->built = 1;
}

static void asm_sync(struct asm_state *c)
{
    if (!c->built || c->generation != tui_session(c->t)->generation)
        asm_build(c);
}

/* The selected value's path and text; 0, or -1 when nothing is selected. */
static int asm_selected(const struct asm_state *c, char *path, size_t plen, char *value,
                        size_t vlen)
{
    const struct asm_row *r;

    if (c->n_rows == 0)
        return -1;
    r = &c->rows[c->sel];
    if (r->kind == ROW_VALUE) {
        snprintf(path, plen, "%s", r->path);
        snprintf(value, vlen, "%s", r->value);
        return 0;
    }
    if (r->kind != ROW_SERVICE || asm_service_path(c, r->svc, c->col, path, plen) != 0)
        return -1;
    asm_cell(c, r->svc, c->col, value, vlen);
    return 0;
}

/* --- drawing ------------------------------------------------------------- */

/* Keep the selected inventory column on screen in width w. */
static void asm_fit_columns(struct asm_state *c, int w)
{
    int used;
    size_t k;

    if (c->hcol > c->col)
        c->hcol = c->col;
    for (;;) {
        used = 2 + ASM_NAME_W + 1;
        for (k = c->hcol; k <= c->col; k++)
            used += asm_col(k)->width + 1;
        if (used <= w || c->hcol == c->col)
            break;
        c->hcol++;
    }
}

static void asm_draw_inventory(struct asm_state *c, struct tui *t, const struct asm_row *r,
                               int y, const struct screen_rect *rc, int is_sel)
{
    int x = rc->x + 2, right = rc->x + rc->w, base, cell;
    char buf[128];
    size_t k;

    if (r->kind == ROW_COLUMNS) {
        base = tui_attr(t, TUI_ROLE_HEADER);
        tui_text(y, x, ASM_NAME_W, c->hcol > 0 ? "Service  <" : "Service", base, 0, 1);
    } else {
        const struct service_spec *s = &tui_session(t)->a.services[r->svc];

        base = is_sel ? tui_attr(t, TUI_ROLE_SELECTED) : tui_attr(t, TUI_ROLE_NORMAL);
        tui_text(y, x, ASM_NAME_W, s->name, base, 0, 1);
    }
    x += ASM_NAME_W + 1;
    for (k = c->hcol; k < ASM_N_COLS && x < right; k++) {
        int w = asm_col(k)->width;

        if (x + w > right)
            w = right - x;
        cell = base;
        if (r->kind == ROW_COLUMNS) {
            snprintf(buf, sizeof(buf), "%s", asm_col(k)->title);
        } else {
            asm_cell(c, r->svc, k, buf, sizeof(buf));
            if (k == SK_EFFORT_ENGINEER_MONTHS && buf[0] == '\0' &&
                isfinite(c->effort[r->svc])) {
                snprintf(buf, sizeof(buf), "~%.3g est", c->effort[r->svc]);
                if (!is_sel)
                    cell = tui_attr(t, TUI_ROLE_DIM);
            }
        }
        if (k == c->col && (is_sel || (r->kind == ROW_COLUMNS &&
                                       c->rows[c->sel].kind == ROW_SERVICE)))
            cell = tui_attr(t, TUI_ROLE_TAB_ACTIVE);
        tui_text(y, x, w, buf, cell, 0, 1);
        x += asm_col(k)->width + 1;
    }
    if (k < ASM_N_COLS && r->kind == ROW_COLUMNS)
        tui_text(y, right - 1, 1, ">", base, 0, 0);
}

static void asm_draw_row(struct asm_state *c, struct tui *t, const struct asm_row *r, int y,
                         const struct screen_rect *rc, int is_sel)
{
    int attr = is_sel ? tui_attr(t, TUI_ROLE_SELECTED) : tui_attr(t, TUI_ROLE_NORMAL);
    int vx = rc->x + 2 + ASM_LABEL_W + 1, w;

    if (is_sel) {
        attron(attr);
        mvhline(y, rc->x, ' ', rc->w);
        attroff(attr);
    }
    switch (r->kind) {
    case ROW_SECTION:
        tui_text(y, rc->x, rc->w, r->label, tui_attr(t, TUI_ROLE_HEADER), 0, 0);
        break;
    case ROW_VALUE:
        tui_text(y, rc->x + 2, ASM_LABEL_W, r->label, attr, 0, 1);
        w = rc->x + rc->w - vx;
        if (w > ASM_VALUE_W)
            w = ASM_VALUE_W;
        if (r->value[0] != '\0')
            tui_text(y, vx, w, r->value, attr, 0, 1);
        else
            tui_text(y, vx, w, "(not set)", is_sel ? attr : tui_attr(t, TUI_ROLE_DIM), 0, 1);
        if (r->hint != NULL && vx + ASM_VALUE_W + 2 < rc->x + rc->w)
            tui_text(y, vx + ASM_VALUE_W + 1, rc->x + rc->w - vx - ASM_VALUE_W - 1, r->hint,
                     is_sel ? attr : tui_attr(t, TUI_ROLE_DIM), 0, 0);
        break;
    case ROW_COLUMNS:
    case ROW_SERVICE:
        asm_draw_inventory(c, t, r, y, rc, is_sel);
        break;
    }
}

/* Scroll so that the selected row is on screen, with its section title when it fits. */
static void asm_scroll(struct asm_state *c)
{
    size_t page = c->page > 0 ? (size_t)c->page : 1;

    if (c->sel < c->top)
        c->top = c->sel;
    if (c->sel >= c->top + page)
        c->top = c->sel - page + 1;
    while (c->top > 0 && c->top == c->sel && !asm_selectable(&c->rows[c->top - 1]))
        c->top--;
    if (c->top + page > c->n_rows)
        c->top = c->n_rows > page ? c->n_rows - page : 0;
}

static void asm_draw(void *st, struct tui *t, const struct screen_rect *r)
{
    struct asm_state *c = st;
    char path[ASM_PATH_MAX], value[128], line[ASM_PATH_MAX + 256];
    int row;

    asm_sync(c);
    c->page = r->h - 1;
    asm_fit_columns(c, r->w);
    asm_scroll(c);
    if (asm_selected(c, path, sizeof(path), value, sizeof(value)) != 0)
        snprintf(line, sizeof(line), "nothing to edit");
    else if (c->editing)
        snprintf(line, sizeof(line), "editing %s: Enter sets, Esc cancels", c->edit_path);
    else
        snprintf(line, sizeof(line), "%s = %s    (e edit, / find, w save, u undo)", path,
                 value[0] ? value : "(not set)");
    tui_text(r->y, r->x + 1, r->w - 1, line, tui_attr(t, TUI_ROLE_DIM), 0, 0);
    c->y0 = r->y + 1;
    for (row = 0; row < c->page; row++) {
        size_t i = c->top + (size_t)row;

        if (i >= c->n_rows)
            break;
        asm_draw_row(c, t, &c->rows[i], c->y0 + row, r, i == c->sel);
    }
}

/* --- keys ---------------------------------------------------------------- */

/* The loader's message without its "FILE:LINE:COL: " prefix, which the
 * status line has no room for. */
static const char *asm_reason(const struct session *s, const char *err)
{
    size_t n = strlen(s->config_name);

    if (strncmp(err, s->config_name, n) != 0 || err[n] != ':')
        return err;
    err += n + 1;
    err += strspn(err, "0123456789:");
    return err + strspn(err, " ");
}

static void asm_edit_done(void *arg, struct tui *t, const char *text, enum tui_prompt_event ev)
{
    struct asm_state *c = arg;
    char err[512];

    if (ev == TUI_PROMPT_CHANGE)
        return;
    c->editing = 0;
    if (ev != TUI_PROMPT_ACCEPT)
        return;
    text += strspn(text, " ");
    if (text[0] == '\0') {
        tui_message(t, 1, "not changed: an empty value (Esc cancels an edit)");
        return;
    }
    if (session_set(tui_session(t), c->edit_path, text, err, sizeof(err)) != 0) {
        tui_message(t, 1, "not changed: %s", asm_reason(tui_session(t), err));
        return;
    }
    tui_message(t, 0, "set to %s (u undoes, w saves)", text);
}

static int asm_edit(struct asm_state *c, struct tui *t)
{
    char value[128];

    if (asm_selected(c, c->edit_path, sizeof(c->edit_path), value, sizeof(value)) != 0) {
        tui_message(t, 1, "nothing to edit here");
        return SCREEN_HANDLED | SCREEN_REDRAW;
    }
    c->editing = 1;
    tui_prompt(t, "value: ", value, asm_edit_done, c);
    return SCREEN_HANDLED | SCREEN_REDRAW;
}

/* ASCII case-insensitive substring search. */
static int asm_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

/* Select the first key containing c->find at or after (sel, col), wrapping.
 * Returns 1 when found. */
static int asm_find_from(struct asm_state *c, size_t sel, size_t col)
{
    char path[ASM_PATH_MAX];
    size_t n, i, k;

    if (c->find[0] == '\0' || c->n_rows == 0)
        return 0;
    for (n = 0; n <= c->n_rows; n++) {
        const struct asm_row *r;

        i = (sel + n) % c->n_rows;
        r = &c->rows[i];
        if (r->kind == ROW_VALUE && n > 0 && asm_contains(r->path, c->find)) {
            c->sel = i;
            return 1;
        }
        if (r->kind != ROW_SERVICE)
            continue;
        for (k = n == 0 ? col : 0; k < ASM_N_COLS; k++) {
            if (asm_service_path(c, r->svc, k, path, sizeof(path)) == 0 &&
                asm_contains(path, c->find)) {
                c->sel = i;
                c->col = k;
                return 1;
            }
        }
    }
    return 0;
}

static void asm_find_changed(void *arg, struct tui *t, const char *text,
                             enum tui_prompt_event ev)
{
    struct asm_state *c = arg;

    snprintf(c->find, sizeof(c->find), "%s", text);
    c->sel = c->find_sel;
    c->col = c->find_col;
    if (ev == TUI_PROMPT_CANCEL)
        return;
    /* start on the row where / was typed, which a value row only matches
     * when the search comes round to it again */
    if (c->rows[c->sel].kind == ROW_VALUE && asm_contains(c->rows[c->sel].path, c->find))
        return;
    if (!asm_find_from(c, c->sel, c->col) && ev == TUI_PROMPT_ACCEPT)
        tui_message(t, 1, "no key contains '%s'", c->find);
}

static int asm_nav(struct asm_state *c, struct tui *t, int key)
{
    size_t page = c->page > 1 ? (size_t)c->page - 1 : 1;
    int y, x, dir = 1;
    unsigned long b;

    switch (key) {
    case KEY_UP:
    case 'k':
        if (c->sel > 0)
            c->sel = asm_seek(c, c->sel - 1, -1);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case KEY_DOWN:
    case 'j':
        c->sel = asm_seek(c, c->sel + 1 < c->n_rows ? c->sel + 1 : c->sel, 1);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case KEY_PPAGE:
        c->sel = c->sel > page ? c->sel - page : 0;
        dir = -1;
        break;
    case KEY_NPAGE:
        c->sel = c->sel + page < c->n_rows ? c->sel + page : c->n_rows - 1;
        break;
    case KEY_HOME:
    case 'g':
        c->sel = 0;
        c->top = 0;
        break;
    case KEY_END:
    case 'G':
        c->sel = c->n_rows - 1;
        dir = -1;
        break;
    case KEY_MOUSE:
        if (tui_mouse(t, &y, &x, &b) != 0 || y < c->y0 || y >= c->y0 + c->page)
            return SCREEN_HANDLED;
        if (b & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
            c->sel = b & BUTTON4_PRESSED ? (c->sel > 3 ? c->sel - 3 : 0)
                                         : (c->sel + 3 < c->n_rows ? c->sel + 3
                                                                   : c->n_rows - 1);
            dir = b & BUTTON4_PRESSED ? -1 : 1;
            break;
        }
        if (c->top + (size_t)(y - c->y0) < c->n_rows &&
            asm_selectable(&c->rows[c->top + (size_t)(y - c->y0)]))
            c->sel = c->top + (size_t)(y - c->y0);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
    c->sel = asm_seek(c, c->sel, dir);
    return SCREEN_HANDLED | SCREEN_REDRAW;
}

static int asm_key(void *st, struct tui *t, int key)
{
    struct asm_state *c = st;
    int action = tui_key_action(asm_keys, ASM_N_KEYS, key);

    asm_sync(c);
    if (c->n_rows == 0)
        return action >= 0 ? SCREEN_HANDLED : SCREEN_IGNORED;
    switch (action) {
    case ASM_NAV:
        return asm_nav(c, t, key);
    case ASM_LEFT:
    case ASM_RIGHT:
        if (c->rows[c->sel].kind != ROW_SERVICE)
            return SCREEN_HANDLED;
        if (action == ASM_LEFT && c->col > 0)
            c->col--;
        else if (action == ASM_RIGHT && c->col + 1 < ASM_N_COLS)
            c->col++;
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case ASM_EDIT:
        return asm_edit(c, t);
    case ASM_FIND:
        c->find_sel = c->sel;
        c->find_col = c->col;
        tui_prompt(t, "/", "", asm_find_changed, c);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case ASM_NEXT:
        if (c->find[0] == '\0')
            tui_message(t, 0, "/ first: n finds the next key containing it");
        else if (!asm_find_from(c, c->sel, c->col + 1))
            tui_message(t, 1, "no key contains '%s'", c->find);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
}

static void *asm_init(struct tui *t)
{
    struct asm_state *c = xcalloc(1, sizeof(*c));

    c->t = t;
    c->page = 1;
    asm_build(c);
    return c;
}

static void asm_free(void *st)
{
    struct asm_state *c = st;

    if (c == NULL)
        return;
    free(c->rows);
    free(c->effort);
    free(c);
}

const struct screen_ops screen_assumptions_ops = {
    .name = "Assumptions",
    .keys = asm_keys,
    .n_keys = ASM_N_KEYS,
    .init = asm_init,
    .draw = asm_draw,
    .key = asm_key,
    .free = asm_free,
};
