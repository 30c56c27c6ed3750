/* checklist.c: the seeds' migrate-when / don't-migrate-when checklist, ticked from the data. */
#include "verdict/checklist.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * Thresholds the struct thresholds does not hold.  Where score.c already
 * draws a line, the checklist uses the same one so the two never disagree.
 *
 * CHECKLIST_RUNTIME_SHARE 0.5: at half of each request spent computing,
 *   score.c says "the language is the bottleneck" (seed 000: the runtime,
 *   not the database or the network, must be the limit).
 * CHECKLIST_BUSY_CPU 0.5: fleet CPU at p95 of half the provisioned cores,
 *   the middle of score.c's 20..80 % ramp: CPU sizes the fleet (seed 000:
 *   a throughput bottleneck).
 * CHECKLIST_TAIL_RATIO 5: p99 at 5x p50, strength 0.5 on score.c's 2..8
 *   ramp: a tail wide enough to be felt (seed 000: GC pauses killing the
 *   p99; seed 001: gateway spikes traced to GC pressure).
 * CHECKLIST_GC_SHARE 0.02: with a GC signal, the tail is blamed on the
 *   collector only when it takes 2 % or more of the CPU time (no seed
 *   figure; below that the pauses are too rare to explain a wide tail).
 * CHECKLIST_MEMORY_TIGHT 0.9 and CHECKLIST_MEMORY_GROWTH 0.005 a day:
 *   score.c's "memory is tight" and "looks like a leak" lines (seed 000:
 *   heap many times what Rust needs; seed 001: OOM kills from growth).
 * CHECKLIST_MANY_INSTANCES 10: seed 000's example runs hundreds; memory is
 *   only "unsustainable" when it is paid for many times over, and ten is
 *   verdict's own line for "many" (no seed gives one).
 * CHECKLIST_STABLE_CHANGES 1: under one change a month score.c calls a
 *   service stable (seed 000: don't rewrite something that works).
 * Speed is the only reason (seed 000) when the performance factors alone
 * (runtime share, tail, CPU, memory: their strengths averaged with their
 * weights, as points of 100) stay below thresholds.consider_score, the
 * score below which verdict says keep.
 */
#define CHECKLIST_RUNTIME_SHARE 0.5
#define CHECKLIST_BUSY_CPU 0.5
#define CHECKLIST_TAIL_RATIO 5.0
#define CHECKLIST_GC_SHARE 0.02
#define CHECKLIST_MEMORY_TIGHT 0.9
#define CHECKLIST_MEMORY_GROWTH 0.005
#define CHECKLIST_MANY_INSTANCES 10.0
#define CHECKLIST_STABLE_CHANGES 1.0

/* The items' fixed parts, in enum order; the sentences paraphrase the seeds. */
static const struct {
    enum checklist_side side;
    const char *key;
    const char *text;
    const char *seed;
} checklist_table[CHECKLIST_COUNT] = {
    [CHECKLIST_RUNTIME_BOTTLENECK] = { CHECKLIST_MIGRATE_WHEN, "runtime_bottleneck",
        "The runtime itself, not I/O, limits latency or throughput", "000" },
    [CHECKLIST_MEMORY] = { CHECKLIST_MIGRATE_WHEN, "memory_unsustainable",
        "Memory use is too costly to keep paying for across the fleet", "000" },
    [CHECKLIST_GC_TAIL] = { CHECKLIST_MIGRATE_WHEN, "gc_tail",
        "Collector pauses widen the p99 where steady latency is needed", "000, 001" },
    [CHECKLIST_SAFETY_CRITICAL] = { CHECKLIST_MIGRATE_WHEN, "safety_critical",
        "A bug here costs money or correctness: safety matters most", "000" },
    [CHECKLIST_REWRITING_ANYWAY] = { CHECKLIST_MIGRATE_WHEN, "rewriting_anyway",
        "A big rewrite is due anyway, so a new language costs little more", "000" },
    [CHECKLIST_SPEED_ONLY] = { CHECKLIST_DONT_MIGRATE_WHEN, "speed_only",
        "Raw speed is the only argument: no measured performance problem", "000" },
    [CHECKLIST_TEAM_NEW] = { CHECKLIST_DONT_MIGRATE_WHEN, "team_new",
        "The team has not worked in Rust yet", "000, 001" },
    [CHECKLIST_STABLE] = { CHECKLIST_DONT_MIGRATE_WHEN, "stable",
        "It works and hardly ever changes: leave it alone", "000" },
    [CHECKLIST_TIME_TO_MARKET] = { CHECKLIST_DONT_MIGRATE_WHEN, "time_to_market",
        "Shipping features quickly matters more than performance", "000, 001" },
    [CHECKLIST_POOR_FIT] = { CHECKLIST_DONT_MIGRATE_WHEN, "poor_fit_workload",
        "CRUD, ML or glue work, where Rust gains little", "001" },
};

const char *checklist_state_name(enum checklist_state s)
{
    switch (s) {
    case CHECKLIST_YES:
        return "yes";
    case CHECKLIST_NO:
        return "no";
    case CHECKLIST_UNKNOWN:
        break;
    }
    return "unknown";
}

/* A fraction as a percentage: whole, or one decimal below 10 % ("0.6%");
 * "-" when not finite. */
static void pct(char *buf, size_t len, double f)
{
    double p = f * 100;

    if (!isfinite(p))
        snprintf(buf, len, "-");
    else if (fabs(p) < 10 && fabs(p - round(p)) >= 0.05)
        snprintf(buf, len, "%.1f%%", p);
    else
        snprintf(buf, len, "%.0f%%", p);
}

static void set(struct checklist_item *it, enum checklist_state s)
{
    it->state = s;
}

/* 000: the runtime is the measured bottleneck: a high runtime share, and
 * either a busy CPU (throughput) or a wide tail (latency). */
static void check_runtime(struct checklist_item *it, const struct service_metrics *m)
{
    char s[16], u[16];
    double share = m->runtime_share;
    int have_cpu = m->have_cpu && isfinite(m->cpu_utilisation);
    int have_lat = m->have_latency && isfinite(m->tail_ratio);

    if (!m->have_runtime_share || !isfinite(share)) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "runtime share not measured");
        return;
    }
    pct(s, sizeof(s), share);
    if (share < CHECKLIST_RUNTIME_SHARE) {
        set(it, CHECKLIST_NO);
        snprintf(it->evidence, sizeof(it->evidence), "runtime share %s", s);
        return;
    }
    if (have_cpu && m->cpu_utilisation >= CHECKLIST_BUSY_CPU) {
        set(it, CHECKLIST_YES);
        pct(u, sizeof(u), m->cpu_utilisation);
        snprintf(it->evidence, sizeof(it->evidence), "runtime share %s, CPU p95 %s", s, u);
    } else if (have_lat && m->tail_ratio >= CHECKLIST_TAIL_RATIO) {
        set(it, CHECKLIST_YES);
        snprintf(it->evidence, sizeof(it->evidence), "runtime share %s, p99 is %.1fx p50",
                 s, m->tail_ratio);
    } else if (have_cpu && have_lat) {
        set(it, CHECKLIST_NO);
        pct(u, sizeof(u), m->cpu_utilisation);
        snprintf(it->evidence, sizeof(it->evidence),
                 "runtime share %s but CPU p95 %s, p99 %.1fx p50", s, u, m->tail_ratio);
    } else {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "runtime share %s, load not measured",
                 s);
    }
}

