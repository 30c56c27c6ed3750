/* session.h: what the TUI works on: inputs, results, edits, saving, refetching. */
#ifndef VERDICT_SESSION_H
#define VERDICT_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "verdict/analysis.h"
#include "verdict/assumptions.h"
#include "verdict/fetch.h"
#include "verdict/measure.h"
#include "verdict/yaml_edit.h"

/*
 * One session owns the assumptions (decoded from an editable YAML
 * document), the measurements and the analysis computed from both.  Every
 * edit goes through the YAML text: the value is written in place
 * (yaml_doc_set), the whole document is decoded again with the same loader
 * as `verdict check-config`, and only when that succeeds do the new
 * assumptions replace the old ones and the analysis run again.  So what
 * the screen shows is always what the file would say, and an invalid
 * value keeps the old one with the loader's own message.
 */
struct snapshot_charts;

struct session {
    struct yaml_doc *doc;          /* owned; the assumptions' source */
    char *config_name;             /* owned: path, or the demo's name */
    int read_only;                 /* 1: the embedded demo (save refused) */
    const char *builtin;           /* borrowed: the demo's text, for session_reload */
    size_t builtin_len;
    struct assumptions a;
    struct measurements m;
    struct analysis an;
    struct analysis_options opt;
    struct fetch *fetch;           /* owned while a refetch runs, else NULL */
    struct fetch_options fetch_opt;
    char *fetch_url;               /* owned copy for fetch_opt.url */
    double engineer_months_available;  /* portfolio capacity (a quarter) */
    unsigned generation;           /* bumped on every recompute: screens redraw */
    struct snapshot_charts *charts;    /* owned: m's charts still to read, or NULL */
    size_t charts_total;           /* how many there were to read */
    char *charts_error;            /* owned: why the rest were not read, or NULL */
};

/* Open in two steps, so that the measurements can be read meanwhile: first
 * the YAML document alone (path, or an in-memory buffer when path is NULL;
 * no analysis yet), then the measurements (moved in; NULL: none) and the
 * analysis.  A buffer is borrowed: it must outlive the session (the demo's
 * is compiled in), which reads it again on session_reload.  Returns 0, or
 * -1 with the loader's first message in err. */
int session_open_unmeasured(struct session *s, const char *path, const char *name,
                            const char *buf, size_t len, const struct analysis_options *opt,
                            char *err, size_t errlen);
void session_measure(struct session *s, struct measurements *m);

void session_close(struct session *s);

/* Run the analysis again on the current inputs (after an edit, a fetch, a
 * change of capacity).  With many services the Monte Carlo first runs at
 * fewer draws (s->an.pending > 0: the figures are provisional) and
 * session_refine finishes it.  Returns 0, or -1 when memory runs out. */
int session_recompute(struct session *s);

/* Hand over the charts snapshot_load_file_later left to read into the
 * measurements session_measure took. */
void session_charts_later(struct session *s, struct snapshot_charts *charts);

/* Read those charts for about max_ms.  Returns 1 while more remain, 0
 * when all are read, -1 with the message in err when one is refused (the
 * rest then stay empty; the statistics, and so every figure, are whole).
 * Once all are read, a service whose latency benefit waited for its chart
 * (an slo over a snapshot without the p99 exceedance table) gets its
 * figures: the analysis runs again. */
int session_read_charts(struct session *s, double max_ms, char *err, size_t errlen);

/* Refine the Monte Carlo for about max_ms (at least a few services).
 * Returns 1 while more remains, 0 when the figures are final (the
 * generation is bumped then). */
int session_refine(struct session *s, double max_ms);

/* Edit one value (see yaml_doc_set for paths and value text), decode,
 * recompute.  Returns 0; or -1 with a message in err, the old value kept. */
int session_set(struct session *s, const char *path, const char *value, char *err,
                size_t errlen);

/* Undo the last edit and recompute.  Returns 0, or -1 when none is left. */
int session_undo(struct session *s);

/* Edits not yet saved. */
size_t session_dirty(const struct session *s);

/* Save the YAML document in place (see yaml_doc_save). */
enum yaml_save_status session_save(struct session *s, char *err, size_t errlen);

/* Write the document, edits included, to path (see yaml_doc_save_as;
 * the caller asks before replacing a file).  From then on the session's
 * file is path, config_name says so, and the demo is a file session like
 * any other. */
enum yaml_save_status session_save_as(struct session *s, const char *path, char *err,
                                      size_t errlen);

/* Read the assumptions file again (the demo: its built-in text), dropping
 * every edit and the undo history, and run the analysis again.  Refused
 * while a fetch runs (it reads the inventory).  Returns 0; or -1 with the
 * reason (the loader's first message) in err, the session unchanged. */
int session_reload(struct session *s, char *err, size_t errlen);

/* The file the last save really wrote, its .bak beside it: config_name,
 * or a symbolic link's target (see yaml_doc_saved_to); NULL before. */
const char *session_saved_to(const struct session *s);

/* Start fetching again in the background (the TUI drives it with
 * session_fetch_run from its event loop).  Returns 0, or -1 with err. */
int session_fetch_start(struct session *s, char *err, size_t errlen);

/* Drive a running fetch (see fetch_run).  When it completes, the new
 * measurements replace the old ones and the analysis runs again; returns
 * 1 while running, 0 when done or none runs. */
int session_fetch_run(struct session *s, int timeout_ms, int extra_fd, int *extra_ready);

/* Stop a running fetch; the old measurements stay. */
void session_fetch_cancel(struct session *s);

#endif /* VERDICT_SESSION_H */
