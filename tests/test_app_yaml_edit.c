/* test_app_yaml_edit.c: unit tests for app/config/yaml_edit.c (in-place YAML edits, safe saves). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "verdict/util.h"
#include "verdict/yaml_edit.h"
#include "verdict/yaml_tree.h"

/*
 * The expected text of every edit is built independently of the code
 * under test: find a unique anchor in the original, check the bytes after
 * it are the old value, splice in the new bytes there and compare whole
 * texts.  So any byte changed anywhere else fails the test.
 */

#define FIXTURE "tests/data/edit/verdict.yaml"
#define FIXTURE_CRLF "tests/data/edit/crlf.yaml"
#define FIXTURE_BOM "tests/data/edit/bom.yaml"

static char *slurp(const char *path, size_t *len)
{
    char *s = util_read_file(path, len);

    if (s == NULL)
        fail_msg("cannot read %s (run the tests from the repository root)", path);
    return s;
}

/* orig with `old` (which must follow the unique `anchor`) replaced by `new`. */
static char *splice(const char *orig, const char *anchor, const char *old, const char *repl)
{
    const char *at = strstr(orig, anchor), *p;
    size_t pre, ol = strlen(old), nl = strlen(repl), total;
    char *out;

    if (at == NULL) {
        fail_msg("anchor not found: %s", anchor);
        return NULL;
    }
    if (strstr(at + 1, anchor) != NULL)
        fail_msg("anchor not unique: %s", anchor);
    p = at + strlen(anchor);
    if (strncmp(p, old, ol) != 0)
        fail_msg("old bytes not after anchor %s", anchor);
    pre = (size_t)(p - orig);
    total = strlen(orig) - ol + nl;
    out = malloc(total + 1);
    assert_non_null(out);
    memcpy(out, orig, pre);
    memcpy(out + pre, repl, nl);
    strcpy(out + pre + nl, p + ol);
    return out;
}

static struct yaml_doc *load_buf(const char *name, const char *text)
{
    struct yaml_doc *d = NULL;
    char err[512] = "";

    if (yaml_doc_load_buffer(name, text, strlen(text), &d, err, sizeof(err)) != 0)
        fail_msg("load %s: %s", name, err);
    return d;
}

static void assert_text(const struct yaml_doc *d, const char *want)
{
    size_t len;
    const char *got = yaml_doc_text(d, &len);

    assert_int_equal(len, strlen(want));
    assert_string_equal(got, want);
}

struct edit_case {
    const char *path, *value;
    const char *anchor, *old, *repl;    /* expected: old after anchor becomes repl */
};

/* Run cases against the text of a fixture: each alone on a fresh document,
 * compared whole, then undone byte for byte. */
static void run_cases(const char *name, const char *orig, const struct edit_case *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct yaml_doc *d = load_buf(name, orig);
        char err[512] = "";
        char *want = splice(orig, c[i].anchor, c[i].old, c[i].repl);

        if (yaml_doc_set(d, c[i].path, c[i].value, err, sizeof(err)) != 0)
            fail_msg("set %s = %s: %s", c[i].path, c[i].value, err);
        if (strcmp(yaml_doc_text(d, NULL), want) != 0) {
            fprintf(stderr, "%s\n", yaml_doc_text(d, NULL));
            fail_msg("set %s = %s gave the text above", c[i].path, c[i].value);
        }
        assert_int_equal(yaml_doc_dirty(d), 1);
        assert_int_equal(yaml_doc_undo(d), 0);
        assert_text(d, orig);
        assert_int_equal(yaml_doc_dirty(d), 0);
        assert_int_equal(yaml_doc_undo(d), -1);
        free(want);
        yaml_doc_free(d);
    }
}

