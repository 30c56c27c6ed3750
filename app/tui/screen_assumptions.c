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

/* The inventory's columns: key under services[NAME], title, width. */
static const struct {
    const char *key;
    const char *title;
    int width;
} asm_cols[] = {
    { "language", "Lang", 8 },
    { "workload", "Workload", 16 },
    { "criticality", "Crit", 6 },
    { "instances", "Inst", 10 },
    { "min_instances", "Min", 6 },
    { "cores_per_instance", "Cores", 8 },
    { "memory_per_instance", "Memory", 10 },
    { "cost_per_instance", "$/inst", 10 },
    { "incidents_per_month", "Inc/mo", 11 },
    { "cost_per_incident", "$/inc", 10 },
    { "incident_reduction", "Inc.cut", 15 },
    { "endpoints", "Endp", 5 },
    { "team.engineers", "Eng", 4 },
    { "team.experience", "Exp", 7 },
    { "changes_per_month", "Chg/mo", 9 },
    { "effort_engineer_months", "Effort", 12 },
};
#define ASM_N_COLS (sizeof(asm_cols) / sizeof(asm_cols[0]))

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

/* The value of inventory column `col` of one service. */
static void asm_cell(const struct asm_state *c, size_t svc, size_t col, char *buf,
                     size_t len)
{
    const struct service_spec *s = &tui_session(c->t)->a.services[svc];

    switch (col) {
    case 0: snprintf(buf, len, "%s", s->language); break;
    case 1: snprintf(buf, len, "%s", workload_name(s->workload)); break;
    case 2: snprintf(buf, len, "%s", criticality_name(s->criticality)); break;
    case 3: asm_range(buf, len, s->instances, 0); break;
    case 4: asm_range(buf, len, s->min_instances, 0); break;
    case 5: asm_range(buf, len, s->cores_per_instance, 0); break;
    case 6: asm_range(buf, len, s->memory_per_instance_bytes, 1); break;
    case 7: asm_range(buf, len, s->cost_per_instance, 0); break;
    case 8: asm_range(buf, len, s->incidents_per_month, 0); break;
    case 9: asm_range(buf, len, s->cost_per_incident, 0); break;
    case 10: asm_range(buf, len, s->incident_reduction, 0); break;
    case 11: snprintf(buf, len, "%d", s->endpoints); break;
    case 12: snprintf(buf, len, "%d", s->engineers); break;
    case 13: snprintf(buf, len, "%s", experience_name(s->experience)); break;
    case 14: asm_range(buf, len, s->changes_per_month, 0); break;
    case 15:
        if (s->has_effort)
            asm_range(buf, len, s->effort_engineer_months, 0);
        else
            buf[0] = '\0';      /* estimated: shown apart, nothing to edit from */
        break;
    default: buf[0] = '\0'; break;
    }
}

