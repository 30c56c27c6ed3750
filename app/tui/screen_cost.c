/* screen_cost.c: one service's cost model: the equation, its inputs editable, cash flow, risk. */
#include <curses.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/inventory.h"
#include "verdict/report.h"
#include "screen.h"
#include "tui_int.h"
#include "ui_pen.h"
#include "verdict/assumption_table.h"
#include "verdict/textchart.h"
#include "verdict/util.h"

enum cost_action {
    C_UP, C_DOWN, C_PGUP, C_PGDN, C_HOME, C_END, C_EDIT, C_NEXT, C_PREV, C_MOUSE
};

static const struct screen_key cost_keys[] = {
    { KEY_UP, "Up/k", "previous input (scrolls at the top)", C_UP }, { 'k', NULL, NULL, C_UP },
    { KEY_DOWN, "Down/j", "next input (scrolls at the bottom)", C_DOWN },
    { 'j', NULL, NULL, C_DOWN },
    { KEY_PPAGE, "PgUp", "page up", C_PGUP }, { KEY_NPAGE, "PgDn", "page down", C_PGDN },
    { KEY_HOME, "Home/g", "top", C_HOME }, { 'g', NULL, NULL, C_HOME },
    { KEY_END, "End/G", "bottom", C_END }, { 'G', NULL, NULL, C_END },
    { 'e', "e/Enter", "edit the selected input (Enter sets it, Esc cancels)", C_EDIT },
    { '\r', NULL, NULL, C_EDIT }, { '\n', NULL, NULL, C_EDIT }, { KEY_ENTER, NULL, NULL, C_EDIT },
    { 'n', "n", "next service in rank order", C_NEXT },
    { 'p', "p", "previous service in rank order", C_PREV },
    { KEY_MOUSE, "mouse", "click selects an input, wheel scrolls", C_MOUSE },
};
#define COST_N_KEYS (sizeof(cost_keys) / sizeof(cost_keys[0]))

/* The inputs listed are the rows of the assumption table flagged
 * ASSUMPTION_COST_INPUT, in its order (the service's, its language's, the
 * economics, the team's learning curve); this many at most. */
#define COST_MAX_INPUTS 48

#define COST_MAX_ROWS 32        /* chart rows */
#define COST_MAX_COLS 400       /* chart columns */
#define COST_ROWLEN (COST_MAX_COLS * 3 + 1)   /* braille is 3 bytes a column */
#define COST_WIDE 150           /* from this width: two columns */

struct cost {
    struct tui *t;
    const struct assumption_field *inputs[COST_MAX_INPUTS];
    size_t n_inputs;
    size_t sel;                 /* selected input */
    int top;                    /* first content line shown */
    int lines, height;          /* content lines and lines shown at the last draw */
    int follow;                 /* bring the selected input into view at the next draw */
    int in_line[COST_MAX_INPUTS]; /* content line of each input at the last draw */
    int in_y[COST_MAX_INPUTS];  /* screen row, or -1 when scrolled away */
    int editing;                /* the prompt for the selected input is open */
    char edit_path[512];
    char edit_old[128];
    char error[600];            /* the loader's message for the last edit, until a key */
    /* the service shown: found again when the analysis or the choice changes */
    unsigned generation, serial;
    size_t index;
    int found;
    char rows[COST_MAX_ROWS][COST_ROWLEN];
};

/* The sections are drawn through a ui_pen (two side by side on a wide
 * terminal).  A wrapped line hangs two columns in, to column 4 at most. */
static void pen_wrap(struct ui_pen *p, int indent, const char *text, enum tui_role role)
{
    ui_pen_wrap(p, indent, indent < 4 ? indent + 2 : indent, text, role);
}

/* --- the service and its inputs --------------------------------------- */

/* The service shown (tui_service), or NULL; *index is its rank order.  The
 * search runs only when the analysis or the choice changed. */
