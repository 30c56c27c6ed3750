/* config.h: load and validate an assumptions file (verdict.yaml) with libyaml. */
#ifndef VERDICT_CONFIG_H
#define VERDICT_CONFIG_H

#include <stddef.h>

#include "verdict/assumptions.h"
#include "verdict/measure.h"

/*
 * Every problem found is collected (the loader does not stop at the first),
 * each formatted as one line:
 *     FILE:LINE:COLUMN: KEY.PATH: message
 * e.g.  verdict.yaml:12:5: economics.horizn_months: unknown key (did you
 *       mean 'horizon_months'?)
 * Lines and columns are 1-based.  Untrusted text quoted in a message has
 * its control characters replaced, so it is safe on a terminal.
 */
struct config_diags {
    char **lines;      /* owned */
    size_t n;
    size_t cap;
};

void config_diags_done(struct config_diags *d);

/* Parse `len` bytes named `name` (used in messages) into *out, which gets
 * assumptions_defaults() first and then every value given.  Returns 0 when
 * there was no error; otherwise -1, with *out released (assumptions_done)
 * and at least one line in *diags. */
int config_load_buffer(const char *name, const char *buf, size_t len,
                       struct assumptions *out, struct config_diags *diags);

/* The same from a tree yaml_tree_parse made of that text (NULL: an empty
 * document); the tree is not changed. */
struct yaml_tree_node;
int config_load_tree(const char *name, const struct yaml_tree_node *root,
                     struct assumptions *out, struct config_diags *diags);

/* The same for a file.  A file that cannot be read gives one diagnostic
 * "FILE: cannot read: <strerror>". */
int config_load_file(const char *path, struct assumptions *out,
                     struct config_diags *diags);

/*
 * Append to *a the services m marks as found by discovery that a does not
 * name, in m's order, every input at its default and `discovered` set:
 * what a live run adds, so a snapshot of it ranks the same.  At most
 * ASSUMPTIONS_MAX_SERVICES services in all: returns how many were left
 * out for that (0 normally).
 */
size_t config_add_discovered(struct assumptions *a, const struct measurements *m);

#endif /* VERDICT_CONFIG_H */
