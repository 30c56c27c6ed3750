/* score.c: a service's 0..100 migration score from named factors, with reasons and red flags. */
#include "verdict/score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/cost.h"

/*
 * How the score works.  Each factor turns one measurement or inventory
 * fact into a strength in [0, 1] (1 = argues fully for a rewrite).  With
 * w_f the configured weight (negative or non-finite counts as 0) and D the
 * set of factors that have data,
 *     contribution_f = 100 * w_f * strength_f / sum_{g in D} w_g,
 *     score = sum_f contribution_f                       (0..100).
 * A factor without data contributes 0 and its weight leaves the sum, so
 * the others are renormalised rather than the score being dragged down by
 * what was not measured.  No factor with data, or all their weights 0:
 * score 0.  factor_result.weight keeps the configured weight either way;
 * have_data says whether it counted.
 * Example: only runtime_share (w 20, strength 0.9) and workload (w 10,
 * strength 1.0) have data: 100 * (20 * 0.9 + 10 * 1.0) / 30 = 93.3.
 *
 * Categorical factors (workload, team_experience, criticality) have no
 * unit: their value is the table score, equal to the strength.
 *
 * Seeds, by number: 000 = three migrations and "honest math", 001 = three
 * years of Rust in production, 002 = Go to Rust, 003 = Node.js economics.
 *
 * To add a factor: add it to enum factor and factor_names (assumptions.c),
 * give it a default weight there, write a factor_<name>() below that sets
 * value, strength and reason (or leaves have_data 0), and call it from
 * score_service().
 */

static const char *const red_flag_names[FLAG_COUNT] = {
    "io_bound", "team_new_critical", "weekly_changes", "poor_fit_workload",
    "not_enough_data",
    "discovered",
    "coarse_buckets",
};

/*
 * The seed condition each flag implements, paraphrased (DESIGN.md: the
 * seeds' sentences are not copied).  Files in /work/shared/seeds/:
 * 000_a134d2503bf89386.txt ("When to Migrate (and When Not To)", "What
 * Goes Wrong"), 001_ea3a84628d59b62e.txt ("Poor Candidates for Rust"),
 * 003_523db47cc1cfd2fd.txt ("When Rust Isn't the Answer").
 */
static const char *const red_flag_seeds[FLAG_COUNT] = {
    /* 000: migrate when the runtime is the bottleneck, "not the database,
     * not the network" */
    [FLAG_IO_BOUND] = "seed 000: migrate only when the language runtime, not the "
                      "database or the network, is the measured bottleneck",
    /* 000: "Your team doesn't know Rust ... start with a new, non-critical
     * service" */
    [FLAG_TEAM_NEW_CRITICAL] = "seed 000: a team that does not know Rust starts on a new, "
                               "non-critical service",
    /* 000: stay where you are when features ship every two weeks and
     * performance is good enough */
    [FLAG_WEEKLY_CHANGES] = "seed 000: stay when features must ship every two weeks and "
                            "performance is good enough",
    /* 001: CRUD APIs with simple logic, data science and ML are poor
     * candidates; 003: glue and orchestration services rarely need Rust */
    [FLAG_POOR_FIT_WORKLOAD] = "seed 001: CRUD APIs and ML are poor candidates; seed 003: "
                               "so are glue services",
    /* 000: the cancelled migration was the one where nobody had measured */
    [FLAG_NOT_ENOUGH_DATA] = "seed 000: nobody had measured whether speed was the "
                             "bottleneck in the migration that failed",
    /* no seed: verdict's own hold; a service found on the server has only
     * built-in defaults, which describe no real fleet or team */
    [FLAG_DISCOVERED] = "no seed: verdict's own hold while every input is a built-in "
                        "default",
    /* 000: "measure first"; a value histogram_quantile interpolated inside
     * one wide bucket was not measured to that precision (issue 15) */
    [FLAG_COARSE_BUCKETS] = "seed 000: measure first; a quantile read inside one wide "
                            "bucket is not a measurement of that precision",
};

static const char *const flag_kind_names[] = { "veto", "caution" };

static const char *const recommendation_names[] = {
    "migrate", "consider", "keep", "unknown",
};

const char *red_flag_name(enum red_flag f)
{
    return (unsigned)f < FLAG_COUNT ? red_flag_names[f] : "?";
}

const char *flag_kind_name(enum flag_kind k)
{
    return (unsigned)k <= FLAG_KIND_CAUTION ? flag_kind_names[k] : "?";
}

const char *recommendation_name(enum recommendation r)
{
    return (unsigned)r <= REC_UNKNOWN ? recommendation_names[r] : "?";
}

size_t score_veto_count(const struct score_result *r)
{
    size_t i, n = 0;

    for (i = 0; i < r->n_flags; i++)
        n += r->flags[i].kind == FLAG_KIND_VETO && r->flags[i].flag != FLAG_NOT_ENOUGH_DATA;
    return n;
}

static double clamp01(double x)
{
    if (!(x > 0))
        return 0;       /* also NaN */
    return x < 1 ? x : 1;
}

/* Strength rising linearly from 0 at x0 to 1 at x1, clamped outside. */
static double ramp(double x, double x0, double x1)
{
    return clamp01((x - x0) / (x1 - x0));
}

/* A fraction as a percentage that reads well: "92%", "3.5%", "0.42%". */
static void pct_text(char *buf, size_t len, double frac)
{
    double p = 100.0 * frac;
    double a = fabs(p);

    if (!isfinite(p))
        snprintf(buf, len, "?%%");
    else if (a < 0.005)
        snprintf(buf, len, "0%%");
    else if (a < 1)
        snprintf(buf, len, "%.2f%%", p);
    else if (a < 10)
        snprintf(buf, len, "%.1f%%", p);
    else
        snprintf(buf, len, "%.0f%%", p);
}