static const struct service_analysis *cost_find(struct cost *c, size_t *index)
{
    const struct session *s = tui_session(c->t);
    const struct analysis *an = &s->an;
    const char *name = tui_service(c->t);
    size_t i;

    if (name == NULL)
        return NULL;
    if (c->generation != s->generation || c->serial != tui_service_serial(c->t) ||
        !c->found || c->index >= an->n_services ||
        strcmp(an->services[c->index].spec->name, name) != 0) {
        c->found = 0;
        c->generation = s->generation;
        c->serial = tui_service_serial(c->t);
        for (i = 0; i < an->n_services; i++) {
            if (strcmp(an->services[i].spec->name, name) == 0) {
                c->index = i;
                c->found = 1;
                break;
            }
        }
    }
    if (!c->found)
        return NULL;
    if (index != NULL)
        *index = c->index;
    return &an->services[c->index];
}

/* A number as YAML text: integers without a point, others shortest. */
static void cost_num(char *buf, size_t len, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.6g", v);
}

/* A range as YAML text: "12", or "[8, 12, 20]". */
static void cost_range_text(char *buf, size_t len, struct range r)
{
    char a[40], b[40], d[40];

    cost_num(b, sizeof(b), r.likely);
    if (range_is_point(r)) {
        snprintf(buf, len, "%s", b);
        return;
    }
    cost_num(a, sizeof(a), r.low);
    cost_num(d, sizeof(d), r.high);
    snprintf(buf, len, "[%s, %s, %s]", a, b, d);
}

/* The struct an input's value lives in, or NULL when it has none (no
 * known language). */
static const void *cost_input_base(const struct assumption_field *in, const struct session *s,
                                   const struct service_analysis *sa)
{
    switch (in->scope) {
    case ASSUMPTION_SERVICE:
        return sa->spec;
    case ASSUMPTION_LANGUAGE:
        return sa->lang;
    case ASSUMPTION_ECONOMICS:
        return &s->a.economics;
    case ASSUMPTION_LEARNING:
        if ((unsigned)sa->spec->experience >= EXPERIENCE_COUNT)
            return NULL;
        return &s->a.economics.learning[sa->spec->experience];
    }
    return NULL;
}

/* The current value of input in as YAML text; 0, or -1 when it has none. */
static int cost_input_value(const struct session *s, const struct service_analysis *sa,
                            const struct assumption_field *in, char *buf, size_t len)
{
    const void *base = cost_input_base(in, s, sa);

    buf[0] = '\0';
    if (base == NULL)
        return -1;
    if (in == assumption_service_field(SK_EFFORT_ENGINEER_MONTHS) &&
        !assumption_is_set(in, base)) {
        /* not in the file: the estimate (to 0.1) is what the model uses */
        struct range r = sa->effort.engineer_months;

        r.low = round(r.low * 10) / 10;
        r.likely = round(r.likely * 10) / 10;
        r.high = round(r.high * 10) / 10;
        cost_range_text(buf, len, r);
        return 0;
    }
    if (!assumption_is_set(in, base)) {
        /* an unset number is NaN, an unset name "": say what that means */
        snprintf(buf, len, "%s", in->unset != NULL ? in->unset : "-");
        return 0;
    }
    switch (in->kind) {
    case ASSUMPTION_RANGE:
    case ASSUMPTION_SIZE:
        cost_range_text(buf, len, assumption_get_range(in, base));
        break;
    case ASSUMPTION_NUMBER:
        cost_num(buf, len, assumption_get_number(in, base));
        break;
    case ASSUMPTION_COUNT:
        snprintf(buf, len, "%d", assumption_get_int(in, base));
        break;
    case ASSUMPTION_ENUM:
        snprintf(buf, len, "%s", assumption_enum_name(in, assumption_get_int(in, base)));
        break;
    case ASSUMPTION_BOOL:
        snprintf(buf, len, "%s", assumption_get_int(in, base) ? "true" : "false");
        break;
    case ASSUMPTION_TEXT:
        snprintf(buf, len, "%s", assumption_get_text(in, base));
        break;
    }
    return 0;
}

/* The YAML path of input in for this service; 0, or -1 when it has none. */
static int cost_input_path(const struct service_analysis *sa, const struct assumption_field *in,
                           char *buf, size_t len)
{
    switch (in->scope) {
    case ASSUMPTION_SERVICE:
        snprintf(buf, len, "services[%s].%s", sa->spec->name, in->key);
        return 0;
    case ASSUMPTION_LANGUAGE:
        if (sa->lang == NULL)
            return -1;
        snprintf(buf, len, "languages.%s.%s", sa->lang->name, in->key);
        return 0;
    case ASSUMPTION_ECONOMICS:
        snprintf(buf, len, "economics.%s", in->key);
        return 0;
    case ASSUMPTION_LEARNING:
        snprintf(buf, len, "economics.learning_curve.%s.%s",
                 experience_name(sa->spec->experience), in->key);
        return 0;
    }
    return -1;
}

