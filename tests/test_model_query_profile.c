/* test_model_query_profile.c: unit tests for models/query_profile.c (the profile tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/promql.h"
#include "verdict/query_profile.h"

#define BUF 2048

static const enum signal latency_signals[] = { SIGNAL_P99_LATENCY, SIGNAL_P50_LATENCY,
                                               SIGNAL_MEAN_LATENCY, SIGNAL_RPS };

/*
 * "Valid-looking PromQL", checked without a parser: parentheses and
 * braces balance and never close before they open, quotes pair up, every
 * "${" placeholder is gone after substitution, and the text does not
 * start or end with an operator.
 */
static void assert_promql_shape(const char *q)
{
    int paren = 0, brace = 0, quote = 0;
    const char *p;
    size_t n = strlen(q);

    assert_true(n > 0);
    for (p = q; *p != '\0'; p++) {
        if (quote) {
            if (*p == '\\' && p[1] != '\0')
                p++;
            else if (*p == '"')
                quote = 0;
            continue;
        }
        if (*p == '"')
            quote = 1;
        else if (*p == '(')
            paren++;
        else if (*p == ')')
            assert_true(--paren >= 0);
        else if (*p == '{')
            brace++;
        else if (*p == '}')
            assert_true(--brace >= 0);
    }
    assert_int_equal(paren, 0);
    assert_int_equal(brace, 0);
    assert_int_equal(quote, 0);
    assert_null(strstr(q, "${"));
    assert_null(strchr("+-*/", q[0]));
    assert_null(strchr("+-*/", q[n - 1]));
}

/* Template -> substitute a service -> shape; returns the substituted query. */
static char *fill(const char *tmpl, const char *service)
{
    char *q;

    assert_non_null(strstr(tmpl, "${service}"));
    q = promql_substitute(tmpl, service);
    assert_non_null(q);
    assert_promql_shape(q);
    return q;
}

static void every_latency_row_substitutes(void **state)
{
    size_t n, i, k;
    const struct query_profile_latency *t = query_profile_latency_table(&n);
    char buf[BUF], want[256];
    int form;

    (void)state;
    assert_true(n >= 9);
    for (i = 0; i < n; i++) {
        for (form = QUERY_PROFILE_CLASSIC; form <= QUERY_PROFILE_NATIVE; form++) {
            for (k = 0; k < 4; k++) {
                int len = query_profile_latency_template(&t[i], (enum query_profile_form)form,
                                                         latency_signals[k], "job", buf,
                                                         sizeof(buf));
                char *q;

                assert_true(len > 0 && (size_t)len < sizeof(buf));
                q = fill(buf, "a\"} or vector(1) #");
                /* the service stays one escaped label value */
                snprintf(want, sizeof(want), "%s=\"a\\\"} or vector(1) #\"",
                         query_profile_label(&t[i], "job"));
                assert_non_null(strstr(q, want));
                /* the family's own series, in the form asked for */
                assert_non_null(strstr(q, t[i].metric));
                if (form == QUERY_PROFILE_NATIVE) {
                    assert_null(strstr(q, "_bucket"));
                    assert_null(strstr(q, "le,"));
                } else if (k < 2) {
                    assert_non_null(strstr(q, "_bucket"));
                    assert_non_null(strstr(q, "sum by (le, vmrange)"));
                }
                /* milliseconds divided by 1000 for latencies, never for a rate */
                if (t[i].seconds_per_unit != 1 && k < 3)
                    assert_non_null(strstr(q, ") / 1000"));
                else
                    assert_null(strstr(q, "1000"));
                if (t[i].matchers[0] != '\0')
                    assert_non_null(strstr(q, t[i].matchers));
                free(q);
            }
        }
    }
    assert_int_equal(query_profile_latency_template(&t[0], QUERY_PROFILE_CLASSIC, SIGNAL_CPU,
                                                    "job", buf, sizeof(buf)), -1);
}

/* The units, row by row, from the projects' metric names: *_seconds in
 * seconds; Istio's *_milliseconds and Linkerd's *_ms in milliseconds. */
static void units_follow_the_names(void **state)
{
    size_t n, i, ms = 0;
    const struct query_profile_latency *t = query_profile_latency_table(&n);

    (void)state;
    for (i = 0; i < n; i++) {
        const char *m = t[i].metric;
        size_t l = strlen(m);
        int is_ms = (l > 3 && strcmp(m + l - 3, "_ms") == 0) ||
                    (l > 13 && strcmp(m + l - 13, "_milliseconds") == 0);

        assert_true(is_ms || strcmp(m + l - 8, "_seconds") == 0);
        assert_true(t[i].seconds_per_unit == (is_ms ? 0.001 : 1.0));
        ms += (size_t)is_ms;
    }
    assert_int_equal(ms, 3);    /* Istio twice (two labels), Linkerd */
}