/* 000: memory tight or growing, paid for on many instances. */
static void check_memory(struct checklist_item *it, const struct service_spec *spec,
                         const struct service_metrics *m)
{
    char what[40], p[16];
    double u = m->memory_utilisation, g = m->memory_growth_per_day;
    double n = spec->instances.likely;
    /* growth only where the data can support it (score.h, issue 15) */
    int have_u = isfinite(u) && u >= 0, have_g = isfinite(g) && score_growth_judged(m) == 0;
    int tight = have_u && u >= CHECKLIST_MEMORY_TIGHT;
    int growing = have_g && g >= CHECKLIST_MEMORY_GROWTH;

    if (!m->have_memory || (!have_u && !have_g)) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "memory not measured");
        return;
    }
    if (growing && !tight) {
        pct(p, sizeof(p), g);
        snprintf(what, sizeof(what), "memory +%s a day", p);
    } else {
        pct(p, sizeof(p), u);
        snprintf(what, sizeof(what), "memory %s of allotment", p);
    }
    if (!isfinite(n)) {
        set(it, tight || growing ? CHECKLIST_UNKNOWN : CHECKLIST_NO);
        snprintf(it->evidence, sizeof(it->evidence), "%s, instances unknown", what);
        return;
    }
    set(it, (tight || growing) && n >= CHECKLIST_MANY_INSTANCES ? CHECKLIST_YES
                                                                : CHECKLIST_NO);
    snprintf(it->evidence, sizeof(it->evidence), "%s, %.0f instances", what, n);
}

