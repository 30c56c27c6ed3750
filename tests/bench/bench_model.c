/* bench_model.c: times the model (score, cost, Monte Carlo, tornado) and the HTML writer. */

/*
 * Usage: bench_model CONFIG SNAPSHOT DRAWS REPS
 *
 * Loads the assumptions and the snapshot once, then REPS times in a row:
 * analysis_run() with DRAWS Monte Carlo draws per service (what every
 * command runs before it prints anything) and report_html() of the result
 * into /dev/null.  Prints one line per figure and repetition:
 *     load_s 1.234 1.201
 *     model_s 0.987 0.980
 *     html_s 0.456 0.450
 * (wall seconds, then CPU seconds of this process: on a machine shared
 * with other work the CPU time is the steadier figure), so that
 * tests/bench/run.sh can take medians.  `verdict score` and
 * `verdict report --format html` are timed end to end by run.sh as well;
 * these figures say how much of that is the model and the writer, and how
 * much is reading the snapshot.  Built by run.sh against the objects of the
 * main build ($(O)/libverdict_app.a, $(O)/libverdict_models.a).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verdict/analysis.h"
#include "verdict/config.h"
#include "verdict/measure.h"
#include "verdict/report.h"
#include "verdict/snapshot.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct assumptions a;
    struct measurements m;
    struct config_diags diags;
    struct analysis_options opt;
    char err[1024];
    double t0, c0;
    long reps, draws, r;
    size_t i;
    FILE *devnull;

    if (argc != 5) {
        fprintf(stderr, "usage: bench_model CONFIG SNAPSHOT DRAWS REPS\n");
        return 2;
    }
    draws = strtol(argv[3], NULL, 10);
    reps = strtol(argv[4], NULL, 10);
    memset(&diags, 0, sizeof(diags));
    if (config_load_file(argv[1], &a, &diags) != 0) {
        for (i = 0; i < diags.n && i < 5; i++)
            fprintf(stderr, "bench_model: %s\n", diags.lines[i]);
        config_diags_done(&diags);
        return 1;
    }
    config_diags_done(&diags);
    t0 = now_s();
    c0 = cpu_s();
    if (snapshot_load_file(argv[2], &m, err, sizeof(err)) != 0) {
        fprintf(stderr, "bench_model: %s\n", err);
        assumptions_done(&a);
        return 1;
    }
    printf("load_s %.4f %.4f\n", now_s() - t0, cpu_s() - c0);
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL) {
        perror("/dev/null");
        return 1;
    }
    opt.seed = 1;
    opt.draws = draws > 0 ? (size_t)draws : 0;
    for (r = 0; r < reps; r++) {
        struct analysis an;
        struct report_ctx ctx;
        char stamp[64];

        memset(&an, 0, sizeof(an));
        t0 = now_s();
        c0 = cpu_s();
        if (analysis_run(&a, &m, &opt, &an) != 0) {
            fprintf(stderr, "bench_model: analysis_run failed\n");
            return 1;
        }
        printf("model_s %.4f %.4f\n", now_s() - t0, cpu_s() - c0);
        report_ctx_init(&ctx, &a, &m, &an, argv[1], opt.seed, opt.draws, stamp, sizeof(stamp));
        t0 = now_s();
        c0 = cpu_s();
        if (report_html(devnull, &ctx) != 0) {
            fprintf(stderr, "bench_model: report_html failed\n");
            return 1;
        }
        fflush(devnull);
        printf("html_s %.4f %.4f\n", now_s() - t0, cpu_s() - c0);
        fflush(stdout);
        analysis_done(&an);
    }
    fclose(devnull);
    measurements_done(&m);
    assumptions_done(&a);
    return 0;
}
