/* cli_input.h: the command line's options, and what gathers a run's inputs. */
#ifndef VERDICT_CLI_INPUT_H
#define VERDICT_CLI_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "verdict/assumptions.h"
#include "verdict/config.h"
#include "verdict/fetch.h"
#include "verdict/measure.h"

struct report_format;

/* Internal to app/cli.c and app/cli_input.c.  Functions returning int
 * return -1 to go on, or an exit code (CLI_EXIT_*) after printing why. */

enum cli_command {
    CMD_TUI,
    CMD_SCORE,
    CMD_REPORT,
    CMD_CHECK_CONFIG,
    CMD_FETCH,
    CMD_DIFF
};

struct cli_options {
    enum cli_command command;
    const char *config;
    const char *snapshot;
    const char *prometheus;
    const char *output;
    const struct report_format *format;   /* a row of report_formats */
    int demo;
    int quiet;
    int no_color;
    int ascii;
    int no_mouse;
    int strict;
    int dry_run;
    int verbose;
    uint64_t seed;
    size_t draws;
    double end_s;        /* NaN: now */
    double range_s;      /* 0: from the assumptions */
    double step_s;
    const char **services;
    size_t n_services;
    const char **sets;   /* --set KEY=VALUE, in order */
    size_t n_sets;
    char **operands;
    int n_operands;
};

/* Print "verdict: MESSAGE" (sanitised) and the --help hint; returns
 * CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ./verdict.yaml, else $XDG_CONFIG_HOME/verdict/verdict.yaml (or
 * ~/.config/...), whichever exists; NULL if neither (xdg holds the path). */
const char *cli_default_config(char *xdg, size_t xdglen);

/* The loader's diagnostics, one per line, on standard error. */
void cli_print_diags(const struct config_diags *d);

/* The assumptions: -c FILE, the demo's, or cli_default_config; *name is
 * what was read.  --set edits are applied to the file's text first (the
 * file on disk is not touched) and recorded as command-line overrides. */
/* Split "KEY=VALUE" of --set: key into buf (len bytes), *value after '='.
 * Returns 0, or -1 when there is no '=' or no key. */
int cli_split_set(const char *arg, char *key, size_t keylen, const char **value);

int cli_load_assumptions(const struct cli_options *o, struct assumptions *a,
                         const char **name, char *xdg, size_t xdglen);

/* The fetch options from the command line over the assumptions file. */
void cli_fetch_options(const struct cli_options *o, const struct assumptions *a,
                       struct fetch_options *fo);

/* Fetch live (progress on a terminal); services found by discovery join *a
 * with defaults.  Exit 1 when the server cannot be reached. */
int cli_fetch_live(const struct cli_options *o, struct assumptions *a, struct measurements *m);

/* The measurements: --snapshot, the demo's, or fetched live. */
int cli_load_measurements(const struct cli_options *o, struct assumptions *a,
                          struct measurements *m);

/* Keep only the services named with --service (discovery is then off). */
int cli_filter_services(const struct cli_options *o, struct assumptions *a);

/* 1 when a query failed, came back empty or partial, or discovery failed. */
int cli_measurements_partial(const struct measurements *m);

#endif /* VERDICT_CLI_INPUT_H */