/* A share below a threshold as a percentage that reads below it: more
 * decimals while the printed figure would not be below the threshold's
 * (0.19997 against 0.2 is "19.997%", not "20%"). */
static void pct_below(char *buf, size_t len, double frac, double threshold)
{
    int d;

    pct_text(buf, len, frac);
    for (d = 1; d <= 6 && isfinite(frac) && frac < threshold &&
                strtod(buf, NULL) >= 100.0 * threshold; d++)
        snprintf(buf, len, "%.*f%%", d, 100.0 * frac);
}

/* A whole amount with thousands separators: 15000 -> "15,000". */
static void amount_text(char *buf, size_t len, double x)
{
    char digits[48];
    size_t n, i, o = 0;

    if (!isfinite(x) || fabs(x) >= 1e30) {
        snprintf(buf, len, "%.3g", x);
        return;
    }
    snprintf(digits, sizeof(digits), "%.0f", fabs(x));
    n = strlen(digits);
    if (x <= -0.5 && o + 1 < len)
        buf[o++] = '-';
    for (i = 0; i < n && o + 1 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < len)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* Copy untrusted text as printable ASCII ('?' for anything else), reading
 * at most srclen bytes of src. */
static void ascii_copy(char *dst, size_t dstlen, const char *src, size_t srclen)
{
    size_t i, o = 0;

    for (i = 0; i < srclen && src[i] != '\0' && o + 1 < dstlen; i++) {
        unsigned char c = (unsigned char)src[i];

        dst[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[o] = '\0';
}

static void set_factor(struct factor_result *f, double value, double strength)
{
    f->have_data = 1;
    f->value = value;
    f->strength = clamp01(strength);
}

/*
 * runtime_share = CPU seconds per request / mean latency (seconds / seconds,
 * see analysis_metrics): the share of a request spent computing, against
 * the mean from the histogram's _sum / _count, or against the p50 when no
 * mean was measured (the reason says which).  Strength = share, clamped to
 * [0, 1].  Near 1 the runtime is the bottleneck (000: "not the database,
 * not the network: the language runtime"); far below it the request waits
 * on a database or the network, and a rewrite will not move latency (003:
 * a CRUD API waiting 90% of its time on queries gains little).
 * Example: 46 ms CPU per request, mean 50 ms: share 0.92, strength 0.92.
 * A share above 1 (parallel work per request, or background CPU) clamps.
 */
static void factor_runtime_share(struct factor_result *f, const struct service_metrics *m,
                                 const struct thresholds *th)
{
    char p[32], text[SCORE_REASON_MAX];
    double s = m->runtime_share;
    const char *basis = m->share_from_mean ? " Measured against the mean latency."
                                           : " Measured against the p50: no mean latency.";

    if (!m->have_runtime_share || !isfinite(s) || s < 0) {
        snprintf(f->reason, sizeof(f->reason),
                 "No data: CPU per request or the request latency was not measured.");
        return;
    }
    set_factor(f, s, s);
    pct_text(p, sizeof(p), s);
    if (s > 1)
        snprintf(text, sizeof(text),
                 "CPU time per request is %.1fx the latency: the runtime is the "
                 "bottleneck.", s);
    else if (s >= 0.5)
        snprintf(text, sizeof(text),
                 "%s of each request is CPU time in the runtime: the language is the "
                 "bottleneck.", p);
    else if (s >= th->io_bound_share)
        snprintf(text, sizeof(text),
                 "%s of each request is CPU time: the rest is waiting, which a rewrite "
                 "will not shorten.", p);
    else {
        pct_below(p, sizeof(p), s, th->io_bound_share);
        snprintf(text, sizeof(text),
                 "Only %s of each request is CPU time: it waits on I/O, so a faster "
                 "language barely moves latency.", p);
    }
    /* the texts above are at most 105 characters, the basis 44 */
    snprintf(f->reason, sizeof(f->reason), "%.150s%s", text, basis);
}

/*
 * tail: the GC tax on busy hours.
 *     tail_ratio = p95 over time of the p99 series / median of the p50
 *                  series (seconds / seconds, analysis_metrics)
 *     s_tail     = (tail_ratio - 2) / 6, clamped to [0, 1]
 *     strength   = s_tail                                  without a GC signal
 *                = s_tail * min(1, gc_share / 0.02)        with one
 * The p95 over time of the p99 is the tail in the busy hours, when the
 * collector pauses (003: "right when traffic spikes"); the median of the
 * p99 hides pauses that come only at the peak.  A wide tail points at GC
 * pauses (000: "GC pauses ... are killing your p99"; 001: Go gateway
 * latency spikes from GC pressure), which a language without a GC removes;
 * where the runtime exports GC time (queries.gc_seconds), gc_share = GC
 * seconds per second / mean cores says whether the collector is the cause:
 * below 2 % of CPU (SCORE_GC_SHARE_FULL, the checklist's GC line; no seed
 * figure) the tail counts in proportion, as it comes from something a
 * rewrite keeps (locks, a slow dependency).  The breakpoints 2 and 8 have
 * no seed figure.  No p50, or a p50 of 0: no data.
 * Example: p50 median 20 ms, p99 series p95 110 ms: ratio 5.5, s_tail =
 * (5.5 - 2) / 6 = 0.583; GC 0.3 s/s on 30 cores is 1 % of CPU: strength
 * 0.583 * 0.01 / 0.02 = 0.292.  Without a GC signal: 0.583.
 */
static void factor_tail_ratio(struct factor_result *f, const struct service_metrics *m)
{
    char g[32];
    double r = m->tail_ratio, s, gc = m->gc_share;
    int have_gc = m->have_gc && isfinite(gc) && gc >= 0;

    if (!m->have_latency || !isfinite(r) || r <= 0) {
        snprintf(f->reason, sizeof(f->reason), "No data: p50 or p99 latency was not measured.");
        return;
    }
    s = ramp(r, 2, 8);
    if (have_gc)
        s *= fmin(1.0, gc / SCORE_GC_SHARE_FULL);
    set_factor(f, r, s);
    pct_text(g, sizeof(g), gc);
    if (r > 2 && have_gc && gc < SCORE_GC_SHARE_FULL)
        snprintf(f->reason, sizeof(f->reason),
                 "p99 in busy hours is %.1fx p50, but GC takes only %s of CPU: the tail "
                 "is mostly not the collector's.", r, g);
    else if (r > 2 && have_gc)
        snprintf(f->reason, sizeof(f->reason),
                 "p99 in busy hours is %.1fx p50 and GC takes %s of CPU: the GC tax a "
                 "runtime without a collector removes.", r, g);
    else if (r >= 8)
        snprintf(f->reason, sizeof(f->reason),
                 "p99 in busy hours is %.1fx p50: a very wide tail, the pattern GC pauses "
                 "leave.", r);
    else if (r > 2)
        snprintf(f->reason, sizeof(f->reason),
                 "p99 in busy hours is %.1fx p50: a widening tail, possibly GC pauses.", r);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "p99 in busy hours is %.1fx p50: a narrow tail, latency is already "
                 "predictable.", r);
}

/*
 * cpu_utilisation = fleet CPU cores at p95 / (instances * cores).
 * Strength linear from 0 at 20 % to 1 at 80 % (003: "CPU utilization
 * hover at 80%" across a growing fleet).  A busy fleet is sized by CPU, so
 * a CPU reduction shrinks it; an idle one is sized by something else.
 * Example: 0.65 -> (0.65 - 0.2) / 0.6 = 0.75.
 */
static void factor_cpu_utilisation(struct factor_result *f, const struct service_metrics *m)
{
    char p[32];
    double u = m->cpu_utilisation;

    if (!m->have_cpu || !isfinite(u) || u < 0) {
        snprintf(f->reason, sizeof(f->reason),
                 "No data: CPU usage or provisioned cores are unknown.");
        return;
    }
    set_factor(f, u, ramp(u, 0.2, 0.8));
    pct_text(p, sizeof(p), u);
    if (u >= 0.8)
        snprintf(f->reason, sizeof(f->reason),
                 "Fleet CPU at p95 is %s of provisioned cores: CPU sizes the fleet, so "
                 "CPU savings shrink it.", p);
    else if (u > 0.2)
        snprintf(f->reason, sizeof(f->reason),
                 "Fleet CPU at p95 is %s of provisioned cores: CPU savings would free "
                 "part of the fleet.", p);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "Fleet CPU at p95 is only %s of provisioned cores: CPU does not size "
                 "the fleet.", p);
}

/*
 * memory: the larger of two strengths,
 *   utilisation (memory per instance at p95 / memory per instance):
 *     linear 0 at 30 % to 1 at 90 % (000: 4 GB of heap for what Rust does
 *     in 200 MB, over hundreds of instances);
 *   growth per day (fraction of the mean): 0 at 0, 1 at 1 %/day or more,
 *     a leak (001: no more OOM kills from gradual heap growth).
 * Growth is judged only when the data can support it (issue 15): a window
 * of at least SCORE_TREND_MIN_DAYS (3) days from the first memory point to
 * the last, and |growth| above SCORE_TREND_NOISE (2) standard errors of
 * the slope (stats_slope_se: the least-squares error widened for
 * autocorrelated residuals, as a fraction of the mean a day).  Otherwise
 * its strength is 0 and the reason says "not judged: window too short" or
 * "not judged: within noise"; an unknown error (older snapshots) is not
 * judged within noise.
 * value is the input of whichever strength wins (utilisation on a tie), and
 * the reason names it.  No seed gives the breakpoints.
 * Example: utilisation 0.6 -> 0.5; growth 0.008/day over 7 days with an
 * error of 0.001/day -> judged, 0.8; strength 0.8, value 0.008, reason
 * about a leak.  The same growth over 15 minutes (issue 15: 45 MiB ->
 * 45.6 MiB read as 42 % a day) -> not judged: 0.5, about utilisation.
 */
int score_growth_judged(const struct service_metrics *m)
{
    double g = m->memory_growth_per_day;

    if (!m->have_memory || !isfinite(g))
        return -1;
    if (!(m->memory_window_days >= SCORE_TREND_MIN_DAYS))
        return 1;
    if (!(fabs(g) > SCORE_TREND_NOISE * m->memory_growth_se_per_day))
        return 2;
    return 0;
}

static void factor_memory(struct factor_result *f, const struct service_metrics *m)
{
    char p[32], q[32], note[128], text[SCORE_REASON_MAX];
    double u = m->memory_utilisation, g = m->memory_growth_per_day;
    double se = m->memory_growth_se_per_day, days = m->memory_window_days;
    int have_u = isfinite(u) && u >= 0, have_g = isfinite(g);
    double su = have_u ? ramp(u, 0.3, 0.9) : 0, sg;

    note[0] = '\0';
    if (have_g && score_growth_judged(m) == 1) {
        if (days * 24 < 1)
            snprintf(q, sizeof(q), "%.0f min", isfinite(days) ? days * 1440 : 0);
        else if (days < 1)
            snprintf(q, sizeof(q), "%.1f h", days * 24);
        else
            snprintf(q, sizeof(q), "%.1f days", days);
        snprintf(note, sizeof(note), "growth not judged: window too short (%s, needs %g "
                 "days)", q, SCORE_TREND_MIN_DAYS);
        have_g = 0;
    } else if (have_g && score_growth_judged(m) == 2) {
        /* two digits whatever the size: a noise of 0.003 % a day is not "0%" */
        snprintf(p, sizeof(p), "%+.2g%%", 100 * g);
        if (isfinite(se))
            snprintf(q, sizeof(q), "%.2g%%", 100 * se);
        else
            snprintf(q, sizeof(q), "unknown");
        snprintf(note, sizeof(note), "growth not judged: within noise (%s a day, error %s)",
                 p, q);
        have_g = 0;
    }
    sg = have_g ? ramp(g, 0, 0.01) : 0;
    if (!m->have_memory || (!have_u && !have_g)) {
        if (m->have_memory && note[0] != '\0')
            snprintf(f->reason, sizeof(f->reason), "No data: memory %s.", note);
        else
            snprintf(f->reason, sizeof(f->reason), "No data: memory was not measured.");
        return;
    }
    if (have_g && (!have_u || sg > su)) {
        set_factor(f, g, sg);
        pct_text(p, sizeof(p), g);
        /* half a percent a day doubles memory in about 140 days: call that a leak */
        if (g >= 0.005)
            snprintf(f->reason, sizeof(f->reason),
                     "Memory grows %s of its mean a day: steady growth that looks like a "
                     "leak, and leaks end in OOM kills.", p);
        else
            snprintf(f->reason, sizeof(f->reason),
                     "Memory grows a slow %s of its mean a day and is not tight: no clear "
                     "sign of a leak.", p);
        return;
    }
    set_factor(f, u, su);
    pct_text(p, sizeof(p), u);
    if (u >= 0.9)
        snprintf(text, sizeof(text),
                 "Memory per instance at p95 is %s of its allotment: memory is tight, a "
                 "leaner runtime frees it.", p);
    else if (u > 0.3)
        snprintf(text, sizeof(text),
                 "Memory per instance at p95 is %s of its allotment: some room to save.", p);
    else
        snprintf(text, sizeof(text),
                 "Memory per instance at p95 is %s of its allotment: memory is not a "
                 "constraint.", p);
    /* the texts are at most 105 characters, the note 75 */
    if (note[0] != '\0')
        snprintf(f->reason, sizeof(f->reason), "%.110s Memory %.80s.", text, note);
    else
        snprintf(f->reason, sizeof(f->reason), "%s", text);
}

/*
 * fleet_cost = instances * cost per instance, per month.  Strength on a
 * log scale: 0 at 1,000 a month or less, 1 at 100,000 or more,
 *     strength = log10(cost / 1000) / 2.
 * Savings scale with the bill (003: a $15,000/month Node.js fleet falling
 * to $3,000).  Example: 15,000 -> log10(15) / 2 = 0.588.
 * Needs no measurement; only a NaN or negative cost means no data.
 */
static void factor_fleet_cost(struct factor_result *f, const struct service_metrics *m)
{
    char a[48];
    double c = m->fleet_cost_per_month;

    if (!isfinite(c) || c < 0) {
        snprintf(f->reason, sizeof(f->reason),
                 "No data: instances or cost per instance are unknown.");
        return;
    }
    set_factor(f, c, c <= 1000 ? 0 : log10(c / 1000) / 2);
    amount_text(a, sizeof(a), c);
    if (c >= 100000)
        snprintf(f->reason, sizeof(f->reason),
                 "The fleet costs %s a month: a large bill, where a smaller fleet saves "
                 "real money.", a);
    else if (c > 1000)
        snprintf(f->reason, sizeof(f->reason),
                 "The fleet costs %s a month: a smaller fleet would save part of it.", a);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "The fleet costs only %s a month: too little to pay for a rewrite.", a);
}

