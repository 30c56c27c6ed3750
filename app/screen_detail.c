/* screen_detail.c: one service: measurements as sparklines, the score factor by factor, flags. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/screen.h"
#include "verdict/tui.h"
#include "verdict/ui_chart.h"
#include "verdict/util.h"

enum detail_action { D_UP, D_DOWN, D_PGUP, D_PGDN, D_HOME, D_END, D_BACK, D_NEXT, D_PREV };

static const struct screen_key detail_keys[] = {
    { KEY_UP, "Up/k", "scroll up", D_UP }, { 'k', NULL, NULL, D_UP },
    { KEY_DOWN, "Down/j", "scroll down", D_DOWN }, { 'j', NULL, NULL, D_DOWN },
    { KEY_PPAGE, "PgUp", "page up", D_PGUP }, { KEY_NPAGE, "PgDn", "page down", D_PGDN },
    { KEY_HOME, "Home/g", "top", D_HOME }, { 'g', NULL, NULL, D_HOME },
    { KEY_END, "End/G", "bottom", D_END }, { 'G', NULL, NULL, D_END },
    { 'n', "n", "next service in rank order", D_NEXT },
    { 'p', "p", "previous service in rank order", D_PREV },
    { 27, "Esc/h", "back to the list", D_BACK }, { 'h', NULL, NULL, D_BACK },
    { KEY_LEFT, NULL, NULL, D_BACK }, { KEY_BACKSPACE, NULL, NULL, D_BACK },
    { 127, NULL, NULL, D_BACK },
};

struct detail {
    struct tui *t;
    int top;            /* first content line shown */
    int lines;          /* content lines at the last draw */
    int height;         /* lines shown at the last draw */
    unsigned serial;    /* service shown at the last draw: scroll resets on change */
};

/* Where the next content line goes: lines scroll under a fixed header. */
struct detail_pen {
    struct tui *t;
    const struct screen_rect *r;
    int y0, h;          /* scrolling part */
    int top, line;
};

/* The screen row of the next line, or -1 when it is scrolled away. */
static int pen_row(struct detail_pen *p)
{
    int vis = p->line++ - p->top;

    return vis >= 0 && vis < p->h ? p->y0 + vis : -1;
}

static void pen_text(struct detail_pen *p, int indent, const char *text, enum tui_role role)
{
    int y = pen_row(p);

    if (y >= 0)
        tui_text(y, p->r->x + indent, p->r->w - indent, text, tui_attr(p->t, role), 0, 0);
}

/* Text wrapped at the screen width with a hanging indent. */
static void pen_wrap(struct detail_pen *p, int indent, const char *text, enum tui_role role)
{
    char clean[1024], part[1024];
    const char *s = clean;
    int width = p->r->w - indent - 1, rest = indent + 2;

    util_sanitize(clean, sizeof(clean), text);
    while (*s != '\0') {
        size_t take = strlen(s), last_space = 0, i;
        int cols = 0;

        for (i = 0; s[i] != '\0'; i++) {
            if (((unsigned char)s[i] & 0xc0) != 0x80 && ++cols > width)
                break;
            if (s[i] == ' ')
                last_space = i;
        }
        if (s[i] != '\0')
            take = last_space > 0 ? last_space : i;
        snprintf(part, sizeof(part), "%.*s", (int)take, s);
        pen_text(p, indent, part, role);
        s += take;
        while (*s == ' ')
            s++;
        indent = rest;
        width = p->r->w - indent - 1;
    }
}

static const struct service_analysis *detail_find(struct tui *t, size_t *index)
{
    const struct analysis *an = &tui_session(t)->an;
    const char *name = tui_service(t);
    size_t i;

    for (i = 0; name != NULL && i < an->n_services; i++) {
        if (strcmp(an->services[i].spec->name, name) == 0) {
            *index = i;
            return &an->services[i];
        }
    }
    return NULL;
}