/* Replacing values: the style of the old value decides the new bytes. */
static void test_replace(void **state)
{
    static const struct edit_case cases[] = {
        /* plain stays plain */
        {"economics.horizon_months", "36", "horizon_months: ", "24", "36"},
        {"economics.horizon_months", "  36 \n", "horizon_months: ", "24", "36"},
        {"economics.horizon_months", "null", "horizon_months: ", "24", "null"},
        {"version", "true", "version: ", "1", "true"},
        {"prometheus.range", "1h", "range: ", "30d", "1h"},
        {"prometheus.range", "-5", "range: ", "30d", "-5"},
        {"prometheus.range", "C# code", "range: ", "30d", "C# code"},
        /* plain text that would not read back plain gets double quotes */
        {"prometheus.range", "needs: quoting # here", "range: ", "30d",
         "\"needs: quoting # here\""},
        {"prometheus.range", "- x", "range: ", "30d", "\"- x\""},
        {"prometheus.range", "*x", "range: ", "30d", "\"*x\""},
        {"prometheus.range", "a\tb", "range: ", "30d", "\"a\\tb\""},
        {"prometheus.range", "12:30", "range: ", "30d", "\"12:30\""},
        /* the caller's quotes keep a string a string, in double quotes */
        {"prometheus.range", "\"12\"", "range: ", "30d", "\"12\""},
        {"prometheus.range", "'x y'", "range: ", "30d", "\"x y\""},
        /* double-quoted stays double-quoted, escaped */
        {"prometheus.url", "http://10.0.0.1:9090", "url: ", "\"http://127.0.0.1:9090\"",
         "\"http://10.0.0.1:9090\""},
        {"prometheus.url", "say \"hi\" \\o/", "url: ", "\"http://127.0.0.1:9090\"",
         "\"say \\\"hi\\\" \\\\o/\""},
        {"economics.currency", "\xE2\x82\xAC", "currency: ", "\"$\"", "\"\xE2\x82\xAC\""},
        {"economics.currency", "\"\"", "currency: ", "\"$\"", "\"\""},
        /* single-quoted stays single-quoted unless it cannot hold the text */
        {"prometheus.timeout", "45s", "timeout: ", "'30s'", "'45s'"},
        {"prometheus.timeout", "it's", "timeout: ", "'30s'", "'it''s'"},
        {"prometheus.timeout", "a\nb", "timeout: ", "'30s'", "\"a\\nb\""},
        /* flow sequences: replaced, normalised, or replaced by a scalar */
        {"economics.learning_curve.none.velocity_loss", "[0.2,0.4,  0.6]", "velocity_loss: ",
         "[0.3, 0.5, 0.7]", "[0.2, 0.4, 0.6]"},
        {"economics.learning_curve.none.velocity_loss", "0.5", "velocity_loss: ",
         "[0.3, 0.5, 0.7]", "0.5"},
        {"economics.learning_curve.none.velocity_loss", "[a b, 'c', \"d: e\"]",
         "velocity_loss: ", "[0.3, 0.5, 0.7]", "[a b, \"c\", \"d: e\"]"},
        {"economics.learning_curve.none.months", "[]", "      months: ", "[6, 9, 12]", "[]"},
        {"economics.discount_rate", "[0.05, 0.1, 0.15]", "discount_rate: ", "0.10",
         "[0.05, 0.1, 0.15]"},
        /* block scalars give way to one double-quoted line; the note stays */
        {"queries.p99_latency_seconds", "up", "p99_latency_seconds: ",
         ">-\n    histogram_quantile(0.99, sum by (le)\n"
         "    (rate(x_bucket{service=\"${service}\"}[5m])))",
         "\"up\""},
        {"queries.cpu_cores", "sum(x)", "cpu_cores: ",
         "|   # a literal block\n    sum(rate(cpu{service=\"${service}\"}[5m]))",
         "\"sum(x)\"   # a literal block"},
        /* services by name, by a name with dots and brackets, by index */
        {"services[checkout].instances", "14", "python\n    instances: ", "12", "14"},
        {"services[api.v2[eu]].language", "rust", "\"api.v2[eu]\"\n    language: ", "node",
         "rust"},
        {"services[api.v2[eu]].instances", "[1, 2, 3]", "node\n    instances: ",
         "[10, 20, 30]", "[1, 2, 3]"},
        {"services[1].language", "c", "\"1\"\n    language: ", "java", "c"},  /* the name */
        {"services[2].instances", "7", "go\n    instances: ", "6", "7"},       /* index 2 */
        /* inside a flow map */
        {"services[checkout].team.experience", "strong", "experience: ", "some", "strong"},
        {"scoring.weights.tail_ratio", "a,b", "tail_ratio: ", "10", "\"a,b\""},
        /* null values: "key:" gets a space, "~" is replaced */
        {"scoring.nothing", "5", "nothing:", "", " 5"},
        {"scoring.tilde", "3", "tilde: ", "~", "3"},
    };
    size_t len;
    char *orig = slurp(FIXTURE, &len);

    (void)state;
    run_cases(FIXTURE, orig, cases, sizeof(cases) / sizeof(cases[0]));
    free(orig);
}

/* libyaml takes a block scalar's indicator on the next line no deeper
 * than its key ("key:\n>\n  text"); what replaces it goes two columns
 * deeper than the key, or it would read as a new key (found by
 * fuzz_yaml_edit). */