/*
 * language: strength = the profile's likely CPU reduction / 0.8, clamped:
 * a source language a rewrite is expected to cut by 80 % or more (python,
 * seed 001: 40 cores to 4) counts fully, Go's 40 % (002) counts half.
 * Example: node, cpu_reduction likely 0.7 -> 0.875.  No profile: no data.
 */
static void factor_language(struct factor_result *f, const struct language_profile *lang)
{
    char name[LANGUAGE_NAME_MAX], pc[32], pm[32];
    double r;

    if (lang == NULL || !isfinite(lang->cpu_reduction.likely)) {
        snprintf(f->reason, sizeof(f->reason),
                 "No data: the source language has no profile in the assumptions.");
        return;
    }
    r = lang->cpu_reduction.likely;
    set_factor(f, r, r / 0.8);
    ascii_copy(name, sizeof(name), lang->name, sizeof(lang->name));
    pct_text(pc, sizeof(pc), r);
    pct_text(pm, sizeof(pm), lang->memory_reduction.likely);
    snprintf(f->reason, sizeof(f->reason),
             "From %s, a rewrite is expected to cut CPU by %s and memory by %s "
             "(likely figures).", name[0] ? name : "this language", pc, pm);
}

/*
 * workload: a table score per kind.  Good fits (001 "good candidates"):
 * cpu-bound 1.0, latency-critical 0.9, networking 0.8, infrastructure 0.8.
 * Poor fits (001 "poor candidates", 003 "when Rust isn't the answer"):
 * io-bound 0.1, crud 0.1, glue 0.1, ml 0.0.  The numbers order the kinds;
 * the seeds give no figures.
 */