/* Where input in came from, short: "line 12", "--set", "default (seed
 * 002)", "measured: QUERY", "derived: ..." (the JSON report's origins,
 * the file's name left out: the title bar names it). */
static void cost_input_origin(const struct session *s, const struct service_analysis *sa,
                              const struct assumption_field *in, char *buf, size_t len)
{
    char path[512];
    const char *seed;
    enum origin_kind kind;
    int line;

    if (in->scope == ASSUMPTION_SERVICE) {
        inventory_origin(buf, len, &s->a, sa->spec, (enum service_key)(in - assumption_table),
                         NULL);
        return;
    }
    if (cost_input_path(sa, in, path, sizeof(path)) != 0) {
        snprintf(buf, len, "-");
        return;
    }
    kind = assumptions_origin(&s->a, path, &line);
    seed = assumptions_default_source(path);
    if (kind == ORIGIN_FILE)
        snprintf(buf, len, "line %d", line);
    else if (kind == ORIGIN_OVERRIDE)
        snprintf(buf, len, "--set");
    else
        snprintf(buf, len, "default (%s)", seed != NULL ? seed : "no seed");
}

/* --- drawing ---------------------------------------------------------- */

/* One line of the equation: what, how (the numbers), and the amount. */
static void cost_eq(struct ui_pen *p, const char *label, const char *how, double amount,
                    const char *cur, int total)
{
    char money[48];
    int y = ui_pen_row(p), aw = 13, hw = p->w - 19 - aw;

    if (y < 0)
        return;
    tui_text(y, p->x + 2, 16, label, total ? A_BOLD : 0, 0, 0);
    tui_text(y, p->x + 18, hw, how, 0, 0, 0);
    fmt_money(money, sizeof(money), cur, amount);
    tui_text(y, p->x + p->w - aw - 1, aw, money, total ? A_BOLD : 0, 1, 0);
}

/* The seeds' equation with the numbers filled in (the wording of the text
 * report's "honest math"), every parameter at its likely value. */
static void cost_equation(struct ui_pen *p, const struct session *s,
                          const struct service_analysis *sa)
{
    const char *cur = s->a.economics.currency;
    struct equation_line eq[EQ_LINES];
    struct outcome_text out;
    int i;

    report_equation(sa, cur, eq);
    ui_pen_text(p, 1, "BENEFIT PER MONTH, once the rewrite is live (inputs at likely)",
             TUI_ROLE_HEADER);
    for (i = 0; i < EQ_LINES; i++) {
        if (i == EQ_MIGRATION)
            ui_pen_text(p, 1, "AGAINST THE COST OF GETTING THERE", TUI_ROLE_HEADER);
        cost_eq(p, eq[i].label, eq[i].how, eq[i].amount, cur, eq[i].total);
    }

    report_outcome(sa, cur, &out);
    pen_wrap(p, 2, out.horizon, TUI_ROLE_NORMAL);
    pen_wrap(p, 2, analysis_has_figures(sa) ? out.result
             : "No NPV or break-even: not enough measured data to support them.",
             TUI_ROLE_NORMAL);
}

