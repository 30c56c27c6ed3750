/* fuzz_diff.c: libFuzzer harness for `verdict diff`'s reading of two JSON reports (app/report/diff.c). */
#include <cJSON.h>

#include "fuzz.h"
#include "verdict/diff.h"

/*
 * Input: one control byte, then the old report, a NUL, the new report.
 * Without a NUL the report is compared with itself.
 *   byte 0: the output format (0 text, 1 Markdown, 2 JSON; 3 is JSON too);
 *           bit 6 err NULL; bit 7 a 24-byte error buffer (else 512)
 * The reports are exact-size heap copies without a terminator, as the
 * header allows, so ASan sees a read past either end.
 *
 * Checked: the result is 0 or -1.  A refusal writes nothing and leaves a
 * message, terminated inside its buffer and safe for a terminal (success
 * need not touch the buffer).  Output is valid UTF-8; text and Markdown
 * hold no control character but the line breaks, and text lines fit 80
 * columns (code points); JSON parses, says verdict.diff/1 and prints no
 * DEL or C1 control raw.  When both reports are read: each compared with
 * itself has no change, and the new against the old has as many changes
 * of each kind as the old against the new, "added" and "removed" swapped.
 */

#define DIFF_MAX_INPUT (64 * 1024)
#define DIFF_KINDS 11

/* The kinds of change, as the JSON output names them ("added" and
 * "removed" second and third: the symmetry check swaps them). */
static const char *const kinds[DIFF_KINDS] = {
    "recommendation", "added", "removed", "assumption", "input", "npv", "portfolio_npv",
    "rank", "score", "break_even", "probability"
};

struct run {
    int rc;
    char *out;
    size_t len;
    char *err;          /* errlen bytes, or NULL */
    size_t errlen;
};

/* A heap copy of data[0..n) with no terminator (malloc(0) may be NULL: 1). */
static char *exact_copy(const uint8_t *data, size_t n)
{
    char *p = malloc(n > 0 ? n : 1);

    if (p == NULL)
        abort();
    if (n > 0)
        memcpy(p, data, n);
    return p;
}

static void run_diff(struct run *r, const char *a, size_t na, const char *b, size_t nb,
                     enum diff_format fmt, size_t errlen)
{
    FILE *f;

    r->out = NULL;
    r->len = 0;
    r->errlen = errlen;
    r->err = errlen > 0 ? malloc(errlen) : NULL;
    if (errlen > 0 && r->err == NULL)
        abort();
    if (r->err != NULL)
        memset(r->err, 'x', errlen);
    f = open_memstream(&r->out, &r->len);
    if (f == NULL)
        abort();
    r->rc = diff_reports("old.json", a, na, "new.json", b, nb, fmt, f, r->err, errlen);
    if (fclose(f) != 0)
        abort();
}

static void run_done(struct run *r)
{
    free(r->out);
    free(r->err);
}

/* Every line of s is safe for a terminal, and with width, no longer. */
static void check_lines(const char *s, size_t n, int width)
{
    size_t i = 0, j, cols;

    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl != NULL ? (size_t)(nl - s) : n;
        char *line = fuzz_strndup((const uint8_t *)s + i, end - i);

        FUZZ_CHECK(fuzz_text_safe(line, 0), "unsafe output line \"%s\"", line);
        for (j = 0, cols = 0; line[j] != '\0'; j++)
            cols += ((unsigned char)line[j] & 0xC0) != 0x80;
        FUZZ_CHECK(width == 0 || cols <= (size_t)width, "a line of %zu columns: \"%s\"",
                   cols, line);
        free(line);
        i = end + 1;
    }
}

/* The JSON output parses as a verdict.diff/1 document; counts its changes
 * by kind into count (may be NULL). */
