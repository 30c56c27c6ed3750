/* yaml_value.h: reading a value the user typed and writing it back as YAML. */
#ifndef VERDICT_YAML_VALUE_H
#define VERDICT_YAML_VALUE_H

#include <stddef.h>

#include "verdict/yaml_tree.h"

/* A growing NUL-terminated byte string (xrealloc: out of memory is fatal). */
struct yaml_sbuf {
    char *p;
    size_t len, cap;
};

void yaml_sbuf_add(struct yaml_sbuf *b, const char *s, size_t n);

/* A value to set, decoded from the caller's YAML text. */
struct yaml_value {
    char *text;                 /* owned: the scalar meant; NULL for a sequence */
    size_t len;
    int quoted;                 /* written in quotes: keep it a string */
    struct yaml_tree_node *seq; /* owned: a flow sequence of scalars */
};

/* Decode the caller's YAML text for one value: a scalar (plain or quoted)
 * or a flow sequence of scalars.  Returns 0, or -1 with the reason in err;
 * release with yaml_value_done. */
int yaml_value_read(const char *value, struct yaml_value *in, char *err, size_t errlen);
void yaml_value_done(struct yaml_value *in);

/* Append in to b as YAML source, in `style` when the text allows it
 * (plain only when safe; otherwise double-quoted), sequences as "[a, b]". */
void yaml_value_encode(struct yaml_sbuf *b, const struct yaml_value *in,
                       enum yaml_tree_style style);

/* Append a map key: plain when that is safe, else double-quoted. */
void yaml_value_encode_key(struct yaml_sbuf *b, const char *s, size_t n);

/* 1 when the parsed node n holds exactly the value in. */
int yaml_value_reads_back(const struct yaml_tree_node *n, const struct yaml_value *in);

#endif /* VERDICT_YAML_VALUE_H */