static const struct {
    double strength;
    const char *reason;
} workload_table[WORKLOAD_COUNT] = {
    [WORKLOAD_CPU_BOUND] = { 1.0,
        "A CPU-bound workload: where a compiled language without a GC pays off most." },
    [WORKLOAD_LATENCY_CRITICAL] = { 0.9,
        "A latency-critical workload: p99 matters and GC pauses hurt it." },
    [WORKLOAD_NETWORKING] = { 0.8,
        "A networking workload (proxies, protocols): Rust's async model fits it well." },
    [WORKLOAD_INFRASTRUCTURE] = { 0.8,
        "An infrastructure workload: startup time and memory footprint favour Rust." },
    [WORKLOAD_IO_BOUND] = { 0.1,
        "An I/O-bound workload: the time goes to waiting, which a rewrite will not "
        "shorten." },
    [WORKLOAD_CRUD] = { 0.1,
        "A CRUD workload: database reads and JSON leave little for a faster language." },
    [WORKLOAD_ML] = { 0.0,
        "An ML workload: Python's ecosystem has no Rust equivalent; keep it." },
    [WORKLOAD_GLUE] = { 0.1,
        "A glue workload: coordinating APIs rarely needs Rust's performance." },
};

static void factor_workload(struct factor_result *f, const struct service_spec *spec)
{
    unsigned w = (unsigned)spec->workload;

    if (w >= WORKLOAD_COUNT) {
        snprintf(f->reason, sizeof(f->reason), "No data: the workload kind is unknown.");
        return;
    }
    set_factor(f, workload_table[w].strength, workload_table[w].strength);
    snprintf(f->reason, sizeof(f->reason), "%s", workload_table[w].reason);
}