/* The exact texts for two rows, written by hand from the formulas in
 * query_profile.c's comment. */
static void exact_templates(void **state)
{
    size_t n, i;
    const struct query_profile_latency *t = query_profile_latency_table(&n);
    const struct query_profile_latency *linkerd = NULL, *http = &t[0];
    char buf[BUF];

    (void)state;
    for (i = 0; i < n; i++)
        if (strcmp(t[i].name, "linkerd") == 0)
            linkerd = &t[i];
    assert_non_null(linkerd);
    query_profile_latency_template(linkerd, QUERY_PROFILE_CLASSIC, SIGNAL_P99_LATENCY, "job",
                                   buf, sizeof(buf));
    assert_string_equal(buf, "histogram_quantile(0.99, sum by (le, vmrange) (rate("
                        "response_latency_ms_bucket{deployment=\"${service}\", "
                        "direction=\"inbound\"}[5m]))) / 1000");
    query_profile_latency_template(linkerd, QUERY_PROFILE_CLASSIC, SIGNAL_MEAN_LATENCY, "job",
                                   buf, sizeof(buf));
    assert_string_equal(buf, "(sum(rate(response_latency_ms_sum{deployment=\"${service}\", "
                        "direction=\"inbound\"}[5m])) / sum(rate(response_latency_ms_count{"
                        "deployment=\"${service}\", direction=\"inbound\"}[5m]))) / 1000");
    /* the first row takes the caller's label */
    assert_string_equal(http->metric, "http_request_duration_seconds");
    query_profile_latency_template(http, QUERY_PROFILE_NATIVE, SIGNAL_P50_LATENCY, "service",
                                   buf, sizeof(buf));
    assert_string_equal(buf, "histogram_quantile(0.5, sum(rate(http_request_duration_seconds"
                        "{service=\"${service}\"}[5m])))");
    query_profile_latency_template(http, QUERY_PROFILE_NATIVE, SIGNAL_RPS, "service", buf,
                                   sizeof(buf));
    assert_string_equal(buf, "histogram_count(sum(rate(http_request_duration_seconds"
                        "{service=\"${service}\"}[5m])))");
    /* cut short: snprintf's contract */
    assert_true(query_profile_latency_template(http, QUERY_PROFILE_CLASSIC, SIGNAL_RPS,
                                               "service", buf, 8) >= 8);
    assert_int_equal(strlen(buf), 7);
}

static void kubernetes_templates(void **state)
{
    char *q;

    (void)state;
    q = fill(query_profile_kubernetes(SIGNAL_CPU), "reviews");
    assert_non_null(strstr(q, "rate(container_cpu_usage_seconds_total{container!=\"\", "
                           "container!=\"POD\", image!=\"\"}[5m])"));
    assert_non_null(strstr(q, "kube_replicaset_owner{owner_name=\"reviews\"}"));
    assert_non_null(strstr(q, "kube_pod_owner{owner_kind!=\"ReplicaSet\", "
                           "owner_name=\"reviews\"}"));
    free(q);
    q = fill(query_profile_kubernetes(SIGNAL_MEMORY), "reviews");
    assert_non_null(strstr(q, "container_memory_working_set_bytes{"));
    assert_null(strstr(q, "rate("));    /* a gauge */
    free(q);
    assert_null(query_profile_kubernetes(SIGNAL_P99_LATENCY));
    assert_null(query_profile_kubernetes(SIGNAL_GC));
}

static void gc_rows(void **state)
{
    size_t n, i, python = 0;
    const struct query_profile_gc *t = query_profile_gc_table(&n);
    char buf[BUF];

    (void)state;
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
        int len = query_profile_gc_template(&t[i], "job", buf, sizeof(buf));

        if (t[i].sum_metric == NULL) {
            /* Python: counts only, said so, no invented time */
            assert_int_equal(len, -1);
            assert_string_equal(t[i].metric, "python_gc_collections_total");
            assert_non_null(strstr(t[i].reason, "python_gc_collections_total"));
            python++;
            continue;
        }
        assert_null(t[i].reason);
        free(fill(buf, "api"));
        /* the rate of the seconds counter (_sum), never a quantile */
        assert_non_null(strstr(buf, "_sum{job=\"${service}\"}"));
        assert_null(strstr(buf, "quantile"));
    }
    assert_int_equal(python, 1);
    query_profile_gc_template(&t[0], "job", buf, sizeof(buf));
    assert_string_equal(buf, "sum(rate(go_gc_duration_seconds_sum{job=\"${service}\"}[5m]))");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_latency_row_substitutes),
        cmocka_unit_test(units_follow_the_names),
        cmocka_unit_test(exact_templates),
        cmocka_unit_test(kubernetes_templates),
        cmocka_unit_test(gc_rows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
