/* tui_export.c: `x` and `:export`: the report written to a file, as `verdict report` does. */
#include "tui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "verdict/montecarlo.h"
#include "verdict/report.h"
#include "verdict/session.h"
#include "verdict/util.h"

#define TUI_EXPORT_PATH_MAX 4096

/* The format called name (report_formats), or NULL with the reason on the
 * status line. */
static const struct report_format *tui_export_find(struct tui *t, const char *name)
{
    const struct report_format *f = report_format_find(name);
    char names[128];

    if (f == NULL)
        tui_message(t, 1, "export: unknown format '%s' (%s)", name,
                    report_format_names(names, sizeof(names), REPORT_FORMATS_ALL, ", ", ", "));
    return f;
}

/* "verdict-YYYY-MM-DD.EXT" in the current directory: today by the local
 * clock, or the UTC day of SOURCE_DATE_EPOCH so tests can predict it. */
static void tui_export_default_path(char *buf, size_t len, const struct report_format *f)
{
    struct tm tm;
    time_t now;
    double sde_s;
    char day[16] = "undated";
    int ok;

    if (report_source_date(&sde_s) == 0) {
        now = (time_t)sde_s;
        ok = gmtime_r(&now, &tm) != NULL;
    } else {
        now = time(NULL);
        ok = localtime_r(&now, &tm) != NULL;
    }
    if (ok)
        strftime(day, sizeof(day), "%Y-%m-%d", &tm);
    snprintf(buf, len, "verdict-%s.%s", day, f->ext);
}

/* Render the report into memory (so the file is complete or absent) and
 * write it atomically.  The context is built as cmd_analyse in cli.c
 * builds it, so the bytes equal `verdict report --format F` on the same
 * inputs and seed.  Returns 0; -1 with errno set when writing failed; -2
 * when rendering did (a real EIO from the disk must not read as that). */
static int tui_export_write(const struct session *s, const struct report_format *f,
                            const char *path)
{
    struct report_ctx ctx;
    char stamp[64], *buf;
    size_t len;
    int rc, saved;

    report_ctx_init(&ctx, &s->a, &s->m, &s->an, s->config_name, s->opt.seed, s->opt.draws,
                    stamp, sizeof(stamp));
    if (report_render(f->write, &ctx, &buf, &len) != 0)
        return -2;
    rc = util_write_file_atomic(path, buf, len);
    saved = errno;
    free(buf);
    errno = saved;
    return rc;
}

/* Export in format f to path ("" or NULL: the dated default; a leading
 * "~/" is the home directory) and say how it went. */
static void tui_export_to(struct tui *t, const struct report_format *f, const char *path)
{
    char def[64], full[TUI_EXPORT_PATH_MAX], err[512];
    const char *home = getenv("HOME");
    int existed, rc;

    if (path == NULL || path[0] == '\0') {
        tui_export_default_path(def, sizeof(def), f);
        path = def;
    } else if (strncmp(path, "~/", 2) == 0 && home != NULL && home[0] != '\0') {
        snprintf(full, sizeof(full), "%s/%s", home, path + 2);
        path = full;
    }
    existed = access(path, F_OK) == 0;
    /* a report holds every chart and final figures only: finish reading
     * the snapshot and the Monte Carlo first */
    while (session_read_charts(tui_session(t), 1000.0, err, sizeof(err)) > 0)
        ;
    if (tui_session(t)->charts_error != NULL) {
        tui_message(t, 1, "export: not written, the snapshot is incomplete: %s",
                    tui_session(t)->charts_error);
        return;
    }
    while (session_refine(tui_session(t), 1000.0))
        ;
    /* tui_message sanitises the whole line, the path included */
    rc = tui_export_write(tui_session(t), f, path);
    if (rc != 0)
        tui_message(t, 1, "export: %s: %s%s", path,
                    rc == -2 ? "could not render the report" : strerror(errno),
                    rc == -2 ? "" : existed ? " (the old file is unchanged)" : "");
    else
        tui_message(t, 0, "exported the %s report to %s%s", f->name, path,
                    existed ? " (replaced)" : "");
}

/* The second prompt of `x`: the path; arg is the chosen format. */
static void tui_export_path_done(void *arg, struct tui *t, const char *text,
                                 enum tui_prompt_event ev)
{
    if (ev == TUI_PROMPT_ACCEPT)
        tui_export_to(t, arg, text);
    else if (ev == TUI_PROMPT_CANCEL)
        tui_message(t, 0, "export cancelled");
}

/* The first prompt of `x`: the format, then ask for the path. */
static void tui_export_format_done(void *arg, struct tui *t, const char *text,
                                   enum tui_prompt_event ev)
{
    const struct report_format *f;
    char def[64], name[32], *end;

    (void)arg;
    if (ev == TUI_PROMPT_CANCEL)
        tui_message(t, 0, "export cancelled");
    if (ev != TUI_PROMPT_ACCEPT)
        return;
    snprintf(name, sizeof(name), "%s", text + strspn(text, " "));
    end = name + strlen(name);
    while (end > name && end[-1] == ' ')
        *--end = '\0';
    f = name[0] != '\0' ? tui_export_find(t, name) : &report_formats[0];
    if (f == NULL)
        return;
    tui_export_default_path(def, sizeof(def), f);
    /* the prompt's argument is not const: the row is only read back */
    tui_prompt(t, "export to: ", def, tui_export_path_done, (void *)f);
}

void tui_export_ask(struct tui *t)
{
    char names[128], prompt[160];

    snprintf(prompt, sizeof(prompt), "export format (%s): ",
             report_format_names(names, sizeof(names), REPORT_FORMATS_ALL, " ", " "));
    tui_prompt(t, prompt, report_formats[0].name, tui_export_format_done, NULL);
}

void tui_export_command(struct tui *t, const char *arg)
{
    char buf[TUI_EXPORT_PATH_MAX], *path;
    const struct report_format *f;

    snprintf(buf, sizeof(buf), "%s", arg != NULL ? arg : "");
    path = buf + strcspn(buf, " ");
    if (*path != '\0')
        *path++ = '\0';
    path += strspn(path, " ");
    if (buf[0] == '\0') {
        char names[128];

        tui_message(t, 1, "usage: :export %s [PATH]",
                    report_format_names(names, sizeof(names), REPORT_FORMATS_ALL, "|", "|"));
        return;
    }
    f = tui_export_find(t, buf);
    if (f != NULL)
        tui_export_to(t, f, path);
}
