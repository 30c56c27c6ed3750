/* fetch.h: measure every service from a Prometheus-compatible server. */
#ifndef VERDICT_FETCH_H
#define VERDICT_FETCH_H

#include <stddef.h>
#include <stdio.h>

#include "verdict/assumptions.h"
#include "verdict/measure.h"

/*
 * A fetch runs in phases on one prom_client: discovery and language
 * detection (instant queries), then a range query per service, signal and
 * chunk.  Each series is kept as raw points only until its last chunk has
 * arrived, then reduced to statistics and a chart and freed, so memory
 * follows the number of requests in flight, not the range.
 *
 * Batch use:  fetch_new(); while (fetch_run(f, 100, -1, NULL) > 0) ;
 *             fetch_take(); fetch_free().
 * The TUI calls fetch_run() from its event loop with its terminal as
 * extra_fd, so the screen keeps answering.
 */
struct fetch;

struct fetch_options {
    const char *url;            /* server; required */
    double end_s;               /* unix seconds; NaN: now */
    double range_s;             /* > 0 */
    double step_s;              /* 0: chosen from the range */
    size_t chart_buckets;       /* 0: FETCH_CHART_BUCKETS */
    size_t max_response_bytes;  /* 0: FETCH_MAX_RESPONSE_BYTES */
    FILE *verbose;              /* request log, secrets redacted; NULL: none */
};

#define FETCH_CHART_BUCKETS 512
#define FETCH_MAX_RESPONSE_BYTES ((size_t)64 << 20)
/* Aim for at most this many points per series when choosing the step. */
#define FETCH_TARGET_POINTS 10000

struct fetch_progress {
    size_t requests_total;      /* known so far (discovery may add) */
    size_t requests_done;
    size_t errors;              /* failed requests */
    size_t series_total;
    size_t series_done;
    unsigned long long bytes;
    double elapsed_s;
    int phase;                  /* 0 discovery, 1 series, 2 done */
};

/*
 * Start a fetch for the services of *a (which must outlive it) and, when
 * discovery is configured, those the server knows.  Resolves secrets from
 * their environment variables or files.  Returns 0, or -1 with a message in
 * err: a bad or missing URL, an unreadable secret, a bad range.
 */
int fetch_new(const struct assumptions *a, const struct fetch_options *o, struct fetch **out,
              char *err, size_t errlen);

/* Drive the fetch for at most timeout_ms (see prom_client_run).  Returns
 * the number of requests still pending; 0 when the fetch is complete. */
int fetch_run(struct fetch *f, int timeout_ms, int extra_fd, int *extra_ready);

void fetch_progress(const struct fetch *f, struct fetch_progress *out);

/* Stop: pending requests end as "canceled" errors on their series. */
void fetch_cancel(struct fetch *f);

/*
 * Move the results into *out (source = the URL without credentials, the
 * grid's end, range and step, one entry per service: inventory order, then
 * discovered ones, marked `discovered`, so the caller can add them to the
 * inventory with defaults: config_add_discovered).  Returns 1 when the
 * server could not be reached at all (nothing answered; *out is still
 * filled, every service with the error), else 0.
 */
int fetch_take(struct fetch *f, struct measurements *out);

/* Why the discovery query failed (the fetch then goes on with the
 * inventory alone), or that it found more services than the limit, or
 * NULL.  Valid until fetch_free(). */
const char *fetch_discovery_error(const struct fetch *f);

/* How many services discovery found but left out: past
 * ASSUMPTIONS_MAX_SERVICES (the inventory and the first ones found stay),
 * or named by a label value longer than SNAPSHOT_MAX_STRING: partial data. */
size_t fetch_discovery_left_out(const struct fetch *f);

void fetch_free(struct fetch *f);

/* Print, without sending anything, every query that a fetch would send,
 * with its number of points and requests, and the totals. */
int fetch_dry_run(const struct assumptions *a, const struct fetch_options *o, FILE *out,
                  char *err, size_t errlen);

#endif /* VERDICT_FETCH_H */
