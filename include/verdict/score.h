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
    double tail_ratio;         /* p99_s / p50_s */
    double cpu_cores_p95;      /* fleet CPU, 95th percentile over time */
    double cpu_cores_mean;
    double rps_mean;           /* fleet requests per second */
    double cpu_s_per_request;  /* cpu_cores_mean / rps_mean */
    double runtime_share;      /* cpu_s_per_request / p50_s */
    double cpu_utilisation;    /* cpu_cores_p95 / (instances * cores) */
    double memory_bytes_p95;   /* fleet memory, 95th percentile */
    double memory_per_instance_bytes;   /* memory_bytes_p95 / instances */
    double memory_utilisation; /* per instance / memory_per_instance */
    double memory_growth_per_day;       /* fraction of mean per day */
    double fleet_cost_per_month;        /* instances * cost_per_instance */
    int have_latency;          /* p99_s, p50_s, tail_ratio */
    int have_runtime_share;    /* cpu_s_per_request, runtime_share */
    int have_cpu;              /* cpu_cores_*, cpu_utilisation */
    int have_memory;           /* memory_* */
    int enough_data;           /* 0: too few points/hours (see thresholds) */
};

#define SCORE_REASON_MAX 200

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
    FLAG_COUNT
};

/* Stable identifier of a flag ("io_bound", ...), for JSON and CSV. */
const char *red_flag_name(enum red_flag f);

struct flag_result {
    enum red_flag flag;
    char text[SCORE_REASON_MAX];
};

struct score_result {
    double score;                         /* 0..100 */
    struct factor_result factors[FACTOR_COUNT];
    struct flag_result flags[FLAG_COUNT];
    size_t n_flags;
};

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
