/* session.c: the TUI's working state: YAML-backed assumptions, measurements, results. */
#include "verdict/session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verdict/config.h"
#include "verdict/inventory.h"
#include "verdict/snapshot.h"
#include "verdict/util.h"

/* Decode the document's current text with the same loader as check-config.
 * Returns 0 with *out filled, or -1 with the first diagnostic in err. */
static int session_decode(const struct session *s, struct assumptions *out, char *err,
                          size_t errlen)
{
    struct config_diags d = { NULL, 0, 0 };
    int rc;

    /* the editor's tree of the current text: parsed once, not twice */
    rc = config_load_tree(s->config_name, yaml_doc_root(s->doc), out, &d);
    if (rc != 0)
        util_errf(err, errlen, "%s", d.n > 0 ? d.lines[0] : "invalid assumptions");
    config_diags_done(&d);
    return rc;
}

/* Append the services discovery found (the measurements mark them) that
 * the inventory does not name, every input at its default, as the batch
 * commands do.  They are not in the YAML document, so each decode of it
 * needs them added again.  The measurements hold at most the limit on
 * services, which the batch commands report; here the table shows them. */
static void session_add_discovered(const struct session *s, struct assumptions *a)
{
    (void)config_add_discovered(a, &s->m);
}

/* Replace the assumptions by freshly decoded ones and run the analysis. */
static int session_adopt(struct session *s, struct assumptions *na)
{
    session_add_discovered(s, na);
    analysis_done(&s->an);          /* borrows from s->a: release it first */
    assumptions_done(&s->a);
    s->a = *na;
    memset(na, 0, sizeof(*na));
    return session_recompute(s);
}

/* The fetch settings that follow the file unless the caller overrode them. */
static void session_fetch_defaults(struct session *s)
{
    memset(&s->fetch_opt, 0, sizeof(s->fetch_opt));
    s->fetch_opt.end_s = NAN;
    free(s->fetch_url);
    s->fetch_url = s->a.prometheus.url != NULL ? xstrdup(s->a.prometheus.url) : NULL;
}

int session_open_unmeasured(struct session *s, const char *path, const char *name,
                            const char *buf, size_t len, const struct analysis_options *opt,
                            char *err, size_t errlen)
{
    int rc;

    memset(s, 0, sizeof(*s));
    if (path != NULL)
        rc = yaml_doc_load(path, &s->doc, err, errlen);
    else
        rc = yaml_doc_load_buffer(name, buf, len, &s->doc, err, errlen);
    if (rc != 0) {
        s->doc = NULL;
        return -1;
    }
    s->config_name = xstrdup(path != NULL ? path : name);
    s->read_only = path == NULL;
    if (path == NULL) {
        s->builtin = buf;
        s->builtin_len = len;
    }
    if (session_decode(s, &s->a, err, errlen) != 0) {
        yaml_doc_free(s->doc);
        free(s->config_name);
        memset(s, 0, sizeof(*s));
        return -1;
    }
    if (opt != NULL)
        s->opt = *opt;
    s->engineer_months_available = s->a.economics.engineer_months_available;
    session_fetch_defaults(s);
    return 0;
}

void session_measure(struct session *s, struct measurements *m)
{
    measurements_done(&s->m);
    if (m != NULL) {
        s->m = *m;
        memset(m, 0, sizeof(*m));
    }
    /* a snapshot of a fetch that discovered services ranks them too */
    session_add_discovered(s, &s->a);
    if (session_recompute(s) != 0)
        xoom();
}

void session_close(struct session *s)
{
    if (s == NULL)
        return;
    fetch_free(s->fetch);
    snapshot_charts_free(s->charts);
    free(s->charts_error);
    analysis_done(&s->an);
    measurements_done(&s->m);
    assumptions_done(&s->a);
    yaml_doc_free(s->doc);
    free(s->config_name);
    free(s->fetch_url);
    memset(s, 0, sizeof(*s));
}

/* With many services the first answer uses fewer draws, so the screen
 * comes up at once; session_refine brings every service to the full
 * draws from the event loop.  The budget is in service-draws: about
 * 15 ms of Monte Carlo (1,000 services at 100 draws, 10,000 at 10),
 * beside the 70 ms it takes this machine just to read a 1,000-service
 * snapshot (78 MB).  The figures say they are provisional meanwhile. */
