/* score.h: migration-candidate score from named factors, red flags, recommendation. */
#ifndef VERDICT_SCORE_H
#define VERDICT_SCORE_H

#include <stddef.h>

#include "verdict/assumptions.h"

/*
 * Metrics derived from the measured series and the inventory.  A field
 * whose have_* flag is 0 is unknown (no data, or a division by zero); the
 * factors that need it report "no data" and drop out of the weighting.
 */
struct service_metrics {
    double p99_s;              /* median over time of the p99 series */
    double p50_s;              /* median over time of the p50 series */
    double p99_busy_s;         /* 95th percentile over time of the p99 series */
    double tail_ratio;         /* p99_busy_s / p50_s (see analysis_metrics) */
    double mean_latency_s;     /* median over time of the mean-latency series
                                  (histogram _sum / _count) */
    double cpu_cores_p95;      /* fleet CPU, 95th percentile over time */
    double cpu_cores_mean;
    double rps_mean;           /* fleet requests per second */
    double cpu_s_per_request;  /* cpu_cores_mean / rps_mean */
    double runtime_share;      /* cpu_s_per_request / mean_latency_s, or / p50_s
                                  when the mean was not measured */
    double gc_share;           /* GC seconds per second / cpu_cores_mean: the
                                  share of CPU the collector takes */
    double cpu_utilisation;    /* cpu_cores_p95 / (instances * cores) */
    double memory_bytes_p95;   /* fleet memory, 95th percentile */
    double memory_per_instance_bytes;   /* memory_bytes_p95 / instances */
    double memory_utilisation; /* per instance / memory_per_instance */
    double memory_growth_per_day;       /* fraction of mean per day */
    double memory_growth_se_per_day;    /* its noise (stats_slope_se / mean),
                                           NaN when unknown */
    double memory_window_days;          /* first to last memory point */
    /* the bucket each quantile's median over time lies in, lo < v <= hi
     * (measure.h); *_bucket_known 0: not known */
    int p50_bucket_known, p99_bucket_known;
    double p50_bucket_lo, p50_bucket_hi, p99_bucket_lo, p99_bucket_hi;
    double fleet_cost_per_month;        /* instances * cost_per_instance */
    int have_latency;          /* p99_s, p50_s, tail_ratio */
    int have_runtime_share;    /* cpu_s_per_request, runtime_share */
    int share_from_mean;       /* 1: runtime_share divides by the mean latency,
                                  0: by the p50 (no mean-latency signal) */
    int have_mean_latency;     /* mean_latency_s */
    int have_gc;               /* gc_share (the runtime exports GC time) */
    int have_cpu;              /* cpu_cores_*, cpu_utilisation */
    int have_memory;           /* memory_* */
    int enough_data;           /* 0: too few points/hours (see thresholds) */
};

/* Memory growth is judged only over at least this many days (issue 15:
 * 15 minutes of 45 MiB -> 45.6 MiB is no leak) and when it exceeds
 * SCORE_TREND_NOISE times its standard error (about 95 %, two-sided).
 * No seed gives either figure; see score.c, factor_memory. */
#define SCORE_TREND_MIN_DAYS 3.0
#define SCORE_TREND_NOISE 2.0

/* Whether m's memory growth can be judged: 0 judged, 1 window too short
 * (under SCORE_TREND_MIN_DAYS), 2 within noise (|growth| not above
 * SCORE_TREND_NOISE standard errors, or the error unknown), -1 no growth
 * measured.  The memory factor and the checklist both ask it. */
int score_growth_judged(const struct service_metrics *m);

/* 1 when a quantile value v read in the bucket [lo, hi] is coarse: the
 * bucket is wider than the value itself, hi - lo > v (hi +Inf: always);
 * 0 otherwise, and when v is not finite or positive.  See score.c. */
int score_coarse_bucket(double v, double lo, double hi);

#define SCORE_REASON_MAX 200

