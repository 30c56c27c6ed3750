/* test_app_prom_decode.c: canned Prometheus answers (tests/data/prom) through prom_decode.c. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/fetchplan.h"
#include "verdict/prom_decode.h"
#include "verdict/prom_url.h"
#include "verdict/util.h"

/*
 * Each case is tests/data/prom/NAME.expect, in the spirit of curl's test
 * files: the reply in (a body file and an HTTP status), the expectation
 * out, next to each other.  Keys (one per line, '#' starts a comment):
 *   body: FILE          the response body, relative to tests/data/prom
 *   http: N             the HTTP status it came with
 *   decode: range sum|max  or  decode: vector LABEL|-
 *   grid: START STEP N  (range) the grid slice; filled with NaN first
 *   status: ok|nodata|api|parse|http
 *   message: TEXT       must occur in err (repeatable)
 *   absent: TEXT        must not occur in err (repeatable)
 *   series: N / points: N / off_grid: N / partial: 0|1   (range, info)
 *   warning: TEXT       must occur in info.warnings (repeatable)
 *   warnings: none      info.warnings must be empty
 *   values: V...        the whole grid afterwards (nan for a gap)
 *   call: LABEL VALUE   (vector) the next callback; LABEL - for NULL
 *   calls: N            (vector) how many callbacks in all
 * Every body is handed over in a buffer of exactly its length (no NUL
 * after it), so an over-read shows under ASan.
 */
#define DATA_DIR "tests/data/prom/"
#define ERRLEN 512
#define MAX_LINES 32
#define MAX_GRID 64
#define MAX_CALLS 16
#define TOL 1e-12

static const char *const cases[] = {
    "matrix_one", "matrix_sum", "matrix_max", "matrix_special", "matrix_offgrid",
    "matrix_timestamps", "matrix_2038", "matrix_empty", "error_bad_data", "error_execution",
    "error_timeout", "error_canceled", "vm_422", "thanos_partial", "vm_partial", "infos",
    "html_502", "html_200", "plain_404", "truncated", "truncated_503", "deep_nesting",
    "vector_labels", "vector_all", "vector_as_matrix", "matrix_as_vector", "scalar",
    "histogram", "histogram_only", "sum_overflow", "bad_sample", "bad_value", "no_envelope",
};

struct call {
    int has_label;
    char label[64];
    double value;
};

struct calls {
    size_t n;
    struct call c[MAX_CALLS];
};

static void record_call(void *arg, const char *label_value, double value)
{
    struct calls *cs = arg;

    if (cs->n >= MAX_CALLS)
        fail_msg("too many callbacks");
    cs->c[cs->n].has_label = label_value != NULL;
    snprintf(cs->c[cs->n].label, sizeof(cs->c[cs->n].label), "%s",
             label_value != NULL ? label_value : "");
    cs->c[cs->n].value = value;
    cs->n++;
}

/* A file's bytes in a buffer of exactly that size (one byte for empty). */
static char *load_exact(const char *path, size_t *len)
{
    char *text = util_read_file(path, len);
    char *exact;

    if (text == NULL)
        fail_msg("cannot read %s", path);
    exact = malloc(*len > 0 ? *len : 1);
    assert_non_null(exact);
    memcpy(exact, text, *len);
    free(text);
    return exact;
}

static const char *status_word(enum prom_status s)
{
    switch (s) {
    case PROM_OK:
        return "ok";
    case PROM_ENODATA:
        return "nodata";
    case PROM_EAPI:
        return "api";
    case PROM_EPARSE:
        return "parse";
    case PROM_EHTTP:
        return "http";
    default:
        return "other";
    }
}

static double parse_num(const char *s, const char *name)
{
    char *end;
    double v;

    if (strcmp(s, "nan") == 0)
        return NAN;
    v = strtod(s, &end);
    if (end == s || (*end != '\0' && *end != ' '))
        fail_msg("%s: bad number '%s' in expectation", name, s);
    return v;
}

