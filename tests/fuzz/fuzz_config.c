/* fuzz_config.c: libFuzzer harness for the verdict.yaml loader and validator. */
#include <math.h>

#include "fuzz.h"
#include "verdict/config.h"
#include "verdict/yaml_tree.h"

/*
 * Input: an assumptions file.  Checked:
 *   - the result and the diagnostics agree: 0 with none, -1 with at least
 *     one, at most CONFIG_VALUE_MAX_ERRORS + 1 lines;
 *   - every line is "fuzz.yaml:LINE:COL: ..." with LINE and COL >= 1 and
 *     safe to print (untrusted text quoted in it is sanitised);
 *   - an accepted file keeps the loader's promises: every range ordered
 *     and finite, counts and bounds as the schema says, names present,
 *     not empty and unique;
 *   - the tree alone (yaml_tree_parse) gives marks inside the input.
 */

#define CONFIG_MAX_INPUT (256 * 1024)
#define MAX_DIAG_LINES 101      /* CONFIG_VALUE_MAX_ERRORS and "... N more errors" */

static void check_range(struct range r, double lo, double hi, const char *what)
{
    FUZZ_CHECK(isfinite(r.low) && isfinite(r.likely) && isfinite(r.high) &&
               r.low <= r.likely && r.likely <= r.high, "%s: range [%g, %g, %g]", what, r.low,
               r.likely, r.high);
    FUZZ_CHECK(r.low >= lo && r.high <= hi, "%s: [%g, %g] outside [%g, %g]", what, r.low,
               r.high, lo, hi);
}

static void check_accepted(const struct assumptions *a)
{
    const struct economics *e = &a->economics;
    size_t i, j;
    int k;

    FUZZ_CHECK(e->horizon_months >= 1 && e->horizon_months <= 240, "horizon %d",
               e->horizon_months);
    check_range(e->discount_rate, 0, 1, "discount_rate");
    check_range(e->cost_per_engineer_month, 0, INFINITY, "cost_per_engineer_month");
    check_range(e->productivity_gain, 0, 1, "productivity_gain");
    for (k = 0; k < EXPERIENCE_COUNT; k++) {
        check_range(e->learning[k].velocity_loss, 0, 1, "velocity_loss");
        check_range(e->learning[k].months, 0, INFINITY, "learning months");
    }
    FUZZ_CHECK(memchr(e->currency, '\0', sizeof(e->currency)) != NULL, "currency unterminated");
    for (k = 0; k < FACTOR_COUNT; k++)
        FUZZ_CHECK(a->scoring.weights[k] >= 0 && isfinite(a->scoring.weights[k]),
                   "weight %d = %g", k, a->scoring.weights[k]);
    FUZZ_CHECK(a->n_languages <= ASSUMPTIONS_MAX_LANGUAGES, "%zu languages", a->n_languages);
    for (i = 0; i < a->n_languages; i++) {
        const struct language_profile *l = &a->languages[i];

        FUZZ_CHECK(memchr(l->name, '\0', sizeof(l->name)) != NULL && l->name[0] != '\0',
                   "language name");
        check_range(l->cpu_reduction, 0, 1, "cpu_reduction");
        check_range(l->memory_reduction, 0, 1, "memory_reduction");
        check_range(l->p99_reduction, 0, 1, "p99_reduction");
    }
    for (i = 0; i < a->n_services; i++) {
        const struct service_spec *s = &a->services[i];

        FUZZ_CHECK(s->name != NULL && s->name[0] != '\0', "services[%zu] without a name", i);
        for (j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(a->services[j].name, s->name) != 0, "duplicate service name");
        FUZZ_CHECK((unsigned)s->workload < WORKLOAD_COUNT &&
                   (unsigned)s->criticality < CRITICALITY_COUNT &&
                   (unsigned)s->experience < EXPERIENCE_COUNT, "enum out of range");
        FUZZ_CHECK(s->language[0] == '\0' || assumptions_language(a, s->language) != NULL,
                   "unknown language '%s' accepted", s->language);
        check_range(s->instances, 0, INFINITY, "instances");
        check_range(s->min_instances, 0, INFINITY, "min_instances");
        check_range(s->cores_per_instance, 0, INFINITY, "cores_per_instance");
        FUZZ_CHECK(s->cores_per_instance.low > 0, "cores_per_instance not > 0");
        check_range(s->memory_per_instance_bytes, 0, INFINITY, "memory_per_instance");
        check_range(s->cost_per_instance, 0, INFINITY, "cost_per_instance");
        check_range(s->incidents_per_month, 0, INFINITY, "incidents_per_month");
        check_range(s->cost_per_incident, 0, INFINITY, "cost_per_incident");
        check_range(s->incident_reduction, 0, 1, "incident_reduction");
        check_range(s->changes_per_month, 0, INFINITY, "changes_per_month");
        if (s->has_effort) {
            check_range(s->effort_engineer_months, 0, INFINITY, "effort_engineer_months");
            FUZZ_CHECK(s->effort_engineer_months.low > 0, "effort not > 0");
        }
        FUZZ_CHECK(s->endpoints >= 1 && s->engineers >= 1, "endpoints %d, engineers %d",
                   s->endpoints, s->engineers);
    }
    FUZZ_CHECK(a->prometheus.concurrency >= 1, "concurrency %d", a->prometheus.concurrency);
    FUZZ_CHECK(a->prometheus.timeout_s > 0 && a->prometheus.range_s > 0, "timeout or range");
}