static void test_block_at_key_column(void **state)
{
    static const struct {
        const char *doc, *path, *value, *want;
    } cases[] = {
        {"economics:\n>\n    folded\n    text\n\n# the end\n", "economics",
         "[\"1\", \"2\", \"three\"]", "economics:\n  [\"1\", \"2\", \"three\"]\n\n# the end\n"},
        {"economics:\r\n>\r\n    folded\r\n\r\n", "economics", "x",
         "economics:\r\n  \"x\"\r\n\r\n"},
        {"a:\n  b:\n  |\n    x\n  c: 1\n", "a.b", "y", "a:\n  b:\n    \"y\"\n  c: 1\n"},
        /* deeper than the key already: as before */
        {"a:\n  |\n    x\n", "a", "y", "a:\n  \"y\"\n"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct yaml_doc *d = NULL;
        char err[512] = "";

        assert_int_equal(yaml_doc_load_buffer("t.yaml", cases[i].doc, strlen(cases[i].doc), &d,
                                              err, sizeof(err)), 0);
        if (yaml_doc_set(d, cases[i].path, cases[i].value, err, sizeof(err)) != 0)
            fail_msg("case %zu: %s", i, err);
        assert_string_equal(yaml_doc_text(d, NULL), cases[i].want);
        assert_int_equal(yaml_doc_undo(d), 0);
        assert_string_equal(yaml_doc_text(d, NULL), cases[i].doc);
        yaml_doc_free(d);
    }
}

/* A NEL (U+0085) breaks a line for libyaml, not for the editor's line
 * handling: a block scalar that ends in one ends before the blanks after
 * it, and they stay (found by fuzz_yaml_edit). */
static void test_block_ends_in_nel(void **state)
{
    static const char doc[] = "a: >\n  x\xC2\x85 ";
    struct yaml_doc *d = NULL;
    char err[512] = "";

    (void)state;
    assert_int_equal(yaml_doc_load_buffer("t.yaml", doc, strlen(doc), &d, err, sizeof(err)), 0);
    if (yaml_doc_set(d, "a", "y", err, sizeof(err)) != 0)
        fail_msg("%s", err);
    assert_string_equal(yaml_doc_text(d, NULL), "a: \"y\" ");
    yaml_doc_free(d);
}

/* Missing keys: a new line after the map's last value line, before any
 * comments that close the map, indented like the map's keys. */
static void test_insert(void **state)
{
    static const struct edit_case cases[] = {
        {"services[checkout].incidents_per_month", "2", "experience: some}\n", "",
         "    incidents_per_month: 2\n"},
        {"economics.productivity_gain", "0.1", "      months: [6, 9, 12]\n", "",
         "  productivity_gain: 0.1\n"},
        {"economics.learning_curve.none.extra", "1", "      months: [6, 9, 12]\n", "",
         "      extra: 1\n"},
        {"queries.memory", "'m'", "sum(rate(cpu{service=\"${service}\"}[5m]))\n", "",
         "  memory: \"m\"\n"},
        {"services[orders-api].endpoints", "[3, 4]", "go\n    instances: 6\n", "",
         "    endpoints: [3, 4]\n"},
        {"services[1].endpoints", "3", "instances: 2\n", "", "    endpoints: 3\n"},
        {"newkey", "a: b", "instances: 2\n", "", "newkey: \"a: b\"\n"},
        {"scoring.k: v", "1", "tilde: ~   # null\n", "", "  \"k: v\": 1\n"},
        /* missing maps on the way are added, two spaces deeper each */
        {"nosuch.key", "1", "instances: 2\n", "", "nosuch:\n  key: 1\n"},
        {"economics.nosuch.key", "1", "      months: [6, 9, 12]\n", "",
         "  nosuch:\n    key: 1\n"},
        {"a.b.c", "[1, 2]", "instances: 2\n", "", "a:\n  b:\n    c: [1, 2]\n"},
    };
    size_t len;
    char *orig = slurp(FIXTURE, &len);

    (void)state;
    run_cases(FIXTURE, orig, cases, sizeof(cases) / sizeof(cases[0]));
    free(orig);
}

static void test_crlf(void **state)
{
    static const struct edit_case cases[] = {
        {"economics.horizon_months", "36", "horizon_months: ", "24", "36"},
        {"economics.currency", "\xC2\xA3", "currency: ", "\"$\"", "\"\xC2\xA3\""},
        {"economics.label", "plain now", "label: ", ">\r\n    folded\r\n    text",
         "\"plain now\""},
        {"economics.rate", "0.1", "    text\r\n", "", "  rate: 0.1\r\n"},
        {"version", "1", "    text\r\n", "", "version: 1\r\n"},
    };
    size_t len;
    char *orig = slurp(FIXTURE_CRLF, &len);

    (void)state;
    run_cases(FIXTURE_CRLF, orig, cases, sizeof(cases) / sizeof(cases[0]));
    free(orig);
}

static void test_bom(void **state)
{
    static const struct edit_case cases[] = {
        {"version", "2", "\xEF\xBB\xBFversion: ", "1", "2"},
        {"economics.horizon_months", "12", "horizon_months: ", "24", "12"},
        {"economics.rate", "0.1", "currency: \"$\"\n", "", "  rate: 0.1\n"},
        {"top", "x", "currency: \"$\"\n", "", "top: x\n"},
    };
    size_t len, line, col;
    char *orig = slurp(FIXTURE_BOM, &len);
    struct yaml_doc *d = load_buf("bom", orig);

    (void)state;
    run_cases(FIXTURE_BOM, orig, cases, sizeof(cases) / sizeof(cases[0]));
    /* the byte-order mark takes no column */
    assert_int_equal(yaml_doc_locate(d, "version", &line, &col), 1);
    assert_int_equal(line, 1);
    assert_int_equal(col, 10);
    yaml_doc_free(d);
    free(orig);
}

/* Inserting into a document without a final line break, and nested. */
static void test_insert_edges(void **state)
{
    static const struct edit_case cases[] = {
        {"b", "2", "a: 1", "", "\nb: 2"},
        {"a.y", "2", "  x: 1", "", "\n  y: 2"},
        {"b.c", "3", "a: 1", "", "\nb:\n  c: 3"},
    };
    struct yaml_doc *d;
    char err[512];

    (void)state;
    run_cases("one", "a: 1", cases, 1);
    run_cases("nested", "a:\n  x: 1", cases + 1, 1);
    run_cases("new maps, no final line break", "a: 1", cases + 2, 1);
    /* a key after a keep-chomped block scalar would eat its last line
     * break: refused, as it would change another value */
    d = load_buf("keep", "a:\n  b: |+\n    text\n\nc: 1\n");
    assert_int_equal(yaml_doc_set(d, "a.d", "1", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "not changed"));
    assert_text(d, "a:\n  b: |+\n    text\n\nc: 1\n");
    yaml_doc_free(d);
}

/* Invalid edits: -1, a reason, the text untouched. */
static void test_invalid(void **state)
{
    static const char *const cases[][2] = {
        {"nosuch[x].key", "1"},                 /* a missing list: not created */
        {"economics.nosuch[x].key", "1"},
        {"economics.horizon_months", "[1, 2"},  /* does not parse */
        {"economics.horizon_months", "\"open"},
        {"economics.horizon_months", "'a' 'b'"},
        {"economics.horizon_months", "\"a\" # c"},
        {"economics.horizon_months", "{a: 1}"},
        {"economics.horizon_months", ""},
        {"economics.horizon_months", " \t "},
        {"economics.horizon_months", "\xFF"},
        {"economics.horizon_months", "\"a\\0b\""},
        {"economics.horizon_months", "[[1]]"},
        {"economics.horizon_months", "[&a 1]"},
        {"economics.horizon_months", "[!!str 1]"},
        {"scoring.weights.memory", "5"},        /* flow map: no insert */
        {"scoring.empty.x", "1"},
        {"services[nobody].instances", "1"},
        {"services[9].instances", "1"},
        {"services[checkout]", "x"},            /* a map */
        {"economics", "1"},
        {"services", "1"},                      /* a block list */
        {"economics.horizon_months.x", "1"},
        {"version[x].y", "1"},
        {"services.x", "1"},
        {"", "1"},
        {"a..b", "1"},
        {".x", "1"},
        {"economics.", "1"},
        {"services[checkout", "1"},
        {"services[].x", "1"},
    };
    size_t len, i;
    char *orig = slurp(FIXTURE, &len);
    struct yaml_doc *d = load_buf(FIXTURE, orig);

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[512] = "";

        if (yaml_doc_set(d, cases[i][0], cases[i][1], err, sizeof(err)) != -1)
            fail_msg("set %s = %s succeeded", cases[i][0], cases[i][1]);
        if (err[0] == '\0')
            fail_msg("set %s = %s: no reason", cases[i][0], cases[i][1]);
        assert_text(d, orig);
        assert_int_equal(yaml_doc_dirty(d), 0);
    }
    assert_int_equal(yaml_doc_set(NULL, "a", "1", NULL, 0), -1);
    assert_int_equal(yaml_doc_set(d, NULL, "1", NULL, 0), -1);
    assert_int_equal(yaml_doc_set(d, "a", NULL, NULL, 0), -1);
    assert_int_equal(yaml_doc_undo(d), -1);
    yaml_doc_free(d);
    yaml_doc_free(NULL);
    /* an empty document and one that is not a map */
    d = load_buf("empty", "# nothing\n");
    assert_int_equal(yaml_doc_set(d, "a", "1", NULL, 0), -1);
    yaml_doc_free(d);
    d = load_buf("list", "- 1\n");
    assert_int_equal(yaml_doc_set(d, "a", "1", NULL, 0), -1);
    yaml_doc_free(d);
    free(orig);
}

