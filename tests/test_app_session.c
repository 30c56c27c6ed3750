/* test_app_session.c: the TUI's session (app/tui/session.c): what happens once a snapshot's charts are in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_data.h"
#include "verdict/session.h"
#include "verdict/snapshot.h"

/* The demo snapshot as one written before the p99 exceedance table: every
 * line holding an "exceedance" array left out (the writer puts each on a
 * line of its own, the comma that follows at its end). */
static char *old_snapshot(size_t *len)
{
    char *out = malloc(demo_snapshot_len + 1);
    const char *p = (const char *)demo_snapshot, *end = p + demo_snapshot_len;
    size_t n = 0, dropped = 0;

    assert_non_null(out);
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t l = eol != NULL ? (size_t)(eol - p) + 1 : (size_t)(end - p);
        const char *hit = memchr(p, '"', l);

        if (hit != NULL && (size_t)(end - hit) > 13 && memcmp(hit, "\"exceedance\":", 13) == 0) {
            dropped++;
        } else {
            memcpy(out + n, p, l);
            n += l;
        }
        p += l;
    }
    assert_int_equal(dropped, 12);     /* one a p99 series */
    out[n] = '\0';
    *len = n;
    return out;
}

static const struct service_analysis *find(const struct session *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->an.n_services; i++)
        if (strcmp(s->an.services[i].spec->name, name) == 0)
            return &s->an.services[i];
    fail_msg("no %s", name);
    return NULL;
}

/*
 * The TUI reads a snapshot's charts after the first figures.  The demo's
 * payments-core has an slo; over a snapshot without the exceedance table
 * its hours above it come from the chart, which is not in yet at the first
 * analysis: no saving then, and once the charts are read the analysis runs
 * again, giving the figure `verdict report` gives over the same file,
 * flagged coarse.
 */
static void test_latency_after_charts(void **state)
{
    struct analysis_options opt = { 1, 500 };
    struct session s;
    struct measurements m, whole;
    struct snapshot_charts *later = NULL;
    struct analysis an;
    char err[512], *text;
    size_t len, i;
    unsigned gen;

    (void)state;
    memset(&s, 0, sizeof(s));
    text = old_snapshot(&len);
    assert_int_equal(session_open_unmeasured(&s, NULL, demo_yaml_path, demo_yaml, demo_yaml_len,
                                             &opt, err, sizeof(err)), 0);
    assert_int_equal(snapshot_load_buffer_later("old.json", text, len, &m, &later, err,
                                                sizeof(err)), 0);
    assert_non_null(later);
    session_measure(&s, &m);
    session_charts_later(&s, later);
    assert_false(find(&s, "payments-core")->latency.measured);
    assert_true(find(&s, "payments-core")->cost.latency_saved_per_month == 0);
    gen = s.generation;
    while (session_read_charts(&s, 1000.0, err, sizeof(err)) > 0)
        ;
    assert_null(s.charts);
    assert_true(s.generation != gen);
    for (i = 0; s.an.pending > 0 && i < 1000; i++)
        session_refine(&s, 1000.0);
    assert_true(find(&s, "payments-core")->latency.measured);
    assert_true(find(&s, "payments-core")->latency.coarse);

    /* what the batch commands make of the same file */
    assert_int_equal(snapshot_load_buffer("old.json", text, len, &whole, err, sizeof(err)), 0);
    assert_int_equal(analysis_run(&s.a, &whole, &opt, &an), 0);
    for (i = 0; i < an.n_services; i++) {
        const struct service_analysis *sa = &an.services[i];

        if (strcmp(sa->spec->name, "payments-core") == 0) {
            assert_true(sa->cost.latency_saved_per_month > 0);
            assert_true(sa->cost.latency_saved_per_month ==
                        find(&s, "payments-core")->cost.latency_saved_per_month);
            assert_true(sa->cost.npv == find(&s, "payments-core")->cost.npv);
        }
    }
    analysis_done(&an);
    measurements_done(&whole);
    session_close(&s);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latency_after_charts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
