/* test_app_yaml_tree.c: unit tests for app/config/yaml_tree.c (YAML text to a tree with source marks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verdict/yaml_tree.h"

static struct yaml_tree_node *parse_ok(const char *buf)
{
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error err;

    memset(&err, 0, sizeof(err));
    if (yaml_tree_parse(buf, strlen(buf), &root, &err) != YAML_TREE_OK)
        fail_msg("unexpected error: %zu:%zu: %s", err.mark.line + 1, err.mark.column + 1,
                 err.msg);
    assert_non_null(root);
    return root;
}

/* The bytes a node covers, as a string (freed by the caller). */
static char *source_of(const char *buf, const struct yaml_tree_node *n)
{
    size_t len;
    char *s;

    assert_true(n->start.index <= n->end.index);
    len = n->end.index - n->start.index;
    s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, buf + n->start.index, len);
    s[len] = '\0';
    return s;
}

struct mark_case {
    const char *key;
    const char *source;         /* buf[start.index, end.index) */
    const char *text;           /* the value libyaml decoded */
    enum yaml_tree_style style;
    size_t line, column;        /* 0-based, of the start */
};

/* Each scalar style once.  The "é" (2 bytes, 1 character) on line 0 and
 * the byte-order mark make libyaml's character index differ from the byte
 * offset, which is what an in-place edit needs. */
static const char marks_yaml[] =
    "\xEF\xBB\xBF"
    "k\xC3\xA9y: plain value   # comment\n"
    "sq: 'it''s'\n"
    "dq: \"a\\tb \xC3\xA9\"\n"
    "lit: |\n"
    "  one\n"
    "  two\n"
    "fold: >-\n"
    "  x\n"
    "  y\n"
    "last: [1, \"two\"]\n";

static const struct mark_case mark_cases[] = {
    { "k\xC3\xA9y", "plain value", "plain value", YAML_TREE_PLAIN, 0, 5 },
    { "sq", "'it''s'", "it's", YAML_TREE_SINGLE_QUOTED, 1, 4 },
    { "dq", "\"a\\tb \xC3\xA9\"", "a\tb \xC3\xA9", YAML_TREE_DOUBLE_QUOTED, 2, 4 },
    /* a block scalar runs from its indicator past its last line break */
    { "lit", "|\n  one\n  two\n", "one\ntwo\n", YAML_TREE_LITERAL, 3, 5 },
    { "fold", ">-\n  x\n  y\n", "x y", YAML_TREE_FOLDED, 6, 6 },
};

static void test_scalar_marks(void **state)
{
    struct yaml_tree_node *root = parse_ok(marks_yaml);
    const struct yaml_tree_node *seq;
    size_t i;
    char *src;

    (void)state;
    assert_int_equal(root->kind, YAML_TREE_MAP);
    for (i = 0; i < sizeof(mark_cases) / sizeof(mark_cases[0]); i++) {
        const struct mark_case *mc = &mark_cases[i];
        const struct yaml_tree_node *v = yaml_tree_map_get(root, mc->key);

        assert_non_null(v);
        assert_int_equal(v->kind, YAML_TREE_SCALAR);
        assert_int_equal(v->style, mc->style);
        assert_string_equal(v->text, mc->text);
        assert_int_equal(v->start.line, mc->line);
        assert_int_equal(v->start.column, mc->column);
        src = source_of(marks_yaml, v);
        assert_string_equal(src, mc->source);
        free(src);
    }
    /* the key itself, after the byte-order mark */
    assert_int_equal(root->items[0]->start.index, 3);
    assert_int_equal(root->items[0]->end.index, 3 + 4);
    /* elements of a flow sequence, and the sequence as a whole */
    seq = yaml_tree_map_get(root, "last");
    assert_non_null(seq);
    assert_int_equal(seq->kind, YAML_TREE_SEQ);
    assert_int_equal(seq->n, 2);
    src = source_of(marks_yaml, seq);
    assert_string_equal(src, "[1, \"two\"]");
    free(src);
    src = source_of(marks_yaml, seq->items[1]);
    assert_string_equal(src, "\"two\"");
    free(src);
    assert_true(yaml_tree_is_plain(seq->items[0]));
    assert_false(yaml_tree_is_plain(seq->items[1]));
    yaml_tree_free(root);
}

/* Replacing exactly a scalar's bytes gives a document with the new value. */
static void test_edit_in_place(void **state)
{
    static const char doc[] = "a:\n  b: 'old'   # keep me\n  c: 2\n";
    struct yaml_tree_node *root = parse_ok(doc), *again;
    const struct yaml_tree_node *b;
    char edited[128];

    (void)state;
    b = yaml_tree_map_get(yaml_tree_map_get(root, "a"), "b");
    assert_non_null(b);
    snprintf(edited, sizeof(edited), "%.*s%s%s", (int)b->start.index, doc, "\"new value\"",
             doc + b->end.index);
    assert_string_equal(edited, "a:\n  b: \"new value\"   # keep me\n  c: 2\n");
    again = parse_ok(edited);
    assert_string_equal(yaml_tree_map_get(yaml_tree_map_get(again, "a"), "b")->text,
                        "new value");
    yaml_tree_free(again);
    yaml_tree_free(root);
}