static void check_num(double got, double want, const char *what, const char *name)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s: %s = %.17g, want NaN", name, what, got);
        return;
    }
    if (!(fabs(got - want) <= TOL * (1 + fabs(want))))
        fail_msg("%s: %s = %.17g, want %.17g", name, what, got, want);
    if (signbit(got) != signbit(want))
        fail_msg("%s: %s has the wrong sign of zero", name, what);
}

/* No byte a terminal would act on in text the user will see. */
static void check_clean(const char *s, const char *what, const char *name)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f)
            fail_msg("%s: control byte 0x%02x in %s: %s", name, *p, what, s);
}

struct expect {
    char body[128];
    long http;
    int vector;
    char mode[64];              /* "sum"/"max" or the label ("-": NULL) */
    double start, step;
    size_t n;
    char status[16];
    const char *messages[MAX_LINES], *absents[MAX_LINES], *warns[MAX_LINES];
    size_t n_msg, n_abs, n_warn;
    long series, points, off_grid, partial, calls;
    int warnings_none, has_values;
    double values[MAX_GRID];
    size_t n_values;
    struct call want_calls[MAX_CALLS];
    size_t n_want_calls;
};

/* Parse NAME.expect (text stays in buf, which must outlive e). */
static void read_expect(char *buf, struct expect *e, const char *name)
{
    char *line, *next;

    memset(e, 0, sizeof(*e));
    e->series = e->points = e->off_grid = e->partial = e->calls = -1;
    e->http = 200;
    for (line = buf; line != NULL && *line != '\0'; line = next) {
        char *colon, *val;

        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        colon = strstr(line, ": ");
        if (colon == NULL)
            fail_msg("%s: bad line '%s'", name, line);
        *colon = '\0';
        val = colon + 2;
        if (strcmp(line, "body") == 0) {
            snprintf(e->body, sizeof(e->body), "%s", val);
        } else if (strcmp(line, "http") == 0) {
            e->http = strtol(val, NULL, 10);
        } else if (strcmp(line, "decode") == 0) {
            char kind[16] = "";

            if (sscanf(val, "%15s %63s", kind, e->mode) != 2)
                fail_msg("%s: bad decode line", name);
            e->vector = strcmp(kind, "vector") == 0;
        } else if (strcmp(line, "grid") == 0) {
            if (sscanf(val, "%lf %lf %zu", &e->start, &e->step, &e->n) != 3 ||
                e->n > MAX_GRID)
                fail_msg("%s: bad grid line", name);
        } else if (strcmp(line, "status") == 0) {
            snprintf(e->status, sizeof(e->status), "%s", val);
        } else if (strcmp(line, "message") == 0 && e->n_msg < MAX_LINES) {
            e->messages[e->n_msg++] = val;
        } else if (strcmp(line, "absent") == 0 && e->n_abs < MAX_LINES) {
            e->absents[e->n_abs++] = val;
        } else if (strcmp(line, "warning") == 0 && e->n_warn < MAX_LINES) {
            e->warns[e->n_warn++] = val;
        } else if (strcmp(line, "warnings") == 0 && strcmp(val, "none") == 0) {
            e->warnings_none = 1;
        } else if (strcmp(line, "series") == 0) {
            e->series = strtol(val, NULL, 10);
        } else if (strcmp(line, "points") == 0) {
            e->points = strtol(val, NULL, 10);
        } else if (strcmp(line, "off_grid") == 0) {
            e->off_grid = strtol(val, NULL, 10);
        } else if (strcmp(line, "partial") == 0) {
            e->partial = strtol(val, NULL, 10);
        } else if (strcmp(line, "calls") == 0) {
            e->calls = strtol(val, NULL, 10);
        } else if (strcmp(line, "values") == 0) {
            char *tok = strtok(val, " ");

            e->has_values = 1;
            for (; tok != NULL && e->n_values < MAX_GRID; tok = strtok(NULL, " "))
                e->values[e->n_values++] = parse_num(tok, name);
        } else if (strcmp(line, "call") == 0 && e->n_want_calls < MAX_CALLS) {
            struct call *c = &e->want_calls[e->n_want_calls++];
            char *sp = strrchr(val, ' ');

            if (sp == NULL)
                fail_msg("%s: bad call line", name);
            *sp = '\0';
            c->has_label = strcmp(val, "-") != 0;
            snprintf(c->label, sizeof(c->label), "%s", c->has_label ? val : "");
            c->value = parse_num(sp + 1, name);
        } else {
            fail_msg("%s: unknown key '%s'", name, line);
        }
    }
    if (e->body[0] == '\0' || e->status[0] == '\0' || e->mode[0] == '\0')
        fail_msg("%s: body, decode and status are required", name);
}

