/* score.c: a service's 0..100 migration score from named factors, with reasons and red flags. */
#include "verdict/score.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
};

static const char *const recommendation_names[] = {
    "migrate", "consider", "keep", "unknown",
};

const char *red_flag_name(enum red_flag f)
{
    return (unsigned)f < FLAG_COUNT ? red_flag_names[f] : "?";
}

const char *recommendation_name(enum recommendation r)
{
    return (unsigned)r <= REC_UNKNOWN ? recommendation_names[r] : "?";
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
 * runtime_share = CPU seconds per request / p50 latency: the share of a
 * typical request spent computing.  Strength = share, clamped to [0, 1].
 * Near 1 the runtime is the bottleneck (000: "not the database, not the
 * network: the language runtime"); far below it the request waits on a
 * database or the network, and a rewrite will not move latency (003: a
 * CRUD API waiting 90% of its time on queries gains little).
 * Example: 46 ms CPU per request, p50 50 ms: share 0.92, strength 0.92.
 * A share above 1 (parallel work per request, or background CPU) clamps.
 */
static void factor_runtime_share(struct factor_result *f, const struct service_metrics *m,
                                 const struct thresholds *th)
{
    char p[32];
    double s = m->runtime_share;

    if (!m->have_runtime_share || !isfinite(s) || s < 0) {
        snprintf(f->reason, sizeof(f->reason),
                 "No data: CPU per request or median latency was not measured.");
        return;
    }
    set_factor(f, s, s);
    pct_text(p, sizeof(p), s);
    if (s > 1)
        snprintf(f->reason, sizeof(f->reason),
                 "CPU time per request is %.1fx the median latency: the runtime is "
                 "the bottleneck.", s);
    else if (s >= 0.5)
        snprintf(f->reason, sizeof(f->reason),
                 "%s of each request is CPU time in the runtime: the language is the "
                 "bottleneck.", p);
    else if (s >= th->io_bound_share)
        snprintf(f->reason, sizeof(f->reason),
                 "%s of each request is CPU time: the rest is waiting, which a rewrite "
                 "will not shorten.", p);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "Only %s of each request is CPU time: it waits on I/O, so a faster "
                 "language barely moves latency.", p);
}

/*
 * tail_ratio = p99 / p50.  Strength rises linearly from 0 at a ratio of 2
 * to 1 at 8: a wide tail points at GC pauses (000: "GC pauses ... are
 * killing your p99"; 001: Go gateway latency spikes from GC pressure;
 * 003: the collector pausing when traffic spikes), which a language
 * without a GC removes.  The breakpoints have no seed figure.
 * Example: p50 20 ms, p99 110 ms: ratio 5.5, strength (5.5 - 2) / 6 = 0.58.
 */
static void factor_tail_ratio(struct factor_result *f, const struct service_metrics *m)
{
    double r = m->tail_ratio;

    if (!m->have_latency || !isfinite(r) || r <= 0) {
        snprintf(f->reason, sizeof(f->reason), "No data: p50 or p99 latency was not measured.");
        return;
    }
    set_factor(f, r, ramp(r, 2, 8));
    if (r >= 8)
        snprintf(f->reason, sizeof(f->reason),
                 "p99 is %.1fx p50: a very wide tail, the pattern GC pauses leave.", r);
    else if (r > 2)
        snprintf(f->reason, sizeof(f->reason),
                 "p99 is %.1fx p50: a widening tail, possibly GC pauses.", r);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "p99 is %.1fx p50: a narrow tail, latency is already predictable.", r);
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
 * value is the input of whichever strength wins (utilisation on a tie), and
 * the reason names it.  No seed gives the breakpoints.
 * Example: utilisation 0.6 -> 0.5; growth 0.008/day -> 0.8; strength 0.8,
 * value 0.008, reason about a leak.
 */
static void factor_memory(struct factor_result *f, const struct service_metrics *m)
{
    char p[32];
    double u = m->memory_utilisation, g = m->memory_growth_per_day;
    int have_u = isfinite(u) && u >= 0, have_g = isfinite(g);
    double su = have_u ? ramp(u, 0.3, 0.9) : 0;
    double sg = have_g ? ramp(g, 0, 0.01) : 0;

    if (!m->have_memory || (!have_u && !have_g)) {
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
        snprintf(f->reason, sizeof(f->reason),
                 "Memory per instance at p95 is %s of its allotment: memory is tight, a "
                 "leaner runtime frees it.", p);
    else if (u > 0.3)
        snprintf(f->reason, sizeof(f->reason),
                 "Memory per instance at p95 is %s of its allotment: some room to save.", p);
    else
        snprintf(f->reason, sizeof(f->reason),
                 "Memory per instance at p95 is %s of its allotment: memory is not a "
                 "constraint.", p);
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

static struct flag_result *add_flag(struct score_result *out, enum red_flag flag)
{
    struct flag_result *r = &out->flags[out->n_flags++];

    r->flag = flag;
    return r;
}

/*
 * Red flags, in enum order; each says why in its text:
 *   io_bound: measured runtime share below thresholds.io_bound_share, or
 *     the workload declared io-bound;
 *   team_new_critical: experience none on a high-criticality service
 *     (000: start with a new, non-critical service);
 *   weekly_changes: changes per month (likely) >= thresholds.weekly_changes;
 *   poor_fit_workload: crud, ml or glue;
 *   not_enough_data: metrics say there is too little data to judge.
 */
static void score_flags(const struct service_spec *spec, const struct service_metrics *m,
                        const struct thresholds *th, struct score_result *out)
{
    double share = m->runtime_share;
    double changes = spec->changes_per_month.likely;
    int low_share = m->have_runtime_share && isfinite(share) && share < th->io_bound_share;
    int io_decl = spec->workload == WORKLOAD_IO_BOUND;
    char p[32], t[32];

    if (low_share || io_decl) {
        struct flag_result *r = add_flag(out, FLAG_IO_BOUND);

        pct_text(p, sizeof(p), share);
        pct_text(t, sizeof(t), th->io_bound_share);
        if (low_share && io_decl)
            snprintf(r->text, sizeof(r->text),
                     "Declared io-bound, and only %s of each request is CPU time (flag "
                     "below %s).", p, t);
        else if (low_share)
            snprintf(r->text, sizeof(r->text),
                     "I/O-bound: only %s of each request is CPU time (flag below %s).", p, t);
        else
            snprintf(r->text, sizeof(r->text),
                     "Declared io-bound in the inventory: it mostly waits on I/O.");
    }
    if (spec->experience == EXPERIENCE_NONE && spec->criticality == CRITICALITY_HIGH)
        snprintf(add_flag(out, FLAG_TEAM_NEW_CRITICAL)->text, SCORE_REASON_MAX,
                 "Nobody on the team knows Rust and the service is high-criticality: "
                 "learn on a non-critical service first.");
    if (isfinite(changes) && changes >= th->weekly_changes)
        snprintf(add_flag(out, FLAG_WEEKLY_CHANGES)->text, SCORE_REASON_MAX,
                 "Changes %.3g times a month (flag at %.3g): requirements moving this "
                 "fast favour staying put.", changes, th->weekly_changes);
    if (spec->workload == WORKLOAD_CRUD || spec->workload == WORKLOAD_ML ||
        spec->workload == WORKLOAD_GLUE)
        snprintf(add_flag(out, FLAG_POOR_FIT_WORKLOAD)->text, SCORE_REASON_MAX,
                 "Workload %s is a poor fit for a Rust rewrite.",
                 workload_name(spec->workload));
    if (!m->enough_data)
        snprintf(add_flag(out, FLAG_NOT_ENOUGH_DATA)->text, SCORE_REASON_MAX,
                 "Too little measured data to judge (fewer hours or points than the "
                 "thresholds ask).");
    if (spec->discovered)
        snprintf(add_flag(out, FLAG_DISCOVERED)->text, SCORE_REASON_MAX,
                 "Found on the server but not in the inventory: every input is a "
                 "built-in default until it is described.");
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
    score_flags(spec, m, th, out);
}
