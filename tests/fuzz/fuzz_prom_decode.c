/* fuzz_prom_decode.c: libFuzzer harness for Prometheus API answers (app/prom/prom_decode.c). */
#include <math.h>

#include "fuzz.h"
#include "verdict/prom_decode.h"
#include "verdict/prom_url.h"

/*
 * Input: two control bytes, then the response body.
 *   byte 0: bit 0 vector (instant) or matrix (range); bit 1 combine by max
 *           or sum; bit 2 vector label "service" or none; bits 3-5 the
 *           HTTP status; bits 6-7 the grid step
 *   byte 1: the size of the error buffer
 * Checked: the status is one of the documented ones; the message is
 * terminated inside its buffer (heap-sized exactly, so ASan sees any
 * overflow), present on failure, and safe for a terminal; the grid gets
 * only NaN or finite numbers, nothing outside its slice, and nothing at
 * all on failure; info is consistent; the vector callback runs only on
 * success, with a label exactly when one was asked for and never an
 * infinite value; decoding twice gives the same answer; no message,
 * warning or label value holds one of the credentials given to mask.
 */

#define DECODE_MAX_INPUT (64 * 1024)
#define GRID_N 32
#define GRID_START 1790899200.0     /* the first timestamp of tests/data/prom/ */

/* Credentials to mask: in the dictionary, so the fuzzer quotes them. */
static char secret_a[] = "tokFUZZSECRET", secret_b[] = "pw9Z";
static char *secret_v[] = { secret_a, secret_b };
static const struct prom_secrets secrets = { secret_v, 2 };

static int holds_secret(const char *s)
{
    return strstr(s, secret_a) != NULL || strstr(s, secret_b) != NULL;
}

struct vec_calls {
    size_t n;
    int want_label;
    double sum;                     /* of the finite values, to compare two runs */
};

static void each(void *arg, const char *label_value, double value)
{
    struct vec_calls *v = arg;

    FUZZ_CHECK((label_value != NULL) == v->want_label, "label %s, asked for %s",
               label_value != NULL ? "given" : "missing", v->want_label ? "one" : "none");
    FUZZ_CHECK(!isinf(value), "infinite sample value %g", value);
    FUZZ_CHECK(label_value == NULL || !holds_secret(label_value), "a label holds a secret");
    v->n++;
    if (isfinite(value))
        v->sum += value;
}

static int known_status(enum prom_status st)
{
    return st == PROM_OK || st == PROM_ENODATA || st == PROM_EAPI || st == PROM_EPARSE ||
           st == PROM_EHTTP;
}

/* The message in err (errlen bytes): terminated inside, and safe. */
static void check_message(const char *err, size_t errlen, enum prom_status st)
{
    size_t n;

    if (errlen == 0)
        return;
    n = strnlen(err, errlen);
    FUZZ_CHECK(n < errlen, "message not terminated in %zu bytes", errlen);
    FUZZ_CHECK(st == PROM_OK || errlen == 1 || n > 0, "status %d without a message", (int)st);
    FUZZ_CHECK(fuzz_text_safe(err, n + 1 == errlen), "unsafe message \"%s\"", err);
    FUZZ_CHECK(!holds_secret(err), "a secret in the message \"%s\"", err);
}

static enum prom_status run_range(const char *body, size_t len, long http,
                                  enum prom_combine how, double step, size_t errlen,
                                  double *grid, struct prom_decode_info *info, char **msg)
{
    char *err = malloc(errlen > 0 ? errlen : 1);
    enum prom_status st;
    size_t i;

    if (err == NULL)
        abort();
    err[0] = 'X';
    grid[0] = grid[GRID_N + 1] = 12345.0;   /* canaries either side of the slice */
    for (i = 1; i <= GRID_N; i++)
        grid[i] = NAN;
    memset(info, 0xA5, sizeof(*info));
    st = prom_decode_range(body, len, http, &secrets, how, GRID_START, step, GRID_N, grid + 1,
                           info, err, errlen);
    FUZZ_CHECK(known_status(st), "unknown status %d", (int)st);
    if (errlen == 0)
        FUZZ_CHECK(err[0] == 'X', "wrote into a 0-byte message buffer");
    check_message(err, errlen, st);
    FUZZ_CHECK(grid[0] == 12345.0 && grid[GRID_N + 1] == 12345.0, "wrote outside the grid");
    for (i = 1; i <= GRID_N; i++) {
        FUZZ_CHECK(isnan(grid[i]) || isfinite(grid[i]), "grid[%zu] = %g", i - 1, grid[i]);
        FUZZ_CHECK(st == PROM_OK || isnan(grid[i]), "grid[%zu] = %g with status %d", i - 1,
                   grid[i], (int)st);
    }
    FUZZ_CHECK(strnlen(info->warnings, sizeof(info->warnings)) < sizeof(info->warnings),
               "warnings not terminated");
    FUZZ_CHECK(fuzz_text_safe(info->warnings, 1), "unsafe warnings \"%s\"", info->warnings);
    FUZZ_CHECK(!holds_secret(info->warnings), "a secret in the warnings");
    FUZZ_CHECK(info->off_grid <= info->n_points, "%zu off grid of %zu points", info->off_grid,
               info->n_points);
    FUZZ_CHECK(info->partial == 0 || info->partial == 1, "partial %d", info->partial);
    if (st == PROM_OK)
        FUZZ_CHECK(info->n_series > 0 && info->n_points > 0, "success with %zu series, %zu "
                   "points", info->n_series, info->n_points);
    *msg = err;
    return st;
}