/* Edits stack; undo walks back through every intermediate text. */
static void test_undo_stack(void **state)
{
    static const char *const edits[][2] = {
        {"economics.horizon_months", "36"},
        {"services[checkout].incidents_per_month", "2"},
        {"queries.p99_latency_seconds", "up"},
        {"economics.horizon_months", "48"},
    };
    enum { N = sizeof(edits) / sizeof(edits[0]) };
    char *texts[N + 1];
    size_t len, i;
    struct yaml_doc *d;

    (void)state;
    texts[0] = slurp(FIXTURE, &len);
    d = load_buf(FIXTURE, texts[0]);
    for (i = 0; i < N; i++) {
        assert_int_equal(yaml_doc_set(d, edits[i][0], edits[i][1], NULL, 0), 0);
        texts[i + 1] = strdup(yaml_doc_text(d, NULL));
        assert_int_equal(yaml_doc_dirty(d), i + 1);
    }
    for (i = N; i > 0; i--) {
        assert_text(d, texts[i]);
        assert_int_equal(yaml_doc_undo(d), 0);
        assert_text(d, texts[i - 1]);
    }
    assert_int_equal(yaml_doc_undo(d), -1);
    /* the tree follows the text: the path moved back with it */
    assert_int_equal(yaml_doc_set(d, "economics.horizon_months", "1", NULL, 0), 0);
    for (i = 0; i <= N; i++)
        free(texts[i]);
    yaml_doc_free(d);
}