/* 000, 001: a wide tail, blamed on the collector unless a GC signal says
 * it takes almost no CPU. */
static void check_gc(struct checklist_item *it, const struct service_analysis *sa)
{
    const struct service_metrics *m = &sa->metrics;
    const struct signal_data *gc = sa->data ? &sa->data->signals[SIGNAL_GC] : NULL;
    double share = NAN;
    char p[16];

    if (!m->have_latency || !isfinite(m->tail_ratio)) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "latency not measured");
        return;
    }
    if (gc != NULL && gc->present && gc->stats.count > 0 && m->have_cpu &&
        isfinite(m->cpu_cores_mean) && m->cpu_cores_mean > 0)
        share = gc->stats.mean / m->cpu_cores_mean;
    if (m->tail_ratio < CHECKLIST_TAIL_RATIO) {
        set(it, CHECKLIST_NO);
        snprintf(it->evidence, sizeof(it->evidence), "p99 is %.1fx p50", m->tail_ratio);
        return;
    }
    if (!isfinite(share)) {
        set(it, CHECKLIST_YES);
        snprintf(it->evidence, sizeof(it->evidence), "p99 is %.1fx p50", m->tail_ratio);
        return;
    }
    pct(p, sizeof(p), share);
    set(it, share >= CHECKLIST_GC_SHARE ? CHECKLIST_YES : CHECKLIST_NO);
    snprintf(it->evidence, sizeof(it->evidence), "p99 is %.1fx p50, GC %s of CPU",
             m->tail_ratio, p);
}

/* 000: "speed is the only reason": the performance factors alone, as a
 * weighted average of their strengths in points of 100, stay below the
 * consider line.  Example: runtime share 0.05 (weight 20), tail 0.33 (10),
 * CPU 0.33 (10), memory 0.27 (10): (1 + 3.3 + 3.3 + 2.7) / 50 = 21 < 40. */
static void check_speed_only(struct checklist_item *it, const struct score_result *sc,
                             const struct thresholds *th)
{
    static const enum factor perf[] = {
        FACTOR_RUNTIME_SHARE, FACTOR_TAIL_RATIO, FACTOR_CPU_UTILISATION, FACTOR_MEMORY
    };
    double wsum = 0, points = 0, score;
    size_t i;

    for (i = 0; i < sizeof(perf) / sizeof(perf[0]); i++) {
        const struct factor_result *f = &sc->factors[perf[i]];

        if (f->have_data && isfinite(f->weight) && f->weight > 0 && isfinite(f->strength)) {
            wsum += f->weight;
            points += f->weight * f->strength;
        }
    }
    if (wsum <= 0) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "performance not measured");
        return;
    }
    score = 100 * points / wsum;
    set(it, score < th->consider_score ? CHECKLIST_YES : CHECKLIST_NO);
    snprintf(it->evidence, sizeof(it->evidence), "performance factors %.0f/100 (keep < %.0f)",
             score, th->consider_score);
}

/* Inventory-only items: team, criticality, change rate, workload. */
static void check_team(struct checklist_item *it, const struct service_spec *spec)
{
    if ((unsigned)spec->experience >= EXPERIENCE_COUNT) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "team experience unknown");
        return;
    }
    set(it, spec->experience == EXPERIENCE_NONE ? CHECKLIST_YES : CHECKLIST_NO);
    snprintf(it->evidence, sizeof(it->evidence), "team experience: %s",
             experience_name(spec->experience));
}

static void check_critical(struct checklist_item *it, const struct service_spec *spec)
{
    if ((unsigned)spec->criticality >= CRITICALITY_COUNT) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "criticality unknown");
        return;
    }
    set(it, spec->criticality == CRITICALITY_HIGH ? CHECKLIST_YES : CHECKLIST_NO);
    snprintf(it->evidence, sizeof(it->evidence), "criticality: %s",
             criticality_name(spec->criticality));
}