static void check_range(const char *body, size_t len, long http, enum prom_combine how,
                        double step, size_t errlen)
{
    double g1[GRID_N + 2], g2[GRID_N + 2];
    struct prom_decode_info i1, i2;
    enum prom_status s1, s2;
    char *m1, *m2;

    s1 = run_range(body, len, http, how, step, errlen, g1, &i1, &m1);
    s2 = run_range(body, len, http, how, step, errlen, g2, &i2, &m2);
    FUZZ_CHECK(s1 == s2, "two decodes: status %d then %d", (int)s1, (int)s2);
    FUZZ_CHECK(memcmp(g1, g2, sizeof(g1)) == 0, "two decodes fill different grids");
    FUZZ_CHECK(i1.n_series == i2.n_series && i1.n_points == i2.n_points &&
               i1.off_grid == i2.off_grid && i1.partial == i2.partial &&
               strcmp(i1.warnings, i2.warnings) == 0, "two decodes give different info");
    FUZZ_CHECK(errlen == 0 || strcmp(m1, m2) == 0, "two decodes: \"%s\" then \"%s\"", m1, m2);
    free(m1);
    free(m2);

    /* A byte-order mark changes nothing but the offsets in messages; it
     * also sends the body down the general path when the decoder has a
     * shortcut for the usual answer, so the two paths are compared. */
    if (len < 3 || memcmp(body, "\xef\xbb\xbf", 3) != 0) {
        char *bom = malloc(len + 3);
        struct prom_decode_info i3;
        enum prom_status s3;

        if (bom == NULL)
            abort();
        memcpy(bom, "\xef\xbb\xbf", 3);
        if (len > 0)
            memcpy(bom + 3, body, len);
        s3 = run_range(bom, len + 3, http, how, step, errlen, g2, &i3, &m2);
        FUZZ_CHECK(s1 == s3, "with a byte-order mark: status %d, without %d", (int)s3,
                   (int)s1);
        FUZZ_CHECK(memcmp(g1, g2, sizeof(g1)) == 0, "a byte-order mark changes the grid");
        FUZZ_CHECK(i1.n_series == i3.n_series && i1.n_points == i3.n_points &&
                   i1.off_grid == i3.off_grid && i1.partial == i3.partial &&
                   strcmp(i1.warnings, i3.warnings) == 0,
                   "a byte-order mark changes info: %zu/%zu/%zu/%d, without %zu/%zu/%zu/%d",
                   i3.n_series, i3.n_points, i3.off_grid, i3.partial, i1.n_series,
                   i1.n_points, i1.off_grid, i1.partial);
        free(m2);
        free(bom);
    }

    /* info is optional */
    m1 = malloc(errlen > 0 ? errlen : 1);
    if (m1 == NULL)
        abort();
    s2 = prom_decode_range(body, len, http, NULL, how, GRID_START, step, GRID_N, g2 + 1, NULL, m1,
                           errlen);
    FUZZ_CHECK(s1 == s2, "without info: status %d, with %d", (int)s2, (int)s1);
    free(m1);
}

static void check_vector(const char *body, size_t len, long http, int with_label,
                         size_t errlen)
{
    struct vec_calls c1 = { 0, with_label, 0 }, c2 = { 0, with_label, 0 };
    const char *label = with_label ? "service" : NULL;
    char *err = malloc(errlen > 0 ? errlen : 1);
    enum prom_status s1, s2;

    if (err == NULL)
        abort();
    err[0] = 'X';
    s1 = prom_decode_vector(body, len, http, &secrets, label, each, &c1, err, errlen);
    FUZZ_CHECK(known_status(s1), "unknown status %d", (int)s1);
    if (errlen == 0)
        FUZZ_CHECK(err[0] == 'X', "wrote into a 0-byte message buffer");
    check_message(err, errlen, s1);
    FUZZ_CHECK(s1 == PROM_OK || c1.n == 0, "%zu callbacks with status %d", c1.n, (int)s1);
    s2 = prom_decode_vector(body, len, http, &secrets, label, each, &c2, err, errlen);
    FUZZ_CHECK(s1 == s2 && c1.n == c2.n && c1.sum == c2.sum, "two decodes differ");
    s2 = prom_decode_vector(body, len, http, NULL, label, NULL, NULL, err, errlen);
    FUZZ_CHECK(s1 == s2, "without a callback: status %d, with %d", (int)s2, (int)s1);
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long statuses[] = { 200, 400, 422, 503, 502, 404, 204, 0 };
    static const double steps[] = { 60, 1, 3600, 1e-3 };
    static const size_t errlens[] = { 256, 0, 1, 2, 7, 40, 100, 512 };
    const char *body;
    size_t len, errlen;
    long http;
    char *copy;

    if (size < 2 || size > DECODE_MAX_INPUT)
        return 0;
    http = statuses[(data[0] >> 3) & 7];
    errlen = errlens[data[1] & 7];
    /* an exact-size heap copy: ASan sees a read one past the body */
    copy = malloc(size - 2 > 0 ? size - 2 : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, data + 2, size - 2);
    body = copy;
    len = size - 2;
    if (data[0] & 1)
        check_vector(body, len, http, (data[0] & 4) != 0, errlen);
    else
        check_range(body, len, http, (data[0] & 2) ? PROM_COMBINE_MAX : PROM_COMBINE_SUM,
                    steps[data[0] >> 6], errlen);
    free(copy);
    return 0;
}