/* Line and column of a value, counted from the fixture independently. */
static void test_locate(void **state)
{
    static const char *const cases[][2] = {
        {"economics.horizon_months", "  horizon_months: "},
        {"services[api.v2[eu]].instances", "node\n    instances: "},
        {"services[checkout].team.experience", "experience: "},
        {"queries.cpu_cores", "cpu_cores: "},
    };
    size_t len, i, line, col;
    char *orig = slurp(FIXTURE, &len);
    struct yaml_doc *d = load_buf(FIXTURE, orig);

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *at = strstr(orig, cases[i][1]) + strlen(cases[i][1]), *p, *bol = orig;
        size_t want_line = 1;

        for (p = orig; p < at; p++) {
            if (*p == '\n') {
                want_line++;
                bol = p + 1;
            }
        }
        assert_int_equal(yaml_doc_locate(d, cases[i][0], &line, &col), 1);
        assert_int_equal(line, want_line);
        assert_int_equal(col, (size_t)(at - bol) + 1);
    }
    line = col = 7;
    assert_int_equal(yaml_doc_locate(d, "economics.nosuch", &line, &col), 0);
    assert_int_equal(line, 0);
    assert_int_equal(col, 0);
    assert_int_equal(yaml_doc_locate(d, "services[x", &line, &col), 0);
    yaml_doc_free(d);
    free(orig);
}

static void test_dirty(void **state)
{
    struct yaml_doc *d = load_buf("m", "a: 1\nb: 2\n");

    (void)state;
    assert_int_equal(yaml_doc_dirty(d), 0);
    assert_int_equal(yaml_doc_set(d, "a", "3", NULL, 0), 0);
    assert_int_equal(yaml_doc_set(d, "b", "4", NULL, 0), 0);
    assert_int_equal(yaml_doc_dirty(d), 2);
    assert_int_equal(yaml_doc_undo(d), 0);
    assert_int_equal(yaml_doc_dirty(d), 1);
    assert_int_equal(yaml_doc_undo(d), 0);
    assert_int_equal(yaml_doc_dirty(d), 0);
    assert_int_equal(yaml_doc_dirty(NULL), 0);
    yaml_doc_free(d);
}

/* ---- files ------------------------------------------------------------ */

struct tmpdir {
    char dir[64];
    char path[128];             /* dir/verdict.yaml */
};

