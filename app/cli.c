/* cli.c: the command line: options, commands, outputs and exit codes (inputs: cli_input.c). */
#include "verdict/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo_data.h"
#include "verdict/analysis.h"
#include "verdict/cli_input.h"
#include "verdict/config.h"
#include "verdict/diff.h"
#include "verdict/fetch.h"
#include "verdict/format.h"
#include "verdict/inventory.h"
#include "verdict/report.h"
#include "verdict/session.h"
#include "verdict/snapshot.h"
#include "verdict/tui.h"
#include "verdict/units.h"
#include "verdict/util.h"

static const char usage_text[] =
    "usage: verdict [COMMAND] [OPTIONS]\n"
    "\n"
    "Which services are worth rewriting in a faster language, and does the\n"
    "rewrite pay for itself?  Measurements in, ranked and explained verdicts out.\n"
    "\n"
    "Commands:\n"
    "  tui                 the interactive view (the default command)\n"
    "  score               ranked table (--format %s)\n"
    "  report              full report (--format %s, -o FILE)\n"
    "  fetch               pull the series into a snapshot (-o FILE, --dry-run)\n"
    "  diff OLD NEW        what changed between two JSON reports (text, md, json)\n"
    "  check-config FILE   validate an assumptions file, with line numbers\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE   assumptions file (default ./verdict.yaml, then\n"
    "                      $XDG_CONFIG_HOME/verdict/verdict.yaml)\n"
    "      --demo          the embedded demo inventory and series, no network\n"
    "      --snapshot FILE measurements from a snapshot file\n"
    "      --prometheus URL  server to fetch from (env VERDICT_PROMETHEUS_URL)\n"
    "      --end TIME      end of the range, RFC 3339 or unix seconds\n"
    "      --range DUR     length of the range, e.g. 30d\n"
    "      --step DUR      resolution, e.g. 5m\n"
    "      --service NAME  only this service (repeatable)\n"
    "      --set KEY=VALUE change one assumption for this run, e.g.\n"
    "                      economics.horizon_months=36 (repeatable; the file is\n"
    "                      not changed; in the TUI it is an unsaved edit)\n"
    "      --seed N        Monte Carlo seed (default 1): same seed, same numbers\n"
    "      --draws N       Monte Carlo draws per service (default 10000)\n"
    "  -f, --format FMT    output format\n"
    "  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
    "      --strict        partial data is a failure (exit 1 instead of 3)\n"
    "      --dry-run       fetch: list the queries and their load, send nothing\n"
    "  -v, --verbose       log every request on standard error (secrets redacted)\n"
    "      --no-color      no colours (also NO_COLOR)\n"
    "      --ascii         tui: plain ASCII, no Unicode glyphs\n"
    "      --no-mouse      tui: leave the mouse to the terminal\n"
    "  -q, --quiet         no progress or hints on standard error\n"
    "  -h, --help          this help\n"
    "  -V, --version       version\n"
    "\n"
    "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error,\n"
    "3 partial data (some queries failed; the output says which).\n"
    "See verdict(1) and verdict.yaml(5).\n";

/* Command-line limits (verdict(1), LIMITS): past these a value is a typo,
 * and the server would be asked for nonsense (a start time in year -10^17). */
#define CLI_END_MAX_S 253402300799.0        /* 9999-12-31T23:59:59Z */
#define CLI_RANGE_MAX_S (3660.0 * 86400)    /* ten years and change */

static int parse_command(const char *s, enum cli_command *out)
{
    static const struct { const char *name; enum cli_command cmd; } cmds[] = {
        { "tui", CMD_TUI }, { "score", CMD_SCORE }, { "report", CMD_REPORT },
        { "check-config", CMD_CHECK_CONFIG }, { "fetch", CMD_FETCH }, { "diff", CMD_DIFF },
    };
    size_t i;

    for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (strcmp(s, cmds[i].name) == 0) {
            *out = cmds[i].cmd;
            return 0;
        }
    }
    return -1;
}