/* The editable inputs, grouped by where they live in the file. */
static void cost_input_list(struct cost *c, struct ui_pen *p, const struct session *s,
                            const struct service_analysis *sa)
{
    char value[128], head[160], name[64], origin[512], note[768];
    enum assumption_scope scope = ASSUMPTION_SERVICE;
    int vw = p->w >= 70 ? 22 : 16;
    size_t i;

    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    ui_pen_text(p, 1, "INPUTS  (e or Enter edits the selected one; u undoes, w saves)",
             TUI_ROLE_HEADER);
    for (i = 0; i < c->n_inputs; i++) {
        const struct assumption_field *in = c->inputs[i];
        int y, selected = i == c->sel, have;
        int attr = selected ? tui_attr(c->t, TUI_ROLE_SELECTED) : 0;
        const char *hint = in->hint;

        if (i == 0 || in->scope != scope) {
            scope = in->scope;
            fmt_fit(name, sizeof(name), sa->spec->name, 40);
            if (scope == ASSUMPTION_SERVICE)
                snprintf(head, sizeof(head), "services[%s]", name);
            else if (scope == ASSUMPTION_LANGUAGE)
                snprintf(head, sizeof(head), "languages.%s", sa->lang ? sa->lang->name : "?");
            else if (scope == ASSUMPTION_ECONOMICS)
                snprintf(head, sizeof(head), "economics (every service)");
            else
                snprintf(head, sizeof(head), "economics.learning_curve.%s (every '%s' team)",
                         experience_name(sa->spec->experience),
                         experience_name(sa->spec->experience));
            ui_pen_text(p, 2, head, TUI_ROLE_DIM);
        }
        c->in_line[i] = p->line;
        y = ui_pen_row(p);
        c->in_y[i] = y;
        if (y < 0)
            continue;
        have = cost_input_value(s, sa, in, value, sizeof(value)) == 0;
        if (!have) {
            snprintf(value, sizeof(value), "-");
            hint = "unknown language: no profile to edit";
        } else if (in->unset_hint != NULL &&
                   !assumption_is_set(in, cost_input_base(in, s, sa))) {
            hint = in->unset_hint;
        }
        if (selected && c->editing)
            hint = "<- editing (Enter sets, Esc cancels)";
        /* the origin beside the value, then what the value means */
        cost_input_origin(s, sa, in, origin, sizeof(origin));
        snprintf(note, sizeof(note), "[%s] %s", origin, hint);
        hint = note;
        if (selected)
            tui_text(y, p->x + 2, p->w - 3, "", attr, 0, 1);
        tui_text(y, p->x + 3, 24, in->key, attr, 0, 0);
        tui_text(y, p->x + 28, vw, value, attr | A_BOLD, 0, 0);
        tui_text(y, p->x + 29 + vw, p->w - 30 - vw, hint,
                 selected ? attr : tui_attr(c->t, TUI_ROLE_DIM), 0, 0);
        if (selected && c->error[0] != '\0')
            pen_wrap(p, 5, c->error, TUI_ROLE_ERROR);
    }
}

/* Chart rows under a label column: top and bottom of the scale at the left. */
static void cost_chart_rows(struct cost *c, struct ui_pen *p, int height, int width,
                            const char *top, const char *bottom, enum tui_role role)
{
    int i;

    for (i = 0; i < height; i++) {
        int y = ui_pen_row(p);

        if (y < 0)
            continue;
        if (i == 0 || i == height - 1)
            tui_text(y, p->x + 1, 9, i == 0 ? top : bottom, tui_attr(c->t, TUI_ROLE_DIM), 1,
                     0);
        tui_text(y, p->x + 11, width, c->rows[i], tui_attr(c->t, role), 0, 0);
    }
}