static char *nested(size_t depth)
{
    char *s = malloc(2 * depth + 2);
    size_t i;

    assert_non_null(s);
    for (i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + i] = ']';
    }
    s[2 * depth] = '\n';
    s[2 * depth + 1] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    struct yaml_tree_node *root = NULL;
    struct yaml_tree_error err;
    char *s;

    (void)state;
    s = nested(YAML_TREE_MAX_DEPTH);
    yaml_tree_free(parse_ok(s));
    free(s);

    s = nested(YAML_TREE_MAX_DEPTH + 1);
    assert_int_equal(yaml_tree_parse(s, strlen(s), &root, &err), YAML_TREE_EDEPTH);
    assert_null(root);
    assert_string_equal(err.msg, "nesting is deeper than 64 levels");
    assert_int_equal(err.mark.line, 0);
    assert_int_equal(err.mark.column, YAML_TREE_MAX_DEPTH);
    assert_int_equal(err.mark.index, YAML_TREE_MAX_DEPTH);
    free(s);
}

/* Anchors, aliases and tags are recorded, not refused: the caller reports
 * them with its own key path. */
static void test_alias_anchor_tag(void **state)
{
    struct yaml_tree_node *root = parse_ok("a: &x 1\nb: *x\nc: !!str 3\nd: \"n\\0ul\"\n");
    const char *msgs[YAML_TREE_MAX_PROBLEMS];
    const struct yaml_tree_node *v;
    int usable;

    (void)state;
    v = yaml_tree_map_get(root, "b");
    assert_int_equal(v->kind, YAML_TREE_ALIAS);
    assert_int_equal(yaml_tree_problems(v, msgs, &usable), 1);
    assert_string_equal(msgs[0], "aliases are not supported");
    assert_int_equal(usable, 0);

    v = yaml_tree_map_get(root, "a");
    assert_string_equal(v->anchor, "x");
    assert_int_equal(yaml_tree_problems(v, msgs, &usable), 1);
    assert_string_equal(msgs[0], "anchors and aliases are not supported");
    assert_int_equal(usable, 1);

    v = yaml_tree_map_get(root, "c");
    assert_string_equal(v->tag, "tag:yaml.org,2002:str");
    assert_int_equal(yaml_tree_problems(v, msgs, &usable), 1);
    assert_string_equal(msgs[0], "tags are not supported");
    assert_int_equal(usable, 1);

    v = yaml_tree_map_get(root, "d");
    assert_true(v->has_nul);
    assert_int_equal(v->len, 4);
    assert_int_equal(yaml_tree_problems(v, msgs, &usable), 1);
    assert_string_equal(msgs[0], "must not contain a NUL character");
    assert_int_equal(usable, 0);
    yaml_tree_free(root);
}

static void test_duplicate_keys(void **state)
{
    struct yaml_tree_node *root = parse_ok("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n");
    const struct yaml_tree_node *c;

    (void)state;
    assert_int_equal(root->n, 8);
    assert_null(root->items[0]->dup_of);
    assert_null(root->items[2]->dup_of);
    assert_ptr_equal(root->items[4]->dup_of, root->items[0]);
    assert_int_equal(root->items[4]->start.line, 2);
    /* lookups see the first occurrence only */
    assert_string_equal(yaml_tree_map_get(root, "a")->text, "1");
    c = yaml_tree_map_get(root, "c");
    assert_ptr_equal(c->items[2]->dup_of, c->items[0]);
    assert_null(yaml_tree_map_get(root, "missing"));
    yaml_tree_free(root);
}

struct error_case {
    const char *yaml;
    enum yaml_tree_status status;
    size_t line, column;        /* 0-based */
    const char *msg;
};

static const struct error_case error_cases[] = {
    { "a: [1, 2\n", YAML_TREE_ESYNTAX, 1, 0,
      "syntax error: did not find expected ',' or ']' (while parsing a flow sequence)" },
    { "a: b: c\n", YAML_TREE_ESYNTAX, 0, 4,
      "syntax error: mapping values are not allowed in this context" },
    /* an encoding error: libyaml gives a byte offset, turned into a line */
    { "a: 1\nk: \"\xFF\"\n", YAML_TREE_ESYNTAX, 1, 4,
      "syntax error: invalid leading UTF-8 octet" },
    { "a: 1\n---\nb: 2\n", YAML_TREE_EDOCUMENTS, 1, 0, "only one YAML document is allowed" },
};

static void test_errors(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
        const struct error_case *ec = &error_cases[i];
        struct yaml_tree_node *root = NULL;
        struct yaml_tree_error err;

        memset(&err, 0, sizeof(err));
        assert_int_equal(yaml_tree_parse(ec->yaml, strlen(ec->yaml), &root, &err),
                         ec->status);
        assert_null(root);
        assert_string_equal(err.msg, ec->msg);
        assert_int_equal(err.mark.line, ec->line);
        assert_int_equal(err.mark.column, ec->column);
        /* a NULL err is allowed */
        assert_int_equal(yaml_tree_parse(ec->yaml, strlen(ec->yaml), &root, NULL),
                         ec->status);
    }
}

static void test_empty_and_null(void **state)
{
    struct yaml_tree_node dummy, *root = &dummy;    /* must be overwritten */
    struct yaml_tree_error err;

    (void)state;
    assert_int_equal(yaml_tree_parse("", 0, &root, &err), YAML_TREE_OK);
    assert_null(root);
    assert_int_equal(yaml_tree_parse(NULL, 5, &root, &err), YAML_TREE_OK);
    assert_null(root);
    yaml_tree_free(NULL);

    root = parse_ok("a:\nb: ~\nc: 'null'\nd: &n null\n");
    assert_true(yaml_tree_is_null(yaml_tree_map_get(root, "a")));
    assert_true(yaml_tree_is_null(yaml_tree_map_get(root, "b")));
    assert_false(yaml_tree_is_null(yaml_tree_map_get(root, "c")));
    assert_false(yaml_tree_is_null(yaml_tree_map_get(root, "d")));
    yaml_tree_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_marks),
        cmocka_unit_test(test_edit_in_place),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_alias_anchor_tag),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_empty_and_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