static void run_case(const char *name)
{
    char path[256], err[ERRLEN];
    struct prom_decode_info info;
    struct calls got_calls;
    struct expect e;
    enum prom_status st;
    double grid[MAX_GRID];
    char *exp_text, *body;
    size_t len, i;

    snprintf(path, sizeof(path), DATA_DIR "%s.expect", name);
    exp_text = util_read_file(path, NULL);
    if (exp_text == NULL)
        fail_msg("cannot read %s", path);
    read_expect(exp_text, &e, name);
    snprintf(path, sizeof(path), DATA_DIR "%s", e.body);
    body = load_exact(path, &len);
    for (i = 0; i < MAX_GRID; i++)
        grid[i] = NAN;
    memset(&info, 0x5a, sizeof(info)); /* must be overwritten */
    memset(&got_calls, 0, sizeof(got_calls));
    memset(err, 'x', sizeof(err));
    if (e.vector)
        st = prom_decode_vector(body, len, e.http, NULL, strcmp(e.mode, "-") ? e.mode : NULL,
                                record_call, &got_calls, err, sizeof(err));
    else
        st = prom_decode_range(body, len, e.http, NULL,
                               strcmp(e.mode, "max") == 0 ? PROM_COMBINE_MAX
                                                          : PROM_COMBINE_SUM,
                               e.start, e.step, e.n, grid, &info, err, sizeof(err));
    if (memchr(err, '\0', sizeof(err)) == NULL)
        fail_msg("%s: err not terminated", name);
    check_clean(err, "err", name);
    if (strcmp(status_word(st), e.status) != 0)
        fail_msg("%s: status %s, want %s (err: %s)", name, status_word(st), e.status, err);
    if (st == PROM_OK && err[0] != '\0')
        fail_msg("%s: err '%s' on success", name, err);
    if (st != PROM_OK && err[0] == '\0')
        fail_msg("%s: no message for status %s", name, e.status);
    for (i = 0; i < e.n_msg; i++)
        if (strstr(err, e.messages[i]) == NULL)
            fail_msg("%s: err '%s' lacks '%s'", name, err, e.messages[i]);
    for (i = 0; i < e.n_abs; i++)
        if (strstr(err, e.absents[i]) != NULL)
            fail_msg("%s: err '%s' has '%s'", name, err, e.absents[i]);
    if (!e.vector) {
        if (memchr(info.warnings, '\0', sizeof(info.warnings)) == NULL)
            fail_msg("%s: warnings not terminated", name);
        check_clean(info.warnings, "warnings", name);
        if (e.series >= 0 && info.n_series != (size_t)e.series)
            fail_msg("%s: n_series %zu, want %ld", name, info.n_series, e.series);
        if (e.points >= 0 && info.n_points != (size_t)e.points)
            fail_msg("%s: n_points %zu, want %ld", name, info.n_points, e.points);
        if (e.off_grid >= 0 && info.off_grid != (size_t)e.off_grid)
            fail_msg("%s: off_grid %zu, want %ld", name, info.off_grid, e.off_grid);
        if (e.partial >= 0 && info.partial != e.partial)
            fail_msg("%s: partial %d, want %ld", name, info.partial, e.partial);
        if (e.warnings_none && info.warnings[0] != '\0')
            fail_msg("%s: unexpected warnings '%s'", name, info.warnings);
        for (i = 0; i < e.n_warn; i++)
            if (strstr(info.warnings, e.warns[i]) == NULL)
                fail_msg("%s: warnings '%s' lack '%s'", name, info.warnings, e.warns[i]);
        if (e.has_values && e.n_values != e.n)
            fail_msg("%s: %zu values for a grid of %zu", name, e.n_values, e.n);
        for (i = 0; e.has_values && i < e.n; i++) {
            char what[48];

            snprintf(what, sizeof(what), "grid[%zu]", i);
            check_num(grid[i], e.values[i], what, name);
        }
        for (i = e.n; i < MAX_GRID; i++)
            if (!isnan(grid[i]))
                fail_msg("%s: wrote past the grid at %zu", name, i);
    } else {
        if (e.calls >= 0 && got_calls.n != (size_t)e.calls)
            fail_msg("%s: %zu callbacks, want %ld", name, got_calls.n, e.calls);
        for (i = 0; i < e.n_want_calls; i++) {
            const struct call *w = &e.want_calls[i], *g = &got_calls.c[i];
            char what[48];

            if (i >= got_calls.n)
                fail_msg("%s: callback %zu missing", name, i);
            if (w->has_label != g->has_label || strcmp(w->label, g->label) != 0)
                fail_msg("%s: callback %zu label '%s', want '%s'", name, i, g->label,
                         w->label);
            snprintf(what, sizeof(what), "callback %zu value", i);
            check_num(g->value, w->value, what, name);
        }
    }
    free(body);
    free(exp_text);
}