/* One measured signal: label, median, a sparkline of the chart, the range. */
static void detail_signal(struct detail_pen *p, const char *label,
                          const struct service_analysis *sa, enum signal sig,
                          char *(*fmt)(char *, size_t, double))
{
    const struct signal_data *d = sa->data != NULL ? &sa->data->signals[sig] : NULL;
    char spark[1024], a[32], lo[32], hi[32];
    int y = pen_row(p), w = p->r->w - 52;

    if (y < 0)
        return;
    tui_text(y, p->r->x + 2, 14, label, 0, 0, 0);
    if (d == NULL || !d->present || d->stats.count == 0) {
        tui_text(y, p->r->x + 17, p->r->w - 17, d && d->error ? d->error : "no data",
                 tui_attr(p->t, TUI_ROLE_DIM), 0, 0);
        return;
    }
    if (fmt != NULL) {
        fmt(a, sizeof(a), d->stats.p50);
        fmt(lo, sizeof(lo), d->stats.min);
        fmt(hi, sizeof(hi), d->stats.max);
    } else {
        snprintf(a, sizeof(a), "%.3g", d->stats.p50);
        snprintf(lo, sizeof(lo), "%.3g", d->stats.min);
        snprintf(hi, sizeof(hi), "%.3g", d->stats.max);
    }
    tui_text(y, p->r->x + 17, 9, a, A_BOLD, 1, 0);
    spark[0] = '\0';
    if (d->chart.n > 0 && w > 4)
        ui_sparkline(spark, sizeof(spark), d->chart.mean, d->chart.n, w,
                     tui_glyphs(p->t));
    tui_text(y, p->r->x + 28, w, spark, tui_attr(p->t, TUI_ROLE_BAR), 0, 0);
    snprintf(spark, sizeof(spark), "%s .. %s", lo, hi);
    tui_text(y, p->r->x + 29 + w, p->r->w - 29 - w, spark, tui_attr(p->t, TUI_ROLE_DIM), 0,
             0);
}

static void detail_factors(struct detail_pen *p, const struct service_analysis *sa)
{
    char line[512], bar[128];
    size_t i;

    snprintf(line, sizeof(line), "SCORE %.0f/100, factor by factor (strength, points)",
             sa->score.score);
    pen_text(p, 0, "", TUI_ROLE_NORMAL);
    pen_text(p, 1, line, TUI_ROLE_HEADER);
    for (i = 0; i < FACTOR_COUNT; i++) {
        const struct factor_result *f = &sa->score.factors[i];
        int y = pen_row(p);

        if (y >= 0) {
            tui_text(y, p->r->x + 2, 18, factor_name(f->factor), 0, 0, 0);
            ui_bar(bar, sizeof(bar), f->have_data ? f->strength : 0, 1, 8, tui_glyphs(p->t));
            tui_text(y, p->r->x + 21, 8, bar, tui_attr(p->t, TUI_ROLE_BAR), 0, 1);
            if (f->have_data)
                snprintf(line, sizeof(line), "%+5.1f", f->contribution);
            else
                snprintf(line, sizeof(line), "  n/a");
            tui_text(y, p->r->x + 30, 6, line, A_BOLD, 1, 0);
        }
        /* the reason starts on the same line and continues below it */
        p->line--;
        {
            struct detail_pen q = *p;
            struct screen_rect rr = *p->r;

            rr.x += 37;
            rr.w -= 37;
            q.r = &rr;
            pen_wrap(&q, 0, f->reason, f->have_data ? TUI_ROLE_NORMAL : TUI_ROLE_DIM);
            p->line = q.line;
        }
    }
}

