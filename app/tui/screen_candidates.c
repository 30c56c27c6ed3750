/* screen_candidates.c: the ranked table of candidates: sort, filter, open. */
#include <curses.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verdict/format.h"
#include "screen.h"
#include "tui_int.h"
#include "verdict/textchart.h"
#include "ui_list.h"
#include "verdict/util.h"

enum cand_col {
    COL_RANK, COL_NAME, COL_LANG, COL_WORKLOAD, COL_SCORE, COL_BAR, COL_REC, COL_P99,
    COL_SPARK, COL_CPU, COL_MEM, COL_NPV, COL_PAYS, COL_COUNT
};

/* Widths in display columns; at 80 columns the sparkline goes first, then
 * the score bar, the workload, memory and CPU. */
static const struct ui_column cand_columns[COL_COUNT] = {
    [COL_RANK] = { "#", 4, 1, 0, 0, 0 },
    [COL_NAME] = { "Service", 12, 0, 0, 1, 40 },
    [COL_LANG] = { "Lang", 7, 0, 0, 0, 0 },
    [COL_WORKLOAD] = { "Workload", 16, 0, 3, 0, 0 },
    [COL_SCORE] = { "Score", 6, 1, 0, 0, 0 },
    [COL_BAR] = { "", 10, 0, 2, 0, 0 },
    [COL_REC] = { "Verdict", 8, 0, 0, 0, 0 },
    [COL_P99] = { "p99", 7, 1, 0, 0, 0 },
    [COL_SPARK] = { "p99 over range", 14, 0, 1, 0, 0 },
    [COL_CPU] = { "CPU", 6, 1, 5, 0, 0 },
    [COL_MEM] = { "Mem", 8, 1, 4, 0, 0 },
    [COL_NPV] = { "NPV", 8, 1, 0, 0, 0 },
    [COL_PAYS] = { "Pays", 5, 1, 0, 0, 0 },
};

/* What `s` cycles through, its `:sort` names, and whether it starts
 * descending (bigger first). */
static const struct {
    enum cand_col col;
    const char *name;
    const char *alias;
    int desc;
} cand_sorts[] = {
    { COL_RANK, "rank", "#", 0 },
    { COL_NAME, "service", "name", 0 },
    { COL_LANG, "language", "lang", 0 },
    { COL_WORKLOAD, "workload", NULL, 0 },
    { COL_SCORE, "score", NULL, 1 },
    { COL_REC, "recommendation", "verdict", 0 },
    { COL_P99, "p99", "latency", 1 },
    { COL_CPU, "cpu", NULL, 1 },
    { COL_MEM, "memory", "mem", 1 },
    { COL_NPV, "npv", NULL, 1 },
    { COL_PAYS, "break-even", "pays", 0 },
};
#define CAND_N_SORTS (sizeof(cand_sorts) / sizeof(cand_sorts[0]))

enum cand_action { CAND_NAV, CAND_OPEN, CAND_SORT, CAND_REVERSE, CAND_FILTER, CAND_CLEAR };

static const struct screen_key cand_keys[] = {
    UI_LIST_KEYS(CAND_NAV),
    { '\r', "Enter", "open the selected service in the detail screen", CAND_OPEN },
    { '\n', NULL, NULL, CAND_OPEN }, { KEY_ENTER, NULL, NULL, CAND_OPEN },
    { 'l', NULL, NULL, CAND_OPEN }, { KEY_RIGHT, NULL, NULL, CAND_OPEN },
    { 's', "s", "sort by the next column (:sort COLUMN picks one)", CAND_SORT },
    { 'S', "S", "reverse the sort order", CAND_REVERSE },
    { '/', "/", "filter by name, language or verdict (substring, any case)", CAND_FILTER },
    { 27, "Esc", "clear the filter", CAND_CLEAR },
};