/* "fuzz.yaml:LINE:COL: text", LINE and COL >= 1; or the "... N more" line. */
static void check_line(const char *line, size_t last_line)
{
    unsigned long l, c;
    char *end;

    FUZZ_CHECK(fuzz_text_safe(line, 0), "unsafe diagnostic \"%s\"", line);
    if (strncmp(line, "... ", 4) == 0)
        return;
    FUZZ_CHECK(strncmp(line, "fuzz.yaml:", 10) == 0, "diagnostic without the file: \"%s\"",
               line);
    l = strtoul(line + 10, &end, 10);
    FUZZ_CHECK(*end == ':' && l >= 1 && l <= last_line + 1, "bad line in \"%s\"", line);
    c = strtoul(end + 1, &end, 10);
    FUZZ_CHECK(*end == ':' && end[1] == ' ' && c >= 1, "bad column in \"%s\"", line);
    /* libyaml starts a new line at the end of a stream that does not end
     * with a line break: a syntax error found there is one line down */
    FUZZ_CHECK(l <= last_line || c == 1, "bad position in \"%s\"", line);
}

static void check_tree(const struct yaml_tree_node *n, size_t len)
{
    size_t i;

    FUZZ_CHECK(n->start.index <= n->end.index && n->end.index <= len,
               "node marks [%zu, %zu) outside %zu bytes", n->start.index, n->end.index, len);
    FUZZ_CHECK(n->kind != YAML_TREE_MAP || n->n % 2 == 0, "a map with %zu items", n->n);
    FUZZ_CHECK(n->kind != YAML_TREE_SCALAR || n->text != NULL, "a scalar without text");
    for (i = 0; i < n->n; i++)
        check_tree(n->items[i], len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct assumptions a;
    struct config_diags d = { NULL, 0, 0 };
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error terr;
    size_t i, lines = 1;
    char *copy;
    int rc;

    if (size > CONFIG_MAX_INPUT)
        return 0;
    /* an upper bound on the lines libyaml counts: \n, \r, and the last
     * byte of NEL, LS and PS */
    for (i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xA8 ||
                 data[i] == 0xA9;
    /* an exact-size copy: ASan sees a read one past the end */
    copy = malloc(size > 0 ? size : 1);
    if (copy == NULL)
        abort();
    if (size > 0)
        memcpy(copy, data, size);

    rc = config_load_buffer("fuzz.yaml", copy, size, &a, &d);
    FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
    FUZZ_CHECK(rc == 0 ? d.n == 0 : d.n > 0, "rc %d with %zu diagnostics", rc, d.n);
    FUZZ_CHECK(d.n <= MAX_DIAG_LINES, "%zu diagnostics", d.n);
    for (i = 0; i < d.n; i++)
        check_line(d.lines[i], lines);
    if (rc == 0) {
        check_accepted(&a);
        assumptions_done(&a);
    }
    config_diags_done(&d);

    memset(&terr, 0, sizeof(terr));
    if (yaml_tree_parse(copy, size, &root, &terr) == YAML_TREE_OK) {
        if (root != NULL)
            check_tree(root, size);
        yaml_tree_free(root);
    } else {
        FUZZ_CHECK(root == NULL, "a tree despite an error");
        FUZZ_CHECK(memchr(terr.msg, '\0', sizeof(terr.msg)) != NULL && terr.msg[0] != '\0',
                   "an error without a message");
        FUZZ_CHECK(terr.mark.index <= size, "error mark %zu past %zu bytes", terr.mark.index,
                   size);
    }
    free(copy);
    return 0;
}
