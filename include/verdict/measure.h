/* measure.h: measured series per service, as fetched, snapshotted or embedded. */
#ifndef VERDICT_MEASURE_H
#define VERDICT_MEASURE_H

#include <stddef.h>

#include "verdict/assumptions.h"
#include "verdict/stats.h"

/* One signal of one service: reduced statistics and a chart, or an error. */
struct signal_data {
    int present;            /* 1: a query ran and returned data */
    char *error;            /* owned; NULL unless the query failed */
    char *warning;          /* owned; NULL, or e.g. several series combined */
    int partial;            /* 1: the server flagged the answer as partial */
    struct series_stats stats;
    struct chart chart;
    double *exceedance;     /* owned, STATS_EXCEEDANCE_LEVELS (stats.h) or NULL:
                             * kept for the p99 series (the hours above an SLO);
                             * NULL in snapshots written before it */
    /* p50 and p99 from histogram_quantile: the bucket that holds the
     * signal's median over time (stats.p50), lo < value <= hi (hi may be
     * +Inf), from the histogram's le bounds at the end of the range.
     * have_bucket 0: not known (another kind of query, the bucket query
     * failed, or a snapshot written before it). */
    int have_bucket;
    double bucket_lo;
    double bucket_hi;
};

struct service_data {
    char *name;             /* owned */
    char *detected_language;/* owned or NULL: from go_info etc. */
    char *detection_note;   /* owned or NULL: why no language was detected,
                             * "language not detected (no go_info, ... for
                             * job=X)"; NULL in snapshots written before it */
    /* owned or NULL: the query profiles the fetch chose (query_profile.h),
     * joined by "+": "istio", "http+kubernetes+gc:go"; NULL when the
     * probe found none or was not run (every query explicit) */
    char *profile;
    char *error;            /* owned or NULL: service-level failure */
    int discovered;         /* 1: found by discovery, not in the inventory */
    struct signal_data signals[SIGNAL_COUNT];
};

/* Everything measured for one run (what a snapshot file holds). */
struct measurements {
    char *source;           /* owned: URL without credentials, or "demo" */
    double end_s;           /* unix seconds */
    double range_s;
    double step_s;
    char *discovery_error;  /* owned or NULL: discovery failed, inventory only */
    char *service_label;    /* owned or NULL: the label the fetch selected services by
                               (queries.service_label or its probe); NULL in
                               snapshots written before it */
    struct service_data *services;  /* owned array */
    size_t n_services;
};

/* The entry for `name`, or NULL. */
const struct service_data *measurements_find(const struct measurements *m,
                                             const char *name);

/* Free everything *m owns; *m is left zeroed.  NULL is fine. */
void measurements_done(struct measurements *m);
void service_data_done(struct service_data *s);

#endif /* VERDICT_MEASURE_H */