#define SESSION_QUICK_BUDGET 100000.0
#define SESSION_QUICK_MIN_DRAWS 10

int session_recompute(struct session *s)
{
    size_t full = s->opt.draws ? s->opt.draws : MC_DEFAULT_DRAWS, quick = 0;
    double n = (double)s->a.n_services;

    analysis_done(&s->an);
    s->generation++;
    inventory_resolve(&s->a, &s->m);   /* the inputs the file leaves out */
    if (n * (double)full > SESSION_QUICK_BUDGET) {
        quick = (size_t)(SESSION_QUICK_BUDGET / n);
        if (quick < SESSION_QUICK_MIN_DRAWS)
            quick = SESSION_QUICK_MIN_DRAWS;
    }
    return analysis_start(&s->a, &s->m, &s->opt, quick, &s->an);
}

void session_charts_later(struct session *s, struct snapshot_charts *charts)
{
    snapshot_charts_free(s->charts);
    s->charts = charts;
    s->charts_total = snapshot_charts_left(charts);
}

/* 1 when a service's latency benefit waits for its chart: an slo, and a
 * p99 series from a snapshot older than the exceedance table, whose chart
 * was still unread when the analysis ran (analysis_latency reads it). */
static int latency_waits_for_charts(const struct session *s)
{
    size_t i;

    for (i = 0; i < s->an.n_services; i++) {
        const struct service_analysis *sa = &s->an.services[i];
        const struct signal_data *p99 =
            sa->data != NULL ? &sa->data->signals[SIGNAL_P99_LATENCY] : NULL;

        if (sa->latency.has_slo && !sa->latency.measured && p99 != NULL && p99->present &&
            p99->exceedance == NULL && p99->chart.n > 0)
            return 1;
    }
    return 0;
}

int session_read_charts(struct session *s, double max_ms, char *err, size_t errlen)
{
    double t0 = util_now_s();
    int rc;

    if (s->charts == NULL)
        return 0;
    do
        rc = snapshot_charts_read(s->charts, &s->m, 16, err, errlen);
    while (rc > 0 && (util_now_s() - t0) * 1e3 < max_ms);
    if (rc < 0) {
        free(s->charts_error);
        s->charts_error = xstrdup(errlen > 0 ? err : "a chart could not be read");
    }
    if (rc <= 0) {
        snapshot_charts_free(s->charts);
        s->charts = NULL;
        /* the coarse latency figures of an old snapshot, now that its
         * charts are in: what the batch commands give */
        if (latency_waits_for_charts(s) && session_recompute(s) != 0)
            xoom();
    }
    return rc;
}

int session_refine(struct session *s, double max_ms)
{
    double t0 = util_now_s();
    long left;

    if (s->an.pending == 0)
        return 0;
    do {
        left = analysis_refine(&s->a, &s->opt, &s->an, 8);
        if (left < 0)
            xoom();
    } while (left > 0 && (util_now_s() - t0) * 1e3 < max_ms);
    if (left == 0)
        s->generation++;    /* final figures: every screen redraws */
    return left > 0;
}

int session_set(struct session *s, const char *path, const char *value, char *err,
                size_t errlen)
{
    struct assumptions na;

    if (yaml_doc_set(s->doc, path, value, err, errlen) != 0)
        return -1;
    if (session_decode(s, &na, err, errlen) != 0) {
        yaml_doc_undo(s->doc);
        return -1;
    }
    if (session_adopt(s, &na) != 0)
        xoom();
    return 0;
}

int session_undo(struct session *s)
{
    struct assumptions na;

    if (yaml_doc_undo(s->doc) != 0)
        return -1;
    /* the previous text decoded before, so this only fails on a loader bug;
     * then the old assumptions stay, which is the safe side */
    if (session_decode(s, &na, NULL, 0) != 0)
        return -1;
    if (session_adopt(s, &na) != 0)
        xoom();
    return 0;
}

size_t session_dirty(const struct session *s)
{
    return s->doc != NULL ? yaml_doc_dirty(s->doc) : 0;
}