struct cand {
    struct tui *t;
    struct ui_list list;
    size_t *rows;                   /* indices into the analysis, filtered and sorted */
    size_t n_rows;
    unsigned generation;
    unsigned service_serial;
    int built;
    size_t sort;                    /* index into cand_sorts */
    int reverse;
    char filter[256];
};

/* --- rows ------------------------------------------------------------ */

static const char *cand_language(const struct service_analysis *sa)
{
    const char *l = sa->lang != NULL ? sa->lang->name : sa->spec->language;

    return l[0] != '\0' ? l : "?";
}

/* ASCII case-insensitive substring search. */
static int cand_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return 1;
    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

static int cand_matches(const struct cand *c, const struct service_analysis *sa)
{
    return cand_contains(sa->spec->name, c->filter) ||
           cand_contains(cand_language(sa), c->filter) ||
           cand_contains(recommendation_name(sa->recommendation), c->filter);
}

/* qsort has no context argument: the sort in progress. */
static const struct cand *cand_sorting;

static double cand_num(const struct service_analysis *sa, enum cand_col col)
{
    switch (col) {
    case COL_SCORE:
        return sa->score.score;
    case COL_P99:
        return sa->metrics.have_latency ? sa->metrics.p99_s : NAN;
    case COL_CPU:
        return sa->metrics.have_cpu ? sa->metrics.cpu_cores_p95 : NAN;
    case COL_MEM:
        return sa->metrics.have_memory ? sa->metrics.memory_bytes_p95 : NAN;
    case COL_NPV:
        return sa->cost.npv;
    case COL_PAYS:
        return sa->cost.break_even_month > 0 ? sa->cost.break_even_month : NAN;
    default:
        return sa->rank;
    }
}

/* Missing values (NaN, "never") go last whatever the direction. */
static int cand_compare(const void *pa, const void *pb)
{
    const struct cand *c = cand_sorting;
    const struct analysis *an = &tui_session(c->t)->an;
    const struct service_analysis *a = &an->services[*(const size_t *)pa];
    const struct service_analysis *b = &an->services[*(const size_t *)pb];
    enum cand_col col = cand_sorts[c->sort].col;
    int desc = cand_sorts[c->sort].desc ^ c->reverse, r = 0;

    switch (col) {
    case COL_NAME:
        r = strcmp(a->spec->name, b->spec->name);
        break;
    case COL_LANG:
        r = strcasecmp(cand_language(a), cand_language(b));
        break;
    case COL_WORKLOAD:
        r = strcmp(workload_name(a->spec->workload), workload_name(b->spec->workload));
        break;
    case COL_REC:
        r = (int)a->recommendation - (int)b->recommendation;
        break;
    default: {
        double x = cand_num(a, col), y = cand_num(b, col);

        if (isnan(x) || isnan(y))
            return isnan(x) - isnan(y) != 0 ? isnan(x) - isnan(y) : a->rank - b->rank;
        r = x < y ? -1 : x > y;
        break;
    }
    }
    if (desc)
        r = -r;
    return r != 0 ? r : a->rank - b->rank;
}

/* Filter and sort again, keeping the selected service selected. */
static void cand_build(struct cand *c)
{
    const struct session *s = tui_session(c->t);
    const struct analysis *an = &s->an;
    const char *keep = tui_service(c->t);
    size_t i, sel = 0;

    c->rows = xrealloc(c->rows, (an->n_services ? an->n_services : 1) * sizeof(*c->rows));
    c->n_rows = 0;
    for (i = 0; i < an->n_services; i++)
        if (cand_matches(c, &an->services[i]))
            c->rows[c->n_rows++] = i;
    cand_sorting = c;
    qsort(c->rows, c->n_rows, sizeof(*c->rows), cand_compare);
    cand_sorting = NULL;
    for (i = 0; keep != NULL && i < c->n_rows; i++) {
        if (strcmp(an->services[c->rows[i]].spec->name, keep) == 0) {
            sel = i;
            break;
        }
    }
    ui_list_set_rows(&c->list, c->n_rows);
    ui_list_select(&c->list, sel);
    c->list.sort_col = (int)cand_sorts[c->sort].col;
    c->list.sort_desc = cand_sorts[c->sort].desc ^ c->reverse;
    c->generation = s->generation;
    c->service_serial = tui_service_serial(c->t);
    c->built = 1;
}