/* The help, with the format names from report_formats. */
static void usage(void)
{
    char score[128], report[128];

    printf(usage_text,
           report_format_names(score, sizeof(score), REPORT_FORMATS_RANKING, "|", "|"),
           report_format_names(report, sizeof(report), REPORT_FORMATS_ALL, "|", "|"));
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* How many operands each command takes. */
static int max_operands(enum cli_command c)
{
    switch (c) {
    case CMD_CHECK_CONFIG:
        return 1;
    case CMD_DIFF:
        return 2;
    default:
        return 0;
    }
}

#define CLI_DIFF_MAX_BYTES (128 << 20)

enum {
    OPT_DEMO = 256, OPT_SNAPSHOT, OPT_PROMETHEUS, OPT_END, OPT_RANGE, OPT_STEP,
    OPT_SERVICE, OPT_SEED, OPT_DRAWS, OPT_STRICT, OPT_NO_COLOR, OPT_DRY_RUN, OPT_ASCII,
    OPT_NO_MOUSE, OPT_SET
};

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, struct cli_options *o)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "demo", no_argument, NULL, OPT_DEMO },
        { "snapshot", required_argument, NULL, OPT_SNAPSHOT },
        { "prometheus", required_argument, NULL, OPT_PROMETHEUS },
        { "end", required_argument, NULL, OPT_END },
        { "range", required_argument, NULL, OPT_RANGE },
        { "step", required_argument, NULL, OPT_STEP },
        { "service", required_argument, NULL, OPT_SERVICE },
        { "set", required_argument, NULL, OPT_SET },
        { "seed", required_argument, NULL, OPT_SEED },
        { "draws", required_argument, NULL, OPT_DRAWS },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { "verbose", no_argument, NULL, 'v' },
        { "no-color", no_argument, NULL, OPT_NO_COLOR },
        { "ascii", no_argument, NULL, OPT_ASCII },
        { "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int ch;
    uint64_t u;

    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":c:f:o:qvhV", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            o->config = optarg;
            break;
        case OPT_DEMO:
            o->demo = 1;
            break;
        case OPT_SNAPSHOT:
            o->snapshot = optarg;
            break;
        case OPT_PROMETHEUS:
            o->prometheus = optarg;
            break;
        case OPT_END:
            if (units_parse_time(optarg, &o->end_s) != 0)
                return cli_usage_error("--end: '%s' is not RFC 3339 "
                                   "(2026-11-01T00:00:00Z) or unix seconds", optarg);
            if (!(o->end_s >= 0 && o->end_s <= CLI_END_MAX_S))
                return cli_usage_error("--end: '%s' is out of range (1970 to 9999)", optarg);
            break;
        case OPT_RANGE:
            if (units_parse_duration(optarg, &o->range_s) != 0)
                return cli_usage_error("--range: '%s' is not a duration like 30d, 12h, 90m",
                                   optarg);
            if (!(o->range_s <= CLI_RANGE_MAX_S))
                return cli_usage_error("--range: '%s' is longer than 3660d (ten years)", optarg);
            break;
        case OPT_STEP:
            if (units_parse_duration(optarg, &o->step_s) != 0)
                return cli_usage_error("--step: '%s' is not a duration like 5m, 60s", optarg);
            break;
        case OPT_SERVICE:
            o->services = xrealloc(o->services, (o->n_services + 1) * sizeof(*o->services));
            o->services[o->n_services++] = optarg;
            break;
        case OPT_SET: {
            char key[512];
            const char *value;

            if (cli_split_set(optarg, key, sizeof(key), &value) != 0)
                return cli_usage_error("--set: '%s' is not KEY=VALUE "
                                       "(e.g. economics.horizon_months=36)", optarg);
            o->sets = xrealloc(o->sets, (o->n_sets + 1) * sizeof(*o->sets));
            o->sets[o->n_sets++] = optarg;
            break;
        }
        case OPT_SEED:
            if (parse_u64(optarg, &o->seed) != 0)
                return cli_usage_error("--seed: '%s' is not a non-negative integer", optarg);
            break;
        case OPT_DRAWS:
            if (parse_u64(optarg, &u) != 0 || u < 1 || u > 10000000)
                return cli_usage_error("--draws: '%s' is not a number from 1 to 10000000",
                                   optarg);
            o->draws = (size_t)u;
            break;
        case 'f':
            o->format = report_format_find(optarg);
            if (o->format == NULL) {
                char names[128];

                return cli_usage_error("--format: unknown format '%s' (%s)", optarg,
                                       report_format_names(names, sizeof(names),
                                                           REPORT_FORMATS_ALL, ", ", ", "));
            }
            break;
        case 'o':
            o->output = optarg;
            break;
        case OPT_STRICT:
            o->strict = 1;
            break;
        case OPT_NO_COLOR:
            o->no_color = 1;
            break;
        case OPT_ASCII:
            o->ascii = 1;
            break;
        case OPT_NO_MOUSE:
            o->no_mouse = 1;
            break;
        case OPT_DRY_RUN:
            o->dry_run = 1;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            usage();
            return CLI_EXIT_OK;
        case 'V':
            printf("verdict %s\n", VERDICT_VERSION);
            return CLI_EXIT_OK;
        case ':':
            return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        if (parse_command(argv[optind], &o->command) != 0)
            return cli_usage_error("unknown command '%s' (tui, score, report, fetch, diff, "
                               "check-config)",
                               argv[optind]);
        optind++;
    }
    o->operands = argv + optind;
    o->n_operands = argc - optind;
    if (o->n_operands > max_operands(o->command))
        return cli_usage_error("unexpected argument '%s'",
                           o->operands[max_operands(o->command)]);
    if (o->command == CMD_SCORE && o->format->ranking == NULL) {
        char score[128], reports[128];

        return cli_usage_error("score: --format is %s (%s are reports: verdict report "
                               "--format %s)",
                               report_format_names(score, sizeof(score),
                                                   REPORT_FORMATS_RANKING, ", ", " or "),
                               report_format_names(reports, sizeof(reports),
                                                   REPORT_FORMATS_REPORT_ONLY, ", ", " and "),
                               o->format->name);
    }
    return -1;
}