/* One cmocka test per canned case; the state is the case's name. */
static void test_canned(void **state)
{
    run_case(*state);
}

/* Wrap `depth` levels of arrays around 0 as the "data" of a success
 * envelope (2 levels: the envelope object adds one). */
static char *nested(size_t depth, size_t *len)
{
    const char *head = "{\"status\":\"success\",\"data\":", *tail = "}";
    size_t hl = strlen(head), i;
    char *s = malloc(hl + 2 * depth + 3);

    assert_non_null(s);
    memcpy(s, head, hl);
    for (i = 0; i < depth; i++)
        s[hl + i] = '[';
    s[hl + depth] = '0';
    for (i = 0; i < depth; i++)
        s[hl + depth + 1 + i] = ']';
    memcpy(s + hl + 2 * depth + 1, tail, 1);
    *len = hl + 2 * depth + 2;
    return s;
}

/* 64 levels in all are parsed (and then refused for what they are), 65
 * are refused before parsing; 100,000 do not crash anything. */
static void test_depth_limit(void **state)
{
    char err[ERRLEN];
    double g = NAN;
    size_t len;
    char *s;

    (void)state;
    s = nested(63, &len); /* 63 arrays + the envelope object = 64 */
    assert_int_equal(prom_decode_range(s, len, 200, NULL, PROM_COMBINE_SUM, 0, 1, 1, &g, NULL, err,
                                       sizeof(err)),
                     PROM_EPARSE);
    assert_non_null(strstr(err, "\"data\" is an array"));
    free(s);
    s = nested(64, &len);
    assert_int_equal(prom_decode_range(s, len, 200, NULL, PROM_COMBINE_SUM, 0, 1, 1, &g, NULL, err,
                                       sizeof(err)),
                     PROM_EPARSE);
    assert_non_null(strstr(err, "nested deeper than 64"));
    free(s);
    s = nested(100000, &len);
    assert_int_equal(prom_decode_vector(s, len, 200, NULL, NULL, NULL, NULL, err, sizeof(err)),
                     PROM_EPARSE);
    assert_non_null(strstr(err, "nested deeper than 64"));
    free(s);
    /* brackets inside strings are text, not nesting */
    s = malloc(300);
    assert_non_null(s);
    len = (size_t)snprintf(s, 300, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                                   "\"error\":\"%s\"}",
                           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                           "[[[[[[[[[[");
    assert_int_equal(prom_decode_vector(s, len, 400, NULL, NULL, NULL, NULL, err, sizeof(err)),
                     PROM_EAPI);
    free(s);
}

/* Every strict prefix of every canned success body (each cut drops at
 * least the closing brace) must be refused, and nothing may crash or read
 * past the cut (ASan: each prefix sits in a buffer of exactly its size). */