/*
 * team_experience with Rust: strong 1.0, some 0.6, none 0.2 (000: "your
 * team doesn't know Rust" is a reason not to; 001: newcomers ship slowly
 * for months).  The figures order the levels; no seed gives them.
 */
static void factor_team(struct factor_result *f, const struct service_spec *spec)
{
    static const double strength[EXPERIENCE_COUNT] = { 0.2, 0.6, 1.0 };
    static const char *const reason[EXPERIENCE_COUNT] = {
        "Nobody on the team knows Rust yet: expect months of slow delivery.",
        "The team has some Rust experience: expect a few slower months at first.",
        "The team already knows Rust well: little learning cost.",
    };
    unsigned e = (unsigned)spec->experience;

    if (e >= EXPERIENCE_COUNT) {
        snprintf(f->reason, sizeof(f->reason), "No data: the team's experience is unknown.");
        return;
    }
    set_factor(f, strength[e], strength[e]);
    snprintf(f->reason, sizeof(f->reason), "%s", reason[e]);
}

/*
 * change_rate (changes per month, likely).  The seeds pull two ways:
 * 001 says long-lived, stable services benefit most (the payoff lasts),
 * while 000 says not to rewrite a stable service that works, and 001/003
 * warn that requirements changing weekly make Rust slow you down.  So a
 * service that never changes scores 0.6 (it pays off for long, but why
 * touch it), 1-2 changes a month scores 1.0 (maintained, not churning),
 * and the strength falls to 0.3 at 4 a month (weekly) and 0 at 8 or more.
 * Piecewise linear through (0, 0.6), (1, 1), (2, 1), (4, 0.3), (8, 0).
 * Example: 3 a month -> 1 - 0.7 * (3 - 2) / 2 = 0.65.
 */
static double change_rate_strength(double c)
{
    if (c <= 0)
        return 0.6;
    if (c < 1)
        return 0.6 + 0.4 * c;
    if (c <= 2)
        return 1.0;
    if (c < 4)
        return 1.0 - 0.7 * (c - 2) / 2;
    if (c < 8)
        return 0.3 - 0.3 * (c - 4) / 4;
    return 0;
}

static void factor_change_rate(struct factor_result *f, const struct service_spec *spec)
{
    double c = spec->changes_per_month.likely;

    if (!isfinite(c) || c < 0) {
        snprintf(f->reason, sizeof(f->reason), "No data: the change rate is unknown.");
        return;
    }
    set_factor(f, c, change_rate_strength(c));
    if (c < 1)
        snprintf(f->reason, sizeof(f->reason),
                 "%.3g changes a month: stable, so a rewrite pays off for long, but code "
                 "that works needs a reason to be rewritten.", c);
    else if (c <= 2)
        snprintf(f->reason, sizeof(f->reason),
                 "%.3g changes a month: maintained but not churning, a good time to "
                 "rewrite.", c);
    else if (c < 4)
        snprintf(f->reason, sizeof(f->reason),
                 "%.3g changes a month: active development a rewrite must keep up with.", c);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "%.3g changes a month: requirements move weekly, and Rust slows rapid "
                 "iteration.", c);
}

/*
 * criticality: low 0.3, medium 0.6, high 1.0 (000: safety-critical code,
 * where a race or a null pointer costs real money, is a reason to
 * migrate).  No seed gives the figures.
 */