static void detail_draw(void *st, struct tui *t, const struct screen_rect *r)
{
    struct detail *d = st;
    struct session *s = tui_session(t);
    const struct service_analysis *sa;
    struct detail_pen p;
    char line[512], a[32], b[32], name[256];
    const char *cur = s->a.economics.currency;
    size_t idx = 0, i;

    sa = detail_find(t, &idx);
    if (sa == NULL) {
        tui_text(r->y + 1, r->x + 2, r->w - 2, "no service selected: pick one in the list "
                 "(1) and press Enter, or :service NAME", tui_attr(t, TUI_ROLE_DIM), 0, 0);
        return;
    }
    if (d->serial != tui_service_serial(t)) {
        d->serial = tui_service_serial(t);
        d->top = 0;
    }
    fmt_fit(name, sizeof(name), sa->spec->name, r->w / 2);
    tui_text(r->y, r->x + 1, r->w - 1, name, A_BOLD, 0, 0);
    snprintf(line, sizeof(line), "#%d  %s  %s, %s, %s criticality", sa->rank,
             recommendation_name(sa->recommendation),
             sa->lang ? sa->lang->name : (sa->spec->language[0] ? sa->spec->language : "?"),
             workload_name(sa->spec->workload), criticality_name(sa->spec->criticality));
    tui_text(r->y, r->x + 2 + tui_width(name), r->w - 2 - tui_width(name), line,
             tui_attr(t, tui_role_of((int)sa->recommendation)), 0, 0);
    tui_text(r->y + 1, r->x + 1, r->w - 1, sa->recommendation_reason,
             tui_attr(t, TUI_ROLE_DIM), 0, 0);

    memset(&p, 0, sizeof(p));
    p.t = t;
    p.r = r;
    p.y0 = r->y + 2;
    p.h = r->h - 2;
    p.top = d->top;
    pen_text(&p, 1, "MEASURED          median  over the range                     min .. max",
             TUI_ROLE_HEADER);
    if (sa->data == NULL)
        pen_text(&p, 2, "nothing measured for this service", TUI_ROLE_DIM);
    else if (sa->data->error != NULL)
        pen_wrap(&p, 2, sa->data->error, TUI_ROLE_ERROR);
    detail_signal(&p, "p99 latency", sa, SIGNAL_P99_LATENCY, fmt_latency);
    detail_signal(&p, "p50 latency", sa, SIGNAL_P50_LATENCY, fmt_latency);
    detail_signal(&p, "CPU cores", sa, SIGNAL_CPU, NULL);
    detail_signal(&p, "memory", sa, SIGNAL_MEMORY, fmt_bytes);
    detail_signal(&p, "requests/s", sa, SIGNAL_RPS, NULL);
    detail_factors(&p, sa);

    pen_text(&p, 0, "", TUI_ROLE_NORMAL);
    snprintf(line, sizeof(line), "RED FLAGS (%zu)", sa->score.n_flags);
    pen_text(&p, 1, line, TUI_ROLE_HEADER);
    if (sa->score.n_flags == 0)
        pen_text(&p, 2, "none", TUI_ROLE_DIM);
    for (i = 0; i < sa->score.n_flags; i++) {
        snprintf(line, sizeof(line), "%s %s", tui_glyphs(t) == UI_GLYPHS_ASCII ? "!" :
                 "\xe2\x9a\xa0", sa->score.flags[i].text);
        pen_wrap(&p, 2, line, TUI_ROLE_FLAG);
    }

    pen_text(&p, 0, "", TUI_ROLE_NORMAL);
    pen_text(&p, 1, "COST (every input at its likely value; 3 opens the Cost screen)",
             TUI_ROLE_HEADER);
    snprintf(line, sizeof(line), "benefit %s/month, migration %s, velocity lost %s",
             fmt_money_short(a, sizeof(a), cur, sa->cost.monthly_benefit),
             fmt_money_short(b, sizeof(b), cur, sa->cost.migration_cost),
             fmt_money_short(name, sizeof(name), cur, sa->cost.velocity_loss));
    pen_text(&p, 2, line, TUI_ROLE_NORMAL);
    snprintf(line, sizeof(line), "NPV %s, break-even %s, P(pays off) %s",
             fmt_money_short(a, sizeof(a), cur, sa->cost.npv),
             sa->cost.break_even_month > 0 ? "" : "never",
             fmt_percent(b, sizeof(b), sa->mc.probability_positive, 0));
    if (sa->cost.break_even_month > 0)
        snprintf(line, sizeof(line), "NPV %s, break-even month %d, P(pays off) %s",
                 fmt_money_short(a, sizeof(a), cur, sa->cost.npv), sa->cost.break_even_month,
                 fmt_percent(b, sizeof(b), sa->mc.probability_positive, 0));
    pen_text(&p, 2, line, TUI_ROLE_NORMAL);
    d->lines = p.line;
    d->height = p.h;
}

static int detail_key(void *st, struct tui *t, int key)
{
    struct detail *d = st;
    const struct analysis *an = &tui_session(t)->an;
    size_t idx = 0;
    int max_top = d->lines > d->height ? d->lines - d->height : 0, old = d->top;

    switch (tui_key_action(detail_keys, sizeof(detail_keys) / sizeof(detail_keys[0]), key)) {
    case D_UP:
        d->top--;
        break;
    case D_DOWN:
        d->top++;
        break;
    case D_PGUP:
        d->top -= d->height;
        break;
    case D_PGDN:
        d->top += d->height;
        break;
    case D_HOME:
        d->top = 0;
        break;
    case D_END:
        d->top = max_top;
        break;
    case D_BACK:
        return SCREEN_HANDLED | SCREEN_BACK | SCREEN_REDRAW;
    case D_NEXT:
    case D_PREV:
        /* the analysis is sorted by rank */
        if (detail_find(t, &idx) == NULL || an->n_services == 0)
            return SCREEN_HANDLED;
        idx = key == 'n' ? (idx + 1) % an->n_services
                         : (idx + an->n_services - 1) % an->n_services;
        tui_set_service(t, an->services[idx].spec->name);
        return SCREEN_HANDLED | SCREEN_REDRAW;
    default:
        return SCREEN_IGNORED;
    }
    if (d->top > max_top)
        d->top = max_top;
    if (d->top < 0)
        d->top = 0;
    return d->top != old ? SCREEN_HANDLED | SCREEN_REDRAW : SCREEN_HANDLED;
}

static void *detail_init(struct tui *t)
{
    struct detail *d = xcalloc(1, sizeof(*d));

    d->t = t;
    return d;
}

static void detail_free(void *st)
{
    free(st);
}

const struct screen_ops screen_detail_ops = {
    "Detail",
    detail_keys,
    sizeof(detail_keys) / sizeof(detail_keys[0]),
    detail_init,
    detail_draw,
    detail_key,
    NULL,
    NULL,
    detail_free,
};