static void test_every_prefix(void **state)
{
    static const char *const bodies[] = {
        "matrix_one.json", "matrix_multi.json", "matrix_special.json", "thanos_partial.json",
        "vector_labels.json", "histogram.json", "error_bad_data.json",
    };
    size_t b, cut, len;

    (void)state;
    for (b = 0; b < sizeof(bodies) / sizeof(bodies[0]); b++) {
        char path[256], err[ERRLEN];
        char *full;
        size_t last;

        snprintf(path, sizeof(path), DATA_DIR "%s", bodies[b]);
        full = load_exact(path, &len);
        for (last = len; last > 0 && full[last - 1] != '}'; last--)
            ;
        for (cut = 0; cut < last; cut++) {
            char *p = malloc(cut > 0 ? cut : 1);
            double g[4] = { NAN, NAN, NAN, NAN };
            struct prom_decode_info info;
            enum prom_status st;

            assert_non_null(p);
            memcpy(p, full, cut);
            st = prom_decode_range(p, cut, 200, NULL, PROM_COMBINE_SUM, 1790899200, 60, 4, g, &info,
                                   err, sizeof(err));
            if (st == PROM_OK || st == PROM_ENODATA || st == PROM_EAPI)
                fail_msg("%s cut at %zu: status %d", bodies[b], cut, (int)st);
            if (!isnan(g[0]) || !isnan(g[1]))
                fail_msg("%s cut at %zu: grid written on error", bodies[b], cut);
            st = prom_decode_vector(p, cut, 503, NULL, "service", NULL, NULL, err, sizeof(err));
            if (st != PROM_EHTTP)
                fail_msg("%s cut at %zu under 503: status %d", bodies[b], cut, (int)st);
            free(p);
        }
        free(full);
    }
}

/* Deterministic byte noise over a valid body: no crash, no leak, every
 * answer terminated and clean (run under ASan/UBSan). */
static void test_mutations(void **state)
{
    static const char alphabet[] = "[]{}\",:\\u0123456789.eE+-NaInf \x1b\xc3\xff";
    char err[ERRLEN], path[256];
    uint32_t seed = 12345;
    size_t len, round, k;
    char *full;

    (void)state;
    snprintf(path, sizeof(path), DATA_DIR "matrix_multi.json");
    full = load_exact(path, &len);
    for (round = 0; round < 3000; round++) {
        char *p = malloc(len);
        double g[5];
        struct prom_decode_info info;

        assert_non_null(p);
        memcpy(p, full, len);
        for (k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            p[(seed >> 8) % len] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
        }
        for (k = 0; k < 5; k++)
            g[k] = NAN;
        prom_decode_range(p, len, 200, NULL, (round & 1) ? PROM_COMBINE_MAX : PROM_COMBINE_SUM,
                          1790899200, 60, 5, g, &info, err, sizeof(err));
        assert_non_null(memchr(err, '\0', sizeof(err)));
        check_clean(err, "err", "mutation");
        check_clean(info.warnings, "warnings", "mutation");
        for (k = 0; k < 5; k++)
            if (isinf(g[k]))
                fail_msg("mutation %zu: infinite value in the grid", round);
        prom_decode_vector(p, len, 200, NULL, "pod", NULL, NULL, err, sizeof(err));
        free(p);
    }
    free(full);
}

