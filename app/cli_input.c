/* cli_input.c: what a command works on: the assumptions and the measurements. */
#include "verdict/cli_input.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo_data.h"
#include "verdict/cli.h"
#include "verdict/snapshot.h"
#include "verdict/util.h"
#include "verdict/yaml_edit.h"

/* Print "verdict: MESSAGE" and the help hint; the whole message is
 * sanitised, since it quotes what the user typed. */
int cli_usage_error(const char *fmt, ...)
{
    char msg[512], clean[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    util_sanitize(clean, sizeof(clean), msg);
    fprintf(stderr, "verdict: %s\nTry 'verdict --help'.\n", clean);
    return CLI_EXIT_USAGE;
}

void cli_print_diags(const struct config_diags *d)
{
    size_t i;

    for (i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", d->lines[i]);
}

static int cli_file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* ./verdict.yaml, else $XDG_CONFIG_HOME/verdict/verdict.yaml (or
 * ~/.config/...), whichever exists first; NULL if neither.  The XDG path is
 * left in xdg either way, for messages. */
const char *cli_default_config(char *xdg, size_t xdglen)
{
    const char *base = getenv("XDG_CONFIG_HOME");

    if (base != NULL && base[0] != '\0')
        snprintf(xdg, xdglen, "%s/verdict/verdict.yaml", base);
    else
        snprintf(xdg, xdglen, "%s/.config/verdict/verdict.yaml",
                 getenv("HOME") ? getenv("HOME") : "");
    if (cli_file_exists("verdict.yaml"))
        return "verdict.yaml";
    return cli_file_exists(xdg) ? xdg : NULL;
}

int cli_split_set(const char *arg, char *key, size_t keylen, const char **value)
{
    const char *eq = strchr(arg, '=');
    size_t n;

    if (eq == NULL || eq == arg)
        return -1;
    n = (size_t)(eq - arg);
    if (n >= keylen)
        return -1;
    memcpy(key, arg, n);
    key[n] = '\0';
    *value = eq + 1;
    return 0;
}

/* The loader's message without its "FILE:LINE:COL: " prefix: the line is
 * one of the edited text, which means nothing to the user of --set. */
static const char *cli_diag_message(const char *line, const char *name)
{
    size_t n = strlen(name);
    const char *p;

    if (strncmp(line, name, n) != 0 || line[n] != ':')
        return line;
    p = strstr(line + n + 1, ": ");
    return p != NULL ? p + 2 : line;
}

/* Load name's text with the --set edits applied.  The text alone is
 * loaded first, so the file's own problems are reported at its lines. */
static int cli_load_with_sets(const struct cli_options *o, const char *name, const char *buf,
                              size_t len, struct assumptions *a)
{
    struct config_diags d = { NULL, 0, 0 };
    struct yaml_doc *doc = NULL;
    char err[512], key[512], clean[1024];
    const char *value, *text;
    size_t i, tlen;
    int rc = -1;

    if (config_load_buffer(name, buf, len, a, &d) != 0) {
        cli_print_diags(&d);
        config_diags_done(&d);
        return CLI_EXIT_USAGE;
    }
    assumptions_done(a);
    if (yaml_doc_load_buffer(name, buf, len, &doc, err, sizeof(err)) != 0) {
        fprintf(stderr, "verdict: %s\n", err);
        return CLI_EXIT_USAGE;
    }
    for (i = 0; i < o->n_sets && rc < 0; i++) {
        util_sanitize(clean, sizeof(clean), o->sets[i]);
        if (cli_split_set(o->sets[i], key, sizeof(key), &value) != 0)
            rc = cli_usage_error("--set: '%s' is not KEY=VALUE", clean);
        else if (yaml_doc_set(doc, key, value, err, sizeof(err)) != 0) {
            fprintf(stderr, "verdict: --set %s: %s\n", clean, err);
            rc = CLI_EXIT_USAGE;
        }
    }
    if (rc < 0) {
        text = yaml_doc_text(doc, &tlen);
        if (config_load_buffer(name, text, tlen, a, &d) != 0) {
            for (i = 0; i < d.n; i++)
                fprintf(stderr, "verdict: --set: %s\n", cli_diag_message(d.lines[i], name));
            rc = CLI_EXIT_USAGE;
        }
    }
    for (i = 0; i < o->n_sets && rc < 0; i++)
        if (cli_split_set(o->sets[i], key, sizeof(key), &value) == 0 &&
            assumptions_note_origin(a, key, ORIGIN_OVERRIDE, 0) != 0 &&
            strncmp(key, "services[", 9) != 0)
            xoom();
    config_diags_done(&d);
    yaml_doc_free(doc);
    return rc;
}

/* Load the assumptions: -c FILE, the demo's, ./verdict.yaml, or the XDG
 * config file, in that order.  *name is set to what was read. */
int cli_load_assumptions(const struct cli_options *o, struct assumptions *a,
                            const char **name, char *xdg, size_t xdglen)
{
    struct config_diags d = { NULL, 0, 0 };
    const char *path = o->config;
    char *buf = NULL;
    size_t len = 0;
    int rc;

    if (path == NULL && o->demo) {
        *name = demo_yaml_path;
        if (o->n_sets > 0)
            return cli_load_with_sets(o, demo_yaml_path, demo_yaml, demo_yaml_len, a);
        rc = config_load_buffer(demo_yaml_path, demo_yaml, demo_yaml_len, a, &d);
        goto done;
    }
    if (path == NULL)
        path = cli_default_config(xdg, xdglen);
    if (path == NULL) {
        fprintf(stderr, "verdict: no assumptions file: give -c FILE, or create ./verdict.yaml "
                "(data/demo/verdict.yaml is an annotated example), or try --demo\n");
        return CLI_EXIT_USAGE;
    }
    *name = path;
    if (o->n_sets == 0) {
        rc = config_load_file(path, a, &d);
        goto done;
    }
    buf = util_read_file(path, &len);
    if (buf == NULL) {
        char clean[512];
        int saved = errno;

        util_sanitize(clean, sizeof(clean), path);
        fprintf(stderr, "%s: cannot read: %s\n", clean, strerror(saved));
        return CLI_EXIT_USAGE;
    }
    rc = cli_load_with_sets(o, path, buf, len, a);
    free(buf);
    return rc;
done:
    if (rc != 0)
        cli_print_diags(&d);
    config_diags_done(&d);
    return rc == 0 ? -1 : CLI_EXIT_USAGE;
}

/* The server: --prometheus, then VERDICT_PROMETHEUS_URL, then the file. */
static const char *cli_server_url(const struct cli_options *o, const struct assumptions *a)
{
    if (o->prometheus != NULL && o->prometheus[0] != '\0')
        return o->prometheus;
    return a->prometheus.url;
}

void cli_fetch_options(const struct cli_options *o, const struct assumptions *a,
                               struct fetch_options *fo)
{
    memset(fo, 0, sizeof(*fo));
    fo->url = cli_server_url(o, a);
    fo->end_s = o->end_s;
    fo->range_s = o->range_s > 0 ? o->range_s : a->prometheus.range_s;
    fo->step_s = o->step_s > 0 ? o->step_s : a->prometheus.step_s;
    fo->verbose = o->verbose ? stderr : NULL;
    fo->max_response_bytes = (size_t)a->prometheus.max_response_bytes;
}

/* Progress on standard error, only when it is a terminal and not --quiet. */
static void cli_show_progress(const struct cli_options *o, const struct fetch *f, int last)
{
    struct fetch_progress p;

    if (o->quiet || !isatty(STDERR_FILENO))
        return;
    fetch_progress(f, &p);
    fprintf(stderr, "\rfetching: %zu/%zu queries, %.1f MB, %zu errors, %.1f s%s",
            p.requests_done, p.requests_total, (double)p.bytes / 1e6, p.errors, p.elapsed_s,
            last ? "\n" : "   ");
    fflush(stderr);
}

/* Add the services discovery found (in a live fetch or the snapshot of
 * one), every input at its default; those past the limit on services are
 * partial data, said once. */
static void cli_add_discovered(struct assumptions *a, struct measurements *m)
{
    size_t left_out = config_add_discovered(a, m);
    char msg[256];

    if (left_out == 0)
        return;
    snprintf(msg, sizeof(msg), "discovery found %zu service%s more than the limit of %d "
             "services: left out", left_out, left_out == 1 ? "" : "s",
             ASSUMPTIONS_MAX_SERVICES);
    if (m->discovery_error == NULL)
        m->discovery_error = xstrdup(msg);
}

/* Fetch live.  Returns -1 to go on, or an exit code (1: server
 * unreachable, nothing to report). */
int cli_fetch_live(const struct cli_options *o, struct assumptions *a, struct measurements *m)
{
    struct fetch_options fo;
    struct fetch *f = NULL;
    char err[1024];
    int unreachable;

    cli_fetch_options(o, a, &fo);
    if (a->prometheus.insecure_skip_verify)
        fprintf(stderr, "verdict: warning: TLS verification is off "
                "(prometheus.insecure_skip_verify)\n");
    if (fetch_new(a, &fo, &f, err, sizeof(err)) != 0) {
        fprintf(stderr, "verdict: %s\n", err);
        return CLI_EXIT_USAGE;
    }
    while (fetch_run(f, 200, -1, NULL) > 0)
        cli_show_progress(o, f, 0);
    cli_show_progress(o, f, 1);
    if (fetch_discovery_left_out(f) > 0 && !o->quiet)
        fprintf(stderr, "verdict: warning: %s\n", fetch_discovery_error(f));
    else if (fetch_discovery_error(f) != NULL && !o->quiet)
        fprintf(stderr, "verdict: warning: discovery failed, going on with the inventory "
                "alone: %s\n", fetch_discovery_error(f));
    unreachable = fetch_take(f, m);
    fetch_free(f);
    cli_add_discovered(a, m);
    if (unreachable) {
        fprintf(stderr, "verdict: %s\n",
                m->n_services ? m->services[0].error : "server unreachable");
        return CLI_EXIT_FAILURE;
    }
    return -1;
}

int cli_load_measurements(const struct cli_options *o, struct assumptions *a,
                             struct measurements *m)
{
    char err[512];
    int rc;

    if (o->snapshot != NULL)
        rc = snapshot_load_file(o->snapshot, m, err, sizeof(err));
    else if (o->demo)
        rc = snapshot_load_buffer(demo_snapshot_path, demo_snapshot, demo_snapshot_len, m,
                                  err, sizeof(err));
    else
        return cli_fetch_live(o, a, m);
    if (rc != 0) {
        fprintf(stderr, "verdict: %s\n", err);
        return CLI_EXIT_USAGE;
    }
    /* fetch once, report often: the services the fetch discovered are
     * ranked as in the live run (--service names its own) */
    if (o->n_services == 0)
        cli_add_discovered(a, m);
    return -1;
}

/* Keep only the services named with --service; unknown names are an error. */
int cli_filter_services(const struct cli_options *o, struct assumptions *a)
{
    size_t i, k, kept = 0;

    if (o->n_services == 0)
        return -1;
    for (k = 0; k < o->n_services; k++) {
        for (i = 0; i < a->n_services; i++)
            if (strcmp(a->services[i].name, o->services[k]) == 0)
                break;
        if (i == a->n_services)
            return cli_usage_error("--service: no service named '%s' in the inventory",
                               o->services[k]);
    }
    for (i = 0; i < a->n_services; i++) {
        int want = 0;

        for (k = 0; k < o->n_services; k++)
            if (strcmp(a->services[i].name, o->services[k]) == 0)
                want = 1;
        if (want)
            a->services[kept++] = a->services[i];
        else
            service_spec_done(&a->services[i]);
    }
    a->n_services = kept;
    /* the user named the services: discovery would bring the others back */
    free(a->prometheus.discovery_query);
    a->prometheus.discovery_query = NULL;
    return -1;
}

/* 1 when a query failed, came back empty or partial for some service, or
 * discovery failed: "partial data", exit 3. */
int cli_measurements_partial(const struct measurements *m)
{
    size_t i;
    int k;

    if (m->discovery_error != NULL)
        return 1;
    for (i = 0; i < m->n_services; i++) {
        if (m->services[i].error != NULL)
            return 1;
        for (k = 0; k < SIGNAL_COUNT; k++)
            if (m->services[i].signals[k].error != NULL || m->services[i].signals[k].partial)
                return 1;
    }
    return 0;
}
