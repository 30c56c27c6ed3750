/* screen_portfolio.c: the rewrites that fit the engineer-months available, and the rest. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "screen.h"
#include "tui_int.h"
#include "ui_list.h"
#include "verdict/util.h"

enum port_col { COL_NAME, COL_REC, COL_EFFORT, COL_NPV, COL_PAYS, COL_PROB, COL_WHY, COL_COUNT };

/* At 80 columns the probability goes first. */
static const struct ui_column port_columns[COL_COUNT] = {
    [COL_NAME] = { "Service", 16, 0, 0, 0, 0 },
    [COL_REC] = { "Verdict", 8, 0, 0, 0, 0 },
    [COL_EFFORT] = { "Eng-mo", 7, 1, 0, 0, 0 },
    [COL_NPV] = { "NPV", 9, 1, 0, 0, 0 },
    [COL_PAYS] = { "Pays", 6, 1, 0, 0, 0 },
    [COL_PROB] = { "P(NPV>0)", 8, 1, 1, 0, 0 },
    [COL_WHY] = { "Why", 28, 0, 0, 1, 0 },
};

enum port_action { PORT_NAV, PORT_OPEN, PORT_EDIT };

static const struct screen_key port_keys[] = {
    UI_LIST_KEYS(PORT_NAV),
    { 'e', "e", "edit the engineer-months available (the plan is chosen again)", PORT_EDIT },
    { '\r', "Enter", "open the selected service in the detail screen", PORT_OPEN },
    { '\n', NULL, NULL, PORT_OPEN }, { KEY_ENTER, NULL, NULL, PORT_OPEN },
};
#define PORT_N_KEYS (sizeof(port_keys) / sizeof(port_keys[0]))

enum port_kind { ROW_SECTION, ROW_SERVICE, ROW_TOTAL, ROW_BLANK };

struct port_row {
    enum port_kind kind;
    size_t svc;                 /* index into the analysis (ROW_SERVICE) */
};

struct port {
    struct tui *t;
    struct ui_list list;
    struct port_row *rows;
    size_t n_rows;
    size_t n_chosen, n_left;
    unsigned generation;
    int built;
};

/* --- rows ------------------------------------------------------------------ */

static void port_push(struct port *p, enum port_kind kind, size_t svc)
{
    p->rows[p->n_rows].kind = kind;
    p->rows[p->n_rows].svc = svc;
    p->n_rows++;
}

/* Chosen services by rank, their total, then the others by rank; the
 * service shared with the other screens stays selected. */
static void port_build(struct port *p)
{
    const struct session *s = tui_session(p->t);
    const struct analysis *an = &s->an;
    const char *keep = tui_service(p->t);
    size_t i, sel = 0;
    int pass;

    p->rows = xrealloc(p->rows, (an->n_services + 5) * sizeof(*p->rows));
    p->n_rows = p->n_chosen = p->n_left = 0;
    for (pass = 1; pass >= 0; pass--) {
        port_push(p, ROW_SECTION, (size_t)pass);
        for (i = 0; i < an->n_services; i++) {
            if ((an->services[i].in_portfolio != 0) != pass)
                continue;
            if (keep != NULL && strcmp(an->services[i].spec->name, keep) == 0)
                sel = p->n_rows;
            port_push(p, ROW_SERVICE, i);
            if (pass)
                p->n_chosen++;
            else
                p->n_left++;
        }
        if (pass) {
            port_push(p, ROW_TOTAL, 0);
            port_push(p, ROW_BLANK, 0);
        }
    }
    if (sel == 0)
        sel = p->n_chosen > 0 ? 1 : 4;
    ui_list_set_rows(&p->list, p->n_rows);
    ui_list_select(&p->list, sel < p->n_rows ? sel : 0);
    p->generation = s->generation;
    p->built = 1;
}

static void port_sync(struct port *p)
{
    if (!p->built || p->generation != tui_session(p->t)->generation)
        port_build(p);
}

static const struct service_analysis *port_service(const struct port *p, size_t row)
{
    if (row >= p->n_rows || p->rows[row].kind != ROW_SERVICE)
        return NULL;
    return &tui_session(p->t)->an.services[p->rows[row].svc];
}