/* Tiny and absent error buffers: always terminated, never overrun. */
static void test_small_err(void **state)
{
    static const char body[] = "{\"status\":\"error\",\"errorType\":\"bad_data\","
                               "\"error\":\"a long message about \\u00fc\"}";
    char err[8];
    double g = NAN;

    (void)state;
    memset(err, 'x', sizeof(err));
    assert_int_equal(prom_decode_range(body, sizeof(body) - 1, 400, NULL, PROM_COMBINE_SUM, 0, 1, 1,
                                       &g, NULL, err, sizeof(err)),
                     PROM_EAPI);
    assert_string_equal(err, "bad_dat");
    assert_int_equal(prom_decode_range(body, sizeof(body) - 1, 400, NULL, PROM_COMBINE_SUM, 0, 1, 1,
                                       &g, NULL, NULL, 0),
                     PROM_EAPI);
    err[0] = 'x';
    assert_int_equal(prom_decode_range(NULL, 0, 0, NULL, PROM_COMBINE_SUM, 0, 1, 1, &g, NULL, err,
                                       1),
                     PROM_EPARSE);
    assert_int_equal(err[0], '\0');
    /* A buffer of 0 bytes is not touched, not even read (found by
     * tests/fuzz/fuzz_prom_decode.c: strlen ran past it; ASan sees it). */
    err[sizeof(err) - 1] = 'x';
    assert_int_equal(prom_decode_range(body, sizeof(body) - 1, 400, NULL, PROM_COMBINE_SUM, 0, 1, 1,
                                       &g, NULL, err + sizeof(err) - 1, 0),
                     PROM_EAPI);
    assert_int_equal(err[sizeof(err) - 1], 'x');
    assert_int_equal(prom_decode_vector(body, sizeof(body) - 1, 400, NULL, NULL, NULL, NULL,
                                        err + sizeof(err) - 1, 0),
                     PROM_EAPI);
    assert_int_equal(err[sizeof(err) - 1], 'x');
}

/* Two chunks of one grid decoded into their slices meet with no gap and
 * no double count: the seam of fetchplan_chunks and the nearest-index
 * rule agree.  Grid 0..9 (step 60) in chunks of 6 and 4 points. */
static void test_chunk_stitch(void **state)
{
    struct fetch_chunk ch[4];
    double grid[10];
    char body[2][1024], err[ERRLEN];
    size_t n, c, i;

    (void)state;
    for (i = 0; i < 10; i++)
        grid[i] = NAN;
    n = fetchplan_chunks(1790899200, 1790899740, 60, 6, ch, 4);
    assert_int_equal(n, 2);
    for (c = 0; c < n; c++) {
        size_t o = (size_t)snprintf(body[c], sizeof(body[c]),
                                    "{\"status\":\"success\",\"data\":{\"resultType\":"
                                    "\"matrix\",\"result\":[{\"metric\":{},\"values\":[");
        struct prom_decode_info info;

        for (i = 0; i < ch[c].points; i++)
            o += (size_t)snprintf(body[c] + o, sizeof(body[c]) - o, "%s[%.3f,\"%zu\"]",
                                  i ? "," : "", ch[c].start_s + (double)i * 60,
                                  ch[c].first_index + i);
        o += (size_t)snprintf(body[c] + o, sizeof(body[c]) - o, "]}]}}");
        assert_int_equal(prom_decode_range(body[c], o, 200, NULL, PROM_COMBINE_SUM, ch[c].start_s,
                                           60, ch[c].points, grid + ch[c].first_index, &info,
                                           err, sizeof(err)),
                         PROM_OK);
        assert_int_equal(info.off_grid, 0);
    }
    for (i = 0; i < 10; i++)
        check_num(grid[i], (double)i, "stitched", "chunk_stitch");
}

/* Under a locale whose decimal point is ',' the API's "1.5" is still 1.5.
 * Skipped where no such locale is installed. */
static void test_locale(void **state)
{
    static const char body[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                               "\"result\":[{\"metric\":{},\"values\":[[10.5,\"1.5\"]]}]}}";
    static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "nl_NL" };
    char err[ERRLEN];
    double g = NAN;
    size_t i;
    int ok = 0;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]) && !ok; i++)
        ok = setlocale(LC_NUMERIC, names[i]) != NULL;
    if (!ok || strcmp(localeconv()->decimal_point, ",") != 0) {
        setlocale(LC_NUMERIC, "C");
        skip();
    }
    assert_int_equal(prom_decode_range(body, sizeof(body) - 1, 200, NULL, PROM_COMBINE_SUM, 10, 1, 1,
                                       &g, NULL, err, sizeof(err)),
                     PROM_OK);
    setlocale(LC_NUMERIC, "C");
    check_num(g, 1.5, "value", "locale");
}

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* A label value the callback keeps. */
static void keep_label(void *arg, const char *value, double v)
{
    (void)v;
    snprintf(arg, ERRLEN, "%s", value != NULL ? value : "");
}

