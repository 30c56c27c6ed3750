/* assumption_table.h: one row per assumption of verdict.yaml, for every reader and writer. */
#ifndef VERDICT_ASSUMPTION_TABLE_H
#define VERDICT_ASSUMPTION_TABLE_H

#include <stddef.h>

#include "verdict/assumptions.h"
#include "verdict/range.h"

/*
 * The table (models/assumption_table.c) is the one place that says, for
 * each assumption, its YAML key, which struct holds it and where, what
 * kind of value it is, its bounds, unit, title and a one-line hint.  The
 * YAML decoder (app/config/config.c), the Cost and Assumptions screens,
 * the appendix (app/report/report_appendix.c) and the JSON writer loop
 * over it, as tmux's parser, set-option and show-options walk
 * options-table.c.  The rows and their order are a contract:
 *   - the service rows come first, row k for enum service_key k;
 *   - rows sharing a group ("team." in "team.engineers") are adjacent;
 *   - the order is the order of the appendix, the screens and the JSON.
 */

/* Which struct a row's offset is into, and the key's YAML path. */
enum assumption_scope {
    ASSUMPTION_SERVICE,     /* services[NAME].KEY: struct service_spec */
    ASSUMPTION_LANGUAGE,    /* languages.LANG.KEY: struct language_profile */
    ASSUMPTION_ECONOMICS,   /* economics.KEY: struct economics */
    ASSUMPTION_LEARNING     /* economics.learning_curve.EXPERIENCE.KEY: struct learning_curve,
                             * one per enum experience */
};

/* How the value is stored and written. */
enum assumption_kind {
    ASSUMPTION_NUMBER,      /* double; NaN: not set */
    ASSUMPTION_RANGE,       /* struct range */
    ASSUMPTION_SIZE,        /* struct range in bytes; the file may say 4GiB */
    ASSUMPTION_COUNT,       /* int, a whole number */
    ASSUMPTION_ENUM,        /* an enum, int-sized; spelt as names[value] */
    ASSUMPTION_BOOL,        /* int, 0 or 1 */
    ASSUMPTION_TEXT         /* char[size]; "" when not given */
};

/* What a number must be (each number of a range), besides a number.  The
 * loader's messages say the same ("must be between 0 and 1"). */
enum assumption_bound {
    ASSUMPTION_ANY,
    ASSUMPTION_NONNEG,      /* >= 0 */
    ASSUMPTION_POS,         /* > 0 */
    ASSUMPTION_ONE_UP,      /* >= 1 */
    ASSUMPTION_UNIT,        /* 0..1: a fraction */
    ASSUMPTION_PERCENT,     /* 0..100 */
    ASSUMPTION_HORIZON      /* 1..240 months */
};

/* Row flags. */
#define ASSUMPTION_COST_INPUT 1u    /* an input of the cost model: the Cost screen lists it */
#define ASSUMPTION_OPTIONAL 2u      /* counts only when the int at given_offset is 1 (the
                                     * loader sets it); else the model estimates it */

struct assumption_field {
    const char *key;            /* path inside the scope: "instances", "team.engineers",
                                 * "effort.measure_weeks" */
    enum assumption_scope scope;
    enum assumption_kind kind;
    enum assumption_bound bound;
    size_t offset;              /* of the value in the scope's struct */
    size_t size;                /* ASSUMPTION_TEXT: the buffer, terminator included */
    const char *const *names;   /* ASSUMPTION_ENUM: the YAML spellings, by value */
    int n_names;
    unsigned flags;             /* ASSUMPTION_COST_INPUT | ASSUMPTION_OPTIONAL */
    size_t given_offset;        /* ASSUMPTION_OPTIONAL: the int saying it was given */
    const char *unit;           /* "instances", "bytes", "fraction", ... */
    const char *title;          /* short column title ("Inst", "$/inst") */
    int width;                  /* columns the TUI's inventory gives a service key */
    const char *hint;           /* one line: what the value means */
    const char *unset;          /* the value's text when not set (NaN, not given, ""),
                                 * or NULL when it always is */
    const char *unset_hint;     /* the hint then, or NULL for hint */
};

/* Every row, ending with one whose key is NULL. */
extern const struct assumption_field assumption_table[];

/* The row of service key k (row k of the table), or NULL when k is not one. */
const struct assumption_field *assumption_service_field(enum service_key k);

/* The row of scope whose key is key, or NULL. */
const struct assumption_field *assumption_find(enum assumption_scope scope, const char *key);

/* The last part of f's key ("engineers" for "team.engineers"). */
const char *assumption_leaf(const struct assumption_field *f);

/* How long the group part of f's key is, the dot excluded ("team" in
 * "team.engineers": 4); 0 when the key has no group. */
size_t assumption_group_len(const struct assumption_field *f);

/* The value of row f in base, a struct of f's scope.  Each reads the kind
 * it is named after: range for RANGE and SIZE, number for NUMBER, integer
 * for COUNT, ENUM and BOOL, text for TEXT. */
struct range assumption_get_range(const struct assumption_field *f, const void *base);
double assumption_get_number(const struct assumption_field *f, const void *base);
int assumption_get_int(const struct assumption_field *f, const void *base);
const char *assumption_get_text(const struct assumption_field *f, const void *base);

/* names[v] of an ASSUMPTION_ENUM row, or "?" when v is out of range. */
const char *assumption_enum_name(const struct assumption_field *f, int v);

/* 1 when the value in base is set: a number not NaN, text not "", an
 * ASSUMPTION_OPTIONAL value given; else 0 (show f->unset). */
int assumption_is_set(const struct assumption_field *f, const void *base);

/* Write v into an ASSUMPTION_COUNT, ENUM or BOOL row's int in base. */
void assumption_set_int(const struct assumption_field *f, void *base, int v);

/* Mark an ASSUMPTION_OPTIONAL row's value as given. */
void assumption_set_given(const struct assumption_field *f, void *base);

#endif /* VERDICT_ASSUMPTION_TABLE_H */