static void check_changes(struct checklist_item *it, const struct service_spec *spec,
                          const struct thresholds *th, int weekly)
{
    double c = spec->changes_per_month.likely;

    if (!isfinite(c) || c < 0) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "change rate unknown");
        return;
    }
    if (weekly) {
        set(it, c >= th->weekly_changes ? CHECKLIST_YES : CHECKLIST_NO);
        snprintf(it->evidence, sizeof(it->evidence), "%.3g changes a month (weekly: %.3g)",
                 c, th->weekly_changes);
    } else {
        set(it, c < CHECKLIST_STABLE_CHANGES ? CHECKLIST_YES : CHECKLIST_NO);
        snprintf(it->evidence, sizeof(it->evidence), "%.3g %s a month", c,
                 c == 1 ? "change" : "changes");
    }
}

static void check_workload(struct checklist_item *it, const struct service_spec *spec)
{
    enum workload w = spec->workload;

    if ((unsigned)w >= WORKLOAD_COUNT) {
        set(it, CHECKLIST_UNKNOWN);
        snprintf(it->evidence, sizeof(it->evidence), "workload unknown");
        return;
    }
    set(it, w == WORKLOAD_CRUD || w == WORKLOAD_ML || w == WORKLOAD_GLUE ? CHECKLIST_YES
                                                                         : CHECKLIST_NO);
    snprintf(it->evidence, sizeof(it->evidence), "workload: %s", workload_name(w));
}

/* Evaluate one item into *it (fixed parts already filled). */
static void checklist_one(struct checklist_item *it, const struct service_analysis *sa,
                          const struct thresholds *th)
{
    int line;

    switch (it->id) {
    case CHECKLIST_RUNTIME_BOTTLENECK:
        check_runtime(it, &sa->metrics);
        break;
    case CHECKLIST_MEMORY:
        check_memory(it, sa->spec, &sa->metrics);
        break;
    case CHECKLIST_GC_TAIL:
        check_gc(it, sa);
        break;
    case CHECKLIST_SAFETY_CRITICAL:
        check_critical(it, sa->spec);
        break;
    case CHECKLIST_REWRITING_ANYWAY:
        /* only the team knows: services[].already_rewriting says it, and
         * left at its default it says nothing */
        if (sa->spec->already_rewriting) {
            set(it, CHECKLIST_YES);
            snprintf(it->evidence, sizeof(it->evidence), "already_rewriting: true");
        } else if (service_origin(sa->spec, SK_ALREADY_REWRITING, &line) != ORIGIN_DEFAULT) {
            set(it, CHECKLIST_NO);
            snprintf(it->evidence, sizeof(it->evidence), "already_rewriting: false");
        } else {
            set(it, CHECKLIST_UNKNOWN);
            snprintf(it->evidence, sizeof(it->evidence),
                     "only the team knows: set already_rewriting");
        }
        break;
    case CHECKLIST_SPEED_ONLY:
        check_speed_only(it, &sa->score, th);
        break;
    case CHECKLIST_TEAM_NEW:
        check_team(it, sa->spec);
        break;
    case CHECKLIST_STABLE:
        check_changes(it, sa->spec, th, 0);
        break;
    case CHECKLIST_TIME_TO_MARKET:
        check_changes(it, sa->spec, th, 1);
        break;
    case CHECKLIST_POOR_FIT:
        check_workload(it, sa->spec);
        break;
    case CHECKLIST_COUNT:
        break;
    }
}

size_t checklist_evaluate(const struct service_analysis *sa, const struct thresholds *th,
                          struct checklist_item *out, size_t cap)
{
    size_t i, n = cap < CHECKLIST_COUNT ? cap : CHECKLIST_COUNT;

    if (sa == NULL || sa->spec == NULL || th == NULL || out == NULL)
        return 0;
    for (i = 0; i < n; i++) {
        struct checklist_item *it = &out[i];

        memset(it, 0, sizeof(*it));
        it->id = (enum checklist_id)i;
        it->side = checklist_table[i].side;
        it->key = checklist_table[i].key;
        it->text = checklist_table[i].text;
        it->seed = checklist_table[i].seed;
        checklist_one(it, sa, th);
    }
    return n;
}
