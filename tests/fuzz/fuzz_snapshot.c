/* fuzz_snapshot.c: libFuzzer harness for snapshot files (app/snapshot/snapshot.c): load, write, reload. */
#include <math.h>

#include "fuzz.h"
#include "verdict/snapshot.h"

/*
 * Input: a snapshot file.  A refused one must leave a terminated, safe
 * message and *out zeroed.  An accepted one must satisfy what the loader
 * promises (names present, unique and not empty; charts with matching
 * lengths; range and step > 0), be written back by snapshot_write, and
 * that text must load again and write back byte for byte the same: a
 * snapshot verdict wrote is always one it can read.  Read again with its
 * charts later (as the TUI reads it), the input must be refused exactly
 * when it was refused, and otherwise give the same text.
 */

#define SNAPSHOT_MAX_INPUT (256 * 1024)

static char *write_text(const struct measurements *m, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);

    if (f == NULL)
        abort();
    FUZZ_CHECK(snapshot_write(f, m) == 0, "snapshot_write failed");
    if (fclose(f) != 0)
        abort();
    return text;
}

static void check_loaded(const struct measurements *m)
{
    size_t i, j, k;
    int s;

    FUZZ_CHECK(m->source != NULL, "no source");
    FUZZ_CHECK(m->range_s > 0 && m->step_s > 0 && isfinite(m->end_s), "bad range or step");
    FUZZ_CHECK(m->n_services == 0 || m->services != NULL, "services missing");
    for (i = 0; i < m->n_services; i++) {
        const struct service_data *sd = &m->services[i];

        FUZZ_CHECK(sd->name != NULL && sd->name[0] != '\0', "services[%zu] without a name", i);
        for (j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(m->services[j].name, sd->name) != 0, "duplicate name accepted");
        for (s = 0; s < SIGNAL_COUNT; s++) {
            const struct chart *c = &sd->signals[s].chart;

            if (!sd->signals[s].present) {
                FUZZ_CHECK(c->n == 0, "a chart for an absent signal");
                continue;
            }
            FUZZ_CHECK(c->n == 0 || (c->min != NULL && c->max != NULL && c->mean != NULL),
                       "chart arrays missing");
            FUZZ_CHECK(c->n == 0 || (isfinite(c->t0_s) && c->dt_s > 0), "bad chart axis");
            for (k = 0; k < c->n; k++)
                FUZZ_CHECK(!isinf(c->min[k]) && !isinf(c->max[k]) && !isinf(c->mean[k]),
                           "infinite chart value");
        }
    }
}

/* data read by snapshot_load_buffer_later and snapshot_charts_read: refused
 * when eager is NULL, else written back as eager (n bytes). */
static void check_later(const uint8_t *data, size_t size, const char *eager, size_t n)
{
    struct measurements m;
    struct snapshot_charts *c = NULL;
    char err[512], *text;
    size_t len = 0;
    int rc, r;

    rc = snapshot_load_buffer_later("fuzz.json", (const char *)data, size, &m, &c, err,
                                    sizeof(err));
    if (rc == 0) {
        while ((r = snapshot_charts_read(c, &m, 2, err, sizeof(err))) == 1)
            ;
        snapshot_charts_free(c);
        if (r < 0)
            rc = -1;
    }
    if (eager == NULL) {
        FUZZ_CHECK(rc != 0, "refused, but accepted with the charts read later");
        FUZZ_CHECK(fuzz_text_safe(err, 1), "unsafe message \"%s\"", err);
        measurements_done(&m);
        return;
    }
    FUZZ_CHECK(rc == 0, "accepted, but refused with the charts read later: %s", err);
    text = write_text(&m, &len);
    FUZZ_CHECK(len == n && memcmp(text, eager, n) == 0,
               "read with the charts later, the text differs:\n%s\n%s", eager, text);
    free(text);
    measurements_done(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct measurements zero;
    struct measurements m, m2;
    char err[512], *t1, *t2;
    size_t n1 = 0, n2 = 0;

    if (size > SNAPSHOT_MAX_INPUT)
        return 0;
    memset(&m, 0x5A, sizeof(m));
    if (snapshot_load_buffer("fuzz.json", (const char *)data, size, &m, err, sizeof(err)) != 0) {
        FUZZ_CHECK(memcmp(&m, &zero, sizeof(m)) == 0, "refused, but *out is not zeroed");
        FUZZ_CHECK(err[0] != '\0', "refused without a message");
        FUZZ_CHECK(fuzz_text_safe(err, 1), "unsafe message \"%s\"", err);
        check_later(data, size, NULL, 0);
        return 0;
    }
    check_loaded(&m);
    t1 = write_text(&m, &n1);
    check_later(data, size, t1, n1);
    if (snapshot_load_buffer("rewritten.json", t1, n1, &m2, err, sizeof(err)) != 0) {
        fprintf(stderr, "rewritten snapshot:\n%s\n", t1);
        FUZZ_CHECK(0, "the rewritten snapshot does not load: %s", err);
    }
    check_loaded(&m2);
    t2 = write_text(&m2, &n2);
    FUZZ_CHECK(n1 == n2 && memcmp(t1, t2, n1) == 0, "written twice, the texts differ:\n%s\n%s",
               t1, t2);
    free(t1);
    free(t2);
    measurements_done(&m);
    measurements_done(&m2);
    return 0;
}