/* A line under a chart: left text, right text at the chart's ends. */
static void cost_axis(struct ui_pen *p, int width, const char *left, const char *right)
{
    int y = ui_pen_row(p), rw = tui_width(right);

    if (y < 0)
        return;
    tui_text(y, p->x + 11, width, left, tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
    if (rw < width - tui_width(left))
        tui_text(y, p->x + 11 + width - rw, rw, right, tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
}

static void cost_cash_flow(struct cost *c, struct ui_pen *p, const struct session *s,
                           const struct service_analysis *sa, int height)
{
    const struct cost_result *r = &sa->cost;
    const char *cur = s->a.economics.currency;
    char *rows[COST_MAX_ROWS], top[32], bottom[32], line[160];
    int width = p->w - 13, i;
    double lo, hi;

    if (width > COST_MAX_COLS)
        width = COST_MAX_COLS;
    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    if (r->break_even_month > 0)
        snprintf(line, sizeof(line), "CUMULATIVE CASH FLOW  (break-even month %d marked, "
                 "zero line drawn)", r->break_even_month);
    else
        snprintf(line, sizeof(line), "CUMULATIVE CASH FLOW  (no break-even within %d months)",
                 sa->cost_in.horizon_months);
    if (!analysis_has_figures(sa))
        snprintf(line, sizeof(line), "CUMULATIVE CASH FLOW");
    ui_pen_text(p, 1, line, TUI_ROLE_HEADER);
    if (!analysis_has_figures(sa)) {
        ui_pen_text(p, 2, "none without enough measured data", TUI_ROLE_DIM);
        return;
    }
    if (r->n_months < 2 || width < 10) {
        ui_pen_text(p, 2, "too few months to draw", TUI_ROLE_DIM);
        return;
    }
    for (i = 0; i < height; i++)
        rows[i] = c->rows[i];
    textchart_line(rows, COST_ROWLEN, height, width, r->cumulative, (size_t)r->n_months, NAN,
                  NAN, r->break_even_month > 0 ? (long)r->break_even_month - 1 : -1,
                  tui_glyphs(c->t), &lo, &hi);
    cost_chart_rows(c, p, height, width, fmt_money_short(top, sizeof(top), cur, hi),
                    fmt_money_short(bottom, sizeof(bottom), cur, lo), TUI_ROLE_BAR);
    snprintf(top, sizeof(top), "month %d", r->n_months);
    cost_axis(p, width, "month 1", top);
}

static void cost_monte_carlo(struct cost *c, struct ui_pen *p, const struct session *s,
                             const struct service_analysis *sa, int height)
{
    const struct mc_result *mc = &sa->mc;
    const char *cur = s->a.economics.currency;
    char *rows[COST_MAX_ROWS], a[32], b[32], d[32], e[32], m[32], line[256];
    int width = p->w - 13, i;

    if (width > COST_MAX_COLS)
        width = COST_MAX_COLS;
    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    snprintf(line, sizeof(line), "MONTE CARLO  (%s draws of every range; NPV histogram)",
             fmt_money(a, sizeof(a), "", (double)mc->draws));
    ui_pen_text(p, 1, line, TUI_ROLE_HEADER);
    if (!analysis_has_figures(sa)) {
        ui_pen_text(p, 2, "none without enough measured data", TUI_ROLE_DIM);
        return;
    }
    if (mc->draws == 0) {
        ui_pen_text(p, 2, "no draws", TUI_ROLE_DIM);
        return;
    }
    snprintf(line, sizeof(line), "P10 %s   P50 %s   P90 %s   mean %s   P(NPV > 0) %s",
             fmt_money_short(a, sizeof(a), cur, mc->npv_p10),
             fmt_money_short(b, sizeof(b), cur, mc->npv_p50),
             fmt_money_short(d, sizeof(d), cur, mc->npv_p90),
             fmt_money_short(m, sizeof(m), cur, mc->npv_mean),
             fmt_percent(e, sizeof(e), mc->probability_positive, 0));
    ui_pen_text(p, 2, line, TUI_ROLE_NORMAL);
    if (width < 10)
        return;
    for (i = 0; i < height; i++)
        rows[i] = c->rows[i];
    textchart_histogram(rows, COST_ROWLEN, height, width, mc->histogram, MC_HISTOGRAM_BINS,
                 tui_glyphs(c->t));
    cost_chart_rows(c, p, height, width, "", "", TUI_ROLE_BAR);
    fmt_money_short(a, sizeof(a), cur, mc->npv_min);
    fmt_money_short(b, sizeof(b), cur, mc->npv_max);
    cost_axis(p, width, a, b);
}

/* Two-sided bars around the likely NPV: left as far as the lower of the
 * NPVs at the input's low and high, right as far as the higher. */
static void cost_tornado(struct cost *c, struct ui_pen *p, const struct session *s,
                         const struct service_analysis *sa, size_t max_rows)
{
    const char *cur = s->a.economics.currency;
    double likely = sa->cost.npv, scale = 0;
    char bar[COST_ROWLEN], a[32], line[256];
    int bw = (p->w - 46) / 2, nw = 22;
    size_t i, n = 0;

    ui_pen_text(p, 0, "", TUI_ROLE_NORMAL);
    snprintf(line, sizeof(line), "TORNADO  (NPV at each input's low and high, the rest at "
             "likely; centre %s)", fmt_money_short(a, sizeof(a), cur, likely));
    pen_wrap(p, 1, line, TUI_ROLE_HEADER);
    if (!analysis_has_figures(sa)) {
        ui_pen_text(p, 2, "none without enough measured data", TUI_ROLE_DIM);
        return;
    }
    if (sa->provisional) {
        ui_pen_text(p, 2, "computed after the first figures: a moment ...", TUI_ROLE_DIM);
        return;
    }
    for (i = 0; i < sa->n_tornado && n < max_rows; i++, n++) {
        const struct tornado_entry *te = &sa->tornado[i];
        double lo = fmin(te->npv_at_low, te->npv_at_high);
        double hi = fmax(te->npv_at_low, te->npv_at_high);

        if (te->swing < 0.5)
            break;      /* sorted: the rest move NPV by less than a unit */
        scale = fmax(scale, fmax(likely - lo, hi - likely));
    }
    if (n == 0 || bw < 3) {
        ui_pen_text(p, 2, "no input is a range: nothing moves NPV", TUI_ROLE_DIM);
        return;
    }
    if (bw > COST_MAX_COLS / 2)
        bw = COST_MAX_COLS / 2;
    for (i = 0; i < n; i++) {
        const struct tornado_entry *te = &sa->tornado[i];
        double lo = fmin(te->npv_at_low, te->npv_at_high);
        double hi = fmax(te->npv_at_low, te->npv_at_high);
        int y = ui_pen_row(p), left = 0, x = p->x + 2;

        if (y < 0)
            continue;
        tui_text(y, x, nw, cost_param_name(te->param), 0, 0, 0);
        x += nw + 1;
        tui_text(y, x, 9, fmt_money_short(a, sizeof(a), cur, lo), 0, 1, 0);
        x += 10;
        /* the left side in whole columns, so that it ends at the centre */
        if (scale > 0 && likely - lo > 0)
            left = (int)floor((likely - lo) / scale * bw + 0.5);
        if (left > 0) {
            textchart_bar(bar, sizeof(bar), left, left, left, tui_glyphs(c->t));
            tui_text(y, x + bw - left, left, bar, tui_attr(c->t, TUI_ROLE_FLAG), 0, 0);
        }
        x += bw;
        tui_text(y, x, 1, tui_glyphs(c->t) == UI_GLYPHS_ASCII ? "|" : "\xe2\x94\x82",
                 tui_attr(c->t, TUI_ROLE_DIM), 0, 0);
        x += 1;
        textchart_bar(bar, sizeof(bar), hi - likely, scale, bw, tui_glyphs(c->t));
        tui_text(y, x, bw, bar, tui_attr(c->t, TUI_ROLE_MIGRATE), 0, 0);
        x += bw + 1;
        tui_text(y, x, 9, fmt_money_short(a, sizeof(a), cur, hi), 0, 0, 0);
    }
}

static int cost_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Every section, in one column or two; returns the content lines. */
static int cost_layout(struct cost *c, const struct session *s,
                       const struct service_analysis *sa, const struct screen_rect *r,
                       int y0, int h)
{
    struct ui_pen left, right;
    int wide = r->w >= COST_WIDE, ch, hh;
    size_t tornado_rows;

    memset(&left, 0, sizeof(left));
    left.t = c->t;
    left.x = r->x;
    left.w = wide ? r->w / 2 : r->w;
    left.y0 = y0;
    left.h = h;
    left.top = c->top;
    right = left;
    if (wide) {
        right.x = r->x + left.w + 1;
        right.w = r->w - left.w - 1;
        /* the charts share what the tornado leaves of the column */
        tornado_rows = sa->n_tornado;
        ch = cost_clamp((h - (int)tornado_rows - 12) * 55 / 100, 6, COST_MAX_ROWS);
        hh = cost_clamp(h - (int)tornado_rows - 12 - ch, 4, COST_MAX_ROWS);
    } else {
        tornado_rows = h >= 30 ? COST_PARAM_COUNT : 8;
        ch = cost_clamp(h / 3, 6, 20);
        hh = cost_clamp(h / 4, 4, 16);
    }
    cost_equation(&left, s, sa);
    cost_input_list(c, &left, s, sa);
    if (!wide)
        right.line = left.line;
    cost_cash_flow(c, &right, s, sa, ch);
    cost_monte_carlo(c, &right, s, sa, hh);
    cost_tornado(c, &right, s, sa, tornado_rows);
    return left.line > right.line ? left.line : right.line;
}

static void cost_draw(void *st, struct tui *t, const struct screen_rect *r)
{
    struct cost *c = st;
    struct session *s = tui_session(t);
    const struct service_analysis *sa = cost_find(c, NULL);
    const char *cur = s->a.economics.currency;
    char name[256], line[512], a[48], b[48], d[48];
    int y0 = r->y + 2, h = r->h - 2, sel_line, max_top, top, i;

    if (sa == NULL) {
        tui_text(r->y + 1, r->x + 2, r->w - 2, "no service selected: pick one in the list "
                 "(1), or :service NAME", tui_attr(t, TUI_ROLE_DIM), 0, 0);
        return;
    }
    /* two fixed lines: who, and the answer (so every edit shows its effect) */
    fmt_fit(name, sizeof(name), sa->spec->name, r->w / 2);
    tui_text(r->y, r->x + 1, r->w - 1, name, A_BOLD, 0, 0);
    snprintf(line, sizeof(line), "#%d  %s  (n/p: next/previous service)", sa->rank,
             recommendation_name(sa->recommendation));
    tui_text(r->y, r->x + 2 + tui_width(name), r->w - 2 - tui_width(name), line,
             tui_attr(t, tui_role_of((int)sa->recommendation)), 0, 0);
    if (sa->cost.break_even_month > 0)
        snprintf(d, sizeof(d), "month %d", sa->cost.break_even_month);
    else
        snprintf(d, sizeof(d), "never");
    snprintf(line, sizeof(line), "NPV at likely values %s  break-even %s  ROI %s  "
             "P(NPV > 0) %s",
             fmt_money(a, sizeof(a), cur, sa->cost.npv), d,
             isfinite(sa->cost.roi) ? (snprintf(name, sizeof(name), "%.0f%%",
                                                100 * sa->cost.roi), name) : "-",
             fmt_percent(b, sizeof(b), sa->mc.probability_positive, 0));
    if (!analysis_has_figures(sa))
        snprintf(line, sizeof(line), "no NPV, break-even, ROI or P(NPV > 0): not enough "
                 "measured data");
    tui_text(r->y + 1, r->x + 1, r->w - 1, line, A_BOLD, 0, 0);

    c->lines = cost_layout(c, s, sa, r, y0, h);
    c->height = h;
    /* the scroll is only known now: keep it in range (End before the first
     * draw, a resize), bring the selection into view, and paint again if it
     * moved (cheap: no model work) */
    max_top = c->lines > h ? c->lines - h : 0;
    sel_line = c->in_line[c->sel];
    top = c->top;
    if (c->follow && (sel_line < top || sel_line >= top + h))
        top = sel_line < top ? sel_line - 1 : sel_line - h + 1;
    top = cost_clamp(top, 0, max_top);
    if (top != c->top) {
        c->top = top;
        for (i = 0; i < h; i++)
            mvhline(y0 + i, r->x, ' ', r->w);
        c->lines = cost_layout(c, s, sa, r, y0, h);
    }
    c->follow = 0;
}

/* --- keys ------------------------------------------------------------- */

static void cost_edit_done(void *arg, struct tui *t, const char *text,
                           enum tui_prompt_event ev)
{
    struct cost *c = arg;
    struct session *s = tui_session(t);
    const struct service_analysis *sa;
    const char *cur = s->a.economics.currency;
    char err[512], a[48], b[48];
    double before;

    if (ev == TUI_PROMPT_CHANGE)
        return;
    c->editing = 0;
    if (ev == TUI_PROMPT_CANCEL)
        return;
    if (strcmp(text, c->edit_old) == 0) {
        tui_message(t, 0, "%s unchanged", c->edit_path);
        return;
    }
    sa = cost_find(c, NULL);
    before = sa != NULL ? sa->cost.npv : NAN;
    if (session_set(s, c->edit_path, text, err, sizeof(err)) != 0) {
        /* the status line may cut it: the screen shows it whole too */
        tui_message(t, 1, "not changed: %s", err);
        snprintf(c->error, sizeof(c->error), "not changed: %s", err);
        c->follow = 1;
        return;
    }
    sa = cost_find(c, NULL);
    tui_message(t, 0, "%s = %s: NPV %s -> %s (u undoes)", c->inputs[c->sel]->key, text,
                fmt_money_short(a, sizeof(a), cur, before),
                fmt_money_short(b, sizeof(b), cur, sa != NULL ? sa->cost.npv : NAN));
}

static int cost_edit(struct cost *c, struct tui *t)
{
    const struct session *s = tui_session(t);
    const struct service_analysis *sa = cost_find(c, NULL);

    if (sa == NULL)
        return SCREEN_HANDLED;
    if (cost_input_path(sa, c->inputs[c->sel], c->edit_path, sizeof(c->edit_path)) != 0 ||
        cost_input_value(s, sa, c->inputs[c->sel], c->edit_old, sizeof(c->edit_old)) != 0) {
        tui_message(t, 1, "%s: the service's language has no profile to edit",
                    c->inputs[c->sel]->key);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    }
    c->editing = 1;
    c->follow = 1;
    tui_prompt(t, "new value: ", c->edit_old, cost_edit_done, c);
    return SCREEN_HANDLED | SCREEN_REDRAW;
}

/* Move the selection by delta inputs; past either end, scroll instead. */
static void cost_move(struct cost *c, int delta)
{
    if (delta < 0 && c->sel == 0)
        c->top--;
    else if (delta > 0 && c->sel + 1 >= c->n_inputs)
        c->top++;
    else {
        c->sel = (size_t)((int)c->sel + delta);
        c->follow = 1;
    }
}

static void cost_mouse(struct cost *c, struct tui *t)
{
    unsigned long bstate;
    int y, x;
    size_t i;

    if (tui_mouse(t, &y, &x, &bstate) != 0)
        return;
    if (bstate & BUTTON4_PRESSED) {
        c->top -= 3;
    } else if (bstate & BUTTON5_PRESSED) {
        c->top += 3;
    } else if (bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
        for (i = 0; i < c->n_inputs; i++)
            if (c->in_y[i] == y && y >= 0)
                c->sel = i;
    }
}

static int cost_key(void *st, struct tui *t, int key)
{
    struct cost *c = st;
    const struct analysis *an = &tui_session(t)->an;
    size_t idx = 0;
    int max_top = c->lines > c->height ? c->lines - c->height : 0, old = c->top;
    size_t old_sel = c->sel;

    c->error[0] = '\0';
    switch (tui_key_action(cost_keys, COST_N_KEYS, key)) {
    case C_UP:
        cost_move(c, -1);
        break;
    case C_DOWN:
        cost_move(c, 1);
        break;
    case C_PGUP:
        c->top -= c->height > 1 ? c->height - 1 : 1;
        break;
    case C_PGDN:
        c->top += c->height > 1 ? c->height - 1 : 1;
        break;
    case C_HOME:
        c->top = 0;
        c->sel = 0;
        break;
    case C_END:
        c->top = INT_MAX / 2;   /* the draw knows the bottom */
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case C_EDIT:
        return cost_edit(c, t);
    case C_MOUSE:
        cost_mouse(c, t);
        break;
    case C_NEXT:
    case C_PREV:
        /* the analysis is sorted by rank */
        if (cost_find(c, &idx) == NULL || an->n_services == 0)
            return SCREEN_HANDLED;
        idx = key == 'n' ? (idx + 1) % an->n_services
                         : (idx + an->n_services - 1) % an->n_services;
        tui_set_service(t, an->services[idx].spec->name);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
    c->top = cost_clamp(c->top, 0, max_top);
    return c->top != old || c->sel != old_sel || c->follow ? SCREEN_HANDLED | SCREEN_REDRAW
                                                           : SCREEN_HANDLED;
}

static void *cost_init(struct tui *t)
{
    struct cost *c = xcalloc(1, sizeof(*c));
    const struct assumption_field *f;
    size_t i;

    c->t = t;
    for (f = assumption_table; f->key != NULL && c->n_inputs < COST_MAX_INPUTS; f++)
        if (f->flags & ASSUMPTION_COST_INPUT)
            c->inputs[c->n_inputs++] = f;
    for (i = 0; i < COST_MAX_INPUTS; i++)
        c->in_y[i] = -1;
    return c;
}

static void cost_free(void *st)
{
    free(st);
}

const struct screen_ops screen_cost_ops = {
    .name = "Cost",
    .keys = cost_keys,
    .n_keys = COST_N_KEYS,
    .init = cost_init,
    .draw = cost_draw,
    .key = cost_key,
    .free = cost_free,
};