/* "services[NAME].KEY"; 0, or -1 when it does not fit. */
static int asm_service_path(const struct asm_state *c, size_t svc, size_t col, char *buf,
                            size_t len)
{
    int n = snprintf(buf, len, "services[%s].%s",
                     tui_session(c->t)->a.services[svc].name, asm_cols[col].key);

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

static void asm_value_range(struct asm_state *c, const char *prefix, const char *key,
                            struct range v, const char *hint)
{
    char buf[96];

    asm_range(buf, sizeof(buf), v, 0);
    asm_value(c, prefix, key, buf, hint);
}

static void asm_value_num(struct asm_state *c, const char *prefix, const char *key, double v,
                          const char *hint)
{
    char buf[64];

    asm_num(buf, sizeof(buf), v);
    asm_value(c, prefix, key, buf, hint);
}

static void asm_build_economics(struct asm_state *c, const struct economics *e)
{
    static const char *const eff[] = {
        "measure_weeks", "scaffold_weeks", "weeks_per_endpoint",
        "cutover_weeks_per_endpoint", "rollback_weeks", "cleanup_weeks",
    };
    const struct range *effv[] = {
        &e->effort.measure_weeks, &e->effort.scaffold_weeks, &e->effort.weeks_per_endpoint,
        &e->effort.cutover_weeks_per_endpoint, &e->effort.rollback_weeks,
        &e->effort.cleanup_weeks,
    };
    const struct thresholds *th = &e->thresholds;
    char label[64];
    int x;
    size_t i;

    asm_push(c, ROW_SECTION, "Economics");
    asm_value_num(c, "economics.", "horizon_months", e->horizon_months,
                  "months projected (1..240)");
    asm_value_range(c, "economics.", "discount_rate", e->discount_rate, "annual fraction");
    asm_value_range(c, "economics.", "cost_per_engineer_month", e->cost_per_engineer_month,
                    "currency, fully loaded");
    asm_value_range(c, "economics.", "productivity_gain", e->productivity_gain,
                    "fraction of team cost won back a month");
    if (isfinite(e->engineer_months_available))
        asm_value_num(c, "economics.", "engineer_months_available",
                      e->engineer_months_available, "portfolio capacity");
    else
        asm_value(c, "economics.", "engineer_months_available", "",
                  "not set: every migrate candidate");
    asm_value(c, "economics.", "currency", e->currency, "display only");
    asm_push(c, ROW_SECTION, "Learning curve (per team experience)");
    for (x = 0; x < EXPERIENCE_COUNT; x++) {
        char prefix[64];

        snprintf(prefix, sizeof(prefix), "economics.learning_curve.%s.",
                 experience_name((enum experience)x));
        asm_value_range(c, prefix, "velocity_loss", e->learning[x].velocity_loss,
                        "fraction of output lost at first");
        snprintf(c->rows[c->n_rows - 1].label, sizeof(label), "%s.velocity_loss",
                 experience_name((enum experience)x));
        asm_value_range(c, prefix, "months", e->learning[x].months, "months to recover");
        snprintf(c->rows[c->n_rows - 1].label, sizeof(label), "%s.months",
                 experience_name((enum experience)x));
    }
    asm_value_range(c, "economics.learning_curve.", "dynamic_language_extra_months",
                    e->dynamic_language_extra_months, "leaving Python or JavaScript");
    asm_push(c, ROW_SECTION, "Effort phases (engineer-weeks)");
    for (i = 0; i < sizeof(eff) / sizeof(eff[0]); i++)
        asm_value_range(c, "economics.effort.", eff[i], *effv[i], NULL);
    asm_push(c, ROW_SECTION, "Thresholds");
    asm_value_num(c, "economics.thresholds.", "migrate_score", th->migrate_score, "0..100");
    asm_value_num(c, "economics.thresholds.", "consider_score", th->consider_score,
                  "0..100, <= migrate_score");
    asm_value_num(c, "economics.thresholds.", "migrate_probability", th->migrate_probability,
                  "P(NPV > 0) to say migrate");
    asm_value_num(c, "economics.thresholds.", "io_bound_share", th->io_bound_share,
                  "runtime share below: I/O-bound");
    asm_value_num(c, "economics.thresholds.", "weekly_changes", th->weekly_changes,
                  "changes a month: red flag");
    asm_value_num(c, "economics.thresholds.", "min_hours", th->min_hours,
                  "less history: unknown");
    asm_value_num(c, "economics.thresholds.", "min_points", th->min_points,
                  "fewer points: unknown");
}

static void asm_build_languages(struct asm_state *c, const struct assumptions *a)
{
    static const char *const keys[] = { "cpu_reduction", "memory_reduction", "p99_reduction" };
    size_t i, k;

    asm_push(c, ROW_SECTION, "Languages (expected reduction, fraction of today)");
    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *lp = &a->languages[i];
        const struct range *v[] = { &lp->cpu_reduction, &lp->memory_reduction,
                                    &lp->p99_reduction };
        char prefix[64];

        snprintf(prefix, sizeof(prefix), "languages.%s.", lp->name);
        for (k = 0; k < 3; k++) {
            asm_value_range(c, prefix, keys[k], *v[k], NULL);
            snprintf(c->rows[c->n_rows - 1].label, sizeof(c->rows[0].label), "%s.%s",
                     lp->name, keys[k]);
        }
        asm_value(c, prefix, "dynamic", lp->dynamic ? "true" : "false",
                  "adds dynamic_language_extra_months");
        snprintf(c->rows[c->n_rows - 1].label, sizeof(c->rows[0].label), "%s.dynamic",
                 lp->name);
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
            used += asm_cols[k].width + 1;
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
        int w = asm_cols[k].width;

        if (x + w > right)
            w = right - x;
        cell = base;
        if (r->kind == ROW_COLUMNS) {
            snprintf(buf, sizeof(buf), "%s", asm_cols[k].title);
        } else {
            asm_cell(c, r->svc, k, buf, sizeof(buf));
            if (k == 15 && buf[0] == '\0' && isfinite(c->effort[r->svc])) {
                snprintf(buf, sizeof(buf), "~%.3g est", c->effort[r->svc]);
                if (!is_sel)
                    cell = tui_attr(t, TUI_ROLE_DIM);
            }
        }
        if (k == c->col && (is_sel || (r->kind == ROW_COLUMNS &&
                                       c->rows[c->sel].kind == ROW_SERVICE)))
            cell = tui_attr(t, TUI_ROLE_TAB_ACTIVE);
        tui_text(y, x, w, buf, cell, 0, 1);
        x += asm_cols[k].width + 1;
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
