/* snapshot.h: read and write measurements as JSON (schema verdict.snapshot/1). */
#ifndef VERDICT_SNAPSHOT_H
#define VERDICT_SNAPSHOT_H

#include <stddef.h>
#include <stdio.h>

#include "verdict/measure.h"

#define SNAPSHOT_SCHEMA "verdict.snapshot/1"

/* The most a snapshot may hold (verdict(1), LIMITS): files are read
 * whole.  256 MiB is about 2,400 services at fetch's 512 chart buckets,
 * so fetch draws fewer buckets for more services (snapshot_chart_buckets),
 * and snapshot_write refuses to write more. */
#define SNAPSHOT_MAX_BYTES ((size_t)256 << 20)
/* The longest string a snapshot may hold, in bytes (as verdict.yaml's). */
#define SNAPSHOT_MAX_STRING 65536

/*
 * File layout (numbers written with %.17g so that a reload gives the same
 * doubles; NaN written as null):
 * {"schema": "verdict.snapshot/1", "source": "...", "end": 1.7e9,
 *  "range": 2592000, "step": 300,
 *  "services": [{"name": "...", "detected_language": null, "error": null,
 *     "discovered": true (only for a service discovery found that the
 *                         inventory does not name),
 *     "detection_note": "language not detected (...)" (only when language
 *                         detection ran and found none; absent before it),
 *     "profile": "istio+kubernetes" (only when the fetch chose query
 *                profiles: service_data.profile, measure.h),
 *     "signals": {"p99_latency_seconds": {"error": null,
 *        "stats": {"count", "gaps", "first_t", "last_t", "min", "max",
 *                  "mean", "p50", "p95", "p99", "last", "trend_per_day",
 *                  "trend_se_per_day" (optional: absent before it)},
 *        "exceedance": [114 numbers] (p99 only; absent before it was kept:
 *                      stats_exceedance, stats.h),
 *        "bucket": {"lo": 0, "hi": 0.1} (p50/p99 from histogram_quantile,
 *                  when the bucket query answered; hi null for +Inf;
 *                  absent before it: measure.h),
 *        "chart": {"t0": ..., "dt": ..., "min": [...], "max": [...],
 *                  "mean": [...]}}, ...}}]}
 * A signal absent from "signals" was not queried or returned no data.
 */

/* Parse `len` bytes named `name` into *out.  Returns 0, or -1 with a
 * message "NAME: what is wrong (at services[3].signals.cpu_cores...)" in
 * err (errlen bytes, always terminated) and *out zeroed. */
int snapshot_load_buffer(const char *name, const char *buf, size_t len,
                         struct measurements *out, char *err, size_t errlen);

int snapshot_load_file(const char *path, struct measurements *out, char *err,
                       size_t errlen);

/*
 * The same, but the charts' arrays (nearly all of a large file) are only
 * passed over, so that the TUI shows the table at once: every chart
 * comes back empty (n = 0) and *later (NULL when there is nothing left)
 * reads them into *out afterwards, `max` charts per call.  The text is
 * checked as it is read, so a problem in a chart's array is found only
 * then: snapshot_charts_read returns -1 with the message snapshot_load_file
 * would have given, and the charts not read yet stay empty.  It returns 1
 * while charts remain, 0 when all are read.  Keep *out and *later
 * together: a *later is only for the measurements it came with.
 */
struct snapshot_charts;
int snapshot_load_file_later(const char *path, struct measurements *out,
                             struct snapshot_charts **later, char *err, size_t errlen);
int snapshot_load_buffer_later(const char *name, const char *buf, size_t len,
                               struct measurements *out, struct snapshot_charts **later,
                               char *err, size_t errlen);     /* copies buf */
int snapshot_charts_read(struct snapshot_charts *c, struct measurements *m, size_t max,
                         char *err, size_t errlen);
size_t snapshot_charts_left(const struct snapshot_charts *c);
void snapshot_charts_free(struct snapshot_charts *c);

/* Write *m as JSON to f.  Returns 0; -1 on a write error (errno set); -2
 * when the text would pass SNAPSHOT_MAX_BYTES (what was written by then
 * is not a snapshot: the caller discards it). */
int snapshot_write(FILE *f, const struct measurements *m);

/*
 * The most chart buckets per series that keep a snapshot of n_series
 * series under SNAPSHOT_MAX_BYTES, at most `want`: half the limit for the
 * charts, at worst 45 bytes a bucket (three numbers of 6 significant
 * digits, "-1.23457e-300, ").  Example: 50,000 series (10,000 services x
 * 5 signals): 134,217,728 / (50,000 x 45) = 59 buckets; 5,000 series keep
 * 512.  At least 1.
 */
size_t snapshot_chart_buckets(size_t n_series, size_t want);

#endif /* VERDICT_SNAPSHOT_H */
