/* report_csv.c: the ranking as CSV (RFC 4180), safe to open in a spreadsheet. */
#include "verdict/report.h"

#include <math.h>
#include <string.h>

#include "verdict/util.h"

/*
 * Text cells are always quoted, with quotes doubled (RFC 4180).  A text
 * cell starting with '=', '+', '-', '@', tab or carriage return gets a
 * leading apostrophe so a spreadsheet shows it instead of evaluating it
 * (OWASP, "CSV Injection").  Numbers are written bare and stay numbers.
 * Control characters become '?' (util_sanitize): CSV goes to terminals
 * too, and has no escape that would keep them.
 */
static void cell_text(FILE *f, const char *raw)
{
    char clean[1024];
    const char *s = NULL;

    if (raw != NULL) {
        util_sanitize(clean, sizeof(clean), raw);
        s = clean;
    }
    fputc(',', f);
    fputc('"', f);
    if (s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
        fputc('\'', f);
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void cell_num(FILE *f, double v)
{
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, "%.10g", v);
}

int report_csv(FILE *f, const struct report_ctx *c)
{
    static const char *const cols[] = {
        "rank", "service", "language", "workload", "score", "recommendation",
        "p99_seconds", "p50_seconds", "runtime_share", "cpu_utilisation",
        "memory_utilisation", "monthly_benefit", "migration_cost", "npv", "npv_p10",
        "npv_p50", "npv_p90", "probability_positive", "break_even_month", "flags",
        "vetoes",   /* the flags of kind veto (score.h), space-separated */
    };
    size_t i, k;

    for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
        fprintf(f, "%s%s", k ? "," : "", cols[k]);
    fputs("\r\n", f);
    for (i = 0; i < c->analysis->n_services; i++) {
        const struct service_analysis *sa = &c->analysis->services[i];
        const char *lang = sa->lang ? sa->lang->name : sa->spec->language;
        char flags[256] = "", vetoes[256] = "";

        for (k = 0; k < sa->score.n_flags; k++) {
            snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s",
                     k ? " " : "", red_flag_name(sa->score.flags[k].flag));
            if (sa->score.flags[k].kind == FLAG_KIND_VETO)
                snprintf(vetoes + strlen(vetoes), sizeof(vetoes) - strlen(vetoes), "%s%s",
                         vetoes[0] ? " " : "", red_flag_name(sa->score.flags[k].flag));
        }
        fprintf(f, "%d", sa->rank);
        cell_text(f, sa->spec->name);
        cell_text(f, lang);
        cell_text(f, workload_name(sa->spec->workload));
        cell_num(f, sa->score.score);
        cell_text(f, recommendation_name(sa->recommendation));
        cell_num(f, sa->metrics.p99_s);
        cell_num(f, sa->metrics.p50_s);
        cell_num(f, sa->metrics.runtime_share);
        cell_num(f, sa->metrics.cpu_utilisation);
        cell_num(f, sa->metrics.memory_utilisation);
        cell_num(f, sa->cost.monthly_benefit);
        cell_num(f, sa->cost.migration_cost);
        cell_num(f, sa->cost.npv);
        cell_num(f, sa->mc.npv_p10);
        cell_num(f, sa->mc.npv_p50);
        cell_num(f, sa->mc.npv_p90);
        cell_num(f, sa->mc.probability_positive);
        if (sa->cost.break_even_month > 0)
            fprintf(f, ",%d", sa->cost.break_even_month);
        else
            fputc(',', f);
        cell_text(f, flags);
        cell_text(f, vetoes);
        fputs("\r\n", f);
    }
    return ferror(f) ? -1 : 0;
}