static void factor_criticality(struct factor_result *f, const struct service_spec *spec)
{
    static const double strength[CRITICALITY_COUNT] = { 0.3, 0.6, 1.0 };
    static const char *const reason[CRITICALITY_COUNT] = {
        "A low-criticality service: compile-time safety matters less here.",
        "A medium-criticality service: compile-time safety helps but does not decide.",
        "A high-criticality service: compile-time safety guards code where bugs cost money.",
    };
    unsigned c = (unsigned)spec->criticality;

    if (c >= CRITICALITY_COUNT) {
        snprintf(f->reason, sizeof(f->reason), "No data: the criticality is unknown.");
        return;
    }
    set_factor(f, strength[c], strength[c]);
    snprintf(f->reason, sizeof(f->reason), "%s", reason[c]);
}

/*
 * coarse_buckets: histogram_quantile interpolates linearly inside the
 * bucket where the quantile's rank falls, so a value is known only to
 * within that bucket [lo, hi].  The value is coarse when the bucket is
 * wider than the value itself,
 *     hi - lo > v                      (hi = +Inf: always coarse)
 * that is, the error could be as large as the value.  Example (issue 15):
 * Prometheus's own histogram has le 0.1, 0.2, 0.4, ...; a p50 read as
 * 0.05 s lies in 0-0.1 s, width 0.1 > 0.05: coarse (the real p50 was
 * 1.2 ms).  With le 0.1, 0.25, 0.5, a value of 0.3 lies in 0.25-0.5, width
 * 0.25 < 0.3: not coarse.  v not finite or <= 0: not coarse (no value).
 */
int score_coarse_bucket(double v, double lo, double hi)
{
    if (!isfinite(v) || !(v > 0) || isnan(lo) || isnan(hi))
        return 0;
    return hi - lo > v;
}

/* "50.0 ms" or "1.25 s". */
static void seconds_text(char *buf, size_t len, double s)
{
    if (!isfinite(s))
        snprintf(buf, len, "+Inf");
    else if (s < 1)
        snprintf(buf, len, "%.1f ms", s * 1000);
    else
        snprintf(buf, len, "%.3g s", s);
}

/* "0-100 ms", "0.25-0.5 s", "10 s-+Inf". */
static void bucket_text(char *buf, size_t len, double lo, double hi)
{
    if (!isfinite(hi))
        snprintf(buf, len, "%.4g ms-+Inf", lo * 1000);
    else if (hi < 1)
        snprintf(buf, len, "%.4g-%.4g ms", lo * 1000, hi * 1000);
    else
        snprintf(buf, len, "%.4g-%.4g s", lo, hi);
}

static struct flag_result *add_flag(struct score_result *out, enum red_flag flag,
                                    enum flag_kind kind)
{
    struct flag_result *r = &out->flags[out->n_flags++];

    r->flag = flag;
    r->kind = kind;
    r->seed = red_flag_seeds[flag];
    return r;
}

/*
 * Does the fleet shrink?  The cost model's own sizing rule (cost.c,
 * cost_fleet, through cost_instances_after) at likely values: instances,
 * min_instances and the language's likely CPU and memory reductions (no
 * profile: 0), with the measured utilisation (unknown: left out).  The
 * fleet shrinks when fewer instances carry it after the rewrite.
 * Example: Go (cpu and memory reductions 0.4 likely), 10 instances, floor
 * 2, CPU 80 %, memory 30 %: new = max(0.48, 0.18) = 0.48, after = ceil(10 *
 * 0.48 / 0.8) = 6 < 10: it shrinks.  The same fleet at 3 instances with
 * floor 3: no (the floor sizes it).
 */
int score_fleet_shrinks(const struct service_spec *spec, const struct language_profile *lang,
                        const struct service_metrics *m)
{
    struct cost_inputs in;
    double v[COST_PARAM_COUNT] = { 0 };
    double n = spec->instances.likely;

    memset(&in, 0, sizeof(in));
    in.cpu_utilisation = m->have_cpu ? m->cpu_utilisation : NAN;
    in.memory_utilisation = m->have_memory ? m->memory_utilisation : NAN;
    in.horizon_months = 1;
    v[COST_INSTANCES] = n;
    v[COST_MIN_INSTANCES] = spec->min_instances.likely;
    v[COST_CPU_REDUCTION] = lang != NULL ? lang->cpu_reduction.likely : 0;
    v[COST_MEMORY_REDUCTION] = lang != NULL ? lang->memory_reduction.likely : 0;
    return cost_instances_after(&in, v) < n;
}

/* "runtime share 12%" / "a narrow tail and an idle CPU" / "declared
 * io-bound": why the measurements say performance is good enough. */
static void good_enough_text(char *buf, size_t len, int low_share, int io_decl, double share)
{
    char p[32];

    pct_text(p, sizeof(p), share);
    if (low_share)
        snprintf(buf, len, "runtime share %s", p);
    else if (io_decl)
        snprintf(buf, len, "declared io-bound");
    else
        snprintf(buf, len, "a narrow tail and an idle CPU");
}

