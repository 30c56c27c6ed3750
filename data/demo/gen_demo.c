/* gen_demo.c: writes the demo snapshot (data/demo/snapshot.json) from synthetic series. */

/*
 * Usage: gen_demo > data/demo/snapshot.json   (make demo-data does this)
 *
 * Deterministic: its own PRNG seeded from each service's name, no rand(),
 * no clock.  Thirty days at 5-minute steps (8,640 points) ending at
 * 2026-11-01T00:00:00Z, six signals per service (no GC), reduced with
 * stats_compute(), stats_exceedance() (p99) and chart_reduce() and written
 * with snapshot_write().
 *
 * THE TABLE BELOW GOES WITH data/demo/verdict.yaml: same services, same
 * names, same order, and the same instances, cores_per_instance and
 * memory_per_instance.  Change one, change the other, then run
 * `make demo-data` and commit both.
 *
 * How the numbers are made consistent with the inventory (the formulas of
 * models/analysis.c):
 *   CPU utilisation = p95(fleet cores) / (instances * cores_per_instance):
 *     the CPU series is generated in shape, then scaled so that its p95 is
 *     exactly util * instances * cores.
 *   runtime share = (mean cores / mean req/s) / median(p50 latency):
 *     the p50 series is scaled so that its median is
 *     (mean cores / mean req/s) / share.
 *   tail ratio = median(p99) / median(p50): p99 is p50 times `tail` (with
 *     noise), plus GC-like spikes that move the chart, not the median.
 *   memory utilisation = p95(fleet bytes) / instances / memory_per_instance:
 *     memory runs from mem_u0 to mem_u1 of the fleet's memory over 30 days.
 *   mean latency (the optional sixth signal, histogram _sum / _count):
 *     p50 times a ratio set by the tail, with its own noise, drawn from a second
 *     PRNG after every other series, so the five above are as they were
 *     before it existed.  Request latency taken as lognormal with the
 *     intended tail: sigma = ln(tail) / z_0.99 (z_0.99 = 2.3263), and a
 *     lognormal's mean is its median times exp(sigma^2 / 2).  Example: tail
 *     8 (edge-proxy): sigma = 2.0794 / 2.3263 = 0.894, mean = 1.49 x p50;
 *     tail 3.4 (pricing-engine): 1.15 x.  analysis.c then takes the runtime
 *     share against the mean, so the share is `share` / that ratio.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/measure.h"
#include "verdict/snapshot.h"
#include "verdict/stats.h"

#define DEMO_END_S 1793491200.0     /* 2026-11-01T00:00:00Z */
#define DEMO_RANGE_S 2592000.0      /* 30 days */
#define DEMO_STEP_S 300.0           /* 5 minutes */
#define DEMO_POINTS 8640
#define DEMO_BUCKETS 720            /* hourly chart */
#define DEMO_GIB (1024.0 * 1024.0 * 1024.0)
#define DEMO_PI 3.14159265358979323846

struct demo_service {
    const char *name;
    const char *language;
    int instances;
    double cores;           /* per instance */
    double mem_gib;         /* per instance */
    double rps_peak;        /* fleet, at the daily peak on a weekday */
    double diurnal;         /* 0: flat; 0.6: the night is 40 % of the peak */
    double weekend;         /* load factor on Saturday and Sunday */
    double base_frac;       /* share of CPU that is background, not per request */
    double util;            /* intended CPU utilisation (p95 / capacity) */
    double share;           /* intended runtime share */
    double tail;            /* intended p99 / p50 without spikes */
    double spike_prob;      /* chance per 5-minute point at peak load */
    double spike_lo, spike_hi;  /* p99 multiplier during a spike */
    double mem_u0, mem_u1;  /* fleet memory / fleet capacity, first and last day */
    double gap_start_h;     /* hours after the range start; < 0: no gap */
    int gap_points;
    unsigned gap_signals;   /* bit per enum signal */
};

#define ALL_SIGNALS 0x1fu  /* the five required signals */