static void check_json(const struct run *r, size_t count[DIFF_KINDS])
{
    cJSON *root = cJSON_ParseWithLength(r->out, r->len);
    const cJSON *schema, *changes, *c, *k;
    size_t i, j;

    FUZZ_CHECK(root != NULL, "the JSON output does not parse:\n%s", r->out);
    schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    FUZZ_CHECK(cJSON_IsString(schema) && strcmp(schema->valuestring, "verdict.diff/1") == 0,
               "the JSON output's schema is not verdict.diff/1");
    changes = cJSON_GetObjectItemCaseSensitive(root, "changes");
    FUZZ_CHECK(cJSON_IsArray(changes), "the JSON output has no changes array");
    for (i = 0; count != NULL && i < DIFF_KINDS; i++)
        count[i] = 0;
    cJSON_ArrayForEach(c, changes) {
        k = cJSON_GetObjectItemCaseSensitive(c, "kind");
        FUZZ_CHECK(cJSON_IsString(k), "a change without a kind");
        for (j = 0; j < DIFF_KINDS && strcmp(kinds[j], k->valuestring) != 0; j++)
            ;
        FUZZ_CHECK(j < DIFF_KINDS, "a change of kind \"%s\"", k->valuestring);
        if (count != NULL)
            count[j]++;
    }
    cJSON_Delete(root);
    /* U+007F and U+0080..U+009F go out as \u escapes (util_fputs_json) */
    for (i = 0; i < r->len; i++)
        FUZZ_CHECK(r->out[i] != '\x7f' && !(r->out[i] == '\xc2' && i + 1 < r->len &&
                                            (unsigned char)r->out[i + 1] >= 0x80 &&
                                            (unsigned char)r->out[i + 1] <= 0x9f),
                   "a raw DEL or C1 control in the JSON output at byte %zu", i);
}

static void check_run(const struct run *r, enum diff_format fmt)
{
    size_t n;

    FUZZ_CHECK(r->rc == 0 || r->rc == -1, "returned %d", r->rc);
    if (r->rc != 0 && r->err != NULL) {
        n = strnlen(r->err, r->errlen);
        FUZZ_CHECK(n < r->errlen, "message not terminated in %zu bytes", r->errlen);
        FUZZ_CHECK(n > 0, "refused without a message");
        FUZZ_CHECK(fuzz_text_safe(r->err, n + 1 == r->errlen), "unsafe message \"%s\"",
                   r->err);
    }
    if (r->rc != 0) {
        FUZZ_CHECK(r->len == 0, "refused, but wrote %zu bytes", r->len);
        return;
    }
    FUZZ_CHECK(r->len > 0, "accepted, but wrote nothing");
    FUZZ_CHECK(fuzz_utf8_valid(r->out, r->len), "the output is not UTF-8:\n%s", r->out);
    if (fmt == DIFF_JSON)
        check_json(r, NULL);
    else
        check_lines(r->out, r->len, fmt == DIFF_TEXT ? 80 : 0);
}

/* a compared with itself: accepted, no change. */
static void check_same(const char *a, size_t n, const char *which)
{
    struct run r;
    size_t count[DIFF_KINDS], i;

    run_diff(&r, a, n, a, n, DIFF_JSON, 512);
    check_run(&r, DIFF_JSON);
    FUZZ_CHECK(r.rc == 0, "the %s report is read, but not when compared with itself: %s",
               which, r.err);
    check_json(&r, count);
    for (i = 0; i < DIFF_KINDS; i++)
        FUZZ_CHECK(count[i] == 0, "the %s report compared with itself: %zu %s changes:\n%s",
                   which, count[i], kinds[i], r.out);
    run_done(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run r, ab, ba;
    const uint8_t *nul;
    enum diff_format fmt;
    size_t na, nb, ca[DIFF_KINDS], cb[DIFF_KINDS], i;
    char *a, *b;

    if (size < 1 || size > DIFF_MAX_INPUT)
        return 0;
    fmt = (data[0] & 3) == 0 ? DIFF_TEXT : (data[0] & 3) == 1 ? DIFF_MD : DIFF_JSON;
    nul = memchr(data + 1, '\0', size - 1);
    na = nul != NULL ? (size_t)(nul - data - 1) : size - 1;
    nb = nul != NULL ? size - 1 - na - 1 : na;
    a = exact_copy(data + 1, na);
    b = exact_copy(nul != NULL ? nul + 1 : data + 1, nb);

    run_diff(&r, a, na, b, nb, fmt, data[0] & 0x40 ? 0 : data[0] & 0x80 ? 24 : 512);
    check_run(&r, fmt);
    if (r.rc == 0) {
        check_same(a, na, "old");
        if (nul != NULL) {
            check_same(b, nb, "new");
            run_diff(&ab, a, na, b, nb, DIFF_JSON, 512);
            run_diff(&ba, b, nb, a, na, DIFF_JSON, 512);
            FUZZ_CHECK(ab.rc == 0 && ba.rc == 0, "read in one order, not in the other");
            check_json(&ab, ca);
            check_json(&ba, cb);
            for (i = 0; i < DIFF_KINDS; i++) {
                size_t j = i == 1 ? 2 : i == 2 ? 1 : i;

                FUZZ_CHECK(ca[i] == cb[j], "old to new: %zu %s changes, new to old: %zu %s",
                           ca[i], kinds[i], cb[j], kinds[j]);
            }
            run_done(&ab);
            run_done(&ba);
        }
    }
    run_done(&r);
    free(a);
    free(b);
    return 0;
}