/* Why a service is in the plan or not, as analysis.h decides it. */
static void port_why(const struct analysis *an, const struct service_analysis *sa, char *buf,
                     size_t len)
{
    char need[32], left[32];

    if (sa->in_portfolio) {
        size_t i, k = (size_t)(sa - an->services);

        snprintf(buf, len, "in the plan");
        for (i = 0; an->portfolio.schedule != NULL && i < an->portfolio.n_chosen; i++)
            if (an->portfolio.schedule[i].item == k)
                snprintf(buf, len, "in the plan: months %d-%d",
                         an->portfolio.schedule[i].start_month,
                         an->portfolio.schedule[i].live_month);
    } else if (sa->recommendation == REC_KEEP || sa->recommendation == REC_UNKNOWN) {
        snprintf(buf, len, "not eligible: %s", recommendation_name(sa->recommendation));
    } else if (score_veto_count(&sa->score) > 0) {
        size_t i, n = 0;

        snprintf(buf, len, "not eligible: veto");
        for (i = 0; i < sa->score.n_flags; i++) {
            const struct flag_result *fl = &sa->score.flags[i];
            size_t at = strlen(buf);

            if (fl->kind != FLAG_KIND_VETO || fl->flag == FLAG_NOT_ENOUGH_DATA || at + 1 >= len)
                continue;
            snprintf(buf + at, len - at, "%s%s", n++ ? ", " : " ", red_flag_name(fl->flag));
        }
    } else if (!an->capacity_set && sa->recommendation != REC_MIGRATE) {
        snprintf(buf, len, "not eligible: consider (no capacity set: migrate only)");
    } else if (!(sa->mc.npv_mean > 0)) {
        snprintf(buf, len, "mean NPV <= 0");
    } else {
        snprintf(need, sizeof(need), "%.1f", sa->effort.engineer_months.likely);
        snprintf(left, sizeof(left), "%.1f", an->portfolio.capacity);
        snprintf(buf, len, "does not fit: needs %s (+ velocity loss), %s a quarter", need,
                 left);
    }
}

/* --- drawing --------------------------------------------------------------- */

static void port_cell(void *arg, size_t row, int col, char *buf, size_t len, int *role)
{
    struct port *p = arg;
    const struct session *s = tui_session(p->t);
    const struct analysis *an = &s->an;
    const struct service_analysis *sa = port_service(p, row);
    const char *cur = s->a.economics.currency;

    if (p->rows[row].kind == ROW_SECTION) {
        if (col == COL_NAME)
            snprintf(buf, len, p->rows[row].svc ? "In the plan (%zu)" : "Left out (%zu)",
                     p->rows[row].svc ? p->n_chosen : p->n_left);
        *role = TUI_ROLE_HEADER;
        return;
    }
    if (p->rows[row].kind == ROW_TOTAL) {
        *role = TUI_ROLE_HEADER;
        if (col == COL_NAME)
            snprintf(buf, len, "Total");
        else if (col == COL_EFFORT)
            snprintf(buf, len, "%.1f", an->portfolio.engineer_months);
        else if (col == COL_NPV)
            fmt_money_short(buf, len, cur, an->portfolio.npv);
        else if (col == COL_WHY && an->capacity_set)
            snprintf(buf, len, "mean NPV; effort + velocity loss, %.1f a quarter",
                     an->portfolio.capacity);
        return;
    }
    if (sa == NULL)
        return;
    switch ((enum port_col)col) {
    case COL_NAME:
        util_sanitize(buf, len, sa->spec->name);
        break;
    case COL_REC:
        snprintf(buf, len, "%s", recommendation_name(sa->recommendation));
        *role = (int)tui_role_of((int)sa->recommendation);
        break;
    case COL_EFFORT:
        snprintf(buf, len, "%.1f", sa->effort.engineer_months.likely);
        break;
    case COL_NPV:
        fmt_money_short(buf, len, cur, sa->cost.npv);
        break;
    case COL_PAYS:
        fmt_pays(buf, len, sa->cost.break_even_month, analysis_has_figures(sa));
        break;
    case COL_PROB:
        fmt_percent(buf, len, sa->mc.probability_positive, 0);
        break;
    case COL_WHY:
        port_why(an, sa, buf, len);
        if (!sa->in_portfolio)
            *role = TUI_ROLE_DIM;
        break;
    default:
        break;
    }
}