static void write_bytes(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void tmpdir_make(struct tmpdir *t, const char *content, mode_t mode)
{
    strcpy(t->dir, "/tmp/verdict_yaml_edit.XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/verdict.yaml", t->dir);
    write_bytes(t->path, content, strlen(content));
    assert_int_equal(chmod(t->path, mode), 0);
}

/* Names in the directory containing ".tmp" (temporaries left behind). */
static int tmpdir_leftovers(const struct tmpdir *t)
{
    DIR *dir = opendir(t->dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(dir);
    while ((e = readdir(dir)) != NULL)
        if (strstr(e->d_name, ".tmp") != NULL)
            n++;
    closedir(dir);
    return n;
}

static void tmpdir_remove(const struct tmpdir *t)
{
    DIR *dir = opendir(t->dir);
    struct dirent *e;
    char p[512];

    assert_non_null(dir);
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", t->dir, e->d_name);
        unlink(p);
    }
    closedir(dir);
    assert_int_equal(rmdir(t->dir), 0);
}

static void assert_file(const char *path, const char *want)
{
    size_t len;
    char *got = slurp(path, &len);

    assert_int_equal(len, strlen(want));
    assert_string_equal(got, want);
    free(got);
}

static struct yaml_doc *load_file(const char *path)
{
    struct yaml_doc *d = NULL;
    char err[512] = "";

    if (yaml_doc_load(path, &d, err, sizeof(err)) != 0)
        fail_msg("load %s: %s", path, err);
    return d;
}

/* Save, .bak, permissions, reload; a second save moves .bak along. */
static void test_save(void **state)
{
    struct tmpdir t;
    size_t len;
    char *orig = slurp(FIXTURE, &len), *want1, *want2, bak[160], err[512] = "";
    struct yaml_doc *d;
    struct yaml_tree_node *root = NULL;
    const struct yaml_tree_node *eco;
    struct stat st;

    (void)state;
    tmpdir_make(&t, orig, 0640);
    snprintf(bak, sizeof(bak), "%s.bak", t.path);
    want1 = splice(orig, "horizon_months: ", "24", "36");
    d = load_file(t.path);
    assert_int_equal(yaml_doc_set(d, "economics.horizon_months", "36", err, sizeof(err)), 0);
    assert_null(yaml_doc_saved_to(d));
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_string_equal(yaml_doc_saved_to(d), t.path);
    assert_int_equal(yaml_doc_dirty(d), 0);
    assert_file(t.path, want1);
    assert_file(bak, orig);
    assert_int_equal(stat(t.path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(tmpdir_leftovers(&t), 0);

    /* a second edit and save: .bak now holds the first saved version */
    want2 = splice(want1, "currency: ", "\"$\"", "\"EUR\"");
    assert_int_equal(yaml_doc_set(d, "economics.currency", "EUR", err, sizeof(err)), 0);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(t.path, want2);
    assert_file(bak, want1);
    yaml_doc_free(d);

    /* reload: the text is the saved one and the values decode as edited */
    d = load_file(t.path);
    assert_text(d, want2);
    assert_int_equal(yaml_tree_parse(want2, strlen(want2), &root, NULL), YAML_TREE_OK);
    eco = yaml_tree_map_get(root, "economics");
    assert_string_equal(yaml_tree_map_get(eco, "horizon_months")->text, "36");
    assert_string_equal(yaml_tree_map_get(eco, "currency")->text, "EUR");
    assert_string_equal(yaml_tree_map_get(eco, "discount_rate")->text, "0.10");
    yaml_tree_free(root);

    /* undo after a save is an unsaved change again */
    assert_int_equal(yaml_doc_set(d, "version", "2", NULL, 0), 0);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_int_equal(yaml_doc_undo(d), 0);
    assert_int_equal(yaml_doc_dirty(d), 1);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(t.path, want2);
    yaml_doc_free(d);
    tmpdir_remove(&t);
    free(want1);
    free(want2);
    free(orig);
}

/* Somebody else changed the file: refuse, keep their file and our edits. */
static void test_save_changed_on_disk(void **state)
{
    static const char orig[] = "a: 1   # one\nb: 2\n";
    static const char same_size[] = "a: 9   # one\nb: 2\n";
    struct tmpdir t;
    struct yaml_doc *d;
    struct stat st;
    struct timespec times[2];
    char err[512];
    int how;

    (void)state;
    for (how = 0; how < 4; how++) {
        tmpdir_make(&t, orig, 0644);
        d = load_file(t.path);
        assert_int_equal(yaml_doc_set(d, "b", "3", NULL, 0), 0);
        assert_int_equal(stat(t.path, &st), 0);
        if (how == 0) {             /* appended: the size differs */
            write_bytes(t.path, "a: 1   # one\nb: 2\nc: 3\n", 23);
        } else if (how == 1) {      /* same size, mtime put back: only the hash tells */
            write_bytes(t.path, same_size, strlen(same_size));
            times[0] = st.st_atim;
            times[1] = st.st_mtim;
            assert_int_equal(utimensat(AT_FDCWD, t.path, times, 0), 0);
        } else if (how == 2) {      /* touched: same bytes, a newer mtime */
            times[0] = st.st_atim;
            times[1] = st.st_mtim;
            times[1].tv_sec += 10;
            assert_int_equal(utimensat(AT_FDCWD, t.path, times, 0), 0);
        } else {                    /* deleted */
            assert_int_equal(unlink(t.path), 0);
        }
        err[0] = '\0';
        assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_CHANGED_ON_DISK);
        assert_non_null(strstr(err, "changed on disk since it was loaded; not saved"));
        assert_non_null(strstr(err, t.path));
        assert_int_equal(yaml_doc_dirty(d), 1);
        assert_text(d, "a: 1   # one\nb: 3\n");
        if (how == 1)
            assert_file(t.path, same_size);
        else if (how == 2)
            assert_file(t.path, orig);
        assert_int_equal(tmpdir_leftovers(&t), 0);
        yaml_doc_free(d);
        tmpdir_remove(&t);
    }
}

/* A save failing at the write, the fsync or the rename leaves the old
 * file byte for byte and no temporary; the edits survive for a retry. */
static void test_save_faults(void **state)
{
    struct tmpdir t;
    size_t len;
    char *orig = slurp(FIXTURE, &len), *want, err[512];
    struct yaml_doc *d;
    struct stat st;
    int step;

    (void)state;
    want = splice(orig, "horizon_months: ", "24", "36");
    for (step = 1; step <= 3; step++) {
        tmpdir_make(&t, orig, 0600);
        d = load_file(t.path);
        assert_int_equal(yaml_doc_set(d, "economics.horizon_months", "36", NULL, 0), 0);
        yaml_doc_fail_at(d, step);
        err[0] = '\0';
        assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_IO);
        assert_non_null(strstr(err, "Input/output error"));
        assert_file(t.path, orig);
        assert_int_equal(tmpdir_leftovers(&t), 0);
        assert_int_equal(yaml_doc_dirty(d), 1);
        yaml_doc_fail_at(d, 0);
        assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
        assert_file(t.path, want);
        assert_int_equal(stat(t.path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        yaml_doc_free(d);
        tmpdir_remove(&t);
    }
    free(want);
    free(orig);
}

/* A symbolic link stays a link; its target gets the new text, and the
 * .bak lands beside the target (which saved_to names), not the link. */
static void test_save_symlink(void **state)
{
    struct tmpdir t;
    struct yaml_doc *d;
    struct stat st;
    char link[160], bak[200], err[512], *real;

    (void)state;
    tmpdir_make(&t, "a: 1\n", 0644);
    snprintf(link, sizeof(link), "%s/sub", t.dir);
    assert_int_equal(mkdir(link, 0700), 0);
    snprintf(link, sizeof(link), "%s/sub/link.yaml", t.dir);
    assert_int_equal(symlink("../verdict.yaml", link), 0);
    d = load_file(link);
    assert_int_equal(yaml_doc_set(d, "a", "2", NULL, 0), 0);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_file(t.path, "a: 2\n");
    real = realpath(t.path, NULL);
    assert_non_null(real);
    assert_string_equal(yaml_doc_saved_to(d), real);
    snprintf(bak, sizeof(bak), "%s.bak", t.path);
    assert_file(bak, "a: 1\n");
    snprintf(bak, sizeof(bak), "%s.bak", link);
    assert_int_equal(lstat(bak, &st), -1);
    free(real);
    yaml_doc_free(d);
    unlink(link);
    snprintf(link, sizeof(link), "%s/sub", t.dir);
    assert_int_equal(rmdir(link), 0);
    tmpdir_remove(&t);
}

/*
 * Save as: the current text, comments and all, to a new file (no .bak) or
 * over an existing one; the document's file is then the new one, so the
 * next save goes there with its .bak, and the original is left alone.
 */
static void test_save_as(void **state)
{
    struct tmpdir t;
    size_t len;
    char *orig = slurp(FIXTURE, &len), *want, *want2, other[160], bak[200], err[512];
    struct yaml_doc *d;
    struct stat st;
    mode_t mask = umask(022);

    (void)state;
    tmpdir_make(&t, orig, 0600);
    snprintf(other, sizeof(other), "%s/copy.yaml", t.dir);
    snprintf(bak, sizeof(bak), "%s.bak", other);
    want = splice(orig, "horizon_months: ", "24", "36");
    d = load_file(t.path);
    assert_int_equal(yaml_doc_set(d, "economics.horizon_months", "36", NULL, 0), 0);
    assert_int_equal(yaml_doc_save_as(d, other, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(other, want);
    assert_file(t.path, orig);
    assert_int_equal(stat(other, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);        /* a new file: 0666 less the umask */
    assert_int_equal(lstat(bak, &st), -1);
    assert_int_equal(yaml_doc_dirty(d), 0);
    assert_string_equal(yaml_doc_saved_to(d), other);
    assert_int_equal(tmpdir_leftovers(&t), 0);

    /* the next save goes to the copy, with its .bak; undo still works */
    want2 = splice(want, "currency: ", "\"$\"", "\"EUR\"");
    assert_int_equal(yaml_doc_set(d, "economics.currency", "EUR", NULL, 0), 0);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(other, want2);
    assert_file(bak, want);
    assert_file(t.path, orig);
    assert_int_equal(yaml_doc_undo(d), 0);
    assert_int_equal(yaml_doc_dirty(d), 1);

    /* over an existing file: replaced, no .bak made for it */
    assert_int_equal(yaml_doc_save_as(d, t.path, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(t.path, want);
    assert_int_equal(stat(t.path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);        /* a replacement keeps its mode */
    snprintf(bak, sizeof(bak), "%s.bak", t.path);
    assert_int_equal(lstat(bak, &st), -1);
    yaml_doc_free(d);
    tmpdir_remove(&t);
    umask(mask);
    free(want);
    free(want2);
    free(orig);
}

/* A document from memory (the demo) becomes a file one; refusals leave
 * the document as it was, still unsaved. */
static void test_save_as_refused(void **state)
{
    struct yaml_doc *d = load_buf("demo", "a: 1   # kept\n");
    struct tmpdir t;
    char path[200], err[512] = "";

    (void)state;
    tmpdir_make(&t, "x: 1\n", 0644);
    assert_int_equal(yaml_doc_set(d, "a", "2", NULL, 0), 0);
    assert_int_equal(yaml_doc_save_as(d, t.dir, err, sizeof(err)), YAML_SAVE_IO);
    assert_non_null(strstr(err, "directory"));
    snprintf(path, sizeof(path), "%s/fifo", t.dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(yaml_doc_save_as(d, path, err, sizeof(err)), YAML_SAVE_IO);
    assert_non_null(strstr(err, "not a regular file"));
    snprintf(path, sizeof(path), "%s/no/such/dir.yaml", t.dir);
    assert_int_equal(yaml_doc_save_as(d, path, err, sizeof(err)), YAML_SAVE_IO);
    assert_non_null(strstr(err, "No such file or directory"));
    assert_int_equal(yaml_doc_save_as(d, "", err, sizeof(err)), YAML_SAVE_NO_PATH);
    assert_int_equal(yaml_doc_save_as(NULL, path, NULL, 0), YAML_SAVE_NO_PATH);
    assert_int_equal(yaml_doc_dirty(d), 1);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_NO_PATH);

    snprintf(path, sizeof(path), "%s/demo.yaml", t.dir);
    assert_int_equal(yaml_doc_save_as(d, path, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(path, "a: 2   # kept\n");
    assert_int_equal(yaml_doc_set(d, "a", "3", NULL, 0), 0);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    assert_file(path, "a: 3   # kept\n");
    yaml_doc_free(d);
    tmpdir_remove(&t);
}

static void test_save_no_path(void **state)
{
    struct yaml_doc *d = load_buf("demo", "a: 1\n");
    char err[512] = "";

    (void)state;
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_NO_PATH);
    assert_non_null(strstr(err, "demo"));
    assert_int_equal(yaml_doc_save(NULL, NULL, 0), YAML_SAVE_NO_PATH);
    yaml_doc_fail_at(NULL, 1);
    assert_string_equal(yaml_doc_text(NULL, NULL), "");
    yaml_doc_free(d);
}

static void test_load_errors(void **state)
{
    struct yaml_doc *d = (struct yaml_doc *)1;
    struct tmpdir t;
    char err[512];

    (void)state;
    assert_int_equal(yaml_doc_load("/nonexistent/verdict.yaml", &d, err, sizeof(err)), -1);
    assert_null(d);
    assert_non_null(strstr(err, "No such file"));
    assert_int_equal(yaml_doc_load("/tmp", &d, err, sizeof(err)), -1);
    assert_int_equal(yaml_doc_load_buffer("bad", "a: [1, 2\n", 9, &d, err, sizeof(err)), -1);
    assert_null(d);
    assert_non_null(strstr(err, "bad:"));
    assert_int_equal(yaml_doc_load_buffer("u16", "\xFF\xFE" "a\0", 4, &d, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "UTF-16"));
    assert_int_equal(yaml_doc_load_buffer("none", NULL, 0, &d, err, sizeof(err)), 0);
    assert_text(d, "");
    yaml_doc_free(d);
    tmpdir_make(&t, "a: {\n", 0644);
    assert_int_equal(yaml_doc_load(t.path, &d, err, sizeof(err)), -1);
    assert_non_null(strstr(err, t.path));
    tmpdir_remove(&t);
}

/* Mangled documents and values: never a crash or a leak (run under ASan
 * and valgrind); whatever is accepted must parse afterwards. */
static void test_robust(void **state)
{
    static const char *const paths[] = {
        "economics.horizon_months", "services[checkout].x", "queries.cpu_cores",
        "scoring.nothing", "economics.learning_curve.none.velocity_loss", "z",
    };
    static const char *const values[] = {"1", "[a, b]", "\"q\"", "x: y", "'", "\\"};
    size_t len, i, k;
    char *orig = slurp(FIXTURE, &len), *buf = malloc(len + 1);
    unsigned long seed = 12345;

    (void)state;
    assert_non_null(buf);
    for (i = 0; i < 300; i++) {
        struct yaml_doc *d = NULL;

        memcpy(buf, orig, len + 1);
        for (k = 0; k < 4; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            buf[(seed >> 33) % len] = "\n :-[]{}#'\"|>\t\xC3"[(seed >> 20) % 16];
        }
        if (yaml_doc_load_buffer("fuzz", buf, len, &d, NULL, 0) != 0)
            continue;
        for (k = 0; k < 6; k++) {
            struct yaml_tree_node *root = NULL;
            const char *text;
            size_t n;

            if (yaml_doc_set(d, paths[k], values[(i + k) % 6], NULL, 0) != 0)
                continue;
            text = yaml_doc_text(d, &n);
            assert_int_equal(yaml_tree_parse(text, n, &root, NULL), YAML_TREE_OK);
            yaml_tree_free(root);
        }
        while (yaml_doc_undo(d) == 0)
            ;
        assert_memory_equal(yaml_doc_text(d, NULL), buf, len);
        yaml_doc_free(d);
    }
    free(buf);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_block_at_key_column),
        cmocka_unit_test(test_block_ends_in_nel),
        cmocka_unit_test(test_insert),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_insert_edges),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_undo_stack),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_dirty),
        cmocka_unit_test(test_save),
        cmocka_unit_test(test_save_changed_on_disk),
        cmocka_unit_test(test_save_faults),
        cmocka_unit_test(test_save_symlink),
        cmocka_unit_test(test_save_as),
        cmocka_unit_test(test_save_as_refused),
        cmocka_unit_test(test_save_no_path),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_robust),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