static const struct demo_service demo[] = {
    /* Python pricing pipeline eating ~37 of 48 cores, p50 ~95 ms, p99 ~320 ms
     * (seed 001: 40 cores, p99 340 ms): a clear migrate.  A 2-hour scrape
     * outage on day 12. */
    { "pricing-engine", "python", 12, 4, 4, 450, 0.55, 0.85, 0.02, 0.78, 0.90, 3.4,
      0, 0, 0, 0.37, 0.38, 12 * 24 + 9, 24, ALL_SIGNALS },
    /* Node.js API gateway, 20 single-core instances at 80 % (seed 003:
     * 10,000 req/s over 20 instances); GC pauses push p99 to 60-200 ms a few
     * times an hour while p50 stays flat near 2 ms. */
    { "api-gateway", "node", 20, 1, 1, 10000, 0.6, 0.75, 0.05, 0.80, 0.70, 5.0,
      0.05, 6, 18, 0.55, 0.57, -1, 0, 0 },
    /* Java report builder leaking memory: fleet memory grows from 62 % to 90 %
     * of 16 x 4 GiB (seed 000: 4 GB heaps) while CPU sits at 35 %, so memory
     * sizes this fleet. */
    { "report-builder", "java", 16, 2, 4, 40, 0.7, 0.5, 0.05, 0.35, 0.60, 4.0,
      0.01, 2, 4, 0.62, 0.90, -1, 0, 0 },
    /* Go CRUD service: waits on its database, a third of its CPU: keep. */
    { "orders-api", "go", 6, 2, 1, 800, 0.6, 0.7, 0.1, 0.30, 0.25, 3.0,
      0, 0, 0, 0.35, 0.36, -1, 0, 0 },
    /* Python service I/O-bound on Postgres: 3-4 ms of CPU in a ~75 ms
     * request, runtime share 0.05: a rewrite would not move its latency. */
    { "user-profile", "python", 8, 1, 1, 900, 0.6, 0.8, 0.05, 0.40, 0.05, 4.0,
      0, 0, 0, 0.45, 0.46, -1, 0, 0 },
    /* Idle Go infrastructure daemon at ~5 % CPU, held at its availability
     * floor (min_instances == instances): nothing to save. */
    { "config-agent", "go", 3, 1, 0.5, 150, 0.2, 0.95, 0.6, 0.05, 0.30, 2.5,
      0, 0, 0, 0.12, 0.12, -1, 0, 0 },
    /* Python ML scoring: busy (65 %) but the compute already runs in native
     * libraries; the workload kind marks it a poor fit. */
    { "fraud-scoring", "python", 10, 4, 8, 1200, 0.5, 0.8, 0.05, 0.65, 0.85, 2.2,
      0, 0, 0, 0.55, 0.56, -1, 0, 0 },
    /* Node.js backend-for-frontend: glue, changed every week. */
    { "web-bff", "node", 4, 1, 1, 600, 0.65, 0.6, 0.05, 0.30, 0.25, 4.0,
      0, 0, 0, 0.40, 0.41, -1, 0, 0 },
    /* Go networking proxy: busy (62 %), GC gives it a wide tail. */
    { "edge-proxy", "go", 8, 2, 1, 20000, 0.55, 0.8, 0.05, 0.62, 0.55, 8.0,
      0.02, 2, 4, 0.30, 0.31, -1, 0, 0 },
    /* Java latency-critical payments: GC spikes, high criticality, and a
     * team new to Rust: the red-flag case. */
    { "payments-core", "java", 10, 4, 8, 1500, 0.55, 0.7, 0.05, 0.55, 0.70, 6.0,
      0.02, 3, 8, 0.66, 0.68, -1, 0, 0 },
    /* Node.js WebSocket fan-out: memory held by connections (70 %); a
     * 35-minute hole in its p99 series on day 20 (exporter restart). */
    { "realtime-feed", "node", 6, 2, 2, 3000, 0.6, 0.8, 0.1, 0.50, 0.60, 5.0,
      0.01, 2, 3, 0.68, 0.71, 20 * 24 + 14.5, 7, 1u << SIGNAL_P99_LATENCY },
    /* Java CRUD catalog: big steady heap, little CPU, rarely changes: keep. */
    { "catalog-service", "java", 4, 2, 4, 500, 0.6, 0.7, 0.15, 0.25, 0.30, 3.0,
      0.005, 2, 3, 0.60, 0.61, -1, 0, 0 },
};