static void port_draw(void *st, struct tui *t, const struct screen_rect *r)
{
    struct port *p = st;
    const struct session *s = tui_session(t);
    const struct analysis *an = &s->an;
    struct screen_rect lr = *r;
    char line[256], npv[32], p10[32], p50[32], p90[32];

    port_sync(p);
    if (an->capacity_set)
        snprintf(line, sizeof(line), "Engineer-months available: %g a quarter    (e edits)",
                 an->portfolio.capacity);
    else
        snprintf(line, sizeof(line), "Engineer-months available: not set: every migrate "
                 "candidate    (e sets)");
    tui_text(r->y, r->x + 1, r->w - 1, line, tui_attr(t, TUI_ROLE_NORMAL), 0, 0);
    fmt_money_short(npv, sizeof(npv), s->a.economics.currency, an->portfolio.npv);
    fmt_money_short(p10, sizeof(p10), s->a.economics.currency, an->portfolio.npv_p10);
    fmt_money_short(p50, sizeof(p50), s->a.economics.currency, an->portfolio.npv_p50);
    fmt_money_short(p90, sizeof(p90), s->a.economics.currency, an->portfolio.npv_p90);
    snprintf(line, sizeof(line), "Plan: %zu rewrite%s, %.1f engineer-months, mean NPV %s "
             "(P10 %s, P50 %s, P90 %s)", an->portfolio.n_chosen,
             an->portfolio.n_chosen == 1 ? "" : "s", an->portfolio.engineer_months, npv, p10,
             p50, p90);
    tui_text(r->y + 1, r->x + 1, r->w - 1, line, tui_attr(t, TUI_ROLE_HEADER), 0, 0);
    lr.y += 3;
    lr.h -= 3;
    ui_list_draw(&p->list, t, &lr, port_cell, p);
}

/* --- keys ------------------------------------------------------------------ */

static void port_publish(struct port *p)
{
    const struct service_analysis *sa = port_service(p, p->list.sel);

    if (sa != NULL)
        tui_set_service(p->t, sa->spec->name);
}

/* After a move, step off section, total and blank rows the way it went. */
static void port_skip(struct port *p, size_t old)
{
    size_t i = p->list.sel;
    int down = i >= old;

    while (i < p->n_rows && port_service(p, i) == NULL) {
        if (down ? i + 1 >= p->n_rows : i == 0)
            break;
        i = down ? i + 1 : i - 1;
    }
    if (port_service(p, i) == NULL) {
        /* nothing that way: the nearest service the other way */
        i = p->list.sel;
        while (i < p->n_rows && port_service(p, i) == NULL && (down ? i > 0 : 1))
            i = down ? i - 1 : i + 1;
    }
    if (port_service(p, i) != NULL)
        ui_list_select(&p->list, i);
}

/* The loader's message without its "FILE:LINE:COL: " prefix. */
static const char *port_reason(const struct session *s, const char *err)
{
    size_t n = strlen(s->config_name);

    if (strncmp(err, s->config_name, n) != 0 || err[n] != ':')
        return err;
    err += n + 1;
    err += strspn(err, "0123456789:");
    return err + strspn(err, " ");
}

static void port_edit_done(void *arg, struct tui *t, const char *text, enum tui_prompt_event ev)
{
    char err[512];

    (void)arg;
    if (ev != TUI_PROMPT_ACCEPT)
        return;
    text += strspn(text, " ");
    if (text[0] == '\0') {
        tui_message(t, 1, "not changed: type a number of engineer-months (Esc cancels)");
        return;
    }
    if (session_set(tui_session(t), "economics.engineer_months_available", text, err,
                    sizeof(err)) != 0) {
        tui_message(t, 1, "not changed: %s", port_reason(tui_session(t), err));
        return;
    }
    tui_message(t, 0, "engineer_months_available = %s (u undoes, w saves)", text);
}

static int port_key(void *st, struct tui *t, int key)
{
    struct port *p = st;
    const struct analysis *an = &tui_session(t)->an;
    size_t old;
    char cur[32];
    int flags;

    port_sync(p);
    switch (tui_key_action(port_keys, PORT_N_KEYS, key)) {
    case PORT_NAV:
        old = p->list.sel;
        flags = ui_list_key(&p->list, t, key);
        if (p->list.sel != old || key == KEY_MOUSE)
            port_skip(p, old);
        port_publish(p);
        return flags;
    case PORT_OPEN:
        if (port_service(p, p->list.sel) == NULL)
            return SCREEN_HANDLED;
        port_publish(p);
        return SCREEN_HANDLED | SCREEN_OPEN | SCREEN_REDRAW;
    case PORT_EDIT:
        if (an->capacity_set)
            snprintf(cur, sizeof(cur), "%g", an->portfolio.capacity);
        else
            cur[0] = '\0';
        tui_prompt(t, "eng-months: ", cur, port_edit_done, p);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
}

static void *port_init(struct tui *t)
{
    struct port *p = xcalloc(1, sizeof(*p));

    p->t = t;
    ui_list_init(&p->list, port_columns, COL_COUNT);
    port_build(p);
    return p;
}

static void port_free(void *st)
{
    struct port *p = st;

    if (p == NULL)
        return;
    free(p->rows);
    free(p);
}

const struct screen_ops screen_portfolio_ops = {
    .name = "Portfolio",
    .keys = port_keys,
    .n_keys = PORT_N_KEYS,
    .init = port_init,
    .draw = port_draw,
    .key = port_key,
    .free = port_free,
};