/* The service under the selection becomes the one the screens share. */
static void cand_publish(struct cand *c)
{
    const struct analysis *an = &tui_session(c->t)->an;

    if (c->n_rows == 0)
        return;
    tui_set_service(c->t, an->services[c->rows[c->list.sel]].spec->name);
    c->service_serial = tui_service_serial(c->t);
}

static void cand_sync(struct cand *c)
{
    if (!c->built || c->generation != tui_session(c->t)->generation ||
        c->service_serial != tui_service_serial(c->t))
        cand_build(c);
}

/* --- drawing ---------------------------------------------------------- */

static void cand_cell(void *arg, size_t row, int col, char *buf, size_t len, int *role)
{
    struct cand *c = arg;
    const struct session *s = tui_session(c->t);
    const struct service_analysis *sa = &s->an.services[c->rows[row]];
    const char *cur = s->a.economics.currency;
    const struct signal_data *p99 =
        sa->data != NULL ? &sa->data->signals[SIGNAL_P99_LATENCY] : NULL;

    switch ((enum cand_col)col) {
    case COL_RANK:
        snprintf(buf, len, "%d", sa->rank);
        break;
    case COL_NAME:
        util_sanitize(buf, len, sa->spec->name);
        break;
    case COL_LANG:
        util_sanitize(buf, len, cand_language(sa));
        break;
    case COL_WORKLOAD:
        snprintf(buf, len, "%s", workload_name(sa->spec->workload));
        break;
    case COL_SCORE:
        fmt_score(buf, len, sa->score.score);
        break;
    case COL_BAR:
        textchart_bar(buf, len, sa->score.score, 100, c->list.widths[COL_BAR], tui_glyphs(c->t));
        *role = TUI_ROLE_BAR;
        break;
    case COL_REC:
        /* the word is always there: colour is a second cue, not the only one */
        snprintf(buf, len, "%s", recommendation_name(sa->recommendation));
        *role = (int)tui_role_of((int)sa->recommendation);
        break;
    case COL_P99:
        if (sa->metrics.have_latency)
            fmt_latency(buf, len, sa->metrics.p99_s);
        else
            snprintf(buf, len, "-");
        break;
    case COL_SPARK:
        if (p99 != NULL && p99->present && p99->chart.n > 0)
            textchart_sparkline(buf, len, p99->chart.mean, p99->chart.n, c->list.widths[COL_SPARK],
                         tui_glyphs(c->t));
        *role = TUI_ROLE_BAR;
        break;
    case COL_CPU:
        if (sa->metrics.have_cpu)
            snprintf(buf, len, "%.3g", sa->metrics.cpu_cores_p95);
        else
            snprintf(buf, len, "-");
        break;
    case COL_MEM:
        if (sa->metrics.have_memory)
            fmt_bytes(buf, len, sa->metrics.memory_bytes_p95);
        else
            snprintf(buf, len, "-");
        break;
    case COL_NPV:
        fmt_money_short(buf, len, cur, sa->cost.npv);
        break;
    case COL_PAYS:
        fmt_pays(buf, len, sa->cost.break_even_month, analysis_has_figures(sa));
        break;
    default:
        break;
    }
}