#define DEMO_COUNT (sizeof(demo) / sizeof(demo[0]))

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_uniform(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Roughly normal, mean 0, standard deviation 1 (Irwin-Hall of 12). */
static double rng_normal(uint64_t *s)
{
    double sum = 0;
    int i;

    for (i = 0; i < 12; i++)
        sum += rng_uniform(s);
    return sum - 6.0;
}

static uint64_t seed_of(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a */

    for (; *name != '\0'; name++)
        h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
    return h;
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    if (p == NULL) {
        fputs("gen_demo: out of memory\n", stderr);
        exit(1);
    }
    memcpy(p, s, n);
    return p;
}

/* Load factor at time t: 1 at 15:00 UTC on a weekday, lower at night and on
 * weekends. */
static double load_at(const struct demo_service *d, double t)
{
    double day = floor(t / 86400.0);
    double hour = (t - day * 86400.0) / 3600.0;
    int dow = (int)fmod(day + 4.0, 7.0);        /* 1970-01-01 was a Thursday */
    double f = 1.0 - d->diurnal * (1.0 - cos(2.0 * DEMO_PI * (hour - 15.0) / 24.0)) / 2.0;

    if (dow == 0 || dow == 6)
        f *= d->weekend;
    return f;
}

static void scale(double *v, size_t n, double k)
{
    size_t i;

    for (i = 0; i < n; i++)
        v[i] *= k;
}

static struct series_stats stats_of(const double *t, const double *v)
{
    struct series_stats st;

    if (stats_compute(t, v, DEMO_POINTS, DEMO_STEP_S, &st) < 0) {
        fputs("gen_demo: out of memory\n", stderr);
        exit(1);
    }
    return st;
}

/* Round to 5 significant digits: the chart is for drawing, and this keeps
 * the embedded file about a third of the size. */
static double round5(double v)
{
    char buf[32];

    if (!isfinite(v) || v == 0)
        return v;
    snprintf(buf, sizeof(buf), "%.5g", v);
    return strtod(buf, NULL);
}

static void fill_signal(struct signal_data *sig, const double *t, const double *v, int s)
{
    size_t i;

    sig->present = 1;
    sig->stats = stats_of(t, v);
    /* as fetch keeps it: the p99 series' exceedance table, full precision */
    if (s == SIGNAL_P99_LATENCY) {
        sig->exceedance = malloc(STATS_EXCEEDANCE_LEVELS * sizeof(double));
        if (sig->exceedance == NULL || stats_exceedance(v, DEMO_POINTS, sig->exceedance) < 0) {
            fputs("gen_demo: out of memory\n", stderr);
            exit(1);
        }
    }
    if (chart_reduce(t, v, DEMO_POINTS, DEMO_END_S - DEMO_RANGE_S, DEMO_END_S, DEMO_BUCKETS,
                     &sig->chart) < 0) {
        fputs("gen_demo: chart_reduce failed\n", stderr);
        exit(1);
    }
    for (i = 0; i < sig->chart.n; i++) {
        sig->chart.min[i] = round5(sig->chart.min[i]);
        sig->chart.max[i] = round5(sig->chart.max[i]);
        sig->chart.mean[i] = round5(sig->chart.mean[i]);
    }
}

static void generate(const struct demo_service *d, struct service_data *out)
{
    static double t[DEMO_POINTS], v[SIGNAL_COUNT][DEMO_POINTS];
    double *p99 = v[SIGNAL_P99_LATENCY], *p50 = v[SIGNAL_P50_LATENCY];
    double *cpu = v[SIGNAL_CPU], *mem = v[SIGNAL_MEMORY], *rps = v[SIGNAL_RPS];
    double start = DEMO_END_S - DEMO_RANGE_S, capacity = d->instances * d->cores;
    double mem_capacity = d->instances * d->mem_gib * DEMO_GIB;
    struct series_stats st_cpu, st_rps, st_p50;
    uint64_t rng = seed_of(d->name);
    size_t i;
    int s;

    /* Shapes first; CPU and p50 get their scale below. */
    for (i = 0; i < DEMO_POINTS; i++) {
        double f, frac = (double)i / (DEMO_POINTS - 1);

        t[i] = start + (double)i * DEMO_STEP_S;
        f = load_at(d, t[i]) * (1.0 + 0.03 * rng_normal(&rng));
        rps[i] = d->rps_peak * f;
        cpu[i] = (d->base_frac + (1.0 - d->base_frac) * f) * (1.0 + 0.03 * rng_normal(&rng));
        /* latency rises a little with load */
        p50[i] = (0.9 + 0.15 * f) * (1.0 + 0.03 * rng_normal(&rng));
        mem[i] = mem_capacity * (d->mem_u0 + (d->mem_u1 - d->mem_u0) * frac) *
                 (1.0 + 0.004 * rng_normal(&rng) + 0.01 * (f - 0.7));
    }
    if (d->gap_start_h >= 0) {
        size_t g0 = (size_t)(d->gap_start_h * 3600.0 / DEMO_STEP_S);

        for (s = 0; s < SIGNAL_COUNT; s++)
            if (d->gap_signals & (1u << s))
                for (i = g0; i < g0 + (size_t)d->gap_points && i < DEMO_POINTS; i++)
                    v[s][i] = NAN;
    }

    st_cpu = stats_of(t, cpu);
    scale(cpu, DEMO_POINTS, d->util * capacity / st_cpu.p95);
    st_cpu = stats_of(t, cpu);
    st_rps = stats_of(t, rps);
    st_p50 = stats_of(t, p50);
    scale(p50, DEMO_POINTS, st_cpu.mean / st_rps.mean / d->share / st_p50.p50);

    /* p99 follows p50 with its own noise; GC-like pauses are rare, short and
     * more likely when busy, and leave p50 alone. */
    for (i = 0; i < DEMO_POINTS; i++) {
        double f = load_at(d, t[i]);

        p99[i] = p50[i] * d->tail * (1.0 + 0.08 * rng_normal(&rng));
        if (d->spike_prob > 0 && rng_uniform(&rng) < d->spike_prob * f)
            p99[i] *= d->spike_lo + (d->spike_hi - d->spike_lo) * rng_uniform(&rng);
    }
    if (d->gap_start_h >= 0 && (d->gap_signals & (1u << SIGNAL_P99_LATENCY))) {
        size_t g0 = (size_t)(d->gap_start_h * 3600.0 / DEMO_STEP_S);

        for (i = g0; i < g0 + (size_t)d->gap_points && i < DEMO_POINTS; i++)
            p99[i] = NAN;
    }

    /* mean latency: its own stream, so the series above do not move */
    {
        uint64_t rng2 = seed_of(d->name) ^ 0x6d65616e6c6174ULL;   /* "meanlat" */
        double sigma = log(d->tail) / 2.3263478740408408, ratio = exp(sigma * sigma / 2);

        for (i = 0; i < DEMO_POINTS; i++)
            v[SIGNAL_MEAN_LATENCY][i] = p50[i] * ratio * (1.0 + 0.02 * rng_normal(&rng2));
    }

    memset(out, 0, sizeof(*out));
    out->name = dup_string(d->name);
    out->detected_language = dup_string(d->language);
    /* no GC series; no targets up: the demo inventory gives instances */
    for (s = 0; s < SIGNAL_COUNT; s++)
        if (s != SIGNAL_GC && s != SIGNAL_INSTANCES)
            fill_signal(&out->signals[s], t, v[s], s);
}

int main(void)
{
    struct measurements m;
    size_t i;
    int rc;

    memset(&m, 0, sizeof(m));
    m.source = dup_string("demo (synthetic, data/demo/gen_demo.c)");
    m.end_s = DEMO_END_S;
    m.range_s = DEMO_RANGE_S;
    m.step_s = DEMO_STEP_S;
    m.services = calloc(DEMO_COUNT, sizeof(*m.services));
    if (m.services == NULL) {
        fputs("gen_demo: out of memory\n", stderr);
        return 1;
    }
    m.n_services = DEMO_COUNT;
    for (i = 0; i < DEMO_COUNT; i++)
        generate(&demo[i], &m.services[i]);
    rc = snapshot_write(stdout, &m);
    measurements_done(&m);
    if (rc < 0) {
        fputs("gen_demo: write error\n", stderr);
        return 1;
    }
    return 0;
}