/* Runtime share at or above which an ML service gets seed 001's hybrid
 * suggestion (see score.c, score_flags). */
#define SCORE_HYBRID_SHARE 0.5

/* GC share of CPU at which a wide tail counts fully as the GC tax (see
 * score.c, factor_tail_ratio). */
#define SCORE_GC_SHARE_FULL 0.02

struct factor_result {
    enum factor factor;
    int have_data;          /* 0: no data, strength 0, weight excluded */
    double value;           /* raw value in the factor's own unit */
    double strength;        /* 0..1, how strongly it argues for migrating */
    double weight;          /* from scoring.weights */
    double contribution;    /* points of the 0..100 score */
    char reason[SCORE_REASON_MAX];   /* one sentence, no trailing newline */
};

enum red_flag {
    FLAG_IO_BOUND,
    FLAG_TEAM_NEW_CRITICAL,
    FLAG_WEEKLY_CHANGES,
    FLAG_POOR_FIT_WORKLOAD,
    FLAG_NOT_ENOUGH_DATA,
    FLAG_DISCOVERED,        /* found on the server, every input a default */
    FLAG_COARSE_BUCKETS,    /* a quantile read inside a bucket wider than itself */
    FLAG_COUNT
};

/* Stable identifier of a flag ("io_bound", ...), for JSON and CSV. */
const char *red_flag_name(enum red_flag f);

/*
 * What a flag does to the recommendation (issue 14, DESIGN.md "Model v2"):
 * a veto is a seed's "don't migrate" condition and holds a service that
 * would be migrate at consider (and it is kept out of the plan); a caution
 * is shown (and, where the cost model can, priced) but never blocks.
 */
enum flag_kind {
    FLAG_KIND_VETO,
    FLAG_KIND_CAUTION
};

/* "veto" or "caution" (JSON flags[].kind), or "?". */
const char *flag_kind_name(enum flag_kind k);

struct flag_result {
    enum red_flag flag;
    enum flag_kind kind;
    const char *seed;               /* static: the seed condition it implements,
                                       paraphrased ("seed 000: ..."), never NULL */
    char text[SCORE_REASON_MAX];
};

struct score_result {
    double score;                         /* 0..100 */
    struct factor_result factors[FACTOR_COUNT];
    struct flag_result flags[FLAG_COUNT];
    size_t n_flags;
    int fleet_shrinks;          /* 1: CPU or memory sizes the fleet and it shrinks at
                                   the language's likely reductions (score_fleet_shrinks) */
    int hybrid;                 /* 1: an ML service whose runtime share is high: seed
                                   001's hybrid (keep Python, hot loop behind PyO3) */
};

/* Flags of kind veto, not counting not_enough_data (which makes the
 * recommendation unknown on its own). */
size_t score_veto_count(const struct score_result *r);

/*
 * 1 when the fleet is sized by CPU or memory and shrinks at the likely CPU
 * and memory reductions of `lang` (NULL: none), by cost.c's cost_fleet rule
 * at likely values (cost_instances_after; tests/test_model_score.c checks
 * it against cost_evaluate); 0 when it is held at its availability floor,
 * nothing was measured, or it would not lose an instance.  Pure.
 */
int score_fleet_shrinks(const struct service_spec *spec, const struct language_profile *lang,
                        const struct service_metrics *m);

/* Score one service.  `lang` may be NULL (unknown language: the language
 * factor has no data).  Pure; fills *out completely. */
void score_service(const struct service_spec *spec,
                   const struct language_profile *lang,
                   const struct service_metrics *m,
                   const struct scoring *weights,
                   const struct thresholds *th,
                   struct score_result *out);

enum recommendation {
    REC_MIGRATE,
    REC_CONSIDER,
    REC_KEEP,
    REC_UNKNOWN
};

const char *recommendation_name(enum recommendation r);

#endif /* VERDICT_SCORE_H */