/*
 * Red flags, in enum order; each has a kind (veto or caution, score.h),
 * the seed condition it implements (red_flag_seeds) and a text saying why.
 *
 *   io_bound: the runtime share (analysis_metrics) below
 *     thresholds.io_bound_share, or the workload declared io-bound.  A veto
 *     (000: the runtime, not the database or the network), except that a
 *     measured low share on a fleet sized by CPU or memory that shrinks at
 *     the language's likely reductions (score_fleet_shrinks) is a caution:
 *     the fleet shrinks whatever the share, so the rewrite is not only about
 *     latency (issue 14; 001 lists API gateways, which wait on upstreams,
 *     among good candidates).  Declared io-bound stays a veto.
 *   team_new_critical: experience none on a high-criticality service; veto.
 *   weekly_changes: changes per month (likely) >= thresholds.weekly_changes.
 *     A veto only when performance is good enough by the measurements
 *     (000: ship every two weeks *and* performance good enough): the runtime
 *     is not the bottleneck (share below io_bound_share, declared io-bound,
 *     or a measured tail and a measured CPU whose strengths are both 0: a
 *     ratio of 2 or less, at most 20 % CPU) and no CPU- or memory-sized
 *     fleet shrinks.  Otherwise a caution: the rewrite must keep up with the
 *     changes (000's "just one more thing" trap), and the changes built
 *     twice while old and new run side by side are priced by the cost model
 *     (economics.cost_per_change).  Nothing measured: a caution, since no
 *     measurement says performance is good enough.
 *   poor_fit_workload: crud, ml or glue; veto.  An ml service whose runtime
 *     share is at least SCORE_HYBRID_SHARE (0.5) gets seed 001's hybrid in
 *     its text (keep Python, move the hot loop to Rust behind PyO3), and
 *     out->hybrid: at half of a request in the runtime, moving the hot loop
 *     alone can at most halve the latency (Amdahl: 1 / (1 - 0.5) = 2x), a
 *     gain worth a native module; 0.5 is also where the runtime_share
 *     reason starts to call the language the bottleneck.  No seed figure.
 *   not_enough_data: too little data; a veto, but the recommendation is
 *     unknown before any veto counts (analysis.c), and it is not listed.
 *   discovered: found on the server, every input a default; a veto (no
 *     seed: verdict's own).
 *   coarse_buckets: the p50's or the p99's median over time lies in a
 *     bucket wider than itself (score_coarse_bucket); a caution naming the
 *     bucket.  A runtime share divided by such a p50 (no mean latency)
 *     raises no io_bound flag, and counts as no low share for
 *     weekly_changes either: the value is not a measurement (issue 15).
 * Example: Go gateway, 10 instances (floor 2) at 80 % CPU, memory 30 %,
 * share 0.1, 6 changes a month: io_bound caution (the fleet goes to 6),
 * weekly_changes caution (the fleet shrinks); no veto.
 */
static void score_flags(const struct service_spec *spec, const struct language_profile *lang,
                        const struct service_metrics *m, const struct thresholds *th,
                        struct score_result *out)
{
    const struct factor_result *tail = &out->factors[FACTOR_TAIL_RATIO];
    const struct factor_result *cpu = &out->factors[FACTOR_CPU_UTILISATION];
    double share = m->runtime_share;
    double changes = spec->changes_per_month.likely;
    int p50_coarse = m->p50_bucket_known &&
                     score_coarse_bucket(m->p50_s, m->p50_bucket_lo, m->p50_bucket_hi);
    int p99_coarse = m->p99_bucket_known &&
                     score_coarse_bucket(m->p99_s, m->p99_bucket_lo, m->p99_bucket_hi);
    /* a share divided by a coarse p50 is no evidence of waiting on I/O */
    int share_coarse = m->have_runtime_share && !m->share_from_mean && p50_coarse;
    int low_share = m->have_runtime_share && isfinite(share) && share < th->io_bound_share &&
                    !share_coarse;
    int io_decl = spec->workload == WORKLOAD_IO_BOUND;
    int shrinks = score_fleet_shrinks(spec, lang, m);
    int quiet = tail->have_data && tail->strength == 0 && cpu->have_data && cpu->strength == 0;
    int good_enough = (low_share || io_decl || quiet) && !shrinks;
    char p[32], t[32], why[64];

