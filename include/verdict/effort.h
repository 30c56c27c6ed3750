/* effort.h: migration effort and timeline estimated from the seeds' phases. */
#ifndef VERDICT_EFFORT_H
#define VERDICT_EFFORT_H

#include "verdict/assumptions.h"
#include "verdict/range.h"

enum effort_phase_kind {
    PHASE_MEASURE,
    PHASE_SCAFFOLD,
    PHASE_IMPLEMENT,     /* per endpoint, in parallel with the old system */
    PHASE_CUTOVER,       /* per endpoint: 1 %, 10 %, 50 %, 100 % */
    PHASE_ROLLBACK,      /* old system kept running as rollback */
    PHASE_CLEANUP,
    PHASE_COUNT
};

const char *effort_phase_name(enum effort_phase_kind k);

/* One phase on the likely timeline, in calendar weeks from the start. */
struct effort_phase {
    enum effort_phase_kind kind;
    struct range engineer_weeks;
    double start_week;        /* likely case */
    double end_week;          /* likely case */
};

#define EFFORT_WEEKS_PER_MONTH (52.0 / 12.0)

struct effort_estimate {
    int estimated;                  /* 0: effort_engineer_months was given */
    int parallelism;                /* engineers working at once, >= 1 */
    struct range engineer_months;   /* total effort */
    struct range calendar_months;   /* start to the last cutover (effort.c) */
    struct range overlap_months;    /* old and new run side by side */
    double ramp_share;              /* likely: the last share of the calendar over
                                       which the endpoints move (cost.h) */
    struct effort_phase phases[PHASE_COUNT];
};

/* Estimate effort for a service with `endpoints` endpoints and a team of
 * `engineers` (each < 1 is treated as 1).  When spec->has_effort, the given
 * effort is used, the calendar follows from it and the phase split is
 * scaled to it.  Pure. */
void effort_estimate(const struct service_spec *spec, const struct effort_phases *ph,
                     struct effort_estimate *out);

#endif /* VERDICT_EFFORT_H */