/* Our credentials quoted back in every string a server writes, on success
 * as on failure: each comes out masked, as many '*' as the secret had.
 * The expected texts are written out by hand. */
static void test_secrets_masked(void **state)
{
    char tok[] = "tokQ7x9vB2bearerSECRET", pw[] = "pwK3v8n";
    char *v[] = { tok, pw };
    struct prom_secrets sec = { v, 2 };
    struct prom_decode_info info;
    char err[ERRLEN], label[ERRLEN], *page;
    double g[1];
    size_t n, k;
    static const char ok[] =
        "{\"status\":\"success\",\"warnings\":[\"upstream saw Bearer tokQ7x9vB2bearerSECRET\"],"
        "\"infos\":[\"user pwK3v8n\"],\"data\":{\"resultType\":\"matrix\",\"result\":"
        "[{\"metric\":{},\"values\":[[10,\"1\"]]}]}}";
    static const char bad[] =
        "{\"status\":\"error\",\"errorType\":\"pwK3v8n\",\"error\":\"saw tokQ7x9vB2bearerSECRET\"}";
    static const char vec[] =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
        "[{\"metric\":{\"job\":\"x-pwK3v8n-y\"},\"value\":[10,\"1\"]}]}}";

    (void)state;
    g[0] = NAN;
    assert_int_equal(prom_decode_range(ok, sizeof(ok) - 1, 200, &sec, PROM_COMBINE_SUM, 10, 1,
                                       1, g, &info, err, sizeof(err)), PROM_OK);
    assert_string_equal(info.warnings,
                        "upstream saw Bearer **********************; user *******");
    assert_true(g[0] == 1);
    assert_int_equal(prom_decode_range(bad, sizeof(bad) - 1, 422, &sec, PROM_COMBINE_SUM, 10, 1,
                                       1, g, NULL, err, sizeof(err)), PROM_EAPI);
    assert_string_equal(err, "*******: saw **********************");
    assert_int_equal(prom_decode_vector(vec, sizeof(vec) - 1, 200, &sec, "job", keep_label,
                                        label, err, sizeof(err)), PROM_OK);
    assert_string_equal(label, "x-*******-y");
    /* without secrets the same strings pass as they are */
    assert_int_equal(prom_decode_range(bad, sizeof(bad) - 1, 422, NULL, PROM_COMBINE_SUM, 10, 1,
                                       1, g, NULL, err, sizeof(err)), PROM_EAPI);
    assert_string_equal(err, "pwK3v8n: saw tokQ7x9vB2bearerSECRET");

    /* a 200 page that is not JSON, whose first words are 65,530 spaces
     * and then the token, cut by the 64 KiB window after "tokQ7x": the
     * excerpt must not end in a prefix of the secret */
    n = 65530 + sizeof(tok) - 1;
    page = malloc(n);
    assert_non_null(page);
    page[0] = 'x';
    for (k = 1; k < 65530; k++)
        page[k] = ' ';
    memcpy(page + 65530, tok, sizeof(tok) - 1);
    assert_int_equal(prom_decode_range(page, n, 200, &sec, PROM_COMBINE_SUM, 10, 1, 1, g, NULL,
                                       err, sizeof(err)), PROM_EPARSE);
    assert_string_equal(err, "not JSON: x ******");
    free(page);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_depth_limit),  cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_mutations),    cmocka_unit_test(test_small_err),
        cmocka_unit_test(test_chunk_stitch), cmocka_unit_test(test_locale),
        cmocka_unit_test(test_secrets_masked),
    };
    struct CMUnitTest tests[N_CASES + sizeof(fixed) / sizeof(fixed[0])];
    size_t i;

    memset(tests, 0, sizeof(tests));
    for (i = 0; i < N_CASES; i++) {
        tests[i].name = cases[i];
        tests[i].test_func = test_canned;
        tests[i].initial_state = (void *)(uintptr_t)cases[i];
    }
    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        tests[N_CASES + i] = fixed[i];
    return _cmocka_run_group_tests("prom_decode", tests, sizeof(tests) / sizeof(tests[0]),
                                   NULL, NULL);
}
