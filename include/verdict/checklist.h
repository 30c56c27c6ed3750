/* checklist.h: the seeds' migrate-when / don't-migrate-when checklist, ticked from the data. */
#ifndef VERDICT_CHECKLIST_H
#define VERDICT_CHECKLIST_H

#include <stddef.h>

#include "verdict/analysis.h"

/*
 * Seed 000 lists when to migrate and when not to; seed 001 lists good and
 * poor candidates.  Each item here is one of those conditions, evaluated
 * from one service's analysis: `yes` means the condition holds (for a
 * don't-migrate-when item, that is a reason to stay), `no` that it does
 * not, `unknown` that the data cannot tell.  The thresholds, and the seed
 * each comes from, are documented in models/checklist.c.
 */
enum checklist_id {
    /* migrate when */
    CHECKLIST_RUNTIME_BOTTLENECK,
    CHECKLIST_MEMORY,
    CHECKLIST_GC_TAIL,
    CHECKLIST_SAFETY_CRITICAL,
    CHECKLIST_REWRITING_ANYWAY,
    /* don't migrate when */
    CHECKLIST_SPEED_ONLY,
    CHECKLIST_TEAM_NEW,
    CHECKLIST_STABLE,
    CHECKLIST_TIME_TO_MARKET,
    CHECKLIST_POOR_FIT,
    CHECKLIST_COUNT
};

enum checklist_side {
    CHECKLIST_MIGRATE_WHEN,      /* yes argues for a rewrite */
    CHECKLIST_DONT_MIGRATE_WHEN  /* yes argues against it */
};

enum checklist_state {
    CHECKLIST_YES,
    CHECKLIST_NO,
    CHECKLIST_UNKNOWN
};

#define CHECKLIST_EVIDENCE_MAX 80

struct checklist_item {
    enum checklist_id id;
    enum checklist_side side;
    enum checklist_state state;
    const char *key;       /* static, stable: "runtime_bottleneck", for JSON/tests */
    const char *text;      /* static: the condition in one short sentence */
    const char *seed;      /* static: "000", "001" or "000, 001" */
    char evidence[CHECKLIST_EVIDENCE_MAX];  /* ASCII, the figure that decided */
};

/*
 * Evaluate the checklist for one analysed service, in enum order, into
 * out[0 .. min(cap, CHECKLIST_COUNT)).  Reads sa->spec, sa->metrics,
 * sa->score.factors and, when present, the GC signal of sa->data (may be
 * NULL).  th: the economics thresholds (io_bound_share, weekly_changes,
 * consider_score).  out may be NULL when cap is 0.  Pure; allocates
 * nothing.  Returns the number of items written.
 */
size_t checklist_evaluate(const struct service_analysis *sa, const struct thresholds *th,
                          struct checklist_item *out, size_t cap);

/* Stable name of a state: "yes", "no", "unknown". */
const char *checklist_state_name(enum checklist_state s);

#endif /* VERDICT_CHECKLIST_H */