    out->fleet_shrinks = shrinks;
    pct_below(p, sizeof(p), share, th->io_bound_share);
    pct_text(t, sizeof(t), th->io_bound_share);
    if (low_share || io_decl) {
        int caution = low_share && !io_decl && shrinks;
        struct flag_result *r = add_flag(out, FLAG_IO_BOUND,
                                         caution ? FLAG_KIND_CAUTION : FLAG_KIND_VETO);

        if (low_share && io_decl)
            snprintf(r->text, sizeof(r->text),
                     "Declared io-bound, and only %s of each request is CPU time (flag "
                     "below %s).", p, t);
        else if (caution)
            snprintf(r->text, sizeof(r->text),
                     "Only %s of each request is CPU time (flag below %s), but %s sizes the "
                     "fleet and it shrinks: a caution, not a veto.", p, t,
                     m->have_cpu && (!m->have_memory ||
                                     m->cpu_utilisation >= m->memory_utilisation)
                         ? "CPU" : "memory");
        else if (low_share)
            snprintf(r->text, sizeof(r->text),
                     "I/O-bound: only %s of each request is CPU time (flag below %s), and no "
                     "CPU- or memory-sized fleet shrinks.", p, t);
        else
            snprintf(r->text, sizeof(r->text),
                     "Declared io-bound in the inventory: it mostly waits on I/O.");
    }
    if (spec->experience == EXPERIENCE_NONE && spec->criticality == CRITICALITY_HIGH)
        snprintf(add_flag(out, FLAG_TEAM_NEW_CRITICAL, FLAG_KIND_VETO)->text, SCORE_REASON_MAX,
                 "Nobody on the team knows Rust and the service is high-criticality: "
                 "learn on a non-critical service first.");
    if (isfinite(changes) && changes >= th->weekly_changes) {
        struct flag_result *r = add_flag(out, FLAG_WEEKLY_CHANGES,
                                         good_enough ? FLAG_KIND_VETO : FLAG_KIND_CAUTION);

        if (good_enough) {
            good_enough_text(why, sizeof(why), low_share, io_decl, share);
            snprintf(r->text, sizeof(r->text),
                     "Changes %.3g times a month (flag at %.3g) and performance is good "
                     "enough (%s): requirements moving this fast favour staying put.",
                     changes, th->weekly_changes, why);
        } else {
            snprintf(r->text, sizeof(r->text),
                     "Changes %.3g times a month (flag at %.3g), but %s: beware the \"just "
                     "one more thing\" trap; changes built twice in the overlap are priced.",
                     changes, th->weekly_changes,
                     /* not good enough: the fleet shrinks, or nothing says the
                      * runtime is not the bottleneck */
                     shrinks ? "the fleet shrinks"
                     : m->have_runtime_share || tail->have_data || cpu->have_data
                         ? "the runtime is the bottleneck"
                         : "nothing measured says performance is good enough");
        }
    }
    if (spec->workload == WORKLOAD_CRUD || spec->workload == WORKLOAD_ML ||
        spec->workload == WORKLOAD_GLUE) {
        struct flag_result *r = add_flag(out, FLAG_POOR_FIT_WORKLOAD, FLAG_KIND_VETO);

        out->hybrid = spec->workload == WORKLOAD_ML && m->have_runtime_share &&
                      isfinite(share) && share >= SCORE_HYBRID_SHARE;
        if (out->hybrid)
            snprintf(r->text, sizeof(r->text),
                     "Workload ml is a poor fit for a rewrite, but %s of each request is "
                     "CPU time: keep Python and move the hot loop to Rust behind PyO3.", p);
        else
            snprintf(r->text, sizeof(r->text), "Workload %s is a poor fit for a Rust rewrite.",
                     workload_name(spec->workload));
    }
    if (!m->enough_data)
        snprintf(add_flag(out, FLAG_NOT_ENOUGH_DATA, FLAG_KIND_VETO)->text, SCORE_REASON_MAX,
                 "Too little measured data to judge: fewer than "
                 "economics.thresholds.min_points (%g) points or min_hours (%g hours).",
                 th->min_points, th->min_hours);
    if (spec->discovered)
        snprintf(add_flag(out, FLAG_DISCOVERED, FLAG_KIND_VETO)->text, SCORE_REASON_MAX,
                 "Found on the server but not in the inventory: every input is a "
                 "built-in default until it is described.");
    if (p50_coarse || p99_coarse) {
        struct flag_result *r = add_flag(out, FLAG_COARSE_BUCKETS, FLAG_KIND_CAUTION);
        char v[32], b[48], v2[32], b2[48], more[96];

        seconds_text(v, sizeof(v), p50_coarse ? m->p50_s : m->p99_s);
        bucket_text(b, sizeof(b), p50_coarse ? m->p50_bucket_lo : m->p99_bucket_lo,
                    p50_coarse ? m->p50_bucket_hi : m->p99_bucket_hi);
        more[0] = '\0';
        if (p50_coarse && p99_coarse) {
            seconds_text(v2, sizeof(v2), m->p99_s);
            bucket_text(b2, sizeof(b2), m->p99_bucket_lo, m->p99_bucket_hi);
            snprintf(more, sizeof(more), ", p99 %s in %s", v2, b2);
        }
        /* at most 4 + 16 + 20 + 32 + 60 + 33 + 27 + 1 = 193 bytes: it fits */
        snprintf(r->text, sizeof(r->text), "%s %.16s lies in the bucket %.32s%.60s: the histogram "
                 "cannot resolve it%s.", p50_coarse ? "p50" : "p99", v, b, more,
                 share_coarse && isfinite(share) && share < th->io_bound_share
                     ? "; no I/O-bound flag from it" : "");
    }
}

void score_service(const struct service_spec *spec,
                   const struct language_profile *lang,
                   const struct service_metrics *m,
                   const struct scoring *weights,
                   const struct thresholds *th,
                   struct score_result *out)
{
    double wsum = 0, score = 0;
    int i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < FACTOR_COUNT; i++) {
        double w = weights->weights[i];

        out->factors[i].factor = (enum factor)i;
        out->factors[i].weight = isfinite(w) && w > 0 ? w : 0;
    }
    factor_runtime_share(&out->factors[FACTOR_RUNTIME_SHARE], m, th);
    factor_tail_ratio(&out->factors[FACTOR_TAIL_RATIO], m);
    factor_cpu_utilisation(&out->factors[FACTOR_CPU_UTILISATION], m);
    factor_memory(&out->factors[FACTOR_MEMORY], m);
    factor_fleet_cost(&out->factors[FACTOR_FLEET_COST], m);
    factor_language(&out->factors[FACTOR_LANGUAGE], lang);
    factor_workload(&out->factors[FACTOR_WORKLOAD], spec);
    factor_team(&out->factors[FACTOR_TEAM_EXPERIENCE], spec);
    factor_change_rate(&out->factors[FACTOR_CHANGE_RATE], spec);
    factor_criticality(&out->factors[FACTOR_CRITICALITY], spec);

    for (i = 0; i < FACTOR_COUNT; i++)
        if (out->factors[i].have_data)
            wsum += out->factors[i].weight;
    if (wsum > 0) {
        for (i = 0; i < FACTOR_COUNT; i++) {
            struct factor_result *f = &out->factors[i];

            if (!f->have_data)
                continue;
            f->contribution = 100.0 * f->weight * f->strength / wsum;
            score += f->contribution;
        }
    }
    out->score = score < 0 ? 0 : score > 100 ? 100 : score;
    score_flags(spec, lang, m, th, out);
}