static int cmd_check_config(const struct cli_options *o)
{
    struct assumptions a;
    struct config_diags d = { NULL, 0, 0 };
    const char *path = o->n_operands == 1 ? o->operands[0] : o->config;
    char xdg[4096];
    int rc;

    if (path == NULL)
        path = cli_default_config(xdg, sizeof(xdg));
    if (path == NULL)
        return cli_usage_error("check-config: no FILE given and no ./verdict.yaml or %s", xdg);
    rc = config_load_file(path, &a, &d);
    if (rc == 0) {
        printf("ok\n");
        assumptions_done(&a);
        config_diags_done(&d);
        return CLI_EXIT_OK;
    }
    cli_print_diags(&d);
    config_diags_done(&d);
    return CLI_EXIT_USAGE;
}

/* Partial data for a report: what measurements_partial says, or a service
 * of the inventory with nothing measured at all. */
static int partial(const struct analysis *an, const struct measurements *m)
{
    size_t i;

    for (i = 0; i < an->n_services; i++)
        if (an->services[i].data == NULL)
            return 1;
    return cli_measurements_partial(m);
}

/* Write a rendered document to -o FILE (atomically) or standard output. */
static int write_output(const struct cli_options *o, const char *buf, size_t len)
{
    int rc;

    if (o->output != NULL) {
        rc = util_write_file_atomic(o->output, buf, len);
        if (rc != 0) {
            char clean[512];

            util_sanitize(clean, sizeof(clean), o->output);
            fprintf(stderr, "verdict: %s: %s\n", clean, strerror(errno));
        }
    } else {
        rc = fwrite(buf, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
        if (rc != 0)
            fprintf(stderr, "verdict: writing to standard output: %s\n", strerror(errno));
    }
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

/* Render into memory first, so -o writes a complete file or nothing. */
static int emit(const struct cli_options *o, const struct report_ctx *ctx)
{
    report_writer_fn w = o->command == CMD_SCORE ? o->format->ranking : o->format->write;
    char *buf;
    size_t len;
    int rc;

    if (report_render(w, ctx, &buf, &len) != 0) {
        fprintf(stderr, "verdict: could not render the report\n");
        return CLI_EXIT_FAILURE;
    }
    rc = write_output(o, buf, len);
    free(buf);
    return rc;
}

static const char snapshot_too_large[] =
    "the snapshot would be larger than 256 MiB, the most a snapshot may hold (names or "
    "server messages too long?): fetch fewer services with --service";

/* The snapshot to -o FILE (atomically) or standard output. */
static int write_snapshot(const struct cli_options *o, const struct measurements *m)
{
    struct atomic_file af;
    char clean[512];
    int rc;

    if (o->output == NULL) {
        rc = snapshot_write(stdout, m);
        if (rc == 0 && fflush(stdout) == 0)
            return CLI_EXIT_OK;
        if (rc == -2)
            fprintf(stderr, "verdict: %s\n", snapshot_too_large);
        else
            fprintf(stderr, "verdict: writing to standard output: %s\n", strerror(errno));
        return CLI_EXIT_FAILURE;
    }
    util_sanitize(clean, sizeof(clean), o->output);
    if (util_atomic_open(&af, o->output) != 0) {
        fprintf(stderr, "verdict: %s: %s\n", clean, strerror(errno));
        return CLI_EXIT_FAILURE;
    }
    rc = snapshot_write(af.f, m);
    if (rc != 0) {
        int saved = errno;

        util_atomic_abort(&af);
        if (rc == -2)
            fprintf(stderr, "verdict: %s: not written: %s\n", clean, snapshot_too_large);
        else
            fprintf(stderr, "verdict: %s: could not write the snapshot: %s\n", clean,
                    strerror(saved));
        return CLI_EXIT_FAILURE;
    }
    if (util_atomic_commit(&af) != 0) {
        fprintf(stderr, "verdict: %s: %s\n", clean, strerror(errno));
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

static int cmd_fetch(const struct cli_options *o)
{
    struct assumptions a;
    struct measurements m;
    const char *config_name = NULL;
    char xdg[4096], err[1024];
    int rc;

    memset(&m, 0, sizeof(m));
    rc = cli_load_assumptions(o, &a, &config_name, xdg, sizeof(xdg));
    if (rc >= 0)
        return rc;
    rc = cli_filter_services(o, &a);
    if (rc >= 0)
        goto out;
    if (o->dry_run) {
        struct fetch_options fo;

        cli_fetch_options(o, &a, &fo);
        rc = fetch_dry_run(&a, &fo, stdout, err, sizeof(err)) == 0 ? CLI_EXIT_OK
                                                                   : CLI_EXIT_USAGE;
        if (rc != CLI_EXIT_OK)
            fprintf(stderr, "verdict: %s\n", err);
        goto out;
    }
    rc = cli_fetch_live(o, &a, &m);
    if (rc >= 0)
        goto out;
    /* streamed, not rendered in memory first: a thousand services' charts
     * are a hundred megabytes of text */
    rc = write_snapshot(o, &m);
    if (rc == CLI_EXIT_OK && cli_measurements_partial(&m)) {
        if (!o->quiet)
            fprintf(stderr, "verdict: some queries failed or returned no data; "
                    "the snapshot says which\n");
        rc = o->strict ? CLI_EXIT_FAILURE : CLI_EXIT_PARTIAL;
    }
out:
    measurements_done(&m);
    assumptions_done(&a);
    return rc;
}

/* verdict diff OLD.json NEW.json: what changed between two reports. */
static int cmd_diff(const struct cli_options *o)
{
    char *a = NULL, *b = NULL, err[1024], clean[512];
    size_t la = 0, lb = 0;
    enum diff_format fmt;
    int rc = CLI_EXIT_USAGE;

    if (o->n_operands != 2)
        return cli_usage_error("diff: give two reports, OLD.json NEW.json");
    /* diff's own order, as verdict(1) lists them */
    if (o->format->diff < 0)
        return cli_usage_error("diff: --format is text, md or json");
    fmt = (enum diff_format)o->format->diff;
    /* 10,000 services (the most an inventory holds) make about 90 MB */
    a = util_read_file_max(o->operands[0], CLI_DIFF_MAX_BYTES, &la);
    b = a != NULL ? util_read_file_max(o->operands[1], CLI_DIFF_MAX_BYTES, &lb) : NULL;
    if (b == NULL) {
        util_sanitize(clean, sizeof(clean), o->operands[a != NULL ? 1 : 0]);
        if (errno == EFBIG)
            fprintf(stderr, "verdict: %s: larger than %d MiB: not a verdict report\n", clean,
                    CLI_DIFF_MAX_BYTES >> 20);
        else
            fprintf(stderr, "verdict: %s: %s\n", clean, strerror(errno));
    } else {
        /* into memory first, so -o writes a complete file or nothing */
        char *out = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&out, &len);

        if (mem == NULL)
            xoom();
        rc = diff_reports(o->operands[0], a, la, o->operands[1], b, lb, fmt, mem, err,
                          sizeof(err));
        if (fclose(mem) != 0 && rc == 0) {
            snprintf(err, sizeof(err), "could not render the diff");
            rc = -1;
        }
        if (rc != 0) {
            fprintf(stderr, "verdict: %s\n", err);
            rc = CLI_EXIT_USAGE;
        } else {
            rc = write_output(o, out, len);
        }
        free(out);
    }
    free(a);
    free(b);
    return rc;
}

static int cmd_analyse(const struct cli_options *o)
{
    struct assumptions a;
    struct measurements m;
    struct analysis an;
    struct analysis_options aopt;
    struct report_ctx ctx;
    const char *config_name = NULL;
    char xdg[4096], stamp[64];
    int rc;

    memset(&m, 0, sizeof(m));
    memset(&an, 0, sizeof(an));
    rc = cli_load_assumptions(o, &a, &config_name, xdg, sizeof(xdg));
    if (rc >= 0)
        return rc;
    rc = cli_filter_services(o, &a);
    if (rc >= 0)
        goto out;
    rc = cli_load_measurements(o, &a, &m);
    if (rc >= 0)
        goto out;
    inventory_resolve(&a, &m);     /* the inputs the file leaves out */
    aopt.seed = o->seed;
    aopt.draws = o->draws;
    if (analysis_run(&a, &m, &aopt, &an) != 0)
        xoom();

    report_ctx_init(&ctx, &a, &m, &an, config_name, o->seed, o->draws, stamp, sizeof(stamp));
    rc = emit(o, &ctx);
    if (rc == CLI_EXIT_OK && partial(&an, &m)) {
        if (!o->quiet)
            fprintf(stderr, "verdict: some services have no or partial data; "
                    "the report says which\n");
        rc = o->strict ? CLI_EXIT_FAILURE : CLI_EXIT_PARTIAL;
    }
out:
    analysis_done(&an);
    measurements_done(&m);
    assumptions_done(&a);
    return rc;
}

/* A snapshot read on a thread of its own while the assumptions are
 * parsed: with 10,000 services each takes a few hundred milliseconds. */
struct cli_snapshot_job {
    const char *path;
    struct measurements m;
    struct snapshot_charts *charts;
    char err[1024];
    int rc;
};

static void *cli_snapshot_run(void *arg)
{
    struct cli_snapshot_job *j = arg;

    /* the charts' arrays, nearly all of a large snapshot, are read from
     * the event loop once the table is up */
    j->rc = snapshot_load_file_later(j->path, &j->m, &j->charts, j->err, sizeof(j->err));
    return NULL;
}

/* The TUI on the assumptions (a YAML document it can edit and save) and
 * the measurements: a snapshot, the demo's, or fetched live from inside
 * the TUI's event loop so the screen answers while it runs. */
static int cmd_tui(const struct cli_options *o, double start_s)
{
    struct session s;
    struct cli_snapshot_job job;
    struct analysis_options aopt;
    struct tui_options to;
    pthread_t thread;
    const char *path = o->config;
    char xdg[4096], err[1024];
    int rc = 0, threaded = 0;

    memset(&job, 0, sizeof(job));
    if (o->n_services > 0)
        return cli_usage_error("--service is for batch commands; in the TUI use / to filter");
    if (path == NULL && !o->demo) {
        path = cli_default_config(xdg, sizeof(xdg));
        if (path == NULL) {
            fprintf(stderr, "verdict: no assumptions file: give -c FILE, or create "
                    "./verdict.yaml (data/demo/verdict.yaml is an annotated example), "
                    "or try --demo\n");
            return CLI_EXIT_USAGE;
        }
    }
    job.path = o->snapshot;
    if (o->snapshot != NULL)
        threaded = pthread_create(&thread, NULL, cli_snapshot_run, &job) == 0;
    if (o->snapshot != NULL && !threaded)
        cli_snapshot_run(&job);
    else if (o->snapshot == NULL && o->demo)
        job.rc = snapshot_load_buffer(demo_snapshot_path, demo_snapshot, demo_snapshot_len,
                                      &job.m, job.err, sizeof(job.err));
    aopt.seed = o->seed;
    aopt.draws = o->draws;
    if (path != NULL)
        rc = session_open_unmeasured(&s, path, NULL, NULL, 0, &aopt, err, sizeof(err));
    else
        rc = session_open_unmeasured(&s, NULL, demo_yaml_path, demo_yaml, demo_yaml_len, &aopt,
                                     err, sizeof(err));
    if (threaded)
        pthread_join(thread, NULL);
    /* the snapshot's problem first, as when they were read in turn */
    if (job.rc != 0 || rc != 0) {
        fprintf(stderr, "verdict: %s\n", job.rc != 0 ? job.err : err);
        if (rc == 0)
            session_close(&s);
        measurements_done(&job.m);
        snapshot_charts_free(job.charts);
        return CLI_EXIT_USAGE;
    }
    session_measure(&s, &job.m);
    session_charts_later(&s, job.charts);
    for (size_t i = 0; i < o->n_sets; i++) {
        char key[512], clean[1024];
        const char *value;

        if (cli_split_set(o->sets[i], key, sizeof(key), &value) == 0 &&
            session_set(&s, key, value, err, sizeof(err)) != 0) {
            util_sanitize(clean, sizeof(clean), o->sets[i]);
            fprintf(stderr, "verdict: --set %s: %s\n", clean, err);
            session_close(&s);
            return CLI_EXIT_USAGE;
        }
    }
    if (o->prometheus != NULL && o->prometheus[0] != '\0') {
        free(s.fetch_url);
        s.fetch_url = xstrdup(o->prometheus);
    }
    s.fetch_opt.end_s = o->end_s;
    s.fetch_opt.range_s = o->range_s;
    s.fetch_opt.step_s = o->step_s;
    if (o->snapshot == NULL && !o->demo && session_fetch_start(&s, err, sizeof(err)) != 0) {
        fprintf(stderr, "verdict: %s\n", err);
        session_close(&s);
        return CLI_EXIT_USAGE;
    }
    memset(&to, 0, sizeof(to));
    to.ascii = o->ascii;
    to.no_color = o->no_color;
    to.no_mouse = o->no_mouse;
    to.start_s = start_s;
    rc = tui_run(&s, &to);
    session_close(&s);
    return rc;
}

int cli_main(int argc, char **argv)
{
    struct cli_options o;
    double start_s = util_now_s();
    int rc;

    memset(&o, 0, sizeof(o));
    o.command = CMD_TUI;
    o.seed = 1;
    o.format = &report_formats[0];
    o.end_s = NAN;
    rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        goto out;
    if (o.prometheus == NULL)
        o.prometheus = getenv("VERDICT_PROMETHEUS_URL");
    switch (o.command) {
    case CMD_CHECK_CONFIG:
        rc = cmd_check_config(&o);
        break;
    case CMD_FETCH:
        rc = cmd_fetch(&o);
        break;
    case CMD_DIFF:
        rc = cmd_diff(&o);
        break;
    case CMD_TUI:
        if (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO)) {
            rc = cmd_tui(&o, start_s);
            break;
        }
        /* not a terminal: the text report, as `verdict report` would */
        if (!isatty(STDOUT_FILENO) && !o.quiet)
            fprintf(stderr, "verdict: standard output is not a terminal; "
                    "in scripts use 'verdict report'\n");
        o.command = CMD_REPORT;
        rc = cmd_analyse(&o);
        break;
    default:
        rc = cmd_analyse(&o);
        break;
    }
out:
    free(o.services);
    free(o.sets);
    return rc;
}