static void cand_draw(void *st, struct tui *t, const struct screen_rect *r)
{
    struct cand *c = st;
    struct screen_rect lr = *r;
    char line[512];

    cand_sync(c);
    /* one summary line above the table */
    if (c->filter[0] != '\0')
        snprintf(line, sizeof(line), "%zu of %zu services match '%s'  (Esc clears)",
                 c->n_rows, tui_session(t)->an.n_services, c->filter);
    else
        snprintf(line, sizeof(line), "%zu services, sorted by %s%s  (s sort, / filter, "
                 "Enter open, ? help)", c->n_rows, cand_sorts[c->sort].name,
                 c->reverse ? " (reversed)" : "");
    tui_text(r->y, r->x + 1, r->w - 1, line, tui_attr(t, TUI_ROLE_DIM), 0, 0);
    lr.y++;
    lr.h--;
    if (c->n_rows == 0) {
        ui_list_draw(&c->list, t, &lr, cand_cell, c);
        tui_text(lr.y + 2, lr.x + 2, lr.w - 2,
                 c->filter[0] ? "no service matches the filter" : "no services",
                 tui_attr(t, TUI_ROLE_DIM), 0, 0);
        return;
    }
    ui_list_draw(&c->list, t, &lr, cand_cell, c);
}

/* --- keys ------------------------------------------------------------- */

static void cand_filter_changed(void *arg, struct tui *t, const char *text,
                                enum tui_prompt_event ev)
{
    struct cand *c = arg;

    (void)t;
    snprintf(c->filter, sizeof(c->filter), "%s", ev == TUI_PROMPT_CANCEL ? "" : text);
    cand_build(c);
    cand_publish(c);
}

static int cand_key(void *st, struct tui *t, int key)
{
    struct cand *c = st;
    int flags;

    cand_sync(c);
    switch (tui_key_action(cand_keys, sizeof(cand_keys) / sizeof(cand_keys[0]), key)) {
    case CAND_NAV:
        flags = ui_list_key(&c->list, t, key);
        if (flags & SCREEN_REDRAW)
            cand_publish(c);
        return flags;
    case CAND_OPEN:
        if (c->n_rows == 0)
            return SCREEN_HANDLED;
        cand_publish(c);
        return SCREEN_HANDLED | SCREEN_OPEN | SCREEN_REDRAW;
    case CAND_SORT:
        c->sort = (c->sort + 1) % CAND_N_SORTS;
        c->reverse = 0;
        cand_build(c);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case CAND_REVERSE:
        c->reverse = !c->reverse;
        cand_build(c);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case CAND_FILTER:
        tui_prompt(t, "/", c->filter, cand_filter_changed, c);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    case CAND_CLEAR:
        if (c->filter[0] == '\0')
            return SCREEN_IGNORED;      /* Esc means "back" or "cancel fetch" then */
        c->filter[0] = '\0';
        cand_build(c);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
}

static int cand_command(void *st, struct tui *t, const char *name, const char *arg)
{
    struct cand *c = st;
    size_t i;

    if (strcmp(name, "sort") != 0)
        return SCREEN_IGNORED;
    for (i = 0; i < CAND_N_SORTS; i++) {
        if (strcasecmp(arg, cand_sorts[i].name) == 0 ||
            (cand_sorts[i].alias != NULL && strcasecmp(arg, cand_sorts[i].alias) == 0)) {
            c->sort = i;
            c->reverse = 0;
            cand_build(c);
            return SCREEN_HANDLED | SCREEN_REDRAW;
        }
    }
    tui_message(t, 1, "sort by what? rank, service, language, workload, score, "
                "recommendation, p99, cpu, memory, npv, break-even");
    return SCREEN_HANDLED;
}

static void *cand_init(struct tui *t)
{
    struct cand *c = xcalloc(1, sizeof(*c));

    c->t = t;
    ui_list_init(&c->list, cand_columns, COL_COUNT);
    cand_build(c);
    cand_publish(c);
    return c;
}

static void cand_free(void *st)
{
    struct cand *c = st;

    if (c == NULL)
        return;
    free(c->rows);
    free(c);
}

const struct screen_ops screen_candidates_ops = {
    .name = "Candidates",
    .keys = cand_keys,
    .n_keys = sizeof(cand_keys) / sizeof(cand_keys[0]),
    .init = cand_init,
    .draw = cand_draw,
    .key = cand_key,
    .command = cand_command,
    .free = cand_free,
};