enum yaml_save_status session_save(struct session *s, char *err, size_t errlen)
{
    if (s->read_only) {
        util_errf(err, errlen, "%s is built in and read-only (:saveas PATH keeps the edits)",
                  s->config_name);
        return YAML_SAVE_NO_PATH;
    }
    return yaml_doc_save(s->doc, err, errlen);
}

enum yaml_save_status session_save_as(struct session *s, const char *path, char *err,
                                      size_t errlen)
{
    enum yaml_save_status st = yaml_doc_save_as(s->doc, path, err, errlen);

    if (st == YAML_SAVE_OK) {
        free(s->config_name);
        s->config_name = xstrdup(path);
        s->read_only = 0;
        s->builtin = NULL;
        s->builtin_len = 0;
    }
    return st;
}

int session_reload(struct session *s, char *err, size_t errlen)
{
    struct yaml_doc *doc = NULL, *old = s->doc;
    struct assumptions na;
    int rc;

    if (s->fetch != NULL) {
        util_errf(err, errlen, "a fetch is running (Esc cancels it)");
        return -1;
    }
    if (s->read_only)
        rc = yaml_doc_load_buffer(s->config_name, s->builtin, s->builtin_len, &doc, err,
                                  errlen);
    else
        rc = yaml_doc_load(s->config_name, &doc, err, errlen);
    if (rc != 0)
        return -1;
    s->doc = doc;               /* session_decode reads the session's document */
    if (session_decode(s, &na, err, errlen) != 0) {
        s->doc = old;
        yaml_doc_free(doc);
        return -1;
    }
    yaml_doc_free(old);
    if (session_adopt(s, &na) != 0)
        xoom();
    s->engineer_months_available = s->a.economics.engineer_months_available;
    return 0;
}

const char *session_saved_to(const struct session *s)
{
    return yaml_doc_saved_to(s->doc);
}

int session_fetch_start(struct session *s, char *err, size_t errlen)
{
    struct fetch_options o = s->fetch_opt;

    if (s->fetch != NULL) {
        util_errf(err, errlen, "a fetch is already running");
        return -1;
    }
    o.url = s->fetch_url != NULL ? s->fetch_url : s->a.prometheus.url;
    if (o.url == NULL || o.url[0] == '\0') {
        util_errf(err, errlen, "no Prometheus server: set prometheus.url or --prometheus");
        return -1;
    }
    if (!(o.range_s > 0))
        o.range_s = s->a.prometheus.range_s;
    if (!(o.step_s > 0))
        o.step_s = s->a.prometheus.step_s;
    if (o.max_response_bytes == 0)
        o.max_response_bytes = (size_t)s->a.prometheus.max_response_bytes;
    o.verbose = NULL;               /* the terminal belongs to the screen */
    return fetch_new(&s->a, &o, &s->fetch, err, errlen);
}

int session_fetch_run(struct session *s, int timeout_ms, int extra_fd, int *extra_ready)
{
    struct measurements nm;
    struct assumptions na;
    int unreachable;

    if (s->fetch == NULL)
        return 0;
    if (fetch_run(s->fetch, timeout_ms, extra_fd, extra_ready) > 0)
        return 1;
    memset(&nm, 0, sizeof(nm));
    unreachable = fetch_take(s->fetch, &nm);
    fetch_free(s->fetch);
    s->fetch = NULL;
    if (unreachable) {
        /* nothing answered: keep what was measured before (the generation
         * stays, which is how the caller tells) */
        measurements_done(&nm);
        return 0;
    }
    /* the new measurements, and this fetch's discovery in place of the
     * last one's: decode the document again so the inventory is exact */
    analysis_done(&s->an);
    snapshot_charts_free(s->charts);     /* they were the old measurements' */
    s->charts = NULL;
    free(s->charts_error);
    s->charts_error = NULL;
    measurements_done(&s->m);
    s->m = nm;
    if (session_decode(s, &na, NULL, 0) != 0) {
        /* it decoded before; keep the old inventory, add the new names */
        session_add_discovered(s, &s->a);
        if (session_recompute(s) != 0)
            xoom();
        return 0;
    }
    if (session_adopt(s, &na) != 0)
        xoom();
    return 0;
}

void session_fetch_cancel(struct session *s)
{
    if (s->fetch == NULL)
        return;
    fetch_cancel(s->fetch);
    fetch_free(s->fetch);
    s->fetch = NULL;
}
